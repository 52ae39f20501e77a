// SPDX-License-Identifier: GPL-2.0-only
/*
 * Vectored send and receive (KIPC_IOC_MQ_SENDV, KIPC_IOC_MQ_RECVV): many
 * messages per call, partial success, and the errors that stop a call early
 * without losing what it had already moved.
 */
#include "kipc_test.h"

FIXTURE(vec) {
	int fd;
	struct kipc_nl nl;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(vec)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->name, "q");
}

FIXTURE_TEARDOWN(vec)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	close(self->nl.fd);
	close(self->fd);
}

#define MSG	16

/* Message @i: its index in the first 4 bytes, then a pattern. */
struct msgbuf {
	char data[MSG];
};

static void make_vec(struct kipc_mq_vec *vec, struct msgbuf *bufs,
		     unsigned int n, unsigned int first, const __u32 *prios)
{
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		unsigned int v = first + i;

		memcpy(bufs[i].data, &v, sizeof(v));
		for (j = sizeof(v); j < MSG; j++)
			bufs[i].data[j] = (char)(v + j);
		vec[i].buf = (uintptr_t)bufs[i].data;
		vec[i].len = MSG;
		vec[i].prio = prios ? prios[i] : 0;
	}
}

/* Buffers for @n messages, each @len bytes. */
static void make_rvec(struct kipc_mq_vec *vec, struct msgbuf *bufs,
		      unsigned int n, __u32 len)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		memset(bufs[i].data, 0, MSG);
		vec[i].buf = (uintptr_t)bufs[i].data;
		vec[i].len = len;
		vec[i].prio = UINT32_MAX;
	}
}

static unsigned int msg_index(const struct msgbuf *b)
{
	unsigned int v;

	memcpy(&v, b->data, sizeof(v));
	return v;
}

static bool msg_ok(const struct msgbuf *b)
{
	unsigned int v = msg_index(b), j;

	for (j = sizeof(v); j < MSG; j++)
		if (b->data[j] != (char)(v + j))
			return false;
	return true;
}

/* Receive one message; it must be number @idx. */
#define test_recv_index(_qfd, _idx, _prio)				\
	({								\
		struct msgbuf __b;					\
		test_ioctl_mq_recv(_qfd, __b.data, MSG, MSG, _prio);	\
		ASSERT_TRUE(msg_ok(&__b));				\
		ASSERT_EQ((unsigned int)(_idx), msg_index(&__b));	\
	})

TEST_F(vec, sendv)
{
	static const __u32 prios[] = { 0, 5, 0, 31, 5, 1, 0, 31 };
	/* Receive order: by priority, then in vector order. */
	static const unsigned int order[] = { 3, 7, 1, 4, 5, 0, 2, 6 };
	struct kipc_mq_vec vec[ARRAY_SIZE(prios)];
	struct msgbuf bufs[ARRAY_SIZE(prios)];
	struct kipc_mq_getattr attr;
	unsigned int i;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 8, MSG);
	id = test_obj_id(qfd);
	make_vec(vec, bufs, ARRAY_SIZE(prios), 0, prios);
	ASSERT_EQ(8, _test_cmd_mq_sendv(qfd, vec, ARRAY_SIZE(prios), 0));
	ASSERT_EQ(0, _test_cmd_mq_getattr(qfd, &attr));
	ASSERT_EQ(8U, attr.out_depth);
	ASSERT_EQ(8ULL * MSG, attr.out_bytes);
	ASSERT_EQ(8ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_SENDS));
	for (i = 0; i < ARRAY_SIZE(order); i++)
		test_recv_index(qfd, order[i], prios[order[i]]);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(vec, recvv)
{
	static const __u32 prios[] = { 2, 2, 9, 2, 0, 9 };
	static const unsigned int order[] = { 2, 5, 0, 1, 3, 4 };
	struct kipc_mq_vec vec[8];
	struct msgbuf bufs[8];
	unsigned int i;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 8, MSG);
	id = test_obj_id(qfd);
	make_vec(vec, bufs, ARRAY_SIZE(prios), 0, prios);
	ASSERT_EQ(6, _test_cmd_mq_sendv(qfd, vec, ARRAY_SIZE(prios), 0));
	/* More entries than messages: all six come, in order. */
	make_rvec(vec, bufs, 8, MSG);
	ASSERT_EQ(6, _test_cmd_mq_recvv(qfd, vec, 8, 0));
	for (i = 0; i < 6; i++) {
		ASSERT_TRUE(msg_ok(&bufs[i]));
		ASSERT_EQ(order[i], msg_index(&bufs[i]));
		ASSERT_EQ((__u32)MSG, vec[i].len);
		ASSERT_EQ(prios[order[i]], vec[i].prio);
	}
	/* Entries past the last message are left alone. */
	ASSERT_EQ((__u32)MSG, vec[6].len);
	ASSERT_EQ(UINT32_MAX, vec[6].prio);
	ASSERT_EQ(0U, test_mq_depth(qfd));
	ASSERT_EQ(6ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_RECVS));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Fewer messages than entries asked for: as many as there are. */
