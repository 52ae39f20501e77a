// SPDX-License-Identifier: GPL-2.0-only
/*
 * Semaphore waits that block: deadlines on both clocks, signals with and
 * without SA_RESTART, and the order in which posts serve waiters. Waiters
 * are forked children; the out_waiters count of KIPC_IOC_SEM_GET says when
 * each one is queued, so the order of arrival is known, not hoped for.
 * A post hands its units over under the semaphore's lock, so the count is
 * also an exact witness of who was served the moment the post returns.
 */
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <sys/resource.h>

#include "kipc_test.h"

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_MSEC	1000000ULL

static __u64 clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static struct timespec ns_to_ts(__u64 ns)
{
	struct timespec ts = {
		.tv_sec = ns / NSEC_PER_SEC,
		.tv_nsec = ns % NSEC_PER_SEC,
	};

	return ts;
}

/* Voluntary context switches of this thread: each sleep is one. */
static long nvcsw(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return -1;
	return ru.ru_nvcsw;
}

/*
 * Two fixtures with the same data: semdl runs each deadline test on both
 * clocks, semw runs the rest once.
 */
#define SEMW_DATA							\
	int fd;								\
	struct kipc_nl nl;						\
	char name[KIPC_NAME_MAX + 1];					\
	int ofd;	/* the semaphore, created with value 0 */	\
	__u64 id;							\
	int pipefd[2]	/* waiter children report here */

#define SEMW_SETUP()							\
	do {								\
		self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);	\
		ASSERT_LE(0, self->fd);					\
		test_nl_open(&self->nl);				\
		test_name(self->name, "semw");				\
		self->ofd = test_sem_create(self->name, 0, &self->id);	\
		ASSERT_EQ(0, pipe(self->pipefd));			\
	} while (0)

#define SEMW_TEARDOWN()							\
	do {								\
		close(self->pipefd[0]);					\
		if (self->pipefd[1] >= 0)				\
			close(self->pipefd[1]);				\
		close(self->ofd);					\
		_test_cmd_unlink(self->fd, KIPC_OBJ_SEM, self->name);	\
		close(self->nl.fd);					\
		close(self->fd);					\
	} while (0)

FIXTURE(semw) {
	SEMW_DATA;
};

FIXTURE_SETUP(semw)
{
	SEMW_SETUP();
}

FIXTURE_TEARDOWN(semw)
{
	SEMW_TEARDOWN();
}

FIXTURE(semdl) {
	SEMW_DATA;
};

FIXTURE_VARIANT(semdl) {
	clockid_t clk;
};

FIXTURE_VARIANT_ADD(semdl, monotonic) {
	.clk = CLOCK_MONOTONIC,
};

FIXTURE_VARIANT_ADD(semdl, realtime) {
	.clk = CLOCK_REALTIME,
};

FIXTURE_SETUP(semdl)
{
	SEMW_SETUP();
}

FIXTURE_TEARDOWN(semdl)
{
	SEMW_TEARDOWN();
}

/* The children are all forked: keep only their ends of the pipe open. */
#define close_write_end()						\
	do {								\
		close(self->pipefd[1]);					\
		self->pipefd[1] = -1;					\
	} while (0)

#define test_stat(_attr)						\
	({								\
		struct kipc_nl_obj __st;				\
		test_nl_stat(&self->nl, self->id, &__st);		\
		__st.val[_attr];					\
	})

/* --- deadlines ------------------------------------------------------- */

/* A deadline that has passed gives ETIMEDOUT at once, without sleeping. */
TEST_F(semdl, expired_deadline)
{
	struct timespec zero = { 0, 0 };
	__u64 past = clock_ns(variant->clk) - 1;
	long before, after;

	before = nvcsw();
	ASSERT_LE(0, before);
	EXPECT_ERRNO(ETIMEDOUT, _test_cmd_sem_wait(self->ofd, 1,
						   KIPC_WAIT_DEADLINE,
						   variant->clk, 0, NULL));
	EXPECT_ERRNO(ETIMEDOUT, _test_cmd_sem_wait(self->ofd, 1,
						   KIPC_WAIT_DEADLINE,
						   variant->clk, past, NULL));
	ASSERT_EQ(-ETIMEDOUT, kipc_sem_timedwait(self->ofd, 1, 0,
						 variant->clk, &zero));
	after = nvcsw();
	ASSERT_EQ(before, after);

	ASSERT_EQ(3ULL, test_stat(KIPC_A_OBJ_SEM_TIMEOUTS));
	ASSERT_EQ(0ULL, test_stat(KIPC_A_OBJ_SEM_WAITERS));
	ASSERT_EQ(0U, test_sem_value(self->ofd));
}

