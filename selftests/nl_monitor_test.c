// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "monitor" multicast group through libkipc-admin: create, unlink,
 * remove and destroy events come in the order they happened, with the
 * object's id, type, name and namespace and the acting pid and uid; a
 * listener hears only its own IPC namespace.
 *
 * Before Linux 6.9 the module has no monitor group (the kernel cannot filter
 * multicast per listener): kipc_admin_monitor_open() says -EOPNOTSUPP and
 * these tests skip.
 *
 * Each test runs in a new IPC namespace and subscribes there, so it hears
 * exactly what it does itself.
 */
#include <pthread.h>

#include "kipc_test.h"
#include "kipc-admin.h"

#define EV_WAIT_MS	5000

FIXTURE(mon) {
	char name[KIPC_NAME_MAX + 1];
	__u32 ns;
};

FIXTURE_SETUP(mon)
{
	struct kipc_admin *ka;
	struct kipc_nl nl;
	int grp;

	/*
	 * The kernel's version says whether there must be a monitor: a
	 * group gone missing on 6.9 or later fails rather than skips.
	 */
	test_nl_open(&nl);
	grp = kipc_nl_monitor_group(&nl);
	close(nl.fd);
	if (!kipc_kernel_has_monitor()) {
		ASSERT_EQ(-ENOENT, grp);
		SKIP(return, "no monitor group: the kernel (< 6.9) cannot filter events per namespace");
	}
	ASSERT_LT(0, grp) TH_LOG("monitor group: %s", strerror(-grp));
	ASSERT_EQ(0, kipc_admin_monitor_open(&ka));
	kipc_admin_close(ka);
	test_name(self->name, "m");
}

FIXTURE_TEARDOWN(mon)
{
}

static __u32 ipc_ns_inode(void)
{
	struct stat st;

	if (stat("/proc/self/ns/ipc", &st))
		return 0;
	return st.st_ino;
}

/* The next event must be @event for @id, of @type called @name, by @pid. */
#define test_event(_ka, _event, _type, _id, _name, _pid, _uid)		\
	({								\
		struct kipc_admin_event __ev;				\
		ASSERT_EQ(1, kipc_admin_monitor_read(_ka, &__ev,	\
						     sizeof(__ev),	\
						     EV_WAIT_MS));	\
		ASSERT_STREQ(kipc_admin_event_name(_event),		\
			     kipc_admin_event_name(__ev.event));	\
		ASSERT_EQ((__u32)(_type), __ev.type);			\
		ASSERT_EQ((uint64_t)(_id), __ev.id);			\
		ASSERT_STREQ(_name, __ev.name);				\
		ASSERT_EQ(ipc_ns_inode(), __ev.ns);			\
		ASSERT_EQ((__u32)(_pid), __ev.actor_pid);		\
		ASSERT_EQ((__u32)(_uid), __ev.actor_uid);		\
	})

/* Nothing more is coming. */
#define test_no_event(_ka)						\
	({								\
		struct kipc_admin_event __ev;				\
		int __r = kipc_admin_monitor_read(_ka, &__ev,		\
						  sizeof(__ev), 200);	\
		ASSERT_EQ(0, __r) TH_LOG("unexpected %s of %s",		\
					 kipc_admin_event_name(__ev.event), \
					 __ev.name);			\
	})

static int lib_create(unsigned int type, const char *name, uint64_t *id)
{
	union kipc_attr a = kipc_attr_of(type);

	return kipc_open(type, name, KIPC_NEW, 0600, &a, id);
}

/* Create, unlink, then the last close: three events in order. */
TEST_F(mon, create_unlink_destroy)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_admin *ka;
		unsigned int i;

		ASSERT_EQ(0, kipc_admin_monitor_open(&ka));
		for (i = 0; i < KIPC_NR_TYPES; i++) {
			__u32 type = kipc_types[i];
			uint64_t id;
			int fd;

			fd = lib_create(type, self->name, &id);
			ASSERT_LE(0, fd);
			ASSERT_EQ(0, kipc_unlink(type, self->name));
			close(fd);
			test_event(ka, KIPC_CMD_OBJ_CREATE_NTF, type, id,
				   self->name, getpid(), 0);
			test_event(ka, KIPC_CMD_OBJ_UNLINK_NTF, type, id,
				   self->name, getpid(), 0);
			test_event(ka, KIPC_CMD_OBJ_DESTROY_NTF, type, id,
				   self->name, getpid(), 0);
		}
		test_no_event(ka);
		kipc_admin_close(ka);
		_exit(0);
	}
	test_wait_child(pid);
}

