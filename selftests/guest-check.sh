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
# Exit status: 0 if every binary exited 0 (or 4, all skipped), else 1.

bindir=${KIPC_BINDIR:-/kipc/bin}
last=unload_test

rc=0
run() {
	name=$1
	echo "# guest-check: $name"
	"$bindir/$name"
	st=$?
	case $st in
	0 | 4) ;;
	*)
		echo "# guest-check: $name exited with status $st"
		rc=1
		;;
	esac
}

found=
for t in "$bindir"/*_test; do
	[ -x "$t" ] || continue
	found=1
	name=${t##*/}
	[ "$name" = "$last" ] && continue
	run "$name"
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
