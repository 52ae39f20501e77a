// SPDX-License-Identifier: GPL-2.0-only
/*
 * Seeing inside with the admin tool: the holders of an object (`kipc list
 * -o HOLDERS`, `kipc mq|shm|sem show NAME`), `kipc stats|list --format
 * prometheus` (checked by a small parser of the text exposition format
 * written here: HELP and TYPE before each family, families whole, label
 * escapes, counters ending in _total, numeric values) and `kipc top` in
 * batch mode, and interactively under tmux when tmux is staged into the
 * guest (/kipc/tmux, by scripts/stage-tmux.sh).
 */
/* Names and lines are bounded; a truncated message is still a failure. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include <ctype.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "kipc-admin.h"
#include "kipc_tool.h"

FIXTURE(tool_obs) {
	char mq[KIPC_NAME_MAX + 1];
	char shm[KIPC_NAME_MAX + 1];
	char sem[KIPC_NAME_MAX + 1];
	struct tool_res *res;
	struct tool_json *json;
};

FIXTURE_SETUP(tool_obs)
{
	if (access(tool_path(), X_OK))
		SKIP(return, "%s is not there", tool_path());
	test_name(self->mq, "q");
	test_name(self->shm, "r");
	test_name(self->sem, "s");
	self->res = calloc(1, sizeof(*self->res));
	self->json = calloc(1, sizeof(*self->json));
	ASSERT_NE(NULL, self->res);
	ASSERT_NE(NULL, self->json);
	umask(0);
}

FIXTURE_TEARDOWN(tool_obs)
{
	char idle[KIPC_NAME_MAX + 8];

	/* top_batch's second queue, should the test end before its unlink. */
	snprintf(idle, sizeof(idle), "%s-idle", self->mq);
	kipc_unlink(KIPC_OBJ_MQ, idle);
	kipc_unlink(KIPC_OBJ_MQ, self->mq);
	kipc_unlink(KIPC_OBJ_SHM, self->shm);
	kipc_unlink(KIPC_OBJ_SEM, self->sem);
	free(self->json);
	free(self->res);
}

/* --- holders -------------------------------------------------------------- */

/*
 * A child that opens the region, maps it, and then on each byte read from
 * @go: 'c' closes its fd (the mapping stays), 'x' exits. It writes a byte
 * to @ready when set up and after each step. As @uid unless -1.
 */
static pid_t obs_holder(const char *shm, const char *mq, uid_t uid,
			int ready, int go)
{
	pid_t pid = fork();
	void *addr;
	size_t len;
	int fd, q;
	char c;

	if (pid)
		return pid;
	/* Only our own fds: none inherited from the test. */
	for (fd = 3; fd < 1024; fd++)
		if (fd != ready && fd != go)
			close(fd);
	if (uid != (uid_t)-1) {
		if (kipc_become(uid, uid, KIPC_NO_GROUP))
			_exit(10);
		/* setuid() made it undumpable: its own user may look again. */
		if (prctl(PR_SET_DUMPABLE, 1))
			_exit(16);
	}
	fd = kipc_shm_open(shm, KIPC_OPEN_READ | KIPC_OPEN_WRITE, 0, 0);
	if (fd < 0)
		_exit(11);
	if (kipc_shm_map(fd, PROT_READ, &addr, &len))
		_exit(12);
	q = mq ? kipc_mq_open(mq, KIPC_OPEN_READ, 0, 0, 0) : -1;
	if (mq && q < 0)
		_exit(13);
	if (write(ready, "r", 1) != 1)
		_exit(14);
	while (read(go, &c, 1) == 1) {
		if (c == 'c')
			close(fd);
		else
			break;
		if (write(ready, "r", 1) != 1)
			_exit(15);
	}
	_exit(0);
}

#define obs_step(_fd)							\
	do {								\
		char __c;						\
									\
		ASSERT_EQ(1, read(_fd, &__c, 1));			\
	} while (0)

