// SPDX-License-Identifier: GPL-2.0-only
/*
 * The region and semaphore commands of the admin tool: `kipc shm create|
 * show|resize|seal|rm|destroy` and `kipc sem create|show|post|wait|rm|
 * destroy` do what they say to the kernel's objects, `show -J` reports what
 * the kernel reports, and every failure exits with 1 (2 for a mistake on the
 * command line) and says "kipc: WHAT: STRERROR" on standard error, with
 * nothing on standard output.
 *
 * The kernel's own numbers come from libkipc and from raw netlink
 * (kipc_test.h), not from libkipc-admin, which the tool uses.
 */
#include <dirent.h>
#include <time.h>

#include "kipc_tool.h"

FIXTURE(tool_ss) {
	char shm[KIPC_NAME_MAX + 1];
	char sem[KIPC_NAME_MAX + 1];
	struct tool_res *res;
	struct tool_json *json;
	long page;
};

FIXTURE_SETUP(tool_ss)
{
	if (access(tool_path(), X_OK))
		SKIP(return, "%s is not there", tool_path());
	test_name(self->shm, "r");
	test_name(self->sem, "s");
	self->res = calloc(1, sizeof(*self->res));
	self->json = calloc(1, sizeof(*self->json));
	ASSERT_NE(NULL, self->res);
	ASSERT_NE(NULL, self->json);
	self->page = sysconf(_SC_PAGESIZE);
	umask(0);
}

FIXTURE_TEARDOWN(tool_ss)
{
	kipc_unlink(KIPC_OBJ_SHM, self->shm);
	kipc_unlink(KIPC_OBJ_SEM, self->sem);
	free(self->json);
	free(self->res);
}

/* An fd on an object that must exist, opened with libkipc. */
#define ss_open_shm(_flags)						\
	({								\
		int __fd = kipc_shm_open(self->shm, (_flags) |		\
					 KIPC_OPEN_CLOEXEC, 0, 0);	\
		ASSERT_LE(0, __fd) TH_LOG("open: %s", strerror(-__fd));	\
		__fd;							\
	})
#define ss_open_sem(_flags)						\
	({								\
		int __fd = kipc_sem_open(self->sem, (_flags) |		\
					 KIPC_OPEN_CLOEXEC, 0, 0);	\
		ASSERT_LE(0, __fd) TH_LOG("open: %s", strerror(-__fd));	\
		__fd;							\
	})

/* New objects, made with libkipc. */
#define ss_create_shm(_size)						\
	({								\
		int __fd = kipc_shm_open(self->shm, KIPC_NEW |		\
					 KIPC_OPEN_CLOEXEC, 0600, _size); \
		ASSERT_LE(0, __fd) TH_LOG("create: %s", strerror(-__fd)); \
		__fd;							\
	})
#define ss_create_sem(_value)						\
	({								\
		int __fd = kipc_sem_open(self->sem, KIPC_NEW |		\
					 KIPC_OPEN_CLOEXEC, 0600, _value); \
		ASSERT_LE(0, __fd) TH_LOG("create: %s", strerror(-__fd)); \
		__fd;							\
	})

/* The object's id as a decimal string, for `show id ID`. */
#define ss_id_str(_fd, _buf)						\
	snprintf(_buf, sizeof(_buf), "%llu",				\
		 (unsigned long long)test_obj_id(_fd))

/* All numeric attributes of object @fd, over raw netlink. */
#define ss_nl_stat(_fd, _obj)						\
	({								\
		struct kipc_nl __nl;					\
		test_nl_open(&__nl);					\
		test_nl_stat(&__nl, test_obj_id(_fd), _obj);		\
		close(__nl.fd);						\
	})

/* Wait until netlink attribute @attr of object @id reads @want. */
static bool ss_nl_wait(__u64 id, int attr, __u64 want)
{
	struct kipc_nl_obj obj;
	struct kipc_nl nl;
	bool ok = false;
	int i;

	if (kipc_nl_open(&nl))
		return false;
	for (i = 0; i < 2000 && !ok; i++) {
		if (kipc_nl_obj_stat(&nl, id, &obj))
			break;
		ok = obj.has[attr] && obj.val[attr] == want;
		if (!ok)
			usleep(10000);
	}
	close(nl.fd);
	return ok;
}

/*
 * The children of @parent, into @pids (at most @max of them); their number.
 * Looked up while @parent lives: once it dies, they are init's.
 */
static int ss_children_of(pid_t parent, pid_t *pids, int max)
{
	struct dirent *de;
	DIR *dir = opendir("/proc");
	char path[300], buf[512];
	int n = 0;

	if (!dir)
		return 0;
	while ((de = readdir(dir)) && n < max) {
		char *p;
		FILE *f;
		int ppid;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		/* pid (comm) state ppid: comm may hold spaces and ')'. */
		p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		if (p && sscanf(p + 1, " %*c %d", &ppid) == 1 &&
		    ppid == parent)
			pids[n++] = atoi(de->d_name);
	}
	closedir(dir);
	return n;
}

/* --- regions ------------------------------------------------------------- */

