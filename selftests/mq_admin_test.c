// SPDX-License-Identifier: GPL-2.0-only
/*
 * Message queues seen from the admin side: removal over netlink
 * (KIPC_CMD_OBJ_REMOVE) with EIDRM for waiters and for every later call,
 * who may remove, and the queue statistics netlink reports.
 */
#include <pthread.h>

#include "kipc_test.h"

#define MSG	KIPC_CALL_MSG

FIXTURE(admin) {
	int fd;
	struct kipc_nl nl;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(admin)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->name, "q");
}

FIXTURE_TEARDOWN(admin)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	close(self->nl.fd);
	close(self->fd);
}

#define test_nl_remove(_id) \
	ASSERT_EQ(0, kipc_nl_obj_remove(&self->nl, _id))

/* The KIPC_STATE_* of queue @_id, as netlink reports it. */
#define test_nl_state(_id) test_nl_mq(&self->nl, _id, KIPC_A_OBJ_STATE)

/* --- removal --------------------------------------------------------- */

/* Every kind of blocked receiver wakes with EIDRM. */
TEST_F(admin, remove_wakes_receivers)
{
	static const int ops[] = {
		KIPC_CALL_RECV, KIPC_CALL_READ, KIPC_CALL_RECVV,
	};
	struct kipc_child ch[ARRAY_SIZE(ops)];
	struct kipc_call_result r;
	unsigned int i;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 2, MSG);
	id = test_obj_id(qfd);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		struct kipc_call c = {
			.op = ops[i],
			.count = 2,
			.msg = { { .len = MSG }, { .len = MSG } },
		};

		test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch[i]);
		test_nl_mq_wait(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_RECV, i + 1);
	}
	test_nl_remove(id);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		test_call_result(&ch[i], &r);
		ASSERT_EQ(-1, r.ret);
		ASSERT_EQ(EIDRM, r.err) TH_LOG("op %d", ops[i]);
	}
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_RECV));
	close(qfd);
}

/* Every kind of blocked sender wakes with EIDRM. */
TEST_F(admin, remove_wakes_senders)
{
	static const int ops[] = {
		KIPC_CALL_SEND, KIPC_CALL_WRITE, KIPC_CALL_SENDV,
	};
	struct kipc_child ch[ARRAY_SIZE(ops)];
	struct kipc_call_result r;
	unsigned int i;
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 1, MSG);
	id = test_obj_id(qfd);
	test_ioctl_mq_send(qfd, "full", 4, 0);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		struct kipc_call c = {
			.op = ops[i],
			.count = 2,
			.msg = { { .len = 3, .data = "abc" },
				 { .len = 3, .data = "def" } },
		};

		test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch[i]);
		test_nl_mq_wait(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_SEND, i + 1);
	}
	test_nl_remove(id);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		test_call_result(&ch[i], &r);
		ASSERT_EQ(-1, r.ret);
		ASSERT_EQ(EIDRM, r.err) TH_LOG("op %d", ops[i]);
	}
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_SEND));
	close(qfd);
}

/*
 * Many blocked receivers and senders, more than the kernel wakes under one
 * hold of the queue's lock (removal wakes them in batches), all wake with
 * EIDRM, and none of the senders' messages stays.
 */
#define REMOVE_MANY	40

struct remove_waiter {
	pthread_t thread;
	int fd;
	bool send;
	long ret;
};

static void *remove_waiter_fn(void *arg)
{
	struct timespec rel = { .tv_sec = 60 };
	struct remove_waiter *rw = arg;
	char buf[MSG];

	if (rw->send)
		rw->ret = kipc_mq_send_timeout(rw->fd, "y", 1, 0, &rel);
	else
		rw->ret = kipc_mq_receive_timeout(rw->fd, buf, sizeof(buf),
						  NULL, &rel);
	return NULL;
}

