// SPDX-License-Identifier: GPL-2.0-only
/*
 * The request/reply layer of libkipc: kipc_rpc_client_open(),
 * kipc_rpc_call(), kipc_rpc_serve() and the wire format between them.
 *
 * The server runs in a child. Its handler speaks a small test protocol
 * (struct rpc_msg) whose payloads carry the client, a sequence number and
 * a checksum, so that every reply is matched to its call. Where a test
 * needs the handler to hold a call, the handler blocks on a pipe (the
 * gate) after telling the parent, on another pipe, that it got there.
 *
 * System calls are counted, not estimated: this program defines ioctl(),
 * which libkipc's calls bind to ahead of the C library's, and counts every
 * kipc ioctl by command. The queues' netlink counters say the same from the
 * kernel's side: a call is one message each way, never retried.
 */
#include <stdarg.h>

#include "kipc_test.h"
#include "kipc-rpc.h"

#define NS		1000000000ULL
#define MS		1000000ULL
#define MSGSIZE		1024

/* --- counting ioctls ----------------------------------------------------- */

static unsigned long kipc_ioctls[128];

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (_IOC_TYPE(request) == KIPC_TYPE && _IOC_NR(request) < 128)
		__atomic_add_fetch(&kipc_ioctls[_IOC_NR(request)], 1,
				   __ATOMIC_RELAXED);
	return syscall(SYS_ioctl, fd, request, arg);
}

#define NR(_cmd)	(_IOC_NR(_cmd))
#define ioctls(_cmd)	kipc_ioctls[NR(_cmd)]

static void ioctls_reset(void)
{
	memset(kipc_ioctls, 0, sizeof(kipc_ioctls));
}

/* --- the test protocol --------------------------------------------------- */

enum {
	OP_ECHO = 1,	/* reply: the header, and the data inverted */
	OP_GATE,	/* as ECHO, once the parent opens the gate */
	OP_STOP,	/* the handler returns -ECANCELED */
	OP_FAIL,	/* the handler returns @arg */
	OP_OVERRUN,	/* the handler claims more than reply_size */
	OP_FILL,	/* reply: reply_size bytes of 'f' */
};

struct rpc_msg {
	uint32_t op;
	uint32_t client;
	uint32_t seq;
	uint32_t len;	/* bytes of @data */
	uint32_t sum;	/* of @data */
	int32_t arg;
	char data[];
};

static uint32_t rpc_sum(const char *p, size_t len)
{
	uint32_t h = 2166136261U;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619U;
	return h;
}

/**
 * struct srv - a server child
 * @pid: its pid
 * @res: read end: a struct srv_result when kipc_rpc_serve() returned
 * @gate: write end: one byte lets one OP_GATE call through
 * @entered: read end: one byte each time the handler enters OP_GATE
 * @sig: with SRV_SIGUSR1, read end: one byte each time SIGUSR1 is handled
 */
struct srv {
	pid_t pid;
	int res;
	int gate;
	int entered;
	int sig;
};

struct srv_result {
	int ret;		/* the last kipc_rpc_serve() */
	int eintr;		/* how many returned -EINTR before it */
	unsigned long handled;	/* handler calls */
	unsigned long ioctls[128];
};

struct srv_ctx {
	int gate;
	int entered;
	unsigned long handled;
};

static ssize_t rpc_handler(void *arg, const void *req, size_t req_len,
			   void *reply, size_t reply_size)
{
	const struct rpc_msg *in = req;
	struct rpc_msg *out = reply;
	struct srv_ctx *ctx = arg;
	uint32_t i;
	char c = 0;

	ctx->handled++;
	/* The payload arrives 8-byte aligned, so this cast is fine. */
	if ((uintptr_t)req % 8 || (uintptr_t)reply % 8)
		return -EFAULT;
	if (req_len < sizeof(*in) || in->len != req_len - sizeof(*in) ||
	    rpc_sum(in->data, in->len) != in->sum)
		return -EBADMSG;
	switch (in->op) {
	case OP_GATE:
		if (write(ctx->entered, &c, 1) != 1 ||
		    read(ctx->gate, &c, 1) != 1)
			return -EPIPE;
		/* fall through */
	case OP_ECHO:
		if (reply_size < req_len)
			return -ENOSPC;
		*out = *in;
		for (i = 0; i < in->len; i++)
			out->data[i] = ~in->data[i];
		out->sum = rpc_sum(out->data, out->len);
		return req_len;
	case OP_STOP:
		return -ECANCELED;
	case OP_FAIL:
		return in->arg;
	case OP_OVERRUN:
		return reply_size + 1;
	case OP_FILL:
		memset(reply, 'f', reply_size);
		return reply_size;
	}
	return -EPROTO;
}

/* How srv_start() sets the server up. */
enum {
	SRV_SIGUSR1 = 1 << 0,	/* SIGUSR1 has a handler without SA_RESTART */
	SRV_UID1 = 1 << 1,	/* the server runs as KIPC_UID1 */
};

/*
 * Start a server on the service queue @name, set up as @flags say. A
 * server that returns -EINTR is started again, as a real one would be.
 */