/* The holders an fd and a mapping make, then the mapping alone. */
TEST_F(tool_obs, holders_fd_and_mapping)
{
	int ready[2], go[2], fd, q, status;
	char want_fd[64], want_map[64];
	const struct tool_obj *o;
	const char *h;
	pid_t pid;

	fd = kipc_shm_open(self->shm, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600,
			   8192);
	ASSERT_LE(0, fd);
	q = kipc_mq_open(self->mq, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, 4, 64);
	ASSERT_LE(0, q);
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	pid = obs_holder(self->shm, self->mq, (uid_t)-1, ready[1], go[0]);
	ASSERT_LT(0, pid);
	obs_step(ready[0]);

	snprintf(want_fd, sizeof(want_fd), "[%d]:fd", pid);
	snprintf(want_map, sizeof(want_map), "[%d]:map@", pid);

	/* show NAME adds HOLDERS: the child's fd and mapping, and ours. */
	tool_run("shm", "show", self->shm, "-J");
	tool_ok();
	ASSERT_TRUE(tool_json_parse(self->json, self->res->out))
		TH_LOG("%s", self->res->out);
	ASSERT_EQ(1, self->json->n);
	h = tool_str(&self->json->objs[0], "holders");
	EXPECT_NE(NULL, strstr(h, want_fd)) TH_LOG("holders: %s", h);
	EXPECT_NE(NULL, strstr(h, want_map)) TH_LOG("holders: %s", h);
	snprintf(want_fd, sizeof(want_fd), "[%d]:fd%d", getpid(), fd);
	EXPECT_NE(NULL, strstr(h, want_fd)) TH_LOG("holders: %s", h);

	/* list -o HOLDERS: the queue's holders are the child and us. */
	tool_run("list", "-J", "-o", "NAME,HOLDERS");
	tool_ok();
	ASSERT_TRUE(tool_json_parse(self->json, self->res->out));
	o = NULL;
	for (int i = 0; i < self->json->n; i++)
		if (!strcmp(tool_str(&self->json->objs[i], "name"), self->mq))
			o = &self->json->objs[i];
	ASSERT_NE(NULL, o);
	h = tool_str(o, "holders");
	snprintf(want_fd, sizeof(want_fd), "[%d]:fd", pid);
	EXPECT_NE(NULL, strstr(h, want_fd)) TH_LOG("holders: %s", h);
	EXPECT_EQ(NULL, strstr(h, ":map@")) TH_LOG("holders: %s", h);

	/* The child closes its region fd: its mapping alone holds it. */
	ASSERT_EQ(1, write(go[1], "c", 1));
	obs_step(ready[0]);
	close(fd);
	tool_run("shm", "show", self->shm, "-rn", "-o", "HOLDERS");
	tool_ok();
	snprintf(want_fd, sizeof(want_fd), "[%d]:fd", pid);
	EXPECT_EQ(NULL, strstr(self->res->out, want_fd))
		TH_LOG("%s", self->res->out);
	EXPECT_NE(NULL, strstr(self->res->out, want_map))
		TH_LOG("%s", self->res->out);
	/* Nobody else: exactly one entry. */
	EXPECT_EQ(NULL, strchr(self->res->out, ','))
		TH_LOG("%s", self->res->out);

	/* Gone with the child: an empty cell. */
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	tool_run("shm", "show", self->shm, "-rn", "-o", "HOLDERS");
	tool_ok();
	EXPECT_STREQ("\n", self->res->out);
	close(q);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
}

