#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot a kernel in QEMU (TCG, no KVM) with an initramfs holding kipc.ko and a
# staged tree, run one guest script, and judge the run.
#
# Usage:
#   selftests/qemu/run.sh --kernel VMLINUZ --ko PATH/kipc.ko --root STAGEDIR
#       --cmd GUEST_SCRIPT [--mode check|debug|demo|bench] [--timeout SECS]
#       [--append "extra cmdline"] [--insmod-args "param=value ..."]
#       [--out OUTDIR] [--libdir GUESTDIR] [--arch x86_64|arm64]
#       [--busybox PATH]
#
#   STAGEDIR      copied as-is to /kipc in the guest (bin/, lib/, ...)
#   GUEST_SCRIPT  path inside the guest, run after insmod, e.g.
#                 /kipc/bin/guest-check.sh; it sees KIPC_MODE in its env
#   --mode        check (default): tally TAP, last line "N passed, N failed,
#                 N skipped"; debug: as check, for the Tier B kernel (make
#                 check-debug): tests run their long budgets and kmemleak
#                 also scans before rmmod; bench: as check, without the
#                 debug options on the kernel command line; demo: show
#                 output, no tally
#   --timeout     hard limit for the whole QEMU run (default 1200, bench and
#                 debug 3600; a loaded host runs the guest slowly)
#   --out         where initramfs and logs go (default build/qemu):
#                 console.log (ttyS0, kernel console), results.log (ttyS1)
#   --libdir      the guest's LD_LIBRARY_PATH, a directory under /kipc
#                 (default /kipc/lib), e.g. /kipc/usr/lib/x86_64-linux-gnu
#                 for libraries unpacked from .debs
#   --arch        the guest's architecture: x86_64 (default; q35, console
#                 ttyS0, results on ttyS1) or arm64 (qemu-system-aarch64 -M
#                 virt -cpu max, console ttyAMA0, results on a virtio console,
#                 hvc0, as virt has a single UART); the staged binaries must
#                 be built for it
#   --busybox     a static busybox for the guest's architecture (default: the
#                 host's /bin/busybox, for x86_64 only)
#
# Exit status: 0 only if nothing failed, the guest finished, rmmod worked and
# the kernel reported nothing.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
	awk 'NR > 3 && !/^#/ { exit } NR > 3 { sub(/^# ?/, ""); print }' "$0" >&2
	exit 2
}

kernel='' ko='' root='' cmd='' mode=check tmo='' append='' insmod_args=''
out=build/qemu libdir=/kipc/lib
arch=x86_64 busybox=''
arm64_timeout_scale=5
while [ $# -gt 0 ]; do
	opt=$1
	case "$opt" in
	--*=*)
		set -- "${opt%%=*}" "${opt#*=}" "${@:2}"
		continue
		;;
	-h | --help) usage ;;
	esac
	[ $# -ge 2 ] || {
		echo "run.sh: $opt needs a value" >&2
		usage
	}
	case "$opt" in
	--kernel) kernel=$2 ;;
	--ko) ko=$2 ;;
	--root) root=$2 ;;
	--cmd) cmd=$2 ;;
	--mode) mode=$2 ;;
	--timeout) tmo=$2 ;;
	--append) append=$2 ;;
	--insmod-args) insmod_args=$2 ;;
	--out) out=$2 ;;
	--libdir) libdir=$2 ;;
	--arch) arch=$2 ;;
	--busybox) busybox=$2 ;;
	*)
		echo "run.sh: unknown option '$opt'" >&2
		usage
		;;
	esac
	shift 2
done

die() {
	echo "run.sh: error: $*" >&2
	exit 2
}

if [ -z "$kernel" ] || [ -z "$ko" ] || [ -z "$root" ] || [ -z "$cmd" ]; then
	usage