static void srv_start(struct __test_metadata *_metadata, const char *name,
		      unsigned int flags, struct srv *s)
{
	int res[2], gate[2], entered[2], sig[2] = { -1, -1 };
	pid_t parent = getpid();

	if (flags & SRV_SIGUSR1)
		ASSERT_EQ(0, pipe2(sig, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(res, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(entered, O_CLOEXEC));
	s->pid = test_fork();
	if (s->pid == 0) {
		struct srv_ctx ctx = { .gate = gate[0], .entered = entered[1] };
		struct sigaction sa = { .sa_handler = kipc_on_signal };
		struct srv_result r;
		int fd;

		memset(&r, 0, sizeof(r));
		if (flags & SRV_UID1) {
			test_become(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
			/* New credentials cleared the death signal. */
			ASSERT_EQ(0, prctl(PR_SET_PDEATHSIG, SIGKILL));
			if (getppid() != parent)
				_exit(1);
		}
		if (flags & SRV_SIGUSR1) {
			close(sig[0]);
			kipc_sig_fd = sig[1];
			sigemptyset(&sa.sa_mask);
			ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
		}
		fd = kipc_mq_open(name, KIPC_OPEN_READ | KIPC_OPEN_CLOEXEC, 0,
				  0, 0);
		ASSERT_LE(0, fd);
		ioctls_reset();
		while ((r.ret = kipc_rpc_serve(fd, rpc_handler, &ctx)) ==
		       -EINTR)
			r.eintr++;
		r.handled = ctx.handled;
		memcpy(r.ioctls, kipc_ioctls, sizeof(r.ioctls));
		ASSERT_EQ((ssize_t)sizeof(r), write(res[1], &r, sizeof(r)));
		_exit(0);
	}
	close(res[1]);
	close(gate[0]);
	close(entered[1]);
	if (sig[1] >= 0)
		close(sig[1]);
	s->res = res[0];
	s->gate = gate[1];
	s->entered = entered[0];
	s->sig = sig[0];
}
#define test_srv_start(_name, _s) srv_start(_metadata, _name, 0, _s)

/* The server's result, once kipc_rpc_serve() returned for good. */
#define test_srv_result(_s, _r)						\
	do {								\
		ASSERT_EQ((ssize_t)sizeof(*(_r)),			\
			  read((_s)->res, _r, sizeof(*(_r))));		\
		test_wait_child((_s)->pid);				\
		close((_s)->res);					\
		close((_s)->gate);					\
		close((_s)->entered);					\
		if ((_s)->sig >= 0)					\
			close((_s)->sig);				\
	} while (0)

/* The server's handler has entered an OP_GATE call. */
#define test_srv_entered(_s)						\
	({								\
		char __c;						\
		ASSERT_EQ(1, read((_s)->entered, &__c, 1));		\
	})
#define test_srv_open_gate(_s)						\
	({								\
		char __c = 'g';						\
		ASSERT_EQ(1, write((_s)->gate, &__c, 1));		\
	})

/* Fill @buf with a request; returns its length. */
static size_t rpc_req(void *buf, uint32_t op, uint32_t client, uint32_t seq,
		      uint32_t len, int32_t arg)
{
	struct rpc_msg *m = buf;

	m->op = op;
	m->client = client;
	m->seq = seq;
	m->len = len;
	m->arg = arg;
	kipc_fill(m->data, len, client * 65536 + seq);
	m->sum = rpc_sum(m->data, len);
	return sizeof(*m) + len;
}

/*
 * An OP_ECHO (or OP_GATE) call of @len data bytes, and every byte of its
 * reply checked. Returns what kipc_rpc_call() returned.
 */
static ssize_t rpc_echo(struct __test_metadata *_metadata,
			struct kipc_rpc_client *c, uint32_t op,
			uint32_t client, uint32_t seq, uint32_t len,
			const struct timespec *deadline)
{
	_Alignas(8) char req[MSGSIZE], rep[MSGSIZE];
	const struct rpc_msg *out = (const void *)rep;
	size_t n = rpc_req(req, op, client, seq, len, 0);
	ssize_t ret;
	uint32_t i;

	ret = kipc_rpc_call(c, req, n, rep, sizeof(rep), deadline);
	if (ret < 0)
		return ret;
	EXPECT_EQ((ssize_t)n, ret);
	EXPECT_EQ(client, out->client);
	EXPECT_EQ(seq, out->seq);
	EXPECT_EQ(len, out->len);
	EXPECT_EQ(rpc_sum(out->data, len), out->sum);
	for (i = 0; i < len; i++)
		if (out->data[i] != (char)~kipc_pattern(client * 65536 + seq,
							i))
			break;
	EXPECT_EQ(len, i) TH_LOG("client %u seq %u: byte %u", client, seq, i);
	return ret;
}
#define test_echo(_c, _client, _seq, _len)				\
	ASSERT_EQ((ssize_t)(sizeof(struct rpc_msg) + (_len)),		\
		  rpc_echo(_metadata, _c, OP_ECHO, _client, _seq, _len, NULL))

/* A call of @op; returns what kipc_rpc_call() returned. */
static ssize_t rpc_op(struct kipc_rpc_client *c, uint32_t op, int32_t arg)
{
	_Alignas(8) char req[MSGSIZE], rep[MSGSIZE];
	size_t n = rpc_req(req, op, 0, 0, 0, arg);

	return kipc_rpc_call(c, req, n, rep, sizeof(rep), NULL);
}

/* Stop the server with OP_STOP through @c, and check it returned 0. */
#define test_srv_stop(_c, _s, _r)					\
	do {								\
		ASSERT_EQ(-ECANCELED, rpc_op(_c, OP_STOP, 0));		\
		test_srv_result(_s, _r);				\
		ASSERT_EQ(0, (_r)->ret);				\
	} while (0)

static struct timespec deadline_in(__u64 ns)
{
	__u64 t = kipc_now_ns(CLOCK_MONOTONIC) + ns;
	struct timespec ts = { .tv_sec = t / NS, .tv_nsec = t % NS };

	return ts;
}

/* A raw request as kipc_rpc_call() would send it; returns its length. */
static size_t raw_request(char *buf, uint8_t type, uint64_t id,
			  const char *name, uint64_t queue_id,
			  const void *payload, size_t len)
{
	struct kipc_rpc_hdr *h = (void *)buf;
	struct kipc_rpc_reply_to *rt = (void *)(buf + sizeof(*h));
	size_t off = KIPC_RPC_CALL_HDR_SIZE(strlen(name));

	memset(buf, 0, off);
	h->magic = KIPC_RPC_MAGIC;
	h->version = KIPC_RPC_VERSION;
	h->type = type;
	h->reply_to_len = strlen(name);
	h->id = id;
	rt->queue_id = queue_id;
	memcpy(rt->name, name, strlen(name));
	memcpy(buf + off, payload, len);
	return off + len;
}

/*
 * Send @len bytes of @raw to @svc with a reply-to of @rq (open for
 * reading), as kipc_rpc_call() sends, without waiting for anything.
 */
static int raw_call(int svc, int rq, const void *raw, size_t len)
{
	struct kipc_mq_sendrecv cmd = {
		.size = sizeof(cmd),
		.flags = KIPC_SEND_REPLYTO | KIPC_WAIT_NONBLOCK,
		.recv_fd = rq,
		.send_buf = (uintptr_t)raw,
		.send_len = len,
	};

	/*
	 * No room to receive: EAGAIN, or EMSGSIZE leaving a reply queued;
	 * or end-of-file on a KIPC_MQ_HUP reply queue when the server has
	 * dropped the request already.
	 */
	for (;;) {
		if (syscall(SYS_ioctl, svc, KIPC_IOC_MQ_SENDRECV, &cmd) < 0 &&
		    (errno == EAGAIN || errno == EMSGSIZE ||
		     errno == ENODATA) &&
		    cmd.out_flags == KIPC_SENDRECV_SENT)
			return 0;
		/* The service queue is full: the server is behind. */
		if (errno != EAGAIN || cmd.out_flags)
			return -1;
		usleep(1000);
	}
}

/* A raw reply; returns its length. */
static size_t raw_reply(char *buf, uint8_t type, uint64_t id,
			const void *payload, size_t len)
{
	struct kipc_rpc_hdr *h = (void *)buf;

	memset(h, 0, sizeof(*h));
	h->magic = KIPC_RPC_MAGIC;
	h->version = KIPC_RPC_VERSION;
	h->type = type;
	h->id = id;
	memcpy(buf + sizeof(*h), payload, len);
	return sizeof(*h) + len;
}

FIXTURE(rpc) {
	int fd;
	struct kipc_nl nl;
	char name[KIPC_NAME_MAX + 1];
	int svc;		/* the service queue, read and write */
	__u64 svc_id;
};

FIXTURE_SETUP(rpc)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->name, "svc");
	umask(0);
	self->svc = kipc_mq_open(self->name, KIPC_NEW | KIPC_OPEN_CLOEXEC,
				 0666, 8, MSGSIZE);
	ASSERT_LE(0, self->svc);
	self->svc_id = test_obj_id(self->svc);
}

FIXTURE_TEARDOWN(rpc)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	close(self->svc);
	close(self->nl.fd);
	close(self->fd);
}

