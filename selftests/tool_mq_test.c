// SPDX-License-Identifier: GPL-2.0-only
/*
 * The queue commands of the admin tool: `kipc mq create|show|send|recv|rm|
 * destroy` do what they say to the kernel's queues, `kipc mq show -J`
 * reports what the kernel reports, and every failure exits with 1 (2 for a
 * mistake on the command line) and says "kipc: WHAT: STRERROR" on standard
 * error, with nothing on standard output.
 *
 * The tool runs as a child with its standard streams on memfds, so binary
 * input and output are compared byte for byte. A small strict parser reads
 * the JSON ({"objects": [{"name": "q", "msgs": 2, ...}]}), so malformed
 * JSON fails the test too. The kernel's own numbers come from libkipc and
 * from raw netlink (kipc_test.h), not from libkipc-admin, which the tool
 * uses.
 */
#include <time.h>

#include "kipc_tool.h"

/* `kipc mq show NAME-OR-id ID`: exactly one queue, which is returned. */
#define tmq_show(...)	tool_show("mq", __VA_ARGS__)

/* --- the kernel's side ----------------------------------------------------- */

static __u64 tmq_id(int qfd)
{
	struct kipc_info info;

	return kipc_info(qfd, &info) ? 0 : info.out_id;
}

/* Wait until @want receivers are blocked on queue @id; false on timeout. */
static bool tmq_wait_receivers(__u64 id, __u64 want)
{
	struct kipc_nl_msg msg;
	struct kipc_nl nl;
	bool ok = false;
	int i;

	if (kipc_nl_open(&nl))
		return false;
	for (i = 0; i < 1000 && !ok; i++) {
		if (kipc_nl_obj_get(&nl, id, &msg))
			break;
		ok = msg.val[KIPC_A_OBJ_MQ_WAIT_RECV] == want;
		if (!ok)
			usleep(10000);
	}
	close(nl.fd);
	return ok;
}

FIXTURE(tool_mq) {
	char name[KIPC_NAME_MAX + 1];
	struct tool_res *res;
	struct tool_json *json;
};

FIXTURE_SETUP(tool_mq)
{
	if (access(tool_path(), X_OK))
		SKIP(return, "%s is not there", tool_path());
	test_name(self->name, "q");
	self->res = calloc(1, sizeof(*self->res));
	self->json = calloc(1, sizeof(*self->json));
	ASSERT_NE(NULL, self->res);
	ASSERT_NE(NULL, self->json);
	umask(0);
}

FIXTURE_TEARDOWN(tool_mq)
{
	kipc_unlink(KIPC_OBJ_MQ, self->name);
	free(self->json);
	free(self->res);
}

/* An open fd on the queue, which must exist. */
#define tmq_open(_flags)						\
	({								\
		int __q = kipc_mq_open(self->name, (_flags) |		\
				       KIPC_OPEN_CLOEXEC, 0, 0, 0);	\
		ASSERT_LE(0, __q) TH_LOG("open: %s", strerror(-__q));	\
		__q;							\
	})

/* A new queue of @max_msgs messages of up to 64 bytes, made with libkipc. */
#define tmq_create(_max_msgs)						\
	({								\
		int __q = kipc_mq_open(self->name, KIPC_NEW |		\
				       KIPC_OPEN_CLOEXEC, 0600,		\
				       _max_msgs, 64);			\
		ASSERT_LE(0, __q) TH_LOG("create: %s", strerror(-__q));	\
		__q;							\
	})

