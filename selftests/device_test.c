// SPDX-License-Identifier: GPL-2.0-only
/*
 * The /dev/kipc factory: the device node, KIPC_IOC_VERSION, the extensible
 * struct rules of every ioctl (cmd_length), and the validation of
 * KIPC_IOC_OPEN and KIPC_IOC_UNLINK arguments against the errno table of
 * <linux/kipc.h>.
 */
#include <sys/sysmacros.h>

#include "kipc_test.h"

#define KIPC_FEATURES_KNOWN (KIPC_FEATURE_MQ | KIPC_FEATURE_SHM | \
			     KIPC_FEATURE_SEM | KIPC_FEATURE_NETLINK | \
			     KIPC_FEATURE_SEM_MULTI | KIPC_FEATURE_ANON | \
			     KIPC_FEATURE_MQ_HUP | KIPC_FEATURE_MQ_CREDS | \
			     KIPC_FEATURE_MQ_REGIONS | \
			     KIPC_FEATURE_MQ_REPLYTO)

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST(device_node)
{
	struct stat st;
	pid_t pid;
	int fd;

	ASSERT_EQ(0, stat(KIPC_DEVICE_PATH, &st));
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	/* A misc device. */
	ASSERT_EQ(10, (int)major(st.st_rdev));
	/* Everybody may use the factory; objects carry the permissions. */
	ASSERT_EQ(0666, (int)(st.st_mode & 07777));

	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		struct kipc_version ver;

		fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, _test_cmd_version(fd, &ver));
		ASSERT_EQ(KIPC_ABI_VERSION, (int)ver.out_abi_version);
		close(fd);
		_exit(0);
	}
	test_wait_child(pid);
}

TEST_F(dev, version)
{
	struct kipc_version ver;

	test_ioctl_version(&ver);
	ASSERT_EQ(sizeof(ver), (size_t)ver.size);
	ASSERT_EQ(0, (int)ver.flags);
	ASSERT_EQ(KIPC_ABI_VERSION, (int)ver.out_abi_version);
	ASSERT_EQ(KIPC_NAME_MAX, (int)ver.out_name_max);
	/* Every foundation type and the netlink family... */
	ASSERT_EQ((__u64)KIPC_FEATURES_KNOWN,
		  ver.out_features & KIPC_FEATURES_KNOWN);
	/* ...and no bit the header does not define. */
	ASSERT_EQ(0ULL, ver.out_features & ~(__u64)KIPC_FEATURES_KNOWN);
}

TEST_F(dev, version_ceilings_match_params)
{
	struct kipc_version ver;

	test_ioctl_version(&ver);
	ASSERT_EQ(test_param("mq_max_msgs"), ver.out_mq_max_msgs);
	ASSERT_EQ(test_param("mq_max_msgsize"), ver.out_mq_max_msgsize);
	ASSERT_EQ(test_param("shm_max_size"), ver.out_shm_max_size);
}

TEST_F(dev, version_flags)
{
	struct kipc_version ver = { .size = sizeof(ver), .flags = 1 };

	EXPECT_ERRNO(EOPNOTSUPP, ioctl(self->fd, KIPC_IOC_VERSION, &ver));
	ver.flags = 1U << 31;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(self->fd, KIPC_IOC_VERSION, &ver));
}

TEST_F(dev, cmd_length_version)
{
	struct {
		struct kipc_version cmd;
		__u8 extra[8];
	} buf;

	memset(&buf, 0, sizeof(buf));
	TEST_LENGTH_ERRORS(self->fd, buf, kipc_version, KIPC_IOC_VERSION,
			   out_shm_max_size);
	ASSERT_EQ(0, ioctl(self->fd, KIPC_IOC_VERSION, &buf));
	ASSERT_EQ(KIPC_ABI_VERSION, (int)buf.cmd.out_abi_version);
	/* Only the kernel's struct is written back, never the tail. */
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);

	buf.cmd.size = sizeof(buf.cmd);
	buf.cmd.out_abi_version = 0;
	ASSERT_EQ(0, ioctl(self->fd, KIPC_IOC_VERSION, &buf));
	ASSERT_EQ(KIPC_ABI_VERSION, (int)buf.cmd.out_abi_version);
}

