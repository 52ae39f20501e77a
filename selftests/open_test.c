// SPDX-License-Identifier: GPL-2.0-only
/*
 * Creating, opening and unlinking named objects, and what KIPC_IOC_INFO
 * reports about them. The obj fixture runs every test for each object type.
 */
#include <sys/fsuid.h>
#include <sys/resource.h>

#include "kipc_test.h"

FIXTURE(obj) {
	int fd;
	char name[KIPC_NAME_MAX + 1];
	union kipc_attr attr;
};

FIXTURE_VARIANT(obj) {
	__u32 type;
};

FIXTURE_VARIANT_ADD(obj, mq) {
	.type = KIPC_OBJ_MQ,
};

FIXTURE_VARIANT_ADD(obj, shm) {
	.type = KIPC_OBJ_SHM,
};

FIXTURE_VARIANT_ADD(obj, sem) {
	.type = KIPC_OBJ_SEM,
};

FIXTURE_SETUP(obj)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, kipc_type_name(variant->type));
	self->attr = kipc_attr_of(variant->type);
	umask(0);
}

FIXTURE_TEARDOWN(obj)
{
	close(self->fd);
}

/* The attributes INFO must report for a new object created with @attr. */
static union kipc_attr expected_attr(__u32 type, union kipc_attr attr)
{
	long psz = sysconf(_SC_PAGESIZE);

	if (type == KIPC_OBJ_SHM)
		attr.shm.size = (attr.shm.size + psz - 1) / psz * psz;
	return attr;
}

TEST_F(obj, create)
{
	union kipc_attr want = expected_attr(variant->type, self->attr);
	struct kipc_info info;
	__u32 out_flags = 0;
	__u64 id = 0;
	int ofd;

	ofd = test_ioctl_open(variant->type, self->name, KIPC_NEW, 0640,
			      &self->attr, &id, &out_flags);
	ASSERT_EQ(KIPC_OPEN_OUT_CREATED, out_flags);
	ASSERT_NE(0ULL, id);

	test_ioctl_info(ofd, &info);
	ASSERT_EQ(id, info.out_id);
	ASSERT_EQ(variant->type, info.out_type);
	ASSERT_EQ(0640U, info.out_mode);
	ASSERT_EQ(getuid(), info.out_uid);
	ASSERT_EQ(getgid(), info.out_gid);
	ASSERT_EQ(getuid(), info.out_cuid);
	ASSERT_EQ(getgid(), info.out_cgid);
	ASSERT_EQ(0U, info.out_state);
	ASSERT_EQ(KIPC_RW, info.out_open_flags);
	ASSERT_EQ(0, memcmp(&want, &info.out_attr, sizeof(want)));
	ASSERT_STREQ(self->name, info.out_name);
	close(ofd);
	test_ioctl_unlink(variant->type, self->name);
}

TEST_F(obj, create_excl_exists)
{
	union kipc_attr other = self->attr;
	__u64 id, id2;
	int ofd;

	ofd = test_ioctl_create(variant->type, self->name, 0600, &id);
	test_err_open(EEXIST, variant->type, self->name, KIPC_NEW, 0600,
		      &self->attr);
	test_err_open(EEXIST, variant->type, self->name,
		      KIPC_OPEN_READ | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL,
		      0600, &other);
	close(ofd);
	/* Also when no fd holds it. */
	test_err_open(EEXIST, variant->type, self->name, KIPC_NEW, 0600,
		      &self->attr);
	ofd = test_ioctl_open(variant->type, self->name, KIPC_OPEN_READ, 0,
			      NULL, &id2, NULL);
	ASSERT_EQ(id, id2);
	close(ofd);
	test_ioctl_unlink(variant->type, self->name);
}

