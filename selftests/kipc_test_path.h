/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where a file staged next to the running test binary is, for the tests
 * that run another program of the stage (the tool, the bench, the kernel's
 * mqueue test). No harness needed, so kselftest.h-only tests can use it.
 */
#ifndef KIPC_TEST_PATH_H
#define KIPC_TEST_PATH_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * @rel (e.g. "kipc", "mqueue/mq_open_tests") in the directory of this
 * binary, into @buf. Returns 0 if it is there and executable, 1 if not,
 * -1 if the path could not be made (no /proc/self/exe, or too long).
 */
static inline int kipc_test_sibling(char *buf, size_t len, const char *rel)
{
	ssize_t n = readlink("/proc/self/exe", buf, len);
	char *slash;

	if (n <= 0 || (size_t)n >= len)
		return -1;
	buf[n] = 0;
	slash = strrchr(buf, '/');
	if (!slash || snprintf(slash + 1, len - (slash + 1 - buf), "%s",
			       rel) >= (int)(len - (slash + 1 - buf)))
		return -1;
	return access(buf, X_OK) ? 1 : 0;
}

#endif /* KIPC_TEST_PATH_H */
