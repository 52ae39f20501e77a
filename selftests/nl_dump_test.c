// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dumps of the "kipc" family are resumable: 10,000 objects come back each
 * exactly once, in id order, across many multi-part messages, both through
 * raw netlink and through libkipc-admin; and while another process creates
 * and destroys objects during the dump, every object that lived throughout
 * is seen exactly once and no id twice.
 *
 * Each test runs in a new IPC namespace, so the dump holds exactly what the
 * test made there.
 */
#include <time.h>

#include "kipc_test.h"
#include "kipc-admin.h"

#define N_OBJS		10000

FIXTURE(nld) {
	char name[KIPC_NAME_MAX + 1];
};

FIXTURE_SETUP(nld)
{
	test_name(self->name, "d");
}

FIXTURE_TEARDOWN(nld)
{
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The ids of one dump, in the order they came, and how many parts. */
struct dump_res {
	uint64_t *ids;
	int n, cap;
	int parts;
};

/*
 * Dump the objects of our namespace raw, recording their ids; sleep
 * @pause_us after each part so that others can change the set meanwhile.
 * 0 or -errno.
 */
static int dump_ids(struct kipc_nl *nl, struct dump_res *r, int pause_us)
{
	struct kipc_nl_req req;
	char *buf;
	int ret;

	r->n = 0;
	r->parts = 0;
	kipc_nl_req_init(nl, &req, nl->family, NLM_F_DUMP, KIPC_CMD_OBJ_GET,
			 KIPC_GENL_VERSION);
	ret = kipc_nl_send(nl, &req);
	if (ret)
		return ret;
	buf = malloc(KIPC_NL_BUF);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		struct nlmsghdr *nlh;
		bool multi = false;
		ssize_t len;

		len = recv(nl->fd, buf, KIPC_NL_BUF, 0);
		if (len < 0) {
			ret = -errno;
			break;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			struct kipc_nl_msg m;

			if (nlh->nlmsg_seq != nl->seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				ret = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
				goto out;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				memcpy(&ret, NLMSG_DATA(nlh), sizeof(ret));
				goto out;
			}
			if (nlh->nlmsg_type != nl->family)
				continue;
			/* Every part says it is one of many. */
			if (!(nlh->nlmsg_flags & NLM_F_MULTI)) {
				ret = -EBADMSG;
				goto out;
			}
			/* A dump that may be inconsistent says so. */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
				ret = -EAGAIN;
				goto out;
			}
			kipc_nl_parse(nlh, &m);
			if (!m.has[KIPC_A_OBJ_ID]) {
				ret = -EBADMSG;
				goto out;
			}
			if (r->n == r->cap) {
				uint64_t *ids;

				r->cap = r->cap ? 2 * r->cap : 1024;
				ids = realloc(r->ids, r->cap * sizeof(*ids));
				if (!ids) {
					ret = -ENOMEM;
					goto out;
				}
				r->ids = ids;
			}
			r->ids[r->n++] = m.val[KIPC_A_OBJ_ID];
			multi = true;
		}
		if (multi)
			r->parts++;
		if (pause_us)
			usleep(pause_us);
	}
out:
	free(buf);
	return ret;
}

/* Is @id among the @n sorted @ids, and where? */
static int find_id(const uint64_t *ids, int n, uint64_t id)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (ids[mid] == id)
			return mid;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Create @n semaphores called NAME.s<i>, ids into @ids (ascending). */
static int make_sems(const char *base, int first, int n, uint64_t *ids)
{
	union kipc_attr a = kipc_attr_of(KIPC_OBJ_SEM);
	char nm[KIPC_NAME_MAX + 16];
	int i, fd;

	for (i = 0; i < n; i++) {
		snprintf(nm, sizeof(nm), "%s.s%d", base, first + i);
		fd = kipc_open(KIPC_OBJ_SEM, nm, KIPC_NEW, 0600, &a, &ids[i]);
		if (fd < 0)
			return fd;
		close(fd);
	}
	return 0;
}

static int unlink_sems(const char *base, int first, int n)
{
	char nm[KIPC_NAME_MAX + 16];
	int i, ret = 0;

	for (i = 0; i < n; i++) {
		snprintf(nm, sizeof(nm), "%s.s%d", base, first + i);
		ret = kipc_unlink(KIPC_OBJ_SEM, nm) ?: ret;
	}
	return ret;
}

