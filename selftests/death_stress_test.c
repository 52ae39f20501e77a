// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stress with process death: a bounded mix of every operation in many
 * processes, under a kill -9 storm, admin removals and unlinks, then an
 * exact audit.
 *
 * The workers, each respawned when killed:
 *  - senders put numbered messages on the ledger queue (SEND, write(),
 *    SENDV), marking each number "in flight" in shared memory before the
 *    call and "acknowledged" after it succeeds;
 *  - receivers take them (RECV, read(), RECVV) straight into a landing
 *    area in shared memory, so a message whose receiver dies right after
 *    the call is still found there, and commit it to a log;
 *  - undo workers wait and post on a semaphore with KIPC_SEM_UNDO, plain
 *    workers on one without;
 *  - region workers map, stamp, probe, resize, mremap and unmap a region;
 *  - churn workers open, use and close short-lived objects of every type,
 *    which the parent removes (netlink) and unlinks under them.
 *
 * Afterwards:
 *  - every acknowledged send was delivered exactly once, every send in
 *    flight at most once, nothing else at all, and per sender and priority
 *    in order; the queue's send and receive counters equal the deliveries;
 *  - the undo semaphore's value plus its undo units stayed equal to its
 *    initial value at every sample during the storm, and the value is that
 *    again once every holder is dead; the plain semaphore lost at most one
 *    unit per worker killed between its wait and its post, and gained none;
 *  - the region has no mapping left, its stamps are whole, a shrink gives
 *    its pages back, and its charge matches its size;
 *  - once everything is closed, the namespace's object and byte counters
 *    are back to zero; unload_test (last) then checks the module unloads.
 *
 * Bounded to 40 s of storm (KIPC_STRESS_SECS overrides; KIPC_MODE=debug
 * takes 30 s), in an IPC namespace of its own.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <time.h>

#include "kipc_test.h"

#define NSEND		3
#define NRECV		2
#define NUNDO		3
#define NPLAIN		2
#define NREGION		2
#define NCHURN		3
#define NWORKERS	(NSEND + NRECV + NUNDO + NPLAIN + NREGION + NCHURN)

#define MAXSEQ		(1U << 20)	/* messages per sender slot */
#define MAXLOG		(1U << 20)	/* receives per receiver slot */
#define LANDING		4		/* the most one RECVV takes */

#define UNDO_VALUE	4
#define PLAIN_VALUE	3
#define PAGE		4096UL
#define REGION_MIN	2		/* pages */
#define REGION_MAX	8
#define NCHURN_NAMES	3

#define STORM_SECS	40
#define STORM_SECS_DEBUG 30
#define WAIT_NS		(300 * 1000000ULL)

enum { ST_UNSENT, ST_INFLIGHT, ST_ACKED, ST_NOTSENT };

enum {
	W_SEND, W_RECV, W_UNDO, W_PLAIN, W_REGION, W_CHURN,
};

/* One message: who sent it, its number, its priority, and a check. */
struct msg {
	__u8 slot;
	__u8 prio;
	__u16 pad;
	__u32 seq;
	__u64 check;
};

struct send_slot {
	_Atomic __u32 next;		/* the next number to use */
	_Atomic __u8 status[MAXSEQ];	/* ST_* */
};

struct recv_slot {
	_Atomic __u32 n;		/* committed log entries */
	_Atomic __u32 landing_at;	/* n when the landing was armed */
	struct msg landing[LANDING];
	__u64 log[MAXLOG];		/* slot << 40 | prio << 32 | seq */
};

/* Everything the processes share, in one MAP_SHARED mapping. */
struct ledger {
	_Atomic int violation;
	char why[256];
	_Atomic int plain_in[NPLAIN];	/* between wait and post */
	_Atomic __u32 region_stamp[NREGION];	/* stamps written */
	struct send_slot send[NSEND];
	struct recv_slot recv[NRECV];
};

struct names {
	char mq[KIPC_NAME_MAX + 1];
	char undo[KIPC_NAME_MAX + 1];
	char plain[KIPC_NAME_MAX + 1];
	char region[KIPC_NAME_MAX + 1];
	char churn[3][NCHURN_NAMES][KIPC_NAME_MAX + 1];
};

static struct ledger *L;
static const struct names *N;
static int devfd;
static __u32 rnd_state;

