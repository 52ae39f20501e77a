// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libkipc-posix: the POSIX message queue, named semaphore and shared memory
 * API over kipc objects, through libkipc.
 *
 * Linked before the C library (cc prog.c -lkipc-posix -lrt) or loaded with
 * LD_PRELOAD, it takes over mq_*, sem_open and friends, shm_open and
 * shm_unlink; an unmodified program's objects are then kipc objects, seen
 * by `kipc list` and subject to kipc's limits, permissions and admin
 * removal. See kipc-posix(7) for what differs from the C library's.
 *
 * The symbols carry no version: a program linked against glibc asks for
 * mq_open@GLIBC_2.34, and the loader only lets an unversioned definition
 * stand in for that.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/capability.h>

#include "kipc.h"

#define KP_EXPORT __attribute__((visibility("default")))

/* The f_type of kipc's object files (KIPCFS_MAGIC in kmod/fs.c). */
#define KP_KIPCFS_MAGIC		0x6b697063
/* Linux's defaults for a queue created without attributes (mq_overview(7)). */
#define KP_MQ_DEFAULT_MSGS	10
#define KP_MQ_DEFAULT_MSGSIZE	8192
/* Linux's caps on a privileged caller's queue (HARD_MSGMAX, HARD_MSGSIZEMAX). */
#define KP_MQ_HARD_MSGS		65536
#define KP_MQ_HARD_MSGSIZE	(16 * 1024 * 1024)

/*
 * libkipc's ENODEV (no /dev/kipc, the module not loaded) is POSIX's
 * ENOSYS: "not supported by this implementation". No call returns ENODEV
 * otherwise.
 */
static int kp_errno(int err)
{
	return err == ENODEV ? ENOSYS : err;
}

static int kp_fail(int err)
{
	errno = kp_errno(err);
	return -1;
}

static bool kp_valid_ts(const struct timespec *ts)
{
	return ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000L;
}

/*
 * The name of a queue: one leading '/', then no other (mq_overview(7)).
 * Returns the kipc name (without the '/'), or NULL with errno set.
 */
static const char *kp_mq_name(const char *name)
{
	if (!name || name[0] != '/')
		return errno = EINVAL, NULL;
	name++;
	if (!*name)
		return errno = ENOENT, NULL;
	if (strchr(name, '/'))
		return errno = EACCES, NULL;
	if (strlen(name) > NAME_MAX)
		return errno = ENAMETOOLONG, NULL;
	return name;
}

/*
 * The name of a semaphore or region, as glibc reads it: leading '/'s are
 * dropped, and what is left must be a non-empty name without '/'.
 */
static const char *kp_shm_name(const char *name)
{
	if (!name)
		return errno = EINVAL, NULL;
	while (*name == '/')
		name++;
	if (!*name || strchr(name, '/'))
		return errno = EINVAL, NULL;
	if (strlen(name) > NAME_MAX - 4)	/* glibc's "sem." prefix */
		return errno = ENAMETOOLONG, NULL;
	return name;
}

/* O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_NONBLOCK as KIPC_OPEN_*. */
static int kp_open_flags(int oflag, unsigned int *flags)
{
	switch (oflag & O_ACCMODE) {
	case O_RDONLY:
		*flags = KIPC_OPEN_READ;
		break;
	case O_WRONLY:
		*flags = KIPC_OPEN_WRITE;
		break;
	case O_RDWR:
		*flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE;
		break;
	default:
		return -EINVAL;
	}
	*flags |= KIPC_OPEN_CLOEXEC;
	if (oflag & O_CREAT) {
		*flags |= KIPC_OPEN_CREATE;
		if (oflag & O_EXCL)
			*flags |= KIPC_OPEN_EXCL;
	}
	if (oflag & O_NONBLOCK)
		*flags |= KIPC_OPEN_NONBLOCK;
	return 0;
}

/*
 * The errno of an operation on something that is not the right kind of
 * kipc object: an ioctl kipc does not know there (ENOTTY) is POSIX's
 * "not a valid descriptor".
 */
static int kp_fd_err(int err)
{
	return err == ENOTTY ? EBADF : err;
}

/* --- message queues ------------------------------------------------------ */

/* A value of /proc/sys/fs/mqueue, or @def when it cannot be read. */
static uint32_t kp_mq_sysctl(const char *name, uint32_t def)
{
	char path[64], buf[16];
	unsigned long v;
	char *end;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/fs/mqueue/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return def;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return def;
	buf[n] = 0;
	v = strtoul(buf, &end, 10);
	if (end == buf || !v || v > UINT32_MAX)
		return def;
	return v;
}

