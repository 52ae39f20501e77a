// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tool's configuration and cleanup commands: `kipc limits apply`, which
 * sets the limits of files (/etc/kipc/limits.conf and limits.d/NAME.conf by
 * default) and names a bad line as FILE:LINE; `kipc rm --owner USER | --all`,
 * which unlinks (or destroys) a user's objects; and the rough edges of the
 * tool's messages and exit statuses.
 *
 * Limits are set for the guest's (initial) IPC namespace; the teardown drops
 * what a test set, so that the other binaries find the module's parameters.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "kipc-admin.h"
#include "kipc_tool.h"

FIXTURE(tool_cfg) {
	struct tool_res *res;
	char base[KIPC_NAME_MAX / 2];
	char file[2][64];
	struct kipc_admin *ka;
};

FIXTURE_SETUP(tool_cfg)
{
	int i;

	self->res = mmap(NULL, sizeof(*self->res), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->res);
	test_name(self->base, "c");
	for (i = 0; i < 2; i++)
		snprintf(self->file[i], sizeof(self->file[i]),
			 "/tmp/kipc-limits-%d-%d.conf", getpid(), i);
	ASSERT_EQ(0, kipc_admin_open(&self->ka));
}

FIXTURE_TEARDOWN(tool_cfg)
{
	struct kipc_admin_limits lim = { .uid = KIPC_UID1 };

	unlink(self->file[0]);
	unlink(self->file[1]);
	EXPECT_EQ(0, kipc_admin_limits_set(self->ka,
					   KIPC_ADMIN_LIMIT_UID |
					   KIPC_ADMIN_LIMIT_RESET, &lim));
	EXPECT_EQ(0, kipc_admin_limits_set(self->ka, KIPC_ADMIN_LIMIT_RESET,
					   &lim));
	kipc_admin_close(self->ka);
}

/* Write @text into @path. Returns 0 or -errno. */
static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");
	int ret = 0;

	if (!f)
		return -errno;
	if (fputs(text, f) == EOF)
		ret = -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

/* A file of limits, comments and blank lines: each limit is set. */
TEST_F(tool_cfg, limits_apply_sets_each_line)
{
	struct kipc_admin_limits ns, u;

	ASSERT_EQ(0, write_file(self->file[0],
				"# the namespace\n"
				"objects 5000   bytes 3G # trailing comment\n"
				"\n"
				"\t uid-objects 300 uid-bytes 96M\n"
				"uid 1000 objects 7 bytes 1M\n"));
	tool_run("limits", "apply", self->file[0]);
	tool_ok();
	EXPECT_STREQ("", self->res->out);
	ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &ns, sizeof(ns)));
	EXPECT_EQ(5000U, ns.objects);
	EXPECT_EQ(3ULL << 30, ns.bytes);
	EXPECT_EQ(300U, ns.uid_objects);
	EXPECT_EQ(96ULL << 20, ns.uid_bytes);
	ASSERT_EQ(0, kipc_admin_limits_get_uid(self->ka, KIPC_UID1, &u,
					       sizeof(u)));
	EXPECT_EQ(7U, u.objects);
	EXPECT_EQ(1ULL << 20, u.bytes);
	EXPECT_TRUE(kipc_admin_limits_has(&u, KIPC_A_LIMITS_OVERRIDE));
}

/* Files are read in the order given, and a later line wins. */
TEST_F(tool_cfg, limits_apply_later_line_wins)
{
	struct kipc_admin_limits ns;

	ASSERT_EQ(0, write_file(self->file[0], "objects 100\nbytes 1G\n"));
	ASSERT_EQ(0, write_file(self->file[1], "objects 200\n"));
	tool_run("limits", "apply", self->file[0], self->file[1]);
	tool_ok();
	ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &ns, sizeof(ns)));
	EXPECT_EQ(200U, ns.objects);
	EXPECT_EQ(1ULL << 30, ns.bytes);
}

/*
 * Every mistake of every file is named with its file and line, and then
 * nothing is applied, not even the good lines: exit status 1.
 */
