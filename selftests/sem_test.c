// SPDX-License-Identifier: GPL-2.0-only
/*
 * Semaphores: creation values, the struct rules and errnos of
 * KIPC_IOC_SEM_WAIT, KIPC_IOC_SEM_POST and KIPC_IOC_SEM_GET against the
 * table of <linux/kipc.h>, the access each needs, poll and epoll, admin
 * removal and the statistics the netlink family reports.
 *
 * Blocking behaviour is in sem_wait_test.c, undo in sem_undo_test.c and
 * many processes at once in sem_stress_test.c.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <sys/epoll.h>

#include "kipc_test.h"

/* Every KIPC_WAIT_* and KIPC_SEM_UNDO bit the header defines. */
#define SEM_WAIT_FLAGS	(KIPC_WAIT_NONBLOCK | KIPC_WAIT_DEADLINE | \
			 KIPC_SEM_UNDO | KIPC_SEM_ZERO | KIPC_WAIT_NOSPIN)

static __u64 realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The state letter of /proc/@pid/stat, or 0 if it cannot be read. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * Wait until @pid sleeps interruptibly. The children that use this have
 * only one place left to sleep in, so this says they got there.
 */
static int await_sleeping(pid_t pid)
{
	int i;

	for (i = 0; i < 20000; i++) {
		if (proc_state(pid) == 'S')
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

FIXTURE(sem) {
	int fd;
	struct kipc_nl nl;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(sem)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->name, "sem");
}

FIXTURE_TEARDOWN(sem)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_SEM, self->name);
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	close(self->nl.fd);
	close(self->fd);
}

#define test_stat_of(_id, _attr)					\
	({								\
		struct kipc_nl_obj __st;				\
		test_nl_stat(&self->nl, _id, &__st);			\
		__st.val[_attr];					\
	})

/* --- creation -------------------------------------------------------- */

FIXTURE(sem_create) {
	int fd;
	struct kipc_nl nl;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_VARIANT(sem_create) {
	__u32 value;
	int err;
};

FIXTURE_VARIANT_ADD(sem_create, zero) {
	.value = 0,
};

FIXTURE_VARIANT_ADD(sem_create, one) {
	.value = 1,
};

FIXTURE_VARIANT_ADD(sem_create, max) {
	.value = KIPC_SEM_VALUE_MAX,
};

FIXTURE_VARIANT_ADD(sem_create, over_max) {
	.value = KIPC_SEM_VALUE_MAX + 1,
	.err = EINVAL,
};

FIXTURE_SETUP(sem_create)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->name, "sem");
}

FIXTURE_TEARDOWN(sem_create)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_SEM, self->name);
	close(self->nl.fd);
	close(self->fd);
}

/* The value every interface reports is the one the semaphore was made with. */
TEST_F(sem_create, initial_value)
{
	union kipc_attr attr = { .sem = { .value = variant->value } };
	union kipc_attr other = { .sem = { .value = 7 } };
	struct kipc_sem_get get;
	struct kipc_nl_obj st;
	struct kipc_info info;
	int ofd, ofd2;
	__u64 id;

	if (variant->err) {
		test_err_open(variant->err, KIPC_OBJ_SEM, self->name, KIPC_NEW,
			      0600, &attr);
		ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, self->name));
		/* Checked with KIPC_OPEN_CREATE even when the name exists. */
		close(test_sem_create(self->name, 1, NULL));
		test_err_open(variant->err, KIPC_OBJ_SEM, self->name,
			      KIPC_RW | KIPC_OPEN_CREATE, 0600, &attr);
		return;
	}

	ofd = test_ioctl_open(KIPC_OBJ_SEM, self->name, KIPC_NEW, 0600, &attr,
			      &id, NULL);
	test_ioctl_sem_get(ofd, &get);
	ASSERT_EQ(variant->value, get.out_value);
	ASSERT_EQ(0U, get.out_waiters);
	ASSERT_EQ(0ULL, get.out_undo);
	ASSERT_EQ((int)variant->value, kipc_sem_getvalue(ofd));
	test_ioctl_info(ofd, &info);
	ASSERT_EQ((__u32)KIPC_OBJ_SEM, info.out_type);
	ASSERT_EQ(variant->value, info.out_attr.sem.value);
	test_nl_stat(&self->nl, id, &st);
	ASSERT_TRUE(st.has[KIPC_A_OBJ_SEM_VALUE]);
	ASSERT_EQ((__u64)variant->value, st.val[KIPC_A_OBJ_SEM_VALUE]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_BYTES]);

	/* Opening with other attributes finds the same semaphore. */
	ofd2 = test_ioctl_open(KIPC_OBJ_SEM, self->name,
			       KIPC_RW | KIPC_OPEN_CREATE, 0600, &other, NULL,
			       NULL);
	ASSERT_EQ(id, test_obj_id(ofd2));
	ASSERT_EQ(variant->value, test_sem_value(ofd2));

	/* All of it can be taken at once, and then nothing more. */
	if (variant->value)
		ASSERT_EQ(0U, test_ioctl_sem_wait(ofd, variant->value,
						  KIPC_WAIT_NONBLOCK));
	test_err_sem_wait(EAGAIN, ofd, 1, KIPC_WAIT_NONBLOCK);
	ASSERT_EQ(0U, test_sem_value(ofd2));
	close(ofd2);
	close(ofd);
}

/* The attribute's padding and the rest of the union must be zero. */
TEST_F(sem, attr_reserved)
{
	union kipc_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.sem.__reserved = 1;
	test_err_open(EOPNOTSUPP, KIPC_OBJ_SEM, self->name, KIPC_NEW, 0600,
		      &attr);
	memset(&attr, 0, sizeof(attr));
	((__u8 *)&attr)[sizeof(attr) - 1] = 1;
	test_err_open(EOPNOTSUPP, KIPC_OBJ_SEM, self->name, KIPC_NEW, 0600,
		      &attr);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, self->name));
}