/* Opening an existing object, and closing a linked one, say nothing. */
TEST_F(mon, open_close_silent)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_admin *ka;
		uint64_t id;
		int fd;

		ASSERT_EQ(0, kipc_admin_monitor_open(&ka));
		fd = lib_create(KIPC_OBJ_SEM, self->name, &id);
		ASSERT_LE(0, fd);
		close(fd);
		fd = kipc_sem_open(self->name, KIPC_RW, 0, 0);
		ASSERT_LE(0, fd);
		close(fd);
		test_event(ka, KIPC_CMD_OBJ_CREATE_NTF, KIPC_OBJ_SEM, id,
			   self->name, getpid(), 0);
		test_no_event(ka);
		/* Unlinking the last reference destroys at once. */
		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, self->name));
		test_event(ka, KIPC_CMD_OBJ_UNLINK_NTF, KIPC_OBJ_SEM, id,
			   self->name, getpid(), 0);
		test_event(ka, KIPC_CMD_OBJ_DESTROY_NTF, KIPC_OBJ_SEM, id,
			   self->name, getpid(), 0);
		test_no_event(ka);
		kipc_admin_close(ka);
		_exit(0);
	}
	test_wait_child(pid);
}

/* Admin removal: a remove event, no unlink, then destroy at the last close. */
TEST_F(mon, remove_events)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_admin *ka, *adm;
		uint64_t id, id2;
		int fd;

		ASSERT_EQ(0, kipc_admin_monitor_open(&ka));
		ASSERT_EQ(0, kipc_admin_open(&adm));
		fd = lib_create(KIPC_OBJ_MQ, self->name, &id);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, kipc_admin_remove(adm, id));
		/* Removing again announces nothing. */
		ASSERT_EQ(0, kipc_admin_remove(adm, id));
		close(fd);
		test_event(ka, KIPC_CMD_OBJ_CREATE_NTF, KIPC_OBJ_MQ, id,
			   self->name, getpid(), 0);
		test_event(ka, KIPC_CMD_OBJ_REMOVE_NTF, KIPC_OBJ_MQ, id,
			   self->name, getpid(), 0);
		test_event(ka, KIPC_CMD_OBJ_DESTROY_NTF, KIPC_OBJ_MQ, id,
			   self->name, getpid(), 0);
		test_no_event(ka);

		/* By name, with no fd open: removed and destroyed at once. */
		fd = lib_create(KIPC_OBJ_SHM, self->name, &id2);
		ASSERT_LE(0, fd);
		close(fd);
		ASSERT_EQ(0, kipc_admin_remove_name(adm, KIPC_OBJ_SHM,
						    self->name));
		test_event(ka, KIPC_CMD_OBJ_CREATE_NTF, KIPC_OBJ_SHM, id2,
			   self->name, getpid(), 0);
		test_event(ka, KIPC_CMD_OBJ_REMOVE_NTF, KIPC_OBJ_SHM, id2,
			   self->name, getpid(), 0);
		test_event(ka, KIPC_CMD_OBJ_DESTROY_NTF, KIPC_OBJ_SHM, id2,
			   self->name, getpid(), 0);
		test_no_event(ka);
		kipc_admin_close(adm);
		kipc_admin_close(ka);
		_exit(0);
	}
	test_wait_child(pid);
}

/* The actor is whoever acted: another process, another uid. */
TEST_F(mon, actor_pid_uid)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_admin *ka;
		int p[2], fd;
		uint64_t id = 0;
		pid_t c;

		ASSERT_EQ(0, pipe(p));
		ASSERT_EQ(0, kipc_admin_monitor_open(&ka));
		c = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		if (c == 0) {
			fd = lib_create(KIPC_OBJ_SEM, self->name, &id);
			ASSERT_LE(0, fd);
			ASSERT_EQ((ssize_t)sizeof(id),
				  write(p[1], &id, sizeof(id)));
			/* The child's exit closes the last fd, later. */
			_exit(0);
		}
		test_wait_child(c);
		ASSERT_EQ((ssize_t)sizeof(id), read(p[0], &id, sizeof(id)));
		test_event(ka, KIPC_CMD_OBJ_CREATE_NTF, KIPC_OBJ_SEM, id,
			   self->name, c, KIPC_UID1);
		/* root unlinks the named object it does not own: last ref. */
		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, self->name));
		test_event(ka, KIPC_CMD_OBJ_UNLINK_NTF, KIPC_OBJ_SEM, id,
			   self->name, getpid(), 0);
		test_event(ka, KIPC_CMD_OBJ_DESTROY_NTF, KIPC_OBJ_SEM, id,
			   self->name, getpid(), 0);
		test_no_event(ka);
		close(p[0]);
		close(p[1]);
		kipc_admin_close(ka);
		_exit(0);
	}
	test_wait_child(pid);
}