#define test_client(_c)							\
	ASSERT_EQ(0, kipc_rpc_client_open(self->name, NULL, _c))
#define test_nl_q(_id, _attr) test_nl_mq(&self->nl, _id, _attr)

/* --- calls and replies --------------------------------------------------- */

/* Calls of every size from nothing to the largest that fits. */
TEST_F(rpc, round_trip)
{
	_Alignas(8) char req[MSGSIZE], rep[MSGSIZE];
	struct kipc_rpc_client *c;
	struct srv_result r;
	size_t max, room;
	struct srv s;
	uint32_t len;

	test_srv_start(self->name, &s);
	test_client(&c);
	max = MSGSIZE -
	      KIPC_RPC_CALL_HDR_SIZE(strlen(kipc_rpc_client_name(c))) -
	      sizeof(struct rpc_msg);
	for (len = 0; len <= max; len += len < 16 ? 1 : 61)
		test_echo(c, 1, len, len);
	test_echo(c, 1, 9999, max);

	/* The biggest reply there is: the queue's max_msgsize less 16. */
	room = MSGSIZE - KIPC_RPC_REPLY_HDR_SIZE;
	rpc_req(req, OP_FILL, 0, 0, 0, 0);
	ASSERT_EQ((ssize_t)room, kipc_rpc_call(c, req, sizeof(struct rpc_msg),
					       rep, sizeof(rep), NULL));
	ASSERT_EQ('f', rep[0]);
	ASSERT_EQ('f', rep[room - 1]);
	/* A buffer one byte short: the reply does not fit. */
	ASSERT_EQ(-EMSGSIZE, kipc_rpc_call(c, req, sizeof(struct rpc_msg),
					   rep, room - 1, NULL));
	/* The client goes on. */
	test_echo(c, 1, 10000, 3);

	test_srv_stop(c, &s, &r);
	kipc_rpc_client_close(c);
}

/*
 * One system call per request on each side, counted: the server answers
 * and takes the next request in one KIPC_IOC_MQ_SENDRECV, and a call is
 * one KIPC_IOC_MQ_SENDRECV. Both queues moved exactly one message per call.
 */
TEST_F(rpc, one_syscall_per_request)
{
	const unsigned int n = 500;
	struct kipc_rpc_client *c;
	struct srv_result r;
	struct kipc_info info;
	unsigned int i;
	struct srv s;
	__u64 rid;

	test_srv_start(self->name, &s);
	test_client(&c);
	ASSERT_EQ(0, kipc_info(kipc_rpc_client_reply_fd(c), &info));
	rid = info.out_id;
	ioctls_reset();
	for (i = 0; i < n; i++)
		test_echo(c, 2, i, i % 200);
	ASSERT_EQ(-ECANCELED, rpc_op(c, OP_STOP, 0));
	test_srv_result(&s, &r);
	ASSERT_EQ(0, r.ret);

	/* The client: one call, one ioctl. */
	ASSERT_EQ(n + 1UL, ioctls(KIPC_IOC_MQ_SENDRECV));
	ASSERT_EQ(0UL, ioctls(KIPC_IOC_MQ_RECV));
	ASSERT_EQ(0UL, ioctls(KIPC_IOC_MQ_SEND));

	/*
	 * The server: the attributes and the first request, one ioctl per
	 * request, and the answer to the stop, which waits for nothing
	 * more. It opens nothing: the kernel hands it each reply-to.
	 */
	ASSERT_EQ(n + 1, r.handled);
	ASSERT_EQ(1UL, r.ioctls[NR(KIPC_IOC_MQ_GETATTR)]);
	ASSERT_EQ(1UL, r.ioctls[NR(KIPC_IOC_MQ_RECV)]);
	ASSERT_EQ(0UL, r.ioctls[NR(KIPC_IOC_OPEN)]);
	ASSERT_EQ((unsigned long)n, r.ioctls[NR(KIPC_IOC_MQ_SENDRECV)]);
	ASSERT_EQ(1UL, r.ioctls[NR(KIPC_IOC_MQ_SEND)]);
	for (i = 0; i < 128; i++)
		if (i != NR(KIPC_IOC_MQ_GETATTR) && i != NR(KIPC_IOC_MQ_RECV) &&
		    i != NR(KIPC_IOC_OPEN) && i != NR(KIPC_IOC_MQ_SENDRECV) &&
		    i != NR(KIPC_IOC_MQ_SEND))
			ASSERT_EQ(0UL, r.ioctls[i]) TH_LOG("ioctl nr %u", i);

	/* The kernel saw one message each way per call, no retries. */
	ASSERT_EQ(n + 1ULL, test_nl_q(self->svc_id, KIPC_A_OBJ_MQ_SENDS));
	ASSERT_EQ(n + 1ULL, test_nl_q(self->svc_id, KIPC_A_OBJ_MQ_RECVS));
	ASSERT_EQ(n + 1ULL, test_nl_q(rid, KIPC_A_OBJ_MQ_SENDS));
	ASSERT_EQ(n + 1ULL, test_nl_q(rid, KIPC_A_OBJ_MQ_RECVS));
	ASSERT_EQ(0ULL, test_nl_q(rid, KIPC_A_OBJ_MQ_DEPTH));
	kipc_rpc_client_close(c);
}

/*
 * Four client processes, 200 calls each, against one server: every reply
 * is its own call's (client, sequence number, checksum), and the server
 * did exactly one ioctl per call.
 */
