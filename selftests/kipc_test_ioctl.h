/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ioctl wrappers of the kipc selftests, in the style of iommufd_utils.h:
 * _test_cmd_*() issue one ioctl and return its result; test_ioctl_*() must
 * succeed and test_err_*(ERRNO, ...) must fail with exactly ERRNO. The macros
 * use self->fd, the /dev/kipc fd every fixture opens in its setup. By object:
 * /dev/kipc itself, queues, semaphores and regions; then the struct-size
 * rules every extensible ioctl shares, and the byte patterns the data tests
 * write and check. Included through kipc_test.h.
 */
#ifndef KIPC_TEST_IOCTL_H
#define KIPC_TEST_IOCTL_H

#ifndef KIPC_TEST_H
#error "include kipc_test.h, which includes this file"
#endif

/* --- ioctls on /dev/kipc and on object fds ----------------------------- */

static inline int _test_cmd_version(int fd, struct kipc_version *ver)
{
	memset(ver, 0, sizeof(*ver));
	ver->size = sizeof(*ver);
	return ioctl(fd, KIPC_IOC_VERSION, ver);
}
#define test_ioctl_version(_ver) \
	ASSERT_EQ(0, _test_cmd_version(self->fd, _ver))

static inline int _test_cmd_open(int fd, __u32 type, const char *name,
				 __u32 flags, __u32 mode,
				 const union kipc_attr *attr, __u64 *out_id,
				 __u32 *out_flags)
{
	struct kipc_open cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.type = type,
		.mode = mode,
		.name = (uintptr_t)name,
	};
	int ret;

	if (attr)
		cmd.attr = *attr;
	ret = ioctl(fd, KIPC_IOC_OPEN, &cmd);
	if (ret < 0)
		return ret;
	if (out_id)
		*out_id = cmd.out_id;
	if (out_flags)
		*out_flags = cmd.out_flags;
	return ret;
}

/* Returns the new object fd. */
#define test_ioctl_open(_type, _name, _flags, _mode, _attr, _out_id,	\
			_out_flags)					\
	({								\
		int __fd = _test_cmd_open(self->fd, _type, _name, _flags, \
					  _mode, _attr, _out_id,	\
					  _out_flags);			\
		ASSERT_LE(0, __fd)					\
			TH_LOG("open %s: %s", _name, strerror(errno));	\
		__fd;							\
	})
#define test_err_open(_errno, _type, _name, _flags, _mode, _attr)	\
	EXPECT_ERRNO(_errno, _test_cmd_open(self->fd, _type, _name,	\
					    _flags, _mode, _attr, NULL,	\
					    NULL))

/* Create a new object of @type with valid attributes; returns its fd. */
#define test_ioctl_create(_type, _name, _mode, _out_id)			\
	({								\
		union kipc_attr __attr = kipc_attr_of(_type);		\
		__u32 __out_flags = 0;					\
		int __ofd = test_ioctl_open(_type, _name, KIPC_NEW,	\
					    _mode, &__attr, _out_id,	\
					    &__out_flags);		\
		ASSERT_EQ(KIPC_OPEN_OUT_CREATED, __out_flags);		\
		__ofd;							\
	})

static inline int _test_cmd_unlink(int fd, __u32 type, const char *name)
{
	struct kipc_unlink cmd = {
		.size = sizeof(cmd),
		.type = type,
		.name = (uintptr_t)name,
	};

	return ioctl(fd, KIPC_IOC_UNLINK, &cmd);
}
#define test_ioctl_unlink(_type, _name) \
	ASSERT_EQ(0, _test_cmd_unlink(self->fd, _type, _name))
#define test_err_unlink(_errno, _type, _name) \
	EXPECT_ERRNO(_errno, _test_cmd_unlink(self->fd, _type, _name))

static inline int _test_cmd_info(int objfd, struct kipc_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl(objfd, KIPC_IOC_INFO, info);
}
#define test_ioctl_info(_objfd, _info) \
	ASSERT_EQ(0, _test_cmd_info(_objfd, _info))
#define test_err_info(_errno, _objfd, _info) \
	EXPECT_ERRNO(_errno, _test_cmd_info(_objfd, _info))

/* The id of the object behind @objfd. */
#define test_obj_id(_objfd)						\
	({								\
		struct kipc_info __info;				\
		test_ioctl_info(_objfd, &__info);			\
		__info.out_id;						\
	})

