// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libkipc-admin: the inspection API, a client of the Generic Netlink family
 * "kipc" built on libnl-genl-3.
 *
 * libnl reports its own -NLE_* codes, which lose the kernel's errno (every
 * kernel error it does not know becomes NLE_FAILURE). So the library takes the
 * errno from the kernel's error message itself, through its own error
 * callback, and maps the remaining libnl codes to errnos in one place.
 *
 * One request is in flight per handle at a time. Each request is sent, then
 * its replies are read until the ACK, the error or the NLMSG_DONE that ends
 * it; a reply that does not carry the request's sequence number, or does not
 * come from the kernel, is dropped, so a request never consumes a stale or
 * forged answer.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "kipc-admin.h"

#define KIPC_ADMIN_EXPORT __attribute__((visibility("default")))

#define offsetofend(type, member) \
	(offsetof(type, member) + sizeof(((type *)0)->member))

/* The sizes of the first versions of the structures, as callers know them. */
#define KIPC_ADMIN_OBJ_SIZE_VER0 offsetofend(struct kipc_admin_obj, name)
#define KIPC_ADMIN_STATS_SIZE_VER0 \
	offsetofend(struct kipc_admin_stats, limit_uid_bytes)
#define KIPC_ADMIN_LIMITS_SIZE_VER0 \
	offsetofend(struct kipc_admin_limits, __reserved)
#define KIPC_ADMIN_EVENT_SIZE_VER0 offsetofend(struct kipc_admin_event, name)

/* Growth only at the end: the first version's fields stay where they were. */
_Static_assert(offsetof(struct kipc_admin_obj, mq_depth) ==
	       KIPC_ADMIN_OBJ_SIZE_VER0, "struct kipc_admin_obj grows at its end");
_Static_assert(offsetof(struct kipc_admin_obj, shm_nattch) ==
	       offsetofend(struct kipc_admin_obj, mq_rtime_ns),
	       "struct kipc_admin_obj grows at its end");

/* Extended ACK messages longer than this are cut. */
#define KIPC_ADMIN_ERRMSG_MAX	256

struct kipc_admin {
	struct nl_sock *sk;
	struct nl_cb *cb;
	int family;
	bool monitor;
	char errmsg[KIPC_ADMIN_ERRMSG_MAX];
};

/**
 * struct kipc_admin_req - one request and the state of reading its replies
 * @ka: the handle
 * @cmd: KIPC_CMD_* every reply must carry
 * @seq: sequence number every reply must carry
 * @parse: called for each reply; < 0 fails the request, > 0 stops parsing
 * @arg: passed to @parse
 * @err: the first error, -errno
 * @done: the ACK, error or NLMSG_DONE that ends the request has arrived
 * @stopped: @parse asked to stop; the rest of a dump is read and dropped
 */
struct kipc_admin_req {
	struct kipc_admin *ka;
	uint8_t cmd;
	uint32_t seq;
	int (*parse)(struct nlmsghdr *nlh, void *arg);
	void *arg;
	int err;
	bool done;
	bool stopped;
};

/* libnl error codes as errnos, for the failures that are libnl's own. */
static int kipc_admin_nlerr(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_SUCCESS:
		return 0;
	case NLE_INTR:
		return -EINTR;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_OPNOTSUPP:
	case NLE_SRCRT_NOSUPPORT:
		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_NOADDR:
		return -EADDRNOTAVAIL;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_PROTO_MISMATCH:
		return -EPROTONOSUPPORT;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_PERM:
		return -EPERM;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_MSG_OVERFLOW:
		/* The kernel dropped replies: the socket buffer overran. */
		return -ENOBUFS;
	case NLE_DUMP_INTR:
		/* The dump may be inconsistent; trying again will do. */
		return -EAGAIN;
	case NLE_AF_MISMATCH:
	case NLE_SEQ_MISMATCH:
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_MSGTYPE_NOSUPPORT:
	case NLE_NOATTR:
	case NLE_MISSING_ATTR:
	case NLE_ATTRSIZE:
	case NLE_PARSE_ERR:
		return -EPROTO;
	}
	return -EIO;
}

/*
 * Parse the attributes of a reply with @policy, then hold fixed-size
 * attributes to their exact size: libnl only checks a minimum, and a u64
 * where a u32 was promised means the two sides disagree on the ABI.
 * Attributes above @maxtype are new ones this library does not know yet and
 * are ignored.
 */
