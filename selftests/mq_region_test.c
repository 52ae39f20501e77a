// SPDX-License-Identifier: GPL-2.0-only
/*
 * Regions in messages (KIPC_MQ_REGIONS, KIPC_SEND_REGION, KIPC_RECV_REGION):
 * a message carries a region, the receiver gets a new close-on-exec fd for
 * it with no more access than the sender had; KIPC_SEND_SEALED; every bad
 * fd refused with nothing queued; receives that cannot take a region get
 * EBADMSG and take nothing; a full fd table (EMFILE) and a fault (EFAULT)
 * leave the message queued; peek names the region without an fd; and the
 * region's reference goes wherever the message goes.
 */
#include <dirent.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kipc_test.h"

#define MSG	64
#define RSIZE	8192

FIXTURE(region) {
	int fd;
	char name[KIPC_NAME_MAX + 1];
	char rname[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(region)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, "regq");
	test_name(self->rname, "regr");
}

FIXTURE_TEARDOWN(region)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	_test_cmd_unlink(self->fd, KIPC_OBJ_SHM, self->rname);
	close(self->fd);
}

/* Create queue @name with KIPC_MQ_* @mqflags, for reading and writing. */
static int region_q_create(int devfd, const char *name, __u32 mqflags,
			   __u32 max_msgs)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = max_msgs, .max_msgsize = MSG,
			.flags = mqflags },
	};

	return _test_cmd_open(devfd, KIPC_OBJ_MQ, name,
			      KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, &attr, NULL,
			      NULL);
}

#define qcreate(_mqflags)						\
	({								\
		int __q = region_q_create(self->fd, self->name,		\
					  _mqflags, 8);			\
		ASSERT_LE(0, __q) TH_LOG("open: %s", strerror(errno));	\
		__q;							\
	})

/* A region of RSIZE bytes whose first bytes are @text. */
#define rcreate(_text, _id)						\
	({								\
		int __r = test_shm_create(self->rname, RSIZE, _id);	\
		char *__p;						\
		__p = test_shm_mmap(__r, RSIZE, PROT_READ | PROT_WRITE,	\
				    MAP_SHARED, 0);			\
		strcpy(__p, _text);					\
		ASSERT_EQ(0, munmap(__p, RSIZE));			\
		__r;							\
	})

/* SEND of @len bytes carrying region @rfd, with @flags besides. */
static int send_region(int q, const void *buf, __u32 len, __u32 flags,
		       int rfd)
{
	struct kipc_mq_send cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.buf = (uintptr_t)buf,
		.len = len,
		.region_fd = rfd,
	};

	return ioctl(q, KIPC_IOC_MQ_SEND, &cmd);
}

#define test_send_region(_q, _rfd, _flags)				\
	ASSERT_EQ(0, send_region(_q, "hello", 5,			\
				 KIPC_SEND_REGION | (_flags), _rfd))	\
		TH_LOG("send: %s", strerror(errno))

#define test_err_send_region(_errno, _q, _rfd, _flags)			\
	EXPECT_ERRNO(_errno, send_region(_q, "hello", 5,		\
					 KIPC_SEND_REGION | (_flags), _rfd))

/* RECV with @flags; *@out_fd gets out_region_fd (-7 if never written). */
static int recv_region(int q, void *buf, __u32 len, __u32 flags, int *out_fd)
{
	struct kipc_mq_recv cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.buf = (uintptr_t)buf,
		.len = len,
		.out_region_fd = -7,
	};
	int ret = ioctl(q, KIPC_IOC_MQ_RECV, &cmd);

	if (out_fd)
		*out_fd = cmd.out_region_fd;
	return ret;
}

/* Receive the 5-byte "hello" with its region; returns the region's fd. */
#define test_recv_region(_q)						\
	({								\
		char __b[MSG];						\
		int __fd = -1;						\
		ASSERT_EQ(5, recv_region(_q, __b, sizeof(__b),		\
					 KIPC_RECV_REGION, &__fd))	\
			TH_LOG("recv: %s", strerror(errno));		\
		ASSERT_EQ(0, memcmp(__b, "hello", 5));			\
		__fd;							\
	})

