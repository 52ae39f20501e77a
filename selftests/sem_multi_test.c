// SPDX-License-Identifier: GPL-2.0-only
/*
 * Semaphore multi-operations (KIPC_IOC_SEM_MULTI) and waits for zero
 * (KIPC_SEM_ZERO, EPOLLPRI): every errno with nothing applied, all or
 * nothing while waiting, FIFO fairness against a stream of small takes,
 * removal, undo and kill -9, the statistics, the dining philosophers and a
 * race of overlapping multi-operations (run it on the debug kernel too).
 * Waiter children are forked; KIPC_IOC_SEM_GET's waiter counts say when
 * each one is queued.
 */
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <time.h>

#include "kipc_test.h"

#define NSEM	4

FIXTURE(semm) {
	int fd;
	struct kipc_nl nl;
	char name[NSEM][KIPC_NAME_MAX + 1];
	int sfd[NSEM];		/* O_RDWR, value 0 */
	__u64 id[NSEM];
	int pipefd[2];
};

FIXTURE_SETUP(semm)
{
	int i;

	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	for (i = 0; i < NSEM; i++) {
		test_name(self->name[i], "semm");
		snprintf(self->name[i] + strlen(self->name[i]),
			 sizeof(self->name[i]) - strlen(self->name[i]),
			 "-%d", i);
		self->sfd[i] = test_sem_create(self->name[i], 0, &self->id[i]);
	}
	ASSERT_EQ(0, pipe(self->pipefd));
}

FIXTURE_TEARDOWN(semm)
{
	int i;

	close(self->pipefd[0]);
	close(self->pipefd[1]);
	for (i = 0; i < NSEM; i++) {
		close(self->sfd[i]);
		_test_cmd_unlink(self->fd, KIPC_OBJ_SEM, self->name[i]);
	}
	close(self->nl.fd);
	close(self->fd);
}

static int _test_cmd_sem_multi(int objfd, const struct kipc_sem_op *ops,
			       __u32 count, __u32 flags, __u32 clockid,
			       __u64 deadline, __u32 *out_flags)
{
	struct kipc_sem_multi cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.count = count,
		.clockid = clockid,
		.deadline = deadline,
		.ops = (uintptr_t)ops,
		.out_flags = ~0U,
	};
	int ret = ioctl(objfd, KIPC_IOC_SEM_MULTI, &cmd);

	if (!ret && out_flags)
		*out_flags = cmd.out_flags;
	return ret;
}

#define test_ioctl_sem_multi(_ops, _n, _flags)				\
	({								\
		__u32 __of = ~0U;					\
		ASSERT_EQ(0, _test_cmd_sem_multi((_ops)[0].fd, _ops, _n, \
						 _flags, 0, 0, &__of))	\
			TH_LOG("sem multi: %s", strerror(errno));	\
		__of;							\
	})
#define test_err_sem_multi(_errno, _ops, _n, _flags)			\
	EXPECT_ERRNO(_errno, _test_cmd_sem_multi((_ops)[0].fd, _ops, _n, \
						 _flags, 0, 0, NULL))

#define OP(_fd, _delta)		{ .fd = (_fd), .delta = (_delta) }
#define OPU(_fd, _delta)	{ .fd = (_fd), .delta = (_delta),	\
				  .flags = KIPC_SEM_UNDO }

#define assert_values(_a, _b, _c, _d)					\
	do {								\
		ASSERT_EQ((__u32)(_a), test_sem_value(self->sfd[0]));	\
		ASSERT_EQ((__u32)(_b), test_sem_value(self->sfd[1]));	\
		ASSERT_EQ((__u32)(_c), test_sem_value(self->sfd[2]));	\
		ASSERT_EQ((__u32)(_d), test_sem_value(self->sfd[3]));	\
	} while (0)

static __u32 sem_get_field(int objfd, int which)
{
	struct kipc_sem_get g;

	if (_test_cmd_sem_get(objfd, &g))
		return ~0U;
	return which == 0 ? g.out_waiters : which == 1 ? g.out_zero_waiters :
	       g.out_multi_waiters;
}

