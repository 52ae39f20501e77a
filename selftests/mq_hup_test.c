// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hang-up (KIPC_MQ_HUP): a queue created with it gives its receivers
 * end-of-file once the last description that may send is gone and the
 * queue is empty, and its senders EPIPE once the last description that may
 * receive is gone; a new description of that side clears it. Without the
 * flag a queue behaves as before. Peers die by kill -9 here, as in life.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <linux/userfaultfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
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
/*
 * Many blocked waiters, more than the kernel wakes under one hold of the
 * queue's lock (it wakes them in batches), all hear of the hang-up.
 */
#define HUP_MANY	40

struct hup_waiter {
	pthread_t thread;
	int fd;
	bool send;
	long ret;
};

static void *hup_waiter_fn(void *arg)
{
	struct timespec rel = { .tv_sec = 60 };
	struct hup_waiter *hw = arg;
	char buf[64];

	if (hw->send)
		hw->ret = kipc_mq_send_timeout(hw->fd, "y", 1, 0, &rel);
	else
		hw->ret = kipc_mq_receive_timeout(hw->fd, buf, sizeof(buf),
						  NULL, &rel);
	return NULL;
}

/* Block HUP_MANY threads on @fd; kill -9 @peer, the other side's holder. */
static void hup_many(struct __test_metadata *_metadata, int fd, bool send,
		     pid_t peer, long want)
{
	int attr = send ? KIPC_A_OBJ_MQ_WAIT_SEND : KIPC_A_OBJ_MQ_WAIT_RECV;
	struct hup_waiter hw[HUP_MANY];
	struct kipc_nl nl;
	unsigned int i;
	__u64 id;

	test_nl_open(&nl);
	id = test_obj_id(fd);
	for (i = 0; i < HUP_MANY; i++) {
		hw[i] = (struct hup_waiter){ .fd = fd, .send = send };
		ASSERT_EQ(0, pthread_create(&hw[i].thread, NULL,
					    hup_waiter_fn, &hw[i]));
	}
	test_nl_mq_wait(&nl, id, attr, HUP_MANY);
	kill(peer, SIGKILL);
	reap(peer);
	for (i = 0; i < HUP_MANY; i++) {
		pthread_join(hw[i].thread, NULL);
		EXPECT_EQ(want, hw[i].ret) TH_LOG("waiter %u", i);
	}
	EXPECT_EQ(0ULL, test_nl_mq(&nl, id, attr));
	close(nl.fd);
}

TEST_F(hup, many_receivers_all_get_eof)
{
	pid_t w;
	int r;

	r = qopen(KIPC_OPEN_READ, KIPC_MQ_HUP);
	w = holder(self->fd, self->name, KIPC_OPEN_WRITE);
	ASSERT_LT(0, w);
	hup_many(_metadata, r, false, w, -ENODATA);
	close(r);
}

TEST_F(hup, many_senders_all_get_epipe)
{
	pid_t rd;
	int w;

	w = qopen(KIPC_OPEN_WRITE, KIPC_MQ_HUP);
	rd = holder(self->fd, self->name, KIPC_OPEN_READ);
	ASSERT_LT(0, rd);
	ASSERT_EQ(0, kipc_mq_send(w, "x", 1, 0));
	hup_many(_metadata, w, true, rd, -EPIPE);
	/* Nothing any of them sent was queued. */
	EXPECT_EQ(1U, test_mq_depth(w));
	close(w);
}

/*
 * A receiver whose copy-out faults puts its message back. While such a
 * copy is stalled (userfaultfd holds it), the queue is empty and no sender
 * is left, but it is not at end-of-file yet: a second receiver must wait
 * (or get EAGAIN), not take end-of-file while a message is on its way back.
 * Once the stalled copy fails, the second receiver gets the message; once
 * it succeeds instead, the second receiver wakes with end-of-file.
 */
struct stalled_recv {
	int fd;
	char *buf;
	long ret;
};

static void *stalled_recv_fn(void *arg)
{
	struct stalled_recv *sr = arg;

	sr->ret = kipc_mq_receive(sr->fd, sr->buf, 64, NULL);
	return NULL;
}

