#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Generate the netlink uapi header and the kernel policy tables from
# kmod/netlink/specs/kipc.yaml with the kernel's own generator,
# tools/net/ynl/ynl-gen-c.py from linux-source-6.12.
#
#   scripts/ynl-gen.sh KSRC OUTDIR
#
# writes OUTDIR/kipc_netlink.h (uapi), OUTDIR/netlink-gen.h and
# OUTDIR/netlink-gen.c (kernel), and OUTDIR/admin-gen.h (libkipc-admin's
# reply tables, with scripts/admin-gen.py). The generator wants the spec under
# <root>/<dir>/specs/ with the schema in <root>/<dir>/ and a MAINTAINERS
# file at <root>, as in a kernel tree, so the spec is laid out that way in a
# scratch tree first; the files it names in their headers are the repo's.
set -euo pipefail

ksrc=$1 out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
gen=$ksrc/tools/net/ynl/ynl-gen-c.py
schema=$ksrc/Documentation/netlink/genetlink-c.yaml
[ -f "$gen" ] && [ -f "$schema" ] || {
	echo "ynl-gen: no ynl-gen-c.py or genetlink-c.yaml under $ksrc: run 'make deps'" >&2
	exit 1
}
# Debian's python, which has python3-yaml and python3-jsonschema from deps.
py=/usr/bin/python3
[ -x "$py" ] || py=python3

tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/kmod/netlink/specs" "$out"
: > "$tree/MAINTAINERS"
cp "$schema" "$tree/kmod/netlink/"
cp "$here/kmod/netlink/specs/kipc.yaml" "$tree/kmod/netlink/specs/"
spec=$tree/kmod/netlink/specs/kipc.yaml

"$py" "$gen" --mode uapi --header --spec "$spec" -o "$out/kipc_netlink.h"
"$py" "$gen" --mode kernel --header --spec "$spec" -o "$out/netlink-gen.h"
"$py" "$gen" --mode kernel --source --spec "$spec" -o "$out/netlink-gen.c"
"$py" "$here/scripts/admin-gen.py" "$spec" "$out/admin-gen.h"
