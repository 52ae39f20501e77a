// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: shared memory regions.
 *
 * A region is backed by a shmem file, as SysV shm is, so its pages are
 * swappable and charged to the memcg of the task that faults them in. The
 * limits are charged whole pages at creation and on every resize.
 *
 * Mappings
 * ========
 *
 * shmem's fault handler finds its inode through vma->vm_file, so a mapping
 * needs a file of the shmem inode. The region fd is an anon-inode file, so
 * each mmap() makes a "map file": a new file of the shmem inode whose f_op
 * belongs to kipc. It becomes vma->vm_file; it pins the module (f_op->owner)
 * for as long as any mapping exists, and holds a reference on the region, so
 * a mapping outlives the fd, the name and an admin removal. kipc's vm_ops
 * wrap shmem's to count the mappings (lsipc's NATTCH), as ipc/shm.c does.
 * The map file is never installed in a file table, so nobody can ftruncate()
 * the shmem inode behind kipc's back. (Only /proc/PID/map_files, which needs
 * CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE in the initial namespace, opens
 * the inode itself, with shmem's own file operations.)
 *
 * KIPC_SEAL_WRITE works as memfd's F_SEAL_WRITE: it denies the shmem
 * mapping's count of shared mappings that may write (i_mmap_writable), which
 * fails while such a mapping exists. The core takes that count only when it
 * links the vma, after ->mmap() returns, so a seal could slip in between.
 * To close the gap every such vma of kipc holds a count of its own, taken in
 * ->mmap() (failing once the seal is in force) and in ->open(), and dropped
 * in ->close().
 *
 * Locking overview
 * ================
 *
 * shm->lock (a mutex) serialises resize, sealing and removal; it is taken
 * with no other lock held, and under it resize takes kipc_lock (recharge)
 * and the shmem inode's lock (truncate).
 * mmap() runs under mmap_lock, so it must not take shm->lock: truncation
 * takes the inode lock, and the core takes mmap_lock under the inode lock
 * (a tmpfs write faulting on its buffer). mmap() therefore reads the seals
 * and the removed flag without the lock, as memfd does; what makes that
 * safe against a racing KIPC_SEAL_WRITE is the writable-mapping count
 * above, not the flags. A mapping that races with an admin removal may
 * still be made, and is then just another existing mapping. Likewise for
 * KIPC_SEAL_FUTURE_WRITE, which (as memfd's F_SEAL_FUTURE_WRITE) leaves
 * existing mappings writable: an mmap() that read the seals before the
 * sealer's WRITE_ONCE() is ordered before the seal, and any mmap() that
 * begins after the seal ioctl returned reads it (the mutex's release and
 * whatever told the caller the seal was made order the two). This is
 * documented in kipc_shm_seal(3).
 * shm->stat_lock (a spinlock) protects the mapping statistics, which
 * vm_ops->open and ->close update.
 */
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/pid.h>
#include <linux/seq_file.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/netlink.h>

#include "compat.h"
#include "kipc_private.h"

unsigned long kipc_shm_max_size = 1UL << 30;
module_param_named(shm_max_size, kipc_shm_max_size, ulong, 0644);
MODULE_PARM_DESC(shm_max_size, "Largest size of a new region in bytes (default 1 GiB)");

/**
 * struct kipc_shm - a shared memory region
 * @obj: the common object
 * @shm_file: the shmem file holding the pages
 * @lock: serialises resize, sealing and removal
 * @size: size in bytes (written under @lock, read without it)
 * @seals: KIPC_SEAL_* (written under @lock, read without it)
 * @removed: removed by an administrator (written under @lock)
 * @exec: created with KIPC_SHM_EXEC (set at creation)
 * @shmem_vm_ops: shmem's vm_ops, which kipc's wrap; set by every mmap()
 *	to the same value
 * @stat_lock: protects the fields below
 * @nattch: live mappings (protected by @stat_lock)
 * @lpid: last process to map it (protected by @stat_lock)
 * @atime: last mapping, ns since the epoch (protected by @stat_lock)
 * @dtime: last unmapping (protected by @stat_lock)
 */
struct kipc_shm {
	struct kipc_object obj;
	struct file *shm_file;

	struct mutex lock;	/* see the locking overview */
	u64 size;
	u32 seals;
	bool removed;
	bool exec;
	const struct vm_operations_struct *shmem_vm_ops;

	spinlock_t stat_lock;	/* protects the mapping statistics */
	u32 nattch;
	struct pid *lpid;
	u64 atime;
	u64 dtime;
};

static struct kmem_cache *kipc_shm_cache;

static struct kipc_shm *to_shm(struct kipc_object *obj)
{
	return container_of(obj, struct kipc_shm, obj);
}

/* The region of an object fd. */
static struct kipc_shm *file_shm(struct file *file)
{
	return to_shm(kipc_file_obj(file));
}

/**
 * kipc_shm_seals() - a region's seals, for a queue that carries it (mq_msg.c)
 * @obj: a region
 *
 * Read without shm->lock: a seal, once set, stays, and KIPC_SEAL_WRITE is
 * set only once it is in force.
 *
 * Return: its KIPC_SEAL_* bits.
 */
u32 kipc_shm_seals(struct kipc_object *obj)
{
	return READ_ONCE(to_shm(obj)->seals);
}

/* The region of a mapping, whose file is a map file (kipc_shm_map_file()). */
static struct kipc_shm *vma_shm(struct vm_area_struct *vma)
{
	return to_shm(vma->vm_file->private_data);
}

/* --- mappings ------------------------------------------------------------ */

static void kipc_shm_attached(struct kipc_shm *shm)
{
	spin_lock(&shm->stat_lock);
	shm->nattch++;
	shm->atime = ktime_get_real_ns();
	kipc_set_last_pid(&shm->lpid, current);
	spin_unlock(&shm->stat_lock);
}

static bool kipc_shm_may_write(struct vm_area_struct *vma)
{
	return (vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) ==
	       (VM_SHARED | VM_MAYWRITE);
}

/* fork() and vma splits: one more mapping of the same region. */
static void kipc_shm_vm_open(struct vm_area_struct *vma)
{
	struct kipc_shm *shm = vma_shm(vma);

	/* The original holds a count, so the seal cannot be in force. */
	if (kipc_shm_may_write(vma))
		mapping_allow_writable(shm->shm_file->f_mapping);
	kipc_shm_attached(shm);
}

static void kipc_shm_vm_close(struct vm_area_struct *vma)
{
	struct kipc_shm *shm = vma_shm(vma);

	if (kipc_shm_may_write(vma))
		mapping_unmap_writable(shm->shm_file->f_mapping);
	spin_lock(&shm->stat_lock);
	shm->nattch--;
	shm->dtime = ktime_get_real_ns();
	spin_unlock(&shm->stat_lock);
}

static vm_fault_t kipc_shm_fault(struct vm_fault *vmf)
{
	struct kipc_shm *shm = vma_shm(vmf->vma);

	return READ_ONCE(shm->shmem_vm_ops)->fault(vmf);
}

static vm_fault_t kipc_shm_map_pages(struct vm_fault *vmf, pgoff_t start,
				     pgoff_t end)
{
	const struct vm_operations_struct *ops;

	ops = READ_ONCE(vma_shm(vmf->vma)->shmem_vm_ops);
	if (!ops->map_pages)
		return 0;
	return ops->map_pages(vmf, start, end);
}

static const struct vm_operations_struct kipc_shm_vm_ops = {
	.open = kipc_shm_vm_open,
	.close = kipc_shm_vm_close,
	.fault = kipc_shm_fault,
	.map_pages = kipc_shm_map_pages,
};

/* The map file's last reference goes with the last mapping. */
static int kipc_shm_map_release(struct inode *inode, struct file *file)
{
	kipc_obj_put(file->private_data);
	return 0;
}

/* msync(MS_SYNC) of a mapping fsyncs the map file: shmem has nothing to do. */
static const struct file_operations kipc_shm_map_fops = {
	.owner = THIS_MODULE,
	.release = kipc_shm_map_release,
	.fsync = noop_fsync,
	.llseek = noop_llseek,
};

static struct file *kipc_shm_map_file(struct kipc_shm *shm)
{
	struct inode *inode = file_inode(shm->shm_file);
	struct file *file;

	/*
	 * alloc_file_pseudo() takes over the inode reference on success, and
	 * the file's last fput() drops the module reference (fops_put()),
	 * which it does not take itself.
	 */
	ihold(inode);
	__module_get(THIS_MODULE);
	file = alloc_file_pseudo(inode, shm->shm_file->f_path.mnt, "kipc-shm",
				 O_RDWR, &kipc_shm_map_fops);
	if (IS_ERR(file)) {
		module_put(THIS_MODULE);
		iput(inode);
		return file;
	}
	refcount_inc(&shm->obj.ref);
	file->private_data = &shm->obj;
	return file;
}

static int kipc_shm_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct kipc_shm *shm = file_shm(file);
	struct file *map_file;
	int ret;

	/* No shm->lock here: see the locking overview. */
	if (READ_ONCE(shm->removed))
		return -EIDRM;
	/*
	 * Not executable unless created so, as a memfd with MFD_NOEXEC_SEAL:
	 * otherwise a region would carry code past a noexec /dev/shm and
	 * vm.memfd_noexec. EPERM as for a noexec mount; mprotect() to
	 * PROT_EXEC later gets EACCES.
	 */
	if (!shm->exec) {
		if (vma->vm_flags & VM_EXEC)
			return -EPERM;
		vm_flags_clear(vma, VM_MAYEXEC);
	}
	if ((READ_ONCE(shm->seals) &
	     (KIPC_SEAL_WRITE | KIPC_SEAL_FUTURE_WRITE)) &&
	    (vma->vm_flags & VM_SHARED)) {
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
		/* Nor may mprotect() make it writable later. */
		vm_flags_clear(vma, VM_MAYWRITE);
	}
	/*
	 * Fails while a KIPC_SEAL_WRITE denies writable mappings, which
	 * may have begun after the seals were read above. The sealer may
	 * yet give up (a pinned page), so decide only once the seal is in
	 * force, as if it had come first: a writable mapping is refused,
	 * and a read-only one is made, but may never become writable.
	 */
	while (kipc_shm_may_write(vma) &&
	       (ret = mapping_map_writable(shm->shm_file->f_mapping))) {
		if (READ_ONCE(shm->seals) & KIPC_SEAL_WRITE) {
			if (vma->vm_flags & VM_WRITE)
				return ret;
			vm_flags_clear(vma, VM_MAYWRITE);
			break;
		}
		cond_resched();
	}

	map_file = kipc_shm_map_file(shm);
	if (IS_ERR(map_file)) {
		ret = PTR_ERR(map_file);
		goto out_unwritable;
	}
	ret = vfs_mmap(shm->shm_file, vma);
	if (ret) {
		fput(map_file);
		goto out_unwritable;
	}
	vma_set_file(vma, map_file);
	fput(map_file);
	WRITE_ONCE(shm->shmem_vm_ops, vma->vm_ops);
	vma->vm_ops = &kipc_shm_vm_ops;
	kipc_shm_attached(shm);
	return 0;

out_unwritable:
	if (kipc_shm_may_write(vma))
		mapping_unmap_writable(shm->shm_file->f_mapping);
	return ret;
}