/* Is there an object of @type called @name in our namespace? */
#define test_obj_exists(_type, _name)					\
	({								\
		int __e = _test_cmd_open(self->fd, _type, _name,	\
					 KIPC_OPEN_READ, 0, NULL, NULL,	\
					 NULL);				\
		if (__e >= 0)						\
			close(__e);					\
		else							\
			ASSERT_EQ(ENOENT, errno);			\
		__e >= 0;						\
	})

/* --- message queues ---------------------------------------------------- */

/*
 * The _test_cmd_mq_*() helpers return what ioctl() returns, with errno set,
 * so that EXPECT_ERRNO() can check the exact errno.
 */
static inline int _test_cmd_mq_send(int qfd, const void *buf, __u32 len,
				    __u32 prio, __u32 flags)
{
	struct kipc_mq_send cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.buf = (uintptr_t)buf,
		.len = len,
		.prio = prio,
	};

	return ioctl(qfd, KIPC_IOC_MQ_SEND, &cmd);
}
#define test_ioctl_mq_send(_qfd, _buf, _len, _prio)			\
	({								\
		ASSERT_EQ(0, _test_cmd_mq_send(_qfd, _buf, _len, _prio, \
					       0))			\
			TH_LOG("send: %s", strerror(errno));		\
	})
#define test_err_mq_send(_errno, _qfd, _buf, _len, _prio, _flags)	\
	EXPECT_ERRNO(_errno, _test_cmd_mq_send(_qfd, _buf, _len, _prio, \
					       _flags))

static inline int _test_cmd_mq_recv(int qfd, void *buf, __u32 len,
				    __u32 flags, __u32 *out_len,
				    __u32 *out_prio)
{
	struct kipc_mq_recv cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.buf = (uintptr_t)buf,
		.len = len,
		.out_len = UINT32_MAX,
		.out_prio = UINT32_MAX,
	};
	int ret = ioctl(qfd, KIPC_IOC_MQ_RECV, &cmd);

	if (out_len)
		*out_len = cmd.out_len;
	if (out_prio)
		*out_prio = cmd.out_prio;
	return ret;
}

/* Receive into @_buf; the message must be @_len bytes of priority @_prio. */
#define test_ioctl_mq_recv(_qfd, _buf, _buflen, _len, _prio)		\
	({								\
		__u32 __len, __prio;					\
		ASSERT_EQ((int)(_len),					\
			  _test_cmd_mq_recv(_qfd, _buf, _buflen, 0,	\
					    &__len, &__prio))		\
			TH_LOG("recv: %s", strerror(errno));		\
		ASSERT_EQ((__u32)(_len), __len);			\
		ASSERT_EQ((__u32)(_prio), __prio);			\
	})
#define test_err_mq_recv(_errno, _qfd, _buf, _buflen, _flags)		\
	EXPECT_ERRNO(_errno, _test_cmd_mq_recv(_qfd, _buf, _buflen,	\
					       _flags, NULL, NULL))

static inline int _test_cmd_mq_peek(int qfd, __u32 index, void *buf,
				    __u32 len, __u32 *out_len,
				    __u32 *out_prio)
{
	struct kipc_mq_peek cmd = {
		.size = sizeof(cmd),
		.buf = (uintptr_t)buf,
		.len = len,
		.index = index,
		.out_len = UINT32_MAX,
		.out_prio = UINT32_MAX,
	};
	int ret = ioctl(qfd, KIPC_IOC_MQ_PEEK, &cmd);

	if (out_len)
		*out_len = cmd.out_len;
	if (out_prio)
		*out_prio = cmd.out_prio;
	return ret;
}

static inline int _test_cmd_mq_vec(int qfd, unsigned long ioc,
				   struct kipc_mq_vec *vec, __u32 count,
				   __u32 flags)
{
	struct kipc_mq_sendv cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.vec = (uintptr_t)vec,
		.count = count,
		.out_count = UINT32_MAX,
	};
	int ret = ioctl(qfd, ioc, &cmd);

	/* out_count is written only when something moved. */
	if (ret > 0 && cmd.out_count != (__u32)ret) {
		errno = EPROTO;
		return -1;
	}
	return ret;
}
#define _test_cmd_mq_sendv(_qfd, _vec, _count, _flags) \
	_test_cmd_mq_vec(_qfd, KIPC_IOC_MQ_SENDV, _vec, _count, _flags)
#define _test_cmd_mq_recvv(_qfd, _vec, _count, _flags) \
	_test_cmd_mq_vec(_qfd, KIPC_IOC_MQ_RECVV, _vec, _count, _flags)

static inline int _test_cmd_mq_getattr(int qfd, struct kipc_mq_getattr *attr)
{
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	return ioctl(qfd, KIPC_IOC_MQ_GETATTR, attr);
}

