// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: the wait layer, what every blocking call shares (queues and
 * semaphores alike).
 *
 * Deadlines
 * =========
 *
 * Every call that may block takes the same three things: O_NONBLOCK on the
 * fd or KIPC_WAIT_NONBLOCK, and an optional absolute deadline on
 * CLOCK_MONOTONIC or CLOCK_REALTIME. Absolute deadlines make restarting
 * after a signal (-ERESTARTSYS) safe: the restarted call waits no longer.
 *
 * Waiters and wakers
 * ==================
 *
 * A blocked task is a struct kipc_waiter on its own stack, queued in FIFO
 * order on a struct kipc_waitq of its object, as ipc/mqueue.c and ipc/sem.c
 * queue theirs. The object's spinlock (mq->lock, sem->lock) protects the
 * queue and every waiter's @node and @state; the wait layer takes no lock
 * of its own, it is handed the object's. The task that makes progress
 * possible does the waiter's work for it under that lock (hands it a
 * message, queues its message, grants its units) and then sets its state
 * with kipc_waiter_wake_locked(). The waiter decides only under the same
 * lock, from its state, so no wake-up is lost and none is shared: exactly
 * one task wakes for each thing that happened.
 *
 * The wake-up itself comes after the lock is dropped (struct
 * kipc_wakeups). That is safe without any barrier of kipc's own: the
 * waiter sets TASK_INTERRUPTIBLE before it drops the lock and sleeps, and
 * wake_up_process() orders against that state (see the comment above
 * try_to_wake_up()), so a wake-up that comes before the schedule() makes
 * it return at once, and one that comes after wakes the sleeper. The
 * deferred waker holds a task reference, not the waiter: once the state is
 * set the waiter may return and its stack go away.
 *
 * Spin-then-block
 * ===============
 *
 * A waiter that goes to sleep pays, when its waker comes, the wake-up
 * latency: the time from the waker's decision to the waiter running again.
 * kipc measures it on every wake-up (kipc_block_sample()) and keeps a
 * running mean. Before sleeping, a waiter first waits on its CPU, with its
 * lock dropped, for at most that long: if what it waits for comes within
 * the spin, it has saved the wake-up and its waker, finding nobody asleep,
 * saves waking it; if not, it has spent at most what the sleep cost anyway
 * (the 2-competitive rule of spin-then-block). This is what lets a
 * request/reply pair on two CPUs trade messages without a scheduler round
 * trip.
 *
 * A spin only pays while the peer can answer during it, and costs twice
 * when it keeps the peer from running. So, as the optimistic spinning of
 * kernel mutexes and rwsems spins only while the owner runs on another CPU,
 * a waiter does not spin, or stops:
 *
 *  - when its CPU has other runnable work (!single_task_running()): the
 *    spin would delay it, and it may be the peer;
 *  - when the peer's CPU (the CPU of the last task that made progress for
 *    this wait queue, struct kipc_waitq.peer_cpu) is its own, so the peer
 *    cannot be running, or is a vCPU the hypervisor preempted
 *    (vcpu_is_preempted());
 *  - when spinning has not recently succeeded for this wait queue: each
 *    spin that came to nothing, and each sleep longer than a spin would
 *    have been, counts against it, each sleep shorter than a spin (a spin
 *    would have won) for it (see KIPC_SPIN_MISSES_OFF). A slow peer thus
 *    turns spinning off within a round trip or two and keeps it off; a
 *    fast one turns it back on within a few;
 *  - for a call with KIPC_WAIT_NOSPIN, or a non-blocking one;
 *  - on one CPU (or for a task allowed only one), behind waiters already
 *    asleep, for a signal, at the deadline, and as soon as the scheduler
 *    wants the CPU (need_resched()).
 *
 * kipc.spin_max_us caps the spin; 0 turns it off.
 */
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/stat.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "kipc_private.h"
#include "kipc_trace.h"

static unsigned int kipc_spin_max_us = 100;
module_param_named(spin_max_us, kipc_spin_max_us, uint, 0644);
MODULE_PARM_DESC(spin_max_us, "Longest spin of a blocking wait before it sleeps, in us; 0 never spins (default 100)");

/* --- deadlines ------------------------------------------------------------ */

