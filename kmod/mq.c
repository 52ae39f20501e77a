// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: message queues.
 *
 * A queue's capacity (max_msgs messages of at most max_msgsize bytes) is
 * fixed at creation and charged to the limits in full then, as mq_open()
 * charges RLIMIT_MSGQUEUE, so that a send never fails for lack of quota.
 *
 * Locking overview
 * ================
 *
 * mq->lock (a spinlock) protects the messages, the waiter lists, the
 * statistics and mq->removed. It nests inside nothing, and kipc_lock is
 * never taken under it. User memory is never touched under it: a message is
 * copied in before the lock is taken and copied out after it is dropped.
 *
 * Messages sit on one list per priority, with a bitmap of the non-empty
 * lists, so both send and receive are O(1).
 *
 * Waiting follows ipc/mqueue.c: blocked senders and receivers queue up in
 * FIFO order on their own lists, and the task that makes progress possible
 * hands over directly. A sender that finds a receiver waiting gives it the
 * message without queueing it; a receiver that frees a slot moves the first
 * blocked sender's message into the queue. The waker sets the waiter's state
 * under mq->lock, and a waiter decides only under mq->lock, so no wake-up is
 * lost and exactly one task wakes per message. The wake-up itself happens
 * after mq->lock is dropped (struct kipc_wakeups), so that the woken task
 * does not spin on the lock its waker still holds.
 *
 * A message that cannot be copied out (EFAULT) goes back to the head of its
 * priority list. A slot freed meanwhile may have been filled, so depth may
 * pass max_msgs by the number of such messages until they are received;
 * losing the message instead would be worse.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/netlink.h>

#include "kipc_private.h"

/**
 * struct kipc_msg - one queued message
 * @node: on its priority list, or on a local list while in flight
 * @len: payload length
 * @prio: priority
 * @data: payload
 */
struct kipc_msg {
	struct list_head node;
	u32 len;
	u32 prio;
	char data[];
};

/*
 * Messages up to 4 KiB, header included, come from kipc's own caches of the
 * sizes kipc_msg_class_size() gives (so rmmod reports any that leak); larger
 * ones from kvmalloc(). With a 24-byte header, a 64-byte message costs 96
 * bytes.
 */

enum kipc_mq_wait_state {
	KIPC_MQ_WAITING,
	KIPC_MQ_READY,		/* the waker did the waiter's work */
	KIPC_MQ_TOOBIG,		/* receiver: the next message does not fit */
	KIPC_MQ_REMOVED,	/* the queue was removed */
};

/**
 * struct kipc_mq_waiter - a blocked sender or receiver, on its stack
 * @node: on mq->senders or mq->receivers (protected by mq->lock)
 * @task: the blocked task
 * @msg: sender: the message to queue; receiver: the message handed over
 * @buflen: receiver: the size of its buffer
 * @toobig: receiver: with KIPC_MQ_TOOBIG, the length that did not fit
 * @state: enum kipc_mq_wait_state (protected by mq->lock)
 * @woken_ns: when the waker set @state, ktime_get_ns()
 */
struct kipc_mq_waiter {
	struct list_head node;
	struct task_struct *task;
	struct kipc_msg *msg;
	u32 buflen;
	u32 toobig;
	int state;
	u64 woken_ns;
};

/**
 * struct kipc_mq - a message queue
 * @obj: the common object
 * @max_msgs: capacity in messages, fixed at creation
 * @max_msgsize: largest message in bytes, fixed at creation
 * @lock: see the locking overview
 * @prio: one FIFO of messages per priority (protected by @lock)
 * @prio_map: bit p set when @prio[p] is not empty (protected by @lock)
 * @depth: messages queued (protected by @lock)
 * @bytes: payload bytes queued (protected by @lock)
 * @senders: blocked senders, FIFO (protected by @lock)
 * @receivers: blocked receivers, FIFO (protected by @lock)
 * @nr_senders: length of @senders (protected by @lock)
 * @nr_receivers: length of @receivers (protected by @lock)
 * @removed: removed by an administrator (protected by @lock)
 * @poll_wq: poll and epoll waiters
 * @hwm: highest @depth seen (protected by @lock)
 * @sends: messages sent (protected by @lock)
 * @recvs: messages received (protected by @lock)
 * @lspid: last sender (protected by @lock)
 * @lrpid: last receiver (protected by @lock)
 * @stime: time of the last send, ns since the epoch (protected by @lock)
 * @rtime: time of the last receive (protected by @lock)
 */
struct kipc_mq {
	struct kipc_object obj;
	u32 max_msgs;
	u32 max_msgsize;

	spinlock_t lock;	/* see the locking overview */
	struct list_head prio[KIPC_MQ_PRIO_MAX + 1];
	u32 prio_map;
	u32 depth;
	u64 bytes;
	struct list_head senders;
	struct list_head receivers;
	u32 nr_senders;
	u32 nr_receivers;
	bool removed;
	wait_queue_head_t poll_wq;

	u32 hwm;
	u64 sends;
	u64 recvs;
	struct pid *lspid;
	struct pid *lrpid;
	u64 stime;
	u64 rtime;
};

static struct kmem_cache *kipc_mq_cache;
static struct kmem_cache *kipc_msg_caches[KIPC_MSG_CLASSES];

static struct kipc_mq *to_mq(struct kipc_object *obj)
{
	return container_of(obj, struct kipc_mq, obj);
}

static struct kipc_mq *file_mq(struct file *file)
{
	return to_mq(kipc_file_obj(file));
}

/* --- messages ------------------------------------------------------------ */

/* The cache for a message of @len bytes, or NULL for kvmalloc(). */
static struct kmem_cache *kipc_msg_cache(u32 len)
{
	unsigned int class = kipc_msg_class(offsetof(struct kipc_msg, data) +
					    (u64)len);

	return class < KIPC_MSG_CLASSES ? kipc_msg_caches[class] : NULL;
}

static struct kipc_msg *kipc_msg_alloc(u32 len)
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
	return msg;
}

static void kipc_msg_free(struct kipc_msg *msg)
{
	struct kmem_cache *cache = kipc_msg_cache(msg->len);

	if (cache)
		kmem_cache_free(cache, msg);
	else
		kvfree(msg);
}

/*
 * Messages freed together go back to their caches in bulk: one call per
 * run of the same size class, instead of one per message.
 */
#define KIPC_MSG_BULK	32

struct kipc_msg_bin {
	struct kmem_cache *cache;
	unsigned int n;
	void *objs[KIPC_MSG_BULK];
};

static void kipc_msg_bin_flush(struct kipc_msg_bin *bin)
{
	if (bin->n)
		kmem_cache_free_bulk(bin->cache, bin->n, bin->objs);
	bin->n = 0;
}

static void kipc_msg_bin_add(struct kipc_msg_bin *bin, struct kipc_msg *msg)
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

static void kipc_msg_free_list(struct list_head *list)
{
	struct kipc_msg_bin bin = {};
	struct kipc_msg *msg, *tmp;

	list_for_each_entry_safe(msg, tmp, list, node)
		kipc_msg_bin_add(&bin, msg);
	kipc_msg_bin_flush(&bin);
}

/* Whether a message of @len bytes at @prio may go to @mq: 0 or -errno. */
static int kipc_msg_check(struct kipc_mq *mq, u32 len, u32 prio)
{
	if (len > mq->max_msgsize)
		return -EMSGSIZE;
	if (prio > KIPC_MQ_PRIO_MAX)
		return -EINVAL;
	return 0;
}

/* A message copied in from user space: nothing is queued if this fails. */
static struct kipc_msg *kipc_msg_from_user(struct kipc_mq *mq, u64 ubuf,
					   u32 len, u32 prio)
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

