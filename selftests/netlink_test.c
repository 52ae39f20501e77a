// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Generic Netlink family "kipc", spoken raw: object get and dump see
 * exactly the caller's IPC namespace, and the stats count per type.
 */
#include <time.h>

#include "kipc_test.h"

#define MAX_DUMP	1024

FIXTURE(nl) {
	int fd;
	struct kipc_nl nl;
	struct kipc_nl_msg *msgs;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(nl)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	self->msgs = calloc(MAX_DUMP, sizeof(*self->msgs));
	ASSERT_NE(NULL, self->msgs);
	test_name(self->name, "nl");
}

FIXTURE_TEARDOWN(nl)
{
	free(self->msgs);
	close(self->nl.fd);
	close(self->fd);
}

#define nth(_buf, _i) \
	snprintf(_buf, sizeof(_buf), "%s.%d", self->name, _i)

/* Dump our namespace into self->msgs; returns how many came. */
#define test_dump()							\
	({								\
		int __n = kipc_nl_obj_dump(&self->nl, self->msgs, MAX_DUMP); \
		ASSERT_LE(0, __n);					\
		ASSERT_GE(MAX_DUMP, __n);				\
		__n;							\
	})

static __u64 ipc_ns_inode(void)
{
	struct stat st;

	if (stat("/proc/self/ns/ipc", &st))
		return 0;
	return st.st_ino;
}

TEST_F(nl, family)
{
	ASSERT_NE(0, self->nl.family);
	ASSERT_EQ((__u32)KIPC_GENL_VERSION, self->nl.version);
}

/* Every attribute of an object, against what we know of it. */
TEST_F(nl, obj_get)
{
	long psz = sysconf(_SC_PAGESIZE);
	unsigned int i;

	umask(0);
	for (i = 0; i < KIPC_NR_TYPES; i++) {
		__u32 type = kipc_types[i];
		union kipc_attr attr = kipc_attr_of(type);
		struct kipc_nl_msg m;
		__u64 t0, t1, id;
		int ofd;

		t0 = kipc_now_ns(CLOCK_REALTIME);
		ofd = test_ioctl_open(type, self->name, KIPC_NEW, 0640, &attr,
				      &id, NULL);
		t1 = kipc_now_ns(CLOCK_REALTIME);
		ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &m));
		ASSERT_EQ((__u8)KIPC_CMD_OBJ_GET, m.cmd);
		ASSERT_EQ(id, m.val[KIPC_A_OBJ_ID]);
		ASSERT_EQ(type, m.val[KIPC_A_OBJ_TYPE]);
		ASSERT_STREQ(self->name, m.name);
		ASSERT_TRUE(m.has[KIPC_A_OBJ_NS]);
		ASSERT_EQ(ipc_ns_inode(), m.val[KIPC_A_OBJ_NS]);
		ASSERT_EQ((__u64)getuid(), m.val[KIPC_A_OBJ_UID]);
		ASSERT_EQ((__u64)getgid(), m.val[KIPC_A_OBJ_GID]);
		ASSERT_EQ((__u64)getuid(), m.val[KIPC_A_OBJ_CUID]);
		ASSERT_EQ((__u64)getgid(), m.val[KIPC_A_OBJ_CGID]);
		ASSERT_EQ(0640ULL, m.val[KIPC_A_OBJ_MODE]);
		ASSERT_EQ((__u64)getpid(), m.val[KIPC_A_OBJ_CPID]);
		ASSERT_LE(t0, m.val[KIPC_A_OBJ_CTIME]);
		ASSERT_GE(t1, m.val[KIPC_A_OBJ_CTIME]);
		ASSERT_TRUE(m.has[KIPC_A_OBJ_STATE]);
		ASSERT_EQ(0ULL, m.val[KIPC_A_OBJ_STATE]);
		ASSERT_TRUE(m.has[KIPC_A_OBJ_BYTES]);
		switch (type) {
		case KIPC_OBJ_MQ:
			ASSERT_EQ((__u64)attr.mq.max_msgs *
				  attr.mq.max_msgsize,
				  m.val[KIPC_A_OBJ_BYTES]);
			ASSERT_EQ(attr.mq.max_msgs,
				  m.val[KIPC_A_OBJ_MQ_MAX_MSGS]);
			ASSERT_EQ(attr.mq.max_msgsize,
				  m.val[KIPC_A_OBJ_MQ_MAX_MSGSIZE]);
			ASSERT_FALSE(m.has[KIPC_A_OBJ_SHM_SIZE]);
			ASSERT_FALSE(m.has[KIPC_A_OBJ_SEM_VALUE]);
			break;
		case KIPC_OBJ_SHM:
			ASSERT_EQ((__u64)psz, m.val[KIPC_A_OBJ_BYTES]);
			ASSERT_EQ((__u64)psz, m.val[KIPC_A_OBJ_SHM_SIZE]);
			ASSERT_FALSE(m.has[KIPC_A_OBJ_MQ_MAX_MSGS]);
			ASSERT_FALSE(m.has[KIPC_A_OBJ_SEM_VALUE]);
			break;
		case KIPC_OBJ_SEM:
			ASSERT_EQ(0ULL, m.val[KIPC_A_OBJ_BYTES]);
			ASSERT_TRUE(m.has[KIPC_A_OBJ_SEM_VALUE]);
			ASSERT_EQ(attr.sem.value, m.val[KIPC_A_OBJ_SEM_VALUE]);
			ASSERT_FALSE(m.has[KIPC_A_OBJ_MQ_MAX_MSGS]);
			ASSERT_FALSE(m.has[KIPC_A_OBJ_SHM_SIZE]);
			break;
		}

		test_ioctl_unlink(type, self->name);
		ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &m));
		ASSERT_EQ((__u64)KIPC_STATE_UNLINKED, m.val[KIPC_A_OBJ_STATE]);
		ASSERT_STREQ(self->name, m.name);
		close(ofd);
		ASSERT_EQ(-ENOENT, kipc_nl_obj_get(&self->nl, id, &m));
	}
}

