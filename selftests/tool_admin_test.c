// SPDX-License-Identifier: GPL-2.0-only
/*
 * The admin commands of the tool: `kipc list`, `show`, `stats`, `limits`
 * and `monitor`, checked against what libkipc-admin reports and against
 * what the data path (libkipc) then does; and the tool's exit statuses: 0
 * for success, 1 for a failure of the kernel or the system, 2 for a mistake
 * on the command line.
 *
 * Limits are set for the guest's (initial) IPC namespace; the teardown drops
 * whatever a test set, so the other binaries find the module's parameters.
 * Creations that must hit a limit run as KIPC_UID1: changing uid clears
 * CAP_SYS_RESOURCE, which passes every limit.
 *
 * The last test unloads the module to see the tool's message for it, and
 * loads it again, as shm_unload_test does.
 */
#include <sys/syscall.h>

#include "kipc-admin.h"
#include "kipc_tool.h"

#define NOBJS		3	/* of each type, for list and show */
#define EV_TIMEOUT_MS	5000

static const unsigned int types[] = { KIPC_OBJ_MQ, KIPC_OBJ_SHM, KIPC_OBJ_SEM };

FIXTURE(tool_admin) {
	struct tool_res *res;
	struct tool_json *json;
	char base[KIPC_NAME_MAX / 2];
	struct kipc_admin *ka;
};

/* Name @i of this test's objects. */
static void obj_name(char *buf, size_t size, const char *base, int i)
{
	snprintf(buf, size, "%s.%d", base, i);
}