/* --- ioctls -------------------------------------------------------------- */

static bool kipc_shm_may_grow(struct kipc_shm *shm)
{
	kuid_t uid = current_fsuid();

	return uid_eq(uid, shm->obj.uid) || uid_eq(uid, shm->obj.cuid) ||
	       ns_capable(shm->obj.ipc_ns->user_ns, CAP_IPC_OWNER);
}

static int kipc_shm_resize_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_shm *shm = file_shm(ucmd->file);
	struct kipc_shm_resize *cmd = ucmd->cmd;
	u64 size = cmd->new_size;
	int ret;

	if (cmd->flags)
		return -EOPNOTSUPP;
	if (!(ucmd->file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!kipc_shm_size_ok(size, READ_ONCE(kipc_shm_max_size)))
		return -EINVAL;

	mutex_lock(&shm->lock);
	if (shm->removed) {
		ret = -EIDRM;
		goto out_unlock;
	}
	if ((size > shm->size && (shm->seals & KIPC_SEAL_GROW)) ||
	    (size < shm->size && (shm->seals & KIPC_SEAL_SHRINK))) {
		ret = -EPERM;
		goto out_unlock;
	}
	if (size == shm->size) {
		ret = 0;
		goto out_unlock;
	}
	/*
	 * Growing charges the creator's quota, so only the owner may do it
	 * (or CAP_IPC_OWNER, which overrides the permission bits too): any
	 * other writer could exhaust someone else's limits. Shrinking only
	 * gives back, as ftruncate() does for any writer.
	 */
	if (size > shm->size && !kipc_shm_may_grow(shm)) {
		ret = -EPERM;
		goto out_unlock;
	}

	/* Charge before growing, uncharge after shrinking. */
	if (size > shm->size) {
		ret = kipc_obj_recharge(&shm->obj, kipc_shm_charge(size));
		if (ret)
			goto out_unlock;
	}
	ret = vfs_truncate(&shm->shm_file->f_path, size);
	if (ret) {
		if (size > shm->size)
			kipc_obj_recharge(&shm->obj,
					  kipc_shm_charge(shm->size));
		goto out_unlock;
	}
	if (size < shm->size)
		kipc_obj_recharge(&shm->obj, kipc_shm_charge(size));
	WRITE_ONCE(shm->size, size);
out_unlock:
	mutex_unlock(&shm->lock);
	return ret;
}

