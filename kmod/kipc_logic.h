/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kipc: the pure logic of the module, as static inline helpers.
 *
 * Nothing here takes a lock, sleeps, allocates or touches user memory, so
 * the helpers can be unit tested: by the KUnit suites of kmod/tests/ in a
 * kernel with CONFIG_KUNIT, and by selftests/unit/ on the build host, which
 * compiles this header against a small userspace shim of the kernel types
 * (selftests/unit/kernel_shim.h). Keep it that way: only u32/u64, bool,
 * errno values and the few macros the shim provides.
 */
#ifndef __KIPC_LOGIC_H
#define __KIPC_LOGIC_H

#ifdef __KERNEL__
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/time.h>
#include <linux/types.h>
#include <uapi/linux/kipc.h>
#endif

/* --- names --------------------------------------------------------------- */

/*
 * A name is 1..KIPC_NAME_MAX bytes of printable ASCII other than space and
 * '/'. @len is what strncpy_from_user() returned for a buffer of
 * KIPC_NAME_MAX + 1 bytes, so a name with no NUL in it comes as
 * KIPC_NAME_MAX + 1. Returns 0 or -EINVAL.
 */
static inline int kipc_name_check(const char *name, long len)
{
	long i;

	if (len <= 0 || len > KIPC_NAME_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned char c = name[i];

		if (c <= ' ' || c > '~' || c == '/')
			return -EINVAL;
	}
	return 0;
}

/* --- sizes and limits ------------------------------------------------------ */

/*
 * Messages whose size, header included, is at most 4 KiB come from kipc's
 * own caches of these sizes; larger ones from kvmalloc().
 */
#define KIPC_MSG_CLASSES	8

static inline unsigned int kipc_msg_class_size(unsigned int class)
{
	static const unsigned int sizes[KIPC_MSG_CLASSES] = {
		96, 128, 192, 256, 512, 1024, 2048, 4096,
	};

	return sizes[class];
}

/* The smallest class that holds @size bytes, or KIPC_MSG_CLASSES. */
static inline unsigned int kipc_msg_class(u64 size)
{
	unsigned int i;

	for (i = 0; i < KIPC_MSG_CLASSES; i++)
		if (size <= kipc_msg_class_size(i))
			return i;
	return KIPC_MSG_CLASSES;
}

/* A queue's capacity, charged in full at creation; cannot overflow a u64. */
static inline u64 kipc_mq_charge(u32 max_msgs, u32 max_msgsize)
{
	return (u64)max_msgs * max_msgsize;
}

/* A vector of @count messages: 1..KIPC_MQ_VEC_MAX. Returns 0 or -E2BIG. */
static inline int kipc_mq_vec_check(u32 count)
{
	return count && count <= KIPC_MQ_VEC_MAX ? 0 : -E2BIG;
}

/*
 * A region's size: not 0, at most @max, and small enough that rounding it up
 * to whole pages (kipc_shm_charge()) and truncating a file to it cannot
 * overflow.
 */
static inline bool kipc_shm_size_ok(u64 size, u64 max)
{
	return size && size <= max &&
	       size <= (u64)MAX_LFS_FILESIZE - PAGE_SIZE;
}

/* What a region of @size bytes (kipc_shm_size_ok()) is charged: whole pages. */
static inline u64 kipc_shm_charge(u64 size)
{
	return PAGE_ALIGN(size);
}

/*
 * Would charging @more to a usage of @used pass @max? Written so that
 * nothing overflows, whatever the three values.
 */
static inline bool kipc_over_limit(u64 used, u64 more, u64 max)
{
	return more > max || used > max - more;
}

/* --- the priority index of a queue ----------------------------------------- */

/*
 * Bit p of a queue's priority map is set while its list of priority p holds
 * a message; the highest set bit is the list a receive takes from.
 */
static inline void kipc_prio_map_set(u32 *map, u32 prio)
{
	*map |= BIT(prio);
}

/* The list of @prio went empty. */
static inline void kipc_prio_map_clear(u32 *map, u32 prio)
{
	*map &= ~BIT(prio);
}

/* The highest non-empty priority; @map must not be 0. */
static inline u32 kipc_prio_map_top(u32 map)
{
	return __fls(map);
}

/* The lowest non-empty priority, a dropping queue's victim; @map not 0. */
static inline u32 kipc_prio_map_bottom(u32 map)
{
	return __ffs(map);
}

/* --- deadlines -------------------------------------------------------------- */

/*
 * The deadline fields of a blocking call: with KIPC_WAIT_DEADLINE, an
 * absolute time in ns on CLOCK_MONOTONIC or CLOCK_REALTIME that fits a
 * ktime_t. Returns 1 when the call is timed, 0 when it is not, or -EINVAL.
 */
static inline int kipc_deadline_check(u32 flags, u32 clockid, u64 deadline)
{
	if (!(flags & KIPC_WAIT_DEADLINE))
		return 0;
	if ((clockid != CLOCK_MONOTONIC && clockid != CLOCK_REALTIME) ||
	    deadline > KTIME_MAX)
		return -EINVAL;
	return 1;
}

/* Has the deadline @expires passed at @now (both on the same clock)? */
static inline bool kipc_deadline_reached(ktime_t now, ktime_t expires)
{
	return now >= expires;
}

#endif /* __KIPC_LOGIC_H */
