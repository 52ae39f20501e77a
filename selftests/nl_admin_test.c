// SPDX-License-Identifier: GPL-2.0-only
/*
 * libkipc-admin against the kernel: every operation of the "kipc" family
 * through the library, checked against the state made through libkipc;
 * malformed requests sent raw, each with its errno and extack text; who may
 * do what; IPC namespace isolation; and limits set over netlink taking
 * effect at once.
 *
 * Tests that need a known, empty set of objects or that set limits run in a
 * child in a new IPC namespace, so the rest of the guest cannot disturb them
 * and they cannot disturb it. Everything made is unlinked and every limit
 * set is reset before the test ends.
 */
#include <sys/utsname.h>

#include "kipc_test.h"
#include "kipc-admin.h"

FIXTURE(nla) {
	int fd;
	struct kipc_admin *ka;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(nla)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, kipc_admin_open(&self->ka));
	test_name(self->name, "a");
}

FIXTURE_TEARDOWN(nla)
{
	kipc_admin_close(self->ka);
	close(self->fd);
}

#define nth(_buf, _i) \
	snprintf(_buf, sizeof(_buf), "%s.%d", self->name, _i)

static __u32 ipc_ns_inode(void)
{
	struct stat st;

	if (stat("/proc/self/ns/ipc", &st))
		return 0;
	return st.st_ino;
}

/* Create @name of @type through libkipc; the fd, with its id in *@id. */
#define test_lib_create(_type, _name, _mode, _id)			\
	({								\
		union kipc_attr __a = kipc_attr_of(_type);		\
		int __fd = kipc_open(_type, _name, KIPC_NEW, _mode,	\
				     &__a, _id);			\
		ASSERT_LE(0, __fd) TH_LOG("create %s: %s", _name,	\
					   strerror(-__fd));		\
		__fd;							\
	})

/* What kipc_admin_list() passes, recorded. */
#define MAX_SEEN	64
struct seen {
	int n;
	struct kipc_admin_obj obj[MAX_SEEN];
};

static int seen_cb(const struct kipc_admin_obj *obj, void *arg)
{
	struct seen *s = arg;

	if (s->n < MAX_SEEN)
		s->obj[s->n] = *obj;
	s->n++;
	return 0;
}

static const struct kipc_admin_obj *seen_find(const struct seen *s,
					      __u64 id)
{
	int i;

	for (i = 0; i < s->n && i < MAX_SEEN; i++)
		if (s->obj[i].id == id)
			return &s->obj[i];
	return NULL;
}

/* --- happy paths ---------------------------------------------------------- */

/* Get by id: what the library reports is what libkipc made. */
TEST_F(nla, get_by_id)
{
	unsigned int i;

	umask(0);
	for (i = 0; i < KIPC_NR_TYPES; i++) {
		__u32 type = kipc_types[i];
		union kipc_attr a = kipc_attr_of(type);
		struct kipc_admin_obj obj;
		struct kipc_info info;
		uint64_t id;
		int ofd;

		ofd = test_lib_create(type, self->name, 0640, &id);
		ASSERT_EQ(0, kipc_info(ofd, &info));
		ASSERT_EQ(id, info.out_id);
		memset(&obj, 0xa5, sizeof(obj));
		ASSERT_EQ(0, kipc_admin_get(self->ka, id, &obj, sizeof(obj)));
		ASSERT_EQ(id, obj.id);
		ASSERT_EQ(type, obj.type);
		ASSERT_STREQ(self->name, obj.name);
		ASSERT_EQ(ipc_ns_inode(), obj.ns);
		ASSERT_EQ(getuid(), obj.uid);
		ASSERT_EQ(getgid(), obj.gid);
		ASSERT_EQ(getuid(), obj.cuid);
		ASSERT_EQ((__u32)getpid(), obj.cpid);
		ASSERT_EQ(0640U, obj.mode);
		ASSERT_EQ(0U, obj.state);
		ASSERT_TRUE(kipc_admin_obj_has(&obj, KIPC_A_OBJ_CTIME));
		ASSERT_NE(0ULL, obj.ctime_ns);
		switch (type) {
		case KIPC_OBJ_MQ:
			ASSERT_EQ(a.mq.max_msgs, obj.mq_max_msgs);
			ASSERT_EQ(a.mq.max_msgsize, obj.mq_max_msgsize);
			ASSERT_TRUE(kipc_admin_obj_has(&obj,
						       KIPC_A_OBJ_MQ_DEPTH));
			ASSERT_EQ(0U, obj.mq_depth);
			ASSERT_FALSE(kipc_admin_obj_has(&obj,
							KIPC_A_OBJ_SHM_SIZE));
			break;
		case KIPC_OBJ_SHM:
			ASSERT_EQ(a.shm.size, obj.shm_size);
			ASSERT_FALSE(kipc_admin_obj_has(&obj,
							KIPC_A_OBJ_SEM_VALUE));
			break;
		case KIPC_OBJ_SEM:
			ASSERT_EQ(a.sem.value, obj.sem_value);
			ASSERT_EQ(0, kipc_sem_post(ofd, 2));
			ASSERT_EQ(0, kipc_admin_get(self->ka, id, &obj,
						    sizeof(obj)));
			ASSERT_EQ(a.sem.value + 2, obj.sem_value);
			ASSERT_EQ(1ULL, obj.sem_posts);
			break;
		}
		ASSERT_EQ(0, kipc_unlink(type, self->name));
		ASSERT_EQ(0, kipc_admin_get(self->ka, id, &obj, sizeof(obj)));
		ASSERT_EQ((__u32)KIPC_STATE_UNLINKED, obj.state);
		close(ofd);
		ASSERT_EQ(-ENOENT, kipc_admin_get(self->ka, id, &obj,
						  sizeof(obj)));
		ASSERT_NE(NULL, kipc_admin_errmsg(self->ka));
		ASSERT_STREQ("no object with this id in the caller's IPC namespace",
			     kipc_admin_errmsg(self->ka));
	}
}

