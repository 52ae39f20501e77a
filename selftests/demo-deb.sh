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

echo
echo "== Autoload: unload the module, install it where make install puts it, and let"
echo "   the first open of /dev/kipc, by an unprivileged user, load it again:"
rmmod kipc
kver=$(uname -r)
mkdir -p "/lib/modules/$kver/updates"
cp /kipc/kipc.ko "/lib/modules/$kver/updates/"
depmod
grep -E 'devname:kipc|char_major_10_246|char-major-10-246' "/lib/modules/$kver/modules.alias"
# What kmod static-nodes makes at boot from modules.devname, with the mode
# the udev rule gives it.
mknod -m 0666 /dev/kipc c 10 246
ls -l /dev/kipc
[ ! -d /sys/module/kipc ] || { echo "demo-deb: kipc is still loaded" >&2; exit 1; }
su -s /bin/sh kipcuser -c "echo \"as \$(id -un):\"; PATH=$PATH LD_LIBRARY_PATH=$LD_LIBRARY_PATH kipc version"
[ -d /sys/module/kipc ] || { echo "demo-deb: opening /dev/kipc did not load kipc" >&2; exit 1; }
echo "kipc is loaded again: $(cat /sys/module/kipc/initstate)"

exec sh /kipc/bin/demo.sh
