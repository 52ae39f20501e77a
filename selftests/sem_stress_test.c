// SPDX-License-Identifier: GPL-2.0-only
/*
 * Semaphores under load, across processes: mutual exclusion, a bounded
 * buffer, timed waits racing posts, undo holders killed at random points,
 * and admin removal under traffic. Each test ends on an exact invariant
 * (a count, a checksum, the final value) rather than on "nothing crashed".
 *
 * The guest is emulated (TCG, two vCPUs): there an uncontended wait and
 * post took about 20 us together, a contended hand-off up to 1.6 ms. The
 * sizes below keep each test to seconds; the tests log what they did.
 */
#include <signal.h>
#include <time.h>

#include "kipc_test.h"

#define NSEC_PER_SEC	1000000000ULL

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* Anonymous shared memory, inherited across fork(). */
static void *shared_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static __u32 xorshift32(__u32 *s)
{
	__u32 x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

FIXTURE(stress) {
	int fd;
	struct kipc_nl nl;
	char name[KIPC_NAME_MAX + 1];
	char name2[KIPC_NAME_MAX + 1];
	char name3[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(stress)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->name, "a");
	test_name(self->name2, "b");
	test_name(self->name3, "c");
}

FIXTURE_TEARDOWN(stress)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_SEM, self->name);
	_test_cmd_unlink(self->fd, KIPC_OBJ_SEM, self->name2);
	_test_cmd_unlink(self->fd, KIPC_OBJ_SEM, self->name3);
	close(self->nl.fd);
	close(self->fd);
}

#define test_stat(_id, _attr)						\
	({								\
		struct kipc_nl_obj __st;				\
		test_nl_stat(&self->nl, _id, &__st);			\
		__st.val[_attr];					\
	})

/* --- mutual exclusion ------------------------------------------------ */

/*
 * 4 processes x 2000 increments of a counter in shared memory, each a
 * separate load and store (racy unless excluded), under a semaphore of
 * value 1. Measured in the emulated guest, the 8000 lock/unlock pairs took
 * from 0.15 s (little contention) to 13 s (a convoy: with FIFO hand-off
 * every unlock under contention is a wake-up and a context switch), with
 * other guests running on the host; hence the longer timeout.
 */
#define MUTEX_PROCS	4
#define MUTEX_ITERS	2000

struct mutex_shared {
	__u64 counter;		/* incremented by a plain load and store */
	int inside;		/* processes in the critical section */
	int overlaps;		/* times somebody found it occupied */
};

TEST_F_TIMEOUT(stress, mutex_counter, 120)
{
	struct mutex_shared *sh = shared_alloc(sizeof(*sh));
	pid_t pids[MUTEX_PROCS];
	__u64 start, ms;
	int ofd, i;
	__u64 id;

	ASSERT_NE(NULL, sh);
	ofd = test_sem_create(self->name, 1, &id);
	start = mono_ns();
	for (i = 0; i < MUTEX_PROCS; i++) {
		pids[i] = kipc_fork_tied();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			/* A description per process, as separate programs. */
			int mfd = kipc_sem_open(self->name, KIPC_RW, 0, 0);
			int n;

			ASSERT_LE(0, mfd);
			for (n = 0; n < MUTEX_ITERS; n++) {
				__u64 v;

				ASSERT_EQ(0, kipc_sem_wait(mfd, 1, 0));
				if (__atomic_fetch_add(&sh->inside, 1,
						       __ATOMIC_SEQ_CST))
					__atomic_fetch_add(&sh->overlaps, 1,
							   __ATOMIC_SEQ_CST);
				/* Read, let others run, write: racy unless excluded. */
				v = __atomic_load_n(&sh->counter,
						    __ATOMIC_RELAXED);
				if (!(n & 15))
					sched_yield();
				__atomic_store_n(&sh->counter, v + 1,
						 __ATOMIC_RELAXED);
				__atomic_fetch_sub(&sh->inside, 1,
						   __ATOMIC_SEQ_CST);
				ASSERT_EQ(0, kipc_sem_post(mfd, 1));
			}
			_exit(0);
		}
	}
	for (i = 0; i < MUTEX_PROCS; i++)
		test_wait_child(pids[i]);
	ms = (mono_ns() - start) / 1000000;
	TH_LOG("%d lock/unlock pairs in %llu ms", MUTEX_PROCS * MUTEX_ITERS,
	       (unsigned long long)ms);

	ASSERT_EQ(0, sh->overlaps);
	ASSERT_EQ((__u64)MUTEX_PROCS * MUTEX_ITERS, sh->counter);
	ASSERT_EQ(1U, test_sem_value(ofd));
	ASSERT_EQ(0U, test_sem_waiters(ofd));
	ASSERT_EQ((__u64)MUTEX_PROCS * MUTEX_ITERS,
		  test_stat(id, KIPC_A_OBJ_SEM_WAITS));
	ASSERT_EQ((__u64)MUTEX_PROCS * MUTEX_ITERS,
		  test_stat(id, KIPC_A_OBJ_SEM_POSTS));
	close(ofd);
	munmap(sh, sizeof(*sh));
}

