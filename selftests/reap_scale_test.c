// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reaper and the netlink dumps must not scale with the whole system.
 * Any user may leave many dead IPC namespaces behind, each with an object
 * kept open so that the namespace stays dead rather than gone, and then ask
 * for statistics in a loop (no capability needed): that must not stall
 * opens by name in the other namespaces. Open-by-name latency is measured
 * with and without such a load, in interleaved rounds so that a busy host
 * weighs on both alike, and the medians must stay within 1.5x. The opens
 * are scheduled at a fixed period (four times an idle open, at least
 * 0.5 ms) and each one's latency counts from its
 * scheduled time, as a client's would: issued back to back instead, one
 * open would wait out a long hold and the rest would slip into the gap
 * after it, leaving the median untouched however long the lock is held.
 * Each open is followed by a control, a KIPC_IOC_VERSION, which takes no
 * lock: under emulation on a shared host a busy second vCPU slows the first
 * whatever the module does, so the bound applies to the open's slowdown
 * beyond the control's.
 *
 * The load process lives in a namespace of its own with a few objects, and
 * loops stats-get, limits-get and a dump of its namespace. It runs on a CPU
 * of its own and pauses SCALE_LOAD_PAUSE_US between rounds, so that what is
 * measured is the registry lock, not a share of the CPU (under emulation a
 * busy second vCPU slows the first): a reap that walks every object holds
 * the lock for far longer than that pause.
 *
 * Sizes: make check runs 200 dead namespaces and 5,000 live objects; the
 * debug tier (KIPC_MODE=debug, where the soft-lockup detector panics) runs
 * the 2,000 dead namespaces of issue 15 and 10,000 live objects, as many as
 * nl_dump_test creates there. KIPC_SCALE_DEAD and KIPC_SCALE_LIVE override
 * both, e.g. make run-check-debug GUEST_ENV="KIPC_ONLY=reap_scale_test
 * KIPC_SCALE_LIVE=100000" for the 100,000 live objects.
 */
#include <sys/mman.h>
#include <sys/resource.h>

#include "kipc_test.h"

#define SCALE_DEAD		200
#define SCALE_LIVE		5000
#define SCALE_DEAD_DEBUG	2000
#define SCALE_LIVE_DEBUG	10000

#define SCALE_ROUNDS		8	/* idle and loaded blocks, alternating */
#define SCALE_PER_ROUND		250	/* opens measured per block */
#define SCALE_BLOCK_NS		(5 * 1000000000LL)	/* a block's budget */
#define SCALE_PERIOD_NS		500000	/* least period of scheduled opens */
#define SCALE_PERIOD_FACTOR	4	/* period >= this x an idle open */
#define SCALE_CALIBRATE		64	/* opens timed to choose the period */
#define SCALE_LOAD_OBJS		4	/* objects in the load's namespace */
#define SCALE_LOAD_PAUSE_US	2000	/* between two rounds of the load */
#define SCALE_MAX_RATIO		1.5

enum { LOAD_PAUSE, LOAD_RUN, LOAD_STOP };

/* Shared with the load process. */
struct scale_ctl {
	int want;		/* LOAD_* */
	int acked;		/* the load's current LOAD_* */
	long rounds;		/* load rounds done */
	int err;		/* first failing call of the load: -errno */
};

FIXTURE(scale) {
	int fd;
	unsigned int nr_dead, nr_live;
	char prefix[KIPC_NAME_MAX - 16];
	char target[KIPC_NAME_MAX + 1];
	unsigned int created;
	pid_t holder, load;
	int holder_go[2];
	struct scale_ctl *ctl;
	long long period;	/* between two scheduled opens, ns */
};

