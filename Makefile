# Rovo MCP Setup: `make run` opens the app, `make test` runs every test. Both install what is
# missing first (Debian/Ubuntu system packages, the UI's npm packages, tauri-driver).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# System packages: the WebKitGTK/GTK/appindicator/rsvg/ssl build stack, and what the tests
# start themselves (Xvfb, a D-Bus session bus with gnome-keyring, WebKitWebDriver).
# dbus-x11 stays out on purpose: with it, GTK autolaunches a session bus that outlives tests.
BUILD_PACKAGES := build-essential pkg-config libssl-dev file \
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libayatana-appindicator3-dev librsvg2-dev
TEST_PACKAGES := xvfb xauth webkit2gtk-driver dbus gnome-keyring
# Windows and macOS from here: mingw-w64 links the Windows build and Wine runs it.
CROSS_PACKAGES := gcc-mingw-w64-x86-64 wine wine64
WINDOWS_TARGET := x86_64-pc-windows-gnu
MACOS_TARGET := aarch64-apple-darwin
WINDOWS_BIN := target/$(WINDOWS_TARGET)/debug
# One Wine prefix for the whole run: Wine's first start is the slow part.
WINE_PREFIX := $(CURDIR)/target/wine-prefix
WINE := /usr/lib/wine/wine64
WINESERVER := /usr/lib/wine/wineserver

TOOLS := .tools
# zig (from PyPI) compiles the C parts of the macOS lint (tests/cross/zig-cc).
ZIG := $(TOOLS)/zig/ziglang/zig
ZIG_VERSION := 0.17.1
TAURI_DRIVER := $(TOOLS)/bin/tauri-driver
TAURI_DRIVER_VERSION := 2.1.0
CARGO_FUZZ := $(TOOLS)/bin/cargo-fuzz
CARGO_FUZZ_VERSION := 0.13.2
# The fuzz targets (fuzz/fuzz_targets), how long `make fuzz` runs each, and how long the short
# run inside `make test` does.
FUZZ_TARGETS := edit_jsonc edit_toml edit_yaml credentials mcp_reply
FUZZ_SECONDS ?= 300
FUZZ_SHORT_SECONDS ?= 12
# The targets of the short run in `make test`: all of them, as `make fuzz` runs.
FUZZ_SHORT_TARGETS ?= $(FUZZ_TARGETS)
UI_INSTALLED := ui/node_modules/.package-lock.json
# The real AI-client CLIs that judge the configs we write (tests/e2e/client_judges.rs).
JUDGES_INSTALLED := tests/client-judges/node_modules/.package-lock.json
# What a person would run instead of the app, measured beside it by `make bench`.
ALTERNATIVES_INSTALLED := bench/alternatives/node_modules/.package-lock.json
APP := target/debug/rovo-mcp-setup
# Where every test keeps what the app logged (at trace level), printed and left in its state
# file; the leak scan at the end of `make test` searches it (crates/test-support/src/leak_scan.rs).
CAPTURES := target/test-captures
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
export CARGO_TERM_COLOR ?= never
# Incremental caches grow by gigabytes per target and never pay back in a one-off run; a
# developer's own `cargo` commands keep them.
export CARGO_INCREMENTAL ?= 0
export NO_AT_BRIDGE := 1

.PHONY: help run test ui-dist build setup setup-test system-packages test-packages cross-packages installer-test-packages cross-tools lint lint-cross test-rust test-ui test-e2e test-windows test-fuzz fresh-captures leak-scan fuzz fuzz-run bench screenshots package clean

help:
	@echo "make run          install what is missing, build, and open the app"
	@echo "make test         install what is missing, then run every test"
	@echo "make fuzz         fuzz every target for FUZZ_SECONDS each (default 300)"
	@echo "make bench        print the benchmark numbers quoted in the README"
	@echo "make screenshots  refresh the README screenshots from the end-to-end run"
	@echo "make package      build the .deb and .rpm installers (release build)"

run: display-check setup build
	$(APP)

