/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note OR MIT */
/*
 * kipc: kernel-side named IPC objects (message queues, shared memory regions
 * and counting semaphores) behind the misc device /dev/kipc.
 *
 * This header is the whole ABI. The module, libkipc, the kipc tool and the
 * selftests all include it.
 */
#ifndef _UAPI_LINUX_KIPC_H
#define _UAPI_LINUX_KIPC_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KIPC_DEVICE_NAME	"kipc"
#define KIPC_DEVICE_PATH	"/dev/kipc"

/* Bumped only for incompatible changes; additions are found via features. */
#define KIPC_ABI_VERSION	1

/* Longest object name, in bytes, not counting the terminating NUL. */
#define KIPC_NAME_MAX		255

/* The highest value a semaphore can hold. */
#define KIPC_SEM_VALUE_MAX	0x7fffffffU

/* The most operations one KIPC_IOC_SEM_MULTI applies at once. */
#define KIPC_SEM_MULTI_MAX	64

/* Message priorities run from 0 to KIPC_MQ_PRIO_MAX; higher goes first. */
#define KIPC_MQ_PRIO_MAX	31

#define KIPC_TYPE	('K')

/**
 * DOC: General ioctl format
 *
 * Every ioctl takes a pointer to a structure whose first __u32 is @size, the
 * number of bytes of the structure that user space knows about, and whose
 * second __u32 is @flags. The kernel reads the structure once with
 * copy_struct_from_user(): a shorter structure than the kernel's is
 * zero-extended, and a longer one must have zeroes in every byte the kernel
 * does not know. This lets both sides grow the structure later.
 *
 * Output fields start with ``out_``. The kernel writes back only the part of
 * the structure that user space declared in @size, and it never writes bytes
 * it did not set.
 *
 * Errnos with the same meaning for every ioctl:
 *
 *  - ENOTTY: the ioctl number is not a kipc command, or not one for this kind
 *    of file descriptor (the /dev/kipc factory or an object fd).
 *  - EINVAL: @size is smaller than the first version of the structure, or a
 *    field holds a value that is understood but not valid.
 *  - E2BIG: @size is larger than the kernel's structure and a byte the
 *    kernel does not understand is not zero.
 *  - EOPNOTSUPP: an unknown bit is set in @flags, a __reserved field is not
 *    zero, or an enumerated field (such as @type) holds an unknown value.
 *  - EFAULT: the structure or a buffer it points to is not accessible.
 *  - ENOMEM: the kernel could not allocate memory.
 *
 * Errnos of individual ioctls:
 *
 * KIPC_IOC_VERSION
 *  - only the common errnos.
 *
 * KIPC_IOC_OPEN
 *  - EINVAL: the name is empty, longer than KIPC_NAME_MAX bytes (including
 *    a name with no NUL within KIPC_NAME_MAX + 1 bytes), or holds a byte that
 *    is not printable ASCII, a space or a '/'; @mode has bits outside 0666;
 *    neither KIPC_OPEN_READ nor KIPC_OPEN_WRITE is set; KIPC_OPEN_EXCL is set
 *    without KIPC_OPEN_CREATE; a creation attribute is out of range (see
 *    struct kipc_open); a queue's flags have both KIPC_MQ_FULL_FAIL and
 *    KIPC_MQ_FULL_DROP; KIPC_OPEN_ANON without KIPC_OPEN_CREATE, or with
 *    KIPC_OPEN_EXCL, or with a @name that is not 0, or for a KIPC_MQ_HUP
 *    queue with KIPC_OPEN_WRITE.
 *  - ENOENT: no object of that type has that name and KIPC_OPEN_CREATE is
 *    not set.
 *  - EEXIST: KIPC_OPEN_CREATE | KIPC_OPEN_EXCL and the name exists.
 *  - EACCES: the object exists and its mode does not grant the caller the
 *    requested access (CAP_IPC_OWNER overrides); or a region would be
 *    created with KIPC_SHM_EXEC where vm.memfd_noexec is 2.
 *  - ENOSPC: creating would pass a limit of the IPC namespace or of one
 *    above it (objects or bytes), or the namespace is nested more than 32
 *    deep. CAP_SYS_RESOURCE in the initial user namespace may pass a limit.
 *  - EMFILE: creating would pass a per-uid limit (objects or bytes) of the
 *    caller in its IPC namespace, or of the uid charged in one above it
 *    (the owner of the user namespace on the way), or the process has no
 *    free file descriptor. CAP_SYS_RESOURCE in the initial user namespace
 *    may pass the per-uid limits.
 *  - ENFILE: the system has no free file.
 *
 * KIPC_IOC_UNLINK
 *  - EINVAL: as for the name of KIPC_IOC_OPEN.
 *  - ENOENT: no object of that type has that name.
 *  - EPERM: the caller is neither the owner nor the creator of the object and
 *    lacks CAP_SYS_ADMIN.
 *
 * KIPC_IOC_INFO (object fds)
 *  - only the common errnos.
 *
 * Blocking message queue calls (KIPC_IOC_MQ_SEND, KIPC_IOC_MQ_RECV,
 * KIPC_IOC_MQ_SENDV, KIPC_IOC_MQ_RECVV, read(), write()) share these:
 *  - EAGAIN: the call would block and the fd has O_NONBLOCK or the call has
 *    KIPC_WAIT_NONBLOCK. A send on a full KIPC_MQ_FULL_FAIL queue fails
 *    with it at once, whatever the flags and deadline; so does a send on a
 *    full KIPC_MQ_FULL_DROP queue of a message whose priority is below
 *    that of every queued message (nothing is dropped then). Nothing is
 *    queued.
 *  - ETIMEDOUT: the deadline passed (or had passed on entry) before the call
 *    could proceed.
 *  - EINTR: a signal arrived while waiting and its handler was installed
 *    without SA_RESTART. With SA_RESTART the call restarts, with the same
 *    absolute deadline.
 *  - EINVAL: KIPC_WAIT_DEADLINE with a clock other than CLOCK_MONOTONIC or
 *    CLOCK_REALTIME, or a deadline whose nanoseconds make no sense.
 *  - EIDRM: the queue was removed by an administrator (netlink
 *    KIPC_CMD_OBJ_REMOVE). Waiters wake with it, and every later call with
 *    valid arguments on an open fd returns it (argument errors come
 *    first). Unlinking alone does not affect open fds.
 *  - EBADF: send without KIPC_OPEN_WRITE, receive or peek without
 *    KIPC_OPEN_READ on this fd.
 *  - EPIPE: a send on a KIPC_MQ_HUP queue whose last receiving
 *    description is gone; nothing is queued. No SIGPIPE is sent.
 *  - ENODATA: a receive on an empty KIPC_MQ_HUP queue whose last sending
 *    description is gone: end-of-file (read() returns 0 instead).
 *
 * KIPC_IOC_MQ_SEND
 *  - EMSGSIZE: the message is longer than the queue's max_msgsize.
 *  - EINVAL: @prio is above KIPC_MQ_PRIO_MAX; KIPC_SEND_REPLYTO (of
 *    KIPC_IOC_MQ_SENDRECV only).
 *  - EFAULT: the message cannot be read; nothing is queued.
 *  - ENOMEM: no memory for the message; nothing is queued.
 *  - EOPNOTSUPP: KIPC_SEND_REGION on a queue created without
 *    KIPC_MQ_REGIONS.
 *  - EINVAL: KIPC_SEND_SEALED without KIPC_SEND_REGION; KIPC_SEND_REGION
 *    with a @size that does not cover @region_fd, or a @region_fd that is
 *    open but not a kipc region (a queue, a semaphore, a pipe, a memfd:
 *    only regions travel, so no reference cycle can form), as
 *    epoll_ctl()'s "not an epoll fd".
 *  - EBADF: KIPC_SEND_REGION with a @region_fd that is not an open fd.
 *  - EPERM: KIPC_SEND_SEALED and the region lacks KIPC_SEAL_WRITE or
 *    KIPC_SEAL_SHRINK.
 *  - EACCES: KIPC_SEND_REGION of a region the caller neither owns nor
 *    created (its fsuid is neither the region's uid nor its cuid) without
 *    CAP_SYS_ADMIN over the region's IPC namespace.
 *  Every region error is found before anything is queued; nothing is
 *  queued and no reference is kept.
 *
 * KIPC_IOC_MQ_RECV
 *  - EMSGSIZE: the buffer is shorter than the message that would be
 *    received; the message stays queued, @out_len tells its length and
 *    @out_prio is 0.
 *  - EFAULT: the buffer cannot be written; the message stays queued.
 *  - EINVAL: KIPC_RECV_CREDS with a @size that does not cover @out_creds.
 *  - EOPNOTSUPP: KIPC_RECV_CREDS on a queue created without
 *    KIPC_MQ_CREDS; checked before anything is received, so no message
 *    is taken.
 *  - EINVAL: KIPC_RECV_REGION with a @size that does not cover
 *    @out_region_fd.
 *  - EMFILE: KIPC_RECV_REGION and the caller's fd table is full (the fd
 *    for a region is reserved before anything is taken, whether or not
 *    the next message carries one); nothing is taken.
 *  - EBADMSG: the next message carries a region and the call lacks
 *    KIPC_RECV_REGION (read() too); the message stays queued.
 *  - EFAULT: also when a region came with the message: it stays queued
 *    with its region, and no fd is installed.
 *  - EINVAL: KIPC_RECV_REPLY with a @size that does not cover
 *    @out_flags (KIPC_IOC_MQ_RECV) or @out_reply_fd (the receive of
 *    KIPC_IOC_MQ_SENDRECV).
 *  - EMFILE: KIPC_RECV_REPLY and the process has no free file
 *    descriptor; checked before anything is received, so no message is
 *    taken.
 *  - ENFILE, ENOMEM: KIPC_RECV_REPLY and no file for the reply-to could be
 *    made; the message stays queued.
 *
 * KIPC_IOC_MQ_SENDV, KIPC_IOC_MQ_RECVV
 *  - E2BIG: @count is 0 or above KIPC_MQ_VEC_MAX.
 *  - EINVAL: SENDV with @creds not 0 or with KIPC_SEND_REPLYTO; RECVV
 *    with @creds not 0 without KIPC_RECV_CREDS; RECVV with
 *    KIPC_RECV_CREDS and a @size that does not cover @creds.
 *  - EOPNOTSUPP: KIPC_RECV_CREDS on SENDV; on RECVV, on a queue created
 *    without KIPC_MQ_CREDS (nothing is received). KIPC_RECV_REGION and
 *    KIPC_RECV_REPLY on either (KIPC_RECV_REPLY on KIPC_IOC_MQ_PEEK too).
 *  - EINVAL: KIPC_SEND_REGION or KIPC_SEND_SEALED on SENDV: regions travel
 *    only one at a time, with KIPC_IOC_MQ_SEND or KIPC_IOC_MQ_SENDRECV.
 *  - EBADMSG: RECVV whose first message carries a region; RECVV stops
 *    before a later one, which stays queued.
 *  - EFAULT: RECVV with KIPC_RECV_CREDS whose @creds array cannot be
 *    written: the messages whose credentials could not be written stay
 *    queued, as for a buffer that cannot be written.
 *  - the errnos of the single calls, but only when no message moved: once
 *    one did, the call returns the number moved and the error that stopped
 *    it is lost, as with recvmmsg().
 *
 * KIPC_IOC_MQ_PEEK
 *  - EBADF: the fd is not open for reading.
 *  - EIDRM: the queue was removed.
 *  - ENOENT: fewer than @index + 1 messages are queued.
 *  - EMSGSIZE: the buffer is shorter than the message; @out_len tells its
 *    length.
 *  - EFAULT: the buffer cannot be written.
 *  - EINVAL: KIPC_RECV_CREDS with a @size that does not cover @out_creds.
 *  - EOPNOTSUPP: KIPC_RECV_CREDS on a queue created without KIPC_MQ_CREDS.
 *  A message with a region is peeked as any other: @out_region_id names
 *  the region and no fd is made.
 *
 * KIPC_IOC_MQ_GETATTR
 *  - only the common errnos (and EIDRM).
 *
 * KIPC_IOC_MQ_SENDRECV
 *  - the errnos of KIPC_IOC_MQ_SEND for the send and of KIPC_IOC_MQ_RECV
 *    for the receive; @out_flags has KIPC_SENDRECV_SENT when the send
 *    happened, whatever the receive then did.
 *  - EAGAIN: KIPC_WAIT_NONBLOCK, or O_NONBLOCK on the fd of the half that
 *    would wait (the ioctl's fd for the send, @recv_fd for the receive).
 *  - EBADF: @recv_fd is not an open fd, or not open for reading.
 *  - EINVAL: @recv_fd is not a kipc queue.
 *  - EINTR: a signal arrived after the send. The call is not restarted,
 *    even with SA_RESTART, because that would send the request twice;
 *    before the send it restarts as the other calls do.
 *  - EINVAL: KIPC_RECV_CREDS with a @size that does not cover @out_creds.
 *  - EOPNOTSUPP: KIPC_RECV_CREDS when @recv_fd's queue was created
 *    without KIPC_MQ_CREDS; nothing is sent and nothing received.
 *  - the region errnos of KIPC_IOC_MQ_SEND for @send_region_fd (with
 *    KIPC_SEND_REGION) and of KIPC_IOC_MQ_RECV for @out_region_fd (with
 *    KIPC_RECV_REGION), each with a @size that must cover its field. All
 *    but EBADMSG and EFAULT of the receive are found before the send.
 *  - EACCES: KIPC_SEND_REPLYTO and the caller may not write @recv_fd's
 *    queue (its fd is not open for writing, and the queue's permission
 *    bits do not let it write); nothing is sent.
 *  - EINVAL: KIPC_SEND_REPLYTO or KIPC_RECV_REPLY with a @size that does
 *    not cover @out_reply_fd.
 *  - EMFILE: KIPC_RECV_REPLY and the process has no free file descriptor;
 *    nothing is sent and nothing received.
 *  - ENFILE, ENOMEM: as for KIPC_IOC_MQ_RECV with KIPC_RECV_REPLY, after
 *    the send.
 *
 * Shared memory regions. mmap() of a region fd follows the rules of files:
 * it needs the fd open for reading, and a shared writable mapping needs it
 * open for writing (EACCES). PROT_EXEC needs a region created with
 * KIPC_SHM_EXEC (else EPERM; mprotect() to PROT_EXEC gives EACCES). A
 * region removed by an administrator can no
 * longer be mapped (EIDRM), while existing mappings stay valid until they
 * are unmapped. A shared writable mapping of a region sealed with
 * KIPC_SEAL_WRITE or KIPC_SEAL_FUTURE_WRITE gives EPERM. An access beyond
 * the region's end raises SIGBUS.
 *
 * KIPC_IOC_SHM_RESIZE
 *  - EBADF: the fd is not open for writing.
 *  - EINVAL: @new_size is 0 or above the shm_max_size parameter.
 *  - EPERM: a KIPC_SEAL_GROW or KIPC_SEAL_SHRINK seal forbids the change,
 *    or the region would grow and the caller is not its owner or creator
 *    (nor has CAP_IPC_OWNER): growing charges the creator's limits, so
 *    only the owner may grow a region; any writer may shrink it.
 *  - ENOSPC, EMFILE: growing would pass a namespace or per-uid byte limit,
 *    at the region's namespace or one above it, where it was charged at
 *    creation; nothing is charged unless every level allows it.
 *  - EFBIG: growing would pass the caller's RLIMIT_FSIZE; as with
 *    ftruncate(), the caller also gets SIGXFSZ.
 *  - and the other errnos of ftruncate(2), such as an LSM's EACCES.
 *  - EIDRM: the region was removed.
 *
 * KIPC_IOC_SHM_SEAL
 *  - EBADF: the fd is not open for writing.
 *  - EINVAL: @seals has bits other than KIPC_SEAL_*.
 *  - EPERM: the region is sealed with KIPC_SEAL_SEAL.
 *  - EBUSY: KIPC_SEAL_WRITE while a shared mapping that may write exists,
 *    or while a page is pinned for DMA (io_uring, RDMA), which could still
 *    write it.
 *  - EIDRM: adding seals to a removed region (reading them still works).
 *
 * KIPC_IOC_SHM_STAT
 *  - only the common errnos.
 *
 * KIPC_IOC_SEM_WAIT
 *  - EBADF: the fd is not open for reading.
 *  - EINVAL: @count is 0 or above KIPC_SEM_VALUE_MAX; with KIPC_SEM_ZERO,
 *    @count is not 0 or KIPC_SEM_UNDO is set; a bad deadline.
 *  - EAGAIN, ETIMEDOUT, EINTR: as for the blocking queue calls.
 *  - EIDRM: the semaphore was removed by an administrator.
 *
 * KIPC_IOC_SEM_MULTI (on any semaphore fd; see struct kipc_sem_multi).
 * Every operation is checked before anything happens, and on any error
 * nothing is applied to any semaphore:
 *  - E2BIG: @count is 0 or above KIPC_SEM_MULTI_MAX.
 *  - EFAULT: @ops cannot be read.
 *  - EOPNOTSUPP: a bit other than KIPC_WAIT_* in @flags, a bit other than
 *    KIPC_SEM_UNDO in an operation's flags, or a __reserved field not 0.
 *  - EBADF: an operation's fd is not open; a take or a wait for zero on an
 *    fd not open for reading; a give on an fd not open for writing.
 *  - EINVAL: an operation's fd is not a kipc semaphore; a delta below
 *    -KIPC_SEM_VALUE_MAX; KIPC_SEM_UNDO on a give or a wait for zero; the
 *    same semaphore twice in one call (through the same fd or another of
 *    the same semaphore); a bad deadline.
 *  - EXDEV: the semaphores do not all belong to one IPC namespace.
 *  - EOVERFLOW: a give would pass KIPC_SEM_VALUE_MAX when the call could
 *    otherwise proceed.
 *  - EAGAIN, ETIMEDOUT, EINTR: as for the blocking queue calls; O_NONBLOCK
 *    on the ioctl's fd or on any operation's fd makes the call non-blocking.
 *  - EIDRM: one of the semaphores was removed by an administrator.
 *
 * KIPC_IOC_SEM_POST
 *  - EBADF: the fd is not open for writing.
 *  - EINVAL: @count is 0.
 *  - EOVERFLOW: the value would pass KIPC_SEM_VALUE_MAX; nothing changes.
 *  - EIDRM: the semaphore was removed.
 *
 * KIPC_IOC_SEM_GET
 *  - EIDRM: the semaphore was removed.
 */

