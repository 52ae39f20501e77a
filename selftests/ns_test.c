// SPDX-License-Identifier: GPL-2.0-only
/*
 * Objects belong to the IPC namespace of their creator, and names resolve
 * only there: a child that unshared CLONE_NEWIPC neither sees nor touches
 * the objects of its parent's namespace, and the reverse. When a namespace
 * dies, its names die with it, as mqueue's do.
 */
#include "kipc_test.h"

FIXTURE(ipcns) {
	int fd;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_VARIANT(ipcns) {
	__u32 type;
};

FIXTURE_VARIANT_ADD(ipcns, mq) {
	.type = KIPC_OBJ_MQ,
};

FIXTURE_VARIANT_ADD(ipcns, shm) {
	.type = KIPC_OBJ_SHM,
};

FIXTURE_VARIANT_ADD(ipcns, sem) {
	.type = KIPC_OBJ_SEM,
};

FIXTURE_SETUP(ipcns)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, kipc_type_name(variant->type));
}

FIXTURE_TEARDOWN(ipcns)
{
	_test_cmd_unlink(self->fd, variant->type, self->name);
	close(self->fd);
}

TEST_F(ipcns, child_cannot_see_parent)
{
	struct kipc_info info;
	__u64 id;
	pid_t pid;
	int ofd;

	ofd = test_ioctl_create(variant->type, self->name, 0666, &id);
	close(ofd);

	pid = test_fork_newipc();
	if (pid == 0) {
		union kipc_attr attr = kipc_attr_of(variant->type);
		__u32 out_flags = 0;
		__u64 cid = 0;

		test_err_open(ENOENT, variant->type, self->name, KIPC_RW, 0,
			      NULL);
		test_err_unlink(ENOENT, variant->type, self->name);
		/* The same name is free here: a different object. */
		ofd = test_ioctl_open(variant->type, self->name, KIPC_NEW,
				      0600, &attr, &cid, &out_flags);
		ASSERT_EQ(KIPC_OPEN_OUT_CREATED, out_flags);
		ASSERT_NE(id, cid);
		close(ofd);
		ofd = test_ioctl_open(variant->type, self->name,
				      KIPC_OPEN_READ, 0, NULL, NULL, NULL);
		ASSERT_EQ(cid, test_obj_id(ofd));
		close(ofd);
		test_ioctl_unlink(variant->type, self->name);
		_exit(0);
	}
	test_wait_child(pid);

	/* The parent still sees its own, untouched. */
	ofd = test_ioctl_open(variant->type, self->name, KIPC_OPEN_READ, 0,
			      NULL, NULL, NULL);
	test_ioctl_info(ofd, &info);
	ASSERT_EQ(id, info.out_id);
	ASSERT_EQ(0U, info.out_state);
	close(ofd);
}

TEST_F(ipcns, parent_cannot_see_child)
{
	int to_parent[2], to_child[2];
	__u64 cid = 0;
	pid_t pid;
	char c = 0;

	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));
	pid = test_fork_newipc();
	if (pid == 0) {
		int ofd;

		close(to_parent[0]);
		close(to_child[1]);
		ofd = test_ioctl_create(variant->type, self->name, 0666, &cid);
		ASSERT_EQ((ssize_t)sizeof(cid),
			  write(to_parent[1], &cid, sizeof(cid)));
		/* Keep it open and named until the parent has looked. */
		ASSERT_EQ(0, (int)read(to_child[0], &c, 1));
		ASSERT_EQ(cid, test_obj_id(ofd));
		test_ioctl_unlink(variant->type, self->name);
		close(ofd);
		_exit(0);
	}
	close(to_parent[1]);
	close(to_child[0]);
	ASSERT_EQ((ssize_t)sizeof(cid), read(to_parent[0], &cid, sizeof(cid)));
	test_err_open(ENOENT, variant->type, self->name, KIPC_OPEN_READ, 0,
		      NULL);
	test_err_unlink(ENOENT, variant->type, self->name);
	/* Creating here does not collide either. */
	close(test_ioctl_create(variant->type, self->name, 0600, NULL));
	close(to_child[1]);
	test_wait_child(pid);
	close(to_parent[0]);
}

TEST_F(ipcns, unlink_in_child_leaves_parent)
{
	__u64 id;
	pid_t pid;
	int ofd;

	ofd = test_ioctl_create(variant->type, self->name, 0600, &id);
	close(ofd);
	pid = test_fork_newipc();
	if (pid == 0) {
		close(test_ioctl_create(variant->type, self->name, 0600, NULL));
		test_ioctl_unlink(variant->type, self->name);
		test_err_unlink(ENOENT, variant->type, self->name);
		_exit(0);
	}
	test_wait_child(pid);
	ofd = test_ioctl_open(variant->type, self->name, KIPC_OPEN_READ, 0,
			      NULL, NULL, NULL);
	ASSERT_EQ(id, test_obj_id(ofd));
	close(ofd);
}