/* ... but a wait that can proceed at once does, whatever the deadline. */
TEST_F(semdl, expired_deadline_available)
{
	__u32 out_flags = ~0U;

	test_ioctl_sem_post(self->ofd, 1);
	ASSERT_EQ(0, _test_cmd_sem_wait(self->ofd, 1, KIPC_WAIT_DEADLINE,
					variant->clk, 0, &out_flags));
	ASSERT_EQ(0U, out_flags);
	ASSERT_EQ(0ULL, test_stat(KIPC_A_OBJ_SEM_TIMEOUTS));
	ASSERT_EQ(1ULL, test_stat(KIPC_A_OBJ_SEM_WAITS));
	ASSERT_EQ(0U, test_sem_value(self->ofd));
}

/* An absolute deadline: the call returns ETIMEDOUT, and not before it. */
TEST_F(semdl, absolute_deadline)
{
	__u64 deadline = clock_ns(variant->clk) + 50 * NSEC_PER_MSEC;
	struct timespec abs = ns_to_ts(deadline);

	ASSERT_EQ(-ETIMEDOUT, kipc_sem_timedwait(self->ofd, 1, 0,
						 variant->clk, &abs));
	ASSERT_LE(deadline, clock_ns(variant->clk));

	/* The raw call, the same. */
	deadline = clock_ns(variant->clk) + 50 * NSEC_PER_MSEC;
	EXPECT_ERRNO(ETIMEDOUT, _test_cmd_sem_wait(self->ofd, 1,
						   KIPC_WAIT_DEADLINE,
						   variant->clk, deadline,
						   NULL));
	ASSERT_LE(deadline, clock_ns(variant->clk));

	ASSERT_EQ(2ULL, test_stat(KIPC_A_OBJ_SEM_TIMEOUTS));
	ASSERT_EQ(0ULL, test_stat(KIPC_A_OBJ_SEM_WAITERS));
	ASSERT_EQ(0ULL, test_stat(KIPC_A_OBJ_SEM_WAITS));
}

/* A post before the deadline ends a timed wait with success. */
TEST_F(semdl, deadline_met)
{
	__u64 deadline = clock_ns(variant->clk) + 20 * NSEC_PER_SEC;
	struct kipc_sem_result r;
	pid_t pid;

	pid = kipc_sem_spawn_waiter(self->ofd, 1, KIPC_WAIT_DEADLINE,
				    variant->clk, deadline, 0, self->pipefd[1]);
	ASSERT_LE(0, pid);
	close_write_end();
	test_sem_await_waiters(self->ofd, 1);
	test_ioctl_sem_post(self->ofd, 1);
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(0, r.err);
	ASSERT_GT(deadline, clock_ns(variant->clk));
	test_wait_child(pid);
	ASSERT_EQ(0ULL, test_stat(KIPC_A_OBJ_SEM_TIMEOUTS));
	ASSERT_EQ(1ULL, test_stat(KIPC_A_OBJ_SEM_WAITS));
}

/* A relative timeout, measured on CLOCK_MONOTONIC by the library. */
TEST_F(semw, relative_timeout)
{
	struct timespec rel = { .tv_sec = 0, .tv_nsec = 50 * NSEC_PER_MSEC };
	__u64 start = clock_ns(CLOCK_MONOTONIC);

	ASSERT_EQ(-ETIMEDOUT, kipc_sem_wait_timeout(self->ofd, 1, 0, &rel));
	ASSERT_LE(start + 50 * NSEC_PER_MSEC, clock_ns(CLOCK_MONOTONIC));
	ASSERT_EQ(1ULL, test_stat(KIPC_A_OBJ_SEM_TIMEOUTS));

	/* Zero is a try that reports ETIMEDOUT. */
	rel.tv_nsec = 0;
	ASSERT_EQ(-ETIMEDOUT, kipc_sem_wait_timeout(self->ofd, 1, 0, &rel));
	test_ioctl_sem_post(self->ofd, 1);
	ASSERT_EQ(0, kipc_sem_wait_timeout(self->ofd, 1, 0, &rel));
	ASSERT_EQ(0U, test_sem_value(self->ofd));
}