TEST_F(dev, cmd_length_open)
{
	struct {
		struct kipc_open cmd;
		__u8 extra[8];
	} buf;
	char name[KIPC_NAME_MAX + 1];
	__u64 id;
	int ofd;

	test_name(name, "q");
	memset(&buf, 0, sizeof(buf));
	buf.cmd.flags = KIPC_RW | KIPC_OPEN_CREATE;
	buf.cmd.type = KIPC_OBJ_MQ;
	buf.cmd.mode = 0600;
	buf.cmd.name = (uintptr_t)name;
	buf.cmd.attr = kipc_attr_of(KIPC_OBJ_MQ);
	TEST_LENGTH_ERRORS(self->fd, buf, kipc_open, KIPC_IOC_OPEN,
			   __reserved);
	/* None of the failed calls created the object. */
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_MQ, name));

	ofd = ioctl(self->fd, KIPC_IOC_OPEN, &buf);
	ASSERT_LE(0, ofd);
	ASSERT_EQ(KIPC_OPEN_OUT_CREATED, buf.cmd.out_flags);
	id = buf.cmd.out_id;
	ASSERT_EQ(id, test_obj_id(ofd));
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);
	close(ofd);

	buf.cmd.size = sizeof(buf.cmd);
	buf.cmd.out_id = 0;
	ofd = ioctl(self->fd, KIPC_IOC_OPEN, &buf);
	ASSERT_LE(0, ofd);
	ASSERT_EQ(0U, buf.cmd.out_flags);
	ASSERT_EQ(id, buf.cmd.out_id);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_MQ, name);
}

TEST_F(dev, cmd_length_unlink)
{
	struct {
		struct kipc_unlink cmd;
		__u8 extra[8];
	} buf;
	char name[KIPC_NAME_MAX + 1];

	test_name(name, "s");
	close(test_ioctl_create(KIPC_OBJ_SEM, name, 0600, NULL));
	memset(&buf, 0, sizeof(buf));
	buf.cmd.type = KIPC_OBJ_SEM;
	buf.cmd.name = (uintptr_t)name;
	TEST_LENGTH_ERRORS(self->fd, buf, kipc_unlink, KIPC_IOC_UNLINK, name);
	/* None of the failed calls unlinked it. */
	ASSERT_TRUE(test_obj_exists(KIPC_OBJ_SEM, name));

	ASSERT_EQ(0, ioctl(self->fd, KIPC_IOC_UNLINK, &buf));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, name));

	close(test_ioctl_create(KIPC_OBJ_SEM, name, 0600, NULL));
	buf.cmd.size = sizeof(buf.cmd);
	ASSERT_EQ(0, ioctl(self->fd, KIPC_IOC_UNLINK, &buf));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, name));
}

TEST_F(dev, cmd_length_info)
{
	struct {
		struct kipc_info cmd;
		__u8 extra[8];
	} buf;
	char name[KIPC_NAME_MAX + 1];
	__u64 id;
	int ofd;

	test_name(name, "m");
	ofd = test_ioctl_create(KIPC_OBJ_SHM, name, 0600, &id);
	memset(&buf, 0, sizeof(buf));
	TEST_LENGTH_ERRORS(ofd, buf, kipc_info, KIPC_IOC_INFO, out_name);

	ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_INFO, &buf));
	ASSERT_EQ(id, buf.cmd.out_id);
	ASSERT_STREQ(name, buf.cmd.out_name);
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);

	memset(&buf, 0, sizeof(buf));
	buf.cmd.size = sizeof(buf.cmd);
	ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_INFO, &buf));
	ASSERT_EQ(id, buf.cmd.out_id);

	buf.cmd.flags = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(ofd, KIPC_IOC_INFO, &buf));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, name);
}