/* Get by type and name is a kernel lookup, as an open would resolve it. */
TEST_F(nla, get_by_name)
{
	struct kipc_admin_obj obj;
	uint64_t qid, sid, qid2;
	int qfd, sfd;

	/* The same name in two types: two objects. */
	qfd = test_lib_create(KIPC_OBJ_MQ, self->name, 0600, &qid);
	sfd = test_lib_create(KIPC_OBJ_SEM, self->name, 0600, &sid);
	ASSERT_EQ(0, kipc_admin_find(self->ka, KIPC_OBJ_MQ, self->name,
				     &obj, sizeof(obj)));
	ASSERT_EQ(qid, obj.id);
	ASSERT_EQ((__u32)KIPC_OBJ_MQ, obj.type);
	ASSERT_EQ(0, kipc_admin_find(self->ka, KIPC_OBJ_SEM, self->name,
				     &obj, sizeof(obj)));
	ASSERT_EQ(sid, obj.id);
	ASSERT_EQ(-ENOENT, kipc_admin_find(self->ka, KIPC_OBJ_SHM, self->name,
					   &obj, sizeof(obj)));
	ASSERT_STREQ("no object of this type and name in the caller's IPC namespace",
		     kipc_admin_errmsg(self->ka));

	/* Unlinked but open: found by id only; the name is free again. */
	ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, self->name));
	ASSERT_EQ(-ENOENT, kipc_admin_find(self->ka, KIPC_OBJ_MQ, self->name,
					   &obj, sizeof(obj)));
	ASSERT_EQ(0, kipc_admin_get(self->ka, qid, &obj, sizeof(obj)));
	close(test_lib_create(KIPC_OBJ_MQ, self->name, 0600, &qid2));
	ASSERT_NE(qid, qid2);
	ASSERT_EQ(0, kipc_admin_find(self->ka, KIPC_OBJ_MQ, self->name,
				     &obj, sizeof(obj)));
	ASSERT_EQ(qid2, obj.id);

	/* Names the kernel would refuse are refused by the library. */
	ASSERT_EQ(-EINVAL, kipc_admin_find(self->ka, KIPC_OBJ_MQ, "",
					   &obj, sizeof(obj)));
	ASSERT_EQ(-EINVAL, kipc_admin_find(self->ka, KIPC_OBJ_MQ, NULL,
					   &obj, sizeof(obj)));
	/* and those it refuses itself come back with its reason. */
	ASSERT_EQ(-EINVAL, kipc_admin_find(self->ka, KIPC_OBJ_MQ, "a b",
					   &obj, sizeof(obj)));
	ASSERT_STREQ("a name is 1 to 255 printable bytes without '/' or space",
		     kipc_admin_errmsg(self->ka));

	ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, self->name));
	ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, self->name));
	close(qfd);
	close(sfd);
}

/* In a fresh namespace, a dump is exactly what was made, in id order. */
TEST_F(nla, list_all)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		struct seen s = { 0 };
		uint64_t ids[6];
		int fds[6], i;

		ASSERT_EQ(0, kipc_admin_list(self->ka, seen_cb, &s));
		ASSERT_EQ(0, s.n);
		for (i = 0; i < 6; i++) {
			nth(n, i);
			fds[i] = test_lib_create(kipc_types[i % 3], n, 0600,
						 &ids[i]);
		}
		ASSERT_EQ(6, kipc_admin_list(self->ka, seen_cb, &s));
		ASSERT_EQ(6, s.n);
		for (i = 0; i < 6; i++) {
			const struct kipc_admin_obj *o = seen_find(&s, ids[i]);

			ASSERT_NE(NULL, o);
			nth(n, i);
			ASSERT_STREQ(n, o->name);
			ASSERT_EQ(kipc_types[i % 3], o->type);
			ASSERT_EQ(ipc_ns_inode(), o->ns);
		}
		for (i = 1; i < 6; i++)
			ASSERT_LT(s.obj[i - 1].id, s.obj[i].id);
		for (i = 0; i < 6; i++) {
			nth(n, i);
			ASSERT_EQ(0, kipc_unlink(kipc_types[i % 3], n));
			close(fds[i]);
		}
		s.n = 0;
		ASSERT_EQ(0, kipc_admin_list(self->ka, seen_cb, &s));
		ASSERT_EQ(0, s.n);
		_exit(0);
	}
	test_wait_child(pid);
}

/* The kernel filters a dump by type. */
TEST_F(nla, list_type)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		uint64_t ids[7];
		unsigned int t;
		int i, j;

		/* 1 queue, 2 regions, 4 semaphores. */
		for (i = 0; i < 7; i++) {
			__u32 type = i < 1 ? KIPC_OBJ_MQ :
				     i < 3 ? KIPC_OBJ_SHM : KIPC_OBJ_SEM;

			nth(n, i);
			close(test_lib_create(type, n, 0600, &ids[i]));
		}
		for (t = 0; t < KIPC_NR_TYPES; t++) {
			__u32 type = kipc_types[t];
			int want = type == KIPC_OBJ_MQ ? 1 :
				   type == KIPC_OBJ_SHM ? 2 : 4;
			struct seen s = { 0 };

			ASSERT_EQ(want, kipc_admin_list_type(self->ka, type,
							     seen_cb, &s));
			ASSERT_EQ(want, s.n);
			for (j = 0; j < s.n; j++)
				ASSERT_EQ(type, s.obj[j].type);
		}
		{
			struct seen s = { 0 };

			/* 0 is every type. */
			ASSERT_EQ(7, kipc_admin_list_type(self->ka, 0,
							  seen_cb, &s));
			for (i = 0; i < 7; i++)
				ASSERT_NE(NULL, seen_find(&s, ids[i]));
			/* An unknown type fails the kernel's policy. */
			s.n = 0;
			ASSERT_EQ(-ERANGE, kipc_admin_list_type(self->ka, 4,
								seen_cb, &s));
			ASSERT_EQ(0, s.n);
			ASSERT_STREQ("integer out of range",
				     kipc_admin_errmsg(self->ka));
		}
		for (i = 0; i < 7; i++) {
			__u32 type = i < 1 ? KIPC_OBJ_MQ :
				     i < 3 ? KIPC_OBJ_SHM : KIPC_OBJ_SEM;

			nth(n, i);
			ASSERT_EQ(0, kipc_unlink(type, n));
		}
		_exit(0);
	}
	test_wait_child(pid);
}

/* A callback stops the walk, and its negative value comes back. */
static int stop_after_two(const struct kipc_admin_obj *obj, void *arg)
{
	int *calls = arg;

	return ++*calls == 2 ? -ECANCELED : 0;
}

TEST_F(nla, list_stop)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		int i, calls = 0;

		for (i = 0; i < 4; i++) {
			nth(n, i);
			close(test_lib_create(KIPC_OBJ_SEM, n, 0600, NULL));
		}
		ASSERT_EQ(-ECANCELED, kipc_admin_list(self->ka, stop_after_two,
						      &calls));
		ASSERT_EQ(2, calls);
		/* The handle is still good. */
		ASSERT_EQ(4, kipc_admin_list(self->ka, seen_cb,
					     &(struct seen){ 0 }));
		for (i = 0; i < 4; i++) {
			nth(n, i);
			ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, n));
		}
		_exit(0);
	}
	test_wait_child(pid);
}

/* Removal by id: the name goes, open fds fail with EIDRM, state says so. */
TEST_F(nla, remove_by_id)
{
	struct kipc_admin_obj obj;
	uint64_t id;
	int qfd;

	qfd = test_lib_create(KIPC_OBJ_MQ, self->name, 0600, &id);
	ASSERT_EQ(0, kipc_admin_remove(self->ka, id));
	ASSERT_EQ(NULL, kipc_admin_errmsg(self->ka));
	ASSERT_EQ(0, kipc_admin_get(self->ka, id, &obj, sizeof(obj)));
	ASSERT_NE(0U, obj.state & KIPC_STATE_REMOVED);
	ASSERT_NE(0U, obj.state & KIPC_STATE_UNLINKED);
	ASSERT_EQ(-EIDRM, kipc_mq_send(qfd, "x", 1, 0));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_MQ, self->name));
	/* Removing again succeeds and changes nothing. */
	ASSERT_EQ(0, kipc_admin_remove(self->ka, id));
	close(qfd);
	ASSERT_EQ(-ENOENT, kipc_admin_remove(self->ka, id));
	ASSERT_STREQ("no object with this id in the caller's IPC namespace",
		     kipc_admin_errmsg(self->ka));
}

