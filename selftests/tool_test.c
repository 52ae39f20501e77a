// SPDX-License-Identifier: GPL-2.0-only
/*
 * The admin tool agrees with the kernel: `kipc list -J` shows exactly the
 * objects of the caller's IPC namespace, each with its type, id, name and
 * permissions. The JSON is libsmartcols': {"objects": [{"type": "mq",
 * "id": 12, "name": "x", "perms": "rw-------", ...}, ...]}. A small strict
 * parser reads it, so malformed JSON fails the test too.
 */
#include "kipc_test.h"

#define KIPC_TOOL_DEFAULT	"/kipc/bin/kipc"
#define MAX_OBJS		1024
#define OUT_SIZE		(1 << 20)

struct tool_obj {
	char type[16];
	char id[32];
	char name[2 * (KIPC_NAME_MAX + 1)];
	char perms[32];
};

struct json {
	const char *p;
	struct tool_obj *objs;
	int n;
	bool saw_objects;
};

static void json_ws(struct json *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' ||
	       *j->p == '\r')
		j->p++;
}

static bool json_lit(struct json *j, const char *lit)
{
	size_t len = strlen(lit);

	if (strncmp(j->p, lit, len))
		return false;
	j->p += len;
	return true;
}

/* A string into @out (NULL: skip it); \u escapes must be ASCII here. */
static bool json_string(struct json *j, char *out, size_t size)
{
	size_t n = 0;

	if (*j->p++ != '"')
		return false;
	while (*j->p != '"') {
		char c = *j->p++;

		if ((unsigned char)c < 0x20)
			return false;
		if (c == '\\') {
			c = *j->p++;
			switch (c) {
			case '"':
			case '\\':
			case '/':
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'u': {
				unsigned int v;

				if (sscanf(j->p, "%4x", &v) != 1 || v > 0x7f)
					return false;
				j->p += 4;
				c = (char)v;
				break;
			}
			default:
				return false;
			}
		}
		if (out) {
			if (n + 1 >= size)
				return false;
			out[n++] = c;
		}
	}
	j->p++;
	if (out)
		out[n] = '\0';
	return true;
}

static bool json_number(struct json *j, char *out, size_t size)
{
	const char *start = j->p;
	size_t len;

	if (*j->p == '-')
		j->p++;
	if (*j->p < '0' || *j->p > '9')
		return false;
	while ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' ||
	       *j->p == 'e' || *j->p == 'E' || *j->p == '+' || *j->p == '-')
		j->p++;
	len = j->p - start;
	if (out) {
		if (len >= size)
			return false;
		memcpy(out, start, len);
		out[len] = '\0';
	}
	return true;
}

static bool json_value(struct json *j, int depth);

/* A scalar into @out as text: strings unescaped, numbers as written. */
static bool json_scalar(struct json *j, char *out, size_t size)
{
	json_ws(j);
	if (*j->p == '"')
		return json_string(j, out, size);
	if (*j->p == 'n' && json_lit(j, "null")) {
		snprintf(out, size, "null");
		return true;
	}
	if (*j->p == 't' || *j->p == 'f') {
		bool t = *j->p == 't';

		snprintf(out, size, t ? "true" : "false");
		return json_lit(j, t ? "true" : "false");
	}
	return json_number(j, out, size);
}

/* One element of "objects": the fields we check, the rest skipped. */
static bool json_obj_entry(struct json *j)
{
	struct tool_obj dummy, *o = j->n < MAX_OBJS ? &j->objs[j->n] : &dummy;
	char key[64], junk[512];

	memset(o, 0, sizeof(*o));
	json_ws(j);
	if (*j->p++ != '{')
		return false;
	json_ws(j);
	if (*j->p == '}') {
		j->p++;
		j->n++;
		return true;
	}
	for (;;) {
		char *dst = junk;
		size_t size = sizeof(junk);

		json_ws(j);
		if (!json_string(j, key, sizeof(key)))
			return false;
		json_ws(j);
		if (*j->p++ != ':')
			return false;
		json_ws(j);
		if (!strcmp(key, "type")) {
			dst = o->type;
			size = sizeof(o->type);
		} else if (!strcmp(key, "id")) {
			dst = o->id;
			size = sizeof(o->id);
		} else if (!strcmp(key, "name")) {
			dst = o->name;
			size = sizeof(o->name);
		} else if (!strcmp(key, "perms")) {
			dst = o->perms;
			size = sizeof(o->perms);
		}
		if (*j->p == '{' || *j->p == '[') {
			if (dst != junk || !json_value(j, 3))
				return false;
		} else if (!json_scalar(j, dst, size)) {
			return false;
		}
		json_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p++ != '}')
			return false;
		break;
	}
	j->n++;
	return true;
}