TEST_F(admin, remove_wakes_many)
{
	struct remove_waiter rw[2 * REMOVE_MANY];
	unsigned int i;
	int rfd, sfd;
	__u64 rid, sid;
	char sname[KIPC_NAME_MAX + 1];

	/* Receivers on an empty queue, senders on a full one. */
	rfd = test_mq_create(self->name, 1, MSG);
	rid = test_obj_id(rfd);
	test_name(sname, "qs");
	sfd = test_mq_create(sname, 1, MSG);
	sid = test_obj_id(sfd);
	test_ioctl_mq_send(sfd, "full", 4, 0);
	for (i = 0; i < ARRAY_SIZE(rw); i++) {
		rw[i] = (struct remove_waiter){
			.fd = i < REMOVE_MANY ? rfd : sfd,
			.send = i >= REMOVE_MANY,
		};
		ASSERT_EQ(0, pthread_create(&rw[i].thread, NULL,
					    remove_waiter_fn, &rw[i]));
	}
	test_nl_mq_wait(&self->nl, rid, KIPC_A_OBJ_MQ_WAIT_RECV, REMOVE_MANY);
	test_nl_mq_wait(&self->nl, sid, KIPC_A_OBJ_MQ_WAIT_SEND, REMOVE_MANY);
	test_nl_remove(rid);
	test_nl_remove(sid);
	for (i = 0; i < ARRAY_SIZE(rw); i++) {
		pthread_join(rw[i].thread, NULL);
		EXPECT_EQ(-EIDRM, rw[i].ret) TH_LOG("waiter %u", i);
	}
	EXPECT_EQ(0ULL, test_nl_mq(&self->nl, rid, KIPC_A_OBJ_MQ_WAIT_RECV));
	EXPECT_EQ(0ULL, test_nl_mq(&self->nl, sid, KIPC_A_OBJ_MQ_WAIT_SEND));
	close(rfd);
	close(sfd);
}

/* After removal every queue call on an open fd gives EIDRM. */
TEST_F(admin, removed_calls_fail)
{
	struct kipc_mq_vec vec = { .len = 1 };
	struct kipc_mq_getattr attr;
	struct kipc_info info;
	char c = 'r';
	int qfd, nbfd;
	__u64 id;

	qfd = test_mq_create(self->name, 4, 8);
	nbfd = test_ioctl_open(KIPC_OBJ_MQ, self->name,
			       KIPC_RW | KIPC_OPEN_NONBLOCK, 0, NULL, NULL,
			       NULL);
	id = test_obj_id(qfd);
	test_ioctl_mq_send(qfd, &c, 1, 0);
	test_nl_remove(id);

	vec.buf = (uintptr_t)&c;
	test_err_mq_send(EIDRM, qfd, &c, 1, 0, 0);
	test_err_mq_send(EIDRM, qfd, &c, 1, 0, KIPC_WAIT_NONBLOCK);
	test_err_mq_recv(EIDRM, qfd, &c, 1, 0);
	test_err_mq_recv(EIDRM, qfd, &c, 1, KIPC_WAIT_NONBLOCK);
	EXPECT_ERRNO(EIDRM, _test_cmd_mq_sendv(qfd, &vec, 1, 0));
	EXPECT_ERRNO(EIDRM, _test_cmd_mq_recvv(qfd, &vec, 1, 0));
	EXPECT_ERRNO(EIDRM, _test_cmd_mq_peek(qfd, 0, &c, 1, NULL, NULL));
	EXPECT_ERRNO(EIDRM, _test_cmd_mq_getattr(qfd, &attr));
	EXPECT_ERRNO(EIDRM, read(qfd, &c, 1));
	EXPECT_ERRNO(EIDRM, write(qfd, &c, 1));
	/* EIDRM, not EAGAIN, on an O_NONBLOCK fd too. */
	test_err_mq_recv(EIDRM, nbfd, &c, 1, 0);
	EXPECT_ERRNO(EIDRM, read(nbfd, &c, 1));
	EXPECT_ERRNO(EIDRM, write(nbfd, &c, 1));

	/* The fd still describes what it was. */
	test_ioctl_info(qfd, &info);
	ASSERT_EQ(id, info.out_id);
	ASSERT_EQ(KIPC_STATE_REMOVED | KIPC_STATE_UNLINKED, info.out_state);
	ASSERT_EQ((__u64)(KIPC_STATE_REMOVED | KIPC_STATE_UNLINKED),
		  test_nl_state(id));
	close(nbfd);
	close(qfd);
	/* Gone with its last fd. */
	ASSERT_EQ(-ENOENT, kipc_nl_obj_get(&self->nl, id,
					   &(struct kipc_nl_msg){}));
}

