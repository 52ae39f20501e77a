// SPDX-License-Identifier: GPL-2.0-only
/*
 * No output byte of kipc may carry stale data: every struct is pre-filled
 * with 0xAA before the call, the inputs are set, and afterwards
 *
 *  - every out field has been written: the same call through a struct
 *    filled with 0x55 instead gives the very same bytes (one left alone
 *    would read 0xAA in one and 0x55 in the other),
 *  - every byte that is no documented field (a __reserved field the
 *    kernel sets, the unused tail of a union or of a name) is 0,
 *  - nothing past the @size the caller declared has been touched,
 *
 * on the success paths and on the failure paths that still write the
 * struct back (EMSGSIZE, SENDRECV's failures). The netlink replies are
 * checked the same way: attribute padding and the reserved field of the
 * genetlink header must be 0.
 *
 * (The layout itself, no implicit hole or padding in any uapi struct, is
 * checked on the host with pahole: scripts/uapi-holes.sh.)
 */
#include "kipc_test.h"

#define AA	0xaa
#define FIVES	0x55
/* What follows the struct, to catch a write past @size. */
#define TAIL	64

struct leakbuf {
	union kipc_ucmd_any {
		struct kipc_version version;
		struct kipc_open open;
		struct kipc_info info;
		struct kipc_mq_recv mq_recv;
		struct kipc_mq_peek mq_peek;
		struct kipc_mq_getattr mq_getattr;
		struct kipc_mq_sendv mq_sendv;
		struct kipc_mq_sendrecv mq_sendrecv;
		struct kipc_shm_seal shm_seal;
		struct kipc_shm_stat shm_stat;
		struct kipc_sem_wait sem_wait;
		struct kipc_sem_get sem_get;
	} u;
	unsigned char tail[TAIL];
};

static void leak_fill(struct leakbuf *b, __u32 size, int fill)
{
	memset(b, fill, sizeof(*b));
	memcpy(&b->u, &size, sizeof(size));
	/* flags: every struct here takes 0 unless the test says otherwise */
	memset((char *)&b->u + 4, 0, 4);
}

static void leak_prefill(struct leakbuf *b, __u32 size)
{
	leak_fill(b, size, AA);
}

static bool leak_all_aa(const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i] != AA)
			return false;
	return true;
}

/* The first byte in [p, p + len) that is not 0, or -1. */
static long leak_nonzero(const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i])
			return i;
	return -1;
}

/*
 * The out field was written whole: the call through the 0xAA-filled @_s
 * and through the 0x55-filled @_s2 gave the same bytes.
 */
