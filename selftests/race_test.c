// SPDX-License-Identifier: GPL-2.0-only
/*
 * Race loops in the style of LTP's fuzzy-sync (see kipc_fzsync.h): two
 * threads meet at a barrier every iteration and make two calls whose
 * windows a random delay slides across each other. Each loop checks an
 * invariant after every iteration, not only that nothing crashed:
 *
 *  - unlink_vs_open: an open by name racing an unlink (and the destroy of
 *    the last fd, or a re-create) gets ENOENT or exactly the object that
 *    had the name, alive and usable;
 *  - create_vs_lookup: an object is never visible half-made, by name or
 *    over netlink, and of two racing creates exactly one creates;
 *  - close_vs_epoll: closing or removing an object while another thread
 *    sits in epoll_wait() or poll() on it (CVE-2019-2215's pattern), and a
 *    process exiting while one of its threads does;
 *  - mmap_vs_resize: mmap, mremap and munmap racing a resize never fault
 *    below the smallest size, never lose data there, and the mapping count
 *    returns to zero;
 *  - remove_vs_waiters: a blocked receiver, sender or semaphore waiter
 *    always wakes with EIDRM when an administrator removes the object;
 *  - undo_vs_post: the undo release of a closing description racing posts
 *    and waits gives back exactly what it held, and a waiter that gets it
 *    is told KIPC_SEM_RECOVERED;
 *  - send_vs_remove: every send either succeeds before the removal or
 *    fails with EIDRM, and the queue's counters account for every message;
 *  - seal_vs_mmap: KIPC_SEAL_WRITE and a writable mapping never both
 *    succeed;
 *  - close_vs_remove: an admin removal racing the last close.
 *
 * Two windows are too narrow to hit by chance, so userfaultfd holds them
 * open: remove_during_failed_copy (a removal while a receiver's failing
 * copy-out holds the message) and create_respond_fault (a lookup while a
 * create's write-back is about to fail).
 *
 * rmmod racing an open lives in unload_test.c, which runs last.
 *
 * Each loop is bounded by iterations and by time (8 s, KIPC_RACE_SECS
 * overrides; KIPC_MODE=debug runs a tenth of the iterations). The tests
 * run in an IPC namespace of their own, so netlink dumps see only them.
 */
#include <pthread.h>
#include <sys/eventfd.h>
#include <linux/userfaultfd.h>

#include "kipc_test.h"
#include "kipc_fzsync.h"

#define RACE_SECS	8
#define RACE_ITERS	100000
#define RACE_TIMEOUT	60
/* A blocked call that nothing wakes within this has lost its wake-up. */
#define RACE_WAIT_NS	(5 * 1000000000ULL)

struct race;
typedef void (*race_fn_t)(struct race *r);

/*
 * What both sides share. A sets up the iteration (mode, objects) before
 * the start barrier, B leaves its results before the end barrier, and A
 * checks them after it.
 */
struct race {
	struct kipc_fzs f;
	pthread_t thread;
	race_fn_t b;
	int fd;			/* /dev/kipc */
	struct kipc_nl nl;	/* B's netlink socket */
	const char *name;
	unsigned int mode;
	__u32 type;
	int objfd;
	int objfd2;
	__u64 id;
	__u64 id2;
	int epfd;
	int efd;
	int count;
	/* B's results */
	int b_ret;
	int b_err;
	int b_fd;
	__u32 b_flags;
	__u64 b_id;
	int b_n;
	__u32 b_seq[8];
	char *b_map;
	char *b_map2;
	char b_why[256];
};

#define race_check(_r, _cond, _fmt, ...)				\
	do {								\
		if (!(_cond))						\
			kipc_fzs_fail(&(_r)->f, "iteration %lu, mode %u: " \
				      _fmt, (_r)->f.iter, (_r)->mode,	\
				      ##__VA_ARGS__);			\
	} while (0)

static void *race_b_main(void *arg)
{
	struct race *r = arg;

	while (kipc_fzs_start_b(&r->f)) {
		r->b(r);
		kipc_fzs_end_b(&r->f);
	}
	return NULL;
}

FIXTURE(race) {
	int fd;
	struct kipc_nl nl;
	char name[KIPC_NAME_MAX + 1];
	struct race *r;
};

FIXTURE_SETUP(race)
{
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "races need two CPUs, the guest has one");
	/* Our own namespace: dumps and counters see only this test. */
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	umask(0);
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->name, "r");
	self->r = calloc(1, sizeof(*self->r));
	ASSERT_NE(NULL, self->r);
	self->r->fd = self->fd;
	self->r->name = self->name;
	self->r->objfd = -1;
	self->r->objfd2 = -1;
	self->r->b_fd = -1;
	test_nl_open(&self->r->nl);
}

FIXTURE_TEARDOWN(race)
{
	unsigned int i;

	if (!self->r)
		return;
	for (i = 0; i < KIPC_NR_TYPES; i++)
		_test_cmd_unlink(self->fd, kipc_types[i], self->name);
	close(self->r->nl.fd);
	free(self->r);
	close(self->nl.fd);
	close(self->fd);
}

static void race_start(struct __test_metadata *_metadata, struct race *r,
		       race_fn_t b)
{
	kipc_fzs_init(&r->f, RACE_ITERS, RACE_SECS);
	r->b = b;
	ASSERT_EQ(0, pthread_create(&r->thread, NULL, race_b_main, r));
}

/* Join B, log what ran, and fail with the first broken invariant. */
#define race_finish(_r)							\
	do {								\
		ASSERT_EQ(0, pthread_join((_r)->thread, NULL));		\
		TH_LOG("%lu iterations, %lu with overlapping windows",	\
		       (_r)->f.iter, (_r)->f.overlaps);			\
		ASSERT_FALSE(kipc_fzs_failed(&(_r)->f))			\
			TH_LOG("%s", (_r)->f.why);			\
		ASSERT_LT(0UL, (_r)->f.iter);				\
	} while (0)

/*
 * Last in each test, once its own checks are done: a loop that never
 * overlapped its two windows tested only serial orders. With two CPUs that
 * is a failure, with one a skip that says so.
 */
#define race_overlapped(_r)						\
	do {								\
		if (!(_r)->f.overlaps && kipc_fzs_cpus() < 2)		\
			SKIP(return, "%ld CPU online: %lu iterations, none overlapping", \
			     kipc_fzs_cpus(), (_r)->f.iter);		\
		ASSERT_LT(0UL, (_r)->f.overlaps)			\
			TH_LOG("%lu iterations on %ld CPUs, none overlapping", \
			       (_r)->f.iter, kipc_fzs_cpus());		\
	} while (0)

/* Objects in our namespace, as netlink counts them. */
static int race_ns_objects(struct kipc_nl *nl)
{
	struct kipc_nl_msg m;

	if (kipc_nl_stats_get(nl, &m) || !m.has[KIPC_A_STATS_NS_OBJECTS])
		return -1;
	return m.val[KIPC_A_STATS_NS_OBJECTS];
}

static __u64 race_deadline(void)
{
	return kipc_now_ns(CLOCK_MONOTONIC) + RACE_WAIT_NS;
}

/* Attributes that differ by @which, so the creator can be told apart. */
static union kipc_attr race_attr(__u32 type, int which)
{
	union kipc_attr a;

	memset(&a, 0, sizeof(a));
	switch (type) {
	case KIPC_OBJ_MQ:
		a.mq.max_msgs = 3 + which;
		a.mq.max_msgsize = 100 + which;
		break;
	case KIPC_OBJ_SHM:
		a.shm.size = 5000 + which;
		break;
	case KIPC_OBJ_SEM:
		a.sem.value = 40 + which;
		break;
	}
	return a;
}

static __u64 race_charge(__u32 type, int which)
{
	union kipc_attr a = race_attr(type, which);

	switch (type) {
	case KIPC_OBJ_MQ:
		return (__u64)a.mq.max_msgs * a.mq.max_msgsize;
	case KIPC_OBJ_SHM:
		return (a.shm.size + 4095) & ~4095ULL;
	}
	return 0;
}

