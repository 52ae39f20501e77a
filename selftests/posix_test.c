// SPDX-License-Identifier: GPL-2.0-only
/*
 * libkipc-posix: POSIX message queues, named semaphores and shm_open over
 * kipc. This binary is linked with -lkipc-posix before the C library, as a
 * POSIX program would be, and calls only the POSIX API (plus kipc_info() to
 * show that the objects are kipc's). Each errno POSIX documents for a call
 * is checked where kipc can produce it.
 */
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kipc.h"
#include "kipc_test_path.h"
/* As kipc_test.h: the harness does not build clean under -Wextra. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kselftest_harness.h"

#define NOBODY	65534

/* A name no other test or run uses: "/kp_<pid>_<tag>". */
static void kp_name(char *buf, size_t len, const char *tag)
{
	snprintf(buf, len, "/kp_%d_%s", getpid(), tag);
}

/* An absolute CLOCK_REALTIME deadline @ms from now. */
static struct timespec kp_deadline(clockid_t clk, long ms)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* Run @fn in a child with every uid and gid NOBODY; its exit status. */
static int kp_as_nobody(int (*fn)(const char *), const char *name)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(100);
		_exit(fn(name));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* --- message queues -------------------------------------------------------- */

FIXTURE(pmq) {
	char name[64];
	mqd_t q;
	struct mq_attr attr;
};

FIXTURE_SETUP(pmq)
{
	kp_name(self->name, sizeof(self->name), "mq");
	self->attr.mq_maxmsg = 4;
	self->attr.mq_msgsize = 64;
	self->q = mq_open(self->name, O_RDWR | O_CREAT | O_EXCL, 0600,
			  &self->attr);
	ASSERT_GE(self->q, 0) TH_LOG("mq_open: %s (is kipc.ko loaded?)",
				      strerror(errno));
}

FIXTURE_TEARDOWN(pmq)
{
	mq_close(self->q);
	mq_unlink(self->name);
}

TEST_F(pmq, is_a_kipc_queue)
{
	struct kipc_info info;

	ASSERT_EQ(0, kipc_info(self->q, &info));
	EXPECT_EQ(KIPC_OBJ_MQ, info.out_type);
	/* "/name" is kipc's "name". */
	EXPECT_STREQ(self->name + 1, info.out_name);
	EXPECT_EQ(0600, info.out_mode & 0777);
}

/* As Linux: attributes are checked only when the queue is created. */
TEST_F(pmq, bad_attr_opens_existing)
{
	struct mq_attr bad = { .mq_maxmsg = 0, .mq_msgsize = 0 }, a;
	mqd_t q = mq_open(self->name, O_RDWR | O_CREAT, 0600, &bad);

	ASSERT_GE(q, 0);
	ASSERT_EQ(0, mq_getattr(q, &a));
	EXPECT_EQ(4, a.mq_maxmsg);
	mq_close(q);
	EXPECT_EQ(-1, mq_open(self->name, O_RDWR | O_CREAT | O_EXCL, 0600,
			      &bad));
	EXPECT_EQ(EEXIST, errno);
}

TEST_F(pmq, getattr)
{
	struct mq_attr a;

	ASSERT_EQ(0, mq_send(self->q, "x", 1, 0));
	ASSERT_EQ(0, mq_getattr(self->q, &a));
	EXPECT_EQ(4, a.mq_maxmsg);
	EXPECT_EQ(64, a.mq_msgsize);
	EXPECT_EQ(1, a.mq_curmsgs);
	EXPECT_EQ(0, a.mq_flags);
}

TEST_F(pmq, priority_order)
{
	unsigned int prio;
	char buf[64];

	ASSERT_EQ(0, mq_send(self->q, "low", 3, 1));
	ASSERT_EQ(0, mq_send(self->q, "high", 4, 31));
	ASSERT_EQ(0, mq_send(self->q, "low2", 4, 1));
	ASSERT_EQ(4, mq_receive(self->q, buf, sizeof(buf), &prio));
	EXPECT_EQ(31, prio);
	EXPECT_EQ(0, memcmp(buf, "high", 4));
	ASSERT_EQ(3, mq_receive(self->q, buf, sizeof(buf), &prio));
	EXPECT_EQ(1, prio);
	EXPECT_EQ(0, memcmp(buf, "low", 3));
	ASSERT_EQ(4, mq_receive(self->q, buf, sizeof(buf), NULL));
	EXPECT_EQ(0, memcmp(buf, "low2", 4));
}

TEST_F(pmq, send_emsgsize)
{
	char big[65] = { 0 };

	EXPECT_EQ(-1, mq_send(self->q, big, sizeof(big), 0));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(0, mq_send(self->q, big, 64, 0));
}

