/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kipc: the admin tool. Shared declarations of its objects, commands, option
 * parsing and table output. (Not kipc.h: that name is libkipc's header, which
 * the tool includes too.)
 */
#ifndef KT_TOOL_H
#define KT_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <libsmartcols.h>

#include "kipc-admin.h"
#include "kipc.h"

/* The Makefile may pass the release; this is the fallback. */
#ifndef KIPC_TOOL_VERSION
#define KIPC_TOOL_VERSION "0.1.0"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Exit statuses: 0 success; 1 a failure of the module or the system; 2 a
 * mistake on the command line (an unknown word, a missing or bad argument),
 * as grep(1) and iproute2 separate them.
 */
#define KT_EXIT_FAILURE	1
#define KT_EXIT_USAGE	2
/* A wait that timed out (-t), as timeout(1) exits. */
#define KT_EXIT_TIMEOUT	124

/* What a table-printing command was asked for, from anywhere on the line. */
struct kt_output {
	const char *columns;	/* -o LIST */
	bool all;		/* --output-all */
	bool json;		/* -J */
	bool raw;		/* -r */
	bool noheadings;	/* -n */
	bool numeric_perms;	/* -P */
	bool bytes;		/* -b */
	bool prometheus;	/* --format prometheus */
};

extern struct kt_output kt_output;

/*
 * What a command of the data path (create, send, wait, ...) was asked for;
 * the defaults are in kipc.c.
 */
struct kt_args {
	uint32_t mode;		/* -m */
	bool excl;		/* --excl */
	uint32_t max_msgs;	/* --max-msgs */
	uint32_t max_msgsize;	/* --max-msgsize */
	bool hup;		/* --hup */
	bool creds;		/* --creds */
	bool regions;		/* --regions */
	uint32_t overflow;	/* --overflow: KIPC_MQ_FULL_* or 0 */
	uint64_t size;		/* --size */
	uint32_t value;		/* --value */
	uint32_t prio;		/* -p */
	bool timed;		/* -t was given ... */
	uint32_t timeout_ms;	/* ... with this */
	bool nonblock;		/* --nonblock */
	uint32_t count;		/* -c */
	bool peek;		/* --peek */
	bool verbose;		/* -v */
	bool undo;		/* --undo */
	bool exec;		/* --exec */
	const char *owner;	/* rm --owner */
	bool all;		/* rm --all */
	bool destroy;		/* rm --destroy */
	bool no_undo;		/* --no-undo */
	uint32_t error_exit;	/* -E: sem wait -- CMD's own failures; 0: unset */
};

extern struct kt_args kt_args;

/* Sets of options a command accepts, besides -h and -V. */
#define KT_OPTS_NONE		0U
#define KT_OPTS_TABLE		(1U << 0)	/* -o --output-all -J -r -n */
#define KT_OPTS_PERMS		(1U << 1)	/* -P */
#define KT_OPTS_BYTES		(1U << 2)	/* -b */
#define KT_OPTS_ALL		(KT_OPTS_TABLE | KT_OPTS_PERMS | KT_OPTS_BYTES)
#define KT_OPTS_CREATE		(1U << 3)	/* -m --excl */
#define KT_OPTS_WAIT		(1U << 4)	/* -t --nonblock */
#define KT_OPTS_SEND		(1U << 5)	/* -p */
#define KT_OPTS_RECV		(1U << 6)	/* -c --peek -r (the bytes) -v */
#define KT_OPTS_MQ_CREATE	(1U << 7)	/* --max-msgs --max-msgsize --hup --creds --overflow --regions */
#define KT_OPTS_SHM_CREATE	(1U << 8)	/* --size --exec */
#define KT_OPTS_SEM_CREATE	(1U << 9)	/* --value */
#define KT_OPTS_UNDO		(1U << 10)	/* --undo */
#define KT_OPTS_JSON		(1U << 11)	/* -J alone, without a table */
#define KT_OPTS_FORMAT		(1U << 12)	/* --format */
#define KT_OPTS_TOP		(1U << 13)	/* kipc top's own */
#define KT_OPTS_RM		(1U << 14)	/* --owner --all --destroy -v */

/**
 * struct kt_cmd - one command: `kipc OBJECT COMMAND [ARGS]`
 * @name: the word that selects it
 * @path: the words after "kipc" that run it, for messages ("mq list")
 * @summary: one line for the help of its object
 * @opts: KT_OPTS_* it accepts
 * @run: does it; argv[0] is the command word. Returns the exit status.
 * @help: prints its usage, options and anything else it takes
 * @data: private to @run and @help
 * @usage: for kt_cmd_help(), the words that follow @path
 * @doc: for kt_cmd_help(), what the command does, lines of text
 */
