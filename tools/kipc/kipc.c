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

struct kt_output kt_output;

/*
 * The defaults of Linux's POSIX queues (fs.mqueue.msg_default and friends);
 * a region of one page (a --size of 0 stands for it), a semaphore of 0.
 */
struct kt_args kt_args = {
	.mode = 0600,
	.max_msgs = 10,
	.max_msgsize = 8192,
	.count = 1,
};

static const struct kt_object kt_objects[] = {
	{ "list", "list all objects of this IPC namespace", NULL,
	  &kt_list_cmd },
	{ "mq", "message queues", kt_mq_cmds, NULL },
	{ "shm", "shared memory regions", kt_shm_cmds, NULL },
	{ "sem", "semaphores", kt_sem_cmds, NULL },
	{ "limits", "show and set the limits of this IPC namespace",
	  kt_limits_cmds, NULL },
	{ "stats", "usage and limits of this IPC namespace", NULL,
	  &kt_stats_cmd },
	{ "monitor", "print create, unlink, remove and destroy events",
	  NULL, &kt_monitor_cmd },
	{ "top", "live view of the busiest objects", NULL, &kt_top_cmd },
	{ "version", "versions of the tool, the module and its ABI", NULL,
	  &kt_version_cmd },
	{ "rm", "unlink the objects of a user, or all, in this IPC namespace",
	  NULL, &kt_rm_all_cmd },
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
	OPT_FORMAT,
	OPT_OWNER,
	OPT_ALL,
	OPT_DESTROY,
	OPT_NO_UNDO,
	OPT_HUP,
	OPT_CREDS,
	OPT_OVERFLOW,
	OPT_REGIONS,
};

/*
 * Both getopt's tables and the help come from this one. An option may have
 * an entry per set when it means something else there: -r is raw table
 * output for a table and the bare message bytes for `mq recv`.
 */
