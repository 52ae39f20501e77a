// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc_demo: the object-making half of `make demo`.
 *
 *   kipc_demo create   create a queue, a region and a semaphore, then close
 *                      the fds: named objects outlive their fds, as in POSIX
 *   kipc_demo inspect  reopen each by name and print what the module reports
 *   kipc_demo producer QUEUE N
 *                      send N jobs in bursts of five, every fifth urgent
 *                      (priority 9) and every third important (priority 3)
 *   kipc_demo consumer QUEUE N
 *                      receive N jobs, taking a while over each, so that a
 *                      backlog builds up and the urgent ones overtake it;
 *                      a queue destroyed by an administrator ends it
 *   kipc_demo remove   unlink all three (a destroyed queue is gone already)
 *
 * The producer prints on the left, the consumer on the right, one line at a
 * time, so their output interleaves legibly on a shared terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kipc.h"

static const struct {
	unsigned int type;
	const char *name;
	union kipc_attr attr;
} demo_objs[] = {
	{ KIPC_OBJ_MQ, "jobs", { .mq = { .max_msgs = 64, .max_msgsize = 4096 } } },
	{ KIPC_OBJ_SHM, "frame", { .shm = { .size = 1 << 20 } } },
	{ KIPC_OBJ_SEM, "frame-lock", { .sem = { .value = 1 } } },
};

#define N_OBJS (sizeof(demo_objs) / sizeof(demo_objs[0]))

static int fail(const char *what, const char *name, int err)
{
	fprintf(stderr, "kipc_demo: %s %s: %s\n", what, name, strerror(-err));
	return 1;
}

static int demo_create(void)
{
	unsigned int i;

	for (i = 0; i < N_OBJS; i++) {
		uint64_t id;
		int fd;

		fd = kipc_open(demo_objs[i].type, demo_objs[i].name,
			       KIPC_OPEN_READ | KIPC_OPEN_WRITE |
			       KIPC_OPEN_CREATE | KIPC_OPEN_EXCL |
			       KIPC_OPEN_CLOEXEC, 0640, &demo_objs[i].attr,
			       &id);
		if (fd < 0)
			return fail("create", demo_objs[i].name, fd);
		printf("  created %-3s %-10s id %llu (fd %d, closed again)\n",
		       kipc_type_name(demo_objs[i].type), demo_objs[i].name,
		       (unsigned long long)id, fd);
		close(fd);
	}
	return 0;
}

static int demo_inspect(void)
{
	unsigned int i;

	for (i = 0; i < N_OBJS; i++) {
		struct kipc_info info;
		int fd, ret;

		fd = kipc_open(demo_objs[i].type, demo_objs[i].name,
			       KIPC_OPEN_READ | KIPC_OPEN_CLOEXEC, 0, NULL,
			       NULL);
		if (fd < 0)
			return fail("open", demo_objs[i].name, fd);
		ret = kipc_info(fd, &info);
		close(fd);
		if (ret < 0)
			return fail("info", demo_objs[i].name, ret);
		printf("  %-3s %-10s id %llu mode %03o uid %u: ",
		       kipc_type_name(info.out_type), info.out_name,
		       (unsigned long long)info.out_id, info.out_mode,
		       info.out_uid);
		switch (info.out_type) {
		case KIPC_OBJ_MQ:
			printf("%u messages of up to %u bytes\n",
			       info.out_attr.mq.max_msgs,
			       info.out_attr.mq.max_msgsize);
			break;
		case KIPC_OBJ_SHM:
			printf("%llu bytes\n",
			       (unsigned long long)info.out_attr.shm.size);
			break;
		case KIPC_OBJ_SEM:
			printf("value %u\n", info.out_attr.sem.value);
			break;
		}
	}
	return 0;
}

static void demo_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static unsigned int demo_job_prio(int job)
{
	if (job % 5 == 0)
		return 9;
	if (job % 3 == 0)
		return 3;
	return 0;
}

static int demo_producer(const char *name, int n)
{
	char msg[32];
	int fd, i, ret;

	fd = kipc_mq_open(name, KIPC_OPEN_WRITE | KIPC_OPEN_CLOEXEC, 0, 0, 0);
	if (fd < 0)
		return fail("open", name, fd);
	for (i = 1; i <= n; i++) {
		unsigned int prio = demo_job_prio(i);

		snprintf(msg, sizeof(msg), "job %d", i);
		ret = kipc_mq_send(fd, msg, strlen(msg), prio);
		if (ret < 0) {
			close(fd);
			return fail("send to", name, ret);
		}
		printf("  producer: sent %-6s prio %u\n", msg, prio);
		fflush(stdout);
		if (i % 5 == 0)
			demo_sleep_ms(100);
	}
	close(fd);
	return 0;
}

static int demo_consumer(const char *name, int n)
{
	struct kipc_mq_getattr attr;
	unsigned int prio;
	char msg[4096];
	int fd, i;
	ssize_t len;

	fd = kipc_mq_open(name, KIPC_OPEN_READ | KIPC_OPEN_CLOEXEC, 0, 0, 0);
	if (fd < 0)
		return fail("open", name, fd);
	for (i = 0; i < n; i++) {
		len = kipc_mq_receive(fd, msg, sizeof(msg), &prio);
		if (len == -EIDRM) {
			printf("%38sconsumer: woke up with EIDRM (%s): the queue was destroyed\n",
			       "", strerror(EIDRM));
			break;
		}
		if (len < 0) {
			close(fd);
			return fail("receive from", name, len);
		}
		if (kipc_mq_getattr(fd, &attr) < 0)
			attr.out_depth = 0;
		printf("%38sconsumer: got  %-6.*s prio %u, %u left\n", "",
		       (int)len, msg, prio, attr.out_depth);
		fflush(stdout);
		/* The work a job takes: the producer gets ahead. */
		demo_sleep_ms(80);
	}
	close(fd);
	return 0;
}

static int demo_remove(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < N_OBJS; i++) {
		ret = kipc_unlink(demo_objs[i].type, demo_objs[i].name);
		if (ret == -ENOENT) {
			printf("  %s %s is gone already\n",
			       kipc_type_name(demo_objs[i].type),
			       demo_objs[i].name);
			continue;
		}
		if (ret < 0)
			return fail("unlink", demo_objs[i].name, ret);
		printf("  unlinked %s %s\n", kipc_type_name(demo_objs[i].type),
		       demo_objs[i].name);
	}
	return 0;
}

static int demo_count(const char *arg)
{
	char *end;
	long n = strtol(arg, &end, 10);

	return *end || n < 1 || n > 100000 ? -1 : (int)n;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "create"))
		return demo_create();
	if (argc == 2 && !strcmp(argv[1], "inspect"))
		return demo_inspect();
	if (argc == 2 && !strcmp(argv[1], "remove"))
		return demo_remove();
	if (argc == 4 && !strcmp(argv[1], "producer") &&
	    demo_count(argv[3]) > 0)
		return demo_producer(argv[2], demo_count(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "consumer") &&
	    demo_count(argv[3]) > 0)
		return demo_consumer(argv[2], demo_count(argv[3]));
	fprintf(stderr,
		"usage: kipc_demo { create | inspect | remove }\n"
		"       kipc_demo { producer | consumer } QUEUE N\n");
	return 2;
}