FIXTURE_SETUP(tool_admin)
{
	self->res = mmap(NULL, sizeof(*self->res), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	self->json = mmap(NULL, sizeof(*self->json), PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->res);
	ASSERT_NE(MAP_FAILED, self->json);
	test_name(self->base, "t");
	ASSERT_EQ(0, kipc_admin_open(&self->ka));
}

FIXTURE_TEARDOWN(tool_admin)
{
	struct kipc_admin_limits lim = { .uid = KIPC_UID1 };
	char name[KIPC_NAME_MAX + 1];
	size_t t;
	int i;

	/* Every name a test may have made, of every type. */
	for (t = 0; t < ARRAY_SIZE(types); t++)
		for (i = 0; i < 2 * NOBJS; i++) {
			obj_name(name, sizeof(name), self->base, i);
			kipc_unlink(types[t], name);
		}
	EXPECT_EQ(0, kipc_admin_limits_set(self->ka,
					   KIPC_ADMIN_LIMIT_UID |
					   KIPC_ADMIN_LIMIT_RESET, &lim));
	EXPECT_EQ(0, kipc_admin_limits_set(self->ka, KIPC_ADMIN_LIMIT_RESET,
					   &lim));
	kipc_admin_close(self->ka);
}

/* Create object @i of @type, named, and close its fd; its id into *@id. */
static int make_obj(const char *base, int i, unsigned int type, uint64_t *id)
{
	union kipc_attr attr = kipc_attr_of(type);
	char name[KIPC_NAME_MAX + 1];
	int fd;

	obj_name(name, sizeof(name), base, i);
	fd = kipc_open(type, name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0640, &attr,
		       id);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/*
 * As make_obj(), in a child that became KIPC_UID1 (so without
 * CAP_SYS_RESOURCE); @size is a region's size. Returns 0 or -errno.
 */
static int make_obj_as_uid1(const char *base, int i, unsigned int type,
			    uint64_t size)
{
	union kipc_attr attr = kipc_attr_of(type);
	char name[KIPC_NAME_MAX + 1];
	pid_t pid;
	int st, fd;

	obj_name(name, sizeof(name), base, i);
	if (type == KIPC_OBJ_SHM && size)
		attr.shm.size = size;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (kipc_become(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP))
			_exit(255);
		fd = kipc_open(type, name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600,
			       &attr, NULL);
		_exit(fd < 0 ? -fd : 0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) == 255)
		return -ECHILD;
	return -WEXITSTATUS(st);
}

static int count_obj(const struct kipc_admin_obj *obj, void *arg)
{
	(void)obj;
	(void)arg;
	return 0;
}

/* The object of the JSON array whose @key is @val, or NULL. */
static const struct tool_obj *json_find(const struct tool_json *j,
					const char *key, const char *val)
{
	const char *v;
	int i;

	for (i = 0; i < j->n; i++) {
		v = tool_get(&j->objs[i], key);
		if (v && !strcmp(v, val))
			return &j->objs[i];
	}
	return NULL;
}

/* `kipc limits show ... -J -b`, parsed into self->json. */
#define limits_json(...)						\
	do {								\
		tool_run("limits", "show", ##__VA_ARGS__, "-J", "-b");	\
		tool_ok();						\
		ASSERT_TRUE(tool_json_parse_key(self->json,		\
						self->res->out, "limits")) \
			TH_LOG("not the JSON expected:\n%s",		\
			       self->res->out);				\
	} while (0)

/* Unknown words, at every level, exit 2 and name the word. */
TEST_F(tool_admin, unknown_words_exit_2)
{
	tool_run("frob");
	tool_usage_fails("kipc: unknown object 'frob'\nTry 'kipc help' for more information.\n");
	/* Whole words only: no prefix stands for a word. */
	tool_run("lim");
	tool_usage_fails("kipc: unknown object 'lim'\nTry 'kipc help' for more information.\n");
	tool_run("mq", "sho");
	tool_usage_fails("kipc: unknown command 'sho' for object 'mq'\nTry 'kipc mq help' for more information.\n");
	tool_run("limits", "frob");
	tool_usage_fails("kipc: unknown command 'frob' for object 'limits'\nTry 'kipc limits help' for more information.\n");
	tool_run("limits", "set", "frob", "1");
	tool_usage_fails("kipc: unknown limit 'frob'\nTry 'kipc limits set help' for more information.\n");
	tool_run("limits", "show", "user", "0");
	tool_usage_fails("kipc: unknown argument 'user' to 'limits show'\nTry 'kipc limits show help' for more information.\n");
	tool_run("limits", "reset", "uid", "0", "now");
	tool_usage_fails("kipc: unexpected argument 'now' to 'limits reset'\nTry 'kipc limits reset help' for more information.\n");
	tool_run("monitor", "mq");
	tool_usage_fails("kipc: unexpected argument 'mq' to 'monitor'\nTry 'kipc monitor help' for more information.\n");
	tool_run("--frob", "list");
	tool_usage_fails("kipc: unrecognized option '--frob'\nTry 'kipc help' for more information.\n");
}

/* Other mistakes on the command line exit 2 too, and change nothing. */
TEST_F(tool_admin, usage_errors_exit_2)
{
	struct kipc_admin_limits before, after;

	ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &before, sizeof(before)));

	/* No object at all: the usage, on standard error. */
	tool_run("list", "-J", "-r");
	tool_usage_fails("kipc: '--json' and '--raw' exclude each other\nTry 'kipc list help' for more information.\n");
	ASSERT_EQ(0, tool_run_argv(self->res, -1, NULL, 0,
				   (char *const []){ NULL }));
	EXPECT_EQ(2, self->res->status);
	EXPECT_STREQ("", self->res->out);
	EXPECT_EQ(0, strncmp(self->res->err, "Usage: kipc ", 12));

	tool_run("limits", "set");
	tool_usage_fails("kipc: 'limits set' needs a limit to set\nTry 'kipc limits set help' for more information.\n");
	tool_run("limits", "set", "objects");
	tool_usage_fails("kipc: 'objects' needs a value\nTry 'kipc limits set help' for more information.\n");
	tool_run("limits", "set", "objects", "10", "objects", "11");
	tool_usage_fails("kipc: 'objects' given twice\nTry 'kipc limits set help' for more information.\n");
	tool_run("limits", "set", "bytes", "1X");
	tool_usage_fails("kipc: invalid size '1X' for 'bytes': a number of bytes, or of K, M or G\nTry 'kipc limits set help' for more information.\n");
	tool_run("limits", "set", "objects", "1x");
	tool_usage_fails("kipc: invalid number '1x' for 'objects'\nTry 'kipc limits set help' for more information.\n");
	tool_run("limits", "set", "uid", "1000", "uid-objects", "3");
	tool_usage_fails("kipc: 'uid-objects' and 'uid-bytes' are the namespace's defaults: with 'uid', give 'objects' and 'bytes'\nTry 'kipc limits set help' for more information.\n");
	tool_run("limits", "set", "uid", "no-such-user", "objects", "3");
	tool_usage_fails("kipc: invalid uid 'no-such-user': a number, or a user name\nTry 'kipc limits set help' for more information.\n");
	tool_run("limits", "set", "uid", "1000");
	tool_usage_fails("kipc: 'limits set' needs a limit to set\nTry 'kipc limits set help' for more information.\n");
	tool_run("limits", "show", "-P");
	tool_usage_fails("kipc: option '--numeric-perms' does not apply to 'limits show'\nTry 'kipc limits show help' for more information.\n");
	tool_run("monitor", "-o", "ID");
	tool_usage_fails("kipc: option '--output' does not apply to 'monitor'\nTry 'kipc monitor help' for more information.\n");

	ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &after, sizeof(after)));
	EXPECT_EQ(before.objects, after.objects);
	EXPECT_EQ(before.bytes, after.bytes);
	EXPECT_EQ(before.uid_objects, after.uid_objects);
	EXPECT_EQ(before.uid_bytes, after.uid_bytes);
	EXPECT_FALSE(kipc_admin_limits_has(&after, KIPC_A_LIMITS_OVERRIDE));
}

