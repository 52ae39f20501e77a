// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the object registry.
 *
 * Names resolve through one rhashtable keyed by (IPC namespace, type, name);
 * ids through one xarray. A namespace's accounting is found through a
 * second rhashtable keyed by the namespace, and indexes that namespace's
 * objects by id, so that reaping and dumping one namespace touch only its
 * objects. All of it is protected by kipc_lock; see the locking overview in
 * kipc_private.h.
 *
 * An object is created unpublished, with everything it needs, and only then
 * charged and inserted into both tables in one critical section, so a name
 * never resolves to a half-built object.
 */
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/jhash.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "compat.h"
#include "kipc_private.h"

static DEFINE_MUTEX(kipc_lock);
static DEFINE_XARRAY(kipc_ids);		/* (protected by kipc_lock) */
/* The namespaces not reaped yet (protected by kipc_lock) */
static LIST_HEAD(kipc_namespaces);
static u32 kipc_nr_objects;		/* (protected by kipc_lock) */
static atomic64_t kipc_next_id = ATOMIC64_INIT(0);
static bool kipc_events_on;		/* (protected by kipc_lock) */

/*
 * Announce @event for @obj on the monitor group. Every state change is made
 * under kipc_lock and announced there, so listeners see them in order.
 */
static void kipc_event_locked(struct kipc_object *obj, u8 event)
{
	lockdep_assert_held(&kipc_lock);
	if (kipc_events_on)
		kipc_nl_event(obj, event);
}

void kipc_events_enable(bool on)
{
	mutex_lock(&kipc_lock);
	kipc_events_on = on;
	mutex_unlock(&kipc_lock);
}

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

/**
 * struct kipc_ns - accounting and limits of one IPC namespace
 * @node: on kipc_namespaces until reaped
 * @ipc_ns: the namespace; referenced here only while @pinned, else the
 *	objects hold references
 * @per_type: objects by type
 * @objects: all objects
 * @bytes: all charged bytes
 * @uids: struct kipc_uid_usage indexed by kuid value: what is charged here
 *	to each uid
 * @lim_set: KIPC_LIM_* bits: the limits below that an admin set; the others
 *	follow the module parameters
 * @lim_objects: object limit of the namespace
 * @lim_bytes: byte limit of the namespace
 * @lim_uid_objects: object limit of a uid without an override
 * @lim_uid_bytes: byte limit of a uid without an override
 * @uid_limits: struct kipc_uid_limit indexed by kuid value: the overrides
 * @pinned: a reference on @ipc_ns is held, because limits are set
 * @parent: the accounting of the namespace above, fixed when this one is
 *	made (kipc_ns_attach_locked()); NULL for the initial IPC namespace,
 *	the root. Its @children counts this one, which keeps it
 * @children: how many namespaces have this one as @parent; while there are
 *	any, one more reference on @ipc_ns is held
 * @depth: 0 for the root, else @parent's depth + 1
 * @tree_objects: objects charged here: of this namespace and of every
 *	namespace below it, checked against @lim_objects
 * @tree_bytes: bytes charged here, likewise, checked against @lim_bytes
 * @hnode: on kipc_ns_table, keyed by @ipc_ns, while the kipc_ns exists
 * @objs: the published objects of @ipc_ns, indexed by id
 * @reaped: @ipc_ns was found dead and its names are (being) dropped; the
 *	reaper never looks at it again
 * @reaping: a reaper works on it with kipc_lock dropped: keep it
 *
 * @per_type, @objects and @bytes count the objects of this namespace alone;
 * @uids, @tree_objects and @tree_bytes what is charged here, which includes
 * every namespace below (see kipc_charge_locked()).
 *
 * Exists while the namespace has objects, set limits or children. Set
 * limits pin the namespace, so that they cannot pass to a new namespace
 * that reuses its address; the reaper drops them when nothing else holds
 * the namespace. Everything is protected by kipc_lock.
 */
struct kipc_ns {
	struct list_head node;
	struct ipc_namespace *ipc_ns;
	u32 per_type[KIPC_OBJ_SEM + 1];
	u32 objects;
	u64 bytes;
	struct xarray uids;
	u32 lim_set;
	u32 lim_objects;
	u64 lim_bytes;
	u32 lim_uid_objects;
	u64 lim_uid_bytes;
	struct xarray uid_limits;
	bool pinned;
	struct kipc_ns *parent;
	u32 children;
	u32 depth;
	u32 tree_objects;
	u64 tree_bytes;
	/* Lookup, object index and reaping. */
	struct rhash_head hnode;
	struct xarray objs;
	bool reaped;
	bool reaping;
};