/* Removal by type and name picks the object an open would. */
TEST_F(nla, remove_by_name)
{
	struct kipc_admin_obj obj;
	uint64_t sid, qid;
	int sfd;

	sfd = test_lib_create(KIPC_OBJ_SEM, self->name, 0600, &sid);
	close(test_lib_create(KIPC_OBJ_MQ, self->name, 0600, &qid));
	ASSERT_EQ(0, kipc_admin_remove_name(self->ka, KIPC_OBJ_SEM,
					    self->name));
	ASSERT_EQ(-EIDRM, kipc_sem_trywait(sfd, 1, 0));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SEM, self->name));
	/* The queue of the same name is untouched. */
	ASSERT_EQ(0, kipc_admin_get(self->ka, qid, &obj, sizeof(obj)));
	ASSERT_EQ(0U, obj.state);
	ASSERT_EQ(-ENOENT, kipc_admin_remove_name(self->ka, KIPC_OBJ_SEM,
						  self->name));
	ASSERT_STREQ("no object of this type and name in the caller's IPC namespace",
		     kipc_admin_errmsg(self->ka));
	ASSERT_EQ(-EINVAL, kipc_admin_remove_name(self->ka, KIPC_OBJ_SEM, ""));
	close(sfd);
	ASSERT_EQ(-ENOENT, kipc_admin_get(self->ka, sid, &obj, sizeof(obj)));
	/* A removed object with no fd is gone at once. */
	ASSERT_EQ(0, kipc_admin_remove_name(self->ka, KIPC_OBJ_MQ,
					    self->name));
	ASSERT_EQ(-ENOENT, kipc_admin_get(self->ka, qid, &obj, sizeof(obj)));
}

/* Stats count what libkipc made in this namespace. */
TEST_F(nla, stats)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		long psz = sysconf(_SC_PAGESIZE);
		struct kipc_admin_stats st, st2;
		char n[KIPC_NAME_MAX + 16];
		int i;

		ASSERT_EQ(0, kipc_admin_stats(self->ka, &st, sizeof(st)));
		ASSERT_EQ((__u32)KIPC_ABI_VERSION, st.abi_version);
		ASSERT_EQ(0U, st.ns_objects);
		ASSERT_EQ(0ULL, st.ns_bytes);
		ASSERT_TRUE(kipc_admin_stats_has(&st, KIPC_A_STATS_LIMIT_OBJECTS));
		ASSERT_EQ(test_param("max_objects"), st.limit_objects);
		ASSERT_EQ(test_param("uid_max_objects"), st.limit_uid_objects);
		for (i = 0; i < 5; i++) {
			nth(n, i);
			close(test_lib_create(kipc_types[i % 3], n, 0600,
					      NULL));
		}
		ASSERT_EQ(0, kipc_admin_stats(self->ka, &st2, sizeof(st2)));
		ASSERT_EQ(2U, st2.mqs);
		ASSERT_EQ(2U, st2.shms);
		ASSERT_EQ(1U, st2.sems);
		ASSERT_EQ(5U, st2.ns_objects);
		/* 4 x 64-byte messages per queue, one page per region. */
		ASSERT_EQ((__u64)(2 * 4 * 64 + 2 * psz), st2.ns_bytes);
		ASSERT_LE(5U, st2.objects);
		for (i = 0; i < 5; i++) {
			nth(n, i);
			ASSERT_EQ(0, kipc_unlink(kipc_types[i % 3], n));
		}
		ASSERT_EQ(0, kipc_admin_stats(self->ka, &st2, sizeof(st2)));
		ASSERT_EQ(0U, st2.ns_objects);
		/* A short structure is filled as far as it goes. */
		ASSERT_EQ(-EINVAL, kipc_admin_stats(self->ka, &st2, 4));
		_exit(0);
	}
	test_wait_child(pid);
}

/* --- limits ------------------------------------------------------------- */

/* Reset the namespace's limits and uid's override; for the end of a test. */
static int limits_reset(struct kipc_admin *ka, int uid)
{
	struct kipc_admin_limits l = { .uid = uid };
	int ret = 0;

	if (uid >= 0)
		ret = kipc_admin_limits_set(ka, KIPC_ADMIN_LIMIT_UID |
					    KIPC_ADMIN_LIMIT_RESET, &l);
	return ret ?: kipc_admin_limits_set(ka, KIPC_ADMIN_LIMIT_RESET, &l);
}

/* Get, set and reset the namespace's limits; usage follows creation. */
TEST_F(nla, limits_get_set_reset)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_admin_limits l, set = { 0 };
		char n[KIPC_NAME_MAX + 16];

		ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &l, sizeof(l)));
		ASSERT_EQ(test_param("max_objects"), l.objects);
		ASSERT_EQ(test_param("max_bytes"), l.bytes);
		ASSERT_EQ(test_param("uid_max_objects"), l.uid_objects);
		ASSERT_EQ(test_param("uid_max_bytes"), l.uid_bytes);
		ASSERT_EQ(0U, l.objects_used);
		ASSERT_EQ(0U, l.override);
		ASSERT_FALSE(kipc_admin_limits_has(&l, KIPC_A_LIMITS_UID));
		ASSERT_TRUE(kipc_admin_limits_has(&l, KIPC_A_LIMITS_OBJECTS_USED));

		nth(n, 0);
		close(test_lib_create(KIPC_OBJ_SHM, n, 0600, NULL));
		ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &l, sizeof(l)));
		ASSERT_EQ(1U, l.objects_used);
		ASSERT_EQ((__u64)sysconf(_SC_PAGESIZE), l.bytes_used);

		set.objects = 100;
		set.bytes = 1 << 20;
		set.uid_objects = 50;
		set.uid_bytes = 1 << 19;
		ASSERT_EQ(0, kipc_admin_limits_set(self->ka,
			KIPC_ADMIN_LIMIT_OBJECTS | KIPC_ADMIN_LIMIT_BYTES |
			KIPC_ADMIN_LIMIT_UID_OBJECTS |
			KIPC_ADMIN_LIMIT_UID_BYTES, &set));
		ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &l, sizeof(l)));
		ASSERT_EQ(100U, l.objects);
		ASSERT_EQ(1ULL << 20, l.bytes);
		ASSERT_EQ(50U, l.uid_objects);
		ASSERT_EQ(1ULL << 19, l.uid_bytes);
		ASSERT_EQ(1U, l.override);
		ASSERT_EQ(1U, l.objects_used);

		/* One field at a time leaves the others. */
		set.objects = 7;
		ASSERT_EQ(0, kipc_admin_limits_set(self->ka,
					KIPC_ADMIN_LIMIT_OBJECTS, &set));
		ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &l, sizeof(l)));
		ASSERT_EQ(7U, l.objects);
		ASSERT_EQ(1ULL << 20, l.bytes);

		ASSERT_EQ(0, limits_reset(self->ka, -1));
		ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &l, sizeof(l)));
		ASSERT_EQ(test_param("max_objects"), l.objects);
		ASSERT_EQ(test_param("uid_max_bytes"), l.uid_bytes);
		ASSERT_EQ(0U, l.override);
		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SHM, n));
		_exit(0);
	}
	test_wait_child(pid);
}