static int count_cb(const struct kipc_admin_obj *obj, void *arg)
{
	uint64_t *last = arg;

	/* In id order, hence never the same one twice. */
	if (obj->id <= *last)
		return -EBADMSG;
	*last = obj->id;
	return 0;
}

/*
 * The two tests of 10,000 objects take a few seconds alone in a guest, but
 * several times longer on a host busy with other guests: their limit is
 * 120 s rather than the harness's 30, as a hang limit, not a timing.
 */

/* 10,000 objects: each exactly once, in order, in many parts. */
TEST_F_TIMEOUT(nld, dump_10000, 120)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		uint64_t *ids = calloc(N_OBJS, sizeof(*ids));
		struct dump_res r = { 0 };
		struct kipc_admin *ka;
		struct kipc_nl nl;
		uint64_t last = 0;
		double t0;
		int i;

		ASSERT_NE(NULL, ids);
		t0 = now_s();
		ASSERT_EQ(0, make_sems(self->name, 0, N_OBJS, ids));
		TH_LOG("created %d objects in %.2f s", N_OBJS, now_s() - t0);

		test_nl_open(&nl);
		t0 = now_s();
		ASSERT_EQ(0, dump_ids(&nl, &r, 0));
		TH_LOG("dumped them in %d parts in %.2f s", r.parts,
		       now_s() - t0);
		ASSERT_EQ(N_OBJS, r.n);
		ASSERT_LT(1, r.parts);
		/* Exactly the ids created, in order: each once. */
		for (i = 0; i < N_OBJS; i++)
			ASSERT_EQ(ids[i], r.ids[i]);

		/* The library's walk, likewise. */
		ASSERT_EQ(0, kipc_admin_open(&ka));
		ASSERT_EQ(N_OBJS, kipc_admin_list(ka, count_cb, &last));
		ASSERT_EQ(ids[N_OBJS - 1], last);
		/* The type filter skips all of them, across the parts. */
		last = 0;
		ASSERT_EQ(0, kipc_admin_list_type(ka, KIPC_OBJ_MQ, count_cb,
						  &last));
		kipc_admin_close(ka);

		ASSERT_EQ(0, unlink_sems(self->name, 0, N_OBJS));
		ASSERT_EQ(0, dump_ids(&nl, &r, 0));
		ASSERT_EQ(0, r.n);
		close(nl.fd);
		free(r.ids);
		free(ids);
		_exit(0);
	}
	test_wait_child(pid);
}

/*
 * 10,000 objects live throughout the dump; 2,000 others interleaved with
 * them in id order are destroyed during it, and new ones created, by another
 * process. Every lasting object is seen exactly once, no id twice.
 */
