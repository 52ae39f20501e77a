// SPDX-License-Identifier: GPL-2.0-only
/*
 * KIPC_IOC_MQ_SENDRECV: send to one queue (A), then receive from another
 * (B), in one call. Each half must behave as KIPC_IOC_MQ_SEND and
 * KIPC_IOC_MQ_RECV do, and after the send every failure must say that the
 * send happened (KIPC_SENDRECV_SENT) and must not restart, so that a request
 * is never sent twice.
 *
 * "Exactly once" is checked on the queue: its depth, its contents and its
 * netlink send counter. Blocked callers run in children; the parent learns
 * that they are blocked from KIPC_A_OBJ_MQ_WAIT_SEND and _WAIT_RECV.
 */
#include "kipc_test.h"

#define MSG		KIPC_CALL_MSG
#define NS		1000000000ULL
#define MS		1000000ULL

FIXTURE(sr) {
	int fd;
	struct kipc_nl nl;
	char a[KIPC_NAME_MAX + 1];
	char b[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(sr)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->a, "a");
	test_name(self->b, "b");
}

FIXTURE_TEARDOWN(sr)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->a);
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->b);
	close(self->nl.fd);
	close(self->fd);
}

/*
 * A request to send @slen bytes at @sbuf and receive into @rlen bytes at
 * @rbuf from @rfd. The out fields start as garbage: the kernel must
 * overwrite them, on failure too.
 */
static void sr_init(struct kipc_mq_sendrecv *cmd, int rfd, const void *sbuf,
		    __u32 slen, void *rbuf, __u32 rlen)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->size = sizeof(*cmd);
	cmd->recv_fd = rfd;
	cmd->send_buf = (uintptr_t)sbuf;
	cmd->send_len = slen;
	cmd->recv_buf = (uintptr_t)rbuf;
	cmd->recv_len = rlen;
	cmd->out_flags = ~0U;
	cmd->out_len = ~0U;
	cmd->out_prio = ~0U;
}

static void sr_deadline(struct kipc_mq_sendrecv *cmd, clockid_t clk,
			__u64 deadline)
{
	cmd->flags |= KIPC_WAIT_DEADLINE;
	cmd->clockid = clk;
	cmd->deadline = deadline;
}

/* The call failed with @_errno; the send happened iff @_sent. */
#define test_err_sr(_errno, _sent, _fd, _cmd)				\
	({								\
		EXPECT_ERRNO(_errno, ioctl(_fd, KIPC_IOC_MQ_SENDRECV, _cmd)); \
		ASSERT_EQ((_sent) ? KIPC_SENDRECV_SENT : 0U,		\
			  (_cmd)->out_flags);				\
	})

/* The call received @_len bytes. */
#define test_ioctl_sr(_fd, _cmd, _len)					\
	({								\
		ASSERT_EQ((int)(_len),					\
			  ioctl(_fd, KIPC_IOC_MQ_SENDRECV, _cmd))	\
			TH_LOG("sendrecv: %s", strerror(errno));	\
		ASSERT_EQ(KIPC_SENDRECV_SENT, (_cmd)->out_flags);	\
		ASSERT_EQ((__u32)(_len), (_cmd)->out_len);		\
	})

#define test_nl_sends(_id) test_nl_mq(&self->nl, _id, KIPC_A_OBJ_MQ_SENDS)
#define test_blocked(_id, _attr, _n) \
	test_nl_mq_wait(&self->nl, _id, _attr, _n)

/* --- a sendrecv made by a child ---------------------------------------- */

struct sr_result {
	int ret;
	int err;
	__u32 out_flags;
	__u32 out_len;
	__u32 out_prio;
	__u64 t_end;
	char data[MSG];
};

/* Start a child that makes @cmd on @fd, handling SIGUSR1 as @sigmode says. */
static void sr_start(struct __test_metadata *_metadata, int fd,
		     const struct kipc_mq_sendrecv *cmd, int sigmode,
		     struct kipc_child *ch)
{
	if (kipc_child_start(_metadata, sigmode, ch)) {
		struct kipc_mq_sendrecv c = *cmd;
		struct sr_result r;

		memset(&r, 0, sizeof(r));
		c.recv_buf = (uintptr_t)r.data;
		c.recv_len = sizeof(r.data);
		r.ret = ioctl(fd, KIPC_IOC_MQ_SENDRECV, &c);
		r.err = r.ret < 0 ? errno : 0;
		r.out_flags = c.out_flags;
		r.out_len = c.out_len;
		r.out_prio = c.out_prio;
		r.t_end = kipc_now_ns(CLOCK_MONOTONIC);
		kipc_child_exit(_metadata, ch, &r, sizeof(r));
	}
}
#define test_sr_start(_fd, _cmd, _sigmode, _ch) \
	sr_start(_metadata, _fd, _cmd, _sigmode, _ch)

/* --- round trips ------------------------------------------------------- */

/*
 * A client and a server in two processes, one call each per request: the
 * client sends to A and waits on B, the server answers on B and waits on
 * A. Every request and reply is checked, and each queue moved exactly
 * one message per call.
 */
