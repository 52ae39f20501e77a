#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The kipc Python package's pytest suite (bindings/python/tests), in the
# guest, over the interpreter and modules scripts/stage-python.sh staged.
# Staged as bin/python_test, so guest-check.sh runs it as any *_test: the
# suite's own TAP (conftest.py, KIPC_TAP) is what the tally counts; pytest's
# report is printed as "# " comments.
dir=${KIPC_PYDIR:-/kipc/python}

echo "# python_test: the kipc Python package under pytest"
if [ ! -x "$dir/py/bin/python3" ]; then
	echo "TAP version 13"
	echo "1..0 # SKIP the Python package is not staged (arm64 guest, or no python3-dev/python3-pytest at build time)"
	exit 4
fi
tmp=${TMPDIR:-/tmp}
log=$tmp/python_test.$$.log
tap=$tmp/python_test.$$.tap
rm -f "$log" "$tap"
KIPC_TAP=$tap PYTHONHOME=$dir/py PYTHONPATH=$dir/pkg:$dir/tests \
	PYTHONDONTWRITEBYTECODE=1 \
	"$dir/py/bin/python3" -S -m pytest -q -p no:cacheprovider \
	--rootdir="$dir/tests" "$dir/tests" >"$log" 2>&1
st=$?
sed 's/^/# /' "$log"
if [ -s "$tap" ]; then
	cat "$tap"
else
	echo "not ok - python_test: pytest printed no results (status $st)"
	st=1
fi
rm -f "$log" "$tap"
exit $st