/* The size @env says, else @def. */
static unsigned int scale_size(const char *env, unsigned int def)
{
	const char *v = getenv(env);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

/* Run on @cpu, if there are two CPUs to spread over. */
static void scale_pin(int cpu)
{
	cpu_set_t set;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static long long scale_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int scale_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static long long scale_median(long long *v, int n)
{
	qsort(v, n, sizeof(*v), scale_cmp);
	return n ? v[n / 2] : 0;
}

/* KIPC_CMD_LIMITS_GET of our namespace: 0 or -errno. */
static int scale_limits_get(struct kipc_nl *nl)
{
	struct kipc_nl_req req;
	struct kipc_nl_msg msg;
	int count = 0, ret;

	kipc_nl_req_init(nl, &req, nl->family, 0, KIPC_CMD_LIMITS_GET,
			 KIPC_GENL_VERSION);
	ret = kipc_nl_send(nl, &req);
	if (ret)
		return ret;
	ret = kipc_nl_recv(nl, nl->family, &msg, 1, &count);
	return !ret && count != 1 ? -EBADMSG : ret;
}

/*
 * The load: in a new namespace with a few objects, stats-get, limits-get
 * and a dump of its objects, over and over while ctl->want says so.
 */
static void scale_load(struct scale_ctl *ctl, int devfd)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SEM);
	static struct kipc_nl_msg msgs[SCALE_LOAD_OBJS + 1];
	struct kipc_nl_msg msg;
	struct kipc_nl nl;
	char name[32];
	int i, ret, want;

	scale_pin(1);
	if (unshare(CLONE_NEWIPC) || kipc_nl_open(&nl)) {
		ctl->err = -errno;
		_exit(1);
	}
	for (i = 0; i < SCALE_LOAD_OBJS; i++) {
		snprintf(name, sizeof(name), "load.%d", i);
		ret = _test_cmd_open(devfd, KIPC_OBJ_SEM, name, KIPC_NEW, 0600,
				     &attr, NULL, NULL);
		if (ret < 0) {
			ctl->err = -errno;
			_exit(1);
		}
		close(ret);
	}
	for (;;) {
		want = __atomic_load_n(&ctl->want, __ATOMIC_ACQUIRE);
		if (want == LOAD_STOP)
			break;
		__atomic_store_n(&ctl->acked, want, __ATOMIC_RELEASE);
		if (want == LOAD_PAUSE) {
			usleep(200);
			continue;
		}
		ret = kipc_nl_stats_get(&nl, &msg);
		if (!ret)
			ret = scale_limits_get(&nl);
		if (!ret) {
			ret = kipc_nl_obj_dump(&nl, msgs, ARRAY_SIZE(msgs));
			ret = ret == SCALE_LOAD_OBJS ? 0 : ret < 0 ? ret :
			      -EBADMSG;
		}
		if (ret) {
			ctl->err = ret;
			break;
		}
		__atomic_add_fetch(&ctl->rounds, 1, __ATOMIC_RELEASE);
		usleep(SCALE_LOAD_PAUSE_US);
	}
	_exit(0);
}

/*
 * The holder: one new namespace after the other, each left with one object
 * it keeps open, so that every namespace but its last dies with its object
 * still held. It stays until told to go.
 */
static void scale_holder(int devfd, unsigned int nr, int go, int done)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SEM);
	struct rlimit rl = { nr + 64, nr + 64 };
	unsigned int i;
	char c = 0;
	int ret;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		_exit(1);
	for (i = 0; i < nr; i++) {
		if (unshare(CLONE_NEWIPC))
			_exit(2);
		ret = _test_cmd_open(devfd, KIPC_OBJ_SEM, "held", KIPC_NEW,
				     0600, &attr, NULL, NULL);
		if (ret < 0)
			_exit(3);
	}
	/* Let the last one die too. */
	if (unshare(CLONE_NEWIPC))
		_exit(2);
	if (write(done, &c, 1) != 1)
		_exit(4);
	/* Until the parent closes its end. */
	while (read(go, &c, 1) > 0)
		;
	_exit(0);
}

