// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tool's configuration and cleanup commands: `kipc limits apply`, which
 * sets the limits of files (/etc/kipc/limits.conf and limits.d/NAME.conf by
 * default) and names a bad line as FILE:LINE; and the rough edges of the
 * tool's messages and exit statuses.
 *
 * Limits are set for the guest's (initial) IPC namespace; the teardown drops
 * what a test set, so that the other binaries find the module's parameters.
 */
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

TEST_HARNESS_MAIN