/* --- the queue proper, all under mq->lock --------------------------------- */

static void kipc_mq_insert_locked(struct kipc_mq *mq, struct kipc_msg *msg,
				  bool at_head)
{
	lockdep_assert_held(&mq->lock);
	if (at_head)
		list_add(&msg->node, &mq->prio[msg->prio]);
	else
		list_add_tail(&msg->node, &mq->prio[msg->prio]);
	kipc_prio_map_set(&mq->prio_map, msg->prio);
	mq->depth++;
	mq->bytes += msg->len;
	if (mq->depth > mq->hwm)
		mq->hwm = mq->depth;
}

static struct kipc_msg *kipc_mq_head_locked(struct kipc_mq *mq)
{
	lockdep_assert_held(&mq->lock);
	if (!mq->prio_map)
		return NULL;
	return list_first_entry(&mq->prio[kipc_prio_map_top(mq->prio_map)],
				struct kipc_msg, node);
}

static void kipc_mq_unqueue_locked(struct kipc_mq *mq, struct kipc_msg *msg)
{
	lockdep_assert_held(&mq->lock);
	list_del(&msg->node);
	if (list_empty(&mq->prio[msg->prio]))
		kipc_prio_map_clear(&mq->prio_map, msg->prio);
	mq->depth--;
	mq->bytes -= msg->len;
}

static void kipc_mq_sent_locked(struct kipc_mq *mq, u32 n,
				struct task_struct *task)
{
	mq->sends += n;
	mq->stime = ktime_get_real_ns();
	kipc_set_last_pid(&mq->lspid, task);
}

static void kipc_mq_received_locked(struct kipc_mq *mq, u32 n,
				    struct task_struct *task)
{
	mq->recvs += n;
	mq->rtime = ktime_get_real_ns();
	kipc_set_last_pid(&mq->lrpid, task);
}

/*
 * Most queues are never polled: skip the wait queue's lock for them. The
 * check runs under mq->lock after the change, and ->poll() reads the state
 * under mq->lock after queueing itself, so a poller either is seen here or
 * sees the change.
 */
static void kipc_mq_poll_wake_locked(struct kipc_mq *mq, __poll_t mask)
{
	lockdep_assert_held(&mq->lock);
	if (wq_has_sleeper(&mq->poll_wq))
		wake_up_interruptible_poll(&mq->poll_wq, mask);
}

/*
 * Decide for waiter @w; it is woken through @wk once mq->lock is dropped.
 * From here on @w may go away: only its task is used, with a reference.
 */
static void kipc_mq_wake_locked(struct kipc_mq *mq, struct kipc_mq_waiter *w,
				int state, struct kipc_wakeups *wk)
{
	lockdep_assert_held(&mq->lock);
	list_del(&w->node);
	kipc_wake_defer(wk, w->task);
	w->woken_ns = ktime_get_ns();
	w->state = state;
}

static void kipc_mq_wake_receiver_locked(struct kipc_mq *mq,
					 struct kipc_mq_waiter *w, int state,
					 struct kipc_wakeups *wk)
{
	mq->nr_receivers--;
	kipc_mq_wake_locked(mq, w, state, wk);
}

static void kipc_mq_wake_sender_locked(struct kipc_mq *mq,
				       struct kipc_mq_waiter *w, int state,
				       struct kipc_wakeups *wk)
{
	mq->nr_senders--;
	kipc_mq_wake_locked(mq, w, state, wk);
}

/*
 * Receivers wait only on an empty queue. Give @msg (not queued) to the
 * first one whose buffer it fits, and say whether one took it.
 */
static bool kipc_mq_hand_off_locked(struct kipc_mq *mq, struct kipc_msg *msg,
				    struct kipc_wakeups *wk)
{
	struct kipc_mq_waiter *w;

	lockdep_assert_held(&mq->lock);
	list_for_each_entry(w, &mq->receivers, node) {
		if (msg->len > w->buflen)
			continue;
		w->msg = msg;
		kipc_mq_received_locked(mq, 1, w->task);
		kipc_mq_wake_receiver_locked(mq, w, KIPC_MQ_READY, wk);
		return true;
	}
	return false;
}

/* A queued message of @len fits none of the receivers: they all learn so. */
static void kipc_mq_too_big_locked(struct kipc_mq *mq, u32 len,
				   struct kipc_wakeups *wk)
{
	struct kipc_mq_waiter *w, *tmp;

	lockdep_assert_held(&mq->lock);
	list_for_each_entry_safe(w, tmp, &mq->receivers, node) {
		w->toobig = len;
		kipc_mq_wake_receiver_locked(mq, w, KIPC_MQ_TOOBIG, wk);
	}
}

/*
 * Hand over or queue one message that is already copied in, without the
 * send statistics and the poll wake-up, which the caller does once for all
 * it sends. Returns 1 when the message was queued, 0 when it was handed
 * over (the queue owns it either way), -EAGAIN when the queue is full, or
 * -EIDRM.
 */
static int kipc_mq_push_locked(struct kipc_mq *mq, struct kipc_msg *msg,
			       struct kipc_wakeups *wk)
{
	lockdep_assert_held(&mq->lock);
	if (mq->removed)
		return -EIDRM;
	if (kipc_mq_hand_off_locked(mq, msg, wk))
		return 0;
	if (mq->depth >= mq->max_msgs)
		return -EAGAIN;

	kipc_mq_insert_locked(mq, msg, false);
	kipc_mq_too_big_locked(mq, msg->len, wk);
	return 1;
}

/* What follows sending @n messages, @queued of them into the queue. */
static void kipc_mq_pushed_locked(struct kipc_mq *mq, u32 n, bool queued)
{
	kipc_mq_sent_locked(mq, n, current);
	if (queued)
		kipc_mq_poll_wake_locked(mq, EPOLLIN | EPOLLRDNORM);
}

/* Send one message: 0, -EAGAIN or -EIDRM as kipc_mq_push_locked(). */
static int kipc_mq_send_locked(struct kipc_mq *mq, struct kipc_msg *msg,
			       struct kipc_wakeups *wk)
{
	int ret = kipc_mq_push_locked(mq, msg, wk);

	if (ret < 0)
		return ret;
	kipc_mq_pushed_locked(mq, 1, ret);
	return 0;
}

/*
 * Messages appeared without a send (they were put back): hand them to
 * receivers that went to sleep on the empty queue meanwhile, so that
 * receivers only ever wait on an empty queue.
 */
static void kipc_mq_feed_receivers_locked(struct kipc_mq *mq,
					  struct kipc_wakeups *wk)
{
	struct kipc_msg *msg;

	lockdep_assert_held(&mq->lock);
	while (!list_empty(&mq->receivers) && (msg = kipc_mq_head_locked(mq))) {
		kipc_mq_unqueue_locked(mq, msg);
		if (kipc_mq_hand_off_locked(mq, msg, wk))
			continue;
		kipc_mq_insert_locked(mq, msg, true);
		kipc_mq_too_big_locked(mq, msg->len, wk);
	}
}

/* Slots were freed: move blocked senders' messages into them. */
static void kipc_mq_refill_locked(struct kipc_mq *mq, struct kipc_wakeups *wk)
{
	struct kipc_mq_waiter *w;
	__poll_t mask = 0;

	lockdep_assert_held(&mq->lock);
	while (mq->depth < mq->max_msgs && !list_empty(&mq->senders)) {
		w = list_first_entry(&mq->senders, struct kipc_mq_waiter, node);
		kipc_mq_insert_locked(mq, w->msg, false);
		kipc_mq_sent_locked(mq, 1, w->task);
		kipc_mq_wake_sender_locked(mq, w, KIPC_MQ_READY, wk);
		/* An arrival like any other: EPOLLET watchers must hear of it. */
		mask = EPOLLIN | EPOLLRDNORM;
	}
	if (mq->depth < mq->max_msgs)
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (mask)
		kipc_mq_poll_wake_locked(mq, mask);
}