/* Use an object once, as its type allows; 0 or an errno. */
static int race_use(int ofd, __u32 type)
{
	char buf[128] = "x";
	__u32 len, prio;
	void *p;

	switch (type) {
	case KIPC_OBJ_MQ:
		if (_test_cmd_mq_send(ofd, buf, 1, 0, KIPC_WAIT_NONBLOCK) ||
		    _test_cmd_mq_recv(ofd, buf, sizeof(buf),
				      KIPC_WAIT_NONBLOCK, &len, &prio) != 1)
			return errno;
		return 0;
	case KIPC_OBJ_SHM:
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ofd,
			 0);
		if (p == MAP_FAILED)
			return errno;
		*(volatile char *)p = 1;
		munmap(p, 4096);
		return 0;
	case KIPC_OBJ_SEM:
		if (_test_cmd_sem_post(ofd, 1) ||
		    _test_cmd_sem_wait(ofd, 1, KIPC_WAIT_NONBLOCK, 0, 0, NULL))
			return errno;
		return 0;
	}
	return EINVAL;
}

/* --- unlink (and destroy) vs open by name ------------------------------ */

static void unlink_vs_open_b(struct race *r)
{
	__u64 id = 0;

	r->b_fd = _test_cmd_open(r->fd, r->type, r->name, KIPC_RW, 0, NULL,
				 &id, NULL);
	r->b_err = r->b_fd < 0 ? errno : 0;
	r->b_id = id;
}

/*
 * Mode 0: A unlinks the name and closes the only fd, destroying the
 * object. Mode 1: A unlinks and creates a new object of the same name.
 * B opens by name: it gets ENOENT, or an object that had the name, whole.
 */
TEST_F_TIMEOUT(race, unlink_vs_open, RACE_TIMEOUT)
{
	struct race *r = self->r;
	union kipc_attr attr;
	int newfd;

	race_start(_metadata, r, unlink_vs_open_b);
	for (;;) {
		r->type = kipc_types[r->f.iter % KIPC_NR_TYPES];
		r->mode = (r->f.iter / KIPC_NR_TYPES) % 2;
		attr = race_attr(r->type, 0);
		r->objfd = _test_cmd_open(r->fd, r->type, r->name, KIPC_NEW,
					  0600, &attr, &r->id, NULL);
		race_check(r, r->objfd >= 0, "create: %s", strerror(errno));
		r->id2 = 0;
		newfd = -1;
		if (!kipc_fzs_start_a(&r->f)) {
			close(r->objfd);
			_test_cmd_unlink(r->fd, r->type, r->name);
			break;
		}

		race_check(r, !_test_cmd_unlink(r->fd, r->type, r->name),
			   "unlink: %s", strerror(errno));
		if (r->mode == 1) {
			newfd = _test_cmd_open(r->fd, r->type, r->name,
					       KIPC_NEW, 0600, &attr, &r->id2,
					       NULL);
			race_check(r, newfd >= 0, "re-create: %s",
				   strerror(errno));
		}
		close(r->objfd);
		kipc_fzs_end_a(&r->f);

		if (r->b_fd < 0) {
			race_check(r, r->b_err == ENOENT, "open: %s",
				   strerror(r->b_err));
		} else {
			struct kipc_info info;
			bool old = r->b_id == r->id;

			race_check(r, old || (r->mode == 1 && r->b_id == r->id2),
				   "opened id %llu, not %llu or %llu",
				   (unsigned long long)r->b_id,
				   (unsigned long long)r->id,
				   (unsigned long long)r->id2);
			race_check(r, !_test_cmd_info(r->b_fd, &info),
				   "info: %s", strerror(errno));
			race_check(r, info.out_id == r->b_id &&
				   info.out_type == r->type &&
				   !strcmp(info.out_name, r->name) &&
				   !memcmp(&info.out_attr, &attr,
					   sizeof(attr)),
				   "info of %llu is not the object's",
				   (unsigned long long)r->b_id);
			race_check(r, info.out_state ==
				   (old ? KIPC_STATE_UNLINKED : 0),
				   "state %#x", info.out_state);
			race_check(r, !race_use(r->b_fd, r->type),
				   "the opened object does not work: %s",
				   strerror(race_use(r->b_fd, r->type)));
			close(r->b_fd);
			r->b_fd = -1;
		}
		if (newfd >= 0) {
			close(newfd);
			_test_cmd_unlink(r->fd, r->type, r->name);
		}
		/* The old object is gone with its last fd. */
		race_check(r, race_ns_objects(&self->nl) == 0,
			   "%d objects left", race_ns_objects(&self->nl));
	}
	race_finish(r);
	race_overlapped(r);
}

/* --- create vs lookup ---------------------------------------------------- */

/*
 * Every field netlink reports for an object that A creates with
 * race_attr(type, which) and mode 0640 (0604 for B's), and that nobody
 * has used yet.
 */
static bool race_nl_whole(struct race *r, const struct kipc_nl_msg *m,
			  const struct kipc_nl_obj *o, int which)
{
	union kipc_attr a = race_attr(r->type, which);
	__u64 now = kipc_now_ns(CLOCK_REALTIME);

	if (strcmp(m->name, r->name) ||
	    o->val[KIPC_A_OBJ_TYPE] != r->type ||
	    o->val[KIPC_A_OBJ_MODE] != (which ? 0604U : 0640U) ||
	    o->val[KIPC_A_OBJ_UID] != getuid() ||
	    o->val[KIPC_A_OBJ_GID] != getgid() ||
	    o->val[KIPC_A_OBJ_CUID] != getuid() ||
	    o->val[KIPC_A_OBJ_CGID] != getgid() ||
	    o->val[KIPC_A_OBJ_CPID] != (__u64)getpid() ||
	    !o->val[KIPC_A_OBJ_CTIME] || o->val[KIPC_A_OBJ_CTIME] > now ||
	    o->val[KIPC_A_OBJ_STATE] != 0 ||
	    o->val[KIPC_A_OBJ_BYTES] != race_charge(r->type, which))
		return false;
	switch (r->type) {
	case KIPC_OBJ_MQ:
		return o->val[KIPC_A_OBJ_MQ_MAX_MSGS] == a.mq.max_msgs &&
		       o->val[KIPC_A_OBJ_MQ_MAX_MSGSIZE] == a.mq.max_msgsize &&
		       o->has[KIPC_A_OBJ_MQ_DEPTH] &&
		       !o->val[KIPC_A_OBJ_MQ_DEPTH] &&
		       !o->val[KIPC_A_OBJ_MQ_SENDS];
	case KIPC_OBJ_SHM:
		return o->val[KIPC_A_OBJ_SHM_SIZE] == a.shm.size &&
		       o->has[KIPC_A_OBJ_SHM_NATTCH] &&
		       !o->val[KIPC_A_OBJ_SHM_NATTCH] &&
		       !o->val[KIPC_A_OBJ_SHM_SEALS];
	case KIPC_OBJ_SEM:
		return o->has[KIPC_A_OBJ_SEM_VALUE] &&
		       o->val[KIPC_A_OBJ_SEM_VALUE] == a.sem.value &&
		       !o->val[KIPC_A_OBJ_SEM_POSTS];
	}
	return false;
}

/* The same for KIPC_IOC_INFO on an fd of the object. */
static bool race_info_whole(struct race *r, int ofd, int which)
{
	union kipc_attr a = race_attr(r->type, which);
	struct kipc_info info;

	if (_test_cmd_info(ofd, &info))
		return false;
	return info.out_type == r->type &&
	       info.out_mode == (which ? 0604U : 0640U) &&
	       info.out_uid == getuid() && info.out_cuid == getuid() &&
	       info.out_gid == getgid() && info.out_cgid == getgid() &&
	       info.out_state == 0 && !strcmp(info.out_name, r->name) &&
	       !memcmp(&info.out_attr, &a, sizeof(a));
}