enum {
	KIPC_CMD_BASE = 0x00,
	KIPC_CMD_VERSION = KIPC_CMD_BASE,
	KIPC_CMD_OPEN = 0x01,
	KIPC_CMD_UNLINK = 0x02,
	/* Commands on object fds. */
	KIPC_CMD_INFO = 0x10,
	/* Commands on message queue fds. */
	KIPC_CMD_MQ_SEND = 0x20,
	KIPC_CMD_MQ_RECV = 0x21,
	KIPC_CMD_MQ_SENDV = 0x22,
	KIPC_CMD_MQ_RECVV = 0x23,
	KIPC_CMD_MQ_PEEK = 0x24,
	KIPC_CMD_MQ_GETATTR = 0x25,
	KIPC_CMD_MQ_SENDRECV = 0x26,
	/* Commands on shared memory region fds. */
	KIPC_CMD_SHM_RESIZE = 0x30,
	KIPC_CMD_SHM_SEAL = 0x31,
	KIPC_CMD_SHM_STAT = 0x32,
	/* Commands on semaphore fds. */
	KIPC_CMD_SEM_WAIT = 0x40,
	KIPC_CMD_SEM_POST = 0x41,
	KIPC_CMD_SEM_GET = 0x42,
	KIPC_CMD_SEM_MULTI = 0x43,
};