/* --exec makes an executable region; without it, PROT_EXEC fails. */
TEST_F(tool_ss, shm_create_exec)
{
	struct kipc_info info;
	void *p;
	int fd;

	tool_run("shm", "create", self->shm);
	tool_ok();
	fd = ss_open_shm(KIPC_OPEN_READ);
	ASSERT_EQ(0, kipc_info(fd, &info));
	EXPECT_EQ(0U, info.out_attr.shm.flags);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, self->page, PROT_READ | PROT_EXEC,
				   MAP_SHARED, fd, 0));
	EXPECT_EQ(EPERM, errno);
	close(fd);
	tool_run("shm", "rm", self->shm);
	tool_ok();

	tool_run("shm", "create", self->shm, "--exec");
	tool_ok();
	fd = ss_open_shm(KIPC_OPEN_READ);
	ASSERT_EQ(0, kipc_info(fd, &info));
	EXPECT_EQ(KIPC_SHM_EXEC, info.out_attr.shm.flags);
	p = mmap(NULL, self->page, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap: %s", strerror(errno));
	munmap(p, self->page);
	close(fd);
}

/* create makes the region it was asked for, and show -J says so. */
TEST_F(tool_ss, shm_create_matches_kernel)
{
	struct kipc_shm_stat st;
	struct kipc_info info;
	struct kipc_nl_obj nl;
	const struct tool_obj *o;
	char id[32];
	int fd;

	tool_run("shm", "create", self->shm, "--size", "3M", "--mode", "0640");
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);

	fd = ss_open_shm(KIPC_OPEN_READ);
	ASSERT_EQ(0, kipc_info(fd, &info));
	ASSERT_EQ(0, kipc_shm_stat(fd, &st));
	EXPECT_EQ(3ULL << 20, st.out_size);
	EXPECT_EQ(0U, st.out_nattch);
	EXPECT_EQ(0640U, info.out_mode);
	ss_nl_stat(fd, &nl);

	o = tool_show("shm", self->shm);
	EXPECT_EQ((long long)info.out_id, tool_num(o, "id"));
	EXPECT_STREQ("shm", tool_str(o, "type"));
	EXPECT_STREQ(self->shm, tool_str(o, "name"));
	EXPECT_STREQ("rw-r-----", tool_str(o, "perms"));
	EXPECT_EQ(3LL << 20, tool_num(o, "size"));
	EXPECT_EQ((long long)nl.val[KIPC_A_OBJ_SHM_SIZE], tool_num(o, "size"));
	EXPECT_EQ(0, tool_num(o, "nattch"));
	EXPECT_EQ((long long)st.out_resident * self->page,
		  tool_num(o, "rss"));
	EXPECT_EQ(0, tool_num(o, "swap"));
	EXPECT_EQ(0, tool_num(o, "lpid"));
	/* Created by the tool, a child of ours. */
	EXPECT_NE(0, tool_num(o, "cpid"));
	EXPECT_EQ((long long)nl.val[KIPC_A_OBJ_CPID], tool_num(o, "cpid"));
	/* Never mapped, never sealed: empty cells, not 1970 or "0". */
	EXPECT_STREQ("null", tool_str(o, "atime"));
	EXPECT_STREQ("null", tool_str(o, "dtime"));
	EXPECT_STREQ("null", tool_str(o, "seals"));
	EXPECT_STREQ("linked", tool_str(o, "state"));

	/* By id, the same region; and create again without --excl is fine. */
	ss_id_str(fd, id);
	o = tool_show("shm", "id", id);
	EXPECT_STREQ(self->shm, tool_str(o, "name"));
	tool_run("shm", "create", self->shm, "--size", "1K");
	tool_ok();
	tool_run("shm", "create", self->shm, "--excl");
	tool_fails("kipc: cannot create region '%s': File exists\n",
		   self->shm);
	ASSERT_EQ(0, kipc_shm_stat(fd, &st));
	EXPECT_EQ(3ULL << 20, st.out_size);
	close(fd);
}

