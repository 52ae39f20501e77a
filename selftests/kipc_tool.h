/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for the tests of the admin tool: run /kipc/bin/kipc (or $KIPC_TOOL)
 * as a child with its standard streams on memfds, so that binary input and
 * output are compared byte for byte, and read its JSON with a small strict
 * parser ({"objects": [{"name": "q", "msgs": 2, ...}]}), so that malformed
 * JSON fails the test too.
 *
 * The macros use self->res (struct tool_res *) and self->json (struct
 * tool_json *), which a fixture allocates in its setup: they are too big
 * for the stack of a test.
 */
#ifndef KIPC_TOOL_H
#define KIPC_TOOL_H

#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "kipc_test.h"

#define TOOL_DEFAULT	"/kipc/bin/kipc"
#define TOOL_OUT_MAX	(64 * 1024)
#define TOOL_OBJS_MAX	16
#define TOOL_KEYS_MAX	64

/* What one run of the tool left. */
struct tool_res {
	int status;		/* exit status; 128 + signal if killed */
	size_t out_len;
	char out[TOOL_OUT_MAX];	/* NUL-terminated too */
	char err[TOOL_OUT_MAX];
};

/* A run in progress. */
struct tool_proc {
	pid_t pid;
	int out_fd;
	int err_fd;
};

/*
 * When not 0, the tool runs with this soft RLIMIT_NOFILE (its descriptor
 * table full after that many), for the errors of a full table.
 */
static unsigned int tool_nofile;

static inline const char *tool_path(void)
{
	return getenv("KIPC_TOOL") ?: TOOL_DEFAULT;
}

/*
 * Start the tool with @args (after argv[0]; NULL-terminated) and @in_len
 * bytes of @in on its standard input, as @uid (or as we are, for -1).
 * Returns 0 or -errno.
 */
