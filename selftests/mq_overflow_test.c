// SPDX-License-Identifier: GPL-2.0-only
/*
 * The overflow policy of a queue (struct kipc_mq_attr.flags): by default a
 * send on a full queue waits; with KIPC_MQ_FULL_FAIL it fails with EAGAIN
 * at once; with KIPC_MQ_FULL_DROP it drops the oldest message of the lowest
 * priority queued to make room (and refuses, with EAGAIN, a message below
 * every queued priority), counting each drop. No sender ever waits on
 * either, whatever its flags and deadline.
 */
#include <poll.h>
#include <time.h>
#include <sys/wait.h>

#include "kipc_test.h"

#define MS		1000000ULL
#define SEC		(1000 * MS)

FIXTURE(ovf) {
	int fd;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(ovf)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, "ovf");
}

FIXTURE_TEARDOWN(ovf)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	close(self->fd);
}

static int ovf_open(int devfd, const char *name, __u32 flags, __u32 mqflags,
		    __u32 max_msgs, __u16 mode)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = max_msgs, .max_msgsize = 64,
			.flags = mqflags },
	};

	return _test_cmd_open(devfd, KIPC_OBJ_MQ, name,
			      flags | KIPC_OPEN_CLOEXEC, mode, &attr, NULL,
			      NULL);
}

/* Create the test's queue with these KIPC_MQ_* flags and capacity. */
#define qcreate(_mqflags, _max_msgs)					\
	({								\
		int __q = ovf_open(self->fd, self->name, KIPC_NEW,	\
				   _mqflags, _max_msgs, 0600);		\
		ASSERT_LE(0, __q) TH_LOG("open: %s", strerror(errno));	\
		__q;							\
	})

/* A send of @seq (4 bytes, then @seq more) with a deadline @rel_ns away. */
static int send_seq(int q, __u32 seq, __u32 prio, __u32 flags, __u64 rel_ns)
{
	char buf[64] = {};
	struct kipc_mq_send cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.buf = (uintptr_t)buf,
		.len = 4 + seq % 32,
		.prio = prio,
	};

	memcpy(buf, &seq, 4);
	if (rel_ns) {
		cmd.flags |= KIPC_WAIT_DEADLINE;
		cmd.clockid = CLOCK_MONOTONIC;
		cmd.deadline = kipc_now_ns(CLOCK_MONOTONIC) + rel_ns;
	}
	return ioctl(q, KIPC_IOC_MQ_SEND, &cmd);
}

/* The length send_seq() gives @seq. */
static int seq_len(__u32 seq)
{
	return 4 + seq % 32;
}

/* Receive one message without waiting: its seq, checking len and prio. */
#define recv_seq(_q, _want_prio)					\
	({								\
		char __b[64];						\
		__u32 __len = 0, __prio = 0, __seq = 0;			\
		int __n = _test_cmd_mq_recv(_q, __b, sizeof(__b),	\
					    KIPC_WAIT_NONBLOCK, &__len,	\
					    &__prio);			\
		ASSERT_LE(4, __n) TH_LOG("recv: %s", strerror(errno));	\
		memcpy(&__seq, __b, 4);					\
		ASSERT_EQ((__u32)seq_len(__seq), __len);		\
		ASSERT_EQ((__u32)(_want_prio), __prio);			\
		(int)__seq;						\
	})

static long long mq_bytes(int q)
{
	struct kipc_mq_getattr a;

	if (_test_cmd_mq_getattr(q, &a))
		return -1;
	return a.out_bytes;
}

/* How many messages @_q holds, as an int. */
#define depth(_q) ((int)test_mq_depth(_q))