fi
case "$mode" in check | debug | demo | bench) ;; *) die "bad --mode '$mode'" ;; esac
case "$arch" in
x86_64 | amd64) arch=x86_64 ;;
arm64 | aarch64) arch=arm64 ;;
*) die "bad --arch '$arch' (x86_64 or arm64)" ;;
esac
if [ -z "$tmo" ]; then
	case "$mode" in bench | debug) tmo=3600 ;; *) tmo=1200 ;; esac
	# TCG emulates an aarch64 guest at about a third of an x86 one's speed.
	[ "$arch" = arm64 ] && tmo=$((tmo * 3))
fi
case "$tmo" in '' | *[!0-9]*) die "bad --timeout '$tmo'" ;; esac
[ -f "$kernel" ] || die "no kernel image '$kernel'"
[ -f "$ko" ] || die "no module '$ko'"
[ -d "$root" ] || die "no stage dir '$root'"
case "$cmd" in /*) ;; *) die "--cmd must be an absolute path inside the guest" ;; esac
case "$cmd" in
/kipc/*) [ -e "$root/${cmd#/kipc/}" ] || die "--cmd $cmd: no ${cmd#/kipc/} in $root" ;;
esac
case "$libdir" in
/kipc | /kipc/*) [ -d "$root/${libdir#/kipc}" ] || die "--libdir $libdir: no ${libdir#/kipc/} in $root" ;;
*) die "--libdir must be a directory under /kipc" ;;
esac
# QEMU's -serial file: takes the rest of the argument as the path, but a comma
# would still be parsed as an option separator.
case "$out" in *,*) die "--out must not contain a comma" ;; esac

# Never let QEMU or anything else inherit a closed stdin: with fd 0 closed,
# the first file QEMU opens becomes fd 0 and its chardev code trips over it
# ('Failed to set FD nonblocking'). CI runs us with no stdin at all.
exec </dev/null

case "$arch" in
x86_64) qemu_bin=qemu-system-x86_64 qemu_pkg=qemu-system-x86 ;;
arm64) qemu_bin=qemu-system-aarch64 qemu_pkg=qemu-system-arm ;;
esac
qemu=$(command -v "$qemu_bin") || die "$qemu_bin not found (make deps: $qemu_pkg)"
if [ -z "$busybox" ]; then
	[ "$arch" = x86_64 ] || die "--arch $arch needs --busybox (make deps ARCH=$arch)"
	for b in /bin/busybox /usr/bin/busybox; do
		[ -x "$b" ] && { busybox=$b && break; }
	done
	[ -n "$busybox" ] || die "busybox not found (make deps: busybox-static)"
fi
[ -f "$busybox" ] || die "no busybox '$busybox'"
# A dynamic busybox would need its own libraries in the guest before /init.
if LC_ALL=C readelf -l "$busybox" 2>/dev/null | grep -q 'INTERP'; then
	die "$busybox is dynamically linked; install busybox-static"
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
root=$(cd "$root" && pwd)
stage=$out/initramfs
console=$out/console.log
results=$out/results.log

say() { echo "# run.sh: $*"; }

# The guest's serial console, and where /init writes what the host parses.
case "$arch" in
x86_64) console_dev=ttyS0 results_dev=/dev/ttyS1 ;;
arm64) console_dev=ttyAMA0 results_dev=/dev/hvc0 ;;
esac

# --- initramfs -------------------------------------------------------------

rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,root,kipc,lib64}
mkdir -p "$stage"/home/kipcuser
cp "$busybox" "$stage/bin/busybox"
# Applet links made here rather than with `busybox --install -s` in the guest,
# so that /bin/sh exists for /init's #! line before anything has run. An
# arm64 busybox cannot run here to list its applets; the host's has the same
# ones when both are Debian's busybox-static of one release.
lister=$busybox
[ "$arch" = x86_64 ] || lister=$(command -v busybox) ||
	die "busybox not found on the host (to list the applets)"
"$lister" --list-full | while read -r applet; do
	[ -e "$stage/$applet" ] || [ -L "$stage/$applet" ] ||
		ln -s /bin/busybox "$stage/$applet"
done

# -L: a symlink in STAGEDIR to a build output elsewhere on the host would
# dangle in the guest; copying what it points at costs little.
cp -RL --preserve=mode,timestamps "$root"/. "$stage/kipc/"
koname=$(basename "$ko")
cp "$ko" "$stage/kipc/$koname"
# The module's name is what rmmod needs; Kbuild turns - into _.
modname=${koname%.ko}
modname=${modname//-/_}

is_elf() {
	[ "$(od -An -tx1 -N4 "$1" 2>/dev/null | tr -d ' \n')" = 7f454c46 ]
}

# Every shared library an ELF file in the stage needs, copied to the path the
# host's loader found it at. ldd prints the whole closure, so one pass per
# file is enough. Libraries shipped in the stage (libkipc, in STAGEDIR/lib or
# --libdir) are found there through LD_LIBRARY_PATH and need no copy.
copy_libs() {
	local f line lib missing=0
	while IFS= read -r -d '' f; do
		case "$f" in *.ko | *.o | *.a) continue ;; esac
		is_elf "$f" || continue
		ldd_out=$(LD_LIBRARY_PATH=$root${libdir#/kipc} ldd "$f" 2>&1) || continue
		while IFS= read -r line; do
			case "$line" in
			*"=> not found"*)
				echo "run.sh: ${f#"$stage"}: ${line#"${line%%[! 	]*}"}" >&2
				missing=1
				continue
				;;
			*"=> /"*) lib=${line#*=> } ;;
			*/*) lib=${line#"${line%%[! 	]*}"} ;;
			*) continue ;;
			esac
			lib=${lib%% (0x*}
			case "$lib" in "$root"/*) continue ;; esac
			[ -e "$stage$lib" ] && continue
			mkdir -p "$stage$(dirname "$lib")"
			cp -L "$lib" "$stage$lib"
		done <<<"$ldd_out"
	done < <(find "$stage/kipc" -type f -print0)
	[ $missing = 0 ] || die "shared libraries missing on the host (see above)"
	# The loader, even when no file above asked for it by that path.
	if [ ! -e "$stage/lib64/ld-linux-x86-64.so.2" ] &&
		[ -e /lib64/ld-linux-x86-64.so.2 ]; then
		cp -L /lib64/ld-linux-x86-64.so.2 "$stage/lib64/"
	fi
}

# The same for another architecture's binaries, which the host's ldd cannot
# load: each file's DT_NEEDED entries (readelf, which reads any ELF), looked
# up in Debian's multiarch directories of that architecture and in the
# cross C library, recursively, all copied into the guest's multiarch
# directory, which the loader searches by default.
cross_libs() {
	local triplet=$1 f lib dir found missing=0 todo=() seen=' ' interp
	local dirs=("$root${libdir#/kipc}" "/lib/$triplet" "/usr/lib/$triplet"
		"/usr/$triplet/lib")
	needed() {
		LC_ALL=C readelf -d "$1" 2>/dev/null |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'
	}
	while IFS= read -r -d '' f; do
		case "$f" in *.ko | *.o | *.a) continue ;; esac
		is_elf "$f" || continue
		# Only binaries of the guest's architecture (the YNL stage
		# would bring an x86 Python: it is left out for arm64).
		LC_ALL=C readelf -h "$f" 2>/dev/null | grep -q 'Machine:.*AArch64' || continue
		interp=$(LC_ALL=C readelf -l "$f" 2>/dev/null |
			sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
		if [ -n "$interp" ] && [ ! -e "$stage$interp" ]; then
			found=''
			for dir in "${dirs[@]:1}"; do
				[ -e "$dir/$(basename "$interp")" ] &&
					found=$dir/$(basename "$interp") && break
			done
			[ -n "$found" ] || die "no $interp for $triplet on the host"
			mkdir -p "$stage$(dirname "$interp")"
			cp -L "$found" "$stage$interp"
		fi
		mapfile -t -O ${#todo[@]} todo < <(needed "$f")
	done < <(find "$stage/kipc" -type f -print0)
	mkdir -p "$stage/lib/$triplet"
	while [ ${#todo[@]} -gt 0 ]; do
		lib=${todo[0]}
		todo=("${todo[@]:1}")
		case "$seen" in *" $lib "*) continue ;; esac
		seen+="$lib "
		found=''
		for dir in "${dirs[@]}"; do
			[ -e "$dir/$lib" ] && found=$dir/$lib && break
		done
		if [ -z "$found" ]; then
			echo "run.sh: no $lib for $triplet on the host" >&2
			missing=1
			continue
		fi
		# libkipc is in the stage already, found through LD_LIBRARY_PATH.
		case "$found" in "$root"/*) ;; *) cp -L "$found" "$stage/lib/$triplet/$lib" ;; esac
		mapfile -t -O ${#todo[@]} todo < <(needed "$found")
	done
	[ $missing = 0 ] || die "shared libraries missing on the host (see above)"
}

case "$arch" in
x86_64) copy_libs ;;
arm64) cross_libs aarch64-linux-gnu ;;
esac

cat >"$stage/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
kipcuser:x:1000:1000:kipc test user:/home/kipcuser:/bin/sh
kipcuser2:x:1001:1001:kipc second test user:/tmp:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$stage/etc/group" <<'EOF'
root:x:0:
kipcuser:x:1000:
kipcgrp:x:1001:
nogroup:x:65534:
EOF
# glibc's built-in default would consult other services first.
printf 'passwd: files\ngroup: files\nshadow: files\n' >"$stage/etc/nsswitch.conf"
chown 1000:1000 "$stage/home/kipcuser" 2>/dev/null || true
chmod 1777 "$stage/tmp"

# Single-quote for the guest's ash, which has no $'' or printf %q syntax.
sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
{
	echo "KIPC_KO=$(sq "/kipc/$koname")"
	echo "KIPC_MODNAME=$(sq "$modname")"
	echo "KIPC_CMD=$(sq "$cmd")"
	echo "KIPC_MODE=$(sq "$mode")"
	echo "KIPC_INSMOD_ARGS=$(sq "$insmod_args")"
	# /init has exported it already; this only changes its value.
	echo "LD_LIBRARY_PATH=$(sq "$libdir")"
	echo "KIPC_RESULTS_DEV=$(sq "$results_dev")"
} >"$stage/etc/kipc-run.conf"

install -m 0755 "$here/init" "$stage/init"
# Debian's kernel has a built-in initramfs with /dev/console; a custom kernel
# may not, and /init would then start without stdio until devtmpfs is up.
mknod -m 0600 "$stage/dev/console" c 5 1 2>/dev/null || true

# Uncompressed: gzip costs more time in the emulated guest than it saves, and
# a minimal debug kernel may lack the decompressor.
(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --quiet) >"$out/initramfs.cpio"

# --- kernel command line ---------------------------------------------------

# The version string sits in the bzImage setup header, so this works for any
# file name (the Tier B kernel is a plain bzImage).
kernel_release() {
	local off
	[ "$(od -An -c -j $((0x202)) -N4 "$kernel" | tr -d ' ')" = HdrS ] || return 0
	off=$(od -An -tu2 -j $((0x20e)) -N2 "$kernel" | tr -d ' ')
	[ -n "$off" ] && [ "$off" -gt 0 ] || return 0
	dd if="$kernel" bs=1 skip=$((off + 0x200)) count=80 2>/dev/null |
		tr '\0' '\n' | head -n1 | cut -d' ' -f1
}
krel=$(kernel_release)
[ -n "$krel" ] || krel=$(basename "$kernel" | sed -n 's/^vmlinuz-//p')
kmaj=$(echo "$krel" | sed -n 's/^\([0-9]*\)\..*/\1/p')
kmin=$(echo "$krel" | sed -n 's/^[0-9]*\.\([0-9]*\).*/\1/p')
# slub_debug became slab_debug in 6.8; the old spelling is what 6.1 knows.
slab_param=slab_debug
if [ -n "$kmaj" ] && [ -n "$kmin" ] &&
	{ [ "$kmaj" -lt 6 ] || { [ "$kmaj" -eq 6 ] && [ "$kmin" -lt 8 ]; }; }; then
	slab_param=slub_debug
fi

cmdline="console=$console_dev rdinit=/init panic=-1 panic_on_warn=1 oops=panic"
cmdline+=" softlockup_panic=1 hung_task_panic=1 preempt=full loglevel=7"
if [ "$mode" != bench ]; then
	# Tier A. bench leaves these out: they slow the peers unevenly.
	cmdline+=" kfence.sample_interval=1 $slab_param=FZPU slab_nomerge"
	# Under TCG (no KVM) a vCPU can still run an int3 that another vCPU
	# has already patched out of the kernel's text, and the kernel, no
	# longer expecting it, dies with "Oops: int3" (seen in
	# ttwu_do_activate, a sched_wakeup site, while trace_test enabled
	# kipc events). The first trace event enabled anywhere registers the
	# sched_switch and sched_wakeup probes that record command names,
	# patching sites that every CPU runs all the time, and the last one
	# disabled removes them again. One rarely hit event enabled from the
	# command line registers them at boot, before the second CPU is up,
	# for good: the tests' events then patch only the module's own sites,
	# which nothing else runs meanwhile.
	cmdline+=" trace_event=module:module_load"
fi
# The selftests' time limits were measured in an x86 guest; TCG runs an
# aarch64 one several times slower (kipc_test.h).
[ "$arch" = arm64 ] && cmdline+=" KIPC_TIMEOUT_SCALE=$arm64_timeout_scale"
[ -n "$append" ] && cmdline+=" $append"

# --- boot ------------------------------------------------------------------

case "$arch" in
x86_64)
	qemu_args=(
		-machine q35 -accel tcg -cpu max -smp 2 -m 2048
		-no-reboot -nodefaults -display none -monitor none
		# ttyS0: kernel console; ttyS1: results channel of /init.
		-serial "file:$console" -serial "file:$results"
	)
	;;
