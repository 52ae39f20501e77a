// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc sem create, post, wait and rm: the commands that use a semaphore the
 * way a program does, through libkipc and /dev/kipc, so that scripts can
 * too. Semaphores are found by name here, as an open finds them; `sem show`
 * and `sem destroy` (objects.c) go through netlink instead. The
 * command table of `kipc sem`, with those too, ends this file.
 *
 * `sem wait NAME -- COMMAND` holds the units while COMMAND runs, as flock(1)
 * holds a lock: without it, --undo would be of no use to a shell, since
 * the units it records come back when kipc exits. kipc itself is the
 * holder: COMMAND does not inherit the semaphore's fd, so if kipc is
 * killed, the units of --undo come back at once.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kipc-tool.h"

/* The units N of `post NAME [N]` and `wait NAME [N]`. */
static int kt_sem_count(const struct kt_cmd *cmd, const char *arg,
			uint32_t *count)
{
	if (kt_parse_u32(arg, 10, 1, KIPC_SEM_VALUE_MAX, count))
		return 0;
	return kt_usage_err(cmd->path, "invalid count '%s': a number from 1 to %u",
			    arg, KIPC_SEM_VALUE_MAX);
}

/* --- create ---------------------------------------------------------------- */

static int kt_sem_create_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	unsigned int flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE |
			     KIPC_OPEN_CREATE | KIPC_OPEN_CLOEXEC;
	const char *name;
	int ret, first, fd;

	ret = kt_cmd_args(cmd, argc, argv, 1, 1, "a NAME", &first);
	if (ret >= 0)
		return ret;
	name = argv[first];
	if (kt_args.excl)
		flags |= KIPC_OPEN_EXCL;
	fd = kipc_sem_open(name, flags, kt_args.mode, kt_args.value);
	if (fd < 0)
		return kt_dev_err(fd, "cannot create semaphore '%s'", name);
	/* The name keeps the semaphore alive, as for sem_open(3). */
	close(fd);
	return 0;
}

/* The help of create and post gives the largest value as a number. */
_Static_assert(KIPC_SEM_VALUE_MAX == 2147483647U,
	       "the help of sem create and sem post says 2147483647");

static const char kt_sem_create_doc[] =
	"Create the counting semaphore NAME in the caller's IPC namespace,\n"
	"owned by the caller, with the value --value (0 to 2147483647). If it\n"
	"exists already, succeed without changing it, unless --excl is\n"
	"given. The semaphore lives until 'kipc sem rm' or 'kipc sem\n"
	"destroy'. A semaphore of value 1 is a lock.\n";

/* --- post ------------------------------------------------------------------ */

static int kt_sem_post_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	const char *name;
	int ret, first, fd;
	uint32_t count = 1;

	ret = kt_cmd_args(cmd, argc, argv, 1, 2, "a NAME", &first);
	if (ret >= 0)
		return ret;
	name = argv[first];
	if (first + 1 < argc && kt_sem_count(cmd, argv[first + 1], &count))
		return KT_EXIT_USAGE;

	fd = kipc_sem_open(name, KIPC_OPEN_WRITE | KIPC_OPEN_CLOEXEC, 0, 0);
	if (fd < 0)
		return kt_dev_err(fd, "cannot open semaphore '%s'", name);
	ret = kipc_sem_post(fd, count);
	if (ret < 0)
		ret = kt_dev_err(ret, "cannot post to semaphore '%s'", name);
	close(fd);
	return ret;
}

static const char kt_sem_post_doc[] =
	"Add N units (default 1) to the semaphore NAME, and wake the\n"
	"waiters they satisfy, oldest first. A value that would pass 2147483647\n"
	"fails with EOVERFLOW and changes nothing. It needs write\n"
	"permission.\n";

/* --- wait ------------------------------------------------------------------ */

/*
 * Run @argv with the units held, then post them back. SIGINT and SIGQUIT
 * go to the command alone, as with system(3), so that ^C on the terminal
 * ends the command and kipc still gives the units back. Returns the
 * command's exit status, or 128 + the signal that killed it.
 */
