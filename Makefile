# SPDX-License-Identifier: GPL-2.0-only
#
# kipc: the module (through Kbuild), libkipc, libkipc-admin, the kipc tool,
# the selftests, and the QEMU loop that runs them.
#
#   make               build everything
#   make check         deps, build, run every selftest in a QEMU guest
#   make demo          deps, build, boot the guest and run the narrated demo
#   make deps          install what is missing (apt) and fetch the guest kernel
#   make style         checkpatch --strict over kmod/
#   make sparse        the module with sparse (C=2)
#   make man-check     every man page through groff -ww, warnings fail
#   make install       see README.md

KSERIES ?= 6.12
# The test run must end on its "N passed, N failed" line.
MAKEFLAGS += --no-print-directory
CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/kipc
KSRC ?= $(CACHE)/linux-source-6.12

# The running kernel's build tree when it has one, else the Debian cloud
# headers of $(KSERIES) that `make deps` installs. The exact ABI version comes
# from the meta package, never from this file.
ifeq ($(KSERIES),6.1)
KMETA := linux-headers-cloud-amd64
else
KMETA := linux-headers-$(KSERIES)-cloud-amd64
endif
KREL := $(shell dpkg-query -W -f='$${Depends}' $(KMETA) 2>/dev/null | \
	sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
ifeq ($(origin KDIR),undefined)
ifneq ($(wildcard /lib/modules/$(shell uname -r)/build),)
KDIR := /lib/modules/$(shell uname -r)/build
else
KDIR := /usr/src/linux-headers-$(KREL)
endif
endif
GUEST_KERNEL ?= $(CACHE)/kernel/$(KREL)/boot/vmlinuz-$(KREL)

B := build
CC ?= gcc
CFLAGS ?= -O2 -g
WARNFLAGS := -Wall -Wextra $(if $(WERROR),-Werror)
CPPFLAGS += -Ikmod/include/uapi -Ilib -D_GNU_SOURCE
PKG_CONFIG ?= pkg-config
NL_CFLAGS = $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0)
NL_LIBS = $(shell $(PKG_CONFIG) --libs libnl-genl-3.0)
SCOLS_CFLAGS = $(shell $(PKG_CONFIG) --cflags smartcols)
SCOLS_LIBS = $(shell $(PKG_CONFIG) --libs smartcols)

VERSION := 0.1.0
SOVERSION := 1

UAPI := kmod/include/uapi/linux/kipc.h
# Generated from the netlink spec by `make spec`; included by $(UAPI).
UAPI_NL := kmod/include/uapi/linux/kipc_netlink.h
NL_GENERATED := $(UAPI_NL) kmod/netlink-gen.h kmod/netlink-gen.c

.PHONY: all modules lib tools selftests check run-check check-6.1 demo run-demo deps \
	style sparse man-check clean stage install uninstall spec spec-check
all: modules lib tools selftests

