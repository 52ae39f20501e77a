// SPDX-License-Identifier: GPL-2.0-only
/*
 * Systematic fault injection (Tier B): for every ioctl and every netlink
 * operation, fail the 1st, 2nd, ... nth allocation of the call through
 * /proc/thread-self/fail-nth, until the call runs with no failure injected.
 *
 * After each attempt:
 *  - a call that failed returned -1 with ENOMEM (or an errno the operation
 *    documents for this case, listed in its table row);
 *  - the state is what the return value says: no half-made object, a
 *    queued message neither lost nor duplicated, a size, seal, value or
 *    removal either fully done or not at all;
 *  - once the attempt's objects are closed and unlinked, the module's
 *    object count and the namespace's charged bytes are back where they
 *    were (the runner's kmemleak scans and rmmod catch what leaked).
 *
 * Each test prints its coverage: per operation, the fault points the call
 * reached (allocation sites, counting those inside the kernel's own
 * helpers), how many of them made the call fail and how many the call
 * absorbed (a failed allocation that the kernel retried or did without).
 *
 * failslab and fail_page_alloc are set up through debugfs so that fail-nth
 * can hit GFP_KERNEL allocations of any order (ignore-gfp-wait=N,
 * min-order=0), quietly (verbose=0); user pages (highmem) stay exempt so
 * that a page fault never meets an injected failure. Nothing the test
 * touches inside an injection window is new memory: the buffers are static
 * and touched beforehand, and the netlink client here reads into them
 * instead of malloc()ing as kipc_test.h's does.
 *
 * Each test runs in two modes (the fixture's variants). "once" fails only
 * the nth allocation, so a call that gets over a failure (a vmalloc after a
 * kmalloc, a retry) is never failed again there. "from_nth" fails the nth
 * and every later allocation of the call as well: fail-nth makes the nth
 * fail, and failslab and fail_page_alloc (probability 100, interval 1,
 * times -1, filtered to this task through /proc/thread-self/make-it-fail,
 * which is set for the call only) fail everything after it. fail-nth
 * counts before the filter is consulted, so the first n - 1 succeed.
 *
 * A row whose call must allocate (a create, a send, a netlink reply) fails
 * unless it reached at least one fault point: were failslab to stop
 * reaching kipc, it would otherwise pass having injected nothing. A
 * create must also, in "once" mode, have been failed by one of them: the
 * points reached include allocations outside kipc that the call absorbs,
 * which a failslab that misses kipc still reaches. Otherwise whether an
 * injected failure fails the call or is absorbed is each row's check's
 * business.
 *
 * Without /proc/thread-self/fail-nth (a kernel without
 * CONFIG_FAULT_INJECTION, such as Debian's) every test is a SKIP, except
 * under KIPC_MODE=debug, whose kernel has fault injection: there a missing
 * knob fails the test.
 */
#include "kipc_test.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define DBG		"/sys/kernel/debug/"
/* No call of kipc reaches this many fault points. */
#define MAX_NTH		4000

/* --- debugfs setup ------------------------------------------------------- */

struct knob {
	const char *path;
	const char *value;
	char saved[32];
	bool set;
};

static struct knob knobs[] = {
	{ .path = DBG "failslab/ignore-gfp-wait", .value = "N" },
	{ .path = DBG "failslab/verbose", .value = "0" },
	{ .path = DBG "failslab/task-filter", .value = "Y" },
	{ .path = DBG "fail_page_alloc/ignore-gfp-wait", .value = "N" },
	{ .path = DBG "fail_page_alloc/min-order", .value = "0" },
	{ .path = DBG "fail_page_alloc/verbose", .value = "0" },
	{ .path = DBG "fail_page_alloc/task-filter", .value = "Y" },
	/*
	 * For "from_nth": with the task filter these fail only a task whose
	 * make-it-fail is set, which is ours during a call in that mode.
	 */
	{ .path = DBG "failslab/probability", .value = "100" },
	{ .path = DBG "failslab/interval", .value = "1" },
	{ .path = DBG "failslab/times", .value = "-1" },
	{ .path = DBG "failslab/space", .value = "0" },
	{ .path = DBG "fail_page_alloc/probability", .value = "100" },
	{ .path = DBG "fail_page_alloc/interval", .value = "1" },
	{ .path = DBG "fail_page_alloc/times", .value = "-1" },
	{ .path = DBG "fail_page_alloc/space", .value = "0" },
};

static int knob_rw(const char *path, char *buf, size_t len, bool wr)
{
	int fd = open(path, wr ? O_WRONLY : O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	/* Fresh fds, and no pread(): these files are not seekable. */
	if (wr)
		n = write(fd, buf, strlen(buf));
	else
		n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	if (!wr) {
		buf[n] = 0;
		buf[strcspn(buf, "\n")] = 0;
	}
	return 0;
}

static int knobs_set(void)
{
	char v[32];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		ret = knob_rw(knobs[i].path, knobs[i].saved,
			      sizeof(knobs[i].saved), false);
		if (ret)
			return ret;
		snprintf(v, sizeof(v), "%s", knobs[i].value);
		ret = knob_rw(knobs[i].path, v, sizeof(v), true);
		if (ret)
			return ret;
		knobs[i].set = true;
	}
	return 0;
}

static void knobs_restore(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		if (knobs[i].set)
			knob_rw(knobs[i].path, knobs[i].saved,
				sizeof(knobs[i].saved), true);
		knobs[i].set = false;
	}
}

/* --- the injection window -------------------------------------------------- */

static int nth_fd = -1;
static int mif_fd = -1;		/* make-it-fail, in "from_nth" mode */

static void nth_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(nth_fd, buf, len, 0) != len)
		abort();
}

/* "from_nth": every allocation after the nth fails too (or no longer). */
static void mif_set(bool on)
{
	if (mif_fd >= 0 && pwrite(mif_fd, on ? "1" : "0", 1, 0) != 1)
		abort();
}

/* After the call: was the armed failure injected? Disarms either way. */
static bool nth_injected(void)
{
	char buf[16] = "";
	ssize_t n = pread(nth_fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		abort();
	buf[n] = 0;
	if (atoi(buf) == 0)
		return true;
	nth_arm(0);
	return false;
}

/* Touch the stack the calls will run on, so no page fault in a window. */
static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char pad[256 << 10];
	size_t i;

	for (i = 0; i < sizeof(pad); i += 512)
		pad[i] = 0;
}

/* --- the context of one attempt -------------------------------------------- */

#define MSG_LEN		64
#define BIG_LEN		(8 << 10)	/* kvmalloc'ed, past the caches */
#define NL_BUF		(64 << 10)