/* Whether the caller has CAP_SYS_RESOURCE in its effective set. */
static bool kp_cap_sys_resource(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[CAP_SYS_RESOURCE / 32].effective &
	       (1U << (CAP_SYS_RESOURCE % 32));
}

/*
 * A new queue's attributes as Linux settles them (ipc/mqueue.c), from the
 * mqueue sysctls of the caller's IPC namespace: without attributes, the
 * defaults, capped by the maximums; with them, the maximums hold unless the
 * caller has CAP_SYS_RESOURCE, which is held to Linux's hard caps. kipc's
 * own limits then apply on top; RLIMIT_MSGQUEUE does not (kipc charges
 * its per-uid and per-namespace limits instead).
 */
static int kp_mq_attr(const struct mq_attr *attr, uint32_t *msgs,
		      uint32_t *msgsize)
{
	uint32_t max_msgs = kp_mq_sysctl("msg_max", KP_MQ_HARD_MSGS);
	uint32_t max_msgsize = kp_mq_sysctl("msgsize_max", KP_MQ_HARD_MSGSIZE);

	if (!attr) {
		*msgs = kp_mq_sysctl("msg_default", KP_MQ_DEFAULT_MSGS);
		*msgsize = kp_mq_sysctl("msgsize_default",
					KP_MQ_DEFAULT_MSGSIZE);
		if (*msgs > max_msgs)
			*msgs = max_msgs;
		if (*msgsize > max_msgsize)
			*msgsize = max_msgsize;
		return 0;
	}
	if (attr->mq_maxmsg <= 0 || attr->mq_msgsize <= 0)
		return -EINVAL;
	if (kp_cap_sys_resource()) {
		if (attr->mq_maxmsg > KP_MQ_HARD_MSGS ||
		    attr->mq_msgsize > KP_MQ_HARD_MSGSIZE)
			return -EINVAL;
	} else if (attr->mq_maxmsg > max_msgs ||
		   attr->mq_msgsize > max_msgsize) {
		return -EINVAL;
	}
	*msgs = attr->mq_maxmsg;
	*msgsize = attr->mq_msgsize;
	return 0;
}

KP_EXPORT mqd_t mq_open(const char *name, int oflag, ...)
{
	struct mq_attr *attr = NULL;
	uint32_t msgs = 0, msgsize = 0;
	unsigned int flags;
	const char *kname;
	mode_t mode = 0;
	int fd;

	if (oflag & O_CREAT) {
		va_list ap;

		va_start(ap, oflag);
		mode = va_arg(ap, mode_t);
		attr = va_arg(ap, struct mq_attr *);
		va_end(ap);
	}
	kname = kp_mq_name(name);
	if (!kname)
		return -1;
	if (kp_open_flags(oflag, &flags))
		return kp_fail(EINVAL);
	if ((oflag & O_CREAT) && kp_mq_attr(attr, &msgs, &msgsize)) {
		/*
		 * Linux checks the attributes only when it creates: an
		 * existing queue opens whatever they say.
		 */
		fd = kipc_mq_open(kname, flags & ~(KIPC_OPEN_CREATE |
						   KIPC_OPEN_EXCL), 0, 0, 0);
		if (fd < 0)
			return kp_fail(fd == -ENOENT ? EINVAL : -fd);
		if (oflag & O_EXCL) {
			close(fd);
			return kp_fail(EEXIST);
		}
		return fd;
	}
	fd = kipc_mq_open(kname, flags, mode & 0666, msgs, msgsize);
	if (fd < 0)
		return kp_fail(-fd);
	return fd;
}

KP_EXPORT int mq_unlink(const char *name)
{
	const char *kname = kp_mq_name(name);
	int ret;

	if (!kname)
		return -1;
	ret = kipc_unlink(KIPC_OBJ_MQ, kname);
	if (ret < 0)
		return kp_fail(ret == -EPERM ? EACCES : -ret);
	return 0;
}

static int kp_mq_prio(unsigned int prio)
{
	/*
	 * POSIX: EINVAL from MQ_PRIO_MAX on. kipc has the 32 priorities
	 * POSIX requires (_POSIX_MQ_PRIO_MAX), so 32 and above are EINVAL.
	 */
	return prio > KIPC_MQ_PRIO_MAX ? -EINVAL : 0;
}