static int kt_sem_run_held(char **argv)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };
	struct sigaction old_int, old_quit;
	int ret, status, wstatus;
	pid_t pid;

	sigemptyset(&ign.sa_mask);
	/* What the command prints comes after what kipc did. */
	fflush(stdout);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		execvp(argv[0], argv);
		ret = errno;
		kt_errno(-ret, "cannot run '%s'", argv[0]);
		_exit(ret == ENOENT ? 127 : 126);
	}
	if (pid < 0) {
		status = kt_errno(-errno, "cannot run '%s'", argv[0]);
	} else {
		while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
			;
		if (WIFSIGNALED(wstatus))
			status = 128 + WTERMSIG(wstatus);
		else
			status = WEXITSTATUS(wstatus);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return status;
}

/*
 * The exit status of kipc's own failure @status in the command form: -E's,
 * if given, so that a caller can tell it from the command's.
 */
static int kt_sem_own(int status, bool command)
{
	if (status && command && kt_args.error_exit)
		return kt_args.error_exit;
	return status;
}

/*
 * The undo flag of a wait: --undo, or by default with a COMMAND (so that
 * kipc killed while it runs still gives the units back); --no-undo drops
 * it. Returns false when both were given.
 */
static bool kt_sem_undo(const struct kt_cmd *cmd, bool command,
			unsigned int *flags)
{
	if (kt_args.undo && kt_args.no_undo) {
		kt_usage_err(cmd->path, "'--undo' and '--no-undo' exclude each other");
		return false;
	}
	*flags = kt_args.undo || (command && !kt_args.no_undo) ?
		 KIPC_SEM_UNDO : 0;
	return true;
}

static int kt_sem_hold(int fd, const char *name, uint32_t count,
		       char **argv)
{
	int status = kt_sem_run_held(argv);
	int ret;

	ret = kipc_sem_post(fd, count);
	if (ret < 0) {
		ret = kt_dev_err(ret, "cannot post to semaphore '%s'", name);
		if (!status)
			status = kt_sem_own(ret, true);
	}
	return status;
}

/*
 * NAME:N, the form that takes from several semaphores at once. The count
 * follows the last ':', so a name may hold ':' too. Returns the length of
 * the name, or 0 when @arg is not of that form.
 */
static size_t kt_sem_spec(const char *arg, uint32_t *count)
{
	const char *colon = strrchr(arg, ':');

	if (!colon || colon == arg || !isdigit((unsigned char)colon[1]) ||
	    !kt_parse_u32(colon + 1, 10, 1, KIPC_SEM_VALUE_MAX, count))
		return 0;
	return colon - arg;
}

/*
 * `sem wait A:N B:M ... [-- COMMAND]`: take from every semaphore in one
 * kipc_sem_multi(), all or nothing, and give them all back in one after
 * COMMAND.
 */
