/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kipc: the admin tool. Shared declarations of its objects, commands, option
 * parsing and table output. (Not kipc.h: that name is libkipc's header, which
 * the tool includes too.)
 */
#ifndef KIPC_TOOL_H
#define KIPC_TOOL_H

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
#define KIPC_EXIT_FAILURE	1
#define KIPC_EXIT_USAGE		2

/* What a table-printing command was asked for, from anywhere on the line. */
struct kipc_output {
	const char *columns;	/* -o LIST */
	bool all;		/* --output-all */
	bool json;		/* -J */
	bool raw;		/* -r */
	bool noheadings;	/* -n */
	bool numeric_perms;	/* -P */
	bool bytes;		/* -b */
};

extern struct kipc_output kipc_output;

/*
 * What a command of the data path (create, send, wait, ...) was asked for;
 * the defaults are in kipc.c.
 */
struct kipc_args {
	uint32_t mode;		/* -m */
	bool excl;		/* --excl */
	uint32_t max_msgs;	/* --max-msgs */
	uint32_t max_msgsize;	/* --max-msgsize */
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
};

extern struct kipc_args kipc_args;

/* Sets of options a command accepts, besides -h and -V. */
#define KIPC_OPTS_NONE	0U
#define KIPC_OPTS_TABLE	(1U << 0)	/* -o --output-all -J -r -n */
#define KIPC_OPTS_PERMS	(1U << 1)	/* -P */
#define KIPC_OPTS_BYTES	(1U << 2)	/* -b */
#define KIPC_OPTS_ALL	(KIPC_OPTS_TABLE | KIPC_OPTS_PERMS | KIPC_OPTS_BYTES)
#define KIPC_OPTS_CREATE (1U << 3)	/* -m --excl */
#define KIPC_OPTS_WAIT	(1U << 4)	/* -t --nonblock */
#define KIPC_OPTS_SEND	(1U << 5)	/* -p */
#define KIPC_OPTS_RECV	(1U << 6)	/* -c --peek -r (the bytes) -v */
#define KIPC_OPTS_MQ_CREATE (1U << 7)	/* --max-msgs --max-msgsize */
#define KIPC_OPTS_SHM_CREATE (1U << 8)	/* --size --exec */
#define KIPC_OPTS_SEM_CREATE (1U << 9)	/* --value */
#define KIPC_OPTS_UNDO	(1U << 10)	/* --undo */
#define KIPC_OPTS_JSON	(1U << 11)	/* -J alone, without a table */

/**
 * struct kipc_cmd - one command: `kipc OBJECT COMMAND [ARGS]`
 * @name: the word that selects it
 * @path: the words after "kipc" that run it, for messages ("mq list")
 * @summary: one line for the help of its object
 * @opts: KIPC_OPTS_* it accepts
 * @run: does it; argv[0] is the command word. Returns the exit status.
 * @help: prints its usage, options and anything else it takes
 * @data: private to @run and @help
 */
struct kipc_cmd {
	const char *name;
	const char *path;
	const char *summary;
	unsigned int opts;
	int (*run)(const struct kipc_cmd *cmd, int argc, char **argv);
	void (*help)(const struct kipc_cmd *cmd, FILE *out);
	const void *data;
};

/**
 * struct kipc_object - one object: `kipc OBJECT { COMMAND | help }`
 * @name: the word that selects it
 * @summary: one line for the top-level help
 * @cmds: its commands, ending with an empty entry; the first is the default
 *	when no command is given. NULL when the object is a command itself.
 * @self: the command that the object is, when @cmds is NULL
 */
struct kipc_object {
	const char *name;
	const char *summary;
	const struct kipc_cmd *cmds;
	const struct kipc_cmd *self;
};

/* The objects; each lives in its own file. */
extern const struct kipc_cmd kipc_list_cmd;
extern const struct kipc_cmd kipc_mq_cmds[];
extern const struct kipc_cmd kipc_shm_cmds[];
extern const struct kipc_cmd kipc_sem_cmds[];
extern const struct kipc_cmd kipc_stats_cmd;
extern const struct kipc_cmd kipc_limits_cmds[];
extern const struct kipc_cmd kipc_monitor_cmd;
extern const struct kipc_cmd kipc_version_cmd;

