// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: counting semaphores.
 *
 * A semaphore holds a value from 0 to KIPC_SEM_VALUE_MAX, set at creation.
 * It costs nothing against the byte limits beyond being an object.
 *
 * Fairness
 * ========
 *
 * Waiters are served strictly in arrival order: a wait that could be
 * satisfied still queues behind earlier waiters, so a wait for many units
 * is never starved by a stream of small ones. A post hands its units
 * directly to the waiters at the head of the queue that they satisfy and
 * wakes exactly those, as ipc/sem.c's wake-up queue does: no thundering
 * herd, and no wake-up lost to a waiter that gives up at the same moment,
 * because the waiter decides under the lock whether it was served. The
 * wake-up itself comes after the lock is dropped (struct kipc_wakeups).
 *
 * Multi-operations
 * ================
 *
 * KIPC_IOC_SEM_MULTI applies up to KIPC_SEM_MULTI_MAX operations on
 * different semaphores at once. It holds every semaphore's lock while it
 * decides and applies, taken in the order of object ids (never the
 * caller's) inside their IPC namespace's sem_multi_lock (struct kipc_ns:
 * all of one call's semaphores are of one namespace, or EXDEV), which only
 * multi-operations take, so no namespace's calls wait behind another's:
 * it is what lets lockdep see up to 64 locks of one class held at once
 * (spin_lock_nest_lock()), and it makes the order of two multi-operations
 * one order on every semaphore they share. Single waits and posts never
 * take it. Everything that can fail or allocate (the fds, the memory, the
 * checks) happens before the first lock, so a hold is bounded by the 64
 * operations.
 *
 * A multi-operation that must wait puts one struct kipc_sem_waiter per take
 * on each semaphore's FIFO queue, and per wait for zero on its zero queue,
 * all in one step under all the locks, so two waiters stand in the same
 * order on every queue they share and the queues cannot wait on each other
 * in a cycle. A post cannot grant it (that needs the other locks): when the
 * multi-operation's take at the head of a queue could go, the post wakes it
 * and serves nobody behind it; the woken task takes all the locks again
 * and goes if every take is at its head with enough units and every wait
 * for zero sees 0. Multi-operations do not spin before sleeping.
 *
 * Waits for zero have their own queue (struct kipc_sem.zero): they take
 * nothing, so they neither wait for takers nor hold them back. Whoever
 * brings the value to 0 wakes them all, and poll() reports EPOLLPRI.
 *
 * Undo
 * ====
 *
 * A wait with KIPC_SEM_UNDO records what it acquired against the open file
 * description, in the description itself (struct kipc_file.sem_undo), so a
 * wait, post, get or release finds its record without a search, and a wait
 * that takes nothing records nothing. A post through the same description
 * pays the record back first. When the description is released
 * (->release(), so also at exit and kill -9), the rest is posted back, up to
 * the maximum value; those units are "recovered", and the waits that take
 * them report KIPC_SEM_RECOVERED. The semaphore keeps only the totals, for
 * netlink: how many descriptions hold units, and how many units.
 *
 * Locking overview
 * ================
 *
 * sem->lock (a spinlock) protects everything below it in struct kipc_sem,
 * the queued waits (struct kipc_sem_waiter, whose protocol is wait.c's),
 * and the sem_undo of the semaphore's descriptions (struct kipc_file). It
 * may be taken under kipc_lock (netlink statistics) and under
 * the namespace's sem_multi_lock, several at once in the order of object
 * ids.
 * Nothing under it walks the descriptions.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <net/netlink.h>

#include "compat.h"
#include "kipc_private.h"
#include "kipc_trace.h"

/**
 * struct kipc_sem_waiter - a blocked wait, on its stack
 * @w: the waiter, on sem->waiters or sem->zero; KIPC_WAITER_DONE when a
 *	post granted its units (wait.c), or for a multi-operation's entry,
 *	when it was woken to try again
 * @count: units wanted; 0 for a wait for zero
 * @undo: the description to credit, with KIPC_SEM_UNDO; else NULL
 * @recovered: the units granted included recovered ones (protected by
 *	sem->lock)
 * @multi: the entry is one of a multi-operation's, which a post wakes but
 *	does not grant
 */
struct kipc_sem_waiter {
	struct kipc_waiter w;
	u32 count;
	struct kipc_file *undo;
	bool recovered;
	bool multi;
};

/**
 * struct kipc_sem - a counting semaphore
 * @obj: the common object
 * @lock: protects every field below
 * @value: the count
 * @waiters: blocked waits, oldest first (struct kipc_sem_waiter)
 * @zero: blocked waits for zero, oldest first (struct kipc_sem_waiter)
 * @multi_waiters: entries of multi-operations on @waiters and @zero
 * @undo_holders: open file descriptions whose sem_undo is not 0
 * @undo_units: the sum of their sem_undo
 * @recovered_left: recovered units not yet taken by a wait
 * @removed: removed by an administrator
 * @poll_wq: poll and epoll waiters
 * @waits: successful waits
 * @posts: posts
 * @timeouts: waits that timed out
 * @recovered: units given back by undo, ever
 * @lpid: last process to wait or post
 * @otime: time of the last wait or post, ns since the epoch
 */
struct kipc_sem {
	struct kipc_object obj;
	spinlock_t lock;	/* see the locking overview */
	u32 value;
	struct kipc_waitq waiters;
	struct kipc_waitq zero;
	u32 multi_waiters;
	u32 undo_holders;
	u64 undo_units;
	u64 recovered_left;
	bool removed;
	wait_queue_head_t poll_wq;

	u64 waits;
	u64 posts;
	u64 timeouts;
	u64 recovered;
	struct pid *lpid;
	u64 otime;
};

static struct kmem_cache *kipc_sem_cache;

static struct kipc_sem *to_sem(struct kipc_object *obj)
{
	return container_of(obj, struct kipc_sem, obj);
}

static struct kipc_sem *file_sem(struct file *file)
{
	return to_sem(kipc_file_obj(file));
}

static void kipc_sem_stamp_locked(struct kipc_sem *sem,
				  struct task_struct *task, u64 now)
{
	lockdep_assert_held(&sem->lock);
	sem->otime = now;
	kipc_set_last_pid(&sem->lpid, task);
}

static void kipc_sem_touch_locked(struct kipc_sem *sem,
				  struct task_struct *task)
{
	kipc_sem_stamp_locked(sem, task, ktime_get_real_ns());
}

/* Record @count units taken under undo by the description @kf. */
static void kipc_sem_undo_add_locked(struct kipc_sem *sem,
				     struct kipc_file *kf, u32 count)
{
	lockdep_assert_held(&sem->lock);
	if (!kf->sem_undo)
		sem->undo_holders++;
	kf->sem_undo += count;
	sem->undo_units += count;
}

/*
 * Pay back up to @count units of @kf's record, and return how many it
 * held of them.
 */
static u64 kipc_sem_undo_sub_locked(struct kipc_sem *sem,
				    struct kipc_file *kf, u64 count)
{
	u64 units = min(kf->sem_undo, count);

	lockdep_assert_held(&sem->lock);
	if (!units)
		return 0;
	kf->sem_undo -= units;
	sem->undo_units -= units;
	if (!kf->sem_undo)
		sem->undo_holders--;
	return units;
}

/*
 * Take @count units for a wait, stamped @now. Returns whether some were
 * recovered.
 */
static bool __kipc_sem_take_locked(struct kipc_sem *sem, u32 count,
				   struct kipc_file *undo,
				   struct task_struct *task, u64 now)
{
	bool recovered = false;

	lockdep_assert_held(&sem->lock);
	sem->value -= count;
	if (sem->recovered_left) {
		sem->recovered_left -= min_t(u64, sem->recovered_left, count);
		recovered = true;
	}
	if (undo)
		kipc_sem_undo_add_locked(sem, undo, count);
	sem->waits++;
	kipc_sem_stamp_locked(sem, task, now);
	return recovered;
}

static bool kipc_sem_take_locked(struct kipc_sem *sem, u32 count,
				 struct kipc_file *undo,
				 struct task_struct *task)
{
	return __kipc_sem_take_locked(sem, count, undo, task,
				      ktime_get_real_ns());
}

/*
 * Wake a multi-operation's entry to try again; it stays queued. Once per
 * attempt: the task marks its entries waiting again when it retries.
 */
static void kipc_sem_kick_locked(struct kipc_sem_waiter *sw,
				 struct kipc_wakeups *wk)
{
	if (sw->w.state != KIPC_WAITER_WAITING)
		return;
	sw->w.state = KIPC_WAITER_DONE;
	kipc_wake_defer(wk, sw->w.task);
}

/* The value is 0: end the waits for zero, tell poll. */
static void kipc_sem_zero_locked(struct kipc_sem *sem,
				 struct kipc_wakeups *wk)
{
	struct kipc_sem_waiter *sw, *tmp;

	lockdep_assert_held(&sem->lock);
	/* Removed: its waiters go with EIDRM (kipc_sem_remove()). */
	if (sem->removed)
		return;
	list_for_each_entry_safe(sw, tmp, &sem->zero.list, w.node) {
		if (sw->multi)
			kipc_sem_kick_locked(sw, wk);
		else
			kipc_waiter_wake_locked(&sem->zero, &sw->w,
						KIPC_WAITER_DONE, wk);
	}
	if (wq_has_sleeper(&sem->poll_wq))
		wake_up_interruptible_poll(&sem->poll_wq, EPOLLPRI);
}

/*
 * Hand units to the waiters at the head of the queue that they satisfy.
 * The waits for zero and EPOLLPRI hear of it only when that brings the
 * value to 0, not when it stays 0 (a waiter leaving, a timeout): else a
 * stream of timeouts would wake every multi-operation waiting for zero
 * here, each to find nothing changed.
 */
static void kipc_sem_serve_locked(struct kipc_sem *sem,
				  struct kipc_wakeups *wk)
{
	struct kipc_sem_waiter *sw, *tmp;
	bool was_zero = !sem->value;

	lockdep_assert_held(&sem->lock);
	/*
	 * Removed: grant nothing. Removal wakes the waiters in batches with
	 * the lock dropped between them, and one that times out meanwhile
	 * serves the rest; they must all get EIDRM.
	 */
	if (sem->removed)
		return;
	list_for_each_entry_safe(sw, tmp, &sem->waiters.list, w.node) {
		if (sw->count > sem->value)
			break;
		if (sw->multi) {
			/* Its turn here: nobody behind it goes first. */
			kipc_sem_kick_locked(sw, wk);
			break;
		}
		sw->recovered = kipc_sem_take_locked(sem, sw->count, sw->undo,
						     sw->w.task);
		kipc_waiter_wake_locked(&sem->waiters, &sw->w,
					KIPC_WAITER_DONE, wk);
	}
	if (!sem->value) {
		if (!was_zero)
			kipc_sem_zero_locked(sem, wk);
	} else if (wq_has_sleeper(&sem->poll_wq)) {
		/* Checked under sem->lock, which ->poll() takes after queueing. */
		wake_up_interruptible_poll(&sem->poll_wq, EPOLLIN | EPOLLRDNORM);
	}
}

/*
 * Whether a wait for @count units could go now: nobody queued ahead of it
 * and enough units, or the semaphore gone.
 */
static bool kipc_sem_ready(struct kipc_sem *sem, u32 count)
{
	return READ_ONCE(sem->removed) ||
	       (list_empty(&sem->waiters.list) &&
		READ_ONCE(sem->value) >= count);
}

static bool kipc_sem_ready_locked(struct kipc_sem *sem, u32 count)
{
	lockdep_assert_held(&sem->lock);
	return kipc_sem_ready(sem, count);
}

/* What a wait spins for (kipc_spin_locked()). */
struct kipc_sem_spin {
	struct kipc_sem *sem;
	u32 count;
};

/* Whether the wait could go now: the caller decides again under sem->lock. */
static bool kipc_sem_spin_done(const void *arg)
{
	const struct kipc_sem_spin *spin = arg;

	/* Racy by design: a hint to stop spinning, decided again. */
	return data_race(kipc_sem_ready(spin->sem, spin->count));
}

#define KIPC_SEM_WAIT_FLAGS	(KIPC_WAIT_FLAGS | KIPC_SEM_UNDO | KIPC_SEM_ZERO)

/* KIPC_IOC_SEM_WAIT with KIPC_SEM_ZERO: until the value is 0. */
static int kipc_sem_wait_zero(struct kipc_sem *sem,
			      const struct kipc_deadline *dl)
{
	struct kipc_sem_waiter sw = {};
	int ret;

	spin_lock(&sem->lock);
	if (sem->removed) {
		ret = -EIDRM;
		goto out_unlock;
	}
	if (!sem->value) {
		ret = 0;
		goto out_unlock;
	}
	ret = kipc_wait_check(dl);
	if (ret == -ETIMEDOUT)
		sem->timeouts++;
	if (ret)
		goto out_unlock;
	ret = kipc_wait_locked(&sem->lock, &sw.w, &sem->zero, dl);
	if (!ret && sw.w.state != KIPC_WAITER_DONE)
		ret = -EIDRM;
	if (ret == -ETIMEDOUT)
		sem->timeouts++;
out_unlock:
	spin_unlock(&sem->lock);
	return ret;
}

static int kipc_sem_wait_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_sem *sem = file_sem(ucmd->file);
	struct kipc_sem_wait *cmd = ucmd->cmd;
	struct kipc_file *undo = NULL;
	struct kipc_sem_spin spin = { .sem = sem, .count = cmd->count };
	struct kipc_sem_waiter sw = {};
	struct kipc_wakeups wk = {};
	struct kipc_deadline dl;
	int ret;

	if ((cmd->flags & ~KIPC_SEM_WAIT_FLAGS) || cmd->__reserved)
		return -EOPNOTSUPP;
	if (!(ucmd->file->f_mode & FMODE_READ))
		return -EBADF;
	if (cmd->flags & KIPC_SEM_ZERO) {
		if (cmd->count || (cmd->flags & KIPC_SEM_UNDO))
			return -EINVAL;
	} else if (!cmd->count || cmd->count > KIPC_SEM_VALUE_MAX) {
		return -EINVAL;
	}
	ret = kipc_deadline_init(&dl, ucmd->file, cmd->flags, cmd->clockid,
				 cmd->deadline);
	if (ret)
		return ret;
	if (cmd->flags & KIPC_SEM_ZERO) {
		ret = kipc_sem_wait_zero(sem, &dl);
		if (ret)
			return ret;
		cmd->out_flags = 0;
		kipc_ucmd_respond(ucmd, sizeof(*cmd));
		return 0;
	}
	/* Credited only with the units, so a failed wait records nothing. */
	if (cmd->flags & KIPC_SEM_UNDO)
		undo = kipc_file(ucmd->file);

	spin_lock(&sem->lock);
	/* Strict FIFO: with waiters asleep, a spin could not win. */
	if (!kipc_sem_ready_locked(sem, cmd->count))
		kipc_spin_locked(&sem->lock, &sem->waiters, &dl,
				 kipc_sem_spin_done, &spin);
	if (sem->removed) {
		ret = -EIDRM;
		goto out_unlock;
	}
	/* Strict FIFO: nobody overtakes a queued waiter. */
	if (list_empty(&sem->waiters.list) && sem->value >= cmd->count) {
		sw.recovered = kipc_sem_take_locked(sem, cmd->count, undo,
						    current);
		if (!sem->value)
			kipc_sem_zero_locked(sem, &wk);
		goto out_granted;
	}
	ret = kipc_wait_check(&dl);
	if (ret == -ETIMEDOUT)
		sem->timeouts++;
	if (ret)
		goto out_unlock;

	sw.count = cmd->count;
	sw.undo = undo;
	ret = kipc_wait_locked(&sem->lock, &sw.w, &sem->waiters, &dl);
	if (!ret) {
		if (sw.w.state == KIPC_WAITER_DONE)
			goto out_granted;
		ret = -EIDRM;
		goto out_unlock;
	}
	if (ret == -ETIMEDOUT)
		sem->timeouts++;
	/* Leaving the head may let the next ones through. */
	kipc_sem_serve_locked(sem, &wk);
	goto out_unlock;

out_granted:
	trace_kipc_sem_wait(&sem->obj, cmd->count, &sw.w, undo, sw.recovered);
	spin_unlock(&sem->lock);
	kipc_wake_all(&wk);
	cmd->out_flags = sw.recovered ? KIPC_SEM_RECOVERED : 0;
	/*
	 * The units are ours now. Failing to report them would lose them, so
	 * a fault here still succeeds; the wait itself did happen.
	 */
	kipc_ucmd_respond(ucmd, sizeof(*cmd));
	return 0;

out_unlock:
	spin_unlock(&sem->lock);
	kipc_wake_all(&wk);
	return ret;
}

/* --- multi-operations ---------------------------------------------------- */

static const struct file_operations kipc_sem_fops;

/**
 * struct kipc_sem_mop - one operation of a multi-operation, checked
 * @sem: the semaphore
 * @f: the fd's file (fdget(): no reference taken unless the fd table is
 *	shared, so put it with fdput() before the ioctl returns)
 * @delta: below 0 take, above 0 give, 0 wait for zero
 * @sw: its entry on @sem's waiters (a take) or zero queue (a wait for
 *	zero) while the multi-operation waits
 */
struct kipc_sem_mop {
	struct kipc_sem *sem;
	struct fd f;
	s32 delta;
	struct kipc_sem_waiter sw;
};

/*
 * The namespace's lock that serialises the multi-operations' lock-all
 * phases (see "Multi-operations" above); held only while deciding and
 * applying, never while sleeping.
 */
static spinlock_t *kipc_sem_multi_lock(struct kipc_sem_mop *mop)
{
	return &mop[0].sem->obj.kns->sem_multi_lock;
}

static int kipc_sem_mop_cmp(const void *a, const void *b)
{
	u64 ida = ((const struct kipc_sem_mop *)a)->sem->obj.id;
	u64 idb = ((const struct kipc_sem_mop *)b)->sem->obj.id;

	return ida < idb ? -1 : ida > idb;
}

/* Operations that fit on the stack; more are allocated. */
#define KIPC_SEM_MULTI_STACK	4

/*
 * Into the order of object ids: a few by insertion, in place and without
 * an indirect call per comparison (the common case), more with sort().
 */
static void kipc_sem_mop_sort(struct kipc_sem_mop *mop, u32 n)
{
	struct kipc_sem_mop tmp;
	u32 i, j;

	if (n > KIPC_SEM_MULTI_STACK) {
		sort(mop, n, sizeof(*mop), kipc_sem_mop_cmp, NULL);
		return;
	}
	for (i = 1; i < n; i++) {
		if (mop[i - 1].sem->obj.id <= mop[i].sem->obj.id)
			continue;
		tmp = mop[i];
		for (j = i; j && mop[j - 1].sem->obj.id > tmp.sem->obj.id; j--)
			mop[j] = mop[j - 1];
		mop[j] = tmp;
	}
}

static void kipc_sem_multi_lock_all(struct kipc_sem_mop *mop, u32 n)
	__acquires(kipc_sem_multi_lock(mop))
{
	spinlock_t *ml = kipc_sem_multi_lock(mop);
	u32 i;

	spin_lock(ml);
	for (i = 0; i < n; i++) {
		spin_lock_nest_lock(&mop[i].sem->lock, ml);
		/* sparse counts no locks taken in a loop; lockdep does. */
		__release(&mop[i].sem->lock);
	}
}

static void kipc_sem_multi_unlock_all(struct kipc_sem_mop *mop, u32 n)
	__releases(kipc_sem_multi_lock(mop))
{
	u32 i = n;

	while (i--) {
		__acquire(&mop[i].sem->lock);
		spin_unlock(&mop[i].sem->lock);
	}
	spin_unlock(kipc_sem_multi_lock(mop));
}

/*
 * Check one operation, read from the caller, and get its file. The caller
 * puts the file (fdput()) also on error: an empty struct fd is a no-op.
 * Sets what the uncontended call reads; the waiter entry is cleared when
 * it is queued (kipc_sem_multi_queue_locked()).
 */
static int kipc_sem_mop_get(struct kipc_sem_mop *mop,
			    const struct kipc_sem_op *op,
			    struct kipc_deadline *dl)
{
	struct file *file;

	memset(&mop->f, 0, sizeof(mop->f));
	if ((op->flags & ~KIPC_SEM_UNDO) || op->__reserved)
		return -EOPNOTSUPP;
	mop->f = fdget(op->fd);
	file = fd_file(mop->f);
	if (!file)
		return -EBADF;
	if (file->f_op != &kipc_sem_fops)
		return -EINVAL;
	if (!(file->f_mode & (op->delta > 0 ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	if (op->delta < -(s32)KIPC_SEM_VALUE_MAX)
		return -EINVAL;
	if ((op->flags & KIPC_SEM_UNDO) && op->delta >= 0)
		return -EINVAL;
	if (file->f_flags & O_NONBLOCK)
		dl->nonblock = true;
	mop->sem = file_sem(file);
	mop->delta = op->delta;
	mop->sw.count = op->delta < 0 ? -op->delta : 0;
	mop->sw.undo = op->flags & KIPC_SEM_UNDO ? kipc_file(file) : NULL;
	mop->sw.recovered = false;
	mop->sw.multi = true;
	return 0;
}

/*
 * Whether every operation can go now (@queued: the takes stand in the
 * queues), and if so apply them all, stamped @now. Returns 0 when applied,
 * 1 when the call must wait, or a negative errno with nothing applied.
 */
static int kipc_sem_multi_try_locked(struct kipc_sem_mop *mop, u32 n,
				     bool queued, u64 now, bool *recovered,
				     struct kipc_wakeups *wk)
{
	struct kipc_sem *sem;
	u32 i;

	/*
	 * Removal first, then whether the call must wait, then whether a
	 * give overflows ("when the call could otherwise proceed"), each
	 * decided over every operation, so that the answer does not depend
	 * on the order of the ids.
	 */
	for (i = 0; i < n; i++)
		if (mop[i].sem->removed)
			return -EIDRM;
	for (i = 0; i < n; i++) {
		sem = mop[i].sem;
		lockdep_assert_held(&sem->lock);
		if (mop[i].delta > 0)
			continue;
		if (!mop[i].delta) {
			if (sem->value)
				return 1;
		} else {
			if (sem->value < mop[i].sw.count)
				return 1;
			/* Strict FIFO: nobody overtakes a queued taker. */
			if (queued ? list_first_entry(&sem->waiters.list,
						      struct kipc_sem_waiter,
						      w.node) != &mop[i].sw
				   : !list_empty(&sem->waiters.list))
				return 1;
		}
	}
	for (i = 0; i < n; i++)
		if (mop[i].delta > 0 &&
		    mop[i].delta > KIPC_SEM_VALUE_MAX - mop[i].sem->value)
			return -EOVERFLOW;
	for (i = 0; i < n; i++) {
		sem = mop[i].sem;
		if (mop[i].delta > 0) {
			sem->value += mop[i].delta;
			sem->posts++;
			/* Whom a waiter's spin waits for, as a single post. */
			kipc_waitq_peer_locked(&sem->waiters, current);
			kipc_sem_stamp_locked(sem, current, now);
			kipc_sem_undo_sub_locked(sem, kipc_file(fd_file(mop[i].f)),
						 mop[i].delta);
		} else if (mop[i].delta < 0) {
			*recovered |= __kipc_sem_take_locked(sem,
							     mop[i].sw.count,
							     mop[i].sw.undo,
							     current, now);
			if (!sem->value)
				kipc_sem_zero_locked(sem, wk);
		}
	}
	return 0;
}

/* The queue of an operation that waits: takers or zero; none for a give. */
static struct kipc_waitq *kipc_sem_mop_queue(struct kipc_sem_mop *mop)
{
	if (mop->delta > 0)
		return NULL;
	return mop->delta ? &mop->sem->waiters : &mop->sem->zero;
}

/* Queue an entry for each take and each wait for zero, all in one step. */
static void kipc_sem_multi_queue_locked(struct kipc_sem_mop *mop, u32 n)
{
	struct kipc_waitq *q;
	u32 i;

	for (i = 0; i < n; i++) {
		q = kipc_sem_mop_queue(&mop[i]);
		if (!q)
			continue;
		mop[i].sw.w = (struct kipc_waiter){
			.task = current,
			.state = KIPC_WAITER_WAITING,
		};
		list_add_tail(&mop[i].sw.w.node, &q->list);
		q->nr++;
		mop[i].sem->multi_waiters++;
	}
}

/* Leave the queues; an entry that a removal took off is off already. */
static void kipc_sem_multi_dequeue_locked(struct kipc_sem_mop *mop, u32 n)
{
	struct kipc_waitq *q;
	u32 i;

	for (i = 0; i < n; i++) {
		q = kipc_sem_mop_queue(&mop[i]);
		if (!q)
			continue;
		if (mop[i].sw.w.state != KIPC_WAITER_REMOVED) {
			list_del(&mop[i].sw.w.node);
			q->nr--;
		}
		mop[i].sem->multi_waiters--;
	}
}

/* Mark the entries waiting again, so that the next post wakes the task. */
static void kipc_sem_multi_rearm_locked(struct kipc_sem_mop *mop, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (mop[i].delta <= 0 &&
		    mop[i].sw.w.state == KIPC_WAITER_DONE)
			mop[i].sw.w.state = KIPC_WAITER_WAITING;
}

static void kipc_sem_multi_timeout_locked(struct kipc_sem_mop *mop, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (mop[i].delta <= 0)
			mop[i].sem->timeouts++;
}

/*
 * After the call: a give may let takers through (and poll see the units),
 * and so may leaving the head of a queue, when the call waited. Nobody
 * queued and nobody polling: nothing to do. Inline: in the uncontended
 * call that is the common answer, and a call and return cost more than
 * the loop.
 */
static __always_inline void
kipc_sem_multi_serve_locked(struct kipc_sem_mop *mop, u32 n, bool applied,
			    bool queued, struct kipc_wakeups *wk)
{
	struct kipc_sem *sem;
	u32 i;

	for (i = 0; i < n; i++) {
		sem = mop[i].sem;
		if (sem->removed)
			continue;
		if (mop[i].delta > 0 && !applied)
			continue;
		if (mop[i].delta <= 0 && (!queued || !mop[i].delta))
			continue;
		if (list_empty(&sem->waiters.list) &&
		    !wq_has_sleeper(&sem->poll_wq))
			continue;
		kipc_sem_serve_locked(sem, wk);
	}
}

/* The multi-operation applied, after @retries wake-ups (kipc_sem_multi). */
static void kipc_sem_multi_trace(struct kipc_sem_mop *mop, u32 n, u32 retries,
				 bool recovered)
{
	u32 i, takes = 0, gives = 0;

	if (!trace_kipc_sem_multi_enabled())
		return;
	for (i = 0; i < n; i++) {
		if (mop[i].delta < 0)
			takes++;
		else if (mop[i].delta > 0)
			gives++;
	}
	trace_kipc_sem_multi(&mop[0].sem->obj, n, takes, gives,
			     n - takes - gives, retries, recovered);
}

static int kipc_sem_multi_run(struct kipc_sem_mop *mop, u32 n,
			      const struct kipc_deadline *dl, bool *recovered)
{
	/* Only .n needs clearing; the auto-init would clear all of it. */
	struct kipc_wakeups wk __uninitialized;
	u64 now = ktime_get_real_ns();
	u32 retries = 0;
	bool in_time;
	int ret;

	wk.n = 0;
	/* The whole call first, before any queueing. */
	kipc_sem_multi_lock_all(mop, n);
	ret = kipc_sem_multi_try_locked(mop, n, false, now, recovered, &wk);
	if (!ret) {
		kipc_sem_multi_trace(mop, n, 0, *recovered);
		kipc_sem_multi_serve_locked(mop, n, true, false, &wk);
	}
	if (ret <= 0)
		goto out_unlock;
	ret = kipc_wait_check(dl);
	if (ret) {
		if (ret == -ETIMEDOUT)
			kipc_sem_multi_timeout_locked(mop, n);
		goto out_unlock;
	}

	kipc_sem_multi_queue_locked(mop, n);
	for (;;) {
		/* As kipc_wait_locked(): set before the unlock. */
		__set_current_state(TASK_INTERRUPTIBLE);
		kipc_sem_multi_unlock_all(mop, n);
		in_time = kipc_deadline_sleep(dl);
		now = ktime_get_real_ns();
		kipc_sem_multi_lock_all(mop, n);

		kipc_sem_multi_rearm_locked(mop, n);
		retries++;
		ret = kipc_sem_multi_try_locked(mop, n, true, now, recovered,
						&wk);
		if (!ret)
			kipc_sem_multi_trace(mop, n, retries, *recovered);
		if (ret <= 0)
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		if (!in_time) {
			kipc_sem_multi_timeout_locked(mop, n);
			ret = -ETIMEDOUT;
			break;
		}
	}
	kipc_sem_multi_dequeue_locked(mop, n);
	kipc_sem_multi_serve_locked(mop, n, !ret, true, &wk);

out_unlock:
	kipc_sem_multi_unlock_all(mop, n);
	kipc_wake_all(&wk);
	return ret;
}

/*
 * Read a few operations in one user access: no call per copy, and no
 * hardened-usercopy check of a size only known at run time.
 */
static int kipc_sem_ops_from_user(struct kipc_sem_op *ops,
				  const struct kipc_sem_op __user *uops, u32 n)
{
	u32 i;

	if (!user_access_begin(uops, n * sizeof(*uops)))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		unsafe_get_user(ops[i].fd, &uops[i].fd, efault);
		unsafe_get_user(ops[i].delta, &uops[i].delta, efault);
		unsafe_get_user(ops[i].flags, &uops[i].flags, efault);
		unsafe_get_user(ops[i].__reserved, &uops[i].__reserved, efault);
	}
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

static int kipc_sem_multi_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_sem_multi *cmd = ucmd->cmd;
	struct kipc_sem_multi __user *ucmd_multi = ucmd->ubuffer;
	const struct kipc_sem_op __user *uops = u64_to_user_ptr(cmd->ops);
	/*
	 * Not cleared first (CONFIG_INIT_STACK_ALL_ZERO would clear their
	 * half KiB on every call): only the first n entries are read, each
	 * after it is written (kipc_sem_ops_from_user(), kipc_sem_mop_get()).
	 */
	struct kipc_sem_op stack_op[KIPC_SEM_MULTI_STACK] __uninitialized;
	struct kipc_sem_mop stack_mop[KIPC_SEM_MULTI_STACK] __uninitialized;
	struct kipc_sem_op op;
	struct kipc_sem_mop *mop = stack_mop;
	struct kipc_deadline dl;
	bool recovered = false;
	u32 i, got = 0, n = cmd->count;
	int ret;

	if ((cmd->flags & ~KIPC_WAIT_FLAGS) || cmd->__reserved)
		return -EOPNOTSUPP;
	if (!n || n > KIPC_SEM_MULTI_MAX)
		return -E2BIG;
	ret = kipc_deadline_init(&dl, ucmd->file, cmd->flags, cmd->clockid,
				 cmd->deadline);
	if (ret)
		return ret;
	if (n <= KIPC_SEM_MULTI_STACK) {
		/* The common case: one user access, nothing allocated. */
		if (kipc_sem_ops_from_user(stack_op, uops, n))
			return -EFAULT;
	} else {
		mop = kmalloc_array(n, sizeof(*mop), GFP_KERNEL_ACCOUNT);
		if (!mop)
			return -ENOMEM;
	}
	for (got = 0; got < n; got++) {
		if (mop == stack_mop) {
			op = stack_op[got];
		} else if (copy_from_user(&op, &uops[got], sizeof(op))) {
			ret = -EFAULT;
			goto out_put;
		}
		ret = kipc_sem_mop_get(&mop[got], &op, &dl);
		if (ret) {
			got++;
			goto out_put;
		}
	}
	/* One global order, never the caller's. */
	kipc_sem_mop_sort(mop, n);
	for (i = 1; i < n; i++) {
		if (mop[i].sem == mop[i - 1].sem) {
			ret = -EINVAL;
			goto out_put;
		}
		if (mop[i].sem->obj.ipc_ns != mop[0].sem->obj.ipc_ns) {
			ret = -EXDEV;
			goto out_put;
		}
	}
	ret = kipc_sem_multi_run(mop, n, &dl, &recovered);
	if (!ret) {
		cmd->out_flags = recovered ? KIPC_SEM_RECOVERED : 0;
		/*
		 * Applied: a fault reporting it still succeeds, as a wait.
		 * The caller's struct is whole (min_size) and out_flags its
		 * one output, so only it goes back: a store, not a copy.
		 */
		(void)put_user(cmd->out_flags, &ucmd_multi->out_flags);
	}
out_put:
	for (i = 0; i < got; i++)
		fdput(mop[i].f);
	if (mop != stack_mop)
		kfree(mop);
	return ret;
}

static int kipc_sem_post_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_sem *sem = file_sem(ucmd->file);
	struct kipc_sem_post *cmd = ucmd->cmd;
	struct kipc_wakeups wk = {};
	int ret = 0;

	if (cmd->flags || cmd->__reserved)
		return -EOPNOTSUPP;
	if (!(ucmd->file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!cmd->count)
		return -EINVAL;

	spin_lock(&sem->lock);
	if (sem->removed) {
		ret = -EIDRM;
		goto out_unlock;
	}
	if (cmd->count > KIPC_SEM_VALUE_MAX - sem->value) {
		ret = -EOVERFLOW;
		goto out_unlock;
	}
	sem->value += cmd->count;
	sem->posts++;
	kipc_waitq_peer_locked(&sem->waiters, current);
	kipc_sem_touch_locked(sem, current);
	kipc_sem_undo_sub_locked(sem, kipc_file(ucmd->file), cmd->count);
	trace_kipc_sem_post(&sem->obj, cmd->count);
	kipc_sem_serve_locked(sem, &wk);
out_unlock:
	spin_unlock(&sem->lock);
	kipc_wake_all(&wk);
	return ret;
}

static int kipc_sem_get_ioctl(struct kipc_ucmd *ucmd)
{
	struct kipc_sem *sem = file_sem(ucmd->file);
	struct kipc_sem_get *cmd = ucmd->cmd;
	int ret = 0;

	if (cmd->flags)
		return -EOPNOTSUPP;
	spin_lock(&sem->lock);
	if (sem->removed)
		ret = -EIDRM;
	cmd->out_value = sem->value;
	cmd->out_waiters = sem->waiters.nr;
	cmd->out_undo = kipc_file(ucmd->file)->sem_undo;
	cmd->out_zero_waiters = sem->zero.nr;
	cmd->out_multi_waiters = sem->multi_waiters;
	spin_unlock(&sem->lock);
	if (ret)
		return ret;
	return kipc_ucmd_respond(ucmd, sizeof(*cmd));
}

static __poll_t kipc_sem_poll(struct file *file, poll_table *wait)
{
	struct kipc_sem *sem = file_sem(file);
	__poll_t mask = 0;

	poll_wait(file, &sem->poll_wq, wait);
	spin_lock(&sem->lock);
	if (sem->removed)
		mask = EPOLLERR | EPOLLHUP;
	else if (sem->value)
		mask = EPOLLIN | EPOLLRDNORM;
	else
		mask = EPOLLPRI;
	spin_unlock(&sem->lock);
	return mask;
}

/* The description is gone: post back what it still holds. */
static void kipc_sem_release(struct kipc_object *obj, struct file *file)
{
	struct kipc_sem *sem = to_sem(obj);
	struct kipc_wakeups wk = {};
	u64 held;
	u32 units;

	spin_lock(&sem->lock);
	held = kipc_sem_undo_sub_locked(sem, kipc_file(file), U64_MAX);
	if (!sem->removed && held) {
		units = min_t(u64, held, KIPC_SEM_VALUE_MAX - sem->value);
		sem->value += units;
		sem->recovered += units;
		sem->recovered_left += units;
		trace_kipc_sem_undo(obj, held, units);
		kipc_sem_serve_locked(sem, &wk);
	}
	spin_unlock(&sem->lock);
	kipc_wake_all(&wk);
}

/* --- object ops ---------------------------------------------------------- */

static int kipc_sem_validate(const union kipc_attr *attr, u64 *bytes)
{
	const struct kipc_sem_attr *a = &attr->sem;

	if (a->__reserved)
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
	kipc_waitq_init(&sem->waiters);
	kipc_waitq_init(&sem->zero);
	init_waitqueue_head(&sem->poll_wq);
	return &sem->obj;
}

static void kipc_sem_free(struct kipc_object *obj)
{
	struct kipc_sem *sem = to_sem(obj);

	/* Every description was released, and took its record along. */
	WARN_ON(sem->undo_holders || sem->undo_units);
	put_pid(sem->lpid);
	kmem_cache_free(kipc_sem_cache, sem);
}

/* kipc_wake_cond_t: removal wakes all, in batches (kipc_waitq_wake_all()). */
static bool kipc_sem_removed_cond(void *arg)
{
	struct kipc_sem *sem = arg;

	return sem->removed;
}

static void kipc_sem_remove(struct kipc_object *obj)
{
	struct kipc_sem *sem = to_sem(obj);

	spin_lock(&sem->lock);
	sem->removed = true;
	wake_up_interruptible_poll(&sem->poll_wq, EPOLLERR | EPOLLHUP);
	spin_unlock(&sem->lock);
	kipc_waitq_wake_all(&sem->waiters, &sem->lock, KIPC_WAITER_REMOVED,
			    kipc_sem_removed_cond, sem);
	kipc_waitq_wake_all(&sem->zero, &sem->lock, KIPC_WAITER_REMOVED,
			    kipc_sem_removed_cond, sem);
}

static void kipc_sem_fill_attr(struct kipc_object *obj, union kipc_attr *attr)
{
	struct kipc_sem *sem = to_sem(obj);

	spin_lock(&sem->lock);
	attr->sem.value = sem->value;
	spin_unlock(&sem->lock);
}

/* Under sem->lock, as KIPC_IOC_SEM_GET reads them. */
static void kipc_sem_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct kipc_sem *sem = file_sem(file);
	u64 undo;
	u32 value;

	spin_lock(&sem->lock);
	value = sem->value;
	undo = kipc_file(file)->sem_undo;
	spin_unlock(&sem->lock);
	seq_printf(m, "kipc-sem-value:\t%u\n", value);
	seq_printf(m, "kipc-sem-undo:\t%llu\n", undo);
}

static int kipc_sem_fill_nl(struct sk_buff *skb, struct kipc_object *obj,
			    struct pid_namespace *pid_ns)
{
	struct kipc_sem *sem = to_sem(obj);
	u64 waits, posts, timeouts, recovered, otime, undo_units;
	u32 value, waiters, zero_waiters, multi_waiters, undo_holders;
	pid_t lpid;

	spin_lock(&sem->lock);
	value = sem->value;
	waiters = sem->waiters.nr;
	zero_waiters = sem->zero.nr;
	multi_waiters = sem->multi_waiters;
	waits = sem->waits;
	posts = sem->posts;
	timeouts = sem->timeouts;
	recovered = sem->recovered;
	otime = sem->otime;
	lpid = pid_nr_ns(sem->lpid, pid_ns);
	undo_holders = sem->undo_holders;
	undo_units = sem->undo_units;
	spin_unlock(&sem->lock);

	if (nla_put_u32(skb, KIPC_A_OBJ_SEM_VALUE, value) ||
	    nla_put_u32(skb, KIPC_A_OBJ_SEM_WAITERS, waiters) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SEM_WAITS, waits,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SEM_POSTS, posts,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SEM_TIMEOUTS, timeouts,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_SEM_UNDO_HOLDERS, undo_holders) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SEM_UNDO_UNITS, undo_units,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SEM_RECOVERED, recovered,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_SEM_LPID, lpid) ||
	    nla_put_u64_64bit(skb, KIPC_A_OBJ_SEM_OTIME, otime,
			      KIPC_A_OBJ_PAD) ||
	    nla_put_u32(skb, KIPC_A_OBJ_SEM_ZERO_WAITERS, zero_waiters) ||
	    nla_put_u32(skb, KIPC_A_OBJ_SEM_MULTI_WAITERS, multi_waiters))
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

static const struct kipc_ioctl_op kipc_sem_ioctl_ops[] = {
	KIPC_IOCTL_OP(KIPC_IOC_SEM_WAIT, kipc_sem_wait_ioctl,
		      struct kipc_sem_wait, __reserved),
	KIPC_IOCTL_OP(KIPC_IOC_SEM_POST, kipc_sem_post_ioctl,
		      struct kipc_sem_post, __reserved),
	KIPC_IOCTL_OP(KIPC_IOC_SEM_GET, kipc_sem_get_ioctl,
		      struct kipc_sem_get, out_undo),
	KIPC_IOCTL_OP(KIPC_IOC_SEM_MULTI, kipc_sem_multi_ioctl,
		      struct kipc_sem_multi, __reserved),
};

static const struct file_operations kipc_sem_fops = {
	.owner = THIS_MODULE,
	.release = kipc_obj_file_release,
	.unlocked_ioctl = kipc_obj_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = kipc_sem_poll,
	.llseek = noop_llseek,
	.show_fdinfo = kipc_obj_show_fdinfo,
};

const struct kipc_type_ops kipc_sem_ops = {
	.type = KIPC_OBJ_SEM,
	.name = "sem",
	.fops = &kipc_sem_fops,
	.show_fdinfo = kipc_sem_show_fdinfo,
	.ioctl_ops = kipc_sem_ioctl_ops,
	.n_ioctl_ops = ARRAY_SIZE(kipc_sem_ioctl_ops),
	.attr_size = sizeof(struct kipc_sem_attr),
	.validate = kipc_sem_validate,
	.alloc = kipc_sem_alloc,
	.free = kipc_sem_free,
	.remove = kipc_sem_remove,
	.release = kipc_sem_release,
	.fill_attr = kipc_sem_fill_attr,
	.fill_nl = kipc_sem_fill_nl,
	.init = kipc_sem_init,
	.exit = kipc_sem_exit,
};