/* create makes the queue it was asked for, and show -J says so. */
TEST_F(tool_mq, create_matches_kernel)
{
	struct kipc_mq_getattr attr;
	struct kipc_info info;
	const struct tool_obj *o;
	char id[32];
	int q;

	tool_run("mq", "create", self->name, "--max-msgs", "7",
		"--max-msgsize", "100", "--mode", "0640");
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);

	q = tmq_open(KIPC_OPEN_READ);
	ASSERT_EQ(0, kipc_info(q, &info));
	ASSERT_EQ(0, kipc_mq_getattr(q, &attr));
	EXPECT_EQ(7U, info.out_attr.mq.max_msgs);
	EXPECT_EQ(100U, info.out_attr.mq.max_msgsize);
	EXPECT_EQ(0640U, info.out_mode);
	EXPECT_EQ(0U, info.out_state);
	EXPECT_EQ(7U, attr.out_max_msgs);
	EXPECT_EQ(0U, attr.out_depth);

	o = tmq_show(self->name);
	EXPECT_EQ((long long)info.out_id, tool_num(o, "id"));
	EXPECT_STREQ("mq", tool_str(o, "type"));
	EXPECT_STREQ(self->name, tool_str(o, "name"));
	EXPECT_STREQ("rw-r-----", tool_str(o, "perms"));
	EXPECT_EQ(7, tool_num(o, "maxmsgs"));
	EXPECT_EQ(100, tool_num(o, "msgsize"));
	EXPECT_EQ(700, tool_num(o, "bytes"));
	EXPECT_EQ(0, tool_num(o, "msgs"));
	EXPECT_EQ(0, tool_num(o, "usedbytes"));
	EXPECT_EQ(0, tool_num(o, "send"));
	EXPECT_EQ(0, tool_num(o, "recv"));
	EXPECT_EQ(0, tool_num(o, "lspid"));
	/* Never sent: no time, rather than 1970. */
	EXPECT_STREQ("null", tool_str(o, "stime"));
	EXPECT_STREQ("linked", tool_str(o, "state"));

	/* By id, the same queue. */
	snprintf(id, sizeof(id), "%llu", (unsigned long long)info.out_id);
	o = tmq_show("id", id);
	EXPECT_STREQ(self->name, tool_str(o, "name"));
	close(q);
}

/* Without --excl an existing queue is left as it is; with it, EEXIST. */
TEST_F(tool_mq, create_existing_and_excl)
{
	const struct tool_obj *o;

	tool_run("mq", "create", self->name, "--max-msgs", "3", "--excl");
	tool_ok();
	tool_run("mq", "create", self->name, "--max-msgs", "9");
	tool_ok();
	o = tmq_show(self->name);
	EXPECT_EQ(3, tool_num(o, "maxmsgs"));
	EXPECT_EQ(8192, tool_num(o, "msgsize"));
	EXPECT_STREQ("rw-------", tool_str(o, "perms"));

	tool_run("mq", "create", self->name, "--excl");
	tool_fails("kipc: cannot create queue '%s': File exists\n", self->name);
}

/*
 * --creds makes a KIPC_MQ_CREDS queue, which show's FLAGS says, alone or
 * with hup; its messages carry their sender.
 */
TEST_F(tool_mq, create_creds)
{
	const struct tool_obj *o;
	struct kipc_info info;
	struct kipc_creds c;
	char buf[16];
	int r;

	tool_run("mq", "create", self->name, "--creds");
	tool_ok();
	o = tmq_show(self->name);
	EXPECT_STREQ("creds", tool_str(o, "flags"));
	r = tmq_open(KIPC_OPEN_READ);
	ASSERT_EQ(0, kipc_info(r, &info));
	EXPECT_EQ(KIPC_MQ_CREDS, info.out_attr.mq.flags);
	tool_run("mq", "send", self->name, "hi");
	tool_ok();
	memset(&c, 0, sizeof(c));
	ASSERT_EQ(2, kipc_mq_receive_creds(r, buf, sizeof(buf), NULL, &c));
	EXPECT_LT(0, c.pid);
	EXPECT_NE(getpid(), c.pid);
	EXPECT_EQ(geteuid(), c.uid);
	close(r);
	tool_run("mq", "rm", self->name);
	tool_ok();

	tool_run("mq", "create", self->name, "--creds", "--hup");
	tool_ok();
	o = tmq_show(self->name);
	EXPECT_STREQ("hup,creds", tool_str(o, "flags"));
}

/*
 * --regions makes a KIPC_MQ_REGIONS queue, which show's FLAGS says, and
 * whose messages carry regions (libkipc both ways).
 */
