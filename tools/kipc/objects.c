// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the objects of the caller's IPC namespace as tables: `kipc list` for
 * all of them, and `kipc mq|shm|sem list` for one type; `kipc mq|shm|sem
 * show` for their statistics; and `kipc mq|shm|sem destroy`, the admin
 * removal. All of them go through netlink, libkipc-admin.
 *
 * The command table of each type, these commands and those of the data path,
 * is in the type's file (mq.c, shm.c, sem.c).
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

static char *kt_obj_state(uint32_t state)
{
	uint32_t rest = state & ~(KIPC_STATE_UNLINKED | KIPC_STATE_REMOVED |
				  KIPC_STATE_ANON);
	const char *word;
	char *s;

	/* Removal unlinks too: "removed" says both. */
	if (state & KIPC_STATE_REMOVED)
		word = "removed";
	else if (state & KIPC_STATE_ANON)
		word = "anonymous";
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

/*
 * The formatters of the cells: each makes the text of the field @f of @obj,
 * which the column's attribute says was reported. NULL is an empty cell, or
 * out of memory when they set *@oom.
 */
static char *kt_obj_oom(char *s, bool *oom)
{
	*oom = !s;
	return s;
}

static uint32_t kt_obj_get_u32(const void *f)
{
	uint32_t v;

	memcpy(&v, f, sizeof(v));
	return v;
}

static uint64_t kt_obj_get_u64(const void *f)
{
	uint64_t v;

	memcpy(&v, f, sizeof(v));
	return v;
}

static char *kt_obj_fmt_u32(const struct kipc_admin_obj *obj,
			    const void *f, bool *oom)
{
	(void)obj;
	return kt_obj_oom(kt_u64(kt_obj_get_u32(f)), oom);
}

static char *kt_obj_fmt_u64(const struct kipc_admin_obj *obj,
			    const void *f, bool *oom)
{
	(void)obj;
	return kt_obj_oom(kt_u64(kt_obj_get_u64(f)), oom);
}

static char *kt_obj_fmt_name(const struct kipc_admin_obj *obj,
			     const void *f, bool *oom)
{
	(void)obj;
	return kt_obj_oom(strdup(f), oom);
}

static char *kt_obj_fmt_type(const struct kipc_admin_obj *obj,
			     const void *f, bool *oom)
{
	uint32_t type = kt_obj_get_u32(f);
	const char *name = kipc_type_name(type);
	char *s;

	(void)obj;
	if (name)
		s = strdup(name);
	else if (asprintf(&s, "%" PRIu32, type) < 0)
		s = NULL;
	return kt_obj_oom(s, oom);
}

static char *kt_obj_fmt_user(const struct kipc_admin_obj *obj,
			     const void *f, bool *oom)
{
	(void)obj;
	return kt_obj_oom(kt_user_name(kt_obj_get_u32(f)), oom);
}

static char *kt_obj_fmt_group(const struct kipc_admin_obj *obj,
			      const void *f, bool *oom)
{
	(void)obj;
	return kt_obj_oom(kt_group_name(kt_obj_get_u32(f)), oom);
}

static char *kt_obj_fmt_perms(const struct kipc_admin_obj *obj,
			      const void *f, bool *oom)
{
	(void)obj;
	return kt_obj_oom(kt_perms(kt_obj_get_u32(f),
				   kt_output.numeric_perms), oom);
}

static char *kt_obj_fmt_state(const struct kipc_admin_obj *obj,
			      const void *f, bool *oom)
{
	(void)obj;
	return kt_obj_oom(kt_obj_state(kt_obj_get_u32(f)), oom);
}

static char *kt_obj_fmt_seals(const struct kipc_admin_obj *obj,
			      const void *f, bool *oom)
{
	(void)obj;
	return kt_obj_oom(kt_shm_seals(kt_obj_get_u32(f)), oom);
}

/*
 * A queue's KIPC_MQ_* flags: "hup", "creds", "fail", "drop", "regions",
 * comma-separated, unknown bits in hex, "-" for none.
 */
static char *kt_obj_fmt_mqflags(const struct kipc_admin_obj *obj,
				const void *f, bool *oom)
{
	uint32_t flags = kt_obj_get_u32(f);
	char buf[48] = "";
	size_t len = 0;

	(void)obj;
	if (flags & KIPC_MQ_HUP)
		len = (size_t)snprintf(buf, sizeof(buf), "hup");
	if (flags & KIPC_MQ_CREDS)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%screds",
					len ? "," : "");
	flags &= ~(KIPC_MQ_HUP | KIPC_MQ_CREDS);
	if (flags & (KIPC_MQ_FULL_FAIL | KIPC_MQ_FULL_DROP))
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					len ? "," : "",
					flags & KIPC_MQ_FULL_FAIL ? "fail" : "drop");
	flags &= ~(KIPC_MQ_FULL_FAIL | KIPC_MQ_FULL_DROP);
	if (flags & KIPC_MQ_REGIONS)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					"%sregions", len ? "," : "");
	flags &= ~KIPC_MQ_REGIONS;
	if (flags)
		snprintf(buf + len, sizeof(buf) - len, "%s0x%" PRIx32,
			 len ? "," : "", flags);
	return kt_obj_oom(strdup(buf[0] ? buf : "-"), oom);
}

