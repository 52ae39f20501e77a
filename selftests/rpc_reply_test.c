// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reply-to references (KIPC_SEND_REPLYTO, KIPC_RECV_REPLY): a request sent
 * with KIPC_IOC_MQ_SENDRECV carries a weak reference to the caller's reply
 * queue, and its receiver gets a write-only fd of that queue without any
 * name or permission. The reference never keeps the queue alive; on a
 * KIPC_MQ_HUP reply queue a request counts as a sender until answered, so
 * a dead client gives its server EPIPE and a dead server gives its callers
 * end-of-file. Every test runs in its own IPC namespace, whose counters
 * must come back to zero: nothing leaks, kill -9 storms included.
 */
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "kipc_test.h"
#include "kipc-rpc.h"

#define MSG	64

FIXTURE(reply) {
	int fd;
	struct kipc_nl nl;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(reply)
{
	/* Our own namespace: its counters must come back to zero. */
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->name, "svc");
}

FIXTURE_TEARDOWN(reply)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	close(self->fd);
}

/* A queue: named (@name) or anonymous (NULL), with KIPC_MQ_* @mqflags. */
static int q_open(int devfd, const char *name, __u32 oflags, __u32 mode,
		  __u32 mqflags)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = 4, .max_msgsize = MSG, .flags = mqflags },
	};

	if (!name)
		oflags |= KIPC_OPEN_ANON | KIPC_OPEN_CREATE;
	return _test_cmd_open(devfd, KIPC_OBJ_MQ, name,
			      oflags | KIPC_OPEN_CLOEXEC, mode, &attr, NULL,
			      NULL);
}

#define qopen(_name, _oflags, _mode, _mqflags)				\
	({								\
		int __q = q_open(self->fd, _name, _oflags, _mode, _mqflags); \
		ASSERT_LE(0, __q) TH_LOG("open: %s", strerror(errno));	\
		__q;							\
	})

/* The client's reply queue: anonymous, receive-only, hang-up. */
#define reply_queue() qopen(NULL, KIPC_OPEN_READ, 0600, KIPC_MQ_HUP)

/*
 * SENDRECV of @msg to @svc, receiving from @rq with @flags (KIPC_SEND_REPLYTO
 * is added); -1 with errno on failure. *@sent tells whether it went.
 */
static int call(int svc, int rq, const char *msg, char *buf, __u32 flags,
		__u64 deadline, __u32 *out_flags)
{
	struct kipc_mq_sendrecv cmd = {
		.size = sizeof(cmd),
		.flags = flags | KIPC_SEND_REPLYTO |
			 (deadline ? KIPC_WAIT_DEADLINE : 0),
		.recv_fd = rq,
		.send_buf = (uintptr_t)msg,
		.send_len = strlen(msg),
		.recv_buf = (uintptr_t)buf,
		.recv_len = MSG,
		.clockid = CLOCK_MONOTONIC,
		.deadline = deadline,
	};
	int ret = ioctl(svc, KIPC_IOC_MQ_SENDRECV, &cmd);

	if (out_flags)
		*out_flags = cmd.out_flags;
	return ret;
}

/*
 * Send a request with a reply-to and take nothing: the receive half, with
 * no room, fails with EAGAIN on an empty queue, or EMSGSIZE leaving the
 * message there.
 */
static int request(int svc, int rq, const char *msg, __u32 *out_flags)
{
	struct kipc_mq_sendrecv cmd = {
		.size = sizeof(cmd),
		.flags = KIPC_SEND_REPLYTO | KIPC_WAIT_NONBLOCK,
		.recv_fd = rq,
		.send_buf = (uintptr_t)msg,
		.send_len = strlen(msg),
	};
	int ret = ioctl(svc, KIPC_IOC_MQ_SENDRECV, &cmd);

	*out_flags = cmd.out_flags;
	return ret < 0 && (errno == EAGAIN || errno == EMSGSIZE) ? 0 : -1;
}

#define test_request(_svc, _rq, _msg)						({										__u32 __of = 0;								ASSERT_EQ(0, request(_svc, _rq, _msg, &__of));				ASSERT_EQ(KIPC_SENDRECV_SENT, __of);				})

