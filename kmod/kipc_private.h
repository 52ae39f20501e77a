/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kipc: private declarations shared by the module's files.
 *
 * Files
 * =====
 *
 *  main.c      module load and unload, the object types, /dev/kipc and its
 *              version ioctl
 *  ioctl.c     ioctl dispatch; open and unlink on /dev/kipc; an object fd's
 *              info ioctl and release
 *  fdinfo.c    an object fd's /proc/PID/fdinfo
 *  trace.c     the tracepoints (kipc_trace.h)
 *  registry.c  names, ids and references: create, publish, open, unlink,
 *              put, remove, visit; the event hook
 *  ns.c        IPC namespace accounting and limits, kipc_lock
 *  reap.c      the reaper: the names of dead namespaces
 *  mq.c, shm.c, sem.c   the object types (struct kipc_type_ops); the
 *              queue's other files are listed in mq.h
 *  wait.c      the wait layer: deadlines, waiters and wakers, the spin
 *              before a sleep
 *  netlink.c   the Generic Netlink family: get, dump, remove, limits, stats
 *  monitor.c   its monitor: subscriptions, views, events to listeners
 *  netlink-gen.c  its generated policies and ops table
 *
 * Calls between files go one way, down this graph (scripts/kmod-calls.sh
 * prints it from the objects and fails on a cycle):
 *
 *  main.c  -> ioctl.c mq.c shm.c sem.c netlink.c registry.c ns.c reap.c
 *  netlink.c -> monitor.c registry.c ns.c reap.c
 *  mq.c    -> ioctl.c mq_msg.c mq_queue.c registry.c wait.c
 *  mq_vec.c -> ioctl.c mq_msg.c mq_queue.c wait.c trace.c
 *  mq_queue.c -> ioctl.c mq_msg.c wait.c trace.c
 *  mq_msg.c -> ioctl.c registry.c shm.c wait.c
 *  sem.c   -> ioctl.c wait.c trace.c
 *  shm.c   -> ioctl.c registry.c ns.c
 *  ioctl.c -> registry.c trace.c
 *  fdinfo.c -> registry.c
 *  reap.c  -> registry.c ns.c
 *  registry.c -> ns.c trace.c
 *  wait.c  -> trace.c
 *
 * trace.c defines the tracepoints (kipc_trace.h) and calls nothing; a call
 * to it is a tracepoint firing. The object types' file operations point
 * at fdinfo.c's kipc_obj_show_fdinfo(), which calls back into the type
 * through its ops (show_fdinfo).
 *
 * monitor.c calls no other file: netlink.c gives it the family at
 * kipc_nl_monitor_init().
 *
 * Upward calls go through what the upper file registers: the types' ops
 * (main.c gives them to kipc_registry_init()), the registry's event hook
 * (netlink.c sets monitor.c's kipc_nl_monitor_event() with
 * kipc_events_set()), the reaper's work (main.c gives it to
 * kipc_ns_init()), the file operations of object fds and the generated
 * netlink ops table.
 *
 * Locking overview
 * ================
 *
 * kipc_lock (a mutex, ns.c) is the one registry lock, taken by registry.c,
 * ns.c and reap.c. It protects:
 *  - the name table (an rhashtable keyed by namespace, type and name);
 *  - the id table (an xarray indexed by object id);
 *  - the namespace table (an rhashtable keyed by IPC namespace);
 *  - the per-namespace accounting (struct kipc_ns and its per-uid entries)
 *    and each namespace's object index (an xarray indexed by object id);
 *  - kipc_object.linked and kipc_object.published;
 *  - the registry's event hook.
 *
 * kipc_reap_lock (a mutex, reap.c) lets one reaper run at a time. It is
 * taken outside kipc_lock; the reaper drops and retakes kipc_lock between
 * batches of a dead namespace's objects.
 *
 * An object's refcount only drops to zero with kipc_lock held
 * (refcount_dec_and_mutex_lock), so any object found in the name or id table
 * under kipc_lock has a reference count above zero and may be taken with
 * refcount_inc(). Each type's own state has its own lock. A type's spinlock
 * may be taken under kipc_lock (the netlink walk reads statistics under it),
 * and kipc_lock is never taken under a spinlock. The one mutex that nests
 * the other way is a region's shm->lock: resize recharges the limits with
 * it held (shm->lock, then kipc_lock), so nothing may take shm->lock under
 * kipc_lock; the netlink walk reads a region without it. The monitor's
 * kipc_nl_subs_lock (a mutex, monitor.c) nests inside kipc_lock: events
 * are sent under both, and nothing takes kipc_lock under it.
 *
 * The wait layer (wait.c) has no lock of its own. A blocked task's struct
 * kipc_waiter and the struct kipc_waitq it is on belong to one object and
 * are protected by that object's spinlock (mq->lock, sem->lock), which
 * wait.c is handed: the queue's list and count, and each waiter's node,
 * state and woken_ns, with the rest of the type's waiter around it
 * (struct kipc_mq_waiter, struct kipc_sem_waiter). The waker writes a
 * waiter's state and the waiter reads it only under that lock; the task is
 * woken after the lock is dropped (struct kipc_wakeups), which wait.c
 * explains is safe. The spin before a sleep peeks at the object without
 * the lock, as a hint only.
 *
 * References
 * ==========
 *
 * An object holds one reference for its name while it is linked, and one for
 * every open file description (struct kipc_file). Mappings of a region hold
 * its file. The last put unpublishes the object (id table, accounting) and
 * frees it.
 */