/* NATTCH, RSS, LPID and the times follow the mappings, as the kernel counts. */
TEST_F(tool_ss, shm_show_mappings_match_kernel)
{
	struct kipc_shm_stat st;
	struct kipc_nl_obj nl;
	const struct tool_obj *o;
	char *a, *b;
	size_t alen, blen;
	int fd;

	fd = ss_create_shm(16 * self->page);
	ASSERT_EQ(0, kipc_shm_map(fd, PROT_READ | PROT_WRITE, (void **)&a,
				  &alen));
	ASSERT_EQ(0, kipc_shm_map(fd, PROT_READ, (void **)&b, &blen));
	/*
	 * The tool runs in a child of ours, whose fork() would copy both
	 * mappings (NATTCH 4) and whose exec would unmap the copies (DTIME).
	 */
	ASSERT_EQ(0, madvise(a, alen, MADV_DONTFORK));
	ASSERT_EQ(0, madvise(b, blen, MADV_DONTFORK));
	a[0] = 1;
	a[self->page] = 2;
	a[5 * self->page] = 3;
	EXPECT_EQ(3, b[5 * self->page]);

	ASSERT_EQ(0, kipc_shm_stat(fd, &st));
	EXPECT_EQ(2U, st.out_nattch);
	EXPECT_EQ(3ULL, st.out_resident);
	ss_nl_stat(fd, &nl);
	o = tool_show("shm", self->shm);
	EXPECT_EQ(2, tool_num(o, "nattch"));
	EXPECT_EQ((long long)nl.val[KIPC_A_OBJ_SHM_NATTCH],
		  tool_num(o, "nattch"));
	EXPECT_EQ(3 * self->page, tool_num(o, "rss"));
	EXPECT_EQ((long long)nl.val[KIPC_A_OBJ_SHM_RESIDENT] * self->page,
		  tool_num(o, "rss"));
	EXPECT_EQ(getpid(), (pid_t)tool_num(o, "lpid"));
	EXPECT_STRNE("null", tool_str(o, "atime"));
	EXPECT_STREQ("null", tool_str(o, "dtime"));

	/* The table, as lsipc prints it: sizes human-readable. */
	tool_run("shm", "show", self->shm, "-r", "-o", "NATTCH,SIZE,RSS");
	tool_ok();
	EXPECT_STREQ("NATTCH SIZE RSS\n2 64K 12K\n", self->res->out);

	ASSERT_EQ(0, kipc_shm_unmap(b, blen));
	ASSERT_EQ(0, kipc_shm_unmap(a, alen));
	o = tool_show("shm", self->shm);
	EXPECT_EQ(0, tool_num(o, "nattch"));
	EXPECT_STRNE("null", tool_str(o, "dtime"));
	close(fd);
}

/* Sizes: N, NK, NM, NG in, lsipc's "1.5K" out, bytes with -b. */
TEST_F(tool_ss, shm_sizes_human_and_bytes)
{
	struct kipc_shm_stat st;
	int fd;

	tool_run("shm", "create", self->shm, "--size", "1536");
	tool_ok();
	tool_run("shm", "show", self->shm, "-rn", "-o", "SIZE");
	tool_ok();
	EXPECT_STREQ("1.5K\n", self->res->out);
	tool_run("shm", "show", self->shm, "-rn", "-o", "SIZE", "--bytes");
	tool_ok();
	EXPECT_STREQ("1536\n", self->res->out);
	/* In JSON a human-readable size is a string; with -b, a number. */
	tool_run("shm", "show", self->shm, "-J", "-o", "SIZE");
	tool_ok();
	EXPECT_STREQ("{\n   \"objects\": [\n      {\n         \"size\": \"1.5K\"\n      }\n   ]\n}\n",
		     self->res->out);
	tool_run("-b", "shm", "list", "-J", "-o", "NAME,SIZE");
	tool_ok();
	EXPECT_NE(NULL, strstr(self->res->out, "\"size\": 1536"));

	tool_run("shm", "resize", self->shm, "256m");
	tool_ok();
	fd = ss_open_shm(KIPC_OPEN_READ);
	ASSERT_EQ(0, kipc_shm_stat(fd, &st));
	EXPECT_EQ(256ULL << 20, st.out_size);
	close(fd);
	tool_run("shm", "show", self->shm, "-rn", "-o", "SIZE");
	tool_ok();
	EXPECT_STREQ("256M\n", self->res->out);
}

/* resize changes the size; seals and bad sizes stop it. */
TEST_F(tool_ss, shm_resize)
{
	struct kipc_shm_stat st;
	int fd;

	fd = ss_create_shm(4096);
	tool_run("shm", "resize", self->shm, "64K");
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);
	ASSERT_EQ(0, kipc_shm_stat(fd, &st));
	EXPECT_EQ(65536ULL, st.out_size);
	tool_run("shm", "resize", self->shm, "100");
	tool_ok();
	ASSERT_EQ(0, kipc_shm_stat(fd, &st));
	EXPECT_EQ(100ULL, st.out_size);

	tool_run("shm", "resize", self->shm, "0");
	tool_usage_fails("kipc: invalid size '0': a number of bytes above 0, or of K, M or G\nTry 'kipc shm resize help' for more information.\n");
	tool_run("shm", "resize", self->shm, "12Q");
	tool_usage_fails("kipc: invalid size '12Q': a number of bytes above 0, or of K, M or G\nTry 'kipc shm resize help' for more information.\n");
	tool_run("shm", "resize", self->shm);
	tool_usage_fails("kipc: 'shm resize' needs a NAME and a SIZE\nTry 'kipc shm resize help' for more information.\n");

	ASSERT_EQ(0, kipc_shm_seal(fd, KIPC_SEAL_GROW));
	tool_run("shm", "resize", self->shm, "8K");
	tool_fails("kipc: cannot resize region '%s': Operation not permitted\n",
		   self->shm);
	ASSERT_EQ(0, kipc_shm_stat(fd, &st));
	EXPECT_EQ(100ULL, st.out_size);
	close(fd);
}