/* Help at every level exits 0 and prints the usage on standard output. */
TEST_F(tool_admin, help_everywhere_exit_0)
{
	static const char *const paths[][3] = {
		{ "help" }, { "--help" }, { "list", "help" },
		{ "mq", "help" }, { "shm", "help" }, { "sem", "help" },
		{ "limits", "help" }, { "limits", "show", "help" },
		{ "limits", "set", "help" }, { "limits", "reset", "help" },
		{ "limits", "set", "--help" }, { "stats", "help" },
		{ "monitor", "help" }, { "monitor", "--help" },
		{ "version", "help" }, { "mq", "show", "help" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		char *args[4] = { (char *)paths[i][0], (char *)paths[i][1],
				  (char *)paths[i][2], NULL };

		ASSERT_EQ(0, tool_run_argv(self->res, -1, NULL, 0, args));
		EXPECT_EQ(0, self->res->status) TH_LOG("kipc %s %s",
						      paths[i][0],
						      paths[i][1] ?: "");
		EXPECT_STREQ("", self->res->err);
		EXPECT_EQ(0, strncmp(self->res->out, "Usage: kipc ", 12))
			TH_LOG("kipc %s %s: %s", paths[i][0],
			       paths[i][1] ?: "", self->res->out);
	}
	/* The top level names every object. */
	tool_run("help");
	EXPECT_NE(NULL, strstr(self->res->out,
			       "{ list | mq | shm | sem | limits | stats | monitor | top | version | rm }"));
	tool_run("limits", "help");
	EXPECT_NE(NULL, strstr(self->res->out, "{ show | set | apply | reset }"));
}

/* A failure of the kernel exits 1, with the errno and the extack text. */
TEST_F(tool_admin, kernel_errors_exit_1)
{
	char name[KIPC_NAME_MAX + 1];
	const char *want;

	obj_name(name, sizeof(name), self->base, 0);
	tool_run("mq", "show", name);
	tool_fails("kipc: cannot find queue '%s': No such file or directory (no object of this type and name in the caller's IPC namespace)\n",
		   name);

	/* Past KIPC_LIMIT_OBJECTS_MAX: the policy refuses, and says why. */
	tool_run("limits", "set", "objects", "16777217");
	EXPECT_EQ(1, self->res->status);
	EXPECT_STREQ("", self->res->out);
	want = "kipc: cannot set the limits: Numerical result out of range (";
	EXPECT_EQ(0, strncmp(self->res->err, want, strlen(want)))
		TH_LOG("stderr: %s", self->res->err);
	EXPECT_NE(NULL, strstr(self->res->err, ")\n"));

	/* Setting limits needs CAP_NET_ADMIN. */
	tool_run_as(KIPC_UID1, NULL, 0, "limits", "set", "objects", "5");
	tool_fails("kipc: cannot set the limits: Operation not permitted\n");
	tool_run_as(KIPC_UID1, NULL, 0, "limits", "reset");
	tool_fails("kipc: cannot reset the limits: Operation not permitted\n");
}

/* `kipc limits -J` is what the library reports, line by line. */
TEST_F(tool_admin, limits_json_matches_library)
{
	struct kipc_admin_limits ns, u;
	const struct tool_obj *o;
	char num[32];

	/* An override, so that a uid line shows without objects. */
	tool_run("limits", "set", "uid", "1000", "objects", "7", "bytes", "1M");
	tool_ok();
	EXPECT_STREQ("", self->res->out);
	ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &ns, sizeof(ns)));
	ASSERT_EQ(0, kipc_admin_limits_get_uid(self->ka, KIPC_UID1, &u,
					       sizeof(u)));
	limits_json();

	o = json_find(self->json, "scope", "namespace");
	ASSERT_NE(NULL, o);
	EXPECT_EQ(ns.objects, tool_num(o, "objects"));
	EXPECT_EQ(ns.objects_used, tool_num(o, "objects-used"));
	EXPECT_EQ(ns.bytes, (uint64_t)tool_num(o, "bytes"));
	EXPECT_EQ(ns.bytes_used, (uint64_t)tool_num(o, "bytes-used"));
	EXPECT_STREQ("null", tool_str(o, "uid"));
	EXPECT_STREQ("false", tool_str(o, "set"));

	o = json_find(self->json, "scope", "uid-default");
	ASSERT_NE(NULL, o);
	EXPECT_EQ(ns.uid_objects, tool_num(o, "objects"));
	EXPECT_EQ(ns.uid_bytes, (uint64_t)tool_num(o, "bytes"));
	EXPECT_STREQ("null", tool_str(o, "objects-used"));

	snprintf(num, sizeof(num), "%d", KIPC_UID1);
	o = json_find(self->json, "uid", num);
	ASSERT_NE(NULL, o);
	EXPECT_STREQ("uid", tool_str(o, "scope"));
	EXPECT_STREQ("kipcuser", tool_str(o, "user"));
	EXPECT_EQ(7, tool_num(o, "objects"));
	EXPECT_EQ(u.objects, tool_num(o, "objects"));
	EXPECT_EQ(1U << 20, (uint64_t)tool_num(o, "bytes"));
	EXPECT_EQ(u.bytes, (uint64_t)tool_num(o, "bytes"));
	EXPECT_EQ(u.objects_used, tool_num(o, "objects-used"));
	EXPECT_STREQ("true", tool_str(o, "set"));

	/* One uid alone, by number or by name. */
	limits_json("uid", "kipcuser");
	ASSERT_EQ(1, self->json->n);
	EXPECT_EQ(7, tool_num(&self->json->objs[0], "objects"));
	EXPECT_EQ(KIPC_UID1, tool_num(&self->json->objs[0], "uid"));
}

