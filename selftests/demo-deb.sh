#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The narrated demo with the tool and the libraries of the built Debian
# packages, unpacked under /kipc as they would be installed under /. Run in
# the guest by `make demo-deb`; selftests/qemu/run.sh --libdir has already
# pointed LD_LIBRARY_PATH at the unpacked /usr/lib/<multiarch>.
set -e
PATH=/kipc/usr/bin:$PATH
export PATH

echo "== The tool and the libraries come from the packages:"
command -v kipc
# glibc's loader lists what it would map, as ldd(1) does.
LD_TRACE_LOADED_OBJECTS=1 kipc | grep kipc
LD_TRACE_LOADED_OBJECTS=1 /kipc/bin/kipc_demo | grep kipc
case "$(LD_TRACE_LOADED_OBJECTS=1 kipc)" in
*"=> $LD_LIBRARY_PATH/libkipc.so.1 "*) ;;
*) echo "demo-deb: kipc does not use libkipc.so.1 from $LD_LIBRARY_PATH" >&2; exit 1 ;;
esac

exec sh /kipc/bin/demo.sh
