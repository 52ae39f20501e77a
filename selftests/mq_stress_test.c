// SPDX-License-Identifier: GPL-2.0-only
/*
 * Message queue stress: producer and consumer processes hammer one small
 * queue with every kind of send and receive (single, vectored, read() and
 * write()), mixed priorities and sizes, so that senders block on a full
 * queue and receivers on an empty one, and messages are handed over
 * directly all the time. Every message carries its producer, sequence
 * number, priority and a checksum. Consumers check each message and the
 * order they see within one producer and priority; the parent checks that
 * every message arrived exactly once.
 *
 * The variants add signals (with and without SA_RESTART) flying at every
 * process, and an administrator removing the queue in mid-run.
 *
 * Producers keep a ledger: a message is acknowledged once its send
 * returned success. Every message received was acknowledged, and every
 * acknowledged message is received, except, under removal, those the
 * queue held when it went: to know how many, the consumers pause just
 * before the removal, until the queue is full and a producer waits, so
 * that its depth stands still. Under signals some call must have been
 * interrupted (EINTR), or the variant tested nothing new.
 */
#include <stdarg.h>

#include "kipc_test.h"

#define PRODUCERS	4
#define CONSUMERS	4
#define PRIOS		(KIPC_MQ_PRIO_MAX + 1)
#define BATCH		8
#define PAYLOAD_MAX	40

/*
 * The issue asks for 100000 messages per producer, and that is what the
 * main run sends: measured in the TCG guest with slab_debug and KFENCE,
 * the 400000 messages took 5 s on an idle host and up to 24 s with another
 * guest running beside it (some 15-60 us each, end to end). The variants
 * under signals and removal go through the same paths with a fifth of
 * that, about 2 s each, so the binary stays well under a minute.
 */
#define PER_PRODUCER		100000
#define PER_PRODUCER_SHORT	20000

#define MAGIC		0x6b697063U	/* "kipc" */
/* The queue's capacity: what a removal may take with it. */
#define DEPTH		16

struct stress_msg {
	__u32 magic;
	__u32 producer;
	__u32 seq;
	__u32 prio;
	__u32 len;		/* of the payload */
	__u32 csum;		/* over everything above and the payload */
	__u8 payload[PAYLOAD_MAX];
};

#define HDR	offsetof(struct stress_msg, payload)

/* Shared by the parent and all children. */
struct stress_state {
	__u32 received;		/* messages taken, all consumers */
	__u32 done;		/* consumers may stop at the next timeout */
	__u32 errors;
	__u32 eidrm_producers;	/* producers that saw EIDRM */
	__u32 eidrm_consumers;	/* consumers that saw EIDRM */
	__u32 finished;		/* producers that sent everything */
	__u32 eintr;		/* calls that returned EINTR */
	__u32 pause;		/* consumers make no call (before a removal) */
	char first_error[128];
	__u8 seen[PRODUCERS][PER_PRODUCER];
	__u8 acked[PRODUCERS][PER_PRODUCER];	/* the send said it went */
};

struct stress_cfg {
	unsigned int per_producer;
	bool signals;		/* SIGUSR1 at everybody, all the time */
	bool remove;		/* remove the queue half-way */
};

static __u32 fnv1a(const void *p, size_t len, __u32 h)
{
	const __u8 *b = p;

	while (len--) {
		h ^= *b++;
		h *= 16777619U;
	}
	return h;
}

static __u32 msg_csum(const struct stress_msg *m)
{
	__u32 h = fnv1a(m, offsetof(struct stress_msg, csum), 2166136261U);

	return fnv1a(m->payload, m->len, h);
}

/* Deterministic, so that the parent could rebuild any message. */
static __u32 msg_prio(__u32 producer, __u32 seq)
{
	return (seq * 2654435761U + producer * 97U) >> 27;
}