/* Many events keep their order: ids and kinds exactly as done. */
TEST_F(mon, order_many)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		enum { N = 40 };
		char n[KIPC_NAME_MAX + 16];
		struct kipc_admin *ka;
		uint64_t ids[N];
		int i, fd;

		ASSERT_EQ(0, kipc_admin_monitor_open(&ka));
		for (i = 0; i < N; i++) {
			snprintf(n, sizeof(n), "%s.%d", self->name, i);
			fd = lib_create(KIPC_OBJ_SEM, n, &ids[i]);
			ASSERT_LE(0, fd);
			close(fd);
		}
		for (i = N - 1; i >= 0; i--) {
			snprintf(n, sizeof(n), "%s.%d", self->name, i);
			ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, n));
		}
		for (i = 0; i < N; i++) {
			snprintf(n, sizeof(n), "%s.%d", self->name, i);
			test_event(ka, KIPC_CMD_OBJ_CREATE_NTF, KIPC_OBJ_SEM,
				   ids[i], n, getpid(), 0);
		}
		for (i = N - 1; i >= 0; i--) {
			snprintf(n, sizeof(n), "%s.%d", self->name, i);
			test_event(ka, KIPC_CMD_OBJ_UNLINK_NTF, KIPC_OBJ_SEM,
				   ids[i], n, getpid(), 0);
			test_event(ka, KIPC_CMD_OBJ_DESTROY_NTF, KIPC_OBJ_SEM,
				   ids[i], n, getpid(), 0);
		}
		test_no_event(ka);
		kipc_admin_close(ka);
		_exit(0);
	}
	test_wait_child(pid);
}

/* The fd polls readable when an event waits; a zero timeout does not wait. */
TEST_F(mon, fd_poll_and_timeout)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_admin_event ev;
		struct kipc_admin *ka, *plain;
		struct pollfd pfd;
		uint64_t id;
		int fd;

		ASSERT_EQ(0, kipc_admin_monitor_open(&ka));
		pfd.fd = kipc_admin_monitor_fd(ka);
		ASSERT_LE(0, pfd.fd);
		pfd.events = POLLIN;
		ASSERT_EQ(0, poll(&pfd, 1, 0));
		ASSERT_EQ(0, kipc_admin_monitor_read(ka, &ev, sizeof(ev), 0));
		fd = lib_create(KIPC_OBJ_MQ, self->name, &id);
		ASSERT_LE(0, fd);
		ASSERT_EQ(1, poll(&pfd, 1, EV_WAIT_MS));
		ASSERT_TRUE(pfd.revents & POLLIN);
		ASSERT_EQ(1, kipc_admin_monitor_read(ka, &ev, sizeof(ev), 0));
		ASSERT_EQ((__u32)KIPC_CMD_OBJ_CREATE_NTF, ev.event);
		ASSERT_EQ(id, ev.id);
		/* A short structure is refused. */
		ASSERT_EQ(-EINVAL, kipc_admin_monitor_read(ka, &ev, 8, 0));

		/* A handle that is not subscribed has no monitor fd. */
		ASSERT_EQ(0, kipc_admin_open(&plain));
		ASSERT_EQ(-EINVAL, kipc_admin_monitor_fd(plain));
		ASSERT_EQ(-EINVAL, kipc_admin_monitor_read(plain, &ev,
							   sizeof(ev), 0));
		kipc_admin_close(plain);

		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, self->name));
		close(fd);
		kipc_admin_close(ka);
		_exit(0);
	}
	test_wait_child(pid);
}

/*
 * A listener hears only its own namespace: one in namespace A and one in
 * namespace B each hear what was done in theirs, and nothing of the other.
 */
