// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sender credentials (KIPC_MQ_CREDS, KIPC_RECV_CREDS): the kernel fills in
 * each message's sender at send time (thread-group id, effective uid and
 * gid) and translates them into the receiver's pid and user namespaces at
 * receive time; RECV, RECVV and SENDRECV return them; and the errnos of
 * asking wrongly, which take nothing.
 */
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kipc_test.h"
#include "kipc-rpc.h"

#define MSG	64

FIXTURE(creds) {
	int fd;
	char name[KIPC_NAME_MAX + 1];
	char name2[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(creds)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, "creds");
	test_name(self->name2, "creds2");
}

FIXTURE_TEARDOWN(creds)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name2);
	close(self->fd);
}

/* Create @name with KIPC_MQ_* @mqflags, for reading and writing. */
static int creds_create(int devfd, const char *name, __u32 mqflags)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = 8, .max_msgsize = MSG, .flags = mqflags },
	};

	return _test_cmd_open(devfd, KIPC_OBJ_MQ, name,
			      KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, &attr, NULL,
			      NULL);
}

#define qcreate(_name, _mqflags)					\
	({								\
		int __q = creds_create(self->fd, _name, _mqflags);	\
		ASSERT_LE(0, __q) TH_LOG("open: %s", strerror(errno));	\
		__q;							\
	})

/* RECV with KIPC_RECV_CREDS and a struct of @size bytes. */
static int recv_creds(int q, void *buf, __u32 len, __u32 flags, __u32 size,
		      struct kipc_creds *creds)
{
	struct kipc_mq_recv cmd = {
		.size = size,
		.flags = flags,
		.buf = (uintptr_t)buf,
		.len = len,
		.out_creds = { -2, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef },
	};
	int ret = ioctl(q, KIPC_IOC_MQ_RECV, &cmd);

	if (creds)
		*creds = cmd.out_creds;
	return ret;
}

/* Receive one message of @_len bytes from @_q; its creds go to @_c. */
#define test_recv_creds(_q, _len, _c)					\
	({								\
		char __b[MSG];						\
		ASSERT_EQ((int)(_len),					\
			  recv_creds(_q, __b, sizeof(__b),		\
				     KIPC_RECV_CREDS | KIPC_WAIT_NONBLOCK, \
				     sizeof(struct kipc_mq_recv), _c))	\
			TH_LOG("recv: %s", strerror(errno));		\
	})

static unsigned int read_uint(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return ~0U;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? (unsigned int)strtoul(buf, NULL, 10) : ~0U;
}

/* A plain sender: its process id and effective ids; the flag reported. */
TEST_F(creds, plain)
{
	struct kipc_creds c;
	struct kipc_version ver;
	struct kipc_info info;
	char buf[MSG];
	int q;

	test_ioctl_version(&ver);
	ASSERT_NE(0ULL, ver.out_features & KIPC_FEATURE_MQ_CREDS);
	q = qcreate(self->name, KIPC_MQ_CREDS);
	test_ioctl_info(q, &info);
	ASSERT_EQ(KIPC_MQ_CREDS, info.out_attr.mq.flags);
	test_ioctl_mq_send(q, "hello", 5, 0);
	test_recv_creds(q, 5, &c);
	ASSERT_EQ(getpid(), c.pid);
	ASSERT_EQ(geteuid(), c.uid);
	ASSERT_EQ(getegid(), c.gid);
	ASSERT_EQ(0U, c.__reserved);

	/* Without KIPC_RECV_CREDS, out_creds is not written. */
	test_ioctl_mq_send(q, "again", 5, 0);
	ASSERT_EQ(5, recv_creds(q, buf, sizeof(buf), 0,
				sizeof(struct kipc_mq_recv), &c));
	ASSERT_EQ(-2, c.pid);
	ASSERT_EQ(0xdeadbeefU, c.uid);

	/* write() stamps too; an old-size RECV still works. */
	ASSERT_EQ(3, write(q, "abc", 3));
	ASSERT_EQ(3, recv_creds(q, buf, sizeof(buf), 0,
				offsetofend(struct kipc_mq_recv, out_prio),
				NULL));
	close(q);
}