/* poll() and epoll see EPOLLERR | EPOLLHUP, and sleepers wake with it. */
TEST_F(admin, removed_poll)
{
	struct kipc_call c = { .op = KIPC_CALL_POLL, .flags = POLLIN };
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLET };
	struct kipc_call_result r;
	struct kipc_child ch;
	struct pollfd pfd;
	int qfd, efd;
	__u64 id;

	qfd = test_mq_create(self->name, 2, 8);
	id = test_obj_id(qfd);
	efd = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, epoll_ctl(efd, EPOLL_CTL_ADD, qfd, &ev));
	ASSERT_EQ(1, epoll_wait(efd, &ev, 1, 0));
	ASSERT_EQ((__u32)EPOLLOUT, ev.events);
	ASSERT_EQ(0, epoll_wait(efd, &ev, 1, 0));
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_wait_polling(ch.pid);

	test_nl_remove(id);
	test_call_result(&ch, &r);
	ASSERT_EQ(1, r.ret);
	ASSERT_EQ((__u32)(POLLERR | POLLHUP), r.revents);
	ASSERT_EQ(1, epoll_wait(efd, &ev, 1, 0));
	ASSERT_EQ((__u32)(EPOLLERR | EPOLLHUP), ev.events);
	pfd.fd = qfd;
	pfd.events = POLLIN | POLLOUT;
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	ASSERT_EQ(POLLERR | POLLHUP, pfd.revents);
	close(efd);
	close(qfd);
}

/*
 * The name goes with the removal: opening it fails, and creating it makes a
 * new queue, untouched by the old one's fate.
 */
TEST_F(admin, removed_name_reusable)
{
	struct kipc_info info;
	int qfd, nfd;
	__u64 id, id2;
	char buf[8];

	qfd = test_mq_create(self->name, 2, 8);
	id = test_obj_id(qfd);
	test_ioctl_mq_send(qfd, "old", 3, 0);
	test_nl_remove(id);
	test_err_open(ENOENT, KIPC_OBJ_MQ, self->name, KIPC_RW, 0, NULL);
	test_err_unlink(ENOENT, KIPC_OBJ_MQ, self->name);

	nfd = test_mq_create(self->name, 2, 8);
	id2 = test_obj_id(nfd);
	ASSERT_NE(id, id2);
	test_ioctl_info(nfd, &info);
	ASSERT_EQ(0U, info.out_state);
	ASSERT_EQ(0U, test_mq_depth(nfd));
	test_ioctl_mq_send(nfd, "new", 3, 0);
	test_err_mq_recv(EIDRM, qfd, buf, sizeof(buf), 0);
	test_ioctl_mq_recv(nfd, buf, sizeof(buf), 3, 0);
	ASSERT_EQ(0, memcmp(buf, "new", 3));
	ASSERT_EQ(0ULL, test_nl_state(id2));
	close(qfd);
	close(nfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* An unlinked queue that is still open can be removed by its id. */
TEST_F(admin, remove_unlinked)
{
	struct kipc_info info;
	char buf[8];
	int qfd;
	__u64 id;

	qfd = test_mq_create(self->name, 2, 8);
	id = test_obj_id(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	test_ioctl_mq_send(qfd, "x", 1, 0);
	test_nl_remove(id);
	test_err_mq_recv(EIDRM, qfd, buf, sizeof(buf), 0);
	test_ioctl_info(qfd, &info);
	ASSERT_EQ(KIPC_STATE_REMOVED | KIPC_STATE_UNLINKED, info.out_state);
	close(qfd);
}

/* Queued messages go with the queue, small and large alike. */
TEST_F(admin, remove_drops_messages)
{
	enum { BIG = 100000 };
	struct kipc_mq_getattr attr;
	unsigned int i;
	char *buf;
	int qfd;
	__u64 id;

	buf = calloc(1, BIG);
	ASSERT_NE(NULL, buf);
	qfd = test_mq_create(self->name, 16, BIG);
	id = test_obj_id(qfd);
	for (i = 0; i < 16; i++)
		test_ioctl_mq_send(qfd, buf, i & 1 ? BIG : i, i);
	test_nl_remove(id);
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_DEPTH));
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_BYTES));
	EXPECT_ERRNO(EIDRM, _test_cmd_mq_getattr(qfd, &attr));
	close(qfd);
	free(buf);
}