/* seal adds seals by name; show lists them; the kernel's refusals show. */
TEST_F(tool_ss, shm_seal)
{
	const struct tool_obj *o;
	size_t len;
	void *p;
	int fd;

	fd = ss_create_shm(4096);
	tool_run("shm", "seal", self->shm, "grow,shrink");
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);
	EXPECT_EQ(KIPC_SEAL_GROW | KIPC_SEAL_SHRINK, kipc_shm_get_seals(fd));
	o = tool_show("shm", self->shm);
	EXPECT_STREQ("shrink,grow", tool_str(o, "seals"));

	/* A writable shared mapping exists: no write seal (EBUSY). */
	ASSERT_EQ(0, kipc_shm_map(fd, PROT_READ | PROT_WRITE, &p, &len));
	tool_run("shm", "seal", self->shm, "write");
	tool_fails("kipc: cannot seal region '%s': Device or resource busy\n",
		   self->shm);
	ASSERT_EQ(0, kipc_shm_unmap(p, len));
	tool_run("shm", "seal", self->shm, "write,future-write,seal");
	tool_ok();
	EXPECT_EQ(KIPC_SEAL_ALL, kipc_shm_get_seals(fd));
	tool_run("shm", "show", self->shm, "-rn", "-o", "SEALS");
	tool_ok();
	EXPECT_STREQ("seal,shrink,grow,write,future-write\n", self->res->out);
	EXPECT_EQ(-EPERM, kipc_shm_map(fd, PROT_READ | PROT_WRITE, &p, &len));

	/* Sealed against more seals. */
	tool_run("shm", "seal", self->shm, "grow");
	tool_fails("kipc: cannot seal region '%s': Operation not permitted\n",
		   self->shm);
	tool_run("shm", "seal", self->shm, "grow,");
	tool_usage_fails("kipc: invalid seals 'grow,': a comma-separated list of seal, shrink, grow, write and future-write\nTry 'kipc shm seal help' for more information.\n");
	tool_run("shm", "seal", self->shm, "all");
	tool_usage_fails("kipc: invalid seals 'all': a comma-separated list of seal, shrink, grow, write and future-write\nTry 'kipc shm seal help' for more information.\n");
	close(fd);
}

/* rm unlinks names only: show by name fails, the mapping goes on. */
TEST_F(tool_ss, shm_rm_then_show_fails)
{
	const struct tool_obj *o;
	char id[32];
	size_t len;
	char *p;
	int fd;

	fd = ss_create_shm(4096);
	ss_id_str(fd, id);
	ASSERT_EQ(0, kipc_shm_map(fd, PROT_READ | PROT_WRITE, (void **)&p,
				  &len));
	close(fd);

	tool_run("shm", "rm", self->shm);
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);
	tool_run("shm", "show", self->shm);
	tool_fails("kipc: cannot find region '%s': No such file or directory (no object of this type and name in the caller's IPC namespace)\n",
		   self->shm);
	EXPECT_EQ(-ENOENT, kipc_shm_open(self->shm, KIPC_OPEN_READ, 0, 0));

	/* The mapping keeps it: by id, unlinked, still mapped once. */
	o = tool_show("shm", "id", id);
	EXPECT_STREQ("unlinked", tool_str(o, "state"));
	EXPECT_EQ(1, tool_num(o, "nattch"));
	p[0] = 'x';

	tool_run("shm", "rm", self->shm);
	tool_fails("kipc: cannot unlink region '%s': No such file or directory\n",
		   self->shm);
	ASSERT_EQ(0, kipc_shm_unmap(p, len));
}

/* destroy refuses new mappings; the old one stays valid. */
TEST_F(tool_ss, shm_destroy_keeps_mappings)
{
	const struct tool_obj *o;
	char id[32];
	size_t len;
	char *p, *q;
	int fd;

	fd = ss_create_shm(4096);
	ss_id_str(fd, id);
	ASSERT_EQ(0, kipc_shm_map(fd, PROT_READ | PROT_WRITE, (void **)&p,
				  &len));
	p[10] = 42;

	tool_run("shm", "destroy", "id", id);
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);
	EXPECT_EQ(-EIDRM, kipc_shm_map(fd, PROT_READ, (void **)&q, &len));
	EXPECT_EQ(-EIDRM, kipc_shm_resize(fd, 8192));
	EXPECT_EQ(42, p[10]);
	o = tool_show("shm", "id", id);
	EXPECT_STREQ("removed", tool_str(o, "state"));
	EXPECT_EQ(1, tool_num(o, "nattch"));
	tool_run("shm", "show", self->shm);
	tool_fails("kipc: cannot find region '%s': No such file or directory (no object of this type and name in the caller's IPC namespace)\n",
		   self->shm);
	ASSERT_EQ(0, kipc_shm_unmap(p, len));
	close(fd);
}

/* --- semaphores ----------------------------------------------------------- */