static __u32 rnd(void)
{
	__u32 x = rnd_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rnd_state = x;
}

static __u64 msg_check(__u32 slot, __u32 seq, __u32 prio)
{
	__u64 x = ((__u64)slot << 40 | (__u64)prio << 32 | seq) *
		  0x9e3779b97f4a7c15ULL;

	return x ^ (x >> 29) ^ 1;
}

static bool msg_valid(const struct msg *m)
{
	return m->slot < NSEND && m->prio <= 3 && m->seq < MAXSEQ &&
	       m->check == msg_check(m->slot, m->seq, m->prio);
}

static __u64 msg_key(const struct msg *m)
{
	return (__u64)m->slot << 40 | (__u64)m->prio << 32 | m->seq;
}

/* A worker saw something that must not happen: say what, and stop. */
static void violation(const char *fmt, ...)
{
	va_list ap;

	if (!atomic_exchange(&L->violation, 1)) {
		va_start(ap, fmt);
		vsnprintf(L->why, sizeof(L->why), fmt, ap);
		va_end(ap);
	}
	_exit(3);
}

static __u64 deadline(void)
{
	return kipc_now_ns(CLOCK_MONOTONIC) + WAIT_NS;
}

static int obj_open(__u32 type, const char *name, __u32 flags,
		    const union kipc_attr *attr)
{
	int ofd = _test_cmd_open(devfd, type, name, flags, 0600, attr, NULL,
				 NULL);

	if (ofd < 0)
		violation("open %s: %s", name, strerror(errno));
	return ofd;
}

/* --- senders and receivers ----------------------------------------------- */

static void sender(int slot)
{
	struct send_slot *s = &L->send[slot];
	struct kipc_mq_vec vec[3];
	struct msg m[3];
	int qfd, n, i, ret;
	__u32 seq;

	qfd = obj_open(KIPC_OBJ_MQ, N->mq, KIPC_OPEN_WRITE, NULL);
	for (;;) {
		int op = rnd() % 3;

		n = op == 2 ? 3 : 1;
		seq = atomic_load(&s->next);
		if (seq + n > MAXSEQ)
			pause();
		for (i = 0; i < n; i++) {
			m[i].slot = slot;
			m[i].prio = op == 1 ? 0 : (seq + i) % 4;
			m[i].pad = 0;
			m[i].seq = seq + i;
			m[i].check = msg_check(slot, seq + i, m[i].prio);
			atomic_store(&s->status[seq + i], ST_INFLIGHT);
		}
		atomic_store(&s->next, seq + n);

		if (op == 0) {
			struct kipc_mq_send cmd = {
				.size = sizeof(cmd),
				.flags = KIPC_WAIT_DEADLINE,
				.buf = (uintptr_t)&m[0],
				.len = sizeof(m[0]),
				.prio = m[0].prio,
				.clockid = CLOCK_MONOTONIC,
				.deadline = deadline(),
			};

			ret = ioctl(qfd, KIPC_IOC_MQ_SEND, &cmd);
			ret = ret ? -errno : 1;
		} else if (op == 1) {
			ret = write(qfd, &m[0], sizeof(m[0]));
			if (ret >= 0 && ret != sizeof(m[0]))
				violation("write() took %d bytes", ret);
			ret = ret < 0 ? -errno : 1;
		} else {
			struct kipc_mq_sendv cmd = {
				.size = sizeof(cmd),
				.flags = KIPC_WAIT_DEADLINE,
				.vec = (uintptr_t)vec,
				.count = 3,
				.clockid = CLOCK_MONOTONIC,
				.deadline = deadline(),
			};

			for (i = 0; i < 3; i++) {
				vec[i].buf = (uintptr_t)&m[i];
				vec[i].len = sizeof(m[i]);
				vec[i].prio = m[i].prio;
			}
			ret = ioctl(qfd, KIPC_IOC_MQ_SENDV, &cmd);
			if (ret < 0)
				ret = -errno;
		}
		if (ret < 0 && ret != -ETIMEDOUT)
			violation("sender %d, op %d: %s", slot, op,
				  strerror(-ret));
		for (i = 0; i < n; i++)
			atomic_store(&s->status[seq + i],
				     i < ret ? ST_ACKED : ST_NOTSENT);
	}
}