/*
 * A page pinned for DMA (io_uring fixed buffers, RDMA) stays writable
 * after its mapping is gone, so a write seal must wait for such pins, as
 * memfd_wait_for_pins() does. That is not exported; kipc refuses instead,
 * with the EBUSY that a writable mapping gets. No new writable pin can
 * appear once writable mappings are denied.
 */
static bool kipc_shm_has_pins(struct address_space *mapping)
{
	XA_STATE(xas, &mapping->i_pages, 0);
	struct folio *folio;
	bool pinned = false;

	/* As memfd_tag_pins(): under the i_pages lock, no folio goes away. */
	xas_lock_irq(&xas);
	xas_for_each(&xas, folio, ULONG_MAX) {
		if (xa_is_value(folio))
			continue;
		if (folio_maybe_dma_pinned(folio)) {
			pinned = true;
			break;
		}
		if (need_resched()) {
			xas_pause(&xas);
			xas_unlock_irq(&xas);
			cond_resched();
			xas_lock_irq(&xas);
		}
	}
	xas_unlock_irq(&xas);
	return pinned;
}

static int kipc_shm_seal_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_shm *shm = file_shm(ucmd->file);
	struct kipc_shm_seal *cmd = ucmd->cmd;
	struct address_space *mapping = shm->shm_file->f_mapping;
	int ret;

	if (cmd->flags)
		return -EOPNOTSUPP;
	if (cmd->seals & ~KIPC_SEAL_ALL)
		return -EINVAL;
	if (cmd->seals && !(ucmd->file->f_mode & FMODE_WRITE))
		return -EBADF;

	mutex_lock(&shm->lock);
	if (!cmd->seals)
		goto out_respond;
	if (shm->removed) {
		ret = -EIDRM;
		goto out_unlock;
	}
	if (shm->seals & KIPC_SEAL_SEAL) {
		ret = -EPERM;
		goto out_unlock;
	}
	/*
	 * As memfd does: deny writable shared mappings for good, which fails
	 * while one exists and makes every later attempt fail in mmap().
	 */
	if ((cmd->seals & KIPC_SEAL_WRITE) && !(shm->seals & KIPC_SEAL_WRITE)) {
		ret = mapping_deny_writable(mapping);
		if (ret)
			goto out_unlock;
		if (kipc_shm_has_pins(mapping)) {
			mapping_allow_writable(mapping);
			ret = -EBUSY;
			goto out_unlock;
		}
	}
	WRITE_ONCE(shm->seals, shm->seals | cmd->seals);