/* POSIX: a buffer below mq_msgsize is EMSGSIZE, even for a short message. */
TEST_F(pmq, receive_buffer_below_msgsize)
{
	struct mq_attr a;
	char buf[64];

	ASSERT_EQ(0, mq_send(self->q, "hi", 2, 0));
	EXPECT_EQ(-1, mq_receive(self->q, buf, 63, NULL));
	EXPECT_EQ(EMSGSIZE, errno);
	/* The message was not lost. */
	ASSERT_EQ(0, mq_getattr(self->q, &a));
	EXPECT_EQ(1, a.mq_curmsgs);
	EXPECT_EQ(2, mq_receive(self->q, buf, 64, NULL));
}

TEST_F(pmq, prio_limits)
{
	EXPECT_EQ(0, mq_send(self->q, "a", 1, 31));
	/* kipc's 32 priorities are POSIX's minimum: 32 on is EINVAL. */
	EXPECT_EQ(-1, mq_send(self->q, "a", 1, 32));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mq_send(self->q, "a", 1, MQ_PRIO_MAX));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(pmq, send_readonly_ebadf)
{
	mqd_t r = mq_open(self->name, O_RDONLY);

	ASSERT_GE(r, 0);
	EXPECT_EQ(-1, mq_send(r, "a", 1, 0));
	EXPECT_EQ(EBADF, errno);
	mq_close(r);
}

TEST_F(pmq, receive_writeonly_ebadf)
{
	mqd_t w = mq_open(self->name, O_WRONLY);
	char buf[64];

	ASSERT_GE(w, 0);
	EXPECT_EQ(-1, mq_receive(w, buf, sizeof(buf), NULL));
	EXPECT_EQ(EBADF, errno);
	/* EBADF comes before EMSGSIZE, as in Linux. */
	EXPECT_EQ(-1, mq_receive(w, buf, 1, NULL));
	EXPECT_EQ(EBADF, errno);
	mq_close(w);
}

TEST_F(pmq, nonblock_empty_and_full)
{
	mqd_t nb = mq_open(self->name, O_RDWR | O_NONBLOCK);
	struct mq_attr a;
	char buf[64];
	int i;

	ASSERT_GE(nb, 0);
	ASSERT_EQ(0, mq_getattr(nb, &a));
	EXPECT_EQ(O_NONBLOCK, a.mq_flags);
	EXPECT_EQ(-1, mq_receive(nb, buf, sizeof(buf), NULL));
	EXPECT_EQ(EAGAIN, errno);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, mq_send(nb, "m", 1, 0));
	EXPECT_EQ(-1, mq_send(nb, "m", 1, 0));
	EXPECT_EQ(EAGAIN, errno);
	mq_close(nb);
}

TEST_F(pmq, timedreceive_etimedout)
{
	struct timespec ts = kp_deadline(CLOCK_REALTIME, 50);
	char buf[64];

	EXPECT_EQ(-1, mq_timedreceive(self->q, buf, sizeof(buf), NULL, &ts));
	EXPECT_EQ(ETIMEDOUT, errno);
}

TEST_F(pmq, timedsend_etimedout)
{
	struct timespec ts;
	int i;

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, mq_send(self->q, "m", 1, 0));
	ts = kp_deadline(CLOCK_REALTIME, 50);
	EXPECT_EQ(-1, mq_timedsend(self->q, "m", 1, 0, &ts));
	EXPECT_EQ(ETIMEDOUT, errno);
}

TEST_F(pmq, timed_bad_timespec_einval)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 1000000000L };
	char buf[64];

	EXPECT_EQ(-1, mq_timedreceive(self->q, buf, sizeof(buf), NULL, &ts));
	EXPECT_EQ(EINVAL, errno);
	ts.tv_nsec = -1;
	EXPECT_EQ(-1, mq_timedsend(self->q, "m", 1, 0, &ts));
	EXPECT_EQ(EINVAL, errno);
}

static void kp_noop(int sig)
{
	(void)sig;
}

TEST_F(pmq, receive_eintr)
{
	struct sigaction sa = { .sa_handler = kp_noop };	/* no SA_RESTART */
	char buf[64];

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarm(1);
	EXPECT_EQ(-1, mq_receive(self->q, buf, sizeof(buf), NULL));
	EXPECT_EQ(EINTR, errno);
	alarm(0);
	signal(SIGALRM, SIG_DFL);
}

