// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc_demo: the object-making half of `make demo`.
 *
 *   kipc_demo create   create a queue, a region and a semaphore, then close
 *                      the fds: named objects outlive their fds, as in POSIX
 *   kipc_demo inspect  reopen each by name and print what the module reports
 *   kipc_demo producer QUEUE N
 *                      send N jobs in bursts of five, every fifth urgent
 *                      (priority 9) and every third important (priority 3)
 *   kipc_demo consumer QUEUE N
 *                      receive N jobs, taking a while over each, so that a
 *                      backlog builds up and the urgent ones overtake it;
 *                      a queue destroyed by an administrator ends it
 *   kipc_demo remove   unlink all three (a destroyed queue is gone already)
 *
 *   kipc_demo shm-writer REGION
 *                      map the region, write a frame into its first 256 KiB,
 *                      and keep the mapping until SIGTERM
 *   kipc_demo shm-reader REGION
 *                      open the region by name, map it read-only and check
 *                      the frame the writer left
 *   kipc_demo ring-producer N
 *   kipc_demo ring-consumer N
 *                      the bounded buffer: move N items through the ring of
 *                      the region "ring", with the semaphores "slots" (free
 *                      slots), "items" (full slots) and "mutex" (the ring's
 *                      indexes; taken with KIPC_SEM_UNDO); the consumer
 *                      checks every item and reports on the queue "results"
 *   kipc_demo hold SEM take SEM with KIPC_SEM_UNDO, then hang holding it
 *   kipc_demo philosopher I MEALS
 *                      philosopher I of five (1 to 5): take the semaphores
 *                      fork.I and fork.I+1 (fork.1 after fork.5) in one
 *                      kipc_sem_multi(), eat, give
 *                      both back in one, MEALS times; then take a unit of
 *                      "table" to say it is done
 *   kipc_demo wait-zero SEM
 *                      wait until SEM is 0 (KIPC_SEM_ZERO), a barrier
 *   kipc_demo whoami-server SERVICE
 *                      answer "who am I?" on the queue SERVICE (created with
 *                      KIPC_MQ_CREDS) with the caller's uid, gid and pid as
 *                      the kernel recorded them, until SERVICE is destroyed
 *   kipc_demo whoami SERVICE [UID]
 *                      ask it, as UID if given (setresuid first)
 *   kipc_demo frame MIB
 *                      fill a sealed anonymous region of MIB MiB, and have a
 *                      child hash it twice: carried in one message
 *                      (KIPC_MQ_REGIONS, mapped where it lies) and sent as
 *                      1 MiB messages; print both hashes and times
 *
 * The producers print on the left, the consumers on the right, one line at
 * a time, so their output interleaves legibly on a shared terminal.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kipc.h"
#include "kipc-rpc.h"

static const struct {
	unsigned int type;
	const char *name;
	union kipc_attr attr;
} demo_objs[] = {
	{ KIPC_OBJ_MQ, "jobs", { .mq = { .max_msgs = 64, .max_msgsize = 4096 } } },
	{ KIPC_OBJ_SHM, "frame", { .shm = { .size = 1 << 20 } } },
	{ KIPC_OBJ_SEM, "frame-lock", { .sem = { .value = 1 } } },
};

#define N_OBJS (sizeof(demo_objs) / sizeof(demo_objs[0]))

static int fail(const char *what, const char *name, int err)
{
	fprintf(stderr, "kipc_demo: %s %s: %s\n", what, name, strerror(-err));
	return 1;
}

static int demo_create(void)
{
	unsigned int i;

	for (i = 0; i < N_OBJS; i++) {
		uint64_t id;
		int fd;

		fd = kipc_open(demo_objs[i].type, demo_objs[i].name,
			       KIPC_OPEN_READ | KIPC_OPEN_WRITE |
			       KIPC_OPEN_CREATE | KIPC_OPEN_EXCL |
			       KIPC_OPEN_CLOEXEC, 0640, &demo_objs[i].attr,
			       &id);
		if (fd < 0)
			return fail("create", demo_objs[i].name, fd);
		printf("  created %-3s %-10s id %llu (fd %d, closed again)\n",
		       kipc_type_name(demo_objs[i].type), demo_objs[i].name,
		       (unsigned long long)id, fd);
		close(fd);
	}
	return 0;
}

