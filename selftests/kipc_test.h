/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the kipc selftests, in the style of iommufd_utils.h:
 * _test_cmd_*() issue one ioctl and return its result; test_ioctl_*() must
 * succeed and test_err_*(ERRNO, ...) must fail with exactly ERRNO. The macros
 * use self->fd, the /dev/kipc fd every fixture opens in its setup.
 *
 * Also here: identity and capability changes for the permission and limit
 * tests, module parameter access, and a minimal raw Generic Netlink client for
 * the "kipc" family (no libnl, so the tests see exactly what the kernel sends).
 */
#ifndef KIPC_TEST_H
#define KIPC_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

/*
 * kselftest_harness.h does not build clean under -Wextra: its TEST() wrappers
 * leave parameters unused, and the variables of its setjmp()-based wrappers
 * trip -Wclobbered wherever TEST_F() expands. Both are in the harness, not in
 * the tests, so they are silenced for the whole translation unit.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "kipc.h"

#define sizeof_field(TYPE, MEMBER) sizeof((((TYPE *)0)->MEMBER))
#define offsetofend(TYPE, MEMBER) \
	(offsetof(TYPE, MEMBER) + sizeof_field(TYPE, MEMBER))

#define KIPC_PARAM_DIR	"/sys/module/kipc/parameters/"

/* The unprivileged identities of the guest's /etc/passwd and /etc/group. */
#define KIPC_UID1	1000	/* kipcuser, group 1000 */
#define KIPC_UID2	1001	/* kipcuser2, group 1001 (kipcgrp) */
#define KIPC_GID1	1000
#define KIPC_GID2	1001
#define KIPC_NO_GROUP	((gid_t)-1)

#define KIPC_RW		(KIPC_OPEN_READ | KIPC_OPEN_WRITE)
#define KIPC_NEW	(KIPC_RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL)

#define EXPECT_ERRNO(expected_errno, cmd)		\
	({						\
		ASSERT_EQ(-1, cmd);			\
		EXPECT_EQ(expected_errno, errno);	\
	})

/*
 * A name unique to this test process: tests run one after the other, each in
 * a process of its own, and leave named objects behind when they fail.
 */
#define test_name(_buf, _tag)						\
	snprintf(_buf, sizeof(_buf), "%s.%d.%s", _metadata->name,	\
		 (int)getpid(), _tag)

/* Attributes that are valid for @type under the default ceilings. */
static inline union kipc_attr kipc_attr_of(__u32 type)
{
	union kipc_attr attr;

	memset(&attr, 0, sizeof(attr));
	switch (type) {
	case KIPC_OBJ_MQ:
		attr.mq.max_msgs = 4;
		attr.mq.max_msgsize = 64;
		break;
	case KIPC_OBJ_SHM:
		attr.shm.size = 4096;
		break;
	case KIPC_OBJ_SEM:
		attr.sem.value = 1;
		break;
	}
	return attr;
}

static const __u32 kipc_types[] = { KIPC_OBJ_MQ, KIPC_OBJ_SHM, KIPC_OBJ_SEM };
#define KIPC_NR_TYPES	ARRAY_SIZE(kipc_types)

/* --- ioctls on /dev/kipc and on object fds ----------------------------- */

static inline int _test_cmd_version(int fd, struct kipc_version *ver)
{
	memset(ver, 0, sizeof(*ver));
	ver->size = sizeof(*ver);
	return ioctl(fd, KIPC_IOC_VERSION, ver);
}
#define test_ioctl_version(_ver) \
	ASSERT_EQ(0, _test_cmd_version(self->fd, _ver))

static inline int _test_cmd_open(int fd, __u32 type, const char *name,
				 __u32 flags, __u32 mode,
				 const union kipc_attr *attr, __u64 *out_id,
				 __u32 *out_flags)
{
	struct kipc_open cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.type = type,
		.mode = mode,
		.name = (uintptr_t)name,
	};
	int ret;

	if (attr)
		cmd.attr = *attr;
	ret = ioctl(fd, KIPC_IOC_OPEN, &cmd);
	if (ret < 0)
		return ret;
	if (out_id)
		*out_id = cmd.out_id;
	if (out_flags)
		*out_flags = cmd.out_flags;
	return ret;
}

/* Returns the new object fd. */
#define test_ioctl_open(_type, _name, _flags, _mode, _attr, _out_id,	\
			_out_flags)					\
	({								\
		int __fd = _test_cmd_open(self->fd, _type, _name, _flags, \
					  _mode, _attr, _out_id,	\
					  _out_flags);			\
		ASSERT_LE(0, __fd)					\
			TH_LOG("open %s: %s", _name, strerror(errno));	\
		__fd;							\
	})
#define test_err_open(_errno, _type, _name, _flags, _mode, _attr)	\
	EXPECT_ERRNO(_errno, _test_cmd_open(self->fd, _type, _name,	\
					    _flags, _mode, _attr, NULL,	\
					    NULL))

/* Create a new object of @type with valid attributes; returns its fd. */
#define test_ioctl_create(_type, _name, _mode, _out_id)			\
	({								\
		union kipc_attr __attr = kipc_attr_of(_type);		\
		__u32 __out_flags = 0;					\
		int __ofd = test_ioctl_open(_type, _name, KIPC_NEW,	\
					    _mode, &__attr, _out_id,	\
					    &__out_flags);		\
		ASSERT_EQ(KIPC_OPEN_OUT_CREATED, __out_flags);		\
		__ofd;							\
	})

static inline int _test_cmd_unlink(int fd, __u32 type, const char *name)
{
	struct kipc_unlink cmd = {
		.size = sizeof(cmd),
		.type = type,
		.name = (uintptr_t)name,
	};

	return ioctl(fd, KIPC_IOC_UNLINK, &cmd);
}
#define test_ioctl_unlink(_type, _name) \
	ASSERT_EQ(0, _test_cmd_unlink(self->fd, _type, _name))
#define test_err_unlink(_errno, _type, _name) \
	EXPECT_ERRNO(_errno, _test_cmd_unlink(self->fd, _type, _name))

static inline int _test_cmd_info(int objfd, struct kipc_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl(objfd, KIPC_IOC_INFO, info);
}
#define test_ioctl_info(_objfd, _info) \
	ASSERT_EQ(0, _test_cmd_info(_objfd, _info))
#define test_err_info(_errno, _objfd, _info) \
	EXPECT_ERRNO(_errno, _test_cmd_info(_objfd, _info))

/* The id of the object behind @objfd. */
#define test_obj_id(_objfd)						\
	({								\
		struct kipc_info __info;				\
		test_ioctl_info(_objfd, &__info);			\
		__info.out_id;						\
	})

/* Is there an object of @type called @name in our namespace? */
#define test_obj_exists(_type, _name)					\
	({								\
		int __e = _test_cmd_open(self->fd, _type, _name,	\
					 KIPC_OPEN_READ, 0, NULL, NULL,	\
					 NULL);				\
		if (__e >= 0)						\
			close(__e);					\
		else							\
			ASSERT_EQ(ENOENT, errno);			\
		__e >= 0;						\
	})

/* --- module parameters ------------------------------------------------- */

static inline int kipc_param_read(const char *param, unsigned long long *val)
{
	char path[128], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), KIPC_PARAM_DIR "%s", param);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	*val = strtoull(buf, NULL, 10);
	return 0;
}

/* Write @s to @path in one write(): 0, or -errno (-EIO if it fell short). */
static inline int kipc_write_file(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	close(fd);
	if (n != (ssize_t)len)
		return n < 0 ? -errno : -EIO;
	return 0;
}

static inline int kipc_param_write(const char *param, unsigned long long val)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), KIPC_PARAM_DIR "%s", param);
	snprintf(buf, sizeof(buf), "%llu\n", val);
	return kipc_write_file(path, buf);
}

