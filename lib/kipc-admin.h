/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libkipc-admin: inspect kipc objects over the Generic Netlink family "kipc".
 *
 * Every function returns a value >= 0 on success or a negative errno on
 * failure. None of them sets errno or prints. A handle is one netlink socket:
 * use it from one thread at a time.
 *
 * The structures below only ever grow at their end. Functions that fill a
 * caller's structure take its size, so a program built against an older
 * header keeps working with a newer library, and the reverse. Which fields the
 * kernel reported is recorded in @present, indexed by the netlink attribute
 * (KIPC_A_OBJ_* or KIPC_A_STATS_* of <linux/kipc.h>): test it with
 * kipc_admin_obj_has() and kipc_admin_stats_has() before trusting a field that
 * an older module may not send. A bit is set only when the library also
 * stored the attribute in a field, so the test also guards a field that an
 * older library does not have: the structure kipc_admin_list() passes is the
 * library's own, which may be shorter than the caller's.
 */
#ifndef LIBKIPC_ADMIN_H
#define LIBKIPC_ADMIN_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kipc.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kipc_admin;

/* Bits of the @present words: room for 128 attributes of each kind. */
#define KIPC_ADMIN_PRESENT_WORDS	2

/**
 * struct kipc_admin_obj - one object, as KIPC_CMD_OBJ_GET reports it
 * @present: bit n set if attribute KIPC_A_OBJ_n was reported
 * @id: KIPC_A_OBJ_ID, unique for the life of the module (always present)
 * @type: KIPC_A_OBJ_TYPE, KIPC_OBJ_* (always present)
 * @ns: KIPC_A_OBJ_NS, inode number of the object's IPC namespace
 * @uid: KIPC_A_OBJ_UID, owner, in the caller's user namespace
 * @gid: KIPC_A_OBJ_GID
 * @cuid: KIPC_A_OBJ_CUID, creator
 * @cgid: KIPC_A_OBJ_CGID
 * @mode: KIPC_A_OBJ_MODE, permission bits
 * @cpid: KIPC_A_OBJ_CPID, creator pid in the caller's pid namespace
 * @state: KIPC_A_OBJ_STATE, KIPC_STATE_* bits
 * @mq_max_msgs: KIPC_A_OBJ_MQ_MAX_MSGS
 * @ctime_ns: KIPC_A_OBJ_CTIME, creation time in ns since the epoch
 * @bytes: KIPC_A_OBJ_BYTES, bytes charged to the limits
 * @mq_max_msgsize: KIPC_A_OBJ_MQ_MAX_MSGSIZE
 * @sem_value: KIPC_A_OBJ_SEM_VALUE
 * @shm_size: KIPC_A_OBJ_SHM_SIZE, in bytes
 * @name: KIPC_A_OBJ_NAME, NUL-terminated (always present)
 *
 * Since LIBKIPC_ADMIN_0.2, the statistics of a message queue:
 * @mq_depth: KIPC_A_OBJ_MQ_DEPTH, messages queued now
 * @mq_hwm: KIPC_A_OBJ_MQ_HWM, the most messages ever queued at once
 * @mq_bytes: KIPC_A_OBJ_MQ_BYTES, payload bytes queued now
 * @mq_sends: KIPC_A_OBJ_MQ_SENDS, messages sent since creation
 * @mq_recvs: KIPC_A_OBJ_MQ_RECVS, messages received since creation
 * @mq_wait_send: KIPC_A_OBJ_MQ_WAIT_SEND, senders blocked now
 * @mq_wait_recv: KIPC_A_OBJ_MQ_WAIT_RECV, receivers blocked now
 * @mq_lspid: KIPC_A_OBJ_MQ_LSPID, pid of the last sender in the caller's
 *	pid namespace; 0 if none, or if it is not visible there
 * @mq_lrpid: KIPC_A_OBJ_MQ_LRPID, pid of the last receiver, likewise
 * @mq_stime_ns: KIPC_A_OBJ_MQ_STIME, time of the last send in ns since the
 *	epoch; 0 if none
 * @mq_rtime_ns: KIPC_A_OBJ_MQ_RTIME, time of the last receive, likewise
 *
 * Then the statistics of a shared memory region. A library older than these
 * fields leaves them zero and their @present bits clear:
 * @shm_nattch: KIPC_A_OBJ_SHM_NATTCH, live mappings (vmas) in all processes
 * @shm_seals: KIPC_A_OBJ_SHM_SEALS, KIPC_SEAL_* bits in force
 * @shm_resident: KIPC_A_OBJ_SHM_RESIDENT, pages in memory
 * @shm_swapped: KIPC_A_OBJ_SHM_SWAPPED, pages in swap
 * @shm_atime_ns: KIPC_A_OBJ_SHM_ATIME, time of the last mapping in ns since
 *	the epoch; 0 if never
 * @shm_dtime_ns: KIPC_A_OBJ_SHM_DTIME, time of the last unmapping, likewise
 * @shm_lpid: KIPC_A_OBJ_SHM_LPID, pid of the last process that mapped it, in
 *	the caller's pid namespace; 0 if none, or if it is not visible there
 *
 * Then the statistics of a semaphore, likewise:
 * @sem_waiters: KIPC_A_OBJ_SEM_WAITERS, tasks waiting now (SysV's semncnt)
 * @sem_waits: KIPC_A_OBJ_SEM_WAITS, successful waits since creation
 * @sem_posts: KIPC_A_OBJ_SEM_POSTS, posts since creation
 * @sem_timeouts: KIPC_A_OBJ_SEM_TIMEOUTS, waits that timed out
 * @sem_undo_units: KIPC_A_OBJ_SEM_UNDO_UNITS, units held under KIPC_SEM_UNDO
 *	now, by all open file descriptions together
 * @sem_recovered: KIPC_A_OBJ_SEM_RECOVERED, units that undo gave back since
 *	creation, after their holders' descriptions were released
 * @sem_otime_ns: KIPC_A_OBJ_SEM_OTIME, time of the last wait or post in ns
 *	since the epoch; 0 if none
 * @sem_undo_holders: KIPC_A_OBJ_SEM_UNDO_HOLDERS, open file descriptions
 *	that hold units under KIPC_SEM_UNDO now
 * @sem_lpid: KIPC_A_OBJ_SEM_LPID, pid of the last process to wait or post,
 *	in the caller's pid namespace; 0 if none, or if it is not visible there
 * @sem_zero_waiters: KIPC_A_OBJ_SEM_ZERO_WAITERS, waits for zero now
 *	(SysV's semzcnt)
 * @sem_multi_waiters: KIPC_A_OBJ_SEM_MULTI_WAITERS, multi-operation
 *	entries among @sem_waiters and @sem_zero_waiters
 * @shm_ino: KIPC_A_OBJ_SHM_INO, inode number of a region's memory: the
 *	inode of its mappings in /proc/PID/maps, and kipc-shm-ino in the
 *	fdinfo of its fds
 * @mq_flags: KIPC_A_OBJ_MQ_FLAGS, a queue's creation flags (KIPC_MQ_*
 *	bits, such as KIPC_MQ_HUP); 0 from a module that does not report it
 * @mq_drops: KIPC_A_OBJ_MQ_DROPS, messages a KIPC_MQ_FULL_DROP queue
 *	dropped to make room; 0 from a module that does not report it
 */
