/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small fuzzy-sync for race loops, after LTP's tst_fuzzy_sync.h.
 *
 * Two sides, A and B (threads, or processes that share the struct through
 * MAP_SHARED memory), meet at a barrier at the start and at the end of every
 * iteration. Between the barriers each side makes its racy call. Meeting at
 * a barrier lines the two calls up only roughly, so one side also waits a
 * random number of spins first: for the first f->samples iterations
 * none, to measure how long each side's racy section takes and how far apart
 * the two start, and after that a delay drawn uniformly so that B's start
 * falls anywhere from the start of A's section back to the start of B's
 * section before A's (the range [-len_b, len_a] in LTP's terms). Over many
 * iterations the two windows are thus slid across each other, instead of
 * always meeting at the same offset.
 *
 * A drives: kipc_fzs_start_a() returns false once the iteration or time
 * budget is spent, or after a side reported a failure with kipc_fzs_fail(),
 * and B's kipc_fzs_start_b() returns false in the same iteration. Every
 * start that returned true must be followed by its end, failure or not, or
 * the other side waits at the barrier for ever.
 *
 * Budgets: every loop stops at its iteration count or its time cap, which
 * ever comes first. KIPC_MODE=debug (the slow KASAN kernel) cuts the
 * iteration counts, KIPC_RACE_SECS overrides the time cap. A loop that has
 * not overlapped its two windows once by its time cap goes on, up to
 * KIPC_FZS_EXTEND times the cap: on a busy host the first seconds may give
 * only the sampling iterations, and a loop that never raced tested nothing.
 */
#ifndef KIPC_FZSYNC_H
#define KIPC_FZSYNC_H

#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

/*
 * Iterations that only measure. LTP takes 1024, but under TCG on a busy
 * host a loop may get only a few hundred in its time, and the running
 * averages settle within ten samples.
 */
#define KIPC_FZS_SAMPLES	32
/* Weight of a new sample in the running averages. */
#define KIPC_FZS_ALPHA		0.25
/* How far past its time cap a loop that never overlapped may go. */
#define KIPC_FZS_EXTEND		4

struct kipc_fzs {
	_Atomic int a_cntr;
	_Atomic int b_cntr;
	_Atomic int exit;
	_Atomic int failed;
	/* Spins before the racy call: > 0 delays B, < 0 delays A. */
	_Atomic long delay;

	/* Written by their side, read by A after the end barrier. */
	__u64 a_start, a_end, b_start, b_end;

	/* A's alone. */
	double len_a, len_b, diff_ss, ns_per_spin;
	unsigned long iter, max_iter, overlaps, samples;
	__u64 deadline, hard_deadline;
	unsigned int seed;

	char why[512];
};

static inline __u64 kipc_fzs_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline bool kipc_fzs_debug(void)
{
	const char *mode = getenv("KIPC_MODE");

	return mode && !strcmp(mode, "debug");
}

/* The time cap of one loop: @secs, or KIPC_RACE_SECS. */
static inline unsigned int kipc_fzs_secs(unsigned int secs)
{
	const char *env = getenv("KIPC_RACE_SECS");

	if (env && atoi(env) > 0)
		return atoi(env);
	return secs;
}

/* The iteration budget: @n, or a tenth of it on the debug kernel. */
static inline unsigned long kipc_fzs_iters(unsigned long n)
{
	return kipc_fzs_debug() ? (n + 9) / 10 : n;
}

static inline void kipc_fzs_spin(long n)
{
	volatile long i;

	for (i = 0; i < n; i++)
		;
}

static inline void kipc_fzs_init(struct kipc_fzs *f, unsigned long max_iter,
				 unsigned int secs)
{
	__u64 t0, t1;

	memset(f, 0, sizeof(*f));
	f->max_iter = kipc_fzs_iters(max_iter);
	/* A slow loop may set fewer before its first iteration. */
	f->samples = KIPC_FZS_SAMPLES;
	f->seed = (unsigned int)kipc_fzs_now() ^ (unsigned int)getpid();
	t0 = kipc_fzs_now();
	kipc_fzs_spin(100000);
	t1 = kipc_fzs_now();
	f->ns_per_spin = (double)(t1 - t0) / 100000;
	if (f->ns_per_spin <= 0)
		f->ns_per_spin = 1;
	f->deadline = kipc_fzs_now() +
		      (__u64)kipc_fzs_secs(secs) * 1000000000ULL;
	f->hard_deadline = kipc_fzs_now() + KIPC_FZS_EXTEND *
			   (__u64)kipc_fzs_secs(secs) * 1000000000ULL;
}

