// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/PID/fdinfo/N of an object fd says what the fd is: the kipc-*
 * lines of kipc(7), each checked against what the object really is. Who
 * may read another process's fdinfo is /proc's own ptrace check, which
 * kipc does not loosen: a process of another uid cannot read it.
 */
#include <pthread.h>

#include "kipc_test.h"

/*
 * The value of line "@key:\t..." of fd @objfd's fdinfo in process @pid
 * (0: this one) into @val; returns 0, -ENOENT without such a line, or
 * -errno of the open.
 */
static int kipc_fdinfo_get(pid_t pid, int objfd, const char *key, char *val,
			   size_t size)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	int ret = -ENOENT;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid,
			 objfd);
	else
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", objfd);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != ':' ||
		    line[klen + 1] != '\t')
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(val, size, "%s", line + klen + 2);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

#define test_fdinfo(_objfd, _key)					\
	({								\
		static char __v[256];					\
		ASSERT_EQ(0, kipc_fdinfo_get(0, _objfd, _key, __v,	\
					     sizeof(__v)))		\
			TH_LOG("fdinfo line %s", _key);			\
		__v;							\
	})

#define test_fdinfo_u64(_objfd, _key)					\
	strtoull(test_fdinfo(_objfd, _key), NULL, 0)
/* The small numbers: counts, sizes, masks. */
#define test_fdinfo_num(_objfd, _key)					\
	((int)strtol(test_fdinfo(_objfd, _key), NULL, 0))

/* The inode number of this process's IPC namespace. */
static unsigned long long kipc_ipc_ns_ino(void)
{
	struct stat st;

	if (stat("/proc/self/ns/ipc", &st))
		return 0;
	return st.st_ino;
}

FIXTURE(fdinfo) {
	int fd;
	struct kipc_nl nl;
	char name[KIPC_NAME_MAX + 1];
	__u32 type;
};

FIXTURE_SETUP(fdinfo)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->name, "fdinfo");
	self->type = KIPC_OBJ_MQ;
}

FIXTURE_TEARDOWN(fdinfo)
{
	_test_cmd_unlink(self->fd, self->type, self->name);
	close(self->nl.fd);
	close(self->fd);
}

/* The common lines, for each type, and the state as the name goes. */
TEST_F(fdinfo, common)
{
	char id[32], ns[32];
	unsigned int i;

	snprintf(ns, sizeof(ns), "%llu", kipc_ipc_ns_ino());
	for (i = 0; i < KIPC_NR_TYPES; i++) {
		__u64 obj_id;
		int ofd, rfd;

		self->type = kipc_types[i];
		ofd = test_ioctl_create(self->type, self->name, 0600, &obj_id);
		snprintf(id, sizeof(id), "%llu", (unsigned long long)obj_id);

		ASSERT_STREQ(kipc_type_name(self->type),
			     test_fdinfo(ofd, "kipc-type"));
		ASSERT_STREQ(id, test_fdinfo(ofd, "kipc-id"));
		ASSERT_STREQ(self->name, test_fdinfo(ofd, "kipc-name"));
		ASSERT_STREQ(ns, test_fdinfo(ofd, "kipc-ipc-ns"));
		ASSERT_STREQ("read,write", test_fdinfo(ofd, "kipc-open-flags"));
		ASSERT_STREQ("linked", test_fdinfo(ofd, "kipc-state"));

		/* Each description says its own access. */
		rfd = test_ioctl_open(self->type, self->name, KIPC_OPEN_READ,
				      0, NULL, NULL, NULL);
		ASSERT_STREQ("read", test_fdinfo(rfd, "kipc-open-flags"));
		close(rfd);
		rfd = test_ioctl_open(self->type, self->name, KIPC_OPEN_WRITE,
				      0, NULL, NULL, NULL);
		ASSERT_STREQ("write", test_fdinfo(rfd, "kipc-open-flags"));
		ASSERT_STREQ(id, test_fdinfo(rfd, "kipc-id"));
		close(rfd);

		test_ioctl_unlink(self->type, self->name);
		ASSERT_STREQ("unlinked", test_fdinfo(ofd, "kipc-state"));
		/* The name is kept after unlink, as KIPC_IOC_INFO keeps it. */
		ASSERT_STREQ(self->name, test_fdinfo(ofd, "kipc-name"));
		close(ofd);
	}
}

