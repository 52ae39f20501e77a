// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc_bench: kipc against its peers, side by side in one boot.
 *
 * Every case runs kipc and each peer in turn, in an order that rotates from
 * one repetition to the next, and reports medians. Under emulation only the
 * ratios mean something. For every comparison one line:
 *
 *   bench: <case> kipc=<value><unit> <peer>=<value><unit> ratio=<kipc/peer>
 *
 * (every round-trip and one-way case also reports, as the case
 * <case>-cpu, the CPU time, user + system, of all its processes per
 * operation in us: the parent's CLOCK_PROCESS_CPUTIME_ID and the child's
 * rusage from wait4(), over all the operations of the sample), then a
 * table of the targets of issues 8 and 17, and with -j the whole result
 * as JSON between KIPC-BENCH-JSON-BEGIN and KIPC-BENCH-JSON-END lines.
 *
 * Usage: kipc_bench [-s] [-r REPS] [-n SCALE_OBJECTS] [-j] [CASE...]
 *   -s   smoke: tiny counts, only checks that everything runs and that the
 *        numbers are sane (exit status 1 otherwise)
 *   CASE rtt, tput, tput64k, sem, slow, load, sem-multi, shm, scale, mem
 *        (default: all)
 *
 * Runs as root in the test guest: it raises the SysV and POSIX mq limits
 * so that 64 KiB messages are possible for every peer.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <math.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kipc.h"
#include "kipc-admin.h"

#define MAX_IMPLS	12
#define MAX_REPS	32
#define MAX_RESULTS	128
#define KIB		1024UL

static bool smoke;
static int reps = 15;
static int scale_reps = 6;
static long scale_objects = 100000;
static bool json;
static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "kipc_bench: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "kipc_bench: fatal: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Iteration counts: full runs aim at about 0.2-0.5 s per sample here. */
static long iters(long full)
{
	return smoke ? (full / 100 > 4 ? full / 100 : 4) : full;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
	double s[MAX_REPS];

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* --- results ------------------------------------------------------------ */

struct result {
	char name[48];		/* the case */
	char unit[12];
	bool lower_better;
	int n;			/* implementations; [0] is kipc */
	char impl[MAX_IMPLS][24];
	double med[MAX_IMPLS];
	double sample[MAX_IMPLS][MAX_REPS];
	int nsamples;
};

static struct result results[MAX_RESULTS];
static int nresults;

static struct result *find_result(const char *name)
{
	int i;

	for (i = 0; i < nresults; i++)
		if (!strcmp(results[i].name, name))
			return &results[i];
	return NULL;
}


/*
 * The ratio a/b as the median over repetitions of the ratio of the two
 * samples taken side by side: the load on the host changes from one second
 * to the next, and a ratio of medians taken at different times would carry
 * that into the result. One sample each: the plain ratio.
 */
static double paired_ratio(const struct result *r, int a, int b)
{
	double q[MAX_REPS];
	int k;

	if (r->nsamples < 2)
		return r->med[a] / r->med[b];
	for (k = 0; k < r->nsamples; k++)
		q[k] = r->sample[a][k] / r->sample[b][k];
	return median(q, r->nsamples);
}

/*
 * The ratio a/b of the best samples (least time, most throughput): on a
 * loaded host the least disturbed sample is the closest to what the code
 * costs. Shown for information; the verdicts use the medians.
 */
static double best_ratio(const struct result *r, int a, int b)
{
	double x = r->sample[a][0], y = r->sample[b][0];
	int k;

	for (k = 1; k < r->nsamples; k++) {
		if (r->lower_better) {
			x = fmin(x, r->sample[a][k]);
			y = fmin(y, r->sample[b][k]);
		} else {
			x = fmax(x, r->sample[a][k]);
			y = fmax(y, r->sample[b][k]);
		}
	}
	return x / y;
}

static int impl_index(const struct result *r, const char *impl)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->impl[i], impl))
			return i;
	return -1;
}

/* The median of @num, or with @den the paired ratio @num/@den. */
static double result_of(const char *name, const char *num, const char *den)
{
	struct result *r = find_result(name);
	int a, b;

	if (!r)
		return NAN;
	a = impl_index(r, num);
	b = den ? impl_index(r, den) : -1;
	if (a < 0 || (den && b < 0))
		return NAN;
	return den ? paired_ratio(r, a, b) : r->med[a];
}

static void print_result(const struct result *r)
{
	int i;

	if (r->n == 1) {
		printf("bench: %s kipc=%.4g%s\n", r->name, r->med[0], r->unit);
		return;
	}
	for (i = 1; i < r->n; i++)
		printf("bench: %s kipc=%.4g%s %s=%.4g%s ratio=%.3f\n",
		       r->name, r->med[0], r->unit, r->impl[i], r->med[i],
		       r->unit, paired_ratio(r, 0, i));
	fflush(stdout);
}

static void check_sane(const struct result *r)
{
	/* Slab deltas of a smoke run are too small to be more than noise. */
	bool any_sign = smoke && !strncmp(r->name, "mem-", 4);
	/* A difference of two measures: a busy peer preempted uses less. */
	bool diff = strstr(r->name, "-beyond-work");
	int i;

	for (i = 0; i < r->n; i++)
		if (!isfinite(r->med[i]) ||
		    (r->med[i] <= 0 && !any_sign && !diff))
			fail("%s: %s measured %g", r->name, r->impl[i],
			     r->med[i]);
}

/*
 * Run @fn for every implementation, @reps times, rotating the order, and
 * record the medians. @fn returns the value of one sample, or a negative
 * number on failure.
 */
typedef double (*sample_fn)(int impl, void *arg);

/*
 * CPU time per operation in us of the sample just taken, set by the
 * samplers that measure it (pingpong(), stream()); NAN otherwise.
 */
static double sample_cpu_us = NAN;

static struct result *new_result(const char *name, const char *unit,
				 bool lower_better, const char *const *impls,
				 int n, int reps)
{
	struct result *r;
	int i;

	if (nresults == MAX_RESULTS)
		die("too many results");
	r = &results[nresults++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->unit, sizeof(r->unit), "%s", unit);
	r->lower_better = lower_better;
	r->n = n;
	r->nsamples = reps;
	for (i = 0; i < n; i++)
		snprintf(r->impl[i], sizeof(r->impl[i]), "%s", impls[i]);
	return r;
}

static void finish_result(struct result *r)
{
	int i;

	for (i = 0; i < r->n; i++)
		r->med[i] = median(r->sample[i], r->nsamples);
	print_result(r);
	check_sane(r);
}

static struct result *measure_n(const char *name, const char *unit,
				bool lower_better, const char *const *impls,
				int n, sample_fn fn, void *arg, int reps)
{
	double cpu[MAX_IMPLS][MAX_REPS];
	struct result *r, *rc;
	bool have_cpu = false;
	char cname[64];
	int rep, k, i;

	r = new_result(name, unit, lower_better, impls, n, reps);
	for (rep = 0; rep < reps; rep++) {
		for (k = 0; k < n; k++) {
			i = (k + rep) % n;
			sample_cpu_us = NAN;
			r->sample[i][rep] = fn(i, arg);
			if (r->sample[i][rep] < 0)
				fail("%s: %s failed", name, impls[i]);
			cpu[i][rep] = sample_cpu_us;
			have_cpu |= !isnan(sample_cpu_us);
		}
	}
	finish_result(r);
	if (!have_cpu)
		return r;
	/* The CPU cost of the same samples, as a case of its own. */
	snprintf(cname, sizeof(cname), "%s-cpu", name);
	rc = new_result(cname, "us/op", true, impls, n, reps);
	for (i = 0; i < n; i++)
		memcpy(rc->sample[i], cpu[i], reps * sizeof(cpu[i][0]));
	finish_result(rc);
	return r;
}

static struct result *measure(const char *name, const char *unit,
			      bool lower_better, const char *const *impls,
			      int n, sample_fn fn, void *arg)
{
	return measure_n(name, unit, lower_better, impls, n, fn, arg, reps);
}

/* --- channels: two directions between a parent and a forked child -------- */

/*
 * Direction 0 carries parent to child, direction 1 child to parent. A
 * channel is set up before the fork, so both sides inherit it.
 */
struct chan {
	const char *name;
	int (*open)(struct chan *c);
	void (*close)(struct chan *c, bool parent);
	int (*send)(struct chan *c, int dir, const void *buf, size_t len);
	ssize_t (*recv)(struct chan *c, int dir, void *buf, size_t len);
	/* Optional: @n messages of @len bytes each, from and into @buf. */
	int (*sendv)(struct chan *c, int dir, const void *buf, size_t len,
		     unsigned int n);
	int (*recvv)(struct chan *c, int dir, void *buf, size_t len,
		     unsigned int n);
	/* Optional: send on @dir, then receive on the other, in one call. */
	ssize_t (*sendrecv)(struct chan *c, int dir, void *buf, size_t len);
	size_t size;		/* largest message */
	unsigned int depth;	/* messages that may be in flight */
	int fd[2][2];
	void *shared;
};

