// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's own YNL CLI (tools/net/ynl/cli.py from linux-source-6.12)
 * drives the kipc family from kmod/netlink/specs/kipc.yaml alone: it dumps
 * objects (all, and of one type), gets one by id and by type and name, reads
 * the module stats and limits, removes an object by name, and subscribes to
 * the monitor group. `make stage` puts the CLI, a Python interpreter with
 * exactly the modules it loads, and the spec under /kipc/ynl
 * (scripts/stage-ynl.sh); without them the tests skip.
 *
 * The CLI prints JSON (--output-json) with json.dumps()'s default layout:
 * {"id": 5, "type": "mq", "name": "x", ...}, enums by their names. The checks
 * look for one object's fields inside one {...} of that output.
 */
#include <sys/utsname.h>
#include <sys/wait.h>

#include "kipc_test.h"

#define YNL_DIR		"/kipc/ynl"
#define YNL_OUT_MAX	(1 << 20)

static bool ynl_present(void)
{
	return access(YNL_DIR "/cli.py", R_OK) == 0 &&
	       access(YNL_DIR "/py/bin/python3", X_OK) == 0;
}

/* The shell command that runs the CLI with @args, stdout into @path. */
static void ynl_cmd(char *cmd, size_t size, const char *args,
		    const char *path)
{
	snprintf(cmd, size,
		 "PYTHONHOME=%s/py %s/py/bin/python3 -S %s/cli.py --no-schema "
		 "--spec %s/specs/kipc.yaml --output-json %s > %s",
		 YNL_DIR, YNL_DIR, YNL_DIR, YNL_DIR, args, path);
}

/*
 * The shell command that runs @code (Python, without single quotes) with
 * the CLI's library and interpreter, stdout into @path: for what the CLI
 * cannot do in one run, such as a request followed by a wait for events.
 */
static void ynl_py_cmd(char *cmd, size_t size, const char *code,
		       const char *path)
{
	snprintf(cmd, size,
		 "PYTHONHOME=%s/py %s/py/bin/python3 -S -c '"
		 "import sys, json, time; sys.path.insert(0, \"%s\"); "
		 "from lib import YnlFamily; "
		 "y = YnlFamily(\"%s/specs/kipc.yaml\", \"\"); %s' > %s",
		 YNL_DIR, YNL_DIR, YNL_DIR, YNL_DIR, code, path);
}

/* @path's contents, NUL-terminated and malloc'd, logged; NULL on error. */
static char *ynl_slurp(const char *path, const char *args)
{
	char *out = calloc(1, YNL_OUT_MAX);
	ssize_t n = -1;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd >= 0 && out)
		n = read(fd, out, YNL_OUT_MAX - 1);
	if (fd >= 0)
		close(fd);
	unlink(path);
	if (n < 0) {
		free(out);
		return NULL;
	}
	fprintf(stderr, "# ynl %s -> %.*s\n", args, (int)(n > 300 ? 300 : n),
		out);
	return out;
}

/*
 * Run the CLI with @args (shell words); *@out gets its stdout (malloc'd, NUL
 * terminated); stderr goes to the test log. Returns its exit status.
 */
static int ynl_run(char **out, const char *fmt, ...)
{
	char args[1024], cmd[2048], path[64];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "/tmp/ynl.%d", getpid());
	ynl_cmd(cmd, sizeof(cmd), args, path);
	st = system(cmd);
	*out = ynl_slurp(path, args);
	if (!*out)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The {...} of @json that holds "name": "@name", copied into @obj. */
static bool ynl_find_obj(const char *json, const char *name, char *obj,
			 size_t size)
{
	char key[KIPC_NAME_MAX + 16];
	const char *p, *start, *end;

	snprintf(key, sizeof(key), "\"name\": \"%s\"", name);
	p = strstr(json, key);
	if (!p)
		return false;
	for (start = p; start > json && *start != '{'; start--)
		;
	end = strchr(p, '}');
	if (*start != '{' || !end || (size_t)(end - start + 2) > size)
		return false;
	memcpy(obj, start, end - start + 1);
	obj[end - start + 1] = '\0';
	return true;
}

