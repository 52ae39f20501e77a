/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal raw Generic Netlink client for the "kipc" family (no libnl, so
 * the tests see exactly what the kernel sends): requests, parsing, extended
 * ACKs, the object and statistics commands, the monitor group, and waiting
 * for a queue's statistic. Included through kipc_test.h.
 */
#ifndef KIPC_TEST_NL_H
#define KIPC_TEST_NL_H

#ifndef KIPC_TEST_H
#error "include kipc_test.h, which includes this file"
#endif

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

#endif /* KIPC_TEST_NL_H */
