// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: inspect the kipc module's objects.
 *
 *	kipc [OPTIONS] OBJECT { COMMAND | help }
 *
 * The grammar is iproute2's, with whole words only: a prefix that happens to
 * be unique today would become ambiguous, and break scripts, as soon as a
 * new command shares it. Options go before the object or after the command.
 * A word the tool does not know is a usage error, which exits with 2.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kipc-tool.h"

struct kipc_output kipc_output;

/*
 * The defaults of Linux's POSIX queues (fs.mqueue.msg_default and friends);
 * a region of one page (a --size of 0 stands for it), a semaphore of 0.
 */
struct kipc_args kipc_args = {
	.mode = 0600,
	.max_msgs = 10,
	.max_msgsize = 8192,
	.count = 1,
};

static const struct kipc_object kipc_objects[] = {
	{ "list", "list all objects of this IPC namespace", NULL,
	  &kipc_list_cmd },
	{ "mq", "message queues", kipc_mq_cmds, NULL },
	{ "shm", "shared memory regions", kipc_shm_cmds, NULL },
	{ "sem", "semaphores", kipc_sem_cmds, NULL },
	{ "limits", "show and set the limits of this IPC namespace",
	  kipc_limits_cmds, NULL },
	{ "stats", "usage and limits of this IPC namespace", NULL,
	  &kipc_stats_cmd },
	{ "monitor", "print create, unlink, remove and destroy events",
	  NULL, &kipc_monitor_cmd },
	{ "version", "versions of the tool, the module and its ABI", NULL,
	  &kipc_version_cmd },
};

enum {
	OPT_OUTPUT_ALL = 0x100,
	OPT_MAX_MSGS,
	OPT_MAX_MSGSIZE,
	OPT_EXCL,
	OPT_NONBLOCK,
	OPT_PEEK,
	OPT_SIZE,
	OPT_VALUE,
	OPT_UNDO,
	OPT_EXEC,
};

/*
 * Both getopt's tables and the help come from this one. An option may have
 * an entry per set when it means something else there: -r is raw table
 * output for a table and the bare message bytes for `mq recv`.
 */
static const struct kipc_opt {
	int val;
	const char *name;
	const char *arg;
	unsigned int set;	/* KIPC_OPTS_*; 0: every command takes it */
	const char *help;
} kipc_opts[] = {
	{ 'o', "output", "LIST", KIPC_OPTS_TABLE,
	  "columns to print; +LIST adds to the defaults" },
	{ OPT_OUTPUT_ALL, "output-all", NULL, KIPC_OPTS_TABLE,
	  "print all columns" },
	{ 'J', "json", NULL, KIPC_OPTS_TABLE | KIPC_OPTS_JSON,
	  "use JSON output" },
	{ 'r', "raw", NULL, KIPC_OPTS_TABLE, "use raw output" },
	{ 'n', "noheadings", NULL, KIPC_OPTS_TABLE, "do not print headings" },
	{ 'P', "numeric-perms", NULL, KIPC_OPTS_PERMS,
	  "print permissions in octal" },
	{ 'b', "bytes", NULL, KIPC_OPTS_BYTES,
	  "print sizes in bytes, not in K, M, G" },
	{ OPT_MAX_MSGS, "max-msgs", "N", KIPC_OPTS_MQ_CREATE,
	  "capacity in messages (default 10)" },
	{ OPT_MAX_MSGSIZE, "max-msgsize", "N", KIPC_OPTS_MQ_CREATE,
	  "largest message in bytes (default 8192)" },
	{ OPT_SIZE, "size", "N[K|M|G]", KIPC_OPTS_SHM_CREATE,
	  "size in bytes or KiB, MiB, GiB (default one page)" },
	{ OPT_EXEC, "exec", NULL, KIPC_OPTS_SHM_CREATE,
	  "mappings may execute (PROT_EXEC)" },
	{ OPT_VALUE, "value", "N", KIPC_OPTS_SEM_CREATE,
	  "initial value (default 0)" },
	{ 'm', "mode", "OCTAL", KIPC_OPTS_CREATE,
	  "permissions, less the umask (default 0600)" },
	{ OPT_EXCL, "excl", NULL, KIPC_OPTS_CREATE,
	  "fail if it exists already" },
	{ 'p', "prio", "N", KIPC_OPTS_SEND,
	  "priority 0..31, higher first (default 0)" },
	{ 'c', "count", "N", KIPC_OPTS_RECV,
	  "receive N messages (default 1)" },
	{ OPT_PEEK, "peek", NULL, KIPC_OPTS_RECV,
	  "copy messages without removing them" },
	{ 'r', "raw", NULL, KIPC_OPTS_RECV,
	  "write the bytes as they are, no newline" },
	{ 'v', "verbose", NULL, KIPC_OPTS_RECV,
	  "print each message's priority too" },
	{ 't', "timeout", "MS", KIPC_OPTS_WAIT,
	  "give up after MS milliseconds" },
	{ OPT_NONBLOCK, "nonblock", NULL, KIPC_OPTS_WAIT,
	  "fail at once rather than wait" },
	{ OPT_UNDO, "undo", NULL, KIPC_OPTS_UNDO,
	  "give the units back if kipc dies holding them" },
	{ 'h', "help", NULL, 0, "display help and exit" },
	{ 'V', "version", NULL, 0, "display the tool's version and exit" },
};

