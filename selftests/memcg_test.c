// SPDX-License-Identifier: GPL-2.0-only
/*
 * ENOMEM from a send on a stock kernel: messages are charged to the
 * sender's memory cgroup (GFP_KERNEL_ACCOUNT, SLAB_ACCOUNT; kmod/mq_msg.c),
 * so a sender in a cgroup v2 group with a small memory.max runs out of
 * memory long before the queue is full. The send must fail with ENOMEM
 * (kipc_mq_send(3)), queue nothing, and the next send after the limit is
 * raised must work. Both allocators are covered: a message that fits a
 * size class comes from kipc's own cache, a larger one from kvmalloc().
 *
 * The sender is a child with oom_score_adj -1000, alone in the group: the
 * memory cgroup's OOM killer finds nothing to kill, so the charge fails
 * instead of killing the sender (try_charge_memcg() in mm/memcontrol.c).
 * The kernel logs that OOM with a stack trace; run.sh leaves out such a
 * notice only for oom_score_adj=-1000, which no other test sets.
 *
 * Once in the group the child allocates no memory of its own: everything
 * it touches (stack, buffers, the page shared with the parent) was written
 * before it joined, as a page fault charged to a group at its limit would
 * be retried for ever. It reports through the shared page, not a pipe (a
 * pipe's buffer is charged too).
 */
#include <sys/mount.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "kipc_test.h"

#define CG_ROOT		"/sys/fs/cgroup"
/* About 80 messages of a size class, or 3 from kvmalloc(), fit. */
#define CG_LIMIT	"262144"
#define CG_MSGS		4096
#define CG_WAIT_MS	30000

/* What the child did, written only by it (but raised, by the parent). */
struct cg_shared {
	volatile int stage;	/* 1: hit the limit; 2: sent after raise; 3: left */
	volatile int raised;	/* the parent raised memory.max */
	int sent;		/* messages sent before the failure */
	int err;		/* errno of the failed send */
	int depth_err;		/* errno of the GETATTR after it, or 0 */
	__u32 depth;		/* depth after the failed send */
	int post_ret;		/* errno of the send after the raise, or 0 */
	__u32 post_depth;	/* depth after that send */
	int leave_err;		/* errno of the move back to the root, or 0 */
};

FIXTURE(memcg) {
	int fd, qfd;
	char name[KIPC_NAME_MAX + 1];
	char cg[64];
	bool mounted, made;
	struct cg_shared *sh;
	char *buf;
};

FIXTURE_VARIANT(memcg) {
	__u32 len;
};

/* 3000 bytes and the header: the 4 KiB size class. */
FIXTURE_VARIANT_ADD(memcg, cached) {
	.len = 3000,
};

/* Above the size classes: kvmalloc(), whose kmalloc() try fails first. */
FIXTURE_VARIANT_ADD(memcg, kvmalloc) {
	.len = 65536,
};

static bool cg_is_cgroup2(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == CGROUP2_SUPER_MAGIC;
}

/* Read the small file @path into @buf: 0 or -errno. */
static int cg_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

/* The value of @key in the flat-keyed file @path, or -1. */
static long long cg_key(const char *path, const char *key)
{
	char buf[1024], *p;
	size_t klen = strlen(key);

	if (cg_read(path, buf, sizeof(buf)))
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 10);
	return -1;
}

static bool cg_has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p;

	for (p = list; (p = strstr(p, word)); p += len)
		if ((p == list || p[-1] == ' ') &&
		    (p[len] == ' ' || p[len] == '\n' || !p[len]))
			return true;
	return false;
}

FIXTURE_SETUP(memcg)
{
	char ctl[256], path[128];

	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->qfd = -1;
	test_name(self->name, "memcg");
	snprintf(self->cg, sizeof(self->cg), CG_ROOT "/kipc-memcg-%d",
		 getpid());

	/* The guest's init mounts no cgroup file system. */
	if (!cg_is_cgroup2(CG_ROOT)) {
		ASSERT_EQ(0, mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL))
			TH_LOG("mount cgroup2: %s", strerror(errno));
		self->mounted = true;
	}
	ASSERT_EQ(0, cg_read(CG_ROOT "/cgroup.controllers", ctl, sizeof(ctl)));
	if (!cg_has_word(ctl, "memory"))
		SKIP(return, "the kernel has no memory controller (controllers: %s)",
		     ctl);
	ASSERT_EQ(0, kipc_write_file(CG_ROOT "/cgroup.subtree_control",
				     "+memory"));
	ASSERT_EQ(0, mkdir(self->cg, 0755));
	self->made = true;
	snprintf(path, sizeof(path), "%s/memory.max", self->cg);
	ASSERT_EQ(0, kipc_write_file(path, CG_LIMIT));
	/* No swap in the guest; should there be, none for this group. */
	snprintf(path, sizeof(path), "%s/memory.swap.max", self->cg);
	kipc_write_file(path, "0");

	self->sh = mmap(NULL, sizeof(*self->sh), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->sh);
	memset(self->sh, 0, sizeof(*self->sh));
	self->buf = malloc(variant->len);
	ASSERT_NE(NULL, self->buf);
	self->qfd = test_mq_create(self->name, CG_MSGS, variant->len);
}

FIXTURE_TEARDOWN(memcg)
{
	if (self->qfd >= 0) {
		close(self->qfd);
		_test_cmd_unlink(self->fd, KIPC_OBJ_MQ, self->name);
	}
	/* The child has been reaped, so the group is empty. */
	if (self->made)
		EXPECT_EQ(0, rmdir(self->cg)) TH_LOG("rmdir %s: %s", self->cg,
						     strerror(errno));
	if (self->mounted)
		umount(CG_ROOT);
	free(self->buf);
	close(self->fd);
}