/* Every uid with objects gets a line, with its usage. */
TEST_F(tool_admin, limits_uid_usage_lines)
{
	struct kipc_admin_limits u;
	const struct tool_obj *o;
	char num[32];

	ASSERT_EQ(0, make_obj_as_uid1(self->base, 0, KIPC_OBJ_SHM, 8192));
	ASSERT_EQ(0, make_obj_as_uid1(self->base, 1, KIPC_OBJ_SEM, 0));
	ASSERT_EQ(0, kipc_admin_limits_get_uid(self->ka, KIPC_UID1, &u,
					       sizeof(u)));
	EXPECT_EQ(2U, u.objects_used);
	limits_json();
	snprintf(num, sizeof(num), "%d", KIPC_UID1);
	o = json_find(self->json, "uid", num);
	ASSERT_NE(NULL, o);
	EXPECT_EQ(2, tool_num(o, "objects-used"));
	EXPECT_EQ(u.bytes_used, (uint64_t)tool_num(o, "bytes-used"));
	EXPECT_LE(8192, tool_num(o, "bytes-used"));
	EXPECT_STREQ("false", tool_str(o, "set"));
}

/* Sizes are human-readable unless -b; -r -n -o pick what scripts need. */
TEST_F(tool_admin, limits_sizes_and_columns)
{
	tool_run("limits", "set", "bytes", "3M", "uid-bytes", "1536K");
	tool_ok();
	tool_run("limits", "-rn", "-o", "SCOPE,BYTES,SET");
	tool_ok();
	EXPECT_EQ(0, strncmp(self->res->out,
			     "namespace 3M yes\nuid-default 1.5M yes\n", 38))
		TH_LOG("%s", self->res->out);
	tool_run("limits", "show", "-rn", "-b", "-o", "BYTES");
	tool_ok();
	EXPECT_EQ(0, strncmp(self->res->out, "3145728\n1572864\n", 16))
		TH_LOG("%s", self->res->out);
	/* -J without -b: sizes are strings, as in lsblk. */
	tool_run("limits", "-J", "-o", "SCOPE,BYTES");
	tool_ok();
	EXPECT_NE(NULL, strstr(self->res->out, "\"bytes\": \"3M\""))
		TH_LOG("%s", self->res->out);
	tool_run("limits", "-o", "NOPE");
	tool_usage_fails("kipc: unknown column 'NOPE'\nTry 'kipc limits show help' for more information.\n");
}

/* A namespace object limit set with the tool holds for the next creation. */
TEST_F(tool_admin, limits_set_objects_takes_effect)
{
	struct kipc_admin_limits ns;
	char val[32];

	ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &ns, sizeof(ns)));
	snprintf(val, sizeof(val), "%u", ns.objects_used + 1);
	tool_run("limits", "set", "objects", val);
	tool_ok();
	ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &ns, sizeof(ns)));
	EXPECT_EQ(strtoul(val, NULL, 10), ns.objects);
	EXPECT_TRUE(kipc_admin_limits_has(&ns, KIPC_A_LIMITS_OVERRIDE));

	EXPECT_EQ(0, make_obj_as_uid1(self->base, 0, KIPC_OBJ_MQ, 0));
	EXPECT_EQ(-ENOSPC, make_obj_as_uid1(self->base, 1, KIPC_OBJ_SEM, 0));
	/* CAP_SYS_RESOURCE passes it. */
	EXPECT_EQ(0, make_obj(self->base, 2, KIPC_OBJ_SEM, NULL));

	/* Reset: the module's parameter again, and creation works. */
	tool_run("limits", "reset");
	tool_ok();
	EXPECT_EQ(0, make_obj_as_uid1(self->base, 1, KIPC_OBJ_SEM, 0));
	ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &ns, sizeof(ns)));
	EXPECT_FALSE(kipc_admin_limits_has(&ns, KIPC_A_LIMITS_OVERRIDE));
}

/* A uid's override and the per-uid defaults: EMFILE past them. */
TEST_F(tool_admin, limits_set_uid_takes_effect)
{
	struct kipc_admin_limits u;

	tool_run("limits", "set", "uid", "1000", "objects", "1");
	tool_ok();
	EXPECT_EQ(0, make_obj_as_uid1(self->base, 0, KIPC_OBJ_SEM, 0));
	EXPECT_EQ(-EMFILE, make_obj_as_uid1(self->base, 1, KIPC_OBJ_MQ, 0));
	ASSERT_EQ(0, kipc_admin_limits_get_uid(self->ka, KIPC_UID1, &u,
					       sizeof(u)));
	EXPECT_EQ(1U, u.objects);
	EXPECT_EQ(1U, u.objects_used);

	/* Dropping the override leaves the defaults, which are larger. */
	tool_run("limits", "reset", "uid", "1000");
	tool_ok();
	EXPECT_EQ(0, make_obj_as_uid1(self->base, 1, KIPC_OBJ_MQ, 0));
	ASSERT_EQ(0, kipc_admin_limits_get_uid(self->ka, KIPC_UID1, &u,
					       sizeof(u)));
	EXPECT_FALSE(kipc_admin_limits_has(&u, KIPC_A_LIMITS_OVERRIDE));

	/* The per-uid byte default: a 16 KiB region passes 8 KiB. */
	tool_run("limits", "set", "uid-bytes", "8K");
	tool_ok();
	EXPECT_EQ(-EMFILE, make_obj_as_uid1(self->base, 2, KIPC_OBJ_SHM,
					    16384));
	tool_run("limits", "set", "uid-bytes", "1G");
	tool_ok();
	EXPECT_EQ(0, make_obj_as_uid1(self->base, 2, KIPC_OBJ_SHM, 16384));
}

