/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libkipc: the data path of kipc.
 *
 * Every function returns a value >= 0 on success or a negative errno on
 * failure. None of them sets errno or prints: errno is as the caller left
 * it. Object handles are plain file descriptors: poll them, pass them over
 * SCM_RIGHTS, close them with close().
 *
 * The structures the kernel fills in only ever grow at their end. The
 * functions that fill one take its size as the caller was built with it
 * (the *_sized functions, since LIBKIPC_0.2; the inline wrappers without
 * the suffix pass sizeof), so a program built against an older, shorter
 * structure keeps working with a newer library, and the reverse. A size
 * smaller than the first version of the structure gives -EINVAL, and the
 * structure is not touched.
 *
 * In every timed call, a NULL deadline (absolute or relative) waits for
 * ever, as the call without a deadline does.
 */
#ifndef LIBKIPC_H
#define LIBKIPC_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <linux/kipc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for the open functions: the KIPC_OPEN_* bits of <linux/kipc.h>. */

/**
 * kipc_version_sized - ask the loaded module what it is and supports
 * @ver: filled in on success
 * @size: sizeof(*@ver) as the caller knows it
 *
 * Return: 0, or -errno (-ENODEV when there is no /dev/kipc, or no module
 * behind it; every function that opens /dev/kipc says so the same way).
 */
int kipc_version_sized(struct kipc_version *ver, size_t size);

/* kipc_version - kipc_version_sized() for the caller's struct kipc_version */
static inline int kipc_version(struct kipc_version *ver)
{
	return kipc_version_sized(ver, sizeof(*ver));
}

/**
 * kipc_mq_open - open or create a message queue
 * @name: the queue's name
 * @flags: KIPC_OPEN_* bits
 * @mode: permission bits for a new queue
 * @max_msgs: capacity of a new queue, in messages
 * @max_msgsize: largest message of a new queue, in bytes
 *
 * Return: a file descriptor, or -errno.
 */
int kipc_mq_open(const char *name, unsigned int flags, mode_t mode,
		 uint32_t max_msgs, uint32_t max_msgsize);

/**
 * kipc_shm_open - open or create a shared memory region
 * @size: size in bytes of a new region
 *
 * Return: a file descriptor, or -errno.
 */
int kipc_shm_open(const char *name, unsigned int flags, mode_t mode,
		  uint64_t size);

/**
 * kipc_sem_open - open or create a counting semaphore
 * @value: initial value of a new semaphore
 *
 * Return: a file descriptor, or -errno.
 */
int kipc_sem_open(const char *name, unsigned int flags, mode_t mode,
		  uint32_t value);

/**
 * kipc_open - open or create an object of any type
 * @type: KIPC_OBJ_*
 * @attr: creation attributes, may be NULL when not creating
 * @out_id: if not NULL, receives the object's id
 *
 * Return: a file descriptor, or -errno.
 */
int kipc_open(unsigned int type, const char *name, unsigned int flags,
	      mode_t mode, const union kipc_attr *attr, uint64_t *out_id);

/**
 * kipc_unlink - remove the name of an object
 * @type: KIPC_OBJ_*
 *
 * Return: 0, or -errno.
 */
int kipc_unlink(unsigned int type, const char *name);

/**
 * kipc_info_sized - describe the object behind a file descriptor
 * @size: sizeof(*@info) as the caller knows it
 *
 * Return: 0, or -errno.
 */
int kipc_info_sized(int fd, struct kipc_info *info, size_t size);

/* kipc_info - kipc_info_sized() for the caller's struct kipc_info */
static inline int kipc_info(int fd, struct kipc_info *info)
{
	return kipc_info_sized(fd, info, sizeof(*info));
}

/*
 * Message queues. Every call honours O_NONBLOCK on the fd (-EAGAIN), and a
 * signal during a wait gives -EINTR unless its handler has SA_RESTART. A
 * queue removed by an administrator gives -EIDRM.
 */

/**
 * kipc_mq_send - send one message, waiting while the queue is full
 * @prio: 0..KIPC_MQ_PRIO_MAX; higher priorities are received first
 *
 * Return: 0, or -errno (-EMSGSIZE: longer than max_msgsize).
 */
int kipc_mq_send(int fd, const void *buf, size_t len, unsigned int prio);

/**
 * kipc_mq_timedsend - kipc_mq_send() with an absolute deadline
 * @clockid: CLOCK_MONOTONIC or CLOCK_REALTIME
 * @abs: the deadline on @clockid; NULL waits for ever
 *
 * Return: 0, or -errno (-ETIMEDOUT when the deadline passed).
 */
int kipc_mq_timedsend(int fd, const void *buf, size_t len, unsigned int prio,
		      clockid_t clockid, const struct timespec *abs);