static char *kt_obj_fmt_time(const struct kipc_admin_obj *obj,
			     const void *f, bool *oom)
{
	(void)obj;
	return kt_obj_oom(kt_time(kt_obj_get_u64(f)), oom);
}

/* The time of the last event, or an empty cell (null) for a 0: never. */
static char *kt_obj_fmt_last(const struct kipc_admin_obj *obj,
			     const void *f, bool *oom)
{
	if (!kt_obj_get_u64(f))
		return NULL;
	return kt_obj_fmt_time(obj, f, oom);
}

static char *kt_obj_fmt_size(const struct kipc_admin_obj *obj,
			     const void *f, bool *oom)
{
	(void)obj;
	return kt_obj_oom(kt_size(kt_obj_get_u64(f)), oom);
}

/* A number of pages, as a size in bytes with this machine's page size. */
static char *kt_obj_fmt_pages(const struct kipc_admin_obj *obj,
			      const void *f, bool *oom)
{
	static uint64_t page_size;

	(void)obj;
	if (!page_size)
		page_size = sysconf(_SC_PAGESIZE);
	return kt_obj_oom(kt_size(kt_obj_get_u64(f) * page_size), oom);
}

/* The last pid of a region, or of a semaphore: two fields, one column. */
static char *kt_obj_fmt_lpid(const struct kipc_admin_obj *obj,
			     const void *f, bool *oom)
{
	unsigned int attr = KIPC_A_OBJ_SEM_LPID;
	uint32_t pid = obj->sem_lpid;

	(void)f;
	if (obj->type == KIPC_OBJ_SHM) {
		attr = KIPC_A_OBJ_SHM_LPID;
		pid = obj->shm_lpid;
	}
	if (!kipc_admin_obj_has(obj, attr))
		return NULL;
	return kt_obj_oom(kt_u64(pid), oom);
}

static char *kt_obj_fmt_holders(const struct kipc_admin_obj *obj,
				const void *f, bool *oom)
{
	(void)f;
	return kt_holders(obj, oom);
}

/*
 * The cells of a column: attribute @_attr of the object, in @member of
 * struct kipc_admin_obj, whose C type must be @ctype, formatted by
 * kt_obj_fmt_@f.
 */
#define FIELD(f, _attr, member, ctype)					\
	.fmt = kt_obj_fmt_##f,					\
	.attr = _attr,							\
	.off = offsetof(struct kipc_admin_obj, member) +		\
	       0 * sizeof(char[__builtin_types_compatible_p(		\
			__typeof__(((struct kipc_admin_obj *)0)->member), \
			ctype) ? 1 : -1])
#define U32(f, attr, member)	FIELD(f, attr, member, uint32_t)
#define U64(f, attr, member)	FIELD(f, attr, member, uint64_t)

