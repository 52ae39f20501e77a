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
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
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

static inline int kipc_param_write(const char *param, unsigned long long val)
{
	char path[128], buf[64];
	ssize_t n;
	int fd, len;

	snprintf(path, sizeof(path), KIPC_PARAM_DIR "%s", param);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%llu\n", val);
	n = write(fd, buf, len);
	close(fd);
	if (n != len)
		return n < 0 ? -errno : -EIO;
	return 0;
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
 * Read the answer to the last request: every message of @family is parsed
 * into @msgs (at most @max of them; *@count says how many came). Returns 0,
 * or the -errno of an NLMSG_ERROR or of a failed dump.
 */
static inline int kipc_nl_recv(struct kipc_nl *nl, __u16 family,
			       struct kipc_nl_msg *msgs, int max, int *count)
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

/*
 * Admin removal by id (KIPC_CMD_OBJ_REMOVE), acknowledged: 0 or -errno.
 */
static inline int kipc_nl_obj_remove(struct kipc_nl *nl, __u64 id)
{
	struct kipc_nl_req req;
	int ret;

	kipc_nl_req_init(nl, &req, nl->family, NLM_F_ACK, KIPC_CMD_OBJ_REMOVE,
			 KIPC_GENL_VERSION);
	kipc_nl_put_attr(&req.nlh, KIPC_A_OBJ_ID, &id, sizeof(id));
	ret = kipc_nl_send(nl, &req);
	if (ret)
		return ret;
	return kipc_nl_recv(nl, nl->family, NULL, 0, NULL);
}

/*
 * Every numeric attribute of one object. struct kipc_nl_msg stops at
 * KIPC_NL_MAX_ATTR, below the region statistics, so this has its own table.
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

/* KIPC_CMD_OBJ_GET by id into @obj: 0 or -errno (-ENOENT: no such id). */
static inline int kipc_nl_obj_get_all(struct kipc_nl *nl, __u64 id,
				      struct kipc_nl_obj *obj)
{
	struct kipc_nl_req req;
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
	ret = -EBADMSG;
	for (;;) {
		struct nlmsghdr *nlh;
		bool done = false;
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
				ret = ((const struct nlmsgerr *)
				       NLMSG_DATA(nlh))->error;
				done = true;
				break;
			}
			if (nlh->nlmsg_type == nl->family) {
				kipc_nl_parse_obj(nlh, obj);
				ret = 0;
				done = true;
				break;
			}
		}
		if (done)
			break;
	}
	free(buf);
	return ret;
}

/* One attribute of KIPC_CMD_STATS_GET, e.g. KIPC_A_STATS_SHMS. */
#define test_nl_stat(_nl, _attr)					\
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

#endif /* KIPC_TEST_H */
