// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the accounting and limits of IPC namespaces.
 *
 * A namespace's accounting (struct kipc_ns) is found through an rhashtable
 * keyed by the namespace, and indexes that namespace's objects by id, so
 * that reaping and dumping one namespace touch only its objects. Every
 * object is charged to its own namespace and to each one above it (the
 * accounting tree, below), and every namespace's limits bind what is
 * charged to it. All of it is protected by kipc_lock, which is defined
 * here, the lowest of the files that take it; see the locking overview in
 * kipc_private.h.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "compat.h"
#include "kipc_private.h"

/* The registry lock: see the locking overview in kipc_private.h. */
DEFINE_MUTEX(kipc_lock);
/* The namespaces not reaped yet (protected by kipc_lock) */
LIST_HEAD(kipc_namespaces);

static unsigned int kipc_max_objects = 65536;
module_param_named(max_objects, kipc_max_objects, uint, 0644);
MODULE_PARM_DESC(max_objects, "Default object limit of an IPC namespace (default 65536)");

static unsigned long kipc_max_bytes = 1UL << 30;
module_param_named(max_bytes, kipc_max_bytes, ulong, 0644);
MODULE_PARM_DESC(max_bytes, "Default byte limit of an IPC namespace (default 1 GiB)");

static unsigned int kipc_uid_max_objects = 16384;
module_param_named(uid_max_objects, kipc_uid_max_objects, uint, 0644);
MODULE_PARM_DESC(uid_max_objects, "Default object limit of one uid in a namespace (default 16384)");

static unsigned long kipc_uid_max_bytes = 256UL << 20;
module_param_named(uid_max_bytes, kipc_uid_max_bytes, ulong, 0644);
MODULE_PARM_DESC(uid_max_bytes, "Default byte limit of one uid in a namespace (default 256 MiB)");

/**
 * struct kipc_uid_usage - what one uid has created in one namespace
 * @objects: objects charged to the uid
 * @bytes: bytes charged to the uid
 */
struct kipc_uid_usage {
	u32 objects;
	u64 bytes;
};

/**
 * struct kipc_uid_limit - limits set for one uid in one namespace
 * @set: KIPC_LIM_OBJECTS and KIPC_LIM_BYTES: which of the two are set
 * @objects: object limit
 * @bytes: byte limit
 */
struct kipc_uid_limit {
	u32 set;
	u32 objects;
	u64 bytes;
};

static const struct rhashtable_params kipc_ns_params = {
	.key_len = sizeof(struct ipc_namespace *),
	.key_offset = offsetof(struct kipc_ns, ipc_ns),
	.head_offset = offsetof(struct kipc_ns, hnode),
	.automatic_shrinking = true,
};

static struct rhashtable kipc_ns_table;	/* (protected by kipc_lock) */

static struct kipc_ns *kipc_ns_find_locked(struct ipc_namespace *ipc_ns)
{
	lockdep_assert_held(&kipc_lock);
	return rhashtable_lookup_fast(&kipc_ns_table, &ipc_ns, kipc_ns_params);
}

/*
 * The reaper's work (reap.c), set by kipc_ns_init(): scheduled whenever a
 * namespace's accounting is made, and by the reaper itself while any is
 * left.
 */
static struct delayed_work kipc_ns_reaper;

/* How often the reaper looks for dead namespaces while any has objects. */
#define KIPC_REAP_INTERVAL	(5 * HZ)

/**
 * kipc_ns_reap_later() - run the reaper after the reaping interval
 */
void kipc_ns_reap_later(void)
{
	schedule_delayed_work(&kipc_ns_reaper, KIPC_REAP_INTERVAL);
}

static struct kipc_ns *kipc_ns_get_locked(struct ipc_namespace *ipc_ns)
{
	struct kipc_ns *kns = kipc_ns_find_locked(ipc_ns);

