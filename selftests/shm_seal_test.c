// SPDX-License-Identifier: GPL-2.0-only
/*
 * Seals of shared memory regions, as memfd's: KIPC_SEAL_SHRINK and
 * KIPC_SEAL_GROW fix the size one way, KIPC_SEAL_WRITE forbids every shared
 * mapping that may write (and needs there to be none), KIPC_SEAL_FUTURE_WRITE
 * only new ones, and KIPC_SEAL_SEAL the seals themselves. A seal is never
 * removed.
 */
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <sys/uio.h>
#include <linux/io_uring.h>
#include <linux/userfaultfd.h>

#include "kipc_test.h"

KIPC_SHM_FIXTURE(seal);

#define RW	(PROT_READ | PROT_WRITE)

/* The seals as the ioctl, stat and netlink report them; all must agree. */
#define test_seals(_ofd)						\
	({								\
		struct kipc_nl_obj __o;					\
		__u32 __s = test_shm_seals(_ofd);			\
									\
		ASSERT_EQ(__s, test_shm_stat(_ofd, out_seals));		\
		ASSERT_EQ(0, kipc_nl_obj_get_all(&self->nl,		\
						 test_obj_id(_ofd), &__o)); \
		ASSERT_EQ((__u64)__s, __o.val[KIPC_A_OBJ_SHM_SEALS]);	\
		__s;							\
	})

/* --- size seals ------------------------------------------------------------ */

