// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc mq create, send, recv and rm: the commands that use a queue the way
 * a program does, through libkipc and /dev/kipc, so that scripts can too.
 * Queues are found by name here, as an open finds them; `mq show` and
 * `mq destroy` (objects.c) go through netlink instead. The
 * command table of `kipc mq`, with those too, ends this file.
 *
 * A message is bytes, not a string. `mq send` takes it from its argument or,
 * whole, from standard input; `mq recv` prints it as a line of text, or with
 * --raw writes the bytes exactly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kipc-tool.h"

/* Open @name for @flags (KIPC_OPEN_READ or _WRITE), as --nonblock says. */
static int kt_mq_open_existing(const char *name, unsigned int flags)
{
	flags |= KIPC_OPEN_CLOEXEC;
	if (kt_args.nonblock)
		flags |= KIPC_OPEN_NONBLOCK;
	return kipc_mq_open(name, flags, 0, 0, 0);
}

/* --- create ---------------------------------------------------------------- */

static int kt_mq_create_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	unsigned int flags = KIPC_OPEN_READ | KIPC_OPEN_WRITE |
			     KIPC_OPEN_CREATE | KIPC_OPEN_CLOEXEC;
	union kipc_attr attr = { 0 };
	const char *name;
	int ret, first, fd;

	ret = kt_cmd_args(cmd, argc, argv, 1, 1, "a NAME", &first);
	if (ret >= 0)
		return ret;
	name = argv[first];
	if (kt_args.excl)
		flags |= KIPC_OPEN_EXCL;
	attr.mq.max_msgs = kt_args.max_msgs;
	attr.mq.max_msgsize = kt_args.max_msgsize;
	attr.mq.flags = (kt_args.hup ? KIPC_MQ_HUP : 0) |
			(kt_args.creds ? KIPC_MQ_CREDS : 0) |
			(kt_args.regions ? KIPC_MQ_REGIONS : 0);
	attr.mq.flags |= kt_args.overflow;
	fd = kipc_open(KIPC_OBJ_MQ, name, flags, kt_args.mode, &attr, NULL);
	if (fd < 0)
		return kt_dev_err(fd, "cannot create queue '%s'", name);
	/* The name keeps the queue alive, as for mq_open(3). */
	close(fd);
	return 0;
}

static const char kt_mq_create_doc[] =
	"Create the message queue NAME in the caller's IPC namespace, owned\n"
	"by the caller. If it exists already, succeed without changing it,\n"
	"unless --excl is given. The queue lives until 'kipc mq rm' or\n"
	"'kipc mq destroy'; its capacity is charged to the limits at once.\n"
	"With --hup, receivers get end-of-file once every sender is gone and\n"
	"senders EPIPE once every receiver is gone (KIPC_MQ_HUP).\n"
	"With --creds, every message carries its sender's pid, uid and gid,\n"
	"which receivers may ask for (KIPC_MQ_CREDS).\n"
	"--overflow says what a send on a full queue does: block waits for\n"
	"room (the default), fail fails at once (KIPC_MQ_FULL_FAIL),\n"
	"drop-oldest drops the oldest message of the lowest priority to make\n"
	"room and counts it (KIPC_MQ_FULL_DROP; DROPS in 'kipc mq show').\n"
	"With --regions, a message may carry a shared memory region, whose\n"
	"receiver gets a new fd for it (KIPC_MQ_REGIONS).\n";

/* --- send ------------------------------------------------------------------ */

/*
 * All of standard input, up to @max bytes; one byte more gives -EMSGSIZE,
 * as the kernel would. Returns the length, or -errno.
 */