/* Owner ids are reported as seen from the caller. */
TEST_F(nl, obj_get_owner)
{
	struct kipc_nl_msg m;
	__u64 id = 0;
	pid_t pid;
	int idp[2];

	ASSERT_EQ(0, pipe(idp));
	pid = test_fork_as(KIPC_UID1, KIPC_GID2, KIPC_NO_GROUP);
	if (pid == 0) {
		struct kipc_nl nl;
		__u64 cid;

		umask(0);
		close(test_ioctl_create(KIPC_OBJ_SEM, self->name, 0604, &cid));
		ASSERT_EQ((ssize_t)sizeof(cid), write(idp[1], &cid, sizeof(cid)));
		/* An unprivileged caller may read too, on its own socket. */
		test_nl_open(&nl);
		ASSERT_EQ(0, kipc_nl_obj_get(&nl, cid, &m));
		ASSERT_EQ(0604ULL, m.val[KIPC_A_OBJ_MODE]);
		_exit(0);
	}
	test_wait_child(pid);
	ASSERT_EQ((ssize_t)sizeof(id), read(idp[0], &id, sizeof(id)));
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &m));
	ASSERT_EQ((__u64)KIPC_UID1, m.val[KIPC_A_OBJ_UID]);
	ASSERT_EQ((__u64)KIPC_GID2, m.val[KIPC_A_OBJ_GID]);
	ASSERT_EQ((__u64)KIPC_UID1, m.val[KIPC_A_OBJ_CUID]);
	ASSERT_EQ((__u64)KIPC_GID2, m.val[KIPC_A_OBJ_CGID]);
	ASSERT_EQ((__u64)pid, m.val[KIPC_A_OBJ_CPID]);
	test_ioctl_unlink(KIPC_OBJ_SEM, self->name);
	ASSERT_EQ(-ENOENT, kipc_nl_obj_get(&self->nl, id, &m));
	close(idp[0]);
	close(idp[1]);
}

TEST_F(nl, obj_get_missing)
{
	struct kipc_nl_msg m;
	__u64 id;

	ASSERT_EQ(-ENOENT, kipc_nl_obj_get(&self->nl, 0, &m));
	ASSERT_EQ(-ENOENT, kipc_nl_obj_get(&self->nl, UINT64_MAX, &m));
	ASSERT_EQ(-ENOENT, kipc_nl_obj_get(&self->nl, 1ULL << 40, &m));
	close(test_ioctl_create(KIPC_OBJ_MQ, self->name, 0600, &id));
	ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, id, &m));
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	ASSERT_EQ(-ENOENT, kipc_nl_obj_get(&self->nl, id, &m));
	/* Ids are not reused. */
	close(test_ioctl_create(KIPC_OBJ_MQ, self->name, 0600, NULL));
	ASSERT_EQ(-ENOENT, kipc_nl_obj_get(&self->nl, id, &m));
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