/*
 * Take up to @max messages that fit @buflens onto @out. Returns how many,
 * or -EMSGSIZE (with *toobig set) when the first does not fit, or -EAGAIN
 * when the queue is empty.
 */
static int kipc_mq_take_locked(struct kipc_mq *mq, struct list_head *out,
			       const u32 *buflens, u32 max, u32 *toobig,
			       struct kipc_wakeups *wk)
{
	struct kipc_msg *msg;
	u32 n = 0;

	lockdep_assert_held(&mq->lock);
	if (mq->removed)
		return -EIDRM;
	/* From the top priority down, each list's leading run in one cut. */
	while (n < max && mq->prio_map) {
		unsigned int p = kipc_prio_map_top(mq->prio_map);
		struct list_head *head = &mq->prio[p];
		struct kipc_msg *last = NULL;
		LIST_HEAD(run);
		u64 bytes = 0;
		u32 k = 0;

		list_for_each_entry(msg, head, node) {
			if (n + k == max || msg->len > buflens[n + k])
				break;
			last = msg;
			bytes += msg->len;
			k++;
		}
		if (!k) {
			msg = list_first_entry(head, struct kipc_msg, node);
			if (!n) {
				*toobig = msg->len;
				return -EMSGSIZE;
			}
			break;
		}
		list_cut_position(&run, head, &last->node);
		list_splice_tail(&run, out);
		mq->depth -= k;
		mq->bytes -= bytes;
		n += k;
		/* Stopped inside the list: at @max, or at one that is too big. */
		if (!list_empty(head))
			break;
		kipc_prio_map_clear(&mq->prio_map, p);
	}
	if (!n)
		return -EAGAIN;
	kipc_mq_received_locked(mq, n, current);
	kipc_mq_refill_locked(mq, wk);
	return n;
}

/* --- waiting ------------------------------------------------------------- */

/*
 * Before sleeping, wait on the CPU (deadline.c's spin-then-block) for what
 * would end the wait: a message for a receiver, room for a sender. The
 * peeks are unlocked, so the caller must look again under mq->lock whenever
 * the lock was dropped, whatever the peeks saw: the last of them may have
 * just missed an arrival. Called and returns with mq->lock held. Returns
 * whether the lock was dropped.
 */
static bool kipc_mq_spin_locked(struct kipc_mq *mq, bool sender,
				const struct kipc_deadline *dl)
	__must_hold(&mq->lock)
{
	struct kipc_spin spin;
	bool removed;
	u32 depth;

	lockdep_assert_held(&mq->lock);
	/* Those asleep already come first: a spin could not win. */
	if (sender ? mq->nr_senders : mq->nr_receivers)
		return false;
	if (!kipc_spin_begin(&spin, dl))
		return false;
	spin_unlock(&mq->lock);
	do {
		/* Racy by design: a hint to stop spinning, decided again. */
		removed = data_race(READ_ONCE(mq->removed));
		/* Likewise. */
		depth = data_race(READ_ONCE(mq->depth));
		if (removed || (sender ? depth < mq->max_msgs : depth))
			break;
	} while (kipc_spin_more(&spin));
	spin_lock(&mq->lock);
	return true;
}

/*
 * Sleep on @list until a waker sets w->state, a signal comes or the deadline
 * passes. Called and returns with mq->lock held. On return w is off the list
 * and w->state says whether a waker acted; if none did, the return value is
 * -ERESTARTSYS, -ETIMEDOUT or -EAGAIN.
 */