/* A sender with other ids: its effective uid and gid, not the real ones. */
TEST_F(creds, effective_ids)
{
	struct kipc_creds c;
	pid_t pid;
	int q;

	q = qcreate(self->name, KIPC_MQ_CREDS);
	pid = test_fork();
	if (pid == 0) {
		ASSERT_EQ(0, setgroups(0, NULL));
		ASSERT_EQ(0, setresgid(KIPC_GID2, KIPC_GID1, KIPC_GID2));
		ASSERT_EQ(0, setresuid(KIPC_UID2, KIPC_UID1, KIPC_UID2));
		test_ioctl_mq_send(q, "x", 1, 0);
		_exit(0);
	}
	test_wait_child(pid);
	test_recv_creds(q, 1, &c);
	ASSERT_EQ(pid, c.pid);
	ASSERT_EQ((__u32)KIPC_UID1, c.uid);
	ASSERT_EQ((__u32)KIPC_GID1, c.gid);
	close(q);
}

/*
 * The ids are those at send time, even when the message is handed to a
 * receiver already waiting, and after the sender changed them.
 */
TEST_F(creds, hand_off_and_send_time)
{
	struct kipc_creds c;
	int q, p[2];
	pid_t pid;

	q = qcreate(self->name, KIPC_MQ_CREDS);
	ASSERT_EQ(0, pipe(p));
	pid = test_fork();
	if (pid == 0) {
		char buf[MSG];

		/* Blocks on the empty queue: the send hands it over. */
		test_sync_write(p[1]);
		ASSERT_EQ(2, recv_creds(q, buf, sizeof(buf), KIPC_RECV_CREDS,
					sizeof(struct kipc_mq_recv), &c));
		ASSERT_EQ(getppid(), c.pid);
		ASSERT_EQ((__u32)KIPC_UID1, c.uid);
		ASSERT_EQ((__u32)KIPC_GID1, c.gid);
		_exit(0);
	}
	test_sync_read(p[0]);
	usleep(100000);
	ASSERT_EQ(0, setresgid(0, KIPC_GID1, 0));
	ASSERT_EQ(0, setresuid(0, KIPC_UID1, 0));
	ASSERT_EQ(0, _test_cmd_mq_send(q, "hi", 2, 0, 0));
	ASSERT_EQ(0, setresuid(0, 0, 0));
	ASSERT_EQ(0, setresgid(0, 0, 0));
	test_wait_child(pid);
	close(p[0]);
	close(p[1]);
	close(q);
}

static void *thread_send(void *arg)
{
	int q = *(int *)arg;

	return (void *)(long)_test_cmd_mq_send(q, "t", 1, 0, 0);
}

/* A thread other than the main one sends: the thread-group id. */
TEST_F(creds, thread)
{
	struct kipc_creds c;
	pthread_t t;
	void *ret;
	int q;

	q = qcreate(self->name, KIPC_MQ_CREDS);
	ASSERT_EQ(0, pthread_create(&t, NULL, thread_send, &q));
	ASSERT_EQ(0, pthread_join(t, &ret));
	ASSERT_EQ(0L, (long)ret);
	test_recv_creds(q, 1, &c);
	ASSERT_EQ(getpid(), c.pid);
	close(q);
}

/*
 * A sender in a child pid namespace: the receiver outside sees its global
 * id. A receiver in a child pid namespace of a sender outside it: 0.
 */
TEST_F(creds, pid_namespaces)
{
	struct kipc_creds c;
	int q, p[2], go[2];
	pid_t pid, inner;
	char buf[MSG];

	q = qcreate(self->name, KIPC_MQ_CREDS);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(go));
	pid = test_fork();
	if (pid == 0) {
		pid_t gc;

		ASSERT_EQ(0, unshare(CLONE_NEWPID));
		gc = fork();
		ASSERT_LE(0, gc);
		if (gc == 0) {
			/* Pid 1 of the new namespace. */
			ASSERT_EQ(1, getpid());
			test_ioctl_mq_send(q, "ns", 2, 0);
			/* Alive until the receiver has looked. */
			test_sync_read(go[0]);
			_exit(0);
		}
		ASSERT_EQ((ssize_t)sizeof(gc), write(p[1], &gc, sizeof(gc)));
		test_wait_child(gc);
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(inner), read(p[0], &inner, sizeof(inner)));
	ASSERT_EQ(2, recv_creds(q, buf, sizeof(buf), KIPC_RECV_CREDS,
				sizeof(struct kipc_mq_recv), &c));
	ASSERT_EQ(inner, c.pid);
	ASSERT_NE(1, c.pid);
	test_sync_write(go[1]);
	test_wait_child(pid);

	/* Now the receiver inside, the sender (this process) outside. */
	test_ioctl_mq_send(q, "out", 3, 0);
	pid = test_fork();
	if (pid == 0) {
		pid_t gc;

		ASSERT_EQ(0, unshare(CLONE_NEWPID));
		gc = fork();
		ASSERT_LE(0, gc);
		if (gc == 0) {
			test_recv_creds(q, 3, &c);
			ASSERT_EQ(0, c.pid);
			ASSERT_EQ(0U, c.uid);
			_exit(0);
		}
		test_wait_child(gc);
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_EQ(0U, test_mq_depth(q));
	close(p[0]);
	close(p[1]);
	close(go[0]);
	close(go[1]);
	close(q);
}

