/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the kipc selftests: the one header every test includes.
 * Here are the names, identities and attributes every test uses and the
 * debug-kernel scaling; the rest is split by concept:
 *
 *   kipc_test_ioctl.h	ioctl wrappers (test_ioctl_*, test_err_*, _test_cmd_*),
 *			TEST_LENGTH_ERRORS, the data patterns
 *   kipc_test_nl.h	the raw Generic Netlink client (kipc_nl_*, test_nl_*)
 *   kipc_test_proc.h	module parameters, identities, forked children, fd
 *			passing, and the blocking-call child (kipc_call_*)
 */
#ifndef KIPC_TEST_H
#define KIPC_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

/*
 * kselftest_harness.h does not build clean under -Wextra: its TEST() wrappers
 * leave parameters unused, and the variables of its setjmp()-based wrappers
 * trip -Wclobbered wherever TEST_F() expands. Both are in the harness, not in
 * the tests, so they are silenced for the whole translation unit.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "kipc.h"

#define sizeof_field(TYPE, MEMBER) sizeof((((TYPE *)0)->MEMBER))
#define offsetofend(TYPE, MEMBER) \
	(offsetof(TYPE, MEMBER) + sizeof_field(TYPE, MEMBER))

#define KIPC_PARAM_DIR	"/sys/module/kipc/parameters/"

/* The unprivileged identities of the guest's /etc/passwd and /etc/group. */
#define KIPC_UID1	1000	/* kipcuser, group 1000 */
#define KIPC_UID2	1001	/* kipcuser2, group 1001 (kipcgrp) */
#define KIPC_GID1	1000
#define KIPC_GID2	1001
#define KIPC_NO_GROUP	((gid_t)-1)

#define KIPC_RW		(KIPC_OPEN_READ | KIPC_OPEN_WRITE)
#define KIPC_NEW	(KIPC_RW | KIPC_OPEN_CREATE | KIPC_OPEN_EXCL)

#define EXPECT_ERRNO(expected_errno, cmd)		\
	({						\
		ASSERT_EQ(-1, cmd);			\
		EXPECT_EQ(expected_errno, errno);	\
	})

/*
 * A name unique to this test process: tests run one after the other, each in
 * a process of its own, and leave named objects behind when they fail.
 */
#define test_name(_buf, _tag)						\
	snprintf(_buf, sizeof(_buf), "%s.%d.%s", _metadata->name,	\
		 (int)getpid(), _tag)

/* Attributes that are valid for @type under the default ceilings. */
static inline union kipc_attr kipc_attr_of(__u32 type)
{
	union kipc_attr attr;

	memset(&attr, 0, sizeof(attr));
	switch (type) {
	case KIPC_OBJ_MQ:
		attr.mq.max_msgs = 4;
		attr.mq.max_msgsize = 64;
		break;
	case KIPC_OBJ_SHM:
		attr.shm.size = 4096;
		break;
	case KIPC_OBJ_SEM:
		attr.sem.value = 1;
		break;
	}
	return attr;
}

static const __u32 kipc_types[] = { KIPC_OBJ_MQ, KIPC_OBJ_SHM, KIPC_OBJ_SEM };
#define KIPC_NR_TYPES	ARRAY_SIZE(kipc_types)

/*
 * KIPC_MODE=debug (the runner exports KIPC_MODE): the Tier B kernel of make
 * check-debug, where KASAN, lockdep, kmemleak and DEBUG_OBJECTS make every
 * call many times slower. Stress tests divide their budgets by
 * KIPC_DEBUG_SCALE there, as they run to find reports, not to time things.
 */
#define KIPC_DEBUG_SCALE	20

static inline bool kipc_debug_mode(void)
{
	const char *mode = getenv("KIPC_MODE");

	return mode && !strcmp(mode, "debug");
}

/*
 * And every test gets KIPC_DEBUG_TIMEOUT_SCALE times its time limit there.
 * KIPC_TIMEOUT_SCALE=N (1 to 100) multiplies the limits once more: run.sh
 * sets it for a guest that TCG emulates more slowly than the x86 one the
 * limits were measured in (arm64). Only the limits change, never the work
 * a test does or what it checks. This runs after the harness registered
 * the tests (constructors of priority KSELFTEST_PRIO_TEST and _XFAIL),
 * before main().
 */
#define KIPC_DEBUG_TIMEOUT_SCALE	10

static void __attribute__((constructor(KSELFTEST_PRIO_XFAIL + 1)))
kipc_debug_timeouts(void)
{
	const char *env = getenv("KIPC_TIMEOUT_SCALE");
	struct __fixture_metadata *f;
	struct __test_metadata *t;
	unsigned int scale = 1;

	if (kipc_debug_mode())
		scale = KIPC_DEBUG_TIMEOUT_SCALE;
	if (env) {
		char *end;
		unsigned long n = strtoul(env, &end, 10);

		if (*end || n < 1 || n > 100) {
			fprintf(stderr, "# KIPC_TIMEOUT_SCALE='%s' is not 1 to 100: ignored\n",
				env);
			n = 1;
		}
		scale *= n;
	}
	if (scale == 1)
		return;
	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout *= scale;
}

/*
 * Whether the running kernel is @major.@minor or later. Tests decide from
 * this what the kernel must offer (kmod/compat.h gates features by
 * version), so that a feature gone missing fails instead of skipping.
 */
static inline bool kipc_kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

/* The monitor group exists from Linux 6.9 on (kmod/compat.h). */
static inline bool kipc_kernel_has_monitor(void)
{
	return kipc_kernel_at_least(6, 9);
}

#include "kipc_test_ioctl.h"
#include "kipc_test_nl.h"
#include "kipc_test_proc.h"

/*
 * The fixture of the region tests (shm_test.c, shm_map_test.c and
 * shm_seal_test.c), named @_f: the /dev/kipc fd, the page size, a netlink
 * socket, and the name of the test's region, which the teardown unlinks in
 * case a test that failed half-way left it behind.
 */
#define KIPC_SHM_FIXTURE(_f)						\
	FIXTURE(_f) {							\
		int fd;							\
		long psz;						\
		struct kipc_nl nl;					\
		char name[KIPC_NAME_MAX + 1];				\
	};								\
									\
	FIXTURE_SETUP(_f)						\
	{								\
		self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);	\
		ASSERT_LE(0, self->fd);					\
		self->psz = sysconf(_SC_PAGESIZE);			\
		test_nl_open(&self->nl);				\
		test_name(self->name, #_f);				\
	}								\
									\
	FIXTURE_TEARDOWN(_f)						\
	{								\
		_test_cmd_unlink(self->fd, KIPC_OBJ_SHM, self->name);	\
		close(self->nl.fd);					\
		close(self->fd);					\
	}

#endif /* KIPC_TEST_H */
