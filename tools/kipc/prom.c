// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: `kipc stats --format prometheus` and `kipc list --format prometheus`,
 * the Prometheus text exposition format (version 0.0.4), for
 * node_exporter's textfile collector:
 *
 *	# HELP kipc_mq_sent_messages_total Messages sent to a queue.
 *	# TYPE kipc_mq_sent_messages_total counter
 *	kipc_mq_sent_messages_total{id="3",name="jobs",ns="4026531839"} 12
 *
 * Each family is written whole, its HELP and TYPE first, as the format
 * requires; counters end in _total, sizes are in bytes. Label values escape
 * backslash, double quote and newline. A statistic the module did not
 * report is left out (its family too, when no object has it).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kipc-tool.h"

/**
 * struct kt_prom_metric - one family
 * @name: its name
 * @type: "gauge" or "counter"
 * @help: its HELP text
 * @obj_type: KIPC_OBJ_* of the objects that have it, 0 for all
 * @attr: KIPC_A_OBJ_* (or KIPC_A_STATS_*) of the value
 * @off: offset of the value in the structure
 * @wide: the value is a uint64_t, not a uint32_t
 * @pages: the value is in pages, reported in bytes
 */
struct kt_prom_metric {
	const char *name;
	const char *type;
	const char *help;
	unsigned int obj_type;
	unsigned int attr;
	size_t off;
	bool wide;
	bool pages;
};

#define O32(n, t, h, ot, a, m) { n, t, h, ot, a,			\
	offsetof(struct kipc_admin_obj, m), false, false }
#define O64(n, t, h, ot, a, m) { n, t, h, ot, a,			\
	offsetof(struct kipc_admin_obj, m), true, false }
#define OPG(n, t, h, ot, a, m) { n, t, h, ot, a,			\
	offsetof(struct kipc_admin_obj, m), true, true }
#define S32(n, h, a, m) { n, "gauge", h, 0, a,				\
	offsetof(struct kipc_admin_stats, m), false, false }
#define S64(n, h, a, m) { n, "gauge", h, 0, a,				\
	offsetof(struct kipc_admin_stats, m), true, false }

