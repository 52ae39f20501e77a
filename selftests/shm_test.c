// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared memory regions: sharing between processes, sizes and what they are
 * charged, the struct rules of the region ioctls, statistics (ioctl and
 * netlink), lifetime with mappings, admin removal, limits and permissions.
 * Mapping semantics are in shm_map_test.c, seals in shm_seal_test.c.
 */
#include <time.h>

#include "kipc_test.h"

#define SZ_256M		(256ULL << 20)

KIPC_SHM_FIXTURE(shm);

#define test_nl_obj(_id, _obj) \
	ASSERT_EQ(0, kipc_nl_obj_get_all(&self->nl, _id, _obj))

#define test_nl_gone(_id)						\
	do {								\
		struct kipc_nl_obj __o;					\
		ASSERT_EQ(-ENOENT, kipc_nl_obj_get_all(&self->nl, _id,	\
						       &__o));		\
	} while (0)

/* --- sharing -------------------------------------------------------------- */

/* A mapping inherited through fork() is the same memory, both ways. */
TEST_F(shm, share_through_fork)
{
	long psz = self->psz;
	int ofd, to_child[2], to_parent[2];
	pid_t pid;
	char *p;

	ofd = test_shm_create(self->name, 2 * psz, NULL);
	p = test_shm_mmap(ofd, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(to_parent));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		kipc_fill(p, psz, 1);
		test_sync_write(to_parent[1]);
		test_sync_read(to_child[0]);
		ASSERT_EQ(-1, kipc_check(p + psz, psz, 2));
		_exit(0);
	}
	test_sync_read(to_parent[0]);
	ASSERT_EQ(-1, kipc_check(p, psz, 1));
	kipc_fill(p + psz, psz, 2);
	test_sync_write(to_child[1]);
	test_wait_child(pid);

	ASSERT_EQ(0, munmap(p, 2 * psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
}

/*
 * A process that inherited nothing opens the region by name, read-only,
 * and sees what the writer wrote, then and later.
 */
TEST_F(shm, share_by_name_readonly_reader)
{
	long psz = self->psz;
	int ofd, to_child[2], to_parent[2];
	pid_t pid;
	char *p;

	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(to_parent));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kipc_info info;
		int rfd;
		char *r;

		close(to_child[1]);
		close(to_parent[0]);
		test_sync_read(to_child[0]);
		rfd = test_shm_reopen(self->name, KIPC_OPEN_READ);
		test_ioctl_info(rfd, &info);
		ASSERT_EQ((__u32)KIPC_OPEN_READ, info.out_open_flags);
		ASSERT_EQ((__u64)(3 * psz), info.out_attr.shm.size);
		test_err_shm_mmap(EACCES, rfd, 3 * psz,
				  PROT_READ | PROT_WRITE, MAP_SHARED, 0);
		r = test_shm_mmap(rfd, 3 * psz, PROT_READ, MAP_SHARED, 0);
		ASSERT_EQ(-1, kipc_check(r, 3 * psz, 7));
		test_sync_write(to_parent[1]);
		/* The writer writes again, into the live mapping. */
		test_sync_read(to_child[0]);
		ASSERT_EQ(-1, kipc_check(r + psz, psz, 8));
		ASSERT_EQ(-1, kipc_check(r, psz, 7));
		ASSERT_EQ(0, munmap(r, 3 * psz));
		close(rfd);
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	ofd = test_shm_create(self->name, 3 * psz, NULL);
	p = test_shm_mmap(ofd, 3 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	kipc_fill(p, 3 * psz, 7);
	test_sync_write(to_child[1]);
	test_sync_read(to_parent[0]);
	kipc_fill(p + psz, psz, 8);
	test_sync_write(to_child[1]);
	test_wait_child(pid);

	ASSERT_EQ(0, munmap(p, 3 * psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	close(to_child[1]);
	close(to_parent[0]);
}

/* --- sizes ---------------------------------------------------------------- */

/* Sizes are exact; the limits are charged whole pages. */
TEST_F(shm, size_one_byte)
{
	long psz = self->psz;
	struct kipc_nl_obj o;
	struct kipc_info info;
	int ofd;
	__u64 id;
	char *p;

	ofd = test_shm_create(self->name, 1, &id);
	ASSERT_EQ(1ULL, test_shm_stat(ofd, out_size));
	test_ioctl_info(ofd, &info);
	ASSERT_EQ(1ULL, info.out_attr.shm.size);
	test_nl_obj(id, &o);
	ASSERT_EQ(1ULL, o.val[KIPC_A_OBJ_SHM_SIZE]);
	ASSERT_EQ((__u64)psz, o.val[KIPC_A_OBJ_BYTES]);

	/* As with a file, the rest of the last page can be touched. */
	p = test_shm_mmap(ofd, psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	p[0] = 'k';
	ASSERT_EQ(0, test_probe_write(p + psz - 1));
	ASSERT_EQ('k', p[0]);
	ASSERT_EQ(0x5a, p[psz - 1]);
	ASSERT_EQ(1ULL, test_shm_stat(ofd, out_resident));
	ASSERT_EQ(0, munmap(p, psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	test_nl_gone(id);
}

TEST_F(shm, size_one_page)
{
	long psz = self->psz;
	struct kipc_nl_obj o;
	int ofd;
	__u64 id;
	char *p;

	ofd = test_shm_create(self->name, psz, &id);
	ASSERT_EQ((__u64)psz, test_shm_stat(ofd, out_size));
	test_nl_obj(id, &o);
	ASSERT_EQ((__u64)psz, o.val[KIPC_A_OBJ_SHM_SIZE]);
	ASSERT_EQ((__u64)psz, o.val[KIPC_A_OBJ_BYTES]);
	p = test_shm_mmap(ofd, psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	ASSERT_EQ(-1, kipc_check_zero(p, psz));
	kipc_fill(p, psz, 3);
	ASSERT_EQ(-1, kipc_check(p, psz, 3));
	ASSERT_EQ(0, munmap(p, psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* Not page-aligned: stat and info say the size, the charge is rounded up. */
TEST_F(shm, size_unaligned)
{
	long psz = self->psz;
	__u64 size = 3 * psz + 100;
	__u64 bytes0, shms0, objs0;
	struct kipc_nl_obj o;
	struct kipc_info info;
	int ofd;
	__u64 id;
	char *p;

	bytes0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES);
	shms0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS);
	objs0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_OBJECTS);

	ofd = test_shm_create(self->name, size, &id);
	ASSERT_EQ(size, test_shm_stat(ofd, out_size));
	test_ioctl_info(ofd, &info);
	ASSERT_EQ(size, info.out_attr.shm.size);
	test_nl_obj(id, &o);
	ASSERT_EQ(size, o.val[KIPC_A_OBJ_SHM_SIZE]);
	ASSERT_EQ((__u64)(4 * psz), o.val[KIPC_A_OBJ_BYTES]);
	ASSERT_EQ(bytes0 + 4 * psz,
		  test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES));
	ASSERT_EQ(shms0 + 1, test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS));
	ASSERT_EQ(objs0 + 1, test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_OBJECTS));

	p = test_shm_mmap(ofd, 4 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	kipc_fill(p, 4 * psz, 4);
	ASSERT_EQ(-1, kipc_check(p, 4 * psz, 4));
	ASSERT_EQ(0, munmap(p, 4 * psz));

	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	ASSERT_EQ(bytes0, test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES));
	ASSERT_EQ(shms0, test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS));
}

/* A big region costs only the pages that are touched. */
TEST_F(shm, size_huge)
{
	long psz = self->psz;
	struct kipc_nl_obj o;
	int ofd;
	__u64 id;
	char *p;

	ASSERT_LE(SZ_256M, test_param("shm_max_size"));
	ofd = test_shm_create(self->name, SZ_256M, &id);
	ASSERT_EQ(SZ_256M, test_shm_stat(ofd, out_size));
	test_nl_obj(id, &o);
	ASSERT_EQ(SZ_256M, o.val[KIPC_A_OBJ_BYTES]);

	p = test_shm_mmap(ofd, SZ_256M, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	ASSERT_EQ(0ULL, test_shm_stat(ofd, out_resident));
	p[0] = 1;
	p[SZ_256M / 2] = 2;
	p[SZ_256M - 1] = 3;
	ASSERT_EQ(3ULL, test_shm_stat(ofd, out_resident));
	ASSERT_EQ(0, munmap(p, SZ_256M));

	/* The pages stay with the region, not with the mapping. */
	p = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED,
			  SZ_256M - psz);
	ASSERT_EQ(3, p[psz - 1]);
	ASSERT_EQ(0, munmap(p, psz));
	ASSERT_EQ(3ULL, test_shm_stat(ofd, out_resident));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	test_nl_gone(id);
}

TEST_F(shm, size_out_of_range)
{
	struct kipc_version ver;

	test_ioctl_version(&ver);
	ASSERT_EQ(test_param("shm_max_size"), ver.out_shm_max_size);
	EXPECT_ERRNO(EINVAL, _test_cmd_shm_create(self->fd, self->name,
						  ver.out_shm_max_size + 1,
						  NULL));
	EXPECT_ERRNO(EINVAL, _test_cmd_shm_create(self->fd, self->name,
						  UINT64_MAX, NULL));
	EXPECT_ERRNO(EINVAL, _test_cmd_shm_create(self->fd, self->name, 0,
						  NULL));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SHM, self->name));
}

/* --- the struct rules of the region ioctls ------------------------------- */

TEST_F(shm, cmd_length_resize)
{
	long psz = self->psz;
	struct {
		struct kipc_shm_resize cmd;
		__u8 extra[8];
	} buf;
	int ofd;

	ofd = test_shm_create(self->name, psz, NULL);
	memset(&buf, 0, sizeof(buf));
	buf.cmd.new_size = 2 * psz;
	TEST_LENGTH_ERRORS(ofd, buf, kipc_shm_resize, KIPC_IOC_SHM_RESIZE,
			       new_size);
	/* None of the failed calls resized. */
	ASSERT_EQ((__u64)psz, test_shm_stat(ofd, out_size));
	ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_SHM_RESIZE, &buf));
	ASSERT_EQ((__u64)(2 * psz), test_shm_stat(ofd, out_size));
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