#ifndef __KIPC_PRIVATE_H
#define __KIPC_PRIVATE_H

#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/spinlock_types.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/uidgid.h>
#include <uapi/linux/kipc.h>

#include "kipc_logic.h"

struct seq_file;
struct sk_buff;
struct kipc_object;
struct kipc_ioctl_op;

/*
 * Module parameters read outside the file that defines them: the attribute
 * ceilings (mq.c, shm.c), which KIPC_IOC_VERSION reports (main.c).
 */
extern unsigned int kipc_mq_max_msgs;
extern unsigned int kipc_mq_max_msgsize;
extern unsigned long kipc_shm_max_size;

/**
 * struct kipc_type_ops - what differs between object types
 * @type: KIPC_OBJ_* value
 * @name: short name for messages and anon inodes ("mq", "shm", "sem")
 * @fops: file operations of the object fd; .owner pins the module
 * @ioctl_ops: the type's own ioctls, indexed by _IOC_NR()
 * @n_ioctl_ops: size of @ioctl_ops
 * @attr_size: size of the type's member of union kipc_attr; the open path
 *	checks that the bytes after it are zero before @validate
 * @validate: check creation attributes and say how many bytes to charge
 * @alloc: allocate a new object with its type state, or an ERR_PTR
 * @free: free the object and its type state; may sleep
 * @remove: admin removal: fail every later operation and wake all waiters
 *	with EIDRM; the object is freed when its last reference goes
 * @release: an object fd's open file description is being released; optional
 * @attach: a new open file description of the object is about to get its
 *	fd, nothing can fail any more (undone by @release when
 *	kipc_file.attached says it ran); optional
 * @fill_attr: report the attributes for KIPC_IOC_INFO
 * @fill_nl: add the type's netlink attributes to an object message, pids
 *	in the requester's pid namespace @pid_ns
 * @show_fdinfo: the type's lines of an object fd's fdinfo, after the
 *	common ones (fdinfo.c); takes at most the object's own lock; optional
 * @init: create the type's caches at module load
 * @exit: destroy them at module unload
 */
struct kipc_type_ops {
	u32 type;
	const char *name;
	const struct file_operations *fops;
	const struct kipc_ioctl_op *ioctl_ops;
	size_t n_ioctl_ops;
	size_t attr_size;
	int (*validate)(const union kipc_attr *attr, u64 *bytes);
	struct kipc_object *(*alloc)(const union kipc_attr *attr);
	void (*free)(struct kipc_object *obj);
	void (*remove)(struct kipc_object *obj);
	void (*release)(struct kipc_object *obj, struct file *file);
	void (*attach)(struct kipc_object *obj, struct file *file);
	void (*fill_attr)(struct kipc_object *obj, union kipc_attr *attr);
	int (*fill_nl)(struct sk_buff *skb, struct kipc_object *obj,
		       struct pid_namespace *pid_ns);
	void (*show_fdinfo)(struct seq_file *m, struct file *file);
	int (*init)(void);
	void (*exit)(void);
};

