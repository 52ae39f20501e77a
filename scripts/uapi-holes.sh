#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# No implicit hole and no tail padding in any struct of the uapi header:
# such bytes are neither input nor output, so the kernel could leak through
# them, and their layout may differ between ABIs. Every gap must be an
# explicit __reserved field.
#
# Usage: scripts/uapi-holes.sh UAPI_HEADER OUTDIR
#
# Compiles an object that includes the header with every type kept in its
# debug info, runs pahole over it and fails on any hole or padding that
# pahole reports. Prints one line saying what it checked.

set -euo pipefail

hdr=$1
out=$2

fail() {
	echo "uapi-holes: FAIL: $*"
	exit 1
}

command -v pahole >/dev/null ||
	fail "pahole is not installed (Debian: dwarves/pahole; run 'make deps')"
mkdir -p "$out"
printf '#include "%s"\n' "$(realpath "$hdr")" >"$out/uapi-layout.c"
# The header includes its siblings as <linux/...>.
${CC:-cc} -g -fno-eliminate-unused-debug-types \
	-I "$(dirname "$(realpath "$hdr")")/.." -c \
	-o "$out/uapi-layout.o" "$out/uapi-layout.c"
pahole "$out/uapi-layout.o" >"$out/uapi-layout.txt"

# pahole must have seen every struct and union the header defines.
want=$(grep -cE '^(struct|union) [a-z_0-9]+ \{' "$hdr" || true)
seen=$(grep -cE '^(struct|union) [a-z_0-9]+ \{' "$out/uapi-layout.txt" || true)
[ "$want" -gt 0 ] || fail "no struct found in $hdr"
[ "$seen" -ge "$want" ] ||
	fail "pahole saw $seen of the $want structs and unions of $hdr"

bad=$(awk '/^(struct|union) / { name = $1 " " $2 }
	/XXX|hole|padding:/ { print name ": " $0 }' "$out/uapi-layout.txt")
if [ -n "$bad" ]; then
	echo "uapi-holes: FAIL: implicit holes or padding in $hdr:"
	printf '%s\n' "$bad"
	exit 1
fi
echo "uapi-holes: $seen structs and unions of $(basename "$hdr"), no hole and no padding (pahole)"