TEST_F(shm, cmd_length_seal)
{
	long psz = self->psz;
	struct {
		struct kipc_shm_seal cmd;
		__u8 extra[8];
	} buf;
	int ofd;

	ofd = test_shm_create(self->name, psz, NULL);
	memset(&buf, 0, sizeof(buf));
	buf.cmd.seals = KIPC_SEAL_GROW;
	TEST_LENGTH_ERRORS(ofd, buf, kipc_shm_seal, KIPC_IOC_SHM_SEAL,
			       out_seals);
	ASSERT_EQ(0U, test_shm_seals(ofd));
	buf.cmd.out_seals = 0xdead;
	ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_SHM_SEAL, &buf));
	ASSERT_EQ((__u32)KIPC_SEAL_GROW, buf.cmd.out_seals);
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);
	ASSERT_EQ((__u32)KIPC_SEAL_GROW, test_shm_seals(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

TEST_F(shm, cmd_length_stat)
{
	long psz = self->psz;
	struct {
		struct kipc_shm_stat cmd;
		__u8 extra[8];
	} buf;
	int ofd;

	ofd = test_shm_create(self->name, psz + 1, NULL);
	memset(&buf, 0, sizeof(buf));
	TEST_LENGTH_ERRORS(ofd, buf, kipc_shm_stat, KIPC_IOC_SHM_STAT,
			       out_state);
	memset(&buf.cmd, 0xa5, sizeof(buf.cmd));
	buf.cmd.size = sizeof(buf.cmd) + 8;
	buf.cmd.flags = 0;
	ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_SHM_STAT, &buf));
	/* Every output is written, and nothing past the kernel's struct. */
	ASSERT_EQ((__u64)(psz + 1), buf.cmd.out_size);
	ASSERT_EQ(0U, buf.cmd.out_nattch);
	ASSERT_EQ(0U, buf.cmd.out_seals);
	ASSERT_EQ(0ULL, buf.cmd.out_resident);
	ASSERT_EQ(0ULL, buf.cmd.out_swapped);
	ASSERT_EQ(0ULL, buf.cmd.out_atime);
	ASSERT_EQ(0ULL, buf.cmd.out_dtime);
	ASSERT_EQ(0U, buf.cmd.out_lpid);
	ASSERT_EQ(0U, buf.cmd.out_state);
	ASSERT_EQ(0, buf.extra[0] | buf.extra[7]);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* Unknown flags: EOPNOTSUPP, and the call does nothing. */
TEST_F(shm, ioctl_unknown_flags)
{
	static const __u32 bad[] = { 1, 2, 1U << 31 };
	long psz = self->psz;
	unsigned int i;
	int ofd;

	ofd = test_shm_create(self->name, psz, NULL);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct kipc_shm_resize rs = {
			.size = sizeof(rs), .flags = bad[i],
			.new_size = 2 * psz,
		};
		struct kipc_shm_seal sl = {
			.size = sizeof(sl), .flags = bad[i],
			.seals = KIPC_SEAL_GROW,
		};
		struct kipc_shm_stat st = {
			.size = sizeof(st), .flags = bad[i],
		};

		EXPECT_ERRNO(EOPNOTSUPP, ioctl(ofd, KIPC_IOC_SHM_RESIZE, &rs));
		EXPECT_ERRNO(EOPNOTSUPP, ioctl(ofd, KIPC_IOC_SHM_SEAL, &sl));
		EXPECT_ERRNO(EOPNOTSUPP, ioctl(ofd, KIPC_IOC_SHM_STAT, &st));
	}
	ASSERT_EQ((__u64)psz, test_shm_stat(ofd, out_size));
	ASSERT_EQ(0U, test_shm_seals(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* Region ioctls belong to region fds, and other types' to theirs. */
TEST_F(shm, ioctl_other_types)
{
	static const unsigned int shm_cmds[] = {
		KIPC_IOC_SHM_RESIZE, KIPC_IOC_SHM_SEAL, KIPC_IOC_SHM_STAT,
	};
	static const unsigned int other_cmds[] = {
		KIPC_IOC_VERSION, KIPC_IOC_OPEN, KIPC_IOC_UNLINK,
		KIPC_IOC_MQ_SEND, KIPC_IOC_MQ_GETATTR, KIPC_IOC_SEM_POST,
		KIPC_IOC_SEM_GET,
	};
	union any_cmd {
		struct kipc_shm_stat st;
		struct kipc_open open;
		__u8 raw[512];
	} buf;
	unsigned int i, t;
	int ofd;

	memset(&buf, 0, sizeof(buf));
	buf.st.size = sizeof(buf.raw);
	ofd = test_shm_create(self->name, self->psz, NULL);
	for (i = 0; i < ARRAY_SIZE(other_cmds); i++)
		EXPECT_ERRNO(ENOTTY, ioctl(ofd, other_cmds[i], &buf));
	for (t = 0; t < KIPC_NR_TYPES; t++) {
		int other;

		if (kipc_types[t] == KIPC_OBJ_SHM)
			continue;
		other = test_ioctl_create(kipc_types[t], self->name, 0600,
					  NULL);
		for (i = 0; i < ARRAY_SIZE(shm_cmds); i++)
			EXPECT_ERRNO(ENOTTY, ioctl(other, shm_cmds[i], &buf));
		/* Nor does mmap() work on them. */
		test_err_shm_mmap(ENODEV, other, self->psz, PROT_READ,
				  MAP_SHARED, 0);
		close(other);
		test_ioctl_unlink(kipc_types[t], self->name);
	}
	for (i = 0; i < ARRAY_SIZE(shm_cmds); i++)
		EXPECT_ERRNO(ENOTTY, ioctl(self->fd, shm_cmds[i], &buf));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* --- statistics ------------------------------------------------------------ */

/* A new region, through fds of every access mode. */
TEST_F(shm, stat_fresh)
{
	static const __u32 modes[] = {
		KIPC_RW, KIPC_OPEN_READ, KIPC_OPEN_WRITE,
	};
	long psz = self->psz;
	unsigned int i;
	int ofd;

	ofd = test_shm_create(self->name, 5 * psz, NULL);
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		struct kipc_shm_stat st;
		int sfd = test_shm_reopen(self->name, modes[i]);

		test_ioctl_shm_stat(sfd, &st);
		ASSERT_EQ((__u32)sizeof(st), st.size);
		ASSERT_EQ((__u64)(5 * psz), st.out_size);
		ASSERT_EQ(0U, st.out_nattch);
		ASSERT_EQ(0U, st.out_seals);
		ASSERT_EQ(0ULL, st.out_resident);
		ASSERT_EQ(0ULL, st.out_swapped);
		ASSERT_EQ(0ULL, st.out_atime);
		ASSERT_EQ(0ULL, st.out_dtime);
		ASSERT_EQ(0U, st.out_lpid);
		ASSERT_EQ(0U, st.out_state);
		close(sfd);
	}
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	ASSERT_EQ((__u32)KIPC_STATE_UNLINKED, test_shm_stat(ofd, out_state));
	close(ofd);
}

/* Resident pages: those touched, through any mapping, until truncated. */
TEST_F(shm, stat_resident)
{
	long psz = self->psz;
	char *p, *q;
	int ofd;

	ofd = test_shm_create(self->name, 8 * psz, NULL);
	p = test_shm_mmap(ofd, 8 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	q = test_shm_mmap(ofd, 8 * psz, PROT_READ, MAP_SHARED, 0);
	ASSERT_EQ(0ULL, test_shm_stat(ofd, out_resident));
	p[0] = 1;
	ASSERT_EQ(1ULL, test_shm_stat(ofd, out_resident));
	/* Reading a hole of a shared mapping allocates it too. */
	ASSERT_EQ(0, q[5 * psz]);
	ASSERT_EQ(2ULL, test_shm_stat(ofd, out_resident));
	p[7 * psz + 1] = 1;
	p[psz / 2] = 2;
	ASSERT_EQ(3ULL, test_shm_stat(ofd, out_resident));
	ASSERT_EQ(0ULL, test_shm_stat(ofd, out_swapped));
	ASSERT_EQ(0, munmap(q, 8 * psz));
	ASSERT_EQ(3ULL, test_shm_stat(ofd, out_resident));
	test_ioctl_shm_resize(ofd, psz);
	ASSERT_EQ(1ULL, test_shm_stat(ofd, out_resident));
	ASSERT_EQ(0, munmap(p, 8 * psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* atime, dtime and lpid: who mapped last and when, and the last unmap. */
TEST_F(shm, stat_times_lpid)
{
	long psz = self->psz;
	struct kipc_shm_stat st;
	__u64 t0, t1, t2, t3;
	pid_t pid;
	int ofd;
	char *p;

	ofd = test_shm_create(self->name, psz, NULL);
	t0 = kipc_now_ns(CLOCK_REALTIME);
	p = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
	t1 = kipc_now_ns(CLOCK_REALTIME);
	test_ioctl_shm_stat(ofd, &st);
	ASSERT_LE(t0, st.out_atime);
	ASSERT_GE(t1, st.out_atime);
	ASSERT_EQ(0ULL, st.out_dtime);
	ASSERT_EQ((__u32)getpid(), st.out_lpid);
	ASSERT_EQ(1U, st.out_nattch);

	t2 = kipc_now_ns(CLOCK_REALTIME);
	ASSERT_EQ(0, munmap(p, psz));
	t3 = kipc_now_ns(CLOCK_REALTIME);
	test_ioctl_shm_stat(ofd, &st);
	ASSERT_LE(t0, st.out_atime);
	ASSERT_GE(t1, st.out_atime);
	ASSERT_LE(t2, st.out_dtime);
	ASSERT_GE(t3, st.out_dtime);
	ASSERT_EQ(0U, st.out_nattch);

	/* Another process maps: it is the last mapper now. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		p = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
		ASSERT_EQ(0, munmap(p, psz));
		_exit(0);
	}
	test_wait_child(pid);
	test_ioctl_shm_stat(ofd, &st);
	ASSERT_EQ((__u32)pid, st.out_lpid);
	ASSERT_LE(t3, st.out_atime);
	ASSERT_LE(st.out_atime, st.out_dtime);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* The netlink view of a region is the ioctl's. */
#define test_nl_matches_stat(_ofd, _id)					\
	do {								\
		struct kipc_shm_stat __st;				\
		struct kipc_nl_obj __o;					\
									\
		test_ioctl_shm_stat(_ofd, &__st);			\
		test_nl_obj(_id, &__o);					\
		ASSERT_TRUE(__o.has[KIPC_A_OBJ_SHM_SIZE]);		\
		ASSERT_TRUE(__o.has[KIPC_A_OBJ_SHM_NATTCH]);		\
		ASSERT_TRUE(__o.has[KIPC_A_OBJ_SHM_RESIDENT]);		\
		ASSERT_TRUE(__o.has[KIPC_A_OBJ_SHM_SWAPPED]);		\
		ASSERT_TRUE(__o.has[KIPC_A_OBJ_SHM_SEALS]);		\
		ASSERT_TRUE(__o.has[KIPC_A_OBJ_SHM_LPID]);		\
		ASSERT_TRUE(__o.has[KIPC_A_OBJ_SHM_ATIME]);		\
		ASSERT_TRUE(__o.has[KIPC_A_OBJ_SHM_DTIME]);		\
		ASSERT_EQ(__st.out_size, __o.val[KIPC_A_OBJ_SHM_SIZE]);	\
		ASSERT_EQ(__st.out_nattch,				\
			  __o.val[KIPC_A_OBJ_SHM_NATTCH]);		\
		ASSERT_EQ(__st.out_resident,				\
			  __o.val[KIPC_A_OBJ_SHM_RESIDENT]);		\
		ASSERT_EQ(__st.out_swapped,				\
			  __o.val[KIPC_A_OBJ_SHM_SWAPPED]);		\
		ASSERT_EQ(__st.out_seals, __o.val[KIPC_A_OBJ_SHM_SEALS]); \
		ASSERT_EQ(__st.out_lpid, __o.val[KIPC_A_OBJ_SHM_LPID]);	\
		ASSERT_EQ(__st.out_atime, __o.val[KIPC_A_OBJ_SHM_ATIME]); \
		ASSERT_EQ(__st.out_dtime, __o.val[KIPC_A_OBJ_SHM_DTIME]); \
		ASSERT_EQ(__st.out_state, __o.val[KIPC_A_OBJ_STATE]);	\
		ASSERT_EQ((__st.out_size + self->psz - 1) /		\
			  self->psz * self->psz,			\
			  __o.val[KIPC_A_OBJ_BYTES]);			\
	} while (0)

TEST_F(shm, stat_netlink_matches)
{
	long psz = self->psz;
	char *p, *q;
	int ofd;
	__u64 id;

	ofd = test_shm_create(self->name, 6 * psz + 1, &id);
	test_nl_matches_stat(ofd, id);

	p = test_shm_mmap(ofd, 7 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	q = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 2 * psz);
	p[0] = 1;
	p[3 * psz] = 1;
	test_ioctl_shm_seal(ofd, KIPC_SEAL_SHRINK);
	test_nl_matches_stat(ofd, id);
	ASSERT_EQ(2U, test_shm_stat(ofd, out_nattch));

	ASSERT_EQ(0, munmap(q, psz));
	test_ioctl_shm_resize(ofd, 9 * psz);
	test_nl_matches_stat(ofd, id);
	ASSERT_EQ(0, munmap(p, 7 * psz));
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	test_nl_matches_stat(ofd, id);
	close(ofd);
	test_nl_gone(id);
}

/* --- lifetime with mappings ------------------------------------------------ */

/*
 * A mapping holds the region: with the fd closed and the name gone, the
 * data is still there and the admin interface still shows the object.
 * The last munmap frees it.
 */
TEST_F(shm, mapping_outlives_fd_and_name)
{
	long psz = self->psz;
	__u64 shms0, bytes0, id;
	struct kipc_nl_obj o;
	int ofd;
	char *p;

	shms0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS);
	bytes0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES);
	ofd = test_shm_create(self->name, 2 * psz, &id);
	p = test_shm_mmap(ofd, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	kipc_fill(p, 2 * psz, 11);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SHM, self->name));

	ASSERT_EQ(-1, kipc_check(p, 2 * psz, 11));
	kipc_fill(p + psz, psz, 12);
	ASSERT_EQ(-1, kipc_check(p + psz, psz, 12));
	test_nl_obj(id, &o);
	ASSERT_EQ((__u64)KIPC_STATE_UNLINKED, o.val[KIPC_A_OBJ_STATE]);
	ASSERT_EQ(1ULL, o.val[KIPC_A_OBJ_SHM_NATTCH]);
	ASSERT_EQ(2ULL, o.val[KIPC_A_OBJ_SHM_RESIDENT]);
	ASSERT_EQ(shms0 + 1, test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS));

	ASSERT_EQ(0, munmap(p, 2 * psz));
	test_nl_gone(id);
	ASSERT_EQ(shms0, test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS));
	ASSERT_EQ(bytes0, test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES));
}

/* Named, mapped, fd closed: a later open by name finds the same memory. */
TEST_F(shm, mapping_of_named_region_fd_closed)
{
	long psz = self->psz;
	int ofd, rfd;
	char *p, *r;
	__u64 id;

	ofd = test_shm_create(self->name, psz, &id);
	p = test_shm_mmap(ofd, psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	close(ofd);
	kipc_fill(p, psz, 13);

	rfd = test_shm_reopen(self->name, KIPC_OPEN_READ);
	ASSERT_EQ(id, test_obj_id(rfd));
	ASSERT_EQ(1U, test_shm_stat(rfd, out_nattch));
	r = test_shm_mmap(rfd, psz, PROT_READ, MAP_SHARED, 0);
	ASSERT_EQ(-1, kipc_check(r, psz, 13));
	close(rfd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	ASSERT_EQ(0, munmap(p, psz));
	/* The second mapping alone still holds it. */
	ASSERT_EQ(-1, kipc_check(r, psz, 13));
	ASSERT_EQ(0, munmap(r, psz));
	test_nl_gone(id);
}

/* --- admin removal --------------------------------------------------------- */

/*
 * Removed while mapped: the mappings and their data stay, the name goes at
 * once, and everything that would change the region or map it again fails
 * with EIDRM. It is freed once the mapping and the fd are gone.
 */
TEST_F(shm, remove_while_mapped)
{
	long psz = self->psz;
	struct kipc_nl_obj o;
	int ofd, nfd;
	__u64 id, nid;
	pid_t pid;
	char *p;

	ofd = test_shm_create(self->name, 2 * psz, &id);
	p = test_shm_mmap(ofd, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	kipc_fill(p, 2 * psz, 21);
	ASSERT_EQ(0, kipc_nl_obj_remove(&self->nl, id));

	ASSERT_EQ(-1, kipc_check(p, 2 * psz, 21));
	kipc_fill(p, psz, 22);
	ASSERT_EQ(-1, kipc_check(p, psz, 22));

	test_err_shm_mmap(EIDRM, ofd, psz, PROT_READ | PROT_WRITE, MAP_SHARED,
			  0);
	test_err_shm_mmap(EIDRM, ofd, psz, PROT_READ, MAP_SHARED, 0);
	test_err_shm_mmap(EIDRM, ofd, psz, PROT_READ, MAP_PRIVATE, 0);
	test_err_shm_resize(EIDRM, ofd, 4 * psz);
	test_err_shm_resize(EIDRM, ofd, psz);
	test_err_shm_seal(EIDRM, ofd, KIPC_SEAL_GROW);
	ASSERT_EQ((__u64)(2 * psz), test_shm_stat(ofd, out_size));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SHM, self->name));

	/* Also in another process that holds the fd. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		test_err_shm_mmap(EIDRM, ofd, psz, PROT_READ, MAP_SHARED, 0);
		ASSERT_EQ(-1, kipc_check(p, psz, 22));
		_exit(0);
	}
	test_wait_child(pid);

	ASSERT_EQ((__u32)(KIPC_STATE_UNLINKED | KIPC_STATE_REMOVED),
		  test_shm_stat(ofd, out_state));
	ASSERT_EQ(1U, test_shm_stat(ofd, out_nattch));
	test_nl_obj(id, &o);
	ASSERT_EQ((__u64)(KIPC_STATE_UNLINKED | KIPC_STATE_REMOVED),
		  o.val[KIPC_A_OBJ_STATE]);

	/* The name is free at once. */
	nfd = test_shm_create(self->name, psz, &nid);
	ASSERT_NE(id, nid);
	close(nfd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);

	ASSERT_EQ(0, munmap(p, 2 * psz));
	test_nl_obj(id, &o);
	ASSERT_EQ(0ULL, o.val[KIPC_A_OBJ_SHM_NATTCH]);
	close(ofd);
	test_nl_gone(id);
}

/* Removed with only a mapping left: the mapping works until munmap. */
TEST_F(shm, remove_with_only_a_mapping)
{
	long psz = self->psz;
	__u64 shms0, id;
	int ofd;
	char *p;

	shms0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS);
	ofd = test_shm_create(self->name, psz, &id);
	p = test_shm_mmap(ofd, psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	close(ofd);
	kipc_fill(p, psz, 23);
	ASSERT_EQ(0, kipc_nl_obj_remove(&self->nl, id));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SHM, self->name));
	ASSERT_EQ(-1, kipc_check(p, psz, 23));
	p[0] = 0;
	ASSERT_EQ(shms0 + 1, test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS));
	ASSERT_EQ(0, munmap(p, psz));
	test_nl_gone(id);
	ASSERT_EQ(shms0, test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS));
}