/**
 * kipc_deadline_init() - read a blocking call's wait flags and deadline
 * @dl: the deadline to set up
 * @file: the fd the call came through, for its O_NONBLOCK
 * @flags: the call's KIPC_WAIT_* bits
 * @clockid: the call's clock, with KIPC_WAIT_DEADLINE
 * @deadline: the call's absolute deadline in ns, with KIPC_WAIT_DEADLINE
 *
 * Return: 0, or -EINVAL for a bad clock or deadline.
 */
int kipc_deadline_init(struct kipc_deadline *dl, struct file *file,
		       u32 flags, u32 clockid, u64 deadline)
{
	int ret;

	memset(dl, 0, sizeof(*dl));
	dl->nonblock = (file->f_flags & O_NONBLOCK) ||
		       (flags & KIPC_WAIT_NONBLOCK);
	dl->nospin = flags & KIPC_WAIT_NOSPIN;
	ret = kipc_deadline_check(flags, clockid, deadline);
	if (ret <= 0)
		return ret;
	dl->timed = true;
	dl->clockid = clockid;
	dl->expires = deadline;
	return 0;
}

/**
 * kipc_deadline_passed() - whether a call's deadline has passed
 * @dl: the call's deadline
 *
 * Return: true once a timed call's deadline has passed; never for an
 * untimed one.
 */
bool kipc_deadline_passed(const struct kipc_deadline *dl)
{
	ktime_t now;

	if (!dl->timed)
		return false;
	now = dl->clockid == CLOCK_REALTIME ? ktime_get_real() : ktime_get();
	return kipc_deadline_reached(now, dl->expires);
}

/**
 * kipc_deadline_sleep() - sleep until woken or until the deadline passes
 * @dl: the call's deadline
 *
 * For a waiter that queues itself (a semaphore multi-operation, on several
 * queues at once). The caller has set the task state and dropped its locks.
 *
 * Return: false once the deadline passed, else true.
 */
bool kipc_deadline_sleep(const struct kipc_deadline *dl)
{
	ktime_t expires = dl->expires;

	if (!dl->timed) {
		schedule();
		return true;
	}
	return schedule_hrtimeout_range_clock(&expires, 0, HRTIMER_MODE_ABS,
					      dl->clockid) != 0;
}

/* --- the cost of a sleep ---------------------------------------------------- */

/*
 * The running mean of wake-up latencies in ns, with weight 1/8 for each new
 * sample. Updated without a lock: a lost update loses one sample.
 */
static unsigned long kipc_block_ns;

/* Called by a waiter just woken; @woken_ns is when its waker decided. */
static void kipc_block_sample(u64 woken_ns)
{
	u64 now = ktime_get_ns();
	unsigned long mean, d;

	if (!woken_ns || now <= woken_ns)
		return;
	d = min_t(u64, now - woken_ns, NSEC_PER_SEC);
	mean = READ_ONCE(kipc_block_ns);
	WRITE_ONCE(kipc_block_ns, mean - mean / 8 + d / 8);
}

/* --- spin-then-block ------------------------------------------------------ */

/*
 * A wait queue's record of spinning (struct kipc_waitq.spin_misses): one
 * up for each spin that came to nothing and for each sleep longer than a
 * spin, one down for each sleep shorter than a spin, between 0 and
 * KIPC_SPIN_MISSES_MAX; its waiters spin only below KIPC_SPIN_MISSES_OFF.
 * The ceiling is hysteresis: one sleep that looks short because its waiter
 * was preempted before it slept does not turn spinning back on for a slow
 * peer, a handful of short ones in a row does.
 */
#define KIPC_SPIN_MISSES_OFF	2
#define KIPC_SPIN_MISSES_MAX	8

/* The longest a spin may last now, in ns; 0 for none. */
static u64 kipc_spin_budget(void)
{
	return min_t(u64, READ_ONCE(kipc_block_ns),
		     (u64)READ_ONCE(kipc_spin_max_us) * NSEC_PER_USEC);
}

/*
 * Whether a spin may start or go on: nothing else wants this CPU, and the
 * peer may be running on another one (not on this CPU, not on a preempted
 * vCPU). @peer_cpu is a hint, read without the lock.
 */
