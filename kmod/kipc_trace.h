/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kipc: tracepoints (system "kipc"), defined in trace.c.
 *
 * The field names are ABI: kipc(7) documents them, and bpftrace scripts
 * read them as args.NAME. Add fields; never rename or drop one.
 *
 * An event costs nothing while it is off (a static key): the callers pass
 * what they already have, and everything else (names, times, the
 * namespace) is read in TP_fast_assign(), which runs only when the event
 * is on. The one exception is a queue's message stamp, see
 * kipc_trace_mq_stamp().
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kipc

#if !defined(_KIPC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KIPC_TRACE_H

#include <linux/ktime.h>
#include <linux/tracepoint.h>
#include <linux/user_namespace.h>

#include "compat.h"
#include "kipc_private.h"

#define kipc_trace_show_type(type)					\
	__print_symbolic(type, { KIPC_OBJ_MQ, "mq" },			\
			 { KIPC_OBJ_SHM, "shm" }, { KIPC_OBJ_SEM, "sem" })

/* create, unlink, remove and destroy: what the object is. */
DECLARE_EVENT_CLASS(kipc_obj_class,
	TP_PROTO(const struct kipc_object *obj),
	TP_ARGS(obj),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u32, type)
		__field(u32, ipc_ns)
		__field(u32, uid)
		__string(name, obj->name)
	),
	TP_fast_assign(
		__entry->id = obj->id;
		__entry->type = obj->ops->type;
		__entry->ipc_ns = obj->ipc_ns->ns.inum;
		__entry->uid = from_kuid(&init_user_ns, obj->uid);
		kipc_assign_str(name, obj->name);
	),
	TP_printk("id=%llu type=%s name=%s ipc_ns=%u uid=%u",
		  __entry->id, kipc_trace_show_type(__entry->type),
		  __get_str(name), __entry->ipc_ns, __entry->uid)
);

/* A new object was published under its name (registry.c). */
DEFINE_EVENT(kipc_obj_class, kipc_create,
	TP_PROTO(const struct kipc_object *obj),
	TP_ARGS(obj)
);

/* Its name was removed: KIPC_IOC_UNLINK, an admin remove or the reaper. */
DEFINE_EVENT(kipc_obj_class, kipc_unlink,
	TP_PROTO(const struct kipc_object *obj),
	TP_ARGS(obj)
);

/* An administrator removed it (netlink). */
DEFINE_EVENT(kipc_obj_class, kipc_remove,
	TP_PROTO(const struct kipc_object *obj),
	TP_ARGS(obj)
);

/* Its last reference went: unpublished, about to be freed. */
DEFINE_EVENT(kipc_obj_class, kipc_destroy,
	TP_PROTO(const struct kipc_object *obj),
	TP_ARGS(obj)
);

/* KIPC_IOC_OPEN gave a new fd for the object, which it may have created. */
TRACE_EVENT(kipc_open,
	TP_PROTO(const struct kipc_object *obj, u32 flags, bool created,
		 int fd),
	TP_ARGS(obj, flags, created, fd),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u32, type)
		__field(u32, flags)
		__field(int, fd)
		__field(bool, created)
		__string(name, obj->name)
	),
	TP_fast_assign(
		__entry->id = obj->id;
		__entry->type = obj->ops->type;
		__entry->flags = flags;
		__entry->fd = fd;
		__entry->created = created;
		kipc_assign_str(name, obj->name);
	),
	TP_printk("id=%llu type=%s name=%s flags=%#x fd=%d created=%d",
		  __entry->id, kipc_trace_show_type(__entry->type),
		  __get_str(name), __entry->flags, __entry->fd,
		  __entry->created)
);

/* A message went into the queue or to a waiting receiver. */
TRACE_EVENT(kipc_mq_send,
	TP_PROTO(const struct kipc_object *obj, u32 len, u32 prio),
	TP_ARGS(obj, len, prio),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u32, len)
		__field(u32, prio)
		__string(name, obj->name)
	),
	TP_fast_assign(
		__entry->id = obj->id;
		__entry->len = len;
		__entry->prio = prio;
		kipc_assign_str(name, obj->name);
	),
	TP_printk("id=%llu name=%s len=%u prio=%u", __entry->id,
		  __get_str(name), __entry->len, __entry->prio)
);

/*
 * A KIPC_MQ_FULL_DROP queue dropped a message, unreceived, to make room
 * for a newer one.
 */
TRACE_EVENT(kipc_mq_drop,
	TP_PROTO(const struct kipc_object *obj, u32 len, u32 prio),
	TP_ARGS(obj, len, prio),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u32, len)
		__field(u32, prio)
		__string(name, obj->name)
	),
	TP_fast_assign(
		__entry->id = obj->id;
		__entry->len = len;
		__entry->prio = prio;
		kipc_assign_str(name, obj->name);
	),
	TP_printk("id=%llu name=%s len=%u prio=%u", __entry->id,
		  __get_str(name), __entry->len, __entry->prio)
);

/*
 * A message was received (copied out). @qtime is its stamp (struct
 * kipc_msg.qtime): queue_ns is the time since, or 0 when it was sent while
 * this event was off.
 */