TEST_F(tool_cfg, limits_apply_bad_lines_apply_nothing)
{
	struct kipc_admin_limits ns;
	char want[1024];

	ASSERT_EQ(0, write_file(self->file[0],
				"objects 10\n"
				"# fine so far\n"
				"object 5\n"
				"bytes 12Q\n"
				"uid nosuchuser-kipc objects 1\n"));
	ASSERT_EQ(0, write_file(self->file[1],
				"uid 1000 uid-bytes 1M\n"
				"objects\n"
				"objects 1 objects 2\n"
				"uid 1000\n"
				"objects 99999999999\n"));
	tool_run("limits", "apply", self->file[0], self->file[1]);
	snprintf(want, sizeof(want),
		 "kipc: %1$s:3: unknown limit 'object'\n"
		 "kipc: %1$s:4: invalid size '12Q' for 'bytes': a number of bytes, or of K, M or G\n"
		 "kipc: %1$s:5: invalid uid 'nosuchuser-kipc': a number, or a user name\n"
		 "kipc: %2$s:1: 'uid-objects' and 'uid-bytes' are the namespace's defaults: with 'uid', give 'objects' and 'bytes'\n"
		 "kipc: %2$s:2: 'objects' needs a value\n"
		 "kipc: %2$s:3: 'objects' given twice\n"
		 "kipc: %2$s:4: needs a limit to set\n"
		 "kipc: %2$s:5: invalid number '99999999999' for 'objects'\n"
		 "kipc: nothing applied: 8 errors\n",
		 self->file[0], self->file[1]);
	tool_fails("%s", want);
	ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &ns, sizeof(ns)));
	EXPECT_FALSE(kipc_admin_limits_has(&ns, KIPC_A_LIMITS_OVERRIDE));
}

/* A line too long is one error; the rest of it is not read as lines. */
TEST_F(tool_cfg, limits_apply_long_line)
{
	char text[3000];

	memset(text, ' ', sizeof(text));
	memcpy(text, "objects 1", 9);
	strcpy(text + sizeof(text) - 12, "\nbytes 1M\n");
	ASSERT_EQ(0, write_file(self->file[0], text));
	tool_run("limits", "apply", self->file[0]);
	tool_fails("kipc: %s:1: line longer than 1024 characters\n"
		   "kipc: nothing applied: 1 error\n", self->file[0]);
}

/* A FILE given must exist; without FILE, missing defaults are fine. */
TEST_F(tool_cfg, limits_apply_missing_file)
{
	struct stat st;

	tool_run("limits", "apply", "/nonexistent/limits.conf");
	tool_fails("kipc: cannot open /nonexistent/limits.conf: No such file or directory\n"
		   "kipc: nothing applied: 1 error\n");
	if (!stat("/etc/kipc", &st))
		SKIP(return, "the guest has an /etc/kipc");
	tool_run("limits", "apply");
	tool_ok();
	EXPECT_STREQ("", self->res->out);
}

/* The kernel's refusal names the line, and the other lines still apply. */
TEST_F(tool_cfg, limits_apply_kernel_refusal_names_line)
{
	struct kipc_admin_limits ns;

	ASSERT_EQ(0, write_file(self->file[0], "objects 300\n"));
	tool_run_as(KIPC_UID1, NULL, 0, "limits", "apply", self->file[0]);
	tool_fails("kipc: %s:1: cannot set the limits: Operation not permitted\n",
		   self->file[0]);
	ASSERT_EQ(0, write_file(self->file[0],
				"objects 16777217\nobjects 400\n"));
	tool_run("limits", "apply", self->file[0]);
	EXPECT_EQ(1, self->res->status);
	EXPECT_NE(NULL, strstr(self->res->err, ":1: cannot set the limits: "))
		TH_LOG("stderr: %s", self->res->err);
	ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &ns, sizeof(ns)));
	EXPECT_EQ(400U, ns.objects);
}

/* Name @i of this test's objects. */
static void obj_name(char *buf, size_t size, const char *base, int i)
{
	snprintf(buf, size, "%s.%d", base, i);
}

/*
 * Create object @i of @type as @uid (in a child, so without privileges when
 * @uid is not 0) and close it. Returns 0 or -errno.
 */
static int make_obj_as(uid_t uid, const char *base, int i, unsigned int type)
{
	union kipc_attr attr = kipc_attr_of(type);
	char name[KIPC_NAME_MAX + 1];
	pid_t pid;
	int st, fd;

	obj_name(name, sizeof(name), base, i);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (uid && kipc_become(uid, uid, KIPC_NO_GROUP))
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

/* Whether object @i of @type exists under its name. */
static bool obj_exists(struct kipc_admin *ka, const char *base, int i,
		       unsigned int type)
{
	char name[KIPC_NAME_MAX + 1];
	struct kipc_admin_obj obj;

	obj_name(name, sizeof(name), base, i);
	return !kipc_admin_find(ka, type, name, &obj, sizeof(obj));
}

static int count_obj(const struct kipc_admin_obj *obj, void *arg)
{
	(void)obj;
	++*(int *)arg;
	return 0;
}

/* The objects of the rm tests: 0 and 1 of KIPC_UID1, 2 and 3 of KIPC_UID2. */
static const unsigned int rm_types[] = {
	KIPC_OBJ_MQ, KIPC_OBJ_SEM, KIPC_OBJ_SHM, KIPC_OBJ_MQ,
};

static void rm_cleanup(const char *base)
{
	char name[KIPC_NAME_MAX + 1];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rm_types); i++) {
		obj_name(name, sizeof(name), base, i);
		kipc_unlink(rm_types[i], name);
	}
}