static int demo_inspect(void)
{
	unsigned int i;

	for (i = 0; i < N_OBJS; i++) {
		struct kipc_info info;
		int fd, ret;

		fd = kipc_open(demo_objs[i].type, demo_objs[i].name,
			       KIPC_OPEN_READ | KIPC_OPEN_CLOEXEC, 0, NULL,
			       NULL);
		if (fd < 0)
			return fail("open", demo_objs[i].name, fd);
		ret = kipc_info(fd, &info);
		close(fd);
		if (ret < 0)
			return fail("info", demo_objs[i].name, ret);
		printf("  %-3s %-10s id %llu mode %03o uid %u: ",
		       kipc_type_name(info.out_type), info.out_name,
		       (unsigned long long)info.out_id, info.out_mode,
		       info.out_uid);
		switch (info.out_type) {
		case KIPC_OBJ_MQ:
			printf("%u messages of up to %u bytes\n",
			       info.out_attr.mq.max_msgs,
			       info.out_attr.mq.max_msgsize);
			break;
		case KIPC_OBJ_SHM:
			printf("%llu bytes\n",
			       (unsigned long long)info.out_attr.shm.size);
			break;
		case KIPC_OBJ_SEM:
			printf("value %u\n", info.out_attr.sem.value);
			break;
		}
	}
	return 0;
}

static void demo_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static unsigned int demo_job_prio(int job)
{
	if (job % 5 == 0)
		return 9;
	if (job % 3 == 0)
		return 3;
	return 0;
}

static int demo_producer(const char *name, int n)
{
	char msg[32];
	int fd, i, ret;

	fd = kipc_mq_open(name, KIPC_OPEN_WRITE | KIPC_OPEN_CLOEXEC, 0, 0, 0);
	if (fd < 0)
		return fail("open", name, fd);
	for (i = 1; i <= n; i++) {
		unsigned int prio = demo_job_prio(i);

		snprintf(msg, sizeof(msg), "job %d", i);
		ret = kipc_mq_send(fd, msg, strlen(msg), prio);
		if (ret < 0) {
			close(fd);
			return fail("send to", name, ret);
		}
		printf("  producer: sent %-6s prio %u\n", msg, prio);
		fflush(stdout);
		if (i % 5 == 0)
			demo_sleep_ms(100);
	}
	close(fd);
	return 0;
}

static int demo_consumer(const char *name, int n)
{
	struct kipc_mq_getattr attr;
	unsigned int prio;
	char msg[4096];
	int fd, i;
	ssize_t len;

	fd = kipc_mq_open(name, KIPC_OPEN_READ | KIPC_OPEN_CLOEXEC, 0, 0, 0);
	if (fd < 0)
		return fail("open", name, fd);
	for (i = 0; i < n; i++) {
		len = kipc_mq_receive(fd, msg, sizeof(msg), &prio);
		if (len == -EIDRM) {
			printf("%38sconsumer: woke up with EIDRM (%s): the queue was destroyed\n",
			       "", strerror(EIDRM));
			break;
		}
		if (len < 0) {
			close(fd);
			return fail("receive from", name, len);
		}
		if (kipc_mq_getattr(fd, &attr) < 0)
			attr.out_depth = 0;
		printf("%38sconsumer: got  %-6.*s prio %u, %u left\n", "",
		       (int)len, msg, prio, attr.out_depth);
		fflush(stdout);
		/* The work a job takes: the producer gets ahead. */
		demo_sleep_ms(80);
	}
	close(fd);
	return 0;
}

static int demo_remove(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < N_OBJS; i++) {
		ret = kipc_unlink(demo_objs[i].type, demo_objs[i].name);
		if (ret == -ENOENT) {
			printf("  %s %s is gone already\n",
			       kipc_type_name(demo_objs[i].type),
			       demo_objs[i].name);
			continue;
		}
		if (ret < 0)
			return fail("unlink", demo_objs[i].name, ret);
		printf("  unlinked %s %s\n", kipc_type_name(demo_objs[i].type),
		       demo_objs[i].name);
	}
	return 0;
}

/* --- a region shared by two processes ------------------------------------ */

#define FRAME_BYTES	(256 * 1024)

/* What the writer leaves at the start of the region, before the frame. */
struct demo_frame {
	char text[64];
	uint32_t sum;		/* of the bytes after this header */
};