/* Another user's fds and maps are not readable: skipped quietly. */
TEST_F(tool_obs, holders_only_what_the_caller_may_see)
{
	int ready[2], go[2], fd, status;
	char want[64];
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root to run as two other users");
	fd = kipc_shm_open(self->shm, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0666,
			   4096);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	pid = obs_holder(self->shm, NULL, 65534, ready[1], go[0]);
	ASSERT_LT(0, pid);
	obs_step(ready[0]);
	snprintf(want, sizeof(want), "[%d]:", pid);

	/* Root sees the holder; the same user does; another user does not. */
	tool_run("shm", "show", self->shm, "-rn", "-o", "HOLDERS");
	tool_ok();
	EXPECT_NE(NULL, strstr(self->res->out, want)) TH_LOG("%s",
							  self->res->out);
	tool_run_as(65534, NULL, 0, "shm", "show", self->shm, "-rn", "-o",
		    "HOLDERS");
	tool_ok();
	EXPECT_NE(NULL, strstr(self->res->out, want)) TH_LOG("%s",
							  self->res->out);
	tool_run_as(65533, NULL, 0, "shm", "show", self->shm, "-rn", "-o",
		    "HOLDERS");
	tool_ok();
	EXPECT_STREQ("\n", self->res->out);

	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
}

/* --- Prometheus ----------------------------------------------------------- */

#define PROM_FAMILIES	64

/* What the parser learnt of one exposition. */
struct prom {
	char fam[PROM_FAMILIES][64];
	bool help[PROM_FAMILIES];
	char type[PROM_FAMILIES][16];
	int nfam;
	int samples;
	char err[256];
};

static bool prom_name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_' || s[0] == ':'))
		return false;
	for (i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == ':'))
			return false;
	return true;
}

static int prom_fam(struct prom *p, const char *name, size_t n)
{
	int i;

	for (i = 0; i < p->nfam; i++)
		if (strlen(p->fam[i]) == n && !strncmp(p->fam[i], name, n))
			return i;
	return -1;
}

#define prom_fail(_p, ...)						\
	({ snprintf((_p)->err, sizeof((_p)->err), __VA_ARGS__); false; })

/*
 * Parse @text as the text exposition format, strictly for what kipc
 * writes. Returns true, or false with @p->err saying why.
 */
static bool prom_parse(struct prom *p, const char *text)
{
	const char *line = text, *nl, *s, *e;
	int cur = -1, i;

	memset(p, 0, sizeof(*p));
	for (; *line; line = nl + 1) {
		char name[64], buf[512];
		size_t n;

		nl = strchr(line, '\n');
		if (!nl)
			return prom_fail(p, "no newline at the end");
		n = nl - line;
		if (n >= sizeof(buf))
			return prom_fail(p, "line too long");
		memcpy(buf, line, n);
		buf[n] = '\0';
		if (!strncmp(buf, "# HELP ", 7) || !strncmp(buf, "# TYPE ", 7)) {
			bool help = buf[2] == 'H';

			s = buf + 7;
			e = strchr(s, ' ');
			if (!e || !prom_name_ok(s, e - s) ||
			    (size_t)(e - s) >= sizeof(name))
				return prom_fail(p, "bad name: %s", buf);
			i = prom_fam(p, s, e - s);
			if (i < 0) {
				if (p->nfam == PROM_FAMILIES)
					return prom_fail(p, "too many");
				i = p->nfam++;
				memcpy(p->fam[i], s, e - s);
				/* A family is whole: no going back. */
			} else if (i != cur) {
				return prom_fail(p, "%s split", p->fam[i]);
			}
			cur = i;
			if (help) {
				if (p->help[i] || !e[1])
					return prom_fail(p, "HELP: %s", buf);
				p->help[i] = true;
			} else {
				if (p->type[i][0] || (strcmp(e + 1, "gauge") &&
				    strcmp(e + 1, "counter")))
					return prom_fail(p, "TYPE: %s", buf);
				snprintf(p->type[i], sizeof(p->type[i]), "%s",
					 e + 1);
			}
			continue;
		}
		if (buf[0] == '#')
			return prom_fail(p, "stray comment: %s", buf);
		/* name{label="value",...} number */
		for (e = buf; *e && *e != '{' && *e != ' '; e++)
			;
		if (!prom_name_ok(buf, e - buf))
			return prom_fail(p, "bad sample name: %s", buf);
		i = prom_fam(p, buf, e - buf);
		if (i < 0 || i != cur || !p->help[i] || !p->type[i][0])
			return prom_fail(p, "sample before its HELP and TYPE: %s",
					 buf);
		if (!strcmp(p->type[i], "counter") &&
		    (strlen(p->fam[i]) < 6 ||
		     strcmp(p->fam[i] + strlen(p->fam[i]) - 6, "_total")))
			return prom_fail(p, "counter without _total: %s",
					 p->fam[i]);
		if (*e == '{') {
			e++;
			while (*e != '}') {
				s = e;
				while (isalnum((unsigned char)*e) || *e == '_')
					e++;
				if (e == s || e[0] != '=' || e[1] != '"')
					return prom_fail(p, "bad label: %s", buf);
				for (e += 2; *e != '"'; e++) {
					if (!*e)
						return prom_fail(p, "open label: %s",
								 buf);
					if (*e == '\\') {
						e++;
						if (*e != '\\' && *e != '"' &&
						    *e != 'n')
							return prom_fail(p, "bad escape: %s",
									 buf);
					}
				}
				e++;
				if (*e == ',')
					e++;
				else if (*e != '}')
					return prom_fail(p, "bad labels: %s", buf);
			}
			e++;
		}
		if (*e != ' ')
			return prom_fail(p, "no value: %s", buf);
		{
			char *end;

			strtod(e + 1, &end);
			if (end == e + 1 || *end)
				return prom_fail(p, "bad value: %s", buf);
		}
		p->samples++;
	}
	return true;
}