	/* Only a task in the namespace creates or sets limits there. */
	if (kns) {
		WARN_ON_ONCE(kns->reaped);
		return kns;
	}
	kns = kzalloc(sizeof(*kns), GFP_KERNEL_ACCOUNT);
	if (!kns)
		return NULL;
	kns->ipc_ns = ipc_ns;
	xa_init(&kns->uids);
	xa_init(&kns->uid_limits);
	xa_init(&kns->objs);
	spin_lock_init(&kns->sem_multi_lock);
	if (rhashtable_insert_fast(&kipc_ns_table, &kns->hnode,
				   kipc_ns_params)) {
		kfree(kns);
		return NULL;
	}
	/* At the tail: a parent is made before its children and outlives them. */
	list_add_tail(&kns->node, &kipc_namespaces);
	kipc_ns_reap_later();
	return kns;
}

/*
 * Whether @xa holds an entry. A store that failed for memory may leave
 * empty nodes behind, which xa_empty() counts and xa_destroy() frees.
 */
static bool kipc_xa_any(struct xarray *xa)
{
	unsigned long index = 0;

	return xa_find(xa, &index, ULONG_MAX, XA_PRESENT);
}

/**
 * kipc_ns_put_locked() - free a namespace's accounting if nothing keeps it
 * @kns: the accounting, or NULL
 *
 * Objects, set limits, children and a reaper at work keep @kns. A freed
 * namespace no longer keeps its parent, which may go in turn.
 */
void kipc_ns_put_locked(struct kipc_ns *kns)
{
	struct kipc_ns *parent;

	lockdep_assert_held(&kipc_lock);
	while (kns && !kns->objects && !kns->pinned && !kns->children &&
	       !kns->reaping) {
		WARN_ON(kipc_xa_any(&kns->uids) ||
			kipc_xa_any(&kns->uid_limits) ||
			kipc_xa_any(&kns->objs));
		xa_destroy(&kns->uids);
		xa_destroy(&kns->uid_limits);
		xa_destroy(&kns->objs);
		rhashtable_remove_fast(&kipc_ns_table, &kns->hnode,
				       kipc_ns_params);
		list_del(&kns->node);
		parent = kns->parent;
		kfree(kns);
		kns = parent;
		if (kns && !--kns->children)
			kipc_put_ipc_ns(kns->ipc_ns);
	}
}

/*
 * The accounting tree
 * ===================
 *
 * Every IPC namespace kipc knows has a parent, fixed when kipc first meets
 * it: the IPC namespace of the nearest ancestor process (real_parent) whose
 * IPC namespace differs, else the initial IPC namespace, the root. An object
 * is charged to its own namespace and to every namespace above it, so each
 * namespace's limits bind the whole subtree below it, and the root's
 * limits bind everything. Deeper than KIPC_NS_DEPTH_MAX levels, creation
 * fails with ENOSPC, so that a charge walks a bounded chain.
 */

/* The IPC namespace of init_task: the root (init_ipc_ns, unexported on 6.1). */
static struct ipc_namespace *kipc_root_ipc_ns(void)
{
	return init_task.nsproxy->ipc_ns;
}

/*
 * Read the IPC namespaces of current's ancestors into @path, each with a
 * reference that kipc_ns_path_put() drops, as yama walks real_parent,
 * under RCU only; kipc_lock is not held. A namespace met again further up
 * is skipped, so the result is never a cycle.
 */
static void kipc_ns_path_walk(struct kipc_ns_path *path)
{
	struct ipc_namespace *root = kipc_root_ipc_ns(), *ns;
	struct task_struct *t = current;
	unsigned int i;

	path->n = 0;
	path->ns[path->n++] = get_ipc_ns(current->nsproxy->ipc_ns);
	rcu_read_lock();
	while (path->ns[path->n - 1] != root &&
	       path->n < ARRAY_SIZE(path->ns) && t->pid) {
		t = rcu_dereference(t->real_parent);
		task_lock(t);
		ns = t->nsproxy ? t->nsproxy->ipc_ns : NULL;
		for (i = 0; ns && i < path->n; i++)
			if (path->ns[i] == ns)
				ns = NULL;
		if (ns)
			path->ns[path->n++] = get_ipc_ns(ns);
		task_unlock(t);
	}
	rcu_read_unlock();
	if (path->ns[path->n - 1] != root && path->n < ARRAY_SIZE(path->ns))
		path->ns[path->n++] = get_ipc_ns(root);
}

/**
 * kipc_ns_path_put() - drop the references kipc_ns_attach_locked() took
 * @path: the path, left empty
 */
void kipc_ns_path_put(struct kipc_ns_path *path)
{
	while (path->n)
		kipc_put_ipc_ns(path->ns[--path->n]);
}