/* An unprivileged owner may remove its region; another user may not. */
TEST_F(shm, remove_needs_owner)
{
	int idp[2], go[2];
	__u64 id = 0;
	pid_t pid, other;

	ASSERT_EQ(0, pipe(idp));
	ASSERT_EQ(0, pipe(go));
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		long psz = self->psz;
		struct kipc_nl nl;
		__u64 cid;
		int ofd;
		char *p;

		umask(0);
		ofd = _test_cmd_open(self->fd, KIPC_OBJ_SHM, self->name,
				     KIPC_NEW, 0666,
				     &(union kipc_attr){ .shm = { psz } },
				     &cid, NULL);
		ASSERT_LE(0, ofd);
		p = test_shm_mmap(ofd, psz, PROT_READ | PROT_WRITE,
				  MAP_SHARED, 0);
		ASSERT_EQ((ssize_t)sizeof(cid),
			  write(idp[1], &cid, sizeof(cid)));
		test_sync_read(go[0]);
		/* The other user was refused: nothing changed. */
		ASSERT_EQ(0U, test_shm_stat(ofd, out_state));
		test_nl_open(&nl);
		ASSERT_EQ(0, kipc_nl_obj_remove(&nl, cid));
		p[0] = 1;
		test_err_shm_mmap(EIDRM, ofd, psz, PROT_READ, MAP_SHARED, 0);
		ASSERT_EQ(0, munmap(p, psz));
		close(ofd);
		close(nl.fd);
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(id), read(idp[0], &id, sizeof(id)));
	other = test_fork_as(KIPC_UID2, KIPC_GID2, KIPC_NO_GROUP);
	if (other == 0) {
		struct kipc_nl nl;

		test_nl_open(&nl);
		ASSERT_EQ(-EPERM, kipc_nl_obj_remove(&nl, id));
		close(nl.fd);
		_exit(0);
	}
	test_wait_child(other);
	test_sync_write(go[1]);
	test_wait_child(pid);
	test_nl_gone(id);
	close(idp[0]);
	close(idp[1]);
	close(go[0]);
	close(go[1]);
}