/* Only CLOCK_MONOTONIC and CLOCK_REALTIME, and only sane deadlines. */
TEST_F(semdl, bad_deadline)
{
	static const __u32 clocks[] = {
		CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
		CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
		CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_TAI, 64, ~0U,
	};
	struct timespec bad = { .tv_sec = 1, .tv_nsec = NSEC_PER_SEC };
	unsigned int i;

	/* Checked before anything is taken, so with units there. */
	test_ioctl_sem_post(self->ofd, 1);
	for (i = 0; i < ARRAY_SIZE(clocks); i++)
		EXPECT_ERRNO(EINVAL, _test_cmd_sem_wait(self->ofd, 1,
							KIPC_WAIT_DEADLINE,
							clocks[i], 0, NULL));
	EXPECT_ERRNO(EINVAL, _test_cmd_sem_wait(self->ofd, 1,
						KIPC_WAIT_DEADLINE,
						variant->clk, 1ULL << 63,
						NULL));
	EXPECT_ERRNO(EINVAL, _test_cmd_sem_wait(self->ofd, 1,
						KIPC_WAIT_DEADLINE,
						variant->clk, UINT64_MAX,
						NULL));
	ASSERT_EQ(-EINVAL, kipc_sem_timedwait(self->ofd, 1, 0, variant->clk,
					      &bad));
	ASSERT_EQ(1U, test_sem_value(self->ofd));
	ASSERT_EQ(0ULL, test_stat(KIPC_A_OBJ_SEM_TIMEOUTS));
}

/* --- waking ---------------------------------------------------------- */

/* A blocked wait is released by a post from another process. */
TEST_F(semw, released_by_post)
{
	struct kipc_sem_result r;
	pid_t waiter, poster;

	waiter = test_sem_spawn_waiter(self->ofd, 1, 0, 0, self->pipefd[1]);
	close_write_end();
	test_sem_await_waiters(self->ofd, 1);
	ASSERT_EQ(0U, test_sem_value(self->ofd));
	ASSERT_EQ(1ULL, test_stat(KIPC_A_OBJ_SEM_WAITERS));

	/* The poster has a description of its own. */
	poster = kipc_fork_tied();
	ASSERT_LE(0, poster);
	if (poster == 0) {
		int wfd = test_sem_reopen(self->name, KIPC_OPEN_WRITE);

		test_ioctl_sem_post(wfd, 1);
		_exit(0);
	}
	test_wait_child(poster);
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(0, r.err);
	ASSERT_EQ(0U, r.out_flags);
	test_wait_child(waiter);

	ASSERT_EQ(0U, test_sem_value(self->ofd));
	ASSERT_EQ(0ULL, test_stat(KIPC_A_OBJ_SEM_WAITERS));
	ASSERT_EQ(1ULL, test_stat(KIPC_A_OBJ_SEM_WAITS));
	ASSERT_EQ(1ULL, test_stat(KIPC_A_OBJ_SEM_POSTS));
	/* The waiter was served last: it is the last process. */
	ASSERT_EQ((__u64)waiter, test_stat(KIPC_A_OBJ_SEM_LPID));
}

/* wait(3) with a value of 2 blocks, and a post(1) completes it. */
TEST_F(semw, wait_n_blocks)
{
	struct kipc_sem_result r;
	pid_t pid;

	test_ioctl_sem_post(self->ofd, 2);
	pid = test_sem_spawn_waiter(self->ofd, 3, 0, 0, self->pipefd[1]);
	close_write_end();
	test_sem_await_waiters(self->ofd, 1);
	/* It took nothing while it waits, and nobody may pass it. */
	ASSERT_EQ(2U, test_sem_value(self->ofd));
	test_err_sem_wait(EAGAIN, self->ofd, 1, KIPC_WAIT_NONBLOCK);
	EXPECT_ERRNO(ETIMEDOUT, _test_cmd_sem_wait(self->ofd, 1,
						   KIPC_WAIT_DEADLINE,
						   CLOCK_MONOTONIC, 0, NULL));
	ASSERT_EQ(2U, test_sem_value(self->ofd));

	test_ioctl_sem_post(self->ofd, 1);
	ASSERT_EQ(0U, test_sem_value(self->ofd));
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(0, r.err);
	test_wait_child(pid);
	ASSERT_EQ(0U, test_sem_value(self->ofd));
}