/* RECV with @flags; out_reply_fd and out_flags come back. */
static int recv_reply(int q, char *buf, __u32 flags, __u32 size, int *rfd,
		      __u32 *out_flags)
{
	struct kipc_mq_recv cmd = {
		.size = size,
		.flags = flags,
		.buf = (uintptr_t)buf,
		.len = MSG,
		.out_reply_fd = -5,
		.out_flags = 0xdead,
	};
	int ret = ioctl(q, KIPC_IOC_MQ_RECV, &cmd);

	if (rfd)
		*rfd = cmd.out_reply_fd;
	if (out_flags)
		*out_flags = cmd.out_flags;
	if (ret >= 0)
		buf[ret] = '\0';
	return ret;
}

/* Receive a request of @_msg from @_svc; returns its reply fd (maybe -1). */
#define test_take(_svc, _msg, _gone)					\
	({								\
		char __b[MSG + 1];					\
		__u32 __of;						\
		int __rfd;						\
		ASSERT_EQ((int)strlen(_msg),				\
			  recv_reply(_svc, __b, KIPC_RECV_REPLY,	\
				     sizeof(struct kipc_mq_recv), &__rfd, \
				     &__of));				\
		ASSERT_STREQ(_msg, __b);				\
		ASSERT_EQ((_gone) ? KIPC_RECV_OUT_REPLY_GONE : 0, __of); \
		__rfd;							\
	})

#define test_stat(_attr) test_nl_stats_attr(&self->nl, _attr)

/* Nothing of the namespace is left: no object, no charge. */
#define test_nothing_left()						\
	do {								\
		ASSERT_EQ(0ULL, test_stat(KIPC_A_STATS_NS_OBJECTS));	\
		ASSERT_EQ(0ULL, test_stat(KIPC_A_STATS_NS_BYTES));	\
		ASSERT_EQ(0ULL, test_stat(KIPC_A_STATS_MQS));		\
	} while (0)

static __u64 mono_ns_from_now(int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec + ms * 1000000ULL;
}

/*
 * The round trip: the server answers through the fd the kernel gives it,
 * a write-only, non-blocking, close-on-exec description of the client's
 * anonymous queue.
 */