#define EXPECT_WRITTEN(_s, _s2, _field)					\
	do {								\
		EXPECT_EQ(0, memcmp(&(_s)._field, &(_s2)._field,	\
				    sizeof((_s)._field)))		\
			TH_LOG(#_field " was not written whole");	\
	} while (0)
/* A byte range that is no documented field reads 0. */
#define EXPECT_ZERO(_p, _len)						\
	do {								\
		EXPECT_EQ(-1, leak_nonzero(_p, _len))			\
			TH_LOG("non-zero byte at +%ld of " #_p,		\
			       leak_nonzero(_p, _len));			\
	} while (0)
/* Nothing beyond the struct the caller declared. */
#define EXPECT_TAIL(_b, _size)						\
	do {								\
		EXPECT_TRUE(leak_all_aa((char *)&(_b)->u + (_size),	\
					TAIL))				\
			TH_LOG("the kernel wrote past size");		\
	} while (0)

FIXTURE(leak) {
	int fd;
	char name[64];
};

FIXTURE_SETUP(leak)
{
	self->fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	snprintf(self->name, sizeof(self->name), "leak.%d", (int)getpid());
}

FIXTURE_TEARDOWN(leak)
{
	__u32 type;

	for (type = KIPC_OBJ_MQ; type <= KIPC_OBJ_SEM; type++)
		_test_cmd_unlink(self->fd, type, self->name);
	close(self->fd);
}

/* Create @type with the default attributes through a 0xAA-filled struct. */
static int leak_create(struct __test_metadata *_metadata, int fd,
		       const char *name, __u32 type)
{
	struct leakbuf b;
	union kipc_attr attr = kipc_attr_of(type);
	struct kipc_info info;
	int ofd;

	leak_prefill(&b, sizeof(b.u.open));
	b.u.open.flags = KIPC_NEW | KIPC_OPEN_CLOEXEC;
	b.u.open.type = type;
	b.u.open.mode = 0600;
	b.u.open.name = (uintptr_t)name;
	b.u.open.attr = attr;
	b.u.open.__reserved = 0;
	ofd = ioctl(fd, KIPC_IOC_OPEN, &b.u.open);
	if (ofd < 0)
		return -1;
	/* Every byte of the id: it is the one INFO gives. */
	EXPECT_EQ(0, _test_cmd_info(ofd, &info));
	EXPECT_EQ(info.out_id, b.u.open.out_id);
	EXPECT_EQ(KIPC_OPEN_OUT_CREATED, b.u.open.out_flags);
	EXPECT_TAIL(&b, sizeof(b.u.open));
	return ofd;
}

TEST_F(leak, version)
{
	struct leakbuf b, b2;
	__u32 shorter = offsetof(struct kipc_version, out_shm_max_size);

	leak_prefill(&b, sizeof(b.u.version));
	ASSERT_EQ(0, ioctl(self->fd, KIPC_IOC_VERSION, &b.u.version));
	leak_fill(&b2, sizeof(b2.u.version), FIVES);
	ASSERT_EQ(0, ioctl(self->fd, KIPC_IOC_VERSION, &b2.u.version));
	EXPECT_EQ((__u32)KIPC_ABI_VERSION, b.u.version.out_abi_version);
	EXPECT_EQ((__u32)KIPC_NAME_MAX, b.u.version.out_name_max);
	EXPECT_WRITTEN(b.u.version, b2.u.version, out_features);
	EXPECT_WRITTEN(b.u.version, b2.u.version, out_mq_max_msgs);
	EXPECT_WRITTEN(b.u.version, b2.u.version, out_mq_max_msgsize);
	EXPECT_WRITTEN(b.u.version, b2.u.version, out_shm_max_size);
	EXPECT_TAIL(&b, sizeof(b.u.version));

	/*
	 * A caller that knows a shorter struct (without its last field) is
	 * below the minimum size: EINVAL, and not a byte written past the
	 * size and flags it gave.
	 */
	leak_prefill(&b, shorter);
	ASSERT_EQ(-1, ioctl(self->fd, KIPC_IOC_VERSION, &b.u.version));
	ASSERT_EQ(EINVAL, errno);
	EXPECT_TRUE(leak_all_aa((char *)&b.u + 8, sizeof(b) - 8))
		TH_LOG("a failed VERSION wrote to the struct");
}

/* INFO of each type: the union's unused tail and the name's tail are 0. */
TEST_F(leak, info)
{
	static const size_t used[] = {
		[KIPC_OBJ_MQ] = sizeof(struct kipc_mq_attr),
		[KIPC_OBJ_SHM] = offsetofend(struct kipc_shm_attr, flags),
		[KIPC_OBJ_SEM] = offsetofend(struct kipc_sem_attr, value),
	};
	struct leakbuf b, b2;
	size_t i, len = strlen(self->name);

	for (i = 0; i < KIPC_NR_TYPES; i++) {
		__u32 type = kipc_types[i];
		int ofd = leak_create(_metadata, self->fd, self->name, type);

		ASSERT_LE(0, ofd);
		leak_prefill(&b, sizeof(b.u.info));
		ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_INFO, &b.u.info));
		leak_fill(&b2, sizeof(b2.u.info), FIVES);
		ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_INFO, &b2.u.info));
		EXPECT_WRITTEN(b.u.info, b2.u.info, out_id);
		EXPECT_EQ(type, b.u.info.out_type);
		EXPECT_EQ(0600U, b.u.info.out_mode);
		EXPECT_EQ(0U, b.u.info.out_uid);
		EXPECT_EQ(0U, b.u.info.out_gid);
		EXPECT_EQ(0U, b.u.info.out_cuid);
		EXPECT_EQ(0U, b.u.info.out_cgid);
		EXPECT_EQ(0U, b.u.info.out_state);
		EXPECT_EQ(KIPC_RW, b.u.info.out_open_flags);
		EXPECT_EQ(0, memcmp(&b.u.info.out_attr, &b2.u.info.out_attr,
				    used[type]))
			TH_LOG("out_attr was not written whole");
		EXPECT_ZERO((char *)&b.u.info.out_attr + used[type],
			    sizeof(b.u.info.out_attr) - used[type]);
		EXPECT_EQ(0, memcmp(b.u.info.out_name, self->name, len + 1));
		EXPECT_ZERO(b.u.info.out_name + len,
			    sizeof(b.u.info.out_name) - len);
		EXPECT_TAIL(&b, sizeof(b.u.info));
		ASSERT_EQ(0, _test_cmd_unlink(self->fd, type, self->name));
		/* Unlinked: the state says so, the rest is as it was. */
		leak_prefill(&b, sizeof(b.u.info));
		ASSERT_EQ(0, ioctl(ofd, KIPC_IOC_INFO, &b.u.info));
		EXPECT_EQ(KIPC_STATE_UNLINKED, b.u.info.out_state);
		EXPECT_ZERO(b.u.info.out_name + len,
			    sizeof(b.u.info.out_name) - len);
		close(ofd);
	}
}

