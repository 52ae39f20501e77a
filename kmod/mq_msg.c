// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the messages of queues: allocation from per-size-class caches,
 * freeing in bulk, and copying in from user space.
 *
 * Messages up to 4 KiB, header included, come from kipc's own caches of the
 * sizes kipc_msg_class_size() gives (so rmmod reports any that leak); larger
 * ones from kvmalloc(). With a 64-byte header, a 32-byte message costs 96
 * bytes.
 *
 * On a KIPC_MQ_CREDS queue a message also holds its sender's credentials
 * (kipc_msg_stamp()): a reference to its pid, which every way of freeing a
 * message (kipc_msg_free(), kipc_msg_bin_add(), so kipc_msg_free_list()
 * too) drops.
 *
 * On a KIPC_MQ_REGIONS queue a message may carry a region
 * (kipc_msg_attach_region()): a reference to its object. A message sent
 * with KIPC_SEND_REPLYTO holds a weak reference to its reply queue (struct
 * kipc_mq_replyref, kipc_msg_reply_drop()). Every way of freeing a message
 * drops both (kipc_msg_put_refs()); those ways run in process context,
 * outside every lock, as dropping may take kipc_lock.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
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
	msg->pid = NULL;
	msg->region = NULL;
	msg->reply = NULL;
	return msg;
}

/* --- reply-tos and the hang-up counts they take part in ------------------ */

/**
 * kipc_mq_hup_get() - KIPC_MQ_HUP: count a new sender and/or receiver
 * @mq: the queue, which has KIPC_MQ_HUP
 * @writer: a sender: a description open for writing, or a message with a
 *	reply-to naming @mq
 * @reader: a receiver
 *
 * One that comes back clears its side's hang-up.
 */
void kipc_mq_hup_get(struct kipc_mq *mq, bool writer, bool reader)
{
	spin_lock(&mq->lock);
	if (writer) {
		mq->nwriters++;
		WRITE_ONCE(mq->wr_hup, false);
	}
	if (reader) {
		mq->nreaders++;
		WRITE_ONCE(mq->rd_hup, false);
	}
	spin_unlock(&mq->lock);
}

/*
 * The last receiver went: requests queued with a reply-to will never be
 * answered, and their callers wait on them (their reply queue counts them
 * as senders), so they go, as a pipe's data goes with its last reader.
 * Other messages stay for a receiver that may come back.
 */
static void kipc_mq_drop_requests_locked(struct kipc_mq *mq,
					 struct list_head *out)
{
	struct kipc_msg *msg, *tmp;
	int p;

	lockdep_assert_held(&mq->lock);
	for (p = 0; p <= KIPC_MQ_PRIO_MAX; p++) {
		list_for_each_entry_safe(msg, tmp, &mq->prio[p], node) {
			if (!msg->reply)
				continue;
			list_move_tail(&msg->node, out);
			mq->depth--;
			mq->bytes -= msg->len;
		}
		if (list_empty(&mq->prio[p]))
			mq->prio_map &= ~(1U << p);
	}
}

/**
 * kipc_mq_hup_put() - KIPC_MQ_HUP: a sender and/or a receiver went
 * @mq: the queue, which has KIPC_MQ_HUP
 * @writer: a sender went
 * @reader: a receiver went
 * @dropped: gets the requests the last receiver leaves unanswered, for
 *	the caller to free (kipc_msg_free_list())
 *
 * The last of a side wakes the other side's waiters with the hang-up.
 * Receivers wait only on an empty queue; they are at end-of-file unless a
 * message taken by another receiver may still come back, in which case the
 * last delivery wakes them (kipc_mq_delivered()). May sleep.
 */
void kipc_mq_hup_put(struct kipc_mq *mq, bool writer, bool reader,
		     struct list_head *dropped)
{
	bool wake_rd = false, wake_wr = false;
	__poll_t mask = 0;

