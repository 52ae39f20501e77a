// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the Generic Netlink family "kipc", the admin path.
 *
 * The commands, attributes and policies come from kmod/netlink/specs/kipc.yaml
 * through ynl-gen-c (netlink-gen.c); this file has their handlers.
 *
 * Every request sees only the objects of the caller's IPC namespace. A dump
 * pins that namespace in ->start and walks the id table from where the last
 * part stopped, so objects created or destroyed during a dump never make it
 * repeat or skip the others. It also pins the requester's user and pid
 * namespaces and gives every uid, gid and pid in them: its later parts are
 * filled in the context of whoever reads the socket, which may be another
 * process in other namespaces.
 *
 * The family has the "monitor" group (monitor.c) where the kernel offers
 * it: this file registers the group with the family, and hooks the
 * monitor's kipc_nl_monitor_event() to the registry's events.
 */
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "compat.h"
#include "kipc_private.h"
#include "kipc_nl.h"
#include "netlink-gen.h"

static struct genl_family kipc_genl_family;

/*
 * The namespaces in which a reply gives uids, gids and pids: the
 * requester's. A dump captures them at its start, since its later parts
 * are filled in the context of whoever calls recvmsg().
 */
struct kipc_nl_ids {
	struct user_namespace *user_ns;
	struct pid_namespace *pid_ns;
};

static void kipc_nl_ids_current(struct kipc_nl_ids *ids)
{
	ids->user_ns = current_user_ns();
	ids->pid_ns = task_active_pid_ns(current);
}

static int kipc_nl_fill_obj(struct sk_buff *skb, struct kipc_object *obj,
			    const struct kipc_nl_ids *ids, u32 portid, u32 seq,
			    int flags)
{
	struct user_namespace *uns = ids->user_ns;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &kipc_genl_family, flags,
			  KIPC_CMD_OBJ_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, KIPC_A_OBJ_ID, obj->id, KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_TYPE, obj->ops->type) ||
	    nla_put_string(skb, KIPC_A_OBJ_NAME, obj->name) ||
	    nla_put_u32(skb, KIPC_A_OBJ_NS, obj->ipc_ns->ns.inum) ||
	    nla_put_u32(skb, KIPC_A_OBJ_UID, from_kuid_munged(uns, obj->uid)) ||
	    nla_put_u32(skb, KIPC_A_OBJ_GID, from_kgid_munged(uns, obj->gid)) ||
	    nla_put_u32(skb, KIPC_A_OBJ_CUID,
			from_kuid_munged(uns, obj->cuid)) ||
	    nla_put_u32(skb, KIPC_A_OBJ_CGID,
			from_kgid_munged(uns, obj->cgid)) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MODE, obj->mode) ||
	    nla_put_u32(skb, KIPC_A_OBJ_CPID,
			pid_nr_ns(obj->cpid, ids->pid_ns)) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_CTIME, obj->ctime,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_STATE, kipc_obj_state(obj)) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_BYTES, obj->bytes,
			      KIPC_A_OBJ_PAD) ||
	    obj->ops->fill_nl(skb, obj, ids->pid_ns)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

struct kipc_nl_get {
	struct sk_buff *skb;
	struct genl_info *info;
	struct kipc_nl_ids ids;
};

static int kipc_nl_get_one(struct kipc_object *obj, void *arg)
{
	struct kipc_nl_get *get = arg;

	return kipc_nl_fill_obj(get->skb, obj, &get->ids,
				get->info->snd_portid, get->info->snd_seq, 0);
}

/*
 * The object a get or remove request names: KIPC_A_OBJ_ID, or
 * KIPC_A_OBJ_TYPE with KIPC_A_OBJ_NAME; exactly one of the two.
 */
