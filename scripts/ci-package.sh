#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# CI packaging step: everything a real machine's install goes through,
# checked on this host without loading anything into its kernel.
#
# Usage: scripts/ci-package.sh [--no-guest]
#   --no-guest  skip the last step (the demo in QEMU with the packaged files)
#
#   1. deps: scripts/deps.sh --packaging for 6.12 and 6.1 (headers of both,
#      debhelper, dh-dkms, dkms, lintian, groff, man)
#   2. make man-check: every man page through groff -ww and man -l
#   3. make install DESTDIR=..., the tree it wrote, make uninstall, nothing
#      but directories left
#   4. dpkg-buildpackage -us -uc -b in a copy of the tree (the .debs and the
#      build never touch the checkout), then lintian: no errors allowed
#   5. dkms add/build/install of the packaged /usr/src/kipc-VERSION for the
#      6.12 and 6.1 headers, the devname alias in modules.devname, then
#      dkms remove --all. dkms runs depmod for those kernels; nothing runs
#      modprobe, and neither kernel is the running one.
#   6. make demo-deb: the demo in the QEMU guest with the library and the
#      tool unpacked from the .debs
#
# Prints how long each step took. Needs root (apt, dkms).

set -euo pipefail
cd "$(dirname "$0")/.."

guest=1
case "${1:-}" in
'') ;;
--no-guest) guest= ;;
*)
	echo "usage: $0 [--no-guest]" >&2
	exit 2
	;;
esac

[ "$(id -u)" = 0 ] || {
	echo "ci-package: needs root (apt, dkms)" >&2
	exit 1
}

# The tree's objects are reused by the make check that .ci/run starts next,
# so they are built as it builds them: warnings are errors.
export WERROR=1

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
[ -n "$version" ] || {
	echo "ci-package: no PACKAGE_VERSION in dkms.conf" >&2
	exit 1
}
# One version, written in three places.
make_version=$(sed -n 's/^VERSION := //p' Makefile)
deb_version=$(dpkg-parsechangelog -S Version)
[ "$make_version" = "$version" ] && [ "${deb_version%%-*}" = "$version" ] || {
	echo "ci-package: versions differ: dkms.conf $version, Makefile $make_version, debian/changelog $deb_version" >&2
	exit 1
}
work=$(mktemp -d /tmp/kipc-package.XXXXXX)
dkms_src=/usr/src/kipc-$version
dkms_added=''

t_all=$(date +%s)
t_step=$t_all
times=()
step() {
	local now
	now=$(date +%s)
	[ -n "${cur:-}" ] && times+=("$(printf '%-28s %4ss' "$cur" $((now - t_step)))")
	t_step=$now
	cur=$1
	[ -n "$cur" ] && echo "== ci-package: $cur"
	return 0
}
fail() {
	echo "ci-package: FAILED: $*" >&2
	exit 1
}

cleanup() {
	# Only what this script added: the DKMS registration and its copy of
	# the source, never a kipc someone installed on this host before.
	if [ -n "$dkms_added" ]; then
		dkms remove "kipc/$version" --all >/dev/null 2>&1 || true
		rm -rf "$dkms_src"
	fi
	rm -rf "$work"
}
trap cleanup EXIT

git_status_before=$(git status --porcelain 2>/dev/null || true)

