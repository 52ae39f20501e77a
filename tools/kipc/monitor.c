// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc monitor: print the events of the monitor group (create, unlink,
 * remove, destroy) of the caller's IPC namespace as they come, one line
 * each, until SIGINT or SIGTERM; as `ip monitor` does. With -J, each line
 * is a JSON object of its own (JSON Lines), for a reader that handles each
 * event as it arrives.
 *
 * The signals are blocked and read from a signalfd, polled together with
 * the netlink socket: a signal that comes between two reads can then never
 * be missed, as it could be by a handler that only sets a flag.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "kipc-tool.h"

/* When the event was read, in local time with microseconds. */
static void kt_monitor_time(char *buf, size_t size)
{
	struct timespec ts;
	char date[32], zone[8];
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (!localtime_r(&ts.tv_sec, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm) ||
	    !strftime(zone, sizeof(zone), "%z", &tm)) {
		snprintf(buf, size, "%lld.%06ld", (long long)ts.tv_sec,
			 ts.tv_nsec / 1000);
		return;
	}
	snprintf(buf, size, "%s.%06ld%s", date, ts.tv_nsec / 1000, zone);
}

/* A JSON string: names are printable ASCII, but may hold '"' and '\'. */
static void kt_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void kt_monitor_print(const struct kipc_admin_event *ev)
{
	const char *event = kipc_admin_event_name(ev->event);
	const char *type = kipc_type_name(ev->type);
	char when[64], evnum[16], typenum[16];

	kt_monitor_time(when, sizeof(when));
	/* What a newer module may add: shown as a number, not dropped. */
	if (!event) {
		snprintf(evnum, sizeof(evnum), "%" PRIu32, ev->event);
		event = evnum;
	}
	if (!type) {
		snprintf(typenum, sizeof(typenum), "%" PRIu32, ev->type);
		type = typenum;
	}
	if (kt_output.json) {
		printf("{\"time\": \"%s\", \"event\": \"%s\", \"type\": \"%s\", \"id\": %" PRIu64 ", \"name\": ",
		       when, event, type, ev->id);
		kt_json_string(ev->name);
		printf(", \"ns\": %" PRIu32 ", \"pid\": %" PRIu32
		       ", \"uid\": %" PRIu32 "}\n",
		       ev->ns, ev->actor_pid, ev->actor_uid);
	} else {
		printf("%s %-7s %-3s id %" PRIu64 " name %s ns %" PRIu32
		       " pid %" PRIu32 " uid %" PRIu32 "\n",
		       when, event, type, ev->id, ev->name, ev->ns,
		       ev->actor_pid, ev->actor_uid);
	}
}

/* Read and print every event waiting. Returns 0, or an exit status. */
static int kt_monitor_drain(struct kipc_admin *ka)
{
	struct kipc_admin_event ev;
	int ret;

	for (;;) {
		ret = kipc_admin_monitor_read(ka, &ev, sizeof(ev), 0);
		if (ret == 0)
			return 0;
		if (ret == -ENOBUFS) {
			/* The socket's buffer overran: say so, and go on. */
			kt_err("events lost: the receive buffer overran");
			continue;
		}
		if (ret == -EINTR)
			continue;
		if (ret < 0)
			return kt_admin_err(ka, ret, "cannot read events");
		kt_monitor_print(&ev);
		if (ferror(stdout))
			return kt_errno(-EIO, "write error");
	}
}

static int kt_monitor_run(const struct kt_cmd *cmd, int argc,
			  char **argv)
{
	struct kipc_admin *ka;
	struct pollfd pfd[2];
	sigset_t mask, old;
	int ret, sfd;

	ret = kt_cmd_no_args(cmd, argc, argv);
	if (ret >= 0)
		return ret;
	if (kt_output.raw || kt_output.columns || kt_output.all ||
	    kt_output.noheadings)
		return kt_usage_err(cmd->path, "'%s' takes no table option but '--json'",
				    cmd->path);

	/* Each event reaches a pipe as soon as it is printed. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, &old))
		return kt_errno(errno, "cannot block signals");
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0)
		return kt_errno(errno, "cannot make a signalfd");

	ret = kipc_admin_monitor_open(&ka);
	if (ret == -ENOENT) {
		close(sfd);
		return kt_not_loaded();
	}
	if (ret == -EOPNOTSUPP) {
		close(sfd);
		kt_err("cannot monitor: this kernel offers no kipc monitor group (it needs Linux 6.9 or later)");
		return 1;
	}
	if (ret < 0) {
		close(sfd);
		return kt_errno(ret, "cannot subscribe to the kipc monitor group");
	}

	pfd[0].fd = kipc_admin_monitor_fd(ka);
	pfd[0].events = POLLIN;
	pfd[1].fd = sfd;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = kt_errno(errno, "cannot wait for events");
			break;
		}
		/* Events first: those that came before the signal are shown. */
		if (pfd[0].revents) {
			ret = kt_monitor_drain(ka);
			if (ret)
				break;
		}
		if (pfd[1].revents) {
			struct signalfd_siginfo si;

			/*
			 * Take the signal, or unblocking it below would
			 * deliver it, and its default action would kill us.
			 */
			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				ret = kt_errno(errno, "cannot read the signal");
			else
				ret = 0;
			break;
		}
	}
	kipc_admin_close(ka);
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static void kt_monitor_help(const struct kt_cmd *cmd, FILE *out)
{
	fprintf(out, "Usage: kipc [-J] %s\n\n", cmd->path);
	fprintf(out,
		"Print the events of the caller's IPC namespace as they happen, one\n"
		"line each, until interrupted (SIGINT or SIGTERM; the exit status is\n"
		"then 0):\n"
		"\n"
		"  TIME EVENT TYPE id ID name NAME ns NS pid PID uid UID\n"
		"\n"
		"EVENT is create, unlink (the name was removed), remove (an\n"
		"administrator or the owner removed the object) or destroy (it was\n"
		"freed). PID and UID are of the task that caused it; pid 0 is the\n"
		"kernel. TIME is when kipc read the event. With --json, each line is\n"
		"one JSON object with the keys time, event, type, id, name, ns, pid\n"
		"and uid. When events are lost because kipc could not keep up, it\n"
		"says so on standard error and goes on. Needs Linux 6.9 or later.\n");
	kt_help_options(out, cmd->opts);
}

const struct kt_cmd kt_monitor_cmd = {
	.name = "monitor",
	.path = "monitor",
	.summary = "print create, unlink, remove and destroy events",
	.opts = KT_OPTS_JSON,
	.run = kt_monitor_run,
	.help = kt_monitor_help,
};