/* Two sibling namespaces, same name, each with its own object. */
TEST_F(ipcns, siblings_are_separate)
{
	int to_parent[2], go[2];
	__u64 ids[2] = { 0, 0 };
	pid_t pid[2];
	char c = 0;
	int i;

	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(go));
	for (i = 0; i < 2; i++) {
		pid[i] = test_fork_newipc();
		if (pid[i] == 0) {
			__u64 cid;
			int ofd;

			close(to_parent[0]);
			close(go[1]);
			ofd = test_ioctl_create(variant->type, self->name,
						0600, &cid);
			ASSERT_EQ((ssize_t)sizeof(cid),
				  write(to_parent[1], &cid, sizeof(cid)));
			/* Both exist now; each still finds only its own. */
			ASSERT_EQ(0, (int)read(go[0], &c, 1));
			close(ofd);
			ofd = test_ioctl_open(variant->type, self->name,
					      KIPC_OPEN_READ, 0, NULL, NULL,
					      NULL);
			ASSERT_EQ(cid, test_obj_id(ofd));
			close(ofd);
			test_ioctl_unlink(variant->type, self->name);
			test_err_unlink(ENOENT, variant->type, self->name);
			_exit(0);
		}
	}
	close(to_parent[1]);
	close(go[0]);
	for (i = 0; i < 2; i++)
		ASSERT_EQ((ssize_t)sizeof(ids[i]),
			  read(to_parent[0], &ids[i], sizeof(ids[i])));
	ASSERT_NE(ids[0], ids[1]);
	close(go[1]);
	for (i = 0; i < 2; i++)
		test_wait_child(pid[i]);
	close(to_parent[0]);
}

/* An fd carried into another namespace still reaches its object. */
TEST_F(ipcns, fd_crosses_namespaces)
{
	__u64 id;
	pid_t pid;
	int ofd;

	ofd = test_ioctl_create(variant->type, self->name, 0600, &id);
	pid = test_fork_newipc();
	if (pid == 0) {
		struct kipc_info info;

		test_ioctl_info(ofd, &info);
		ASSERT_EQ(id, info.out_id);
		ASSERT_STREQ(self->name, info.out_name);
		ASSERT_EQ(0U, info.out_state);
		/* But its name does not. */
		test_err_open(ENOENT, variant->type, self->name,
			      KIPC_OPEN_READ, 0, NULL);
		close(ofd);
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_EQ(id, test_obj_id(ofd));
	close(ofd);
}

/*
 * A named object left in a namespace that then dies is reaped: nothing can
 * resolve its name any more. Asking for the statistics runs the reaper.
 * An object whose fd was passed out lives on, unlinked, until closed.
 */
TEST_F(ipcns, dead_namespace_names_are_reaped)
{
	struct kipc_info info;
	struct kipc_nl nl;
	int sv[2], ofd;
	__u64 before;
	pid_t pid;

	test_nl_open(&nl);
	before = test_nl_stats_attr(&nl, KIPC_A_STATS_OBJECTS);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));

	pid = test_fork_newipc();
	if (pid == 0) {
		char kept[KIPC_NAME_MAX + 16];

		close(sv[0]);
		/* One left behind by name only, one passed out, open. */
		close(test_ioctl_create(variant->type, self->name, 0600,
					NULL));
		snprintf(kept, sizeof(kept), "%s.kept", self->name);
		ofd = test_ioctl_create(variant->type, kept, 0600, NULL);
		ASSERT_EQ(0, kipc_send_fd(sv[1], ofd));
		_exit(0);
	}
	close(sv[1]);
	test_wait_child(pid);
	ofd = kipc_recv_fd(sv[0]);
	ASSERT_LE(0, ofd);
	close(sv[0]);

	/* The dead namespace's names are gone; the open object is not. */
	ASSERT_EQ(before + 1, test_nl_stats_attr(&nl, KIPC_A_STATS_OBJECTS));
	test_ioctl_info(ofd, &info);
	ASSERT_EQ((__u32)KIPC_STATE_UNLINKED, info.out_state);
	close(ofd);
	ASSERT_EQ(before, test_nl_stats_attr(&nl, KIPC_A_STATS_OBJECTS));
	close(nl.fd);
}

TEST_HARNESS_MAIN
