// SPDX-License-Identifier: GPL-2.0-only
/*
 * Message queue calls that wait: timeouts and deadlines on both clocks,
 * signals with and without SA_RESTART, direct hand-off to blocked receivers,
 * FIFO order among blocked tasks, waiters killed while blocked, and poll and
 * epoll readiness.
 *
 * The blocked side runs in a child process (in a thread where it must share
 * the fd table). The parent learns that it is blocked from the queue's
 * netlink statistics (KIPC_A_OBJ_MQ_WAIT_SEND and _WAIT_RECV), or for poll
 * and epoll from /proc, never from a sleep alone.
 */
#include <pthread.h>

#include "kipc_test.h"

#define MSG_MAX		KIPC_CALL_MSG
#define NS		1000000000ULL
#define MS		1000000ULL

FIXTURE(wait) {
	int fd;
	struct kipc_nl nl;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(wait)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->name, "q");
}

FIXTURE_TEARDOWN(wait)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	close(self->nl.fd);
	close(self->fd);
}

#define test_wait_blocked(_id, _attr, _n) \
	test_nl_mq_wait(&self->nl, _id, _attr, _n)

/* --- timeouts -------------------------------------------------------- */

/* The library's relative timeout on an empty queue. */
TEST_F(wait, timeout_relative_recv)
{
	struct timespec rel = { 0, 100 * MS };
	char buf[8];
	__u64 t0, t1;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 2, sizeof(buf));
	id = test_obj_id(qfd);
	t0 = kipc_now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(-ETIMEDOUT, kipc_mq_receive_timeout(qfd, buf, sizeof(buf),
						      NULL, &rel));
	t1 = kipc_now_ns(CLOCK_MONOTONIC);
	ASSERT_LE(t0 + 100 * MS, t1);
	ASSERT_GT(t0 + 10 * NS, t1);
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_RECV));
	/* A zero timeout does not wait at all. */
	rel.tv_nsec = 0;
	ASSERT_EQ(-ETIMEDOUT, kipc_mq_receive_timeout(qfd, buf, sizeof(buf),
						      NULL, &rel));
	/* A timeout that is no time at all. */
	rel.tv_nsec = 1000000000L;
	ASSERT_EQ(-EINVAL, kipc_mq_receive_timeout(qfd, buf, sizeof(buf),
						   NULL, &rel));
	rel.tv_nsec = 0;
	rel.tv_sec = -1;
	ASSERT_EQ(-EINVAL, kipc_mq_receive_timeout(qfd, buf, sizeof(buf),
						   NULL, &rel));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* The library's relative timeout on a full queue. */
TEST_F(wait, timeout_relative_send)
{
	struct timespec rel = { 0, 150 * MS };
	__u64 t0, t1, id;
	char c = 'x';
	int qfd;

	qfd = test_mq_create(self->name, 1, 1);
	id = test_obj_id(qfd);
	test_ioctl_mq_send(qfd, &c, 1, 0);
	t0 = kipc_now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(-ETIMEDOUT, kipc_mq_send_timeout(qfd, "y", 1, 5, &rel));
	t1 = kipc_now_ns(CLOCK_MONOTONIC);
	ASSERT_LE(t0 + 150 * MS, t1);
	ASSERT_GT(t0 + 10 * NS, t1);
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_SEND));
	ASSERT_EQ(1ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_SENDS));
	/* Only the first message is there. */
	test_ioctl_mq_recv(qfd, &c, 1, 1, 0);
	ASSERT_EQ('x', c);
	test_err_mq_recv(EAGAIN, qfd, &c, 1, KIPC_WAIT_NONBLOCK);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* An absolute deadline: the call returns at it, not before. */
static void deadline_passes(struct __test_metadata *_metadata, int qfd,
			    clockid_t clk)
{
	struct kipc_mq_recv rcv = { .size = sizeof(rcv) };
	struct kipc_mq_send snd = { .size = sizeof(snd) };
	char buf[4] = "abc";
	__u64 t1;

	rcv.flags = KIPC_WAIT_DEADLINE;
	rcv.clockid = clk;
	rcv.buf = (uintptr_t)buf;
	rcv.len = sizeof(buf);
	rcv.deadline = kipc_now_ns(clk) + 100 * MS;
	EXPECT_ERRNO(ETIMEDOUT, ioctl(qfd, KIPC_IOC_MQ_RECV, &rcv));
	t1 = kipc_now_ns(clk);
	ASSERT_LE(rcv.deadline, t1);
	ASSERT_GT(rcv.deadline + 10 * NS, t1);

	snd.buf = (uintptr_t)buf;
	snd.len = sizeof(buf);
	ASSERT_EQ(0, ioctl(qfd, KIPC_IOC_MQ_SEND, &snd));
	snd.flags = KIPC_WAIT_DEADLINE;
	snd.clockid = clk;
	snd.deadline = kipc_now_ns(clk) + 100 * MS;
	EXPECT_ERRNO(ETIMEDOUT, ioctl(qfd, KIPC_IOC_MQ_SEND, &snd));
	t1 = kipc_now_ns(clk);
	ASSERT_LE(snd.deadline, t1);
	ASSERT_GT(snd.deadline + 10 * NS, t1);
	ASSERT_EQ(1U, test_mq_depth(qfd));
}

