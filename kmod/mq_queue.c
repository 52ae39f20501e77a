// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the queue proper. Messages on their priority lists, blocked
 * senders and receivers and the hand-over between them, all under
 * mq->lock (see the locking overview in mq.c), and the sending and
 * receiving of one call's worth around it.
 */
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "mq.h"
#include "kipc_trace.h"

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
	kipc_waitq_peer_locked(&mq->receivers, task);
}

static void kipc_mq_received_locked(struct kipc_mq *mq, u32 n,
				    struct task_struct *task)
{
	/* Until copied out they may come back: not yet end-of-file. */
	if (mq->flags & KIPC_MQ_HUP)
		atomic_add(n, &mq->inflight);
	mq->recvs += n;
	mq->rtime = ktime_get_real_ns();
	kipc_set_last_pid(&mq->lrpid, task);
	kipc_waitq_peer_locked(&mq->senders, task);
}

/* Whether a receiver may take @msg: a region needs KIPC_RECV_REGION. */
static bool kipc_mq_takes(const struct kipc_msg *msg, bool region)
{
	return !msg->region || region;
}

/*
 * Receivers wait only on an empty queue. Give @msg (not queued) to the
 * first one whose buffer it fits and that takes its region, and say
 * whether one took it.
 */
static bool kipc_mq_hand_off_locked(struct kipc_mq *mq, struct kipc_msg *msg,
				    struct kipc_wakeups *wk)
{
	struct kipc_mq_waiter *mw;

	lockdep_assert_held(&mq->lock);
	list_for_each_entry(mw, &mq->receivers.list, w.node) {
		if (msg->len > mw->buflen || !kipc_mq_takes(msg, mw->region))
			continue;
		mw->msg = msg;
		kipc_mq_received_locked(mq, 1, mw->w.task);
		kipc_waiter_wake_locked(&mq->receivers, &mw->w,
					KIPC_WAITER_DONE, wk);
		return true;
	}
	return false;
}

/*
 * A queued message fits none of the receivers (or carries a region none of
 * them takes): they all learn so.
 */
static void kipc_mq_too_big_locked(struct kipc_mq *mq,
				   const struct kipc_msg *msg,
				   struct kipc_wakeups *wk)
{
	struct kipc_mq_waiter *mw, *tmp;

	lockdep_assert_held(&mq->lock);
	list_for_each_entry_safe(mw, tmp, &mq->receivers.list, w.node) {
		mw->toobig = msg->len;
		mw->badmsg = msg->len <= mw->buflen;
		kipc_waiter_wake_locked(&mq->receivers, &mw->w,
					KIPC_WAITER_TOOBIG, wk);
	}
}

/*
 * KIPC_MQ_FULL_DROP: make room for @msg on the full queue by taking the
 * oldest message of the lowest priority queued off onto @dropped, unless
 * @msg's priority is below every queued one's. Says whether it made room.
 */
static bool kipc_mq_drop_locked(struct kipc_mq *mq, struct kipc_msg *msg,
				struct list_head *dropped)
{
	struct kipc_msg *victim;

	lockdep_assert_held(&mq->lock);
	/* Full, with max_msgs at least 1: something is queued. */
	if (!mq->prio_map ||
	    msg->prio < kipc_prio_map_bottom(mq->prio_map))
		return false;
	victim = list_first_entry(&mq->prio[kipc_prio_map_bottom(mq->prio_map)],
				  struct kipc_msg, node);
	kipc_mq_unqueue_locked(mq, victim);
	list_add_tail(&victim->node, dropped);
	mq->drops++;
	trace_kipc_mq_drop(&mq->obj, victim->len, victim->prio);
	return true;
}