/* --- bounded buffer -------------------------------------------------- */

#define BB_SLOTS	8
#define BB_PRODUCERS	2
#define BB_CONSUMERS	2
#define BB_ITEMS	1500	/* per producer */
#define BB_WORDS	6

struct bb_item {
	__u32 producer;
	__u32 seq;
	__u32 payload[BB_WORDS];
	__u32 checksum;
};

struct bb_shared {
	struct bb_item ring[BB_SLOTS];
	__u32 head;		/* next slot to fill (under the mutex) */
	__u32 tail;		/* next slot to drain (under the mutex) */
	__u32 seen[BB_PRODUCERS][BB_ITEMS];
	int bad_checksum;
	int bad_order;
	int duplicates;
	int consumed[BB_CONSUMERS];
};

/* The payload is a function of (producer, seq), so a consumer can check it. */
static void bb_fill(struct bb_item *it, __u32 producer, __u32 seq)
{
	__u32 s = (producer + 1) * 2654435761U ^ (seq + 1) * 40503U;
	int i;

	it->producer = producer;
	it->seq = seq;
	it->checksum = 0;
	for (i = 0; i < BB_WORDS; i++) {
		it->payload[i] = xorshift32(&s);
		it->checksum = (it->checksum * 31) ^ it->payload[i];
	}
	it->checksum ^= producer << 16 ^ seq;
}

static bool bb_valid(const struct bb_item *it)
{
	struct bb_item want;

	if (it->producer >= BB_PRODUCERS || it->seq >= BB_ITEMS)
		return false;
	bb_fill(&want, it->producer, it->seq);
	return !memcmp(&want, it, sizeof(want));
}

/*
 * Producers and consumers in separate processes share a ring through
 * three semaphores: free slots, filled slots and a mutex. Every item
 * arrives exactly once, intact, and each producer's items in order.
 */