static void create_vs_lookup_b(struct race *r)
{
	union kipc_attr attr = race_attr(r->type, 1);
	struct kipc_nl_msg *msgs;
	__u32 flags = 0;
	__u64 id = 0;
	int i, n, tries;

	r->b_fd = -1;
	r->b_err = 0;
	r->b_why[0] = 0;
	switch (r->mode) {
	case 0:
		/* Create too: exactly one of A and B does. */
		r->b_fd = _test_cmd_open(r->fd, r->type, r->name,
					 KIPC_RW | KIPC_OPEN_CREATE, 0604,
					 &attr, &id, &flags);
		r->b_err = r->b_fd < 0 ? errno : 0;
		r->b_flags = flags;
		r->b_id = id;
		break;
	case 1:
		/* Open by name as soon as it resolves. */
		for (tries = 0; tries < 50 && r->b_fd < 0; tries++) {
			r->b_fd = _test_cmd_open(r->fd, r->type, r->name,
						 KIPC_RW, 0, NULL, &id, NULL);
			r->b_err = r->b_fd < 0 ? errno : 0;
			if (r->b_fd < 0 && r->b_err != ENOENT)
				break;
		}
		r->b_id = id;
		if (r->b_fd >= 0 && !race_info_whole(r, r->b_fd, 0))
			snprintf(r->b_why, sizeof(r->b_why),
				 "opened by name, but half-made");
		break;
	case 2:
		/* Dump, and look at each object that shows up whole. */
		msgs = calloc(16, sizeof(*msgs));
		if (!msgs) {
			r->b_err = ENOMEM;
			break;
		}
		r->b_n = 0;
		for (tries = 0; tries < 3 && !r->b_n; tries++) {
			n = kipc_nl_obj_dump(&r->nl, msgs, 16);
			if (n < 0) {
				r->b_err = -n;
				break;
			}
			for (i = 0; i < n && i < 16; i++) {
				struct kipc_nl_obj o;
				int ret;

				if (strcmp(msgs[i].name, r->name))
					continue;
				r->b_n++;
				ret = kipc_nl_obj_stat(&r->nl,
						       msgs[i].val[KIPC_A_OBJ_ID],
						       &o);
				/* It may go before the get, not be half-made. */
				if (ret == -ENOENT)
					continue;
				if (ret || !race_nl_whole(r, &msgs[i], &o, 0)) {
					snprintf(r->b_why, sizeof(r->b_why),
						 "netlink shows object %llu half-made (get %d)",
						 (unsigned long long)msgs[i].val[KIPC_A_OBJ_ID],
						 ret);
					break;
				}
			}
		}
		free(msgs);
		break;
	}
}

TEST_F_TIMEOUT(race, create_vs_lookup, RACE_TIMEOUT)
{
	struct race *r = self->r;
	union kipc_attr attr;
	struct kipc_nl_msg m;
	struct kipc_nl_obj o;
	__u32 flags;
	int err;

	race_start(_metadata, r, create_vs_lookup_b);
	for (;;) {
		r->mode = r->f.iter % 3;
		r->type = kipc_types[(r->f.iter / 3) % KIPC_NR_TYPES];
		attr = race_attr(r->type, 0);
		flags = 0;
		if (!kipc_fzs_start_a(&r->f))
			break;
		r->objfd = _test_cmd_open(r->fd, r->type, r->name,
					  KIPC_RW | KIPC_OPEN_CREATE, 0640,
					  &attr, &r->id, &flags);
		err = r->objfd < 0 ? errno : 0;
		kipc_fzs_end_a(&r->f);

		race_check(r, r->objfd >= 0, "create: %s", strerror(err));
		race_check(r, !r->b_why[0], "%s", r->b_why);
		switch (r->mode) {
		case 0:
			race_check(r, r->b_fd >= 0, "B's create: %s",
				   strerror(r->b_err));
			race_check(r, r->b_id == r->id,
				   "two objects for one name: %llu and %llu",
				   (unsigned long long)r->id,
				   (unsigned long long)r->b_id);
			race_check(r, (flags ^ r->b_flags) ==
				   KIPC_OPEN_OUT_CREATED,
				   "created by A: %d, by B: %d",
				   !!(flags & KIPC_OPEN_OUT_CREATED),
				   !!(r->b_flags & KIPC_OPEN_OUT_CREATED));
			/* What the creator asked for, whoever opened it. */
			if (r->objfd >= 0 && r->b_fd >= 0) {
				int which = r->b_flags &
					    KIPC_OPEN_OUT_CREATED ? 1 : 0;

				race_check(r, race_info_whole(r, r->objfd,
							      which) &&
					   race_info_whole(r, r->b_fd, which),
					   "the object is not its creator's");
				race_check(r, !kipc_nl_obj_get(&self->nl,
							       r->id, &m) &&
					   !kipc_nl_obj_stat(&self->nl, r->id,
							     &o) &&
					   race_nl_whole(r, &m, &o, which),
					   "netlink: not the creator's");
			}
			break;
		case 1:
			race_check(r, r->b_fd < 0 ? r->b_err == ENOENT :
				   r->b_id == r->id, "open: %s, id %llu",
				   strerror(r->b_err),
				   (unsigned long long)r->b_id);
			break;
		case 2:
			race_check(r, !r->b_err, "dump: %s",
				   strerror(r->b_err));
			break;
		}
		if (r->b_fd >= 0)
			close(r->b_fd);
		r->b_fd = -1;
		if (r->objfd >= 0)
			close(r->objfd);
		race_check(r, !_test_cmd_unlink(r->fd, r->type, r->name),
			   "unlink: %s", strerror(errno));
	}
	race_finish(r);
	ASSERT_EQ(0, race_ns_objects(&self->nl));
	race_overlapped(r);
}

/* --- close vs epoll_wait and poll ---------------------------------------- */

static void close_vs_epoll_b(struct race *r)
{
	char msg = 'm';
	__u64 one = 1;
	int ret;

	r->b_err = 0;
	switch (r->mode) {
	case 0:
		/* The last fd goes: epoll must drop its item first. */
		close(r->objfd);
		break;
	case 1:
		ret = kipc_nl_obj_remove(&r->nl, r->id);
		r->b_err = -ret;
		close(r->objfd);
		break;
	case 2:
	case 4:
		if (r->type == KIPC_OBJ_SEM)
			ret = _test_cmd_sem_post(r->objfd, 1);
		else
			ret = _test_cmd_mq_send(r->objfd, &msg, 1, 0,
						KIPC_WAIT_NONBLOCK);
		r->b_err = ret ? errno : 0;
		close(r->objfd);
		break;
	case 3:
		return;
	}
	if (write(r->efd, &one, sizeof(one)) != sizeof(one))
		r->b_err = errno;
}

static void *race_epoll_waiter(void *arg)
{
	struct epoll_event ev;
	struct race *r = arg;

	/* Whatever it waits for, its process exits under it. */
	epoll_wait(r->epfd, &ev, 1, 10000);
	return NULL;
}

/*
 * Mode 3: a child process with a thread entering epoll_wait() on the object
 * exits at once; its fds close under the thread.
 */
static int race_exit_under_epoll(struct race *r)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		pthread_t t;

		if (pthread_create(&t, NULL, race_epoll_waiter, r))
			_exit(2);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : ECHILD;
}