struct fctx {
	int dev;
	struct kipc_nl nl;	/* for checks, outside the windows */
	int nlfd;		/* for the calls under injection */
	__u16 family;
	__u32 nlseq;
	int fd[3];
	__u64 id;
	__u64 base_bytes;	/* the namespace's charge before the op */
	char name[3][64];
	unsigned int attempt;
	/* scratch the calls fill in, the checks read */
	union {
		struct kipc_mq_recv recv;
		struct kipc_mq_peek peek;
		struct kipc_mq_getattr getattr;
		struct kipc_mq_sendrecv sr;
		struct kipc_mq_sendv sendv;
		struct kipc_shm_stat shm_stat;
		struct kipc_shm_seal seal;
		struct kipc_sem_get sem_get;
		struct kipc_info info;
		struct kipc_version version;
		struct kipc_open open;
	} u;
	struct kipc_mq_vec vec[3];
	int nl_msgs;		/* family messages the last request got */
	__u64 nl_ids[8];	/* KIPC_A_OBJ_ID of each, if any */
	void *map;
	char why[256];
};

static char msgbuf[4][BIG_LEN];
static char nlbuf[NL_BUF];
static struct {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	char attrs[64];
} nlreq;

#define fail(c, ...)							\
	({								\
		snprintf((c)->why, sizeof((c)->why), __VA_ARGS__);	\
		-1;							\
	})

static const __u32 types[] = { KIPC_OBJ_MQ, KIPC_OBJ_SHM, KIPC_OBJ_SEM };

static void ctx_cleanup(struct fctx *c)
{
	int i;
	size_t t;

	if (c->map) {
		munmap(c->map, 4096);
		c->map = NULL;
	}
	for (i = 0; i < 3; i++) {
		if (c->fd[i] >= 0)
			close(c->fd[i]);
		c->fd[i] = -1;
		if (!c->name[i][0])
			continue;
		for (t = 0; t < ARRAY_SIZE(types); t++)
			_test_cmd_unlink(c->dev, types[t], c->name[i]);
		c->name[i][0] = 0;
	}
}

static int obj_create(struct fctx *c, int slot, __u32 type,
		      const union kipc_attr *attr)
{
	__u64 id;
	int fd;

	snprintf(c->name[slot], sizeof(c->name[slot]), "fault.%d.%u.%d",
		 (int)getpid(), c->attempt, slot);
	fd = _test_cmd_open(c->dev, type, c->name[slot], KIPC_NEW, 0600, attr,
			    &id, NULL);
	if (fd < 0)
		return fail(c, "create %s: %s", c->name[slot], strerror(errno));
	c->fd[slot] = fd;
	if (!slot)
		c->id = id;
	return 0;
}

static int mq_create(struct fctx *c, int slot, __u32 msgsize)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_MQ);

	attr.mq.max_msgs = 8;
	attr.mq.max_msgsize = msgsize;
	return obj_create(c, slot, KIPC_OBJ_MQ, &attr);
}

static int shm_create(struct fctx *c, __u64 size)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SHM);

	attr.shm.size = size;
	return obj_create(c, 0, KIPC_OBJ_SHM, &attr);
}


static int sem_create(struct fctx *c, __u32 value)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SEM);

	attr.sem.value = value;
	return obj_create(c, 0, KIPC_OBJ_SEM, &attr);
}

/* Message @seq: its number, then a pattern, @len bytes in all. */
static void msg_make(char *buf, __u32 seq, __u32 len)
{
	kipc_fill(buf, len, seq);
	memcpy(buf, &seq, sizeof(seq));
}

/* The number of message @buf, if the rest of it is intact. */
static int msg_seq(const char *buf, __u32 len, __u32 *seq)
{
	__u32 i;

	*seq = ~0U;
	if (len < sizeof(*seq))
		return -1;
	memcpy(seq, buf, sizeof(*seq));
	for (i = sizeof(*seq); i < len; i++)
		if (buf[i] != kipc_pattern(*seq, i))
			return -1;
	return 0;
}

static int mq_fill(struct fctx *c, int slot, __u32 first, __u32 n,
		   __u32 len)
{
	static char buf[BIG_LEN];
	__u32 i;

	for (i = 0; i < n; i++) {
		msg_make(buf, first + i, len);
		if (_test_cmd_mq_send(c->fd[slot], buf, len, 0, 0))
			return fail(c, "fill: %s", strerror(errno));
	}
	return 0;
}

/* The queue holds exactly messages @first..@first + @n - 1, in order. */
static int mq_expect(struct fctx *c, int slot, __u32 first, __u32 n)
{
	static char buf[BIG_LEN];
	__u32 i, len, prio, seq;

	for (i = 0; i < n; i++) {
		if (_test_cmd_mq_recv(c->fd[slot], buf, sizeof(buf),
				      KIPC_WAIT_NONBLOCK, &len, &prio) < 0)
			return fail(c, "message %u of %u..%u: %s", first + i,
				    first, first + n - 1, strerror(errno));
		if (msg_seq(buf, len, &seq) || seq != first + i)
			return fail(c, "got message %u (%u bytes), want %u",
				    seq, len, first + i);
	}
	if (_test_cmd_mq_recv(c->fd[slot], buf, sizeof(buf),
			      KIPC_WAIT_NONBLOCK, &len, &prio) >= 0)
		return fail(c, "an extra message after %u..%u", first,
			    first + n - 1);
	if (errno != EAGAIN)
		return fail(c, "empty queue: %s", strerror(errno));
	return 0;
}

