/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The process harness of the kipc selftests: module parameters and user
 * namespace maps, identity and capability changes for the permission and
 * limit tests, forked children tied to the test, fd passing, the child that
 * makes one blocking call and takes signals (struct kipc_call), and the
 * semaphore waiter children. Included through kipc_test.h, after
 * kipc_test_ioctl.h, whose wrappers the children call.
 */
#ifndef KIPC_TEST_PROC_H
#define KIPC_TEST_PROC_H

#ifndef KIPC_TEST_H
#error "include kipc_test.h, which includes this file"
#endif

/* --- module parameters ------------------------------------------------- */

static inline int kipc_param_read(const char *param, unsigned long long *val)
{
	char path[128], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), KIPC_PARAM_DIR "%s", param);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	*val = strtoull(buf, NULL, 10);
	return 0;
}

/* Write @s to @path in one write(): 0, or -errno (-EIO if it fell short). */
static inline int kipc_write_file(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	close(fd);
	if (n != (ssize_t)len)
		return n < 0 ? -errno : -EIO;
	return 0;
}

static inline int kipc_param_write(const char *param, unsigned long long val)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), KIPC_PARAM_DIR "%s", param);
	snprintf(buf, sizeof(buf), "%llu\n", val);
	return kipc_write_file(path, buf);
}

/*
 * In a user namespace this process just unshared, map @uid and @gid inside
 * to its uid and gid outside (setgroups denied first, as an unprivileged
 * process must): 0, or -errno.
 */
static inline int kipc_userns_map(uid_t uid, uid_t out_uid, gid_t gid,
				  gid_t out_gid)
{
	char map[64];
	int ret;

	ret = kipc_write_file("/proc/self/setgroups", "deny");
	if (ret)
		return ret;
	snprintf(map, sizeof(map), "%u %u 1", uid, out_uid);
	ret = kipc_write_file("/proc/self/uid_map", map);
	if (ret)
		return ret;
	snprintf(map, sizeof(map), "%u %u 1", gid, out_gid);
	return kipc_write_file("/proc/self/gid_map", map);
}

#define test_param(_param)						\
	({								\
		unsigned long long __v = 0;				\
		ASSERT_EQ(0, kipc_param_read(_param, &__v));		\
		__v;							\
	})
#define test_set_param(_param, _val) \
	ASSERT_EQ(0, kipc_param_write(_param, _val))

/* --- identities, capabilities, child processes ------------------------- */

/*
 * Become @uid/@gid with @supp as the only supplementary group (or none).
 * Changing every uid away from 0 clears all capabilities.
 */
static inline int kipc_become(uid_t uid, gid_t gid, gid_t supp)
{
	if (setgroups(supp == KIPC_NO_GROUP ? 0 : 1, &supp))
		return -errno;
	if (setresgid(gid, gid, gid))
		return -errno;
	if (setresuid(uid, uid, uid))
		return -errno;
	return 0;
}
#define test_become(_uid, _gid, _supp) \
	ASSERT_EQ(0, kipc_become(_uid, _gid, _supp))

/* Clear @cap from the effective set of the calling thread, raw capset(2). */
static inline int kipc_drop_effective_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[CAP_TO_INDEX(cap)].effective &= ~CAP_TO_MASK(cap);
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}
#define test_drop_cap(_cap) \
	ASSERT_EQ(0, kipc_drop_effective_cap(_cap))

/*
 * Forked children use the harness macros too: _metadata is shared, so a
 * failure there fails the test. A failed ASSERT in a child ends the child.
 * Children must leave through _exit().
 */
#define test_wait_child(_pid)						\
	({								\
		int __status = 0;					\
		ASSERT_EQ(_pid, waitpid(_pid, &__status, 0));		\
		ASSERT_TRUE(WIFEXITED(__status))			\
			TH_LOG("child killed by signal %d",		\
			       WTERMSIG(__status));			\
		ASSERT_EQ(0, WEXITSTATUS(__status));			\
	})

/* Fork; the child runs as @uid/@gid/@supp. Returns 0 in the child. */
#define test_fork_as(_uid, _gid, _supp)					\
	({								\
		pid_t __pid = fork();					\
		ASSERT_LE(0, __pid);					\
		if (__pid == 0)						\
			test_become(_uid, _gid, _supp);			\
		__pid;							\
	})