static int kipc_nl_obj_sel(struct genl_info *info, struct kipc_obj_sel *sel)
{
	struct nlattr **tb = info->attrs;
	const char *name;

	if (tb[KIPC_A_OBJ_ID]) {
		if (tb[KIPC_A_OBJ_NAME] || tb[KIPC_A_OBJ_TYPE]) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_OBJ_ID],
					    "give either the id, or the type and the name");
			return -EINVAL;
		}
		sel->id = nla_get_u64(tb[KIPC_A_OBJ_ID]);
		sel->name = NULL;
		return 0;
	}
	if (!tb[KIPC_A_OBJ_NAME] && !tb[KIPC_A_OBJ_TYPE]) {
		/* Neither way to name an object: report the id missing. */
		GENL_REQ_ATTR_CHECK(info, KIPC_A_OBJ_ID);
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, KIPC_A_OBJ_TYPE) ||
	    GENL_REQ_ATTR_CHECK(info, KIPC_A_OBJ_NAME))
		return -EINVAL;
	name = nla_data(tb[KIPC_A_OBJ_NAME]);
	if (!!kipc_name_check(name, strlen(name))) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_OBJ_NAME],
				    "a name is 1 to 255 printable bytes without '/' or space");
		return -EINVAL;
	}
	sel->type = nla_get_u32(tb[KIPC_A_OBJ_TYPE]);
	sel->name = name;
	return 0;
}

static void kipc_nl_no_obj(struct genl_info *info)
{
	struct nlattr **tb = info->attrs;

	if (tb[KIPC_A_OBJ_ID])
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_OBJ_ID],
				    "no object with this id in the caller's IPC namespace");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_OBJ_NAME],
				    "no object of this type and name in the caller's IPC namespace");
}

/**
 * kipc_nl_obj_get_doit() - KIPC_CMD_OBJ_GET: one object, by id or by name
 * @skb: the request
 * @info: its attributes
 *
 * Return: 0 once the reply is sent, or a negative errno.
 */
int kipc_nl_obj_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct kipc_nl_get get = { .info = info };
	struct kipc_obj_sel sel;
	int ret;

	ret = kipc_nl_obj_sel(info, &sel);
	if (ret)
		return ret;
	kipc_nl_ids_current(&get.ids);
	get.skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!get.skb)
		return -ENOMEM;
	ret = kipc_obj_visit(ns, &sel, kipc_nl_get_one, &get);
	if (ret) {
		nlmsg_free(get.skb);
		if (ret == -ENOENT)
			kipc_nl_no_obj(info);
		return ret;
	}
	return genlmsg_reply(get.skb, info);
}

/*
 * A dump's state in cb->ctx: the pinned IPC namespace, the requester's user
 * and pid namespaces (pinned too), where to go on, and the type filter of
 * an object dump (0: all).
 */
struct kipc_nl_dump_ctx {
	struct ipc_namespace *ns;
	struct kipc_nl_ids ids;
	unsigned long pos;
	u32 type;
};

static struct kipc_nl_dump_ctx *kipc_nl_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct kipc_nl_dump_ctx) > sizeof(cb->ctx));
	return (struct kipc_nl_dump_ctx *)cb->ctx;
}

static void kipc_nl_dump_begin(struct netlink_callback *cb)
{
	struct kipc_nl_dump_ctx *ctx = kipc_nl_dump_ctx(cb);

	ctx->ns = get_ipc_ns(current->nsproxy->ipc_ns);
	kipc_nl_ids_current(&ctx->ids);
	get_user_ns(ctx->ids.user_ns);
	get_pid_ns(ctx->ids.pid_ns);
	ctx->pos = 0;
	ctx->type = 0;
}

/**
 * kipc_nl_limits_dump_start() - start a KIPC_CMD_LIMITS_GET dump
 * @cb: the dump; pins the caller's namespaces in it
 *
 * Return: 0, or -EINVAL for an attribute.
 */
int kipc_nl_limits_dump_start(struct netlink_callback *cb)
{
	int ret = kipc_nl_no_attrs(cb->nlh, cb->extack);

	if (ret)
		return ret;
	kipc_nl_dump_begin(cb);
	return 0;
}

/**
 * kipc_nl_obj_dump_start() - start a KIPC_CMD_OBJ_GET dump
 * @cb: the dump; pins the caller's namespaces in it, with the type filter
 *
 * Return: 0.
 */