static int unique;

static void chan_name(char *buf, size_t len, const char *prefix, int dir)
{
	snprintf(buf, len, "%skb-%d-%d-%d", prefix, getpid(), unique++, dir);
}

/* kipc queues, through libkipc. */
static int kipc_chan_open(struct chan *c)
{
	char name[64];
	int d, fd;

	for (d = 0; d < 2; d++) {
		chan_name(name, sizeof(name), "", d);
		fd = kipc_mq_open(name, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL |
				  KIPC_OPEN_READ | KIPC_OPEN_WRITE, 0600,
				  c->depth, c->size);
		if (fd < 0)
			return fd;
		kipc_unlink(KIPC_OBJ_MQ, name);
		c->fd[d][0] = fd;
	}
	return 0;
}

static void fd_chan_close(struct chan *c, bool parent)
{
	int d;

	(void)parent;
	for (d = 0; d < 2; d++) {
		close(c->fd[d][0]);
		if (c->fd[d][1] >= 0 && c->fd[d][1] != c->fd[d][0])
			close(c->fd[d][1]);
	}
}

static int kipc_chan_send(struct chan *c, int dir, const void *buf,
			  size_t len)
{
	return kipc_mq_send(c->fd[dir][0], buf, len, 0);
}

static ssize_t kipc_chan_recv(struct chan *c, int dir, void *buf, size_t len)
{
	return kipc_mq_receive(c->fd[dir][0], buf, len, NULL);
}

/* The same calls with KIPC_WAIT_NOSPIN: kipc's blocking path alone. */
static int kipc_ns_chan_send(struct chan *c, int dir, const void *buf,
			     size_t len)
{
	struct kipc_mq_send op = {
		.size = sizeof(op), .flags = KIPC_WAIT_NOSPIN,
		.buf = (uintptr_t)buf, .len = len,
	};

	return ioctl(c->fd[dir][0], KIPC_IOC_MQ_SEND, &op) < 0 ? -errno : 0;
}

static ssize_t kipc_ns_chan_recv(struct chan *c, int dir, void *buf,
				 size_t len)
{
	struct kipc_mq_recv op = {
		.size = sizeof(op), .flags = KIPC_WAIT_NOSPIN,
		.buf = (uintptr_t)buf, .len = len,
	};

	if (ioctl(c->fd[dir][0], KIPC_IOC_MQ_RECV, &op) < 0)
		return -errno;
	return op.out_len;
}

static int kipc_chan_sendv(struct chan *c, int dir, const void *buf,
			   size_t len, unsigned int n)
{
	struct kipc_mq_vec vec[64];
	unsigned int i, done = 0;
	int ret;

	if (n > 64)
		return -EINVAL;
	for (i = 0; i < n; i++)
		vec[i] = (struct kipc_mq_vec){
			.buf = (uintptr_t)buf + i * len, .len = len };
	while (done < n) {
		ret = kipc_mq_sendv(c->fd[dir][0], vec + done, n - done, 0);
		if (ret < 0)
			return ret;
		done += ret;
	}
	return 0;
}

static int kipc_chan_recvv(struct chan *c, int dir, void *buf, size_t len,
			   unsigned int n)
{
	struct kipc_mq_vec vec[64];
	unsigned int i;
	int ret;

	if (n > 64)
		return -EINVAL;
	for (i = 0; i < n; i++)
		vec[i] = (struct kipc_mq_vec){
			.buf = (uintptr_t)buf + i * len, .len = len };
	ret = kipc_mq_receivev(c->fd[dir][0], vec, n, 0);
	return ret;
}

static ssize_t kipc_chan_sendrecv(struct chan *c, int dir, void *buf,
				  size_t len)
{
	struct kipc_mq_sendrecv_args a = {
		.send_buf = buf, .send_len = len,
		.recv_fd = c->fd[!dir][0], .recv_buf = buf, .recv_len = len,
		.clockid = CLOCK_MONOTONIC,
	};

	return kipc_mq_sendrecv(c->fd[dir][0], &a);
}

/* POSIX message queues. */
static int pmq_chan_open(struct chan *c)
{
	struct mq_attr attr = { .mq_maxmsg = c->depth, .mq_msgsize = c->size };
	char name[64];
	int d;
	mqd_t q;

	for (d = 0; d < 2; d++) {
		chan_name(name, sizeof(name), "/", d);
		q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
		if (q == (mqd_t)-1)
			return -errno;
		mq_unlink(name);
		c->fd[d][0] = q;
	}
	return 0;
}

static int pmq_chan_send(struct chan *c, int dir, const void *buf, size_t len)
{
	return mq_send(c->fd[dir][0], buf, len, 0) ? -errno : 0;
}

static ssize_t pmq_chan_recv(struct chan *c, int dir, void *buf, size_t len)
{
	ssize_t n = mq_receive(c->fd[dir][0], buf, len, NULL);

	return n < 0 ? -errno : n;
}

/* SysV message queues: one per direction, so nobody filters by type. */
struct sysv_msg {
	long mtype;
	char mtext[];
};

static int sysv_chan_open(struct chan *c)
{
	struct msqid_ds ds;
	int d, id;

	for (d = 0; d < 2; d++) {
		id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		if (id < 0)
			return -errno;
		c->fd[d][0] = id;
		if (msgctl(id, IPC_STAT, &ds))
			return -errno;
		/* Room for depth messages, as the other peers have. */
		ds.msg_qbytes = c->depth * c->size;
		if (ds.msg_qbytes < c->size)
			ds.msg_qbytes = c->size;
		if (msgctl(id, IPC_SET, &ds))
			return -errno;
	}
	c->shared = malloc(sizeof(struct sysv_msg) + c->size);
	return c->shared ? 0 : -ENOMEM;
}

static void sysv_chan_close(struct chan *c, bool parent)
{
	int d;

	if (parent)
		for (d = 0; d < 2; d++)
			msgctl(c->fd[d][0], IPC_RMID, NULL);
	free(c->shared);
}

static int sysv_chan_send(struct chan *c, int dir, const void *buf,
			  size_t len)
{
	struct sysv_msg *m = c->shared;

	m->mtype = 1;
	memcpy(m->mtext, buf, len);
	return msgsnd(c->fd[dir][0], m, len, 0) ? -errno : 0;
}

static ssize_t sysv_chan_recv(struct chan *c, int dir, void *buf, size_t len)
{
	struct sysv_msg *m = c->shared;
	ssize_t n;

	n = msgrcv(c->fd[dir][0], m, len, 0, 0);
	if (n < 0)
		return -errno;
	memcpy(buf, m->mtext, n);
	return n;
}

/* A pipe per direction carrying fixed-size records. */
static int pipe_chan_open(struct chan *c)
{
	int d, p[2];
	long sz = c->depth * c->size;

	for (d = 0; d < 2; d++) {
		if (pipe(p))
			return -errno;
		c->fd[d][0] = p[0];
		c->fd[d][1] = p[1];
		if (sz > 4096)
			fcntl(p[1], F_SETPIPE_SZ, sz);
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

static ssize_t read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, p + done, len - done);
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		done += n;
	}
	return done;
}

static int pipe_chan_send(struct chan *c, int dir, const void *buf,
			  size_t len)
{
	return write_all(c->fd[dir][1], buf, len);
}

static ssize_t pipe_chan_recv(struct chan *c, int dir, void *buf, size_t len)
{
	return read_all(c->fd[dir][0], buf, len);
}

