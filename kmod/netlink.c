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
 * repeat or skip the others.
 *
 * Events go to the "monitor" group. A listener gets only the events of the
 * IPC namespace it subscribed from: the family's bind hook, which runs in the
 * subscriber's context, records that namespace in the per-socket private
 * data of the subscriber's generic netlink sockets, and each event is sent
 * through a filter that compares it.
 */
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "compat.h"
#include "kipc_private.h"
#include "netlink-gen.h"

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
};

static int kipc_nl_get_one(struct kipc_object *obj, void *arg)
{
	struct kipc_nl_get *get = arg;

	return kipc_nl_fill_obj(get->skb, obj, get->info->snd_portid,
				get->info->snd_seq, 0);
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
	if (!kipc_name_valid(name, strlen(name))) {
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

int kipc_nl_obj_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct kipc_nl_get get = { .info = info };
	struct kipc_obj_sel sel;
	int ret;

	ret = kipc_nl_obj_sel(info, &sel);
	if (ret)
		return ret;
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
 * A dump's state in cb->ctx: the pinned namespace, where to go on, and the
 * type filter of an object dump (0: all).
 */
struct kipc_nl_dump_ctx {
	struct ipc_namespace *ns;
	unsigned long pos;
	u32 type;
};

static struct kipc_nl_dump_ctx *kipc_nl_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct kipc_nl_dump_ctx) > sizeof(cb->ctx));
	return (struct kipc_nl_dump_ctx *)cb->ctx;
}

/*
 * genetlink parses no attributes for a request without a policy, so it
 * would let unknown ones through: refuse them as a strict policy does.
 */
static int kipc_nl_no_attrs(const struct nlmsghdr *nlh,
			    struct netlink_ext_ack *extack)
{
	if (nlmsg_attrlen(nlh, GENL_HDRLEN) <= 0)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, nlmsg_attrdata(nlh, GENL_HDRLEN),
			    "Unknown attribute type");
	return -EINVAL;
}

static void kipc_nl_dump_begin(struct netlink_callback *cb)
{
	struct kipc_nl_dump_ctx *ctx = kipc_nl_dump_ctx(cb);

	ctx->ns = get_ipc_ns(current->nsproxy->ipc_ns);
	ctx->pos = 0;
	ctx->type = 0;
}

int kipc_nl_limits_dump_start(struct netlink_callback *cb)
{
	int ret = kipc_nl_no_attrs(cb->nlh, cb->extack);

	if (ret)
		return ret;
	kipc_nl_dump_begin(cb);
	return 0;
}

int kipc_nl_obj_dump_start(struct netlink_callback *cb)
{
	struct kipc_nl_dump_ctx *ctx = kipc_nl_dump_ctx(cb);
	struct nlattr **attrs = kipc_genl_dump_attrs(cb);

	kipc_nl_dump_begin(cb);
	if (attrs && attrs[KIPC_A_OBJ_TYPE])
		ctx->type = nla_get_u32(attrs[KIPC_A_OBJ_TYPE]);
	return 0;
}

int kipc_nl_dump_done(struct netlink_callback *cb)
{
	kipc_put_ipc_ns(kipc_nl_dump_ctx(cb)->ns);
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
	return kipc_nl_fill_obj(d->skb, obj, NETLINK_CB(d->cb->skb).portid,
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

int kipc_nl_obj_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kipc_nl_dump_ctx *ctx = kipc_nl_dump_ctx(cb);
	struct kipc_nl_dump d = { .skb = skb, .cb = cb, .type = ctx->type };

	if (ctx->pos == ULONG_MAX)
		return 0;
	return kipc_nl_dump_ret(skb, kipc_walk_objs(ctx->ns, &ctx->pos,
						    kipc_nl_dump_one, &d));
}

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
			       u32 portid, u32 seq, int flags)
{
	struct user_namespace *uns = current_user_ns();
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
	ret = kipc_nl_fill_limits(msg, &li, info->snd_portid, info->snd_seq,
				  0);
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

	return kipc_nl_fill_limits(d->skb, li, NETLINK_CB(d->cb->skb).portid,
				   d->cb->nlh->nlmsg_seq, NLM_F_MULTI);
}

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
/*
 * The IPC namespace of each monitor socket, indexed by its struct sock. An
 * entry holds a reference on the sock, so that its address cannot be reused
 * by another socket while the entry exists, and one on the namespace. Entries
 * of closed sockets are pruned when a member of the group closes (the unbind
 * hook runs after netlink_release() has orphaned it), before the reaper looks
 * for dead namespaces, at the next subscription, and at exit, so a closed
 * monitor does not keep its namespace alive. (genl's own per-socket private
 * data would do this, but it is not exported to modules.)
 */