/* Wait until @objfd has @n multi-operation entries queued. */
static int await_multi(int objfd, __u32 n)
{
	int i;

	for (i = 0; i < 20000; i++) {
		if (sem_get_field(objfd, 2) == n)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

static int await_zero(int objfd, __u32 n)
{
	int i;

	for (i = 0; i < 20000; i++) {
		if (sem_get_field(objfd, 1) == n)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

/* A child that runs one multi-operation and reports its result. */
static pid_t spawn_multi(const struct kipc_sem_op *ops, __u32 n, __u32 flags,
			 int tag, int wfd)
{
	pid_t pid = kipc_fork_tied();

	if (pid == 0) {
		struct kipc_sem_result r = { .tag = tag };

		if (_test_cmd_sem_multi(ops[0].fd, ops, n, flags, 0, 0,
					&r.out_flags))
			r.err = errno;
		_exit(write(wfd, &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	return pid;
}

/* --- the basic call ----------------------------------------------------- */

TEST_F(semm, take_and_give)
{
	struct kipc_sem_op give[] = { OP(self->sfd[0], 2), OP(self->sfd[1], 3) };
	struct kipc_sem_op take[] = { OP(self->sfd[1], -3), OP(self->sfd[0], -1) };
	struct kipc_sem_op mixed[] = { OP(self->sfd[0], -1), OP(self->sfd[2], 5),
				       OP(self->sfd[3], 0) };

	ASSERT_EQ(0U, test_ioctl_sem_multi(give, 2, 0));
	assert_values(2, 3, 0, 0);
	ASSERT_EQ(0U, test_ioctl_sem_multi(take, 2, 0));
	assert_values(1, 0, 0, 0);
	/* Take, give and wait for zero together. */
	ASSERT_EQ(0U, test_ioctl_sem_multi(mixed, 3, 0));
	assert_values(0, 0, 5, 0);
	/* Through the library, and through an fd not among the operations. */
	ASSERT_EQ(0, kipc_sem_multi(give, 2, 0, CLOCK_MONOTONIC, NULL));
	ASSERT_EQ(0, _test_cmd_sem_multi(self->sfd[3], take, 2, 0, 0, 0, NULL));
	assert_values(1, 0, 5, 0);
	ASSERT_EQ(-E2BIG, kipc_sem_multi(give, 0, 0, CLOCK_MONOTONIC, NULL));
	assert_values(1, 0, 5, 0);
}

/* Size rules of every ioctl: too short, and a non-zero unknown tail. */
TEST_F(semm, cmd_length)
{
	struct kipc_sem_op give[] = { OP(self->sfd[0], 1) };
	struct {
		struct kipc_sem_multi m;
		__u64 tail;
	} big = { .m = { .size = sizeof(big), .count = 1,
			 .ops = (uintptr_t)give }, .tail = 1 };
	struct kipc_sem_multi m = { .size = offsetofend(struct kipc_sem_multi,
							 __reserved) - 1,
				    .count = 1, .ops = (uintptr_t)give };

	EXPECT_ERRNO(EINVAL, ioctl(self->sfd[0], KIPC_IOC_SEM_MULTI, &m));
	EXPECT_ERRNO(E2BIG, ioctl(self->sfd[0], KIPC_IOC_SEM_MULTI, &big));
	big.tail = 0;
	ASSERT_EQ(0, ioctl(self->sfd[0], KIPC_IOC_SEM_MULTI, &big));
	assert_values(1, 0, 0, 0);
	/* Not an ioctl of /dev/kipc. */
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, KIPC_IOC_SEM_MULTI, &m));
}

/* Every bad input: a documented errno, and nothing applied. */
TEST_F(semm, bad_input)
{
	int a = self->sfd[0], b = self->sfd[1];
	struct kipc_sem_op ops[KIPC_SEM_MULTI_MAX + 1];
	struct kipc_sem_op op2[2];
	int pfd[2], ro, wo, mq, i;
	char mqname[KIPC_NAME_MAX + 1];
	union kipc_attr mqattr = kipc_attr_of(KIPC_OBJ_MQ);

	test_ioctl_sem_post(a, 5);
	test_ioctl_sem_post(b, 5);
	for (i = 0; i <= KIPC_SEM_MULTI_MAX; i++)
		ops[i] = (struct kipc_sem_op)OP(a, -1);

	/* Count. */
	test_err_sem_multi(E2BIG, ops, 0, 0);
	test_err_sem_multi(E2BIG, ops, KIPC_SEM_MULTI_MAX + 1, 0);
	/* Flags and reserved fields. */
	op2[0] = (struct kipc_sem_op)OP(a, -1);
	op2[1] = (struct kipc_sem_op)OP(b, -1);
	test_err_sem_multi(EOPNOTSUPP, op2, 2, KIPC_SEM_UNDO);
	test_err_sem_multi(EOPNOTSUPP, op2, 2, 1U << 31);
	op2[1].flags = 1U << 5;
	test_err_sem_multi(EOPNOTSUPP, op2, 2, 0);
	op2[1].flags = 0;
	op2[1].__reserved = 1;
	test_err_sem_multi(EOPNOTSUPP, op2, 2, 0);
	op2[1].__reserved = 0;
	/* The fds. */
	op2[1].fd = -1;
	test_err_sem_multi(EBADF, op2, 2, 0);
	op2[1].fd = 1000000;
	test_err_sem_multi(EBADF, op2, 2, 0);
	ASSERT_EQ(0, pipe(pfd));
	op2[1].fd = pfd[0];
	test_err_sem_multi(EINVAL, op2, 2, 0);
	close(pfd[0]);
	close(pfd[1]);
	test_name(mqname, "semm-mq");
	mq = test_ioctl_open(KIPC_OBJ_MQ, mqname, KIPC_NEW, 0600, &mqattr,
			     NULL, NULL);
	op2[1].fd = mq;
	test_err_sem_multi(EINVAL, op2, 2, 0);
	close(mq);
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, mqname);
	/* Access: take and zero need read, give needs write. */
	ro = test_sem_reopen(self->name[1], KIPC_OPEN_READ);
	wo = test_sem_reopen(self->name[1], KIPC_OPEN_WRITE);
	op2[1] = (struct kipc_sem_op)OP(ro, 1);
	test_err_sem_multi(EBADF, op2, 2, 0);
	op2[1] = (struct kipc_sem_op)OP(wo, -1);
	test_err_sem_multi(EBADF, op2, 2, 0);
	op2[1] = (struct kipc_sem_op)OP(wo, 0);
	test_err_sem_multi(EBADF, op2, 2, 0);
	/* The same semaphore twice: one fd, or two fds of it. */
	op2[1] = (struct kipc_sem_op)OP(a, -1);
	test_err_sem_multi(EINVAL, op2, 2, 0);
	op2[0] = (struct kipc_sem_op)OP(b, -1);
	op2[1] = (struct kipc_sem_op)OP(ro, -1);
	test_err_sem_multi(EINVAL, op2, 2, 0);
	op2[1] = (struct kipc_sem_op)OP(wo, 1);
	test_err_sem_multi(EINVAL, op2, 2, 0);
	close(ro);
	close(wo);
	/* Deltas. */
	op2[0] = (struct kipc_sem_op)OP(a, -1);
	op2[1] = (struct kipc_sem_op)OP(b, INT_MIN);
	test_err_sem_multi(EINVAL, op2, 2, 0);
	op2[1] = (struct kipc_sem_op)OPU(b, 1);
	test_err_sem_multi(EINVAL, op2, 2, 0);
	op2[1] = (struct kipc_sem_op)OPU(b, 0);
	test_err_sem_multi(EINVAL, op2, 2, 0);
	/* A give past the maximum, beside a take that could go. */
	op2[1] = (struct kipc_sem_op)OP(b, INT_MAX);
	test_err_sem_multi(EOVERFLOW, op2, 2, 0);
	/* The operations cannot be read. */
	EXPECT_ERRNO(EFAULT, _test_cmd_sem_multi(a, (void *)8, 2, 0, 0, 0,
						 NULL));
	/* Bad deadlines. */
	op2[1] = (struct kipc_sem_op)OP(b, -1);
	EXPECT_ERRNO(EINVAL, _test_cmd_sem_multi(a, op2, 2, KIPC_WAIT_DEADLINE,
						 CLOCK_BOOTTIME, 1, NULL));
	EXPECT_ERRNO(EINVAL, _test_cmd_sem_multi(a, op2, 2, KIPC_WAIT_DEADLINE,
						 CLOCK_MONOTONIC, ~0ULL, NULL));

	/* Nothing of any of that was applied. */
	ASSERT_EQ(5U, test_sem_value(a));
	ASSERT_EQ(5U, test_sem_value(b));
	ASSERT_EQ(0ULL, test_sem_undo(a));
}

/* KIPC_SEM_MULTI_MAX semaphores at once. */
TEST_F(semm, max_ops)
{
	struct kipc_sem_op ops[KIPC_SEM_MULTI_MAX];
	char names[KIPC_SEM_MULTI_MAX][KIPC_NAME_MAX + 1];
	int fds[KIPC_SEM_MULTI_MAX], i;

	for (i = 0; i < KIPC_SEM_MULTI_MAX; i++) {
		test_name(names[i], "semm-max");
		snprintf(names[i] + strlen(names[i]),
			 sizeof(names[i]) - strlen(names[i]), "-%d", i);
		fds[i] = test_sem_create(names[i], 1, NULL);
		ops[i] = (struct kipc_sem_op)OPU(fds[i], -1);
	}
	ASSERT_EQ(0U, test_ioctl_sem_multi(ops, KIPC_SEM_MULTI_MAX, 0));
	for (i = 0; i < KIPC_SEM_MULTI_MAX; i++) {
		ASSERT_EQ(0U, test_sem_value(fds[i]));
		ASSERT_EQ(1ULL, test_sem_undo(fds[i]));
	}
	/* All or nothing: one short, none taken. */
	for (i = 0; i < KIPC_SEM_MULTI_MAX - 1; i++)
		test_ioctl_sem_post(fds[i], 1);
	test_err_sem_multi(EAGAIN, ops, KIPC_SEM_MULTI_MAX, KIPC_WAIT_NONBLOCK);
	for (i = 0; i < KIPC_SEM_MULTI_MAX - 1; i++)
		ASSERT_EQ(1U, test_sem_value(fds[i]));
	for (i = 0; i < KIPC_SEM_MULTI_MAX; i++) {
		close(fds[i]);
		_test_cmd_unlink(self->fd, KIPC_OBJ_SEM, names[i]);
	}
}

/* Semaphores of two IPC namespaces in one call: EXDEV. */
TEST_F(semm, mixed_namespaces)
{
	pid_t pid = kipc_fork_tied();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kipc_sem_op ops[2];
		char other[KIPC_NAME_MAX + 1];
		int ofd;

		test_ioctl_sem_post(self->sfd[0], 1);
		if (unshare(CLONE_NEWIPC)) {
			/* Nothing to test without the namespace. */
			_exit(errno == EPERM ? 2 : 1);
		}
		test_name(other, "semm-ns");
		ofd = test_sem_create(other, 1, NULL);
		ops[0] = (struct kipc_sem_op)OP(self->sfd[0], -1);
		ops[1] = (struct kipc_sem_op)OP(ofd, -1);
		test_err_sem_multi(EXDEV, ops, 2, 0);
		ASSERT_EQ(1U, test_sem_value(self->sfd[0]));
		ASSERT_EQ(1U, test_sem_value(ofd));
		_exit(_metadata->exit_code ? 1 : 0);
	}
	test_wait_child(pid);
	ASSERT_EQ(1U, test_sem_value(self->sfd[0]));
}

/* --- waiting -------------------------------------------------------------- */

/* Nothing is taken while one semaphore is short; everything once it is not. */
TEST_F(semm, all_or_nothing_wait)
{
	struct kipc_sem_op ops[] = { OP(self->sfd[0], -1), OP(self->sfd[1], -2) };
	struct kipc_sem_result r;
	pid_t pid;

	test_ioctl_sem_post(self->sfd[0], 1);
	pid = spawn_multi(ops, 2, 0, 1, self->pipefd[1]);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, await_multi(self->sfd[1], 1));
	/* Queued on both, holding nothing. */
	ASSERT_EQ(1U, sem_get_field(self->sfd[0], 2));
	ASSERT_EQ(1U, test_sem_value(self->sfd[0]));
	test_ioctl_sem_post(self->sfd[1], 1);
	usleep(20000);
	ASSERT_EQ(1U, test_sem_value(self->sfd[0]));
	ASSERT_EQ(1U, test_sem_value(self->sfd[1]));
	test_ioctl_sem_post(self->sfd[1], 1);
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(0, r.err);
	test_wait_child(pid);
	assert_values(0, 0, 0, 0);
	ASSERT_EQ(0U, sem_get_field(self->sfd[0], 2));
	ASSERT_EQ(0U, sem_get_field(self->sfd[1], 0));
}

/* O_NONBLOCK on any operation's fd, and deadlines on both clocks. */
TEST_F(semm, nonblock_and_deadline)
{
	struct kipc_sem_op ops[] = { OP(self->sfd[0], -1), OP(self->sfd[1], -1) };
	struct timespec abs;
	int nb;

	test_ioctl_sem_post(self->sfd[0], 1);
	test_err_sem_multi(EAGAIN, ops, 2, KIPC_WAIT_NONBLOCK);
	nb = test_sem_reopen(self->name[1], KIPC_RW | KIPC_OPEN_NONBLOCK);
	ops[1].fd = nb;
	test_err_sem_multi(EAGAIN, ops, 2, 0);
	ops[1].fd = self->sfd[1];
	close(nb);

	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 30 * 1000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	ASSERT_EQ(-ETIMEDOUT, kipc_sem_multi(ops, 2, 0, CLOCK_MONOTONIC, &abs));
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_sec -= 1;
	ASSERT_EQ(-ETIMEDOUT, kipc_sem_multi(ops, 2, 0, CLOCK_REALTIME, &abs));
	ASSERT_EQ(1U, test_sem_value(self->sfd[0]));
	ASSERT_EQ(0U, sem_get_field(self->sfd[0], 2));
	ASSERT_EQ(0U, sem_get_field(self->sfd[1], 0));
}

/* A signal ends the wait with EINTR without SA_RESTART, nothing applied. */
static void on_alarm(int sig)
{
	(void)sig;
}

TEST_F(semm, signal)
{
	struct kipc_sem_op ops[] = { OP(self->sfd[0], -1), OP(self->sfd[1], -1) };
	struct sigaction sa = { .sa_handler = on_alarm };

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	test_ioctl_sem_post(self->sfd[0], 1);
	alarm(1);
	ASSERT_EQ(-EINTR, kipc_sem_multi(ops, 2, 0, CLOCK_MONOTONIC, NULL));
	ASSERT_EQ(1U, test_sem_value(self->sfd[0]));
	ASSERT_EQ(0U, sem_get_field(self->sfd[0], 2));
}

/* Removing any of the semaphores wakes the waiter with EIDRM. */
TEST_F(semm, removed_while_waiting)
{
	struct kipc_sem_op ops[] = { OP(self->sfd[0], -1), OP(self->sfd[1], -1),
				     OP(self->sfd[2], 0) };
	struct kipc_sem_result r;
	pid_t pid;

	test_ioctl_sem_post(self->sfd[0], 1);
	test_ioctl_sem_post(self->sfd[2], 1);
	pid = spawn_multi(ops, 3, 0, 1, self->pipefd[1]);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, await_multi(self->sfd[2], 1));
	ASSERT_EQ(1U, sem_get_field(self->sfd[2], 1));
	ASSERT_EQ(0, kipc_nl_obj_remove(&self->nl, self->id[1]));
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(EIDRM, r.err);
	test_wait_child(pid);
	ASSERT_EQ(1U, test_sem_value(self->sfd[0]));
	ASSERT_EQ(0U, sem_get_field(self->sfd[0], 2));
	ASSERT_EQ(0U, sem_get_field(self->sfd[2], 1));
	/* Every later call that names it. */
	ops[1].delta = 1;
	test_err_sem_multi(EIDRM, ops, 2, KIPC_WAIT_NONBLOCK);
	ASSERT_EQ(1U, test_sem_value(self->sfd[0]));
}

/*
 * Fairness: once a multi-operation waits, later small takers queue behind
 * it on every semaphore it takes from, so a stream of them cannot starve
 * it.
 */
TEST_F(semm, not_starved)
{
	struct kipc_sem_op big[] = { OP(self->sfd[0], -3), OP(self->sfd[1], -1) };
	struct kipc_sem_result r;
	pid_t pid, small[3];
	int i;

	test_ioctl_sem_post(self->sfd[0], 2);
	/* Three children take and give one unit of sem 0 as fast as they can. */
	for (i = 0; i < 3; i++) {
		small[i] = kipc_fork_tied();
		ASSERT_LE(0, small[i]);
		if (small[i] == 0) {
			for (;;) {
				if (kipc_sem_wait(self->sfd[0], 1, 0))
					_exit(1);
				if (kipc_sem_post(self->sfd[0], 1))
					_exit(1);
			}
		}
	}
	pid = spawn_multi(big, 2, 0, 1, self->pipefd[1]);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, await_multi(self->sfd[0], 1));
	/* Behind it, a try fails even with units there. */
	test_ioctl_sem_post(self->sfd[0], 1);
	test_ioctl_sem_post(self->sfd[1], 1);
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(0, r.err);
	test_wait_child(pid);
	for (i = 0; i < 3; i++) {
		kill(small[i], SIGKILL);
		waitpid(small[i], NULL, 0);
	}
	ASSERT_EQ(0U, test_sem_value(self->sfd[1]));
}