/* How many messages @_qfd holds now. */
#define test_mq_depth(_qfd)						\
	({								\
		struct kipc_mq_getattr __a;				\
		ASSERT_EQ(0, _test_cmd_mq_getattr(_qfd, &__a));		\
		__a.out_depth;						\
	})

/* Create queue @_name with this capacity and KIPC_OPEN_* @_flags. */
#define test_mq_create_flags(_name, _flags, _max_msgs, _max_msgsize)	\
	({								\
		union kipc_attr __attr;					\
		memset(&__attr, 0, sizeof(__attr));			\
		__attr.mq.max_msgs = _max_msgs;				\
		__attr.mq.max_msgsize = _max_msgsize;			\
		test_ioctl_open(KIPC_OBJ_MQ, _name, _flags, 0600,	\
				&__attr, NULL, NULL);			\
	})
/* Create queue @_name, for reading and writing; returns its fd. */
#define test_mq_create(_name, _max_msgs, _max_msgsize) \
	test_mq_create_flags(_name, KIPC_NEW, _max_msgs, _max_msgsize)

/* Open the existing queue @_name with @_flags; returns the fd. */
#define test_mq_open(_name, _flags)					\
	test_ioctl_open(KIPC_OBJ_MQ, _name, _flags, 0, NULL, NULL, NULL)

/* --- semaphores -------------------------------------------------------- */

static inline int _test_cmd_sem_wait(int objfd, __u32 count, __u32 flags,
				     __u32 clockid, __u64 deadline,
				     __u32 *out_flags)
{
	struct kipc_sem_wait cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.count = count,
		.clockid = clockid,
		.deadline = deadline,
		/* Must be overwritten. */
		.out_flags = ~0U,
	};
	int ret;

	ret = ioctl(objfd, KIPC_IOC_SEM_WAIT, &cmd);
	if (ret == 0 && out_flags)
		*out_flags = cmd.out_flags;
	return ret;
}

/* Waits with @flags (KIPC_WAIT_*, KIPC_SEM_UNDO); returns out_flags. */
#define test_ioctl_sem_wait(_objfd, _count, _flags)			\
	({								\
		__u32 __of = ~0U;					\
		ASSERT_EQ(0, _test_cmd_sem_wait(_objfd, _count, _flags,	\
						0, 0, &__of))		\
			TH_LOG("sem wait: %s", strerror(errno));	\
		__of;							\
	})
#define test_err_sem_wait(_errno, _objfd, _count, _flags)		\
	EXPECT_ERRNO(_errno, _test_cmd_sem_wait(_objfd, _count, _flags,	\
						0, 0, NULL))

static inline int _test_cmd_sem_post(int objfd, __u32 count)
{
	struct kipc_sem_post cmd = {
		.size = sizeof(cmd),
		.count = count,
	};

	return ioctl(objfd, KIPC_IOC_SEM_POST, &cmd);
}
#define test_ioctl_sem_post(_objfd, _count)				\
	ASSERT_EQ(0, _test_cmd_sem_post(_objfd, _count))		\
		TH_LOG("sem post: %s", strerror(errno))
#define test_err_sem_post(_errno, _objfd, _count) \
	EXPECT_ERRNO(_errno, _test_cmd_sem_post(_objfd, _count))

static inline int _test_cmd_sem_get(int objfd, struct kipc_sem_get *get)
{
	memset(get, 0, sizeof(*get));
	get->size = sizeof(*get);
	return ioctl(objfd, KIPC_IOC_SEM_GET, get);
}
#define test_ioctl_sem_get(_objfd, _get) \
	ASSERT_EQ(0, _test_cmd_sem_get(_objfd, _get))
#define test_err_sem_get(_errno, _objfd)				\
	({								\
		struct kipc_sem_get __g;				\
		EXPECT_ERRNO(_errno, _test_cmd_sem_get(_objfd, &__g));	\
	})

#define test_sem_value(_objfd)						\
	({								\
		struct kipc_sem_get __g;				\
		test_ioctl_sem_get(_objfd, &__g);			\
		__g.out_value;						\
	})
#define test_sem_waiters(_objfd)					\
	({								\
		struct kipc_sem_get __g;				\
		test_ioctl_sem_get(_objfd, &__g);			\
		__g.out_waiters;					\
	})
#define test_sem_undo(_objfd)						\
	({								\
		struct kipc_sem_get __g;				\
		test_ioctl_sem_get(_objfd, &__g);			\
		__g.out_undo;						\
	})