/* The kipc-mq-drops line of @q's fdinfo, or -1. */
static long long fdinfo_drops(int q)
{
	char path[64], line[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", q);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "kipc-mq-drops:\t", 15))
			v = strtoll(line + 15, NULL, 10);
	fclose(f);
	return v;
}

/* The drop counter over netlink. */
#define nl_drops(_q)							\
	({								\
		struct kipc_nl __nl;					\
		struct kipc_nl_obj __o;					\
		test_nl_open(&__nl);					\
		test_nl_stat(&__nl, test_obj_id(_q), &__o);		\
		close(__nl.fd);						\
		ASSERT_TRUE(__o.has[KIPC_A_OBJ_MQ_DROPS]);		\
		(long long)__o.val[KIPC_A_OBJ_MQ_DROPS];		\
	})

static short poll_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

/* --- creation ------------------------------------------------------------ */

/* Fail and drop together are contradictory: EINVAL, and nothing made. */
TEST_F(ovf, fail_and_drop_einval)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = 1, .max_msgsize = 8,
			.flags = KIPC_MQ_FULL_FAIL | KIPC_MQ_FULL_DROP },
	};

	EXPECT_ERRNO(EINVAL, ovf_open(self->fd, self->name, KIPC_NEW,
				      KIPC_MQ_FULL_FAIL | KIPC_MQ_FULL_DROP,
				      1, 0600));
	EXPECT_FALSE(test_obj_exists(KIPC_OBJ_MQ, self->name));
	EXPECT_ERRNO(EINVAL, _test_cmd_open(self->fd, KIPC_OBJ_MQ, NULL,
					    KIPC_RW | KIPC_OPEN_CREATE |
					    KIPC_OPEN_ANON, 0600, &attr,
					    NULL, NULL));
	/* With hang-up too. */
	EXPECT_ERRNO(EINVAL, ovf_open(self->fd, self->name, KIPC_NEW,
				      KIPC_MQ_HUP | KIPC_MQ_FULL_FAIL |
				      KIPC_MQ_FULL_DROP, 1, 0600));
	EXPECT_FALSE(test_obj_exists(KIPC_OBJ_MQ, self->name));
}

/* The bits above the overflow flags are still unknown: EOPNOTSUPP. */
TEST_F(ovf, unknown_bits)
{
	unsigned int bit;

	/* Bit 4 is KIPC_MQ_REGIONS. */
	for (bit = 5; bit < 32; bit++) {
		EXPECT_ERRNO(EOPNOTSUPP,
			     ovf_open(self->fd, self->name, KIPC_NEW,
				      KIPC_MQ_FULL_DROP | (1U << bit), 1,
				      0600));
		EXPECT_FALSE(test_obj_exists(KIPC_OBJ_MQ, self->name));
	}
}

/* Each flag alone, and with hang-up, is accepted and reported as given. */
TEST_F(ovf, flags_reported)
{
	static const __u32 flags[] = {
		KIPC_MQ_FULL_FAIL, KIPC_MQ_FULL_DROP,
		KIPC_MQ_HUP | KIPC_MQ_FULL_FAIL,
		KIPC_MQ_HUP | KIPC_MQ_FULL_DROP,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		struct kipc_nl_obj o;
		struct kipc_nl nl;
		int q = qcreate(flags[i], 1);

		test_nl_open(&nl);
		test_nl_stat(&nl, test_obj_id(q), &o);
		close(nl.fd);
		EXPECT_EQ((__u64)flags[i], o.val[KIPC_A_OBJ_MQ_FLAGS]);
		EXPECT_TRUE(o.has[KIPC_A_OBJ_MQ_DROPS]);
		EXPECT_EQ(0ULL, o.val[KIPC_A_OBJ_MQ_DROPS]);
		EXPECT_EQ(0, fdinfo_drops(q));
		close(q);
		test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	}
}

/* --- the default: a full queue still makes a sender wait ------------------ */

TEST_F(ovf, default_blocks)
{
	int q = qcreate(0, 1);
	__u64 t0;

	ASSERT_EQ(0, send_seq(q, 0, 0, 0, 0));
	t0 = kipc_now_ns(CLOCK_MONOTONIC);
	EXPECT_ERRNO(ETIMEDOUT, send_seq(q, 1, 0, 0, 200 * MS));
	EXPECT_LE(t0 + 200 * MS, kipc_now_ns(CLOCK_MONOTONIC));
	EXPECT_ERRNO(EAGAIN, send_seq(q, 1, 31, KIPC_WAIT_NONBLOCK, 0));
	EXPECT_EQ(1, depth(q));
	EXPECT_EQ(0, nl_drops(q));
	EXPECT_EQ(0, recv_seq(q, 0));
	close(q);
}

/* --- KIPC_MQ_FULL_FAIL ---------------------------------------------------- */