static int kipc_mq_wait_locked(struct kipc_mq *mq, struct kipc_mq_waiter *w,
			       bool sender, const struct kipc_deadline *dl)
	__must_hold(&mq->lock)
{
	int ret = 0;

	lockdep_assert_held(&mq->lock);
	if (dl->nonblock)
		return -EAGAIN;
	if (kipc_deadline_passed(dl))
		return -ETIMEDOUT;

	w->task = current;
	w->state = KIPC_MQ_WAITING;
	if (sender) {
		list_add_tail(&w->node, &mq->senders);
		mq->nr_senders++;
	} else {
		list_add_tail(&w->node, &mq->receivers);
		mq->nr_receivers++;
	}

	for (;;) {
		bool in_time;

		__set_current_state(TASK_INTERRUPTIBLE);
		spin_unlock(&mq->lock);
		in_time = kipc_deadline_sleep(dl);
		spin_lock(&mq->lock);

		if (w->state != KIPC_MQ_WAITING) {
			kipc_block_sample(w->woken_ns);
			return 0;
		}
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		if (!in_time) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	list_del(&w->node);
	if (sender)
		mq->nr_senders--;
	else
		mq->nr_receivers--;
	return ret;
}

/* --- send ---------------------------------------------------------------- */

/* Send @msg, waiting for room. On success the queue owns @msg. */
static int kipc_mq_send_one(struct kipc_mq *mq, struct kipc_msg *msg,
			    const struct kipc_deadline *dl)
{
	struct kipc_mq_waiter w = { .msg = msg };
	struct kipc_wakeups wk = {};
	int ret;

	spin_lock(&mq->lock);
	ret = kipc_mq_send_locked(mq, msg, &wk);
	if (ret == -EAGAIN && kipc_mq_spin_locked(mq, true, dl))
		ret = kipc_mq_send_locked(mq, msg, &wk);
	if (ret == -EAGAIN) {
		/* A full queue: nobody was woken. */
		ret = kipc_mq_wait_locked(mq, &w, true, dl);
		if (!ret && w.state == KIPC_MQ_REMOVED)
			ret = -EIDRM;
	}
	spin_unlock(&mq->lock);
	kipc_wake_all(&wk);
	return ret;
}

static int kipc_mq_send_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_mq_send *cmd = ucmd->cmd;
	struct kipc_deadline dl;
	struct kipc_msg *msg;
	int ret;

	if ((cmd->flags & ~(KIPC_WAIT_NONBLOCK | KIPC_WAIT_DEADLINE)) ||
	    cmd->__reserved)
		return -EOPNOTSUPP;
	if (!(ucmd->file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = kipc_deadline_init(&dl, ucmd->file, cmd->flags, cmd->clockid,
				 cmd->deadline);
	if (ret)
		return ret;

	msg = kipc_msg_from_user(mq, cmd->buf, cmd->len, cmd->prio);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	ret = kipc_mq_send_one(mq, msg, &dl);
	if (ret)
		kipc_msg_free(msg);
	return ret;
}

static ssize_t kipc_mq_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *ppos)
{
	struct kipc_mq *mq = file_mq(file);
	struct kipc_deadline dl;
	struct kipc_msg *msg;
	int ret;

	if (len > mq->max_msgsize)
		return -EMSGSIZE;
	kipc_deadline_init(&dl, file, 0, 0, 0);
	msg = kipc_msg_from_user(mq, (unsigned long)buf, len, 0);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	ret = kipc_mq_send_one(mq, msg, &dl);
	if (ret) {
		kipc_msg_free(msg);
		return ret;
	}
	return len;
}

/* --- receive ------------------------------------------------------------- */

/*
 * Take up to @max messages into @out, waiting for the first. Returns how
 * many, or a negative errno with *toobig set for -EMSGSIZE.
 */
static int kipc_mq_recv_many(struct kipc_mq *mq, struct list_head *out,
			     const u32 *buflens, u32 max,
			     const struct kipc_deadline *dl, u32 *toobig)
{
	struct kipc_mq_waiter w = { .buflen = buflens[0] };
	struct kipc_wakeups wk = {};
	int n;

	spin_lock(&mq->lock);
	n = kipc_mq_take_locked(mq, out, buflens, max, toobig, &wk);
	if (n == -EAGAIN && kipc_mq_spin_locked(mq, false, dl))
		n = kipc_mq_take_locked(mq, out, buflens, max, toobig, &wk);
	/* An empty queue: nobody was woken. */
	if (n != -EAGAIN)
		goto out_unlock;

	n = kipc_mq_wait_locked(mq, &w, false, dl);
	if (n)
		goto out_unlock;
	switch (w.state) {
	case KIPC_MQ_READY:
		list_add_tail(&w.msg->node, out);
		n = 1;
		/* Whatever else is there comes along without waiting. */
		if (max > 1) {
			int more = kipc_mq_take_locked(mq, out, buflens + 1,
						       max - 1, toobig, &wk);
			if (more > 0)
				n += more;
		}
		break;
	case KIPC_MQ_TOOBIG:
		*toobig = w.toobig;
		n = -EMSGSIZE;
		break;
	default:
		n = -EIDRM;
		break;
	}
out_unlock:
	spin_unlock(&mq->lock);
	kipc_wake_all(&wk);
	return n;
}

/*
 * Messages that could not be copied out go back to the heads of their
 * lists, last first, so the queue is as it was.
 */
static void kipc_mq_put_back(struct kipc_mq *mq, struct list_head *msgs)
{
	struct kipc_wakeups wk = {};
	struct kipc_msg *msg, *tmp;

	if (list_empty(msgs))
		return;
	spin_lock(&mq->lock);
	/* Nobody received them, whether they go back or go away. */
	list_for_each_entry(msg, msgs, node)
		mq->recvs--;
	if (mq->removed) {
		spin_unlock(&mq->lock);
		kipc_msg_free_list(msgs);
		return;
	}
	list_for_each_entry_safe_reverse(msg, tmp, msgs, node) {
		list_del(&msg->node);
		kipc_mq_insert_locked(mq, msg, true);
	}
	kipc_mq_feed_receivers_locked(mq, &wk);
	kipc_mq_poll_wake_locked(mq, EPOLLIN | EPOLLRDNORM);
	spin_unlock(&mq->lock);
	kipc_wake_all(&wk);
}

/*
 * Copy the one message received onto @msgs to @ubuf and then, with @ucmd,
 * the call's struct (its out fields already set from the message). A fault
 * puts the message back where it was, so nothing is lost. Returns the
 * message's length, or -EFAULT.
 */
static int kipc_mq_deliver(struct kipc_mq *mq, struct list_head *msgs,
			   void __user *ubuf, struct kipc_ucmd *ucmd,
			   size_t size)
{
	struct kipc_msg *msg = list_first_entry(msgs, struct kipc_msg, node);
	int len = msg->len;

	if (copy_to_user(ubuf, msg->data, msg->len) ||
	    (ucmd && kipc_ucmd_respond(ucmd, size))) {
		kipc_mq_put_back(mq, msgs);
		return -EFAULT;
	}
	kipc_msg_free(msg);
	return len;
}

static int kipc_mq_recv_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_mq_recv *cmd = ucmd->cmd;
	struct kipc_deadline dl;
	struct kipc_msg *msg;
	LIST_HEAD(msgs);
	u32 toobig = 0;
	int ret;

	if (cmd->flags & ~(KIPC_WAIT_NONBLOCK | KIPC_WAIT_DEADLINE))
		return -EOPNOTSUPP;
	if (!(ucmd->file->f_mode & FMODE_READ))
		return -EBADF;
	ret = kipc_deadline_init(&dl, ucmd->file, cmd->flags, cmd->clockid,
				 cmd->deadline);
	if (ret)
		return ret;

	ret = kipc_mq_recv_many(mq, &msgs, &cmd->len, 1, &dl, &toobig);
	if (ret == -EMSGSIZE) {
		cmd->out_len = toobig;
		cmd->out_prio = 0;
		if (kipc_ucmd_respond(ucmd, sizeof(*cmd)))
			return -EFAULT;
		return -EMSGSIZE;
	}
	if (ret < 0)
		return ret;

	msg = list_first_entry(&msgs, struct kipc_msg, node);
	cmd->out_len = msg->len;
	cmd->out_prio = msg->prio;
	return kipc_mq_deliver(mq, &msgs, u64_to_user_ptr(cmd->buf), ucmd,
			       sizeof(*cmd));
}

static const struct file_operations kipc_mq_fops;

/*
 * Send then receive in one call. The send is SEND's and the receive RECV's,
 * each with the O_NONBLOCK of its own fd; what is particular is only that
 * after the send a failure must say so (KIPC_SENDRECV_SENT) and must not
 * restart, which would send twice. The out fields are written back on
 * every failure, so a struct reused from an earlier call cannot claim a
 * send that did not happen.
 */
static int kipc_mq_sendrecv_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq_sendrecv *cmd = ucmd->cmd;
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_deadline sdl, rdl;
	struct file *rfile = NULL;
	struct kipc_msg *msg;
	LIST_HEAD(msgs);
	u32 toobig = 0;
	int ret;

	cmd->out_flags = 0;
	cmd->out_len = 0;
	cmd->out_prio = 0;
	if ((cmd->flags & ~(KIPC_WAIT_NONBLOCK | KIPC_WAIT_DEADLINE)) ||
	    cmd->__reserved || cmd->__reserved2) {
		ret = -EOPNOTSUPP;
		goto out_respond;
	}
	if (!(ucmd->file->f_mode & FMODE_WRITE)) {
		ret = -EBADF;
		goto out_respond;
	}
	ret = kipc_deadline_init(&sdl, ucmd->file, cmd->flags, cmd->clockid,
				 cmd->deadline);
	if (ret)
		goto out_respond;
	rfile = fget(cmd->recv_fd);
	if (!rfile) {
		ret = -EBADF;
		goto out_respond;
	}
	if (rfile->f_op != &kipc_mq_fops) {
		ret = -EINVAL;
		goto out_respond;
	}
	if (!(rfile->f_mode & FMODE_READ)) {
		ret = -EBADF;
		goto out_respond;
	}
	/* Valid, as the same fields were for the send half. */
	kipc_deadline_init(&rdl, rfile, cmd->flags, cmd->clockid,
			   cmd->deadline);

	msg = kipc_msg_from_user(mq, cmd->send_buf, cmd->send_len,
				 cmd->send_prio);
	if (IS_ERR(msg)) {
		ret = PTR_ERR(msg);
		goto out_respond;
	}
	ret = kipc_mq_send_one(mq, msg, &sdl);
	if (ret) {
		kipc_msg_free(msg);
		/* Not sent: -ERESTARTSYS restarts, as SEND's would. */
		goto out_respond;
	}

	cmd->out_flags = KIPC_SENDRECV_SENT;
	ret = kipc_mq_recv_many(file_mq(rfile), &msgs, &cmd->recv_len, 1, &rdl,
				&toobig);
	if (ret == -ERESTARTSYS)
		ret = -EINTR;
	if (ret == -EMSGSIZE)
		cmd->out_len = toobig;
	if (ret < 0)
		goto out_respond;

	msg = list_first_entry(&msgs, struct kipc_msg, node);
	cmd->out_len = msg->len;
	cmd->out_prio = msg->prio;
	ret = kipc_mq_deliver(file_mq(rfile), &msgs,
			      u64_to_user_ptr(cmd->recv_buf), ucmd,
			      sizeof(*cmd));
	if (ret < 0)
		goto out_respond;
	goto out_fput;

