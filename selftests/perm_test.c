// SPDX-License-Identifier: GPL-2.0-only
/*
 * Permissions, as SysV IPC checks them: the owner class if the caller's fsuid
 * is the owner or creator, else the group class if it is in the object's
 * group, else other; r for KIPC_OPEN_READ, w for KIPC_OPEN_WRITE.
 * CAP_IPC_OWNER overrides the mode; unlinking needs the owner or
 * CAP_SYS_ADMIN. Unprivileged callers are forked children that changed
 * every uid and gid, which also drops all their capabilities.
 */
#include "kipc_test.h"

/* Objects are created by KIPC_UID1:KIPC_GID1 with the variant's mode. */
FIXTURE(perm) {
	int fd;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_VARIANT(perm) {
	uid_t uid;	/* who opens */
	gid_t gid;
	gid_t supp;
	__u32 flags;	/* what is asked for */
	__u32 mode;	/* the object's mode */
	int err;	/* 0 or the errno expected */
};

#define OWNER	.uid = KIPC_UID1, .gid = KIPC_GID1, .supp = KIPC_NO_GROUP
#define GROUP	.uid = KIPC_UID2, .gid = KIPC_GID2, .supp = KIPC_GID1
#define OTHER	.uid = KIPC_UID2, .gid = KIPC_GID2, .supp = KIPC_NO_GROUP

/*
 * For each class and access: the bit alone grants it; every other bit of
 * 0666 does not, not even the same bit of a class the caller is not in.
 */
FIXTURE_VARIANT_ADD(perm, owner_r) {
	OWNER, .flags = KIPC_OPEN_READ, .mode = 0400, .err = 0,
};

FIXTURE_VARIANT_ADD(perm, owner_r_denied) {
	OWNER, .flags = KIPC_OPEN_READ, .mode = 0266, .err = EACCES,
};

FIXTURE_VARIANT_ADD(perm, owner_w) {
	OWNER, .flags = KIPC_OPEN_WRITE, .mode = 0200, .err = 0,
};

FIXTURE_VARIANT_ADD(perm, owner_w_denied) {
	OWNER, .flags = KIPC_OPEN_WRITE, .mode = 0466, .err = EACCES,
};

FIXTURE_VARIANT_ADD(perm, owner_rw_needs_both) {
	OWNER, .flags = KIPC_RW, .mode = 0400, .err = EACCES,
};

FIXTURE_VARIANT_ADD(perm, group_r) {
	GROUP, .flags = KIPC_OPEN_READ, .mode = 0040, .err = 0,
};

FIXTURE_VARIANT_ADD(perm, group_r_denied) {
	GROUP, .flags = KIPC_OPEN_READ, .mode = 0626, .err = EACCES,
};

FIXTURE_VARIANT_ADD(perm, group_w) {
	GROUP, .flags = KIPC_OPEN_WRITE, .mode = 0020, .err = 0,
};

FIXTURE_VARIANT_ADD(perm, group_w_denied) {
	GROUP, .flags = KIPC_OPEN_WRITE, .mode = 0646, .err = EACCES,
};

FIXTURE_VARIANT_ADD(perm, group_rw_needs_both) {
	GROUP, .flags = KIPC_RW, .mode = 0020, .err = EACCES,
};
/* The object's group as the primary group rather than a supplementary one. */
FIXTURE_VARIANT_ADD(perm, group_by_gid) {
	.uid = KIPC_UID2, .gid = KIPC_GID1, .supp = KIPC_NO_GROUP,
	.flags = KIPC_RW, .mode = 0060, .err = 0,
};

FIXTURE_VARIANT_ADD(perm, other_r) {
	OTHER, .flags = KIPC_OPEN_READ, .mode = 0004, .err = 0,
};

FIXTURE_VARIANT_ADD(perm, other_r_denied) {
	OTHER, .flags = KIPC_OPEN_READ, .mode = 0662, .err = EACCES,
};

FIXTURE_VARIANT_ADD(perm, other_w) {
	OTHER, .flags = KIPC_OPEN_WRITE, .mode = 0002, .err = 0,
};

FIXTURE_VARIANT_ADD(perm, other_w_denied) {
	OTHER, .flags = KIPC_OPEN_WRITE, .mode = 0664, .err = EACCES,
};

FIXTURE_VARIANT_ADD(perm, other_rw_needs_both) {
	OTHER, .flags = KIPC_RW, .mode = 0004, .err = EACCES,
};

FIXTURE_SETUP(perm)
{
	pid_t pid;

	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, "perm");

	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		unsigned int i;

		umask(0);
		for (i = 0; i < KIPC_NR_TYPES; i++)
			close(test_ioctl_create(kipc_types[i], self->name,
						variant->mode, NULL));
		_exit(0);
	}
	test_wait_child(pid);
}