/* @abs may be NULL here; glibc declares mq_timedsend()'s nonnull. */
static int kp_mq_send(mqd_t mqd, const char *buf, size_t len,
		      unsigned int prio, const struct timespec *abs)
{
	int ret;

	if (abs && !kp_valid_ts(abs))
		return kp_fail(EINVAL);
	if (kp_mq_prio(prio))
		return kp_fail(EINVAL);
	ret = kipc_mq_timedsend(mqd, buf, len, prio, CLOCK_REALTIME, abs);
	if (ret < 0)
		return kp_fail(kp_fd_err(-ret));
	return 0;
}

KP_EXPORT int mq_timedsend(mqd_t mqd, const char *buf, size_t len,
			   unsigned int prio, const struct timespec *abs)
{
	return kp_mq_send(mqd, buf, len, prio, abs);
}

KP_EXPORT int mq_send(mqd_t mqd, const char *buf, size_t len,
		      unsigned int prio)
{
	return kp_mq_send(mqd, buf, len, prio, NULL);
}

static ssize_t kp_mq_receive(mqd_t mqd, char *buf, size_t len,
			     unsigned int *prio, const struct timespec *abs)
{
	struct kipc_mq_getattr ga;
	struct kipc_info info;
	ssize_t ret;

	if (abs && !kp_valid_ts(abs))
		return kp_fail(EINVAL);
	/*
	 * POSIX wants EMSGSIZE for any buffer shorter than mq_msgsize, where
	 * kipc only refuses one shorter than the message at the head.
	 */
	ret = kipc_mq_getattr(mqd, &ga);
	if (ret < 0)
		return kp_fail(kp_fd_err(-ret));
	if (len < ga.out_max_msgsize) {
		/* As Linux, a descriptor not open for reading comes first. */
		ret = kipc_info(mqd, &info);
		if (ret < 0)
			return kp_fail(kp_fd_err(-ret));
		if (!(info.out_open_flags & KIPC_OPEN_READ))
			return kp_fail(EBADF);
		return kp_fail(EMSGSIZE);
	}
	ret = kipc_mq_timedreceive(mqd, buf, len, prio, CLOCK_REALTIME, abs);
	if (ret < 0)
		return kp_fail(kp_fd_err(-ret));
	return ret;
}

KP_EXPORT ssize_t mq_timedreceive(mqd_t mqd, char *buf, size_t len,
				  unsigned int *prio,
				  const struct timespec *abs)
{
	return kp_mq_receive(mqd, buf, len, prio, abs);
}

KP_EXPORT ssize_t mq_receive(mqd_t mqd, char *buf, size_t len,
			     unsigned int *prio)
{
	return kp_mq_receive(mqd, buf, len, prio, NULL);
}

KP_EXPORT int mq_getattr(mqd_t mqd, struct mq_attr *attr)
{
	struct kipc_mq_getattr ga;
	int ret, fl;

	ret = kipc_mq_getattr(mqd, &ga);
	if (ret < 0)
		return kp_fail(kp_fd_err(-ret));
	fl = fcntl(mqd, F_GETFL);
	if (fl < 0)
		return -1;
	memset(attr, 0, sizeof(*attr));
	attr->mq_flags = fl & O_NONBLOCK;
	attr->mq_maxmsg = ga.out_max_msgs;
	attr->mq_msgsize = ga.out_max_msgsize;
	attr->mq_curmsgs = ga.out_depth;
	return 0;
}

KP_EXPORT int mq_setattr(mqd_t mqd, const struct mq_attr *attr,
			 struct mq_attr *old)
{
	struct mq_attr cur;
	int fl;

	/* Only O_NONBLOCK can change; Linux refuses any other bit. */
	if (attr->mq_flags & ~(long)O_NONBLOCK)
		return kp_fail(EINVAL);
	if (mq_getattr(mqd, &cur))
		return -1;
	fl = fcntl(mqd, F_GETFL);
	if (fl < 0)
		return -1;
	fl = (fl & ~O_NONBLOCK) | (attr->mq_flags & O_NONBLOCK);
	if (fcntl(mqd, F_SETFL, fl) < 0)
		return -1;
	if (old)
		*old = cur;
	return 0;
}

/*
 * mq_notify(): kipc has no notification in the kernel, so each registration
 * is a thread of this process watching the queue's fd with an edge-triggered
 * epoll. kipc wakes pollers with EPOLLIN on every arrival and EPOLLOUT on
 * every departure, so the thread sees each change and reads the depth; it
 * notifies on the first arrival that finds the queue empty, as POSIX says,
 * and ends the registration. A message handed straight to a blocked
 * receiver never enters the queue and notifies nobody, also as POSIX says.
 *
 * One registration per queue within the process (EBUSY); registrations of
 * other processes are not known to this one.
 */