arm64)
	# virt has one UART (ttyAMA0, the kernel console); the results go to
	# a virtio console (hvc0), on PCI: Debian's cloud kernel has
	# virtio-pci built in, virtio-mmio only as a module. pauth-impdef: TCG's emulation of the
	# architected pointer-authentication cipher (QARMA) costs more time
	# than all the rest of a function call; the implementation-defined
	# one protects as much and is cheap.
	# shellcheck disable=SC2054 # the commas are QEMU's
	qemu_args=(
		-machine virt -accel tcg -cpu max,pauth-impdef=on -smp 2 -m 2048
		-no-reboot -nodefaults -display none -monitor none
		-serial "file:$console"
		-device virtio-serial-pci
		-chardev "file,id=results,path=$results"
		-device virtconsole,chardev=results
	)
	;;
esac
qemu_args+=(-kernel "$kernel" -initrd "$out/initramfs.cpio" -append "$cmdline")

say "kernel $krel ($arch), mode $mode, timeout ${tmo}s, logs in $out"

qpid='' spid=''
cleanup() {
	# Only our own children: the timeout wrapper (which passes the signal
	# on to QEMU) and the log streamer.
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# Under TCG the guest kernel now and then dies while it patches its own
# text at boot (an int3 Oops in sched_clock_cpu was seen about once in 15
# boots), long before kipc.ko is loaded. Such a boot says nothing about
# kipc, so it is retried; a guest that got as far as insmod never is.
for attempt in 1 2 3; do
	rm -f "$console" "$results" "$out/qemu.log"
	: >"$results"
	t_start=$(date +%s)
	# -k: a QEMU that ignores SIGTERM still goes away.
	timeout -k 10 "$tmo" "$qemu" "${qemu_args[@]}" </dev/null >"$out/qemu.log" 2>&1 &
	qpid=$!

	# Show the test output while it happens; tail ends once QEMU is gone.
	# (A shell loop rather than awk: mawk reads pipes in large blocks, which would
	# hold the lines back until the end.)
	tail -n +1 -f --pid="$qpid" "$results" 2>/dev/null | {
		quiet=''
		while IFS= read -r line; do
			[ -n "$quiet" ] && continue
			line=${line%$'\r'}
			case "$line" in KIPC-DMESG-BEGIN*) quiet=1 && continue ;; esac
			printf '%s\n' "$line"
		done
	} &
	spid=$!

	qrc=0
	wait "$qpid" || qrc=$?
	qpid=''
	wait "$spid" || true
	spid=''
	t_end=$(date +%s)

	grep -qa '^KIPC-INSMOD:' "$results" && break
	[ "$attempt" -lt 3 ] || break
	echo "# guest died before insmod (boot attempt $attempt, not kipc code): last console lines:"
	tail -n 5 "$console" 2>/dev/null | tr -d '\r' | sed 's/^/#   /'
	echo "# booting again"
