// SPDX-License-Identifier: GPL-2.0-only
/*
 * A seeded, structure-aware fuzzer for /dev/kipc and the "kipc" Generic
 * Netlink family.
 *
 * It knows the layout of every ioctl struct (fz_ioctls[]) and every netlink
 * attribute (fz_nl_attrs[], fz_nl_ops[]): each field is filled from a set of
 * values that matter for its kind (0, 1, the documented maximum, one past it,
 * all ones, a random value), flags and reserved bytes are random now and
 * then, and pointers are NULL, unmapped, kernel-space, non-canonical,
 * misaligned or straddle a guard page. Several threads share one pool of
 * fds and one pool of mappings, and they close, dup, munmap, mremap, fork
 * (and kill -9 the child) and signal each other while the others call into
 * the same objects. Fds of other types (pipe, eventfd, memfd, /dev/null, a
 * netlink socket, /dev/kipc itself) sit in the same pool. Some children
 * move to an IPC namespace of their own (as root of a new user namespace),
 * so admin paths run and namespaces die with objects in them.
 *
 * Environment:
 *   KIPC_FUZZ_SEED     the seed (decimal or 0x...); printed at start
 *   KIPC_FUZZ_CALLS    number of calls (default: 1000000 when KIPC_MODE=debug,
 *                      else 400000 or KIPC_FUZZ_SECS, whichever comes first)
 *   KIPC_FUZZ_SECS     time budget in seconds (default 75 in a plain run;
 *                      none when KIPC_FUZZ_CALLS or KIPC_MODE=debug set it)
 *   KIPC_FUZZ_THREADS  worker threads (default 4)
 *
 * Every thread draws from its own generator seeded from the seed, so a seed
 * replays the same calls; which thread wins a race is up to the scheduler.
 *
 * Nothing may block for long: a blocking call gets KIPC_WAIT_NONBLOCK or a
 * deadline a few milliseconds ahead, read() and write() go through an
 * O_NONBLOCK description, and a watchdog fails the test when no call
 * finishes for 60 s. The fuzzer runs as an unprivileged uid, so the per-uid
 * limits bound the memory it can pin. Success means: no hang, the module
 * still creates, sends and receives afterwards, nothing of ours is left,
 * and (checked by the runner) the kernel reported nothing.
 *
 * And each ioctl is checked against its documentation as it returns (the
 * errno table of its fz_ioctls[] row, from the DOC block of the uapi header
 * and the man pages): a failure with an errno outside the common ones and
 * the row's own, a call that succeeds with a kernel pointer as its argument
 * or with a name that must be refused, fails the run, with the seed. Every
 * ioctl must have succeeded at least once (a fuzzer that never gets past a
 * check tests only that check), and no object under one of the fuzzer's
 * own names may survive its own cleanup, before the admin sweep removes
 * what it could not know of. Netlink requests likewise: the reply that
 * carries a request's sequence number must have an errno of the family's
 * list or of its command's (fz_nl_errs[]), a name that must be refused may
 * not select an object, and every operation of fz_nl_ops[] must succeed at
 * least once (limits-set, admin-only, must meet its EPERM instead).
 */
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <time.h>
#include <sys/eventfd.h>

#include "kipc_test.h"

#define FZ_POOL		8	/* fds per pool: other types, mq, shm, sem */
#define FZ_SLOTS	(4 * FZ_POOL)	/* shared fd pools */
#define FZ_MAPS		16	/* shared mapping pool */
#define FZ_IDS		32	/* object ids seen, for netlink */
#define FZ_NAMES	6	/* names we may create; the last is 255 bytes */
#define FZ_MAX_THREADS	16
#define FZ_ARENA	(128 << 10)
#define FZ_PAGE		4096
#define FZ_VEC_MAX	(KIPC_MQ_VEC_MAX + 1)
#define FZ_VEC_PAGES	((FZ_VEC_MAX * 16 + FZ_PAGE - 1) / FZ_PAGE)
#define FZ_NL_BUF	(64 << 10)
#define FZ_HANG_SECS	60

/* Pointer values that no user copy may accept. */
#define FZ_KERNEL_PTR	0xffffffff81000000ULL
#define FZ_NONCANON_PTR	0x8000000000000000ULL

struct fz_rng {
	uint64_t s;
};

static uint64_t fz_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void fz_rng_init(struct fz_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);

	r->s = fz_splitmix(&x) | 1;
}