/* Create semaphore @name with @value, mode 0600; returns an O_RDWR fd. */
#define test_sem_create(_name, _value, _out_id)				\
	({								\
		union kipc_attr __a = { .sem = { .value = _value } };	\
		test_ioctl_open(KIPC_OBJ_SEM, _name, KIPC_NEW, 0600,	\
				&__a, _out_id, NULL);			\
	})

/* Open another description of semaphore @name. */
#define test_sem_reopen(_name, _flags)					\
	test_ioctl_open(KIPC_OBJ_SEM, _name, _flags, 0, NULL, NULL, NULL)

/*
 * Wait until exactly @n tasks are queued on the semaphore. A task counts
 * from the moment it is on the wait list, so this is the way to know that
 * a child is blocked, and in which order children queued. Gives up after
 * 20 s (the harness would kill the test at 30 s anyway).
 */
static inline int kipc_sem_await_waiters(int objfd, __u32 n)
{
	struct kipc_sem_get get;
	int i;

	for (i = 0; i < 20000; i++) {
		if (_test_cmd_sem_get(objfd, &get))
			return -errno;
		if (get.out_waiters == n)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}
#define test_sem_await_waiters(_objfd, _n)				\
	ASSERT_EQ(0, kipc_sem_await_waiters(_objfd, _n))		\
		TH_LOG("waiting for %u waiters", (unsigned int)(_n))

/* --- shared memory regions --------------------------------------------- */

/* Create a new region of @size bytes (mode 0600); returns its fd. */
static inline int _test_cmd_shm_create(int fd, const char *name, __u64 size,
				       __u64 *out_id)
{
	union kipc_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.shm.size = size;
	return _test_cmd_open(fd, KIPC_OBJ_SHM, name, KIPC_NEW, 0600, &attr,
			      out_id, NULL);
}
#define test_shm_create(_name, _size, _out_id)				\
	({								\
		int __sfd = _test_cmd_shm_create(self->fd, _name, _size, \
						 _out_id);		\
		ASSERT_LE(0, __sfd)					\
			TH_LOG("create %s: %s", _name, strerror(errno)); \
		__sfd;							\
	})

static inline int _test_cmd_shm_resize(int objfd, __u64 new_size)
{
	struct kipc_shm_resize cmd = {
		.size = sizeof(cmd),
		.new_size = new_size,
	};

	return ioctl(objfd, KIPC_IOC_SHM_RESIZE, &cmd);
}
#define test_ioctl_shm_resize(_objfd, _new_size)			\
	ASSERT_EQ(0, _test_cmd_shm_resize(_objfd, _new_size))		\
		TH_LOG("resize to %llu: %s",				\
		       (unsigned long long)(_new_size), strerror(errno))
#define test_err_shm_resize(_errno, _objfd, _new_size) \
	EXPECT_ERRNO(_errno, _test_cmd_shm_resize(_objfd, _new_size))

/* Add @seals (0 only reads them); *@out_seals gets the seals in force. */
static inline int _test_cmd_shm_seal(int objfd, __u32 seals,
				     __u32 *out_seals)
{
	struct kipc_shm_seal cmd = {
		.size = sizeof(cmd),
		.seals = seals,
	};
	int ret;

	ret = ioctl(objfd, KIPC_IOC_SHM_SEAL, &cmd);
	if (!ret && out_seals)
		*out_seals = cmd.out_seals;
	return ret;
}
#define test_ioctl_shm_seal(_objfd, _seals)				\
	({								\
		__u32 __seals = 0;					\
		ASSERT_EQ(0, _test_cmd_shm_seal(_objfd, _seals, &__seals)) \
			TH_LOG("seal %#x: %s", (unsigned int)(_seals),	\
			       strerror(errno));			\
		__seals;						\
	})
#define test_err_shm_seal(_errno, _objfd, _seals) \
	EXPECT_ERRNO(_errno, _test_cmd_shm_seal(_objfd, _seals, NULL))
#define test_shm_seals(_objfd) test_ioctl_shm_seal(_objfd, 0)

static inline int _test_cmd_shm_stat(int objfd, struct kipc_shm_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return ioctl(objfd, KIPC_IOC_SHM_STAT, st);
}
#define test_ioctl_shm_stat(_objfd, _st) \
	ASSERT_EQ(0, _test_cmd_shm_stat(_objfd, _st))

/* One field of KIPC_IOC_SHM_STAT, e.g. test_shm_stat(fd, out_nattch). */
#define test_shm_stat(_objfd, _field)					\
	({								\
		struct kipc_shm_stat __st;				\
		test_ioctl_shm_stat(_objfd, &__st);			\
		__st._field;						\
	})

/* Open the region called @_name again; returns the fd. */
#define test_shm_reopen(_name, _flags) \
	test_ioctl_open(KIPC_OBJ_SHM, _name, _flags, 0, NULL, NULL, NULL)

/* mmap() of @len bytes at @offset; MAP_FAILED must not come back. */
#define test_shm_mmap(_objfd, _len, _prot, _flags, _offset)		\
	({								\
		void *__p = mmap(NULL, _len, _prot, _flags, _objfd,	\
				 _offset);				\
		ASSERT_NE(MAP_FAILED, __p)				\
			TH_LOG("mmap: %s", strerror(errno));		\
		(char *)__p;						\
	})
#define test_err_shm_mmap(_errno, _objfd, _len, _prot, _flags, _offset) \
	({								\
		ASSERT_EQ(MAP_FAILED, mmap(NULL, _len, _prot, _flags,	\
					   _objfd, _offset));		\
		EXPECT_EQ(_errno, errno);				\
	})

/*
 * Touch one byte and report the signal it raised: 0, SIGBUS or SIGSEGV.
 * The handlers are installed for the call only. A write stores @val.
 */
static sigjmp_buf kipc_probe_env;
static volatile sig_atomic_t kipc_probe_sig;

static inline void kipc_probe_handler(int sig)
{
	kipc_probe_sig = sig;
	siglongjmp(kipc_probe_env, 1);
}

static inline int kipc_probe(volatile char *p, bool write, char val,
			     char *out)
{
	struct sigaction sa, old_bus, old_segv;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kipc_probe_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	kipc_probe_sig = 0;
	if (!sigsetjmp(kipc_probe_env, 1)) {
		if (write)
			*p = val;
		else if (out)
			*out = *p;
		else
			(void)*p;
	}
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return kipc_probe_sig;
}
#define test_probe_read(_p)	kipc_probe(_p, false, 0, NULL)
#define test_probe_write(_p)	kipc_probe(_p, true, 0x5a, NULL)

/* --- the struct rules of every extensible ioctl ------------------------- */

/*
 * The errors every extensible struct shares (iommufd's cmd_length): a size
 * below the first version is EINVAL, and a size above the kernel's with a
 * non-zero byte the kernel does not know is E2BIG. @_buf is
 * { struct _struct cmd; __u8 extra[8]; }, holding a valid request; it is left
 * with size = sizeof + 8 and a zero tail, which the caller then shows to work.
 */
#define TEST_LENGTH_ERRORS(_fd, _buf, _struct, _ioctl, _last)		\
	do {								\
		size_t __min = offsetofend(struct _struct, _last);	\
									\
		(_buf).cmd.size = 0;					\
		EXPECT_ERRNO(EINVAL, ioctl(_fd, _ioctl, &(_buf)));	\
		(_buf).cmd.size = __min - 1;				\
		EXPECT_ERRNO(EINVAL, ioctl(_fd, _ioctl, &(_buf)));	\
		(_buf).cmd.size = sizeof(struct _struct) + 1;		\
		(_buf).extra[0] = UINT8_MAX;				\
		EXPECT_ERRNO(E2BIG, ioctl(_fd, _ioctl, &(_buf)));	\
		(_buf).extra[0] = 0;					\
		(_buf).cmd.size = sizeof(struct _struct) + 8;		\
		(_buf).extra[7] = 1;					\
		EXPECT_ERRNO(E2BIG, ioctl(_fd, _ioctl, &(_buf)));	\
		(_buf).extra[7] = 0;					\
	} while (0)

/*
 * Two pages, the second inaccessible: a buffer can end at the boundary, so
 * that a copy one byte too far faults. NULL if the mapping failed.
 */
static inline char *kipc_guarded_page(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + 4096, 4096, PROT_NONE)) {
		munmap(p, 8192);
		return NULL;
	}
	return p;
}

/* --- data patterns ------------------------------------------------------ */

/* A byte pattern that differs by @seed and by offset, to spot stray data. */
static inline char kipc_pattern(unsigned int seed, size_t off)
{
	return (char)(seed * 131 + off * 7 + (off >> 12) + 1);
}

static inline void kipc_fill(char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = kipc_pattern(seed, i);
}

/* The offset of the first byte that is not @seed's pattern, or -1. */
static inline ssize_t kipc_check(const char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != kipc_pattern(seed, i))
			return i;
	return -1;
}

/* The offset of the first byte that is not zero, or -1. */
static inline ssize_t kipc_check_zero(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return i;
	return -1;
}

#endif /* KIPC_TEST_IOCTL_H */