/* CREATE without EXCL opens what exists; attributes and mode are ignored. */
TEST_F(obj, create_opens_existing)
{
	union kipc_attr want = expected_attr(variant->type, self->attr);
	union kipc_attr other = self->attr;
	struct kipc_info info;
	__u32 out_flags = 0;
	__u64 id, id2 = 0;
	int ofd, ofd2;

	switch (variant->type) {
	case KIPC_OBJ_MQ:
		other.mq.max_msgs *= 2;
		break;
	case KIPC_OBJ_SHM:
		other.shm.size *= 4;
		break;
	case KIPC_OBJ_SEM:
		other.sem.value += 5;
		break;
	}

	ofd = test_ioctl_create(variant->type, self->name, 0640, &id);
	ofd2 = test_ioctl_open(variant->type, self->name,
			       KIPC_RW | KIPC_OPEN_CREATE, 0666, &other, &id2,
			       &out_flags);
	ASSERT_EQ(0U, out_flags);
	ASSERT_EQ(id, id2);
	test_ioctl_info(ofd2, &info);
	ASSERT_EQ(id, info.out_id);
	ASSERT_EQ(0640U, info.out_mode);
	ASSERT_EQ(0, memcmp(&want, &info.out_attr, sizeof(want)));
	close(ofd2);
	close(ofd);
	test_ioctl_unlink(variant->type, self->name);
}

TEST_F(obj, open_existing)
{
	struct kipc_info info;
	__u32 out_flags = ~0U;
	__u64 id, id2 = 0;
	int ofd, ofd2;

	ofd = test_ioctl_create(variant->type, self->name, 0600, &id);

	ofd2 = test_ioctl_open(variant->type, self->name, KIPC_OPEN_READ, 0,
			       NULL, &id2, &out_flags);
	ASSERT_EQ(0U, out_flags);
	ASSERT_EQ(id, id2);
	test_ioctl_info(ofd2, &info);
	ASSERT_EQ(id, info.out_id);
	ASSERT_EQ((__u32)KIPC_OPEN_READ, info.out_open_flags);
	close(ofd2);

	ofd2 = test_ioctl_open(variant->type, self->name, KIPC_OPEN_WRITE, 0,
			       NULL, &id2, NULL);
	test_ioctl_info(ofd2, &info);
	ASSERT_EQ(id, info.out_id);
	ASSERT_EQ((__u32)KIPC_OPEN_WRITE, info.out_open_flags);
	close(ofd2);

	ofd2 = test_ioctl_open(variant->type, self->name, KIPC_RW, 0, NULL,
			       &id2, NULL);
	test_ioctl_info(ofd2, &info);
	ASSERT_EQ(KIPC_RW, info.out_open_flags);
	close(ofd2);
	close(ofd);
	test_ioctl_unlink(variant->type, self->name);
}

TEST_F(obj, open_missing)
{
	union kipc_attr junk;

	test_err_open(ENOENT, variant->type, self->name, KIPC_OPEN_READ, 0,
		      NULL);
	test_err_open(ENOENT, variant->type, self->name, KIPC_RW, 0600,
		      &self->attr);
	/* Attributes are not even looked at without CREATE. */
	memset(&junk, 0xff, sizeof(junk));
	test_err_open(ENOENT, variant->type, self->name, KIPC_RW, 0, &junk);
	test_err_unlink(ENOENT, variant->type, self->name);
}

TEST_F(obj, open_ignores_attr_without_create)
{
	union kipc_attr junk;
	__u64 id, id2 = 0;
	int ofd, ofd2;

	memset(&junk, 0xff, sizeof(junk));
	ofd = test_ioctl_create(variant->type, self->name, 0600, &id);
	ofd2 = test_ioctl_open(variant->type, self->name, KIPC_RW, 0, &junk,
			       &id2, NULL);
	ASSERT_EQ(id, id2);
	close(ofd2);
	close(ofd);
	test_ioctl_unlink(variant->type, self->name);
}

TEST_F(obj, unlink)
{
	int ofd;

	ofd = test_ioctl_create(variant->type, self->name, 0600, NULL);
	close(ofd);
	ASSERT_TRUE(test_obj_exists(variant->type, self->name));
	test_ioctl_unlink(variant->type, self->name);
	test_err_open(ENOENT, variant->type, self->name, KIPC_RW, 0, NULL);
	test_err_unlink(ENOENT, variant->type, self->name);
}