/* --- limits ---------------------------------------------------------------- */

static const char *const shm_limit_params[] = {
	"max_bytes", "uid_max_bytes", "shm_max_size",
};

FIXTURE(shm_limits) {
	int fd;
	long psz;
	unsigned long long saved[ARRAY_SIZE(shm_limit_params)];
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(shm_limits)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(shm_limit_params); i++)
		self->saved[i] = test_param(shm_limit_params[i]);
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->psz = sysconf(_SC_PAGESIZE);
	test_name(self->name, "shmlim");
}

#define nth(_buf, _i) \
	snprintf(_buf, sizeof(_buf), "%s.%d", self->name, _i)

/*
 * In the parent, whatever the test did: the parameters go back, and names a
 * failed test left in this namespace go (the others die with their
 * namespace's objects only at unload, so the tests unlink them).
 */
FIXTURE_TEARDOWN_PARENT(shm_limits)
{
	char n[KIPC_NAME_MAX + 16];
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(shm_limit_params); i++)
		EXPECT_EQ(0, kipc_param_write(shm_limit_params[i],
					      self->saved[i]));
	fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	for (i = 0; i < 2; i++) {
		nth(n, (int)i);
		_test_cmd_unlink(fd, KIPC_OBJ_SHM, n);
	}
	close(fd);
}