/* Fork; the child gets a new, empty IPC namespace. Returns 0 in the child. */
#define test_fork_newipc()						\
	({								\
		pid_t __pid = fork();					\
		ASSERT_LE(0, __pid);					\
		if (__pid == 0)						\
			ASSERT_EQ(0, unshare(CLONE_NEWIPC));		\
		__pid;							\
	})

/* Wait for one byte on @_fd from a child or a parent (EOF fails). */
#define test_sync_read(_fd)						\
	do {								\
		char __c;						\
		ASSERT_EQ(1, (int)read(_fd, &__c, 1));			\
	} while (0)
#define test_sync_write(_fd)						\
	do {								\
		char __c = 0;						\
		ASSERT_EQ(1, (int)write(_fd, &__c, 1));			\
	} while (0)

/* --- unloading and loading the module -------------------------------- */

/* For the tests that unload kipc: finit_module() of $KIPC_KO, or of this. */
#define KIPC_MODNAME	"kipc"
#define KIPC_KO_DEFAULT	"/kipc/kipc.ko"

static inline int kipc_mod_unload(void)
{
	return syscall(SYS_delete_module, KIPC_MODNAME, O_NONBLOCK);
}

static inline bool kipc_mod_loaded(void)
{
	return access("/sys/module/" KIPC_MODNAME, F_OK) == 0;
}

static inline int kipc_mod_load(void)
{
	const char *ko = getenv("KIPC_KO") ?: KIPC_KO_DEFAULT;
	int fd, ret;

	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret;
}

/* devtmpfs creates the node from the uevent, maybe after finit_module(). */
#define test_load()							\
	do {								\
		int __i;						\
									\
		ASSERT_EQ(0, kipc_mod_load())				\
			TH_LOG("finit_module: %s", strerror(errno));	\
		for (__i = 0; __i < 200; __i++) {			\
			if (access(KIPC_DEVICE_PATH, F_OK) == 0)	\
				break;					\
			usleep(10000);					\
		}							\
		ASSERT_EQ(0, access(KIPC_DEVICE_PATH, F_OK));		\
	} while (0)

#define test_unload()							\
	do {								\
		ASSERT_EQ(0, kipc_mod_unload())				\
			TH_LOG("delete_module: %s", strerror(errno));	\
		ASSERT_FALSE(kipc_mod_loaded());			\
	} while (0)

#define test_err_unload(_errno)						\
	do {								\
		EXPECT_ERRNO(_errno, kipc_mod_unload());		\
		ASSERT_TRUE(kipc_mod_loaded());				\
	} while (0)

/*
 * In a fixture that holds no /dev/kipc fd but opens one where needed, in
 * self->fd (-1 when closed).
 */
#define test_dev_open()							\
	do {								\
		self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);	\
		ASSERT_LE(0, self->fd);					\
	} while (0)

#define test_dev_close()						\
	do {								\
		close(self->fd);					\
		self->fd = -1;						\
	} while (0)

/* --- passing fds ---------------------------------------------------------- */