#define make_rm_objs()							\
	do {								\
		size_t __i;						\
									\
		for (__i = 0; __i < ARRAY_SIZE(rm_types); __i++)	\
			ASSERT_EQ(0, make_obj_as(__i < 2 ? KIPC_UID1 :	\
						 KIPC_UID2, self->base,	\
						 __i, rm_types[__i]));	\
	} while (0)

/* --owner by name, as root: that user's objects go, the other's stay. */
TEST_F(tool_cfg, rm_owner_only_that_user)
{
	char want[256];
	size_t i;

	make_rm_objs();
	tool_run("rm", "--owner", "kipcuser", "-v");
	tool_ok();
	for (i = 0; i < 2; i++) {
		snprintf(want, sizeof(want), "unlinked %s '%s.%zu'\n",
			 kipc_type_name(rm_types[i]), self->base, i);
		EXPECT_NE(NULL, strstr(self->res->out, want))
			TH_LOG("stdout: %s", self->res->out);
		EXPECT_FALSE(obj_exists(self->ka, self->base, i, rm_types[i]));
	}
	for (i = 2; i < 4; i++) {
		snprintf(want, sizeof(want), "'%s.%zu'", self->base, i);
		EXPECT_EQ(NULL, strstr(self->res->out, want));
		EXPECT_TRUE(obj_exists(self->ka, self->base, i, rm_types[i]));
	}
	/* Nothing left of that user: nothing to do, and no output. */
	tool_run("rm", "--owner", "1000");
	tool_ok();
	EXPECT_STREQ("", self->res->out);
	rm_cleanup(self->base);
}

/* As a user: its own objects go; another's are refused, one by one. */
TEST_F(tool_cfg, rm_owner_permissions_as_user)
{
	char want[256];
	size_t i;

	make_rm_objs();
	tool_run_as(KIPC_UID2, NULL, 0, "rm", "--owner", "1000");
	EXPECT_EQ(1, self->res->status);
	for (i = 0; i < 2; i++) {
		snprintf(want, sizeof(want),
			 "kipc: cannot unlink %s '%s.%zu': Operation not permitted\n",
			 kipc_type_name(rm_types[i]), self->base, i);
		EXPECT_NE(NULL, strstr(self->res->err, want))
			TH_LOG("stderr: %s", self->res->err);
		EXPECT_TRUE(obj_exists(self->ka, self->base, i, rm_types[i]));
	}
	tool_run_as(KIPC_UID2, NULL, 0, "rm", "--owner", "kipcuser2");
	tool_ok();
	for (i = 0; i < 4; i++)
		EXPECT_EQ(i < 2, obj_exists(self->ka, self->base, i,
					    rm_types[i]));
	rm_cleanup(self->base);
}

/*
 * --all works in the caller's IPC namespace only: in a new one, every
 * object of every owner goes, and those of the initial namespace stay.
 */
TEST_F(tool_cfg, rm_all_in_own_namespace)
{
	char name[KIPC_NAME_MAX + 1];
	struct kipc_admin *ka;
	int n, st;
	pid_t pid;

	ASSERT_EQ(0, make_obj_as(0, self->base, 0, KIPC_OBJ_MQ));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Exit statuses: the step that went wrong. */
		if (unshare(CLONE_NEWIPC))
			_exit(10);
		for (n = 0; n < (int)ARRAY_SIZE(rm_types); n++)
			if (make_obj_as(n < 2 ? KIPC_UID1 : KIPC_UID2,
					self->base, n, rm_types[n]))
				_exit(11);
		if (kipc_admin_open(&ka))
			_exit(12);
		n = 0;
		if (kipc_admin_list(ka, count_obj, &n) < 0 || n != 4)
			_exit(13);
		if (tool_run_argv(self->res, (uid_t)-1, NULL, 0,
				  TOOL_ARGS("rm", "--all")) ||
		    self->res->status || self->res->err[0])
			_exit(14);
		n = 0;
		if (kipc_admin_list(ka, count_obj, &n) < 0 || n)
			_exit(15);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	/* The initial namespace's object is still there. */
	EXPECT_TRUE(obj_exists(self->ka, self->base, 0, KIPC_OBJ_MQ));
	obj_name(name, sizeof(name), self->base, 0);
	EXPECT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, name));
}