/* The namespace's charged bytes, through netlink. */
#define test_ns_bytes()							\
	({								\
		struct kipc_nl __nl;					\
		__u64 __b;						\
									\
		test_nl_open(&__nl);					\
		__b = test_nl_stats_attr(&__nl, KIPC_A_STATS_NS_BYTES);	\
		close(__nl.fd);						\
		__b;							\
	})

/* Creating charges whole pages: a 1-byte region costs a page. */
TEST_F(shm_limits, create_charges_whole_pages)
{
	long psz = self->psz;
	pid_t pid;

	test_set_param("max_bytes", 2 * psz);
	pid = test_fork_newipc();
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		int a, b;

		test_become(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		nth(n, 0);
		a = test_shm_create(n, psz + 1, NULL);
		ASSERT_EQ((__u64)(2 * psz), test_ns_bytes());
		nth(n, 1);
		EXPECT_ERRNO(ENOSPC, _test_cmd_shm_create(self->fd, n, 1,
							  NULL));
		close(a);
		nth(n, 0);
		test_ioctl_unlink(KIPC_OBJ_SHM, n);
		ASSERT_EQ(0ULL, test_ns_bytes());
		nth(n, 1);
		a = test_shm_create(n, 1, NULL);
		b = test_shm_create(self->name, psz, NULL);
		ASSERT_EQ((__u64)(2 * psz), test_ns_bytes());
		close(a);
		close(b);
		test_ioctl_unlink(KIPC_OBJ_SHM, n);
		test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
		ASSERT_EQ(0ULL, test_ns_bytes());
		_exit(0);
	}
	test_wait_child(pid);
}