/* --- wait and post errnos ------------------------------------------- */

/* A try on an empty semaphore fails and changes nothing. */
TEST_F(sem, trywait_empty)
{
	struct kipc_nl_obj st;
	__u64 id;
	int ofd;

	ofd = test_sem_create(self->name, 0, &id);
	test_err_sem_wait(EAGAIN, ofd, 1, KIPC_WAIT_NONBLOCK);
	/* Even with a deadline that has passed, NONBLOCK says EAGAIN. */
	EXPECT_ERRNO(EAGAIN, _test_cmd_sem_wait(ofd, 1, KIPC_WAIT_NONBLOCK |
						KIPC_WAIT_DEADLINE,
						CLOCK_MONOTONIC, 0, NULL));
	ASSERT_EQ(-EAGAIN, kipc_sem_trywait(ofd, 1, 0));
	ASSERT_EQ(0U, test_sem_value(ofd));
	test_nl_stat(&self->nl, id, &st);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_WAITS]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_TIMEOUTS]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_WAITERS]);

	test_ioctl_sem_post(ofd, 1);
	ASSERT_EQ(0, kipc_sem_trywait(ofd, 1, 0));
	ASSERT_EQ(0U, test_sem_value(ofd));
	close(ofd);
}

/* O_NONBLOCK on the description turns every wait into a try. */
TEST_F(sem, nonblock_fd)
{
	int ofd, nbfd;

	ofd = test_sem_create(self->name, 0, NULL);
	nbfd = test_sem_reopen(self->name, KIPC_RW | KIPC_OPEN_NONBLOCK);
	ASSERT_TRUE(fcntl(nbfd, F_GETFL) & O_NONBLOCK);
	test_err_sem_wait(EAGAIN, nbfd, 1, 0);
	ASSERT_EQ(-EAGAIN, kipc_sem_wait(nbfd, 1, 0));

	/* Set later with fcntl(), it counts as well. */
	ASSERT_EQ(0, fcntl(ofd, F_SETFL, O_NONBLOCK));
	test_err_sem_wait(EAGAIN, ofd, 1, 0);
	ASSERT_EQ(0, fcntl(ofd, F_SETFL, 0));

	test_ioctl_sem_post(ofd, 1);
	ASSERT_EQ(0U, test_ioctl_sem_wait(nbfd, 1, 0));
	ASSERT_EQ(0U, test_sem_value(ofd));
	close(nbfd);
	close(ofd);
}

/* A post that would pass the maximum fails whole; up to it, it works. */
TEST_F(sem, post_overflow)
{
	struct kipc_nl_obj st;
	__u64 id;
	int ofd;

	ofd = test_sem_create(self->name, KIPC_SEM_VALUE_MAX - 1, &id);
	test_err_sem_post(EOVERFLOW, ofd, 2);
	ASSERT_EQ(KIPC_SEM_VALUE_MAX - 1, test_sem_value(ofd));
	test_err_sem_post(EOVERFLOW, ofd, UINT32_MAX);
	test_err_sem_post(EOVERFLOW, ofd, KIPC_SEM_VALUE_MAX);
	ASSERT_EQ(KIPC_SEM_VALUE_MAX - 1, test_sem_value(ofd));
	ASSERT_EQ(-EOVERFLOW, kipc_sem_post(ofd, 2));

	test_ioctl_sem_post(ofd, 1);
	ASSERT_EQ(KIPC_SEM_VALUE_MAX, test_sem_value(ofd));
	test_err_sem_post(EOVERFLOW, ofd, 1);
	ASSERT_EQ(KIPC_SEM_VALUE_MAX, test_sem_value(ofd));

	/* Failed posts are not posts. */
	test_nl_stat(&self->nl, id, &st);
	ASSERT_EQ(1ULL, st.val[KIPC_A_OBJ_SEM_POSTS]);

	/* From 0, the whole range in one post. */
	ASSERT_EQ(0U, test_ioctl_sem_wait(ofd, KIPC_SEM_VALUE_MAX, 0));
	test_ioctl_sem_post(ofd, KIPC_SEM_VALUE_MAX);
	ASSERT_EQ(KIPC_SEM_VALUE_MAX, test_sem_value(ofd));
	close(ofd);
}

TEST_F(sem, post_count_zero)
{
	int ofd;

	ofd = test_sem_create(self->name, 3, NULL);
	test_err_sem_post(EINVAL, ofd, 0);
	ASSERT_EQ(-EINVAL, kipc_sem_post(ofd, 0));
	ASSERT_EQ(3U, test_sem_value(ofd));
	close(ofd);
}

TEST_F(sem, wait_count_invalid)
{
	int ofd;

	ofd = test_sem_create(self->name, 3, NULL);
	test_err_sem_wait(EINVAL, ofd, 0, 0);
	test_err_sem_wait(EINVAL, ofd, 0, KIPC_WAIT_NONBLOCK);
	test_err_sem_wait(EINVAL, ofd, KIPC_SEM_VALUE_MAX + 1, 0);
	test_err_sem_wait(EINVAL, ofd, UINT32_MAX, KIPC_WAIT_NONBLOCK);
	ASSERT_EQ(-EINVAL, kipc_sem_wait(ofd, 0, 0));
	ASSERT_EQ(3U, test_sem_value(ofd));
	/* KIPC_SEM_VALUE_MAX itself is a valid count that would block. */
	test_err_sem_wait(EAGAIN, ofd, KIPC_SEM_VALUE_MAX, KIPC_WAIT_NONBLOCK);
	close(ofd);
}

