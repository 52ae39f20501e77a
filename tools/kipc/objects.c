// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the objects of the caller's IPC namespace as tables: `kipc list` for
 * all of them, and `kipc mq|shm|sem list` for one type; `kipc mq|shm|sem
 * show` for their statistics; and `kipc mq|shm|sem destroy`, the admin
 * removal. All of them go through netlink, libkipc-admin.
 *
 * The commands of the typed objects, these and those of the data path (in a
 * file per type), make up the command tables at the end of this file.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kipc-tool.h"

#define TYPE_BIT(t)	(1U << (t))
#define ALL_TYPES	(TYPE_BIT(KIPC_OBJ_MQ) | TYPE_BIT(KIPC_OBJ_SHM) | \
			 TYPE_BIT(KIPC_OBJ_SEM))

enum {
	COL_TYPE,
	COL_ID,
	COL_NAME,
	COL_OWNER,
	COL_GROUP,
	COL_PERMS,
	COL_NS,
	COL_UID,
	COL_GID,
	COL_CUID,
	COL_CGID,
	COL_CPID,
	COL_CTIME,
	COL_STATE,
	COL_BYTES,
	COL_MAXMSGS,
	COL_MSGSIZE,
	COL_MSGS,
	COL_USEDBYTES,
	COL_HWM,
	COL_SEND,
	COL_RECV,
	COL_WAITSEND,
	COL_WAITRECV,
	COL_LSPID,
	COL_LRPID,
	COL_STIME,
	COL_RTIME,
	COL_SIZE,
	COL_RSS,
	COL_SWAP,
	COL_NATTCH,
	COL_SEALS,
	COL_ATIME,
	COL_DTIME,
	COL_VALUE,
	COL_NCOUNT,
	COL_WAITS,
	COL_POSTS,
	COL_TIMEOUTS,
	COL_UNDOHOLDERS,
	COL_UNDOUNITS,
	COL_RECOVERED,
	COL_OTIME,
	COL_LPID,
};

/*
 * Width hints are absolute, not shares of the terminal: given a share,
 * libsmartcols squeezes a column to it when the table is wider than the
 * terminal and moves a long name onto a line of its own. An over-wide line
 * is easier to read, and `less -S` handles it.
 */
#define NUM	SCOLS_JSON_NUMBER
#define STR	SCOLS_JSON_STRING
#define RIGHT	SCOLS_FL_RIGHT
#define SHM	TYPE_BIT(KIPC_OBJ_SHM)
#define SEM	TYPE_BIT(KIPC_OBJ_SEM)