	spin_lock(&mq->lock);
	if (writer && !--mq->nwriters) {
		WRITE_ONCE(mq->wr_hup, true);
		/*
		 * With messages queued or on their way out, the last of them
		 * to be delivered wakes the receivers instead
		 * (kipc_mq_delivered()).
		 */
		smp_mb();
		if (kipc_mq_at_eof_locked(mq)) {
			wake_rd = true;
			mask |= EPOLLHUP;
		}
	}
	if (reader && !--mq->nreaders) {
		WRITE_ONCE(mq->rd_hup, true);
		wake_wr = true;
		mask |= EPOLLERR;
		if (!mq->removed)
			kipc_mq_drop_requests_locked(mq, dropped);
	}
	if (mask)
		kipc_mq_poll_wake_locked(mq, mask);
	spin_unlock(&mq->lock);
	if (wake_rd)
		kipc_waitq_wake_all(&mq->receivers, &mq->lock,
				    KIPC_WAITER_HUP, kipc_mq_eof_cond, mq);
	if (wake_wr)
		kipc_waitq_wake_all(&mq->senders, &mq->lock, KIPC_WAITER_HUP,
				    kipc_mq_rd_hup_cond, mq);
}

/**
 * kipc_mq_replyref_get() - the weak reference to a queue, made if need be
 * @mq: the queue, held by the caller
 *
 * Return: @mq's struct kipc_mq_replyref with a new reference for the
 * caller, or NULL when out of memory.
 */
struct kipc_mq_replyref *kipc_mq_replyref_get(struct kipc_mq *mq)
{
	struct kipc_mq_replyref *ref = READ_ONCE(mq->replyref), *old;

	if (!ref) {
		ref = kmalloc(sizeof(*ref), GFP_KERNEL_ACCOUNT);
		if (!ref)
			return NULL;
		/* The queue's own reference, dropped by its teardown. */
		refcount_set(&ref->ref, 1);
		spin_lock_init(&ref->lock);
		ref->obj = &mq->obj;
		old = cmpxchg(&mq->replyref, NULL, ref);
		if (old) {
			kfree(ref);
			ref = old;
		}
	}
	refcount_inc(&ref->ref);
	return ref;
}

static void kipc_mq_replyref_put(struct kipc_mq_replyref *ref)
{
	if (refcount_dec_and_test(&ref->ref))
		kfree(ref);
}

/**
 * kipc_msg_set_reply() - give a message a reply-to (KIPC_SEND_REPLYTO)
 * @msg: the message, not yet sent
 * @rmq: the reply queue, held by the caller
 *
 * On a KIPC_MQ_HUP reply queue the message counts as a sender from now on,
 * until kipc_msg_reply_drop().
 *
 * Return: 0 or -ENOMEM.
 */
int kipc_msg_set_reply(struct kipc_msg *msg, struct kipc_mq *rmq)
{
	msg->reply = kipc_mq_replyref_get(rmq);
	if (!msg->reply)
		return -ENOMEM;
	if (rmq->flags & KIPC_MQ_HUP)
		kipc_mq_hup_get(rmq, true, false);
	return 0;
}

/**
 * kipc_mq_replyref_detach() - a queue's last reference is gone
 * @mq: the queue, about to be freed
 *
 * From now on its reply-tos resolve to nothing. A resolve that got in
 * first took its reference with refcount_inc_not_zero(), which failed, as
 * the refcount is zero already.
 */
void kipc_mq_replyref_detach(struct kipc_mq *mq)
{
	struct kipc_mq_replyref *ref = mq->replyref;

	if (!ref)
		return;
	spin_lock(&ref->lock);
	ref->obj = NULL;
	spin_unlock(&ref->lock);
	kipc_mq_replyref_put(ref);
}

/**
 * kipc_msg_reply_resolve() - the reply queue of a message
 * @msg: a message, with or without a reply-to
 *
 * Return: the queue with a new reference (kipc_obj_put()), or NULL when
 * @msg has no reply-to or its queue is gone.
 */
struct kipc_object *kipc_msg_reply_resolve(const struct kipc_msg *msg)
{
	struct kipc_mq_replyref *ref = msg->reply;
	struct kipc_object *obj;

	if (!ref)
		return NULL;
	spin_lock(&ref->lock);
	obj = ref->obj;
	if (obj && !refcount_inc_not_zero(&obj->ref))
		obj = NULL;
	spin_unlock(&ref->lock);
	return obj;
}