static int write_map(pid_t pid, const char *file, const char *map)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return kipc_write_file(path, map);
}

/*
 * A receiver in a new user namespace that maps 1000 (uid and gid) to 0
 * sees a sender of 1000 as 0, and root, which it does not map, as the
 * overflow ids. A namespace with no mapping at all sees the overflow ids.
 */
TEST_F(creds, user_namespaces)
{
	unsigned int ouid = read_uint("/proc/sys/kernel/overflowuid");
	unsigned int ogid = read_uint("/proc/sys/kernel/overflowgid");
	struct kipc_creds c;
	int q, ready[2], go[2];
	pid_t pid, sender;
	int mapped;

	ASSERT_NE(~0U, ouid);
	ASSERT_NE(~0U, ogid);
	q = qcreate(self->name, KIPC_MQ_CREDS);
	sender = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (sender == 0) {
		test_ioctl_mq_send(q, "u1000", 5, 0);
		_exit(0);
	}
	test_wait_child(sender);
	test_ioctl_mq_send(q, "root", 4, 0);

	for (mapped = 1; mapped >= 0; mapped--) {
		ASSERT_EQ(0, pipe(ready));
		ASSERT_EQ(0, pipe(go));
		if (!mapped) {
			test_ioctl_mq_send(q, "root", 4, 0);
		}
		pid = test_fork();
		if (pid == 0) {
			ASSERT_EQ(0, unshare(CLONE_NEWUSER));
			test_sync_write(ready[1]);
			test_sync_read(go[0]);
			if (mapped) {
				test_recv_creds(q, 5, &c);
				ASSERT_EQ(sender, c.pid);
				ASSERT_EQ(0U, c.uid);
				ASSERT_EQ(0U, c.gid);
			}
			test_recv_creds(q, 4, &c);
			ASSERT_EQ(getppid(), c.pid);
			ASSERT_EQ(ouid, c.uid);
			ASSERT_EQ(ogid, c.gid);
			_exit(0);
		}
		test_sync_read(ready[0]);
		if (mapped) {
			ASSERT_EQ(0, write_map(pid, "uid_map", "0 1000 1"));
			ASSERT_EQ(0, write_map(pid, "gid_map", "0 1000 1"));
		}
		test_sync_write(go[1]);
		test_wait_child(pid);
		close(ready[0]);
		close(ready[1]);
		close(go[0]);
		close(go[1]);
	}
	ASSERT_EQ(0U, test_mq_depth(q));
	close(q);
}

static int vec_call(int q, unsigned long ioc, struct kipc_mq_vec *vec,
		    __u32 count, __u32 flags, __u32 size, __u64 creds)
{
	struct kipc_mq_sendv cmd = {
		.size = size,
		.flags = flags,
		.vec = (uintptr_t)vec,
		.count = count,
		.creds = creds,
	};

	return ioctl(q, ioc, &cmd);
}

