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

# Wait until N receivers are blocked on queue $1, as the module counts them.
wait_receivers() {
	i=0
	until [ "$(kipc mq show "$1" -rn -o WAITRECV)" = "$2" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "demo: no receiver blocked on $1" >&2; exit 1; }
		sleep 0.1
	done
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

say "A consumer process opens the queue 'jobs' and blocks on it, empty (WAITRECV):"
kipc_demo consumer jobs 20 &
consumer=$!
wait_receivers jobs 1
kipc mq show jobs

say "A producer process sends 20 jobs in bursts; urgent ones (prio 9) overtake the backlog:"
kipc_demo producer jobs 20
kipc mq show jobs
wait $consumer

say "From the shell, for scripts: kipc mq send and recv (highest priority first, -v shows it):"
kipc mq send jobs "hello from the shell"
echo "an urgent line from stdin" | kipc mq send jobs --prio 7
kipc mq show jobs -o NAME,MSGS,USEDBYTES,SEND,RECV,HWM,STIME
kipc mq recv jobs --count 2 -v

say "An administrator destroys the queue over netlink; its blocked receiver wakes with EIDRM:"
kipc_demo consumer jobs 1 &
consumer=$!
wait_receivers jobs 1
kipc mq destroy jobs
wait $consumer
kipc mq show jobs || echo "(exit status $?: the name is gone)"

say "Unlink the names; the objects are destroyed as no fd holds them:"
kipc_demo remove
kipc list

say "Demo done."