/* One SOCK_SEQPACKET pair: the parent's end is [0][0], the child's [1][0]. */
static int unix_chan_open(struct chan *c)
{
	int sv[2], d, sz = 4 * c->size + 64 * KIB;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv))
		return -errno;
	for (d = 0; d < 2; d++) {
		setsockopt(sv[d], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
		setsockopt(sv[d], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	}
	c->fd[0][0] = sv[0];
	c->fd[1][0] = sv[1];
	return 0;
}

static void unix_chan_close(struct chan *c, bool parent)
{
	(void)parent;
	close(c->fd[0][0]);
	close(c->fd[1][0]);
}

/* Sending in @dir writes the sender's end: 0 from the parent, 1 the child. */
static int unix_chan_send(struct chan *c, int dir, const void *buf,
			  size_t len)
{
	return send(c->fd[dir][0], buf, len, 0) < 0 ? -errno : 0;
}

static ssize_t unix_chan_recv(struct chan *c, int dir, void *buf, size_t len)
{
	ssize_t n = recv(c->fd[!dir][0], buf, len, 0);

	return n < 0 ? -errno : n;
}

/*
 * The floor: a sequence word per direction in shared memory and the payload
 * copied through a shared buffer, with FUTEX_WAIT/FUTEX_WAKE and no spinning.
 * One message in flight per direction, enough for a ping-pong.
 */
struct futex_area {
	_Atomic uint32_t seq[2];
	_Atomic uint32_t waiters[2];	/* futex-spin: asleep in FUTEX_WAIT */
	char buf[];
};

/* What each side has consumed: private, as each process has its copy. */
static uint32_t futex_seen[2];

static long sys_futex(_Atomic uint32_t *uaddr, int op, uint32_t val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static int futex_chan_open(struct chan *c)
{
	struct futex_area *a;

	a = mmap(NULL, sizeof(*a) + 2 * c->size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return -errno;
	memset(a, 0, sizeof(*a));
	futex_seen[0] = 0;
	futex_seen[1] = 0;
	c->shared = a;
	return 0;
}

static void futex_chan_close(struct chan *c, bool parent)
{
	(void)parent;
	munmap(c->shared, sizeof(struct futex_area) + 2 * c->size);
}

static int futex_chan_send(struct chan *c, int dir, const void *buf,
			   size_t len)
{
	struct futex_area *a = c->shared;

	memcpy(a->buf + dir * c->size, buf, len);
	atomic_fetch_add_explicit(&a->seq[dir], 1, memory_order_release);
	sys_futex(&a->seq[dir], FUTEX_WAKE, 1);
	return 0;
}

static ssize_t futex_chan_recv(struct chan *c, int dir, void *buf, size_t len)
{
	struct futex_area *a = c->shared;
	uint32_t v;

	for (;;) {
		v = atomic_load_explicit(&a->seq[dir], memory_order_acquire);
		if (v != futex_seen[dir])
			break;
		sys_futex(&a->seq[dir], FUTEX_WAIT, v);
	}
	futex_seen[dir] = v;
	memcpy(buf, a->buf + dir * c->size, len);
	return len;
}

/*
 * A spinning futex, as glibc's adaptive mutex: the receiver spins for up to
 * 100 us (kipc's default spin_max_us) before FUTEX_WAIT, and the sender
 * makes the FUTEX_WAKE call only for a receiver that announced it sleeps.
 * Sequentially consistent atomics on both sides: either the sender sees
 * the waiter, or the waiter's FUTEX_WAIT sees the new sequence.
 */
#define FUTEX_SPIN_NS	100000

/* The busy-wait hint of the CPU the bench was built for, as cpu_relax(). */
static inline void spin_hint(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	atomic_signal_fence(memory_order_seq_cst);
#endif
}

static int futex_spin_chan_send(struct chan *c, int dir, const void *buf,
				size_t len)
{
	struct futex_area *a = c->shared;

	memcpy(a->buf + dir * c->size, buf, len);
	atomic_fetch_add(&a->seq[dir], 1);
	if (atomic_load(&a->waiters[dir]))
		sys_futex(&a->seq[dir], FUTEX_WAKE, 1);
	return 0;
}

static ssize_t futex_spin_chan_recv(struct chan *c, int dir, void *buf,
				    size_t len)
{
	struct futex_area *a = c->shared;
	double until = now_ns() + FUTEX_SPIN_NS;
	uint32_t v;

	while ((v = atomic_load(&a->seq[dir])) == futex_seen[dir] &&
	       now_ns() < until)
		spin_hint();
	while (v == futex_seen[dir]) {
		atomic_fetch_add(&a->waiters[dir], 1);
		sys_futex(&a->seq[dir], FUTEX_WAIT, v);
		atomic_fetch_sub(&a->waiters[dir], 1);
		v = atomic_load(&a->seq[dir]);
	}
	futex_seen[dir] = v;
	memcpy(buf, a->buf + dir * c->size, len);
	return len;
}

/*
 * A shared-memory ring of one slot per direction, busy-polled: no system
 * call at all, the physical floor of messaging between two processes.
 */
static int poll_chan_send(struct chan *c, int dir, const void *buf,
			  size_t len)
{
	struct futex_area *a = c->shared;

	memcpy(a->buf + dir * c->size, buf, len);
	atomic_fetch_add_explicit(&a->seq[dir], 1, memory_order_release);
	return 0;
}

static ssize_t poll_chan_recv(struct chan *c, int dir, void *buf, size_t len)
{
	struct futex_area *a = c->shared;
	uint32_t v;

	while ((v = atomic_load_explicit(&a->seq[dir], memory_order_acquire)) ==
	       futex_seen[dir])
		spin_hint();
	futex_seen[dir] = v;
	memcpy(buf, a->buf + dir * c->size, len);
	return len;
}

/* --- semaphores as channels carrying no payload -------------------------- */

static int ksem_chan_open(struct chan *c)
{
	char name[64];
	int d, fd;

	for (d = 0; d < 2; d++) {
		chan_name(name, sizeof(name), "", d);
		fd = kipc_sem_open(name, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL |
				   KIPC_OPEN_READ | KIPC_OPEN_WRITE, 0600, 0);
		if (fd < 0)
			return fd;
		kipc_unlink(KIPC_OBJ_SEM, name);
		c->fd[d][0] = fd;
	}
	return 0;
}

static int ksem_chan_send(struct chan *c, int dir, const void *buf, size_t len)
{
	(void)buf, (void)len;
	return kipc_sem_post(c->fd[dir][0], 1);
}

static ssize_t ksem_chan_recv(struct chan *c, int dir, void *buf, size_t len)
{
	(void)buf, (void)len;
	return kipc_sem_wait(c->fd[dir][0], 1, 0);
}

static ssize_t ksem_ns_chan_recv(struct chan *c, int dir, void *buf,
				 size_t len)
{
	(void)buf, (void)len;
	return kipc_sem_wait(c->fd[dir][0], 1, KIPC_WAIT_NOSPIN);
}

static int psem_chan_open(struct chan *c)
{
	sem_t *s;

	s = mmap(NULL, 2 * sizeof(*s), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return -errno;
	if (sem_init(&s[0], 1, 0) || sem_init(&s[1], 1, 0))
		return -errno;
	c->shared = s;
	return 0;
}

static void psem_chan_close(struct chan *c, bool parent)
{
	(void)parent;
	munmap(c->shared, 2 * sizeof(sem_t));
}

static int psem_chan_send(struct chan *c, int dir, const void *buf, size_t len)
{
	sem_t *s = c->shared;

	(void)buf, (void)len;
	return sem_post(&s[dir]) ? -errno : 0;
}

static ssize_t psem_chan_recv(struct chan *c, int dir, void *buf, size_t len)
{
	sem_t *s = c->shared;

	(void)buf, (void)len;
	while (sem_wait(&s[dir]))
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int vsem_chan_open(struct chan *c)
{
	int id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);

	if (id < 0)
		return -errno;
	c->fd[0][0] = id;
	return 0;
}

static void vsem_chan_close(struct chan *c, bool parent)
{
	if (parent)
		semctl(c->fd[0][0], 0, IPC_RMID);
}

static int vsem_op(struct chan *c, int dir, int op)
{
	struct sembuf sb = { .sem_num = dir, .sem_op = op };

	while (semop(c->fd[0][0], &sb, 1))
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int vsem_chan_send(struct chan *c, int dir, const void *buf, size_t len)
{
	(void)buf, (void)len;
	return vsem_op(c, dir, 1);
}

static ssize_t vsem_chan_recv(struct chan *c, int dir, void *buf, size_t len)
{
	(void)buf, (void)len;
	return vsem_op(c, dir, -1);
}

static const struct chan chan_kipc = {
	.name = "kipc", .open = kipc_chan_open, .close = fd_chan_close,
	.send = kipc_chan_send, .recv = kipc_chan_recv,
};

static const struct chan chan_kipcns = {
	.name = "kipc-nospin", .open = kipc_chan_open, .close = fd_chan_close,
	.send = kipc_ns_chan_send, .recv = kipc_ns_chan_recv,
};

static const struct chan chan_kipcv = {
	.name = "kipc-vec64", .open = kipc_chan_open, .close = fd_chan_close,
	.send = kipc_chan_send, .recv = kipc_chan_recv,
	.sendv = kipc_chan_sendv, .recvv = kipc_chan_recvv,
};

static const struct chan chan_kipcsr = {
	.name = "kipc-sendrecv", .open = kipc_chan_open,
	.close = fd_chan_close,
	.send = kipc_chan_send, .recv = kipc_chan_recv,
	.sendrecv = kipc_chan_sendrecv,
};

static const struct chan chan_pmq = {
	.name = "posix-mq", .open = pmq_chan_open, .close = fd_chan_close,
	.send = pmq_chan_send, .recv = pmq_chan_recv,
};

static const struct chan chan_sysv = {
	.name = "sysv-msg", .open = sysv_chan_open, .close = sysv_chan_close,
	.send = sysv_chan_send, .recv = sysv_chan_recv,
};

static const struct chan chan_pipe = {
	.name = "pipe", .open = pipe_chan_open, .close = fd_chan_close,
	.send = pipe_chan_send, .recv = pipe_chan_recv,
};

static const struct chan chan_unix = {
	.name = "unix-seqpacket", .open = unix_chan_open,
	.close = unix_chan_close,
	.send = unix_chan_send, .recv = unix_chan_recv,
};

static const struct chan chan_futex = {
	.name = "futex", .open = futex_chan_open, .close = futex_chan_close,
	.send = futex_chan_send, .recv = futex_chan_recv,
};

static const struct chan chan_futex_spin = {
	.name = "futex-spin", .open = futex_chan_open,
	.close = futex_chan_close,
	.send = futex_spin_chan_send, .recv = futex_spin_chan_recv,
};

static const struct chan chan_poll = {
	.name = "shm-poll", .open = futex_chan_open, .close = futex_chan_close,
	.send = poll_chan_send, .recv = poll_chan_recv,
};

static const struct chan chan_ksemns = {
	.name = "kipc-nospin", .open = ksem_chan_open, .close = fd_chan_close,
	.send = ksem_chan_send, .recv = ksem_ns_chan_recv,
};

static const struct chan chan_ksem = {
	.name = "kipc", .open = ksem_chan_open, .close = fd_chan_close,
	.send = ksem_chan_send, .recv = ksem_chan_recv,
};

static const struct chan chan_psem = {
	.name = "posix-sem", .open = psem_chan_open, .close = psem_chan_close,
	.send = psem_chan_send, .recv = psem_chan_recv,
};

static const struct chan chan_vsem = {
	.name = "sysv-sem", .open = vsem_chan_open, .close = vsem_chan_close,
	.send = vsem_chan_send, .recv = vsem_chan_recv,
};

static int chan_setup(struct chan *c, const struct chan *tmpl, size_t size,
		      unsigned int depth)
{
	int ret;

	*c = *tmpl;
	c->size = size ? size : 1;
	c->depth = depth;
	memset(c->fd, -1, sizeof(c->fd));
	ret = c->open(c);
	if (ret)
		fail("%s: setup: %s", c->name, strerror(-ret));
	return ret;
}

/* This process's CPU time so far, user + system, in ns. */
static double self_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * The child's status: 0 if it did all its work (or, with @killed, if it
 * died of the SIGKILL it was sent). Adds its CPU time to *@cpu_ns.
 */
static int reap_cpu(pid_t pid, bool killed, double *cpu_ns)
{
	struct rusage ru;
	int st;

	if (wait4(pid, &st, 0, &ru) < 0)
		return -1;
	*cpu_ns += (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
		   (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
	if (killed)
		return 0;
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : -1;
}

/* Busy for @us microseconds of wall time: a peer doing work. */
static void busy_us(long us)
{
	double until = now_ns() + us * 1e3;

	while (now_ns() < until)
		;
}

/* The echoing child's work per request, in us (the slow-peer cases). */
static long peer_work_us;

/*
 * Round trips of @size bytes: the parent sends on 0 and waits on 1, the
 * child echoes. At most @n round trips after a warm-up, and no more than
 * sample_budget seconds of them, so that a slow peer does not hold the run
 * up. The parent raises *stop before its last message. Returns nanoseconds
 * per round trip.
 */
static double sample_budget = 0.1;

static double pingpong(const struct chan *tmpl, size_t size, long n)
{
	long warm = n / 20 + 1 < 10 ? n / 20 + 1 : 10, i;
	volatile int *stop;
	struct chan c;
	double t0 = 0, t = 0;
	bool last = false;
	double cpu0, cpu = 0;
	char *buf;
	pid_t pid;
	int bad = 0;

	if (chan_setup(&c, tmpl, size, 4))
		return -1;
	buf = calloc(1, c.size);
	stop = mmap(NULL, sizeof(*stop), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stop == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	*stop = 0;
	cpu0 = self_cpu_ns();
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		/* With sendrecv: each reply and the wait for the next ask. */
		if (c.recv(&c, 0, buf, size) < 0)
			_exit(1);
		while (!*stop) {
			if (peer_work_us)
				busy_us(peer_work_us);
			if (c.sendrecv ? c.sendrecv(&c, 1, buf, size) < 0 :
			    (c.send(&c, 1, buf, size) < 0 ||
			     c.recv(&c, 0, buf, size) < 0))
				_exit(1);
		}
		if (c.send(&c, 1, buf, size) < 0)
			_exit(1);
		c.close(&c, false);
		_exit(0);
	}
	for (i = 0; !last; i++) {
		if (i == warm)
			t0 = now_ns();
		if (i >= warm) {
			t = now_ns();
			last = i + 1 >= warm + n ||
			       t - t0 >= sample_budget * 1e9;
			if (last)
				*stop = 1;
		}
		if (c.sendrecv ? c.sendrecv(&c, 0, buf, size) < 0 :
		    (c.send(&c, 0, buf, size) < 0 ||
		     c.recv(&c, 1, buf, size) < 0)) {
			bad = 1;
			kill(pid, SIGKILL);
			break;
		}
	}
	t = now_ns();
	if (reap_cpu(pid, false, &cpu))
		bad = 1;
	/* Both sides, over every round trip, the warm-up's too. */
	cpu += self_cpu_ns() - cpu0;
	if (i > 0)
		sample_cpu_us = cpu / i / 1e3;
	c.close(&c, true);
	munmap((void *)stop, sizeof(*stop));
	free(buf);
	return bad ? -1 : (t - t0) / (i - warm);
}

/*
 * One-way: the child sends @n messages of @size bytes (in batches of @batch
 * through sendv/recvv when @batch > 1), the parent receives. Returns
 * messages per second.
 */
static double stream(const struct chan *tmpl, size_t size, unsigned int depth,
		     long n, unsigned int batch)
{
	long warm = n / 10 + batch, i, got;
	bool stopped = false;
	struct chan c;
	double t0 = 0, t, cpu0, cpu = 0;
	char *buf;
	pid_t pid;
	int bad = 0, r;

	if (chan_setup(&c, tmpl, size, depth))
		return -1;
	n = (n + batch - 1) / batch * batch;
	/* A warm-up of at most 2000 messages and 1 MiB. */
	if (warm > 2000)
		warm = 2000;
	if (warm * size > KIB * KIB)
		warm = KIB * KIB / size;
	warm = (warm + batch - 1) / batch * batch;
	buf = calloc(batch, c.size);
	cpu0 = self_cpu_ns();
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		for (i = 0; i < warm + n; i += batch) {
			if (batch > 1)
				r = c.sendv(&c, 0, buf, size, batch);
			else
				r = c.send(&c, 0, buf, size);
			if (r < 0)
				_exit(1);
		}
		c.close(&c, false);
		_exit(0);
	}
	for (got = 0; got < warm + n; got += r) {
		if (got >= warm && !t0)
			t0 = now_ns();
		/* The time budget is up: the sender dies where it is. */
		if (t0 && (t = now_ns()) - t0 >= sample_budget * 1e9) {
			stopped = true;
			kill(pid, SIGKILL);
			break;
		}
		if (batch > 1) {
			r = c.recvv(&c, 0, buf, size, batch);
		} else {
			r = c.recv(&c, 0, buf, size) < 0 ? -1 : 1;
		}
		if (r <= 0) {
			bad = 1;
			kill(pid, SIGKILL);
			break;
		}
	}
	if (!stopped)
		t = now_ns();
	if (reap_cpu(pid, stopped, &cpu))
		bad = 1;
	/* Both sides, per message received, the warm-up's too. */
	cpu += self_cpu_ns() - cpu0;
	if (got > 0)
		sample_cpu_us = cpu / got / 1e3;
	c.close(&c, true);
	free(buf);
	return bad ? -1 : (got - warm) / ((t - t0) / 1e9);
}

/* --- the cases ------------------------------------------------------------ */

struct chan_case {
	const struct chan *const *chans;
	size_t size;
	unsigned int depth;
	long n;
	unsigned int batch[MAX_IMPLS];
	double scale;		/* multiply the sample by this */
};

static double pingpong_sample(int impl, void *arg)
{
	struct chan_case *cc = arg;
	double ns = pingpong(cc->chans[impl], cc->size, cc->n);

	return ns < 0 ? ns : ns / 1000;
}

static double stream_sample(int impl, void *arg)
{
	struct chan_case *cc = arg;
	unsigned int batch = cc->batch[impl] ? cc->batch[impl] : 1;
	double rate = stream(cc->chans[impl], cc->size, cc->depth, cc->n,
			     batch);

	return rate < 0 ? rate : rate * cc->scale;
}

static int chan_names(const struct chan *const *chans, const char **names)
{
	int n;

	for (n = 0; chans[n]; n++)
		names[n] = chans[n]->name;
	return n;
}

static void case_rtt(void)
{
	static const struct chan *const chans[] = {
		&chan_kipc, &chan_kipcns, &chan_pmq, &chan_sysv, &chan_pipe,
		&chan_unix, &chan_futex, &chan_futex_spin, &chan_poll,
		&chan_kipcsr, NULL,
	};
	static const struct { size_t size; long n; const char *name; } sz[] = {
		{ 64, 20000, "rtt-64B" },
		{ 4 * KIB, 20000, "rtt-4KiB" },
		{ 64 * KIB, 5000, "rtt-64KiB" },
	};
	const char *names[MAX_IMPLS];
	int n = chan_names(chans, names);
	unsigned int i;

	for (i = 0; i < sizeof(sz) / sizeof(sz[0]); i++) {
		struct chan_case cc = {
			.chans = chans, .size = sz[i].size, .n = iters(sz[i].n),
		};

		measure(sz[i].name, "us", true, names, n, pingpong_sample,
			&cc);
	}
}

static void case_tput(void)
{
	static const struct chan *const chans[] = {
		&chan_kipc, &chan_kipcv, &chan_pmq, &chan_sysv, &chan_pipe,
		&chan_kipcns, NULL,
	};
	const char *names[MAX_IMPLS];
	int n = chan_names(chans, names);
	/*
	 * Room for 1024 messages, 64 KiB, a default pipe's buffer, for every
	 * peer. Under emulation a wake-up of the other vCPU takes about
	 * 300 us (ftrace), in which kipc-vec64 moves about 300 messages: a
	 * shallower queue makes producer and consumer take turns instead of
	 * overlapping.
	 */
	struct chan_case cc = {
		.chans = chans, .size = 64, .depth = 1024, .n = iters(1000000),
		.batch = { [1] = 64 }, .scale = 1e-3,
	};

	measure("tput-64B", "kmsg/s", false, names, n, stream_sample, &cc);
}

static void case_tput64k(void)
{
	static const struct chan *const chans[] = {
		&chan_kipc, &chan_pipe, &chan_pmq, &chan_kipcns, NULL,
	};
	const char *names[MAX_IMPLS];
	int n = chan_names(chans, names);
	struct chan_case cc = {
		.chans = chans, .size = 64 * KIB, .depth = 8, .n = iters(100000),
		.scale = 64.0 * KIB / 1e6,
	};

	measure("tput-64KiB", "MB/s", false, names, n, stream_sample, &cc);
}

static void case_sem(void)
{
	static const struct chan *const chans[] = {
		&chan_ksem, &chan_psem, &chan_vsem, &chan_ksemns, NULL,
	};
	const char *names[MAX_IMPLS];
	int n = chan_names(chans, names);
	struct chan_case cc = { .chans = chans, .size = 0, .n = iters(20000) };

	measure("sem-pingpong", "us", true, names, n, pingpong_sample, &cc);
}

/* The peers of the slow-peer and loaded round trips. */
static const struct chan *const rtt_blocking[] = {
	&chan_kipc, &chan_kipcns, &chan_pmq, &chan_futex, &chan_futex_spin,
	NULL,
};

/*
 * A server that works 300 us (busy) on each request: the round trip, and
 * the CPU time of both sides beyond those 300 us, per round trip.
 */
#define SLOW_WORK_US	300

static void case_slow(void)
{
	const char *names[MAX_IMPLS];
	int n = chan_names(rtt_blocking, names), i, k;
	struct chan_case cc = {
		.chans = rtt_blocking, .size = 64, .n = iters(2000),
	};
	struct result *rc, *rb;

	peer_work_us = SLOW_WORK_US;
	measure("rtt-64B-slow300us", "us", true, names, n, pingpong_sample,
		&cc);
	peer_work_us = 0;
	rc = find_result("rtt-64B-slow300us-cpu");
	if (!rc)
		return;
	rb = new_result("rtt-64B-slow300us-cpu-beyond-work", "us/op", true,
			names, n, rc->nsamples);
	for (i = 0; i < n; i++)
		for (k = 0; k < rc->nsamples; k++)
			rb->sample[i][k] = rc->sample[i][k] - SLOW_WORK_US;
	finish_result(rb);
}

/* CPU-bound processes at normal priority, running beside a case. */
static pid_t hogs[256];
static int nhogs;

static void hogs_start(int per_cpu)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	pid_t pid;

	for (nhogs = 0; nhogs < per_cpu * cpus &&
	     nhogs < (int)(sizeof(hogs) / sizeof(hogs[0])); nhogs++) {
		pid = fork();
		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (!pid) {
			/* Gone with the bench, however it ends. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				__asm__ volatile("" ::: "memory");
		}
		hogs[nhogs] = pid;
	}
}

static void hogs_stop(void)
{
	int i;

	for (i = 0; i < nhogs; i++)
		kill(hogs[i], SIGKILL);
	for (i = 0; i < nhogs; i++)
		waitpid(hogs[i], NULL, 0);
	nhogs = 0;
}

/*
 * 64 B round trips on a loaded machine: one, then two CPU-bound processes
 * per CPU run throughout. The CPU time counted is the case's own two
 * processes', not the load's.
 */
static void case_load(void)
{
	const char *names[MAX_IMPLS];
	int n = chan_names(rtt_blocking, names), per_cpu;
	struct chan_case cc = {
		.chans = rtt_blocking, .size = 64, .n = iters(20000),
	};
	char name[48];

	for (per_cpu = 1; per_cpu <= 2; per_cpu++) {
		snprintf(name, sizeof(name), "rtt-64B-load%d", per_cpu);
		hogs_start(per_cpu);
		measure(name, "us", true, names, n, pingpong_sample, &cc);
		hogs_stop();
	}
}

/*
 * Uncontended take-and-give of two semaphores, in ns per pair of
 * operations: one kipc_sem_multi() each way, against four single kipc
 * calls (the same work without atomicity) and against SysV semop() on a
 * set of two, each way in one call.
 */
enum { SEMM_MULTI, SEMM_SINGLE, SEMM_SYSV };

static double sem_multi_sample(int impl, void *arg)
{
	long i, n = *(long *)arg;
	struct sembuf take[2] = { { 0, -1, 0 }, { 1, -1, 0 } };
	struct sembuf give[2] = { { 0, 1, 0 }, { 1, 1, 0 } };
	struct kipc_sem_op ktake[2], kgive[2];
	char name[2][64];
	int fd[2] = { -1, -1 }, id = -1, k, ret = 0;
	double t0, t1;

	if (impl == SEMM_SYSV) {
		id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
		if (id < 0)
			return -1;
		for (k = 0; k < 2; k++)
			semctl(id, k, SETVAL, 1);
	} else {
		for (k = 0; k < 2; k++) {
			snprintf(name[k], sizeof(name[k]), "bench-semm-%d-%d",
				 (int)getpid(), k);
			fd[k] = kipc_sem_open(name[k], KIPC_OPEN_READ |
					      KIPC_OPEN_WRITE | KIPC_OPEN_CREATE |
					      KIPC_OPEN_CLOEXEC, 0600, 1);
			if (fd[k] < 0)
				return -1;
			ktake[k] = (struct kipc_sem_op){ .fd = fd[k], .delta = -1 };
			kgive[k] = (struct kipc_sem_op){ .fd = fd[k], .delta = 1 };
		}
	}
	t0 = now_ns();
	for (i = 0; i < n && !ret; i++) {
		switch (impl) {
		case SEMM_MULTI:
			ret = kipc_sem_multi(ktake, 2, 0, CLOCK_MONOTONIC, NULL) ||
			      kipc_sem_multi(kgive, 2, 0, CLOCK_MONOTONIC, NULL);
			break;
		case SEMM_SINGLE:
			ret = kipc_sem_wait(fd[0], 1, 0) ||
			      kipc_sem_wait(fd[1], 1, 0) ||
			      kipc_sem_post(fd[0], 1) || kipc_sem_post(fd[1], 1);
			break;
		case SEMM_SYSV:
			ret = semop(id, take, 2) || semop(id, give, 2);
			break;
		}
	}
	t1 = now_ns();
	if (id >= 0)
		semctl(id, 0, IPC_RMID);
	for (k = 0; k < 2; k++) {
		if (fd[k] >= 0) {
			close(fd[k]);
			kipc_unlink(KIPC_OBJ_SEM, name[k]);
		}
	}
	return ret ? -1 : (t1 - t0) / n;
}

static void case_sem_multi(void)
{
	static const char *const names[] = {
		[SEMM_MULTI] = "kipc-multi", [SEMM_SINGLE] = "kipc-single",
		[SEMM_SYSV] = "sysv-semop",
	};
	long n = iters(200000);

	measure("sem-multi-2", "ns", true, names, 3, sem_multi_sample, &n);
}

/* --- regions ------------------------------------------------------------ */

#define REGION_SIZE	(8 * KIB * KIB)

/* A region fd of @size bytes: kipc (impl 0) or memfd (impl 1). */
static int region_fd(int impl, size_t size)
{
	char name[64];
	int fd;

	if (impl == 0) {
		chan_name(name, sizeof(name), "", 0);
		fd = kipc_shm_open(name, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL |
				   KIPC_OPEN_READ | KIPC_OPEN_WRITE, 0600,
				   size);
		if (fd >= 0)
			kipc_unlink(KIPC_OBJ_SHM, name);
		return fd;
	}
	fd = memfd_create("kb", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, size)) {
		close(fd);
		return -errno;
	}
	return fd;
}

/*
 * MB/s writing a fresh region through a shared mapping: the first pass
 * faults every page in, the next two write over resident pages.
 */
static double shm_write_sample(int impl, void *arg)
{
	size_t size = smoke ? 256 * KIB : REGION_SIZE;
	int fd = region_fd(impl, size), pass;
	double t0, t;
	char *p;

	(void)arg;
	if (fd < 0)
		return -1;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return -1;
	}
	t0 = now_ns();
	for (pass = 0; pass < 3; pass++)
		memset(p, pass + 1, size);
	t = now_ns();
	munmap(p, size);
	close(fd);
	return 3.0 * size / ((t - t0) / 1e3);
}

/* Microseconds for create + map + unmap + destroy of a 64 KiB region. */
static double shm_cycle_sample(int impl, void *arg)
{
	long n = iters(300), i;
	size_t size = 64 * KIB;
	char name[64];
	double t0;
	void *p;
	size_t len;
	int fd;

	(void)arg;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (impl == 0) {
			chan_name(name, sizeof(name), "", 0);
			fd = kipc_shm_open(name, KIPC_OPEN_CREATE |
					   KIPC_OPEN_EXCL | KIPC_OPEN_READ |
					   KIPC_OPEN_WRITE, 0600, size);
			if (fd < 0 ||
			    kipc_shm_map(fd, PROT_READ | PROT_WRITE, &p, &len))
				return -1;
			kipc_shm_unmap(p, len);
			close(fd);
			if (kipc_unlink(KIPC_OBJ_SHM, name))
				return -1;
		} else {
			chan_name(name, sizeof(name), "/", 0);
			fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
			if (fd < 0 || ftruncate(fd, size))
				return -1;
			p = mmap(NULL, size, PROT_READ | PROT_WRITE,
				 MAP_SHARED, fd, 0);
			if (p == MAP_FAILED)
				return -1;
			munmap(p, size);
			close(fd);
			if (shm_unlink(name))
				return -1;
		}
	}
	return (now_ns() - t0) / n / 1000;
}

static void case_shm(void)
{
	static const char *const w[] = { "kipc", "memfd" };
	static const char *const c[] = { "kipc", "shm_open" };

	measure("shm-write-bw", "MB/s", false, w, 2, shm_write_sample, NULL);
	measure("shm-create-map-destroy", "us", true, c, 2, shm_cycle_sample,
		NULL);
}

/* --- scale: open by name, netlink dump ---------------------------------- */

static char scale_prefix[32];

static void scale_name(char *buf, size_t len, long i)
{
	snprintf(buf, len, "%s%ld", scale_prefix, i);
}

/* Grow or shrink the namespace's bench semaphores to @want. */
static long scale_have;

static void scale_resize(long want)
{
	char name[64];
	int fd;

	while (scale_have < want) {
		scale_name(name, sizeof(name), scale_have);
		fd = kipc_sem_open(name, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL |
				   KIPC_OPEN_READ | KIPC_OPEN_WRITE, 0600, 0);
		if (fd < 0)
			die("creating semaphore %ld: %s", scale_have,
			    strerror(-fd));
		close(fd);
		scale_have++;
	}
	while (scale_have > want) {
		scale_have--;
		scale_name(name, sizeof(name), scale_have);
		if (kipc_unlink(KIPC_OBJ_SEM, name))
			die("unlinking semaphore %ld", scale_have);
	}
}

/*
 * Microseconds per open of an existing semaphore by name, the names picked
 * at random among the first ten (which exist in both states). The fds are
 * closed outside the timed part, in batches.
 */
static double open_sample(void)
{
	long n = iters(3000), i, j;
	int fds[128], k;
	char name[64];
	double t0, total = 0;

	for (i = 0; i < n; i += 128) {
		k = n - i < 128 ? n - i : 128;
		t0 = now_ns();
		for (j = 0; j < k; j++) {
			scale_name(name, sizeof(name), random() % 10);
			fds[j] = kipc_sem_open(name, KIPC_OPEN_READ, 0, 0);
			if (fds[j] < 0)
				return -1;
		}
		total += now_ns() - t0;
		for (j = 0; j < k; j++)
			close(fds[j]);
	}
	return total / n / 1000;
}

static double open_scale_sample(int impl, void *arg)
{
	long want = impl == 0 ? scale_objects : 10;

	(void)arg;
	if (scale_have != want) {
		scale_resize(want);
		/* The name table resizes in a worker: let it finish. */
		usleep(smoke ? 10000 : 1000000);
	}
	return open_sample();
}

static int dump_cb(const struct kipc_admin_obj *obj, void *arg)
{
	(void)obj;
	++*(long *)arg;
	return 0;
}

static double dump_sample(int impl, void *arg)
{
	struct kipc_admin *ka;
	long seen = 0;
	double t0, t;
	int ret;

	(void)impl, (void)arg;
	scale_resize(scale_objects);
	ret = kipc_admin_open(&ka);
	if (ret)
		return -1;
	t0 = now_ns();
	ret = kipc_admin_list(ka, dump_cb, &seen);
	t = now_ns();
	kipc_admin_close(ka);
	if (ret < 0 || seen < scale_objects)
		return -1;
	return (t - t0) / 1e6;
}

/*
 * The SysV peer of the dump: @scale_objects message queues, listed by
 * reading /proc/sysvipc/msg to the end (what ipcs -q does). kernel.msgmni
 * is raised for them in raise_limits(); above 32768 it takes the kernel's
 * ipcmni_extend boot option, which make bench passes.
 */
static int *sysv_ids;
static long sysv_have;

static int sysv_resize(long want)
{
	while (sysv_have < want) {
		int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);

		if (id < 0)
			return -errno;
		sysv_ids[sysv_have++] = id;
	}
	while (sysv_have > want)
		msgctl(sysv_ids[--sysv_have], IPC_RMID, NULL);
	return 0;
}

static long read_lines(const char *path)
{
	static char buf[1 << 16];
	long lines = 0;
	ssize_t n, i;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	return n < 0 ? -1 : lines;
}

static double dump_vs_sysv_sample(int impl, void *arg)
{
	double t0, t;
	long seen;

	if (impl == 0)
		return dump_sample(impl, arg);
	t0 = now_ns();
	seen = read_lines("/proc/sysvipc/msg");
	t = now_ns();
	/* One header line, then a line per queue. */
	if (seen < scale_objects + 1)
		return -1;
	return (t - t0) / 1e6;
}

static void case_scale(void)
{
	static const char *const o[] = { "kipc", "kipc-at-10" };
	static const char *const d[] = { "kipc" };
	static const char *const dv[] = { "kipc", "sysvipc-proc" };
	char oname[64], dname[64];
	double t0;
	int ret;

	snprintf(scale_prefix, sizeof(scale_prefix), "kbs-%d-", getpid());
	snprintf(oname, sizeof(oname), "open-by-name-at-%ld", scale_objects);
	snprintf(dname, sizeof(dname), "nl-dump-%ld", scale_objects);
	t0 = now_ns();
	scale_resize(scale_objects);
	printf("# created %ld semaphores in %.1f s\n", scale_objects,
	       (now_ns() - t0) / 1e9);
	/*
	 * Growing and shrinking between 10 and @scale_objects is part of
	 * every sample pair: measure() alternates the two, so the cost of
	 * going back and forth is paid 2 * reps times. Keep reps small here.
	 */
	measure_n(dname, "ms", true, d, 1, dump_sample, NULL, 3);
	sysv_ids = calloc(scale_objects, sizeof(*sysv_ids));
	if (!sysv_ids)
		die("out of memory");
	t0 = now_ns();
	ret = sysv_resize(scale_objects);
	if (ret) {
		/* Not a kipc failure: the target row then says "not run". */
		printf("# nl-dump-vs-sysvipc not run: SysV queue %ld: %s "
		       "(kernel.msgmni; above 32768 it needs ipcmni_extend)\n",
		       sysv_have, strerror(-ret));
	} else {
		printf("# created %ld SysV message queues in %.1f s\n",
		       scale_objects, (now_ns() - t0) / 1e9);
		measure_n("nl-dump-vs-sysvipc", "ms", true, dv, 2,
			  dump_vs_sysv_sample, NULL, 3);
	}
	sysv_resize(0);
	free(sysv_ids);
	sysv_ids = NULL;
	measure_n(oname, "us", true, o, 2, open_scale_sample, NULL,
		  scale_reps);
	scale_resize(0);
}

/* --- memory ------------------------------------------------------------- */

/*
 * Kernel memory from the slab allocator: the sum over /proc/slabinfo of
 * active objects times object size, all caches (kipc's own, kmalloc, inodes,
 * dentries...), so whatever an operation allocates counts. SLUB counts
 * whole per-CPU slabs as active, hence many objects per measurement.
 */
static double slabinfo_bytes(const char *only)
{
	char line[512], name[64];
	unsigned long active, num, objsize;
	double sum = 0;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return NAN;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lu %lu %lu", name, &active, &num,
			   &objsize) != 4)
			continue;
		if (only && strcmp(name, only))
			continue;
		sum += (double)active * objsize;
	}
	fclose(f);
	return sum;
}