struct kipc_admin_obj {
	uint64_t present[KIPC_ADMIN_PRESENT_WORDS];
	uint64_t id;
	uint32_t type;
	uint32_t ns;
	uint32_t uid;
	uint32_t gid;
	uint32_t cuid;
	uint32_t cgid;
	uint32_t mode;
	uint32_t cpid;
	uint32_t state;
	uint32_t mq_max_msgs;
	uint64_t ctime_ns;
	uint64_t bytes;
	uint32_t mq_max_msgsize;
	uint32_t sem_value;
	uint64_t shm_size;
	char name[KIPC_NAME_MAX + 1];
	/* LIBKIPC_ADMIN_0.2 */
	uint32_t mq_depth;
	uint32_t mq_hwm;
	uint64_t mq_bytes;
	uint64_t mq_sends;
	uint64_t mq_recvs;
	uint32_t mq_wait_send;
	uint32_t mq_wait_recv;
	uint32_t mq_lspid;
	uint32_t mq_lrpid;
	uint64_t mq_stime_ns;
	uint64_t mq_rtime_ns;
	/* shared memory regions */
	uint32_t shm_nattch;
	uint32_t shm_seals;
	uint64_t shm_resident;
	uint64_t shm_swapped;
	uint64_t shm_atime_ns;
	uint64_t shm_dtime_ns;
	uint32_t shm_lpid;
	/* semaphores */
	uint32_t sem_waiters;
	uint64_t sem_waits;
	uint64_t sem_posts;
	uint64_t sem_timeouts;
	uint64_t sem_undo_units;
	uint64_t sem_recovered;
	uint64_t sem_otime_ns;
	uint32_t sem_undo_holders;
	uint32_t sem_lpid;
	uint32_t sem_zero_waiters;
	uint32_t sem_multi_waiters;
	uint64_t shm_ino;
	uint32_t mq_flags;
	uint64_t mq_drops;
	/* New fields go here, and only here. */
};