/* How many fds the process has open. */
static int count_fds(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

/* Whether object @id still exists, by netlink. */
static bool obj_alive(__u64 id)
{
	struct kipc_nl_msg m;
	struct kipc_nl nl;
	int ret;

	if (kipc_nl_open(&nl))
		return true;
	ret = kipc_nl_obj_get(&nl, id, &m);
	close(nl.fd);
	return ret == 0;
}

static __u64 peek_region_id(int q, __u32 index)
{
	struct kipc_mq_peek cmd = {
		.size = sizeof(cmd),
		.index = index,
		.out_region_id = 0xdeadbeef,
	};
	char buf[MSG];

	cmd.buf = (uintptr_t)buf;
	cmd.len = sizeof(buf);
	if (ioctl(q, KIPC_IOC_MQ_PEEK, &cmd) < 0)
		return ~0ULL;
	return cmd.out_region_id;
}

TEST_F(region, feature)
{
	struct kipc_version ver;

	test_ioctl_version(&ver);
	ASSERT_NE(0ULL, ver.out_features & KIPC_FEATURE_MQ_REGIONS);
}

/* A new fd, the same object, close-on-exec, the sender's bytes. */
TEST_F(region, send_receive)
{
	struct kipc_info info;
	__u64 id;
	int q, r, got, flags;
	char *p;

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("region bytes", &id);
	test_send_region(q, r, 0);
	ASSERT_EQ(1U, test_mq_depth(q));
	got = test_recv_region(q);
	ASSERT_LE(0, got);
	ASSERT_NE(r, got);
	ASSERT_EQ(0U, test_mq_depth(q));
	test_ioctl_info(got, &info);
	ASSERT_EQ(id, info.out_id);
	ASSERT_EQ((__u32)KIPC_OBJ_SHM, info.out_type);
	ASSERT_EQ((__u32)KIPC_RW, info.out_open_flags);
	flags = fcntl(got, F_GETFD);
	ASSERT_LE(0, flags);
	ASSERT_TRUE(flags & FD_CLOEXEC);
	p = test_shm_mmap(got, RSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	ASSERT_STREQ("region bytes", p);
	/* The same memory: the receiver's write is the sender's to see. */
	strcpy(p, "answer");
	ASSERT_EQ(0, munmap(p, RSIZE));
	p = test_shm_mmap(r, RSIZE, PROT_READ, MAP_SHARED, 0);
	ASSERT_STREQ("answer", p);
	ASSERT_EQ(0, munmap(p, RSIZE));
	close(got);
	close(r);
	close(q);
}

/* Never more access than the sender's fd had. */
TEST_F(region, access_never_more)
{
	struct kipc_info info;
	int q, r, ro, got;
	char *p;

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("read only", NULL);
	ro = test_shm_reopen(self->rname, KIPC_OPEN_READ);
	test_send_region(q, ro, 0);
	got = test_recv_region(q);
	test_ioctl_info(got, &info);
	ASSERT_EQ((__u32)KIPC_OPEN_READ, info.out_open_flags);
	test_err_shm_mmap(EACCES, got, RSIZE, PROT_READ | PROT_WRITE,
			  MAP_SHARED, 0);
	p = test_shm_mmap(got, RSIZE, PROT_READ, MAP_SHARED, 0);
	ASSERT_STREQ("read only", p);
	ASSERT_EQ(0, munmap(p, RSIZE));
	close(got);
	close(ro);
	close(r);
	close(q);
}

/* KIPC_SEND_SEALED: refused unless KIPC_SEAL_WRITE and KIPC_SEAL_SHRINK. */
TEST_F(region, sealed)
{
	int q, r, got;

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("sealed", NULL);
	test_err_send_region(EPERM, q, r, KIPC_SEND_SEALED);
	ASSERT_EQ(0U, test_mq_depth(q));
	test_ioctl_shm_seal(r, KIPC_SEAL_WRITE);
	test_err_send_region(EPERM, q, r, KIPC_SEND_SEALED);
	ASSERT_EQ(0U, test_mq_depth(q));
	test_ioctl_shm_seal(r, KIPC_SEAL_SHRINK);
	test_send_region(q, r, KIPC_SEND_SEALED);
	got = test_recv_region(q);
	/* What the receiver relies on: no writable mapping, no shrinking. */
	test_err_shm_mmap(EPERM, got, RSIZE, PROT_READ | PROT_WRITE,
			  MAP_SHARED, 0);
	test_err_shm_resize(EPERM, got, RSIZE / 2);
	close(got);
	close(r);
	close(q);
}

/* Every fd that is not a region: refused, nothing queued. */
TEST_F(region, bad_fds)
{
	int q, r, sem, other, pipefd[2], memfd, closed;
	char sname[KIPC_NAME_MAX + 1];
	struct kipc_mq_send cmd;

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("x", NULL);
	closed = dup(r);
	ASSERT_LE(0, closed);
	close(closed);
	test_err_send_region(EBADF, q, closed, 0);
	test_err_send_region(EBADF, q, -1, 0);
	test_err_send_region(EBADF, q, 1 << 30, 0);

	test_name(sname, "regsem");
	sem = test_sem_create(sname, 1, NULL);
	test_err_send_region(EINVAL, q, sem, 0);
	/* A queue, the very one sent to too. */
	test_err_send_region(EINVAL, q, q, 0);
	other = region_q_create(self->fd, sname, 0, 1);
	ASSERT_LE(0, other);
	test_err_send_region(EINVAL, q, other, 0);
	ASSERT_EQ(0, pipe(pipefd));
	test_err_send_region(EINVAL, q, pipefd[0], 0);
	memfd = syscall(SYS_memfd_create, "notkipc", 0);
	ASSERT_LE(0, memfd);
	test_err_send_region(EINVAL, q, memfd, 0);
	test_err_send_region(EINVAL, q, self->fd, 0);

	/* KIPC_SEND_SEALED without KIPC_SEND_REGION. */
	EXPECT_ERRNO(EINVAL, send_region(q, "x", 1, KIPC_SEND_SEALED, r));
	/* A struct that does not reach region_fd (it would read fd 0). */
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = offsetof(struct kipc_mq_send, region_fd);
	cmd.flags = KIPC_SEND_REGION;
	cmd.buf = (uintptr_t)"x";
	cmd.len = 1;
	EXPECT_ERRNO(EINVAL, ioctl(q, KIPC_IOC_MQ_SEND, &cmd));
	/* __reserved2 must be 0. */
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	cmd.__reserved2 = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(q, KIPC_IOC_MQ_SEND, &cmd));
	/* SENDV carries no region. */
	{
		struct kipc_mq_vec v = { .buf = (uintptr_t)"x", .len = 1 };

		EXPECT_ERRNO(EINVAL, _test_cmd_mq_sendv(q, &v, 1,
							KIPC_SEND_REGION));
		EXPECT_ERRNO(EINVAL, _test_cmd_mq_sendv(q, &v, 1,
							KIPC_SEND_SEALED));
	}
	ASSERT_EQ(0U, test_mq_depth(q));

	/* The region itself goes still. */
	test_send_region(q, r, 0);
	ASSERT_EQ(1U, test_mq_depth(q));
	close(test_recv_region(q));

	close(memfd);
	close(pipefd[0]);
	close(pipefd[1]);
	close(other);
	close(sem);
	test_ioctl_unlink(KIPC_OBJ_SEM, sname);
	test_ioctl_unlink(KIPC_OBJ_MQ, sname);
	close(r);
	close(q);
}

/* A queue without KIPC_MQ_REGIONS refuses regions, but may be asked. */
TEST_F(region, not_a_regions_queue)
{
	char buf[MSG];
	int q, r, fd;

	q = qcreate(KIPC_MQ_CREDS);
	r = rcreate("x", NULL);
	test_err_send_region(EOPNOTSUPP, q, r, 0);
	test_err_send_region(EOPNOTSUPP, q, r, KIPC_SEND_SEALED);
	ASSERT_EQ(0U, test_mq_depth(q));
	test_ioctl_mq_send(q, "plain", 5, 0);
	ASSERT_EQ(5, recv_region(q, buf, sizeof(buf), KIPC_RECV_REGION, &fd));
	ASSERT_EQ(-1, fd);
	close(r);
	close(q);
}

/* A message without a region, received with KIPC_RECV_REGION: -1. */
TEST_F(region, plain_message_minus_one)
{
	int q, before, fd;
	char buf[MSG];

	q = qcreate(KIPC_MQ_REGIONS);
	test_ioctl_mq_send(q, "plain", 5, 0);
	before = count_fds();
	ASSERT_EQ(5, recv_region(q, buf, sizeof(buf), KIPC_RECV_REGION, &fd));
	ASSERT_EQ(-1, fd);
	ASSERT_EQ(before, count_fds());
	close(q);
}

/* Receives that cannot take a region: EBADMSG, nothing taken. */
TEST_F(region, ebadmsg)
{
	struct kipc_mq_vec v;
	struct kipc_mq_recv cmd;
	char buf[MSG];
	int q, r, got;

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("x", NULL);
	test_send_region(q, r, 0);
	test_ioctl_mq_send(q, "after", 5, 0);

	EXPECT_ERRNO(EBADMSG, read(q, buf, sizeof(buf)));
	EXPECT_ERRNO(EBADMSG, recv_region(q, buf, sizeof(buf), 0, NULL));
	v = (struct kipc_mq_vec){ .buf = (uintptr_t)buf, .len = MSG };
	EXPECT_ERRNO(EBADMSG, _test_cmd_mq_recvv(q, &v, 1, 0));
	EXPECT_ERRNO(EOPNOTSUPP, _test_cmd_mq_recvv(q, &v, 1,
						    KIPC_RECV_REGION));
	/* KIPC_RECV_REGION with a struct that does not reach the field. */
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = offsetof(struct kipc_mq_recv, out_region_fd);
	cmd.flags = KIPC_RECV_REGION;
	cmd.buf = (uintptr_t)buf;
	cmd.len = sizeof(buf);
	EXPECT_ERRNO(EINVAL, ioctl(q, KIPC_IOC_MQ_RECV, &cmd));
	ASSERT_EQ(2U, test_mq_depth(q));

	got = test_recv_region(q);
	ASSERT_LE(0, got);
	close(got);
	/* The next has none: read() takes it. */
	ASSERT_EQ(5, read(q, buf, sizeof(buf)));
	ASSERT_EQ(0U, test_mq_depth(q));
	close(r);
	close(q);
}

/* RECVV stops before a region, which stays queued. */
TEST_F(region, recvv_stops_before_region)
{
	struct kipc_mq_vec v[3];
	char bufs[3][MSG];
	int q, r, i;

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("x", NULL);
	test_ioctl_mq_send(q, "one", 3, 0);
	test_send_region(q, r, 0);
	test_ioctl_mq_send(q, "three", 5, 0);
	for (i = 0; i < 3; i++)
		v[i] = (struct kipc_mq_vec){ .buf = (uintptr_t)bufs[i],
					     .len = MSG };
	ASSERT_EQ(1, _test_cmd_mq_recvv(q, v, 3, 0));
	ASSERT_EQ(2U, test_mq_depth(q));
	close(test_recv_region(q));
	ASSERT_EQ(1U, test_mq_depth(q));
	close(r);
	close(q);
}

struct blocked_recv {
	int q;
	__u32 flags;
	int ret;
	int err;
	int fd;
};

static void *blocked_recv_fn(void *arg)
{
	struct blocked_recv *b = arg;
	char buf[MSG];

	b->ret = recv_region(b->q, buf, sizeof(buf), b->flags, &b->fd);
	b->err = errno;
	return NULL;
}

/* Wait until queue @_q has @_n blocked receivers. */
#define await_receivers(_q, _n)						\
	do {								\
		struct kipc_nl __nl;					\
		test_nl_open(&__nl);					\
		test_nl_mq_wait(&__nl, test_obj_id(_q),			\
				KIPC_A_OBJ_MQ_WAIT_RECV, _n);		\
		close(__nl.fd);						\
	} while (0)

/*
 * A receiver asleep on the empty queue: one without KIPC_RECV_REGION wakes
 * with EBADMSG and the message stays; one with it gets the region handed
 * over.
 */
TEST_F(region, blocked_receivers)
{
	struct blocked_recv b = { .fd = -7 };
	pthread_t t;
	int q, r;

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("handed", NULL);

	b.q = q;
	b.flags = 0;
	ASSERT_EQ(0, pthread_create(&t, NULL, blocked_recv_fn, &b));
	await_receivers(q, 1);
	test_send_region(q, r, 0);
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(-1, b.ret);
	ASSERT_EQ(EBADMSG, b.err);
	ASSERT_EQ(1U, test_mq_depth(q));
	close(test_recv_region(q));

	b.flags = KIPC_RECV_REGION;
	b.fd = -7;
	ASSERT_EQ(0, pthread_create(&t, NULL, blocked_recv_fn, &b));
	await_receivers(q, 1);
	test_send_region(q, r, 0);
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(5, b.ret);
	ASSERT_LE(0, b.fd);
	ASSERT_EQ(test_obj_id(r), test_obj_id(b.fd));
	close(b.fd);
	ASSERT_EQ(0U, test_mq_depth(q));
	close(r);
	close(q);
}

/* A full fd table: EMFILE, the message stays; with room it comes. */
TEST_F(region, emfile)
{
	struct rlimit old, low;
	int q, r, i, n = 0, top = -1, got;
	int dups[64];
	char buf[MSG];

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("emfile", NULL);
	test_send_region(q, r, 0);
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	/* Fill every fd below the limit. */
	low = old;
	low.rlim_cur = 64;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &low));
	for (i = 0; i < 64; i++) {
		int d = dup(r);

		if (d < 0) {
			ASSERT_EQ(EMFILE, errno);
			break;
		}
		dups[n++] = d;
		top = d;
	}
	ASSERT_LT(0, n);
	ASSERT_EQ(63, top);
	EXPECT_ERRNO(EMFILE, recv_region(q, buf, sizeof(buf),
					 KIPC_RECV_REGION, NULL));
	ASSERT_EQ(1U, test_mq_depth(q));
	ASSERT_EQ(-1, dup(r));
	/* Room again: it comes, in the one free slot. */
	close(dups[--n]);
	got = test_recv_region(q);
	ASSERT_EQ(63, got);
	ASSERT_EQ(0U, test_mq_depth(q));
	close(got);
	while (n)
		close(dups[--n]);
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	close(r);
	close(q);
}