/* An administrator's remove shows, and the fd's fdinfo still reads. */
TEST_F(fdinfo, removed)
{
	__u64 id;
	int qfd;

	qfd = test_mq_create(self->name, 4, 64);
	id = test_obj_id(qfd);
	test_ioctl_mq_send(qfd, "x", 1, 0);
	test_nl_obj_remove(&self->nl, id);
	ASSERT_STREQ("removed", test_fdinfo(qfd, "kipc-state"));
	ASSERT_EQ(id, test_fdinfo_u64(qfd, "kipc-id"));
	ASSERT_STREQ("mq", test_fdinfo(qfd, "kipc-type"));
	close(qfd);
}

struct kipc_fdinfo_reader {
	int objfd;
	volatile bool stop;
	int reads, bad;
};

static void *kipc_fdinfo_read_fn(void *arg)
{
	struct kipc_fdinfo_reader *r = arg;
	char val[64];

	while (!r->stop) {
		if (kipc_fdinfo_get(0, r->objfd, "kipc-state", val,
				    sizeof(val)) ||
		    (strcmp(val, "linked") && strcmp(val, "removed")) ||
		    kipc_fdinfo_get(0, r->objfd, "kipc-mq-depth", val,
				    sizeof(val)))
			r->bad++;
		r->reads++;
	}
	return NULL;
}

/* Read while the queue is busy and then removed under the reader. */
TEST_F(fdinfo, concurrent_remove)
{
	struct kipc_fdinfo_reader r = { 0 };
	char buf[8];
	pthread_t th;
	int i, qfd;

	qfd = test_mq_create(self->name, 4, 8);
	r.objfd = qfd;
	ASSERT_EQ(0, pthread_create(&th, NULL, kipc_fdinfo_read_fn, &r));
	for (i = 0; i < 500; i++) {
		test_ioctl_mq_send(qfd, "abc", 3, 0);
		test_ioctl_mq_recv(qfd, buf, sizeof(buf), 3, 0);
	}
	test_nl_obj_remove(&self->nl, test_obj_id(qfd));
	usleep(10000);
	r.stop = true;
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_LT(0, r.reads);
	EXPECT_EQ(0, r.bad);
	ASSERT_STREQ("removed", test_fdinfo(qfd, "kipc-state"));
	close(qfd);
}

TEST_F(fdinfo, mq_depth)
{
	char buf[64];
	int qfd;

	qfd = test_mq_create(self->name, 5, 48);
	ASSERT_EQ(0, test_fdinfo_num(qfd, "kipc-mq-depth"));
	ASSERT_EQ(5, test_fdinfo_num(qfd, "kipc-mq-max-msgs"));
	ASSERT_EQ(48, test_fdinfo_num(qfd, "kipc-mq-max-msgsize"));
	ASSERT_STREQ("0x0", test_fdinfo(qfd, "kipc-mq-flags"));
	test_ioctl_mq_send(qfd, "one", 3, 1);
	test_ioctl_mq_send(qfd, "two", 3, 2);
	test_ioctl_mq_send(qfd, "three", 5, 0);
	ASSERT_EQ(3, test_fdinfo_num(qfd, "kipc-mq-depth"));
	/* The highest priority first: "two". */
	test_ioctl_mq_recv(qfd, buf, sizeof(buf), 3, 2);
	ASSERT_EQ(2, test_fdinfo_num(qfd, "kipc-mq-depth"));
	ASSERT_EQ((int)test_mq_depth(qfd), test_fdinfo_num(qfd, "kipc-mq-depth"));
	close(qfd);
}