static const struct kt_opt {
	int val;
	const char *name;
	const char *arg;
	unsigned int set;	/* KT_OPTS_*; 0: every command takes it */
	const char *help;
} kt_opts[] = {
	{ 'o', "output", "LIST", KT_OPTS_TABLE,
	  "columns to print; +LIST adds to the defaults" },
	{ OPT_OUTPUT_ALL, "output-all", NULL, KT_OPTS_TABLE,
	  "print all columns" },
	{ 'J', "json", NULL, KT_OPTS_TABLE | KT_OPTS_JSON,
	  "use JSON output" },
	{ 'r', "raw", NULL, KT_OPTS_TABLE, "use raw output" },
	{ OPT_FORMAT, "format", "FORMAT", KT_OPTS_FORMAT,
	  "table (default), json (as -J) or prometheus" },
	{ 'n', "noheadings", NULL, KT_OPTS_TABLE, "do not print headings" },
	{ 'P', "numeric-perms", NULL, KT_OPTS_PERMS,
	  "print permissions in octal" },
	{ 'b', "bytes", NULL, KT_OPTS_BYTES,
	  "print sizes in bytes, not in K, M, G" },
	{ OPT_MAX_MSGS, "max-msgs", "N", KT_OPTS_MQ_CREATE,
	  "capacity in messages (default 10)" },
	{ OPT_MAX_MSGSIZE, "max-msgsize", "N", KT_OPTS_MQ_CREATE,
	  "largest message in bytes (default 8192)" },
	{ OPT_HUP, "hup", NULL, KT_OPTS_MQ_CREATE,
	  "end-of-file and EPIPE when one side is gone (KIPC_MQ_HUP)" },
	{ OPT_CREDS, "creds", NULL, KT_OPTS_MQ_CREATE,
	  "messages carry their sender's pid, uid and gid (KIPC_MQ_CREDS)" },
	{ OPT_OVERFLOW, "overflow", "POLICY", KT_OPTS_MQ_CREATE,
	  "a send on a full queue: block (default), fail or drop-oldest" },
	{ OPT_REGIONS, "regions", NULL, KT_OPTS_MQ_CREATE,
	  "messages may carry a shared memory region (KIPC_MQ_REGIONS)" },
	{ OPT_SIZE, "size", "N[K|M|G]", KT_OPTS_SHM_CREATE,
	  "size in bytes, K[iB], M[iB], G[iB]; KB, MB, GB are of 1000 (default one page)" },
	{ OPT_EXEC, "exec", NULL, KT_OPTS_SHM_CREATE,
	  "mappings may execute (PROT_EXEC)" },
	{ OPT_VALUE, "value", "N", KT_OPTS_SEM_CREATE,
	  "initial value (default 0)" },
	{ 'm', "mode", "OCTAL", KT_OPTS_CREATE,
	  "permissions, less the umask (default 0600)" },
	{ OPT_EXCL, "excl", NULL, KT_OPTS_CREATE,
	  "fail if it exists already" },
	{ 'p', "prio", "N", KT_OPTS_SEND,
	  "priority 0..31, higher first (default 0)" },
	{ 'c', "count", "N", KT_OPTS_RECV,
	  "receive N messages (default 1)" },
	{ OPT_PEEK, "peek", NULL, KT_OPTS_RECV,
	  "copy messages without removing them" },
	{ 'r', "raw", NULL, KT_OPTS_RECV,
	  "write the bytes as they are, no newline" },
	{ 'v', "verbose", NULL, KT_OPTS_RECV,
	  "print each message's priority too" },
	{ 't', "timeout", "TIME", KT_OPTS_WAIT,
	  "give up after TIME: ms, or 500ms, 5s, 2m" },
	{ OPT_NONBLOCK, "nonblock", NULL, KT_OPTS_WAIT,
	  "fail at once rather than wait" },
	{ OPT_UNDO, "undo", NULL, KT_OPTS_UNDO,
	  "give the units back if kipc dies holding them" },
	{ OPT_NO_UNDO, "no-undo", NULL, KT_OPTS_UNDO,
	  "with a COMMAND, no undo (the default there is --undo)" },
	{ 'E', "error-exit", "N", KT_OPTS_UNDO,
	  "with a COMMAND, exit N (1-255) when kipc itself fails" },
	{ OPT_OWNER, "owner", "USER", KT_OPTS_RM,
	  "the objects that USER owns" },
	{ OPT_ALL, "all", NULL, KT_OPTS_RM, "every object" },
	{ OPT_DESTROY, "destroy", NULL, KT_OPTS_RM,
	  "remove them as 'destroy' does, not only their names" },
	{ 'v', "verbose", NULL, KT_OPTS_RM, "print each object removed" },
	{ 'h', "help", NULL, 0, "display help and exit" },
	{ 'V', "version", NULL, 0, "display the tool's version and exit" },
};

/* getopt's tables, from kt_opts: an option with two entries is one. */
static struct option kt_longopts[ARRAY_SIZE(kt_opts) + 1];
/* '+' (maybe), ':', then a letter and maybe a ':' for each option, NUL. */
static char kt_shortopts[2 + 2 * ARRAY_SIZE(kt_opts) + 1];

/*
 * Fill kt_longopts and kt_shortopts, from the second character on of the
 * latter: the first is left to kt_getopt(). ':' first: report missing
 * arguments ourselves, with our own prefix.
 */