TEST_F(mon, namespace_isolation)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		int ready[2], done[2], fd;
		struct kipc_admin *ka;
		uint64_t id_a, id_b = 0;
		pid_t c;
		char x = 0;

		ASSERT_EQ(0, pipe(ready));
		ASSERT_EQ(0, pipe(done));
		ASSERT_EQ(0, kipc_admin_monitor_open(&ka));
		c = test_fork_newipc();
		if (c == 0) {
			struct kipc_admin *kb;

			ASSERT_EQ(0, kipc_admin_monitor_open(&kb));
			ASSERT_EQ(1, write(ready[1], &x, 1));
			/* A acts first; B must not hear it. */
			ASSERT_EQ(1, (int)read(done[0], &x, 1));
			fd = lib_create(KIPC_OBJ_MQ, self->name, &id_b);
			ASSERT_LE(0, fd);
			ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, self->name));
			close(fd);
			test_event(kb, KIPC_CMD_OBJ_CREATE_NTF, KIPC_OBJ_MQ,
				   id_b, self->name, getpid(), 0);
			test_event(kb, KIPC_CMD_OBJ_UNLINK_NTF, KIPC_OBJ_MQ,
				   id_b, self->name, getpid(), 0);
			test_event(kb, KIPC_CMD_OBJ_DESTROY_NTF, KIPC_OBJ_MQ,
				   id_b, self->name, getpid(), 0);
			test_no_event(kb);
			kipc_admin_close(kb);
			_exit(0);
		}
		ASSERT_EQ(1, (int)read(ready[0], &x, 1));
		/* The same name and type in A. */
		fd = lib_create(KIPC_OBJ_MQ, self->name, &id_a);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, self->name));
		close(fd);
		test_event(ka, KIPC_CMD_OBJ_CREATE_NTF, KIPC_OBJ_MQ, id_a,
			   self->name, getpid(), 0);
		test_event(ka, KIPC_CMD_OBJ_UNLINK_NTF, KIPC_OBJ_MQ, id_a,
			   self->name, getpid(), 0);
		test_event(ka, KIPC_CMD_OBJ_DESTROY_NTF, KIPC_OBJ_MQ, id_a,
			   self->name, getpid(), 0);
		ASSERT_EQ(1, write(done[1], &x, 1));
		test_wait_child(c);
		/* B's events, all sent by now, did not reach A. */
		test_no_event(ka);
		kipc_admin_close(ka);
		_exit(0);
	}
	test_wait_child(pid);
}

/*
 * The subscription is the namespace of the subscriber: a monitor opened in
 * the parent's namespace does not hear a child that moved to a new one.
 */
TEST_F(mon, namespace_of_subscriber)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_admin *ka;
		uint64_t id;
		pid_t c;
		int fd;

		ASSERT_EQ(0, kipc_admin_monitor_open(&ka));
		c = test_fork_newipc();
		if (c == 0) {
			fd = lib_create(KIPC_OBJ_SEM, self->name, &id);
			ASSERT_LE(0, fd);
			ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, self->name));
			close(fd);
			/* Nor does the inherited socket hear it. */
			test_no_event(ka);
			_exit(0);
		}
		test_wait_child(c);
		test_no_event(ka);
		kipc_admin_close(ka);
		_exit(0);
	}
	test_wait_child(pid);
}

/*
 * A listener that does not keep up loses events: the read says -ENOBUFS
 * once, and then goes on with the events after the loss.
 */
TEST_F(mon, overrun_enobufs)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		enum { N = 200 };
		int i, fd, ret, events = 0, nobufs = 0, small = 1;
		char n[KIPC_NAME_MAX + 16];
		struct kipc_admin_event ev;
		struct kipc_admin *ka;
		uint64_t last;

		ASSERT_EQ(0, kipc_admin_monitor_open(&ka));
		/* The smallest buffer the kernel allows. */
		ASSERT_EQ(0, setsockopt(kipc_admin_monitor_fd(ka), SOL_SOCKET,
					SO_RCVBUF, &small, sizeof(small)));
		for (i = 0; i < N; i++) {
			snprintf(n, sizeof(n), "%s.%d", self->name, i);
			fd = lib_create(KIPC_OBJ_SEM, n, NULL);
			ASSERT_LE(0, fd);
			close(fd);
			ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, n));
		}
		while ((ret = kipc_admin_monitor_read(ka, &ev, sizeof(ev),
						      0)) != 0) {
			if (ret == -ENOBUFS) {
				nobufs++;
				continue;
			}
			ASSERT_EQ(1, ret);
			events++;
		}
		TH_LOG("%d of %d events read, %d losses", events, 3 * N,
		       nobufs);
		ASSERT_LE(1, nobufs);
		ASSERT_GT(3 * N, events);
		/*
		 * The subscription is still good, once the buffer holds
		 * what comes: here, three events.
		 */
		small = 1 << 16;
		ASSERT_EQ(0, setsockopt(kipc_admin_monitor_fd(ka), SOL_SOCKET,
					SO_RCVBUF, &small, sizeof(small)));
		fd = lib_create(KIPC_OBJ_MQ, self->name, &last);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, self->name));
		close(fd);
		test_event(ka, KIPC_CMD_OBJ_CREATE_NTF, KIPC_OBJ_MQ, last,
			   self->name, getpid(), 0);
		test_event(ka, KIPC_CMD_OBJ_UNLINK_NTF, KIPC_OBJ_MQ, last,
			   self->name, getpid(), 0);
		test_event(ka, KIPC_CMD_OBJ_DESTROY_NTF, KIPC_OBJ_MQ, last,
			   self->name, getpid(), 0);
		kipc_admin_close(ka);
		_exit(0);
	}
	test_wait_child(pid);
}