struct kipc_key {
	const struct ipc_namespace *ns;
	const char *name;
	u32 len;
	u32 type;
};

static u32 kipc_hash(const struct ipc_namespace *ns, u32 type,
		     const char *name, u32 len, u32 seed)
{
	unsigned long p = (unsigned long)ns;

	seed = jhash_3words(lower_32_bits(p), upper_32_bits(p), type, seed);
	return jhash(name, len, seed);
}

static u32 kipc_key_hashfn(const void *data, u32 len, u32 seed)
{
	const struct kipc_key *key = data;

	return kipc_hash(key->ns, key->type, key->name, key->len, seed);
}

static u32 kipc_obj_hashfn(const void *data, u32 len, u32 seed)
{
	const struct kipc_object *obj = data;

	return kipc_hash(obj->ipc_ns, obj->ops->type, obj->name, obj->name_len,
			 seed);
}

static int kipc_obj_cmpfn(struct rhashtable_compare_arg *arg, const void *ptr)
{
	const struct kipc_key *key = arg->key;
	const struct kipc_object *obj = ptr;

	return obj->ipc_ns != key->ns || obj->ops->type != key->type ||
	       obj->name_len != key->len ||
	       memcmp(obj->name, key->name, key->len);
}

static const struct rhashtable_params kipc_names_params = {
	.head_offset = offsetof(struct kipc_object, node),
	.hashfn = kipc_key_hashfn,
	.obj_hashfn = kipc_obj_hashfn,
	.obj_cmpfn = kipc_obj_cmpfn,
	.automatic_shrinking = true,
};

static struct rhashtable kipc_names;	/* (protected by kipc_lock) */

static const struct kipc_type_ops *const kipc_types[] = {
	[KIPC_OBJ_MQ] = &kipc_mq_ops,
	[KIPC_OBJ_SHM] = &kipc_shm_ops,
	[KIPC_OBJ_SEM] = &kipc_sem_ops,
};

static const struct kipc_type_ops *kipc_type_get(u32 type)
{
	if (type >= ARRAY_SIZE(kipc_types))
		return NULL;
	return kipc_types[type];
}

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

/* How often the reaper looks for dead namespaces while any has objects. */
#define KIPC_REAP_INTERVAL	(5 * HZ)

static void kipc_reaper_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(kipc_reaper, kipc_reaper_fn);

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
	if (rhashtable_insert_fast(&kipc_ns_table, &kns->hnode,
				   kipc_ns_params)) {
		kfree(kns);
		return NULL;
	}
	/* At the tail: a parent is made before its children and outlives them. */
	list_add_tail(&kns->node, &kipc_namespaces);
	schedule_delayed_work(&kipc_reaper, KIPC_REAP_INTERVAL);
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

/*
 * Free @kns if nothing keeps it any more; a freed namespace no longer keeps
 * its parent, which may go in turn.
 */
static void kipc_ns_put_locked(struct kipc_ns *kns)
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
#define KIPC_NS_DEPTH_MAX	32

/* The IPC namespace of init_task: the root (init_ipc_ns, unexported on 6.1). */
static struct ipc_namespace *kipc_root_ipc_ns(void)
{
	return init_task.nsproxy->ipc_ns;
}

/**
 * struct kipc_ns_path - the caller's IPC namespace and those above it
 * @n: how many of @ns are set
 * @ns: the caller's namespace first, then each differing namespace of its
 *	ancestor processes, nearest first, ending with the root unless the
 *	chain is longer; each with a reference
 */
struct kipc_ns_path {
	unsigned int n;
	struct ipc_namespace *ns[KIPC_NS_DEPTH_MAX + 2];
};

/*
 * Read the IPC namespaces of current's ancestors, as yama walks real_parent,
 * under RCU only; kipc_lock is not held, so a long process chain stalls no
 * one else. A namespace met again further up is skipped, so the result is
 * never a cycle.
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

static void kipc_ns_path_put(struct kipc_ns_path *path)
{
	while (path->n)
		kipc_put_ipc_ns(path->ns[--path->n]);
}

/*
 * The accounting of @ipc_ns, the caller's namespace, made with its
 * ancestors if it is new, from @path (read by kipc_ns_path_walk() without
 * kipc_lock). ERR_PTR(-EAGAIN) if it is new and @path is empty: drop the
 * lock, walk, and call again.
 */
static struct kipc_ns *kipc_ns_attach_locked(struct ipc_namespace *ipc_ns,
					     const struct kipc_ns_path *path)
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
	if (!path->n)
		return ERR_PTR(-EAGAIN);
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

/* Forget every limit set for @kns, and let the namespace go. */
static void kipc_ns_unpin_locked(struct kipc_ns *kns)
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