/* getopt's tables, from kipc_opts: an option with two entries is one. */
static struct option kipc_longopts[ARRAY_SIZE(kipc_opts) + 1];
/* '+' (maybe), ':', then a letter and maybe a ':' for each option, NUL. */
static char kipc_shortopts[2 + 2 * ARRAY_SIZE(kipc_opts) + 1];

/*
 * Fill kipc_longopts and kipc_shortopts, from the second character on of the
 * latter: the first is left to kipc_getopt(). ':' first: report missing
 * arguments ourselves, with our own prefix.
 */
static void kipc_getopt_tables(void)
{
	char *sp = kipc_shortopts + 1;
	size_t i, j, n = 0;

	*sp++ = ':';
	for (i = 0; i < ARRAY_SIZE(kipc_opts); i++) {
		const struct kipc_opt *o = &kipc_opts[i];

		for (j = 0; j < n; j++)
			if (kipc_longopts[j].val == o->val)
				break;
		if (j < n)
			continue;
		kipc_longopts[n++] = (struct option){
			.name = o->name,
			.has_arg = o->arg ? required_argument : no_argument,
			.val = o->val,
		};
		if (o->val >= 0x100)
			continue;
		*sp++ = o->val;
		if (o->arg)
			*sp++ = ':';
	}
}

/* The entry of @val for a command taking @allowed, else its first entry. */
static const struct kipc_opt *kipc_opt_find(int val, unsigned int allowed)
{
	const struct kipc_opt *first = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kipc_opts); i++) {
		const struct kipc_opt *o = &kipc_opts[i];

		if (o->val != val)
			continue;
		if (!o->set || (o->set & allowed))
			return o;
		if (!first)
			first = o;
	}
	return first;
}

/* A whole number from @lo to @hi in @base: no sign, no blanks, no suffix. */
bool kipc_parse_u32(const char *arg, int base, uint32_t lo,
			   uint32_t hi, uint32_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, base);
	if (!isdigit((unsigned char)arg[0]) || *end || errno || v < lo ||
	    v > hi)
		return false;
	*out = v;
	return true;
}

/* The number of option @o, into @out. Returns 0, or an exit status. */
static int kipc_opt_u32(const char *path, const struct kipc_opt *o,
			const char *arg, uint32_t lo, uint32_t hi,
			uint32_t *out)
{
	if (kipc_parse_u32(arg, 10, lo, hi, out))
		return 0;
	return kipc_usage_err(path, "invalid value '%s' for '--%s': a number from %u to %u",
			      arg, o->name, lo, hi);
}