static ssize_t kt_read_stdin(char *buf, size_t max)
{
	size_t len = 0;
	ssize_t n;

	for (;;) {
		n = read(STDIN_FILENO, buf + len, max + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return len;
		len += n;
		if (len > max)
			return -EMSGSIZE;
	}
}

static int kt_mq_send_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	struct kipc_mq_getattr attr;
	const char *name, *msg;
	struct timespec abs;
	char *buf = NULL;
	ssize_t len;
	int ret, first, fd;

	ret = kt_cmd_args(cmd, argc, argv, 1, 2, "a NAME", &first);
	if (ret >= 0)
		return ret;
	/* The clock starts with the command, not with the send. */
	if (kt_args.timed)
		kt_timeout_deadline(&abs);
	name = argv[first];
	msg = first + 1 < argc ? argv[first + 1] : "-";

	fd = kt_mq_open_existing(name, KIPC_OPEN_WRITE);
	if (fd < 0)
		return kt_dev_err(fd, "cannot open queue '%s'", name);
	if (!strcmp(msg, "-")) {
		if (first + 1 == argc && isatty(STDIN_FILENO))
			fprintf(stderr, "kipc: reading the message from standard input (end it with Ctrl-D)\n");
		ret = kipc_mq_getattr(fd, &attr);
		if (ret < 0) {
			ret = kt_dev_err(ret, "cannot send to queue '%s'", name);
			goto out_close;
		}
		buf = malloc((size_t)attr.out_max_msgsize + 1);
		if (!buf) {
			ret = kt_errno(-ENOMEM, "cannot read the message");
			goto out_close;
		}
		len = kt_read_stdin(buf, attr.out_max_msgsize);
		if (len < 0) {
			ret = kt_errno(len, "cannot read the message from standard input");
			goto out_free;
		}
		msg = buf;
	} else {
		len = strlen(msg);
	}

	if (kt_args.timed)
		ret = kipc_mq_timedsend(fd, msg, len, kt_args.prio,
					CLOCK_MONOTONIC, &abs);
	else
		ret = kipc_mq_send(fd, msg, len, kt_args.prio);
	if (ret < 0)
		ret = kt_dev_err(ret, "cannot send to queue '%s'", name);
out_free:
	free(buf);
out_close:
	close(fd);
	return ret;
}

static const char kt_mq_send_doc[] =
	"Send one message to the queue NAME: the bytes of MESSAGE, without a\n"
	"terminating NUL or newline, or all of standard input when MESSAGE\n"
	"is '-' or missing (binary data is fine). While the queue is full,\n"
	"wait for room, for at most --timeout milliseconds. Put '--' before\n"
	"a MESSAGE that starts with '-'.\n";

/* --- recv ------------------------------------------------------------------ */

/*
 * One message as one line: control characters (tab too) and a backslash
 * that starts "\x" become \xNN, as libsmartcols escapes raw output, so a
 * line is a message and the text is unambiguous. One final newline is left
 * out, so that `echo text | kipc mq send q` comes back as "text".
 */
static void kt_print_text(const unsigned char *p, size_t len)
{
	size_t i;

	if (len && p[len - 1] == '\n')
		len--;
	for (i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f ||
		    (p[i] == '\\' && i + 1 < len && p[i + 1] == 'x'))
			printf("\\x%02x", p[i]);
		else
			putchar(p[i]);
	}
	putchar('\n');
}

static void kt_print_msg(const void *buf, size_t len, unsigned int prio)
{
	if (kt_output.raw) {
		/* Standard output gets the bytes and nothing else. */
		if (kt_args.verbose) {
			fflush(stdout);
			fprintf(stderr, "prio %u, %zu bytes\n", prio, len);
		}
		fwrite(buf, 1, len, stdout);
		return;
	}
	if (kt_args.verbose)
		printf("prio %u: ", prio);
	kt_print_text(buf, len);
}