TEST_F(rpc, concurrent_clients)
{
	const unsigned int nclients = 4, ncalls = 200;
	struct kipc_rpc_client *c;
	pid_t pids[4];
	struct srv_result r;
	unsigned int i, j;
	struct srv s;

	test_srv_start(self->name, &s);
	for (i = 0; i < nclients; i++) {
		pids[i] = test_fork();
		if (pids[i] == 0) {
			struct kipc_rpc_client *cc;

			test_client(&cc);
			for (j = 0; j < ncalls; j++)
				test_echo(cc, 100 + i, j, (i * 37 + j) % 300);
			kipc_rpc_client_close(cc);
			_exit(0);
		}
	}
	for (i = 0; i < nclients; i++)
		test_wait_child(pids[i]);

	test_client(&c);
	test_srv_stop(c, &s, &r);
	ASSERT_EQ(nclients * ncalls + 1UL, r.handled);
	/* No reply queue opened: the kernel handed out each reply-to. */
	ASSERT_EQ(0UL, r.ioctls[NR(KIPC_IOC_OPEN)]);
	ASSERT_EQ((unsigned long)nclients * ncalls,
		  r.ioctls[NR(KIPC_IOC_MQ_SENDRECV)]);
	/* The first request only; closing a client sends nothing. */
	ASSERT_EQ(1UL, r.ioctls[NR(KIPC_IOC_MQ_RECV)]);
	ASSERT_EQ((__u64)nclients * ncalls + 1,
		  test_nl_q(self->svc_id, KIPC_A_OBJ_MQ_SENDS));
	kipc_rpc_client_close(c);
}

/*
 * A call that times out while the handler holds it: -ETIMEDOUT, and the
 * request is not sent again. Its reply comes later; the next call on the
 * same client finds it first, drops it for its old id, and returns its own.
 */
TEST_F(rpc, late_reply_dropped)
{
	struct kipc_rpc_client *c;
	struct srv_result r;
	struct kipc_info info;
	struct timespec dl;
	struct srv s;
	__u64 rid, t1;

	test_srv_start(self->name, &s);
	test_client(&c);
	ASSERT_EQ(0, kipc_info(kipc_rpc_client_reply_fd(c), &info));
	rid = info.out_id;
	test_echo(c, 3, 0, 10);

	ioctls_reset();
	dl = deadline_in(200 * MS);
	ASSERT_EQ(-ETIMEDOUT, rpc_echo(_metadata, c, OP_GATE, 3, 1, 20, &dl));
	t1 = kipc_now_ns(CLOCK_MONOTONIC);
	ASSERT_LE(dl.tv_sec * NS + dl.tv_nsec, t1);
	test_srv_entered(&s);
	ASSERT_EQ(1UL, ioctls(KIPC_IOC_MQ_SENDRECV));
	ASSERT_EQ(2ULL, test_nl_q(self->svc_id, KIPC_A_OBJ_MQ_SENDS));

	/* The handler finishes; its reply is for a call that gave up. */
	test_srv_open_gate(&s);
	test_nl_mq_wait(&self->nl, rid, KIPC_A_OBJ_MQ_SENDS, 2);

	/* Checked field by field: this is call 2's reply, not call 1's. */
	test_echo(c, 3, 2, 30);
	ASSERT_EQ(2UL, ioctls(KIPC_IOC_MQ_SENDRECV));
	/* One more receive: the late reply was taken and dropped. */
	ASSERT_EQ(1UL, ioctls(KIPC_IOC_MQ_RECV));
	ASSERT_EQ(3ULL, test_nl_q(rid, KIPC_A_OBJ_MQ_SENDS));
	ASSERT_EQ(3ULL, test_nl_q(rid, KIPC_A_OBJ_MQ_RECVS));
	ASSERT_EQ(0ULL, test_nl_q(rid, KIPC_A_OBJ_MQ_DEPTH));
	/* Every request went once. */
	ASSERT_EQ(3ULL, test_nl_q(self->svc_id, KIPC_A_OBJ_MQ_SENDS));

	test_srv_stop(c, &s, &r);
	ASSERT_EQ(4UL, r.handled);
	kipc_rpc_client_close(c);
}

/* --- the wire ------------------------------------------------------------ */

struct call_result {
	ssize_t ret;
	unsigned long recvs;	/* KIPC_IOC_MQ_RECV the call needed */
	char data[64];
};

/* Receive a request from @svc with its reply-to, into *@rfd. */
static ssize_t take(int svc, void *buf, size_t len, int *rfd)
{
	struct kipc_mq_recv cmd = {
		.size = sizeof(cmd),
		.flags = KIPC_RECV_REPLY,
		.buf = (uintptr_t)buf,
		.len = len,
	};
	int ret = syscall(SYS_ioctl, svc, KIPC_IOC_MQ_RECV, &cmd);

	*rfd = ret < 0 ? -1 : cmd.out_reply_fd;
	return ret < 0 ? -errno : ret;
}

/*
 * What a client sends, byte by byte, and what it makes of what comes back:
 * junk and replies with another id are dropped, an ERROR reply is an
 * errno, and a reply too long for the buffer is -EMSGSIZE. The parent
 * plays the server by hand, answering on the reply-to the kernel gives.
 */
