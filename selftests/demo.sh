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

# Wait until column $3 of `kipc $1 show $2` reads $4, as the module counts.
wait_stat() {
	i=0
	until [ "$(kipc "$1" show "$2" -rn -o "$3")" = "$4" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "demo: $3 of $1 $2 never became $4" >&2; exit 1; }
		sleep 0.1
	done
}

# Wait until N receivers are blocked on queue $1.
wait_receivers() {
	wait_stat mq "$1" WAITRECV "$2"
}

say "The module is loaded and /dev/kipc is the factory device:"
ls -l /dev/kipc
kipc version

say "kipc monitor starts in the background: it prints every create, unlink and destroy:"
monlog=/tmp/kipc-monitor.log
kipc monitor > "$monlog" 2>&1 &
monitor=$!
# Subscribed once it reports a throwaway semaphore (or gone: no monitor group).
i=0
while [ ! -s "$monlog" ] && kill -0 $monitor 2>/dev/null; do
	kipc sem create demo-probe
	kipc sem rm demo-probe
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "demo: kipc monitor printed nothing" >&2; exit 1; }
	sleep 0.1
done
cat "$monlog"

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

say "The limits of this IPC namespace, of every uid by default, and of each uid with objects:"
kipc limits
kipc limits set objects 1000 bytes 256M uid-objects 50
kipc limits set uid kipcuser objects 10 bytes 8M
echo "# after: kipc limits set objects 1000 bytes 256M uid-objects 50"
echo "#        kipc limits set uid kipcuser objects 10 bytes 8M"
kipc limits
kipc limits reset uid kipcuser
kipc limits reset

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

say "Two processes share the 1 MiB region 'frame'. A writer maps it and fills 256 KiB:"
kipc_demo shm-writer frame &
writer=$!
wait_stat shm frame NATTCH 1
kipc shm show frame -o NAME,SIZE,RSS,NATTCH,CPID,LPID,ATIME

say "Who holds 'frame'? The HOLDERS column reads /proc as fuser does (fds and mappings):"
kipc shm show frame -o NAME,NATTCH,HOLDERS

say "A reader, another process, opens 'frame' by its name, maps it read-only and reads:"
kipc_demo shm-reader frame
kill -TERM $writer
wait $writer
kipc shm show frame -o NAME,SIZE,RSS,NATTCH,DTIME

say "The bounded buffer, across processes: a ring of 8 slots in a region, semaphores"
echo "   'slots' (free, 8) and 'items' (full, 0), and 'mutex' (1, taken with undo):"
kipc shm create ring --size 4K
kipc sem create slots --value 8
kipc sem create items --value 0
kipc sem create mutex --value 1
kipc mq create results --max-msgs 1 --max-msgsize 64

say "The producer starts alone: it fills the 8 slots, then blocks on 'slots' (NCOUNT):"
kipc_demo ring-producer 16 &
producer=$!
wait_stat sem slots NCOUNT 1
kipc sem show -o NAME,VALUE,NCOUNT,WAITS,POSTS,UNDOHOLDERS

say "The consumer starts; each item it takes frees a slot, which wakes the producer."
echo "   Meanwhile kipc top -b -n 1 shows the busiest objects over half a second:"
kipc top -b -n 1 -d 0.5 > /tmp/kipc-top.log 2>&1 &
top=$!
kipc_demo ring-consumer 16
wait $producer
wait $top || { cat /tmp/kipc-top.log; echo "demo: kipc top failed" >&2; exit 1; }
cat /tmp/kipc-top.log
kipc sem show -o NAME,VALUE,NCOUNT,WAITS,POSTS,UNDOHOLDERS

say "The consumer's report, from the queue 'results':"
kipc mq recv results

say "Robustness: a process takes 'mutex' with undo, and a second one waits for it:"
kipc_demo hold mutex &
holder=$!
wait_stat sem mutex UNDOHOLDERS 1
kipc sem wait mutex &
waiter=$!
wait_stat sem mutex NCOUNT 1
kipc sem show mutex -o NAME,VALUE,NCOUNT,UNDOHOLDERS,UNDOUNITS,RECOVERED

say "The holder is killed with SIGKILL while it holds the mutex. The holder died;"
echo "   its unit came back, and the waiter that gets it is told so (KIPC_SEM_RECOVERED):"
kill -KILL $holder
wait $waiter
wait $holder || :
kipc sem show mutex -o NAME,VALUE,NCOUNT,UNDOHOLDERS,RECOVERED
kipc sem post mutex

