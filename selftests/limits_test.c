// SPDX-License-Identifier: GPL-2.0-only
/*
 * Limits. The module parameters are live: every create reads them. Per IPC
 * namespace (objects, bytes) the error is ENOSPC, per uid within a namespace
 * EMFILE; CAP_SYS_RESOURCE may exceed both. Each test works in a fresh IPC
 * namespace so that its counts start at zero, and the parameters are put
 * back afterwards by the parent, whatever the test did. The parameters are
 * also the limits of the initial namespace, which bind the fresh one from
 * above (ns_limits_test covers that).
 */
#include "kipc_test.h"

static const char *const limit_params[] = {
	"max_objects", "max_bytes", "uid_max_objects", "uid_max_bytes",
	"mq_max_msgs", "mq_max_msgsize", "shm_max_size",
};
#define NR_PARAMS	ARRAY_SIZE(limit_params)

FIXTURE(limits) {
	int fd;
	long psz;
	unsigned long long saved[NR_PARAMS];
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(limits)
{
	struct kipc_nl_msg msg;
	struct kipc_nl nl;
	unsigned int i;

	for (i = 0; i < NR_PARAMS; i++)
		self->saved[i] = test_param(limit_params[i]);
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	/*
	 * The parameters are also the limits of the initial namespace, which
	 * bind every namespace below it, so what earlier tests left in their
	 * dead namespaces counts until reaped: asking for the statistics
	 * reaps it.
	 */
	test_nl_open(&nl);
	ASSERT_EQ(0, kipc_nl_stats_get(&nl, &msg));
	close(nl.fd);
	self->psz = sysconf(_SC_PAGESIZE);
	test_name(self->name, "lim");
}

FIXTURE_TEARDOWN_PARENT(limits)
{
	unsigned int i;

	for (i = 0; i < NR_PARAMS; i++)
		EXPECT_EQ(0, kipc_param_write(limit_params[i],
					      self->saved[i]));
}

/* Name number @i of this test. */
#define nth(_buf, _i) \
	snprintf(_buf, sizeof(_buf), "%s.%d", self->name, _i)

static int create_shm(int fd, const char *name, __u64 size)
{
	union kipc_attr attr = { .shm = { .size = size } };

	return _test_cmd_open(fd, KIPC_OBJ_SHM, name, KIPC_NEW, 0600, &attr,
			      NULL, NULL);
}

static int create_mq(int fd, const char *name, __u32 msgs, __u32 msgsize)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = msgs, .max_msgsize = msgsize },
	};

	return _test_cmd_open(fd, KIPC_OBJ_MQ, name, KIPC_NEW, 0600, &attr,
			      NULL, NULL);
}

#define test_create_shm(_name, _size)					\
	({								\
		int __f = create_shm(self->fd, _name, _size);		\
		ASSERT_LE(0, __f) TH_LOG("%s: %s", _name, strerror(errno)); \
		__f;							\
	})
#define test_err_create_shm(_errno, _name, _size) \
	EXPECT_ERRNO(_errno, create_shm(self->fd, _name, _size))
#define test_create_mq(_name, _msgs, _msgsize)				\
	({								\
		int __f = create_mq(self->fd, _name, _msgs, _msgsize);	\
		ASSERT_LE(0, __f) TH_LOG("%s: %s", _name, strerror(errno)); \
		__f;							\
	})
#define test_err_create_mq(_errno, _name, _msgs, _msgsize) \
	EXPECT_ERRNO(_errno, create_mq(self->fd, _name, _msgs, _msgsize))