/*
 * Plain rm leaves open fds working; --destroy removes by id, unlinked
 * objects too, and a later call on an fd fails with EIDRM.
 */
TEST_F(tool_cfg, rm_destroy_removes_open_objects)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SEM);
	char name[KIPC_NAME_MAX + 1];
	int fd;

	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	obj_name(name, sizeof(name), self->base, 0);
	fd = kipc_open(KIPC_OBJ_SEM, name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600,
		       &attr, NULL);
	ASSERT_LE(0, fd);
	tool_run("rm", "--owner", "root", "-v");
	tool_ok();
	EXPECT_NE(NULL, strstr(self->res->out, "unlinked sem '"));
	EXPECT_EQ(0, kipc_sem_post(fd, 1));
	tool_run("rm", "--owner", "0", "--destroy", "-v");
	tool_ok();
	EXPECT_NE(NULL, strstr(self->res->out, "destroyed sem '"))
		TH_LOG("stdout: %s", self->res->out);
	EXPECT_EQ(-EIDRM, kipc_sem_post(fd, 1));
	close(fd);
}

/* Exactly one of --owner and --all; a user that exists; no words. */
TEST_F(tool_cfg, rm_usage_errors)
{
	tool_run("rm");
	tool_usage_fails("kipc: 'rm' needs one of '--owner USER' and '--all'\n"
			 "Try 'kipc rm help' for more information.\n");
	tool_run("rm", "--all", "--owner", "0");
	tool_usage_fails("kipc: 'rm' needs one of '--owner USER' and '--all'\n"
			 "Try 'kipc rm help' for more information.\n");
	tool_run("rm", "--owner", "nosuchuser-kipc");
	tool_usage_fails("kipc: invalid user 'nosuchuser-kipc': a uid, or a user name\n"
			 "Try 'kipc rm help' for more information.\n");
	tool_run("rm", "--all", "foo");
	tool_usage_fails("kipc: unexpected argument 'foo' to 'rm'\n"
			 "Try 'kipc rm help' for more information.\n");
	tool_run("rm", "--destroy", "--all", "-t", "5");
	EXPECT_EQ(2, self->res->status);
}

/* --- the rough edges -------------------------------------------------- */

/* Create semaphore @i of value @value as root; its fd, or -errno. */
static int make_sem(const char *base, int i, uint32_t value)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SEM);
	char name[KIPC_NAME_MAX + 1];

	obj_name(name, sizeof(name), base, i);
	attr.sem.value = value;
	return kipc_open(KIPC_OBJ_SEM, name, KIPC_NEW | KIPC_OPEN_CLOEXEC,
			 0666, &attr, NULL);
}

/* EMFILE and ENOSPC of the limits say which limit, not strerror(). */
TEST_F(tool_cfg, limit_errors_in_kipc_words)
{
	struct kipc_admin_limits lim = { .uid = KIPC_UID1, .objects = 0 };
	struct kipc_admin_limits ns;
	char name[KIPC_NAME_MAX + 1];

	obj_name(name, sizeof(name), self->base, 0);
	ASSERT_EQ(0, kipc_admin_limits_set(self->ka, KIPC_ADMIN_LIMIT_UID |
					   KIPC_ADMIN_LIMIT_OBJECTS, &lim));
	tool_run_as(KIPC_UID1, NULL, 0, "mq", "create", name);
	tool_fails("kipc: cannot create queue '%s': per-user object/byte limit reached (kipc stats)\n",
		   name);
	ASSERT_EQ(0, kipc_admin_limits_get(self->ka, &ns, sizeof(ns)));
	lim.objects = ns.objects_used;
	ASSERT_EQ(0, kipc_admin_limits_set(self->ka, KIPC_ADMIN_LIMIT_OBJECTS,
					   &lim));
	tool_run_as(KIPC_UID2, NULL, 0, "sem", "create", name);
	tool_fails("kipc: cannot create semaphore '%s': namespace object/byte limit reached (kipc stats)\n",
		   name);
}

/*
 * But an EMFILE of the tool's own full descriptor table is not a kipc
 * limit, and is said in the C library's words: with its table full after
 * /dev/kipc (0, 1, 2 and 3), the new queue's descriptor cannot be
 * installed.
 */
