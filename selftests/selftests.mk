# SPDX-License-Identifier: GPL-2.0-only
#
# selftests/: the kselftest-harness tests (*_test, run in the guest by
# guest-check.sh), the demo, the benchmarks, and the host-side unit test of
# the module's pure logic. Included by the top Makefile. Each binary is one
# source file; -MMD -MP writes what it includes next to it ($@.d).

TEST_SRCS := $(wildcard selftests/*_test.c)
TEST_BINS := $(patsubst selftests/%.c,$(B)/selftests/%,$(TEST_SRCS))
TEST_CPPFLAGS := -I$(KSRC)/tools/testing/selftests
DEMO_BINS := $(B)/selftests/kipc_demo
# Benchmarks are not *_test: guest-check.sh runs those as tests.
BENCH_SRCS := $(wildcard selftests/bench/*.c)
BENCH_BINS := $(patsubst selftests/bench/%.c,$(B)/selftests/%,$(BENCH_SRCS))
SELFTEST_BINS := $(TEST_BINS) $(DEMO_BINS) $(BENCH_BINS)

.PHONY: selftests
selftests: $(SELFTEST_BINS) $(MQUEUE_BINS)

# The kernel's own mqueue selftest, built unmodified against the C library
# (no -lkipc-posix, no warning flags of ours: it is not our code);
# posix_mqueue_test runs it over libkipc-posix with LD_PRELOAD. Staged in
# bin/mqueue/, where guest-check.sh does not look for *_test binaries.
# mq_perf_tests is not built: it needs libpopt, and it is a benchmark.
MQUEUE_SRC := $(KSRC)/tools/testing/selftests/mqueue
MQUEUE_BINS := $(B)/selftests/mqueue/mq_open_tests
$(MQUEUE_BINS): $(B)/selftests/mqueue/%: $(MQUEUE_SRC)/%.c
	@mkdir -p $(@D)
	$(CC) -O2 -I$(MQUEUE_SRC) -o $@ $< -lrt -lpthread

# Compiled and linked in one step, so the dependency file is named after
# the binary.
BIN_DEPFLAGS = $(DEPFLAGS) -MF $@.d -MT $@

# What each binary links besides libkipc (and what it needs built first).
# The tests of the admin tool check it against libkipc-admin; the tests of
# libkipc-admin against the kernel (nl_*_test) link it; limits across
# namespaces are set and read through it; the benchmarks read slab usage
# through it.
ADMIN_BINS := $(B)/selftests/tool_admin_test $(B)/selftests/ns_limits_test \
	$(B)/selftests/tool_observe_test $(B)/selftests/tool_cfg_test \
	$(filter $(B)/selftests/nl_%,$(TEST_BINS)) $(BENCH_BINS)
$(ADMIN_BINS): EXTRA_LIBS = -lkipc-admin
$(ADMIN_BINS): $(B)/lib/libkipc-admin.so
$(BENCH_BINS): EXTRA_LIBS = -lkipc-admin $(NL_LIBS) -lm
# The POSIX library's test links it before the C library, as a POSIX
# program would (kipc-posix(7)).
$(B)/selftests/posix_test: EXTRA_LIBS = -lkipc-posix
$(B)/selftests/posix_test: $(B)/lib/libkipc-posix.so
$(B)/selftests/posix_mqueue_test: $(B)/lib/libkipc-posix.so $(MQUEUE_BINS)

$(BENCH_BINS): $(B)/selftests/%: selftests/bench/%.c $(B)/lib/libkipc.so
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARNFLAGS) $(BIN_DEPFLAGS) -o $@ $< \
		-L$(B)/lib $(EXTRA_LIBS) -lkipc
$(DEMO_BINS): $(B)/selftests/%: selftests/%.c $(B)/lib/libkipc.so
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARNFLAGS) $(BIN_DEPFLAGS) -o $@ $< -L$(B)/lib -lkipc

$(TEST_BINS): $(B)/selftests/%: selftests/%.c $(B)/lib/libkipc.so
	@test -f $(KSRC)/tools/testing/selftests/kselftest_harness.h || { echo "no kselftest_harness.h under $(KSRC): run 'make deps'" >&2; exit 1; }
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(TEST_CPPFLAGS) $(CFLAGS) $(WARNFLAGS) $(BIN_DEPFLAGS) -o $@ $< \
		-L$(B)/lib $(EXTRA_LIBS) -lkipc -lpthread

# --- host-side unit test of the module's pure logic (kmod/kipc_logic.h) ---------
UNIT_BIN := $(B)/selftests/unit/kipc_logic_unit
.PHONY: unit run-unit
unit: $(UNIT_BIN)
$(UNIT_BIN): selftests/unit/kipc_logic_unit.c
	@mkdir -p $(@D)
	$(UNIT_CC) -Ikmod/include/uapi -include selftests/unit/kernel_shim.h \
		$(CFLAGS) $(WARNFLAGS) $(BIN_DEPFLAGS) -o $@ $<

# Its TAP goes to a file; only failures and the summary are shown, so that
# the guest's tally stays the last line of make check.
run-unit: $(UNIT_BIN)
	@$(UNIT_BIN) >$(B)/unit.tap; st=$$?; \
	grep -E '^not ok|^# host unit' $(B)/unit.tap; \
	if [ $$st != 0 ]; then \
		p=$$(grep -c '^ok' $(B)/unit.tap); f=$$(grep -c '^not ok' $(B)/unit.tap); \
		echo "$$p passed, $$f failed, 0 skipped"; exit 1; fi

-include $(addsuffix .d,$(SELFTEST_BINS) $(UNIT_BIN))
