// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared memory regions under concurrency: processes and threads that map,
 * write, resize and unmap at once. Data must never be corrupted, the
 * mapping count must come back to zero, and nothing may be left behind
 * once the names are unlinked and the fds closed. The runner's dmesg scan
 * catches what the kernel itself notices.
 */
#include <pthread.h>

#include "kipc_test.h"

#define NPROC		4
#define ITERS		50
#define BLOCK_PAGES	4

FIXTURE(stress) {
	int fd;
	long psz;
	struct kipc_nl nl;
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(stress)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->psz = sysconf(_SC_PAGESIZE);
	test_nl_open(&self->nl);
	test_name(self->name, "stress");
}

FIXTURE_TEARDOWN(stress)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_SHM, self->name);
	close(self->nl.fd);
	close(self->fd);
}

#define RW	(PROT_READ | PROT_WRITE)

/*
 * A block: a header saying who wrote it in which round, a pattern that
 * depends on both, and an FNV-1a checksum of everything before it.
 */
struct block_hdr {
	__u32 owner;
	__u32 iter;
};

static __u64 fnv1a(const char *p, size_t len)
{
	__u64 h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void block_write(char *b, size_t len, __u32 owner, __u32 iter)
{
	struct block_hdr hdr = { .owner = owner, .iter = iter };
	size_t body = len - sizeof(hdr) - sizeof(__u64);
	__u64 sum;

	memcpy(b, &hdr, sizeof(hdr));
	kipc_fill(b + sizeof(hdr), body, owner * 1000 + iter);
	sum = fnv1a(b, len - sizeof(sum));
	memcpy(b + len - sizeof(sum), &sum, sizeof(sum));
}

/* 0 if @b is @owner's block of round @iter, intact; else what is wrong. */
static int block_check(const char *b, size_t len, __u32 owner, __u32 iter)
{
	size_t body = len - sizeof(struct block_hdr) - sizeof(__u64);
	struct block_hdr hdr;
	__u64 sum;

	memcpy(&hdr, b, sizeof(hdr));
	memcpy(&sum, b + len - sizeof(sum), sizeof(sum));
	if (sum != fnv1a(b, len - sizeof(sum)))
		return 1;
	if (hdr.owner != owner || hdr.iter != iter)
		return 2;
	if (kipc_check(b + sizeof(hdr), body, owner * 1000 + iter) != -1)
		return 3;
	return 0;
}

/*
 * NPROC processes each open the region by name, map it, check the block
 * they wrote last round, write the next one, unmap and close, ITERS times.
 * Meanwhile the parent watches the count of mappings; afterwards it checks
 * every block, and that unlinking and closing frees everything.
 */
TEST_F(stress, map_write_unmap)
{
	size_t blk = BLOCK_PAGES * self->psz;
	size_t size = NPROC * blk;
	__u64 shms0, objs0, bytes0, id;
	int ofd, go[2], k, running;
	pid_t pid[NPROC];
	__u32 max_seen = 0;
	char *p;

	shms0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS);
	objs0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_OBJECTS);
	bytes0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES);
	ofd = test_shm_create(self->name, size, &id);
	ASSERT_EQ(0, pipe(go));

	for (k = 0; k < NPROC; k++) {
		pid[k] = fork();
		ASSERT_LE(0, pid[k]);
		if (pid[k] == 0) {
			char c;
			int i;

			close(go[1]);
			close(ofd);
			ASSERT_EQ(0, (int)read(go[0], &c, 1));
			for (i = 0; i < ITERS; i++) {
				int f = _test_cmd_open(self->fd, KIPC_OBJ_SHM,
						       self->name, KIPC_RW, 0,
						       NULL, NULL, NULL);
				char *m, *b;

				ASSERT_LE(0, f);
				m = test_shm_mmap(f, size, RW, MAP_SHARED, 0);
				b = m + k * blk;
				if (i)
					ASSERT_EQ(0, block_check(b, blk, k,
								 i - 1))
						TH_LOG("proc %d round %d", k, i);
				block_write(b, blk, k, i);
				ASSERT_EQ(0, block_check(b, blk, k, i));
				/* Every other round, close before unmapping. */
				if (i % 2)
					close(f);
				ASSERT_EQ(0, munmap(m, size));
				if (!(i % 2))
					close(f);
			}
			_exit(0);
		}
	}
	close(go[0]);
	/* All start at once: closing the pipe wakes every reader. */
	close(go[1]);

	do {
		__u32 n = test_shm_stat(ofd, out_nattch);

		ASSERT_GE((__u32)NPROC, n);
		if (n > max_seen)
			max_seen = n;
		running = 0;
		for (k = 0; k < NPROC; k++) {
			int status = 0;
			pid_t w;

			if (!pid[k])
				continue;
			w = waitpid(pid[k], &status, WNOHANG);
			ASSERT_NE(-1, w);
			if (!w) {
				running++;
				continue;
			}
			ASSERT_TRUE(WIFEXITED(status));
			ASSERT_EQ(0, WEXITSTATUS(status));
			pid[k] = 0;
		}
	} while (running);
	TH_LOG("at most %u mappings at once", max_seen);

	ASSERT_EQ(0U, test_shm_stat(ofd, out_nattch));
	ASSERT_EQ((__u64)(size / self->psz), test_shm_stat(ofd, out_resident));
	p = test_shm_mmap(ofd, size, PROT_READ, MAP_SHARED, 0);
	for (k = 0; k < NPROC; k++)
		ASSERT_EQ(0, block_check(p + k * blk, blk, k, ITERS - 1))
			TH_LOG("block %d", k);
	ASSERT_EQ(0, munmap(p, size));

	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
	close(ofd);
	ASSERT_EQ(-ENOENT, kipc_nl_obj_get(&self->nl, id,
					   &(struct kipc_nl_msg){ 0 }));
	ASSERT_EQ(shms0, test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS));
	ASSERT_EQ(objs0, test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_OBJECTS));
	ASSERT_EQ(bytes0, test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES));
}

