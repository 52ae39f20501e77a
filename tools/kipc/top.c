// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc top: the busiest objects, refreshed, as top(1) shows processes.
 *
 * Each frame lists the objects of the caller's IPC namespace with their
 * rates over the interval before it (two netlink dumps DELAY apart, matched
 * by id), sorted and filtered. On a terminal the screen is redrawn with
 * plain ANSI sequences (clear, home, hide the cursor), so it works over ssh
 * with any terminal; the terminal's mode is saved with termios, set to read
 * single keys without echo, and restored on every way out: 'q', Ctrl-C,
 * SIGTERM, SIGHUP, the end of -n ITER, or an error. In batch mode (-b, or
 * when stdout is not a terminal) the frames are printed one after another,
 * for logs, and the keyboard is not read.
 */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "kipc-tool.h"

/* What each frame shows of one object. */
struct kt_top_row {
	struct kipc_admin_obj obj;
	double in_rate;		/* sends/s of a queue, posts/s of a semaphore */
	double out_rate;	/* receives/s, or successful waits/s */
	uint64_t depth;		/* messages queued, or the value */
	uint64_t hwm;		/* a queue's high-water mark */
	uint32_t wait_in;	/* senders blocked, or waiters for zero */
	uint32_t wait_out;	/* receivers blocked, or waiters */
	uint64_t bytes;		/* bytes charged to the limits */
};

enum kt_top_key {
	KEY_OPS, KEY_SEND, KEY_RECV, KEY_DEPTH, KEY_HWM, KEY_WAIT, KEY_BYTES,
	KEY_NAME, KEY_ID,
};

const char *const kt_top_keys[] = {
	[KEY_OPS] = "ops", [KEY_SEND] = "send", [KEY_RECV] = "recv",
	[KEY_DEPTH] = "depth", [KEY_HWM] = "hwm", [KEY_WAIT] = "wait",
	[KEY_BYTES] = "bytes", [KEY_NAME] = "name", [KEY_ID] = "id",
};
const size_t kt_top_nkeys = ARRAY_SIZE(kt_top_keys);

const struct kt_optdoc kt_top_opts[] = {
	{ 'b', "batch", NULL,
	  "print frames one after another, for logs (implied when stdout is not a terminal)" },
	{ 'n', "iterations", "N", "stop after N frames" },
	{ 'd', "delay", "SECONDS",
	  "seconds between frames (default 1, at least 0.1)" },
	{ 's', "sort", "KEY", "sort by KEY (default ops)" },
	{ 't', "type", "TYPE", "only objects of TYPE: mq, shm or sem" },
	{ 'h', "help", NULL, "display help and exit" },
};

const size_t kt_top_nopts = ARRAY_SIZE(kt_top_opts);

static struct {
	bool batch;
	long iterations;	/* 0: until 'q' or a signal */
	double delay;		/* seconds */
	enum kt_top_key sort;
	unsigned int type;	/* KIPC_OBJ_*, 0 for all */
	const char *glob;
} kt_top = { .delay = 1.0 };

static volatile sig_atomic_t kt_top_stop;
static struct termios kt_top_saved;
static bool kt_top_tty;

static void kt_top_signal(int sig)
{
	(void)sig;
	kt_top_stop = 1;
}

/* Put the terminal back as it was. */
static void kt_top_restore(void)
{
	if (!kt_top_tty)
		return;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &kt_top_saved);
	fputs("\033[?25h", stdout);	/* show the cursor */
	fflush(stdout);
	kt_top_tty = false;
}

/*
 * Keys one at a time, no echo; ISIG stays, so Ctrl-C is SIGINT, which
 * ends the loop. Returns 0, or -errno.
 */
static int kt_top_raw(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &kt_top_saved))
		return -errno;
	t = kt_top_saved;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t))
		return -errno;
	kt_top_tty = true;
	fputs("\033[?25l", stdout);	/* hide the cursor */
	return 0;
}

/* The objects of one dump. */
struct kt_top_snap {
	struct kipc_admin_obj *v;
	size_t n, cap;
};

static int kt_top_collect(const struct kipc_admin_obj *obj, void *arg)
{
	struct kt_top_snap *s = arg;
	struct kipc_admin_obj *v;

	if (kt_top.glob && fnmatch(kt_top.glob, obj->name, 0))
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;

		v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = *obj;
	return 0;
}