static DEFINE_XARRAY(kipc_nl_socks);

static void kipc_nl_sock_drop(unsigned long idx, struct ipc_namespace *ns)
{
	if (xa_cmpxchg(&kipc_nl_socks, idx, ns, NULL, 0) != ns)
		return;
	kipc_put_ipc_ns(ns);
	sock_put((struct sock *)idx);
}

/*
 * Serializes pruning: a sock is only looked at while its entry, and so its
 * reference, is there, which another pruner could otherwise drop between
 * the lookup and the look. Taken inside genl's cb_lock (bind and unbind).
 */
static DEFINE_MUTEX(kipc_nl_socks_lock);

static void kipc_nl_socks_prune(bool all)
{
	struct ipc_namespace *ns;
	unsigned long idx;

	mutex_lock(&kipc_nl_socks_lock);
	xa_for_each(&kipc_nl_socks, idx, ns)
		if (all || sock_flag((struct sock *)idx, SOCK_DEAD))
			kipc_nl_sock_drop(idx, ns);
	mutex_unlock(&kipc_nl_socks_lock);
}

static bool kipc_nl_is_genl(struct file *file)
{
	struct socket *sock = sock_from_file(file);

	return sock && sock->sk && sock->sk->sk_family == AF_NETLINK &&
	       sock->sk->sk_protocol == NETLINK_GENERIC;
}

/* iterate_fd(): the next generic netlink socket without a namespace. */
static int kipc_nl_find_unbound(const void *arg, struct file *file,
				unsigned int fd)
{
	if (!kipc_nl_is_genl(file))
		return 0;
	if (xa_load(&kipc_nl_socks, (unsigned long)sock_from_file(file)->sk))
		return 0;
	return fd + 1;
}

/*
 * A socket of the current task joins the monitor group. Which one is not
 * said, so every generic netlink socket of the task that has no namespace
 * yet, and that no other task shares, gets the task's: they are the task's
 * own, and only this family's events look at it.
 */
static int kipc_nl_monitor_bind(int group)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	unsigned int next = 0;
	struct file *file;
	struct sock *sk;
	int found, ret;
	long refs;

	kipc_nl_socks_prune(false);
	if (!current->files)
		return -EINVAL;
	refs = atomic_read(&current->files->count) > 1 ? 3 : 2;
	while ((found = iterate_fd(current->files, next, kipc_nl_find_unbound,
				   NULL)) > 0) {
		next = found;
		file = fget(found - 1);
		if (!file)
			continue;
		/*
		 * A socket shared with another task (inherited across fork,
		 * or passed) may be that task's: it stays unmarked, and so
		 * hears no events, rather than take this task's namespace.
		 * One reference is this file table's, one is ours, and with
		 * a shared table the subscribing call's fdget() holds one.
		 */
		if (!kipc_nl_is_genl(file) || file_count(file) > refs) {
			fput(file);
			continue;
		}
		sk = sock_from_file(file)->sk;
		sock_hold(sk);
		get_ipc_ns(ns);
		ret = xa_insert(&kipc_nl_socks, (unsigned long)sk, ns,
				GFP_KERNEL_ACCOUNT);
		if (ret) {
			kipc_put_ipc_ns(ns);
			sock_put(sk);
		}
		fput(file);
		/* -EBUSY: another subscriber of the same socket was first. */
		if (ret && ret != -EBUSY)
			return ret;
	}
	return 0;
}

/*
 * A socket left the group: by NETLINK_DROP_MEMBERSHIP, or by closing, in
 * which case it is already dead and its entry goes.
 */
