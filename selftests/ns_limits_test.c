// SPDX-License-Identifier: GPL-2.0-only
/*
 * Limits across IPC namespaces. Namespaces form an accounting tree: a new
 * one hangs below the IPC namespace of its creator's nearest ancestor
 * process in another one, and an object is charged to its own namespace
 * and to every one above, each level checking its own limits against the
 * whole subtree. A user who unshares a user and an IPC namespace, however
 * often and however deep, stays within the limits of the namespaces above
 * (EMFILE for a uid, ENOSPC for a namespace); only CAP_SYS_RESOURCE in the
 * initial user namespace passes them. Above a user namespace the uid
 * charged is its owner, as ucounts charges.
 *
 * Limits are set over netlink by root in the test's namespace (the initial
 * one in the guest) for KIPC_NOBODY only, and reset by the parent whatever
 * the test did. A limit hit must leave every count as it was.
 */
#include <sched.h>

#include "kipc_test.h"
#include "kipc-admin.h"

#define KIPC_NOBODY	65534

FIXTURE(nsl) {
	long psz;
	char name[KIPC_NAME_MAX + 1];
};

/* Drop nobody's override in the caller's namespace. */
static int reset_nobody(void)
{
	struct kipc_admin_limits l = { .uid = KIPC_NOBODY };
	struct kipc_admin *ka;
	int ret;

	ret = kipc_admin_open(&ka);
	if (ret)
		return ret;
	ret = kipc_admin_limits_set(ka, KIPC_ADMIN_LIMIT_UID |
				    KIPC_ADMIN_LIMIT_RESET, &l);
	kipc_admin_close(ka);
	return ret;
}

/* Set nobody's object (@objects >= 0) or byte (@bytes) limit here. */
static int limit_nobody(int objects, __u64 bytes)
{
	struct kipc_admin_limits l = { .uid = KIPC_NOBODY };
	struct kipc_admin *ka;
	unsigned int what = KIPC_ADMIN_LIMIT_UID;
	int ret;

	if (objects >= 0) {
		l.objects = objects;
		what |= KIPC_ADMIN_LIMIT_OBJECTS;
	}
	if (bytes) {
		l.bytes = bytes;
		what |= KIPC_ADMIN_LIMIT_BYTES;
	}
	ret = kipc_admin_open(&ka);
	if (ret)
		return ret;
	ret = kipc_admin_limits_set(ka, what, &l);
	kipc_admin_close(ka);
	return ret;
}

/* The caller's namespace's statistics (objects of that namespace alone). */
static int ns_stats(struct kipc_admin_stats *st)
{
	struct kipc_admin *ka;
	int ret;

	ret = kipc_admin_open(&ka);
	if (ret)
		return ret;
	ret = kipc_admin_stats(ka, st, sizeof(*st));
	kipc_admin_close(ka);
	return ret;
}

/* What is charged here to nobody, from this namespace and all below. */
static int nobody_used(struct kipc_admin_limits *l)
{
	struct kipc_admin *ka;
	int ret;

	ret = kipc_admin_open(&ka);
	if (ret)
		return ret;
	ret = kipc_admin_limits_get_uid(ka, KIPC_NOBODY, l, sizeof(*l));
	kipc_admin_close(ka);
	return ret;
}

/*
 * Unshare a user and an IPC namespace as an unprivileged user does, and
 * map the caller's ids to themselves, so that it can nest another.
 */
static int enter_user_ipc_ns(void)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();

	/*
	 * Having changed uid, the process is not dumpable, so its /proc files
	 * belong to root and it could not write its own maps.
	 */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		return -errno;
	if (unshare(CLONE_NEWUSER | CLONE_NEWIPC))
		return -errno;
	return kipc_userns_map(uid, uid, gid, gid);
}
#define test_enter_user_ipc_ns() ASSERT_EQ(0, enter_user_ipc_ns())

/* May nobody make a user namespace here (0), or why not (-errno)? */
static int userns_allowed(void)
{
	int st = 0;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (kipc_become(KIPC_NOBODY, KIPC_NOBODY, KIPC_NO_GROUP))
			_exit(1);
		_exit(-enter_user_ipc_ns() % 256);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -errno;
	return WIFEXITED(st) ? -WEXITSTATUS(st) : -EINTR;
}

#define skip_without_userns()						\
	do {								\
		int __r = userns_allowed();				\
		if (__r)						\
			SKIP(return, "unprivileged user namespaces are off (%d)", \
			     __r);					\
	} while (0)

FIXTURE_SETUP(nsl)
{
	struct kipc_admin_stats st;

	self->psz = sysconf(_SC_PAGESIZE);
	test_name(self->name, "nsl");
	/*
	 * Earlier tests' dead namespaces hold objects until the reaper runs;
	 * asking for the statistics runs it, so that nobody starts at zero.
	 */
	ASSERT_EQ(0, ns_stats(&st));
}