/* Neither owner nor creator nor CAP_SYS_ADMIN: EPERM, and nothing changes. */
TEST_F(admin, remove_not_owner)
{
	char buf[8];
	int qfd;
	__u64 id;
	pid_t pid;

	qfd = test_mq_create(self->name, 2, 8);
	id = test_obj_id(qfd);
	test_ioctl_mq_send(qfd, "stay", 4, 0);
	pid = test_fork_as(KIPC_UID2, KIPC_GID2, KIPC_NO_GROUP);
	if (pid == 0) {
		struct kipc_nl nl;

		test_nl_open(&nl);
		ASSERT_EQ(-EPERM, kipc_nl_obj_remove(&nl, id));
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_EQ(0ULL, test_nl_state(id));
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 4, 0);
	ASSERT_TRUE(test_obj_exists(KIPC_OBJ_MQ, self->name));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * KIPC_CMD_OBJ_REMOVE of @id written with write(2), as a program that was
 * handed the socket as its stdout would write it (no destination address,
 * so netlink judges the socket's opener too). 0 or -errno.
 */
static int nl_remove_by_write(struct kipc_nl *nl, __u64 id)
{
	struct kipc_nl_req req;

	kipc_nl_req_init(nl, &req, nl->family, NLM_F_ACK, KIPC_CMD_OBJ_REMOVE,
			 KIPC_GENL_VERSION);
	kipc_nl_put_attr(&req.nlh, KIPC_A_OBJ_ID, &id, sizeof(id));
	if (write(nl->fd, &req, req.nlh.nlmsg_len) != (ssize_t)req.nlh.nlmsg_len)
		return -errno;
	return kipc_nl_recv(nl, nl->family, NULL, 0, NULL);
}

/*
 * A socket opened by an unprivileged user and handed to root (as to a setuid
 * program that writes for it) still speaks with its opener's rights: the
 * removal is refused, as netlink_capable() refuses such a deputy.
 */
TEST_F(admin, remove_through_unprivileged_socket)
{
	struct kipc_nl deputy;
	int sv[2], qfd;
	__u64 id;
	pid_t pid;

	qfd = test_mq_create(self->name, 2, 8);
	id = test_obj_id(qfd);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	pid = test_fork_as(KIPC_UID2, KIPC_GID2, KIPC_NO_GROUP);
	if (pid == 0) {
		struct kipc_nl nl;

		close(sv[0]);
		test_nl_open(&nl);
		ASSERT_EQ(0, kipc_send_fd(sv[1], nl.fd));
		_exit(0);
	}
	close(sv[1]);
	test_wait_child(pid);
	deputy = self->nl;
	deputy.fd = kipc_recv_fd(sv[0]);
	ASSERT_LE(0, deputy.fd);
	close(sv[0]);

	ASSERT_EQ(-EPERM, nl_remove_by_write(&deputy, id));
	ASSERT_EQ(0ULL, test_nl_state(id));
	close(deputy.fd);
	/* Root's own socket may. */
	test_nl_remove(id);
	ASSERT_EQ((__u64)(KIPC_STATE_UNLINKED | KIPC_STATE_REMOVED),
		  test_nl_state(id));
	close(qfd);
}

/* The owner needs no privilege to remove its own queue. */
TEST_F(admin, remove_by_owner)
{
	int to_parent[2], to_child[2], qfd;
	char buf[8];
	__u64 id = 0;
	pid_t pid;

	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		struct kipc_nl nl;
		__u64 cid;
		int cfd;

		cfd = test_mq_create(self->name, 2, 8);
		cid = test_obj_id(cfd);
		ASSERT_EQ((ssize_t)sizeof(cid),
			  write(to_parent[1], &cid, sizeof(cid)));
		/* Wait until root holds an fd too, then remove. */
		ASSERT_EQ((ssize_t)sizeof(cid),
			  read(to_child[0], &cid, sizeof(cid)));
		test_nl_open(&nl);
		ASSERT_EQ(0, kipc_nl_obj_remove(&nl, cid));
		test_err_mq_recv(EIDRM, cfd, buf, sizeof(buf), 0);
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(id), read(to_parent[0], &id, sizeof(id)));
	/* Root may open a 0600 queue of another user: CAP_IPC_OWNER. */
	qfd = test_mq_open(self->name, KIPC_RW);
	ASSERT_EQ(id, test_obj_id(qfd));
	ASSERT_EQ((ssize_t)sizeof(id), write(to_child[1], &id, sizeof(id)));
	test_wait_child(pid);
	test_err_mq_recv(EIDRM, qfd, buf, sizeof(buf), KIPC_WAIT_NONBLOCK);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_MQ, self->name));
	close(qfd);
	close(to_parent[0]);
	close(to_parent[1]);
	close(to_child[0]);
	close(to_child[1]);
}