static uint32_t demo_fnv1a(const void *buf, size_t len, uint32_t h)
{
	const unsigned char *p = buf;

	while (len--)
		h = (h ^ *p++) * 16777619U;
	return h;
}

/* Open region @name and map its first @len bytes; NULL after saying why. */
static void *demo_map(const char *name, int prot, size_t len)
{
	unsigned int flags = KIPC_OPEN_READ | KIPC_OPEN_CLOEXEC;
	struct kipc_shm_stat st;
	void *p;
	int fd, ret;

	if (prot & PROT_WRITE)
		flags |= KIPC_OPEN_WRITE;
	fd = kipc_shm_open(name, flags, 0, 0);
	if (fd < 0) {
		fail("open", name, fd);
		return NULL;
	}
	ret = kipc_shm_stat(fd, &st);
	if (!ret && st.out_size < len)
		ret = -EMSGSIZE;
	if (ret < 0) {
		close(fd);
		fail("stat", name, ret);
		return NULL;
	}
	p = mmap(NULL, len, prot, MAP_SHARED, fd, 0);
	/* The mapping outlives the fd. */
	close(fd);
	if (p == MAP_FAILED) {
		fail("map", name, -errno);
		return NULL;
	}
	return p;
}

static int demo_shm_writer(const char *name)
{
	struct demo_frame *f;
	unsigned char *data;
	sigset_t set;
	size_t i;
	int sig;

	/* Blocked before anyone can send it, and taken with sigwait(). */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);

	f = demo_map(name, PROT_READ | PROT_WRITE, FRAME_BYTES);
	if (!f)
		return 1;
	data = (unsigned char *)(f + 1);
	for (i = 0; i < FRAME_BYTES - sizeof(*f); i++)
		data[i] = (unsigned char)(i * 7 + i / 4096);
	f->sum = demo_fnv1a(data, FRAME_BYTES - sizeof(*f), 2166136261U);
	snprintf(f->text, sizeof(f->text), "frame from the writer, pid %d",
		 (int)getpid());
	printf("  writer: mapped '%s', wrote %d KiB: \"%s\", checksum %08x\n",
	       name, FRAME_BYTES / 1024, f->text, f->sum);
	fflush(stdout);

	sigwait(&set, &sig);
	munmap(f, FRAME_BYTES);
	printf("  writer: unmapped '%s' and exits\n", name);
	return 0;
}

static int demo_shm_reader(const char *name)
{
	const struct demo_frame *f;

	f = demo_map(name, PROT_READ, FRAME_BYTES);
	if (!f)
		return 1;
	uint32_t sum;
	bool same;

	f = demo_map(name, PROT_READ, FRAME_BYTES);
	if (!f)
		return 1;
	sum = demo_fnv1a(f + 1, FRAME_BYTES - sizeof(*f), 2166136261U);
	same = sum == f->sum;
	printf("  reader (pid %d): opened '%s' by name and read \"%.*s\",\n"
	       "  reader: checksum %08x, %s\n",
	       (int)getpid(), name, (int)sizeof(f->text), f->text, sum,
	       same ? "the same bytes" : "MISMATCH");
	munmap((void *)f, FRAME_BYTES);
	return same ? 0 : 1;
}

/* --- the bounded buffer --------------------------------------------------- */

#define RING_SLOTS	8	/* the demo creates "slots" with this value */

struct demo_item {
	uint32_t seq;
	uint32_t sum;		/* of text, seeded with seq */
	char text[24];
};

/* The region "ring": the indexes are the mutex's to guard. */
struct demo_ring {
	uint32_t in;		/* next slot to fill */
	uint32_t out;		/* next slot to empty */
	struct demo_item slot[RING_SLOTS];
};

struct demo_bb {
	struct demo_ring *ring;
	int slots;
	int items;
	int mutex;
};

static int demo_sem(const char *name)
{
	int fd = kipc_sem_open(name, KIPC_OPEN_READ | KIPC_OPEN_WRITE |
			       KIPC_OPEN_CLOEXEC, 0, 0);

	if (fd < 0)
		fail("open", name, fd);
	return fd;
}