/* Malformed requests: the policies are strict. */
TEST_F(nl, bad_requests)
{
	struct kipc_nl_req req;
	struct kipc_nl_msg m;
	__u32 id32 = 1;
	__u64 id = 1;

	/* A get needs the id. */
	kipc_nl_req_init(&self->nl, &req, self->nl.family, 0,
			 KIPC_CMD_OBJ_GET, KIPC_GENL_VERSION);
	ASSERT_EQ(0, kipc_nl_send(&self->nl, &req));
	ASSERT_EQ(-EINVAL, kipc_nl_recv(&self->nl, self->nl.family, &m, 1,
					NULL));

	/* The id is a u64. */
	kipc_nl_req_init(&self->nl, &req, self->nl.family, 0,
			 KIPC_CMD_OBJ_GET, KIPC_GENL_VERSION);
	kipc_nl_put_attr(&req.nlh, KIPC_A_OBJ_ID, &id32, sizeof(id32));
	ASSERT_EQ(0, kipc_nl_send(&self->nl, &req));
	ASSERT_EQ(-EINVAL, kipc_nl_recv(&self->nl, self->nl.family, &m, 1,
					NULL));

	/* An attribute the request does not take. */
	kipc_nl_req_init(&self->nl, &req, self->nl.family, 0,
			 KIPC_CMD_OBJ_GET, KIPC_GENL_VERSION);
	kipc_nl_put_attr(&req.nlh, KIPC_A_OBJ_ID, &id, sizeof(id));
	kipc_nl_put_attr(&req.nlh, KIPC_A_OBJ_SEM_VALUE, &id32, sizeof(id32));
	ASSERT_EQ(0, kipc_nl_send(&self->nl, &req));
	ASSERT_EQ(-EINVAL, kipc_nl_recv(&self->nl, self->nl.family, &m, 1,
					NULL));

	/* Commands the family does not have. */
	kipc_nl_req_init(&self->nl, &req, self->nl.family, 0, 0 /* no command */,
			 KIPC_GENL_VERSION);
	ASSERT_EQ(0, kipc_nl_send(&self->nl, &req));
	ASSERT_EQ(-EOPNOTSUPP, kipc_nl_recv(&self->nl, self->nl.family, &m, 1,
					    NULL));
	kipc_nl_req_init(&self->nl, &req, self->nl.family, 0,
			 KIPC_CMD_MAX + 1, KIPC_GENL_VERSION);
	ASSERT_EQ(0, kipc_nl_send(&self->nl, &req));
	ASSERT_EQ(-EOPNOTSUPP, kipc_nl_recv(&self->nl, self->nl.family, &m, 1,
					    NULL));
}

/* In a fresh namespace the dump is exactly what was made there. */
TEST_F(nl, dump_exact)
{
	pid_t pid;

	pid = test_fork_newipc();
	if (pid == 0) {
		char n[KIPC_NAME_MAX + 16];
		__u64 ids[6];
		__u32 types[6];
		int fds[6], i, count;

		ASSERT_EQ(0, test_dump());
		for (i = 0; i < 6; i++) {
			types[i] = kipc_types[i % KIPC_NR_TYPES];
			nth(n, i);
			fds[i] = test_ioctl_create(types[i], n, 0600, &ids[i]);
		}
		/* Unlinked but open: still an object, still listed. */
		nth(n, 5);
		test_ioctl_unlink(types[5], n);

		count = test_dump();
		ASSERT_EQ(6, count);
		for (i = 0; i < 6; i++) {
			const struct kipc_nl_msg *m;

			m = kipc_nl_find(self->msgs, count, ids[i]);
			ASSERT_NE(NULL, m);
			nth(n, i);
			ASSERT_STREQ(n, m->name);
			ASSERT_EQ(types[i], m->val[KIPC_A_OBJ_TYPE]);
			ASSERT_EQ(ipc_ns_inode(), m->val[KIPC_A_OBJ_NS]);
			ASSERT_EQ(i == 5 ? (__u64)KIPC_STATE_UNLINKED : 0ULL,
				  m->val[KIPC_A_OBJ_STATE]);
		}
		/* In id order. */
		for (i = 1; i < count; i++)
			ASSERT_LT(self->msgs[i - 1].val[KIPC_A_OBJ_ID],
				  self->msgs[i].val[KIPC_A_OBJ_ID]);

		for (i = 0; i < 6; i++)
			close(fds[i]);
		ASSERT_EQ(5, test_dump());
		for (i = 0; i < 5; i++) {
			nth(n, i);
			test_ioctl_unlink(types[i], n);
		}
		ASSERT_EQ(0, test_dump());
		_exit(0);
	}
	test_wait_child(pid);
}