TRACE_EVENT(kipc_mq_receive,
	TP_PROTO(const struct kipc_object *obj, u32 len, u32 prio, u64 qtime),
	TP_ARGS(obj, len, prio, qtime),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u64, queue_ns)
		__field(u32, len)
		__field(u32, prio)
		__string(name, obj->name)
	),
	TP_fast_assign(
		__entry->id = obj->id;
		__entry->queue_ns = qtime ? ktime_get_ns() - qtime : 0;
		__entry->len = len;
		__entry->prio = prio;
		kipc_assign_str(name, obj->name);
	),
	TP_printk("id=%llu name=%s len=%u prio=%u queue_ns=%llu",
		  __entry->id, __get_str(name), __entry->len, __entry->prio,
		  __entry->queue_ns)
);

/*
 * A semaphore wait took its units. waited_ns is the time asleep (from
 * kipc_wait_locked() to now), 0 when it did not sleep or slept while this
 * event was off; a spin before it is kipc_spin's.
 */
TRACE_EVENT(kipc_sem_wait,
	TP_PROTO(const struct kipc_object *obj, u32 count,
		 const struct kipc_waiter *w, bool undo, bool recovered),
	TP_ARGS(obj, count, w, undo, recovered),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u64, waited_ns)
		__field(u32, count)
		__field(bool, undo)
		__field(bool, recovered)
		__string(name, obj->name)
	),
	TP_fast_assign(
		__entry->id = obj->id;
		__entry->waited_ns = w->sleep_ns ?
			ktime_get_ns() - w->sleep_ns : 0;
		__entry->count = count;
		__entry->undo = undo;
		__entry->recovered = recovered;
		kipc_assign_str(name, obj->name);
	),
	TP_printk("id=%llu name=%s count=%u waited_ns=%llu undo=%d recovered=%d",
		  __entry->id, __get_str(name), __entry->count,
		  __entry->waited_ns, __entry->undo, __entry->recovered)
);

/* A post added its units (before handing them to waiters). */
TRACE_EVENT(kipc_sem_post,
	TP_PROTO(const struct kipc_object *obj, u32 count),
	TP_ARGS(obj, count),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u32, count)
		__string(name, obj->name)
	),
	TP_fast_assign(
		__entry->id = obj->id;
		__entry->count = count;
		kipc_assign_str(name, obj->name);
	),
	TP_printk("id=%llu name=%s count=%u", __entry->id, __get_str(name),
		  __entry->count)
);

/*
 * A semaphore multi-operation (KIPC_IOC_SEM_MULTI) applied: id and name
 * are its semaphore of the lowest id; ops = takes + gives + zeros (waits
 * for zero); retries counts the times it was woken and tried again before
 * it could go (0: at once).
 */
TRACE_EVENT(kipc_sem_multi,
	TP_PROTO(const struct kipc_object *obj, u32 ops, u32 takes, u32 gives,
		 u32 zeros, u32 retries, bool recovered),
	TP_ARGS(obj, ops, takes, gives, zeros, retries, recovered),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u32, ops)
		__field(u32, takes)
		__field(u32, gives)
		__field(u32, zeros)
		__field(u32, retries)
		__field(bool, recovered)
		__string(name, obj->name)
	),
	TP_fast_assign(
		__entry->id = obj->id;
		__entry->ops = ops;
		__entry->takes = takes;
		__entry->gives = gives;
		__entry->zeros = zeros;
		__entry->retries = retries;
		__entry->recovered = recovered;
		kipc_assign_str(name, obj->name);
	),
	TP_printk("id=%llu name=%s ops=%u takes=%u gives=%u zeros=%u retries=%u recovered=%d",
		  __entry->id, __get_str(name), __entry->ops, __entry->takes,
		  __entry->gives, __entry->zeros, __entry->retries,
		  __entry->recovered)
);

/*
 * A released description's undo record was posted back: units came back
 * (held is what it held; the value's maximum may have clipped it).
 */
TRACE_EVENT(kipc_sem_undo,
	TP_PROTO(const struct kipc_object *obj, u64 held, u32 units),
	TP_ARGS(obj, held, units),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u64, held)
		__field(u32, units)
		__string(name, obj->name)
	),
	TP_fast_assign(
		__entry->id = obj->id;
		__entry->held = held;
		__entry->units = units;
		kipc_assign_str(name, obj->name);
	),
	TP_printk("id=%llu name=%s held=%llu units=%u", __entry->id,
		  __get_str(name), __entry->held, __entry->units)
);

/*
 * A spin before a sleep ended (wait.c): got says whether what the task
 * waited for came (it then takes it without sleeping), else it goes on to
 * sleep, time out or take its signal.
 */
TRACE_EVENT(kipc_spin,
	TP_PROTO(u64 start_ns, bool got),
	TP_ARGS(start_ns, got),
	TP_STRUCT__entry(
		__field(u64, spun_ns)
		__field(bool, got)
	),
	TP_fast_assign(
		__entry->spun_ns = ktime_get_ns() - start_ns;
		__entry->got = got;
	),
	TP_printk("spun_ns=%llu got=%d", __entry->spun_ns, __entry->got)
);

#endif /* _KIPC_TRACE_H */

#ifndef _KIPC_TRACE_HELPERS_H
#define _KIPC_TRACE_HELPERS_H
/*
 * A message's time in the queue needs its enqueue time, which nothing else
 * uses: it is stamped only while kipc_mq_receive is on, and is 0 otherwise
 * (set at allocation).
 */
static inline void kipc_trace_mq_stamp(u64 *qtime)
{
	if (trace_kipc_mq_receive_enabled())
		*qtime = ktime_get_ns();
}

/* Whether a sleeping wait should note when it went to sleep. */
static inline bool kipc_trace_wait_timed(void)
{
	return trace_kipc_sem_wait_enabled();
}
#endif

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE kipc_trace
#include <trace/define_trace.h>