modules:
	@test -d "$(KDIR)" || { echo "no kernel build tree at '$(KDIR)': run 'make deps'" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 C=2 modules

# --- libkipc: the data path, libc only ---------------------------------------
LIBKIPC_SRCS := $(wildcard lib/libkipc*.c)
LIBKIPC_OBJS := $(patsubst lib/%.c,$(B)/lib/%.o,$(LIBKIPC_SRCS))
LIBADMIN_SRCS := $(wildcard lib/admin*.c)
LIBADMIN_OBJS := $(patsubst lib/%.c,$(B)/lib/%.o,$(LIBADMIN_SRCS))

lib: $(B)/lib/libkipc.so $(B)/lib/libkipc.a $(B)/lib/kipc.pc \
     $(B)/lib/libkipc-admin.so $(B)/lib/libkipc-admin.a $(B)/lib/kipc-admin.pc

$(LIBKIPC_OBJS): $(B)/lib/%.o: lib/%.c lib/kipc.h lib/kipc-rpc.h $(UAPI) $(UAPI_NL)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARNFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(LIBADMIN_OBJS): $(B)/lib/%.o: lib/%.c lib/kipc-admin.h lib/kipc.h $(UAPI) $(UAPI_NL)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(NL_CFLAGS) $(CFLAGS) $(WARNFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(B)/lib/libkipc.so.$(VERSION): $(LIBKIPC_OBJS) lib/libkipc.map
	$(CC) -shared -Wl,-soname,libkipc.so.$(SOVERSION) \
		-Wl,--version-script=lib/libkipc.map -Wl,-z,defs $(LDFLAGS) \
		-o $@ $(LIBKIPC_OBJS)
$(B)/lib/libkipc.so: $(B)/lib/libkipc.so.$(VERSION)
	ln -sf libkipc.so.$(VERSION) $(B)/lib/libkipc.so.$(SOVERSION)
	ln -sf libkipc.so.$(SOVERSION) $@
$(B)/lib/libkipc.a: $(LIBKIPC_OBJS)
	$(AR) rcs $@ $^

$(B)/lib/libkipc-admin.so.$(VERSION): $(LIBADMIN_OBJS) lib/libkipc-admin.map $(B)/lib/libkipc.so
	$(CC) -shared -Wl,-soname,libkipc-admin.so.$(SOVERSION) \
		-Wl,--version-script=lib/libkipc-admin.map -Wl,-z,defs $(LDFLAGS) \
		-o $@ $(LIBADMIN_OBJS) $(NL_LIBS)
$(B)/lib/libkipc-admin.so: $(B)/lib/libkipc-admin.so.$(VERSION)
	ln -sf libkipc-admin.so.$(VERSION) $(B)/lib/libkipc-admin.so.$(SOVERSION)
	ln -sf libkipc-admin.so.$(SOVERSION) $@
$(B)/lib/libkipc-admin.a: $(LIBADMIN_OBJS)
	$(AR) rcs $@ $^

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
# The paths baked into the .pc files: a change of PREFIX (say, for make
# install) must remake them, and a plain make must not.
PC_PATHS := $(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(VERSION)
$(B)/lib/pc-paths: FORCE
	@mkdir -p $(@D)
	@echo '$(PC_PATHS)' | cmp -s - $@ || echo '$(PC_PATHS)' > $@
.PHONY: FORCE
$(B)/lib/%.pc: lib/%.pc.in $(B)/lib/pc-paths
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@

# --- the kipc tool -------------------------------------------------------------
TOOL_SRCS := $(wildcard tools/kipc/*.c)
tools: $(B)/tools/kipc
$(B)/tools/kipc: $(TOOL_SRCS) $(wildcard tools/kipc/*.h) lib/kipc-admin.h lib/kipc.h $(B)/lib/libkipc-admin.so $(B)/lib/libkipc.so
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DKIPC_TOOL_VERSION='"$(VERSION)"' $(NL_CFLAGS) $(SCOLS_CFLAGS) $(CFLAGS) $(WARNFLAGS) -o $@ $(TOOL_SRCS) \
		-L$(B)/lib -lkipc-admin -lkipc $(SCOLS_LIBS) $(NL_LIBS)

# --- selftests -------------------------------------------------------------------
TEST_SRCS := $(wildcard selftests/*_test.c)
TEST_BINS := $(patsubst selftests/%.c,$(B)/selftests/%,$(TEST_SRCS))
TEST_CPPFLAGS := -I$(KSRC)/tools/testing/selftests
DEMO_BINS := $(B)/selftests/kipc_demo
selftests: $(TEST_BINS) $(DEMO_BINS)
$(DEMO_BINS): $(B)/selftests/%: selftests/%.c lib/kipc.h $(UAPI) $(UAPI_NL) $(B)/lib/libkipc.so
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARNFLAGS) -o $@ $< -L$(B)/lib -lkipc

$(TEST_BINS): $(B)/selftests/%: selftests/%.c $(wildcard selftests/*.h) $(UAPI) $(UAPI_NL) lib/kipc.h lib/kipc-rpc.h $(B)/lib/libkipc.so
	@test -f $(KSRC)/tools/testing/selftests/kselftest_harness.h || { echo "no kselftest_harness.h under $(KSRC): run 'make deps'" >&2; exit 1; }
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(TEST_CPPFLAGS) $(CFLAGS) $(WARNFLAGS) -o $@ $< \
		-L$(B)/lib $(TEST_LDLIBS) -lkipc -lpthread

# The tests of libkipc-admin (nl_*_test) link it too.
ADMIN_TEST_BINS := $(filter $(B)/selftests/nl_%,$(TEST_BINS))
$(ADMIN_TEST_BINS): TEST_LDLIBS := -lkipc-admin
$(ADMIN_TEST_BINS): lib/kipc-admin.h $(B)/lib/libkipc-admin.so

# --- the guest -------------------------------------------------------------------
# Everything the guest needs, laid out as it will be under /kipc.
stage: all
	rm -rf $(B)/stage
	mkdir -p $(B)/stage/bin $(B)/stage/lib
	cp -a $(B)/lib/*.so* $(B)/stage/lib/
	cp $(B)/tools/kipc $(TEST_BINS) $(DEMO_BINS) $(B)/stage/bin/
	cp selftests/guest-*.sh selftests/demo.sh $(B)/stage/bin/
	cp kipc.ko $(B)/stage/
	scripts/stage-ynl.sh $(KSRC) $(B)/stage/ynl

QEMU_RUN = selftests/qemu/run.sh --kernel $(GUEST_KERNEL) --ko $(B)/stage/kipc.ko \
	   --root $(B)/stage --out $(B)/qemu-$(KSERIES)

deps:
	scripts/deps.sh $(KSERIES)

# deps first, then a new make: the kernel version is only known once the
# headers' meta package is installed.
check:
	scripts/deps.sh $(KSERIES)
	$(MAKE) run-check

run-check:
	$(MAKE) spec-check
	$(MAKE) WERROR=1 stage
	$(QEMU_RUN) --mode check --cmd /kipc/bin/guest-check.sh

check-6.1:
	$(MAKE) KSERIES=6.1 check

demo:
	scripts/deps.sh $(KSERIES)
	$(MAKE) run-demo

run-demo: stage
	$(QEMU_RUN) --mode demo --cmd /kipc/bin/demo.sh

CHECKPATCH := $(KSRC)/scripts/checkpatch.pl
style:
	@test -f $(CHECKPATCH) || { echo "no checkpatch.pl under $(KSRC): run 'make deps'" >&2; exit 1; }
	@# KIPC_IOCTL_OP() names its ioctl twice, as iommufd's IOCTL_OP() does;
	@# it is only ever given constants.
	$(CHECKPATCH) --no-tree --strict --terse --show-types \
		--ignore MACRO_ARG_REUSE \
		-f $(filter-out $(NL_GENERATED),$(wildcard kmod/*.c) \
			$(filter-out kmod/compat.h,$(wildcard kmod/*.h)))
	@# Version checks are the point of the compat header of an
	@# out-of-tree module, as in wireguard-linux-compat.
	$(CHECKPATCH) --no-tree --strict --terse --show-types \
		--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f kmod/compat.h
	@# User space cannot use BIT(), and iommufd's layout puts each ioctl
	@# number right under its struct.
	$(CHECKPATCH) --no-tree --strict --terse --show-types \
		--ignore BIT_MACRO,LINE_SPACING -f $(UAPI)

# --- the netlink spec ----------------------------------------------------------
# kmod/netlink/specs/kipc.yaml is the source of the family's uapi enums and
# kernel policies; `make spec` regenerates them with the kernel's ynl-gen-c,
# and `make spec-check` (part of `make check`) fails if they are stale.
spec:
	scripts/ynl-gen.sh $(KSRC) $(B)/ynl
	cp $(B)/ynl/kipc_netlink.h $(UAPI_NL)
	cp $(B)/ynl/netlink-gen.h $(B)/ynl/netlink-gen.c kmod/

spec-check:
	@scripts/ynl-gen.sh $(KSRC) $(B)/ynl
	@fail=0; for f in $(NL_GENERATED); do \
		cmp -s $(B)/ynl/$$(basename $$f) $$f || \
			{ echo "spec-check: $$f is stale: run 'make spec'" >&2; fail=1; }; \
	done; [ $$fail = 0 ] && echo "spec-check: generated netlink code matches kmod/netlink/specs/kipc.yaml"

# --- man pages ---------------------------------------------------------------------
MAN3 := $(wildcard lib/man/*.3)
MAN7 := $(wildcard lib/man/*.7)
MAN8 := tools/kipc/kipc.8

# Laid out as installed, so that the .so links resolve; any warning fails.
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
	[ $$fail = 0 ] && echo "man-check: $$n pages, no warnings"; exit $$fail

# Honours DESTDIR and PREFIX. The module goes where DKMS and depmod expect
# out-of-tree modules; depmod runs only when installing into the live system.
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
KMODDIR ?= /lib/modules/$(KREL_BUILD)/updates
KREL_BUILD = $(shell modinfo -F vermagic kipc.ko 2>/dev/null | cut -d' ' -f1)
INSTALLED := $(KMODDIR)/kipc.ko $(BINDIR)/kipc \
	$(LIBDIR)/libkipc.so.$(VERSION) $(LIBDIR)/libkipc.so.$(SOVERSION) \
	$(LIBDIR)/libkipc.so $(LIBDIR)/libkipc.a \
	$(LIBDIR)/libkipc-admin.so.$(VERSION) \
	$(LIBDIR)/libkipc-admin.so.$(SOVERSION) $(LIBDIR)/libkipc-admin.so \
	$(LIBDIR)/libkipc-admin.a $(LIBDIR)/pkgconfig/kipc.pc \
	$(LIBDIR)/pkgconfig/kipc-admin.pc $(INCLUDEDIR)/kipc.h \
	$(INCLUDEDIR)/kipc-rpc.h \
	$(INCLUDEDIR)/kipc-admin.h $(INCLUDEDIR)/linux/kipc.h \
	$(INCLUDEDIR)/linux/kipc_netlink.h \
	$(MANDIR)/man8/kipc.8 $(BASHCOMPDIR)/kipc \
	$(addprefix $(MANDIR)/man3/,$(notdir $(MAN3))) \
	$(addprefix $(MANDIR)/man7/,$(notdir $(MAN7)))

install: all
	install -D -m 0644 kipc.ko $(DESTDIR)$(KMODDIR)/kipc.ko
	install -D -m 0755 $(B)/tools/kipc $(DESTDIR)$(BINDIR)/kipc
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/linux
	cp -P $(B)/lib/libkipc*.so* $(B)/lib/libkipc*.a $(DESTDIR)$(LIBDIR)/
	install -m 0644 $(B)/lib/kipc.pc $(B)/lib/kipc-admin.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 0644 lib/kipc.h lib/kipc-rpc.h lib/kipc-admin.h \
		$(DESTDIR)$(INCLUDEDIR)/
	install -m 0644 $(UAPI) $(UAPI_NL) $(DESTDIR)$(INCLUDEDIR)/linux/
	install -D -m 0644 tools/kipc/kipc.8 $(DESTDIR)$(MANDIR)/man8/kipc.8
	install -d $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7
	install -m 0644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/
	install -m 0644 $(MAN7) $(DESTDIR)$(MANDIR)/man7/
	install -D -m 0644 tools/kipc/kipc.bash-completion $(DESTDIR)$(BASHCOMPDIR)/kipc
	$(if $(DESTDIR),,depmod -a $(KREL_BUILD); ldconfig)

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	$(if $(DESTDIR),,depmod -a $(KREL_BUILD); ldconfig)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf $(B)
