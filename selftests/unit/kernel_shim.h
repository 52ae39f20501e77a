/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few kernel types and macros kmod/kipc_logic.h uses, for building it
 * on the host. Force-included (-include) before anything else.
 */
#ifndef __KIPC_KERNEL_SHIM_H
#define __KIPC_KERNEL_SHIM_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <linux/kipc.h>

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
typedef s64 ktime_t;

#define BIT(nr)			(1UL << (nr))
#define KTIME_MAX		((s64)~((u64)1 << 63))
#define PAGE_SIZE		4096UL
#define PAGE_ALIGN(x)		(((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
/* 64-bit: include/linux/fs.h */
#define MAX_LFS_FILESIZE	((long long)LLONG_MAX)

/* Index of the highest set bit; @word must not be 0, as in the kernel. */
static inline unsigned long __fls(unsigned long word)
{
	return (sizeof(word) * 8 - 1) - __builtin_clzl(word);
}

static inline unsigned long __ffs(unsigned long word)
{
	return __builtin_ctzl(word);
}

#endif
