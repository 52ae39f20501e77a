// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: deadlines of blocking calls.
 *
 * Every call that may block takes the same three things: O_NONBLOCK on the
 * fd or KIPC_WAIT_NONBLOCK, and an optional absolute deadline on
 * CLOCK_MONOTONIC or CLOCK_REALTIME. Absolute deadlines make restarting
 * after a signal (-ERESTARTSYS) safe: the restarted call waits no longer.
 *
 * Spin-then-block. A waiter that goes to sleep pays, when its waker comes,
 * the wake-up latency: the time from the waker's decision to the waiter
 * running again. kipc measures it on every wake-up (kipc_block_sample()) and
 * keeps a running mean. Before sleeping, a waiter first waits on its CPU,
 * with its lock dropped, for at most that long: if what it waits for comes
 * within the spin, it has saved the wake-up and its waker, finding nobody
 * asleep, saves waking it; if not, it has spent at most what the sleep cost
 * anyway, so it is never more than twice as slow as the better choice made
 * in hindsight (the 2-competitive rule of spin-then-block). This is what
 * lets a request/reply pair on two CPUs trade messages without a scheduler
 * round trip, like the optimistic spinning of kernel mutexes, but bounded
 * by a measured cost rather than by the owner running. The spin ends early
 * for a signal, at the deadline, and as soon as the scheduler wants the CPU
 * (need_resched()); it never happens on one CPU (or for a task allowed only
 * one), for a non-blocking call, or behind waiters already asleep.
 * kipc.spin_max_us caps it; 0 turns it off.
 */
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

#include "kipc_private.h"

int kipc_deadline_init(struct kipc_deadline *dl, struct file *file,
		       u32 flags, u32 clockid, u64 deadline)
{
	int ret;

	memset(dl, 0, sizeof(*dl));
	dl->nonblock = (file->f_flags & O_NONBLOCK) ||
		       (flags & KIPC_WAIT_NONBLOCK);
	ret = kipc_deadline_check(flags, clockid, deadline);
	if (ret <= 0)
		return ret;
	dl->timed = true;
	dl->clockid = clockid;
	dl->expires = deadline;
	return 0;
}

bool kipc_deadline_passed(const struct kipc_deadline *dl)
{
	ktime_t now;

	if (!dl->timed)
		return false;
	now = dl->clockid == CLOCK_REALTIME ? ktime_get_real() : ktime_get();
	return kipc_deadline_reached(now, dl->expires);
}

/*
 * Sleep until woken or until the deadline passes. The caller has set the
 * task state and dropped its lock. Returns false once the deadline passed.
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

/*
 * The running mean of wake-up latencies in ns, with weight 1/8 for each new
 * sample. Updated without a lock: a lost update loses one sample.
 */
static unsigned long kipc_block_ns;

/* Called by a waiter just woken; @woken_ns is when its waker decided. */
void kipc_block_sample(u64 woken_ns)
{
	u64 now = ktime_get_ns();
	unsigned long mean, d;

	if (!woken_ns || now <= woken_ns)
		return;
	d = min_t(u64, now - woken_ns, NSEC_PER_SEC);
	mean = READ_ONCE(kipc_block_ns);
	WRITE_ONCE(kipc_block_ns, mean - mean / 8 + d / 8);
}

/* Whether to spin before sleeping; if so, sets up @spin. */
bool kipc_spin_begin(struct kipc_spin *spin, const struct kipc_deadline *dl)
{
	u64 budget = min_t(u64, READ_ONCE(kipc_block_ns),
			   (u64)READ_ONCE(kipc_spin_max_us) * NSEC_PER_USEC);

	if (dl->nonblock || !budget || num_online_cpus() < 2 ||
	    current->nr_cpus_allowed < 2)
		return false;
	spin->dl = dl;
	spin->until = ktime_get_ns() + budget;
	return true;
}

/* Whether to go on spinning; pauses the CPU briefly if so. */
bool kipc_spin_more(struct kipc_spin *spin)
{
	if (need_resched() || signal_pending(current) ||
	    ktime_get_ns() >= spin->until || kipc_deadline_passed(spin->dl))
		return false;
	cpu_relax();
	return true;
}