static int kt_mq_recv_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	struct kipc_mq_getattr attr;
	struct timespec abs;
	const char *name;
	unsigned int prio;
	int ret, first, fd;
	size_t size;
	uint32_t i;
	ssize_t n;
	void *buf;

	ret = kt_cmd_args(cmd, argc, argv, 1, 1, "a NAME", &first);
	if (ret >= 0)
		return ret;
	if (kt_args.timed)
		kt_timeout_deadline(&abs);
	name = argv[first];

	fd = kt_mq_open_existing(name, KIPC_OPEN_READ);
	if (fd < 0)
		return kt_dev_err(fd, "cannot open queue '%s'", name);
	ret = kipc_mq_getattr(fd, &attr);
	if (ret < 0) {
		ret = kt_dev_err(ret, "cannot receive from queue '%s'", name);
		goto out_close;
	}
	/* Every message fits: none is longer than max_msgsize. */
	size = attr.out_max_msgsize ? attr.out_max_msgsize : 1;
	buf = malloc(size);
	if (!buf) {
		ret = kt_errno(-ENOMEM, "cannot receive from queue '%s'",
			       name);
		goto out_close;
	}

	ret = 0;
	for (i = 0; i < kt_args.count; i++) {
		if (kt_args.peek) {
			n = kipc_mq_peek(fd, i, buf, size, &prio);
			/* ENOENT would read as "no such queue". */
			if (n == -ENOENT) {
				ret = kt_errno(-ENOMSG, "cannot peek at message %u of queue '%s'",
					       i, name);
				break;
			}
		} else if (kt_args.timed) {
			n = kipc_mq_timedreceive(fd, buf, size, &prio,
						 CLOCK_MONOTONIC, &abs);
		} else {
			n = kipc_mq_receive(fd, buf, size, &prio);
		}
		if (n < 0) {
			ret = kt_dev_err(n, "cannot %s queue '%s'",
					 kt_args.peek ? "peek at" :
					 "receive from", name);
			break;
		}
		kt_print_msg(buf, n, prio);
	}
	free(buf);
out_close:
	close(fd);
	return ret;
}

static const char kt_mq_recv_doc[] =
	"Receive a message from the queue NAME, the oldest of the highest\n"
	"priority, and print it as a line: control characters show as \\xNN,\n"
	"and one newline at its end is left out. With --raw, write its bytes\n"
	"exactly as they are instead, and nothing else (with --count, one\n"
	"after the other). While the queue is empty, wait, for at most\n"
	"--timeout milliseconds from the start of the command. With --peek,\n"
	"copy the first N messages without removing them; that never waits.\n"
	"Messages received before a failure are printed.\n";

/* --- the commands of `kipc mq` ------------------------------------------- */

static const struct kt_list_spec kt_list_mq = {
	.type = KIPC_OBJ_MQ,
	.what = "message queues",
	.noun = "queue",
	.defaults = "ID,NAME,OWNER,GROUP,PERMS,MAXMSGS,MSGSIZE,BYTES,STATE",
	.unlink = "Unlink the names of message queues, as mq_unlink(3) does: a queue\n"
		  "can no longer be opened by its name, and the name can be created\n"
		  "again at once, but those that have the queue open keep using it\n"
		  "until they close it; then it is freed. To also stop them, use\n"
		  "'kipc mq destroy'. Only the owner, the creator or CAP_SYS_ADMIN\n"
		  "may unlink.\n",
	.removal = KT_REMOVAL_WAKES,
};

static const struct kt_list_spec kt_show_mq = {
	.type = KIPC_OBJ_MQ,
	.what = "message queues",
	.noun = "queue",
	.defaults = "ID,NAME,MSGS,MAXMSGS,USEDBYTES,SEND,RECV,DROPS,WAITSEND,"
		    "WAITRECV,LSPID,LRPID,FLAGS,STATE",
};

const struct kt_cmd kt_mq_cmds[] = {
	KT_LIST_CMD("mq", "list the message queues", &kt_list_mq),
	KT_SHOW_CMD("mq", "show queues with their statistics", &kt_show_mq),
	KT_DOC_CMD("create", "mq create",
		   "create a queue",
		   KT_OPTS_CREATE | KT_OPTS_MQ_CREATE, kt_mq_create,
		   "NAME [OPTIONS]"),
	KT_DOC_CMD("send", "mq send",
		   "send a message",
		   KT_OPTS_SEND | KT_OPTS_WAIT, kt_mq_send,
		   "NAME [OPTIONS] [ MESSAGE | - ]"),
	KT_DOC_CMD("recv", "mq recv",
		   "receive messages and print them",
		   KT_OPTS_RECV | KT_OPTS_WAIT, kt_mq_recv,
		   "NAME [OPTIONS]"),
	KT_RM_CMD("mq", "unlink queue names; open fds keep working",
		  &kt_list_mq),
	KT_DESTROY_CMD("mq",
		       "remove a queue now, waking its waiters with EIDRM",
		       &kt_list_mq),
	{ }
};