static void receiver(int slot)
{
	struct recv_slot *r = &L->recv[slot];
	struct kipc_mq_vec vec[LANDING];
	int qfd, k, i, ret;
	__u32 at;

	qfd = obj_open(KIPC_OBJ_MQ, N->mq, KIPC_OPEN_READ, NULL);
	for (;;) {
		int op = rnd() % 3;

		at = atomic_load(&r->n);
		if (at + LANDING > MAXLOG)
			pause();
		memset(r->landing, 0, sizeof(r->landing));
		atomic_store(&r->landing_at, at);

		if (op == 0) {
			struct kipc_mq_recv cmd = {
				.size = sizeof(cmd),
				.flags = KIPC_WAIT_DEADLINE,
				.buf = (uintptr_t)&r->landing[0],
				.len = sizeof(struct msg),
				.clockid = CLOCK_MONOTONIC,
				.deadline = deadline(),
			};

			ret = ioctl(qfd, KIPC_IOC_MQ_RECV, &cmd);
			ret = ret < 0 ? -errno : 1;
		} else if (op == 1) {
			ret = read(qfd, &r->landing[0], sizeof(struct msg));
			if (ret >= 0 && ret != sizeof(struct msg))
				violation("read() gave %d bytes", ret);
			ret = ret < 0 ? -errno : 1;
		} else {
			struct kipc_mq_sendv cmd = {
				.size = sizeof(cmd),
				.flags = KIPC_WAIT_DEADLINE,
				.vec = (uintptr_t)vec,
				.count = 1 + rnd() % LANDING,
				.clockid = CLOCK_MONOTONIC,
				.deadline = deadline(),
			};

			for (i = 0; i < LANDING; i++) {
				vec[i].buf = (uintptr_t)&r->landing[i];
				vec[i].len = sizeof(struct msg);
				vec[i].prio = 0;
			}
			ret = ioctl(qfd, KIPC_IOC_MQ_RECVV, &cmd);
			if (ret < 0)
				ret = -errno;
		}
		if (ret == -ETIMEDOUT)
			continue;
		if (ret < 0)
			violation("receiver %d, op %d: %s", slot, op,
				  strerror(-ret));
		k = ret;
		for (i = 0; i < k; i++) {
			if (!msg_valid(&r->landing[i]))
				violation("receiver %d got a corrupt message",
					  slot);
			r->log[at + i] = msg_key(&r->landing[i]);
		}
		/* The commit: from here on the landing is in the log. */
		atomic_store(&r->n, at + k);
	}
}

/*
 * The parent, once receiver @slot is dead and before it is respawned
 * (its successor clears the landing): what the dead one took but did not
 * commit is delivered all the same.
 */
static void receiver_harvest(int slot)
{
	struct recv_slot *r = &L->recv[slot];
	__u32 k = atomic_load(&r->n);
	int j;

	if (atomic_load(&r->landing_at) != k)
		return;
	for (j = 0; j < LANDING; j++)
		if (msg_valid(&r->landing[j]))
			r->log[k++] = msg_key(&r->landing[j]);
	memset(r->landing, 0, sizeof(r->landing));
	atomic_store(&r->n, k);
}

/* --- semaphores ---------------------------------------------------------- */

static int sem_wait_for(int sfd, __u32 count, __u32 flags)
{
	int ret = _test_cmd_sem_wait(sfd, count, flags | KIPC_WAIT_DEADLINE,
				     CLOCK_MONOTONIC, deadline(), NULL);

	return ret ? -errno : 0;
}

static void undo_worker(int slot)
{
	int sfd, ret;
	__u32 c;

	sfd = obj_open(KIPC_OBJ_SEM, N->undo, KIPC_RW, NULL);
	for (;;) {
		c = 1 + rnd() % 2;
		ret = sem_wait_for(sfd, c, KIPC_SEM_UNDO);
		if (ret == -ETIMEDOUT)
			continue;
		if (ret)
			violation("undo worker %d: wait: %s", slot,
				  strerror(-ret));
		usleep(rnd() % 200);
		if (c == 2 && rnd() % 2) {
			if (_test_cmd_sem_post(sfd, 1))
				violation("undo worker: post: %m");
			usleep(rnd() % 100);
			c = 1;
		}
		if (_test_cmd_sem_post(sfd, c))
			violation("undo worker: post: %m");
	}
}

