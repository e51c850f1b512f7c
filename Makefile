# seqview — `make` (or `make help`) lists the targets.
#
# `make run` and `make test` work on a fresh Debian/Ubuntu machine: they
# first run scripts/deps.sh, which installs the missing system packages
# (or prints the apt-get line to run when it cannot).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# Recipes print their own progress; keep make's directory chatter out.
MAKEFLAGS += --no-print-directory

GO ?= go
# seqview makes every UI change from another goroutine through fyne.Do, so
# it builds with Fyne's migrated_fynedo tag (as `fyne package` does, from
# FyneApp.toml): Fyne then drops its compatibility locking, and every build
# and test here shares one build cache.
export GOFLAGS := $(GOFLAGS) -tags=migrated_fynedo
# Arguments for `make run`, e.g. make run ARGS="-fps 30 ~/renders/shot1"
ARGS ?=

# The measuring tools (benchmarks, charts, X11 driving, the real-window
# tests) are a module of their own in bench/, using the product through a
# replace, so the product's go.mod requires only what seqview and its unit
# tests import. BENCH runs the go command in that module.
BENCH = $(GO) -C bench

# staticcheck is run from the module proxy at a pinned version, so every
# machine checks with the same rules. v0.7.0 (2026.1) type-checks Go 1.26
# code, including new syntax such as new(expr).
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.7.0

# The fyne CLI that `make package` runs, through the module proxy at a
# pinned version, like staticcheck.
FYNE ?= fyne.io/tools/cmd/fyne@v1.7.4
# The Linux bundle `make package` writes and `make install` installs.
BUNDLE ?= bin/seqview.tar.xz

# Xvfb for the real-window tests. GLX is what Fyne's GLFW driver draws
# with (Mesa's software rasteriser renders it). -noreset: without it the
# server resets whenever its last client disconnects and drops clients
# that connect meanwhile, a race between the test and the app it starts.
XVFB_ARGS ?= -screen 0 1920x1080x24 +extension GLX -noreset
# The e2e test builds the app with cgo first (minutes on a cold cache).
E2E_TIMEOUT ?= 30m
# Screenshots of failed e2e steps, and Xvfb's log, land here.
export SEQVIEW_E2E_ARTIFACTS ?= $(CURDIR)/e2e-artifacts

# gofmt of the toolchain go.mod selects (not whatever gofmt is on PATH).
# Recursive (=) so it is only evaluated once deps have checked for go.
GOFMT = "$$($(GO) env GOROOT)/bin/gofmt"

.PHONY: help deps test-deps run build test fmt-check vet staticcheck unit fuzz-short fuzz e2e bench bench-ui soak clean package install uninstall package-test

# Fuzz targets (package:Target), run briefly by `make test`, longer by `make fuzz`.
FUZZ_TARGETS := ./loader/:FuzzParseName ./loader/decode/:FuzzDecode ./loader/decode/:FuzzView
FUZZTIME_SHORT ?= 15s
FUZZTIME ?= 5m

help: ## list the targets
	@echo "usage: make TARGET"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z0-9-]*:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

deps: ## check/install build dependencies (gcc, pkg-config, GL/X11 headers, go >= 1.26)
	@scripts/deps.sh

test-deps: ## deps plus what the tests need (Xvfb, xauth, Mesa software GL, xz, desktop-file-utils)
	@scripts/deps.sh --test

run: deps ## run the app from source: make run ARGS="[flags] [PATH]"
	$(GO) run . $(ARGS)

build: deps ## build bin/seqview
	$(GO) build -o bin/seqview .

package: deps ## build the Linux bundle bin/seqview.tar.xz with the fyne CLI (program, icon, .desktop, Makefile)
	@FYNE="$(FYNE)" GO="$(GO)" scripts/package.sh "$(BUNDLE)"

install: package ## install the bundle for the current user under ~/.local (program, icon, menu entry)
	@scripts/install.sh install "$(BUNDLE)"

uninstall: ## remove what make install put under ~/.local
	@scripts/install.sh uninstall

test: test-deps ## run every check and test of both modules, in order: gofmt, vet, staticcheck, unit (-race), fuzz (briefly), e2e and the package under Xvfb
	@$(MAKE) fmt-check
	@$(MAKE) vet
	@$(MAKE) staticcheck
	@$(MAKE) unit
	@$(MAKE) fuzz-short
	@$(MAKE) e2e
	@$(MAKE) package-test