/* The same for the per-uid byte limit, which gives EMFILE. */
TEST_F(shm_limits, create_charges_whole_pages_per_uid)
{
	long psz = self->psz;
	pid_t pid;

	test_set_param("uid_max_bytes", 2 * psz);
	pid = test_fork_newipc();
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		pid_t p;

		p = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		if (p == 0) {
			nth(n, 0);
			close(test_shm_create(n, psz + 1, NULL));
			nth(n, 1);
			EXPECT_ERRNO(EMFILE, _test_cmd_shm_create(self->fd, n,
								  1, NULL));
			nth(n, 0);
			test_ioctl_unlink(KIPC_OBJ_SHM, n);
			nth(n, 1);
			close(test_shm_create(n, 2 * psz, NULL));
			test_ioctl_unlink(KIPC_OBJ_SHM, n);
			_exit(0);
		}
		test_wait_child(p);
		ASSERT_EQ(0ULL, test_ns_bytes());
		_exit(0);
	}
	test_wait_child(pid);
}

/* Growing past the namespace's byte limit: ENOSPC, and nothing changes. */
TEST_F(shm_limits, resize_enospc)
{
	long psz = self->psz;
	pid_t pid;

	test_set_param("max_bytes", 4 * psz);
	pid = test_fork_newipc();
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		int a, b;

		test_become(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		nth(n, 0);
		a = test_shm_create(n, 2 * psz, NULL);
		test_ioctl_shm_resize(a, 3 * psz + 1);
		ASSERT_EQ((__u64)(4 * psz), test_ns_bytes());
		/* Within the last page: no new charge. */
		test_ioctl_shm_resize(a, 4 * psz);
		test_err_shm_resize(ENOSPC, a, 4 * psz + 1);
		test_err_shm_resize(ENOSPC, a, 64 * psz);
		ASSERT_EQ((__u64)(4 * psz), test_shm_stat(a, out_size));
		ASSERT_EQ((__u64)(4 * psz), test_ns_bytes());
		nth(n, 1);
		EXPECT_ERRNO(ENOSPC, _test_cmd_shm_create(self->fd, n, 1,
							  NULL));

		/* Shrinking gives the pages back at once. */
		test_ioctl_shm_resize(a, psz);
		ASSERT_EQ((__u64)psz, test_ns_bytes());
		b = test_shm_create(n, 3 * psz, NULL);
		test_err_shm_resize(ENOSPC, a, psz + 1);
		test_err_shm_resize(ENOSPC, b, 3 * psz + 1);
		ASSERT_EQ((__u64)psz, test_shm_stat(a, out_size));
		close(b);
		test_ioctl_unlink(KIPC_OBJ_SHM, n);
		test_ioctl_shm_resize(a, 4 * psz);
		ASSERT_EQ((__u64)(4 * psz), test_ns_bytes());
		close(a);
		nth(n, 0);
		test_ioctl_unlink(KIPC_OBJ_SHM, n);
		ASSERT_EQ(0ULL, test_ns_bytes());
		_exit(0);
	}
	test_wait_child(pid);
}