static bool obj_linked(struct fctx *c, __u32 type, const char *name)
{
	int fd = _test_cmd_open(c->dev, type, name, KIPC_OPEN_READ, 0, NULL,
				NULL, NULL);

	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

/* --- netlink without malloc --------------------------------------------------- */

static void nl_drain(struct fctx *c)
{
	while (recv(c->nlfd, nlbuf, sizeof(nlbuf), MSG_DONTWAIT) >= 0 ||
	       errno == ENOBUFS)
		;
}

/*
 * One request and its whole answer (a dump's later parts are made while we
 * read, so they are inside the window too). Returns 0 or -errno.
 */
static long nl_call(struct fctx *c, __u8 cmd, __u16 flags, bool with_id,
		    __u64 id, void (*put)(struct fctx *c, struct nlmsghdr *nlh))
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int ret = 0;

	memset(&nlreq, 0, sizeof(nlreq));
	nlreq.nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	nlreq.nlh.nlmsg_type = c->family;
	nlreq.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlreq.nlh.nlmsg_seq = ++c->nlseq;
	nlreq.genl.cmd = cmd;
	nlreq.genl.version = KIPC_GENL_VERSION;
	if (with_id)
		kipc_nl_put_attr(&nlreq.nlh, KIPC_A_OBJ_ID, &id, sizeof(id));
	if (put)
		put(c, &nlreq.nlh);
	c->nl_msgs = 0;

	if (sendto(c->nlfd, &nlreq, nlreq.nlh.nlmsg_len, 0,
		   (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t n;

		n = recv(c->nlfd, nlbuf, sizeof(nlbuf), MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN ? -ETIME : -errno;
		for (nlh = (struct nlmsghdr *)nlbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != c->nlseq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				/* The ack ends a doit, or a failed dump. */
				ret = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
				return ret;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				/* A dump ends here, with no ack after it. */
				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					memcpy(&ret, NLMSG_DATA(nlh),
					       sizeof(int));
				return ret;
			}
			if (nlh->nlmsg_type != c->family)
				continue;
			if (c->nl_msgs < (int)ARRAY_SIZE(c->nl_ids)) {
				struct kipc_nl_msg m;

				kipc_nl_parse(nlh, &m);
				c->nl_ids[c->nl_msgs] = m.has[KIPC_A_OBJ_ID] ?
					m.val[KIPC_A_OBJ_ID] : 0;
			}
			c->nl_msgs++;
		}
	}
}

/* --- the operations ----------------------------------------------------------- */

/*
 * One operation: @prepare builds what the call needs, @call is the one
 * call under injection (>= 0 on success, else -errno), @check says whether
 * the state matches what the call returned. Cleanup is common: close, unlink, and the
 * counts are back. @errnos: what a failing call may return besides ENOMEM.
 */
struct fault_op {
	const char *name;
	int (*prepare)(struct fctx *c);
	long (*call)(struct fctx *c);
	int (*check)(struct fctx *c, long ret);
	int errnos[3];
	int allocates;	/* 0, ALLOCATES or FAILS */
};

/* Rows whose call must allocate: a create, a send, a netlink reply. */
#define ALLOCATES	1
/*
 * And rows whose own allocation has no fallback, so that in "once" mode
 * the fault point that hits it must fail the call: a create. Reaching a
 * point is not enough there: fault points outside kipc (absorbed) are
 * reached even when failslab misses kipc's own allocations.
 */
#define FAILS		2

static long ioc(int fd, unsigned long req, void *arg)
{
	long r = ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

static int none(struct fctx *c)
{
	(void)c;
	return 0;
}

static int ok_only(struct fctx *c, long ret)
{
	(void)c;
	(void)ret;
	return 0;
}

/* /dev/kipc */

static long call_version(struct fctx *c)
{
	memset(&c->u.version, 0, sizeof(c->u.version));
	c->u.version.size = sizeof(c->u.version);
	return ioc(c->dev, KIPC_IOC_VERSION, &c->u.version);
}

static int check_version(struct fctx *c, long ret)
{
	if (ret >= 0 && c->u.version.out_abi_version != KIPC_ABI_VERSION)
		return fail(c, "abi version %u", c->u.version.out_abi_version);
	return 0;
}

static int prepare_name(struct fctx *c)
{
	snprintf(c->name[0], sizeof(c->name[0]), "fault.%d.%u.new",
		 (int)getpid(), c->attempt);
	return 0;
}

static long open_create(struct fctx *c, __u32 type)
{
	memset(&c->u.open, 0, sizeof(c->u.open));
	c->u.open.size = sizeof(c->u.open);
	c->u.open.flags = KIPC_NEW;
	c->u.open.type = type;
	c->u.open.mode = 0600;
	c->u.open.name = (uintptr_t)c->name[0];
	c->u.open.attr = kipc_attr_of(type);
	c->fd[0] = ioc(c->dev, KIPC_IOC_OPEN, &c->u.open);
	return c->fd[0] < 0 ? c->fd[0] : 0;
}

static long call_create_mq(struct fctx *c)
{
	return open_create(c, KIPC_OBJ_MQ);
}

static long call_create_shm(struct fctx *c)
{
	return open_create(c, KIPC_OBJ_SHM);
}

static long call_create_sem(struct fctx *c)
{
	return open_create(c, KIPC_OBJ_SEM);
}

static int check_create(struct fctx *c, long ret)
{
	bool linked = obj_linked(c, c->u.open.type, c->name[0]);

	if (!ret && !linked)
		return fail(c, "created, but the name does not resolve");
	if (ret && linked)
		return fail(c, "failed, but the name resolves: half-made");
	return 0;
}

static int prepare_mq(struct fctx *c)
{
	return mq_create(c, 0, MSG_LEN);
}

static long call_open_existing(struct fctx *c)
{
	c->fd[1] = _test_cmd_open(c->dev, KIPC_OBJ_MQ, c->name[0], KIPC_RW, 0,
				  NULL, NULL, NULL);
	return c->fd[1] < 0 ? -errno : 0;
}

static long call_unlink(struct fctx *c)
{
	return _test_cmd_unlink(c->dev, KIPC_OBJ_MQ, c->name[0]) ? -errno : 0;
}

static int check_unlink(struct fctx *c, long ret)
{
	bool linked = obj_linked(c, KIPC_OBJ_MQ, c->name[0]);

	if (!ret == linked)
		return fail(c, "returned %ld, name %s", ret,
			    linked ? "still there" : "gone");
	return 0;
}

/* object fds */

static long call_info(struct fctx *c)
{
	memset(&c->u.info, 0, sizeof(c->u.info));
	c->u.info.size = sizeof(c->u.info);
	return ioc(c->fd[0], KIPC_IOC_INFO, &c->u.info);
}

static int check_info(struct fctx *c, long ret)
{
	if (ret >= 0 && c->u.info.out_id != c->id)
		return fail(c, "info: id %llu, want %llu",
			    (unsigned long long)c->u.info.out_id,
			    (unsigned long long)c->id);
	return 0;
}

/* Queues: two messages queued (0, 1) before a send, three before a receive. */
static int prepare_mq2(struct fctx *c)
{
	return mq_create(c, 0, MSG_LEN) ?: mq_fill(c, 0, 0, 2, MSG_LEN);
}

static int prepare_mq3(struct fctx *c)
{
	return mq_create(c, 0, MSG_LEN) ?: mq_fill(c, 0, 0, 3, MSG_LEN);
}

static int prepare_bigmq2(struct fctx *c)
{
	return mq_create(c, 0, BIG_LEN) ?: mq_fill(c, 0, 0, 2, BIG_LEN);
}

static int prepare_bigmq3(struct fctx *c)
{
	return mq_create(c, 0, BIG_LEN) ?: mq_fill(c, 0, 0, 3, BIG_LEN);
}

static long send_seq(struct fctx *c, __u32 seq, __u32 len)
{
	struct kipc_mq_send cmd = {
		.size = sizeof(cmd),
		.flags = KIPC_WAIT_NONBLOCK,
		.buf = (uintptr_t)msgbuf[0],
		.len = len,
	};

	msg_make(msgbuf[0], seq, len);
	return ioc(c->fd[0], KIPC_IOC_MQ_SEND, &cmd);
}

static long call_send(struct fctx *c)
{
	return send_seq(c, 2, MSG_LEN);
}

static long call_send_big(struct fctx *c)
{
	return send_seq(c, 2, BIG_LEN);
}

static long call_write(struct fctx *c)
{
	ssize_t n;

	msg_make(msgbuf[0], 2, MSG_LEN);
	n = write(c->fd[0], msgbuf[0], MSG_LEN);
	if (n < 0)
		return -errno;
	return n == MSG_LEN ? 0 : -EIO;
}

/* After a send of message 2: 0..2 if it went, 0..1 if not. */
static int check_sent(struct fctx *c, long ret)
{
	return mq_expect(c, 0, 0, ret < 0 ? 2 : 3);
}

static long recv_into(struct fctx *c, __u32 len)
{
	memset(&c->u.recv, 0, sizeof(c->u.recv));
	c->u.recv.size = sizeof(c->u.recv);
	c->u.recv.flags = KIPC_WAIT_NONBLOCK;
	c->u.recv.buf = (uintptr_t)msgbuf[1];
	c->u.recv.len = len;
	return ioc(c->fd[0], KIPC_IOC_MQ_RECV, &c->u.recv);
}

static long call_recv(struct fctx *c)
{
	return recv_into(c, MSG_LEN);
}

static long call_recv_big(struct fctx *c)
{
	return recv_into(c, BIG_LEN);
}

static long call_read(struct fctx *c)
{
	ssize_t n = read(c->fd[0], msgbuf[1], MSG_LEN);

	if (n < 0)
		return -errno;
	c->u.recv.out_len = n;
	return 0;
}

/* After a receive from 0..2: it got 0 and 1..2 remain, or 0..2 remain. */
static int check_received(struct fctx *c, long ret)
{
	__u32 seq;

	if (ret < 0)
		return mq_expect(c, 0, 0, 3);
	if (msg_seq(msgbuf[1], c->u.recv.out_len, &seq) || seq)
		return fail(c, "received the wrong message");
	return mq_expect(c, 0, 1, 2);
}

static long call_sendv(struct fctx *c)
{
	int i;

	for (i = 0; i < 3; i++) {
		msg_make(msgbuf[i], 2 + i, MSG_LEN);
		c->vec[i].buf = (uintptr_t)msgbuf[i];
		c->vec[i].len = MSG_LEN;
		c->vec[i].prio = 0;
	}
	memset(&c->u.sendv, 0, sizeof(c->u.sendv));
	c->u.sendv.size = sizeof(c->u.sendv);
	c->u.sendv.flags = KIPC_WAIT_NONBLOCK;
	c->u.sendv.vec = (uintptr_t)c->vec;
	c->u.sendv.count = 3;
	return ioc(c->fd[0], KIPC_IOC_MQ_SENDV, &c->u.sendv);
}

/* SENDV returns how many went; an error means none did. */
static int check_sentv(struct fctx *c, long ret)
{
	if (ret == 0 || ret > 3)
		return fail(c, "sendv returned %ld", ret);
	return mq_expect(c, 0, 0, ret < 0 ? 2 : 2 + ret);
}

static long call_recvv(struct fctx *c)
{
	int i;

	for (i = 0; i < 3; i++) {
		c->vec[i].buf = (uintptr_t)msgbuf[i];
		c->vec[i].len = MSG_LEN;
		c->vec[i].prio = 0;
	}
	memset(&c->u.sendv, 0, sizeof(c->u.sendv));
	c->u.sendv.size = sizeof(c->u.sendv);
	c->u.sendv.flags = KIPC_WAIT_NONBLOCK;
	c->u.sendv.vec = (uintptr_t)c->vec;
	c->u.sendv.count = 3;
	return ioc(c->fd[0], KIPC_IOC_MQ_RECVV, &c->u.sendv);
}

static int check_receivedv(struct fctx *c, long ret)
{
	__u32 seq;
	long i;

	if (ret == 0 || ret > 3)
		return fail(c, "recvv returned %ld", ret);
	if (ret < 0)
		return mq_expect(c, 0, 0, 3);
	for (i = 0; i < ret; i++)
		if (msg_seq(msgbuf[i], c->vec[i].len, &seq) || seq != i)
			return fail(c, "recvv entry %ld is not message %ld", i,
				    i);
	return mq_expect(c, 0, ret, 3 - ret);
}

static long call_peek(struct fctx *c)
{
	memset(&c->u.peek, 0, sizeof(c->u.peek));
	c->u.peek.size = sizeof(c->u.peek);
	c->u.peek.buf = (uintptr_t)msgbuf[1];
	c->u.peek.len = MSG_LEN;
	c->u.peek.index = 1;
	return ioc(c->fd[0], KIPC_IOC_MQ_PEEK, &c->u.peek);
}

static int check_peeked(struct fctx *c, long ret)
{
	__u32 seq;

	if (ret >= 0 && (msg_seq(msgbuf[1], c->u.peek.out_len, &seq) ||
			 seq != 1))
		return fail(c, "peek at 1 saw another message");
	return mq_expect(c, 0, 0, 3);
}

static long call_getattr(struct fctx *c)
{
	memset(&c->u.getattr, 0, sizeof(c->u.getattr));
	c->u.getattr.size = sizeof(c->u.getattr);
	return ioc(c->fd[0], KIPC_IOC_MQ_GETATTR, &c->u.getattr);
}

static int check_getattr(struct fctx *c, long ret)
{
	if (ret >= 0 && c->u.getattr.out_depth != 2)
		return fail(c, "depth %u, want 2", c->u.getattr.out_depth);
	return mq_expect(c, 0, 0, 2);
}

/* Send message 2 to queue 0 (holding 0, 1); receive from queue 1 (100). */
static int prepare_sendrecv(struct fctx *c)
{
	return prepare_mq2(c) ?: mq_create(c, 1, MSG_LEN) ?:
	       mq_fill(c, 1, 100, 1, MSG_LEN);
}

static long call_sendrecv(struct fctx *c)
{
	msg_make(msgbuf[0], 2, MSG_LEN);
	memset(&c->u.sr, 0, sizeof(c->u.sr));
	c->u.sr.size = sizeof(c->u.sr);
	c->u.sr.flags = KIPC_WAIT_NONBLOCK;
	c->u.sr.recv_fd = c->fd[1];
	c->u.sr.send_buf = (uintptr_t)msgbuf[0];
	c->u.sr.send_len = MSG_LEN;
	c->u.sr.recv_buf = (uintptr_t)msgbuf[1];
	c->u.sr.recv_len = MSG_LEN;
	return ioc(c->fd[0], KIPC_IOC_MQ_SENDRECV, &c->u.sr);
}

static int check_sendrecv(struct fctx *c, long ret)
{
	bool sent = c->u.sr.out_flags & KIPC_SENDRECV_SENT;
	__u32 seq;

	if (ret >= 0 && !sent)
		return fail(c, "succeeded without KIPC_SENDRECV_SENT");
	if (mq_expect(c, 0, 0, sent ? 3 : 2)) {
		char why[128];

		snprintf(why, sizeof(why), "%.120s", c->why);
		return fail(c, "SENT says %d: %.120s", sent, why);
	}
	if (ret >= 0) {
		if (msg_seq(msgbuf[1], c->u.sr.out_len, &seq) || seq != 100)
			return fail(c, "received the wrong message");
		return mq_expect(c, 1, 0, 0);
	}
	return mq_expect(c, 1, 100, 1);
}

/* Regions */

static int prepare_shm_small(struct fctx *c)
{
	return shm_create(c, 4096);
}

static int prepare_shm_big(struct fctx *c)
{
	return shm_create(c, 1 << 20);
}

static long call_resize_grow(struct fctx *c)
{
	return _test_cmd_shm_resize(c->fd[0], 1 << 20) ? -errno : 0;
}

static long call_resize_shrink(struct fctx *c)
{
	return _test_cmd_shm_resize(c->fd[0], 4096) ? -errno : 0;
}

static int shm_expect(struct fctx *c, __u64 size)
{
	struct kipc_nl_msg st;
	struct kipc_shm_stat ss;
	int ret;

	if (_test_cmd_shm_stat(c->fd[0], &ss))
		return fail(c, "shm stat: %s", strerror(errno));
	if (ss.out_size != size)
		return fail(c, "size %llu, want %llu",
			    (unsigned long long)ss.out_size,
			    (unsigned long long)size);
	ret = kipc_nl_stats_get(&c->nl, &st);
	if (ret)
		return fail(c, "stats: %s", strerror(-ret));
	if (st.val[KIPC_A_STATS_NS_BYTES] != c->base_bytes + size)
		return fail(c, "namespace charged %llu bytes, want %llu",
			    (unsigned long long)st.val[KIPC_A_STATS_NS_BYTES],
			    (unsigned long long)(c->base_bytes + size));
	return 0;
}

static int check_grown(struct fctx *c, long ret)
{
	return shm_expect(c, ret < 0 ? 4096 : 1 << 20);
}

static int check_shrunk(struct fctx *c, long ret)
{
	return shm_expect(c, ret < 0 ? 1 << 20 : 4096);
}

static long call_seal(struct fctx *c)
{
	return _test_cmd_shm_seal(c->fd[0], KIPC_SEAL_GROW, NULL) ? -errno : 0;
}

static int check_sealed(struct fctx *c, long ret)
{
	__u32 seals;

	if (_test_cmd_shm_seal(c->fd[0], 0, &seals))
		return fail(c, "seals: %s", strerror(errno));
	if (seals != (ret < 0 ? 0 : KIPC_SEAL_GROW))
		return fail(c, "seals %#x after %ld", seals, ret);
	return 0;
}

static long call_shm_stat(struct fctx *c)
{
	return _test_cmd_shm_stat(c->fd[0], &c->u.shm_stat) ? -errno : 0;
}

static int check_shm_stat(struct fctx *c, long ret)
{
	if (ret >= 0 && c->u.shm_stat.out_size != 4096)
		return fail(c, "size %llu",
			    (unsigned long long)c->u.shm_stat.out_size);
	return 0;
}

static long call_mmap(struct fctx *c)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		       c->fd[0], 0);

	if (p == MAP_FAILED)
		return -errno;
	c->map = p;
	return 0;
}

static int check_mmap(struct fctx *c, long ret)
{
	struct kipc_shm_stat ss;

	if (_test_cmd_shm_stat(c->fd[0], &ss))
		return fail(c, "shm stat: %s", strerror(errno));
	if (ss.out_nattch != (ret < 0 ? 0U : 1U))
		return fail(c, "nattch %u after %ld", ss.out_nattch, ret);
	return 0;
}

/* Semaphores */

static int prepare_sem2(struct fctx *c)
{
	return sem_create(c, 2);
}

static long sem_wait1(struct fctx *c, __u32 flags)
{
	return _test_cmd_sem_wait(c->fd[0], 1, KIPC_WAIT_NONBLOCK | flags, 0,
				  0, NULL) ? -errno : 0;
}

static long call_sem_wait(struct fctx *c)
{
	return sem_wait1(c, 0);
}

static long call_sem_wait_undo(struct fctx *c)
{
	return sem_wait1(c, KIPC_SEM_UNDO);
}

static int sem_expect(struct fctx *c, __u32 value, __u64 undo)
{
	struct kipc_sem_get g;

	if (_test_cmd_sem_get(c->fd[0], &g))
		return fail(c, "sem get: %s", strerror(errno));
	if (g.out_value != value || g.out_undo != undo)
		return fail(c, "value %u undo %llu, want %u and %llu",
			    g.out_value, (unsigned long long)g.out_undo, value,
			    (unsigned long long)undo);
	return 0;
}

static int check_sem_waited(struct fctx *c, long ret)
{
	return sem_expect(c, ret < 0 ? 2 : 1, 0);
}

static int check_sem_waited_undo(struct fctx *c, long ret)
{
	return sem_expect(c, ret < 0 ? 2 : 1, ret < 0 ? 0 : 1);
}

static long call_sem_post(struct fctx *c)
{
	return _test_cmd_sem_post(c->fd[0], 1) ? -errno : 0;
}

static int check_sem_posted(struct fctx *c, long ret)
{
	return sem_expect(c, ret < 0 ? 2 : 3, 0);
}

static long call_sem_get(struct fctx *c)
{
	return _test_cmd_sem_get(c->fd[0], &c->u.sem_get) ? -errno : 0;
}

static int check_sem_get(struct fctx *c, long ret)
{
	if (ret >= 0 && c->u.sem_get.out_value != 2)
		return fail(c, "value %u", c->u.sem_get.out_value);
	return 0;
}

static const struct fault_op dev_ops[] = {
	{ "VERSION", none, call_version, check_version, { 0 }, false },
	{ "OPEN create mq", prepare_name, call_create_mq, check_create, { 0 },
	  FAILS },
	{ "OPEN create shm", prepare_name, call_create_shm, check_create, { 0 },
	  FAILS },
	{ "OPEN create sem", prepare_name, call_create_sem, check_create, { 0 },
	  FAILS },
	{ "OPEN existing", prepare_mq, call_open_existing, ok_only, { 0 }, false },
	{ "UNLINK", prepare_mq, call_unlink, check_unlink, { 0 }, false },
	{ "INFO", prepare_mq, call_info, check_info, { 0 }, false },
};

static const struct fault_op mq_ops[] = {
	{ "MQ_SEND", prepare_mq2, call_send, check_sent, { 0 },
	  ALLOCATES },
	{ "MQ_SEND 8 KiB", prepare_bigmq2, call_send_big, check_sent, { 0 },
	  ALLOCATES },
	{ "write()", prepare_mq2, call_write, check_sent, { 0 },
	  ALLOCATES },
	{ "MQ_RECV", prepare_mq3, call_recv, check_received, { 0 }, false },
	{ "MQ_RECV 8 KiB", prepare_bigmq3, call_recv_big, check_received, { 0 }, false },
	{ "read()", prepare_mq3, call_read, check_received, { 0 }, false },
	{ "MQ_SENDV", prepare_mq2, call_sendv, check_sentv, { 0 },
	  ALLOCATES },
	{ "MQ_RECVV", prepare_mq3, call_recvv, check_receivedv, { 0 }, false },
	{ "MQ_PEEK", prepare_mq3, call_peek, check_peeked, { 0 }, false },
	{ "MQ_GETATTR", prepare_mq2, call_getattr, check_getattr, { 0 }, false },
	{ "MQ_SENDRECV", prepare_sendrecv, call_sendrecv, check_sendrecv, { 0 },
	  ALLOCATES },
};

static const struct fault_op shm_ops[] = {
	{ "SHM_RESIZE grow", prepare_shm_small, call_resize_grow, check_grown, { 0 }, false },
	{ "SHM_RESIZE shrink", prepare_shm_big, call_resize_shrink,
	  check_shrunk, { 0 }, false },
	{ "SHM_SEAL", prepare_shm_small, call_seal, check_sealed, { 0 }, false },
	{ "SHM_STAT", prepare_shm_small, call_shm_stat, check_shm_stat, { 0 }, false },
	{ "mmap()", prepare_shm_small, call_mmap, check_mmap, { 0 }, false },
};

static const struct fault_op sem_ops[] = {
	{ "SEM_WAIT", prepare_sem2, call_sem_wait, check_sem_waited, { 0 }, false },
	/* The undo record lives in the description, allocated at open. */
	{ "SEM_WAIT undo", prepare_sem2, call_sem_wait_undo,
	  check_sem_waited_undo, { 0 }, false },
	{ "SEM_POST", prepare_sem2, call_sem_post, check_sem_posted, { 0 }, false },
	{ "SEM_GET", prepare_sem2, call_sem_get, check_sem_get, { 0 }, false },
};

/*
 * Netlink: one row per operation of the family. @with_id sends the id of
 * the attempt's first object; @check sees what nl_call() collected.
 */
struct nl_op {
	const char *name;
	__u8 cmd;
	__u16 flags;
	bool with_id;
	int (*prepare)(struct fctx *c);
	int (*check)(struct fctx *c, long ret);
	void (*put)(struct fctx *c, struct nlmsghdr *nlh);
	bool allocates;	/* the reply must be allocated */
};

/* The first object by type and name instead of by id. */
static void put_mq_name(struct fctx *c, struct nlmsghdr *nlh)
{
	__u32 type = KIPC_OBJ_MQ;

	kipc_nl_put_attr(nlh, KIPC_A_OBJ_TYPE, &type, sizeof(type));
	kipc_nl_put_attr(nlh, KIPC_A_OBJ_NAME, c->name[0],
			 strlen(c->name[0]) + 1);
}

/* An override for a uid that owns nothing here. */
#define FAULT_UID	54321

static void put_limits_uid(struct fctx *c, struct nlmsghdr *nlh)
{
	__u32 uid = FAULT_UID, objects = 7;

	kipc_nl_put_attr(nlh, KIPC_A_LIMITS_UID, &uid, sizeof(uid));
	kipc_nl_put_attr(nlh, KIPC_A_LIMITS_OBJECTS, &objects,
			 sizeof(objects));
}

/*
 * LIMITS_GET for FAULT_UID: 1 if it has an override, 0 if not; with
 * @reset, drop the override first. Outside the window, on the check socket.
 */
static int limits_uid_override(struct fctx *c, bool reset)
{
	struct kipc_nl_req req;
	struct kipc_nl_msg m;
	__u32 uid = FAULT_UID;
	int ret, n = 0;

	if (reset) {
		kipc_nl_req_init(&c->nl, &req, c->nl.family, NLM_F_ACK,
				 KIPC_CMD_LIMITS_SET, KIPC_GENL_VERSION);
		kipc_nl_put_attr(&req.nlh, KIPC_A_LIMITS_UID, &uid,
				 sizeof(uid));
		kipc_nl_put_attr(&req.nlh, KIPC_A_LIMITS_RESET, &uid, 0);
		ret = kipc_nl_send(&c->nl, &req) ?:
		      kipc_nl_recv(&c->nl, c->nl.family, &m, 1, &n);
		if (ret)
			return fail(c, "limits reset: %s", strerror(-ret));
	}
	kipc_nl_req_init(&c->nl, &req, c->nl.family, 0, KIPC_CMD_LIMITS_GET,
			 KIPC_GENL_VERSION);
	kipc_nl_put_attr(&req.nlh, KIPC_A_LIMITS_UID, &uid, sizeof(uid));
	ret = kipc_nl_send(&c->nl, &req) ?:
	      kipc_nl_recv(&c->nl, c->nl.family, &m, 1, &n);
	if (ret || n != 1)
		return fail(c, "limits get: %s, %d messages", strerror(-ret), n);
	return m.has[KIPC_A_LIMITS_OVERRIDE] ? 1 : 0;
}

/* The override is there exactly if the set succeeded; then it goes again. */
static int check_limits_set(struct fctx *c, long ret)
{
	int over = limits_uid_override(c, false);

	if (over < 0)
		return over;
	if (over != !ret && ret != -ENOBUFS)
		return fail(c, "override %d after %ld", over, ret);
	if (over && limits_uid_override(c, true) != 0)
		return fail(c, "override not reset");
	return 0;
}

static int prepare_three(struct fctx *c)
{
	union kipc_attr shm = kipc_attr_of(KIPC_OBJ_SHM);
	union kipc_attr sem = kipc_attr_of(KIPC_OBJ_SEM);

	return mq_create(c, 0, MSG_LEN) ?:
	       obj_create(c, 1, KIPC_OBJ_SHM, &shm) ?:
	       obj_create(c, 2, KIPC_OBJ_SEM, &sem);
}

static int check_got_one(struct fctx *c, long ret)
{
	if (!ret && (c->nl_msgs != 1 || c->nl_ids[0] != c->id))
		return fail(c, "%d messages, first id %llu, want id %llu",
			    c->nl_msgs, (unsigned long long)c->nl_ids[0],
			    (unsigned long long)c->id);
	return 0;
}

static int check_dumped(struct fctx *c, long ret)
{
	if (!ret && c->nl_msgs != 3)
		return fail(c, "dumped %d objects, want 3", c->nl_msgs);
	return 0;
}

/*
 * ENOBUFS on the socket (not in an ack) means the answer was lost, the
 * ack included: the removal may or may not have happened, but it happened
 * entirely or not at all.
 */
static int check_removed(struct fctx *c, long ret)
{
	struct kipc_info info;
	bool removed;

	if (_test_cmd_info(c->fd[0], &info))
		return fail(c, "info: %s", strerror(errno));
	removed = info.out_state & KIPC_STATE_REMOVED;
	if (ret != -ENOBUFS && removed != !ret)
		return fail(c, "state %#x after %ld", info.out_state, ret);
	/* A removed queue answers EIDRM; one that is not lost nothing. */
	if (removed)
		return _test_cmd_mq_send(c->fd[0], msgbuf[0], 1, 0,
					 KIPC_WAIT_NONBLOCK) == -1 &&
		       errno == EIDRM ? 0 : fail(c, "send after removal");
	return mq_expect(c, 0, 0, 2);
}

static int check_stats(struct fctx *c, long ret)
{
	if (!ret && c->nl_msgs != 1)
		return fail(c, "%d stats messages", c->nl_msgs);
	return 0;
}

static const struct nl_op nl_ops[] = {
	{ "OBJ_GET", KIPC_CMD_OBJ_GET, 0, true, prepare_mq, check_got_one,
	  NULL, ALLOCATES },
	{ "OBJ_GET dump", KIPC_CMD_OBJ_GET, NLM_F_DUMP, false, prepare_three,
	  check_dumped, NULL, ALLOCATES },
	{ "OBJ_REMOVE", KIPC_CMD_OBJ_REMOVE, 0, true, prepare_mq2,
	  check_removed, NULL, false },
	{ "STATS_GET", KIPC_CMD_STATS_GET, 0, false, none, check_stats, NULL,
	  ALLOCATES },
	{ "OBJ_GET by name", KIPC_CMD_OBJ_GET, 0, false, prepare_mq,
	  check_got_one, put_mq_name, ALLOCATES },
	{ "OBJ_REMOVE by name", KIPC_CMD_OBJ_REMOVE, 0, false, prepare_mq2,
	  check_removed, put_mq_name, false },
	{ "LIMITS_GET", KIPC_CMD_LIMITS_GET, 0, false, none, check_stats,
	  NULL, ALLOCATES },
	{ "LIMITS_GET dump", KIPC_CMD_LIMITS_GET, NLM_F_DUMP, false, none,
	  ok_only, NULL, ALLOCATES },
	{ "LIMITS_SET", KIPC_CMD_LIMITS_SET, 0, false, none, check_limits_set,
	  put_limits_uid, false },
};

/* --- the driver --------------------------------------------------------------- */

struct baseline {
	__u64 objects;
	__u64 ns_objects;
	__u64 ns_bytes;
};

static int baseline_get(struct fctx *c, struct baseline *b)
{
	struct kipc_nl_msg st;
	int ret = kipc_nl_stats_get(&c->nl, &st);

	if (ret)
		return fail(c, "stats: %s", strerror(-ret));
	b->objects = st.val[KIPC_A_STATS_OBJECTS];
	b->ns_objects = st.val[KIPC_A_STATS_NS_OBJECTS];
	b->ns_bytes = st.val[KIPC_A_STATS_NS_BYTES];
	return 0;
}

struct coverage {
	unsigned int points;	/* fault points the call reached */
	unsigned int failed;	/* injected failures the call reported */
	unsigned int absorbed;	/* injected failures the call got over */
};

/*
 * Run one operation with the nth fault point failing, n = 1, 2, ... until a
 * run reaches no injected failure. Returns 0 or -1 with c->why set.
 */
static int run_op(struct fctx *c, const char *name,
		  int (*prepare)(struct fctx *c), long (*call)(struct fctx *c),
		  int (*check)(struct fctx *c, long ret), const int *errnos,
		  const struct nl_op *nlop, struct coverage *cov)
{
	struct baseline base, now;
	unsigned int n;
	bool injected;
	long ret;
	int i;

	memset(cov, 0, sizeof(*cov));
	if (baseline_get(c, &base))
		return -1;
	c->base_bytes = base.ns_bytes;
	for (n = 1; n <= MAX_NTH; n++) {
		c->attempt++;
		c->why[0] = 0;
		if (prepare(c)) {
			char why[128];

			snprintf(why, sizeof(why), "%.120s", c->why);
			ctx_cleanup(c);
			return fail(c, "%s: prepare: %.120s", name, why);
		}
		if (nlop)
			nl_drain(c);

		nth_arm(n);
		mif_set(true);
		if (nlop)
			ret = nl_call(c, nlop->cmd, nlop->flags, nlop->with_id,
				      c->id, nlop->put);
		else
			ret = call(c);
		mif_set(false);
		injected = nth_injected();
		/*
		 * A dump whose next part found no memory stays started, and
		 * netlink continues it only on a recvmsg() that finds a
		 * message queued: with nothing queued it never ends, and the
		 * socket's next dump gets EBUSY. Close the socket, which ends
		 * the dump (->done) as a process that gives up would.
		 */
		if (nlop && ret < 0) {
			close(c->nlfd);
			c->nlfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
					 NETLINK_GENERIC);
			if (c->nlfd < 0)
				return fail(c, "%s: netlink socket: %s", name,
					    strerror(errno));
		}

		if (injected) {
			if (ret >= 0) {
				cov->absorbed++;
			} else {
				cov->failed++;
				if (ret == -ENOMEM)
					goto errno_ok;
				for (i = 0; errnos && i < 3 && errnos[i]; i++)
					if (ret == -errnos[i])
						goto errno_ok;
				ctx_cleanup(c);
				return fail(c, "%s: fault %u: errno %ld (%s)",
					    name, n, -ret, strerror(-ret));
			}
		} else if (ret < 0) {
			ctx_cleanup(c);
			return fail(c, "%s: failed with no fault injected: %s",
				    name, strerror(-ret));
		}
errno_ok:
		if (check(c, ret)) {
			char why[128];

			snprintf(why, sizeof(why), "%.120s", c->why);
			ctx_cleanup(c);
			return fail(c, "%s: fault %u, returned %ld: %.120s",
				    name, n, ret, why);
		}
		ctx_cleanup(c);
		if (baseline_get(c, &now))
			return -1;
		if (now.objects != base.objects ||
		    now.ns_objects != base.ns_objects ||
		    now.ns_bytes != base.ns_bytes)
			return fail(c, "%s: fault %u, returned %ld: left %lld objects, %lld bytes behind",
				    name, n, ret,
				    (long long)(now.objects - base.objects),
				    (long long)(now.ns_bytes - base.ns_bytes));
		if (!injected) {
			cov->points = n - 1;
			return 0;
		}
	}
	return fail(c, "%s: still failing after %u fault points", name,
		    MAX_NTH);
}