/* The value of the sample @name@labels (exact text), or -1. */
static long long prom_value(const char *text, const char *sample)
{
	const char *s = text;
	size_t n = strlen(sample);

	while ((s = strstr(s, sample))) {
		if ((s == text || s[-1] == '\n') && s[n] == ' ')
			return strtoll(s + n + 1, NULL, 10);
		s += n;
	}
	return -1;
}

TEST_F(tool_obs, prometheus_stats)
{
	struct prom p;
	struct kipc_admin_stats st;
	struct kipc_admin *ka;
	int fd;

	fd = kipc_sem_open(self->sem, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, 1);
	ASSERT_LE(0, fd);
	tool_run("stats", "--format", "prometheus");
	tool_ok();
	ASSERT_TRUE(prom_parse(&p, self->res->out))
		TH_LOG("%s\n%s", p.err, self->res->out);
	EXPECT_LE(8, p.nfam);
	EXPECT_EQ(p.nfam, p.samples);
	/* The numbers are the module's. */
	ASSERT_EQ(0, kipc_admin_open(&ka));
	ASSERT_EQ(0, kipc_admin_stats(ka, &st, sizeof(st)));
	kipc_admin_close(ka);
	EXPECT_EQ((long long)st.limit_objects,
		  prom_value(self->res->out, "kipc_limit_objects"));
	EXPECT_LE(1, prom_value(self->res->out, "kipc_namespace_sems"));
	close(fd);

	/* Nothing else goes with it. */
	tool_run("stats", "--format", "prometheus", "-J");
	tool_usage_fails("kipc: '--format prometheus' takes no other output option\nTry 'kipc stats help' for more information.\n");
	tool_run("stats", "--format", "xml");
	tool_usage_fails("kipc: invalid format 'xml': table, json or prometheus\nTry 'kipc stats help' for more information.\n");
}