static int demo_bb_open(struct demo_bb *bb)
{
	bb->ring = demo_map("ring", PROT_READ | PROT_WRITE, sizeof(*bb->ring));
	bb->slots = demo_sem("slots");
	bb->items = demo_sem("items");
	bb->mutex = demo_sem("mutex");
	return bb->ring && bb->slots >= 0 && bb->items >= 0 &&
	       bb->mutex >= 0 ? 0 : -1;
}

/*
 * P and V, for the demo's sake without a way out: a failure here is a
 * failure of the module, and the demo stops on it. A wait that gets a dead
 * holder's unit says so.
 */
static void demo_p(int fd, const char *name, unsigned int flags,
		   const char *who)
{
	int ret = kipc_sem_wait(fd, 1, flags);

	if (ret < 0)
		exit(fail("wait on", name, ret));
	if (ret == KIPC_SEM_RECOVERED)
		printf("  %s: '%s' came back from a dead holder\n", who, name);
}

static void demo_v(int fd, const char *name)
{
	int ret = kipc_sem_post(fd, 1);

	if (ret < 0)
		exit(fail("post to", name, ret));
}

static int demo_ring_producer(int n)
{
	struct demo_item item;
	struct demo_bb bb;
	uint32_t total = 0, slot;
	int i;

	if (demo_bb_open(&bb))
		return 1;
	for (i = 1; i <= n; i++) {
		memset(&item, 0, sizeof(item));
		item.seq = i;
		snprintf(item.text, sizeof(item.text), "item %02d", i);
		item.sum = demo_fnv1a(item.text, sizeof(item.text),
				      2166136261U ^ i);

		/*
		 * Only the mutex is a lock, to give back if we die: a free
		 * slot or a full one is not ours to return.
		 */
		demo_p(bb.slots, "slots", 0, "producer");
		demo_p(bb.mutex, "mutex", KIPC_SEM_UNDO, "producer");
		slot = bb.ring->in;
		bb.ring->slot[slot] = item;
		bb.ring->in = (slot + 1) % RING_SLOTS;
		demo_v(bb.mutex, "mutex");
		total += item.sum;
		printf("  producer: %s -> slot %u\n", item.text, slot);
		fflush(stdout);
		demo_v(bb.items, "items");
	}
	printf("  producer: %d items, total %08x\n", n, total);
	return 0;
}

static int demo_ring_consumer(int n)
{
	struct demo_item item;
	struct demo_bb bb;
	uint32_t total = 0, slot;
	int i, bad = 0, q, ret;
	char report[64];
	bool ok;

	if (demo_bb_open(&bb))
		return 1;
	for (i = 1; i <= n; i++) {
		demo_p(bb.items, "items", 0, "consumer");
		demo_p(bb.mutex, "mutex", KIPC_SEM_UNDO, "consumer");
		slot = bb.ring->out;
		item = bb.ring->slot[slot];
		bb.ring->out = (slot + 1) % RING_SLOTS;
		demo_v(bb.mutex, "mutex");
		demo_v(bb.slots, "slots");

		ok = item.seq == (uint32_t)i &&
		     item.sum == demo_fnv1a(item.text, sizeof(item.text),
					    2166136261U ^ i);
		bad += !ok;
		total += item.sum;
		printf("%38sconsumer: slot %u -> %s, sum %s\n", "", slot,
		       item.text, ok ? "ok" : "WRONG");
		fflush(stdout);
		/* The work an item takes: the producer gets ahead. */
		demo_sleep_ms(40);
	}
	snprintf(report, sizeof(report), "%d items, %d bad, total %08x", n,
		 bad, total);
	printf("%38sconsumer: %s\n", "", report);
	q = kipc_mq_open("results", KIPC_OPEN_WRITE | KIPC_OPEN_CLOEXEC, 0,
			 0, 0);
	if (q < 0)
		return fail("open", "results", q);
	ret = kipc_mq_send(q, report, strlen(report), 0);
	close(q);
	if (ret < 0)
		return fail("send to", "results", ret);
	return bad ? 1 : 0;
}

/* Take @name with undo and hang, holding it, until killed. */
static int demo_hold(const char *name)
{
	int fd = demo_sem(name), ret;

	if (fd < 0)
		return 1;
	ret = kipc_sem_wait(fd, 1, KIPC_SEM_UNDO);
	if (ret < 0)
		return fail("wait on", name, ret);
	printf("  holder (pid %d): took '%s' with KIPC_SEM_UNDO, and hangs\n",
	       (int)getpid(), name);
	fflush(stdout);
	for (;;)
		pause();
}

