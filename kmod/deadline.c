// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: deadlines of blocking calls.
 *
 * Every call that may block takes the same three things: O_NONBLOCK on the
 * fd or KIPC_WAIT_NONBLOCK, and an optional absolute deadline on
 * CLOCK_MONOTONIC or CLOCK_REALTIME. Absolute deadlines make restarting
 * after a signal (-ERESTARTSYS) safe: the restarted call waits no longer.
 */
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/sched.h>
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