static bool json_value(struct json *j, int depth)
{
	char junk[512];

	json_ws(j);
	if (depth > 16)
		return false;
	if (*j->p == '[') {
		j->p++;
		json_ws(j);
		if (*j->p == ']') {
			j->p++;
			return true;
		}
		for (;;) {
			if (!json_value(j, depth + 1))
				return false;
			json_ws(j);
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			return *j->p++ == ']';
		}
	}
	if (*j->p == '{') {
		j->p++;
		json_ws(j);
		if (*j->p == '}') {
			j->p++;
			return true;
		}
		for (;;) {
			json_ws(j);
			if (!json_string(j, NULL, 0))
				return false;
			json_ws(j);
			if (*j->p++ != ':')
				return false;
			if (!json_value(j, depth + 1))
				return false;
			json_ws(j);
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			return *j->p++ == '}';
		}
	}
	return json_scalar(j, junk, sizeof(junk));
}

/* The value of "objects": an array of object entries. */
static bool json_objects(struct json *j)
{
	j->saw_objects = true;
	json_ws(j);
	if (*j->p++ != '[')
		return false;
	json_ws(j);
	if (*j->p == ']') {
		j->p++;
		return true;
	}
	for (;;) {
		if (!json_obj_entry(j))
			return false;
		json_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		return *j->p++ == ']';
	}
}

/* The whole document: {"objects": [ ... ]}, nothing after it. */
static bool json_parse(struct json *j)
{
	char key[64];

	json_ws(j);
	if (*j->p++ != '{')
		return false;
	json_ws(j);
	if (*j->p == '}') {
		j->p++;
		goto out_end;
	}
	for (;;) {
		json_ws(j);
		if (!json_string(j, key, sizeof(key)))
			return false;
		json_ws(j);
		if (*j->p++ != ':')
			return false;
		if (!strcmp(key, "objects") ? !json_objects(j) :
					      !json_value(j, 1))
			return false;
		json_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p++ != '}')
			return false;
		break;
	}
out_end:
	json_ws(j);
	return *j->p == '\0';
}

static const char *tool_path(void)
{
	return getenv("KIPC_TOOL") ?: KIPC_TOOL_DEFAULT;
}

/*
 * Run `kipc list -J` and parse its output into @objs. Returns the number of
 * objects, -1 if the tool failed, -2 if its output is not the JSON expected.
 */
static int tool_list(struct tool_obj *objs, char *out, size_t size)
{
	char cmd[256];
	struct json j = { .objs = objs };
	size_t len = 0, n;
	FILE *f;
	int st;

	snprintf(cmd, sizeof(cmd), "%s list -J", tool_path());
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while ((n = fread(out + len, 1, size - 1 - len, f)) > 0)
		len += n;
	out[len] = '\0';
	st = pclose(f);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	j.p = out;
	if (!json_parse(&j) || !j.saw_objects)
		return -2;
	return j.n;
}

static const struct tool_obj *tool_find(const struct tool_obj *objs, int n,
					__u64 id)
{
	char want[32];
	int i;

	snprintf(want, sizeof(want), "%llu", (unsigned long long)id);
	for (i = 0; i < n && i < MAX_OBJS; i++)
		if (!strcmp(objs[i].id, want))
			return &objs[i];
	return NULL;
}

FIXTURE(tool) {
	int fd;
	char name[KIPC_NAME_MAX + 1];
	struct tool_obj *objs;
	char *out;
};

FIXTURE_SETUP(tool)
{
	if (access(tool_path(), X_OK))
		SKIP(return, "%s is not there", tool_path());
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_name(self->name, "tool");
	self->objs = calloc(MAX_OBJS, sizeof(*self->objs));
	self->out = malloc(OUT_SIZE);
	ASSERT_NE(NULL, self->objs);
	ASSERT_NE(NULL, self->out);
}

FIXTURE_TEARDOWN(tool)
{
	free(self->out);
	free(self->objs);
	close(self->fd);
}