#define NUM	SCOLS_JSON_NUMBER
#define STR	SCOLS_JSON_STRING
#define RIGHT	SCOLS_FL_RIGHT
#define MQ	TYPE_BIT(KIPC_OBJ_MQ)
#define SHM	TYPE_BIT(KIPC_OBJ_SHM)
#define SEM	TYPE_BIT(KIPC_OBJ_SEM)

/*
 * The columns, in the order of the help and of --output-all, one row each:
 * name, width hint, flags, JSON type, help, the types it applies to (0: all)
 * and whether it is a size; then the format of its cells and the field they
 * show. A new statistic of the netlink spec is one row here.
 *
 * Width hints are absolute, not shares of the terminal: given a share,
 * libsmartcols squeezes a column to it when the table is wider than the
 * terminal and moves a long name onto a line of its own. An over-wide line
 * is easier to read, and `less -S` handles it.
 */
const struct kt_column kt_obj_columns[] = {
	{ "TYPE", 4, 0, STR, "object type: mq, shm or sem", 0, false,
	  U32(type, KIPC_A_OBJ_TYPE, type) },
	{ "ID", 4, RIGHT, NUM, "object id, unique while the module is loaded",
	  0, false, U64(u64, KIPC_A_OBJ_ID, id) },
	{ "NAME", 4, 0, STR, "object name", 0, false,
	  FIELD(name, KIPC_A_OBJ_NAME, name, char[KIPC_NAME_MAX + 1]) },
	{ "OWNER", 5, 0, STR, "owner: user name, or uid", 0, false,
	  U32(user, KIPC_A_OBJ_UID, uid) },
	{ "GROUP", 5, 0, STR, "group: group name, or gid", 0, false,
	  U32(group, KIPC_A_OBJ_GID, gid) },
	{ "PERMS", 9, 0, STR, "permissions", 0, false,
	  U32(perms, KIPC_A_OBJ_MODE, mode) },
	{ "NS", 10, RIGHT, NUM, "IPC namespace (inode number)", 0, false,
	  U32(u32, KIPC_A_OBJ_NS, ns) },
	{ "UID", 5, RIGHT, NUM, "owner uid", 0, false,
	  U32(u32, KIPC_A_OBJ_UID, uid) },
	{ "GID", 5, RIGHT, NUM, "owner gid", 0, false,
	  U32(u32, KIPC_A_OBJ_GID, gid) },
	{ "CUID", 5, RIGHT, NUM, "creator uid", 0, false,
	  U32(u32, KIPC_A_OBJ_CUID, cuid) },
	{ "CGID", 5, RIGHT, NUM, "creator gid", 0, false,
	  U32(u32, KIPC_A_OBJ_CGID, cgid) },
	{ "CPID", 5, RIGHT, NUM, "creator pid (in this PID namespace)", 0,
	  false, U32(u32, KIPC_A_OBJ_CPID, cpid) },
	{ "CTIME", 24, 0, STR, "creation time", 0, false,
	  U64(time, KIPC_A_OBJ_CTIME, ctime_ns) },
	{ "STATE", 8, 0, STR,
	  "linked, unlinked (name gone, still open) or removed", 0, false,
	  U32(state, KIPC_A_OBJ_STATE, state) },
	{ "BYTES", 6, RIGHT, NUM, "bytes charged to the limits", 0, false,
	  U64(u64, KIPC_A_OBJ_BYTES, bytes) },
	{ "MAXMSGS", 7, RIGHT, NUM, "queue capacity, in messages", MQ, false,
	  U32(u32, KIPC_A_OBJ_MQ_MAX_MSGS, mq_max_msgs) },
	{ "MSGSIZE", 7, RIGHT, NUM, "largest message of a queue, in bytes",
	  MQ, false, U32(u32, KIPC_A_OBJ_MQ_MAX_MSGSIZE, mq_max_msgsize) },
	{ "FLAGS", 5, 0, STR,
	  "queue creation flags: hup, creds, fail, drop, regions, or -", MQ,
	  false,
	  U32(mqflags, KIPC_A_OBJ_MQ_FLAGS, mq_flags) },
	{ "MSGS", 4, RIGHT, NUM, "messages queued now", MQ, false,
	  U32(u32, KIPC_A_OBJ_MQ_DEPTH, mq_depth) },
	{ "USEDBYTES", 9, RIGHT, NUM, "payload bytes queued now", MQ, false,
	  U64(u64, KIPC_A_OBJ_MQ_BYTES, mq_bytes) },
	{ "HWM", 3, RIGHT, NUM, "most messages ever queued at once", MQ,
	  false, U32(u32, KIPC_A_OBJ_MQ_HWM, mq_hwm) },
	{ "SEND", 4, RIGHT, NUM, "messages sent (a count, not lsipc's time)",
	  MQ, false, U64(u64, KIPC_A_OBJ_MQ_SENDS, mq_sends) },
	{ "RECV", 4, RIGHT, NUM, "messages received", MQ, false,
	  U64(u64, KIPC_A_OBJ_MQ_RECVS, mq_recvs) },
	{ "DROPS", 5, RIGHT, NUM,
	  "messages dropped to make room (--overflow drop-oldest)", MQ, false,
	  U64(u64, KIPC_A_OBJ_MQ_DROPS, mq_drops) },
	{ "WAITSEND", 8, RIGHT, NUM, "senders blocked on a full queue now",
	  MQ, false, U32(u32, KIPC_A_OBJ_MQ_WAIT_SEND, mq_wait_send) },
	{ "WAITRECV", 8, RIGHT, NUM,
	  "receivers blocked on an empty queue now", MQ, false,
	  U32(u32, KIPC_A_OBJ_MQ_WAIT_RECV, mq_wait_recv) },
	{ "LSPID", 5, RIGHT, NUM, "last sender's pid; 0: none, or not visible",
	  MQ, false, U32(u32, KIPC_A_OBJ_MQ_LSPID, mq_lspid) },
	{ "LRPID", 5, RIGHT, NUM,
	  "last receiver's pid; 0: none, or not visible", MQ, false,
	  U32(u32, KIPC_A_OBJ_MQ_LRPID, mq_lrpid) },
	{ "STIME", 24, 0, STR, "time of the last send", MQ, false,
	  U64(last, KIPC_A_OBJ_MQ_STIME, mq_stime_ns) },
	{ "RTIME", 24, 0, STR, "time of the last receive", MQ, false,
	  U64(last, KIPC_A_OBJ_MQ_RTIME, mq_rtime_ns) },
	{ "SIZE", 5, RIGHT, NUM, "region size", SHM, true,
	  U64(size, KIPC_A_OBJ_SHM_SIZE, shm_size) },
	{ "RSS", 5, RIGHT, NUM, "region memory resident now", SHM, true,
	  U64(pages, KIPC_A_OBJ_SHM_RESIDENT, shm_resident) },
	{ "SWAP", 5, RIGHT, NUM, "region memory swapped out now", SHM, true,
	  U64(pages, KIPC_A_OBJ_SHM_SWAPPED, shm_swapped) },
	{ "NATTCH", 6, RIGHT, NUM,
	  "mappings of the region now, in all processes", SHM, false,
	  U32(u32, KIPC_A_OBJ_SHM_NATTCH, shm_nattch) },
	{ "SEALS", 5, 0, STR, "seals: seal, shrink, grow, write, future-write",
	  SHM, false, U32(seals, KIPC_A_OBJ_SHM_SEALS, shm_seals) },
	{ "ATIME", 24, 0, STR, "time of the last mapping", SHM, false,
	  U64(last, KIPC_A_OBJ_SHM_ATIME, shm_atime_ns) },
	{ "DTIME", 24, 0, STR, "time of the last unmapping", SHM, false,
	  U64(last, KIPC_A_OBJ_SHM_DTIME, shm_dtime_ns) },
	{ "VALUE", 5, RIGHT, NUM, "semaphore value", SEM, false,
	  U32(u32, KIPC_A_OBJ_SEM_VALUE, sem_value) },
	{ "NCOUNT", 6, RIGHT, NUM, "tasks waiting on the semaphore now", SEM,
	  false, U32(u32, KIPC_A_OBJ_SEM_WAITERS, sem_waiters) },
	{ "ZCOUNT", 6, RIGHT, NUM, "tasks waiting for the value to be 0 now",
	  SEM, false, U32(u32, KIPC_A_OBJ_SEM_ZERO_WAITERS, sem_zero_waiters) },
	{ "MULTI", 5, RIGHT, NUM,
	  "multi-operation waits among NCOUNT and ZCOUNT now", SEM, false,
	  U32(u32, KIPC_A_OBJ_SEM_MULTI_WAITERS, sem_multi_waiters) },
	{ "WAITS", 5, RIGHT, NUM, "successful waits", SEM, false,
	  U64(u64, KIPC_A_OBJ_SEM_WAITS, sem_waits) },
	{ "POSTS", 5, RIGHT, NUM, "posts", SEM, false,
	  U64(u64, KIPC_A_OBJ_SEM_POSTS, sem_posts) },
	{ "TIMEOUTS", 8, RIGHT, NUM, "waits that timed out", SEM, false,
	  U64(u64, KIPC_A_OBJ_SEM_TIMEOUTS, sem_timeouts) },
	{ "UNDOHOLDERS", 11, RIGHT, NUM,
	  "open descriptions holding units under undo", SEM, false,
	  U32(u32, KIPC_A_OBJ_SEM_UNDO_HOLDERS, sem_undo_holders) },
	{ "UNDOUNITS", 9, RIGHT, NUM, "units held under undo now", SEM, false,
	  U64(u64, KIPC_A_OBJ_SEM_UNDO_UNITS, sem_undo_units) },
	{ "RECOVERED", 9, RIGHT, NUM,
	  "units undo gave back after their holders died", SEM, false,
	  U64(u64, KIPC_A_OBJ_SEM_RECOVERED, sem_recovered) },
	{ "OTIME", 24, 0, STR, "time of the last wait or post", SEM, false,
	  U64(last, KIPC_A_OBJ_SEM_OTIME, sem_otime_ns) },
	/* Two fields: the formatter picks one by the object's type. */
	{ "LPID", 5, RIGHT, NUM,
	  "last pid to map (shm), or to wait or post (sem)", SHM | SEM, false,
	  .fmt = kt_obj_fmt_lpid },
	/* Not netlink's: read from /proc (holders.c). */
	{ "HOLDERS", 7, 0, STR,
	  "processes with it open or mapped: COMM[PID]:fdN, COMM[PID]:map@ADDR",
	  0, false, .fmt = kt_obj_fmt_holders },
};

