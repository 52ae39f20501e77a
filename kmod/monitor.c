// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the monitor, the events of the Generic Netlink family "kipc".
 *
 * Events go to the "monitor" group, and only to the sockets that asked for
 * them with the monitor-subscribe request: each hears the events of the IPC
 * namespace it subscribed from, with the actor in its own pid and user
 * namespaces. netlink.c registers the family, with the group, and hooks
 * kipc_nl_monitor_event() to the registry's events (kipc_events_set()); it
 * gives this file the family at kipc_nl_monitor_init(), so that the calls
 * between the two files go one way.
 *
 * Below KIPC_HAVE_NL_MONITOR (compat.h) there is no monitor group: the
 * request fails with -EOPNOTSUPP and the registry's events go nowhere.
 */
#include <linux/hashtable.h>
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

#if KIPC_HAVE_NL_MONITOR
/*
 * Monitor subscriptions. A socket subscribes with the monitor-subscribe
 * request, which names it exactly (NETLINK_CB(skb).sk); joining the group
 * alone hears nothing. The subscription records the caller's IPC namespace,
 * whose events the socket hears, and its pid and user namespaces, in which
 * the actor of each event is given. It holds a reference on the sock, so
 * that its address is not reused by another socket while it exists, and is
 * dropped by the NETLINK_URELEASE notifier when the socket is released (its
 * last file closed), or at module exit.
 *
 * Subscribers of one IPC namespace that share a network namespace and see
 * ids through the same pid and user namespaces form a view: an event is
 * built once per view, with the actor translated for it, and multicast to
 * the group in the view's network namespace through a filter that passes
 * only the view's sockets. (genl's own per-socket private data would do
 * this, but it is not exported to modules.)
 */

/*
 * A user (kuid, in every namespace) holds at most
 * KIPC_NL_MONITOR_MAX_PER_USER subscriptions (uapi kipc.h): each pins a
 * sock and namespaces, and costs every event a message.
 */
/**
 * struct kipc_nl_view - the subscribers that get the same event message
 * @node: in kipc_nl_views, hashed by @ipc_ns
 * @ipc_ns: whose events they hear (a reference)
 * @net: the network namespace of their sockets (their socks pin it)
 * @pid_ns: in which the actor's pid is given (a reference)
 * @user_ns: in which the actor's uid is given (a reference)
 * @subs: subscriptions of this view
 *
 * All fields are protected by kipc_nl_subs_lock.
 */
struct kipc_nl_view {
	struct hlist_node node;
	struct ipc_namespace *ipc_ns;
	struct net *net;
	struct pid_namespace *pid_ns;
	struct user_namespace *user_ns;
	unsigned int subs;
};

/**
 * struct kipc_nl_sub - one subscribed socket
 * @node: in kipc_nl_ports, hashed by @portid
 * @sk: the socket (a reference); the index of kipc_nl_socks
 * @net: its network namespace
 * @portid: its port id, by which NETLINK_URELEASE names it
 * @uid: the user charged for it
 * @view: its view
 *
 * All fields are protected by kipc_nl_subs_lock.
 */
struct kipc_nl_sub {
	struct hlist_node node;
	struct sock *sk;
	struct net *net;
	u32 portid;
	kuid_t uid;
	struct kipc_nl_view *view;
};

/*
 * Protects the tables below. Taken under kipc_lock by the event path, and
 * by the subscribe request and the release notifier, which take nothing
 * under it.
 */
static DEFINE_MUTEX(kipc_nl_subs_lock);
/* sock -> struct kipc_nl_sub (protected by kipc_nl_subs_lock) */
static DEFINE_XARRAY(kipc_nl_socks);
/* kuid -> subscriptions, as an xa_mk_value (protected by kipc_nl_subs_lock) */
static DEFINE_XARRAY(kipc_nl_users);
static DEFINE_HASHTABLE(kipc_nl_views, 6); /* (protected by kipc_nl_subs_lock) */
static DEFINE_HASHTABLE(kipc_nl_ports, 6); /* (protected by kipc_nl_subs_lock) */