static const struct kt_prom_metric kt_prom_obj_metrics[] = {
	O64("kipc_object_charged_bytes", "gauge",
	    "Bytes an object charges to the limits.", 0, KIPC_A_OBJ_BYTES,
	    bytes),
	O32("kipc_mq_messages", "gauge", "Messages queued now.",
	    KIPC_OBJ_MQ, KIPC_A_OBJ_MQ_DEPTH, mq_depth),
	O32("kipc_mq_max_messages", "gauge", "Capacity of a queue, in messages.",
	    KIPC_OBJ_MQ, KIPC_A_OBJ_MQ_MAX_MSGS, mq_max_msgs),
	O32("kipc_mq_high_water_messages", "gauge",
	    "Most messages ever queued at once.", KIPC_OBJ_MQ,
	    KIPC_A_OBJ_MQ_HWM, mq_hwm),
	O64("kipc_mq_queued_bytes", "gauge", "Payload bytes queued now.",
	    KIPC_OBJ_MQ, KIPC_A_OBJ_MQ_BYTES, mq_bytes),
	O64("kipc_mq_sent_messages_total", "counter",
	    "Messages sent to a queue.", KIPC_OBJ_MQ, KIPC_A_OBJ_MQ_SENDS,
	    mq_sends),
	O64("kipc_mq_received_messages_total", "counter",
	    "Messages received from a queue.", KIPC_OBJ_MQ,
	    KIPC_A_OBJ_MQ_RECVS, mq_recvs),
	O64("kipc_mq_dropped_messages_total", "counter",
	    "Messages a drop-oldest queue dropped to make room.", KIPC_OBJ_MQ,
	    KIPC_A_OBJ_MQ_DROPS, mq_drops),
	O32("kipc_mq_blocked_senders", "gauge",
	    "Senders blocked on a full queue now.", KIPC_OBJ_MQ,
	    KIPC_A_OBJ_MQ_WAIT_SEND, mq_wait_send),
	O32("kipc_mq_blocked_receivers", "gauge",
	    "Receivers blocked on an empty queue now.", KIPC_OBJ_MQ,
	    KIPC_A_OBJ_MQ_WAIT_RECV, mq_wait_recv),
	O64("kipc_shm_size_bytes", "gauge", "Size of a region.", KIPC_OBJ_SHM,
	    KIPC_A_OBJ_SHM_SIZE, shm_size),
	OPG("kipc_shm_resident_bytes", "gauge",
	    "Memory of a region resident now.", KIPC_OBJ_SHM,
	    KIPC_A_OBJ_SHM_RESIDENT, shm_resident),
	OPG("kipc_shm_swapped_bytes", "gauge",
	    "Memory of a region swapped out now.", KIPC_OBJ_SHM,
	    KIPC_A_OBJ_SHM_SWAPPED, shm_swapped),
	O32("kipc_shm_mappings", "gauge",
	    "Mappings of a region now, in all processes.", KIPC_OBJ_SHM,
	    KIPC_A_OBJ_SHM_NATTCH, shm_nattch),
	O32("kipc_sem_value", "gauge", "Value of a semaphore.", KIPC_OBJ_SEM,
	    KIPC_A_OBJ_SEM_VALUE, sem_value),
	O32("kipc_sem_waiters", "gauge", "Tasks waiting on a semaphore now.",
	    KIPC_OBJ_SEM, KIPC_A_OBJ_SEM_WAITERS, sem_waiters),
	O32("kipc_sem_zero_waiters", "gauge",
	    "Tasks waiting for a semaphore to be 0 now.", KIPC_OBJ_SEM,
	    KIPC_A_OBJ_SEM_ZERO_WAITERS, sem_zero_waiters),
	O64("kipc_sem_waits_total", "counter", "Successful waits.",
	    KIPC_OBJ_SEM, KIPC_A_OBJ_SEM_WAITS, sem_waits),
	O64("kipc_sem_posts_total", "counter", "Posts.", KIPC_OBJ_SEM,
	    KIPC_A_OBJ_SEM_POSTS, sem_posts),
	O64("kipc_sem_timeouts_total", "counter", "Waits that timed out.",
	    KIPC_OBJ_SEM, KIPC_A_OBJ_SEM_TIMEOUTS, sem_timeouts),
	O64("kipc_sem_undo_units", "gauge", "Units held under undo now.",
	    KIPC_OBJ_SEM, KIPC_A_OBJ_SEM_UNDO_UNITS, sem_undo_units),
	O64("kipc_sem_recovered_units_total", "counter",
	    "Units undo gave back after their holders died.", KIPC_OBJ_SEM,
	    KIPC_A_OBJ_SEM_RECOVERED, sem_recovered),
};

static const struct kt_prom_metric kt_prom_stats_metrics[] = {
	S32("kipc_objects", "Objects in all IPC namespaces.",
	    KIPC_A_STATS_OBJECTS, objects),
	S32("kipc_namespace_objects", "Objects in this IPC namespace.",
	    KIPC_A_STATS_NS_OBJECTS, ns_objects),
	S64("kipc_namespace_charged_bytes",
	    "Bytes charged in this IPC namespace.", KIPC_A_STATS_NS_BYTES,
	    ns_bytes),
	S32("kipc_namespace_mqs", "Message queues in this IPC namespace.",
	    KIPC_A_STATS_MQS, mqs),
	S32("kipc_namespace_shms",
	    "Shared memory regions in this IPC namespace.", KIPC_A_STATS_SHMS,
	    shms),
	S32("kipc_namespace_sems", "Semaphores in this IPC namespace.",
	    KIPC_A_STATS_SEMS, sems),
	S32("kipc_limit_objects", "Limit on objects in this IPC namespace.",
	    KIPC_A_STATS_LIMIT_OBJECTS, limit_objects),
	S64("kipc_limit_bytes", "Limit on bytes in this IPC namespace.",
	    KIPC_A_STATS_LIMIT_BYTES, limit_bytes),
	S32("kipc_limit_uid_objects",
	    "Limit on one user's objects in this IPC namespace.",
	    KIPC_A_STATS_LIMIT_UID_OBJECTS, limit_uid_objects),
	S64("kipc_limit_uid_bytes",
	    "Limit on one user's bytes in this IPC namespace.",
	    KIPC_A_STATS_LIMIT_UID_BYTES, limit_uid_bytes),
};