/**
 * kipc_mq_push_locked() - hand over or queue one message
 * @mq: the queue
 * @msg: the message, already copied in
 * @wk: the receiver it went to, to wake after the unlock
 * @dropped: KIPC_MQ_FULL_DROP: where a message dropped to make room goes,
 *	for the caller to free with kipc_msg_free_list() after the unlock
 *
 * Without the send statistics and the poll wake-up, which the caller does
 * once for all it sends (kipc_mq_pushed_locked()).
 *
 * Context: under mq->lock.
 * Return: 1 when the message was queued, 0 when it was handed over (the
 * queue owns it either way), -EAGAIN when the queue is full (and, for
 * KIPC_MQ_FULL_DROP, @msg's priority is below every queued message's),
 * -EIDRM, or -EPIPE when no receiver is left (KIPC_MQ_HUP).
 */
int kipc_mq_push_locked(struct kipc_mq *mq, struct kipc_msg *msg,
			struct kipc_wakeups *wk, struct list_head *dropped)
{
	lockdep_assert_held(&mq->lock);
	if (mq->removed)
		return -EIDRM;
	if (mq->rd_hup)
		return -EPIPE;
	kipc_trace_mq_stamp(&msg->qtime);
	if (kipc_mq_hand_off_locked(mq, msg, wk))
		return 0;
	/* depth may exceed max_msgs after a put-back: drop one, still over. */
	if (mq->depth >= mq->max_msgs &&
	    (!(mq->flags & KIPC_MQ_FULL_DROP) ||
	     !kipc_mq_drop_locked(mq, msg, dropped)))
		return -EAGAIN;

	kipc_mq_insert_locked(mq, msg, false);
	kipc_mq_too_big_locked(mq, msg, wk);
	return 1;
}

/**
 * kipc_mq_pushed_locked() - what follows sending messages
 * @mq: the queue
 * @n: how many were sent
 * @queued: whether some went into the queue rather than to a receiver
 *
 * Context: under mq->lock.
 */
void kipc_mq_pushed_locked(struct kipc_mq *mq, u32 n, bool queued)
{
	kipc_mq_sent_locked(mq, n, current);
	if (queued)
		kipc_mq_poll_wake_locked(mq, EPOLLIN | EPOLLRDNORM);
}

/* Send one message: 0, -EAGAIN or -EIDRM as kipc_mq_push_locked(). */
static int kipc_mq_send_locked(struct kipc_mq *mq, struct kipc_msg *msg,
			       struct kipc_wakeups *wk,
			       struct list_head *dropped)
{
	int ret = kipc_mq_push_locked(mq, msg, wk, dropped);

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
	while (!list_empty(&mq->receivers.list) &&
	       (msg = kipc_mq_head_locked(mq))) {
		kipc_mq_unqueue_locked(mq, msg);
		if (kipc_mq_hand_off_locked(mq, msg, wk))
			continue;
		kipc_mq_insert_locked(mq, msg, true);
		kipc_mq_too_big_locked(mq, msg, wk);
	}
}

/* Slots were freed: move blocked senders' messages into them. */
static void kipc_mq_refill_locked(struct kipc_mq *mq, struct kipc_wakeups *wk)
{
	struct kipc_mq_waiter *mw;
	__poll_t mask = 0;

	lockdep_assert_held(&mq->lock);
	while (mq->depth < mq->max_msgs && !list_empty(&mq->senders.list)) {
		mw = list_first_entry(&mq->senders.list, struct kipc_mq_waiter,
				      w.node);
		kipc_trace_mq_stamp(&mw->msg->qtime);
		kipc_mq_insert_locked(mq, mw->msg, false);
		kipc_mq_sent_locked(mq, 1, mw->w.task);
		kipc_waiter_wake_locked(&mq->senders, &mw->w,
					KIPC_WAITER_DONE, wk);
		/* An arrival like any other: EPOLLET watchers must hear of it. */
		mask = EPOLLIN | EPOLLRDNORM;
	}
	if (mq->depth < mq->max_msgs)
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (mask)
		kipc_mq_poll_wake_locked(mq, mask);
}