/* Growing past the per-uid byte limit: EMFILE. */
TEST_F(shm_limits, resize_emfile)
{
	long psz = self->psz;
	pid_t pid;

	test_set_param("uid_max_bytes", 2 * psz);
	pid = test_fork_newipc();
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		pid_t p;

		p = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		if (p == 0) {
			union kipc_attr attr = { .shm = { .size = 1 } };
			int a;

			nth(n, 0);
			umask(0);
			a = test_ioctl_open(KIPC_OBJ_SHM, n, KIPC_NEW, 0666,
					    &attr, NULL, NULL);
			test_ioctl_shm_resize(a, 2 * psz);
			test_err_shm_resize(EMFILE, a, 2 * psz + 1);
			ASSERT_EQ((__u64)(2 * psz), test_shm_stat(a, out_size));
			ASSERT_EQ((__u64)(2 * psz), test_ns_bytes());
			close(a);
			_exit(0);
		}
		test_wait_child(p);

		/*
		 * The region stays charged to its creator, and only its
		 * owner may grow it: another writer gets EPERM, not the
		 * creator's EMFILE, and its own quota is untouched.
		 */
		p = test_fork_as(KIPC_UID2, KIPC_GID2, KIPC_NO_GROUP);
		if (p == 0) {
			int a, b;

			nth(n, 0);
			a = test_shm_reopen(n, KIPC_OPEN_WRITE);
			test_err_shm_resize(EPERM, a, 3 * psz);
			nth(n, 1);
			b = test_shm_create(n, 2 * psz, NULL);
			close(b);
			close(a);
			_exit(0);
		}
		test_wait_child(p);
		nth(n, 0);
		test_ioctl_unlink(KIPC_OBJ_SHM, n);
		nth(n, 1);
		test_ioctl_unlink(KIPC_OBJ_SHM, n);
		ASSERT_EQ(0ULL, test_ns_bytes());
		_exit(0);
	}
	test_wait_child(pid);
}

/*
 * Growing spends the creator's quota, so another user who may write the
 * region must not: it would fill the creator's limits (a 0666 region is
 * enough). EPERM, with size and charge unchanged; shrinking stays open to
 * every writer and gives the bytes back; the owner may grow it again.
 */
TEST_F(shm_limits, resize_grow_needs_owner)
{
	long psz = self->psz;
	pid_t pid;

	test_set_param("uid_max_bytes", 8 * psz);
	pid = test_fork_newipc();
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		pid_t p;

		nth(n, 0);
		p = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		if (p == 0) {
			union kipc_attr attr = { .shm = { .size = 2 * psz } };

			umask(0);
			close(test_ioctl_open(KIPC_OBJ_SHM, n, KIPC_NEW, 0666,
					      &attr, NULL, NULL));
			_exit(0);
		}
		test_wait_child(p);
		ASSERT_EQ((__u64)(2 * psz), test_ns_bytes());

		p = test_fork_as(KIPC_UID2, KIPC_GID2, KIPC_NO_GROUP);
		if (p == 0) {
			int a = test_shm_reopen(n, KIPC_RW);

			test_err_shm_resize(EPERM, a, 2 * psz + 1);
			test_err_shm_resize(EPERM, a, 8 * psz);
			ASSERT_EQ((__u64)(2 * psz), test_shm_stat(a, out_size));
			ASSERT_EQ((__u64)(2 * psz), test_ns_bytes());
			test_ioctl_shm_resize(a, psz);
			ASSERT_EQ((__u64)psz, test_ns_bytes());
			close(a);
			_exit(0);
		}
		test_wait_child(p);

		p = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		if (p == 0) {
			int a = test_shm_reopen(n, KIPC_RW);

			test_ioctl_shm_resize(a, 8 * psz);
			test_err_shm_resize(EMFILE, a, 8 * psz + 1);
			ASSERT_EQ((__u64)(8 * psz), test_ns_bytes());
			close(a);
			_exit(0);
		}
		test_wait_child(p);
		test_ioctl_unlink(KIPC_OBJ_SHM, n);
		ASSERT_EQ(0ULL, test_ns_bytes());
		_exit(0);
	}
	test_wait_child(pid);
}

/* CAP_SYS_RESOURCE may grow past the limits; without it, ENOSPC. */
TEST_F(shm_limits, resize_cap_sys_resource)
{
	long psz = self->psz;
	pid_t pid;

	test_set_param("max_bytes", psz);
	test_set_param("uid_max_bytes", psz);
	pid = test_fork_newipc();
	if (pid == 0) {
		int a;

		a = test_shm_create(self->name, psz, NULL);
		test_ioctl_shm_resize(a, 4 * psz);
		ASSERT_EQ((__u64)(4 * psz), test_ns_bytes());
		test_drop_cap(CAP_SYS_RESOURCE);
		test_err_shm_resize(ENOSPC, a, 5 * psz);
		/* Shrinking is always allowed, even while over. */
		test_ioctl_shm_resize(a, 3 * psz);
		ASSERT_EQ((__u64)(3 * psz), test_ns_bytes());
		close(a);
		test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
		_exit(0);
	}
	test_wait_child(pid);
}

