#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install and cache everything kipc needs to build and to test in QEMU.
#
# Usage: scripts/deps.sh [--print-kdir|--print-kernel|--print-ksrc]
#                        [--packaging] [--arch arm64] [KSERIES]
#   KSERIES  6.12 (default) or 6.1
#   --arch arm64    also the arm64 guest (make check ARCH=arm64): the cross
#                   compiler, Debian's arm64 libraries (multiarch), QEMU for
#                   aarch64, and, unpacked under ~/.cache/kipc/arm64/, the
#                   arm64 cloud kernel of KSERIES, its headers and an arm64
#                   busybox; --print-kdir and --print-kernel then print those
#   --packaging     also what scripts/ci-package.sh needs: debhelper, dh-python,
#                   dh-dkms, dkms, lintian, groff and man
#   --print-kdir    print the kernel headers dir (KDIR for Kbuild)
#   --print-kernel  print the guest kernel image (vmlinuz) for QEMU
#   --print-ksrc    print the unpacked linux-source-6.12 tree
#
# Everything this script says goes to stderr, so that make can capture the
# single line of a --print-* mode with $(shell ...).
#
# When everything is present it runs no apt command at all and finishes in a
# fraction of a second; `make` calls it on every build.

set -euo pipefail

usage() {
	awk 'NR > 3 && !/^#/ { exit } NR > 3 { sub(/^# ?/, ""); print }' "$0" >&2
	exit 2
}

print=
kseries=6.12
packaging=
arch=
while [ $# -gt 0 ]; do
	case "$1" in
	--print-kdir) print=kdir ;;
	--print-kernel) print=kernel ;;
	--print-ksrc) print=ksrc ;;
	--packaging) packaging=1 ;;
	--arch)
		[ $# -ge 2 ] || usage
		arch=$2
		shift
		;;
	-h | --help) usage ;;
	6.12 | 6.1) kseries=$1 ;;
	*)
		echo "deps.sh: unknown argument '$1'" >&2
		usage
		;;
	esac
	shift
done

# Debian replaces old ABI versions, so the exact one is always resolved through
# these meta packages and never written down anywhere. 6.1 is bookworm's own
# series (the minimum kipc supports); 6.12 is the newer LTS that bookworm
# ships through bookworm-security.
case "$kseries" in
6.12) headers_meta=linux-headers-6.12-cloud-amd64 ;;
6.1) headers_meta=linux-headers-cloud-amd64 ;;
esac

# The 6.12 headers package Depends on the matching linux-image package (6.1's
# does not), so apt also drops a kernel into /boot and may run its hooks. That
# is accepted: the host never boots it, and module code never gets near the
# host kernel. The guest kernel is a separate, unpacked copy in the cache.
# pahole (make check's uapi layout check) is built from Debian's dwarves
# source; in bookworm the package "dwarves" is only a transitional one that
# depends on it, so the real package is named here.
pkgs=(build-essential gcc make pkg-config cpio xz-utils kmod qemu-system-x86
	busybox-static libnl-genl-3-dev libnl-3-dev libsmartcols-dev
	linux-source-6.12 python3-yaml python3-jsonschema sparse pahole
	# the Python package (bindings/python) and its tests in the guest
	python3-dev python3-pytest
	"$headers_meta"
	# kipc top under tmux in the guest (scripts/stage-tmux.sh); zsh -n on
	# the zsh completion the build prints (tools/tools.mk)
	tmux zsh
	# the Rust crate (bindings/rust): Debian's cargo and rustc, and the
	# packaged crates it builds from offline (/usr/share/cargo/registry)
	cargo librust-libc-dev
	# the plots of make bench (scripts/bench-plot.py)
	gnuplot-nox
	# the Tier B kernel build (scripts/debug-kernel.sh)
	flex bison bc libelf-dev)
# Only for building and checking the packages: make check needs none of it.
[ -n "$packaging" ] && pkgs+=(dpkg-dev debhelper dh-dkms dh-python dkms lintian groff-base man-db)

ksrc_pkg=linux-source-6.12
ksrc_tarball=/usr/src/linux-source-6.12.tar.xz

# CI environments do not always export HOME.
home=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
cache=${XDG_CACHE_HOME:-$home/.cache}/kipc

log() { echo "deps: $*" >&2; }
die() {
	echo "deps: error: $*" >&2
	exit 1
}

export DEBIAN_FRONTEND=noninteractive

# apt-get update is slow and touches the network, so it runs at most once per
# invocation and only when something actually has to be fetched.
apt_updated=
apt_update_once() {
	[ -n "$apt_updated" ] && return 0
	log "apt-get update"
	apt-get update -q >&2
	apt_updated=1
}