TEST_F(wait, deadline_monotonic)
{
	int qfd = test_mq_create(self->name, 1, 4);

	deadline_passes(_metadata, qfd, CLOCK_MONOTONIC);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(wait, deadline_realtime)
{
	struct timespec abs;
	char buf[4];
	__u64 t1;
	int qfd = test_mq_create(self->name, 1, 4);

	deadline_passes(_metadata, qfd, CLOCK_REALTIME);
	/* And through the library. */
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 4, 0);
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec += 100 * MS;
	if (abs.tv_nsec >= (long)NS) {
		abs.tv_sec++;
		abs.tv_nsec -= NS;
	}
	ASSERT_EQ(-ETIMEDOUT, kipc_mq_timedreceive(qfd, buf, sizeof(buf), NULL,
						   CLOCK_REALTIME, &abs));
	t1 = kipc_now_ns(CLOCK_REALTIME);
	ASSERT_LE(abs.tv_sec * NS + abs.tv_nsec, t1);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * A deadline that has already passed: ETIMEDOUT at once, and nothing in the
 * queue or its statistics changes.
 */
TEST_F(wait, deadline_expired)
{
	static const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME };
	struct kipc_mq_recv rcv = { .size = sizeof(rcv) };
	struct kipc_mq_send snd = { .size = sizeof(snd) };
	struct kipc_nl_msg before, after;
	char buf[4] = "abc";
	unsigned int i, j;
	__u64 id, t0;
	int qfd, full;

	qfd = test_mq_create(self->name, 1, 4);
	id = test_obj_id(qfd);
	rcv.buf = (uintptr_t)buf;
	rcv.len = sizeof(buf);
	snd.buf = (uintptr_t)buf;
	snd.len = sizeof(buf);
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &before));
	for (i = 0; i < ARRAY_SIZE(clocks); i++) {
		/* Just gone, long gone, and the epoch. */
		__u64 deadlines[] = {
			kipc_now_ns(clocks[i]) - 1 * MS,
			kipc_now_ns(clocks[i]) / 2, 0,
		};

		for (j = 0; j < ARRAY_SIZE(deadlines); j++) {
			rcv.flags = KIPC_WAIT_DEADLINE;
			rcv.clockid = clocks[i];
			rcv.deadline = deadlines[j];
			t0 = kipc_now_ns(CLOCK_MONOTONIC);
			EXPECT_ERRNO(ETIMEDOUT,
				     ioctl(qfd, KIPC_IOC_MQ_RECV, &rcv));
			ASSERT_GT(t0 + 1 * NS, kipc_now_ns(CLOCK_MONOTONIC));
		}
	}
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &after));
	for (j = KIPC_A_OBJ_MQ_DEPTH; j <= KIPC_A_OBJ_MQ_RTIME; j++)
		ASSERT_EQ(before.val[j], after.val[j]) TH_LOG("attr %u", j);

	/* The same for a sender on a full queue. */
	ASSERT_EQ(0, ioctl(qfd, KIPC_IOC_MQ_SEND, &snd));
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &before));
	for (i = 0; i < ARRAY_SIZE(clocks); i++) {
		snd.flags = KIPC_WAIT_DEADLINE;
		snd.clockid = clocks[i];
		snd.deadline = kipc_now_ns(clocks[i]) - 1 * MS;
		t0 = kipc_now_ns(CLOCK_MONOTONIC);
		EXPECT_ERRNO(ETIMEDOUT, ioctl(qfd, KIPC_IOC_MQ_SEND, &snd));
		ASSERT_GT(t0 + 1 * NS, kipc_now_ns(CLOCK_MONOTONIC));
	}
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &after));
	for (j = KIPC_A_OBJ_MQ_DEPTH; j <= KIPC_A_OBJ_MQ_RTIME; j++)
		ASSERT_EQ(before.val[j], after.val[j]) TH_LOG("attr %u", j);
	full = test_mq_depth(qfd);
	ASSERT_EQ(1, full);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* A call that need not wait does not look at its deadline. */