TEST_F_TIMEOUT(nld, dump_10000_while_changing, 120)
{
	pid_t pid = test_fork_newipc();

	if (pid == 0) {
		enum { N_VICTIMS = 2000, STRIDE = N_OBJS / N_VICTIMS };
		uint64_t *stable = calloc(N_OBJS, sizeof(*stable));
		uint64_t *victims = calloc(N_VICTIMS, sizeof(*victims));
		volatile int *shared;
		struct dump_res r = { 0 };
		int i, v, seen_victims = 0, seen_new = 0, before, after;
		struct kipc_nl nl;
		pid_t churner;
		double t0;

		ASSERT_NE(NULL, stable);
		ASSERT_NE(NULL, victims);
		shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, shared);
		/* stable and victims interleaved in id order: s..s v s..s v */
		t0 = now_s();
		for (i = 0, v = 0; i < N_OBJS; i += STRIDE, v++) {
			ASSERT_EQ(0, make_sems(self->name, i, STRIDE,
					       &stable[i]));
			ASSERT_EQ(0, make_sems(self->name, N_OBJS + v, 1,
					       &victims[v]));
		}
		TH_LOG("created %d objects in %.2f s", N_OBJS + N_VICTIMS,
		       now_s() - t0);

		churner = fork();
		ASSERT_LE(0, churner);
		if (churner == 0) {
			union kipc_attr a = kipc_attr_of(KIPC_OBJ_MQ);
			char nm[KIPC_NAME_MAX + 16];
			int k = 0;

			/*
			 * Destroy the victims from the highest id down, so
			 * some go before the dump gets to them and some after;
			 * and create and destroy queues at the end of the id
			 * space. Until the parent says stop.
			 */
			while (!shared[1]) {
				int fd;

				if (k < N_VICTIMS)
					ASSERT_EQ(0, unlink_sems(self->name,
						N_OBJS + N_VICTIMS - 1 - k, 1));
				snprintf(nm, sizeof(nm), "%s.q%d", self->name,
					 k);
				fd = kipc_open(KIPC_OBJ_MQ, nm, KIPC_NEW,
					       0600, &a, NULL);
				ASSERT_LE(0, fd);
				close(fd);
				/* Keep every other one until the end. */
				if (k % 2)
					ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_MQ,
								 nm));
				shared[0] = ++k;
			}
			/* Clean up what remains of ours. */
			for (i = 0; i < k; i += 2) {
				snprintf(nm, sizeof(nm), "%s.q%d", self->name,
					 i);
				ASSERT_EQ(0, kipc_unlink(KIPC_OBJ_MQ, nm));
			}
			if (k < N_VICTIMS)
				ASSERT_EQ(0, unlink_sems(self->name, N_OBJS,
							 N_VICTIMS - k));
			_exit(0);
		}
		/* Let it get going. */
		while (shared[0] < 10)
			usleep(1000);

		test_nl_open(&nl);
		before = shared[0];
		t0 = now_s();
		ASSERT_EQ(0, dump_ids(&nl, &r, 1000));
		after = shared[0];
		TH_LOG("dump of %d in %d parts in %.2f s, %d changes during it",
		       r.n, r.parts, now_s() - t0, after - before);
		shared[1] = 1;
		test_wait_child(churner);

		/* The other process did change the set during the dump. */
		ASSERT_LT(before, after);
		ASSERT_LT(1, r.parts);
		/* Strictly increasing ids: none twice. */
		for (i = 1; i < r.n; i++) {
			uint64_t prev = r.ids[i - 1], id = r.ids[i];

			ASSERT_LT(prev, id)
				TH_LOG("id %llu at %d after %llu",
				       (unsigned long long)id, i,
				       (unsigned long long)prev);
		}
		/* Every lasting object is there. */
		for (i = 0; i < N_OBJS; i++) {
			uint64_t want = stable[i];

			ASSERT_LE(0, find_id(r.ids, r.n, want))
				TH_LOG("stable object %llu missing",
				       (unsigned long long)want);
		}
		/* The rest are victims or new queues, nothing else. */
		for (i = 0; i < r.n; i++) {
			uint64_t id = r.ids[i];

			if (find_id(victims, N_VICTIMS, id) >= 0)
				seen_victims++;
			else if (find_id(stable, N_OBJS, id) < 0)
				seen_new++;
		}
		ASSERT_EQ(r.n, N_OBJS + seen_victims + seen_new);
		TH_LOG("saw %d of %d victims and %d new objects", seen_victims,
		       N_VICTIMS, seen_new);

		ASSERT_EQ(0, unlink_sems(self->name, 0, N_OBJS));
		ASSERT_EQ(0, dump_ids(&nl, &r, 0));
		ASSERT_EQ(0, r.n);
		close(nl.fd);
		munmap((void *)shared, 4096);
		free(r.ids);
		free(stable);
		free(victims);
		_exit(0);
	}
	test_wait_child(pid);
}

#define IDS_OBJS	300

