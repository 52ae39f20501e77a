#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the benchmarks inside the QEMU guest (busybox sh, as root, kipc.ko
# loaded, no debug options). Started by `make bench` through
# selftests/qemu/run.sh --mode bench; the host picks the bench lines, the
# target table and the JSON out of results.log (scripts/bench-report.sh).
#
# /kipc/bench-args holds extra arguments for kipc_bench (make BENCH_ARGS=).

bindir=${KIPC_BINDIR:-/kipc/bin}
args=$(cat /kipc/bench-args 2>/dev/null)

echo "# guest-bench: $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs"
# shellcheck disable=SC2086 # separate words
"$bindir/kipc_bench" -j $args