/* Object types. Each type is its own name space. */
enum {
	KIPC_OBJ_MQ = 1,
	KIPC_OBJ_SHM = 2,
	KIPC_OBJ_SEM = 3,
};

/* Feature bits reported by KIPC_IOC_VERSION in out_features. */
#define KIPC_FEATURE_MQ		(1ULL << 0)
#define KIPC_FEATURE_SHM	(1ULL << 1)
#define KIPC_FEATURE_SEM	(1ULL << 2)
#define KIPC_FEATURE_NETLINK	(1ULL << 3)
/* KIPC_IOC_SEM_MULTI, KIPC_SEM_ZERO, EPOLLPRI on a semaphore at zero. */
#define KIPC_FEATURE_SEM_MULTI	(1ULL << 4)
/* KIPC_OPEN_ANON and KIPC_STATE_ANON. */
#define KIPC_FEATURE_ANON	(1ULL << 5)
/* KIPC_MQ_HUP: end-of-file and EPIPE when one side of a queue is gone. */
#define KIPC_FEATURE_MQ_HUP	(1ULL << 6)
/* KIPC_MQ_CREDS and KIPC_RECV_CREDS: the sender's credentials. */
#define KIPC_FEATURE_MQ_CREDS	(1ULL << 7)
/* KIPC_MQ_REGIONS, KIPC_SEND_REGION, KIPC_RECV_REGION: regions in messages. */
#define KIPC_FEATURE_MQ_REGIONS	(1ULL << 8)
/* Reply-tos: KIPC_SEND_REPLYTO, KIPC_RECV_REPLY. */
#define KIPC_FEATURE_MQ_REPLYTO	(1ULL << 9)

/**
 * struct kipc_version - ioctl(KIPC_IOC_VERSION) on /dev/kipc
 * @size: sizeof(struct kipc_version)
 * @flags: Must be 0
 * @out_abi_version: KIPC_ABI_VERSION of the running module
 * @out_name_max: longest object name the module accepts (KIPC_NAME_MAX)
 * @out_features: KIPC_FEATURE_* bits the module supports
 * @out_mq_max_msgs: largest max_msgs a queue may be created with
 * @out_mq_max_msgsize: largest max_msgsize a queue may be created with
 * @out_shm_max_size: largest size a region may be created with, in bytes
 *
 * Tells user space what the loaded module supports. The ceilings are the
 * module parameters of the same names at the time of the call.
 */
struct kipc_version {
	__u32 size;
	__u32 flags;
	__u32 out_abi_version;
	__u32 out_name_max;
	__aligned_u64 out_features;
	__u32 out_mq_max_msgs;
	__u32 out_mq_max_msgsize;
	__aligned_u64 out_shm_max_size;
};
#define KIPC_IOC_VERSION	_IO(KIPC_TYPE, KIPC_CMD_VERSION)

/* Flags of struct kipc_open. */
#define KIPC_OPEN_READ		(1U << 0)	/* receive, wait, map readable */
#define KIPC_OPEN_WRITE		(1U << 1)	/* send, post, map writable */
#define KIPC_OPEN_CREATE	(1U << 2)	/* create if it does not exist */
#define KIPC_OPEN_EXCL		(1U << 3)	/* with CREATE: fail if it exists */
#define KIPC_OPEN_CLOEXEC	(1U << 4)	/* O_CLOEXEC on the new fd */
#define KIPC_OPEN_NONBLOCK	(1U << 5)	/* O_NONBLOCK on the new fd */
#define KIPC_OPEN_ANON		(1U << 6)	/* with CREATE: a new object, no name */

/* Bits of kipc_open.out_flags. */
#define KIPC_OPEN_OUT_CREATED	(1U << 0)	/* this call created the object */