TEST_F(sr, round_trip)
{
	const unsigned int n = 50;
	struct kipc_mq_sendrecv cmd;
	char req[MSG], rep[MSG];
	unsigned int i;
	__u64 ida, idb;
	int qa, qb;
	pid_t pid;

	qa = test_mq_create(self->a, 2, MSG);
	qb = test_mq_create(self->b, 2, MSG);
	ida = test_obj_id(qa);
	idb = test_obj_id(qb);

	pid = test_fork();
	if (pid == 0) {
		/* The server: answer i with i + 1000, at priority i % 32. */
		unsigned int v;
		int len;

		len = _test_cmd_mq_recv(qa, req, sizeof(req), 0, NULL, NULL);
		for (;;) {
			ASSERT_EQ((int)sizeof(v), len);
			memcpy(&v, req, sizeof(v));
			if (v == n)
				break;
			v += 1000;
			sr_init(&cmd, qa, &v, sizeof(v), req, sizeof(req));
			cmd.send_prio = v % 32;
			len = ioctl(qb, KIPC_IOC_MQ_SENDRECV, &cmd);
			ASSERT_EQ(KIPC_SENDRECV_SENT, cmd.out_flags);
		}
		_exit(0);
	}
	for (i = 0; i < n; i++) {
		unsigned int v;

		sr_init(&cmd, qb, &i, sizeof(i), rep, sizeof(rep));
		cmd.send_prio = 7;
		test_ioctl_sr(qa, &cmd, sizeof(v));
		memcpy(&v, rep, sizeof(v));
		ASSERT_EQ(i + 1000, v);
		ASSERT_EQ((i + 1000) % 32, cmd.out_prio);
	}
	test_ioctl_mq_send(qa, &n, sizeof(n), 0);
	test_wait_child(pid);

	ASSERT_EQ((__u64)n + 1, test_nl_sends(ida));
	ASSERT_EQ((__u64)n + 1,
		  test_nl_mq(&self->nl, ida, KIPC_A_OBJ_MQ_RECVS));
	ASSERT_EQ((__u64)n, test_nl_sends(idb));
	ASSERT_EQ((__u64)n, test_nl_mq(&self->nl, idb, KIPC_A_OBJ_MQ_RECVS));
	ASSERT_EQ(0U, test_mq_depth(qa));
	ASSERT_EQ(0U, test_mq_depth(qb));
	close(qa);
	close(qb);
}

/*
 * A and B may be one queue: the call sends, then receives whatever is
 * first, which is its own message unless something of a higher priority
 * was there. The queue's lock is not taken twice at once.
 */
TEST_F(sr, same_queue)
{
	struct kipc_mq_sendrecv cmd;
	char out[MSG];
	int q;

	q = test_mq_create(self->a, 2, MSG);
	sr_init(&cmd, q, "mine", 4, out, sizeof(out));
	test_ioctl_sr(q, &cmd, 4);
	ASSERT_EQ(0, memcmp(out, "mine", 4));
	ASSERT_EQ(0U, test_mq_depth(q));

	test_ioctl_mq_send(q, "urgent", 6, 9);
	sr_init(&cmd, q, "low", 3, out, sizeof(out));
	cmd.send_prio = 1;
	test_ioctl_sr(q, &cmd, 6);
	ASSERT_EQ(9U, cmd.out_prio);
	ASSERT_EQ(0, memcmp(out, "urgent", 6));
	test_ioctl_mq_recv(q, out, sizeof(out), 3, 1);

	/* A full queue: the send waits for room nobody will make. */
	test_ioctl_mq_send(q, "1", 1, 0);
	test_ioctl_mq_send(q, "2", 1, 0);
	sr_init(&cmd, q, "3", 1, out, sizeof(out));
	cmd.flags = KIPC_WAIT_NONBLOCK;
	test_err_sr(EAGAIN, false, q, &cmd);
	ASSERT_EQ(2U, test_mq_depth(q));
	close(q);
}

/* The library wrapper: priorities both ways and *sent on failure. */
TEST_F(sr, library)
{
	struct timespec past = { 0, 1 };
	unsigned int prio = ~0U;
	char out[MSG];
	int qa, qb, sent = -1;
	struct kipc_mq_sendrecv_args a = {
		.send_buf = "ping",
		.send_len = 4,
		.send_prio = 4,
		.recv_buf = out,
		.recv_len = sizeof(out),
		.recv_prio = &prio,
		.clockid = CLOCK_MONOTONIC,
		.sent = &sent,
	};

	qa = test_mq_create(self->a, 1, MSG);
	qb = test_mq_create(self->b, 1, MSG);
	a.recv_fd = qb;
	test_ioctl_mq_send(qb, "pong", 4, 6);
	ASSERT_EQ(4, kipc_mq_sendrecv(qa, &a));
	ASSERT_EQ(1, sent);
	ASSERT_EQ(6U, prio);
	ASSERT_EQ(0, memcmp(out, "pong", 4));
	test_ioctl_mq_recv(qa, out, sizeof(out), 4, 4);

	/* Sent, then nothing to receive by a deadline long gone. */
	a.deadline = &past;
	sent = -1;
	ASSERT_EQ(-ETIMEDOUT, kipc_mq_sendrecv(qa, &a));
	ASSERT_EQ(1, sent);
	/* A is full now: nothing goes. */
	sent = -1;
	ASSERT_EQ(-ETIMEDOUT, kipc_mq_sendrecv(qa, &a));
	ASSERT_EQ(0, sent);
	/* Refused before any system call. */
	a.send_len = (size_t)UINT32_MAX + 1;
	sent = -1;
	ASSERT_EQ(-EMSGSIZE, kipc_mq_sendrecv(qa, &a));
	ASSERT_EQ(0, sent);
	ASSERT_EQ(1U, test_mq_depth(qa));
	close(qa);
	close(qb);
}

/* --- the struct and its fds --------------------------------------------- */

