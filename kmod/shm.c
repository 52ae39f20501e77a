// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: shared memory regions.
 *
 * A region is backed by a shmem file, as SysV shm is, so its pages are
 * swappable and charged to the memcg of the task that faults them in. The
 * size is rounded up to whole pages and charged to the limits at creation.
 */
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "kipc_private.h"

/**
 * struct kipc_shm - a shared memory region
 * @obj: the common object
 * @shm_file: the shmem file holding the pages
 * @size: size in bytes, a multiple of PAGE_SIZE
 */
struct kipc_shm {
	struct kipc_object obj;
	struct file *shm_file;
	u64 size;
};

static struct kmem_cache *kipc_shm_cache;

static struct kipc_shm *to_shm(struct kipc_object *obj)
{
	return container_of(obj, struct kipc_shm, obj);
}

static int kipc_shm_validate(const union kipc_attr *attr, u64 *bytes)
{
	const struct kipc_shm_attr *a = &attr->shm;

	if (memchr_inv((const u8 *)attr + sizeof(*a), 0,
		       sizeof(*attr) - sizeof(*a)))
		return -EOPNOTSUPP;
	if (!a->size || a->size > READ_ONCE(kipc_shm_max_size) ||
	    a->size > MAX_LFS_FILESIZE - PAGE_SIZE)
		return -EINVAL;
	*bytes = PAGE_ALIGN(a->size);
	return 0;
}

static struct kipc_object *kipc_shm_alloc(const union kipc_attr *attr)
{
	struct kipc_shm *shm;
	struct file *file;

	shm = kmem_cache_zalloc(kipc_shm_cache, GFP_KERNEL_ACCOUNT);
	if (!shm)
		return ERR_PTR(-ENOMEM);
	shm->size = PAGE_ALIGN(attr->shm.size);
	file = shmem_kernel_file_setup("kipc-shm", shm->size, 0);
	if (IS_ERR(file)) {
		kmem_cache_free(kipc_shm_cache, shm);
		return ERR_CAST(file);
	}
	shm->shm_file = file;
	return &shm->obj;
}

static void kipc_shm_free(struct kipc_object *obj)
{
	struct kipc_shm *shm = to_shm(obj);

	fput(shm->shm_file);
	kmem_cache_free(kipc_shm_cache, shm);
}

static void kipc_shm_fill_attr(struct kipc_object *obj, union kipc_attr *attr)
{
	attr->shm.size = to_shm(obj)->size;
}

static int kipc_shm_fill_nl(struct sk_buff *skb, struct kipc_object *obj)
{
	if (nla_put_u64_64bit(skb, KIPC_A_OBJ_SHM_SIZE, to_shm(obj)->size,
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

static const struct file_operations kipc_shm_fops = {
	.owner = THIS_MODULE,
	.release = kipc_obj_file_release,
	.unlocked_ioctl = kipc_obj_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

const struct kipc_type_ops kipc_shm_ops = {
	.type = KIPC_OBJ_SHM,
	.name = "shm",
	.fops = &kipc_shm_fops,
	.validate = kipc_shm_validate,
	.alloc = kipc_shm_alloc,
	.free = kipc_shm_free,
	.fill_attr = kipc_shm_fill_attr,
	.fill_nl = kipc_shm_fill_nl,
	.init = kipc_shm_init,
	.exit = kipc_shm_exit,
};