TEST_F(wait, deadline_expired_but_ready)
{
	struct kipc_mq_recv rcv = { .size = sizeof(rcv) };
	struct kipc_mq_send snd = { .size = sizeof(snd) };
	char buf[4] = "abc", out[4];
	int qfd;

	qfd = test_mq_create(self->name, 1, 4);
	snd.flags = KIPC_WAIT_DEADLINE;
	snd.clockid = CLOCK_MONOTONIC;
	snd.buf = (uintptr_t)buf;
	snd.len = sizeof(buf);
	ASSERT_EQ(0, ioctl(qfd, KIPC_IOC_MQ_SEND, &snd));
	rcv.flags = KIPC_WAIT_DEADLINE;
	rcv.clockid = CLOCK_REALTIME;
	rcv.deadline = 1;
	rcv.buf = (uintptr_t)out;
	rcv.len = sizeof(out);
	ASSERT_EQ(4, ioctl(qfd, KIPC_IOC_MQ_RECV, &rcv));
	ASSERT_EQ(0, memcmp(out, "abc", 4));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Every blocking queue ioctl refuses this deadline with EINVAL. */
static void deadline_refused(struct __test_metadata *_metadata, int qfd,
			     __u32 clockid, __u64 deadline)
{
	struct kipc_mq_recv rcv = { .size = sizeof(rcv) };
	struct kipc_mq_send snd = { .size = sizeof(snd) };
	struct kipc_mq_sendv vcmd = { .size = sizeof(vcmd) };
	struct kipc_mq_vec vec = { .len = 1 };
	char c = 'd';

	vec.buf = (uintptr_t)&c;
	snd.flags = KIPC_WAIT_DEADLINE;
	snd.buf = (uintptr_t)&c;
	snd.len = 1;
	snd.clockid = clockid;
	snd.deadline = deadline;
	rcv.flags = KIPC_WAIT_DEADLINE;
	rcv.buf = (uintptr_t)&c;
	rcv.len = 1;
	rcv.clockid = clockid;
	rcv.deadline = deadline;
	vcmd.flags = KIPC_WAIT_DEADLINE;
	vcmd.vec = (uintptr_t)&vec;
	vcmd.count = 1;
	vcmd.clockid = clockid;
	vcmd.deadline = deadline;
	EXPECT_ERRNO(EINVAL, ioctl(qfd, KIPC_IOC_MQ_SEND, &snd));
	EXPECT_ERRNO(EINVAL, ioctl(qfd, KIPC_IOC_MQ_RECV, &rcv));
	EXPECT_ERRNO(EINVAL, ioctl(qfd, KIPC_IOC_MQ_SENDV, &vcmd));
	EXPECT_ERRNO(EINVAL, ioctl(qfd, KIPC_IOC_MQ_RECVV, &vcmd));
}

/* Only CLOCK_MONOTONIC and CLOCK_REALTIME, and only a sane deadline. */
TEST_F(wait, deadline_invalid)
{
	static const __u32 bad_clocks[] = {
		CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
		CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
		CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_TAI, 64,
		UINT32_MAX,
	};
	struct kipc_mq_recv rcv = { .size = sizeof(rcv) };
	unsigned int i;
	char c = 'd';
	int qfd;

	qfd = test_mq_create(self->name, 2, 4);
	/* One message, so that neither direction would have to wait. */
	test_ioctl_mq_send(qfd, &c, 1, 0);
	for (i = 0; i < ARRAY_SIZE(bad_clocks); i++)
		deadline_refused(_metadata, qfd, bad_clocks[i], UINT32_MAX);
	/* Past the largest time the kernel can represent. */
	deadline_refused(_metadata, qfd, CLOCK_MONOTONIC, 1ULL << 63);
	deadline_refused(_metadata, qfd, CLOCK_REALTIME, UINT64_MAX);
	ASSERT_EQ(1U, test_mq_depth(qfd));
	/* The largest valid one is far away, but fine. */
	rcv.flags = KIPC_WAIT_DEADLINE;
	rcv.clockid = CLOCK_MONOTONIC;
	rcv.deadline = INT64_MAX;
	rcv.buf = (uintptr_t)&c;
	rcv.len = 1;
	ASSERT_EQ(1, ioctl(qfd, KIPC_IOC_MQ_RECV, &rcv));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* A deadline that is met: the message arrives before it. */
TEST_F(wait, deadline_met)
{
	struct kipc_call c = { .op = KIPC_CALL_RECV, .msg[0].len = MSG_MAX };
	struct kipc_call_result r;
	struct kipc_child ch;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 1, MSG_MAX);
	id = test_obj_id(qfd);
	c.flags = KIPC_WAIT_DEADLINE;
	c.clockid = CLOCK_REALTIME;
	c.deadline = kipc_now_ns(CLOCK_REALTIME) + 60 * NS;
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	test_ioctl_mq_send(qfd, "in time", 7, 3);
	test_call_result(&ch, &r);
	ASSERT_EQ(7, r.ret);
	ASSERT_EQ(3U, r.msg[0].prio);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "in time", 7));
	ASSERT_GT(c.deadline, r.t_end_real);

	/* And a sender waiting for room, on the other clock. */
	test_ioctl_mq_send(qfd, "full", 4, 0);
	c.op = KIPC_CALL_SEND;
	c.clockid = CLOCK_MONOTONIC;
	c.deadline = kipc_now_ns(CLOCK_MONOTONIC) + 60 * NS;
	c.msg[0].len = 5;
	memcpy(c.msg[0].data, "later", 5);
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_SEND, 1);
	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, 4, 0);
	test_call_result(&ch, &r);
	ASSERT_EQ(0, r.ret);
	ASSERT_GT(c.deadline, r.t_end);
	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, 5, 0);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "later", 5));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* --- signals --------------------------------------------------------- */

/* A far deadline does not keep a signal from interrupting the wait. */
TEST_F(wait, deadline_interrupted)
{
	struct kipc_call c = { .op = KIPC_CALL_RECV, .msg[0].len = MSG_MAX };
	struct kipc_call_result r;
	struct kipc_child ch;
	__u64 id, t0;
	int qfd;

	qfd = test_mq_create(self->name, 1, MSG_MAX);
	id = test_obj_id(qfd);
	c.flags = KIPC_WAIT_DEADLINE;
	c.clockid = CLOCK_MONOTONIC;
	c.deadline = kipc_now_ns(CLOCK_MONOTONIC) + 3600 * NS;
	test_call_start(qfd, &c, KIPC_SIG_NO_RESTART, &ch);
	test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	t0 = kipc_now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(0, kill(ch.pid, SIGUSR1));
	test_call_signalled(&ch);
	test_call_result(&ch, &r);
	ASSERT_EQ(-1, r.ret);
	ASSERT_EQ(EINTR, r.err);
	ASSERT_GT(t0 + 10 * NS, r.t_end);
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_RECV));

	/* The same on CLOCK_REALTIME, for a sender. */
	test_ioctl_mq_send(qfd, "x", 1, 0);
	c.op = KIPC_CALL_SEND;
	c.msg[0].len = 1;
	c.clockid = CLOCK_REALTIME;
	c.deadline = kipc_now_ns(CLOCK_REALTIME) + 3600 * NS;
	test_call_eintr(&self->nl, qfd, id, &c,
			KIPC_A_OBJ_MQ_WAIT_SEND, &r);
	ASSERT_EQ(1U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * Without SA_RESTART a signal ends a blocked receive with EINTR, by ioctl
 * and by read(), and the receiver takes nothing with it.
 */
TEST_F(wait, eintr_recv)
{
	static const int ops[] = { KIPC_CALL_RECV, KIPC_CALL_READ };
	struct kipc_call_result r;
	unsigned int i;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 2, MSG_MAX);
	id = test_obj_id(qfd);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		struct kipc_call c = { .op = ops[i], .msg[0].len = MSG_MAX };

		test_call_eintr(&self->nl, qfd, id, &c,
				KIPC_A_OBJ_MQ_WAIT_RECV, &r);
	}
	/* A later message waits for a later receiver. */
	test_ioctl_mq_send(qfd, "kept", 4, 0);
	ASSERT_EQ(1U, test_mq_depth(qfd));
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_RECVS));
	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, 4, 0);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Without SA_RESTART a signal ends a blocked send; nothing is queued. */
