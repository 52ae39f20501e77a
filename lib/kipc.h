/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libkipc: the data path of kipc.
 *
 * Every function returns a value >= 0 on success or a negative errno on
 * failure. None of them sets errno or prints. Object handles are plain file
 * descriptors: poll them, pass them over SCM_RIGHTS, close them with close().
 */
#ifndef LIBKIPC_H
#define LIBKIPC_H

#include <stdint.h>
#include <sys/types.h>
#include <linux/kipc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for the open functions: the KIPC_OPEN_* bits of <linux/kipc.h>. */

/**
 * kipc_version - ask the loaded module what it is and supports
 * @ver: filled in on success
 *
 * Return: 0, or -errno (-ENOENT when /dev/kipc does not exist).
 */
int kipc_version(struct kipc_version *ver);

/**
 * kipc_mq_open - open or create a message queue
 * @name: the queue's name
 * @flags: KIPC_OPEN_* bits
 * @mode: permission bits for a new queue
 * @max_msgs: capacity of a new queue, in messages
 * @max_msgsize: largest message of a new queue, in bytes
 *
 * Return: a file descriptor, or -errno.
 */
int kipc_mq_open(const char *name, unsigned int flags, mode_t mode,
		 uint32_t max_msgs, uint32_t max_msgsize);

/**
 * kipc_shm_open - open or create a shared memory region
 * @size: size in bytes of a new region
 *
 * Return: a file descriptor, or -errno.
 */
int kipc_shm_open(const char *name, unsigned int flags, mode_t mode,
		  uint64_t size);

/**
 * kipc_sem_open - open or create a counting semaphore
 * @value: initial value of a new semaphore
 *
 * Return: a file descriptor, or -errno.
 */
int kipc_sem_open(const char *name, unsigned int flags, mode_t mode,
		  uint32_t value);

/**
 * kipc_open - open or create an object of any type
 * @type: KIPC_OBJ_*
 * @attr: creation attributes, may be NULL when not creating
 * @out_id: if not NULL, receives the object's id
 *
 * Return: a file descriptor, or -errno.
 */
int kipc_open(unsigned int type, const char *name, unsigned int flags,
	      mode_t mode, const union kipc_attr *attr, uint64_t *out_id);

/**
 * kipc_unlink - remove the name of an object
 * @type: KIPC_OBJ_*
 *
 * Return: 0, or -errno.
 */
int kipc_unlink(unsigned int type, const char *name);

/**
 * kipc_info - describe the object behind a file descriptor
 *
 * Return: 0, or -errno.
 */
int kipc_info(int fd, struct kipc_info *info);

/**
 * kipc_type_name - "mq", "shm" or "sem"; NULL for an unknown type
 */
const char *kipc_type_name(unsigned int type);

#ifdef __cplusplus
}
#endif

#endif /* LIBKIPC_H */
