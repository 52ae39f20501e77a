// SPDX-License-Identifier: GPL-2.0-only
/*
 * The object fd is the handle: an object lives until it is unlinked and its
 * last fd is closed, and its fds survive dup(), fork() and SCM_RIGHTS. The
 * admin netlink family is the witness of whether an object still exists.
 */
#include "kipc_test.h"

FIXTURE(lifetime) {
	int fd;
	struct kipc_nl nl;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_VARIANT(lifetime) {
	__u32 type;
};

FIXTURE_VARIANT_ADD(lifetime, mq) {
	.type = KIPC_OBJ_MQ,
};

FIXTURE_VARIANT_ADD(lifetime, shm) {
	.type = KIPC_OBJ_SHM,
};

FIXTURE_VARIANT_ADD(lifetime, sem) {
	.type = KIPC_OBJ_SEM,
};

FIXTURE_SETUP(lifetime)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->name, kipc_type_name(variant->type));
}

FIXTURE_TEARDOWN(lifetime)
{
	close(self->nl.fd);
	close(self->fd);
}

/* Does the admin interface know object @id, and in which state? */
#define test_nl_state(_id)						\
	({								\
		struct kipc_nl_msg __m;					\
		int __r = kipc_nl_obj_get(&self->nl, _id, &__m);	\
		if (__r == 0) {						\
			ASSERT_EQ(_id, __m.val[KIPC_A_OBJ_ID]);		\
			ASSERT_TRUE(__m.has[KIPC_A_OBJ_STATE]);		\
		} else {						\
			ASSERT_EQ(-ENOENT, __r);			\
		}							\
		__r == 0 ? (int)__m.val[KIPC_A_OBJ_STATE] : -ENOENT;	\
	})

/* Is @id in a dump of our namespace? */
#define test_nl_dumped(_id)						\
	({								\
		struct kipc_nl_msg *__msgs = calloc(4096, sizeof(*__msgs)); \
		int __n;						\
		bool __found;						\
									\
		ASSERT_NE(NULL, __msgs);				\
		__n = kipc_nl_obj_dump(&self->nl, __msgs, 4096);	\
		ASSERT_LE(0, __n);					\
		ASSERT_GE(4096, __n);					\
		__found = kipc_nl_find(__msgs, __n, _id) != NULL;	\
		free(__msgs);						\
		__found;						\
	})

/* Unlinked while open: the object lives on, nameless, until the last close. */
TEST_F(lifetime, outlives_unlink)
{
	struct kipc_info info;
	__u64 id;
	int ofd;

	ofd = test_ioctl_create(variant->type, self->name, 0600, &id);
	ASSERT_EQ(0, test_nl_state(id));
	test_ioctl_unlink(variant->type, self->name);

	test_ioctl_info(ofd, &info);
	ASSERT_EQ(id, info.out_id);
	ASSERT_EQ(KIPC_STATE_UNLINKED, info.out_state);
	ASSERT_STREQ(self->name, info.out_name);
	test_err_open(ENOENT, variant->type, self->name, KIPC_RW, 0, NULL);
	ASSERT_EQ((int)KIPC_STATE_UNLINKED, test_nl_state(id));
	ASSERT_TRUE(test_nl_dumped(id));

	close(ofd);
	ASSERT_EQ(-ENOENT, test_nl_state(id));
	ASSERT_FALSE(test_nl_dumped(id));
}

/*
 * The fd cannot be reopened through /proc into another access mode (ENXIO,
 * as for anonymous inodes), and /proc names it as it always has.
 */
TEST_F(lifetime, proc_fd_cannot_reopen)
{
	char path[64], link[64], want[32];
	ssize_t len;
	__u64 id;
	int ofd;

	ofd = test_ioctl_create(variant->type, self->name, 0600, &id);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", ofd);
	len = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, len);
	link[len] = '\0';
	snprintf(want, sizeof(want), "anon_inode:kipc-%s",
		 kipc_type_name(variant->type));
	ASSERT_STREQ(want, link);
	ASSERT_EQ(-1, open(path, O_RDONLY | O_CLOEXEC));
	ASSERT_EQ(ENXIO, errno);
	ASSERT_EQ(-1, open(path, O_RDWR | O_CLOEXEC));
	ASSERT_EQ(ENXIO, errno);
	close(ofd);
	test_ioctl_unlink(variant->type, self->name);
}

