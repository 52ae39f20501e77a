# SPDX-License-Identifier: GPL-2.0-only
#
# lib/: libkipc (the data path, libc only) and libkipc-admin (the netlink
# admin interface, over libnl-genl), shared and static, and their .pc files.
# Included by the top Makefile, which defines B, CC, CPPFLAGS, DEPFLAGS,
# VERSION and SOVERSION.

# Named one by one: a new source file is a change of the library's contents,
# so it is written here, not picked up by a glob.
LIBKIPC_SRCS := lib/libkipc.c lib/libkipc-rpc.c
LIBADMIN_SRCS := lib/admin.c
LIBKIPC_OBJS := $(patsubst lib/%.c,$(B)/lib/%.o,$(LIBKIPC_SRCS))
LIBADMIN_OBJS := $(patsubst lib/%.c,$(B)/lib/%.o,$(LIBADMIN_SRCS))

# The real file is named after the soname plus the minor and patch numbers
# of the release: VERSION 0.1.0 and SOVERSION 1 make libkipc.so.1.1.0, with
# the links libkipc.so.1 (the soname, for the loader) and libkipc.so (for
# the linker). SOVERSION changes only when the ABI breaks; the version
# nodes of lib/*.map say which symbols each release added.
LIB_VERSION := $(SOVERSION).$(word 2,$(subst ., ,$(VERSION))).$(word 3,$(subst ., ,$(VERSION)))

.PHONY: lib
lib: $(B)/lib/libkipc.so $(B)/lib/libkipc.a $(B)/lib/kipc.pc \
     $(B)/lib/libkipc-admin.so $(B)/lib/libkipc-admin.a $(B)/lib/kipc-admin.pc \
     $(B)/lib/libkipc-posix.so

$(LIBADMIN_OBJS): LIB_CFLAGS = $(NL_CFLAGS)
$(LIBKIPC_OBJS) $(LIBADMIN_OBJS): $(B)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(LIB_CFLAGS) $(CFLAGS) $(WARNFLAGS) $(DEPFLAGS) \
		-fPIC -fvisibility=hidden -c -o $@ $<

# One shared library: $(call shlib,name,objects,extra libraries). The
# version script is a prerequisite, so that a new symbol relinks it.
define shlib
$(B)/lib/$(1).so.$(LIB_VERSION): $(2) lib/$(1).map
	$$(CC) -shared -Wl,-soname,$(1).so.$(SOVERSION) \
		-Wl,--version-script=lib/$(1).map -Wl,-z,defs $$(LDFLAGS) \
		-o $$@ $(2) $(3)
$(B)/lib/$(1).so: $(B)/lib/$(1).so.$(LIB_VERSION)
	ln -sf $(1).so.$(LIB_VERSION) $(B)/lib/$(1).so.$(SOVERSION)
	ln -sf $(1).so.$(SOVERSION) $$@
$(B)/lib/$(1).a: $(2)
	rm -f $$@
	$$(AR) rcs $$@ $$^
endef
$(eval $(call shlib,libkipc,$(LIBKIPC_OBJS)))
$(eval $(call shlib,libkipc-admin,$(LIBADMIN_OBJS),$$(NL_LIBS)))

# The paths baked into the .pc files: a change of PREFIX (say, for make
# install) must remake them, and a plain make must not.
PC_PATHS := $(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(VERSION)
$(B)/lib/pc-paths: FORCE
	@mkdir -p $(@D)
	@echo '$(PC_PATHS)' | cmp -s - $@ || echo '$(PC_PATHS)' > $@
$(B)/lib/%.pc: lib/%.pc.in $(B)/lib/pc-paths
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@

# libkipc-posix: POSIX mq_*, sem_open and friends, shm_open over libkipc
# (kipc-posix(7)). Shared only, and with no version script: a program
# linked against the C library asks for mq_open@GLIBC_2.34, which only an
# unversioned definition may stand in for (LD_PRELOAD). Named as the
# others: libkipc-posix.so.1.x.y, soname libkipc-posix.so.1.
LIBPOSIX_OBJS := $(B)/lib/posix/kipc-posix.o
$(LIBPOSIX_OBJS): $(B)/lib/posix/%.o: lib/posix/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARNFLAGS) $(DEPFLAGS) \
		-fPIC -fvisibility=hidden -c -o $@ $<
$(B)/lib/libkipc-posix.so.$(LIB_VERSION): $(LIBPOSIX_OBJS) $(B)/lib/libkipc.so
	$(CC) -shared -Wl,-soname,libkipc-posix.so.$(SOVERSION) -Wl,-z,defs \
		$(LDFLAGS) -o $@ $(LIBPOSIX_OBJS) -L$(B)/lib -lkipc -lpthread
$(B)/lib/libkipc-posix.so: $(B)/lib/libkipc-posix.so.$(LIB_VERSION)
	ln -sf libkipc-posix.so.$(LIB_VERSION) $(B)/lib/libkipc-posix.so.$(SOVERSION)
	ln -sf libkipc-posix.so.$(SOVERSION) $@

-include $(LIBKIPC_OBJS:.o=.d) $(LIBADMIN_OBJS:.o=.d) $(LIBPOSIX_OBJS:.o=.d)

# --- installing --------------------------------------------------------------
PUBLIC_HEADERS := lib/kipc.h lib/kipc-rpc.h lib/kipc-admin.h
LIB_FILES := $(foreach l,libkipc libkipc-admin, \
	$(l).so.$(LIB_VERSION) $(l).so.$(SOVERSION) $(l).so $(l).a) \
	libkipc-posix.so.$(LIB_VERSION) libkipc-posix.so.$(SOVERSION) libkipc-posix.so
MAN3 := $(wildcard lib/man/*.3)
MAN7 := $(wildcard lib/man/*.7)
INSTALLED_LIB := $(addprefix $(LIBDIR)/,$(LIB_FILES)) \
	$(LIBDIR)/pkgconfig/kipc.pc $(LIBDIR)/pkgconfig/kipc-admin.pc \
	$(addprefix $(INCLUDEDIR)/,$(notdir $(PUBLIC_HEADERS))) \
	$(INCLUDEDIR)/kipc/linux/kipc.h $(INCLUDEDIR)/kipc/linux/kipc_netlink.h \
	$(addprefix $(MANDIR)/man3/,$(notdir $(MAN3))) \
	$(addprefix $(MANDIR)/man7/,$(notdir $(MAN7)))

.PHONY: install-lib
install-lib: lib
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/kipc/linux
	cp -P $(addprefix $(B)/lib/,$(LIB_FILES)) $(DESTDIR)$(LIBDIR)/
	install -m 0644 $(B)/lib/kipc.pc $(B)/lib/kipc-admin.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 0644 $(PUBLIC_HEADERS) $(DESTDIR)$(INCLUDEDIR)/
	@# Not include/linux/, which linux-libc-dev owns: the .pc files add
	@# -I$(INCLUDEDIR)/kipc, so <linux/kipc.h> is found there.
	install -m 0644 $(UAPI) $(UAPI_NL) $(DESTDIR)$(INCLUDEDIR)/kipc/linux/
	install -d $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7
	install -m 0644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/
	install -m 0644 $(MAN7) $(DESTDIR)$(MANDIR)/man7/