TEST_F(sr, cmd_length)
{
	struct {
		struct kipc_mq_sendrecv cmd;
		__u8 extra[8];
	} buf;
	char out[MSG];
	__u64 ida;
	int qa, qb;

	qa = test_mq_create(self->a, 4, MSG);
	qb = test_mq_create(self->b, 4, MSG);
	ida = test_obj_id(qa);
	memset(&buf, 0, sizeof(buf));
	sr_init(&buf.cmd, qb, "req", 3, out, sizeof(out));
	TEST_LENGTH_ERRORS(qa, buf, kipc_mq_sendrecv, KIPC_IOC_MQ_SENDRECV,
			   __reserved2);
	/* None of them sent anything. */
	ASSERT_EQ(0ULL, test_nl_sends(ida));

	test_ioctl_mq_send(qb, "rep1", 4, 0);
	ASSERT_EQ(4, ioctl(qa, KIPC_IOC_MQ_SENDRECV, &buf));
	/* Only the kernel's struct is written back, never the tail. */
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);
	test_ioctl_mq_send(qb, "rep2", 4, 0);
	buf.cmd.size = sizeof(buf.cmd);
	ASSERT_EQ(4, ioctl(qa, KIPC_IOC_MQ_SENDRECV, &buf));
	ASSERT_EQ(2ULL, test_nl_sends(ida));
	close(qa);
	close(qb);
}

/* Unknown flags and non-zero reserved fields: EOPNOTSUPP, nothing sent. */
TEST_F(sr, flags_reserved)
{
	struct kipc_mq_sendrecv cmd;
	char out[MSG];
	unsigned int bit;
	__u64 ida;
	int qa, qb;

	qa = test_mq_create(self->a, 4, MSG);
	qb = test_mq_create(self->b, 4, MSG);
	ida = test_obj_id(qa);
	test_ioctl_mq_send(qb, "reply", 5, 0);
	for (bit = 2; bit < 32; bit++) {
		/* KIPC_WAIT_NOSPIN: a wait flag, taken for both halves. */
		if ((1U << bit) == KIPC_WAIT_NOSPIN)
			continue;
		/*
		 * KIPC_RECV_REGION works on any queue; KIPC_SEND_SEALED alone
		 * is EINVAL (mq_region_test); reply-tos: rpc_reply_test.
		 */
		if ((1U << bit) == KIPC_RECV_REGION ||
		    (1U << bit) == KIPC_SEND_SEALED ||
		    (1U << bit) == KIPC_SEND_REPLYTO ||
		    (1U << bit) == KIPC_RECV_REPLY)
			continue;
		sr_init(&cmd, qb, "req", 3, out, sizeof(out));
		cmd.flags = 1U << bit;
		test_err_sr(EOPNOTSUPP, false, qa, &cmd);
	}
	sr_init(&cmd, qb, "req", 3, out, sizeof(out));
	cmd.__reserved = 1;
	test_err_sr(EOPNOTSUPP, false, qa, &cmd);
	sr_init(&cmd, qb, "req", 3, out, sizeof(out));
	cmd.__reserved2 = 0x80000000U;
	test_err_sr(EOPNOTSUPP, false, qa, &cmd);
	/* The out fields were cleared, not left as they came. */
	ASSERT_EQ(0U, cmd.out_len);
	ASSERT_EQ(0U, cmd.out_prio);
	/* A bad deadline is an argument error too. */
	sr_init(&cmd, qb, "req", 3, out, sizeof(out));
	sr_deadline(&cmd, CLOCK_BOOTTIME, 1);
	test_err_sr(EINVAL, false, qa, &cmd);

	ASSERT_EQ(0ULL, test_nl_sends(ida));
	ASSERT_EQ(1U, test_mq_depth(qb));
	/* Both known flags together are fine. */
	sr_init(&cmd, qb, "req", 3, out, sizeof(out));
	cmd.flags = KIPC_WAIT_NONBLOCK;
	sr_deadline(&cmd, CLOCK_REALTIME, 0);
	test_ioctl_sr(qa, &cmd, 5);
	close(qa);
	close(qb);
}

/* @recv_fd must be an open kipc queue, open for reading. */
TEST_F(sr, recv_fd_bad)
{
	union kipc_attr sattr = kipc_attr_of(KIPC_OBJ_SEM);
	union kipc_attr shattr = kipc_attr_of(KIPC_OBJ_SHM);
	struct kipc_mq_sendrecv cmd;
	int qa, qb, wo, semfd, shmfd, closed, p[2];
	char out[MSG], sem[KIPC_NAME_MAX + 1];
	__u64 ida;

	qa = test_mq_create(self->a, 4, MSG);
	qb = test_mq_create(self->b, 4, MSG);
	ida = test_obj_id(qa);
	test_ioctl_mq_send(qb, "reply", 5, 0);

	/* Not an fd at all. */
	sr_init(&cmd, -1, "req", 3, out, sizeof(out));
	test_err_sr(EBADF, false, qa, &cmd);
	closed = dup(qb);
	ASSERT_LE(0, closed);
	close(closed);
	sr_init(&cmd, closed, "req", 3, out, sizeof(out));
	test_err_sr(EBADF, false, qa, &cmd);
	sr_init(&cmd, INT32_MAX, "req", 3, out, sizeof(out));
	test_err_sr(EBADF, false, qa, &cmd);

	/* Not a kipc queue: a pipe, the factory, a semaphore, a region. */
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	sr_init(&cmd, p[0], "req", 3, out, sizeof(out));
	test_err_sr(EINVAL, false, qa, &cmd);
	sr_init(&cmd, self->fd, "req", 3, out, sizeof(out));
	test_err_sr(EINVAL, false, qa, &cmd);
	test_name(sem, "sem");
	semfd = test_ioctl_open(KIPC_OBJ_SEM, sem, KIPC_NEW, 0600, &sattr,
				NULL, NULL);
	sr_init(&cmd, semfd, "req", 3, out, sizeof(out));
	test_err_sr(EINVAL, false, qa, &cmd);
	test_ioctl_unlink(KIPC_OBJ_SEM, sem);
	shmfd = test_ioctl_open(KIPC_OBJ_SHM, sem, KIPC_NEW, 0600, &shattr,
				NULL, NULL);
	sr_init(&cmd, shmfd, "req", 3, out, sizeof(out));
	test_err_sr(EINVAL, false, qa, &cmd);
	test_ioctl_unlink(KIPC_OBJ_SHM, sem);

	/* A queue, but open only for writing. */
	wo = test_mq_open(self->b, KIPC_OPEN_WRITE);
	sr_init(&cmd, wo, "req", 3, out, sizeof(out));
	test_err_sr(EBADF, false, qa, &cmd);

	ASSERT_EQ(0ULL, test_nl_sends(ida));
	ASSERT_EQ(0U, test_mq_depth(qa));
	ASSERT_EQ(1U, test_mq_depth(qb));
	close(p[0]);
	close(p[1]);
	close(semfd);
	close(shmfd);
	close(wo);
	close(qa);
	close(qb);
}