/**
 * struct kipc_mq_attr - creation attributes of a message queue
 * @max_msgs: how many messages the queue holds, 1..mq_max_msgs
 * @max_msgsize: largest message in bytes, 1..mq_max_msgsize
 * @flags: KIPC_MQ_* behaviours, fixed at creation (0: POSIX-like)
 * @__reserved: Must be 0
 *
 * KIPC_MQ_HUP makes the queue count its open file descriptions that may
 * send (opened with KIPC_OPEN_WRITE) and those that may receive
 * (KIPC_OPEN_READ), as a pipe does. When the last sending description is
 * released, receivers of the empty queue get end-of-file: read() returns 0,
 * the receive ioctls fail with ENODATA (after every queued message has been
 * received, and copied out: while another receiver's copy-out of the last
 * one may still fault and put it back, a receiver waits, or gets EAGAIN),
 * and poll() reports EPOLLHUP; blocked receivers wake. When the
 * last receiving description is released, sends and write() fail with
 * EPIPE (no SIGPIPE, unlike a pipe), blocked senders wake, and poll()
 * reports EPOLLERR. A new
 * description of that side (opening the name again, for a named queue)
 * clears the hang-up. A queue that no description of a side has been open
 * for yet is not hung up. An anonymous queue (KIPC_OPEN_ANON) may have it
 * when its one description only receives (KIPC_OPEN_READ without
 * KIPC_OPEN_WRITE, else EINVAL, since no side could go): its senders are
 * the reply-to descriptions that KIPC_SEND_REPLYTO and KIPC_RECV_REPLY
 * hand out, so a reply queue's owner hears when nobody is left to answer.
 *
 * KIPC_MQ_CREDS makes every message carry its sender's credentials, filled
 * in by the kernel at send time (the sender cannot choose them): the
 * sender's thread-group id (its process id, whichever thread sends) and its
 * effective uid and gid, as SO_PEERCRED and binder's sender_euid give. A
 * receive with KIPC_RECV_CREDS returns them (struct kipc_creds), translated
 * into the receiver's pid and user namespaces at receive time, as
 * SCM_CREDENTIALS is: pid 0 when the sender is not visible in the
 * receiver's pid namespace, and the overflow uid and gid
 * (/proc/sys/kernel/overflowuid, overflowgid) when they are not mapped in
 * the receiver's user namespace. As with SCM_CREDENTIALS, the pid is the
 * number the sender had; it may have exited since. KIPC_MQ_CREDS may be
 * combined with KIPC_MQ_HUP and with KIPC_OPEN_ANON.
 *
 * The overflow policy says what a send on a full queue does (a send, the
 * send half of KIPC_IOC_MQ_SENDRECV, each message of KIPC_IOC_MQ_SENDV,
 * write()). By default it waits for room (or fails with EAGAIN for a
 * non-blocking call). With KIPC_MQ_FULL_FAIL it fails with EAGAIN at once,
 * whatever O_NONBLOCK, KIPC_WAIT_NONBLOCK or the deadline say, and nothing
 * is queued; KIPC_IOC_MQ_SENDV moves the messages that fit and returns
 * their count, EAGAIN only when none fit. With KIPC_MQ_FULL_DROP it never
 * waits either: it drops the oldest message of the lowest priority queued
 * (the head of the lowest non-empty priority list), freeing it unreceived,
 * and queues the new one, so the queue keeps the newest messages (for
 * latest-value telemetry); each drop is counted (netlink
 * KIPC_A_OBJ_MQ_DROPS). A new message whose priority is below that of
 * every queued message is refused with EAGAIN instead, and nothing is
 * dropped. No sender ever waits on either kind of queue, so poll() on a
 * KIPC_MQ_FULL_DROP queue reports EPOLLOUT even when it is full (a send at
 * or above the lowest queued priority proceeds at once), while a
 * KIPC_MQ_FULL_FAIL queue reports it only with room.
 * The two flags together are EINVAL. A message handed straight to a
 * waiting receiver (whose queue is empty) is not affected by either.
 *
 * KIPC_MQ_REGIONS lets a message carry a shared memory region (the send
 * flag KIPC_SEND_REGION), as SCM_RIGHTS carries an fd, but only a region:
 * a region cannot carry fds itself, so no reference cycle can form and no
 * garbage collector is needed. The message holds a reference to the region
 * and the access (KIPC_OPEN_READ, KIPC_OPEN_WRITE) of the sender's fd, never
 * more; the receiver (KIPC_RECV_REGION) gets a new fd for it with that
 * access and close-on-exec set, whatever its own permissions on the
 * region's name. Only the region's owner or creator (or CAP_SYS_ADMIN over
 * its IPC namespace) may send it (else EACCES): a queued region stays
 * alive (as a mapping keeps it) and stays charged to its creator until the
 * message is received, or dropped (KIPC_MQ_FULL_DROP) or freed with the
 * queue, even after its name is unlinked, so a user who was only handed a
 * region must not be able to park it, and its creator's charge, in a queue
 * that outlives every process. A receiver that relays a region it did not
 * create therefore cannot send it on. KIPC_SEND_SEALED makes the send fail
 * unless the region has KIPC_SEAL_WRITE and KIPC_SEAL_SHRINK; that binds
 * the sender, not the receiver, which learns nothing of the flag: a
 * receiver that must know the bytes cannot change checks the seals itself
 * (KIPC_IOC_SHM_SEAL with @seals 0, on the fd it got). A message with a
 * region is charged as any message of its length. A receive that cannot
 * take a region (read(), KIPC_IOC_MQ_RECVV, a receive without
 * KIPC_RECV_REGION) fails with EBADMSG when the next message carries one,
 * and takes nothing.
 */
struct kipc_mq_attr {
	__u32 max_msgs;
	__u32 max_msgsize;
	__u32 flags;
	__u32 __reserved;
};

/* Flags of struct kipc_mq_attr. */
#define KIPC_MQ_HUP		(1U << 0)
#define KIPC_MQ_CREDS		(1U << 1)
#define KIPC_MQ_FULL_FAIL	(1U << 2)	/* full: EAGAIN, never wait */
#define KIPC_MQ_FULL_DROP	(1U << 3)	/* full: drop the oldest lowest */
#define KIPC_MQ_REGIONS		(1U << 4)	/* messages may carry a region */
#define KIPC_MQ_FLAGS_ALL	(KIPC_MQ_HUP | KIPC_MQ_CREDS | \
				 KIPC_MQ_FULL_FAIL | KIPC_MQ_FULL_DROP | \
				 KIPC_MQ_REGIONS)

/**
 * struct kipc_creds - the credentials of a message's sender
 * @pid: its thread-group id in the receiver's pid namespace, 0 when not
 *	visible there
 * @uid: its effective uid in the receiver's user namespace, the overflow
 *	uid when not mapped
 * @gid: its effective gid, likewise
 * @__reserved: set to 0
 *
 * Returned by the receives with KIPC_RECV_CREDS, on KIPC_MQ_CREDS queues.
 */
struct kipc_creds {
	__s32 pid;
	__u32 uid;
	__u32 gid;
	__u32 __reserved;
};

/**
 * struct kipc_shm_attr - creation attributes of a shared memory region
 * @size: size in bytes, 1..shm_max_size; the limits are charged whole pages
 * @flags: KIPC_SHM_*
 * @__reserved: Must be 0
 *
 * A region is not executable unless it is created with KIPC_SHM_EXEC, as a
 * memfd made with MFD_NOEXEC_SEAL: mmap() with PROT_EXEC fails with EPERM
 * and mprotect() to PROT_EXEC with EACCES. KIPC_SHM_EXEC is refused with
 * EACCES where vm.memfd_noexec is 2 (in the caller's pid namespace or one
 * above it), as MFD_EXEC is.
 */
struct kipc_shm_attr {
	__aligned_u64 size;
	__u32 flags;
	__u32 __reserved;
};

/* Mappings of the region may execute (PROT_EXEC). */
#define KIPC_SHM_EXEC		(1U << 0)
#define KIPC_SHM_FLAGS_ALL	KIPC_SHM_EXEC