static void kipc_obj_free(struct kipc_object *obj)
{
	put_pid(obj->cpid);
	kipc_put_ipc_ns(obj->ipc_ns);
	kfree(obj->name);
	obj->ops->free(obj);
}

/* The last reference is gone: take the object out of the id table. */
static void kipc_obj_unpublish_locked(struct kipc_object *obj)
{
	lockdep_assert_held(&kipc_lock);
	WARN_ON(obj->linked);
	if (!obj->published)
		return;
	kipc_event_locked(obj, KIPC_CMD_OBJ_DESTROY_NTF);
	xa_erase(&kipc_ids, obj->id);
	xa_erase(&obj->kns->objs, obj->id);
	kipc_uncharge_locked(obj->kns, obj);
	kipc_ns_put_locked(obj->kns);
	kipc_nr_objects--;
	obj->published = false;
}

/* Drop a reference with kipc_lock held. True if the caller must free. */
static bool kipc_obj_put_locked(struct kipc_object *obj)
{
	lockdep_assert_held(&kipc_lock);
	if (!refcount_dec_and_test(&obj->ref))
		return false;
	kipc_obj_unpublish_locked(obj);
	return true;
}

void kipc_obj_put(struct kipc_object *obj)
{
	if (!refcount_dec_and_mutex_lock(&obj->ref, &kipc_lock))
		return;
	kipc_obj_unpublish_locked(obj);
	mutex_unlock(&kipc_lock);
	kipc_obj_free(obj);
}

/* Remove the name. True if that was the last reference. */
static bool kipc_obj_unlink_locked(struct kipc_object *obj, bool announce)
{
	lockdep_assert_held(&kipc_lock);
	if (announce)
		kipc_event_locked(obj, KIPC_CMD_OBJ_UNLINK_NTF);
	rhashtable_remove_fast(&kipc_names, &obj->node, kipc_names_params);
	WRITE_ONCE(obj->linked, false);
	return kipc_obj_put_locked(obj);
}

/*
 * Change what @obj is charged, as a region does when it is resized: at the
 * namespaces and uids it was charged to at creation. Growing is checked
 * against the limits at every level as creation is, all or nothing;
 * shrinking always succeeds.
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

/*
 * SysV ipcperms(): the owner or creator class, else the group class, else
 * other; CAP_IPC_OWNER in the namespace's user namespace overrides.
 */
static bool kipc_obj_permitted(struct kipc_object *obj, u32 open_flags)
{
	kuid_t uid = current_fsuid();
	umode_t granted = obj->mode;
	umode_t want = 0;

	if (open_flags & KIPC_OPEN_READ)
		want |= 04;
	if (open_flags & KIPC_OPEN_WRITE)
		want |= 02;

	if (uid_eq(uid, obj->cuid) || uid_eq(uid, obj->uid))
		granted >>= 6;
	else if (in_group_p(obj->cgid) || in_group_p(obj->gid))
		granted >>= 3;
	if (!(want & ~granted & 07))
		return true;
	return ns_capable(obj->ipc_ns->user_ns, CAP_IPC_OWNER);
}

static struct kipc_object *kipc_lookup_locked(struct ipc_namespace *ns,
					      u32 type, const char *name,
					      u32 len)
{
	struct kipc_key key = { .ns = ns, .type = type, .name = name,
				.len = len };

	lockdep_assert_held(&kipc_lock);
	return rhashtable_lookup_fast(&kipc_names, &key, kipc_names_params);
}

/*
 * The object @sel names in @ns: by id, or by type and name as an open would
 * find it (so not one whose name is gone).
 */
static struct kipc_object *
kipc_obj_select_locked(struct ipc_namespace *ns, const struct kipc_obj_sel *sel)
{
	struct kipc_object *obj;

	lockdep_assert_held(&kipc_lock);
	if (sel->name)
		return kipc_lookup_locked(ns, sel->type, sel->name,
					  strlen(sel->name));
	obj = xa_load(&kipc_ids, sel->id);
	if (!obj || obj->ipc_ns != ns)
		return NULL;
	return obj;
}

/* Take a reference on an existing object for an open with @flags. */
static struct kipc_object *kipc_open_existing_locked(struct kipc_object *obj,
						     u32 flags)
{
	lockdep_assert_held(&kipc_lock);
	if ((flags & KIPC_OPEN_CREATE) && (flags & KIPC_OPEN_EXCL))
		return ERR_PTR(-EEXIST);
	if (!kipc_obj_permitted(obj, flags))
		return ERR_PTR(-EACCES);
	refcount_inc(&obj->ref);
	return obj;
}

/*
 * Make @new visible, or open the object that won a race for its name. On
 * success the name holds a new reference on @new.
 */