/*
 * Take up to @max messages that fit @buflens onto @out, stopping before
 * one with a region unless @region. Returns how many, or -EMSGSIZE (with
 * *toobig set) when the first does not fit, -EBADMSG when it carries a
 * region and not @region, or -EAGAIN when the queue is empty.
 */
static int kipc_mq_take_locked(struct kipc_mq *mq, struct list_head *out,
			       const u32 *buflens, u32 max, u32 *toobig,
			       bool region, struct kipc_wakeups *wk)
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
			if (n + k == max || msg->len > buflens[n + k] ||
			    !kipc_mq_takes(msg, region))
				break;
			last = msg;
			bytes += msg->len;
			k++;
		}
		if (!k) {
			msg = list_first_entry(head, struct kipc_msg, node);
			if (!n && msg->len > buflens[0]) {
				*toobig = msg->len;
				return -EMSGSIZE;
			}
			if (!n)
				return -EBADMSG;
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
		return kipc_mq_at_eof_locked(mq) ? -ENODATA : -EAGAIN;
	kipc_mq_received_locked(mq, n, current);
	kipc_mq_refill_locked(mq, wk);
	return n;
}

/* --- waiting ------------------------------------------------------------- */

/* What a sender or receiver spins for (kipc_spin_locked()). */
struct kipc_mq_spin {
	struct kipc_mq *mq;
	bool sender;
};

/*
 * Whether what would end the wait is there, by unlocked peeks: a message
 * for a receiver, room for a sender.
 */
static bool kipc_mq_spin_done(const void *arg)
{
	const struct kipc_mq_spin *spin = arg;
	struct kipc_mq *mq = spin->mq;
	bool removed;
	u32 depth;

	/* Racy by design: a hint to stop spinning, decided again. */
	removed = data_race(READ_ONCE(mq->removed));
	/* A hang-up ends the wait too; racy as the rest, decided again. */
	if (spin->sender)
		removed |= data_race(READ_ONCE(mq->rd_hup)); /* hint */
	else
		removed |= data_race(READ_ONCE(mq->wr_hup)); /* hint */
	/* Likewise. */
	depth = data_race(READ_ONCE(mq->depth));
	return removed || (spin->sender ? depth < mq->max_msgs : depth);
}

/**
 * kipc_mq_spin_locked() - before sleeping, wait on the CPU for a while
 * @mq: the queue
 * @sender: for room (a sender), else for a message (a receiver)
 * @dl: the call's deadline
 *
 * Spins as kipc_spin_locked() does, never behind senders (or receivers)
 * already asleep. The peeks are unlocked, so the caller must look again
 * under mq->lock whenever the lock was dropped, whatever the peeks saw:
 * the last of them may have just missed an arrival.
 *
 * Context: called and returns with mq->lock held.
 * Return: whether the lock was dropped.
 */
bool kipc_mq_spin_locked(struct kipc_mq *mq, bool sender,
			 const struct kipc_deadline *dl)
	__must_hold(&mq->lock)
{
	struct kipc_mq_spin spin = { .mq = mq, .sender = sender };

	return kipc_spin_locked(&mq->lock,
				sender ? &mq->senders : &mq->receivers, dl,
				kipc_mq_spin_done, &spin);
}

/**
 * kipc_mq_wait_locked() - sleep as a blocked sender or receiver
 * @mq: the queue
 * @w: the waiter; a sender's carries its message, a receiver's its buffer
 *	size
 * @sender: sleep on mq->senders, else on mq->receivers
 * @dl: the call's deadline
 *
 * Sleeps until a waker sets w->w.state, a signal comes or the deadline
 * passes (kipc_wait_locked()).
 *
 * Context: called and returns with mq->lock held.
 * Return: 0 when a waker acted, with w->w.state saying what it did; else
 * -EAGAIN (a non-blocking call), -ERESTARTSYS or -ETIMEDOUT, with @w on
 * no list.
 */