done

# --- verdict ---------------------------------------------------------------

crlf() { tr -d '\r' <"$1" 2>/dev/null || true; }

test_part=$(crlf "$results" | awk '/^KIPC-DMESG-BEGIN/ { exit } { print }')
dmesg_part=$(crlf "$results" | awk '/^KIPC-DMESG-END/ { exit } p { print } /^KIPC-DMESG-BEGIN/ { p = 1 }')
done_line=$(crlf "$results" | grep -a '^KIPC-GUEST-DONE rc=' | tail -n1 || true)

# Kernel reports. Patterns aim at the report headers, not at boot chatter:
# "kfence: initialized" or "kmemleak: Kernel memory leak detector
# initialized" must not match, hence "KFENCE:" and the leak report wording.
report_re='BUG:|BUG [^ ]+ \((Not tainted|Tainted)|kernel BUG at|WARNING:|Oops|'
report_re+='KFENCE:|KASAN:|UBSAN:|possible circular locking|possible recursive locking|'
report_re+='inconsistent lock state|suspicious RCU usage|lockdep|DEBUG_LOCKS_WARN_ON|'
report_re+='suspected memory leak|unreferenced object|refcount_t:|'
report_re+='list_add corruption|list_del corruption|Kernel panic|general protection fault|'
report_re+='Objects remaining|still has objects|={20,}|blocked for more than|'
report_re+='soft lockup|hard LOCKUP|detected stalls?|Call Trace:'
# The command line echo contains words like hung_task_panic and whatever
# --append added; it is not a report.
# A debug kernel (make check-debug) announces lockdep at boot.
benign_re='Command line:|Unknown kernel command line parameters|traps: [^ ]+\[[0-9]+\] |'
benign_re+='RCU lockdep checking is enabled'