static inline int tool_start(struct tool_proc *p, uid_t uid, const void *in,
		     size_t in_len, char *const args[])
{
	char *argv[32];
	int in_fd, i;

	argv[0] = "kipc";
	for (i = 0; args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;

	in_fd = memfd_create("tmq-in", MFD_CLOEXEC);
	p->out_fd = memfd_create("tmq-out", MFD_CLOEXEC);
	p->err_fd = memfd_create("tmq-err", MFD_CLOEXEC);
	if (in_fd < 0 || p->out_fd < 0 || p->err_fd < 0)
		return -errno;
	if (in_len && write(in_fd, in, in_len) != (ssize_t)in_len)
		return -EIO;
	lseek(in_fd, 0, SEEK_SET);

	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (p->pid == 0) {
		if (dup2(in_fd, 0) < 0 || dup2(p->out_fd, 1) < 0 ||
		    dup2(p->err_fd, 2) < 0)
			_exit(126);
		if (uid != (uid_t)-1 && kipc_become(uid, uid, KIPC_NO_GROUP))
			_exit(126);
		if (tool_nofile) {
			struct rlimit rl;

			/* Nothing inherited beyond 0, 1 and 2 counts. */
			if (close_range(3, ~0U, 0) ||
			    getrlimit(RLIMIT_NOFILE, &rl))
				_exit(126);
			rl.rlim_cur = tool_nofile;
			if (setrlimit(RLIMIT_NOFILE, &rl))
				_exit(126);
		}
		execv(tool_path(), argv);
		_exit(127);
	}
	close(in_fd);
	return 0;
}

static inline void tool_read_all(int fd, char *buf, size_t *len)
{
	ssize_t n;
	size_t got = 0;

	while (got < TOOL_OUT_MAX - 1 &&
	       (n = pread(fd, buf + got, TOOL_OUT_MAX - 1 - got, got)) > 0)
		got += n;
	buf[got] = '\0';
	if (len)
		*len = got;
}

/* Wait for the run to end and collect what it left. Returns 0 or -errno. */
static inline int tool_finish(struct tool_proc *p, struct tool_res *r)
{
	int st;

	if (waitpid(p->pid, &st, 0) != p->pid)
		return -errno;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	tool_read_all(p->out_fd, r->out, &r->out_len);
	tool_read_all(p->err_fd, r->err, NULL);
	close(p->out_fd);
	close(p->err_fd);
	return 0;
}

static inline int tool_run_argv(struct tool_res *r, uid_t uid, const void *in,
			size_t in_len, char *const args[])
{
	struct tool_proc p;
	int ret;

	ret = tool_start(&p, uid, in, in_len, args);
	return ret ? ret : tool_finish(&p, r);
}

#define TOOL_ARGS(...)	((char *const []){ __VA_ARGS__, NULL })

/* Run the tool to its end; its result is in self->res. */
#define tool_run_as(_uid, _in, _in_len, ...)				\
	ASSERT_EQ(0, tool_run_argv(self->res, _uid, _in, _in_len,	\
				  TOOL_ARGS(__VA_ARGS__)))
#define tool_run_in(_in, _in_len, ...) \
	tool_run_as((uid_t)-1, _in, _in_len, __VA_ARGS__)
#define tool_run(...)	tool_run_in(NULL, 0, __VA_ARGS__)

/* The run succeeded and said nothing on standard error. */
#define tool_ok()							\
	do {								\
		EXPECT_STREQ("", self->res->err);			\
		ASSERT_EQ(0, self->res->status)				\
			TH_LOG("stderr: %s", self->res->err);		\
	} while (0)

/* The run failed with exit status 1, this message, and no output. */
#define tool_fails(_fmt, ...)						\
	do {								\
		char __want[1024];					\
									\
		snprintf(__want, sizeof(__want), _fmt, ##__VA_ARGS__);	\
		EXPECT_EQ(1, self->res->status);			\
		EXPECT_STREQ("", self->res->out);			\
		ASSERT_STREQ(__want, self->res->err);			\
	} while (0)

/* The run timed out (-t): exit status 124, this message, and no output. */
#define tool_timed_out(_fmt, ...)					\
	do {								\
		char __want[1024];					\
									\
		snprintf(__want, sizeof(__want), _fmt, ##__VA_ARGS__);	\
		EXPECT_EQ(124, self->res->status);			\
		EXPECT_STREQ("", self->res->out);			\
		ASSERT_STREQ(__want, self->res->err);			\
	} while (0)

/*
 * A mistake on the command line: exit status 2, this message (which ends
 * with where the help is), and no output.
 */
#define tool_usage_fails(_fmt, ...)					\
	do {								\
		char __want[1024];					\
									\
		snprintf(__want, sizeof(__want), _fmt, ##__VA_ARGS__);	\
		EXPECT_EQ(2, self->res->status);			\
		EXPECT_STREQ("", self->res->out);			\
		ASSERT_STREQ(__want, self->res->err);			\
	} while (0)

/* --- JSON: {"objects": [ {flat object}, ... ]} --------------------------- */

struct tool_kv {
	char key[32];
	char val[2 * (KIPC_NAME_MAX + 1)];
};

struct tool_obj {
	int n;
	struct tool_kv kv[TOOL_KEYS_MAX];
};

struct tool_json {
	const char *p;
	int n;
	struct tool_obj objs[TOOL_OBJS_MAX];
};

static inline void tool_ws(struct tool_json *j)
{
	while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' ||
	       *j->p == '\r')
		j->p++;
}

static inline bool tool_lit(struct tool_json *j, const char *lit)
{
	size_t len = strlen(lit);

	if (strncmp(j->p, lit, len))
		return false;
	j->p += len;
	return true;
}

/* A string; \u escapes must be ASCII, which is all the tool prints. */
static inline bool tool_string(struct tool_json *j, char *out, size_t size)
{
	size_t n = 0;

	if (*j->p++ != '"')
		return false;
	while (*j->p != '"') {
		char c = *j->p++;
		unsigned int v;

		if ((unsigned char)c < 0x20)
			return false;
		if (c == '\\') {
			c = *j->p++;
			switch (c) {
			case '"':
			case '\\':
			case '/':
				break;
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'u':
				if (sscanf(j->p, "%4x", &v) != 1 || v > 0x7f)
					return false;
				j->p += 4;
				c = (char)v;
				break;
			default:
				return false;
			}
		}
		if (n + 1 >= size)
			return false;
		out[n++] = c;
	}
	j->p++;
	out[n] = '\0';
	return true;
}

/* A scalar as text: strings unescaped, numbers as written, "null". */
static inline bool tool_scalar(struct tool_json *j, char *out, size_t size)
{
	const char *start = j->p;

	if (*j->p == '"')
		return tool_string(j, out, size);
	if (tool_lit(j, "null") || tool_lit(j, "true") || tool_lit(j, "false")) {
		snprintf(out, size, "%.*s", (int)(j->p - start), start);
		return true;
	}
	if (*j->p == '-')
		j->p++;
	if (*j->p < '0' || *j->p > '9')
		return false;
	while (*j->p >= '0' && *j->p <= '9')
		j->p++;
	if ((size_t)(j->p - start) >= size)
		return false;
	snprintf(out, size, "%.*s", (int)(j->p - start), start);
	return true;
}

static inline bool tool_object(struct tool_json *j, struct tool_obj *o)
{
	o->n = 0;
	if (*j->p++ != '{')
		return false;
	tool_ws(j);
	if (*j->p == '}') {
		j->p++;
		return true;
	}
	for (;;) {
		struct tool_kv *kv = &o->kv[o->n];

		if (o->n == TOOL_KEYS_MAX)
			return false;
		tool_ws(j);
		if (!tool_string(j, kv->key, sizeof(kv->key)))
			return false;
		tool_ws(j);
		if (*j->p++ != ':')
			return false;
		tool_ws(j);
		if (!tool_scalar(j, kv->val, sizeof(kv->val)))
			return false;
		o->n++;
		tool_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		return *j->p++ == '}';
	}
}

/* {"@key": [ {flat object}, ... ]}, and nothing else. */
static inline bool tool_json_parse_key(struct tool_json *j, const char *text,
				       const char *key)
{
	char want[64];

	snprintf(want, sizeof(want), "\"%s\":", key);
	j->p = text;
	j->n = 0;
	tool_ws(j);
	if (!tool_lit(j, "{"))
		return false;
	tool_ws(j);
	if (!tool_lit(j, want))
		return false;
	tool_ws(j);
	if (!tool_lit(j, "["))
		return false;
	tool_ws(j);
	if (*j->p != ']') {
		for (;;) {
			if (j->n == TOOL_OBJS_MAX)
				return false;
			tool_ws(j);
			if (!tool_object(j, &j->objs[j->n++]))
				return false;
			tool_ws(j);
			if (*j->p != ',')
				break;
			j->p++;
		}
	}
	if (!tool_lit(j, "]"))
		return false;
	tool_ws(j);
	if (!tool_lit(j, "}"))
		return false;
	tool_ws(j);
	return *j->p == '\0';
}

static inline bool tool_json_parse(struct tool_json *j, const char *text)
{
	return tool_json_parse_key(j, text, "objects");
}

/* One flat JSON object alone on a line (JSON Lines), as kipc monitor -J. */
static inline bool tool_json_line(struct tool_obj *o, const char *line)
{
	struct tool_json j = { .p = line };

	tool_ws(&j);
	if (!tool_object(&j, o))
		return false;
	tool_ws(&j);
	return *j.p == '\0';
}

/*
 * Start the tool with its standard output on a pipe, to read as it writes
 * (kipc monitor); standard error goes to a memfd. *@out_fd is the pipe's
 * reading end. Returns 0 or -errno.
 */
static inline int tool_start_pipe(struct tool_proc *p, int *out_fd,
				  char *const args[])
{
	char *argv[32];
	int pfd[2], i;

	argv[0] = "kipc";
	for (i = 0; args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;

	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	p->out_fd = -1;
	p->err_fd = memfd_create("tool-err", MFD_CLOEXEC);
	if (p->err_fd < 0)
		return -errno;
	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (p->pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null < 0 || dup2(null, 0) < 0 || dup2(pfd[1], 1) < 0 ||
		    dup2(p->err_fd, 2) < 0)
			_exit(126);
		execv(tool_path(), argv);
		_exit(127);
	}
	close(pfd[1]);
	*out_fd = pfd[0];
	return 0;
}

/*
 * The next line from @fd into @buf (without its newline), waiting at most
 * @timeout_ms for it. @pend holds what was read past the last line and must
 * start out empty. Returns the line's length, -ETIMEDOUT, or -EPIPE at the
 * end of the stream.
 */
struct tool_lines {
	char buf[4096];
	size_t len;
};

static inline int tool_read_line(int fd, struct tool_lines *pend, char *line,
				 size_t size, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char *nl;
	ssize_t n;

	for (;;) {
		nl = memchr(pend->buf, '\n', pend->len);
		if (nl) {
			size_t len = nl - pend->buf;

			if (len >= size)
				len = size - 1;
			memcpy(line, pend->buf, len);
			line[len] = '\0';
			pend->len -= nl + 1 - pend->buf;
			memmove(pend->buf, nl + 1, pend->len);
			return len;
		}
		if (pend->len == sizeof(pend->buf))
			return -E2BIG;
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return -ETIMEDOUT;
		n = read(fd, pend->buf + pend->len,
			 sizeof(pend->buf) - pend->len);
		if (n <= 0)
			return -EPIPE;
		pend->len += n;
	}
}

static inline const char *tool_get(const struct tool_obj *o, const char *key)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->kv[i].key, key))
			return o->kv[i].val;
	return NULL;
}

