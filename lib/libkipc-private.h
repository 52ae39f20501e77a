/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libkipc: what libkipc.c and libkipc-rpc.c share and do not export.
 */
#ifndef LIBKIPC_PRIVATE_H
#define LIBKIPC_PRIVATE_H

#include <errno.h>

#define KIPC_EXPORT __attribute__((visibility("default")))

static inline void kipc_errno_restore(const int *saved)
{
	errno = *saved;
}

/*
 * kipc.h promises that no function sets errno. A function that makes a
 * system call, or calls libc that may fail, declares this first: errno is
 * put back however the function returns, after its return value (which may
 * read errno) has been computed.
 */
#define KIPC_KEEP_ERRNO						\
	int kipc_saved_errno						\
		__attribute__((cleanup(kipc_errno_restore))) = errno

#endif /* LIBKIPC_PRIVATE_H */