const struct kipc_column kipc_obj_columns[] = {
	[COL_TYPE]	= { "TYPE", 4, 0, STR,
			    "object type: mq, shm or sem" },
	[COL_ID]	= { "ID", 4, RIGHT, NUM,
			    "object id, unique while the module is loaded" },
	[COL_NAME]	= { "NAME", 4, 0, STR, "object name" },
	[COL_OWNER]	= { "OWNER", 5, 0, STR,
			    "owner: user name, or uid" },
	[COL_GROUP]	= { "GROUP", 5, 0, STR,
			    "group: group name, or gid" },
	[COL_PERMS]	= { "PERMS", 9, 0, STR, "permissions" },
	[COL_NS]	= { "NS", 10, RIGHT, NUM,
			    "IPC namespace (inode number)" },
	[COL_UID]	= { "UID", 5, RIGHT, NUM, "owner uid" },
	[COL_GID]	= { "GID", 5, RIGHT, NUM, "owner gid" },
	[COL_CUID]	= { "CUID", 5, RIGHT, NUM, "creator uid" },
	[COL_CGID]	= { "CGID", 5, RIGHT, NUM, "creator gid" },
	[COL_CPID]	= { "CPID", 5, RIGHT, NUM,
			    "creator pid (in this PID namespace)" },
	[COL_CTIME]	= { "CTIME", 24, 0, STR, "creation time" },
	[COL_STATE]	= { "STATE", 8, 0, STR,
			    "linked, unlinked (name gone, still open) or removed" },
	[COL_BYTES]	= { "BYTES", 6, RIGHT, NUM,
			    "bytes charged to the limits" },
	[COL_MAXMSGS]	= { "MAXMSGS", 7, RIGHT, NUM,
			    "queue capacity, in messages",
			    TYPE_BIT(KIPC_OBJ_MQ) },
	[COL_MSGSIZE]	= { "MSGSIZE", 7, RIGHT, NUM,
			    "largest message of a queue, in bytes",
			    TYPE_BIT(KIPC_OBJ_MQ) },
	[COL_MSGS]	= { "MSGS", 4, RIGHT, NUM, "messages queued now",
			    TYPE_BIT(KIPC_OBJ_MQ) },
	[COL_USEDBYTES]	= { "USEDBYTES", 9, RIGHT, NUM,
			    "payload bytes queued now", TYPE_BIT(KIPC_OBJ_MQ) },
	[COL_HWM]	= { "HWM", 3, RIGHT, NUM,
			    "most messages ever queued at once",
			    TYPE_BIT(KIPC_OBJ_MQ) },
	[COL_SEND]	= { "SEND", 4, RIGHT, NUM,
			    "messages sent (a count, not lsipc's time)",
			    TYPE_BIT(KIPC_OBJ_MQ) },
	[COL_RECV]	= { "RECV", 4, RIGHT, NUM, "messages received",
			    TYPE_BIT(KIPC_OBJ_MQ) },
	[COL_WAITSEND]	= { "WAITSEND", 8, RIGHT, NUM,
			    "senders blocked on a full queue now",
			    TYPE_BIT(KIPC_OBJ_MQ) },
	[COL_WAITRECV]	= { "WAITRECV", 8, RIGHT, NUM,
			    "receivers blocked on an empty queue now",
			    TYPE_BIT(KIPC_OBJ_MQ) },
	[COL_LSPID]	= { "LSPID", 5, RIGHT, NUM,
			    "last sender's pid; 0: none, or not visible",
			    TYPE_BIT(KIPC_OBJ_MQ) },
	[COL_LRPID]	= { "LRPID", 5, RIGHT, NUM,
			    "last receiver's pid; 0: none, or not visible",
			    TYPE_BIT(KIPC_OBJ_MQ) },
	[COL_STIME]	= { "STIME", 24, 0, STR, "time of the last send",
			    TYPE_BIT(KIPC_OBJ_MQ) },
	[COL_RTIME]	= { "RTIME", 24, 0, STR, "time of the last receive",
			    TYPE_BIT(KIPC_OBJ_MQ) },
	[COL_SIZE]	= { "SIZE", 5, RIGHT, NUM, "region size",
			    SHM, true },
	[COL_RSS]	= { "RSS", 5, RIGHT, NUM,
			    "region memory resident now", SHM, true },
	[COL_SWAP]	= { "SWAP", 5, RIGHT, NUM,
			    "region memory swapped out now", SHM, true },
	[COL_NATTCH]	= { "NATTCH", 6, RIGHT, NUM,
			    "mappings of the region now, in all processes",
			    SHM },
	[COL_SEALS]	= { "SEALS", 5, 0, STR,
			    "seals: seal, shrink, grow, write, future-write",
			    SHM },
	[COL_ATIME]	= { "ATIME", 24, 0, STR,
			    "time of the last mapping", SHM },
	[COL_DTIME]	= { "DTIME", 24, 0, STR,
			    "time of the last unmapping", SHM },
	[COL_VALUE]	= { "VALUE", 5, RIGHT, NUM, "semaphore value", SEM },
	[COL_NCOUNT]	= { "NCOUNT", 6, RIGHT, NUM,
			    "tasks waiting on the semaphore now", SEM },
	[COL_WAITS]	= { "WAITS", 5, RIGHT, NUM, "successful waits", SEM },
	[COL_POSTS]	= { "POSTS", 5, RIGHT, NUM, "posts", SEM },
	[COL_TIMEOUTS]	= { "TIMEOUTS", 8, RIGHT, NUM,
			    "waits that timed out", SEM },
	[COL_UNDOHOLDERS] = { "UNDOHOLDERS", 11, RIGHT, NUM,
			      "open descriptions holding units under undo",
			      SEM },
	[COL_UNDOUNITS]	= { "UNDOUNITS", 9, RIGHT, NUM,
			    "units held under undo now", SEM },
	[COL_RECOVERED]	= { "RECOVERED", 9, RIGHT, NUM,
			    "units undo gave back after their holders died",
			    SEM },
	[COL_OTIME]	= { "OTIME", 24, 0, STR,
			    "time of the last wait or post", SEM },
	[COL_LPID]	= { "LPID", 5, RIGHT, NUM,
			    "last pid to map (shm), or to wait or post (sem)",
			    SHM | SEM },
};

const size_t kipc_obj_ncolumns = ARRAY_SIZE(kipc_obj_columns);

static char *kipc_obj_state(uint32_t state)
{
	uint32_t rest = state & ~(KIPC_STATE_UNLINKED | KIPC_STATE_REMOVED);
	const char *word;
	char *s;

	/* Removal unlinks too: "removed" says both. */
	if (state & KIPC_STATE_REMOVED)
		word = "removed";
	else if (state & KIPC_STATE_UNLINKED)
		word = "unlinked";
	else
		word = "linked";
	if (!rest)
		return strdup(word);
	/* Bits a newer module added: show them rather than hide them. */
	if (asprintf(&s, "%s,0x%" PRIx32, word, rest) < 0)
		return NULL;
	return s;
}

