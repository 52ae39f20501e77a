// SPDX-License-Identifier: GPL-2.0-only
/*
 * Message queues without waiting: priority order, sizes, a full and an empty
 * queue, peek, read()/write(), access modes, bad buffers and the shape of
 * every queue ioctl's struct. Blocking calls are in mq_wait_test.c, vectored
 * calls in mq_vec_test.c, admin removal and statistics in mq_admin_test.c.
 */
#include "kipc_test.h"

FIXTURE(mq) {
	int fd;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(mq)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, "q");
}

FIXTURE_TEARDOWN(mq)
{
	/* A test that failed half-way leaves no queue behind. */
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	close(self->fd);
}

/* Bytes that differ for every (message, offset). */
static void fill(void *buf, size_t len, unsigned int seed)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(seed * 131 + i * 7 + (i >> 8));
}

static bool filled(const void *buf, size_t len, unsigned int seed)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (unsigned char)(seed * 131 + i * 7 + (i >> 8)))
			return false;
	return true;
}

TEST_F(mq, getattr)
{
	struct kipc_mq_getattr attr;
	char buf[64];
	int qfd;

	qfd = test_mq_create(self->name, 5, 48);
	ASSERT_EQ(0, _test_cmd_mq_getattr(qfd, &attr));
	ASSERT_EQ(5U, attr.out_max_msgs);
	ASSERT_EQ(48U, attr.out_max_msgsize);
	ASSERT_EQ(0U, attr.out_depth);
	ASSERT_EQ(0ULL, attr.out_bytes);

	fill(buf, sizeof(buf), 1);
	test_ioctl_mq_send(qfd, buf, 10, 0);
	test_ioctl_mq_send(qfd, buf, 0, 7);
	test_ioctl_mq_send(qfd, buf, 48, 31);
	ASSERT_EQ(0, _test_cmd_mq_getattr(qfd, &attr));
	ASSERT_EQ(3U, attr.out_depth);
	ASSERT_EQ(58ULL, attr.out_bytes);

	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 48, 31);
	ASSERT_EQ(0, _test_cmd_mq_getattr(qfd, &attr));
	ASSERT_EQ(2U, attr.out_depth);
	ASSERT_EQ(10ULL, attr.out_bytes);
	ASSERT_EQ(5U, attr.out_max_msgs);
	ASSERT_EQ(48U, attr.out_max_msgsize);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* @__reserved is an output the kernel clears, whatever came in. */