/* Ids that name no queue of ours: ENOENT. */
TEST_F(admin, remove_unknown)
{
	int qfd;
	__u64 id;
	pid_t pid;

	ASSERT_EQ(-ENOENT, kipc_nl_obj_remove(&self->nl, UINT64_MAX));
	ASSERT_EQ(-ENOENT, kipc_nl_obj_remove(&self->nl, 0));
	/* One that is gone. */
	qfd = test_mq_create(self->name, 2, 8);
	id = test_obj_id(qfd);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	ASSERT_EQ(-ENOENT, kipc_nl_obj_remove(&self->nl, id));

	/* One of another IPC namespace, even for root. */
	qfd = test_mq_create(self->name, 2, 8);
	id = test_obj_id(qfd);
	pid = test_fork_newipc();
	if (pid == 0) {
		struct kipc_nl nl;

		test_nl_open(&nl);
		ASSERT_EQ(-ENOENT, kipc_nl_obj_remove(&nl, id));
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_EQ(0ULL, test_nl_state(id));
	ASSERT_EQ(0U, test_mq_depth(qfd));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* --- statistics ------------------------------------------------------ */

TEST_F(admin, stats_new_queue)
{
	static const int zero[] = {
		KIPC_A_OBJ_MQ_DEPTH, KIPC_A_OBJ_MQ_BYTES, KIPC_A_OBJ_MQ_HWM,
		KIPC_A_OBJ_MQ_SENDS, KIPC_A_OBJ_MQ_RECVS,
		KIPC_A_OBJ_MQ_WAIT_SEND, KIPC_A_OBJ_MQ_WAIT_RECV,
		KIPC_A_OBJ_MQ_LSPID, KIPC_A_OBJ_MQ_LRPID,
		KIPC_A_OBJ_MQ_STIME, KIPC_A_OBJ_MQ_RTIME,
	};
	struct kipc_nl_msg m;
	unsigned int i;
	int qfd;
	__u64 id;

	qfd = test_mq_create(self->name, 3, 9);
	id = test_obj_id(qfd);
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &m));
	for (i = 0; i < ARRAY_SIZE(zero); i++) {
		ASSERT_TRUE(m.has[zero[i]]) TH_LOG("attr %d", zero[i]);
		ASSERT_EQ(0ULL, m.val[zero[i]]) TH_LOG("attr %d", zero[i]);
	}
	ASSERT_EQ(3ULL, m.val[KIPC_A_OBJ_MQ_MAX_MSGS]);
	ASSERT_EQ(9ULL, m.val[KIPC_A_OBJ_MQ_MAX_MSGSIZE]);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * Depth, bytes and high-water mark follow the queue; sends and receives
 * count messages; the pids and times are those of the last of each.
 */
TEST_F(admin, stats_counters)
{
	struct kipc_nl_msg m;
	__u64 id, t0, t1, t2;
	char buf[16];
	pid_t pid;
	int qfd;

	qfd = test_mq_create(self->name, 4, sizeof(buf));
	id = test_obj_id(qfd);
	t0 = kipc_now_ns(CLOCK_REALTIME);
	pid = test_fork();
	if (pid == 0) {
		test_ioctl_mq_send(qfd, "aaaa", 4, 0);
		test_ioctl_mq_send(qfd, "bbbbbbbb", 8, 3);
		ASSERT_EQ(3, write(qfd, "ccc", 3));
		_exit(0);
	}
	test_wait_child(pid);
	t1 = kipc_now_ns(CLOCK_REALTIME);
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &m));
	ASSERT_EQ(3ULL, m.val[KIPC_A_OBJ_MQ_DEPTH]);
	ASSERT_EQ(15ULL, m.val[KIPC_A_OBJ_MQ_BYTES]);
	ASSERT_EQ(3ULL, m.val[KIPC_A_OBJ_MQ_HWM]);
	ASSERT_EQ(3ULL, m.val[KIPC_A_OBJ_MQ_SENDS]);
	ASSERT_EQ(0ULL, m.val[KIPC_A_OBJ_MQ_RECVS]);
	ASSERT_EQ((__u64)pid, m.val[KIPC_A_OBJ_MQ_LSPID]);
	ASSERT_EQ(0ULL, m.val[KIPC_A_OBJ_MQ_LRPID]);
	ASSERT_LE(t0, m.val[KIPC_A_OBJ_MQ_STIME]);
	ASSERT_GE(t1, m.val[KIPC_A_OBJ_MQ_STIME]);
	ASSERT_EQ(0ULL, m.val[KIPC_A_OBJ_MQ_RTIME]);

	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 8, 3);
	ASSERT_EQ(4, read(qfd, buf, sizeof(buf)));
	t2 = kipc_now_ns(CLOCK_REALTIME);
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &m));
	ASSERT_EQ(1ULL, m.val[KIPC_A_OBJ_MQ_DEPTH]);
	ASSERT_EQ(3ULL, m.val[KIPC_A_OBJ_MQ_BYTES]);
	ASSERT_EQ(3ULL, m.val[KIPC_A_OBJ_MQ_HWM]);
	ASSERT_EQ(2ULL, m.val[KIPC_A_OBJ_MQ_RECVS]);
	ASSERT_EQ((__u64)getpid(), m.val[KIPC_A_OBJ_MQ_LRPID]);
	ASSERT_EQ((__u64)pid, m.val[KIPC_A_OBJ_MQ_LSPID]);
	ASSERT_LE(t1, m.val[KIPC_A_OBJ_MQ_RTIME]);
	ASSERT_GE(t2, m.val[KIPC_A_OBJ_MQ_RTIME]);
	ASSERT_GE(t1, m.val[KIPC_A_OBJ_MQ_STIME]);

	/* The mark stays at the deepest point until a deeper one. */
	test_ioctl_mq_send(qfd, "d", 1, 0);
	ASSERT_EQ(3ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_HWM));
	test_ioctl_mq_send(qfd, "e", 1, 0);
	test_ioctl_mq_send(qfd, "f", 1, 0);
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &m));
	ASSERT_EQ(4ULL, m.val[KIPC_A_OBJ_MQ_HWM]);
	ASSERT_EQ(6ULL, m.val[KIPC_A_OBJ_MQ_SENDS]);
	ASSERT_EQ((__u64)getpid(), m.val[KIPC_A_OBJ_MQ_LSPID]);
	ASSERT_LE(t2, m.val[KIPC_A_OBJ_MQ_STIME]);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * Calls that move nothing count nothing: EMSGSIZE, EINVAL, EFAULT and
 * EAGAIN sends, EMSGSIZE, EAGAIN and ETIMEDOUT receives, peeks.
 */
