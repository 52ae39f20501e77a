# SPDX-License-Identifier: GPL-2.0-only
#
# kipc: the module (through Kbuild), libkipc, libkipc-admin, the kipc tool,
# the selftests, and the QEMU loop that runs them.
#
#   make               build everything
#   make check         deps, build, run every selftest in a QEMU guest
#                      (KSERIES=6.1: on Debian's 6.1 kernel, as check-6.1;
#                      KSERIES=sid: on Debian unstable's newest, as check-sid)
#   make check ARCH=arm64  the same in an aarch64 guest (qemu-system-aarch64,
#                      TCG) on Debian's arm64 cloud kernel of KSERIES, with
#                      everything cross-built (build/arm64/)
#   make build-kernels build kipc.ko against every series Debian ships
#                      headers for (6.1, 6.12, 7.2, 7.3 today); no guest
#   make check-debug   the same on the Tier B debug kernel (KASAN, lockdep,
#                      kmemleak, UBSAN, KFENCE, fault injection, KUnit)
#   make demo          deps, build, boot the guest and run the narrated demo
#   make deps          install what is missing (apt) and fetch the guest kernel
#   make style         checkpatch --strict and kernel-doc over kmod/
#   make sparse        the module with sparse (C=2)
#   make uapi-holes    pahole: no implicit hole or padding in a uapi struct
#   make man-check     every man page through groff -ww, warnings fail
#   make bench         deps, build, kipc against its peers in one guest run
#   make rust          the Rust crate (bindings/rust) and its test binaries;
#                      make rust-doc its documentation
#   make install       see README.md

# Two variables name a kernel, and never stand for each other:
#
#   KSERIES  the series of Debian's cloud kernels that the guest boots and
#            that `make deps` fetches the headers of: 6.12 (default), 6.1,
#            or sid: the newest series in Debian unstable (7.2 today),
#            whose module is built in a sid chroot (scripts/sid-chroot.sh).
#   KVER     a kernel release, as `uname -r` prints it (6.1.0-40-cloud-amd64):
#            the module is built against /lib/modules/$(KVER)/build and
#            installed into /lib/modules/$(KVER)/updates. Unset, it is the
#            running kernel's (or, once built, the one kipc.ko was built for).
#
# A KVER that is only a series (KVER=6.1, the spelling before the two were
# told apart) is read as KSERIES, with a warning.
ifneq ($(shell echo '$(KVER)' | grep -xE '[0-9]+\.[0-9]+'),)
$(warning KVER=$(KVER) is a kernel series, read as KSERIES=$(KVER); KVER now means a release (uname -r))
override KSERIES := $(KVER)
override KVER = $(KVER_BUILT)
KVER_GIVEN :=
# Sub-makes get KSERIES, and no KVER to warn about again.
override MAKEOVERRIDES := $(filter-out KVER=% KSERIES=%,$(MAKEOVERRIDES)) KSERIES=$(KSERIES)
else
KVER_GIVEN := $(KVER)
endif
KSERIES ?= 6.12
# The test run must end on its "N passed, N failed" line.
MAKEFLAGS += --no-print-directory
CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/kipc
KSRC ?= $(CACHE)/linux-source-6.12