#define DEMO_PHILOSOPHERS	5

/* Both forks in one call: no order of the caller's can deadlock. */
static int demo_philosopher(int i, int meals)
{
	char left[16], right[16];
	struct kipc_sem_op take[2], give[2];
	int l, r, table, meal, ret;

	snprintf(left, sizeof(left), "fork.%d", i + 1);
	snprintf(right, sizeof(right), "fork.%d",
		 (i + 1) % DEMO_PHILOSOPHERS + 1);
	l = demo_sem(left);
	r = demo_sem(right);
	table = demo_sem("table");
	if (l < 0 || r < 0 || table < 0)
		return 1;
	/* Every other one names the right fork first: it makes no odds. */
	take[0] = (struct kipc_sem_op){ .fd = i % 2 ? r : l, .delta = -1,
					.flags = KIPC_SEM_UNDO };
	take[1] = (struct kipc_sem_op){ .fd = i % 2 ? l : r, .delta = -1,
					.flags = KIPC_SEM_UNDO };
	give[0] = (struct kipc_sem_op){ .fd = l, .delta = 1 };
	give[1] = (struct kipc_sem_op){ .fd = r, .delta = 1 };
	for (meal = 1; meal <= meals; meal++) {
		ret = kipc_sem_multi(take, 2, 0, CLOCK_MONOTONIC, NULL);
		if (ret < 0)
			return fail("take the forks", left, ret);
		if (meal == 1 || meal == meals) {
			printf("  philosopher %d eats with %s and %s (meal %d of %d)\n",
			       i + 1, left, right, meal, meals);
			fflush(stdout);
		}
		usleep(1000);
		ret = kipc_sem_multi(give, 2, 0, CLOCK_MONOTONIC, NULL);
		if (ret < 0)
			return fail("give the forks", left, ret);
		usleep(500);
	}
	ret = kipc_sem_wait(table, 1, 0);
	if (ret < 0)
		return fail("wait on", "table", ret);
	return 0;
}

static int demo_wait_zero(const char *name)
{
	int fd = demo_sem(name), ret;

	if (fd < 0)
		return 1;
	ret = kipc_sem_wait(fd, 0, KIPC_SEM_ZERO);
	if (ret < 0)
		return fail("wait for zero on", name, ret);
	printf("  '%s' reached 0: everyone is done\n", name);
	return 0;
}

/*
 * The 64 MiB frame: hashed by a child process, once carried as a sealed
 * region in a message (no byte copied) and once sent as 1 MiB messages.
 */
#define DEMO_FRAME_CHUNK	(1U << 20)

static uint64_t demo_hash(const void *p, size_t len, uint64_t h)
{
	const uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		h = (h ^ w[i]) * 0x100000001b3ULL;
	return h;
}

static double demo_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* An anonymous queue: nothing named, shared with the child by fork(). */
static int demo_anon_mq(uint32_t max_msgs, uint32_t max_msgsize,
			uint32_t flags)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = max_msgs, .max_msgsize = max_msgsize,
			.flags = flags },
	};

	return kipc_open(KIPC_OBJ_MQ, NULL,
			 KIPC_OPEN_ANON | KIPC_OPEN_CREATE | KIPC_OPEN_READ |
			 KIPC_OPEN_WRITE | KIPC_OPEN_CLOEXEC, 0600, &attr,
			 NULL);
}