ensure_packages() {
	local missing=() p status
	# One dpkg-query for all packages: it is cheap, but a fork per package
	# adds up on every make invocation. Unknown packages make it exit 1
	# and print nothing for them, which reads as "missing" below.
	status=$(dpkg-query -W -f='${Package} ${Status}\n' "${pkgs[@]}" 2>/dev/null || true)
	for p in "${pkgs[@]}"; do
		# A here-string, not a pipe: grep -q exits at the first match, and
		# under pipefail the SIGPIPE of the writer would read as "missing".
		if ! grep -qxF "$p install ok installed" <<<"$status"; then
			missing+=("$p")
		fi
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]} (run as root to install)"
	log "installing: ${missing[*]}"
	apt_update_once
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# Print the ABI release (e.g. 6.12.117+deb12-cloud-amd64) and the Debian
# version of the headers package the meta package currently points at.
resolve_krel() {
	local dep
	dep=$(dpkg-query -W -f='${Depends}' "$headers_meta") ||
		die "cannot query $headers_meta"
	# "linux-headers-6.12.117+deb12-cloud-amd64 (= 6.12.117-1~deb12u1)"
	dep=${dep%%,*}
	krel=$(printf '%s\n' "$dep" | sed -n 's/^ *linux-headers-\([^ ]*\).*$/\1/p')
	kver=$(printf '%s\n' "$dep" | sed -n 's/.*(= *\([^)]*\)).*/\1/p')
	[ -n "$krel" ] || die "cannot parse Depends of $headers_meta: '$dep'"
	case "$krel" in
	"$kseries".*) ;;
	*) die "$headers_meta resolves to $krel, not a $kseries kernel" ;;
	esac
	[ -d "/usr/src/linux-headers-$krel" ] ||
		die "/usr/src/linux-headers-$krel is missing (is linux-headers-$krel installed?)"
}

# The guest kernel is fetched and unpacked, never installed: installing it
# would run hooks, update the bootloader and could pull in other images.
ensure_kernel_image() {
	local kdir="$cache/kernel/$krel" dl="$cache/dl" pkg deb tmp f

	[ -f "$kdir/boot/vmlinuz-$krel" ] && return 0

	pkg="linux-image-$krel"
	mkdir -p "$dl"
	deb=
	for f in "$dl/${pkg}_"*_amd64.deb; do
		[ -f "$f" ] || continue
		if [ -z "$kver" ] || [ "$(dpkg-deb -f "$f" Version)" = "$kver" ]; then
			deb=$f
		fi
	done
	if [ -z "$deb" ]; then
		local spec="$pkg${kver:+=$kver}"
		log "downloading $spec"
		# apt-get download writes into the current directory. As root
		# it warns that the _apt sandbox user cannot write there;
		# that is harmless.
		if ! (cd "$dl" && apt-get download -q "$spec" >&2); then
			[ -n "$apt_updated" ] && die "cannot download $spec"
			apt_update_once
			(cd "$dl" && apt-get download -q "$spec" >&2) ||
				die "cannot download $spec"
		fi
		for f in "$dl/${pkg}_"*_amd64.deb; do
			[ -f "$f" ] && deb=$f
		done
		[ -n "$deb" ] || die "apt-get download left no $pkg .deb in $dl"
	fi

	log "unpacking $(basename "$deb") into $kdir"
	mkdir -p "$cache/kernel"
	rm -rf "$cache/kernel/.$krel".*
	tmp=$(mktemp -d "$cache/kernel/.$krel.XXXXXX")
	# Unpack aside and rename, so an interrupted run never leaves a
	# half-unpacked tree that the check above would take for complete.
	if ! dpkg -x "$deb" "$tmp"; then
		rm -rf "$tmp"
		die "dpkg -x $deb failed"
	fi
	[ -f "$tmp/boot/vmlinuz-$krel" ] || {
		rm -rf "$tmp"
		die "$deb has no boot/vmlinuz-$krel"
	}
	rm -rf "$kdir"
	mv -T "$tmp" "$kdir"
}