/*
 * In a user namespace this process just unshared, map @uid and @gid inside
 * to its uid and gid outside (setgroups denied first, as an unprivileged
 * process must): 0, or -errno.
 */
static inline int kipc_userns_map(uid_t uid, uid_t out_uid, gid_t gid,
				  gid_t out_gid)
{
	char map[64];
	int ret;

	ret = kipc_write_file("/proc/self/setgroups", "deny");
	if (ret)
		return ret;
	snprintf(map, sizeof(map), "%u %u 1", uid, out_uid);
	ret = kipc_write_file("/proc/self/uid_map", map);
	if (ret)
		return ret;
	snprintf(map, sizeof(map), "%u %u 1", gid, out_gid);
	return kipc_write_file("/proc/self/gid_map", map);
}

#define test_param(_param)						\
	({								\
		unsigned long long __v = 0;				\
		ASSERT_EQ(0, kipc_param_read(_param, &__v));		\
		__v;							\
	})
#define test_set_param(_param, _val) \
	ASSERT_EQ(0, kipc_param_write(_param, _val))

/* --- identities, capabilities, child processes ------------------------- */

/*
 * Become @uid/@gid with @supp as the only supplementary group (or none).
 * Changing every uid away from 0 clears all capabilities.
 */
static inline int kipc_become(uid_t uid, gid_t gid, gid_t supp)
{
	if (setgroups(supp == KIPC_NO_GROUP ? 0 : 1, &supp))
		return -errno;
	if (setresgid(gid, gid, gid))
		return -errno;
	if (setresuid(uid, uid, uid))
		return -errno;
	return 0;
}
#define test_become(_uid, _gid, _supp) \
	ASSERT_EQ(0, kipc_become(_uid, _gid, _supp))

/* Clear @cap from the effective set of the calling thread, raw capset(2). */
static inline int kipc_drop_effective_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[CAP_TO_INDEX(cap)].effective &= ~CAP_TO_MASK(cap);
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}
#define test_drop_cap(_cap) \
	ASSERT_EQ(0, kipc_drop_effective_cap(_cap))

/*
 * Forked children use the harness macros too: _metadata is shared, so a
 * failure there fails the test. A failed ASSERT in a child ends the child.
 * Children must leave through _exit().
 */
#define test_wait_child(_pid)						\
	({								\
		int __status = 0;					\
		ASSERT_EQ(_pid, waitpid(_pid, &__status, 0));		\
		ASSERT_TRUE(WIFEXITED(__status))			\
			TH_LOG("child killed by signal %d",		\
			       WTERMSIG(__status));			\
		ASSERT_EQ(0, WEXITSTATUS(__status));			\
	})

/* Fork; the child runs as @uid/@gid/@supp. Returns 0 in the child. */
#define test_fork_as(_uid, _gid, _supp)					\
	({								\
		pid_t __pid = fork();					\
		ASSERT_LE(0, __pid);					\
		if (__pid == 0)						\
			test_become(_uid, _gid, _supp);			\
		__pid;							\
	})

/* Fork; the child gets a new, empty IPC namespace. Returns 0 in the child. */
#define test_fork_newipc()						\
	({								\
		pid_t __pid = fork();					\
		ASSERT_LE(0, __pid);					\
		if (__pid == 0)						\
			ASSERT_EQ(0, unshare(CLONE_NEWIPC));		\
		__pid;							\
	})

/* --- passing fds ---------------------------------------------------------- */