TEST_F(fdinfo, shm_size_seals)
{
	int sfd;

	self->type = KIPC_OBJ_SHM;
	sfd = test_shm_create(self->name, 3 * 4096, NULL);
	ASSERT_EQ(3 * 4096, test_fdinfo_num(sfd, "kipc-shm-size"));
	ASSERT_EQ(0, test_fdinfo_num(sfd, "kipc-shm-seals"));
	test_ioctl_shm_resize(sfd, 5000);
	ASSERT_EQ(5000, test_fdinfo_num(sfd, "kipc-shm-size"));
	test_ioctl_shm_seal(sfd, KIPC_SEAL_GROW | KIPC_SEAL_SHRINK);
	ASSERT_EQ(KIPC_SEAL_GROW | KIPC_SEAL_SHRINK,
		  test_fdinfo_num(sfd, "kipc-shm-seals"));
	ASSERT_STREQ("0x6", test_fdinfo(sfd, "kipc-shm-seals"));
	close(sfd);
}

/* The undo units are the description's own, not the semaphore's. */
TEST_F(fdinfo, sem_undo)
{
	int afd, bfd;

	self->type = KIPC_OBJ_SEM;
	afd = test_sem_create(self->name, 5, NULL);
	bfd = test_sem_reopen(self->name, KIPC_RW);
	ASSERT_EQ(5, test_fdinfo_num(afd, "kipc-sem-value"));
	ASSERT_EQ(0, test_fdinfo_num(afd, "kipc-sem-undo"));

	test_ioctl_sem_wait(afd, 2, KIPC_SEM_UNDO);
	test_ioctl_sem_wait(afd, 1, 0);
	test_ioctl_sem_wait(bfd, 1, KIPC_SEM_UNDO);
	ASSERT_EQ(1, test_fdinfo_num(afd, "kipc-sem-value"));
	ASSERT_EQ(2, test_fdinfo_num(afd, "kipc-sem-undo"));
	ASSERT_EQ(1, test_fdinfo_num(bfd, "kipc-sem-undo"));
	ASSERT_EQ((int)test_sem_undo(afd), test_fdinfo_num(afd, "kipc-sem-undo"));

	/* A post through the description pays its record back first. */
	test_ioctl_sem_post(afd, 1);
	ASSERT_EQ(1, test_fdinfo_num(afd, "kipc-sem-undo"));
	ASSERT_EQ(2, test_fdinfo_num(afd, "kipc-sem-value"));

	/* Closing B gives its unit back, and A's record is untouched. */
	close(bfd);
	ASSERT_EQ(3, test_fdinfo_num(afd, "kipc-sem-value"));
	ASSERT_EQ(1, test_fdinfo_num(afd, "kipc-sem-undo"));
	close(afd);
}

/*
 * A holder of uid 1 (dumpable again after its setresuid(), as a login
 * process is) keeps an object fd open: another process of uid 1 may read
 * its fdinfo, one of uid 2 may not (EACCES, /proc's ptrace check), and
 * neither may another uid's through a directory listing.
 */