/* RECVV fills the creds array, entry by entry, from different senders. */
TEST_F(creds, recvv)
{
	struct kipc_creds c[4];
	char bufs[4][MSG];
	struct kipc_mq_vec vec[4];
	pid_t pid;
	int q, i;

	q = qcreate(self->name, KIPC_MQ_CREDS);
	test_ioctl_mq_send(q, "a", 1, 0);
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		struct kipc_mq_vec sv[2] = {
			{ .buf = (uintptr_t)"bb", .len = 2 },
			{ .buf = (uintptr_t)"ccc", .len = 3 },
		};

		/* SENDV stamps every message of its batch. */
		ASSERT_EQ(2, vec_call(q, KIPC_IOC_MQ_SENDV, sv, 2, 0,
				      sizeof(struct kipc_mq_sendv), 0));
		_exit(0);
	}
	test_wait_child(pid);
	memset(c, 0xff, sizeof(c));
	for (i = 0; i < 4; i++)
		vec[i] = (struct kipc_mq_vec){ .buf = (uintptr_t)bufs[i],
					       .len = MSG };
	ASSERT_EQ(3, vec_call(q, KIPC_IOC_MQ_RECVV, vec, 4,
			      KIPC_RECV_CREDS | KIPC_WAIT_NONBLOCK,
			      sizeof(struct kipc_mq_sendv), (uintptr_t)c));
	ASSERT_EQ(getpid(), c[0].pid);
	ASSERT_EQ(0U, c[0].uid);
	ASSERT_EQ(pid, c[1].pid);
	ASSERT_EQ((__u32)KIPC_UID1, c[1].uid);
	ASSERT_EQ((__u32)KIPC_GID1, c[1].gid);
	ASSERT_EQ(pid, c[2].pid);
	ASSERT_EQ((__u32)KIPC_UID1, c[2].uid);
	/* The entry past the messages received is not written. */
	ASSERT_EQ(-1, c[3].pid);
	ASSERT_EQ(3U, vec[2].len);
	close(q);
}

/* SENDRECV returns the credentials of the reply's sender. */
TEST_F(creds, sendrecv)
{
	struct kipc_mq_sendrecv cmd;
	struct kipc_creds c;
	char out[MSG];
	int qa, qb;
	pid_t pid;

	qa = qcreate(self->name, KIPC_MQ_CREDS);
	qb = qcreate(self->name2, KIPC_MQ_CREDS);
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		test_ioctl_mq_send(qb, "reply", 5, 0);
		_exit(0);
	}
	test_wait_child(pid);
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	cmd.flags = KIPC_RECV_CREDS | KIPC_WAIT_NONBLOCK;
	cmd.recv_fd = qb;
	cmd.send_buf = (uintptr_t)"req";
	cmd.send_len = 3;
	cmd.recv_buf = (uintptr_t)out;
	cmd.recv_len = sizeof(out);
	ASSERT_EQ(5, ioctl(qa, KIPC_IOC_MQ_SENDRECV, &cmd));
	c = cmd.out_creds;
	ASSERT_EQ(pid, c.pid);
	ASSERT_EQ((__u32)KIPC_UID1, c.uid);
	ASSERT_EQ((__u32)KIPC_GID1, c.gid);
	/* The request half, on a creds queue, carries this process. */
	test_recv_creds(qa, 3, &c);
	ASSERT_EQ(getpid(), c.pid);
	ASSERT_EQ(0U, c.uid);
	close(qa);
	close(qb);
}

/*
 * The errnos of asking wrongly: nothing is received (or sent), and the
 * message is still there afterwards.
 */