TEST_F(leak, mq)
{
	struct kipc_mq_vec vec[4];
	char msg[64], buf[96];
	struct leakbuf b;
	int q, q2, i;

	q = leak_create(_metadata, self->fd, self->name, KIPC_OBJ_MQ);
	ASSERT_LE(0, q);
	memset(msg, 'm', sizeof(msg));
	test_ioctl_mq_send(q, msg, 10, 3);
	test_ioctl_mq_send(q, msg, 20, 1);

	/* getattr: its __reserved is the kernel's to zero. */
	leak_prefill(&b, sizeof(b.u.mq_getattr));
	ASSERT_EQ(0, ioctl(q, KIPC_IOC_MQ_GETATTR, &b.u.mq_getattr));
	EXPECT_EQ(4U, b.u.mq_getattr.out_max_msgs);
	EXPECT_EQ(64U, b.u.mq_getattr.out_max_msgsize);
	EXPECT_EQ(2U, b.u.mq_getattr.out_depth);
	EXPECT_EQ(0U, b.u.mq_getattr.__reserved);
	EXPECT_EQ(30ULL, b.u.mq_getattr.out_bytes);
	EXPECT_TAIL(&b, sizeof(b.u.mq_getattr));

	/* peek, too small a buffer (EMSGSIZE), then fitting */
	for (i = 0; i < 2; i++) {
		leak_prefill(&b, sizeof(b.u.mq_peek));
		b.u.mq_peek.buf = (uintptr_t)buf;
		b.u.mq_peek.len = i ? sizeof(buf) : 5;
		b.u.mq_peek.index = 1;
		if (i) {
			ASSERT_EQ(20, ioctl(q, KIPC_IOC_MQ_PEEK,
					    &b.u.mq_peek));
		} else {
			EXPECT_ERRNO(EMSGSIZE, ioctl(q, KIPC_IOC_MQ_PEEK,
						     &b.u.mq_peek));
		}
		EXPECT_EQ(20U, b.u.mq_peek.out_len);
		EXPECT_EQ(1U, b.u.mq_peek.out_prio);
		EXPECT_TAIL(&b, sizeof(b.u.mq_peek));
	}

	/* recv, too small a buffer: out_prio is documented as 0 */
	leak_prefill(&b, sizeof(b.u.mq_recv));
	b.u.mq_recv.buf = (uintptr_t)buf;
	b.u.mq_recv.len = 5;
	b.u.mq_recv.clockid = 0;
	b.u.mq_recv.deadline = 0;
	EXPECT_ERRNO(EMSGSIZE, ioctl(q, KIPC_IOC_MQ_RECV, &b.u.mq_recv));
	EXPECT_EQ(10U, b.u.mq_recv.out_len);
	EXPECT_EQ(0U, b.u.mq_recv.out_prio);
	EXPECT_TAIL(&b, sizeof(b.u.mq_recv));
	b.u.mq_recv.len = sizeof(buf);
	b.u.mq_recv.out_len = 0xaaaaaaaa;
	b.u.mq_recv.out_prio = 0xaaaaaaaa;
	ASSERT_EQ(10, ioctl(q, KIPC_IOC_MQ_RECV, &b.u.mq_recv));
	EXPECT_EQ(10U, b.u.mq_recv.out_len);
	EXPECT_EQ(3U, b.u.mq_recv.out_prio);

	/* recvv: the entries that moved get len and prio, no others */
	memset(vec, AA, sizeof(vec));
	for (i = 0; i < 4; i++) {
		vec[i].buf = (uintptr_t)buf;
		vec[i].len = sizeof(buf);
	}
	leak_prefill(&b, sizeof(b.u.mq_sendv));
	b.u.mq_sendv.vec = (uintptr_t)vec;
	b.u.mq_sendv.count = 4;
	b.u.mq_sendv.flags = KIPC_WAIT_NONBLOCK;
	b.u.mq_sendv.clockid = 0;
	b.u.mq_sendv.deadline = 0;
	b.u.mq_sendv.__reserved = 0;
	/* An input field: not 0 without KIPC_RECV_CREDS is EINVAL. */
	b.u.mq_sendv.creds = 0;
	ASSERT_EQ(1, ioctl(q, KIPC_IOC_MQ_RECVV, &b.u.mq_sendv));
	EXPECT_EQ(1U, b.u.mq_sendv.out_count);
	EXPECT_EQ(0U, b.u.mq_sendv.__reserved);
	EXPECT_EQ(20U, vec[0].len);
	EXPECT_EQ(1U, vec[0].prio);
	for (i = 1; i < 4; i++) {
		EXPECT_EQ((__u32)sizeof(buf), vec[i].len);
		EXPECT_EQ(0xaaaaaaaaU, vec[i].prio);
	}
	EXPECT_TAIL(&b, sizeof(b.u.mq_sendv));

	/* sendrecv, failing after the send (EAGAIN), then succeeding */
	snprintf(buf, sizeof(buf), "%s.r", self->name);
	q2 = leak_create(_metadata, self->fd, buf, KIPC_OBJ_MQ);
	ASSERT_LE(0, q2);
	ASSERT_EQ(0, _test_cmd_unlink(self->fd, KIPC_OBJ_MQ, buf));
	for (i = 0; i < 2; i++) {
		leak_prefill(&b, sizeof(b.u.mq_sendrecv));
		b.u.mq_sendrecv.flags = KIPC_WAIT_NONBLOCK;
		b.u.mq_sendrecv.recv_fd = i ? q : q2;
		b.u.mq_sendrecv.send_prio = 2;
		b.u.mq_sendrecv.send_buf = (uintptr_t)msg;
		b.u.mq_sendrecv.send_len = 7;
		b.u.mq_sendrecv.recv_len = sizeof(buf);
		b.u.mq_sendrecv.recv_buf = (uintptr_t)buf;
		b.u.mq_sendrecv.clockid = 0;
		b.u.mq_sendrecv.__reserved = 0;
		b.u.mq_sendrecv.deadline = 0;
		b.u.mq_sendrecv.__reserved2 = 0;
		if (i) {
			ASSERT_EQ(7, ioctl(q, KIPC_IOC_MQ_SENDRECV,
					   &b.u.mq_sendrecv));
			EXPECT_EQ(7U, b.u.mq_sendrecv.out_len);
			EXPECT_EQ(2U, b.u.mq_sendrecv.out_prio);
		} else {
			EXPECT_ERRNO(EAGAIN, ioctl(q, KIPC_IOC_MQ_SENDRECV,
						   &b.u.mq_sendrecv));
			EXPECT_EQ(0U, b.u.mq_sendrecv.out_len);
			EXPECT_EQ(0U, b.u.mq_sendrecv.out_prio);
		}
		EXPECT_EQ(KIPC_SENDRECV_SENT, b.u.mq_sendrecv.out_flags);
		EXPECT_EQ(0U, b.u.mq_sendrecv.__reserved2);
		EXPECT_TAIL(&b, sizeof(b.u.mq_sendrecv));
	}
	close(q2);
	close(q);
}