/* kipc.c */
bool kipc_parse_u32(const char *arg, int base, uint32_t lo, uint32_t hi,
		    uint32_t *out);
int kipc_cmd_options(const struct kipc_cmd *cmd, int argc, char **argv,
		     int *first);
int kipc_cmd_args(const struct kipc_cmd *cmd, int argc, char **argv,
		  int min, int max, const char *what, int *first);
int kipc_cmd_no_args(const struct kipc_cmd *cmd, int argc, char **argv);
void kipc_help_options(FILE *out, unsigned int opts);

/* util.c */
void kipc_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kipc_usage_err(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int kipc_errno(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int kipc_dev_err(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int kipc_admin_err(const struct kipc_admin *ka, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int kipc_connect(struct kipc_admin **ka);
int kipc_not_loaded(void);
char *kipc_user_name(uint32_t uid);
char *kipc_group_name(uint32_t gid);
char *kipc_perms(uint32_t mode, bool numeric);
char *kipc_time(uint64_t ns);
char *kipc_u64(uint64_t v);
char *kipc_size(uint64_t bytes);
bool kipc_parse_size(const char *arg, uint64_t *out);
void kipc_timeout_deadline(struct timespec *abs);
int kipc_unlink_names(unsigned int type, const char *noun, int argc,
		      char **argv, int first);

/**
 * struct kipc_column - a column a table can show
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
struct kipc_column {
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

#define KIPC_COLUMNS_MAX	64

/**
 * struct kipc_columns - the columns a command will show
 * @cols: all the columns the command knows
 * @ncols: entries in @cols
 * @sel: indexes into @cols, in output order
 * @nsel: entries in @sel
 */
struct kipc_columns {
	const struct kipc_column *cols;
	size_t ncols;
	int sel[KIPC_COLUMNS_MAX];
	size_t nsel;
};

/* table.c */
int kipc_columns_select(struct kipc_columns *c, const struct kipc_cmd *cmd,
			const char *defaults, unsigned int scope);
void kipc_help_columns(FILE *out, const struct kipc_column *cols,
		       size_t ncols, const char *defaults, unsigned int scope);
struct libscols_table *kipc_table_new(const char *name,
				      const struct kipc_columns *c);
int kipc_table_print(struct libscols_table *tb);

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

/* For destroy's help: what removal does to a queue or a semaphore. */
#define KIPC_REMOVAL_WAKES						\
	"every task blocked on it wakes with EIDRM (\"Identifier\n"	\
	"removed\"), and every later call on an fd still open to it fails\n" \
	"with EIDRM. It is freed when its last fd is closed."

/* objects.c: list, show and destroy of a type of object, over netlink */
int kipc_list_run(const struct kipc_cmd *cmd, int argc, char **argv);
void kipc_list_help(const struct kipc_cmd *cmd, FILE *out);
int kipc_show_run(const struct kipc_cmd *cmd, int argc, char **argv);
void kipc_show_help(const struct kipc_cmd *cmd, FILE *out);
int kipc_destroy_run(const struct kipc_cmd *cmd, int argc, char **argv);
void kipc_destroy_help(const struct kipc_cmd *cmd, FILE *out);

/* The list command of a type, or of all of them (@_spec's type 0). */
#define KIPC_LIST_CMD(_path, _summary, _spec) {	\
	.name = "list",					\
	.path = _path,					\
	.summary = _summary,				\
	.opts = KIPC_OPTS_ALL,				\
	.run = kipc_list_run,				\
	.help = kipc_list_help,				\
	.data = _spec,					\
}

/* objects.c, for anyone that prints objects */
extern const struct kipc_column kipc_obj_columns[];
extern const size_t kipc_obj_ncolumns;
int kipc_obj_add_line(struct libscols_table *tb, const struct kipc_columns *c,
		      const struct kipc_admin_obj *obj);

/* shm.c */
char *kipc_shm_seals(uint32_t seals);

#endif /* KIPC_TOOL_H */
