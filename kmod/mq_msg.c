// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the messages of queues: allocation from per-size-class caches,
 * freeing in bulk, and copying in from user space.
 *
 * Messages up to 4 KiB, header included, come from kipc's own caches of the
 * sizes kipc_msg_class_size() gives (so rmmod reports any that leak); larger
 * ones from kvmalloc(). With a 32-byte header, a 64-byte message costs 96
 * bytes.
 */
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mq.h"

static struct kmem_cache *kipc_msg_caches[KIPC_MSG_CLASSES];

/**
 * kipc_msg_cache() - the cache of a message's size class
 * @len: the message's payload length
 *
 * Return: the cache for a message of @len bytes, or NULL for kvmalloc().
 */
struct kmem_cache *kipc_msg_cache(u32 len)
{
	unsigned int class = kipc_msg_class(offsetof(struct kipc_msg, data) +
					    (u64)len);

	return class < KIPC_MSG_CLASSES ? kipc_msg_caches[class] : NULL;
}

/**
 * kipc_msg_alloc() - allocate a message
 * @len: its payload length, set in the message
 *
 * Return: the message, its payload and priority unset, or NULL.
 */
struct kipc_msg *kipc_msg_alloc(u32 len)
{
	struct kmem_cache *cache = kipc_msg_cache(len);
	struct kipc_msg *msg;

	if (cache)
		msg = kmem_cache_alloc(cache, GFP_KERNEL_ACCOUNT);
	else
		msg = kvmalloc(offsetof(struct kipc_msg, data) + len,
			       GFP_KERNEL_ACCOUNT);
	if (!msg)
		return NULL;
	msg->len = len;
	msg->qtime = 0;
	return msg;
}

/**
 * kipc_msg_free() - free a message
 * @msg: a message from kipc_msg_alloc(), on no list
 */
void kipc_msg_free(struct kipc_msg *msg)
{
	struct kmem_cache *cache = kipc_msg_cache(msg->len);

	if (cache)
		kmem_cache_free(cache, msg);
	else
		kvfree(msg);
}

/**
 * kipc_msg_bin_flush() - free the messages gathered in a bin
 * @bin: the bin, empty afterwards
 */
void kipc_msg_bin_flush(struct kipc_msg_bin *bin)
{
	if (bin->n)
		kmem_cache_free_bulk(bin->cache, bin->n, bin->objs);
	bin->n = 0;
}

/**
 * kipc_msg_bin_add() - free a message, along with others of its class
 * @bin: the bin, flushed when full or when the class changes
 * @msg: the message, on no list; a kvmalloc()ed one is freed at once
 */
void kipc_msg_bin_add(struct kipc_msg_bin *bin, struct kipc_msg *msg)
{
	struct kmem_cache *cache = kipc_msg_cache(msg->len);

	if (!cache) {
		kvfree(msg);
		return;
	}
	if (bin->n && (bin->cache != cache || bin->n == KIPC_MSG_BULK))
		kipc_msg_bin_flush(bin);
	bin->cache = cache;
	bin->objs[bin->n++] = msg;
}

/**
 * kipc_msg_free_list() - free every message on a list, in bulk
 * @list: the messages; left as it was, to be discarded
 */
void kipc_msg_free_list(struct list_head *list)
{
	struct kipc_msg_bin bin = {};
	struct kipc_msg *msg, *tmp;

	list_for_each_entry_safe(msg, tmp, list, node)
		kipc_msg_bin_add(&bin, msg);
	kipc_msg_bin_flush(&bin);
}

/**
 * kipc_msg_check() - whether a message may go to a queue
 * @mq: the queue
 * @len: the message's length
 * @prio: its priority
 *
 * Return: 0, -EMSGSIZE when @len is over the queue's max_msgsize, or
 * -EINVAL for a priority over KIPC_MQ_PRIO_MAX.
 */
int kipc_msg_check(struct kipc_mq *mq, u32 len, u32 prio)
{
	if (len > mq->max_msgsize)
		return -EMSGSIZE;
	if (prio > KIPC_MQ_PRIO_MAX)
		return -EINVAL;
	return 0;
}

/**
 * kipc_msg_from_user() - a message copied in from user space
 * @mq: the queue it is for (kipc_msg_check())
 * @ubuf: the user's payload
 * @len: its length
 * @prio: its priority
 *
 * Nothing is queued if this fails.
 *
 * Return: the message, or an ERR_PTR() of kipc_msg_check()'s errno,
 * -ENOMEM or -EFAULT.
 */
struct kipc_msg *kipc_msg_from_user(struct kipc_mq *mq, u64 ubuf, u32 len,
				    u32 prio)
{
	struct kipc_msg *msg;
	int ret;

	ret = kipc_msg_check(mq, len, prio);
	if (ret)
		return ERR_PTR(ret);
	msg = kipc_msg_alloc(len);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	msg->prio = prio;
	if (copy_from_user(msg->data, u64_to_user_ptr(ubuf), len)) {
		kipc_msg_free(msg);
		return ERR_PTR(-EFAULT);
	}
	return msg;
}

static char kipc_msg_cache_names[KIPC_MSG_CLASSES][16];

/**
 * kipc_msg_exit() - destroy the message caches
 *
 * Every message must have been freed. Also undoes a kipc_msg_init() that
 * failed half way.
 */
void kipc_msg_exit(void)
{
	unsigned int i;

	for (i = 0; i < KIPC_MSG_CLASSES; i++)
		kmem_cache_destroy(kipc_msg_caches[i]);
}

/**
 * kipc_msg_init() - create the message caches, one per size class
 *
 * Return: 0 or -ENOMEM.
 */
int kipc_msg_init(void)
{
	unsigned int i, size;

	/*
	 * Payloads are copied to and from user space, and the kernel is
	 * built with HARDENED_USERCOPY: whitelist them.
	 */
	for (i = 0; i < KIPC_MSG_CLASSES; i++) {
		size = kipc_msg_class_size(i);
		snprintf(kipc_msg_cache_names[i],
			 sizeof(kipc_msg_cache_names[i]), "kipc_msg-%u", size);
		kipc_msg_caches[i] =
			kmem_cache_create_usercopy(kipc_msg_cache_names[i],
						   size, 0, SLAB_ACCOUNT,
						   offsetof(struct kipc_msg, data),
						   size -
						   offsetof(struct kipc_msg, data),
						   NULL);
		if (!kipc_msg_caches[i]) {
			kipc_msg_exit();
			return -ENOMEM;
		}
	}
	return 0;
}