/**
 * struct kipc_admin_stats - what KIPC_CMD_STATS_GET reports
 * @present: bit n set if attribute KIPC_A_STATS_n was reported
 * @abi_version: KIPC_ABI_VERSION of the module
 * @objects: objects in all IPC namespaces
 * @mqs: message queues in the caller's IPC namespace
 * @shms: shared memory regions in the caller's IPC namespace
 * @sems: semaphores in the caller's IPC namespace
 * @ns_objects: objects in the caller's IPC namespace
 * @ns_bytes: bytes charged in the caller's IPC namespace
 * @limit_objects: object limit of the namespace
 * @limit_uid_objects: object limit of one uid in the namespace
 * @limit_bytes: byte limit of the namespace
 * @limit_uid_bytes: byte limit of one uid in the namespace
 */
struct kipc_admin_stats {
	uint64_t present[KIPC_ADMIN_PRESENT_WORDS];
	uint32_t abi_version;
	uint32_t objects;
	uint32_t mqs;
	uint32_t shms;
	uint32_t sems;
	uint32_t ns_objects;
	uint64_t ns_bytes;
	uint32_t limit_objects;
	uint32_t limit_uid_objects;
	uint64_t limit_bytes;
	uint64_t limit_uid_bytes;
	/* New fields go here, and only here. */
};

static inline int kipc_admin_present(const uint64_t *present,
				     unsigned int attr)
{
	if (attr >= 64 * KIPC_ADMIN_PRESENT_WORDS)
		return 0;
	return (present[attr / 64] >> (attr % 64)) & 1;
}

/* Did the kernel report attribute @attr (KIPC_A_OBJ_*) for @obj? */
static inline int kipc_admin_obj_has(const struct kipc_admin_obj *obj,
				     unsigned int attr)
{
	return kipc_admin_present(obj->present, attr);
}

/* Did the kernel report attribute @attr (KIPC_A_STATS_*) in @st? */
static inline int kipc_admin_stats_has(const struct kipc_admin_stats *st,
				       unsigned int attr)
{
	return kipc_admin_present(st->present, attr);
}

/**
 * kipc_admin_open - connect to the kipc netlink family
 * @out: receives the new handle
 *
 * Return: 0, or -errno: -ENOENT when the family does not exist, which means
 * that the kipc module is not loaded.
 */
int kipc_admin_open(struct kipc_admin **out);

/**
 * kipc_admin_close - close a handle; NULL is allowed
 */
void kipc_admin_close(struct kipc_admin *ka);

/**
 * typedef kipc_admin_obj_cb - called by kipc_admin_list() for each object
 * @obj: the object; valid only during the call
 * @arg: the @arg of kipc_admin_list()
 *
 * Return: 0 to go on; a positive value to stop the walk; a negative value to
 * stop it and make kipc_admin_list() return that value.
 */
typedef int (*kipc_admin_obj_cb)(const struct kipc_admin_obj *obj, void *arg);

/**
 * kipc_admin_list - walk all objects of the caller's IPC namespace
 * @ka: the handle
 * @cb: called once per object, in id order
 * @arg: passed to @cb
 *
 * The walk is one netlink dump: objects created or destroyed while it runs may
 * or may not be seen, but no object is seen twice. @cb must not use @ka.
 *
 * Return: the number of objects passed to @cb, or -errno (-EAGAIN when the
 * kernel flagged the dump as inconsistent), or the negative value @cb
 * returned.
 */
int kipc_admin_list(struct kipc_admin *ka, kipc_admin_obj_cb cb, void *arg);