/* A waiter killed while queued leaves the queue and takes nothing. */
TEST_F(semw, killed_waiter)
{
	int status;
	pid_t pid;

	pid = test_sem_spawn_waiter(self->ofd, 1, 0, 0, self->pipefd[1]);
	close_write_end();
	test_sem_await_waiters(self->ofd, 1);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(0U, test_sem_waiters(self->ofd));

	test_ioctl_sem_post(self->ofd, 1);
	ASSERT_EQ(1U, test_sem_value(self->ofd));
	ASSERT_EQ(0U, test_ioctl_sem_wait(self->ofd, 1, KIPC_WAIT_NONBLOCK));
}

/*
 * An absolute CLOCK_REALTIME deadline follows the clock: setting the clock
 * past it ends the wait at once, although it was a minute away.
 */
TEST_F(semw, realtime_clock_set)
{
	struct kipc_sem_result r;
	struct timespec now;
	__u64 deadline;
	pid_t pid;

	deadline = clock_ns(CLOCK_REALTIME) + 60 * NSEC_PER_SEC;
	pid = kipc_sem_spawn_waiter(self->ofd, 1, KIPC_WAIT_DEADLINE,
				    CLOCK_REALTIME, deadline, 0,
				    self->pipefd[1]);
	ASSERT_LE(0, pid);
	close_write_end();
	test_sem_await_waiters(self->ofd, 1);

	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec += 3600;
	ASSERT_EQ(0, clock_settime(CLOCK_REALTIME, &now));
	test_sem_read_result(self->pipefd[0], &r);
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec -= 3600;
	ASSERT_EQ(0, clock_settime(CLOCK_REALTIME, &now));

	ASSERT_EQ(ETIMEDOUT, r.err);
	test_wait_child(pid);
	ASSERT_EQ(0U, test_sem_waiters(self->ofd));
	ASSERT_EQ(1ULL, test_stat(KIPC_A_OBJ_SEM_TIMEOUTS));
}

struct thread_wait {
	int fd;
	__u32 flags;
	int ret;
};

static void *thread_wait_fn(void *arg)
{
	struct thread_wait *tw = arg;

	tw->ret = kipc_sem_wait(tw->fd, 1, tw->flags);
	return NULL;
}

/*
 * Another thread closes the fd a wait sleeps on. The wait holds its own
 * reference to the description, so nothing is freed under it and the
 * close does not end it (kipc_sem_wait(3)): the post serves it, and it
 * returns 0. With undo the description's release happens when the wait
 * returns, and gives the unit back at once.
 */
TEST_F(semw, close_while_waiting)
{
	static const __u32 kinds[] = { 0, KIPC_SEM_UNDO };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		struct thread_wait tw = { .flags = kinds[i] };
		__u64 recovered = test_stat(KIPC_A_OBJ_SEM_RECOVERED);
		pthread_t thr;

		tw.fd = test_sem_reopen(self->name, KIPC_RW);
		ASSERT_EQ(0, pthread_create(&thr, NULL, thread_wait_fn, &tw));
		test_sem_await_waiters(self->ofd, 1);
		ASSERT_EQ(0, close(tw.fd));
		test_ioctl_sem_post(self->ofd, 1);
		ASSERT_EQ(0, pthread_join(thr, NULL));
		ASSERT_EQ(0U, test_sem_waiters(self->ofd));
		ASSERT_EQ(0, tw.ret) TH_LOG("the wait ended with %s",
					    strerror(-tw.ret));
		if (kinds[i] & KIPC_SEM_UNDO) {
			ASSERT_EQ(1U, test_sem_value(self->ofd));
			ASSERT_EQ(recovered + 1,
				  test_stat(KIPC_A_OBJ_SEM_RECOVERED));
			ASSERT_EQ((int)KIPC_SEM_RECOVERED,
				  kipc_sem_wait(self->ofd, 1, 0));
		} else {
			ASSERT_EQ(0U, test_sem_value(self->ofd));
		}
	}
}