/* Pass @fd over the unix socket @sock (SCM_RIGHTS): 0, or -1. */
static inline int kipc_send_fd(int sock, int fd)
{
	char data = 'k';
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cmsg;

	memset(&u, 0, sizeof(u));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/* The fd passed by kipc_send_fd(), or -1. */
static inline int kipc_recv_fd(int sock)
{
	char data;
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS ||
	    cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

/* --- a raw Generic Netlink client for the "kipc" family ---------------- */

struct kipc_nl {
	int fd;
	__u16 family;
	__u32 version;
	__u32 seq;
};

/* One message of the family: numeric attributes by index, and the name. */
#define KIPC_NL_MAX_ATTR	32
struct kipc_nl_msg {
	__u8 cmd;
	bool has[KIPC_NL_MAX_ATTR];
	__u64 val[KIPC_NL_MAX_ATTR];
	char name[KIPC_NAME_MAX + 1];
};

#define KIPC_NL_BUF	65536

static inline void kipc_nl_put_attr(struct nlmsghdr *nlh, __u16 type,
				    const void *data, __u16 len)
{
	struct nlattr *nla = (struct nlattr *)((char *)nlh +
					       NLMSG_ALIGN(nlh->nlmsg_len));

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy((char *)nla + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(nla->nla_len);
}

/* A request with room for a few attributes. */
struct kipc_nl_req {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	char attrs[512];
};

static inline void kipc_nl_req_init(struct kipc_nl *nl,
				    struct kipc_nl_req *req, __u16 family,
				    __u16 flags, __u8 cmd, __u8 version)
{
	memset(req, 0, sizeof(*req));
	req->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	req->nlh.nlmsg_type = family;
	req->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	req->nlh.nlmsg_seq = ++nl->seq;
	req->genl.cmd = cmd;
	req->genl.version = version;
}

static inline int kipc_nl_send(struct kipc_nl *nl, struct kipc_nl_req *req)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(nl->fd, req, req->nlh.nlmsg_len, 0,
		   (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

static inline void kipc_nl_parse(const struct nlmsghdr *nlh,
				 struct kipc_nl_msg *msg)
{
	const struct genlmsghdr *genl = NLMSG_DATA(nlh);
	const struct nlattr *nla;
	int len;

	memset(msg, 0, sizeof(*msg));
	msg->cmd = genl->cmd;
	nla = (const struct nlattr *)((const char *)genl + GENL_HDRLEN);
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (len >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN &&
	       nla->nla_len <= len) {
		const void *data = (const char *)nla + NLA_HDRLEN;
		int dlen = nla->nla_len - NLA_HDRLEN;
		__u16 type = nla->nla_type & NLA_TYPE_MASK;

		if (type < KIPC_NL_MAX_ATTR) {
			msg->has[type] = true;
			if (msg->cmd == KIPC_CMD_OBJ_GET &&
			    type == KIPC_A_OBJ_NAME) {
				snprintf(msg->name, sizeof(msg->name), "%.*s",
					 dlen, (const char *)data);
			} else if (dlen == 8) {
				memcpy(&msg->val[type], data, 8);
			} else if (dlen == 4) {
				__u32 v;

				memcpy(&v, data, 4);
				msg->val[type] = v;
			} else if (dlen == 2) {
				__u16 v;

				memcpy(&v, data, 2);
				msg->val[type] = v;
			}
		}
		len -= NLA_ALIGN(nla->nla_len);
		nla = (const struct nlattr *)((const char *)nla +
					      NLA_ALIGN(nla->nla_len));
	}
}

/*
 * The extended ACK of an NLMSG_ERROR (NETLINK_EXT_ACK must be on, see
 * kipc_nl_ext_ack()): the message text, the offset of the offending
 * attribute in the request, and the type of a missing attribute.
 */
struct kipc_nl_ack {
	int error;
	char msg[256];		/* NLMSGERR_ATTR_MSG; "" if none */
	bool has_offs;
	__u32 offs;		/* NLMSGERR_ATTR_OFFS */
	bool has_miss_type;
	__u32 miss_type;	/* NLMSGERR_ATTR_MISS_TYPE */
};

/* Ask for extended ACKs on @nl: 0 or -errno. */
static inline int kipc_nl_ext_ack(struct kipc_nl *nl)
{
	int one = 1;

	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one,
		       sizeof(one)))
		return -errno;
	return 0;
}

static inline void kipc_nl_parse_ack(const struct nlmsghdr *nlh,
				     struct kipc_nl_ack *ack)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const struct nlattr *nla;
	size_t off;
	int len;

	memset(ack, 0, sizeof(*ack));
	ack->error = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* Without NETLINK_CAP_ACK an error quotes the whole request. */
	off = NLMSG_HDRLEN;
	if (nlh->nlmsg_flags & NLM_F_CAPPED)
		off += NLMSG_ALIGN(sizeof(*e));
	else
		off += NLMSG_ALIGN(sizeof(e->error) + e->msg.nlmsg_len);
	if (off >= nlh->nlmsg_len)
		return;
	nla = (const struct nlattr *)((const char *)nlh + off);
	len = (int)(nlh->nlmsg_len - off);
	while (len >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN &&
	       nla->nla_len <= len) {
		const char *data = (const char *)nla + NLA_HDRLEN;
		int dlen = nla->nla_len - NLA_HDRLEN;

		switch (nla->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			snprintf(ack->msg, sizeof(ack->msg), "%.*s", dlen,
				 data);
			break;
		case NLMSGERR_ATTR_OFFS:
			if (dlen == 4) {
				memcpy(&ack->offs, data, 4);
				ack->has_offs = true;
			}
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (dlen == 4) {
				memcpy(&ack->miss_type, data, 4);
				ack->has_miss_type = true;
			}
			break;
		}
		len -= NLA_ALIGN(nla->nla_len);
		nla = (const struct nlattr *)((const char *)nla +
					      NLA_ALIGN(nla->nla_len));
	}
}

/*
 * Read the answer to the last request: every message of @family is parsed
 * into @msgs (at most @max of them; *@count says how many came), and the
 * final NLMSG_ERROR into @ack when it is not NULL. Returns 0, or the -errno
 * of an NLMSG_ERROR or of a failed dump.
 */
static inline int kipc_nl_recv_ack(struct kipc_nl *nl, __u16 family,
				   struct kipc_nl_msg *msgs, int max,
				   int *count, struct kipc_nl_ack *ack)
{
	char *buf = malloc(KIPC_NL_BUF);
	int ret = 0, n_msgs = 0;
	bool done = false;

	if (!buf)
		return -ENOMEM;
	while (!done) {
		struct nlmsghdr *nlh;
		ssize_t n;

		n = recv(nl->fd, buf, KIPC_NL_BUF, 0);
		if (n < 0) {
			ret = -errno;
			break;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != nl->seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				ret = e->error;
				if (ack)
					kipc_nl_parse_ack(nlh, ack);
				done = true;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					memcpy(&ret, NLMSG_DATA(nlh),
					       sizeof(int));
				done = true;
				break;
			}
			if (nlh->nlmsg_type != family)
				continue;
			if (n_msgs < max)
				kipc_nl_parse(nlh, &msgs[n_msgs]);
			n_msgs++;
			if (!(nlh->nlmsg_flags & NLM_F_MULTI)) {
				done = true;
				break;
			}
		}
	}
	free(buf);
	if (count)
		*count = n_msgs;
	return ret;
}

static inline int kipc_nl_recv(struct kipc_nl *nl, __u16 family,
			       struct kipc_nl_msg *msgs, int max, int *count)
{
	return kipc_nl_recv_ack(nl, family, msgs, max, count, NULL);
}

/* Open a socket and resolve the family. 0 or -errno (-ENOENT: no family). */
static inline int kipc_nl_open(struct kipc_nl *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct kipc_nl_req req;
	struct nlmsghdr *nlh;
	char *buf;
	ssize_t n;
	int ret;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)))
		goto out_errno;

	kipc_nl_req_init(nl, &req, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	kipc_nl_put_attr(&req.nlh, CTRL_ATTR_FAMILY_NAME, KIPC_GENL_NAME,
			 sizeof(KIPC_GENL_NAME));
	ret = kipc_nl_send(nl, &req);
	if (ret)
		goto out_close;

	buf = malloc(KIPC_NL_BUF);
	if (!buf) {
		ret = -ENOMEM;
		goto out_close;
	}
	n = recv(nl->fd, buf, KIPC_NL_BUF, 0);
	if (n < 0) {
		ret = -errno;
		free(buf);
		goto out_close;
	}
	ret = -EBADMSG;
	for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
	     nlh = NLMSG_NEXT(nlh, n)) {
		const struct nlattr *nla;
		int len;

		if (nlh->nlmsg_type == NLMSG_ERROR) {
			ret = ((const struct nlmsgerr *)NLMSG_DATA(nlh))->error;
			break;
		}
		if (nlh->nlmsg_type != GENL_ID_CTRL)
			continue;
		nla = (const struct nlattr *)((char *)NLMSG_DATA(nlh) +
					      GENL_HDRLEN);
		len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
		while (len >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN &&
		       nla->nla_len <= len) {
			const void *data = (const char *)nla + NLA_HDRLEN;

			if (nla->nla_type == CTRL_ATTR_FAMILY_ID)
				memcpy(&nl->family, data, sizeof(nl->family));
			if (nla->nla_type == CTRL_ATTR_VERSION)
				memcpy(&nl->version, data, sizeof(nl->version));
			len -= NLA_ALIGN(nla->nla_len);
			nla = (const struct nlattr *)((const char *)nla +
						      NLA_ALIGN(nla->nla_len));
		}
		ret = nl->family ? 0 : -EBADMSG;
		break;
	}
	free(buf);
	if (ret)
		goto out_close;
	return 0;

out_errno:
	ret = -errno;
out_close:
	close(nl->fd);
	nl->fd = -1;
	return ret;
}

static inline int kipc_nl_obj_get(struct kipc_nl *nl, __u64 id,
				  struct kipc_nl_msg *msg)
{
	struct kipc_nl_req req;
	int count = 0, ret;

	kipc_nl_req_init(nl, &req, nl->family, 0, KIPC_CMD_OBJ_GET,
			 KIPC_GENL_VERSION);
	kipc_nl_put_attr(&req.nlh, KIPC_A_OBJ_ID, &id, sizeof(id));
	ret = kipc_nl_send(nl, &req);
	if (ret)
		return ret;
	ret = kipc_nl_recv(nl, nl->family, msg, 1, &count);
	if (!ret && count != 1)
		ret = -EBADMSG;
	return ret;
}

/* Dump the objects of our namespace into @msgs; returns how many, or -errno. */
static inline int kipc_nl_obj_dump(struct kipc_nl *nl,
				   struct kipc_nl_msg *msgs, int max)
{
	struct kipc_nl_req req;
	int count = 0, ret;

	kipc_nl_req_init(nl, &req, nl->family, NLM_F_DUMP, KIPC_CMD_OBJ_GET,
			 KIPC_GENL_VERSION);
	ret = kipc_nl_send(nl, &req);
	if (ret)
		return ret;
	ret = kipc_nl_recv(nl, nl->family, msgs, max, &count);
	return ret ? ret : count;
}

static inline int kipc_nl_stats_get(struct kipc_nl *nl,
				    struct kipc_nl_msg *msg)
{
	struct kipc_nl_req req;
	int count = 0, ret;

	kipc_nl_req_init(nl, &req, nl->family, 0, KIPC_CMD_STATS_GET,
			 KIPC_GENL_VERSION);
	ret = kipc_nl_send(nl, &req);
	if (ret)
		return ret;
	ret = kipc_nl_recv(nl, nl->family, msg, 1, &count);
	if (!ret && count != 1)
		ret = -EBADMSG;
	return ret;
}

#define test_nl_open(_nl) ASSERT_EQ(0, kipc_nl_open(_nl))

/* Find @id among @n dumped messages; NULL if it is not there. */
static inline const struct kipc_nl_msg *
kipc_nl_find(const struct kipc_nl_msg *msgs, int n, __u64 id)
{
	int i;

	for (i = 0; i < n; i++)
		if (msgs[i].has[KIPC_A_OBJ_ID] &&
		    msgs[i].val[KIPC_A_OBJ_ID] == id)
			return &msgs[i];
	return NULL;
}