/* create makes the semaphore it was asked for, and show -J says so. */
TEST_F(tool_ss, sem_create_matches_kernel)
{
	struct kipc_info info;
	struct kipc_nl_obj nl;
	const struct tool_obj *o;
	int fd;

	tool_run("sem", "create", self->sem, "--value", "5", "-m", "0604",
		 "--excl");
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);
	fd = ss_open_sem(KIPC_OPEN_READ);
	EXPECT_EQ(5, kipc_sem_getvalue(fd));
	ASSERT_EQ(0, kipc_info(fd, &info));
	EXPECT_EQ(0604U, info.out_mode);
	ss_nl_stat(fd, &nl);

	o = tool_show("sem", self->sem);
	EXPECT_EQ((long long)info.out_id, tool_num(o, "id"));
	EXPECT_STREQ("sem", tool_str(o, "type"));
	EXPECT_STREQ("rw----r--", tool_str(o, "perms"));
	EXPECT_EQ(5, tool_num(o, "value"));
	EXPECT_EQ((long long)nl.val[KIPC_A_OBJ_SEM_VALUE],
		  tool_num(o, "value"));
	EXPECT_EQ(0, tool_num(o, "ncount"));
	EXPECT_EQ(0, tool_num(o, "waits"));
	EXPECT_EQ(0, tool_num(o, "posts"));
	EXPECT_EQ(0, tool_num(o, "timeouts"));
	EXPECT_EQ(0, tool_num(o, "undoholders"));
	EXPECT_EQ(0, tool_num(o, "undounits"));
	EXPECT_EQ(0, tool_num(o, "recovered"));
	EXPECT_EQ(0, tool_num(o, "lpid"));
	EXPECT_STREQ("null", tool_str(o, "otime"));
	EXPECT_STREQ("linked", tool_str(o, "state"));

	tool_run("sem", "create", self->sem, "--value", "9");
	tool_ok();
	EXPECT_EQ(5, kipc_sem_getvalue(fd));
	tool_run("sem", "create", self->sem, "--excl");
	tool_fails("kipc: cannot create semaphore '%s': File exists\n",
		   self->sem);
	close(fd);
}

/* NCOUNT is the kernel's count of blocked waiters. */
TEST_F(tool_ss, sem_show_waiters)
{
	struct kipc_nl_obj nl;
	const struct tool_obj *o;
	int fd, status;
	pid_t pid;

	fd = ss_create_sem(0);
	pid = kipc_fork_tied();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(kipc_sem_wait(fd, 2, 0) == 0 ? 0 : 10);
	test_sem_await_waiters(fd, 1);

	ss_nl_stat(fd, &nl);
	EXPECT_EQ(1ULL, nl.val[KIPC_A_OBJ_SEM_WAITERS]);
	o = tool_show("sem", self->sem);
	EXPECT_EQ(1, tool_num(o, "ncount"));
	EXPECT_EQ(0, tool_num(o, "value"));
	tool_run("sem", "show", self->sem, "-o", "VALUE,NCOUNT");
	tool_ok();
	EXPECT_STREQ("VALUE NCOUNT\n    0      1\n", self->res->out);

	/* One unit is not enough for a wait of two: it stays queued. */
	tool_run("sem", "post", self->sem);
	tool_ok();
	o = tool_show("sem", self->sem);
	EXPECT_EQ(1, tool_num(o, "ncount"));
	EXPECT_EQ(1, tool_num(o, "value"));
	tool_run("sem", "post", self->sem);
	tool_ok();
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	o = tool_show("sem", self->sem);
	EXPECT_EQ(0, tool_num(o, "ncount"));
	EXPECT_EQ(0, tool_num(o, "value"));
	EXPECT_EQ(1, tool_num(o, "waits"));
	EXPECT_EQ(2, tool_num(o, "posts"));
	close(fd);
}

/* post N and wait N move the value; show counts them. */
TEST_F(tool_ss, sem_post_wait_round_trip)
{
	struct kipc_nl_obj nl;
	const struct tool_obj *o;
	int fd;

	fd = ss_create_sem(0);
	tool_run("sem", "post", self->sem, "3");
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);
	EXPECT_EQ(3, kipc_sem_getvalue(fd));
	tool_run("sem", "wait", self->sem, "2");
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);
	EXPECT_EQ(1, kipc_sem_getvalue(fd));
	tool_run("sem", "wait", self->sem, "-t", "1000");
	tool_ok();
	EXPECT_EQ(0, kipc_sem_getvalue(fd));

	ss_nl_stat(fd, &nl);
	o = tool_show("sem", self->sem);
	EXPECT_EQ(2, tool_num(o, "waits"));
	EXPECT_EQ(1, tool_num(o, "posts"));
	EXPECT_EQ((long long)nl.val[KIPC_A_OBJ_SEM_WAITS], tool_num(o, "waits"));
	EXPECT_EQ((long long)nl.val[KIPC_A_OBJ_SEM_POSTS], tool_num(o, "posts"));
	EXPECT_EQ((long long)nl.val[KIPC_A_OBJ_SEM_LPID], tool_num(o, "lpid"));
	EXPECT_NE(0, tool_num(o, "lpid"));
	EXPECT_STRNE("null", tool_str(o, "otime"));

	/* Past the maximum: refused, and nothing changes. */
	ASSERT_EQ(0, kipc_sem_post(fd, KIPC_SEM_VALUE_MAX));
	tool_run("sem", "post", self->sem);
	tool_fails("kipc: cannot post to semaphore '%s': Value too large for defined data type\n",
		   self->sem);
	EXPECT_EQ((int)KIPC_SEM_VALUE_MAX, kipc_sem_getvalue(fd));
	close(fd);
}

