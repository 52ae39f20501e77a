// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's own mqueue selftest (tools/testing/selftests/mqueue/
 * mq_open_tests.c from linux-source, built unmodified against the C
 * library), run over libkipc-posix with LD_PRELOAD.
 *
 * The child runs under a seccomp filter that fails the mq_open system call
 * with ENOSYS: the test can only pass if every queue it opens is a kipc
 * queue, opened by the library through /dev/kipc. A kernel without seccomp
 * filters (the debug tier's) cannot give that proof: there the test skips.
 *
 * Each "...: PASS" or "...: FAIL" line of its output is one result here.
 * Four of its thirteen cases cannot pass over kipc, and are SKIP with the
 * reason (kp_cannot[]): the three about RLIMIT_MSGQUEUE, since kipc charges
 * a queue to its own per-uid and per-namespace limits and not to that
 * rlimit, and "total size > 2GB when euid = 0", which Linux refuses only
 * through that rlimit (it binds root too), where kipc lets
 * CAP_SYS_RESOURCE pass its limits. The other nine (the defaults and
 * maximums of /proc/sys/fs/mqueue, which the library reads as Linux does)
 * must pass. Any other FAIL, or an exit status other than 0, is a failure.
 *
 * mq_perf_tests, the other program of that directory, is not run: it
 * needs libpopt, and it is a benchmark (make bench measures kipc's speed).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "kselftest.h"
#include "kipc_test_path.h"

#define PRELOAD	"libkipc-posix.so.1"

/* The cases that cannot pass over kipc: a part of the line, and why. */
static const struct {
	const char *match;
	const char *why;
} kp_cannot[] = {
	{ "rlimit", "kipc charges its own per-uid and namespace limits, not RLIMIT_MSGQUEUE" },
	{ "total size > 2GB when euid = 0",
	  "Linux refuses it only by RLIMIT_MSGQUEUE, which binds root; kipc lets CAP_SYS_RESOURCE pass its limits" },
};

static const char *kp_why(const char *line)
{
	size_t i;

	for (i = 0; i < sizeof(kp_cannot) / sizeof(kp_cannot[0]); i++)
		if (strstr(line, kp_cannot[i].match))
			return kp_cannot[i].why;
	return NULL;
}

/* mq_open(2) fails with ENOSYS from here on, for this process and its exec. */
static int kp_forbid_mq_open(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mq_open, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(filter) / sizeof(filter[0]),
		.filter = filter,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}


/*
 * mq_open_tests starts from the sysctls as it finds them and raises each
 * maximum by one: from Linux's hard caps (left there by kipc_bench, which
 * bench_smoke_test runs earlier) the write cannot stick and it exits 5.
 * It runs from the boot defaults, and the values found are put back.
 */
static const struct {
	const char *name;
	const char *boot;
} kp_knobs[] = {
	{ "msg_max", "10" }, { "msgsize_max", "8192" },
	{ "msg_default", "10" }, { "msgsize_default", "8192" },
};
static char kp_saved[4][32];

static int kp_knob(const char *name, char *old, size_t oldsz, const char *val)
{
	char path[96];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/sys/fs/mqueue/%s", name);
	if (old) {
		f = fopen(path, "r");
		if (!f || !fgets(old, oldsz, f))
			ret = -1;
		if (f)
			fclose(f);
		if (ret)
			return ret;
		old[strcspn(old, "\n")] = 0;
	}
	f = fopen(path, "w");
	if (!f)
		return -1;
	if (fputs(val, f) < 0)
		ret = -1;
	if (fclose(f))
		ret = -1;
	return ret;
}

/* Each knob is checked alone (1 to the hard cap), so the order is free. */
static void kp_knobs_boot(void)
{
	size_t i;

	for (i = 0; i < 4; i++)
		if (kp_knob(kp_knobs[i].name, kp_saved[i], sizeof(kp_saved[i]),
			    kp_knobs[i].boot))
			ksft_exit_fail_msg("/proc/sys/fs/mqueue/%s: %s\n",
					   kp_knobs[i].name, strerror(errno));
}

static void kp_knobs_restore(void)
{
	size_t i;

	for (i = 4; i-- > 0;)
		if (kp_knob(kp_knobs[i].name, NULL, 0, kp_saved[i]))
			ksft_print_msg("could not restore /proc/sys/fs/mqueue/%s to %s\n",
				       kp_knobs[i].name, kp_saved[i]);
}

/*
 * Can the filter be installed? 0, or the errno in a child that tried:
 * EINVAL when the kernel was built without seccomp filters (the debug
 * tier's kernel is).
 */
static int kp_seccomp_errno(void)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(kp_forbid_mq_open() ? errno : 0);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return ECHILD;
	return WEXITSTATUS(st);
}

int main(void)
{
	char path[4096], line[512], prev[512] = "", desc[1100], qname[64];
	int pass = 0, fail = 0, skip = 0, st, p[2];
	FILE *out;
	pid_t pid;

	ksft_print_header();
	if (kipc_test_sibling(path, sizeof(path), "mqueue/mq_open_tests"))
		ksft_exit_skip("mqueue/mq_open_tests is not staged next to this binary\n");
	if (getuid())
		ksft_exit_skip("mq_open_tests needs root (it sets the mqueue sysctls)\n");
	if (pipe(p))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
	st = kp_seccomp_errno();
	if (st == EINVAL)
		ksft_exit_skip("this kernel has no seccomp filters (CONFIG_SECCOMP_FILTER): the proof that every queue goes through kipc cannot be installed\n");
	if (st)
		ksft_exit_fail_msg("seccomp: %s\n", strerror(st));
	snprintf(qname, sizeof(qname), "/kp_mqt_%d", getpid());
	kp_knobs_boot();
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		if (kp_forbid_mq_open()) {
			printf("seccomp: %s\n", strerror(errno));
			_exit(127);
		}
		setenv("LD_PRELOAD", PRELOAD, 1);
		execl(path, path, qname, (char *)NULL);
		printf("exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(p[1]);
	out = fdopen(p[0], "r");
	if (!out)
		ksft_exit_fail_msg("fdopen: %s\n", strerror(errno));
	while (fgets(line, sizeof(line), out)) {
		char *end = line + strlen(line);
		const char *why;
		char *tab;

		while (end > line && (end[-1] == '\n' || end[-1] == ' '))
			*--end = 0;
		ksft_print_msg("%s\n", line);
		if (end - line < 5 ||
		    (strcmp(end - 4, "PASS") && strcmp(end - 4, "FAIL"))) {
			/* A description may begin on the line before. */
			snprintf(prev, sizeof(prev), "%s", line);
			continue;
		}
		/* The description: the line up to its tabs. */
		tab = strchr(line, '\t');
		if (tab)
			*tab = 0;
		if (line[0] >= 'a' && line[0] <= 'z')
			snprintf(desc, sizeof(desc), "%s %s", prev, line);
		else
			snprintf(desc, sizeof(desc), "%s", line);
		prev[0] = 0;
		why = kp_why(desc);
		if (!strcmp(end - 4, "PASS")) {
			ksft_test_result_pass("%s\n", desc);
			pass++;
		} else if (why) {
			ksft_test_result_skip("%s %s\n", desc, why);
			skip++;
		} else {
			ksft_test_result_fail("%s\n", desc);
			fail++;
		}
	}
	fclose(out);
	if (waitpid(pid, &st, 0) != pid)
		ksft_exit_fail_msg("waitpid: %s\n", strerror(errno));
	kp_knobs_restore();
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		ksft_test_result_fail("mq_open_tests exited with status %d\n",
				      WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		fail++;
	} else {
		ksft_test_result_pass("mq_open_tests exited with status 0\n");
		pass++;
	}
	ksft_print_msg("mq_open_tests over libkipc-posix: %d passed, %d failed, %d skipped\n",
		       pass, fail, skip);
	if (!pass)
		ksft_exit_fail_msg("no result parsed\n");
	if (fail)
		ksft_exit_fail();
	ksft_exit_pass();
}