TEST_F(mq, getattr_clears_reserved)
{
	struct kipc_mq_getattr attr;
	int qfd;

	qfd = test_mq_create(self->name, 2, 8);
	memset(&attr, 0xa5, sizeof(attr));
	attr.size = sizeof(attr);
	attr.flags = 0;
	ASSERT_EQ(0, ioctl(qfd, KIPC_IOC_MQ_GETATTR, &attr));
	ASSERT_EQ(0U, attr.__reserved);
	ASSERT_EQ(0U, attr.out_depth);
	ASSERT_EQ(0ULL, attr.out_bytes);
	ASSERT_EQ(2U, attr.out_max_msgs);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* One message per priority, sent in a scrambled order, come out 31..0. */
TEST_F(mq, order_all_priorities)
{
	__u32 prio, out_len, out_prio;
	unsigned int i;
	char buf[16];
	int qfd;

	qfd = test_mq_create(self->name, KIPC_MQ_PRIO_MAX + 1, sizeof(buf));
	for (i = 0; i <= KIPC_MQ_PRIO_MAX; i++) {
		/* 13 is coprime to 32: every priority once. */
		prio = (i * 13 + 5) % (KIPC_MQ_PRIO_MAX + 1);
		memset(buf, (int)prio, sizeof(buf));
		test_ioctl_mq_send(qfd, buf, prio % sizeof(buf) + 1, prio);
	}
	ASSERT_EQ(KIPC_MQ_PRIO_MAX + 1U, test_mq_depth(qfd));
	for (i = 0; i <= KIPC_MQ_PRIO_MAX; i++) {
		prio = KIPC_MQ_PRIO_MAX - i;
		memset(buf, 0xff, sizeof(buf));
		ASSERT_EQ((int)(prio % sizeof(buf) + 1),
			  _test_cmd_mq_recv(qfd, buf, sizeof(buf), 0, &out_len,
					    &out_prio));
		ASSERT_EQ(prio, out_prio);
		ASSERT_EQ(prio % sizeof(buf) + 1, out_len);
		ASSERT_EQ((char)prio, buf[0]);
		ASSERT_EQ((char)prio, buf[out_len - 1]);
	}
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Within one priority the queue is a FIFO. */
TEST_F(mq, fifo_within_priority)
{
	enum { N = 200 };
	unsigned int i, seq;
	int qfd;

	qfd = test_mq_create(self->name, N, sizeof(seq));
	for (i = 0; i < N; i++)
		test_ioctl_mq_send(qfd, &i, sizeof(i), 3);
	for (i = 0; i < N; i++) {
		test_ioctl_mq_recv(qfd, &seq, sizeof(seq), sizeof(seq), 3);
		ASSERT_EQ(i, seq);
	}
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Interleaved priorities: highest first, and FIFO inside each. */
TEST_F(mq, order_mixed)
{
	enum { N = 256, PRIOS = 5 };
	static const __u32 prios[PRIOS] = { 0, 31, 7, 16, 1 };
	unsigned int i, got = 0, last_seq = 0;
	__u32 last_prio = KIPC_MQ_PRIO_MAX + 1;
	struct { __u32 seq, prio; } m;
	int qfd;

	qfd = test_mq_create(self->name, N, sizeof(m));
	for (i = 0; i < N; i++) {
		m.seq = i;
		m.prio = prios[(i * 7) % PRIOS];
		test_ioctl_mq_send(qfd, &m, sizeof(m), m.prio);
	}
	for (i = 0; i < N; i++) {
		__u32 out_prio;

		ASSERT_EQ((int)sizeof(m), _test_cmd_mq_recv(qfd, &m, sizeof(m),
							    0, NULL,
							    &out_prio));
		ASSERT_EQ(m.prio, out_prio);
		ASSERT_GE(last_prio, m.prio);
		if (m.prio == last_prio)
			ASSERT_LT(last_seq, m.seq);
		last_prio = m.prio;
		last_seq = m.seq;
		got++;
	}
	ASSERT_EQ((unsigned int)N, got);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* An empty message is a message: it is queued, counted and received. */
TEST_F(mq, size_zero)
{
	__u32 out_len, out_prio;
	char buf[8] = "xxxxxxx";
	int qfd;

	qfd = test_mq_create(self->name, 2, 8);
	/* No byte is read, so no buffer is needed. */
	ASSERT_EQ(0, _test_cmd_mq_send(qfd, NULL, 0, 4, 0));
	test_ioctl_mq_send(qfd, buf, 0, 2);
	ASSERT_EQ(2U, test_mq_depth(qfd));
	ASSERT_EQ(0, _test_cmd_mq_recv(qfd, NULL, 0, 0, &out_len, &out_prio));
	ASSERT_EQ(0U, out_len);
	ASSERT_EQ(4U, out_prio);
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 0, 2);
	ASSERT_STREQ("xxxxxxx", buf);
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, size_one)
{
	char c = 'k', out[2] = { 0, 0 };
	int qfd;

	qfd = test_mq_create(self->name, 1, 1);
	test_ioctl_mq_send(qfd, &c, 1, 0);
	test_err_mq_send(EMSGSIZE, qfd, out, 2, 0, KIPC_WAIT_NONBLOCK);
	test_ioctl_mq_recv(qfd, out, sizeof(out), 1, 0);
	ASSERT_EQ('k', out[0]);
	ASSERT_EQ(0, out[1]);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* max_msgsize fits; one byte more is EMSGSIZE and queues nothing. */
TEST_F(mq, size_max)
{
	enum { MAX = 1000 };
	struct kipc_mq_getattr attr;
	char buf[MAX + 1];
	int qfd;

	qfd = test_mq_create(self->name, 4, MAX);
	fill(buf, sizeof(buf), 9);
	test_err_mq_send(EMSGSIZE, qfd, buf, MAX + 1, 0, 0);
	test_err_mq_send(EMSGSIZE, qfd, buf, UINT32_MAX, 0, 0);
	ASSERT_EQ(0, _test_cmd_mq_getattr(qfd, &attr));
	ASSERT_EQ(0U, attr.out_depth);
	ASSERT_EQ(0ULL, attr.out_bytes);

	test_ioctl_mq_send(qfd, buf, MAX, 0);
	memset(buf, 0, sizeof(buf));
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), MAX, 0);
	ASSERT_TRUE(filled(buf, MAX, 9));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * Sizes on both sides of every message cache (a class's size less the
 * 64-byte header, less the 56-byte one before messages carried a reply-to,
 * the 48-byte one before they carried a region, and the 32-byte one before
 * they carried their sender) and
 * beyond them, up to the largest max_msgsize the module allows, survive
 * the trip intact.
 */
TEST_F(mq, size_classes)
{
	static const __u32 sizes[] = {
		0, 1, 31, 32, 33, 39, 40, 41, 47, 48, 49, 63, 64, 65, 71, 72,
		73, 79, 80, 81, 96, 97, 127, 128, 129, 135, 136, 137, 143, 144,
		145, 160, 161, 191, 192, 193, 199, 200, 201, 207, 208, 209,
		224, 225, 447, 448, 449, 455, 456, 457, 463, 464, 465, 480,
		481, 959, 960, 961, 967, 968, 969, 975, 976, 977, 992, 993,
		1983, 1984, 1985, 1991, 1992, 1993, 1999, 2000, 2001, 2016,
		2017, 4031, 4032, 4033, 4039, 4040, 4041, 4047, 4048, 4049,
		4064, 4065, 4096, 8192, 65536, 300000,
	};
	struct kipc_version ver;
	unsigned int i;
	__u32 max, len;
	char *buf;
	int qfd;

	test_ioctl_version(&ver);
	max = ver.out_mq_max_msgsize;
	ASSERT_LE(4096U, max);
	buf = malloc(max + 1);
	ASSERT_NE(NULL, buf);
	qfd = test_mq_create(self->name, 2, max);
	for (i = 0; i <= ARRAY_SIZE(sizes); i++) {
		len = i < ARRAY_SIZE(sizes) ? sizes[i] : max;
		if (len > max)
			continue;
		fill(buf, len, i);
		test_ioctl_mq_send(qfd, buf, len, i % 32);
		memset(buf, 0, len);
		ASSERT_EQ((int)len, _test_cmd_mq_peek(qfd, 0, buf, len, NULL,
						      NULL));
		ASSERT_TRUE(filled(buf, len, i));
		memset(buf, 0, len);
		test_ioctl_mq_recv(qfd, buf, max + 1, len, i % 32);
		ASSERT_TRUE(filled(buf, len, i)) TH_LOG("size %u", len);
	}
	fill(buf, max + 1, 0);
	test_err_mq_send(EMSGSIZE, qfd, buf, max + 1, 0, 0);
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	free(buf);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, prio_out_of_range)
{
	char c = 'p';
	int qfd;

	qfd = test_mq_create(self->name, 2, 8);
	test_err_mq_send(EINVAL, qfd, &c, 1, KIPC_MQ_PRIO_MAX + 1, 0);
	test_err_mq_send(EINVAL, qfd, &c, 1, 1000, KIPC_WAIT_NONBLOCK);
	test_err_mq_send(EINVAL, qfd, &c, 1, UINT32_MAX, 0);
	ASSERT_EQ(0U, test_mq_depth(qfd));
	test_ioctl_mq_send(qfd, &c, 1, KIPC_MQ_PRIO_MAX);
	test_ioctl_mq_recv(qfd, &c, 1, 1, KIPC_MQ_PRIO_MAX);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* O_NONBLOCK on the fd: a full queue and an empty one give EAGAIN. */
TEST_F(mq, full_nonblock_fd)
{
	unsigned int i, v;
	int qfd;

	qfd = test_mq_create_flags(self->name, KIPC_NEW | KIPC_OPEN_NONBLOCK,
				   3, 4);
	ASSERT_TRUE(fcntl(qfd, F_GETFL) & O_NONBLOCK);
	test_err_mq_recv(EAGAIN, qfd, &v, sizeof(v), 0);
	for (i = 0; i < 3; i++)
		test_ioctl_mq_send(qfd, &i, sizeof(i), 0);
	test_err_mq_send(EAGAIN, qfd, &i, sizeof(i), 0, 0);
	test_err_mq_send(EAGAIN, qfd, &i, sizeof(i), 31, 0);
	ASSERT_EQ(3U, test_mq_depth(qfd));
	/* Room again after one receive. */
	test_ioctl_mq_recv(qfd, &v, sizeof(v), sizeof(v), 0);
	ASSERT_EQ(0U, v);
	i = 3;
	test_ioctl_mq_send(qfd, &i, sizeof(i), 0);
	for (i = 1; i <= 3; i++) {
		test_ioctl_mq_recv(qfd, &v, sizeof(v), sizeof(v), 0);
		ASSERT_EQ(i, v);
	}
	test_err_mq_recv(EAGAIN, qfd, &v, sizeof(v), 0);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* KIPC_WAIT_NONBLOCK on a blocking fd gives EAGAIN for that call only. */
TEST_F(mq, full_nonblock_flag)
{
	unsigned int v = 7;
	int qfd;

	qfd = test_mq_create(self->name, 1, 4);
	ASSERT_FALSE(fcntl(qfd, F_GETFL) & O_NONBLOCK);
	test_err_mq_recv(EAGAIN, qfd, &v, sizeof(v), KIPC_WAIT_NONBLOCK);
	test_ioctl_mq_send(qfd, &v, sizeof(v), 0);
	test_err_mq_send(EAGAIN, qfd, &v, sizeof(v), 0, KIPC_WAIT_NONBLOCK);
	ASSERT_EQ(1U, test_mq_depth(qfd));
	ASSERT_EQ(4, _test_cmd_mq_recv(qfd, &v, sizeof(v), KIPC_WAIT_NONBLOCK,
				       NULL, NULL));
	test_err_mq_recv(EAGAIN, qfd, &v, sizeof(v), KIPC_WAIT_NONBLOCK);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* O_NONBLOCK is read at each call, so fcntl() switches it either way. */
TEST_F(mq, nonblock_fcntl)
{
	unsigned int v = 1;
	int qfd, fl;

	qfd = test_mq_create(self->name, 1, 4);
	fl = fcntl(qfd, F_GETFL);
	ASSERT_EQ(0, fcntl(qfd, F_SETFL, fl | O_NONBLOCK));
	test_err_mq_recv(EAGAIN, qfd, &v, sizeof(v), 0);
	EXPECT_ERRNO(EAGAIN, read(qfd, &v, sizeof(v)));
	test_ioctl_mq_send(qfd, &v, sizeof(v), 0);
	test_err_mq_send(EAGAIN, qfd, &v, sizeof(v), 0, 0);
	EXPECT_ERRNO(EAGAIN, write(qfd, &v, sizeof(v)));
	ASSERT_EQ(0, fcntl(qfd, F_SETFL, fl));
	/* Blocking again, but the message is there: no wait. */
	test_ioctl_mq_recv(qfd, &v, sizeof(v), sizeof(v), 0);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* A short buffer: EMSGSIZE, the length in out_len, the message stays. */
TEST_F(mq, recv_too_small)
{
	__u32 out_len = 0, out_prio;
	char buf[32], big[32];
	int qfd;

	qfd = test_mq_create(self->name, 4, sizeof(big));
	fill(big, sizeof(big), 3);
	test_ioctl_mq_send(qfd, big, 20, 6);
	test_ioctl_mq_send(qfd, big, 5, 6);
	memset(buf, 0x5a, sizeof(buf));
	EXPECT_ERRNO(EMSGSIZE, _test_cmd_mq_recv(qfd, buf, 19, 0, &out_len,
						 NULL));
	ASSERT_EQ(20U, out_len);
	/* Nothing was written to the buffer. */
	ASSERT_EQ(0x5a, (unsigned char)buf[0]);
	EXPECT_ERRNO(EMSGSIZE, _test_cmd_mq_recv(qfd, NULL, 0,
						 KIPC_WAIT_NONBLOCK, &out_len,
						 NULL));
	ASSERT_EQ(20U, out_len);
	ASSERT_EQ(2U, test_mq_depth(qfd));

	/* It is still first in line, whole. */
	ASSERT_EQ(20, _test_cmd_mq_recv(qfd, buf, 20, 0, &out_len, &out_prio));
	ASSERT_EQ(6U, out_prio);
	ASSERT_TRUE(filled(buf, 20, 3));
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 5, 6);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* A receive buffer that cannot be written: EFAULT, and nothing is lost. */
TEST_F(mq, recv_efault)
{
	unsigned int i, v;
	char *page;
	int qfd;

	page = kipc_guarded_page();
	ASSERT_NE(NULL, page);
	qfd = test_mq_create(self->name, 4, 64);
	for (i = 0; i < 3; i++)
		test_ioctl_mq_send(qfd, &i, sizeof(i), 2);
	i = 100;
	test_ioctl_mq_send(qfd, &i, sizeof(i), 9);

	/* Wholly bad, partly bad, and read-only. */
	test_err_mq_recv(EFAULT, qfd, page + 4096, 64, 0);
	test_err_mq_recv(EFAULT, qfd, page + 4094, 64, 0);
	ASSERT_EQ(0, mprotect(page, 4096, PROT_READ));
	test_err_mq_recv(EFAULT, qfd, page, 64, KIPC_WAIT_NONBLOCK);
	ASSERT_EQ(4U, test_mq_depth(qfd));

	/* Still in order: the priority 9 message first, then 0, 1, 2. */
	test_ioctl_mq_recv(qfd, &v, sizeof(v), sizeof(v), 9);
	ASSERT_EQ(100U, v);
	test_err_mq_recv(EFAULT, qfd, (void *)1, 64, 0);
	for (i = 0; i < 3; i++) {
		test_ioctl_mq_recv(qfd, &v, sizeof(v), sizeof(v), 2);
		ASSERT_EQ(i, v);
		if (i == 0)
			test_err_mq_recv(EFAULT, qfd, page + 4096, 64, 0);
	}
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	munmap(page, 8192);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* A send buffer that cannot be read: EFAULT, and nothing is queued. */
TEST_F(mq, send_efault)
{
	struct kipc_mq_getattr attr;
	unsigned int v = 5;
	char *page;
	int qfd;

	page = kipc_guarded_page();
	ASSERT_NE(NULL, page);
	qfd = test_mq_create(self->name, 4, 64);
	test_ioctl_mq_send(qfd, &v, sizeof(v), 1);
	test_err_mq_send(EFAULT, qfd, page + 4096, 16, 1, 0);
	test_err_mq_send(EFAULT, qfd, page + 4096 - 8, 16, 1, 0);
	test_err_mq_send(EFAULT, qfd, (void *)8, 1, 1, 0);
	ASSERT_EQ(0, _test_cmd_mq_getattr(qfd, &attr));
	ASSERT_EQ(1U, attr.out_depth);
	ASSERT_EQ((__u64)sizeof(v), attr.out_bytes);
	/* The part that was readable does not count either. */
	test_ioctl_mq_send(qfd, page + 4096 - 8, 8, 1);
	test_ioctl_mq_recv(qfd, &v, sizeof(v), sizeof(v), 1);
	ASSERT_EQ(5U, v);
	ASSERT_EQ(8, _test_cmd_mq_recv(qfd, page, 64, 0, NULL, NULL));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	munmap(page, 8192);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Peek at the first, a middle and the last message, in receive order. */
TEST_F(mq, peek_index)
{
	static const __u32 prios[] = { 3, 9, 3, 0, 9, 31 };
	/* Receive order: 31, 9 (1), 9 (4), 3 (0), 3 (2), 0 (3). */
	static const unsigned int order[] = { 5, 1, 4, 0, 2, 3 };
	__u32 out_len, out_prio;
	unsigned int i, v;
	int qfd;

	qfd = test_mq_create(self->name, 8, 16);
	for (i = 0; i < ARRAY_SIZE(prios); i++)
		test_ioctl_mq_send(qfd, &i, sizeof(i), prios[i]);
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		v = UINT32_MAX;
		ASSERT_EQ((int)sizeof(v),
			  _test_cmd_mq_peek(qfd, i, &v, 16, &out_len,
					    &out_prio));
		ASSERT_EQ(order[i], v);
		ASSERT_EQ((__u32)sizeof(v), out_len);
		ASSERT_EQ(prios[order[i]], out_prio);
	}
	/* Peeking takes nothing. */
	ASSERT_EQ((__u32)ARRAY_SIZE(prios), test_mq_depth(qfd));
	EXPECT_ERRNO(ENOENT, _test_cmd_mq_peek(qfd, ARRAY_SIZE(prios), &v,
					       sizeof(v), NULL, NULL));
	EXPECT_ERRNO(ENOENT, _test_cmd_mq_peek(qfd, UINT32_MAX, &v,
					       sizeof(v), NULL, NULL));
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		test_ioctl_mq_recv(qfd, &v, sizeof(v), sizeof(v),
				   prios[order[i]]);
		ASSERT_EQ(order[i], v);
	}
	EXPECT_ERRNO(ENOENT, _test_cmd_mq_peek(qfd, 0, &v, sizeof(v), NULL,
					       NULL));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, peek_too_small)
{
	__u32 out_len = 0, out_prio = 0;
	char buf[40];
	int qfd;

	qfd = test_mq_create(self->name, 2, sizeof(buf));
	fill(buf, sizeof(buf), 4);
	test_ioctl_mq_send(qfd, buf, 0, 1);
	test_ioctl_mq_send(qfd, buf, 33, 1);
	EXPECT_ERRNO(EMSGSIZE, _test_cmd_mq_peek(qfd, 1, buf, 32, &out_len,
						 &out_prio));
	ASSERT_EQ(33U, out_len);
	ASSERT_EQ(1U, out_prio);
	/* The empty one fits in no buffer at all. */
	ASSERT_EQ(0, _test_cmd_mq_peek(qfd, 0, NULL, 0, &out_len, NULL));
	ASSERT_EQ(0U, out_len);
	ASSERT_EQ(2U, test_mq_depth(qfd));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(33, _test_cmd_mq_peek(qfd, 1, buf, 33, NULL, NULL));
	ASSERT_TRUE(filled(buf, 33, 4));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, peek_efault)
{
	unsigned int v = 42;
	char *page;
	int qfd;

	page = kipc_guarded_page();
	ASSERT_NE(NULL, page);
	qfd = test_mq_create(self->name, 2, 16);
	test_ioctl_mq_send(qfd, &v, sizeof(v), 0);
	EXPECT_ERRNO(EFAULT, _test_cmd_mq_peek(qfd, 0, page + 4096 - 2, 16,
					       NULL, NULL));
	EXPECT_ERRNO(EFAULT, _test_cmd_mq_peek(qfd, 0, (void *)16, 16, NULL,
					       NULL));
	ASSERT_EQ(1U, test_mq_depth(qfd));
	v = 0;
	test_ioctl_mq_recv(qfd, &v, sizeof(v), sizeof(v), 0);
	ASSERT_EQ(42U, v);
	close(qfd);
	munmap(page, 8192);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* write() sends at priority 0 and read() receives, in queue order. */
TEST_F(mq, read_write)
{
	char buf[32];
	int qfd;

	qfd = test_mq_create(self->name, 4, sizeof(buf));
	ASSERT_EQ(5, write(qfd, "first", 5));
	test_ioctl_mq_send(qfd, "urgent", 6, 1);
	ASSERT_EQ(6, write(qfd, "second", 6));
	/* An empty write() is an empty message. */
	ASSERT_EQ(0, write(qfd, buf, 0));
	ASSERT_EQ(4U, test_mq_depth(qfd));

	ASSERT_EQ(6, read(qfd, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "urgent", 6));
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 5, 0);
	ASSERT_EQ(0, memcmp(buf, "first", 5));
	ASSERT_EQ(6, read(qfd, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "second", 6));
	ASSERT_EQ(0, read(qfd, buf, sizeof(buf)));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, write_too_big)
{
	size_t big = 1 << 20;
	char *buf;
	int qfd;

	buf = calloc(1, big);
	ASSERT_NE(NULL, buf);
	qfd = test_mq_create(self->name, 2, 16);
	EXPECT_ERRNO(EMSGSIZE, write(qfd, buf, 17));
	EXPECT_ERRNO(EMSGSIZE, write(qfd, buf, big));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	ASSERT_EQ(16, write(qfd, buf, 16));
	ASSERT_EQ(1U, test_mq_depth(qfd));
	close(qfd);
	free(buf);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* read() into a short buffer fails like a receive does, losing nothing. */
TEST_F(mq, read_too_small)
{
	char buf[16];
	int qfd;

	qfd = test_mq_create(self->name, 2, 16);
	ASSERT_EQ(10, write(qfd, "0123456789", 10));
	EXPECT_ERRNO(EMSGSIZE, read(qfd, buf, 9));
	ASSERT_EQ(1U, test_mq_depth(qfd));
	ASSERT_EQ(10, read(qfd, buf, 10));
	ASSERT_EQ(0, memcmp(buf, "0123456789", 10));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, read_empty_nonblock)
{
	char buf[16];
	int qfd;

	qfd = test_mq_create_flags(self->name, KIPC_NEW | KIPC_OPEN_NONBLOCK,
				   1, 16);
	EXPECT_ERRNO(EAGAIN, read(qfd, buf, sizeof(buf)));
	ASSERT_EQ(3, write(qfd, "abc", 3));
	EXPECT_ERRNO(EAGAIN, write(qfd, "def", 3));
	ASSERT_EQ(3, read(qfd, buf, sizeof(buf)));
	EXPECT_ERRNO(EAGAIN, read(qfd, buf, sizeof(buf)));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, read_write_efault)
{
	char *page;
	int qfd;

	page = kipc_guarded_page();
	ASSERT_NE(NULL, page);
	qfd = test_mq_create(self->name, 2, 16);
	EXPECT_ERRNO(EFAULT, write(qfd, page + 4096 - 4, 8));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	ASSERT_EQ(8, write(qfd, "12345678", 8));
	EXPECT_ERRNO(EFAULT, read(qfd, page + 4096 - 4, 16));
	ASSERT_EQ(1U, test_mq_depth(qfd));
	ASSERT_EQ(8, read(qfd, page, 16));
	ASSERT_EQ(0, memcmp(page, "12345678", 8));
	close(qfd);
	munmap(page, 8192);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* A read-only fd cannot send, by ioctl or write(). */
TEST_F(mq, send_needs_write)
{
	struct kipc_mq_vec vec = { .len = 1 };
	char c = 'w';
	int qfd, rfd;

	qfd = test_mq_create(self->name, 2, 8);
	rfd = test_mq_open(self->name, KIPC_OPEN_READ);
	vec.buf = (uintptr_t)&c;
	test_err_mq_send(EBADF, rfd, &c, 1, 0, 0);
	test_err_mq_send(EBADF, rfd, &c, 1, 0, KIPC_WAIT_NONBLOCK);
	EXPECT_ERRNO(EBADF, _test_cmd_mq_sendv(rfd, &vec, 1, 0));
	/* The VFS refuses before the queue sees it. */
	EXPECT_ERRNO(EBADF, write(rfd, &c, 1));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	/* Everything else works on it. */
	ASSERT_EQ(0U, test_mq_depth(rfd));
	test_ioctl_mq_send(qfd, &c, 1, 0);
	test_ioctl_mq_recv(rfd, &c, 1, 1, 0);
	close(rfd);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* A write-only fd cannot receive or peek, by ioctl or read(). */
TEST_F(mq, recv_needs_read)
{
	struct kipc_mq_vec vec = { .len = 8 };
	char c = 'r', buf[8];
	int qfd, wfd;

	qfd = test_mq_create(self->name, 2, 8);
	wfd = test_mq_open(self->name, KIPC_OPEN_WRITE);
	vec.buf = (uintptr_t)buf;
	test_ioctl_mq_send(wfd, &c, 1, 0);
	test_err_mq_recv(EBADF, wfd, buf, sizeof(buf), 0);
	test_err_mq_recv(EBADF, wfd, buf, sizeof(buf), KIPC_WAIT_NONBLOCK);
	EXPECT_ERRNO(EBADF, _test_cmd_mq_recvv(wfd, &vec, 1, 0));
	EXPECT_ERRNO(EBADF, _test_cmd_mq_peek(wfd, 0, buf, sizeof(buf), NULL,
					      NULL));
	EXPECT_ERRNO(EBADF, read(wfd, buf, sizeof(buf)));
	ASSERT_EQ(1U, test_mq_depth(wfd));
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 1, 0);
	ASSERT_EQ('r', buf[0]);
	close(wfd);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Queue commands belong to queue fds only. */
TEST_F(mq, wrong_fd_type)
{
	struct kipc_mq_getattr attr = { .size = sizeof(attr) };
	struct kipc_mq_send snd = { .size = sizeof(snd) };
	struct kipc_mq_recv rcv = { .size = sizeof(rcv) };
	int sfd;

	sfd = test_ioctl_create(KIPC_OBJ_SEM, self->name, 0600, NULL);
	EXPECT_ERRNO(ENOTTY, ioctl(sfd, KIPC_IOC_MQ_SEND, &snd));
	EXPECT_ERRNO(ENOTTY, ioctl(sfd, KIPC_IOC_MQ_RECV, &rcv));
	EXPECT_ERRNO(ENOTTY, ioctl(sfd, KIPC_IOC_MQ_GETATTR, &attr));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, KIPC_IOC_MQ_SEND, &snd));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, KIPC_IOC_MQ_GETATTR, &attr));
	close(sfd);
	test_ioctl_unlink(KIPC_OBJ_SEM, self->name);
}

TEST_F(mq, cmd_length_send)
{
	struct {
		struct kipc_mq_send cmd;
		__u8 extra[8];
	} buf;
	char c = 's';
	int qfd;

	qfd = test_mq_create(self->name, 2, 8);
	memset(&buf, 0, sizeof(buf));
	buf.cmd.buf = (uintptr_t)&c;
	buf.cmd.len = 1;
	TEST_LENGTH_ERRORS(qfd, buf, kipc_mq_send, KIPC_IOC_MQ_SEND,
			   deadline);
	/* None of the failed calls sent anything. */
	ASSERT_EQ(0U, test_mq_depth(qfd));
	ASSERT_EQ(0, ioctl(qfd, KIPC_IOC_MQ_SEND, &buf));
	ASSERT_EQ(1U, test_mq_depth(qfd));
	buf.cmd.size = sizeof(buf.cmd);
	ASSERT_EQ(0, ioctl(qfd, KIPC_IOC_MQ_SEND, &buf));
	ASSERT_EQ(2U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, cmd_length_recv)
{
	struct {
		struct kipc_mq_recv cmd;
		__u8 extra[8];
	} buf;
	char c = 'r';
	int qfd;

	qfd = test_mq_create(self->name, 2, 8);
	test_ioctl_mq_send(qfd, &c, 1, 3);
	test_ioctl_mq_send(qfd, &c, 1, 3);
	memset(&buf, 0, sizeof(buf));
	buf.cmd.buf = (uintptr_t)&c;
	buf.cmd.len = 1;
	TEST_LENGTH_ERRORS(qfd, buf, kipc_mq_recv, KIPC_IOC_MQ_RECV,
			   out_prio);
	ASSERT_EQ(2U, test_mq_depth(qfd));
	ASSERT_EQ(1, ioctl(qfd, KIPC_IOC_MQ_RECV, &buf));
	ASSERT_EQ(1U, buf.cmd.out_len);
	ASSERT_EQ(3U, buf.cmd.out_prio);
	/* Only the kernel's struct is written back, never the tail. */
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);
	buf.cmd.size = sizeof(buf.cmd);
	buf.cmd.out_prio = 0;
	ASSERT_EQ(1, ioctl(qfd, KIPC_IOC_MQ_RECV, &buf));
	ASSERT_EQ(3U, buf.cmd.out_prio);
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, cmd_length_sendv)
{
	struct {
		struct kipc_mq_sendv cmd;
		__u8 extra[8];
	} buf;
	struct kipc_mq_vec vec[2] = {
		{ .buf = (uintptr_t)"ab", .len = 2, .prio = 1 },
		{ .buf = (uintptr_t)"c", .len = 1, .prio = 1 },
	};
	int qfd;

	qfd = test_mq_create(self->name, 4, 8);
	memset(&buf, 0, sizeof(buf));
	buf.cmd.vec = (uintptr_t)vec;
	buf.cmd.count = 2;
	TEST_LENGTH_ERRORS(qfd, buf, kipc_mq_sendv, KIPC_IOC_MQ_SENDV,
			   __reserved);
	ASSERT_EQ(0U, test_mq_depth(qfd));
	ASSERT_EQ(2, ioctl(qfd, KIPC_IOC_MQ_SENDV, &buf));
	ASSERT_EQ(2U, buf.cmd.out_count);
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);
	buf.cmd.size = sizeof(buf.cmd);
	buf.cmd.out_count = 0;
	ASSERT_EQ(2, ioctl(qfd, KIPC_IOC_MQ_SENDV, &buf));
	ASSERT_EQ(2U, buf.cmd.out_count);
	ASSERT_EQ(4U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, cmd_length_recvv)
{
	struct {
		struct kipc_mq_sendv cmd;
		__u8 extra[8];
	} buf;
	struct kipc_mq_vec vec[2];
	char b0[8], b1[8];
	int qfd;

	qfd = test_mq_create(self->name, 4, 8);
	test_ioctl_mq_send(qfd, "xy", 2, 0);
	test_ioctl_mq_send(qfd, "z", 1, 0);
	memset(&buf, 0, sizeof(buf));
	vec[0] = (struct kipc_mq_vec){ .buf = (uintptr_t)b0, .len = 8 };
	vec[1] = (struct kipc_mq_vec){ .buf = (uintptr_t)b1, .len = 8 };
	buf.cmd.vec = (uintptr_t)vec;
	buf.cmd.count = 2;
	TEST_LENGTH_ERRORS(qfd, buf, kipc_mq_sendv, KIPC_IOC_MQ_RECVV,
			   __reserved);
	ASSERT_EQ(2U, test_mq_depth(qfd));
	ASSERT_EQ(2, ioctl(qfd, KIPC_IOC_MQ_RECVV, &buf));
	ASSERT_EQ(2U, buf.cmd.out_count);
	ASSERT_EQ(2U, vec[0].len);
	ASSERT_EQ(1U, vec[1].len);
	ASSERT_EQ(0, memcmp(b0, "xy", 2));
	ASSERT_EQ('z', b1[0]);
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, cmd_length_peek)
{
	struct {
		struct kipc_mq_peek cmd;
		__u8 extra[8];
	} buf;
	char c = 0;
	int qfd;

	qfd = test_mq_create(self->name, 2, 8);
	test_ioctl_mq_send(qfd, "p", 1, 5);
	memset(&buf, 0, sizeof(buf));
	buf.cmd.buf = (uintptr_t)&c;
	buf.cmd.len = 1;
	TEST_LENGTH_ERRORS(qfd, buf, kipc_mq_peek, KIPC_IOC_MQ_PEEK,
			   out_prio);
	ASSERT_EQ(1, ioctl(qfd, KIPC_IOC_MQ_PEEK, &buf));
	ASSERT_EQ('p', c);
	ASSERT_EQ(1U, buf.cmd.out_len);
	ASSERT_EQ(5U, buf.cmd.out_prio);
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);
	ASSERT_EQ(1U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, cmd_length_getattr)
{
	struct {
		struct kipc_mq_getattr cmd;
		__u8 extra[8];
	} buf;
	int qfd;

	qfd = test_mq_create(self->name, 3, 8);
	test_ioctl_mq_send(qfd, "g", 1, 0);
	memset(&buf, 0, sizeof(buf));
	TEST_LENGTH_ERRORS(qfd, buf, kipc_mq_getattr, KIPC_IOC_MQ_GETATTR,
			   out_bytes);
	ASSERT_EQ(0U, buf.cmd.out_max_msgs);
	ASSERT_EQ(0, ioctl(qfd, KIPC_IOC_MQ_GETATTR, &buf));
	ASSERT_EQ(3U, buf.cmd.out_max_msgs);
	ASSERT_EQ(8U, buf.cmd.out_max_msgsize);
	ASSERT_EQ(1U, buf.cmd.out_depth);
	ASSERT_EQ(1ULL, buf.cmd.out_bytes);
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Unknown flag bits and non-zero __reserved: EOPNOTSUPP, and no effect. */
TEST_F(mq, send_flags_reserved)
{
	struct kipc_mq_send cmd = { .size = sizeof(cmd) };
	char c = 'f';
	int qfd;

	qfd = test_mq_create(self->name, 2, 8);
	cmd.buf = (uintptr_t)&c;
	cmd.len = 1;
	cmd.flags = 1U << 2;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_SEND, &cmd));
	cmd.flags = KIPC_WAIT_NONBLOCK | (1U << 31);
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_SEND, &cmd));
	cmd.flags = 0;
	cmd.__reserved = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_SEND, &cmd));
	cmd.__reserved = 1U << 31;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_SEND, &cmd));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	cmd.__reserved = 0;
	ASSERT_EQ(0, ioctl(qfd, KIPC_IOC_MQ_SEND, &cmd));
	ASSERT_EQ(1U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, recv_flags)
{
	struct kipc_mq_recv cmd = { .size = sizeof(cmd) };
	char c = 'f';
	int qfd;

	qfd = test_mq_create(self->name, 2, 8);
	test_ioctl_mq_send(qfd, &c, 1, 0);
	cmd.buf = (uintptr_t)&c;
	cmd.len = 1;
	cmd.flags = 1U << 2;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_RECV, &cmd));
	cmd.flags = KIPC_WAIT_DEADLINE | (1U << 31);
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_RECV, &cmd));
	ASSERT_EQ(1U, test_mq_depth(qfd));
	cmd.flags = 0;
	ASSERT_EQ(1, ioctl(qfd, KIPC_IOC_MQ_RECV, &cmd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_F(mq, vec_flags_reserved)
{
	struct kipc_mq_sendv cmd = { .size = sizeof(cmd) };
	struct kipc_mq_vec vec = { .len = 1 };
	char c = 'v';
	int qfd;

	qfd = test_mq_create(self->name, 2, 8);
	vec.buf = (uintptr_t)&c;
	cmd.vec = (uintptr_t)&vec;
	cmd.count = 1;
	cmd.flags = 1U << 2;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_SENDV, &cmd));
	cmd.flags = 0;
	cmd.__reserved = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_SENDV, &cmd));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	cmd.__reserved = 0;
	ASSERT_EQ(1, ioctl(qfd, KIPC_IOC_MQ_SENDV, &cmd));

	cmd.flags = 1U << 31;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_RECVV, &cmd));
	cmd.flags = 0;
	cmd.__reserved = 2;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_RECVV, &cmd));
	ASSERT_EQ(1U, test_mq_depth(qfd));
	cmd.__reserved = 0;
	ASSERT_EQ(1, ioctl(qfd, KIPC_IOC_MQ_RECVV, &cmd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Peek and getattr never wait: every flag is unknown to them. */
TEST_F(mq, peek_getattr_flags)
{
	struct kipc_mq_getattr attr = { .size = sizeof(attr) };
	struct kipc_mq_peek pk = { .size = sizeof(pk) };
	char c = 'k';
	int qfd;

	qfd = test_mq_create(self->name, 2, 8);
	test_ioctl_mq_send(qfd, &c, 1, 0);
	pk.buf = (uintptr_t)&c;
	pk.len = 1;
	pk.flags = KIPC_WAIT_NONBLOCK;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_PEEK, &pk));
	pk.flags = 1U << 31;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_PEEK, &pk));
	pk.flags = 0;
	ASSERT_EQ(1, ioctl(qfd, KIPC_IOC_MQ_PEEK, &pk));

	attr.flags = KIPC_WAIT_NONBLOCK;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_GETATTR, &attr));
	attr.flags = 1U << 31;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(qfd, KIPC_IOC_MQ_GETATTR, &attr));
	ASSERT_EQ(0U, attr.out_max_msgs);
	attr.flags = 0;
	ASSERT_EQ(0, ioctl(qfd, KIPC_IOC_MQ_GETATTR, &attr));
	ASSERT_EQ(1U, attr.out_depth);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* The struct pointer itself is bad: EFAULT, and nothing moves. */