extern const struct kipc_type_ops kipc_mq_ops;
extern const struct kipc_type_ops kipc_shm_ops;
extern const struct kipc_type_ops kipc_sem_ops;

struct kipc_ns;
struct kipc_object;

/* shm.c */
u32 kipc_shm_seals(struct kipc_object *obj);

/**
 * struct kipc_object - what every object has, embedded in the type's struct
 * @ref: references: one for the name while linked, one per open file
 * @id: unique for the life of the module; the id table's index
 * @ops: the type
 * @ipc_ns: the creator's IPC namespace (a reference is held)
 * @kns: accounting of @ipc_ns, set when published; it and the namespaces
 *	above it are what @bytes is charged to (protected by kipc_lock)
 * @name: NUL-terminated name, kept after unlink; "" for an anonymous object
 * @name_len: strlen(@name); 0 for an anonymous object, which never has a
 *	name nor its reference
 * @node: name table linkage (protected by kipc_lock)
 * @linked: the name resolves to this object (protected by kipc_lock)
 * @published: in the id table and charged (protected by kipc_lock)
 * @removed: removed by an administrator (protected by kipc_lock)
 * @bytes: bytes charged to the limits (protected by kipc_lock)
 * @charged_uids: the uid charged at @kns and at each namespace above it,
 *	nearest first, when one of them is not @cuid; else NULL (protected by
 *	kipc_lock)
 * @uid: owner
 * @gid: owner group
 * @cuid: creator
 * @cgid: creator group
 * @mode: permission bits, a subset of 0666
 * @cpid: creator, as a struct pid (a reference is held)
 * @ctime: creation time, ns since the epoch
 */
struct kipc_object {
	refcount_t ref;
	u64 id;
	const struct kipc_type_ops *ops;
	struct ipc_namespace *ipc_ns;
	struct kipc_ns *kns;
	char *name;
	u32 name_len;
	struct rhash_head node;
	bool linked;
	bool published;
	bool removed;
	u64 bytes;
	kuid_t *charged_uids;
	kuid_t uid;
	kgid_t gid;
	kuid_t cuid;
	kgid_t cgid;
	umode_t mode;
	struct pid *cpid;
	u64 ctime;
};

/**
 * struct kipc_file - an object fd's open file description (its private_data)
 * @obj: the object; the description holds a reference
 * @sem_undo: a semaphore's units this description holds under
 *	KIPC_SEM_UNDO (protected by the semaphore's lock)
 * @attached: the type's @attach ran for it (just before its fd was
 *	installed), so its @release undoes that
 *
 * What belongs to one description rather than to the object lives here, so
 * that finding it never means a search through the object.
 */
struct kipc_file {
	struct kipc_object *obj;
	u64 sem_undo;
	bool attached;
};

/* Created with KIPC_OPEN_ANON: only its files reach it. */
static inline bool kipc_obj_anon(const struct kipc_object *obj)
{
	return !obj->name_len;
}

static inline struct kipc_file *kipc_file(struct file *file)
{
	return file->private_data;
}

static inline struct kipc_object *kipc_file_obj(struct file *file)
{
	return kipc_file(file)->obj;
}

/**
 * struct kipc_ucmd - one ioctl call being executed
 * @file: the file the ioctl was issued on
 * @ubuffer: the user's struct
 * @user_size: the user's idea of the struct's size (its first __u32)
 * @cmd: the kernel copy of the struct, zero-extended to the kernel's size
 */
struct kipc_ucmd {
	struct file *file;
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
};

/**
 * struct kipc_ioctl_op - one entry of an ioctl dispatch table
 * @size: the kernel's size of the struct
 * @min_size: the size of the first version of the struct
 * @ioctl_num: the full ioctl number
 * @execute: the handler
 */
struct kipc_ioctl_op {
	unsigned int size;
	unsigned int min_size;
	unsigned int ioctl_num;
	int (*execute)(struct kipc_ucmd *ucmd);
};

#define KIPC_IOCTL_OP(_ioctl, _fn, _struct, _last)			\
	[_IOC_NR(_ioctl)] = {						\
		.size = sizeof(_struct) +				\
			BUILD_BUG_ON_ZERO(sizeof(union kipc_ucmd_buffer) < \
					  sizeof(_struct)),		\
		.min_size = offsetofend(_struct, _last),		\
		.ioctl_num = _ioctl,					\
		.execute = _fn,						\
	}