/* `kipc list` shows exactly the objects that exist, with their ids. */
TEST_F(tool_admin, list_matches_objects)
{
	uint64_t ids[ARRAY_SIZE(types)][NOBJS];
	char name[KIPC_NAME_MAX + 1], id[32];
	const struct tool_obj *o;
	size_t t;
	int i, n;

	for (t = 0; t < ARRAY_SIZE(types); t++)
		for (i = 0; i < NOBJS; i++)
			ASSERT_EQ(0, make_obj(self->base, i, types[t],
					      &ids[t][i]));

	tool_run("list", "-J", "-o", "TYPE,ID,NAME,PERMS");
	tool_ok();
	ASSERT_TRUE(tool_json_parse(self->json, self->res->out))
		TH_LOG("%s", self->res->out);
	n = kipc_admin_list(self->ka, count_obj, NULL);
	/* Only ours exist: the runner checks that nothing is left. */
	EXPECT_EQ((int)(ARRAY_SIZE(types) * NOBJS), self->json->n);
	EXPECT_EQ(n, self->json->n);
	for (t = 0; t < ARRAY_SIZE(types); t++)
		for (i = 0; i < NOBJS; i++) {
			snprintf(id, sizeof(id), "%llu",
				 (unsigned long long)ids[t][i]);
			o = json_find(self->json, "id", id);
			ASSERT_NE(NULL, o) TH_LOG("no id %s", id);
			obj_name(name, sizeof(name), self->base, i);
			EXPECT_STREQ(name, tool_str(o, "name"));
			EXPECT_STREQ(kipc_type_name(types[t]),
				     tool_str(o, "type"));
			EXPECT_STREQ("rw-r-----", tool_str(o, "perms"));
		}

	/* An unlinked object still open is listed, and says so. */
	obj_name(name, sizeof(name), self->base, 0);
	i = kipc_sem_open(name, KIPC_RW | KIPC_OPEN_CLOEXEC, 0, 0);
	ASSERT_LE(0, i);
	ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, name));
	tool_run("list", "-rn", "-o", "ID,STATE");
	tool_ok();
	snprintf(id, sizeof(id), "%llu unlinked\n",
		 (unsigned long long)ids[2][0]);
	EXPECT_NE(NULL, strstr(self->res->out, id)) TH_LOG("%s", self->res->out);
	close(i);
}

/*
 * An anonymous object is listed by default with an empty name and its
 * creator's pid, and STATE says what it is.
 */
TEST_F(tool_admin, list_anonymous)
{
	const struct tool_obj *o;
	char id[32];
	const char *line;
	uint64_t oid;
	int fd;

	fd = kipc_open(KIPC_OBJ_SEM, NULL, KIPC_RW | KIPC_OPEN_CREATE |
		       KIPC_OPEN_ANON | KIPC_OPEN_CLOEXEC, 0600,
		       &(union kipc_attr){ .sem = { .value = 0 } }, &oid);
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(-fd));
	snprintf(id, sizeof(id), "%llu", (unsigned long long)oid);

	tool_run("list", "-J", "-o", "+STATE");
	tool_ok();
	ASSERT_TRUE(tool_json_parse(self->json, self->res->out))
		TH_LOG("%s", self->res->out);
	o = json_find(self->json, "id", id);
	ASSERT_NE(NULL, o) TH_LOG("no id %s: %s", id, self->res->out);
	/* An empty cell: JSON null, as every empty cell of the tool. */
	EXPECT_STREQ("null", tool_str(o, "name"));
	EXPECT_STREQ("anonymous", tool_str(o, "state"));
	EXPECT_STREQ("sem", tool_str(o, "type"));
	EXPECT_EQ(getpid(), tool_num(o, "cpid"));

	/* Gone with its fd. */
	close(fd);
	tool_run("list", "-rn", "-o", "ID");
	tool_ok();
	for (line = self->res->out; line && *line; line = strchr(line, '\n'))
		EXPECT_NE(oid, strtoull(line + (*line == '\n'), NULL, 10));
}