TEST_F(tool_obs, prometheus_list_escapes_and_counts)
{
	char name[KIPC_NAME_MAX + 1], sample[512];
	unsigned int prio;
	struct prom p;
	int q, i;
	char buf[8], prefix[400];
	const struct tool_obj *o;
	char *after;

	/* A name with a quote and a backslash, which labels escape. */
	snprintf(name, sizeof(name), "%s\"\\x", self->mq);
	q = kipc_mq_open(name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, 8, 16);
	ASSERT_LE(0, q);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, kipc_mq_send(q, "abcd", 4, 0));
	ASSERT_EQ(4, kipc_mq_receive(q, buf, sizeof(buf), &prio));

	tool_run("list", "--format", "prometheus");
	tool_ok();
	ASSERT_TRUE(prom_parse(&p, self->res->out))
		TH_LOG("%s\n%s", p.err, self->res->out);
	/* The id and ns are the kernel's: take them from the JSON. */
	tool_run("mq", "show", name, "-J", "-o", "ID,NS");
	tool_ok();
	ASSERT_TRUE(tool_json_parse(self->json, self->res->out));
	o = &self->json->objs[0];
	snprintf(prefix, sizeof(prefix),
		 "{type=\"mq\",id=\"%s\",name=\"%s\\\"\\\\x\",ns=\"%s\"}",
		 tool_str(o, "id"), self->mq, tool_str(o, "ns"));
	tool_run("mq", "list", "--format", "prometheus");
	tool_ok();
	ASSERT_TRUE(prom_parse(&p, self->res->out))
		TH_LOG("%s\n%s", p.err, self->res->out);
	snprintf(sample, sizeof(sample), "kipc_mq_sent_messages_total%s",
		 prefix);
	EXPECT_EQ(3, prom_value(self->res->out, sample))
		TH_LOG("%s\n%s", sample, self->res->out);
	snprintf(sample, sizeof(sample),
		 "kipc_mq_received_messages_total%s", prefix);
	EXPECT_EQ(1, prom_value(self->res->out, sample));
	snprintf(sample, sizeof(sample), "kipc_mq_messages%s", prefix);
	EXPECT_EQ(2, prom_value(self->res->out, sample));
	/* A queue that blocks when full drops nothing. */
	snprintf(sample, sizeof(sample), "kipc_mq_dropped_messages_total%s",
		 prefix);
	EXPECT_EQ(0, prom_value(self->res->out, sample))
		TH_LOG("%s\n%s", sample, self->res->out);
	snprintf(sample, sizeof(sample), "kipc_mq_high_water_messages%s",
		 prefix);
	EXPECT_EQ(3, prom_value(self->res->out, sample));
	snprintf(sample, sizeof(sample), "kipc_mq_queued_bytes%s",
		 prefix);
	EXPECT_EQ(8, prom_value(self->res->out, sample));
	/* mq list: no family of another type. */
	EXPECT_EQ(NULL, strstr(self->res->out, "kipc_sem_"));
	EXPECT_EQ(NULL, strstr(self->res->out, "kipc_shm_"));

	/* --format may also come first, as the table options do ... */
	after = strdup(self->res->out);
	ASSERT_NE(NULL, after);
	tool_run("--format", "prometheus", "mq", "list");
	tool_ok();
	EXPECT_STREQ(after, self->res->out);
	free(after);
	/* ... and is refused for a command that cannot print it. */
	tool_run("--format", "prometheus", "mq", "show", name);
	tool_usage_fails("kipc: option '--format prometheus' does not apply to 'mq show'\nTry 'kipc mq show help' for more information.\n");
	close(q);
	kipc_unlink(KIPC_OBJ_MQ, name);
}

/* The parser itself refuses what the format forbids. */
TEST(prometheus_parser_refuses)
{
	static const char *const bad[] = {
		"x 1\n",					/* no HELP/TYPE */
		"# HELP a h\n# TYPE a counter\na 1\n",		/* no _total */
		"# HELP a h\n# TYPE a gauge\na{l=\"\\q\"} 1\n",	/* escape */
		"# HELP a h\n# TYPE a gauge\na{l=\"x} 1\n",	/* open */
		"# HELP a h\n# TYPE a gauge\na one\n",		/* value */
		"# HELP a h\n# TYPE a gauge\n# HELP b h\n# TYPE b gauge\n"
		"b 1\n# HELP a h\n",				/* split */
		"# HELP a h\n# TYPE a gauge\na 1",		/* no newline */
	};
	struct prom p;
	size_t i;

	ASSERT_TRUE(prom_parse(&p, "# HELP a_total h\n# TYPE a_total counter\n"
				   "a_total{l=\"\\\"\\\\\\n\"} 1\n"))
		TH_LOG("%s", p.err);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_FALSE(prom_parse(&p, bad[i])) TH_LOG("%s", bad[i]);
	}
}

