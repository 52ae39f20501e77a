// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: counting semaphores.
 *
 * A semaphore holds a value from 0 to KIPC_SEM_VALUE_MAX, set at creation.
 * It costs nothing against the byte limits beyond being an object.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/netlink.h>

#include "kipc_private.h"

/**
 * struct kipc_sem - a counting semaphore
 * @obj: the common object
 * @lock: protects @value
 * @value: the count (protected by @lock)
 */
struct kipc_sem {
	struct kipc_object obj;
	spinlock_t lock;	/* protects @value */
	u32 value;
};

static struct kmem_cache *kipc_sem_cache;

static struct kipc_sem *to_sem(struct kipc_object *obj)
{
	return container_of(obj, struct kipc_sem, obj);
}

static int kipc_sem_validate(const union kipc_attr *attr, u64 *bytes)
{
	const struct kipc_sem_attr *a = &attr->sem;

	if (a->__reserved ||
	    memchr_inv((const u8 *)attr + sizeof(*a), 0,
		       sizeof(*attr) - sizeof(*a)))
		return -EOPNOTSUPP;
	if (a->value > KIPC_SEM_VALUE_MAX)
		return -EINVAL;
	*bytes = 0;
	return 0;
}

static struct kipc_object *kipc_sem_alloc(const union kipc_attr *attr)
{
	struct kipc_sem *sem;

	sem = kmem_cache_zalloc(kipc_sem_cache, GFP_KERNEL_ACCOUNT);
	if (!sem)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&sem->lock);
	sem->value = attr->sem.value;
	return &sem->obj;
}

static void kipc_sem_free(struct kipc_object *obj)
{
	kmem_cache_free(kipc_sem_cache, to_sem(obj));
}

static u32 kipc_sem_value(struct kipc_sem *sem)
{
	u32 value;

	spin_lock(&sem->lock);
	value = sem->value;
	spin_unlock(&sem->lock);
	return value;
}

static void kipc_sem_fill_attr(struct kipc_object *obj, union kipc_attr *attr)
{
	attr->sem.value = kipc_sem_value(to_sem(obj));
}

static int kipc_sem_fill_nl(struct sk_buff *skb, struct kipc_object *obj)
{
	if (nla_put_u32(skb, KIPC_A_OBJ_SEM_VALUE, kipc_sem_value(to_sem(obj))))
		return -EMSGSIZE;
	return 0;
}

static int kipc_sem_init(void)
{
	kipc_sem_cache = KMEM_CACHE(kipc_sem, SLAB_ACCOUNT);
	return kipc_sem_cache ? 0 : -ENOMEM;
}

static void kipc_sem_exit(void)
{
	kmem_cache_destroy(kipc_sem_cache);
}

static const struct file_operations kipc_sem_fops = {
	.owner = THIS_MODULE,
	.release = kipc_obj_file_release,
	.unlocked_ioctl = kipc_obj_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

const struct kipc_type_ops kipc_sem_ops = {
	.type = KIPC_OBJ_SEM,
	.name = "sem",
	.fops = &kipc_sem_fops,
	.validate = kipc_sem_validate,
	.alloc = kipc_sem_alloc,
	.free = kipc_sem_free,
	.fill_attr = kipc_sem_fill_attr,
	.fill_nl = kipc_sem_fill_nl,
	.init = kipc_sem_init,
	.exit = kipc_sem_exit,
};