/* More objects than one message buffer holds: the dump resumes correctly. */
TEST_F(nl, dump_many)
{
	pid_t pid;

	pid = test_fork_newipc();
	if (pid == 0) {
		enum { N = 600 };
		char n[KIPC_NAME_MAX + 16];
		__u64 ids[N];
		int i, count;

		for (i = 0; i < N; i++) {
			nth(n, i);
			close(test_ioctl_create(KIPC_OBJ_SEM, n, 0600, &ids[i]));
		}
		count = test_dump();
		ASSERT_EQ(N, count);
		for (i = 0; i < N; i++)
			ASSERT_NE(NULL, kipc_nl_find(self->msgs, count, ids[i]));
		for (i = 1; i < count; i++)
			ASSERT_LT(self->msgs[i - 1].val[KIPC_A_OBJ_ID],
				  self->msgs[i].val[KIPC_A_OBJ_ID]);
		for (i = 0; i < N; i++) {
			nth(n, i);
			test_ioctl_unlink(KIPC_OBJ_SEM, n);
		}
		ASSERT_EQ(0, test_dump());
		_exit(0);
	}
	test_wait_child(pid);
}

/* Neither side of a namespace boundary sees the other's objects. */
TEST_F(nl, namespaces_are_separate)
{
	int to_parent[2], to_child[2], count;
	struct kipc_nl_msg m;
	__u64 pid_id, cid = 0;
	pid_t pid;
	char c = 0;

	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));
	close(test_ioctl_create(KIPC_OBJ_MQ, self->name, 0600, &pid_id));

	pid = test_fork_newipc();
	if (pid == 0) {
		int n;

		close(to_parent[0]);
		close(to_child[1]);
		close(test_ioctl_create(KIPC_OBJ_MQ, self->name, 0600, &cid));
		ASSERT_EQ(-ENOENT, kipc_nl_obj_get(&self->nl, pid_id, &m));
		ASSERT_EQ(0, kipc_nl_obj_get(&self->nl, cid, &m));
		ASSERT_EQ(ipc_ns_inode(), m.val[KIPC_A_OBJ_NS]);
		n = test_dump();
		ASSERT_EQ(1, n);
		ASSERT_EQ(cid, self->msgs[0].val[KIPC_A_OBJ_ID]);
		ASSERT_EQ((ssize_t)sizeof(cid),
			  write(to_parent[1], &cid, sizeof(cid)));
		ASSERT_EQ(0, (int)read(to_child[0], &c, 1));
		test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
		_exit(0);
	}
	close(to_parent[1]);
	close(to_child[0]);
	ASSERT_EQ((ssize_t)sizeof(cid), read(to_parent[0], &cid, sizeof(cid)));
	ASSERT_EQ(-ENOENT, kipc_nl_obj_get(&self->nl, cid, &m));
	count = test_dump();
	ASSERT_NE(NULL, kipc_nl_find(self->msgs, count, pid_id));
	ASSERT_EQ(NULL, kipc_nl_find(self->msgs, count, cid));
	/* Every object dumped here is of this namespace. */
	while (count--)
		ASSERT_EQ(ipc_ns_inode(), self->msgs[count].val[KIPC_A_OBJ_NS]);
	close(to_child[1]);
	test_wait_child(pid);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	close(to_parent[0]);
}