static struct kipc_object *kipc_publish(struct kipc_object *new, u32 flags)
{
	struct kipc_ns_path path = { .n = 0 };
	struct kipc_object *obj;
	struct kipc_ns *kns;
	int ret;

again:
	mutex_lock(&kipc_lock);
	obj = kipc_lookup_locked(new->ipc_ns, new->ops->type, new->name,
				 new->name_len);
	if (obj) {
		obj = kipc_open_existing_locked(obj, flags);
		goto out_unlock;
	}

	kns = kipc_ns_attach_locked(new->ipc_ns, &path);
	if (kns == ERR_PTR(-EAGAIN)) {
		mutex_unlock(&kipc_lock);
		kipc_ns_path_walk(&path);
		goto again;
	}
	if (IS_ERR(kns)) {
		obj = ERR_CAST(kns);
		goto out_unlock;
	}
	ret = kipc_charge_locked(kns, new);
	if (ret)
		goto out_put_kns;
	ret = xa_insert(&kipc_ids, new->id, new, GFP_KERNEL_ACCOUNT);
	if (ret)
		goto out_uncharge;
	ret = xa_insert(&kns->objs, new->id, new, GFP_KERNEL_ACCOUNT);
	if (ret)
		goto out_erase;
	ret = rhashtable_insert_fast(&kipc_names, &new->node,
				     kipc_names_params);
	if (ret)
		goto out_erase_kns;

	new->kns = kns;
	new->published = true;
	WRITE_ONCE(new->linked, true);
	refcount_inc(&new->ref);
	kipc_nr_objects++;
	kipc_event_locked(new, KIPC_CMD_OBJ_CREATE_NTF);
	obj = new;
	goto out_unlock;

out_erase_kns:
	xa_erase(&kns->objs, new->id);
out_erase:
	xa_erase(&kipc_ids, new->id);
out_uncharge:
	kipc_uncharge_locked(kns, new);
out_put_kns:
	kipc_ns_put_locked(kns);
	obj = ERR_PTR(ret);
out_unlock:
	mutex_unlock(&kipc_lock);
	kipc_ns_path_put(&path);
	return obj;
}

/* A name is 1..KIPC_NAME_MAX printable ASCII bytes, no '/' or space. */
bool kipc_name_valid(const char *name, size_t len)
{
	return !kipc_name_check(name, len);
}

static int kipc_name_from_user(char *name, u64 uptr)
{
	long len;
	int ret;

	len = strncpy_from_user(name, u64_to_user_ptr(uptr), KIPC_NAME_MAX + 1);
	if (len < 0)
		return len;
	ret = kipc_name_check(name, len);
	return ret ? ret : len;
}

static struct kipc_object *kipc_obj_create(const struct kipc_type_ops *ops,
					   const union kipc_attr *attr,
					   const char *name, u32 len,
					   umode_t mode, u64 bytes)
{
	struct kipc_object *obj;
	char *kname;

	kname = kmemdup_nul(name, len, GFP_KERNEL_ACCOUNT);
	if (!kname)
		return ERR_PTR(-ENOMEM);
	obj = ops->alloc(attr);
	if (IS_ERR(obj)) {
		kfree(kname);
		return obj;
	}

	refcount_set(&obj->ref, 1);
	obj->id = atomic64_inc_return(&kipc_next_id);
	obj->ops = ops;
	obj->ipc_ns = get_ipc_ns(current->nsproxy->ipc_ns);
	obj->name = kname;
	obj->name_len = len;
	obj->bytes = bytes;
	obj->uid = current_fsuid();
	obj->cuid = obj->uid;
	obj->gid = current_fsgid();
	obj->cgid = obj->gid;
	obj->mode = mode;
	obj->cpid = get_pid(task_tgid(current));
	obj->ctime = ktime_get_real_ns();
	return obj;
}

/* A new file for @obj; the file takes over the caller's reference. */
static struct file *kipc_obj_getfile(struct kipc_object *obj, u32 flags)
{
	struct kipc_file *kf;
	struct file *file;
	char name[16];
	int oflags;

	if ((flags & KIPC_OPEN_READ) && (flags & KIPC_OPEN_WRITE))
		oflags = O_RDWR;
	else if (flags & KIPC_OPEN_WRITE)
		oflags = O_WRONLY;
	else
		oflags = O_RDONLY;
	if (flags & KIPC_OPEN_NONBLOCK)
		oflags |= O_NONBLOCK;
	snprintf(name, sizeof(name), "kipc-%s", obj->ops->name);
	kf = kzalloc(sizeof(*kf), GFP_KERNEL_ACCOUNT);
	if (!kf)
		return ERR_PTR(-ENOMEM);
	kf->obj = obj;
	file = anon_inode_getfile(name, obj->ops->fops, kf, oflags);
	if (IS_ERR(file))
		kfree(kf);
	return file;
}

