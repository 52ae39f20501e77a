// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc stats: usage against the limits, one resource per line, in the shape
 * of `lsipc --global`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kipc-tool.h"

enum {
	COL_RESOURCE,
	COL_DESCRIPTION,
	COL_USED,
	COL_LIMIT,
};

static const struct kt_column kt_stats_columns[] = {
	[COL_RESOURCE]		= { "RESOURCE", 12, 0, SCOLS_JSON_STRING,
				    "resource name" },
	[COL_DESCRIPTION]	= { "DESCRIPTION", 11, 0, SCOLS_JSON_STRING,
				    "resource description" },
	[COL_USED]		= { "USED", 8, SCOLS_FL_RIGHT,
				    SCOLS_JSON_NUMBER, "current usage" },
	[COL_LIMIT]		= { "LIMIT", 8, SCOLS_FL_RIGHT,
				    SCOLS_JSON_NUMBER, "limit" },
};

#define KT_STATS_DEFAULTS "RESOURCE,DESCRIPTION,USED,LIMIT"

/**
 * struct kt_stats_row - one resource
 * @resource: its name
 * @description: what it counts
 * @used: KIPC_A_STATS_* of its usage, or 0 when the module reports none
 * @limit: KIPC_A_STATS_* of its limit, or 0 when it has none
 */
struct kt_stats_row {
	const char *resource;
	const char *description;
	int used;
	int limit;
};

static const struct kt_stats_row kt_stats_rows[] = {
	{ "objects", "objects in this IPC namespace",
	  KIPC_A_STATS_NS_OBJECTS, KIPC_A_STATS_LIMIT_OBJECTS },
	{ "bytes", "bytes charged in this IPC namespace",
	  KIPC_A_STATS_NS_BYTES, KIPC_A_STATS_LIMIT_BYTES },
	{ "mqs", "message queues in this IPC namespace",
	  KIPC_A_STATS_MQS, 0 },
	{ "shms", "shared memory regions in this IPC namespace",
	  KIPC_A_STATS_SHMS, 0 },
	{ "sems", "semaphores in this IPC namespace",
	  KIPC_A_STATS_SEMS, 0 },
	{ "uid-objects", "objects of one user in this IPC namespace",
	  0, KIPC_A_STATS_LIMIT_UID_OBJECTS },
	{ "uid-bytes", "bytes of one user in this IPC namespace",
	  0, KIPC_A_STATS_LIMIT_UID_BYTES },
	{ "all-objects", "objects in all IPC namespaces",
	  KIPC_A_STATS_OBJECTS, 0 },
};

/* The value of attribute @attr, or NULL when it was not reported. */
static char *kt_stats_value(const struct kipc_admin_stats *st, int attr,
			    bool *oom)
{
	uint64_t v;
	char *s;

	*oom = false;
	if (!attr || !kipc_admin_stats_has(st, attr))
		return NULL;
	switch (attr) {
	case KIPC_A_STATS_OBJECTS:
		v = st->objects;
		break;
	case KIPC_A_STATS_MQS:
		v = st->mqs;
		break;
	case KIPC_A_STATS_SHMS:
		v = st->shms;
		break;
	case KIPC_A_STATS_SEMS:
		v = st->sems;
		break;
	case KIPC_A_STATS_NS_OBJECTS:
		v = st->ns_objects;
		break;
	case KIPC_A_STATS_NS_BYTES:
		v = st->ns_bytes;
		break;
	case KIPC_A_STATS_LIMIT_OBJECTS:
		v = st->limit_objects;
		break;
	case KIPC_A_STATS_LIMIT_BYTES:
		v = st->limit_bytes;
		break;
	case KIPC_A_STATS_LIMIT_UID_OBJECTS:
		v = st->limit_uid_objects;
		break;
	case KIPC_A_STATS_LIMIT_UID_BYTES:
		v = st->limit_uid_bytes;
		break;
	default:
		return NULL;
	}
	s = kt_u64(v);
	*oom = !s;
	return s;
}

/* A line of the table: one resource, and the statistics. */
struct kt_stats_rec {
	const struct kt_stats_row *row;
	const struct kipc_admin_stats *st;
};

static char *kt_stats_cell(int col, const void *rec, bool *oom)
{
	const struct kt_stats_rec *r = rec;
	char *s = NULL;

	switch (col) {
	case COL_RESOURCE:
		s = strdup(r->row->resource);
		*oom = !s;
		break;
	case COL_DESCRIPTION:
		s = strdup(r->row->description);
		*oom = !s;
		break;
	case COL_USED:
		s = kt_stats_value(r->st, r->row->used, oom);
		break;
	case COL_LIMIT:
		s = kt_stats_value(r->st, r->row->limit, oom);
		break;
	}
	return s;
}

static int kt_stats_add_line(struct libscols_table *tb,
			     const struct kt_columns *c,
			     const struct kt_stats_row *row,
			     const struct kipc_admin_stats *st)
{
	struct kt_stats_rec r = { .row = row, .st = st };

	return kt_table_add_line(tb, c, kt_stats_cell, &r);
}

static int kt_stats_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	struct kt_columns cols = {
		.cols = kt_stats_columns,
		.ncols = ARRAY_SIZE(kt_stats_columns),
	};
	struct kipc_admin_stats st;
	struct libscols_table *tb;
	struct kipc_admin *ka;
	size_t i;
	int ret;

	ret = kt_cmd_no_args(cmd, argc, argv);
	if (ret >= 0)
		return ret;
	ret = kt_columns_select(&cols, cmd, KT_STATS_DEFAULTS, ~0U);
	if (ret)
		return ret;
	if (kt_connect(&ka))
		return 1;
	ret = kipc_admin_stats(ka, &st, sizeof(st));
	if (ret < 0) {
		ret = kt_admin_err(ka, ret, "cannot get statistics");
		kipc_admin_close(ka);
		return ret;
	}
	kipc_admin_close(ka);
	if (kt_output.prometheus)
		return kt_prom_stats(&st);

	tb = kt_table_new("stats", &cols);
	if (!tb)
		return kt_errno(-ENOMEM, "cannot make the table");
	for (i = 0; i < ARRAY_SIZE(kt_stats_rows); i++) {
		const struct kt_stats_row *row = &kt_stats_rows[i];

		/* Rows of a module too old to report them are left out. */
		if ((!row->used || !kipc_admin_stats_has(&st, row->used)) &&
		    (!row->limit || !kipc_admin_stats_has(&st, row->limit)))
			continue;
		if (kt_stats_add_line(tb, &cols, row, &st)) {
			scols_unref_table(tb);
			return kt_errno(-ENOMEM, "cannot make the table");
		}
	}
	return kt_table_print(tb);
}

static void kt_stats_help(const struct kt_cmd *cmd, FILE *out)
{
	fprintf(out, "Usage: kipc [OPTIONS] %s [OPTIONS]\n\n", cmd->path);
	fprintf(out,
		"Show the usage and limits of the caller's IPC namespace and the\n"
		"number of objects of the whole module. An empty USED or LIMIT\n"
		"means the resource has none.\n");
	kt_help_options(out, cmd->opts);
	kt_help_columns(out, kt_stats_columns,
			ARRAY_SIZE(kt_stats_columns), KT_STATS_DEFAULTS,
			~0U);
}

const struct kt_cmd kt_stats_cmd = {
	.name = "stats",
	.path = "stats",
	.summary = "usage and limits of this IPC namespace",
	.opts = KT_OPTS_TABLE | KT_OPTS_FORMAT,
	.run = kt_stats_run,
	.help = kt_stats_help,
};
