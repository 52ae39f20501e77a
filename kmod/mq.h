/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kipc: what the message queue's files share (mq.c, mq_queue.c,
 * mq_vec.c, mq_msg.c).
 *
 * The files form layers, each calling only those below it:
 *
 *	mq.c		the object type: its ioctls, read/write, poll, peek,
 *			creation, removal and statistics
 *	mq_vec.c	the vectored calls (SENDV, RECVV) and their user-copy
 *			fast paths
 *	mq_queue.c	the queue proper under mq->lock, its waiting and
 *			hand-over, and sending and receiving one call's worth
 *	mq_msg.c	messages: allocation, size-class caches, copy-in;
 *			reply-tos, and the hang-up counts (a message with
 *			a reply-to counts as a sender of its reply queue)
 *
 * and all of them on wait.c (the wait layer). mq.c holds the locking
 * overview.
 */
#ifndef __KIPC_MQ_H
#define __KIPC_MQ_H

#include <linux/list.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>

#include "kipc_private.h"

/**
 * struct kipc_mq_replyref - the weak reference a reply-to holds to a queue
 * @ref: the queue's own reference and one per message that names it
 * @lock: protects @obj
 * @obj: the queue, until its last reference goes (kipc_mq_free() clears
 *	it first); a reference is taken only with refcount_inc_not_zero()
 *	under @lock, so a reply-to never keeps its queue alive
 *	(protected by @lock)
 *
 * Made on the first KIPC_SEND_REPLYTO that names the queue
 * (kipc_mq_replyref_get()) and freed when the queue and every message that
 * names it are gone.
 */
struct kipc_mq_replyref {
	refcount_t ref;
	spinlock_t lock;	/* protects @obj */
	struct kipc_object *obj;
};

/**
 * struct kipc_msg - one queued message
 * @node: on its priority list, or on a local list while in flight
 * @len: payload length
 * @prio: priority
 * @qtime: when it was queued, for the kipc_mq_receive tracepoint
 *	(kipc_trace_mq_stamp()); 0 when that was off
 * @pid: KIPC_MQ_CREDS: a reference to the sender's thread-group pid, taken
 *	at send time (kipc_msg_stamp()) and dropped when the message is
 *	freed; NULL on other queues
 * @uid: KIPC_MQ_CREDS: the sender's effective uid at send time
 * @gid: KIPC_MQ_CREDS: its effective gid
 * @region_access: with @region, KIPC_OPEN_READ and KIPC_OPEN_WRITE as the
 *	sender's fd of it had them: what the receiver's fd gets
 * @region: KIPC_SEND_REGION: a reference to the region the message
 *	carries (never its sender's file, which would pin the module), taken
 *	at send time (kipc_msg_attach_region()) and dropped when the message
 *	is freed; else NULL
 * @reply: KIPC_SEND_REPLYTO: the reply queue, a reference to its
 *	struct kipc_mq_replyref, dropped when the message is freed
 *	(kipc_msg_reply_drop()); on a KIPC_MQ_HUP reply queue the message
 *	also counts as one of its senders until then; NULL otherwise
 * @data: payload
 */
struct kipc_msg {
	struct list_head node;
	u32 len;
	u16 prio;
	u16 region_access;
	u64 qtime;
	struct pid *pid;
	kuid_t uid;
	kgid_t gid;
	struct kipc_object *region;
	struct kipc_mq_replyref *reply;
	char data[];
};

/**
 * struct kipc_mq_waiter - a blocked sender or receiver, on its stack
 * @w: the waiter, on mq->senders or mq->receivers (wait.c); its state is
 *	KIPC_WAITER_DONE when the waker did its work (queued the sender's
 *	message, handed the receiver one), KIPC_WAITER_TOOBIG for a receiver
 *	the next message does not fit
 * @msg: sender: the message to queue; receiver: the message handed over
 *	(protected by mq->lock)
 * @buflen: receiver: the size of its buffer
 * @toobig: receiver: with KIPC_WAITER_TOOBIG, the length that did not fit
 *	(protected by mq->lock)
 * @region: receiver: it accepts a message with a region (KIPC_RECV_REGION)
 * @badmsg: receiver: with KIPC_WAITER_TOOBIG, the message fit but carries
 *	a region it does not accept: EBADMSG (protected by mq->lock)
 */