/* Bad limit requests, refused by the library or with the kernel's reason. */
TEST_F(nla, limits_set_invalid)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_admin_limits l = { .objects = 16777217, .uid = 0 };

		ASSERT_EQ(-ERANGE, kipc_admin_limits_set(self->ka,
					KIPC_ADMIN_LIMIT_OBJECTS, &l));
		ASSERT_STREQ("integer out of range",
			     kipc_admin_errmsg(self->ka));
		l.uid_objects = 16777217;
		ASSERT_EQ(-ERANGE, kipc_admin_limits_set(self->ka,
					KIPC_ADMIN_LIMIT_UID_OBJECTS, &l));
		/* The per-uid defaults are not a uid's. */
		l.uid_objects = 5;
		ASSERT_EQ(-EINVAL, kipc_admin_limits_set(self->ka,
			KIPC_ADMIN_LIMIT_UID | KIPC_ADMIN_LIMIT_UID_OBJECTS, &l));
		ASSERT_STREQ("per-uid defaults are the namespace's; with a uid give objects and bytes",
			     kipc_admin_errmsg(self->ka));
		l.objects = 5;
		ASSERT_EQ(-EINVAL, kipc_admin_limits_set(self->ka,
			KIPC_ADMIN_LIMIT_OBJECTS | KIPC_ADMIN_LIMIT_RESET, &l));
		ASSERT_STREQ("reset takes no limit values",
			     kipc_admin_errmsg(self->ka));
		/* Nothing to set: the library says so without asking. */
		ASSERT_EQ(-EINVAL, kipc_admin_limits_set(self->ka, 0, &l));
		ASSERT_EQ(-EINVAL, kipc_admin_limits_set(self->ka,
					KIPC_ADMIN_LIMIT_UID, &l));
		ASSERT_EQ(-EINVAL, kipc_admin_limits_set(self->ka, 1U << 30,
							 &l));
		/* Nothing was set by any of them. */
		ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &l, sizeof(l)));
		ASSERT_EQ(0U, l.override);
		ASSERT_EQ(test_param("max_objects"), l.objects);
		_exit(0);
	}
	test_wait_child(pid);
}

/*
 * A namespace limit applies to the next creation: beyond it, ENOSPC for a
 * creator without CAP_SYS_RESOURCE; after a reset, creation works again.
 */
TEST_F(nla, limits_ns_take_effect)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_admin_limits l = { .objects = 3 };
		char n[KIPC_NAME_MAX + 16];
		union kipc_attr a = kipc_attr_of(KIPC_OBJ_SEM);
		int i;

		ASSERT_EQ(0, kipc_admin_limits_set(self->ka,
					KIPC_ADMIN_LIMIT_OBJECTS, &l));
		test_drop_cap(CAP_SYS_RESOURCE);
		for (i = 0; i < 3; i++) {
			nth(n, i);
			close(test_lib_create(KIPC_OBJ_SEM, n, 0600, NULL));
		}
		nth(n, 3);
		ASSERT_EQ(-ENOSPC, kipc_open(KIPC_OBJ_SEM, n, KIPC_NEW, 0600,
					     &a, NULL));
		ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &l, sizeof(l)));
		ASSERT_EQ(3U, l.objects);
		ASSERT_EQ(3U, l.objects_used);
		ASSERT_EQ(1U, l.override);

		/* Lowered below the usage: nothing taken away. */
		l.objects = 1;
		ASSERT_EQ(0, kipc_admin_limits_set(self->ka,
					KIPC_ADMIN_LIMIT_OBJECTS, &l));
		nth(n, 0);
		ASSERT_TRUE(test_obj_exists(KIPC_OBJ_SEM, n));

		/* A byte limit, likewise. */
		ASSERT_EQ(0, limits_reset(self->ka, -1));
		l.bytes = 4096 * 2;
		ASSERT_EQ(0, kipc_admin_limits_set(self->ka,
					KIPC_ADMIN_LIMIT_BYTES, &l));
		a.shm.size = 4096 * 3;
		nth(n, 4);
		ASSERT_EQ(-ENOSPC, kipc_open(KIPC_OBJ_SHM, n, KIPC_NEW, 0600,
					     &a, NULL));

		ASSERT_EQ(0, limits_reset(self->ka, -1));
		close(test_lib_create(KIPC_OBJ_SHM, n, 0600, NULL));
		nth(n, 3);
		close(test_lib_create(KIPC_OBJ_SEM, n, 0600, NULL));
		for (i = 0; i < 4; i++) {
			nth(n, i);
			ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, n));
		}
		nth(n, 4);
		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SHM, n));
		_exit(0);
	}
	test_wait_child(pid);
}