TEST_F(tool_cfg, emfile_of_a_full_fd_table_is_not_a_limit)
{
	char name[KIPC_NAME_MAX + 1];

	obj_name(name, sizeof(name), self->base, 0);
	tool_nofile = 4;
	tool_run("mq", "create", name);
	tool_nofile = 0;
	tool_fails("kipc: cannot create queue '%s': %s\n", name,
		   strerror(EMFILE));
	/* The queue was not made (nothing to unlink). */
	EXPECT_EQ(-ENOENT, kipc_unlink(KIPC_OBJ_MQ, name));
}

/* -t takes a unit; a timeout exits 124 and says "timed out". */
TEST_F(tool_cfg, timeout_units_and_exit_124)
{
	char name[KIPC_NAME_MAX + 1];
	struct timespec t0, t1;
	long long ms;
	int fd;

	fd = make_sem(self->base, 0, 1);
	ASSERT_LE(0, fd);
	obj_name(name, sizeof(name), self->base, 0);
	/* Units, taken at once when the value is there. */
	tool_run("sem", "wait", name, "-t", "2m");
	tool_ok();
	tool_run("sem", "post", name);
	tool_ok();
	tool_run("sem", "wait", name, "-t", "5s");
	tool_ok();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tool_run("sem", "wait", name, "-t", "300ms");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	tool_timed_out("kipc: cannot wait on semaphore '%s': timed out\n",
		       name);
	ms = (t1.tv_sec - t0.tv_sec) * 1000LL +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	EXPECT_LE(300, ms);
	tool_run("sem", "wait", name, "-t", "0s");
	EXPECT_EQ(124, self->res->status);
	tool_run("sem", "wait", name, "-t", "5h");
	tool_usage_fails("kipc: invalid timeout '5h': milliseconds, or a number with ms, s or m\n"
			 "Try 'kipc sem wait help' for more information.\n");
	tool_run("sem", "wait", name, "-t", "71583m");
	tool_usage_fails("kipc: invalid timeout '71583m': milliseconds, or a number with ms, s or m\n"
			 "Try 'kipc sem wait help' for more information.\n");
	close(fd);
	kipc_unlink(KIPC_OBJ_SEM, name);
}

/* Sizes: K, KiB and KB; modes: execute bits dropped, with a note. */
TEST_F(tool_cfg, sizes_and_modes)
{
	static const struct {
		char *arg;
		uint64_t size;
	} sizes[] = {
		{ "8K", 8192 }, { "8KiB", 8192 }, { "1M", 1 << 20 },
		{ "1MiB", 1 << 20 }, { "8KB", 8000 }, { "2MB", 2000000 },
	};
	char name[KIPC_NAME_MAX + 1], want[256];
	struct kipc_admin_obj obj;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		obj_name(name, sizeof(name), self->base, i);
		tool_run("shm", "create", name, "--size", sizes[i].arg);
		tool_ok();
		ASSERT_EQ(0, kipc_admin_find(self->ka, KIPC_OBJ_SHM, name,
					     &obj, sizeof(obj)));
		/* The kernel may round a size up to whole pages. */
		EXPECT_LE(sizes[i].size, obj.shm_size) TH_LOG("%s", sizes[i].arg);
		EXPECT_GT(sizes[i].size + 4096, obj.shm_size)
			TH_LOG("%s", sizes[i].arg);
		EXPECT_EQ(0, kipc_unlink(KIPC_OBJ_SHM, name));
	}
	tool_run("shm", "create", name, "--size", "1XB");
	EXPECT_EQ(2, self->res->status);

	obj_name(name, sizeof(name), self->base, 0);
	tool_run("mq", "create", name, "-m", "0755");
	EXPECT_EQ(0, self->res->status);
	snprintf(want, sizeof(want),
		 "kipc: note: execute bits mean nothing to kipc objects; mode 0644 used\n");
	EXPECT_STREQ(want, self->res->err);
	ASSERT_EQ(0, kipc_admin_find(self->ka, KIPC_OBJ_MQ, name, &obj,
				     sizeof(obj)));
	EXPECT_EQ(0644U, obj.mode & 0777);
	EXPECT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, name));
}

/*
 * `sem wait NAME -- CMD` exits with CMD's status; kipc's own failures
 * with -E's N; and undo is on by default, so that kipc killed while the
 * command runs still gives the units back.
 */