/* A page that is not mapped: the struct pointer itself is bad. */
TEST_F(dev, cmd_bad_pointer)
{
	char name[KIPC_NAME_MAX + 1];
	void *hole;
	int ofd;

	hole = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);

	EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_VERSION, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_VERSION, hole));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_OPEN, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_OPEN, hole));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_UNLINK, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_UNLINK, hole));

	test_name(name, "q");
	ofd = test_ioctl_create(KIPC_OBJ_MQ, name, 0600, NULL);
	EXPECT_ERRNO(EFAULT, ioctl(ofd, KIPC_IOC_INFO, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(ofd, KIPC_IOC_INFO, hole));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_MQ, name);
	munmap(hole, 4096);
}

/*
 * A size that runs past the end of the readable memory: the tail the kernel
 * must check for zeroes is not accessible, so EFAULT rather than E2BIG or a
 * silent success.
 */
TEST_F(dev, cmd_size_past_mapping)
{
	long psz = sysconf(_SC_PAGESIZE);
	struct kipc_version *ver;
	char *map;

	map = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map + psz, psz, PROT_NONE));
	ver = (struct kipc_version *)(map + psz - sizeof(*ver) - 8);
	memset(ver, 0, sizeof(*ver) + 8);

	ver->size = sizeof(*ver) + 8;
	ASSERT_EQ(0, ioctl(self->fd, KIPC_IOC_VERSION, ver));
	ver->size = sizeof(*ver) + 9;
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_VERSION, ver));
	ver->size = UINT32_MAX;
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_VERSION, ver));
	munmap(map, 2 * psz);
}

/*
 * A struct the kernel can read but not write back: the call fails with
 * EFAULT and leaves nothing behind, neither an fd nor an object that nobody
 * learnt the id of. An object that already existed is left alone.
 */
TEST_F(dev, cmd_readonly_struct)
{
	char name[KIPC_NAME_MAX + 1];
	struct kipc_open *op;
	struct kipc_version *ver;
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SEM);
	void *page;
	int next_fd, ofd;
	__u64 id;

	test_name(name, "s");
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);

	ver = page;
	memset(ver, 0, sizeof(*ver));
	ver->size = sizeof(*ver);
	ASSERT_EQ(0, mprotect(page, 4096, PROT_READ));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_VERSION, ver));

	ASSERT_EQ(0, mprotect(page, 4096, PROT_READ | PROT_WRITE));
	op = page;
	memset(op, 0, sizeof(*op));
	op->size = sizeof(*op);
	op->flags = KIPC_RW | KIPC_OPEN_CREATE;
	op->type = KIPC_OBJ_SEM;
	op->mode = 0600;
	op->name = (uintptr_t)name;
	op->attr = attr;
	ASSERT_EQ(0, mprotect(page, 4096, PROT_READ));

	next_fd = dup(0);
	ASSERT_LE(0, next_fd);
	close(next_fd);
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_OPEN, op));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, name));
	/* No fd was installed. */
	ofd = dup(0);
	ASSERT_EQ(next_fd, ofd);
	close(ofd);

	/* Opening an existing object the same way does not unlink it. */
	ofd = test_ioctl_create(KIPC_OBJ_SEM, name, 0600, &id);
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_OPEN, op));
	ASSERT_TRUE(test_obj_exists(KIPC_OBJ_SEM, name));
	close(ofd);
	ofd = test_ioctl_open(KIPC_OBJ_SEM, name, KIPC_OPEN_READ, 0, NULL,
			      NULL, NULL);
	ASSERT_EQ(id, test_obj_id(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SEM, name);
	munmap(page, 4096);
}