static void kt_getopt_tables(void)
{
	char *sp = kt_shortopts + 1;
	size_t i, j, n = 0;

	*sp++ = ':';
	for (i = 0; i < ARRAY_SIZE(kt_opts); i++) {
		const struct kt_opt *o = &kt_opts[i];

		for (j = 0; j < n; j++)
			if (kt_longopts[j].val == o->val)
				break;
		if (j < n)
			continue;
		kt_longopts[n++] = (struct option){
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
static const struct kt_opt *kt_opt_find(int val, unsigned int allowed)
{
	const struct kt_opt *first = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kt_opts); i++) {
		const struct kt_opt *o = &kt_opts[i];

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
bool kt_parse_u32(const char *arg, int base, uint32_t lo,
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
static int kt_opt_u32(const char *path, const struct kt_opt *o,
		      const char *arg, uint32_t lo, uint32_t hi,
		      uint32_t *out)
{
	if (kt_parse_u32(arg, 10, lo, hi, out))
		return 0;
	return kt_usage_err(path, "invalid value '%s' for '--%s': a number from %u to %u",
			    arg, o->name, lo, hi);
}

void kt_help_options(FILE *out, unsigned int opts)
{
	size_t i;

	fprintf(out, "\nOptions:\n");
	for (i = 0; i < ARRAY_SIZE(kt_opts); i++) {
		const struct kt_opt *o = &kt_opts[i];
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

/* The help of a command with a @usage and a @doc. */
void kt_cmd_help(const struct kt_cmd *cmd, FILE *out)
{
	fprintf(out, "Usage: kipc %s %s\n\n", cmd->path, cmd->usage);
	fputs(cmd->doc, out);
	kt_help_options(out, cmd->opts);
}

static void kt_usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: kipc [OPTIONS] OBJECT { COMMAND | help }\n"
		"       kipc help\n"
		"       kipc completion zsh\n"
		"       kipc { -V | --version }\n"
		"\nwhere  OBJECT := {");
	for (i = 0; i < ARRAY_SIZE(kt_objects); i++)
		fprintf(out, " %s%s", kt_objects[i].name,
			i + 1 < ARRAY_SIZE(kt_objects) ? " |" : " }\n");
	fprintf(out, "\nInspect the named message queues, shared memory regions and semaphores\n"
		"of the kipc module in the caller's IPC namespace; create, use and remove\n"
		"them.\n");
	fprintf(out, "\nObjects:\n");
	for (i = 0; i < ARRAY_SIZE(kt_objects); i++)
		fprintf(out, " %-9s %s\n", kt_objects[i].name,
			kt_objects[i].summary);
	kt_help_options(out, KT_OPTS_ALL);
	fprintf(out, "\nRun 'kipc OBJECT help' for the commands and options of an object.\n");
}

static void kt_object_help(const struct kt_object *obj, FILE *out)
{
	const struct kt_cmd *cmd;

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

#define KT_GO_ON	-1
#define KT_HELP		-2

/*
 * Parse the options in @argv for a command taking @allowed, from argv[1] on.
 * @stop_at_word: stop at the first word (the top level, where the object
 * comes next), or take options from anywhere (a command's own line).
 *
 * Returns KT_GO_ON with *@first at the first word left, KT_HELP for -h,
 * or an exit status.
 */
static int kt_getopt(const char *path, unsigned int allowed,
		     bool stop_at_word, int argc, char **argv, int *first)
{
	const char *shortopts;
	const struct kt_opt *o;
	int c, ret;

	if (!kt_longopts[0].name)
		kt_getopt_tables();
	/* '+': stop at the first word rather than permute. */
	kt_shortopts[0] = '+';
	shortopts = kt_shortopts + !stop_at_word;
	opterr = 0;
	/* 0, not 1: a full restart of GNU getopt for each command line. */
	optind = 0;
	while ((c = getopt_long(argc, argv, shortopts, kt_longopts,
				NULL)) != -1) {
		switch (c) {
		case '?':
			if (optopt)
				return kt_usage_err(path, "invalid option '-%c'",
						    optopt);
			return kt_usage_err(path, "unrecognized option '%s'",
					    argv[optind - 1]);
		case ':':
			return kt_usage_err(path, "option '%s' requires an argument",
					    argv[optind - 1]);
		}
		o = kt_opt_find(c, allowed);
		if (!o)
			return kt_usage_err(path, "unexpected option");
		if (o->set && !(o->set & allowed))
			return kt_usage_err(path, "option '--%s' does not apply to '%s'",
					    o->name, path ? path : "kipc");
		ret = 0;
		switch (c) {
		case 'o':
			kt_output.columns = optarg;
			break;
		case OPT_OUTPUT_ALL:
			kt_output.all = true;
			break;
		case 'J':
			kt_output.json = true;
			break;
		case 'r':
			kt_output.raw = true;
			break;
		case 'n':
			kt_output.noheadings = true;
			break;
		case 'P':
			kt_output.numeric_perms = true;
			break;
		case 'b':
			kt_output.bytes = true;
			break;
		case OPT_MAX_MSGS:
			ret = kt_opt_u32(path, o, optarg, 1, UINT32_MAX,
					 &kt_args.max_msgs);
			break;
		case OPT_MAX_MSGSIZE:
			ret = kt_opt_u32(path, o, optarg, 1, UINT32_MAX,
					 &kt_args.max_msgsize);
			break;
		case 'm':
			/*
			 * The kernel takes read and write bits only: an
			 * execute bit (0755, as for a file) is dropped, with
			 * a note.
			 */
			if (!kt_parse_u32(optarg, 8, 0, 0777,
					  &kt_args.mode))
				ret = kt_usage_err(path, "invalid mode '%s': octal, at most 0777",
						   optarg);
			else if (kt_args.mode & 0111) {
				kt_args.mode &= 0666;
				fprintf(stderr, "kipc: note: execute bits mean nothing to kipc objects; mode %04o used\n",
					kt_args.mode);
			}
			break;
		case OPT_EXCL:
			kt_args.excl = true;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "prometheus"))
				kt_output.prometheus = true;
			else if (!strcmp(optarg, "json"))
				kt_output.json = true;
			else if (strcmp(optarg, "table"))
				ret = kt_usage_err(path, "invalid format '%s': table, json or prometheus",
						   optarg);
			break;
		case OPT_SIZE:
			if (!kt_parse_size(optarg, &kt_args.size) ||
			    !kt_args.size)
				ret = kt_usage_err(path, "invalid size '%s': a number of bytes above 0, or of K, M or G",
						   optarg);
			break;
		case OPT_VALUE:
			ret = kt_opt_u32(path, o, optarg, 0,
					 KIPC_SEM_VALUE_MAX,
					 &kt_args.value);
			break;
		case OPT_UNDO:
			kt_args.undo = true;
			break;
		case OPT_NO_UNDO:
			kt_args.no_undo = true;
			break;
		case 'E':
			ret = kt_opt_u32(path, o, optarg, 1, 255,
					 &kt_args.error_exit);
			break;
		case OPT_HUP:
			kt_args.hup = true;
			break;
		case OPT_CREDS:
			kt_args.creds = true;
			break;
		case OPT_REGIONS:
			kt_args.regions = true;
			break;
		case OPT_OVERFLOW:
			if (!strcmp(optarg, "block"))
				kt_args.overflow = 0;
			else if (!strcmp(optarg, "fail"))
				kt_args.overflow = KIPC_MQ_FULL_FAIL;
			else if (!strcmp(optarg, "drop-oldest"))
				kt_args.overflow = KIPC_MQ_FULL_DROP;
			else
				ret = kt_usage_err(path, "invalid overflow policy '%s': block, fail or drop-oldest",
						   optarg);
			break;
		case OPT_EXEC:
			kt_args.exec = true;
			break;
		case OPT_OWNER:
			kt_args.owner = optarg;
			break;
		case OPT_ALL:
			kt_args.all = true;
			break;
		case OPT_DESTROY:
			kt_args.destroy = true;
			break;
		case 'p':
			ret = kt_opt_u32(path, o, optarg, 0, KIPC_MQ_PRIO_MAX,
					 &kt_args.prio);
			break;
		case 'c':
			ret = kt_opt_u32(path, o, optarg, 1, UINT32_MAX,
					 &kt_args.count);
			break;
		case OPT_PEEK:
			kt_args.peek = true;
			break;
		case 'v':
			kt_args.verbose = true;
			break;
		case 't':
			if (!kt_parse_ms(optarg, &kt_args.timeout_ms))
				ret = kt_usage_err(path, "invalid timeout '%s': milliseconds, or a number with ms, s or m",
						   optarg);
			kt_args.timed = true;
			break;
		case OPT_NONBLOCK:
			kt_args.nonblock = true;
			break;
		case 'h':
			return KT_HELP;
		case 'V':
			printf("kipc %s\n", KIPC_TOOL_VERSION);
			return 0;
		}
		if (ret)
			return ret;
	}
	if (kt_output.prometheus &&
	    (kt_output.json || kt_output.raw || kt_output.columns ||
	     kt_output.all || kt_output.noheadings))
		return kt_usage_err(path, "'--format prometheus' takes no other output option");
	if (kt_output.json && kt_output.raw)
		return kt_usage_err(path, "'--json' and '--raw' exclude each other");
	if (kt_output.all && kt_output.columns)
		return kt_usage_err(path, "'--output' and '--output-all' exclude each other");
	*first = optind;
	return KT_GO_ON;
}

/*
 * Parse a command's options. Returns -1 to go on, with argv[*first..] the
 * words that are not options, or the exit status to end with.
 */
int kt_cmd_options(const struct kt_cmd *cmd, int argc, char **argv,
		   int *first)
{
	int ret;

	ret = kt_getopt(cmd->path, cmd->opts, false, argc, argv, first);
	if (ret == KT_HELP) {
		cmd->help(cmd, stdout);
		return 0;
	}
	/*
	 * --format may come before the object, as the table options do;
	 * only the commands that take it can print Prometheus' format
	 * (json is -J, which every table command takes).
	 */
	if (ret == KT_GO_ON && kt_output.prometheus &&
	    !(cmd->opts & KT_OPTS_FORMAT))
		return kt_usage_err(cmd->path, "option '--format prometheus' does not apply to '%s'",
				    cmd->path);
	return ret;
}

/*
 * Parse a command's options and check that @min to @max words are left;
 * @what names the first one missing. A lone "help" prints the command's help,
 * unless it comes after "--", which makes it an argument (a queue may be
 * called help). Returns -1 to go on, with argv[*first..] the words, or the
 * exit status to end with.
 */
int kt_cmd_args(const struct kt_cmd *cmd, int argc, char **argv,
		int min, int max, const char *what, int *first)
{
	int ret, n;

	ret = kt_cmd_options(cmd, argc, argv, first);
	if (ret != KT_GO_ON)
		return ret;
	n = argc - *first;
	/* GNU getopt moves a "--" to just before the words it ended. */
	if (n == 1 && !strcmp(argv[*first], "help") &&
	    strcmp(argv[*first - 1], "--")) {
		cmd->help(cmd, stdout);
		return 0;
	}
	if (n < min)
		return kt_usage_err(cmd->path, "'%s' needs %s", cmd->path,
				    what);
	if (n > max)
		return kt_usage_err(cmd->path, "unexpected argument '%s' to '%s'",
				    argv[*first + max], cmd->path);
	return KT_GO_ON;
}

/*
 * For commands that take options and nothing else but "help". Returns -1 to
 * go on, or the exit status to end with.
 */
int kt_cmd_no_args(const struct kt_cmd *cmd, int argc, char **argv)
{
	int first;

	return kt_cmd_args(cmd, argc, argv, 0, 0, NULL, &first);
}

/* @argv[0] is the object's word. */
static int kt_run_object(const struct kt_object *obj, int argc,
			 char **argv)
{
	const struct kt_cmd *cmd;

	if (obj->self)
		return obj->self->run(obj->self, argc, argv);
	/* Options alone run the default command, as `ip link -d` does. */
	if (argc < 2 || argv[1][0] == '-')
		return obj->cmds[0].run(&obj->cmds[0], argc, argv);
	if (!strcmp(argv[1], "help")) {
		if (argc > 2)
			return kt_usage_err(obj->name, "unexpected argument '%s' after 'help'",
					    argv[2]);
		kt_object_help(obj, stdout);
		return 0;
	}
	for (cmd = obj->cmds; cmd->name; cmd++)
		if (!strcmp(cmd->name, argv[1]))
			return cmd->run(cmd, argc - 1, argv + 1);
	return kt_usage_err(obj->name, "unknown command '%s' for object '%s'",
			    argv[1], obj->name);
}

/*
 * kipc completion zsh: a zsh completion function for kipc, printed from
 * the tables the help is printed from (kt_objects, their commands, kt_opts
 * and the sets each command takes, kt_top_opts), so that the two cannot
 * drift apart. Installed as _kipc in zsh's vendor-completions directory.
 */

/*
 * @s inside '...', with a backslash before each of @special: "" for a
 * _describe entry's description, "[]\\" for an _arguments option's
 * description, ":\\" for its argument's message.
 */
static void kt_zsh_str(FILE *out, const char *s, const char *special)
{
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", out);
		else if (strchr(special, *s))
			fprintf(out, "\\%c", *s);
		else
			fputc(*s, out);
	}
}

/*
 * One _arguments spec, '(-x --long)'{-x+,--long=}'[help]:ARG:ACTION' and
 * a backslash: the last line of the command is ";;".
 */
static void kt_zsh_opt(FILE *out, int val, const char *name, const char *arg,
		       const char *help, const char *action)
{
	fputs("\t\t", out);
	if (val < 0x100)
		fprintf(out, "'(-%c --%s)'{-%c%s,--%s%s}'", val, name, val,
			arg ? "+" : "", name, arg ? "=" : "");
	else
		fprintf(out, "'--%s%s", name, arg ? "=" : "");
	fputc('[', out);
	kt_zsh_str(out, help, "[]\\");
	fputc(']', out);
	if (arg) {
		fputc(':', out);
		kt_zsh_str(out, arg, ":\\");
		fprintf(out, ":%s", action ? action : "");
	}
	fputs("' \\\n", out);
}

/* The specs of the options a command taking @opts accepts, as its help. */
static void kt_zsh_opts(FILE *out, unsigned int opts)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(kt_opts); i++) {
		const struct kt_opt *o = &kt_opts[i];

		if (o->set && !(o->set & opts))
			continue;
		/* An option with an entry per set: the first that applies. */
		for (j = 0; j < i; j++)
			if (kt_opts[j].val == o->val &&
			    (!kt_opts[j].set || (kt_opts[j].set & opts)))
				break;
		if (j < i)
			continue;
		kt_zsh_opt(out, o->val, o->name, o->arg, o->help, NULL);
	}
}