/* Named and closed: the object stays until unlinked. */
TEST_F(lifetime, named_survives_close)
{
	__u64 id;
	int ofd;

	ofd = test_ioctl_create(variant->type, self->name, 0600, &id);
	close(ofd);
	ASSERT_EQ(0, test_nl_state(id));
	ASSERT_TRUE(test_nl_dumped(id));
	ofd = test_ioctl_open(variant->type, self->name, KIPC_OPEN_READ, 0,
			      NULL, NULL, NULL);
	ASSERT_EQ(id, test_obj_id(ofd));
	close(ofd);

	/* No fd holds it: unlinking frees it at once. */
	test_ioctl_unlink(variant->type, self->name);
	ASSERT_EQ(-ENOENT, test_nl_state(id));
	ASSERT_FALSE(test_nl_dumped(id));
}

/* Every fd counts, whichever way it was made. */
TEST_F(lifetime, last_of_many_fds)
{
	int ofd, ofd2, dupfd;
	__u64 id;

	ofd = test_ioctl_create(variant->type, self->name, 0600, &id);
	ofd2 = test_ioctl_open(variant->type, self->name, KIPC_OPEN_READ, 0,
			       NULL, NULL, NULL);
	dupfd = dup(ofd);
	ASSERT_LE(0, dupfd);
	test_ioctl_unlink(variant->type, self->name);

	close(ofd);
	ASSERT_EQ((int)KIPC_STATE_UNLINKED, test_nl_state(id));
	ASSERT_EQ(id, test_obj_id(dupfd));
	close(dupfd);
	ASSERT_EQ((int)KIPC_STATE_UNLINKED, test_nl_state(id));
	ASSERT_EQ(id, test_obj_id(ofd2));
	close(ofd2);
	ASSERT_EQ(-ENOENT, test_nl_state(id));
}

/* Failed creates leave nothing behind that the accounting would see. */
TEST_F(lifetime, failed_create_leaves_nothing)
{
	static const int counted[] = {
		KIPC_A_STATS_MQS, KIPC_A_STATS_SHMS, KIPC_A_STATS_SEMS,
		KIPC_A_STATS_NS_OBJECTS, KIPC_A_STATS_NS_BYTES,
	};
	union kipc_attr attr = kipc_attr_of(variant->type);
	struct kipc_nl_msg before, after;
	struct kipc_open *op;
	unsigned int i;
	void *page;
	int ofd;

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	op = page;
	op->size = sizeof(*op);
	op->flags = KIPC_NEW;
	op->type = variant->type;
	op->mode = 0600;
	op->name = (uintptr_t)self->name;
	op->attr = attr;
	ASSERT_EQ(0, mprotect(page, 4096, PROT_READ));

	ASSERT_EQ(0, kipc_nl_stats_get(&self->nl, &before));
	/* Published, then taken back when the reply cannot be written. */
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, KIPC_IOC_OPEN, op));
	/* Out of range for every type: no messages, no size, too high. */
	memset(&attr, 0, sizeof(attr));
	if (variant->type == KIPC_OBJ_SEM)
		attr.sem.value = KIPC_SEM_VALUE_MAX + 1;
	test_err_open(EINVAL, variant->type, self->name, KIPC_NEW, 0600,
		      &attr);
	ASSERT_EQ(0, kipc_nl_stats_get(&self->nl, &after));
	for (i = 0; i < ARRAY_SIZE(counted); i++) {
		ASSERT_TRUE(after.has[counted[i]]);
		ASSERT_EQ(before.val[counted[i]], after.val[counted[i]]);
	}

	/* A successful one is counted, and uncounted when it goes. */
	ofd = test_ioctl_create(variant->type, self->name, 0600, NULL);
	ASSERT_EQ(0, kipc_nl_stats_get(&self->nl, &after));
	ASSERT_EQ(before.val[KIPC_A_STATS_NS_OBJECTS] + 1,
		  after.val[KIPC_A_STATS_NS_OBJECTS]);
	close(ofd);
	test_ioctl_unlink(variant->type, self->name);
	ASSERT_EQ(0, kipc_nl_stats_get(&self->nl, &after));
	for (i = 0; i < ARRAY_SIZE(counted); i++)
		ASSERT_EQ(before.val[counted[i]], after.val[counted[i]]);
	munmap(page, 4096);
}