TEST_F(dev, unknown_ioctl)
{
	struct {
		struct kipc_info info;
		__u8 pad[64];
	} buf;
	char name[KIPC_NAME_MAX + 1];
	int ofd;

	memset(&buf, 0, sizeof(buf));
	buf.info.size = sizeof(buf.info);

	/* On the factory. */
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(KIPC_TYPE, 0x03), &buf));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(KIPC_TYPE, 0x0f), &buf));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(KIPC_TYPE, 0xff), &buf));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO('X', KIPC_CMD_VERSION),
				   &buf));
	/* The right number with direction and size bits is another ioctl. */
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd,
				   _IOWR(KIPC_TYPE, KIPC_CMD_VERSION,
					 struct kipc_version), &buf));
	/* An object fd's command on the factory. */
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, KIPC_IOC_INFO, &buf));

	/* On an object fd. */
	test_name(name, "q");
	ofd = test_ioctl_create(KIPC_OBJ_MQ, name, 0600, NULL);
	EXPECT_ERRNO(ENOTTY, ioctl(ofd, _IO(KIPC_TYPE, 0x11), &buf));
	EXPECT_ERRNO(ENOTTY, ioctl(ofd, _IO(KIPC_TYPE, 0x0f), &buf));
	EXPECT_ERRNO(ENOTTY, ioctl(ofd, _IO(KIPC_TYPE, 0xff), &buf));
	EXPECT_ERRNO(ENOTTY, ioctl(ofd, _IO('X', KIPC_CMD_INFO), &buf));
	EXPECT_ERRNO(ENOTTY, ioctl(ofd, _IOR(KIPC_TYPE, KIPC_CMD_INFO,
					     struct kipc_info), &buf));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_MQ, name);
}

TEST_F(dev, factory_ioctl_on_object_fd)
{
	char name[KIPC_NAME_MAX + 1];
	struct kipc_version ver = { .size = sizeof(ver) };
	struct kipc_open op = {
		.size = sizeof(op),
		.flags = KIPC_RW | KIPC_OPEN_CREATE,
		.type = KIPC_OBJ_SEM,
		.mode = 0600,
	};
	struct kipc_unlink ul = { .size = sizeof(ul), .type = KIPC_OBJ_SEM };
	unsigned int i;
	int ofd;

	for (i = 0; i < KIPC_NR_TYPES; i++) {
		char other[KIPC_NAME_MAX + 1];

		test_name(name, kipc_type_name(kipc_types[i]));
		ofd = test_ioctl_create(kipc_types[i], name, 0600, NULL);

		test_name(other, "other");
		op.name = (uintptr_t)other;
		op.attr = kipc_attr_of(KIPC_OBJ_SEM);
		ul.name = (uintptr_t)name;
		EXPECT_ERRNO(ENOTTY, ioctl(ofd, KIPC_IOC_VERSION, &ver));
		EXPECT_ERRNO(ENOTTY, ioctl(ofd, KIPC_IOC_OPEN, &op));
		EXPECT_ERRNO(ENOTTY, ioctl(ofd, KIPC_IOC_UNLINK, &ul));
		/* Nothing happened. */
		ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, other));
		ASSERT_TRUE(test_obj_exists(kipc_types[i], name));
		close(ofd);
		test_ioctl_unlink(kipc_types[i], name);
	}
}

TEST_F(dev, open_unknown_flags)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_MQ);
	char name[KIPC_NAME_MAX + 1];
	unsigned int bit;

	test_name(name, "q");
	for (bit = 7; bit < 32; bit++)
		test_err_open(EOPNOTSUPP, KIPC_OBJ_MQ, name,
			      KIPC_NEW | (1U << bit), 0600, &attr);
	/* Also without CREATE, and for a name that does not exist. */
	test_err_open(EOPNOTSUPP, KIPC_OBJ_MQ, name,
		      KIPC_OPEN_READ | (1U << 31), 0, NULL);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_MQ, name));
}

TEST_F(dev, open_reserved)
{
	char name[KIPC_NAME_MAX + 1];
	struct kipc_open op = {
		.size = sizeof(op),
		.flags = KIPC_NEW,
		.type = KIPC_OBJ_SEM,
		.mode = 0600,
		.__reserved = 1,
	};

	test_name(name, "s");
	op.name = (uintptr_t)name;
	op.attr = kipc_attr_of(KIPC_OBJ_SEM);
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(self->fd, KIPC_IOC_OPEN, &op));
	op.__reserved = 1U << 31;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(self->fd, KIPC_IOC_OPEN, &op));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, name));
}

TEST_F(dev, open_unknown_type)
{
	static const __u32 bad[] = { 0, KIPC_OBJ_SEM + 1, 0x100, 0xffffffff };
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_MQ);
	char name[KIPC_NAME_MAX + 1];
	unsigned int i;

	test_name(name, "x");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		test_err_open(EOPNOTSUPP, bad[i], name, KIPC_NEW, 0600, &attr);
		test_err_open(EOPNOTSUPP, bad[i], name, KIPC_OPEN_READ, 0,
			      NULL);
		test_err_unlink(EOPNOTSUPP, bad[i], name);
	}
}