TEST_F(rpc, wire_format)
{
	_Alignas(8) char buf[MSGSIZE], out[MSGSIZE];
	const struct kipc_rpc_hdr *h = (const void *)buf;
	const struct kipc_rpc_reply_to *rt = (const void *)(buf + 16);
	struct kipc_rpc_client *c;
	struct call_result cr;
	struct kipc_info info;
	int res[2], rq;
	size_t len, off;
	uint64_t id;
	int32_t err;
	pid_t pid;
	ssize_t n;

	ASSERT_EQ(0, pipe2(res, O_CLOEXEC));
	pid = test_fork();
	if (pid == 0) {
		char rep[64];

		test_client(&c);
		ASSERT_STREQ("", kipc_rpc_client_name(c));
		/* Three calls; the parent answers each differently. */
		ioctls_reset();
		memset(&cr, 0, sizeof(cr));
		cr.ret = kipc_rpc_call(c, "hello", 5, cr.data, sizeof(cr.data),
				       NULL);
		cr.recvs = ioctls(KIPC_IOC_MQ_RECV);
		ASSERT_EQ((ssize_t)sizeof(cr), write(res[1], &cr, sizeof(cr)));
		cr.ret = kipc_rpc_call(c, "again", 5, rep, sizeof(rep), NULL);
		ASSERT_EQ((ssize_t)sizeof(cr), write(res[1], &cr, sizeof(cr)));
		cr.ret = kipc_rpc_call(c, "small", 5, rep, 10, NULL);
		ASSERT_EQ((ssize_t)sizeof(cr), write(res[1], &cr, sizeof(cr)));
		kipc_rpc_client_close(c);
		_exit(0);
	}
	close(res[1]);

	/* The request, as it sits in the service queue: no name. */
	n = take(self->svc, buf, sizeof(buf), &rq);
	ASSERT_LE(0, rq);
	off = KIPC_RPC_CALL_HDR_SIZE(0);
	ASSERT_EQ(24UL, off);
	ASSERT_EQ((ssize_t)(off + 5), n);
	ASSERT_EQ(KIPC_RPC_MAGIC, h->magic);
	ASSERT_EQ(KIPC_RPC_VERSION, h->version);
	ASSERT_EQ(KIPC_RPC_CALL, h->type);
	ASSERT_EQ(0, h->reply_to_len);
	ASSERT_EQ(0, h->flags);
	ASSERT_EQ(0ULL, rt->queue_id);
	ASSERT_EQ(0, memcmp(buf + off, "hello", 5));
	id = h->id;
	/* The reply-to: the client's anonymous queue, write-only for us. */
	ASSERT_EQ(0, kipc_info(rq, &info));
	ASSERT_NE(0U, info.out_state & KIPC_STATE_ANON);
	ASSERT_EQ(KIPC_OPEN_WRITE, info.out_open_flags);
	ASSERT_EQ(O_NONBLOCK, fcntl(rq, F_GETFL) & O_NONBLOCK);
	ASSERT_EQ((__u32)MSGSIZE, info.out_attr.mq.max_msgsize);
	ASSERT_EQ(4U, info.out_attr.mq.max_msgs);
	ASSERT_EQ((__u32)KIPC_MQ_HUP, info.out_attr.mq.flags);

	/* Junk, a reply to an older and to a newer id, then the reply. */
	ASSERT_EQ(0, kipc_mq_send(rq, "junk", 4, 0));
	len = raw_reply(out, KIPC_RPC_REPLY, id - 1, "old", 3);
	ASSERT_EQ(0, kipc_mq_send(rq, out, len, 0));
	len = raw_reply(out, KIPC_RPC_REPLY, id + 1, "new", 3);
	ASSERT_EQ(0, kipc_mq_send(rq, out, len, 0));
	/* The first three are read by now, or else the queue would be full. */
	while (test_mq_depth(rq) > 1)
		usleep(1000);
	len = raw_reply(out, KIPC_RPC_REPLY, id, "world", 5);
	ASSERT_EQ(0, kipc_mq_send(rq, out, len, 0));
	ASSERT_EQ((ssize_t)sizeof(cr), read(res[0], &cr, sizeof(cr)));
	ASSERT_EQ(5, cr.ret);
	ASSERT_EQ(0, memcmp(cr.data, "world", 5));
	/* The first came with the call, three more were needed. */
	ASSERT_EQ(3UL, cr.recvs);
	close(rq);

	/* The next request has the next id; answer it with an errno. */
	n = take(self->svc, buf, sizeof(buf), &rq);
	ASSERT_EQ((ssize_t)(off + 5), n);
	ASSERT_EQ(id + 1, h->id);
	err = EIO;
	len = raw_reply(out, KIPC_RPC_ERROR, id + 1, &err, sizeof(err));
	ASSERT_EQ(0, kipc_mq_send(rq, out, len, 0));
	ASSERT_EQ((ssize_t)sizeof(cr), read(res[0], &cr, sizeof(cr)));
	ASSERT_EQ(-EIO, cr.ret);
	close(rq);

	/* A reply longer than the caller's buffer. */
	n = take(self->svc, buf, sizeof(buf), &rq);
	ASSERT_EQ(id + 2, h->id);
	len = raw_reply(out, KIPC_RPC_REPLY, id + 2, "eleven byte", 11);
	ASSERT_EQ(0, kipc_mq_send(rq, out, len, 0));
	ASSERT_EQ((ssize_t)sizeof(cr), read(res[0], &cr, sizeof(cr)));
	ASSERT_EQ(-EMSGSIZE, cr.ret);
	test_wait_child(pid);

	/* The client is gone: no goodbye, and its queue says EPIPE. */
	ASSERT_EQ(0U, test_mq_depth(self->svc));
	ASSERT_EQ(-EPIPE, kipc_mq_send(rq, out, len, 0));
	close(rq);
	close(res[0]);
}

/*
 * Closing frees the reply queue once the server let go of its reply-to,
 * which it does after answering, when its next request comes.
 */
TEST_F(rpc, client_close_frees)
{
	struct kipc_rpc_client *c;
	struct srv_result r;
	struct kipc_info info;
	struct srv s;
	__u64 rid;
	int i;

	kipc_rpc_client_close(NULL);
	test_srv_start(self->name, &s);
	test_client(&c);
	ASSERT_EQ(0, kipc_info(kipc_rpc_client_reply_fd(c), &info));
	rid = info.out_id;
	test_echo(c, 4, 0, 8);
	kipc_rpc_client_close(c);

	test_client(&c);
	test_echo(c, 4, 1, 8);
	for (i = 0; i < 20000; i++) {
		struct kipc_nl_msg m;

		if (kipc_nl_obj_get(&self->nl, rid, &m) == -ENOENT)
			break;
		usleep(1000);
	}
	ASSERT_LT(i, 20000);
	test_srv_stop(c, &s, &r);
	kipc_rpc_client_close(c);
	/* Nothing was said at closing. */
	ASSERT_EQ(0U, test_mq_depth(self->svc));
}

/* --- a server among failing clients ---------------------------------------- */

/*
 * A client killed in the middle of a call: its reply queue has no reader,
 * so the answer fails with EPIPE, the queue is freed when the server lets
 * go of it, and the server serves the next client.
 */
TEST_F(rpc, client_dies_mid_call)
{
	struct kipc_rpc_client *c;
	struct srv_result r;
	int ids[2], st, i;
	struct srv s;
	pid_t pid;
	__u64 rid;

	ASSERT_EQ(0, pipe2(ids, O_CLOEXEC));
	test_srv_start(self->name, &s);
	pid = test_fork();
	if (pid == 0) {
		struct kipc_info info;

		test_client(&c);
		ASSERT_EQ(0, kipc_info(kipc_rpc_client_reply_fd(c), &info));
		ASSERT_EQ((ssize_t)sizeof(info.out_id),
			  write(ids[1], &info.out_id, sizeof(info.out_id)));
		rpc_echo(_metadata, c, OP_GATE, 5, 0, 10, NULL);
		_exit(1);
	}
	ASSERT_EQ((ssize_t)sizeof(rid), read(ids[0], &rid, sizeof(rid)));
	test_srv_entered(&s);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	test_srv_open_gate(&s);

	test_client(&c);
	test_echo(c, 6, 0, 100);
	test_echo(c, 6, 1, 100);
	for (i = 0; i < 20000; i++) {
		struct kipc_nl_msg m;

		if (kipc_nl_obj_get(&self->nl, rid, &m) == -ENOENT)
			break;
		usleep(1000);
	}
	ASSERT_LT(i, 20000);
	test_srv_stop(c, &s, &r);
	ASSERT_EQ(4UL, r.handled);
	/* The failed answer, then a plain receive; nothing opened. */
	ASSERT_EQ(2UL, r.ioctls[NR(KIPC_IOC_MQ_RECV)]);
	ASSERT_EQ(0UL, r.ioctls[NR(KIPC_IOC_OPEN)]);
	kipc_rpc_client_close(c);
	close(ids[0]);
	close(ids[1]);
}