/* Remove object @id as an administrator would. 0 or -errno. */
static inline int kipc_nl_obj_remove(struct kipc_nl *nl, __u64 id)
{
	struct kipc_nl_req req;
	int ret;

	/* A doit without a reply answers only with the ack we ask for. */
	kipc_nl_req_init(nl, &req, nl->family, NLM_F_ACK, KIPC_CMD_OBJ_REMOVE,
			 KIPC_GENL_VERSION);
	kipc_nl_put_attr(&req.nlh, KIPC_A_OBJ_ID, &id, sizeof(id));
	ret = kipc_nl_send(nl, &req);
	if (ret)
		return ret;
	return kipc_nl_recv(nl, nl->family, NULL, 0, NULL);
}

/*
 * The monitor group's id for a raw socket: > 0, -ENOENT without the group
 * (a kernel before 6.9), or another -errno.
 */
static inline int kipc_nl_monitor_group(struct kipc_nl *nl)
{
	struct kipc_nl_req req;
	struct nlmsghdr *nlh;
	int ret = -ENOENT;
	char *buf;
	ssize_t n;

	kipc_nl_req_init(nl, &req, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	kipc_nl_put_attr(&req.nlh, CTRL_ATTR_FAMILY_NAME, KIPC_GENL_NAME,
			 sizeof(KIPC_GENL_NAME));
	ret = kipc_nl_send(nl, &req);
	if (ret)
		return ret;
	buf = malloc(KIPC_NL_BUF);
	if (!buf)
		return -ENOMEM;
	n = recv(nl->fd, buf, KIPC_NL_BUF, 0);
	if (n < 0) {
		free(buf);
		return -errno;
	}
	ret = -ENOENT;
	for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
	     nlh = NLMSG_NEXT(nlh, n)) {
		const struct nlattr *nla, *grp, *a;
		int len, glen, alen;

		if (nlh->nlmsg_type != GENL_ID_CTRL)
			continue;
		nla = (const struct nlattr *)((char *)NLMSG_DATA(nlh) +
					      GENL_HDRLEN);
		len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
		for (; len >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN &&
		       nla->nla_len <= len;
		     len -= NLA_ALIGN(nla->nla_len),
		     nla = (const void *)((const char *)nla +
					  NLA_ALIGN(nla->nla_len))) {
			if ((nla->nla_type & NLA_TYPE_MASK) !=
			    CTRL_ATTR_MCAST_GROUPS)
				continue;
			grp = (const void *)((const char *)nla + NLA_HDRLEN);
			glen = nla->nla_len - NLA_HDRLEN;
			for (; glen >= NLA_HDRLEN && grp->nla_len >= NLA_HDRLEN &&
			       grp->nla_len <= glen;
			     glen -= NLA_ALIGN(grp->nla_len),
			     grp = (const void *)((const char *)grp +
						  NLA_ALIGN(grp->nla_len))) {
				bool ours = false;
				__u32 id = 0;

				a = (const void *)((const char *)grp +
						   NLA_HDRLEN);
				alen = grp->nla_len - NLA_HDRLEN;
				for (; alen >= NLA_HDRLEN &&
				       a->nla_len >= NLA_HDRLEN &&
				       a->nla_len <= alen;
				     alen -= NLA_ALIGN(a->nla_len),
				     a = (const void *)((const char *)a +
							NLA_ALIGN(a->nla_len))) {
					const char *d = (const char *)a +
							NLA_HDRLEN;

					if (a->nla_type ==
					    CTRL_ATTR_MCAST_GRP_NAME)
						ours = !strcmp(d,
							KIPC_MCGRP_MONITOR);
					if (a->nla_type ==
					    CTRL_ATTR_MCAST_GRP_ID)
						memcpy(&id, d, sizeof(id));
				}
				if (ours)
					ret = id;
			}
		}
	}
	free(buf);
	return ret;
}

/* Send monitor-subscribe on @nl's socket: 0, or the kernel's -errno. */
static inline int kipc_nl_monitor_subscribe(struct kipc_nl *nl)
{
	struct kipc_nl_req req;
	int ret;

	kipc_nl_req_init(nl, &req, nl->family, NLM_F_ACK,
			 KIPC_CMD_MONITOR_SUBSCRIBE, KIPC_GENL_VERSION);
	ret = kipc_nl_send(nl, &req);
	if (ret)
		return ret;
	return kipc_nl_recv(nl, nl->family, NULL, 0, NULL);
}

/* --- message queues ---------------------------------------------------- */

/*
 * The _test_cmd_mq_*() helpers return what ioctl() returns, with errno set,
 * so that EXPECT_ERRNO() can check the exact errno.
 */
static inline int _test_cmd_mq_send(int qfd, const void *buf, __u32 len,
				    __u32 prio, __u32 flags)
{
	struct kipc_mq_send cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.buf = (uintptr_t)buf,
		.len = len,
		.prio = prio,
	};

	return ioctl(qfd, KIPC_IOC_MQ_SEND, &cmd);
}
#define test_ioctl_mq_send(_qfd, _buf, _len, _prio)			\
	({								\
		ASSERT_EQ(0, _test_cmd_mq_send(_qfd, _buf, _len, _prio, \
					       0))			\
			TH_LOG("send: %s", strerror(errno));		\
	})
#define test_err_mq_send(_errno, _qfd, _buf, _len, _prio, _flags)	\
	EXPECT_ERRNO(_errno, _test_cmd_mq_send(_qfd, _buf, _len, _prio, \
					       _flags))

static inline int _test_cmd_mq_recv(int qfd, void *buf, __u32 len,
				    __u32 flags, __u32 *out_len,
				    __u32 *out_prio)
{
	struct kipc_mq_recv cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.buf = (uintptr_t)buf,
		.len = len,
		.out_len = UINT32_MAX,
		.out_prio = UINT32_MAX,
	};
	int ret = ioctl(qfd, KIPC_IOC_MQ_RECV, &cmd);

	if (out_len)
		*out_len = cmd.out_len;
	if (out_prio)
		*out_prio = cmd.out_prio;
	return ret;
}

/* Receive into @_buf; the message must be @_len bytes of priority @_prio. */
#define test_ioctl_mq_recv(_qfd, _buf, _buflen, _len, _prio)		\
	({								\
		__u32 __len, __prio;					\
		ASSERT_EQ((int)(_len),					\
			  _test_cmd_mq_recv(_qfd, _buf, _buflen, 0,	\
					    &__len, &__prio))		\
			TH_LOG("recv: %s", strerror(errno));		\
		ASSERT_EQ((__u32)(_len), __len);			\
		ASSERT_EQ((__u32)(_prio), __prio);			\
	})
#define test_err_mq_recv(_errno, _qfd, _buf, _buflen, _flags)		\
	EXPECT_ERRNO(_errno, _test_cmd_mq_recv(_qfd, _buf, _buflen,	\
					       _flags, NULL, NULL))

static inline int _test_cmd_mq_peek(int qfd, __u32 index, void *buf,
				    __u32 len, __u32 *out_len,
				    __u32 *out_prio)
{
	struct kipc_mq_peek cmd = {
		.size = sizeof(cmd),
		.buf = (uintptr_t)buf,
		.len = len,
		.index = index,
		.out_len = UINT32_MAX,
		.out_prio = UINT32_MAX,
	};
	int ret = ioctl(qfd, KIPC_IOC_MQ_PEEK, &cmd);

	if (out_len)
		*out_len = cmd.out_len;
	if (out_prio)
		*out_prio = cmd.out_prio;
	return ret;
}