/**
 * kipc_admin_get - describe one object of the caller's IPC namespace
 * @ka: the handle
 * @id: the object's id
 * @obj: filled in on success
 * @size: sizeof(*@obj) as the caller knows it
 *
 * Return: 0, or -errno: -ENOENT when the caller's namespace has no object with
 * this id, -EINVAL when @size is smaller than the first version of the
 * structure.
 */
int kipc_admin_get(struct kipc_admin *ka, uint64_t id,
		   struct kipc_admin_obj *obj, size_t size);

/**
 * kipc_admin_stats - module-wide and namespace statistics and limits
 * @ka: the handle
 * @st: filled in on success
 * @size: sizeof(*@st) as the caller knows it
 *
 * Return: 0, or -errno (-EINVAL as for kipc_admin_get()).
 */
int kipc_admin_stats(struct kipc_admin *ka, struct kipc_admin_stats *st,
		     size_t size);

/**
 * kipc_admin_find - find an object of the caller's IPC namespace by name
 * @ka: the handle
 * @type: KIPC_OBJ_* type of the object
 * @name: its name
 * @obj: filled in on success
 * @size: sizeof(*@obj) as the caller knows it
 *
 * Finds the object that opening @name as @type would open: objects whose
 * name was unlinked, or which an administrator removed, keep their name while
 * they stay open but are not found. The kernel looks the name up, in one
 * request (since LIBKIPC_ADMIN_0.3; before, the library searched a dump).
 * Since LIBKIPC_ADMIN_0.2.
 *
 * Return: 0, or -errno: -ENOENT when no such object exists, -EINVAL when
 * @size is smaller than the first version of the structure or @name is NULL,
 * empty, too long or not a valid name, -ERANGE for an unknown @type.
 */
int kipc_admin_find(struct kipc_admin *ka, unsigned int type,
		    const char *name, struct kipc_admin_obj *obj, size_t size);

/**
 * kipc_admin_remove - remove an object now, as an administrator
 * @ka: the handle
 * @id: the object's id
 *
 * The object's name goes at once, as with kipc_unlink(). Beyond that, a
 * message queue or a semaphore wakes every blocked task with -EIDRM, and
 * every later call on an fd that is still open fails with -EIDRM; a region
 * refuses new mappings, while existing ones stay valid. The object is freed
 * when its last fd (and mapping) is gone. Since LIBKIPC_ADMIN_0.2.
 *
 * Return: 0, or -errno: -ENOENT when the caller's namespace has no object
 * with this id, -EPERM when the caller is neither the object's owner nor its
 * creator and lacks CAP_SYS_ADMIN. kipc_admin_errmsg() tells more.
 */
int kipc_admin_remove(struct kipc_admin *ka, uint64_t id);

/**
 * kipc_admin_list_type - walk the objects of one type
 * @ka: the handle
 * @type: KIPC_OBJ_* type, or 0 for every type (as kipc_admin_list())
 * @cb: called once per object, in id order
 * @arg: passed to @cb
 *
 * As kipc_admin_list(), but the kernel filters by type. Since
 * LIBKIPC_ADMIN_0.3.
 *
 * Return: as kipc_admin_list(); -ERANGE for an unknown @type (the kernel's
 * policy gives the range of types).
 */
int kipc_admin_list_type(struct kipc_admin *ka, unsigned int type,
			 kipc_admin_obj_cb cb, void *arg);

/**
 * kipc_admin_remove_name - remove an object by type and name
 * @ka: the handle
 * @type: KIPC_OBJ_* type
 * @name: its name
 *
 * As kipc_admin_remove(), for the object that opening @name as @type would
 * open, looked up and removed in one request. Since LIBKIPC_ADMIN_0.3.
 *
 * Return: 0, or -errno as kipc_admin_remove(); -EINVAL when @name is NULL,
 * empty or too long.
 */
int kipc_admin_remove_name(struct kipc_admin *ka, unsigned int type,
			   const char *name);