FIXTURE(fault) {
	struct fctx c;
};

FIXTURE_VARIANT(fault) {
	bool from_nth;
};

FIXTURE_VARIANT_ADD(fault, once) {
	.from_nth = false,
};

FIXTURE_VARIANT_ADD(fault, from_nth) {
	.from_nth = true,
};

FIXTURE_SETUP(fault)
{
	struct kipc_nl *nl = &self->c.nl;
	int ret, i;

	memset(&self->c, 0, sizeof(self->c));
	for (i = 0; i < 3; i++)
		self->c.fd[i] = -1;
	self->c.dev = -1;
	nth_fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	/* The debug tier's kernel has fault injection: a skip there hides. */
	if (nth_fd < 0) {
		ASSERT_FALSE(kipc_debug_mode())
			TH_LOG("KIPC_MODE=debug, yet no " FAIL_NTH ": %s",
			       strerror(errno));
		SKIP(return, "no " FAIL_NTH ": kernel without CONFIG_FAULT_INJECTION");
	}
	self->c.dev = open("/dev/kipc", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->c.dev);
	ret = knobs_set();
	if (ret) {
		knobs_restore();
		ASSERT_FALSE(kipc_debug_mode())
			TH_LOG("KIPC_MODE=debug, yet failslab/fail_page_alloc cannot be set up: %s",
			       strerror(-ret));
		SKIP(return, "cannot set up failslab/fail_page_alloc in debugfs (%s): kernel without CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC or CONFIG_FAULT_INJECTION_DEBUG_FS",
		     strerror(-ret));
	}
	if (variant->from_nth) {
		mif_fd = open("/proc/thread-self/make-it-fail",
			      O_RDWR | O_CLOEXEC);
		if (mif_fd < 0) {
			knobs_restore();
			ASSERT_FALSE(kipc_debug_mode())
				TH_LOG("KIPC_MODE=debug, yet no make-it-fail: %s",
				       strerror(errno));
			SKIP(return, "no /proc/thread-self/make-it-fail: %s",
			     strerror(errno));
		}
	}
	test_nl_open(nl);
	self->c.family = nl->family;
	self->c.nlfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
			      NETLINK_GENERIC);
	ASSERT_LE(0, self->c.nlfd);

	/* Everything the windows will touch, touched now. */
	memset(msgbuf, 0, sizeof(msgbuf));
	memset(nlbuf, 0, sizeof(nlbuf));
	memset(&nlreq, 0, sizeof(nlreq));
	prefault_stack();
}

