// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module lifetime: every open fd (factory or object, wherever it is) pins
 * kipc.ko, and named objects that no fd holds do not; unloading frees them.
 * This binary unloads and reloads the module, so guest-check.sh runs it last;
 * every test leaves the module loaded, with the default parameters.
 *
 * delete_module() refuses a module in use with EWOULDBLOCK (try_stop_module()
 * in kernel/module/main.c); O_NONBLOCK is what rmmod passes.
 *
 * rmmod_vs_open is the race loop of race_test.c that must run here: an
 * unload racing opens of /dev/kipc, netlink requests, and the last close
 * or munmap, in the fuzzy-sync style of kipc_fzsync.h.
 */
#include <pthread.h>

#include "kipc_test.h"
#include "kipc_fzsync.h"

/* The fixture holds no fd: /dev/kipc is opened only where needed. */
FIXTURE(unload) {
	char name[KIPC_NAME_MAX + 1];
	int fd;
};

FIXTURE_SETUP(unload)
{
	ASSERT_TRUE(kipc_mod_loaded());
	test_name(self->name, "unload");
	self->fd = -1;
}

/* In the parent: whatever happened, the next test finds the module loaded. */
FIXTURE_TEARDOWN_PARENT(unload)
{
	if (!kipc_mod_loaded())
		EXPECT_EQ(0, kipc_mod_load());
}

TEST_F(unload, refused_while_device_open)
{
	struct kipc_version ver;

	test_dev_open();
	test_err_unload(EWOULDBLOCK);
	test_ioctl_version(&ver);
	test_dev_close();
	test_unload();
	ASSERT_NE(0, access(KIPC_DEVICE_PATH, F_OK));
	test_load();
}

/* Each type's object fd, alone (the object unlinked, /dev/kipc closed). */
TEST_F(unload, refused_while_object_fd_open)
{
	unsigned int i;

	for (i = 0; i < KIPC_NR_TYPES; i++) {
		struct kipc_info info;
		int ofd;

		test_dev_open();
		ofd = test_ioctl_create(kipc_types[i], self->name, 0600, NULL);
		test_ioctl_unlink(kipc_types[i], self->name);
		test_dev_close();

		test_err_unload(EWOULDBLOCK);
		test_ioctl_info(ofd, &info);
		ASSERT_EQ(kipc_types[i], info.out_type);
		close(ofd);
		test_unload();
		test_load();
	}
}

/* Held by another process, one that is in another IPC namespace even. */
TEST_F(unload, refused_while_child_holds_fd)
{
	int to_parent[2], to_child[2];
	pid_t pid;
	char c = 0;

	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));
	pid = test_fork_newipc();
	if (pid == 0) {
		int ofd;

		close(to_parent[0]);
		close(to_child[1]);
		test_dev_open();
		ofd = test_ioctl_create(KIPC_OBJ_SHM, self->name, 0600, NULL);
		test_dev_close();
		ASSERT_EQ(1, (int)write(to_parent[1], &c, 1));
		ASSERT_EQ(0, (int)read(to_child[0], &c, 1));
		close(ofd);
		_exit(0);
	}
	close(to_parent[1]);
	close(to_child[0]);
	ASSERT_EQ(1, (int)read(to_parent[0], &c, 1));
	test_err_unload(EWOULDBLOCK);
	close(to_child[1]);
	test_wait_child(pid);
	/* The child's namespace kept a named shm: it does not hold the module. */
	test_unload();
	test_load();
	close(to_parent[0]);
}

/* An fd in flight in a unix socket is a reference like any other. */
TEST_F(unload, refused_while_fd_in_flight)
{
	int sv[2], ofd;

	test_dev_open();
	ofd = test_ioctl_create(KIPC_OBJ_SEM, self->name, 0600, NULL);
	test_ioctl_unlink(KIPC_OBJ_SEM, self->name);
	test_dev_close();

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	ASSERT_EQ(0, kipc_send_fd(sv[0], ofd));
	close(ofd);

	test_err_unload(EWOULDBLOCK);
	close(sv[0]);
	close(sv[1]);
	test_unload();
	test_load();
}