#define KIPC_OPEN_ALL	(KIPC_OPEN_READ | KIPC_OPEN_WRITE | KIPC_OPEN_CREATE | \
			 KIPC_OPEN_EXCL | KIPC_OPEN_CLOEXEC | \
			 KIPC_OPEN_NONBLOCK)

int kipc_open_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_open *cmd = ucmd->cmd;
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	const struct kipc_type_ops *ops;
	struct kipc_object *obj, *new;
	char name[KIPC_NAME_MAX + 1];
	struct file *file;
	u64 bytes = 0;
	int fd, len, ret;

	if ((cmd->flags & ~KIPC_OPEN_ALL) || cmd->__reserved)
		return -EOPNOTSUPP;
	ops = kipc_type_get(cmd->type);
	if (!ops)
		return -EOPNOTSUPP;
	if (!(cmd->flags & (KIPC_OPEN_READ | KIPC_OPEN_WRITE)))
		return -EINVAL;
	if ((cmd->flags & KIPC_OPEN_EXCL) && !(cmd->flags & KIPC_OPEN_CREATE))
		return -EINVAL;
	if (cmd->mode & ~0666)
		return -EINVAL;
	if (cmd->flags & KIPC_OPEN_CREATE) {
		ret = ops->validate(&cmd->attr, &bytes);
		if (ret)
			return ret;
	}
	len = kipc_name_from_user(name, cmd->name);
	if (len < 0)
		return len;

	fd = get_unused_fd_flags(cmd->flags & KIPC_OPEN_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0)
		return fd;

	mutex_lock(&kipc_lock);
	obj = kipc_lookup_locked(ns, cmd->type, name, len);
	if (obj)
		obj = kipc_open_existing_locked(obj, cmd->flags);
	mutex_unlock(&kipc_lock);
	if (IS_ERR(obj)) {
		ret = PTR_ERR(obj);
		goto out_put_fd;
	}

	if (!obj) {
		if (!(cmd->flags & KIPC_OPEN_CREATE)) {
			ret = -ENOENT;
			goto out_put_fd;
		}
		new = kipc_obj_create(ops, &cmd->attr, name, len,
				      cmd->mode & ~current_umask(), bytes);
		if (IS_ERR(new)) {
			ret = PTR_ERR(new);
			goto out_put_fd;
		}
		/*
		 * Everything that can fail happens before the name resolves:
		 * the file, and telling the caller. Once it resolves, another
		 * task may open the object, so the call must succeed.
		 */
		file = kipc_obj_getfile(new, cmd->flags);
		if (IS_ERR(file)) {
			kipc_obj_put(new);
			ret = PTR_ERR(file);
			goto out_put_fd;
		}
		cmd->out_id = new->id;
		cmd->out_flags = KIPC_OPEN_OUT_CREATED;
		ret = kipc_ucmd_respond(ucmd, sizeof(*cmd));
		if (ret) {
			fput(file);
			goto out_put_fd;
		}
		obj = kipc_publish(new, cmd->flags);
		if (obj == new) {
			fd_install(fd, file);
			return fd;
		}
		/* Another create won the name (open its object), or no room. */
		fput(file);
		if (IS_ERR(obj)) {
			ret = PTR_ERR(obj);
			goto out_put_fd;
		}
	}

	file = kipc_obj_getfile(obj, cmd->flags);
	if (IS_ERR(file)) {
		kipc_obj_put(obj);
		ret = PTR_ERR(file);
		goto out_put_fd;
	}
	cmd->out_id = obj->id;
	cmd->out_flags = 0;
	ret = kipc_ucmd_respond(ucmd, sizeof(*cmd));
	if (ret) {
		fput(file);
		goto out_put_fd;
	}
	fd_install(fd, file);
	return fd;

out_put_fd:
	put_unused_fd(fd);
	return ret;
}

int kipc_unlink_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_unlink *cmd = ucmd->cmd;
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct kipc_object *obj;
	char name[KIPC_NAME_MAX + 1];
	bool last = false;
	kuid_t uid;
	int len, ret = 0;

	if (cmd->flags || cmd->__reserved || !kipc_type_get(cmd->type))
		return -EOPNOTSUPP;
	len = kipc_name_from_user(name, cmd->name);
	if (len < 0)
		return len;

	uid = current_fsuid();
	mutex_lock(&kipc_lock);
	obj = kipc_lookup_locked(ns, cmd->type, name, len);
	if (!obj)
		ret = -ENOENT;
	else if (!uid_eq(uid, obj->uid) && !uid_eq(uid, obj->cuid) &&
		 !ns_capable(ns->user_ns, CAP_SYS_ADMIN))
		ret = -EPERM;
	else
		last = kipc_obj_unlink_locked(obj, true);
	mutex_unlock(&kipc_lock);
	if (last)
		kipc_obj_free(obj);
	return ret;
}