TEST_F(pmq, setattr_nonblock)
{
	struct mq_attr nb = { .mq_flags = O_NONBLOCK }, old, a;
	char buf[64];

	ASSERT_EQ(0, mq_setattr(self->q, &nb, &old));
	EXPECT_EQ(0, old.mq_flags);
	EXPECT_EQ(4, old.mq_maxmsg);
	ASSERT_EQ(0, mq_getattr(self->q, &a));
	EXPECT_EQ(O_NONBLOCK, a.mq_flags);
	/* mq_maxmsg and mq_msgsize of the argument are ignored. */
	EXPECT_EQ(64, a.mq_msgsize);
	EXPECT_EQ(-1, mq_receive(self->q, buf, sizeof(buf), NULL));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(pmq, setattr_bad_flags_einval)
{
	struct mq_attr a = { .mq_flags = O_NONBLOCK | O_APPEND };

	EXPECT_EQ(-1, mq_setattr(self->q, &a, NULL));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(pmq, closed_or_foreign_fd_ebadf)
{
	struct mq_attr a;
	int p[2];

	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-1, mq_send(p[1], "a", 1, 0));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, mq_getattr(p[0], &a));
	EXPECT_EQ(EBADF, errno);
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(-1, mq_getattr(p[0], &a));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, mq_close(p[0]));
	EXPECT_EQ(EBADF, errno);
}

/* Queue names: mq_overview(7). */
TEST(mq_open_names)
{
	char name[NAME_MAX + 3];

	EXPECT_EQ(-1, mq_open("noslash", O_RDWR | O_CREAT, 0600, NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mq_open("/", O_RDWR | O_CREAT, 0600, NULL));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, mq_open("/a/b", O_RDWR | O_CREAT, 0600, NULL));
	EXPECT_EQ(EACCES, errno);
	memset(name, 'n', sizeof(name) - 1);
	name[0] = '/';
	name[sizeof(name) - 1] = 0;
	EXPECT_EQ(-1, mq_open(name, O_RDWR | O_CREAT, 0600, NULL));
	EXPECT_EQ(ENAMETOOLONG, errno);
}

TEST(mq_open_enoent_eexist)
{
	char name[64];
	mqd_t q;

	kp_name(name, sizeof(name), "ee");
	EXPECT_EQ(-1, mq_open(name, O_RDWR));
	EXPECT_EQ(ENOENT, errno);
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	ASSERT_GE(q, 0);
	EXPECT_EQ(-1, mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(0, mq_close(q));
	EXPECT_EQ(0, mq_unlink(name));
	EXPECT_EQ(-1, mq_unlink(name));
	EXPECT_EQ(ENOENT, errno);
}

TEST(mq_open_bad_attr_einval)
{
	struct mq_attr a = { .mq_maxmsg = 0, .mq_msgsize = 8 };
	char name[64];

	kp_name(name, sizeof(name), "ba");
	EXPECT_EQ(-1, mq_open(name, O_RDWR | O_CREAT, 0600, &a));
	EXPECT_EQ(EINVAL, errno);
	a.mq_maxmsg = 1;
	a.mq_msgsize = -1;
	EXPECT_EQ(-1, mq_open(name, O_RDWR | O_CREAT, 0600, &a));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mq_open(name, O_ACCMODE | O_CREAT, 0600, NULL));
	EXPECT_EQ(EINVAL, errno);
}

/* A value of /proc/sys/fs/mqueue, or @def. */
static long kp_sysctl(const char *name, long def)
{
	char path[64];
	long v = def;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/fs/mqueue/%s", name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = def;
		fclose(f);
	}
	return v;
}

/*
 * Without attributes, a queue gets Linux's defaults (the mqueue sysctls),
 * capped by the maximums.
 */
TEST(mq_open_default_attr)
{
	long msgs = kp_sysctl("msg_default", 10);
	long msgsize = kp_sysctl("msgsize_default", 8192);
	struct mq_attr a;
	char name[64];
	mqd_t q;

	if (msgs > kp_sysctl("msg_max", 65536))
		msgs = kp_sysctl("msg_max", 65536);
	if (msgsize > kp_sysctl("msgsize_max", 16 << 20))
		msgsize = kp_sysctl("msgsize_max", 16 << 20);
	kp_name(name, sizeof(name), "da");
	q = mq_open(name, O_RDWR | O_CREAT, 0600, NULL);
	ASSERT_GE(q, 0);
	ASSERT_EQ(0, mq_getattr(q, &a));
	EXPECT_EQ(msgs, a.mq_maxmsg);
	EXPECT_EQ(msgsize, a.mq_msgsize);
	mq_close(q);
	mq_unlink(name);
}

static int kp_open_big(const char *name)
{
	struct mq_attr a = { .mq_maxmsg = 1 };
	mqd_t q;

	a.mq_msgsize = kp_sysctl("msgsize_max", 8192) + 1;
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	return q < 0 ? errno : 0;
}