FIXTURE_TEARDOWN(perm)
{
	unsigned int i;

	/* Root may unlink what it does not own. */
	for (i = 0; i < KIPC_NR_TYPES; i++)
		_test_cmd_unlink(self->fd, kipc_types[i], self->name);
	close(self->fd);
}

TEST_F(perm, open)
{
	pid_t pid;

	pid = test_fork_as(variant->uid, variant->gid, variant->supp);
	if (pid == 0) {
		union kipc_attr attr;
		struct kipc_info info;
		unsigned int i;
		int ofd;

		for (i = 0; i < KIPC_NR_TYPES; i++) {
			__u32 type = kipc_types[i];

			attr = kipc_attr_of(type);
			if (variant->err) {
				test_err_open(variant->err, type, self->name,
					      variant->flags, 0, NULL);
				/* CREATE of an existing name is an open. */
				test_err_open(variant->err, type, self->name,
					      variant->flags | KIPC_OPEN_CREATE,
					      0600, &attr);
			} else {
				ofd = test_ioctl_open(type, self->name,
						      variant->flags, 0, NULL,
						      NULL, NULL);
				test_ioctl_info(ofd, &info);
				ASSERT_EQ(variant->flags, info.out_open_flags);
				ASSERT_EQ((__u32)KIPC_UID1, info.out_uid);
				ASSERT_EQ(variant->mode, info.out_mode);
				close(ofd);
				ofd = test_ioctl_open(type, self->name,
						      variant->flags |
						      KIPC_OPEN_CREATE, 0600,
						      &attr, NULL, NULL);
				close(ofd);
			}
			/* EXCL says the name exists, whatever the mode. */
			test_err_open(EEXIST, type, self->name,
				      variant->flags | KIPC_OPEN_CREATE |
				      KIPC_OPEN_EXCL, 0600, &attr);
		}
		_exit(0);
	}
	test_wait_child(pid);
}

FIXTURE(perm_misc) {
	int fd;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(perm_misc)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, "perm");
}

FIXTURE_TEARDOWN(perm_misc)
{
	unsigned int i;

	for (i = 0; i < KIPC_NR_TYPES; i++)
		_test_cmd_unlink(self->fd, kipc_types[i], self->name);
	close(self->fd);
}

/* Create one object of each type as KIPC_UID1 with @mode. */
#define create_as_uid1(_mode)						\
	do {								\
		pid_t __p = test_fork_as(KIPC_UID1, KIPC_GID1,		\
					 KIPC_NO_GROUP);		\
		if (__p == 0) {						\
			unsigned int __i;				\
									\
			umask(0);					\
			for (__i = 0; __i < KIPC_NR_TYPES; __i++)	\
				close(test_ioctl_create(kipc_types[__i], \
							self->name,	\
							_mode, NULL));	\
			_exit(0);					\
		}							\
		test_wait_child(__p);					\
	} while (0)

/*
 * The creator of a mode 0 object gets the access it asked for on the call
 * that creates it, and nothing on a later open.
 */
TEST_F(perm_misc, creator_of_mode_0)
{
	pid_t pid;

	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		union kipc_attr attr;
		struct kipc_info info;
		unsigned int i;
		int ofd;

		umask(0);
		for (i = 0; i < KIPC_NR_TYPES; i++) {
			__u32 type = kipc_types[i];

			attr = kipc_attr_of(type);
			ofd = test_ioctl_open(type, self->name, KIPC_NEW, 0,
					      &attr, NULL, NULL);
			test_ioctl_info(ofd, &info);
			ASSERT_EQ(0U, info.out_mode);
			ASSERT_EQ(KIPC_RW, info.out_open_flags);
			ASSERT_EQ(O_RDWR, fcntl(ofd, F_GETFL) & O_ACCMODE);
			close(ofd);

			test_err_open(EACCES, type, self->name,
				      KIPC_OPEN_READ, 0, NULL);
			test_err_open(EACCES, type, self->name,
				      KIPC_OPEN_WRITE, 0, NULL);
			test_err_open(EACCES, type, self->name,
				      KIPC_RW | KIPC_OPEN_CREATE, 0600, &attr);
		}
		_exit(0);
	}
	test_wait_child(pid);

	/* Nobody else either. */
	pid = test_fork_as(KIPC_UID2, KIPC_GID1, KIPC_GID1);
	if (pid == 0) {
		unsigned int i;

		for (i = 0; i < KIPC_NR_TYPES; i++)
			test_err_open(EACCES, kipc_types[i], self->name,
				      KIPC_OPEN_READ, 0, NULL);
		_exit(0);
	}
	test_wait_child(pid);
}