/*
 * Named objects that no fd holds, in this namespace and in one whose last
 * process is gone, are destroyed by the unload; the runner's dmesg scan and
 * slab_debug catch anything left behind.
 */
TEST_F(unload, named_objects_freed)
{
	char n[KIPC_NAME_MAX + 16];
	unsigned int i;
	pid_t pid;
	int j;

	test_dev_open();
	for (i = 0; i < KIPC_NR_TYPES; i++)
		for (j = 0; j < 4; j++) {
			snprintf(n, sizeof(n), "%s.%d", self->name, j);
			close(test_ioctl_create(kipc_types[i], n, 0600, NULL));
		}
	test_dev_close();

	pid = test_fork_newipc();
	if (pid == 0) {
		test_dev_open();
		for (i = 0; i < KIPC_NR_TYPES; i++)
			close(test_ioctl_create(kipc_types[i], self->name,
						0600, NULL));
		test_dev_close();
		_exit(0);
	}
	test_wait_child(pid);

	test_unload();
	test_load();

	/* A fresh module knows none of them. */
	test_dev_open();
	for (i = 0; i < KIPC_NR_TYPES; i++)
		for (j = 0; j < 4; j++) {
			snprintf(n, sizeof(n), "%s.%d", self->name, j);
			ASSERT_FALSE(test_obj_exists(kipc_types[i], n));
		}
	test_dev_close();
}

/*
 * A named queue holding messages that carry regions (KIPC_MQ_REGIONS) does
 * not pin the module: a message holds the region's object, not a file. One
 * region is still named, the other only held by its message; both go.
 */
TEST_F(unload, queued_regions_freed)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = 4, .max_msgsize = 8,
			.flags = KIPC_MQ_REGIONS },
	};
	char r1[KIPC_NAME_MAX + 16], r2[KIPC_NAME_MAX + 16];
	struct kipc_mq_send cmd = {
		.size = sizeof(cmd),
		.flags = KIPC_SEND_REGION,
		.buf = (uintptr_t)"r",
		.len = 1,
	};
	int q, r;

	snprintf(r1, sizeof(r1), "%s.r1", self->name);
	snprintf(r2, sizeof(r2), "%s.r2", self->name);
	test_dev_open();
	/* The regions first, so the walk at unload meets them first. */
	r = test_shm_create(r1, 4096, NULL);
	q = test_ioctl_open(KIPC_OBJ_MQ, self->name, KIPC_NEW, 0600, &attr,
			    NULL, NULL);
	cmd.region_fd = r;
	ASSERT_EQ(0, ioctl(q, KIPC_IOC_MQ_SEND, &cmd));
	close(r);
	r = test_shm_create(r2, 4096, NULL);
	cmd.region_fd = r;
	ASSERT_EQ(0, ioctl(q, KIPC_IOC_MQ_SEND, &cmd));
	close(r);
	test_ioctl_unlink(KIPC_OBJ_SHM, r2);
	close(q);
	test_dev_close();

	test_unload();
	test_load();
	test_dev_open();
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_MQ, self->name));
	ASSERT_FALSE(test_obj_exists(KIPC_OBJ_SHM, r1));
	test_dev_close();
}

/* After a reload everything works as before, netlink included. */
TEST_F(unload, reload_works)
{
	struct kipc_nl_msg m;
	struct kipc_nl nl;
	__u64 id;
	int ofd;

	test_unload();
	/* The family went with the module. */
	ASSERT_EQ(-ENOENT, kipc_nl_open(&nl));
	test_load();

	test_dev_open();
	ofd = test_ioctl_create(KIPC_OBJ_MQ, self->name, 0600, &id);
	test_nl_open(&nl);
	ASSERT_EQ(0, kipc_nl_obj_get(&nl, id, &m));
	ASSERT_STREQ(self->name, m.name);
	/* A netlink socket does not pin the module, the fds do. */
	close(ofd);
	test_ioctl_unlink(KIPC_OBJ_MQ, self->name);
	test_dev_close();
	test_unload();
	close(nl.fd);
	test_load();
}

/*
 * A subscribed monitor socket does not pin the module either: the unload
 * drops its subscription, the socket closes cleanly afterwards, and after
 * a reload a new socket subscribes as before.
 */
