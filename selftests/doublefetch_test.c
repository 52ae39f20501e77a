// SPDX-License-Identifier: GPL-2.0-only
/*
 * Double fetches: the kernel must read each user struct (and each vector of
 * a vectored call) once, check that copy and use only that copy. Two ways
 * to catch a second read:
 *
 *  - userfaultfd stalls the call on a page it must copy after it has read
 *    the struct (the message, a receive buffer, the name); while it waits,
 *    the test rewrites the struct, then lets the copy go on. The result
 *    must follow the struct as it was at the call.
 *  - a thread flips a length (and the struct's size, and a vector's count)
 *    while the other calls in a loop. Every outcome must be one of the two
 *    values: the message is never longer than the queue allows, and an
 *    error leaves nothing half done.
 */
#include <pthread.h>
#include <linux/userfaultfd.h>

#include "kipc_test.h"

#define MSGSIZE	64

FIXTURE(dfetch) {
	int fd;
	int q;
	long psz;
	char name[64];
};

FIXTURE_SETUP(dfetch)
{
	self->psz = sysconf(_SC_PAGESIZE);
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, "q");
	self->q = test_mq_create(self->name, 8, MSGSIZE);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

FIXTURE_TEARDOWN(dfetch)
{
	close(self->q);
	close(self->fd);
}

/* --- userfaultfd ------------------------------------------------------------ */

struct stall {
	int uffd;
	char *page;		/* registered, missing until the fault */
	char *base;		/* an ordinary page, then @page */
	long psz;
	unsigned long ioc;
	int fd;
	void *arg;
	int ret;
	int err;
};

static void *stall_call(void *arg)
{
	struct stall *s = arg;

	s->ret = ioctl(s->fd, s->ioc, s->arg);
	s->err = errno;
	return NULL;
}

/* A missing page under userfaultfd, or -errno (the caller skips). */
static int stall_setup(struct stall *s, long psz)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };

	memset(s, 0, sizeof(*s));
	s->uffd = -1;
	s->psz = psz;
	s->uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (s->uffd < 0)
		return -errno;
	if (ioctl(s->uffd, UFFDIO_API, &api))
		return -errno;
	s->base = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->base == MAP_FAILED) {
		s->base = NULL;
		return -errno;
	}
	s->base[0] = 0;
	s->page = s->base + psz;
	reg.range.start = (uintptr_t)s->page;
	reg.range.len = psz;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(s->uffd, UFFDIO_REGISTER, &reg))
		return -errno;
	return 0;
}

/*
 * Start the call, wait until it faults on the page, run @change, then
 * supply the page with @fill and wait for the call. 0, or -1 if the call
 * never faulted (it did not copy from or to the page).
 */