/*
 * The send half needs KIPC_OPEN_WRITE on the ioctl's fd, as SEND does;
 * the receive half KIPC_OPEN_READ on @recv_fd, and nothing more: a
 * client may hold its service queue write-only and its reply queue
 * read-only.
 */
TEST_F(sr, access_modes)
{
	struct kipc_mq_sendrecv cmd;
	int qa, qb, ra, wa, rb;
	char out[MSG];

	qa = test_mq_create(self->a, 4, MSG);
	qb = test_mq_create(self->b, 4, MSG);
	ra = test_mq_open(self->a, KIPC_OPEN_READ);
	wa = test_mq_open(self->a, KIPC_OPEN_WRITE);
	rb = test_mq_open(self->b, KIPC_OPEN_READ);
	test_ioctl_mq_send(qb, "reply", 5, 0);

	sr_init(&cmd, rb, "req", 3, out, sizeof(out));
	test_err_sr(EBADF, false, ra, &cmd);
	ASSERT_EQ(0U, test_mq_depth(qa));
	ASSERT_EQ(1U, test_mq_depth(qb));

	sr_init(&cmd, rb, "req", 3, out, sizeof(out));
	test_ioctl_sr(wa, &cmd, 5);
	ASSERT_EQ(0, memcmp(out, "reply", 5));
	test_ioctl_mq_recv(ra, out, sizeof(out), 3, 0);
	close(ra);
	close(wa);
	close(rb);
	close(qa);
	close(qb);
}

/* --- the send half fails: nothing is sent ------------------------------ */

/* Longer than A's max_msgsize, or a bad priority. */
TEST_F(sr, send_too_big)
{
	struct kipc_mq_sendrecv cmd;
	char big[MSG + 1], out[MSG];
	__u64 ida;
	int qa, qb;

	qa = test_mq_create(self->a, 4, MSG);
	qb = test_mq_create(self->b, 4, MSG);
	ida = test_obj_id(qa);
	memset(big, 'b', sizeof(big));
	test_ioctl_mq_send(qb, "reply", 5, 0);

	sr_init(&cmd, qb, big, sizeof(big), out, sizeof(out));
	test_err_sr(EMSGSIZE, false, qa, &cmd);
	ASSERT_EQ(0U, cmd.out_len);
	sr_init(&cmd, qb, big, UINT32_MAX, out, sizeof(out));
	test_err_sr(EMSGSIZE, false, qa, &cmd);
	sr_init(&cmd, qb, big, 1, out, sizeof(out));
	cmd.send_prio = KIPC_MQ_PRIO_MAX + 1;
	test_err_sr(EINVAL, false, qa, &cmd);

	ASSERT_EQ(0ULL, test_nl_sends(ida));
	ASSERT_EQ(0U, test_mq_depth(qa));
	/* And nothing was received either. */
	ASSERT_EQ(1U, test_mq_depth(qb));
	/* The largest message goes. */
	sr_init(&cmd, qb, big, MSG, out, sizeof(out));
	test_ioctl_sr(qa, &cmd, 5);
	close(qa);
	close(qb);
}

/* A send buffer that cannot be read: EFAULT, nothing queued, not sent. */
TEST_F(sr, send_efault)
{
	struct kipc_mq_sendrecv cmd;
	char *page, out[MSG];
	__u64 ida;
	int qa, qb;

	page = kipc_guarded_page();
	ASSERT_NE(NULL, page);
	qa = test_mq_create(self->a, 4, MSG);
	qb = test_mq_create(self->b, 4, MSG);
	ida = test_obj_id(qa);
	test_ioctl_mq_send(qb, "reply", 5, 0);

	sr_init(&cmd, qb, page + 4096, 8, out, sizeof(out));
	test_err_sr(EFAULT, false, qa, &cmd);
	sr_init(&cmd, qb, page + 4096 - 4, 8, out, sizeof(out));
	test_err_sr(EFAULT, false, qa, &cmd);
	sr_init(&cmd, qb, (void *)8, 1, out, sizeof(out));
	test_err_sr(EFAULT, false, qa, &cmd);

	ASSERT_EQ(0ULL, test_nl_sends(ida));
	ASSERT_EQ(0U, test_mq_depth(qa));
	ASSERT_EQ(1U, test_mq_depth(qb));
	munmap(page, 8192);
	close(qa);
	close(qb);
}