/* wait(n) takes all n units or none. */
TEST_F(sem, wait_n_atomic)
{
	int ofd;

	ofd = test_sem_create(self->name, 5, NULL);
	ASSERT_EQ(0U, test_ioctl_sem_wait(ofd, 3, 0));
	ASSERT_EQ(2U, test_sem_value(ofd));
	test_err_sem_wait(EAGAIN, ofd, 3, KIPC_WAIT_NONBLOCK);
	ASSERT_EQ(2U, test_sem_value(ofd));
	ASSERT_EQ(0, kipc_sem_trywait(ofd, 2, 0));
	ASSERT_EQ(0U, test_sem_value(ofd));
	test_ioctl_sem_post(ofd, 4);
	ASSERT_EQ(4U, test_sem_value(ofd));
	close(ofd);
}

/* --- the struct rules ----------------------------------------------- */

TEST_F(sem, cmd_length_sem_wait)
{
	struct {
		struct kipc_sem_wait cmd;
		__u8 extra[8];
	} buf;
	int ofd;

	ofd = test_sem_create(self->name, 2, NULL);
	memset(&buf, 0, sizeof(buf));
	buf.cmd.count = 1;
	TEST_LENGTH_ERRORS(ofd, buf, kipc_sem_wait, KIPC_IOC_SEM_WAIT,
			   __reserved);
	/* None of the failed calls took a unit. */
	ASSERT_EQ(2U, test_sem_value(ofd));

	/* A longer struct with a zero tail works; the tail is not written. */
	buf.cmd.size = sizeof(buf);
	buf.cmd.out_flags = ~0U;
	ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_SEM_WAIT, &buf));
	ASSERT_EQ(0U, buf.cmd.out_flags);
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);
	buf.cmd.size = sizeof(buf.cmd);
	buf.cmd.out_flags = ~0U;
	ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_SEM_WAIT, &buf));
	ASSERT_EQ(0U, buf.cmd.out_flags);
	ASSERT_EQ(0U, test_sem_value(ofd));
	close(ofd);
}

TEST_F(sem, cmd_length_sem_post)
{
	struct {
		struct kipc_sem_post cmd;
		__u8 extra[8];
	} buf;
	int ofd;

	ofd = test_sem_create(self->name, 0, NULL);
	memset(&buf, 0, sizeof(buf));
	buf.cmd.count = 1;
	TEST_LENGTH_ERRORS(ofd, buf, kipc_sem_post, KIPC_IOC_SEM_POST,
			   __reserved);
	ASSERT_EQ(0U, test_sem_value(ofd));

	buf.cmd.size = sizeof(buf);
	ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_SEM_POST, &buf));
	buf.cmd.size = sizeof(buf.cmd);
	ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_SEM_POST, &buf));
	ASSERT_EQ(2U, test_sem_value(ofd));
	close(ofd);
}

TEST_F(sem, cmd_length_sem_get)
{
	struct {
		struct kipc_sem_get cmd;
		__u8 extra[8];
	} buf;
	int ofd;

	ofd = test_sem_create(self->name, 5, NULL);
	memset(&buf, 0, sizeof(buf));
	TEST_LENGTH_ERRORS(ofd, buf, kipc_sem_get, KIPC_IOC_SEM_GET, out_undo);

	/* Every output is written, whatever was there before. */
	memset(&buf, 0xa5, sizeof(buf));
	buf.cmd.size = sizeof(buf);
	buf.cmd.flags = 0;
	memset(buf.extra, 0, sizeof(buf.extra));
	ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_SEM_GET, &buf));
	ASSERT_EQ(5U, buf.cmd.out_value);
	ASSERT_EQ(0U, buf.cmd.out_waiters);
	ASSERT_EQ(0ULL, buf.cmd.out_undo);
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);
	close(ofd);
}

/* A struct that cannot be read is EFAULT, and nothing happens. */
TEST_F(sem, cmd_bad_pointer)
{
	long psz = sysconf(_SC_PAGESIZE);
	struct kipc_sem_get *get;
	void *hole, *page;
	int ofd;

	ofd = test_sem_create(self->name, 1, NULL);
	hole = mmap(NULL, psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	EXPECT_ERRNO(EFAULT, ioctl(ofd, KIPC_IOC_SEM_WAIT, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(ofd, KIPC_IOC_SEM_WAIT, hole));
	EXPECT_ERRNO(EFAULT, ioctl(ofd, KIPC_IOC_SEM_POST, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(ofd, KIPC_IOC_SEM_POST, hole));
	EXPECT_ERRNO(EFAULT, ioctl(ofd, KIPC_IOC_SEM_GET, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(ofd, KIPC_IOC_SEM_GET, hole));
	ASSERT_EQ(1U, test_sem_value(ofd));

	/* Get has to write its answer back. */
	page = mmap(NULL, psz, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	get = page;
	get->size = sizeof(*get);
	ASSERT_EQ(0, mprotect(page, psz, PROT_READ));
	EXPECT_ERRNO(EFAULT, ioctl(ofd, KIPC_IOC_SEM_GET, get));
	munmap(page, psz);
	munmap(hole, psz);
	close(ofd);
}

/* Unknown wait flags and a non-zero __reserved are EOPNOTSUPP. */
TEST_F(sem, wait_unknown_flags)
{
	struct kipc_sem_wait cmd;
	unsigned int bit;
	int ofd;

	ofd = test_sem_create(self->name, 1, NULL);
	for (bit = 0; bit < 32; bit++) {
		if ((1U << bit) & SEM_WAIT_FLAGS)
			continue;
		EXPECT_ERRNO(EOPNOTSUPP,
			     _test_cmd_sem_wait(ofd, 1, 1U << bit, 0, 0,
						NULL));
	}
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	cmd.count = 1;
	cmd.__reserved = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(ofd, KIPC_IOC_SEM_WAIT, &cmd));
	ASSERT_EQ(1U, test_sem_value(ofd));
	cmd.__reserved = 0;
	ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_SEM_WAIT, &cmd));
	close(ofd);
}

TEST_F(sem, post_unknown_flags)
{
	struct kipc_sem_post cmd;
	unsigned int bit;
	int ofd;

	ofd = test_sem_create(self->name, 0, NULL);
	memset(&cmd, 0, sizeof(cmd));
	cmd.size = sizeof(cmd);
	cmd.count = 1;
	for (bit = 0; bit < 32; bit++) {
		cmd.flags = 1U << bit;
		EXPECT_ERRNO(EOPNOTSUPP, ioctl(ofd, KIPC_IOC_SEM_POST, &cmd));
	}
	cmd.flags = 0;
	cmd.__reserved = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(ofd, KIPC_IOC_SEM_POST, &cmd));
	ASSERT_EQ(0U, test_sem_value(ofd));
	cmd.__reserved = 0;
	ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_SEM_POST, &cmd));
	ASSERT_EQ(1U, test_sem_value(ofd));
	close(ofd);
}