static int kipc_admin_parse(struct nlmsghdr *nlh, struct nlattr **tb,
			    int maxtype, const struct nla_policy *policy)
{
	int i, ret;

	ret = genlmsg_parse(nlh, 0, tb, maxtype, policy);
	if (ret < 0)
		return -EPROTO;
	for (i = 0; i <= maxtype; i++) {
		int len;

		if (!tb[i])
			continue;
		switch (policy[i].type) {
		case NLA_U32:
			len = sizeof(uint32_t);
			break;
		case NLA_U64:
			len = sizeof(uint64_t);
			break;
		default:
			continue;
		}
		if (nla_len(tb[i]) != len)
			return -EPROTO;
	}
	return 0;
}

/*
 * Mark the attributes that came and that this library stores, which are
 * those it has a policy for: an attribute of a newer header that the library
 * does not copy into a field must not claim that its field is valid.
 */
static void kipc_admin_set_present(uint64_t *present, struct nlattr **tb,
				   int maxtype,
				   const struct nla_policy *policy)
{
	int i;

	memset(present, 0, KIPC_ADMIN_PRESENT_WORDS * sizeof(*present));
	for (i = 0; i <= maxtype && i < 64 * KIPC_ADMIN_PRESENT_WORDS; i++)
		if (tb[i] && policy[i].type)
			present[i / 64] |= 1ULL << (i % 64);
}

/**
 * struct kipc_admin_field - where a reply's attribute is stored
 * @off: offset of its field in the library's structure
 * @size: size of the field
 */
struct kipc_admin_field {
	uint16_t off;
	uint16_t size;
};

/* The field @member of @type, which must be of C type @ctype. */
#define KIPC_ADMIN_FIELD(type, member, ctype) {				\
	.off = offsetof(type, member) +					\
	       0 * sizeof(char[__builtin_types_compatible_p(		\
			__typeof__(((type *)0)->member), ctype) ? 1 : -1]), \
	.size = sizeof(((type *)0)->member),				\
}

/**
 * struct kipc_admin_reply - how to read one kind of reply
 * @maxtype: its attribute set's highest attribute
 * @policy: its attributes, as libnl checks them
 * @fields: where each attribute is stored
 * @size: the size of the library's structure that stores them
 * @present: the structure starts with its @present words
 * @named: a message of the obj set that names an object, which is a
 *	protocol error without its id, type and name
 */
struct kipc_admin_reply {
	int maxtype;
	const struct nla_policy *policy;
	const struct kipc_admin_field *fields;
	size_t size;
	bool present;
	bool named;
};

/* The replies' policies, fields and the above, from the netlink spec. */
#include "admin-gen.h"

/* kipc_admin_from_msg() finds @present at the start of the structure. */
_Static_assert(offsetof(struct kipc_admin_obj, present) == 0 &&
	       offsetof(struct kipc_admin_stats, present) == 0 &&
	       offsetof(struct kipc_admin_limits, present) == 0,
	       "@present starts the structure");

/* The most attributes of any set, as @present has room for. */
#define KIPC_ADMIN_ATTR_MAX	(64 * KIPC_ADMIN_PRESENT_WORDS - 1)
_Static_assert(KIPC_A_OBJ_MAX <= KIPC_ADMIN_ATTR_MAX &&
	       KIPC_A_STATS_MAX <= KIPC_ADMIN_ATTR_MAX &&
	       KIPC_A_LIMITS_MAX <= KIPC_ADMIN_ATTR_MAX,
	       "an attribute set outgrew the present words");

/*
 * Store the attributes of @tb that @policy knows into the fields of @dst
 * that @fields gives, after kipc_admin_parse() checked their sizes. The
 * caller zeroed @dst: an attribute that did not come leaves its field 0.
 */
static void kipc_admin_fill(void *dst, struct nlattr **tb, int maxtype,
			    const struct nla_policy *policy,
			    const struct kipc_admin_field *fields)
{
	int i;

	for (i = 0; i <= maxtype; i++) {
		char *field = (char *)dst + fields[i].off;
		uint32_t u32;
		uint64_t u64;

		if (!tb[i])
			continue;
		switch (policy[i].type) {
		case NLA_U32:
			u32 = nla_get_u32(tb[i]);
			memcpy(field, &u32, sizeof(u32));
			break;
		case NLA_U64:
			u64 = nla_get_u64(tb[i]);
			memcpy(field, &u64, sizeof(u64));
			break;
		case NLA_FLAG:
			u32 = 1;
			memcpy(field, &u32, sizeof(u32));
			break;
		case NLA_STRING:
			nla_strlcpy(field, tb[i], fields[i].size);
			break;
		}
	}
}