/**
 * kipc_ns_attach_locked() - the accounting of the caller's namespace
 * @ipc_ns: the caller's IPC namespace
 * @path: the namespaces above it, or empty; filled here when it is needed
 *
 * Made, with its ancestors, if it is new. The caller drops it with
 * kipc_ns_put_locked() unless it charges something to it.
 *
 * Return: the accounting; ERR_PTR(-EAGAIN) if it is new and @path was
 * empty: kipc_lock is then dropped and @path read without it (a long
 * process chain stalls no one else), and the caller takes the lock again,
 * looks again and calls again; ERR_PTR(-ENOSPC) if the tree would be
 * deeper than KIPC_NS_DEPTH_MAX; ERR_PTR(-ENOMEM).
 */
struct kipc_ns *kipc_ns_attach_locked(struct ipc_namespace *ipc_ns,
				      struct kipc_ns_path *path)
{
	struct ipc_namespace *root = kipc_root_ipc_ns();
	struct kipc_ns *kns, *parent = NULL;
	unsigned int i, top;

	lockdep_assert_held(&kipc_lock);
	kns = kipc_ns_find_locked(ipc_ns);
	if (kns)
		return kns;
	if (ipc_ns == root) {
		kns = kipc_ns_get_locked(ipc_ns);
		return kns ?: ERR_PTR(-ENOMEM);
	}
	if (!path->n) {
		/*
		 * The one return without kipc_lock: callers tell it by
		 * -EAGAIN, so no other error here may be -EAGAIN.
		 */
		mutex_unlock(&kipc_lock);
		kipc_ns_path_walk(path);
		return ERR_PTR(-EAGAIN);
	}
	if (WARN_ON(path->ns[0] != ipc_ns))
		return ERR_PTR(-EINVAL);
	/* The nearest namespace above that is known, or the root. */
	for (top = 1; top < path->n; top++) {
		parent = kipc_ns_find_locked(path->ns[top]);
		if (parent || path->ns[top] == root)
			break;
	}
	if (top == path->n)
		return ERR_PTR(-ENOSPC);
	if (!parent) {
		parent = kipc_ns_get_locked(root);
		if (!parent)
			return ERR_PTR(-ENOMEM);
	}
	if (parent->depth + top > KIPC_NS_DEPTH_MAX) {
		kipc_ns_put_locked(parent);
		return ERR_PTR(-ENOSPC);
	}
	for (i = top; i-- > 0;) {
		kns = kipc_ns_get_locked(path->ns[i]);
		if (!kns) {
			kipc_ns_put_locked(parent);
			return ERR_PTR(-ENOMEM);
		}
		kns->parent = parent;
		kns->depth = parent->depth + 1;
		if (!parent->children++)
			get_ipc_ns(parent->ipc_ns);
		parent = kns;
	}
	return kns;
}

static void kipc_limits_default(struct kipc_limits_info *li);

/**
 * kipc_ns_unpin_locked() - forget every limit set for a namespace
 * @kns: the accounting, which may be freed
 *
 * Drops the pin on the namespace, and lets the accounting go if nothing
 * else keeps it.
 */
void kipc_ns_unpin_locked(struct kipc_ns *kns)
{
	struct kipc_uid_limit *ul;
	unsigned long uid;

	lockdep_assert_held(&kipc_lock);
	xa_for_each(&kns->uid_limits, uid, ul)
		kfree(ul);
	xa_destroy(&kns->uid_limits);
	kns->lim_set = 0;
	if (kns->pinned) {
		kns->pinned = false;
		kipc_put_ipc_ns(kns->ipc_ns);
	}
	kipc_ns_put_locked(kns);
}

/* The limits in force for @kns and for @uid in it. */
static void kipc_limits_locked(struct kipc_ns *kns, kuid_t uid,
			       struct kipc_limits_info *li)
{
	struct kipc_uid_limit *ul = xa_load(&kns->uid_limits, __kuid_val(uid));
	u32 set = kns->lim_set;