/* Slab bytes in use, once RCU-deferred frees have had time to happen. */
static double kmem_now(void)
{
	usleep(smoke ? 10000 : 200000);
	return slabinfo_bytes(NULL);
}

/* Empty queues: the bytes per queue that exists by name, with no fd. */
static double mem_queue(int impl, long n)
{
	char name[64];
	double before, after;
	long i;
	int fd;

	snprintf(scale_prefix, sizeof(scale_prefix), "%skbm-%d-",
		 impl ? "/" : "", getpid());
	before = kmem_now();
	for (i = 0; i < n; i++) {
		scale_name(name, sizeof(name), i);
		if (impl == 0) {
			fd = kipc_mq_open(name, KIPC_OPEN_CREATE |
					  KIPC_OPEN_EXCL | KIPC_OPEN_READ |
					  KIPC_OPEN_WRITE, 0600, 16, 64);
		} else {
			struct mq_attr a = { .mq_maxmsg = 16,
					     .mq_msgsize = 64 };

			fd = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600,
				     &a);
		}
		if (fd < 0)
			die("mem: queue %ld: %s", i, strerror(errno));
		close(fd);
	}
	after = kmem_now();
	for (i = 0; i < n; i++) {
		scale_name(name, sizeof(name), i);
		if (impl == 0)
			kipc_unlink(KIPC_OBJ_MQ, name);
		else
			mq_unlink(name);
	}
	return (after - before) / n;
}