/*
 * Keep the NLMSGERR_ATTR_MSG of an error or NLMSG_DONE message. Its TLVs
 * follow @hdrlen bytes of payload: the nlmsgerr (plus the echoed request
 * unless the kernel capped it), or the error int of NLMSG_DONE.
 */
static void kipc_admin_save_extack(struct kipc_admin *ka,
				   const struct nlmsghdr *nlh, size_t hdrlen)
{
	static const struct nla_policy policy[NLMSGERR_ATTR_MSG + 1] = {
		[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MSG + 1];
	size_t len = nlmsg_datalen(nlh);
	char *data = nlmsg_data(nlh);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	hdrlen = NLMSG_ALIGN(hdrlen);
	if (hdrlen >= len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MSG, (struct nlattr *)(data + hdrlen),
		      len - hdrlen, policy) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(ka->errmsg, tb[NLMSGERR_ATTR_MSG],
			    sizeof(ka->errmsg));
}

static int kipc_admin_seq_check(struct nl_msg *msg, void *arg)
{
	struct kipc_admin_req *req = arg;

	if (nlmsg_get_src(msg)->nl_pid != 0 ||
	    nlmsg_hdr(msg)->nlmsg_seq != req->seq)
		return NL_SKIP;
	return NL_OK;
}

static int kipc_admin_valid(struct nl_msg *msg, void *arg)
{
	struct kipc_admin_req *req = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *genl;
	int ret;

	/* After a failure or a stop, a dump is drained to its end. */
	if (req->err || req->stopped)
		return NL_OK;
	if (nlh->nlmsg_type != req->ka->family || !genlmsg_valid_hdr(nlh, 0)) {
		req->err = -EPROTO;
		return NL_OK;
	}
	genl = nlmsg_data(nlh);
	if (genl->cmd != req->cmd) {
		req->err = -EPROTO;
		return NL_OK;
	}
	ret = req->parse ? req->parse(nlh, req->arg) : 0;
	if (ret < 0)
		req->err = ret;
	else if (ret > 0)
		req->stopped = true;
	return NL_OK;
}

static int kipc_admin_finish(struct nl_msg *msg, void *arg)
{
	struct kipc_admin_req *req = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err;

	/* A dump that failed part-way says so in the int NLMSG_DONE carries. */
	if (nlmsg_datalen(nlh) >= (int)sizeof(err)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0 && !req->err) {
			req->err = err;
			kipc_admin_save_extack(req->ka, nlh, sizeof(err));
		}
	}
	req->done = true;
	return NL_STOP;
}

static int kipc_admin_ack(struct nl_msg *msg, void *arg)
{
	struct kipc_admin_req *req = arg;

	(void)msg;
	req->done = true;
	return NL_STOP;
}

static int kipc_admin_error(struct sockaddr_nl *nla, struct nlmsgerr *e,
			    void *arg)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)e - 1;
	struct kipc_admin_req *req = arg;
	size_t hdrlen = sizeof(*e);

	(void)nla;
	if (!req->err) {
		req->err = e->error < 0 ? e->error : -EPROTO;
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len > NLMSG_HDRLEN)
			hdrlen += e->msg.nlmsg_len - NLMSG_HDRLEN;
		kipc_admin_save_extack(req->ka, nlh, hdrlen);
	}
	req->done = true;
	return NL_STOP;
}

/* Send @msg and read replies until the request is over. */
static int kipc_admin_talk(struct kipc_admin *ka, struct nl_msg *msg,
			   struct kipc_admin_req *req)
{
	int ret;

	ka->errmsg[0] = '\0';
	req->ka = ka;
	nl_cb_set(ka->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, kipc_admin_seq_check,
		  req);
	nl_cb_set(ka->cb, NL_CB_VALID, NL_CB_CUSTOM, kipc_admin_valid, req);
	nl_cb_set(ka->cb, NL_CB_FINISH, NL_CB_CUSTOM, kipc_admin_finish, req);
	nl_cb_set(ka->cb, NL_CB_ACK, NL_CB_CUSTOM, kipc_admin_ack, req);
	nl_cb_err(ka->cb, NL_CB_CUSTOM, kipc_admin_error, req);

	ret = nl_send_auto(ka->sk, msg);
	if (ret < 0)
		return kipc_admin_nlerr(ret);
	req->seq = nlmsg_hdr(msg)->nlmsg_seq;