TEST_F(leak, shm)
{
	struct leakbuf b;
	int s;

	s = leak_create(_metadata, self->fd, self->name, KIPC_OBJ_SHM);
	ASSERT_LE(0, s);

	leak_prefill(&b, sizeof(b.u.shm_seal));
	b.u.shm_seal.seals = KIPC_SEAL_GROW;
	ASSERT_EQ(0, ioctl(s, KIPC_IOC_SHM_SEAL, &b.u.shm_seal));
	EXPECT_EQ((__u32)KIPC_SEAL_GROW, b.u.shm_seal.out_seals);
	EXPECT_TAIL(&b, sizeof(b.u.shm_seal));

	leak_prefill(&b, sizeof(b.u.shm_stat));
	ASSERT_EQ(0, ioctl(s, KIPC_IOC_SHM_STAT, &b.u.shm_stat));
	EXPECT_EQ(4096ULL, b.u.shm_stat.out_size);
	EXPECT_EQ(0U, b.u.shm_stat.out_nattch);
	EXPECT_EQ((__u32)KIPC_SEAL_GROW, b.u.shm_stat.out_seals);
	EXPECT_EQ(0ULL, b.u.shm_stat.out_resident);
	EXPECT_EQ(0ULL, b.u.shm_stat.out_swapped);
	EXPECT_EQ(0ULL, b.u.shm_stat.out_atime);
	EXPECT_EQ(0ULL, b.u.shm_stat.out_dtime);
	EXPECT_EQ(0U, b.u.shm_stat.out_lpid);
	EXPECT_EQ(0U, b.u.shm_stat.out_state);
	EXPECT_TAIL(&b, sizeof(b.u.shm_stat));
	close(s);
}

