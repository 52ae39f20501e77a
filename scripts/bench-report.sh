#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# After `make bench`: keep the bench lines and the JSON the guest printed on
# its results channel, and end with the table of targets.
#
# Usage: scripts/bench-report.sh OUTDIR   (OUTDIR/qemu/results.log is read;
#        OUTDIR/bench.log and OUTDIR/results.json are written)

set -eu
out=$1
log=$out/qemu/results.log
[ -f "$log" ] || { echo "bench-report: no $log" >&2; exit 1; }

tr -d '\r' <"$log" | grep -a '^bench: ' >"$out/bench.log" || true
tr -d '\r' <"$log" |
	awk '/^KIPC-BENCH-JSON-END/ { p = 0 } p { print } /^KIPC-BENCH-JSON-BEGIN/ { p = 1 }' \
		>"$out/results.json"
table=$(tr -d '\r' <"$log" |
	awk '/^KIPC-BENCH-TABLE-END/ { p = 0 } p { print } /^KIPC-BENCH-TABLE-BEGIN/ { p = 1 }')

if [ ! -s "$out/results.json" ] || [ -z "$table" ]; then
	echo "bench-report: the guest printed no results (see $log)" >&2
	exit 1
fi
echo "# $(wc -l <"$out/bench.log") bench lines in $out/bench.log, JSON in $out/results.json"
echo
echo "$table"