TEST_F(wait, eintr_send)
{
	static const int ops[] = { KIPC_CALL_SEND, KIPC_CALL_WRITE };
	struct kipc_call_result r;
	unsigned int i;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 1, MSG_MAX);
	id = test_obj_id(qfd);
	test_ioctl_mq_send(qfd, "first", 5, 0);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		struct kipc_call c = { .op = ops[i], .msg[0].len = 6,
				   .msg[0].data = "second" };

		test_call_eintr(&self->nl, qfd, id, &c,
				KIPC_A_OBJ_MQ_WAIT_SEND, &r);
	}
	ASSERT_EQ(1ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_SENDS));
	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, 5, 0);
	test_err_mq_recv(EAGAIN, qfd, r.msg[0].data, MSG_MAX,
			 KIPC_WAIT_NONBLOCK);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * With SA_RESTART the handler runs and the receive goes back to waiting;
 * a message sent afterwards completes it, by ioctl and by read().
 */
TEST_F(wait, restart_recv)
{
	static const int ops[] = { KIPC_CALL_RECV, KIPC_CALL_READ };
	struct kipc_call_result r;
	struct kipc_child ch;
	unsigned int i;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 2, MSG_MAX);
	id = test_obj_id(qfd);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		struct kipc_call c = { .op = ops[i], .msg[0].len = MSG_MAX };

		test_call_start(qfd, &c, KIPC_SIG_RESTART, &ch);
		test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
		ASSERT_EQ(0, kill(ch.pid, SIGUSR1));
		test_call_signalled(&ch);
		/* Blocked again, in the restarted call. */
		test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
		test_ioctl_mq_send(qfd, "restarted", 9, 4);
		test_call_result(&ch, &r);
		ASSERT_EQ(9, r.ret);
		ASSERT_EQ(0, memcmp(r.msg[0].data, "restarted", 9));
		if (ops[i] == KIPC_CALL_RECV)
			ASSERT_EQ(4U, r.msg[0].prio);
	}
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* With SA_RESTART a blocked send restarts, and completes once there is room. */
TEST_F(wait, restart_send)
{
	static const int ops[] = { KIPC_CALL_SEND, KIPC_CALL_WRITE };
	struct kipc_call_result r;
	struct kipc_child ch;
	unsigned int i;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 1, MSG_MAX);
	id = test_obj_id(qfd);
	test_ioctl_mq_send(qfd, "first", 5, 0);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		struct kipc_call c = { .op = ops[i], .msg[0].len = 6,
				   .msg[0].data = "second" };

		test_call_start(qfd, &c, KIPC_SIG_RESTART, &ch);
		test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_SEND, 1);
		ASSERT_EQ(0, kill(ch.pid, SIGUSR1));
		test_call_signalled(&ch);
		test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_SEND, 1);
		/* Make room: the blocked message takes it. */
		ASSERT_EQ(i ? 6 : 5, _test_cmd_mq_recv(qfd, r.msg[0].data,
						       MSG_MAX, 0, NULL,
						       NULL));
		test_call_result(&ch, &r);
		ASSERT_EQ(ops[i] == KIPC_CALL_WRITE ? 6 : 0, r.ret);
		ASSERT_EQ(1U, test_mq_depth(qfd));
	}
	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, 6, 0);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "second", 6));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * A restarted call keeps its absolute deadline: it still times out, on
 * time. The signal comes late, RESTART_LATE before the deadline, so that a
 * restart that armed the timer afresh (for the whole timeout again) would
 * end RESTART_TIMEOUT - RESTART_LATE after the deadline, beyond the slack.
 */
#define RESTART_TIMEOUT	(4 * NS)
#define RESTART_LATE	(NS / 2)
#define RESTART_SLACK	(2 * NS)