# The linux-source tree provides kselftest_harness.h, checkpatch.pl, YNL and
# the source of the Tier B debug kernel. It is unpacked once per Debian
# version; the stable symlink lets the Makefile name it without the version.
ensure_linux_source() {
	local sver dir stamp link tmp aside

	sver=$(dpkg-query -W -f='${Version}' "$ksrc_pkg") ||
		die "cannot query $ksrc_pkg"
	dir="$cache/linux-source-$sver"
	stamp="$dir/.kipc-unpacked"
	link="$cache/linux-source-6.12"

	if [ ! -f "$stamp" ]; then
		[ -f "$ksrc_tarball" ] || die "$ksrc_tarball is missing"
		log "unpacking $ksrc_tarball into $dir (about 10 s)"
		# Leftovers of an interrupted run (we hold the lock, so they
		# are nobody else's).
		rm -rf "$dir" "$cache"/.linux-source.*
		tmp=$(mktemp -d "$cache/.linux-source.XXXXXX")
		if ! tar -C "$tmp" -xJf "$ksrc_tarball"; then
			rm -rf "$tmp"
			die "cannot unpack $ksrc_tarball"
		fi
		[ -d "$tmp/linux-source-6.12" ] || {
			rm -rf "$tmp"
			die "$ksrc_tarball has no linux-source-6.12/ top directory"
		}
		mv -T "$tmp/linux-source-6.12" "$dir"
		rmdir "$tmp"
		# Written last: its presence means the tree is complete.
		echo "$sver" >"$stamp"
	fi

	if [ "$(readlink "$link" 2>/dev/null || true)" != "linux-source-$sver" ]; then
		# An older layout kept a plain directory at the link's name.
		# Move it aside first: `ln -sfn` onto a real directory would
		# create the link inside it.
		if [ -d "$link" ] && [ ! -L "$link" ]; then
			aside=$(mktemp -d "$cache/.old-linux-source.XXXXXX")
			mv "$link" "$aside/"
			rm -rf "$aside"
		fi
		# Rename over the old link so readers never see it missing.
		ln -sfn "linux-source-$sver" "$link.tmp.$$"
		mv -T "$link.tmp.$$" "$link"
	fi
	ksrc=$link
}

# --- arm64 (--arch arm64: make check ARCH=arm64) -------------------------------
# The cross compiler, QEMU for aarch64 and Debian's arm64 libraries through
# multiarch; the arm64 kernel, its headers and busybox are fetched and
# unpacked under $cache/arm64/, never installed (busybox-static:arm64 would
# replace the host's, which the x86 guests use).
arm64_pkgs=(qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
	libc6-dev-arm64-cross libnl-3-dev:arm64 libnl-genl-3-dev:arm64
	libsmartcols-dev:arm64)