static int kt_sem_wait_multi(const struct kt_cmd *cmd, int argc, char **argv,
			     int first, bool dashdash)
{
	unsigned int oflags = KIPC_OPEN_READ | KIPC_OPEN_CLOEXEC;
	struct kipc_sem_op take[KIPC_SEM_MULTI_MAX], give[KIPC_SEM_MULTI_MAX];
	char name[KIPC_NAME_MAX + 1];
	char **command = NULL;
	struct timespec abs;
	unsigned int n = 0, i, flags;
	int ret = 0, j;
	uint32_t count;
	size_t len;

	for (j = first; j < argc && kt_sem_spec(argv[j], &count); j++)
		;
	if (j < argc) {
		if (!dashdash)
			return kt_usage_err(cmd->path, "unexpected argument '%s' to '%s'; put '--' before a COMMAND",
					    argv[j], cmd->path);
		command = argv + j;
		oflags |= KIPC_OPEN_WRITE;
	}
	if (j - first > KIPC_SEM_MULTI_MAX)
		return kt_usage_err(cmd->path, "at most %d semaphores at once",
				    KIPC_SEM_MULTI_MAX);
	if (!kt_sem_undo(cmd, command, &flags))
		return KT_EXIT_USAGE;
	if (kt_args.timed)
		kt_timeout_deadline(&abs);
	for (j = first; !command || argv + j < command; j++) {
		if (j >= argc)
			break;
		len = kt_sem_spec(argv[j], &count);
		if (len > KIPC_NAME_MAX)
			len = KIPC_NAME_MAX;
		memcpy(name, argv[j], len);
		name[len] = '\0';
		ret = kipc_sem_open(name, oflags, 0, 0);
		if (ret < 0) {
			ret = kt_dev_err(ret, "cannot open semaphore '%s'",
					 name);
			ret = kt_sem_own(ret, command);
			goto out_close;
		}
		take[n] = (struct kipc_sem_op){
			.fd = ret, .delta = -(int32_t)count,
			.flags = flags,
		};
		give[n] = (struct kipc_sem_op){ .fd = ret, .delta = count };
		n++;
	}
	ret = kipc_sem_multi(take, n, kt_args.nonblock ? KIPC_WAIT_NONBLOCK : 0,
			     CLOCK_MONOTONIC, kt_args.timed ? &abs : NULL);
	if (ret < 0) {
		ret = kt_dev_err(ret, "cannot wait on %u semaphores", n);
		ret = kt_sem_own(ret, command);
		goto out_close;
	}
	if (ret == KIPC_SEM_RECOVERED)
		printf("recovered\n");
	ret = 0;
	if (command) {
		ret = kt_sem_run_held(command);
		j = kipc_sem_multi(give, n, 0, CLOCK_MONOTONIC, NULL);
		if (j < 0) {
			j = kt_dev_err(j, "cannot post to %u semaphores", n);
			if (!ret)
				ret = kt_sem_own(j, true);
		}
	}
out_close:
	for (i = 0; i < n; i++)
		close(take[i].fd);
	return ret;
}

static int kt_sem_wait_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	unsigned int oflags = KIPC_OPEN_READ | KIPC_OPEN_CLOEXEC;
	char **command = NULL;
	unsigned int flags;
	struct timespec abs;
	uint32_t count = 1;
	const char *name;
	int ret, first, fd, i;
	bool dashdash;

	ret = kt_cmd_args(cmd, argc, argv, 1, argc, "a NAME", &first);
	if (ret >= 0)
		return ret;
	if (kt_args.timed)
		kt_timeout_deadline(&abs);
	/* GNU getopt moves a "--" to just before the words it ended. */
	dashdash = !strcmp(argv[first - 1], "--");
	if (kt_sem_spec(argv[first], &count))
		return kt_sem_wait_multi(cmd, argc, argv, first, dashdash);
	name = argv[first];
	i = first + 1;
	if (i < argc && isdigit((unsigned char)argv[i][0])) {
		if (kt_sem_count(cmd, argv[i], &count))
			return KT_EXIT_USAGE;
		i++;
	}
	if (i < argc) {
		if (!dashdash)
			return kt_usage_err(cmd->path, "unexpected argument '%s' to '%s'; put '--' before a COMMAND",
					    argv[i], cmd->path);
		command = argv + i;
		/* Giving the units back needs write permission. */
		oflags |= KIPC_OPEN_WRITE;
	}
	if (!kt_sem_undo(cmd, command, &flags))
		return KT_EXIT_USAGE;

	fd = kipc_sem_open(name, oflags, 0, 0);
	if (fd < 0)
		return kt_sem_own(kt_dev_err(fd, "cannot open semaphore '%s'",
					     name), command);
	if (kt_args.nonblock)
		ret = kipc_sem_trywait(fd, count, flags);
	else if (kt_args.timed)
		ret = kipc_sem_timedwait(fd, count, flags, CLOCK_MONOTONIC,
					 &abs);
	else
		ret = kipc_sem_wait(fd, count, flags);
	if (ret < 0) {
		ret = kt_dev_err(ret, "cannot wait on semaphore '%s'", name);
		ret = kt_sem_own(ret, command);
		goto out_close;
	}
	if (ret == KIPC_SEM_RECOVERED)
		printf("recovered\n");
	ret = command ? kt_sem_hold(fd, name, count, command) : 0;