static inline int _test_cmd_mq_vec(int qfd, unsigned long ioc,
				   struct kipc_mq_vec *vec, __u32 count,
				   __u32 flags)
{
	struct kipc_mq_sendv cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.vec = (uintptr_t)vec,
		.count = count,
		.out_count = UINT32_MAX,
	};
	int ret = ioctl(qfd, ioc, &cmd);

	/* out_count is written only when something moved. */
	if (ret > 0 && cmd.out_count != (__u32)ret) {
		errno = EPROTO;
		return -1;
	}
	return ret;
}
#define _test_cmd_mq_sendv(_qfd, _vec, _count, _flags) \
	_test_cmd_mq_vec(_qfd, KIPC_IOC_MQ_SENDV, _vec, _count, _flags)
#define _test_cmd_mq_recvv(_qfd, _vec, _count, _flags) \
	_test_cmd_mq_vec(_qfd, KIPC_IOC_MQ_RECVV, _vec, _count, _flags)

static inline int _test_cmd_mq_getattr(int qfd, struct kipc_mq_getattr *attr)
{
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	return ioctl(qfd, KIPC_IOC_MQ_GETATTR, attr);
}

/* How many messages @_qfd holds now. */
#define test_mq_depth(_qfd)						\
	({								\
		struct kipc_mq_getattr __a;				\
		ASSERT_EQ(0, _test_cmd_mq_getattr(_qfd, &__a));		\
		__a.out_depth;						\
	})

/* Create queue @_name with this capacity and KIPC_OPEN_* @_flags. */
#define test_mq_create_flags(_name, _flags, _max_msgs, _max_msgsize)	\
	({								\
		union kipc_attr __attr;					\
		memset(&__attr, 0, sizeof(__attr));			\
		__attr.mq.max_msgs = _max_msgs;				\
		__attr.mq.max_msgsize = _max_msgsize;			\
		test_ioctl_open(KIPC_OBJ_MQ, _name, _flags, 0600,	\
				&__attr, NULL, NULL);			\
	})
/* Create queue @_name, for reading and writing; returns its fd. */
#define test_mq_create(_name, _max_msgs, _max_msgsize) \
	test_mq_create_flags(_name, KIPC_NEW, _max_msgs, _max_msgsize)

/* Open the existing queue @_name with @_flags; returns the fd. */
#define test_mq_open(_name, _flags)					\
	test_ioctl_open(KIPC_OBJ_MQ, _name, _flags, 0, NULL, NULL, NULL)

/* One statistic of queue @id over netlink. */
static inline int kipc_nl_mq_stat(struct kipc_nl *nl, __u64 id, int attr,
				  __u64 *val)
{
	struct kipc_nl_msg m;
	int ret = kipc_nl_obj_get(nl, id, &m);

	if (ret)
		return ret;
	if (!m.has[attr])
		return -ENODATA;
	*val = m.val[attr];
	return 0;
}
#define test_nl_mq(_nl, _id, _attr)					\
	({								\
		__u64 __v = 0;						\
		ASSERT_EQ(0, kipc_nl_mq_stat(_nl, _id, _attr, &__v));	\
		__v;							\
	})

/*
 * Wait until a statistic of queue @id reads @want: this is how a test knows
 * that another task is blocked in the kernel, rather than guessing with a
 * sleep. Gives up after 20 s.
 */