TEST_F(sem, get_unknown_flags)
{
	struct kipc_sem_get cmd;
	unsigned int bit;
	int ofd;

	ofd = test_sem_create(self->name, 0, NULL);
	for (bit = 0; bit < 32; bit++) {
		memset(&cmd, 0, sizeof(cmd));
		cmd.size = sizeof(cmd);
		cmd.flags = 1U << bit;
		EXPECT_ERRNO(EOPNOTSUPP, ioctl(ofd, KIPC_IOC_SEM_GET, &cmd));
	}
	close(ofd);
}

/* Semaphore ioctls are for semaphore fds, and only the defined ones. */
TEST_F(sem, wrong_fd_type)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_MQ);
	struct kipc_sem_post post = { .size = sizeof(post), .count = 1 };
	struct kipc_sem_get get = { .size = sizeof(get) };
	struct kipc_mq_getattr ga = { .size = sizeof(ga) };
	int ofd, qfd;

	ofd = test_sem_create(self->name, 0, NULL);
	qfd = test_ioctl_open(KIPC_OBJ_MQ, self->name, KIPC_NEW, 0600, &attr,
			      NULL, NULL);
	EXPECT_ERRNO(ENOTTY, ioctl(qfd, KIPC_IOC_SEM_POST, &post));
	EXPECT_ERRNO(ENOTTY, ioctl(qfd, KIPC_IOC_SEM_GET, &get));
	EXPECT_ERRNO(ENOTTY, _test_cmd_sem_wait(qfd, 1, KIPC_WAIT_NONBLOCK,
						0, 0, NULL));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, KIPC_IOC_SEM_POST, &post));
	EXPECT_ERRNO(ENOTTY, ioctl(ofd, KIPC_IOC_MQ_GETATTR, &ga));
	/* The first number after the last semaphore ioctl. */
	EXPECT_ERRNO(ENOTTY, ioctl(ofd, _IO(KIPC_TYPE, KIPC_CMD_SEM_MULTI + 1),
				   &get));
	EXPECT_ERRNO(ENOTTY, ioctl(ofd, _IO(KIPC_TYPE, 0x3f), &get));
	ASSERT_EQ(0U, test_sem_value(ofd));
	close(qfd);
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	close(ofd);
}

/* --- access ---------------------------------------------------------- */

/* Waiting needs KIPC_OPEN_READ on the fd; get needs neither in particular. */
TEST_F(sem, wait_needs_read)
{
	struct timespec rel = { .tv_sec = 0 };
	int ofd, wfd;

	ofd = test_sem_create(self->name, 2, NULL);
	wfd = test_sem_reopen(self->name, KIPC_OPEN_WRITE);
	test_err_sem_wait(EBADF, wfd, 1, 0);
	test_err_sem_wait(EBADF, wfd, 1, KIPC_WAIT_NONBLOCK);
	test_err_sem_wait(EBADF, wfd, 1, KIPC_SEM_UNDO);
	ASSERT_EQ(-EBADF, kipc_sem_wait_timeout(wfd, 1, 0, &rel));
	ASSERT_EQ(2U, test_sem_value(wfd));
	test_ioctl_sem_post(wfd, 1);
	ASSERT_EQ(3U, test_sem_value(ofd));
	close(wfd);
	close(ofd);
}

/* Posting needs KIPC_OPEN_WRITE on the fd. */
TEST_F(sem, post_needs_write)
{
	int ofd, rfd;

	ofd = test_sem_create(self->name, 0, NULL);
	rfd = test_sem_reopen(self->name, KIPC_OPEN_READ);
	test_err_sem_post(EBADF, rfd, 1);
	ASSERT_EQ(-EBADF, kipc_sem_post(rfd, 1));
	ASSERT_EQ(0U, test_sem_value(rfd));
	test_ioctl_sem_post(ofd, 1);
	ASSERT_EQ(0U, test_ioctl_sem_wait(rfd, 1, 0));
	ASSERT_EQ(0U, test_sem_value(ofd));
	close(rfd);
	close(ofd);
}

/*
 * As an unprivileged user: opening for wait needs r, for post needs w,
 * and what the fd was opened for is then all it can do.
 */