TEST_F(tool_mq, create_regions)
{
	union kipc_attr attr = { .shm = { .size = 4096 } };
	const struct tool_obj *o;
	struct kipc_info info;
	char buf[16];
	int q, r, got = -7;

	tool_run("mq", "create", self->name, "--regions");
	tool_ok();
	o = tmq_show(self->name);
	EXPECT_STREQ("regions", tool_str(o, "flags"));
	q = tmq_open(KIPC_OPEN_READ | KIPC_OPEN_WRITE);
	ASSERT_EQ(0, kipc_info(q, &info));
	EXPECT_EQ(KIPC_MQ_REGIONS, info.out_attr.mq.flags);
	r = kipc_open(KIPC_OBJ_SHM, NULL,
		      KIPC_OPEN_READ | KIPC_OPEN_CREATE | KIPC_OPEN_ANON, 0600,
		      &attr, NULL);
	ASSERT_LE(0, r);
	EXPECT_EQ(-EINVAL, kipc_mq_send_region(q, "hi", 2, 0, r, 1U << 31));
	EXPECT_EQ(-EPERM, kipc_mq_send_region(q, "hi", 2, 0, r,
					      KIPC_SEND_SEALED));
	EXPECT_EQ(-EINVAL, kipc_mq_send_region(q, "hi", 2, 0, q, 0));
	ASSERT_EQ(0, kipc_mq_send_region(q, "hi", 2, 0, r, 0));
	EXPECT_EQ(-EBADMSG, kipc_mq_receive(q, buf, sizeof(buf), NULL));
	ASSERT_EQ(2, kipc_mq_receive_region(q, buf, sizeof(buf), NULL, &got));
	ASSERT_LE(0, got);
	ASSERT_EQ(0, kipc_info(got, &info));
	EXPECT_EQ((__u32)KIPC_OPEN_READ, info.out_open_flags);
	close(got);
	ASSERT_EQ(0, kipc_mq_send(q, "hi", 2, 0));
	ASSERT_EQ(2, kipc_mq_receive_region(q, buf, sizeof(buf), NULL, &got));
	EXPECT_EQ(-1, got);
	close(r);
	close(q);
	tool_run("mq", "rm", self->name);
	tool_ok();

	tool_run("mq", "create", self->name, "--regions", "--creds",
		 "--overflow", "drop-oldest");
	tool_ok();
	o = tmq_show(self->name);
	EXPECT_STREQ("creds,drop,regions", tool_str(o, "flags"));
}

/*
 * --hup makes a KIPC_MQ_HUP queue, which show's FLAGS says; its receivers
 * get end-of-file once every sender is gone, its senders EPIPE once every
 * receiver is.
 */
TEST_F(tool_mq, create_hup)
{
	const struct tool_obj *o;
	struct kipc_info info;
	int r, w;

	tool_run("mq", "create", self->name, "--hup", "--max-msgs", "2");
	tool_ok();
	o = tmq_show(self->name);
	EXPECT_STREQ("hup", tool_str(o, "flags"));
	EXPECT_EQ(2, tool_num(o, "maxmsgs"));

	r = tmq_open(KIPC_OPEN_READ);
	ASSERT_EQ(0, kipc_info(r, &info));
	EXPECT_EQ(KIPC_MQ_HUP, info.out_attr.mq.flags);
	w = tmq_open(KIPC_OPEN_WRITE);
	/* A sender is open: an empty queue is only empty. */
	tool_run("mq", "send", self->name, "one");
	tool_ok();
	tool_run("mq", "recv", self->name, "--nonblock");
	tool_ok();
	EXPECT_STREQ("one\n", self->res->out);
	close(w);
	/* What is queued is received first, then end-of-file. */
	tool_run("mq", "send", self->name, "two");
	tool_ok();
	tool_run("mq", "recv", self->name);
	tool_ok();
	EXPECT_STREQ("two\n", self->res->out);
	tool_run("mq", "recv", self->name, "-t", "5s");
	tool_fails("kipc: cannot receive from queue '%s': end of file: every sender is gone (hang-up)\n",
		   self->name);
	close(r);
	tool_run("mq", "send", self->name, "three");
	tool_fails("kipc: cannot send to queue '%s': every receiver is gone (hang-up)\n",
		   self->name);

	/* Without it, none. */
	kipc_unlink(KIPC_OBJ_MQ, self->name);
	tool_run("mq", "create", self->name);
	tool_ok();
	o = tmq_show(self->name);
	EXPECT_STREQ("-", tool_str(o, "flags"));
}