	lockdep_assert_held(&kipc_lock);
	li->objects = set & KIPC_LIM_OBJECTS ? kns->lim_objects :
		      READ_ONCE(kipc_max_objects);
	li->bytes = set & KIPC_LIM_BYTES ? kns->lim_bytes :
		    READ_ONCE(kipc_max_bytes);
	li->uid_objects = set & KIPC_LIM_UID_OBJECTS ? kns->lim_uid_objects :
			  READ_ONCE(kipc_uid_max_objects);
	li->uid_bytes = set & KIPC_LIM_UID_BYTES ? kns->lim_uid_bytes :
			READ_ONCE(kipc_uid_max_bytes);
	li->override = set != 0;
	/* One uid's limits: its override, else the namespace's default. */
	li->this_uid_objects = li->uid_objects;
	li->this_uid_bytes = li->uid_bytes;
	li->uid_override = false;
	if (ul) {
		if (ul->set & KIPC_LIM_OBJECTS)
			li->this_uid_objects = ul->objects;
		if (ul->set & KIPC_LIM_BYTES)
			li->this_uid_bytes = ul->bytes;
		li->uid_override = true;
	}
}

/*
 * May @objects more objects and @bytes more bytes be charged to @kns, with
 * everything charged to it from the namespaces below, and to @uid there?
 * Namespace limits give ENOSPC and per-uid limits EMFILE, as mq_open() does
 * for queues_max and RLIMIT_MSGQUEUE.
 */
static int kipc_limits_check_locked(struct kipc_ns *kns, kuid_t uid,
				    u32 objects, u64 bytes)
{
	struct kipc_uid_usage *use = xa_load(&kns->uids, __kuid_val(uid));
	u64 uid_objects = use ? use->objects : 0;
	u64 uid_bytes = use ? use->bytes : 0;
	struct kipc_limits_info li;

	lockdep_assert_held(&kipc_lock);
	kipc_limits_locked(kns, uid, &li);
	if ((objects &&
	     kipc_over_limit(kns->tree_objects, objects, li.objects)) ||
	    kipc_over_limit(kns->tree_bytes, bytes, li.bytes))
		return -ENOSPC;
	if ((objects &&
	     kipc_over_limit(uid_objects, objects, li.this_uid_objects)) ||
	    kipc_over_limit(uid_bytes, bytes, li.this_uid_bytes))
		return -EMFILE;
	return 0;
}

/* The uid @obj is charged to at the @level-th namespace above its own. */
static kuid_t kipc_obj_charged_uid(struct kipc_object *obj,
				   unsigned int level)
{
	return obj->charged_uids ? obj->charged_uids[level] : obj->cuid;
}

/*
 * The uid charged at a namespace owned by @to for @uid, a creator in the
 * user namespace @from: as ucounts charges, the owner of the child user
 * namespace on the way up from @from to @to (a user namespace made by
 * nobody charges nobody above it), or @uid itself when @from is @to or @to
 * is not above @from.
 */
static kuid_t kipc_level_uid(struct user_namespace *from, kuid_t uid,
			     struct user_namespace *to)
{
	struct user_namespace *ns;
	kuid_t owner = uid;

	for (ns = from; ns; ns = ns->parent) {
		if (ns == to)
			return owner;
		owner = ns->owner;
	}
	return uid;
}

/*
 * Check @objects and @bytes more for @obj at its namespace and every one
 * above. Memory is global, so only CAP_SYS_RESOURCE in the initial user
 * namespace may pass any of them; a capability in a child user namespace
 * does not lift an ancestor's limit.
 */
static int kipc_limits_check_tree_locked(struct kipc_object *obj,
					 struct kipc_ns *kns, u32 objects,
					 u64 bytes)
{
	unsigned int level;
	int ret = 0;

	lockdep_assert_held(&kipc_lock);
	for (level = 0; kns && !ret; kns = kns->parent, level++)
		ret = kipc_limits_check_locked(kns,
					       kipc_obj_charged_uid(obj, level),
					       objects, bytes);
	if (ret && capable(CAP_SYS_RESOURCE))
		ret = 0;
	return ret;
}

/* Forget @uid's entry in @kns if nothing is charged to it. */
static void kipc_uid_usage_drop_locked(struct kipc_ns *kns, kuid_t uid)
{
	struct kipc_uid_usage *use = xa_load(&kns->uids, __kuid_val(uid));

	if (use && !use->objects) {
		xa_erase(&kns->uids, __kuid_val(uid));
		kfree(use);
	}
}