static int kt_top_by_id(const void *a, const void *b)
{
	const struct kipc_admin_obj *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* A dump into @s, sorted by id. Returns 0, or an exit status. */
static int kt_top_snap(struct kipc_admin *ka, struct kt_top_snap *s)
{
	int ret;

	s->n = 0;
	ret = kipc_admin_list_type(ka, kt_top.type, kt_top_collect, s);
	if (ret < 0)
		return kt_admin_err(ka, ret, "cannot list objects");
	qsort(s->v, s->n, sizeof(*s->v), kt_top_by_id);
	return 0;
}

static double kt_top_rate(uint64_t now, uint64_t before, double dt)
{
	/* A counter never goes back; an id is never reused. */
	return now >= before && dt > 0 ? (now - before) / dt : 0;
}

static void kt_top_fill(struct kt_top_row *r, const struct kipc_admin_obj *o,
			const struct kipc_admin_obj *prev, double dt)
{
	memset(r, 0, sizeof(*r));
	r->obj = *o;
	r->bytes = o->bytes;
	switch (o->type) {
	case KIPC_OBJ_MQ:
		if (prev) {
			r->in_rate = kt_top_rate(o->mq_sends, prev->mq_sends,
						 dt);
			r->out_rate = kt_top_rate(o->mq_recvs, prev->mq_recvs,
						  dt);
		}
		r->depth = o->mq_depth;
		r->hwm = o->mq_hwm;
		r->wait_in = o->mq_wait_send;
		r->wait_out = o->mq_wait_recv;
		break;
	case KIPC_OBJ_SEM:
		if (prev) {
			r->in_rate = kt_top_rate(o->sem_posts, prev->sem_posts,
						 dt);
			r->out_rate = kt_top_rate(o->sem_waits,
						  prev->sem_waits, dt);
		}
		r->depth = o->sem_value;
		r->wait_in = o->sem_zero_waiters;
		r->wait_out = o->sem_waiters;
		break;
	}
}

static int kt_top_cmp(const void *a, const void *b)
{
	const struct kt_top_row *x = a, *y = b;
	double dx = 0, dy = 0;
	int c;

	switch (kt_top.sort) {
	case KEY_OPS:
		dx = x->in_rate + x->out_rate;
		dy = y->in_rate + y->out_rate;
		break;
	case KEY_SEND:
		dx = x->in_rate;
		dy = y->in_rate;
		break;
	case KEY_RECV:
		dx = x->out_rate;
		dy = y->out_rate;
		break;
	case KEY_DEPTH:
		dx = x->depth;
		dy = y->depth;
		break;
	case KEY_HWM:
		dx = x->hwm;
		dy = y->hwm;
		break;
	case KEY_WAIT:
		dx = (double)x->wait_in + x->wait_out;
		dy = (double)y->wait_in + y->wait_out;
		break;
	case KEY_BYTES:
		dx = x->bytes;
		dy = y->bytes;
		break;
	case KEY_NAME:
		c = strcmp(x->obj.name, y->obj.name);
		if (c)
			return c;
		break;
	case KEY_ID:
		break;
	}
	/* Busiest first; ties, and name and id, in id order. */
	if (dx != dy)
		return dx < dy ? 1 : -1;
	return x->obj.id < y->obj.id ? -1 : x->obj.id > y->obj.id;
}

/* One frame of @n rows, at most @max of them (0: all). */
static void kt_top_print(const struct kt_top_row *rows, size_t n,
			 size_t max, double dt)
{
	char when[32], hwm[24];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	strftime(when, sizeof(when), "%H:%M:%S",
		 localtime_r(&now, &tm));
	printf("kipc top - %s, %zu objects, interval %.1fs, sorted by %s\n",
	       when, n, dt, kt_top_keys[kt_top.sort]);
	printf("%-4s %6s %-20s %9s %9s %7s %7s %7s %7s %10s\n", "TYPE", "ID",
	       "NAME", "IN/S", "OUT/S", "DEPTH", "HWM", "WAITIN", "WAITOUT",
	       "BYTES");
	for (i = 0; i < n && (!max || i < max); i++) {
		const struct kt_top_row *r = &rows[i];
		const char *type = kipc_type_name(r->obj.type);
		bool shm = r->obj.type == KIPC_OBJ_SHM;

		printf("%-4s %6" PRIu64 " %-20.20s ", type ? type : "?",
		       r->obj.id, r->obj.name);
		if (r->obj.type == KIPC_OBJ_MQ)
			snprintf(hwm, sizeof(hwm), "%" PRIu64, r->hwm);
		else
			strcpy(hwm, "-");
		if (shm)
			printf("%9s %9s %7s %7s %7s %7s", "-", "-", "-", "-",
			       "-", "-");
		else
			printf("%9.1f %9.1f %7" PRIu64 " %7s %7" PRIu32
			       " %7" PRIu32,
			       r->in_rate, r->out_rate, r->depth, hwm,
			       r->wait_in, r->wait_out);
		printf(" %10" PRIu64 "\n", r->bytes);
	}
}

/*
 * Wait @secs, or less if 'q' or a signal ends it. Returns 1 to stop, 0 to
 * go on.
 */
static int kt_top_wait(double secs)
{
	struct timespec end, now;
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	long ms;
	char c;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += (time_t)secs;
	end.tv_nsec += (long)((secs - (time_t)secs) * 1e9);
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	for (;;) {
		if (kt_top_stop)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (end.tv_sec - now.tv_sec) * 1000 +
		     (end.tv_nsec - now.tv_nsec) / 1000000;
		if (ms <= 0)
			return 0;
		if (poll(&pfd, kt_top_tty ? 1 : 0, ms) <= 0)
			continue;	/* timeout, or EINTR: look again */
		if (read(STDIN_FILENO, &c, 1) != 1) {
			/* The terminal went away: stop. */
			return 1;
		}
		if (c == 'q' || c == 'Q')
			return 1;
	}
}

static size_t kt_top_rows_max(void)
{
	struct winsize ws;

	if (!kt_top_tty || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) ||
	    ws.ws_row < 4)
		return 0;
	return ws.ws_row - 3;
}