FIXTURE_SETUP(scale)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SEM);
	char name[KIPC_NAME_MAX + 1];
	int done[2], ret;
	unsigned int i;
	char c;

	self->fd = -1;
	self->holder = -1;
	self->load = -1;
	self->created = 0;
	if (geteuid())
		SKIP(return, "needs root: CAP_SYS_RESOURCE passes the object limits, setrlimit()");
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->nr_dead = scale_size("KIPC_SCALE_DEAD", kipc_debug_mode() ?
				   SCALE_DEAD_DEBUG : SCALE_DEAD);
	self->nr_live = scale_size("KIPC_SCALE_LIVE", kipc_debug_mode() ?
				   SCALE_LIVE_DEBUG : SCALE_LIVE);
	test_name(self->prefix, "s");
	snprintf(self->target, sizeof(self->target), "%s.target",
		 self->prefix);

	self->ctl = mmap(NULL, sizeof(*self->ctl), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->ctl);
	memset(self->ctl, 0, sizeof(*self->ctl));

	/* The dead namespaces, each with an object held open. */
	ASSERT_EQ(0, pipe(self->holder_go));
	ASSERT_EQ(0, pipe(done));
	self->holder = fork();
	ASSERT_LE(0, self->holder);
	if (self->holder == 0) {
		close(self->holder_go[1]);
		close(done[0]);
		scale_holder(self->fd, self->nr_dead, self->holder_go[0],
			     done[1]);
	}
	close(self->holder_go[0]);
	close(done[1]);
	ASSERT_EQ(1, read(done[0], &c, 1))
		TH_LOG("the holder failed to leave %u dead namespaces",
		       self->nr_dead);
	close(done[0]);

	/* The live objects of our namespace, held by their names. */
	ret = test_ioctl_create(KIPC_OBJ_SEM, self->target, 0600, NULL);
	close(ret);
	for (i = 0; i < self->nr_live; i++) {
		snprintf(name, sizeof(name), "%s.%u", self->prefix, i);
		ret = _test_cmd_open(self->fd, KIPC_OBJ_SEM, name, KIPC_NEW,
				     0600, &attr, NULL, NULL);
		ASSERT_LE(0, ret)
			TH_LOG("live object %u of %u: %s", i, self->nr_live,
			       strerror(errno));
		close(ret);
		self->created = i + 1;
	}

	self->load = fork();
	ASSERT_LE(0, self->load);
	if (self->load == 0)
		scale_load(self->ctl, self->fd);
	scale_pin(0);
}

FIXTURE_TEARDOWN(scale)
{
	char name[KIPC_NAME_MAX + 1];
	unsigned int i;

	if (self->load > 0) {
		__atomic_store_n(&self->ctl->want, LOAD_STOP,
				 __ATOMIC_RELEASE);
		waitpid(self->load, NULL, 0);
	}
	if (self->holder > 0) {
		close(self->holder_go[1]);
		waitpid(self->holder, NULL, 0);
	}
	if (self->fd < 0 || geteuid())
		return;
	_test_cmd_unlink(self->fd, KIPC_OBJ_SEM, self->target);
	for (i = 0; i < self->created; i++) {
		snprintf(name, sizeof(name), "%s.%u", self->prefix, i);
		_test_cmd_unlink(self->fd, KIPC_OBJ_SEM, name);
	}
	close(self->fd);
}

/* Set the load to @want and wait until it is there. */
static void scale_set_load(struct __test_metadata *_metadata,
			   struct scale_ctl *ctl, int want)
{
	long long deadline = scale_now() + 600 * 1000000000LL;
	long rounds = __atomic_load_n(&ctl->rounds, __ATOMIC_ACQUIRE);

	__atomic_store_n(&ctl->want, want, __ATOMIC_RELEASE);
	/* Running means one whole round started after the switch. */
	while (__atomic_load_n(&ctl->acked, __ATOMIC_ACQUIRE) != want ||
	       (want == LOAD_RUN &&
		__atomic_load_n(&ctl->rounds, __ATOMIC_ACQUIRE) < rounds + 2)) {
		ASSERT_EQ(0, ctl->err);
		ASSERT_GT(deadline, scale_now());
		usleep(500);
	}
}

/*
 * Open the target by name at each of SCALE_PER_ROUND scheduled times, and
 * store each latency into @v from @n: how many are there now. An open
 * issued on time counts from its call, so that a late wakeup of ours is not
 * charged to the module; times that passed while an open was blocked count
 * from the time itself, and at least until the blocked open returned.
 */
static int scale_measure(struct __test_metadata *_metadata,
			 FIXTURE_DATA(scale) *self, long long *v,
			 long long *ctl, int n)
{
	struct kipc_version ver;
	long long start = scale_now(), slot = start, begin, end, c;
	struct timespec ts;
	int k = 0, ofd;

	while (k < SCALE_PER_ROUND) {
		if (scale_now() < slot) {
			ts.tv_sec = slot / 1000000000LL;
			ts.tv_nsec = slot % 1000000000LL;
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
					NULL);
		}
		begin = scale_now();
		ofd = _test_cmd_open(self->fd, KIPC_OBJ_SEM, self->target,
				     KIPC_RW, 0, NULL, NULL, NULL);
		end = scale_now();
		ASSERT_LE(0, ofd);
		close(ofd);
		c = scale_now();
		ASSERT_EQ(0, _test_cmd_version(self->fd, &ver));
		c = scale_now() - c;
		do {
			ctl[n] = c;
			v[n++] = end - (slot > begin ? slot : begin);
			slot += self->period;
			k++;
		} while (k < SCALE_PER_ROUND && slot < end);
		if (end - start > SCALE_BLOCK_NS)
			break;
	}
	return n;
}