/* Pass @fd over the unix socket @sock (SCM_RIGHTS): 0, or -1. */
static inline int kipc_send_fd(int sock, int fd)
{
	char data = 'k';
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cmsg;

	memset(&u, 0, sizeof(u));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/* The fd passed by kipc_send_fd(), or -1. */
static inline int kipc_recv_fd(int sock)
{
	char data;
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS ||
	    cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

static inline __u64 kipc_now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Fork a child that dies with the test: a child left blocked in the kernel
 * after a failed assertion would otherwise hold the queue, and the module,
 * for ever. Returns 0 in the child.
 */
#define test_fork()							\
	({								\
		pid_t __ppid = getpid();				\
		pid_t __pid = fork();					\
		ASSERT_LE(0, __pid);					\
		if (__pid == 0) {					\
			ASSERT_EQ(0, prctl(PR_SET_PDEATHSIG, SIGKILL));	\
			if (getppid() != __ppid)			\
				_exit(1);				\
		}							\
		__pid;							\
	})

/* --- blocking calls, made by a child -------------------------------- */

/*
 * A test that needs a task blocked in the kernel starts a child that makes
 * one call (struct kipc_call) and writes back what came of it (struct
 * kipc_call_result) on a pipe. The parent learns that the child is blocked
 * from the queue's statistics (KIPC_A_OBJ_MQ_WAIT_SEND, _WAIT_RECV) or, for
 * poll and epoll, from /proc; never from a sleep alone.
 */
enum {
	KIPC_CALL_RECV,
	KIPC_CALL_SEND,
	KIPC_CALL_READ,
	KIPC_CALL_WRITE,
	KIPC_CALL_RECVV,
	KIPC_CALL_SENDV,
	KIPC_CALL_POLL,
	KIPC_CALL_EPOLL,
};

/* How the child handles SIGUSR1. */
enum {
	KIPC_SIG_DEFAULT,
	KIPC_SIG_NO_RESTART,
	KIPC_SIG_RESTART,
};

#define KIPC_CALL_MSG	64
#define KIPC_CALL_VEC	4

/**
 * struct kipc_call_msg - one message of a call
 * @len: send: the message length; receive: the buffer size in, out_len out
 * @prio: send: the priority; receive: out_prio
 * @data: send: the message; receive: what was received
 */
struct kipc_call_msg {
	__u32 len;
	__u32 prio;
	char data[KIPC_CALL_MSG];
};

/**
 * struct kipc_call - one call for a child to make
 * @op: KIPC_CALL_*
 * @flags: KIPC_WAIT_* bits; for poll and epoll, the events
 * @clockid: with KIPC_WAIT_DEADLINE
 * @deadline: with KIPC_WAIT_DEADLINE
 * @count: vectored calls: how many entries of @msg
 * @fault: receive: into a buffer that cannot be written (EFAULT)
 * @msg: the messages (single calls use msg[0])
 */
struct kipc_call {
	int op;
	__u32 flags;
	__u32 clockid;
	__u64 deadline;
	__u32 count;
	bool fault;
	struct kipc_call_msg msg[KIPC_CALL_VEC];
};

/**
 * struct kipc_call_result - what came of a call, as the child saw it
 * @ret: the return value
 * @err: errno when @ret < 0
 * @revents: poll and epoll: the events reported
 * @t_end: CLOCK_MONOTONIC when the call returned
 * @t_end_real: CLOCK_REALTIME when the call returned
 * @msg: receive: the messages, lengths and priorities
 */
struct kipc_call_result {
	int ret;
	int err;
	__u32 revents;
	__u64 t_end;
	__u64 t_end_real;
	struct kipc_call_msg msg[KIPC_CALL_VEC];
};

/**
 * struct kipc_child - a child making a call
 * @pid: its pid
 * @res: read end of the pipe the struct kipc_call_result comes on
 * @sig: read end of a pipe that gets one byte each time its handler runs
 */
struct kipc_child {
	pid_t pid;
	int res;
	int sig;
};

static int kipc_sig_fd = -1;

static inline void kipc_on_signal(int sig)
{
	char c = (char)sig;

	if (write(kipc_sig_fd, &c, 1) != 1)
		_exit(3);
}

static inline int kipc_call_vec(int qfd, const struct kipc_call *c,
				struct kipc_call_result *r, bool recv)
{
	struct kipc_mq_vec vec[KIPC_CALL_VEC];
	struct kipc_mq_sendv cmd = {
		.size = sizeof(cmd),
		.flags = c->flags,
		.vec = (uintptr_t)vec,
		.count = c->count,
		.clockid = c->clockid,
		.deadline = c->deadline,
	};
	unsigned int i;
	int ret;

	for (i = 0; i < KIPC_CALL_VEC; i++) {
		vec[i].buf = (uintptr_t)(recv ? r->msg[i].data :
					 c->msg[i].data);
		vec[i].len = c->msg[i].len;
		vec[i].prio = c->msg[i].prio;
	}
	ret = ioctl(qfd, recv ? KIPC_IOC_MQ_RECVV : KIPC_IOC_MQ_SENDV, &cmd);
	for (i = 0; recv && ret > 0 && i < (unsigned int)ret; i++) {
		r->msg[i].len = vec[i].len;
		r->msg[i].prio = vec[i].prio;
	}
	return ret;
}

static inline void kipc_call_do(int qfd, const struct kipc_call *c,
				struct kipc_call_result *r)
{
	const struct kipc_call_msg *m = &c->msg[0];
	struct kipc_mq_send snd = {
		.size = sizeof(snd),
		.flags = c->flags,
		.buf = (uintptr_t)m->data,
		.len = m->len,
		.prio = m->prio,
		.clockid = c->clockid,
		.deadline = c->deadline,
	};
	struct kipc_mq_recv rcv = {
		.size = sizeof(rcv),
		.flags = c->flags,
		.buf = c->fault ? 8 : (uintptr_t)r->msg[0].data,
		.len = m->len,
		.clockid = c->clockid,
		.deadline = c->deadline,
	};
	struct pollfd pfd = { .fd = qfd, .events = (short)c->flags };
	struct epoll_event ev = { .events = c->flags };
	int efd;

	switch (c->op) {
	case KIPC_CALL_RECV:
		r->ret = ioctl(qfd, KIPC_IOC_MQ_RECV, &rcv);
		r->msg[0].len = rcv.out_len;
		r->msg[0].prio = rcv.out_prio;
		break;
	case KIPC_CALL_SEND:
		r->ret = ioctl(qfd, KIPC_IOC_MQ_SEND, &snd);
		break;
	case KIPC_CALL_READ:
		r->ret = read(qfd, r->msg[0].data, m->len);
		break;
	case KIPC_CALL_WRITE:
		r->ret = write(qfd, m->data, m->len);
		break;
	case KIPC_CALL_RECVV:
	case KIPC_CALL_SENDV:
		r->ret = kipc_call_vec(qfd, c, r, c->op == KIPC_CALL_RECVV);
		break;
	case KIPC_CALL_POLL:
		r->ret = poll(&pfd, 1, -1);
		r->revents = pfd.revents;
		break;
	case KIPC_CALL_EPOLL:
		efd = epoll_create1(EPOLL_CLOEXEC);
		if (efd < 0 || epoll_ctl(efd, EPOLL_CTL_ADD, qfd, &ev)) {
			r->ret = -2;
			break;
		}
		r->ret = epoll_wait(efd, &ev, 1, -1);
		r->revents = ev.events;
		close(efd);
		break;
	}
	r->err = r->ret < 0 ? errno : 0;
	r->t_end = kipc_now_ns(CLOCK_MONOTONIC);
	r->t_end_real = kipc_now_ns(CLOCK_REALTIME);
}

/*
 * Fork the child of a blocking call, with a pipe for its result and one its
 * SIGUSR1 handler writes to, the signal handled as @sigmode says. Returns
 * true in the child, where ch->res is the result pipe's write end: the child
 * makes its call and leaves through kipc_child_exit(). In the parent, @ch
 * holds the pid and the read ends.
 */
static inline bool kipc_child_start(struct __test_metadata *_metadata,
				    int sigmode, struct kipc_child *ch)
{
	int res[2], sig[2];

	ASSERT_EQ(0, pipe2(res, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(sig, O_CLOEXEC));
	ch->pid = test_fork();
	if (ch->pid == 0) {
		struct sigaction sa = { .sa_handler = kipc_on_signal };

		close(res[0]);
		close(sig[0]);
		kipc_sig_fd = sig[1];
		if (sigmode != KIPC_SIG_DEFAULT) {
			sa.sa_flags = sigmode == KIPC_SIG_RESTART ?
				      SA_RESTART : 0;
			sigemptyset(&sa.sa_mask);
			ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
		}
		ch->res = res[1];
		ch->sig = -1;
		return true;
	}
	close(res[1]);
	close(sig[1]);
	ch->res = res[0];
	ch->sig = sig[0];
	return false;
}

/* In the child of kipc_child_start(): write the @len bytes of @r, exit. */
static inline void kipc_child_exit(struct __test_metadata *_metadata,
				   const struct kipc_child *ch,
				   const void *r, size_t len)
{
	ASSERT_EQ((ssize_t)len, write(ch->res, r, len));
	_exit(0);
}

/* Start a child that makes @c on @qfd, handling SIGUSR1 as @sigmode says. */
static inline void kipc_call_start(struct __test_metadata *_metadata, int qfd,
				   const struct kipc_call *c, int sigmode,
				   struct kipc_child *ch)
{
	if (kipc_child_start(_metadata, sigmode, ch)) {
		struct kipc_call_result r;

		memset(&r, 0, sizeof(r));
		kipc_call_do(qfd, c, &r);
		kipc_child_exit(_metadata, ch, &r, sizeof(r));
	}
}
#define test_call_start(_qfd, _c, _sigmode, _ch) \
	kipc_call_start(_metadata, _qfd, _c, _sigmode, _ch)

/* The child's result; the child has exited cleanly afterwards. */
#define test_call_result(_ch, _r)					\
	do {								\
		ASSERT_EQ((ssize_t)sizeof(*(_r)),			\
			  read((_ch)->res, _r, sizeof(*(_r))));		\
		test_wait_child((_ch)->pid);				\
		close((_ch)->res);					\
		close((_ch)->sig);					\
	} while (0)

/* Wait until the child's handler has run once. */
#define test_call_signalled(_ch)					\
	({								\
		char __c = 0;						\
		ASSERT_EQ(1, read((_ch)->sig, &__c, 1));		\
	})

/* SIGKILL the child and reap it. */
#define test_call_kill(_ch)						\
	({								\
		int __st = 0;						\
		ASSERT_EQ(0, kill((_ch)->pid, SIGKILL));		\
		ASSERT_EQ((_ch)->pid, waitpid((_ch)->pid, &__st, 0));	\
		ASSERT_TRUE(WIFSIGNALED(__st));				\
		ASSERT_EQ(SIGKILL, WTERMSIG(__st));			\
		close((_ch)->res);					\
		close((_ch)->sig);					\
	})

/*
 * Start @_c on queue @_qfd (id @_id) in a child without SA_RESTART, wait
 * until the queue counts it among the waiters of @_wait_attr
 * (KIPC_A_OBJ_MQ_WAIT_SEND or _WAIT_RECV) on @_nl, and signal it: the call
 * must fail with EINTR and leave no waiter behind. @_r gets the result.
 */
#define test_call_eintr(_nl, _qfd, _id, _c, _wait_attr, _r)		\
	do {								\
		struct kipc_child __ch;					\
									\
		test_call_start(_qfd, _c, KIPC_SIG_NO_RESTART, &__ch);	\
		test_nl_mq_wait(_nl, _id, _wait_attr, 1);		\
		ASSERT_EQ(0, kill(__ch.pid, SIGUSR1));			\
		test_call_result(&__ch, _r);				\
		ASSERT_EQ(-1, (_r)->ret);				\
		ASSERT_EQ(EINTR, (_r)->err);				\
		ASSERT_EQ(0ULL, test_nl_mq(_nl, _id, _wait_attr));	\
	} while (0)

/* Wait until @pid sleeps in poll() or epoll_wait(), as /proc tells. */
static inline int kipc_wait_polling(pid_t pid)
{
	char path[64], buf[256];
	int i, fd;
	ssize_t n;

	for (i = 0; i < 20000; i++) {
		bool sleeping = false, polling = false;

		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			char *p;

			buf[n] = '\0';
			p = strrchr(buf, ')');
			sleeping = p && p[1] == ' ' && p[2] == 'S';
		}
		snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			polling = strstr(buf, "poll");
		}
		if (sleeping && polling)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}
#define test_wait_polling(_pid) ASSERT_EQ(0, kipc_wait_polling(_pid))

/*
 * fork() for children that must not outlive the test: a test that fails
 * must not leave a waiter blocked for ever, holding an fd that pins the
 * module. The parent-death signal is cleared when the child changes its
 * credentials; such children must not block.
 */
static inline pid_t kipc_fork_tied(void)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid == 0 &&
	    (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent))
		_exit(1);
	return pid;
}

