/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kipc: test cases for the helpers of kmod/kipc_logic.h, shared by the KUnit
 * suites (kmod/tests/kipc_kunit.c) and the host-side unit test
 * (selftests/unit/kipc_logic_unit.c), so both check the same things.
 */
#ifndef __KIPC_LOGIC_CASES_H
#define __KIPC_LOGIC_CASES_H

#include "../kipc_logic.h"

#define KIPC_U64_MAX	(~0ULL)
#define KIPC_LFS_MAX	((u64)MAX_LFS_FILESIZE)

/*
 * A name, or with @name NULL, @len bytes of 'a' (the buffer is one longer,
 * as the kernel's is, and has no NUL within @len).
 */
struct kipc_name_case {
	const char *desc;
	const char *name;
	long len;
	int want;
};

static const struct kipc_name_case kipc_name_cases[] = {
	{ "plain", "jobs", 4, 0 },
	{ "one byte", "x", 1, 0 },
	{ "punctuation", "a.b-c_d:e@f!~", 13, 0 },
	{ "empty", "", 0, -EINVAL },
	{ "KIPC_NAME_MAX bytes", NULL, KIPC_NAME_MAX, 0 },
	{ "KIPC_NAME_MAX + 1 bytes (no NUL)", NULL, KIPC_NAME_MAX + 1,
	  -EINVAL },
	{ "slash", "a/b", 3, -EINVAL },
	{ "leading slash", "/jobs", 5, -EINVAL },
	{ "space", "a b", 3, -EINVAL },
	{ "tab", "a\tb", 3, -EINVAL },
	{ "newline", "ab\n", 3, -EINVAL },
	{ "DEL", "a\x7f", 2, -EINVAL },
	{ "byte 0x80", "a\x80", 2, -EINVAL },
	{ "byte 0xff", "\xff", 1, -EINVAL },
	{ "UTF-8", "caf\xc3\xa9", 5, -EINVAL },
	{ "tilde", "~", 1, 0 },
	{ "exclamation mark", "!", 1, 0 },
};

struct kipc_msg_class_case {
	const char *desc;
	u64 size;
	unsigned int want;
};

static const struct kipc_msg_class_case kipc_msg_class_cases[] = {
	{ "0 bytes", 0, 0 },
	{ "96 bytes", 96, 0 },
	{ "97 bytes", 97, 1 },
	{ "128 bytes", 128, 1 },
	{ "129 bytes", 129, 2 },
	{ "192 bytes", 192, 2 },
	{ "256 bytes", 256, 3 },
	{ "257 bytes", 257, 4 },
	{ "1 KiB", 1024, 5 },
	{ "2 KiB + 1", 2049, 7 },
	{ "4 KiB", 4096, 7 },
	{ "4 KiB + 1 (kvmalloc)", 4097, KIPC_MSG_CLASSES },
	{ "64 MiB + header (kvmalloc)", (64ULL << 20) + 24,
	  KIPC_MSG_CLASSES },
	{ "U64_MAX (kvmalloc)", KIPC_U64_MAX, KIPC_MSG_CLASSES },
};

struct kipc_mq_charge_case {
	const char *desc;
	u32 max_msgs;
	u32 max_msgsize;
	u64 want;
};

static const struct kipc_mq_charge_case kipc_mq_charge_cases[] = {
	{ "1 x 1", 1, 1, 1 },
	{ "10 x 8192", 10, 8192, 81920 },
	{ "U32_MAX x U32_MAX does not wrap", 0xffffffffU, 0xffffffffU,
	  0xfffffffe00000001ULL },
	{ "65536 x 64 MiB", 65536, 64U << 20, 1ULL << 42 },
};

struct kipc_vec_case {
	const char *desc;
	u32 count;
	int want;
};