# An allocation that fails prints a notice with a stack trace (warn_alloc:
# "vmalloc error:", "page allocation failure:"), which is not a defect: in
# the debug tier fault_test fails every allocation from the nth on, so
# fallbacks fail too. Such a notice, up to the end of its trace, is left
# out; anything the failure led to (a leak, a warning, a KASAN report) is
# reported as usual. memcg_test makes a memory cgroup's OOM killer find
# nothing to kill (its sender has oom_score_adj -1000, which no other test
# sets): that notice ends at the trace or at "no killable processes".
drop_alloc_notices() {
	awk '/vmalloc error: |page allocation failure: / { skip = 1; next }
	     /invoked oom-killer: .*oom_score_adj=-1000/ { skip = 1; next }
	     skip && /<\/TASK>|Out of memory and no killable processes/ { skip = 0; next }
	     !skip'
}

scan_src=$(
	{
		crlf "$console"
		printf '%s\n' "$dmesg_part"
	} | drop_alloc_notices
)
reports=$(printf '%s\n' "$scan_src" | grep -aE "$report_re" | grep -avE "$benign_re" |
	awk '!seen[$0]++' || true)

failures=()
ctx_end=0
if [ -n "$reports" ]; then
	echo "# ---- kernel reports (console.log and guest dmesg) ----"
	printf '%s\n' "$reports" | head -n 40 | sed 's/^/# /'
	# The first report with its context (stack trace, registers).
	first=$(printf '%s\n' "$reports" | head -n1)
	echo "# ---- context of the first report ----"
	ctx_end=$(printf '%s\n' "$first" | grep -anxFf - <(crlf "$console") | head -n1 | cut -d: -f1)
	ctx_end=$((${ctx_end:-0} > 0 ? ctx_end + 59 : 0))
	printf '%s\n' "$scan_src" | awk -v want="$first" '
		!found && $0 == want { found = NR }
		{ line[NR] = $0 }
		END {
			if (!found) exit
			from = found > 5 ? found - 5 : 1
			for (i = from; i <= NR && i < found + 60; i++)
				print "# " line[i]
		}'
	failures+=("kernel report")