ensure_arm64_packages() {
	local missing=() p

	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		[ "$(id -u)" = 0 ] || die "dpkg does not know arm64 (run as root: dpkg --add-architecture arm64)"
		log "dpkg --add-architecture arm64"
		dpkg --add-architecture arm64
		# The lists fetched so far have no arm64 packages.
		apt_updated=
	fi
	# One query per package: with both architectures installed, an
	# unqualified name has two instances, and only the qualified ones say
	# which is which.
	for p in "${arm64_pkgs[@]}"; do
		[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" = "ii " ] ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]} (run as root to install)"
	log "installing: ${missing[*]}"
	apt_update_once
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# apt-get download PKG=VERSION for arm64 into $cache/dl, unless a .deb of that
# version is there already; prints the .deb's path.
arm64_download() {
	local pkg=$1 ver=$2 dl="$cache/dl" f deb=''

	mkdir -p "$dl"
	for f in "$dl/${pkg}_"*_arm64.deb; do
		[ -f "$f" ] && [ "$(dpkg-deb -f "$f" Version)" = "$ver" ] && deb=$f
	done
	if [ -z "$deb" ]; then
		log "downloading $pkg:arm64=$ver"
		if ! (cd "$dl" && apt-get download -q "$pkg:arm64=$ver" >&2); then
			[ -n "$apt_updated" ] && die "cannot download $pkg:arm64=$ver"
			apt_update_once
			(cd "$dl" && apt-get download -q "$pkg:arm64=$ver" >&2) ||
				die "cannot download $pkg:arm64=$ver"
		fi
		for f in "$dl/${pkg}_"*_arm64.deb; do
			[ -f "$f" ] && [ "$(dpkg-deb -f "$f" Version)" = "$ver" ] && deb=$f
		done
		[ -n "$deb" ] || die "apt-get download left no $pkg .deb in $dl"
	fi
	echo "$deb"
}

# The arm64 cloud kernel of $kseries: its ABI resolved through the arm64 meta
# package (apt's lists, as for amd64 through the installed one), then the
# image, the headers and busybox unpacked into $cache/arm64/<release>/, with
# the links kdir, vmlinuz and busybox there, and $cache/arm64/$kseries
# pointing at it. The headers' scripts/ and tools/ link to the host's
# linux-kbuild-<ABI> and their Makefile includes linux-headers-<ABI>-common,
# both of the host's architecture: installed here if the amd64 headers did
# not bring that same version.
ensure_arm64() {
	local meta dep rel ver abi tmp bbver deb link

	ensure_arm64_packages
	case "$kseries" in
	6.12) meta=linux-headers-6.12-cloud-arm64 ;;
	6.1) meta=linux-headers-cloud-arm64 ;;
	esac
	dep=$(apt-cache show --no-all-versions "$meta:arm64" 2>/dev/null |
		sed -n 's/^Depends: //p' | head -n1)
	if [ -z "$dep" ] && [ -z "$apt_updated" ]; then
		apt_update_once
		dep=$(apt-cache show --no-all-versions "$meta:arm64" 2>/dev/null |
			sed -n 's/^Depends: //p' | head -n1)
	fi
	dep=${dep%%,*}
	rel=$(printf '%s\n' "$dep" | sed -n 's/^ *linux-headers-\([^ ]*\).*$/\1/p')
	ver=$(printf '%s\n' "$dep" | sed -n 's/.*(= *\([^)]*\)).*/\1/p')
	if [ -z "$rel" ] || [ -z "$ver" ]; then
		die "cannot resolve $meta:arm64 (Depends: '$dep')"
	fi
	case "$rel" in
	"$kseries".*-cloud-arm64) ;;
	*) die "$meta:arm64 resolves to $rel, not a $kseries arm64 kernel" ;;
	esac
	abi=${rel%-cloud-arm64}
	arm64_dir=$cache/arm64/$rel

	if [ ! -d "/usr/lib/linux-kbuild-$abi" ] || [ ! -d "/usr/src/linux-headers-$abi-common" ]; then
		pkgs=("linux-kbuild-$abi" "linux-headers-$abi-common")
		ensure_packages
	fi

	if [ ! -f "$arm64_dir/.kipc-unpacked" ]; then
		bbver=$(apt-cache show --no-all-versions busybox-static:arm64 2>/dev/null |
			sed -n 's/^Version: //p' | head -n1)
		[ -n "$bbver" ] || die "apt knows no busybox-static:arm64"
		mkdir -p "$cache/arm64"
		rm -rf "$cache/arm64/.$rel".*
		tmp=$(mktemp -d "$cache/arm64/.$rel.XXXXXX")
		for deb in "$(arm64_download "linux-image-$rel" "$ver")" \
			"$(arm64_download "linux-headers-$rel" "$ver")" \
			"$(arm64_download busybox-static "$bbver")"; do
			log "unpacking $(basename "$deb") into $arm64_dir"
			dpkg -x "$deb" "$tmp" || {
				rm -rf "$tmp"
				die "dpkg -x $deb failed"
			}
		done
		if [ ! -f "$tmp/boot/vmlinuz-$rel" ] || [ ! -f "$tmp/bin/busybox" ] ||
			[ ! -f "$tmp/usr/src/linux-headers-$rel/Makefile" ]; then
			rm -rf "$tmp"
			die "the arm64 packages lack vmlinuz, busybox or the headers"
		fi
		# The headers' relative links to ../../lib/linux-kbuild-<ABI>
		# must reach the host's.
		mkdir -p "$tmp/usr/lib"
		ln -s "/usr/lib/linux-kbuild-$abi" "$tmp/usr/lib/linux-kbuild-$abi"
		ln -s "usr/src/linux-headers-$rel" "$tmp/kdir"
		ln -s "boot/vmlinuz-$rel" "$tmp/vmlinuz"
		ln -s bin/busybox "$tmp/busybox"
		# Written last: its presence means the tree is complete.
		echo "$ver" >"$tmp/.kipc-unpacked"
		rm -rf "$arm64_dir"
		mv -T "$tmp" "$arm64_dir"
	fi

	link=$cache/arm64/$kseries
	if [ "$(readlink "$link" 2>/dev/null || true)" != "$rel" ]; then
		ln -sfn "$rel" "$link.tmp.$$"
		mv -T "$link.tmp.$$" "$link"
	fi
	arm64_dir=$link
}

# make -j may start several of us at once; unpacking the same trees in
# parallel would trip over each other's renames.
mkdir -p "$cache"
exec 9>"$cache/.deps.lock"
flock 9

ensure_packages
krel='' kver=''
resolve_krel
ensure_kernel_image
ksrc=''
ensure_linux_source

case "$arch" in
'' | amd64 | x86_64) ;;
arm64)
	ensure_arm64
	case "$print" in
	kdir) echo "$arm64_dir/kdir" ;;
	kernel) echo "$arm64_dir/vmlinuz" ;;
	ksrc) echo "$ksrc" ;;
	*) log "ok (arm64): headers $arm64_dir/kdir, kernel $arm64_dir/vmlinuz, busybox $arm64_dir/busybox" ;;
	esac
	exit 0
	;;
*) die "unknown --arch '$arch' (arm64 is the only other one)" ;;
esac

case "$print" in
kdir) echo "/usr/src/linux-headers-$krel" ;;
kernel) echo "$cache/kernel/$krel/boot/vmlinuz-$krel" ;;
ksrc) echo "$ksrc" ;;
*) log "ok: headers /usr/src/linux-headers-$krel, kernel $cache/kernel/$krel/boot/vmlinuz-$krel, source $ksrc" ;;
esac