static int demo_bigframe(int mib)
{
	uint64_t want = 0xcbf29ce484222325ULL, got, x = 0x9e3779b97f4a7c15ULL;
	size_t size = (size_t)mib << 20, off, i;
	int req, reqb, rep, region, status, ret = 1;
	double t0, t_region, t_bytes;
	uint64_t *p;
	pid_t pid;

	/* The frame: an anonymous region, filled, hashed, then sealed. */
	region = kipc_shm_open(NULL, KIPC_OPEN_ANON | KIPC_OPEN_CREATE |
			       KIPC_OPEN_READ | KIPC_OPEN_WRITE |
			       KIPC_OPEN_CLOEXEC, 0600, size);
	if (region < 0)
		return fail("create", "an anonymous region", region);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, region, 0);
	if (p == MAP_FAILED)
		return fail("map", "the region", -errno);
	for (i = 0; i < size / 8; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = x;
	}
	want = demo_hash(p, size, want);
	/* The seal needs no writable mapping left. */
	munmap(p, size);
	ret = kipc_shm_seal(region, KIPC_SEAL_WRITE | KIPC_SEAL_SHRINK |
			    KIPC_SEAL_GROW | KIPC_SEAL_SEAL);
	if (ret)
		return fail("seal", "the region", ret);

	req = demo_anon_mq(1, 64, KIPC_MQ_REGIONS);
	reqb = demo_anon_mq(8, DEMO_FRAME_CHUNK, 0);
	rep = demo_anon_mq(2, sizeof(got), 0);
	if (req < 0 || reqb < 0 || rep < 0)
		return fail("create", "the anonymous queues",
			    req < 0 ? req : reqb < 0 ? reqb : rep);
	printf("  a %d MiB frame, hash %016llx, sealed (write, shrink, grow)\n",
	       mib, (unsigned long long)want);
	fflush(stdout);

	pid = fork();
	if (pid < 0)
		return fail("fork", "the hasher", -errno);
	if (pid == 0) {
		uint64_t h = 0xcbf29ce484222325ULL;
		char small[64], *buf;
		size_t have = 0;
		ssize_t n;
		void *map;
		int fd;

		/* Carried: map the region read-only, hash it where it lies. */
		n = kipc_mq_receive_region(req, small, sizeof(small), NULL, &fd);
		if (n < 0 || fd < 0)
			_exit(fail("receive", "the region", n < 0 ? n : -EBADMSG));
		map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED)
			_exit(fail("map", "the region received", -errno));
		h = demo_hash(map, size, h);
		if (kipc_mq_send(rep, &h, sizeof(h), 0))
			_exit(1);
		munmap(map, size);
		close(fd);

		/* Copied: the same bytes as 1 MiB messages. */
		buf = malloc(DEMO_FRAME_CHUNK);
		if (!buf)
			_exit(1);
		h = 0xcbf29ce484222325ULL;
		while (have < size) {
			n = kipc_mq_receive(reqb, buf, DEMO_FRAME_CHUNK, NULL);
			if (n <= 0)
				_exit(fail("receive", "a chunk", n ? n : -ENODATA));
			h = demo_hash(buf, n, h);
			have += n;
		}
		_exit(kipc_mq_send(rep, &h, sizeof(h), 0) ? 1 : 0);
	}

	t0 = demo_now();
	ret = kipc_mq_send_region(req, "frame", 5, 0, region, KIPC_SEND_SEALED);
	if (ret)
		return fail("send", "the region", ret);
	if (kipc_mq_receive(rep, &got, sizeof(got), NULL) != sizeof(got))
		return fail("receive", "the hash", -EPROTO);
	t_region = demo_now() - t0;
	printf("  as a sealed region in one message: hash %016llx %s, %.1f ms\n",
	       (unsigned long long)got, got == want ? "(same)" : "(DIFFERS)",
	       t_region * 1e3);
	ret = got != want;

	p = mmap(NULL, size, PROT_READ, MAP_SHARED, region, 0);
	if (p == MAP_FAILED)
		return fail("map", "the region", -errno);
	t0 = demo_now();
	for (off = 0; off < size; off += DEMO_FRAME_CHUNK) {
		int r = kipc_mq_send(reqb, (char *)p + off, DEMO_FRAME_CHUNK, 0);

		if (r)
			return fail("send", "a chunk", r);
	}
	if (kipc_mq_receive(rep, &got, sizeof(got), NULL) != sizeof(got))
		return fail("receive", "the hash", -EPROTO);
	t_bytes = demo_now() - t0;
	printf("  as %zu messages of 1 MiB:            hash %016llx %s, %.1f ms (%.1fx)\n",
	       size / DEMO_FRAME_CHUNK, (unsigned long long)got,
	       got == want ? "(same)" : "(DIFFERS)", t_bytes * 1e3,
	       t_bytes / t_region);
	ret |= got != want;
	munmap(p, size);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		ret = 1;
	close(req);
	close(reqb);
	close(rep);
	close(region);
	return ret;
}