/* Objects @uid may create now: make up to @max, report how many, unlink. */
static int creatable_as(struct __test_metadata *_metadata, const char *base,
			uid_t uid, gid_t gid, int max, int *err)
{
	int res[2] = { -1, 0 }, p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		union kipc_attr a = kipc_attr_of(KIPC_OBJ_SEM);
		char n[KIPC_NAME_MAX + 16];
		int i, ret = 0;

		close(p[0]);
		if (kipc_become(uid, gid, KIPC_NO_GROUP))
			_exit(1);
		for (i = 0; i < max; i++) {
			snprintf(n, sizeof(n), "%s.u%d", base, i);
			ret = kipc_open(KIPC_OBJ_SEM, n, KIPC_NEW, 0600, &a,
					NULL);
			if (ret < 0)
				break;
			close(ret);
			ret = 0;
		}
		res[0] = i;
		res[1] = ret;
		while (i--) {
			snprintf(n, sizeof(n), "%s.u%d", base, i);
			kipc_unlink(KIPC_OBJ_SEM, n);
		}
		if (write(p[1], res, sizeof(res)) != sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	test_wait_child(pid);
	if (read(p[0], res, sizeof(res)) != sizeof(res))
		res[0] = -1;
	close(p[0]);
	*err = res[1];
	return res[0];
}

/*
 * A per-uid override binds that uid at once (EMFILE), not others; the
 * per-uid default binds every uid without an override; reset restores.
 */
TEST_F(nla, limits_uid_take_effect)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_admin_limits l = { .uid = KIPC_UID1, .objects = 2 };
		struct kipc_admin_limits g;
		int err = 0;

		ASSERT_EQ(0, kipc_admin_limits_set(self->ka,
			KIPC_ADMIN_LIMIT_UID | KIPC_ADMIN_LIMIT_OBJECTS, &l));
		ASSERT_EQ(0, kipc_admin_limits_get_uid(self->ka, KIPC_UID1,
						       &g, sizeof(g)));
		ASSERT_TRUE(kipc_admin_limits_has(&g, KIPC_A_LIMITS_UID));
		ASSERT_EQ((__u32)KIPC_UID1, g.uid);
		ASSERT_EQ(2U, g.objects);
		ASSERT_EQ(1U, g.override);
		ASSERT_EQ(0U, g.objects_used);

		ASSERT_EQ(2, creatable_as(_metadata, self->name, KIPC_UID1,
					  KIPC_GID1, 5, &err));
		ASSERT_EQ(-EMFILE, err);
		/* Another uid is bound only by the defaults. */
		ASSERT_EQ(5, creatable_as(_metadata, self->name, KIPC_UID2,
					  KIPC_GID2, 5, &err));

		/* A per-uid default binds KIPC_UID2, not the override. */
		g.uid_objects = 1;
		ASSERT_EQ(0, kipc_admin_limits_set(self->ka,
					KIPC_ADMIN_LIMIT_UID_OBJECTS, &g));
		ASSERT_EQ(1, creatable_as(_metadata, self->name, KIPC_UID2,
					  KIPC_GID2, 5, &err));
		ASSERT_EQ(-EMFILE, err);
		ASSERT_EQ(2, creatable_as(_metadata, self->name, KIPC_UID1,
					  KIPC_GID1, 5, &err));
		ASSERT_EQ(0, kipc_admin_limits_get_uid(self->ka, KIPC_UID2,
						       &g, sizeof(g)));
		ASSERT_EQ(1U, g.objects);
		ASSERT_EQ(0U, g.override);

		/* Reset the override: KIPC_UID1 falls back to the default. */
		ASSERT_EQ(0, kipc_admin_limits_set(self->ka,
			KIPC_ADMIN_LIMIT_UID | KIPC_ADMIN_LIMIT_RESET, &l));
		ASSERT_EQ(1, creatable_as(_metadata, self->name, KIPC_UID1,
					  KIPC_GID1, 5, &err));
		ASSERT_EQ(0, limits_reset(self->ka, -1));
		ASSERT_EQ(5, creatable_as(_metadata, self->name, KIPC_UID1,
					  KIPC_GID1, 5, &err));
		ASSERT_EQ(0, kipc_admin_limits_get_uid(self->ka, KIPC_UID1,
						       &g, sizeof(g)));
		ASSERT_EQ(0U, g.override);
		ASSERT_EQ(test_param("uid_max_objects"), g.objects);
		_exit(0);
	}
	test_wait_child(pid);
}

struct uids_seen {
	int n;
	struct kipc_admin_limits lim[8];
};

static int uids_cb(const struct kipc_admin_limits *lim, void *arg)
{
	struct uids_seen *u = arg;

	if (u->n < 8)
		u->lim[u->n] = *lim;
	u->n++;
	return 0;
}

/* The limits dump lists uids with an override or with objects, in order. */
TEST_F(nla, limits_list)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_admin_limits l = { .uid = KIPC_UID2, .objects = 9 };
		struct uids_seen u = { 0 };
		char n[KIPC_NAME_MAX + 16];
		pid_t c;

		ASSERT_EQ(0, kipc_admin_limits_list(self->ka, uids_cb, &u));
		ASSERT_EQ(0, u.n);
		ASSERT_EQ(0, kipc_admin_limits_set(self->ka,
			KIPC_ADMIN_LIMIT_UID | KIPC_ADMIN_LIMIT_OBJECTS, &l));
		nth(n, 0);
		c = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
		if (c == 0) {
			close(test_lib_create(KIPC_OBJ_SEM, n, 0600, NULL));
			_exit(0);
		}
		test_wait_child(c);
		ASSERT_EQ(2, kipc_admin_limits_list(self->ka, uids_cb, &u));
		ASSERT_EQ(2, u.n);
		ASSERT_EQ((__u32)KIPC_UID1, u.lim[0].uid);
		ASSERT_EQ(1U, u.lim[0].objects_used);
		ASSERT_EQ(0U, u.lim[0].override);
		ASSERT_EQ((__u32)KIPC_UID2, u.lim[1].uid);
		ASSERT_EQ(0U, u.lim[1].objects_used);
		ASSERT_EQ(9U, u.lim[1].objects);
		ASSERT_EQ(1U, u.lim[1].override);

		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, n));
		ASSERT_EQ(0, limits_reset(self->ka, KIPC_UID2));
		u.n = 0;
		ASSERT_EQ(0, kipc_admin_limits_list(self->ka, uids_cb, &u));
		ASSERT_EQ(0, u.n);
		_exit(0);
	}
	test_wait_child(pid);
}

/* --- permissions ------------------------------------------------------ */

/* Reads are open to every caller; limits-set needs CAP_NET_ADMIN. */
TEST_F(nla, unprivileged_reads_not_limits_set)
{
	uint64_t id;
	pid_t pid;

	close(test_lib_create(KIPC_OBJ_MQ, self->name, 0600, &id));
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		struct kipc_admin_limits l = { .objects = 10 };
		struct kipc_admin_stats st;
		struct kipc_admin_obj obj;
		struct kipc_admin *ka;
		struct seen s = { 0 };
		int ret;

		ASSERT_EQ(0, kipc_admin_open(&ka));
		ASSERT_EQ(0, kipc_admin_get(ka, id, &obj, sizeof(obj)));
		ASSERT_EQ(0U, obj.uid);
		ASSERT_EQ(0, kipc_admin_find(ka, KIPC_OBJ_MQ, self->name,
					     &obj, sizeof(obj)));
		ASSERT_EQ(id, obj.id);
		ret = kipc_admin_list(ka, seen_cb, &s);
		ASSERT_LE(1, ret);
		ASSERT_EQ(0, kipc_admin_stats(ka, &st, sizeof(st)));
		ASSERT_EQ(0, kipc_admin_limits_get(ka, &l, sizeof(l)));
		ASSERT_EQ(0, kipc_admin_limits_get_uid(ka, 0, &l, sizeof(l)));
		ASSERT_LE(0, kipc_admin_limits_list(ka, uids_cb,
						    &(struct uids_seen){ 0 }));
		l.objects = 10;
		ASSERT_EQ(-EPERM, kipc_admin_limits_set(ka,
					KIPC_ADMIN_LIMIT_OBJECTS, &l));
		ASSERT_EQ(-EPERM, kipc_admin_limits_set(ka,
					KIPC_ADMIN_LIMIT_RESET, &l));
		kipc_admin_close(ka);
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, self->name));
}

/* Root without CAP_NET_ADMIN may not set limits either. */
TEST_F(nla, limits_set_needs_net_admin)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		struct kipc_admin_limits l = { .objects = 10 };

		test_drop_cap(CAP_NET_ADMIN);
		ASSERT_EQ(-EPERM, kipc_admin_limits_set(self->ka,
					KIPC_ADMIN_LIMIT_OBJECTS, &l));
		ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &l, sizeof(l)));
		ASSERT_EQ(0U, l.override);
		_exit(0);
	}
	test_wait_child(pid);
}

/*
 * Only the owner, the creator or CAP_SYS_ADMIN may remove: another uid, and
 * root without CAP_SYS_ADMIN, get EPERM and the reason; the owner may.
 */