/* The integer value of "@key" in one object's JSON, or -1. */
static long long ynl_int(const char *obj, const char *key)
{
	char k[64];
	const char *p;

	snprintf(k, sizeof(k), "\"%s\": ", key);
	p = strstr(obj, k);
	if (!p)
		return -1;
	return strtoll(p + strlen(k), NULL, 10);
}

static bool ynl_has(const char *obj, const char *key, const char *str)
{
	char k[128];

	snprintf(k, sizeof(k), "\"%s\": \"%s\"", key, str);
	return strstr(obj, k) != NULL;
}

FIXTURE(ynl) {
	char name[3][64];
	int fd[3];
	__u64 id[3];
};

FIXTURE_SETUP(ynl)
{
	static const char *const sfx[] = { "q", "r", "s" };
	struct kipc_info info;
	int i;

	if (!ynl_present())
		SKIP(return, "the YNL CLI is not staged in %s (no Debian python3 and python3-yaml at build time, or an arm64 guest)",
		     YNL_DIR);
	for (i = 0; i < 3; i++) {
		snprintf(self->name[i], sizeof(self->name[i]), "ynl.%d.%s",
			 getpid(), sfx[i]);
		self->fd[i] = -1;
	}
	self->fd[0] = kipc_mq_open(self->name[0], KIPC_OPEN_CREATE |
				   KIPC_OPEN_READ | KIPC_OPEN_WRITE, 0600, 4,
				   64);
	self->fd[1] = kipc_shm_open(self->name[1], KIPC_OPEN_CREATE |
				    KIPC_OPEN_READ | KIPC_OPEN_WRITE, 0600,
				    8192);
	self->fd[2] = kipc_sem_open(self->name[2], KIPC_OPEN_CREATE |
				    KIPC_OPEN_READ | KIPC_OPEN_WRITE, 0600, 3);
	for (i = 0; i < 3; i++) {
		ASSERT_LE(0, self->fd[i]);
		ASSERT_EQ(0, kipc_info(self->fd[i], &info));
		self->id[i] = info.out_id;
	}
}

FIXTURE_TEARDOWN(ynl)
{
	static const __u32 types[] = { KIPC_OBJ_MQ, KIPC_OBJ_SHM,
				       KIPC_OBJ_SEM };
	int i;

	for (i = 0; i < 3; i++) {
		if (self->fd[i] < 0)
			continue;
		kipc_unlink(types[i], self->name[i]);
		close(self->fd[i]);
	}
}

/* A dump shows each object with its id, type and fields. */
TEST_F(ynl, dump_all)
{
	static const char *const tn[] = { "mq", "shm", "sem" };
	char obj[4096], *out;
	int i;

	ASSERT_EQ(0, ynl_run(&out, "--dump obj-get"));
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(ynl_find_obj(out, self->name[i], obj, sizeof(obj)))
			TH_LOG("%s missing from the dump", self->name[i]);
		EXPECT_EQ((long long)self->id[i], ynl_int(obj, "id"));
		EXPECT_TRUE(ynl_has(obj, "type", tn[i])) TH_LOG("%s", obj);
	}
	ASSERT_TRUE(ynl_find_obj(out, self->name[0], obj, sizeof(obj)));
	EXPECT_EQ(4, ynl_int(obj, "mq-max-msgs"));
	EXPECT_EQ(64, ynl_int(obj, "mq-max-msgsize"));
	ASSERT_TRUE(ynl_find_obj(out, self->name[1], obj, sizeof(obj)));
	EXPECT_EQ(8192, ynl_int(obj, "shm-size"));
	ASSERT_TRUE(ynl_find_obj(out, self->name[2], obj, sizeof(obj)));
	EXPECT_EQ(3, ynl_int(obj, "sem-value"));
	free(out);
}

/* The type filter of the dump, given by the enum's name. */
TEST_F(ynl, dump_type_filter)
{
	char obj[4096], *out;

	ASSERT_EQ(0, ynl_run(&out, "--dump obj-get --json '{\"type\": \"sem\"}'"));
	EXPECT_TRUE(ynl_find_obj(out, self->name[2], obj, sizeof(obj)));
	EXPECT_FALSE(ynl_find_obj(out, self->name[0], obj, sizeof(obj)));
	EXPECT_FALSE(ynl_find_obj(out, self->name[1], obj, sizeof(obj)));
	EXPECT_EQ(NULL, strstr(out, "\"type\": \"mq\""));
	free(out);
}