/* What a waiter child reports through its pipe. */
struct kipc_sem_result {
	int tag;	/* which child, or what the child counted */
	int err;	/* 0, or the errno of its wait */
	__u32 out_flags;
};

/*
 * Fork a child that waits once on @objfd as _test_cmd_sem_wait() does and
 * writes a struct kipc_sem_result tagged @tag to @wfd (atomic: it is
 * shorter than PIPE_BUF). Returns the child's pid, or -1.
 */
static inline pid_t kipc_sem_spawn_waiter(int objfd, __u32 count, __u32 flags,
					  __u32 clockid, __u64 deadline,
					  int tag, int wfd)
{
	pid_t pid = kipc_fork_tied();

	if (pid == 0) {
		struct kipc_sem_result r = { .tag = tag };

		if (_test_cmd_sem_wait(objfd, count, flags, clockid, deadline,
				       &r.out_flags))
			r.err = errno;
		_exit(write(wfd, &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	return pid;
}
#define test_sem_spawn_waiter(_objfd, _count, _flags, _tag, _wfd)	\
	({								\
		pid_t __p = kipc_sem_spawn_waiter(_objfd, _count, _flags, \
						  0, 0, _tag, _wfd);	\
		ASSERT_LE(0, __p);					\
		__p;							\
	})

/* Read one result; a child that died without writing fails the read. */
#define test_sem_read_result(_rfd, _r)					\
	ASSERT_EQ((ssize_t)sizeof(*(_r)), read(_rfd, _r, sizeof(*(_r))))

#endif /* KIPC_TEST_PROC_H */