struct kp_notify {
	struct kp_notify *next;
	int fd;			/* the queue's fd in this process */
	uint64_t id;		/* the queue's kipc id */
	int epfd;
	int cancel;		/* eventfd: the registration is withdrawn */
	bool was_empty;
	struct sigevent sev;
};

static pthread_mutex_t kp_notify_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kp_notify *kp_notify_list;

static void kp_notify_free(struct kp_notify *n)
{
	close(n->epfd);
	close(n->cancel);
	free(n);
}

/* Unlink @n from the list; the caller holds kp_notify_lock. */
static bool kp_notify_unlink_locked(struct kp_notify *n)
{
	struct kp_notify **p;

	for (p = &kp_notify_list; *p; p = &(*p)->next) {
		if (*p == n) {
			*p = n->next;
			return true;
		}
	}
	return false;
}

static void kp_notify_deliver(const struct sigevent *sev)
{
	siginfo_t si;

	switch (sev->sigev_notify) {
	case SIGEV_SIGNAL:
		memset(&si, 0, sizeof(si));
		si.si_signo = sev->sigev_signo;
		si.si_code = SI_MESGQ;
		si.si_pid = getpid();
		si.si_uid = getuid();
		si.si_value = sev->sigev_value;
		syscall(SYS_rt_sigqueueinfo, getpid(), sev->sigev_signo, &si);
		break;
	case SIGEV_THREAD:
		sev->sigev_notify_function(sev->sigev_value);
		break;
	default:	/* SIGEV_NONE: the registration just ends */
		break;
	}
}

static void *kp_notify_thread(void *arg)
{
	struct kp_notify *n = arg;
	struct kipc_mq_getattr ga;
	struct epoll_event ev;
	struct sigevent sev;
	bool fire = false;
	int ret;

	for (;;) {
		ret = epoll_wait(n->epfd, &ev, 1, -1);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0 || ev.data.fd == n->cancel)
			break;
		if (ev.events & (EPOLLERR | EPOLLHUP))
			break;
		if (kipc_mq_getattr(n->fd, &ga) < 0)
			break;
		if (!ga.out_depth)
			n->was_empty = true;
		else if (n->was_empty) {
			fire = true;
			break;
		}
	}
	/* Whoever takes it off the list owns it: a withdrawal may have. */
	pthread_mutex_lock(&kp_notify_lock);
	if (!kp_notify_unlink_locked(n)) {
		pthread_mutex_unlock(&kp_notify_lock);
		kp_notify_free(n);
		return NULL;
	}
	pthread_mutex_unlock(&kp_notify_lock);
	sev = n->sev;
	kp_notify_free(n);
	if (fire)
		kp_notify_deliver(&sev);
	return NULL;
}

/* Withdraw the registration on @fd, if any; the caller holds the lock. */
static void kp_notify_cancel_locked(int fd)
{
	struct kp_notify *n;
	uint64_t one = 1;

	for (n = kp_notify_list; n; n = n->next) {
		if (n->fd == fd) {
			kp_notify_unlink_locked(n);
			/* The thread sees it and frees @n. */
			if (write(n->cancel, &one, sizeof(one)) < 0)
				abort();
			return;
		}
	}
}

static void kp_atfork_child(void)
{
	/* The watcher threads did not come along. */
	pthread_mutex_init(&kp_notify_lock, NULL);
	kp_notify_list = NULL;
}

static pthread_once_t kp_notify_once = PTHREAD_ONCE_INIT;

static void kp_notify_init(void)
{
	pthread_atfork(NULL, NULL, kp_atfork_child);
}