static char *kipc_obj_u32(const struct kipc_admin_obj *obj, int attr,
			  uint32_t v)
{
	return kipc_admin_obj_has(obj, attr) ? kipc_u64(v) : NULL;
}

static char *kipc_obj_u64(const struct kipc_admin_obj *obj, int attr,
			  uint64_t v)
{
	return kipc_admin_obj_has(obj, attr) ? kipc_u64(v) : NULL;
}

/* A time, or an empty cell (null) for never, which a time of 0 means. */
static char *kipc_obj_time(const struct kipc_admin_obj *obj, int attr,
			   uint64_t ns, bool *oom)
{
	char *s;

	if (!kipc_admin_obj_has(obj, attr) || !ns)
		return NULL;
	s = kipc_time(ns);
	*oom = !s;
	return s;
}

/* A size in bytes, or in pages of this machine's size. */
static char *kipc_obj_size(const struct kipc_admin_obj *obj, int attr,
			   uint64_t v, bool pages, bool *oom)
{
	static uint64_t page_size;
	char *s;

	if (!kipc_admin_obj_has(obj, attr))
		return NULL;
	if (pages) {
		if (!page_size)
			page_size = sysconf(_SC_PAGESIZE);
		v *= page_size;
	}
	s = kipc_size(v);
	*oom = !s;
	return s;
}

/*
 * The text of one cell, or NULL for an empty one: an attribute the module
 * did not report, or that does not belong to the object's type. *@oom is
 * set when NULL means out of memory instead.
 */