/*
 * --overflow fail and drop-oldest make KIPC_MQ_FULL_FAIL and _DROP queues,
 * which show's FLAGS says; show's DROPS counts what a dropping queue
 * dropped. block is the default; anything else is a usage error.
 */
TEST_F(tool_mq, create_overflow)
{
	const struct tool_obj *o;
	struct kipc_info info;
	char buf[8];
	int q;

	tool_run("mq", "create", self->name, "--overflow", "fail",
		 "--max-msgs", "1");
	tool_ok();
	o = tmq_show(self->name);
	EXPECT_STREQ("fail", tool_str(o, "flags"));
	EXPECT_EQ(0, tool_num(o, "drops"));
	q = tmq_open(KIPC_OPEN_READ);
	ASSERT_EQ(0, kipc_info(q, &info));
	EXPECT_EQ(KIPC_MQ_FULL_FAIL, info.out_attr.mq.flags);
	close(q);
	tool_run("mq", "send", self->name, "one");
	tool_ok();
	/* Full: fails at once, without --nonblock, despite the timeout. */
	tool_run("mq", "send", self->name, "two", "-t", "60s");
	tool_fails("kipc: cannot send to queue '%s': Resource temporarily unavailable\n",
		   self->name);
	kipc_unlink(KIPC_OBJ_MQ, self->name);

	tool_run("mq", "create", self->name, "--hup", "--overflow",
		 "drop-oldest", "--max-msgs", "2");
	tool_ok();
	o = tmq_show(self->name);
	EXPECT_STREQ("hup,drop", tool_str(o, "flags"));
	q = tmq_open(KIPC_OPEN_READ);
	ASSERT_EQ(0, kipc_info(q, &info));
	EXPECT_EQ(KIPC_MQ_HUP | KIPC_MQ_FULL_DROP, info.out_attr.mq.flags);
	tool_run("mq", "send", self->name, "a");
	tool_ok();
	tool_run("mq", "send", self->name, "b");
	tool_ok();
	tool_run("mq", "send", self->name, "c");
	tool_ok();
	o = tmq_show(self->name);
	EXPECT_EQ(1, tool_num(o, "drops"));
	EXPECT_EQ(2, tool_num(o, "msgs"));
	tool_run("mq", "show", self->name, "-o", "MSGS,DROPS");
	tool_ok();
	EXPECT_STREQ("MSGS DROPS\n   2     1\n", self->res->out);
	ASSERT_EQ(1, kipc_mq_receive(q, buf, sizeof(buf), NULL));
	EXPECT_EQ('b', buf[0]);
	close(q);
	kipc_unlink(KIPC_OBJ_MQ, self->name);

	tool_run("mq", "create", self->name, "--overflow", "block");
	tool_ok();
	o = tmq_show(self->name);
	EXPECT_STREQ("-", tool_str(o, "flags"));
	kipc_unlink(KIPC_OBJ_MQ, self->name);

	tool_run("mq", "create", self->name, "--overflow", "drop");
	tool_usage_fails("kipc: invalid overflow policy 'drop': block, fail or drop-oldest\nTry 'kipc mq create help' for more information.\n");
	/* Nothing was created. */
	EXPECT_NE(0, kipc_unlink(KIPC_OBJ_MQ, self->name));
}

