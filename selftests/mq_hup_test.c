// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hang-up (KIPC_MQ_HUP): a queue created with it gives its receivers
 * end-of-file once the last description that may send is gone and the
 * queue is empty, and its senders EPIPE once the last description that may
 * receive is gone; a new description of that side clears it. Without the
 * flag a queue behaves as before. Peers die by kill -9 here, as in life.
 */
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kipc_test.h"

FIXTURE(hup) {
	int fd;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(hup)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, "hup");
}

FIXTURE_TEARDOWN(hup)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	close(self->fd);
}

static int hup_open(int devfd, const char *name, __u32 flags, __u32 mqflags,
		    __u32 max_msgs)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = max_msgs, .max_msgsize = 64,
			.flags = mqflags },
	};

	return _test_cmd_open(devfd, KIPC_OBJ_MQ, name,
			      flags | KIPC_OPEN_CLOEXEC, 0600, &attr, NULL,
			      NULL);
}

/* Create the test's queue (first call) or open it, with @flags. */
#define qopen(_flags, _mqflags)						\
	({								\
		int __q = hup_open(self->fd, self->name,		\
				   (_flags) | KIPC_OPEN_CREATE, _mqflags, 1); \
		ASSERT_LE(0, __q) TH_LOG("open: %s", strerror(errno));	\
		__q;							\
	})

static short poll_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

/* A child that holds the queue open with @flags until it is killed. */
static pid_t holder(int devfd, const char *name, __u32 flags)
{
	int ready[2], q;
	pid_t pid;
	char c;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		q = hup_open(devfd, name, flags, 0, 1);
		c = q < 0 ? 'e' : 'r';
		if (write(ready[1], &c, 1) != 1 || q < 0)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (pid < 0 || read(ready[0], &c, 1) != 1 || c != 'r') {
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	return pid;
}

/* Kill -9 @victim after @ms, from another process. */
static pid_t killer(pid_t victim, int ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		usleep(ms * 1000);
		kill(victim, SIGKILL);
		_exit(0);
	}
	return pid;
}

static void reap(pid_t pid)
{
	int status;

	waitpid(pid, &status, 0);
}

TEST_F(hup, eof_after_last_writer)
{
	struct kipc_mq_recv rc = { .size = sizeof(rc) };
	char buf[64];
	int r, w;

	r = qopen(KIPC_OPEN_READ, KIPC_MQ_HUP);
	/* No sender has come yet: no end-of-file. */
	EXPECT_EQ(0, poll_now(r) & POLLHUP);
	w = qopen(KIPC_OPEN_WRITE, KIPC_MQ_HUP);
	ASSERT_EQ(2, write(w, "hi", 2));
	close(w);
	/* What was sent is received first. */
	EXPECT_EQ(POLLIN, poll_now(r) & (POLLIN | POLLHUP));
	EXPECT_EQ(2, read(r, buf, sizeof(buf)));
	EXPECT_EQ(POLLHUP, poll_now(r) & (POLLIN | POLLHUP));
	EXPECT_EQ(0, read(r, buf, sizeof(buf)));
	rc.buf = (uintptr_t)buf;
	rc.len = sizeof(buf);
	EXPECT_ERRNO(ENODATA, ioctl(r, KIPC_IOC_MQ_RECV, &rc));
	EXPECT_EQ(-ENODATA, kipc_mq_receive(r, buf, sizeof(buf), NULL));

	/* A new sender clears it. */
	w = qopen(KIPC_OPEN_WRITE, 0);
	EXPECT_EQ(0, poll_now(r) & POLLHUP);
	rc.flags = KIPC_WAIT_NONBLOCK;
	EXPECT_ERRNO(EAGAIN, ioctl(r, KIPC_IOC_MQ_RECV, &rc));
	close(w);
	close(r);
}

TEST_F(hup, epipe_after_last_reader)
{
	char buf[64];
	int r, w;

	w = qopen(KIPC_OPEN_WRITE, KIPC_MQ_HUP);
	r = qopen(KIPC_OPEN_READ, 0);
	ASSERT_EQ(1, write(w, "a", 1));
	close(r);
	EXPECT_ERRNO(EPIPE, write(w, "b", 1));
	EXPECT_EQ(-EPIPE, kipc_mq_send(w, "b", 1, 0));
	EXPECT_EQ(POLLERR, poll_now(w) & (POLLERR | POLLOUT));
	/* Nothing was queued by the failed sends. */
	EXPECT_EQ(1U, test_mq_depth(w));

	r = qopen(KIPC_OPEN_READ, 0);
	EXPECT_EQ(0, poll_now(w) & POLLERR);
	EXPECT_EQ(1, read(r, buf, sizeof(buf)));
	EXPECT_EQ(0, kipc_mq_send(w, "c", 1, 0));
	close(r);
	close(w);
}

/* A receiver blocked on the queue wakes with end-of-file. */
TEST_F(hup, kill9_writer_wakes_receiver)
{
	struct timespec rel = { .tv_sec = 20 };
	pid_t w, k;
	char buf[64];
	int r;

	r = qopen(KIPC_OPEN_READ, KIPC_MQ_HUP);
	w = holder(self->fd, self->name, KIPC_OPEN_WRITE);
	ASSERT_LT(0, w);
	k = killer(w, 200);
	EXPECT_EQ(-ENODATA,
		  kipc_mq_receive_timeout(r, buf, sizeof(buf), NULL, &rel));
	reap(k);
	reap(w);
	close(r);
}

