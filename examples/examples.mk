# SPDX-License-Identifier: GPL-2.0-only
#
# examples/: programs that use the installed library as a user's would, each
# one source file with its `cc ... $(pkg-config --cflags --libs kipc)` line.
# Here they build against the tree: lib/ for <kipc.h>, the uapi directory
# for <linux/kipc.h>, as the .pc file's -I$(INCLUDEDIR)/kipc does.
# Included by the top Makefile; `make` (all) builds them.

EXAMPLE_SRCS := $(wildcard examples/*.c)
EXAMPLE_BINS := $(patsubst examples/%.c,$(B)/examples/%,$(EXAMPLE_SRCS))

.PHONY: examples
examples: $(EXAMPLE_BINS)

$(EXAMPLE_BINS): $(B)/examples/%: examples/%.c $(B)/lib/libkipc.so
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARNFLAGS) $(DEPFLAGS) -o $@ $< \
		-L$(B)/lib -lkipc

-include $(EXAMPLE_BINS:=.d)