/* As Linux: past msgsize_max only with CAP_SYS_RESOURCE. */
TEST(mq_open_over_sysctl_max)
{
	char name[64];

	if (geteuid())
		SKIP(return, "needs root to become another user");
	kp_name(name, sizeof(name), "mx");
	EXPECT_EQ(EINVAL, kp_as_nobody(kp_open_big, name));
}

static int kp_open_rw(const char *name)
{
	mqd_t q = mq_open(name, O_RDWR);

	return q < 0 ? errno : 0;
}

static int kp_unlink_mq(const char *name)
{
	return mq_unlink(name) ? errno : 0;
}

TEST_F(pmq, open_unlink_eacces)
{
	if (geteuid())
		SKIP(return, "needs root to become another user");
	EXPECT_EQ(EACCES, kp_as_nobody(kp_open_rw, self->name));
	EXPECT_EQ(EACCES, kp_as_nobody(kp_unlink_mq, self->name));
}

/* --- mq_notify ------------------------------------------------------------- */

static volatile sig_atomic_t kp_sig_code, kp_sig_value, kp_sig_count;

static void kp_on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	kp_sig_code = si->si_code;
	kp_sig_value = si->si_value.sival_int;
	kp_sig_count++;
}

/* Wait up to 2 s for *@flag to become non-zero. */
static int kp_wait_flag(volatile sig_atomic_t *flag)
{
	int i;

	for (i = 0; i < 200 && !*flag; i++)
		usleep(10000);
	return *flag;
}

TEST_F(pmq, notify_signal)
{
	struct sigaction sa = { .sa_sigaction = kp_on_sig,
				.sa_flags = SA_SIGINFO };
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = SIGUSR1,
				.sigev_value.sival_int = 42 };

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	kp_sig_count = 0;
	ASSERT_EQ(0, mq_notify(self->q, &sev));
	ASSERT_EQ(0, mq_send(self->q, "n", 1, 0));
	ASSERT_TRUE(kp_wait_flag(&kp_sig_count));
	EXPECT_EQ(SI_MESGQ, kp_sig_code);
	EXPECT_EQ(42, kp_sig_value);
	/* The registration ended: another one is allowed. */
	EXPECT_EQ(0, mq_notify(self->q, &sev));
	EXPECT_EQ(0, mq_notify(self->q, NULL));
	signal(SIGUSR1, SIG_DFL);
}

static volatile sig_atomic_t kp_thread_value;

static void kp_on_thread(union sigval v)
{
	kp_thread_value = v.sival_int;
}

TEST_F(pmq, notify_thread)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD,
				.sigev_notify_function = kp_on_thread,
				.sigev_value.sival_int = 7 };

	kp_thread_value = 0;
	ASSERT_EQ(0, mq_notify(self->q, &sev));
	ASSERT_EQ(0, mq_send(self->q, "n", 1, 0));
	ASSERT_TRUE(kp_wait_flag(&kp_thread_value));
	EXPECT_EQ(7, kp_thread_value);
}

TEST_F(pmq, notify_none_then_ebusy)
{
	struct sigevent none = { .sigev_notify = SIGEV_NONE };
	mqd_t other = mq_open(self->name, O_RDWR);
	int i;

	ASSERT_GE(other, 0);
	ASSERT_EQ(0, mq_notify(self->q, &none));
	/* One registration per queue, through any descriptor. */
	EXPECT_EQ(-1, mq_notify(other, &none));
	EXPECT_EQ(EBUSY, errno);
	/* An arrival ends a SIGEV_NONE registration too. */
	ASSERT_EQ(0, mq_send(self->q, "n", 1, 0));
	for (i = 0; i < 200; i++) {
		if (!mq_notify(other, &none))
			break;
		ASSERT_EQ(EBUSY, errno);
		usleep(10000);
	}
	EXPECT_LT(i, 200);
	mq_close(other);
}

TEST_F(pmq, notify_unregister_and_close)
{
	struct sigevent none = { .sigev_notify = SIGEV_NONE };
	mqd_t other = mq_open(self->name, O_RDWR);

	ASSERT_GE(other, 0);
	ASSERT_EQ(0, mq_notify(self->q, &none));
	ASSERT_EQ(0, mq_notify(self->q, NULL));
	ASSERT_EQ(0, mq_notify(other, &none));
	/* mq_close() removes the registration made through that fd. */
	ASSERT_EQ(0, mq_close(other));
	EXPECT_EQ(0, mq_notify(self->q, &none));
}