static inline int kipc_nl_mq_wait(struct kipc_nl *nl, __u64 id, int attr,
				  __u64 want)
{
	int i, ret;

	for (i = 0; i < 20000; i++) {
		__u64 v;

		ret = kipc_nl_mq_stat(nl, id, attr, &v);
		if (ret)
			return ret;
		if (v == want)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}
#define test_nl_mq_wait(_nl, _id, _attr, _want)				\
	({								\
		ASSERT_EQ(0, kipc_nl_mq_wait(_nl, _id, _attr, _want))	\
			TH_LOG("statistic %d never reached %llu",	\
			       _attr, (unsigned long long)(_want));	\
	})

static inline __u64 kipc_now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Fork a child that dies with the test: a child left blocked in the kernel
 * after a failed assertion would otherwise hold the queue, and the module,
 * for ever. Returns 0 in the child.
 */
#define test_fork()							\
	({								\
		pid_t __ppid = getpid();				\
		pid_t __pid = fork();					\
		ASSERT_LE(0, __pid);					\
		if (__pid == 0) {					\
			ASSERT_EQ(0, prctl(PR_SET_PDEATHSIG, SIGKILL));	\
			if (getppid() != __ppid)			\
				_exit(1);				\
		}							\
		__pid;							\
	})

/* --- blocking calls, made by a child -------------------------------- */

/*
 * A test that needs a task blocked in the kernel starts a child that makes
 * one call (struct kipc_call) and writes back what came of it (struct
 * kipc_call_result) on a pipe. The parent learns that the child is blocked
 * from the queue's statistics (KIPC_A_OBJ_MQ_WAIT_SEND, _WAIT_RECV) or, for
 * poll and epoll, from /proc; never from a sleep alone.
 */
enum {
	KIPC_CALL_RECV,
	KIPC_CALL_SEND,
	KIPC_CALL_READ,
	KIPC_CALL_WRITE,
	KIPC_CALL_RECVV,
	KIPC_CALL_SENDV,
	KIPC_CALL_POLL,
	KIPC_CALL_EPOLL,
};

/* How the child handles SIGUSR1. */
enum {
	KIPC_SIG_DEFAULT,
	KIPC_SIG_NO_RESTART,
	KIPC_SIG_RESTART,
};

#define KIPC_CALL_MSG	64
#define KIPC_CALL_VEC	4

/**
 * struct kipc_call_msg - one message of a call
 * @len: send: the message length; receive: the buffer size in, out_len out
 * @prio: send: the priority; receive: out_prio
 * @data: send: the message; receive: what was received
 */
struct kipc_call_msg {
	__u32 len;
	__u32 prio;
	char data[KIPC_CALL_MSG];
};

/**
 * struct kipc_call - one call for a child to make
 * @op: KIPC_CALL_*
 * @flags: KIPC_WAIT_* bits; for poll and epoll, the events
 * @clockid: with KIPC_WAIT_DEADLINE
 * @deadline: with KIPC_WAIT_DEADLINE
 * @count: vectored calls: how many entries of @msg
 * @fault: receive: into a buffer that cannot be written (EFAULT)
 * @msg: the messages (single calls use msg[0])
 */
struct kipc_call {
	int op;
	__u32 flags;
	__u32 clockid;
	__u64 deadline;
	__u32 count;
	bool fault;
	struct kipc_call_msg msg[KIPC_CALL_VEC];
};

/**
 * struct kipc_call_result - what came of a call, as the child saw it
 * @ret: the return value
 * @err: errno when @ret < 0
 * @revents: poll and epoll: the events reported
 * @t_end: CLOCK_MONOTONIC when the call returned
 * @t_end_real: CLOCK_REALTIME when the call returned
 * @msg: receive: the messages, lengths and priorities
 */
struct kipc_call_result {
	int ret;
	int err;
	__u32 revents;
	__u64 t_end;
	__u64 t_end_real;
	struct kipc_call_msg msg[KIPC_CALL_VEC];
};

/**
 * struct kipc_child - a child making a call
 * @pid: its pid
 * @res: read end of the pipe the struct kipc_call_result comes on
 * @sig: read end of a pipe that gets one byte each time its handler runs
 */
struct kipc_child {
	pid_t pid;
	int res;
	int sig;
};

static int kipc_sig_fd = -1;

static inline void kipc_on_signal(int sig)
{
	char c = (char)sig;

	if (write(kipc_sig_fd, &c, 1) != 1)
		_exit(3);
}

static inline int kipc_call_vec(int qfd, const struct kipc_call *c,
				struct kipc_call_result *r, bool recv)
{
	struct kipc_mq_vec vec[KIPC_CALL_VEC];
	struct kipc_mq_sendv cmd = {
		.size = sizeof(cmd),
		.flags = c->flags,
		.vec = (uintptr_t)vec,
		.count = c->count,
		.clockid = c->clockid,
		.deadline = c->deadline,
	};
	unsigned int i;
	int ret;

	for (i = 0; i < KIPC_CALL_VEC; i++) {
		vec[i].buf = (uintptr_t)(recv ? r->msg[i].data :
					 c->msg[i].data);
		vec[i].len = c->msg[i].len;
		vec[i].prio = c->msg[i].prio;
	}
	ret = ioctl(qfd, recv ? KIPC_IOC_MQ_RECVV : KIPC_IOC_MQ_SENDV, &cmd);
	for (i = 0; recv && ret > 0 && i < (unsigned int)ret; i++) {
		r->msg[i].len = vec[i].len;
		r->msg[i].prio = vec[i].prio;
	}
	return ret;
}

static inline void kipc_call_do(int qfd, const struct kipc_call *c,
				struct kipc_call_result *r)
{
	const struct kipc_call_msg *m = &c->msg[0];
	struct kipc_mq_send snd = {
		.size = sizeof(snd),
		.flags = c->flags,
		.buf = (uintptr_t)m->data,
		.len = m->len,
		.prio = m->prio,
		.clockid = c->clockid,
		.deadline = c->deadline,
	};
	struct kipc_mq_recv rcv = {
		.size = sizeof(rcv),
		.flags = c->flags,
		.buf = c->fault ? 8 : (uintptr_t)r->msg[0].data,
		.len = m->len,
		.clockid = c->clockid,
		.deadline = c->deadline,
	};
	struct pollfd pfd = { .fd = qfd, .events = (short)c->flags };
	struct epoll_event ev = { .events = c->flags };
	int efd;

	switch (c->op) {
	case KIPC_CALL_RECV:
		r->ret = ioctl(qfd, KIPC_IOC_MQ_RECV, &rcv);
		r->msg[0].len = rcv.out_len;
		r->msg[0].prio = rcv.out_prio;
		break;
	case KIPC_CALL_SEND:
		r->ret = ioctl(qfd, KIPC_IOC_MQ_SEND, &snd);
		break;
	case KIPC_CALL_READ:
		r->ret = read(qfd, r->msg[0].data, m->len);
		break;
	case KIPC_CALL_WRITE:
		r->ret = write(qfd, m->data, m->len);
		break;
	case KIPC_CALL_RECVV:
	case KIPC_CALL_SENDV:
		r->ret = kipc_call_vec(qfd, c, r, c->op == KIPC_CALL_RECVV);
		break;
	case KIPC_CALL_POLL:
		r->ret = poll(&pfd, 1, -1);
		r->revents = pfd.revents;
		break;
	case KIPC_CALL_EPOLL:
		efd = epoll_create1(EPOLL_CLOEXEC);
		if (efd < 0 || epoll_ctl(efd, EPOLL_CTL_ADD, qfd, &ev)) {
			r->ret = -2;
			break;
		}
		r->ret = epoll_wait(efd, &ev, 1, -1);
		r->revents = ev.events;
		close(efd);
		break;
	}
	r->err = r->ret < 0 ? errno : 0;
	r->t_end = kipc_now_ns(CLOCK_MONOTONIC);
	r->t_end_real = kipc_now_ns(CLOCK_REALTIME);
}

/* Start a child that makes @c on @qfd, handling SIGUSR1 as @sigmode says. */
static inline void kipc_call_start(struct __test_metadata *_metadata, int qfd,
				   const struct kipc_call *c, int sigmode,
				   struct kipc_child *ch)
{
	int res[2], sig[2];

	ASSERT_EQ(0, pipe2(res, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(sig, O_CLOEXEC));
	ch->pid = test_fork();
	if (ch->pid == 0) {
		struct sigaction sa = { .sa_handler = kipc_on_signal };
		struct kipc_call_result r;

		close(res[0]);
		close(sig[0]);
		kipc_sig_fd = sig[1];
		if (sigmode != KIPC_SIG_DEFAULT) {
			sa.sa_flags = sigmode == KIPC_SIG_RESTART ?
				      SA_RESTART : 0;
			sigemptyset(&sa.sa_mask);
			ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
		}
		memset(&r, 0, sizeof(r));
		kipc_call_do(qfd, c, &r);
		ASSERT_EQ((ssize_t)sizeof(r), write(res[1], &r, sizeof(r)));
		_exit(0);
	}
	close(res[1]);
	close(sig[1]);
	ch->res = res[0];
	ch->sig = sig[0];
}
#define test_call_start(_qfd, _c, _sigmode, _ch) \
	kipc_call_start(_metadata, _qfd, _c, _sigmode, _ch)

/* The child's result; the child has exited cleanly afterwards. */
#define test_call_result(_ch, _r)					\
	do {								\
		ASSERT_EQ((ssize_t)sizeof(*(_r)),			\
			  read((_ch)->res, _r, sizeof(*(_r))));		\
		test_wait_child((_ch)->pid);				\
		close((_ch)->res);					\
		close((_ch)->sig);					\
	} while (0)

/* Wait until the child's handler has run once. */
#define test_call_signalled(_ch)					\
	({								\
		char __c = 0;						\
		ASSERT_EQ(1, read((_ch)->sig, &__c, 1));		\
	})

/* SIGKILL the child and reap it. */
#define test_call_kill(_ch)						\
	({								\
		int __st = 0;						\
		ASSERT_EQ(0, kill((_ch)->pid, SIGKILL));		\
		ASSERT_EQ((_ch)->pid, waitpid((_ch)->pid, &__st, 0));	\
		ASSERT_TRUE(WIFSIGNALED(__st));				\
		ASSERT_EQ(SIGKILL, WTERMSIG(__st));			\
		close((_ch)->res);					\
		close((_ch)->sig);					\
	})

/* Wait until @pid sleeps in poll() or epoll_wait(), as /proc tells. */
static inline int kipc_wait_polling(pid_t pid)
{
	char path[64], buf[256];
	int i, fd;
	ssize_t n;

	for (i = 0; i < 20000; i++) {
		bool sleeping = false, polling = false;

		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			char *p;

			buf[n] = '\0';
			p = strrchr(buf, ')');
			sleeping = p && p[1] == ' ' && p[2] == 'S';
		}
		snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			polling = strstr(buf, "poll");
		}
		if (sleeping && polling)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}
#define test_wait_polling(_pid) ASSERT_EQ(0, kipc_wait_polling(_pid))


/* --- admin removal and every object attribute over netlink ------------- */

#define test_nl_obj_remove(_nl, _id) ASSERT_EQ(0, kipc_nl_obj_remove(_nl, _id))

/*
 * The numeric attributes of one object, all of them: struct kipc_nl_msg
 * stops at KIPC_NL_MAX_ATTR, before the per-type statistics.
 */
struct kipc_nl_obj {
	bool has[KIPC_A_OBJ_MAX + 1];
	__u64 val[KIPC_A_OBJ_MAX + 1];
};

static inline void kipc_nl_parse_obj(const struct nlmsghdr *nlh,
				     struct kipc_nl_obj *obj)
{
	const struct nlattr *nla;
	int len;

	memset(obj, 0, sizeof(*obj));
	nla = (const struct nlattr *)((const char *)NLMSG_DATA(nlh) +
				      GENL_HDRLEN);
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (len >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN &&
	       nla->nla_len <= len) {
		const void *data = (const char *)nla + NLA_HDRLEN;
		int dlen = nla->nla_len - NLA_HDRLEN;
		__u16 type = nla->nla_type & NLA_TYPE_MASK;

		if (type <= KIPC_A_OBJ_MAX && type != KIPC_A_OBJ_NAME) {
			obj->has[type] = true;
			if (dlen == 8) {
				memcpy(&obj->val[type], data, 8);
			} else if (dlen == 4) {
				__u32 v;

				memcpy(&v, data, 4);
				obj->val[type] = v;
			}
		}
		len -= NLA_ALIGN(nla->nla_len);
		nla = (const struct nlattr *)((const char *)nla +
					      NLA_ALIGN(nla->nla_len));
	}
}

/* KIPC_CMD_OBJ_GET of @id into @obj: 0 or -errno (-ENOENT: no such id). */
static inline int kipc_nl_obj_stat(struct kipc_nl *nl, __u64 id,
				   struct kipc_nl_obj *obj)
{
	struct kipc_nl_req req;
	bool found = false;
	char *buf;
	int ret;

	kipc_nl_req_init(nl, &req, nl->family, 0, KIPC_CMD_OBJ_GET,
			 KIPC_GENL_VERSION);
	kipc_nl_put_attr(&req.nlh, KIPC_A_OBJ_ID, &id, sizeof(id));
	ret = kipc_nl_send(nl, &req);
	if (ret)
		return ret;
	buf = malloc(KIPC_NL_BUF);
	if (!buf)
		return -ENOMEM;
	/* A doit answers with one message or one error. */
	while (!found && !ret) {
		struct nlmsghdr *nlh;
		ssize_t n = recv(nl->fd, buf, KIPC_NL_BUF, 0);

		if (n < 0) {
			ret = -errno;
			break;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != nl->seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				ret = ((const struct nlmsgerr *)
				       NLMSG_DATA(nlh))->error;
				if (!ret)
					ret = -EBADMSG;
				break;
			}
			if (nlh->nlmsg_type == nl->family) {
				kipc_nl_parse_obj(nlh, obj);
				found = true;
				break;
			}
		}
	}
	free(buf);
	return ret;
}
#define test_nl_stat(_nl, _id, _obj) \
	ASSERT_EQ(0, kipc_nl_obj_stat(_nl, _id, _obj))