/**
 * kipc_msg_reply_drop() - drop a message's reply-to, if any
 * @msg: the message, being freed
 *
 * On a KIPC_MQ_HUP reply queue still there, the message stops counting as
 * one of its senders: the last one gives its receivers end-of-file. May
 * sleep (kipc_obj_put()).
 */
void kipc_msg_reply_drop(struct kipc_msg *msg)
{
	struct kipc_mq_replyref *ref = msg->reply;
	struct kipc_object *obj;

	if (!ref)
		return;
	obj = kipc_msg_reply_resolve(msg);
	if (obj) {
		/* Only a receiver's going drops requests. */
		if (to_mq(obj)->flags & KIPC_MQ_HUP)
			kipc_mq_hup_put(to_mq(obj), true, false, NULL);
		kipc_obj_put(obj);
	}
	msg->reply = NULL;
	kipc_mq_replyref_put(ref);
}

/*
 * What a message holds besides its memory: its sender's pid, its region,
 * its reply-to. May sleep.
 */
static void kipc_msg_put_refs(struct kipc_msg *msg)
{
	put_pid(msg->pid);
	if (msg->region)
		kipc_obj_put(msg->region);
	kipc_msg_reply_drop(msg);
}

/**
 * kipc_msg_free() - free a message
 * @msg: a message from kipc_msg_alloc(), on no list
 *
 * Context: may sleep (a region's last reference); never under mq->lock.
 */
void kipc_msg_free(struct kipc_msg *msg)
{
	struct kmem_cache *cache = kipc_msg_cache(msg->len);

	kipc_msg_put_refs(msg);
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

	kipc_msg_put_refs(msg);
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
 * kipc_msg_stamp() - record the sender's credentials in a message
 * @mq: the queue it is sent to
 * @msg: the message, copied in by the sending task, whose pid is NULL
 *
 * On a KIPC_MQ_CREDS queue, the calling task's thread-group pid (a
 * reference) and its effective uid and gid, as SO_PEERCRED records them;
 * nothing on other queues. Called in the sender's context, on every way a
 * message is made for sending, so each send path (a queued message, a
 * hand-off to a waiting receiver, a blocked sender's message moved in
 * later) carries them.
 */
void kipc_msg_stamp(struct kipc_mq *mq, struct kipc_msg *msg)
{
	if (!(mq->flags & KIPC_MQ_CREDS))
		return;
	msg->pid = get_pid(task_tgid(current));
	msg->uid = current_euid();
	msg->gid = current_egid();
}

/**
 * kipc_msg_creds() - a message's sender, as the receiver sees it
 * @msg: a message of a KIPC_MQ_CREDS queue
 * @creds: filled in
 *
 * Translated into the calling task's pid and user namespaces, as
 * SCM_CREDENTIALS is: pid 0 when not visible there, the overflow ids when
 * not mapped.
 */
void kipc_msg_creds(const struct kipc_msg *msg, struct kipc_creds *creds)
{
	struct user_namespace *uns = current_user_ns();

	creds->pid = pid_vnr(msg->pid);
	creds->uid = from_kuid_munged(uns, msg->uid);
	creds->gid = from_kgid_munged(uns, msg->gid);
	creds->__reserved = 0;
}

/**
 * kipc_mq_creds_check() - whether a receive may ask for credentials
 * @mq: the queue received from
 * @flags: the call's flags
 * @user_size: the caller's size of the call's struct
 * @end: where the struct's credentials field ends
 *
 * Checked before anything is received.
 *
 * Return: 0, or without KIPC_RECV_CREDS; -EINVAL when @user_size does not
 * reach @end; -EOPNOTSUPP for a queue without KIPC_MQ_CREDS.
 */
int kipc_mq_creds_check(struct kipc_mq *mq, u32 flags, u32 user_size,
			size_t end)
{
	if (!(flags & KIPC_RECV_CREDS))
		return 0;
	if (user_size < end)
		return -EINVAL;
	if (!(mq->flags & KIPC_MQ_CREDS))
		return -EOPNOTSUPP;
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
	kipc_msg_stamp(mq, msg);
	return msg;
}