/* A fault on the buffer: message and region stay, no fd is left behind. */
TEST_F(region, efault)
{
	char *bad = kipc_guarded_page();
	int q, r, before, fd = -1;
	__u64 id;

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("efault", &id);
	test_send_region(q, r, 0);
	before = count_fds();
	ASSERT_NE(NULL, bad);
	/* Two bytes before the guard page, for a five-byte message. */
	EXPECT_ERRNO(EFAULT, recv_region(q, bad + 4094, MSG, KIPC_RECV_REGION,
					 &fd));
	EXPECT_ERRNO(EFAULT, recv_region(q, NULL, MSG, KIPC_RECV_REGION, &fd));
	ASSERT_EQ(before, count_fds());
	ASSERT_EQ(1U, test_mq_depth(q));
	ASSERT_EQ(id, peek_region_id(q, 0));
	fd = test_recv_region(q);
	ASSERT_EQ(id, test_obj_id(fd));
	ASSERT_EQ(before + 1, count_fds());
	close(fd);
	close(r);
	close(q);
}

/* Peek names the region and installs nothing. */
TEST_F(region, peek)
{
	int q, r, before;
	__u64 id;

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("peek", &id);
	test_ioctl_mq_send(q, "plain", 5, 1);
	test_send_region(q, r, 0);
	before = count_fds();
	ASSERT_EQ(0ULL, peek_region_id(q, 0));
	ASSERT_EQ(id, peek_region_id(q, 1));
	ASSERT_EQ(~0ULL, peek_region_id(q, 2));
	ASSERT_EQ(before, count_fds());
	ASSERT_EQ(2U, test_mq_depth(q));
	close(r);
	close(q);
}