TEST_F(nl, stats_per_type)
{
	pid_t pid;

	pid = test_fork_newipc();
	if (pid == 0) {
		long psz = sysconf(_SC_PAGESIZE);
		struct kipc_nl_msg st, st2;
		char n[KIPC_NAME_MAX + 16];
		union kipc_attr a;
		int i, keep;

		ASSERT_EQ(0, kipc_nl_stats_get(&self->nl, &st));
		ASSERT_EQ((__u8)KIPC_CMD_STATS_GET, st.cmd);
		ASSERT_EQ((__u64)KIPC_ABI_VERSION,
			  st.val[KIPC_A_STATS_ABI_VERSION]);
		ASSERT_TRUE(st.has[KIPC_A_STATS_MQS]);
		ASSERT_EQ(0ULL, st.val[KIPC_A_STATS_MQS]);
		ASSERT_EQ(0ULL, st.val[KIPC_A_STATS_SHMS]);
		ASSERT_EQ(0ULL, st.val[KIPC_A_STATS_SEMS]);
		ASSERT_EQ(0ULL, st.val[KIPC_A_STATS_NS_OBJECTS]);
		ASSERT_EQ(0ULL, st.val[KIPC_A_STATS_NS_BYTES]);

		/* 2 queues, 1 region, 3 semaphores. */
		a = (union kipc_attr){ .mq = { .max_msgs = 3, .max_msgsize = 100 } };
		nth(n, 0);
		close(test_ioctl_open(KIPC_OBJ_MQ, n, KIPC_NEW, 0600, &a,
				      NULL, NULL));
		a = (union kipc_attr){ .mq = { .max_msgs = 1, .max_msgsize = 7 } };
		nth(n, 1);
		keep = test_ioctl_open(KIPC_OBJ_MQ, n, KIPC_NEW, 0600, &a,
				       NULL, NULL);
		a = (union kipc_attr){ .shm = { .size = psz + 1 } };
		nth(n, 2);
		close(test_ioctl_open(KIPC_OBJ_SHM, n, KIPC_NEW, 0600, &a,
				      NULL, NULL));
		for (i = 3; i < 6; i++) {
			nth(n, i);
			close(test_ioctl_create(KIPC_OBJ_SEM, n, 0600, NULL));
		}
		ASSERT_EQ(0, kipc_nl_stats_get(&self->nl, &st2));
		ASSERT_EQ(2ULL, st2.val[KIPC_A_STATS_MQS]);
		ASSERT_EQ(1ULL, st2.val[KIPC_A_STATS_SHMS]);
		ASSERT_EQ(3ULL, st2.val[KIPC_A_STATS_SEMS]);
		ASSERT_EQ(6ULL, st2.val[KIPC_A_STATS_NS_OBJECTS]);
		ASSERT_EQ((__u64)(300 + 7 + 2 * psz),
			  st2.val[KIPC_A_STATS_NS_BYTES]);
		/* The global count covers every namespace. */
		ASSERT_LE(6ULL, st2.val[KIPC_A_STATS_OBJECTS]);
		ASSERT_EQ(st.val[KIPC_A_STATS_OBJECTS] + 6,
			  st2.val[KIPC_A_STATS_OBJECTS]);

		/* Unlinked but open still counts; gone does not. */
		nth(n, 1);
		test_ioctl_unlink(KIPC_OBJ_MQ, n);
		nth(n, 3);
		test_ioctl_unlink(KIPC_OBJ_SEM, n);
		ASSERT_EQ(0, kipc_nl_stats_get(&self->nl, &st2));
		ASSERT_EQ(2ULL, st2.val[KIPC_A_STATS_MQS]);
		ASSERT_EQ(2ULL, st2.val[KIPC_A_STATS_SEMS]);
		ASSERT_EQ(5ULL, st2.val[KIPC_A_STATS_NS_OBJECTS]);
		close(keep);
		ASSERT_EQ(0, kipc_nl_stats_get(&self->nl, &st2));
		ASSERT_EQ(1ULL, st2.val[KIPC_A_STATS_MQS]);
		ASSERT_EQ(4ULL, st2.val[KIPC_A_STATS_NS_OBJECTS]);
		ASSERT_EQ((__u64)(300 + 2 * psz),
			  st2.val[KIPC_A_STATS_NS_BYTES]);
		_exit(0);
	}
	test_wait_child(pid);
}

/* The limits reported are the module parameters, read on every request. */
TEST_F(nl, stats_limits)
{
	static const struct {
		int attr;
		const char *param;
	} map[] = {
		{ KIPC_A_STATS_LIMIT_OBJECTS, "max_objects" },
		{ KIPC_A_STATS_LIMIT_BYTES, "max_bytes" },
		{ KIPC_A_STATS_LIMIT_UID_OBJECTS, "uid_max_objects" },
		{ KIPC_A_STATS_LIMIT_UID_BYTES, "uid_max_bytes" },
	};
	unsigned long long saved;
	struct kipc_nl_msg st;
	unsigned int i;

	ASSERT_EQ(0, kipc_nl_stats_get(&self->nl, &st));
	for (i = 0; i < ARRAY_SIZE(map); i++) {
		ASSERT_TRUE(st.has[map[i].attr]);
		ASSERT_EQ(test_param(map[i].param), st.val[map[i].attr]);
	}

	saved = test_param("max_objects");
	test_set_param("max_objects", saved + 7);
	ASSERT_EQ(0, kipc_nl_stats_get(&self->nl, &st));
	test_set_param("max_objects", saved);
	ASSERT_EQ(saved + 7, st.val[KIPC_A_STATS_LIMIT_OBJECTS]);
}

TEST_HARNESS_MAIN