TEST_F_TIMEOUT(race, close_vs_epoll, RACE_TIMEOUT)
{
	struct race *r = self->r;
	union kipc_attr attr;
	struct epoll_event ev, evs[4];
	struct kipc_nl_obj o;
	struct pollfd pfd;
	int n, i, shmfd;
	__u32 kev;
	__u64 cnt;

	/* A region does not poll: it cannot be added to an epoll set. */
	shmfd = test_ioctl_create(KIPC_OBJ_SHM, self->name, 0600, NULL);
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, r->epfd);
	ev.events = EPOLLIN;
	ev.data.u64 = 1;
	EXPECT_ERRNO(EPERM, epoll_ctl(r->epfd, EPOLL_CTL_ADD, shmfd, &ev));
	close(r->epfd);
	close(shmfd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);

	race_start(_metadata, r, close_vs_epoll_b);
	for (;;) {
		r->mode = r->f.iter % 5;
		r->type = (r->f.iter / 5) % 2 ? KIPC_OBJ_SEM : KIPC_OBJ_MQ;
		attr = kipc_attr_of(r->type);
		if (r->type == KIPC_OBJ_SEM)
			attr.sem.value = 0;
		r->objfd = _test_cmd_open(r->fd, r->type, r->name, KIPC_NEW,
					  0600, &attr, &r->id, NULL);
		race_check(r, r->objfd >= 0, "create: %s", strerror(errno));
		_test_cmd_unlink(r->fd, r->type, r->name);
		r->epfd = epoll_create1(EPOLL_CLOEXEC);
		r->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		ev.events = EPOLLIN;
		ev.data.u64 = 1;
		race_check(r, !epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->objfd,
					 &ev), "epoll_ctl: %s",
			   strerror(errno));
		ev.data.u64 = 2;
		epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->efd, &ev);
		if (!kipc_fzs_start_a(&r->f)) {
			close(r->objfd);
			close(r->epfd);
			close(r->efd);
			break;
		}

		kev = 0;
		if (r->mode == 3) {
			n = race_exit_under_epoll(r);
			race_check(r, !n, "child: %s", strerror(n));
		} else if (r->mode == 4) {
			pfd.fd = r->objfd;
			pfd.events = POLLIN;
			n = poll(&pfd, 1, RACE_WAIT_NS / 1000000);
			race_check(r, n == 1 && (pfd.revents == POLLIN ||
						 pfd.revents == POLLNVAL),
				   "poll: %d, revents %#x", n, pfd.revents);
		} else {
			bool woken = false;

			while (!woken) {
				n = epoll_wait(r->epfd, evs, 4,
					       RACE_WAIT_NS / 1000000);
				race_check(r, n > 0, "epoll_wait: %d (%s)", n,
					   n ? strerror(errno) : "lost wake-up");
				if (n <= 0)
					break;
				for (i = 0; i < n; i++) {
					if (evs[i].data.u64 == 2)
						woken = true;
					else
						kev |= evs[i].events;
				}
			}
		}
		kipc_fzs_end_a(&r->f);

		race_check(r, !r->b_err, "B: %s", strerror(r->b_err));
		switch (r->mode) {
		case 0:
			race_check(r, !kev, "events %#x from a quiet object",
				   kev);
			break;
		case 1:
			race_check(r, !kev || (kev & EPOLLHUP),
				   "removed, but events %#x", kev);
			break;
		case 2:
			race_check(r, !kev || kev == EPOLLIN,
				   "readable, but events %#x", kev);
			break;
		case 3:
			close(r->objfd);
			break;
		}
		/* The object is gone, and so is its epoll item. */
		read(r->efd, &cnt, sizeof(cnt));
		n = epoll_wait(r->epfd, evs, 4, 0);
		race_check(r, n == 0, "epoll_wait after close: %d, events %#x",
			   n, n > 0 ? evs[0].events : 0);
		close(r->epfd);
		close(r->efd);
		race_check(r, kipc_nl_obj_stat(&self->nl, r->id, &o) == -ENOENT,
			   "object %llu outlived its last fd",
			   (unsigned long long)r->id);
	}
	race_finish(r);
	ASSERT_EQ(0, race_ns_objects(&self->nl));
	race_overlapped(r);
}

/* --- mmap, mremap and munmap vs resize ----------------------------------- */

#define RACE_PAGE	4096UL
#define RACE_MIN_PAGES	2
#define RACE_MAX_PAGES	16

/* Touch every page of @p: no fault below the smallest size, SIGBUS above. */
static void race_probe_map(struct race *r, char *p, size_t len)
{
	size_t off;
	char c;
	int sig;

	for (off = 0; off < len; off += RACE_PAGE) {
		c = 0;
		sig = kipc_probe(p + off + 7, false, 0, &c);
		if (off < RACE_MIN_PAGES * RACE_PAGE) {
			if (sig || c != kipc_pattern(1, off + 7)) {
				snprintf(r->b_why, sizeof(r->b_why),
					 "offset %zu: signal %d, byte %#x",
					 off + 7, sig, c & 0xff);
				return;
			}
		} else if (sig && sig != SIGBUS) {
			snprintf(r->b_why, sizeof(r->b_why),
				 "offset %zu: signal %d", off + 7, sig);
			return;
		}
	}
}

static void mmap_vs_resize_b(struct race *r)
{
	size_t max = RACE_MAX_PAGES * RACE_PAGE;
	char *p, *q;

	r->b_why[0] = 0;
	switch (r->mode) {
	case 0:
		/* map, touch, unmap */
		p = mmap(NULL, max, PROT_READ, MAP_SHARED, r->objfd, 0);
		if (p == MAP_FAILED)
			break;
		race_probe_map(r, p, max);
		munmap(p, max);
		return;
	case 1:
		/* mremap a small mapping up, then touch it */
		p = mmap(NULL, RACE_PAGE, PROT_READ, MAP_SHARED, r->objfd, 0);
		if (p == MAP_FAILED)
			break;
		q = mremap(p, RACE_PAGE, max, MREMAP_MAYMOVE);
		if (q == MAP_FAILED) {
			munmap(p, RACE_PAGE);
			break;
		}
		race_probe_map(r, q, max);
		munmap(q, max);
		return;
	case 2:
		/* mremap a mapping down to its head */
		p = mmap(NULL, max, PROT_READ, MAP_SHARED, r->objfd, 0);
		if (p == MAP_FAILED)
			break;
		q = mremap(p, max, RACE_MIN_PAGES * RACE_PAGE, 0);
		if (q == MAP_FAILED) {
			munmap(p, max);
			break;
		}
		race_probe_map(r, q, RACE_MIN_PAGES * RACE_PAGE);
		munmap(q, RACE_MIN_PAGES * RACE_PAGE);
		return;
	case 3:
		/* split the vma with a hole, then unmap the pieces */
		p = mmap(NULL, max, PROT_READ, MAP_SHARED, r->objfd, 0);
		if (p == MAP_FAILED)
			break;
		munmap(p + 4 * RACE_PAGE, 2 * RACE_PAGE);
		race_probe_map(r, p, RACE_MIN_PAGES * RACE_PAGE);
		munmap(p, max);
		return;
	}
	snprintf(r->b_why, sizeof(r->b_why), "map: %s", strerror(errno));
}

TEST_F_TIMEOUT(race, mmap_vs_resize, RACE_TIMEOUT)
{
	struct race *r = self->r;
	size_t max = RACE_MAX_PAGES * RACE_PAGE;
	__u64 size, last = max, seed = getpid();
	struct kipc_nl_obj o;
	char *p;

	r->objfd = test_shm_create(self->name, max, &r->id);
	p = test_shm_mmap(r->objfd, max, PROT_READ | PROT_WRITE, MAP_SHARED,
			  0);
	kipc_fill(p, RACE_MIN_PAGES * RACE_PAGE, 1);
	ASSERT_EQ(0, munmap(p, max));

	race_start(_metadata, r, mmap_vs_resize_b);
	for (;;) {
		r->mode = r->f.iter % 4;
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		/* Anywhere from the smallest size to the largest, unaligned. */
		size = RACE_MIN_PAGES * RACE_PAGE +
		       (seed >> 33) % ((RACE_MAX_PAGES - RACE_MIN_PAGES) *
				       RACE_PAGE + 1);
		if (!kipc_fzs_start_a(&r->f))
			break;
		r->b_ret = _test_cmd_shm_resize(r->objfd, size);
		r->b_err = r->b_ret ? errno : 0;
		kipc_fzs_end_a(&r->f);
		if (!r->b_err)
			last = size;

		race_check(r, !r->b_err, "resize to %llu: %s",
			   (unsigned long long)size, strerror(r->b_err));
		race_check(r, !r->b_why[0], "%s", r->b_why);
	}
	race_finish(r);

	/* Every mapping is gone, and the size is the last one set. */
	ASSERT_EQ(0U, test_shm_stat(r->objfd, out_nattch));
	ASSERT_EQ(last, test_shm_stat(r->objfd, out_size));
	test_nl_stat(&self->nl, r->id, &o);
	ASSERT_EQ(0ULL, o.val[KIPC_A_OBJ_SHM_NATTCH]);
	ASSERT_EQ(last, o.val[KIPC_A_OBJ_SHM_SIZE]);
	ASSERT_EQ((last + RACE_PAGE - 1) & ~(RACE_PAGE - 1),
		  o.val[KIPC_A_OBJ_BYTES]);

	/* The head survived; what a shrink cut off comes back as zeroes. */
	test_ioctl_shm_resize(r->objfd, RACE_MIN_PAGES * RACE_PAGE);
	test_ioctl_shm_resize(r->objfd, max);
	p = test_shm_mmap(r->objfd, max, PROT_READ, MAP_SHARED, 0);
	ASSERT_EQ(-1, kipc_check(p, RACE_MIN_PAGES * RACE_PAGE, 1));
	ASSERT_EQ(-1, kipc_check_zero(p + RACE_MIN_PAGES * RACE_PAGE,
				      max - RACE_MIN_PAGES * RACE_PAGE));
	ASSERT_EQ(0, munmap(p, max));
	close(r->objfd);
	r->objfd = -1;
	race_overlapped(r);
}