static bool kipc_spin_worth(int peer_cpu)
{
	if (!single_task_running())
		return false;
	if (peer_cpu < 0 || peer_cpu >= nr_cpu_ids)
		return true;
	return peer_cpu != raw_smp_processor_id() &&
	       !vcpu_is_preempted(peer_cpu);
}

/**
 * kipc_spin_locked() - before sleeping, wait on the CPU for a while
 * @lock: the object's spinlock, held
 * @sleepers: the queue the caller would sleep on
 * @dl: the call's deadline
 * @done: peeks, without @lock, at whether the wait would end now
 * @arg: the argument of @done
 *
 * Spins, with @lock dropped, until @done says so or the spin ends (see
 * "Spin-then-block" above), and records on @sleepers whether it won. @done
 * reads the object without its lock, so its answer is only a hint to stop
 * spinning: the caller must decide again under @lock whenever it was
 * dropped, whatever @done saw, since the last peek may have just missed
 * the change. Does not spin at all behind waiters already asleep on
 * @sleepers: they come first, so a spin could not win.
 *
 * Context: called and returns with @lock held.
 * Return: whether @lock was dropped.
 */
bool kipc_spin_locked(spinlock_t *lock, struct kipc_waitq *sleepers,
		      const struct kipc_deadline *dl, kipc_spin_done_t done,
		      const void *arg)
	__must_hold(lock)
{
	u64 budget, until;
	bool got;

	lockdep_assert_held(lock);
	/* Those asleep already come first: a spin could not win. */
	if (sleepers->nr || sleepers->spin_misses >= KIPC_SPIN_MISSES_OFF)
		return false;
	budget = kipc_spin_budget();
	if (dl->nonblock || dl->nospin || !budget || num_online_cpus() < 2 ||
	    current->nr_cpus_allowed < 2 ||
	    !kipc_spin_worth(sleepers->peer_cpu))
		return false;
	until = ktime_get_ns() + budget;
	spin_unlock(lock);
	while (!(got = done(arg))) {
		if (need_resched() || signal_pending(current) ||
		    ktime_get_ns() >= until || kipc_deadline_passed(dl) ||
		    !kipc_spin_worth(READ_ONCE(sleepers->peer_cpu)))
			break;
		cpu_relax();
	}
	spin_lock(lock);
	if (got)
		sleepers->spin_misses = 0;
	else if (sleepers->spin_misses < KIPC_SPIN_MISSES_MAX)
		sleepers->spin_misses++;
	trace_kipc_spin(until - budget, got);
	return true;
}

/*
 * A waiter of @q slept from @slept_ns until its waker decided at
 * @woken_ns: had that been within a spin, a spin would have won, else it
 * would have come to nothing.
 */
static void kipc_spin_hindsight(struct kipc_waitq *q, u64 slept_ns,
				u64 woken_ns)
{
	if (woken_ns >= slept_ns && woken_ns - slept_ns < kipc_spin_budget()) {
		if (q->spin_misses)
			q->spin_misses--;
	} else if (q->spin_misses < KIPC_SPIN_MISSES_MAX) {
		q->spin_misses++;
	}
}

/* --- sleeping and waking -------------------------------------------------- */

/**
 * kipc_wait_check() - whether a blocking call may sleep at all
 * @dl: the call's deadline
 *
 * Return: 0, -EAGAIN for a non-blocking call, or -ETIMEDOUT once the
 * deadline has passed.
 */
int kipc_wait_check(const struct kipc_deadline *dl)
{
	if (dl->nonblock)
		return -EAGAIN;
	if (kipc_deadline_passed(dl))
		return -ETIMEDOUT;
	return 0;
}

/**
 * kipc_wait_locked() - queue a waiter and sleep until a waker acts
 * @lock: the object's spinlock, held
 * @w: the waiter, on the caller's stack
 * @q: the queue to wait on, protected by @lock
 * @dl: the call's deadline
 *
 * Queues @w at the tail of @q and sleeps until a waker sets @w's state
 * (kipc_waiter_wake_locked()), a signal comes or the deadline passes. The
 * caller has checked kipc_wait_check() first.
 *
 * Context: called and returns with @lock held; sleeps with it dropped.
 * Return: 0 when a waker acted, with @w off @q and its state saying what
 * the waker did; else -ERESTARTSYS or -ETIMEDOUT, with @w taken off @q
 * here and its state still KIPC_WAITER_WAITING.
 */