TEST_F_TIMEOUT(stress, bounded_buffer, 120)
{
	struct bb_shared *sh = shared_alloc(sizeof(*sh));
	pid_t pids[BB_PRODUCERS + BB_CONSUMERS];
	int slots, items, mutex, i, p;
	__u64 total = 0;

	ASSERT_NE(NULL, sh);
	slots = test_sem_create(self->name, BB_SLOTS, NULL);
	items = test_sem_create(self->name2, 0, NULL);
	mutex = test_sem_create(self->name3, 1, NULL);

	for (i = 0; i < BB_PRODUCERS + BB_CONSUMERS; i++) {
		pids[i] = kipc_fork_tied();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0 && i < BB_PRODUCERS) {
			__u32 seq;

			for (seq = 0; seq < BB_ITEMS; seq++) {
				struct bb_item it;

				bb_fill(&it, i, seq);
				ASSERT_EQ(0, kipc_sem_wait(slots, 1, 0));
				ASSERT_EQ(0, kipc_sem_wait(mutex, 1, 0));
				sh->ring[sh->head] = it;
				sh->head = (sh->head + 1) % BB_SLOTS;
				ASSERT_EQ(0, kipc_sem_post(mutex, 1));
				ASSERT_EQ(0, kipc_sem_post(items, 1));
			}
			_exit(0);
		}
		if (pids[i] == 0) {
			int c = i - BB_PRODUCERS, n, share;
			__s64 last[BB_PRODUCERS];

			share = BB_PRODUCERS * BB_ITEMS / BB_CONSUMERS;
			for (p = 0; p < BB_PRODUCERS; p++)
				last[p] = -1;
			for (n = 0; n < share; n++) {
				struct bb_item it;

				ASSERT_EQ(0, kipc_sem_wait(items, 1, 0));
				ASSERT_EQ(0, kipc_sem_wait(mutex, 1, 0));
				it = sh->ring[sh->tail];
				memset(&sh->ring[sh->tail], 0, sizeof(it));
				sh->tail = (sh->tail + 1) % BB_SLOTS;
				ASSERT_EQ(0, kipc_sem_post(mutex, 1));
				ASSERT_EQ(0, kipc_sem_post(slots, 1));

				if (!bb_valid(&it)) {
					__atomic_fetch_add(&sh->bad_checksum, 1,
							   __ATOMIC_SEQ_CST);
					continue;
				}
				if ((__s64)it.seq <= last[it.producer])
					__atomic_fetch_add(&sh->bad_order, 1,
							   __ATOMIC_SEQ_CST);
				last[it.producer] = it.seq;
				if (__atomic_fetch_add(&sh->seen[it.producer][it.seq],
						       1, __ATOMIC_SEQ_CST))
					__atomic_fetch_add(&sh->duplicates, 1,
							   __ATOMIC_SEQ_CST);
				sh->consumed[c]++;
			}
			_exit(0);
		}
	}
	for (i = 0; i < BB_PRODUCERS + BB_CONSUMERS; i++)
		test_wait_child(pids[i]);

	ASSERT_EQ(0, sh->bad_checksum);
	ASSERT_EQ(0, sh->bad_order);
	ASSERT_EQ(0, sh->duplicates);
	for (i = 0; i < BB_CONSUMERS; i++)
		total += sh->consumed[i];
	ASSERT_EQ((__u64)BB_PRODUCERS * BB_ITEMS, total);
	for (p = 0; p < BB_PRODUCERS; p++)
		for (i = 0; i < BB_ITEMS; i++)
			ASSERT_EQ(1U, sh->seen[p][i])
				TH_LOG("producer %d item %d", p, i);
	ASSERT_EQ((__u32)BB_SLOTS, test_sem_value(slots));
	ASSERT_EQ(0U, test_sem_value(items));
	ASSERT_EQ(1U, test_sem_value(mutex));
	close(mutex);
	close(items);
	close(slots);
	munmap(sh, sizeof(*sh));
}

/* --- no lost units --------------------------------------------------- */

#define RACE_PROCS	4
#define RACE_OPS	600

struct race_tally {
	__u64 posted;		/* units */
	__u64 taken;		/* units */
	__u64 posts;		/* calls */
	__u64 waits;		/* successful calls */
	__u64 timeouts;
};

/*
 * Processes post and take random amounts, taking with deadlines a few
 * hundred microseconds away so that timeouts race posts all the time.
 * Every unit is accounted for at the end: the value is what was posted
 * minus what was taken, and the statistics match the calls exactly.
 */
