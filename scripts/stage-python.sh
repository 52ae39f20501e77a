#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Stage the kipc Python package, its pytest suite, and Debian's python3 with
# exactly the modules the suite loads (as stage-ynl.sh does for YNL):
#
#   scripts/stage-python.sh BUILD/python STAGEDIR/python
#
# Layout: py/ (PYTHONHOME: bin/python3, lib/python3.X), pkg/kipc, tests/.
# The modules are found by running the suite here, where there is no
# /dev/kipc: every test then fails or errors early, which loads pytest's
# collection, running and reporting paths. Whole packages (pytest's own,
# asyncio, encodings) are copied entire so a path not taken here still
# finds its modules in the guest. Without python3-pytest or the built
# package nothing is staged, and the guest's python_test skips.
set -euo pipefail

pkg=$1 out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3

rm -rf "$out"
if [ ! -x "$py" ] || [ ! -f "$pkg/kipc/__init__.py" ] ||
   ! "$py" -c 'import pytest' 2>/dev/null; then
	echo "stage-python: no $py with pytest, or no built package in $pkg: Python tests not staged" >&2
	exit 0
fi
mkdir -p "$out/py/bin" "$out/pkg" "$out/tests"
out=$(cd "$out" && pwd)
cp -a "$pkg/kipc" "$out/pkg/"
rm -f "$out"/pkg/kipc/*.d
cp "$here"/bindings/python/tests/*.py "$out/tests/"
cp "$(readlink -f "$py")" "$out/py/bin/python3"

pyver=$("$py" -c 'import sys; print("python%d.%d" % sys.version_info[:2])')
dest=$out/py/lib/$pyver
mkdir -p "$dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && PYTHONPATH="$out/pkg:$out/tests" \
	LD_LIBRARY_PATH="$here/${pkg%/python}/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
	"$py" -S - "$out/tests" "$out" 2>/dev/null) <<'PY' | sort -u | while IFS=$'\t' read -r src rel; do
import os, sys
sys.path.append("/usr/lib/python3/dist-packages")
import encodings.utf_8, encodings.ascii, encodings.latin_1, encodings.aliases
import asyncio, select, signal, mmap, secrets, threading
import pytest
out = sys.argv[2]
# Output to /dev/null: every test fails here, and that is the point.
fd = os.dup(1)
null = os.open(os.devnull, os.O_WRONLY)
os.dup2(null, 1)
try:
    pytest.main(["-q", "-p", "no:cacheprovider", sys.argv[1]])
except BaseException:
    pass
os.dup2(fd, 1)
paths = sorted((p for p in sys.path if p), key=len, reverse=True)
whole = set()
for name, mod in list(sys.modules.items()):
    f = getattr(mod, "__file__", None)
    if not f or f.startswith(out) or not os.path.isfile(f):
        continue
    for p in paths:
        if f.startswith(p + "/"):
            rel = f[len(p) + 1:]
            print(f + "\t" + rel)
            top = rel.split("/")[0]
            if "/" in rel and top not in whole:
                whole.add(top)
                for d, _, files in os.walk(os.path.join(p, top)):
                    if "__pycache__" in d or "/test" in d[len(p):]:
                        continue
                    for x in files:
                        if x.endswith((".py", ".so")):
                            s = os.path.join(d, x)
                            print(s + "\t" + s[len(p) + 1:])
            break
PY
	case $rel in *.so) [ -f "$src" ] || continue ;; esac
	mkdir -p "$dest/$(dirname "$rel")"
	cp "$src" "$dest/$rel"
done
[ -f "$dest/os.py" ] || { echo "stage-python: os.py was not found" >&2; exit 1; }
[ -d "$dest/_pytest" ] || { echo "stage-python: pytest was not found" >&2; exit 1; }
echo "stage-python: $(find "$out" -type f | wc -l) files, $(du -sh "$out" | cut -f1)"