TEST_F(fdinfo, other_user)
{
	int go[2], ready[2], status;
	char c, val[64];
	pid_t holder;
	int ofd;

	ofd = test_mq_create(self->name, 4, 64);
	close(ofd);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));

	holder = kipc_fork_tied();
	ASSERT_LE(0, holder);
	if (holder == 0) {
		struct kipc_open cmd = {
			.size = sizeof(cmd),
			.flags = KIPC_OPEN_READ,
			.type = KIPC_OBJ_MQ,
			.name = (uintptr_t)self->name,
		};
		int fd;

		close(go[1]);
		close(ready[0]);
		/* Root made it 0600: open it first, then drop to uid 1. */
		fd = ioctl(self->fd, KIPC_IOC_OPEN, &cmd);
		if (fd < 0 || kipc_become(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP) ||
		    prctl(PR_SET_DUMPABLE, 1))
			_exit(1);
		c = (char)fd;
		if (write(ready[1], &c, 1) != 1)
			_exit(2);
		(void)!read(go[0], &c, 1);
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));

	/* Root (CAP_SYS_PTRACE) reads it: the fd is what the holder has. */
	ASSERT_EQ(0, kipc_fdinfo_get(holder, c, "kipc-name", val,
				     sizeof(val)));
	ASSERT_STREQ(self->name, val);

	for (int uid = KIPC_UID1; uid <= KIPC_UID2; uid++) {
		pid_t reader = kipc_fork_tied();

		ASSERT_LE(0, reader);
		if (reader == 0) {
			char path[64];
			int ret;

			if (kipc_become(uid, uid, KIPC_NO_GROUP))
				_exit(10);
			ret = kipc_fdinfo_get(holder, c, "kipc-type", val,
					      sizeof(val));
			if (uid == KIPC_UID1)
				_exit(ret == 0 && !strcmp(val, "mq") ? 0 : 11);
			if (ret != -EACCES)
				_exit(12);
			snprintf(path, sizeof(path), "/proc/%d/fdinfo",
				 (int)holder);
			_exit(access(path, R_OK) == -1 && errno == EACCES ?
			      0 : 13);
		}
		ASSERT_EQ(reader, waitpid(reader, &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("reader uid %d", uid);
	}

	close(go[1]);
	ASSERT_EQ(holder, waitpid(holder, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(ready[0]);
}

/* The creation flags, as a mask of KIPC_MQ_* bits. */
TEST_F(fdinfo, mq_flags)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = 1, .max_msgsize = 1, .flags = KIPC_MQ_HUP },
	};
	int qfd;

	qfd = test_ioctl_open(KIPC_OBJ_MQ, self->name, KIPC_NEW, 0600, &attr,
			      NULL, NULL);
	ASSERT_STREQ("0x1", test_fdinfo(qfd, "kipc-mq-flags"));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	attr.mq.flags = KIPC_MQ_HUP | KIPC_MQ_CREDS;
	qfd = test_ioctl_open(KIPC_OBJ_MQ, self->name, KIPC_NEW, 0600, &attr,
			      NULL, NULL);
	ASSERT_STREQ("0x3", test_fdinfo(qfd, "kipc-mq-flags"));
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	attr.mq.flags = KIPC_MQ_REGIONS;
	qfd = test_ioctl_open(KIPC_OBJ_MQ, self->name, KIPC_NEW, 0600, &attr,
			      NULL, NULL);
	ASSERT_STREQ("0x10", test_fdinfo(qfd, "kipc-mq-flags"));
	close(qfd);
}

/* Every line kipc(7) lists, and nothing else of kipc's, for each type. */
TEST_F(fdinfo, documented_keys)
{
	static const char *const common[] = {
		"kipc-type", "kipc-id", "kipc-name", "kipc-ipc-ns",
		"kipc-open-flags", "kipc-state",
	};
	static const char *const per_type[][5] = {
		[KIPC_OBJ_MQ] = { "kipc-mq-depth", "kipc-mq-max-msgs",
				  "kipc-mq-max-msgsize", "kipc-mq-flags",
				  "kipc-mq-drops" },
		[KIPC_OBJ_SHM] = { "kipc-shm-size", "kipc-shm-seals",
				   "kipc-shm-ino" },
		[KIPC_OBJ_SEM] = { "kipc-sem-value", "kipc-sem-undo" },
	};
	unsigned int i, k;

	for (i = 0; i < KIPC_NR_TYPES; i++) {
		char path[64], line[256];
		unsigned int n = 0, want = ARRAY_SIZE(common);
		FILE *f;
		int ofd;

		self->type = kipc_types[i];
		ofd = test_ioctl_create(self->type, self->name, 0600, NULL);
		for (k = 0; k < 5 && per_type[self->type][k]; k++)
			want++;
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", ofd);
		f = fopen(path, "re");
		ASSERT_NE(NULL, f);
		while (fgets(line, sizeof(line), f)) {
			bool known = false;

			if (strncmp(line, "kipc-", 5))
				continue;
			line[strcspn(line, ":")] = '\0';
			for (k = 0; k < ARRAY_SIZE(common); k++)
				known |= !strcmp(line, common[k]);
			for (k = 0; k < 5 && per_type[self->type][k]; k++)
				known |= !strcmp(line, per_type[self->type][k]);
			EXPECT_TRUE(known) TH_LOG("undocumented %s", line);
			n++;
		}
		fclose(f);
		EXPECT_EQ(want, n);
		close(ofd);
		test_ioctl_unlink(self->type, self->name);
	}
}

TEST_HARNESS_MAIN