/* Bytes of union kipc_attr beyond the member of the type must be zero. */
TEST_F(dev, open_attr_tail)
{
	static const size_t member_size[] = {
		[KIPC_OBJ_MQ] = sizeof(struct kipc_mq_attr),
		/* The region's and the sem's __reserved count as tail. */
		[KIPC_OBJ_SHM] = offsetofend(struct kipc_shm_attr, flags),
		[KIPC_OBJ_SEM] = offsetofend(struct kipc_sem_attr, value),
	};
	char name[KIPC_NAME_MAX + 1];
	unsigned int i;
	size_t off;

	for (i = 0; i < KIPC_NR_TYPES; i++) {
		__u32 type = kipc_types[i];

		test_name(name, kipc_type_name(type));
		for (off = member_size[type]; off < sizeof(union kipc_attr);
		     off++) {
			union kipc_attr attr = kipc_attr_of(type);

			((__u8 *)&attr)[off] = 0x01;
			test_err_open(EOPNOTSUPP, type, name, KIPC_NEW, 0600,
				      &attr);
		}
		ASSERT_FALSE(test_obj_exists(type, name));
	}
}

TEST_F(dev, mq_attr_range)
{
	struct kipc_version ver;
	union kipc_attr attr;
	char name[KIPC_NAME_MAX + 1];
	int ofd;

	test_ioctl_version(&ver);
	test_name(name, "q");

	attr = kipc_attr_of(KIPC_OBJ_MQ);
	attr.mq.max_msgs = 0;
	test_err_open(EINVAL, KIPC_OBJ_MQ, name, KIPC_NEW, 0600, &attr);
	attr.mq.max_msgs = ver.out_mq_max_msgs + 1;
	test_err_open(EINVAL, KIPC_OBJ_MQ, name, KIPC_NEW, 0600, &attr);
	attr.mq.max_msgs = UINT32_MAX;
	test_err_open(EINVAL, KIPC_OBJ_MQ, name, KIPC_NEW, 0600, &attr);

	attr = kipc_attr_of(KIPC_OBJ_MQ);
	attr.mq.max_msgsize = 0;
	test_err_open(EINVAL, KIPC_OBJ_MQ, name, KIPC_NEW, 0600, &attr);
	attr.mq.max_msgsize = ver.out_mq_max_msgsize + 1;
	test_err_open(EINVAL, KIPC_OBJ_MQ, name, KIPC_NEW, 0600, &attr);
	attr.mq.max_msgsize = UINT32_MAX;
	test_err_open(EINVAL, KIPC_OBJ_MQ, name, KIPC_NEW, 0600, &attr);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_MQ, name));

	/* The ceilings themselves are allowed. */
	attr.mq.max_msgs = ver.out_mq_max_msgs;
	attr.mq.max_msgsize = 1;
	ofd = test_ioctl_open(KIPC_OBJ_MQ, name, KIPC_NEW, 0600, &attr, NULL,
			      NULL);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_MQ, name);
	attr.mq.max_msgs = 1;
	attr.mq.max_msgsize = ver.out_mq_max_msgsize;
	ofd = test_ioctl_open(KIPC_OBJ_MQ, name, KIPC_NEW, 0600, &attr, NULL,
			      NULL);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_MQ, name);
}