void kipc_help_options(FILE *out, unsigned int opts)
{
	size_t i;

	fprintf(out, "\nOptions:\n");
	for (i = 0; i < ARRAY_SIZE(kipc_opts); i++) {
		const struct kipc_opt *o = &kipc_opts[i];
		char lng[32];

		if (o->set && !(o->set & opts))
			continue;
		snprintf(lng, sizeof(lng), "--%s%s%s", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		if (o->val < 0x100)
			fprintf(out, " -%c, %-20s %s\n", o->val, lng, o->help);
		else
			fprintf(out, "     %-20s %s\n", lng, o->help);
	}
}

static void kipc_usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: kipc [OPTIONS] OBJECT { COMMAND | help }\n"
		"       kipc help\n"
		"       kipc { -V | --version }\n"
		"\nwhere  OBJECT := {");
	for (i = 0; i < ARRAY_SIZE(kipc_objects); i++)
		fprintf(out, " %s%s", kipc_objects[i].name,
			i + 1 < ARRAY_SIZE(kipc_objects) ? " |" : " }\n");
	fprintf(out, "\nInspect the named message queues, shared memory regions and semaphores\n"
		"of the kipc module in the caller's IPC namespace; create, use and remove\n"
		"them.\n");
	fprintf(out, "\nObjects:\n");
	for (i = 0; i < ARRAY_SIZE(kipc_objects); i++)
		fprintf(out, " %-9s %s\n", kipc_objects[i].name,
			kipc_objects[i].summary);
	kipc_help_options(out, KIPC_OPTS_ALL);
	fprintf(out, "\nRun 'kipc OBJECT help' for the commands and options of an object.\n");
}

static void kipc_object_help(const struct kipc_object *obj, FILE *out)
{
	const struct kipc_cmd *cmd;

	fprintf(out, "Usage: kipc [OPTIONS] %s { COMMAND | help }\n",
		obj->name);
	fprintf(out, "\nwhere  COMMAND := {");
	for (cmd = obj->cmds; cmd->name; cmd++)
		fprintf(out, " %s%s", cmd->name, cmd[1].name ? " |" : " }\n");
	fprintf(out, "\nCommands:\n");
	for (cmd = obj->cmds; cmd->name; cmd++)
		fprintf(out, " %-9s %s%s\n", cmd->name, cmd->summary,
			cmd == obj->cmds ? " (the default)" : "");
	fprintf(out, "\nRun 'kipc %s COMMAND help' for the options of a command.\n",
		obj->name);
}

#define KIPC_GO_ON	-1
#define KIPC_HELP	-2

/*
 * Parse the options in @argv for a command taking @allowed, from argv[1] on.
 * @stop_at_word: stop at the first word (the top level, where the object
 * comes next), or take options from anywhere (a command's own line).
 *
 * Returns KIPC_GO_ON with *@first at the first word left, KIPC_HELP for -h,
 * or an exit status.
 */