TEST_F(ynl, get_by_id_and_by_name)
{
	char obj[4096], *out;

	ASSERT_EQ(0, ynl_run(&out, "--do obj-get --json '{\"id\": %llu}'",
			     (unsigned long long)self->id[1]));
	ASSERT_TRUE(ynl_find_obj(out, self->name[1], obj, sizeof(obj)));
	EXPECT_EQ((long long)self->id[1], ynl_int(obj, "id"));
	free(out);

	ASSERT_EQ(0, ynl_run(&out,
			     "--do obj-get --json '{\"type\": \"mq\", \"name\": \"%s\"}'",
			     self->name[0]));
	ASSERT_TRUE(ynl_find_obj(out, self->name[0], obj, sizeof(obj)));
	EXPECT_EQ((long long)self->id[0], ynl_int(obj, "id"));
	free(out);

	/* The kernel's refusal comes back as the CLI's error. */
	EXPECT_NE(0, ynl_run(&out,
			     "--do obj-get --json '{\"type\": \"sem\", \"name\": \"%s\"}'",
			     self->name[0]));
	free(out);
}

/* Module stats and limits agree with what the raw client reads. */
TEST_F(ynl, stats_and_limits)
{
	struct kipc_nl nl;
	__u64 objs, lim;
	char *out;

	ASSERT_EQ(0, kipc_nl_open(&nl));
	ASSERT_EQ(0, ynl_run(&out, "--do stats-get"));
	objs = test_nl_stats_attr(&nl, KIPC_A_STATS_NS_OBJECTS);
	lim = test_nl_stats_attr(&nl, KIPC_A_STATS_LIMIT_OBJECTS);
	close(nl.fd);
	EXPECT_EQ((long long)objs, ynl_int(out, "ns-objects"));
	EXPECT_LE(3, ynl_int(out, "ns-objects"));
	EXPECT_EQ(1, ynl_int(out, "sems"));
	free(out);

	ASSERT_EQ(0, ynl_run(&out, "--do limits-get"));
	EXPECT_EQ((long long)lim, ynl_int(out, "objects"));
	EXPECT_EQ((long long)objs, ynl_int(out, "objects-used"));
	free(out);
}

TEST_F(ynl, remove_by_name)
{
	char *out;

	ASSERT_EQ(0, ynl_run(&out,
			     "--do obj-remove --json '{\"type\": \"sem\", \"name\": \"%s\"}'",
			     self->name[2]));
	free(out);
	EXPECT_EQ(-ENOENT, kipc_sem_open(self->name[2], KIPC_OPEN_READ, 0, 0));
	EXPECT_EQ(-EIDRM, kipc_sem_post(self->fd[2], 1));
}

/*
 * A listener joins the group and subscribes its socket with
 * monitor-subscribe (the CLI's library: the CLI cannot send a request and
 * then wait; it binds the socket to join, so joining comes first), says it
 * is ready (an event that overtook monitor-subscribe's answer would be
 * taken for it by the library, so none is made before),
 * sleeps, then prints what arrived. Objects are made and destroyed until it
 * exits, so some fall inside its window whatever its start-up time under
 * emulation; each must show its create, unlink and destroy, in that order.
 */