TEST_F(limits, ns_objects_enospc)
{
	pid_t pid;

	test_set_param("max_objects", 3);
	pid = test_fork_newipc();
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		unsigned int i;
		int keep;

		test_become(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		/* All types count. */
		for (i = 0; i < KIPC_NR_TYPES; i++) {
			nth(n, i);
			close(test_ioctl_create(kipc_types[i], n, 0600, NULL));
		}
		nth(n, 3);
		for (i = 0; i < KIPC_NR_TYPES; i++) {
			union kipc_attr attr = kipc_attr_of(kipc_types[i]);

			test_err_open(ENOSPC, kipc_types[i], n, KIPC_NEW, 0600,
				      &attr);
		}
		/* Opening what exists is not creating. */
		nth(n, 0);
		keep = test_ioctl_open(KIPC_OBJ_MQ, n, KIPC_RW, 0, NULL, NULL,
				       NULL);
		/* An unlinked object counts until its last fd is closed. */
		test_ioctl_unlink(KIPC_OBJ_MQ, n);
		nth(n, 3);
		test_err_open(ENOSPC, KIPC_OBJ_SEM, n, KIPC_NEW, 0600,
			      &(union kipc_attr){ .sem = { .value = 0 } });
		close(keep);
		close(test_ioctl_create(KIPC_OBJ_SEM, n, 0600, NULL));
		_exit(0);
	}
	test_wait_child(pid);
}

TEST_F(limits, ns_bytes_enospc)
{
	long psz = self->psz;
	pid_t pid;

	test_set_param("max_bytes", 4 * psz);
	pid = test_fork_newipc();
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];

		test_become(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		/* One object alone above the limit. */
		nth(n, 0);
		test_err_create_shm(ENOSPC, n, 4 * psz + 1);
		test_err_create_mq(ENOSPC, n, 4 * psz + 1, 1);

		close(test_create_shm(n, 2 * psz));
		nth(n, 1);
		/* A queue costs max_msgs * max_msgsize. */
		close(test_create_mq(n, psz / 2, 2));
		nth(n, 2);
		/* psz left; a region is charged whole pages. */
		test_err_create_shm(ENOSPC, n, psz + 1);
		test_err_create_mq(ENOSPC, n, psz + 1, 1);
		close(test_create_shm(n, psz - 100));
		nth(n, 3);
		test_err_create_mq(ENOSPC, n, 1, 1);
		test_err_create_shm(ENOSPC, n, 1);
		/* Semaphores cost no bytes. */
		close(test_ioctl_create(KIPC_OBJ_SEM, n, 0600, NULL));

		/* Freeing bytes makes room. */
		nth(n, 1);
		test_ioctl_unlink(KIPC_OBJ_MQ, n);
		nth(n, 4);
		close(test_create_mq(n, 1, psz));
		_exit(0);
	}
	test_wait_child(pid);
}

TEST_F(limits, uid_objects_emfile)
{
	pid_t pid;

	test_set_param("uid_max_objects", 2);
	pid = test_fork_newipc();
	if (pid == 0) {
		pid_t p;

		p = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		if (p == 0) {
			char n[KIPC_NAME_MAX + 16];
			unsigned int i;

			nth(n, 0);
			close(test_ioctl_create(KIPC_OBJ_MQ, n, 0600, NULL));
			nth(n, 1);
			close(test_ioctl_create(KIPC_OBJ_SHM, n, 0600, NULL));
			nth(n, 2);
			for (i = 0; i < KIPC_NR_TYPES; i++) {
				union kipc_attr a = kipc_attr_of(kipc_types[i]);

				test_err_open(EMFILE, kipc_types[i], n,
					      KIPC_NEW, 0600, &a);
			}
			_exit(0);
		}
		test_wait_child(p);

		/* Another uid has its own count. */
		p = test_fork_as(KIPC_UID2, KIPC_GID2, KIPC_NO_GROUP);
		if (p == 0) {
			char n[KIPC_NAME_MAX + 16];

			nth(n, 10);
			close(test_ioctl_create(KIPC_OBJ_SEM, n, 0600, NULL));
			nth(n, 11);
			close(test_ioctl_create(KIPC_OBJ_SEM, n, 0600, NULL));
			nth(n, 12);
			test_err_open(EMFILE, KIPC_OBJ_SEM, n, KIPC_NEW, 0600,
				      &(union kipc_attr){ .sem = { 0 } });
			_exit(0);
		}
		test_wait_child(p);

		/* Named objects stay charged; unlinking one uncharges it. */
		p = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		if (p == 0) {
			char n[KIPC_NAME_MAX + 16];

			nth(n, 2);
			test_err_open(EMFILE, KIPC_OBJ_SEM, n, KIPC_NEW, 0600,
				      &(union kipc_attr){ .sem = { 0 } });
			nth(n, 0);
			test_ioctl_unlink(KIPC_OBJ_MQ, n);
			nth(n, 2);
			close(test_ioctl_create(KIPC_OBJ_SEM, n, 0600, NULL));
			_exit(0);
		}
		test_wait_child(p);
		_exit(0);
	}
	test_wait_child(pid);
}

