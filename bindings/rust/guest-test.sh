#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# rust_test: the kipc crate's cargo test binaries (staged in bin/rust by
# make stage), run in the guest by guest-check.sh as one TAP stream.
#
# libtest prints "test NAME ... ok|FAILED|ignored"; each becomes a TAP
# result named BINARY::NAME, and everything else (the failure reports) a
# "# " comment. The plan comes first, from each binary's --list, so a binary
# that dies midway leaves its unreached tests counted as missing. Tests run
# one at a time: the guest has two slow CPUs, and timing tests would be
# flaky beside each other.
#
# Exit status: 0 if every binary passed, 4 if nothing was built (arm64),
# else 1.

dir=${KIPC_BINDIR:-/kipc/bin}/rust

echo "TAP version 13"
if [ ! -x "$dir/queue" ]; then
	echo "1..0 # SKIP the Rust tests are not cross-built for this architecture"
	exit 4
fi

total=0
for t in "$dir"/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	n=$("$t" --list 2>/dev/null | grep -c ': test$')
	total=$((total + n))
done
echo "1..$total"

rc=0
for t in "$dir"/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	bin=${t##*/}
	{
		KIPC_ABI_TXT=$dir/abi.txt "$t" --test-threads=1 2>&1
		echo "rust-test-exit $?"
	} | awk -v bin="$bin" '
		/^test .* \.\.\. ok$/ { print "ok - " bin "::" $2; next }
		/^test .* \.\.\. FAILED$/ { print "not ok - " bin "::" $2; next }
		/^test .* \.\.\. ignored/ { print "ok - " bin "::" $2 " # SKIP ignored"; next }
		/^rust-test-exit / { st = $2; next }
		{ print "# " $0 }
		END { exit st != 0 }' || rc=1
done
exit $rc