/* A blocking send with a 5 s deadline, and one without, fail at once. */
TEST_F(ovf, fail_send_at_once)
{
	int q = qcreate(KIPC_MQ_FULL_FAIL, 2);
	__u64 t0;

	ASSERT_EQ(0, send_seq(q, 0, 0, 0, 0));
	ASSERT_EQ(0, send_seq(q, 1, 5, 0, 0));
	t0 = kipc_now_ns(CLOCK_MONOTONIC);
	EXPECT_ERRNO(EAGAIN, send_seq(q, 2, 31, 0, 5 * SEC));
	EXPECT_ERRNO(EAGAIN, send_seq(q, 3, 0, 0, 0));
	EXPECT_GT(t0 + 1 * SEC, kipc_now_ns(CLOCK_MONOTONIC))
		TH_LOG("the sends waited");
	/* Nothing was queued, nothing dropped. */
	EXPECT_EQ(2, depth(q));
	EXPECT_EQ(seq_len(0) + seq_len(1), mq_bytes(q));
	EXPECT_EQ(0, nl_drops(q));
	EXPECT_EQ(1, recv_seq(q, 5));
	/* Room again: a send goes. */
	ASSERT_EQ(0, send_seq(q, 4, 0, 0, 0));
	EXPECT_EQ(0, recv_seq(q, 0));
	EXPECT_EQ(4, recv_seq(q, 0));
	test_err_mq_recv(EAGAIN, q, NULL, 0, KIPC_WAIT_NONBLOCK);
	close(q);
}

/* write() on a blocking fd of a full queue fails at once too. */
TEST_F(ovf, fail_write)
{
	int q = qcreate(KIPC_MQ_FULL_FAIL, 1);
	char buf[64];

	ASSERT_EQ(0, fcntl(q, F_SETFL, 0));
	ASSERT_EQ(3, write(q, "one", 3));
	EXPECT_ERRNO(EAGAIN, write(q, "two", 3));
	EXPECT_EQ(1, depth(q));
	ASSERT_EQ(3, read(q, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "one", 3));
	close(q);
}

/* SENDV moves what fits and returns the count; EAGAIN once none fit. */
TEST_F(ovf, fail_sendv_partial)
{
	int q = qcreate(KIPC_MQ_FULL_FAIL, 3);
	__u32 seqs[4] = { 10, 11, 12, 13 };
	struct kipc_mq_vec vec[4];
	unsigned int i;

	static char bufs[4][64];

	ASSERT_EQ(0, send_seq(q, 9, 0, 0, 0));
	/* Lengths as seq_len() gives, so recv_seq() can check them. */
	for (i = 0; i < 4; i++) {
		memcpy(bufs[i], &seqs[i], 4);
		vec[i] = (struct kipc_mq_vec){
			.buf = (uintptr_t)bufs[i], .len = seq_len(seqs[i]),
			.prio = 0,
		};
	}
	EXPECT_EQ(2, _test_cmd_mq_sendv(q, vec, 4, 0));
	EXPECT_EQ(3, depth(q));
	EXPECT_ERRNO(EAGAIN, _test_cmd_mq_sendv(q, vec + 2, 2, 0));
	EXPECT_EQ(3, depth(q));
	EXPECT_EQ(0, nl_drops(q));
	EXPECT_EQ(9, recv_seq(q, 0));
	EXPECT_EQ(10, recv_seq(q, 0));
	EXPECT_EQ(11, recv_seq(q, 0));
	test_err_mq_recv(EAGAIN, q, NULL, 0, KIPC_WAIT_NONBLOCK);
	close(q);
}