static int kipc_info_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_object *obj = kipc_file_obj(ucmd->file);
	struct user_namespace *uns = current_user_ns();
	struct kipc_info *cmd = ucmd->cmd;

	if (cmd->flags)
		return -EOPNOTSUPP;

	cmd->out_id = obj->id;
	cmd->out_type = obj->ops->type;
	cmd->out_mode = obj->mode;
	cmd->out_uid = from_kuid_munged(uns, obj->uid);
	cmd->out_gid = from_kgid_munged(uns, obj->gid);
	cmd->out_cuid = from_kuid_munged(uns, obj->cuid);
	cmd->out_cgid = from_kgid_munged(uns, obj->cgid);
	cmd->out_state = kipc_obj_state(obj);
	cmd->out_open_flags = 0;
	if (ucmd->file->f_mode & FMODE_READ)
		cmd->out_open_flags |= KIPC_OPEN_READ;
	if (ucmd->file->f_mode & FMODE_WRITE)
		cmd->out_open_flags |= KIPC_OPEN_WRITE;
	memset(&cmd->out_attr, 0, sizeof(cmd->out_attr));
	obj->ops->fill_attr(obj, &cmd->out_attr);
	memset(cmd->out_name, 0, sizeof(cmd->out_name));
	memcpy(cmd->out_name, obj->name, obj->name_len);
	return kipc_ucmd_respond(ucmd, sizeof(*cmd));
}

static const struct kipc_ioctl_op kipc_obj_ioctl_ops[] = {
	KIPC_IOCTL_OP(KIPC_IOC_INFO, kipc_info_ioctl, struct kipc_info,
		      out_name),
};

long kipc_obj_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	const struct kipc_type_ops *ops = kipc_file_obj(file)->ops;

	if (_IOC_NR(cmd) < ARRAY_SIZE(kipc_obj_ioctl_ops))
		return kipc_ioctl_dispatch(kipc_obj_ioctl_ops,
					   ARRAY_SIZE(kipc_obj_ioctl_ops),
					   file, cmd, arg);
	return kipc_ioctl_dispatch(ops->ioctl_ops, ops->n_ioctl_ops, file, cmd,
				   arg);
}

u32 kipc_obj_state(struct kipc_object *obj)
{
	u32 state = 0;

	if (!READ_ONCE(obj->linked))
		state |= KIPC_STATE_UNLINKED;
	if (READ_ONCE(obj->removed))
		state |= KIPC_STATE_REMOVED;
	return state;
}

static bool kipc_obj_owned_by(struct kipc_object *obj, kuid_t uid)
{
	return uid_eq(uid, obj->uid) || uid_eq(uid, obj->cuid);
}

/*
 * Admin removal: the name goes at once, and the type makes every open fd
 * fail with EIDRM and wakes its waiters. Only the owner, the creator or an
 * administrator may do it. The request comes over a socket, which its
 * opener may have handed to a more privileged writer, so ownership must
 * hold for both @opener (the socket's credentials) and the current task,
 * and @admin is the caller's netlink_ns_capable() answer, which checks both.
 */
int kipc_obj_remove(struct ipc_namespace *ns, const struct kipc_obj_sel *sel,
		    const struct cred *opener, bool admin)
{
	struct kipc_object *obj;

	mutex_lock(&kipc_lock);
	obj = kipc_obj_select_locked(ns, sel);
	if (!obj) {
		mutex_unlock(&kipc_lock);
		return -ENOENT;
	}
	if (!admin && !(kipc_obj_owned_by(obj, opener->fsuid) &&
			kipc_obj_owned_by(obj, current_fsuid()))) {
		mutex_unlock(&kipc_lock);
		return -EPERM;
	}
	refcount_inc(&obj->ref);
	if (!obj->removed)
		kipc_event_locked(obj, KIPC_CMD_OBJ_REMOVE_NTF);
	WRITE_ONCE(obj->removed, true);
	/* Our own reference keeps this from being the last. */
	if (obj->linked)
		kipc_obj_unlink_locked(obj, false);
	mutex_unlock(&kipc_lock);

	if (obj->ops->remove)
		obj->ops->remove(obj);
	kipc_obj_put(obj);
	return 0;
}