FIXTURE_TEARDOWN_PARENT(nsl)
{
	EXPECT_EQ(0, reset_nobody());
}

#define nth(_buf, _i) \
	snprintf(_buf, sizeof(_buf), "%s.%d", self->name, _i)

static int create_sem(const char *name)
{
	union kipc_attr a = kipc_attr_of(KIPC_OBJ_SEM);

	return kipc_open(KIPC_OBJ_SEM, name, KIPC_NEW, 0600, &a, NULL);
}

static int create_shm(const char *name, __u64 size)
{
	union kipc_attr a = { .shm = { .size = size } };

	return kipc_open(KIPC_OBJ_SHM, name, KIPC_NEW, 0600, &a, NULL);
}

/* Create @name, keep its fd, drop its name: it stays charged while open. */
#define test_hold_sem(_name)						\
	({								\
		int __fd = create_sem(_name);				\
		ASSERT_LE(0, __fd) TH_LOG("create %s: %s", _name,	\
					   strerror(-__fd));		\
		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, _name));		\
		__fd;							\
	})

/* Create fails with @err, and this namespace's counts do not move. */
#define test_refused_sem(_err, _name)					\
	do {								\
		struct kipc_admin_stats __a, __b;			\
		ASSERT_EQ(0, ns_stats(&__a));				\
		ASSERT_EQ(-(_err), create_sem(_name));			\
		ASSERT_EQ(0, ns_stats(&__b));				\
		ASSERT_EQ(__a.ns_objects, __b.ns_objects);		\
		ASSERT_EQ(__a.sems, __b.sems);				\
		ASSERT_EQ(__a.objects, __b.objects);			\
	} while (0)

/*
 * The measured escape: nobody at an object limit of 3, holding 3, unshares
 * a user and an IPC namespace and is still at its limit there.
 */
TEST_F(nsl, new_userns_stays_within_uid_limit)
{
	struct kipc_admin_limits l;
	pid_t pid;

	skip_without_userns();
	ASSERT_EQ(0, limit_nobody(3, 0));
	pid = test_fork_as(KIPC_NOBODY, KIPC_NOBODY, KIPC_NO_GROUP);
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		int i;

		for (i = 0; i < 3; i++) {
			nth(n, i);
			test_hold_sem(n);
		}
		nth(n, 3);
		test_refused_sem(EMFILE, n);

		test_enter_user_ipc_ns();
		test_refused_sem(EMFILE, n);
		/* Nor any other type, nor a region's bytes. */
		ASSERT_EQ(-EMFILE, create_shm(n, self->psz));
		/* This namespace still reports its own limits, and nothing used. */
		ASSERT_EQ(0, nobody_used(&l));
		ASSERT_EQ(0U, l.objects_used);
		ASSERT_EQ(test_param("uid_max_objects"), l.objects);
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_EQ(0, nobody_used(&l));
	ASSERT_EQ(0U, l.objects_used);
}

/* Three levels of user + IPC namespaces deep, the outer limit binds. */
TEST_F(nsl, nested_three_levels)
{
	struct kipc_admin_limits l;
	pid_t pid;

	skip_without_userns();
	ASSERT_EQ(0, limit_nobody(3, 0));
	pid = test_fork_as(KIPC_NOBODY, KIPC_NOBODY, KIPC_NO_GROUP);
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		pid_t p1;

		nth(n, 0);
		test_hold_sem(n);
		test_enter_user_ipc_ns();
		test_hold_sem(n);
		p1 = fork();
		ASSERT_LE(0, p1);
		if (p1 == 0) {
			pid_t p2;

			test_enter_user_ipc_ns();
			test_hold_sem(n);
			p2 = fork();
			ASSERT_LE(0, p2);
			if (p2 == 0) {
				test_enter_user_ipc_ns();
				test_refused_sem(EMFILE, n);
				_exit(0);
			}
			test_wait_child(p2);
			/* Each level counts what is below it. */
			ASSERT_EQ(0, nobody_used(&l));
			ASSERT_EQ(1U, l.objects_used);
			_exit(0);
		}
		test_wait_child(p1);
		_exit(0);
	}
	test_wait_child(pid);
}

/*
 * A container: an IPC namespace whose limit root set. A process in it that
 * nests a user + IPC namespace (and so has every capability there) cannot
 * pass the container's limit.
 */