/**
 * kipc_mq_send_timeout - kipc_mq_send() waiting at most @rel
 * @rel: on CLOCK_MONOTONIC; NULL waits for ever
 *
 * Return: 0, or -errno (-ETIMEDOUT).
 */
int kipc_mq_send_timeout(int fd, const void *buf, size_t len,
			 unsigned int prio, const struct timespec *rel);

/**
 * kipc_mq_receive - receive the oldest message of the highest priority
 * @prio: if not NULL, receives the message's priority
 *
 * Return: the message's length, or -errno (-EMSGSIZE: @len is shorter than
 * the message, which stays queued).
 */
ssize_t kipc_mq_receive(int fd, void *buf, size_t len, unsigned int *prio);

/**
 * kipc_mq_timedreceive - kipc_mq_receive() with an absolute deadline
 * @abs: the deadline on @clockid; NULL waits for ever
 *
 * Return: the message's length, or -errno (-ETIMEDOUT).
 */
ssize_t kipc_mq_timedreceive(int fd, void *buf, size_t len,
			     unsigned int *prio, clockid_t clockid,
			     const struct timespec *abs);

/**
 * kipc_mq_receive_timeout - kipc_mq_receive() waiting at most @rel
 * @rel: on CLOCK_MONOTONIC; NULL waits for ever
 *
 * Return: the message's length, or -errno (-ETIMEDOUT).
 */
ssize_t kipc_mq_receive_timeout(int fd, void *buf, size_t len,
				unsigned int *prio, const struct timespec *rel);

/**
 * kipc_mq_receive_creds - kipc_mq_receive() that also returns the sender
 * @creds: if not NULL, receives the sender's pid, effective uid and gid as
 *	the kernel recorded them at send time, in the caller's pid and user
 *	namespaces (pid 0 when not visible, the overflow ids when not mapped)
 *
 * The queue must have been created with KIPC_MQ_CREDS when @creds is not
 * NULL.
 *
 * Return: the message's length, or -errno (-EOPNOTSUPP: the queue records
 * no credentials; nothing was received).
 */
ssize_t kipc_mq_receive_creds(int fd, void *buf, size_t len,
			      unsigned int *prio, struct kipc_creds *creds);

/**
 * kipc_mq_send_region - kipc_mq_send() of a message that carries a region
 * @region_fd: an fd of a kipc region; the receiver gets a new fd for it,
 *	with no more access than this one has
 * @flags: 0 or KIPC_SEND_SEALED (the region must have KIPC_SEAL_WRITE and
 *	KIPC_SEAL_SHRINK)
 *
 * The queue must have been created with KIPC_MQ_REGIONS.
 *
 * Return: 0, or -errno (-EOPNOTSUPP: not such a queue; -EBADF: @region_fd
 * is not open; -EINVAL: it is not a region, or an unknown flag; -EPERM:
 * not sealed as KIPC_SEND_SEALED asks). Nothing is queued on failure.
 */
int kipc_mq_send_region(int fd, const void *buf, size_t len,
			unsigned int prio, int region_fd, unsigned int flags);

/**
 * kipc_mq_receive_region - kipc_mq_receive() that takes a region too
 * @region_fd: receives a new fd (close-on-exec) for the region the message
 *	carried, or -1 when it carried none
 *
 * Works on any queue.
 *
 * Return: the message's length, or -errno (-EMFILE: no fd free, the
 * message stays queued).
 */
ssize_t kipc_mq_receive_region(int fd, void *buf, size_t len,
			       unsigned int *prio, int *region_fd);

/**
 * kipc_mq_timedreceive_creds - kipc_mq_receive_creds() with an absolute
 *	deadline on @clockid; NULL @abs waits for ever
 *
 * Return: the message's length, or -errno.
 */
ssize_t kipc_mq_timedreceive_creds(int fd, void *buf, size_t len,
				   unsigned int *prio,
				   struct kipc_creds *creds, clockid_t clockid,
				   const struct timespec *abs);

/**
 * kipc_mq_sendv - send up to @count messages in one call
 * @vec: each entry's buf, len and prio
 * @flags: KIPC_WAIT_NONBLOCK, or 0
 *
 * Waits only until the first message can go, then sends as many as fit.
 *
 * Return: how many were sent (>= 1), or -errno when none was.
 */
int kipc_mq_sendv(int fd, const struct kipc_mq_vec *vec, unsigned int count,
		  unsigned int flags);

/**
 * kipc_mq_receivev - receive up to @count messages in one call
 * @vec: each entry's buf and len (the buffer size); on return, len and prio
 *	of each message received
 * @flags: KIPC_WAIT_NONBLOCK, or 0
 *
 * Waits only until the first message arrives.
 *
 * Return: how many were received (>= 1), or -errno when none was.
 */