/* --- admin removal vs blocked waiters ------------------------------------ */

static void remove_vs_waiters_b(struct race *r)
{
	r->b_err = -kipc_nl_obj_remove(&r->nl, r->id);
}

/*
 * Mode 0: a receiver blocked on an empty queue; 1: a sender blocked on a
 * full queue; 2: a semaphore waiter. A blocks, B removes: A wakes with
 * EIDRM, whichever comes first.
 */
TEST_F_TIMEOUT(race, remove_vs_waiters, RACE_TIMEOUT)
{
	struct race *r = self->r;
	union kipc_attr attr;
	struct kipc_nl_obj o;
	struct kipc_info info;
	char buf[64] = "m";
	int ret = 0;

	race_start(_metadata, r, remove_vs_waiters_b);
	for (;;) {
		r->mode = r->f.iter % 3;
		r->type = r->mode == 2 ? KIPC_OBJ_SEM : KIPC_OBJ_MQ;
		attr = kipc_attr_of(r->type);
		if (r->mode == 1)
			attr.mq.max_msgs = 1;
		if (r->mode == 2)
			attr.sem.value = 0;
		r->objfd = _test_cmd_open(r->fd, r->type, r->name, KIPC_NEW,
					  0600, &attr, &r->id, NULL);
		race_check(r, r->objfd >= 0, "create: %s", strerror(errno));
		if (r->mode == 1)
			race_check(r, !_test_cmd_mq_send(r->objfd, buf, 1, 0, 0),
				   "fill: %s", strerror(errno));
		if (!kipc_fzs_start_a(&r->f)) {
			close(r->objfd);
			_test_cmd_unlink(r->fd, r->type, r->name);
			break;
		}

		switch (r->mode) {
		case 0: {
			struct kipc_mq_recv cmd = {
				.size = sizeof(cmd),
				.flags = KIPC_WAIT_DEADLINE,
				.buf = (uintptr_t)buf,
				.len = sizeof(buf),
				.clockid = CLOCK_MONOTONIC,
				.deadline = race_deadline(),
			};

			ret = ioctl(r->objfd, KIPC_IOC_MQ_RECV, &cmd);
			break;
		}
		case 1: {
			struct kipc_mq_send cmd = {
				.size = sizeof(cmd),
				.flags = KIPC_WAIT_DEADLINE,
				.buf = (uintptr_t)buf,
				.len = 1,
				.clockid = CLOCK_MONOTONIC,
				.deadline = race_deadline(),
			};

			ret = ioctl(r->objfd, KIPC_IOC_MQ_SEND, &cmd);
			break;
		}
		case 2:
			ret = _test_cmd_sem_wait(r->objfd, 1,
						 KIPC_WAIT_DEADLINE,
						 CLOCK_MONOTONIC,
						 race_deadline(), NULL);
			break;
		}
		r->b_ret = ret < 0 ? errno : 0;
		kipc_fzs_end_a(&r->f);

		race_check(r, !r->b_err, "remove: %s", strerror(r->b_err));
		race_check(r, ret == -1 && r->b_ret == EIDRM,
			   "the waiter got %d (%s), not EIDRM", ret,
			   strerror(r->b_ret));
		/* Nobody is left waiting, and the object says why. */
		race_check(r, !kipc_nl_obj_stat(&self->nl, r->id, &o),
			   "stat of a removed object with an fd open");
		race_check(r, o.val[KIPC_A_OBJ_STATE] ==
			   (KIPC_STATE_REMOVED | KIPC_STATE_UNLINKED),
			   "state %#llx",
			   (unsigned long long)o.val[KIPC_A_OBJ_STATE]);
		if (r->type == KIPC_OBJ_MQ)
			race_check(r, !o.val[KIPC_A_OBJ_MQ_WAIT_RECV] &&
				   !o.val[KIPC_A_OBJ_MQ_WAIT_SEND] &&
				   !o.val[KIPC_A_OBJ_MQ_DEPTH],
				   "waiters or messages left on a removed queue");
		else
			race_check(r, !o.val[KIPC_A_OBJ_SEM_WAITERS],
				   "waiters left on a removed semaphore");
		race_check(r, !_test_cmd_info(r->objfd, &info) &&
			   info.out_state == (KIPC_STATE_REMOVED |
					      KIPC_STATE_UNLINKED),
			   "info state %#x", info.out_state);
		/* And every later call says EIDRM too. */
		if (r->type == KIPC_OBJ_MQ)
			ret = _test_cmd_mq_send(r->objfd, buf, 1, 0,
						KIPC_WAIT_NONBLOCK);
		else
			ret = _test_cmd_sem_post(r->objfd, 1);
		race_check(r, ret == -1 && errno == EIDRM,
			   "call after removal: %d (%s)", ret,
			   strerror(errno));
		close(r->objfd);
		race_check(r, race_ns_objects(&self->nl) == 0,
			   "%d objects left", race_ns_objects(&self->nl));
	}
	race_finish(r);
	race_overlapped(r);
}

/* --- semaphore undo release vs post -------------------------------------- */

static void undo_vs_post_b(struct race *r)
{
	__u32 flags = 0;
	int ret = 0;

	switch (r->mode) {
	case 0:
	case 3:
		ret = _test_cmd_sem_post(r->objfd2, r->count);
		break;
	case 1:
		ret = _test_cmd_sem_wait(r->objfd2, 2, KIPC_WAIT_DEADLINE,
					 CLOCK_MONOTONIC, race_deadline(),
					 &flags);
		break;
	case 2:
		/* Through a dup of the holder: pays its record back first. */
		ret = _test_cmd_sem_post(r->b_fd, r->count);
		close(r->b_fd);
		break;
	}
	r->b_err = ret ? errno : 0;
	r->b_flags = flags;
}

/*
 * The holder's description holds 2 units under undo; A closes it (or, mode
 * 3, kills the process holding it) while B posts, waits for 2, or posts
 * through a dup of the holder's fd.
 */