static int kipc_getopt(const char *path, unsigned int allowed,
		       bool stop_at_word, int argc, char **argv, int *first)
{
	const char *shortopts;
	const struct kipc_opt *o;
	int c, ret;

	if (!kipc_longopts[0].name)
		kipc_getopt_tables();
	/* '+': stop at the first word rather than permute. */
	kipc_shortopts[0] = '+';
	shortopts = kipc_shortopts + !stop_at_word;
	opterr = 0;
	/* 0, not 1: a full restart of GNU getopt for each command line. */
	optind = 0;
	while ((c = getopt_long(argc, argv, shortopts, kipc_longopts,
				NULL)) != -1) {
		switch (c) {
		case '?':
			if (optopt)
				return kipc_usage_err(path, "invalid option '-%c'",
						      optopt);
			return kipc_usage_err(path, "unrecognized option '%s'",
					      argv[optind - 1]);
		case ':':
			return kipc_usage_err(path, "option '%s' requires an argument",
					      argv[optind - 1]);
		}
		o = kipc_opt_find(c, allowed);
		if (!o)
			return kipc_usage_err(path, "unexpected option");
		if (o->set && !(o->set & allowed))
			return kipc_usage_err(path, "option '--%s' does not apply to '%s'",
					      o->name, path ? path : "kipc");
		ret = 0;
		switch (c) {
		case 'o':
			kipc_output.columns = optarg;
			break;
		case OPT_OUTPUT_ALL:
			kipc_output.all = true;
			break;
		case 'J':
			kipc_output.json = true;
			break;
		case 'r':
			kipc_output.raw = true;
			break;
		case 'n':
			kipc_output.noheadings = true;
			break;
		case 'P':
			kipc_output.numeric_perms = true;
			break;
		case 'b':
			kipc_output.bytes = true;
			break;
		case OPT_MAX_MSGS:
			ret = kipc_opt_u32(path, o, optarg, 1, UINT32_MAX,
					   &kipc_args.max_msgs);
			break;
		case OPT_MAX_MSGSIZE:
			ret = kipc_opt_u32(path, o, optarg, 1, UINT32_MAX,
					   &kipc_args.max_msgsize);
			break;
		case 'm':
			/* The kernel takes read and write bits only. */
			if (!kipc_parse_u32(optarg, 8, 0, 0666,
					    &kipc_args.mode) ||
			    (kipc_args.mode & ~0666))
				ret = kipc_usage_err(path, "invalid mode '%s': octal, a subset of 0666",
						     optarg);
			break;
		case OPT_EXCL:
			kipc_args.excl = true;
			break;
		case OPT_SIZE:
			if (!kipc_parse_size(optarg, &kipc_args.size) ||
			    !kipc_args.size)
				ret = kipc_usage_err(path, "invalid size '%s': a number of bytes above 0, or of K, M or G",
						     optarg);
			break;
		case OPT_VALUE:
			ret = kipc_opt_u32(path, o, optarg, 0,
					   KIPC_SEM_VALUE_MAX,
					   &kipc_args.value);
			break;
		case OPT_UNDO:
			kipc_args.undo = true;
			break;
		case OPT_EXEC:
			kipc_args.exec = true;
			break;
		case 'p':
			ret = kipc_opt_u32(path, o, optarg, 0, KIPC_MQ_PRIO_MAX,
					   &kipc_args.prio);
			break;
		case 'c':
			ret = kipc_opt_u32(path, o, optarg, 1, UINT32_MAX,
					   &kipc_args.count);
			break;
		case OPT_PEEK:
			kipc_args.peek = true;
			break;
		case 'v':
			kipc_args.verbose = true;
			break;
		case 't':
			ret = kipc_opt_u32(path, o, optarg, 0, UINT32_MAX,
					   &kipc_args.timeout_ms);
			kipc_args.timed = true;
			break;
		case OPT_NONBLOCK:
			kipc_args.nonblock = true;
			break;
		case 'h':
			return KIPC_HELP;
		case 'V':
			printf("kipc %s\n", KIPC_TOOL_VERSION);
			return 0;
		}
		if (ret)
			return ret;
	}
	if (kipc_output.json && kipc_output.raw)
		return kipc_usage_err(path, "'--json' and '--raw' exclude each other");
	if (kipc_output.all && kipc_output.columns)
		return kipc_usage_err(path, "'--output' and '--output-all' exclude each other");
	*first = optind;
	return KIPC_GO_ON;
}

/*
 * Parse a command's options. Returns -1 to go on, with argv[*first..] the
 * words that are not options, or the exit status to end with.
 */
int kipc_cmd_options(const struct kipc_cmd *cmd, int argc, char **argv,
		     int *first)
{
	int ret;

	ret = kipc_getopt(cmd->path, cmd->opts, false, argc, argv, first);
	if (ret == KIPC_HELP) {
		cmd->help(cmd, stdout);
		return 0;
	}
	return ret;
}