/* What follows the options: a name of @type's objects, or nothing. */
static void kt_zsh_args(FILE *out, const char *object, const char *cmd)
{
	bool typed = !strcmp(object, "mq") || !strcmp(object, "shm") ||
		     !strcmp(object, "sem");

	if (typed && strcmp(cmd, "create") && strcmp(cmd, "list"))
		fprintf(out, "\t\t'*:%s name:_kipc_names %s' \\\n", object,
			object);
	else if (!strcmp(object, "top"))
		fputs("\t\t'1:name glob:_kipc_names' \\\n", out);
}

static void kt_zsh_cmd(FILE *out, const char *object, const struct kt_cmd *cmd)
{
	size_t i;

	if (cmd->opts == KT_OPTS_TOP) {
		char keys[256] = "(", *k = keys + 1;

		for (i = 0; i < kt_top_nkeys; i++)
			k += snprintf(k, keys + sizeof(keys) - k, "%s%s",
				      kt_top_keys[i],
				      i + 1 < kt_top_nkeys ? " " : ")");
		for (i = 0; i < kt_top_nopts; i++) {
			const struct kt_optdoc *o = &kt_top_opts[i];

			kt_zsh_opt(out, o->val, o->name, o->arg, o->help,
				   o->val == 's' ? keys :
				   o->val == 't' ? "(mq shm sem)" : NULL);
		}
	} else {
		kt_zsh_opts(out, cmd->opts);
	}
	kt_zsh_args(out, object, cmd->name);
}