/**
 * struct kipc_sem_attr - creation attributes of a semaphore
 * @value: initial value, 0..KIPC_SEM_VALUE_MAX
 * @__reserved: Must be 0
 */
struct kipc_sem_attr {
	__u32 value;
	__u32 __reserved;
};

/**
 * union kipc_attr - creation attributes, selected by the object type
 * @mq: for KIPC_OBJ_MQ
 * @shm: for KIPC_OBJ_SHM
 * @sem: for KIPC_OBJ_SEM
 * @__reserved: fixes the size of the union; bytes beyond the member of the
 *	object's type must be 0 when creating
 */
union kipc_attr {
	struct kipc_mq_attr mq;
	struct kipc_shm_attr shm;
	struct kipc_sem_attr sem;
	__aligned_u64 __reserved[4];
};

/**
 * struct kipc_open - ioctl(KIPC_IOC_OPEN) on /dev/kipc
 * @size: sizeof(struct kipc_open)
 * @flags: KIPC_OPEN_* bits; at least one of READ and WRITE
 * @type: KIPC_OBJ_* type of the object
 * @mode: permission bits for a new object (a subset of 0666); the caller's
 *	umask is applied. Ignored when the object exists.
 * @name: user pointer to a NUL-terminated name of 1..KIPC_NAME_MAX printable
 *	ASCII bytes, with no '/' and no space
 * @attr: creation attributes. Checked only when KIPC_OPEN_CREATE is set, and
 *	used only when this call creates the object.
 * @out_id: the object's id, unique for the life of the module
 * @out_flags: KIPC_OPEN_OUT_* bits
 * @__reserved: Must be 0
 *
 * Opens the object of @type called @name in the caller's IPC namespace, or
 * creates it with KIPC_OPEN_CREATE. On success the return value of ioctl()
 * is a new file descriptor for the object. Opening an existing object needs
 * the r bit of its mode for KIPC_OPEN_READ and the w bit for
 * KIPC_OPEN_WRITE, for the caller's fsuid/fsgid as in SysV IPC; the creator
 * gets the access it asked for.
 *
 * A new object is owned by the caller's fsuid and fsgid. Its bytes and the
 * object itself are charged to the namespace and to the owner at creation:
 * a queue costs max_msgs * max_msgsize bytes, a region its size, and a
 * semaphore nothing beyond the object.
 *
 * With KIPC_OPEN_ANON (and KIPC_OPEN_CREATE; @name must be 0) the call
 * always creates a new object that has no name, as memfd_create() and
 * pipe2() do: only its file descriptors reach it (fork, SCM_RIGHTS), it is
 * destroyed with the last of them, and no open or unlink can name it. It is
 * charged and limited exactly as a named object, has an id, and is listed
 * by the admin interface with an empty name; KIPC_IOC_INFO reports
 * KIPC_STATE_ANON and an empty @out_name. @mode is kept but no open checks
 * it.
 */
struct kipc_open {
	__u32 size;
	__u32 flags;
	__u32 type;
	__u32 mode;
	__aligned_u64 name;
	union kipc_attr attr;
	__aligned_u64 out_id;
	__u32 out_flags;
	__u32 __reserved;
};
#define KIPC_IOC_OPEN		_IO(KIPC_TYPE, KIPC_CMD_OPEN)

/**
 * struct kipc_unlink - ioctl(KIPC_IOC_UNLINK) on /dev/kipc
 * @size: sizeof(struct kipc_unlink)
 * @flags: Must be 0
 * @type: KIPC_OBJ_* type of the object
 * @__reserved: Must be 0
 * @name: user pointer to the NUL-terminated name
 *
 * Removes the name. The object lives on until its last file descriptor is
 * closed, and the name can be created again at once. Only the owner, the
 * creator or a caller with CAP_SYS_ADMIN may unlink.
 */
struct kipc_unlink {
	__u32 size;
	__u32 flags;
	__u32 type;
	__u32 __reserved;
	__aligned_u64 name;
};
#define KIPC_IOC_UNLINK		_IO(KIPC_TYPE, KIPC_CMD_UNLINK)

/* Bits of kipc_info.out_state. */
#define KIPC_STATE_UNLINKED	(1U << 0)	/* the name has been removed */
#define KIPC_STATE_REMOVED	(1U << 1)	/* removed by an administrator */
#define KIPC_STATE_ANON		(1U << 2)	/* created with KIPC_OPEN_ANON */

/**
 * struct kipc_info - ioctl(KIPC_IOC_INFO) on an object fd
 * @size: sizeof(struct kipc_info)
 * @flags: Must be 0
 * @out_id: the object's id
 * @out_type: KIPC_OBJ_* type
 * @out_mode: permission bits
 * @out_uid: owner uid, in the caller's user namespace
 * @out_gid: owner gid, in the caller's user namespace
 * @out_cuid: creator uid
 * @out_cgid: creator gid
 * @out_state: KIPC_STATE_* bits
 * @out_open_flags: KIPC_OPEN_READ and KIPC_OPEN_WRITE as granted to this fd
 * @out_attr: the creation attributes of a queue; the current size of a
 *	region; the current value of a semaphore
 * @out_name: the name, NUL-terminated (kept after unlink)
 *
 * Describes the object behind the fd.
 */
struct kipc_info {
	__u32 size;
	__u32 flags;
	__aligned_u64 out_id;
	__u32 out_type;
	__u32 out_mode;
	__u32 out_uid;
	__u32 out_gid;
	__u32 out_cuid;
	__u32 out_cgid;
	__u32 out_state;
	__u32 out_open_flags;
	union kipc_attr out_attr;
	char out_name[KIPC_NAME_MAX + 1];
};
#define KIPC_IOC_INFO		_IO(KIPC_TYPE, KIPC_CMD_INFO)

/*
 * Flags shared by every call that may block. A call's own flags share its
 * flags word (see KIPC_SEM_UNDO for how their bits are allocated).
 */
#define KIPC_WAIT_NONBLOCK	(1U << 0)	/* EAGAIN instead of waiting */
#define KIPC_WAIT_DEADLINE	(1U << 1)	/* @clockid and @deadline are set */
/*
 * Never spin on the CPU before sleeping, whatever the queue's or
 * semaphore's recent history says (see kipc(7), spin_max_us): for a caller
 * that knows its peer is slow, or that would rather give the CPU away.
 */
#define KIPC_WAIT_NOSPIN	(1U << 4)
/*
 * Of the receives (KIPC_IOC_MQ_RECV, KIPC_IOC_MQ_RECVV and the receive half
 * of KIPC_IOC_MQ_SENDRECV) and of KIPC_IOC_MQ_PEEK: return the sender's
 * credentials of each message received (struct kipc_creds; see
 * KIPC_MQ_CREDS). The queue received from must have been created with
 * KIPC_MQ_CREDS (else EOPNOTSUPP, nothing taken), and @size must cover the
 * struct's credentials field (else EINVAL).
 */
#define KIPC_RECV_CREDS		(1U << 5)
/*
 * Of KIPC_IOC_MQ_SEND and the send half of KIPC_IOC_MQ_SENDRECV: the
 * message carries the region whose fd is in @region_fd (@send_region_fd);
 * see KIPC_MQ_REGIONS. @size must cover that field (else EINVAL).
 */
#define KIPC_SEND_REGION	(1U << 6)
/*
 * Of the receives KIPC_IOC_MQ_RECV and KIPC_IOC_MQ_SENDRECV: the caller
 * accepts a region; a message that carries one installs a new fd for it in
 * @out_region_fd (-1 when the message carried none). @size must cover that
 * field (else EINVAL). Fine on a queue without KIPC_MQ_REGIONS.
 */
#define KIPC_RECV_REGION	(1U << 7)
/*
 * With KIPC_SEND_REGION: the region must have KIPC_SEAL_WRITE and
 * KIPC_SEAL_SHRINK (else EPERM, nothing queued). The receiver is not told;
 * see KIPC_MQ_REGIONS.
 */