/* --- the receive half fails: sent, and the reply is kept --------------- */

/*
 * A receive buffer shorter than the reply: EMSGSIZE with the send done,
 * @out_len telling the reply's length, and the reply still queued.
 */
TEST_F(sr, recv_too_small)
{
	struct kipc_mq_sendrecv cmd;
	char out[MSG];
	__u64 ida;
	int qa, qb;

	qa = test_mq_create(self->a, 4, MSG);
	qb = test_mq_create(self->b, 4, MSG);
	ida = test_obj_id(qa);
	test_ioctl_mq_send(qb, "a long reply", 12, 5);

	sr_init(&cmd, qb, "req", 3, out, 11);
	test_err_sr(EMSGSIZE, true, qa, &cmd);
	ASSERT_EQ(12U, cmd.out_len);
	ASSERT_EQ(0U, cmd.out_prio);
	ASSERT_EQ(1ULL, test_nl_sends(ida));
	ASSERT_EQ(1U, test_mq_depth(qa));
	ASSERT_EQ(1U, test_mq_depth(qb));
	test_ioctl_mq_recv(qb, out, sizeof(out), 12, 5);
	ASSERT_EQ(0, memcmp(out, "a long reply", 12));
	test_ioctl_mq_recv(qa, out, sizeof(out), 3, 0);
	close(qa);
	close(qb);
}

/* A receive buffer that cannot be written: EFAULT, sent, reply kept. */
TEST_F(sr, recv_efault)
{
	struct kipc_mq_sendrecv cmd;
	char *page, out[MSG];
	__u64 ida;
	int qa, qb;

	page = kipc_guarded_page();
	ASSERT_NE(NULL, page);
	qa = test_mq_create(self->a, 4, MSG);
	qb = test_mq_create(self->b, 4, MSG);
	ida = test_obj_id(qa);
	test_ioctl_mq_send(qb, "first", 5, 3);
	test_ioctl_mq_send(qb, "second", 6, 3);

	sr_init(&cmd, qb, "r1", 2, page + 4096, MSG);
	test_err_sr(EFAULT, true, qa, &cmd);
	sr_init(&cmd, qb, "r2", 2, page + 4094, MSG);
	test_err_sr(EFAULT, true, qa, &cmd);
	ASSERT_EQ(0, mprotect(page, 4096, PROT_READ));
	sr_init(&cmd, qb, "r3", 2, page, MSG);
	test_err_sr(EFAULT, true, qa, &cmd);

	ASSERT_EQ(3ULL, test_nl_sends(ida));
	ASSERT_EQ(3U, test_mq_depth(qa));
	/* The replies are still there, in order. */
	ASSERT_EQ(2U, test_mq_depth(qb));
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, test_obj_id(qb),
				   KIPC_A_OBJ_MQ_RECVS));
	test_ioctl_mq_recv(qb, out, sizeof(out), 5, 3);
	ASSERT_EQ(0, memcmp(out, "first", 5));
	test_ioctl_mq_recv(qb, out, sizeof(out), 6, 3);
	munmap(page, 8192);
	close(qa);
	close(qb);
}

/*
 * No reply by the deadline: ETIMEDOUT with the send done, the request in A
 * exactly once, and the call took the deadline's time, not less.
 */
TEST_F(sr, timeout_after_send)
{
	static const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME };
	struct kipc_mq_sendrecv cmd;
	char out[MSG];
	unsigned int i;
	__u64 ida, t1;
	int qa, qb;

	qa = test_mq_create(self->a, 4, MSG);
	qb = test_mq_create(self->b, 4, MSG);
	ida = test_obj_id(qa);
	for (i = 0; i < ARRAY_SIZE(clocks); i++) {
		sr_init(&cmd, qb, "req", 3, out, sizeof(out));
		sr_deadline(&cmd, clocks[i], kipc_now_ns(clocks[i]) + 100 * MS);
		test_err_sr(ETIMEDOUT, true, qa, &cmd);
		t1 = kipc_now_ns(clocks[i]);
		ASSERT_LE(cmd.deadline, t1);
		ASSERT_GT(cmd.deadline + 10 * NS, t1);
		ASSERT_EQ(i + 1ULL, test_nl_sends(ida));
		ASSERT_EQ(i + 1, test_mq_depth(qa));
	}
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, test_obj_id(qb),
				   KIPC_A_OBJ_MQ_WAIT_RECV));
	close(qa);
	close(qb);
}

/*
 * A deadline that passed before the call: a send that need not wait still
 * goes (as SEND's does), then the receive gives up at once unless a reply
 * is already there. A send that would have to wait does not go.
 */
TEST_F(sr, deadline_already_passed)
{
	struct kipc_mq_sendrecv cmd;
	char out[MSG];
	__u64 ida, t0;
	int qa, qb;

	qa = test_mq_create(self->a, 2, MSG);
	qb = test_mq_create(self->b, 2, MSG);
	ida = test_obj_id(qa);

	sr_init(&cmd, qb, "req", 3, out, sizeof(out));
	sr_deadline(&cmd, CLOCK_MONOTONIC, kipc_now_ns(CLOCK_MONOTONIC) - MS);
	t0 = kipc_now_ns(CLOCK_MONOTONIC);
	test_err_sr(ETIMEDOUT, true, qa, &cmd);
	ASSERT_GT(t0 + 1 * NS, kipc_now_ns(CLOCK_MONOTONIC));
	ASSERT_EQ(1U, test_mq_depth(qa));

	/* A reply already queued needs no waiting: success. */
	test_ioctl_mq_send(qb, "ready", 5, 0);
	sr_init(&cmd, qb, "req", 3, out, sizeof(out));
	sr_deadline(&cmd, CLOCK_REALTIME, 1);
	test_ioctl_sr(qa, &cmd, 5);
	ASSERT_EQ(2U, test_mq_depth(qa));

	/* A is full: the send would wait, so it does not happen. */
	sr_init(&cmd, qb, "req", 3, out, sizeof(out));
	sr_deadline(&cmd, CLOCK_MONOTONIC, 0);
	test_err_sr(ETIMEDOUT, false, qa, &cmd);
	ASSERT_EQ(2ULL, test_nl_sends(ida));
	close(qa);
	close(qb);
}