/*
 * Charge a new object to its namespace and every one above, each to the
 * uid it charges there: the creator in its own namespace, the owner of the
 * user namespace on the way up above it (kipc_level_uid()). What was
 * charged is kept in the object, so that uncharging and recharging walk
 * the same chain whatever changes later. All or nothing.
 */
static int kipc_charge_locked(struct kipc_ns *kns, struct kipc_object *obj)
{
	struct user_namespace *from = current_user_ns();
	kuid_t uids[KIPC_NS_DEPTH_MAX + 1];
	struct kipc_uid_usage *use;
	unsigned int level, n;
	bool differ = false;
	struct kipc_ns *k;
	int ret;

	lockdep_assert_held(&kipc_lock);
	for (k = kns, n = 0; k; k = k->parent, n++) {
		uids[n] = n ? kipc_level_uid(from, obj->cuid,
					     k->ipc_ns->user_ns) : obj->cuid;
		differ |= !uid_eq(uids[n], obj->cuid);
	}
	if (differ) {
		obj->charged_uids = kmemdup(uids, n * sizeof(*uids),
					    GFP_KERNEL_ACCOUNT);
		if (!obj->charged_uids)
			return -ENOMEM;
	}
	ret = kipc_limits_check_tree_locked(obj, kns, 1, obj->bytes);
	if (ret)
		goto out_free;
	/* Every entry first, so that a failure leaves nothing charged. */
	for (k = kns, level = 0; k; k = k->parent, level++) {
		use = xa_load(&k->uids, __kuid_val(uids[level]));
		if (use)
			continue;
		use = kzalloc(sizeof(*use), GFP_KERNEL_ACCOUNT);
		if (!use) {
			ret = -ENOMEM;
			goto out_drop;
		}
		ret = xa_err(xa_store(&k->uids, __kuid_val(uids[level]), use,
				      GFP_KERNEL_ACCOUNT));
		if (ret) {
			kfree(use);
			goto out_drop;
		}
	}
	for (k = kns, level = 0; k; k = k->parent, level++) {
		use = xa_load(&k->uids, __kuid_val(uids[level]));
		use->objects++;
		use->bytes += obj->bytes;
		k->tree_objects++;
		k->tree_bytes += obj->bytes;
	}
	kns->objects++;
	kns->bytes += obj->bytes;
	kns->per_type[obj->ops->type]++;
	return 0;

out_drop:
	for (k = kns, level = 0; k; k = k->parent, level++)
		kipc_uid_usage_drop_locked(k, uids[level]);
out_free:
	kfree(obj->charged_uids);
	obj->charged_uids = NULL;
	return ret;
}

static void kipc_uncharge_locked(struct kipc_ns *kns, struct kipc_object *obj)
{
	struct kipc_uid_usage *use;
	unsigned int level;
	struct kipc_ns *k;
	kuid_t uid;

	lockdep_assert_held(&kipc_lock);
	for (k = kns, level = 0; k; k = k->parent, level++) {
		uid = kipc_obj_charged_uid(obj, level);
		use = xa_load(&k->uids, __kuid_val(uid));
		if (!WARN_ON(!use)) {
			use->objects--;
			use->bytes -= obj->bytes;
			kipc_uid_usage_drop_locked(k, uid);
		}
		k->tree_objects--;
		k->tree_bytes -= obj->bytes;
	}
	kns->objects--;
	kns->bytes -= obj->bytes;
	kns->per_type[obj->ops->type]--;
	kfree(obj->charged_uids);
	obj->charged_uids = NULL;
}

/**
 * kipc_ns_add_locked() - charge a new object to its namespace, and index it
 * @kns: the accounting of the object's namespace (kipc_ns_attach_locked())
 * @obj: the object, not yet published
 *
 * The object is charged to @kns and every namespace above, each to the uid
 * it charges there, and @obj->kns is set: the object now keeps @kns. All
 * or nothing: on failure nothing is charged, and the caller still drops
 * @kns with kipc_ns_put_locked().
 *
 * Return: 0; -ENOSPC or -EMFILE past a limit; -ENOMEM.
 */