/*
 * The queue's last reference goes with messages queued: the regions they
 * hold go too, once nothing else holds them.
 */
TEST_F(region, queue_destroyed_frees_region)
{
	int q, r;
	__u64 id;

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("dies", &id);
	test_send_region(q, r, 0);
	test_send_region(q, r, 0);
	close(r);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->rname);
	/* The messages hold it. */
	ASSERT_TRUE(obj_alive(id));
	close(q);
	ASSERT_TRUE(obj_alive(id));
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	ASSERT_FALSE(obj_alive(id));
}

/* An administrator's removal drains the queue, and the region with it. */
TEST_F(region, queue_removed_frees_region)
{
	struct kipc_nl nl;
	int q, r;
	__u64 id;

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("removed", &id);
	test_send_region(q, r, 0);
	close(r);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->rname);
	ASSERT_TRUE(obj_alive(id));
	test_nl_open(&nl);
	test_nl_obj_remove(&nl, test_obj_id(q));
	close(nl.fd);
	ASSERT_FALSE(obj_alive(id));
	close(q);
}

/* A dropping queue's victim drops its region. */
TEST_F(region, drop_oldest_frees_region)
{
	int q, r;
	__u64 id;

	q = region_q_create(self->fd, self->name,
			    KIPC_MQ_REGIONS | KIPC_MQ_FULL_DROP, 1);
	ASSERT_LE(0, q);
	r = rcreate("dropped", &id);
	test_send_region(q, r, 0);
	close(r);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->rname);
	ASSERT_TRUE(obj_alive(id));
	test_ioctl_mq_send(q, "newer", 5, 0);
	ASSERT_FALSE(obj_alive(id));
	ASSERT_EQ(1U, test_mq_depth(q));
	close(q);
}