TEST_F(wait, restart_keeps_deadline)
{
	struct kipc_call c = { .op = KIPC_CALL_RECV, .msg[0].len = MSG_MAX };
	struct kipc_call_result r;
	struct kipc_child ch;
	struct timespec late;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 1, MSG_MAX);
	id = test_obj_id(qfd);
	c.flags = KIPC_WAIT_DEADLINE;
	c.clockid = CLOCK_MONOTONIC;
	c.deadline = kipc_now_ns(CLOCK_MONOTONIC) + RESTART_TIMEOUT;
	test_call_start(qfd, &c, KIPC_SIG_RESTART, &ch);
	test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	late.tv_sec = (c.deadline - RESTART_LATE) / NS;
	late.tv_nsec = (c.deadline - RESTART_LATE) % NS;
	ASSERT_EQ(0, clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &late,
				     NULL));
	ASSERT_EQ(0, kill(ch.pid, SIGUSR1));
	test_call_signalled(&ch);
	test_call_result(&ch, &r);
	ASSERT_EQ(-1, r.ret);
	ASSERT_EQ(ETIMEDOUT, r.err);
	ASSERT_LE(c.deadline, r.t_end);
	ASSERT_GT(c.deadline + RESTART_SLACK, r.t_end)
		TH_LOG("timed out %llu ms after the deadline",
		       (unsigned long long)(r.t_end - c.deadline) / 1000000);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* --- blocking and hand-off ------------------------------------------- */

/* A sender blocked on a full queue goes in as soon as a receive makes room. */
TEST_F(wait, send_blocks_until_room)
{
	struct kipc_call c = { .op = KIPC_CALL_SEND, .msg[0].len = 5,
				 .msg[0].data = "third" };
	struct kipc_call_result r;
	struct kipc_child ch;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 2, MSG_MAX);
	id = test_obj_id(qfd);
	test_ioctl_mq_send(qfd, "first", 5, 0);
	test_ioctl_mq_send(qfd, "secnd", 5, 0);
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_SEND, 1);
	ASSERT_EQ(2U, test_mq_depth(qfd));

	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, 5, 0);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "first", 5));
	test_call_result(&ch, &r);
	ASSERT_EQ(0, r.ret);
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_SEND));
	ASSERT_EQ(2U, test_mq_depth(qfd));
	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, 5, 0);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "secnd", 5));
	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, 5, 0);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "third", 5));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * A receiver blocked first gets the next message directly: it is never
 * queued, so the high-water mark stays 0.
 */
TEST_F(wait, recv_handoff)
{
	struct kipc_call c = { .op = KIPC_CALL_RECV, .msg[0].len = MSG_MAX };
	struct kipc_call_result r;
	struct kipc_child ch;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 1, MSG_MAX);
	id = test_obj_id(qfd);
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	test_ioctl_mq_send(qfd, "handed", 6, 17);
	test_call_result(&ch, &r);
	ASSERT_EQ(6, r.ret);
	ASSERT_EQ(6U, r.msg[0].len);
	ASSERT_EQ(17U, r.msg[0].prio);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "handed", 6));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_HWM));
	ASSERT_EQ(1ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_SENDS));
	ASSERT_EQ(1ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_RECVS));
	ASSERT_EQ((__u64)ch.pid, test_nl_mq(&self->nl, id,
					    KIPC_A_OBJ_MQ_LRPID));
	ASSERT_EQ((__u64)getpid(), test_nl_mq(&self->nl, id,
					      KIPC_A_OBJ_MQ_LSPID));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * Receivers blocked with buffers too small for the message that arrives all
 * fail with EMSGSIZE and its length; the message stays queued.
 */
TEST_F(wait, handoff_too_small)
{
	struct kipc_call c = { .op = KIPC_CALL_RECV, .msg[0].len = 8 };
	struct kipc_child ch[2];
	struct kipc_call_result r;
	char big[16];
	unsigned int i;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 2, sizeof(big));
	id = test_obj_id(qfd);
	for (i = 0; i < ARRAY_SIZE(ch); i++) {
		test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch[i]);
		test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_RECV, i + 1);
	}
	memset(big, 'B', sizeof(big));
	test_ioctl_mq_send(qfd, big, sizeof(big), 2);
	for (i = 0; i < ARRAY_SIZE(ch); i++) {
		test_call_result(&ch[i], &r);
		ASSERT_EQ(-1, r.ret);
		ASSERT_EQ(EMSGSIZE, r.err);
		ASSERT_EQ((__u32)sizeof(big), r.msg[0].len);
	}
	ASSERT_EQ(1U, test_mq_depth(qfd));
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_RECV));
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_RECVS));
	memset(r.msg[0].data, 0, sizeof(r.msg[0].data));
	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, sizeof(big), 2);
	ASSERT_EQ(0, memcmp(r.msg[0].data, big, sizeof(big)));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * The message handed to a blocked receiver that cannot take it (EFAULT) goes
 * back to the queue, and so on to the next blocked receiver.
 */
TEST_F(wait, handoff_efault_next_receiver)
{
	struct kipc_call bad = {
		.op = KIPC_CALL_RECV,
		.fault = true,
		.msg[0].len = MSG_MAX,
	};
	struct kipc_call good = { .op = KIPC_CALL_RECV, .msg[0].len = MSG_MAX };
	struct kipc_call_result r;
	struct kipc_child ch[2];
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 2, MSG_MAX);
	id = test_obj_id(qfd);
	test_call_start(qfd, &bad, KIPC_SIG_DEFAULT, &ch[0]);
	test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	test_call_start(qfd, &good, KIPC_SIG_DEFAULT, &ch[1]);
	test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_RECV, 2);
	test_ioctl_mq_send(qfd, "bounced", 7, 9);
	test_call_result(&ch[0], &r);
	ASSERT_EQ(-1, r.ret);
	ASSERT_EQ(EFAULT, r.err);
	test_call_result(&ch[1], &r);
	ASSERT_EQ(7, r.ret);
	ASSERT_EQ(9U, r.msg[0].prio);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "bounced", 7));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	ASSERT_EQ(1ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_RECVS));
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_RECV));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * A receive that fails with EFAULT on a full queue has already let a
 * blocked sender in; its own message goes back in front, so for a while
 * the queue holds more than max_msgs. Nothing is lost and order holds.
 */