struct kt_cmd {
	const char *name;
	const char *path;
	const char *summary;
	unsigned int opts;
	int (*run)(const struct kt_cmd *cmd, int argc, char **argv);
	void (*help)(const struct kt_cmd *cmd, FILE *out);
	const void *data;
	const char *usage;
	const char *doc;
};

/**
 * struct kt_object - one object: `kipc OBJECT { COMMAND | help }`
 * @name: the word that selects it
 * @summary: one line for the top-level help
 * @cmds: its commands, ending with an empty entry; the first is the default
 *	when no command is given. NULL when the object is a command itself.
 * @self: the command that the object is, when @cmds is NULL
 */
struct kt_object {
	const char *name;
	const char *summary;
	const struct kt_cmd *cmds;
	const struct kt_cmd *self;
};

/**
 * struct kt_optdoc - an option of a command that parses its own (kipc top)
 * @val: its letter
 * @name: its long name
 * @arg: the name of its argument, or NULL
 * @help: one line for the help
 *
 * The command's help and the zsh completion (kipc completion zsh) are
 * printed from the same table.
 */
struct kt_optdoc {
	int val;
	const char *name;
	const char *arg;
	const char *help;
};

extern const struct kt_optdoc kt_top_opts[];
extern const size_t kt_top_nopts;
extern const char *const kt_top_keys[];
extern const size_t kt_top_nkeys;

/* The objects; each lives in its own file. */
extern const struct kt_cmd kt_list_cmd;
extern const struct kt_cmd kt_mq_cmds[];
extern const struct kt_cmd kt_shm_cmds[];
extern const struct kt_cmd kt_sem_cmds[];
extern const struct kt_cmd kt_stats_cmd;
extern const struct kt_cmd kt_limits_cmds[];
extern const struct kt_cmd kt_monitor_cmd;
extern const struct kt_cmd kt_top_cmd;
extern const struct kt_cmd kt_version_cmd;
extern const struct kt_cmd kt_rm_all_cmd;

/* kipc.c */
bool kt_parse_u32(const char *arg, int base, uint32_t lo, uint32_t hi,
		  uint32_t *out);
int kt_cmd_options(const struct kt_cmd *cmd, int argc, char **argv,
		   int *first);
int kt_cmd_args(const struct kt_cmd *cmd, int argc, char **argv,
		int min, int max, const char *what, int *first);
int kt_cmd_no_args(const struct kt_cmd *cmd, int argc, char **argv);
void kt_help_options(FILE *out, unsigned int opts);
void kt_cmd_help(const struct kt_cmd *cmd, FILE *out);