/* shm_max_size is read on every call, for resize as for creation. */
TEST_F(shm_limits, shm_max_size_is_live)
{
	long psz = self->psz;
	char n[KIPC_NAME_MAX + 16];
	int big, a;

	nth(n, 0);
	big = test_shm_create(n, 8 * psz, NULL);
	test_set_param("shm_max_size", 4 * psz);

	nth(n, 1);
	EXPECT_ERRNO(EINVAL, _test_cmd_shm_create(self->fd, n, 4 * psz + 1,
						  NULL));
	a = test_shm_create(n, 4 * psz, NULL);
	test_err_shm_resize(EINVAL, a, 4 * psz + 1);
	test_err_shm_resize(EINVAL, a, 0);
	test_err_shm_resize(EINVAL, a, UINT64_MAX);
	test_ioctl_shm_resize(a, 3 * psz);
	ASSERT_EQ((__u64)(3 * psz), test_shm_stat(a, out_size));

	/* A bigger region made before stays, but cannot be set above. */
	ASSERT_EQ((__u64)(8 * psz), test_shm_stat(big, out_size));
	test_err_shm_resize(EINVAL, big, 6 * psz);
	test_ioctl_shm_resize(big, 4 * psz);

	close(a);
	close(big);
	test_ioctl_unlink(KIPC_OBJ_SHM, n);
	nth(n, 0);
	test_ioctl_unlink(KIPC_OBJ_SHM, n);
}

/* --- permissions ----------------------------------------------------------- */

/*
 * Regions are created by KIPC_UID1:KIPC_GID1 with the variant's mode and
 * opened by the variant's identity. An open that is granted gives exactly
 * what its flags say: r maps readable, w resizes and seals, a shared
 * writable mapping needs both. (Opens that are refused are perm_test's,
 * for every type.)
 */
FIXTURE(shm_perm) {
	int fd;
	long psz;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_VARIANT(shm_perm) {
	uid_t uid;
	gid_t gid;
	gid_t supp;
	__u32 flags;
	__u32 mode;
};

#define OWNER	.uid = KIPC_UID1, .gid = KIPC_GID1, .supp = KIPC_NO_GROUP
#define GROUP	.uid = KIPC_UID2, .gid = KIPC_GID2, .supp = KIPC_GID1
#define OTHER	.uid = KIPC_UID2, .gid = KIPC_GID2, .supp = KIPC_NO_GROUP

FIXTURE_VARIANT_ADD(shm_perm, owner_r) {
	OWNER, .flags = KIPC_OPEN_READ, .mode = 0400,
};

FIXTURE_VARIANT_ADD(shm_perm, owner_w) {
	OWNER, .flags = KIPC_OPEN_WRITE, .mode = 0200,
};

FIXTURE_VARIANT_ADD(shm_perm, owner_rw) {
	OWNER, .flags = KIPC_RW, .mode = 0600,
};

FIXTURE_VARIANT_ADD(shm_perm, group_r) {
	GROUP, .flags = KIPC_OPEN_READ, .mode = 0040,
};

FIXTURE_VARIANT_ADD(shm_perm, other_r) {
	OTHER, .flags = KIPC_OPEN_READ, .mode = 0004,
};

FIXTURE_VARIANT_ADD(shm_perm, other_w) {
	OTHER, .flags = KIPC_OPEN_WRITE, .mode = 0002,
};

FIXTURE_VARIANT_ADD(shm_perm, other_rw) {
	OTHER, .flags = KIPC_RW, .mode = 0606,
};

FIXTURE_SETUP(shm_perm)
{
	pid_t pid;

	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->psz = sysconf(_SC_PAGESIZE);
	test_name(self->name, "shmperm");

	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		union kipc_attr attr = { .shm = { .size = self->psz } };
		int ofd;
		char *p;

		umask(0);
		ofd = test_ioctl_open(KIPC_OBJ_SHM, self->name, KIPC_NEW,
				      variant->mode, &attr, NULL, NULL);
		p = test_shm_mmap(ofd, self->psz, PROT_READ | PROT_WRITE,
				  MAP_SHARED, 0);
		kipc_fill(p, self->psz, 31);
		ASSERT_EQ(0, munmap(p, self->psz));
		close(ofd);
		_exit(0);
	}
	test_wait_child(pid);
}

FIXTURE_TEARDOWN(shm_perm)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_SHM, self->name);
	close(self->fd);
}

TEST_F(shm_perm, open_and_use)
{
	long psz = self->psz;
	pid_t pid;

	pid = test_fork_as(variant->uid, variant->gid, variant->supp);
	if (pid == 0) {
		bool r = variant->flags & KIPC_OPEN_READ;
		bool w = variant->flags & KIPC_OPEN_WRITE;
		int ofd;
		char *p;

		ofd = test_shm_reopen(self->name, variant->flags);
		ASSERT_EQ((__u64)psz, test_shm_stat(ofd, out_size));

		if (r) {
			p = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
			ASSERT_EQ(-1, kipc_check(p, psz, 31));
			ASSERT_EQ(0, munmap(p, psz));
		} else {
			test_err_shm_mmap(EACCES, ofd, psz, PROT_READ,
					  MAP_SHARED, 0);
			test_err_shm_mmap(EACCES, ofd, psz, PROT_READ,
					  MAP_PRIVATE, 0);
		}
		if (r && w) {
			p = test_shm_mmap(ofd, psz, PROT_READ | PROT_WRITE,
					  MAP_SHARED, 0);
			p[0] = 0;
			ASSERT_EQ(0, munmap(p, psz));
		} else {
			test_err_shm_mmap(EACCES, ofd, psz,
					  PROT_READ | PROT_WRITE, MAP_SHARED,
					  0);
		}
		if (w && variant->uid == KIPC_UID1) {
			test_ioctl_shm_resize(ofd, 2 * psz);
		} else if (w) {
			/* Growing is the owner's; shrinking any writer's. */
			test_err_shm_resize(EPERM, ofd, 2 * psz);
			ASSERT_EQ((__u64)psz, test_shm_stat(ofd, out_size));
			test_ioctl_shm_resize(ofd, psz / 2);
		}
		if (w) {
			ASSERT_EQ(0U, test_shm_seals(ofd));
			test_ioctl_shm_seal(ofd, KIPC_SEAL_GROW);
		} else {
			test_err_shm_resize(EBADF, ofd, 2 * psz);
			test_err_shm_seal(EBADF, ofd, KIPC_SEAL_GROW);
			/* Reading the seals needs no write access. */
			ASSERT_EQ(0U, test_shm_seals(ofd));
		}
		close(ofd);
		_exit(0);
	}
	test_wait_child(pid);
}

TEST_HARNESS_MAIN