TEST_F(wait, efault_with_blocked_sender)
{
	struct kipc_call c = {
		.op = KIPC_CALL_SEND,
		.msg[0] = { .len = 6, .data = "second" },
	};
	struct kipc_call_result r;
	struct kipc_mq_getattr attr;
	struct kipc_child ch;
	struct pollfd pfd;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 1, MSG_MAX);
	id = test_obj_id(qfd);
	test_ioctl_mq_send(qfd, "first", 5, 0);
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_SEND, 1);
	test_err_mq_recv(EFAULT, qfd, (void *)8, MSG_MAX, 0);
	test_call_result(&ch, &r);
	ASSERT_EQ(0, r.ret);
	ASSERT_EQ(0, _test_cmd_mq_getattr(qfd, &attr));
	ASSERT_EQ(2U, attr.out_depth);
	ASSERT_EQ(11ULL, attr.out_bytes);
	/* Over-full: no room to report. */
	pfd.fd = qfd;
	pfd.events = POLLIN | POLLOUT;
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	ASSERT_EQ(POLLIN, pfd.revents);
	test_err_mq_send(EAGAIN, qfd, "x", 1, 31, KIPC_WAIT_NONBLOCK);

	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, 5, 0);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "first", 5));
	/* Still full, at max_msgs. */
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	ASSERT_EQ(POLLIN, pfd.revents);
	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, 6, 0);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "second", 6));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Receivers that blocked in order 0..N-1 get messages 0..N-1. */
TEST_F(wait, fifo_receivers)
{
	enum { N = 5 };
	struct kipc_call c = { .op = KIPC_CALL_RECV, .msg[0].len = MSG_MAX };
	struct kipc_child ch[N];
	struct kipc_call_result r;
	unsigned int i;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, N, MSG_MAX);
	id = test_obj_id(qfd);
	for (i = 0; i < N; i++) {
		test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch[i]);
		/* Each is queued before the next one starts. */
		test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_RECV, i + 1);
	}
	for (i = 0; i < N; i++)
		test_ioctl_mq_send(qfd, &i, sizeof(i), i % 3);
	for (i = 0; i < N; i++) {
		unsigned int v;

		test_call_result(&ch[i], &r);
		ASSERT_EQ((int)sizeof(v), r.ret);
		memcpy(&v, r.msg[0].data, sizeof(v));
		ASSERT_EQ(i, v);
		ASSERT_EQ(i % 3, r.msg[0].prio);
	}
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Senders that blocked in order go in, in that order, as room appears. */
TEST_F(wait, fifo_senders)
{
	enum { N = 4 };
	struct kipc_child ch[N];
	struct kipc_call_result r;
	unsigned int i, v;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 1, sizeof(v));
	id = test_obj_id(qfd);
	v = 100;
	test_ioctl_mq_send(qfd, &v, sizeof(v), 0);
	for (i = 0; i < N; i++) {
		struct kipc_call c = {
			.op = KIPC_CALL_SEND,
			.msg[0].len = sizeof(v),
		};

		memcpy(c.msg[0].data, &i, sizeof(i));
		test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch[i]);
		test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_SEND, i + 1);
	}
	test_ioctl_mq_recv(qfd, &v, sizeof(v), sizeof(v), 0);
	ASSERT_EQ(100U, v);
	for (i = 0; i < N; i++) {
		test_ioctl_mq_recv(qfd, &v, sizeof(v), sizeof(v), 0);
		ASSERT_EQ(i, v);
		test_call_result(&ch[i], &r);
		ASSERT_EQ(0, r.ret);
	}
	ASSERT_EQ(0U, test_mq_depth(qfd));
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_SEND));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* --- waiters killed while blocked ------------------------------------ */

/* SIGKILL a blocked receiver: the next message goes to the next receiver. */
TEST_F(wait, sigkill_receiver)
{
	struct kipc_call c = { .op = KIPC_CALL_RECV, .msg[0].len = MSG_MAX };
	struct kipc_child ch[2];
	struct kipc_call_result r;
	int qfd;
	__u64 id;

	qfd = test_mq_create(self->name, 2, MSG_MAX);
	id = test_obj_id(qfd);
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch[0]);
	test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch[1]);
	test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_RECV, 2);

	test_call_kill(&ch[0]);
	ASSERT_EQ(1ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_RECV));

	test_ioctl_mq_send(qfd, "one", 3, 0);
	test_call_result(&ch[1], &r);
	ASSERT_EQ(3, r.ret);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "one", 3));

	/* And with nobody left, messages queue up as usual. */
	test_ioctl_mq_send(qfd, "two", 3, 0);
	ASSERT_EQ(1U, test_mq_depth(qfd));
	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, 3, 0);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "two", 3));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* SIGKILL a blocked sender: its message never appears, the rest flows. */