int kipc_mq_wait_locked(struct kipc_mq *mq, struct kipc_mq_waiter *w,
			bool sender, const struct kipc_deadline *dl)
	__must_hold(&mq->lock)
{
	int ret;

	lockdep_assert_held(&mq->lock);
	ret = kipc_wait_check(dl);
	if (ret)
		return ret;
	return kipc_wait_locked(&mq->lock, &w->w,
				sender ? &mq->senders : &mq->receivers, dl);
}

/* --- send and receive ------------------------------------------------------ */

/**
 * kipc_mq_send_one() - send one message, waiting for room
 * @mq: the queue
 * @msg: the message, copied in
 * @dl: the call's deadline
 *
 * A full KIPC_MQ_FULL_FAIL or KIPC_MQ_FULL_DROP queue fails (or drops) at
 * once, whatever @dl says.
 *
 * Return: 0, when the queue owns @msg; else -EAGAIN, -ETIMEDOUT,
 * -ERESTARTSYS, -EIDRM or -EPIPE (KIPC_MQ_HUP), and @msg is still the
 * caller's.
 */
int kipc_mq_send_one(struct kipc_mq *mq, struct kipc_msg *msg,
		     const struct kipc_deadline *dl)
{
	struct kipc_mq_waiter w = { .msg = msg };
	struct kipc_wakeups wk = {};
	/* @msg is the queue's once sent, and may be gone after a wait. */
	u32 len = msg->len, prio = msg->prio;
	LIST_HEAD(dropped);
	int ret;

	spin_lock(&mq->lock);
	ret = kipc_mq_send_locked(mq, msg, &wk, &dropped);
	if (ret == -EAGAIN && !kipc_mq_never_waits(mq) &&
	    kipc_mq_spin_locked(mq, true, dl))
		ret = kipc_mq_send_locked(mq, msg, &wk, &dropped);
	if (ret == -EAGAIN && !kipc_mq_never_waits(mq)) {
		/* A full queue: nobody was woken. */
		ret = kipc_mq_wait_locked(mq, &w, true, dl);
		if (!ret && w.w.state == KIPC_WAITER_REMOVED)
			ret = -EIDRM;
		else if (!ret && w.w.state == KIPC_WAITER_HUP)
			ret = -EPIPE;
	}
	spin_unlock(&mq->lock);
	kipc_wake_all(&wk);
	kipc_msg_free_list(&dropped);
	if (!ret)
		trace_kipc_mq_send(&mq->obj, len, prio);
	return ret;
}

/**
 * kipc_mq_recv_many() - receive messages, waiting for the first
 * @mq: the queue
 * @out: where the messages go, in order
 * @buflens: the size of each buffer; the first must hold the first message
 * @max: how many messages at most, the length of @buflens
 * @dl: the call's deadline
 * @toobig: with -EMSGSIZE, the length of the message that did not fit
 * @region: the caller takes a message with a region (KIPC_RECV_REGION);
 *	else such a message stops the receive, or fails it with -EBADMSG
 *	when first, and stays queued
 *
 * Return: how many messages are on @out, or a negative errno.
 */