/* Make 256 KiB of stack present, before the child joins. */
static void __attribute__((noinline)) cg_touch_stack(void)
{
	volatile char pad[256 << 10];
	size_t i;

	for (i = 0; i < sizeof(pad); i += 4096)
		pad[i] = 0;
}

static int cg_send(int qfd, const char *buf, __u32 len)
{
	return _test_cmd_mq_send(qfd, buf, len, 0, KIPC_WAIT_NONBLOCK) ? errno : 0;
}

/*
 * The child: join the group, send until a send fails, report, wait for the
 * parent to raise the limit, send once more, report, and leave the group.
 * Only the ioctls and the writes to the pre-opened group files enter the
 * kernel meanwhile; no harness macro runs (they print).
 */
static void __attribute__((noreturn))
cg_child(struct cg_shared *sh, int qfd, char *buf, __u32 len, int procs_fd,
	 int root_fd)
{
	struct timespec ms = { 0, 1000000 };
	struct kipc_mq_getattr a;
	int i;

	if (kipc_write_file("/proc/self/oom_score_adj", "-1000"))
		_exit(10);
	cg_touch_stack();
	memset(&a, 0, sizeof(a));
	memset(buf, 0, len);
	sh->stage = 0;
	if (write(procs_fd, "0", 1) != 1)
		_exit(11);

	for (i = 0; i < CG_MSGS; i++) {
		memcpy(buf, &i, sizeof(i));
		sh->err = cg_send(qfd, buf, len);
		if (sh->err)
			break;
	}
	sh->sent = i;
	sh->depth_err = _test_cmd_mq_getattr(qfd, &a) ? errno : 0;
	sh->depth = a.out_depth;
	sh->stage = 1;

	for (i = 0; !sh->raised && i < CG_WAIT_MS; i++)
		nanosleep(&ms, NULL);
	i = sh->sent;
	memcpy(buf, &i, sizeof(i));
	sh->post_ret = cg_send(qfd, buf, len);
	sh->post_depth = _test_cmd_mq_getattr(qfd, &a) ? 0 : a.out_depth;
	sh->stage = 2;

	sh->leave_err = write(root_fd, "0", 1) == 1 ? 0 : errno;
	sh->stage = 3;
	_exit(0);
}

/* Wait for the child to reach @stage: true, or false after CG_WAIT_MS. */
static bool cg_await(struct cg_shared *sh, int stage)
{
	int i;

	for (i = 0; sh->stage < stage && i < CG_WAIT_MS; i++)
		usleep(1000);
	return sh->stage >= stage;
}

/*
 * A send over the group's limit fails with ENOMEM and queues nothing; after
 * the limit is raised the same sender sends again; every message received
 * is whole and in order, the failed one absent.
 */
TEST_F(memcg, send_over_limit_enomem)
{
	char path[128], *rbuf;
	int procs_fd, root_fd, st = 0, i;
	long long max_before, max_events;
	__u32 len, prio;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/memory.events", self->cg);
	max_before = cg_key(path, "max");
	ASSERT_LE(0, max_before);
	snprintf(path, sizeof(path), "%s/cgroup.procs", self->cg);
	procs_fd = open(path, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, procs_fd);
	root_fd = open(CG_ROOT "/cgroup.procs", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, root_fd);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		cg_child(self->sh, self->qfd, self->buf, variant->len,
			 procs_fd, root_fd);
	close(procs_fd);
	close(root_fd);

	/* The child cannot be killed by the test's failure otherwise. */
	if (!cg_await(self->sh, 1)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		ASSERT_TRUE(false) TH_LOG("child stuck before reporting (status %#x)",
					  st);
	}
	snprintf(path, sizeof(path), "%s/memory.events", self->cg);
	max_events = cg_key(path, "max");
	snprintf(path, sizeof(path), "%s/memory.max", self->cg);
	EXPECT_EQ(0, kipc_write_file(path, "max"));
	self->sh->raised = 1;
	if (!cg_await(self->sh, 3))
		kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
		TH_LOG("child status %#x, stage %d", st, self->sh->stage);

	/* The failure: ENOMEM, from the group's limit, with nothing queued. */
	ASSERT_EQ(ENOMEM, self->sh->err)
		TH_LOG("sent %d, then %s", self->sh->sent,
		       strerror(self->sh->err));
	ASSERT_LT(0, self->sh->sent);
	ASSERT_LT(max_before, max_events);
	ASSERT_EQ(0, self->sh->depth_err);
	ASSERT_EQ((__u32)self->sh->sent, self->sh->depth);
	/* The next send, the limit raised, works. */
	ASSERT_EQ(0, self->sh->post_ret) TH_LOG("%s",
						strerror(self->sh->post_ret));
	ASSERT_EQ((__u32)self->sh->sent + 1, self->sh->post_depth);
	ASSERT_EQ(0, self->sh->leave_err);
	TH_LOG("%d messages of %u bytes fit in " CG_LIMIT " bytes",
	       self->sh->sent, variant->len);

	/* All of them, whole and in order; the failed one was not kept. */
	rbuf = self->buf;
	for (i = 0; i <= self->sh->sent; i++) {
		int seq;

		ASSERT_EQ((int)variant->len,
			  _test_cmd_mq_recv(self->qfd, rbuf, variant->len,
					    KIPC_WAIT_NONBLOCK, &len, &prio))
			TH_LOG("message %d: %s", i, strerror(errno));
		memcpy(&seq, rbuf, sizeof(seq));
		ASSERT_EQ(i, seq);
	}
	test_err_mq_recv(EAGAIN, self->qfd, rbuf, variant->len, KIPC_WAIT_NONBLOCK);
}

TEST_HARNESS_MAIN