out_respond:
	/* The caller must learn whether the send happened. */
	kipc_ucmd_respond(ucmd, sizeof(*cmd));
out_fput:
	if (rfile)
		fput(rfile);
	return ret;
}

static ssize_t kipc_mq_read(struct file *file, char __user *buf, size_t len,
			    loff_t *ppos)
{
	struct kipc_mq *mq = file_mq(file);
	u32 buflen = min_t(size_t, len, U32_MAX);
	struct kipc_deadline dl;
	LIST_HEAD(msgs);
	u32 toobig;
	ssize_t ret;

	kipc_deadline_init(&dl, file, 0, 0, 0);
	ret = kipc_mq_recv_many(mq, &msgs, &buflen, 1, &dl, &toobig);
	if (ret < 0)
		return ret;
	return kipc_mq_deliver(mq, &msgs, buf, NULL, 0);
}

/* --- vectored ------------------------------------------------------------ */

/*
 * What SENDV and RECVV share: the flag, access and deadline checks, and the
 * copy of the vector. Needs @mode (FMODE_READ or FMODE_WRITE) on the fd.
 */
/*
 * Read the @n entries of @uvec field by field, in one user access: the
 * same one read each field once, as copy_from_user() of the array would,
 * without a rep movs over it (see KIPC_MSG_SMALL).
 */
static int kipc_mq_vec_read(struct kipc_mq_vec *vec,
			    const struct kipc_mq_vec __user *uvec, u32 n)
{
	u32 k;

	if (!user_read_access_begin(uvec, n * sizeof(*uvec)))
		return -EFAULT;
	for (k = 0; k < n; k++) {
		unsafe_get_user(vec[k].buf, &uvec[k].buf, efault);
		unsafe_get_user(vec[k].len, &uvec[k].len, efault);
		unsafe_get_user(vec[k].prio, &uvec[k].prio, efault);
	}
	user_read_access_end();
	return 0;
efault:
	user_read_access_end();
	return -EFAULT;
}

static struct kipc_mq_vec *kipc_mq_vec_begin(struct kipc_ucmd *ucmd,
					     fmode_t mode,
					     struct kipc_deadline *dl)
{
	struct kipc_mq_sendv *cmd = ucmd->cmd;
	struct kipc_mq_vec *vec;
	int ret;

	if ((cmd->flags & ~(KIPC_WAIT_NONBLOCK | KIPC_WAIT_DEADLINE)) ||
	    cmd->__reserved)
		return ERR_PTR(-EOPNOTSUPP);
	if (!(ucmd->file->f_mode & mode))
		return ERR_PTR(-EBADF);
	ret = kipc_deadline_init(dl, ucmd->file, cmd->flags, cmd->clockid,
				 cmd->deadline);
	if (ret)
		return ERR_PTR(ret);
	ret = kipc_mq_vec_check(cmd->count);
	if (ret)
		return ERR_PTR(ret);
	/* count is bounded above, so the size cannot overflow. */
	vec = kvmalloc_array(cmd->count, sizeof(*vec), GFP_KERNEL);
	if (!vec)
		return ERR_PTR(-ENOMEM);
	ret = kipc_mq_vec_read(vec, u64_to_user_ptr(cmd->vec), cmd->count);
	if (ret) {
		kvfree(vec);
		return ERR_PTR(ret);
	}
	return vec;
}

/*
 * Payload bytes SENDV copies in ahead of one hold of mq->lock. A batch is
 * queued under one lock hold and its receivers woken once, after it: a
 * receiver that is woken by the first message then finds the rest already
 * there, instead of one wake-up per message. The bound keeps what a sender
 * that waits for room pins small.
 */
#define KIPC_MQ_SENDV_BATCH	(64 * 1024)

/*
 * Send the messages on @batch in order, under one lock hold. Only the first
 * may wait for room, and only if @may_wait. Returns how many went (the
 * queue owns them; the rest stay on @batch), or -errno when none did.
 */
/*
 * With nobody waiting to receive, nothing is handed over and nothing is
 * too big for anyone: a batch of one priority that fits whole is spliced
 * onto its list at once. Returns how many were queued, all or none.
 */
static int kipc_mq_splice_batch_locked(struct kipc_mq *mq,
				       struct list_head *batch)
{
	struct kipc_msg *msg;
	u32 prio, count = 0;
	u64 bytes = 0;

	lockdep_assert_held(&mq->lock);
	if (mq->removed || !list_empty(&mq->receivers) || list_empty(batch))
		return 0;
	prio = list_first_entry(batch, struct kipc_msg, node)->prio;
	list_for_each_entry(msg, batch, node) {
		if (msg->prio != prio)
			return 0;
		bytes += msg->len;
		count++;
	}
	/* depth may exceed max_msgs: kipc_mq_put_back() does not bound it. */
	if (mq->depth >= mq->max_msgs || count > mq->max_msgs - mq->depth)
		return 0;
	list_splice_tail_init(batch, &mq->prio[prio]);
	kipc_prio_map_set(&mq->prio_map, prio);
	mq->depth += count;
	mq->bytes += bytes;
	mq->hwm = max(mq->hwm, mq->depth);
	return count;
}

static int kipc_mq_send_batch(struct kipc_mq *mq, struct list_head *batch,
			      bool may_wait, const struct kipc_deadline *dl)
{
	struct kipc_mq_waiter w = {};
	struct kipc_wakeups wk = {};
	struct kipc_msg *msg, *tmp;
	int n = 0, pushed = 0, ret = 0;
	bool queued = false;

	spin_lock(&mq->lock);
	pushed = kipc_mq_splice_batch_locked(mq, batch);
	queued = pushed;
	n = pushed;
	list_for_each_entry_safe(msg, tmp, batch, node) {
		list_del(&msg->node);
		ret = kipc_mq_push_locked(mq, msg, &wk);
		if (ret == -EAGAIN && may_wait && !n &&
		    kipc_mq_spin_locked(mq, true, dl))
			ret = kipc_mq_push_locked(mq, msg, &wk);
		if (ret == -EAGAIN && may_wait && !n) {
			/* A full queue: nobody was woken yet. */
			w.msg = msg;
			ret = kipc_mq_wait_locked(mq, &w, true, dl);
			if (!ret && w.state == KIPC_MQ_REMOVED)
				ret = -EIDRM;
			/* A waker queued it and counted it. */
			if (!ret) {
				n++;
				continue;
			}
		}
		if (ret < 0) {
			list_add(&msg->node, batch);
			break;
		}
		queued |= ret;
		pushed++;
		n++;
	}
	if (pushed)
		kipc_mq_pushed_locked(mq, pushed, queued);
	spin_unlock(&mq->lock);
	kipc_wake_all(&wk);
	return n ? n : ret;
}

/*
 * Payloads up to this size are copied in word by word, in one user access
 * for a whole run of messages, as filldir() and strncpy_from_user() do: a
 * user access (stac/clac) and a rep movs of its own for each would cost
 * more than the copy itself. Larger ones take copy_from_user().
 */
#define KIPC_MSG_SMALL	256

/*
 * Copy the payloads of @vec[0..@run), each at most KIPC_MSG_SMALL bytes,
 * into the messages @objs. The destinations are fresh objects of a class
 * that holds each length, so there is nothing for hardened usercopy to
 * check. Returns how many were copied whole.
 */