TEST_F(nla, remove_permissions)
{
	char mine[KIPC_NAME_MAX + 16];
	struct kipc_admin_obj obj;
	uint64_t id, mid = 0;
	int p[2];
	pid_t pid;

	close(test_lib_create(KIPC_OBJ_SEM, self->name, 0666, &id));
	ASSERT_EQ(0, pipe(p));
	nth(mine, 1);
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		struct kipc_admin *ka;

		ASSERT_EQ(0, kipc_admin_open(&ka));
		ASSERT_EQ(-EPERM, kipc_admin_remove(ka, id));
		ASSERT_STREQ("only the owner, the creator or CAP_SYS_ADMIN may remove",
			     kipc_admin_errmsg(ka));
		ASSERT_EQ(-EPERM, kipc_admin_remove_name(ka, KIPC_OBJ_SEM,
							 self->name));
		ASSERT_STREQ("only the owner, the creator or CAP_SYS_ADMIN may remove",
			     kipc_admin_errmsg(ka));
		/* Its own object it may remove. */
		close(test_lib_create(KIPC_OBJ_SEM, mine, 0600, &mid));
		ASSERT_EQ((ssize_t)sizeof(mid), write(p[1], &mid, sizeof(mid)));
		ASSERT_EQ(0, kipc_admin_remove(ka, mid));
		kipc_admin_close(ka);
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_EQ((ssize_t)sizeof(mid), read(p[0], &mid, sizeof(mid)));
	ASSERT_EQ(-ENOENT, kipc_admin_get(self->ka, mid, &obj, sizeof(obj)));
	ASSERT_EQ(0, kipc_admin_get(self->ka, id, &obj, sizeof(obj)));
	ASSERT_EQ(0U, obj.state);

	/* uid 0 is not enough: CAP_SYS_ADMIN is what counts. */
	close(test_lib_create(KIPC_OBJ_SEM, mine, 0600, &mid));
	pid = test_fork_as(0, 0, KIPC_NO_GROUP);
	if (pid == 0) {
		struct kipc_admin *ka;

		/* Root's own object: the owner needs no CAP_SYS_ADMIN. */
		ASSERT_EQ(0, kipc_admin_open(&ka));
		test_drop_cap(CAP_SYS_ADMIN);
		ASSERT_EQ(0, kipc_admin_remove(ka, mid));
		kipc_admin_close(ka);
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_EQ(-ENOENT, kipc_admin_get(self->ka, mid, &obj, sizeof(obj)));

	pid = test_fork_as(KIPC_UID2, KIPC_GID2, KIPC_NO_GROUP);
	if (pid == 0) {
		close(test_lib_create(KIPC_OBJ_SEM, mine, 0600, &mid));
		ASSERT_EQ((ssize_t)sizeof(mid), write(p[1], &mid, sizeof(mid)));
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_EQ((ssize_t)sizeof(mid), read(p[0], &mid, sizeof(mid)));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		test_drop_cap(CAP_SYS_ADMIN);
		ASSERT_EQ(-EPERM, kipc_admin_remove(self->ka, mid));
		_exit(0);
	}
	test_wait_child(pid);
	/* With CAP_SYS_ADMIN, root removes anyone's. */
	ASSERT_EQ(0, kipc_admin_remove(self->ka, mid));
	ASSERT_EQ(0, kipc_admin_remove(self->ka, id));
	close(p[0]);
	close(p[1]);
}

/* --- namespaces ------------------------------------------------------------ */

/* Dump, get and remove see only the caller's namespace, both ways. */
TEST_F(nla, namespace_isolation)
{
	int to_parent[2], to_child[2];
	struct kipc_admin_obj obj;
	uint64_t pid_id, cid = 0;
	struct seen s = { 0 };
	pid_t pid;
	char c = 0;

	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));
	close(test_lib_create(KIPC_OBJ_SHM, self->name, 0600, &pid_id));
	pid = test_fork_newipc();
	if (pid == 0) {
		struct kipc_admin *ka;

		/* A handle opened in the new namespace, and the old one. */
		ASSERT_EQ(0, kipc_admin_open(&ka));
		close(test_lib_create(KIPC_OBJ_SHM, self->name, 0600, &cid));
		ASSERT_EQ(1, kipc_admin_list(ka, seen_cb, &s));
		ASSERT_EQ(cid, s.obj[0].id);
		s.n = 0;
		ASSERT_EQ(1, kipc_admin_list(self->ka, seen_cb, &s));
		ASSERT_EQ(cid, s.obj[0].id);
		ASSERT_EQ(-ENOENT, kipc_admin_get(ka, pid_id, &obj,
						  sizeof(obj)));
		ASSERT_EQ(0, kipc_admin_find(ka, KIPC_OBJ_SHM, self->name,
					     &obj, sizeof(obj)));
		ASSERT_EQ(cid, obj.id);
		ASSERT_EQ(-ENOENT, kipc_admin_remove(ka, pid_id));
		ASSERT_EQ(-ENOENT, kipc_admin_remove(self->ka, pid_id));
		ASSERT_EQ((ssize_t)sizeof(cid),
			  write(to_parent[1], &cid, sizeof(cid)));
		ASSERT_EQ(1, (int)read(to_child[0], &c, 1));
		/* The parent's removal by name did not reach us. */
		ASSERT_EQ(0, kipc_admin_get(ka, cid, &obj, sizeof(obj)));
		ASSERT_EQ(0U, obj.state);
		ASSERT_EQ(0, kipc_admin_remove_name(ka, KIPC_OBJ_SHM,
						    self->name));
		kipc_admin_close(ka);
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(cid), read(to_parent[0], &cid, sizeof(cid)));
	ASSERT_EQ(-ENOENT, kipc_admin_get(self->ka, cid, &obj, sizeof(obj)));
	ASSERT_EQ(-ENOENT, kipc_admin_remove(self->ka, cid));
	ASSERT_LE(1, kipc_admin_list(self->ka, seen_cb, &s));
	ASSERT_EQ(NULL, seen_find(&s, cid));
	ASSERT_NE(NULL, seen_find(&s, pid_id));
	/* The name in our namespace is ours. */
	ASSERT_EQ(0, kipc_admin_remove_name(self->ka, KIPC_OBJ_SHM, self->name));
	ASSERT_EQ(-ENOENT, kipc_admin_get(self->ka, pid_id, &obj, sizeof(obj)));
	ASSERT_EQ(1, write(to_child[1], &c, 1));
	test_wait_child(pid);
	close(to_parent[0]);
	close(to_parent[1]);
	close(to_child[0]);
	close(to_child[1]);
}