say "The dining philosophers: five processes, five forks (semaphores of value 1)."
echo "   Each takes both its forks in one kipc_sem_multi(), all or nothing, so nobody"
echo "   holds one fork waiting for the other: no deadlock, and FIFO lets each eat."
echo "   'table' (5) is a barrier: each takes a unit when done; we wait for zero."
for i in 1 2 3 4 5; do kipc sem create fork.$i --value 1; done
kipc sem create table --value 5
# Only the philosophers: the monitor started above runs on in the background.
philosophers=
for i in 1 2 3 4 5; do
	kipc_demo philosopher $i 20 &
	philosophers="$philosophers $!"
done
kipc_demo wait-zero table
# shellcheck disable=SC2086 # a list of pids
wait $philosophers
kipc sem show -o NAME,VALUE,NCOUNT,ZCOUNT,MULTI,WAITS,POSTS
echo "   From a shell, two forks at once: kipc sem wait fork.1:1 fork.2:1 -- CMD"
kipc sem wait fork.1:1 fork.2:1 --undo -- kipc sem show -o NAME,VALUE fork.1
kipc sem rm fork.1 fork.2 fork.3 fork.4 fork.5 table

say "Who am I? A server answers with the caller's identity as the kernel recorded it at"
echo "   send time (KIPC_MQ_CREDS), never as the caller claims it. Each client's reply queue"
echo "   is anonymous: the server answers on the fd its request's reply-to gave it."
(umask 0 && kipc mq create whoami --creds --mode 0622 --max-msgsize 256)
kipc_demo whoami-server whoami &
server=$!
kipc_demo whoami whoami
kipc_demo whoami whoami 1000
kipc_demo whoami whoami 1001
kipc mq show whoami -o NAME,PERMS,FLAGS,SEND,RECV
echo "   Destroying the service queue ends the server (EIDRM):"
kipc mq destroy whoami
wait $server

say "A 64 MiB frame through a queue without copying it: the sender fills an anonymous"
echo "   region, seals it (no write, shrink or grow, ever again) and sends it in a message"
echo "   of a KIPC_MQ_REGIONS queue with KIPC_SEND_SEALED; the receiver gets a new fd for"
echo "   the same pages and hashes them where they lie. Then the same bytes as 64 messages:"
kipc_demo frame 64

say "Every type at once: queues, regions and semaphores (kipc list):"
kipc list -o TYPE,ID,NAME,PERMS,SIZE,VALUE,STATE

say "Unlink the names; the objects are destroyed as no fd holds them:"
kipc_demo remove
kipc shm rm ring
kipc sem rm slots items mutex
kipc mq rm results
kipc stats -o RESOURCE,USED

say "What kipc monitor saw meanwhile (then it is stopped with SIGINT):"
# Destroys of the last objects may follow their close by a moment.
sleep 0.5
if kill -INT $monitor 2>/dev/null; then
	wait $monitor || { echo "demo: kipc monitor exited with $?" >&2; exit 1; }
else
	wait $monitor || :
fi
cat "$monlog"

say "The same events as JSON lines, for scripts (kipc -J monitor):"
monlog=/tmp/kipc-monitor.json
kipc -J monitor > "$monlog" 2>&1 &
monitor=$!
i=0
while [ ! -s "$monlog" ] && kill -0 $monitor 2>/dev/null; do
	kipc sem create demo-probe
	kipc sem rm demo-probe
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "demo: kipc monitor printed nothing" >&2; exit 1; }
	sleep 0.1
done
kipc mq create demo-json --max-msgs 1 --max-msgsize 16
kipc mq rm demo-json
sleep 0.2
kill -TERM $monitor 2>/dev/null && wait $monitor || :
cat "$monlog"

say "The kipc tracepoints, read from tracefs (no bpftrace needed): a send and a receive:"
tracing=/sys/kernel/tracing
[ -d $tracing/instances ] || mount -t tracefs tracefs $tracing 2>/dev/null || :
if [ -d $tracing/events/kipc ]; then
	echo 0 > $tracing/tracing_on
	echo > $tracing/trace
	echo 1 > $tracing/events/kipc/kipc_mq_send/enable
	echo 1 > $tracing/events/kipc/kipc_mq_receive/enable
	echo 1 > $tracing/tracing_on
	kipc mq create demo-trace --max-msgs 1 --max-msgsize 16
	kipc mq send demo-trace "traced" --prio 3
	kipc mq recv demo-trace
	echo 0 > $tracing/tracing_on
	echo 0 > $tracing/events/kipc/kipc_mq_send/enable
	echo 0 > $tracing/events/kipc/kipc_mq_receive/enable
	kipc mq rm demo-trace
	grep -E 'kipc_mq_(send|receive):' $tracing/trace ||
		{ echo "demo: no kipc event in $tracing/trace" >&2; exit 1; }
	echo > $tracing/trace
else
	echo "(no kipc events in tracefs on this kernel: skipped)"
fi

say "Demo done."