TEST_F(limits, uid_bytes_emfile)
{
	long psz = self->psz;
	pid_t pid;

	test_set_param("uid_max_bytes", 2 * psz);
	pid = test_fork_newipc();
	if (pid == 0) {
		pid_t p;

		p = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		if (p == 0) {
			char n[KIPC_NAME_MAX + 16];

			nth(n, 0);
			close(test_create_shm(n, 2 * psz));
			nth(n, 1);
			test_err_create_mq(EMFILE, n, 1, 1);
			test_err_create_shm(EMFILE, n, 1);
			close(test_ioctl_create(KIPC_OBJ_SEM, n, 0600, NULL));
			_exit(0);
		}
		test_wait_child(p);

		/* The first object of a uid may already be too big. */
		p = test_fork_as(KIPC_UID2, KIPC_GID2, KIPC_NO_GROUP);
		if (p == 0) {
			char n[KIPC_NAME_MAX + 16];

			nth(n, 10);
			test_err_create_shm(EMFILE, n, 2 * psz + 1);
			test_err_create_mq(EMFILE, n, 2 * psz + 1, 1);
			close(test_create_mq(n, 2, psz));
			_exit(0);
		}
		test_wait_child(p);
		_exit(0);
	}
	test_wait_child(pid);
}

static int create_anon(int fd, __u32 type, __u64 bytes)
{
	union kipc_attr attr = kipc_attr_of(type);

	if (type == KIPC_OBJ_SHM)
		attr.shm.size = bytes;
	else if (type == KIPC_OBJ_MQ)
		attr.mq = (struct kipc_mq_attr){ .max_msgs = 1,
						 .max_msgsize = bytes };
	return _test_cmd_open(fd, type, NULL,
			      KIPC_RW | KIPC_OPEN_CREATE | KIPC_OPEN_ANON, 0600,
			      &attr, NULL, NULL);
}

/*
 * Anonymous objects count as named ones do, against every limit, for as
 * long as an fd holds them.
 */
TEST_F(limits, anon_charged)
{
	long psz = self->psz;
	pid_t pid;

	test_set_param("max_objects", 2);
	test_set_param("uid_max_bytes", 2 * psz);
	pid = test_fork_newipc();
	if (pid == 0) {
		pid_t p;

		p = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		if (p == 0) {
			char n[KIPC_NAME_MAX + 16];
			int a, b;

			a = create_anon(self->fd, KIPC_OBJ_SHM, 2 * psz);
			ASSERT_LE(0, a);
			/* Bytes: the region took all of this uid's. */
			EXPECT_ERRNO(EMFILE,
				     create_anon(self->fd, KIPC_OBJ_MQ, 1));
			b = create_anon(self->fd, KIPC_OBJ_SEM, 0);
			ASSERT_LE(0, b);
			/* Objects: two are the namespace's limit. */
			EXPECT_ERRNO(ENOSPC,
				     create_anon(self->fd, KIPC_OBJ_SEM, 0));
			nth(n, 0);
			test_err_open(ENOSPC, KIPC_OBJ_SEM, n, KIPC_NEW, 0600,
				      &(union kipc_attr){ .sem = { 0 } });
			/* Closing the last fd gives both back at once. */
			close(a);
			close(b);
			b = create_anon(self->fd, KIPC_OBJ_MQ, psz);
			ASSERT_LE(0, b);
			a = create_anon(self->fd, KIPC_OBJ_SHM, psz);
			ASSERT_LE(0, a);
			close(a);
			close(b);
			_exit(0);
		}
		test_wait_child(p);
		_exit(0);
	}
	test_wait_child(pid);
}

