// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: message queues.
 *
 * A queue's capacity (max_msgs messages of at most max_msgsize bytes) is
 * fixed at creation and charged to the limits in full then, as mq_open()
 * charges RLIMIT_MSGQUEUE, so that a send never fails for lack of quota.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "kipc_private.h"

/**
 * struct kipc_mq - a message queue
 * @obj: the common object
 * @max_msgs: capacity in messages, fixed at creation
 * @max_msgsize: largest message in bytes, fixed at creation
 */
struct kipc_mq {
	struct kipc_object obj;
	u32 max_msgs;
	u32 max_msgsize;
};

static struct kmem_cache *kipc_mq_cache;

static struct kipc_mq *to_mq(struct kipc_object *obj)
{
	return container_of(obj, struct kipc_mq, obj);
}

static int kipc_mq_validate(const union kipc_attr *attr, u64 *bytes)
{
	const struct kipc_mq_attr *a = &attr->mq;

	if (memchr_inv((const u8 *)attr + sizeof(*a), 0,
		       sizeof(*attr) - sizeof(*a)))
		return -EOPNOTSUPP;
	if (!a->max_msgs || a->max_msgs > READ_ONCE(kipc_mq_max_msgs) ||
	    !a->max_msgsize || a->max_msgsize > READ_ONCE(kipc_mq_max_msgsize))
		return -EINVAL;
	*bytes = (u64)a->max_msgs * a->max_msgsize;
	return 0;
}

static struct kipc_object *kipc_mq_alloc(const union kipc_attr *attr)
{
	struct kipc_mq *mq;

	mq = kmem_cache_zalloc(kipc_mq_cache, GFP_KERNEL_ACCOUNT);
	if (!mq)
		return ERR_PTR(-ENOMEM);
	mq->max_msgs = attr->mq.max_msgs;
	mq->max_msgsize = attr->mq.max_msgsize;
	return &mq->obj;
}

static void kipc_mq_free(struct kipc_object *obj)
{
	kmem_cache_free(kipc_mq_cache, to_mq(obj));
}

static void kipc_mq_fill_attr(struct kipc_object *obj, union kipc_attr *attr)
{
	struct kipc_mq *mq = to_mq(obj);

	attr->mq.max_msgs = mq->max_msgs;
	attr->mq.max_msgsize = mq->max_msgsize;
}

static int kipc_mq_fill_nl(struct sk_buff *skb, struct kipc_object *obj)
{
	struct kipc_mq *mq = to_mq(obj);

	if (nla_put_u32(skb, KIPC_A_OBJ_MQ_MAX_MSGS, mq->max_msgs) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_MAX_MSGSIZE, mq->max_msgsize))
		return -EMSGSIZE;
	return 0;
}

static int kipc_mq_init(void)
{
	kipc_mq_cache = KMEM_CACHE(kipc_mq, SLAB_ACCOUNT);
	return kipc_mq_cache ? 0 : -ENOMEM;
}

static void kipc_mq_exit(void)
{
	kmem_cache_destroy(kipc_mq_cache);
}

static const struct file_operations kipc_mq_fops = {
	.owner = THIS_MODULE,
	.release = kipc_obj_file_release,
	.unlocked_ioctl = kipc_obj_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

const struct kipc_type_ops kipc_mq_ops = {
	.type = KIPC_OBJ_MQ,
	.name = "mq",
	.fops = &kipc_mq_fops,
	.validate = kipc_mq_validate,
	.alloc = kipc_mq_alloc,
	.free = kipc_mq_free,
	.fill_attr = kipc_mq_fill_attr,
	.fill_nl = kipc_mq_fill_nl,
	.init = kipc_mq_init,
	.exit = kipc_mq_exit,
};