/* Large enough for the struct of every command. */
union kipc_ucmd_buffer {
	struct kipc_version version;
	struct kipc_open open;
	struct kipc_unlink unlink;
	struct kipc_info info;
	struct kipc_mq_send mq_send;
	struct kipc_mq_recv mq_recv;
	struct kipc_mq_sendv mq_sendv;
	struct kipc_mq_peek mq_peek;
	struct kipc_mq_getattr mq_getattr;
	struct kipc_mq_sendrecv mq_sendrecv;
	struct kipc_shm_resize shm_resize;
	struct kipc_shm_seal shm_seal;
	struct kipc_shm_stat shm_stat;
	struct kipc_sem_wait sem_wait;
	struct kipc_sem_post sem_post;
	struct kipc_sem_get sem_get;
	struct kipc_sem_multi sem_multi;
};

/* ioctl.c */
struct file *kipc_obj_getfile(struct kipc_object *obj, u32 flags);
void kipc_obj_attach(struct file *file);
int kipc_ucmd_respond(struct kipc_ucmd *ucmd, size_t len);
long kipc_ioctl_dispatch(const struct kipc_ioctl_op *ops, size_t nops,
			 struct file *file, unsigned int cmd,
			 unsigned long arg);
int kipc_open_ioctl(struct kipc_ucmd *ucmd);
int kipc_unlink_ioctl(struct kipc_ucmd *ucmd);
long kipc_obj_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int kipc_obj_file_release(struct inode *inode, struct file *file);

/* fdinfo.c */
void kipc_obj_show_fdinfo(struct seq_file *m, struct file *file);

/**
 * struct kipc_obj_sel - which object a netlink request means
 * @id: the object's id, when @name is NULL
 * @type: KIPC_OBJ_* type, with @name
 * @name: a NUL-terminated name, or NULL to select by @id
 */
struct kipc_obj_sel {
	u64 id;
	u32 type;
	const char *name;
};

/*
 * A function called for each object of a walk or for the one selected,
 * under kipc_lock: 0 to go on, or a negative errno to stop.
 */
typedef int (*kipc_obj_visit_t)(struct kipc_object *obj, void *arg);

/* An event hook: @event (KIPC_CMD_OBJ_*_NTF) for @obj, under kipc_lock. */
typedef void (*kipc_event_fn)(struct kipc_object *obj, u8 event);

/* registry.c */
int kipc_registry_init(const struct kipc_type_ops *const *types, u32 nr_types);
void kipc_registry_exit(void);
void kipc_events_set(kipc_event_fn fn);
const struct kipc_type_ops *kipc_type_get(u32 type);
struct kipc_object *kipc_obj_create(const struct kipc_type_ops *ops,
				    const union kipc_attr *attr,
				    const char *name, u32 len,
				    umode_t mode, u64 bytes);
struct kipc_object *kipc_publish(struct kipc_object *new, u32 flags);
struct kipc_object *kipc_obj_open(struct ipc_namespace *ns, u32 type,
				  const char *name, u32 len, u32 flags);
bool kipc_obj_owned_by(struct kipc_object *obj, kuid_t uid);
bool kipc_obj_permitted(struct kipc_object *obj, u32 open_flags);
int kipc_obj_unlink(struct ipc_namespace *ns, u32 type, const char *name,
		    u32 len);
bool kipc_obj_unlink_locked(struct kipc_object *obj, bool announce);
void kipc_obj_put(struct kipc_object *obj);
void kipc_obj_free(struct kipc_object *obj);
u32 kipc_obj_state(struct kipc_object *obj);
int kipc_obj_remove(struct ipc_namespace *ns, const struct kipc_obj_sel *sel,
		    const struct cred *opener, bool admin);
int kipc_obj_visit(struct ipc_namespace *ns, const struct kipc_obj_sel *sel,
		   kipc_obj_visit_t fn, void *arg);
u32 kipc_total_objects(void);

/*
 * The registry lock (ns.c, the lowest file that takes it): see the locking
 * overview above.
 */
extern struct mutex kipc_lock;