out_close:
	close(fd);
	return ret;
}

static const char kt_sem_wait_doc[] =
	"Take N units (default 1) from the semaphore NAME, waiting while its\n"
	"value is lower or others wait before us: waiters are served in the\n"
	"order they came. Wait for at most --timeout milliseconds from the\n"
	"start of the command. Print \"recovered\" when the units include ones\n"
	"that a holder left when it died (see --undo).\n"
	"\n"
	"With a COMMAND, hold the units while it runs, then post them back\n"
	"and exit with its status, as flock(1) does; that needs write\n"
	"permission too. kipc's own failures exit 1 (124 for a timeout), or\n"
	"N with -E N. With --undo, the default with a COMMAND (--no-undo\n"
	"turns it off), the units are recorded against kipc's open\n"
	"description of the semaphore, and if kipc dies holding them, even\n"
	"by SIGKILL, the kernel gives them back, and the wait that takes\n"
	"them next reports them recovered. Without a COMMAND, kipc exits at\n"
	"once, so --undo gives the units back at once.\n"
	"\n"
	"NAME:N NAME:N ... takes from up to 64 semaphores at once, all or\n"
	"nothing (kipc_sem_multi(3)): kipc waits until every one has its\n"
	"units and its turn, so two commands that take the same semaphores in\n"
	"different orders never deadlock. With a COMMAND, all are given back\n"
	"together after it.\n";

/* --- the commands of `kipc sem` ------------------------------------------- */

static const struct kt_list_spec kt_list_sem = {
	.type = KIPC_OBJ_SEM,
	.what = "semaphores",
	.noun = "semaphore",
	.defaults = "ID,NAME,OWNER,GROUP,PERMS,VALUE,STATE",
	.unlink = "Unlink the names of semaphores, as sem_unlink(3) does: a semaphore\n"
		  "can no longer be opened by its name, and the name can be created\n"
		  "again at once, but those that have it open keep using it until\n"
		  "they close it; then it is freed. To also stop them, use 'kipc sem\n"
		  "destroy'. Only the owner, the creator or CAP_SYS_ADMIN may unlink.\n",
	.removal = KT_REMOVAL_WAKES,
};

static const struct kt_list_spec kt_show_sem = {
	.type = KIPC_OBJ_SEM,
	.what = "semaphores",
	.noun = "semaphore",
	.defaults = "ID,NAME,VALUE,NCOUNT,ZCOUNT,MULTI,WAITS,POSTS,TIMEOUTS,"
		    "UNDOHOLDERS,UNDOUNITS,RECOVERED,LPID,OTIME,STATE",
};

const struct kt_cmd kt_sem_cmds[] = {
	KT_LIST_CMD("sem", "list the semaphores", &kt_list_sem),
	KT_SHOW_CMD("sem", "show semaphores with their statistics",
		    &kt_show_sem),
	KT_DOC_CMD("create", "sem create",
		   "create a semaphore",
		   KT_OPTS_CREATE | KT_OPTS_SEM_CREATE, kt_sem_create,
		   "NAME [OPTIONS]"),
	KT_DOC_CMD("post", "sem post",
		   "add units, waking the waiters they satisfy",
		   KT_OPTS_NONE, kt_sem_post,
		   "NAME [N]"),
	KT_DOC_CMD("wait", "sem wait",
		   "take units, or hold them while a command runs",
		   KT_OPTS_WAIT | KT_OPTS_UNDO, kt_sem_wait,
		   "{ NAME [N] | NAME:N... } [OPTIONS] [-- COMMAND [ARG]...]"),
	KT_RM_CMD("sem", "unlink semaphore names; open fds keep working",
		  &kt_list_sem),
	KT_DESTROY_CMD("sem",
		       "remove a semaphore now, waking its waiters with EIDRM",
		       &kt_list_sem),
	{ }
};