TEST_F(vec, recvv_fewer)
{
	struct kipc_mq_vec vec[4];
	struct msgbuf bufs[4];
	int qfd;

	qfd = test_mq_create(self->name, 4, MSG);
	make_vec(vec, bufs, 2, 0, NULL);
	ASSERT_EQ(2, _test_cmd_mq_sendv(qfd, vec, 2, 0));
	make_rvec(vec, bufs, 4, MSG);
	ASSERT_EQ(1, _test_cmd_mq_recvv(qfd, vec, 1, 0));
	ASSERT_EQ(0U, msg_index(&bufs[0]));
	make_rvec(vec, bufs, 4, MSG);
	ASSERT_EQ(1, _test_cmd_mq_recvv(qfd, vec, 4, KIPC_WAIT_NONBLOCK));
	ASSERT_EQ(1U, msg_index(&bufs[0]));
	EXPECT_ERRNO(EAGAIN, _test_cmd_mq_recvv(qfd, vec, 4,
						KIPC_WAIT_NONBLOCK));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Room for fewer than count: the call sends what fits and says how many. */
TEST_F(vec, sendv_partial_room)
{
	struct kipc_mq_vec vec[5];
	struct msgbuf bufs[5];
	unsigned int i;
	int qfd;

	qfd = test_mq_create(self->name, 4, MSG);
	make_vec(vec, bufs, 1, 100, NULL);
	ASSERT_EQ(1, _test_cmd_mq_sendv(qfd, vec, 1, 0));
	make_vec(vec, bufs, 5, 0, NULL);
	ASSERT_EQ(3, _test_cmd_mq_sendv(qfd, vec, 5, 0));
	ASSERT_EQ(4U, test_mq_depth(qfd));
	/* Full now: nothing at all moves. */
	EXPECT_ERRNO(EAGAIN, _test_cmd_mq_sendv(qfd, &vec[3], 2,
						KIPC_WAIT_NONBLOCK));
	test_recv_index(qfd, 100, 0);
	for (i = 0; i < 3; i++)
		test_recv_index(qfd, i, 0);
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* An fd with O_NONBLOCK and a full queue: EAGAIN, for both directions. */
TEST_F(vec, nonblock_fd)
{
	struct kipc_mq_vec vec[2];
	struct msgbuf bufs[2];
	int qfd;

	qfd = test_mq_create_flags(self->name, KIPC_NEW | KIPC_OPEN_NONBLOCK,
				   2, MSG);
	make_rvec(vec, bufs, 2, MSG);
	EXPECT_ERRNO(EAGAIN, _test_cmd_mq_recvv(qfd, vec, 2, 0));
	make_vec(vec, bufs, 2, 0, NULL);
	ASSERT_EQ(2, _test_cmd_mq_sendv(qfd, vec, 2, 0));
	EXPECT_ERRNO(EAGAIN, _test_cmd_mq_sendv(qfd, vec, 2, 0));
	ASSERT_EQ(2U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Entry @_k is bad: entries before it go, or if none, the call fails. */
#define test_sendv_stops_at(_qfd, _vec, _count, _k, _errno)		\
	do {								\
		if (_k) {						\
			ASSERT_EQ((int)(_k), _test_cmd_mq_sendv(_qfd, _vec, \
							_count, 0));	\
		} else {						\
			EXPECT_ERRNO(_errno, _test_cmd_mq_sendv(_qfd, _vec, \
							_count, 0));	\
		}							\
	} while (0)

/*
 * An invalid entry k > 0 stops the call after entries 0..k-1 went; the
 * error is lost, as with recvmmsg(). At k = 0 the error is the result.
 */
TEST_F(vec, sendv_invalid_entry)
{
	struct kipc_mq_vec vec[4];
	struct msgbuf bufs[4];
	unsigned int k, i, sent = 0;
	char *hole;
	int qfd;

	hole = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	qfd = test_mq_create(self->name, 32, MSG);
	for (k = 0; k < 4; k++) {
		/* Too long, priority too high, unreadable. */
		make_vec(vec, bufs, 4, sent, NULL);
		vec[k].len = MSG + 1;
		test_sendv_stops_at(qfd, vec, 4, k, EMSGSIZE);
		sent += k;

		make_vec(vec, bufs, 4, sent, NULL);
		vec[k].prio = KIPC_MQ_PRIO_MAX + 1;
		test_sendv_stops_at(qfd, vec, 4, k, EINVAL);
		sent += k;

		make_vec(vec, bufs, 4, sent, NULL);
		vec[k].buf = (uintptr_t)hole;
		test_sendv_stops_at(qfd, vec, 4, k, EFAULT);
		sent += k;
	}
	ASSERT_EQ(sent, test_mq_depth(qfd));
	for (i = 0; i < sent; i++)
		test_recv_index(qfd, i, 0);
	close(qfd);
	munmap(hole, 4096);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* count must be 1..KIPC_MQ_VEC_MAX, for both calls. */
TEST_F(vec, count_bounds)
{
	struct kipc_mq_vec *vec;
	struct msgbuf b;
	unsigned int i;
	int qfd;

	vec = calloc(KIPC_MQ_VEC_MAX + 1, sizeof(*vec));
	ASSERT_NE(NULL, vec);
	qfd = test_mq_create(self->name, KIPC_MQ_VEC_MAX, MSG);
	memset(&b, 'c', sizeof(b));
	for (i = 0; i <= KIPC_MQ_VEC_MAX; i++) {
		vec[i].buf = (uintptr_t)b.data;
		vec[i].len = 1;
		vec[i].prio = i % 32;
	}
	EXPECT_ERRNO(E2BIG, _test_cmd_mq_sendv(qfd, vec, 0, 0));
	EXPECT_ERRNO(E2BIG, _test_cmd_mq_sendv(qfd, vec, KIPC_MQ_VEC_MAX + 1,
					       0));
	EXPECT_ERRNO(E2BIG, _test_cmd_mq_sendv(qfd, vec, UINT32_MAX, 0));
	/* Checked before the array is read, which here is not readable. */
	EXPECT_ERRNO(E2BIG, _test_cmd_mq_sendv(qfd, NULL, 0, 0));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	ASSERT_EQ(KIPC_MQ_VEC_MAX,
		  _test_cmd_mq_sendv(qfd, vec, KIPC_MQ_VEC_MAX, 0));
	ASSERT_EQ((__u32)KIPC_MQ_VEC_MAX, test_mq_depth(qfd));

	for (i = 0; i <= KIPC_MQ_VEC_MAX; i++) {
		vec[i].buf = (uintptr_t)b.data;
		vec[i].len = MSG;
	}
	EXPECT_ERRNO(E2BIG, _test_cmd_mq_recvv(qfd, vec, 0, 0));
	EXPECT_ERRNO(E2BIG, _test_cmd_mq_recvv(qfd, vec, KIPC_MQ_VEC_MAX + 1,
					       0));
	EXPECT_ERRNO(E2BIG, _test_cmd_mq_recvv(qfd, NULL, UINT32_MAX, 0));
	ASSERT_EQ((__u32)KIPC_MQ_VEC_MAX, test_mq_depth(qfd));
	ASSERT_EQ(KIPC_MQ_VEC_MAX,
		  _test_cmd_mq_recvv(qfd, vec, KIPC_MQ_VEC_MAX, 0));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	/* All in priority order. */
	for (i = 1; i < KIPC_MQ_VEC_MAX; i++)
		ASSERT_GE(vec[i - 1].prio, vec[i].prio);
	close(qfd);
	free(vec);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* The vector itself cannot be read: EFAULT, and nothing moves. */
TEST_F(vec, bad_array)
{
	struct kipc_mq_vec *vec;
	struct msgbuf bufs[2];
	char *page;
	int qfd;

	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	ASSERT_EQ(0, mprotect(page + 4096, 4096, PROT_NONE));
	qfd = test_mq_create(self->name, 4, MSG);
	/* The second entry runs into the hole. */
	vec = (struct kipc_mq_vec *)(page + 4096 - sizeof(*vec));
	make_vec(vec, bufs, 1, 0, NULL);
	EXPECT_ERRNO(EFAULT, _test_cmd_mq_sendv(qfd, vec, 2, 0));
	EXPECT_ERRNO(EFAULT, _test_cmd_mq_sendv(qfd, (void *)(page + 4096), 1,
						0));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	ASSERT_EQ(1, _test_cmd_mq_sendv(qfd, vec, 1, 0));
	ASSERT_EQ(1, _test_cmd_mq_sendv(qfd, vec, 1, 0));
	make_rvec(vec, bufs, 1, MSG);
	EXPECT_ERRNO(EFAULT, _test_cmd_mq_recvv(qfd, vec, 2, 0));
	ASSERT_EQ(2U, test_mq_depth(qfd));
	close(qfd);
	munmap(page, 8192);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* A message that does not fit its entry stops the receive; it stays. */
TEST_F(vec, recvv_small_entry)
{
	struct kipc_mq_vec vec[4];
	struct msgbuf bufs[4];
	unsigned int i;
	int qfd;

	qfd = test_mq_create(self->name, 4, MSG);
	make_vec(vec, bufs, 4, 0, NULL);
	ASSERT_EQ(4, _test_cmd_mq_sendv(qfd, vec, 4, 0));
	make_rvec(vec, bufs, 4, MSG);
	vec[2].len = MSG - 1;
	ASSERT_EQ(2, _test_cmd_mq_recvv(qfd, vec, 4, 0));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(i, msg_index(&bufs[i]));
	/* Untouched, including the entry that was too small. */
	ASSERT_EQ((__u32)(MSG - 1), vec[2].len);
	ASSERT_EQ(UINT32_MAX, vec[2].prio);
	ASSERT_EQ(2U, test_mq_depth(qfd));
	test_recv_index(qfd, 2, 0);
	test_recv_index(qfd, 3, 0);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* A first entry that is too small: EMSGSIZE, and nothing moves. */
TEST_F(vec, recvv_first_too_small)
{
	struct kipc_mq_vec vec[2];
	struct msgbuf bufs[2];
	int qfd;

	qfd = test_mq_create(self->name, 4, MSG);
	make_vec(vec, bufs, 2, 0, NULL);
	ASSERT_EQ(2, _test_cmd_mq_sendv(qfd, vec, 2, 0));
	make_rvec(vec, bufs, 2, MSG);
	vec[0].len = 0;
	EXPECT_ERRNO(EMSGSIZE, _test_cmd_mq_recvv(qfd, vec, 2, 0));
	ASSERT_EQ(2U, test_mq_depth(qfd));
	test_recv_index(qfd, 0, 0);
	test_recv_index(qfd, 1, 0);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * An entry after the first cannot be written: the call returns what it
 * delivered, and every later message stays queued in order.
 */
TEST_F(vec, recvv_efault_later)
{
	static const __u32 prios[] = { 7, 7, 3, 3, 3, 0 };
	struct kipc_mq_vec vec[6];
	struct msgbuf bufs[6];
	unsigned int i;
	char *hole;
	__u64 id;
	int qfd;

	hole = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	qfd = test_mq_create(self->name, 8, MSG);
	id = test_obj_id(qfd);
	make_vec(vec, bufs, 6, 0, prios);
	ASSERT_EQ(6, _test_cmd_mq_sendv(qfd, vec, 6, 0));
	make_rvec(vec, bufs, 6, MSG);
	vec[3].buf = (uintptr_t)hole;
	ASSERT_EQ(3, _test_cmd_mq_recvv(qfd, vec, 6, 0));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(i, msg_index(&bufs[i]));
		ASSERT_EQ(prios[i], vec[i].prio);
	}
	ASSERT_EQ(3U, test_mq_depth(qfd));
	ASSERT_EQ(3ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_RECVS));
	for (i = 3; i < 6; i++)
		test_recv_index(qfd, i, prios[i]);
	close(qfd);
	munmap(hole, 4096);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* The first entry cannot be written: EFAULT, and all stays queued. */
TEST_F(vec, recvv_efault_first)
{
	struct kipc_mq_vec vec[3];
	struct msgbuf bufs[3];
	unsigned int i;
	int qfd;

	qfd = test_mq_create(self->name, 4, MSG);
	make_vec(vec, bufs, 3, 0, NULL);
	ASSERT_EQ(3, _test_cmd_mq_sendv(qfd, vec, 3, 0));
	make_rvec(vec, bufs, 3, MSG);
	vec[0].buf = 8;
	EXPECT_ERRNO(EFAULT, _test_cmd_mq_recvv(qfd, vec, 3, 0));
	ASSERT_EQ(3U, test_mq_depth(qfd));
	for (i = 0; i < 3; i++)
		test_recv_index(qfd, i, 0);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * A read-only entry array: the length and priority of the first message
 * cannot be written back, so the call fails with EFAULT and loses nothing.
 */
TEST_F(vec, recvv_readonly_array)
{
	struct kipc_mq_vec *vec;
	struct msgbuf bufs[2];
	void *page;
	int qfd;

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	vec = page;
	qfd = test_mq_create(self->name, 4, MSG);
	make_vec(vec, bufs, 2, 0, NULL);
	ASSERT_EQ(2, _test_cmd_mq_sendv(qfd, vec, 2, 0));
	make_rvec(vec, bufs, 2, MSG);
	ASSERT_EQ(0, mprotect(page, 4096, PROT_READ));
	EXPECT_ERRNO(EFAULT, _test_cmd_mq_recvv(qfd, vec, 2, 0));
	ASSERT_EQ(2U, test_mq_depth(qfd));
	test_recv_index(qfd, 0, 0);
	test_recv_index(qfd, 1, 0);
	close(qfd);
	munmap(page, 4096);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Deadlines and KIPC_WAIT_NONBLOCK work for vectored calls too. */
TEST_F(vec, deadline)
{
	struct kipc_mq_sendv cmd = { .size = sizeof(cmd) };
	struct kipc_mq_vec vec[2];
	struct msgbuf bufs[2];
	__u64 t1;
	int qfd;

	qfd = test_mq_create(self->name, 1, MSG);
	make_rvec(vec, bufs, 2, MSG);
	cmd.vec = (uintptr_t)vec;
	cmd.count = 2;
	cmd.flags = KIPC_WAIT_DEADLINE;
	cmd.clockid = CLOCK_MONOTONIC;
	cmd.deadline = kipc_now_ns(CLOCK_MONOTONIC) + 50000000ULL;
	EXPECT_ERRNO(ETIMEDOUT, ioctl(qfd, KIPC_IOC_MQ_RECVV, &cmd));
	t1 = kipc_now_ns(CLOCK_MONOTONIC);
	ASSERT_LE(cmd.deadline, t1);
	cmd.flags = KIPC_WAIT_NONBLOCK;
	EXPECT_ERRNO(EAGAIN, ioctl(qfd, KIPC_IOC_MQ_RECVV, &cmd));

	make_vec(vec, bufs, 2, 0, NULL);
	ASSERT_EQ(1, _test_cmd_mq_sendv(qfd, vec, 2, 0));
	cmd.flags = KIPC_WAIT_DEADLINE;
	cmd.clockid = CLOCK_REALTIME;
	cmd.deadline = kipc_now_ns(CLOCK_REALTIME) + 50000000ULL;
	EXPECT_ERRNO(ETIMEDOUT, ioctl(qfd, KIPC_IOC_MQ_SENDV, &cmd));
	t1 = kipc_now_ns(CLOCK_REALTIME);
	ASSERT_LE(cmd.deadline, t1);
	cmd.flags = KIPC_WAIT_NONBLOCK;
	EXPECT_ERRNO(EAGAIN, ioctl(qfd, KIPC_IOC_MQ_SENDV, &cmd));
	ASSERT_EQ(1U, test_mq_depth(qfd));
	test_recv_index(qfd, 0, 0);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * A vectored sender blocked on a full queue waits only for its first
 * message: once that goes in, the call returns with what fitted.
 */
TEST_F(vec, sendv_blocks_for_first)
{
	struct kipc_call c = { .op = KIPC_CALL_SENDV, .count = 3 };
	struct kipc_call_result r;
	struct kipc_child ch;
	struct msgbuf b;
	unsigned int i;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 1, MSG);
	id = test_obj_id(qfd);
	memset(&b, 0, sizeof(b));
	test_ioctl_mq_send(qfd, b.data, MSG, 0);
	for (i = 0; i < 3; i++) {
		c.msg[i].len = 4;
		c.msg[i].prio = 1;
		memcpy(c.msg[i].data, &i, sizeof(i));
	}
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_nl_mq_wait(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_SEND, 1);
	test_ioctl_mq_recv(qfd, b.data, MSG, MSG, 0);
	test_call_result(&ch, &r);
	/* The one slot went to the first message; no room for the others. */
	ASSERT_EQ(1, r.ret);
	ASSERT_EQ(1U, test_mq_depth(qfd));
	ASSERT_EQ(4, _test_cmd_mq_recv(qfd, b.data, MSG, 0, NULL, NULL));
	ASSERT_EQ(0U, msg_index(&b));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * A RECVV that fails puts its messages back even when a blocked sender's
 * message took the slot it freed: the queue is then over its capacity, and
 * a SENDV finds it full, as it is, until receives bring it back under.
 */
TEST_F(vec, sendv_over_capacity_after_put_back)
{
	struct kipc_call c = { .op = KIPC_CALL_SENDV, .count = 1 };
	struct kipc_call_result r;
	struct kipc_mq_vec vec[2];
	struct msgbuf bufs[2];
	struct kipc_child ch;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 1, MSG);
	id = test_obj_id(qfd);
	make_vec(vec, bufs, 1, 0, NULL);
	ASSERT_EQ(1, _test_cmd_mq_sendv(qfd, vec, 1, 0));
	make_vec(vec, bufs, 1, 1, NULL);
	c.msg[0].len = MSG;
	memcpy(c.msg[0].data, bufs[0].data, MSG);
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_nl_mq_wait(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_SEND, 1);

	/* The receive frees the slot, the sender fills it, the copy fails. */
	make_rvec(vec, bufs, 1, MSG);
	vec[0].buf = 8;
	EXPECT_ERRNO(EFAULT, _test_cmd_mq_recvv(qfd, vec, 1, 0));
	test_call_result(&ch, &r);
	ASSERT_EQ(1, r.ret);
	ASSERT_EQ(2U, test_mq_depth(qfd));

	make_vec(vec, bufs, 2, 10, NULL);
	EXPECT_ERRNO(EAGAIN, _test_cmd_mq_sendv(qfd, vec, 2,
						KIPC_WAIT_NONBLOCK));
	EXPECT_ERRNO(EAGAIN, _test_cmd_mq_sendv(qfd, vec, 1,
						KIPC_WAIT_NONBLOCK));
	ASSERT_EQ(2U, test_mq_depth(qfd));
	test_recv_index(qfd, 0, 0);
	test_recv_index(qfd, 1, 0);
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * A vectored receiver blocked on an empty queue takes the first message
 * that arrives, plus whatever else is there by then; nothing is lost.
 */
TEST_F(vec, recvv_blocks_for_first)
{
	struct kipc_call c = { .op = KIPC_CALL_RECVV, .count = 4 };
	struct kipc_mq_vec vec[3];
	struct kipc_call_result r;
	struct msgbuf bufs[3], b;
	struct kipc_child ch;
	unsigned int i, n;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 4, MSG);
	id = test_obj_id(qfd);
	for (i = 0; i < 4; i++)
		c.msg[i].len = MSG;
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_nl_mq_wait(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	make_vec(vec, bufs, 3, 0, NULL);
	ASSERT_EQ(3, _test_cmd_mq_sendv(qfd, vec, 3, 0));
	test_call_result(&ch, &r);
	ASSERT_LE(1, r.ret);
	ASSERT_GE(3, r.ret);
	n = r.ret;
	for (i = 0; i < n; i++) {
		memcpy(b.data, r.msg[i].data, MSG);
		ASSERT_EQ(i, msg_index(&b));
		ASSERT_TRUE(msg_ok(&b));
		ASSERT_EQ((__u32)MSG, r.msg[i].len);
	}
	for (i = n; i < 3; i++)
		test_recv_index(qfd, i, 0);
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* A signal that ends a vectored wait before anything moved: EINTR. */
TEST_F(vec, eintr)
{
	struct kipc_call c = { .count = 2 };
	struct kipc_call_result r;
	struct msgbuf b;
	unsigned int i;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 1, MSG);
	id = test_obj_id(qfd);
	for (i = 0; i < 2; i++) {
		c.msg[i].len = MSG;
		memset(c.msg[i].data, 'a' + i, MSG);
	}
	c.op = KIPC_CALL_RECVV;
	test_call_eintr(&self->nl, qfd, id, &c, KIPC_A_OBJ_MQ_WAIT_RECV, &r);

	memset(b.data, 'q', MSG);
	test_ioctl_mq_send(qfd, b.data, MSG, 0);
	c.op = KIPC_CALL_SENDV;
	test_call_eintr(&self->nl, qfd, id, &c, KIPC_A_OBJ_MQ_WAIT_SEND, &r);
	ASSERT_EQ(1U, test_mq_depth(qfd));
	test_ioctl_mq_recv(qfd, b.data, MSG, MSG, 0);
	ASSERT_EQ('q', b.data[0]);
	ASSERT_EQ(1ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_SENDS));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * A vectored send to a queue with a blocked receiver hands the first
 * message over and queues the rest behind it.
 */
TEST_F(vec, sendv_handoff)
{
	struct kipc_call c = { .op = KIPC_CALL_RECV, .msg[0].len = MSG };
	struct kipc_mq_vec vec[3];
	struct kipc_call_result r;
	struct kipc_child ch;
	struct msgbuf bufs[3], b;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 2, MSG);
	id = test_obj_id(qfd);
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_nl_mq_wait(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	make_vec(vec, bufs, 3, 0, NULL);
	ASSERT_EQ(3, _test_cmd_mq_sendv(qfd, vec, 3, 0));
	test_call_result(&ch, &r);
	ASSERT_EQ(MSG, r.ret);
	memcpy(b.data, r.msg[0].data, MSG);
	ASSERT_EQ(0U, msg_index(&b));
	ASSERT_EQ(2U, test_mq_depth(qfd));
	test_recv_index(qfd, 1, 0);
	test_recv_index(qfd, 2, 0);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_HARNESS_MAIN