/**
 * struct kipc_admin_limits - limits and usage of a namespace or of one uid
 * @present: bit n set if attribute KIPC_A_LIMITS_n was reported
 * @uid: KIPC_A_LIMITS_UID; for a uid's entry, the uid (in the caller's user
 *	namespace)
 * @objects: KIPC_A_LIMITS_OBJECTS, object limit of the namespace or the uid
 * @objects_used: KIPC_A_LIMITS_OBJECTS_USED, objects charged to it now
 * @bytes: KIPC_A_LIMITS_BYTES, byte limit of the namespace or the uid
 * @bytes_used: KIPC_A_LIMITS_BYTES_USED, bytes charged to it now
 * @uid_objects: KIPC_A_LIMITS_UID_OBJECTS, for the namespace: the default
 *	object limit of every uid without an override
 * @override: KIPC_A_LIMITS_OVERRIDE, 1 if the limits were set for this
 *	namespace or uid, 0 if they are inherited (from the module parameters,
 *	or from the namespace's per-uid defaults)
 * @uid_bytes: KIPC_A_LIMITS_UID_BYTES, the default byte limit of a uid
 */
struct kipc_admin_limits {
	uint64_t present[KIPC_ADMIN_PRESENT_WORDS];
	uint32_t uid;
	uint32_t objects;
	uint32_t objects_used;
	uint32_t uid_objects;
	uint64_t bytes;
	uint64_t bytes_used;
	uint64_t uid_bytes;
	uint32_t override;
	uint32_t __reserved;
	/* New fields go here, and only here. */
};

/* Did the kernel report attribute @attr (KIPC_A_LIMITS_*) in @lim? */
static inline int kipc_admin_limits_has(const struct kipc_admin_limits *lim,
					unsigned int attr)
{
	return kipc_admin_present(lim->present, attr);
}

/**
 * kipc_admin_limits_get - the limits of the caller's IPC namespace
 * @ka: the handle
 * @lim: filled in: the namespace's limits, usage and per-uid defaults
 * @size: sizeof(*@lim) as the caller knows it
 *
 * Since LIBKIPC_ADMIN_0.3.
 *
 * Return: 0, or -errno (-EINVAL when @size is too small).
 */
int kipc_admin_limits_get(struct kipc_admin *ka,
			  struct kipc_admin_limits *lim, size_t size);

/**
 * kipc_admin_limits_get_uid - the limits of one uid in the caller's namespace
 * @ka: the handle
 * @uid: the uid, in the caller's user namespace
 * @lim: filled in: that uid's effective limits and usage
 * @size: sizeof(*@lim) as the caller knows it
 *
 * Since LIBKIPC_ADMIN_0.3.
 *
 * Return: 0, or -errno (-EINVAL when @size is too small or @uid does not map
 * into the kernel).
 */
int kipc_admin_limits_get_uid(struct kipc_admin *ka, uint32_t uid,
			      struct kipc_admin_limits *lim, size_t size);

/**
 * typedef kipc_admin_limits_cb - called by kipc_admin_limits_list()
 * @lim: one uid's limits and usage; valid only during the call
 * @arg: the @arg of kipc_admin_limits_list()
 *
 * Return: as for kipc_admin_obj_cb.
 */
typedef int (*kipc_admin_limits_cb)(const struct kipc_admin_limits *lim,
				    void *arg);

/**
 * kipc_admin_limits_list - walk the uids of the caller's namespace that have
 * an override or charged objects, in uid order
 *
 * Since LIBKIPC_ADMIN_0.3.
 *
 * Return: the number of uids passed to @cb, or -errno, or the negative value
 * @cb returned.
 */
int kipc_admin_limits_list(struct kipc_admin *ka, kipc_admin_limits_cb cb,
			   void *arg);

/* What kipc_admin_limits_set() sets, from the fields of its @lim. */
#define KIPC_ADMIN_LIMIT_OBJECTS	(1U << 0)	/* @objects */
#define KIPC_ADMIN_LIMIT_BYTES		(1U << 1)	/* @bytes */
#define KIPC_ADMIN_LIMIT_UID_OBJECTS	(1U << 2)	/* @uid_objects */
#define KIPC_ADMIN_LIMIT_UID_BYTES	(1U << 3)	/* @uid_bytes */
#define KIPC_ADMIN_LIMIT_UID		(1U << 4)	/* for @uid only */
#define KIPC_ADMIN_LIMIT_RESET		(1U << 5)	/* drop what was set */