/* SENDRECV's send half fails at once, and says it did not send. */
TEST_F(ovf, fail_sendrecv)
{
	int q = qcreate(KIPC_MQ_FULL_FAIL, 1);
	char rbuf[64];
	__u32 seq = 7;
	struct kipc_mq_sendrecv cmd = {
		.size = sizeof(cmd),
		.flags = KIPC_WAIT_DEADLINE,
		.send_buf = (uintptr_t)&seq,
		.send_len = 4,
		.recv_buf = (uintptr_t)rbuf,
		.recv_len = sizeof(rbuf),
		.clockid = CLOCK_MONOTONIC,
		.out_flags = UINT32_MAX,
	};
	__u64 t0;

	cmd.recv_fd = q;
	ASSERT_EQ(0, send_seq(q, 0, 0, 0, 0));
	t0 = kipc_now_ns(CLOCK_MONOTONIC);
	cmd.deadline = t0 + 5 * SEC;
	EXPECT_ERRNO(EAGAIN, ioctl(q, KIPC_IOC_MQ_SENDRECV, &cmd));
	EXPECT_GT(t0 + 1 * SEC, kipc_now_ns(CLOCK_MONOTONIC));
	EXPECT_EQ(0U, cmd.out_flags);
	EXPECT_EQ(1, depth(q));
	EXPECT_EQ(0, recv_seq(q, 0));
	/* With room it sends, then receives its own message. */
	cmd.deadline = kipc_now_ns(CLOCK_MONOTONIC) + 5 * SEC;
	EXPECT_EQ(4, ioctl(q, KIPC_IOC_MQ_SENDRECV, &cmd));
	EXPECT_EQ(KIPC_SENDRECV_SENT, cmd.out_flags);
	EXPECT_EQ(0, memcmp(rbuf, &seq, 4));
	close(q);
}

/* EPOLLOUT only with room. */
TEST_F(ovf, fail_poll)
{
	int q = qcreate(KIPC_MQ_FULL_FAIL, 1);

	EXPECT_EQ(POLLOUT, poll_now(q));
	ASSERT_EQ(0, send_seq(q, 0, 0, 0, 0));
	EXPECT_EQ(POLLIN, poll_now(q));
	EXPECT_EQ(0, recv_seq(q, 0));
	EXPECT_EQ(POLLOUT, poll_now(q));
	close(q);
}

/* --- KIPC_MQ_FULL_DROP ---------------------------------------------------- */

/*
 * Fill with known sequence numbers and priorities, overflow, and check
 * after each send which message went, the counter, the depth and bytes;
 * then receive everything and check exactly what survived, in order.
 */
TEST_F(ovf, drop_order)
{
	static const struct { __u32 seq, prio; int ret; long long drops; } steps[] = {
		/* The fill: no drops. */
		{ 0, 1, 0, 0 }, { 1, 3, 0, 0 }, { 2, 1, 0, 0 },
		{ 3, 2, 0, 0 }, { 4, 3, 0, 0 }, { 5, 2, 0, 0 },
		{ 6, 2, 0, 1 },		/* drops 0 (oldest of prio 1) */
		{ 7, 1, 0, 2 },		/* drops 2 (prio 1, equal: goes) */
		{ 8, 3, 0, 3 },		/* drops 7 (the new prio 1) */
		{ 9, 2, 0, 4 },		/* drops 3 (oldest of prio 2) */
		{ 10, 0, -1, 4 },	/* below every queued prio: refused */
		{ 11, 2, 0, 5 },	/* drops 5 */
		{ 12, 1, -1, 5 },	/* below every queued prio: refused */
	};
	/* What is left: prio 3 first, each FIFO. */
	static const struct { int seq; __u32 prio; } left[] = {
		{ 1, 3 }, { 4, 3 }, { 8, 3 }, { 6, 2 }, { 9, 2 }, { 11, 2 },
	};
	int q = qcreate(KIPC_MQ_FULL_DROP, 6);
	long long bytes = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		int ret = send_seq(q, steps[i].seq, steps[i].prio, 0,
				   5 * SEC);

		if (steps[i].ret) {
			EXPECT_ERRNO(EAGAIN, ret);
		} else {
			EXPECT_EQ(0, ret) TH_LOG("step %u: %s", i,
						 strerror(errno));
		}
		EXPECT_EQ(steps[i].drops, nl_drops(q)) TH_LOG("step %u", i);
		EXPECT_EQ(steps[i].drops, fdinfo_drops(q));
		EXPECT_EQ(i < 6 ? (int)i + 1 : 6, depth(q));
	}
	for (i = 0; i < ARRAY_SIZE(left); i++)
		bytes += seq_len(left[i].seq);
	EXPECT_EQ(bytes, mq_bytes(q));
	for (i = 0; i < ARRAY_SIZE(left); i++)
		EXPECT_EQ(left[i].seq, recv_seq(q, left[i].prio))
			TH_LOG("message %u", i);
	test_err_mq_recv(EAGAIN, q, NULL, 0, KIPC_WAIT_NONBLOCK);
	EXPECT_EQ(0, mq_bytes(q));
	/* Receiving does not count as dropping. */
	EXPECT_EQ(5, nl_drops(q));
	close(q);
}