TEST_F(creds, errnos)
{
	struct kipc_mq_sendrecv sr;
	struct kipc_mq_vec vec[2];
	struct kipc_creds c[2];
	char bufs[2][MSG];
	int plain, q;

	plain = qcreate(self->name, 0);
	q = qcreate(self->name2, KIPC_MQ_CREDS);
	test_ioctl_mq_send(plain, "p", 1, 0);
	test_ioctl_mq_send(q, "q", 1, 0);

	/* RECV: a queue without KIPC_MQ_CREDS; a struct too short. */
	errno = 0;
	ASSERT_EQ(-1, recv_creds(plain, bufs[0], MSG, KIPC_RECV_CREDS,
				 sizeof(struct kipc_mq_recv), NULL));
	ASSERT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(1U, test_mq_depth(plain));
	errno = 0;
	ASSERT_EQ(-1, recv_creds(q, bufs[0], MSG, KIPC_RECV_CREDS,
				 offsetofend(struct kipc_mq_recv, out_prio),
				 NULL));
	ASSERT_EQ(EINVAL, errno);
	errno = 0;
	ASSERT_EQ(-1, recv_creds(q, bufs[0], MSG, KIPC_RECV_CREDS,
				 offsetofend(struct kipc_mq_recv, out_prio) + 8,
				 NULL));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(1U, test_mq_depth(q));

	/* RECVV: the same, and @creds without the flag. */
	vec[0] = (struct kipc_mq_vec){ .buf = (uintptr_t)bufs[0], .len = MSG };
	vec[1] = (struct kipc_mq_vec){ .buf = (uintptr_t)bufs[1], .len = MSG };
	errno = 0;
	ASSERT_EQ(-1, vec_call(plain, KIPC_IOC_MQ_RECVV, vec, 1,
			       KIPC_RECV_CREDS, sizeof(struct kipc_mq_sendv),
			       (uintptr_t)c));
	ASSERT_EQ(EOPNOTSUPP, errno);
	errno = 0;
	ASSERT_EQ(-1, vec_call(q, KIPC_IOC_MQ_RECVV, vec, 1, KIPC_RECV_CREDS,
			       offsetofend(struct kipc_mq_sendv, __reserved),
			       0));
	ASSERT_EQ(EINVAL, errno);
	errno = 0;
	ASSERT_EQ(-1, vec_call(q, KIPC_IOC_MQ_RECVV, vec, 1, 0,
			       sizeof(struct kipc_mq_sendv), (uintptr_t)c));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(1U, test_mq_depth(plain));
	ASSERT_EQ(1U, test_mq_depth(q));

	/* SENDV: @creds is not 0; KIPC_RECV_CREDS is not its flag. */
	vec[0] = (struct kipc_mq_vec){ .buf = (uintptr_t)"s", .len = 1 };
	errno = 0;
	ASSERT_EQ(-1, vec_call(q, KIPC_IOC_MQ_SENDV, vec, 1, 0,
			       sizeof(struct kipc_mq_sendv), (uintptr_t)c));
	ASSERT_EQ(EINVAL, errno);
	errno = 0;
	ASSERT_EQ(-1, vec_call(q, KIPC_IOC_MQ_SENDV, vec, 1, KIPC_RECV_CREDS,
			       sizeof(struct kipc_mq_sendv), 0));
	ASSERT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(1U, test_mq_depth(q));

	/* SENDRECV: the receive queue lacks creds: nothing sent either. */
	memset(&sr, 0, sizeof(sr));
	sr.size = sizeof(sr);
	sr.flags = KIPC_RECV_CREDS;
	sr.recv_fd = plain;
	sr.send_buf = (uintptr_t)"r";
	sr.send_len = 1;
	sr.recv_buf = (uintptr_t)bufs[0];
	sr.recv_len = MSG;
	sr.out_flags = KIPC_SENDRECV_SENT;
	errno = 0;
	ASSERT_EQ(-1, ioctl(q, KIPC_IOC_MQ_SENDRECV, &sr));
	ASSERT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(0U, sr.out_flags);
	ASSERT_EQ(1U, test_mq_depth(q));
	ASSERT_EQ(1U, test_mq_depth(plain));
	sr.recv_fd = q;
	sr.size = offsetofend(struct kipc_mq_sendrecv, __reserved2);
	errno = 0;
	ASSERT_EQ(-1, ioctl(q, KIPC_IOC_MQ_SENDRECV, &sr));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(1U, test_mq_depth(q));

	close(plain);
	close(q);
}

/*
 * A creds array that cannot be written: EFAULT when none of it could be,
 * and the message stays queued; an array cut short by an unmapped page
 * delivers the messages whose entries were written, the rest stay.
 */
TEST_F(creds, recvv_efault)
{
	struct kipc_mq_vec vec[2];
	struct kipc_creds *c, one;
	char bufs[2][MSG], buf[MSG];
	char *page;
	int q;

	page = kipc_guarded_page();
	ASSERT_NE(NULL, page);
	q = qcreate(self->name, KIPC_MQ_CREDS);
	test_ioctl_mq_send(q, "one", 3, 0);
	test_ioctl_mq_send(q, "two", 3, 0);
	vec[0] = (struct kipc_mq_vec){ .buf = (uintptr_t)bufs[0], .len = MSG };
	vec[1] = (struct kipc_mq_vec){ .buf = (uintptr_t)bufs[1], .len = MSG };

	/* Wholly in the unmapped page. */
	errno = 0;
	ASSERT_EQ(-1, vec_call(q, KIPC_IOC_MQ_RECVV, vec, 2,
			       KIPC_RECV_CREDS | KIPC_WAIT_NONBLOCK,
			       sizeof(struct kipc_mq_sendv),
			       (uintptr_t)(page + 4096)));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(2U, test_mq_depth(q));

	/* Room for one entry before the unmapped page. */
	c = (struct kipc_creds *)(page + 4096 - sizeof(*c));
	ASSERT_EQ(1, vec_call(q, KIPC_IOC_MQ_RECVV, vec, 2,
			      KIPC_RECV_CREDS | KIPC_WAIT_NONBLOCK,
			      sizeof(struct kipc_mq_sendv), (uintptr_t)c));
	ASSERT_EQ(getpid(), c->pid);
	ASSERT_EQ(0, memcmp(bufs[0], "one", 3));
	ASSERT_EQ(1U, test_mq_depth(q));
	/* The one left is the second, and still carries its sender. */
	ASSERT_EQ(3, recv_creds(q, buf, sizeof(buf), KIPC_RECV_CREDS,
				sizeof(struct kipc_mq_recv), &one));
	ASSERT_EQ(0, memcmp(buf, "two", 3));
	ASSERT_EQ(getpid(), one.pid);
	munmap(page, 8192);
	close(q);
}