/* --- kipc top ------------------------------------------------------------- */

/* A child that sends to and receives from @name until killed. */
static pid_t obs_busy(const char *name)
{
	unsigned int prio;
	pid_t pid = fork();
	char buf[16];
	int q;

	if (pid)
		return pid;
	q = kipc_mq_open(name, KIPC_OPEN_READ | KIPC_OPEN_WRITE, 0, 0, 0);
	if (q < 0)
		_exit(1);
	for (;;) {
		if (kipc_mq_send(q, "m", 1, 0) ||
		    kipc_mq_receive(q, buf, sizeof(buf), &prio) != 1)
			_exit(2);
		usleep(1000);
	}
}

/* The frames of a batch run: header lines counted, rows found. */
static int obs_frames(const char *out)
{
	const char *s = out;
	int n = 0;

	while ((s = strstr(s, "kipc top - "))) {
		n++;
		s++;
	}
	return n;
}

/* kipc top's NAME column: a longer name is cut to this many characters. */
#define OBS_TOP_NAME_W	20

/*
 * The row of @name in the last frame of @out, or NULL. The name is
 * matched as top prints it, cut to its column: "top_batch.PID.q-idle"
 * is longer than the column once PID has four digits.
 */
static const char *obs_row(const char *out, const char *name)
{
	const char *last = out, *s = out, *row;
	char pat[KIPC_NAME_MAX + 4];

	while ((s = strstr(s, "kipc top - ")))
		last = s++;
	snprintf(pat, sizeof(pat), " %.*s ", OBS_TOP_NAME_W, name);
	row = strstr(last, pat);
	if (!row)
		return NULL;
	while (row > last && row[-1] != '\n')
		row--;
	return row;
}