static int kt_top_loop(struct kipc_admin *ka)
{
	struct kt_top_snap a = { 0 }, b = { 0 }, *prev = &a, *cur = &b, *t;
	struct timespec t0, t1;
	struct kt_top_row *rows = NULL;
	size_t rows_cap = 0, i;
	long iter;
	double dt;
	int ret;

	ret = kt_top_snap(ka, prev);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (iter = 0; !ret && (!kt_top.iterations ||
				iter < kt_top.iterations); iter++) {
		if (kt_top_wait(kt_top.delay))
			break;
		ret = kt_top_snap(ka, cur);
		if (ret)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		dt = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (cur->n > rows_cap) {
			struct kt_top_row *r;

			r = realloc(rows, cur->n * sizeof(*rows));
			if (!r) {
				ret = kt_errno(-ENOMEM, "cannot make the frame");
				break;
			}
			rows = r;
			rows_cap = cur->n;
		}
		for (i = 0; i < cur->n; i++) {
			const struct kipc_admin_obj *p;

			p = bsearch(&cur->v[i], prev->v, prev->n,
				    sizeof(*prev->v), kt_top_by_id);
			kt_top_fill(&rows[i], &cur->v[i], p, dt);
		}
		qsort(rows, cur->n, sizeof(*rows), kt_top_cmp);
		if (kt_top_tty)
			fputs("\033[H\033[2J", stdout);
		else if (iter)
			putchar('\n');
		kt_top_print(rows, cur->n, kt_top_rows_max(), dt);
		if (fflush(stdout)) {
			ret = 1;
			break;
		}
		t = prev;
		prev = cur;
		cur = t;
		t0 = t1;
	}
	free(rows);
	free(a.v);
	free(b.v);
	return ret;
}

static void kt_top_help(const struct kt_cmd *cmd, FILE *out)
{
	size_t i;

	fprintf(out, "Usage: kipc %s [OPTIONS] [GLOB]\n\n", cmd->path);
	fprintf(out,
		"Show the busiest objects of the caller's IPC namespace, refreshed every\n"
		"DELAY seconds, with their rates over the interval before each frame.\n"
		"Only objects whose name matches GLOB (fnmatch(3)) are shown.\n"
		"Press q or Ctrl-C to quit.\n"
		"\n"
		"Columns: IN/S sends/s (queue) or posts/s (semaphore); OUT/S receives/s\n"
		"or successful waits/s; DEPTH messages queued or the value; HWM a\n"
		"queue's high-water mark; WAITIN senders blocked on a full queue, or\n"
		"waiters for zero; WAITOUT receivers blocked on an empty queue, or\n"
		"waiters; BYTES charged to the limits. A region has sizes only.\n"
		"\nOptions:\n");
	for (i = 0; i < kt_top_nopts; i++) {
		const struct kt_optdoc *o = &kt_top_opts[i];
		char lng[32];

		snprintf(lng, sizeof(lng), "--%s%s%s", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, " -%c, %-20s %s\n", o->val, lng, o->help);
	}
	fprintf(out, "\nSort keys:");
	for (i = 0; i < kt_top_nkeys; i++)
		fprintf(out, " %s", kt_top_keys[i]);
	fprintf(out, "\n");
}

