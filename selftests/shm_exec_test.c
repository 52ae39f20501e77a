// SPDX-License-Identifier: GPL-2.0-only
/*
 * Regions are not executable unless created with KIPC_SHM_EXEC, as a memfd
 * made with MFD_NOEXEC_SEAL: otherwise a region would carry code past a
 * noexec /dev/shm and vm.memfd_noexec. mmap() with PROT_EXEC gives EPERM,
 * mprotect() to PROT_EXEC gives EACCES; KIPC_SHM_EXEC is refused with
 * EACCES where vm.memfd_noexec is 2, as MFD_EXEC is.
 */
#include <sys/wait.h>

#include "kipc_test.h"

#define MEMFD_NOEXEC	"/proc/sys/vm/memfd_noexec"

FIXTURE(shm_exec) {
	int fd;
	long psz;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(shm_exec)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->psz = sysconf(_SC_PAGESIZE);
	test_name(self->name, "shmexec");
}

FIXTURE_TEARDOWN(shm_exec)
{
	char n[KIPC_NAME_MAX + 16];

	/* Also what a failed test made (a refusal that did not happen). */
	_test_cmd_unlink(self->fd, KIPC_OBJ_SHM, self->name);
	snprintf(n, sizeof(n), "%s.sub", self->name);
	_test_cmd_unlink(self->fd, KIPC_OBJ_SHM, n);
	close(self->fd);
}

static int shm_create_flags(int fd, const char *name, __u64 size, __u32 flags,
			    __u32 reserved)
{
	union kipc_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.shm.size = size;
	attr.shm.flags = flags;
	attr.shm.__reserved = reserved;
	return _test_cmd_open(fd, KIPC_OBJ_SHM, name, KIPC_NEW, 0600, &attr,
			      NULL, NULL);
}

/* The flags KIPC_IOC_INFO reports for the region behind @ofd. */
#define test_shm_flags(_ofd)						\
	({								\
		struct kipc_info __info;				\
		test_ioctl_info(_ofd, &__info);				\
		__info.out_attr.shm.flags;				\
	})

/* Write a function that returns 42 at @p; 0, or -1 on an unknown arch. */
static int put_code(void *p)
{
#if defined(__x86_64__) || defined(__i386__)
	/* mov $42, %eax; ret */
	static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
#elif defined(__aarch64__)
	/* mov w0, #42; ret */
	static const unsigned int code[] = { 0x52800540, 0xd65f03c0 };
#else
	static const unsigned char code[1];

	return -1;
#endif
	memcpy(p, code, sizeof(code));
	__builtin___clear_cache((char *)p, (char *)p + sizeof(code));
	return 0;
}