TEST_F(dev, shm_attr_range)
{
	struct kipc_version ver;
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SHM);
	char name[KIPC_NAME_MAX + 1];
	struct kipc_info info;
	int ofd;

	test_ioctl_version(&ver);
	test_name(name, "m");

	attr.shm.size = 0;
	test_err_open(EINVAL, KIPC_OBJ_SHM, name, KIPC_NEW, 0600, &attr);
	attr.shm.size = ver.out_shm_max_size + 1;
	test_err_open(EINVAL, KIPC_OBJ_SHM, name, KIPC_NEW, 0600, &attr);
	attr.shm.size = UINT64_MAX;
	test_err_open(EINVAL, KIPC_OBJ_SHM, name, KIPC_NEW, 0600, &attr);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SHM, name));

	attr.shm.size = ver.out_shm_max_size;
	ofd = test_ioctl_open(KIPC_OBJ_SHM, name, KIPC_NEW, 0600, &attr, NULL,
			      NULL);
	test_ioctl_info(ofd, &info);
	ASSERT_EQ(ver.out_shm_max_size, info.out_attr.shm.size);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, name);

	/* The size is exact; only the limits are charged whole pages. */
	attr.shm.size = 1;
	ofd = test_ioctl_open(KIPC_OBJ_SHM, name, KIPC_NEW, 0600, &attr, NULL,
			      NULL);
	test_ioctl_info(ofd, &info);
	ASSERT_EQ(1ULL, info.out_attr.shm.size);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, name);
}

TEST_F(dev, sem_attr_range)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SEM);
	char name[KIPC_NAME_MAX + 1];
	struct kipc_info info;
	int ofd;

	test_name(name, "s");
	attr.sem.value = KIPC_SEM_VALUE_MAX + 1;
	test_err_open(EINVAL, KIPC_OBJ_SEM, name, KIPC_NEW, 0600, &attr);
	attr.sem.value = UINT32_MAX;
	test_err_open(EINVAL, KIPC_OBJ_SEM, name, KIPC_NEW, 0600, &attr);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, name));

	attr.sem.value = KIPC_SEM_VALUE_MAX;
	ofd = test_ioctl_open(KIPC_OBJ_SEM, name, KIPC_NEW, 0600, &attr, NULL,
			      NULL);
	test_ioctl_info(ofd, &info);
	ASSERT_EQ(KIPC_SEM_VALUE_MAX, info.out_attr.sem.value);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SEM, name);

	attr.sem.value = 0;
	ofd = test_ioctl_open(KIPC_OBJ_SEM, name, KIPC_NEW, 0600, &attr, NULL,
			      NULL);
	test_ioctl_info(ofd, &info);
	ASSERT_EQ(0U, info.out_attr.sem.value);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SEM, name);
}

TEST_F(dev, open_mode_bits)
{
	static const __u32 bad[] = { 0100, 0010, 0001, 0700, 01000, 02000,
				     04000, 0777, 0x80000000 };
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_MQ);
	char name[KIPC_NAME_MAX + 1];
	unsigned int i;
	int ofd;

	test_name(name, "q");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		test_err_open(EINVAL, KIPC_OBJ_MQ, name, KIPC_NEW, bad[i],
			      &attr);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_MQ, name));

	umask(0);
	ofd = test_ioctl_open(KIPC_OBJ_MQ, name, KIPC_NEW, 0666, &attr, NULL,
			      NULL);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_MQ, name);
}

TEST_F(dev, open_needs_read_or_write)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SHM);
	char name[KIPC_NAME_MAX + 1];
	int ofd;

	test_name(name, "m");
	test_err_open(EINVAL, KIPC_OBJ_SHM, name,
		      KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600, &attr);
	test_err_open(EINVAL, KIPC_OBJ_SHM, name,
		      KIPC_OPEN_CREATE | KIPC_OPEN_CLOEXEC |
		      KIPC_OPEN_NONBLOCK, 0600, &attr);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SHM, name));

	/* Also for an object that exists. */
	ofd = test_ioctl_create(KIPC_OBJ_SHM, name, 0600, NULL);
	test_err_open(EINVAL, KIPC_OBJ_SHM, name, 0, 0, NULL);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, name);
}

TEST_F(dev, open_excl_without_create)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SEM);
	char name[KIPC_NAME_MAX + 1];
	int ofd;

	test_name(name, "s");
	test_err_open(EINVAL, KIPC_OBJ_SEM, name, KIPC_RW | KIPC_OPEN_EXCL,
		      0600, &attr);
	ofd = test_ioctl_create(KIPC_OBJ_SEM, name, 0600, NULL);
	/* EINVAL, not EEXIST: the flags are wrong whatever exists. */
	test_err_open(EINVAL, KIPC_OBJ_SEM, name, KIPC_RW | KIPC_OPEN_EXCL,
		      0600, &attr);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SEM, name);
}