/*
 * A client whose reply queue the server holds open is killed and its queue
 * removed by an administrator: the answer fails, the server lets go of the
 * queue, and goes on.
 */
TEST_F(rpc, client_queue_removed)
{
	struct kipc_rpc_client *c;
	struct srv_result r;
	int ids[2], st;
	struct srv s;
	pid_t pid;
	__u64 rid;

	ASSERT_EQ(0, pipe2(ids, O_CLOEXEC));
	test_srv_start(self->name, &s);
	pid = test_fork();
	if (pid == 0) {
		struct kipc_info info;

		test_client(&c);
		ASSERT_EQ(0, kipc_info(kipc_rpc_client_reply_fd(c), &info));
		test_echo(c, 7, 0, 10);
		ASSERT_EQ((ssize_t)sizeof(info.out_id),
			  write(ids[1], &info.out_id, sizeof(info.out_id)));
		rpc_echo(_metadata, c, OP_GATE, 7, 1, 10, NULL);
		_exit(1);
	}
	ASSERT_EQ((ssize_t)sizeof(rid), read(ids[0], &rid, sizeof(rid)));
	test_srv_entered(&s);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	test_nl_obj_remove(&self->nl, rid);
	test_srv_open_gate(&s);

	test_client(&c);
	test_echo(c, 8, 0, 10);
	test_srv_stop(c, &s, &r);
	ASSERT_EQ(4UL, r.handled);
	/* Two answers went, one failed; after it a plain receive. */
	ASSERT_EQ(3UL, r.ioctls[NR(KIPC_IOC_MQ_SENDRECV)]);
	ASSERT_EQ(2UL, r.ioctls[NR(KIPC_IOC_MQ_RECV)]);
	ASSERT_EQ(0UL, r.ioctls[NR(KIPC_IOC_OPEN)]);
	/* The removed queue is freed: the server let go of it. */
	ASSERT_EQ(-ENOENT, kipc_nl_obj_get(&self->nl, rid,
					   &(struct kipc_nl_msg){}));
	kipc_rpc_client_close(c);
	close(ids[0]);
	close(ids[1]);
}

/*
 * A client whose reply queue is full (it stopped reading) must not stall
 * the server: that reply is dropped and the next client is served. The
 * client that got its queue back then finds its junk dropped too.
 */
TEST_F(rpc, full_reply_queue)
{
	struct kipc_rpc_client_opts opts = { .max_msgs = 1 };
	_Alignas(8) char req[256], raw[MSGSIZE];
	struct kipc_rpc_client *full, *c;
	struct srv_result r;
	struct kipc_info info;
	int rq, wsvc;
	struct srv s;
	size_t len;
	pid_t pid;

	test_srv_start(self->name, &s);
	ASSERT_EQ(0, kipc_rpc_client_open(self->name, &opts, &full));
	ASSERT_EQ(0, kipc_info(kipc_rpc_client_reply_fd(full), &info));
	ASSERT_EQ(1U, info.out_attr.mq.max_msgs);
	rq = kipc_rpc_client_reply_fd(full);
	wsvc = kipc_mq_open(self->name, KIPC_OPEN_WRITE, 0, 0, 0);
	ASSERT_LE(0, wsvc);

	/*
	 * Two requests on its behalf, made by hand, so nobody reads: the
	 * first reply (junk to the client, for an id it never used) fills
	 * the queue, the second finds it full and is dropped.
	 */
	len = rpc_req(req, OP_ECHO, 9, 0, 10, 0);
	len = raw_request(raw, KIPC_RPC_CALL, 1, "", 0, req, len);
	ASSERT_EQ(0, raw_call(wsvc, rq, raw, len));
	ASSERT_EQ(0, raw_call(wsvc, rq, raw, len));

	test_client(&c);
	test_echo(c, 10, 0, 50);
	ASSERT_EQ(1U, test_mq_depth(rq));
	ASSERT_EQ(1ULL, test_nl_q(info.out_id, KIPC_A_OBJ_MQ_SENDS));

	/*
	 * Reading again: the junk goes, the real reply comes. The server
	 * holds the reply (OP_GATE) until the junk is gone: a reply that
	 * finds the queue still full is dropped, as above, and the server
	 * can be that quick when the client's CPU is taken away from it
	 * right after its request woke the server.
	 */
	pid = test_fork();
	if (pid == 0) {
		struct kipc_mq_getattr a;
		char ch = 'g';

		if (read(s.entered, &ch, 1) != 1)
			_exit(1);
		do {
			usleep(1000);
			if (kipc_mq_getattr(kipc_rpc_client_reply_fd(full), &a))
				_exit(1);
		} while (a.out_depth);
		_exit(write(s.gate, &ch, 1) == 1 ? 0 : 1);
	}
	ASSERT_EQ((ssize_t)(sizeof(struct rpc_msg) + 20),
		  rpc_echo(_metadata, full, OP_GATE, 9, 1, 20, NULL));
	test_wait_child(pid);
	ASSERT_EQ(0U, test_mq_depth(kipc_rpc_client_reply_fd(full)));

	test_srv_stop(c, &s, &r);
	ASSERT_EQ(5UL, r.handled);
	close(wsvc);
	kipc_rpc_client_close(full);
	kipc_rpc_client_close(c);
}

/*
 * Requests that are not well formed, or that come without a reply-to, are
 * dropped unanswered, and the handler never sees them; the server goes on.
 */