/* A region made without the flag can be mapped, but never executed. */
TEST_F(shm_exec, default_not_executable)
{
	long psz = self->psz;
	int ofd = test_shm_create(self->name, psz, NULL);
	char *p;

	ASSERT_EQ(0U, test_shm_flags(ofd));
	test_err_shm_mmap(EPERM, ofd, psz, PROT_READ | PROT_EXEC, MAP_SHARED,
			  0);
	test_err_shm_mmap(EPERM, ofd, psz, PROT_READ | PROT_EXEC, MAP_PRIVATE,
			  0);
	test_err_shm_mmap(EPERM, ofd, psz, PROT_EXEC, MAP_SHARED, 0);

	/* Nor can a mapping become executable later. */
	p = test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
	EXPECT_EQ(-1, mprotect(p, psz, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	ASSERT_EQ(0, munmap(p, psz));
	p = test_shm_mmap(ofd, psz, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	EXPECT_EQ(-1, mprotect(p, psz, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	ASSERT_EQ(0, munmap(p, psz));

	/* Reading and writing are untouched. */
	p = test_shm_mmap(ofd, psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	p[0] = 1;
	ASSERT_EQ(0, munmap(p, psz));
	close(ofd);
}

/* With KIPC_SHM_EXEC, code written through one mapping runs from another. */
TEST_F(shm_exec, exec_flag_allows)
{
	long psz = self->psz;
	int (*fn)(void);
	char *w, *x;
	int ofd, rfd;

	ofd = shm_create_flags(self->fd, self->name, psz, KIPC_SHM_EXEC, 0);
	ASSERT_LE(0, ofd) TH_LOG("create: %s", strerror(errno));
	ASSERT_EQ(KIPC_SHM_EXEC, test_shm_flags(ofd));

	w = test_shm_mmap(ofd, psz, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	/* The flag belongs to the region: any opener gets it. */
	rfd = _test_cmd_open(self->fd, KIPC_OBJ_SHM, self->name,
			     KIPC_OPEN_READ, 0, NULL, NULL, NULL);
	ASSERT_LE(0, rfd);
	ASSERT_EQ(KIPC_SHM_EXEC, test_shm_flags(rfd));
	x = test_shm_mmap(rfd, psz, PROT_READ | PROT_EXEC, MAP_SHARED, 0);
	if (put_code(w) == 0) {
		fn = (int (*)(void))(void *)x;
		ASSERT_EQ(42, fn());
	} else {
		TH_LOG("no code for this architecture: mapping only");
	}
	ASSERT_EQ(0, munmap(x, psz));
	x = test_shm_mmap(rfd, psz, PROT_READ, MAP_SHARED, 0);
	ASSERT_EQ(0, mprotect(x, psz, PROT_READ | PROT_EXEC));
	ASSERT_EQ(0, munmap(x, psz));
	ASSERT_EQ(0, munmap(w, psz));
	close(rfd);
	close(ofd);
}

/* Unknown flags and a non-zero __reserved: EOPNOTSUPP, and nothing made. */
TEST_F(shm_exec, unknown_flags)
{
	unsigned int bit;

	for (bit = 1; bit < 32; bit++) {
		int ofd = shm_create_flags(self->fd, self->name, self->psz,
					   1U << bit, 0);

		EXPECT_EQ(-1, ofd);
		if (ofd >= 0) {
			close(ofd);
			_test_cmd_unlink(self->fd, KIPC_OBJ_SHM, self->name);
		} else {
			EXPECT_EQ(EOPNOTSUPP, errno);
		}
	}
	EXPECT_ERRNO(EOPNOTSUPP, shm_create_flags(self->fd, self->name,
						  self->psz, 0, 1));
	EXPECT_ERRNO(EOPNOTSUPP,
		     shm_create_flags(self->fd, self->name, self->psz,
				      KIPC_SHM_EXEC, 1));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SHM, self->name));
}

/*
 * vm.memfd_noexec = 2 refuses KIPC_SHM_EXEC (EACCES) in that pid namespace
 * and below it, and leaves plain regions alone. The sysctl is per pid
 * namespace, so the test sets it in a new one and the guest keeps its own.
 */
TEST_F(shm_exec, memfd_noexec_enforced)
{
	long psz = self->psz;
	pid_t pid;
	int ofd;

	if (access(MEMFD_NOEXEC, W_OK))
		SKIP(return, "no %s (a kernel before 6.3): nothing to honour",
		     MEMFD_NOEXEC);
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		pid_t child;
		int fd;

		fd = open(MEMFD_NOEXEC, O_WRONLY);
		ASSERT_LE(0, fd);
		ASSERT_EQ(1, write(fd, "2", 1));
		close(fd);
		EXPECT_ERRNO(EACCES, shm_create_flags(self->fd, self->name,
						      psz, KIPC_SHM_EXEC, 0));
		ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SHM, self->name));
		/* A region without the flag is still fine. */
		close(test_shm_create(self->name, psz, NULL));
		test_ioctl_unlink(KIPC_OBJ_SHM, self->name);

		/* A namespace below inherits the refusal. */
		ASSERT_EQ(0, unshare(CLONE_NEWPID));
		child = fork();
		ASSERT_LE(0, child);
		if (child == 0) {
			snprintf(n, sizeof(n), "%s.sub", self->name);
			EXPECT_ERRNO(EACCES,
				     shm_create_flags(self->fd, n, psz,
						      KIPC_SHM_EXEC, 0));
			_exit(0);
		}
		test_wait_child(child);
		_exit(0);
	}
	test_wait_child(pid);

	/* The namespace above is untouched. */
	ofd = shm_create_flags(self->fd, self->name, psz, KIPC_SHM_EXEC, 0);
	ASSERT_LE(0, ofd) TH_LOG("create: %s", strerror(errno));
	close(ofd);
}

TEST_HARNESS_MAIN