FIXTURE(sem_perm) {
	int fd;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_VARIANT(sem_perm) {
	uid_t creator;	/* the object's owner; KIPC_UID1 always opens */
	__u32 mode;
	int read_err;	/* of opening with KIPC_OPEN_READ */
	int write_err;	/* of opening with KIPC_OPEN_WRITE */
};

FIXTURE_VARIANT_ADD(sem_perm, other_r) {
	.creator = 0, .mode = 0664, .read_err = 0, .write_err = EACCES,
};

FIXTURE_VARIANT_ADD(sem_perm, other_w) {
	.creator = 0, .mode = 0662, .read_err = EACCES, .write_err = 0,
};

FIXTURE_VARIANT_ADD(sem_perm, other_rw) {
	.creator = 0, .mode = 0666, .read_err = 0, .write_err = 0,
};

FIXTURE_VARIANT_ADD(sem_perm, owner_r) {
	.creator = KIPC_UID1, .mode = 0466, .read_err = 0, .write_err = EACCES,
};

FIXTURE_VARIANT_ADD(sem_perm, owner_w) {
	.creator = KIPC_UID1, .mode = 0266, .read_err = EACCES, .write_err = 0,
};

FIXTURE_SETUP(sem_perm)
{
	union kipc_attr attr = { .sem = { .value = 1 } };
	pid_t pid;

	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, "perm");
	pid = kipc_fork_tied();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (variant->creator)
			test_become(variant->creator, variant->creator,
				    KIPC_NO_GROUP);
		umask(0);
		close(test_ioctl_open(KIPC_OBJ_SEM, self->name, KIPC_NEW,
				      variant->mode, &attr, NULL, NULL));
		_exit(0);
	}
	test_wait_child(pid);
}

FIXTURE_TEARDOWN(sem_perm)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_SEM, self->name);
	close(self->fd);
}

TEST_F(sem_perm, open_wait_post)
{
	pid_t pid;

	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		int rfd = -1, wfd = -1;

		if (variant->read_err) {
			test_err_open(variant->read_err, KIPC_OBJ_SEM,
				      self->name, KIPC_OPEN_READ, 0, NULL);
		} else {
			rfd = test_sem_reopen(self->name, KIPC_OPEN_READ);
			test_err_sem_post(EBADF, rfd, 1);
			ASSERT_EQ(0U, test_ioctl_sem_wait(rfd, 1, 0));
			ASSERT_EQ(0U, test_sem_value(rfd));
		}
		if (variant->write_err) {
			test_err_open(variant->write_err, KIPC_OBJ_SEM,
				      self->name, KIPC_OPEN_WRITE, 0, NULL);
		} else {
			wfd = test_sem_reopen(self->name, KIPC_OPEN_WRITE);
			test_err_sem_wait(EBADF, wfd, 1, KIPC_WAIT_NONBLOCK);
			test_ioctl_sem_post(wfd, 1);
		}
		/* Read and write together need both bits. */
		if (variant->read_err || variant->write_err)
			test_err_open(EACCES, KIPC_OBJ_SEM, self->name,
				      KIPC_RW, 0, NULL);
		else
			close(test_sem_reopen(self->name, KIPC_RW));
		if (rfd >= 0)
			close(rfd);
		if (wfd >= 0)
			close(wfd);
		_exit(0);
	}
	test_wait_child(pid);
}

/* --- poll and epoll ------------------------------------------------- */

/* POLLIN exactly while the value is above zero. */
TEST_F(sem, poll_in)
{
	struct pollfd pfd;
	int ofd;

	ofd = test_sem_create(self->name, 0, NULL);
	pfd.fd = ofd;
	pfd.events = POLLIN | POLLOUT;
	ASSERT_EQ(0, poll(&pfd, 1, 0));

	test_ioctl_sem_post(ofd, 2);
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	ASSERT_EQ(POLLIN, pfd.revents & ~POLLRDNORM);
	ASSERT_EQ(0U, test_ioctl_sem_wait(ofd, 1, 0));
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	ASSERT_EQ(POLLIN, pfd.revents & ~POLLRDNORM);
	ASSERT_EQ(0U, test_ioctl_sem_wait(ofd, 1, 0));
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	close(ofd);
}

/* Level-triggered epoll reports EPOLLIN for as long as units are left. */
TEST_F(sem, epoll_level)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ofd, ep;

	ofd = test_sem_create(self->name, 0, NULL);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, ofd, &ev));
	ASSERT_EQ(0, epoll_wait(ep, &ev, 1, 0));

	test_ioctl_sem_post(ofd, 1);
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	ASSERT_TRUE(!!(ev.events & EPOLLIN));
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	ASSERT_EQ(0U, test_ioctl_sem_wait(ofd, 1, 0));
	ASSERT_EQ(0, epoll_wait(ep, &ev, 1, 0));
	close(ep);
	close(ofd);
}

/* Edge-triggered epoll fires once per post that leaves units. */
TEST_F(sem, epoll_edge)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int ofd, ep;

	ofd = test_sem_create(self->name, 0, NULL);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, ofd, &ev));
	ASSERT_EQ(0, epoll_wait(ep, &ev, 1, 0));

	test_ioctl_sem_post(ofd, 1);
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	ASSERT_TRUE(!!(ev.events & EPOLLIN));
	/* The edge was consumed; the value did not change. */
	ASSERT_EQ(0, epoll_wait(ep, &ev, 1, 0));
	ASSERT_EQ(1U, test_sem_value(ofd));

	/* A post while units are already there is a new edge too. */
	test_ioctl_sem_post(ofd, 1);
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	ASSERT_TRUE(!!(ev.events & EPOLLIN));
	ASSERT_EQ(0, epoll_wait(ep, &ev, 1, 0));
	close(ep);
	close(ofd);
}