/* The child inherits the fd and uses it; the object outlives the parent's fd. */
TEST_F(lifetime, inherited_by_fork)
{
	struct kipc_info info;
	int ofd, to_child[2], to_parent[2];
	__u64 id;
	pid_t pid;
	char c = 0;

	ofd = test_ioctl_create(variant->type, self->name, 0600, &id);
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(to_parent));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		test_ioctl_info(ofd, &info);
		ASSERT_EQ(id, info.out_id);
		ASSERT_EQ(0U, info.out_state);
		ASSERT_EQ(1, (int)write(to_parent[1], &c, 1));
		/* Wait for the parent to unlink and close its copy. */
		ASSERT_EQ(0, (int)read(to_child[0], &c, 1));
		test_ioctl_info(ofd, &info);
		ASSERT_EQ(id, info.out_id);
		ASSERT_EQ(KIPC_STATE_UNLINKED, info.out_state);
		close(ofd);
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	ASSERT_EQ(1, (int)read(to_parent[0], &c, 1));
	test_ioctl_unlink(variant->type, self->name);
	close(ofd);
	/* The child's copy keeps it. */
	ASSERT_EQ((int)KIPC_STATE_UNLINKED, test_nl_state(id));
	close(to_child[1]);
	test_wait_child(pid);
	ASSERT_EQ(-ENOENT, test_nl_state(id));
	close(to_parent[0]);
}

/* An exiting process closes its fds, and with them its objects. */
TEST_F(lifetime, closed_on_exit)
{
	__u64 id = 0;
	pid_t pid;
	int idpipe[2];

	ASSERT_EQ(0, pipe(idpipe));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		__u64 cid;
		int ofd;

		ofd = test_ioctl_create(variant->type, self->name, 0600, &cid);
		test_ioctl_unlink(variant->type, self->name);
		ASSERT_EQ((ssize_t)sizeof(cid),
			  write(idpipe[1], &cid, sizeof(cid)));
		/* Exit with the fd still open. */
		(void)ofd;
		_exit(0);
	}
	close(idpipe[1]);
	ASSERT_EQ((ssize_t)sizeof(id), read(idpipe[0], &id, sizeof(id)));
	test_wait_child(pid);
	ASSERT_EQ(-ENOENT, test_nl_state(id));
	close(idpipe[0]);
}

/*
 * Passed over SCM_RIGHTS to a process that never opened the object: the fd
 * works there, keeps the object alive, and grants what the sender had.
 */
TEST_F(lifetime, passed_over_scm_rights)
{
	struct kipc_info info;
	int sv[2], ofd;
	__u64 id;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int rfd;
		char c = 0;

		close(sv[0]);
		/* Someone who could not open it by name. */
		test_become(KIPC_UID2, KIPC_GID2, KIPC_NO_GROUP);
		rfd = kipc_recv_fd(sv[1]);
		ASSERT_LE(0, rfd);
		test_ioctl_info(rfd, &info);
		ASSERT_STREQ(self->name, info.out_name);
		ASSERT_EQ((__u32)KIPC_OPEN_READ, info.out_open_flags);
		ASSERT_EQ(O_RDONLY, fcntl(rfd, F_GETFL) & O_ACCMODE);
		test_err_open(EACCES, variant->type, self->name,
			      KIPC_OPEN_READ, 0, NULL);
		/* Tell the parent, which now drops its own reference. */
		ASSERT_EQ(1, (int)write(sv[1], &info.out_id, 1));
		ASSERT_EQ(1, (int)read(sv[1], &c, 1));
		test_ioctl_info(rfd, &info);
		ASSERT_EQ(KIPC_STATE_UNLINKED, info.out_state);
		close(rfd);
		_exit(0);
	}
	close(sv[1]);
	ofd = test_ioctl_create(variant->type, self->name, 0600, &id);
	close(ofd);
	ofd = test_ioctl_open(variant->type, self->name, KIPC_OPEN_READ, 0,
			      NULL, NULL, NULL);
	ASSERT_EQ(0, kipc_send_fd(sv[0], ofd));
	close(ofd);
	{
		char c;

		ASSERT_EQ(1, (int)read(sv[0], &c, 1));
		test_ioctl_unlink(variant->type, self->name);
		/* Only the receiver's fd holds it now. */
		ASSERT_EQ((int)KIPC_STATE_UNLINKED, test_nl_state(id));
		ASSERT_EQ(1, (int)write(sv[0], &c, 1));
	}
	test_wait_child(pid);
	ASSERT_EQ(-ENOENT, test_nl_state(id));
	close(sv[0]);
}

/* An fd sent but never received still holds the object. */
TEST_F(lifetime, in_flight_fd_holds_object)
{
	int sv[2], ofd;
	__u64 id;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	ofd = test_ioctl_create(variant->type, self->name, 0600, &id);
	ASSERT_EQ(0, kipc_send_fd(sv[0], ofd));
	close(ofd);
	test_ioctl_unlink(variant->type, self->name);
	ASSERT_EQ((int)KIPC_STATE_UNLINKED, test_nl_state(id));

	ofd = kipc_recv_fd(sv[1]);
	ASSERT_LE(0, ofd);
	ASSERT_EQ(id, test_obj_id(ofd));
	ASSERT_EQ(0, kipc_send_fd(sv[0], ofd));
	close(ofd);
	/* Closing both ends drops the message and the fd in it. */
	close(sv[0]);
	close(sv[1]);
	ASSERT_EQ(-ENOENT, test_nl_state(id));
}

