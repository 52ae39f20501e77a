// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the object registry: names, ids and references.
 *
 * Names resolve through one rhashtable keyed by (IPC namespace, type, name);
 * ids through one xarray. Both are protected by kipc_lock; see the locking
 * overview in kipc_private.h. Each object is charged to its namespace
 * (ns.c) when it is published, and uncharged when its last reference goes.
 *
 * An object is created unpublished, with everything it needs, and only then
 * charged and inserted into both tables in one critical section, so a name
 * never resolves to a half-built object.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/jhash.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/xarray.h>

#include "compat.h"
#include "kipc_private.h"
#include "kipc_trace.h"

static DEFINE_XARRAY(kipc_ids);		/* (protected by kipc_lock) */
static u32 kipc_nr_objects;		/* (protected by kipc_lock) */
static atomic64_t kipc_next_id = ATOMIC64_INIT(0);
/* Where events go, set by netlink.c (protected by kipc_lock) */
static kipc_event_fn kipc_event_hook;

/*
 * Announce @event for @obj through the hook. Every state change is made
 * under kipc_lock and announced there, so listeners see them in order.
 */
static void kipc_event_locked(struct kipc_object *obj, u8 event)
{
	lockdep_assert_held(&kipc_lock);
	if (kipc_event_hook)
		kipc_event_hook(obj, event);
}

/**
 * kipc_events_set() - say where the registry's events go
 * @fn: called with kipc_lock held for each event (KIPC_CMD_OBJ_*_NTF), or
 *	NULL for none
 *
 * netlink.c sets its monitor here, so that the registry does not call into
 * netlink.
 */
void kipc_events_set(kipc_event_fn fn)
{
	mutex_lock(&kipc_lock);
	kipc_event_hook = fn;
	mutex_unlock(&kipc_lock);
}

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

/* The types, indexed by KIPC_OBJ_*, set by kipc_registry_init(). */
static const struct kipc_type_ops *const *kipc_types;
static u32 kipc_nr_types;

/**
 * kipc_type_get() - the ops of an object type
 * @type: KIPC_OBJ_* value, from user space
 *
 * Return: the ops, or NULL for an unknown type.
 */
const struct kipc_type_ops *kipc_type_get(u32 type)
{
	if (type >= kipc_nr_types)
		return NULL;
	return kipc_types[type];
}

/**
 * kipc_obj_free() - free an object whose last reference is gone
 * @obj: the object, unpublished; may sleep
 */
void kipc_obj_free(struct kipc_object *obj)
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
	trace_kipc_destroy(obj);
	xa_erase(&kipc_ids, obj->id);
	kipc_ns_del_locked(obj);
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

/**
 * kipc_obj_put() - drop a reference to an object
 * @obj: the object; freed with its last reference. May sleep.
 */
void kipc_obj_put(struct kipc_object *obj)
{
	if (!refcount_dec_and_mutex_lock(&obj->ref, &kipc_lock))
		return;
	kipc_obj_unpublish_locked(obj);
	mutex_unlock(&kipc_lock);
	kipc_obj_free(obj);
}

/**
 * kipc_obj_unlink_locked() - remove an object's name
 * @obj: the object, linked
 * @announce: send KIPC_CMD_OBJ_UNLINK_NTF
 *
 * Return: true if that was the last reference: the caller frees @obj with
 * kipc_obj_free() once kipc_lock is dropped.
 */
bool kipc_obj_unlink_locked(struct kipc_object *obj, bool announce)
{
	lockdep_assert_held(&kipc_lock);
	trace_kipc_unlink(obj);
	if (announce)
		kipc_event_locked(obj, KIPC_CMD_OBJ_UNLINK_NTF);
	rhashtable_remove_fast(&kipc_names, &obj->node, kipc_names_params);
	WRITE_ONCE(obj->linked, false);
	return kipc_obj_put_locked(obj);
}

/**
 * kipc_obj_permitted() - may the caller open @obj with @open_flags?
 * @obj: the object
 * @open_flags: KIPC_OPEN_READ and KIPC_OPEN_WRITE
 *
 * SysV ipcperms(): the owner or creator class, else the group class, else
 * other; CAP_IPC_OWNER in the namespace's user namespace overrides.
 *
 * Return: true if it may.
 */
bool kipc_obj_permitted(struct kipc_object *obj, u32 open_flags)
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

/**
 * kipc_obj_open() - open an object by name
 * @ns: the caller's IPC namespace
 * @type: KIPC_OBJ_* type
 * @name: the name, checked
 * @len: strlen(@name)
 * @flags: KIPC_OPEN_* flags of the open
 *
 * Return: the object with a new reference; NULL if there is none by that
 * name; ERR_PTR(-EEXIST) with KIPC_OPEN_CREATE | KIPC_OPEN_EXCL;
 * ERR_PTR(-EACCES) if its mode does not allow @flags.
 */