/* write() (priority 0) on a full queue of priority 0 drops the oldest. */
TEST_F(ovf, drop_write)
{
	int q = qcreate(KIPC_MQ_FULL_DROP, 2);
	char buf[64];

	ASSERT_EQ(0, fcntl(q, F_SETFL, 0));
	ASSERT_EQ(1, write(q, "a", 1));
	ASSERT_EQ(1, write(q, "b", 1));
	ASSERT_EQ(1, write(q, "c", 1));
	EXPECT_EQ(2, depth(q));
	EXPECT_EQ(1, nl_drops(q));
	ASSERT_EQ(1, read(q, buf, sizeof(buf)));
	EXPECT_EQ('b', buf[0]);
	ASSERT_EQ(1, read(q, buf, sizeof(buf)));
	EXPECT_EQ('c', buf[0]);
	/* A queue with priority 1 in it refuses write()'s priority 0. */
	ASSERT_EQ(0, send_seq(q, 0, 1, 0, 0));
	ASSERT_EQ(0, send_seq(q, 1, 1, 0, 0));
	EXPECT_ERRNO(EAGAIN, write(q, "d", 1));
	EXPECT_EQ(1, nl_drops(q));
	close(q);
}

/* SENDV into a full queue drops one per message; a refusal stops it. */
TEST_F(ovf, drop_sendv)
{
	int q = qcreate(KIPC_MQ_FULL_DROP, 2);
	static char bufs[5][64];
	static const __u32 prios[5] = { 1, 1, 1, 0, 1 };
	struct kipc_mq_vec vec[5];
	unsigned int i;

	ASSERT_EQ(0, send_seq(q, 0, 1, 0, 0));
	ASSERT_EQ(0, send_seq(q, 1, 1, 0, 0));
	for (i = 0; i < 5; i++) {
		__u32 seq = 10 + i;

		memcpy(bufs[i], &seq, 4);
		vec[i] = (struct kipc_mq_vec){
			.buf = (uintptr_t)bufs[i], .len = seq_len(seq),
			.prio = prios[i],
		};
	}
	/* 10, 11, 12 go (dropping 0, 1, 10); 13 is below prio 1: stop. */
	EXPECT_EQ(3, _test_cmd_mq_sendv(q, vec, 5, 0));
	EXPECT_EQ(2, depth(q));
	EXPECT_EQ(3, nl_drops(q));
	EXPECT_EQ(seq_len(11) + seq_len(12), mq_bytes(q));
	/* The refused one alone: EAGAIN, nothing dropped. */
	EXPECT_ERRNO(EAGAIN, _test_cmd_mq_sendv(q, vec + 3, 1, 0));
	EXPECT_EQ(3, nl_drops(q));
	EXPECT_EQ(11, recv_seq(q, 1));
	EXPECT_EQ(12, recv_seq(q, 1));
	close(q);
}

/* SENDRECV's send half drops to make room, then receives. */
TEST_F(ovf, drop_sendrecv)
{
	int q = qcreate(KIPC_MQ_FULL_DROP, 1);
	char rbuf[64];
	__u32 seq = 7;
	struct kipc_mq_sendrecv cmd = {
		.size = sizeof(cmd),
		.send_buf = (uintptr_t)&seq,
		.send_len = 4,
		.recv_buf = (uintptr_t)rbuf,
		.recv_len = sizeof(rbuf),
	};

	cmd.recv_fd = q;
	ASSERT_EQ(0, send_seq(q, 0, 0, 0, 0));
	EXPECT_EQ(4, ioctl(q, KIPC_IOC_MQ_SENDRECV, &cmd));
	EXPECT_EQ(KIPC_SENDRECV_SENT, cmd.out_flags);
	EXPECT_EQ(0, memcmp(rbuf, &seq, 4));
	EXPECT_EQ(1, nl_drops(q));
	EXPECT_EQ(0, depth(q));
	close(q);
}

