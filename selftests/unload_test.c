// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module lifetime: every open fd (factory or object, wherever it is) pins
 * kipc.ko, and named objects that no fd holds do not; unloading frees them.
 * This binary unloads and reloads the module, so guest-check.sh runs it last;
 * every test leaves the module loaded, with the default parameters.
 *
 * delete_module() refuses a module in use with EWOULDBLOCK (try_stop_module()
 * in kernel/module/main.c); O_NONBLOCK is what rmmod passes.
 */
#include "kipc_test.h"

#define KIPC_MODNAME	"kipc"
#define KIPC_KO_DEFAULT	"/kipc/kipc.ko"

static int kipc_unload(void)
{
	return syscall(SYS_delete_module, KIPC_MODNAME, O_NONBLOCK);
}

static bool kipc_loaded(void)
{
	return access("/sys/module/" KIPC_MODNAME, F_OK) == 0;
}

static int kipc_load(void)
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

/*
 * Load, and wait for the device node: devtmpfs creates it from the uevent,
 * which may come a moment after finit_module() returns.
 */
#define test_load()							\
	do {								\
		int __i;						\
									\
		ASSERT_EQ(0, kipc_load()) TH_LOG("finit_module: %s",	\
						 strerror(errno));	\
		for (__i = 0; __i < 200; __i++) {			\
			if (access(KIPC_DEVICE_PATH, F_OK) == 0)	\
				break;					\
			usleep(10000);					\
		}							\
		ASSERT_EQ(0, access(KIPC_DEVICE_PATH, F_OK));		\
	} while (0)

#define test_unload()							\
	do {								\
		ASSERT_EQ(0, kipc_unload()) TH_LOG("delete_module: %s", \
						   strerror(errno));	\
		ASSERT_FALSE(kipc_loaded());				\
	} while (0)

#define test_err_unload(_errno)						\
	do {								\
		EXPECT_ERRNO(_errno, kipc_unload());			\
		ASSERT_TRUE(kipc_loaded());				\
	} while (0)

/* The fixture holds no fd: /dev/kipc is opened only where needed. */
FIXTURE(unload) {
	char name[KIPC_NAME_MAX + 1];
	int fd;
};

FIXTURE_SETUP(unload)
{
	ASSERT_TRUE(kipc_loaded());
	test_name(self->name, "unload");
	self->fd = -1;
}

/* In the parent: whatever happened, the next test finds the module loaded. */
FIXTURE_TEARDOWN_PARENT(unload)
{
	if (!kipc_loaded())
		EXPECT_EQ(0, kipc_load());
}

#define dev_open()							\
	do {								\
		self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);	\
		ASSERT_LE(0, self->fd);					\
	} while (0)

#define dev_close()							\
	do {								\
		close(self->fd);					\
		self->fd = -1;						\
	} while (0)

TEST_F(unload, refused_while_device_open)
{
	struct kipc_version ver;

	dev_open();
	test_err_unload(EWOULDBLOCK);
	test_ioctl_version(&ver);
	dev_close();
	test_unload();
	ASSERT_NE(0, access(KIPC_DEVICE_PATH, F_OK));
	test_load();
}

TEST_F(unload, refused_while_object_fd_open)
{
	unsigned int i;
	int ofd[KIPC_NR_TYPES];

	dev_open();
	for (i = 0; i < KIPC_NR_TYPES; i++)
		ofd[i] = test_ioctl_create(kipc_types[i], self->name, 0600,
					   NULL);
	for (i = 0; i < KIPC_NR_TYPES; i++)
		test_ioctl_unlink(kipc_types[i], self->name);
	dev_close();

	/* Each object fd alone holds the module. */
	for (i = 0; i < KIPC_NR_TYPES; i++) {
		struct kipc_info info;

		test_err_unload(EWOULDBLOCK);
		test_ioctl_info(ofd[i], &info);
		close(ofd[i]);
	}
	test_unload();
	test_load();
}