/* A limit of zero refuses the first object. */
TEST_F(limits, zero_limits)
{
	pid_t pid;

	test_set_param("max_objects", 0);
	pid = test_fork_newipc();
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];

		test_become(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		nth(n, 0);
		test_err_open(ENOSPC, KIPC_OBJ_SEM, n, KIPC_NEW, 0600,
			      &(union kipc_attr){ .sem = { 0 } });
		_exit(0);
	}
	test_wait_child(pid);

	test_set_param("max_objects", self->saved[0]);
	test_set_param("uid_max_objects", 0);
	pid = test_fork_newipc();
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];

		test_become(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		nth(n, 0);
		test_err_open(EMFILE, KIPC_OBJ_SEM, n, KIPC_NEW, 0600,
			      &(union kipc_attr){ .sem = { 0 } });
		_exit(0);
	}
	test_wait_child(pid);
}

/* Root has CAP_SYS_RESOURCE and may pass every limit. */
TEST_F(limits, cap_sys_resource_exceeds)
{
	long psz = self->psz;
	pid_t pid;

	test_set_param("max_objects", 1);
	test_set_param("max_bytes", psz);
	test_set_param("uid_max_objects", 1);
	test_set_param("uid_max_bytes", psz);
	pid = test_fork_newipc();
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		int i;

		for (i = 0; i < 3; i++) {
			nth(n, i);
			close(test_create_shm(n, 2 * psz));
			close(test_create_mq(n, 2, psz));
		}
		_exit(0);
	}
	test_wait_child(pid);
}

/* Root that dropped CAP_SYS_RESOURCE is held to the namespace limits... */
TEST_F(limits, no_cap_sys_resource_enospc)
{
	long psz = self->psz;
	pid_t pid;

	test_set_param("max_objects", 2);
	test_set_param("max_bytes", psz);
	pid = test_fork_newipc();
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];

		test_drop_cap(CAP_SYS_RESOURCE);
		nth(n, 0);
		test_err_create_shm(ENOSPC, n, psz + 1);
		close(test_create_shm(n, psz));
		nth(n, 1);
		test_err_create_mq(ENOSPC, n, 1, 1);
		close(test_ioctl_create(KIPC_OBJ_SEM, n, 0600, NULL));
		nth(n, 2);
		test_err_open(ENOSPC, KIPC_OBJ_SEM, n, KIPC_NEW, 0600,
			      &(union kipc_attr){ .sem = { 0 } });
		_exit(0);
	}
	test_wait_child(pid);
}

/* ...and to the per-uid ones. */
TEST_F(limits, no_cap_sys_resource_emfile)
{
	long psz = self->psz;
	pid_t pid;

	test_set_param("uid_max_objects", 2);
	test_set_param("uid_max_bytes", psz);
	pid = test_fork_newipc();
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];

		test_drop_cap(CAP_SYS_RESOURCE);
		nth(n, 0);
		test_err_create_shm(EMFILE, n, psz + 1);
		close(test_create_shm(n, psz));
		nth(n, 1);
		test_err_create_mq(EMFILE, n, 1, 1);
		close(test_ioctl_create(KIPC_OBJ_SEM, n, 0600, NULL));
		nth(n, 2);
		test_err_open(EMFILE, KIPC_OBJ_SEM, n, KIPC_NEW, 0600,
			      &(union kipc_attr){ .sem = { 0 } });
		_exit(0);
	}
	test_wait_child(pid);
}

/*
 * The parameters are also the limits of the initial namespace, and those
 * bind the namespaces below it together: of two sibling namespaces, each
 * below its own max_objects of 2, the second cannot pass 2 for both.
 */