/* The value of @key as a number; the key must be there and be a number. */
#define tool_num(_o, _key)						\
	({								\
		const char *__v = tool_get(_o, _key);			\
		char *__end;						\
		long long __n;						\
									\
		ASSERT_NE(NULL, __v) TH_LOG("no \"%s\"", _key);	\
		__n = strtoll(__v, &__end, 10);				\
		ASSERT_TRUE(*__v && !*__end)				\
			TH_LOG("\"%s\": \"%s\"", _key, __v);		\
		__n;							\
	})

#define tool_str(_o, _key)						\
	({								\
		const char *__v = tool_get(_o, _key);			\
									\
		ASSERT_NE(NULL, __v) TH_LOG("no \"%s\"", _key);	\
		__v;							\
	})

/*
 * `kipc OBJ show NAME-OR-id ID -J -b --output-all`: exactly one object,
 * which is returned; sizes are numbers.
 */
#define tool_show(_obj, ...)						\
	({								\
		tool_run(_obj, "show", __VA_ARGS__, "-J", "-b",	\
			 "--output-all");				\
		tool_ok();						\
		ASSERT_TRUE(tool_json_parse(self->json, self->res->out)) \
			TH_LOG("not the JSON expected:\n%s",		\
			       self->res->out);				\
		ASSERT_EQ(1, self->json->n);				\
		&self->json->objs[0];					\
	})

#endif /* KIPC_TOOL_H */