/* --- signals --------------------------------------------------------- */

static int handler_pipe = -1;

static void on_sigusr1(int sig)
{
	ssize_t n = write(handler_pipe, "s", 1);

	(void)sig;
	(void)n;
}

FIXTURE(semsig) {
	int fd;
	char name[KIPC_NAME_MAX + 1];
	int ofd;
};

FIXTURE_VARIANT(semsig) {
	bool restart;	/* SA_RESTART on the handler */
	bool timed;	/* a wait with a deadline far away */
};

FIXTURE_VARIANT_ADD(semsig, eintr) {
	.restart = false, .timed = false,
};

FIXTURE_VARIANT_ADD(semsig, eintr_timed) {
	.restart = false, .timed = true,
};

FIXTURE_VARIANT_ADD(semsig, restart) {
	.restart = true, .timed = false,
};

FIXTURE_VARIANT_ADD(semsig, restart_timed) {
	.restart = true, .timed = true,
};

FIXTURE_SETUP(semsig)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, "semsig");
	self->ofd = test_sem_create(self->name, 0, NULL);
}

FIXTURE_TEARDOWN(semsig)
{
	close(self->ofd);
	_test_cmd_unlink(self->fd, KIPC_OBJ_SEM, self->name);
	close(self->fd);
}

/*
 * A handler without SA_RESTART ends the wait with EINTR; with SA_RESTART
 * the wait goes on after the handler (it queues again) and completes when
 * the post comes. The handler tells us when it ran.
 */
TEST_F(semsig, signal_during_wait)
{
	int res[2], hnd[2];
	struct kipc_sem_result r;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(res));
	ASSERT_EQ(0, pipe(hnd));
	pid = kipc_fork_tied();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct sigaction sa = {
			.sa_handler = on_sigusr1,
			.sa_flags = variant->restart ? SA_RESTART : 0,
		};
		struct timespec abs;
		int ret;

		handler_pipe = hnd[1];
		ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
		clock_gettime(CLOCK_MONOTONIC, &abs);
		abs.tv_sec += 60;
		if (variant->timed)
			ret = kipc_sem_timedwait(self->ofd, 1, 0,
						 CLOCK_MONOTONIC, &abs);
		else
			ret = kipc_sem_wait(self->ofd, 1, 0);
		r.tag = 0;
		r.err = -ret;
		r.out_flags = 0;
		ASSERT_EQ((ssize_t)sizeof(r), write(res[1], &r, sizeof(r)));
		_exit(0);
	}
	close(res[1]);
	close(hnd[1]);

	test_sem_await_waiters(self->ofd, 1);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(1, read(hnd[0], &c, 1));

	if (!variant->restart) {
		test_sem_read_result(res[0], &r);
		ASSERT_EQ(EINTR, r.err);
		ASSERT_EQ(0U, test_sem_waiters(self->ofd));
		ASSERT_EQ(0U, test_sem_value(self->ofd));
	} else {
		/* The handler ran after the wait left the queue. */
		test_sem_await_waiters(self->ofd, 1);
		test_ioctl_sem_post(self->ofd, 1);
		test_sem_read_result(res[0], &r);
		ASSERT_EQ(0, r.err);
		ASSERT_EQ(0U, test_sem_value(self->ofd));
	}
	test_wait_child(pid);
	/* Exactly one handler call. */
	ASSERT_EQ(0, read(hnd[0], &c, 1));
	close(res[0]);
	close(hnd[0]);
}

/* --- order ----------------------------------------------------------- */

#define NR_FIFO	4

/* Waiters are released one per post, in the order they arrived. */
TEST_F(semw, fifo_order)
{
	struct kipc_sem_result r;
	pid_t pids[NR_FIFO];
	int i;

	for (i = 0; i < NR_FIFO; i++) {
		pids[i] = test_sem_spawn_waiter(self->ofd, 1, 0, i,
						self->pipefd[1]);
		test_sem_await_waiters(self->ofd, i + 1);
	}
	close_write_end();

	for (i = 0; i < NR_FIFO; i++) {
		test_ioctl_sem_post(self->ofd, 1);
		/* Served before the post returned: one fewer waiter. */
		ASSERT_EQ((__u32)(NR_FIFO - i - 1),
			  test_sem_waiters(self->ofd));
		ASSERT_EQ(0U, test_sem_value(self->ofd));
		test_sem_read_result(self->pipefd[0], &r);
		ASSERT_EQ(i, r.tag);
		ASSERT_EQ(0, r.err);
	}
	for (i = 0; i < NR_FIFO; i++)
		test_wait_child(pids[i]);
	ASSERT_EQ((__u64)NR_FIFO, test_stat(KIPC_A_OBJ_SEM_WAITS));
}