TEST_F(wait, sigkill_sender)
{
	struct kipc_child ch[2];
	struct kipc_call_result r;
	int qfd;
	unsigned int i;
	__u64 id;

	qfd = test_mq_create(self->name, 1, MSG_MAX);
	id = test_obj_id(qfd);
	test_ioctl_mq_send(qfd, "queued", 6, 0);
	for (i = 0; i < 2; i++) {
		struct kipc_call c = { .op = KIPC_CALL_SEND, .msg[0].len = 5 };

		snprintf(c.msg[0].data, sizeof(c.msg[0].data), "send%u", i);
		test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch[i]);
		test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_SEND, i + 1);
	}
	test_call_kill(&ch[0]);
	ASSERT_EQ(1ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_SEND));
	ASSERT_EQ(1U, test_mq_depth(qfd));

	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, 6, 0);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "queued", 6));
	test_call_result(&ch[1], &r);
	ASSERT_EQ(0, r.ret);
	test_ioctl_mq_recv(qfd, r.msg[0].data, MSG_MAX, 5, 0);
	ASSERT_EQ(0, memcmp(r.msg[0].data, "send1", 5));
	test_err_mq_recv(EAGAIN, qfd, r.msg[0].data, MSG_MAX,
			 KIPC_WAIT_NONBLOCK);
	ASSERT_EQ(2ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_SENDS));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* --- the fd closed under a waiter ------------------------------------ */

struct blocked_thread {
	int qfd;
	int ret;
	int err;
};

static void *recv_thread(void *arg)
{
	struct blocked_thread *t = arg;
	char buf[8];

	t->ret = _test_cmd_mq_recv(t->qfd, buf, sizeof(buf), 0, NULL, NULL);
	t->err = errno;
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/*
 * Another thread closes the only fd of an unlinked queue while a receive
 * sleeps on it. As with any file, the sleeping call keeps the queue alive:
 * removal or a signal still reaches it, and the queue is freed only when
 * the call has returned.
 */
TEST_F(wait, close_under_waiter)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct kipc_nl_msg m;
	unsigned int round;

	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	for (round = 0; round < 2; round++) {
		struct blocked_thread t = { .ret = 1 };
		pthread_t th;
		__u64 id;

		t.qfd = test_mq_create(self->name, 1, 8);
		id = test_obj_id(t.qfd);
		test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
		ASSERT_EQ(0, pthread_create(&th, NULL, recv_thread, &t));
		test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
		ASSERT_EQ(0, close(t.qfd));
		/* Still there, and still waited on. */
		ASSERT_EQ(1ULL, test_nl_mq(&self->nl, id,
					   KIPC_A_OBJ_MQ_WAIT_RECV));
		ASSERT_EQ(0, round == 0 ? kipc_nl_obj_remove(&self->nl, id) :
					  pthread_kill(th, SIGUSR1));
		ASSERT_EQ(0, pthread_join(th, NULL));
		ASSERT_EQ(-1, t.ret);
		ASSERT_EQ(round == 0 ? EIDRM : EINTR, t.err);
		/* The last reference went with the call. */
		ASSERT_EQ(-ENOENT, kipc_nl_obj_get(&self->nl, id, &m));
	}
}

/* --- poll and epoll -------------------------------------------------- */

static __u32 epoll_now(int efd)
{
	struct epoll_event ev[2];
	int n = epoll_wait(efd, ev, 2, 0);

	if (n < 0)
		return UINT32_MAX;
	return n ? ev[0].events : 0;
}

/* Level-triggered: EPOLLIN while a message waits, EPOLLOUT while room. */
TEST_F(wait, epoll_level)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT };
	char buf[4];
	int qfd, efd;

	qfd = test_mq_create(self->name, 2, sizeof(buf));
	efd = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, epoll_ctl(efd, EPOLL_CTL_ADD, qfd, &ev));
	ASSERT_EQ((__u32)EPOLLOUT, epoll_now(efd));
	test_ioctl_mq_send(qfd, "a", 1, 0);
	ASSERT_EQ((__u32)(EPOLLIN | EPOLLOUT), epoll_now(efd));
	/* Level-triggered: the same again. */
	ASSERT_EQ((__u32)(EPOLLIN | EPOLLOUT), epoll_now(efd));
	test_ioctl_mq_send(qfd, "b", 1, 0);
	ASSERT_EQ((__u32)EPOLLIN, epoll_now(efd));
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 1, 0);
	ASSERT_EQ((__u32)(EPOLLIN | EPOLLOUT), epoll_now(efd));
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 1, 0);
	ASSERT_EQ((__u32)EPOLLOUT, epoll_now(efd));
	close(efd);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Edge-triggered EPOLLIN: one event per message that arrives. */
TEST_F(wait, epoll_edge_in)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	char buf[4];
	int qfd, efd, i;

	qfd = test_mq_create(self->name, 8, sizeof(buf));
	efd = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, epoll_ctl(efd, EPOLL_CTL_ADD, qfd, &ev));
	ASSERT_EQ(0U, epoll_now(efd));
	for (i = 0; i < 3; i++) {
		test_ioctl_mq_send(qfd, "m", 1, i);
		ASSERT_EQ((__u32)EPOLLIN, epoll_now(efd));
		/* Reported once, though the messages are still there. */
		ASSERT_EQ(0U, epoll_now(efd));
	}
	/* A receive is no arrival. */
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 1, 2);
	ASSERT_EQ(0U, epoll_now(efd));
	/* write() is a send like any other. */
	ASSERT_EQ(1, write(qfd, "w", 1));
	ASSERT_EQ((__u32)EPOLLIN, epoll_now(efd));
	ASSERT_EQ(0U, epoll_now(efd));
	close(efd);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * Edge-triggered EPOLLIN for a message that arrives from a blocked sender:
 * the receive that makes room moves it in, and that is an arrival too.
 */