/* util.c */
void kt_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kt_usage_err(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int kt_errno(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int kt_dev_err(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *kt_strerror(int err);
int kt_admin_err(const struct kipc_admin *ka, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int kt_connect(struct kipc_admin **ka);
int kt_not_loaded(void);
char *kt_user_name(uint32_t uid);
char *kt_group_name(uint32_t gid);
char *kt_perms(uint32_t mode, bool numeric);
char *kt_time(uint64_t ns);
char *kt_u64(uint64_t v);
char *kt_size(uint64_t bytes);
bool kt_parse_size(const char *arg, uint64_t *out);
bool kt_parse_ms(const char *arg, uint32_t *out);
void kt_timeout_deadline(struct timespec *abs);
int kt_rm_run(const struct kt_cmd *cmd, int argc, char **argv);
void kt_rm_help(const struct kt_cmd *cmd, FILE *out);

/**
 * struct kt_column - a column a table can show
 * @name: upper-case name, for -o and the header; JSON uses it lower-cased
 * @whint: width hint for libsmartcols: < 1 a share of the terminal,
 *	>= 1 a number of cells
 * @flags: SCOLS_FL_*
 * @json: SCOLS_JSON_* type of its cells
 * @help: one line for the command's help
 * @scope: bits of the table kinds it applies to (for objects, 1 << type);
 *	0 when it applies to all
 * @size: its cells are sizes in bytes, human-readable (and JSON strings)
 *	unless --bytes is given; @json applies with --bytes
 * @fmt: for an object's column, makes the text of its cell from @obj's field
 *	at @field; NULL is an empty cell, or out of memory if it sets *@oom
 * @attr: for an object's column, KIPC_A_OBJ_* of its field: the cell is
 *	empty when the module did not report it; 0 to leave it to @fmt
 * @off: for an object's column, the offset of its field in @obj
 */
struct kt_column {
	const char *name;
	double whint;
	int flags;
	int json;
	const char *help;
	unsigned int scope;
	bool size;
	char *(*fmt)(const struct kipc_admin_obj *obj, const void *field,
		     bool *oom);
	unsigned int attr;
	size_t off;
};

#define KT_COLUMNS_MAX	64

/**
 * struct kt_columns - the columns a command will show
 * @cols: all the columns the command knows
 * @ncols: entries in @cols
 * @sel: indexes into @cols, in output order
 * @nsel: entries in @sel
 */
struct kt_columns {
	const struct kt_column *cols;
	size_t ncols;
	int sel[KT_COLUMNS_MAX];
	size_t nsel;
};

/* table.c */
int kt_columns_select(struct kt_columns *c, const struct kt_cmd *cmd,
		      const char *defaults, unsigned int scope);
void kt_help_columns(FILE *out, const struct kt_column *cols,
		     size_t ncols, const char *defaults, unsigned int scope);
struct libscols_table *kt_table_new(const char *name,
				    const struct kt_columns *c);
int kt_table_print(struct libscols_table *tb);
/*
 * The text of cell @col (an index into the command's columns) of the line of
 * @rec; NULL for an empty cell, or, with *@oom set, for out of memory.
 */
typedef char *(*kt_cell_fn)(int col, const void *rec, bool *oom);
/* Add a line of @rec's cells to @tb. Returns 0 or -ENOMEM. */
int kt_table_add_line(struct libscols_table *tb, const struct kt_columns *c,
		      kt_cell_fn cell, const void *rec);

/**
 * struct kt_list_spec - what one list, show, rm or destroy command works on
 * @type: KIPC_OBJ_* to keep, or 0 for all
 * @what: the objects, in words
 * @noun: one object in a word, for messages; NULL when @type is 0
 * @defaults: default columns
 * @removal: for destroy's help, what an admin removal does to its users
 * @unlink: for rm's help, what unlinking a name does
 */
struct kt_list_spec {
	unsigned int type;
	const char *what;
	const char *noun;
	const char *defaults;
	const char *removal;
	const char *unlink;
};

/* For destroy's help: what removal does to a queue or a semaphore. */
#define KT_REMOVAL_WAKES						\
	"every task blocked on it wakes with EIDRM (\"Identifier\n"	\
	"removed\"), and every later call on an fd still open to it fails\n" \
	"with EIDRM. It is freed when its last fd is closed."

/* objects.c: list, show and destroy of a type of object, over netlink */
int kt_list_run(const struct kt_cmd *cmd, int argc, char **argv);
void kt_list_help(const struct kt_cmd *cmd, FILE *out);
int kt_show_run(const struct kt_cmd *cmd, int argc, char **argv);
void kt_show_help(const struct kt_cmd *cmd, FILE *out);
int kt_destroy_run(const struct kt_cmd *cmd, int argc, char **argv);
void kt_destroy_help(const struct kt_cmd *cmd, FILE *out);

/* A command of a type's table, run by @fn_run and helped by @fn_help. */
#define KT_CMD(_name, _path, _summary, _opts, fn, _data) {		\
	.name = _name,							\
	.path = _path,							\
	.summary = _summary,						\
	.opts = _opts,							\
	.run = fn##_run,						\
	.help = fn##_help,						\
	.data = _data,							\
}

/* A command whose help is @usage, fn_doc and its options. */
#define KT_DOC_CMD(_name, _path, _summary, _opts, fn, _usage) {	\
	.name = _name,							\
	.path = _path,							\
	.summary = _summary,						\
	.opts = _opts,							\
	.run = fn##_run,						\
	.help = kt_cmd_help,						\
	.usage = _usage,						\
	.doc = fn##_doc,						\
}

/* The commands every type has, for @type (mq, shm or sem) and @spec. */
#define KT_LIST_CMD(type, summary, spec)				\
	KT_CMD("list", type " list", summary,				\
	       KT_OPTS_ALL | KT_OPTS_FORMAT, kt_list, spec)
#define KT_SHOW_CMD(type, summary, spec)				\
	KT_CMD("show", type " show", summary, KT_OPTS_ALL, kt_show, spec)
#define KT_RM_CMD(type, summary, spec)					\
	KT_CMD("rm", type " rm", summary, KT_OPTS_NONE, kt_rm, spec)
#define KT_DESTROY_CMD(type, summary, spec)				\
	KT_CMD("destroy", type " destroy", summary, KT_OPTS_NONE,	\
	       kt_destroy, spec)

/* objects.c, for anyone that prints objects */
extern const struct kt_column kt_obj_columns[];
extern const size_t kt_obj_ncolumns;
int kt_obj_add_line(struct libscols_table *tb, const struct kt_columns *c,
		    const struct kipc_admin_obj *obj);

/* shm.c */
char *kt_shm_seals(uint32_t seals);

/* prom.c: the Prometheus text format; each returns an exit status */
int kt_prom_stats(const struct kipc_admin_stats *st);
int kt_prom_list(unsigned int type);

/* holders.c: the processes with @obj open or mapped, from /proc */
char *kt_holders(const struct kipc_admin_obj *obj, bool *oom);

#endif /* KT_TOOL_H */