TEST_F(obj, create_after_unlink)
{
	struct kipc_info info;
	__u64 id, id2;
	int ofd, ofd2;

	ofd = test_ioctl_create(variant->type, self->name, 0600, &id);
	test_ioctl_unlink(variant->type, self->name);
	/* At once, while the old object is still open. */
	ofd2 = test_ioctl_create(variant->type, self->name, 0600, &id2);
	ASSERT_NE(id, id2);

	test_ioctl_info(ofd, &info);
	ASSERT_EQ(id, info.out_id);
	ASSERT_EQ(KIPC_STATE_UNLINKED, info.out_state);
	test_ioctl_info(ofd2, &info);
	ASSERT_EQ(id2, info.out_id);
	ASSERT_EQ(0U, info.out_state);

	/* The name finds the new one. */
	close(ofd2);
	ofd2 = test_ioctl_open(variant->type, self->name, KIPC_OPEN_READ, 0,
			       NULL, NULL, NULL);
	ASSERT_EQ(id2, test_obj_id(ofd2));
	close(ofd2);
	close(ofd);
	test_ioctl_unlink(variant->type, self->name);
}

TEST_F(obj, ids_unique)
{
	char name[4][KIPC_NAME_MAX + 16];
	__u64 id[4];
	int i, j, ofd;

	for (i = 0; i < 4; i++) {
		snprintf(name[i], sizeof(name[i]), "%s.%d", self->name, i);
		ofd = test_ioctl_create(variant->type, name[i], 0600, &id[i]);
		close(ofd);
		if (i == 1)
			test_ioctl_unlink(variant->type, name[i]);
	}
	for (i = 0; i < 4; i++)
		for (j = i + 1; j < 4; j++)
			ASSERT_NE(id[i], id[j]);
	for (i = 0; i < 4; i++)
		if (i != 1)
			test_ioctl_unlink(variant->type, name[i]);
}

TEST_F(obj, umask_applies)
{
	static const struct {
		mode_t umask;
		__u32 mode;
		__u32 want;
	} cases[] = {
		{ 0, 0666, 0666 },
		{ 022, 0666, 0644 },
		{ 077, 0666, 0600 },
		{ 0027, 0640, 0640 },
		{ 0777, 0666, 0 },
	};
	struct kipc_info info;
	unsigned int i;
	int ofd;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		umask(cases[i].umask);
		ofd = test_ioctl_create(variant->type, self->name,
					cases[i].mode, NULL);
		test_ioctl_info(ofd, &info);
		ASSERT_EQ(cases[i].want, info.out_mode);
		/* The creator gets the access it asked for, whatever the mode. */
		ASSERT_EQ(KIPC_RW, info.out_open_flags);
		close(ofd);
		test_ioctl_unlink(variant->type, self->name);
	}
}

TEST_F(obj, fd_flags)
{
	static const struct {
		__u32 flags;
		int accmode;
	} cases[] = {
		{ KIPC_OPEN_READ, O_RDONLY },
		{ KIPC_OPEN_WRITE, O_WRONLY },
		{ KIPC_RW, O_RDWR },
	};
	unsigned int i;
	int ofd, fl;

	/* Neither close-on-exec nor non-blocking unless asked for. */
	ofd = test_ioctl_create(variant->type, self->name, 0600, NULL);
	ASSERT_EQ(0, fcntl(ofd, F_GETFD) & FD_CLOEXEC);
	ASSERT_EQ(0, fcntl(ofd, F_GETFL) & O_NONBLOCK);
	close(ofd);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ofd = test_ioctl_open(variant->type, self->name,
				      cases[i].flags | KIPC_OPEN_CLOEXEC, 0,
				      NULL, NULL, NULL);
		fl = fcntl(ofd, F_GETFL);
		ASSERT_EQ(cases[i].accmode, fl & O_ACCMODE);
		ASSERT_EQ(0, fl & O_NONBLOCK);
		ASSERT_EQ(FD_CLOEXEC, fcntl(ofd, F_GETFD) & FD_CLOEXEC);
		close(ofd);

		ofd = test_ioctl_open(variant->type, self->name,
				      cases[i].flags | KIPC_OPEN_NONBLOCK, 0,
				      NULL, NULL, NULL);
		fl = fcntl(ofd, F_GETFL);
		ASSERT_EQ(cases[i].accmode, fl & O_ACCMODE);
		ASSERT_EQ(O_NONBLOCK, fl & O_NONBLOCK);
		ASSERT_EQ(0, fcntl(ofd, F_GETFD) & FD_CLOEXEC);
		close(ofd);
	}
	test_ioctl_unlink(variant->type, self->name);

	/* Also on the call that creates. */
	ofd = test_ioctl_open(variant->type, self->name,
			      KIPC_NEW | KIPC_OPEN_CLOEXEC | KIPC_OPEN_NONBLOCK,
			      0600, &self->attr, NULL, NULL);
	ASSERT_EQ(FD_CLOEXEC, fcntl(ofd, F_GETFD) & FD_CLOEXEC);
	ASSERT_EQ(O_NONBLOCK, fcntl(ofd, F_GETFL) & O_NONBLOCK);
	close(ofd);
	test_ioctl_unlink(variant->type, self->name);
}