FIXTURE_TEARDOWN(fault)
{
	if (mif_fd >= 0) {
		mif_set(false);
		close(mif_fd);
		mif_fd = -1;
	}
	if (nth_fd >= 0) {
		nth_arm(0);
		close(nth_fd);
		nth_fd = -1;
	}
	knobs_restore();
	ctx_cleanup(&self->c);
	if (self->c.nlfd > 0)
		close(self->c.nlfd);
	if (self->c.nl.fd > 0)
		close(self->c.nl.fd);
	if (self->c.dev >= 0)
		close(self->c.dev);
}

/*
 * A row that must allocate has to have reached a fault point: if failslab
 * stopped reaching kipc's allocations, every row would pass having
 * injected nothing. Whether an injected failure fails the call or is
 * absorbed (a large message's allocation falls back) is the row's check's
 * business; either way nothing may be lost.
 */
static int cov_check(struct __test_metadata *_metadata, const char *name,
		     int allocates, const struct coverage *cov)
{
	if (allocates && !cov->points) {
		TH_LOG("%s: no fault point reached: fault injection does not reach its allocations",
		       name);
		return 1;
	}
	/* "once" mode: make-it-fail is used only by "from_nth". */
	if (allocates == FAILS && mif_fd < 0 && !cov->failed) {
		TH_LOG("%s: no injected failure failed the call: fault injection misses its own allocation",
		       name);
		return 1;
	}
	return 0;
}