TEST_F(ynl, monitor)
{
	char name[64], cmd[2048], path[64], ready[80], args[512], obj[1024];
	char *out, *p;
	const char *ev[] = { "obj-create-ntf", "obj-unlink-ntf",
			     "obj-destroy-ntf" };
	int st, i, n = 0, fd, seen = 0;
	pid_t pid;

	if (!kipc_kernel_has_monitor())
		SKIP(return, "kernel before 6.9: kipc offers no monitor group");
	snprintf(name, sizeof(name), "ynl.%d.mon", getpid());
	snprintf(path, sizeof(path), "/tmp/ynl-mon.%d", getpid());
	snprintf(ready, sizeof(ready), "%s.ready", path);
	snprintf(args, sizeof(args),
		 "y.ntf_subscribe(\"monitor\"); "
		 "y.do(\"monitor-subscribe\", {}); "
		 "open(\"%s\", \"w\").close(); time.sleep(5); "
		 "y.check_ntf(); print(json.dumps(y.async_msg_queue))", ready);
	ynl_py_cmd(cmd, sizeof(cmd), args, path);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	/* A cycle every 0.2 s: its 3 events fit the default receive buffer. */
	for (i = 0; i < 300; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		if (access(ready, F_OK)) {
			usleep(200000);
			continue;
		}
		fd = kipc_sem_open(name, KIPC_OPEN_CREATE | KIPC_OPEN_READ,
				   0600, 0);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, name));
		close(fd);
		n++;
		usleep(200000);
	}
	if (i == 300) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	unlink(ready);
	out = ynl_slurp(path, args);
	ASSERT_NE(NULL, out);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ASSERT_LT(0, n);

	/*
	 * [{"name": "obj-create-ntf", "msg": {"id": .., "name": ..}}, ...]:
	 * walk the events of our name in order; each cycle is create, unlink,
	 * destroy, and one cycle at least must be whole.
	 */
	p = out;
	for (;;) {
		char key[96], *e;
		int k;

		snprintf(key, sizeof(key), "\"name\": \"%s\"", name);
		p = strstr(p, key);
		if (!p)
			break;
		/* The event name comes before the message's own fields. */
		for (e = p; e > out && strncmp(e, "\"obj-", 5); e--)
			;
		for (k = 0; k < 3; k++)
			if (!strncmp(e + 1, ev[k], strlen(ev[k])))
				break;
		ASSERT_GT(3, k) TH_LOG("unknown event near %.60s", e);
		if (seen % 3 != k) {
			/* Only the first cycle may be cut by the window. */
			ASSERT_GT(3, seen) TH_LOG("event %s out of order", ev[k]);
			seen = k;
		}
		if (k == 0) {
			char *b = p, *f = strchr(p, '}');

			/* This event's message: the {...} around p. */
			while (b > out && *b != '{')
				b--;
			ASSERT_TRUE(f && f - b + 2 < (long)sizeof(obj));
			memcpy(obj, b, f - b + 1);
			obj[f - b + 1] = '\0';
			EXPECT_EQ(getpid(), ynl_int(obj, "actor-pid"));
			EXPECT_EQ(0, ynl_int(obj, "actor-uid"));
			EXPECT_TRUE(ynl_has(obj, "type", "sem"));
		}
		seen++;
		p += strlen(key);
	}
	EXPECT_LE(3, seen) TH_LOG("no whole create/unlink/destroy cycle seen");
	free(out);
}

/*
 * Joining the group alone (the CLI's --subscribe) subscribes no socket: the
 * kernel cannot tell which socket of the process joined, so it hears
 * nothing, while objects come and go.
 */
TEST_F(ynl, monitor_join_alone_hears_nothing)
{
	const char *args = "--subscribe monitor --sleep 3";
	char name[64], cmd[2048], path[64], *out;
	int st, i, fd;
	pid_t pid;

	if (!kipc_kernel_has_monitor())
		SKIP(return, "kernel before 6.9: kipc offers no monitor group");
	snprintf(name, sizeof(name), "ynl.%d.join", getpid());
	snprintf(path, sizeof(path), "/tmp/ynl-join.%d", getpid());
	ynl_cmd(cmd, sizeof(cmd), args, path);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 300; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		fd = kipc_sem_open(name, KIPC_OPEN_CREATE | KIPC_OPEN_READ,
				   0600, 0);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, name));
		close(fd);
		usleep(200000);
	}
	if (i == 300) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	out = ynl_slurp(path, args);
	ASSERT_NE(NULL, out);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	EXPECT_EQ(NULL, strstr(out, "obj-create-ntf"));
	EXPECT_EQ(NULL, strstr(out, name));
	EXPECT_STREQ("[]\n", out);
	free(out);
}

TEST_HARNESS_MAIN