TEST_F(admin, stats_failed_calls)
{
	struct timespec zero = { 0, 0 };
	struct kipc_nl_msg before, after;
	char buf[8] = "1234567";
	unsigned int j;
	int qfd;
	__u64 id;

	qfd = test_mq_create(self->name, 1, 4);
	id = test_obj_id(qfd);
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &before));
	test_err_mq_send(EMSGSIZE, qfd, buf, 5, 0, 0);
	test_err_mq_send(EINVAL, qfd, buf, 4, 32, 0);
	test_err_mq_send(EFAULT, qfd, (void *)8, 4, 0, 0);
	test_err_mq_recv(EAGAIN, qfd, buf, sizeof(buf), KIPC_WAIT_NONBLOCK);
	ASSERT_EQ(-ETIMEDOUT, kipc_mq_receive_timeout(qfd, buf, sizeof(buf),
						      NULL, &zero));
	EXPECT_ERRNO(EMSGSIZE, write(qfd, buf, 5));
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &after));
	for (j = KIPC_A_OBJ_MQ_DEPTH; j <= KIPC_A_OBJ_MQ_RTIME; j++)
		ASSERT_EQ(before.val[j], after.val[j]) TH_LOG("attr %u", j);

	test_ioctl_mq_send(qfd, buf, 4, 0);
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &before));
	test_err_mq_send(EAGAIN, qfd, buf, 4, 0, KIPC_WAIT_NONBLOCK);
	ASSERT_EQ(-ETIMEDOUT, kipc_mq_send_timeout(qfd, buf, 4, 0, &zero));
	test_err_mq_recv(EMSGSIZE, qfd, buf, 3, 0);
	ASSERT_EQ(4, _test_cmd_mq_peek(qfd, 0, buf, sizeof(buf), NULL, NULL));
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &after));
	for (j = KIPC_A_OBJ_MQ_DEPTH; j <= KIPC_A_OBJ_MQ_RTIME; j++)
		ASSERT_EQ(before.val[j], after.val[j]) TH_LOG("attr %u", j);

	/* A receive that could not copy out is no receive. */
	test_err_mq_recv(EFAULT, qfd, (void *)8, sizeof(buf), 0);
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &after));
	ASSERT_EQ(before.val[KIPC_A_OBJ_MQ_RECVS],
		  after.val[KIPC_A_OBJ_MQ_RECVS]);
	ASSERT_EQ(1ULL, after.val[KIPC_A_OBJ_MQ_DEPTH]);
	ASSERT_EQ(4ULL, after.val[KIPC_A_OBJ_MQ_BYTES]);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/*
 * A blocked sender's message is sent when a receiver makes room for it: the
 * sender, not the receiver, is then the last sender.
 */