KP_EXPORT int mq_notify(mqd_t mqd, const struct sigevent *sev)
{
	struct epoll_event ev = { 0 };
	struct kipc_mq_getattr ga;
	struct kipc_info info;
	struct kp_notify *n, *it;
	pthread_attr_t defattr, *attr = NULL;
	sigset_t all, old;
	pthread_t thr;
	int ret, err;

	pthread_once(&kp_notify_once, kp_notify_init);
	ret = kipc_info(mqd, &info);
	if (ret < 0)
		return kp_fail(kp_fd_err(-ret));
	if (info.out_type != KIPC_OBJ_MQ)
		return kp_fail(EBADF);
	if (!sev) {
		pthread_mutex_lock(&kp_notify_lock);
		kp_notify_cancel_locked(mqd);
		pthread_mutex_unlock(&kp_notify_lock);
		return 0;
	}
	switch (sev->sigev_notify) {
	case SIGEV_NONE:
		break;
	case SIGEV_SIGNAL:
		if (sev->sigev_signo <= 0 || sev->sigev_signo >= NSIG)
			return kp_fail(EINVAL);
		break;
	case SIGEV_THREAD:
		if (!sev->sigev_notify_function)
			return kp_fail(EINVAL);
		break;
	default:
		return kp_fail(EINVAL);
	}

	n = calloc(1, sizeof(*n));
	if (!n)
		return kp_fail(ENOMEM);
	n->fd = mqd;
	n->id = info.out_id;
	n->sev = *sev;
	n->epfd = epoll_create1(EPOLL_CLOEXEC);
	n->cancel = eventfd(0, EFD_CLOEXEC);
	if (n->epfd < 0 || n->cancel < 0) {
		err = errno;
		goto out_free;
	}
	ev.events = EPOLLIN;
	ev.data.fd = n->cancel;
	if (epoll_ctl(n->epfd, EPOLL_CTL_ADD, n->cancel, &ev) < 0) {
		err = errno;
		goto out_free;
	}
	/* Watch first, then look: an arrival in between is an event. */
	ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
	ev.data.fd = mqd;
	if (epoll_ctl(n->epfd, EPOLL_CTL_ADD, mqd, &ev) < 0) {
		err = errno;
		goto out_free;
	}
	ret = kipc_mq_getattr(mqd, &ga);
	if (ret < 0) {
		err = kp_fd_err(-ret);
		goto out_free;
	}
	n->was_empty = !ga.out_depth;

	pthread_mutex_lock(&kp_notify_lock);
	for (it = kp_notify_list; it; it = it->next) {
		if (it->id == n->id) {
			pthread_mutex_unlock(&kp_notify_lock);
			err = EBUSY;
			goto out_free;
		}
	}
	if (sev->sigev_notify == SIGEV_THREAD && sev->sigev_notify_attributes)
		attr = sev->sigev_notify_attributes;
	else {
		pthread_attr_init(&defattr);
		attr = &defattr;
	}
	/* The watcher takes no signal meant for the program's threads. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&thr, attr, kp_notify_thread, n);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (attr == &defattr)
		pthread_attr_destroy(&defattr);
	if (err) {
		pthread_mutex_unlock(&kp_notify_lock);
		goto out_free;
	}
	pthread_detach(thr);
	n->next = kp_notify_list;
	kp_notify_list = n;
	pthread_mutex_unlock(&kp_notify_lock);
	return 0;

out_free:
	if (n->epfd >= 0)
		close(n->epfd);
	if (n->cancel >= 0)
		close(n->cancel);
	free(n);
	return kp_fail(err);
}

KP_EXPORT int mq_close(mqd_t mqd)
{
	/* POSIX: closing removes this process's notification request. */
	pthread_mutex_lock(&kp_notify_lock);
	kp_notify_cancel_locked(mqd);
	pthread_mutex_unlock(&kp_notify_lock);
	return close(mqd);
}

/* --- named semaphores ---------------------------------------------------- */

/*
 * The sem_t of a named semaphore is a slot of this library's own table, so
 * sem_wait() and the others tell it from an unnamed sem_init() semaphore,
 * which they hand to the C library, by its address alone. The table grows
 * in chunks that are never freed, so a lookup needs no lock.
 */
#define KP_SEM_MAGIC		0x6b736d31	/* "ksm1" */
#define KP_SEM_CHUNK		256
#define KP_SEM_CHUNKS		64

struct kp_sem {
	union {
		sem_t pad;		/* the size and alignment callers expect */
		struct {
			uint32_t magic;
			int fd;
			unsigned int refs;
			unsigned int wait_flags;
			uint64_t id;
		};
	};
};

static struct kp_sem *kp_sem_chunks[KP_SEM_CHUNKS];
static unsigned int kp_sem_nchunks;
static pthread_mutex_t kp_sem_lock = PTHREAD_MUTEX_INITIALIZER;

/* The slot behind @sem, or NULL if it is not one of ours. */
static struct kp_sem *kp_sem(sem_t *sem)
{
	unsigned int i, n = __atomic_load_n(&kp_sem_nchunks, __ATOMIC_ACQUIRE);
	uintptr_t p = (uintptr_t)sem;