/* "Who am I?": the answer is the caller's identity as the kernel saw it. */
static ssize_t demo_whoami_answer(void *ctx, const struct kipc_creds *cr,
				  const void *req, size_t req_len,
				  void *reply, size_t reply_size)
{
	int n;

	(void)ctx;
	n = snprintf(reply, reply_size, "you are uid %u, gid %u, pid %d (asked \"%.*s\")",
		     cr->uid, cr->gid, cr->pid, (int)req_len, (const char *)req);
	return n < 0 ? -EINVAL : (size_t)n < reply_size ? n : (ssize_t)reply_size;
}

static int demo_whoami_server(const char *service)
{
	int fd, ret;

	fd = kipc_mq_open(service, KIPC_OPEN_READ, 0, 0, 0);
	if (fd < 0)
		return fail("open", service, fd);
	ret = kipc_rpc_serve_creds(fd, demo_whoami_answer, NULL);
	close(fd);
	/* An administrator's kipc mq destroy is how it ends. */
	return ret == -EIDRM ? 0 : fail("serve", service, ret);
}

static int demo_whoami(const char *service, long uid)
{
	struct kipc_rpc_client *c;
	char reply[256];
	ssize_t n;
	int ret;

	if (uid >= 0 && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))
		return fail("become uid", "", -errno);
	ret = kipc_rpc_client_open(service, NULL, &c);
	if (ret)
		return fail("connect to", service, ret);
	n = kipc_rpc_call(c, "who am I?", 9, reply, sizeof(reply) - 1, NULL);
	kipc_rpc_client_close(c);
	if (n < 0)
		return fail("call", service, n);
	reply[n] = '\0';
	printf("  pid %d, uid %u asks \"who am I?\": %s\n", (int)getpid(),
	       (unsigned int)getuid(), reply);
	return 0;
}

static int demo_count(const char *arg)
{
	char *end;
	long n = strtol(arg, &end, 10);

	return *end || n < 1 || n > 100000 ? -1 : (int)n;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "create"))
		return demo_create();
	if (argc == 2 && !strcmp(argv[1], "inspect"))
		return demo_inspect();
	if (argc == 2 && !strcmp(argv[1], "remove"))
		return demo_remove();
	if (argc == 4 && !strcmp(argv[1], "producer") &&
	    demo_count(argv[3]) > 0)
		return demo_producer(argv[2], demo_count(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "consumer") &&
	    demo_count(argv[3]) > 0)
		return demo_consumer(argv[2], demo_count(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "shm-writer"))
		return demo_shm_writer(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "shm-reader"))
		return demo_shm_reader(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "ring-producer") &&
	    demo_count(argv[2]) > 0)
		return demo_ring_producer(demo_count(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "ring-consumer") &&
	    demo_count(argv[2]) > 0)
		return demo_ring_consumer(demo_count(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "hold"))
		return demo_hold(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "philosopher") &&
	    demo_count(argv[2]) > 0 && demo_count(argv[2]) <= DEMO_PHILOSOPHERS &&
	    demo_count(argv[3]) > 0)
		return demo_philosopher(demo_count(argv[2]) - 1,
					demo_count(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "wait-zero"))
		return demo_wait_zero(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "whoami-server"))
		return demo_whoami_server(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "whoami"))
		return demo_whoami(argv[2], -1);
	if (argc == 4 && !strcmp(argv[1], "whoami") && demo_count(argv[3]) > 0)
		return demo_whoami(argv[2], demo_count(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "frame") && demo_count(argv[2]) > 0 &&
	    demo_count(argv[2]) <= 1024)
		return demo_bigframe(demo_count(argv[2]));
	fprintf(stderr,
		"usage: kipc_demo { create | inspect | remove }\n"
		"       kipc_demo { producer | consumer } QUEUE N\n"
		"       kipc_demo { shm-writer | shm-reader } REGION\n"
		"       kipc_demo { ring-producer | ring-consumer } N\n"
		"       kipc_demo hold SEM\n"
		"       kipc_demo philosopher I MEALS   (I from 1 to 5)\n"
		"       kipc_demo wait-zero SEM\n"
		"       kipc_demo whoami-server SERVICE\n"
		"       kipc_demo whoami SERVICE [UID]\n"
		"       kipc_demo frame MIB\n");
	return 2;
}