int kipc_nl_obj_dump_start(struct netlink_callback *cb)
{
	struct kipc_nl_dump_ctx *ctx = kipc_nl_dump_ctx(cb);
	struct nlattr **attrs = kipc_genl_dump_attrs(cb);

	kipc_nl_dump_begin(cb);
	if (attrs && attrs[KIPC_A_OBJ_TYPE])
		ctx->type = nla_get_u32(attrs[KIPC_A_OBJ_TYPE]);
	return 0;
}

/**
 * kipc_nl_dump_done() - end a dump: drop what its start pinned
 * @cb: the dump
 *
 * Return: 0.
 */
int kipc_nl_dump_done(struct netlink_callback *cb)
{
	struct kipc_nl_dump_ctx *ctx = kipc_nl_dump_ctx(cb);

	kipc_put_ipc_ns(ctx->ns);
	put_user_ns(ctx->ids.user_ns);
	put_pid_ns(ctx->ids.pid_ns);
	return 0;
}

struct kipc_nl_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	u32 type;
};

static int kipc_nl_dump_one(struct kipc_object *obj, void *arg)
{
	struct kipc_nl_dump *d = arg;

	if (d->type && obj->ops->type != d->type)
		return 0;
	return kipc_nl_fill_obj(d->skb, obj, &kipc_nl_dump_ctx(d->cb)->ids,
				NETLINK_CB(d->cb->skb).portid,
				d->cb->nlh->nlmsg_seq, NLM_F_MULTI);
}

/* End a dump part: a full skb ends this part, the next resumes at pos. */
static int kipc_nl_dump_ret(struct sk_buff *skb, int ret)
{
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	if (ret)
		return ret;
	return skb->len;
}

/**
 * kipc_nl_obj_get_dumpit() - the next part of a KIPC_CMD_OBJ_GET dump
 * @skb: the part to fill
 * @cb: the dump
 *
 * Return: the length filled, 0 at the end, or a negative errno.
 */
int kipc_nl_obj_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kipc_nl_dump_ctx *ctx = kipc_nl_dump_ctx(cb);
	struct kipc_nl_dump d = { .skb = skb, .cb = cb, .type = ctx->type };

	if (ctx->pos == ULONG_MAX)
		return 0;
	return kipc_nl_dump_ret(skb, kipc_walk_objs(ctx->ns, &ctx->pos,
						    kipc_nl_dump_one, &d));
}

/**
 * kipc_nl_stats_get_doit() - KIPC_CMD_STATS_GET: counts and limits
 * @skb: the request
 * @info: its attributes
 *
 * Return: 0 once the reply is sent, or a negative errno.
 */
int kipc_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipc_ns_stats st;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = kipc_nl_no_attrs(info->nlhdr, info->extack);
	if (ret)
		return ret;
	/* Counts must not include what only a dead namespace held. */
	kipc_reap();
	kipc_ns_stats(current->nsproxy->ipc_ns, &st);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kipc_genl_family, 0,
				KIPC_CMD_STATS_GET);
	if (!hdr)
		goto out_free;
	if (nla_put_u32(msg, KIPC_A_STATS_ABI_VERSION, KIPC_ABI_VERSION) ||
	    nla_put_u32(msg, KIPC_A_STATS_OBJECTS, kipc_total_objects()) ||
	    nla_put_u32(msg, KIPC_A_STATS_MQS, st.per_type[KIPC_OBJ_MQ]) ||
	    nla_put_u32(msg, KIPC_A_STATS_SHMS, st.per_type[KIPC_OBJ_SHM]) ||
	    nla_put_u32(msg, KIPC_A_STATS_SEMS, st.per_type[KIPC_OBJ_SEM]) ||
	    nla_put_u32(msg, KIPC_A_STATS_NS_OBJECTS, st.objects) ||
	    nla_put_u64_64bit(msg, KIPC_A_STATS_NS_BYTES, st.bytes,
			      KIPC_A_STATS_PAD) ||
	    nla_put_u32(msg, KIPC_A_STATS_LIMIT_OBJECTS, st.limit_objects) ||
	    nla_put_u64_64bit(msg, KIPC_A_STATS_LIMIT_BYTES, st.limit_bytes,
			      KIPC_A_STATS_PAD) ||
	    nla_put_u32(msg, KIPC_A_STATS_LIMIT_UID_OBJECTS,
			st.limit_uid_objects) ||
	    nla_put_u64_64bit(msg, KIPC_A_STATS_LIMIT_UID_BYTES,
			      st.limit_uid_bytes, KIPC_A_STATS_PAD))
		goto out_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/**
 * kipc_nl_obj_remove_doit() - KIPC_CMD_OBJ_REMOVE: admin removal
 * @skb: the request
 * @info: its attributes
 *
 * Return: 0, or a negative errno (-ENOENT, -EPERM...).
 */
