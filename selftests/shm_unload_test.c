// SPDX-License-Identifier: GPL-2.0-only
/*
 * A mapping of a region pins kipc.ko, with every fd closed: its vma calls
 * kipc's vm_ops, so unloading under it would leave the vma calling freed
 * code. delete_module() must refuse (EWOULDBLOCK with O_NONBLOCK, as rmmod
 * passes) until the last mapping is gone. Each test reloads the module;
 * the parent reloads it if a test failed half-way.
 */
#include "kipc_test.h"

/* The fixture holds no fd: /dev/kipc is opened only where needed. */
FIXTURE(shm_unload) {
	char name[KIPC_NAME_MAX + 1];
	long psz;
	int fd;
};

FIXTURE_SETUP(shm_unload)
{
	ASSERT_TRUE(kipc_mod_loaded());
	test_name(self->name, "shmunload");
	self->psz = sysconf(_SC_PAGESIZE);
	self->fd = -1;
}

FIXTURE_TEARDOWN_PARENT(shm_unload)
{
	if (!kipc_mod_loaded())
		EXPECT_EQ(0, kipc_mod_load());
}

/* Create a region, map it with @_prot/@_flags, keep only the mapping. */
#define map_only(_unlink, _prot, _flags)				\
	({								\
		char *__p;						\
		int __ofd;						\
									\
		test_dev_open();						\
		__ofd = test_shm_create(self->name, 2 * self->psz, NULL); \
		__p = test_shm_mmap(__ofd, 2 * self->psz, _prot, _flags, 0); \
		close(__ofd);						\
		if (_unlink)						\
			test_ioctl_unlink(KIPC_OBJ_SHM, self->name);	\
		test_dev_close();						\
		__p;							\
	})

/* Unlinked, fd closed: the mapping alone holds the module. */
TEST_F(shm_unload, refused_while_mapped)
{
	long psz = self->psz;
	char *p;

	p = map_only(true, PROT_READ | PROT_WRITE, MAP_SHARED);
	kipc_fill(p, 2 * psz, 1);
	test_err_unload(EWOULDBLOCK);
	/* The mapping still works, faults and all. */
	ASSERT_EQ(-1, kipc_check(p, 2 * psz, 1));
	ASSERT_EQ(0, madvise(p, 2 * psz, MADV_DONTNEED));
	ASSERT_EQ(-1, kipc_check(p, 2 * psz, 1));
	test_err_unload(EWOULDBLOCK);
	ASSERT_EQ(0, munmap(p, 2 * psz));
	test_unload();
	test_load();
}

/* Named and mapped: after munmap the unload frees the named region too. */
TEST_F(shm_unload, refused_while_named_region_mapped)
{
	long psz = self->psz;
	char *p;

	p = map_only(false, PROT_READ | PROT_WRITE, MAP_SHARED);
	p[0] = 1;
	test_err_unload(EWOULDBLOCK);
	ASSERT_EQ(0, munmap(p, 2 * psz));
	test_unload();
	test_load();
	test_dev_open();
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SHM, self->name));
	test_dev_close();
}

/* A private mapping calls kipc's vm_ops as well. */
TEST_F(shm_unload, refused_while_privately_mapped)
{
	long psz = self->psz;
	char *p;

	p = map_only(true, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	test_err_unload(EWOULDBLOCK);
	/* A fault that reaches the region after the refused unload. */
	ASSERT_EQ(0, p[psz]);
	p[0] = 1;
	ASSERT_EQ(0, munmap(p, 2 * psz));
	test_unload();
	test_load();
}

/* A mapping in another process, which closed everything else. */
TEST_F(shm_unload, refused_while_child_maps)
{
	int to_parent[2], to_child[2];
	pid_t pid;
	char c = 0;

	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char *p;

		close(to_parent[0]);
		close(to_child[1]);
		p = map_only(true, PROT_READ, MAP_SHARED);
		ASSERT_EQ(1, (int)write(to_parent[1], &c, 1));
		ASSERT_EQ(0, (int)read(to_child[0], &c, 1));
		ASSERT_EQ(0, p[0]);
		/* Exit with the mapping: exit unmaps it. */
		_exit(0);
	}
	close(to_parent[1]);
	close(to_child[0]);
	ASSERT_EQ(1, (int)read(to_parent[0], &c, 1));
	test_err_unload(EWOULDBLOCK);
	close(to_child[1]);
	test_wait_child(pid);
	test_unload();
	test_load();
	close(to_parent[0]);
}

/* Removed by an administrator, still mapped: still pinned. */
TEST_F(shm_unload, refused_while_removed_region_mapped)
{
	long psz = self->psz;
	struct kipc_nl nl;
	int ofd;
	__u64 id;
	char *p;

	test_dev_open();
	ofd = test_shm_create(self->name, psz, &id);
	p = test_shm_mmap(ofd, psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	close(ofd);
	test_dev_close();
	test_nl_open(&nl);
	ASSERT_EQ(0, kipc_nl_obj_remove(&nl, id));
	close(nl.fd);
	p[0] = 1;
	test_err_unload(EWOULDBLOCK);
	ASSERT_EQ(0, munmap(p, psz));
	test_unload();
	test_load();
}

TEST_HARNESS_MAIN