int kipc_wait_locked(spinlock_t *lock, struct kipc_waiter *w,
		     struct kipc_waitq *q, const struct kipc_deadline *dl)
	__must_hold(lock)
{
	u64 slept_ns = ktime_get_ns();
	int ret;

	lockdep_assert_held(lock);
	w->task = current;
	w->state = KIPC_WAITER_WAITING;
	if (kipc_trace_wait_timed())
		w->sleep_ns = ktime_get_ns();
	list_add_tail(&w->node, &q->list);
	q->nr++;

	for (;;) {
		bool in_time;

		/*
		 * Set before the unlock: a waker that decides under @lock
		 * and wakes after the unlock then either finds the task
		 * still running, and the schedule() below returns at once,
		 * or wakes it from it. Either way the wake-up is not lost.
		 */
		__set_current_state(TASK_INTERRUPTIBLE);
		spin_unlock(lock);
		in_time = kipc_deadline_sleep(dl);
		spin_lock(lock);

		/* Decided under @lock, like the waker's side. */
		if (w->state != KIPC_WAITER_WAITING) {
			kipc_block_sample(w->woken_ns);
			kipc_spin_hindsight(q, slept_ns, w->woken_ns);
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
	q->nr--;
	return ret;
}

/**
 * kipc_waiter_wake_locked() - decide for a waiter, to wake it after unlock
 * @q: the queue @w is on
 * @w: the waiter whose work the caller has done
 * @state: what the caller did for it
 * @wk: where to record its task, to wake once the object's lock is dropped
 *
 * Takes @w off @q and sets its state. From here on @w may go away (its
 * task may return as soon as it sees the state, or time out and find it):
 * only its task is used, with a reference.
 *
 * Context: under the lock that protects @q.
 */
void kipc_waiter_wake_locked(struct kipc_waitq *q, struct kipc_waiter *w,
			     enum kipc_waiter_state state,
			     struct kipc_wakeups *wk)
{
	list_del(&w->node);
	q->nr--;
	/* Woken after the unlock; @w may be gone by then. */
	kipc_wake_defer(wk, w->task);
	w->woken_ns = ktime_get_ns();
	w->state = state;
}

/**
 * kipc_waitq_wake_all() - wake every waiter with the same outcome, in batches
 * @q: the queue
 * @lock: the spinlock that protects @q, not held by the caller
 * @state: what each waiter finds (KIPC_WAITER_REMOVED, KIPC_WAITER_HUP)
 * @cond: whether the outcome still holds, called under @lock before each
 *	batch (the object removed; a hang-up not undone by a new opener, and
 *	for receivers nothing left that could still arrive); the walk stops
 *	once it returns false
 * @arg: for @cond
 *
 * The waiters may be another user's thousands of tasks, and @lock is the
 * object's, which every sender and receiver of it takes: so it is held for
 * one batch at a time (as many as struct kipc_wakeups records), and each
 * batch is woken with it dropped. A waiter that joins between batches does
 * so only after checking the object's state under @lock: while @cond holds
 * that waiter would have returned at once, so it is rightly woken; if the
 * state changed so that it may wait, @cond says so and the walk stops. A
 * waiter that leaves on its own (a signal, a timeout) unlinks itself under
 * @lock.
 *
 * Context: process; takes and drops @lock.
 */
void kipc_waitq_wake_all(struct kipc_waitq *q, spinlock_t *lock,
			 enum kipc_waiter_state state, kipc_wake_cond_t cond,
			 void *arg)
{
	struct kipc_wakeups wk = {};
	struct kipc_waiter *w;

	for (;;) {
		spin_lock(lock);
		while (wk.n < ARRAY_SIZE(wk.task) && cond(arg)) {
			w = list_first_entry_or_null(&q->list,
						     struct kipc_waiter, node);
			if (!w)
				break;
			kipc_waiter_wake_locked(q, w, state, &wk);
		}
		spin_unlock(lock);
		if (!wk.n)
			return;
		kipc_wake_all(&wk);
		cond_resched();
	}
}
