#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The newest kernel tier (KSERIES=sid): a Debian unstable chroot with gcc-16
# and the headers of sid's newest cloud-amd64 kernel, and that kernel's
# vmlinuz for the guest. Debian 12's own gcc and C library are too old for
# those headers, so only the module is built in the chroot; the library, the
# tool and the tests stay built on the host.
#
# Usage: scripts/sid-chroot.sh [--print-krel|--print-kdir|--print-kernel]
#        scripts/sid-chroot.sh --other-headers
#        scripts/sid-chroot.sh --make ARG...
#   (none)          make the chroot and fetch the kernel when missing
#   --print-krel    the kernel release (7.2.13+deb14-cloud-amd64)
#   --print-kdir    the headers' directory, as seen from the host
#   --print-kernel  the guest kernel image (vmlinuz) for QEMU
#   --other-headers also install trixie-backports' newest headers (below)
#   --make ARG...   run make ARG... in the chroot, in the current directory
#                   (bind-mounted at the same path), with /proc mounted
#
# The chroot lives in ~/.cache/kipc/chroot/sid and is made once, by
# debootstrap from Debian's archive, only when it is missing (or was left
# half-made). The release is looked up in sid, through the meta package
# linux-headers-cloud-amd64, when the chroot is made; if that fails, the
# last release known to work (FALLBACK_KREL below) is used. Remove the
# directory to follow sid to a newer kernel. Cold, it takes about 4 minutes
# on 2 busy CPUs (debootstrap is most of it); warm, nothing at all.

set -euo pipefail

FALLBACK_KREL=7.2.13+deb14-cloud-amd64
MIRROR=${KIPC_SID_MIRROR:-http://deb.debian.org/debian}
PKGS=gcc-16,make,libelf-dev,bc,bison,flex,kmod,ca-certificates

home=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
cache=${XDG_CACHE_HOME:-$home/.cache}/kipc
root=$cache/chroot/sid
stamp=$root/.kipc-krel

log() { echo "sid-chroot: $*" >&2; }
die() {
	echo "sid-chroot: error: $*" >&2
	exit 1
}
usage() {
	awk 'NR > 3 && !/^#/ { exit } NR > 3 { sub(/^# ?/, ""); print }' "$0" >&2
	exit 2
}

export DEBIAN_FRONTEND=noninteractive

# Run COMMAND... in the chroot with /proc mounted (7.2's objtool reads
# /proc: "read_stack_limit: fopen failed" otherwise), and with BIND, when
# given, bind-mounted at its own path. Both are unmounted again however the
# command ends.
mounts=()
unmount_all() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" || true
	done
	mounts=()
}
in_chroot() {
	local bind=$1 rc=0
	shift
	trap unmount_all EXIT INT TERM
	mount -t proc proc "$root/proc"
	mounts+=("$root/proc")
	if [ -n "$bind" ]; then
		mkdir -p "$root$bind"
		mount --bind "$bind" "$root$bind"
		mounts+=("$root$bind")
	fi
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		"$@" || rc=$?
	unmount_all
	trap - EXIT INT TERM
	return $rc
}

# The newest cloud-amd64 release in sid: what its meta package depends on.
lookup_krel() {
	in_chroot "" apt-cache depends linux-headers-cloud-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-headers-\([0-9][^ ]*-cloud-amd64\)$/\1/p' |
		head -n1
}

make_chroot() {
	local tmp krel
	command -v debootstrap >/dev/null ||
		apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends debootstrap >&2
	mkdir -p "$cache/chroot"
	# debootstrap's tree is renamed into place only when complete; what
	# follows it is redone as a whole if it was interrupted.
	if [ ! -f "$root/.kipc-debootstrapped" ]; then
		[ -d "$root" ] && {
			log "removing the incomplete chroot $root"
			rm -rf --one-file-system "$root"
		}
		log "debootstrap sid into $root (a few minutes)"
		tmp=$cache/chroot/.sid.$$
		rm -rf --one-file-system "$tmp"
		debootstrap --variant=minbase --include="$PKGS" sid "$tmp" "$MIRROR" >&2 ||
			die "debootstrap failed (log: $tmp/debootstrap/debootstrap.log)"
		touch "$tmp/.kipc-debootstrapped"
		mv -T "$tmp" "$root"
	fi
	# The mirror may serve a Release file older than its Valid-Until (a
	# frozen mirror, or a build machine whose clock is ahead): apt then
	# refuses it as expired. The signature is still checked; only the
	# freshness is not, which costs nothing here: the chroot only builds.
	echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99kipc"
	in_chroot "" apt-get update -q >&2 || die "apt-get update in the chroot failed"
	krel=$(lookup_krel || true)
	if [ -z "$krel" ]; then
		log "cannot look up sid's newest kernel; using $FALLBACK_KREL"
		krel=$FALLBACK_KREL
	fi
	log "headers of $krel"
	in_chroot "" apt-get install -y -q --no-install-recommends \
		"linux-headers-$krel" >&2 || die "cannot install linux-headers-$krel"
	in_chroot "" apt-get clean
	# Written last: its presence means the chroot is complete.
	echo "$krel" >"$stamp"
}