/* A sender blocked on a full queue wakes with EPIPE. */
TEST_F(hup, kill9_reader_wakes_sender)
{
	struct timespec rel = { .tv_sec = 20 };
	pid_t rd, k;
	int w;

	w = qopen(KIPC_OPEN_WRITE, KIPC_MQ_HUP);
	rd = holder(self->fd, self->name, KIPC_OPEN_READ);
	ASSERT_LT(0, rd);
	ASSERT_EQ(0, kipc_mq_send(w, "x", 1, 0));
	k = killer(rd, 200);
	EXPECT_EQ(-EPIPE, kipc_mq_send_timeout(w, "y", 1, 0, &rel));
	reap(k);
	reap(rd);
	close(w);
}

/* Without the flag nothing changes: no EOF, no EPIPE, no EPOLLHUP. */
TEST_F(hup, default_is_posix)
{
	struct kipc_mq_recv rc = {
		.size = sizeof(rc), .flags = KIPC_WAIT_NONBLOCK,
	};
	char buf[64];
	int r, w;

	r = qopen(KIPC_OPEN_READ, 0);
	w = qopen(KIPC_OPEN_WRITE, 0);
	close(w);
	rc.buf = (uintptr_t)buf;
	rc.len = sizeof(buf);
	EXPECT_ERRNO(EAGAIN, ioctl(r, KIPC_IOC_MQ_RECV, &rc));
	EXPECT_EQ(0, poll_now(r) & (POLLHUP | POLLERR));
	w = qopen(KIPC_OPEN_WRITE, 0);
	close(r);
	EXPECT_EQ(1, write(w, "a", 1));
	EXPECT_EQ(0, poll_now(w) & (POLLHUP | POLLERR));
	close(w);
}

/*
 * An open that fails was never a sender: a writer whose open reply faults
 * (the command on a read-only page: read, then the reply refused) does not
 * hang up a queue that never had a writer, so its blocked receiver keeps
 * waiting, and times out rather than seeing end-of-file.
 */
TEST_F(hup, failed_open_is_not_a_side)
{
	struct kipc_mq_recv rcv = { .size = sizeof(rcv) };
	struct kipc_open *cmd;
	char buf[64];
	int r;

	r = qopen(KIPC_OPEN_READ, KIPC_MQ_HUP);
	cmd = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, cmd);
	cmd->size = sizeof(*cmd);
	cmd->flags = KIPC_OPEN_WRITE | KIPC_OPEN_CLOEXEC;
	cmd->type = KIPC_OBJ_MQ;
	cmd->name = (uintptr_t)self->name;
	ASSERT_EQ(0, mprotect(cmd, getpagesize(), PROT_READ));
	EXPECT_EQ(-1, ioctl(self->fd, KIPC_IOC_OPEN, cmd));
	EXPECT_EQ(EFAULT, errno);
	munmap(cmd, getpagesize());

	rcv.buf = (uintptr_t)buf;
	rcv.len = sizeof(buf);
	rcv.flags = KIPC_WAIT_NONBLOCK;
	EXPECT_EQ(-1, ioctl(r, KIPC_IOC_MQ_RECV, &rcv));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, poll_now(r) & POLLHUP);
	close(r);
}

TEST_F(hup, attr_flags)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = 1, .max_msgsize = 1, .flags = 1U << 2 },
	};
	struct kipc_version ver;
	struct kipc_info info;
	int q;

	test_ioctl_version(&ver);
	ASSERT_NE(0ULL, ver.out_features & KIPC_FEATURE_MQ_HUP);
	test_err_open(EOPNOTSUPP, KIPC_OBJ_MQ, self->name, KIPC_NEW, 0600,
		      &attr);
	attr.mq.flags = KIPC_MQ_HUP;
	attr.mq.__reserved = 1;
	test_err_open(EOPNOTSUPP, KIPC_OBJ_MQ, self->name, KIPC_NEW, 0600,
		      &attr);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_MQ, self->name));

	q = qopen(KIPC_RW, KIPC_MQ_HUP);
	test_ioctl_info(q, &info);
	EXPECT_EQ(KIPC_MQ_HUP, info.out_attr.mq.flags);
	close(q);

	/*
	 * Not for an anonymous queue, whose one description is both sides;
	 * the same call without it makes one.
	 */
	attr.mq.__reserved = 0;
	test_err_open(EINVAL, KIPC_OBJ_MQ, NULL,
		      KIPC_RW | KIPC_OPEN_CREATE | KIPC_OPEN_ANON, 0600, &attr);
	attr.mq.flags = 0;
	q = kipc_open(KIPC_OBJ_MQ, NULL,
		      KIPC_RW | KIPC_OPEN_CREATE | KIPC_OPEN_ANON, 0600, &attr,
		      NULL);
	ASSERT_LE(0, q);
	close(q);
}

TEST_HARNESS_MAIN
