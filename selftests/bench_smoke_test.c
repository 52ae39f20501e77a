// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmarks, in a few seconds: kipc_bench -s runs every case with tiny
 * counts and fails when a case fails or measures something that is not a
 * positive number. Timing is not judged here; `make bench` does that.
 */
#include <limits.h>
#include <sys/wait.h>

#include "kipc_test.h"
#include "kipc_test_path.h"

FIXTURE(bench) {
	char path[PATH_MAX];
};

FIXTURE_SETUP(bench)
{
	/* kipc_bench sits next to this binary, in the stage's bin/. */
	int ret = kipc_test_sibling(self->path, sizeof(self->path),
				    "kipc_bench");

	ASSERT_LE(0, ret);
	if (ret)
		SKIP(return, "no %.900s", self->path);
}

FIXTURE_TEARDOWN(bench)
{
}

TEST_F_TIMEOUT(bench, smoke, 120)
{
	bool table = false, rtt = false, dump = false, sysv = false;
	char line[512];
	int p[2], st;
	FILE *out;
	pid_t pid;

	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		execl(self->path, "kipc_bench", "-s", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	out = fdopen(p[0], "r");
	ASSERT_NE(NULL, out);
	while (fgets(line, sizeof(line), out)) {
		/* Comments, so the TAP tally never mistakes them. */
		printf("# %s", line);
		if (!strncmp(line, "bench: rtt-64B kipc=", 20))
			rtt = true;
		if (!strncmp(line, "bench: nl-dump-", 15))
			dump = true;
		if (!strncmp(line, "bench: nl-dump-vs-sysvipc kipc=", 31))
			sysv = true;
		if (!strncmp(line, "KIPC-BENCH-TABLE-END", 20))
			table = true;
	}
	fclose(out);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_TRUE(rtt);
	EXPECT_TRUE(dump);
	EXPECT_TRUE(sysv);
	EXPECT_TRUE(table);
}

TEST_HARNESS_MAIN