static void plain_worker(int slot)
{
	int sfd, ret;

	sfd = obj_open(KIPC_OBJ_SEM, N->plain, KIPC_RW, NULL);
	for (;;) {
		atomic_store(&L->plain_in[slot], 1);
		ret = sem_wait_for(sfd, 1, 0);
		if (ret && ret != -ETIMEDOUT)
			violation("plain worker %d: wait: %s", slot,
				  strerror(-ret));
		if (!ret) {
			usleep(rnd() % 200);
			if (_test_cmd_sem_post(sfd, 1))
				violation("plain worker: post: %m");
		}
		atomic_store(&L->plain_in[slot], 0);
	}
}

/* --- the region ---------------------------------------------------------- */

/*
 * The stamp of region worker @slot in the first page, one aligned 64-bit
 * store, so that a reader sees it whole or not at all: the slot, the
 * count, and a check of both.
 */
static __u64 region_stamp_of(int slot, __u32 n)
{
	return (__u64)(slot + 1) << 56 | (__u64)n << 24 |
	       ((n * 2654435761U ^ slot) & 0xffffff);
}

static void region_stamp(char *p, int slot, __u32 n)
{
	atomic_store((_Atomic __u64 *)(p + slot * 64),
		     region_stamp_of(slot, n));
}

static bool region_stamp_ok(const char *p, int slot)
{
	__u64 v = atomic_load((_Atomic __u64 *)(p + slot * 64));

	return !v || v == region_stamp_of(slot, (v >> 24) & 0xffffffff);
}

static void region_worker(int slot)
{
	size_t max = REGION_MAX * PAGE;
	int rfd, i, sig;
	char *p, *q;
	__u32 n;

	rfd = obj_open(KIPC_OBJ_SHM, N->region, KIPC_RW, NULL);
	for (;;) {
		p = mmap(NULL, max, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
		if (p == MAP_FAILED)
			violation("region worker: mmap: %m");
		n = atomic_fetch_add(&L->region_stamp[slot], 1) + 1;
		if (kipc_probe(p + slot * 64, false, 0, NULL))
			violation("region worker: fault in the first page");
		region_stamp(p, slot, n);
		for (i = 0; i < NREGION; i++)
			if (!region_stamp_ok(p, i))
				violation("region: stamp %d is broken", i);
		i = rnd() % REGION_MAX;
		sig = kipc_probe(p + i * PAGE + 100, rnd() % 2, 1, NULL);
		if ((i < REGION_MIN && sig) || (sig && sig != SIGBUS))
			violation("region: page %d raised signal %d", i, sig);
		if (rnd() % 4 == 0 &&
		    _test_cmd_shm_resize(rfd, REGION_MIN * PAGE +
					 rnd() % ((REGION_MAX - REGION_MIN) *
						  PAGE + 1)))
			violation("region: resize: %m");
		if (rnd() % 3 == 0) {
			q = mremap(p, max, REGION_MIN * PAGE, 0);
			if (q == MAP_FAILED)
				violation("region: mremap: %m");
			munmap(q, REGION_MIN * PAGE);
		} else {
			munmap(p, max);
		}
	}
}

/* --- churn --------------------------------------------------------------- */

static void churn_worker(int slot)
{
	char buf[32] = "churn";
	__u32 len, prio;
	int ofd, ret;
	void *p;

	(void)slot;
	for (;;) {
		__u32 t = rnd() % 3, i = rnd() % NCHURN_NAMES;
		union kipc_attr attr = kipc_attr_of(kipc_types[t]);

		ofd = obj_open(kipc_types[t], N->churn[t][i],
			       KIPC_RW | KIPC_OPEN_CREATE, &attr);
		switch (kipc_types[t]) {
		case KIPC_OBJ_MQ:
			ret = _test_cmd_mq_send(ofd, buf, 8, 0,
						KIPC_WAIT_NONBLOCK);
			if (ret && errno != EAGAIN && errno != EIDRM)
				violation("churn: send: %m");
			ret = _test_cmd_mq_recv(ofd, buf, sizeof(buf),
						KIPC_WAIT_NONBLOCK, &len,
						&prio);
			if (ret < 0 && errno != EAGAIN && errno != EIDRM)
				violation("churn: receive: %m");
			break;
		case KIPC_OBJ_SEM:
			ret = sem_wait_for(ofd, 1, rnd() % 2 ? KIPC_SEM_UNDO : 0);
			if (ret && ret != -ETIMEDOUT && ret != -EIDRM)
				violation("churn: wait: %s", strerror(-ret));
			if (!ret && _test_cmd_sem_post(ofd, 1) &&
			    errno != EIDRM)
				violation("churn: post: %m");
			break;
		case KIPC_OBJ_SHM:
			p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				 MAP_SHARED, ofd, 0);
			if (p == MAP_FAILED && errno != EIDRM)
				violation("churn: mmap: %m");
			if (p != MAP_FAILED) {
				*(volatile char *)p = 1;
				munmap(p, PAGE);
			}
			if (_test_cmd_shm_resize(ofd, PAGE * (1 + rnd() % 2)) &&
			    errno != EIDRM)
				violation("churn: resize: %m");
			break;
		}
		close(ofd);
	}
}

