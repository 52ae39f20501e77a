#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build (once) the Tier B debug kernel: linux-source-6.12, tinyconfig plus
# scripts/debug-kernel.config, into a cache entry keyed by a hash of the
# fragment and of the source version.
#
# Usage: scripts/debug-kernel.sh [--print-dir|--print-kernel] [-jN]
#   --print-dir     only print the build tree (O=, KDIR for kipc.ko)
#   --print-kernel  only print the bzImage
#   -jN             make jobs (default: the number of CPUs)
#
# Without --print-*, builds what is missing and prints the build tree. A
# complete entry has a .kipc-complete stamp, written last; with it present
# the script does nothing. An interrupted build resumes (make is incremental).
# Needs scripts/deps.sh to have unpacked the source.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fragment=$here/debug-kernel.config

usage() {
	awk 'NR > 3 && !/^#/ { exit } NR > 3 { sub(/^# ?/, ""); print }' "$0" >&2
	exit 2
}

print='' jobs=$(nproc)
while [ $# -gt 0 ]; do
	case "$1" in
	--print-dir) print=dir ;;
	--print-kernel) print=kernel ;;
	-j[0-9]*) jobs=${1#-j} ;;
	-h | --help) usage ;;
	*)
		echo "debug-kernel.sh: unknown argument '$1'" >&2
		usage
		;;
	esac
	shift
done

log() { echo "debug-kernel: $*" >&2; }
die() {
	echo "debug-kernel: error: $*" >&2
	exit 1
}

home=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
cache=${XDG_CACHE_HOME:-$home/.cache}/kipc
ksrc=${KSRC:-$cache/linux-source-6.12}
[ -f "$ksrc/Makefile" ] || die "no kernel source at $ksrc (run scripts/deps.sh)"
sver=$(cat "$ksrc/.kipc-unpacked" 2>/dev/null || make -s -C "$ksrc" kernelversion)

key=$({
	cat "$fragment"
	echo "source $sver"
	gcc --version | head -n1
} | sha256sum | cut -c1-16)
out=$cache/debug-kernel/$key
stamp=$out/.kipc-complete
image=$out/arch/x86/boot/bzImage

case "$print" in
dir)
	echo "$out"
	exit 0
	;;
kernel)
	echo "$image"
	exit 0
	;;
esac

mkdir -p "$cache/debug-kernel"
exec 9>"$cache/debug-kernel/.lock"
flock 9

if [ -f "$stamp" ] && [ -f "$image" ] && [ -f "$out/Module.symvers" ]; then
	log "cached: $out"
	echo "$out"
	exit 0
fi

# Every option the fragment asks for, as "CONFIG_X=y" or "# CONFIG_X is not
# set", must be in the final .config exactly so: Kconfig silently drops
# what a missing dependency forbids.
verify_config() {
	local want bad=0
	while IFS= read -r want; do
		grep -qxF "$want" "$out/.config" && continue
		log "not in the final .config: '$want' (have: $(grep -E "(^| )${want#\# }" "$out/.config" |
			head -n1 || true))"
		bad=1
	done < <(grep -E '^CONFIG_[A-Z0-9_]+=|^# CONFIG_[A-Z0-9_]+ is not set' "$fragment")
	[ $bad = 0 ] || die "the fragment does not hold; fix scripts/debug-kernel.config"
}

t0=$(date +%s)
mkdir -p "$out"
kmake() { nice -n 5 make -C "$ksrc" O="$out" ARCH=x86_64 "$@"; }

# The configuration is made again only when this entry has none yet
# (olddefconfig of the same inputs is idempotent, and touching .config would
# make the resumed build start over).
if [ ! -f "$out/.config" ] || [ ! -f "$out/.kipc-configured" ]; then
	log "configuring $out (linux-source $sver)"
	kmake -s tinyconfig >&2
	KCONFIG_CONFIG=$out/.config "$ksrc/scripts/kconfig/merge_config.sh" \
		-m -O "$out" "$out/.config" "$fragment" >&2
	kmake -s olddefconfig >&2
	verify_config
	touch "$out/.kipc-configured"
fi
verify_config

log "building bzImage and modules in $out with -j$jobs (about 11 min on 2 CPUs)"
kmake -s -j"$jobs" bzImage modules >&2
kmake -s -j"$jobs" modules_prepare >&2
[ -f "$image" ] || die "no $image after the build"
[ -f "$out/Module.symvers" ] || die "no Module.symvers after the build"
log "built in $(($(date +%s) - t0))s"
date -u +%FT%TZ >"$stamp"
echo "$out"