/* A queued multi-operation holds back a later single take. */
TEST_F(semm, fifo_with_single_waits)
{
	struct kipc_sem_op big[] = { OP(self->sfd[0], -2), OP(self->sfd[1], -1) };
	struct kipc_sem_result r;
	pid_t pid;

	pid = spawn_multi(big, 2, 0, 1, self->pipefd[1]);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, await_multi(self->sfd[0], 1));
	test_ioctl_sem_post(self->sfd[0], 5);
	/* Five units, but the multi-operation came first. */
	test_err_sem_wait(EAGAIN, self->sfd[0], 1, KIPC_WAIT_NONBLOCK);
	test_ioctl_sem_post(self->sfd[1], 1);
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(0, r.err);
	test_wait_child(pid);
	ASSERT_EQ(3U, test_sem_value(self->sfd[0]));
	test_ioctl_sem_wait(self->sfd[0], 1, KIPC_WAIT_NONBLOCK);
}

/* --- wait for zero ---------------------------------------------------------- */

TEST_F(semm, zero_single)
{
	struct kipc_sem_result r;
	pid_t pid;

	/* At 0 it returns at once. */
	ASSERT_EQ(0, kipc_sem_wait(self->sfd[0], 0, KIPC_SEM_ZERO));
	test_ioctl_sem_post(self->sfd[0], 2);
	ASSERT_EQ(-EAGAIN, kipc_sem_trywait(self->sfd[0], 0, KIPC_SEM_ZERO));
	ASSERT_EQ(-EINVAL, kipc_sem_wait(self->sfd[0], 1, KIPC_SEM_ZERO));
	ASSERT_EQ(-EINVAL, kipc_sem_wait(self->sfd[0], 0,
					 KIPC_SEM_ZERO | KIPC_SEM_UNDO));
	pid = kipc_sem_spawn_waiter(self->sfd[0], 0, KIPC_SEM_ZERO, 0, 0, 1,
				    self->pipefd[1]);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, await_zero(self->sfd[0], 1));
	/* It holds back no taker. */
	ASSERT_EQ(0U, sem_get_field(self->sfd[0], 0));
	test_ioctl_sem_wait(self->sfd[0], 1, KIPC_WAIT_NONBLOCK);
	ASSERT_EQ(1U, sem_get_field(self->sfd[0], 1));
	test_ioctl_sem_wait(self->sfd[0], 1, KIPC_WAIT_NONBLOCK);
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(0, r.err);
	test_wait_child(pid);
	ASSERT_EQ(0U, sem_get_field(self->sfd[0], 1));

	/* Removal wakes it with EIDRM. */
	test_ioctl_sem_post(self->sfd[0], 1);
	pid = kipc_sem_spawn_waiter(self->sfd[0], 0, KIPC_SEM_ZERO, 0, 0, 2,
				    self->pipefd[1]);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, await_zero(self->sfd[0], 1));
	ASSERT_EQ(0, kipc_nl_obj_remove(&self->nl, self->id[0]));
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(EIDRM, r.err);
	test_wait_child(pid);
}