# From 7.x Debian's linux-image-* is a meta package; the kernel itself is in
# linux-binary-<release>, at usr/lib/modules/<release>/vmlinuz.
fetch_kernel() {
	local krel=$1 kdir=$cache/kernel/$1 tmp deb
	[ -f "$kdir/vmlinuz" ] && return 0
	log "fetching linux-binary-$krel"
	rm -rf "$root/tmp/kipc-dl"
	mkdir -p "$root/tmp/kipc-dl"
	in_chroot "" sh -c "cd /tmp/kipc-dl && apt-get download -q linux-binary-$krel" >&2 ||
		die "cannot download linux-binary-$krel"
	deb=$(ls "$root"/tmp/kipc-dl/linux-binary-*.deb)
	mkdir -p "$cache/kernel"
	tmp=$(mktemp -d "$cache/kernel/.$krel.XXXXXX")
	dpkg -x "$deb" "$tmp" || {
		rm -rf "$tmp"
		die "dpkg -x $deb failed"
	}
	rm -rf "$root/tmp/kipc-dl"
	[ -f "$tmp/usr/lib/modules/$krel/vmlinuz" ] || {
		rm -rf "$tmp"
		die "linux-binary-$krel has no usr/lib/modules/$krel/vmlinuz"
	}
	mv "$tmp/usr/lib/modules/$krel/vmlinuz" "$tmp/vmlinuz"
	rm -rf "$kdir"
	mv -T "$tmp" "$kdir"
}

# --other-headers: the newest cloud-amd64 headers of trixie-backports too
# (Debian 13's newer kernels, ahead of sid at times: 7.3 beside sid's 7.2
# today), with the compiler they name; for make build-kernels only.
other_headers() {
	local krel
	cat >"$root/etc/apt/sources.list.d/kipc-other.sources" <<-EOF
		Types: deb
		URIs: $MIRROR
		Suites: trixie-backports
		Components: main
	EOF
	in_chroot "" apt-get update -q >&2 || die "apt-get update in the chroot failed"
	krel=$(in_chroot "" apt-cache depends linux-headers-cloud-amd64/trixie-backports 2>/dev/null |
		sed -n 's/^ *Depends: linux-headers-\([0-9][^ ]*-cloud-amd64\)$/\1/p' | head -n1)
	[ -n "$krel" ] || die "cannot look up trixie-backports' newest kernel"
	[ -f "$root/usr/src/linux-headers-$krel/Makefile" ] && return 0
	log "headers of $krel (trixie-backports)"
	in_chroot "" apt-get install -y -q --no-install-recommends \
		"linux-headers-$krel" >&2 || die "cannot install linux-headers-$krel"
	in_chroot "" apt-get clean
}

mode=ensure
case "${1:-}" in
--other-headers) mode=other ;;
--print-krel) mode=krel ;;
--print-kdir) mode=kdir ;;
--print-kernel) mode=kernel ;;
--make)
	mode="make"
	shift
	;;
-h | --help) usage ;;
"") ;;
*)
	echo "sid-chroot.sh: unknown argument '$1'" >&2
	usage
	;;
esac

# The --print modes only read the cache: make evaluates them on every run.
if [ "$mode" = krel ] || [ "$mode" = kdir ] || [ "$mode" = kernel ]; then
	[ -f "$stamp" ] || exit 0
	krel=$(cat "$stamp")
	case "$mode" in
	krel) echo "$krel" ;;
	kdir) echo "$root/usr/src/linux-headers-$krel" ;;
	kernel) echo "$cache/kernel/$krel/vmlinuz" ;;
	esac
	exit 0
fi

[ "$(id -u)" = 0 ] || die "debootstrap, chroot and mount need root"
mkdir -p "$cache/chroot"
exec 9>"$cache/chroot/.sid.lock"
flock 9

[ -f "$stamp" ] || make_chroot
krel=$(cat "$stamp")
fetch_kernel "$krel"

if [ "$mode" = other ]; then
	other_headers
	exit
fi
if [ "$mode" = make ]; then
	# shellcheck disable=SC2016 # expanded by the inner shell
	in_chroot "$PWD" sh -c 'cd "$1" && shift && exec make "$@"' sh "$PWD" "$@"
	exit
fi
log "ok: headers $root/usr/src/linux-headers-$krel, kernel $cache/kernel/$krel/vmlinuz"