TEST_F(mq, cmd_bad_pointer)
{
	char c = 'b';
	int qfd;

	qfd = test_mq_create(self->name, 2, 8);
	test_ioctl_mq_send(qfd, &c, 1, 0);
	EXPECT_ERRNO(EFAULT, ioctl(qfd, KIPC_IOC_MQ_SEND, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(qfd, KIPC_IOC_MQ_RECV, (void *)8));
	EXPECT_ERRNO(EFAULT, ioctl(qfd, KIPC_IOC_MQ_RECVV, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(qfd, KIPC_IOC_MQ_PEEK, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(qfd, KIPC_IOC_MQ_GETATTR, NULL));
	ASSERT_EQ(1U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * A receive whose reply cannot be written back (a read-only struct) fails
 * with EFAULT, and the message it had taken is queued again.
 */
TEST_F(mq, recv_readonly_struct)
{
	struct kipc_mq_recv *cmd;
	char buf[8];
	void *page;
	int qfd;

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	qfd = test_mq_create(self->name, 2, 8);
	test_ioctl_mq_send(qfd, "one", 3, 0);
	test_ioctl_mq_send(qfd, "two", 3, 0);
	cmd = page;
	cmd->size = sizeof(*cmd);
	cmd->buf = (uintptr_t)buf;
	cmd->len = sizeof(buf);
	ASSERT_EQ(0, mprotect(page, 4096, PROT_READ));
	EXPECT_ERRNO(EFAULT, ioctl(qfd, KIPC_IOC_MQ_RECV, cmd));
	ASSERT_EQ(2U, test_mq_depth(qfd));
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 3, 0);
	ASSERT_EQ(0, memcmp(buf, "one", 3));
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 3, 0);
	ASSERT_EQ(0, memcmp(buf, "two", 3));
	close(qfd);
	munmap(page, 4096);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * Unlinked while open, a queue keeps working for its fds (POSIX), and the
 * name can at once be created again as a separate, empty queue.
 */
TEST_F(mq, unlink_while_open)
{
	unsigned int v;
	int qfd, qfd2, nfd;
	__u64 id, id2;

	qfd = test_mq_create(self->name, 4, 4);
	qfd2 = test_mq_open(self->name, KIPC_RW);
	id = test_obj_id(qfd);
	v = 1;
	test_ioctl_mq_send(qfd, &v, sizeof(v), 0);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	test_err_open(ENOENT, KIPC_OBJ_MQ, self->name, KIPC_RW, 0, NULL);

	v = 2;
	test_ioctl_mq_send(qfd2, &v, sizeof(v), 0);
	ASSERT_EQ(2U, test_mq_depth(qfd));

	nfd = test_mq_create(self->name, 2, 8);
	id2 = test_obj_id(nfd);
	ASSERT_NE(id, id2);
	ASSERT_EQ(0U, test_mq_depth(nfd));
	v = 3;
	test_ioctl_mq_send(nfd, &v, sizeof(v), 0);
	/* Two queues, each with its own messages. */
	test_ioctl_mq_recv(qfd2, &v, sizeof(v), sizeof(v), 0);
	ASSERT_EQ(1U, v);
	test_ioctl_mq_recv(qfd, &v, sizeof(v), sizeof(v), 0);
	ASSERT_EQ(2U, v);
	test_err_mq_recv(EAGAIN, qfd, &v, sizeof(v), KIPC_WAIT_NONBLOCK);
	test_ioctl_mq_recv(nfd, &v, sizeof(v), sizeof(v), 0);
	ASSERT_EQ(3U, v);
	close(qfd);
	close(qfd2);
	close(nfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Messages outlive every fd while the name holds the queue. */
TEST_F(mq, messages_outlive_fds)
{
	char buf[8];
	int qfd;

	qfd = test_mq_create(self->name, 2, 8);
	test_ioctl_mq_send(qfd, "kept", 4, 2);
	close(qfd);
	qfd = test_mq_open(self->name, KIPC_OPEN_READ);
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 4, 2);
	ASSERT_EQ(0, memcmp(buf, "kept", 4));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_HARNESS_MAIN