/* --- semaphores -------------------------------------------------------- */

static inline int _test_cmd_sem_wait(int objfd, __u32 count, __u32 flags,
				     __u32 clockid, __u64 deadline,
				     __u32 *out_flags)
{
	struct kipc_sem_wait cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.count = count,
		.clockid = clockid,
		.deadline = deadline,
		/* Must be overwritten. */
		.out_flags = ~0U,
	};
	int ret;

	ret = ioctl(objfd, KIPC_IOC_SEM_WAIT, &cmd);
	if (ret == 0 && out_flags)
		*out_flags = cmd.out_flags;
	return ret;
}

/* Waits with @flags (KIPC_WAIT_*, KIPC_SEM_UNDO); returns out_flags. */
#define test_ioctl_sem_wait(_objfd, _count, _flags)			\
	({								\
		__u32 __of = ~0U;					\
		ASSERT_EQ(0, _test_cmd_sem_wait(_objfd, _count, _flags,	\
						0, 0, &__of))		\
			TH_LOG("sem wait: %s", strerror(errno));	\
		__of;							\
	})
#define test_err_sem_wait(_errno, _objfd, _count, _flags)		\
	EXPECT_ERRNO(_errno, _test_cmd_sem_wait(_objfd, _count, _flags,	\
						0, 0, NULL))

static inline int _test_cmd_sem_post(int objfd, __u32 count)
{
	struct kipc_sem_post cmd = {
		.size = sizeof(cmd),
		.count = count,
	};

	return ioctl(objfd, KIPC_IOC_SEM_POST, &cmd);
}
#define test_ioctl_sem_post(_objfd, _count)				\
	ASSERT_EQ(0, _test_cmd_sem_post(_objfd, _count))		\
		TH_LOG("sem post: %s", strerror(errno))
#define test_err_sem_post(_errno, _objfd, _count) \
	EXPECT_ERRNO(_errno, _test_cmd_sem_post(_objfd, _count))

static inline int _test_cmd_sem_get(int objfd, struct kipc_sem_get *get)
{
	memset(get, 0, sizeof(*get));
	get->size = sizeof(*get);
	return ioctl(objfd, KIPC_IOC_SEM_GET, get);
}
#define test_ioctl_sem_get(_objfd, _get) \
	ASSERT_EQ(0, _test_cmd_sem_get(_objfd, _get))
#define test_err_sem_get(_errno, _objfd)				\
	({								\
		struct kipc_sem_get __g;				\
		EXPECT_ERRNO(_errno, _test_cmd_sem_get(_objfd, &__g));	\
	})

#define test_sem_value(_objfd)						\
	({								\
		struct kipc_sem_get __g;				\
		test_ioctl_sem_get(_objfd, &__g);			\
		__g.out_value;						\
	})
#define test_sem_waiters(_objfd)					\
	({								\
		struct kipc_sem_get __g;				\
		test_ioctl_sem_get(_objfd, &__g);			\
		__g.out_waiters;					\
	})
#define test_sem_undo(_objfd)						\
	({								\
		struct kipc_sem_get __g;				\
		test_ioctl_sem_get(_objfd, &__g);			\
		__g.out_undo;						\
	})

/* Create semaphore @name with @value, mode 0600; returns an O_RDWR fd. */
#define test_sem_create(_name, _value, _out_id)				\
	({								\
		union kipc_attr __a = { .sem = { .value = _value } };	\
		test_ioctl_open(KIPC_OBJ_SEM, _name, KIPC_NEW, 0600,	\
				&__a, _out_id, NULL);			\
	})

/* Open another description of semaphore @name. */
#define test_sem_reopen(_name, _flags)					\
	test_ioctl_open(KIPC_OBJ_SEM, _name, _flags, 0, NULL, NULL, NULL)

/*
 * Wait until exactly @n tasks are queued on the semaphore. A task counts
 * from the moment it is on the wait list, so this is the way to know that
 * a child is blocked, and in which order children queued. Gives up after
 * 20 s (the harness would kill the test at 30 s anyway).
 */
static inline int kipc_sem_await_waiters(int objfd, __u32 n)
{
	struct kipc_sem_get get;
	int i;

	for (i = 0; i < 20000; i++) {
		if (_test_cmd_sem_get(objfd, &get))
			return -errno;
		if (get.out_waiters == n)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}
#define test_sem_await_waiters(_objfd, _n)				\
	ASSERT_EQ(0, kipc_sem_await_waiters(_objfd, _n))		\
		TH_LOG("waiting for %u waiters", (unsigned int)(_n))

/*
 * fork() for children that must not outlive the test: a test that fails
 * must not leave a waiter blocked for ever, holding an fd that pins the
 * module. The parent-death signal is cleared when the child changes its
 * credentials; such children must not block.
 */
static inline pid_t kipc_fork_tied(void)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid == 0 &&
	    (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent))
		_exit(1);
	return pid;
}

/* What a waiter child reports through its pipe. */
struct kipc_sem_result {
	int tag;	/* which child, or what the child counted */
	int err;	/* 0, or the errno of its wait */
	__u32 out_flags;
};

/*
 * Fork a child that waits once on @objfd as _test_cmd_sem_wait() does and
 * writes a struct kipc_sem_result tagged @tag to @wfd (atomic: it is
 * shorter than PIPE_BUF). Returns the child's pid, or -1.
 */