static char *kipc_obj_cell(int col, const struct kipc_admin_obj *obj,
			   bool *oom)
{
	const char *type;
	char *s = NULL;

	*oom = false;
	switch (col) {
	case COL_TYPE:
		type = kipc_type_name(obj->type);
		if (type)
			s = strdup(type);
		else if (asprintf(&s, "%" PRIu32, obj->type) < 0)
			s = NULL;
		break;
	case COL_ID:
		s = kipc_u64(obj->id);
		break;
	case COL_NAME:
		s = strdup(obj->name);
		break;
	case COL_OWNER:
		if (!kipc_admin_obj_has(obj, KIPC_A_OBJ_UID))
			return NULL;
		s = kipc_user_name(obj->uid);
		break;
	case COL_GROUP:
		if (!kipc_admin_obj_has(obj, KIPC_A_OBJ_GID))
			return NULL;
		s = kipc_group_name(obj->gid);
		break;
	case COL_PERMS:
		if (!kipc_admin_obj_has(obj, KIPC_A_OBJ_MODE))
			return NULL;
		s = kipc_perms(obj->mode, kipc_output.numeric_perms);
		break;
	case COL_NS:
		return kipc_obj_u32(obj, KIPC_A_OBJ_NS, obj->ns);
	case COL_UID:
		return kipc_obj_u32(obj, KIPC_A_OBJ_UID, obj->uid);
	case COL_GID:
		return kipc_obj_u32(obj, KIPC_A_OBJ_GID, obj->gid);
	case COL_CUID:
		return kipc_obj_u32(obj, KIPC_A_OBJ_CUID, obj->cuid);
	case COL_CGID:
		return kipc_obj_u32(obj, KIPC_A_OBJ_CGID, obj->cgid);
	case COL_CPID:
		return kipc_obj_u32(obj, KIPC_A_OBJ_CPID, obj->cpid);
	case COL_CTIME:
		if (!kipc_admin_obj_has(obj, KIPC_A_OBJ_CTIME))
			return NULL;
		s = kipc_time(obj->ctime_ns);
		break;
	case COL_STATE:
		if (!kipc_admin_obj_has(obj, KIPC_A_OBJ_STATE))
			return NULL;
		s = kipc_obj_state(obj->state);
		break;
	case COL_BYTES:
		return kipc_obj_u64(obj, KIPC_A_OBJ_BYTES, obj->bytes);
	case COL_MAXMSGS:
		return kipc_obj_u32(obj, KIPC_A_OBJ_MQ_MAX_MSGS,
				    obj->mq_max_msgs);
	case COL_MSGSIZE:
		return kipc_obj_u32(obj, KIPC_A_OBJ_MQ_MAX_MSGSIZE,
				    obj->mq_max_msgsize);
	case COL_MSGS:
		return kipc_obj_u32(obj, KIPC_A_OBJ_MQ_DEPTH, obj->mq_depth);
	case COL_USEDBYTES:
		return kipc_obj_u64(obj, KIPC_A_OBJ_MQ_BYTES, obj->mq_bytes);
	case COL_HWM:
		return kipc_obj_u32(obj, KIPC_A_OBJ_MQ_HWM, obj->mq_hwm);
	case COL_SEND:
		return kipc_obj_u64(obj, KIPC_A_OBJ_MQ_SENDS, obj->mq_sends);
	case COL_RECV:
		return kipc_obj_u64(obj, KIPC_A_OBJ_MQ_RECVS, obj->mq_recvs);
	case COL_WAITSEND:
		return kipc_obj_u32(obj, KIPC_A_OBJ_MQ_WAIT_SEND,
				    obj->mq_wait_send);
	case COL_WAITRECV:
		return kipc_obj_u32(obj, KIPC_A_OBJ_MQ_WAIT_RECV,
				    obj->mq_wait_recv);
	case COL_LSPID:
		return kipc_obj_u32(obj, KIPC_A_OBJ_MQ_LSPID, obj->mq_lspid);
	case COL_LRPID:
		return kipc_obj_u32(obj, KIPC_A_OBJ_MQ_LRPID, obj->mq_lrpid);
	case COL_STIME:
		/* Never is an empty cell (null), as a time of 0 means. */
		if (!kipc_admin_obj_has(obj, KIPC_A_OBJ_MQ_STIME) ||
		    !obj->mq_stime_ns)
			return NULL;
		s = kipc_time(obj->mq_stime_ns);
		break;
	case COL_RTIME:
		if (!kipc_admin_obj_has(obj, KIPC_A_OBJ_MQ_RTIME) ||
		    !obj->mq_rtime_ns)
			return NULL;
		s = kipc_time(obj->mq_rtime_ns);
		break;
	case COL_SIZE:
		return kipc_obj_size(obj, KIPC_A_OBJ_SHM_SIZE, obj->shm_size,
				     false, oom);
	case COL_RSS:
		return kipc_obj_size(obj, KIPC_A_OBJ_SHM_RESIDENT,
				     obj->shm_resident, true, oom);
	case COL_SWAP:
		return kipc_obj_size(obj, KIPC_A_OBJ_SHM_SWAPPED,
				     obj->shm_swapped, true, oom);
	case COL_NATTCH:
		return kipc_obj_u32(obj, KIPC_A_OBJ_SHM_NATTCH,
				    obj->shm_nattch);
	case COL_SEALS:
		if (!kipc_admin_obj_has(obj, KIPC_A_OBJ_SHM_SEALS))
			return NULL;
		s = kipc_shm_seals(obj->shm_seals);
		break;
	case COL_ATIME:
		return kipc_obj_time(obj, KIPC_A_OBJ_SHM_ATIME,
				     obj->shm_atime_ns, oom);
	case COL_DTIME:
		return kipc_obj_time(obj, KIPC_A_OBJ_SHM_DTIME,
				     obj->shm_dtime_ns, oom);
	case COL_VALUE:
		return kipc_obj_u32(obj, KIPC_A_OBJ_SEM_VALUE, obj->sem_value);
	case COL_NCOUNT:
		return kipc_obj_u32(obj, KIPC_A_OBJ_SEM_WAITERS,
				    obj->sem_waiters);
	case COL_WAITS:
		return kipc_obj_u64(obj, KIPC_A_OBJ_SEM_WAITS, obj->sem_waits);
	case COL_POSTS:
		return kipc_obj_u64(obj, KIPC_A_OBJ_SEM_POSTS, obj->sem_posts);
	case COL_TIMEOUTS:
		return kipc_obj_u64(obj, KIPC_A_OBJ_SEM_TIMEOUTS,
				    obj->sem_timeouts);
	case COL_UNDOHOLDERS:
		return kipc_obj_u32(obj, KIPC_A_OBJ_SEM_UNDO_HOLDERS,
				    obj->sem_undo_holders);
	case COL_UNDOUNITS:
		return kipc_obj_u64(obj, KIPC_A_OBJ_SEM_UNDO_UNITS,
				    obj->sem_undo_units);
	case COL_RECOVERED:
		return kipc_obj_u64(obj, KIPC_A_OBJ_SEM_RECOVERED,
				    obj->sem_recovered);
	case COL_OTIME:
		return kipc_obj_time(obj, KIPC_A_OBJ_SEM_OTIME,
				     obj->sem_otime_ns, oom);
	case COL_LPID:
		if (obj->type == KIPC_OBJ_SHM)
			return kipc_obj_u32(obj, KIPC_A_OBJ_SHM_LPID,
					    obj->shm_lpid);
		return kipc_obj_u32(obj, KIPC_A_OBJ_SEM_LPID, obj->sem_lpid);
	default:
		return NULL;
	}
	/* Only the cases that break out allocate unconditionally. */
	*oom = !s;
	return s;
}