int kipc_ns_add_locked(struct kipc_ns *kns, struct kipc_object *obj)
{
	int ret;

	lockdep_assert_held(&kipc_lock);
	ret = kipc_charge_locked(kns, obj);
	if (ret)
		return ret;
	ret = xa_insert(&kns->objs, obj->id, obj, GFP_KERNEL_ACCOUNT);
	if (ret) {
		kipc_uncharge_locked(kns, obj);
		return ret;
	}
	obj->kns = kns;
	return 0;
}

/**
 * kipc_ns_del_locked() - undo kipc_ns_add_locked()
 * @obj: the object
 *
 * Takes @obj out of its namespace's index and uncharges it everywhere.
 * @obj no longer keeps its namespace's accounting: the caller drops it
 * with kipc_ns_put_locked().
 */
void kipc_ns_del_locked(struct kipc_object *obj)
{
	lockdep_assert_held(&kipc_lock);
	xa_erase(&obj->kns->objs, obj->id);
	kipc_uncharge_locked(obj->kns, obj);
}

/**
 * kipc_obj_recharge() - change what an object is charged
 * @obj: the object, published
 * @bytes: its new charge
 *
 * As a region does when it is resized: at the namespaces and uids it was
 * charged to at creation. Growing is checked against the limits at every
 * level as creation is, all or nothing; shrinking always succeeds.
 * Takes kipc_lock.
 *
 * Return: 0, or -ENOSPC or -EMFILE past a limit.
 */
int kipc_obj_recharge(struct kipc_object *obj, u64 bytes)
{
	struct kipc_uid_usage *use;
	unsigned int level;
	struct kipc_ns *k;
	int ret = 0;

	mutex_lock(&kipc_lock);
	if (WARN_ON(!obj->published)) {
		ret = -EINVAL;
		goto out_unlock;
	}
	if (bytes > obj->bytes) {
		ret = kipc_limits_check_tree_locked(obj, obj->kns, 0,
						    bytes - obj->bytes);
		if (ret)
			goto out_unlock;
	}
	for (k = obj->kns, level = 0; k; k = k->parent, level++) {
		use = xa_load(&k->uids,
			      __kuid_val(kipc_obj_charged_uid(obj, level)));
		if (!WARN_ON(!use))
			use->bytes = use->bytes - obj->bytes + bytes;
		k->tree_bytes = k->tree_bytes - obj->bytes + bytes;
	}
	obj->kns->bytes = obj->kns->bytes - obj->bytes + bytes;
	obj->bytes = bytes;
out_unlock:
	mutex_unlock(&kipc_lock);
	return ret;
}

/**
 * kipc_ns_stats() - a namespace's own usage and its limits, for netlink
 * @ns: the IPC namespace
 * @st: filled
 */
void kipc_ns_stats(struct ipc_namespace *ns, struct kipc_ns_stats *st)
{
	struct kipc_limits_info li = {};
	struct kipc_ns *kns;

	memset(st, 0, sizeof(*st));
	mutex_lock(&kipc_lock);
	kns = kipc_ns_find_locked(ns);
	if (kns) {
		memcpy(st->per_type, kns->per_type, sizeof(st->per_type));
		st->objects = kns->objects;
		st->bytes = kns->bytes;
		kipc_limits_locked(kns, INVALID_UID, &li);
	}
	mutex_unlock(&kipc_lock);
	if (!kns)
		kipc_limits_default(&li);
	st->limit_objects = li.objects;
	st->limit_bytes = li.bytes;
	st->limit_uid_objects = li.uid_objects;
	st->limit_uid_bytes = li.uid_bytes;
}

/* The limits of a namespace for which nothing was set: the parameters. */
static void kipc_limits_default(struct kipc_limits_info *li)
{
	li->objects = READ_ONCE(kipc_max_objects);
	li->bytes = READ_ONCE(kipc_max_bytes);
	li->uid_objects = READ_ONCE(kipc_uid_max_objects);
	li->uid_bytes = READ_ONCE(kipc_uid_max_bytes);
	li->this_uid_objects = li->uid_objects;
	li->this_uid_bytes = li->uid_bytes;
	li->override = false;
	li->uid_override = false;
}

/**
 * kipc_limits_get() - the limits in force in a namespace, with its usage
 * @ns: the IPC namespace
 * @li: @li->has_uid and @li->uid in; with @li->has_uid, also the limits
 *	and usage of @li->uid
 */