/* Needs no kernel: the names of the events. */
TEST(event_names)
{
	ASSERT_STREQ("create", kipc_admin_event_name(KIPC_CMD_OBJ_CREATE_NTF));
	ASSERT_STREQ("unlink", kipc_admin_event_name(KIPC_CMD_OBJ_UNLINK_NTF));
	ASSERT_STREQ("remove", kipc_admin_event_name(KIPC_CMD_OBJ_REMOVE_NTF));
	ASSERT_STREQ("destroy",
		     kipc_admin_event_name(KIPC_CMD_OBJ_DESTROY_NTF));
	ASSERT_EQ(NULL, kipc_admin_event_name(0));
	ASSERT_EQ(NULL, kipc_admin_event_name(KIPC_CMD_OBJ_GET));
	ASSERT_EQ(NULL, kipc_admin_event_name(KIPC_CMD_MAX + 1));
}

/* On a kernel without the group, the library says so, and only so. */
TEST(monitor_open_result)
{
	struct kipc_admin *ka = NULL;
	int ret = kipc_admin_monitor_open(&ka);

	if (!kipc_kernel_has_monitor()) {
		struct kipc_admin *plain;

		ASSERT_EQ(-EOPNOTSUPP, ret);
		/* The family itself is there. */
		ASSERT_EQ(0, kipc_admin_open(&plain));
		kipc_admin_close(plain);
		SKIP(return, "no monitor group on this kernel (< 6.9)");
	}
	ASSERT_EQ(0, ret);
	ASSERT_NE(NULL, ka);
	ASSERT_LE(0, kipc_admin_monitor_fd(ka));
	kipc_admin_close(ka);
}

/*
 * A monitor holds its namespace only while it is open: once closed, the
 * namespace can die and its names are reaped at once, not only after some
 * later event or subscription has tidied the closed socket away. The
 * parent's own netlink socket, which the child inherits and shares when it
 * subscribes, is not taken for the child's and does not hold it either.
 */
TEST_F(mon, closed_monitor_lets_namespace_go)
{
	struct kipc_nl nl;
	__u64 before;
	pid_t pid;

	test_nl_open(&nl);
	before = test_nl_stats_attr(&nl, KIPC_A_STATS_OBJECTS);
	pid = test_fork_newipc();
	if (pid == 0) {
		struct kipc_admin *ka;
		uint64_t id;
		int fd;

		ASSERT_EQ(0, kipc_admin_monitor_open(&ka));
		fd = lib_create(KIPC_OBJ_SEM, self->name, &id);
		ASSERT_LE(0, fd);
		close(fd);
		test_event(ka, KIPC_CMD_OBJ_CREATE_NTF, KIPC_OBJ_SEM, id,
			   self->name, getpid(), 0);
		kipc_admin_close(ka);
		_exit(0);
	}
	test_wait_child(pid);
	/* No event since the close; the name left behind is reaped anyway. */
	ASSERT_EQ(before, test_nl_stats_attr(&nl, KIPC_A_STATS_OBJECTS));
	close(nl.fd);
}

static void *idle_thread(void *arg)
{
	char c;

	/* Until the test writes: the process stays multithreaded. */
	if (read(*(int *)arg, &c, 1) != 1)
		return NULL;
	return NULL;
}

/*
 * A multithreaded subscriber hears its events: its subscribing call holds
 * a reference of its own to the socket (the file table is shared), which
 * must not make the socket look shared with another process.
 */
TEST_F(mon, threaded_subscriber)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_admin *ka;
		pthread_t thr;
		uint64_t id;
		int p[2], fd;

		ASSERT_EQ(0, pipe(p));
		ASSERT_EQ(0, pthread_create(&thr, NULL, idle_thread, &p[0]));
		ASSERT_EQ(0, kipc_admin_monitor_open(&ka));
		fd = lib_create(KIPC_OBJ_SEM, self->name, &id);
		ASSERT_LE(0, fd);
		close(fd);
		test_event(ka, KIPC_CMD_OBJ_CREATE_NTF, KIPC_OBJ_SEM, id,
			   self->name, getpid(), 0);
		ASSERT_EQ(1, write(p[1], "x", 1));
		ASSERT_EQ(0, pthread_join(thr, NULL));
		kipc_admin_close(ka);
		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, self->name));
		_exit(0);
	}
	test_wait_child(pid);
}