/*
 * A big waiter at the head is not overtaken by a later small one. With one
 * unit there, a wait(3) queues, and a later wait(1) queues behind it even
 * though the unit would do; post(1) then wakes nobody, and post(2) lets
 * both through (3 + 1 units).
 */
TEST_F(semw, big_head_not_overtaken)
{
	struct kipc_sem_result r;
	unsigned int seen = 0;
	pid_t big, small;
	int i;

	test_ioctl_sem_post(self->ofd, 1);
	big = test_sem_spawn_waiter(self->ofd, 3, 0, 0, self->pipefd[1]);
	test_sem_await_waiters(self->ofd, 1);
	small = test_sem_spawn_waiter(self->ofd, 1, 0, 1, self->pipefd[1]);
	test_sem_await_waiters(self->ofd, 2);
	close_write_end();

	ASSERT_EQ(1U, test_sem_value(self->ofd));
	test_ioctl_sem_post(self->ofd, 1);
	ASSERT_EQ(2U, test_sem_waiters(self->ofd));
	ASSERT_EQ(2U, test_sem_value(self->ofd));
	/* Not even a try gets past the head. */
	test_err_sem_wait(EAGAIN, self->ofd, 1, KIPC_WAIT_NONBLOCK);

	test_ioctl_sem_post(self->ofd, 2);
	ASSERT_EQ(0U, test_sem_waiters(self->ofd));
	ASSERT_EQ(0U, test_sem_value(self->ofd));
	for (i = 0; i < 2; i++) {
		test_sem_read_result(self->pipefd[0], &r);
		ASSERT_EQ(0, r.err);
		seen |= 1U << r.tag;
	}
	ASSERT_EQ(3U, seen);
	test_wait_child(big);
	test_wait_child(small);
}

#define NR_EXACT	5

/* post(2) with five waiters of one wakes exactly two: the first two. */
TEST_F(semw, exact_wakeup)
{
	struct kipc_sem_result r;
	pid_t pids[NR_EXACT];
	unsigned int seen = 0;
	int i;

	for (i = 0; i < NR_EXACT; i++) {
		pids[i] = test_sem_spawn_waiter(self->ofd, 1, 0, i,
						self->pipefd[1]);
		test_sem_await_waiters(self->ofd, i + 1);
	}
	close_write_end();

	test_ioctl_sem_post(self->ofd, 2);
	ASSERT_EQ(3U, test_sem_waiters(self->ofd));
	ASSERT_EQ(3ULL, test_stat(KIPC_A_OBJ_SEM_WAITERS));
	ASSERT_EQ(0U, test_sem_value(self->ofd));
	for (i = 0; i < 2; i++) {
		test_sem_read_result(self->pipefd[0], &r);
		ASSERT_EQ(0, r.err);
		seen |= 1U << r.tag;
	}
	ASSERT_EQ(0x3U, seen);
	/* The other three still sleep. */
	ASSERT_EQ(3U, test_sem_waiters(self->ofd));

	test_ioctl_sem_post(self->ofd, 3);
	for (i = 0; i < 3; i++) {
		test_sem_read_result(self->pipefd[0], &r);
		ASSERT_EQ(0, r.err);
		seen |= 1U << r.tag;
	}
	ASSERT_EQ(0x1fU, seen);
	for (i = 0; i < NR_EXACT; i++)
		test_wait_child(pids[i]);
	ASSERT_EQ(0U, test_sem_value(self->ofd));
}

/*
 * A post hands its units to the waiters it satisfies, in order, and stops
 * at the first it cannot: with wait(2), wait(1), wait(2) queued, post(3)
 * serves the first two and leaves nothing for anybody else to take.
 */