	for (i = 0; i < n; i++) {
		uintptr_t base = (uintptr_t)kp_sem_chunks[i];

		if (p >= base && p < base + KP_SEM_CHUNK * sizeof(struct kp_sem))
			return (struct kp_sem *)sem;
	}
	return NULL;
}

/* A free slot; the caller holds kp_sem_lock. NULL when the table is full. */
static struct kp_sem *kp_sem_alloc_locked(void)
{
	struct kp_sem *chunk;
	unsigned int i, j;

	for (i = 0; i < kp_sem_nchunks; i++)
		for (j = 0; j < KP_SEM_CHUNK; j++)
			if (!kp_sem_chunks[i][j].refs)
				return &kp_sem_chunks[i][j];
	if (kp_sem_nchunks == KP_SEM_CHUNKS)
		return NULL;
	chunk = calloc(KP_SEM_CHUNK, sizeof(*chunk));
	if (!chunk)
		return NULL;
	kp_sem_chunks[kp_sem_nchunks] = chunk;
	__atomic_store_n(&kp_sem_nchunks, kp_sem_nchunks + 1, __ATOMIC_RELEASE);
	return chunk;
}

static bool kp_env_undo(void)
{
	const char *v = getenv("KIPC_POSIX_SEM_UNDO");

	return v && !strcmp(v, "1");
}

KP_EXPORT sem_t *sem_open(const char *name, int oflag, ...)
{
	unsigned int flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CLOEXEC;
	union kipc_attr kattr = { 0 };
	struct kp_sem *s;
	unsigned int i, j;
	const char *kname;
	mode_t mode = 0;
	uint64_t id;
	int fd;

	if (oflag & O_CREAT) {
		va_list ap;
		unsigned int value;

		va_start(ap, oflag);
		mode = va_arg(ap, mode_t);
		value = va_arg(ap, unsigned int);
		va_end(ap);
		if (value > SEM_VALUE_MAX)
			return errno = EINVAL, SEM_FAILED;
		kattr.sem.value = value;
		flags |= KIPC_OPEN_CREATE;
		if (oflag & O_EXCL)
			flags |= KIPC_OPEN_EXCL;
	}
	kname = kp_shm_name(name);
	if (!kname)
		return SEM_FAILED;
	fd = kipc_open(KIPC_OBJ_SEM, kname, flags, mode & 0666,
		       (flags & KIPC_OPEN_CREATE) ? &kattr : NULL, &id);
	if (fd < 0)
		return errno = kp_errno(-fd), SEM_FAILED;

	pthread_mutex_lock(&kp_sem_lock);
	/* POSIX: the same semaphore opened again is the same address. */
	for (i = 0; i < kp_sem_nchunks; i++) {
		for (j = 0; j < KP_SEM_CHUNK; j++) {
			s = &kp_sem_chunks[i][j];
			if (s->refs && s->id == id) {
				s->refs++;
				pthread_mutex_unlock(&kp_sem_lock);
				close(fd);
				return &s->pad;
			}
		}
	}
	s = kp_sem_alloc_locked();
	if (!s) {
		pthread_mutex_unlock(&kp_sem_lock);
		close(fd);
		return errno = EMFILE, SEM_FAILED;
	}
	s->magic = KP_SEM_MAGIC;
	s->fd = fd;
	s->id = id;
	s->wait_flags = kp_env_undo() ? KIPC_SEM_UNDO : 0;
	s->refs = 1;
	pthread_mutex_unlock(&kp_sem_lock);
	return &s->pad;
}

KP_EXPORT int sem_close(sem_t *sem)
{
	struct kp_sem *s = kp_sem(sem);
	int fd = -1;

	if (!s)
		return kp_fail(EINVAL);
	pthread_mutex_lock(&kp_sem_lock);
	if (!s->refs) {
		pthread_mutex_unlock(&kp_sem_lock);
		return kp_fail(EINVAL);
	}
	if (!--s->refs) {
		fd = s->fd;
		s->magic = 0;
		s->fd = -1;
		s->id = 0;
	}
	pthread_mutex_unlock(&kp_sem_lock);
	if (fd >= 0)
		close(fd);
	return 0;
}

KP_EXPORT int sem_unlink(const char *name)
{
	const char *kname = kp_shm_name(name);
	int ret;

	if (!kname)
		return -1;
	ret = kipc_unlink(KIPC_OBJ_SEM, kname);
	if (ret < 0)
		return kp_fail(ret == -EPERM ? EACCES : -ret);
	return 0;
}