/* `show` lists one type; `show NAME` and `show id N` give one object. */
TEST_F(tool_admin, show_matches_library)
{
	char name[KIPC_NAME_MAX + 1], id[32];
	struct kipc_admin_obj obj;
	const struct tool_obj *o;
	uint64_t oid;
	size_t t;
	int i;

	for (t = 0; t < ARRAY_SIZE(types); t++)
		for (i = 0; i < NOBJS; i++)
			ASSERT_EQ(0, make_obj(self->base, i, types[t], NULL));

	for (t = 0; t < ARRAY_SIZE(types); t++) {
		char *type = (char *)kipc_type_name(types[t]);

		tool_run(type, "show", "-J");
		tool_ok();
		ASSERT_TRUE(tool_json_parse(self->json, self->res->out));
		EXPECT_EQ(NOBJS, self->json->n);

		obj_name(name, sizeof(name), self->base, 1);
		ASSERT_EQ(0, kipc_admin_find(self->ka, types[t], name, &obj,
					     sizeof(obj)));
		o = tool_show(type, name);
		EXPECT_EQ(obj.id, (uint64_t)tool_num(o, "id"));
		EXPECT_STREQ(name, tool_str(o, "name"));
		EXPECT_EQ(obj.uid, tool_num(o, "uid"));
		EXPECT_EQ(obj.gid, tool_num(o, "gid"));
		EXPECT_EQ(obj.ns, tool_num(o, "ns"));
		EXPECT_EQ(obj.cpid, tool_num(o, "cpid"));
		EXPECT_EQ(obj.bytes, (uint64_t)tool_num(o, "bytes"));
		EXPECT_STREQ("linked", tool_str(o, "state"));
		switch (types[t]) {
		case KIPC_OBJ_MQ:
			EXPECT_EQ(obj.mq_max_msgs, tool_num(o, "maxmsgs"));
			EXPECT_EQ(obj.mq_max_msgsize, tool_num(o, "msgsize"));
			break;
		case KIPC_OBJ_SHM:
			EXPECT_EQ(obj.shm_size, (uint64_t)tool_num(o, "size"));
			break;
		case KIPC_OBJ_SEM:
			EXPECT_EQ(obj.sem_value, tool_num(o, "value"));
			break;
		}

		/* By id: the same object. */
		oid = obj.id;
		snprintf(id, sizeof(id), "%llu", (unsigned long long)oid);
		o = tool_show(type, "id", id);
		EXPECT_STREQ(name, tool_str(o, "name"));
	}

	/* An id of another type is refused, naming both. */
	obj_name(name, sizeof(name), self->base, 0);
	ASSERT_EQ(0, kipc_admin_find(self->ka, KIPC_OBJ_MQ, name, &obj,
				     sizeof(obj)));
	snprintf(id, sizeof(id), "%llu", (unsigned long long)obj.id);
	tool_run("sem", "show", "id", id);
	tool_fails("kipc: object %s is not a semaphore (its type is mq)\n", id);
}

/* `kipc stats -J` agrees with the library. */
TEST_F(tool_admin, stats_matches_library)
{
	struct kipc_admin_stats st;
	const struct tool_obj *o;
	size_t t;

	for (t = 0; t < ARRAY_SIZE(types); t++)
		ASSERT_EQ(0, make_obj(self->base, 0, types[t], NULL));
	ASSERT_EQ(0, make_obj(self->base, 1, KIPC_OBJ_MQ, NULL));
	ASSERT_EQ(0, kipc_admin_stats(self->ka, &st, sizeof(st)));
	EXPECT_EQ(2U, st.mqs);

	tool_run("stats", "-J");
	tool_ok();
	ASSERT_TRUE(tool_json_parse_key(self->json, self->res->out, "stats"))
		TH_LOG("%s", self->res->out);
	o = json_find(self->json, "resource", "mqs");
	ASSERT_NE(NULL, o);
	EXPECT_EQ(st.mqs, tool_num(o, "used"));
	o = json_find(self->json, "resource", "shms");
	ASSERT_NE(NULL, o);
	EXPECT_EQ(st.shms, tool_num(o, "used"));
	o = json_find(self->json, "resource", "sems");
	ASSERT_NE(NULL, o);
	EXPECT_EQ(st.sems, tool_num(o, "used"));
	o = json_find(self->json, "resource", "objects");
	ASSERT_NE(NULL, o);
	EXPECT_EQ(st.ns_objects, tool_num(o, "used"));
	EXPECT_EQ(st.limit_objects, tool_num(o, "limit"));
}

/* SKIP unless the kernel has the monitor group; the tool then says why. */
#define need_monitor()							\
	do {								\
		struct kipc_admin *__m;					\
		int __ret = kipc_admin_monitor_open(&__m);		\
									\
		if (__ret == -EOPNOTSUPP)				\
			SKIP(return, "no monitor group before Linux 6.9"); \
		ASSERT_EQ(0, __ret);					\
		kipc_admin_close(__m);					\
	} while (0)

/*
 * Start `kipc monitor` with @args and wait until it is subscribed: make
 * throwaway semaphores until it reports one. Returns the pipe's fd.
 */
static int monitor_start(struct __test_metadata *_metadata,
			 struct tool_proc *p, struct tool_lines *pend,
			 const char *base, char *const args[])
{
	char probe[KIPC_NAME_MAX + 1], line[1024];
	int fd = -1, sfd, i;

	if (tool_start_pipe(p, &fd, args))
		return -1;
	snprintf(probe, sizeof(probe), "%s.probe", base);
	for (i = 0; i < 100; i++) {
		sfd = kipc_sem_open(probe, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600,
				    0);
		if (sfd < 0)
			return -1;
		kipc_unlink(KIPC_OBJ_SEM, probe);
		close(sfd);
		if (tool_read_line(fd, pend, line, sizeof(line), 100) > 0)
			return fd;
	}
	TH_LOG("kipc monitor printed nothing");
	return -1;
}

/* Stop the monitor with @sig: it exits 0 and said nothing on stderr. */
#define monitor_stop(_p, _sig)						\
	do {								\
		ASSERT_EQ(0, kill((_p)->pid, _sig));			\
		ASSERT_EQ(0, tool_finish(_p, self->res));		\
		EXPECT_EQ(0, self->res->status);			\
		EXPECT_STREQ("", self->res->err);			\
	} while (0)