# Fail in one sentence before a long build when there is nothing to show a window on.
.PHONY: display-check
display-check:
	@if [ -z "$${DISPLAY:-}" ] && [ -z "$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "make run: no display (neither DISPLAY nor WAYLAND_DISPLAY is set): run it in a desktop session, or use 'make test', which brings its own virtual display."; \
	  exit 1; \
	fi

test: setup-test fresh-captures lint lint-cross test-ui build test-rust test-windows test-fuzz test-e2e leak-scan
	@echo "make test: every test passed"

setup: system-packages $(UI_INSTALLED)

setup-test: setup test-packages $(TAURI_DRIVER) $(JUDGES_INSTALLED)

system-packages: PACKAGES := $(BUILD_PACKAGES)
test-packages: PACKAGES := $(TEST_PACKAGES)
cross-packages: PACKAGES := $(CROSS_PACKAGES)
installer-test-packages: PACKAGES := rpm
system-packages test-packages cross-packages installer-test-packages:
	@missing=$$(for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' "$$p" 2>/dev/null | grep -q '^install ok installed' || echo "$$p"; \
	done); \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then \
	    echo "setup: missing system packages ($$missing) and no apt-get: see README for macOS and Windows"; exit 1; \
	  fi; \
	  echo "setup: installing system packages:" $$missing; \
	  $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@command -v cargo >/dev/null || { echo "setup: cargo not found: install Rust with rustup (https://rustup.rs)"; exit 1; }
	@command -v npm >/dev/null || { echo "setup: npm not found: install Node.js 20.19 or newer"; exit 1; }

$(UI_INSTALLED): ui/package.json ui/package-lock.json
	npm --prefix ui ci --no-audit --no-fund
	@touch $@

$(JUDGES_INSTALLED): tests/client-judges/package.json tests/client-judges/package-lock.json
	npm --prefix tests/client-judges ci --no-audit --no-fund
	@touch $@

$(ALTERNATIVES_INSTALLED): bench/alternatives/package.json bench/alternatives/package-lock.json
	npm --prefix bench/alternatives ci --no-audit --no-fund
	@touch $@

# The Windows and macOS standard libraries, and zig for the macOS lint's C.
cross-tools: cross-packages $(ZIG)
	@installed=$$(rustup target list --installed); \
	for target in $(WINDOWS_TARGET) $(MACOS_TARGET); do \
	  echo "$$installed" | grep -qx "$$target" || rustup target add "$$target"; \
	done

$(ZIG):
	python3 -m pip install --quiet --disable-pip-version-check --target $(TOOLS)/zig ziglang==$(ZIG_VERSION)

$(TAURI_DRIVER):
	cargo install tauri-driver --version $(TAURI_DRIVER_VERSION) --locked --root $(TOOLS)

$(CARGO_FUZZ):
	cargo install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked --root $(TOOLS)

# The app embeds ui/dist at compile time, so every cargo build, check or clippy of it needs the
# UI built first.
ui-dist: setup
	npm --prefix ui run build

build: ui-dist
	cargo build --locked -p rovo-mcp-setup -p rovo-mcp-setup-cli -p rovo-mcp-setup-tray

lint: ui-dist
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	npm --prefix ui run check

# The whole workspace type-checked and linted for Windows and macOS, so a change that breaks
# either fails here. The end-to-end crate drives Linux's webview and is Linux's alone; what else
# cannot be checked, and why, is in docs/testing.md. DOCS_RS stops mac-notification-sys's build
# script from compiling its Objective-C, which needs Apple's SDK (the lint needs no object code).
lint-cross: ui-dist cross-tools
	@# The release builds x86_64-pc-windows-msvc and both macOS architectures; they differ from
	@# the targets checked here only in target_env and target_arch, which no code of ours reads.
	@if grep -rnE --include=*.rs 'target_(env|arch)' crates src-tauri tests; then \
	  echo "lint-cross: code that depends on target_env or target_arch is not checked for the release targets; check them here too"; exit 1; \
	fi
	cargo clippy --locked --workspace --exclude rovo-e2e --all-targets --target $(WINDOWS_TARGET) -- -D warnings
	DOCS_RS=1 ZIG=$(CURDIR)/$(ZIG) CC_aarch64_apple_darwin=$(CURDIR)/tests/cross/zig-cc \
	  AR_aarch64_apple_darwin=$(CURDIR)/tests/cross/zig-ar \
	  cargo clippy --locked --workspace --exclude rovo-e2e --all-targets --target $(MACOS_TARGET) -- -D warnings

test-ui: setup
	npm --prefix ui test

# The workspace's unit and integration tests, including the keychain test on its own private
# Secret Service and the bindings test, which fails when ui/src/lib/bindings.ts is stale.
test-rust: build test-packages
	cargo test --locked --workspace --exclude rovo-e2e

# The built app in the real webview under its own Xvfb, driven through tauri-driver; and the
# real client CLIs from tests/client-judges reading the configs the core writes.
test-e2e: build setup-test
	cargo test --locked -p rovo-e2e

# The Windows command-line binary and the windowed app under Wine (tests/windows/under_wine.rs),
# with the DLL that Debian's Wine 8 lacks beside them and one prefix prepared for the run,
# stopped after.
test-windows: ui-dist cross-tools
	cargo build --locked --target $(WINDOWS_TARGET) -p rovo-mcp-setup-cli -p rovo-mcp-setup --features rovo-mcp-setup/windowed
	x86_64-w64-mingw32-gcc -shared -O2 -o $(WINDOWS_BIN)/bcryptprimitives.dll tests/windows/bcryptprimitives.c -ladvapi32
	rm -rf $(WINE_PREFIX)
	WINEPREFIX=$(WINE_PREFIX) WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY= $(WINE) wineboot -i
	code=0; WINEPREFIX=$(WINE_PREFIX) ROVO_WINDOWS_BIN=$(CURDIR)/$(WINDOWS_BIN) \
	  cargo test --locked -p rovo-e2e --test windows || code=$$?; \
	  WINEPREFIX=$(WINE_PREFIX) $(WINESERVER) -k || true; exit $$code

fresh-captures:
	rm -rf $(CAPTURES)

# The last test: no test secret, in any form, in anything the suite kept in $(CAPTURES).
leak-scan:
	cargo test --locked -p rovo-e2e --test leak_scan -- --nocapture

# Fuzzing on the stable toolchain: libFuzzer's coverage guidance without a sanitizer (there is
# no unsafe code to sanitise). Seeds come from the test fixtures (fuzz/seed-corpora.sh); what a
# run finds stays in fuzz/corpus, and a crash leaves its input in fuzz/artifacts/TARGET/, which
# `$(CARGO_FUZZ) fuzz run --sanitizer none TARGET fuzz/artifacts/TARGET/crash-…` replays.
# The short run builds without optimisation: half the build time of a release build, for runs
# of a few seconds where speed per input matters little.
test-fuzz: $(CARGO_FUZZ)
	$(MAKE) --no-print-directory fuzz-run FUZZ_SECONDS=$(FUZZ_SHORT_SECONDS) FUZZ_TARGETS="$(FUZZ_SHORT_TARGETS)" FUZZ_BUILD=--dev

fuzz: $(CARGO_FUZZ)
	$(MAKE) --no-print-directory fuzz-run FUZZ_SECONDS=$(FUZZ_SECONDS)

fuzz-run:
	fuzz/seed-corpora.sh
	$(CARGO_FUZZ) fuzz build --sanitizer none $(FUZZ_BUILD)
	mkdir -p fuzz/artifacts
	for target in $(FUZZ_TARGETS); do \
	  log=fuzz/artifacts/$$target.log; \
	  if ! $(CARGO_FUZZ) fuzz run --sanitizer none $(FUZZ_BUILD) $$target fuzz/corpus/$$target -- \
	      -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 > $$log 2>&1; then \
	    tail -n 60 $$log; echo "fuzz: $$target failed; its log is $$log"; exit 1; \
	  fi; \
	  echo "fuzz: $$target: $$(grep -o 'stat::number_of_executed_units: [0-9]*' $$log | grep -o '[0-9]*$$') runs in $(FUZZ_SECONDS) s, no failure"; \
	done

# Benchmarks print the numbers the README quotes; they assert nothing about time. First the
# core's criterion benchmarks, then the whole processes against the release build under a
# private Xvfb and session bus, which print one table with the criterion medians in it.
bench: ui-dist test-packages $(ALTERNATIVES_INSTALLED)
	cargo build --locked --release -p rovo-mcp-setup -p rovo-mcp-setup-cli -p rovo-mcp-setup-tray
	cargo bench --locked -p rovo-mcp-core --bench detect_and_plan --bench probe --bench credentials
	cargo bench --locked -p rovo-e2e --bench whole_process

screenshots: test-e2e
	mkdir -p docs/screenshots
	cp target/e2e-screenshots/*.png docs/screenshots/

package: setup installer-test-packages
	# tauri-cli looks for the config beside the app crate (src-tauri/tauri.conf.json is a
	# symlink to the root one) and must be told where the UI lives.
	# The lean command-line executable and the tray, which the packages install beside the app.
	cargo build --locked --release -p rovo-mcp-setup-cli -p rovo-mcp-setup-tray
	TAURI_APP_PATH=src-tauri TAURI_FRONTEND_PATH=ui ui/node_modules/.bin/tauri build --ci --bundles deb,rpm -- --locked
	@ls -l target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm
	# Each installed into a throwaway root, run there, and taken out without a file left.
	ROVO_BUNDLES=$(CURDIR)/target/release/bundle cargo test --locked -p rovo-e2e --test installers

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules tests/client-judges/node_modules $(TOOLS)