TEST_F_TIMEOUT(race, undo_vs_post, RACE_TIMEOUT)
{
	struct race *r = self->r;
	int pipefd[2], status;
	__u64 recovered = 0;
	struct kipc_nl_obj o;
	__u32 want;
	pid_t pid = -1;
	char c;

	r->objfd2 = test_sem_create(self->name, 0, &r->id);
	race_start(_metadata, r, undo_vs_post_b);
	for (;;) {
		r->mode = r->f.iter % 8 == 7 ? 3 : r->f.iter % 3;
		r->count = 1 + r->f.iter % 3;
		r->b_fd = -1;
		race_check(r, !_test_cmd_sem_post(r->objfd2, 2), "post: %s",
			   strerror(errno));
		if (r->mode == 3) {
			/* The holder is a process of its own. */
			race_check(r, !pipe(pipefd), "pipe");
			pid = kipc_fork_tied();
			if (pid == 0) {
				int h = _test_cmd_open(r->fd, KIPC_OBJ_SEM,
						       r->name, KIPC_RW, 0,
						       NULL, NULL, NULL);

				if (h < 0 || _test_cmd_sem_wait(h, 2,
						KIPC_SEM_UNDO |
						KIPC_WAIT_NONBLOCK, 0, 0,
						NULL))
					_exit(1);
				c = 0;
				if (write(pipefd[1], &c, 1) != 1)
					_exit(1);
				pause();
				_exit(0);
			}
			close(pipefd[1]);
			race_check(r, read(pipefd[0], &c, 1) == 1,
				   "the holder did not start");
			close(pipefd[0]);
		} else {
			r->objfd = _test_cmd_open(r->fd, KIPC_OBJ_SEM, r->name,
						  KIPC_RW, 0, NULL, NULL, NULL);
			race_check(r, r->objfd >= 0 &&
				   !_test_cmd_sem_wait(r->objfd, 2,
						       KIPC_SEM_UNDO |
						       KIPC_WAIT_NONBLOCK,
						       0, 0, NULL),
				   "hold: %s", strerror(errno));
			if (r->mode == 2)
				r->b_fd = dup(r->objfd);
		}
		if (!kipc_fzs_start_a(&r->f)) {
			if (r->mode == 3) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
			} else {
				close(r->objfd);
			}
			if (r->b_fd >= 0)
				close(r->b_fd);
			break;
		}
		if (r->mode == 3) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		} else {
			close(r->objfd);
		}
		kipc_fzs_end_a(&r->f);

		race_check(r, !r->b_err, "B: %s", strerror(r->b_err));
		switch (r->mode) {
		case 0:
		case 3:
			want = 2 + r->count;
			recovered += 2;
			break;
		case 1:
			/* B took the 2 units the holder gave back. */
			race_check(r, r->b_flags == KIPC_SEM_RECOVERED,
				   "B's wait: out_flags %#x", r->b_flags);
			want = 0;
			recovered += 2;
			break;
		default:
			/* The post paid min(2, count) of the record back. */
			want = r->count + 2 - (r->count < 2 ? r->count : 2);
			recovered += 2 - (r->count < 2 ? r->count : 2);
			break;
		}
		race_check(r, !kipc_nl_obj_stat(&self->nl, r->id, &o),
			   "stat");
		race_check(r, o.val[KIPC_A_OBJ_SEM_VALUE] == want &&
			   !o.val[KIPC_A_OBJ_SEM_UNDO_HOLDERS] &&
			   !o.val[KIPC_A_OBJ_SEM_UNDO_UNITS] &&
			   !o.val[KIPC_A_OBJ_SEM_WAITERS] &&
			   o.val[KIPC_A_OBJ_SEM_RECOVERED] == recovered,
			   "value %llu (want %u), undo %llu/%llu, waiters %llu, recovered %llu (want %llu)",
			   (unsigned long long)o.val[KIPC_A_OBJ_SEM_VALUE],
			   want,
			   (unsigned long long)o.val[KIPC_A_OBJ_SEM_UNDO_HOLDERS],
			   (unsigned long long)o.val[KIPC_A_OBJ_SEM_UNDO_UNITS],
			   (unsigned long long)o.val[KIPC_A_OBJ_SEM_WAITERS],
			   (unsigned long long)o.val[KIPC_A_OBJ_SEM_RECOVERED],
			   (unsigned long long)recovered);
		/* Back to 0 for the next round. */
		if (want)
			race_check(r, !_test_cmd_sem_wait(r->objfd2, want,
							  KIPC_WAIT_NONBLOCK,
							  0, 0, NULL),
				   "drain: %s", strerror(errno));
	}
	race_finish(r);
	close(r->objfd2);
	r->objfd2 = -1;
	race_overlapped(r);
}

/* --- send vs admin removal ----------------------------------------------- */

#define RACE_SENDS	8

/* Blocking send and receive that give up after RACE_WAIT_NS. */
static int race_send(int qfd, const void *buf, __u32 len)
{
	struct kipc_mq_send cmd = {
		.size = sizeof(cmd),
		.flags = KIPC_WAIT_DEADLINE,
		.buf = (uintptr_t)buf,
		.len = len,
		.clockid = CLOCK_MONOTONIC,
		.deadline = race_deadline(),
	};

	return ioctl(qfd, KIPC_IOC_MQ_SEND, &cmd);
}

static int race_recv(int qfd, void *buf, __u32 len)
{
	struct kipc_mq_recv cmd = {
		.size = sizeof(cmd),
		.flags = KIPC_WAIT_DEADLINE,
		.buf = (uintptr_t)buf,
		.len = len,
		.clockid = CLOCK_MONOTONIC,
		.deadline = race_deadline(),
	};

	return ioctl(qfd, KIPC_IOC_MQ_RECV, &cmd);
}

static void send_vs_remove_b(struct race *r)
{
	__u32 seq;
	int i;

	r->b_n = 0;
	r->b_err = 0;
	if (r->mode != 2) {
		/* Make room for two blocked sends first. */
		for (i = 0; r->mode == 0 && i < 2; i++) {
			if (race_recv(r->objfd, &seq, sizeof(seq)) !=
			    sizeof(seq)) {
				r->b_err = errno;
				return;
			}
			r->b_seq[r->b_n++] = seq;
		}
		r->b_err = -kipc_nl_obj_remove(&r->nl, r->id);
		return;
	}
	/* Modes 2, 3: B sends one to a blocked receiver, then removes. */
	seq = 0;
	if (race_send(r->objfd, &seq, sizeof(seq)))
		r->b_err = errno;
	else
		r->b_n = 1;
	if (!r->b_err)
		r->b_err = -kipc_nl_obj_remove(&r->nl, r->id);
}

/*
 * Mode 0: A sends 8 numbered messages into a queue of 4 one by one; B
 * receives two, then removes the queue. Mode 1: one SENDV of 8 (at most
 * 4 fit) while B removes. Mode 2: A receives, B sends one and removes.
 * Mode 3: the same, but A's buffer faults, so the message goes back to
 * the queue just as the removal comes. Each send succeeds before the
 * removal or fails with EIDRM, the queue's counters agree with what the
 * callers were told, and what was received came in order.
 */