/* With KIPC_MQ_HUP, and on an anonymous queue. */
TEST_F(creds, combined_flags)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = 2, .max_msgsize = MSG,
			.flags = KIPC_MQ_CREDS | KIPC_MQ_HUP },
	};
	struct kipc_creds c;
	int q;

	q = qcreate(self->name, KIPC_MQ_CREDS | KIPC_MQ_HUP);
	test_ioctl_mq_send(q, "h", 1, 0);
	test_recv_creds(q, 1, &c);
	ASSERT_EQ(getpid(), c.pid);
	close(q);

	attr.mq.flags = KIPC_MQ_CREDS;
	q = _test_cmd_open(self->fd, KIPC_OBJ_MQ, NULL,
			   KIPC_RW | KIPC_OPEN_CREATE | KIPC_OPEN_ANON |
			   KIPC_OPEN_CLOEXEC, 0600, &attr, NULL, NULL);
	ASSERT_LE(0, q);
	test_ioctl_mq_send(q, "a", 1, 0);
	test_recv_creds(q, 1, &c);
	ASSERT_EQ(getpid(), c.pid);
	ASSERT_EQ(getegid(), c.gid);
	close(q);
}

/*
 * Messages still queued when the queue goes, from senders that exited
 * since: their pid references are dropped with them (kmemleak, under the
 * debug kernel, would report any that were not). The queue must be empty
 * of them as seen from a new queue of the same name, and the senders'
 * pids are reaped normally.
 */
TEST_F(creds, freed_with_queue)
{
	struct kipc_creds c;
	pid_t pid;
	int q, i;

	q = qcreate(self->name, KIPC_MQ_CREDS);
	for (i = 0; i < 4; i++) {
		pid = test_fork();
		if (pid == 0) {
			test_ioctl_mq_send(q, "gone", 4, i % 2);
			_exit(0);
		}
		test_wait_child(pid);
	}
	ASSERT_EQ(4U, test_mq_depth(q));
	/* One taken: its sender has exited, so it is not a running task. */
	test_recv_creds(q, 4, &c);
	ASSERT_LT(0, c.pid);
	ASSERT_NE(getpid(), c.pid);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	close(q);
	q = qcreate(self->name, KIPC_MQ_CREDS);
	ASSERT_EQ(0U, test_mq_depth(q));
	close(q);
}