TEST_F(tool_cfg, sem_wait_command_status_and_undo)
{
	char name[KIPC_NAME_MAX + 1], missing[KIPC_NAME_MAX + 1];
	int fd;

	fd = make_sem(self->base, 0, 1);
	ASSERT_LE(0, fd);
	obj_name(name, sizeof(name), self->base, 0);
	obj_name(missing, sizeof(missing), self->base, 9);

	tool_run("sem", "wait", name, "--", "sh", "-c", "exit 7");
	EXPECT_EQ(7, self->res->status);
	EXPECT_EQ(1, kipc_sem_getvalue(fd));

	/* Its own failures: 1, or N with -E N; a timeout 124, or N. */
	tool_run("sem", "wait", missing, "--", "true");
	EXPECT_EQ(1, self->res->status);
	tool_run("sem", "wait", missing, "-E", "42", "--", "true");
	EXPECT_EQ(42, self->res->status);
	EXPECT_NE(NULL, strstr(self->res->err, "cannot open semaphore"));
	ASSERT_EQ(0, kipc_sem_trywait(fd, 1, 0));
	tool_run("sem", "wait", name, "-t", "10ms", "--", "true");
	EXPECT_EQ(124, self->res->status);
	tool_run("sem", "wait", name, "-t", "10ms", "-E", "42", "--", "true");
	EXPECT_EQ(42, self->res->status);
	ASSERT_EQ(0, kipc_sem_post(fd, 1));
	tool_run("sem", "wait", name, "-E", "0", "--", "true");
	EXPECT_EQ(2, self->res->status);

	/* Killed holding the units: undo gives them back. */
	tool_run("sem", "wait", name, "--", "sh", "-c", "kill -9 $PPID");
	EXPECT_EQ(128 + SIGKILL, self->res->status);
	EXPECT_EQ(1, kipc_sem_getvalue(fd));
	/* With --no-undo they stay taken. */
	tool_run("sem", "wait", name, "--no-undo", "--", "sh", "-c",
		 "kill -9 $PPID");
	EXPECT_EQ(128 + SIGKILL, self->res->status);
	EXPECT_EQ(0, kipc_sem_getvalue(fd));
	tool_run("sem", "wait", name, "--undo", "--no-undo", "--", "true");
	tool_usage_fails("kipc: '--undo' and '--no-undo' exclude each other\n"
			 "Try 'kipc sem wait help' for more information.\n");
	close(fd);
	kipc_unlink(KIPC_OBJ_SEM, name);
}

/* shm cat writes a region's bytes; shm write copies standard input in. */
TEST_F(tool_cfg, shm_cat_and_write)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SHM);
	char name[KIPC_NAME_MAX + 1], in[5000], big[8193];
	size_t len;
	void *addr;
	int fd;

	obj_name(name, sizeof(name), self->base, 0);
	attr.shm.size = 8192;
	fd = kipc_open(KIPC_OBJ_SHM, name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0644,
		       &attr, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kipc_shm_map(fd, PROT_READ | PROT_WRITE, &addr, &len));
	ASSERT_EQ(8192U, len);
	memset(addr, 'z', len);

	/* Part of the region: the rest keeps its bytes. */
	memset(in, 'a', sizeof(in));
	in[0] = '\0';
	in[sizeof(in) - 1] = '\n';
	tool_run_in(in, sizeof(in), "shm", "write", name);
	tool_ok();
	EXPECT_EQ(0, memcmp(addr, in, sizeof(in)));
	EXPECT_EQ('z', ((char *)addr)[sizeof(in)]);

	tool_run("shm", "cat", name);
	tool_ok();
	ASSERT_EQ(8192U, self->res->out_len);
	EXPECT_EQ(0, memcmp(self->res->out, addr, 8192));

	/* More than the region: its size is written, and EFBIG. */
	memset(big, 'b', sizeof(big));
	tool_run_in(big, sizeof(big), "shm", "write", name);
	tool_fails("kipc: region '%s' holds 8192 bytes; only the first 8192 were written: File too large\n",
		   name);
	EXPECT_EQ('b', ((char *)addr)[8191]);

	/* Permissions: another user may read (0644) but not write. */
	tool_run_as(KIPC_UID1, NULL, 0, "shm", "cat", name);
	EXPECT_EQ(0, self->res->status);
	EXPECT_EQ(8192U, self->res->out_len);
	tool_run_as(KIPC_UID1, "x", 1, "shm", "write", name);
	tool_fails("kipc: cannot open region '%s': Permission denied\n", name);
	/* A write seal forbids writing. */
	kipc_shm_unmap(addr, len);
	ASSERT_EQ(0, kipc_shm_seal(fd, KIPC_SEAL_WRITE));
	tool_run_in("x", 1, "shm", "write", name);
	tool_fails("kipc: cannot map region '%s': Operation not permitted\n",
		   name);
	tool_run("shm", "cat", "--", "nosuch-kipc-region");
	tool_fails("kipc: cannot open region 'nosuch-kipc-region': No such file or directory\n");
	close(fd);
	kipc_unlink(KIPC_OBJ_SHM, name);
}