/* Add @obj as a line of @tb. Returns 0 or -ENOMEM. */
int kipc_obj_add_line(struct libscols_table *tb, const struct kipc_columns *c,
		      const struct kipc_admin_obj *obj)
{
	struct libscols_line *ln;
	size_t i;

	ln = scols_table_new_line(tb, NULL);
	if (!ln)
		return -ENOMEM;
	for (i = 0; i < c->nsel; i++) {
		bool oom;
		char *s;

		s = kipc_obj_cell(c->sel[i], obj, &oom);
		if (oom)
			return -ENOMEM;
		if (s && scols_line_refer_data(ln, i, s)) {
			free(s);
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * struct kipc_list_spec - what one list, show or destroy command works on
 * @type: KIPC_OBJ_* to keep, or 0 for all
 * @what: the objects, in words
 * @noun: one object in a word, for messages; NULL when @type is 0
 * @defaults: default columns
 * @removal: for destroy's help, what an admin removal does to its users
 */
struct kipc_list_spec {
	unsigned int type;
	const char *what;
	const char *noun;
	const char *defaults;
	const char *removal;
};

static unsigned int kipc_list_scope(const struct kipc_list_spec *spec)
{
	return spec->type ? TYPE_BIT(spec->type) : ALL_TYPES;
}

struct kipc_list_ctx {
	struct libscols_table *tb;
	const struct kipc_columns *cols;
};

static int kipc_list_one(const struct kipc_admin_obj *obj, void *arg)
{
	struct kipc_list_ctx *ctx = arg;

	return kipc_obj_add_line(ctx->tb, ctx->cols, obj);
}

/* Print every object of @spec's type with @cols. Returns an exit status. */
static int kipc_list_table(const struct kipc_list_spec *spec,
			   const struct kipc_columns *cols)
{
	struct kipc_list_ctx ctx = { .cols = cols };
	struct kipc_admin *ka;
	int ret;

	if (kipc_connect(&ka))
		return 1;
	ctx.tb = kipc_table_new("objects", cols);
	if (!ctx.tb) {
		kipc_admin_close(ka);
		return kipc_errno(-ENOMEM, "cannot make the table");
	}
	/* The kernel keeps to the type (0: all of them). */
	ret = kipc_admin_list_type(ka, spec->type, kipc_list_one, &ctx);
	if (ret < 0) {
		ret = kipc_admin_err(ka, ret, "cannot list objects");
		scols_unref_table(ctx.tb);
		kipc_admin_close(ka);
		return ret;
	}
	kipc_admin_close(ka);
	return kipc_table_print(ctx.tb);
}

static int kipc_list_run(const struct kipc_cmd *cmd, int argc, char **argv)
{
	const struct kipc_list_spec *spec = cmd->data;
	struct kipc_columns cols = {
		.cols = kipc_obj_columns,
		.ncols = kipc_obj_ncolumns,
	};
	int ret;

	ret = kipc_cmd_no_args(cmd, argc, argv);
	if (ret >= 0)
		return ret;
	ret = kipc_columns_select(&cols, cmd, spec->defaults,
				  kipc_list_scope(spec));
	if (ret)
		return ret;
	return kipc_list_table(spec, &cols);
}

static void kipc_list_help(const struct kipc_cmd *cmd, FILE *out)
{
	const struct kipc_list_spec *spec = cmd->data;

	fprintf(out, "Usage: kipc [OPTIONS] %s [OPTIONS]\n\n", cmd->path);
	fprintf(out, "List the %s of the caller's IPC namespace.\n",
		spec->what);
	kipc_help_options(out, cmd->opts);
	kipc_help_columns(out, kipc_obj_columns, kipc_obj_ncolumns,
			  spec->defaults, kipc_list_scope(spec));
}

/**
 * struct kipc_obj_sel - which object a command names: { NAME | id ID }
 * @name: the NAME, or NULL for id ID
 * @id: the ID
 */
struct kipc_obj_sel {
	const char *name;
	uint64_t id;
};

/* Parse @nwords (1 or 2) @words. Returns 0, or an exit status. */
static int kipc_obj_sel_parse(const struct kipc_cmd *cmd, int nwords,
			      char **words, struct kipc_obj_sel *sel)
{
	char *end;

	sel->name = NULL;
	if (nwords == 1) {
		sel->name = words[0];
		return 0;
	}
	if (strcmp(words[0], "id"))
		return kipc_usage_err(cmd->path, "unexpected argument '%s' to '%s'",
				      words[1], cmd->path);
	errno = 0;
	sel->id = strtoull(words[1], &end, 10);
	if (!isdigit((unsigned char)words[1][0]) || *end || errno)
		return kipc_usage_err(cmd->path, "invalid id '%s'", words[1]);
	return 0;
}

/*
 * The object of @spec's type that @sel names. A name is found as opening it
 * would find it, so an unlinked or removed object is reached by id only.
 * Returns 0, or an exit status after saying why not.
 */
static int kipc_obj_lookup(struct kipc_admin *ka,
			   const struct kipc_list_spec *spec,
			   const struct kipc_obj_sel *sel,
			   struct kipc_admin_obj *obj)
{
	const char *type;
	int ret;

	if (sel->name) {
		ret = kipc_admin_find(ka, spec->type, sel->name, obj,
				      sizeof(*obj));
		if (ret < 0)
			return kipc_admin_err(ka, ret, "cannot find %s '%s'",
					      spec->noun, sel->name);
		return 0;
	}
	ret = kipc_admin_get(ka, sel->id, obj, sizeof(*obj));
	if (ret < 0)
		return kipc_admin_err(ka, ret, "cannot find %s with id %" PRIu64,
				      spec->noun, sel->id);
	if (obj->type != spec->type) {
		type = kipc_type_name(obj->type);
		kipc_err("object %" PRIu64 " is not a %s (its type is %s)",
			 sel->id, spec->noun, type ? type : "unknown");
		return 1;
	}
	return 0;
}

static int kipc_show_run(const struct kipc_cmd *cmd, int argc, char **argv)
{
	const struct kipc_list_spec *spec = cmd->data;
	struct kipc_columns cols = {
		.cols = kipc_obj_columns,
		.ncols = kipc_obj_ncolumns,
	};
	struct kipc_admin_obj obj;
	struct libscols_table *tb;
	struct kipc_obj_sel sel;
	struct kipc_admin *ka;
	int ret, first;

	ret = kipc_cmd_args(cmd, argc, argv, 0, 2, NULL, &first);
	if (ret >= 0)
		return ret;
	ret = kipc_columns_select(&cols, cmd, spec->defaults,
				  kipc_list_scope(spec));
	if (ret)
		return ret;
	if (first == argc)
		return kipc_list_table(spec, &cols);
	ret = kipc_obj_sel_parse(cmd, argc - first, argv + first, &sel);
	if (ret)
		return ret;

	if (kipc_connect(&ka))
		return 1;
	ret = kipc_obj_lookup(ka, spec, &sel, &obj);
	kipc_admin_close(ka);
	if (ret)
		return ret;
	tb = kipc_table_new("objects", &cols);
	if (!tb || kipc_obj_add_line(tb, &cols, &obj)) {
		scols_unref_table(tb);
		return kipc_errno(-ENOMEM, "cannot make the table");
	}
	return kipc_table_print(tb);
}

static void kipc_show_help(const struct kipc_cmd *cmd, FILE *out)
{
	const struct kipc_list_spec *spec = cmd->data;

	fprintf(out, "Usage: kipc [OPTIONS] %s [OPTIONS] [ NAME | id ID ]\n\n",
		cmd->path);
	fprintf(out,
		"Show the %s of the caller's IPC namespace with their statistics,\n"
		"or only the %s called NAME (found as opening NAME would find it),\n"
		"or the one with id ID (which finds unlinked and removed ones too).\n",
		spec->what, spec->noun);
	kipc_help_options(out, cmd->opts);
	kipc_help_columns(out, kipc_obj_columns, kipc_obj_ncolumns,
			  spec->defaults, kipc_list_scope(spec));
}

static int kipc_destroy_run(const struct kipc_cmd *cmd, int argc,
			    char **argv)
{
	const struct kipc_list_spec *spec = cmd->data;
	struct kipc_admin_obj obj;
	struct kipc_obj_sel sel;
	struct kipc_admin *ka;
	int ret, first;

	ret = kipc_cmd_args(cmd, argc, argv, 1, 2, "a NAME, or id ID",
			    &first);
	if (ret >= 0)
		return ret;
	ret = kipc_obj_sel_parse(cmd, argc - first, argv + first, &sel);
	if (ret)
		return ret;
	if (kipc_connect(&ka))
		return 1;
	ret = kipc_obj_lookup(ka, spec, &sel, &obj);
	if (!ret) {
		ret = kipc_admin_remove(ka, obj.id);
		if (ret < 0)
			ret = kipc_admin_err(ka, ret, "cannot destroy %s '%s'",
					     spec->noun, obj.name);
	}
	kipc_admin_close(ka);
	return ret;
}

static void kipc_destroy_help(const struct kipc_cmd *cmd, FILE *out)
{
	const struct kipc_list_spec *spec = cmd->data;

	fprintf(out, "Usage: kipc %s { NAME | id ID }\n\n", cmd->path);
	fprintf(out,
		"Remove a %s at once, as an administrator does, over netlink: its\n"
		"name goes, %s\n"
		"\n"
		"NAME is found as opening it would find it; id ID reaches a %s\n"
		"whose name is already gone. Only its owner, its creator or\n"
		"CAP_SYS_ADMIN may destroy it. To remove only the name and leave\n"
		"the users of the %s alone, use 'kipc %s rm'.\n",
		spec->noun, spec->removal, spec->noun, spec->noun,
		kipc_type_name(spec->type));
	kipc_help_options(out, cmd->opts);
}

static const struct kipc_list_spec kipc_list_all = {
	.type = 0,
	.what = "objects (queues, regions, semaphores)",
	.defaults = "TYPE,ID,NAME,OWNER,GROUP,PERMS,NS",
};

/* For destroy's help: what removal does to a queue or a semaphore. */
#define KIPC_REMOVAL_WAKES						\
	"every task blocked on it wakes with EIDRM (\"Identifier\n"	\
	"removed\"), and every later call on an fd still open to it fails\n" \
	"with EIDRM. It is freed when its last fd is closed."

static const struct kipc_list_spec kipc_list_mq = {
	.type = KIPC_OBJ_MQ,
	.what = "message queues",
	.noun = "queue",
	.defaults = "ID,NAME,OWNER,GROUP,PERMS,MAXMSGS,MSGSIZE,BYTES,STATE",
	.removal = KIPC_REMOVAL_WAKES,
};

static const struct kipc_list_spec kipc_show_mq = {
	.type = KIPC_OBJ_MQ,
	.what = "message queues",
	.noun = "queue",
	.defaults = "ID,NAME,MSGS,MAXMSGS,USEDBYTES,SEND,RECV,WAITSEND,"
		    "WAITRECV,LSPID,LRPID,STATE",
};

static const struct kipc_list_spec kipc_list_shm = {
	.type = KIPC_OBJ_SHM,
	.what = "shared memory regions",
	.noun = "region",
	.defaults = "ID,NAME,OWNER,GROUP,PERMS,SIZE,STATE",
	.removal = "new mappings, resizes and seals fail with EIDRM\n"
		   "(\"Identifier removed\"), and the mappings that exist stay valid until\n"
		   "they are unmapped. It is freed when its last fd and mapping are gone.",
};

/* lsipc -m's columns, plus what a kipc region adds. */
static const struct kipc_list_spec kipc_show_shm = {
	.type = KIPC_OBJ_SHM,
	.what = "shared memory regions",
	.noun = "region",
	.defaults = "ID,NAME,SIZE,RSS,SWAP,NATTCH,SEALS,CPID,LPID,ATIME,"
		    "DTIME,CTIME,STATE",
};

static const struct kipc_list_spec kipc_list_sem = {
	.type = KIPC_OBJ_SEM,
	.what = "semaphores",
	.noun = "semaphore",
	.defaults = "ID,NAME,OWNER,GROUP,PERMS,VALUE,STATE",
	.removal = KIPC_REMOVAL_WAKES,
};

static const struct kipc_list_spec kipc_show_sem = {
	.type = KIPC_OBJ_SEM,
	.what = "semaphores",
	.noun = "semaphore",
	.defaults = "ID,NAME,VALUE,NCOUNT,WAITS,POSTS,TIMEOUTS,UNDOHOLDERS,"
		    "UNDOUNITS,RECOVERED,LPID,OTIME,STATE",
};

#define KIPC_LIST_CMD(_path, _summary, _spec) {	\
	.name = "list",					\
	.path = _path,					\
	.summary = _summary,				\
	.opts = KIPC_OPTS_ALL,				\
	.run = kipc_list_run,				\
	.help = kipc_list_help,				\
	.data = _spec,					\
}

const struct kipc_cmd kipc_list_cmd =
	KIPC_LIST_CMD("list", "list all objects of this IPC namespace",
		      &kipc_list_all);

const struct kipc_cmd kipc_mq_cmds[] = {
	KIPC_LIST_CMD("mq list", "list the message queues", &kipc_list_mq),
	{
		.name = "show",
		.path = "mq show",
		.summary = "show queues with their statistics",
		.opts = KIPC_OPTS_ALL,
		.run = kipc_show_run,
		.help = kipc_show_help,
		.data = &kipc_show_mq,
	},
	{
		.name = "create",
		.path = "mq create",
		.summary = "create a queue",
		.opts = KIPC_OPTS_CREATE | KIPC_OPTS_MQ_CREATE,
		.run = kipc_mq_create_run,
		.help = kipc_mq_create_help,
	},
	{
		.name = "send",
		.path = "mq send",
		.summary = "send a message",
		.opts = KIPC_OPTS_SEND | KIPC_OPTS_WAIT,
		.run = kipc_mq_send_run,
		.help = kipc_mq_send_help,
	},
	{
		.name = "recv",
		.path = "mq recv",
		.summary = "receive messages and print them",
		.opts = KIPC_OPTS_RECV | KIPC_OPTS_WAIT,
		.run = kipc_mq_recv_run,
		.help = kipc_mq_recv_help,
	},
	{
		.name = "rm",
		.path = "mq rm",
		.summary = "unlink queue names; open fds keep working",
		.opts = KIPC_OPTS_NONE,
		.run = kipc_mq_rm_run,
		.help = kipc_mq_rm_help,
	},
	{
		.name = "destroy",
		.path = "mq destroy",
		.summary = "remove a queue now, waking its waiters with EIDRM",
		.opts = KIPC_OPTS_NONE,
		.run = kipc_destroy_run,
		.help = kipc_destroy_help,
		.data = &kipc_list_mq,
	},
	{ }
};

const struct kipc_cmd kipc_shm_cmds[] = {
	KIPC_LIST_CMD("shm list", "list the shared memory regions",
		      &kipc_list_shm),
	{
		.name = "show",
		.path = "shm show",
		.summary = "show regions with their statistics",
		.opts = KIPC_OPTS_ALL,
		.run = kipc_show_run,
		.help = kipc_show_help,
		.data = &kipc_show_shm,
	},
	{
		.name = "create",
		.path = "shm create",
		.summary = "create a region",
		.opts = KIPC_OPTS_CREATE | KIPC_OPTS_SHM_CREATE,
		.run = kipc_shm_create_run,
		.help = kipc_shm_create_help,
	},
	{
		.name = "resize",
		.path = "shm resize",
		.summary = "grow or shrink a region",
		.opts = KIPC_OPTS_NONE,
		.run = kipc_shm_resize_run,
		.help = kipc_shm_resize_help,
	},
	{
		.name = "seal",
		.path = "shm seal",
		.summary = "add seals to a region, for good",
		.opts = KIPC_OPTS_NONE,
		.run = kipc_shm_seal_run,
		.help = kipc_shm_seal_help,
	},
	{
		.name = "rm",
		.path = "shm rm",
		.summary = "unlink region names; mappings and fds keep working",
		.opts = KIPC_OPTS_NONE,
		.run = kipc_shm_rm_run,
		.help = kipc_shm_rm_help,
	},
	{
		.name = "destroy",
		.path = "shm destroy",
		.summary = "remove a region now; it can no longer be mapped",
		.opts = KIPC_OPTS_NONE,
		.run = kipc_destroy_run,
		.help = kipc_destroy_help,
		.data = &kipc_list_shm,
	},
	{ }
};

const struct kipc_cmd kipc_sem_cmds[] = {
	KIPC_LIST_CMD("sem list", "list the semaphores", &kipc_list_sem),
	{
		.name = "show",
		.path = "sem show",
		.summary = "show semaphores with their statistics",
		.opts = KIPC_OPTS_ALL,
		.run = kipc_show_run,
		.help = kipc_show_help,
		.data = &kipc_show_sem,
	},
	{
		.name = "create",
		.path = "sem create",
		.summary = "create a semaphore",
		.opts = KIPC_OPTS_CREATE | KIPC_OPTS_SEM_CREATE,
		.run = kipc_sem_create_run,
		.help = kipc_sem_create_help,
	},
	{
		.name = "post",
		.path = "sem post",
		.summary = "add units, waking the waiters they satisfy",
		.opts = KIPC_OPTS_NONE,
		.run = kipc_sem_post_run,
		.help = kipc_sem_post_help,
	},
	{
		.name = "wait",
		.path = "sem wait",
		.summary = "take units, or hold them while a command runs",
		.opts = KIPC_OPTS_WAIT | KIPC_OPTS_UNDO,
		.run = kipc_sem_wait_run,
		.help = kipc_sem_wait_help,
	},
	{
		.name = "rm",
		.path = "sem rm",
		.summary = "unlink semaphore names; open fds keep working",
		.opts = KIPC_OPTS_NONE,
		.run = kipc_sem_rm_run,
		.help = kipc_sem_rm_help,
	},
	{
		.name = "destroy",
		.path = "sem destroy",
		.summary = "remove a semaphore now, waking its waiters with EIDRM",
		.opts = KIPC_OPTS_NONE,
		.run = kipc_destroy_run,
		.help = kipc_destroy_help,
		.data = &kipc_list_sem,
	},
	{ }
};