/* The u32 attribute @type of a family message, or ~0U if absent. */
static __u32 nl_attr_u32(const struct nlmsghdr *nlh, int type)
{
	const struct nlattr *nla;
	int len;

	nla = (const void *)((const char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (; len >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN &&
	       nla->nla_len <= len;
	     len -= NLA_ALIGN(nla->nla_len),
	     nla = (const void *)((const char *)nla + NLA_ALIGN(nla->nla_len)))
		if ((nla->nla_type & NLA_TYPE_MASK) == type &&
		    nla->nla_len == NLA_HDRLEN + 4)
			return *(const __u32 *)((const char *)nla + NLA_HDRLEN);
	return ~0U;
}

/*
 * A dump is filled part by part as its socket is read, by whoever reads
 * it; its ids must be those of the process that asked for it. A process in
 * a new user namespace (uid and gid 0 inside, KIPC_UID1 and KIPC_GID1
 * outside), pid namespace (pid 1) and IPC namespace makes 300 semaphores,
 * posts each, starts a dump and passes the socket to the test, which reads
 * it from the initial namespaces: every object, in every part, shows uid,
 * gid, cuid and cgid 0 and cpid and lpid 1.
 */
TEST_F(nld, dump_ids_of_requester)
{
	int sv[2], sk, ret = 0, count = 0, parts = 0;
	pid_t pid;
	struct kipc_nl gnl;
	char *buf;
	bool done = false;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = test_fork_as(KIPC_UID1, KIPC_GID1, KIPC_NO_GROUP);
	if (pid == 0) {
		pid_t g;

		close(sv[0]);
		/* setuid() made it undumpable: its /proc files are root's. */
		ASSERT_EQ(0, prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
		if (unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWIPC)) {
			ret = -errno;
			ASSERT_EQ((ssize_t)sizeof(ret),
				  write(sv[1], &ret, sizeof(ret)));
			_exit(0);
		}
		ASSERT_EQ(0, kipc_userns_map(0, KIPC_UID1, 0, KIPC_GID1));
		ASSERT_EQ((ssize_t)sizeof(ret), write(sv[1], &ret, sizeof(ret)));
		g = fork();
		ASSERT_LE(0, g);
		if (g == 0) {
			union kipc_attr a = kipc_attr_of(KIPC_OBJ_SEM);
			char nm[KIPC_NAME_MAX + 16];
			struct kipc_nl nl;
			struct kipc_nl_req req;
			int i, fd;

			ASSERT_EQ(1, getpid());
			for (i = 0; i < IDS_OBJS; i++) {
				snprintf(nm, sizeof(nm), "%s.s%d", self->name,
					 i);
				fd = kipc_open(KIPC_OBJ_SEM, nm, KIPC_NEW, 0600,
					       &a, NULL);
				ASSERT_LE(0, fd);
				ASSERT_EQ(0, kipc_sem_post(fd, 1));
				close(fd);
			}
			test_nl_open(&nl);
			kipc_nl_req_init(&nl, &req, nl.family, NLM_F_DUMP,
					 KIPC_CMD_OBJ_GET, KIPC_GENL_VERSION);
			ASSERT_EQ(0, kipc_nl_send(&nl, &req));
			/* The first part is filled now, the rest when read. */
			ASSERT_EQ(0, kipc_send_fd(sv[1], nl.fd));
			ASSERT_EQ((ssize_t)sizeof(nl),
				  write(sv[1], &nl, sizeof(nl)));
			_exit(0);
		}
		test_wait_child(g);
		_exit(0);
	}
	close(sv[1]);
	ASSERT_EQ((ssize_t)sizeof(ret), read(sv[0], &ret, sizeof(ret)));
	if (ret) {
		test_wait_child(pid);
		SKIP(return, "cannot make a user, pid and IPC namespace: %s",
		     strerror(-ret));
	}
	sk = kipc_recv_fd(sv[0]);
	ASSERT_LE(0, sk);
	ASSERT_EQ((ssize_t)sizeof(gnl), read(sv[0], &gnl, sizeof(gnl)));
	test_wait_child(pid);
	gnl.fd = sk;

	buf = malloc(KIPC_NL_BUF);
	ASSERT_NE(NULL, buf);
	while (!done) {
		struct nlmsghdr *nlh;
		struct kipc_nl_msg m;
		ssize_t n;

		n = recv(sk, buf, KIPC_NL_BUF, 0);
		ASSERT_LT(0, n);
		parts++;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			ASSERT_EQ(gnl.seq, nlh->nlmsg_seq);
			if (nlh->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			ASSERT_EQ(gnl.family, nlh->nlmsg_type);
			kipc_nl_parse(nlh, &m);
			ASSERT_TRUE(m.has[KIPC_A_OBJ_UID]);
			ASSERT_EQ(0U, m.val[KIPC_A_OBJ_UID])
				TH_LOG("object %d, part %d", count, parts);
			ASSERT_EQ(0U, m.val[KIPC_A_OBJ_GID]);
			ASSERT_EQ(0U, m.val[KIPC_A_OBJ_CUID]);
			ASSERT_EQ(0U, m.val[KIPC_A_OBJ_CGID]);
			ASSERT_EQ(1U, m.val[KIPC_A_OBJ_CPID])
				TH_LOG("object %d, part %d", count, parts);
			ASSERT_EQ(1U, nl_attr_u32(nlh, KIPC_A_OBJ_SEM_LPID));
			count++;
		}
	}
	free(buf);
	TH_LOG("%d objects in %d parts", count, parts);
	ASSERT_EQ(IDS_OBJS, count);
	ASSERT_LE(3, parts);
	close(sk);
	close(sv[0]);
}

TEST_HARNESS_MAIN