/* A sleeping epoll_wait() is woken by a post from another process. */
TEST_F(sem, epoll_wakes_sleeper)
{
	int ofd, pipefd[2];
	pid_t pid;

	ofd = test_sem_create(self->name, 0, NULL);
	ASSERT_EQ(0, pipe(pipefd));
	pid = kipc_fork_tied();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
		int ep = epoll_create1(EPOLL_CLOEXEC);

		ASSERT_LE(0, ep);
		ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, ofd, &ev));
		ASSERT_EQ(1, write(pipefd[1], "r", 1));
		ASSERT_EQ(1, epoll_wait(ep, &ev, 1, -1));
		ASSERT_TRUE(!!(ev.events & EPOLLIN));
		ASSERT_EQ(0U, test_ioctl_sem_wait(ofd, 1, KIPC_WAIT_NONBLOCK));
		_exit(0);
	}
	close(pipefd[1]);
	{
		char c;

		ASSERT_EQ(1, read(pipefd[0], &c, 1));
	}
	ASSERT_EQ(0, await_sleeping(pid));
	test_ioctl_sem_post(ofd, 1);
	test_wait_child(pid);
	ASSERT_EQ(0U, test_sem_value(ofd));
	close(pipefd[0]);
	close(ofd);
}

/* After admin removal, poll and epoll report EPOLLERR | EPOLLHUP. */
TEST_F(sem, epoll_removed)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	struct pollfd pfd;
	int ofd, ep;
	__u64 id;

	ofd = test_sem_create(self->name, 0, &id);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, ofd, &ev));
	ASSERT_EQ(0, epoll_wait(ep, &ev, 1, 0));

	test_nl_obj_remove(&self->nl, id);
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	ASSERT_EQ((__u32)(EPOLLERR | EPOLLHUP), ev.events);

	pfd.fd = ofd;
	pfd.events = POLLIN;
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	ASSERT_EQ(POLLERR | POLLHUP, pfd.revents);
	close(ep);
	close(ofd);
}

/* The removal wakes an epoll_wait() that sleeps on the semaphore. */
TEST_F(sem, epoll_removed_wakes_sleeper)
{
	int ofd, pipefd[2];
	pid_t pid;
	__u64 id;

	ofd = test_sem_create(self->name, 0, &id);
	ASSERT_EQ(0, pipe(pipefd));
	pid = kipc_fork_tied();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct epoll_event ev = { .events = EPOLLIN };
		int ep = epoll_create1(EPOLL_CLOEXEC);

		ASSERT_LE(0, ep);
		ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, ofd, &ev));
		ASSERT_EQ(1, write(pipefd[1], "r", 1));
		ASSERT_EQ(1, epoll_wait(ep, &ev, 1, -1));
		ASSERT_EQ((__u32)(EPOLLERR | EPOLLHUP), ev.events);
		_exit(0);
	}
	close(pipefd[1]);
	{
		char c;

		ASSERT_EQ(1, read(pipefd[0], &c, 1));
	}
	ASSERT_EQ(0, await_sleeping(pid));
	test_nl_obj_remove(&self->nl, id);
	test_wait_child(pid);
	close(pipefd[0]);
	close(ofd);
}

/* --- admin removal --------------------------------------------------- */

/* Blocked waiters, whatever their kind, wake with EIDRM. */
TEST_F(sem, remove_wakes_waiters)
{
	static const __u32 kinds[] = { 0, KIPC_SEM_UNDO, KIPC_WAIT_DEADLINE };
	struct kipc_sem_result r;
	struct kipc_nl_obj st;
	unsigned int i, seen = 0;
	int ofd, pipefd[2];
	pid_t pids[3];
	__u64 id;

	ofd = test_sem_create(self->name, 0, &id);
	ASSERT_EQ(0, pipe(pipefd));
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		struct timespec now;
		__u64 deadline = 0;

		/* The timed one would give up only after a minute. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (kinds[i] & KIPC_WAIT_DEADLINE)
			deadline = (now.tv_sec + 60) * 1000000000ULL;
		pids[i] = kipc_sem_spawn_waiter(ofd, 1 + i, kinds[i],
						CLOCK_MONOTONIC, deadline, i,
						pipefd[1]);
		ASSERT_LE(0, pids[i]);
		test_sem_await_waiters(ofd, i + 1);
	}
	close(pipefd[1]);

	test_nl_obj_remove(&self->nl, id);
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		test_sem_read_result(pipefd[0], &r);
		ASSERT_EQ(EIDRM, r.err) TH_LOG("waiter %d", r.tag);
		seen |= 1U << r.tag;
	}
	ASSERT_EQ(7U, seen);
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		test_wait_child(pids[i]);

	/* The object lives on for the open fd, with nobody queued. */
	test_nl_stat(&self->nl, id, &st);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_WAITERS]);
	ASSERT_EQ((__u64)(KIPC_STATE_REMOVED | KIPC_STATE_UNLINKED),
		  st.val[KIPC_A_OBJ_STATE]);
	close(pipefd[0]);
	close(ofd);
	ASSERT_EQ(-ENOENT, kipc_nl_obj_stat(&self->nl, id, &st));
}

/*
 * Many blocked waiters, more than the kernel wakes under one hold of the
 * semaphore's lock (removal wakes them in batches), all wake with EIDRM:
 * those waiting for units and those waiting for zero.
 */
#define REMOVE_MANY	40

struct remove_waiter {
	pthread_t thread;
	int fd;
	bool zero;
	int ret;
};