static void kipc_nl_monitor_unbind(int group)
{
	kipc_nl_socks_prune(false);
}

/* netlink_broadcast_filtered(): true drops the event for @dsk. */
static int kipc_nl_monitor_filter(struct sock *dsk, struct sk_buff *skb,
				  void *data)
{
	return xa_load(&kipc_nl_socks, (unsigned long)dsk) != data;
}

static const struct genl_multicast_group kipc_nl_mcgrps[] = {
	[KIPC_NLGRP_MONITOR] = { .name = KIPC_MCGRP_MONITOR, },
};

/*
 * Send @obj's @event to the monitor listeners of its IPC namespace, in every
 * network namespace. Called with kipc_lock held, which orders the events.
 */
void kipc_nl_event(struct kipc_object *obj, u8 event)
{
	u32 group = kipc_genl_family.mcgrp_offset + KIPC_NLGRP_MONITOR;
	struct user_namespace *uns = obj->ipc_ns->user_ns;
	struct sk_buff *skb, *tmp;
	bool listeners = false;
	bool kthread;
	struct net *net;
	void *hdr;

	rcu_read_lock();
	for_each_net_rcu(net)
		if (netlink_has_listeners(net->genl_sock, group)) {
			listeners = true;
			break;
		}
	rcu_read_unlock();
	if (!listeners)
		return;

	/* Sized to fit: listeners' receive buffers are charged truesize. */
	skb = genlmsg_new(nla_total_size_64bit(sizeof(u64)) +
			  nla_total_size(obj->name_len + 1) +
			  4 * nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &kipc_genl_family, 0, event);
	if (!hdr)
		goto out_free;
	kthread = current->flags & PF_KTHREAD;
	if (nla_put_u64_64bit(skb, KIPC_A_OBJ_ID, obj->id, KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_TYPE, obj->ops->type) ||
	    nla_put_string(skb, KIPC_A_OBJ_NAME, obj->name) ||
	    nla_put_u32(skb, KIPC_A_OBJ_NS, obj->ipc_ns->ns.inum) ||
	    nla_put_u32(skb, KIPC_A_OBJ_ACTOR_PID,
			kthread ? 0 : task_tgid_vnr(current)) ||
	    nla_put_u32(skb, KIPC_A_OBJ_ACTOR_UID,
			kthread ? 0 : from_kuid_munged(uns, current_euid())))
		goto out_free;
	genlmsg_end(skb, hdr);

	rcu_read_lock();
	for_each_net_rcu(net) {
		if (!netlink_has_listeners(net->genl_sock, group))
			continue;
		tmp = skb_clone(skb, GFP_ATOMIC);
		if (!tmp)
			break;
		nlmsg_multicast_filtered(net->genl_sock, tmp, 0, group,
					 GFP_ATOMIC, kipc_nl_monitor_filter,
					 obj->ipc_ns);
	}
	rcu_read_unlock();
out_free:
	nlmsg_free(skb);
}
#else
void kipc_nl_event(struct kipc_object *obj, u8 event)
{
}

static void kipc_nl_socks_prune(bool all)
{
}
#endif

/*
 * Let go of the namespaces of closed monitor sockets. The reaper calls this
 * before it looks for dead namespaces: a closed socket that had no group of
 * its own (every genl socket of a subscriber is marked) is not unbound.
 */
void kipc_nl_prune(void)
{
	kipc_nl_socks_prune(false);
}

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
	.bind = kipc_nl_monitor_bind,
	.unbind = kipc_nl_monitor_unbind,
#endif
};

int kipc_netlink_init(void)
{
	int ret;

#if !KIPC_HAVE_GENL_SPLIT_OPS
	kipc_genl_family.n_ops = kipc_nl_compat_build();
#endif
	ret = genl_register_family(&kipc_genl_family);
	if (ret)
		return ret;
	kipc_events_enable(true);
	return 0;
}

/* Resolving the family by name loads the module, as opening /dev/kipc does. */
MODULE_ALIAS_GENL_FAMILY(KIPC_GENL_NAME);

void kipc_netlink_exit(void)
{
	kipc_events_enable(false);
	genl_unregister_family(&kipc_genl_family);
	kipc_nl_socks_prune(true);
}