static int stall_run(struct stall *s, void (*change)(void *), void *ctx,
		     const void *fill)
{
	struct uffdio_copy copy = { 0 };
	struct uffd_msg msg;
	struct pollfd pfd = { .fd = s->uffd, .events = POLLIN };
	char *src;
	pthread_t thr;
	int ret = 0;

	if (pthread_create(&thr, NULL, stall_call, s))
		return -1;
	if (poll(&pfd, 1, 10000) != 1 ||
	    read(s->uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT) {
		ret = -1;
	} else {
		change(ctx);
		/* Writes to the struct must be done before the copy goes on. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	src = mmap(NULL, s->psz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED)
		return -1;
	memcpy(src, fill, s->psz);
	copy.dst = (uintptr_t)s->page;
	copy.src = (uintptr_t)src;
	copy.len = s->psz;
	/* Even when the call never faulted: nothing may stay stalled. */
	ioctl(s->uffd, UFFDIO_COPY, &copy);
	pthread_join(thr, NULL);
	munmap(src, s->psz);
	return ret;
}

static void stall_teardown(struct stall *s)
{
	if (s->base)
		munmap(s->base, 2 * s->psz);
	if (s->uffd >= 0)
		close(s->uffd);
}

#define stall_setup_or_skip(_s)						\
	do {								\
		int __r = stall_setup(_s, self->psz);			\
		if (__r == -EPERM || __r == -ENOSYS || __r == -EINVAL)	\
			SKIP(return, "no userfaultfd for kernel faults: %s", \
			     strerror(-__r));				\
		ASSERT_EQ(0, __r);					\
	} while (0)

static void change_send(void *arg)
{
	struct kipc_mq_send *cmd = arg;

	cmd->len = 4000;
	cmd->prio = 31;
	cmd->flags = ~0U;
	cmd->size = 0;
}

/* SEND reads its struct once: a new length after the check is not used. */
TEST_F(dfetch, uffd_send)
{
	struct kipc_mq_send cmd = {
		.size = sizeof(cmd),
		.len = 10,
		.prio = 5,
	};
	char fill[65536], buf[MSGSIZE];
	struct stall s;
	__u32 len, prio;

	ASSERT_LE(self->psz, (long)sizeof(fill));
	stall_setup_or_skip(&s);
	memset(fill, 'u', sizeof(fill));
	cmd.buf = (uintptr_t)s.page;
	s.fd = self->q;
	s.ioc = KIPC_IOC_MQ_SEND;
	s.arg = &cmd;
	ASSERT_EQ(0, stall_run(&s, change_send, &cmd, fill));
	ASSERT_EQ(0, s.ret) TH_LOG("send: %s", strerror(s.err));
	ASSERT_EQ(10, _test_cmd_mq_recv(self->q, buf, sizeof(buf),
					KIPC_WAIT_NONBLOCK, &len, &prio));
	EXPECT_EQ(5U, prio);
	EXPECT_EQ(0, memcmp(buf, fill, 10));
	EXPECT_EQ(0U, test_mq_depth(self->q));
	stall_teardown(&s);
}

struct change_vec {
	struct kipc_mq_sendv *cmd;
	struct kipc_mq_vec *vec;
	char *other;
};

static void change_sendv(void *arg)
{
	struct change_vec *c = arg;

	c->vec[0].len = 4000;
	c->vec[1].len = 60;
	c->vec[1].buf = (uintptr_t)c->other;
	c->vec[1].prio = 31;
	c->cmd->count = 3;
}

/* SENDV copies its vector once: the second entry is sent as it was. */
TEST_F(dfetch, uffd_sendv)
{
	char fill[65536], other[MSGSIZE], second[MSGSIZE], buf[MSGSIZE];
	struct kipc_mq_vec vec[3];
	struct kipc_mq_sendv cmd = {
		.size = sizeof(cmd),
		.vec = (uintptr_t)vec,
		.count = 2,
		.flags = KIPC_WAIT_NONBLOCK,
	};
	struct change_vec c = { &cmd, vec, other };
	struct stall s;
	__u32 len, prio;

	stall_setup_or_skip(&s);
	memset(fill, 'v', sizeof(fill));
	memset(other, 'o', sizeof(other));
	memset(second, 's', sizeof(second));
	memset(vec, 0, sizeof(vec));
	vec[0].buf = (uintptr_t)s.page;
	vec[0].len = 10;
	vec[0].prio = 1;
	vec[1].buf = (uintptr_t)second;
	vec[1].len = 12;
	vec[1].prio = 2;
	vec[2] = vec[1];
	s.fd = self->q;
	s.ioc = KIPC_IOC_MQ_SENDV;
	s.arg = &cmd;
	ASSERT_EQ(0, stall_run(&s, change_sendv, &c, fill));
	ASSERT_EQ(2, s.ret) TH_LOG("sendv: %s", strerror(s.err));
	EXPECT_EQ(2U, cmd.out_count);
	ASSERT_EQ(2U, test_mq_depth(self->q));
	ASSERT_EQ(12, _test_cmd_mq_recv(self->q, buf, sizeof(buf),
					KIPC_WAIT_NONBLOCK, &len, &prio));
	EXPECT_EQ(2U, prio);
	EXPECT_EQ(0, memcmp(buf, second, 12));
	ASSERT_EQ(10, _test_cmd_mq_recv(self->q, buf, sizeof(buf),
					KIPC_WAIT_NONBLOCK, &len, &prio));
	EXPECT_EQ(1U, prio);
	EXPECT_EQ(0, memcmp(buf, fill, 10));
	stall_teardown(&s);
}

static void change_sendrecv(void *arg)
{
	struct kipc_mq_sendrecv *cmd = arg;

	cmd->send_len = 60;
	cmd->recv_len = 4;
	cmd->recv_fd = -1;
}

/*
 * SENDRECV: the send stalls on its message; the receive then still uses
 * the fd and buffer length read at the call.
 */
TEST_F(dfetch, uffd_sendrecv)
{
	char fill[65536], buf[MSGSIZE];
	struct kipc_mq_sendrecv cmd = {
		.size = sizeof(cmd),
		.flags = KIPC_WAIT_NONBLOCK,
		.send_prio = 3,
		.send_len = 10,
		.recv_len = sizeof(buf),
		.recv_buf = (uintptr_t)buf,
	};
	struct stall s;

	stall_setup_or_skip(&s);
	memset(fill, 'r', sizeof(fill));
	cmd.recv_fd = self->q;
	cmd.send_buf = (uintptr_t)s.page;
	s.fd = self->q;
	s.ioc = KIPC_IOC_MQ_SENDRECV;
	s.arg = &cmd;
	ASSERT_EQ(0, stall_run(&s, change_sendrecv, &cmd, fill));
	ASSERT_EQ(10, s.ret) TH_LOG("sendrecv: %s", strerror(s.err));
	EXPECT_EQ(KIPC_SENDRECV_SENT, cmd.out_flags);
	EXPECT_EQ(10U, cmd.out_len);
	EXPECT_EQ(3U, cmd.out_prio);
	EXPECT_EQ(0, memcmp(buf, fill, 10));
	EXPECT_EQ(0U, test_mq_depth(self->q));
	stall_teardown(&s);
}

static void change_recvv(void *arg)
{
	struct change_vec *c = arg;

	c->vec[1].len = 4;
	c->vec[1].buf = (uintptr_t)c->other;
	c->cmd->count = 1;
}

/*
 * RECVV: the first copy-out stalls; the second message still goes to the
 * buffer, and with the length, that the vector held at the call.
 */
TEST_F(dfetch, uffd_recvv)
{
	char fill[65536], other[MSGSIZE], second[MSGSIZE], msg[32];
	struct kipc_mq_vec vec[2];
	struct kipc_mq_sendv cmd = {
		.size = sizeof(cmd),
		.vec = (uintptr_t)vec,
		.count = 2,
		.flags = KIPC_WAIT_NONBLOCK,
	};
	struct change_vec c = { &cmd, vec, other };
	struct stall s;

	stall_setup_or_skip(&s);
	memset(fill, 0, sizeof(fill));
	memset(other, 'o', sizeof(other));
	memset(second, 0, sizeof(second));
	memset(msg, 'a', sizeof(msg));
	test_ioctl_mq_send(self->q, msg, 16, 0);
	memset(msg, 'b', sizeof(msg));
	test_ioctl_mq_send(self->q, msg, 32, 0);
	vec[0].buf = (uintptr_t)s.page;
	vec[0].len = MSGSIZE;
	vec[1].buf = (uintptr_t)second;
	vec[1].len = MSGSIZE;
	s.fd = self->q;
	s.ioc = KIPC_IOC_MQ_RECVV;
	s.arg = &cmd;
	ASSERT_EQ(0, stall_run(&s, change_recvv, &c, fill));
	ASSERT_EQ(2, s.ret) TH_LOG("recvv: %s", strerror(s.err));
	EXPECT_EQ(16U, vec[0].len);
	EXPECT_EQ(32U, vec[1].len);
	EXPECT_EQ(0, memcmp(s.page, "aaaaaaaaaaaaaaaa", 16));
	EXPECT_EQ(0, memcmp(second, msg, 32));
	EXPECT_EQ('o', other[0]);
	EXPECT_EQ(0U, test_mq_depth(self->q));
	stall_teardown(&s);
}

static void change_open(void *arg)
{
	struct kipc_open *cmd = arg;

	cmd->type = KIPC_OBJ_SEM;
	cmd->flags |= KIPC_OPEN_EXCL | 0x80000000U;
	cmd->attr.mq.max_msgs = 0;
}

/* OPEN stalls on its name; the type and attributes are those checked. */
TEST_F(dfetch, uffd_open)
{
	char fill[65536];
	struct kipc_open cmd = {
		.size = sizeof(cmd),
		.flags = KIPC_NEW,
		.type = KIPC_OBJ_MQ,
		.mode = 0600,
	};
	struct kipc_info info;
	struct stall s;
	int n;

	stall_setup_or_skip(&s);
	memset(fill, 0, sizeof(fill));
	n = snprintf(fill, 64, "%s.uffd", self->name);
	cmd.attr.mq.max_msgs = 3;
	cmd.attr.mq.max_msgsize = 17;
	/*
	 * The name straddles into the stalled page: its first 4 bytes sit
	 * before it, the rest come with it.
	 */
	cmd.name = (uintptr_t)(s.page - 4);
	memcpy(s.page - 4, fill, 4);
	s.fd = self->fd;
	s.ioc = KIPC_IOC_OPEN;
	s.arg = &cmd;
	ASSERT_EQ(0, stall_run(&s, change_open, &cmd, fill + 4));
	ASSERT_LE(0, s.ret) TH_LOG("open: %s", strerror(s.err));
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ASSERT_EQ(0, ioctl(s.ret, KIPC_IOC_INFO, &info));
	EXPECT_EQ((__u32)KIPC_OBJ_MQ, info.out_type);
	EXPECT_EQ(3U, info.out_attr.mq.max_msgs);
	EXPECT_EQ(17U, info.out_attr.mq.max_msgsize);
	EXPECT_EQ(0, memcmp(info.out_name, fill, n + 1));
	EXPECT_EQ(0, _test_cmd_unlink(self->fd, KIPC_OBJ_MQ, info.out_name));
	close(s.ret);
	stall_teardown(&s);
}

static void change_straddle(void *arg)
{
	struct kipc_mq_send *cmd = arg;

	/* Only the part before the stalled page can still change. */
	cmd->len = 1000;
	cmd->size = 8;
	cmd->flags = ~0U;
}

/*
 * The struct itself straddles into the stalled page: size, flags, buf and
 * len sit before it, prio and the rest in it. The one copy of the struct
 * stalls part way; meanwhile flags and len change. A load that spans the
 * page boundary (len with prio) is redone after the stall, so the copy may
 * hold the old or the new len, and the old or the new flags: the call must
 * act on the copy it checked. A 10-byte message of priority 5, or
 * EMSGSIZE/EOPNOTSUPP with nothing queued; never EINVAL (@size is read
 * before the copy and must not be read again), never another message.
 */
TEST_F(dfetch, uffd_struct_straddles)
{
	const size_t head = offsetof(struct kipc_mq_send, prio);
	char fill[65536], msg[MSGSIZE], buf[MSGSIZE];
	struct kipc_mq_send *cmd, tail = { .prio = 5 };
	struct stall s;
	__u32 len, prio;

	stall_setup_or_skip(&s);
	memset(msg, 'h', sizeof(msg));
	memset(fill, 0, sizeof(fill));
	memcpy(fill, (char *)&tail + head, sizeof(tail) - head);
	cmd = (struct kipc_mq_send *)(s.page - head);
	cmd->size = sizeof(*cmd);
	cmd->flags = KIPC_WAIT_NONBLOCK;
	cmd->buf = (uintptr_t)msg;
	cmd->len = 10;
	s.fd = self->q;
	s.ioc = KIPC_IOC_MQ_SEND;
	s.arg = cmd;
	ASSERT_EQ(0, stall_run(&s, change_straddle, cmd, fill));
	if (s.ret) {
		ASSERT_EQ(-1, s.ret);
		ASSERT_TRUE(s.err == EMSGSIZE || s.err == EOPNOTSUPP)
			TH_LOG("send: %s", strerror(s.err));
		TH_LOG("the copy saw the new struct: %s", strerror(s.err));
	} else {
		ASSERT_EQ(10, _test_cmd_mq_recv(self->q, buf, sizeof(buf),
						KIPC_WAIT_NONBLOCK, &len,
						&prio));
		EXPECT_EQ(5U, prio);
		EXPECT_EQ(0, memcmp(buf, msg, 10));
	}
	EXPECT_EQ(0U, test_mq_depth(self->q));
	stall_teardown(&s);
}

/* --- a thread that flips fields ---------------------------------------------- */

#define FLIPS	3000
/* Beyond FLIPS calls, go on until both outcomes were seen, for this long. */
#define FLIP_MAX_NS	(15 * 1000000000LL)

static long long flip_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Another call? FLIPS at least, then more while one outcome is still
 * missing: on a busy host a vCPU may not run for a while, and the calls
 * then meet the flipper in one state only.
 */
static bool flip_go_on(int i, int good, int bad, long long t0)
{
	if (i < FLIPS)
		return true;
	return (!good || !bad) && flip_now_ns() - t0 < FLIP_MAX_NS;
}

struct flipper {
	volatile __u32 *field;
	__u32 a, b;
	volatile __u32 *field2;	/* optional second field */
	__u32 a2, b2;
	volatile int stop;
};

/* Stay a while in each state, so that calls see both. */
static void flip_spin(void)
{
	volatile int i;

	for (i = 0; i < 2000; i++)
		;
}

static void *flip_thread(void *arg)
{
	struct flipper *f = arg;

	while (!f->stop) {
		*f->field = f->a;
		if (f->field2)
			*f->field2 = f->a2;
		flip_spin();
		*f->field = f->b;
		if (f->field2)
			*f->field2 = f->b2;
		flip_spin();
	}
	return NULL;
}

/*
 * Calls that met the flipped fields both ways, good and bad: only then did
 * the flipper run beside them. With two CPUs a run that saw one kind only
 * did not race; with one, say so and skip.
 */
static void flips_seen(struct __test_metadata *_metadata, int good, int bad)
{
	if ((!good || !bad) && sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "one CPU: %d calls saw the good fields, %d the bad, never both",
		     good, bad);
	EXPECT_LT(0, good);
	EXPECT_LT(0, bad);
}

/*
 * The length flips between 10 and 1000 (the queue takes 64) and the size
 * between the struct and a longer one with a non-zero tail. Each send
 * either queues exactly 10 bytes or fails whole.
 */
TEST_F(dfetch, flip_send_len_and_size)
{
	struct {
		struct kipc_mq_send cmd;
		__u64 tail;
	} u = {
		.cmd = {
			.size = sizeof(u.cmd),
			.flags = KIPC_WAIT_NONBLOCK,
			.len = 10,
			.prio = 4,
		},
		.tail = 1,
	};
	struct flipper f = {
		.field = &u.cmd.len, .a = 10, .b = 1000,
		.field2 = &u.cmd.size, .a2 = sizeof(u.cmd),
		.b2 = sizeof(u),
	};
	char src[4096], buf[MSGSIZE];
	int i, ret, ok = 0, e2big = 0, emsgsize = 0;
	__u32 len, prio;
	pthread_t thr;
	long long t0;

	memset(src, 'f', sizeof(src));
	u.cmd.buf = (uintptr_t)src;
	ASSERT_EQ(0, pthread_create(&thr, NULL, flip_thread, &f));
	t0 = flip_now_ns();
	for (i = 0; flip_go_on(i, ok, e2big + emsgsize, t0); i++) {
		ret = ioctl(self->q, KIPC_IOC_MQ_SEND, &u.cmd);
		if (ret == 0) {
			ok++;
			ret = _test_cmd_mq_recv(self->q, buf, sizeof(buf),
						KIPC_WAIT_NONBLOCK, &len,
						&prio);
			if (ret != 10 || prio != 4)
				break;
			continue;
		}
		if (errno == E2BIG)
			e2big++;
		else if (errno == EMSGSIZE)
			emsgsize++;
		else
			break;
	}
	f.stop = 1;
	pthread_join(thr, NULL);
	ASSERT_FALSE(flip_go_on(i, ok, e2big + emsgsize, t0))
		TH_LOG("send %d: ret %d (%s), received %d bytes of prio %u",
		       i, ret, strerror(errno), ret, prio);
	EXPECT_EQ(0U, test_mq_depth(self->q));
	TH_LOG("%d sent, %d E2BIG, %d EMSGSIZE", ok, e2big, emsgsize);
	flips_seen(_metadata, ok, e2big + emsgsize);
}

/*
 * SENDV while the first entry's length flips between 10 and 1000 and the
 * count between 2 and 5000: two messages of 10 and 12 bytes, or nothing.
 */
TEST_F(dfetch, flip_sendv_vec)
{
	char src[4096], buf[MSGSIZE];
	struct kipc_mq_vec vec[2] = {
		{ .len = 10, .prio = 1 }, { .len = 12, .prio = 1 },
	};
	struct kipc_mq_sendv cmd = {
		.size = sizeof(cmd),
		.flags = KIPC_WAIT_NONBLOCK,
		.vec = (uintptr_t)vec,
		.count = 2,
	};
	struct flipper f = {
		.field = &vec[0].len, .a = 10, .b = 1000,
		.field2 = &cmd.count, .a2 = 2, .b2 = 5000,
	};
	int i, ret = 0, moved = 0;
	__u32 len = 0, prio;
	pthread_t thr;
	long long t0;

	memset(src, 'g', sizeof(src));
	vec[0].buf = (uintptr_t)src;
	vec[1].buf = (uintptr_t)src;
	ASSERT_EQ(0, pthread_create(&thr, NULL, flip_thread, &f));
	t0 = flip_now_ns();
	for (i = 0; flip_go_on(i, moved, i - moved, t0); i++) {
		ret = ioctl(self->q, KIPC_IOC_MQ_SENDV, &cmd);
		if (ret < 0 && (errno == E2BIG || errno == EMSGSIZE))
			continue;
		if (ret != 2)
			break;
		moved++;
		if (_test_cmd_mq_recv(self->q, buf, sizeof(buf),
				      KIPC_WAIT_NONBLOCK, &len, &prio) != 10)
			break;
		if (_test_cmd_mq_recv(self->q, buf, sizeof(buf),
				      KIPC_WAIT_NONBLOCK, &len, &prio) != 12)
			break;
	}
	f.stop = 1;
	pthread_join(thr, NULL);
	ASSERT_FALSE(flip_go_on(i, moved, i - moved, t0))
		TH_LOG("sendv %d: ret %d (%s), last length %u", i, ret,
		       strerror(errno), len);
	EXPECT_EQ(0U, test_mq_depth(self->q));
	TH_LOG("%d of %d calls moved both messages", moved, i);
	flips_seen(_metadata, moved, i - moved);
}

TEST_HARNESS_MAIN
