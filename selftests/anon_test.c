// SPDX-License-Identifier: GPL-2.0-only
/*
 * Anonymous objects (KIPC_OPEN_ANON): created with no name, reached only
 * through their fds (fork, SCM_RIGHTS), destroyed with the last of them,
 * listed by the admin interface with an empty name, and charged and limited
 * as named objects are. The obj fixture runs every test for each type.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include "kipc_test.h"
#include "kipc_test_nl.h"

#define KIPC_ANON	(KIPC_RW | KIPC_OPEN_CREATE | KIPC_OPEN_ANON | \
			 KIPC_OPEN_CLOEXEC)

/* A new anonymous object of the variant's type; returns its fd. */
#define anon_open(_flags, _out_id, _out_flags)				\
	({								\
		int __fd = _test_cmd_open(self->fd, variant->type, NULL, \
					  _flags, 0600, &self->attr,	\
					  _out_id, _out_flags);		\
		ASSERT_LE(0, __fd) TH_LOG("anon: %s", strerror(errno));	\
		__fd;							\
	})

FIXTURE(anon) {
	int fd;
	union kipc_attr attr;
	struct kipc_nl nl;
};

FIXTURE_VARIANT(anon) {
	__u32 type;
};

FIXTURE_VARIANT_ADD(anon, mq) {
	.type = KIPC_OBJ_MQ,
};

FIXTURE_VARIANT_ADD(anon, shm) {
	.type = KIPC_OBJ_SHM,
};

FIXTURE_VARIANT_ADD(anon, sem) {
	.type = KIPC_OBJ_SEM,
};

FIXTURE_SETUP(anon)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->attr = kipc_attr_of(variant->type);
	test_nl_open(&self->nl);
}

FIXTURE_TEARDOWN(anon)
{
	close(self->nl.fd);
	close(self->fd);
}

/* The value of line "@key:\t" of /proc/self/fdinfo/@objfd into @val. */
static int fdinfo_get(int objfd, const char *key, char *val, size_t size)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", objfd);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(val, size, "%s", line + klen + 2);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

TEST_F(anon, create_info_fdinfo)
{
	struct kipc_info info;
	struct kipc_version ver;
	__u32 out_flags = 0;
	char val[64];
	__u64 id = 0;
	int ofd;

	test_ioctl_version(&ver);
	ASSERT_NE(0ULL, ver.out_features & KIPC_FEATURE_ANON);

	ofd = anon_open(KIPC_ANON, &id, &out_flags);
	EXPECT_EQ(KIPC_OPEN_OUT_CREATED, out_flags);
	EXPECT_NE(0ULL, id);
	test_ioctl_info(ofd, &info);
	EXPECT_EQ(id, info.out_id);
	EXPECT_EQ(variant->type, info.out_type);
	EXPECT_EQ(KIPC_STATE_ANON, info.out_state);
	EXPECT_EQ(KIPC_RW, info.out_open_flags);
	EXPECT_EQ('\0', info.out_name[0]);
	EXPECT_EQ(getuid(), info.out_uid);

	ASSERT_EQ(0, fdinfo_get(ofd, "kipc-name", val, sizeof(val)));
	EXPECT_STREQ("(anonymous)", val);
	ASSERT_EQ(0, fdinfo_get(ofd, "kipc-state", val, sizeof(val)));
	EXPECT_STREQ("anonymous", val);
	close(ofd);
}

/* Every call makes a new object; none of them is reached by a name. */
TEST_F(anon, always_new_never_named)
{
	__u64 id1 = 0, id2 = 0;
	int a, b;

	a = anon_open(KIPC_ANON, &id1, NULL);
	b = anon_open(KIPC_ANON, &id2, NULL);
	EXPECT_NE(id1, id2);
	/* The empty name stays invalid for opens and unlinks. */
	test_err_open(EINVAL, variant->type, "", KIPC_RW, 0, NULL);
	test_err_unlink(EINVAL, variant->type, "");
	close(a);
	close(b);
}