/* The C library's semaphore functions, for the semaphores that are not ours. */
static struct {
	int (*wait)(sem_t *sem);
	int (*trywait)(sem_t *sem);
	int (*timedwait)(sem_t *sem, const struct timespec *abs);
	int (*clockwait)(sem_t *sem, clockid_t clk, const struct timespec *abs);
	int (*post)(sem_t *sem);
	int (*getvalue)(sem_t *sem, int *sval);
} kp_libc;
static pthread_once_t kp_libc_once = PTHREAD_ONCE_INIT;

static void kp_libc_init(void)
{
	kp_libc.wait = (int (*)(sem_t *))dlsym(RTLD_NEXT, "sem_wait");
	kp_libc.trywait = (int (*)(sem_t *))dlsym(RTLD_NEXT, "sem_trywait");
	kp_libc.timedwait = (int (*)(sem_t *, const struct timespec *))
		dlsym(RTLD_NEXT, "sem_timedwait");
	kp_libc.clockwait = (int (*)(sem_t *, clockid_t,
				     const struct timespec *))
		dlsym(RTLD_NEXT, "sem_clockwait");
	kp_libc.post = (int (*)(sem_t *))dlsym(RTLD_NEXT, "sem_post");
	kp_libc.getvalue = (int (*)(sem_t *, int *))
		dlsym(RTLD_NEXT, "sem_getvalue");
}

/*
 * Look the C library's functions up when the library is loaded, not on
 * the first call: sem_post() must be async-signal-safe, and a handler
 * that interrupted the first dlsym() under pthread_once() would deadlock.
 * After this, pthread_once() below is a load of its done state.
 */
__attribute__((constructor)) static void kp_libc_load(void)
{
	pthread_once(&kp_libc_once, kp_libc_init);
}

/* Whether the C library has the function @fn (a field of kp_libc). */
#define kp_libc_has(fn) \
	(pthread_once(&kp_libc_once, kp_libc_init), kp_libc.fn != NULL)

/* The fd of our live semaphore @s, or -1 with errno EINVAL. */
static int kp_sem_fd(struct kp_sem *s)
{
	int fd = __atomic_load_n(&s->fd, __ATOMIC_RELAXED);

	if (s->magic != KP_SEM_MAGIC || fd < 0)
		return kp_fail(EINVAL);
	return fd;
}

static int kp_sem_ret(int ret)
{
	/* KIPC_SEM_RECOVERED is a success that POSIX has no word for. */
	if (ret >= 0)
		return 0;
	return kp_fail(ret == -ENOTTY ? EINVAL : -ret);
}

KP_EXPORT int sem_wait(sem_t *sem)
{
	struct kp_sem *s = kp_sem(sem);
	int fd;

	if (!s) {
		if (!kp_libc_has(wait))
			return kp_fail(EINVAL);
		return kp_libc.wait(sem);
	}
	fd = kp_sem_fd(s);
	if (fd < 0)
		return -1;
	return kp_sem_ret(kipc_sem_wait(fd, 1, s->wait_flags));
}

KP_EXPORT int sem_trywait(sem_t *sem)
{
	struct kp_sem *s = kp_sem(sem);
	int fd;

	if (!s) {
		if (!kp_libc_has(trywait))
			return kp_fail(EINVAL);
		return kp_libc.trywait(sem);
	}
	fd = kp_sem_fd(s);
	if (fd < 0)
		return -1;
	return kp_sem_ret(kipc_sem_trywait(fd, 1, s->wait_flags));
}

static int kp_sem_clockwait(struct kp_sem *s, clockid_t clk,
			    const struct timespec *abs)
{
	int fd = kp_sem_fd(s);

	if (fd < 0)
		return -1;
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return kp_fail(EINVAL);
	if (!abs || !kp_valid_ts(abs))
		return kp_fail(EINVAL);
	return kp_sem_ret(kipc_sem_timedwait(fd, 1, s->wait_flags, clk, abs));
}

KP_EXPORT int sem_timedwait(sem_t *sem, const struct timespec *abs)
{
	struct kp_sem *s = kp_sem(sem);

	if (!s) {
		if (!kp_libc_has(timedwait))
			return kp_fail(EINVAL);
		return kp_libc.timedwait(sem, abs);
	}
	return kp_sem_clockwait(s, CLOCK_REALTIME, abs);
}

KP_EXPORT int sem_clockwait(sem_t *sem, clockid_t clk,
			    const struct timespec *abs)
{
	struct kp_sem *s = kp_sem(sem);

	if (!s) {
		if (!kp_libc_has(clockwait))
			return kp_fail(EINVAL);
		return kp_libc.clockwait(sem, clk, abs);
	}
	return kp_sem_clockwait(s, clk, abs);
}

