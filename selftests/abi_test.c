// SPDX-License-Identifier: GPL-2.0-only
/*
 * What libkipc promises its callers, beyond what each call does:
 *
 *  - A call that fills in an extensible structure writes no more than the
 *    caller's size of it. A caller built against a shorter structure (an
 *    older header) or a longer one (a newer header) is emulated by a buffer
 *    of that size followed by a canary, which must survive the call.
 *  - The LIBKIPC_0.1 symbols without a size, which binaries linked before
 *    LIBKIPC_0.2 call, fill in exactly the first version of each structure.
 *  - No function changes errno, whether it succeeds or fails.
 *  - A NULL deadline, absolute or relative, waits for ever in every timed
 *    call: a signal without SA_RESTART must be what ends the wait.
 */
#include <dlfcn.h>
#include <sys/time.h>

#include "kipc_test.h"
#include "kipc-rpc.h"

#define CANARY		0xa5
/* Bytes a caller's structure may have beyond this header's. */
#define ABI_TAIL_MAX	64
/* Not an errno of any call: a call that sets errno cannot leave it. */
#define ERRNO_SENTINEL	0x7e57

/* --- callers of every size --------------------------------------------- */

/* The objects whose fds the calls take; none for kipc_version_sized(). */
enum { ABI_NO_FD, ABI_MQ, ABI_SHM, ABI_SEM, ABI_NR_FDS };

/* One call that fills in a structure, as the variants below describe it. */
struct abi_call {
	/* The *_sized function, called with the fd of the object @obj. */
	int (*sized)(int fd, void *st, size_t size);
	int obj;
	/* Its LIBKIPC_0.1 name, which takes no size. */
	const char *sym;
};

static int version_sized(int fd, void *st, size_t size)
{
	return kipc_version_sized(st, size);
}

static int info_sized(int fd, void *st, size_t size)
{
	return kipc_info_sized(fd, st, size);
}

static int mq_getattr_sized(int fd, void *st, size_t size)
{
	return kipc_mq_getattr_sized(fd, st, size);
}

static int shm_stat_sized(int fd, void *st, size_t size)
{
	return kipc_shm_stat_sized(fd, st, size);
}

static int sem_get_sized(int fd, void *st, size_t size)
{
	return kipc_sem_get_sized(fd, st, size);
}

static void *abi_sym_0_1(const char *sym)
{
	return dlvsym(RTLD_DEFAULT, sym, "LIBKIPC_0.1");
}

/* The LIBKIPC_0.1 function: (st) for the version, else (fd, st). */
static int abi_call_0_1(const struct abi_call *call, int fd, void *st)
{
	int (*fd_fn)(int fd, void *st) = abi_sym_0_1(call->sym);
	int (*fn)(void *st) = abi_sym_0_1(call->sym);

	if (!fn)
		return -ENOSYS;
	return call->obj == ABI_NO_FD ? fn(st) : fd_fn(fd, st);
}

FIXTURE(abi)
{
	int fds[ABI_NR_FDS];
	char mq_name[128];
	char shm_name[128];
	char sem_name[128];
};

/*
 * @ver0: the first version's size, the kernel's smallest (its table's
 * offsetofend() of the last field); @cur: this header's.
 */
FIXTURE_VARIANT(abi)
{
	struct abi_call call;
	size_t ver0;
	size_t cur;
};