TEST_F(reply, round_trip)
{
	int svc = qopen(self->name, KIPC_NEW, 0600, 0);
	int rq = reply_queue();
	struct kipc_info a, b;
	char buf[MSG + 1];
	int rfd;

	test_request(svc, rq, "ping");
	rfd = test_take(svc, "ping", false);
	ASSERT_LE(0, rfd);
	test_ioctl_info(rq, &a);
	test_ioctl_info(rfd, &b);
	ASSERT_EQ(a.out_id, b.out_id);
	ASSERT_EQ(O_WRONLY | O_NONBLOCK,
		  fcntl(rfd, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	ASSERT_EQ(FD_CLOEXEC, fcntl(rfd, F_GETFD));
	EXPECT_ERRNO(EBADF, read(rfd, buf, MSG));
	ASSERT_EQ(4, write(rfd, "pong", 4));
	ASSERT_EQ(0, close(rfd));
	/* The reply is queued: no end-of-file before it is read. */
	ASSERT_EQ(4, read(rq, buf, MSG));
	/* Now nobody can answer: end-of-file, not a hang. */
	ASSERT_EQ(0, read(rq, buf, MSG));

	/* SENDRECV's receive half takes the reply-to too. */
	test_request(svc, rq, "again");
	{
		struct kipc_mq_sendrecv cmd = {
			.size = sizeof(cmd),
			.flags = KIPC_RECV_REPLY | KIPC_WAIT_NONBLOCK,
			.recv_fd = svc,
			.send_buf = (uintptr_t)"x",
			.send_len = 1,
			.recv_buf = (uintptr_t)buf,
			.recv_len = MSG,
			.out_reply_fd = -5,
		};
		int self_q = qopen(NULL, KIPC_RW, 0600, 0);

		ASSERT_EQ(5, ioctl(self_q, KIPC_IOC_MQ_SENDRECV, &cmd));
		ASSERT_EQ(KIPC_SENDRECV_SENT, cmd.out_flags);
		ASSERT_EQ(-1, cmd.out_region_fd);
		ASSERT_LE(0, cmd.out_reply_fd);
		ASSERT_EQ(2, write(cmd.out_reply_fd, "ok", 2));
		close(cmd.out_reply_fd);
		close(self_q);
	}
	ASSERT_EQ(2, read(rq, buf, MSG));
	close(rq);
	close(svc);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	test_nothing_left();
}

/* SENDRECV with a struct short of out_reply_fd: EINVAL, nothing sent. */
static void reply_sendrecv_short(struct __test_metadata *_metadata,
				 int devfd, int svc)
{
	int rq = q_open(devfd, NULL, KIPC_RW, 0600, 0);
	struct kipc_mq_sendrecv cmd = {
		.size = offsetofend(struct kipc_mq_sendrecv, out_creds),
		.flags = KIPC_SEND_REPLYTO | KIPC_WAIT_NONBLOCK,
		.recv_fd = rq,
		.send_buf = (uintptr_t)"y",
		.send_len = 1,
	};

	ASSERT_LE(0, rq);
	EXPECT_ERRNO(EINVAL, ioctl(svc, KIPC_IOC_MQ_SENDRECV, &cmd));
	cmd.flags = KIPC_RECV_REPLY | KIPC_WAIT_NONBLOCK;
	EXPECT_ERRNO(EINVAL, ioctl(svc, KIPC_IOC_MQ_SENDRECV, &cmd));
	ASSERT_EQ(0U, cmd.out_flags);
	ASSERT_EQ(1U, test_mq_depth(svc));
	close(rq);
}

/* A reply-to needs SENDRECV's receive queue; a short struct is refused. */
TEST_F(reply, errnos)
{
	int svc = qopen(self->name, KIPC_NEW, 0600, 0);
	struct kipc_mq_vec vec = { .buf = (uintptr_t)"x", .len = 1 };
	struct kipc_mq_send send = {
		.size = sizeof(send),
		.flags = KIPC_SEND_REPLYTO,
		.buf = (uintptr_t)"x",
		.len = 1,
	};
	struct kipc_mq_sendv sendv = {
		.size = sizeof(sendv),
		.flags = KIPC_SEND_REPLYTO,
		.vec = (uintptr_t)&vec,
		.count = 1,
	};
	char buf[MSG + 1];
	__u32 of;
	int rfd;

	EXPECT_ERRNO(EINVAL, ioctl(svc, KIPC_IOC_MQ_SEND, &send));
	EXPECT_ERRNO(EINVAL, ioctl(svc, KIPC_IOC_MQ_SENDV, &sendv));
	ASSERT_EQ(0U, test_mq_depth(svc));

	/* RECVV and PEEK do not hand out reply-tos. */
	sendv.flags = KIPC_RECV_REPLY;
	vec.buf = (uintptr_t)buf;
	vec.len = MSG;
	test_ioctl_mq_send(svc, "plain", 5, 0);
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(svc, KIPC_IOC_MQ_RECVV, &sendv));

	/* A struct that does not reach out_reply_fd: EINVAL, nothing taken. */
	EXPECT_ERRNO(EINVAL, recv_reply(svc, buf, KIPC_RECV_REPLY,
					offsetofend(struct kipc_mq_recv,
						    out_creds), NULL, NULL));
	ASSERT_EQ(1U, test_mq_depth(svc));

	reply_sendrecv_short(_metadata, self->fd, svc);

	/* A message without a reply-to: -1, and no flag. */
	ASSERT_EQ(5, recv_reply(svc, buf, KIPC_RECV_REPLY,
				sizeof(struct kipc_mq_recv), &rfd, &of));
	ASSERT_EQ(-1, rfd);
	ASSERT_EQ(0U, of);
	close(svc);
}

/* EMFILE: the fd is reserved first, so the request stays queued. */
TEST_F(reply, emfile_keeps_message)
{
	int svc = qopen(self->name, KIPC_NEW, 0600, 0);
	int rq = reply_queue();
	struct rlimit rl, low;
	int fds[64], n = 0, rfd, i;
	char buf[MSG + 1];

	test_request(svc, rq, "req");
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &rl));
	low = rl;
	low.rlim_cur = 64;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &low));
	for (;;) {
		int d = dup(svc);

		if (d < 0) {
			ASSERT_EQ(EMFILE, errno);
			break;
		}
		ASSERT_GT(64, n);
		fds[n++] = d;
	}
	EXPECT_ERRNO(EMFILE, recv_reply(svc, buf, KIPC_RECV_REPLY,
					sizeof(struct kipc_mq_recv), NULL,
					NULL));
	ASSERT_EQ(1U, test_mq_depth(svc));
	/* Nor does SENDRECV send anything. */
	EXPECT_ERRNO(EMFILE, call(svc, rq, "no", buf,
				  KIPC_RECV_REPLY | KIPC_WAIT_NONBLOCK, 0,
				  NULL));
	ASSERT_EQ(1U, test_mq_depth(svc));
	for (i = 0; i < n; i++)
		close(fds[i]);
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	rfd = test_take(svc, "req", false);
	ASSERT_LE(0, rfd);
	close(rfd);
	close(rq);
	close(svc);
}