int kipc_mq_recv_many(struct kipc_mq *mq, struct list_head *out,
		      const u32 *buflens, u32 max,
		      const struct kipc_deadline *dl, u32 *toobig,
		      bool region)
{
	struct kipc_mq_waiter w = { .buflen = buflens[0], .region = region };
	struct kipc_wakeups wk = {};
	int n;

	spin_lock(&mq->lock);
	n = kipc_mq_take_locked(mq, out, buflens, max, toobig, region, &wk);
	if (n == -EAGAIN && kipc_mq_spin_locked(mq, false, dl))
		n = kipc_mq_take_locked(mq, out, buflens, max, toobig, region,
					&wk);
	/* An empty queue: nobody was woken. */
	if (n != -EAGAIN)
		goto out_unlock;

	n = kipc_mq_wait_locked(mq, &w, false, dl);
	if (n)
		goto out_unlock;
	switch (w.w.state) {
	case KIPC_WAITER_DONE:
		list_add_tail(&w.msg->node, out);
		n = 1;
		/* Whatever else is there comes along without waiting. */
		if (max > 1) {
			int more = kipc_mq_take_locked(mq, out, buflens + 1,
						       max - 1, toobig, region,
						       &wk);
			if (more > 0)
				n += more;
		}
		break;
	case KIPC_WAITER_TOOBIG:
		*toobig = w.toobig;
		n = w.badmsg ? -EBADMSG : -EMSGSIZE;
		break;
	case KIPC_WAITER_HUP:
		n = -ENODATA;
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

/**
 * kipc_mq_put_back() - requeue messages that could not be copied out
 * @mq: the queue they came from
 * @msgs: the messages, in the order they were received
 *
 * They go back to the heads of their lists, last first, so the queue is as
 * it was; receivers that went to sleep meanwhile get them. On a removed
 * queue they are freed.
 */
void kipc_mq_put_back(struct kipc_mq *mq, struct list_head *msgs)
{
	struct kipc_wakeups wk = {};
	struct kipc_msg *msg, *tmp;

	if (list_empty(msgs))
		return;
	spin_lock(&mq->lock);
	/* Nobody received them, whether they go back or go away. */
	list_for_each_entry(msg, msgs, node) {
		mq->recvs--;
		if (mq->flags & KIPC_MQ_HUP)
			atomic_dec(&mq->inflight);
	}
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

/**
 * kipc_mq_deliver() - copy out the one message received
 * @mq: the queue it came from
 * @msgs: the list holding the message
 * @ubuf: the user's buffer, large enough
 * @ucmd: the call, whose struct is copied out after the message (its out
 *	fields already set from the message); NULL for read()
 * @size: the size of @ucmd's struct
 *
 * A fault puts the message back where it was, so nothing is lost.
 *
 * Return: the message's length, or -EFAULT.
 */
int kipc_mq_deliver(struct kipc_mq *mq, struct list_head *msgs,
		    void __user *ubuf, struct kipc_ucmd *ucmd, size_t size)
{
	struct kipc_msg *msg = list_first_entry(msgs, struct kipc_msg, node);
	int len = msg->len;

	if (copy_to_user(ubuf, msg->data, msg->len) ||
	    (ucmd && kipc_ucmd_respond(ucmd, size))) {
		kipc_mq_put_back(mq, msgs);
		return -EFAULT;
	}
	trace_kipc_mq_receive(&mq->obj, msg->len, msg->prio, msg->qtime);
	kipc_msg_free(msg);
	kipc_mq_delivered(mq, 1);
	return len;
}

/**
 * kipc_mq_delivered() - messages taken off a queue reached their receiver
 * @mq: the queue
 * @n: how many
 *
 * KIPC_MQ_HUP: a receiver that found the queue empty while messages were
 * on their way out waits (one that faults comes back); once the last of
 * them is out, an empty queue without senders is at end-of-file, and its
 * receivers and pollers hear so. Pairs with kipc_mq_release(): each side
 * writes its own variable, then a full barrier, then reads the other's,
 * so at least one of them sees both and wakes.
 */
void kipc_mq_delivered(struct kipc_mq *mq, u32 n)
{
	bool eof;

	if (!(mq->flags & KIPC_MQ_HUP) || !n ||
	    !atomic_sub_and_test(n, &mq->inflight) || !READ_ONCE(mq->wr_hup))
		return;
	spin_lock(&mq->lock);
	eof = kipc_mq_eof_cond(mq);
	if (eof)
		kipc_mq_poll_wake_locked(mq, EPOLLHUP);
	spin_unlock(&mq->lock);
	if (eof)
		kipc_waitq_wake_all(&mq->receivers, &mq->lock,
				    KIPC_WAITER_HUP, kipc_mq_eof_cond, mq);
}