/* The libkipc calls: receive, timed receive, receivev and sendrecv. */
TEST_F(creds, libkipc)
{
	struct kipc_mq_sendrecv_args a = { 0 };
	struct kipc_mq_vec vec[2];
	struct kipc_creds c, cv[2];
	struct timespec abs;
	char buf[MSG], b2[2][MSG];
	unsigned int prio = 99;
	int plain, q;
	pid_t pid;

	plain = qcreate(self->name, 0);
	q = qcreate(self->name2, KIPC_MQ_CREDS);
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		ASSERT_EQ(0, kipc_mq_send(q, "one", 3, 7));
		ASSERT_EQ(0, kipc_mq_send(q, "two", 3, 0));
		_exit(0);
	}
	test_wait_child(pid);

	memset(&c, 0, sizeof(c));
	ASSERT_EQ(3, kipc_mq_receive_creds(q, buf, sizeof(buf), &prio, &c));
	ASSERT_EQ(7U, prio);
	ASSERT_EQ(pid, c.pid);
	ASSERT_EQ((__u32)KIPC_UID1, c.uid);
	ASSERT_EQ((__u32)KIPC_GID1, c.gid);
	ASSERT_EQ(3, kipc_mq_timedreceive_creds(q, buf, sizeof(buf), NULL, &c,
						CLOCK_MONOTONIC, NULL));
	ASSERT_EQ(0, memcmp(buf, "two", 3));
	ASSERT_EQ(pid, c.pid);
	clock_gettime(CLOCK_MONOTONIC, &abs);
	ASSERT_EQ(-ETIMEDOUT, kipc_mq_timedreceive_creds(q, buf, sizeof(buf),
							 NULL, &c,
							 CLOCK_MONOTONIC,
							 &abs));

	/* A queue without credentials: NULL creds is a plain receive. */
	ASSERT_EQ(0, kipc_mq_send(plain, "p", 1, 0));
	ASSERT_EQ(-EOPNOTSUPP, kipc_mq_receive_creds(plain, buf, sizeof(buf),
						     NULL, &c));
	ASSERT_EQ(1U, test_mq_depth(plain));
	ASSERT_EQ(1, kipc_mq_receive_creds(plain, buf, sizeof(buf), NULL,
					   NULL));

	ASSERT_EQ(0, kipc_mq_send(q, "v1", 2, 0));
	ASSERT_EQ(0, kipc_mq_send(q, "v2", 2, 0));
	vec[0] = (struct kipc_mq_vec){ .buf = (uintptr_t)b2[0], .len = MSG };
	vec[1] = (struct kipc_mq_vec){ .buf = (uintptr_t)b2[1], .len = MSG };
	memset(cv, 0, sizeof(cv));
	ASSERT_EQ(2, kipc_mq_receivev_creds(q, vec, cv, 2, KIPC_WAIT_NONBLOCK));
	ASSERT_EQ(getpid(), cv[0].pid);
	ASSERT_EQ(getpid(), cv[1].pid);
	ASSERT_EQ(0U, cv[1].uid);
	ASSERT_EQ(0, kipc_mq_send(plain, "w", 1, 0));
	ASSERT_EQ(-EOPNOTSUPP, kipc_mq_receivev_creds(plain, vec, cv, 2,
						      KIPC_WAIT_NONBLOCK));
	ASSERT_EQ(1, kipc_mq_receivev_creds(plain, vec, NULL, 2,
					    KIPC_WAIT_NONBLOCK));

	/* SENDRECV: to the plain queue, the reply from q. */
	ASSERT_EQ(0, kipc_mq_send(q, "reply", 5, 0));
	a.send_buf = "req";
	a.send_len = 3;
	a.recv_fd = q;
	a.recv_buf = buf;
	a.recv_len = sizeof(buf);
	memset(&c, 0, sizeof(c));
	ASSERT_EQ(5, kipc_mq_sendrecv_creds(plain, &a, &c));
	ASSERT_EQ(getpid(), c.pid);
	/* Asking on a queue without them: nothing sent. */
	a.recv_fd = plain;
	ASSERT_EQ(-EOPNOTSUPP, kipc_mq_sendrecv_creds(q, &a, &c));
	ASSERT_EQ(0U, test_mq_depth(q));
	ASSERT_EQ(1U, test_mq_depth(plain));
	close(plain);
	close(q);
}

/* Replies with the caller's credentials as the handler saw them. */
static ssize_t who_handler(void *ctx, const struct kipc_creds *creds,
			   const void *req, size_t req_len, void *reply,
			   size_t reply_size)
{
	(void)ctx;
	if (req_len == 4 && !memcmp(req, "stop", 4))
		return -ECANCELED;
	if (reply_size < sizeof(*creds))
		return -EMSGSIZE;
	memcpy(reply, creds, sizeof(*creds));
	return sizeof(*creds);
}

/*
 * kipc_rpc_serve_creds(): the handler sees the calling process and its
 * uid; on a service queue without credentials, -EOPNOTSUPP at once with
 * the request left queued.
 */