/* The statistics of show -J are the kernel's, field by field. */
TEST_F(tool_mq, show_stats_match_kernel)
{
	struct kipc_mq_getattr attr;
	struct kipc_nl_msg msg;
	const struct tool_obj *o;
	struct kipc_nl nl;
	unsigned int prio;
	char buf[64];
	int q;

	q = tmq_create(4);
	ASSERT_EQ(0, kipc_mq_send(q, "a", 1, 0));
	ASSERT_EQ(0, kipc_mq_send(q, "bb", 2, 3));
	ASSERT_EQ(0, kipc_mq_send(q, "ccc", 3, 0));
	ASSERT_EQ(2, kipc_mq_receive(q, buf, sizeof(buf), &prio));
	ASSERT_EQ(3U, prio);
	ASSERT_EQ(0, kipc_mq_getattr(q, &attr));
	test_nl_open(&nl);
	ASSERT_EQ(0, kipc_nl_obj_get(&nl, tmq_id(q), &msg));
	close(nl.fd);

	o = tmq_show(self->name);
	EXPECT_EQ(2, tool_num(o, "msgs"));
	EXPECT_EQ((long long)attr.out_depth, tool_num(o, "msgs"));
	EXPECT_EQ(4, tool_num(o, "usedbytes"));
	EXPECT_EQ((long long)attr.out_bytes, tool_num(o, "usedbytes"));
	EXPECT_EQ(3, tool_num(o, "send"));
	EXPECT_EQ(1, tool_num(o, "recv"));
	EXPECT_EQ(3, tool_num(o, "hwm"));
	EXPECT_EQ(0, tool_num(o, "waitsend"));
	EXPECT_EQ(0, tool_num(o, "waitrecv"));
	EXPECT_EQ(getpid(), (pid_t)tool_num(o, "lspid"));
	EXPECT_EQ(getpid(), (pid_t)tool_num(o, "lrpid"));
	EXPECT_EQ((long long)msg.val[KIPC_A_OBJ_MQ_DEPTH], tool_num(o, "msgs"));
	EXPECT_EQ((long long)msg.val[KIPC_A_OBJ_MQ_BYTES], tool_num(o, "usedbytes"));
	EXPECT_EQ((long long)msg.val[KIPC_A_OBJ_MQ_HWM], tool_num(o, "hwm"));
	EXPECT_EQ((long long)msg.val[KIPC_A_OBJ_MQ_SENDS], tool_num(o, "send"));
	EXPECT_EQ((long long)msg.val[KIPC_A_OBJ_MQ_RECVS], tool_num(o, "recv"));
	EXPECT_EQ((long long)msg.val[KIPC_A_OBJ_MQ_LSPID], tool_num(o, "lspid"));
	EXPECT_EQ((long long)msg.val[KIPC_A_OBJ_MQ_LRPID], tool_num(o, "lrpid"));
	EXPECT_STRNE("null", tool_str(o, "stime"));
	EXPECT_STRNE("null", tool_str(o, "rtime"));

	/* The table has the same numbers under its lsipc-like headings. */
	tool_run("mq", "show", self->name, "-o", "MSGS,USEDBYTES,SEND,RECV");
	tool_ok();
	EXPECT_STREQ("MSGS USEDBYTES SEND RECV\n   2         4    3    1\n",
		     self->res->out);
	close(q);
}

/* Text both ways: an argument becomes the exact bytes, a line comes back. */
TEST_F(tool_mq, send_recv_text)
{
	unsigned int prio;
	char buf[64];
	int q;

	q = tmq_create(4);
	tool_run("mq", "send", self->name, "hello world", "--prio", "7");
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);
	ASSERT_EQ(11, kipc_mq_receive(q, buf, sizeof(buf), &prio));
	EXPECT_EQ(0, memcmp(buf, "hello world", 11));
	EXPECT_EQ(7U, prio);

	/* A message starting with '-' after "--". */
	tool_run("mq", "send", self->name, "--", "-5");
	tool_ok();
	ASSERT_EQ(2, kipc_mq_receive(q, buf, sizeof(buf), &prio));
	EXPECT_EQ(0, memcmp(buf, "-5", 2));

	/* Control characters are escaped, one final newline is dropped. */
	ASSERT_EQ(0, kipc_mq_send(q, "a\tb\\x\n", 6, 2));
	tool_run("mq", "recv", self->name, "-v");
	tool_ok();
	EXPECT_STREQ("prio 2: a\\x09b\\x5cx\n", self->res->out);

	ASSERT_EQ(0, kipc_mq_send(q, "plain", 5, 0));
	tool_run("mq", "recv", self->name);
	tool_ok();
	EXPECT_STREQ("plain\n", self->res->out);
	close(q);
}