/* A new object belongs to the caller's fsuid and fsgid. */
TEST_F(obj, owner_is_fsuid)
{
	char name[KIPC_NAME_MAX + 1];
	pid_t pid;

	snprintf(name, sizeof(name), "%s", self->name);
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		struct kipc_info info;
		int ofd;

		ofd = test_ioctl_create(variant->type, name, 0600, NULL);
		test_ioctl_info(ofd, &info);
		ASSERT_EQ((__u32)KIPC_UID1, info.out_uid);
		ASSERT_EQ((__u32)KIPC_GID1, info.out_gid);
		ASSERT_EQ((__u32)KIPC_UID1, info.out_cuid);
		ASSERT_EQ((__u32)KIPC_GID1, info.out_cgid);
		close(ofd);
		test_ioctl_unlink(variant->type, name);
		_exit(0);
	}
	test_wait_child(pid);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kipc_info info;
		int ofd;

		/* Real and effective ids stay root; only the fs ids change. */
		setfsgid(KIPC_GID2);
		setfsuid(KIPC_UID2);
		ASSERT_EQ(KIPC_UID2, setfsuid(-1));
		ofd = test_ioctl_create(variant->type, name, 0600, NULL);
		test_ioctl_info(ofd, &info);
		ASSERT_EQ((__u32)KIPC_UID2, info.out_uid);
		ASSERT_EQ((__u32)KIPC_GID2, info.out_gid);
		close(ofd);
		test_ioctl_unlink(variant->type, name);
		_exit(0);
	}
	test_wait_child(pid);
}

/* No free fd: EMFILE, and the object is not created. */
TEST_F(obj, no_free_fd)
{
	struct rlimit rl;
	int ofd, lowest;

	ofd = test_ioctl_create(variant->type, self->name, 0600, NULL);
	close(ofd);
	test_ioctl_unlink(variant->type, self->name);

	lowest = dup(0);
	ASSERT_LE(0, lowest);
	close(lowest);
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &rl));
	rl.rlim_cur = lowest;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));

	test_err_open(EMFILE, variant->type, self->name, KIPC_NEW, 0600,
		      &self->attr);

	rl.rlim_cur = lowest + 1;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	ASSERT_FALSE(test_obj_exists(variant->type, self->name));
	ofd = test_ioctl_create(variant->type, self->name, 0600, NULL);
	/* And when opening an existing object. */
	test_err_open(EMFILE, variant->type, self->name, KIPC_OPEN_READ, 0,
		      NULL);
	close(ofd);
	test_ioctl_unlink(variant->type, self->name);
}

#define FILE_MAX	"/proc/sys/fs/file-max"