# The build tree of KVER when one is given; else the running kernel's when it
# has one, else the Debian cloud headers of $(KSERIES) that `make deps`
# installs. The exact ABI version comes from the meta package, never from
# this file.
ifeq ($(KSERIES),6.1)
KMETA := linux-headers-cloud-amd64
else
KMETA := linux-headers-$(KSERIES)-cloud-amd64
endif
KREL := $(shell dpkg-query -W -f='$${Depends}' $(KMETA) 2>/dev/null | \
	sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
ifeq ($(origin KDIR),undefined)
ifneq ($(KVER_GIVEN),)
KDIR := $(firstword $(wildcard /lib/modules/$(KVER)/build /usr/src/linux-headers-$(KVER)) \
	/lib/modules/$(KVER)/build)
else ifneq ($(wildcard /lib/modules/$(shell uname -r)/build),)
KDIR := /lib/modules/$(shell uname -r)/build
else
KDIR := /usr/src/linux-headers-$(KREL)
endif
endif
GUEST_KERNEL ?= $(CACHE)/kernel/$(KREL)/boot/vmlinuz-$(KREL)

# KSERIES=sid: the newest series in Debian unstable (7.2 today), whose
# headers need a newer gcc and C library than the host's. scripts/sid-chroot.sh
# makes a sid chroot with them (cached) and fetches that kernel for the guest;
# only the module is built in the chroot (KMAKE), where the headers are at
# KBUILD_DIR. The library, the tool and the tests are built on the host.
ifeq ($(KSERIES),sid)
KREL := $(shell scripts/sid-chroot.sh --print-krel)
KDIR := $(shell scripts/sid-chroot.sh --print-kdir)
GUEST_KERNEL := $(shell scripts/sid-chroot.sh --print-kernel)
KMAKE = scripts/sid-chroot.sh --make
KBUILD_DIR = /usr/src/linux-headers-$(KREL)
DEPS = scripts/deps.sh 6.12 && scripts/sid-chroot.sh
else
KMAKE = $(MAKE)
KBUILD_DIR = $(KDIR)
DEPS = scripts/deps.sh $(DEPS_ARGS)
endif

B := build
CC ?= gcc
UNIT_CC = $(CC)
PKG_CONFIG ?= pkg-config
DEPS_ARGS := $(KSERIES)

# ARCH=arm64 (on make's command line; Kbuild gets it from there): the
# module cross-built against Debian's arm64 cloud headers of KSERIES, the
# libraries, the tool and the selftests against Debian's arm64 libraries
# (multiarch), all into build/arm64/, and the guest is an aarch64 one.
# scripts/deps.sh --arch arm64 fetches and unpacks the headers, the kernel
# and busybox under $(CACHE)/arm64/$(KSERIES)/. What make check does on the
# host that only makes sense for x86 is said and skipped (run-check).
# Kbuild of 6.12 builds an external module only in its source directory, so
# the arm64 one is built in build/arm64/kbuild/, a tree of links to Kbuild
# and kmod/ (MOD_DIR): the x86 kipc.ko and its objects stay as they are.
MOD_DIR := $(CURDIR)
MOD_PREP :=
ifeq ($(ARCH),arm64)
ARM64_DIR := $(CACHE)/arm64/$(KSERIES)
CROSS_COMPILE ?= aarch64-linux-gnu-
ARM64_TRIPLET := aarch64-linux-gnu
ifneq ($(origin KDIR),command line)
KDIR := $(ARM64_DIR)/kdir
endif
GUEST_KERNEL = $(firstword $(realpath $(ARM64_DIR)/vmlinuz) $(ARM64_DIR)/vmlinuz)
B := build/arm64
override CC := $(CROSS_COMPILE)gcc
override AR := $(CROSS_COMPILE)ar
# The pure-logic unit test runs on the build machine, so it is built for it.
UNIT_CC := gcc
PKG_CONFIG := PKG_CONFIG_LIBDIR=/usr/lib/$(ARM64_TRIPLET)/pkgconfig:/usr/share/pkgconfig pkg-config
DEPS_ARGS := --arch arm64 $(KSERIES)
QEMU_ARCH_ARGS := --arch arm64 --busybox $(ARM64_DIR)/busybox
KBUILD_ARGS := CROSS_COMPILE=$(CROSS_COMPILE)
MOD_DIR := $(CURDIR)/$(B)/kbuild
MOD_PREP = mkdir -p $(MOD_DIR) && cp -rs --remove-destination $(CURDIR)/Kbuild $(CURDIR)/kmod $(MOD_DIR)/
else ifneq ($(filter-out x86_64 x86 amd64,$(ARCH)),)
$(error ARCH=$(ARCH): only arm64 is supported besides the build machine's own)
endif
CFLAGS ?= -O2 -g
WARNFLAGS := -Wall -Wextra $(if $(WERROR),-Werror)
# Each object (or one-file binary) lists the headers it read in a .d file
# beside it; -MP keeps a deleted header from breaking the build.
DEPFLAGS = -MMD -MP
CPPFLAGS += -Ikmod/include/uapi -Ilib -D_GNU_SOURCE
NL_CFLAGS = $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0)
NL_LIBS = $(shell $(PKG_CONFIG) --libs libnl-genl-3.0)
SCOLS_CFLAGS = $(shell $(PKG_CONFIG) --cflags smartcols)
SCOLS_LIBS = $(shell $(PKG_CONFIG) --libs smartcols)

VERSION := 0.1.0
SOVERSION := 1

UAPI := kmod/include/uapi/linux/kipc.h
# Generated from the netlink spec by `make spec`; included by $(UAPI).
UAPI_NL := kmod/include/uapi/linux/kipc_netlink.h
NL_GENERATED := $(UAPI_NL) kmod/netlink-gen.h kmod/netlink-gen.c lib/admin-gen.h

# Installation directories; make install honours DESTDIR and these.
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# Debian's zsh searches vendor-completions under /usr, site-functions under
# /usr/local.
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/$(if $(filter /usr,$(PREFIX)),vendor-completions,site-functions)

.PHONY: all modules check run-check check-6.1 demo run-demo deps \
	stage-deb demo-deb run-demo-deb spec spec-check bench run-bench \
	style kernel-doc sparse man-check clean stage install uninstall check-sid build-kernels \
	static-check check-debug run-check-debug uapi-holes FORCE
all: modules lib tools selftests examples python

# The libraries, the tool and the selftests: each directory's own rules.
include lib/lib.mk tools/tools.mk selftests/selftests.mk examples/examples.mk \
	bindings/python/python.mk bindings/rust/rust.mk

modules:
	@test -d "$(KDIR)" || { echo "no kernel build tree at '$(KDIR)': run 'make deps'" >&2; exit 1; }
	$(MOD_PREP)
	$(KMAKE) -C $(KBUILD_DIR) M=$(MOD_DIR) $(KBUILD_ARGS) W=1 $(if $(WERROR),KCFLAGS=-Werror) modules

sparse:
	$(MOD_PREP)
	$(MAKE) -C $(KDIR) M=$(MOD_DIR) $(KBUILD_ARGS) W=1 C=2 modules

# sparse over the module (C=2 checks every file, built or not), as part of
# make check: any warning fails. (W=1 is enforced by the build itself:
# with WERROR=1, as make check sets it, a W=1 warning is an error.)
static-check:
	@test -d "$(KDIR)" || { echo "no kernel build tree at '$(KDIR)': run 'make deps'" >&2; exit 1; }
	@mkdir -p $(B)
ifeq ($(KSERIES),sid)
	@# The chroot has no sparse; the W=1 -Werror build of stage stands.
	@echo "# static-check: sparse skipped on KSERIES=sid (the chroot has none)"
else
	@$(MOD_PREP)
	@$(MAKE) -C $(KDIR) M=$(MOD_DIR) $(KBUILD_ARGS) W=1 $(if $(WERROR),KCFLAGS=-Werror) C=2 modules \
		>$(B)/static-check.log 2>&1 || \
		{ cat $(B)/static-check.log; echo "static-check: the module build failed" >&2; exit 1; }
	@if grep -E 'warning:|error:' $(B)/static-check.log; then \
		echo "static-check: sparse or W=1 warnings (above)" >&2; exit 1; fi
	@echo "# static-check: sparse (C=2) clean"
endif
	@# No two of the module's files call each other (kipc_private.h).
	@scripts/kmod-calls.sh $(MOD_DIR) >$(B)/kmod-calls.log || \
		{ cat $(B)/kmod-calls.log; exit 1; }
	@tail -n 1 $(B)/kmod-calls.log

# --- the guest -------------------------------------------------------------------
# Everything the guest needs, laid out as it will be under /kipc.
stage: all
	rm -rf $(B)/stage
	mkdir -p $(B)/stage/bin $(B)/stage/lib
	cp -a $(B)/lib/*.so* $(B)/stage/lib/
	cp $(B)/tools/kipc $(TEST_BINS) $(DEMO_BINS) $(BENCH_BINS) $(B)/stage/bin/
	mkdir -p $(B)/stage/bin/mqueue
	cp $(MQUEUE_BINS) $(B)/stage/bin/mqueue/
	cp selftests/guest-*.sh selftests/demo.sh $(B)/stage/bin/
	cp bindings/rust/guest-test.sh $(B)/stage/bin/rust_test
	$(if $(filter arm64,$(ARCH)),,$(MAKE) rust && cp -r $(RUST_TESTS) $(B)/stage/bin/rust)
	echo '$(BENCH_ARGS)' > $(B)/stage/bench-args
	cp $(MOD_DIR)/kipc.ko $(B)/stage/
	$(if $(filter arm64,$(ARCH)),@echo "# stage: YNL not staged for ARCH=arm64 (it would need an arm64 Python); ynl_test skips", \
		scripts/stage-ynl.sh $(KSRC) $(B)/stage/ynl)
	scripts/stage-tmux.sh $(B)/stage/tmux
	$(if $(filter arm64,$(ARCH)),@echo "# stage: Python not staged for ARCH=arm64 (no arm64 Python); python_test skips", \
		scripts/stage-python.sh $(B)/python $(B)/stage/python)
	cp selftests/python_test.sh $(B)/stage/bin/python_test
	if [ -f $(MOD_DIR)/kipc_kunit.ko ] && grep -qx 'CONFIG_KUNIT=y' $(KDIR)/.config 2>/dev/null; then \
		cp $(MOD_DIR)/kipc_kunit.ko $(B)/stage/; fi

# GUEST_ENV="NAME=value ...": the kernel hands NAME=value words of its
# command line (without a dot) to init as its environment, e.g.
# make check GUEST_ENV=KIPC_FUZZ_SEED=0x1234 replays a fuzzer run.
# GUEST_TIMEOUT=SECS replaces the guest's time limit (run.sh --timeout), for
# a long KIPC_REPEAT.
QEMU_RUN = selftests/qemu/run.sh --kernel $(GUEST_KERNEL) --ko $(B)/stage/kipc.ko \
	   --root $(B)/stage --out $(B)/qemu-$(KSERIES) $(QEMU_ARCH_ARGS) \
	   $(if $(GUEST_ENV),--append "$(GUEST_ENV)") \
	   $(if $(GUEST_TIMEOUT),--timeout $(GUEST_TIMEOUT))

deps:
	$(DEPS)

# deps first, then a new make: the kernel version is only known once the
# headers' meta package is installed.
check:
	$(DEPS)
	$(MAKE) run-check

# The layout check is quick and needs no guest, so it goes first; the
# guest's tally stays the last line.
run-check:
	$(MAKE) spec-check
	$(MAKE) WERROR=1 stage
	$(MAKE) WERROR=1 run-unit
	$(MAKE) WERROR=1 static-check
	@CC='$(CC)' scripts/uapi-holes.sh $(UAPI) $(B)/uapi
	$(QEMU_RUN) --mode check --cmd /kipc/bin/guest-check.sh

uapi-holes:
	@scripts/uapi-holes.sh $(UAPI) $(B)/uapi

check-6.1:
	$(MAKE) KSERIES=6.1 check

check-sid:
	$(MAKE) KSERIES=sid check

# kipc.ko built (W=1, -Werror; never loaded) against every kernel series
# Debian ships headers for: 6.1, 6.12 on the host, sid's and
# trixie-backports' newest in the sid chroot. scripts/build-kernels.sh.
build-kernels:
	scripts/deps.sh 6.1
	scripts/deps.sh 6.12
	scripts/sid-chroot.sh
	scripts/sid-chroot.sh --other-headers
	scripts/build-kernels.sh $(B)/kernels

# Tier B: the whole suite on a debug kernel built from linux-source-6.12
# (scripts/debug-kernel.sh, cached under $(CACHE)/debug-kernel/ by a hash of
# scripts/debug-kernel.config). kipc.ko is rebuilt against that tree.
DEBUG_KDIR = $(shell scripts/debug-kernel.sh --print-dir)
check-debug:
	$(if $(filter arm64,$(ARCH)),$(error check-debug: the Tier B kernel is x86 only; ARCH=arm64 runs make check))
	scripts/deps.sh 6.12
	scripts/debug-kernel.sh >/dev/null
	$(MAKE) run-check-debug

run-check-debug:
	$(MAKE) WERROR=1 KDIR=$(DEBUG_KDIR) stage
	selftests/qemu/run.sh --kernel $(DEBUG_KDIR)/arch/x86/boot/bzImage \
		--ko $(B)/stage/kipc.ko --root $(B)/stage --out $(B)/qemu-debug \
		$(if $(GUEST_ENV),--append "$(GUEST_ENV)") \
		$(if $(GUEST_TIMEOUT),--timeout $(GUEST_TIMEOUT)) \
		--mode debug --cmd /kipc/bin/guest-check.sh

demo:
	$(DEPS)
	$(MAKE) run-demo

run-demo: stage
	$(QEMU_RUN) --mode demo --cmd /kipc/bin/demo.sh

# The demo once more, but with the library and the tool of the built .debs
# (DEBDIR, default ..: where dpkg-buildpackage leaves them), unpacked as they
# would be installed: /kipc/usr/bin/kipc and /kipc/usr/lib/<multiarch>, the
# loader pointed there by LD_LIBRARY_PATH. Only the module and the demo's
# own helper come from this tree; build/lib is not in the guest at all.
DEBDIR ?= ..
DEB_MULTIARCH = $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
DEB_PKGS := libkipc1 libkipc-admin1 kipc-tools
stage-deb: modules $(DEMO_BINS)
	rm -rf $(B)/stage-deb
	mkdir -p $(B)/stage-deb/bin
	@for p in $(DEB_PKGS); do \
		deb=$$(ls -t $(DEBDIR)/$${p}_*.deb 2>/dev/null | head -n1); \
		[ -n "$$deb" ] || { echo "stage-deb: no $${p}_*.deb in $(DEBDIR)" >&2; exit 1; }; \
		echo "dpkg-deb -x $$deb $(B)/stage-deb"; \
		dpkg-deb -x "$$deb" $(B)/stage-deb || exit 1; \
	done
	cp $(DEMO_BINS) selftests/demo.sh selftests/demo-deb.sh $(B)/stage-deb/bin/
	cp kipc.ko $(B)/stage-deb/

demo-deb:
	scripts/deps.sh $(KSERIES)
	$(MAKE) run-demo-deb

run-demo-deb: stage-deb
	selftests/qemu/run.sh --kernel $(GUEST_KERNEL) --ko $(B)/stage-deb/kipc.ko \
		--root $(B)/stage-deb --out $(B)/qemu-deb-$(KSERIES) \
		--libdir /kipc/usr/lib/$(DEB_MULTIARCH) \
		--mode demo --cmd /kipc/bin/demo-deb.sh

# Benchmarks: the debug options stay off (run.sh --mode bench). Results
# land in build/bench/ (bench.log, results.json, plot-*.svg drawn on the
# host by scripts/bench-plot.py with gnuplot); BENCH_ARGS go to kipc_bench
# in the guest, e.g. BENCH_ARGS='-r 3 rtt'. ipcmni_extend lets the dump
# case create its 100,000 SysV queues (kernel.msgmni stops at 32768
# without it).
BENCH_OUT := $(B)/bench
BENCH_APPEND ?= ipcmni_extend
bench:
	$(DEPS)
	$(MAKE) run-bench

run-bench:
	$(MAKE) WERROR=1 stage
	@mkdir -p $(BENCH_OUT)
	$(QEMU_RUN) --mode bench --out $(BENCH_OUT)/qemu --append '$(BENCH_APPEND)' \
		--cmd /kipc/bin/guest-bench.sh; \
	rc=$$?; scripts/bench-report.sh $(BENCH_OUT) || rc=1; \
	scripts/bench-plot.py $(BENCH_OUT) || rc=1; exit $$rc

CHECKPATCH := $(KSRC)/scripts/checkpatch.pl
style:
	@test -f $(CHECKPATCH) || { echo "no checkpatch.pl under $(KSRC): run 'make deps'" >&2; exit 1; }
	@# KIPC_IOCTL_OP() names its ioctl twice, as iommufd's IOCTL_OP() does;
	@# it is only ever given constants.
	$(CHECKPATCH) --no-tree --strict --terse --show-types \
		--ignore MACRO_ARG_REUSE \
		-f $(filter-out $(NL_GENERATED),$(wildcard kmod/*.c) \
			$(filter-out kmod/compat.h kmod/kipc_trace.h,$(wildcard kmod/*.h))) \
		kmod/tests/*.c kmod/tests/*.h
	@# TRACE_EVENT()s are laid out as include/trace/events/ lays them out,
	@# one TP_*() per line: checkpatch --strict reads those as calls.
	$(CHECKPATCH) --no-tree --strict --terse --show-types \
		--ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT -f kmod/kipc_trace.h
	@# Version checks are the point of the compat header of an
	@# out-of-tree module, as in wireguard-linux-compat.
	$(CHECKPATCH) --no-tree --strict --terse --show-types \
		--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f kmod/compat.h
	@# User space cannot use BIT(), and iommufd's layout puts each ioctl
	@# number right under its struct.
	$(CHECKPATCH) --no-tree --strict --terse --show-types \
		--ignore BIT_MACRO,LINE_SPACING -f $(UAPI)
	@$(MAKE) kernel-doc

# Every kernel-doc comment (/** ... */) in kmod/ must match what it
# documents: a parameter or member not described, or described under a name
# it does not have, is a warning, and any warning fails. (kernel-doc's exit
# status counts warnings only with -Werror, and modulo 256, so its output is
# what is checked.) KDOC_FILES=... checks other files.
KERNEL_DOC := $(KSRC)/scripts/kernel-doc
KDOC_FILES ?= $(wildcard kmod/*.c kmod/*.h)
kernel-doc:
	@test -f $(KERNEL_DOC) || { echo "no scripts/kernel-doc under $(KSRC): run 'make deps'" >&2; exit 1; }
	@out=$$($(KERNEL_DOC) -none -Wall $(KDOC_FILES) 2>&1); \
	if [ -n "$$out" ]; then \
		printf '%s\n' "$$out"; \
		echo "kernel-doc: $$(printf '%s\n' "$$out" | grep -c 'warning:') warnings in $(words $(KDOC_FILES)) files" >&2; \
		exit 1; fi; \
	echo "kernel-doc: $(words $(KDOC_FILES)) files, no warnings"

# --- the netlink spec ----------------------------------------------------------
# kmod/netlink/specs/kipc.yaml is the source of the family's uapi enums and
# kernel policies; `make spec` regenerates them with the kernel's ynl-gen-c,
# and `make spec-check` (part of `make check`) fails if they are stale.
spec:
	scripts/ynl-gen.sh $(KSRC) $(B)/ynl
	cp $(B)/ynl/kipc_netlink.h $(UAPI_NL)
	cp $(B)/ynl/netlink-gen.h $(B)/ynl/netlink-gen.c kmod/
	cp $(B)/ynl/admin-gen.h lib/

spec-check:
	@scripts/ynl-gen.sh $(KSRC) $(B)/ynl
	@fail=0; for f in $(NL_GENERATED); do \
		cmp -s $(B)/ynl/$$(basename $$f) $$f || \
			{ echo "spec-check: $$f is stale: run 'make spec'" >&2; fail=1; }; \
	done; [ $$fail = 0 ] && echo "spec-check: generated netlink code matches kmod/netlink/specs/kipc.yaml"

# --- man pages ---------------------------------------------------------------------
# MAN3 and MAN7 come from lib/lib.mk, MAN8 from tools/tools.mk. Laid out as installed, so that the .so links resolve; any warning fails,
# and so does a function in a version script without a page of its own.
# man(1), when there, renders each page once more as a reader would see it.
man-check:
	@command -v groff >/dev/null || { echo "man-check: groff is not installed" >&2; exit 1; }
	@rm -rf $(B)/man
	@mkdir -p $(B)/man/man3 $(B)/man/man7 $(B)/man/man8
	@cp $(MAN3) $(B)/man/man3/
	@cp $(MAN7) $(B)/man/man7/
	@cp $(MAN8) $(B)/man/man8/
	@cd $(B)/man && fail=0 n=0; \
	for page in man3/*.3 man7/*.7 man8/*.8; do \
		n=$$((n + 1)); \
		out=$$(groff -man -ww -z $$page 2>&1); \
		if [ -z "$$out" ] && command -v man >/dev/null; then \
			out=$$(MANWIDTH=80 man --warnings=w -l $$page 2>&1 >/dev/null); \
		fi; \
		if [ -n "$$out" ]; then echo "$$page: $$out"; fail=1; fi; \
	done; \
	for sym in $$(sed -n 's/^[[:space:]]*\(kipc_[a-z0-9_]*\);$$/\1/p' $(CURDIR)/lib/*.map); do \
		[ -f man3/$$sym.3 ] || { echo "man-check: $$sym (lib/*.map) has no page lib/man/$$sym.3"; fail=1; }; \
	done; \
	[ $$fail = 0 ] && echo "man-check: $$n pages, no warnings, one for every exported function"; exit $$fail

# --- installing ------------------------------------------------------------------
# Honours DESTDIR and PREFIX (default /usr/local). `make install` is
# install-module (kipc.ko for the kernel it was built against, then depmod)
# plus install-userspace (libraries, headers, .pc files, the tool, man pages,
# bash completion, the udev rule). depmod, ldconfig and the udev reload run
# only when installing into the live system, never with DESTDIR.
# udev and systemd-sysusers read only their own directories, never any under
# /usr/local, so these two do not follow PREFIX.
UDEVRULESDIR ?= /usr/lib/udev/rules.d
SYSUSERSDIR ?= /usr/lib/sysusers.d
# `kipc limits apply` reads /etc/kipc whatever PREFIX is. The example
# limits.conf (all comments) is installed only where there is none, and
# uninstall removes it only as installed: an administrator may have
# edited it.
SYSCONFDIR ?= /etc
# Where out-of-tree modules go (DKMS uses updates/dkms). Without KVER,
# modinfo reads the kernel release from the built module, so KDIR=...
# installs for that kernel; install-module refuses a kipc.ko built for
# another kernel than KVER.
KVER_BUILT = $(or $(shell modinfo -F vermagic kipc.ko 2>/dev/null | cut -d' ' -f1),$(shell uname -r))
KVER ?= $(KVER_BUILT)
KMODDIR ?= /lib/modules/$(KVER)/updates
DKMS_SRCDIR ?= /usr/src/kipc-$(VERSION)

# /dev/kipc is 0666 by default: like /dev/shm and /dev/mqueue, the node is
# only a door, and every object carries its own owner and mode. With
# KIPC_GROUP=kipc the rule makes it 0660 root:kipc, so that only members of
# that group can open objects, and a sysusers.d file creates the group.
KIPC_GROUP ?=
ifeq ($(KIPC_GROUP),)
UDEV_PERMS := MODE="0666"
SYSUSERS_CONF :=
else
UDEV_PERMS := MODE="0660", GROUP="$(KIPC_GROUP)"
SYSUSERS_CONF := $(SYSUSERSDIR)/kipc.conf
endif

# Expanded when used: on a first install, kipc.ko (and so KVER) is built
# only after this file is read.
INSTALLED_MODULE = $(KMODDIR)/kipc.ko
# INSTALLED_LIB and INSTALLED_TOOL come from lib/lib.mk and tools/tools.mk.
INSTALLED_USERSPACE := $(INSTALLED_LIB) $(INSTALLED_TOOL) $(INSTALLED_RUST) \
	$(UDEVRULESDIR)/60-kipc.rules $(SYSUSERS_CONF)
# What DKMS builds from: everything Kbuild needs, and nothing else.
DKMS_FILES := Kbuild dkms.conf $(shell find kmod -name '*.[ch]' | LC_ALL=C sort)

.PHONY: install-module install-userspace install-dkms-src \
	uninstall-module uninstall-userspace uninstall-dkms-src
install: install-module install-userspace

install-module: modules
	@built=$$(modinfo -F vermagic kipc.ko | cut -d' ' -f1); [ "$$built" = "$(KVER)" ] || \
		{ echo "install-module: kipc.ko is built for $$built, not KVER=$(KVER) (KDIR=$(KDIR))" >&2; exit 1; }
	install -D -m 0644 kipc.ko $(DESTDIR)$(KMODDIR)/kipc.ko
	$(if $(DESTDIR),,depmod -a $(KVER))

$(B)/dist/60-kipc.rules: dist/60-kipc.rules.in FORCE
	@mkdir -p $(@D)
	@sed -e 's|@PERMS@|$(UDEV_PERMS)|' -e 's|@BINDIR@|$(BINDIR)|' $< | cmp -s - $@ || \
		sed -e 's|@PERMS@|$(UDEV_PERMS)|' -e 's|@BINDIR@|$(BINDIR)|' $< > $@

install-userspace: install-lib install-tool install-python install-rust $(B)/dist/60-kipc.rules
	install -D -m 0644 $(B)/dist/60-kipc.rules $(DESTDIR)$(UDEVRULESDIR)/60-kipc.rules
	install -d $(DESTDIR)$(SYSCONFDIR)/kipc/limits.d
	[ -e $(DESTDIR)$(SYSCONFDIR)/kipc/limits.conf ] || \
		install -m 0644 dist/limits.conf $(DESTDIR)$(SYSCONFDIR)/kipc/limits.conf
	$(if $(SYSUSERS_CONF),sed 's|@GROUP@|$(KIPC_GROUP)|' dist/kipc.sysusers.in | \
		install -D -m 0644 /dev/stdin $(DESTDIR)$(SYSUSERS_CONF))
	$(if $(DESTDIR),,ldconfig)
	$(if $(DESTDIR),,$(if $(SYSUSERS_CONF),systemd-sysusers $(SYSUSERS_CONF) || groupadd -rf $(KIPC_GROUP)))
	$(if $(DESTDIR),,-udevadm control --reload)

# The source tree `dkms add` expects (and kipc-dkms ships).
install-dkms-src:
	install -d $(DESTDIR)$(DKMS_SRCDIR)
	cp --parents $(DKMS_FILES) $(DESTDIR)$(DKMS_SRCDIR)/

# Everything `make install` put there, and nothing else: directories stay,
# and so does a group a sysusers.d file created (its files may use it).
uninstall: uninstall-module uninstall-userspace

uninstall-module:
	rm -f $(DESTDIR)$(INSTALLED_MODULE)
	$(if $(DESTDIR),,depmod -a $(KVER))

uninstall-userspace: uninstall-python
	rm -f $(addprefix $(DESTDIR),$(INSTALLED_USERSPACE))
	! cmp -s dist/limits.conf $(DESTDIR)$(SYSCONFDIR)/kipc/limits.conf || \
		rm -f $(DESTDIR)$(SYSCONFDIR)/kipc/limits.conf
	$(if $(DESTDIR),,ldconfig)

uninstall-dkms-src:
	rm -f $(addprefix $(DESTDIR)$(DKMS_SRCDIR)/,$(DKMS_FILES))
	-find $(DESTDIR)$(DKMS_SRCDIR) -depth -type d -empty -delete

clean:
	-$(KMAKE) -C $(KBUILD_DIR) M=$(CURDIR) clean 2>/dev/null
	rm -f kipc_kunit.ko
	rm -rf $(B)