void kipc_limits_get(struct ipc_namespace *ns, struct kipc_limits_info *li)
{
	struct kipc_uid_usage *use;
	struct kipc_ns *kns;

	li->objects_used = 0;
	li->bytes_used = 0;
	li->uid_objects_used = 0;
	li->uid_bytes_used = 0;
	mutex_lock(&kipc_lock);
	kns = kipc_ns_find_locked(ns);
	if (!kns) {
		kipc_limits_default(li);
		goto out_unlock;
	}
	kipc_limits_locked(kns, li->uid, li);
	li->objects_used = kns->tree_objects;
	li->bytes_used = kns->tree_bytes;
	use = xa_load(&kns->uids, __kuid_val(li->uid));
	if (li->has_uid && use) {
		li->uid_objects_used = use->objects;
		li->uid_bytes_used = use->bytes;
	}
out_unlock:
	mutex_unlock(&kipc_lock);
}

/**
 * kipc_limits_set() - set or reset limits of a namespace
 * @ns: the caller's IPC namespace
 * @req: what to set
 *
 * Setting pins the namespace's accounting (and the namespace) until nothing
 * is set any more, or the namespace is otherwise dead.
 *
 * Return: 0, -ENOSPC (too deep a tree) or -ENOMEM.
 */
int kipc_limits_set(struct ipc_namespace *ns, const struct kipc_limits_req *req)
{
	struct kipc_ns_path path = { .n = 0 };
	struct kipc_uid_limit *ul = NULL;
	unsigned long uid = __kuid_val(req->uid);
	struct kipc_ns *kns;
	int ret = 0;

again:
	mutex_lock(&kipc_lock);
	kns = kipc_ns_attach_locked(ns, &path);
	if (kns == ERR_PTR(-EAGAIN))
		goto again;
	if (IS_ERR(kns)) {
		ret = PTR_ERR(kns);
		goto out_unlock;
	}
	if (req->has_uid) {
		ul = xa_load(&kns->uid_limits, uid);
		if (req->reset) {
			if (ul) {
				xa_erase(&kns->uid_limits, uid);
				kfree(ul);
			}
		} else {
			if (!ul) {
				ul = kzalloc(sizeof(*ul), GFP_KERNEL_ACCOUNT);
				if (!ul) {
					ret = -ENOMEM;
					goto out_put;
				}
				ret = xa_err(xa_store(&kns->uid_limits, uid, ul,
						      GFP_KERNEL_ACCOUNT));
				if (ret) {
					kfree(ul);
					goto out_put;
				}
			}
			if (req->set & KIPC_LIM_OBJECTS)
				ul->objects = req->objects;
			if (req->set & KIPC_LIM_BYTES)
				ul->bytes = req->bytes;
			ul->set |= req->set;
		}
	} else if (req->reset) {
		kns->lim_set = 0;
	} else {
		if (req->set & KIPC_LIM_OBJECTS)
			kns->lim_objects = req->objects;
		if (req->set & KIPC_LIM_BYTES)
			kns->lim_bytes = req->bytes;
		if (req->set & KIPC_LIM_UID_OBJECTS)
			kns->lim_uid_objects = req->uid_objects;
		if (req->set & KIPC_LIM_UID_BYTES)
			kns->lim_uid_bytes = req->uid_bytes;
		kns->lim_set |= req->set;
	}

out_put:
	if (kns->lim_set || !xa_empty(&kns->uid_limits)) {
		if (!kns->pinned) {
			kns->pinned = true;
			get_ipc_ns(ns);
		}
	} else {
		kipc_ns_unpin_locked(kns);
	}
out_unlock:
	mutex_unlock(&kipc_lock);
	kipc_ns_path_put(&path);
	return ret;
}

/**
 * kipc_limits_walk() - walk the uids of a namespace with limits or usage
 * @ns: the IPC namespace
 * @pos: the uid to start at; left at the uid that stopped the walk, or
 *	ULONG_MAX at the end
 * @fn: called for each uid that has an override or charged objects, in
 *	uid order, under kipc_lock; returns 0 to go on
 * @arg: for @fn
 *
 * Return: 0, or what @fn returned to stop.
 */