struct kipc_object *kipc_obj_open(struct ipc_namespace *ns, u32 type,
				  const char *name, u32 len, u32 flags)
{
	struct kipc_object *obj;

	mutex_lock(&kipc_lock);
	obj = kipc_lookup_locked(ns, type, name, len);
	if (obj)
		obj = kipc_open_existing_locked(obj, flags);
	mutex_unlock(&kipc_lock);
	return obj;
}

/**
 * kipc_publish() - make a new object visible by name and id
 * @new: the object, from kipc_obj_create()
 * @flags: KIPC_OPEN_* flags of the open
 *
 * Or open the object that won a race for the name, as kipc_obj_open()
 * would. On success the name holds a new reference on @new. An anonymous
 * @new is only charged and given its id: its files hold its references.
 *
 * Return: @new; the object that won the race, with a new reference; or an
 * ERR_PTR: -ENOSPC or -EMFILE past a limit, or what kipc_obj_open() gives.
 */
struct kipc_object *kipc_publish(struct kipc_object *new, u32 flags)
{
	struct kipc_ns_path path = { .n = 0 };
	struct kipc_object *obj;
	struct kipc_ns *kns;
	int ret;

again:
	mutex_lock(&kipc_lock);
	obj = NULL;
	if (!kipc_obj_anon(new))
		obj = kipc_lookup_locked(new->ipc_ns, new->ops->type,
					 new->name, new->name_len);
	if (obj) {
		obj = kipc_open_existing_locked(obj, flags);
		goto out_unlock;
	}

	kns = kipc_ns_attach_locked(new->ipc_ns, &path);
	if (kns == ERR_PTR(-EAGAIN))
		goto again;	/* kipc_lock was dropped */
	if (IS_ERR(kns)) {
		obj = ERR_CAST(kns);
		goto out_unlock;
	}
	ret = kipc_ns_add_locked(kns, new);
	if (ret)
		goto out_put_kns;
	ret = xa_insert(&kipc_ids, new->id, new, GFP_KERNEL_ACCOUNT);
	if (ret)
		goto out_del;
	/* An anonymous object has no name, nor the reference a name holds. */
	if (!kipc_obj_anon(new)) {
		ret = rhashtable_insert_fast(&kipc_names, &new->node,
					     kipc_names_params);
		if (ret)
			goto out_erase;
		WRITE_ONCE(new->linked, true);
		refcount_inc(&new->ref);
	}

	new->published = true;
	kipc_nr_objects++;
	kipc_event_locked(new, KIPC_CMD_OBJ_CREATE_NTF);
	trace_kipc_create(new);
	obj = new;
	goto out_unlock;

out_erase:
	xa_erase(&kipc_ids, new->id);
out_del:
	kipc_ns_del_locked(new);
out_put_kns:
	kipc_ns_put_locked(kns);
	obj = ERR_PTR(ret);
out_unlock:
	mutex_unlock(&kipc_lock);
	kipc_ns_path_put(&path);
	return obj;
}

/**
 * kipc_obj_create() - a new object, not yet published
 * @ops: its type
 * @attr: creation attributes, checked by @ops->validate
 * @name: its name, checked; "" for an anonymous object
 * @len: strlen(@name)
 * @mode: permission bits, the umask applied
 * @bytes: what it is charged, from @ops->validate
 *
 * Owned by the caller (fsuid, fsgid), in the caller's IPC namespace, with
 * one reference, which kipc_obj_put() drops.
 *
 * Return: the object, or an ERR_PTR.
 */