/* The namespaces not reaped yet, on kipc_ns.node (protected by kipc_lock) */
extern struct list_head kipc_namespaces;

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
 * @sem_multi_lock: serialises the lock-all phases of this namespace's
 *	semaphore multi-operations (sem.c)
 *
 * @per_type, @objects and @bytes count the objects of this namespace alone;
 * @uids, @tree_objects and @tree_bytes what is charged here, which includes
 * every namespace below (see kipc_ns_add_locked()).
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
	spinlock_t sem_multi_lock;	/* see above */
};

/* The deepest an accounting tree goes below its root (ns.c). */
#define KIPC_NS_DEPTH_MAX	32

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

/**
 * struct kipc_ns_stats - one namespace's usage and limits, for netlink
 * @per_type: its objects by type
 * @objects: its objects
 * @bytes: bytes charged for its objects
 * @limit_objects: object limit in force
 * @limit_bytes: byte limit in force
 * @limit_uid_objects: object limit of a uid without an override
 * @limit_uid_bytes: byte limit of a uid without an override
 */
struct kipc_ns_stats {
	u32 per_type[KIPC_OBJ_SEM + 1];
	u32 objects;
	u64 bytes;
	u32 limit_objects;
	u64 limit_bytes;
	u32 limit_uid_objects;
	u64 limit_uid_bytes;
};

/* Which limits are set, in struct kipc_limits_req and in a namespace. */
#define KIPC_LIM_OBJECTS	BIT(0)
#define KIPC_LIM_BYTES		BIT(1)
#define KIPC_LIM_UID_OBJECTS	BIT(2)
#define KIPC_LIM_UID_BYTES	BIT(3)

/**
 * struct kipc_limits_info - limits in force in a namespace, and usage
 * @has_uid: (in) also report @uid's limits and usage
 * @uid: (in) the uid, INVALID_UID without @has_uid
 * @objects: object limit of the namespace
 * @bytes: byte limit of the namespace
 * @uid_objects: object limit of a uid without an override
 * @uid_bytes: byte limit of a uid without an override
 * @override: the namespace has limits set
 * @this_uid_objects: object limit of @uid
 * @this_uid_bytes: byte limit of @uid
 * @uid_override: @uid has an override
 * @objects_used: objects charged in the namespace
 * @bytes_used: bytes charged in the namespace
 * @uid_objects_used: objects charged to @uid
 * @uid_bytes_used: bytes charged to @uid
 */
struct kipc_limits_info {
	bool has_uid;
	kuid_t uid;
	u32 objects;
	u64 bytes;
	u32 uid_objects;
	u64 uid_bytes;
	bool override;
	u32 this_uid_objects;
	u64 this_uid_bytes;
	bool uid_override;
	u32 objects_used;
	u64 bytes_used;
	u32 uid_objects_used;
	u64 uid_bytes_used;
};

/**
 * struct kipc_limits_req - a change of limits
 * @has_uid: change @uid's override, else the namespace's limits
 * @uid: the uid
 * @reset: drop what is set, instead of setting
 * @set: KIPC_LIM_* bits, the values below that are given
 * @objects: object limit (namespace or uid)
 * @bytes: byte limit (namespace or uid)
 * @uid_objects: per-uid default object limit (namespace only)
 * @uid_bytes: per-uid default byte limit (namespace only)
 */
struct kipc_limits_req {
	bool has_uid;
	kuid_t uid;
	bool reset;
	u32 set;
	u32 objects;
	u64 bytes;
	u32 uid_objects;
	u64 uid_bytes;
};

/* ns.c */
int kipc_ns_init(work_func_t reaper);
void kipc_ns_stop_reaper(void);
void kipc_ns_exit(void);
void kipc_ns_reap_later(void);
void kipc_ns_path_put(struct kipc_ns_path *path);
struct kipc_ns *kipc_ns_attach_locked(struct ipc_namespace *ipc_ns,
				      struct kipc_ns_path *path);