KP_EXPORT int sem_post(sem_t *sem)
{
	struct kp_sem *s = kp_sem(sem);
	int fd;

	if (!s) {
		if (!kp_libc_has(post))
			return kp_fail(EINVAL);
		return kp_libc.post(sem);
	}
	fd = kp_sem_fd(s);
	if (fd < 0)
		return -1;
	return kp_sem_ret(kipc_sem_post(fd, 1));
}

KP_EXPORT int sem_getvalue(sem_t *sem, int *sval)
{
	struct kp_sem *s = kp_sem(sem);
	int fd, ret;

	if (!s) {
		if (!kp_libc_has(getvalue))
			return kp_fail(EINVAL);
		return kp_libc.getvalue(sem, sval);
	}
	fd = kp_sem_fd(s);
	if (fd < 0)
		return -1;
	ret = kipc_sem_getvalue(fd);
	if (ret < 0)
		return kp_sem_ret(ret);
	*sval = ret;
	return 0;
}

/* --- shared memory --------------------------------------------------------- */

/*
 * O_TRUNC: the nearest kipc has to size 0 is one zeroed page. The region
 * is never grown (its owner or creator alone may, and a seal may forbid
 * it), only shrunk to @page if it is longer, and the bytes left are
 * cleared through a mapping taken first: a region that cannot be written
 * fails before anything changed. Returns 0 or -errno.
 */
static int kp_shm_trunc(int fd, size_t page)
{
	struct kipc_info info;
	size_t len;
	char *p;
	int ret;

	ret = kipc_info(fd, &info);
	if (ret < 0)
		return ret;
	len = info.out_attr.shm.size < page ? info.out_attr.shm.size : page;
	p = mmap(NULL, len, PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	if (info.out_attr.shm.size > page)
		ret = kipc_shm_resize(fd, page);
	if (!ret)
		memset(p, 0, len);
	munmap(p, len);
	return ret;
}

KP_EXPORT int shm_open(const char *name, int oflag, mode_t mode)
{
	unsigned int flags;
	union kipc_attr kattr = { 0 };
	const char *kname;
	int fd, ret;

	kname = kp_shm_name(name);
	if (!kname)
		return -1;
	if (kp_open_flags(oflag & ~O_NONBLOCK, &flags))
		return kp_fail(EINVAL);
	/*
	 * A kipc region is never empty: a new one starts at one page, and
	 * ftruncate() sets its size.
	 */
	kattr.shm.size = sysconf(_SC_PAGESIZE);
	fd = kipc_open(KIPC_OBJ_SHM, kname, flags, mode & 0666,
		       (flags & KIPC_OPEN_CREATE) ? &kattr : NULL, NULL);
	if (fd < 0)
		return kp_fail(-fd);
	if (oflag & O_TRUNC) {
		ret = kp_shm_trunc(fd, kattr.shm.size);
		if (ret < 0) {
			close(fd);
			return kp_fail(-ret);
		}
	}
	return fd;
}

KP_EXPORT int shm_unlink(const char *name)
{
	const char *kname = kp_shm_name(name);
	int ret;

	if (!kname)
		return -1;
	ret = kipc_unlink(KIPC_OBJ_SHM, kname);
	if (ret < 0)
		return kp_fail(ret == -EPERM ? EACCES : -ret);
	return 0;
}

/*
 * ftruncate() on a kipc region resizes it; on any other fd it is the
 * system call, as in the C library.
 */
static int kp_ftruncate(int fd, off_t len)
{
	struct kipc_info info;
	struct statfs sfs;
	int ret;

	if (fstatfs(fd, &sfs) == 0 && sfs.f_type == KP_KIPCFS_MAGIC) {
		if (len < 0)
			return kp_fail(EINVAL);
		ret = kipc_info(fd, &info);
		if (ret < 0)
			return kp_fail(-ret);
		if (info.out_type != KIPC_OBJ_SHM)
			return kp_fail(EINVAL);
		ret = kipc_shm_resize(fd, len);
		return ret < 0 ? kp_fail(-ret) : 0;
	}
	return syscall(SYS_ftruncate, fd, len);
}

KP_EXPORT int ftruncate(int fd, off_t len)
{
	return kp_ftruncate(fd, len);
}

KP_EXPORT int ftruncate64(int fd, off64_t len)
{
	return kp_ftruncate(fd, len);
}