/* An anonymous region travels as a named one does. */
TEST_F(region, anonymous_region)
{
	union kipc_attr attr = { .shm = { .size = RSIZE } };
	int q, r, got;
	char *p;

	q = qcreate(KIPC_MQ_REGIONS);
	r = _test_cmd_open(self->fd, KIPC_OBJ_SHM, NULL,
			   KIPC_RW | KIPC_OPEN_CREATE | KIPC_OPEN_ANON, 0600,
			   &attr, NULL, NULL);
	ASSERT_LE(0, r) TH_LOG("anon: %s", strerror(errno));
	p = test_shm_mmap(r, RSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	strcpy(p, "anonymous");
	ASSERT_EQ(0, munmap(p, RSIZE));
	test_send_region(q, r, 0);
	close(r);
	got = test_recv_region(q);
	p = test_shm_mmap(got, RSIZE, PROT_READ, MAP_SHARED, 0);
	ASSERT_STREQ("anonymous", p);
	ASSERT_EQ(0, munmap(p, RSIZE));
	close(got);
	close(q);
}

/* The sender sends, closes everything and exits; the region lives on. */
TEST_F(region, sender_gone)
{
	int q, got;
	pid_t pid;
	char *p;

	q = qcreate(KIPC_MQ_REGIONS);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int r = rcreate("from the dead", NULL);

		test_send_region(q, r, 0);
		close(r);
		close(q);
		_test_cmd_unlink(self->fd, KIPC_OBJ_SHM, self->rname);
		_exit(0);
	}
	test_wait_child(pid);
	got = test_recv_region(q);
	p = test_shm_mmap(got, RSIZE, PROT_READ, MAP_SHARED, 0);
	ASSERT_STREQ("from the dead", p);
	ASSERT_EQ(0, munmap(p, RSIZE));
	close(got);
	close(q);
}

