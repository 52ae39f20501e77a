#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The narrated demo, run in the guest by `make demo` after `insmod kipc.ko`.
set -e
PATH=/kipc/bin:$PATH

say() {
	echo
	echo "== $*"
}

say "The module is loaded and /dev/kipc is the factory device:"
ls -l /dev/kipc
kipc version

say "Create a message queue, a shared region and a semaphore (named, so they outlive their fds):"
kipc_demo create

say "kipc list asks the module over Generic Netlink:"
kipc list

say "The same, as JSON, for scripts:"
kipc list -J

say "Reopen each object by name and ask its fd what it is:"
kipc_demo inspect

say "Module statistics for this IPC namespace:"
kipc stats

say "Unlink the names; the objects are destroyed as no fd holds them:"
kipc_demo remove
kipc list

say "Demo done."