int kipc_nl_obj_remove_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct socket *sock = NETLINK_CB(skb).sk->sk_socket;
	struct kipc_obj_sel sel;
	int ret;

	ret = kipc_nl_obj_sel(info, &sel);
	if (ret)
		return ret;
	if (!sock || !sock->file)
		return -EPERM;
	ret = kipc_obj_remove(ns, &sel, sock->file->f_cred,
			      netlink_ns_capable(skb, ns->user_ns,
						 CAP_SYS_ADMIN));
	if (ret == -ENOENT)
		kipc_nl_no_obj(info);
	else if (ret == -EPERM)
		NL_SET_ERR_MSG(info->extack,
			       "only the owner, the creator or CAP_SYS_ADMIN may remove");
	return ret;
}

static int kipc_nl_fill_limits(struct sk_buff *skb, struct kipc_limits_info *li,
			       struct user_namespace *uns, u32 portid, u32 seq,
			       int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &kipc_genl_family, flags,
			  KIPC_CMD_LIMITS_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KIPC_A_LIMITS_UID_OBJECTS, li->uid_objects) ||
	    nla_put_u64_64bit(skb, KIPC_A_LIMITS_UID_BYTES, li->uid_bytes,
			      KIPC_A_LIMITS_PAD))
		goto out_cancel;
	if (li->has_uid) {
		if (nla_put_u32(skb, KIPC_A_LIMITS_UID,
				from_kuid_munged(uns, li->uid)) ||
		    nla_put_u32(skb, KIPC_A_LIMITS_OBJECTS,
				li->this_uid_objects) ||
		    nla_put_u64_64bit(skb, KIPC_A_LIMITS_BYTES,
				      li->this_uid_bytes, KIPC_A_LIMITS_PAD) ||
		    nla_put_u32(skb, KIPC_A_LIMITS_OBJECTS_USED,
				li->uid_objects_used) ||
		    nla_put_u64_64bit(skb, KIPC_A_LIMITS_BYTES_USED,
				      li->uid_bytes_used, KIPC_A_LIMITS_PAD) ||
		    (li->uid_override &&
		     nla_put_flag(skb, KIPC_A_LIMITS_OVERRIDE)))
			goto out_cancel;
	} else {
		if (nla_put_u32(skb, KIPC_A_LIMITS_OBJECTS, li->objects) ||
		    nla_put_u64_64bit(skb, KIPC_A_LIMITS_BYTES, li->bytes,
				      KIPC_A_LIMITS_PAD) ||
		    nla_put_u32(skb, KIPC_A_LIMITS_OBJECTS_USED,
				li->objects_used) ||
		    nla_put_u64_64bit(skb, KIPC_A_LIMITS_BYTES_USED,
				      li->bytes_used, KIPC_A_LIMITS_PAD) ||
		    (li->override &&
		     nla_put_flag(skb, KIPC_A_LIMITS_OVERRIDE)))
			goto out_cancel;
	}
	genlmsg_end(skb, hdr);
	return 0;

out_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* A uid of the caller's user namespace, for a limits request. */
static int kipc_nl_limits_uid(struct genl_info *info, kuid_t *uid)
{
	struct nlattr *attr = info->attrs[KIPC_A_LIMITS_UID];

	*uid = make_kuid(current_user_ns(), nla_get_u32(attr));
	if (!uid_valid(*uid)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "uid does not map into the caller's user namespace");
		return -EINVAL;
	}
	return 0;
}

/**
 * kipc_nl_limits_get_doit() - KIPC_CMD_LIMITS_GET: the namespace's limits
 * @skb: the request
 * @info: its attributes, with an optional uid
 *
 * Return: 0 once the reply is sent, or a negative errno.
 */