/**
 * kipc_mq_region_check() - whether a call may use the region flags
 * @flags: the call's flags
 * @user_size: the caller's size of the call's struct
 * @send_end: where the struct's region fd to send ends, 0 for a call that
 *	does not send
 * @recv_end: where its region fd received ends, 0 for a call that does not
 *	receive
 *
 * Checked before anything is sent or received.
 *
 * Return: 0; -EINVAL for KIPC_SEND_SEALED without KIPC_SEND_REGION, or a
 * @user_size that does not reach a field a flag asks for.
 */
int kipc_mq_region_check(u32 flags, u32 user_size, size_t send_end,
			 size_t recv_end)
{
	if ((flags & KIPC_SEND_SEALED) && !(flags & KIPC_SEND_REGION))
		return -EINVAL;
	if ((flags & KIPC_SEND_REGION) && user_size < send_end)
		return -EINVAL;
	if ((flags & KIPC_RECV_REGION) && user_size < recv_end)
		return -EINVAL;
	return 0;
}

/**
 * kipc_msg_attach_region() - make a message carry a region
 * @mq: the queue it is sent to
 * @msg: the message, not sent yet, carrying no region
 * @flags: the send's flags: KIPC_SEND_REGION, KIPC_SEND_SEALED
 * @fd: the sender's fd of the region
 *
 * Takes a reference to the region's object and the access of @fd, never
 * its file: a file pins the module, and a named queue holding a message
 * must still be freed at unload. Only regions travel: a region carries no
 * fd, so no reference cycle can form. Nothing without KIPC_SEND_REGION. On
 * failure @msg carries nothing; freeing it drops what it carries.
 *
 * Return: 0; -EOPNOTSUPP for a queue without KIPC_MQ_REGIONS; -EBADF when
 * @fd is not open; -EINVAL when it is not a kipc region; -EACCES when the
 * caller neither owns nor created it and is no administrator of its
 * namespace; -EPERM for KIPC_SEND_SEALED and a region without
 * KIPC_SEAL_WRITE and KIPC_SEAL_SHRINK.
 */
int kipc_msg_attach_region(struct kipc_mq *mq, struct kipc_msg *msg,
			   u32 flags, int fd)
{
	struct kipc_object *obj;
	struct file *file;
	int ret = 0;

	if (!(flags & KIPC_SEND_REGION))
		return 0;
	if (!(mq->flags & KIPC_MQ_REGIONS))
		return -EOPNOTSUPP;
	file = fget(fd);
	if (!file)
		return -EBADF;
	if (file->f_op != kipc_shm_ops.fops) {
		ret = -EINVAL;
		goto out_fput;
	}
	obj = kipc_file_obj(file);
	/*
	 * A queued region outlives every process and keeps its creator's
	 * charge: only its owner or creator may park it in a queue, not
	 * whoever was handed an fd of it.
	 */
	if (!kipc_obj_owned_by(obj, current_fsuid()) &&
	    !ns_capable(obj->ipc_ns->user_ns, CAP_SYS_ADMIN)) {
		ret = -EACCES;
		goto out_fput;
	}
	if ((flags & KIPC_SEND_SEALED) &&
	    (kipc_shm_seals(obj) & (KIPC_SEAL_WRITE | KIPC_SEAL_SHRINK)) !=
	    (KIPC_SEAL_WRITE | KIPC_SEAL_SHRINK)) {
		ret = -EPERM;
		goto out_fput;
	}
	/* The file holds a reference, so the object's count is above 0. */
	refcount_inc(&obj->ref);
	msg->region = obj;
	msg->region_access = 0;
	if (file->f_mode & FMODE_READ)
		msg->region_access |= KIPC_OPEN_READ;
	if (file->f_mode & FMODE_WRITE)
		msg->region_access |= KIPC_OPEN_WRITE;
out_fput:
	fput(file);
	return ret;
}

/**
 * kipc_msg_region_file() - the receiver's new file for a message's region
 * @msg: a received message that carries a region
 *
 * With the access the sender's fd had; the caller installs it after
 * kipc_obj_attach(), or fput()s it.
 *
 * Return: the file, holding its own reference to the region, or an
 * ERR_PTR().
 */
struct file *kipc_msg_region_file(struct kipc_msg *msg)
{
	struct file *file;

	refcount_inc(&msg->region->ref);
	file = kipc_obj_getfile(msg->region, msg->region_access);
	if (IS_ERR(file))
		kipc_obj_put(msg->region);
	return file;
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