static void msg_build(struct stress_msg *m, __u32 producer, __u32 seq)
{
	__u32 i;

	m->magic = MAGIC;
	m->producer = producer;
	m->seq = seq;
	m->prio = msg_prio(producer, seq);
	m->len = (seq * 7 + producer) % (PAYLOAD_MAX + 1);
	for (i = 0; i < m->len; i++)
		m->payload[i] = (__u8)(seq + i * 13 + producer);
	m->csum = msg_csum(m);
}

static void stress_error(struct stress_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void stress_error(struct stress_state *st, const char *fmt, ...)
{
	va_list ap;

	if (__atomic_fetch_add(&st->errors, 1, __ATOMIC_SEQ_CST))
		return;
	va_start(ap, fmt);
	vsnprintf(st->first_error, sizeof(st->first_error), fmt, ap);
	va_end(ap);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void stress_signals(bool restart)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

/* Send messages [first, first + n) of @producer, in order, however fits. */
static int produce_batch(struct stress_state *st, int qfd, __u32 producer,
			 __u32 first, __u32 n, unsigned int how)
{
	struct stress_msg msgs[BATCH];
	struct kipc_mq_vec vec[BATCH];
	__u32 i, done = 0;
	__u8 *acked = st->acked[producer] + first;
	int ret;

	for (i = 0; i < n; i++) {
		msg_build(&msgs[i], producer, first + i);
		vec[i].buf = (uintptr_t)&msgs[i];
		vec[i].len = HDR + msgs[i].len;
		vec[i].prio = msgs[i].prio;
	}
	while (done < n) {
		struct stress_msg *m = &msgs[done];

		if (how == 0 && n - done > 1) {
			ret = _test_cmd_mq_sendv(qfd, &vec[done], n - done, 0);
			if (ret > 0) {
				while (ret--)
					acked[done++] = 1;
				continue;
			}
		} else if (how == 1 && m->prio == 0) {
			ret = write(qfd, m, vec[done].len);
			if (ret == (int)vec[done].len) {
				acked[done++] = 1;
				continue;
			}
			if (ret >= 0) {
				stress_error(st, "short write %d", ret);
				return -1;
			}
		} else {
			ret = _test_cmd_mq_send(qfd, m, vec[done].len,
						m->prio, 0);
			if (!ret) {
				acked[done++] = 1;
				continue;
			}
		}
		if (errno == EINTR) {
			__atomic_fetch_add(&st->eintr, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (errno == EIDRM)
			return -EIDRM;
		stress_error(st, "producer %u: send: %s", producer,
			     strerror(errno));
		return -1;
	}
	return 0;
}

static void run_producer(struct stress_state *st, int qfd, __u32 id,
			 const struct stress_cfg *cfg)
{
	__u32 seq = 0, n;
	unsigned int round = 0;

	if (cfg->signals)
		stress_signals(id & 1);
	while (seq < cfg->per_producer) {
		/* Vectored batches, write() and single sends by turns. */
		unsigned int how = round++ % 3;
		int ret;

		n = how == 0 ? BATCH : 1 + round % 3;
		if (n > cfg->per_producer - seq)
			n = cfg->per_producer - seq;
		ret = produce_batch(st, qfd, id, seq, n, how);
		if (ret == -EIDRM) {
			__atomic_fetch_add(&st->eidrm_producers, 1,
					   __ATOMIC_SEQ_CST);
			return;
		}
		if (ret)
			return;
		seq += n;
	}
	__atomic_fetch_add(&st->finished, 1, __ATOMIC_SEQ_CST);
}

struct consumer_state {
	int last[PRODUCERS][PRIOS];	/* last seq seen, -1 for none */
};

static void consume_one(struct stress_state *st, struct consumer_state *cs,
			const struct stress_cfg *cfg, const void *buf,
			__u32 len, __u32 prio)
{
	struct stress_msg m;

	memset(&m, 0, sizeof(m));
	if (len < HDR || len > sizeof(m)) {
		stress_error(st, "bad length %u", len);
		return;
	}
	memcpy(&m, buf, len);
	if (m.magic != MAGIC || m.producer >= PRODUCERS ||
	    m.seq >= cfg->per_producer || m.len != len - HDR) {
		stress_error(st, "bad header: magic %#x producer %u seq %u",
			     m.magic, m.producer, m.seq);
		return;
	}
	if (m.csum != msg_csum(&m)) {
		stress_error(st, "bad checksum: producer %u seq %u",
			     m.producer, m.seq);
		return;
	}
	/* read() does not tell the priority. */
	if (prio == UINT32_MAX)
		prio = m.prio;
	if (m.prio != prio || prio != msg_prio(m.producer, m.seq)) {
		stress_error(st, "bad priority %u/%u: producer %u seq %u",
			     prio, m.prio, m.producer, m.seq);
		return;
	}
	/*
	 * A producer sends in sequence, each priority is a FIFO, and a
	 * consumer takes one message after the other: so within a producer
	 * and a priority, each consumer sees the sequence numbers rise.
	 * (Which of two consumers took a message first cannot be observed.)
	 */
	if ((int)m.seq <= cs->last[m.producer][prio]) {
		stress_error(st, "out of order: producer %u prio %u seq %u, after %d",
			     m.producer, prio, m.seq,
			     cs->last[m.producer][prio]);
		return;
	}
	cs->last[m.producer][prio] = m.seq;
	if (__atomic_fetch_add(&st->seen[m.producer][m.seq], 1,
			       __ATOMIC_RELAXED))
		stress_error(st, "duplicate: producer %u seq %u", m.producer,
			     m.seq);
	__atomic_fetch_add(&st->received, 1, __ATOMIC_SEQ_CST);
}

static void run_consumer(struct stress_state *st, int qfd, int nbfd,
			 __u32 id, const struct stress_cfg *cfg)
{
	struct stress_msg bufs[BATCH];
	struct kipc_mq_vec vec[BATCH];
	struct consumer_state cs;
	unsigned int round = 0, i;

	memset(&cs, 0xff, sizeof(cs));
	if (cfg->signals)
		stress_signals(id & 1);
	for (;;) {
		unsigned int how = round++ % 3;
		__u32 len, prio;
		int ret;

		if (__atomic_load_n(&st->pause, __ATOMIC_SEQ_CST)) {
			usleep(1000);
			continue;
		}
		if (how == 0) {
			/* read(): non-blocking fd, so that it cannot hang. */
			ret = read(nbfd, &bufs[0], sizeof(bufs[0]));
			if (ret >= 0) {
				consume_one(st, &cs, cfg, &bufs[0], ret,
					    UINT32_MAX);
				continue;
			}
			if (errno == EAGAIN)
				continue;
		} else if (how == 1) {
			struct kipc_mq_sendv cmd = {
				.size = sizeof(cmd),
				.flags = KIPC_WAIT_DEADLINE,
				.vec = (uintptr_t)vec,
				.count = BATCH,
				.clockid = CLOCK_MONOTONIC,
			};

			for (i = 0; i < BATCH; i++) {
				vec[i].buf = (uintptr_t)&bufs[i];
				vec[i].len = sizeof(bufs[i]);
			}
			cmd.deadline = kipc_now_ns(CLOCK_MONOTONIC) +
				       100000000ULL;
			ret = ioctl(qfd, KIPC_IOC_MQ_RECVV, &cmd);
			for (i = 0; ret > 0 && i < (unsigned int)ret; i++)
				consume_one(st, &cs, cfg, &bufs[i], vec[i].len,
					    vec[i].prio);
			if (ret > 0)
				continue;
		} else {
			struct kipc_mq_recv cmd = {
				.size = sizeof(cmd),
				.flags = KIPC_WAIT_DEADLINE,
				.buf = (uintptr_t)&bufs[0],
				.len = sizeof(bufs[0]),
				.clockid = CLOCK_REALTIME,
			};

			cmd.deadline = kipc_now_ns(CLOCK_REALTIME) +
				       100000000ULL;
			ret = ioctl(qfd, KIPC_IOC_MQ_RECV, &cmd);
			len = cmd.out_len;
			prio = cmd.out_prio;
			if (ret >= 0) {
				consume_one(st, &cs, cfg, &bufs[0], len, prio);
				continue;
			}
		}
		if (errno == EINTR) {
			__atomic_fetch_add(&st->eintr, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (errno == EIDRM) {
			__atomic_fetch_add(&st->eidrm_consumers, 1,
					   __ATOMIC_SEQ_CST);
			return;
		}
		if (errno == ETIMEDOUT) {
			/* Removal, when it comes, is the only way out. */
			if (!cfg->remove &&
			    __atomic_load_n(&st->done, __ATOMIC_SEQ_CST))
				return;
			continue;
		}
		stress_error(st, "consumer %u: receive: %s", id,
			     strerror(errno));
		return;
	}
}

FIXTURE(stress) {
	int fd;
	struct kipc_nl nl;
	char name[KIPC_NAME_MAX + 1];
	struct stress_state *st;
};

FIXTURE_VARIANT(stress) {
	struct stress_cfg cfg;
};

FIXTURE_VARIANT_ADD(stress, plain) {
	.cfg = { .per_producer = PER_PRODUCER },
};

FIXTURE_VARIANT_ADD(stress, signals) {
	.cfg = { .per_producer = PER_PRODUCER_SHORT, .signals = true },
};

FIXTURE_VARIANT_ADD(stress, remove) {
	.cfg = { .per_producer = PER_PRODUCER_SHORT, .remove = true },
};

FIXTURE_SETUP(stress)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	test_nl_open(&self->nl);
	test_name(self->name, "q");
	self->st = mmap(NULL, sizeof(*self->st), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->st);
}

FIXTURE_TEARDOWN(stress)
{
	_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	munmap(self->st, sizeof(*self->st));
	close(self->nl.fd);
	close(self->fd);
}

TEST_F_TIMEOUT(stress, producers_consumers, 120)
{
	struct stress_cfg scaled = variant->cfg;
	const struct stress_cfg *cfg = &scaled;
	__u32 total;
	struct stress_state *st = self->st;
	pid_t prod[PRODUCERS], cons[CONSUMERS];
	__u64 id, t0, hwm, sends, recvs, depth = 0;
	unsigned int i, p, s, missing = 0, dropped = 0;
	int qfd, nbfd;

	if (kipc_debug_mode())
		scaled.per_producer /= KIPC_DEBUG_SCALE;
	total = PRODUCERS * cfg->per_producer;

	/* Small, so that it is full or empty much of the time. */
	qfd = test_mq_create(self->name, DEPTH, sizeof(struct stress_msg));
	nbfd = test_ioctl_open(KIPC_OBJ_MQ, self->name,
			       KIPC_OPEN_READ | KIPC_OPEN_NONBLOCK, 0, NULL,
			       NULL, NULL);
	id = test_obj_id(qfd);
	t0 = kipc_now_ns(CLOCK_MONOTONIC);
	/* Children inherit it, so no signal can come before a handler. */
	if (cfg->signals)
		stress_signals(true);

	for (i = 0; i < CONSUMERS; i++) {
		cons[i] = test_fork();
		if (cons[i] == 0) {
			run_consumer(st, qfd, nbfd, i, cfg);
			_exit(0);
		}
	}
	for (i = 0; i < PRODUCERS; i++) {
		prod[i] = test_fork();
		if (prod[i] == 0) {
			run_producer(st, qfd, i, cfg);
			_exit(0);
		}
	}

	if (cfg->signals) {
		/* Until the last message is in, keep interrupting everyone. */
		while (__atomic_load_n(&st->received, __ATOMIC_SEQ_CST) <
		       total && !st->errors &&
		       kipc_now_ns(CLOCK_MONOTONIC) < t0 + 90000000000ULL) {
			for (i = 0; i < PRODUCERS; i++)
				kill(prod[i], SIGUSR1);
			for (i = 0; i < CONSUMERS; i++)
				kill(cons[i], SIGUSR1);
			usleep(500);
		}
	}
	if (cfg->remove) {
		/* Remove it half-way, with everybody busy. */
		while (__atomic_load_n(&st->received, __ATOMIC_SEQ_CST) <
		       total / 2 && !st->errors &&
		       kipc_now_ns(CLOCK_MONOTONIC) < t0 + 90000000000ULL)
			usleep(1000);
		/* Full, a producer waiting, nobody taking: it stands still. */
		__atomic_store_n(&st->pause, 1, __ATOMIC_SEQ_CST);
		while ((test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_DEPTH) < DEPTH ||
			!test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_WAIT_SEND)) &&
		       kipc_now_ns(CLOCK_MONOTONIC) < t0 + 90000000000ULL)
			usleep(1000);
		depth = test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_DEPTH);
		ASSERT_EQ(0, kipc_nl_obj_remove(&self->nl, id));
		__atomic_store_n(&st->pause, 0, __ATOMIC_SEQ_CST);
	}
	for (i = 0; i < PRODUCERS; i++)
		test_wait_child(prod[i]);

	/* Every message sent must come out: wait for the consumers. */
	while (!cfg->remove && !st->errors &&
	       __atomic_load_n(&st->received, __ATOMIC_SEQ_CST) < total &&
	       kipc_now_ns(CLOCK_MONOTONIC) < t0 + 100000000000ULL)
		usleep(1000);
	__atomic_store_n(&st->done, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < CONSUMERS; i++)
		test_wait_child(cons[i]);

	TH_LOG("%u messages in %llu ms, %u EINTR", st->received,
	       (unsigned long long)(kipc_now_ns(CLOCK_MONOTONIC) - t0) /
	       1000000, st->eintr);
	ASSERT_EQ(0U, st->errors) TH_LOG("%s", st->first_error);

	for (p = 0; p < PRODUCERS; p++) {
		for (s = 0; s < cfg->per_producer; s++) {
			ASSERT_GE(1, st->seen[p][s]);
			/* Delivered, yet its sender was told it failed. */
			ASSERT_FALSE(st->seen[p][s] && !st->acked[p][s])
				TH_LOG("producer %u seq %u: received, not acknowledged",
				       p, s);
			if (!st->seen[p][s])
				missing++;
			if (st->acked[p][s] && !st->seen[p][s] && !dropped++)
				TH_LOG("acknowledged, not received: producer %u seq %u",
				       p, s);
		}
	}
	if (cfg->remove) {
		/*
		 * Every consumer learnt of the removal, and every producer
		 * that was not done; what was taken, was taken once; what
		 * was acknowledged and never taken, the queue held when it
		 * went: exactly its depth then.
		 */
		TH_LOG("removal took %u acknowledged messages, of a depth of %llu",
		       dropped, (unsigned long long)depth);
		ASSERT_EQ((__u32)CONSUMERS, st->eidrm_consumers);
		ASSERT_EQ((__u32)PRODUCERS,
			  st->eidrm_producers + st->finished);
		ASSERT_LT(0U, st->eidrm_producers);
		ASSERT_EQ(total - missing, st->received);
		ASSERT_EQ((__u32)DEPTH, (__u32)depth);
		ASSERT_EQ((__u32)depth, dropped);
		close(nbfd);
		close(qfd);
		return;
	}
	ASSERT_EQ(0U, missing);
	ASSERT_EQ(0U, dropped);
	ASSERT_EQ(total, st->received);
	/* Signals that never interrupted a call tested nothing. */
	if (cfg->signals)
		ASSERT_LT(0U, st->eintr);
	ASSERT_EQ((__u32)PRODUCERS, st->finished);

	hwm = test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_HWM);
	sends = test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_SENDS);
	recvs = test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_RECVS);
	ASSERT_EQ((__u64)total, sends);
	ASSERT_EQ((__u64)total, recvs);
	ASSERT_GE((__u64)DEPTH, hwm);
	ASSERT_EQ(0U, test_mq_depth(qfd));
	ASSERT_EQ(0ULL, test_nl_mq(&self->nl, id, KIPC_A_OBJ_MQ_BYTES));
	close(nbfd);
	close(qfd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
}

TEST_HARNESS_MAIN