struct kipc_mq_waiter {
	struct kipc_waiter w;
	struct kipc_msg *msg;
	u32 buflen;
	u32 toobig;
	bool region;
	bool badmsg;
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
 * @senders: blocked senders, FIFO (struct kipc_mq_waiter; protected by
 *	@lock)
 * @receivers: blocked receivers, FIFO (likewise); receivers wait only on an
 *	empty queue
 * @removed: removed by an administrator (protected by @lock)
 * @flags: KIPC_MQ_* of the creation attributes
 * @nwriters: open descriptions that may send, counted with KIPC_MQ_HUP
 *	(protected by @lock)
 * @nreaders: open descriptions that may receive, likewise
 * @wr_hup: KIPC_MQ_HUP: the last sending description went, and none came
 *	since: an empty queue gives end-of-file (protected by @lock)
 * @rd_hup: KIPC_MQ_HUP: the last receiving description went, and none
 *	came since: sends fail with EPIPE (protected by @lock)
 * @inflight: KIPC_MQ_HUP: messages taken off the queue whose copy-out is
 *	not done; one that faults comes back, so an empty queue is at
 *	end-of-file only when this is 0 (raised under @lock, dropped without)
 * @poll_wq: poll and epoll waiters
 * @replyref: the weak reference reply-tos hold, made by the first
 *	KIPC_SEND_REPLYTO naming the queue (set once, with cmpxchg())
 * @hwm: highest @depth seen (protected by @lock)
 * @drops: KIPC_MQ_FULL_DROP: messages dropped unreceived to make room
 *	(protected by @lock)
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
	struct kipc_waitq senders;
	struct kipc_waitq receivers;
	bool removed;
	u32 flags;
	u32 nwriters;
	u32 nreaders;
	bool wr_hup;
	bool rd_hup;
	atomic_t inflight;
	wait_queue_head_t poll_wq;
	struct kipc_mq_replyref *replyref;

	u32 hwm;
	u64 drops;
	u64 sends;
	u64 recvs;
	struct pid *lspid;
	struct pid *lrpid;
	u64 stime;
	u64 rtime;
};

/*
 * KIPC_MQ_HUP: no sender is left, nothing is queued and nothing taken can
 * come back (a receiver whose copy-out faults puts its message back).
 */
static inline bool kipc_mq_at_eof_locked(struct kipc_mq *mq)
{
	lockdep_assert_held(&mq->lock);
	return mq->wr_hup && !mq->depth && !atomic_read(&mq->inflight);
}

/*
 * kipc_wake_cond_t of a hang-up's wake-all (kipc_waitq_wake_all()), under
 * mq->lock before each batch: the receivers' end-of-file, the senders'
 * EPIPE, still so and the queue not removed (which wakes them all itself).
 */
static inline bool kipc_mq_eof_cond(void *arg)
{
	struct kipc_mq *mq = arg;

	return !mq->removed && kipc_mq_at_eof_locked(mq);
}

static inline bool kipc_mq_rd_hup_cond(void *arg)
{
	struct kipc_mq *mq = arg;

	lockdep_assert_held(&mq->lock);
	return !mq->removed && mq->rd_hup;
}

/**
 * kipc_mq_poll_wake_locked() - wake the queue's pollers, if it has any
 * @mq: the queue
 * @mask: the events that happened
 *
 * Most queues are never polled: skip the wait queue's lock for them. The
 * check runs under mq->lock after the change, and ->poll() reads the state
 * under mq->lock after queueing itself, so a poller either is seen here or
 * sees the change.
 *
 * Context: under mq->lock.
 */
static inline void kipc_mq_poll_wake_locked(struct kipc_mq *mq,
					    __poll_t mask)
{
	lockdep_assert_held(&mq->lock);
	if (wq_has_sleeper(&mq->poll_wq))
		wake_up_interruptible_poll(&mq->poll_wq, mask);
}