/* The family "kipc", given at init; its group offset is set at registration. */
static const struct genl_family *kipc_nl_family;

static struct kipc_nl_view *kipc_nl_view_get(struct net *net)
{
	struct ipc_namespace *ipc_ns = current->nsproxy->ipc_ns;
	struct pid_namespace *pid_ns = task_active_pid_ns(current);
	struct user_namespace *user_ns = current_user_ns();
	struct kipc_nl_view *view;

	lockdep_assert_held(&kipc_nl_subs_lock);
	hash_for_each_possible(kipc_nl_views, view, node, (unsigned long)ipc_ns)
		if (view->ipc_ns == ipc_ns && view->net == net &&
		    view->pid_ns == pid_ns && view->user_ns == user_ns) {
			view->subs++;
			return view;
		}
	view = kzalloc(sizeof(*view), GFP_KERNEL_ACCOUNT);
	if (!view)
		return NULL;
	view->ipc_ns = get_ipc_ns(ipc_ns);
	view->net = net;
	view->pid_ns = get_pid_ns(pid_ns);
	view->user_ns = get_user_ns(user_ns);
	view->subs = 1;
	hash_add(kipc_nl_views, &view->node, (unsigned long)ipc_ns);
	return view;
}

static void kipc_nl_view_put(struct kipc_nl_view *view)
{
	lockdep_assert_held(&kipc_nl_subs_lock);
	if (--view->subs)
		return;
	hash_del(&view->node);
	kipc_put_ipc_ns(view->ipc_ns);
	put_pid_ns(view->pid_ns);
	put_user_ns(view->user_ns);
	kfree(view);
}

/* Charge a subscription to @uid: 0, or -EMFILE beyond the limit. */
static int kipc_nl_user_charge(kuid_t uid)
{
	unsigned long n = 0;
	void *entry;

	lockdep_assert_held(&kipc_nl_subs_lock);
	entry = xa_load(&kipc_nl_users, __kuid_val(uid));
	if (entry)
		n = xa_to_value(entry);
	if (n >= KIPC_NL_MONITOR_MAX_PER_USER)
		return -EMFILE;
	return xa_err(xa_store(&kipc_nl_users, __kuid_val(uid),
			       xa_mk_value(n + 1), GFP_KERNEL_ACCOUNT));
}

static void kipc_nl_user_uncharge(kuid_t uid)
{
	unsigned long n;

	lockdep_assert_held(&kipc_nl_subs_lock);
	n = xa_to_value(xa_load(&kipc_nl_users, __kuid_val(uid)));
	if (n > 1)
		xa_store(&kipc_nl_users, __kuid_val(uid), xa_mk_value(n - 1),
			 GFP_NOWAIT);	/* replaces an entry: never allocates */
	else
		xa_erase(&kipc_nl_users, __kuid_val(uid));
}

static void kipc_nl_sub_free(struct kipc_nl_sub *sub)
{
	lockdep_assert_held(&kipc_nl_subs_lock);
	hash_del(&sub->node);
	xa_erase(&kipc_nl_socks, (unsigned long)sub->sk);
	kipc_nl_user_uncharge(sub->uid);
	kipc_nl_view_put(sub->view);
	sock_put(sub->sk);
	kfree(sub);
}

/**
 * kipc_nl_monitor_subscribe_doit() - KIPC_CMD_MONITOR_SUBSCRIBE
 * @skb: the request, whose socket subscribes
 * @info: its attributes
 *
 * Return: 0, or a negative errno (-EOPNOTSUPP without a monitor group).
 */