/* A timed wait for zero times out and counts it. */
TEST_F(semm, zero_timeout)
{
	struct timespec rel = { 0, 20 * 1000000 };
	struct kipc_nl_obj st;

	test_ioctl_sem_post(self->sfd[0], 1);
	ASSERT_EQ(-ETIMEDOUT, kipc_sem_wait_timeout(self->sfd[0], 0,
						    KIPC_SEM_ZERO, &rel));
	test_nl_stat(&self->nl, self->id[0], &st);
	ASSERT_EQ(1ULL, st.val[KIPC_A_OBJ_SEM_TIMEOUTS]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_ZERO_WAITERS]);
}

/* EPOLLPRI while the value is 0, and a poll woken when it gets there. */
TEST_F(semm, poll_pri)
{
	struct pollfd p = { .fd = self->sfd[0], .events = POLLPRI };
	pid_t pid;

	ASSERT_EQ(1, poll(&p, 1, 0));
	ASSERT_EQ(POLLPRI, p.revents);
	test_ioctl_sem_post(self->sfd[0], 1);
	ASSERT_EQ(0, poll(&p, 1, 0));
	p.events = POLLIN;
	ASSERT_EQ(1, poll(&p, 1, 0));
	ASSERT_EQ(POLLIN, p.revents);

	pid = kipc_fork_tied();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(50000);
		_exit(kipc_sem_wait(self->sfd[0], 1, 0) ? 1 : 0);
	}
	p.events = POLLPRI;
	ASSERT_EQ(1, poll(&p, 1, 10000));
	ASSERT_EQ(POLLPRI, p.revents);
	test_wait_child(pid);
}