/* KIPC_WAIT_NONBLOCK applies to both halves. */
TEST_F(sr, nonblock_flag)
{
	struct kipc_mq_sendrecv cmd;
	char out[MSG];
	__u64 ida;
	int qa, qb;

	qa = test_mq_create(self->a, 1, MSG);
	qb = test_mq_create(self->b, 1, MSG);
	ida = test_obj_id(qa);

	sr_init(&cmd, qb, "req", 3, out, sizeof(out));
	cmd.flags = KIPC_WAIT_NONBLOCK;
	test_err_sr(EAGAIN, true, qa, &cmd);
	ASSERT_EQ(1U, test_mq_depth(qa));
	/* Now A is full. */
	sr_init(&cmd, qb, "req2", 4, out, sizeof(out));
	cmd.flags = KIPC_WAIT_NONBLOCK;
	test_err_sr(EAGAIN, false, qa, &cmd);
	ASSERT_EQ(1ULL, test_nl_sends(ida));
	close(qa);
	close(qb);
}

/*
 * O_NONBLOCK belongs to an fd, and each half looks only at its own: a
 * server can answer through a non-blocking fd (never stuck on a client
 * that stopped reading) and still wait for the next request.
 */
TEST_F(sr, nonblock_fd_per_half)
{
	struct kipc_mq_sendrecv cmd;
	int qa, qb, nba, nbb;
	char out[MSG];
	__u64 ida, t0;

	qa = test_mq_create(self->a, 1, MSG);
	qb = test_mq_create(self->b, 1, MSG);
	ida = test_obj_id(qa);
	nba = test_mq_open(self->a, KIPC_OPEN_WRITE | KIPC_OPEN_NONBLOCK);
	nbb = test_mq_open(self->b, KIPC_OPEN_READ | KIPC_OPEN_NONBLOCK);

	/* Send through a non-blocking fd, receive through a blocking one. */
	sr_init(&cmd, qb, "req", 3, out, sizeof(out));
	sr_deadline(&cmd, CLOCK_MONOTONIC, kipc_now_ns(CLOCK_MONOTONIC) +
					     100 * MS);
	test_err_sr(ETIMEDOUT, true, nba, &cmd);
	ASSERT_LE(cmd.deadline, kipc_now_ns(CLOCK_MONOTONIC));
	/* A is full, and the send half does not wait for room. */
	t0 = kipc_now_ns(CLOCK_MONOTONIC);
	sr_init(&cmd, qb, "req", 3, out, sizeof(out));
	sr_deadline(&cmd, CLOCK_MONOTONIC, t0 + 60 * NS);
	test_err_sr(EAGAIN, false, nba, &cmd);
	ASSERT_GT(t0 + 10 * NS, kipc_now_ns(CLOCK_MONOTONIC));
	test_ioctl_mq_recv(qa, out, sizeof(out), 3, 0);

	/* Send through a blocking fd, receive through a non-blocking one. */
	sr_init(&cmd, nbb, "req", 3, out, sizeof(out));
	sr_deadline(&cmd, CLOCK_MONOTONIC, t0 + 60 * NS);
	test_err_sr(EAGAIN, true, qa, &cmd);
	ASSERT_GT(t0 + 10 * NS, kipc_now_ns(CLOCK_MONOTONIC));
	ASSERT_EQ(2ULL, test_nl_sends(ida));
	ASSERT_EQ(1U, test_mq_depth(qa));
	close(nba);
	close(nbb);
	close(qa);
	close(qb);
}

/* --- signals ----------------------------------------------------------- */

/*
 * A signal while waiting for the reply: EINTR with the send done, even
 * though the handler has SA_RESTART, because a restart would send the
 * request again. The request is in A once.
 */
TEST_F(sr, eintr_after_send)
{
	static const int modes[] = { KIPC_SIG_RESTART, KIPC_SIG_NO_RESTART };
	struct kipc_mq_sendrecv cmd;
	struct sr_result r;
	struct kipc_child ch;
	__u64 ida, idb;
	unsigned int i;
	int qa, qb;

	qa = test_mq_create(self->a, 4, MSG);
	qb = test_mq_create(self->b, 4, MSG);
	ida = test_obj_id(qa);
	idb = test_obj_id(qb);
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		sr_init(&cmd, qb, "request", 7, NULL, 0);
		test_sr_start(qa, &cmd, modes[i], &ch);
		test_blocked(idb, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
		ASSERT_EQ(0, kill(ch.pid, SIGUSR1));
		test_call_signalled(&ch);
		test_call_result(&ch, &r);
		ASSERT_EQ(-1, r.ret);
		ASSERT_EQ(EINTR, r.err);
		ASSERT_EQ(KIPC_SENDRECV_SENT, r.out_flags);
		ASSERT_EQ(i + 1ULL, test_nl_sends(ida));
		ASSERT_EQ(i + 1, test_mq_depth(qa));
		ASSERT_EQ(0ULL, test_nl_mq(&self->nl, idb,
					   KIPC_A_OBJ_MQ_WAIT_RECV));
	}
	close(qa);
	close(qb);
}