static int run_table(struct __test_metadata *_metadata, struct fctx *c,
		     const struct fault_op *ops, size_t n)
{
	struct coverage cov;
	unsigned int sites = 0;
	size_t i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		if (run_op(c, ops[i].name, ops[i].prepare, ops[i].call,
			   ops[i].check, ops[i].errnos, NULL, &cov)) {
			TH_LOG("%s", c->why);
			bad = 1;
			continue;
		}
		sites += cov.points;
		ksft_print_msg("coverage: %-18s %3u fault points: %3u failed the call cleanly, %3u absorbed\n",
			       ops[i].name, cov.points, cov.failed,
			       cov.absorbed);
		bad |= cov_check(_metadata, ops[i].name, ops[i].allocates,
				 &cov);
	}
	ksft_print_msg("coverage: %zu operations x %u fault points in all\n",
		       n, sites);
	return bad;
}

TEST_F_TIMEOUT(fault, device_ioctls, 600)
{
	ASSERT_EQ(0, run_table(_metadata, &self->c, dev_ops,
			       ARRAY_SIZE(dev_ops)));
}

TEST_F_TIMEOUT(fault, mq_ioctls, 600)
{
	ASSERT_EQ(0, run_table(_metadata, &self->c, mq_ops,
			       ARRAY_SIZE(mq_ops)));
}