/* Every byte value survives stdin to the queue, and the queue to --raw. */
TEST_F(tool_mq, binary_stdin_and_raw)
{
	unsigned char data[256], buf[256], big[258];
	unsigned int prio;
	int q, i;

	for (i = 0; i < 256; i++)
		data[i] = 255 - i;
	q = kipc_mq_open(self->name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0600, 2,
			 256);
	ASSERT_LE(0, q);

	tool_run_in(data, sizeof(data), "mq", "send", self->name, "-",
		   "-p", "31");
	tool_ok();
	ASSERT_EQ(256, kipc_mq_receive(q, buf, sizeof(buf), &prio));
	EXPECT_EQ(0, memcmp(data, buf, sizeof(data)));
	EXPECT_EQ(31U, prio);

	/* Without a MESSAGE, standard input too; and the empty message. */
	tool_run_in(data, 0, "mq", "send", self->name);
	tool_ok();
	ASSERT_EQ(0, kipc_mq_receive(q, buf, sizeof(buf), &prio));

	ASSERT_EQ(0, kipc_mq_send(q, data, sizeof(data), 4));
	tool_run("mq", "recv", self->name, "--raw");
	tool_ok();
	ASSERT_EQ(sizeof(data), self->res->out_len);
	EXPECT_EQ(0, memcmp(data, self->res->out, sizeof(data)));

	/* One byte more than fits is refused, from stdin or an argument. */
	memset(big, 'x', 257);
	big[257] = '\0';
	tool_run_in(big, 257, "mq", "send", self->name);
	tool_fails("kipc: cannot read the message from standard input: Message too long\n");
	tool_run("mq", "send", self->name, (char *)big);
	tool_fails("kipc: cannot send to queue '%s': Message too long\n",
		  self->name);
	close(q);
}

/* Priority order, --count, --peek leaving the queue as it was. */
TEST_F(tool_mq, recv_count_and_peek)
{
	struct kipc_mq_getattr attr;
	char want[512];
	int q;

	q = tmq_create(4);
	ASSERT_EQ(0, kipc_mq_send(q, "low", 3, 1));
	ASSERT_EQ(0, kipc_mq_send(q, "high", 4, 9));
	ASSERT_EQ(0, kipc_mq_send(q, "mid", 3, 5));

	tool_run("mq", "recv", self->name, "--peek", "--count", "3");
	tool_ok();
	EXPECT_STREQ("high\nmid\nlow\n", self->res->out);
	ASSERT_EQ(0, kipc_mq_getattr(q, &attr));
	EXPECT_EQ(3U, attr.out_depth);

	tool_run("mq", "recv", self->name, "-c", "2", "-v");
	tool_ok();
	EXPECT_STREQ("prio 9: high\nprio 5: mid\n", self->res->out);
	ASSERT_EQ(0, kipc_mq_getattr(q, &attr));
	EXPECT_EQ(1U, attr.out_depth);

	/* What there is gets printed; then the failure. */
	tool_run("mq", "recv", self->name, "--peek", "-c", "2");
	EXPECT_EQ(1, self->res->status);
	EXPECT_STREQ("low\n", self->res->out);
	snprintf(want, sizeof(want),
		 "kipc: cannot peek at message 1 of queue '%s': No message of desired type\n",
		 self->name);
	EXPECT_STREQ(want, self->res->err);
	close(q);
}

/* rm unlinks the name only: show by name fails, open fds go on. */
TEST_F(tool_mq, rm_then_show_fails)
{
	const struct tool_obj *o;
	unsigned int prio;
	char id[32], buf[8];
	int q;

	q = tmq_create(2);
	snprintf(id, sizeof(id), "%llu", (unsigned long long)tmq_id(q));
	tool_run("mq", "rm", self->name);
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);

	tool_run("mq", "show", self->name);
	tool_fails("kipc: cannot find queue '%s': No such file or directory (no object of this type and name in the caller's IPC namespace)\n",
		  self->name);
	EXPECT_EQ(-ENOENT, kipc_mq_open(self->name, KIPC_OPEN_READ, 0, 0, 0));

	o = tmq_show("id", id);
	EXPECT_STREQ("unlinked", tool_str(o, "state"));
	ASSERT_EQ(0, kipc_mq_send(q, "x", 1, 0));
	ASSERT_EQ(1, kipc_mq_receive(q, buf, sizeof(buf), &prio));

	tool_run("mq", "rm", self->name);
	tool_fails("kipc: cannot unlink queue '%s': No such file or directory\n",
		  self->name);
	close(q);
}