int kipc_mq_receivev(int fd, struct kipc_mq_vec *vec, unsigned int count,
		     unsigned int flags);

/**
 * kipc_mq_receivev_creds - kipc_mq_receivev() that also returns the senders
 * @creds: if not NULL, an array of @count entries: entry i receives the
 *	sender of message i (see kipc_mq_receive_creds())
 *
 * Return: how many were received (>= 1), or -errno when none was
 * (-EOPNOTSUPP: the queue records no credentials).
 */
int kipc_mq_receivev_creds(int fd, struct kipc_mq_vec *vec,
			   struct kipc_creds *creds, unsigned int count,
			   unsigned int flags);

/**
 * struct kipc_mq_sendrecv_args - the two halves of kipc_mq_sendrecv()
 * @send_buf: the message to send
 * @send_len: its length
 * @send_prio: its priority
 * @recv_fd: the queue to receive from
 * @recv_buf: the receive buffer
 * @recv_len: its length
 * @recv_prio: if not NULL, receives the priority of the message received
 * @clockid: CLOCK_MONOTONIC or CLOCK_REALTIME
 * @deadline: one absolute deadline for both halves; NULL waits for ever
 * @sent: if not NULL, set to whether the send happened, also on failure
 *
 * The library reads the whole structure and has no size to tell a shorter
 * one by, so it never grows: a new field would come with a new function.
 */
struct kipc_mq_sendrecv_args {
	const void *send_buf;
	size_t send_len;
	unsigned int send_prio;
	int recv_fd;
	void *recv_buf;
	size_t recv_len;
	unsigned int *recv_prio;
	clockid_t clockid;
	const struct timespec *deadline;
	int *sent;
};

/**
 * kipc_mq_sendrecv - send to @fd, then receive from @a->recv_fd, in one call
 *
 * The request/reply primitive: a client sends a request and waits for the
 * reply, a server sends a reply and waits for the next request. Each half
 * honours O_NONBLOCK of its own fd. When it fails, *@a->sent says whether
 * the message went, so a retry never sends it twice; after the send a
 * signal gives -EINTR even with SA_RESTART. See also <kipc-rpc.h>.
 *
 * Return: the length received, or -errno.
 */
ssize_t kipc_mq_sendrecv(int fd, const struct kipc_mq_sendrecv_args *a);

/**
 * kipc_mq_sendrecv_creds - kipc_mq_sendrecv() that also returns the sender
 *	of the message received
 * @creds: if not NULL, receives it (see kipc_mq_receive_creds()); then
 *	@a->recv_fd must be a KIPC_MQ_CREDS queue, else -EOPNOTSUPP and
 *	nothing is sent
 *
 * Return: the length received, or -errno.
 */
ssize_t kipc_mq_sendrecv_creds(int fd, const struct kipc_mq_sendrecv_args *a,
			       struct kipc_creds *creds);

/**
 * kipc_mq_peek - copy the message at @index (0 = next) without removing it
 *
 * Return: the message's length, or -errno (-ENOENT: fewer messages queued;
 * -EMSGSIZE: @len is too short).
 */
ssize_t kipc_mq_peek(int fd, unsigned int index, void *buf, size_t len,
		     unsigned int *prio);

/**
 * kipc_mq_getattr_sized - capacity and current depth of a queue
 * @size: sizeof(*@attr) as the caller knows it
 *
 * Return: 0, or -errno.
 */
int kipc_mq_getattr_sized(int fd, struct kipc_mq_getattr *attr, size_t size);

/* kipc_mq_getattr - kipc_mq_getattr_sized() for the caller's structure */
static inline int kipc_mq_getattr(int fd, struct kipc_mq_getattr *attr)
{
	return kipc_mq_getattr_sized(fd, attr, sizeof(*attr));
}

/*
 * Shared memory regions.
 */

/**
 * kipc_shm_map - map a whole region, shared
 * @prot: PROT_READ, PROT_WRITE or both
 * @addr: receives the address
 * @len: receives the length, the region's size at the time of the call
 *
 * Return: 0, or -errno (-EACCES: PROT_WRITE on an fd not open for writing;
 * -EPERM: PROT_WRITE on a write-sealed region; -EIDRM: removed).
 */
int kipc_shm_map(int fd, int prot, void **addr, size_t *len);

/**
 * kipc_shm_unmap - undo kipc_shm_map()
 *
 * Return: 0, or -errno.
 */
int kipc_shm_unmap(void *addr, size_t len);

/**
 * kipc_shm_resize - grow or shrink a region, as ftruncate() would
 *
 * Return: 0, or -errno (-EPERM: sealed; -ENOSPC/-EMFILE: over a limit).
 */