/* A: whether the time is up (later for a loop that never overlapped). */
static inline bool kipc_fzs_time_up(struct kipc_fzs *f)
{
	__u64 now = kipc_fzs_now();

	return now >= f->deadline && (f->overlaps || now >= f->hard_deadline);
}

/*
 * Wait for the other side to reach the same barrier. Under TCG the other
 * side may be a preempted vCPU away: spin a little, then yield.
 */
static inline void kipc_fzs_wait(_Atomic int *mine, _Atomic int *other)
{
	int n = atomic_fetch_add(mine, 1) + 1;
	unsigned int spins = 0;

	while (atomic_load(other) < n) {
		if (++spins > 256)
			sched_yield();
	}
}

/* Either side: record why the loop failed and stop both sides. */
static inline void kipc_fzs_fail(struct kipc_fzs *f, const char *fmt, ...)
{
	va_list ap;

	if (atomic_exchange(&f->failed, 1))
		return;
	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
}

static inline bool kipc_fzs_failed(struct kipc_fzs *f)
{
	return atomic_load(&f->failed);
}

static inline double kipc_fzs_avg(double avg, double sample)
{
	return avg + KIPC_FZS_ALPHA * (sample - avg);
}

/* A: learn from the iteration that ended, and choose the next delay. */
static inline void kipc_fzs_update(struct kipc_fzs *f)
{
	double r, t;

	if (f->iter) {
		if (f->a_start < f->b_end && f->b_start < f->a_end)
			f->overlaps++;
		f->len_a = kipc_fzs_avg(f->len_a, f->a_end - f->a_start);
		f->len_b = kipc_fzs_avg(f->len_b, f->b_end - f->b_start);
		f->diff_ss = kipc_fzs_avg(f->diff_ss, (double)f->a_start -
					  (double)f->b_start);
	}
	if (f->iter < f->samples) {
		atomic_store(&f->delay, 0);
		return;
	}
	/* Where B should start relative to A, then undo the usual skew. */
	r = (double)rand_r(&f->seed) / RAND_MAX;
	t = r * (f->len_a + f->len_b) - f->len_b + f->diff_ss;
	atomic_store(&f->delay, (long)(t / f->ns_per_spin));
}

/* A: begin an iteration; false once the loop is over. */
static inline bool kipc_fzs_start_a(struct kipc_fzs *f)
{
	long d;

	kipc_fzs_update(f);
	/* Only A decides, before the barrier, so both sides agree. */
	if (f->iter >= f->max_iter || kipc_fzs_time_up(f) ||
	    kipc_fzs_failed(f))
		atomic_store(&f->exit, 1);
	kipc_fzs_wait(&f->a_cntr, &f->b_cntr);
	if (atomic_load(&f->exit))
		return false;
	f->iter++;
	d = atomic_load(&f->delay);
	if (d < 0)
		kipc_fzs_spin(-d);
	f->a_start = kipc_fzs_now();
	return true;
}

static inline void kipc_fzs_end_a(struct kipc_fzs *f)
{
	f->a_end = kipc_fzs_now();
	kipc_fzs_wait(&f->a_cntr, &f->b_cntr);
}

/* B: begin an iteration; false once A said the loop is over. */
static inline bool kipc_fzs_start_b(struct kipc_fzs *f)
{
	long d;

	kipc_fzs_wait(&f->b_cntr, &f->a_cntr);
	if (atomic_load(&f->exit))
		return false;
	d = atomic_load(&f->delay);
	if (d > 0)
		kipc_fzs_spin(d);
	f->b_start = kipc_fzs_now();
	return true;
}

static inline void kipc_fzs_end_b(struct kipc_fzs *f)
{
	f->b_end = kipc_fzs_now();
	kipc_fzs_wait(&f->b_cntr, &f->a_cntr);
}

/*
 * Whether two sides can run at the same time at all: with one CPU online
 * they only take turns, and a loop sees no overlap however long it runs.
 * With two or more, a loop that saw none did not race, and must say so.
 */
static inline long kipc_fzs_cpus(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN);
}

#endif /* KIPC_FZSYNC_H */