out_respond:
	cmd->out_seals = shm->seals;
	mutex_unlock(&shm->lock);
	/*
	 * Not under shm->lock: the copy may fault and take mmap_lock, and
	 * mmap_lock nests outside the inode lock that resize takes under
	 * shm->lock.
	 */
	return kipc_ucmd_respond(ucmd, sizeof(*cmd));

out_unlock:
	mutex_unlock(&shm->lock);
	return ret;
}

/**
 * struct kipc_shm_stats - a consistent copy of a region's statistics
 * @size: size in bytes
 * @seals: KIPC_SEAL_*
 * @nattch: live mappings
 * @resident: pages in memory
 * @swapped: pages in swap
 * @atime: last mapping
 * @dtime: last unmapping
 * @lpid: last mapper, in the pid namespace asked for
 */
struct kipc_shm_stats {
	u64 size;
	u32 seals;
	u32 nattch;
	u64 resident;
	u64 swapped;
	u64 atime;
	u64 dtime;
	pid_t lpid;
};

static void kipc_shm_get_stats(struct kipc_shm *shm, struct kipc_shm_stats *st,
			       struct pid_namespace *pid_ns)
{
	struct inode *inode = file_inode(shm->shm_file);

	/* Read without shm->lock: netlink walks objects under kipc_lock. */
	st->size = READ_ONCE(shm->size);
	st->seals = READ_ONCE(shm->seals);
	st->resident = READ_ONCE(inode->i_mapping->nrpages);
	st->swapped = READ_ONCE(SHMEM_I(inode)->swapped);
	spin_lock(&shm->stat_lock);
	st->nattch = shm->nattch;
	st->atime = shm->atime;
	st->dtime = shm->dtime;
	st->lpid = pid_nr_ns(shm->lpid, pid_ns);
	spin_unlock(&shm->stat_lock);
}