TEST_F(unload, monitor_subscriber_does_not_pin)
{
	struct kipc_nl nl, again;
	int grp;

	test_nl_open(&nl);
	grp = kipc_nl_monitor_group(&nl);
	if (grp == -ENOENT) {
		close(nl.fd);
		SKIP(return, "no monitor group on this kernel (< 6.9)");
	}
	ASSERT_LT(0, grp);
	ASSERT_EQ(0, kipc_nl_monitor_subscribe(&nl));
	ASSERT_EQ(0, setsockopt(nl.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&grp, sizeof(grp)));
	test_unload();
	close(nl.fd);
	test_load();
	test_nl_open(&again);
	ASSERT_EQ(0, kipc_nl_monitor_subscribe(&again));
	ASSERT_EQ(-EBUSY, kipc_nl_monitor_subscribe(&again));
	close(again.fd);
}

/* --- rmmod vs open, as a fuzzy-sync race loop ---------------------------- */

struct unload_race {
	struct kipc_fzs f;
	unsigned int mode;
	int objfd;		/* mode 2: the last object fd, B closes it */
	char *map;		/* mode 3: the last mapping, B unmaps it */
	const char *name;
	/* B's results */
	int dev_fd;
	int dev_err;
	int obj_fd;
	int obj_err;
	int nl_ret;
	int nl_ret2;
};

#define UNLOAD_RACE_ITERS	500
/* Every unload costs a reload, most of a second under TCG. */
#define UNLOAD_RACE_SECS	20

static void rmmod_vs_open_b(struct unload_race *u)
{
	union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SEM);
	struct kipc_nl_msg m;
	struct kipc_nl nl;

	u->dev_fd = -1;
	u->obj_fd = -1;
	u->dev_err = 0;
	u->obj_err = 0;
	switch (u->mode) {
	case 0:
		/* Open the factory and make an object through it. */
		u->dev_fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		if (u->dev_fd < 0) {
			u->dev_err = errno;
			break;
		}
		u->obj_fd = _test_cmd_open(u->dev_fd, KIPC_OBJ_SEM, u->name,
					   KIPC_NEW, 0600, &attr, NULL, NULL);
		u->obj_err = u->obj_fd < 0 ? errno : 0;
		_test_cmd_unlink(u->dev_fd, KIPC_OBJ_SEM, u->name);
		break;
	case 1:
		/* Netlink holds nothing: resolve the family and ask. */
		u->nl_ret = kipc_nl_open(&nl);
		u->nl_ret2 = 0;
		if (!u->nl_ret) {
			u->nl_ret2 = kipc_nl_stats_get(&nl, &m);
			close(nl.fd);
		}
		break;
	case 2:
		close(u->objfd);
		break;
	case 3:
		munmap(u->map, 4096);
		break;
	}
}

static void *rmmod_vs_open_thread(void *arg)
{
	struct unload_race *u = arg;

	while (kipc_fzs_start_b(&u->f)) {
		rmmod_vs_open_b(u);
		kipc_fzs_end_b(&u->f);
	}
	return NULL;
}