#define test_tool_list()						\
	({								\
		int __n = tool_list(self->objs, self->out, OUT_SIZE);	\
		ASSERT_LE(0, __n) TH_LOG("kipc list -J gave %d:\n%s",	\
					 __n, self->out);		\
		ASSERT_GE(MAX_OBJS, __n);				\
		__n;							\
	})

/* In a fresh namespace, the list is exactly what was created there. */
TEST_F(tool, list_json_matches)
{
	pid_t pid;

	pid = test_fork_newipc();
	if (pid == 0) {
		static const struct {
			__u32 type;
			__u32 mode;
			const char *suffix;
			const char *perms;
		} want[] = {
			{ KIPC_OBJ_MQ, 0600, "q", "rw-------" },
			{ KIPC_OBJ_SHM, 0640, "m", "rw-r-----" },
			{ KIPC_OBJ_SEM, 0604, "s", "rw----r--" },
			/* Names may hold JSON's special characters. */
			{ KIPC_OBJ_SEM, 0444, "q\"uo\\te{[,:]}", "r--r--r--" },
			{ KIPC_OBJ_MQ, 0222, "unlinked", "-w--w--w-" },
		};
		enum { N = ARRAY_SIZE(want) };
		char names[N][KIPC_NAME_MAX + 1];
		__u64 ids[N];
		int i, n, keep = -1;

		umask(0);
		ASSERT_EQ(0, test_tool_list());
		for (i = 0; i < N; i++) {
			union kipc_attr attr = kipc_attr_of(want[i].type);
			int ofd;

			test_name(names[i], want[i].suffix);
			ofd = test_ioctl_open(want[i].type, names[i], KIPC_NEW,
					      want[i].mode, &attr, &ids[i],
					      NULL);
			if (i == N - 1)
				keep = ofd;
			else
				close(ofd);
		}
		/* Unlinked but still open: it exists, so it is listed. */
		test_ioctl_unlink(want[N - 1].type, names[N - 1]);

		n = test_tool_list();
		ASSERT_EQ(N, n) TH_LOG("%s", self->out);
		for (i = 0; i < N; i++) {
			const struct tool_obj *o;

			o = tool_find(self->objs, n, ids[i]);
			ASSERT_NE(NULL, o) TH_LOG("id %llu missing:\n%s",
						  (unsigned long long)ids[i],
						  self->out);
			ASSERT_STREQ(kipc_type_name(want[i].type), o->type);
			ASSERT_STREQ(names[i], o->name);
			ASSERT_STREQ(want[i].perms, o->perms);
		}

		close(keep);
		for (i = 0; i < N - 1; i++)
			test_ioctl_unlink(want[i].type, names[i]);
		ASSERT_EQ(0, test_tool_list());
		_exit(0);
	}
	test_wait_child(pid);
}

/* The parent namespace's list leaves out a child namespace's objects. */
TEST_F(tool, list_json_namespace)
{
	int to_parent[2], to_child[2], n;
	__u64 mine, theirs = 0;
	pid_t pid;
	char c = 0;

	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));
	close(test_ioctl_create(KIPC_OBJ_SHM, self->name, 0600, &mine));
	pid = test_fork_newipc();
	if (pid == 0) {
		close(to_parent[0]);
		close(to_child[1]);
		close(test_ioctl_create(KIPC_OBJ_SHM, self->name, 0600,
					&theirs));
		ASSERT_EQ(1, test_tool_list());
		ASSERT_EQ(NULL, tool_find(self->objs, 1, mine));
		ASSERT_NE(NULL, tool_find(self->objs, 1, theirs));
		ASSERT_EQ((ssize_t)sizeof(theirs),
			  write(to_parent[1], &theirs, sizeof(theirs)));
		ASSERT_EQ(0, (int)read(to_child[0], &c, 1));
		test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
		_exit(0);
	}
	close(to_parent[1]);
	close(to_child[0]);
	ASSERT_EQ((ssize_t)sizeof(theirs),
		  read(to_parent[0], &theirs, sizeof(theirs)));
	n = test_tool_list();
	ASSERT_NE(NULL, tool_find(self->objs, n, mine)) TH_LOG("%s", self->out);
	ASSERT_EQ(NULL, tool_find(self->objs, n, theirs));
	close(to_child[1]);
	test_wait_child(pid);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	close(to_parent[0]);
}

TEST_HARNESS_MAIN