/*
 * Threads of one process share an mm: their mmap()s and munmap()s of the
 * same region interleave in one address space while another thread reads
 * the statistics. Threads never ASSERT; they count what went wrong.
 */
struct thr_ctx {
	int ofd;
	long psz;
	int idx;
	int stop;
	int errors;
	int done;
};

static void *map_thread(void *arg)
{
	struct thr_ctx *c = arg;
	int i;

	for (i = 0; i < 200; i++) {
		char *m = mmap(NULL, 2 * c->psz, RW, MAP_SHARED, c->ofd, 0);

		if (m == MAP_FAILED) {
			__atomic_add_fetch(&c->errors, 1, __ATOMIC_RELAXED);
			continue;
		}
		/* Each thread owns one byte of page 1; page 0 is shared. */
		m[c->psz + c->idx] = (char)i;
		if (m[c->psz + c->idx] != (char)i)
			__atomic_add_fetch(&c->errors, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch((int *)m, 1, __ATOMIC_RELAXED);
		if (munmap(m, 2 * c->psz))
			__atomic_add_fetch(&c->errors, 1, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *stat_thread(void *arg)
{
	struct thr_ctx *c = arg;

	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		struct kipc_shm_stat st;

		if (_test_cmd_shm_stat(c->ofd, &st) || st.out_nattch > NPROC)
			__atomic_add_fetch(&c->errors, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

TEST_F(stress, threads_map_unmap)
{
	struct thr_ctx ctx[NPROC], sctx;
	pthread_t thr[NPROC], sthr;
	int ofd, k, errors = 0;
	char *p;

	ofd = test_shm_create(self->name, 2 * self->psz, NULL);
	memset(&sctx, 0, sizeof(sctx));
	sctx.ofd = ofd;
	ASSERT_EQ(0, pthread_create(&sthr, NULL, stat_thread, &sctx));
	for (k = 0; k < NPROC; k++) {
		memset(&ctx[k], 0, sizeof(ctx[k]));
		ctx[k].ofd = ofd;
		ctx[k].psz = self->psz;
		ctx[k].idx = k;
		ASSERT_EQ(0, pthread_create(&thr[k], NULL, map_thread,
					    &ctx[k]));
	}
	for (k = 0; k < NPROC; k++) {
		ASSERT_EQ(0, pthread_join(thr[k], NULL));
		errors += ctx[k].errors;
	}
	__atomic_store_n(&sctx.stop, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, pthread_join(sthr, NULL));
	ASSERT_EQ(0, errors);
	ASSERT_EQ(0, sctx.errors);

	ASSERT_EQ(0U, test_shm_stat(ofd, out_nattch));
	p = test_shm_mmap(ofd, 2 * self->psz, PROT_READ, MAP_SHARED, 0);
	ASSERT_EQ(NPROC * 200, *(int *)p);
	for (k = 0; k < NPROC; k++)
		ASSERT_EQ((char)199, p[self->psz + k]);
	ASSERT_EQ(0, munmap(p, 2 * self->psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/*
 * One process grows and shrinks the region while others fault pages in and
 * out of the part that comes and goes: accesses there either work or raise
 * SIGBUS, and the first two pages, never cut, keep every write.
 */
#define RESIZE_PAGES	64
#define RESIZE_ROUNDS	150

TEST_F(stress, resize_against_faults)
{
	long psz = self->psz;
	int ofd, k, go[2];
	pid_t pid[NPROC], resizer;
	__u64 *counters;
	char c;

	ofd = test_shm_create(self->name, RESIZE_PAGES * psz, NULL);
	ASSERT_EQ(0, pipe(go));
	for (k = 0; k < NPROC; k++) {
		pid[k] = fork();
		ASSERT_LE(0, pid[k]);
		if (pid[k] == 0) {
			int i, j, bus = 0;

			close(go[1]);
			ASSERT_EQ(0, (int)read(go[0], &c, 1));
			for (i = 0; i < RESIZE_ROUNDS; i++) {
				char *m = test_shm_mmap(ofd, RESIZE_PAGES * psz,
							RW, MAP_SHARED, 0);

				((__u64 *)m)[k]++;
				for (j = 2 + k; j < RESIZE_PAGES; j += NPROC) {
					int sig = test_probe_write(m + j * psz);

					ASSERT_TRUE(!sig || sig == SIGBUS);
					bus += sig == SIGBUS;
				}
				ASSERT_EQ(0, munmap(m, RESIZE_PAGES * psz));
			}
			TH_LOG("proc %d: %d accesses past the end", k, bus);
			_exit(0);
		}
	}
	resizer = fork();
	ASSERT_LE(0, resizer);
	if (resizer == 0) {
		int i;

		close(go[1]);
		ASSERT_EQ(0, (int)read(go[0], &c, 1));
		for (i = 0; i < RESIZE_ROUNDS; i++) {
			test_ioctl_shm_resize(ofd, 2 * psz + i % 7);
			test_ioctl_shm_resize(ofd, (2 + i % RESIZE_PAGES) * psz);
		}
		test_ioctl_shm_resize(ofd, RESIZE_PAGES * psz);
		_exit(0);
	}
	close(go[0]);
	close(go[1]);
	for (k = 0; k < NPROC; k++)
		test_wait_child(pid[k]);
	test_wait_child(resizer);

	ASSERT_EQ(0U, test_shm_stat(ofd, out_nattch));
	ASSERT_EQ((__u64)(RESIZE_PAGES * psz), test_shm_stat(ofd, out_size));
	counters = (__u64 *)test_shm_mmap(ofd, psz, PROT_READ, MAP_SHARED, 0);
	for (k = 0; k < NPROC; k++)
		ASSERT_EQ((__u64)RESIZE_ROUNDS, counters[k]);
	ASSERT_EQ(0, munmap(counters, psz));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

/*
 * Many short-lived regions: each process creates, maps, unlinks and closes
 * regions of its own, in every order. Nothing may be left in the
 * namespace afterwards.
 */
TEST_F(stress, create_map_unlink_churn)
{
	__u64 shms0, objs0, bytes0;
	struct kipc_nl_msg *msgs;
	pid_t pid[NPROC];
	int k, n, i;

	shms0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS);
	objs0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_OBJECTS);
	bytes0 = test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES);
	for (k = 0; k < NPROC; k++) {
		pid[k] = fork();
		ASSERT_LE(0, pid[k]);
		if (pid[k] == 0) {
			char n[KIPC_NAME_MAX + 16];

			snprintf(n, sizeof(n), "%s.%d", self->name, k);
			for (i = 0; i < ITERS; i++) {
				size_t len = (1 + i % 3) * self->psz;
				int f = test_shm_create(n, len - i % 2, NULL);
				char *m = test_shm_mmap(f, len, RW, MAP_SHARED,
							0);

				kipc_fill(m, len - i % 2, i);
				switch (i % 3) {
				case 0:
					close(f);
					test_ioctl_unlink(KIPC_OBJ_SHM, n);
					ASSERT_EQ(-1, kipc_check(m, len - i % 2,
								 i));
					ASSERT_EQ(0, munmap(m, len));
					break;
				case 1:
					test_ioctl_unlink(KIPC_OBJ_SHM, n);
					ASSERT_EQ(0, munmap(m, len));
					close(f);
					break;
				default:
					ASSERT_EQ(0, munmap(m, len));
					close(f);
					test_ioctl_unlink(KIPC_OBJ_SHM, n);
					break;
				}
			}
			_exit(0);
		}
	}
	for (k = 0; k < NPROC; k++)
		test_wait_child(pid[k]);

	ASSERT_EQ(shms0, test_nl_stats_attr(&self->nl, KIPC_A_STATS_SHMS));
	ASSERT_EQ(objs0, test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_OBJECTS));
	ASSERT_EQ(bytes0, test_nl_stats_attr(&self->nl, KIPC_A_STATS_NS_BYTES));
	msgs = calloc(4096, sizeof(*msgs));
	ASSERT_NE(NULL, msgs);
	n = kipc_nl_obj_dump(&self->nl, msgs, 4096);
	ASSERT_LE(0, n);
	ASSERT_GE(4096, n);
	for (i = 0; i < n; i++)
		ASSERT_EQ(NULL, strstr(msgs[i].name, self->name))
			TH_LOG("left behind: %s", msgs[i].name);
	free(msgs);
}

/* Processes that fork and exit with the mapping, round after round. */
TEST_F(stress, fork_exit_nattch)
{
	long psz = self->psz;
	int ofd, round, k;
	char *p;

	ofd = test_shm_create(self->name, psz, NULL);
	p = test_shm_mmap(ofd, psz, RW, MAP_SHARED, 0);
	for (round = 0; round < 10; round++) {
		pid_t pid[NPROC];

		for (k = 0; k < NPROC; k++) {
			pid[k] = fork();
			ASSERT_LE(0, pid[k]);
			if (pid[k] == 0) {
				pid_t g = fork();

				ASSERT_LE(0, g);
				__atomic_add_fetch((int *)p, 1,
						   __ATOMIC_RELAXED);
				if (g == 0)
					_exit(0);
				test_wait_child(g);
				_exit(0);
			}
		}
		for (k = 0; k < NPROC; k++)
			test_wait_child(pid[k]);
		ASSERT_EQ(1U, test_shm_stat(ofd, out_nattch));
	}
	ASSERT_EQ(10 * NPROC * 2, *(int *)p);
	ASSERT_EQ(0, munmap(p, psz));
	ASSERT_EQ(0U, test_shm_stat(ofd, out_nattch));
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_SHM, self->name);
}

TEST_HARNESS_MAIN