# --- 1 -----------------------------------------------------------------------
step "deps"
scripts/deps.sh --packaging 6.1
scripts/deps.sh --packaging 6.12
krels=()
for meta in linux-headers-6.12-cloud-amd64 linux-headers-cloud-amd64; do
	krels+=("$(dpkg-query -W -f='${Depends}' "$meta" |
		sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')")
done

# --- 2 -----------------------------------------------------------------------
step "man-check"
make man-check

# --- 3 -----------------------------------------------------------------------
step "make install/uninstall"
dest=$work/destdir
make -s install DESTDIR="$dest" >/dev/null
echo "make install DESTDIR=$dest wrote:"
(cd "$dest" && find . -not -type d | LC_ALL=C sort | sed 's|^\./|  /|' |
	awk '/\/man3\// { n3++; if (n3 > 1) next } { print } END { if (n3 > 1) print "  (and " n3 - 1 " more man3 pages)" }')
for f in usr/local/bin/kipc usr/local/lib/libkipc.so.1 usr/local/lib/libkipc-admin.so.1 \
	usr/local/lib/libkipc-posix.so.1 usr/local/share/man/man7/kipc-posix.7 \
	usr/local/lib/pkgconfig/kipc.pc usr/local/include/kipc.h \
	usr/local/include/kipc/linux/kipc.h usr/local/include/kipc/linux/kipc_netlink.h \
	etc/kipc/limits.conf usr/local/share/man/man7/kipc.7 \
	usr/local/share/man/man8/kipc.8 usr/local/share/bash-completion/completions/kipc \
	usr/local/share/zsh/site-functions/_kipc \
	usr/local/share/cargo/registry/kipc-$version/Cargo.toml \
	usr/local/share/cargo/registry/kipc-$version/.cargo-checksum.json \
	usr/lib/udev/rules.d/60-kipc.rules; do
	[ -e "$dest/$f" ] || fail "make install did not write /$f"
done
ls "$dest"/lib/modules/*/updates/kipc.ko >/dev/null || fail "make install wrote no kipc.ko"
ls "$dest"/usr/local/lib/python3.*/dist-packages/kipc/_kipc.*.so >/dev/null ||
	fail "make install wrote no Python package"
# Each library's real file is named after its soname: libkipc.so.1 ->
# libkipc.so.1.x.y, whose SONAME is libkipc.so.1.
for lib in libkipc libkipc-admin libkipc-posix; do
	link=$dest/usr/local/lib/$lib.so.1
	real=$(readlink "$link")
	soname=$(readelf -d "$link" | sed -n 's/.*(SONAME).*\[\(.*\)\]$/\1/p')
	echo "  $lib.so.1 -> $real, SONAME $soname"
	[[ "$real" =~ ^$lib\.so\.1\.[0-9]+\.[0-9]+$ ]] && [ "$soname" = "$lib.so.1" ] ||
		fail "$lib: the real file $real does not match the soname $soname"
done
make -s uninstall DESTDIR="$dest" >/dev/null
left=$(cd "$dest" && find . -not -type d)
[ -z "$left" ] || fail "make uninstall left: $left"
[ ! -e "$dest"/usr/local/include/linux/kipc.h ] || fail "make install wrote include/linux/, which linux-libc-dev owns"
echo "make uninstall DESTDIR=$dest: nothing left but directories"

# --- 4 -----------------------------------------------------------------------
step "dpkg-buildpackage"
src=$work/kipc-$version
mkdir -p "$src"
# What a fresh clone holds (tracked and new, unignored files), as checked out.
git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	tar --null -T - -cf - | tar -xf - -C "$src"
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 || {
	tail -n 40 "$work/build.log"
	fail "dpkg-buildpackage"
}
grep -E '^dpkg-deb: building|warning' "$work/build.log" || true

step "lintian"
lint=$(lintian --fail-on none "$work/kipc_${version}"_*.changes 2>&1 |
	grep -v '^running with root privileges' || true)
[ -n "$lint" ] && printf '%s\n' "$lint"
lint_e=$(printf '%s\n' "$lint" | grep -c '^E: ' || true)
lint_w=$(printf '%s\n' "$lint" | grep -c '^W: ' || true)
echo "lintian: $lint_e errors, $lint_w warnings"
[ "$lint_e" = 0 ] || fail "lintian reported errors"

# --- 5 -----------------------------------------------------------------------
step "dkms build/install"
if dkms status kipc 2>/dev/null | grep -q . || [ -e "$dkms_src" ]; then
	fail "kipc is already known to DKMS or $dkms_src exists; not touching it"
fi
dpkg-deb -x "$work/kipc-dkms_${version}_all.deb" "$work/kipc-dkms"
dkms_added=1
dkms add "$work/kipc-dkms/usr/src/kipc-$version"
for krel in "${krels[@]}"; do
	dkms build "kipc/$version" -k "$krel"
	dkms install "kipc/$version" -k "$krel"
	ko=$(ls /lib/modules/"$krel"/updates/dkms/kipc.ko* 2>/dev/null | head -n1)
	[ -n "$ko" ] || fail "dkms install left no kipc.ko for $krel"
	aliases=$(modinfo -F alias "$ko" | tr '\n' ' ')
	echo "$ko: alias $aliases"
	for want in devname:kipc char-major-10-246; do
		case " $aliases " in *" $want "*) ;; *) fail "$ko lacks the alias $want" ;; esac
	done
	# What kmod static-nodes reads at boot to create /dev/kipc before the
	# module is loaded, so that the first open loads it.
	grep -x 'kipc kipc c10:246' "/lib/modules/$krel/modules.devname" ||
		fail "no kipc line in /lib/modules/$krel/modules.devname"
done
dkms status kipc
dkms remove "kipc/$version" --all
rm -rf "$dkms_src"
dkms_added=''
for krel in "${krels[@]}"; do
	! ls /lib/modules/"$krel"/updates/dkms/kipc.ko* >/dev/null 2>&1 ||
		fail "dkms remove left kipc.ko for $krel"
	! grep -q '^kipc ' "/lib/modules/$krel/modules.devname" ||
		fail "modules.devname of $krel still names kipc"
done
echo "dkms remove --all: no kipc.ko and no devname entry left for ${krels[*]}"

# --- 6 -----------------------------------------------------------------------
if [ -n "$guest" ]; then
	step "demo from the .debs (QEMU)"
	make demo-deb DEBDIR="$work" </dev/null
fi

step ""
[ "$(git status --porcelain 2>/dev/null || true)" = "$git_status_before" ] ||
	fail "the checkout changed: $(git status --porcelain)"
echo "== ci-package: times"
printf '  %s\n' "${times[@]}"
echo "ci-package: ok in $(($(date +%s) - t_all))s"