fi

if [ -z "$done_line" ]; then
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		why="timed out after ${tmo}s"
	else
		why="guest crashed or QEMU failed (QEMU exit status $qrc)"
	fi
	# Skip what the report context above already showed.
	total=$(crlf "$console" | wc -l)
	from=$((total > 60 ? total - 59 : 1))
	[ "$from" -le "$ctx_end" ] && from=$((ctx_end + 1))
	echo "# ---- guest did not finish: $why; console.log from line $from of $total ----"
	crlf "$console" | tail -n +"$from" | sed 's/^/# /'
	if [ -s "$out/qemu.log" ]; then
		echo "# ---- qemu.log ----"
		sed 's/^/# /' "$out/qemu.log"
	fi
	failures+=("guest did not finish ($why)")
	guest_rc=''
else
	guest_rc=${done_line#KIPC-GUEST-DONE rc=}
	if printf '%s\n' "$test_part" | grep -qa '^KIPC-INSMOD: failed'; then
		failures+=("insmod $modname")
	elif ! printf '%s\n' "$test_part" | grep -qa '^KIPC-RMMOD: ok'; then
		failures+=("rmmod $modname")
	fi
fi

say "QEMU ran $((t_end - t_start))s"

if [ "$mode" = demo ]; then
	[ -n "$guest_rc" ] && [ "$guest_rc" != 0 ] &&
		failures+=("guest script exited with rc=$guest_rc")
	for f in "${failures[@]}"; do echo "not ok - $f"; done
	if [ ${#failures[@]} -eq 0 ]; then
		echo "demo: ok"
		exit 0
	fi
	echo "demo: FAILED"
	exit 1
fi

for f in "${failures[@]}"; do echo "not ok - $f"; done
# A non-zero script status with nothing else wrong still fails the run; when
# tests failed, their own lines already say so and the status adds nothing.
require_results=0
case "$mode" in check | debug) require_results=1 ;; esac
summary=$(printf '%s\n' "$test_part" |
	awk -v extra_failed=${#failures[@]} -v require_results=$require_results \
		-f "$here/tap-summary.awk")
last=${summary##*$'\n'}
nfailed=$(echo "$last" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p')
if [ "$nfailed" = 0 ] && [ -n "$guest_rc" ] && [ "$guest_rc" != 0 ]; then
	echo "not ok - guest script exited with rc=$guest_rc"
	summary=$(printf '%s\n' "$test_part" |
		awk -v extra_failed=$((${#failures[@]} + 1)) -v require_results=0 \
			-f "$here/tap-summary.awk")
	last=${summary##*$'\n'}
	nfailed=$(echo "$last" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p')
fi
printf '%s\n' "$summary"
[ "$nfailed" = 0 ]