static int kt_top_run(const struct kt_cmd *cmd, int argc, char **argv)
{
	/* getopt's tables, from kt_top_opts: "+:" then "b", "n:", ... */
	struct option longopts[ARRAY_SIZE(kt_top_opts) + 1] = { 0 };
	char shortopts[2 + 2 * ARRAY_SIZE(kt_top_opts) + 1] = "+:", *sp;
	struct sigaction sa = { .sa_handler = kt_top_signal };
	struct kipc_admin *ka;
	uint32_t n;
	char *end;
	size_t i;
	int c, ret;

	sp = shortopts + 2;
	for (i = 0; i < ARRAY_SIZE(kt_top_opts); i++) {
		longopts[i] = (struct option){
			.name = kt_top_opts[i].name,
			.has_arg = kt_top_opts[i].arg ? required_argument :
							no_argument,
			.val = kt_top_opts[i].val,
		};
		*sp++ = kt_top_opts[i].val;
		if (kt_top_opts[i].arg)
			*sp++ = ':';
	}
	*sp = 0;
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts,
				NULL)) != -1) {
		switch (c) {
		case 'b':
			kt_top.batch = true;
			break;
		case 'n':
			if (!kt_parse_u32(optarg, 10, 1, INT32_MAX, &n))
				return kt_usage_err(cmd->path, "invalid value '%s' for '--iterations': a number from 1",
						    optarg);
			kt_top.iterations = n;
			break;
		case 'd':
			errno = 0;
			kt_top.delay = strtod(optarg, &end);
			if (errno || *end || end == optarg ||
			    !isfinite(kt_top.delay) || kt_top.delay < 0.1 ||
			    kt_top.delay > 86400)
				return kt_usage_err(cmd->path, "invalid delay '%s': seconds from 0.1 to 86400",
						    optarg);
			break;
		case 's':
			for (i = 0; i < ARRAY_SIZE(kt_top_keys); i++)
				if (!strcmp(optarg, kt_top_keys[i]))
					break;
			if (i == ARRAY_SIZE(kt_top_keys))
				return kt_usage_err(cmd->path, "invalid sort key '%s'",
						    optarg);
			kt_top.sort = i;
			break;
		case 't':
			if (!strcmp(optarg, "mq"))
				kt_top.type = KIPC_OBJ_MQ;
			else if (!strcmp(optarg, "shm"))
				kt_top.type = KIPC_OBJ_SHM;
			else if (!strcmp(optarg, "sem"))
				kt_top.type = KIPC_OBJ_SEM;
			else
				return kt_usage_err(cmd->path, "invalid type '%s': mq, shm or sem",
						    optarg);
			break;
		case 'h':
			kt_top_help(cmd, stdout);
			return 0;
		case ':':
			return kt_usage_err(cmd->path, "option '%s' requires an argument",
					    argv[optind - 1]);
		default:
			return kt_usage_err(cmd->path, "unrecognized option '%s'",
					    argv[optind - 1]);
		}
	}
	if (optind < argc && !strcmp(argv[optind], "help") &&
	    optind + 1 == argc) {
		kt_top_help(cmd, stdout);
		return 0;
	}
	if (optind < argc)
		kt_top.glob = argv[optind++];
	if (optind < argc)
		return kt_usage_err(cmd->path, "unexpected argument '%s' to '%s'",
				    argv[optind], cmd->path);
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO))
		kt_top.batch = true;

	if (kt_connect(&ka))
		return 1;
	/* No SA_RESTART: a signal ends poll() at once. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (!kt_top.batch) {
		ret = kt_top_raw();
		if (ret) {
			kipc_admin_close(ka);
			return kt_errno(ret, "cannot set up the terminal");
		}
	}
	ret = kt_top_loop(ka);
	kt_top_restore();
	kipc_admin_close(ka);
	return ret;
}

const struct kt_cmd kt_top_cmd = {
	.name = "top",
	.path = "top",
	.summary = "live view of the busiest objects",
	.opts = KT_OPTS_TOP,
	.run = kt_top_run,
	.help = kt_top_help,
};