/* --- the subscribe request, on raw sockets ------------------------------ */

static int mon_join(int fd, int grp)
{
	return setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
			  sizeof(grp)) ? -errno : 0;
}

struct mon_ev {
	__u8 cmd;
	__u64 id;
	__u32 actor_pid;
	__u32 actor_uid;
	bool has_pid, has_uid;
};

/*
 * The next event of the family on @fd within @ms: 1 and *@ev, 0 if none
 * came, or -errno.
 */
static int mon_recv(int fd, __u16 family, struct mon_ev *ev, int ms)
{
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct nlmsghdr *nlh;
	ssize_t n;

	for (;;) {
		int r = poll(&pfd, 1, ms);

		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			const struct genlmsghdr *genl = NLMSG_DATA(nlh);
			const struct nlattr *nla;
			int len;

			if (nlh->nlmsg_type != family)
				continue;
			memset(ev, 0, sizeof(*ev));
			ev->cmd = genl->cmd;
			nla = (const void *)((const char *)genl + GENL_HDRLEN);
			len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			for (; len >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN &&
			       nla->nla_len <= len;
			     len -= NLA_ALIGN(nla->nla_len),
			     nla = (const void *)((const char *)nla +
						  NLA_ALIGN(nla->nla_len))) {
				const char *d = (const char *)nla + NLA_HDRLEN;

				switch (nla->nla_type & NLA_TYPE_MASK) {
				case KIPC_A_OBJ_ID:
					memcpy(&ev->id, d, 8);
					break;
				case KIPC_A_OBJ_ACTOR_PID:
					memcpy(&ev->actor_pid, d, 4);
					ev->has_pid = true;
					break;
				case KIPC_A_OBJ_ACTOR_UID:
					memcpy(&ev->actor_uid, d, 4);
					ev->has_uid = true;
					break;
				}
			}
			return 1;
		}
	}
}

/*
 * A raw socket of the family that joined the monitor group; with @sub, also
 * subscribed. SKIPs the test on a kernel without the group.
 */
#define mon_open(_nl, _sub)						\
	({								\
		int __grp;						\
		test_nl_open(_nl);					\
		__grp = kipc_nl_monitor_group(_nl);			\
		if (!kipc_kernel_has_monitor()) {			\
			ASSERT_EQ(-ENOENT, __grp);			\
			SKIP(return, "no monitor group on this kernel (< 6.9)"); \
		}							\
		ASSERT_LT(0, __grp);					\
		if (_sub)						\
			ASSERT_EQ(0, kipc_nl_monitor_subscribe(_nl));	\
		ASSERT_EQ(0, mon_join((_nl)->fd, __grp));		\
	})

/* The next event on @fd is @cmd of @id. */
#define mon_expect(_fd, _family, _cmd, _id)				\
	({								\
		struct mon_ev __e;					\
		ASSERT_EQ(1, mon_recv(_fd, _family, &__e, EV_WAIT_MS));	\
		ASSERT_EQ((__u8)(_cmd), __e.cmd);			\
		ASSERT_EQ((__u64)(_id), __e.id);			\
		__e;							\
	})

/*
 * The request subscribes exactly the socket that sent it: a second socket
 * of the same process that only joined the group hears nothing, and does
 * not keep the namespace alive once the subscriber's process is gone (it
 * is passed to the parent, which outlives the namespace).
 */