/* A wait for zero inside a multi-operation: at the same moment as the rest. */
TEST_F(semm, zero_in_multi)
{
	struct kipc_sem_op ops[] = { OP(self->sfd[0], 0), OP(self->sfd[1], -1) };
	struct kipc_sem_result r;
	pid_t pid;

	test_ioctl_sem_post(self->sfd[0], 1);
	test_ioctl_sem_post(self->sfd[1], 1);
	test_err_sem_multi(EAGAIN, ops, 2, KIPC_WAIT_NONBLOCK);
	pid = spawn_multi(ops, 2, 0, 1, self->pipefd[1]);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, await_zero(self->sfd[0], 1));
	ASSERT_EQ(1U, sem_get_field(self->sfd[0], 2));
	ASSERT_EQ(1U, sem_get_field(self->sfd[1], 2));
	test_ioctl_sem_wait(self->sfd[0], 1, 0);
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(0, r.err);
	test_wait_child(pid);
	assert_values(0, 0, 0, 0);
}

/* A task's voluntary context switches: how often it slept. */
static long nvcsw(pid_t pid)
{
	char path[64], line[128];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

/*
 * The waits for zero are woken when the value reaches 0, not each time a
 * wait leaves a semaphore that stays at 0: a multi-operation waiting for
 * zero there (and for a take elsewhere) sleeps through a stream of
 * timeouts on it, without a wake-up each.
 */
TEST_F(semm, zero_not_kicked_while_zero)
{
	struct kipc_sem_op ops[] = { OP(self->sfd[0], 0), OP(self->sfd[1], -1) };
	struct timespec rel = { 0, 2 * 1000000 };
	struct kipc_sem_result r;
	long before, after;
	pid_t pid;
	int i;

	pid = spawn_multi(ops, 2, 0, 1, self->pipefd[1]);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, await_zero(self->sfd[0], 1));
	ASSERT_EQ(0, await_multi(self->sfd[1], 1));
	usleep(50000);
	before = nvcsw(pid);
	ASSERT_LE(0, before);
	for (i = 0; i < 20; i++)
		ASSERT_EQ(-ETIMEDOUT, kipc_sem_wait_timeout(self->sfd[0], 1, 0,
							    &rel));
	usleep(50000);
	after = nvcsw(pid);
	/* Before the fix: one wake-up (and sleep) per timeout, 20. */
	ASSERT_GE(2, after - before)
		TH_LOG("multi-waiter slept %ld times", after - before);
	/* Still waiting, and a real change reaches it. */
	ASSERT_EQ(1U, sem_get_field(self->sfd[0], 1));
	test_ioctl_sem_post(self->sfd[1], 1);
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(0, r.err);
	test_wait_child(pid);
	assert_values(0, 0, 0, 0);
}

