#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The call graph between the module's files, from the built objects: for
# each of the module's kmod/*.o, the other kmod/*.o that define a global symbol its code
# (.text, .init.text, ...) refers to, calls and data alike. References from its tables
# (.data, .rodata: ops tables, file operations, function pointers it
# registers) are listed apart and do not count as calls. Fails if the graph
# of calls has a cycle.
#
#   scripts/kmod-calls.sh [dir with kmod/*.o, default .]
set -eu
cd "${1:-.}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The module's objects, as Kbuild lists them (not a stale kmod/*.o).
objs=$(awk '/^kipc-y/ { on = 1 } on { print; if (!/\\$/) exit }' Kbuild |
	tr ' \t\\' '\n\n\n' | grep '^kmod/.*\.o$')
for o in $objs; do
	[ -f "$o" ] || { echo "kmod-calls: no $o: build the module first" >&2; exit 1; }
done

for o in $objs; do
	f=${o#kmod/}; f=${f%.o}
	nm --defined-only -g "$o" | awk -v f="$f" '{ print $3, f }'
done | sort >"$tmp/defs"

for o in $objs; do
	f=${o#kmod/}; f=${f%.o}
	# Relocations, by the section they patch: "<section> <symbol>".
	readelf -rW "$o" | awk '
		/^Relocation section/ { sec = $3; gsub(/'\''/, "", sec);
					sub(/^\.rela/, "", sec); next }
		NF >= 5 && $1 ~ /^[0-9a-f]+$/ { s = $5; sub(/[+-].*/, "", s);
						 print sec, s }' |
	sort -u >"$tmp/$f.relocs"
	nm -u "$o" | awk '{ print $2 }' | sort >"$tmp/$f.undef"
	for kind in call table; do
		# Code is in .text, .init.text, .exit.text, .text.unlikely...
		if [ $kind = call ]; then
			grep -E '^[^ ]*text[^ ]* ' "$tmp/$f.relocs" || true
		else
			grep -vE '^[^ ]*text[^ ]* ' "$tmp/$f.relocs" || true
		fi | awk '{ print $2 }' | sort -u |
		join - "$tmp/$f.undef" | join - "$tmp/defs" |
		awk -v f="$f" -v k=$kind '$2 != f { print k, f, $2, $1 }'
	done
done >"$tmp/edges"

for o in $objs; do
	f=${o#kmod/}; f=${f%.o}
	calls=$(awk -v f="$f" '$1 == "call" && $2 == f { print $3 }' "$tmp/edges" |
		sort -u | tr '\n' ' ')
	tables=$(awk -v f="$f" '$1 == "table" && $2 == f { print $3 }' "$tmp/edges" |
		 sort -u | tr '\n' ' ')
	printf '%-12s -> %s' "$f.c" "${calls:-(none)}"
	[ -z "$tables" ] || printf '   [tables: %s]' "$tables"
	printf '\n'
done
if [ -n "${VERBOSE:-}" ]; then
	echo
	sort -u "$tmp/edges"
fi

# tsort reports a cycle on stderr.
awk '$1 == "call" { print $2, $3 }' "$tmp/edges" | sort -u >"$tmp/pairs"
if ! tsort "$tmp/pairs" >/dev/null 2>"$tmp/tsort" || [ -s "$tmp/tsort" ]; then
	cat "$tmp/tsort" >&2
	echo "kmod-calls: the calls between files have a cycle" >&2
	exit 1
fi
echo "# kmod-calls: no cycle between files"