TEST_F_TIMEOUT(fault, shm_ioctls, 600)
{
	ASSERT_EQ(0, run_table(_metadata, &self->c, shm_ops,
			       ARRAY_SIZE(shm_ops)));
}

TEST_F_TIMEOUT(fault, sem_ioctls, 600)
{
	ASSERT_EQ(0, run_table(_metadata, &self->c, sem_ops,
			       ARRAY_SIZE(sem_ops)));
}

TEST_F_TIMEOUT(fault, netlink, 600)
{
	static const int nl_errnos[3] = { ENOBUFS };
	struct fctx *c = &self->c;
	struct coverage cov;
	unsigned int sites = 0;
	size_t i;
	int bad = 0;

	for (i = 0; i < ARRAY_SIZE(nl_ops); i++) {
		if (run_op(c, nl_ops[i].name, nl_ops[i].prepare, NULL,
			   nl_ops[i].check, nl_errnos, &nl_ops[i], &cov)) {
			TH_LOG("%s", c->why);
			bad = 1;
			continue;
		}
		sites += cov.points;
		ksft_print_msg("coverage: %-18s %3u fault points: %3u failed the call cleanly, %3u absorbed\n",
			       nl_ops[i].name, cov.points, cov.failed,
			       cov.absorbed);
		bad |= cov_check(_metadata, nl_ops[i].name,
				 nl_ops[i].allocates, &cov);
	}
	ksft_print_msg("coverage: %zu operations x %u fault points in all\n",
		       ARRAY_SIZE(nl_ops), sites);
	ASSERT_EQ(0, bad);
}

TEST_HARNESS_MAIN