/* Held by another process, one that is in another IPC namespace even. */
TEST_F(unload, refused_while_child_holds_fd)
{
	int to_parent[2], to_child[2];
	pid_t pid;
	char c = 0;

	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));
	pid = test_fork_newipc();
	if (pid == 0) {
		int ofd;

		close(to_parent[0]);
		close(to_child[1]);
		dev_open();
		ofd = test_ioctl_create(KIPC_OBJ_SHM, self->name, 0600, NULL);
		dev_close();
		ASSERT_EQ(1, (int)write(to_parent[1], &c, 1));
		ASSERT_EQ(0, (int)read(to_child[0], &c, 1));
		close(ofd);
		_exit(0);
	}
	close(to_parent[1]);
	close(to_child[0]);
	ASSERT_EQ(1, (int)read(to_parent[0], &c, 1));
	test_err_unload(EWOULDBLOCK);
	close(to_child[1]);
	test_wait_child(pid);
	/* The child's namespace kept a named shm: it does not hold the module. */
	test_unload();
	test_load();
	close(to_parent[0]);
}

/* An fd in flight in a unix socket is a reference like any other. */
TEST_F(unload, refused_while_fd_in_flight)
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
	int sv[2], ofd;

	dev_open();
	ofd = test_ioctl_create(KIPC_OBJ_SEM, self->name, 0600, NULL);
	test_ioctl_unlink(KIPC_OBJ_SEM, self->name);
	dev_close();

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	memset(&u, 0, sizeof(u));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &ofd, sizeof(int));
	ASSERT_EQ(1, (int)sendmsg(sv[0], &msg, 0));
	close(ofd);

	test_err_unload(EWOULDBLOCK);
	close(sv[0]);
	close(sv[1]);
	test_unload();
	test_load();
}

/*
 * Named objects that no fd holds, in this namespace and in one whose last
 * process is gone, are destroyed by the unload; the runner's dmesg scan and
 * slab_debug catch anything left behind.
 */
TEST_F(unload, named_objects_freed)
{
	char n[KIPC_NAME_MAX + 16];
	unsigned int i;
	pid_t pid;
	int j;

	dev_open();
	for (i = 0; i < KIPC_NR_TYPES; i++)
		for (j = 0; j < 4; j++) {
			snprintf(n, sizeof(n), "%s.%d", self->name, j);
			close(test_ioctl_create(kipc_types[i], n, 0600, NULL));
		}
	dev_close();

	pid = test_fork_newipc();
	if (pid == 0) {
		dev_open();
		for (i = 0; i < KIPC_NR_TYPES; i++)
			close(test_ioctl_create(kipc_types[i], self->name,
						0600, NULL));
		dev_close();
		_exit(0);
	}
	test_wait_child(pid);

	test_unload();
	test_load();

	/* A fresh module knows none of them. */
	dev_open();
	for (i = 0; i < KIPC_NR_TYPES; i++)
		for (j = 0; j < 4; j++) {
			snprintf(n, sizeof(n), "%s.%d", self->name, j);
			ASSERT_FALSE(test_obj_exists(kipc_types[i], n));
		}
	dev_close();
}

/* After a reload everything works as before, netlink included. */
TEST_F(unload, reload_works)
{
	struct kipc_nl_msg m;
	struct kipc_nl nl;
	__u64 id;
	int ofd;

	test_unload();
	/* The family went with the module. */
	ASSERT_EQ(-ENOENT, kipc_nl_open(&nl));
	test_load();

	dev_open();
	ofd = test_ioctl_create(KIPC_OBJ_MQ, self->name, 0600, &id);
	test_nl_open(&nl);
	ASSERT_EQ(0, kipc_nl_obj_get(&nl, id, &m));
	ASSERT_STREQ(self->name, m.name);
	/* A netlink socket does not pin the module, the fds do. */
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	dev_close();
	test_unload();
	close(nl.fd);
	test_load();
}

TEST_HARNESS_MAIN