TEST_F(tool_obs, top_batch)
{
	char idle[KIPC_NAME_MAX + 1], glob[KIPC_NAME_MAX + 2];
	double in, out;
	const char *busy_row, *idle_row;
	char type[8], nm[KIPC_NAME_MAX + 1];
	unsigned long long id, depth;
	int q, q2, status;
	pid_t pid;

	snprintf(idle, sizeof(idle), "%s-idle", self->mq);
	q = kipc_mq_open(self->mq, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, 4, 16);
	ASSERT_LE(0, q);
	q2 = kipc_mq_open(idle, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, 4, 16);
	ASSERT_LE(0, q2);
	/*
	 * Two messages: the busy queue holds at most one (its process sends
	 * one and takes it back, and may be killed in between), so the idle
	 * queue is always the deeper one.
	 */
	ASSERT_EQ(0, kipc_mq_send(q2, "x", 1, 0));
	ASSERT_EQ(0, kipc_mq_send(q2, "y", 1, 0));
	pid = obs_busy(self->mq);
	ASSERT_LT(0, pid);

	snprintf(glob, sizeof(glob), "%s*", self->mq);
	tool_run("top", "-b", "-n", "2", "-d", "0.3", glob);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	tool_ok();
	EXPECT_EQ(2, obs_frames(self->res->out)) TH_LOG("%s", self->res->out);
	busy_row = obs_row(self->res->out, self->mq);
	idle_row = obs_row(self->res->out, idle);
	ASSERT_NE(NULL, busy_row) TH_LOG("%s", self->res->out);
	ASSERT_NE(NULL, idle_row) TH_LOG("%s", self->res->out);
	/* Busiest first (the default sort, ops). */
	EXPECT_LT(busy_row, idle_row) TH_LOG("%s", self->res->out);
	ASSERT_EQ(5, sscanf(busy_row, "%7s %llu %255s %lf %lf", type, &id, nm,
			    &in, &out));
	EXPECT_STREQ("mq", type);
	EXPECT_LT(0.0, in) TH_LOG("%s", busy_row);
	EXPECT_LT(0.0, out) TH_LOG("%s", busy_row);
	ASSERT_EQ(5, sscanf(idle_row, "%7s %llu %255s %lf %lf", type, &id, nm,
			    &in, &out));
	EXPECT_EQ(0.0, in);
	EXPECT_EQ(0.0, out);
	/* Its depth: the messages queued in the idle queue. */
	ASSERT_EQ(1, sscanf(idle_row, "%*s %*s %*s %*s %*s %llu", &depth));
	EXPECT_EQ(2ULL, depth);

	/* -s depth puts the idle queue (2 messages) first. */
	tool_run("top", "-b", "-n", "1", "-d", "0.1", "-s", "depth", glob);
	tool_ok();
	busy_row = obs_row(self->res->out, self->mq);
	idle_row = obs_row(self->res->out, idle);
	ASSERT_NE(NULL, busy_row);
	ASSERT_NE(NULL, idle_row);
	EXPECT_LT(idle_row, busy_row) TH_LOG("%s", self->res->out);

	/* The filters: a type leaves them out; a glob keeps one. */
	tool_run("top", "-b", "-n", "1", "-d", "0.1", "-t", "sem", glob);
	tool_ok();
	EXPECT_EQ(NULL, obs_row(self->res->out, self->mq));
	tool_run("top", "-b", "-n", "1", "-d", "0.1", idle);
	tool_ok();
	EXPECT_EQ(NULL, obs_row(self->res->out, self->mq));
	EXPECT_NE(NULL, obs_row(self->res->out, idle));

	/* Mistakes exit with 2. */
	tool_run("top", "-s", "speed");
	tool_usage_fails("kipc: invalid sort key 'speed'\nTry 'kipc top help' for more information.\n");
	tool_run("top", "-d", "0");
	tool_usage_fails("kipc: invalid delay '0': seconds from 0.1 to 86400\nTry 'kipc top help' for more information.\n");
	tool_run("top", "-n", "0");
	tool_usage_fails("kipc: invalid value '0' for '--iterations': a number from 1\nTry 'kipc top help' for more information.\n");
	tool_run("top", "-t", "pipe");
	tool_usage_fails("kipc: invalid type 'pipe': mq, shm or sem\nTry 'kipc top help' for more information.\n");
	close(q);
	close(q2);
	kipc_unlink(KIPC_OBJ_MQ, idle);
}

/* --- kipc top under tmux ---------------------------------------------------- */

#define TMUX_DIR	"/kipc/tmux"

/*
 * Run a tmux command (a shell line after "tmux -S SOCK"), in /tmp (where
 * -v leaves its logs), killed after 5 s. Returns its wait status.
 */
static int obs_tmux(const char *fmt, ...)
{
	char cmd[1024], line[768];
	int status;
	va_list ap;
	pid_t pid;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd),
		 "cd /tmp && exec env LOCPATH=" TMUX_DIR "/locale LC_ALL=C.UTF-8 "
		 "TERMINFO=" TMUX_DIR "/terminfo " TMUX_DIR
		 "/bin/tmux -u -S /tmp/kipc-tmux.sock %s 2>>/tmp/kipc-tmux.err",
		 line);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		alarm(5);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* The text of file @path, into @buf. */
static const char *obs_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/* The pane's text, into @buf. */
static const char *obs_file(const char *path, char *buf, size_t size);