TEST_F(limits, siblings_share_parent_limit)
{
	int held[2], go[2];
	pid_t pid[2];
	char c = 0;

	test_set_param("max_objects", 2);
	ASSERT_EQ(0, pipe(held));
	ASSERT_EQ(0, pipe(go));
	pid[0] = test_fork_newipc();
	if (pid[0] == 0) {
		char n[KIPC_NAME_MAX + 16];
		int fd;

		close(go[1]);
		test_become(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		nth(n, 0);
		fd = test_ioctl_create(KIPC_OBJ_SEM, n, 0600, NULL);
		ASSERT_EQ(1, write(held[1], &c, 1));
		ASSERT_EQ(0, (int)read(go[0], &c, 1));
		close(fd);
		_exit(0);
	}
	close(go[0]);
	ASSERT_EQ(1, read(held[0], &c, 1));
	pid[1] = test_fork_newipc();
	if (pid[1] == 0) {
		char n[KIPC_NAME_MAX + 16];

		test_become(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		nth(n, 0);
		close(test_ioctl_create(KIPC_OBJ_SEM, n, 0600, NULL));
		nth(n, 1);
		test_err_open(ENOSPC, KIPC_OBJ_SEM, n, KIPC_NEW, 0600,
			      &(union kipc_attr){ .sem = { 0 } });
		_exit(0);
	}
	test_wait_child(pid[1]);
	close(go[1]);
	test_wait_child(pid[0]);
	close(held[0]);
	close(held[1]);
}

/*
 * A message is one allocation whose length comes back as an int, so the
 * ceiling mq_max_msgsize itself is bounded: 1..64 MiB; the module keeps its
 * old value when a write is refused.
 */
TEST_F(limits, msgsize_ceiling_bounded)
{
	ASSERT_EQ(-EINVAL, kipc_param_write("mq_max_msgsize", 0));
	ASSERT_EQ(-EINVAL, kipc_param_write("mq_max_msgsize",
					    (64ULL << 20) + 1));
	/* Past a uint, the kernel's parser says so first. */
	ASSERT_EQ(-ERANGE, kipc_param_write("mq_max_msgsize", 1ULL << 32));
	ASSERT_EQ(self->saved[5], test_param("mq_max_msgsize"));
	test_set_param("mq_max_msgsize", 64ULL << 20);
	ASSERT_EQ(64ULL << 20, test_param("mq_max_msgsize"));
	test_set_param("mq_max_msgsize", 1);
	ASSERT_EQ(1ULL, test_param("mq_max_msgsize"));
}

/* The attribute ceilings are read on every call too. */
TEST_F(limits, ceilings_are_live)
{
	long psz = self->psz;
	struct kipc_version ver;
	struct kipc_info info;
	char n[KIPC_NAME_MAX + 16];
	int ofd;

	nth(n, 0);
	ofd = test_create_mq(n, 16, 16);
	close(ofd);

	test_set_param("mq_max_msgs", 8);
	test_set_param("mq_max_msgsize", 128);
	test_set_param("shm_max_size", 2 * psz);
	test_ioctl_version(&ver);
	ASSERT_EQ(8U, ver.out_mq_max_msgs);
	ASSERT_EQ(128U, ver.out_mq_max_msgsize);
	ASSERT_EQ((__u64)(2 * psz), ver.out_shm_max_size);

	nth(n, 1);
	test_err_create_mq(EINVAL, n, 9, 1);
	test_err_create_mq(EINVAL, n, 1, 129);
	test_err_create_shm(EINVAL, n, 2 * psz + 1);
	close(test_create_mq(n, 8, 128));
	test_ioctl_unlink(KIPC_OBJ_MQ, n);
	close(test_create_shm(n, 2 * psz));
	test_ioctl_unlink(KIPC_OBJ_SHM, n);

	/* An existing object is not affected. */
	nth(n, 0);
	ofd = test_ioctl_open(KIPC_OBJ_MQ, n, KIPC_RW, 0, NULL, NULL, NULL);
	test_ioctl_info(ofd, &info);
	ASSERT_EQ(16U, info.out_attr.mq.max_msgs);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_MQ, n);

	test_set_param("mq_max_msgs", self->saved[4]);
	test_ioctl_version(&ver);
	ASSERT_EQ(self->saved[4], ver.out_mq_max_msgs);
}

TEST_HARNESS_MAIN