/* version -J: one object with what libkipc and netlink report. */
TEST_F(tool_cfg, version_json)
{
	struct kipc_version ver;
	char want[256];
	size_t len;

	ASSERT_EQ(0, kipc_version(&ver));
	tool_run("version", "-J");
	tool_ok();
	len = strlen(self->res->out);
	ASSERT_LT(2U, len);
	EXPECT_EQ(0, strncmp(self->res->out, "{\"tool\": \"", 10));
	EXPECT_STREQ("}}\n", self->res->out + len - 3);
	snprintf(want, sizeof(want), "\"tool_abi\": %d, \"module\": {\"abi\": %u, \"features\": [\"mq\", \"shm\", \"sem\", \"netlink\"",
		 KIPC_ABI_VERSION, ver.out_abi_version);
	EXPECT_NE(NULL, strstr(self->res->out, want))
		TH_LOG("%s", self->res->out);
	snprintf(want, sizeof(want), "], \"name_max\": %u, \"mq_max_msgs\": %u, ",
		 ver.out_name_max, ver.out_mq_max_msgs);
	EXPECT_NE(NULL, strstr(self->res->out, want))
		TH_LOG("%s", self->res->out);
	EXPECT_NE(NULL, strstr(self->res->out, "\"netlink\": {\"family\": \"kipc\", \"abi\": "));
	tool_run("version", "-o", "x");
	EXPECT_EQ(2, self->res->status);
}

/*
 * The words of "where  WHAT := { a | b | c }" in @help, into @words (at
 * most @max, each below 32 bytes). Returns how many, or -1 without it.
 */