#define KIPC_SEND_SEALED	(1U << 8)
/*
 * Of KIPC_IOC_MQ_SENDRECV only (EINVAL on KIPC_IOC_MQ_SEND and
 * KIPC_IOC_MQ_SENDV): the message sent carries a reply-to reference to the
 * queue of @recv_fd, the caller's reply queue, which it has open for
 * reading, and which it may write: its fd is open for writing, or the
 * queue's permission bits let it write, as an open for writing would check
 * (else EACCES, nothing sent), since the reply-to hands that right on.
 * The reference is weak: it never keeps the reply queue alive, so
 * queues whose messages reply to each other cannot form a cycle. Sending it
 * grants whoever receives the message with KIPC_RECV_REPLY a write-only
 * description of the reply queue, without any permission of its own on it
 * (as SCM_RIGHTS would), across IPC and user namespaces too. On a
 * KIPC_MQ_HUP reply queue the message counts as one of its sending
 * descriptions until it is freed, and its reply description takes over
 * when it is received: so a server that dies, or receives the request
 * without taking the reply-to, gives the waiting caller end-of-file. On a
 * reply queue without KIPC_MQ_HUP nothing tells the caller: it waits until
 * its deadline.
 */
#define KIPC_SEND_REPLYTO	(1U << 9)
/*
 * Of KIPC_IOC_MQ_RECV and the receive half of KIPC_IOC_MQ_SENDRECV: return
 * the reply-to of the message received (KIPC_SEND_REPLYTO) as a new file
 * descriptor in @out_reply_fd: a write-only description of the reply queue,
 * with O_NONBLOCK (so a caller that stops reading never stalls its server;
 * fcntl() may clear it) and FD_CLOEXEC. @out_reply_fd is -1 when the
 * message has none, and also when its reply queue is gone already, which
 * @out_flags tells by KIPC_RECV_OUT_REPLY_GONE. The fd is reserved before
 * the message is taken, so EMFILE leaves it queued, and installed only when
 * the call succeeds. @size must cover @out_reply_fd (KIPC_IOC_MQ_SENDRECV)
 * or @out_flags (KIPC_IOC_MQ_RECV), else EINVAL.
 */
#define KIPC_RECV_REPLY		(1U << 10)

/* Bit of kipc_mq_recv.out_flags and kipc_mq_sendrecv.out_flags. */
#define KIPC_RECV_OUT_REPLY_GONE (1U << 1)	/* the reply-to's queue is gone */

/* Most messages one vectored call moves. */
#define KIPC_MQ_VEC_MAX		1024

/**
 * struct kipc_mq_send - ioctl(KIPC_IOC_MQ_SEND) on a queue fd
 * @size: sizeof(struct kipc_mq_send)
 * @flags: KIPC_WAIT_* bits
 * @buf: user pointer to the message
 * @len: length of the message, 0..max_msgsize
 * @prio: priority, 0..KIPC_MQ_PRIO_MAX; higher is received first
 * @clockid: CLOCK_MONOTONIC or CLOCK_REALTIME, with KIPC_WAIT_DEADLINE
 * @__reserved: Must be 0
 * @deadline: absolute time on @clockid in ns, with KIPC_WAIT_DEADLINE
 * @region_fd: with KIPC_SEND_REGION, an fd of the region the message
 *	carries; else not read
 * @__reserved2: Must be 0
 *
 * Queues one message, waiting for room while the queue is full. If a
 * receiver is already waiting, the message goes to it directly.
 */
struct kipc_mq_send {
	__u32 size;
	__u32 flags;
	__aligned_u64 buf;
	__u32 len;
	__u32 prio;
	__u32 clockid;
	__u32 __reserved;
	__aligned_u64 deadline;
	__s32 region_fd;
	__u32 __reserved2;
};
#define KIPC_IOC_MQ_SEND	_IO(KIPC_TYPE, KIPC_CMD_MQ_SEND)

/**
 * struct kipc_mq_recv - ioctl(KIPC_IOC_MQ_RECV) on a queue fd
 * @size: sizeof(struct kipc_mq_recv)
 * @flags: KIPC_WAIT_* bits
 * @buf: user pointer to the buffer
 * @len: length of the buffer
 * @clockid: as for struct kipc_mq_send
 * @deadline: as for struct kipc_mq_send
 * @out_len: length of the message received, or of the message that did not
 *	fit (EMSGSIZE)
 * @out_prio: its priority
 * @out_creds: with KIPC_RECV_CREDS, its sender's credentials; else not
 *	written
 * @out_region_fd: with KIPC_RECV_REGION, a new fd (close-on-exec) for the
 *	region the message carried, or -1; else not written
 * @__reserved2: set to 0 with KIPC_RECV_REGION
 * @out_reply_fd: with KIPC_RECV_REPLY, the message's reply-to as a new fd,
 *	or -1; else not written
 * @out_flags: with KIPC_RECV_REPLY, KIPC_RECV_OUT_REPLY_GONE or 0; else
 *	not written
 *
 * Takes the oldest message of the highest priority, waiting while the queue
 * is empty. The ioctl returns the message's length, as @out_len does.
 */
struct kipc_mq_recv {
	__u32 size;
	__u32 flags;
	__aligned_u64 buf;
	__u32 len;
	__u32 clockid;
	__aligned_u64 deadline;
	__u32 out_len;
	__u32 out_prio;
	struct kipc_creds out_creds;
	__s32 out_region_fd;
	__u32 __reserved2;
	__s32 out_reply_fd;
	__u32 out_flags;
};
#define KIPC_IOC_MQ_RECV	_IO(KIPC_TYPE, KIPC_CMD_MQ_RECV)

/**
 * struct kipc_mq_vec - one message of a vectored call
 * @buf: user pointer to the message (send) or buffer (receive)
 * @len: send: the message length; receive: the buffer length on input,
 *	the message length on output
 * @prio: send: the priority; receive: the priority on output
 */
struct kipc_mq_vec {
	__aligned_u64 buf;
	__u32 len;
	__u32 prio;
};

/**
 * struct kipc_mq_sendv - ioctl(KIPC_IOC_MQ_SENDV) and
 *	ioctl(KIPC_IOC_MQ_RECVV) on a queue fd
 * @size: sizeof(struct kipc_mq_sendv)
 * @flags: KIPC_WAIT_* bits
 * @vec: user pointer to an array of @count struct kipc_mq_vec
 * @count: number of entries, 1..KIPC_MQ_VEC_MAX
 * @clockid: as for struct kipc_mq_send
 * @deadline: as for struct kipc_mq_send
 * @out_count: how many messages moved; also the return value of ioctl()
 * @__reserved: Must be 0
 * @creds: RECVV with KIPC_RECV_CREDS: user pointer to an array of @count
 *	struct kipc_creds, where entry i gets the sender's credentials of
 *	message i; otherwise Must be 0
 *
 * Moves up to @count messages in order. The call waits (subject to the
 * deadline and O_NONBLOCK) only until the first message can move, then
 * moves as many more as it can without waiting. Receive stops early at a
 * message that does not fit its buffer, which stays queued.
 */
struct kipc_mq_sendv {
	__u32 size;
	__u32 flags;
	__aligned_u64 vec;
	__u32 count;
	__u32 clockid;
	__aligned_u64 deadline;
	__u32 out_count;
	__u32 __reserved;
	__aligned_u64 creds;
};
#define KIPC_IOC_MQ_SENDV	_IO(KIPC_TYPE, KIPC_CMD_MQ_SENDV)
#define KIPC_IOC_MQ_RECVV	_IO(KIPC_TYPE, KIPC_CMD_MQ_RECVV)