/*
 * Churn: processes open (creating as needed), unlink and close the same few
 * names while another dumps and gets them over netlink. Every call must
 * give one of its documented results, and when all is closed and unlinked
 * nothing may be left. The kernel's debug options catch the rest.
 */
TEST(churn)
{
	enum { PROCS = 3, ROUNDS = 300, NAMES = 3 };
	char base[KIPC_NAME_MAX + 1];
	pid_t pids[PROCS + 1], pid;
	int i, fd;

	test_name(base, "churn");
	pid = test_fork_newipc();
	if (pid == 0) {
		int stop[2];

		fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, pipe(stop));
		for (i = 0; i < PROCS; i++) {
			pids[i] = fork();
			ASSERT_LE(0, pids[i]);
			if (pids[i] == 0) {
				unsigned int seed = getpid();
				char n[KIPC_NAME_MAX + 16];
				int r;

				for (r = 0; r < ROUNDS; r++) {
					__u32 type = kipc_types[rand_r(&seed) %
								KIPC_NR_TYPES];
					union kipc_attr attr = kipc_attr_of(type);
					struct kipc_info info;
					__u64 id;
					int ofd;

					snprintf(n, sizeof(n), "%s.%d", base,
						 rand_r(&seed) % NAMES);
					ofd = _test_cmd_open(fd, type, n,
							     KIPC_RW |
							     KIPC_OPEN_CREATE,
							     0600, &attr, &id,
							     NULL);
					ASSERT_LE(0, ofd);
					ASSERT_EQ(0, _test_cmd_info(ofd, &info));
					ASSERT_EQ(id, info.out_id);
					ASSERT_EQ(type, info.out_type);
					ASSERT_STREQ(n, info.out_name);
					if (rand_r(&seed) & 1 &&
					    _test_cmd_unlink(fd, type, n))
						ASSERT_EQ(ENOENT, errno);
					close(ofd);
				}
				_exit(0);
			}
		}
		pids[PROCS] = fork();
		ASSERT_LE(0, pids[PROCS]);
		if (pids[PROCS] == 0) {
			struct kipc_nl_msg *msgs = calloc(64, sizeof(*msgs));
			struct kipc_nl nl;
			int n, j;
			char c;

			ASSERT_NE(NULL, msgs);
			close(stop[1]);
			test_nl_open(&nl);
			/* Until the others are done: read() then sees EOF. */
			ASSERT_EQ(0, fcntl(stop[0], F_SETFL, O_NONBLOCK));
			while (read(stop[0], &c, 1) < 0 && errno == EAGAIN) {
				n = kipc_nl_obj_dump(&nl, msgs, 64);
				ASSERT_LE(0, n);
				ASSERT_GE(3 * NAMES + PROCS, n);
				for (j = 0; j < n; j++) {
					struct kipc_nl_msg m;
					int ret;

					ASSERT_EQ(0, strncmp(msgs[j].name, base,
							     strlen(base)));
					ret = kipc_nl_obj_get(&nl,
						msgs[j].val[KIPC_A_OBJ_ID], &m);
					if (ret)
						ASSERT_EQ(-ENOENT, ret);
				}
			}
			_exit(0);
		}
		close(stop[0]);
		for (i = 0; i < PROCS; i++)
			test_wait_child(pids[i]);
		close(stop[1]);
		test_wait_child(pids[PROCS]);

		/* Unlink what is left: then nothing may remain. */
		for (i = 0; i < NAMES; i++) {
			char n[KIPC_NAME_MAX + 16];
			unsigned int t;

			snprintf(n, sizeof(n), "%s.%d", base, i);
			for (t = 0; t < KIPC_NR_TYPES; t++)
				if (_test_cmd_unlink(fd, kipc_types[t], n))
					ASSERT_EQ(ENOENT, errno);
		}
		{
			struct kipc_nl_msg st;
			struct kipc_nl nl;

			test_nl_open(&nl);
			ASSERT_EQ(0, kipc_nl_obj_dump(&nl, &st, 1));
			ASSERT_EQ(0, kipc_nl_stats_get(&nl, &st));
			ASSERT_EQ(0ULL, st.val[KIPC_A_STATS_NS_OBJECTS]);
			ASSERT_EQ(0ULL, st.val[KIPC_A_STATS_NS_BYTES]);
		}
		_exit(0);
	}
	test_wait_child(pid);
}

TEST_HARNESS_MAIN