static int help_words(const char *help, const char *what, char words[][32],
		      int max)
{
	char pat[64];
	const char *p, *end;
	int n = 0;

	snprintf(pat, sizeof(pat), "where  %s := {", what);
	p = strstr(help, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	end = strchr(p, '}');
	if (!end)
		return -1;
	while (p < end && n < max) {
		size_t len;

		p += strspn(p, " |");
		len = strcspn(p, " |}");
		if (!len || len >= 32)
			break;
		memcpy(words[n], p, len);
		words[n++][len] = 0;
		p += len;
	}
	return n;
}

/*
 * Has @block a spec of --@opt: '--opt[', '--opt=[' or {-o,--opt}, and not
 * only of a longer option (--output-all for --output)?
 */
static bool zsh_has_opt(const char *block, size_t len, const char *opt)
{
	const char *end = block + len, *p = block;
	char pat[40];
	size_t n;

	n = snprintf(pat, sizeof(pat), "--%s", opt);
	while ((p = memmem(p, end - p, pat, n))) {
		p += n;
		if (p < end && strchr("=[}", *p))
			return true;
	}
	return false;
}

/*
 * Every long option in the "Options:" part of @help has a spec in @block
 * (one case of the zsh function). Returns how many were checked.
 */
static int help_opts_in(struct __test_metadata *_metadata, const char *help,
			const char *block, size_t block_len, const char *key)
{
	const char *p = strstr(help, "\nOptions:\n");
	char opt[32];
	int n = 0;

	if (!p)
		return 0;
	for (p += 10; *p == ' '; p = strchr(p, '\n') + 1) {
		const char *l = strstr(p, "--");
		size_t len;

		if (!l || l > strchr(p, '\n'))
			break;
		len = strcspn(l + 2, " \n");
		if (len >= sizeof(opt))
			break;
		memcpy(opt, l + 2, len);
		opt[len] = 0;
		EXPECT_TRUE(zsh_has_opt(block, block_len, opt))
			TH_LOG("'%s': --%s is in the help, not in the zsh completion",
			       key, opt);
		n++;
	}
	return n;
}

/*
 * kipc completion zsh comes from the tables the help comes from: every
 * object, every command and every option that the help names has its
 * entry, and nothing is offered for a command the help does not name.
 */
TEST_F(tool_cfg, completion_zsh_matches_help)
{
	static char zsh[TOOL_OUT_MAX];
	char objs[16][32], cmds[16][32], key[80], pat[96];
	int nobj, ncmd, i, j, nopt = 0, ncase = 0;
	const char *block, *end;

	tool_run("completion", "zsh");
	tool_ok();
	memcpy(zsh, self->res->out, sizeof(zsh));
	ASSERT_EQ(0, strncmp(zsh, "#compdef kipc\n", 14));
	/* Every case of the function, counted to compare with the help's. */
	for (block = zsh; (block = strstr(block, "\n\t('")); block++)
		ncase++;

	tool_run("help");
	tool_ok();
	nobj = help_words(self->res->out, "OBJECT", objs, 16);
	ASSERT_LT(5, nobj) TH_LOG("%s", self->res->out);
	/* kipc completion, which the usage names, has its case too. */
	ASSERT_NE(NULL, strstr(self->res->out, "kipc completion zsh\n"));
	EXPECT_NE(NULL, strstr(zsh, "\n\t('completion ')\n"));
	ncase--;
	for (i = 0; i < nobj; i++) {
		snprintf(pat, sizeof(pat), "\t\t'%.31s:", objs[i]);
		EXPECT_NE(NULL, strstr(zsh, pat)) TH_LOG("object %s", objs[i]);
		tool_run(objs[i], "help");
		tool_ok();
		ncmd = help_words(self->res->out, "COMMAND", cmds, 16);
		if (ncmd < 0) {
			/* The object is a command itself. */
			ncmd = 1;
			cmds[0][0] = 0;
		}
		for (j = 0; j < ncmd; j++) {
			if (cmds[j][0]) {
				tool_run(objs[i], cmds[j], "help");
				tool_ok();
			}
			snprintf(key, sizeof(key), "%.31s %.31s", objs[i], cmds[j]);
			snprintf(pat, sizeof(pat), "\n\t('%s')\n", key);
			block = strstr(zsh, pat);
			ASSERT_NE(NULL, block) TH_LOG("no case for '%s'", key);
			end = strstr(block + 1, "\t\t;;\n");
			ASSERT_NE(NULL, end);
			nopt += help_opts_in(_metadata, self->res->out, block,
					     end - block, key);
			ncase--;
		}
	}
	/* No case for a command the help does not name. */
	EXPECT_EQ(0, ncase);
	/* The options were found and compared: -h at least, everywhere. */
	EXPECT_LT(30, nopt);
	tool_run("completion", "bash");
	EXPECT_EQ(2, self->res->status);
}

/* mq send without a message, on a terminal, says it is reading it. */
TEST_F(tool_cfg, mq_send_tty_note)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_MQ);
	char name[KIPC_NAME_MAX + 1], buf[64];
	int master, slave, err_fd, st, q, i;
	unsigned int prio;
	pid_t pid;
	ssize_t n;

	obj_name(name, sizeof(name), self->base, 0);
	q = kipc_open(KIPC_OBJ_MQ, name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600,
		      &attr, NULL);
	ASSERT_LE(0, q);
	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		SKIP(return, "no pseudo-terminal: %s", strerror(errno));
	ASSERT_EQ(0, grantpt(master));
	ASSERT_EQ(0, unlockpt(master));
	slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	ASSERT_LE(0, slave);
	err_fd = memfd_create("tty-err", MFD_CLOEXEC);
	ASSERT_LE(0, err_fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (dup2(slave, 0) < 0 || dup2(err_fd, 2) < 0)
			_exit(126);
		execl(tool_path(), "kipc", "mq", "send", name, (char *)NULL);
		_exit(127);
	}
	/* The note comes before kipc reads. */
	for (i = 0; i < 500; i++) {
		n = pread(err_fd, buf, sizeof(buf) - 1, 0);
		if (n > 0)
			break;
		usleep(10000);
	}
	ASSERT_LT(0, n);
	ASSERT_EQ(6, write(master, "hello\n", 6));
	ASSERT_EQ(1, write(master, "\x04", 1));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	tool_read_all(err_fd, self->res->err, NULL);
	EXPECT_STREQ("kipc: reading the message from standard input (end it with Ctrl-D)\n",
		     self->res->err);
	n = kipc_mq_receive(q, buf, sizeof(buf), &prio);
	ASSERT_EQ(6, n);
	EXPECT_EQ(0, memcmp(buf, "hello\n", 6));
	/* Not on a terminal: no note. */
	tool_run_in("x", 1, "mq", "send", name);
	tool_ok();
	close(master);
	close(slave);
	close(err_fd);
	close(q);
	kipc_unlink(KIPC_OBJ_MQ, name);
}

TEST_HARNESS_MAIN