/*
 * A signal while the send half waits for room: with SA_RESTART the call
 * restarts, as SEND would, since nothing was sent; it then completes once
 * room and a reply come, and the request went exactly once.
 */
TEST_F(sr, restart_in_send)
{
	struct kipc_mq_sendrecv cmd;
	struct sr_result r;
	struct kipc_child ch;
	char out[MSG];
	__u64 ida;
	int qa, qb;

	qa = test_mq_create(self->a, 1, MSG);
	qb = test_mq_create(self->b, 1, MSG);
	ida = test_obj_id(qa);
	test_ioctl_mq_send(qa, "full", 4, 0);

	sr_init(&cmd, qb, "request", 7, NULL, 0);
	test_sr_start(qa, &cmd, KIPC_SIG_RESTART, &ch);
	test_blocked(ida, KIPC_A_OBJ_MQ_WAIT_SEND, 1);
	ASSERT_EQ(0, kill(ch.pid, SIGUSR1));
	test_call_signalled(&ch);
	/* Back in the kernel, still waiting for room. */
	test_blocked(ida, KIPC_A_OBJ_MQ_WAIT_SEND, 1);
	ASSERT_EQ(1ULL, test_nl_sends(ida));

	test_ioctl_mq_recv(qa, out, sizeof(out), 4, 0);
	test_ioctl_mq_recv(qa, out, sizeof(out), 7, 0);
	ASSERT_EQ(0, memcmp(out, "request", 7));
	test_ioctl_mq_send(qb, "reply", 5, 2);
	test_call_result(&ch, &r);
	ASSERT_EQ(5, r.ret);
	ASSERT_EQ(KIPC_SENDRECV_SENT, r.out_flags);
	ASSERT_EQ(2U, r.out_prio);
	ASSERT_EQ(0, memcmp(r.data, "reply", 5));
	ASSERT_EQ(2ULL, test_nl_sends(ida));
	ASSERT_EQ(0U, test_mq_depth(qa));
	close(qa);
	close(qb);
}

/* Without SA_RESTART, a signal in the send half: EINTR, nothing sent. */
TEST_F(sr, eintr_in_send)
{
	struct kipc_mq_sendrecv cmd;
	struct sr_result r;
	struct kipc_child ch;
	__u64 ida;
	int qa, qb;

	qa = test_mq_create(self->a, 1, MSG);
	qb = test_mq_create(self->b, 1, MSG);
	ida = test_obj_id(qa);
	test_ioctl_mq_send(qa, "full", 4, 0);

	sr_init(&cmd, qb, "request", 7, NULL, 0);
	test_sr_start(qa, &cmd, KIPC_SIG_NO_RESTART, &ch);
	test_blocked(ida, KIPC_A_OBJ_MQ_WAIT_SEND, 1);
	ASSERT_EQ(0, kill(ch.pid, SIGUSR1));
	test_call_result(&ch, &r);
	ASSERT_EQ(-1, r.ret);
	ASSERT_EQ(EINTR, r.err);
	ASSERT_EQ(0U, r.out_flags);
	ASSERT_EQ(1ULL, test_nl_sends(ida));
	ASSERT_EQ(1U, test_mq_depth(qa));
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, ida, KIPC_A_OBJ_MQ_WAIT_SEND));
	close(qa);
	close(qb);
}

/* A caller killed while it waits for its reply leaves nothing behind. */
TEST_F(sr, killed_waiting)
{
	struct kipc_mq_sendrecv cmd;
	struct kipc_child ch;
	char out[MSG];
	__u64 idb;
	int qa, qb;

	qa = test_mq_create(self->a, 2, MSG);
	qb = test_mq_create(self->b, 2, MSG);
	idb = test_obj_id(qb);
	sr_init(&cmd, qb, "request", 7, NULL, 0);
	test_sr_start(qa, &cmd, KIPC_SIG_DEFAULT, &ch);
	test_blocked(idb, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	test_call_kill(&ch);
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, idb, KIPC_A_OBJ_MQ_WAIT_RECV));
	/* A reply now waits for the next receiver. */
	test_ioctl_mq_send(qb, "late", 4, 0);
	ASSERT_EQ(1U, test_mq_depth(qb));
	test_ioctl_mq_recv(qa, out, sizeof(out), 7, 0);
	test_ioctl_mq_recv(qb, out, sizeof(out), 4, 0);
	close(qa);
	close(qb);
}

/* --- removal ----------------------------------------------------------- */