/*
 * EOVERFLOW does not depend on the order of the ids: a give past the
 * maximum beside a take that must wait waits (EAGAIN, non-blocking),
 * whichever semaphore is older, and beside a take that can go it is
 * EOVERFLOW, whichever is older; nothing is applied.
 */
TEST_F(semm, overflow_independent_of_id_order)
{
	struct kipc_sem_op lo_give[] = { OP(self->sfd[0], 1),
					 OP(self->sfd[1], -1) };
	struct kipc_sem_op hi_give[] = { OP(self->sfd[3], 1),
					 OP(self->sfd[2], -1) };
	struct timespec abs;

	ASSERT_LT(self->id[0], self->id[1]);
	ASSERT_LT(self->id[2], self->id[3]);
	test_ioctl_sem_post(self->sfd[0], KIPC_SEM_VALUE_MAX);
	test_ioctl_sem_post(self->sfd[3], KIPC_SEM_VALUE_MAX);
	/* The takes must wait: the lower id gives, or the higher. */
	test_err_sem_multi(EAGAIN, lo_give, 2, KIPC_WAIT_NONBLOCK);
	test_err_sem_multi(EAGAIN, hi_give, 2, KIPC_WAIT_NONBLOCK);
	/* Blocking, with a deadline: it waits, then times out. */
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_sec -= 1;
	ASSERT_EQ(-ETIMEDOUT, kipc_sem_multi(lo_give, 2, 0, CLOCK_REALTIME,
					     &abs));
	ASSERT_EQ(-ETIMEDOUT, kipc_sem_multi(hi_give, 2, 0, CLOCK_REALTIME,
					     &abs));
	/* The takes could go: EOVERFLOW in both orders. */
	test_ioctl_sem_post(self->sfd[1], 1);
	test_ioctl_sem_post(self->sfd[2], 1);
	test_err_sem_multi(EOVERFLOW, lo_give, 2, KIPC_WAIT_NONBLOCK);
	test_err_sem_multi(EOVERFLOW, hi_give, 2, KIPC_WAIT_NONBLOCK);
	test_err_sem_multi(EOVERFLOW, lo_give, 2, 0);
	test_err_sem_multi(EOVERFLOW, hi_give, 2, 0);
	assert_values(KIPC_SEM_VALUE_MAX, 1, 1, KIPC_SEM_VALUE_MAX);
}