/* `kipc monitor -J` sees create, unlink and destroy, in order, as JSON. */
TEST_F(tool_admin, monitor_json_in_order)
{
	static const char *const want[] = { "create", "unlink", "destroy" };
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_MQ);
	char name[KIPC_NAME_MAX + 1], line[1024], id[32];
	struct tool_lines pend = { .len = 0 };
	struct tool_obj ev;
	struct tool_proc p;
	size_t seen = 0;
	uint64_t oid;
	int fd, q, n;

	need_monitor();
	fd = monitor_start(_metadata, &p, &pend, self->base,
			   TOOL_ARGS("monitor", "-J"));
	ASSERT_LE(0, fd);

	obj_name(name, sizeof(name), self->base, 0);
	q = kipc_open(KIPC_OBJ_MQ, name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600,
		      &attr, &oid);
	ASSERT_LE(0, q);
	ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, name));
	close(q);
	snprintf(id, sizeof(id), "%llu", (unsigned long long)oid);

	while (seen < ARRAY_SIZE(want)) {
		n = tool_read_line(fd, &pend, line, sizeof(line),
				   EV_TIMEOUT_MS);
		ASSERT_LT(0, n) TH_LOG("after %zu events: %d", seen, n);
		ASSERT_TRUE(tool_json_line(&ev, line)) TH_LOG("%s", line);
		/* Every line has every key. */
		tool_str(&ev, "time");
		tool_num(&ev, "ns");
		tool_num(&ev, "pid");
		tool_num(&ev, "uid");
		if (strcmp(tool_str(&ev, "id"), id))
			continue;	/* a probe's */
		EXPECT_STREQ(want[seen], tool_str(&ev, "event"));
		EXPECT_STREQ("mq", tool_str(&ev, "type"));
		EXPECT_STREQ(name, tool_str(&ev, "name"));
		EXPECT_EQ(0, tool_num(&ev, "uid"));
		if (seen < 2)
			EXPECT_EQ(getpid(), tool_num(&ev, "pid"));
		seen++;
	}
	/* Stopped before the pipe closes, which would kill it (SIGPIPE). */
	monitor_stop(&p, SIGINT);
	close(fd);
}

/* Plain lines: TIME EVENT TYPE id ID name NAME ns NS pid PID uid UID. */
TEST_F(tool_admin, monitor_plain_lines)
{
	char name[KIPC_NAME_MAX + 1], line[1024], when[64], event[16];
	char type[8], evname[KIPC_NAME_MAX + 1];
	struct tool_lines pend = { .len = 0 };
	unsigned long long evid;
	unsigned int ns, pid, uid;
	struct tool_proc p;
	uint64_t oid;
	int fd, n;

	need_monitor();
	fd = monitor_start(_metadata, &p, &pend, self->base,
			   TOOL_ARGS("monitor"));
	ASSERT_LE(0, fd);

	ASSERT_EQ(0, make_obj(self->base, 1, KIPC_OBJ_SHM, &oid));
	for (;;) {
		n = tool_read_line(fd, &pend, line, sizeof(line),
				   EV_TIMEOUT_MS);
		ASSERT_LT(0, n);
		ASSERT_EQ(8, sscanf(line, "%63s %15s %7s id %llu name %255s ns %u pid %u uid %u",
				    when, event, type, &evid, evname, &ns,
				    &pid, &uid)) TH_LOG("%s", line);
		if (evid == oid)
			break;
	}
	EXPECT_STREQ("create", event);
	EXPECT_STREQ("shm", type);
	obj_name(name, sizeof(name), self->base, 1);
	EXPECT_STREQ(name, evname);
	EXPECT_EQ((unsigned int)getpid(), pid);
	EXPECT_EQ(0U, uid);
	/* ISO 8601: 2026-11-27T19:30:01.123456+0000 */
	EXPECT_EQ('T', when[10]);
	monitor_stop(&p, SIGTERM);
	close(fd);
}

/*
 * Events lost to an overrun of the socket's buffer: a warning on standard
 * error, and the monitor goes on with the events after the loss.
 */