TEST_F(leak, sem)
{
	struct leakbuf b;
	int s;

	s = leak_create(_metadata, self->fd, self->name, KIPC_OBJ_SEM);
	ASSERT_LE(0, s);

	leak_prefill(&b, sizeof(b.u.sem_wait));
	b.u.sem_wait.flags = KIPC_WAIT_NONBLOCK | KIPC_SEM_UNDO;
	b.u.sem_wait.count = 1;
	b.u.sem_wait.clockid = 0;
	b.u.sem_wait.deadline = 0;
	b.u.sem_wait.__reserved = 0;
	ASSERT_EQ(0, ioctl(s, KIPC_IOC_SEM_WAIT, &b.u.sem_wait));
	EXPECT_EQ(0U, b.u.sem_wait.out_flags);
	EXPECT_EQ(0U, b.u.sem_wait.__reserved);
	EXPECT_TAIL(&b, sizeof(b.u.sem_wait));

	leak_prefill(&b, sizeof(b.u.sem_get));
	ASSERT_EQ(0, ioctl(s, KIPC_IOC_SEM_GET, &b.u.sem_get));
	EXPECT_EQ(0U, b.u.sem_get.out_value);
	EXPECT_EQ(0U, b.u.sem_get.out_waiters);
	EXPECT_EQ(1ULL, b.u.sem_get.out_undo);
	EXPECT_TAIL(&b, sizeof(b.u.sem_get));
	close(s);
}