static u32 kipc_msgs_copy_small(void **objs, const struct kipc_mq_vec *vec,
				u32 run)
{
	const char __user *src;
	struct kipc_msg *msg;
	u32 k, len;
	char *dst;

	for (k = 0; k < run; k++)
		if (!access_ok(u64_to_user_ptr(vec[k].buf), vec[k].len))
			break;
	run = k;
	if (!run || !user_read_access_begin(u64_to_user_ptr(vec[0].buf),
					    vec[0].len))
		return 0;
	for (k = 0; k < run; k++) {
		msg = objs[k];
		dst = msg->data;
		src = u64_to_user_ptr(vec[k].buf);
		len = vec[k].len;
		for (; len >= sizeof(u64); len -= sizeof(u64)) {
			unsafe_get_user(*(u64 *)dst, (const u64 __user *)src,
					out);
			dst += sizeof(u64);
			src += sizeof(u64);
		}
		for (; len; len--)
			unsafe_get_user(*dst++, src++, out);
	}
out:
	user_read_access_end();
	return k;
}

/* Copy in the payloads of @vec[0..@run) one by one. */
static u32 kipc_msgs_copy(void **objs, const struct kipc_mq_vec *vec,
			  u32 run)
{
	struct kipc_msg *msg;
	u32 k;

	for (k = 0; k < run; k++) {
		msg = objs[k];
		if (copy_from_user(msg->data, u64_to_user_ptr(vec[k].buf),
				   vec[k].len))
			break;
	}
	return k;
}

/*
 * Copy in the messages of @vec from *@i on, up to KIPC_MQ_SENDV_BATCH
 * payload bytes (at least one message), onto @batch, allocating each run of
 * messages of one size class in bulk. Returns 0, or the error of entry *@i,
 * with the entries before it on @batch.
 */
static int kipc_mq_batch_from_user(struct kipc_mq *mq,
				   const struct kipc_mq_vec *vec, u32 count,
				   u32 *i, struct list_head *batch)
{
	void *objs[KIPC_MSG_BULK];
	const struct kipc_mq_vec *v;
	struct kmem_cache *cache;
	struct kipc_msg *msg;
	u32 run, k, copied;
	size_t bytes = 0;
	bool small;
	int ret;

	while (*i < count &&
	       (list_empty(batch) || bytes + vec[*i].len <= KIPC_MQ_SENDV_BATCH)) {
		v = &vec[*i];
		ret = kipc_msg_check(mq, v->len, v->prio);
		if (ret)
			return ret;
		cache = kipc_msg_cache(v->len);
		if (!cache) {
			msg = kipc_msg_from_user(mq, v->buf, v->len, v->prio);
			if (IS_ERR(msg))
				return PTR_ERR(msg);
			list_add_tail(&msg->node, batch);
			bytes += msg->len;
			(*i)++;
			continue;
		}

		/* The run of valid entries of this class that fits the batch. */
		small = v->len <= KIPC_MSG_SMALL;
		bytes += v->len;
		for (run = 1; run < KIPC_MSG_BULK && *i + run < count; run++) {
			const struct kipc_mq_vec *next = &v[run];

			if (kipc_msg_check(mq, next->len, next->prio) ||
			    kipc_msg_cache(next->len) != cache ||
			    bytes + next->len > KIPC_MQ_SENDV_BATCH)
				break;
			small &= next->len <= KIPC_MSG_SMALL;
			bytes += next->len;
		}
		if (!kmem_cache_alloc_bulk(cache, GFP_KERNEL_ACCOUNT, run, objs))
			return -ENOMEM;
		for (k = 0; k < run; k++) {
			msg = objs[k];
			msg->len = v[k].len;
			msg->prio = v[k].prio;
		}
		copied = small ? kipc_msgs_copy_small(objs, v, run) :
				 kipc_msgs_copy(objs, v, run);
		for (k = 0; k < copied; k++) {
			msg = objs[k];
			list_add_tail(&msg->node, batch);
		}
		*i += copied;
		if (copied < run) {
			kmem_cache_free_bulk(cache, run - copied, objs + copied);
			return -EFAULT;
		}
	}
	return 0;
}

static int kipc_mq_sendv_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_mq_sendv *cmd = ucmd->cmd;
	struct kipc_deadline dl;
	struct kipc_mq_vec *vec;
	u32 i = 0, n = 0, first;
	int ret = 0, sent;

	vec = kipc_mq_vec_begin(ucmd, FMODE_WRITE, &dl);
	if (IS_ERR(vec))
		return PTR_ERR(vec);

	/*
	 * Only the first message may wait, and the rest go while there is
	 * room. An error at entry i still reports the i sent before it.
	 */
	while (i < cmd->count && !ret) {
		LIST_HEAD(batch);

		first = i;
		ret = kipc_mq_batch_from_user(mq, vec, cmd->count, &i, &batch);
		if (i == first)
			break;
		sent = kipc_mq_send_batch(mq, &batch, !n, &dl);
		kipc_msg_free_list(&batch);
		if (sent < 0) {
			ret = sent;
			break;
		}
		n += sent;
		if (sent < i - first)
			break;
	}
	kvfree(vec);
	if (!n)
		return ret;

	cmd->out_count = n;
	kipc_ucmd_respond(ucmd, sizeof(*cmd));
	return n;
}

/*
 * Write the length and priority of the first @count messages on @msgs to
 * @uvec, in one user access rather than two per message. Returns how many
 * entries were written whole.
 */
static u32 kipc_mq_vec_report(struct kipc_mq_vec __user *uvec,
			      struct list_head *msgs, u32 count)
{
	struct kipc_msg *msg;
	u32 n = 0;

	if (!count || !user_access_begin(uvec, count * sizeof(*uvec)))
		return 0;
	list_for_each_entry(msg, msgs, node) {
		if (n == count)
			break;
		unsafe_put_user(msg->len, &uvec[n].len, out);
		unsafe_put_user(msg->prio, &uvec[n].prio, out);
		n++;
	}
out:
	user_access_end();
	return n;
}

/*
 * Deliver @count messages of @msgs, each at most KIPC_MSG_SMALL bytes, to
 * @vec's buffers and report their lengths and priorities in @uvec, all in
 * one user access (see KIPC_MSG_SMALL). The sources are whole queued
 * messages, so there is nothing for hardened usercopy to check. Returns how
 * many were delivered whole.
 */
static u32 kipc_mq_vec_deliver_small(const struct kipc_mq_vec *vec,
				     struct kipc_mq_vec __user *uvec,
				     struct list_head *msgs, u32 count)
{
	struct kipc_msg *msg;
	u32 n = 0;

	list_for_each_entry(msg, msgs, node) {
		if (n == count ||
		    !access_ok(u64_to_user_ptr(vec[n].buf), msg->len))
			break;
		n++;
	}
	count = n;
	n = 0;
	if (!count || !user_write_access_begin(uvec, count * sizeof(*uvec)))
		return 0;
	list_for_each_entry(msg, msgs, node) {
		if (n == count)
			break;
		unsafe_copy_to_user(u64_to_user_ptr(vec[n].buf), msg->data,
				    msg->len, out);
		unsafe_put_user(msg->len, &uvec[n].len, out);
		unsafe_put_user(msg->prio, &uvec[n].prio, out);
		n++;
	}
out:
	user_write_access_end();
	return n;
}