fmt-check: ## fail, listing them, if any Go file is not gofmt-formatted
	@echo "== gofmt"
	@# Tracked and new (not ignored) files; plain find outside a git work tree.
	@files="$$(git ls-files --cached --others --exclude-standard -- '*.go' 2>/dev/null || \
		find . -name '*.go' -not -path './.git/*')"; \
	if [[ -z "$$files" ]]; then exit 0; fi; \
	bad="$$(xargs $(GOFMT) -l <<<"$$files")"; \
	if [[ -n "$$bad" ]]; then \
		echo "gofmt needed (run: gofmt -w FILE) on:"; echo "$$bad"; exit 1; \
	fi

vet: deps ## go vet, both modules
	@echo "== go vet"
	$(GO) vet ./...
	$(BENCH) vet ./...

staticcheck: deps ## staticcheck, both modules (pinned version, fetched through the module proxy)
	@echo "== staticcheck"
	$(GO) run $(STATICCHECK) ./...
	$(BENCH) run $(STATICCHECK) ./...

unit: deps ## the product's unit tests with the race detector, then the bench module's (no X display: the real-window tests skip themselves)
	@echo "== go test -race"
	@# DISPLAY unset so tests never touch the developer's real screen.
	env -u DISPLAY -u WAYLAND_DISPLAY $(GO) test -race ./...
	@# The bench module's tests check the measuring tools (statistics,
	@# reports, charts, the baseline loaders), not the product, whose races
	@# the run above looks for. Without -race they reuse what vet compiled
	@# instead of compiling gonum/plot and its fonts again for the detector.
	env -u DISPLAY -u WAYLAND_DISPLAY $(BENCH) test ./...

fuzz-short: deps ## each fuzz target for $(FUZZTIME_SHORT), seeded from testdata
	@$(MAKE) fuzz FUZZTIME=$(FUZZTIME_SHORT)

fuzz: deps ## each fuzz target for $(FUZZTIME) (make fuzz FUZZTIME=1h)
	@echo "== fuzz ($(FUZZTIME) each)"
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "-- $$name"; \
		env -u DISPLAY $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

e2e: test-deps ## real-window tests under a private Xvfb (bench/e2e/ and bench/xwin/)
	@echo "== e2e under Xvfb"
	@mkdir -p "$(SEQVIEW_E2E_ARTIFACTS)"
	@# LIBGL_ALWAYS_SOFTWARE: there is no GPU behind Xvfb; use Mesa's
	@# software rasteriser directly instead of probing for hardware.
	@# -p 1: the packages share one screen, keyboard focus and pointer, so
	@# they must not run at the same time.
	SEQVIEW_E2E=1 LIBGL_ALWAYS_SOFTWARE=1 \
		xvfb-run -a -e "$(SEQVIEW_E2E_ARTIFACTS)/xvfb.log" -s "$(XVFB_ARGS)" \
		$(BENCH) test -p 1 -count=1 -v -timeout $(E2E_TIMEOUT) ./xwin/ ./e2e/

package-test: test-deps package ## test the bundle: validate its .desktop, install it in a temp HOME, open a frame with it under Xvfb
	@echo "== package test under Xvfb"
	@mkdir -p "$(SEQVIEW_E2E_ARTIFACTS)"
	SEQVIEW_PACKAGE=1 SEQVIEW_PACKAGE_BUNDLE="$(abspath $(BUNDLE))" LIBGL_ALWAYS_SOFTWARE=1 \
		xvfb-run -a -e "$(SEQVIEW_E2E_ARTIFACTS)/xvfb-package.log" -s "$(XVFB_ARGS)" \
		$(BENCH) test -count=1 -v -run '^TestPackage$$' -timeout $(E2E_TIMEOUT) ./e2e/

# Arguments for `make bench`, e.g. SEQBENCH_ARGS="-quick" or
# SEQBENCH_ARGS="-scenarios loop,disk -previous none".
SEQBENCH_ARGS ?=