static void *remove_waiter_fn(void *arg)
{
	struct timespec rel = { .tv_sec = 60 };
	struct remove_waiter *rw = arg;

	rw->ret = kipc_sem_wait_timeout(rw->fd, rw->zero ? 0 : 1,
					 rw->zero ? KIPC_SEM_ZERO : 0, &rel);
	return NULL;
}

/* Wait until @n tasks wait for zero on @objfd (20 s at most). */
static int await_zero_waiters(int objfd, __u32 n)
{
	struct kipc_sem_get get;
	int i;

	for (i = 0; i < 20000; i++) {
		if (_test_cmd_sem_get(objfd, &get))
			return -errno;
		if (get.out_zero_waiters == n)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

TEST_F(sem, remove_wakes_many)
{
	struct remove_waiter rw[2 * REMOVE_MANY];
	int ofd, zfd;
	unsigned int i;
	__u64 id, zid;
	char zname[KIPC_NAME_MAX + 1];

	ofd = test_sem_create(self->name, 0, &id);
	test_name(zname, "zs");
	zfd = test_sem_create(zname, 1, &zid);
	for (i = 0; i < ARRAY_SIZE(rw); i++) {
		rw[i] = (struct remove_waiter){
			.fd = i < REMOVE_MANY ? ofd : zfd,
			.zero = i >= REMOVE_MANY,
		};
		ASSERT_EQ(0, pthread_create(&rw[i].thread, NULL,
					    remove_waiter_fn, &rw[i]));
	}
	test_sem_await_waiters(ofd, REMOVE_MANY);
	ASSERT_EQ(0, await_zero_waiters(zfd, REMOVE_MANY));
	test_nl_obj_remove(&self->nl, id);
	test_nl_obj_remove(&self->nl, zid);
	for (i = 0; i < ARRAY_SIZE(rw); i++) {
		pthread_join(rw[i].thread, NULL);
		EXPECT_EQ(-EIDRM, rw[i].ret) TH_LOG("waiter %u", i);
	}
	close(ofd);
	close(zfd);
}

/* After removal every call on an open fd fails with EIDRM; the name is gone. */
TEST_F(sem, removed_calls_eidrm)
{
	struct kipc_info info;
	int ofd, rfd;
	__u64 id;

	ofd = test_sem_create(self->name, 3, &id);
	rfd = test_sem_reopen(self->name, KIPC_OPEN_READ);
	test_nl_obj_remove(&self->nl, id);

	test_err_sem_wait(EIDRM, ofd, 1, 0);
	test_err_sem_wait(EIDRM, ofd, 1, KIPC_WAIT_NONBLOCK);
	test_err_sem_wait(EIDRM, rfd, 1, KIPC_SEM_UNDO);
	EXPECT_ERRNO(EIDRM, _test_cmd_sem_wait(ofd, 1, KIPC_WAIT_DEADLINE,
					       CLOCK_MONOTONIC, 0, NULL));
	test_err_sem_post(EIDRM, ofd, 1);
	test_err_sem_get(EIDRM, ofd);
	test_err_sem_get(EIDRM, rfd);
	ASSERT_EQ(-EIDRM, kipc_sem_getvalue(ofd));

	test_ioctl_info(ofd, &info);
	ASSERT_EQ((__u32)(KIPC_STATE_REMOVED | KIPC_STATE_UNLINKED),
		  info.out_state);
	test_err_open(ENOENT, KIPC_OBJ_SEM, self->name, KIPC_RW, 0, NULL);
	test_err_unlink(ENOENT, KIPC_OBJ_SEM, self->name);

	/* The name is free for a new, unrelated semaphore. */
	close(test_sem_create(self->name, 1, NULL));
	close(rfd);
	close(ofd);
}

/* --- statistics ------------------------------------------------------ */

/* Successful waits, posts, timeouts, last pid and last time. */
TEST_F(sem, stats)
{
	struct kipc_nl_obj st;
	__u64 id, t0, t1;
	int ofd;
	pid_t pid;

	ofd = test_sem_create(self->name, 0, &id);
	test_nl_stat(&self->nl, id, &st);
	ASSERT_TRUE(st.has[KIPC_A_OBJ_SEM_WAITS]);
	ASSERT_TRUE(st.has[KIPC_A_OBJ_SEM_POSTS]);
	ASSERT_TRUE(st.has[KIPC_A_OBJ_SEM_TIMEOUTS]);
	ASSERT_TRUE(st.has[KIPC_A_OBJ_SEM_LPID]);
	ASSERT_TRUE(st.has[KIPC_A_OBJ_SEM_OTIME]);
	ASSERT_TRUE(st.has[KIPC_A_OBJ_SEM_WAITERS]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_WAITS]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_POSTS]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_TIMEOUTS]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_LPID]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_OTIME]);

	t0 = realtime_ns();
	test_ioctl_sem_post(ofd, 3);
	t1 = realtime_ns();
	test_nl_stat(&self->nl, id, &st);
	ASSERT_EQ(1ULL, st.val[KIPC_A_OBJ_SEM_POSTS]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_WAITS]);
	ASSERT_EQ((__u64)getpid(), st.val[KIPC_A_OBJ_SEM_LPID]);
	ASSERT_LE(t0, st.val[KIPC_A_OBJ_SEM_OTIME]);
	ASSERT_GE(t1, st.val[KIPC_A_OBJ_SEM_OTIME]);
	ASSERT_EQ(3ULL, st.val[KIPC_A_OBJ_SEM_VALUE]);

	/* A wait by a child: one wait, whatever its count; the child's pid. */
	pid = kipc_fork_tied();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		ASSERT_EQ(0U, test_ioctl_sem_wait(ofd, 2, 0));
		_exit(0);
	}
	t0 = realtime_ns();
	test_wait_child(pid);
	t1 = realtime_ns();
	test_nl_stat(&self->nl, id, &st);
	ASSERT_EQ(1ULL, st.val[KIPC_A_OBJ_SEM_WAITS]);
	ASSERT_EQ((__u64)pid, st.val[KIPC_A_OBJ_SEM_LPID]);
	ASSERT_GE(t1, st.val[KIPC_A_OBJ_SEM_OTIME]);
	ASSERT_EQ(1ULL, st.val[KIPC_A_OBJ_SEM_VALUE]);

	/* Failed calls change nothing but the timeout count. */
	test_err_sem_wait(EAGAIN, ofd, 2, KIPC_WAIT_NONBLOCK);
	test_err_sem_post(EINVAL, ofd, 0);
	test_err_sem_post(EOVERFLOW, ofd, KIPC_SEM_VALUE_MAX);
	EXPECT_ERRNO(ETIMEDOUT, _test_cmd_sem_wait(ofd, 2, KIPC_WAIT_DEADLINE,
						   CLOCK_MONOTONIC, 0, NULL));
	test_nl_stat(&self->nl, id, &st);
	ASSERT_EQ(1ULL, st.val[KIPC_A_OBJ_SEM_WAITS]);
	ASSERT_EQ(1ULL, st.val[KIPC_A_OBJ_SEM_POSTS]);
	ASSERT_EQ(1ULL, st.val[KIPC_A_OBJ_SEM_TIMEOUTS]);
	ASSERT_EQ((__u64)pid, st.val[KIPC_A_OBJ_SEM_LPID]);

	/* Our own wait makes us the last process again. */
	ASSERT_EQ(0U, test_ioctl_sem_wait(ofd, 1, 0));
	test_nl_stat(&self->nl, id, &st);
	ASSERT_EQ(2ULL, st.val[KIPC_A_OBJ_SEM_WAITS]);
	ASSERT_EQ((__u64)getpid(), st.val[KIPC_A_OBJ_SEM_LPID]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_VALUE]);
	close(ofd);
}

