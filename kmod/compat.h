/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kipc: what newer kernels have and 6.1, the oldest kipc supports, lacks.
 * Each shim is the newer kernel's own definition, for the older one only.
 */
#ifndef __KIPC_COMPAT_H
#define __KIPC_COMPAT_H

#include <linux/ipc_namespace.h>
#include <linux/mm.h>
#include <linux/proc_ns.h>
#include <linux/shmem_fs.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
/* 6.3 made vm_flags writable only through helpers (per-VMA locking). */
static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/*
 * Before 6.12 neither put_ipc_ns() nor shmem_kernel_file_setup() is
 * exported. The namespace's own proc_ns_operations put is put_ipc_ns(),
 * and a region's shmem file then gets the memfd kind of inode (LSMs see
 * it) instead of SysV shm's private one.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
static inline void kipc_put_ipc_ns(struct ipc_namespace *ns)
{
#ifdef CONFIG_IPC_NS
	ns->ns.ops->put(&ns->ns);
#endif
}

static inline struct file *kipc_shmem_file_setup(const char *name,
						 loff_t size,
						 unsigned long flags)
{
	return shmem_file_setup(name, size, flags);
}
#else
#define kipc_put_ipc_ns put_ipc_ns
#define kipc_shmem_file_setup shmem_kernel_file_setup
#endif

#endif /* __KIPC_COMPAT_H */