/* Bytes per queued 64 B message beyond its payload. */
static double mem_msg(int impl, long n)
{
	char buf[64] = { 0 };
	double before, after;
	struct chan c;
	long i;
	int r;

	if (chan_setup(&c, impl == 0 ? &chan_kipc : impl == 1 ? &chan_pmq :
		       &chan_sysv, 64, n))
		return -1;
	before = kmem_now();
	for (i = 0; i < n; i++) {
		r = c.send(&c, 0, buf, sizeof(buf));
		if (r < 0)
			die("mem: %s message %ld: %s", c.name, i,
			    strerror(-r));
	}
	after = kmem_now();
	c.close(&c, true);
	return (after - before) / n - sizeof(buf);
}

static void case_mem(void)
{
	static const char *const impls[] = { "kipc", "posix-mq", "sysv-msg" };
	long nq = smoke ? 200 : 4000, nm = smoke ? 2000 : 20000;
	struct result *r;
	int i;

	if (access("/proc/slabinfo", R_OK)) {
		fail("mem: no /proc/slabinfo");
		return;
	}
	for (i = 0; i < 2; i++) {
		r = &results[nresults++];
		memset(r, 0, sizeof(*r));
		strcpy(r->name, i ? "mem-per-64B-msg" : "mem-empty-queue");
		strcpy(r->unit, "B");
		r->lower_better = true;
		r->n = i ? 3 : 2;
		r->nsamples = 1;
		for (int k = 0; k < r->n; k++)
			snprintf(r->impl[k], sizeof(r->impl[k]), "%s",
				 impls[k]);
		if (!i) {
			r->med[0] = mem_queue(0, nq);
			r->med[1] = mem_queue(1, nq);
		} else {
			r->med[0] = mem_msg(0, nm);
			r->med[1] = mem_msg(1, nm);
			r->med[2] = mem_msg(2, nm);
		}
		for (int k = 0; k < r->n; k++)
			r->sample[k][0] = r->med[k];
		print_result(r);
		check_sane(r);
	}
	/* The slab object itself, for the record. */
	printf("# kipc_msg-96 objects in use now: %.0f bytes\n",
	       slabinfo_bytes("kipc_msg-96"));
}