/* Limits are per namespace: a limit set in one does not bind another. */
TEST_F(nla, namespace_limits)
{
	struct kipc_admin_limits before, during;
	int to_parent[2], to_child[2];
	pid_t pid;
	char c = 0;

	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &before, sizeof(before)));
	pid = test_fork_newipc();
	if (pid == 0) {
		struct kipc_admin_limits l = { .objects = 1, .uid_objects = 1 };

		ASSERT_EQ(0, kipc_admin_limits_set(self->ka,
			KIPC_ADMIN_LIMIT_OBJECTS | KIPC_ADMIN_LIMIT_UID_OBJECTS,
			&l));
		ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &l, sizeof(l)));
		ASSERT_EQ(1U, l.objects);
		ASSERT_EQ(1U, l.override);
		/* Let the parent look while the limits are set. */
		ASSERT_EQ(1, write(to_parent[1], &c, 1));
		ASSERT_EQ(1, (int)read(to_child[0], &c, 1));
		ASSERT_EQ(0, limits_reset(self->ka, -1));
		_exit(0);
	}
	ASSERT_EQ(1, (int)read(to_parent[0], &c, 1));
	ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &during, sizeof(during)));
	ASSERT_EQ(1, write(to_child[1], &c, 1));
	test_wait_child(pid);
	ASSERT_EQ(before.objects, during.objects);
	ASSERT_EQ(before.uid_objects, during.uid_objects);
	ASSERT_EQ(before.override, during.override);
	ASSERT_NE(1U, during.objects);
	close(to_parent[0]);
	close(to_parent[1]);
	close(to_child[0]);
	close(to_child[1]);
}

/* --- malformed requests, raw --------------------------------------------- */

/* Is the running kernel at least @major.@minor? */
static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

FIXTURE(nlraw) {
	struct kipc_nl nl;
	struct kipc_nl_req req;
	struct kipc_nl_ack ack;
};

FIXTURE_SETUP(nlraw)
{
	test_nl_open(&self->nl);
	ASSERT_EQ(0, kipc_nl_ext_ack(&self->nl));
}

FIXTURE_TEARDOWN(nlraw)
{
	close(self->nl.fd);
}

#define raw_init(_cmd, _flags)						\
	kipc_nl_req_init(&self->nl, &self->req, self->nl.family,	\
			 NLM_F_ACK | (_flags), _cmd, KIPC_GENL_VERSION)

/* Offset of the next attribute put into self->req, for ATTR_OFFS. */
#define raw_next_off() NLMSG_ALIGN(self->req.nlh.nlmsg_len)

#define raw_put(_type, _data, _len) \
	kipc_nl_put_attr(&self->req.nlh, _type, _data, _len)

/* Send self->req; its error, with the extack in self->ack. */
#define raw_send()							\
	({								\
		ASSERT_EQ(0, kipc_nl_send(&self->nl, &self->req));	\
		kipc_nl_recv_ack(&self->nl, self->nl.family, NULL, 0,	\
				 NULL, &self->ack);			\
	})

TEST_F(nlraw, unknown_attribute)
{
	__u64 id = 1;
	__u32 v = 1;
	__u32 off;

	raw_init(KIPC_CMD_OBJ_GET, 0);
	raw_put(KIPC_A_OBJ_ID, &id, sizeof(id));
	off = raw_next_off();
	raw_put(200, &v, sizeof(v));
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("Unknown attribute type", self->ack.msg);
	ASSERT_TRUE(self->ack.has_offs);
	ASSERT_EQ(off, self->ack.offs);

	/* An attribute of the set that this request does not take. */
	raw_init(KIPC_CMD_OBJ_REMOVE, 0);
	raw_put(KIPC_A_OBJ_ID, &id, sizeof(id));
	off = raw_next_off();
	raw_put(KIPC_A_OBJ_MODE, &v, sizeof(v));
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("Unknown attribute type", self->ack.msg);
	ASSERT_EQ(off, self->ack.offs);

	/*
	 * Even on requests without attributes, which genetlink does not
	 * parse at all: the family refuses them itself.
	 */
	raw_init(KIPC_CMD_STATS_GET, 0);
	off = raw_next_off();
	raw_put(KIPC_A_STATS_OBJECTS, &v, sizeof(v));
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("Unknown attribute type", self->ack.msg);
	ASSERT_TRUE(self->ack.has_offs);
	ASSERT_EQ(off, self->ack.offs);
	raw_init(KIPC_CMD_LIMITS_GET, NLM_F_DUMP);
	off = raw_next_off();
	raw_put(KIPC_A_LIMITS_UID, &v, sizeof(v));
	ASSERT_EQ(-EINVAL, raw_send());
	/*
	 * 6.1's genetlink gives a dump's ->start no extack (cb->extack is
	 * NULL there), so the refusal comes without text; 6.12's does.
	 */
	if (kernel_at_least(6, 12)) {
		ASSERT_STREQ("Unknown attribute type", self->ack.msg);
		ASSERT_EQ(off, self->ack.offs);
	} else {
		TH_LOG("kernel before 6.12: dump start refused without text ('%s')",
		       self->ack.msg);
	}
	/* Without them, both answer. */
	raw_init(KIPC_CMD_STATS_GET, 0);
	ASSERT_EQ(0, raw_send());
	raw_init(KIPC_CMD_LIMITS_GET, NLM_F_DUMP);
	ASSERT_EQ(0, raw_send());
}

TEST_F(nlraw, wrong_length)
{
	__u32 id32 = 1;
	__u64 v64 = 1;
	__u32 off;

	/* A u32 where the id is a u64. */
	raw_init(KIPC_CMD_OBJ_GET, 0);
	off = raw_next_off();
	raw_put(KIPC_A_OBJ_ID, &id32, sizeof(id32));
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("invalid attribute length", self->ack.msg);
	ASSERT_TRUE(self->ack.has_offs);
	ASSERT_EQ(off, self->ack.offs);

	/* A u64 where the type is a u32, in a dump. */
	raw_init(KIPC_CMD_OBJ_GET, NLM_F_DUMP);
	off = raw_next_off();
	raw_put(KIPC_A_OBJ_TYPE, &v64, sizeof(v64));
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("invalid attribute length", self->ack.msg);
	ASSERT_EQ(off, self->ack.offs);

	/* A u32 where a limit is a u64. */
	raw_init(KIPC_CMD_LIMITS_SET, 0);
	raw_put(KIPC_A_LIMITS_BYTES, &id32, sizeof(id32));
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("invalid attribute length", self->ack.msg);
}

TEST_F(nlraw, oversized_name)
{
	char name[KIPC_NAME_MAX + 2];
	__u32 type = KIPC_OBJ_MQ;
	__u32 off;

	/* 256 bytes and the NUL. */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	raw_init(KIPC_CMD_OBJ_GET, 0);
	raw_put(KIPC_A_OBJ_TYPE, &type, sizeof(type));
	off = raw_next_off();
	raw_put(KIPC_A_OBJ_NAME, name, sizeof(name));
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("Attribute failed policy validation", self->ack.msg);
	ASSERT_EQ(off, self->ack.offs);

	raw_init(KIPC_CMD_OBJ_REMOVE, 0);
	raw_put(KIPC_A_OBJ_TYPE, &type, sizeof(type));
	raw_put(KIPC_A_OBJ_NAME, name, sizeof(name));
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("Attribute failed policy validation", self->ack.msg);

	/* 255 bytes is a valid length: the lookup itself answers. */
	name[KIPC_NAME_MAX] = '\0';
	raw_init(KIPC_CMD_OBJ_GET, 0);
	raw_put(KIPC_A_OBJ_TYPE, &type, sizeof(type));
	raw_put(KIPC_A_OBJ_NAME, name, KIPC_NAME_MAX + 1);
	ASSERT_EQ(-ENOENT, raw_send());
	ASSERT_STREQ("no object of this type and name in the caller's IPC namespace",
		     self->ack.msg);

	/* A name without its NUL is refused as well. */
	raw_init(KIPC_CMD_OBJ_GET, 0);
	raw_put(KIPC_A_OBJ_TYPE, &type, sizeof(type));
	raw_put(KIPC_A_OBJ_NAME, "abc", 3);
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("Attribute failed policy validation", self->ack.msg);
}