static int kt_completion(int argc, char **argv)
{
	const struct kt_object *obj;
	const struct kt_cmd *cmd;
	size_t i;

	if (argc != 2 || strcmp(argv[1], "zsh"))
		return kt_usage_err("completion", "usage: kipc completion zsh");

	printf("#compdef kipc\n"
	       "# zsh completion for kipc, printed by 'kipc completion zsh' from the\n"
	       "# tables the tool's help comes from. Do not edit.\n\n"
	       "# Names of the objects of type $1 (all types without it).\n"
	       "_kipc_names() {\n"
	       "\tlocal -a names\n"
	       "\tnames=(${(f)\"$(_call_program names kipc -rn -o NAME $1 list 2>/dev/null)\"})\n"
	       "\tcompadd -a names\n"
	       "}\n\n"
	       "_kipc() {\n"
	       "\tlocal -a objects commands\n"
	       "\tobjects=(\n");
	for (i = 0; i < ARRAY_SIZE(kt_objects); i++) {
		printf("\t\t'%s:", kt_objects[i].name);
		kt_zsh_str(stdout, kt_objects[i].summary, "");
		printf("'\n");
	}
	printf("\t\t'help:display help'\n"
	       "\t\t'completion:print this completion function'\n\t)\n"
	       "\tif (( CURRENT == 2 )); then\n"
	       "\t\tif [[ $PREFIX == -* ]]; then\n"
	       "\t\t\tcompadd -- -h --help -V --version\n"
	       "\t\telse\n"
	       "\t\t\t_describe -t objects 'kipc object' objects\n"
	       "\t\tfi\n"
	       "\t\treturn\n"
	       "\tfi\n"
	       "\tlocal object=$words[2] command=\n"
	       "\tcase $object in\n");
	for (i = 0; i < ARRAY_SIZE(kt_objects); i++) {
		obj = &kt_objects[i];
		if (!obj->cmds)
			continue;
		printf("\t(%s)\n\t\tcommands=(\n", obj->name);
		for (cmd = obj->cmds; cmd->name; cmd++) {
			printf("\t\t\t'%s:", cmd->name);
			kt_zsh_str(stdout, cmd->summary, "");
			printf("'\n");
		}
		printf("\t\t\t'help:display help'\n\t\t)\n"
		       "\t\tif (( CURRENT == 3 )); then\n"
		       "\t\t\t_describe -t commands 'kipc %s command' commands\n"
		       "\t\t\treturn\n"
		       "\t\tfi\n"
		       "\t\tcommand=$words[3]\n"
		       "\t\tshift 2 words\n"
		       "\t\t(( CURRENT -= 2 ))\n"
		       "\t\t;;\n", obj->name);
	}
	printf("\t(*)\n"
	       "\t\tshift words\n"
	       "\t\t(( CURRENT-- ))\n"
	       "\t\t;;\n"
	       "\tesac\n"
	       "\tcase \"$object $command\" in\n");
	for (i = 0; i < ARRAY_SIZE(kt_objects); i++) {
		obj = &kt_objects[i];
		if (!obj->cmds) {
			printf("\t('%s ')\n\t\t_arguments -s -S \\\n", obj->name);
			kt_zsh_cmd(stdout, obj->name, obj->self);
			printf("\t\t;;\n");
			continue;
		}
		for (cmd = obj->cmds; cmd->name; cmd++) {
			printf("\t('%s %s')\n\t\t_arguments -s -S \\\n",
			       obj->name, cmd->name);
			kt_zsh_cmd(stdout, obj->name, cmd);
			printf("\t\t;;\n");
		}
	}
	printf("\t('completion ')\n\t\t_arguments '1:shell:(zsh)'\n\t\t;;\n"
	       "\tesac\n"
	       "}\n\n"
	       "_kipc \"$@\"\n");
	return 0;
}