TEST_F_TIMEOUT(scale, open_latency_under_stats_load, 300)
{
	static long long idle[SCALE_ROUNDS * SCALE_PER_ROUND];
	static long long busy[SCALE_ROUNDS * SCALE_PER_ROUND];
	static long long c_idle[SCALE_ROUNDS * SCALE_PER_ROUND];
	static long long c_busy[SCALE_ROUNDS * SCALE_PER_ROUND];
	long long m_idle, m_busy, mc_idle, mc_busy, t;
	int n_idle = 0, n_busy = 0, r;
	double ratio, ctl_ratio;
	struct kipc_nl nl;
	long rounds;

	/* A first stats-get reaps the dead namespaces, however long. */
	test_nl_open(&nl);
	t = scale_now();
	test_nl_stats_attr(&nl, KIPC_A_STATS_OBJECTS);
	ksft_print_msg("%u dead namespaces, %u live objects; first stats-get %lld us\n",
		       self->nr_dead, self->nr_live,
		       (scale_now() - t) / 1000);
	close(nl.fd);

	/*
	 * The period: at least SCALE_PERIOD_FACTOR times an idle open, so
	 * that the opens keep up with their schedule when nothing holds the
	 * lock (a debug kernel's open takes most of a millisecond). Were the
	 * period shorter than an open, every latency would be a queue's and
	 * any slowdown would grow without bound.
	 */
	scale_set_load(_metadata, self->ctl, LOAD_PAUSE);
	for (r = 0; r < SCALE_CALIBRATE; r++) {
		int ofd;

		t = scale_now();
		ofd = _test_cmd_open(self->fd, KIPC_OBJ_SEM, self->target,
				     KIPC_RW, 0, NULL, NULL, NULL);
		idle[r] = scale_now() - t;
		ASSERT_LE(0, ofd);
		close(ofd);
	}
	self->period = SCALE_PERIOD_FACTOR * scale_median(idle, r);
	if (self->period < SCALE_PERIOD_NS)
		self->period = SCALE_PERIOD_NS;
	ksft_print_msg("opens scheduled every %lld us\n", self->period / 1000);

	for (r = 0; r < SCALE_ROUNDS; r++) {
		scale_set_load(_metadata, self->ctl, LOAD_PAUSE);
		n_idle = scale_measure(_metadata, self, idle, c_idle, n_idle);
		scale_set_load(_metadata, self->ctl, LOAD_RUN);
		n_busy = scale_measure(_metadata, self, busy, c_busy, n_busy);
	}
	rounds = __atomic_load_n(&self->ctl->rounds, __ATOMIC_ACQUIRE);
	scale_set_load(_metadata, self->ctl, LOAD_PAUSE);
	ASSERT_EQ(0, self->ctl->err);

	m_idle = scale_median(idle, n_idle);
	m_busy = scale_median(busy, n_busy);
	mc_idle = scale_median(c_idle, n_idle);
	mc_busy = scale_median(c_busy, n_busy);
	ASSERT_LT(0, m_idle);
	ASSERT_LT(0, mc_idle);
	ratio = (double)m_busy / m_idle;
	ctl_ratio = (double)mc_busy / mc_idle;
	ksft_print_msg("open-by-name median: %lld ns idle (%d opens), %lld ns under load (%d opens, %ld load rounds): %.2fx\n",
		       m_idle, n_idle, m_busy, n_busy, rounds, ratio);
	ksft_print_msg("control (no lock) median: %lld ns idle, %lld ns under load: %.2fx\n",
		       mc_idle, mc_busy, ctl_ratio);
	EXPECT_GE(SCALE_MAX_RATIO * (ctl_ratio > 1 ? ctl_ratio : 1), ratio)
		TH_LOG("stats-get load slows opens %.1fx, the control %.1fx",
		       ratio, ctl_ratio);
}

TEST_HARNESS_MAIN