TEST_F_TIMEOUT(stress, no_lost_units, 120)
{
	struct race_tally *t = shared_alloc(sizeof(*t) * RACE_PROCS);
	struct race_tally sum = { 0 };
	pid_t pids[RACE_PROCS];
	struct kipc_nl_obj st;
	int ofd, i;
	__u64 id;

	ASSERT_NE(NULL, t);
	ofd = test_sem_create(self->name, 0, &id);
	for (i = 0; i < RACE_PROCS; i++) {
		pids[i] = kipc_fork_tied();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			__u32 seed = 0x9e3779b9U * (i + 1);
			int mfd = kipc_sem_open(self->name, KIPC_RW, 0, 0);
			int n;

			ASSERT_LE(0, mfd);
			for (n = 0; n < RACE_OPS; n++) {
				__u32 r = xorshift32(&seed);
				__u32 count = 1 + r % 3;
				struct timespec rel = {
					.tv_nsec = 100000 + (r >> 8) % 400000,
				};
				int ret;

				if ((r >> 4) & 1) {
					ASSERT_EQ(0, kipc_sem_post(mfd, count));
					t[i].posted += count;
					t[i].posts++;
					continue;
				}
				ret = kipc_sem_wait_timeout(mfd, count, 0,
							    &rel);
				if (ret == -ETIMEDOUT) {
					t[i].timeouts++;
					continue;
				}
				ASSERT_EQ(0, ret);
				t[i].taken += count;
				t[i].waits++;
			}
			_exit(0);
		}
	}
	for (i = 0; i < RACE_PROCS; i++) {
		test_wait_child(pids[i]);
		sum.posted += t[i].posted;
		sum.taken += t[i].taken;
		sum.posts += t[i].posts;
		sum.waits += t[i].waits;
		sum.timeouts += t[i].timeouts;
	}
	TH_LOG("%llu waits, %llu timeouts, %llu posts",
	       (unsigned long long)sum.waits,
	       (unsigned long long)sum.timeouts,
	       (unsigned long long)sum.posts);

	test_nl_stat(&self->nl, id, &st);
	ASSERT_EQ(sum.posted - sum.taken, st.val[KIPC_A_OBJ_SEM_VALUE]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_WAITERS]);
	ASSERT_EQ(sum.posts, st.val[KIPC_A_OBJ_SEM_POSTS]);
	ASSERT_EQ(sum.waits, st.val[KIPC_A_OBJ_SEM_WAITS]);
	ASSERT_EQ(sum.timeouts, st.val[KIPC_A_OBJ_SEM_TIMEOUTS]);
	close(ofd);
	munmap(t, sizeof(*t) * RACE_PROCS);
}

#define EDGE_ROUNDS	150

/*
 * A timed wait whose deadline falls right when the post comes: one round
 * at a time, the waiter either got the unit or timed out and left it, never
 * both and never neither. The posts are spread around the deadline so that
 * both outcomes come; a run that saw only one did not test the edge.
 */
TEST_F_TIMEOUT(stress, timeout_meets_post, 120)
{
	int ofd, go[2], res[2], round;
	int got = 0, missed = 0;
	pid_t pid;

	ofd = test_sem_create(self->name, 0, NULL);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(res));
	pid = kipc_fork_tied();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct timespec rel = { .tv_nsec = 500000 };
		char c;

		close(go[1]);
		close(res[0]);
		while (read(go[0], &c, 1) == 1) {
			signed char ret = kipc_sem_wait_timeout(ofd, 1, 0,
								&rel);

			ASSERT_EQ(1, write(res[1], &ret, 1));
		}
		_exit(0);
	}
	close(go[0]);
	close(res[1]);
	for (round = 0; round < EDGE_ROUNDS; round++) {
		signed char ret;

		ASSERT_EQ(1, write(go[1], "g", 1));
		/* Post somewhere around the waiter's deadline. */
		usleep(round % 7 * 150);
		test_ioctl_sem_post(ofd, 1);
		ASSERT_EQ(1, read(res[0], &ret, 1));
		if (ret == 0) {
			got++;
			ASSERT_EQ(0U, test_sem_value(ofd));
		} else {
			ASSERT_EQ(-ETIMEDOUT, (int)ret);
			missed++;
			ASSERT_EQ(1U, test_sem_value(ofd));
			ASSERT_EQ(0U, test_ioctl_sem_wait(ofd, 1, 0));
		}
		ASSERT_EQ(0U, test_sem_waiters(ofd));
	}
	close(go[1]);
	test_wait_child(pid);
	TH_LOG("%d served, %d timed out", got, missed);
	close(res[0]);
	close(ofd);
	/*
	 * Only rounds that went both ways show the deadline meeting the
	 * post; two CPUs make both, one may serve them all in turn.
	 */
	if ((!got || !missed) && sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "one CPU: %d rounds served, %d timed out, never both",
		     got, missed);
	ASSERT_LT(0, got);
	ASSERT_LT(0, missed);
}

/* --- undo under fire ------------------------------------------------- */

#define STORM_UNITS	3
#define STORM_PROCS	6
#define STORM_ITERS	300	/* per process before the kill */

struct storm_shared {
	int inside;
	int overlaps;
	int iters;
};

/*
 * Workers take a unit with undo, hold it briefly and post it back, each
 * through its own description. They are all killed at arbitrary points:
 * waiting, holding or posting. Afterwards every unit is back.
 */