/*
 * Another user receives the region with the sender's access, although it
 * may not open the region's name (as SCM_RIGHTS).
 */
TEST_F(region, other_user)
{
	int q, r;
	pid_t pid;

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("for another user", NULL);
	test_send_region(q, r, 0);
	close(r);
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		struct kipc_info info;
		int got;
		char *p;

		EXPECT_ERRNO(EACCES, _test_cmd_open(self->fd, KIPC_OBJ_SHM,
						    self->rname,
						    KIPC_OPEN_READ, 0, NULL,
						    NULL, NULL));
		got = test_recv_region(q);
		test_ioctl_info(got, &info);
		ASSERT_EQ((__u32)KIPC_RW, info.out_open_flags);
		p = test_shm_mmap(got, RSIZE, PROT_READ | PROT_WRITE,
				  MAP_SHARED, 0);
		ASSERT_STREQ("for another user", p);
		_exit(0);
	}
	test_wait_child(pid);
	close(q);
}

/*
 * Only a region's owner or creator may send it: a queued region outlives
 * every process and keeps its creator's charge, so a user who was only
 * handed an fd of it (inherited here, or received) cannot park it in a
 * queue. Its own region it may send; root (CAP_SYS_ADMIN) may send any.
 */
TEST_F(region, only_owner_sends)
{
	int q, r, mine, got;
	pid_t pid;
	char buf[MSG];

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("root's", NULL);
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		/* An fd of root's region, read-write even: not enough. */
		test_err_send_region(EACCES, q, r, 0);
		EXPECT_EQ(0U, test_mq_depth(q));
		_exit(0);
	}
	test_wait_child(pid);
	test_send_region(q, r, 0);
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		/* Received from root: not enough to send it on. */
		got = test_recv_region(q);
		test_err_send_region(EACCES, q, got, 0);
		EXPECT_EQ(0U, test_mq_depth(q));
		/* Its own region, anonymous, it may send. */
		mine = kipc_shm_open(NULL, KIPC_OPEN_ANON | KIPC_OPEN_CREATE |
				     KIPC_OPEN_READ | KIPC_OPEN_WRITE, 0600,
				     RSIZE);
		ASSERT_LE(0, mine);
		test_send_region(q, mine, 0);
		_exit(0);
	}
	test_wait_child(pid);
	/* Root may send on what uid 1000 created, now parked in the queue. */
	ASSERT_EQ(5, recv_region(q, buf, sizeof(buf), KIPC_RECV_REGION, &mine));
	ASSERT_LE(0, mine);
	test_send_region(q, mine, 0);
	close(mine);
	close(r);
	close(q);
}