TEST_F(nlraw, missing_selector)
{
	__u32 type = KIPC_OBJ_SEM;

	/*
	 * A get without attributes names no object: the extack names the
	 * id as the missing attribute (NLMSGERR_ATTR_MISS_TYPE).
	 */
	raw_init(KIPC_CMD_OBJ_GET, 0);
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_TRUE(self->ack.has_miss_type);
	ASSERT_EQ((__u32)KIPC_A_OBJ_ID, self->ack.miss_type);

	raw_init(KIPC_CMD_OBJ_REMOVE, 0);
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_TRUE(self->ack.has_miss_type);
	ASSERT_EQ((__u32)KIPC_A_OBJ_ID, self->ack.miss_type);

	/* A type without a name: the name is what is missing. */
	raw_init(KIPC_CMD_OBJ_GET, 0);
	raw_put(KIPC_A_OBJ_TYPE, &type, sizeof(type));
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_TRUE(self->ack.has_miss_type);
	ASSERT_EQ((__u32)KIPC_A_OBJ_NAME, self->ack.miss_type);

	/* A name without a type. */
	raw_init(KIPC_CMD_OBJ_REMOVE, 0);
	raw_put(KIPC_A_OBJ_NAME, "x", 2);
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_TRUE(self->ack.has_miss_type);
	ASSERT_EQ((__u32)KIPC_A_OBJ_TYPE, self->ack.miss_type);

	/* limits-set with nothing to set. */
	raw_init(KIPC_CMD_LIMITS_SET, 0);
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("missing attribute: a limit to set, or reset",
		     self->ack.msg);
}

TEST_F(nlraw, id_and_name)
{
	__u32 type = KIPC_OBJ_MQ;
	__u64 id = 1;
	__u32 off;

	raw_init(KIPC_CMD_OBJ_GET, 0);
	off = raw_next_off();
	raw_put(KIPC_A_OBJ_ID, &id, sizeof(id));
	raw_put(KIPC_A_OBJ_TYPE, &type, sizeof(type));
	raw_put(KIPC_A_OBJ_NAME, "x", 2);
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("give either the id, or the type and the name",
		     self->ack.msg);
	ASSERT_TRUE(self->ack.has_offs);
	ASSERT_EQ(off, self->ack.offs);

	/* The id with only the type is as ambiguous. */
	raw_init(KIPC_CMD_OBJ_REMOVE, 0);
	raw_put(KIPC_A_OBJ_ID, &id, sizeof(id));
	raw_put(KIPC_A_OBJ_TYPE, &type, sizeof(type));
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("give either the id, or the type and the name",
		     self->ack.msg);
}

TEST_F(nlraw, bad_type_value)
{
	__u32 type = 0;

	raw_init(KIPC_CMD_OBJ_GET, 0);
	raw_put(KIPC_A_OBJ_TYPE, &type, sizeof(type));
	raw_put(KIPC_A_OBJ_NAME, "x", 2);
	ASSERT_EQ(-ERANGE, raw_send());
	ASSERT_STREQ("integer out of range", self->ack.msg);
	type = KIPC_OBJ_SEM + 1;
	raw_init(KIPC_CMD_OBJ_GET, NLM_F_DUMP);
	raw_put(KIPC_A_OBJ_TYPE, &type, sizeof(type));
	ASSERT_EQ(-ERANGE, raw_send());
	ASSERT_STREQ("integer out of range", self->ack.msg);
}

/*
 * The genetlink core answers an unknown command itself, and without a
 * message: EOPNOTSUPP and an empty extack are what a caller gets.
 */
TEST_F(nlraw, unknown_command)
{
	struct kipc_admin *ka;

	raw_init(KIPC_CMD_MAX + 1, 0);
	ASSERT_EQ(-EOPNOTSUPP, raw_send());
	ASSERT_STREQ("", self->ack.msg);
	ASSERT_FALSE(self->ack.has_offs);
	/* Events are not requests. */
	raw_init(KIPC_CMD_OBJ_CREATE_NTF, 0);
	ASSERT_EQ(-EOPNOTSUPP, raw_send());
	/* Nor is a dump of a do-only command. */
	raw_init(KIPC_CMD_STATS_GET, NLM_F_DUMP);
	ASSERT_EQ(-EOPNOTSUPP, raw_send());
	raw_init(KIPC_CMD_LIMITS_SET, NLM_F_DUMP);
	ASSERT_EQ(-EOPNOTSUPP, raw_send());
	/* The socket still works. */
	ASSERT_EQ(0, kipc_admin_open(&ka));
	kipc_admin_close(ka);
	raw_init(KIPC_CMD_STATS_GET, 0);
	ASSERT_EQ(0, raw_send());
}

TEST_F(nlraw, reserved_header)
{
	__u64 id = 0;

	raw_init(KIPC_CMD_OBJ_GET, 0);
	raw_put(KIPC_A_OBJ_ID, &id, sizeof(id));
	self->req.genl.reserved = 1;
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("genlmsghdr.reserved field is not 0", self->ack.msg);

	raw_init(KIPC_CMD_STATS_GET, 0);
	self->req.genl.reserved = 0x8000;
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("genlmsghdr.reserved field is not 0", self->ack.msg);

	/* Reserved nlmsg_flags are refused the same way. */
	raw_init(KIPC_CMD_STATS_GET, NLM_F_EXCL);
	ASSERT_EQ(-EINVAL, raw_send());
	ASSERT_STREQ("ambiguous or reserved bits set in nlmsg_flags",
		     self->ack.msg);

	/* With the header right, the same request works. */
	raw_init(KIPC_CMD_OBJ_GET, 0);
	raw_put(KIPC_A_OBJ_ID, &id, sizeof(id));
	ASSERT_EQ(-ENOENT, raw_send());
	ASSERT_STREQ("no object with this id in the caller's IPC namespace",
		     self->ack.msg);
}

/* limits-set is admin-perm: the genetlink core refuses it, unprivileged. */
TEST_F(nlraw, limits_set_eperm_raw)
{
	pid_t pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);

	if (pid == 0) {
		__u32 objects = 5;

		raw_init(KIPC_CMD_LIMITS_SET, 0);
		raw_put(KIPC_A_LIMITS_OBJECTS, &objects, sizeof(objects));
		ASSERT_EQ(-EPERM, raw_send());
		/* Reads answer. */
		raw_init(KIPC_CMD_LIMITS_GET, 0);
		ASSERT_EQ(0, raw_send());
		_exit(0);
	}
	test_wait_child(pid);
}

TEST_HARNESS_MAIN