TEST_F(anon, bad_flags)
{
	union kipc_attr bad;

	/* Without CREATE there is nothing to open. */
	test_err_open(EINVAL, variant->type, NULL, KIPC_RW | KIPC_OPEN_ANON,
		      0600, &self->attr);
	/* EXCL asks for something no anonymous create can fail on. */
	test_err_open(EINVAL, variant->type, NULL,
		      KIPC_ANON | KIPC_OPEN_EXCL, 0600, &self->attr);
	/* A name with ANON is a mistake, not ignored. */
	test_err_open(EINVAL, variant->type, "anon", KIPC_ANON, 0600,
		      &self->attr);
	/* The attributes are checked as for a named create. */
	bad = self->attr;
	if (variant->type == KIPC_OBJ_MQ)
		bad.mq.max_msgs = 0;
	else if (variant->type == KIPC_OBJ_SHM)
		bad.shm.size = 0;
	else
		bad.sem.value = KIPC_SEM_VALUE_MAX + 1U;
	test_err_open(EINVAL, variant->type, NULL, KIPC_ANON, 0600, &bad);
	/* Neither READ nor WRITE. */
	test_err_open(EINVAL, variant->type, NULL,
		      KIPC_ANON & ~KIPC_RW, 0600, &self->attr);
	/* The bit above ANON is unknown. */
	test_err_open(EOPNOTSUPP, variant->type, NULL,
		      KIPC_ANON | (KIPC_OPEN_ANON << 1), 0600, &self->attr);
}

/*
 * Listed by id with its creator's pid while an fd holds it, gone with the
 * last fd, including one a child inherited.
 */
TEST_F(anon, listed_until_last_fd)
{
	struct kipc_nl_obj obj;
	__u64 id = 0;
	int ofd, status;
	pid_t pid;

	ofd = anon_open(KIPC_ANON & ~KIPC_OPEN_CLOEXEC, &id, NULL);
	test_nl_stat(&self->nl, id, &obj);
	EXPECT_EQ(KIPC_STATE_ANON, obj.val[KIPC_A_OBJ_STATE]);
	EXPECT_EQ((__u64)getpid(), obj.val[KIPC_A_OBJ_CPID]);
	EXPECT_EQ(variant->type, obj.val[KIPC_A_OBJ_TYPE]);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* The parent closes its fd; this one keeps the object. */
		struct kipc_info info;

		usleep(200000);
		_exit(_test_cmd_info(ofd, &info) || info.out_id != id);
	}
	close(ofd);
	test_nl_stat(&self->nl, id, &obj);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(-ENOENT, kipc_nl_obj_stat(&self->nl, id, &obj));
}

/* An administrator (here the owner) may remove it by id. */
TEST_F(anon, remove_by_id)
{
	struct kipc_nl_obj obj;
	struct kipc_info info;
	__u64 id = 0;
	int ofd;

	ofd = anon_open(KIPC_ANON, &id, NULL);
	test_nl_obj_remove(&self->nl, id);
	test_ioctl_info(ofd, &info);
	EXPECT_EQ(KIPC_STATE_ANON | KIPC_STATE_REMOVED, info.out_state);
	if (variant->type == KIPC_OBJ_MQ) {
		char c = 0;

		EXPECT_ERRNO(EIDRM, write(ofd, &c, 1));
	}
	close(ofd);
	EXPECT_EQ(-ENOENT, kipc_nl_obj_stat(&self->nl, id, &obj));
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char c = 'f';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* Passed over SCM_RIGHTS, it is the same object, and it works. */
TEST_F(anon, scm_rights)
{
	int sv[2], ofd, got;
	__u64 id = 0;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	ofd = anon_open(KIPC_ANON, &id, NULL);
	ASSERT_EQ(0, send_fd(sv[0], ofd));
	close(ofd);
	got = recv_fd(sv[1]);
	ASSERT_LE(0, got);
	EXPECT_EQ(id, test_obj_id(got));
	if (variant->type == KIPC_OBJ_MQ) {
		char buf[16];

		EXPECT_EQ(3, write(got, "abc", 3));
		EXPECT_EQ(3, read(got, buf, sizeof(buf)));
	}
	close(got);
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