/* --- targets ------------------------------------------------------------ */

struct target {
	const char *what;
	const char *result;
	const char *num, *den;	/* den NULL: the value itself */
	bool at_most;
	double limit;
	double measured;
	bool met;
	double best;		/* the ratio of the best samples */
};

static struct target targets[] = {
	{ "64 B round trip, kipc vs POSIX mq", "rtt-64B", "kipc", "posix-mq",
	  true, 0.9, 0, false, 0 },
	{ "64 B round trip, kipc vs futex floor", "rtt-64B", "kipc", "futex",
	  true, 1.3, 0, false, 0 },
	{ "64 B throughput, vectored 64/call vs POSIX mq", "tput-64B",
	  "kipc-vec64", "posix-mq", false, 5.0, 0, false, 0 },
	{ "64 KiB throughput vs pipe", "tput-64KiB", "kipc", "pipe", false,
	  1.0, 0, false, 0 },
	{ "semaphore ping-pong vs SysV semop", "sem-pingpong", "kipc",
	  "sysv-sem", true, 1.0, 0, false, 0 },
	{ "2-sem take+give, multi vs 2 single ops", "sem-multi-2",
	  "kipc-multi", "kipc-single", true, 1.2, 0, false, 0 },
	{ "2-sem take+give, multi vs SysV semop", "sem-multi-2",
	  "kipc-multi", "sysv-semop", true, 1.0, 0, false, 0 },
	{ "region write bandwidth vs memfd", "shm-write-bw", "kipc", "memfd",
	  false, 0.95, 0, false, 0 },
	{ "open by name at 100k vs at 10 objects", NULL, "kipc",
	  "kipc-at-10", true, 1.2, 0, false, 0 },
	{ "overhead per queued 64 B message (B)", "mem-per-64B-msg", "kipc",
	  NULL, true, 64, 0, false, 0 },
	/* Issue 17. */
	{ "64 B round trip, kipc-nospin vs POSIX mq", "rtt-64B",
	  "kipc-nospin", "posix-mq", true, 0.9, 0, false, 0 },
	{ "64 B round trip, kipc vs POSIX mq (spinning)", "rtt-64B", "kipc",
	  "posix-mq", true, 0.15, 0, false, 0 },
	{ "slow peer: CPU beyond work, kipc vs POSIX mq",
	  "rtt-64B-slow300us-cpu-beyond-work", "kipc", "posix-mq", true, 1.2,
	  0, false, 0 },
	{ "slow peer: round trip, kipc vs POSIX mq", "rtt-64B-slow300us",
	  "kipc", "posix-mq", true, 1.0, 0, false, 0 },
	{ "loaded (2/CPU): 64 B round trip vs POSIX mq", "rtt-64B-load2",
	  "kipc", "posix-mq", true, 1.0, 0, false, 0 },
	{ "loaded (2/CPU): CPU per round trip vs POSIX mq",
	  "rtt-64B-load2-cpu", "kipc", "posix-mq", true, 1.0, 0, false, 0 },
	{ "64 KiB round trip vs POSIX mq", "rtt-64KiB", "kipc", "posix-mq",
	  true, 0.9, 0, false, 0 },
	{ "64 KiB one-way throughput vs POSIX mq", "tput-64KiB", "kipc",
	  "posix-mq", false, 1.0, 0, false, 0 },
	{ "64 B one-way, 1 msg/call vs POSIX mq", "tput-64B", "kipc",
	  "posix-mq", false, 1.0, 0, false, 0 },
	{ "sendrecv vs separate send + receive", "rtt-64B", "kipc-sendrecv",
	  "kipc", true, 0.9, 0, false, 0 },
	{ "region create+map+destroy vs shm_open", "shm-create-map-destroy",
	  "kipc", "shm_open", true, 1.0, 0, false, 0 },
	{ "dump 100k objects vs /proc/sysvipc/msg", "nl-dump-vs-sysvipc",
	  "kipc", "sysvipc-proc", true, 1.0, 0, false, 0 },
};