/*
 * The reference is weak: a reply queue whose last fd closes is freed with
 * requests naming it still queued, and their receiver learns it is gone.
 */
TEST_F(reply, reply_queue_gone)
{
	int svc = qopen(self->name, KIPC_NEW, 0600, 0);
	int rq = reply_queue();

	test_request(svc, rq, "orphan");
	ASSERT_EQ(2ULL, test_stat(KIPC_A_STATS_MQS));
	close(rq);
	ASSERT_EQ(1ULL, test_stat(KIPC_A_STATS_MQS));
	ASSERT_EQ(-1, test_take(svc, "orphan", true));
	close(svc);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	test_nothing_left();
}

/*
 * Two anonymous queues whose messages reply to each other, and a queue
 * replying to itself: no cycle keeps them; all fds closed, all is freed.
 */
TEST_F(reply, no_cycle)
{
	int a = qopen(NULL, KIPC_RW, 0600, 0);
	int b = qopen(NULL, KIPC_RW, 0600, 0);

	test_request(a, b, "to a, reply to b");
	test_request(b, a, "to b, reply to a");
	test_request(a, a, "to a, reply to a");
	ASSERT_EQ(2U, test_mq_depth(a));
	ASSERT_EQ(1U, test_mq_depth(b));
	ASSERT_EQ(2ULL, test_stat(KIPC_A_STATS_MQS));
	close(a);
	close(b);
	test_nothing_left();
}

/*
 * The server needs no permission on the reply queue, nor its name: the
 * client granted it by sending. The server runs as another uid, to which
 * the reply queue's mode (0600, root's) grants nothing.
 */