/*
 * Walk every attribute of every message in @buf: the bytes between an
 * attribute's end and its aligned end are padding and must be 0, as must
 * the genetlink header's reserved field. Returns the number of attributes
 * seen, or -1 at the first non-zero byte.
 */
static int leak_nl_walk(const char *buf, ssize_t n, __u16 family,
			bool *done)
{
	const struct nlmsghdr *nlh;
	int seen = 0;

	for (nlh = (const struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
	     nlh = NLMSG_NEXT(nlh, n)) {
		const struct genlmsghdr *genl = NLMSG_DATA(nlh);
		const struct nlattr *nla;
		int len;

		if (nlh->nlmsg_type == NLMSG_DONE ||
		    nlh->nlmsg_type == NLMSG_ERROR) {
			*done = true;
			continue;
		}
		if (nlh->nlmsg_type != family)
			continue;
		if (!(nlh->nlmsg_flags & NLM_F_MULTI))
			*done = true;
		if (genl->reserved)
			return -1;
		nla = (const struct nlattr *)((const char *)genl + GENL_HDRLEN);
		len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
		while (len >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN &&
		       nla->nla_len <= len) {
			const char *end = (const char *)nla + nla->nla_len;
			int pad = NLA_ALIGN(nla->nla_len) - nla->nla_len;

			if (pad > len - nla->nla_len)
				pad = len - nla->nla_len;
			if (pad > 0 && leak_nonzero(end, pad) >= 0)
				return -1;
			seen++;
			len -= NLA_ALIGN(nla->nla_len);
			nla = (const struct nlattr *)((const char *)nla +
						      NLA_ALIGN(nla->nla_len));
		}
	}
	return seen;
}

/* Names of odd lengths leave 1..3 bytes of padding after the string. */
TEST_F(leak, netlink_padding)
{
	struct kipc_nl_req req;
	struct kipc_nl nl;
	char names[4][72];
	int fds[4], i, seen = 0, ret;
	char *buf;
	bool done;
	ssize_t n;

	test_nl_open(&nl);
	for (i = 0; i < 4; i++) {
		snprintf(names[i], sizeof(names[i]), "%s%.*s", self->name, i,
			 "xyz");
		fds[i] = leak_create(_metadata, self->fd, names[i],
				     kipc_types[i % KIPC_NR_TYPES]);
		ASSERT_LE(0, fds[i]);
	}
	buf = malloc(KIPC_NL_BUF);
	ASSERT_NE(NULL, buf);
	/* The object dump, a stats reply and the limits dump. */
	for (i = 0; i < 3; i++) {
		static const __u8 cmds[] = {
			KIPC_CMD_OBJ_GET, KIPC_CMD_STATS_GET,
			KIPC_CMD_LIMITS_GET,
		};

		kipc_nl_req_init(&nl, &req, nl.family,
				 i == 1 ? 0 : NLM_F_DUMP, cmds[i],
				 KIPC_GENL_VERSION);
		ASSERT_EQ(0, kipc_nl_send(&nl, &req));
		done = false;
		while (!done) {
			n = recv(nl.fd, buf, KIPC_NL_BUF, 0);
			ASSERT_LT(0, n);
			ret = leak_nl_walk(buf, n, nl.family, &done);
			ASSERT_LE(0, ret)
				TH_LOG("non-zero padding in a netlink reply");
			seen += ret;
		}
	}
	/* At least the attributes of our four objects went by. */
	EXPECT_LT(4 * 12, seen);
	free(buf);
	close(nl.fd);
	for (i = 0; i < 4; i++) {
		_test_cmd_unlink(self->fd, kipc_types[i % KIPC_NR_TYPES],
				 names[i]);
		close(fds[i]);
	}
}

TEST_HARNESS_MAIN
