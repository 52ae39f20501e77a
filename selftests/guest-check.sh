#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every kipc selftest binary inside the QEMU guest (busybox sh, as root,
# with kipc.ko loaded). Started by selftests/qemu/run.sh --mode check.
#
# Binaries run in name order, except unload_test, which unloads and reloads
# the module and so goes last. Each prints its own kselftest TAP; the runner
# tallies all of them. A binary that fails does not stop the others. Our own
# remarks are "# " comments, so they never count as results.
#
# After each binary the module must hold no object at all (see
# check_nothing_left).
#
# KIPC_ONLY=a_test,b_test (make run-check GUEST_ENV=KIPC_ONLY=...) runs only
# those binaries, for a quick loop while working on one area; CI never sets it.
# KIPC_REPEAT=N runs them (all of them, or KIPC_ONLY's) N times over, to
# hunt a test that fails only now and then.
#
# Exit status: 0 if every binary exited 0 (or 4, all skipped) and left
# nothing behind, else 1.

bindir=${KIPC_BINDIR:-/kipc/bin}
last=unload_test

rc=0

# kipc objects alive in every namespace, as the module counts them.
objects_alive() {
	"$bindir/kipc" stats -r -n -o RESOURCE,USED 2>/dev/null |
		awk '$1 == "all-objects" { print $2 }'
}

# Every binary cleans up after itself, so once it has exited (and the fds
# and mappings of its processes are gone) the module must hold no object:
# a region left behind would keep its pages. Exits finish asynchronously,
# so allow a second. A leftover is a failure of its own ("not ok").
check_nothing_left() {
	name=$1
	[ -x "$bindir/kipc" ] || return 0
	i=0
	while :; do
		left=$(objects_alive)
		[ "$left" = 0 ] && return 0
		[ $i -ge 20 ] && break
		i=$((i + 1))
		sleep 0.05
	done
	echo "not ok - $name left ${left:-?} kipc objects behind"
	"$bindir/kipc" list 2>&1 | sed 's/^/# /'
	rc=1
	# Remove them (those of this IPC namespace, the one the tests use
	# by default) so that the next binary is not blamed for this one's
	# leftovers: one failure, not a cascade of them.
	"$bindir/kipc" rm --all --destroy >/dev/null 2>&1
	sleep 0.2
	left=$(objects_alive)
	[ "$left" = 0 ] ||
		echo "# guest-check: $left objects still alive after kipc rm --all --destroy"
}

# Is $1 one of KIPC_ONLY's binaries (or is KIPC_ONLY unset)?
wanted() {
	[ -z "${KIPC_ONLY:-}" ] && return 0
	case ",$KIPC_ONLY," in *",$1,"*) return 0 ;; esac
	return 1
}

run() {
	name=$1
	wanted "$name" || return 0
	echo "# guest-check: $name"
	t0=$(date +%s)
	"$bindir/$name"
	st=$?
	echo "# guest-check: $name took $(($(date +%s) - t0)) s"
	case $st in
	0 | 4) ;;
	*)
		echo "# guest-check: $name exited with status $st"
		rc=1
		;;
	esac
	check_nothing_left "$name"
}

# The KUnit suites first (a SKIP without CONFIG_KUNIT): they need no object.
if [ -x "$bindir/guest-kunit.sh" ] && wanted kunit; then
	echo "# guest-check: kunit"
	"$bindir/guest-kunit.sh" || rc=1
fi

found=
round=0
while [ $round -lt "${KIPC_REPEAT:-1}" ]; do
	round=$((round + 1))
	[ "${KIPC_REPEAT:-1}" -gt 1 ] && echo "# guest-check: round $round of $KIPC_REPEAT"
	for t in "$bindir"/*_test; do
		[ -x "$t" ] || continue
		found=1
		name=${t##*/}
		[ "$name" = "$last" ] && continue
		run "$name"
	done
done
if [ -x "$bindir/$last" ]; then
	run "$last"
else
	echo "# guest-check: $last is missing"
	rc=1
fi
if [ -z "$found" ]; then
	echo "# guest-check: no test binaries in $bindir"
	rc=1
fi
exit $rc