TEST_F(admin, stats_blocked_sender)
{
	struct kipc_call c = {
		.op = KIPC_CALL_SEND,
		.msg[0] = { .len = 2, .data = "bs" },
	};
	struct kipc_call_result r;
	struct kipc_child ch;
	struct kipc_nl_msg m;
	char buf[8];
	int qfd;
	__u64 id;

	qfd = test_mq_create(self->name, 1, sizeof(buf));
	id = test_obj_id(qfd);
	test_ioctl_mq_send(qfd, "first", 5, 0);
	test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch);
	test_nl_mq_wait(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_SEND, 1);
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &m));
	ASSERT_EQ(1ULL, m.val[KIPC_A_OBJ_MQ_SENDS]);
	ASSERT_EQ((__u64)getpid(), m.val[KIPC_A_OBJ_MQ_LSPID]);
	ASSERT_EQ(0ULL, m.val[KIPC_A_OBJ_MQ_WAIT_RECV]);

	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 5, 0);
	test_call_result(&ch, &r);
	ASSERT_EQ(0, r.ret);
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &m));
	ASSERT_EQ(2ULL, m.val[KIPC_A_OBJ_MQ_SENDS]);
	ASSERT_EQ(1ULL, m.val[KIPC_A_OBJ_MQ_RECVS]);
	ASSERT_EQ((__u64)ch.pid, m.val[KIPC_A_OBJ_MQ_LSPID]);
	ASSERT_EQ((__u64)getpid(), m.val[KIPC_A_OBJ_MQ_LRPID]);
	ASSERT_EQ(1ULL, m.val[KIPC_A_OBJ_MQ_DEPTH]);
	ASSERT_EQ(2ULL, m.val[KIPC_A_OBJ_MQ_BYTES]);
	ASSERT_EQ(0ULL, m.val[KIPC_A_OBJ_MQ_WAIT_SEND]);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* The waiter counts rise and fall with tasks blocking and being served. */
TEST_F(admin, stats_waiters)
{
	struct kipc_call c = { .op = KIPC_CALL_RECV, .msg[0].len = 8 };
	struct kipc_call_result r;
	struct kipc_child ch[3];
	unsigned int i;
	int qfd;
	__u64 id;

	qfd = test_mq_create(self->name, 1, 8);
	id = test_obj_id(qfd);
	for (i = 0; i < ARRAY_SIZE(ch); i++) {
		test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch[i]);
		test_nl_mq_wait(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_RECV, i + 1);
	}
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_SEND));
	for (i = 0; i < ARRAY_SIZE(ch); i++) {
		test_ioctl_mq_send(qfd, "r", 1, 0);
		test_call_result(&ch[i], &r);
		ASSERT_EQ(1, r.ret);
		ASSERT_EQ(ARRAY_SIZE(ch) - 1 - i,
			  test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_RECV));
	}

	test_ioctl_mq_send(qfd, "x", 1, 0);
	c.op = KIPC_CALL_SEND;
	c.msg[0].len = 1;
	for (i = 0; i < 2; i++) {
		test_call_start(qfd, &c, KIPC_SIG_DEFAULT, &ch[i]);
		test_nl_mq_wait(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_SEND, i + 1);
	}
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_RECV));
	for (i = 0; i < 2; i++) {
		test_ioctl_mq_recv(qfd, r.msg[0].data, 8, 1, 0);
		test_call_result(&ch[i], &r);
		ASSERT_EQ(0, r.ret);
		ASSERT_EQ(1 - i, test_nl_mq(&self->nl, id,
					    KIPC_A_OBJ_MQ_WAIT_SEND));
	}
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_HARNESS_MAIN