TEST_F(tool_admin, monitor_overrun_warns_and_goes_on)
{
	char name[KIPC_NAME_MAX + 1], line[1024], id[32];
	struct tool_lines pend = { .len = 0 };
	struct tool_obj ev;
	struct tool_proc p;
	uint64_t oid;
	int fd, i, n, sfd;

	need_monitor();
	fd = monitor_start(_metadata, &p, &pend, self->base,
			   TOOL_ARGS("monitor", "-J"));
	ASSERT_LE(0, fd);

	/* Stopped, it reads nothing: 3 events per semaphore overrun it. */
	ASSERT_EQ(0, kill(p.pid, SIGSTOP));
	obj_name(name, sizeof(name), self->base, 0);
	for (i = 0; i < 3000; i++) {
		sfd = kipc_sem_open(name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600,
				    0);
		ASSERT_LE(0, sfd);
		ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, name));
		close(sfd);
	}
	ASSERT_EQ(0, kill(p.pid, SIGCONT));
	/* Take what it prints until it is quiet: it has caught up. */
	for (i = 0; i < 100000; i++) {
		n = tool_read_line(fd, &pend, line, sizeof(line), 500);
		if (n == -ETIMEDOUT)
			break;
		ASSERT_LT(0, n);
		ASSERT_TRUE(tool_json_line(&ev, line)) TH_LOG("%s", line);
	}
	/* Some were printed, but fewer than the 9000 that happened. */
	EXPECT_LT(0, i);
	EXPECT_GT(9000, i);

	/* An object made after the loss is reported. */
	ASSERT_EQ(0, make_obj(self->base, 1, KIPC_OBJ_MQ, &oid));
	snprintf(id, sizeof(id), "%llu", (unsigned long long)oid);
	for (;;) {
		n = tool_read_line(fd, &pend, line, sizeof(line),
				   EV_TIMEOUT_MS);
		ASSERT_LT(0, n);
		ASSERT_TRUE(tool_json_line(&ev, line)) TH_LOG("%s", line);
		if (!strcmp(tool_str(&ev, "id"), id))
			break;
	}
	EXPECT_STREQ("create", tool_str(&ev, "event"));

	ASSERT_EQ(0, kill(p.pid, SIGINT));
	ASSERT_EQ(0, tool_finish(&p, self->res));
	close(fd);
	EXPECT_EQ(0, self->res->status);
	EXPECT_NE(NULL, strstr(self->res->err,
			       "kipc: events lost: the receive buffer overran\n"))
		TH_LOG("stderr: %s", self->res->err);
}

/*
 * A kernel without the monitor group (before 6.9): exit 1 and say why.
 * Runs under `make check-6.1`; SKIPs where the group exists.
 */
TEST_F(tool_admin, monitor_unsupported)
{
	struct kipc_admin *m;
	int ret;

	ret = kipc_admin_monitor_open(&m);
	if (ret == 0) {
		kipc_admin_close(m);
		SKIP(return, "this kernel has the monitor group");
	}
	ASSERT_EQ(-EOPNOTSUPP, ret);
	tool_run("monitor");
	tool_fails("kipc: cannot monitor: this kernel offers no kipc monitor group (it needs Linux 6.9 or later)\n");
}

/* --- last: without the module --------------------------------------------- */


static bool module_loaded(void)
{
	return access("/sys/module/kipc", F_OK) == 0;
}

static int module_load(void)
{
	const char *ko = getenv("KIPC_KO") ?: KIPC_KO_DEFAULT;
	int fd, ret, i;

	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	if (ret)
		return -errno;
	/* devtmpfs makes the node from the uevent, maybe a moment later. */
	for (i = 0; i < 200 && access(KIPC_DEVICE_PATH, F_OK); i++)
		usleep(10000);
	return access(KIPC_DEVICE_PATH, F_OK) ? -ENODEV : 0;
}

/* Unload; the fds of processes that just exited may still go away. */
static int module_unload(void)
{
	int i;

	for (i = 0; i < 300; i++) {
		if (!syscall(SYS_delete_module, "kipc", O_NONBLOCK))
			return 0;
		if (errno != EWOULDBLOCK)
			return -errno;
		usleep(10000);
	}
	return -EWOULDBLOCK;
}

/* The fixture holds nothing of kipc: not even a netlink socket. */
FIXTURE(tool_unloaded) {
	struct tool_res *res;
};

FIXTURE_SETUP(tool_unloaded)
{
	self->res = mmap(NULL, sizeof(*self->res), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->res);
	ASSERT_TRUE(module_loaded());
}

/* In the parent: whatever happened, the next binary finds the module. */
FIXTURE_TEARDOWN_PARENT(tool_unloaded)
{
	if (!module_loaded())
		EXPECT_EQ(0, module_load());
}

/* Without the module: one fixed line, exit 1, from every kind of command. */
TEST_F(tool_unloaded, module_not_loaded)
{
	static const char *const msg = "kipc module not loaded (modprobe kipc)\n";

	ASSERT_EQ(0, module_unload());
	ASSERT_FALSE(module_loaded());

	tool_run("list");
	tool_fails("%s", msg);
	tool_run("mq", "show", "x");
	tool_fails("%s", msg);
	tool_run("stats", "-J");
	tool_fails("%s", msg);
	tool_run("limits");
	tool_fails("%s", msg);
	tool_run("limits", "set", "objects", "5");
	tool_fails("%s", msg);
	tool_run("monitor");
	tool_fails("%s", msg);
	/* The data path: /dev/kipc is gone, as libkipc's ENODEV says. */
	tool_run("sem", "create", "x");
	tool_fails("no /dev/kipc: is the kipc module installed?\n");
	tool_run("mq", "send", "x", "hello");
	tool_fails("no /dev/kipc: is the kipc module installed?\n");
	EXPECT_EQ(-ENODEV, kipc_unlink(KIPC_OBJ_MQ, "x"));
	tool_run("version");
	EXPECT_EQ(1, self->res->status);
	EXPECT_STREQ("kipc module not loaded (modprobe kipc)\n", self->res->err);
	/* Usage errors are still usage errors. */
	tool_run("frob");
	EXPECT_EQ(2, self->res->status);

	ASSERT_EQ(0, module_load());
	tool_run("list");
	tool_ok();
}

TEST_HARNESS_MAIN
