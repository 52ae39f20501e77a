/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kipc: what newer kernels have and 6.1, the oldest kipc supports, lacks.
 * Each shim is the newer kernel's own definition, for the older one only.
 */
#ifndef __KIPC_COMPAT_H
#define __KIPC_COMPAT_H

#include <linux/mm.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
/* 6.3 made vm_flags writable only through helpers (per-VMA locking). */
static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

#endif /* __KIPC_COMPAT_H */