struct kipc_object *kipc_obj_create(const struct kipc_type_ops *ops,
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

/**
 * kipc_obj_owned_by() - is @uid the owner or the creator of @obj?
 * @obj: the object
 * @uid: the caller's fsuid, say
 *
 * Return: true if it is either.
 */
bool kipc_obj_owned_by(struct kipc_object *obj, kuid_t uid)
{
	return uid_eq(uid, obj->uid) || uid_eq(uid, obj->cuid);
}

/**
 * kipc_obj_unlink() - remove a name, as the caller
 * @ns: the caller's IPC namespace
 * @type: KIPC_OBJ_* type
 * @name: the name, checked
 * @len: strlen(@name)
 *
 * Only the owner, the creator or CAP_SYS_ADMIN in @ns's user namespace may.
 *
 * Return: 0, -ENOENT or -EPERM.
 */
int kipc_obj_unlink(struct ipc_namespace *ns, u32 type, const char *name,
		    u32 len)
{
	struct kipc_object *obj;
	kuid_t uid = current_fsuid();
	bool last = false;
	int ret = 0;

	mutex_lock(&kipc_lock);
	obj = kipc_lookup_locked(ns, type, name, len);
	if (!obj)
		ret = -ENOENT;
	else if (!kipc_obj_owned_by(obj, uid) &&
		 !ns_capable(ns->user_ns, CAP_SYS_ADMIN))
		ret = -EPERM;
	else
		last = kipc_obj_unlink_locked(obj, true);
	mutex_unlock(&kipc_lock);
	if (last)
		kipc_obj_free(obj);
	return ret;
}

/**
 * kipc_obj_state() - an object's KIPC_STATE_* bits
 * @obj: the object
 *
 * Return: KIPC_STATE_UNLINKED (never for an anonymous object, which has
 * KIPC_STATE_ANON instead) and KIPC_STATE_REMOVED, as they are now.
 */
u32 kipc_obj_state(struct kipc_object *obj)
{
	u32 state = 0;

	if (kipc_obj_anon(obj))
		state |= KIPC_STATE_ANON;
	else if (!READ_ONCE(obj->linked))
		state |= KIPC_STATE_UNLINKED;
	if (READ_ONCE(obj->removed))
		state |= KIPC_STATE_REMOVED;
	return state;
}

/**
 * kipc_obj_remove() - admin removal of an object
 * @ns: the caller's IPC namespace
 * @sel: which object
 * @opener: the credentials of the socket the request came over
 * @admin: the caller's netlink_ns_capable() answer for CAP_SYS_ADMIN
 *
 * The name goes at once, and the type makes every open fd fail with EIDRM
 * and wakes its waiters. Only the owner, the creator or an administrator
 * may do it. The request comes over a socket, which its opener may have
 * handed to a more privileged writer, so ownership must hold for both
 * @opener and the current task, and @admin checks both.
 *
 * Return: 0, -ENOENT or -EPERM.
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
	trace_kipc_remove(obj);
	/* Our own reference keeps this from being the last. */
	if (obj->linked)
		kipc_obj_unlink_locked(obj, false);
	mutex_unlock(&kipc_lock);

	if (obj->ops->remove)
		obj->ops->remove(obj);
	kipc_obj_put(obj);
	return 0;
}

/**
 * kipc_obj_visit() - call a function for one object, under kipc_lock
 * @ns: the caller's IPC namespace
 * @sel: which object
 * @fn: called with kipc_lock held
 * @arg: for @fn
 *
 * Return: what @fn returned, or -ENOENT.
 */
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

/**
 * kipc_total_objects() - how many objects are published, in every namespace
 *
 * Return: the count.
 */
u32 kipc_total_objects(void)
{
	u32 n;

	mutex_lock(&kipc_lock);
	n = kipc_nr_objects;
	mutex_unlock(&kipc_lock);
	return n;
}

/**
 * kipc_registry_init() - set up the name table, with the object types
 * @types: the types' ops, indexed by KIPC_OBJ_*; NULL where none
 * @nr_types: size of @types
 *
 * Return: 0 or a negative errno.
 */
int kipc_registry_init(const struct kipc_type_ops *const *types, u32 nr_types)
{
	kipc_types = types;
	kipc_nr_types = nr_types;
	return rhashtable_init(&kipc_names, &kipc_names_params);
}

/**
 * kipc_registry_exit() - unlink every object, and drop the tables
 *
 * No object fd can be open here: every file pins the module. What is left
 * are named objects with their name's reference, and regions that queued
 * messages hold (KIPC_MQ_REGIONS), named or not. Unlinking frees the
 * former; a region a message holds goes with the last queue holding it,
 * whichever order the names go in. The reaper must be stopped.
 */
void kipc_registry_exit(void)
{
	struct kipc_object *obj;
	unsigned long id = 0;
	bool last;

	/* Nothing links a name any more: one walk, skipping the unnamed. */
	for (;;) {
		mutex_lock(&kipc_lock);
		obj = xa_find(&kipc_ids, &id, ULONG_MAX, XA_PRESENT);
		while (obj && !obj->linked)
			obj = xa_find_after(&kipc_ids, &id, ULONG_MAX,
					    XA_PRESENT);
		if (!obj) {
			mutex_unlock(&kipc_lock);
			break;
		}
		last = kipc_obj_unlink_locked(obj, false);
		mutex_unlock(&kipc_lock);
		if (last)
			kipc_obj_free(obj);
	}
	id = 0;
	mutex_lock(&kipc_lock);
	obj = xa_find(&kipc_ids, &id, ULONG_MAX, XA_PRESENT);
	mutex_unlock(&kipc_lock);
	if (obj)
		WARN(1, "kipc: object %llu still referenced at exit\n", obj->id);
	xa_destroy(&kipc_ids);
	rhashtable_destroy(&kipc_names);
}