#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static void eval_targets(void)
{
	char oname[64];
	unsigned int i;

	snprintf(oname, sizeof(oname), "open-by-name-at-%ld", scale_objects);
	for (i = 0; i < NTARGETS; i++) {
		struct target *t = &targets[i];
		const char *res = t->result ? t->result : oname;

		struct result *r = find_result(res);

		t->measured = result_of(res, t->num, t->den);
		t->best = NAN;
		if (r && t->den && impl_index(r, t->num) >= 0 &&
		    impl_index(r, t->den) >= 0)
			t->best = best_ratio(r, impl_index(r, t->num),
					     impl_index(r, t->den));
		t->met = isfinite(t->measured) &&
			 (t->at_most ? t->measured <= t->limit :
				       t->measured >= t->limit);
	}
}

static void print_targets(void)
{
	unsigned int i;

	printf("KIPC-BENCH-TABLE-BEGIN\n");
	printf("%-48s %-8s %-10s %-8s %s\n", "target", "wanted",
	       "measured", "verdict", "best-samples");
	for (i = 0; i < NTARGETS; i++) {
		const struct target *t = &targets[i];
		char want[16];

		snprintf(want, sizeof(want), "%s %g", t->at_most ? "<=" : ">=",
			 t->limit);
		if (isnan(t->measured))
			printf("%-48s %-8s %-10s %s\n", t->what, want, "-",
			       "not run");
		else if (isnan(t->best))
			printf("%-48s %-8s %-10.3f %s\n", t->what, want,
			       t->measured, t->met ? "met" : "MISSED");
		else
			printf("%-48s %-8s %-10.3f %-8s %.3f\n", t->what,
			       want, t->measured, t->met ? "met" : "MISSED",
			       t->best);
	}
	printf("measured: median over the repetitions of the ratio of samples taken\n"
	       "side by side; best-samples: ratio of the best samples (information)\n");
	printf("KIPC-BENCH-TABLE-END\n");
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

static void json_num(double v)
{
	if (isfinite(v))
		printf("%.6g", v);
	else
		printf("null");
}

static void print_json(void)
{
	struct utsname u;
	int i, j, k;
	unsigned int t;

	uname(&u);
	printf("KIPC-BENCH-JSON-BEGIN\n{\n  \"kernel\": ");
	json_str(u.release);
	printf(",\n  \"reps\": %d,\n  \"smoke\": %s,\n  \"results\": [\n",
	       reps, smoke ? "true" : "false");
	for (i = 0; i < nresults; i++) {
		const struct result *r = &results[i];

		printf("    {\"case\": ");
		json_str(r->name);
		printf(", \"unit\": ");
		json_str(r->unit);
		printf(", \"lower_is_better\": %s, \"median\": {",
		       r->lower_better ? "true" : "false");
		for (j = 0; j < r->n; j++) {
			printf("%s", j ? ", " : "");
			json_str(r->impl[j]);
			printf(": ");
			json_num(r->med[j]);
		}
		printf("}, \"ratio\": {");
		for (j = 1; j < r->n; j++) {
			printf("%s", j > 1 ? ", " : "");
			json_str(r->impl[j]);
			printf(": ");
			json_num(paired_ratio(r, 0, j));
		}
		printf("}, \"samples\": {");
		for (j = 0; j < r->n && r->nsamples > 1; j++) {
			printf("%s", j ? ", " : "");
			json_str(r->impl[j]);
			printf(": [");
			for (k = 0; k < r->nsamples; k++) {
				printf("%s", k ? ", " : "");
				json_num(r->sample[j][k]);
			}
			printf("]");
		}
		printf("}}%s\n", i + 1 < nresults ? "," : "");
	}
	printf("  ],\n  \"targets\": [\n");
	for (t = 0; t < NTARGETS; t++) {
		printf("    {\"target\": ");
		json_str(targets[t].what);
		printf(", \"op\": \"%s\", \"limit\": %g, \"measured\": ",
		       targets[t].at_most ? "<=" : ">=", targets[t].limit);
		json_num(targets[t].measured);
		printf(", \"best_samples\": ");
		json_num(targets[t].best);
		printf(", \"met\": %s}%s\n",
		       isnan(targets[t].measured) ? "null" :
		       targets[t].met ? "true" : "false",
		       t + 1 < NTARGETS ? "," : "");
	}
	printf("  ]\n}\nKIPC-BENCH-JSON-END\n");
}

/* --- main ---------------------------------------------------------------- */

/*
 * The sysctls raised for the peers, and what they were before: put back
 * when the run ends, so that what runs after the bench (make check runs
 * bench_smoke_test among the other tests) finds the system as it was.
 */
static char msgmni_val[24] = "32000";

static struct {
	const char *path;
	const char *val;
	char saved[32];
} proc_limits[] = {
	{ .path = "/proc/sys/fs/mqueue/msgsize_max", .val = "65536" },
	{ .path = "/proc/sys/fs/mqueue/msg_max", .val = "65536" },
	{ .path = "/proc/sys/fs/mqueue/queues_max", .val = "65536" },
	{ .path = "/proc/sys/kernel/msgmax", .val = "65536" },
	{ .path = "/proc/sys/kernel/msgmnb", .val = "4194304" },
	{ .path = "/proc/sys/fs/pipe-max-size", .val = "4194304" },
	/* The SysV queues of the dump case: set from -n in main(). */
	{ .path = "/proc/sys/kernel/msgmni", .val = msgmni_val },
};

static void write_proc(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(val, f);
		fclose(f);
	}
}

