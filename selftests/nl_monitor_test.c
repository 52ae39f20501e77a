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
	int ret;

	ret = kipc_admin_monitor_open(&ka);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "no monitor group: the kernel (< 6.9) cannot filter events per namespace");
	ASSERT_EQ(0, ret);
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

	if (ret == -EOPNOTSUPP) {
		struct kipc_admin *plain;

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

TEST_HARNESS_MAIN