/* B removed while the caller waits on it: EIDRM, and the request went. */
TEST_F(sr, eidrm_reply_queue)
{
	struct kipc_mq_sendrecv cmd;
	struct sr_result r;
	struct kipc_child ch;
	__u64 ida, idb;
	int qa, qb;

	qa = test_mq_create(self->a, 2, MSG);
	qb = test_mq_create(self->b, 2, MSG);
	ida = test_obj_id(qa);
	idb = test_obj_id(qb);
	sr_init(&cmd, qb, "request", 7, NULL, 0);
	test_sr_start(qa, &cmd, KIPC_SIG_DEFAULT, &ch);
	test_blocked(idb, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	test_nl_obj_remove(&self->nl, idb);
	test_call_result(&ch, &r);
	ASSERT_EQ(-1, r.ret);
	ASSERT_EQ(EIDRM, r.err);
	ASSERT_EQ(KIPC_SENDRECV_SENT, r.out_flags);
	ASSERT_EQ(1ULL, test_nl_sends(ida));
	ASSERT_EQ(1U, test_mq_depth(qa));

	/* Later calls still send, then find B removed. */
	sr_init(&cmd, qb, "again", 5, NULL, 0);
	test_err_sr(EIDRM, true, qa, &cmd);
	ASSERT_EQ(2U, test_mq_depth(qa));
	close(qa);
	close(qb);
}

/* A removed while the caller waits for room in it: EIDRM, not sent. */
TEST_F(sr, eidrm_request_queue)
{
	struct kipc_mq_sendrecv cmd;
	struct sr_result r;
	struct kipc_child ch;
	__u64 ida, idb;
	int qa, qb;

	qa = test_mq_create(self->a, 1, MSG);
	qb = test_mq_create(self->b, 1, MSG);
	ida = test_obj_id(qa);
	idb = test_obj_id(qb);
	test_ioctl_mq_send(qa, "full", 4, 0);
	test_ioctl_mq_send(qb, "reply", 5, 0);
	sr_init(&cmd, qb, "request", 7, NULL, 0);
	test_sr_start(qa, &cmd, KIPC_SIG_DEFAULT, &ch);
	test_blocked(ida, KIPC_A_OBJ_MQ_WAIT_SEND, 1);
	test_nl_obj_remove(&self->nl, ida);
	test_call_result(&ch, &r);
	ASSERT_EQ(-1, r.ret);
	ASSERT_EQ(EIDRM, r.err);
	ASSERT_EQ(0U, r.out_flags);
	ASSERT_EQ(1ULL, test_nl_sends(ida));
	/* The reply was not taken. */
	ASSERT_EQ(1U, test_mq_depth(qb));
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, idb, KIPC_A_OBJ_MQ_RECVS));

	/* And a removed A refuses at once. */
	sr_init(&cmd, qb, "again", 5, NULL, 0);
	test_err_sr(EIDRM, false, qa, &cmd);
	ASSERT_EQ(1U, test_mq_depth(qb));
	close(qa);
	close(qb);
}

/* --- the fast path ----------------------------------------------------- */

/*
 * Hand-off in both directions: a server blocked receiving on A gets the
 * request without it ever being queued, and a client already waiting on B
 * gets the reply the same way. Neither queue's high-water mark moves.
 */
TEST_F(sr, direct_handoff)
{
	struct kipc_mq_sendrecv cmd;
	struct kipc_call c = { .op = KIPC_CALL_RECV, .msg[0].len = MSG };
	struct kipc_call_result cr;
	struct kipc_child server;
	struct sr_result r;
	struct kipc_child client;
	__u64 ida, idb;
	int qa, qb;

	qa = test_mq_create(self->a, 2, MSG);
	qb = test_mq_create(self->b, 2, MSG);
	ida = test_obj_id(qa);
	idb = test_obj_id(qb);

	/* The server waits on A first. */
	test_call_start(qa, &c, KIPC_SIG_DEFAULT, &server);
	test_blocked(ida, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	sr_init(&cmd, qb, "request", 7, NULL, 0);
	cmd.send_prio = 3;
	test_sr_start(qa, &cmd, KIPC_SIG_DEFAULT, &client);
	test_call_result(&server, &cr);
	ASSERT_EQ(7, cr.ret);
	ASSERT_EQ(3U, cr.msg[0].prio);
	ASSERT_EQ(0, memcmp(cr.msg[0].data, "request", 7));

	/* The client waits on B; the reply goes straight to it. */
	test_blocked(idb, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	test_ioctl_mq_send(qb, "reply", 5, 4);
	test_call_result(&client, &r);
	ASSERT_EQ(5, r.ret);
	ASSERT_EQ(4U, r.out_prio);
	ASSERT_EQ(0, memcmp(r.data, "reply", 5));

	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, ida, KIPC_A_OBJ_MQ_HWM));
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, idb, KIPC_A_OBJ_MQ_HWM));
	ASSERT_EQ(1ULL, test_nl_sends(ida));
	ASSERT_EQ(1ULL, test_nl_mq(&self->nl, ida, KIPC_A_OBJ_MQ_RECVS));
	ASSERT_EQ(1ULL, test_nl_sends(idb));
	ASSERT_EQ(1ULL, test_nl_mq(&self->nl, idb, KIPC_A_OBJ_MQ_RECVS));
	close(qa);
	close(qb);
}

/*
 * A receiver waiting on A whose buffer is too small for the request does
 * not get it; the request is queued, and the call goes on to B.
 */
TEST_F(sr, handoff_too_small)
{
	struct kipc_call c = { .op = KIPC_CALL_RECV, .msg[0].len = 2 };
	struct kipc_mq_sendrecv cmd;
	struct kipc_call_result cr;
	struct kipc_child server;
	char out[MSG];
	__u64 ida;
	int qa, qb;

	qa = test_mq_create(self->a, 2, MSG);
	qb = test_mq_create(self->b, 2, MSG);
	ida = test_obj_id(qa);
	test_call_start(qa, &c, KIPC_SIG_DEFAULT, &server);
	test_blocked(ida, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	test_ioctl_mq_send(qb, "reply", 5, 0);
	sr_init(&cmd, qb, "request", 7, out, sizeof(out));
	test_ioctl_sr(qa, &cmd, 5);
	test_call_result(&server, &cr);
	ASSERT_EQ(-1, cr.ret);
	ASSERT_EQ(EMSGSIZE, cr.err);
	ASSERT_EQ(7U, cr.msg[0].len);
	ASSERT_EQ(1U, test_mq_depth(qa));
	test_ioctl_mq_recv(qa, out, sizeof(out), 7, 0);
	close(qa);
	close(qb);
}

TEST_HARNESS_MAIN