int kipc_shm_resize(int fd, uint64_t size);

/**
 * kipc_shm_seal - add KIPC_SEAL_* seals; a seal cannot be removed
 *
 * Return: 0, or -errno (-EBUSY: KIPC_SEAL_WRITE while a writable shared
 * mapping exists; -EPERM: KIPC_SEAL_SEAL is set).
 */
int kipc_shm_seal(int fd, unsigned int seals);

/**
 * kipc_shm_get_seals - the KIPC_SEAL_* seals in force
 *
 * Return: the seals (>= 0), or -errno.
 */
int kipc_shm_get_seals(int fd);

/**
 * kipc_shm_stat_sized - size, mappings, resident and swapped pages, seals,
 *	times
 * @size: sizeof(*@st) as the caller knows it
 *
 * Return: 0, or -errno.
 */
int kipc_shm_stat_sized(int fd, struct kipc_shm_stat *st, size_t size);

/* kipc_shm_stat - kipc_shm_stat_sized() for the caller's structure */
static inline int kipc_shm_stat(int fd, struct kipc_shm_stat *st)
{
	return kipc_shm_stat_sized(fd, st, sizeof(*st));
}

/*
 * Semaphores. The wait calls return KIPC_SEM_RECOVERED (1) instead of 0
 * when the units they took include ones that undo gave back after their
 * holder's description was released, as EOWNERDEAD does for robust mutexes.
 */

/**
 * kipc_sem_wait - take @count units, waiting as long as it takes
 * @flags: 0 or KIPC_SEM_UNDO; KIPC_SEM_ZERO with @count 0 waits for the
 *	value to be 0 instead
 *
 * Return: 0 or KIPC_SEM_RECOVERED, or -errno.
 */
int kipc_sem_wait(int fd, unsigned int count, unsigned int flags);

/**
 * kipc_sem_trywait - take @count units if that needs no waiting
 *
 * Return: 0 or KIPC_SEM_RECOVERED, or -errno (-EAGAIN).
 */
int kipc_sem_trywait(int fd, unsigned int count, unsigned int flags);

/**
 * kipc_sem_timedwait - kipc_sem_wait() with an absolute deadline on @clockid
 * @abs: the deadline; NULL waits for ever
 *
 * Return: 0 or KIPC_SEM_RECOVERED, or -errno (-ETIMEDOUT).
 */
int kipc_sem_timedwait(int fd, unsigned int count, unsigned int flags,
		       clockid_t clockid, const struct timespec *abs);

/**
 * kipc_sem_wait_timeout - kipc_sem_wait() waiting at most @rel
 * @rel: on CLOCK_MONOTONIC; NULL waits for ever
 *
 * Return: 0 or KIPC_SEM_RECOVERED, or -errno (-ETIMEDOUT).
 */
int kipc_sem_wait_timeout(int fd, unsigned int count, unsigned int flags,
			  const struct timespec *rel);

/**
 * kipc_sem_multi - apply @count operations on several semaphores at once
 * @ops: the operations (take, give, wait for zero), each on another
 *	semaphore; the call goes through @ops[0].fd
 * @flags: 0 or KIPC_WAIT_NONBLOCK (KIPC_SEM_UNDO goes in each operation)
 * @abs: absolute deadline on @clockid; NULL waits for ever
 *
 * Return: 0 or KIPC_SEM_RECOVERED, or -errno with nothing applied.
 */
int kipc_sem_multi(const struct kipc_sem_op *ops, unsigned int count,
		   unsigned int flags, clockid_t clockid,
		   const struct timespec *abs);

/**
 * kipc_sem_post - add @count units, waking the waiters they satisfy
 *
 * Return: 0, or -errno (-EOVERFLOW: past KIPC_SEM_VALUE_MAX).
 */
int kipc_sem_post(int fd, unsigned int count);

/**
 * kipc_sem_getvalue - the semaphore's value
 *
 * Return: the value (>= 0), or -errno.
 */
int kipc_sem_getvalue(int fd);

/**
 * kipc_sem_get_sized - value, waiters, and what this description holds under
 *	undo
 * @size: sizeof(*@st) as the caller knows it
 *
 * Return: 0, or -errno.
 */
int kipc_sem_get_sized(int fd, struct kipc_sem_get *st, size_t size);

/* kipc_sem_get - kipc_sem_get_sized() for the caller's struct kipc_sem_get */
static inline int kipc_sem_get(int fd, struct kipc_sem_get *st)
{
	return kipc_sem_get_sized(fd, st, sizeof(*st));
}

/**
 * kipc_type_name - "mq", "shm" or "sem"; NULL for an unknown type
 */
const char *kipc_type_name(unsigned int type);

#ifdef __cplusplus
}
#endif

#endif /* LIBKIPC_H */