/* destroy wakes a blocked receiver with EIDRM and fails later calls. */
TEST_F(tool_mq, destroy_wakes_receiver)
{
	const struct tool_obj *o;
	unsigned int prio;
	char id[32], buf[64];
	pid_t pid;
	int q;

	q = tmq_create(2);
	snprintf(id, sizeof(id), "%llu", (unsigned long long)tmq_id(q));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		ssize_t n = kipc_mq_receive(q, buf, sizeof(buf), &prio);

		_exit(n == -EIDRM ? 0 : 10);
	}
	ASSERT_TRUE(tmq_wait_receivers(tmq_id(q), 1));

	tool_run("mq", "destroy", self->name);
	tool_ok();
	EXPECT_EQ(0U, self->res->out_len);
	test_wait_child(pid);

	/* The fd stays open and fails; the object is there, removed. */
	EXPECT_EQ(-EIDRM, kipc_mq_send(q, "x", 1, 0));
	o = tmq_show("id", id);
	EXPECT_STREQ("removed", tool_str(o, "state"));
	EXPECT_EQ(0, tool_num(o, "waitrecv"));
	tool_run("mq", "show", self->name);
	tool_fails("kipc: cannot find queue '%s': No such file or directory (no object of this type and name in the caller's IPC namespace)\n",
		  self->name);
	close(q);
}

/* A `kipc mq recv` blocked in the tool wakes, exits 1 and says EIDRM. */
TEST_F(tool_mq, destroy_by_id_wakes_tool_recv)
{
	struct tool_proc p;
	char id[32];
	int q;

	q = tmq_create(2);
	snprintf(id, sizeof(id), "%llu", (unsigned long long)tmq_id(q));
	ASSERT_EQ(0, tool_start(&p, (uid_t)-1, NULL, 0,
			       TOOL_ARGS("mq", "recv", self->name)));
	ASSERT_TRUE(tmq_wait_receivers(tmq_id(q), 1));

	tool_run("mq", "destroy", "id", id);
	tool_ok();
	ASSERT_EQ(0, tool_finish(&p, self->res));
	tool_fails("kipc: cannot receive from queue '%s': Identifier removed\n",
		  self->name);
	close(q);
}

/* Every command on a queue that does not exist: exit 1, one line. */
TEST_F(tool_mq, missing_queue_errors)
{
	tool_run("mq", "send", self->name, "x");
	tool_fails("kipc: cannot open queue '%s': No such file or directory\n",
		  self->name);
	tool_run("mq", "recv", self->name, "--nonblock");
	tool_fails("kipc: cannot open queue '%s': No such file or directory\n",
		  self->name);
	tool_run("mq", "show", self->name);
	tool_fails("kipc: cannot find queue '%s': No such file or directory (no object of this type and name in the caller's IPC namespace)\n",
		  self->name);
	tool_run("mq", "rm", self->name);
	tool_fails("kipc: cannot unlink queue '%s': No such file or directory\n",
		  self->name);
	tool_run("mq", "destroy", self->name);
	tool_fails("kipc: cannot find queue '%s': No such file or directory (no object of this type and name in the caller's IPC namespace)\n",
		  self->name);
	tool_run("mq", "show", "id", "18446744073709551615");
	tool_fails("kipc: cannot find queue with id 18446744073709551615: No such file or directory (no object with this id in the caller's IPC namespace)\n");
}

/* --nonblock and --timeout, on an empty queue and on a full one. */
TEST_F(tool_mq, nonblock_and_timeout)
{
	struct timespec t0, t1;
	long long ms;
	int q;

	q = tmq_create(1);
	tool_run("mq", "recv", self->name, "--nonblock");
	tool_fails("kipc: cannot receive from queue '%s': Resource temporarily unavailable\n",
		  self->name);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	tool_run("mq", "recv", self->name, "--timeout", "200");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* A timeout exits 124, as timeout(1) does, and says so in words. */
	tool_timed_out("kipc: cannot receive from queue '%s': timed out\n",
		       self->name);
	ms = (t1.tv_sec - t0.tv_sec) * 1000LL +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	EXPECT_LE(200, ms);

	tool_run("mq", "send", self->name, "fills it", "--nonblock");
	tool_ok();
	tool_run("mq", "send", self->name, "no room", "--nonblock");
	tool_fails("kipc: cannot send to queue '%s': Resource temporarily unavailable\n",
		  self->name);
	tool_run("mq", "send", self->name, "no room", "-t", "50ms");
	tool_timed_out("kipc: cannot send to queue '%s': timed out\n",
		       self->name);
	tool_run("mq", "recv", self->name, "-t", "0");
	tool_ok();
	EXPECT_STREQ("fills it\n", self->res->out);
	close(q);
}