static int obs_capture(char *buf, size_t size)
{
	FILE *f;
	size_t n;

	if (obs_tmux("-v capture-pane -p -t obs > /tmp/kipc-tmux.out"))
		return -1;
	f = fopen("/tmp/kipc-tmux.out", "re");
	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

/*
 * Wait up to 10 s for @text in the pane (or for its absence, @gone). On
 * failure @buf has tmux's own logs (tmux -v) after the pane's text.
 */
static bool obs_wait_pane(char *buf, size_t size, const char *text,
			  bool gone)
{
	struct timespec t0, t;
	size_t n;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		if (!obs_capture(buf, size) && !strstr(buf, text) == gone)
			return true;
		usleep(50000);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < 10);
	system("grep -h kipc /proc/[0-9]*/stat > /tmp/kipc-tmux.log 2>&1;"
	       "tail -n 12 /tmp/tmux-server-*.log >> /tmp/kipc-tmux.log 2>&1");
	n = strlen(buf);
	obs_file("/tmp/kipc-tmux.log", buf + n, size - n);
	return false;
}

static void obs_top_tmux(struct __test_metadata *_metadata,
			 const char *mq, const char *key)
{
	char buf[8192], cmd[512];
	int ret;

	obs_tmux("kill-server 2>/dev/null");
	snprintf(cmd, sizeof(cmd),
		 "new-session -d -s obs -x 120 -y 30 "
		 /* The shell outlives a Ctrl-C to report top's status. */
		 "'trap : INT; s=$(stty -g); "
		 "env LD_LIBRARY_PATH=/kipc/lib TERM=screen %s top -d 0.2 %s; "
		 "echo top-exited-$?; [ \"$(stty -g)\" = \"$s\" ] && "
		 "echo tty-restored'",
		 tool_path(), mq);
	ret = obs_tmux("-v %s", cmd);
	if (ret)
		system("tail -n 15 /tmp/tmux-*.log >> /tmp/kipc-tmux.err 2>&1");
	ASSERT_EQ(0, ret)
		TH_LOG("tmux: %s", obs_file("/tmp/kipc-tmux.err", buf,
					    sizeof(buf)));
	/* The pane stays when top and the shell are done, to be read. */
	ASSERT_EQ(0, obs_tmux("set-option -t obs remain-on-exit on"));
	/* The frame of our one queue (whose name top cuts to 20). */
	ASSERT_TRUE(obs_wait_pane(buf, sizeof(buf), "1 objects", false))
		TH_LOG("pane: %s", buf);
	EXPECT_NE(NULL, strstr(buf, "kipc top - "));
	EXPECT_NE(NULL, strstr(buf, "\nmq ")) TH_LOG("pane: %s", buf);
	/* Redrawn in place: one header on the screen, not a scroll. */
	usleep(500000);
	ASSERT_EQ(0, obs_capture(buf, sizeof(buf)));
	EXPECT_EQ(1, obs_frames(buf)) TH_LOG("pane: %s", buf);
	ASSERT_EQ(0, obs_tmux("send-keys -t obs %s", key));
	ASSERT_TRUE(obs_wait_pane(buf, sizeof(buf), "top-exited-", false))
		TH_LOG("pane: %s", buf);
	EXPECT_NE(NULL, strstr(buf, "top-exited-0")) TH_LOG("pane: %s", buf);
	EXPECT_TRUE(obs_wait_pane(buf, sizeof(buf), "tty-restored", false))
		TH_LOG("pane: %s", buf);
	obs_tmux("kill-server");
}

TEST_F_TIMEOUT(tool_obs, top_interactive_tmux, 90)
{
	int q;

	if (access(TMUX_DIR "/bin/tmux", X_OK))
		SKIP(return, "tmux is not staged in " TMUX_DIR);
	if (access("/dev/ptmx", R_OK | W_OK))
		SKIP(return, "no /dev/ptmx for tmux's terminals");
	q = kipc_mq_open(self->mq, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, 4, 16);
	ASSERT_LE(0, q);
	/* q quits; so does Ctrl-C. Both exit 0 with the terminal restored. */
	obs_top_tmux(_metadata, self->mq, "q");
	obs_top_tmux(_metadata, self->mq, "C-c");
	close(q);
}

TEST_HARNESS_MAIN