TEST_F_TIMEOUT(race, send_vs_remove, RACE_TIMEOUT)
{
	struct race *r = self->r;
	struct kipc_mq_vec vec[RACE_SENDS];
	__u32 seqs[RACE_SENDS], len, prio, got;
	int sent, i, ret, err = 0;
	union kipc_attr attr;
	struct kipc_nl_obj o;
	void *bad;

	/* A buffer that faults. */
	bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, bad);
	for (i = 0; i < RACE_SENDS; i++)
		seqs[i] = i;
	race_start(_metadata, r, send_vs_remove_b);
	for (;;) {
		r->mode = r->f.iter % 4;
		attr = kipc_attr_of(KIPC_OBJ_MQ);
		attr.mq.max_msgs = 4;
		r->objfd = _test_cmd_open(r->fd, KIPC_OBJ_MQ, r->name,
					  KIPC_NEW, 0600, &attr, &r->id, NULL);
		race_check(r, r->objfd >= 0, "create: %s", strerror(errno));
		_test_cmd_unlink(r->fd, KIPC_OBJ_MQ, r->name);
		if (!kipc_fzs_start_a(&r->f)) {
			close(r->objfd);
			break;
		}

		sent = 0;
		err = 0;
		got = ~0U;
		switch (r->mode) {
		case 0:
			for (i = 0; i < RACE_SENDS; i++) {
				ret = race_send(r->objfd, &seqs[i],
						sizeof(seqs[i]));
				if (ret) {
					if (!err)
						err = errno;
					/* Once removed, removed for good. */
					else if (errno != EIDRM)
						err = errno;
					continue;
				}
				if (err)
					err = EEXIST;
				sent++;
			}
			break;
		case 1:
			for (i = 0; i < RACE_SENDS; i++) {
				vec[i].buf = (uintptr_t)&seqs[i];
				vec[i].len = sizeof(seqs[i]);
				vec[i].prio = 0;
			}
			/* The first may wait; the rest go while they fit. */
			ret = _test_cmd_mq_sendv(r->objfd, vec, RACE_SENDS, 0);
			if (ret < 0)
				err = errno;
			else
				sent = ret;
			break;
		case 2:
			ret = race_recv(r->objfd, &got, sizeof(got));
			if (ret < 0)
				err = errno;
			break;
		case 3:
			ret = race_recv(r->objfd, bad, sizeof(got));
			err = ret < 0 ? errno : 0;
			break;
		}
		kipc_fzs_end_a(&r->f);

		race_check(r, !r->b_err, "B: %s", strerror(r->b_err));
		if (r->mode == 3)
			race_check(r, err == EFAULT || err == EIDRM,
				   "receive into a bad buffer: %s",
				   strerror(err));
		else
			race_check(r, !err || err == EIDRM,
				   "%s (EEXIST: a send succeeded after EIDRM)",
				   strerror(err));
		if (r->mode == 1)
			race_check(r, (sent > 0 && sent <= 4) ||
				   (!sent && err == EIDRM),
				   "SENDV moved %d to a queue of 4 (%s)", sent,
				   strerror(err));
		if (r->mode >= 2) {
			sent = r->b_n;
			race_check(r, r->mode == 3 || err == EIDRM || got == 0,
				   "received %u", got);
		}
		for (i = 0; r->mode == 0 && i < r->b_n; i++)
			race_check(r, r->b_seq[i] == (__u32)i,
				   "received %u as message %d", r->b_seq[i],
				   i);
		/* The counters know every message the callers were told of. */
		race_check(r, !kipc_nl_obj_stat(&self->nl, r->id, &o), "stat");
		race_check(r, o.val[KIPC_A_OBJ_MQ_SENDS] == (__u64)sent,
			   "%d sends succeeded, the queue counted %llu", sent,
			   (unsigned long long)o.val[KIPC_A_OBJ_MQ_SENDS]);
		race_check(r, o.val[KIPC_A_OBJ_MQ_RECVS] ==
			   (__u64)(r->mode == 0 ? r->b_n :
				   r->mode == 2 && !err ? 1 : 0),
			   "%llu receives counted",
			   (unsigned long long)o.val[KIPC_A_OBJ_MQ_RECVS]);
		race_check(r, !o.val[KIPC_A_OBJ_MQ_DEPTH] &&
			   !o.val[KIPC_A_OBJ_MQ_WAIT_SEND] &&
			   !o.val[KIPC_A_OBJ_MQ_WAIT_RECV],
			   "a removed queue still holds messages or waiters");
		ret = _test_cmd_mq_recv(r->objfd, &got, sizeof(got),
					KIPC_WAIT_NONBLOCK, &len, &prio);
		race_check(r, ret == -1 && errno == EIDRM,
			   "receive after removal: %d", ret);
		close(r->objfd);
	}
	race_finish(r);
	ASSERT_EQ(0, race_ns_objects(&self->nl));
	race_overlapped(r);
}

/* --- sealing vs writable mappings ---------------------------------------- */

static void seal_vs_mmap_b(struct race *r)
{
	char *p, *q;

	r->b_err = 0;
	r->b_why[0] = 0;
	switch (r->mode) {
	case 0:
		/* A new shared writable mapping. */
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
			 r->objfd, 0);
		if (p == MAP_FAILED) {
			r->b_err = errno;
			break;
		}
		break;
	case 1:
		/* A shared read-only mapping made writable afterwards. */
		p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, r->objfd, 0);
		if (p == MAP_FAILED) {
			snprintf(r->b_why, sizeof(r->b_why),
				 "read-only mmap: %s", strerror(errno));
			return;
		}
		if (mprotect(p, 4096, PROT_READ | PROT_WRITE)) {
			r->b_err = errno;
			munmap(p, 4096);
			return;
		}
		break;
	case 2:
		/* Move the existing writable mapping: it never stops existing. */
		q = mremap(r->b_map, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED,
			   r->b_map2);
		if (q == MAP_FAILED) {
			snprintf(r->b_why, sizeof(r->b_why), "mremap: %s",
				 strerror(errno));
			return;
		}
		p = q;
		break;
	default:
		return;
	}
	if (!r->b_err) {
		if (kipc_probe(p, true, 0x5a, NULL))
			snprintf(r->b_why, sizeof(r->b_why),
				 "cannot write through a writable mapping");
		r->b_map = p;
	}
}

/*
 * KIPC_SEAL_WRITE against a new shared writable mapping (mode 0), an
 * mprotect() that makes one (1), and an mremap() that moves one (2): a
 * seal and a writable mapping never both succeed, and a mapping that
 * exists throughout always makes the seal fail with EBUSY.
 */
TEST_F_TIMEOUT(race, seal_vs_mmap, RACE_TIMEOUT)
{
	struct race *r = self->r;
	int ret, err;
	char *p;

	race_start(_metadata, r, seal_vs_mmap_b);
	for (;;) {
		r->mode = r->f.iter % 3;
		r->objfd = _test_cmd_shm_create(r->fd, r->name, 4096, &r->id);
		race_check(r, r->objfd >= 0, "create: %s", strerror(errno));
		_test_cmd_unlink(r->fd, KIPC_OBJ_SHM, r->name);
		r->b_map = MAP_FAILED;
		r->b_map2 = MAP_FAILED;
		if (r->mode == 2) {
			r->b_map = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					MAP_SHARED, r->objfd, 0);
			/* Somewhere to move it to. */
			r->b_map2 = mmap(NULL, 4096, PROT_NONE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			race_check(r, r->b_map != MAP_FAILED &&
				   r->b_map2 != MAP_FAILED, "mmap: %s",
				   strerror(errno));
		}
		if (!kipc_fzs_start_a(&r->f)) {
			if (r->b_map != MAP_FAILED)
				munmap(r->b_map, 4096);
			if (r->b_map2 != MAP_FAILED)
				munmap(r->b_map2, 4096);
			close(r->objfd);
			break;
		}
		ret = _test_cmd_shm_seal(r->objfd, KIPC_SEAL_WRITE, NULL);
		err = ret ? errno : 0;
		kipc_fzs_end_a(&r->f);

		race_check(r, !r->b_why[0], "%s", r->b_why);
		race_check(r, !err || err == EBUSY, "seal: %s", strerror(err));
		switch (r->mode) {
		case 0:
		case 1:
			race_check(r, !r->b_err || r->b_err == EPERM ||
				   r->b_err == EACCES, "B: %s",
				   strerror(r->b_err));
			race_check(r, !err != !r->b_err,
				   "seal: %s, writable mapping: %s",
				   strerror(err), strerror(r->b_err));
			break;
		case 2:
			race_check(r, err == EBUSY,
				   "sealed under a writable mapping being moved");
			break;
		}
		if (r->b_map != MAP_FAILED && r->b_map != r->b_map2)
			munmap(r->b_map, 4096);
		if (r->b_map2 != MAP_FAILED)
			munmap(r->b_map2, 4096);
		/* A seal in force keeps new writable mappings out. */
		if (!err) {
			p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
				 r->objfd, 0);
			race_check(r, p == MAP_FAILED && errno == EPERM,
				   "writable mapping after the seal");
			if (p != MAP_FAILED)
				munmap(p, 4096);
		}
		close(r->objfd);
	}
	race_finish(r);
	ASSERT_EQ(0, race_ns_objects(&self->nl));
	race_overlapped(r);
}

/* --- removal while a failing copy-out holds a message -------------------- */

struct race_stalled_recv {
	int qfd;
	void *buf;
	int ret;
	int err;
};

static void *race_stalled_recv_main(void *arg)
{
	struct race_stalled_recv *sr = arg;

	sr->ret = race_recv(sr->qfd, sr->buf, sizeof(__u32));
	sr->err = sr->ret < 0 ? errno : 0;
	return NULL;
}

/*
 * The window of send_vs_remove's mode 3, held open with userfaultfd: a
 * receiver has taken the message and its copy-out is stalled on a
 * missing page. The queue is removed, then the page is unmapped and the
 * fault let go, so the copy fails and the message goes back to a queue
 * that is gone. Nobody received it: the queue must not count it as
 * received, and its counters must still say one message was dropped.
 */