int kipc_nl_limits_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipc_limits_info li = { .uid = INVALID_UID };
	struct sk_buff *msg;
	int ret;

	if (info->attrs[KIPC_A_LIMITS_UID]) {
		ret = kipc_nl_limits_uid(info, &li.uid);
		if (ret)
			return ret;
		li.has_uid = true;
	}
	kipc_reap();
	kipc_limits_get(current->nsproxy->ipc_ns, &li);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = kipc_nl_fill_limits(msg, &li, current_user_ns(),
				  info->snd_portid, info->snd_seq, 0);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

struct kipc_nl_limits_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int kipc_nl_limits_dump_one(struct kipc_limits_info *li, void *arg)
{
	struct kipc_nl_limits_dump *d = arg;

	return kipc_nl_fill_limits(d->skb, li,
				   kipc_nl_dump_ctx(d->cb)->ids.user_ns,
				   NETLINK_CB(d->cb->skb).portid,
				   d->cb->nlh->nlmsg_seq, NLM_F_MULTI);
}

/**
 * kipc_nl_limits_get_dumpit() - the next part of a KIPC_CMD_LIMITS_GET dump
 * @skb: the part to fill
 * @cb: the dump
 *
 * Return: the length filled, 0 at the end, or a negative errno.
 */
int kipc_nl_limits_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kipc_nl_dump_ctx *ctx = kipc_nl_dump_ctx(cb);
	struct kipc_nl_limits_dump d = { .skb = skb, .cb = cb };

	if (ctx->pos == ULONG_MAX)
		return 0;
	return kipc_nl_dump_ret(skb, kipc_limits_walk(ctx->ns, &ctx->pos,
						      kipc_nl_limits_dump_one,
						      &d));
}

/* The largest object limit: the spec's bound of objects and uid-objects. */
#define KIPC_NL_LIMIT_OBJECTS_MAX	16777216U

/**
 * kipc_nl_limits_set_doit() - KIPC_CMD_LIMITS_SET: set or reset limits
 * @skb: the request
 * @info: its attributes
 *
 * Return: 0, or a negative errno.
 */
int kipc_nl_limits_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	static const int objects_attrs[] = { KIPC_A_LIMITS_OBJECTS,
					     KIPC_A_LIMITS_UID_OBJECTS };
	struct kipc_limits_req req = { .uid = INVALID_UID };
	struct nlattr **tb = info->attrs;
	int i, ret;

	if (tb[KIPC_A_LIMITS_UID]) {
		ret = kipc_nl_limits_uid(info, &req.uid);
		if (ret)
			return ret;
		req.has_uid = true;
		if (tb[KIPC_A_LIMITS_UID_OBJECTS] ||
		    tb[KIPC_A_LIMITS_UID_BYTES]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[KIPC_A_LIMITS_UID_OBJECTS] ?:
					    tb[KIPC_A_LIMITS_UID_BYTES],
					    "per-uid defaults are the namespace's; with a uid give objects and bytes");
			return -EINVAL;
		}
	}
	/*
	 * The range is checked here rather than by the policy: 6.1's policy
	 * ranges take a pointer that ynl-gen-c's const tables do not give.
	 */
	for (i = 0; i < ARRAY_SIZE(objects_attrs); i++) {
		struct nlattr *attr = tb[objects_attrs[i]];

		if (attr && nla_get_u32(attr) > KIPC_NL_LIMIT_OBJECTS_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "integer out of range");
			return -ERANGE;
		}
	}
	if (tb[KIPC_A_LIMITS_OBJECTS]) {
		req.set |= KIPC_LIM_OBJECTS;
		req.objects = nla_get_u32(tb[KIPC_A_LIMITS_OBJECTS]);
	}
	if (tb[KIPC_A_LIMITS_BYTES]) {
		req.set |= KIPC_LIM_BYTES;
		req.bytes = nla_get_u64(tb[KIPC_A_LIMITS_BYTES]);
	}
	if (tb[KIPC_A_LIMITS_UID_OBJECTS]) {
		req.set |= KIPC_LIM_UID_OBJECTS;
		req.uid_objects = nla_get_u32(tb[KIPC_A_LIMITS_UID_OBJECTS]);
	}
	if (tb[KIPC_A_LIMITS_UID_BYTES]) {
		req.set |= KIPC_LIM_UID_BYTES;
		req.uid_bytes = nla_get_u64(tb[KIPC_A_LIMITS_UID_BYTES]);
	}
	req.reset = nla_get_flag(tb[KIPC_A_LIMITS_RESET]);
	if (req.reset && req.set) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_LIMITS_RESET],
				    "reset takes no limit values");
		return -EINVAL;
	}
	if (!req.reset && !req.set) {
		NL_SET_ERR_MSG(info->extack,
			       "missing attribute: a limit to set, or reset");
		return -EINVAL;
	}
	return kipc_limits_set(current->nsproxy->ipc_ns, &req);
}