void kipc_ns_put_locked(struct kipc_ns *kns);
void kipc_ns_unpin_locked(struct kipc_ns *kns);
int kipc_ns_add_locked(struct kipc_ns *kns, struct kipc_object *obj);
void kipc_ns_del_locked(struct kipc_object *obj);
int kipc_obj_recharge(struct kipc_object *obj, u64 bytes);
void kipc_ns_stats(struct ipc_namespace *ns, struct kipc_ns_stats *st);
void kipc_limits_get(struct ipc_namespace *ns, struct kipc_limits_info *li);
int kipc_limits_set(struct ipc_namespace *ns,
		    const struct kipc_limits_req *req);
int kipc_limits_walk(struct ipc_namespace *ns, unsigned long *pos,
		     int (*fn)(struct kipc_limits_info *li, void *arg),
		     void *arg);
int kipc_walk_objs(struct ipc_namespace *ns, unsigned long *pos,
		   kipc_obj_visit_t fn, void *arg);

/* reap.c */
void kipc_reap(void);
void kipc_reaper_fn(struct work_struct *work);

/* --- the wait layer (wait.c) ---------------------------------------------- */

/*
 * Every KIPC_WAIT_* flag: what a call that may block accepts, besides its
 * own flags (KIPC_SEM_UNDO for a semaphore wait; see the uapi header for
 * why that one shares the KIPC_WAIT_* bit space).
 */
#define KIPC_WAIT_FLAGS		(KIPC_WAIT_NONBLOCK | KIPC_WAIT_DEADLINE | \
				 KIPC_WAIT_NOSPIN)

/**
 * struct kipc_deadline - when a blocking call gives up
 * @nonblock: never wait
 * @nospin: never spin before a sleep (KIPC_WAIT_NOSPIN)
 * @timed: @clockid and @expires are set
 * @clockid: CLOCK_MONOTONIC or CLOCK_REALTIME
 * @expires: absolute time on @clockid
 */
struct kipc_deadline {
	bool nonblock;
	bool nospin;
	bool timed;
	clockid_t clockid;
	ktime_t expires;
};

/**
 * enum kipc_waiter_state - what a waker did for a waiter
 * @KIPC_WAITER_WAITING: nothing yet; the waiter is queued
 * @KIPC_WAITER_DONE: the waker did the waiter's work (handed it a message,
 *	queued its message, granted its units)
 * @KIPC_WAITER_TOOBIG: queue receiver: the next message does not fit
 * @KIPC_WAITER_REMOVED: the object was removed
 * @KIPC_WAITER_HUP: queue: the other side hung up (KIPC_MQ_HUP)
 */
enum kipc_waiter_state {
	KIPC_WAITER_WAITING,
	KIPC_WAITER_DONE,
	KIPC_WAITER_TOOBIG,
	KIPC_WAITER_REMOVED,
	KIPC_WAITER_HUP,
};

/**
 * struct kipc_waiter - a blocked task, on its stack
 * @node: on its struct kipc_waitq (protected by the object's lock)
 * @task: the blocked task
 * @state: what a waker did (protected by the object's lock)
 * @woken_ns: when the waker set @state, ktime_get_ns() (protected by the
 *	object's lock)
 * @sleep_ns: when it went to sleep, ktime_get_ns(), while the tracepoint
 *	that reports it is on (kipc_trace_wait_timed()); else left as the
 *	caller set it, 0
 *
 * Embedded in a type's own waiter (struct kipc_mq_waiter, struct
 * kipc_sem_waiter), whose other fields the object's lock protects as well.
 */
struct kipc_waiter {
	struct list_head node;
	struct task_struct *task;
	enum kipc_waiter_state state;
	u64 woken_ns;
	u64 sleep_ns;
};

/**
 * struct kipc_waitq - the blocked tasks of one kind on one object, FIFO
 * @list: the struct kipc_waiter, oldest first
 * @nr: length of @list
 * @peer_cpu: the CPU of the last task that made progress for this queue's
 *	waiters (a sender for receivers, a receiver for senders, a poster for
 *	a semaphore's waiters), or -1: whom a spin would wait for
 * @spin_misses: how often spinning came to nothing lately, from spins and
 *	from sleeps seen in hindsight; from KIPC_SPIN_MISSES_OFF on, the
 *	waiters of this queue do not spin (see wait.c)
 *
 * The object's lock (mq->lock, sem->lock) protects them all; @peer_cpu is
 * also read without it, as a hint, by a spinning waiter.
 */
