#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Stage the host's tmux (Debian package tmux), a few terminfo entries and
# glibc's C.UTF-8 locale, so
# that the guest can test `kipc top` interactively (tool_observe_test):
#
#   scripts/stage-tmux.sh STAGEDIR/tmux
#
# selftests/qemu/run.sh copies the libraries it needs, as for every ELF file
# of the stage. Without tmux on the host nothing is staged and the test
# skips, saying so.
set -euo pipefail

out=$1
tmux=/usr/bin/tmux

rm -rf "$out"
if [ ! -x "$tmux" ]; then
	echo "stage-tmux: no $tmux (apt-get install tmux): tmux not staged" >&2
	exit 0
fi
mkdir -p "$out/bin" "$out/terminfo"
cp "$(readlink -f "$tmux")" "$out/bin/tmux"
# tmux refuses to start without a UTF-8 locale; the guest finds this one
# through LOCPATH=/kipc/tmux/locale.
if [ -d /usr/lib/locale/C.utf8 ]; then
	mkdir -p "$out/locale"
	cp -a /usr/lib/locale/C.utf8 "$out/locale/"
fi
for t in s/screen t/tmux x/xterm l/linux; do
	for d in /lib/terminfo /usr/share/terminfo; do
		if [ -e "$d/$t" ]; then
			mkdir -p "$out/terminfo/${t%/*}"
			cp -L "$d/$t" "$out/terminfo/$t"
			break
		fi
	done
done