static int kipc_mq_recvv_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_mq_sendv *cmd = ucmd->cmd;
	struct kipc_msg_bin bin = {};
	struct kipc_msg *msg, *tmp;
	struct kipc_deadline dl;
	struct kipc_mq_vec *vec;
	LIST_HEAD(msgs);
	LIST_HEAD(done);
	u32 *buflens;
	u32 i, toobig;
	bool small;
	int n;

	vec = kipc_mq_vec_begin(ucmd, FMODE_READ, &dl);
	if (IS_ERR(vec))
		return PTR_ERR(vec);
	buflens = kvmalloc_array(cmd->count, sizeof(*buflens), GFP_KERNEL);
	if (!buflens) {
		kvfree(vec);
		return -ENOMEM;
	}
	for (i = 0; i < cmd->count; i++)
		buflens[i] = vec[i].len;

	n = kipc_mq_recv_many(mq, &msgs, buflens, cmd->count, &dl, &toobig);
	kvfree(buflens);
	if (n < 0)
		goto out_free_vec;

	small = true;
	list_for_each_entry(msg, &msgs, node)
		small &= msg->len <= KIPC_MSG_SMALL;
	if (small) {
		i = kipc_mq_vec_deliver_small(vec, u64_to_user_ptr(cmd->vec),
					      &msgs, n);
	} else {
		/* The payloads, then every length and priority at once. */
		i = 0;
		list_for_each_entry(msg, &msgs, node) {
			if (copy_to_user(u64_to_user_ptr(vec[i].buf),
					 msg->data, msg->len))
				break;
			i++;
		}
		i = kipc_mq_vec_report(u64_to_user_ptr(cmd->vec), &msgs, i);
	}
	/* The first i went out: cut them off and free them, the rest stay. */
	if (i) {
		n = 0;
		list_for_each_entry(msg, &msgs, node)
			if (++n == i)
				break;
		list_cut_position(&done, &msgs, &msg->node);
		list_for_each_entry_safe(msg, tmp, &done, node)
			kipc_msg_bin_add(&bin, msg);
		kipc_msg_bin_flush(&bin);
	}
	/* What could not be delivered stays queued. */
	kipc_mq_put_back(mq, &msgs);
	n = i ? i : -EFAULT;
	if (i) {
		cmd->out_count = i;
		kipc_ucmd_respond(ucmd, sizeof(*cmd));
	}
out_free_vec:
	kvfree(vec);
	return n;
}

/* --- peek, getattr, poll --------------------------------------------------- */

static struct kipc_msg *kipc_mq_nth_locked(struct kipc_mq *mq, u32 index)
{
	struct kipc_msg *msg;
	int p;

	lockdep_assert_held(&mq->lock);
	if (index >= mq->depth)
		return NULL;
	for (p = KIPC_MQ_PRIO_MAX; p >= 0; p--) {
		list_for_each_entry(msg, &mq->prio[p], node)
			if (!index--)
				return msg;
	}
	return NULL;
}

static int kipc_mq_peek_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_mq_peek *cmd = ucmd->cmd;
	struct kipc_msg *msg, *copy = NULL;
	int ret;

	if (cmd->flags)
		return -EOPNOTSUPP;
	if (!(ucmd->file->f_mode & FMODE_READ))
		return -EBADF;

	/*
	 * The copy-out cannot happen under mq->lock, and the message may be
	 * received meanwhile, so copy it into a bounce buffer sized on a
	 * first look, and look again if it changed.
	 */
	for (;;) {
		u32 len;

		spin_lock(&mq->lock);
		ret = mq->removed ? -EIDRM : 0;
		msg = ret ? NULL : kipc_mq_nth_locked(mq, cmd->index);
		if (!ret && !msg)
			ret = -ENOENT;
		if (ret) {
			spin_unlock(&mq->lock);
			goto out_free;
		}
		cmd->out_len = msg->len;
		cmd->out_prio = msg->prio;
		if (msg->len > cmd->len) {
			spin_unlock(&mq->lock);
			ret = -EMSGSIZE;
			goto out_respond;
		}
		if (copy && copy->len == msg->len) {
			memcpy(copy->data, msg->data, msg->len);
			spin_unlock(&mq->lock);
			break;
		}
		len = msg->len;
		spin_unlock(&mq->lock);
		if (copy)
			kipc_msg_free(copy);
		copy = kipc_msg_alloc(len);
		if (!copy)
			return -ENOMEM;
	}
	if (copy_to_user(u64_to_user_ptr(cmd->buf), copy->data, copy->len)) {
		ret = -EFAULT;
		goto out_free;
	}
out_respond:
	if (kipc_ucmd_respond(ucmd, sizeof(*cmd)))
		ret = -EFAULT;
out_free:
	if (copy)
		kipc_msg_free(copy);
	return ret ? ret : cmd->out_len;
}

static int kipc_mq_getattr_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_mq *mq = file_mq(ucmd->file);
	struct kipc_mq_getattr *cmd = ucmd->cmd;
	int ret = 0;

	if (cmd->flags)
		return -EOPNOTSUPP;
	spin_lock(&mq->lock);
	if (mq->removed)
		ret = -EIDRM;
	cmd->out_max_msgs = mq->max_msgs;
	cmd->out_max_msgsize = mq->max_msgsize;
	cmd->out_depth = mq->depth;
	cmd->__reserved = 0;
	cmd->out_bytes = mq->bytes;
	spin_unlock(&mq->lock);
	if (ret)
		return ret;
	return kipc_ucmd_respond(ucmd, sizeof(*cmd));
}

static __poll_t kipc_mq_poll(struct file *file, poll_table *wait)
{
	struct kipc_mq *mq = file_mq(file);
	__poll_t mask = 0;

	poll_wait(file, &mq->poll_wq, wait);
	spin_lock(&mq->lock);
	if (mq->removed) {
		mask = EPOLLERR | EPOLLHUP;
	} else {
		if (mq->depth)
			mask |= EPOLLIN | EPOLLRDNORM;
		if (mq->depth < mq->max_msgs)
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	spin_unlock(&mq->lock);
	return mask;
}

/* --- object ops ---------------------------------------------------------- */

unsigned int kipc_mq_max_msgs = 65536;
module_param_named(mq_max_msgs, kipc_mq_max_msgs, uint, 0644);
MODULE_PARM_DESC(mq_max_msgs, "Largest max_msgs of a new queue (default 65536)");

/*
 * A message is one allocation and its length comes back as an int, so the
 * ceiling itself has one: 64 MiB, far above any sane message.
 */
#define KIPC_MQ_MSGSIZE_CEILING	(64U << 20)

static int kipc_set_msgsize(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, KIPC_MQ_MSGSIZE_CEILING);
}

static const struct kernel_param_ops kipc_msgsize_ops = {
	.set = kipc_set_msgsize,
	.get = param_get_uint,
};

unsigned int kipc_mq_max_msgsize = 1 << 20;
module_param_cb(mq_max_msgsize, &kipc_msgsize_ops, &kipc_mq_max_msgsize, 0644);
MODULE_PARM_DESC(mq_max_msgsize, "Largest max_msgsize of a new queue in bytes, 1..64 MiB (default 1 MiB)");

static int kipc_mq_validate(const union kipc_attr *attr, u64 *bytes)
{
	const struct kipc_mq_attr *a = &attr->mq;

	if (!a->max_msgs || a->max_msgs > READ_ONCE(kipc_mq_max_msgs) ||
	    !a->max_msgsize || a->max_msgsize > READ_ONCE(kipc_mq_max_msgsize))
		return -EINVAL;
	*bytes = kipc_mq_charge(a->max_msgs, a->max_msgsize);
	return 0;
}

static struct kipc_object *kipc_mq_alloc(const union kipc_attr *attr)
{
	struct kipc_mq *mq;
	int p;

