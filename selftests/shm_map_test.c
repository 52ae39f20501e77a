// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mappings of shared memory regions, which follow the rules of file
 * mappings: SIGBUS past the end, the fd's access mode bounds the mapping's,
 * MAP_PRIVATE copies on write, and resizes act on live mappings as
 * ftruncate() does. NATTCH counts every mapping (vma) in every process.
 */
#include <sys/resource.h>

#include "kipc_test.h"

KIPC_SHM_FIXTURE(map);

#define RW	(PROT_READ | PROT_WRITE)

/* NATTCH through the ioctl and through netlink, which must agree. */
#define test_nattch(_ofd)						\
	({								\
		struct kipc_nl_obj __o;					\
		__u32 __n = test_shm_stat(_ofd, out_nattch);		\
									\
		ASSERT_EQ(0, kipc_nl_obj_get_all(&self->nl,		\
						 test_obj_id(_ofd), &__o)); \
		ASSERT_EQ((__u64)__n, __o.val[KIPC_A_OBJ_SHM_NATTCH]);	\
		__n;							\
	})

/* Fill page @i of @p with the pattern of seed @i. */
static void fill_pages(char *p, long psz, int first, int n)
{
	int i;

	for (i = first; i < first + n; i++)
		kipc_fill(p + i * psz, psz, i + 100);
}

/* The first page of @first..@first+@n-1 that lost its pattern, or -1. */
static int check_pages(const char *p, long psz, int first, int n)
{
	int i;

	for (i = first; i < first + n; i++)
		if (kipc_check(p + i * psz, psz, i + 100) != -1)
			return i;
	return -1;
}

/* --- the end of the region ------------------------------------------------ */

/*
 * Within the mapping, the rest of the last page is accessible; the next page
 * raises SIGBUS, for reads and writes, shared or private.
 */
TEST_F(map, sigbus_past_end)
{
	static const int flags[] = { MAP_SHARED, MAP_PRIVATE };
	long psz = self->psz;
	unsigned int i;
	int ofd;

	ofd = test_shm_create(self->name, psz + 1, NULL);
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		char *p = test_shm_mmap(ofd, 3 * psz, RW, flags[i], 0);

		ASSERT_EQ(0, test_probe_write(p));
		ASSERT_EQ(0, test_probe_write(p + psz));
		ASSERT_EQ(0, test_probe_read(p + 2 * psz - 1));
		ASSERT_EQ(SIGBUS, test_probe_read(p + 2 * psz));
		ASSERT_EQ(SIGBUS, test_probe_write(p + 2 * psz));
		ASSERT_EQ(SIGBUS, test_probe_read(p + 3 * psz - 1));
		ASSERT_EQ(0x5a, p[psz]);
		ASSERT_EQ(0, munmap(p, 3 * psz));
	}
	/* Only the shared writes reached the region. */
	ASSERT_EQ(2ULL, test_shm_stat(ofd, out_resident));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* A mapping that starts past the end maps, but cannot be touched. */
TEST_F(map, sigbus_offset_past_end)
{
	long psz = self->psz;
	int ofd;
	char *p;

	ofd = test_shm_create(self->name, 2 * psz, NULL);
	p = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 4 * psz);
	ASSERT_EQ(SIGBUS, test_probe_read(p));
	ASSERT_EQ(0, munmap(p, psz));
	ASSERT_EQ(0ULL, test_shm_stat(ofd, out_resident));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* --- access modes ---------------------------------------------------------- */

/*
 * A read-only fd maps read-only, for good: a shared writable mapping is
 * refused, and mprotect() cannot add write later.
 */
