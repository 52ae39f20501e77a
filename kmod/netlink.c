// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the Generic Netlink family "kipc", the admin path.
 *
 * Every request sees only the objects of the caller's IPC namespace. A dump
 * pins that namespace in ->start and walks the id table from where the last
 * part stopped, so objects created or destroyed during a dump never make it
 * repeat or skip the others.
 */
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <net/sock.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "compat.h"
#include "kipc_private.h"

static struct genl_family kipc_genl_family;

static int kipc_nl_fill_obj(struct sk_buff *skb, struct kipc_object *obj,
			    u32 portid, u32 seq, int flags)
{
	struct user_namespace *uns = current_user_ns();
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
	    nla_put_u32(skb, KIPC_A_OBJ_CPID, pid_vnr(obj->cpid)) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_CTIME, obj->ctime,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_STATE, kipc_obj_state(obj)) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_BYTES, obj->bytes,
			      KIPC_A_OBJ_PAD) ||
	    obj->ops->fill_nl(skb, obj)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

struct kipc_nl_get {
	struct sk_buff *skb;
	struct genl_info *info;
	u64 id;
	int ret;
};

static int kipc_nl_get_one(struct kipc_object *obj, void *arg)
{
	struct kipc_nl_get *get = arg;

	/* The walk starts at the id: anything else means it is not ours. */
	if (obj->id == get->id)
		get->ret = kipc_nl_fill_obj(get->skb, obj,
					    get->info->snd_portid,
					    get->info->snd_seq, 0);
	return 1;
}

static int kipc_nl_obj_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct kipc_nl_get get = { .info = info, .ret = -ENOENT };
	unsigned long pos;

	if (GENL_REQ_ATTR_CHECK(info, KIPC_A_OBJ_ID))
		return -EINVAL;
	get.id = nla_get_u64(info->attrs[KIPC_A_OBJ_ID]);
	get.skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!get.skb)
		return -ENOMEM;

	pos = get.id;
	kipc_walk_objs(ns, &pos, kipc_nl_get_one, &get);
	if (get.ret) {
		nlmsg_free(get.skb);
		if (get.ret == -ENOENT)
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[KIPC_A_OBJ_ID],
					    "no object with this id in the caller's IPC namespace");
		return get.ret;
	}
	return genlmsg_reply(get.skb, info);
}

/* cb->args[0]: the pinned namespace; cb->args[1]: the next id to dump. */
static int kipc_nl_obj_dump_start(struct netlink_callback *cb)
{
	cb->args[0] = (long)get_ipc_ns(current->nsproxy->ipc_ns);
	cb->args[1] = 0;
	return 0;
}

static int kipc_nl_obj_dump_done(struct netlink_callback *cb)
{
	kipc_put_ipc_ns((struct ipc_namespace *)cb->args[0]);
	return 0;
}

struct kipc_nl_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int kipc_nl_dump_one(struct kipc_object *obj, void *arg)
{
	struct kipc_nl_dump *d = arg;

	return kipc_nl_fill_obj(d->skb, obj, NETLINK_CB(d->cb->skb).portid,
				d->cb->nlh->nlmsg_seq, NLM_F_MULTI);
}

static int kipc_nl_obj_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ipc_namespace *ns = (struct ipc_namespace *)cb->args[0];
	struct kipc_nl_dump d = { .skb = skb, .cb = cb };
	unsigned long pos = cb->args[1];
	int ret;

	if (pos == ULONG_MAX)
		return 0;
	ret = kipc_walk_objs(ns, &pos, kipc_nl_dump_one, &d);
	cb->args[1] = pos;
	/* A full skb ends this part; the next one resumes at pos. */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	if (ret)
		return ret;
	return skb->len;
}

static int kipc_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipc_ns_stats st;
	struct sk_buff *msg;
	void *hdr;

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

static int kipc_nl_obj_remove_doit(struct sk_buff *skb,
				   struct genl_info *info)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct socket *sock = NETLINK_CB(skb).sk->sk_socket;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KIPC_A_OBJ_ID))
		return -EINVAL;
	if (!sock || !sock->file)
		return -EPERM;
	ret = kipc_obj_remove(ns, nla_get_u64(info->attrs[KIPC_A_OBJ_ID]),
			      sock->file->f_cred,
			      netlink_ns_capable(skb, ns->user_ns,
						 CAP_SYS_ADMIN));
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KIPC_A_OBJ_ID],
				    "no object with this id in the caller's IPC namespace");
	else if (ret == -EPERM)
		NL_SET_ERR_MSG(info->extack,
			       "only the owner, the creator or CAP_SYS_ADMIN may remove");
	return ret;
}

static const struct nla_policy kipc_obj_get_policy[KIPC_A_OBJ_ID + 1] = {
	[KIPC_A_OBJ_ID] = { .type = NLA_U64 },
};

static const struct nla_policy kipc_stats_get_policy[KIPC_A_STATS_UNSPEC + 1] = {
};

static const struct genl_ops kipc_genl_ops[] = {
	{
		.cmd = KIPC_CMD_OBJ_GET,
		.doit = kipc_nl_obj_get_doit,
		.start = kipc_nl_obj_dump_start,
		.dumpit = kipc_nl_obj_dumpit,
		.done = kipc_nl_obj_dump_done,
		.policy = kipc_obj_get_policy,
		.maxattr = KIPC_A_OBJ_ID,
	},
	{
		.cmd = KIPC_CMD_OBJ_REMOVE,
		.doit = kipc_nl_obj_remove_doit,
		.policy = kipc_obj_get_policy,
		.maxattr = KIPC_A_OBJ_ID,
	},
	{
		.cmd = KIPC_CMD_STATS_GET,
		.doit = kipc_nl_stats_get_doit,
		.policy = kipc_stats_get_policy,
		.maxattr = KIPC_A_STATS_UNSPEC,
	},
};

static struct genl_family kipc_genl_family __ro_after_init = {
	.name = KIPC_GENL_NAME,
	.version = KIPC_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = kipc_genl_ops,
	.n_ops = ARRAY_SIZE(kipc_genl_ops),
	.resv_start_op = KIPC_CMD_OBJ_REMOVE + 1,
};

int kipc_netlink_init(void)
{
	return genl_register_family(&kipc_genl_family);
}

void kipc_netlink_exit(void)
{
	genl_unregister_family(&kipc_genl_family);
}