TEST_F(semw, handoff_in_order)
{
	static const __u32 counts[] = { 2, 1, 2 };
	struct kipc_sem_result r;
	unsigned int seen = 0;
	pid_t pids[3];
	int i;

	for (i = 0; i < 3; i++) {
		pids[i] = test_sem_spawn_waiter(self->ofd, counts[i], 0, i,
						self->pipefd[1]);
		test_sem_await_waiters(self->ofd, i + 1);
	}
	close_write_end();

	test_ioctl_sem_post(self->ofd, 3);
	ASSERT_EQ(1U, test_sem_waiters(self->ofd));
	ASSERT_EQ(0U, test_sem_value(self->ofd));
	for (i = 0; i < 2; i++) {
		test_sem_read_result(self->pipefd[0], &r);
		ASSERT_EQ(0, r.err);
		seen |= 1U << r.tag;
	}
	ASSERT_EQ(0x3U, seen);

	/* One unit is not enough for the last; it stays for later. */
	test_ioctl_sem_post(self->ofd, 1);
	ASSERT_EQ(1U, test_sem_waiters(self->ofd));
	ASSERT_EQ(1U, test_sem_value(self->ofd));
	test_ioctl_sem_post(self->ofd, 1);
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(2, r.tag);
	ASSERT_EQ(0, r.err);
	ASSERT_EQ(0U, test_sem_value(self->ofd));
	for (i = 0; i < 3; i++)
		test_wait_child(pids[i]);
}

/*
 * The head leaving without its units lets the next waiter through: with
 * one unit there, a head wait(3) and a later wait(1) queued, the wait(1)
 * gets the unit when the head is killed, or when its deadline passes.
 */
TEST_F(semw, head_killed_passes_on)
{
	struct kipc_sem_result r;
	pid_t head, next;
	int status;

	test_ioctl_sem_post(self->ofd, 1);
	head = test_sem_spawn_waiter(self->ofd, 3, 0, 0, self->pipefd[1]);
	test_sem_await_waiters(self->ofd, 1);
	next = test_sem_spawn_waiter(self->ofd, 1, 0, 1, self->pipefd[1]);
	test_sem_await_waiters(self->ofd, 2);
	close_write_end();
	ASSERT_EQ(1U, test_sem_value(self->ofd));

	ASSERT_EQ(0, kill(head, SIGKILL));
	ASSERT_EQ(head, waitpid(head, &status, 0));
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(1, r.tag);
	ASSERT_EQ(0, r.err);
	test_wait_child(next);
	ASSERT_EQ(0U, test_sem_value(self->ofd));
	ASSERT_EQ(0U, test_sem_waiters(self->ofd));
}

TEST_F(semdl, head_timeout_passes_on)
{
	/* Long enough to queue the second waiter behind it, even emulated. */
	__u64 deadline = clock_ns(variant->clk) + 3 * NSEC_PER_SEC;
	struct kipc_sem_result r;
	unsigned int seen = 0;
	pid_t head, next;
	int i;

	test_ioctl_sem_post(self->ofd, 1);
	head = kipc_sem_spawn_waiter(self->ofd, 3, KIPC_WAIT_DEADLINE,
				     variant->clk, deadline, 0,
				     self->pipefd[1]);
	ASSERT_LE(0, head);
	test_sem_await_waiters(self->ofd, 1);
	next = test_sem_spawn_waiter(self->ofd, 1, 0, 1, self->pipefd[1]);
	test_sem_await_waiters(self->ofd, 2);
	close_write_end();
	ASSERT_GT(deadline, clock_ns(variant->clk))
		TH_LOG("the second waiter queued too late to test anything");

	/* The two report in either order. */
	for (i = 0; i < 2; i++) {
		test_sem_read_result(self->pipefd[0], &r);
		ASSERT_EQ(r.tag ? 0 : ETIMEDOUT, r.err) TH_LOG("tag %d", r.tag);
		seen |= 1U << r.tag;
	}
	ASSERT_EQ(0x3U, seen);
	test_wait_child(head);
	test_wait_child(next);
	ASSERT_EQ(0U, test_sem_value(self->ofd));
	ASSERT_EQ(1ULL, test_stat(KIPC_A_OBJ_SEM_TIMEOUTS));
}

TEST_HARNESS_MAIN