int kipc_nl_monitor_subscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sock *sk = NETLINK_CB(skb).sk;
	struct kipc_nl_sub *sub;
	int ret;

	ret = kipc_nl_no_attrs(info->nlhdr, info->extack);
	if (ret)
		return ret;
	sub = kzalloc(sizeof(*sub), GFP_KERNEL_ACCOUNT);
	if (!sub)
		return -ENOMEM;
	sub->sk = sk;
	sub->net = sock_net(sk);
	sub->portid = NETLINK_CB(skb).portid;
	sub->uid = current_euid();

	mutex_lock(&kipc_nl_subs_lock);
	if (xa_load(&kipc_nl_socks, (unsigned long)sk)) {
		NL_SET_ERR_MSG(info->extack,
			       "this socket is already subscribed");
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = kipc_nl_user_charge(sub->uid);
	if (ret) {
		if (ret == -EMFILE)
			NL_SET_ERR_MSG(info->extack,
				       "too many monitor subscriptions of this user");
		goto out_unlock;
	}
	ret = -ENOMEM;
	sub->view = kipc_nl_view_get(sub->net);
	if (!sub->view)
		goto out_uncharge;
	ret = xa_insert(&kipc_nl_socks, (unsigned long)sk, sub,
			GFP_KERNEL_ACCOUNT);
	if (ret)
		goto out_view;
	sock_hold(sk);
	hash_add(kipc_nl_ports, &sub->node, sub->portid);
	mutex_unlock(&kipc_nl_subs_lock);
	return 0;

out_view:
	kipc_nl_view_put(sub->view);
out_uncharge:
	kipc_nl_user_uncharge(sub->uid);
out_unlock:
	mutex_unlock(&kipc_nl_subs_lock);
	kfree(sub);
	return ret;
}

/*
 * A netlink socket was released: drop its subscription. Its port id may
 * already be another socket's, which is alive; the released one is dead.
 */
static int kipc_nl_release_notify(struct notifier_block *nb,
				  unsigned long state, void *ptr)
{
	struct netlink_notify *n = ptr;
	struct kipc_nl_sub *sub;
	struct hlist_node *tmp;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	mutex_lock(&kipc_nl_subs_lock);
	hash_for_each_possible_safe(kipc_nl_ports, sub, tmp, node, n->portid)
		if (sub->portid == n->portid && net_eq(sub->net, n->net) &&
		    sock_flag(sub->sk, SOCK_DEAD))
			kipc_nl_sub_free(sub);
	mutex_unlock(&kipc_nl_subs_lock);
	return NOTIFY_DONE;
}

static struct notifier_block kipc_nl_release_nb = {
	.notifier_call = kipc_nl_release_notify,
};

static void kipc_nl_subs_free_all(void)
{
	struct kipc_nl_sub *sub;
	struct hlist_node *tmp;
	int bkt;

	mutex_lock(&kipc_nl_subs_lock);
	hash_for_each_safe(kipc_nl_ports, bkt, tmp, sub, node)
		kipc_nl_sub_free(sub);
	mutex_unlock(&kipc_nl_subs_lock);
}

/*
 * netlink_broadcast_filtered(): true drops the event for @dsk. The sender
 * holds kipc_nl_subs_lock, so a subscription found here stays.
 */
static int kipc_nl_monitor_filter(struct sock *dsk, struct sk_buff *skb,
				  void *data)
{
	struct kipc_nl_sub *sub = xa_load(&kipc_nl_socks, (unsigned long)dsk);

	return !sub || sub->view != data;
}

/* Send @obj's @event to the subscribers of @view, the actor given in it. */
static void kipc_nl_event_view(struct kipc_object *obj, u8 event,
			       struct kipc_nl_view *view)
{
	u32 group = kipc_nl_family->mcgrp_offset + KIPC_NLGRP_MONITOR;
	struct sk_buff *skb;
	u32 pid = 0, uid = 0;
	void *hdr;