/**
 * struct kipc_mq_peek - ioctl(KIPC_IOC_MQ_PEEK) on a queue fd
 * @size: sizeof(struct kipc_mq_peek)
 * @flags: KIPC_RECV_CREDS, or 0
 * @buf: user pointer to the buffer
 * @len: length of the buffer
 * @index: which message, in receive order; 0 is the next one received
 * @out_len: length of the message
 * @out_prio: its priority
 * @out_creds: with KIPC_RECV_CREDS, its sender's credentials, as a receive
 *	would return them; else not written
 * @out_region_id: the object id of the region the message carries, 0 when
 *	none (no fd is made)
 *
 * Copies a queued message without removing it; it never waits.
 */
struct kipc_mq_peek {
	__u32 size;
	__u32 flags;
	__aligned_u64 buf;
	__u32 len;
	__u32 index;
	__u32 out_len;
	__u32 out_prio;
	struct kipc_creds out_creds;
	__aligned_u64 out_region_id;
};
#define KIPC_IOC_MQ_PEEK	_IO(KIPC_TYPE, KIPC_CMD_MQ_PEEK)

/**
 * struct kipc_mq_getattr - ioctl(KIPC_IOC_MQ_GETATTR) on a queue fd
 * @size: sizeof(struct kipc_mq_getattr)
 * @flags: Must be 0
 * @out_max_msgs: capacity in messages
 * @out_max_msgsize: largest message
 * @out_depth: messages queued now
 * @__reserved: set to 0
 * @out_bytes: bytes of payload queued now
 */
struct kipc_mq_getattr {
	__u32 size;
	__u32 flags;
	__u32 out_max_msgs;
	__u32 out_max_msgsize;
	__u32 out_depth;
	__u32 __reserved;
	__aligned_u64 out_bytes;
};
#define KIPC_IOC_MQ_GETATTR	_IO(KIPC_TYPE, KIPC_CMD_MQ_GETATTR)

/* Bits of kipc_mq_sendrecv.out_flags. */
#define KIPC_SENDRECV_SENT	(1U << 0)	/* the message was sent */

/**
 * struct kipc_mq_sendrecv - ioctl(KIPC_IOC_MQ_SENDRECV) on a queue fd
 * @size: sizeof(struct kipc_mq_sendrecv)
 * @flags: KIPC_WAIT_* bits, for both halves; O_NONBLOCK of each fd applies
 *	to its own half only
 * @recv_fd: the queue to receive from, open for reading
 * @send_prio: priority of the message sent
 * @send_buf: user pointer to the message to send
 * @send_len: its length
 * @recv_len: length of the receive buffer
 * @recv_buf: user pointer to the receive buffer
 * @clockid: as for struct kipc_mq_send
 * @__reserved: Must be 0
 * @deadline: one absolute deadline for both halves
 * @out_flags: KIPC_SENDRECV_SENT, KIPC_RECV_OUT_REPLY_GONE
 * @out_len: length of the message received, or of the one that did not fit
 * @out_prio: its priority
 * @__reserved2: set to 0
 * @out_creds: with KIPC_RECV_CREDS, the credentials of the sender of the
 *	message received; else not written
 * @send_region_fd: with KIPC_SEND_REGION, an fd of the region the message
 *	sent carries; else not read
 * @out_region_fd: with KIPC_RECV_REGION, as in struct kipc_mq_recv
 * @out_reply_fd: with KIPC_RECV_REPLY, the reply-to of the message
 *	received as a new fd, or -1 (KIPC_RECV_OUT_REPLY_GONE in @out_flags
 *	when its queue is gone); else not written
 * @__reserved3: set to 0
 *
 * Sends one message to the queue of the fd the ioctl is issued on, then
 * receives one from @recv_fd, in one system call: a client sends a request
 * and waits for its reply; a server sends a reply and waits for the next
 * request. Each half behaves exactly as KIPC_IOC_MQ_SEND and
 * KIPC_IOC_MQ_RECV do, with their permissions and errnos. The ioctl
 * returns the length received. When it fails, @out_flags tells whether the
 * send happened, so a retry never sends a request twice: the out fields are
 * written back on every failure too.
 */
struct kipc_mq_sendrecv {
	__u32 size;
	__u32 flags;
	__s32 recv_fd;
	__u32 send_prio;
	__aligned_u64 send_buf;
	__u32 send_len;
	__u32 recv_len;
	__aligned_u64 recv_buf;
	__u32 clockid;
	__u32 __reserved;
	__aligned_u64 deadline;
	__u32 out_flags;
	__u32 out_len;
	__u32 out_prio;
	__u32 __reserved2;
	struct kipc_creds out_creds;
	__s32 send_region_fd;
	__s32 out_region_fd;
	__s32 out_reply_fd;
	__u32 __reserved3;
};
#define KIPC_IOC_MQ_SENDRECV	_IO(KIPC_TYPE, KIPC_CMD_MQ_SENDRECV)

/*
 * Seals of a region, as memfd's F_SEAL_* (with the same values): once set,
 * a seal stays.
 */
#define KIPC_SEAL_SEAL		0x0001	/* no more seals */
#define KIPC_SEAL_SHRINK	0x0002	/* the size may not shrink */
#define KIPC_SEAL_GROW		0x0004	/* the size may not grow */
#define KIPC_SEAL_WRITE		0x0008	/* no shared writable mapping at all */
#define KIPC_SEAL_FUTURE_WRITE	0x0010	/* no new shared writable mapping */
#define KIPC_SEAL_ALL		0x001f

/**
 * struct kipc_shm_resize - ioctl(KIPC_IOC_SHM_RESIZE) on a region fd
 * @size: sizeof(struct kipc_shm_resize)
 * @flags: Must be 0
 * @new_size: the new size in bytes, 1..shm_max_size
 *
 * Grows or shrinks the region as ftruncate() does a file: new bytes read as
 * zero, and live mappings beyond the new end raise SIGBUS on access. The
 * limits are charged whole pages, at once.
 */
struct kipc_shm_resize {
	__u32 size;
	__u32 flags;
	__aligned_u64 new_size;
};
#define KIPC_IOC_SHM_RESIZE	_IO(KIPC_TYPE, KIPC_CMD_SHM_RESIZE)

/**
 * struct kipc_shm_seal - ioctl(KIPC_IOC_SHM_SEAL) on a region fd
 * @size: sizeof(struct kipc_shm_seal)
 * @flags: Must be 0
 * @seals: KIPC_SEAL_* bits to add; 0 only reads them
 * @out_seals: the seals in force after the call
 */
struct kipc_shm_seal {
	__u32 size;
	__u32 flags;
	__u32 seals;
	__u32 out_seals;
};
#define KIPC_IOC_SHM_SEAL	_IO(KIPC_TYPE, KIPC_CMD_SHM_SEAL)

/**
 * struct kipc_shm_stat - ioctl(KIPC_IOC_SHM_STAT) on a region fd
 * @size: sizeof(struct kipc_shm_stat)
 * @flags: Must be 0
 * @out_size: size in bytes
 * @out_nattch: live mappings (vmas) in every process
 * @out_seals: KIPC_SEAL_* bits in force
 * @out_resident: pages in memory
 * @out_swapped: pages in swap
 * @out_atime: last mapping, ns since the epoch, 0 if never
 * @out_dtime: last unmapping, ns since the epoch, 0 if never
 * @out_lpid: last process that mapped it, in the caller's pid namespace
 * @out_state: KIPC_STATE_* bits
 */
struct kipc_shm_stat {
	__u32 size;
	__u32 flags;
	__aligned_u64 out_size;
	__u32 out_nattch;
	__u32 out_seals;
	__aligned_u64 out_resident;
	__aligned_u64 out_swapped;
	__aligned_u64 out_atime;
	__aligned_u64 out_dtime;
	__u32 out_lpid;
	__u32 out_state;
};
#define KIPC_IOC_SHM_STAT	_IO(KIPC_TYPE, KIPC_CMD_SHM_STAT)