/* A full dropping queue is readable and always writable. */
TEST_F(ovf, drop_poll)
{
	int q = qcreate(KIPC_MQ_FULL_DROP, 1);
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	ASSERT_LE(0, ep);
	EXPECT_EQ(POLLOUT, poll_now(q));
	ASSERT_EQ(0, send_seq(q, 0, 0, 0, 0));
	EXPECT_EQ(POLLIN | POLLOUT, poll_now(q));
	ASSERT_EQ(0, send_seq(q, 1, 0, 0, 0));
	EXPECT_EQ(POLLIN | POLLOUT, poll_now(q));
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, q, &ev));
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	EXPECT_EQ((__u32)(EPOLLIN | EPOLLOUT), ev.events);
	EXPECT_EQ(1, recv_seq(q, 0));
	EXPECT_EQ(POLLOUT, poll_now(q));
	close(ep);
	close(q);
}

/*
 * A dropping queue with a waiting receiver: the message is handed over,
 * nothing is dropped. The receiver sleeps on the empty queue first.
 */
TEST_F(ovf, drop_hand_off)
{
	int q = qcreate(KIPC_MQ_FULL_DROP, 1);
	struct kipc_nl nl;
	__u64 id = test_obj_id(q);
	pid_t pid;

	test_nl_open(&nl);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char b[64];
		__u32 len, prio, seq;

		ASSERT_EQ((int)seq_len(3),
			  _test_cmd_mq_recv(q, b, sizeof(b), 0, &len, &prio));
		memcpy(&seq, b, 4);
		ASSERT_EQ(3U, seq);
		_exit(0);
	}
	test_nl_mq_wait(&nl, id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	ASSERT_EQ(0, send_seq(q, 3, 0, 0, 0));
	test_wait_child(pid);
	EXPECT_EQ(0, nl_drops(q));
	EXPECT_EQ(0, depth(q));
	close(nl.fd);
	close(q);
}

/*
 * Another user floods a dropping queue it may write to: its sends never
 * wait, the queue never holds more than max_msgs (nor more bytes than
 * they make), and the reader then gets exactly the newest messages.
 */
TEST_F(ovf, drop_hostile_flood)
{
	enum { MAX = 16, FLOOD = 20000 };
	long long bytes = 0;
	pid_t pid;
	__u32 i;
	int q;

	/* Others may write, not read: the mode as given, not umasked. */
	umask(0);
	q = ovf_open(self->fd, self->name, KIPC_NEW, KIPC_MQ_FULL_DROP, MAX,
		     0622);
	ASSERT_LE(0, q);
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		int w = ovf_open(self->fd, self->name, KIPC_OPEN_WRITE, 0, 0,
				 0);

		ASSERT_LE(0, w) TH_LOG("open as uid %d: %s", (int)KIPC_UID1,
				       strerror(errno));
		/* It may not read it. */
		EXPECT_ERRNO(EACCES, ovf_open(self->fd, self->name,
					      KIPC_OPEN_READ, 0, 0, 0));
		/* Blocking sends with no deadline: none may wait. */
		for (i = 0; i < FLOOD; i++)
			ASSERT_EQ(0, send_seq(w, i, 0, 0, 0))
				TH_LOG("send %u: %s", i, strerror(errno));
		_exit(0);
	}
	/* While it floods, the queue stays bounded and consistent. */
	for (i = 0; i < 200; i++) {
		struct kipc_mq_getattr a;

		ASSERT_EQ(0, _test_cmd_mq_getattr(q, &a));
		ASSERT_GE((__u32)MAX, a.out_depth);
		ASSERT_GE((__u64)a.out_depth * 36, a.out_bytes);
		ASSERT_LE((__u64)a.out_depth * 4, a.out_bytes);
		usleep(100);
	}
	test_wait_child(pid);
	EXPECT_EQ(MAX, depth(q));
	EXPECT_EQ((long long)(FLOOD - MAX), nl_drops(q));
	for (i = FLOOD - MAX; i < FLOOD; i++)
		bytes += seq_len(i);
	EXPECT_EQ(bytes, mq_bytes(q));
	for (i = FLOOD - MAX; i < FLOOD; i++)
		EXPECT_EQ((int)i, recv_seq(q, 0));
	test_err_mq_recv(EAGAIN, q, NULL, 0, KIPC_WAIT_NONBLOCK);
	close(q);
}

TEST_HARNESS_MAIN