/* destroy checks the type of an id, and the kernel checks the caller. */
TEST_F(tool_mq, destroy_refused)
{
	char sem_name[KIPC_NAME_MAX + 1], id[32];
	union kipc_attr attr = { .sem = { .value = 0 } };
	uint64_t sem_id;
	int s, q;

	test_name(sem_name, "sem");
	s = kipc_open(KIPC_OBJ_SEM, sem_name, KIPC_NEW | KIPC_OPEN_CLOEXEC,
		      0600, &attr, &sem_id);
	ASSERT_LE(0, s);
	snprintf(id, sizeof(id), "%llu", (unsigned long long)sem_id);
	tool_run("mq", "destroy", "id", id);
	tool_fails("kipc: object %s is not a queue (its type is sem)\n", id);
	close(s);
	/* Still there by name. */
	s = kipc_sem_open(sem_name, KIPC_OPEN_READ | KIPC_OPEN_CLOEXEC, 0, 0);
	ASSERT_LE(0, s);
	close(s);
	EXPECT_EQ(0, kipc_unlink(KIPC_OBJ_SEM, sem_name));

	/* Root's queue, someone else's attempt: EPERM, with the reason. */
	q = kipc_mq_open(self->name, KIPC_NEW | KIPC_OPEN_CLOEXEC, 0666, 2,
			 64);
	ASSERT_LE(0, q);
	tool_run_as(KIPC_UID1, NULL, 0, "mq", "destroy", self->name);
	tool_fails("kipc: cannot destroy queue '%s': Operation not permitted (only the owner, the creator or CAP_SYS_ADMIN may remove)\n",
		  self->name);
	tool_run_as(KIPC_UID1, NULL, 0, "mq", "rm", self->name);
	tool_fails("kipc: cannot unlink queue '%s': Operation not permitted\n",
		  self->name);
	EXPECT_EQ(0, kipc_mq_send(q, "still here", 10, 0));
	close(q);
}

/* Help at every level exits 0; mistakes exit 2 and point at the help. */
TEST_F(tool_mq, usage_and_help)
{
	static char *const cmds[] = {
		"list", "show", "create", "send", "recv", "rm", "destroy",
	};
	char want[128];
	size_t i;

	tool_run("mq", "help");
	tool_ok();
	EXPECT_EQ(0, strncmp(self->res->out, "Usage: kipc [OPTIONS] mq ", 25));
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		tool_run("mq", cmds[i], "help");
		tool_ok();
		EXPECT_NE(NULL, strstr(self->res->out, "Usage: kipc "));
		snprintf(want, sizeof(want), "mq %s", cmds[i]);
		EXPECT_NE(NULL, strstr(self->res->out, want));
		tool_run("mq", cmds[i], "--help");
		tool_ok();
	}

	tool_run("mq", "send", self->name, "x", "--prio", "32");
	tool_usage_fails("kipc: invalid value '32' for '--prio': a number from 0 to 31\nTry 'kipc mq send help' for more information.\n");
	tool_run("mq", "recv");
	tool_usage_fails("kipc: 'mq recv' needs a NAME\nTry 'kipc mq recv help' for more information.\n");
	tool_run("mq", "frob");
	tool_usage_fails("kipc: unknown command 'frob' for object 'mq'\nTry 'kipc mq help' for more information.\n");
	tool_run("mq", "create", self->name, "--mode", "01666");
	tool_usage_fails("kipc: invalid mode '01666': octal, at most 0777\nTry 'kipc mq create help' for more information.\n");
	tool_run("mq", "recv", self->name, "--json");
	tool_usage_fails("kipc: option '--json' does not apply to 'mq recv'\nTry 'kipc mq recv help' for more information.\n");
	tool_run("mq", "show", "id", "x1");
	tool_usage_fails("kipc: invalid id 'x1'\nTry 'kipc mq show help' for more information.\n");
	/* None of them created anything. */
	EXPECT_EQ(-ENOENT, kipc_mq_open(self->name, KIPC_OPEN_READ, 0, 0, 0));
}

TEST_HARNESS_MAIN