/**
 * kipc_admin_limits_set - set limits of the caller's IPC namespace
 * @ka: the handle
 * @what: KIPC_ADMIN_LIMIT_* bits
 * @lim: the values, in the fields that @what names
 *
 * Without KIPC_ADMIN_LIMIT_UID, sets the namespace's limits (objects, bytes)
 * and its per-uid defaults (uid_objects, uid_bytes). With it, sets the
 * override of @lim->uid (objects, bytes only). KIPC_ADMIN_LIMIT_RESET drops
 * what was set: the namespace goes back to the module parameters, a uid to
 * the namespace's defaults. New limits apply to the next creation or resize;
 * nothing that exists is taken away. Since LIBKIPC_ADMIN_0.3.
 *
 * Return: 0, or -errno: -EPERM without CAP_NET_ADMIN in the initial user
 * namespace, -EINVAL for an empty or contradictory @what, -ERANGE when a
 * value is out of range (see kipc_admin_errmsg()).
 */
int kipc_admin_limits_set(struct kipc_admin *ka, unsigned int what,
			  const struct kipc_admin_limits *lim);

/**
 * struct kipc_admin_event - one event of the monitor group
 * @event: KIPC_CMD_OBJ_CREATE_NTF, KIPC_CMD_OBJ_UNLINK_NTF,
 *	KIPC_CMD_OBJ_REMOVE_NTF or KIPC_CMD_OBJ_DESTROY_NTF
 * @type: KIPC_OBJ_* type of the object
 * @id: the object's id
 * @ns: inode number of the object's IPC namespace
 * @actor_pid: pid of the task that caused the event, in that task's pid
 *	namespace; 0 when the kernel caused it (a destroy after a deferred close)
 * @actor_uid: its euid, in the user namespace that owns the IPC namespace
 * @name: the object's name
 */
struct kipc_admin_event {
	uint32_t event;
	uint32_t type;
	uint64_t id;
	uint32_t ns;
	uint32_t actor_pid;
	uint32_t actor_uid;
	uint32_t __reserved;
	char name[KIPC_NAME_MAX + 1];
	/* New fields go here, and only here. */
};

/**
 * kipc_admin_monitor_open - a handle subscribed to the monitor group
 * @out: receives the new handle
 *
 * The handle receives the create, unlink, remove and destroy events of the
 * caller's IPC namespace, from now on, in the order they happened. Read them
 * with kipc_admin_monitor_read(); poll kipc_admin_monitor_fd() for POLLIN.
 * Close it with kipc_admin_close(). Since LIBKIPC_ADMIN_0.3.
 *
 * Return: 0, or -errno: -ENOENT when the module is not loaded,
 * -EOPNOTSUPP when the kernel cannot filter events by namespace (before
 * Linux 6.9), so the module offers no monitor group.
 */
int kipc_admin_monitor_open(struct kipc_admin **out);

/**
 * kipc_admin_monitor_fd - the socket of a monitor handle, for poll()
 */
int kipc_admin_monitor_fd(const struct kipc_admin *ka);

/**
 * kipc_admin_monitor_read - read the next event
 * @ka: a handle from kipc_admin_monitor_open()
 * @ev: filled in on success
 * @size: sizeof(*@ev) as the caller knows it
 * @timeout_ms: how long to wait: -1 without end, 0 not at all
 *
 * Since LIBKIPC_ADMIN_0.3.
 *
 * Return: 1 with an event, 0 when @timeout_ms passed without one, or -errno:
 * -ENOBUFS when events were lost because the socket's buffer overran (the
 * next read goes on with the events after the loss), -EINTR when a signal
 * came, -EINVAL when @size is too small.
 */
int kipc_admin_monitor_read(struct kipc_admin *ka,
			    struct kipc_admin_event *ev, size_t size,
			    int timeout_ms);

/**
 * kipc_admin_event_name - "create", "unlink", "remove" or "destroy"
 * @event: the @event of a struct kipc_admin_event
 *
 * Return: a static string, or NULL for an unknown event.
 */
const char *kipc_admin_event_name(uint32_t event);

/**
 * kipc_admin_errmsg - the kernel's explanation of the last failure
 * @ka: the handle
 *
 * Return: the extended ACK message that came with the error of the last
 * request on @ka, or NULL if it came without one or did not fail. The string
 * lives until the next request on @ka.
 */
const char *kipc_admin_errmsg(const struct kipc_admin *ka);

#ifdef __cplusplus
}
#endif

#endif /* LIBKIPC_ADMIN_H */