TEST_F_TIMEOUT(race, remove_during_failed_copy, RACE_TIMEOUT)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };
	struct uffdio_range wake = { 0 };
	struct race_stalled_recv sr = { 0 };
	struct uffd_msg msg;
	struct kipc_nl_obj o;
	struct pollfd pfd;
	pthread_t thread;
	__u32 seq = 7;
	int uffd;

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		SKIP(return, "userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	sr.buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sr.buf);
	reg.range.start = (uintptr_t)sr.buf;
	reg.range.len = 4096;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));

	sr.qfd = test_mq_create(self->name, 4, 64);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	test_ioctl_mq_send(sr.qfd, &seq, sizeof(seq), 0);
	ASSERT_EQ(0, pthread_create(&thread, NULL, race_stalled_recv_main,
				    &sr));

	/* The receiver holds the message, stalled in its copy-out. */
	pfd.fd = uffd;
	pfd.events = POLLIN;
	ASSERT_EQ(1, poll(&pfd, 1, RACE_WAIT_NS / 1000000));
	ASSERT_EQ((ssize_t)sizeof(msg), read(uffd, &msg, sizeof(msg)));
	ASSERT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);
	ASSERT_EQ(0U, test_mq_depth(sr.qfd));

	test_nl_obj_remove(&self->nl, test_obj_id(sr.qfd));
	ASSERT_EQ(0, munmap(sr.buf, 4096));
	wake.start = reg.range.start;
	wake.len = 4096;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_WAKE, &wake));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	ASSERT_EQ(-1, sr.ret);
	ASSERT_EQ(EFAULT, sr.err);

	test_nl_stat(&self->nl, test_obj_id(sr.qfd), &o);
	EXPECT_EQ(1ULL, o.val[KIPC_A_OBJ_MQ_SENDS]);
	EXPECT_EQ(0ULL, o.val[KIPC_A_OBJ_MQ_RECVS])
		TH_LOG("a message dropped by the removal counts as received");
	EXPECT_EQ(0ULL, o.val[KIPC_A_OBJ_MQ_DEPTH]);
	close(sr.qfd);
	close(uffd);
}

/* --- a create whose last step fails ------------------------------------- */

struct race_stalled_open {
	int fd;
	struct kipc_open *cmd;
	int ret;
	int err;
};

static void *race_stalled_open_main(void *arg)
{
	struct race_stalled_open *so = arg;

	so->ret = ioctl(so->fd, KIPC_IOC_OPEN, so->cmd);
	so->err = so->ret < 0 ? errno : 0;
	return NULL;
}

/*
 * A create whose write-back of the struct fails must leave nothing, and
 * before it fails the object must not be visible: an object becomes
 * visible only when its creation can no longer fail. userfaultfd holds
 * the creator in that write-back (the struct's page is write-protected)
 * while another thread looks the name up; then the page goes and the
 * write-back fails with EFAULT.
 */
TEST_F_TIMEOUT(race, create_respond_fault, RACE_TIMEOUT)
{
	struct uffdio_api api = {
		.api = UFFD_API,
		.features = UFFD_FEATURE_PAGEFAULT_FLAG_WP,
	};
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SEM);
	struct uffdio_writeprotect wp = { 0 };
	struct uffdio_register reg = { 0 };
	struct uffdio_range wake = { 0 };
	struct race_stalled_open so = { 0 };
	struct uffd_msg msg;
	struct pollfd pfd;
	pthread_t thread;
	int uffd, ofd, err;

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		SKIP(return, "userfaultfd: %s", strerror(errno));
	if (ioctl(uffd, UFFDIO_API, &api) ||
	    !(api.features & UFFD_FEATURE_PAGEFAULT_FLAG_WP)) {
		close(uffd);
		SKIP(return, "no userfaultfd write-protect faults here");
	}
	so.cmd = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, so.cmd);
	memset(so.cmd, 0, 4096);
	so.cmd->size = sizeof(*so.cmd);
	so.cmd->flags = KIPC_NEW;
	so.cmd->type = KIPC_OBJ_SEM;
	so.cmd->mode = 0600;
	so.cmd->name = (uintptr_t)self->name;
	so.cmd->attr = attr;
	reg.range.start = (uintptr_t)so.cmd;
	reg.range.len = 4096;
	reg.mode = UFFDIO_REGISTER_MODE_WP;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));
	wp.range = reg.range;
	wp.mode = UFFDIO_WRITEPROTECT_MODE_WP;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_WRITEPROTECT, &wp));

	so.fd = self->fd;
	ASSERT_EQ(0, pthread_create(&thread, NULL, race_stalled_open_main,
				    &so));
	pfd.fd = uffd;
	pfd.events = POLLIN;
	ASSERT_EQ(1, poll(&pfd, 1, RACE_WAIT_NS / 1000000));
	ASSERT_EQ((ssize_t)sizeof(msg), read(uffd, &msg, sizeof(msg)));
	ASSERT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);
	ASSERT_NE(0ULL, msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP);

	/* The creator is in its last step, which is about to fail. */
	ofd = _test_cmd_open(self->fd, KIPC_OBJ_SEM, self->name, KIPC_RW, 0,
			     NULL, NULL, NULL);
	err = ofd < 0 ? errno : 0;

	ASSERT_EQ(0, munmap(so.cmd, 4096));
	wake.start = reg.range.start;
	wake.len = 4096;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_WAKE, &wake));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	ASSERT_EQ(-1, so.ret);
	ASSERT_EQ(EFAULT, so.err);
	if (ofd >= 0)
		close(ofd);
	EXPECT_EQ(ENOENT, err)
		TH_LOG("a create that then failed was visible by name");
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, self->name));
	ASSERT_EQ(0, race_ns_objects(&self->nl));
	close(uffd);
}

/* --- admin removal vs the last close ------------------------------------- */

static void close_vs_remove_b(struct race *r)
{
	r->b_err = -kipc_nl_obj_remove(&r->nl, r->id);
}

TEST_F_TIMEOUT(race, close_vs_remove, RACE_TIMEOUT)
{
	struct race *r = self->r;
	union kipc_attr attr;
	char *p = MAP_FAILED;

	race_start(_metadata, r, close_vs_remove_b);
	for (;;) {
		r->type = kipc_types[r->f.iter % KIPC_NR_TYPES];
		r->mode = (r->f.iter / KIPC_NR_TYPES) % 2;
		attr = kipc_attr_of(r->type);
		r->objfd = _test_cmd_open(r->fd, r->type, r->name, KIPC_NEW,
					  0600, &attr, &r->id, NULL);
		race_check(r, r->objfd >= 0, "create: %s", strerror(errno));
		/* Mode 1 keeps the name: the removal unlinks it. */
		if (!r->mode)
			_test_cmd_unlink(r->fd, r->type, r->name);
		if (r->type == KIPC_OBJ_SHM && r->mode)
			p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				 MAP_SHARED, r->objfd, 0);
		if (!kipc_fzs_start_a(&r->f)) {
			close(r->objfd);
			if (p != MAP_FAILED)
				munmap(p, 4096);
			_test_cmd_unlink(r->fd, r->type, r->name);
			break;
		}
		close(r->objfd);
		if (p != MAP_FAILED)
			munmap(p, 4096);
		p = MAP_FAILED;
		kipc_fzs_end_a(&r->f);

		if (r->mode) {
			/* The name kept it: the removal found it, unlinked it. */
			race_check(r, !r->b_err, "remove: %s",
				   strerror(r->b_err));
			race_check(r, _test_cmd_unlink(r->fd, r->type,
						       r->name) == -1 &&
				   errno == ENOENT,
				   "the name survived its removal");
		} else {
			race_check(r, !r->b_err || r->b_err == ENOENT,
				   "remove: %s", strerror(r->b_err));
		}
		race_check(r, race_ns_objects(&self->nl) == 0,
			   "%d objects left", race_ns_objects(&self->nl));
	}
	race_finish(r);
	race_overlapped(r);
}

TEST_HARNESS_MAIN