/* Name checks for open (creating and not) and for unlink. */
#define test_err_name(_errno, _name)					\
	do {								\
		union kipc_attr __a = kipc_attr_of(KIPC_OBJ_MQ);	\
									\
		test_err_open(_errno, KIPC_OBJ_MQ, _name, KIPC_NEW, 0600, \
			      &__a);					\
		test_err_open(_errno, KIPC_OBJ_MQ, _name,		\
			      KIPC_OPEN_READ, 0, NULL);			\
		test_err_unlink(_errno, KIPC_OBJ_MQ, _name);		\
	} while (0)

TEST_F(dev, name_empty)
{
	test_err_name(EINVAL, "");
}

TEST_F(dev, name_length)
{
	char name[KIPC_NAME_MAX + 2];
	struct kipc_info info;
	int len, ofd;

	len = snprintf(name, sizeof(name), "%s.%d.", _metadata->name,
		       (int)getpid());
	memset(name + len, 'x', sizeof(name) - len);
	name[KIPC_NAME_MAX + 1] = '\0';
	ASSERT_EQ(KIPC_NAME_MAX + 1, (int)strlen(name));
	test_err_name(EINVAL, name);

	name[KIPC_NAME_MAX] = '\0';
	ofd = test_ioctl_create(KIPC_OBJ_MQ, name, 0600, NULL);
	test_ioctl_info(ofd, &info);
	ASSERT_STREQ(name, info.out_name);
	close(ofd);
	ASSERT_TRUE(test_obj_exists(KIPC_OBJ_MQ, name));
	test_ioctl_unlink(KIPC_OBJ_MQ, name);

	/* One byte is enough. */
	name[0] = '~';
	name[1] = '\0';
	ofd = test_ioctl_create(KIPC_OBJ_SEM, name, 0600, NULL);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SEM, name);
}

TEST_F(dev, name_bad_bytes)
{
	static const char bad[] = { '/', ' ', '\t', '\n', '\r', '\v', 0x01,
				    0x1f, 0x7f, (char)0x80, (char)0xc3,
				    (char)0xff };
	char name[KIPC_NAME_MAX + 1];
	unsigned int i;
	size_t mid;

	for (i = 0; i < sizeof(bad); i++) {
		test_name(name, "ab");
		mid = strlen(name) - 1;
		/* In the middle, at the start and at the end. */
		name[mid] = bad[i];
		test_err_name(EINVAL, name);
		test_name(name, "ab");
		name[0] = bad[i];
		test_err_name(EINVAL, name);
		test_name(name, "ab");
		name[strlen(name) - 1] = bad[i];
		test_err_name(EINVAL, name);
	}
	/* A single slash, as POSIX mq names are spelled. */
	test_err_name(EINVAL, "/");
	test_err_name(EINVAL, " ");
}

TEST_F(dev, name_all_printable)
{
	char name[KIPC_NAME_MAX + 1];
	struct kipc_info info;
	int c, len, ofd;
	__u64 id;

	len = snprintf(name, sizeof(name), "%d.", (int)getpid());
	for (c = '!'; c <= '~'; c++)
		if (c != '/')
			name[len++] = (char)c;
	name[len] = '\0';

	ofd = test_ioctl_create(KIPC_OBJ_SHM, name, 0600, &id);
	test_ioctl_info(ofd, &info);
	ASSERT_STREQ(name, info.out_name);
	close(ofd);
	ofd = test_ioctl_open(KIPC_OBJ_SHM, name, KIPC_OPEN_READ, 0, NULL,
			      NULL, NULL);
	ASSERT_EQ(id, test_obj_id(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, name);
}

/* Names differ by every byte and by length: no prefix matching. */
TEST_F(dev, name_exact_match)
{
	char name[KIPC_NAME_MAX + 1], longer[KIPC_NAME_MAX + 3];
	char upper[KIPC_NAME_MAX + 1];
	unsigned int i;
	int ofd;

	test_name(name, "abc");
	snprintf(longer, sizeof(longer), "%sd", name);
	snprintf(upper, sizeof(upper), "%s", name);
	for (i = 0; upper[i]; i++)
		if (upper[i] >= 'a' && upper[i] <= 'z')
			upper[i] -= 'a' - 'A';

	ofd = test_ioctl_create(KIPC_OBJ_MQ, name, 0600, NULL);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_MQ, longer));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_MQ, upper));
	name[strlen(name) - 1] = '\0';
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_MQ, name));
	test_err_unlink(ENOENT, KIPC_OBJ_MQ, name);
	close(ofd);
	strcat(name, "c");
	test_ioctl_unlink(KIPC_OBJ_MQ, name);
}