static int kipc_shm_stat_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_shm *shm = file_shm(ucmd->file);
	struct kipc_shm_stat *cmd = ucmd->cmd;
	struct kipc_shm_stats st;

	if (cmd->flags)
		return -EOPNOTSUPP;
	kipc_shm_get_stats(shm, &st, task_active_pid_ns(current));
	cmd->out_size = st.size;
	cmd->out_nattch = st.nattch;
	cmd->out_seals = st.seals;
	cmd->out_resident = st.resident;
	cmd->out_swapped = st.swapped;
	cmd->out_atime = st.atime;
	cmd->out_dtime = st.dtime;
	cmd->out_lpid = st.lpid;
	cmd->out_state = kipc_obj_state(&shm->obj);
	return kipc_ucmd_respond(ucmd, sizeof(*cmd));
}

/* --- object ops ---------------------------------------------------------- */

static int kipc_shm_validate(const union kipc_attr *attr, u64 *bytes)
{
	const struct kipc_shm_attr *a = &attr->shm;

	if ((a->flags & ~KIPC_SHM_FLAGS_ALL) || a->__reserved)
		return -EOPNOTSUPP;
	if (!kipc_shm_size_ok(a->size, READ_ONCE(kipc_shm_max_size)))
		return -EINVAL;
	if ((a->flags & KIPC_SHM_EXEC) &&
	    kipc_memfd_noexec_scope() >= KIPC_MEMFD_NOEXEC_ENFORCED)
		return -EACCES;
	*bytes = kipc_shm_charge(a->size);
	return 0;
}

static struct kipc_object *kipc_shm_alloc(const union kipc_attr *attr)
{
	struct kipc_shm *shm;
	struct file *file;

	shm = kmem_cache_zalloc(kipc_shm_cache, GFP_KERNEL_ACCOUNT);
	if (!shm)
		return ERR_PTR(-ENOMEM);
	shm->size = attr->shm.size;
	shm->exec = attr->shm.flags & KIPC_SHM_EXEC;
	mutex_init(&shm->lock);
	spin_lock_init(&shm->stat_lock);
	file = kipc_shmem_file_setup("kipc-shm", shm->size);
	if (IS_ERR(file)) {
		kmem_cache_free(kipc_shm_cache, shm);
		/*
		 * The kernel's internal shmem mount has no size or inode
		 * limit, so its ENOSPC only means that new_inode() found
		 * no memory; kipc's ENOSPC means a namespace limit.
		 */
		if (PTR_ERR(file) == -ENOSPC)
			return ERR_PTR(-ENOMEM);
		return ERR_CAST(file);
	}
	shm->shm_file = file;
	return &shm->obj;
}

static void kipc_shm_free(struct kipc_object *obj)
{
	struct kipc_shm *shm = to_shm(obj);

	put_pid(shm->lpid);
	fput(shm->shm_file);
	mutex_destroy(&shm->lock);
	kmem_cache_free(kipc_shm_cache, shm);
}