const size_t kt_obj_ncolumns = ARRAY_SIZE(kt_obj_columns);

/*
 * The text of one cell, or NULL for an empty one: an attribute the module
 * did not report, or that does not belong to the object's type. *@oom is
 * set when NULL means out of memory instead.
 */
static char *kt_obj_cell(int i, const void *rec, bool *oom)
{
	const struct kt_column *col = &kt_obj_columns[i];
	const struct kipc_admin_obj *obj = rec;

	if (col->attr && !kipc_admin_obj_has(obj, col->attr))
		return NULL;
	return col->fmt(obj, (const char *)obj + col->off, oom);
}

/* Add @obj as a line of @tb. Returns 0 or -ENOMEM. */
int kt_obj_add_line(struct libscols_table *tb, const struct kt_columns *c,
		    const struct kipc_admin_obj *obj)
{
	return kt_table_add_line(tb, c, kt_obj_cell, obj);
}

static unsigned int kt_list_scope(const struct kt_list_spec *spec)
{
	return spec->type ? TYPE_BIT(spec->type) : ALL_TYPES;
}

struct kt_list_ctx {
	struct libscols_table *tb;
	const struct kt_columns *cols;
};

static int kt_list_one(const struct kipc_admin_obj *obj, void *arg)
{
	struct kt_list_ctx *ctx = arg;

	return kt_obj_add_line(ctx->tb, ctx->cols, obj);
}