bench: deps ## the loader against the simple strategies and the previous engine (git 20f6004) on a slow share, loops, the local-disk tier and compare (prints the tables, writes docs/bench.md and docs/bench.png), then the micro-benchmarks; SEQBENCH_ARGS=-quick for a first look
	$(BENCH) run ./cmd/seqbench -repo "$(CURDIR)" -o "$(CURDIR)/docs/bench.md" $(SEQBENCH_ARGS)
	$(BENCH) run ./cmd/charts -bench "$(CURDIR)/docs/bench.md" -o "$(CURDIR)/docs/bench.png"
	@# One core, as a decode runs on one worker: the view decode against the general path, on the same run.
	env -u DISPLAY $(GO) test -short -run '^$$' -bench '^Benchmark(View4K|ViewPureGo4K|FullThenScale4K)$$' -cpu 1 -count 3 -benchmem ./loader/decode/
	@# A decode alone on two cores (a jump, the first frame): inflating ahead against not.
	env -u DISPLAY $(GO) test -short -run '^$$' -bench '^Benchmark(View4K|View4KAhead)$$' -cpu 2 -count 3 ./loader/decode/
	env -u DISPLAY $(GO) test -short -run '^$$' -bench 'Scale4K|Scan100k|FirstFrame100k|AddGet' -benchmem ./loader/ ./loader/decode/ ./cache/

# Arguments for `make bench-ui`, e.g. UIBENCH_ARGS="-quick -configs 4k-share"
# or UIBENCH_ARGS="-quick -configs 4k-share -viewers seqview,previous -scenarios loop,back,memory".
UIBENCH_ARGS ?=

bench-ui: test-deps ## key to pixels in a real window under a private Xvfb, seqview against the previous engine (git 20f6004) and naive Fyne viewers; 4K loops, steps back and memory (writes docs/ui-bench.md and docs/ui-bench.png; UIBENCH_ARGS=-quick for a first look)
	@mkdir -p "$(SEQVIEW_E2E_ARTIFACTS)"
	@# The harness gives each viewer a temporary HOME, FYNE_SCALE=1,
	@# LIBGL_ALWAYS_SOFTWARE=1 and no session bus, as the e2e test does.
	LIBGL_ALWAYS_SOFTWARE=1 FYNE_SCALE=1 DBUS_SESSION_BUS_ADDRESS=disabled: \
		xvfb-run -a -e "$(SEQVIEW_E2E_ARTIFACTS)/xvfb-bench-ui.log" -s "$(XVFB_ARGS)" \
		$(BENCH) run ./cmd/uibench -repo "$(CURDIR)" -o "$(CURDIR)/docs/ui-bench.md" -chart "$(CURDIR)/docs/ui-bench.png" $(UIBENCH_ARGS)

soak: deps ## 10,000 steps over 4K frames: peak RSS, RSS per quarter, goroutines left
	env -u DISPLAY $(GO) test -run '^$$' -bench Soak -benchtime 1x -timeout 30m ./loader/

clean: ## remove build outputs and e2e artifacts
	rm -rf bin "$(SEQVIEW_E2E_ARTIFACTS)"

# ---- make windows: seqview.exe for Windows, cross-built on Linux ----

# The program make windows writes, and the Windows test binaries it
# compiles (to run on a Windows machine).
WINDOWS_EXE ?= bin/seqview.exe
WINDOWS_TESTS ?= bin/windows-tests
# The mingw-w64 C compiler (Debian gcc-mingw-w64-x86-64, installed by
# scripts/deps.sh --windows).
WINDOWS_CC ?= x86_64-w64-mingw32-gcc
# How go vet and the tests are built for Windows. CGO_CFLAGS are those the
# fyne CLI (v1.7.4) passes for this compiler, so these builds reuse the C
# objects of Fyne's drivers that `fyne package` compiled instead of
# compiling them again.
WINDOWS_ENV = GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC="$(WINDOWS_CC)" \
	CGO_CFLAGS="-O2 -g -fexceptions -fasynchronous-unwind-tables -pipe"

.PHONY: windows
windows: ## bin/seqview.exe for Windows (fyne CLI + mingw-w64: GUI subsystem, icon, version); go vet and every package's tests compiled for Windows; the .exe checked
	@scripts/deps.sh --windows
	@FYNE="$(FYNE)" GO="$(GO)" WINDOWS_CC="$(WINDOWS_CC)" scripts/windows.sh "$(WINDOWS_EXE)"
	@echo "== go vet (GOOS=windows)"
	$(WINDOWS_ENV) $(GO) vet ./...
	@echo "== go test -c (GOOS=windows) into $(WINDOWS_TESTS)/"
	@rm -rf "$(WINDOWS_TESTS)" && mkdir -p "$(WINDOWS_TESTS)"
	$(WINDOWS_ENV) $(GO) test -c -o "$(WINDOWS_TESTS)/" ./...
	@echo "== check $(WINDOWS_EXE)"
	SEQVIEW_WINDOWS_EXE="$(abspath $(WINDOWS_EXE))" $(GO) test -count=1 -v -run '^TestWindowsExe$$' ./internal/winexe/