TEST_F(rpc, malformed_requests)
{
	_Alignas(8) char raw[MSGSIZE], req[64];
	struct kipc_rpc_hdr *h = (void *)raw;
	struct kipc_rpc_client *c;
	struct srv_result r;
	struct kipc_info info;
	size_t len, good;
	int wsvc, i;
	struct srv s;

	test_srv_start(self->name, &s);
	test_client(&c);
	ASSERT_EQ(0, kipc_info(kipc_rpc_client_reply_fd(c), &info));
	wsvc = kipc_mq_open(self->name, KIPC_OPEN_WRITE, 0, 0, 0);
	ASSERT_LE(0, wsvc);
	len = rpc_req(req, OP_ECHO, 11, 0, 8, 0);
	for (i = 0; i < 10; i++) {
		bool plain = false;

		good = raw_request(raw, KIPC_RPC_CALL, 5, "", 0, req, len);
		switch (i) {
		case 0:		/* shorter than a header */
			good = 15;
			break;
		case 1:
			h->magic ^= 1;
			break;
		case 2:
			h->version++;
			break;
		case 3:
			h->flags = 0x80;
			break;
		case 4:		/* not a request */
			h->type = KIPC_RPC_REPLY;
			break;
		case 5:
			h->type = 99;
			break;
		case 6:		/* a goodbye of the named-queue days */
			h->type = KIPC_RPC_BYE;
			break;
		case 7:		/* the name runs past the end */
			h->reply_to_len = 255;
			break;
		case 8:		/* header and reply-to cut short */
			good = 20;
			break;
		case 9:		/* well formed, without a reply-to */
			plain = true;
			break;
		}
		if (plain) {
			ASSERT_EQ(0, kipc_mq_send(wsvc, raw, good, 0));
		} else {
			ASSERT_EQ(0, raw_call(wsvc, kipc_rpc_client_reply_fd(c),
					      raw, good))
				TH_LOG("case %d: %s", i, strerror(errno));
		}
	}
	test_echo(c, 12, 0, 40);
	/* None of them reached the handler, and nothing came back. */
	ASSERT_EQ(0U, test_mq_depth(kipc_rpc_client_reply_fd(c)));
	test_srv_stop(c, &s, &r);
	ASSERT_EQ(2UL, r.handled);
	ASSERT_EQ(0UL, r.ioctls[NR(KIPC_IOC_OPEN)]);
	close(wsvc);
	kipc_rpc_client_close(c);
}

/* The service queue removed: kipc_rpc_serve() returns -EIDRM. */
TEST_F(rpc, service_removed)
{
	struct kipc_rpc_client *c;
	struct srv_result r;
	struct srv s;

	test_srv_start(self->name, &s);
	test_client(&c);
	test_echo(c, 14, 0, 10);
	test_nl_mq_wait(&self->nl, self->svc_id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	test_nl_obj_remove(&self->nl, self->svc_id);
	test_srv_result(&s, &r);
	ASSERT_EQ(-EIDRM, r.ret);
	ASSERT_EQ(1UL, r.handled);
	/* And a call now fails before it sends anything. */
	ASSERT_EQ(-EIDRM, rpc_op(c, OP_ECHO, 0));
	kipc_rpc_client_close(c);

	/* A server started on a removed queue returns at once. */
	ASSERT_EQ(-EIDRM, kipc_rpc_serve(self->svc, rpc_handler, NULL));
}

/*
 * The handler ends serving: -ECANCELED is a normal stop (0), anything else
 * is kipc_rpc_serve()'s error; either way the caller gets the errno.
 */
TEST_F(rpc, handler_stops)
{
	struct kipc_rpc_client *c;
	struct srv_result r;
	struct srv s;

	test_client(&c);
	test_srv_start(self->name, &s);
	test_echo(c, 15, 0, 1);
	test_srv_stop(c, &s, &r);
	ASSERT_EQ(2UL, r.handled);

	test_srv_start(self->name, &s);
	ASSERT_EQ(-EIO, rpc_op(c, OP_FAIL, -EIO));
	test_srv_result(&s, &r);
	ASSERT_EQ(-EIO, r.ret);

	/* Not an errno: the caller gets -EPROTO, the server what it said. */
	test_srv_start(self->name, &s);
	ASSERT_EQ(-EPROTO, rpc_op(c, OP_FAIL, -100000));
	test_srv_result(&s, &r);
	ASSERT_EQ(-100000, r.ret);
	kipc_rpc_client_close(c);
}

/* A handler that claims more than its buffer: -EPROTO, serving goes on. */
TEST_F(rpc, handler_overrun)
{
	struct kipc_rpc_client *c;
	struct srv_result r;
	struct srv s;

	test_srv_start(self->name, &s);
	test_client(&c);
	ASSERT_EQ(-EPROTO, rpc_op(c, OP_OVERRUN, 0));
	test_echo(c, 16, 0, 5);
	test_srv_stop(c, &s, &r);
	ASSERT_EQ(3UL, r.handled);
	kipc_rpc_client_close(c);
}

/*
 * A signal whose handler lacks SA_RESTART ends kipc_rpc_serve() with
 * -EINTR; started again, it loses nothing. Each request is sent only once
 * the handler has run: a receiver woken by a signal but not yet running
 * still takes a message handed to it, and then the signal ends nothing.
 */
TEST_F(rpc, serve_eintr)
{
	struct kipc_rpc_client *c;
	struct srv_result r;
	struct srv s;
	char b;

	srv_start(_metadata, self->name, SRV_SIGUSR1, &s);
	test_client(&c);
	test_nl_mq_wait(&self->nl, self->svc_id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	ASSERT_EQ(0, kill(s.pid, SIGUSR1));
	ASSERT_EQ(1, read(s.sig, &b, 1));
	test_echo(c, 17, 0, 5);
	/* Now in the receive half of KIPC_IOC_MQ_SENDRECV. */
	test_nl_mq_wait(&self->nl, self->svc_id, KIPC_A_OBJ_MQ_WAIT_RECV, 1);
	ASSERT_EQ(0, kill(s.pid, SIGUSR1));
	ASSERT_EQ(1, read(s.sig, &b, 1));
	test_echo(c, 17, 1, 5);
	test_srv_stop(c, &s, &r);
	ASSERT_EQ(2, r.eintr);
	ASSERT_EQ(3UL, r.handled);
	kipc_rpc_client_close(c);
}

/*
 * With O_NONBLOCK on the service fd, kipc_rpc_serve() answers what is
 * queued and returns -EAGAIN: the receive half of each KIPC_IOC_MQ_SENDRECV
 * follows the service fd, the send half the reply queue's.
 */
TEST_F(rpc, serve_nonblock)
{
	_Alignas(8) char raw[MSGSIZE], req[64], out[MSGSIZE];
	const struct kipc_rpc_hdr *h = (const void *)out;
	struct srv_ctx ctx = { .gate = -1, .entered = -1 };
	size_t len, n;
	int nb, q, i;

	nb = kipc_mq_open(self->name, KIPC_OPEN_READ | KIPC_OPEN_NONBLOCK, 0,
			  0, 0);
	ASSERT_LE(0, nb);
	ASSERT_EQ(-EAGAIN, kipc_rpc_serve(nb, rpc_handler, &ctx));
	ASSERT_EQ(0UL, ctx.handled);

	q = kipc_open(KIPC_OBJ_MQ, NULL,
		      KIPC_RW | KIPC_OPEN_CREATE | KIPC_OPEN_ANON, 0600,
		      &(union kipc_attr){ .mq = { 4, MSGSIZE } }, NULL);
	ASSERT_LE(0, q);
	for (i = 0; i < 3; i++) {
		len = rpc_req(req, OP_ECHO, 20, i, 8, 0);
		n = raw_request(raw, KIPC_RPC_CALL, 200 + i, "", 0, req, len);
		ASSERT_EQ(0, raw_call(self->svc, q, raw, n));
	}
	ioctls_reset();
	ASSERT_EQ(-EAGAIN, kipc_rpc_serve(nb, rpc_handler, &ctx));
	ASSERT_EQ(3UL, ctx.handled);
	ASSERT_EQ(1UL, ioctls(KIPC_IOC_MQ_RECV));
	ASSERT_EQ(3UL, ioctls(KIPC_IOC_MQ_SENDRECV));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ((ssize_t)(16 + len),
			  kipc_mq_receive(q, out, sizeof(out), NULL));
		ASSERT_EQ(200ULL + i, h->id);
	}
	close(q);
	close(nb);
}

/*
 * A server of another uid answers clients whose reply queues grant it
 * nothing: sending the request granted it the reply.
 */
TEST_F(rpc, server_other_uid)
{
	struct kipc_rpc_client_opts priv = { .mode = 0600 };
	struct kipc_rpc_client *c, *p;
	struct srv_result r;
	struct kipc_info info;
	struct srv s;

	srv_start(_metadata, self->name, SRV_UID1, &s);
	test_client(&c);
	ASSERT_EQ(0, kipc_info(kipc_rpc_client_reply_fd(c), &info));
	ASSERT_NE(0U, info.out_state & KIPC_STATE_ANON);
	ASSERT_EQ(0U, info.out_mode & 0066);
	test_echo(c, 18, 0, 10);

	/* The mode is not even looked at. */
	ASSERT_EQ(0, kipc_rpc_client_open(self->name, &priv, &p));
	test_echo(p, 19, 0, 10);
	kipc_rpc_client_close(p);

	test_echo(c, 18, 1, 10);
	test_srv_stop(c, &s, &r);
	ASSERT_EQ(4UL, r.handled);
	kipc_rpc_client_close(c);
}

/* --- setting up a client --------------------------------------------------- */

TEST_F(rpc, client_open_errors)
{
	struct kipc_rpc_client_opts opts;
	char small[KIPC_NAME_MAX + 1];
	struct kipc_rpc_client *c;
	struct kipc_nl_msg before, after;
	int q;

	ASSERT_EQ(0, kipc_nl_stats_get(&self->nl, &before));
	ASSERT_EQ(-EINVAL, kipc_rpc_client_open(NULL, NULL, &c));
	ASSERT_EQ(-EINVAL, kipc_rpc_client_open(self->name, NULL, NULL));
	ASSERT_EQ(-ENOENT, kipc_rpc_client_open("no-such-service", NULL, &c));
	ASSERT_EQ(-EINVAL, kipc_rpc_client_open("bad name", NULL, &c));

	memset(&opts, 0, sizeof(opts));
	opts.flags = 1;
	ASSERT_EQ(-EINVAL, kipc_rpc_client_open(self->name, &opts, &c));
	memset(&opts, 0, sizeof(opts));
	opts.resv[4] = 1;
	ASSERT_EQ(-EINVAL, kipc_rpc_client_open(self->name, &opts, &c));
	memset(&opts, 0, sizeof(opts));
	opts.mode = 01622;
	ASSERT_EQ(-EINVAL, kipc_rpc_client_open(self->name, &opts, &c));
	/* Past the module's ceiling on queue capacity. */
	memset(&opts, 0, sizeof(opts));
	opts.max_msgs = UINT32_MAX;
	ASSERT_EQ(-EINVAL, kipc_rpc_client_open(self->name, &opts, &c));

	/* Too small for even an empty request with its header. */
	test_name(small, "small");
	q = kipc_mq_open(small, KIPC_NEW, 0600, 2, 20);
	ASSERT_LE(0, q);
	ASSERT_EQ(-EMSGSIZE, kipc_rpc_client_open(small, NULL, &c));
	ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, small));
	close(q);

	/* No reply queue was left behind by any of them. */
	ASSERT_EQ(0, kipc_nl_stats_get(&self->nl, &after));
	ASSERT_EQ(before.val[KIPC_A_STATS_MQS], after.val[KIPC_A_STATS_MQS]);
}