static void hup_stalled_copy(struct __test_metadata *_metadata, int devfd,
			     const char *name, bool fails)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct kipc_mq_recv rc = {
		.size = sizeof(rc), .flags = KIPC_WAIT_NONBLOCK,
	};
	struct uffdio_register reg = { 0 };
	struct uffdio_zeropage zp = { 0 };
	struct stalled_recv sr = { 0 };
	struct hup_waiter second = { 0 };
	pthread_t thread;
	struct uffd_msg msg;
	struct kipc_nl nl;
	struct pollfd pfd;
	char buf[64];
	int uffd, r, w;

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		SKIP(return, "userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	sr.buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sr.buf);
	reg.range.start = (uintptr_t)sr.buf;
	reg.range.len = 4096;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));
	zp.range = reg.range;

	r = hup_open(devfd, name, KIPC_OPEN_READ | KIPC_OPEN_CREATE,
		     KIPC_MQ_HUP, 1);
	ASSERT_LE(0, r);
	w = hup_open(devfd, name, KIPC_OPEN_WRITE, 0, 1);
	ASSERT_LE(0, w);
	ASSERT_EQ(1, write(w, "m", 1));
	close(w);
	/* No sender left, one message queued: not the end yet. */
	ASSERT_EQ(POLLIN, poll_now(r) & (POLLIN | POLLHUP));

	sr.fd = r;
	ASSERT_EQ(0, pthread_create(&thread, NULL, stalled_recv_fn, &sr));
	pfd.fd = uffd;
	pfd.events = POLLIN;
	ASSERT_EQ(1, poll(&pfd, 1, 20000));
	ASSERT_EQ((ssize_t)sizeof(msg), read(uffd, &msg, sizeof(msg)));
	ASSERT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);
	ASSERT_EQ(0U, test_mq_depth(r));

	/* Empty, no sender, but a message may come back. */
	EXPECT_EQ(0, poll_now(r) & POLLHUP);
	rc.buf = (uintptr_t)buf;
	rc.len = sizeof(buf);
	EXPECT_ERRNO(EAGAIN, ioctl(r, KIPC_IOC_MQ_RECV, &rc));
	test_nl_open(&nl);
	second.fd = r;
	ASSERT_EQ(0, pthread_create(&second.thread, NULL, hup_waiter_fn,
				    &second));
	test_nl_mq_wait(&nl, test_obj_id(r), KIPC_A_OBJ_MQ_WAIT_RECV, 1);

	if (fails) {
		ASSERT_EQ(0, munmap(sr.buf, 4096));
		ASSERT_EQ(0, ioctl(uffd, UFFDIO_WAKE, &zp.range));
	} else {
		ASSERT_EQ(0, ioctl(uffd, UFFDIO_ZEROPAGE, &zp));
	}
	ASSERT_EQ(0, pthread_join(thread, NULL));
	ASSERT_EQ(0, pthread_join(second.thread, NULL));
	if (fails) {
		EXPECT_EQ(-EFAULT, sr.ret);
		/* The message went back, and to the waiting receiver. */
		EXPECT_EQ(1, second.ret);
	} else {
		EXPECT_EQ(1, sr.ret);
		EXPECT_EQ(-ENODATA, second.ret);
		EXPECT_EQ('m', sr.buf[0]);
		munmap(sr.buf, 4096);
	}
	/* Now it is the end. */
	EXPECT_EQ(POLLHUP, poll_now(r) & (POLLIN | POLLHUP));
	EXPECT_EQ(-ENODATA, kipc_mq_receive(r, buf, sizeof(buf), NULL));
	close(nl.fd);
	close(r);
	close(uffd);
}

TEST_F(hup, faulting_receiver_not_eof_then_message)
{
	hup_stalled_copy(_metadata, self->fd, self->name, true);
}

TEST_F(hup, stalled_receiver_then_eof)
{
	hup_stalled_copy(_metadata, self->fd, self->name, false);
}

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
		.mq = { .max_msgs = 1, .max_msgsize = 1, .flags = 1U << 5 },
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