/* SENDRECV carries a region each way. */
TEST_F(region, sendrecv)
{
	struct kipc_mq_sendrecv cmd;
	char buf[MSG];
	int q, r, plain;
	__u64 id;

	q = qcreate(KIPC_MQ_REGIONS);
	r = rcreate("round trip", &id);
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	cmd.flags = KIPC_SEND_REGION | KIPC_RECV_REGION;
	cmd.recv_fd = q;
	cmd.send_buf = (uintptr_t)"hello";
	cmd.send_len = 5;
	cmd.recv_buf = (uintptr_t)buf;
	cmd.recv_len = sizeof(buf);
	cmd.send_region_fd = r;
	cmd.out_region_fd = -7;
	ASSERT_EQ(5, ioctl(q, KIPC_IOC_MQ_SENDRECV, &cmd));
	ASSERT_EQ(KIPC_SENDRECV_SENT, cmd.out_flags);
	ASSERT_LE(0, cmd.out_region_fd);
	ASSERT_EQ(id, test_obj_id(cmd.out_region_fd));
	ASSERT_TRUE(fcntl(cmd.out_region_fd, F_GETFD) & FD_CLOEXEC);
	close(cmd.out_region_fd);

	/* A refused region sends nothing. */
	plain = region_q_create(self->fd, self->rname, 0, 1);
	ASSERT_LE(0, plain);
	cmd.out_flags = 0;
	cmd.out_region_fd = -7;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(plain, KIPC_IOC_MQ_SENDRECV, &cmd));
	ASSERT_EQ(0U, cmd.out_flags);
	ASSERT_EQ(0U, test_mq_depth(plain));
	/* Without KIPC_RECV_REGION: EBADMSG after the send, still queued. */
	cmd.flags = KIPC_SEND_REGION;
	EXPECT_ERRNO(EBADMSG, ioctl(q, KIPC_IOC_MQ_SENDRECV, &cmd));
	ASSERT_EQ(KIPC_SENDRECV_SENT, cmd.out_flags);
	ASSERT_EQ(1U, test_mq_depth(q));
	close(test_recv_region(q));
	close(plain);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->rname);
	close(r);
	close(q);
}

TEST_HARNESS_MAIN
