// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libkipc: thin typed wrappers around the /dev/kipc ioctls.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kipc.h"
#include "libkipc-private.h"

#define offsetofend(type, member) \
	(offsetof(type, member) + sizeof(((type *)0)->member))

/*
 * The first version of each structure the kernel fills in: the kernel's
 * smallest accepted @size, and all that a LIBKIPC_0.1 caller (whose
 * functions took no size) has room for. These never change as the
 * structures grow.
 */
#define KIPC_VERSION_SIZE_VER0 \
	offsetofend(struct kipc_version, out_shm_max_size)
#define KIPC_INFO_SIZE_VER0	offsetofend(struct kipc_info, out_name)
#define KIPC_MQ_GETATTR_SIZE_VER0 \
	offsetofend(struct kipc_mq_getattr, out_bytes)
#define KIPC_SHM_STAT_SIZE_VER0	offsetofend(struct kipc_shm_stat, out_state)
#define KIPC_SEM_GET_SIZE_VER0	offsetofend(struct kipc_sem_get, out_undo)

/*
 * LIBKIPC_0.1's function @sym is @impl: kipc.h now makes @sym an inline
 * that passes the caller's size, and binaries linked before keep calling
 * this one, with structures of the first version's size.
 */
#define KIPC_SYMVER_0_1(impl, sym) \
	__asm__(".symver " #impl ", " #sym "@@LIBKIPC_0.1")

/* LIBKIPC_0.1's @name(fd, st), which fills in @size0 bytes of @st. */
#define KIPC_FD_OUT_0_1(name, type, size0)				\
	KIPC_SYMVER_0_1(name##_0_1, name);				\
	KIPC_EXPORT int name##_0_1(int fd, struct type *st)		\
	{								\
		return name##_sized(fd, st, size0);			\
	}

/*
 * Prepare a caller's structure of @size bytes, of which the first version
 * had @size0, for an ioctl that fills it in: zero it all (the kernel wants
 * zeroes in any tail it does not know) and set its size. Nothing beyond
 * @size is touched, and nothing at all when @size is too small.
 */
static int kipc_out_init(void *st, size_t size, size_t size0)
{
	if (size < size0 || size > UINT32_MAX)
		return -EINVAL;
	memset(st, 0, size);
	*(__u32 *)st = size;
	return 0;
}

/* The factory is opened per call: it holds no state, and a library that
 * keeps a hidden fd would leak it into every fork/exec of its user.
 * No device (ENOENT: no node; ENXIO, ENODEV: a node without the module
 * behind it) is -ENODEV, which the module never returns: ENOENT would read
 * as "no such object". */
static int kipc_dev_ioctl(unsigned long cmd, void *arg)
{
	KIPC_KEEP_ERRNO;
	int fd, ret;

	fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ENXIO || errno == ENODEV ?
		       -ENODEV : -errno;
	ret = ioctl(fd, cmd, arg);
	if (ret < 0)
		ret = -errno;
	close(fd);
	return ret;
}

KIPC_EXPORT int kipc_version_sized(struct kipc_version *ver, size_t size)
{
	int ret = kipc_out_init(ver, size, KIPC_VERSION_SIZE_VER0);

	return ret ? ret : kipc_dev_ioctl(KIPC_IOC_VERSION, ver);
}

KIPC_SYMVER_0_1(kipc_version_0_1, kipc_version);
KIPC_EXPORT int kipc_version_0_1(struct kipc_version *ver)
{
	return kipc_version_sized(ver, KIPC_VERSION_SIZE_VER0);
}

KIPC_EXPORT int kipc_open(unsigned int type, const char *name,
			  unsigned int flags, mode_t mode,
			  const union kipc_attr *attr, uint64_t *out_id)
{
	struct kipc_open op = {
		.size = sizeof(op),
		.flags = flags,
		.type = type,
		.mode = mode,
		.name = (uintptr_t)name,
	};
	int fd;

	if (attr)
		op.attr = *attr;
	fd = kipc_dev_ioctl(KIPC_IOC_OPEN, &op);
	if (fd >= 0 && out_id)
		*out_id = op.out_id;
	return fd;
}

KIPC_EXPORT int kipc_mq_open(const char *name, unsigned int flags,
			     mode_t mode, uint32_t max_msgs,
			     uint32_t max_msgsize)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = max_msgs, .max_msgsize = max_msgsize },
	};

	return kipc_open(KIPC_OBJ_MQ, name, flags, mode, &attr, NULL);
}