struct kipc_waitq {
	struct list_head list;
	u32 nr;
	int peer_cpu;
	u8 spin_misses;
};

static inline void kipc_waitq_init(struct kipc_waitq *q)
{
	INIT_LIST_HEAD(&q->list);
	q->nr = 0;
	q->peer_cpu = -1;
	q->spin_misses = 0;
}

/*
 * @task made progress for @q's waiters: they spin only while its CPU (the
 * one it last ran on) is not theirs (kipc_spin_locked()).
 */
static inline void kipc_waitq_peer_locked(struct kipc_waitq *q,
					  struct task_struct *task)
{
	int cpu = task_cpu(task);

	if (q->peer_cpu != cpu)
		WRITE_ONCE(q->peer_cpu, cpu);
}

/**
 * struct kipc_wakeups - waiters to wake once the object's spinlock is dropped
 * @n: how many are recorded
 * @task: the tasks, each with a reference
 *
 * A waiter woken under the lock it retakes first thing spins on that lock
 * until the waker drops it; on a virtual machine, where the waker's vCPU
 * may be preempted by the host right after it kicked the waiter's, that
 * spin lasts a host time slice (milliseconds, measured). So the wakers
 * decide under the lock, as before, and wake after dropping it, as
 * ipc/mqueue.c and ipc/sem.c do with wake_q (not exported to modules). A
 * deferred wake-up may reach a task that has meanwhile returned and sleeps
 * elsewhere: a spurious wake-up, which every wait loop tolerates. Why no
 * wake-up is lost is in wait.c.
 */
struct kipc_wakeups {
	unsigned int n;
	struct task_struct *task[8];
};

/* Wake @task after the unlock; when full, now (correct, only slower). */
static inline void kipc_wake_defer(struct kipc_wakeups *wk,
				   struct task_struct *task)
{
	if (wk->n == ARRAY_SIZE(wk->task)) {
		wake_up_process(task);
		return;
	}
	get_task_struct(task);
	wk->task[wk->n++] = task;
}

/* Call with the lock dropped. */
static inline void kipc_wake_all(struct kipc_wakeups *wk)
{
	unsigned int i;

	for (i = 0; i < wk->n; i++) {
		wake_up_process(wk->task[i]);
		put_task_struct(wk->task[i]);
	}
	wk->n = 0;
}

int kipc_deadline_init(struct kipc_deadline *dl, struct file *file,
		       u32 flags, u32 clockid, u64 deadline);
bool kipc_deadline_passed(const struct kipc_deadline *dl);
bool kipc_deadline_sleep(const struct kipc_deadline *dl);
/* Peeks, without the object's lock, at whether a spinning wait would end. */
typedef bool (*kipc_spin_done_t)(const void *arg);
bool kipc_spin_locked(spinlock_t *lock, struct kipc_waitq *sleepers,
		      const struct kipc_deadline *dl, kipc_spin_done_t done,
		      const void *arg);
int kipc_wait_check(const struct kipc_deadline *dl);
int kipc_wait_locked(spinlock_t *lock, struct kipc_waiter *w,
		     struct kipc_waitq *q, const struct kipc_deadline *dl);
void kipc_waiter_wake_locked(struct kipc_waitq *q, struct kipc_waiter *w,
			     enum kipc_waiter_state state,
			     struct kipc_wakeups *wk);
typedef bool (*kipc_wake_cond_t)(void *arg);
void kipc_waitq_wake_all(struct kipc_waitq *q, spinlock_t *lock,
			 enum kipc_waiter_state state, kipc_wake_cond_t cond,
			 void *arg);

/* fs.c */
struct file *kipc_fs_getfile(const char *name,
			     const struct file_operations *fops, void *priv,
			     int flags);
void kipc_fs_put(void);

/* netlink.c */
int kipc_netlink_init(void);
void kipc_netlink_exit(void);

/*
 * Remember @task's process in *@slot (a "last pid" statistic), taking a
 * reference only when it changes; the caller's lock protects *@slot.
 */
static inline void kipc_set_last_pid(struct pid **slot,
				     struct task_struct *task)
{
	struct pid *pid = task_tgid(task);

	if (*slot != pid) {
		put_pid(*slot);
		*slot = get_pid(pid);
	}
}

#endif /* __KIPC_PRIVATE_H */