TEST_F(pmq, notify_only_on_empty_queue)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD,
				.sigev_notify_function = kp_on_thread,
				.sigev_value.sival_int = 9 };
	char buf[64];

	ASSERT_EQ(0, mq_send(self->q, "a", 1, 0));
	kp_thread_value = 0;
	ASSERT_EQ(0, mq_notify(self->q, &sev));
	/* Not empty: an arrival does not notify... */
	ASSERT_EQ(0, mq_send(self->q, "b", 1, 0));
	usleep(100000);
	EXPECT_EQ(0, kp_thread_value);
	/* ...until the queue has been empty. */
	ASSERT_EQ(1, mq_receive(self->q, buf, sizeof(buf), NULL));
	ASSERT_EQ(1, mq_receive(self->q, buf, sizeof(buf), NULL));
	usleep(50000);
	ASSERT_EQ(0, mq_send(self->q, "c", 1, 0));
	ASSERT_TRUE(kp_wait_flag(&kp_thread_value));
	EXPECT_EQ(9, kp_thread_value);
}

TEST_F(pmq, notify_einval_ebadf)
{
	struct sigevent bad = { .sigev_notify = 12345 };
	struct sigevent sig = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = 0 };
	struct sigevent none = { .sigev_notify = SIGEV_NONE };

	EXPECT_EQ(-1, mq_notify(self->q, &bad));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mq_notify(self->q, &sig));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mq_notify(-1, &none));
	EXPECT_EQ(EBADF, errno);
}

/* --- named semaphores ------------------------------------------------------ */

FIXTURE(psem) {
	char name[64];
	sem_t *s;
};

FIXTURE_SETUP(psem)
{
	kp_name(self->name, sizeof(self->name), "sem");
	self->s = sem_open(self->name, O_CREAT | O_EXCL, 0600, 1);
	ASSERT_NE(SEM_FAILED, self->s) TH_LOG("sem_open: %s", strerror(errno));
}

FIXTURE_TEARDOWN(psem)
{
	sem_close(self->s);
	sem_unlink(self->name);
}