int kipc_limits_walk(struct ipc_namespace *ns, unsigned long *pos,
		     int (*fn)(struct kipc_limits_info *li, void *arg),
		     void *arg)
{
	struct kipc_limits_info li;
	struct kipc_uid_usage *use;
	unsigned long a, b, uid;
	struct kipc_ns *kns;
	int ret = 0;

	mutex_lock(&kipc_lock);
	kns = kipc_ns_find_locked(ns);
	if (!kns)
		goto out_end;
	for (uid = *pos;; uid++) {
		a = uid;
		b = uid;
		if (!xa_find(&kns->uids, &a, ULONG_MAX, XA_PRESENT))
			a = ULONG_MAX;
		if (!xa_find(&kns->uid_limits, &b, ULONG_MAX, XA_PRESENT))
			b = ULONG_MAX;
		uid = min(a, b);
		if (uid == ULONG_MAX)
			break;
		li.has_uid = true;
		li.uid = KUIDT_INIT(uid);
		kipc_limits_locked(kns, li.uid, &li);
		li.objects_used = kns->tree_objects;
		li.bytes_used = kns->tree_bytes;
		use = xa_load(&kns->uids, uid);
		li.uid_objects_used = use ? use->objects : 0;
		li.uid_bytes_used = use ? use->bytes : 0;
		ret = fn(&li, arg);
		if (ret) {
			*pos = uid;
			goto out_unlock;
		}
	}
out_end:
	*pos = ULONG_MAX;
out_unlock:
	mutex_unlock(&kipc_lock);
	return ret;
}

/**
 * kipc_walk_objs() - walk the objects of one namespace in id order
 * @ns: the IPC namespace
 * @pos: the id to start at; left at the object that stopped the walk, so
 *	that the walk can resume there, or ULONG_MAX at the end
 * @fn: called for each object under kipc_lock; returns 0 to go on, or a
 *	negative errno to stop
 * @arg: for @fn
 *
 * Return: 0, or what @fn returned to stop.
 */
int kipc_walk_objs(struct ipc_namespace *ns, unsigned long *pos,
		   kipc_obj_visit_t fn, void *arg)
{
	struct kipc_object *obj = NULL;
	unsigned long id = *pos;
	struct kipc_ns *kns;
	int ret = 0;

	mutex_lock(&kipc_lock);
	kns = kipc_ns_find_locked(ns);
	if (kns)
		obj = xa_find(&kns->objs, &id, ULONG_MAX, XA_PRESENT);
	for (; obj;
	     obj = xa_find_after(&kns->objs, &id, ULONG_MAX, XA_PRESENT)) {
		ret = fn(obj, arg);
		if (ret)
			break;
	}
	/* Where the walk stopped, or the end. */
	*pos = obj ? id : ULONG_MAX;
	mutex_unlock(&kipc_lock);
	return ret;
}

/**
 * kipc_ns_init() - set up the namespace table
 * @reaper: the reaper's work function, run after a namespace appears
 *
 * Return: 0 or a negative errno.
 */
int kipc_ns_init(work_func_t reaper)
{
	INIT_DELAYED_WORK(&kipc_ns_reaper, reaper);
	return rhashtable_init(&kipc_ns_table, &kipc_ns_params);
}

/**
 * kipc_ns_stop_reaper() - cancel the reaper, and wait for a running one
 */
void kipc_ns_stop_reaper(void)
{
	cancel_delayed_work_sync(&kipc_ns_reaper);
}

/**
 * kipc_ns_exit() - drop every set limit, and the namespace table
 *
 * Called once no object is left: what remains are namespaces pinned by
 * their limits and the parents of those.
 */
void kipc_ns_exit(void)
{
	struct kipc_ns *kns;

	mutex_lock(&kipc_lock);
	while (!list_empty(&kipc_namespaces)) {
		/* The others are the parents of pinned ones, and go with them. */
		list_for_each_entry(kns, &kipc_namespaces, node)
			if (kns->pinned)
				break;
		if (WARN_ON(list_entry_is_head(kns, &kipc_namespaces, node) ||
			    kns->objects))
			break;
		kipc_ns_unpin_locked(kns);
	}
	mutex_unlock(&kipc_lock);
	rhashtable_destroy(&kipc_ns_table);
}