/* --nonblock and --timeout fail with exit 1; only the timeout counts. */
TEST_F(tool_ss, sem_wait_nonblock_and_timeout)
{
	struct timespec t0, t1;
	const struct tool_obj *o;
	long long ms;
	int fd;

	fd = ss_create_sem(0);
	tool_run("sem", "wait", self->sem, "--nonblock");
	tool_fails("kipc: cannot wait on semaphore '%s': Resource temporarily unavailable\n",
		   self->sem);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	tool_run("sem", "wait", self->sem, "--timeout", "150");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	tool_timed_out("kipc: cannot wait on semaphore '%s': timed out\n",
		       self->sem);
	ms = (t1.tv_sec - t0.tv_sec) * 1000LL +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	EXPECT_LE(150, ms);

	o = tool_show("sem", self->sem);
	EXPECT_EQ(1, tool_num(o, "timeouts"));
	EXPECT_EQ(0, tool_num(o, "waits"));

	/* A unit there: --nonblock takes it. */
	ASSERT_EQ(0, kipc_sem_post(fd, 1));
	tool_run("sem", "wait", self->sem, "--nonblock");
	tool_ok();
	EXPECT_EQ(0, kipc_sem_getvalue(fd));
	close(fd);
}

/*
 * A `kipc sem wait --undo -- COMMAND` killed while it holds the unit: the
 * kernel gives the unit back, and the next `kipc sem wait` says so.
 */
TEST_F(tool_ss, sem_wait_undo_kill_recovered)
{
	struct kipc_nl_obj nl;
	const struct tool_obj *o;
	struct tool_proc p;
	pid_t kids[4];
	int fd, i, n;
	__u64 id;

	fd = ss_create_sem(1);
	id = test_obj_id(fd);
	ASSERT_EQ(0, tool_start(&p, (uid_t)-1, NULL, 0,
				TOOL_ARGS("sem", "wait", self->sem, "--undo",
					  "--", "sleep", "1000")));
	ASSERT_TRUE(ss_nl_wait(id, KIPC_A_OBJ_SEM_UNDO_HOLDERS, 1));
	ss_nl_stat(fd, &nl);
	EXPECT_EQ(0ULL, nl.val[KIPC_A_OBJ_SEM_VALUE]);
	EXPECT_EQ(1ULL, nl.val[KIPC_A_OBJ_SEM_UNDO_UNITS]);
	o = tool_show("sem", self->sem);
	EXPECT_EQ(1, tool_num(o, "undoholders"));
	EXPECT_EQ(1, tool_num(o, "undounits"));

	/* kipc holds the unit, not its command, which dies too. */
	n = ss_children_of(p.pid, kids, ARRAY_SIZE(kids));
	EXPECT_EQ(1, n);
	ASSERT_EQ(0, kill(p.pid, SIGKILL));
	ASSERT_EQ(0, tool_finish(&p, self->res));
	EXPECT_EQ(128 + SIGKILL, self->res->status);
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);

	EXPECT_EQ(1, kipc_sem_getvalue(fd));
	ss_nl_stat(fd, &nl);
	EXPECT_EQ(0ULL, nl.val[KIPC_A_OBJ_SEM_UNDO_HOLDERS]);
	EXPECT_EQ(1ULL, nl.val[KIPC_A_OBJ_SEM_RECOVERED]);

	tool_run("sem", "wait", self->sem);
	tool_ok();
	EXPECT_STREQ("recovered\n", self->res->out);
	EXPECT_EQ(0, kipc_sem_getvalue(fd));
	o = tool_show("sem", self->sem);
	EXPECT_EQ(1, tool_num(o, "recovered"));
	EXPECT_EQ(0, tool_num(o, "undoholders"));

	/* A unit posted normally is not recovered. */
	ASSERT_EQ(0, kipc_sem_post(fd, 1));
	tool_run("sem", "wait", self->sem);
	tool_ok();
	EXPECT_STREQ("", self->res->out);
	close(fd);
}