TEST_F(seal, shrink)
{
	long psz = self->psz;
	int ofd;

	ofd = test_shm_create(self->name, 2 * psz, NULL);
	ASSERT_EQ((__u32)KIPC_SEAL_SHRINK,
		  test_ioctl_shm_seal(ofd, KIPC_SEAL_SHRINK));
	test_err_shm_resize(EPERM, ofd, 2 * psz - 1);
	test_err_shm_resize(EPERM, ofd, 1);
	ASSERT_EQ((__u64)(2 * psz), test_shm_stat(ofd, out_size));
	test_ioctl_shm_resize(ofd, 2 * psz);
	test_ioctl_shm_resize(ofd, 3 * psz);
	test_err_shm_resize(EPERM, ofd, 2 * psz);
	ASSERT_EQ((__u64)(3 * psz), test_shm_stat(ofd, out_size));
	ASSERT_EQ((__u32)KIPC_SEAL_SHRINK, test_seals(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

TEST_F(seal, grow)
{
	long psz = self->psz;
	int ofd;

	ofd = test_shm_create(self->name, 2 * psz, NULL);
	ASSERT_EQ((__u32)KIPC_SEAL_GROW,
		  test_ioctl_shm_seal(ofd, KIPC_SEAL_GROW));
	test_err_shm_resize(EPERM, ofd, 2 * psz + 1);
	test_err_shm_resize(EPERM, ofd, 16 * psz);
	ASSERT_EQ((__u64)(2 * psz), test_shm_stat(ofd, out_size));
	test_ioctl_shm_resize(ofd, psz);
	test_err_shm_resize(EPERM, ofd, psz + 1);
	ASSERT_EQ((__u64)psz, test_shm_stat(ofd, out_size));
	ASSERT_EQ((__u32)KIPC_SEAL_GROW, test_seals(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* Both: only the same size is accepted, and the seal checks come first. */
TEST_F(seal, grow_and_shrink)
{
	long psz = self->psz;
	int ofd;

	ofd = test_shm_create(self->name, psz, NULL);
	test_ioctl_shm_seal(ofd, KIPC_SEAL_GROW | KIPC_SEAL_SHRINK);
	test_err_shm_resize(EPERM, ofd, psz - 1);
	test_err_shm_resize(EPERM, ofd, psz + 1);
	test_ioctl_shm_resize(ofd, psz);
	ASSERT_EQ((__u64)psz, test_shm_stat(ofd, out_size));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* --- KIPC_SEAL_WRITE --------------------------------------------------------- */

/* A shared writable mapping, even one in another vma or process: EBUSY. */
TEST_F(seal, write_busy_while_writable_mapping)
{
	long psz = self->psz;
	int ofd;
	char *p;

	ofd = test_shm_create(self->name, psz, NULL);
	p = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0);
	test_err_shm_seal(EBUSY, ofd, KIPC_SEAL_WRITE);
	/* Nothing of a refused call is applied, not even its other bits. */
	test_err_shm_seal(EBUSY, ofd, KIPC_SEAL_WRITE | KIPC_SEAL_GROW);
	ASSERT_EQ(0U, test_seals(ofd));
	p[0] = 1;
	ASSERT_EQ(0, munmap(p, psz));
	ASSERT_EQ((__u32)KIPC_SEAL_WRITE,
		  test_ioctl_shm_seal(ofd, KIPC_SEAL_WRITE));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/*
 * A page pinned for DMA (here io_uring's fixed buffers) can still be
 * written after its mapping is gone, so the write seal is refused until the
 * pin is released, as memfd refuses it.
 */
TEST_F(seal, write_busy_while_pages_pinned)
{
	struct io_uring_params params = {};
	long psz = self->psz;
	struct iovec iov;
	int ofd, ring, i;
	char *p;

	ofd = test_shm_create(self->name, psz, NULL);
	p = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0);
	p[0] = 1;
	ring = syscall(__NR_io_uring_setup, 1, &params);
	/* No io_uring (ENOSYS), or kernel.io_uring_disabled (EPERM). */
	if (ring < 0 && (errno == ENOSYS || errno == EPERM)) {
		int err = errno;

		munmap(p, psz);
		close(ofd);
		SKIP(return, "io_uring_setup: %s", strerror(err));
	}
	ASSERT_LE(0, ring) TH_LOG("io_uring_setup: %s", strerror(errno));
	iov.iov_base = p;
	iov.iov_len = psz;
	/*
	 * 6.1 refuses to pin pages of a mapping whose file is not plain
	 * shmem, with EOPNOTSUPP; any other error is one of ours.
	 */
	if (syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS,
		    &iov, 1)) {
		int err = errno;

		close(ring);
		munmap(p, psz);
		close(ofd);
		ASSERT_EQ(EOPNOTSUPP, err)
			TH_LOG("io_uring could not pin region pages: %s",
			       strerror(err));
		SKIP(return, "io_uring cannot pin region pages here: %s",
		     strerror(err));
	}
	ASSERT_EQ(0, munmap(p, psz));

	test_err_shm_seal(EBUSY, ofd, KIPC_SEAL_WRITE);
	ASSERT_EQ(0U, test_seals(ofd));

	/* The ring lets go of its buffers in deferred work: allow 5 s. */
	close(ring);
	for (i = 0; i < 500; i++) {
		if (!_test_cmd_shm_seal(ofd, KIPC_SEAL_WRITE, NULL))
			break;
		ASSERT_EQ(EBUSY, errno);
		usleep(10000);
	}
	ASSERT_EQ((__u32)KIPC_SEAL_WRITE, test_seals(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/*
 * As with memfd, a read-only shared mapping of an fd open for writing may
 * be made writable by mprotect(), so it counts as one that may write.
 */
TEST_F(seal, write_busy_while_readonly_mapping_of_rw_fd)
{
	long psz = self->psz;
	int ofd;
	char *p;

	ofd = test_shm_create(self->name, psz, NULL);
	p = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
	test_err_shm_seal(EBUSY, ofd, KIPC_SEAL_WRITE);
	ASSERT_EQ(0, munmap(p, psz));
	test_ioctl_shm_seal(ofd, KIPC_SEAL_WRITE);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* Mappings that can never write do not stand in the way, and keep working. */
TEST_F(seal, write_ok_with_mappings_that_cannot_write)
{
	long psz = self->psz;
	int ofd, rfd;
	char *r, *v;

	ofd = test_shm_create(self->name, psz, NULL);
	r = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0);
	kipc_fill(r, psz, 1);
	ASSERT_EQ(0, munmap(r, psz));

	rfd = test_shm_reopen(self->name, KIPC_OPEN_READ);
	r = test_shm_mmap(rfd, psz, PROT_READ, MAP_SHARED, 0);
	v = test_shm_mmap(ofd, psz, RW, MAP_PRIVATE, 0);
	v[0] = 2;
	test_ioctl_shm_seal(ofd, KIPC_SEAL_WRITE);
	ASSERT_EQ(-1, kipc_check(r, psz, 1));
	v[1] = 2;
	ASSERT_EQ(2, v[0]);
	ASSERT_EQ(-1, kipc_check(r, psz, 1));
	ASSERT_EQ(0, munmap(v, psz));
	ASSERT_EQ(0, munmap(r, psz));
	close(rfd);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/*
 * Once sealed: no shared mapping may write, now or by mprotect() later;
 * read-only and private mappings work, and the data never changes.
 */
TEST_F(seal, write_sealed_region)
{
	long psz = self->psz;
	char *p, *r, *v;
	pid_t pid;
	int ofd;

	ofd = test_shm_create(self->name, psz, NULL);
	p = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0);
	kipc_fill(p, psz, 3);
	ASSERT_EQ(0, munmap(p, psz));
	test_ioctl_shm_seal(ofd, KIPC_SEAL_WRITE);

	test_err_shm_mmap(EPERM, ofd, psz, RW, MAP_SHARED, 0);
	test_err_shm_mmap(EPERM, ofd, psz, PROT_WRITE, MAP_SHARED, 0);
	r = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
	ASSERT_EQ(-1, kipc_check(r, psz, 3));
	EXPECT_ERRNO(EACCES, mprotect(r, psz, RW));
	ASSERT_EQ(SIGSEGV, test_probe_write(r));

	v = test_shm_mmap(ofd, psz, RW, MAP_PRIVATE, 0);
	kipc_fill(v, psz, 4);
	ASSERT_EQ(-1, kipc_check(r, psz, 3));

	/* The same in another process, through the same fd. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		test_err_shm_mmap(EPERM, ofd, psz, RW, MAP_SHARED, 0);
		ASSERT_EQ(-1, kipc_check(r, psz, 3));
		_exit(0);
	}
	test_wait_child(pid);

	/* Resizing is another matter: only the size seals govern it. */
	test_ioctl_shm_resize(ofd, 2 * psz);
	ASSERT_EQ(-1, kipc_check(r, psz, 3));
	ASSERT_EQ(0, munmap(v, psz));
	ASSERT_EQ(0, munmap(r, psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* A mapping inherited by a child counts until the child drops it. */
TEST_F(seal, write_busy_while_child_maps)
{
	long psz = self->psz;
	int ofd, to_child[2], to_parent[2];
	pid_t pid;
	char *p;

	ofd = test_shm_create(self->name, psz, NULL);
	p = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0);
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(to_parent));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		test_sync_write(to_parent[1]);
		test_sync_read(to_child[0]);
		p[0] = 'c';
		_exit(0);
	}
	test_sync_read(to_parent[0]);
	ASSERT_EQ(0, munmap(p, psz));
	test_err_shm_seal(EBUSY, ofd, KIPC_SEAL_WRITE);
	test_sync_write(to_child[1]);
	test_wait_child(pid);
	test_ioctl_shm_seal(ofd, KIPC_SEAL_WRITE);
	p = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
	ASSERT_EQ('c', p[0]);
	ASSERT_EQ(0, munmap(p, psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
}

/* Split and moved mappings are counted each, and released each. */
TEST_F(seal, write_busy_split_and_moved_mappings)
{
	long psz = self->psz;
	char *p, *q, *dst;
	int ofd;

	ofd = test_shm_create(self->name, 4 * psz, NULL);
	p = test_shm_mmap(ofd, 4 * psz, RW, MAP_SHARED, 0);
	dst = mmap(NULL, 2 * psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		   0);
	ASSERT_NE(MAP_FAILED, dst);
	ASSERT_EQ(0, mprotect(p + psz, psz, PROT_READ));
	ASSERT_EQ(0, munmap(p, psz));
	test_err_shm_seal(EBUSY, ofd, KIPC_SEAL_WRITE);
	q = mremap(p + 2 * psz, 2 * psz, 2 * psz, MREMAP_MAYMOVE |
		   MREMAP_FIXED, dst);
	ASSERT_EQ(dst, q);
	test_err_shm_seal(EBUSY, ofd, KIPC_SEAL_WRITE);
	ASSERT_EQ(0, munmap(q, psz));
	test_err_shm_seal(EBUSY, ofd, KIPC_SEAL_WRITE);
	ASSERT_EQ(0, munmap(q + psz, psz));
	test_err_shm_seal(EBUSY, ofd, KIPC_SEAL_WRITE);
	ASSERT_EQ(0, munmap(p + psz, psz));
	ASSERT_EQ(0U, test_shm_stat(ofd, out_nattch));
	test_ioctl_shm_seal(ofd, KIPC_SEAL_WRITE);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* --- KIPC_SEAL_FUTURE_WRITE ------------------------------------------------- */

/*
 * Writable mappings that exist keep writing; no new shared mapping may write.
 * KIPC_SEAL_WRITE is still refused while the old ones exist.
 */
TEST_F(seal, future_write)
{
	long psz = self->psz;
	char *p, *r, *v;
	pid_t pid;
	int ofd;

	ofd = test_shm_create(self->name, psz, NULL);
	p = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0);
	kipc_fill(p, psz, 5);
	test_ioctl_shm_seal(ofd, KIPC_SEAL_FUTURE_WRITE);

	kipc_fill(p, psz, 6);
	r = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
	ASSERT_EQ(-1, kipc_check(r, psz, 6));
	EXPECT_ERRNO(EACCES, mprotect(r, psz, RW));
	test_err_shm_mmap(EPERM, ofd, psz, RW, MAP_SHARED, 0);
	v = test_shm_mmap(ofd, psz, RW, MAP_PRIVATE, 0);
	v[0] = 0;
	ASSERT_EQ(-1, kipc_check(r, psz, 6));

	/* A child inherits the old writable mapping, and it still writes. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		kipc_fill(p, psz, 7);
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_EQ(-1, kipc_check(r, psz, 7));

	test_err_shm_seal(EBUSY, ofd, KIPC_SEAL_WRITE);
	ASSERT_EQ(0, munmap(p, psz));
	ASSERT_EQ((__u32)(KIPC_SEAL_FUTURE_WRITE | KIPC_SEAL_WRITE),
		  test_ioctl_shm_seal(ofd, KIPC_SEAL_WRITE));
	ASSERT_EQ(0, munmap(v, psz));
	ASSERT_EQ(0, munmap(r, psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/*
 * A MAP_FIXED mmap() that the seal refuses, over an old writable mapping:
 * the old one is gone all the same (the kernel unmaps it first), and with
 * it its count, so KIPC_SEAL_WRITE is possible afterwards.
 */
TEST_F(seal, refused_map_fixed_releases_old_mapping)
{
	long psz = self->psz;
	int ofd;
	char *p;

	ofd = test_shm_create(self->name, psz, NULL);
	p = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0);
	test_ioctl_shm_seal(ofd, KIPC_SEAL_FUTURE_WRITE);
	ASSERT_EQ(MAP_FAILED, mmap(p, psz, RW, MAP_SHARED | MAP_FIXED, ofd, 0));
	ASSERT_EQ(EPERM, errno);
	ASSERT_EQ(0U, test_shm_stat(ofd, out_nattch));
	ASSERT_EQ(SIGSEGV, test_probe_read(p));
	test_ioctl_shm_seal(ofd, KIPC_SEAL_WRITE);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* --- KIPC_SEAL_SEAL, accumulation, bad requests -------------------------- */

TEST_F(seal, seal_seal)
{
	static const __u32 more[] = {
		KIPC_SEAL_SHRINK, KIPC_SEAL_GROW, KIPC_SEAL_WRITE,
		KIPC_SEAL_FUTURE_WRITE, KIPC_SEAL_SEAL, KIPC_SEAL_ALL,
	};
	long psz = self->psz;
	unsigned int i;
	int ofd;

	ofd = test_shm_create(self->name, psz, NULL);
	test_ioctl_shm_seal(ofd, KIPC_SEAL_SEAL | KIPC_SEAL_SHRINK);
	for (i = 0; i < ARRAY_SIZE(more); i++)
		test_err_shm_seal(EPERM, ofd, more[i]);
	ASSERT_EQ((__u32)(KIPC_SEAL_SEAL | KIPC_SEAL_SHRINK), test_seals(ofd));
	/* What is not sealed still works. */
	test_ioctl_shm_resize(ofd, 2 * psz);
	test_err_shm_resize(EPERM, ofd, psz);
	ASSERT_EQ(0, munmap(test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0), psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* Seals only accumulate, and every fd of the region sees the same ones. */
TEST_F(seal, seals_accumulate)
{
	long psz = self->psz;
	int ofd, rfd;
	__u32 s;

	ofd = test_shm_create(self->name, psz, NULL);
	ASSERT_EQ(0U, test_seals(ofd));
	s = test_ioctl_shm_seal(ofd, KIPC_SEAL_SHRINK);
	ASSERT_EQ((__u32)KIPC_SEAL_SHRINK, s);
	s = test_ioctl_shm_seal(ofd, KIPC_SEAL_GROW);
	ASSERT_EQ((__u32)(KIPC_SEAL_SHRINK | KIPC_SEAL_GROW), s);
	/* Setting one again, or reading, takes nothing away. */
	s = test_ioctl_shm_seal(ofd, KIPC_SEAL_SHRINK);
	ASSERT_EQ((__u32)(KIPC_SEAL_SHRINK | KIPC_SEAL_GROW), s);
	ASSERT_EQ(s, test_seals(ofd));

	rfd = test_shm_reopen(self->name, KIPC_OPEN_READ);
	ASSERT_EQ(s, test_seals(rfd));
	s = test_ioctl_shm_seal(ofd, KIPC_SEAL_FUTURE_WRITE);
	ASSERT_EQ(s, test_seals(rfd));
	ASSERT_EQ((__u32)(KIPC_SEAL_SHRINK | KIPC_SEAL_GROW |
			  KIPC_SEAL_FUTURE_WRITE), s);
	close(ofd);
	close(rfd);

	/* The seals belong to the region, not to an fd. */
	ofd = test_shm_reopen(self->name, KIPC_RW);
	ASSERT_EQ(s, test_seals(ofd));
	ASSERT_EQ(KIPC_SEAL_ALL, (int)test_ioctl_shm_seal(ofd, KIPC_SEAL_ALL));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

TEST_F(seal, unknown_bits)
{
	static const __u32 bad[] = {
		0x20, 0x40, 1U << 31, KIPC_SEAL_ALL | 0x20,
		KIPC_SEAL_GROW | 0x100, ~0U,
	};
	unsigned int i;
	int ofd;

	ofd = test_shm_create(self->name, self->psz, NULL);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		test_err_shm_seal(EINVAL, ofd, bad[i]);
	ASSERT_EQ(0U, test_seals(ofd));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* Sealing needs write access; reading the seals does not. */
TEST_F(seal, readonly_fd)
{
	static const __u32 seals[] = {
		KIPC_SEAL_SEAL, KIPC_SEAL_SHRINK, KIPC_SEAL_GROW,
		KIPC_SEAL_WRITE, KIPC_SEAL_FUTURE_WRITE, KIPC_SEAL_ALL,
	};
	unsigned int i;
	int ofd, rfd;

	ofd = test_shm_create(self->name, self->psz, NULL);
	test_ioctl_shm_seal(ofd, KIPC_SEAL_GROW);
	rfd = test_shm_reopen(self->name, KIPC_OPEN_READ);
	for (i = 0; i < ARRAY_SIZE(seals); i++)
		test_err_shm_seal(EBADF, rfd, seals[i]);
	ASSERT_EQ((__u32)KIPC_SEAL_GROW, test_seals(rfd));
	close(rfd);
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* All at once on a region nobody maps: nothing can change it any more. */
TEST_F(seal, all)
{
	long psz = self->psz;
	char *r;
	int ofd;

	ofd = test_shm_create(self->name, psz, NULL);
	ASSERT_EQ((__u32)KIPC_SEAL_ALL, test_ioctl_shm_seal(ofd, KIPC_SEAL_ALL));
	test_err_shm_resize(EPERM, ofd, 2 * psz);
	test_err_shm_resize(EPERM, ofd, 1);
	test_err_shm_mmap(EPERM, ofd, psz, RW, MAP_SHARED, 0);
	test_err_shm_seal(EPERM, ofd, KIPC_SEAL_GROW);
	r = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
	ASSERT_EQ(0, r[0]);
	ASSERT_EQ(0, munmap(r, psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/* The libkipc wrappers report the same, as -errno. */
TEST_F(seal, libkipc_calls)
{
	long psz = self->psz;
	struct kipc_shm_stat st;
	size_t len = 0;
	void *p = NULL;
	int ofd;

	ofd = kipc_shm_open(self->name, KIPC_NEW, 0600, 2 * psz + 1);
	ASSERT_LE(0, ofd);
	ASSERT_EQ(0, kipc_shm_map(ofd, RW, &p, &len));
	ASSERT_EQ((size_t)(2 * psz + 1), len);
	ASSERT_EQ(-EBUSY, kipc_shm_seal(ofd, KIPC_SEAL_WRITE));
	ASSERT_EQ(-EINVAL, kipc_shm_seal(ofd, 0x20));
	ASSERT_EQ(0, kipc_shm_seal(ofd, KIPC_SEAL_GROW));
	ASSERT_EQ(KIPC_SEAL_GROW, kipc_shm_get_seals(ofd));
	ASSERT_EQ(-EPERM, kipc_shm_resize(ofd, 4 * psz));
	ASSERT_EQ(0, kipc_shm_resize(ofd, psz));
	ASSERT_EQ(0, kipc_shm_stat(ofd, &st));
	ASSERT_EQ((__u64)psz, st.out_size);
	ASSERT_EQ(1U, st.out_nattch);
	ASSERT_EQ(0, kipc_shm_unmap(p, len));
	ASSERT_EQ(0, kipc_shm_seal(ofd, KIPC_SEAL_WRITE));
	ASSERT_EQ(-EPERM, kipc_shm_map(ofd, RW, &p, &len));
	ASSERT_EQ(0, kipc_shm_map(ofd, PROT_READ, &p, &len));
	ASSERT_EQ((size_t)psz, len);
	ASSERT_EQ(0, kipc_shm_unmap(p, len));
	close(ofd);
	ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SHM, self->name));
}

/* --- races ----------------------------------------------------------------- */

/*
 * KIPC_IOC_SHM_SEAL writes its answer back to user memory, which may fault
 * and need mmap_lock. mmap() holds mmap_lock while it checks the seals. If
 * the copy-out happened under the region's lock, the two would deadlock:
 * a seal call faulting on its struct while another thread of the process
 * maps the region. userfaultfd holds the copy-out's fault open so that the
 * other thread's mmap() surely comes in between.
 */
struct copyout_race {
	int ofd;
	long psz;
	struct kipc_shm_seal *cmd;
	int seal_ret;
	int seal_errno;
	void *map;
	int map_errno;
	int map_done;
};

static void *copyout_seal_thread(void *arg)
{
	struct copyout_race *r = arg;

	r->seal_ret = ioctl(r->ofd, KIPC_IOC_SHM_SEAL, r->cmd);
	r->seal_errno = errno;
	return NULL;
}

static void *copyout_mmap_thread(void *arg)
{
	struct copyout_race *r = arg;

	r->map = mmap(NULL, r->psz, PROT_READ, MAP_SHARED, r->ofd, 0);
	r->map_errno = errno;
	__atomic_store_n(&r->map_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int uffd_writeprotect(int uffd, void *addr, size_t len, bool wp)
{
	struct uffdio_writeprotect w = {
		.range = { .start = (uintptr_t)addr, .len = len },
		.mode = wp ? UFFDIO_WRITEPROTECT_MODE_WP : 0,
	};

	return ioctl(uffd, UFFDIO_WRITEPROTECT, &w);
}

/* How the child of copyout_fault_does_not_block_mmap ends. */
enum {
	COPYOUT_OK,
	COPYOUT_SKIP,
	COPYOUT_SETUP_FAILED,
	COPYOUT_MMAP_BLOCKED,
	COPYOUT_MMAP_FAILED,
	COPYOUT_SEAL_FAILED,
};

/*
 * Runs in a child of its own: if mmap() does wait, the child is left with
 * two threads that would deadlock once the fault goes on, and only its
 * _exit() (which kills them) ends that cleanly. So no ASSERT once the
 * threads run: the harness would go on in this process after it.
 */
static int copyout_race(int ofd, long psz)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };
	struct copyout_race r = { 0 };
	pthread_t seal_thr, mmap_thr;
	struct uffd_msg msg;
	struct pollfd pfd;
	int uffd, i;
	char *buf;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		return COPYOUT_SKIP;
	if (ioctl(uffd, UFFDIO_API, &api))
		return COPYOUT_SETUP_FAILED;
	if (!(api.features & UFFD_FEATURE_PAGEFAULT_FLAG_WP))
		return COPYOUT_SKIP;

	r.ofd = ofd;
	r.psz = psz;
	buf = mmap(NULL, psz, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return COPYOUT_SETUP_FAILED;
	r.cmd = (struct kipc_shm_seal *)buf;
	r.cmd->size = sizeof(*r.cmd);
	r.cmd->out_seals = 0xdead;
	reg.range.start = (uintptr_t)buf;
	reg.range.len = psz;
	reg.mode = UFFDIO_REGISTER_MODE_WP;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) ||
	    uffd_writeprotect(uffd, buf, psz, true))
		return COPYOUT_SETUP_FAILED;

	/* The seal call reads its struct, then faults writing the answer. */
	if (pthread_create(&seal_thr, NULL, copyout_seal_thread, &r))
		return COPYOUT_SETUP_FAILED;
	pfd.fd = uffd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 10000) != 1 ||
	    read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT ||
	    !(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP))
		_exit(COPYOUT_SETUP_FAILED);

	/* While it waits, another thread maps the region. */
	if (pthread_create(&mmap_thr, NULL, copyout_mmap_thread, &r))
		_exit(COPYOUT_SETUP_FAILED);
	for (i = 0; i < 5000; i++) {
		if (__atomic_load_n(&r.map_done, __ATOMIC_ACQUIRE))
			break;
		usleep(1000);
	}
	if (!__atomic_load_n(&r.map_done, __ATOMIC_ACQUIRE))
		_exit(COPYOUT_MMAP_BLOCKED);
	pthread_join(mmap_thr, NULL);
	if (r.map == MAP_FAILED)
		_exit(COPYOUT_MMAP_FAILED);

	/* Let the fault go on; the seal call completes. */
	if (uffd_writeprotect(uffd, buf, psz, false))
		_exit(COPYOUT_SETUP_FAILED);
	pthread_join(seal_thr, NULL);
	if (r.seal_ret || r.cmd->out_seals)
		_exit(COPYOUT_SEAL_FAILED);
	munmap(r.map, psz);
	munmap(buf, psz);
	close(uffd);
	return COPYOUT_OK;
}

TEST_F(seal, copyout_fault_does_not_block_mmap)
{
	long psz = self->psz;
	int ofd, status, i;
	pid_t pid, w;

	ofd = test_shm_create(self->name, psz, NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(copyout_race(ofd, psz));
	for (i = 0; i < 20000; i++) {
		w = waitpid(pid, &status, WNOHANG);
		if (w)
			break;
		usleep(1000);
	}
	if (!w) {
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
	}
	ASSERT_EQ(pid, w) TH_LOG("the seal call and mmap() hang");
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == COPYOUT_SKIP)
		SKIP(goto out, "no userfaultfd write-protect");
	EXPECT_NE(COPYOUT_MMAP_BLOCKED, WEXITSTATUS(status))
		TH_LOG("mmap() waits for a seal call that faults on its answer");
	ASSERT_EQ(COPYOUT_OK, WEXITSTATUS(status));
	ASSERT_EQ(0U, test_shm_stat(ofd, out_nattch));
out:
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/*
 * Sealing against processes that map, write and unmap in a loop: the seal
 * lands between two of their mappings, and after it no write reaches the
 * region. Each mapper stops at its first EPERM.
 */
#define RACE_MAPPERS	2
#define RACE_SECONDS	20

TEST_F(seal, write_seal_races_mappers)
{
	long psz = self->psz;
	pid_t pid[RACE_MAPPERS];
	__u64 before, after;
	int ofd, i, ret, started[2];
	time_t start;
	char *r;

	ofd = test_shm_create(self->name, psz, NULL);
	ASSERT_EQ(0, pipe(started));
	for (i = 0; i < RACE_MAPPERS; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0) {
			time_t t0 = time(NULL);

			while (time(NULL) - t0 < RACE_SECONDS) {
				__u64 *c = mmap(NULL, psz, RW, MAP_SHARED, ofd,
						0);

				if (c == MAP_FAILED) {
					ASSERT_EQ(EPERM, errno);
					_exit(0);
				}
				/* Tell the parent once that mapping works. */
				if (__atomic_add_fetch(&c[i], 1,
						       __ATOMIC_RELAXED) == 1)
					test_sync_write(started[1]);
				ASSERT_EQ(0, munmap(c, psz));
			}
			TH_LOG("mapper %d never saw the seal", i);
			_exit(1);
		}
	}

	for (i = 0; i < RACE_MAPPERS; i++)
		test_sync_read(started[0]);
	start = time(NULL);
	do {
		ret = _test_cmd_shm_seal(ofd, KIPC_SEAL_WRITE, NULL);
		if (ret)
			ASSERT_EQ(EBUSY, errno);
	} while (ret && time(NULL) - start < RACE_SECONDS);
	ASSERT_EQ(0, ret) TH_LOG("the seal never got in");

	r = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
	before = ((__u64 *)r)[0] + ((__u64 *)r)[1];
	for (i = 0; i < RACE_MAPPERS; i++)
		test_wait_child(pid[i]);
	after = ((__u64 *)r)[0] + ((__u64 *)r)[1];
	ASSERT_EQ(before, after);
	ASSERT_LT(0ULL, before);
	ASSERT_EQ(1U, test_shm_stat(ofd, out_nattch));
	ASSERT_EQ(0, munmap(r, psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	close(started[0]);
	close(started[1]);
}

TEST_HARNESS_MAIN