static const struct kipc_vec_case kipc_vec_cases[] = {
	{ "0 messages", 0, -E2BIG },
	{ "1 message", 1, 0 },
	{ "KIPC_MQ_VEC_MAX", KIPC_MQ_VEC_MAX, 0 },
	{ "KIPC_MQ_VEC_MAX + 1", KIPC_MQ_VEC_MAX + 1, -E2BIG },
	{ "U32_MAX", 0xffffffffU, -E2BIG },
};

struct kipc_shm_size_case {
	const char *desc;
	u64 size;
	u64 max;
	bool want_ok;
	u64 want_charge;	/* when @want_ok */
};

static const struct kipc_shm_size_case kipc_shm_size_cases[] = {
	{ "0 bytes", 0, 1ULL << 30, false, 0 },
	{ "1 byte", 1, 1ULL << 30, true, PAGE_SIZE },
	{ "one page", PAGE_SIZE, 1ULL << 30, true, PAGE_SIZE },
	{ "one page + 1", PAGE_SIZE + 1, 1ULL << 30, true, 2 * PAGE_SIZE },
	{ "at the limit", 1ULL << 30, 1ULL << 30, true, 1ULL << 30 },
	{ "limit + 1", (1ULL << 30) + 1, 1ULL << 30, false, 0 },
	{ "largest that rounds up safely", KIPC_LFS_MAX - PAGE_SIZE,
	  KIPC_U64_MAX, true, KIPC_LFS_MAX - PAGE_SIZE + 1 },
	{ "one past it", KIPC_LFS_MAX - PAGE_SIZE + 1, KIPC_U64_MAX, false,
	  0 },
	{ "MAX_LFS_FILESIZE", KIPC_LFS_MAX, KIPC_U64_MAX, false, 0 },
	{ "U64_MAX, PAGE_ALIGN would wrap to 0", KIPC_U64_MAX, KIPC_U64_MAX,
	  false, 0 },
};

struct kipc_limit_case {
	const char *desc;
	u64 used;
	u64 more;
	u64 max;
	bool want;
};

static const struct kipc_limit_case kipc_limit_cases[] = {
	{ "fits", 10, 5, 20, false },
	{ "exactly full", 15, 5, 20, false },
	{ "one over", 16, 5, 20, true },
	{ "nothing more at the limit", 20, 0, 20, false },
	{ "more alone over", 0, 21, 20, true },
	{ "used + more wraps", 2, KIPC_U64_MAX, KIPC_U64_MAX, true },
	{ "U64_MAX limit, full", KIPC_U64_MAX - 1, 1, KIPC_U64_MAX, false },
	{ "limit 0", 0, 1, 0, true },
	{ "limit 0, nothing", 0, 0, 0, false },
	{ "used above the limit (lowered)", 30, 0, 20, true },
};

struct kipc_deadline_case {
	const char *desc;
	u32 flags;
	u32 clockid;
	u64 deadline;
	int want;
};

static const struct kipc_deadline_case kipc_deadline_cases[] = {
	{ "no deadline", 0, 0, 0, 0 },
	{ "no deadline ignores a bad clock", 0, 12345, KIPC_U64_MAX, 0 },
	{ "nonblock only", KIPC_WAIT_NONBLOCK, CLOCK_REALTIME, 1, 0 },
	{ "monotonic", KIPC_WAIT_DEADLINE, CLOCK_MONOTONIC, 1000, 1 },
	{ "realtime", KIPC_WAIT_DEADLINE, CLOCK_REALTIME, 1000, 1 },
	{ "at 0", KIPC_WAIT_DEADLINE, CLOCK_MONOTONIC, 0, 1 },
	{ "KTIME_MAX", KIPC_WAIT_DEADLINE, CLOCK_MONOTONIC, KTIME_MAX, 1 },
	{ "KTIME_MAX + 1", KIPC_WAIT_DEADLINE, CLOCK_MONOTONIC,
	  (u64)KTIME_MAX + 1, -EINVAL },
	{ "U64_MAX", KIPC_WAIT_DEADLINE, CLOCK_REALTIME, KIPC_U64_MAX,
	  -EINVAL },
	{ "CLOCK_PROCESS_CPUTIME_ID", KIPC_WAIT_DEADLINE,
	  CLOCK_PROCESS_CPUTIME_ID, 1, -EINVAL },
	{ "CLOCK_BOOTTIME", KIPC_WAIT_DEADLINE, CLOCK_BOOTTIME, 1, -EINVAL },
	{ "clock U32_MAX", KIPC_WAIT_DEADLINE, 0xffffffffU, 1, -EINVAL },
	{ "with nonblock", KIPC_WAIT_DEADLINE | KIPC_WAIT_NONBLOCK,
	  CLOCK_MONOTONIC, 5, 1 },
};