	lockdep_assert_held(&kipc_nl_subs_lock);
	if (!netlink_has_listeners(view->net->genl_sock, group))
		return;
	if (!(current->flags & PF_KTHREAD)) {
		pid = task_tgid_nr_ns(current, view->pid_ns);
		uid = from_kuid_munged(view->user_ns, current_euid());
	}
	/* Sized to fit: listeners' receive buffers are charged truesize. */
	skb = genlmsg_new(nla_total_size_64bit(sizeof(u64)) +
			  nla_total_size(obj->name_len + 1) +
			  4 * nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, kipc_nl_family, 0, event);
	if (!hdr)
		goto out_free;
	if (nla_put_u64_64bit(skb, KIPC_A_OBJ_ID, obj->id, KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_TYPE, obj->ops->type) ||
	    nla_put_string(skb, KIPC_A_OBJ_NAME, obj->name) ||
	    nla_put_u32(skb, KIPC_A_OBJ_NS, obj->ipc_ns->ns.inum) ||
	    nla_put_u32(skb, KIPC_A_OBJ_ACTOR_PID, pid) ||
	    nla_put_u32(skb, KIPC_A_OBJ_ACTOR_UID, uid))
		goto out_free;
	genlmsg_end(skb, hdr);
	nlmsg_multicast_filtered(view->net->genl_sock, skb, 0, group,
				 GFP_KERNEL, kipc_nl_monitor_filter, view);
	return;

out_free:
	nlmsg_free(skb);
}

/**
 * kipc_nl_monitor_event() - send an event to the subscribers of its namespace
 * @obj: the object, in whose IPC namespace the subscribers hear it
 * @event: KIPC_CMD_OBJ_*_NTF
 *
 * The registry calls it through its event hook (kipc_events_set(), which
 * netlink.c sets), with kipc_lock held, which orders the events; it takes
 * kipc_nl_subs_lock inside.
 */
void kipc_nl_monitor_event(struct kipc_object *obj, u8 event)
{
	struct kipc_nl_view *view;

	mutex_lock(&kipc_nl_subs_lock);
	hash_for_each_possible(kipc_nl_views, view, node,
			       (unsigned long)obj->ipc_ns)
		if (view->ipc_ns == obj->ipc_ns)
			kipc_nl_event_view(obj, event, view);
	mutex_unlock(&kipc_nl_subs_lock);
}

/**
 * kipc_nl_monitor_init() - watch for released sockets, before any subscribes
 * @family: the family "kipc", whose monitor group the events go to; it is
 *	registered after this, and unregistered before kipc_nl_monitor_exit()
 *
 * Return: 0 or a negative errno.
 */
int kipc_nl_monitor_init(const struct genl_family *family)
{
	kipc_nl_family = family;
	return netlink_register_notifier(&kipc_nl_release_nb);
}

/**
 * kipc_nl_monitor_exit() - stop watching sockets, and drop every subscription
 *
 * The family is unregistered and the event hook unset: nothing subscribes
 * or sends any more.
 */
void kipc_nl_monitor_exit(void)
{
	netlink_unregister_notifier(&kipc_nl_release_nb);
	kipc_nl_subs_free_all();
}
#else
/* No monitor group: netlink.c hooks no events. */

/**
 * kipc_nl_monitor_subscribe_doit() - KIPC_CMD_MONITOR_SUBSCRIBE
 * @skb: the request, whose socket subscribes
 * @info: its attributes
 *
 * Return: 0, or a negative errno (-EOPNOTSUPP without a monitor group).
 */
int kipc_nl_monitor_subscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	NL_SET_ERR_MSG(info->extack,
		       "no monitor on this kernel: it needs Linux 6.9 or later");
	return -EOPNOTSUPP;
}

/**
 * kipc_nl_monitor_init() - watch for released sockets, before any subscribes
 * @family: the family "kipc"
 *
 * Return: 0.
 */
int kipc_nl_monitor_init(const struct genl_family *family)
{
	return 0;
}

/**
 * kipc_nl_monitor_exit() - stop watching sockets, and drop every subscription
 */
void kipc_nl_monitor_exit(void)
{
}
#endif