TEST_F(mon, subscribe_marks_only_the_asker)
{
	struct kipc_nl nl, other;
	int sv[2], fd, ofd;
	struct mon_ev ev;
	__u64 before;
	pid_t pid;

	test_nl_open(&nl);
	before = test_nl_stats_attr(&nl, KIPC_A_STATS_OBJECTS);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = test_fork_newipc();
	if (pid == 0) {
		struct kipc_nl a, b;
		uint64_t id;

		mon_open(&b, false);
		mon_open(&a, true);
		ASSERT_EQ(0, kipc_send_fd(sv[1], b.fd));
		fd = lib_create(KIPC_OBJ_SEM, self->name, &id);
		ASSERT_LE(0, fd);
		close(fd);
		/* The name stays: only the namespace's death reaps it. */
		mon_expect(a.fd, a.family, KIPC_CMD_OBJ_CREATE_NTF, id);
		ASSERT_EQ(0, mon_recv(a.fd, a.family, &ev, 200));
		ASSERT_EQ(0, mon_recv(b.fd, b.family, &ev, 200));
		_exit(0);
	}
	close(sv[1]);
	ofd = kipc_recv_fd(sv[0]);
	ASSERT_LE(0, ofd);
	test_wait_child(pid);
	other = nl;
	other.fd = ofd;
	/* The unsubscribed socket heard nothing, and pins nothing. */
	ASSERT_EQ(0, mon_recv(ofd, nl.family, &ev, 200));
	ASSERT_EQ(before, test_nl_stats_attr(&nl, KIPC_A_STATS_OBJECTS));
	/* It is a plain socket still: it can subscribe now, here. */
	ASSERT_EQ(0, kipc_nl_monitor_subscribe(&other));
	close(ofd);
	close(sv[0]);
	close(nl.fd);
}

/* A dup()ed subscriber is the same socket: it hears after the original goes. */
TEST_F(mon, dup_subscriber_hears)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_nl a;
		uint64_t id;
		int dfd, fd;

		mon_open(&a, true);
		dfd = dup(a.fd);
		ASSERT_LE(0, dfd);
		close(a.fd);
		fd = lib_create(KIPC_OBJ_MQ, self->name, &id);
		ASSERT_LE(0, fd);
		close(fd);
		mon_expect(dfd, a.family, KIPC_CMD_OBJ_CREATE_NTF, id);
		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, self->name));
		mon_expect(dfd, a.family, KIPC_CMD_OBJ_UNLINK_NTF, id);
		mon_expect(dfd, a.family, KIPC_CMD_OBJ_DESTROY_NTF, id);
		close(dfd);
		_exit(0);
	}
	test_wait_child(pid);
}

/*
 * The request itself: a second subscribe of the same socket is EBUSY, an
 * attribute is refused (EINVAL), and on a kernel without the group the
 * request says EOPNOTSUPP.
 */
TEST(subscribe_request)
{
	struct kipc_nl nl;
	struct kipc_nl_req req;
	__u64 id = 1;
	int ret;

	test_nl_open(&nl);
	if (!kipc_kernel_has_monitor()) {
		ASSERT_EQ(-ENOENT, kipc_nl_monitor_group(&nl));
		ASSERT_EQ(-EOPNOTSUPP, kipc_nl_monitor_subscribe(&nl));
		close(nl.fd);
		SKIP(return, "no monitor group on this kernel (< 6.9)");
	}
	kipc_nl_req_init(&nl, &req, nl.family, NLM_F_ACK,
			 KIPC_CMD_MONITOR_SUBSCRIBE, KIPC_GENL_VERSION);
	kipc_nl_put_attr(&req.nlh, KIPC_A_OBJ_ID, &id, sizeof(id));
	ASSERT_EQ(0, kipc_nl_send(&nl, &req));
	ASSERT_EQ(-EINVAL, kipc_nl_recv(&nl, nl.family, NULL, 0, NULL));
	ret = kipc_nl_monitor_subscribe(&nl);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(-EBUSY, kipc_nl_monitor_subscribe(&nl));
	close(nl.fd);
}

#define MON_MAX_PER_USER	64

/*
 * A user holds at most 64 subscriptions (EMFILE beyond), in every
 * namespace together; closing a subscriber gives its slot back at once.
 */
TEST_F(mon, per_user_limit_and_release)
{
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kipc_nl nl[MON_MAX_PER_USER + 1];
		struct kipc_nl more;
		int i;

		ASSERT_EQ(0, setegid(KIPC_GID1));
		ASSERT_EQ(0, seteuid(KIPC_UID1));
		for (i = 0; i < MON_MAX_PER_USER; i++) {
			/* Half in another IPC namespace: the same user. */
			if (i == MON_MAX_PER_USER / 2) {
				ASSERT_EQ(0, seteuid(0));
				ASSERT_EQ(0, unshare(CLONE_NEWIPC));
				ASSERT_EQ(0, seteuid(KIPC_UID1));
			}
			mon_open(&nl[i], true);
		}
		test_nl_open(&more);
		ASSERT_EQ(-EMFILE, kipc_nl_monitor_subscribe(&more));
		/* Closing one frees its slot, with nothing else happening. */
		close(nl[3].fd);
		ASSERT_EQ(0, kipc_nl_monitor_subscribe(&more));
		/* And the limit holds again. */
		test_nl_open(&nl[3]);
		ASSERT_EQ(-EMFILE, kipc_nl_monitor_subscribe(&nl[3]));
		close(more.fd);
		for (i = 0; i < MON_MAX_PER_USER; i++)
			close(nl[i].fd);
		_exit(0);
	}
	test_wait_child(pid);
	/* Another user is not charged for the first one's. */
	pid = test_fork_as(KIPC_UID2, KIPC_GID2, KIPC_NO_GROUP);
	if (pid == 0) {
		struct kipc_nl nl;

		mon_open(&nl, true);
		close(nl.fd);
		_exit(0);
	}
	test_wait_child(pid);
}