/* Print every object of @spec's type with @cols. Returns an exit status. */
static int kt_list_table(const struct kt_list_spec *spec,
			 const struct kt_columns *cols)
{
	struct kt_list_ctx ctx = { .cols = cols };
	struct kipc_admin *ka;
	int ret;

	if (kt_connect(&ka))
		return 1;
	ctx.tb = kt_table_new("objects", cols);
	if (!ctx.tb) {
		kipc_admin_close(ka);
		return kt_errno(-ENOMEM, "cannot make the table");
	}
	/* The kernel keeps to the type (0: all of them). */
	ret = kipc_admin_list_type(ka, spec->type, kt_list_one, &ctx);
	if (ret < 0) {
		ret = kt_admin_err(ka, ret, "cannot list objects");
		scols_unref_table(ctx.tb);
		kipc_admin_close(ka);
		return ret;
	}
	kipc_admin_close(ka);
	return kt_table_print(ctx.tb);
}

int kt_list_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	const struct kt_list_spec *spec = cmd->data;
	struct kt_columns cols = {
		.cols = kt_obj_columns,
		.ncols = kt_obj_ncolumns,
	};
	int ret;

	ret = kt_cmd_no_args(cmd, argc, argv);
	if (ret >= 0)
		return ret;
	if (kt_output.prometheus)
		return kt_prom_list(spec->type);
	ret = kt_columns_select(&cols, cmd, spec->defaults,
				kt_list_scope(spec));
	if (ret)
		return ret;
	return kt_list_table(spec, &cols);
}

