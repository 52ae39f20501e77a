// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc_demo: the object-making half of `make demo`.
 *
 *   kipc_demo create   create a queue, a region and a semaphore, then close
 *                      the fds: named objects outlive their fds, as in POSIX
 *   kipc_demo inspect  reopen each by name and print what the module reports
 *   kipc_demo remove   unlink all three
 */
#include <stdio.h>
#include <string.h>
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

static int demo_remove(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < N_OBJS; i++) {
		ret = kipc_unlink(demo_objs[i].type, demo_objs[i].name);
		if (ret < 0)
			return fail("unlink", demo_objs[i].name, ret);
		printf("  unlinked %s %s\n", kipc_type_name(demo_objs[i].type),
		       demo_objs[i].name);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "create"))
		return demo_create();
	if (argc == 2 && !strcmp(argv[1], "inspect"))
		return demo_inspect();
	if (argc == 2 && !strcmp(argv[1], "remove"))
		return demo_remove();
	fprintf(stderr, "usage: kipc_demo { create | inspect | remove }\n");
	return 2;
}
