// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * libkipc: thin typed wrappers around the /dev/kipc ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kipc.h"

#define KIPC_EXPORT __attribute__((visibility("default")))

/* The factory is opened per call: it holds no state, and a library that
 * keeps a hidden fd would leak it into every fork/exec of its user. */
static int kipc_dev_ioctl(unsigned long cmd, void *arg)
{
	int fd, ret;

	fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = ioctl(fd, cmd, arg);
	if (ret < 0)
		ret = -errno;
	close(fd);
	return ret;
}

KIPC_EXPORT int kipc_version(struct kipc_version *ver)
{
	memset(ver, 0, sizeof(*ver));
	ver->size = sizeof(*ver);
	return kipc_dev_ioctl(KIPC_IOC_VERSION, ver);
}

KIPC_EXPORT int kipc_open(unsigned int type, const char *name,
			  unsigned int flags, mode_t mode,
			  const union kipc_attr *attr, uint64_t *out_id)
{
	struct kipc_open op = {
		.size = sizeof(op),
		.flags = flags,
		.type = type,
		.mode = mode,
		.name = (uintptr_t)name,
	};
	int fd;

	if (attr)
		op.attr = *attr;
	fd = kipc_dev_ioctl(KIPC_IOC_OPEN, &op);
	if (fd >= 0 && out_id)
		*out_id = op.out_id;
	return fd;
}

KIPC_EXPORT int kipc_mq_open(const char *name, unsigned int flags,
			     mode_t mode, uint32_t max_msgs,
			     uint32_t max_msgsize)
{
	union kipc_attr attr = {
		.mq = { .max_msgs = max_msgs, .max_msgsize = max_msgsize },
	};

	return kipc_open(KIPC_OBJ_MQ, name, flags, mode, &attr, NULL);
}

KIPC_EXPORT int kipc_shm_open(const char *name, unsigned int flags,
			      mode_t mode, uint64_t size)
{
	union kipc_attr attr = { .shm = { .size = size } };

	return kipc_open(KIPC_OBJ_SHM, name, flags, mode, &attr, NULL);
}

KIPC_EXPORT int kipc_sem_open(const char *name, unsigned int flags,
			      mode_t mode, uint32_t value)
{
	union kipc_attr attr = { .sem = { .value = value } };

	return kipc_open(KIPC_OBJ_SEM, name, flags, mode, &attr, NULL);
}

KIPC_EXPORT int kipc_unlink(unsigned int type, const char *name)
{
	struct kipc_unlink op = {
		.size = sizeof(op),
		.type = type,
		.name = (uintptr_t)name,
	};

	return kipc_dev_ioctl(KIPC_IOC_UNLINK, &op);
}

KIPC_EXPORT int kipc_info(int fd, struct kipc_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (ioctl(fd, KIPC_IOC_INFO, info) < 0)
		return -errno;
	return 0;
}

KIPC_EXPORT const char *kipc_type_name(unsigned int type)
{
	switch (type) {
	case KIPC_OBJ_MQ:
		return "mq";
	case KIPC_OBJ_SHM:
		return "shm";
	case KIPC_OBJ_SEM:
		return "sem";
	}
	return NULL;
}