/*
 * With KIPC_SEM_UNDO, the units a wait acquires are recorded against the
 * open file description (the struct file, shared by dup(), fork() and
 * SCM_RIGHTS, as flock() locks are). A post through the same description
 * pays the record back first. When the description is finally released
 * (the last fd closes, also at exit or kill -9), what it still holds is
 * posted back, and the waits that receive those units report
 * KIPC_SEM_RECOVERED, as EOWNERDEAD reports a dead robust mutex owner.
 *
 * KIPC_SEM_UNDO is a flag of this one call, but it shares the flags word,
 * and so the bit space, with the KIPC_WAIT_* flags of every blocking call.
 * It cannot move out of it: programs built since pass bit 2, and the
 * kernel would have to go on taking bit 2 as KIPC_SEM_UNDO for them, so
 * the bit would stay taken in the KIPC_WAIT_* space whatever the new value.
 * Instead the bits are allocated from one sequence: a new KIPC_WAIT_* flag,
 * or a new flag of one call, takes the next bit above every flag of every
 * blocking call (bit 11 is the next), so no call's own flag ever collides
 * with a wait flag.
 */
#define KIPC_SEM_UNDO		(1U << 2)	/* wait flag, with KIPC_WAIT_* */
/*
 * KIPC_IOC_SEM_WAIT with @count 0: wait until the value is 0 (SysV's
 * semop() with sem_op 0), a barrier. Takes nothing. The wait ends once the
 * value was 0 at some moment after the call began, even if it has risen
 * again since. poll() reports EPOLLPRI on a semaphore whose value is 0, so
 * a barrier can be polled too.
 */
#define KIPC_SEM_ZERO		(1U << 3)	/* wait flag, with KIPC_WAIT_* */

/* Bits of kipc_sem_wait.out_flags. */
#define KIPC_SEM_RECOVERED	(1U << 0)	/* got units a dead holder left */

/**
 * struct kipc_sem_wait - ioctl(KIPC_IOC_SEM_WAIT) on a semaphore fd
 * @size: sizeof(struct kipc_sem_wait)
 * @flags: KIPC_WAIT_* and KIPC_SEM_UNDO bits, or KIPC_SEM_ZERO
 * @count: units to acquire at once, 1..KIPC_SEM_VALUE_MAX; 0 with
 *	KIPC_SEM_ZERO
 * @clockid: as for struct kipc_mq_send
 * @deadline: as for struct kipc_mq_send
 * @out_flags: KIPC_SEM_RECOVERED
 * @__reserved: Must be 0
 *
 * Takes @count units, waiting while the value is too low or earlier
 * waiters are queued: waiters are served strictly in arrival order, and a
 * post hands its units to them directly, so none is starved by later ones.
 */
struct kipc_sem_wait {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 clockid;
	__aligned_u64 deadline;
	__u32 out_flags;
	__u32 __reserved;
};
#define KIPC_IOC_SEM_WAIT	_IO(KIPC_TYPE, KIPC_CMD_SEM_WAIT)

/**
 * struct kipc_sem_post - ioctl(KIPC_IOC_SEM_POST) on a semaphore fd
 * @size: sizeof(struct kipc_sem_post)
 * @flags: Must be 0
 * @count: units to add, at least 1
 * @__reserved: Must be 0
 *
 * Adds @count units and wakes exactly the waiters they satisfy, in order.
 */
struct kipc_sem_post {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 __reserved;
};
#define KIPC_IOC_SEM_POST	_IO(KIPC_TYPE, KIPC_CMD_SEM_POST)

/**
 * struct kipc_sem_get - ioctl(KIPC_IOC_SEM_GET) on a semaphore fd
 * @size: sizeof(struct kipc_sem_get)
 * @flags: Must be 0
 * @out_value: the value
 * @out_waiters: waits to take units, single and multi-operation
 *	(SysV's semncnt)
 * @out_undo: units this open file description holds under KIPC_SEM_UNDO
 * @out_zero_waiters: waits for zero, single and multi-operation (SysV's
 *	semzcnt)
 * @out_multi_waiters: multi-operation waits (KIPC_IOC_SEM_MULTI) among
 *	@out_waiters and @out_zero_waiters
 */
struct kipc_sem_get {
	__u32 size;
	__u32 flags;
	__u32 out_value;
	__u32 out_waiters;
	__aligned_u64 out_undo;
	__u32 out_zero_waiters;
	__u32 out_multi_waiters;
};
#define KIPC_IOC_SEM_GET	_IO(KIPC_TYPE, KIPC_CMD_SEM_GET)

/**
 * struct kipc_sem_op - one operation of KIPC_IOC_SEM_MULTI
 * @fd: a semaphore fd
 * @delta: below 0, take -@delta units (the fd open for reading); above 0,
 *	give @delta units (the fd open for writing); 0, wait until the value
 *	is 0 (the fd open for reading)
 * @flags: KIPC_SEM_UNDO, on a take only
 * @__reserved: Must be 0
 */
struct kipc_sem_op {
	__s32 fd;
	__s32 delta;
	__u32 flags;
	__u32 __reserved;
};

/**
 * struct kipc_sem_multi - ioctl(KIPC_IOC_SEM_MULTI) on a semaphore fd
 * @size: sizeof(struct kipc_sem_multi)
 * @flags: KIPC_WAIT_* bits (KIPC_SEM_UNDO goes in each operation)
 * @count: operations in @ops, 1..KIPC_SEM_MULTI_MAX
 * @clockid: as for struct kipc_mq_send
 * @deadline: as for struct kipc_mq_send
 * @ops: user pointer to @count struct kipc_sem_op
 * @out_flags: KIPC_SEM_RECOVERED if a take got units a dead holder left
 * @__reserved: Must be 0
 *
 * Applies every operation at once or none: waits until each take finds
 * its units and its turn, and each wait for zero a value of 0, in the
 * same moment, then applies them all. The semaphores may be any kipc
 * semaphores of one IPC namespace, each at most once; the ioctl may be
 * issued on any semaphore fd, which need not be among @ops.
 *
 * Fairness: each semaphore serves its takers strictly in arrival order,
 * single and multi-operation alike. A multi-operation that has to wait
 * queues on every semaphore it takes from at once, and from then on no
 * later taker overtakes it on any of them, so a large multi-operation is
 * never starved by a stream of small takes; it waits at most for those
 * queued before it. Since a multi-operation queues on all its semaphores
 * in one step, two waiters are in the same order on every semaphore they
 * share, so the queues cannot wait on each other in a cycle. Waits for
 * zero do not queue behind takers and hold back nobody.
 */
struct kipc_sem_multi {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 clockid;
	__aligned_u64 deadline;
	__aligned_u64 ops;
	__u32 out_flags;
	__u32 __reserved;
};
#define KIPC_IOC_SEM_MULTI	_IO(KIPC_TYPE, KIPC_CMD_SEM_MULTI)

/*
 * Generic Netlink family "kipc": the admin path. Reads are open to every
 * caller and see only the caller's IPC namespace. Its commands, attributes
 * and multicast group are generated from kmod/netlink/specs/kipc.yaml, which
 * documents each of them.
 *
 * Monitor events (Linux 6.9 and later) reach a socket only once it has sent
 * KIPC_CMD_MONITOR_SUBSCRIBE and joined the "monitor" group; joining alone
 * hears nothing. The request subscribes the socket that sends it, for the
 * sender's IPC namespace, and gives the actor of each event in the sender's
 * pid and user namespaces (actor-pid 0 when not visible there, actor-uid the
 * overflow uid when not mapped). It lasts until the socket's last file
 * descriptor is closed. Errnos of KIPC_CMD_MONITOR_SUBSCRIBE:
 *
 *  - EBUSY: the socket is already subscribed.
 *  - EMFILE: the caller's euid (its kuid: one count across every namespace,
 *    root included) already has KIPC_NL_MONITOR_MAX_PER_USER subscribed
 *    sockets open.
 *  - EINVAL: the request carries an attribute (it takes none).
 *  - EOPNOTSUPP: the kernel is older than 6.9; the module has no monitor.
 *  - ENOMEM: the kernel could not allocate memory.
 */
#define KIPC_NL_MONITOR_MAX_PER_USER	64

#include <linux/kipc_netlink.h>

#endif /* _UAPI_LINUX_KIPC_H */
