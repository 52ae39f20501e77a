#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build kipc.ko (W=1, -Werror; built, never loaded) against every kernel
# whose headers are at hand: Debian 12's cloud-amd64 headers on the host
# (6.1 and 6.12 from `make deps`, `make deps KSERIES=6.1`), and those
# installed in the sid chroot (scripts/sid-chroot.sh: sid's newest, and
# trixie-backports' newest, which scripts/sid-chroot.sh --other-headers
# installs). Debian ships no other series today (checked 2026-12-07: 6.1 in
# bookworm, 6.12 in bookworm-security and trixie, 7.2 in sid and forky,
# 7.3 in trixie-backports, 7.3-rc in experimental).
#
# Usage: scripts/build-kernels.sh OUTDIR
#
# Each kernel gets its own copy of the module's sources under OUTDIR, so
# the tree's own kipc.ko and objects are left alone. One line per kernel,
# then "build-kernels: N built, N failed"; the exit status is non-zero if
# any build failed or none was found.

set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

out=${1:?usage: scripts/build-kernels.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
mapfile -t files < <(find kmod -name '*.[ch]' | LC_ALL=C sort)
files=(Kbuild "${files[@]}")

built=0 failed=0
# $1: label (release), $2: headers dir as the build sees it, $3: "sid" to
# build in the chroot.
build_one() {
	local krel=$1 kdir=$2 where=$3 dir=$out/$1 rc=0 ver
	rm -rf "$dir"
	mkdir -p "$dir"
	cp --parents "${files[@]}" "$dir/"
	if [ "$where" = sid ]; then
		(cd "$dir" && "$OLDPWD/scripts/sid-chroot.sh" --make -C "$kdir" \
			M="$dir" W=1 KCFLAGS=-Werror modules) >"$dir/build.log" 2>&1 || rc=$?
	else
		make -C "$kdir" M="$dir" W=1 KCFLAGS=-Werror modules \
			>"$dir/build.log" 2>&1 || rc=$?
	fi
	if [ "$rc" = 0 ] && [ -f "$dir/kipc.ko" ]; then
		ver=$(modinfo -F vermagic "$dir/kipc.ko" | cut -d' ' -f1)
		echo "ok    $krel (kipc.ko for $ver)"
		built=$((built + 1))
	else
		echo "FAIL  $krel (log: $dir/build.log)"
		grep -E 'error:|ERROR:' "$dir/build.log" | head -n 20 | sed 's/^/      /'
		failed=$((failed + 1))
	fi
}

for kdir in /usr/src/linux-headers-*-cloud-amd64; do
	[ -f "$kdir/Makefile" ] || continue
	build_one "${kdir#/usr/src/linux-headers-}" "$kdir" host
done

sidroot=$(scripts/sid-chroot.sh --print-kdir)
if [ -n "$sidroot" ]; then
	for kdir in "$(dirname "$sidroot")"/linux-headers-*-cloud-amd64; do
		[ -f "$kdir/Makefile" ] || continue
		build_one "${kdir##*/linux-headers-}" "/usr/src/${kdir##*/}" sid
	done
else
	echo "# build-kernels: no sid chroot (make deps KSERIES=sid): sid's kernels not built"
fi

echo "build-kernels: $built built, $failed failed"
[ "$failed" = 0 ] && [ "$built" -gt 0 ]