/*
 * KIPC_MQ_FULL_FAIL, KIPC_MQ_FULL_DROP: a send on a full queue never waits
 * (it fails, or drops to make room).
 */
static inline bool kipc_mq_never_waits(const struct kipc_mq *mq)
{
	return mq->flags & (KIPC_MQ_FULL_FAIL | KIPC_MQ_FULL_DROP);
}

static inline struct kipc_mq *to_mq(struct kipc_object *obj)
{
	return container_of(obj, struct kipc_mq, obj);
}

static inline struct kipc_mq *file_mq(struct file *file)
{
	return to_mq(kipc_file_obj(file));
}

/* mq_msg.c */
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

struct kmem_cache *kipc_msg_cache(u32 len);
struct kipc_msg *kipc_msg_alloc(u32 len);
void kipc_msg_free(struct kipc_msg *msg);
void kipc_msg_bin_flush(struct kipc_msg_bin *bin);
void kipc_msg_bin_add(struct kipc_msg_bin *bin, struct kipc_msg *msg);
void kipc_msg_free_list(struct list_head *list);
int kipc_msg_check(struct kipc_mq *mq, u32 len, u32 prio);
void kipc_msg_stamp(struct kipc_mq *mq, struct kipc_msg *msg);
void kipc_msg_creds(const struct kipc_msg *msg, struct kipc_creds *creds);
int kipc_mq_creds_check(struct kipc_mq *mq, u32 flags, u32 user_size,
			size_t end);
struct kipc_msg *kipc_msg_from_user(struct kipc_mq *mq, u64 ubuf, u32 len,
				    u32 prio);
int kipc_msg_attach_region(struct kipc_mq *mq, struct kipc_msg *msg,
			   u32 flags, int fd);
struct file *kipc_msg_region_file(struct kipc_msg *msg);
int kipc_mq_region_check(u32 flags, u32 user_size, size_t send_end,
			 size_t recv_end);
int kipc_msg_init(void);
void kipc_msg_exit(void);

struct kipc_mq_replyref *kipc_mq_replyref_get(struct kipc_mq *mq);
int kipc_msg_set_reply(struct kipc_msg *msg, struct kipc_mq *rmq);
void kipc_msg_reply_drop(struct kipc_msg *msg);
struct kipc_object *kipc_msg_reply_resolve(const struct kipc_msg *msg);
void kipc_mq_replyref_detach(struct kipc_mq *mq);

void kipc_mq_hup_get(struct kipc_mq *mq, bool writer, bool reader);
void kipc_mq_hup_put(struct kipc_mq *mq, bool writer, bool reader,
		     struct list_head *dropped);

/* mq_queue.c */
int kipc_mq_push_locked(struct kipc_mq *mq, struct kipc_msg *msg,
			struct kipc_wakeups *wk, struct list_head *dropped);
void kipc_mq_pushed_locked(struct kipc_mq *mq, u32 n, bool queued);
bool kipc_mq_spin_locked(struct kipc_mq *mq, bool sender,
			 const struct kipc_deadline *dl);
int kipc_mq_wait_locked(struct kipc_mq *mq, struct kipc_mq_waiter *w,
			bool sender, const struct kipc_deadline *dl);
int kipc_mq_send_one(struct kipc_mq *mq, struct kipc_msg *msg,
		     const struct kipc_deadline *dl);
int kipc_mq_recv_many(struct kipc_mq *mq, struct list_head *out,
		      const u32 *buflens, u32 max,
		      const struct kipc_deadline *dl, u32 *toobig,
		      bool region);
void kipc_mq_put_back(struct kipc_mq *mq, struct list_head *msgs);
void kipc_mq_delivered(struct kipc_mq *mq, u32 n);
int kipc_mq_deliver(struct kipc_mq *mq, struct list_head *msgs,
		    void __user *ubuf, struct kipc_ucmd *ucmd, size_t size);

/* mq_vec.c */
int kipc_mq_sendv_ioctl(struct kipc_ucmd *ucmd);
int kipc_mq_recvv_ioctl(struct kipc_ucmd *ucmd);

#endif /* __KIPC_MQ_H */