struct kipc_reached_case {
	const char *desc;
	ktime_t now;
	ktime_t expires;
	bool want;
};

static const struct kipc_reached_case kipc_reached_cases[] = {
	{ "before", 99, 100, false },
	{ "at", 100, 100, true },
	{ "after", 101, 100, true },
	{ "deadline 0, now 0", 0, 0, true },
	{ "KTIME_MAX never passes", KTIME_MAX - 1, KTIME_MAX, false },
};

/*
 * The priority index against a model: a seeded sequence of inserts and
 * removals on 32 per-priority counts, checking after every step that the
 * map has exactly the non-empty priorities and that its top is the highest
 * of them and its bottom the lowest. Returns the first step that went wrong, or -1.
 */
static inline long kipc_prio_model_run(u32 seed, long steps)
{
	u32 count[KIPC_MQ_PRIO_MAX + 1] = { 0 };
	u32 map = 0, want, prio, x = seed | 1;
	long step;
	int p, top, bottom;

	for (step = 0; step < steps; step++) {
		/* xorshift32 */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		prio = x % (KIPC_MQ_PRIO_MAX + 1);
		if ((x >> 8) % 3 != 0 || !map) {
			/* a send at a random priority */
			if (!count[prio]++)
				kipc_prio_map_set(&map, prio);
		} else {
			/* a receive takes from the top */
			prio = kipc_prio_map_top(map);
			if (!count[prio])
				return step;
			if (!--count[prio])
				kipc_prio_map_clear(&map, prio);
		}
		want = 0;
		top = -1;
		bottom = -1;
		for (p = 0; p <= KIPC_MQ_PRIO_MAX; p++) {
			if (count[p]) {
				want |= BIT(p);
				top = p;
				if (bottom < 0)
					bottom = p;
			}
		}
		if (map != want)
			return step;
		if (map && (int)kipc_prio_map_top(map) != top)
			return step;
		if (map && (int)kipc_prio_map_bottom(map) != bottom)
			return step;
	}
	return -1;
}

/* Each single priority, and all of them at once, gives the right top. */
static inline int kipc_prio_edges_check(void)
{
	u32 map = 0, p;

	for (p = 0; p <= KIPC_MQ_PRIO_MAX; p++) {
		map = 0;
		kipc_prio_map_set(&map, p);
		if (map != BIT(p) || kipc_prio_map_top(map) != p ||
		    kipc_prio_map_bottom(map) != p)
			return -1;
		kipc_prio_map_clear(&map, p);
		if (map)
			return -1;
	}
	for (p = 0; p <= KIPC_MQ_PRIO_MAX; p++)
		kipc_prio_map_set(&map, p);
	if (map != 0xffffffffU || kipc_prio_map_top(map) != KIPC_MQ_PRIO_MAX)
		return -1;
	kipc_prio_map_clear(&map, KIPC_MQ_PRIO_MAX);
	if (kipc_prio_map_top(map) != KIPC_MQ_PRIO_MAX - 1)
		return -1;
	return 0;
}

#endif /* __KIPC_LOGIC_CASES_H */