	while (!req->done) {
		ret = nl_recvmsgs(ka->sk, ka->cb);
		if (ret < 0) {
			/*
			 * An error message already said why; libnl's mapping
			 * of it would only lose information.
			 */
			if (!req->err)
				req->err = kipc_admin_nlerr(ret);
			break;
		}
	}
	return req->err;
}

static struct nl_msg *kipc_admin_msg(struct kipc_admin *ka, uint8_t cmd,
				     int flags)
{
	struct nl_msg *msg;

	msg = nlmsg_alloc();
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ka->family, 0,
			 NLM_F_REQUEST | flags, cmd, KIPC_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * The socket is made here rather than by genl_connect() so that a failure of
 * socket() or bind() keeps its errno (EMFILE, ENOBUFS, ...), which libnl
 * would fold into NLE_FAILURE.
 */
static int kipc_admin_socket(struct nl_sock *sk)
{
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	int fd, one = 1, ret;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	/* Best effort: without them errors just come with less detail. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0) {
		ret = -errno;
		goto out_close;
	}
	ret = nl_socket_set_fd(sk, NETLINK_GENERIC, fd);
	if (ret < 0) {
		ret = kipc_admin_nlerr(ret);
		goto out_close;
	}
	return 0;

out_close:
	close(fd);
	return ret;
}

KIPC_ADMIN_EXPORT int kipc_admin_open(struct kipc_admin **out)
{
	int saved_errno = errno;
	struct kipc_admin *ka;
	int ret;

	*out = NULL;
	ka = calloc(1, sizeof(*ka));
	if (!ka) {
		ret = -ENOMEM;
		goto out;
	}
	ka->sk = nl_socket_alloc();
	ka->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!ka->sk || !ka->cb) {
		ret = -ENOMEM;
		goto out_free;
	}
	/* Replies of any size, without guessing a buffer size. */
	nl_socket_enable_msg_peek(ka->sk);
	ret = kipc_admin_socket(ka->sk);
	if (ret < 0)
		goto out_free;
	/* -NLE_OBJ_NOTFOUND, hence -ENOENT, when the module is not loaded. */
	ret = genl_ctrl_resolve(ka->sk, KIPC_GENL_NAME);
	if (ret < 0) {
		ret = kipc_admin_nlerr(ret);
		goto out_free;
	}
	ka->family = ret;
	*out = ka;
	ret = 0;
	goto out;

out_free:
	nl_cb_put(ka->cb);
	nl_socket_free(ka->sk);
	free(ka);
out:
	errno = saved_errno;
	return ret;
}

KIPC_ADMIN_EXPORT void kipc_admin_close(struct kipc_admin *ka)
{
	int saved_errno = errno;

	if (!ka)
		return;
	nl_cb_put(ka->cb);
	nl_socket_free(ka->sk);
	free(ka);
	errno = saved_errno;
}

KIPC_ADMIN_EXPORT const char *kipc_admin_errmsg(const struct kipc_admin *ka)
{
	return ka->errmsg[0] ? ka->errmsg : NULL;
}

/* Parse a reply of kind @r into @buf, the library's structure. */
static int kipc_admin_from_msg(struct nlmsghdr *nlh,
			       const struct kipc_admin_reply *r, void *buf)
{
	struct nlattr *tb[KIPC_ADMIN_ATTR_MAX + 1];
	int ret;

	ret = kipc_admin_parse(nlh, tb, r->maxtype, r->policy);
	if (ret < 0)
		return ret;
	/* Without these there is nothing to name the object by. */
	if (r->named && (!tb[KIPC_A_OBJ_ID] || !tb[KIPC_A_OBJ_TYPE] ||
			 !tb[KIPC_A_OBJ_NAME]))
		return -EPROTO;
	memset(buf, 0, r->size);
	if (r->present)
		kipc_admin_set_present(buf, tb, r->maxtype, r->policy);
	kipc_admin_fill(buf, tb, r->maxtype, r->policy, r->fields);
	return 0;
}

/*
 * Copy the library's structure into a caller's of @size bytes: a shorter one
 * gets the fields it knows, a longer one zeroes beyond ours (and @present
 * says those fields were not reported).
 */
static void kipc_admin_copy_out(void *dst, size_t size, const void *src,
				size_t srcsize)
{
	if (size <= srcsize) {
		memcpy(dst, src, size);
	} else {
		memcpy(dst, src, srcsize);
		memset((char *)dst + srcsize, 0, size - srcsize);
	}
}

/*
 * Send request @cmd with @flags and the attributes that @put (if any) adds
 * from @put_arg, and read its replies with @req. Returns 0 or -errno, with
 * errno as it was.
 */
static int kipc_admin_request(struct kipc_admin *ka, uint8_t cmd, int flags,
			      int (*put)(struct nl_msg *msg,
					 const void *put_arg),
			      const void *put_arg, struct kipc_admin_req *req)
{
	int saved_errno = errno;
	struct nl_msg *msg;
	int ret;

	req->cmd = cmd;
	msg = kipc_admin_msg(ka, cmd, flags);
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	ret = put ? put(msg, put_arg) : 0;
	if (ret < 0)
		ret = kipc_admin_nlerr(ret);
	else
		ret = kipc_admin_talk(ka, msg, req);
	nlmsg_free(msg);
out:
	errno = saved_errno;
	return ret;
}

/**
 * struct kipc_admin_one - the one reply of a request that is not a dump
 * @reply: the kind of reply
 * @buf: the library's structure for it
 * @found: the reply came; a second one is a protocol error
 */
struct kipc_admin_one {
	const struct kipc_admin_reply *reply;
	void *buf;
	bool found;
};

static int kipc_admin_one_parse(struct nlmsghdr *nlh, void *arg)
{
	struct kipc_admin_one *one = arg;
	int ret;

	if (one->found)
		return -EPROTO;
	ret = kipc_admin_from_msg(nlh, one->reply, one->buf);
	if (ret < 0)
		return ret;
	one->found = true;
	return 0;
}

/*
 * Request @cmd, which has one reply, of kind @reply, and copy it into the
 * caller's structure @out of @size bytes, at least @minsize, once @check (if
 * any) found it to be the one asked for by @put_arg.
 */
static int kipc_admin_get_one(struct kipc_admin *ka, uint8_t cmd,
			      int (*put)(struct nl_msg *msg,
					 const void *put_arg),
			      const void *put_arg,
			      const struct kipc_admin_reply *reply,
			      size_t minsize, void *out, size_t size,
			      int (*check)(const void *buf,
					   const void *put_arg))
{
	union {
		struct kipc_admin_obj obj;
		struct kipc_admin_stats st;
		struct kipc_admin_limits lim;
	} u;
	struct kipc_admin_one one = { .reply = reply, .buf = &u };
	struct kipc_admin_req req = {
		.parse = kipc_admin_one_parse,
		.arg = &one,
	};
	int ret;

	if (size < minsize)
		return -EINVAL;
	ret = kipc_admin_request(ka, cmd, NLM_F_ACK, put, put_arg, &req);
	if (!ret && !one.found)
		ret = -EPROTO;
	if (!ret && check)
		ret = check(&u, put_arg);
	if (!ret)
		kipc_admin_copy_out(out, size, &u, reply->size);
	return ret;
}

/**
 * struct kipc_admin_walk - a dump, each reply passed to a caller's callback
 * @reply: the kind of its replies
 * @obj_cb: the callback of a dump of objects
 * @limits_cb: the callback of a dump of limits
 * @arg: passed to the callback
 * @count: replies passed so far
 */
struct kipc_admin_walk {
	const struct kipc_admin_reply *reply;
	kipc_admin_obj_cb obj_cb;
	kipc_admin_limits_cb limits_cb;
	void *arg;
	int count;
};

static int kipc_admin_walk_one(struct nlmsghdr *nlh, void *arg)
{
	struct kipc_admin_walk *w = arg;
	union {
		struct kipc_admin_obj obj;
		struct kipc_admin_limits lim;
	} u;
	int ret;

	ret = kipc_admin_from_msg(nlh, w->reply, &u);
	if (ret < 0)
		return ret;
	w->count++;
	return w->obj_cb ? w->obj_cb(&u.obj, w->arg) :
			   w->limits_cb(&u.lim, w->arg);
}

/* Dump @cmd through @w. Returns the replies passed, or -errno. */
static int kipc_admin_walk(struct kipc_admin *ka, uint8_t cmd,
			   int (*put)(struct nl_msg *msg, const void *put_arg),
			   const void *put_arg, struct kipc_admin_walk *w)
{
	struct kipc_admin_req req = {
		.parse = kipc_admin_walk_one,
		.arg = w,
	};
	int ret;

	ret = kipc_admin_request(ka, cmd, NLM_F_DUMP, put, put_arg, &req);
	return ret ? ret : w->count;
}

KIPC_ADMIN_EXPORT int kipc_admin_list(struct kipc_admin *ka,
				      kipc_admin_obj_cb cb, void *arg)
{
	return kipc_admin_list_type(ka, 0, cb, arg);
}

/* Put the type a dump keeps to, when there is one. */
static int kipc_admin_put_type(struct nl_msg *msg, const void *arg)
{
	const unsigned int *type = arg;

	return *type ? nla_put_u32(msg, KIPC_A_OBJ_TYPE, *type) : 0;
}

KIPC_ADMIN_EXPORT int kipc_admin_list_type(struct kipc_admin *ka,
					   unsigned int type,
					   kipc_admin_obj_cb cb, void *arg)
{
	struct kipc_admin_walk w = {
		.reply = &kipc_admin_obj_reply,
		.obj_cb = cb,
		.arg = arg,
	};

	return kipc_admin_walk(ka, KIPC_CMD_OBJ_GET, kipc_admin_put_type,
			       &type, &w);
}

/* What selects an object: an id, or (with a name) a type and a name. */
struct kipc_admin_sel {
	uint64_t id;
	unsigned int type;
	const char *name;
};

static int kipc_admin_put_sel(struct nl_msg *msg, const void *arg)
{
	const struct kipc_admin_sel *sel = arg;

	if (!sel->name)
		return nla_put_u64(msg, KIPC_A_OBJ_ID, sel->id);
	return nla_put_u32(msg, KIPC_A_OBJ_TYPE, sel->type) ?:
	       nla_put_string(msg, KIPC_A_OBJ_NAME, sel->name);
}

/* The object that came is the one @arg selected. */
static int kipc_admin_check_sel(const void *buf, const void *arg)
{
	const struct kipc_admin_obj *obj = buf;
	const struct kipc_admin_sel *sel = arg;

	if (!sel->name)
		return obj->id == sel->id ? 0 : -EPROTO;
	if (obj->type != sel->type || strcmp(obj->name, sel->name))
		return -EPROTO;
	return 0;
}

static int kipc_admin_get_sel(struct kipc_admin *ka,
			      const struct kipc_admin_sel *sel,
			      struct kipc_admin_obj *obj, size_t size)
{
	return kipc_admin_get_one(ka, KIPC_CMD_OBJ_GET, kipc_admin_put_sel, sel,
				  &kipc_admin_obj_reply,
				  KIPC_ADMIN_OBJ_SIZE_VER0, obj, size,
				  kipc_admin_check_sel);
}

KIPC_ADMIN_EXPORT int kipc_admin_get(struct kipc_admin *ka, uint64_t id,
				     struct kipc_admin_obj *obj, size_t size)
{
	struct kipc_admin_sel sel = { .id = id };

	return kipc_admin_get_sel(ka, &sel, obj, size);
}

/* Names the kernel would refuse anyway, refused without asking it. */
static bool kipc_admin_name_ok(const char *name)
{
	return name && name[0] && strlen(name) <= KIPC_NAME_MAX;
}

KIPC_ADMIN_EXPORT int kipc_admin_find(struct kipc_admin *ka, unsigned int type,
				      const char *name,
				      struct kipc_admin_obj *obj, size_t size)
{
	struct kipc_admin_sel sel = { .type = type, .name = name };

	if (size < KIPC_ADMIN_OBJ_SIZE_VER0 || !kipc_admin_name_ok(name))
		return -EINVAL;
	/* The kernel looks the name up as an open would. */
	return kipc_admin_get_sel(ka, &sel, obj, size);
}

static int kipc_admin_remove_sel(struct kipc_admin *ka,
				 const struct kipc_admin_sel *sel)
{
	/* The kernel answers with an ACK or an error, and nothing else. */
	struct kipc_admin_req req = { .parse = NULL };

	return kipc_admin_request(ka, KIPC_CMD_OBJ_REMOVE, NLM_F_ACK,
				  kipc_admin_put_sel, sel, &req);
}

KIPC_ADMIN_EXPORT int kipc_admin_remove(struct kipc_admin *ka, uint64_t id)
{
	struct kipc_admin_sel sel = { .id = id };

	return kipc_admin_remove_sel(ka, &sel);
}

KIPC_ADMIN_EXPORT int kipc_admin_remove_name(struct kipc_admin *ka,
					     unsigned int type,
					     const char *name)
{
	struct kipc_admin_sel sel = { .type = type, .name = name };

	if (!kipc_admin_name_ok(name))
		return -EINVAL;
	return kipc_admin_remove_sel(ka, &sel);
}

KIPC_ADMIN_EXPORT int kipc_admin_stats(struct kipc_admin *ka,
				       struct kipc_admin_stats *st,
				       size_t size)
{
	return kipc_admin_get_one(ka, KIPC_CMD_STATS_GET, NULL, NULL,
				  &kipc_admin_stats_reply,
				  KIPC_ADMIN_STATS_SIZE_VER0, st, size, NULL);
}

/* Put the uid whose limits are asked for. */
static int kipc_admin_put_uid(struct nl_msg *msg, const void *arg)
{
	const uint32_t *uid = arg;

	return nla_put_u32(msg, KIPC_A_LIMITS_UID, *uid);
}

static int kipc_admin_limits_req(struct kipc_admin *ka, bool has_uid,
				 uint32_t uid, struct kipc_admin_limits *lim,
				 size_t size)
{
	return kipc_admin_get_one(ka, KIPC_CMD_LIMITS_GET,
				  has_uid ? kipc_admin_put_uid : NULL, &uid,
				  &kipc_admin_limits_reply,
				  KIPC_ADMIN_LIMITS_SIZE_VER0, lim, size, NULL);
}

KIPC_ADMIN_EXPORT int kipc_admin_limits_get(struct kipc_admin *ka,
					    struct kipc_admin_limits *lim,
					    size_t size)
{
	return kipc_admin_limits_req(ka, false, 0, lim, size);
}

KIPC_ADMIN_EXPORT int kipc_admin_limits_get_uid(struct kipc_admin *ka,
						uint32_t uid,
						struct kipc_admin_limits *lim,
						size_t size)
{
	return kipc_admin_limits_req(ka, true, uid, lim, size);
}

KIPC_ADMIN_EXPORT int kipc_admin_limits_list(struct kipc_admin *ka,
					     kipc_admin_limits_cb cb,
					     void *arg)
{
	struct kipc_admin_walk w = {
		.reply = &kipc_admin_limits_reply,
		.limits_cb = cb,
		.arg = arg,
	};

	return kipc_admin_walk(ka, KIPC_CMD_LIMITS_GET, NULL, NULL, &w);
}

#define KIPC_ADMIN_LIMIT_ALL \
	(KIPC_ADMIN_LIMIT_OBJECTS | KIPC_ADMIN_LIMIT_BYTES | \
	 KIPC_ADMIN_LIMIT_UID_OBJECTS | KIPC_ADMIN_LIMIT_UID_BYTES | \
	 KIPC_ADMIN_LIMIT_UID | KIPC_ADMIN_LIMIT_RESET)

/* What kipc_admin_limits_set() sets. */
struct kipc_admin_limits_put {
	unsigned int what;
	const struct kipc_admin_limits *lim;
};

static int kipc_admin_put_limits(struct nl_msg *msg, const void *arg)
{
	const struct kipc_admin_limits_put *lp = arg;
	const struct kipc_admin_limits *lim = lp->lim;
	unsigned int what = lp->what;
	int ret = 0;

	if (what & KIPC_ADMIN_LIMIT_UID)
		ret = nla_put_u32(msg, KIPC_A_LIMITS_UID, lim->uid);
	if (!ret && (what & KIPC_ADMIN_LIMIT_OBJECTS))
		ret = nla_put_u32(msg, KIPC_A_LIMITS_OBJECTS, lim->objects);
	if (!ret && (what & KIPC_ADMIN_LIMIT_BYTES))
		ret = nla_put_u64(msg, KIPC_A_LIMITS_BYTES, lim->bytes);
	if (!ret && (what & KIPC_ADMIN_LIMIT_UID_OBJECTS))
		ret = nla_put_u32(msg, KIPC_A_LIMITS_UID_OBJECTS,
				  lim->uid_objects);
	if (!ret && (what & KIPC_ADMIN_LIMIT_UID_BYTES))
		ret = nla_put_u64(msg, KIPC_A_LIMITS_UID_BYTES, lim->uid_bytes);
	if (!ret && (what & KIPC_ADMIN_LIMIT_RESET))
		ret = nla_put_flag(msg, KIPC_A_LIMITS_RESET);
	return ret;
}

KIPC_ADMIN_EXPORT int kipc_admin_limits_set(struct kipc_admin *ka,
					    unsigned int what,
					    const struct kipc_admin_limits *lim)
{
	struct kipc_admin_limits_put lp = { .what = what, .lim = lim };
	struct kipc_admin_req req = { .parse = NULL };

	/* The kernel says the same, but a caller's mistake is found here. */
	if (!lim || (what & ~KIPC_ADMIN_LIMIT_ALL) ||
	    !(what & ~KIPC_ADMIN_LIMIT_UID))
		return -EINVAL;
	return kipc_admin_request(ka, KIPC_CMD_LIMITS_SET, NLM_F_ACK,
				  kipc_admin_put_limits, &lp, &req);
}

KIPC_ADMIN_EXPORT int kipc_admin_monitor_open(struct kipc_admin **out)
{
	struct kipc_admin_req req = { .parse = NULL };
	int saved_errno = errno;
	struct kipc_admin *ka;
	int ret, grp;

	ret = kipc_admin_open(&ka);
	if (ret < 0)
		return ret;
	/* The family without the group: a kernel that cannot filter. */
	grp = genl_ctrl_resolve_grp(ka->sk, KIPC_GENL_NAME, KIPC_MCGRP_MONITOR);
	if (grp < 0) {
		ret = grp == -NLE_OBJ_NOTFOUND ? -EOPNOTSUPP :
						 kipc_admin_nlerr(grp);
		goto out_close;
	}
	/*
	 * Subscribe this socket, then join: a member hears only once it is
	 * subscribed, and no event can then come before the ACK.
	 */
	ret = kipc_admin_request(ka, KIPC_CMD_MONITOR_SUBSCRIBE, NLM_F_ACK,
				 NULL, NULL, &req);
	if (ret < 0)
		goto out_close;
	if (setsockopt(nl_socket_get_fd(ka->sk), SOL_NETLINK,
		       NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0) {
		ret = -errno;
		goto out_close;
	}
	ka->monitor = true;
	*out = ka;
	errno = saved_errno;
	return 0;

out_close:
	kipc_admin_close(ka);
	errno = saved_errno;
	return ret;
}

KIPC_ADMIN_EXPORT int kipc_admin_monitor_fd(const struct kipc_admin *ka)
{
	return ka->monitor ? nl_socket_get_fd(ka->sk) : -EINVAL;
}

/* One datagram of the monitor socket as an event; 0 if it is not one. */
static int kipc_admin_event_parse(struct kipc_admin *ka, void *buf,
				  size_t len, struct kipc_admin_event *ev)
{
	struct nlmsghdr *nlh = buf;
	struct genlmsghdr *genl;
	int ret;

	if (!nlmsg_ok(nlh, (int)len) || nlh->nlmsg_type != ka->family ||
	    !genlmsg_valid_hdr(nlh, 0))
		return 0;
	genl = nlmsg_data(nlh);
	if (!kipc_admin_event_name(genl->cmd))
		return 0;
	ret = kipc_admin_from_msg(nlh, &kipc_admin_event_reply, ev);
	if (ret < 0)
		return ret;
	ev->event = genl->cmd;
	return 1;
}

KIPC_ADMIN_EXPORT int kipc_admin_monitor_read(struct kipc_admin *ka,
					      struct kipc_admin_event *out,
					      size_t size, int timeout_ms)
{
	/* An event is one small message; anything longer is not ours. */
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	int saved_errno = errno;
	struct kipc_admin_event ev;
	struct sockaddr_nl from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	struct pollfd pfd;
	ssize_t n;
	int ret;

	if (!ka->monitor || size < KIPC_ADMIN_EVENT_SIZE_VER0)
		return -EINVAL;
	pfd.fd = nl_socket_get_fd(ka->sk);
	pfd.events = POLLIN;
	for (;;) {
		ret = poll(&pfd, 1, timeout_ms);
		if (ret < 0) {
			ret = -errno;
			break;
		}
		if (ret == 0)
			break;
		n = recvmsg(pfd.fd, &mh, MSG_DONTWAIT);
		if (n < 0) {
			ret = -errno;
			if (ret == -EAGAIN || ret == -EINTR)
				continue;
			/* -ENOBUFS: events were lost; later ones follow. */
			break;
		}
		if (mh.msg_flags & MSG_TRUNC || from.nl_pid != 0)
			continue;
		ret = kipc_admin_event_parse(ka, buf, n, &ev);
		if (ret) {
			if (ret > 0)
				kipc_admin_copy_out(out, size, &ev, sizeof(ev));
			break;
		}
	}
	errno = saved_errno;
	return ret;
}

KIPC_ADMIN_EXPORT const char *kipc_admin_event_name(uint32_t event)
{
	switch (event) {
	case KIPC_CMD_OBJ_CREATE_NTF:
		return "create";
	case KIPC_CMD_OBJ_UNLINK_NTF:
		return "unlink";
	case KIPC_CMD_OBJ_REMOVE_NTF:
		return "remove";
	case KIPC_CMD_OBJ_DESTROY_NTF:
		return "destroy";
	}
	return NULL;
}