/* With a COMMAND, the units are held while it runs and posted back. */
TEST_F(tool_ss, sem_wait_runs_command)
{
	struct kipc_nl_obj nl;
	char script[512];
	int fd;

	fd = ss_create_sem(2);
	/* The command sees the units taken; kipc exits with its status. */
	snprintf(script, sizeof(script),
		 "[ \"$(%s sem show %s -rn -o VALUE)\" = 0 ] && exit 3",
		 tool_path(), self->sem);
	tool_run("sem", "wait", self->sem, "2", "--undo", "--", "/bin/sh",
		 "-c", script);
	EXPECT_EQ(3, self->res->status) TH_LOG("stderr: %s", self->res->err);
	EXPECT_EQ(2, kipc_sem_getvalue(fd));
	/* The post paid the undo record back: nothing was recovered. */
	ss_nl_stat(fd, &nl);
	EXPECT_EQ(0ULL, nl.val[KIPC_A_OBJ_SEM_RECOVERED]);
	EXPECT_EQ(0ULL, nl.val[KIPC_A_OBJ_SEM_UNDO_HOLDERS]);

	tool_run("sem", "wait", self->sem, "--", "/bin/sh", "-c", "exit 0");
	tool_ok();
	EXPECT_EQ(2, kipc_sem_getvalue(fd));
	tool_run("sem", "wait", self->sem, "--", "/no/such/command");
	EXPECT_EQ(127, self->res->status);
	EXPECT_STREQ("kipc: cannot run '/no/such/command': No such file or directory\n",
		     self->res->err);
	EXPECT_EQ(2, kipc_sem_getvalue(fd));

	/* Without "--" a word after N is a mistake, not a command. */
	tool_run("sem", "wait", self->sem, "1", "true");
	tool_usage_fails("kipc: unexpected argument 'true' to 'sem wait'; put '--' before a COMMAND\nTry 'kipc sem wait help' for more information.\n");
	EXPECT_EQ(2, kipc_sem_getvalue(fd));
	close(fd);
}

/*
 * `sem wait A:N B:M -- COMMAND` takes from both at once, holds them while
 * the command runs and gives both back; short of either, it takes none.
 */
TEST_F(tool_ss, sem_wait_multi)
{
	char other[sizeof(self->sem) + 8], a[sizeof(other) + 16];
	char b[sizeof(other) + 16], script[2048];
	int fd, ofd;

	fd = ss_create_sem(1);
	snprintf(other, sizeof(other), "%s-b", self->sem);
	ofd = kipc_sem_open(other, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, 2);
	ASSERT_LE(0, ofd);
	snprintf(a, sizeof(a), "%s:1", self->sem);
	snprintf(b, sizeof(b), "%s:2", other);
	snprintf(script, sizeof(script),
		 "[ \"$(%s sem show %s -rn -o VALUE)\" = 0 ] && "
		 "[ \"$(%s sem show %s -rn -o VALUE)\" = 0 ] && exit 3",
		 tool_path(), self->sem, tool_path(), other);
	tool_run("sem", "wait", a, b, "--undo", "--", "/bin/sh", "-c", script);
	EXPECT_EQ(3, self->res->status) TH_LOG("stderr: %s", self->res->err);
	EXPECT_EQ(1, kipc_sem_getvalue(fd));
	EXPECT_EQ(2, kipc_sem_getvalue(ofd));

	/* Three of 'other' are not there: nothing is taken from either. */
	snprintf(b, sizeof(b), "%s:3", other);
	tool_run("sem", "wait", a, b, "--nonblock");
	tool_fails("kipc: cannot wait on 2 semaphores: Resource temporarily unavailable\n");
	EXPECT_EQ(1, kipc_sem_getvalue(fd));
	EXPECT_EQ(2, kipc_sem_getvalue(ofd));

	/* Without a command, taken and kept (no --undo). */
	snprintf(b, sizeof(b), "%s:2", other);
	tool_run("sem", "wait", a, b);
	tool_ok();
	EXPECT_EQ(0, kipc_sem_getvalue(fd));
	EXPECT_EQ(0, kipc_sem_getvalue(ofd));

	tool_run("sem", "wait", a, "true");
	tool_usage_fails("kipc: unexpected argument 'true' to 'sem wait'; put '--' before a COMMAND\nTry 'kipc sem wait help' for more information.\n");
	close(ofd);
	kipc_unlink(KIPC_OBJ_SEM, other);
	close(fd);
}

/* rm unlinks names only: show by name fails, open fds go on. */
TEST_F(tool_ss, sem_rm_then_show_fails)
{
	const struct tool_obj *o;
	char id[32];
	int fd;

	fd = ss_create_sem(1);
	ss_id_str(fd, id);
	tool_run("sem", "rm", self->sem);
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);
	tool_run("sem", "show", self->sem);
	tool_fails("kipc: cannot find semaphore '%s': No such file or directory (no object of this type and name in the caller's IPC namespace)\n",
		   self->sem);
	tool_run("sem", "wait", self->sem);
	tool_fails("kipc: cannot open semaphore '%s': No such file or directory\n",
		   self->sem);
	o = tool_show("sem", "id", id);
	EXPECT_STREQ("unlinked", tool_str(o, "state"));
	EXPECT_EQ(0, kipc_sem_wait(fd, 1, 0));
	tool_run("sem", "rm", self->sem);
	tool_fails("kipc: cannot unlink semaphore '%s': No such file or directory\n",
		   self->sem);
	close(fd);
}