/* --- undo and kill -9 ------------------------------------------------------- */

TEST_F(semm, undo_per_op)
{
	struct kipc_sem_op ops[] = { OPU(self->sfd[0], -2), OP(self->sfd[1], -1) };
	struct kipc_sem_op back[] = { OP(self->sfd[0], 1), OP(self->sfd[1], 1) };

	test_ioctl_sem_post(self->sfd[0], 2);
	test_ioctl_sem_post(self->sfd[1], 1);
	ASSERT_EQ(0U, test_ioctl_sem_multi(ops, 2, 0));
	ASSERT_EQ(2ULL, test_sem_undo(self->sfd[0]));
	ASSERT_EQ(0ULL, test_sem_undo(self->sfd[1]));
	/* A give through the description pays the record back. */
	ASSERT_EQ(0U, test_ioctl_sem_multi(back, 2, 0));
	ASSERT_EQ(1ULL, test_sem_undo(self->sfd[0]));
}

/*
 * kill -9 of a multi-waiter that holds units under undo from an earlier
 * multi-operation: its units come back, reported as recovered, and its
 * queue entries are gone.
 */
TEST_F(semm, kill_multi_waiter)
{
	struct kipc_sem_op ops[] = { OP(self->sfd[0], -1), OP(self->sfd[2], -1) };
	__u32 of;
	pid_t pid;
	int i;

	test_ioctl_sem_post(self->sfd[0], 1);
	test_ioctl_sem_post(self->sfd[1], 1);
	pid = kipc_fork_tied();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int a = test_sem_reopen(self->name[0], KIPC_RW);
		int b = test_sem_reopen(self->name[1], KIPC_RW);
		int c = test_sem_reopen(self->name[2], KIPC_RW);
		struct kipc_sem_op hold[] = { OPU(a, -1), OPU(b, -1) };
		struct kipc_sem_op wait[] = { OPU(b, -1), OPU(c, -1) };

		for (i = 0; i < NSEM; i++)
			close(self->sfd[i]);
		if (kipc_sem_multi(hold, 2, 0, CLOCK_MONOTONIC, NULL))
			_exit(1);
		/* Blocks: b is 0 now. */
		kipc_sem_multi(wait, 2, 0, CLOCK_MONOTONIC, NULL);
		_exit(1);
	}
	ASSERT_EQ(0, await_multi(self->sfd[2], 1));
	ASSERT_EQ(0U, test_sem_value(self->sfd[0]));
	ASSERT_EQ(1U, sem_get_field(self->sfd[1], 2));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	assert_values(1, 1, 0, 0);
	for (i = 0; i < NSEM; i++)
		ASSERT_EQ(0U, sem_get_field(self->sfd[i], 0));
	/* The units the dead held are reported as recovered. */
	test_ioctl_sem_post(self->sfd[2], 1);
	ops[1].fd = self->sfd[2];
	of = test_ioctl_sem_multi(ops, 2, 0);
	ASSERT_EQ((__u32)KIPC_SEM_RECOVERED, of);
}

/* --- statistics --------------------------------------------------------------- */

TEST_F(semm, netlink_stats)
{
	struct kipc_sem_op ops[] = { OP(self->sfd[0], -1), OP(self->sfd[1], 0) };
	struct kipc_nl_obj st;
	struct kipc_sem_result r;
	pid_t pid;

	test_ioctl_sem_post(self->sfd[1], 1);
	pid = spawn_multi(ops, 2, 0, 1, self->pipefd[1]);
	ASSERT_LE(0, pid);
	ASSERT_EQ(0, await_multi(self->sfd[1], 1));
	test_nl_stat(&self->nl, self->id[0], &st);
	ASSERT_EQ(1ULL, st.val[KIPC_A_OBJ_SEM_WAITERS]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_ZERO_WAITERS]);
	ASSERT_EQ(1ULL, st.val[KIPC_A_OBJ_SEM_MULTI_WAITERS]);
	test_nl_stat(&self->nl, self->id[1], &st);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_WAITERS]);
	ASSERT_EQ(1ULL, st.val[KIPC_A_OBJ_SEM_ZERO_WAITERS]);
	ASSERT_EQ(1ULL, st.val[KIPC_A_OBJ_SEM_MULTI_WAITERS]);
	test_ioctl_sem_post(self->sfd[0], 1);
	test_ioctl_sem_wait(self->sfd[1], 1, 0);
	test_sem_read_result(self->pipefd[0], &r);
	ASSERT_EQ(0, r.err);
	test_wait_child(pid);
	test_nl_stat(&self->nl, self->id[1], &st);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_MULTI_WAITERS]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_ZERO_WAITERS]);
}

/* --- dining philosophers, and a race ------------------------------------------ */

#define PHILOSOPHERS	5
#define MEALS		200

/*
 * Five philosophers, five forks (semaphores of value 1). Each takes both
 * forks in one call, half of them naming the right one first: the kernel
 * orders the locks itself, so nobody deadlocks, and FIFO lets each eat.
 */