#define ABI_VARIANT(_name, _obj, _type, _last)			\
	FIXTURE_VARIANT_ADD(abi, _name)					\
	{								\
		.call = { _name##_sized, _obj, "kipc_" #_name },	\
		.ver0 = offsetofend(struct _type, _last),		\
		.cur = sizeof(struct _type),				\
	}

ABI_VARIANT(version, ABI_NO_FD, kipc_version, out_shm_max_size);
ABI_VARIANT(info, ABI_MQ, kipc_info, out_name);
ABI_VARIANT(mq_getattr, ABI_MQ, kipc_mq_getattr, out_bytes);
ABI_VARIANT(shm_stat, ABI_SHM, kipc_shm_stat, out_state);
ABI_VARIANT(sem_get, ABI_SEM, kipc_sem_get, out_undo);

/* The fd the variant's call takes, in a TEST_F. */
#define ABI_FD	(self->fds[variant->call.obj])

FIXTURE_SETUP(abi)
{
	self->fds[ABI_NO_FD] = -1;
	test_name(self->mq_name, "mq");
	test_name(self->shm_name, "shm");
	test_name(self->sem_name, "sem");
	self->fds[ABI_MQ] = kipc_mq_open(self->mq_name,
					 KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600,
					 4, 64);
	ASSERT_LE(0, self->fds[ABI_MQ]);
	self->fds[ABI_SHM] = kipc_shm_open(self->shm_name,
					   KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600,
					   8192);
	ASSERT_LE(0, self->fds[ABI_SHM]);
	self->fds[ABI_SEM] = kipc_sem_open(self->sem_name,
					   KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600,
					   3);
	ASSERT_LE(0, self->fds[ABI_SEM]);
}

FIXTURE_TEARDOWN(abi)
{
	kipc_unlink(KIPC_OBJ_MQ, self->mq_name);
	kipc_unlink(KIPC_OBJ_SHM, self->shm_name);
	kipc_unlink(KIPC_OBJ_SEM, self->sem_name);
	close(self->fds[ABI_MQ]);
	close(self->fds[ABI_SHM]);
	close(self->fds[ABI_SEM]);
}

/* A caller's structure of up to cur + ABI_TAIL_MAX bytes, then a canary. */
struct abi_buf {
	union {
		__u64 align;
		unsigned char b[512 + ABI_TAIL_MAX + 64];
	};
};

/* How many bytes from @from on are not the canary. */
static size_t abi_spoiled(const struct abi_buf *buf, size_t from)
{
	size_t i, n = 0;

	for (i = from; i < sizeof(buf->b); i++)
		n += buf->b[i] != CANARY;
	return n;
}

static size_t abi_nonzero(const unsigned char *p, size_t len)
{
	size_t n = 0;

	while (len--)
		n += *p++ != 0;
	return n;
}

/* What the call reports for a caller of this header's size. */
static void abi_reference(struct __test_metadata *_metadata,
			  const FIXTURE_VARIANT(abi) *variant,
			  int fd, struct abi_buf *ref)
{
	ASSERT_GE(sizeof(ref->b), variant->cur + ABI_TAIL_MAX + 64);
	memset(ref->b, CANARY, sizeof(ref->b));
	ASSERT_EQ(0, variant->call.sized(fd, ref->b, variant->cur));
}

/* Shorter than the first version: refused, and nothing is written. */
TEST_F(abi, shorter_than_first_version)
{
	const size_t sizes[] = {
		0, 4, 8, variant->ver0 / 2, variant->ver0 - 8,
		variant->ver0 - 1,
	};
	struct abi_buf buf;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		memset(buf.b, CANARY, sizeof(buf.b));
		EXPECT_EQ(-EINVAL, variant->call.sized(ABI_FD, buf.b,
						       sizes[i]));
		EXPECT_EQ(0UL, abi_spoiled(&buf, 0)) {
			TH_LOG("%s_sized wrote into a %zu-byte structure",
			       variant->call.sym, sizes[i]);
		}
	}
}

/*
 * The first version, this header's and longer ones, as a newer header will
 * have: filled in up to the caller's size and not a byte beyond, the size
 * told to the kernel is the caller's, and what the kernel does not know is 0.
 */
TEST_F(abi, callers_size)
{
	const size_t sizes[] = {
		variant->ver0, variant->cur, variant->cur + 1,
		variant->cur + 8, variant->cur + 13,
		variant->cur + ABI_TAIL_MAX,
	};
	struct abi_buf ref, buf;
	unsigned int i;
	__u32 size;

	abi_reference(_metadata, variant, ABI_FD, &ref);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		memset(buf.b, CANARY, sizeof(buf.b));
		ASSERT_EQ(0, variant->call.sized(ABI_FD, buf.b, sizes[i]));
		EXPECT_EQ(0UL, abi_spoiled(&buf, sizes[i])) {
			TH_LOG("%s_sized wrote past a %zu-byte structure",
			       variant->call.sym, sizes[i]);
		}
		memcpy(&size, buf.b, sizeof(size));
		EXPECT_EQ(sizes[i], size);
		/* Everything after the size the same as for this header. */
		EXPECT_EQ(0, memcmp(buf.b + 4, ref.b + 4,
				    (sizes[i] < variant->cur ?
				     sizes[i] : variant->cur) - 4));
		if (sizes[i] > variant->cur)
			EXPECT_EQ(0UL, abi_nonzero(buf.b + variant->cur,
						 sizes[i] - variant->cur));
	}
}

/*
 * A binary linked against LIBKIPC_0.1 passes no size: it gets the first
 * version of the structure, which is what it was built with.
 */
TEST_F(abi, libkipc_0_1_symbols)
{
	struct abi_buf ref, buf;
	__u32 size;

	ASSERT_NE(NULL, abi_sym_0_1(variant->call.sym));
	abi_reference(_metadata, variant, ABI_FD, &ref);
	memset(buf.b, CANARY, sizeof(buf.b));
	ASSERT_EQ(0, abi_call_0_1(&variant->call, ABI_FD, buf.b));
	EXPECT_EQ(0UL, abi_spoiled(&buf, variant->ver0));
	memcpy(&size, buf.b, sizeof(size));
	EXPECT_EQ(variant->ver0, size);
	EXPECT_EQ(0, memcmp(buf.b + 4, ref.b + 4, variant->ver0 - 4));
}