static uint64_t kt_prom_value(const struct kt_prom_metric *m,
			      const void *rec)
{
	static uint64_t page_size;
	uint64_t v;
	uint32_t v32;

	if (m->wide) {
		memcpy(&v, (const char *)rec + m->off, sizeof(v));
	} else {
		memcpy(&v32, (const char *)rec + m->off, sizeof(v32));
		v = v32;
	}
	if (m->pages) {
		if (!page_size)
			page_size = sysconf(_SC_PAGESIZE);
		v *= page_size;
	}
	return v;
}

/* @s as a label value: backslash, double quote and newline escaped. */
static void kt_prom_label(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '"')
			fputs("\\\"", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void kt_prom_family(FILE *out, const struct kt_prom_metric *m)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", m->name, m->help,
		m->name, m->type);
}

int kt_prom_stats(const struct kipc_admin_stats *st)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kt_prom_stats_metrics); i++) {
		const struct kt_prom_metric *m = &kt_prom_stats_metrics[i];

		if (!kipc_admin_stats_has(st, m->attr))
			continue;
		kt_prom_family(stdout, m);
		printf("%s %" PRIu64 "\n", m->name, kt_prom_value(m, st));
	}
	return 0;
}

/* The objects of one listing. */
struct kt_prom_objs {
	struct kipc_admin_obj *v;
	size_t n, cap;
};

static int kt_prom_collect(const struct kipc_admin_obj *obj, void *arg)
{
	struct kt_prom_objs *o = arg;
	struct kipc_admin_obj *v;

	if (o->n == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 32;

		v = realloc(o->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = *obj;
	return 0;
}

static void kt_prom_obj_sample(FILE *out, const struct kt_prom_metric *m,
			       const struct kipc_admin_obj *obj)
{
	const char *type = kipc_type_name(obj->type);

	fprintf(out, "%s{type=\"%s\",id=\"%" PRIu64 "\",name=\"", m->name,
		type ? type : "unknown", obj->id);
	kt_prom_label(out, obj->name);
	fprintf(out, "\",ns=\"%" PRIu32 "\"} %" PRIu64 "\n", obj->ns,
		kt_prom_value(m, obj));
}

/* Every object of type @type (0: all) as samples. Returns an exit status. */
int kt_prom_list(unsigned int type)
{
	struct kt_prom_objs o = { 0 };
	struct kipc_admin *ka;
	size_t i, j;
	bool any;
	int ret;

	if (kt_connect(&ka))
		return 1;
	ret = kipc_admin_list_type(ka, type, kt_prom_collect, &o);
	if (ret < 0) {
		ret = kt_admin_err(ka, ret, "cannot list objects");
		kipc_admin_close(ka);
		free(o.v);
		return ret;
	}
	kipc_admin_close(ka);
	for (i = 0; i < ARRAY_SIZE(kt_prom_obj_metrics); i++) {
		const struct kt_prom_metric *m = &kt_prom_obj_metrics[i];

		any = false;
		for (j = 0; j < o.n; j++) {
			const struct kipc_admin_obj *obj = &o.v[j];

			if ((m->obj_type && obj->type != m->obj_type) ||
			    !kipc_admin_obj_has(obj, m->attr))
				continue;
			if (!any)
				kt_prom_family(stdout, m);
			any = true;
			kt_prom_obj_sample(stdout, m, obj);
		}
	}
	free(o.v);
	return 0;
}