/*
 * Each client has its own reply queue: anonymous, receive-only, with
 * KIPC_MQ_HUP, as big as the service's messages; and a request that would
 * not fit the service queue is refused before anything is sent.
 */
TEST_F(rpc, client_reply_queue)
{
	struct kipc_rpc_client_opts opts = { .mode = 0600, .max_msgs = 7 };
	char big[MSGSIZE], rep[16];
	struct kipc_rpc_client *c1, *c2;
	struct kipc_info info;
	size_t max;

	test_client(&c1);
	ASSERT_EQ(0, kipc_rpc_client_open(self->name, &opts, &c2));
	ASSERT_STREQ("", kipc_rpc_client_name(c1));

	ASSERT_EQ(0, kipc_info(kipc_rpc_client_reply_fd(c1), &info));
	ASSERT_NE(0U, info.out_state & KIPC_STATE_ANON);
	ASSERT_EQ(4U, info.out_attr.mq.max_msgs);
	ASSERT_EQ((__u32)MSGSIZE, info.out_attr.mq.max_msgsize);
	ASSERT_EQ((__u32)KIPC_MQ_HUP, info.out_attr.mq.flags);
	ASSERT_EQ(KIPC_OPEN_READ, info.out_open_flags);
	ASSERT_EQ(0, kipc_info(kipc_rpc_client_reply_fd(c2), &info));
	ASSERT_EQ(7U, info.out_attr.mq.max_msgs);
	/* O_CLOEXEC, so an exec does not leak it. */
	ASSERT_EQ(FD_CLOEXEC, fcntl(kipc_rpc_client_reply_fd(c1), F_GETFD));

	max = MSGSIZE - KIPC_RPC_CALL_HDR_SIZE(0);
	memset(big, 'b', sizeof(big));
	ASSERT_EQ(-EMSGSIZE, kipc_rpc_call(c1, big, max + 1, rep, sizeof(rep),
					   NULL));
	ASSERT_EQ(-EINVAL, kipc_rpc_call(c1, NULL, 1, rep, sizeof(rep), NULL));
	ASSERT_EQ(0ULL, test_nl_q(self->svc_id, KIPC_A_OBJ_MQ_SENDS));
	/* The largest goes (and, unanswered, times out). */
	ASSERT_EQ(-ETIMEDOUT, kipc_rpc_call(c1, big, max, rep, sizeof(rep),
					    &(struct timespec){ 0, 1 }));
	ASSERT_EQ(1ULL, test_nl_q(self->svc_id, KIPC_A_OBJ_MQ_SENDS));
	kipc_rpc_client_close(c1);
	kipc_rpc_client_close(c2);
}

TEST_HARNESS_MAIN