static inline pid_t kipc_sem_spawn_waiter(int objfd, __u32 count, __u32 flags,
					  __u32 clockid, __u64 deadline,
					  int tag, int wfd)
{
	pid_t pid = kipc_fork_tied();

	if (pid == 0) {
		struct kipc_sem_result r = { .tag = tag };

		if (_test_cmd_sem_wait(objfd, count, flags, clockid, deadline,
				       &r.out_flags))
			r.err = errno;
		_exit(write(wfd, &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	return pid;
}
#define test_sem_spawn_waiter(_objfd, _count, _flags, _tag, _wfd)	\
	({								\
		pid_t __p = kipc_sem_spawn_waiter(_objfd, _count, _flags, \
						  0, 0, _tag, _wfd);	\
		ASSERT_LE(0, __p);					\
		__p;							\
	})

/* Read one result; a child that died without writing fails the read. */
#define test_sem_read_result(_rfd, _r)					\
	ASSERT_EQ((ssize_t)sizeof(*(_r)), read(_rfd, _r, sizeof(*(_r))))

/* --- shared memory regions --------------------------------------------- */

/* Create a new region of @size bytes (mode 0600); returns its fd. */
static inline int _test_cmd_shm_create(int fd, const char *name, __u64 size,
				       __u64 *out_id)
{
	union kipc_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.shm.size = size;
	return _test_cmd_open(fd, KIPC_OBJ_SHM, name, KIPC_NEW, 0600, &attr,
			      out_id, NULL);
}
#define test_shm_create(_name, _size, _out_id)				\
	({								\
		int __sfd = _test_cmd_shm_create(self->fd, _name, _size, \
						 _out_id);		\
		ASSERT_LE(0, __sfd)					\
			TH_LOG("create %s: %s", _name, strerror(errno)); \
		__sfd;							\
	})

static inline int _test_cmd_shm_resize(int objfd, __u64 new_size)
{
	struct kipc_shm_resize cmd = {
		.size = sizeof(cmd),
		.new_size = new_size,
	};

	return ioctl(objfd, KIPC_IOC_SHM_RESIZE, &cmd);
}
#define test_ioctl_shm_resize(_objfd, _new_size)			\
	ASSERT_EQ(0, _test_cmd_shm_resize(_objfd, _new_size))		\
		TH_LOG("resize to %llu: %s",				\
		       (unsigned long long)(_new_size), strerror(errno))
#define test_err_shm_resize(_errno, _objfd, _new_size) \
	EXPECT_ERRNO(_errno, _test_cmd_shm_resize(_objfd, _new_size))

/* Add @seals (0 only reads them); *@out_seals gets the seals in force. */
static inline int _test_cmd_shm_seal(int objfd, __u32 seals,
				     __u32 *out_seals)
{
	struct kipc_shm_seal cmd = {
		.size = sizeof(cmd),
		.seals = seals,
	};
	int ret;

	ret = ioctl(objfd, KIPC_IOC_SHM_SEAL, &cmd);
	if (!ret && out_seals)
		*out_seals = cmd.out_seals;
	return ret;
}
#define test_ioctl_shm_seal(_objfd, _seals)				\
	({								\
		__u32 __seals = 0;					\
		ASSERT_EQ(0, _test_cmd_shm_seal(_objfd, _seals, &__seals)) \
			TH_LOG("seal %#x: %s", (unsigned int)(_seals),	\
			       strerror(errno));			\
		__seals;						\
	})
#define test_err_shm_seal(_errno, _objfd, _seals) \
	EXPECT_ERRNO(_errno, _test_cmd_shm_seal(_objfd, _seals, NULL))
#define test_shm_seals(_objfd) test_ioctl_shm_seal(_objfd, 0)

static inline int _test_cmd_shm_stat(int objfd, struct kipc_shm_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return ioctl(objfd, KIPC_IOC_SHM_STAT, st);
}
#define test_ioctl_shm_stat(_objfd, _st) \
	ASSERT_EQ(0, _test_cmd_shm_stat(_objfd, _st))

/* One field of KIPC_IOC_SHM_STAT, e.g. test_shm_stat(fd, out_nattch). */
#define test_shm_stat(_objfd, _field)					\
	({								\
		struct kipc_shm_stat __st;				\
		test_ioctl_shm_stat(_objfd, &__st);			\
		__st._field;						\
	})

/* mmap() of @len bytes at @offset; MAP_FAILED must not come back. */
#define test_shm_mmap(_objfd, _len, _prot, _flags, _offset)		\
	({								\
		void *__p = mmap(NULL, _len, _prot, _flags, _objfd,	\
				 _offset);				\
		ASSERT_NE(MAP_FAILED, __p)				\
			TH_LOG("mmap: %s", strerror(errno));		\
		(char *)__p;						\
	})
#define test_err_shm_mmap(_errno, _objfd, _len, _prot, _flags, _offset) \
	({								\
		ASSERT_EQ(MAP_FAILED, mmap(NULL, _len, _prot, _flags,	\
					   _objfd, _offset));		\
		EXPECT_EQ(_errno, errno);				\
	})

/*
 * Touch one byte and report the signal it raised: 0, SIGBUS or SIGSEGV.
 * The handlers are installed for the call only. A write stores @val.
 */
static sigjmp_buf kipc_probe_env;
static volatile sig_atomic_t kipc_probe_sig;

static inline void kipc_probe_handler(int sig)
{
	kipc_probe_sig = sig;
	siglongjmp(kipc_probe_env, 1);
}

static inline int kipc_probe(volatile char *p, bool write, char val,
			     char *out)
{
	struct sigaction sa, old_bus, old_segv;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kipc_probe_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	kipc_probe_sig = 0;
	if (!sigsetjmp(kipc_probe_env, 1)) {
		if (write)
			*p = val;
		else if (out)
			*out = *p;
		else
			(void)*p;
	}
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return kipc_probe_sig;
}
#define test_probe_read(_p)	kipc_probe(_p, false, 0, NULL)
#define test_probe_write(_p)	kipc_probe(_p, true, 0x5a, NULL)

/* KIPC_CMD_OBJ_GET by id into @obj: 0 or -errno (-ENOENT: no such id). */
static inline int kipc_nl_obj_get_all(struct kipc_nl *nl, __u64 id,
				      struct kipc_nl_obj *obj)
{
	return kipc_nl_obj_stat(nl, id, obj);
}

/* One attribute of KIPC_CMD_STATS_GET, e.g. KIPC_A_STATS_SHMS. */
#define test_nl_stats_attr(_nl, _attr)					\
	({								\
		struct kipc_nl_msg __sm;				\
		ASSERT_EQ(0, kipc_nl_stats_get(_nl, &__sm));		\
		ASSERT_TRUE(__sm.has[_attr]);				\
		__sm.val[_attr];					\
	})

/* A byte pattern that differs by @seed and by offset, to spot stray data. */
static inline char kipc_pattern(unsigned int seed, size_t off)
{
	return (char)(seed * 131 + off * 7 + (off >> 12) + 1);
}

static inline void kipc_fill(char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = kipc_pattern(seed, i);
}

/* The offset of the first byte that is not @seed's pattern, or -1. */
static inline ssize_t kipc_check(const char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != kipc_pattern(seed, i))
			return i;
	return -1;
}

/* The offset of the first byte that is not zero, or -1. */
static inline ssize_t kipc_check_zero(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return i;
	return -1;
}

/*
 * KIPC_MODE=debug (the runner exports KIPC_MODE): the Tier B kernel of make
 * check-debug, where KASAN, lockdep, kmemleak and DEBUG_OBJECTS make every
 * call many times slower. Stress tests divide their budgets by
 * KIPC_DEBUG_SCALE there, as they run to find reports, not to time things.
 */
#define KIPC_DEBUG_SCALE	20

static inline bool kipc_debug_mode(void)
{
	const char *mode = getenv("KIPC_MODE");

	return mode && !strcmp(mode, "debug");
}

/*
 * And every test gets KIPC_DEBUG_TIMEOUT_SCALE times its time limit there.
 * This runs after the harness registered the tests (constructors of
 * priority KSELFTEST_PRIO_TEST and _XFAIL), before main().
 */
#define KIPC_DEBUG_TIMEOUT_SCALE	10

static void __attribute__((constructor(KSELFTEST_PRIO_XFAIL + 1)))
kipc_debug_timeouts(void)
{
	struct __fixture_metadata *f;
	struct __test_metadata *t;

	if (!kipc_debug_mode())
		return;
	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout *= KIPC_DEBUG_TIMEOUT_SCALE;
}

#endif /* KIPC_TEST_H */