/* destroy wakes a `kipc sem wait` blocked in the kernel with EIDRM. */
TEST_F(tool_ss, sem_destroy_wakes_tool_wait)
{
	const struct tool_obj *o;
	struct tool_proc p;
	char id[32];
	int fd;

	fd = ss_create_sem(0);
	ss_id_str(fd, id);
	ASSERT_EQ(0, tool_start(&p, (uid_t)-1, NULL, 0,
				TOOL_ARGS("sem", "wait", self->sem)));
	test_sem_await_waiters(fd, 1);

	tool_run("sem", "destroy", self->sem);
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);
	ASSERT_EQ(0, tool_finish(&p, self->res));
	tool_fails("kipc: cannot wait on semaphore '%s': Identifier removed\n",
		   self->sem);

	EXPECT_EQ(-EIDRM, kipc_sem_post(fd, 1));
	o = tool_show("sem", "id", id);
	EXPECT_STREQ("removed", tool_str(o, "state"));
	EXPECT_EQ(0, tool_num(o, "ncount"));
	tool_run("sem", "destroy", self->sem);
	tool_fails("kipc: cannot find semaphore '%s': No such file or directory (no object of this type and name in the caller's IPC namespace)\n",
		   self->sem);
	close(fd);
}

/* destroy checks the type of an id; the kernel checks the caller. */
TEST_F(tool_ss, destroy_refused)
{
	char id[32];
	int s, r;

	s = ss_create_sem(1);
	ss_id_str(s, id);
	tool_run("shm", "destroy", "id", id);
	tool_fails("kipc: object %s is not a region (its type is sem)\n", id);
	close(s);

	r = kipc_shm_open(self->shm, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0666, 4096);
	ASSERT_LE(0, r);
	tool_run_as(KIPC_UID1, NULL, 0, "shm", "destroy", self->shm);
	tool_fails("kipc: cannot destroy region '%s': Operation not permitted (only the owner, the creator or CAP_SYS_ADMIN may remove)\n",
		   self->shm);
	tool_run_as(KIPC_UID1, NULL, 0, "sem", "rm", self->sem);
	tool_fails("kipc: cannot unlink semaphore '%s': Operation not permitted\n",
		   self->sem);
	close(r);
}

/* Help at every level exits 0; mistakes exit 2 and point at the help. */
TEST_F(tool_ss, usage_and_help)
{
	static const char *const shm_cmds[] = {
		"list", "show", "create", "resize", "seal", "rm", "destroy",
	};
	static const char *const sem_cmds[] = {
		"list", "show", "create", "post", "wait", "rm", "destroy",
	};
	char want[128];
	size_t i;

	tool_run("shm", "help");
	tool_ok();
	EXPECT_EQ(0, strncmp(self->res->out, "Usage: kipc [OPTIONS] shm ", 26));
	tool_run("sem", "help");
	tool_ok();
	EXPECT_EQ(0, strncmp(self->res->out, "Usage: kipc [OPTIONS] sem ", 26));
	for (i = 0; i < ARRAY_SIZE(shm_cmds); i++) {
		tool_run("shm", (char *)shm_cmds[i], "help");
		tool_ok();
		snprintf(want, sizeof(want), "shm %s", shm_cmds[i]);
		EXPECT_NE(NULL, strstr(self->res->out, want));
		tool_run("shm", (char *)shm_cmds[i], "--help");
		tool_ok();
	}
	for (i = 0; i < ARRAY_SIZE(sem_cmds); i++) {
		tool_run("sem", (char *)sem_cmds[i], "help");
		tool_ok();
		snprintf(want, sizeof(want), "sem %s", sem_cmds[i]);
		EXPECT_NE(NULL, strstr(self->res->out, want));
		tool_run("sem", (char *)sem_cmds[i], "-h");
		tool_ok();
	}

	tool_run("shm", "create", self->shm, "--size", "0");
	tool_usage_fails("kipc: invalid size '0': a number of bytes above 0, or of K, M or G\nTry 'kipc shm create help' for more information.\n");
	tool_run("shm", "create", self->shm, "--value", "1");
	tool_usage_fails("kipc: option '--value' does not apply to 'shm create'\nTry 'kipc shm create help' for more information.\n");
	tool_run("sem", "create", self->sem, "--value", "2147483648");
	tool_usage_fails("kipc: invalid value '2147483648' for '--value': a number from 0 to 2147483647\nTry 'kipc sem create help' for more information.\n");
	tool_run("sem", "post");
	tool_usage_fails("kipc: 'sem post' needs a NAME\nTry 'kipc sem post help' for more information.\n");
	tool_run("sem", "post", self->sem, "0");
	tool_usage_fails("kipc: invalid count '0': a number from 1 to 2147483647\nTry 'kipc sem post help' for more information.\n");
	tool_run("sem", "wait", self->sem, "--undo", "--bytes");
	tool_usage_fails("kipc: option '--bytes' does not apply to 'sem wait'\nTry 'kipc sem wait help' for more information.\n");
	tool_run("sem", "frob");
	tool_usage_fails("kipc: unknown command 'frob' for object 'sem'\nTry 'kipc sem help' for more information.\n");
	tool_run("shm", "show", "-o", "VALUE");
	tool_usage_fails("kipc: column 'VALUE' does not apply to 'shm show'\nTry 'kipc shm show help' for more information.\n");
	/* None of them created anything. */
	EXPECT_EQ(-ENOENT, kipc_shm_open(self->shm, KIPC_OPEN_READ, 0, 0));
	EXPECT_EQ(-ENOENT, kipc_sem_open(self->sem, KIPC_OPEN_READ, 0, 0));
}

TEST_HARNESS_MAIN