KIPC_EXPORT int kipc_shm_open(const char *name, unsigned int flags,
			      mode_t mode, uint64_t size)
{
	union kipc_attr attr = { .shm = { .size = size } };

	return kipc_open(KIPC_OBJ_SHM, name, flags, mode, &attr, NULL);
}

KIPC_EXPORT int kipc_sem_open(const char *name, unsigned int flags,
			      mode_t mode, uint32_t value)
{
	union kipc_attr attr = { .sem = { .value = value } };

	return kipc_open(KIPC_OBJ_SEM, name, flags, mode, &attr, NULL);
}

KIPC_EXPORT int kipc_unlink(unsigned int type, const char *name)
{
	struct kipc_unlink op = {
		.size = sizeof(op),
		.type = type,
		.name = (uintptr_t)name,
	};

	return kipc_dev_ioctl(KIPC_IOC_UNLINK, &op);
}

static int kipc_fd_ioctl(int fd, unsigned long cmd, void *arg)
{
	KIPC_KEEP_ERRNO;
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

/* An object fd's ioctl @cmd that fills in the caller's @st of @size. */
static int kipc_fd_out(int fd, unsigned long cmd, void *st, size_t size,
		       size_t size0)
{
	int ret = kipc_out_init(st, size, size0);

	return ret ? ret : kipc_fd_ioctl(fd, cmd, st);
}

KIPC_EXPORT int kipc_info_sized(int fd, struct kipc_info *info, size_t size)
{
	return kipc_fd_out(fd, KIPC_IOC_INFO, info, size, KIPC_INFO_SIZE_VER0);
}

/* An absolute deadline in nanoseconds, as the ioctls take it. */
static int kipc_deadline(const struct timespec *abs, __u64 *ns)
{
	if (abs->tv_sec < 0 || abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000L)
		return -EINVAL;
	if ((uint64_t)abs->tv_sec > (INT64_MAX - abs->tv_nsec) / 1000000000ULL)
		*ns = INT64_MAX;
	else
		*ns = (uint64_t)abs->tv_sec * 1000000000ULL + abs->tv_nsec;
	return 0;
}

/* Fill in the deadline fields of a blocking call; no deadline for NULL. */
static int kipc_set_deadline(__u32 *flags, __u32 *op_clockid,
			     __u64 *deadline, clockid_t clockid,
			     const struct timespec *abs)
{
	int ret;

	if (!abs)
		return 0;
	ret = kipc_deadline(abs, deadline);
	if (ret)
		return ret;
	*flags |= KIPC_WAIT_DEADLINE;
	*op_clockid = clockid;
	return 0;
}

/*
 * The deadline @rel from now on CLOCK_MONOTONIC: *@abs points to it, in
 * @buf. A NULL @rel is no deadline, as a NULL absolute one is in every
 * timed call: *@abs is NULL then.
 */
static int kipc_relative(const struct timespec *rel, struct timespec *buf,
			 const struct timespec **abs)
{
	*abs = NULL;
	if (!rel)
		return 0;
	if (rel->tv_sec < 0 || rel->tv_nsec < 0 || rel->tv_nsec >= 1000000000L)
		return -EINVAL;
	*abs = buf;
	clock_gettime(CLOCK_MONOTONIC, buf);
	if (buf->tv_sec > LONG_MAX - rel->tv_sec - 1) {
		buf->tv_sec = LONG_MAX;
		buf->tv_nsec = 0;
		return 0;
	}
	buf->tv_sec += rel->tv_sec;
	buf->tv_nsec += rel->tv_nsec;
	if (buf->tv_nsec >= 1000000000L) {
		buf->tv_sec++;
		buf->tv_nsec -= 1000000000L;
	}
	return 0;
}

KIPC_EXPORT int kipc_mq_timedsend(int fd, const void *buf, size_t len,
				  unsigned int prio, clockid_t clockid,
				  const struct timespec *abs)
{
	struct kipc_mq_send op = {
		.size = sizeof(op),
		.buf = (uintptr_t)buf,
		.len = len,
		.prio = prio,
	};
	int ret;

	if (len > UINT32_MAX)
		return -EMSGSIZE;
	ret = kipc_set_deadline(&op.flags, &op.clockid, &op.deadline, clockid,
				abs);
	if (ret)
		return ret;
	return kipc_fd_ioctl(fd, KIPC_IOC_MQ_SEND, &op);
}

KIPC_EXPORT int kipc_mq_send(int fd, const void *buf, size_t len,
			     unsigned int prio)
{
	return kipc_mq_timedsend(fd, buf, len, prio, CLOCK_MONOTONIC, NULL);
}

KIPC_EXPORT int kipc_mq_send_timeout(int fd, const void *buf, size_t len,
				     unsigned int prio,
				     const struct timespec *rel)
{
	const struct timespec *abs;
	struct timespec ts;
	int ret = kipc_relative(rel, &ts, &abs);

	if (ret)
		return ret;
	return kipc_mq_timedsend(fd, buf, len, prio, CLOCK_MONOTONIC, abs);
}

KIPC_EXPORT int kipc_mq_send_region(int fd, const void *buf, size_t len,
				    unsigned int prio, int region_fd,
				    unsigned int flags)
{
	struct kipc_mq_send op = {
		.size = sizeof(op),
		.flags = KIPC_SEND_REGION | flags,
		.buf = (uintptr_t)buf,
		.len = len,
		.prio = prio,
		.region_fd = region_fd,
	};

	if (flags & ~KIPC_SEND_SEALED)
		return -EINVAL;
	if (len > UINT32_MAX)
		return -EMSGSIZE;
	return kipc_fd_ioctl(fd, KIPC_IOC_MQ_SEND, &op);
}

KIPC_EXPORT ssize_t kipc_mq_receive_region(int fd, void *buf, size_t len,
					   unsigned int *prio, int *region_fd)
{
	struct kipc_mq_recv op = {
		.size = sizeof(op),
		.flags = KIPC_RECV_REGION,
		.buf = (uintptr_t)buf,
		.len = len > UINT32_MAX ? UINT32_MAX : len,
		.out_region_fd = -1,
	};
	int ret;

	ret = kipc_fd_ioctl(fd, KIPC_IOC_MQ_RECV, &op);
	if (ret >= 0 && prio)
		*prio = op.out_prio;
	if (region_fd)
		*region_fd = ret >= 0 ? op.out_region_fd : -1;
	return ret;
}

KIPC_EXPORT ssize_t kipc_mq_timedreceive_creds(int fd, void *buf, size_t len,
					       unsigned int *prio,
					       struct kipc_creds *creds,
					       clockid_t clockid,
					       const struct timespec *abs)
{
	struct kipc_mq_recv op = {
		.size = sizeof(op),
		.flags = creds ? KIPC_RECV_CREDS : 0,
		.buf = (uintptr_t)buf,
		.len = len > UINT32_MAX ? UINT32_MAX : len,
	};
	int ret;

	ret = kipc_set_deadline(&op.flags, &op.clockid, &op.deadline, clockid,
				abs);
	if (ret)
		return ret;
	ret = kipc_fd_ioctl(fd, KIPC_IOC_MQ_RECV, &op);
	if (ret >= 0 && prio)
		*prio = op.out_prio;
	if (ret >= 0 && creds)
		*creds = op.out_creds;
	return ret;
}

KIPC_EXPORT ssize_t kipc_mq_receive_creds(int fd, void *buf, size_t len,
					  unsigned int *prio,
					  struct kipc_creds *creds)
{
	return kipc_mq_timedreceive_creds(fd, buf, len, prio, creds,
					  CLOCK_MONOTONIC, NULL);
}

KIPC_EXPORT ssize_t kipc_mq_timedreceive(int fd, void *buf, size_t len,
					 unsigned int *prio, clockid_t clockid,
					 const struct timespec *abs)
{
	return kipc_mq_timedreceive_creds(fd, buf, len, prio, NULL, clockid,
					  abs);
}

KIPC_EXPORT ssize_t kipc_mq_receive(int fd, void *buf, size_t len,
				    unsigned int *prio)
{
	return kipc_mq_timedreceive(fd, buf, len, prio, CLOCK_MONOTONIC, NULL);
}

KIPC_EXPORT ssize_t kipc_mq_receive_timeout(int fd, void *buf, size_t len,
					    unsigned int *prio,
					    const struct timespec *rel)
{
	const struct timespec *abs;
	struct timespec ts;
	int ret = kipc_relative(rel, &ts, &abs);

	if (ret)
		return ret;
	return kipc_mq_timedreceive(fd, buf, len, prio, CLOCK_MONOTONIC, abs);
}

KIPC_EXPORT int kipc_mq_sendv(int fd, const struct kipc_mq_vec *vec,
			      unsigned int count, unsigned int flags)
{
	struct kipc_mq_sendv op = {
		.size = sizeof(op),
		.flags = flags,
		.vec = (uintptr_t)vec,
		.count = count,
	};

	return kipc_fd_ioctl(fd, KIPC_IOC_MQ_SENDV, &op);
}

KIPC_EXPORT int kipc_mq_receivev_creds(int fd, struct kipc_mq_vec *vec,
				       struct kipc_creds *creds,
				       unsigned int count, unsigned int flags)
{
	struct kipc_mq_sendv op = {
		.size = sizeof(op),
		.flags = flags | (creds ? KIPC_RECV_CREDS : 0),
		.vec = (uintptr_t)vec,
		.count = count,
		.creds = (uintptr_t)creds,
	};

	return kipc_fd_ioctl(fd, KIPC_IOC_MQ_RECVV, &op);
}

KIPC_EXPORT int kipc_mq_receivev(int fd, struct kipc_mq_vec *vec,
				 unsigned int count, unsigned int flags)
{
	return kipc_mq_receivev_creds(fd, vec, NULL, count, flags);
}

KIPC_EXPORT ssize_t kipc_mq_sendrecv_creds(int fd,
					   const struct kipc_mq_sendrecv_args *a,
					   struct kipc_creds *creds)
{
	struct kipc_mq_sendrecv op = {
		.size = sizeof(op),
		.flags = creds ? KIPC_RECV_CREDS : 0,
		.recv_fd = a->recv_fd,
		.send_prio = a->send_prio,
		.send_buf = (uintptr_t)a->send_buf,
		.send_len = a->send_len,
		.recv_len = a->recv_len > UINT32_MAX ? UINT32_MAX : a->recv_len,
		.recv_buf = (uintptr_t)a->recv_buf,
	};
	int ret;

	if (a->sent)
		*a->sent = 0;
	if (a->send_len > UINT32_MAX)
		return -EMSGSIZE;
	ret = kipc_set_deadline(&op.flags, &op.clockid, &op.deadline,
				a->clockid, a->deadline);
	if (ret)
		return ret;
	ret = kipc_fd_ioctl(fd, KIPC_IOC_MQ_SENDRECV, &op);
	if (a->sent)
		*a->sent = !!(op.out_flags & KIPC_SENDRECV_SENT);
	if (ret >= 0 && a->recv_prio)
		*a->recv_prio = op.out_prio;
	if (ret >= 0 && creds)
		*creds = op.out_creds;
	return ret;
}

KIPC_EXPORT ssize_t kipc_mq_sendrecv(int fd,
				     const struct kipc_mq_sendrecv_args *a)
{
	return kipc_mq_sendrecv_creds(fd, a, NULL);
}

KIPC_EXPORT ssize_t kipc_mq_peek(int fd, unsigned int index, void *buf,
				 size_t len, unsigned int *prio)
{
	struct kipc_mq_peek op = {
		.size = sizeof(op),
		.buf = (uintptr_t)buf,
		.len = len > UINT32_MAX ? UINT32_MAX : len,
		.index = index,
	};
	int ret = kipc_fd_ioctl(fd, KIPC_IOC_MQ_PEEK, &op);

	if (ret >= 0 && prio)
		*prio = op.out_prio;
	return ret;
}

KIPC_EXPORT int kipc_mq_getattr_sized(int fd, struct kipc_mq_getattr *attr,
				      size_t size)
{
	return kipc_fd_out(fd, KIPC_IOC_MQ_GETATTR, attr, size,
			   KIPC_MQ_GETATTR_SIZE_VER0);
}

KIPC_EXPORT int kipc_shm_stat_sized(int fd, struct kipc_shm_stat *st,
				    size_t size)
{
	return kipc_fd_out(fd, KIPC_IOC_SHM_STAT, st, size,
			   KIPC_SHM_STAT_SIZE_VER0);
}

KIPC_EXPORT int kipc_shm_map(int fd, int prot, void **addr, size_t *len)
{
	KIPC_KEEP_ERRNO;
	struct kipc_shm_stat st;
	void *p;
	int ret;

	ret = kipc_shm_stat(fd, &st);
	if (ret)
		return ret;
	if (st.out_size > SIZE_MAX)
		return -EOVERFLOW;
	p = mmap(NULL, st.out_size, prot, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	*addr = p;
	*len = st.out_size;
	return 0;
}

KIPC_EXPORT int kipc_shm_unmap(void *addr, size_t len)
{
	KIPC_KEEP_ERRNO;

	return munmap(addr, len) ? -errno : 0;
}

KIPC_EXPORT int kipc_shm_resize(int fd, uint64_t size)
{
	struct kipc_shm_resize op = {
		.size = sizeof(op),
		.new_size = size,
	};

	return kipc_fd_ioctl(fd, KIPC_IOC_SHM_RESIZE, &op);
}

KIPC_EXPORT int kipc_shm_seal(int fd, unsigned int seals)
{
	struct kipc_shm_seal op = {
		.size = sizeof(op),
		.seals = seals,
	};

	if (!seals)
		return -EINVAL;
	return kipc_fd_ioctl(fd, KIPC_IOC_SHM_SEAL, &op);
}

KIPC_EXPORT int kipc_shm_get_seals(int fd)
{
	struct kipc_shm_seal op = { .size = sizeof(op) };
	int ret = kipc_fd_ioctl(fd, KIPC_IOC_SHM_SEAL, &op);

	return ret < 0 ? ret : (int)op.out_seals;
}

static int kipc_sem_do_wait(int fd, unsigned int count, unsigned int flags,
			    clockid_t clockid, const struct timespec *abs)
{
	struct kipc_sem_wait op = {
		.size = sizeof(op),
		.flags = flags,
		.count = count,
	};
	int ret;

	ret = kipc_set_deadline(&op.flags, &op.clockid, &op.deadline, clockid,
				abs);
	if (ret)
		return ret;
	ret = kipc_fd_ioctl(fd, KIPC_IOC_SEM_WAIT, &op);
	if (ret < 0)
		return ret;
	return op.out_flags & KIPC_SEM_RECOVERED;
}

KIPC_EXPORT int kipc_sem_wait(int fd, unsigned int count, unsigned int flags)
{
	return kipc_sem_do_wait(fd, count, flags, CLOCK_MONOTONIC, NULL);
}

KIPC_EXPORT int kipc_sem_trywait(int fd, unsigned int count,
				 unsigned int flags)
{
	return kipc_sem_do_wait(fd, count, flags | KIPC_WAIT_NONBLOCK,
				CLOCK_MONOTONIC, NULL);
}

KIPC_EXPORT int kipc_sem_timedwait(int fd, unsigned int count,
				   unsigned int flags, clockid_t clockid,
				   const struct timespec *abs)
{
	return kipc_sem_do_wait(fd, count, flags, clockid, abs);
}

KIPC_EXPORT int kipc_sem_wait_timeout(int fd, unsigned int count,
				      unsigned int flags,
				      const struct timespec *rel)
{
	const struct timespec *abs;
	struct timespec ts;
	int ret = kipc_relative(rel, &ts, &abs);

	if (ret)
		return ret;
	return kipc_sem_do_wait(fd, count, flags, CLOCK_MONOTONIC, abs);
}

KIPC_EXPORT int kipc_sem_multi(const struct kipc_sem_op *ops,
			       unsigned int count, unsigned int flags,
			       clockid_t clockid, const struct timespec *abs)
{
	struct kipc_sem_multi op = {
		.size = sizeof(op),
		.flags = flags,
		.count = count,
		.ops = (uintptr_t)ops,
	};
	int ret;

	/* The ioctl goes through an fd of the call; with none, no call. */
	if (!count)
		return -E2BIG;
	ret = kipc_set_deadline(&op.flags, &op.clockid, &op.deadline, clockid,
				abs);
	if (ret)
		return ret;
	ret = kipc_fd_ioctl(ops[0].fd, KIPC_IOC_SEM_MULTI, &op);
	if (ret < 0)
		return ret;
	return op.out_flags & KIPC_SEM_RECOVERED;
}

KIPC_EXPORT int kipc_sem_post(int fd, unsigned int count)
{
	struct kipc_sem_post op = {
		.size = sizeof(op),
		.count = count,
	};

	return kipc_fd_ioctl(fd, KIPC_IOC_SEM_POST, &op);
}

KIPC_EXPORT int kipc_sem_get_sized(int fd, struct kipc_sem_get *st,
				   size_t size)
{
	return kipc_fd_out(fd, KIPC_IOC_SEM_GET, st, size,
			   KIPC_SEM_GET_SIZE_VER0);
}

KIPC_EXPORT int kipc_sem_getvalue(int fd)
{
	struct kipc_sem_get st;
	int ret = kipc_sem_get(fd, &st);

	return ret < 0 ? ret : (int)st.out_value;
}

KIPC_EXPORT const char *kipc_type_name(unsigned int type)
{
	switch (type) {
	case KIPC_OBJ_MQ:
		return "mq";
	case KIPC_OBJ_SHM:
		return "shm";
	case KIPC_OBJ_SEM:
		return "sem";
	}
	return NULL;
}

/* The LIBKIPC_0.1 functions that took no size (see KIPC_SYMVER_0_1). */
KIPC_FD_OUT_0_1(kipc_info, kipc_info, KIPC_INFO_SIZE_VER0)
KIPC_FD_OUT_0_1(kipc_mq_getattr, kipc_mq_getattr, KIPC_MQ_GETATTR_SIZE_VER0)
KIPC_FD_OUT_0_1(kipc_shm_stat, kipc_shm_stat, KIPC_SHM_STAT_SIZE_VER0)
KIPC_FD_OUT_0_1(kipc_sem_get, kipc_sem_get, KIPC_SEM_GET_SIZE_VER0)