static int file_max_rw(char *buf, size_t len, bool wr)
{
	int fd = open(FILE_MAX, wr ? O_WRONLY | O_CLOEXEC : O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = wr ? write(fd, buf, strlen(buf)) : read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	if (!wr)
		buf[n] = 0;
	return 0;
}

/*
 * No free file in the system (fs.file-max, lowered to 1 for the test): a
 * caller without CAP_SYS_ADMIN gets ENFILE, creating or opening, and no
 * object is made. The limit is restored before anything is checked.
 *
 * The kernel compares an approximate count first (a per-CPU counter that
 * may read low), so the child opens /dev/null until open(2) itself says
 * ENFILE: from then on the count is past the limit however it is read.
 */
TEST_F(obj, no_free_file)
{
	char saved[32], one[] = "1\n", other[KIPC_NAME_MAX + 1];
	int ofd, st = 0;
	pid_t pid;

	if (file_max_rw(saved, sizeof(saved), false))
		SKIP(return, "cannot read " FILE_MAX ": %s", strerror(errno));
	test_name(other, "enfile");
	ofd = test_ioctl_create(variant->type, self->name, 0600, NULL);

	ASSERT_EQ(0, file_max_rw(one, 0, true));
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { .rlim_cur = 1 << 16, .rlim_max = 1 << 16 };
		int n;

		/* Root without CAP_SYS_ADMIN is held to fs.file-max. */
		test_drop_cap(CAP_SYS_ADMIN);
		ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
		for (n = 0; n < 1 << 15; n++)
			if (open("/dev/null", O_RDONLY) < 0)
				break;
		ASSERT_EQ(ENFILE, errno) TH_LOG("%d files opened", n);
		test_err_open(ENFILE, variant->type, other, KIPC_NEW, 0600,
			      &self->attr);
		test_err_open(ENFILE, variant->type, self->name,
			      KIPC_OPEN_READ, 0, NULL);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
	ASSERT_EQ(0, file_max_rw(saved, 0, true));
	ASSERT_LT(0, pid);
	ASSERT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));

	ASSERT_FALSE(test_obj_exists(variant->type, other));
	close(ofd);
	test_ioctl_unlink(variant->type, self->name);
}

FIXTURE(names) {
	int fd;
};

FIXTURE_SETUP(names)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(names)
{
	close(self->fd);
}

/* Types are separate name spaces, as in POSIX. */
TEST_F(names, types_are_separate)
{
	char name[KIPC_NAME_MAX + 1], only_mq[KIPC_NAME_MAX + 1];
	__u64 id[KIPC_NR_TYPES];
	int ofd[KIPC_NR_TYPES];
	unsigned int i, j;

	test_name(name, "shared");
	for (i = 0; i < KIPC_NR_TYPES; i++)
		ofd[i] = test_ioctl_create(kipc_types[i], name, 0600, &id[i]);
	for (i = 0; i < KIPC_NR_TYPES; i++)
		for (j = i + 1; j < KIPC_NR_TYPES; j++)
			ASSERT_NE(id[i], id[j]);
	for (i = 0; i < KIPC_NR_TYPES; i++) {
		struct kipc_info info;
		int o;

		o = test_ioctl_open(kipc_types[i], name, KIPC_OPEN_READ, 0,
				    NULL, NULL, NULL);
		test_ioctl_info(o, &info);
		ASSERT_EQ(id[i], info.out_id);
		ASSERT_EQ(kipc_types[i], info.out_type);
		close(o);
	}

	/* A name that exists only as a queue. */
	test_name(only_mq, "mq-only");
	close(test_ioctl_create(KIPC_OBJ_MQ, only_mq, 0600, NULL));
	test_err_open(ENOENT, KIPC_OBJ_SEM, only_mq, KIPC_RW, 0, NULL);
	test_err_open(ENOENT, KIPC_OBJ_SHM, only_mq, KIPC_RW, 0, NULL);
	test_err_unlink(ENOENT, KIPC_OBJ_SEM, only_mq);
	test_err_unlink(ENOENT, KIPC_OBJ_SHM, only_mq);
	test_ioctl_unlink(KIPC_OBJ_MQ, only_mq);

	/* Unlinking one type leaves the others. */
	test_ioctl_unlink(KIPC_OBJ_MQ, name);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_MQ, name));
	ASSERT_TRUE(test_obj_exists(KIPC_OBJ_SHM, name));
	ASSERT_TRUE(test_obj_exists(KIPC_OBJ_SEM, name));
	for (i = 0; i < KIPC_NR_TYPES; i++)
		close(ofd[i]);
	test_ioctl_unlink(KIPC_OBJ_SHM, name);
	test_ioctl_unlink(KIPC_OBJ_SEM, name);
}

