#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run kipc's KUnit suites (kipc_kunit.ko, kmod/tests/) inside the QEMU guest
# and print their results as one TAP stream for the runner's tally: one
# result per KUnit test case, named "suite.case". Started by guest-check.sh.
#
# kipc_kunit.ko is built only against a kernel with CONFIG_KUNIT (Tier B,
# make check-debug); elsewhere the whole stream is one SKIP.
#
# Exit status: 0 if every case passed (or all skipped), else 1.

ko=${KIPC_KUNIT_KO:-/kipc/kipc_kunit.ko}
kunit=/sys/kernel/debug/kunit
suites="kipc_name kipc_size kipc_prio kipc_deadline"

echo "TAP version 13"
if [ ! -f "$ko" ]; then
	echo "1..0 # SKIP kipc_kunit.ko not built: the kernel has no CONFIG_KUNIT"
	exit 0
fi
if ! insmod "$ko" 2>/tmp/kunit.err; then
	echo "1..1"
	sed 's/^/# /' /tmp/kunit.err
	echo "not ok 1 insmod kipc_kunit.ko"
	exit 1
fi

# KUnit runs the suites while the module loads and keeps their KTAP in
# debugfs (CONFIG_KUNIT_DEBUGFS); a test case result is indented once.
out=/tmp/kunit.tap
: >"$out"
for s in $suites; do
	if [ ! -r "$kunit/$s/results" ]; then
		echo "not ok - $s.results-missing" >>"$out"
		continue
	fi
	awk -v suite="$s" '
		/^    (not )?ok [0-9]+ / {
			line = substr($0, 5)
			verdict = (line ~ /^not ok/) ? "not ok" : "ok"
			sub(/^(not )?ok [0-9]+ /, "", line)
			print verdict " - " suite "." line
			next
		}
		/EXPECTATION FAILED|ASSERTION FAILED|Expected|at .*\.c:[0-9]+/ {
			l = $0
			sub(/^[ \t#]*/, "", l)
			print "# " suite ": " l
		}' "$kunit/$s/results" >>"$out"
done
rmmod kipc_kunit 2>/dev/null

n=$(grep -cE '^(not )?ok ' "$out")
if [ "$n" = 0 ]; then
	echo "1..1"
	echo "not ok 1 kipc_kunit.ko loaded but left no KUnit results in $kunit"
	exit 1
fi
echo "1..$n"
grep -E '^#' "$out"
i=0
rc=0
grep -E '^(not )?ok ' "$out" | while IFS= read -r line; do
	i=$((i + 1))
	case "$line" in
	"not ok"*) echo "not ok $i ${line#not ok - }" ;;
	*) echo "ok $i ${line#ok - }" ;;
	esac
done
grep -qE '^not ok' "$out" && rc=1
exit $rc