TEST_F(reply, server_other_uid)
{
	int svc = qopen(self->name, KIPC_NEW, 0666, KIPC_MQ_CREDS);
	int rq = reply_queue();
	char buf[MSG + 1];
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kipc_mq_recv cmd = {
			.size = sizeof(cmd),
			.flags = KIPC_RECV_REPLY | KIPC_RECV_CREDS,
			.buf = (uintptr_t)buf,
			.len = MSG,
		};
		int s;

		close(svc);
		close(rq);
		if (kipc_become(KIPC_UID2, KIPC_GID2, KIPC_NO_GROUP))
			_exit(1);
		s = q_open(self->fd, self->name, KIPC_OPEN_READ, 0, 0);
		if (s < 0)
			_exit(2);
		if (ioctl(s, KIPC_IOC_MQ_RECV, &cmd) != 3 ||
		    cmd.out_reply_fd < 0 || cmd.out_creds.uid != 0 ||
		    cmd.out_creds.pid != getppid())
			_exit(3);
		if (write(cmd.out_reply_fd, "ans", 3) != 3)
			_exit(4);
		_exit(0);
	}
	ASSERT_EQ(3, call(svc, rq, "req", buf, 0, mono_ns_from_now(10000),
			  NULL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* The server has exited: the next receive is end-of-file. */
	ASSERT_EQ(0, read(rq, buf, MSG));
	close(rq);
	close(svc);
}

/*
 * The grant crosses namespaces: a server in its own user and IPC
 * namespaces, holding the service fd from before, answers a client whose
 * reply queue it could never name nor open.
 */
TEST_F(reply, server_other_namespaces)
{
	int svc = qopen(self->name, KIPC_NEW, 0600, 0);
	int rq = reply_queue();
	char buf[MSG + 1];
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kipc_info info;
		int rfd;

		close(rq);
		if (unshare(CLONE_NEWUSER) || unshare(CLONE_NEWIPC))
			_exit(1);
		if (recv_reply(svc, buf, KIPC_RECV_REPLY,
			       sizeof(struct kipc_mq_recv), &rfd, NULL) != 3 ||
		    rfd < 0)
			_exit(2);
		if (_test_cmd_info(rfd, &info) ||
		    !(info.out_state & KIPC_STATE_ANON))
			_exit(3);
		_exit(write(rfd, "ans", 3) == 3 ? 0 : 4);
	}
	ASSERT_EQ(3, call(svc, rq, "req", buf, 0, mono_ns_from_now(10000),
			  NULL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	close(rq);
	close(svc);
}

/* A client killed after its request was taken: the server's reply EPIPE. */
TEST_F(reply, client_killed_epipe)
{
	int svc = qopen(self->name, KIPC_NEW, 0600, KIPC_MQ_HUP);
	int status, rfd;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int rq = q_open(self->fd, NULL, KIPC_OPEN_READ, 0600,
				KIPC_MQ_HUP);
		char buf[MSG];

		call(svc, rq, "dying", buf, 0, 0, NULL);
		_exit(1);
	}
	rfd = test_take(svc, "dying", false);
	ASSERT_LE(0, rfd);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_ERRNO(EPIPE, write(rfd, "late", 4));
	ASSERT_EQ(2ULL, test_stat(KIPC_A_STATS_MQS));
	close(rfd);
	close(svc);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	test_nothing_left();
}

/* Exit code of a client child: 0 for end-of-file, else what it got. */
static int client_child(int devfd, const char *svc_name, int ready)
{
	int svc = q_open(devfd, svc_name, KIPC_OPEN_WRITE, 0, 0);
	int rq = q_open(devfd, NULL, KIPC_OPEN_READ, 0600, KIPC_MQ_HUP);
	char buf[MSG];
	int ret;

	if (svc < 0 || rq < 0)
		return 10;
	if (write(ready, "r", 1) != 1)
		return 11;
	ret = call(svc, rq, "wait", buf, 0, mono_ns_from_now(20000), NULL);
	if (ret < 0 && errno == ENODATA)
		return 0;
	return ret < 0 ? (errno & 0x7f) : 12;
}

/*
 * A server killed while clients wait: the client it was serving gets
 * end-of-file (its reply fd was the queue's last sender), and so does the
 * client whose request was still queued (the service queue's last
 * receiver dropped it). Nothing hangs, nothing is left.
 */
TEST_F(reply, server_killed_eof)
{
	int svc = qopen(self->name, KIPC_NEW, 0600, KIPC_MQ_HUP);
	int ready[2], status, wr, i;
	pid_t server, clients[2];
	char c;

	ASSERT_EQ(0, pipe(ready));
	/*
	 * Stay a sender, not a receiver: the server's receive must wait, and
	 * the server must be the last receiver.
	 */
	wr = qopen(self->name, KIPC_OPEN_WRITE, 0, 0);
	close(svc);
	server = fork();
	ASSERT_LE(0, server);
	if (server == 0) {
		int s = q_open(self->fd, self->name, KIPC_OPEN_READ, 0, 0);
		char buf[MSG + 1];
		int rfd;

		if (s < 0 || write(ready[1], "s", 1) != 1)
			_exit(1);
		/* Take one request and never answer it. */
		if (recv_reply(s, buf, KIPC_RECV_REPLY,
			       sizeof(struct kipc_mq_recv), &rfd, NULL) < 0)
			_exit(2);
		if (write(ready[1], "t", 1) != 1)
			_exit(3);
		pause();
		_exit(4);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	for (i = 0; i < 2; i++) {
		clients[i] = fork();
		ASSERT_LE(0, clients[i]);
		if (clients[i] == 0)
			_exit(client_child(self->fd, self->name, ready[1]));
	}
	/* "s", then two "r" and the server's "t", in any order. */
	for (i = 0; i < 3; i++)
		ASSERT_EQ(1, read(ready[0], &c, 1));
	/* The second request is queued, or about to be. */
	for (i = 0; i < 200; i++) {
		if (test_mq_depth(wr) == 1)
			break;
		usleep(10000);
	}
	ASSERT_GT(200, i);
	ASSERT_EQ(0, kill(server, SIGKILL));
	ASSERT_EQ(server, waitpid(server, &status, 0));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(clients[i], waitpid(clients[i], &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ(0, WEXITSTATUS(status));
	}
	/* Dropped by the last receiver's going. */
	ASSERT_EQ(0U, test_mq_depth(wr));
	close(wr);
	close(ready[0]);
	close(ready[1]);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	test_nothing_left();
}

/* A server's loop: answer every request through its reply-to. */
static void storm_server(int devfd, const char *name)
{
	int s = q_open(devfd, name, KIPC_OPEN_READ, 0, 0);
	char buf[MSG + 1];
	int rfd;

	if (s < 0)
		_exit(1);
	for (;;) {
		if (recv_reply(s, buf, KIPC_RECV_REPLY,
			       sizeof(struct kipc_mq_recv), &rfd, NULL) < 0) {
			/* No client yet, or none left: wait for more. */
			if (errno != ENODATA)
				_exit(2);
			usleep(100);
			continue;
		}
		if (rfd >= 0) {
			/* EPIPE and EAGAIN are a client's business. */
			if (write(rfd, buf, strlen(buf)) < 0 &&
			    errno != EPIPE && errno != EAGAIN)
				_exit(3);
			close(rfd);
		}
	}
}

static void storm_client(int devfd, const char *name)
{
	int svc = q_open(devfd, name, KIPC_OPEN_WRITE, 0, 0);
	int rq = q_open(devfd, NULL, KIPC_OPEN_READ, 0600, KIPC_MQ_HUP);
	char buf[MSG];

	if (svc < 0 || rq < 0)
		_exit(1);
	for (;;) {
		if (call(svc, rq, "storm", buf, 0, mono_ns_from_now(5000),
			 NULL) >= 0)
			continue;
		/* No server yet, or it died: try again. */
		if (errno != ENODATA && errno != EPIPE)
			_exit(2);
		usleep(100);
	}
}

/*
 * kill -9 storms: rounds of servers and clients killed at random moments;
 * afterwards no object and no charge is left in the namespace.
 */
TEST_F(reply, kill9_storm)
{
	int round, i, status;
	pid_t pids[6];

	srand(getpid());
	for (round = 0; round < 50; round++) {
		int svc = qopen(self->name, KIPC_NEW, 0600, KIPC_MQ_HUP);

		close(svc);
		for (i = 0; i < 6; i++) {
			pids[i] = fork();
			ASSERT_LE(0, pids[i]);
			if (pids[i] == 0) {
				if (i < 2)
					storm_server(self->fd, self->name);
				storm_client(self->fd, self->name);
			}
		}
		for (i = 0; i < 6; i++) {
			int j = rand() % 6;
			pid_t t = pids[i];

			/* Kill in a random order, at random moments. */
			pids[i] = pids[j];
			pids[j] = t;
		}
		for (i = 0; i < 6; i++) {
			usleep(rand() % 3000);
			ASSERT_EQ(0, kill(pids[i], SIGKILL));
		}
		for (i = 0; i < 6; i++) {
			ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
			/* Killed, not failed. */
			ASSERT_TRUE(WIFSIGNALED(status))
				TH_LOG("round %d: exit %d", round,
				       WEXITSTATUS(status));
		}
		test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
		test_nothing_left();
	}
}

/*
 * A reply-to hands on the right to write the reply queue, so only one who
 * may write it may give it: a user who may only read someone's queue
 * cannot name it (EACCES, nothing sent), or a server would get a write fd
 * of it, and the queue a writer that keeps its hang-up away. Its own
 * anonymous queue, open only for reading, it may name: it owns it.
 */
TEST_F(reply, reply_to_needs_write)
{
	int v = qopen(self->name, KIPC_NEW, 0644, KIPC_MQ_HUP);
	pid_t pid;
	int status;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		__u32 of = 0;
		int rv, svc, own;

		if (kipc_become(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP))
			_exit(10);
		rv = q_open(self->fd, self->name, KIPC_OPEN_READ, 0, 0);
		svc = q_open(self->fd, NULL, KIPC_RW, 0600, 0);
		own = q_open(self->fd, NULL, KIPC_OPEN_READ, 0600,
			     KIPC_MQ_HUP);
		if (rv < 0 || svc < 0 || own < 0)
			_exit(11);
		if (request(svc, rv, "steal", &of) != -1 || errno != EACCES ||
		    of)
			_exit(12);
		if (test_mq_depth(svc))
			_exit(13);
		if (request(svc, own, "mine", &of) || of != KIPC_SENDRECV_SENT)
			_exit(14);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(v);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	test_nothing_left();
}

/* Answers with the first bytes of the request's region and the caller. */
static ssize_t region_handler(void *ctx, const struct kipc_rpc_request *rq,
			      void *reply, size_t size)
{
	int uid = rq->creds ? (int)rq->creds->uid : -1;
	char *p;
	int n;

	(void)ctx;
	if (rq->len == 4 && !memcmp(rq->data, "quit", 4))
		return -ECANCELED;
	if (rq->region_fd < 0)
		return snprintf(reply, size, "none uid=%d", uid);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, rq->region_fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	n = snprintf(reply, size, "%.16s uid=%d", p, uid);
	munmap(p, 4096);
	return n;
}

/*
 * kipc_rpc_call_region(): a large argument as a region, whose pages the
 * handler of kipc_rpc_serve_regions() maps, beside the caller's
 * credentials; the library closes the server's fd of it after the
 * handler, so once the caller closes its own nothing is left.
 */
TEST_F(reply, call_region)
{
	int svc = qopen(self->name, KIPC_NEW, 0600,
			KIPC_MQ_REGIONS | KIPC_MQ_CREDS);
	char plain[KIPC_NAME_MAX + 8], buf[MSG];
	struct kipc_rpc_client *c, *pc;
	int r, status;
	ssize_t n;
	pid_t pid;
	char *p;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int s = q_open(self->fd, self->name, KIPC_OPEN_READ, 0, 0);

		_exit(s >= 0 && !kipc_rpc_serve_regions(s, region_handler,
							NULL) ? 0 : 1);
	}
	ASSERT_EQ(0, kipc_rpc_client_open(self->name, NULL, &c));
	r = kipc_shm_open(NULL, KIPC_OPEN_ANON | KIPC_OPEN_CREATE |
			  KIPC_OPEN_READ | KIPC_OPEN_WRITE, 0600, 4096);
	ASSERT_LE(0, r);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, r, 0);
	ASSERT_NE(MAP_FAILED, p);
	strcpy(p, "a big argument");
	ASSERT_EQ(0, munmap(p, 4096));

	n = kipc_rpc_call_region(c, "x", 1, r, 0, buf, sizeof(buf) - 1, NULL);
	ASSERT_LE(0, n);
	buf[n] = '\0';
	ASSERT_STREQ("a big argument uid=0", buf);
	/* A plain call to the same server: no region. */
	n = kipc_rpc_call(c, "y", 1, buf, sizeof(buf) - 1, NULL);
	ASSERT_LE(0, n);
	buf[n] = '\0';
	ASSERT_STREQ("none uid=0", buf);
	/* Refused before anything is sent. */
	EXPECT_EQ(-EPERM, kipc_rpc_call_region(c, "x", 1, r, KIPC_SEND_SEALED,
					       buf, sizeof(buf), NULL));
	EXPECT_EQ(-EINVAL, kipc_rpc_call_region(c, "x", 1, -1, 0, buf,
						sizeof(buf), NULL));
	EXPECT_EQ(-EINVAL, kipc_rpc_call_region(c, "x", 1, r, 1U << 31, buf,
						sizeof(buf), NULL));
	EXPECT_EQ(-EINVAL, kipc_rpc_call_region(c, "x", 1, svc, 0, buf,
						sizeof(buf), NULL));
	EXPECT_EQ(0U, test_mq_depth(svc));

	/* A service queue without KIPC_MQ_REGIONS takes no region. */
	snprintf(plain, sizeof(plain), "%s.p", self->name);
	close(qopen(plain, KIPC_NEW, 0600, 0));
	ASSERT_EQ(0, kipc_rpc_client_open(plain, NULL, &pc));
	EXPECT_EQ(-EOPNOTSUPP, kipc_rpc_call_region(pc, "x", 1, r, 0, buf,
						    sizeof(buf), NULL));
	kipc_rpc_client_close(pc);
	test_ioctl_unlink(KIPC_OBJ_MQ, plain);

	close(r);
	EXPECT_EQ(-ECANCELED, kipc_rpc_call(c, "quit", 4, buf, sizeof(buf),
					     NULL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	kipc_rpc_client_close(c);
	close(svc);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	test_nothing_left();
}

TEST_HARNESS_MAIN