/* libkipc: the same calls, returning -errno. */
TEST_F(names, libkipc)
{
	char name[KIPC_NAME_MAX + 1];
	struct kipc_version ver;
	struct kipc_info info;
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SEM);
	uint64_t id = 0;
	int ofd;

	ASSERT_EQ(0, kipc_version(&ver));
	ASSERT_EQ(KIPC_ABI_VERSION, (int)ver.out_abi_version);

	test_name(name, "lib");
	ASSERT_EQ(-ENOENT, kipc_mq_open(name, KIPC_RW, 0, 0, 0));
	ASSERT_EQ(-EINVAL, kipc_mq_open(name, KIPC_NEW, 0600, 0, 1));
	ofd = kipc_mq_open(name, KIPC_NEW, 0600, 2, 16);
	ASSERT_LE(0, ofd);
	ASSERT_EQ(0, kipc_info(ofd, &info));
	ASSERT_EQ(2U, info.out_attr.mq.max_msgs);
	ASSERT_EQ(16U, info.out_attr.mq.max_msgsize);
	ASSERT_EQ(-EEXIST, kipc_mq_open(name, KIPC_NEW, 0600, 2, 16));
	close(ofd);
	ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, name));
	ASSERT_EQ(-ENOENT, kipc_unlink(KIPC_OBJ_MQ, name));

	ofd = kipc_shm_open(name, KIPC_NEW, 0600, 8192);
	ASSERT_LE(0, ofd);
	ASSERT_EQ(0, kipc_info(ofd, &info));
	ASSERT_EQ(8192ULL, info.out_attr.shm.size);
	close(ofd);
	ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SHM, name));

	ofd = kipc_sem_open(name, KIPC_NEW, 0600, 7);
	ASSERT_LE(0, ofd);
	ASSERT_EQ(0, kipc_info(ofd, &info));
	ASSERT_EQ(7U, info.out_attr.sem.value);
	close(ofd);
	ofd = kipc_open(KIPC_OBJ_SEM, name, KIPC_OPEN_READ, 0, &attr, &id);
	ASSERT_LE(0, ofd);
	ASSERT_EQ(info.out_id, id);
	close(ofd);
	ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, name));
	ASSERT_EQ(-EBADF, kipc_info(-1, &info));

	ASSERT_STREQ("mq", kipc_type_name(KIPC_OBJ_MQ));
	ASSERT_STREQ("shm", kipc_type_name(KIPC_OBJ_SHM));
	ASSERT_STREQ("sem", kipc_type_name(KIPC_OBJ_SEM));
	ASSERT_EQ(NULL, kipc_type_name(0));
}

/*
 * Processes racing for the same names: with CREATE all of them get the one
 * object and exactly one learns it created it; with CREATE | EXCL exactly
 * one succeeds; of concurrent unlinks exactly one succeeds.
 */
FIXTURE(race) {
	int fd;
	char name[KIPC_NAME_MAX + 1];
	int go[2];
};

#define RACE_PROCS	4
#define RACE_ROUNDS	64

struct race_rec {
	__u64 id;
	__u32 created;
	int err;
};

FIXTURE_SETUP(race)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, "race");
	ASSERT_EQ(0, pipe(self->go));
}

FIXTURE_TEARDOWN(race)
{
	close(self->fd);
}

/*
 * Fork the racers. Each child returns its index once all are forked, so that
 * they start together; the parent gets -1. Children end with _exit().
 */
static int race_fork(struct __test_metadata *_metadata, int go[2],
		     pid_t *pids)
{
	char c;
	int p;

	for (p = 0; p < RACE_PROCS; p++) {
		pids[p] = fork();
		ASSERT_LE(0, pids[p]);
		if (pids[p] == 0) {
			close(go[1]);
			ASSERT_EQ(0, (int)read(go[0], &c, 1));
			return p;
		}
	}
	close(go[0]);
	close(go[1]);
	return -1;
}

#define race_wait(_pids)						\
	do {								\
		int __p;						\
									\
		for (__p = 0; __p < RACE_PROCS; __p++)			\
			test_wait_child((_pids)[__p]);			\
	} while (0)