/*
 * The last pid is given in the reader's pid namespace: a poster in a child
 * pid namespace is pid 1 to itself and its real pid to us, and we do not
 * exist for it.
 */
TEST_F(sem, stats_lpid_pid_namespace)
{
	int ofd, pid_pipe[2], posted[2], go[2];
	pid_t middle, inner;
	__u64 id;
	char c;

	ofd = test_sem_create(self->name, 0, &id);
	ASSERT_EQ(0, pipe(pid_pipe));
	ASSERT_EQ(0, pipe(posted));
	ASSERT_EQ(0, pipe(go));
	middle = kipc_fork_tied();
	ASSERT_LE(0, middle);
	if (middle == 0) {
		ASSERT_EQ(0, unshare(CLONE_NEWPID));
		inner = fork();
		ASSERT_LE(0, inner);
		if (inner == 0) {
			struct kipc_nl nl;
			struct kipc_nl_obj st;

			/* Our parent is outside: getppid() says 0. */
			ASSERT_EQ(0, prctl(PR_SET_PDEATHSIG, SIGKILL));
			ASSERT_EQ(1, getpid());
			ASSERT_EQ(0, kipc_nl_open(&nl));
			test_ioctl_sem_post(ofd, 1);
			test_nl_stat(&nl, id, &st);
			ASSERT_EQ(1ULL, st.val[KIPC_A_OBJ_SEM_LPID]);
			ASSERT_EQ(1, write(posted[1], "p", 1));
			ASSERT_EQ(1, read(go[0], &c, 1));
			test_nl_stat(&nl, id, &st);
			ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_LPID]);
			_exit(0);
		}
		ASSERT_EQ((ssize_t)sizeof(inner),
			  write(pid_pipe[1], &inner, sizeof(inner)));
		test_wait_child(inner);
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(inner),
		  read(pid_pipe[0], &inner, sizeof(inner)));
	ASSERT_EQ(1, read(posted[0], &c, 1));
	ASSERT_EQ((__u64)inner, test_stat_of(id, KIPC_A_OBJ_SEM_LPID));
	test_ioctl_sem_post(ofd, 1);
	ASSERT_EQ((__u64)getpid(), test_stat_of(id, KIPC_A_OBJ_SEM_LPID));
	ASSERT_EQ(1, write(go[1], "g", 1));
	test_wait_child(middle);
	close(pid_pipe[0]);
	close(pid_pipe[1]);
	close(posted[0]);
	close(posted[1]);
	close(go[0]);
	close(go[1]);
	close(ofd);
}

/* The dump carries the same statistics as the get. */
TEST_F(sem, stats_in_dump)
{
	struct kipc_nl_msg *msgs;
	const struct kipc_nl_msg *m;
	int ofd, n;
	__u64 id;

	ofd = test_sem_create(self->name, 4, &id);
	msgs = calloc(1024, sizeof(*msgs));
	ASSERT_NE(NULL, msgs);
	n = kipc_nl_obj_dump(&self->nl, msgs, 1024);
	ASSERT_LE(0, n);
	ASSERT_GE(1024, n);
	m = kipc_nl_find(msgs, n, id);
	ASSERT_NE(NULL, m);
	ASSERT_EQ((__u64)KIPC_OBJ_SEM, m->val[KIPC_A_OBJ_TYPE]);
	ASSERT_EQ(4ULL, m->val[KIPC_A_OBJ_SEM_VALUE]);
	ASSERT_STREQ(self->name, m->name);
	free(msgs);
	close(ofd);
}

TEST_HARNESS_MAIN