/* --- errno ------------------------------------------------------------- */

#define EXPECT_KEEPS_ERRNO(_expected, _call)				\
	do {								\
		errno = ERRNO_SENTINEL;					\
		EXPECT_EQ(_expected, _call);				\
		EXPECT_EQ(ERRNO_SENTINEL, errno) {			\
			TH_LOG("%s changed errno", #_call);		\
		}							\
	} while (0)

static ssize_t abi_handler(void *ctx, const void *req, size_t req_len,
			   void *reply, size_t reply_size)
{
	return -ECANCELED;
}

/*
 * Calls that fail in open(), ioctl(), mmap() and munmap(), and calls that
 * succeed through each of them.
 */
TEST(errno_untouched)
{
	struct kipc_rpc_client *client;
	struct kipc_version ver;
	struct kipc_info info;
	struct kipc_shm_stat st;
	char name[128], buf[64];
	void *addr;
	size_t len;
	int qfd, rfd, sfd, ro;

	test_name(name, "errno");
	EXPECT_KEEPS_ERRNO(0, kipc_version(&ver));
	EXPECT_KEEPS_ERRNO(-EINVAL, kipc_version_sized(&ver, 4));
	EXPECT_KEEPS_ERRNO(-ENOENT, kipc_mq_open(name, KIPC_RW, 0, 0, 0));
	EXPECT_KEEPS_ERRNO(-ENOENT, kipc_unlink(KIPC_OBJ_MQ, name));
	EXPECT_KEEPS_ERRNO(-EBADF, kipc_info(-1, &info));

	errno = ERRNO_SENTINEL;
	qfd = kipc_mq_open(name, KIPC_NEW | KIPC_OPEN_NONBLOCK |
			   KIPC_OPEN_CLOEXEC, 0600, 1, sizeof(buf));
	ASSERT_LE(0, qfd);
	EXPECT_EQ(ERRNO_SENTINEL, errno);
	EXPECT_KEEPS_ERRNO(0, kipc_info(qfd, &info));
	EXPECT_KEEPS_ERRNO(-EAGAIN, kipc_mq_receive(qfd, buf, sizeof(buf),
						    NULL));
	EXPECT_KEEPS_ERRNO(0, kipc_mq_send(qfd, "x", 1, 0));
	EXPECT_KEEPS_ERRNO(-EAGAIN, kipc_mq_send(qfd, "y", 1, 0));
	EXPECT_KEEPS_ERRNO(-ENOTTY, kipc_sem_trywait(qfd, 1, 0));

	/* libkipc-rpc: the client's reply queue, and a service with none. */
	EXPECT_KEEPS_ERRNO(0, kipc_rpc_client_open(name, NULL, &client));
	errno = ERRNO_SENTINEL;
	kipc_rpc_client_close(client);
	EXPECT_EQ(ERRNO_SENTINEL, errno);
	EXPECT_KEEPS_ERRNO(-EBADF, kipc_rpc_serve(-1, abi_handler, NULL));
	EXPECT_KEEPS_ERRNO(0, kipc_unlink(KIPC_OBJ_MQ, name));
	EXPECT_KEEPS_ERRNO(-ENOENT, kipc_rpc_client_open(name, NULL, &client));
	close(qfd);

	errno = ERRNO_SENTINEL;
	sfd = kipc_shm_open(name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, 4096);
	ASSERT_LE(0, sfd);
	EXPECT_EQ(ERRNO_SENTINEL, errno);
	ro = kipc_shm_open(name, KIPC_OPEN_READ | KIPC_OPEN_CLOEXEC, 0, 0);
	ASSERT_LE(0, ro);
	EXPECT_KEEPS_ERRNO(-EACCES, kipc_shm_map(ro, PROT_READ | PROT_WRITE,
						 &addr, &len));
	EXPECT_KEEPS_ERRNO(0, kipc_shm_map(sfd, PROT_READ | PROT_WRITE, &addr,
					   &len));
	EXPECT_KEEPS_ERRNO(0, kipc_shm_stat(sfd, &st));
	EXPECT_KEEPS_ERRNO(-EINVAL, kipc_shm_unmap((char *)addr + 1, len));
	EXPECT_KEEPS_ERRNO(0, kipc_shm_unmap(addr, len));
	EXPECT_KEEPS_ERRNO(0, kipc_unlink(KIPC_OBJ_SHM, name));
	close(ro);
	close(sfd);

	errno = ERRNO_SENTINEL;
	rfd = kipc_sem_open(name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, 0);
	ASSERT_LE(0, rfd);
	EXPECT_EQ(ERRNO_SENTINEL, errno);
	EXPECT_KEEPS_ERRNO(-EAGAIN, kipc_sem_trywait(rfd, 1, 0));
	EXPECT_KEEPS_ERRNO(0, kipc_sem_post(rfd, 1));
	EXPECT_KEEPS_ERRNO(1, kipc_sem_getvalue(rfd));
	EXPECT_KEEPS_ERRNO(0, kipc_unlink(KIPC_OBJ_SEM, name));
	close(rfd);
}

/* --- NULL deadlines ------------------------------------------------------- */

static void abi_alarm(int sig)
{
}

/*
 * Run @_call with SIGALRM (no SA_RESTART) due in 100 ms: a call that waits
 * for ever returns -EINTR; one that took NULL for "no time at all" would
 * return -ETIMEDOUT at once, and one that refused it -EINVAL.
 */
#define EXPECT_WAITS_FOR_EVER(_call)					\
	do {								\
		struct itimerval _it = { .it_value.tv_usec = 100000 };	\
		struct itimerval _off = {};				\
									\
		ASSERT_EQ(0, setitimer(ITIMER_REAL, &_it, NULL));	\
		EXPECT_EQ(-EINTR, _call) {				\
			TH_LOG("%s did not wait", #_call);		\
		}							\
		ASSERT_EQ(0, setitimer(ITIMER_REAL, &_off, NULL));	\
	} while (0)

TEST(null_deadline_waits_for_ever)
{
	struct sigaction sa = { .sa_handler = abi_alarm };
	struct kipc_rpc_client *client;
	char name[128], rname[128], buf[64];
	struct kipc_mq_sendrecv_args a = {
		.send_buf = "z",
		.send_len = 1,
		.recv_buf = buf,
		.recv_len = sizeof(buf),
		.clockid = CLOCK_MONOTONIC,
		.deadline = NULL,
	};
	int full, empty, sem, sent = 1;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	test_name(name, "full");
	test_name(rname, "empty");
	full = kipc_mq_open(name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, 1,
			    sizeof(buf));
	ASSERT_LE(0, full);
	ASSERT_EQ(0, kipc_mq_send(full, "x", 1, 0));
	empty = kipc_mq_open(rname, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, 2,
			     sizeof(buf));
	ASSERT_LE(0, empty);

	EXPECT_WAITS_FOR_EVER(kipc_mq_timedsend(full, "y", 1, 0,
						CLOCK_MONOTONIC, NULL));
	EXPECT_WAITS_FOR_EVER(kipc_mq_timedsend(full, "y", 1, 0,
						CLOCK_REALTIME, NULL));
	EXPECT_WAITS_FOR_EVER(kipc_mq_send_timeout(full, "y", 1, 0, NULL));
	EXPECT_WAITS_FOR_EVER(kipc_mq_timedreceive(empty, buf, sizeof(buf),
						   NULL, CLOCK_MONOTONIC,
						   NULL));
	EXPECT_WAITS_FOR_EVER(kipc_mq_receive_timeout(empty, buf, sizeof(buf),
						      NULL, NULL));
	/* Held up in the send half, so nothing went. */
	a.recv_fd = empty;
	a.sent = &sent;
	EXPECT_WAITS_FOR_EVER(kipc_mq_sendrecv(full, &a));
	EXPECT_EQ(0, sent);

	sem = kipc_sem_open(name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, 0);
	ASSERT_LE(0, sem);
	EXPECT_WAITS_FOR_EVER(kipc_sem_timedwait(sem, 1, 0, CLOCK_MONOTONIC,
						 NULL));
	EXPECT_WAITS_FOR_EVER(kipc_sem_timedwait(sem, 1, 0, CLOCK_REALTIME,
						 NULL));
	EXPECT_WAITS_FOR_EVER(kipc_sem_wait_timeout(sem, 1, 0, NULL));
	EXPECT_EQ(0, kipc_sem_getvalue(sem));

	/* A service nobody serves: the request goes, no reply comes. */
	ASSERT_EQ(0, kipc_rpc_client_open(rname, NULL, &client));
	EXPECT_WAITS_FOR_EVER(kipc_rpc_call(client, "q", 1, buf, sizeof(buf),
					    NULL));
	kipc_rpc_client_close(client);

	EXPECT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, name));
	EXPECT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, name));
	EXPECT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, rname));
	close(sem);
	close(empty);
	close(full);
}

TEST_HARNESS_MAIN