TEST_F(creds, rpc_serve_creds)
{
	struct kipc_rpc_client *cl;
	pid_t server, client;
	struct kipc_creds c;
	mode_t old;
	int svc, status;

	old = umask(0);
	svc = _test_cmd_open(self->fd, KIPC_OBJ_MQ, self->name,
			     KIPC_NEW | KIPC_OPEN_CLOEXEC, 0666,
			     &(union kipc_attr){ .mq = {
				     .max_msgs = 8, .max_msgsize = 256,
				     .flags = KIPC_MQ_CREDS } },
			     NULL, NULL);
	umask(old);
	ASSERT_LE(0, svc);

	server = test_fork();
	if (server == 0)
		_exit(kipc_rpc_serve_creds(svc, who_handler, NULL) == 0 ?
		      0 : 1);

	client = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (client == 0) {
		ASSERT_EQ(0, kipc_rpc_client_open(self->name, NULL, &cl));
		ASSERT_EQ((ssize_t)sizeof(c),
			  kipc_rpc_call(cl, "who", 3, &c, sizeof(c), NULL));
		ASSERT_EQ(getpid(), c.pid);
		ASSERT_EQ((__u32)KIPC_UID1, c.uid);
		ASSERT_EQ((__u32)KIPC_GID1, c.gid);
		ASSERT_EQ(-ECANCELED, kipc_rpc_call(cl, "stop", 4, &c,
						    sizeof(c), NULL));
		kipc_rpc_client_close(cl);
		_exit(0);
	}
	test_wait_child(client);
	ASSERT_EQ(server, waitpid(server, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	close(svc);

	/* A service queue that records no credentials. */
	svc = qcreate(self->name2, 0);
	test_ioctl_mq_send(svc, "not a request", 13, 0);
	ASSERT_EQ(-EOPNOTSUPP, kipc_rpc_serve_creds(svc, who_handler, NULL));
	ASSERT_EQ(-EINVAL, kipc_rpc_serve_creds(svc, NULL, NULL));
	ASSERT_EQ(1U, test_mq_depth(svc));
	close(svc);
}

static int peek_creds(int q, __u32 index, __u32 flags, __u32 size,
		      struct kipc_creds *creds)
{
	char buf[MSG];
	struct kipc_mq_peek cmd = {
		.size = size,
		.flags = flags,
		.buf = (uintptr_t)buf,
		.len = sizeof(buf),
		.index = index,
		.out_creds = { -2, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef },
	};
	int ret = ioctl(q, KIPC_IOC_MQ_PEEK, &cmd);

	if (creds)
		*creds = cmd.out_creds;
	return ret;
}

/* PEEK with KIPC_RECV_CREDS: the sender of the message looked at. */
TEST_F(creds, peek)
{
	struct kipc_creds c;
	int plain, q;
	pid_t pid;

	plain = qcreate(self->name, 0);
	q = qcreate(self->name2, KIPC_MQ_CREDS);
	test_ioctl_mq_send(q, "mine", 4, 0);
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		test_ioctl_mq_send(q, "theirs", 6, 0);
		_exit(0);
	}
	test_wait_child(pid);

	ASSERT_EQ(6, peek_creds(q, 1, KIPC_RECV_CREDS,
				sizeof(struct kipc_mq_peek), &c));
	ASSERT_EQ(pid, c.pid);
	ASSERT_EQ((__u32)KIPC_UID1, c.uid);
	ASSERT_EQ((__u32)KIPC_GID1, c.gid);
	ASSERT_EQ(4, peek_creds(q, 0, KIPC_RECV_CREDS,
				sizeof(struct kipc_mq_peek), &c));
	ASSERT_EQ(getpid(), c.pid);
	/* Without the flag, not written; an old-size struct works. */
	ASSERT_EQ(4, peek_creds(q, 0, 0, sizeof(struct kipc_mq_peek), &c));
	ASSERT_EQ(-2, c.pid);
	ASSERT_EQ(4, peek_creds(q, 0, 0,
				offsetofend(struct kipc_mq_peek, out_prio),
				NULL));
	errno = 0;
	ASSERT_EQ(-1, peek_creds(q, 0, KIPC_RECV_CREDS,
				 offsetofend(struct kipc_mq_peek, out_prio),
				 NULL));
	ASSERT_EQ(EINVAL, errno);
	test_ioctl_mq_send(plain, "p", 1, 0);
	errno = 0;
	ASSERT_EQ(-1, peek_creds(plain, 0, KIPC_RECV_CREDS,
				 sizeof(struct kipc_mq_peek), NULL));
	ASSERT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(2U, test_mq_depth(q));
	close(plain);
	close(q);
}

TEST_HARNESS_MAIN