/*
 * Enter a new user namespace in which this process, KIPC_UID1 outside, is
 * uid 0, and a new pid namespace for its children. 0, or -errno of
 * unshare() (the kernel may forbid unprivileged user namespaces).
 */
static int enter_user_pid_ns(struct __test_metadata *_metadata)
{
	/* setuid() made it undumpable: its /proc files would be root's. */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) ||
	    unshare(CLONE_NEWUSER | CLONE_NEWPID))
		return -errno;
	EXPECT_EQ(0, kipc_userns_map(0, KIPC_UID1, 0, KIPC_GID1));
	return _metadata->exit_code ? -EINVAL : 0;
}

static __u32 overflow_uid(void)
{
	unsigned int v = 65534;
	FILE *f = fopen("/proc/sys/kernel/overflowuid", "re");

	if (f) {
		if (fscanf(f, "%u", &v) != 1)
			v = 65534;
		fclose(f);
	}
	return v;
}

/*
 * A listener in a new pid and user namespace (a container sharing the IPC
 * namespace) sees a host actor as pid 0 and the overflow uid, and an actor
 * of its own namespaces with its own ids: never a host pid.
 */
TEST_F(mon, actor_in_listener_namespaces)
{
	int ready[2], go[2], res[2];
	pid_t pid, lpid;
	uint64_t id;
	char x = 0;
	int fd, ret;

	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(res));
	lpid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (lpid == 0) {
		ret = enter_user_pid_ns(_metadata);
		ASSERT_EQ((ssize_t)sizeof(ret), write(res[1], &ret, sizeof(ret)));
		if (ret)
			_exit(0);
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			struct kipc_admin_event ev;
			struct kipc_admin *ka;
			uint64_t own;
			char n[KIPC_NAME_MAX + 16];

			ASSERT_EQ(1, getpid());
			ASSERT_EQ(0U, getuid());
			ASSERT_EQ(0, kipc_admin_monitor_open(&ka));
			ASSERT_EQ(1, write(ready[1], &x, 1));
			ASSERT_EQ(1, read(go[0], &x, 1));
			/* The host's create, by root with a host pid. */
			ASSERT_EQ(1, kipc_admin_monitor_read(ka, &ev,
							     sizeof(ev),
							     EV_WAIT_MS));
			ASSERT_EQ((__u32)KIPC_CMD_OBJ_CREATE_NTF, ev.event);
			ASSERT_EQ(0U, ev.actor_pid);
			ASSERT_EQ(overflow_uid(), ev.actor_uid);
			/* Its own create: pid 1, uid 0, as it sees itself. */
			snprintf(n, sizeof(n), "%s.own", self->name);
			fd = lib_create(KIPC_OBJ_SEM, n, &own);
			ASSERT_LE(0, fd);
			ASSERT_EQ(1, kipc_admin_monitor_read(ka, &ev,
							     sizeof(ev),
							     EV_WAIT_MS));
			ASSERT_EQ(own, ev.id);
			ASSERT_EQ(1U, ev.actor_pid);
			ASSERT_EQ(0U, ev.actor_uid);
			close(fd);
			kipc_admin_close(ka);
			_exit(0);
		}
		test_wait_child(pid);
		_exit(0);
	}
	/* Only the children write: a child that failed ends the reads. */
	close(ready[1]);
	close(res[1]);
	close(go[0]);
	ASSERT_EQ((ssize_t)sizeof(ret), read(res[0], &ret, sizeof(ret)));
	if (ret) {
		test_wait_child(lpid);
		SKIP(return, "cannot make a user and pid namespace: %s",
		     strerror(-ret));
	}
	ASSERT_EQ(1, read(ready[0], &x, 1));
	fd = lib_create(KIPC_OBJ_SEM, self->name, &id);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(go[1], &x, 1));
	test_wait_child(lpid);
	close(fd);
	ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, self->name));
}

TEST_HARNESS_MAIN