/* Call @fn for the object @sel selects in @ns, under kipc_lock. */
int kipc_obj_visit(struct ipc_namespace *ns, const struct kipc_obj_sel *sel,
		   kipc_obj_visit_t fn, void *arg)
{
	struct kipc_object *obj;
	int ret;

	mutex_lock(&kipc_lock);
	obj = kipc_obj_select_locked(ns, sel);
	ret = obj ? fn(obj, arg) : -ENOENT;
	mutex_unlock(&kipc_lock);
	return ret;
}

int kipc_obj_file_release(struct inode *inode, struct file *file)
{
	struct kipc_file *kf = kipc_file(file);
	struct kipc_object *obj = kf->obj;

	if (obj->ops->release)
		obj->ops->release(obj, file);
	kipc_obj_put(obj);
	kfree(kf);
	return 0;
}

u32 kipc_total_objects(void)
{
	u32 n;

	mutex_lock(&kipc_lock);
	n = kipc_nr_objects;
	mutex_unlock(&kipc_lock);
	return n;
}

/*
 * Objects pin their IPC namespace, because names resolve by namespace
 * pointer and a pointer must not be reused while a name refers to it. So a
 * namespace whose tasks are all gone would live as long as its names. Once
 * every reference to it is one of its objects' -- no task, no bind mount,
 * no open ns file, nothing that could ever resolve a name there again --
 * the reaper unlinks its names, as mqueue's names die with their namespace.
 * An object still open or mapped elsewhere (an fd passed out) lives on,
 * unlinked, until its last user goes. Nothing can take a new reference to
 * such a namespace, so the test cannot go stale under kipc_lock, and a
 * namespace found dead stays dead: it is reaped once, taken off
 * kipc_namespaces, and never looked at again. A pass costs a reference
 * count read per namespace not reaped yet, and visits only the objects of
 * the namespaces that died since the last pass, through their own index.
 */

/*
 * Reapers run one at a time, so that a caller that asked for a reap returns
 * only once every namespace found dead before it is done. Taken outside
 * kipc_lock.
 */
static DEFINE_MUTEX(kipc_reap_lock);

/* Objects unlinked per hold of kipc_lock while a namespace is reaped. */
#define KIPC_REAP_BATCH		32

/*
 * Every reference to @kns's namespace is one of its objects', the pin's or
 * the one its children hold.
 */
static bool kipc_ns_dead_locked(struct kipc_ns *kns)
{
	lockdep_assert_held(&kipc_lock);
	return refcount_read(&kns->ipc_ns->ns.count) ==
	       kns->objects + kns->pinned + !!kns->children;
}

/*
 * Unlink the names of the dead @kns, in batches: kipc_lock is dropped
 * between them, so that opens in live namespaces do not wait behind a
 * namespace with many objects. @kns->reaping keeps @kns, and the reaper's
 * reference keeps its namespace, so that its address cannot be reused while
 * @kns is in kipc_ns_table. No new object can appear in a dead namespace,
 * and the walk resumes at the last id seen.
 */
static void kipc_reap_ns_locked(struct kipc_ns *kns)
{
	struct kipc_object *obj, *freed[KIPC_REAP_BATCH];
	unsigned int i, n = 0;
	unsigned long id = 0;

	lockdep_assert_held(&kipc_lock);
	WARN_ON(!kns->reaping);
	obj = xa_find(&kns->objs, &id, ULONG_MAX, XA_PRESENT);
	while (obj) {
		n = 0;
		for (i = 0; obj && i < KIPC_REAP_BATCH; i++) {
			if (obj->linked && kipc_obj_unlink_locked(obj, true))
				freed[n++] = obj;
			obj = xa_find_after(&kns->objs, &id, ULONG_MAX,
					    XA_PRESENT);
		}
		if (!obj)
			break;
		mutex_unlock(&kipc_lock);
		while (n)
			kipc_obj_free(freed[--n]);
		cond_resched();
		mutex_lock(&kipc_lock);
		/* Resume at @id: its object may have gone meanwhile. */
		obj = xa_find(&kns->objs, &id, ULONG_MAX, XA_PRESENT);
	}
	if (n) {
		mutex_unlock(&kipc_lock);
		while (n)
			kipc_obj_free(freed[--n]);
		mutex_lock(&kipc_lock);
	}
}