TEST_F(psem, value_wait_post)
{
	int v;

	ASSERT_EQ(0, sem_getvalue(self->s, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, sem_wait(self->s));
	ASSERT_EQ(0, sem_getvalue(self->s, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, sem_post(self->s));
	ASSERT_EQ(0, sem_post(self->s));
	ASSERT_EQ(0, sem_getvalue(self->s, &v));
	EXPECT_EQ(2, v);
}

TEST_F(psem, same_address_and_refcount)
{
	sem_t *again = sem_open(self->name, 0);
	int v;

	ASSERT_NE(SEM_FAILED, again);
	EXPECT_EQ(self->s, again);
	/* One sem_close() per sem_open(): the first leaves it open. */
	ASSERT_EQ(0, sem_close(again));
	EXPECT_EQ(0, sem_getvalue(self->s, &v));
}

TEST_F(psem, trywait_eagain)
{
	ASSERT_EQ(0, sem_trywait(self->s));
	EXPECT_EQ(-1, sem_trywait(self->s));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(psem, timedwait_etimedout_einval)
{
	struct timespec ts = { .tv_nsec = -5 };

	ASSERT_EQ(0, sem_wait(self->s));
	EXPECT_EQ(-1, sem_timedwait(self->s, &ts));
	EXPECT_EQ(EINVAL, errno);
	ts = kp_deadline(CLOCK_REALTIME, 50);
	EXPECT_EQ(-1, sem_timedwait(self->s, &ts));
	EXPECT_EQ(ETIMEDOUT, errno);
}

TEST_F(psem, clockwait)
{
	struct timespec ts = kp_deadline(CLOCK_MONOTONIC, 50);

	EXPECT_EQ(0, sem_clockwait(self->s, CLOCK_MONOTONIC, &ts));
	EXPECT_EQ(-1, sem_clockwait(self->s, CLOCK_MONOTONIC, &ts));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(-1, sem_clockwait(self->s, CLOCK_PROCESS_CPUTIME_ID, &ts));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(psem, wait_eintr)
{
	struct sigaction sa = { .sa_handler = kp_noop };

	ASSERT_EQ(0, sem_wait(self->s));
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarm(1);
	EXPECT_EQ(-1, sem_wait(self->s));
	EXPECT_EQ(EINTR, errno);
	alarm(0);
	signal(SIGALRM, SIG_DFL);
}

TEST(sem_post_eoverflow)
{
	char name[64];
	sem_t *s;

	kp_name(name, sizeof(name), "ov");
	s = sem_open(name, O_CREAT | O_EXCL, 0600, SEM_VALUE_MAX);
	ASSERT_NE(SEM_FAILED, s);
	EXPECT_EQ(-1, sem_post(s));
	EXPECT_EQ(EOVERFLOW, errno);
	sem_close(s);
	sem_unlink(name);
}

TEST(sem_open_errors)
{
	char name[64];
	sem_t *s;

	kp_name(name, sizeof(name), "oe");
	EXPECT_EQ(SEM_FAILED, sem_open(name, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(SEM_FAILED, sem_open(name, O_CREAT, 0600,
				       (unsigned int)SEM_VALUE_MAX + 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(SEM_FAILED, sem_open("/", O_CREAT, 0600, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(SEM_FAILED, sem_open("/a/b", O_CREAT, 0600, 0));
	EXPECT_EQ(EINVAL, errno);
	s = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	ASSERT_NE(SEM_FAILED, s);
	EXPECT_EQ(SEM_FAILED, sem_open(name, O_CREAT | O_EXCL, 0600, 0));
	EXPECT_EQ(EEXIST, errno);
	sem_close(s);
	EXPECT_EQ(0, sem_unlink(name));
	EXPECT_EQ(-1, sem_unlink(name));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(psem, unlinked_stays_usable)
{
	int v;

	ASSERT_EQ(0, sem_unlink(self->name));
	EXPECT_EQ(SEM_FAILED, sem_open(self->name, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, sem_post(self->s));
	EXPECT_EQ(0, sem_getvalue(self->s, &v));
	EXPECT_EQ(2, v);
}

TEST(sem_close_not_named_einval)
{
	sem_t un;

	ASSERT_EQ(0, sem_init(&un, 0, 0));
	EXPECT_EQ(-1, sem_close(&un));
	EXPECT_EQ(EINVAL, errno);
	sem_destroy(&un);
}

/* sem_init() semaphores stay with the C library, through the same calls. */
TEST(sem_unnamed_is_libc)
{
	sem_t un;
	int v;

	ASSERT_EQ(0, sem_init(&un, 0, 2));
	EXPECT_EQ(0, sem_wait(&un));
	EXPECT_EQ(0, sem_trywait(&un));
	EXPECT_EQ(-1, sem_trywait(&un));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, sem_post(&un));
	EXPECT_EQ(0, sem_getvalue(&un, &v));
	EXPECT_EQ(1, v);
	EXPECT_EQ(0, sem_destroy(&un));
}

TEST_F(psem, across_fork)
{
	pid_t pid;
	int st;

	ASSERT_EQ(0, sem_wait(self->s));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		sem_t *c = sem_open(self->name, 0);

		_exit(c == SEM_FAILED || sem_wait(c) ? 1 : 0);
	}
	usleep(50000);
	ASSERT_EQ(0, sem_post(self->s));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* KIPC_POSIX_SEM_UNDO=1: a holder that dies gives its units back. */
TEST_F(psem, undo_env)
{
	pid_t pid;
	int st, v;

	for (int undo = 0; undo < 2; undo++) {
		pid = fork();
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			sem_t *c;

			if (undo)
				setenv("KIPC_POSIX_SEM_UNDO", "1", 1);
			else
				unsetenv("KIPC_POSIX_SEM_UNDO");
			/*
			 * The parent's sem_t came along and shares its
			 * open file description (and so its undo): close
			 * it, so that sem_open() opens one of our own.
			 */
			if (sem_close(self->s))
				_exit(2);
			c = sem_open(self->name, 0);
			_exit(c == SEM_FAILED || sem_wait(c) ? 1 : 0);
		}
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
		ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		ASSERT_EQ(0, sem_getvalue(self->s, &v));
		if (undo) {
			EXPECT_EQ(1, v);
		} else {
			EXPECT_EQ(0, v);
			ASSERT_EQ(0, sem_post(self->s));
		}
	}
}

static int kp_sem_open_rw(const char *name)
{
	return sem_open(name, 0) == SEM_FAILED ? errno : 0;
}

static int kp_unlink_sem(const char *name)
{
	return sem_unlink(name) ? errno : 0;
}

TEST_F(psem, open_unlink_eacces)
{
	if (geteuid())
		SKIP(return, "needs root to become another user");
	EXPECT_EQ(EACCES, kp_as_nobody(kp_sem_open_rw, self->name));
	EXPECT_EQ(EACCES, kp_as_nobody(kp_unlink_sem, self->name));
}

/* --- shared memory --------------------------------------------------------- */

TEST(shm_ftruncate_mmap)
{
	struct kipc_shm_stat st;
	char name[64];
	char *a, *b;
	int fd, fd2;

	kp_name(name, sizeof(name), "shm");
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, ftruncate(fd, 3 * 4096));
	ASSERT_EQ(0, kipc_shm_stat(fd, &st));
	EXPECT_EQ(3 * 4096, st.out_size);
	a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	strcpy(a + 2 * 4096, "shared");
	fd2 = shm_open(name, O_RDONLY, 0);
	ASSERT_GE(fd2, 0);
	b = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, fd2, 0);
	ASSERT_NE(MAP_FAILED, b);
	EXPECT_STREQ("shared", b + 2 * 4096);
	/* Read-only: no writable mapping, no ftruncate. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_WRITE, MAP_SHARED, fd2, 0));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, ftruncate(fd2, 4096));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, ftruncate(fd, -1));
	EXPECT_EQ(EINVAL, errno);
	munmap(a, 3 * 4096);
	munmap(b, 3 * 4096);
	close(fd2);
	close(fd);
	EXPECT_EQ(0, shm_unlink(name));
}

TEST(shm_open_errors)
{
	char name[64];
	int fd;

	kp_name(name, sizeof(name), "se");
	EXPECT_EQ(-1, shm_open(name, O_RDWR, 0));
	EXPECT_EQ(ENOENT, errno);
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(-1, shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, shm_open("/x/y", O_RDWR | O_CREAT, 0600));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, shm_open("/", O_RDWR | O_CREAT, 0600));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	EXPECT_EQ(0, shm_unlink(name));
	EXPECT_EQ(-1, shm_unlink(name));
	EXPECT_EQ(ENOENT, errno);
}

/*
 * Without kipc (no /dev/kipc: a child whose mount namespace has an empty
 * /dev), the open and unlink functions fail with POSIX's ENOSYS, "not
 * supported", never with libkipc's ENODEV, which no POSIX caller expects.
 */
static int kp_no_device(void)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("none", "/dev", "tmpfs", 0, NULL))
		return 100;
	if (mq_open("/kp-nodev", O_RDWR | O_CREAT, 0600, &attr) != -1 ||
	    errno != ENOSYS)
		return 1;
	if (mq_unlink("/kp-nodev") != -1 || errno != ENOSYS)
		return 2;
	if (sem_open("/kp-nodev", O_CREAT, 0600, 1) != SEM_FAILED ||
	    errno != ENOSYS)
		return 3;
	if (sem_unlink("/kp-nodev") != -1 || errno != ENOSYS)
		return 4;
	if (shm_open("/kp-nodev", O_RDWR | O_CREAT, 0600) != -1 ||
	    errno != ENOSYS)
		return 5;
	if (shm_unlink("/kp-nodev") != -1 || errno != ENOSYS)
		return 6;
	return 0;
}

TEST(no_device_is_enosys)
{
	pid_t pid = fork();
	int st;

	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(kp_no_device());
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	ASSERT_NE(100, WEXITSTATUS(st))
		TH_LOG("cannot hide /dev in a mount namespace");
	EXPECT_EQ(0, WEXITSTATUS(st))
		TH_LOG("call %d did not fail with ENOSYS", WEXITSTATUS(st));
}

TEST(shm_o_trunc_zeroes)
{
	char name[64];
	char *a;
	int fd;

	kp_name(name, sizeof(name), "tr");
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	ASSERT_GE(fd, 0);
	a = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	memset(a, 'x', 4096);
	munmap(a, 4096);
	close(fd);
	fd = shm_open(name, O_RDWR | O_TRUNC, 0);
	ASSERT_GE(fd, 0);
	a = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	EXPECT_EQ(0, a[0]);
	EXPECT_EQ(0, a[1]);
	EXPECT_EQ(0, a[4095]);
	munmap(a, 4096);
	close(fd);
	shm_unlink(name);
}

static int kp_trunc_as_writer(const char *name)
{
	int fd = shm_open(name, O_RDWR | O_TRUNC, 0);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/*
 * O_TRUNC never grows a region: a writer who is not its owner (who may not
 * grow it) truncates a 3-page region to one zeroed page; a region sealed
 * against shrinking fails with EPERM and keeps its size and bytes.
 */
TEST(shm_o_trunc_never_grows)
{
	struct kipc_shm_stat st;
	char name[64];
	char *a;
	int fd;

	mode_t um = umask(0);

	kp_name(name, sizeof(name), "tg");
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0666);
	umask(um);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, ftruncate(fd, 3 * 4096));
	a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	memset(a, 'x', 3 * 4096);
	munmap(a, 3 * 4096);
	EXPECT_EQ(0, kp_as_nobody(kp_trunc_as_writer, name));
	ASSERT_EQ(0, kipc_shm_stat(fd, &st));
	EXPECT_EQ(4096, st.out_size);
	a = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	EXPECT_EQ(0, a[0]);
	EXPECT_EQ(0, a[4095]);
	munmap(a, 4096);

	/* Sealed against shrinking: EPERM, nothing changed. */
	ASSERT_EQ(0, ftruncate(fd, 3 * 4096));
	a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	memset(a, 'y', 3 * 4096);
	ASSERT_EQ(0, kipc_shm_seal(fd, KIPC_SEAL_SHRINK));
	EXPECT_EQ(-1, shm_open(name, O_RDWR | O_TRUNC, 0));
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(0, kipc_shm_stat(fd, &st));
	EXPECT_EQ(3 * 4096, st.out_size);
	EXPECT_EQ('y', a[0]);
	EXPECT_EQ('y', a[3 * 4096 - 1]);
	munmap(a, 3 * 4096);
	close(fd);
	EXPECT_EQ(0, shm_unlink(name));
}

/* ftruncate() of any other file is still the system call. */
TEST(ftruncate_regular_file)
{
	char path[] = "/tmp/kp_posix_XXXXXX";
	struct stat st;
	int fd = mkstemp(path);

	ASSERT_GE(fd, 0);
	unlink(path);
	ASSERT_EQ(0, ftruncate(fd, 12345));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(12345, st.st_size);
	EXPECT_EQ(-1, ftruncate(-1, 0));
	EXPECT_EQ(EBADF, errno);
	close(fd);
}

/* --- kipc list ---------------------------------------------------------- */


TEST(kipc_list_shows_posix_objects)
{
	char tool[PATH_MAX], cmd[PATH_MAX + 32], line[512];
	char qn[64], sn[64], mn[64];
	int found = 0, fd;
	sem_t *s;
	mqd_t q;
	FILE *p;

	if (kipc_test_sibling(tool, sizeof(tool), "kipc"))
		SKIP(return, "no kipc tool next to this binary");
	kp_name(qn, sizeof(qn), "lq");
	kp_name(sn, sizeof(sn), "ls");
	kp_name(mn, sizeof(mn), "lm");
	q = mq_open(qn, O_RDWR | O_CREAT, 0600, NULL);
	ASSERT_GE(q, 0);
	s = sem_open(sn, O_CREAT, 0600, 3);
	ASSERT_NE(SEM_FAILED, s);
	fd = shm_open(mn, O_RDWR | O_CREAT, 0600);
	ASSERT_GE(fd, 0);
	snprintf(cmd, sizeof(cmd), "%s list 2>&1", tool);
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	while (fgets(line, sizeof(line), p)) {
		if (strstr(line, qn + 1) && strstr(line, "mq"))
			found |= 1;
		if (strstr(line, sn + 1) && strstr(line, "sem"))
			found |= 2;
		if (strstr(line, mn + 1) && strstr(line, "shm"))
			found |= 4;
	}
	pclose(p);
	EXPECT_EQ(7, found);
	mq_close(q);
	mq_unlink(qn);
	sem_close(s);
	sem_unlink(sn);
	close(fd);
	shm_unlink(mn);
}

/* An administrator's removal reaches a POSIX program: EIDRM. */
TEST(kipc_destroy_gives_eidrm)
{
	char tool[PATH_MAX], cmd[2 * PATH_MAX + 160], qn[64], sn[64];
	sem_t *s;
	mqd_t q;

	if (kipc_test_sibling(tool, sizeof(tool), "kipc"))
		SKIP(return, "no kipc tool next to this binary");
	if (geteuid())
		SKIP(return, "destroying needs the owner or CAP_SYS_ADMIN");
	kp_name(qn, sizeof(qn), "dq");
	kp_name(sn, sizeof(sn), "ds");
	q = mq_open(qn, O_RDWR | O_CREAT, 0600, NULL);
	ASSERT_GE(q, 0);
	s = sem_open(sn, O_CREAT, 0600, 1);
	ASSERT_NE(SEM_FAILED, s);
	snprintf(cmd, sizeof(cmd), "%s mq destroy %s && %s sem destroy %s",
		 tool, qn + 1, tool, sn + 1);
	ASSERT_EQ(0, system(cmd));
	EXPECT_EQ(-1, mq_send(q, "x", 1, 0));
	EXPECT_EQ(EIDRM, errno);
	EXPECT_EQ(-1, sem_post(s));
	EXPECT_EQ(EIDRM, errno);
	/* Destroying removed the names too. */
	EXPECT_EQ(-1, mq_unlink(qn));
	EXPECT_EQ(ENOENT, errno);
	mq_close(q);
	sem_close(s);
}

TEST_HARNESS_MAIN