#if KIPC_HAVE_NL_MONITOR
static const struct genl_multicast_group kipc_nl_mcgrps[] = {
	[KIPC_NLGRP_MONITOR] = { .name = KIPC_MCGRP_MONITOR, },
};
#endif

#if !KIPC_HAVE_GENL_SPLIT_OPS
/*
 * 6.1 takes one op per command: merge the do and dump halves of the
 * generated table. A command's dump then checks its attributes against the
 * do policy, which accepts at least what the dump policy does.
 */
static struct genl_ops kipc_nl_compat_ops[ARRAY_SIZE(kipc_nl_ops)];

static int kipc_nl_compat_build(void)
{
	const struct genl_split_ops *s;
	struct genl_ops *op;
	int i, n = 0, j;

	for (i = 0; i < ARRAY_SIZE(kipc_nl_ops); i++) {
		s = &kipc_nl_ops[i];
		for (j = 0; j < n; j++)
			if (kipc_nl_compat_ops[j].cmd == s->cmd)
				break;
		op = &kipc_nl_compat_ops[j];
		if (j == n)
			n++;
		op->cmd = s->cmd;
		op->flags |= s->flags & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM);
		if (s->flags & GENL_CMD_CAP_DO) {
			op->doit = s->doit;
			op->policy = s->policy;
			op->maxattr = s->maxattr;
		} else {
			op->start = s->start;
			op->dumpit = s->dumpit;
			op->done = s->done;
			if (!op->policy) {
				op->policy = s->policy;
				op->maxattr = s->maxattr;
			}
		}
	}
	return n;
}
#endif

static struct genl_family kipc_genl_family __ro_after_init = {
	.name = KIPC_GENL_NAME,
	.version = KIPC_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
#if KIPC_HAVE_GENL_SPLIT_OPS
	.split_ops = kipc_nl_ops,
	.n_split_ops = ARRAY_SIZE(kipc_nl_ops),
#else
	.ops = kipc_nl_compat_ops,
#endif
	/* Every command is strict: header, attributes and policies. */
	.resv_start_op = KIPC_CMD_OBJ_GET,
#if KIPC_HAVE_NL_MONITOR
	.mcgrps = kipc_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(kipc_nl_mcgrps),
#endif
};

/**
 * kipc_netlink_init() - register the family, and hook the registry's events
 *
 * Return: 0 or a negative errno.
 */
int kipc_netlink_init(void)
{
	int ret;

#if !KIPC_HAVE_GENL_SPLIT_OPS
	kipc_genl_family.n_ops = kipc_nl_compat_build();
#endif
	ret = kipc_nl_monitor_init(&kipc_genl_family);
	if (ret)
		return ret;
	ret = genl_register_family(&kipc_genl_family);
	if (ret) {
		kipc_nl_monitor_exit();
		return ret;
	}
	/* Without a monitor group the registry's events go nowhere. */
	kipc_events_set(KIPC_HAVE_NL_MONITOR ? kipc_nl_monitor_event : NULL);
	return 0;
}

/* Resolving the family by name loads the module, as opening /dev/kipc does. */
MODULE_ALIAS_GENL_FAMILY(KIPC_GENL_NAME);

/**
 * kipc_netlink_exit() - unhook the events, and unregister the family
 */
void kipc_netlink_exit(void)
{
	kipc_events_set(NULL);
	genl_unregister_family(&kipc_genl_family);
	kipc_nl_monitor_exit();
}