/* Reap the namespaces that died since the last pass. True if any is left. */
static bool kipc_reap_pass(void)
{
	struct kipc_ns *kns, *next;
	struct ipc_namespace *ns;
	LIST_HEAD(dead);
	bool again;

	mutex_lock(&kipc_reap_lock);
	mutex_lock(&kipc_lock);
	list_for_each_entry_safe(kns, next, &kipc_namespaces, node) {
		if (!kipc_ns_dead_locked(kns))
			continue;
		get_ipc_ns(kns->ipc_ns);
		kns->reaped = true;
		kns->reaping = true;
		list_move(&kns->node, &dead);
	}
	while (!list_empty(&dead)) {
		kns = list_first_entry(&dead, struct kipc_ns, node);
		list_del_init(&kns->node);
		kipc_reap_ns_locked(kns);
		ns = kns->ipc_ns;
		kns->reaping = false;
		/* Unless pinned, kns goes with its last object. */
		if (kns->pinned)
			kipc_ns_unpin_locked(kns);
		else
			kipc_ns_put_locked(kns);
		mutex_unlock(&kipc_lock);
		kipc_put_ipc_ns(ns);
		mutex_lock(&kipc_lock);
	}
	again = !list_empty(&kipc_namespaces);
	mutex_unlock(&kipc_lock);
	mutex_unlock(&kipc_reap_lock);
	return again;
}

void kipc_reap(void)
{
	kipc_reap_pass();
}

static void kipc_reaper_fn(struct work_struct *work)
{
	if (kipc_reap_pass())
		schedule_delayed_work(&kipc_reaper, KIPC_REAP_INTERVAL);
}

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

/*
 * The limits of @ns, with its usage; with @li->has_uid, also those of
 * @li->uid and its usage.
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

/*
 * Set limits of @ns as @req says. Setting pins the namespace's accounting
 * (and the namespace) until nothing is set any more, or the namespace is
 * otherwise dead.
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
	if (kns == ERR_PTR(-EAGAIN)) {
		mutex_unlock(&kipc_lock);
		kipc_ns_path_walk(&path);
		goto again;
	}
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

/*
 * Walk the uids of @ns that have an override or charged objects, in uid
 * order from *pos, as kipc_walk_objs() walks objects.
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

int kipc_walk_objs(struct ipc_namespace *ns, unsigned long *pos,
		   kipc_obj_visit_t fn, void *arg)
{
	struct kipc_object *obj;
	struct kipc_ns *kns;
	unsigned long id;
	int ret = 0;

	mutex_lock(&kipc_lock);
	kns = kipc_ns_find_locked(ns);
	if (!kns)
		goto out_end;
	id = *pos;
	for (obj = xa_find(&kns->objs, &id, ULONG_MAX, XA_PRESENT); obj;
	     obj = xa_find_after(&kns->objs, &id, ULONG_MAX, XA_PRESENT)) {
		ret = fn(obj, arg);
		if (ret) {
			*pos = id;
			goto out_unlock;
		}
	}
out_end:
	*pos = ULONG_MAX;
out_unlock:
	mutex_unlock(&kipc_lock);
	return ret;
}

int kipc_registry_init(void)
{
	int ret;
	u32 t;

	ret = rhashtable_init(&kipc_names, &kipc_names_params);
	if (ret)
		return ret;
	ret = rhashtable_init(&kipc_ns_table, &kipc_ns_params);
	if (ret)
		goto out_names;
	for (t = 1; t < ARRAY_SIZE(kipc_types); t++) {
		ret = kipc_types[t]->init();
		if (ret)
			goto out_exit_types;
	}
	return 0;

out_exit_types:
	while (--t >= 1)
		kipc_types[t]->exit();
	rhashtable_destroy(&kipc_ns_table);
out_names:
	rhashtable_destroy(&kipc_names);
	return ret;
}

/*
 * No object fd can be open here: every file pins the module. What is left
 * are named objects with only their name's reference; unlinking frees them.
 */
void kipc_registry_exit(void)
{
	struct kipc_ns *kns;
	struct kipc_object *obj;
	unsigned long id;
	bool last;
	u32 t;

	cancel_delayed_work_sync(&kipc_reaper);
	for (;;) {
		id = 0;
		mutex_lock(&kipc_lock);
		obj = xa_find(&kipc_ids, &id, ULONG_MAX, XA_PRESENT);
		if (!obj) {
			mutex_unlock(&kipc_lock);
			break;
		}
		last = false;
		if (!WARN_ON(!obj->linked))
			last = kipc_obj_unlink_locked(obj, false);
		mutex_unlock(&kipc_lock);
		if (!last) {
			WARN(1, "kipc: object %llu still referenced at exit\n",
			     obj->id);
			break;
		}
		kipc_obj_free(obj);
	}
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
	xa_destroy(&kipc_ids);
	rhashtable_destroy(&kipc_ns_table);
	rhashtable_destroy(&kipc_names);
	for (t = 1; t < ARRAY_SIZE(kipc_types); t++)
		kipc_types[t]->exit();
}