static uint64_t fz_next(struct fz_rng *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static uint32_t fz_below(struct fz_rng *r, uint32_t n)
{
	return n ? (uint32_t)(fz_next(r) % n) : 0;
}

static bool fz_one_in(struct fz_rng *r, uint32_t n)
{
	return fz_below(r, n) == 0;
}

#define fz_pick(_r, _arr) ((_arr)[fz_below(_r, ARRAY_SIZE(_arr))])

/* --- shared state ---------------------------------------------------------- */

/* Counters every process of the run adds to: a MAP_SHARED page. */
struct fz_shared {
	atomic_ulong calls;
	atomic_ulong forks;
	atomic_ulong kills;
	atomic_ulong hangs;
	atomic_ulong newns;
	/* per entry of fz_ioctls[]: calls, and calls that succeeded */
	atomic_ulong ioc_calls[32];
	atomic_ulong ioc_ok[32];
	/* per entry of fz_nl_ops[], unmangled requests: sent, answered,
	 * answered with success, answered with the op's want_err */
	atomic_ulong nl_calls[16];
	atomic_ulong nl_answered[16];
	atomic_ulong nl_ok[16];
	atomic_ulong nl_want[16];
	/* calls that broke their documentation, and the first one */
	atomic_ulong bad;
	char why[256];
};

static struct {
	uint64_t seed;
	unsigned long budget;
	uint64_t end_ns;	/* 0: no time limit */
	int nthreads;
	atomic_bool go;
	atomic_bool stop;
	int dev;
	atomic_int slot[FZ_SLOTS];
	/* page-aligned address | (pages - 1), or 0 */
	atomic_uintptr_t map[FZ_MAPS];
	atomic_ullong ids[FZ_IDS];
	char *arena;		/* FZ_ARENA bytes, then a guard page */
	char *names;		/* read-only page of names, then a guard page */
	const char *name[FZ_NAMES];	/* valid names we may create */
	const char *bad_name[8];	/* names that must give EINVAL/EFAULT */
	int nbad;
	struct fz_shared *sh;
	__u16 family;
	__u32 mcgrp[4];
	int nmcgrp;
	bool sa_restart;
	pthread_t tid[FZ_MAX_THREADS];
} fz;

struct fz_thread {
	struct fz_rng rng;
	int idx;
	char *cmd;		/* one page for the ioctl struct, then a guard */
	struct kipc_mq_vec *vec;	/* FZ_VEC_MAX entries */
	char *nlbuf;
	int nl;
	bool child;
	/* The request being built put a must-fail name, or a valid one. */
	bool nl_bad_name, nl_good_name;
};

static __thread sigjmp_buf fz_jmp;
static __thread volatile sig_atomic_t fz_in_probe;

static void fz_fault(int sig)
{
	if (fz_in_probe) {
		fz_in_probe = 0;
		siglongjmp(fz_jmp, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void fz_nop(int sig)
{
}

static uint64_t fz_now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void fz_count(void)
{
	unsigned long n = atomic_fetch_add(&fz.sh->calls, 1) + 1;

	if (n >= fz.budget || (fz.end_ns && !(n & 255) &&
			       fz_now(CLOCK_MONOTONIC) >= fz.end_ns))
		atomic_store(&fz.stop, true);
}

/* --- values by kind -------------------------------------------------------- */

static uint32_t fz_u32(struct fz_rng *r, uint32_t max)
{
	switch (fz_below(r, 10)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return max;
	case 3: return max + 1;
	case 4: return UINT32_MAX;
	case 5: return 0x80000000U;
	case 6: return (uint32_t)fz_next(r);
	default: return fz_below(r, max < 64 ? max + 1 : 64);
	}
}

static uint64_t fz_u64(struct fz_rng *r, uint64_t max)
{
	switch (fz_below(r, 10)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return max;
	case 3: return max + 1;
	case 4: return UINT64_MAX;
	case 5: return 1ULL << 63;
	case 6: return fz_next(r);
	default: return fz_below(r, 1 << 16);
	}
}

/* A mapping from the pool, or 0; it may be unmapped by the time it is used. */
static uintptr_t fz_some_map(struct fz_rng *r, size_t *len)
{
	uintptr_t m = atomic_load(&fz.map[fz_below(r, FZ_MAPS)]);

	*len = ((m & (FZ_PAGE - 1)) + 1) * FZ_PAGE;
	return m & ~(uintptr_t)(FZ_PAGE - 1);
}

/*
 * A user pointer for a buffer of @len bytes. @out: the kernel writes there,
 * so it must never reach memory of ours other than the arena, the
 * read-only names page or a kipc mapping.
 */
static uint64_t fz_ptr(struct fz_rng *r, uint32_t len, bool out)
{
	size_t mlen;
	uintptr_t m;
	uint32_t off;

	switch (fz_below(r, 32)) {
	case 0: return 0;
	case 1: return (uintptr_t)(fz.arena + FZ_ARENA);	/* the guard */
	case 2: return FZ_KERNEL_PTR;
	case 3: return FZ_NONCANON_PTR;
	case 4:	/* straddles the guard page */
		return (uintptr_t)(fz.arena + FZ_ARENA - 1 - fz_below(r, 64));
	case 5: return (uintptr_t)fz.names;			/* read-only */
	case 6:
		m = fz_some_map(r, &mlen);
		if (m && (!out || len <= mlen))
			return m + (out ? 0 : fz_below(r, mlen));
		break;
	case 7:
		return (uintptr_t)(fz.arena + 1 + 2 * fz_below(r, 64));
	}
	/* Any arena offset is safe: the guard page stops every copy. */
	if (len < FZ_ARENA && !fz_one_in(r, 8))
		off = fz_below(r, FZ_ARENA - len + 1);
	else
		off = fz_below(r, FZ_ARENA);
	return (uintptr_t)(fz.arena + (off & ~7U));
}

static uint64_t fz_name_ptr(struct fz_rng *r)
{
	if (fz_one_in(r, 6))
		return (uintptr_t)fz.bad_name[fz_below(r, fz.nbad)];
	if (fz_one_in(r, 20))
		return fz_ptr(r, 0, false);
	/* No name: what KIPC_OPEN_ANON needs, and an EFAULT otherwise. */
	if (fz_one_in(r, 10))
		return 0;
	/* Mostly the first few names, so that opens meet existing objects. */
	if (fz_one_in(r, 8))
		return (uintptr_t)fz.name[FZ_NAMES - 1];
	return (uintptr_t)fz.name[fz_below(r, 3)];
}

static uint32_t fz_len(struct fz_rng *r)
{
	static const uint32_t lens[] = {
		0, 1, 2, 63, 64, 65, 4095, 4096, 4097, 65536, FZ_ARENA,
		FZ_ARENA + 1, 1 << 20, (1 << 20) + 1, 64 << 20, INT32_MAX,
		UINT32_MAX,
	};

	if (fz_one_in(r, 3))
		return fz_pick(r, lens);
	return fz_below(r, 200);
}

static int fz_slot_fd(struct fz_rng *r)
{
	return atomic_load(&fz.slot[fz_below(r, FZ_SLOTS)]);
}

/* An fd of the pool of @type (KIPC_OBJ_*; 0: other types), or -1. */
static int fz_slot_fd_of(struct fz_rng *r, uint32_t type)
{
	return atomic_load(&fz.slot[type * FZ_POOL + fz_below(r, FZ_POOL)]);
}

static int32_t fz_any_fd(struct fz_rng *r)
{
	static const int32_t odd[] = { -1, 0, 2, INT32_MAX, INT32_MIN, 1023 };

	if (fz_one_in(r, 6))
		return fz_pick(r, odd);
	if (fz_one_in(r, 10))
		return fz.dev;
	return fz_one_in(r, 3) ? fz_slot_fd(r) : fz_slot_fd_of(r, KIPC_OBJ_MQ);
}

/* --- the ioctls -------------------------------------------------------------- */

enum fz_kind {
	K_SIZE, K_FLAGS, K_RSV, K_OUT, K_TYPE, K_MODE, K_NAME, K_ATTR,
	K_BUF, K_OBUF, K_LEN, K_PRIO, K_CLOCK, K_DEADLINE, K_VEC, K_VCOUNT,
	K_FD, K_INDEX, K_SEALS, K_NSIZE, K_SCOUNT, K_RAW, K_SEMOPS, K_RFD,
};

struct fz_field {
	uint16_t off;
	uint16_t width;
	uint16_t kind;
	uint32_t mask;		/* valid flag bits, for K_FLAGS */
};

struct fz_ioctl {
	const char *name;
	unsigned long nr;
	uint32_t size;
	uint32_t min_size;
	uint32_t type;		/* 0: /dev/kipc, else KIPC_OBJ_*, ~0: any */
	bool blocking;		/* flags, clockid and deadline at these: */
	uint16_t off_flags, off_clock, off_deadline;
	const struct fz_field *f;
	int nf;
	const int *errnos;	/* its own documented errnos, 0-terminated */
};

/*
 * The errnos every ioctl may return (the uapi header's "same meaning for
 * every ioctl"), and EBADF, which the VFS gives for an fd that is not open.
 */
static const int fz_common_errnos[] = {
	ENOTTY, EINVAL, E2BIG, EOPNOTSUPP, EFAULT, ENOMEM, EBADF, 0
};

/* Each ioctl's own, as the uapi header's DOC block lists them. */
#define ERRS(...)	((const int[]){ __VA_ARGS__, 0 })
/* The blocking queue calls' shared ones. */
#define BLOCKING_ERRS	EAGAIN, ETIMEDOUT, EINTR, EIDRM
/* A KIPC_MQ_HUP queue with one side gone. */
#define HUP_ERRS	EPIPE, ENODATA

#define FLD(_s, _m, _k, _mask)						\
	{ offsetof(struct _s, _m), sizeof_field(struct _s, _m), _k, _mask }
#define HDR(_s)								\
	FLD(_s, size, K_SIZE, 0)

#define WAITF	(KIPC_WAIT_NONBLOCK | KIPC_WAIT_DEADLINE)
/* Regions in messages: the send's flags, and the receive's. */
#define SENDRF	(KIPC_SEND_REGION | KIPC_SEND_SEALED)
#define RECVRF	KIPC_RECV_REGION

static const struct fz_field f_version[] = {
	HDR(kipc_version), FLD(kipc_version, flags, K_FLAGS, 0),
	FLD(kipc_version, out_abi_version, K_OUT, 0),
	FLD(kipc_version, out_features, K_OUT, 0),
	FLD(kipc_version, out_shm_max_size, K_OUT, 0),
};

static const struct fz_field f_open[] = {
	HDR(kipc_open),
	FLD(kipc_open, flags, K_FLAGS,
	    KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE |
	    KIPC_OPEN_EXCL | KIPC_OPEN_CLOEXEC | KIPC_OPEN_NONBLOCK |
	    KIPC_OPEN_ANON),
	FLD(kipc_open, type, K_TYPE, 0), FLD(kipc_open, mode, K_MODE, 0),
	FLD(kipc_open, name, K_NAME, 0), FLD(kipc_open, attr, K_ATTR, 0),
	FLD(kipc_open, out_id, K_OUT, 0), FLD(kipc_open, out_flags, K_OUT, 0),
	FLD(kipc_open, __reserved, K_RSV, 0),
};

static const struct fz_field f_unlink[] = {
	HDR(kipc_unlink), FLD(kipc_unlink, flags, K_FLAGS, 0),
	FLD(kipc_unlink, type, K_TYPE, 0),
	FLD(kipc_unlink, __reserved, K_RSV, 0),
	FLD(kipc_unlink, name, K_NAME, 0),
};

static const struct fz_field f_info[] = {
	HDR(kipc_info), FLD(kipc_info, flags, K_FLAGS, 0),
	FLD(kipc_info, out_id, K_OUT, 0), FLD(kipc_info, out_state, K_OUT, 0),
	FLD(kipc_info, out_attr, K_RAW, 0),
	FLD(kipc_info, out_name, K_RAW, 0),
};

static const struct fz_field f_mq_send[] = {
	HDR(kipc_mq_send), FLD(kipc_mq_send, flags, K_FLAGS, WAITF | SENDRF),
	FLD(kipc_mq_send, buf, K_BUF, 0), FLD(kipc_mq_send, len, K_LEN, 0),
	FLD(kipc_mq_send, prio, K_PRIO, 0),
	FLD(kipc_mq_send, clockid, K_CLOCK, 0),
	FLD(kipc_mq_send, __reserved, K_RSV, 0),
	FLD(kipc_mq_send, deadline, K_DEADLINE, 0),
	FLD(kipc_mq_send, region_fd, K_RFD, 0),
	FLD(kipc_mq_send, __reserved2, K_RSV, 0),
};

static const struct fz_field f_mq_recv[] = {
	HDR(kipc_mq_recv), FLD(kipc_mq_recv, flags, K_FLAGS, WAITF | RECVRF),
	FLD(kipc_mq_recv, buf, K_OBUF, 0), FLD(kipc_mq_recv, len, K_LEN, 0),
	FLD(kipc_mq_recv, clockid, K_CLOCK, 0),
	FLD(kipc_mq_recv, deadline, K_DEADLINE, 0),
	FLD(kipc_mq_recv, out_len, K_OUT, 0),
	FLD(kipc_mq_recv, out_prio, K_OUT, 0),
	FLD(kipc_mq_recv, out_region_fd, K_OUT, 0),
};

static const struct fz_field f_mq_vec[] = {
	HDR(kipc_mq_sendv), FLD(kipc_mq_sendv, flags, K_FLAGS, WAITF),
	FLD(kipc_mq_sendv, vec, K_VEC, 0),
	FLD(kipc_mq_sendv, count, K_VCOUNT, 0),
	FLD(kipc_mq_sendv, clockid, K_CLOCK, 0),
	FLD(kipc_mq_sendv, deadline, K_DEADLINE, 0),
	FLD(kipc_mq_sendv, out_count, K_OUT, 0),
	FLD(kipc_mq_sendv, __reserved, K_RSV, 0),
};

static const struct fz_field f_mq_peek[] = {
	HDR(kipc_mq_peek), FLD(kipc_mq_peek, flags, K_FLAGS, 0),
	FLD(kipc_mq_peek, buf, K_OBUF, 0), FLD(kipc_mq_peek, len, K_LEN, 0),
	FLD(kipc_mq_peek, index, K_INDEX, 0),
	FLD(kipc_mq_peek, out_len, K_OUT, 0),
	FLD(kipc_mq_peek, out_prio, K_OUT, 0),
	FLD(kipc_mq_peek, out_region_id, K_OUT, 0),
};

static const struct fz_field f_mq_getattr[] = {
	HDR(kipc_mq_getattr), FLD(kipc_mq_getattr, flags, K_FLAGS, 0),
	FLD(kipc_mq_getattr, out_depth, K_OUT, 0),
	FLD(kipc_mq_getattr, __reserved, K_OUT, 0),
	FLD(kipc_mq_getattr, out_bytes, K_OUT, 0),
};

static const struct fz_field f_mq_sendrecv[] = {
	HDR(kipc_mq_sendrecv),
	FLD(kipc_mq_sendrecv, flags, K_FLAGS, WAITF | SENDRF | RECVRF),
	FLD(kipc_mq_sendrecv, recv_fd, K_FD, 0),
	FLD(kipc_mq_sendrecv, send_prio, K_PRIO, 0),
	FLD(kipc_mq_sendrecv, send_buf, K_BUF, 0),
	FLD(kipc_mq_sendrecv, send_len, K_LEN, 0),
	FLD(kipc_mq_sendrecv, recv_len, K_LEN, 0),
	FLD(kipc_mq_sendrecv, recv_buf, K_OBUF, 0),
	FLD(kipc_mq_sendrecv, clockid, K_CLOCK, 0),
	FLD(kipc_mq_sendrecv, __reserved, K_RSV, 0),
	FLD(kipc_mq_sendrecv, deadline, K_DEADLINE, 0),
	FLD(kipc_mq_sendrecv, out_flags, K_OUT, 0),
	FLD(kipc_mq_sendrecv, out_len, K_OUT, 0),
	FLD(kipc_mq_sendrecv, __reserved2, K_RSV, 0),
	FLD(kipc_mq_sendrecv, send_region_fd, K_RFD, 0),
	FLD(kipc_mq_sendrecv, out_region_fd, K_OUT, 0),
};

static const struct fz_field f_shm_resize[] = {
	HDR(kipc_shm_resize), FLD(kipc_shm_resize, flags, K_FLAGS, 0),
	FLD(kipc_shm_resize, new_size, K_NSIZE, 0),
};

static const struct fz_field f_shm_seal[] = {
	HDR(kipc_shm_seal), FLD(kipc_shm_seal, flags, K_FLAGS, 0),
	FLD(kipc_shm_seal, seals, K_SEALS, 0),
	FLD(kipc_shm_seal, out_seals, K_OUT, 0),
};

static const struct fz_field f_shm_stat[] = {
	HDR(kipc_shm_stat), FLD(kipc_shm_stat, flags, K_FLAGS, 0),
	FLD(kipc_shm_stat, out_size, K_OUT, 0),
	FLD(kipc_shm_stat, out_state, K_OUT, 0),
};

static const struct fz_field f_sem_wait[] = {
	HDR(kipc_sem_wait),
	FLD(kipc_sem_wait, flags, K_FLAGS, WAITF | KIPC_SEM_UNDO),
	FLD(kipc_sem_wait, count, K_SCOUNT, 0),
	FLD(kipc_sem_wait, clockid, K_CLOCK, 0),
	FLD(kipc_sem_wait, deadline, K_DEADLINE, 0),
	FLD(kipc_sem_wait, out_flags, K_OUT, 0),
	FLD(kipc_sem_wait, __reserved, K_RSV, 0),
};

static const struct fz_field f_sem_post[] = {
	HDR(kipc_sem_post), FLD(kipc_sem_post, flags, K_FLAGS, 0),
	FLD(kipc_sem_post, count, K_SCOUNT, 0),
	FLD(kipc_sem_post, __reserved, K_RSV, 0),
};

static const struct fz_field f_sem_get[] = {
	HDR(kipc_sem_get), FLD(kipc_sem_get, flags, K_FLAGS, 0),
	FLD(kipc_sem_get, out_value, K_OUT, 0),
	FLD(kipc_sem_get, out_undo, K_OUT, 0),
};

/* KIPC_IOC_SEM_MULTI: its operations come from fz_sem_ops(). */
static const struct fz_field f_sem_multi[] = {
	HDR(kipc_sem_multi), FLD(kipc_sem_multi, flags, K_FLAGS, WAITF),
	FLD(kipc_sem_multi, count, K_VCOUNT, 0),
	FLD(kipc_sem_multi, clockid, K_CLOCK, 0),
	FLD(kipc_sem_multi, deadline, K_DEADLINE, 0),
	FLD(kipc_sem_multi, ops, K_SEMOPS, 0),
	FLD(kipc_sem_multi, out_flags, K_OUT, 0),
	FLD(kipc_sem_multi, __reserved, K_RSV, 0),
};

#define IOC(_nr, _s, _last, _type, _f, _errs)				\
	{ #_nr, _nr, sizeof(struct _s), offsetofend(struct _s, _last),	\
	  _type, false, 0, 0, 0, _f, ARRAY_SIZE(_f), _errs }
#define IOC_WAIT(_nr, _s, _last, _type, _f, _errs)			\
	{ #_nr, _nr, sizeof(struct _s), offsetofend(struct _s, _last),	\
	  _type, true, offsetof(struct _s, flags),			\
	  offsetof(struct _s, clockid), offsetof(struct _s, deadline),	\
	  _f, ARRAY_SIZE(_f), _errs }

/*
 * Every ioctl of the ABI; a new one needs a line here, a field table and
 * its documented errnos beyond the common ones.
 */
static const struct fz_ioctl fz_ioctls[] = {
	IOC(KIPC_IOC_VERSION, kipc_version, out_shm_max_size, 0, f_version,
	    ERRS(0)),
	IOC(KIPC_IOC_OPEN, kipc_open, __reserved, 0, f_open,
	    ERRS(ENOENT, EEXIST, EACCES, ENOSPC, EMFILE, ENFILE)),
	IOC(KIPC_IOC_UNLINK, kipc_unlink, name, 0, f_unlink,
	    ERRS(ENOENT, EPERM)),
	IOC(KIPC_IOC_INFO, kipc_info, out_name, ~0U, f_info, ERRS(0)),
	IOC_WAIT(KIPC_IOC_MQ_SEND, kipc_mq_send, deadline, KIPC_OBJ_MQ,
		 f_mq_send, ERRS(BLOCKING_ERRS, HUP_ERRS, EMSGSIZE, EPERM)),
	IOC_WAIT(KIPC_IOC_MQ_RECV, kipc_mq_recv, out_prio, KIPC_OBJ_MQ,
		 f_mq_recv,
		 ERRS(BLOCKING_ERRS, HUP_ERRS, EMSGSIZE, EBADMSG, EMFILE)),
	IOC_WAIT(KIPC_IOC_MQ_SENDV, kipc_mq_sendv, __reserved, KIPC_OBJ_MQ,
		 f_mq_vec, ERRS(BLOCKING_ERRS, HUP_ERRS, EMSGSIZE)),
	IOC_WAIT(KIPC_IOC_MQ_RECVV, kipc_mq_sendv, __reserved, KIPC_OBJ_MQ,
		 f_mq_vec, ERRS(BLOCKING_ERRS, HUP_ERRS, EMSGSIZE, EBADMSG)),
	IOC(KIPC_IOC_MQ_PEEK, kipc_mq_peek, out_prio, KIPC_OBJ_MQ, f_mq_peek,
	    ERRS(EIDRM, ENOENT, EMSGSIZE)),
	IOC(KIPC_IOC_MQ_GETATTR, kipc_mq_getattr, out_bytes, KIPC_OBJ_MQ,
	    f_mq_getattr, ERRS(EIDRM)),
	IOC_WAIT(KIPC_IOC_MQ_SENDRECV, kipc_mq_sendrecv, __reserved2,
		 KIPC_OBJ_MQ, f_mq_sendrecv,
		 ERRS(BLOCKING_ERRS, HUP_ERRS, EMSGSIZE, EPERM, EBADMSG, EMFILE)),
	/* And the errnos of ftruncate(2), such as an LSM's EACCES. */
	IOC(KIPC_IOC_SHM_RESIZE, kipc_shm_resize, new_size, KIPC_OBJ_SHM,
	    f_shm_resize,
	    ERRS(EPERM, ENOSPC, EMFILE, EFBIG, EIDRM, EACCES, EINTR)),
	IOC(KIPC_IOC_SHM_SEAL, kipc_shm_seal, out_seals, KIPC_OBJ_SHM,
	    f_shm_seal, ERRS(EPERM, EBUSY, EIDRM)),
	IOC(KIPC_IOC_SHM_STAT, kipc_shm_stat, out_state, KIPC_OBJ_SHM,
	    f_shm_stat, ERRS(0)),
	IOC_WAIT(KIPC_IOC_SEM_WAIT, kipc_sem_wait, __reserved, KIPC_OBJ_SEM,
		 f_sem_wait, ERRS(EAGAIN, ETIMEDOUT, EINTR, EIDRM)),
	IOC(KIPC_IOC_SEM_POST, kipc_sem_post, __reserved, KIPC_OBJ_SEM,
	    f_sem_post, ERRS(EOVERFLOW, EIDRM)),
	IOC(KIPC_IOC_SEM_GET, kipc_sem_get, out_undo, KIPC_OBJ_SEM,
	    f_sem_get, ERRS(EIDRM)),
	IOC_WAIT(KIPC_IOC_SEM_MULTI, kipc_sem_multi, __reserved, KIPC_OBJ_SEM,
		 f_sem_multi, ERRS(BLOCKING_ERRS, EXDEV, EOVERFLOW)),
};

static bool fz_errno_in(const int *tbl, int err)
{
	for (; *tbl; tbl++)
		if (*tbl == err)
			return true;
	return false;
}

/*
 * Whether @err is documented for @io; for a number that is not @io's own
 * (a mangled one), for any ioctl.
 */
static bool fz_errno_ok(const struct fz_ioctl *io, bool own, int err)
{
	size_t i;

	if (fz_errno_in(fz_common_errnos, err))
		return true;
	if (own)
		return fz_errno_in(io->errnos, err);
	for (i = 0; i < ARRAY_SIZE(fz_ioctls); i++)
		if (fz_errno_in(fz_ioctls[i].errnos, err))
			return true;
	return false;
}

/* A call broke its documentation: remember the first, fail at the end. */
static void fz_wrong(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fz_wrong(const char *fmt, ...)
{
	va_list ap;

	if (atomic_fetch_add(&fz.sh->bad, 1))
		return;
	va_start(ap, fmt);
	vsnprintf(fz.sh->why, sizeof(fz.sh->why), fmt, ap);
	va_end(ap);
}

/* Where the ioctl's struct holds a name pointer, or 0. */
static size_t fz_name_off(const struct fz_ioctl *io)
{
	if (io->nr == KIPC_IOC_OPEN)
		return offsetof(struct kipc_open, name);
	if (io->nr == KIPC_IOC_UNLINK)
		return offsetof(struct kipc_unlink, name);
	return 0;
}

/* Is @name one of the names that must be refused? */
static bool fz_bad_name(uint64_t name)
{
	int i;

	for (i = 0; i < fz.nbad; i++)
		if (name == (uintptr_t)fz.bad_name[i])
			return true;
	return false;
}

static void fz_attr(struct fz_rng *r, union kipc_attr *a, uint32_t type)
{
	static const uint32_t msgs[] = { 0, 1, 4, 64, 65536, 65537 };
	static const uint32_t msgsize[] = {
		0, 1, 64, 4096, FZ_ARENA, 1 << 20, (1 << 20) + 1, 64 << 20,
	};
	static const uint64_t shm[] = {
		0, 1, 4095, 4096, 4097, 16 * FZ_PAGE, 1 << 20, 1ULL << 30,
		(1ULL << 30) + 1, UINT64_MAX,
	};

	memset(a, 0, sizeof(*a));
	if (fz_one_in(r, 16)) {
		a->__reserved[fz_below(r, 4)] = fz_next(r);
		return;
	}
	if (fz_one_in(r, 8))
		type = 1 + fz_below(r, 3);
	switch (type) {
	case KIPC_OBJ_MQ:
		a->mq.max_msgs = fz_one_in(r, 4) ? fz_pick(r, msgs) :
						   1 + fz_below(r, 16);
		a->mq.max_msgsize = fz_one_in(r, 4) ? fz_pick(r, msgsize) :
						      1 + fz_below(r, 8192);
		if (fz_one_in(r, 4))
			a->mq.flags = fz_one_in(r, 2) ? KIPC_MQ_HUP :
							fz_next(r);
		/* Overflow policies, both together now and then (EINVAL). */
		if (fz_one_in(r, 4))
			a->mq.flags |= fz_one_in(r, 2) ? KIPC_MQ_FULL_FAIL :
							 KIPC_MQ_FULL_DROP;
		if (fz_one_in(r, 16))
			a->mq.flags |= KIPC_MQ_FULL_FAIL | KIPC_MQ_FULL_DROP;
		/* Messages that hold their sender's pid. */
		if (fz_one_in(r, 4))
			a->mq.flags |= KIPC_MQ_CREDS;
		/* Messages that hold a region. */
		if (fz_one_in(r, 4))
			a->mq.flags |= KIPC_MQ_REGIONS;
		break;
	case KIPC_OBJ_SHM:
		a->shm.size = fz_one_in(r, 4) ? fz_pick(r, shm) :
						1 + fz_below(r, 16 * FZ_PAGE);
		break;
	case KIPC_OBJ_SEM:
		a->sem.value = fz_one_in(r, 4) ? fz_u32(r, KIPC_SEM_VALUE_MAX) :
						 fz_below(r, 4);
		if (fz_one_in(r, 16))
			a->sem.__reserved = fz_next(r);
		break;
	}
}

/* Up to @count entries (all of them, as the kernel may read them all). */
static uint64_t fz_vec(struct fz_thread *t, uint32_t count)
{
	struct fz_rng *r = &t->rng;
	uint32_t i, n = count < FZ_VEC_MAX ? count : FZ_VEC_MAX;

	for (i = 0; i < n; i++) {
		t->vec[i].len = fz_len(r);
		t->vec[i].buf = fz_ptr(r, t->vec[i].len, true);
		t->vec[i].prio = fz_one_in(r, 16) ? fz_u32(r, KIPC_MQ_PRIO_MAX) :
						    fz_below(r, 32);
	}
	switch (fz_below(r, 12)) {
	case 0: return 0;
	case 1: return FZ_KERNEL_PTR;
	case 2:	/* the last entry runs into the guard page */
		return (uintptr_t)t->vec + 8 * fz_below(r, 3) + 1;
	}
	return (uintptr_t)t->vec;
}

/*
 * The operations of a KIPC_IOC_SEM_MULTI: semaphores of the pool mostly,
 * repeats, other fds, every kind of delta, undo, bad flags. Room for one
 * more than the most, since the count may say so.
 */
static uint64_t fz_sem_ops(struct fz_thread *t)
{
	static const int32_t deltas[] = {
		-2, -1, 0, 1, 2, INT32_MIN, -INT32_MAX, INT32_MAX,
	};
	static __thread struct kipc_sem_op ops[KIPC_SEM_MULTI_MAX + 1];
	struct fz_rng *r = &t->rng;
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		ops[i].fd = fz_one_in(r, 8) ? fz_any_fd(r) :
					      fz_slot_fd_of(r, KIPC_OBJ_SEM);
		ops[i].delta = fz_one_in(r, 4) ? fz_pick(r, deltas) :
						 (int32_t)fz_below(r, 5) - 2;
		ops[i].flags = fz_one_in(r, 3) ? KIPC_SEM_UNDO : 0;
		if (fz_one_in(r, 32))
			ops[i].flags = fz_next(r);
		ops[i].__reserved = fz_one_in(r, 32) ? fz_next(r) : 0;
	}
	switch (fz_below(r, 12)) {
	case 0: return 0;
	case 1: return FZ_KERNEL_PTR;
	}
	return (uintptr_t)ops;
}

static uint64_t fz_value(struct fz_thread *t, const struct fz_ioctl *io,
			 const struct fz_field *f, uint32_t type)
{
	static const uint32_t modes[] = { 0, 0600, 0640, 0666, 0777, 01666 };
	static const uint32_t clocks[] = {
		CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_MONOTONIC,
		CLOCK_REALTIME, CLOCK_BOOTTIME, CLOCK_PROCESS_CPUTIME_ID, 16,
		UINT32_MAX,
	};
	static const uint64_t nsizes[] = {
		0, 1, 4095, 4096, 4097, 8 * FZ_PAGE, 1 << 20, 1ULL << 30,
		(1ULL << 30) + 1, 1ULL << 63, UINT64_MAX,
	};
	struct fz_rng *r = &t->rng;
	uint32_t v;

	switch (f->kind) {
	case K_SIZE:
		switch (fz_below(r, 64)) {
		case 0: return 0;
		case 1: return 4;
		case 2: return io->min_size - 1;
		case 3: return io->min_size;
		case 4: return io->size + 8;
		case 5: return FZ_PAGE;
		case 6: return UINT32_MAX;
		case 7: return io->size - 4;
		}
		return io->size;
	case K_FLAGS:
		if (fz_one_in(r, 16))
			return fz_one_in(r, 2) ? UINT32_MAX :
						 1U << fz_below(r, 32);
		v = (uint32_t)fz_next(r) & f->mask;
		/* Opens mostly ask for read and write. */
		if (f->mask & KIPC_OPEN_READ && !fz_one_in(r, 8))
			v |= KIPC_OPEN_READ | KIPC_OPEN_WRITE;
		return v;
	case K_RSV:
		return fz_one_in(r, 16) ? fz_next(r) : 0;
	case K_OUT:
	case K_RAW:
		return fz_next(r);
	case K_TYPE:
		if (fz_one_in(r, 12))
			return fz_u32(r, KIPC_OBJ_SEM);
		return type ? type : 1 + fz_below(r, 3);
	case K_MODE:
		return fz_one_in(r, 6) ? fz_pick(r, modes) : 0600;
	case K_NAME:
		return fz_name_ptr(r);
	case K_BUF:
		return fz_ptr(r, fz_below(r, FZ_PAGE), false);
	case K_OBUF:
		/* The buffer length is another field: never a mapping. */
		return fz_ptr(r, UINT32_MAX, true);
	case K_LEN:
		return fz_len(r);
	case K_PRIO:
		return fz_one_in(r, 8) ? fz_u32(r, KIPC_MQ_PRIO_MAX) :
					 fz_below(r, KIPC_MQ_PRIO_MAX + 1);
	case K_CLOCK:
		return fz_pick(r, clocks);
	case K_DEADLINE:
		return fz_u64(r, INT64_MAX);
	case K_VCOUNT:
		return fz_one_in(r, 4) ? fz_u32(r, KIPC_MQ_VEC_MAX) :
					 1 + fz_below(r, 8);
	case K_FD:
		return (uint32_t)fz_any_fd(r);
	case K_RFD:
		/* Mostly a region; any fd now and then (EBADF, EINVAL). */
		return (uint32_t)(fz_one_in(r, 4) ? fz_any_fd(r) :
				  fz_slot_fd_of(r, KIPC_OBJ_SHM));
	case K_INDEX:
		return fz_one_in(r, 6) ? fz_u32(r, 64) : fz_below(r, 4);
	case K_SEALS:
		if (fz_one_in(r, 8))
			return fz_u32(r, KIPC_SEAL_ALL);
		/* Sealing for good is rare, or every region would be stuck. */
		return fz_one_in(r, 6) ? fz_below(r, KIPC_SEAL_ALL + 1) : 0;
	case K_NSIZE:
		return fz_one_in(r, 4) ? fz_pick(r, nsizes) :
					 1 + fz_below(r, 16 * FZ_PAGE);
	case K_SCOUNT:
		return fz_one_in(r, 6) ? fz_u32(r, KIPC_SEM_VALUE_MAX) :
					 1 + fz_below(r, 2);
	case K_SEMOPS:
		return fz_sem_ops(t);
	}
	return 0;
}

static void fz_put(char *p, const struct fz_field *f, uint64_t v)
{
	if (f->width == 4) {
		uint32_t w = v;

		memcpy(p + f->off, &w, 4);
	} else if (f->width == 8) {
		memcpy(p + f->off, &v, 8);
	}
}

/*
 * A wait must end soon: without KIPC_WAIT_NONBLOCK it gets a valid clock
 * and a deadline at most 2 ms ahead.
 */
static void fz_bound_wait(struct fz_thread *t, const struct fz_ioctl *io,
			  char *p)
{
	uint32_t flags, clk;
	uint64_t dl;

	memcpy(&flags, p + io->off_flags, 4);
	if (flags & KIPC_WAIT_NONBLOCK)
		return;
	if (fz_one_in(&t->rng, 3)) {
		flags |= KIPC_WAIT_NONBLOCK;
		memcpy(p + io->off_flags, &flags, 4);
		return;
	}
	flags |= KIPC_WAIT_DEADLINE;
	clk = fz_one_in(&t->rng, 2) ? CLOCK_MONOTONIC : CLOCK_REALTIME;
	dl = fz_now(clk) + fz_below(&t->rng, 2000000);
	memcpy(p + io->off_flags, &flags, 4);
	memcpy(p + io->off_clock, &clk, 4);
	memcpy(p + io->off_deadline, &dl, 8);
}

static void fz_note_id(struct fz_thread *t, uint64_t id)
{
	atomic_store(&fz.ids[fz_below(&t->rng, FZ_IDS)], id);
}

static void fz_slot_put_in(struct fz_thread *t, uint32_t pool, int fd)
{
	int old = atomic_exchange(&fz.slot[pool * FZ_POOL +
					   fz_below(&t->rng, FZ_POOL)], fd);

	if (old >= 0)
		close(old);
}

static void fz_slot_put(struct fz_thread *t, int fd)
{
	fz_slot_put_in(t, 0, fd);
}

/* A valid open (or creation) of one of the first names, as a fuzzer's seed. */
static int fz_open_valid(struct fz_thread *t, uint32_t type)
{
	struct fz_rng *r = &t->rng;
	struct kipc_open o = {
		.size = sizeof(o),
		.flags = KIPC_RW | KIPC_OPEN_CREATE | KIPC_OPEN_CLOEXEC,
		.type = type,
		.mode = 0600,
		.name = (uintptr_t)fz.name[fz_below(r, 3)],
	};
	int fd;

	if (fz_one_in(r, 3))
		o.flags |= KIPC_OPEN_NONBLOCK;
	if (fz_one_in(r, 8))
		o.flags &= ~(fz_one_in(r, 2) ? KIPC_OPEN_READ : KIPC_OPEN_WRITE);
	switch (type) {
	case KIPC_OBJ_MQ:
		o.attr.mq.max_msgs = 1 + fz_below(r, 16);
		o.attr.mq.max_msgsize = 1 + fz_below(r, 4096);
		/* Hang-up queues, and now and then an unknown flag. */
		if (fz_one_in(r, 3))
			o.attr.mq.flags = KIPC_MQ_HUP;
		/* Full queues that fail or drop instead of blocking. */
		if (fz_one_in(r, 3))
			o.attr.mq.flags |= fz_one_in(r, 2) ? KIPC_MQ_FULL_FAIL :
							     KIPC_MQ_FULL_DROP;
		/* Messages that hold their sender's pid. */
		if (fz_one_in(r, 3))
			o.attr.mq.flags |= KIPC_MQ_CREDS;
		/* Messages that hold a region, which the fuzzer sends. */
		if (fz_one_in(r, 2))
			o.attr.mq.flags |= KIPC_MQ_REGIONS;
		if (fz_one_in(r, 32))
			o.attr.mq.flags |= 1U << fz_below(r, 32);
		break;
	case KIPC_OBJ_SHM:
		o.attr.shm.size = 1 + fz_below(r, 16 * FZ_PAGE);
		/* Executable regions, and now and then an unknown flag. */
		if (fz_one_in(r, 4))
			o.attr.shm.flags = KIPC_SHM_EXEC;
		if (fz_one_in(r, 64))
			o.attr.shm.flags |= 1U << fz_below(r, 32);
		break;
	case KIPC_OBJ_SEM:
		o.attr.sem.value = fz_below(r, 4);
		break;
	}
	fd = ioctl(fz.dev, KIPC_IOC_OPEN, &o);
	fz_count();
	if (fd < 0)
		return -1;
	fz_note_id(t, o.out_id);
	fz_slot_put_in(t, type, fd);
	return fd;
}

/* One ioctl with a generated struct, on the right kind of fd or not. */
/*
 * A receive with KIPC_RECV_REGION that got a region installed an fd: keep
 * it as one of the regions, or close it, so that the table does not fill.
 */
static void fz_region_received(struct fz_thread *t, unsigned long nr,
			       const char *p)
{
	size_t off = nr == KIPC_IOC_MQ_RECV ?
		     offsetof(struct kipc_mq_recv, out_region_fd) :
		     offsetof(struct kipc_mq_sendrecv, out_region_fd);
	uint32_t size, flags;
	int32_t rfd;

	if (p + off + 4 > t->cmd + FZ_PAGE)
		return;
	memcpy(&size, p, 4);
	memcpy(&flags, p + 4, 4);
	if (!(flags & KIPC_RECV_REGION) || size < off + 4)
		return;
	memcpy(&rfd, p + off, 4);
	if (rfd < 0)
		return;
	if (fz_one_in(&t->rng, 2))
		close(rfd);
	else
		fz_slot_put_in(t, KIPC_OBJ_SHM, rfd);
}

static void fz_do_ioctl(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;
	const struct fz_ioctl *io = &fz_ioctls[fz_below(r, ARRAY_SIZE(fz_ioctls))];
	const struct fz_field *vecf = NULL;
	uint32_t type = io->type == ~0U ? 0 : io->type, size;
	unsigned long nr = io->nr;
	uintptr_t arg;
	char *p;
	int fd, dupfd = -1, ret, err, i;

	/* Build the struct at the start of the page, or against the guard. */
	memset(t->cmd, 0, FZ_PAGE);
	switch (fz_below(r, 20)) {
	case 0:
		p = t->cmd + FZ_PAGE - io->size / 2;
		break;
	case 1:
		p = t->cmd + 1 + 2 * fz_below(r, 4);
		break;
	default:
		p = t->cmd;
	}
	for (i = 0; i < io->nf; i++) {
		const struct fz_field *f = &io->f[i];
		uint64_t v;

		if (p + f->off + f->width > t->cmd + FZ_PAGE)
			continue;
		if (f->kind == K_ATTR) {
			union kipc_attr a;

			fz_attr(r, &a, 0);
			memcpy(p + f->off, &a, sizeof(a));
			continue;
		}
		if (f->kind == K_VEC) {
			vecf = f;
			continue;
		}
		v = fz_value(t, io, f, type);
		if (f->kind == K_RAW) {
			memset(p + f->off, (int)v, f->width);
			continue;
		}
		fz_put(p, f, v);
	}
	/* The vector last: its length is the count just drawn. */
	if (vecf && p + offsetof(struct kipc_mq_sendv, count) + 4 <=
		    t->cmd + FZ_PAGE) {
		uint32_t count;

		memcpy(&count, p + offsetof(struct kipc_mq_sendv, count), 4);
		fz_put(p, vecf, fz_vec(t, count));
	}
	memcpy(&size, p, 4);
	/* A longer struct with a non-zero tail: E2BIG. */
	if (size > io->size && p == t->cmd && fz_one_in(r, 4))
		p[io->size + fz_below(r, (size < FZ_PAGE ? size : FZ_PAGE) -
					io->size)] = 1;
	if (io->blocking && p + io->off_deadline + 8 <= t->cmd + FZ_PAGE)
		fz_bound_wait(t, io, p);
	else if (io->blocking)
		/* Against the guard: a fault, but never a wait. */
		memset(p + io->off_flags, KIPC_WAIT_NONBLOCK, 1);

	arg = (uintptr_t)p;
	switch (fz_below(r, 40)) {
	case 0:
		arg = 0;
		break;
	case 1:
		arg = FZ_KERNEL_PTR;
		break;
	case 2:
		arg = (uintptr_t)(t->cmd + FZ_PAGE);
		break;
	case 3: /* a number that is not ours, or another type's */
		nr = _IO(fz_one_in(r, 2) ? KIPC_TYPE : 'k', fz_below(r, 0x50));
		break;
	case 4: /* the same number with size and direction bits */
		nr = _IOC(fz_below(r, 4), KIPC_TYPE, _IOC_NR(io->nr),
			  fz_below(r, 1 << 14));
		break;
	}
	/*
	 * A random number that is another real command would read this
	 * struct with that command's layout: a wait with no deadline, or a
	 * receive into a pointer that was drawn as a send's source (which
	 * may be a mapping shorter than the message). Such numbers become
	 * INFO, whose only output is the struct itself.
	 */
	if (nr != io->nr)
		for (i = 0; i < (int)ARRAY_SIZE(fz_ioctls); i++)
			if (fz_ioctls[i].nr == nr)
				nr = KIPC_IOC_INFO;

	if (io->type == 0 && !fz_one_in(r, 10)) {
		fd = fz.dev;
	} else {
		/*
		 * Mostly an fd of the type the ioctl is for, made first if
		 * there is none. A private dup: the slot may be closed and
		 * reused meanwhile.
		 */
		if (io->type && io->type != ~0U && !fz_one_in(r, 8)) {
			fd = fz_slot_fd_of(r, io->type);
			if (fd < 0 && fz_one_in(r, 2))
				fz_open_valid(t, io->type);
			fd = fz_slot_fd_of(r, io->type);
		} else if (io->type == ~0U && !fz_one_in(r, 8)) {
			fd = fz_slot_fd_of(r, 1 + fz_below(r, 3));
		} else {
			fd = fz_slot_fd(r);
		}
		dupfd = dup(fd);
		fd = dupfd;
		if (fd < 0)
			fd = fz_one_in(r, 2) ? fz.dev : -1;
	}
	ret = ioctl(fd, nr, arg);
	err = errno;
	fz_count();
	atomic_fetch_add(&fz.sh->ioc_calls[io - fz_ioctls], 1);
	if (ret >= 0 && nr == io->nr)
		atomic_fetch_add(&fz.sh->ioc_ok[io - fz_ioctls], 1);
	if (ret < 0 && !fz_errno_ok(io, nr == io->nr, err))
		fz_wrong("%s (nr %#lx) on fd %d: undocumented errno %d (%s)",
			 io->name, nr, fd, err, strerror(err));
	if (ret >= 0 && arg == FZ_KERNEL_PTR)
		fz_wrong("%s (nr %#lx) succeeded with a kernel pointer",
			 io->name, nr);
	/* A name that must be refused was accepted. */
	if (ret >= 0 && arg == (uintptr_t)p && fz_name_off(io) &&
	    p + fz_name_off(io) + 8 <= t->cmd + FZ_PAGE) {
		uint64_t name;

		memcpy(&name, p + fz_name_off(io), 8);
		if (fz_bad_name(name))
			fz_wrong("%s accepted the bad name at %#llx",
				 io->name, (unsigned long long)name);
	}
	if (ret >= 0 && nr == KIPC_IOC_OPEN && fd == fz.dev) {
		struct kipc_open *o = (struct kipc_open *)p;

		fz_note_id(t, o->out_id);
		if (fz_one_in(r, 4))
			close(ret);
		else
			fz_slot_put_in(t, o->type, ret);
	}
	if (ret >= 0 && nr == KIPC_IOC_INFO)
		fz_note_id(t, ((struct kipc_info *)p)->out_id);
	if (ret >= 0 && arg == (uintptr_t)p &&
	    (nr == KIPC_IOC_MQ_RECV || nr == KIPC_IOC_MQ_SENDRECV))
		fz_region_received(t, nr, p);
	if (dupfd >= 0)
		close(dupfd);
}

/* read() or write() through an O_NONBLOCK description. */
static void fz_do_rw(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;
	int fd = dup(fz_one_in(r, 4) ? fz_slot_fd(r) :
				       fz_slot_fd_of(r, KIPC_OBJ_MQ));
	struct stat st;
	uint32_t len = fz_len(r);
	ssize_t ret;

	if (fd < 0)
		return;
	/*
	 * Only anonymous inodes (kipc objects, eventfd, epoll): a memfd
	 * would grow with every write, a pipe fill up.
	 */
	if (fstat(fd, &st) || (st.st_mode & S_IFMT)) {
		close(fd);
		return;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (fz_one_in(r, 2))
		ret = read(fd, (void *)(uintptr_t)fz_ptr(r, len, true), len);
	else
		ret = write(fd, (void *)(uintptr_t)fz_ptr(r, len, false), len);
	(void)ret;
	fz_count();
	close(fd);
}

static void fz_do_mmap(struct fz_thread *t)
{
	static const int prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE, PROT_NONE,
		PROT_READ | PROT_EXEC,
	};
	struct fz_rng *r = &t->rng;
	size_t pages = 1 + fz_below(r, 16);
	int fd = dup(fz_one_in(r, 4) ? fz_slot_fd(r) :
				       fz_slot_fd_of(r, KIPC_OBJ_SHM)), flags;
	off_t off = fz_one_in(r, 8) ? (off_t)fz_below(r, 4) * FZ_PAGE : 0;

	if (fz_one_in(r, 64))
		off = fz_one_in(r, 2) ? (off_t)1 << 40 : FZ_PAGE / 2;
	void *p;

	if (fd < 0)
		return;
	flags = fz_one_in(r, 4) ? MAP_PRIVATE : MAP_SHARED;
	if (fz_one_in(r, 16))
		flags |= MAP_POPULATE;
	p = mmap(NULL, pages * FZ_PAGE, fz_pick(r, prots), flags, fd, off);
	fz_count();
	close(fd);
	if (p == MAP_FAILED)
		return;
	p = (void *)atomic_exchange(&fz.map[fz_below(r, FZ_MAPS)],
				    (uintptr_t)p | (pages - 1));
	if (p)
		munmap((void *)((uintptr_t)p & ~(uintptr_t)(FZ_PAGE - 1)),
		       (((uintptr_t)p & (FZ_PAGE - 1)) + 1) * FZ_PAGE);
}

static void fz_do_unmap(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;
	int i = fz_below(r, FZ_MAPS);
	uintptr_t m = atomic_exchange(&fz.map[i], 0), addr;
	size_t len;
	void *n;

	if (!m)
		return;
	addr = m & ~(uintptr_t)(FZ_PAGE - 1);
	len = ((m & (FZ_PAGE - 1)) + 1) * FZ_PAGE;
	fz_count();
	/*
	 * Split the vma: a page out of the middle, or other protections on
	 * a part; the mapping stays in the pool, holes and all.
	 */
	if (fz_one_in(r, 4) && len > FZ_PAGE) {
		size_t off = fz_below(r, len / FZ_PAGE) * FZ_PAGE;

		if (fz_one_in(r, 2))
			munmap((void *)(addr + off), FZ_PAGE);
		else
			mprotect((void *)(addr + off), len - off,
				 fz_one_in(r, 2) ? PROT_READ :
				 fz_one_in(r, 2) ? PROT_READ | PROT_WRITE :
						   PROT_READ | PROT_EXEC);
		m = atomic_exchange(&fz.map[i], m);
		if (m)
			munmap((void *)(m & ~(uintptr_t)(FZ_PAGE - 1)),
			       ((m & (FZ_PAGE - 1)) + 1) * FZ_PAGE);
		return;
	}
	if (fz_one_in(r, 3)) {
		size_t nlen = (1 + fz_below(r, 16)) * FZ_PAGE;

		n = mremap((void *)addr, len, nlen, MREMAP_MAYMOVE);
		if (n != MAP_FAILED) {
			m = atomic_exchange(&fz.map[i],
					    (uintptr_t)n | (nlen / FZ_PAGE - 1));
			if (m)
				munmap((void *)(m & ~(uintptr_t)(FZ_PAGE - 1)),
				       ((m & (FZ_PAGE - 1)) + 1) * FZ_PAGE);
			return;
		}
	}
	munmap((void *)addr, len);
}

/* Read or write a mapped page; SIGBUS and SIGSEGV are expected. */
static void fz_do_touch(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;
	volatile char *p;
	size_t len;
	uintptr_t m = fz_some_map(r, &len);

	if (!m)
		return;
	p = (volatile char *)(m + fz_below(r, len));
	if (sigsetjmp(fz_jmp, 1) == 0) {
		fz_in_probe = 1;
		if (fz_one_in(r, 2))
			*p = 0x5a;
		else
			(void)*p;
		fz_in_probe = 0;
	}
	fz_count();
}

static void fz_do_poll(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;
	struct pollfd pfd[3];
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT };
	int i, ep;

	if (fz_one_in(r, 2)) {
		for (i = 0; i < 3; i++) {
			pfd[i].fd = fz_slot_fd(r);
			pfd[i].events = POLLIN | POLLOUT | POLLPRI;
		}
		poll(pfd, 3, fz_below(r, 2));
		fz_count();
		return;
	}
	/*
	 * The binder pattern: an epoll set watches an object whose fd may be
	 * closed by another thread while we wait.
	 */
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return;
	for (i = 0; i < 3; i++)
		epoll_ctl(ep, EPOLL_CTL_ADD, fz_slot_fd(r), &ev);
	epoll_wait(ep, &ev, 1, fz_below(r, 2));
	fz_count();
	if (fz_one_in(r, 2))
		fz_slot_put(t, ep);
	else
		close(ep);
}

static void fz_do_fds(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;
	int fd, fds[2], i;

	switch (fz_below(r, 10)) {
	case 0: case 1: case 2:
		fd = atomic_exchange(&fz.slot[fz_below(r, FZ_SLOTS)], -1);
		if (fd >= 0)
			close(fd);
		break;
	case 3: case 4: case 5:
		i = fz_below(r, FZ_SLOTS);
		fd = dup(atomic_load(&fz.slot[i]));
		if (fd >= 0)
			fz_slot_put_in(t, i / FZ_POOL, fd);
		break;
	case 6:
		if (pipe2(fds, O_CLOEXEC | O_NONBLOCK))
			break;
		fz_slot_put(t, fds[0]);
		fz_slot_put(t, fds[1]);
		break;
	case 7:
		fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (fd >= 0)
			fz_slot_put(t, fd);
		break;
	case 8:
		fd = memfd_create("fz", MFD_CLOEXEC);
		if (fd >= 0 && ftruncate(fd, FZ_PAGE)) {
			close(fd);
			fd = -1;
		}
		if (fd >= 0)
			fz_slot_put(t, fd);
		break;
	case 9:
		fd = open(fz_one_in(r, 2) ? "/dev/null" : KIPC_DEVICE_PATH,
			  O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			fz_slot_put(t, fd);
		break;
	}
	fz_count();
}

/* --- netlink ----------------------------------------------------------------- */

enum { A_U8, A_U16, A_U32, A_U64, A_STR, A_FLAG, A_NEST };

struct fz_nl_attr {
	uint16_t type;
	uint8_t kind;
};

/*
 * The attribute sets of the family, each attribute with its type. A new
 * attribute needs a line in its set; every op is sent attributes of its
 * set (mostly its own, see fz_nl_ops[]), and now and then an unknown one.
 */
static const struct fz_nl_attr fz_obj_attrs[] = {
	{ KIPC_A_OBJ_PAD, A_U64 },	{ KIPC_A_OBJ_ID, A_U64 },
	{ KIPC_A_OBJ_TYPE, A_U32 },	{ KIPC_A_OBJ_NAME, A_STR },
	{ KIPC_A_OBJ_NS, A_U32 },	{ KIPC_A_OBJ_UID, A_U32 },
	{ KIPC_A_OBJ_GID, A_U32 },	{ KIPC_A_OBJ_MODE, A_U32 },
	{ KIPC_A_OBJ_STATE, A_U32 },	{ KIPC_A_OBJ_BYTES, A_U64 },
	{ KIPC_A_OBJ_MQ_MAX_MSGS, A_U32 },
	{ KIPC_A_OBJ_SHM_SIZE, A_U64 },	{ KIPC_A_OBJ_SEM_VALUE, A_U32 },
	{ KIPC_A_OBJ_SEM_OTIME, A_U64 },
	{ KIPC_A_OBJ_ACTOR_PID, A_U32 },
	{ KIPC_A_OBJ_ACTOR_UID, A_U32 },
	{ KIPC_A_OBJ_MAX + 1, A_U32 },	{ 0x7fff, A_NEST },
};

static const struct fz_nl_attr fz_stats_attrs[] = {
	{ KIPC_A_STATS_PAD, A_U64 },
	{ KIPC_A_STATS_ABI_VERSION, A_U32 },
	{ KIPC_A_STATS_LIMIT_OBJECTS, A_U32 },
	{ KIPC_A_STATS_LIMIT_BYTES, A_U64 },
	{ KIPC_A_STATS_MAX + 1, A_U64 },
};

static const struct fz_nl_attr fz_limits_attrs[] = {
	{ KIPC_A_LIMITS_PAD, A_U64 },	{ KIPC_A_LIMITS_UID, A_U32 },
	{ KIPC_A_LIMITS_OBJECTS, A_U32 },
	{ KIPC_A_LIMITS_BYTES, A_U64 },
	{ KIPC_A_LIMITS_UID_OBJECTS, A_U32 },
	{ KIPC_A_LIMITS_UID_BYTES, A_U64 },
	{ KIPC_A_LIMITS_OBJECTS_USED, A_U32 },
	{ KIPC_A_LIMITS_BYTES_USED, A_U64 },
	{ KIPC_A_LIMITS_OVERRIDE, A_U32 },
	{ KIPC_A_LIMITS_RESET, A_FLAG },
	{ KIPC_A_LIMITS_MAX + 1, A_U32 },
};

#define FZ_SET(_a)	{ _a, ARRAY_SIZE(_a) }

struct fz_nl_set {
	const struct fz_nl_attr *a;
	size_t n;
};

static const struct fz_nl_set fz_obj_set = FZ_SET(fz_obj_attrs);
static const struct fz_nl_set fz_stats_set = FZ_SET(fz_stats_attrs);
static const struct fz_nl_set fz_limits_set = FZ_SET(fz_limits_attrs);

struct fz_nl_op {
	const char *name;
	uint8_t cmd;
	uint16_t nlflags;
	const struct fz_nl_set *set;
	uint16_t attrs[8];	/* its own attributes, 0-terminated */
	int want_err;		/* 0: must succeed once; else must give it once */
};

/*
 * Every operation of the family. A new one needs one line: its command,
 * whether it is a dump, its attribute set and the attributes it reads.
 * (LIMITS_SET is admin-only, so the unprivileged fuzzer only meets its
 * permission check, which also keeps it from changing the limits under
 * the other tests.)
 */
static const struct fz_nl_op fz_nl_ops[] = {
	{ "obj-get", KIPC_CMD_OBJ_GET, 0, &fz_obj_set,
	  { KIPC_A_OBJ_ID, KIPC_A_OBJ_TYPE, KIPC_A_OBJ_NAME }, 0 },
	{ "obj-dump", KIPC_CMD_OBJ_GET, NLM_F_DUMP, &fz_obj_set,
	  { KIPC_A_OBJ_TYPE }, 0 },
	{ "obj-remove", KIPC_CMD_OBJ_REMOVE, NLM_F_ACK, &fz_obj_set,
	  { KIPC_A_OBJ_ID, KIPC_A_OBJ_TYPE, KIPC_A_OBJ_NAME }, 0 },
	{ "stats-get", KIPC_CMD_STATS_GET, 0, &fz_stats_set, { 0 }, 0 },
	{ "limits-get", KIPC_CMD_LIMITS_GET, 0, &fz_limits_set,
	  { KIPC_A_LIMITS_UID }, 0 },
	{ "limits-dump", KIPC_CMD_LIMITS_GET, NLM_F_DUMP, &fz_limits_set,
	  { 0 }, 0 },
	{ "limits-set", KIPC_CMD_LIMITS_SET, NLM_F_ACK, &fz_limits_set,
	  { KIPC_A_LIMITS_UID, KIPC_A_LIMITS_OBJECTS, KIPC_A_LIMITS_BYTES,
	    KIPC_A_LIMITS_UID_OBJECTS, KIPC_A_LIMITS_UID_BYTES,
	    KIPC_A_LIMITS_RESET }, EPERM },
};

/*
 * The errnos a reply of the family may carry, by command, from kipc(7)
 * ("The admin path"), the uapi header and the kipc_admin_*(3) pages. Every
 * request may get these: EINVAL and ERANGE (strict policies: an unknown
 * attribute, a wrong length, a bad selector, a value out of range),
 * EOPNOTSUPP (a command the family lacks, or a dump of a command that has
 * only a do, and the reverse: genetlink), ENOMEM, and EAGAIN (genetlink:
 * the reply did not fit the socket's full receive queue; the fuzzer leaves
 * replies unread, and a forked child shares the socket).
 */
static const int fz_nl_common_errnos[] = {
	EINVAL, ERANGE, EOPNOTSUPP, ENOMEM, EAGAIN, 0
};

/*
 * Each command's own errnos, for a do and for a dump. A dump may also get
 * EBUSY: af_netlink refuses a dump while the socket's previous one runs
 * (one the fuzzer left half read).
 */
static const struct fz_nl_errs {
	uint8_t cmd;
	const int *doit;
	const int *dumpit;
} fz_nl_errs[] = {
	{ KIPC_CMD_OBJ_GET, ERRS(ENOENT), ERRS(EBUSY) },
	{ KIPC_CMD_OBJ_REMOVE, ERRS(ENOENT, EPERM), NULL },
	{ KIPC_CMD_STATS_GET, ERRS(0), NULL },
	{ KIPC_CMD_LIMITS_GET, ERRS(0), ERRS(EBUSY) },
	/* 6.1's genetlink checks the permission before whether a dump exists. */
	{ KIPC_CMD_LIMITS_SET, ERRS(EPERM), ERRS(EPERM) },
	/* Subscribed already; 64 subscribed sockets of the user. */
	{ KIPC_CMD_MONITOR_SUBSCRIBE, ERRS(EBUSY, EMFILE), NULL },
};

/* Whether @err is documented for command @cmd of the family, do or dump. */
static bool fz_nl_errno_ok(uint8_t cmd, bool dump, int err)
{
	size_t i;

	if (fz_errno_in(fz_nl_common_errnos, err))
		return true;
	for (i = 0; i < ARRAY_SIZE(fz_nl_errs); i++)
		if (fz_nl_errs[i].cmd == cmd) {
			const int *tbl = dump ? fz_nl_errs[i].dumpit :
						fz_nl_errs[i].doit;

			return tbl && fz_errno_in(tbl, err);
		}
	return false;
}

static uint8_t fz_nl_kind(const struct fz_nl_set *set, uint16_t type)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->a[i].type == type)
			return set->a[i].kind;
	return A_U32;
}

static int fz_nl_put(struct nlmsghdr *nlh, size_t room, uint16_t type,
		     const void *data, uint16_t len)
{
	struct nlattr *nla = (struct nlattr *)((char *)nlh +
					       NLMSG_ALIGN(nlh->nlmsg_len));

	if (NLMSG_ALIGN(nlh->nlmsg_len) + NLA_HDRLEN + NLA_ALIGN(len) > room)
		return -1;
	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy((char *)nla + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(nla->nla_len);
	return 0;
}

static void fz_nl_attr_val(struct fz_thread *t, struct nlmsghdr *nlh,
			   size_t room, const struct fz_nl_set *set,
			   uint16_t type)
{
	struct fz_rng *r = &t->rng;
	char data[KIPC_NAME_MAX + 8];
	bool bad = false, str = false;
	uint64_t v;
	uint16_t len;
	const char *s;

	switch (fz_nl_kind(set, type)) {
	case A_U64:
		if (set == &fz_obj_set && type == KIPC_A_OBJ_ID &&
		    !fz_one_in(r, 4))
			v = atomic_load(&fz.ids[fz_below(r, FZ_IDS)]);
		else
			v = fz_u64(r, 1 << 20);
		memcpy(data, &v, 8);
		len = 8;
		break;
	case A_STR:
		bad = fz_one_in(r, 4);
		s = bad ? fz.bad_name[fz_below(r, fz.nbad)] :
			  fz.name[fz_below(r, FZ_NAMES)];
		/* One bad name has no NUL before the guard page. */
		len = strnlen(s, fz.names + FZ_PAGE - s < KIPC_NAME_MAX + 1 ?
				 (size_t)(fz.names + FZ_PAGE - s) :
				 KIPC_NAME_MAX + 1);
		memcpy(data, s, len);
		/* Without its NUL, now and then. */
		if (!fz_one_in(r, 4))
			data[len++] = 0;
		/* The one without a NUL is bad only as a pointer. */
		bad = bad && s != fz.bad_name[fz.nbad - 1];
		str = true;
		break;
	case A_NEST:
	case A_FLAG:
		len = 0;
		break;
	default:
		if (set == &fz_obj_set && type == KIPC_A_OBJ_TYPE)
			v = fz_one_in(r, 4) ? fz_u32(r, KIPC_OBJ_SEM) :
					      1 + fz_below(r, 3);
		else if (set == &fz_limits_set && type == KIPC_A_LIMITS_UID)
			v = fz_one_in(r, 2) ? KIPC_UID1 : fz_u32(r, 1 << 16);
		else
			v = fz_u32(r, 1 << 16);
		memcpy(data, &v, 4);
		len = 4;
	}
	/* The wrong length for the type. */
	if (fz_one_in(r, 10)) {
		len = fz_below(r, 12);
		str = false;	/* a cut name may be valid */
	}
	if (fz_one_in(r, 20))
		type |= NLA_F_NESTED;
	if (fz_nl_put(nlh, room, type, data, len) || !str)
		return;
	if (bad)
		t->nl_bad_name = true;
	else
		t->nl_good_name = true;
}

static void fz_nl_open(struct fz_thread *t)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int bufsz = 1 << 16;

	if (t->nl >= 0)
		close(t->nl);
	t->nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (t->nl < 0)
		return;
	setsockopt(t->nl, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	if (bind(t->nl, (struct sockaddr *)&sa, sizeof(sa))) {
		close(t->nl);
		t->nl = -1;
	}
}

static void fz_do_netlink(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;
	const struct fz_nl_op *op = &fz_nl_ops[fz_below(r, ARRAY_SIZE(fz_nl_ops))];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char req[1024] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = (struct nlmsghdr *)req;
	struct genlmsghdr *genl = NLMSG_DATA(nlh);
	int i, n, err = 0;
	bool answered = false, judged, own, dump;
	uint32_t seq;
	uint8_t cmd;
	ssize_t len;

	if (t->nl < 0 || fz_one_in(r, 200))
		fz_nl_open(t);
	if (t->nl < 0)
		return;

	/* Join or leave the family's multicast groups now and then. */
	if (fz.nmcgrp && fz_one_in(r, 50)) {
		__u32 grp = fz.mcgrp[fz_below(r, fz.nmcgrp)];

		setsockopt(t->nl, SOL_NETLINK,
			   fz_one_in(r, 2) ? NETLINK_ADD_MEMBERSHIP :
					     NETLINK_DROP_MEMBERSHIP,
			   &grp, sizeof(grp));
	}

	memset(req, 0, sizeof(struct nlmsghdr) + GENL_HDRLEN);
	nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	nlh->nlmsg_type = fz_one_in(r, 100) ? GENL_ID_CTRL : fz.family;
	nlh->nlmsg_flags = NLM_F_REQUEST | op->nlflags;
	if (fz_one_in(r, 10))
		nlh->nlmsg_flags ^= 1 << fz_below(r, 12);
	nlh->nlmsg_seq = (uint32_t)fz_next(r);
	genl->cmd = fz_one_in(r, 20) ? fz_below(r, 256) : op->cmd;
	genl->version = fz_one_in(r, 20) ? fz_below(r, 256) :
					   KIPC_GENL_VERSION;

	n = fz_below(r, 4);
	t->nl_bad_name = t->nl_good_name = false;
	for (i = 0; i < n; i++) {
		uint16_t type;

		if (op->attrs[0] && !fz_one_in(r, 3))
			type = op->attrs[fz_below(r, ARRAY_SIZE(op->attrs))];
		else
			type = op->set->a[fz_below(r, op->set->n)].type;
		if (!type)
			type = op->attrs[0];
		if (type)
			fz_nl_attr_val(t, nlh, sizeof(req), op->set, type);
	}
	/* A length that runs past the message, or short of the header. */
	if (fz_one_in(r, 30))
		nlh->nlmsg_len -= fz_below(r, 8) + 1;
	else if (fz_one_in(r, 30) && nlh->nlmsg_len > NLMSG_LENGTH(GENL_HDRLEN))
		((struct nlattr *)(req + NLMSG_LENGTH(GENL_HDRLEN)))->nla_len +=
			fz_below(r, 64);

	/*
	 * What the request is, as sent: the kernel judges a request of the
	 * family by its command and NLM_F_DUMP (any of its bits), and
	 * ignores one without NLM_F_REQUEST or too short for a header.
	 */
	seq = nlh->nlmsg_seq;
	cmd = genl->cmd;
	dump = nlh->nlmsg_flags & NLM_F_DUMP;
	judged = nlh->nlmsg_type == fz.family &&
		 (nlh->nlmsg_flags & NLM_F_REQUEST);
	own = judged && cmd == op->cmd &&
	      dump == !!(op->nlflags & NLM_F_DUMP);
	if (sendto(t->nl, req, nlh->nlmsg_len, MSG_DONTWAIT,
		   (struct sockaddr *)&sa, sizeof(sa)) < 0)
		judged = own = false;
	fz_count();
	if (own)
		atomic_fetch_add(&fz.sh->nl_calls[op - fz_nl_ops], 1);
	/* Drain, which also drives a dump on; or leave it for a later close. */
	if (fz_one_in(r, 8))
		return;
	/*
	 * The reply to this request is what carries its sequence number: an
	 * error or an ACK, a NLMSG_DONE with the dump's status, or data.
	 * Others are replies left unread earlier, events, or a forked
	 * child's (which shares the socket). A reply lost to an overrun
	 * leaves the request unanswered, and unjudged.
	 */
	for (i = 0; i < 256; i++) {
		struct nlmsghdr *m;

		len = recv(t->nl, t->nlbuf, FZ_NL_BUF, MSG_DONTWAIT);
		if (len < 0) {
			if (errno != EINTR && errno != ENOBUFS)
				break;
			continue;
		}
		for (m = (struct nlmsghdr *)t->nlbuf; NLMSG_OK(m, len);
		     m = NLMSG_NEXT(m, len)) {
			int e = 0;

			if (m->nlmsg_seq != seq)
				continue;
			if ((m->nlmsg_type == NLMSG_ERROR ||
			     m->nlmsg_type == NLMSG_DONE) &&
			    m->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
				memcpy(&e, NLMSG_DATA(m), sizeof(int));
			answered = true;
			if (e < 0 && !err)
				err = -e;
		}
	}
	if (!judged || !answered)
		return;
	if (err && !fz_nl_errno_ok(cmd, dump, err))
		fz_wrong("netlink %s (cmd %u%s): undocumented errno %d (%s)",
			 own ? op->name : "request", cmd, dump ? ", dump" : "",
			 err, strerror(err));
	/* A name that must be refused selected an object. */
	if (!err && !dump && t->nl_bad_name && !t->nl_good_name &&
	    (cmd == KIPC_CMD_OBJ_GET || cmd == KIPC_CMD_OBJ_REMOVE))
		fz_wrong("netlink cmd %u accepted a bad name", cmd);
	if (!own)
		return;
	atomic_fetch_add(&fz.sh->nl_answered[op - fz_nl_ops], 1);
	if (!err)
		atomic_fetch_add(&fz.sh->nl_ok[op - fz_nl_ops], 1);
	else if (err == op->want_err)
		atomic_fetch_add(&fz.sh->nl_want[op - fz_nl_ops], 1);
}

/* --- processes and signals ------------------------------------------------ */

static void fz_run(struct fz_thread *t, unsigned long ops);

static void fz_do_fork(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;
	uint64_t child_seed = fz_next(r);
	uint64_t end;
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		/* The child has only this thread; the others' state is frozen. */
		fz_rng_init(&t->rng, child_seed, 0);
		t->child = true;
		/*
		 * Now and then in an IPC namespace of its own, where it is
		 * its user namespace's root: admin paths, and a namespace
		 * that dies with objects in it.
		 */
		if (fz_one_in(&t->rng, 4) &&
		    !unshare(CLONE_NEWUSER | CLONE_NEWIPC))
			atomic_fetch_add(&fz.sh->newns, 1);
		if (t->nl >= 0 && fz_one_in(&t->rng, 2))
			fz_nl_open(t);
		fz_run(t, 20 + fz_below(&t->rng, 200));
		_exit(0);
	}
	atomic_fetch_add(&fz.sh->forks, 1);
	fz_count();
	if (fz_one_in(r, 2)) {
		usleep(fz_below(r, 3000));
		kill(pid, SIGKILL);
		atomic_fetch_add(&fz.sh->kills, 1);
	}
	/* Every call of the child is bounded; a child that stays is a hang. */
	end = fz_now(CLOCK_MONOTONIC) + 20ULL * 1000000000ULL;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (fz_now(CLOCK_MONOTONIC) > end) {
			atomic_fetch_add(&fz.sh->hangs, 1);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(1000);
	}
}

static void fz_do_signal(struct fz_thread *t)
{
	if (t->child || fz.nthreads < 2)
		return;
	pthread_kill(fz.tid[fz_below(&t->rng, fz.nthreads)], SIGUSR1);
	fz_count();
}

/* --- the loop -------------------------------------------------------------- */

static void fz_run(struct fz_thread *t, unsigned long ops)
{
	struct fz_rng *r = &t->rng;
	unsigned long i;

	for (i = 0; i < ops && !atomic_load(&fz.stop); i++) {
		uint32_t w = fz_below(r, 100);

		if (w < 45)
			fz_do_ioctl(t);
		else if (w < 55)
			fz_do_netlink(t);
		else if (w < 63)
			fz_do_fds(t);
		else if (w < 69)
			fz_do_mmap(t);
		else if (w < 73)
			fz_do_unmap(t);
		else if (w < 79)
			fz_do_touch(t);
		else if (w < 85)
			fz_do_rw(t);
		else if (w < 92)
			fz_do_poll(t);
		else if (w < 93 && !t->child && fz_one_in(r, 4))
			fz_do_fork(t);
		else if (w < 94)
			fz_do_signal(t);
		else
			fz_do_ioctl(t);
	}
}

static void *fz_thread_main(void *arg)
{
	struct fz_thread *t = arg;

	/* fz.tid[] must be complete before anyone signals a sibling. */
	while (!atomic_load(&fz.go))
		usleep(1000);
	fz_run(t, ULONG_MAX);
	return NULL;
}

/* --- setup and the checks afterwards -------------------------------------- */

static uint64_t fz_env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

static char *fz_map_guarded(size_t len)
{
	char *p = mmap(NULL, len + FZ_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + len, FZ_PAGE, PROT_NONE)) {
		munmap(p, len + FZ_PAGE);
		return NULL;
	}
	return p;
}

/* The names page: valid names of ours, and names that must fail. */
static int fz_setup_names(void)
{
	char *p, *end;
	int i;

	fz.names = fz_map_guarded(FZ_PAGE);
	if (!fz.names)
		return -1;
	p = fz.names;
	for (i = 0; i < FZ_NAMES - 1; i++) {
		fz.name[i] = p;
		p += sprintf(p, "fz%d.%d", (int)getpid(), i) + 1;
	}
	/* The longest valid name, and one byte more. */
	fz.name[FZ_NAMES - 1] = p;
	i = sprintf(p, "fz%d.L", (int)getpid());
	memset(p + i, 'L', KIPC_NAME_MAX - i);
	p[KIPC_NAME_MAX] = 0;
	p += KIPC_NAME_MAX + 1;
	fz.bad_name[fz.nbad++] = p;
	memset(p, 'x', KIPC_NAME_MAX + 1);
	p[KIPC_NAME_MAX + 1] = 0;
	p += KIPC_NAME_MAX + 2;
	fz.bad_name[fz.nbad++] = p;
	p += sprintf(p, "fz/slash") + 1;
	fz.bad_name[fz.nbad++] = p;
	p += sprintf(p, "fz space") + 1;
	fz.bad_name[fz.nbad++] = p;
	p += sprintf(p, "fz\x7f\x80") + 1;
	fz.bad_name[fz.nbad++] = p;
	*p++ = 0;					/* empty */
	/* No NUL before the guard page. */
	end = fz.names + FZ_PAGE;
	memset(end - 16, 'n', 16);
	fz.bad_name[fz.nbad++] = end - 16;
	return mprotect(fz.names, FZ_PAGE, PROT_READ);
}

static bool fz_nla_ok(const struct nlattr *nla, int rem)
{
	return rem >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN &&
	       nla->nla_len <= rem;
}

static const struct nlattr *fz_nla_next(const struct nlattr *nla, int *rem)
{
	*rem -= NLA_ALIGN(nla->nla_len);
	return (const struct nlattr *)((const char *)nla +
				       NLA_ALIGN(nla->nla_len));
}

#define fz_nla_data(_nla) \
	((const struct nlattr *)((const char *)(_nla) + NLA_HDRLEN))
#define fz_nla_for_each(_pos, _head, _len, _rem)			\
	for (_pos = (_head), _rem = (_len); fz_nla_ok(_pos, _rem);	\
	     _pos = fz_nla_next(_pos, &(_rem)))

/* Family id and multicast groups of "kipc", by hand, for the fuzzer. */
static int fz_resolve_family(void)
{
	const struct nlattr *a, *g, *e;
	struct kipc_nl_req req;
	struct nlmsghdr *nlh;
	int rem, grem, erem;
	struct kipc_nl nl;
	char *buf;
	ssize_t n;
	int ret;

	ret = kipc_nl_open(&nl);
	if (ret)
		return ret;
	fz.family = nl.family;
	kipc_nl_req_init(&nl, &req, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	kipc_nl_put_attr(&req.nlh, CTRL_ATTR_FAMILY_NAME, KIPC_GENL_NAME,
			 sizeof(KIPC_GENL_NAME));
	buf = malloc(KIPC_NL_BUF);
	if (!buf || kipc_nl_send(&nl, &req))
		goto out;
	n = recv(nl.fd, buf, KIPC_NL_BUF, 0);
	for (nlh = (struct nlmsghdr *)buf; n > 0 && NLMSG_OK(nlh, n);
	     nlh = NLMSG_NEXT(nlh, n)) {
		if (nlh->nlmsg_type != GENL_ID_CTRL)
			continue;
		fz_nla_for_each(a, (const struct nlattr *)
				((char *)NLMSG_DATA(nlh) + GENL_HDRLEN),
				(int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
				rem) {
			if ((a->nla_type & NLA_TYPE_MASK) !=
			    CTRL_ATTR_MCAST_GROUPS)
				continue;
			fz_nla_for_each(g, fz_nla_data(a),
					a->nla_len - NLA_HDRLEN, grem)
				fz_nla_for_each(e, fz_nla_data(g),
						g->nla_len - NLA_HDRLEN, erem)
					if (e->nla_type ==
					    CTRL_ATTR_MCAST_GRP_ID &&
					    fz.nmcgrp < 4)
						memcpy(&fz.mcgrp[fz.nmcgrp++],
						       fz_nla_data(e), 4);
		}
	}
out:
	free(buf);
	close(nl.fd);
	return 0;
}

static void fz_cleanup(void)
{
	uintptr_t m;
	int i, fd;
	__u32 type;

	for (i = 0; i < FZ_SLOTS; i++) {
		fd = atomic_exchange(&fz.slot[i], -1);
		if (fd >= 0)
			close(fd);
	}
	for (i = 0; i < FZ_MAPS; i++) {
		m = atomic_exchange(&fz.map[i], 0);
		if (m)
			munmap((void *)(m & ~(uintptr_t)(FZ_PAGE - 1)),
			       ((m & (FZ_PAGE - 1)) + 1) * FZ_PAGE);
	}
	for (type = KIPC_OBJ_MQ; type <= KIPC_OBJ_SEM; type++)
		for (i = 0; i < FZ_NAMES; i++)
			_test_cmd_unlink(fz.dev, type, fz.name[i]);
}

/*
 * A name the fuzzer made up (an arena pointer that happened to hold a valid
 * name) is in no list: remove whatever our uid still owns, as an admin
 * would. Returns how many were removed, or -errno.
 */
static int fz_sweep(void)
{
	struct kipc_nl_msg *msgs = calloc(1024, sizeof(*msgs));
	struct kipc_nl nl;
	int i, n, removed = 0, ret;

	if (!msgs)
		return -ENOMEM;
	ret = kipc_nl_open(&nl);
	if (ret)
		goto out_free;
	n = kipc_nl_obj_dump(&nl, msgs, 1024);
	for (i = 0; i < n && i < 1024; i++) {
		if (!msgs[i].has[KIPC_A_OBJ_UID] ||
		    msgs[i].val[KIPC_A_OBJ_UID] != KIPC_UID1)
			continue;
		if (!kipc_nl_obj_remove(&nl, msgs[i].val[KIPC_A_OBJ_ID]))
			removed++;
	}
	ret = n < 0 ? n : removed;
	close(nl.fd);
out_free:
	free(msgs);
	return ret;
}

/*
 * Objects in our namespace under one of the names the worker @pid gave
 * itself (fz<pid>.N, fz<pid>.L...), or -errno.
 */
static int fz_own_left(pid_t pid)
{
	struct kipc_nl_msg *msgs = calloc(1024, sizeof(*msgs));
	char prefix[32];
	struct kipc_nl nl;
	int i, n, left = 0, ret;

	if (!msgs)
		return -ENOMEM;
	snprintf(prefix, sizeof(prefix), "fz%d.", (int)pid);
	ret = kipc_nl_open(&nl);
	if (ret)
		goto out_free;
	n = kipc_nl_obj_dump(&nl, msgs, 1024);
	for (i = 0; i < n && i < 1024; i++)
		if (!strncmp(msgs[i].name, prefix, strlen(prefix)))
			left++;
	ret = n < 0 ? n : left;
	close(nl.fd);
out_free:
	free(msgs);
	return ret;
}

/* How the worker process ends. */
enum {
	FZ_OK,
	FZ_SETUP_FAILED,
	FZ_HANG,
};

/*
 * The fuzzing proper, in a process of its own: whatever becomes of it (a
 * crash of the fuzzer itself, a hang), the test process survives to judge,
 * clean up and check the module.
 */
static int fz_worker(void)
{
	static struct fz_thread threads[FZ_MAX_THREADS];
	struct sigaction sa = {};
	struct timespec ts;
	int i, ret = FZ_OK;

	fz.arena = fz_map_guarded(FZ_ARENA);
	if (!fz.arena || fz_setup_names())
		return FZ_SETUP_FAILED;
	kipc_fill(fz.arena, FZ_ARENA, (unsigned int)fz.seed);
	for (i = 0; i < FZ_SLOTS; i++)
		atomic_store(&fz.slot[i], -1);

	/* Unprivileged, so that the per-uid limits bound what we pin. */
	if (setgroups(0, NULL) || setresgid(KIPC_GID1, KIPC_GID1, KIPC_GID1) ||
	    setresuid(KIPC_UID1, KIPC_UID1, KIPC_UID1))
		return FZ_SETUP_FAILED;

	sa.sa_handler = fz_fault;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	fz.sa_restart = fz.seed & 1;
	sa.sa_handler = fz_nop;
	sa.sa_flags = fz.sa_restart ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);

	for (i = 0; i < fz.nthreads; i++) {
		struct fz_thread *t = &threads[i];

		fz_rng_init(&t->rng, fz.seed, i + 1);
		t->idx = i;
		t->nl = -1;
		t->cmd = fz_map_guarded(FZ_PAGE);
		t->vec = (void *)fz_map_guarded(FZ_VEC_PAGES * FZ_PAGE);
		t->nlbuf = malloc(FZ_NL_BUF);
		if (!t->cmd || !t->vec || !t->nlbuf)
			return FZ_SETUP_FAILED;
		/* The last entry ends at the guard page. */
		t->vec = (void *)((char *)t->vec + FZ_VEC_PAGES * FZ_PAGE -
				  FZ_VEC_MAX * sizeof(*t->vec));
	}
	for (i = 0; i < fz.nthreads; i++)
		if (pthread_create(&fz.tid[i], NULL, fz_thread_main,
				   &threads[i]))
			return FZ_SETUP_FAILED;
	atomic_store(&fz.go, true);
	for (i = 0; i < fz.nthreads; i++) {
		/* Each one stops within its current call once fz.stop is set. */
		while (!atomic_load(&fz.stop))
			usleep(100000);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += FZ_HANG_SECS;
		if (pthread_timedjoin_np(fz.tid[i], NULL, &ts)) {
			printf("# fuzz: thread %d did not stop: hang\n", i);
			fflush(stdout);
			return FZ_HANG;
		}
	}
	for (i = 0; i < fz.nthreads; i++)
		if (threads[i].nl >= 0)
			close(threads[i].nl);
	if (atomic_load(&fz.sh->hangs))
		ret = FZ_HANG;

	/* How much got past the checks, so that a dull fuzzer shows. */
	for (i = 0; i < (int)ARRAY_SIZE(fz_ioctls); i++)
		printf("# fuzz: %-22s %7lu calls, %6lu succeeded\n",
		       fz_ioctls[i].name, atomic_load(&fz.sh->ioc_calls[i]),
		       atomic_load(&fz.sh->ioc_ok[i]));
	for (i = 0; i < (int)ARRAY_SIZE(fz_nl_ops); i++)
		printf("# fuzz: netlink %-14s %7lu sent, %6lu answered, %6lu succeeded, %6lu with its errno\n",
		       fz_nl_ops[i].name, atomic_load(&fz.sh->nl_calls[i]),
		       atomic_load(&fz.sh->nl_answered[i]),
		       atomic_load(&fz.sh->nl_ok[i]),
		       atomic_load(&fz.sh->nl_want[i]));
	fflush(stdout);
	fz_cleanup();
	return ret;
}

FIXTURE(fuzz) {
	int fd;
};

FIXTURE_SETUP(fuzz)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(fuzz)
{
	close(self->fd);
}

/*
 * The harness limit only matters for a hang the watchdog below cannot end
 * (a worker that cannot be killed); the budget itself is
 * KIPC_FUZZ_SECS/CALLS.
 */
TEST_F_TIMEOUT(fuzz, random_calls, 4 * 3600)
{
	bool debug = getenv("KIPC_MODE") &&
		     !strcmp(getenv("KIPC_MODE"), "debug");
	uint64_t start, last_ns, calls_env = fz_env_u64("KIPC_FUZZ_CALLS", 0);
	unsigned long last = 0, calls;
	struct kipc_nl nl;
	struct kipc_nl_msg st;
	char buf[64], out[64];
	unsigned int prio;
	int i, q, ret, status = 0;
	bool hung = false;
	pid_t pid;

	fz.seed = fz_env_u64("KIPC_FUZZ_SEED", 0);
	if (!fz.seed)
		fz.seed = fz_now(CLOCK_REALTIME) ^ ((uint64_t)getpid() << 32);
	fz.budget = calls_env ? calls_env : debug ? 1000000 : 400000;
	fz.nthreads = fz_env_u64("KIPC_FUZZ_THREADS", 4);
	if (fz.nthreads < 1 || fz.nthreads > FZ_MAX_THREADS)
		fz.nthreads = 4;
	start = fz_now(CLOCK_MONOTONIC);
	i = fz_env_u64("KIPC_FUZZ_SECS", calls_env || debug ? 0 : 75);
	fz.end_ns = i ? start + (uint64_t)i * 1000000000ULL : 0;
	TH_LOG("seed 0x%llx (rerun with KIPC_FUZZ_SEED=0x%llx), %d threads, budget %lu calls%s",
	       (unsigned long long)fz.seed, (unsigned long long)fz.seed,
	       fz.nthreads, fz.budget, i ? " or the time limit" : "");
	printf("# fuzz: seed=0x%llx\n", (unsigned long long)fz.seed);
	fflush(stdout);

	fz.dev = self->fd;
	fz.sh = mmap(NULL, sizeof(*fz.sh), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, fz.sh);
	ret = fz_resolve_family();
	if (ret)
		SKIP(return, "no kipc netlink family: %s", strerror(-ret));
	printf("# fuzz: %d multicast groups to join and leave\n", fz.nmcgrp);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(fz_worker());

	/* The watchdog: some call must finish every FZ_HANG_SECS. */
	last_ns = fz_now(CLOCK_MONOTONIC);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		usleep(200000);
		calls = atomic_load(&fz.sh->calls);
		if (calls != last) {
			last = calls;
			last_ns = fz_now(CLOCK_MONOTONIC);
		} else if (fz_now(CLOCK_MONOTONIC) - last_ns >
			   FZ_HANG_SECS * 1000000000ULL) {
			TH_LOG("no call finished for %d s at %lu calls: hang",
			       FZ_HANG_SECS, calls);
			hung = true;
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
	}

	calls = atomic_load(&fz.sh->calls);
	printf("# fuzz: %lu calls in %.1f s, %lu forks (%lu killed, %lu in a new IPC namespace), seed=0x%llx\n",
	       calls, (fz_now(CLOCK_MONOTONIC) - start) / 1e9,
	       atomic_load(&fz.sh->forks), atomic_load(&fz.sh->kills),
	       atomic_load(&fz.sh->newns), (unsigned long long)fz.seed);
	fflush(stdout);
	EXPECT_FALSE(hung);
	EXPECT_TRUE(WIFEXITED(status))
		TH_LOG("the worker died of signal %d (seed 0x%llx)",
		       WTERMSIG(status), (unsigned long long)fz.seed);
	if (WIFEXITED(status))
		EXPECT_EQ(FZ_OK, WEXITSTATUS(status))
			TH_LOG("the worker failed (%d): %s", WEXITSTATUS(status),
			       WEXITSTATUS(status) == FZ_HANG ? "hang" : "setup");
	if (debug)
		EXPECT_LE(1000000UL, calls);

	/* Every call kept to its documentation. */
	EXPECT_EQ(0UL, atomic_load(&fz.sh->bad))
		TH_LOG("%lu calls broke their documentation; the first: %s (seed 0x%llx)",
		       atomic_load(&fz.sh->bad), fz.sh->why,
		       (unsigned long long)fz.seed);
	/* A fuzzer that never got past an ioctl's checks tested only them. */
	for (i = 0; i < (int)ARRAY_SIZE(fz_ioctls); i++) {
		const char *what = fz_ioctls[i].name;

		EXPECT_LT(0UL, atomic_load(&fz.sh->ioc_ok[i]))
			TH_LOG("%s never succeeded in %lu calls",
			       what ? what : "?",
			       atomic_load(&fz.sh->ioc_calls[i]));
	}
	/*
	 * Likewise every netlink operation, but limits-set: the unprivileged
	 * fuzzer can only reach its permission check, so it must have met
	 * that (EPERM) instead.
	 */
	for (i = 0; i < (int)ARRAY_SIZE(fz_nl_ops); i++) {
		const struct fz_nl_op *op = &fz_nl_ops[i];

		if (!op->want_err) {
			EXPECT_LT(0UL, atomic_load(&fz.sh->nl_ok[i]))
				TH_LOG("netlink %s never succeeded in %lu requests",
				       op->name,
				       atomic_load(&fz.sh->nl_calls[i]));
		} else {
			EXPECT_LT(0UL, atomic_load(&fz.sh->nl_want[i]))
				TH_LOG("netlink %s never gave %s in %lu requests",
				       op->name, strerror(op->want_err),
				       atomic_load(&fz.sh->nl_calls[i]));
		}
	}
	/*
	 * The worker's own cleanup unlinked its names and closed its fds:
	 * nothing under one of its names may be left before the sweep.
	 */
	if (WIFEXITED(status) && WEXITSTATUS(status) == FZ_OK) {
		ret = fz_own_left(pid);
		EXPECT_EQ(0, ret)
			TH_LOG("%d objects under the fuzzer's names survived its cleanup",
			       ret);
	}

	/*
	 * Whatever the worker left (a name it made up, or everything if it
	 * died), removed as an admin would; then nothing may be left.
	 */
	ret = fz_sweep();
	ASSERT_LE(0, ret);
	if (ret)
		printf("# fuzz: removed %d objects left behind\n", ret);
	test_nl_open(&nl);
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, kipc_nl_stats_get(&nl, &st));
		if (!st.val[KIPC_A_STATS_NS_OBJECTS])
			break;
		usleep(10000);
	}
	EXPECT_EQ(0ULL, st.val[KIPC_A_STATS_NS_OBJECTS]);
	EXPECT_EQ(0ULL, st.val[KIPC_A_STATS_NS_BYTES]);
	close(nl.fd);

	/* And the module still works. */
	snprintf(buf, sizeof(buf), "fz%d.sanity", (int)getpid());
	q = kipc_mq_open(buf, KIPC_NEW, 0600, 4, 64);
	ASSERT_LE(0, q);
	ASSERT_EQ(0, kipc_mq_send(q, "after the storm", 16, 7));
	ASSERT_EQ(16, kipc_mq_receive(q, out, sizeof(out), &prio));
	EXPECT_EQ(7U, prio);
	EXPECT_STREQ("after the storm", out);
	EXPECT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, buf));
	close(q);
	q = kipc_sem_open(buf, KIPC_NEW, 0600, 0);
	ASSERT_LE(0, q);
	EXPECT_EQ(0, kipc_sem_post(q, 2));
	EXPECT_EQ(0, kipc_sem_trywait(q, 2, 0));
	EXPECT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, buf));
	close(q);
}

TEST_HARNESS_MAIN