void kt_list_help(const struct kt_cmd *cmd, FILE *out)
{
	const struct kt_list_spec *spec = cmd->data;

	fprintf(out, "Usage: kipc [OPTIONS] %s [OPTIONS]\n\n", cmd->path);
	fprintf(out, "List the %s of the caller's IPC namespace.\n",
		spec->what);
	kt_help_options(out, cmd->opts);
	kt_help_columns(out, kt_obj_columns, kt_obj_ncolumns,
			spec->defaults, kt_list_scope(spec));
}

/**
 * struct kt_obj_sel - which object a command names: { NAME | id ID }
 * @name: the NAME, or NULL for id ID
 * @id: the ID
 */
struct kt_obj_sel {
	const char *name;
	uint64_t id;
};

/* Parse @nwords (1 or 2) @words. Returns 0, or an exit status. */
static int kt_obj_sel_parse(const struct kt_cmd *cmd, int nwords,
			    char **words, struct kt_obj_sel *sel)
{
	char *end;

	sel->name = NULL;
	if (nwords == 1) {
		sel->name = words[0];
		return 0;
	}
	if (strcmp(words[0], "id"))
		return kt_usage_err(cmd->path, "unexpected argument '%s' to '%s'",
				    words[1], cmd->path);
	errno = 0;
	sel->id = strtoull(words[1], &end, 10);
	if (!isdigit((unsigned char)words[1][0]) || *end || errno)
		return kt_usage_err(cmd->path, "invalid id '%s'", words[1]);
	return 0;
}

/*
 * The object of @spec's type that @sel names. A name is found as opening it
 * would find it, so an unlinked or removed object is reached by id only.
 * Returns 0, or an exit status after saying why not.
 */
static int kt_obj_lookup(struct kipc_admin *ka,
			 const struct kt_list_spec *spec,
			 const struct kt_obj_sel *sel,
			 struct kipc_admin_obj *obj)
{
	const char *type;
	int ret;

	if (sel->name) {
		ret = kipc_admin_find(ka, spec->type, sel->name, obj,
				      sizeof(*obj));
		if (ret < 0)
			return kt_admin_err(ka, ret, "cannot find %s '%s'",
					    spec->noun, sel->name);
		return 0;
	}
	ret = kipc_admin_get(ka, sel->id, obj, sizeof(*obj));
	if (ret < 0)
		return kt_admin_err(ka, ret, "cannot find %s with id %" PRIu64,
				    spec->noun, sel->id);
	if (obj->type != spec->type) {
		type = kipc_type_name(obj->type);
		kt_err("object %" PRIu64 " is not a %s (its type is %s)",
		       sel->id, spec->noun, type ? type : "unknown");
		return 1;
	}
	return 0;
}

