/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kipc: what newer kernels have and 6.1, the oldest kipc supports, lacks.
 * Each shim is the newer kernel's own definition, for the older one only,
 * and is gated on the release whose API it stands in for; the note above it
 * names the commit or release.
 */
#ifndef __KIPC_COMPAT_H
#define __KIPC_COMPAT_H

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/mm.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/shmem_fs.h>
#include <linux/version.h>
#include <net/genetlink.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
/*
 * 6.3 made vm_flags writable only through helpers (per-VMA locking):
 * "mm: introduce vma->vm_flags wrapper functions".
 */
static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/*
 * 6.1 does not export put_ipc_ns(); 6.12 does (checked in the Module.symvers
 * of both; no release in between was built against). The fallback works on
 * any release: the namespace's own proc_ns_operations put is put_ipc_ns().
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
static inline void kipc_put_ipc_ns(struct ipc_namespace *ns)
{
#ifdef CONFIG_IPC_NS
	ns->ns.ops->put(&ns->ns);
#endif
}
#else
#define kipc_put_ipc_ns put_ipc_ns
#endif

/*
 * A region's shmem file, charged to the caller's memory (no VM_NORESERVE).
 * shmem_kernel_file_setup() gives it SysV shm's private kind of inode, which
 * LSMs do not see; modules may call it from 6.9: "shmem: export
 * shmem_kernel_file_setup" (for XFS's in-memory btrees). Before, the file
 * gets the memfd kind of inode. 7.0 passes the flags as a vma_flags_t: "mm:
 * update shmem_[kernel]_file_*() functions to use vma_flags_t".
 */
static inline struct file *kipc_shmem_file_setup(const char *name,
						 loff_t size)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0)
	return shmem_kernel_file_setup(name, size, EMPTY_VMA_FLAGS);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	return shmem_kernel_file_setup(name, size, 0);
#else
	return shmem_file_setup(name, size, 0);
#endif
}

/*
 * 6.17 renamed call_mmap() to vfs_mmap(), which also runs the .mmap_prepare
 * hook that shmem moved to in the same release: "mm: rename
 * call_mmap/mmap_prepare to vfs_mmap/vfs_mmap_prepare".
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
#define vfs_mmap call_mmap
#endif

/*
 * 6.18 renamed a namespace's reference count to __ns_ref, read through
 * ns_ref_read() of the namespace itself: 024596a4e280 ("ns: rename to
 * __ns_ref"), of the series "ns: rework reference counting".
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 18, 0)
#define ns_ref_read(__ns) refcount_read(&(__ns)->ns.count)
#endif

/*
 * vm.memfd_noexec came in 6.3, per pid namespace ("mm/memfd: add
 * MFD_NOEXEC_SEAL and MFD_EXEC"). 6.6 made a namespace inherit the strictest
 * value of those above it, read through pidns_memfd_noexec_scope() ("memfd:
 * replace ratcheting feature from vm.memfd_noexec with hierarchy"). 2
 * refuses MFD_EXEC.
 */
#define KIPC_MEMFD_NOEXEC_ENFORCED	2

static inline int kipc_memfd_noexec_scope(void)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return pidns_memfd_noexec_scope(task_active_pid_ns(current));
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0) && \
	defined(CONFIG_SYSCTL) && defined(CONFIG_MEMFD_CREATE)
	return READ_ONCE(task_active_pid_ns(current)->memfd_noexec_scope);
#else
	return 0;
#endif
}

/*
 * 6.2 split each genetlink command into do and dump ops with their own
 * policies (genl_split_ops), which is what ynl-gen-c generates; 6.1 takes one
 * genl_ops per command, which netlink.c assembles from the split table.
 * "genetlink: introduce split op representation".
 */
#define KIPC_HAVE_GENL_SPLIT_OPS \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0))

/*
 * 6.6 gave dumps a struct genl_info, genl_info_dump(cb), in place of the
 * attrs of struct genl_dumpit_info: the series "genetlink: provide struct
 * genl_info to dumps",
 * https://lore.kernel.org/r/20230814214723.2924989-1-kuba@kernel.org
 */
#define KIPC_HAVE_GENL_INFO_DUMP \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0))

#if !KIPC_HAVE_GENL_SPLIT_OPS
/* The fields of 6.2's struct genl_split_ops that ynl-gen-c fills in. */
struct genl_split_ops {
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*start)(struct netlink_callback *cb);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*done)(struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 flags;
};
#endif

/* The request's attributes of a dump. */
static inline struct nlattr **kipc_genl_dump_attrs(struct netlink_callback *cb)
{
#if KIPC_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * The monitor group needs filtered multicast, nlmsg_multicast_filtered(), to
 * send each listener only its own IPC namespace's events: 971b4ad88293
 * ("genetlink: introduce helpers to do filtered multicast"), in 6.8. The
 * group is offered from 6.9, the release the uapi header, the netlink spec,
 * the tool's messages and the tests name; it was never built on 6.8.
 * Below the gate there is no monitor group at all, rather than one that
 * leaks other namespaces' events.
 */
#define KIPC_HAVE_NL_MONITOR \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0))

/* --- tracepoints (kipc_trace.h) ------------------------------------------ */

/*
 * 6.10 dropped __assign_str()'s source argument, which __string() already
 * names: "tracing/treewide: Remove second parameter of __assign_str()"
 * (6.12's include/trace/stages/stage6_event_callback.h has the one
 * argument). kipc_trace.h passes both: the older kernels use both, the
 * newer ones only the destination.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define kipc_assign_str(dst, src)				\
	do {							\
		(void)(src);					\
		__assign_str(dst);				\
	} while (0)
#else
#define kipc_assign_str(dst, src)	__assign_str(dst, src)
#endif

/*
 * kipcfs's inodes (fs.c) get their times as alloc_anon_inode() gives them:
 * 6.6 hid i_ctime behind inode_set_ctime_current() ("fs: add ctime
 * accessors infrastructure"), and 6.7 added simple_inode_init_ts() with
 * the atime/mtime accessors ("fs: new accessor methods for atime and
 * mtime").
 */
static inline void kipc_inode_init_ts(struct inode *inode)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	simple_inode_init_ts(inode);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	inode->i_atime = inode_set_ctime_current(inode);
	inode->i_mtime = inode->i_atime;
#else
	inode->i_atime = current_time(inode);
	inode->i_mtime = inode->i_atime;
	inode->i_ctime = inode->i_atime;
#endif
}

/*
 * 6.12 made struct fd one word and reads its file with fd_file(): "introduce
 * fd_file(), convert all accessors to it". Before, the file is a member.
 * It is a macro, so a stable tree that took it (for a backported fix)
 * keeps its own.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0) && !defined(fd_file)
#define fd_file(f)	((f).file)
#endif

#endif /* __KIPC_COMPAT_H */