/* --- the parent ---------------------------------------------------------- */

struct worker {
	pid_t pid;
	int kind;
	int slot;
};

static pid_t spawn(const struct worker *w)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid)
		return pid;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(1);
	rnd_state = (getpid() * 2654435761U) ^ (__u32)kipc_now_ns(CLOCK_MONOTONIC);
	rnd_state |= 1;
	switch (w->kind) {
	case W_SEND:
		sender(w->slot);
		break;
	case W_RECV:
		receiver(w->slot);
		break;
	case W_UNDO:
		undo_worker(w->slot);
		break;
	case W_PLAIN:
		plain_worker(w->slot);
		break;
	case W_REGION:
		region_worker(w->slot);
		break;
	case W_CHURN:
		churn_worker(w->slot);
		break;
	}
	_exit(0);
}

FIXTURE(death) {
	int fd;
	struct kipc_nl nl;
	struct names names;
	struct ledger *ledger;
	struct worker w[NWORKERS];
};

FIXTURE_SETUP(death)
{
	int t, i;

	/* Our own namespace: its counters must come back to zero. */
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->names.mq, "mq");
	test_name(self->names.undo, "undo");
	test_name(self->names.plain, "plain");
	test_name(self->names.region, "region");
	for (t = 0; t < 3; t++)
		for (i = 0; i < NCHURN_NAMES; i++)
			snprintf(self->names.churn[t][i], KIPC_NAME_MAX,
				 "churn.%d.%d", t, i);
	self->ledger = mmap(NULL, sizeof(struct ledger),
			    PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->ledger);
	L = self->ledger;
	N = &self->names;
	devfd = self->fd;
}

FIXTURE_TEARDOWN(death)
{
	int i;

	for (i = 0; i < NWORKERS; i++)
		if (self->w[i].pid > 0)
			kill(self->w[i].pid, SIGKILL);
	while (wait(NULL) > 0)
		;
	munmap(self->ledger, sizeof(struct ledger));
	close(self->nl.fd);
	close(self->fd);
}

#define test_stat(_id, _o) test_nl_stat(&self->nl, _id, _o)

static unsigned int storm_secs(void)
{
	const char *env = getenv("KIPC_STRESS_SECS");
	const char *mode = getenv("KIPC_MODE");

	if (env && atoi(env) > 0)
		return atoi(env);
	return mode && !strcmp(mode, "debug") ? STORM_SECS_DEBUG : STORM_SECS;
}

/* A worker must die of our SIGKILL; anything else is its report. */
#define test_reap(_w)							\
	do {								\
		int __st;						\
		ASSERT_EQ((_w)->pid, waitpid((_w)->pid, &__st, 0));	\
		ASSERT_TRUE(WIFSIGNALED(__st) &&			\
			    WTERMSIG(__st) == SIGKILL)			\
			TH_LOG("worker kind %d slot %d: status %#x: %s", \
			       (_w)->kind, (_w)->slot, __st,		\
			       L->violation ? L->why : "");		\
		(_w)->pid = 0;						\
	} while (0)

