#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Stage the kernel's YNL CLI (tools/net/ynl/cli.py from linux-source-6.12)
# with a Python interpreter and exactly the modules it imports, plus kipc's
# netlink spec, so that the guest can drive the family from the spec alone:
#
#   scripts/stage-ynl.sh KSRC STAGEDIR/ynl
#
# In the guest: PYTHONHOME=/kipc/ynl/py /kipc/ynl/py/bin/python3 -S \
#     /kipc/ynl/cli.py --no-schema --spec /kipc/ynl/specs/kipc.yaml ...
#
# Debian's own python3 and python3-yaml are used (make deps installs them);
# without them nothing is staged and the guest's YNL test skips.
set -euo pipefail

ksrc=$1 out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3
ynl=$ksrc/tools/net/ynl

rm -rf "$out"
if [ ! -x "$py" ] || [ ! -f "$ynl/cli.py" ] ||
   ! "$py" -c 'import yaml' 2>/dev/null; then
	echo "stage-ynl: no $py with yaml, or no $ynl/cli.py: YNL not staged" >&2
	exit 0
fi
mkdir -p "$out/lib" "$out/specs" "$out/py/bin"
out=$(cd "$out" && pwd)
cp "$ynl/cli.py" "$out/"
cp "$ynl/lib/"*.py "$out/lib/"
cp "$here/kmod/netlink/specs/kipc.yaml" "$out/specs/"
cp "$(readlink -f "$py")" "$out/py/bin/python3"

# Every module the CLI loads, found by loading them as it does: the
# interpreter's own startup modules, cli.py's imports and the spec parser.
# Each is copied to the same path relative to its sys.path entry.
pyver=$("$py" -c 'import sys; print("python%d.%d" % sys.version_info[:2])')
dest=$out/py/lib/$pyver
mkdir -p "$dest"
(cd "$out" && "$py" -S - "$out/specs/kipc.yaml") <<'PY' | while IFS=$'\t' read -r src rel; do
import sys, os
sys.path.insert(0, os.getcwd())
sys.path.append("/usr/lib/python3/dist-packages")
import argparse, json, json.encoder, json.decoder, pprint, time, encodings
import encodings.utf_8, encodings.ascii, encodings.latin_1, encodings.aliases
import locale, traceback, linecache, tokenize, runpy
from lib import YnlFamily, Netlink, NlError, SpecFamily
SpecFamily(sys.argv[1], schema_path="")
# Run the CLI as the guest will: here the family is missing, so it stops
# at the lookup, after argparse and everything else have loaded.
sys.argv = ["cli.py", "--no-schema", "--spec", sys.argv[1], "--output-json",
            "--dump", "obj-get"]
try:
    runpy.run_path("cli.py", run_name="__main__")
except BaseException:
    pass
for name, mod in list(sys.modules.items()):
    f = getattr(mod, "__file__", None)
    if not f or f.startswith(os.getcwd()):
        continue
    for p in sorted(sys.path[1:], key=len, reverse=True):
        if p and f.startswith(p + "/"):
            print(f + "\t" + f[len(p) + 1:])
            break
PY
	mkdir -p "$dest/$(dirname "$rel")"
	cp "$src" "$dest/$rel"
done
# Python finds its home by the landmark os.py under lib/pythonX.Y.
[ -f "$dest/os.py" ] || { echo "stage-ynl: os.py was not found" >&2; exit 1; }
echo "stage-ynl: $(find "$out" -type f | wc -l) files, $(du -sh "$out" | cut -f1)"