#define unload_check(_u, _cond, _fmt, ...)				\
	do {								\
		if (!(_cond))						\
			kipc_fzs_fail(&(_u)->f, "iteration %lu, mode %u: " \
				      _fmt, (_u)->f.iter, (_u)->mode,	\
				      ##__VA_ARGS__);			\
	} while (0)

/*
 * A unloads while B opens /dev/kipc and creates an object (mode 0), asks
 * over netlink (1), closes the last object fd (2) or unmaps the last
 * mapping of a region (3). The unload fails with EWOULDBLOCK or succeeds;
 * an open that the unload beat fails cleanly with ENOENT or ENODEV, and
 * an fd that B got keeps the module until B lets go: never both an open
 * fd and a finished unload. The module is loaded again after each
 * unload, and at the end.
 */
TEST_F_TIMEOUT(unload, rmmod_vs_open, 90)
{
	unsigned long unloads = 0;
	struct unload_race *u;
	pthread_t thread;
	int ret, err, i;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "races need two CPUs, the guest has one");
	u = calloc(1, sizeof(*u));
	ASSERT_NE(NULL, u);
	u->name = self->name;
	kipc_fzs_init(&u->f, UNLOAD_RACE_ITERS, UNLOAD_RACE_SECS);
	u->f.samples = 8;
	ASSERT_EQ(0, pthread_create(&thread, NULL, rmmod_vs_open_thread, u));

	for (;;) {
		if (!kipc_mod_loaded()) {
			ret = kipc_mod_load();
			unload_check(u, !ret, "reload: %s", strerror(errno));
			for (i = 0; i < 500; i++) {
				if (access(KIPC_DEVICE_PATH, F_OK) == 0)
					break;
				usleep(2000);
			}
			unload_check(u, i < 500, "no %s after a reload",
				     KIPC_DEVICE_PATH);
		}
		u->mode = u->f.iter % 4;
		u->objfd = -1;
		u->map = MAP_FAILED;
		if (u->mode >= 2) {
			union kipc_attr attr = kipc_attr_of(KIPC_OBJ_SHM);
			int dfd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

			u->objfd = _test_cmd_open(dfd, KIPC_OBJ_SHM, u->name,
						  KIPC_NEW, 0600, &attr, NULL,
						  NULL);
			unload_check(u, dfd >= 0 && u->objfd >= 0,
				     "setup: %s", strerror(errno));
			_test_cmd_unlink(dfd, KIPC_OBJ_SHM, u->name);
			close(dfd);
			if (u->mode == 3) {
				u->map = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					      MAP_SHARED, u->objfd, 0);
				unload_check(u, u->map != MAP_FAILED,
					     "mmap: %s", strerror(errno));
				close(u->objfd);
			}
		}
		if (!kipc_fzs_start_a(&u->f)) {
			if (u->mode == 2)
				close(u->objfd);
			if (u->mode == 3)
				munmap(u->map, 4096);
			break;
		}
		ret = kipc_mod_unload();
		err = ret ? errno : 0;
		kipc_fzs_end_a(&u->f);

		unload_check(u, !err || err == EWOULDBLOCK,
			     "delete_module: %s", strerror(err));
		unload_check(u, !ret == !kipc_mod_loaded(),
			     "delete_module said %d, /sys/module disagrees",
			     ret);
		if (!ret)
			unloads++;
		switch (u->mode) {
		case 0:
			unload_check(u, u->dev_fd >= 0 || u->dev_err == ENOENT ||
				     u->dev_err == ENODEV || u->dev_err == ENXIO,
				     "open: %s", strerror(u->dev_err));
			unload_check(u, u->dev_fd < 0 || ret,
				     "unloaded with /dev/kipc open");
			unload_check(u, u->dev_fd < 0 || u->obj_fd >= 0,
				     "create: %s", strerror(u->obj_err));
			if (u->obj_fd >= 0) {
				unload_check(u, !_test_cmd_sem_post(u->obj_fd, 1),
					     "post: %s", strerror(errno));
				close(u->obj_fd);
			}
			if (u->dev_fd >= 0)
				close(u->dev_fd);
			break;
		case 1:
			unload_check(u, !u->nl_ret || u->nl_ret == -ENOENT,
				     "family lookup: %s", strerror(-u->nl_ret));
			unload_check(u, !u->nl_ret2 || u->nl_ret2 == -ENOENT,
				     "stats: %s", strerror(-u->nl_ret2));
			break;
		}
	}
	ASSERT_EQ(0, pthread_join(thread, NULL));
	TH_LOG("%lu iterations, %lu unloads, %lu with overlapping windows",
	       u->f.iter, unloads, u->f.overlaps);
	ASSERT_FALSE(kipc_fzs_failed(&u->f)) TH_LOG("%s", u->f.why);
	free(u);
	if (!kipc_mod_loaded())
		test_load();
	/* Nothing of the loop is left in the module that stays. */
	test_dev_open();
	for (i = 0; i < (int)KIPC_NR_TYPES; i++)
		ASSERT_FALSE(test_obj_exists(kipc_types[i], self->name));
	test_dev_close();
}

TEST_HARNESS_MAIN