/*
 * Let every peer carry 64 KiB messages and queues of 20000 messages; a
 * limit already higher is left alone (and not restored).
 */
static void raise_limits(void)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	unsigned int i;
	FILE *f;

	setrlimit(RLIMIT_MSGQUEUE, &rl);
	for (i = 0; i < sizeof(proc_limits) / sizeof(proc_limits[0]); i++) {
		f = fopen(proc_limits[i].path, "r");
		if (!f)
			continue;
		if (fgets(proc_limits[i].saved, sizeof(proc_limits[i].saved), f))
			proc_limits[i].saved[strcspn(proc_limits[i].saved, "\n")] = 0;
		fclose(f);
		/* Raise only: a limit set higher already stays as it is. */
		if (proc_limits[i].saved[0] &&
		    strtoull(proc_limits[i].saved, NULL, 10) >=
		    strtoull(proc_limits[i].val, NULL, 10)) {
			proc_limits[i].saved[0] = 0;
			continue;
		}
		write_proc(proc_limits[i].path, proc_limits[i].val);
	}
}

static void restore_limits(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(proc_limits) / sizeof(proc_limits[0]); i++)
		if (proc_limits[i].saved[0])
			write_proc(proc_limits[i].path, proc_limits[i].saved);
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ "rtt", case_rtt },
	{ "tput", case_tput },
	{ "tput64k", case_tput64k },
	{ "sem", case_sem },
	{ "slow", case_slow },
	{ "load", case_load },
	{ "sem-multi", case_sem_multi },
	{ "shm", case_shm },
	{ "scale", case_scale },
	{ "mem", case_mem },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

int main(int argc, char **argv)
{
	bool all = true;
	unsigned int i;
	double t0;
	int opt, j;

	while ((opt = getopt(argc, argv, "sr:n:j")) != -1) {
		switch (opt) {
		case 's':
			smoke = true;
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		case 'n':
			scale_objects = atol(optarg);
			break;
		case 'j':
			json = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-s] [-r REPS] [-n OBJECTS] [-j] [CASE...]\n",
				argv[0]);
			return 2;
		}
	}
	if (smoke) {
		sample_budget = 0.02;
		if (reps > 3)
			reps = 3;
		scale_reps = 2;
		if (scale_objects > 200)
			scale_objects = 200;
	}
	if (reps < 1 || reps > MAX_REPS || scale_objects < 10)
		die("bad -r or -n");
	for (j = optind; j < argc; j++) {
		for (i = 0; i < NCASES; i++)
			if (!strcmp(argv[j], cases[i].name))
				break;
		if (i == NCASES)
			die("unknown case '%s'", argv[j]);
	}
	all = optind == argc;

	/* Room for the dump case's SysV queues beside whatever exists. */
	if (scale_objects + 1000 > 32000)
		snprintf(msgmni_val, sizeof(msgmni_val), "%ld",
			 scale_objects + 1000);
	raise_limits();
	srandom(1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < NCASES; i++) {
		bool want = all;

		for (j = optind; j < argc; j++)
			if (!strcmp(argv[j], cases[i].name))
				want = true;
		if (!want)
			continue;
		t0 = now_ns();
		cases[i].fn();
		printf("# case %s took %.1f s\n", cases[i].name,
		       (now_ns() - t0) / 1e9);
	}
	eval_targets();
	print_targets();
	if (json)
		print_json();
	restore_limits();
	if (failures)
		fprintf(stderr, "kipc_bench: %d failures\n", failures);
	return failures ? 1 : 0;
}