TEST_F(nsl, container_limit_binds_nested)
{
	pid_t pid;

	skip_without_userns();
	pid = test_fork_newipc();
	if (pid == 0) {
		struct kipc_admin_limits l = { .objects = 3 };
		char n[KIPC_NAME_MAX + 16];
		struct kipc_admin *ka;
		pid_t p;

		ASSERT_EQ(0, kipc_admin_open(&ka));
		ASSERT_EQ(0, kipc_admin_limits_set(ka,
					KIPC_ADMIN_LIMIT_OBJECTS, &l));
		kipc_admin_close(ka);
		test_become(KIPC_NOBODY, KIPC_NOBODY, KIPC_NO_GROUP);
		nth(n, 0);
		test_hold_sem(n);
		nth(n, 1);
		test_hold_sem(n);
		p = fork();
		ASSERT_LE(0, p);
		if (p == 0) {
			struct kipc_admin_limits own;

			test_enter_user_ipc_ns();
			test_hold_sem(n);
			test_refused_sem(ENOSPC, n);
			/* Its own limits are the defaults; the container's bind. */
			ASSERT_EQ(0, kipc_admin_open(&ka));
			ASSERT_EQ(0, kipc_admin_limits_get(ka, &own,
							   sizeof(own)));
			kipc_admin_close(ka);
			ASSERT_EQ(test_param("max_objects"), own.objects);
			ASSERT_EQ(1U, own.objects_used);
			_exit(0);
		}
		test_wait_child(p);
		/* The container counts its nested namespace's objects. */
		ASSERT_EQ(0, kipc_admin_open(&ka));
		ASSERT_EQ(0, kipc_admin_limits_get(ka, &l, sizeof(l)));
		kipc_admin_close(ka);
		ASSERT_EQ(3U, l.objects);
		ASSERT_EQ(2U, l.objects_used);
		_exit(0);
	}
	test_wait_child(pid);
}

#define LOOP_NS		50
#define LOOP_PAGES	20

/*
 * Fifty fresh user + IPC namespaces, each trying two one-page regions kept
 * alive by passing their fds out: together they get nobody's byte limit,
 * LOOP_PAGES pages, and not a page more.
 */
TEST_F(nsl, fifty_namespaces_share_byte_limit)
{
	long psz = self->psz;
	int sv[2], fds[2 * LOOP_NS], nfds = 0, emfile = 0, i;
	struct kipc_admin_limits l;

	skip_without_userns();
	ASSERT_EQ(0, limit_nobody(-1, LOOP_PAGES * psz));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
				sv));
	for (i = 0; i < LOOP_NS; i++) {
		pid_t pid = test_fork_as(KIPC_NOBODY, KIPC_NOBODY,
					 KIPC_NO_GROUP);

		if (pid == 0) {
			char n[KIPC_NAME_MAX + 16];
			int j, fd;
			char r;

			close(sv[0]);
			test_enter_user_ipc_ns();
			for (j = 0; j < 2; j++) {
				nth(n, j);
				fd = create_shm(n, psz);
				if (fd < 0) {
					ASSERT_EQ(-EMFILE, fd);
					r = 'E';
					ASSERT_EQ(1, write(sv[1], &r, 1));
					continue;
				}
				ASSERT_EQ(0, kipc_send_fd(sv[1], fd));
				close(fd);
			}
			_exit(0);
		}
		test_wait_child(pid);
		/* Collect what this one sent: fds, or an 'E' per refusal. */
		for (;;) {
			struct pollfd pfd = { .fd = sv[0], .events = POLLIN };
			int fd;

			if (poll(&pfd, 1, 0) != 1)
				break;
			fd = kipc_recv_fd(sv[0]);
			if (fd >= 0) {
				ASSERT_LT(nfds, 2 * LOOP_NS);
				fds[nfds++] = fd;
				continue;
			}
			/* A message without an fd: a refusal. */
			emfile++;
		}
	}
	ASSERT_EQ(LOOP_PAGES, nfds);
	ASSERT_EQ(2 * LOOP_NS - LOOP_PAGES, emfile);
	ASSERT_EQ(0, nobody_used(&l));
	ASSERT_EQ((__u64)LOOP_PAGES * psz, l.bytes_used);
	ASSERT_EQ((__u32)LOOP_PAGES, l.objects_used);
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	close(sv[0]);
	close(sv[1]);
}

/*
 * A charge walks every namespace above the object's, so the tree is at most
 * 32 namespaces deep below the initial one: an object 33 deep is refused
 * (ENOSPC), whether the namespaces between are new to kipc or known.
 */
TEST_F(nsl, depth_is_bounded)
{
	char n[KIPC_NAME_MAX + 16];
	int level, fd;
	pid_t pid = 0;

	nth(n, 0);
	for (level = 0; level < 33; level++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid)
			break;
		ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	}
	if (level == 33) {
		test_refused_sem(ENOSPC, n);
		_exit(0);
	}
	test_wait_child(pid);
	if (level == 32) {
		fd = create_sem(n);
		ASSERT_LE(0, fd) TH_LOG("32 deep: %s", strerror(-fd));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			ASSERT_EQ(0, unshare(CLONE_NEWIPC));
			test_refused_sem(ENOSPC, n);
			_exit(0);
		}
		test_wait_child(pid);
		close(fd);
	}
	if (level)
		_exit(0);
}

TEST_HARNESS_MAIN