/* CAP_IPC_OWNER overrides the mode; without it root is just the other class. */
TEST_F(perm_misc, cap_ipc_owner)
{
	unsigned int i;
	pid_t pid;

	create_as_uid1(0);

	for (i = 0; i < KIPC_NR_TYPES; i++) {
		struct kipc_info info;
		int ofd;

		ofd = test_ioctl_open(kipc_types[i], self->name, KIPC_RW, 0,
				      NULL, NULL, NULL);
		test_ioctl_info(ofd, &info);
		ASSERT_EQ(KIPC_RW, info.out_open_flags);
		ASSERT_EQ((__u32)KIPC_UID1, info.out_uid);
		close(ofd);
	}

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		test_drop_cap(CAP_IPC_OWNER);
		for (i = 0; i < KIPC_NR_TYPES; i++) {
			test_err_open(EACCES, kipc_types[i], self->name,
				      KIPC_OPEN_READ, 0, NULL);
			test_err_open(EACCES, kipc_types[i], self->name,
				      KIPC_OPEN_WRITE, 0, NULL);
		}
		_exit(0);
	}
	test_wait_child(pid);
}

TEST_F(perm_misc, root_without_cap_ipc_owner_own_object)
{
	unsigned int i;
	pid_t pid;

	umask(0);
	for (i = 0; i < KIPC_NR_TYPES; i++)
		close(test_ioctl_create(kipc_types[i], self->name, 0, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		test_drop_cap(CAP_IPC_OWNER);
		for (i = 0; i < KIPC_NR_TYPES; i++)
			test_err_open(EACCES, kipc_types[i], self->name,
				      KIPC_OPEN_READ, 0, NULL);
		_exit(0);
	}
	test_wait_child(pid);
}

/* Only the owner may unlink; the mode does not matter, groups do not help. */
TEST_F(perm_misc, unlink_needs_owner)
{
	pid_t pid;

	create_as_uid1(0666);

	pid = test_fork_as(KIPC_UID2, KIPC_GID1, KIPC_GID1);
	if (pid == 0) {
		unsigned int i;
		int ofd;

		for (i = 0; i < KIPC_NR_TYPES; i++) {
			/* It may open the object, but not unlink it. */
			ofd = test_ioctl_open(kipc_types[i], self->name,
					      KIPC_RW, 0, NULL, NULL, NULL);
			close(ofd);
			test_err_unlink(EPERM, kipc_types[i], self->name);
		}
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_TRUE(test_obj_exists(KIPC_OBJ_MQ, self->name));
	ASSERT_TRUE(test_obj_exists(KIPC_OBJ_SHM, self->name));
	ASSERT_TRUE(test_obj_exists(KIPC_OBJ_SEM, self->name));

	pid = test_fork_as(KIPC_UID1, KIPC_GID2, KIPC_NO_GROUP);
	if (pid == 0) {
		unsigned int i;

		for (i = 0; i < KIPC_NR_TYPES; i++) {
			test_ioctl_unlink(kipc_types[i], self->name);
			test_err_unlink(ENOENT, kipc_types[i], self->name);
		}
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_MQ, self->name));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SHM, self->name));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, self->name));
}

/* The owner may unlink an object it has no access to. */
TEST_F(perm_misc, owner_unlinks_mode_0)
{
	pid_t pid;

	create_as_uid1(0);
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		unsigned int i;

		for (i = 0; i < KIPC_NR_TYPES; i++)
			test_ioctl_unlink(kipc_types[i], self->name);
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, self->name));
}

/* CAP_SYS_ADMIN may unlink anything; root without it may not. */
TEST_F(perm_misc, unlink_cap_sys_admin)
{
	unsigned int i;
	pid_t pid;

	create_as_uid1(0600);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		test_drop_cap(CAP_SYS_ADMIN);
		for (i = 0; i < KIPC_NR_TYPES; i++)
			test_err_unlink(EPERM, kipc_types[i], self->name);
		_exit(0);
	}
	test_wait_child(pid);
	for (i = 0; i < KIPC_NR_TYPES; i++) {
		ASSERT_TRUE(test_obj_exists(kipc_types[i], self->name));
		test_ioctl_unlink(kipc_types[i], self->name);
		ASSERT_FALSE(test_obj_exists(kipc_types[i], self->name));
	}
}

/* What an fd grants is fixed when it is opened. */
TEST_F(perm_misc, access_fixed_at_open)
{
	struct kipc_info info;
	pid_t pid;
	int ofd;

	ofd = test_ioctl_create(KIPC_OBJ_MQ, self->name, 0600, NULL);
	pid = test_fork_as(KIPC_UID2, KIPC_GID2, KIPC_NO_GROUP);
	if (pid == 0) {
		test_ioctl_info(ofd, &info);
		ASSERT_EQ(KIPC_RW, info.out_open_flags);
		ASSERT_EQ(O_RDWR, fcntl(ofd, F_GETFL) & O_ACCMODE);
		test_err_open(EACCES, KIPC_OBJ_MQ, self->name, KIPC_OPEN_READ,
			      0, NULL);
		_exit(0);
	}
	test_wait_child(pid);
	close(ofd);
}

TEST_HARNESS_MAIN