int kt_show_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	const struct kt_list_spec *spec = cmd->data;
	struct kt_columns cols = {
		.cols = kt_obj_columns,
		.ncols = kt_obj_ncolumns,
	};
	struct kipc_admin_obj obj;
	struct libscols_table *tb;
	struct kt_obj_sel sel;
	struct kipc_admin *ka;
	int ret, first;

	ret = kt_cmd_args(cmd, argc, argv, 0, 2, NULL, &first);
	if (ret >= 0)
		return ret;
	ret = kt_columns_select(&cols, cmd, spec->defaults,
				kt_list_scope(spec));
	if (ret)
		return ret;
	if (first == argc)
		return kt_list_table(spec, &cols);
	/* One object: who holds it too, unless -o says otherwise. */
	if (!kt_output.columns && !kt_output.all) {
		kt_output.columns = "+HOLDERS";
		ret = kt_columns_select(&cols, cmd, spec->defaults,
					kt_list_scope(spec));
		if (ret)
			return ret;
	}
	ret = kt_obj_sel_parse(cmd, argc - first, argv + first, &sel);
	if (ret)
		return ret;

	if (kt_connect(&ka))
		return 1;
	ret = kt_obj_lookup(ka, spec, &sel, &obj);
	kipc_admin_close(ka);
	if (ret)
		return ret;
	tb = kt_table_new("objects", &cols);
	if (!tb || kt_obj_add_line(tb, &cols, &obj)) {
		scols_unref_table(tb);
		return kt_errno(-ENOMEM, "cannot make the table");
	}
	return kt_table_print(tb);
}

void kt_show_help(const struct kt_cmd *cmd, FILE *out)
{
	const struct kt_list_spec *spec = cmd->data;

	fprintf(out, "Usage: kipc [OPTIONS] %s [OPTIONS] [ NAME | id ID ]\n\n",
		cmd->path);
	fprintf(out,
		"Show the %s of the caller's IPC namespace with their statistics,\n"
		"or only the %s called NAME (found as opening NAME would find it),\n"
		"or the one with id ID (which finds unlinked and removed ones too).\n",
		spec->what, spec->noun);
	kt_help_options(out, cmd->opts);
	kt_help_columns(out, kt_obj_columns, kt_obj_ncolumns,
			spec->defaults, kt_list_scope(spec));
}

int kt_destroy_run(const struct kt_cmd *cmd, int argc,
			    char **argv)
{
	const struct kt_list_spec *spec = cmd->data;
	struct kipc_admin_obj obj;
	struct kt_obj_sel sel;
	struct kipc_admin *ka;
	int ret, first;

	ret = kt_cmd_args(cmd, argc, argv, 1, 2, "a NAME, or id ID",
			  &first);
	if (ret >= 0)
		return ret;
	ret = kt_obj_sel_parse(cmd, argc - first, argv + first, &sel);
	if (ret)
		return ret;
	if (kt_connect(&ka))
		return 1;
	ret = kt_obj_lookup(ka, spec, &sel, &obj);
	if (!ret) {
		ret = kipc_admin_remove(ka, obj.id);
		if (ret < 0)
			ret = kt_admin_err(ka, ret, "cannot destroy %s '%s'",
					   spec->noun, obj.name);
	}
	kipc_admin_close(ka);
	return ret;
}

void kt_destroy_help(const struct kt_cmd *cmd, FILE *out)
{
	const struct kt_list_spec *spec = cmd->data;

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
	kt_help_options(out, cmd->opts);
}

static const struct kt_list_spec kt_list_all = {
	.type = 0,
	.what = "objects (queues, regions, semaphores)",
	.defaults = "TYPE,ID,NAME,OWNER,GROUP,PERMS,NS,CPID",
};

const struct kt_cmd kt_list_cmd =
	KT_CMD("list", "list", "list all objects of this IPC namespace",
	       KT_OPTS_ALL | KT_OPTS_FORMAT, kt_list, &kt_list_all);
