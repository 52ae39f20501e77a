# SPDX-License-Identifier: GPL-2.0-only
#
# bindings/rust: the kipc crate, built offline with Debian's cargo from the
# crates Debian packages (bindings/rust/.cargo/config.toml), never rustup's.
# Included by the top Makefile.
#
#   make rust       the crate and its test binaries, staged in $(B)/rust/tests
#                   (run in the guest by rust_test, bindings/rust/guest-test.sh)
#   make rust-doc   cargo doc, warnings fail
#   make rust-abi   the crate's uapi mirror against the C header, on the host
#
# The test binaries are not cross-built: under ARCH=arm64 nothing is staged
# and rust_test skips, saying why.

CARGO ?= /usr/bin/cargo
# cargo runs the rustc it finds in PATH, which may be rustup's (~/.cargo/bin,
# absent on a fresh CI machine): Debian's is named.
RUSTC ?= /usr/bin/rustc
RUSTDOC ?= /usr/bin/rustdoc
RUST_DIR := bindings/rust
RUST_TARGET := $(CURDIR)/$(B)/rust/target
RUST_TESTS := $(B)/rust/tests
CARGO_ENV = CARGO_TARGET_DIR=$(RUST_TARGET) CARGO_HOME=$(CURDIR)/$(B)/rust/cargo-home \
	RUSTC=$(RUSTC) RUSTDOC=$(RUSTDOC)
RUST_SRCS := $(shell find $(RUST_DIR) -name '*.rs' -o -name '*.toml' -o -name '*.c')

.PHONY: rust rust-doc rust-abi

# The C compiler's view of the uapi, for tests/abi.rs.
$(B)/rust/abi.txt: $(RUST_DIR)/tests/abi.c $(UAPI) $(UAPI_NL)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARNFLAGS) -o $(B)/rust/abi $<
	$(B)/rust/abi > $@

# cargo decides what to rebuild; the executables it reports are copied under
# the name of their test file (queue, sem, ...), next to abi.txt.
rust: $(B)/rust/abi.txt
	@test -x $(CARGO) || { echo "rust: no $(CARGO): apt-get install cargo librust-libc-dev (make deps)" >&2; exit 1; }
	cd $(RUST_DIR) && $(CARGO_ENV) $(CARGO) test --test '*' --no-run --message-format=json \
		>$(CURDIR)/$(B)/rust/build.json
	rm -rf $(RUST_TESTS) && mkdir -p $(RUST_TESTS)
	sed -n 's/.*"name":"\([a-z_]*\)","src_path":"[^"]*\/tests\/[a-z_]*\.rs".*"executable":"\([^"]*\)".*/\1 \2/p' \
		$(B)/rust/build.json | while read -r n exe; do cp "$$exe" $(RUST_TESTS)/$$n || exit 1; done
	@test -x $(RUST_TESTS)/queue || { echo "rust: no test executables in $(B)/rust/build.json" >&2; exit 1; }
	cp $(B)/rust/abi.txt $(RUST_TESTS)/

rust-abi: rust
	KIPC_ABI_TXT=$(B)/rust/abi.txt $(RUST_TESTS)/abi

rust-doc:
	cd $(RUST_DIR) && $(CARGO_ENV) RUSTDOCFLAGS='-D warnings' $(CARGO) doc --no-deps
	@echo "# rust-doc: $(RUST_TARGET)/doc/kipc/index.html"

# make install: the crate's source where Debian's librust-*-dev packages put
# theirs, so that a .cargo/config.toml with a directory source (as above)
# builds against it offline. The checksum file says there is no .crate to
# check against.
CARGO_REGISTRYDIR ?= $(PREFIX)/share/cargo/registry
RUST_CRATE := kipc-$(VERSION)
RUST_CRATE_FILES := Cargo.toml README.md $(sort $(wildcard $(RUST_DIR)/src/*.rs)) \
	$(sort $(wildcard $(RUST_DIR)/tests/*.rs $(RUST_DIR)/tests/*.c $(RUST_DIR)/tests/common/*.rs))
RUST_CRATE_FILES := $(patsubst $(RUST_DIR)/%,%,$(RUST_CRATE_FILES))
INSTALLED_RUST := $(addprefix $(CARGO_REGISTRYDIR)/$(RUST_CRATE)/,$(RUST_CRATE_FILES) .cargo-checksum.json)

.PHONY: install-rust
install-rust:
	@grep -qx 'version = "$(VERSION)"' $(RUST_DIR)/Cargo.toml || \
		{ echo "install-rust: $(RUST_DIR)/Cargo.toml is not version $(VERSION)" >&2; exit 1; }
	for f in $(RUST_CRATE_FILES); do \
		install -D -m 0644 $(RUST_DIR)/$$f $(DESTDIR)$(CARGO_REGISTRYDIR)/$(RUST_CRATE)/$$f || exit 1; done
	echo '{"package":null,"files":{}}' > $(DESTDIR)$(CARGO_REGISTRYDIR)/$(RUST_CRATE)/.cargo-checksum.json