/* A buffer with no NUL within KIPC_NAME_MAX + 1 bytes. */
TEST_F(dev, name_unterminated)
{
	char buf[4 * (KIPC_NAME_MAX + 1)];

	memset(buf, 'a', sizeof(buf));
	test_err_name(EINVAL, buf);
}

/*
 * A name that runs into an inaccessible page: EFAULT when the NUL would be
 * there, EINVAL when KIPC_NAME_MAX + 1 bytes were readable anyway.
 */
TEST_F(dev, name_page_end)
{
	long psz = sysconf(_SC_PAGESIZE);
	char *map, *end;
	int len, ofd;

	map = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map + psz, psz, PROT_NONE));
	end = map + psz;
	memset(map, 'k', psz);

	test_err_name(EFAULT, end - 10);
	test_err_name(EFAULT, end - KIPC_NAME_MAX);
	test_err_name(EFAULT, end - 1);
	test_err_name(EINVAL, end - (KIPC_NAME_MAX + 1));

	/* A NUL in the last byte of the page is fine. */
	len = snprintf(end - 32, 32, "%d.", (int)getpid());
	memset(end - 32 + len, 'k', 31 - len);
	end[-1] = '\0';
	ASSERT_EQ(31, (int)strlen(end - 32));
	ofd = test_ioctl_create(KIPC_OBJ_SEM, end - 32, 0600, NULL);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SEM, end - 32);
	munmap(map, 2 * psz);
}

TEST_F(dev, name_bad_pointer)
{
	long psz = sysconf(_SC_PAGESIZE);
	struct kipc_open op = {
		.size = sizeof(op),
		.flags = KIPC_NEW,
		.type = KIPC_OBJ_MQ,
		.mode = 0600,
	};
	struct kipc_unlink ul = { .size = sizeof(ul), .type = KIPC_OBJ_MQ };
	static const __u64 bad[] = { 0, 1, 0x8000000000000000ULL,
				     UINT64_MAX };
	unsigned int i;
	void *hole;

	hole = mmap(NULL, psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	op.attr = kipc_attr_of(KIPC_OBJ_MQ);

	test_err_name(EFAULT, hole);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		op.name = bad[i];
		ul.name = bad[i];
		EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_OPEN, &op));
		EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_UNLINK, &ul));
	}
	munmap(hole, psz);
}

TEST_F(dev, unlink_flags_reserved)
{
	char name[KIPC_NAME_MAX + 1];
	struct kipc_unlink ul = { .size = sizeof(ul), .type = KIPC_OBJ_SEM };
	int ofd;

	test_name(name, "s");
	ofd = test_ioctl_create(KIPC_OBJ_SEM, name, 0600, NULL);
	close(ofd);
	ul.name = (uintptr_t)name;

	ul.flags = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(self->fd, KIPC_IOC_UNLINK, &ul));
	ul.flags = 1U << 31;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(self->fd, KIPC_IOC_UNLINK, &ul));
	ul.flags = 0;
	ul.__reserved = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(self->fd, KIPC_IOC_UNLINK, &ul));
	ul.__reserved = 0;
	ASSERT_TRUE(test_obj_exists(KIPC_OBJ_SEM, name));
	ASSERT_EQ(0, ioctl(self->fd, KIPC_IOC_UNLINK, &ul));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, name));
}

TEST_HARNESS_MAIN