/* Exit with 1 when stdout could not be written, e.g. to a full disk. */
static int kt_close_stdout(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		kt_err("write error");
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

	ret = kt_getopt(NULL, KT_OPTS_ALL | KT_OPTS_FORMAT, true, argc, argv,
			&first);
	if (ret == KT_HELP) {
		kt_usage(stdout);
		return kt_close_stdout(0);
	}
	if (ret != KT_GO_ON)
		return kt_close_stdout(ret);
	if (first == argc) {
		kt_usage(stderr);
		return KT_EXIT_USAGE;
	}

	word = argv[first];
	if (!strcmp(word, "help")) {
		if (first + 1 < argc)
			return kt_usage_err(NULL, "unexpected argument '%s' after 'help'",
					    argv[first + 1]);
		kt_usage(stdout);
		return kt_close_stdout(0);
	}
	if (!strcmp(word, "completion"))
		return kt_close_stdout(kt_completion(argc - first,
						     argv + first));
	for (i = 0; i < ARRAY_SIZE(kt_objects); i++)
		if (!strcmp(kt_objects[i].name, word))
			break;
	if (i == ARRAY_SIZE(kt_objects))
		return kt_usage_err(NULL, "unknown object '%s'", word);

	ret = kt_run_object(&kt_objects[i], argc - first, argv + first);
	return kt_close_stdout(ret);
}