TEST_F(wait, epoll_edge_in_from_blocked_sender)
{
	struct kipc_call c = {
		.op = KIPC_CALL_SEND,
		.msg[0] = { .len = 5, .data = "later" },
	};
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	struct kipc_call_result r;
	struct kipc_child ch;
	char buf[8];
	int qfd, efd;
	__u64 id;

	qfd = test_mq_create(self->name, 1, sizeof(buf));
	id = test_obj_id(qfd);
	efd = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, epoll_ctl(efd, EPOLL_CTL_ADD, qfd, &ev));
	test_ioctl_mq_send(qfd, "first", 5, 0);
	ASSERT_EQ((__u32)EPOLLIN, epoll_now(efd));
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_wait_blocked(id, KIPC_A_OBJ_MQ_WAIT_SEND, 1);
	ASSERT_EQ(0U, epoll_now(efd));

	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 5, 0);
	test_call_result(&ch, &r);
	ASSERT_EQ(0, r.ret);
	ASSERT_EQ((__u32)EPOLLIN, epoll_now(efd));
	ASSERT_EQ(0U, epoll_now(efd));
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 5, 0);
	ASSERT_EQ(0, memcmp(buf, "later", 5));
	close(efd);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Edge-triggered EPOLLOUT: an event when a receive makes room. */
TEST_F(wait, epoll_edge_out)
{
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLET };
	char buf[4];
	int qfd, efd;

	qfd = test_mq_create(self->name, 1, sizeof(buf));
	test_ioctl_mq_send(qfd, "f", 1, 0);
	efd = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, epoll_ctl(efd, EPOLL_CTL_ADD, qfd, &ev));
	ASSERT_EQ(0U, epoll_now(efd));
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 1, 0);
	ASSERT_EQ((__u32)EPOLLOUT, epoll_now(efd));
	ASSERT_EQ(0U, epoll_now(efd));
	/* Filling it again is no event for a writer. */
	test_ioctl_mq_send(qfd, "g", 1, 0);
	ASSERT_EQ(0U, epoll_now(efd));
	ASSERT_EQ(1, read(qfd, buf, sizeof(buf)));
	ASSERT_EQ((__u32)EPOLLOUT, epoll_now(efd));
	close(efd);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* A task asleep in epoll_wait() wakes when a message arrives. */
TEST_F(wait, epoll_wakes_waiter)
{
	struct kipc_call c = {
		.op = KIPC_CALL_EPOLL,
		.flags = EPOLLIN | EPOLLET,
	};
	struct kipc_call_result r;
	struct kipc_child ch;
	int qfd;

	qfd = test_mq_create(self->name, 2, 4);
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_wait_polling(ch.pid);
	test_ioctl_mq_send(qfd, "e", 1, 0);
	test_call_result(&ch, &r);
	ASSERT_EQ(1, r.ret);
	ASSERT_EQ((__u32)EPOLLIN, r.revents);
	ASSERT_EQ(1U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

static short poll_now(int qfd, short events)
{
	struct pollfd pfd = { .fd = qfd, .events = events };
	int n = poll(&pfd, 1, 0);

	if (n < 0)
		return -1;
	return n ? pfd.revents : 0;
}

TEST_F(wait, poll_levels)
{
	char buf[4];
	int qfd;

	qfd = test_mq_create(self->name, 2, sizeof(buf));
	ASSERT_EQ(POLLOUT | POLLWRNORM,
		  poll_now(qfd, POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM));
	ASSERT_EQ(0, poll_now(qfd, POLLIN));
	test_ioctl_mq_send(qfd, "a", 1, 0);
	ASSERT_EQ(POLLIN | POLLOUT, poll_now(qfd, POLLIN | POLLOUT));
	ASSERT_EQ(1, write(qfd, "b", 1));
	ASSERT_EQ(POLLIN | POLLRDNORM,
		  poll_now(qfd, POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM));
	ASSERT_EQ(0, poll_now(qfd, POLLOUT));
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 1, 0);
	ASSERT_EQ(POLLOUT, poll_now(qfd, POLLOUT));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* poll() asleep on an empty queue wakes with POLLIN on a send. */
TEST_F(wait, poll_wakes_on_send)
{
	struct kipc_call c = { .op = KIPC_CALL_POLL, .flags = POLLIN };
	struct kipc_call_result r;
	struct kipc_child ch;
	int qfd;

	qfd = test_mq_create(self->name, 2, 4);
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_wait_polling(ch.pid);
	ASSERT_EQ(1, write(qfd, "p", 1));
	test_call_result(&ch, &r);
	ASSERT_EQ(1, r.ret);
	ASSERT_EQ((__u32)POLLIN, r.revents);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* poll() asleep on a full queue wakes with POLLOUT on a receive. */
TEST_F(wait, poll_wakes_on_room)
{
	struct kipc_call c = { .op = KIPC_CALL_POLL, .flags = POLLOUT };
	struct kipc_call_result r;
	struct kipc_child ch;
	char buf[4];
	int qfd;

	qfd = test_mq_create(self->name, 1, sizeof(buf));
	test_ioctl_mq_send(qfd, "f", 1, 0);
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_wait_polling(ch.pid);
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 1, 0);
	test_call_result(&ch, &r);
	ASSERT_EQ(1, r.ret);
	ASSERT_EQ((__u32)POLLOUT, r.revents);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_HARNESS_MAIN