	mq = kmem_cache_zalloc(kipc_mq_cache, GFP_KERNEL_ACCOUNT);
	if (!mq)
		return ERR_PTR(-ENOMEM);
	mq->max_msgs = attr->mq.max_msgs;
	mq->max_msgsize = attr->mq.max_msgsize;
	spin_lock_init(&mq->lock);
	for (p = 0; p <= KIPC_MQ_PRIO_MAX; p++)
		INIT_LIST_HEAD(&mq->prio[p]);
	INIT_LIST_HEAD(&mq->senders);
	INIT_LIST_HEAD(&mq->receivers);
	init_waitqueue_head(&mq->poll_wq);
	return &mq->obj;
}

/* Unlink every message; the caller frees them outside the lock. */
static void kipc_mq_drain_locked(struct kipc_mq *mq, struct list_head *out)
{
	int p;

	lockdep_assert_held(&mq->lock);
	for (p = 0; p <= KIPC_MQ_PRIO_MAX; p++)
		list_splice_init(&mq->prio[p], out);
	mq->prio_map = 0;
	mq->depth = 0;
	mq->bytes = 0;
}

static void kipc_mq_free(struct kipc_object *obj)
{
	struct kipc_mq *mq = to_mq(obj);
	LIST_HEAD(msgs);

	/* No fd is left, so nobody waits and nobody polls. */
	spin_lock(&mq->lock);
	kipc_mq_drain_locked(mq, &msgs);
	spin_unlock(&mq->lock);
	kipc_msg_free_list(&msgs);
	put_pid(mq->lspid);
	put_pid(mq->lrpid);
	kmem_cache_free(kipc_mq_cache, mq);
}

static void kipc_mq_remove(struct kipc_object *obj)
{
	struct kipc_mq *mq = to_mq(obj);
	struct kipc_mq_waiter *w, *tmp;
	struct kipc_wakeups wk = {};
	LIST_HEAD(msgs);

	spin_lock(&mq->lock);
	mq->removed = true;
	kipc_mq_drain_locked(mq, &msgs);
	list_for_each_entry_safe(w, tmp, &mq->receivers, node)
		kipc_mq_wake_receiver_locked(mq, w, KIPC_MQ_REMOVED, &wk);
	list_for_each_entry_safe(w, tmp, &mq->senders, node)
		kipc_mq_wake_sender_locked(mq, w, KIPC_MQ_REMOVED, &wk);
	wake_up_interruptible_poll(&mq->poll_wq, EPOLLERR | EPOLLHUP);
	spin_unlock(&mq->lock);
	kipc_wake_all(&wk);
	kipc_msg_free_list(&msgs);
}

static void kipc_mq_fill_attr(struct kipc_object *obj, union kipc_attr *attr)
{
	struct kipc_mq *mq = to_mq(obj);

	attr->mq.max_msgs = mq->max_msgs;
	attr->mq.max_msgsize = mq->max_msgsize;
}

/* A consistent copy of a queue's statistics, taken under mq->lock. */
struct kipc_mq_stats {
	u32 depth, hwm, nr_senders, nr_receivers;
	u64 bytes, sends, recvs, stime, rtime;
	pid_t lspid, lrpid;
};

static int kipc_mq_fill_nl(struct sk_buff *skb, struct kipc_object *obj,
			   struct pid_namespace *pid_ns)
{
	struct kipc_mq *mq = to_mq(obj);
	struct kipc_mq_stats st;

	spin_lock(&mq->lock);
	st.depth = mq->depth;
	st.hwm = mq->hwm;
	st.nr_senders = mq->nr_senders;
	st.nr_receivers = mq->nr_receivers;
	st.bytes = mq->bytes;
	st.sends = mq->sends;
	st.recvs = mq->recvs;
	st.stime = mq->stime;
	st.rtime = mq->rtime;
	st.lspid = pid_nr_ns(mq->lspid, pid_ns);
	st.lrpid = pid_nr_ns(mq->lrpid, pid_ns);
	spin_unlock(&mq->lock);

	if (nla_put_u32(skb, KIPC_A_OBJ_MQ_MAX_MSGS, mq->max_msgs) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_MAX_MSGSIZE, mq->max_msgsize) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_DEPTH, st.depth) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_MQ_BYTES, st.bytes,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_HWM, st.hwm) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_MQ_SENDS, st.sends,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_MQ_RECVS, st.recvs,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_WAIT_SEND, st.nr_senders) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_WAIT_RECV, st.nr_receivers) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_LSPID, st.lspid) ||
	    nla_put_u32(skb, KIPC_A_OBJ_MQ_LRPID, st.lrpid) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_MQ_STIME, st.stime,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_MQ_RTIME, st.rtime,
			      KIPC_A_OBJ_PAD))
		return -EMSGSIZE;
	return 0;
}

static char kipc_msg_cache_names[KIPC_MSG_CLASSES][16];

static void kipc_mq_exit(void)
{
	unsigned int i;

	for (i = 0; i < KIPC_MSG_CLASSES; i++)
		kmem_cache_destroy(kipc_msg_caches[i]);
	kmem_cache_destroy(kipc_mq_cache);
}

static int kipc_mq_init(void)
{
	unsigned int i, size;

	kipc_mq_cache = KMEM_CACHE(kipc_mq, SLAB_ACCOUNT);
	if (!kipc_mq_cache)
		return -ENOMEM;
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
			kipc_mq_exit();
			return -ENOMEM;
		}
	}
	return 0;
}

static const struct kipc_ioctl_op kipc_mq_ioctl_ops[] = {
	KIPC_IOCTL_OP(KIPC_IOC_MQ_SEND, kipc_mq_send_ioctl,
		      struct kipc_mq_send, deadline),
	KIPC_IOCTL_OP(KIPC_IOC_MQ_RECV, kipc_mq_recv_ioctl,
		      struct kipc_mq_recv, out_prio),
	KIPC_IOCTL_OP(KIPC_IOC_MQ_SENDV, kipc_mq_sendv_ioctl,
		      struct kipc_mq_sendv, __reserved),
	KIPC_IOCTL_OP(KIPC_IOC_MQ_RECVV, kipc_mq_recvv_ioctl,
		      struct kipc_mq_sendv, __reserved),
	KIPC_IOCTL_OP(KIPC_IOC_MQ_PEEK, kipc_mq_peek_ioctl,
		      struct kipc_mq_peek, out_prio),
	KIPC_IOCTL_OP(KIPC_IOC_MQ_GETATTR, kipc_mq_getattr_ioctl,
		      struct kipc_mq_getattr, out_bytes),
	KIPC_IOCTL_OP(KIPC_IOC_MQ_SENDRECV, kipc_mq_sendrecv_ioctl,
		      struct kipc_mq_sendrecv, __reserved2),
};

static const struct file_operations kipc_mq_fops = {
	.owner = THIS_MODULE,
	.release = kipc_obj_file_release,
	.unlocked_ioctl = kipc_obj_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.read = kipc_mq_read,
	.write = kipc_mq_write,
	.poll = kipc_mq_poll,
	.llseek = noop_llseek,
};

const struct kipc_type_ops kipc_mq_ops = {
	.type = KIPC_OBJ_MQ,
	.name = "mq",
	.fops = &kipc_mq_fops,
	.ioctl_ops = kipc_mq_ioctl_ops,
	.n_ioctl_ops = ARRAY_SIZE(kipc_mq_ioctl_ops),
	.attr_size = sizeof(struct kipc_mq_attr),
	.validate = kipc_mq_validate,
	.alloc = kipc_mq_alloc,
	.free = kipc_mq_free,
	.remove = kipc_mq_remove,
	.fill_attr = kipc_mq_fill_attr,
	.fill_nl = kipc_mq_fill_nl,
	.init = kipc_mq_init,
	.exit = kipc_mq_exit,
};