static struct race_rec *race_recs(void)
{
	void *p = mmap(NULL, sizeof(struct race_rec) * RACE_PROCS * RACE_ROUNDS,
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

TEST_F(race, create)
{
	struct race_rec *recs = race_recs();
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_MQ);
	char n[KIPC_NAME_MAX + 16];
	pid_t pids[RACE_PROCS];
	int r, p;

	ASSERT_NE(NULL, recs);
	p = race_fork(_metadata, self->go, pids);
	if (p >= 0) {
		struct race_rec *rec = &recs[p * RACE_ROUNDS];

		for (r = 0; r < RACE_ROUNDS; r++) {
			int ofd;

			snprintf(n, sizeof(n), "%s.%d", self->name, r);
			ofd = test_ioctl_open(KIPC_OBJ_MQ, n,
					      KIPC_RW | KIPC_OPEN_CREATE, 0600,
					      &attr, &rec[r].id,
					      &rec[r].created);
			ASSERT_EQ(rec[r].id, test_obj_id(ofd));
			close(ofd);
		}
		_exit(0);
	}
	race_wait(pids);
	for (r = 0; r < RACE_ROUNDS; r++) {
		int created = 0;

		for (p = 0; p < RACE_PROCS; p++) {
			struct race_rec *rec = &recs[p * RACE_ROUNDS + r];

			ASSERT_EQ(recs[r].id, rec->id);
			created += rec->created == KIPC_OPEN_OUT_CREATED;
		}
		ASSERT_EQ(1, created);
		snprintf(n, sizeof(n), "%s.%d", self->name, r);
		test_ioctl_unlink(KIPC_OBJ_MQ, n);
	}
}

TEST_F(race, create_excl_and_unlink)
{
	struct race_rec *recs = race_recs();
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SEM);
	char n[KIPC_NAME_MAX + 16];
	pid_t pids[RACE_PROCS];
	int r, p;

	ASSERT_NE(NULL, recs);
	p = race_fork(_metadata, self->go, pids);
	if (p >= 0) {
		struct race_rec *rec = &recs[p * RACE_ROUNDS];

		for (r = 0; r < RACE_ROUNDS; r++) {
			int ofd;

			snprintf(n, sizeof(n), "%s.%d", self->name, r);
			ofd = _test_cmd_open(self->fd, KIPC_OBJ_SEM, n,
					     KIPC_NEW, 0600, &attr, NULL, NULL);
			rec[r].err = ofd < 0 ? errno : 0;
			if (ofd >= 0)
				close(ofd);
		}
		_exit(0);
	}
	race_wait(pids);
	for (r = 0; r < RACE_ROUNDS; r++) {
		int won = 0;

		for (p = 0; p < RACE_PROCS; p++) {
			int err = recs[p * RACE_ROUNDS + r].err;

			if (err)
				ASSERT_EQ(EEXIST, err);
			won += !err;
		}
		ASSERT_EQ(1, won);
	}

	ASSERT_EQ(0, pipe(self->go));
	memset(recs, 0, sizeof(*recs) * RACE_PROCS * RACE_ROUNDS);
	p = race_fork(_metadata, self->go, pids);
	if (p >= 0) {
		struct race_rec *rec = &recs[p * RACE_ROUNDS];

		for (r = 0; r < RACE_ROUNDS; r++) {
			snprintf(n, sizeof(n), "%s.%d", self->name, r);
			rec[r].err = _test_cmd_unlink(self->fd, KIPC_OBJ_SEM,
						      n) ? errno : 0;
		}
		_exit(0);
	}
	race_wait(pids);
	for (r = 0; r < RACE_ROUNDS; r++) {
		int won = 0;

		for (p = 0; p < RACE_PROCS; p++) {
			int err = recs[p * RACE_ROUNDS + r].err;

			if (err)
				ASSERT_EQ(ENOENT, err);
			won += !err;
		}
		ASSERT_EQ(1, won);
		snprintf(n, sizeof(n), "%s.%d", self->name, r);
		ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, n));
	}
}

TEST_HARNESS_MAIN