TEST_F_TIMEOUT(stress, undo_kill_storm, 120)
{
	struct storm_shared *sh = shared_alloc(sizeof(*sh));
	pid_t pids[STORM_PROCS];
	struct kipc_nl_obj st;
	int ofd, i, status;
	__u64 id;

	ASSERT_NE(NULL, sh);
	ofd = test_sem_create(self->name, STORM_UNITS, &id);
	for (i = 0; i < STORM_PROCS; i++) {
		pids[i] = kipc_fork_tied();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			int mfd = kipc_sem_open(self->name, KIPC_RW, 0, 0);

			ASSERT_LE(0, mfd);
			for (;;) {
				int ret = kipc_sem_wait(mfd, 1, KIPC_SEM_UNDO);

				ASSERT_LE(0, ret);
				if (__atomic_add_fetch(&sh->inside, 1,
						       __ATOMIC_SEQ_CST) >
				    STORM_UNITS)
					__atomic_fetch_add(&sh->overlaps, 1,
							   __ATOMIC_SEQ_CST);
				sched_yield();
				__atomic_fetch_sub(&sh->inside, 1,
						   __ATOMIC_SEQ_CST);
				__atomic_fetch_add(&sh->iters, 1,
						   __ATOMIC_SEQ_CST);
				ASSERT_EQ(0, kipc_sem_post(mfd, 1));
			}
		}
	}
	while (__atomic_load_n(&sh->iters, __ATOMIC_SEQ_CST) <
	       STORM_PROCS * STORM_ITERS)
		usleep(1000);
	for (i = 0; i < STORM_PROCS; i++)
		ASSERT_EQ(0, kill(pids[i], SIGKILL));
	for (i = 0; i < STORM_PROCS; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		ASSERT_TRUE(WIFSIGNALED(status));
	}

	ASSERT_EQ(0, sh->overlaps);
	test_nl_stat(&self->nl, id, &st);
	TH_LOG("%d iterations, %llu units recovered", sh->iters,
	       (unsigned long long)st.val[KIPC_A_OBJ_SEM_RECOVERED]);
	ASSERT_EQ((__u64)STORM_UNITS, st.val[KIPC_A_OBJ_SEM_VALUE]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_WAITERS]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_UNDO_HOLDERS]);
	ASSERT_EQ(0ULL, st.val[KIPC_A_OBJ_SEM_UNDO_UNITS]);
	close(ofd);
	munmap(sh, sizeof(*sh));
}

/* --- removal under traffic ------------------------------------------ */

#define RM_WAITERS	6
#define RM_POSTERS	2

/*
 * Waiters and posters hammer a semaphore until an administrator removes
 * it: every one of them ends with EIDRM, none hangs.
 */
TEST_F_TIMEOUT(stress, remove_under_load, 60)
{
	pid_t pids[RM_WAITERS + RM_POSTERS];
	int ofd, i, ready[2];
	__u64 id;
	char c;

	ofd = test_sem_create(self->name, 0, &id);
	ASSERT_EQ(0, pipe(ready));
	for (i = 0; i < RM_WAITERS + RM_POSTERS; i++) {
		pids[i] = kipc_fork_tied();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			bool poster = i >= RM_WAITERS;
			int mfd = kipc_sem_open(self->name, KIPC_RW, 0, 0);
			int ret, n = 0;

			ASSERT_LE(0, mfd);
			ASSERT_EQ(1, write(ready[1], "o", 1));
			do {
				if (poster)
					ret = kipc_sem_post(mfd, 1);
				else
					ret = kipc_sem_wait(mfd, 1 + i % 2,
							    i % 3 ?
							    KIPC_SEM_UNDO : 0);
				if (poster && ++n == 50)
					ASSERT_EQ(1, write(ready[1], "r", 1));
			} while (ret >= 0 || ret == -EOVERFLOW);
			ASSERT_EQ(-EIDRM, ret);
			_exit(0);
		}
	}
	close(ready[1]);
	/* Everybody has the semaphore open, and the posters are under way. */
	for (i = 0; i < RM_WAITERS + 2 * RM_POSTERS; i++)
		ASSERT_EQ(1, read(ready[0], &c, 1));

	test_nl_obj_remove(&self->nl, id);
	for (i = 0; i < RM_WAITERS + RM_POSTERS; i++)
		test_wait_child(pids[i]);
	close(ready[0]);
	close(ofd);
}

TEST_HARNESS_MAIN
