# SPDX-License-Identifier: GPL-2.0-only
#
# tools/kipc: the admin tool, over libkipc-admin and libsmartcols, and its
# man pages and bash completion. Included by the top Makefile.

TOOL_SRCS := $(wildcard tools/kipc/*.c)
# Beside the binary $(B)/tools/kipc, so not in a directory of that name.
TOOL_OBJS := $(patsubst tools/kipc/%.c,$(B)/tools/obj/%.o,$(TOOL_SRCS))
MAN8 := $(wildcard tools/kipc/*.8)

.PHONY: tools
# The zsh completion is printed by the tool itself, so not when cross-built.
tools: $(B)/tools/kipc $(if $(filter arm64,$(ARCH)),,$(B)/tools/_kipc)

$(TOOL_OBJS): $(B)/tools/obj/%.o: tools/kipc/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DKIPC_TOOL_VERSION='"$(VERSION)"' $(NL_CFLAGS) $(SCOLS_CFLAGS) \
		$(CFLAGS) $(WARNFLAGS) $(DEPFLAGS) -c -o $@ $<

$(B)/tools/kipc: $(TOOL_OBJS) $(B)/lib/libkipc-admin.so $(B)/lib/libkipc.so
	$(CC) $(CFLAGS) -o $@ $(TOOL_OBJS) \
		$(LDFLAGS) -L$(B)/lib -lkipc-admin -lkipc $(SCOLS_LIBS) $(NL_LIBS)

-include $(TOOL_OBJS:.o=.d)

# kipc completion zsh: from the tables the tool's help comes from.
$(B)/tools/_kipc: $(B)/tools/kipc
	LD_LIBRARY_PATH=$(B)/lib $(B)/tools/kipc completion zsh >$@.tmp
	@if command -v zsh >/dev/null; then zsh -n $@.tmp; \
	else echo "# tools: no zsh here: $@ not syntax-checked"; fi
	mv $@.tmp $@

# --- installing --------------------------------------------------------------
INSTALLED_TOOL := $(BINDIR)/kipc $(addprefix $(MANDIR)/man8/,$(notdir $(MAN8))) \
	$(BASHCOMPDIR)/kipc $(ZSHCOMPDIR)/_kipc

.PHONY: install-tool
install-tool: tools
	install -D -m 0755 $(B)/tools/kipc $(DESTDIR)$(BINDIR)/kipc
	install -d $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	install -D -m 0644 tools/kipc/kipc.bash-completion $(DESTDIR)$(BASHCOMPDIR)/kipc
	install -D -m 0644 $(B)/tools/_kipc $(DESTDIR)$(ZSHCOMPDIR)/_kipc