TEST_F(semm, dining_philosophers)
{
	char names[PHILOSOPHERS][KIPC_NAME_MAX + 1];
	int fork_fd[PHILOSOPHERS], pfd[2], i, total = 0;
	pid_t pid[PHILOSOPHERS];

	ASSERT_EQ(0, pipe(pfd));
	for (i = 0; i < PHILOSOPHERS; i++) {
		test_name(names[i], "fork");
		snprintf(names[i] + strlen(names[i]),
			 sizeof(names[i]) - strlen(names[i]), "-%d", i);
		fork_fd[i] = test_sem_create(names[i], 1, NULL);
	}
	for (i = 0; i < PHILOSOPHERS; i++) {
		pid[i] = kipc_fork_tied();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0) {
			int l = fork_fd[i], r = fork_fd[(i + 1) % PHILOSOPHERS];
			struct kipc_sem_op take[2] = {
				OPU(i % 2 ? r : l, -1), OPU(i % 2 ? l : r, -1),
			};
			struct kipc_sem_op give[2] = { OP(l, 1), OP(r, 1) };
			int meals;

			for (meals = 0; meals < MEALS; meals++) {
				if (kipc_sem_multi(take, 2, 0, CLOCK_MONOTONIC,
						   NULL) < 0)
					_exit(1);
				/* Eating: both forks are ours. */
				if (kipc_sem_getvalue(l) || kipc_sem_getvalue(r))
					_exit(2);
				sched_yield();
				if (kipc_sem_multi(give, 2, 0, CLOCK_MONOTONIC,
						   NULL))
					_exit(3);
			}
			_exit(write(pfd[1], &meals, sizeof(meals)) ==
			      sizeof(meals) ? 0 : 4);
		}
	}
	for (i = 0; i < PHILOSOPHERS; i++) {
		int meals;

		ASSERT_EQ((ssize_t)sizeof(meals), read(pfd[0], &meals,
						       sizeof(meals)));
		total += meals;
	}
	for (i = 0; i < PHILOSOPHERS; i++)
		test_wait_child(pid[i]);
	ASSERT_EQ(PHILOSOPHERS * MEALS, total);
	for (i = 0; i < PHILOSOPHERS; i++) {
		ASSERT_EQ(1U, test_sem_value(fork_fd[i]));
		close(fork_fd[i]);
		_test_cmd_unlink(self->fd, KIPC_OBJ_SEM, names[i]);
	}
	close(pfd[0]);
	close(pfd[1]);
}

#define RACERS		4
#define RACE_ROUNDS	2000

/*
 * Overlapping multi-operations in random orders and sizes, single waits,
 * posts and waits for zero among them, some with deadlines that expire:
 * in the end every unit is back, and no queue holds anything. For lockdep
 * and KASAN on the debug kernel.
 */
TEST_F(semm, race_overlapping)
{
	pid_t pid[RACERS];
	int i;

	for (i = 0; i < NSEM; i++)
		test_ioctl_sem_post(self->sfd[i], 3);
	for (i = 0; i < RACERS; i++) {
		pid[i] = kipc_fork_tied();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0) {
			unsigned int seed = getpid();
			int round;

			for (round = 0; round < RACE_ROUNDS; round++) {
				struct kipc_sem_op take[NSEM], give[NSEM];
				struct timespec rel = { 0, 2000000 };
				int n = 0, j, start = rand_r(&seed) % NSEM;
				int k = 1 + rand_r(&seed) % NSEM;
				int ret;

				for (j = 0; j < k; j++) {
					int s = (start + j) % NSEM;
					int d = 1 + rand_r(&seed) % 2;

					take[n] = (struct kipc_sem_op)OPU(self->sfd[s], -d);
					give[n] = (struct kipc_sem_op)OP(self->sfd[s], d);
					n++;
				}
				if (rand_r(&seed) % 4) {
					ret = kipc_sem_multi(take, n, 0,
							     CLOCK_MONOTONIC,
							     NULL);
				} else {
					struct timespec abs;

					clock_gettime(CLOCK_MONOTONIC, &abs);
					abs.tv_nsec += rel.tv_nsec;
					if (abs.tv_nsec >= 1000000000) {
						abs.tv_sec++;
						abs.tv_nsec -= 1000000000;
					}
					ret = kipc_sem_multi(take, n, 0,
							     CLOCK_MONOTONIC,
							     &abs);
				}
				if (ret == -ETIMEDOUT)
					continue;
				if (ret < 0)
					_exit(10);
				if (rand_r(&seed) % 2)
					sched_yield();
				if (kipc_sem_multi(give, n, 0, CLOCK_MONOTONIC,
						   NULL))
					_exit(11);
				if (!(round % 64))
					kipc_sem_trywait(self->sfd[start], 0,
							 KIPC_SEM_ZERO);
			}
			_exit(0);
		}
	}
	for (i = 0; i < RACERS; i++)
		test_wait_child(pid[i]);
	assert_values(3, 3, 3, 3);
	for (i = 0; i < NSEM; i++) {
		ASSERT_EQ(0U, sem_get_field(self->sfd[i], 0));
		ASSERT_EQ(0U, sem_get_field(self->sfd[i], 2));
		ASSERT_EQ(0ULL, test_sem_undo(self->sfd[i]));
	}
}

TEST_HARNESS_MAIN