TEST_F_TIMEOUT(death, storm, 240)
{
	unsigned int secs = storm_secs();
	__u64 mq_id, undo_id, plain_id, region_id, end;
	__u16 *counts;
	unsigned long kills = 0, removals = 0, unlinks = 0, samples = 0;
	unsigned long plain_lost = 0, delivered = 0, acked = 0, inflight = 0;
	union kipc_attr attr;
	struct kipc_nl_obj o;
	struct kipc_nl_msg *msgs;
	int mqfd, undofd, plainfd, regionfd, i, j, n, t;
	struct msg m;
	__u32 len, prio;
	char *p;

	/* The ledger objects, never removed while the workers run. */
	memset(&attr, 0, sizeof(attr));
	attr.mq.max_msgs = 16;
	attr.mq.max_msgsize = sizeof(struct msg);
	mqfd = test_ioctl_open(KIPC_OBJ_MQ, self->names.mq, KIPC_NEW, 0600,
			       &attr, &mq_id, NULL);
	undofd = test_sem_create(self->names.undo, UNDO_VALUE, &undo_id);
	plainfd = test_sem_create(self->names.plain, PLAIN_VALUE, &plain_id);
	regionfd = test_shm_create(self->names.region, REGION_MAX * PAGE,
				   &region_id);

	n = 0;
	for (i = 0; i < NSEND; i++)
		self->w[n++] = (struct worker){ .kind = W_SEND, .slot = i };
	for (i = 0; i < NRECV; i++)
		self->w[n++] = (struct worker){ .kind = W_RECV, .slot = i };
	for (i = 0; i < NUNDO; i++)
		self->w[n++] = (struct worker){ .kind = W_UNDO, .slot = i };
	for (i = 0; i < NPLAIN; i++)
		self->w[n++] = (struct worker){ .kind = W_PLAIN, .slot = i };
	for (i = 0; i < NREGION; i++)
		self->w[n++] = (struct worker){ .kind = W_REGION, .slot = i };
	for (i = 0; i < NCHURN; i++)
		self->w[n++] = (struct worker){ .kind = W_CHURN, .slot = i };
	for (i = 0; i < NWORKERS; i++) {
		self->w[i].pid = spawn(&self->w[i]);
		ASSERT_LT(0, self->w[i].pid);
	}

	rnd_state = getpid() | 1;
	msgs = calloc(64, sizeof(*msgs));
	ASSERT_NE(NULL, msgs);
	end = kipc_now_ns(CLOCK_MONOTONIC) + secs * 1000000000ULL;
	while (kipc_now_ns(CLOCK_MONOTONIC) < end && !L->violation) {
		struct worker *w[3];
		int nkill = 1 + rnd() % 3;

		usleep(5000 + rnd() % 20000);

		/* kill -9 one to three at once, and bring them back */
		for (i = 0; i < nkill; i++) {
			w[i] = &self->w[rnd() % NWORKERS];
			kill(w[i]->pid, SIGKILL);
		}
		for (i = 0; i < nkill; i++) {
			if (!w[i]->pid)
				continue;	/* picked twice */
			test_reap(w[i]);
			if (w[i]->kind == W_RECV)
				receiver_harvest(w[i]->slot);
			if (w[i]->kind == W_PLAIN &&
			    atomic_load(&L->plain_in[w[i]->slot])) {
				plain_lost++;
				atomic_store(&L->plain_in[w[i]->slot], 0);
			}
			kills++;
		}
		for (i = 0; i < nkill; i++) {
			if (w[i]->pid)
				continue;
			w[i]->pid = spawn(w[i]);
			ASSERT_LT(0, w[i]->pid);
		}

		/* Units are held by undo records or in the value, always. */
		test_stat(undo_id, &o);
		ASSERT_EQ((__u64)UNDO_VALUE, o.val[KIPC_A_OBJ_SEM_VALUE] +
			  o.val[KIPC_A_OBJ_SEM_UNDO_UNITS])
			TH_LOG("value %llu, undo units %llu",
			       (unsigned long long)o.val[KIPC_A_OBJ_SEM_VALUE],
			       (unsigned long long)o.val[KIPC_A_OBJ_SEM_UNDO_UNITS]);
		ASSERT_GE((__u32)PLAIN_VALUE, test_sem_value(plainfd));
		samples++;

		/* remove or unlink a churn object */
		t = rnd() % 3;
		j = rnd() % NCHURN_NAMES;
		if (rnd() % 2) {
			n = kipc_nl_obj_dump(&self->nl, msgs, 64);
			ASSERT_LE(0, n);
			for (i = 0; i < n && i < 64; i++) {
				if (strcmp(msgs[i].name, self->names.churn[t][j]) ||
				    msgs[i].val[KIPC_A_OBJ_TYPE] != kipc_types[t])
					continue;
				n = kipc_nl_obj_remove(&self->nl,
						       msgs[i].val[KIPC_A_OBJ_ID]);
				ASSERT_TRUE(!n || n == -ENOENT)
					TH_LOG("remove: %s", strerror(-n));
				removals += !n;
				break;
			}
		} else {
			n = _test_cmd_unlink(self->fd, kipc_types[t],
					     self->names.churn[t][j]);
			ASSERT_TRUE(!n || errno == ENOENT);
			unlinks += !n;
		}
	}
	for (i = 0; i < NWORKERS; i++)
		kill(self->w[i].pid, SIGKILL);
	for (i = 0; i < NWORKERS; i++) {
		test_reap(&self->w[i]);
		/* The last kill may take a plain unit too. */
		if (self->w[i].kind == W_PLAIN &&
		    atomic_load(&L->plain_in[self->w[i].slot]))
			plain_lost++;
	}
	ASSERT_FALSE(L->violation) TH_LOG("%s", L->why);
	TH_LOG("%lu kills, %lu removals, %lu unlinks, %lu undo samples",
	       kills, removals, unlinks, samples);

	/* --- the queue: exactly once, in order -------------------------- */
	counts = calloc((size_t)NSEND * MAXSEQ, sizeof(*counts));
	ASSERT_NE(NULL, counts);
	for (i = 0; i < NRECV; i++) {
		struct recv_slot *r = &L->recv[i];
		__u64 last[NSEND][4];
		__u32 k;

		memset(last, 0xff, sizeof(last));
		/* A receiver killed after its call, before its commit. */
		receiver_harvest(i);
		k = atomic_load(&r->n);
		for (j = 0; j < (int)k; j++) {
			__u32 s = r->log[j] >> 40, pr = (r->log[j] >> 32) & 0xff;
			__u32 seq = (__u32)r->log[j];

			ASSERT_GT(NSEND, (int)s);
			/* FIFO within a priority, per sender. */
			ASSERT_TRUE(last[s][pr] == ~0ULL || last[s][pr] < seq)
				TH_LOG("receiver %d: sender %u prio %u: %llu after %u",
				       i, s, pr, (unsigned long long)last[s][pr],
				       seq);
			last[s][pr] = seq;
			counts[(size_t)s * MAXSEQ + seq]++;
			delivered++;
		}
	}
	/* What is still queued. */
	for (;;) {
		int ret = _test_cmd_mq_recv(mqfd, &m, sizeof(m),
					    KIPC_WAIT_NONBLOCK, &len, &prio);

		if (ret < 0) {
			ASSERT_EQ(EAGAIN, errno);
			break;
		}
		ASSERT_TRUE(msg_valid(&m));
		counts[(size_t)m.slot * MAXSEQ + m.seq]++;
		delivered++;
	}
	for (i = 0; i < NSEND; i++) {
		struct send_slot *s = &L->send[i];
		__u32 next = atomic_load(&s->next), seq;

		for (seq = 0; seq < MAXSEQ; seq++) {
			unsigned int c = counts[(size_t)i * MAXSEQ + seq];
			int st = seq < next ? atomic_load(&s->status[seq]) :
					      ST_UNSENT;

			switch (st) {
			case ST_ACKED:
				acked++;
				ASSERT_EQ(1U, c)
					TH_LOG("sender %d seq %u: acknowledged, delivered %u times",
					       i, seq, c);
				break;
			case ST_INFLIGHT:
				inflight++;
				ASSERT_GE(1U, c)
					TH_LOG("sender %d seq %u: in flight, delivered %u times",
					       i, seq, c);
				break;
			default:
				ASSERT_EQ(0U, c)
					TH_LOG("sender %d seq %u: never sent (%d), delivered %u times",
					       i, seq, st, c);
			}
		}
	}
	free(counts);
	TH_LOG("%lu messages delivered: %lu acknowledged, %lu of %lu in flight when killed",
	       delivered, acked, delivered - acked, inflight);
	ASSERT_LT(0UL, acked);
	test_stat(mq_id, &o);
	ASSERT_EQ(delivered, o.val[KIPC_A_OBJ_MQ_SENDS]);
	ASSERT_EQ(delivered, o.val[KIPC_A_OBJ_MQ_RECVS]);
	ASSERT_EQ(0ULL, o.val[KIPC_A_OBJ_MQ_DEPTH]);
	ASSERT_EQ(0ULL, o.val[KIPC_A_OBJ_MQ_WAIT_SEND]);
	ASSERT_EQ(0ULL, o.val[KIPC_A_OBJ_MQ_WAIT_RECV]);

	/* --- the semaphores ---------------------------------------------- */
	test_stat(undo_id, &o);
	ASSERT_EQ((__u64)UNDO_VALUE, o.val[KIPC_A_OBJ_SEM_VALUE]);
	ASSERT_EQ(0ULL, o.val[KIPC_A_OBJ_SEM_UNDO_HOLDERS]);
	ASSERT_EQ(0ULL, o.val[KIPC_A_OBJ_SEM_UNDO_UNITS]);
	ASSERT_EQ(0ULL, o.val[KIPC_A_OBJ_SEM_WAITERS]);
	TH_LOG("undo semaphore: %llu units recovered from the dead",
	       (unsigned long long)o.val[KIPC_A_OBJ_SEM_RECOVERED]);
	test_stat(plain_id, &o);
	ASSERT_GE((__u64)PLAIN_VALUE, o.val[KIPC_A_OBJ_SEM_VALUE]);
	ASSERT_LE((__u64)PLAIN_VALUE, o.val[KIPC_A_OBJ_SEM_VALUE] + plain_lost)
		TH_LOG("value %llu, at most %lu lost",
		       (unsigned long long)o.val[KIPC_A_OBJ_SEM_VALUE],
		       plain_lost);
	ASSERT_EQ(0ULL, o.val[KIPC_A_OBJ_SEM_WAITERS]);
	ASSERT_EQ(0ULL, o.val[KIPC_A_OBJ_SEM_UNDO_HOLDERS]);

	/* --- the region --------------------------------------------------- */
	test_stat(region_id, &o);
	ASSERT_EQ(0ULL, o.val[KIPC_A_OBJ_SHM_NATTCH]);
	ASSERT_LE(REGION_MIN * PAGE, o.val[KIPC_A_OBJ_SHM_SIZE]);
	ASSERT_GE(REGION_MAX * PAGE, o.val[KIPC_A_OBJ_SHM_SIZE]);
	ASSERT_EQ((o.val[KIPC_A_OBJ_SHM_SIZE] + PAGE - 1) & ~(PAGE - 1),
		  o.val[KIPC_A_OBJ_BYTES]);
	p = test_shm_mmap(regionfd, PAGE, PROT_READ, MAP_SHARED, 0);
	for (i = 0; i < NREGION; i++)
		ASSERT_TRUE(region_stamp_ok(p, i));
	ASSERT_EQ(0, munmap(p, PAGE));
	/* A shrink gives the pages back. */
	test_ioctl_shm_resize(regionfd, PAGE);
	test_stat(region_id, &o);
	ASSERT_GE(1ULL, o.val[KIPC_A_OBJ_SHM_RESIDENT]);
	ASSERT_EQ(PAGE, o.val[KIPC_A_OBJ_BYTES]);

	/* --- and nothing is left ------------------------------------------ */
	for (t = 0; t < 3; t++)
		for (j = 0; j < NCHURN_NAMES; j++)
			_test_cmd_unlink(self->fd, kipc_types[t],
					 self->names.churn[t][j]);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->names.mq);
	test_ioctl_unlink(KIPC_OBJ_SEM, self->names.undo);
	test_ioctl_unlink(KIPC_OBJ_SEM, self->names.plain);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->names.region);
	close(mqfd);
	close(undofd);
	close(plainfd);
	close(regionfd);
	free(msgs);
	ASSERT_EQ(0ULL, test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_OBJECTS));
	ASSERT_EQ(0ULL, test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES));
	ASSERT_EQ(0ULL, test_nl_stats_attr(&self->nl, KIPC_A_STATS_MQS));
	ASSERT_EQ(0ULL, test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS));
	ASSERT_EQ(0ULL, test_nl_stats_attr(&self->nl, KIPC_A_STATS_SEMS));
}

TEST_HARNESS_MAIN