/*
 * Parse a command's options and check that @min to @max words are left;
 * @what names the first one missing. A lone "help" prints the command's help,
 * unless it comes after "--", which makes it an argument (a queue may be
 * called help). Returns -1 to go on, with argv[*first..] the words, or the
 * exit status to end with.
 */
int kipc_cmd_args(const struct kipc_cmd *cmd, int argc, char **argv,
		  int min, int max, const char *what, int *first)
{
	int ret, n;

	ret = kipc_cmd_options(cmd, argc, argv, first);
	if (ret != KIPC_GO_ON)
		return ret;
	n = argc - *first;
	/* GNU getopt moves a "--" to just before the words it ended. */
	if (n == 1 && !strcmp(argv[*first], "help") &&
	    strcmp(argv[*first - 1], "--")) {
		cmd->help(cmd, stdout);
		return 0;
	}
	if (n < min)
		return kipc_usage_err(cmd->path, "'%s' needs %s", cmd->path,
				      what);
	if (n > max)
		return kipc_usage_err(cmd->path, "unexpected argument '%s' to '%s'",
				      argv[*first + max], cmd->path);
	return KIPC_GO_ON;
}

/*
 * For commands that take options and nothing else but "help". Returns -1 to
 * go on, or the exit status to end with.
 */
int kipc_cmd_no_args(const struct kipc_cmd *cmd, int argc, char **argv)
{
	int first;

	return kipc_cmd_args(cmd, argc, argv, 0, 0, NULL, &first);
}

/* @argv[0] is the object's word. */
static int kipc_run_object(const struct kipc_object *obj, int argc,
			   char **argv)
{
	const struct kipc_cmd *cmd;

	if (obj->self)
		return obj->self->run(obj->self, argc, argv);
	/* Options alone run the default command, as `ip link -d` does. */
	if (argc < 2 || argv[1][0] == '-')
		return obj->cmds[0].run(&obj->cmds[0], argc, argv);
	if (!strcmp(argv[1], "help")) {
		if (argc > 2)
			return kipc_usage_err(obj->name, "unexpected argument '%s' after 'help'",
					      argv[2]);
		kipc_object_help(obj, stdout);
		return 0;
	}
	for (cmd = obj->cmds; cmd->name; cmd++)
		if (!strcmp(cmd->name, argv[1]))
			return cmd->run(cmd, argc - 1, argv + 1);
	return kipc_usage_err(obj->name, "unknown command '%s' for object '%s'",
			      argv[1], obj->name);
}

/* Exit with 1 when stdout could not be written, e.g. to a full disk. */
static int kipc_close_stdout(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		kipc_err("write error");
		return 1;
	}
	return status;
}

int main(int argc, char **argv)
{
	const char *word;
	int ret, first;
	size_t i;

	setlocale(LC_ALL, "");

	ret = kipc_getopt(NULL, KIPC_OPTS_ALL, true, argc, argv, &first);
	if (ret == KIPC_HELP) {
		kipc_usage(stdout);
		return kipc_close_stdout(0);
	}
	if (ret != KIPC_GO_ON)
		return kipc_close_stdout(ret);
	if (first == argc) {
		kipc_usage(stderr);
		return KIPC_EXIT_USAGE;
	}

	word = argv[first];
	if (!strcmp(word, "help")) {
		if (first + 1 < argc)
			return kipc_usage_err(NULL, "unexpected argument '%s' after 'help'",
					      argv[first + 1]);
		kipc_usage(stdout);
		return kipc_close_stdout(0);
	}
	for (i = 0; i < ARRAY_SIZE(kipc_objects); i++)
		if (!strcmp(kipc_objects[i].name, word))
			break;
	if (i == ARRAY_SIZE(kipc_objects))
		return kipc_usage_err(NULL, "unknown object '%s'", word);

	ret = kipc_run_object(&kipc_objects[i], argc - first, argv + first);
	return kipc_close_stdout(ret);
}