/* Existing mappings stay; new maps, resizes and seals fail with EIDRM. */
static void kipc_shm_remove(struct kipc_object *obj)
{
	struct kipc_shm *shm = to_shm(obj);

	mutex_lock(&shm->lock);
	WRITE_ONCE(shm->removed, true);
	mutex_unlock(&shm->lock);
}

static void kipc_shm_fill_attr(struct kipc_object *obj, union kipc_attr *attr)
{
	attr->shm.size = READ_ONCE(to_shm(obj)->size);
	attr->shm.flags = to_shm(obj)->exec ? KIPC_SHM_EXEC : 0;
}

/* Without a lock, as KIPC_IOC_INFO reads the size. */
static void kipc_shm_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct kipc_shm *shm = to_shm(kipc_file_obj(file));

	seq_printf(m, "kipc-shm-size:\t%llu\n", (u64)READ_ONCE(shm->size));
	seq_printf(m, "kipc-shm-seals:\t0x%x\n", READ_ONCE(shm->seals));
	/* The inode of its mappings in /proc/PID/maps. */
	seq_printf(m, "kipc-shm-ino:\t%llu\n",
		   (u64)file_inode(shm->shm_file)->i_ino);
}

static int kipc_shm_fill_nl(struct sk_buff *skb, struct kipc_object *obj,
			    struct pid_namespace *pid_ns)
{
	struct kipc_shm_stats st;

	kipc_shm_get_stats(to_shm(obj), &st, pid_ns);
	if (nla_put_u64_64bit(skb, KIPC_A_OBJ_SHM_SIZE, st.size,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_SHM_NATTCH, st.nattch) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SHM_RESIDENT, st.resident,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SHM_SWAPPED, st.swapped,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_SHM_SEALS, st.seals) ||
	    nla_put_u32(skb, KIPC_A_OBJ_SHM_LPID, st.lpid) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SHM_ATIME, st.atime,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SHM_DTIME, st.dtime,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SHM_INO,
			      file_inode(to_shm(obj)->shm_file)->i_ino,
			      KIPC_A_OBJ_PAD))
		return -EMSGSIZE;
	return 0;
}

static int kipc_shm_init(void)
{
	kipc_shm_cache = KMEM_CACHE(kipc_shm, SLAB_ACCOUNT);
	return kipc_shm_cache ? 0 : -ENOMEM;
}

static void kipc_shm_exit(void)
{
	kmem_cache_destroy(kipc_shm_cache);
}

static const struct kipc_ioctl_op kipc_shm_ioctl_ops[] = {
	KIPC_IOCTL_OP(KIPC_IOC_SHM_RESIZE, kipc_shm_resize_ioctl,
		      struct kipc_shm_resize, new_size),
	KIPC_IOCTL_OP(KIPC_IOC_SHM_SEAL, kipc_shm_seal_ioctl,
		      struct kipc_shm_seal, out_seals),
	KIPC_IOCTL_OP(KIPC_IOC_SHM_STAT, kipc_shm_stat_ioctl,
		      struct kipc_shm_stat, out_state),
};

static const struct file_operations kipc_shm_fops = {
	.owner = THIS_MODULE,
	.release = kipc_obj_file_release,
	.unlocked_ioctl = kipc_obj_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = kipc_shm_mmap,
	.llseek = noop_llseek,
	.show_fdinfo = kipc_obj_show_fdinfo,
};

const struct kipc_type_ops kipc_shm_ops = {
	.type = KIPC_OBJ_SHM,
	.name = "shm",
	.fops = &kipc_shm_fops,
	.show_fdinfo = kipc_shm_show_fdinfo,
	.ioctl_ops = kipc_shm_ioctl_ops,
	.n_ioctl_ops = ARRAY_SIZE(kipc_shm_ioctl_ops),
	.attr_size = sizeof(struct kipc_shm_attr),
	.validate = kipc_shm_validate,
	.alloc = kipc_shm_alloc,
	.free = kipc_shm_free,
	.remove = kipc_shm_remove,
	.fill_attr = kipc_shm_fill_attr,
	.fill_nl = kipc_shm_fill_nl,
	.init = kipc_shm_init,
	.exit = kipc_shm_exit,
};