TEST_F(map, readonly_fd_no_shared_write)
{
	long psz = self->psz;
	int ofd, rfd;
	char *p, *r;

	ofd = test_shm_create(self->name, psz, NULL);
	p = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0);
	kipc_fill(p, psz, 1);
	rfd = test_shm_reopen(self->name, KIPC_OPEN_READ);

	test_err_shm_mmap(EACCES, rfd, psz, RW, MAP_SHARED, 0);
	test_err_shm_mmap(EACCES, rfd, psz, PROT_WRITE, MAP_SHARED, 0);
	r = test_shm_mmap(rfd, psz, PROT_READ, MAP_SHARED, 0);
	ASSERT_EQ(-1, kipc_check(r, psz, 1));
	EXPECT_ERRNO(EACCES, mprotect(r, psz, RW));
	ASSERT_EQ(SIGSEGV, test_probe_write(r));
	ASSERT_EQ(-1, kipc_check(p, psz, 1));
	ASSERT_EQ(0, munmap(r, psz));
	ASSERT_EQ(0, munmap(p, psz));
	close(rfd);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* From a read-write fd, a read-only shared mapping may become writable. */
TEST_F(map, readwrite_fd_mprotect_write)
{
	long psz = self->psz;
	char *p, *q;
	int ofd;

	ofd = test_shm_create(self->name, psz, NULL);
	p = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
	q = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
	ASSERT_EQ(SIGSEGV, test_probe_write(p));
	ASSERT_EQ(0, mprotect(p, psz, RW));
	kipc_fill(p, psz, 2);
	ASSERT_EQ(-1, kipc_check(q, psz, 2));
	ASSERT_EQ(0, munmap(p, psz));
	ASSERT_EQ(0, munmap(q, psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* Mapping needs the fd open for reading, whatever the protection. */
TEST_F(map, writeonly_fd_cannot_map)
{
	long psz = self->psz;
	int ofd, wfd;

	ofd = test_shm_create(self->name, psz, NULL);
	wfd = test_shm_reopen(self->name, KIPC_OPEN_WRITE);
	test_err_shm_mmap(EACCES, wfd, psz, PROT_READ, MAP_SHARED, 0);
	test_err_shm_mmap(EACCES, wfd, psz, RW, MAP_SHARED, 0);
	test_err_shm_mmap(EACCES, wfd, psz, PROT_WRITE, MAP_SHARED, 0);
	test_err_shm_mmap(EACCES, wfd, psz, RW, MAP_PRIVATE, 0);
	/* Resizing needs only write. */
	test_ioctl_shm_resize(wfd, 2 * psz);
	ASSERT_EQ((__u64)(2 * psz), test_shm_stat(ofd, out_size));
	ASSERT_EQ(0U, test_shm_stat(ofd, out_nattch));
	close(wfd);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/*
 * MAP_PRIVATE with PROT_WRITE works on a read-only fd: the writes go to
 * private copies. Neither side sees the other's writes to a copied page;
 * a page that was never written still shows the region.
 */
TEST_F(map, private_cow_on_readonly_fd)
{
	long psz = self->psz;
	int ofd, rfd;
	char *p, *v;

	ofd = test_shm_create(self->name, 2 * psz, NULL);
	p = test_shm_mmap(ofd, 2 * psz, RW, MAP_SHARED, 0);
	fill_pages(p, psz, 0, 2);
	rfd = test_shm_reopen(self->name, KIPC_OPEN_READ);
	v = test_shm_mmap(rfd, 2 * psz, RW, MAP_PRIVATE, 0);
	ASSERT_EQ(-1, check_pages(v, psz, 0, 2));

	kipc_fill(v, psz, 3);
	ASSERT_EQ(-1, check_pages(p, psz, 0, 2));
	kipc_fill(p, psz, 4);
	ASSERT_EQ(-1, kipc_check(v, psz, 3));
	/* Page 1 was never written privately. */
	kipc_fill(p + psz, psz, 5);
	ASSERT_EQ(-1, kipc_check(v + psz, psz, 5));

	ASSERT_EQ(2U, test_shm_stat(ofd, out_nattch));
	ASSERT_EQ(0, munmap(v, 2 * psz));
	ASSERT_EQ(-1, kipc_check(p, psz, 4));
	ASSERT_EQ(0, munmap(p, 2 * psz));
	close(rfd);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* The same between processes: a private writer never reaches the region. */
TEST_F(map, private_isolated_across_processes)
{
	long psz = self->psz;
	int ofd, to_child[2], to_parent[2];
	pid_t pid;
	char *p;

	ofd = test_shm_create(self->name, psz, NULL);
	p = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0);
	kipc_fill(p, psz, 6);
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(to_parent));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char *v = test_shm_mmap(ofd, psz, RW, MAP_PRIVATE, 0);

		ASSERT_EQ(-1, kipc_check(v, psz, 6));
		kipc_fill(v, psz, 7);
		test_sync_write(to_parent[1]);
		test_sync_read(to_child[0]);
		ASSERT_EQ(-1, kipc_check(v, psz, 7));
		ASSERT_EQ(-1, kipc_check(p, psz, 8));
		_exit(0);
	}
	test_sync_read(to_parent[0]);
	ASSERT_EQ(-1, kipc_check(p, psz, 6));
	kipc_fill(p, psz, 8);
	test_sync_write(to_child[1]);
	test_wait_child(pid);
	ASSERT_EQ(-1, kipc_check(p, psz, 8));
	ASSERT_EQ(0, munmap(p, psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
}

/* --- offsets ----------------------------------------------------------------- */

TEST_F(map, mmap_offset)
{
	long psz = self->psz;
	char *p, *q, *r;
	int ofd;

	ofd = test_shm_create(self->name, 4 * psz, NULL);
	p = test_shm_mmap(ofd, 4 * psz, RW, MAP_SHARED, 0);
	fill_pages(p, psz, 0, 4);

	q = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 2 * psz);
	ASSERT_EQ(-1, kipc_check(q, psz, 102));
	kipc_fill(q, psz, 9);
	ASSERT_EQ(-1, kipc_check(p + 2 * psz, psz, 9));

	r = test_shm_mmap(ofd, 3 * psz, PROT_READ, MAP_SHARED, psz);
	ASSERT_EQ(-1, kipc_check(r, psz, 101));
	ASSERT_EQ(-1, kipc_check(r + psz, psz, 9));
	ASSERT_EQ(-1, kipc_check(r + 2 * psz, psz, 103));

	/* Offsets are whole pages. */
	test_err_shm_mmap(EINVAL, ofd, psz, PROT_READ, MAP_SHARED, psz / 2);
	ASSERT_EQ(3U, test_shm_stat(ofd, out_nattch));
	ASSERT_EQ(0, munmap(r, 3 * psz));
	ASSERT_EQ(0, munmap(q, psz));
	ASSERT_EQ(0, munmap(p, 4 * psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* --- resize with live mappings ------------------------------------------------ */

/*
 * Shrinking: the data below the new end stays, the rest of the new last
 * page reads as zero, and the pages past it raise SIGBUS.
 */
TEST_F(map, shrink_with_live_mapping)
{
	long psz = self->psz;
	char *p, *q;
	int ofd;

	ofd = test_shm_create(self->name, 4 * psz, NULL);
	p = test_shm_mmap(ofd, 4 * psz, RW, MAP_SHARED, 0);
	q = test_shm_mmap(ofd, 4 * psz, PROT_READ, MAP_SHARED, 0);
	fill_pages(p, psz, 0, 4);
	ASSERT_EQ(4ULL, test_shm_stat(ofd, out_resident));

	test_ioctl_shm_resize(ofd, 2 * psz + 10);
	ASSERT_EQ((__u64)(2 * psz + 10), test_shm_stat(ofd, out_size));
	ASSERT_EQ(-1, check_pages(p, psz, 0, 2));
	ASSERT_EQ(-1, kipc_check(p + 2 * psz, 10, 102));
	ASSERT_EQ(-1, kipc_check_zero(p + 2 * psz + 10, psz - 10));
	ASSERT_EQ(SIGBUS, test_probe_read(p + 3 * psz));
	ASSERT_EQ(SIGBUS, test_probe_write(p + 3 * psz));
	ASSERT_EQ(SIGBUS, test_probe_read(q + 3 * psz));
	ASSERT_EQ(-1, check_pages(q, psz, 0, 2));
	ASSERT_EQ(3ULL, test_shm_stat(ofd, out_resident));
	ASSERT_EQ(2U, test_shm_stat(ofd, out_nattch));

	ASSERT_EQ(0, munmap(q, 4 * psz));
	ASSERT_EQ(0, munmap(p, 4 * psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* Growing: what raised SIGBUS now reads as zero, and is shared. */
TEST_F(map, grow_with_live_mapping)
{
	long psz = self->psz;
	char *p, *q;
	int ofd;

	ofd = test_shm_create(self->name, 2 * psz, NULL);
	p = test_shm_mmap(ofd, 4 * psz, RW, MAP_SHARED, 0);
	fill_pages(p, psz, 0, 2);
	ASSERT_EQ(SIGBUS, test_probe_read(p + 2 * psz));

	test_ioctl_shm_resize(ofd, 4 * psz);
	ASSERT_EQ(-1, check_pages(p, psz, 0, 2));
	ASSERT_EQ(-1, kipc_check_zero(p + 2 * psz, 2 * psz));
	fill_pages(p, psz, 2, 2);
	q = test_shm_mmap(ofd, 4 * psz, PROT_READ, MAP_SHARED, 0);
	ASSERT_EQ(-1, check_pages(q, psz, 0, 4));

	ASSERT_EQ(0, munmap(q, 4 * psz));
	ASSERT_EQ(0, munmap(p, 4 * psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* Shrink then grow back: the pages cut off come back as zeros. */
TEST_F(map, shrink_then_grow_reads_zero)
{
	long psz = self->psz;
	int ofd;
	char *p;

	ofd = test_shm_create(self->name, 4 * psz, NULL);
	p = test_shm_mmap(ofd, 4 * psz, RW, MAP_SHARED, 0);
	fill_pages(p, psz, 0, 4);
	test_ioctl_shm_resize(ofd, psz - 1);
	ASSERT_EQ(1ULL, test_shm_stat(ofd, out_resident));
	test_ioctl_shm_resize(ofd, 4 * psz);
	ASSERT_EQ(-1, kipc_check(p, psz - 1, 100));
	ASSERT_EQ(0, p[psz - 1]);
	ASSERT_EQ(-1, kipc_check_zero(p + psz, 3 * psz));
	ASSERT_EQ(0, munmap(p, 4 * psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

TEST_F(map, resize_needs_write)
{
	long psz = self->psz;
	int ofd, rfd;

	ofd = test_shm_create(self->name, psz, NULL);
	rfd = test_shm_reopen(self->name, KIPC_OPEN_READ);
	test_err_shm_resize(EBADF, rfd, 2 * psz);
	test_err_shm_resize(EBADF, rfd, psz / 2);
	ASSERT_EQ((__u64)psz, test_shm_stat(ofd, out_size));
	close(rfd);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

TEST_F(map, resize_invalid_size)
{
	long psz = self->psz;
	struct kipc_version ver;
	int ofd;

	ASSERT_EQ(0, _test_cmd_version(self->fd, &ver));
	ofd = test_shm_create(self->name, psz, NULL);
	test_err_shm_resize(EINVAL, ofd, 0);
	test_err_shm_resize(EINVAL, ofd, ver.out_shm_max_size + 1);
	test_err_shm_resize(EINVAL, ofd, UINT64_MAX);
	test_err_shm_resize(EINVAL, ofd, 1ULL << 63);
	ASSERT_EQ((__u64)psz, test_shm_stat(ofd, out_size));
	/* The same size is not an error. */
	test_ioctl_shm_resize(ofd, psz);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* Every view of the size follows a resize: stat, info, netlink, charge. */
TEST_F(map, resize_reports_size)
{
	static const __u64 pages_x2[] = { 20, 3, 7, 2 };	/* in half pages */
	long psz = self->psz;
	__u64 bytes0, id;
	unsigned int i;
	int ofd;

	bytes0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES);
	ofd = test_shm_create(self->name, psz, &id);
	for (i = 0; i < ARRAY_SIZE(pages_x2); i++) {
		__u64 size = pages_x2[i] * psz / 2;
		__u64 charge = (pages_x2[i] + 1) / 2 * psz;
		struct kipc_info info;
		struct kipc_nl_obj o;

		test_ioctl_shm_resize(ofd, size);
		ASSERT_EQ(size, test_shm_stat(ofd, out_size));
		test_ioctl_info(ofd, &info);
		ASSERT_EQ(size, info.out_attr.shm.size);
		ASSERT_EQ(0, kipc_nl_obj_get_all(&self->nl, id, &o));
		ASSERT_EQ(size, o.val[KIPC_A_OBJ_SHM_SIZE]);
		ASSERT_EQ(charge, o.val[KIPC_A_OBJ_BYTES]);
		ASSERT_EQ(bytes0 + charge,
			  test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES));
	}
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	ASSERT_EQ(bytes0, test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES));
}

static volatile sig_atomic_t xfsz_seen;

static void on_sigxfsz(int sig)
{
	(void)sig;
	xfsz_seen++;
}

/*
 * Growing past RLIMIT_FSIZE fails as ftruncate() does: EFBIG, and SIGXFSZ
 * to the caller (kipc_shm_resize(3)), caught here and counted, once. The
 * charge taken for the growth is given back.
 */
TEST_F(map, resize_past_rlimit_fsize)
{
	long psz = self->psz;
	struct rlimit rl = { .rlim_cur = 2 * psz, .rlim_max = RLIM_INFINITY };
	struct sigaction sa = { .sa_handler = on_sigxfsz };
	struct kipc_nl_obj o;
	__u64 bytes0, id;
	int ofd;

	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGXFSZ, &sa, NULL));
	xfsz_seen = 0;
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &rl));
	bytes0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES);
	ofd = test_shm_create(self->name, psz, &id);

	test_err_shm_resize(EFBIG, ofd, 3 * psz);
	/* Delivered on the way out of the ioctl, before it returned. */
	ASSERT_EQ(1, xfsz_seen);
	ASSERT_EQ((__u64)psz, test_shm_stat(ofd, out_size));
	ASSERT_EQ(0, kipc_nl_obj_get_all(&self->nl, id, &o));
	ASSERT_EQ((__u64)psz, o.val[KIPC_A_OBJ_BYTES]);
	ASSERT_EQ(bytes0 + psz,
		  test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES));
	/* Within the limit it still grows, and signals nothing. */
	test_ioctl_shm_resize(ofd, 2 * psz);
	ASSERT_EQ((__u64)(2 * psz), test_shm_stat(ofd, out_size));
	ASSERT_EQ(1, xfsz_seen);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* --- NATTCH ---------------------------------------------------------------- */

/* fork() duplicates the mapping; the child's exit drops it. */
TEST_F(map, fork_nattch)
{
	long psz = self->psz;
	int ofd, to_child[2], to_parent[2];
	pid_t pid;
	char *p;

	ofd = test_shm_create(self->name, psz, NULL);
	ASSERT_EQ(0U, test_nattch(ofd));
	p = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0);
	ASSERT_EQ(1U, test_nattch(ofd));
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(to_parent));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		p[0] = 'c';
		test_sync_write(to_parent[1]);
		test_sync_read(to_child[0]);
		_exit(0);
	}
	test_sync_read(to_parent[0]);
	ASSERT_EQ(2U, test_nattch(ofd));
	ASSERT_EQ('c', p[0]);
	test_sync_write(to_child[1]);
	test_wait_child(pid);
	ASSERT_EQ(1U, test_nattch(ofd));
	ASSERT_EQ(0, munmap(p, psz));
	ASSERT_EQ(0U, test_nattch(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
}

/* A child that unmaps its copy drops its count while it lives on. */
TEST_F(map, fork_child_unmaps)
{
	long psz = self->psz;
	int ofd, to_child[2], to_parent[2];
	pid_t pid;
	char *p;

	ofd = test_shm_create(self->name, psz, NULL);
	p = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(to_parent));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		ASSERT_EQ(0, munmap(p, psz));
		test_sync_write(to_parent[1]);
		test_sync_read(to_child[0]);
		_exit(0);
	}
	test_sync_read(to_parent[0]);
	ASSERT_EQ(1U, test_nattch(ofd));
	test_sync_write(to_child[1]);
	test_wait_child(pid);
	ASSERT_EQ(1U, test_nattch(ofd));
	ASSERT_EQ(0, munmap(p, psz));
	ASSERT_EQ(0U, test_nattch(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
}

/* NATTCH counts vmas, as SysV's does: splitting a mapping adds to it. */
TEST_F(map, nattch_counts_vmas)
{
	long psz = self->psz;
	int ofd;
	char *p;

	ofd = test_shm_create(self->name, 4 * psz, NULL);
	p = test_shm_mmap(ofd, 4 * psz, RW, MAP_SHARED, 0);
	ASSERT_EQ(0, mprotect(p + psz, psz, PROT_READ));
	ASSERT_EQ(3U, test_nattch(ofd));
	ASSERT_EQ(0, munmap(p, psz));
	ASSERT_EQ(2U, test_nattch(ofd));
	/* Unmapping the tail of one vma leaves it there. */
	ASSERT_EQ(0, munmap(p + 3 * psz, psz));
	ASSERT_EQ(2U, test_nattch(ofd));
	p[2 * psz] = 1;
	ASSERT_EQ(0, munmap(p, 4 * psz));
	ASSERT_EQ(0U, test_nattch(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/*
 * Splitting and joining back: the kernel may not merge the pieces again
 * (they have a close hook), but however it keeps them, every piece is
 * counted once and released once.
 */
TEST_F(map, split_and_rejoin_balanced)
{
	long psz = self->psz;
	int ofd, i;
	char *p;

	ofd = test_shm_create(self->name, 8 * psz, NULL);
	p = test_shm_mmap(ofd, 8 * psz, RW, MAP_SHARED, 0);
	for (i = 1; i < 8; i += 2)
		ASSERT_EQ(0, mprotect(p + i * psz, psz, PROT_READ));
	ASSERT_EQ(8U, test_nattch(ofd));
	ASSERT_EQ(0, mprotect(p, 8 * psz, RW));
	ASSERT_LE(1U, test_nattch(ofd));
	fill_pages(p, psz, 0, 8);
	ASSERT_EQ(0, munmap(p, 8 * psz));
	ASSERT_EQ(0U, test_nattch(ofd));
	/* No writable mapping is left over either. */
	test_ioctl_shm_seal(ofd, KIPC_SEAL_WRITE);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* MAP_FIXED over a mapping of the region replaces it. */
TEST_F(map, map_fixed_replaces_mapping)
{
	long psz = self->psz;
	char *p, *q;
	int ofd;

	ofd = test_shm_create(self->name, 4 * psz, NULL);
	p = test_shm_mmap(ofd, 4 * psz, RW, MAP_SHARED, 0);
	fill_pages(p, psz, 0, 4);
	q = mmap(p + psz, 2 * psz, PROT_READ, MAP_SHARED | MAP_FIXED, ofd,
		 2 * psz);
	ASSERT_EQ(p + psz, q);
	ASSERT_EQ(3U, test_nattch(ofd));
	ASSERT_EQ(-1, kipc_check(q, psz, 102));
	ASSERT_EQ(-1, kipc_check(q + psz, psz, 103));
	ASSERT_EQ(0, munmap(p, 4 * psz));
	ASSERT_EQ(0U, test_nattch(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* Many mappings in one process alias the same pages. */
TEST_F(map, many_mappings)
{
	long psz = self->psz;
	char *p[16];
	unsigned int i;
	int ofd;

	ofd = test_shm_create(self->name, 2 * psz, NULL);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		p[i] = test_shm_mmap(ofd, 2 * psz, i % 2 ? PROT_READ : RW,
				     MAP_SHARED, 0);
	ASSERT_EQ(ARRAY_SIZE(p), test_nattch(ofd));
	kipc_fill(p[4], 2 * psz, 10);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		ASSERT_EQ(-1, kipc_check(p[i], 2 * psz, 10));
	ASSERT_EQ(2ULL, test_shm_stat(ofd, out_resident));
	for (i = 0; i < ARRAY_SIZE(p); i++)
		ASSERT_EQ(0, munmap(p[i], 2 * psz));
	ASSERT_EQ(0U, test_nattch(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* --- mremap, mlock, madvise, msync ------------------------------------------ */

/* Growing a mapping within the region: the new part is the region's. */
TEST_F(map, mremap_grow)
{
	long psz = self->psz;
	char *p, *q, *full;
	int ofd;

	ofd = test_shm_create(self->name, 4 * psz, NULL);
	full = test_shm_mmap(ofd, 4 * psz, RW, MAP_SHARED, 0);
	fill_pages(full, psz, 0, 4);
	p = test_shm_mmap(ofd, 2 * psz, RW, MAP_SHARED, 0);
	ASSERT_EQ(2U, test_nattch(ofd));

	q = mremap(p, 2 * psz, 4 * psz, MREMAP_MAYMOVE);
	ASSERT_NE(MAP_FAILED, q);
	ASSERT_EQ(2U, test_nattch(ofd));
	ASSERT_EQ(-1, check_pages(q, psz, 0, 4));
	kipc_fill(q + 3 * psz, psz, 11);
	ASSERT_EQ(-1, kipc_check(full + 3 * psz, psz, 11));

	/* Past the region's end, the grown part raises SIGBUS. */
	p = mremap(q, 4 * psz, 5 * psz, MREMAP_MAYMOVE);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(SIGBUS, test_probe_read(p + 4 * psz));
	ASSERT_EQ(-1, kipc_check(p + 3 * psz, psz, 11));
	ASSERT_EQ(2U, test_nattch(ofd));

	ASSERT_EQ(0, munmap(p, 5 * psz));
	ASSERT_EQ(0, munmap(full, 4 * psz));
	ASSERT_EQ(0U, test_nattch(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* Moving a mapping: the data moves with it, the old range is gone. */
TEST_F(map, mremap_move)
{
	long psz = self->psz;
	char *p, *q, *dst, *full;
	int ofd;

	ofd = test_shm_create(self->name, 2 * psz, NULL);
	full = test_shm_mmap(ofd, 2 * psz, PROT_READ, MAP_SHARED, 0);
	p = test_shm_mmap(ofd, 2 * psz, RW, MAP_SHARED, 0);
	fill_pages(p, psz, 0, 2);
	dst = mmap(NULL, 2 * psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		   0);
	ASSERT_NE(MAP_FAILED, dst);

	q = mremap(p, 2 * psz, 2 * psz, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	ASSERT_EQ(dst, q);
	ASSERT_EQ(SIGSEGV, test_probe_read(p));
	ASSERT_EQ(-1, check_pages(q, psz, 0, 2));
	kipc_fill(q, psz, 12);
	ASSERT_EQ(-1, kipc_check(full, psz, 12));
	ASSERT_EQ(2U, test_nattch(ofd));

	/* Shrinking a moved mapping keeps its head. */
	q = mremap(q, 2 * psz, psz, 0);
	ASSERT_EQ(dst, q);
	ASSERT_EQ(-1, kipc_check(q, psz, 12));
	ASSERT_EQ(2U, test_nattch(ofd));

	ASSERT_EQ(0, munmap(q, psz));
	ASSERT_EQ(1U, test_nattch(ofd));
	ASSERT_EQ(0, munmap(full, 2 * psz));
	ASSERT_EQ(0U, test_nattch(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* mlock() faults every page in; munlock() leaves them with the region. */
TEST_F(map, mlock_munlock)
{
	long psz = self->psz;
	int ofd;
	char *p;

	ofd = test_shm_create(self->name, 8 * psz, NULL);
	p = test_shm_mmap(ofd, 8 * psz, RW, MAP_SHARED, 0);
	ASSERT_EQ(0ULL, test_shm_stat(ofd, out_resident));
	ASSERT_EQ(0, mlock(p, 8 * psz));
	ASSERT_EQ(8ULL, test_shm_stat(ofd, out_resident));
	fill_pages(p, psz, 0, 8);
	ASSERT_EQ(0, munlock(p, 8 * psz));
	ASSERT_EQ(-1, check_pages(p, psz, 0, 8));
	ASSERT_EQ(8ULL, test_shm_stat(ofd, out_resident));
	/* MAP_LOCKED too. */
	ASSERT_EQ(0, munmap(p, 8 * psz));
	p = test_shm_mmap(ofd, 8 * psz, PROT_READ, MAP_SHARED | MAP_LOCKED,
			  0);
	ASSERT_EQ(-1, check_pages(p, psz, 0, 8));
	ASSERT_EQ(0, munmap(p, 8 * psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/*
 * MADV_DONTNEED only drops the page tables: shared data stays in the
 * region, while a private copy is discarded and the region shows again.
 */
TEST_F(map, madvise_dontneed)
{
	long psz = self->psz;
	char *p, *v;
	int ofd;

	ofd = test_shm_create(self->name, 4 * psz, NULL);
	p = test_shm_mmap(ofd, 4 * psz, RW, MAP_SHARED, 0);
	fill_pages(p, psz, 0, 4);
	ASSERT_EQ(0, madvise(p, 4 * psz, MADV_DONTNEED));
	ASSERT_EQ(4ULL, test_shm_stat(ofd, out_resident));
	ASSERT_EQ(-1, check_pages(p, psz, 0, 4));

	v = test_shm_mmap(ofd, psz, RW, MAP_PRIVATE, 0);
	kipc_fill(v, psz, 13);
	ASSERT_EQ(0, madvise(v, psz, MADV_DONTNEED));
	ASSERT_EQ(-1, check_pages(v, psz, 0, 1));
	ASSERT_EQ(0, munmap(v, psz));

	ASSERT_EQ(0, madvise(p, 4 * psz, MADV_WILLNEED));
	ASSERT_EQ(-1, check_pages(p, psz, 0, 4));
	ASSERT_EQ(0, munmap(p, 4 * psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* msync() of a shared mapping succeeds, as on any shared file mapping. */
TEST_F(map, msync)
{
	long psz = self->psz;
	int ofd;
	char *p;

	ofd = test_shm_create(self->name, 2 * psz, NULL);
	p = test_shm_mmap(ofd, 2 * psz, RW, MAP_SHARED, 0);
	kipc_fill(p, 2 * psz, 14);
	ASSERT_EQ(0, msync(p, 2 * psz, MS_ASYNC));
	ASSERT_EQ(0, msync(p, 2 * psz, MS_SYNC)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, msync(p, psz, MS_SYNC | MS_INVALIDATE))
		TH_LOG("%s", strerror(errno));
	ASSERT_EQ(-1, kipc_check(p, 2 * psz, 14));
	ASSERT_EQ(0, munmap(p, 2 * psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* An unlinked region's fd still maps, in this process and a child. */
TEST_F(map, map_after_unlink)
{
	long psz = self->psz;
	pid_t pid;
	int ofd;
	char *p;

	ofd = test_shm_create(self->name, psz, NULL);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	p = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char *c = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0);

		kipc_fill(c, psz, 15);
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_EQ(-1, kipc_check(p, psz, 15));
	ASSERT_EQ(0, munmap(p, psz));
	close(ofd);
}

TEST_HARNESS_MAIN
