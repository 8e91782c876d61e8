# simulate — build, test, benchmark, lint, fuzz.
GO       ?= go
PKGS     := ./...
FUZZTIME ?= 20s
BENCH    ?= .
COUNT    ?= 1

.PHONY: all build test bench lint fuzz golden calibrate chromium screenshot man clean

all: lint test build

build:
	$(GO) build -o bin/simulate ./cmd/simulate

# The test command CI and newcomers run: vet, formatting, unit and statistical
# tests; the engine and the golden outputs again with the portable ballot
# loop (-tags purego, what machines without AVX2 run: its results must be
# the vector loops' own); then a short fuzz of every reader of user input.
test: lint
	$(GO) test -count=1 $(PKGS)
	$(GO) test -count=1 -tags purego ./sim
	$(GO) test -count=1 -tags purego -run Golden ./cmd/simulate
	$(MAKE) fuzz FUZZTIME=10s

bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -count $(COUNT) $(PKGS)

STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)
	@# The other platforms users build on compile, tests included: the ballot's
	@# assembly is amd64-only and the output lock differs on Windows.
	GOOS=windows $(GO) vet $(PKGS)
	GOARCH=arm64 $(GO) vet $(PKGS)
	GOOS=darwin $(GO) vet $(PKGS)

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./scenario
	$(GO) test -run '^$$' -fuzz '^FuzzReadSweep$$' -fuzztime $(FUZZTIME) ./sweep
	$(GO) test -run '^$$' -fuzz '^FuzzParseVary$$' -fuzztime $(FUZZTIME) ./sweep
	$(GO) test -run '^$$' -fuzz '^FuzzMergePartial$$' -fuzztime $(FUZZTIME) ./sim
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./exercise
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/i18n
	$(GO) test -run '^$$' -fuzz '^FuzzAPI$$' -fuzztime $(FUZZTIME) ./serve
	$(GO) test -run '^$$' -fuzz '^FuzzReadPoints$$' -fuzztime $(FUZZTIME) ./sensitivity
	$(GO) test -run '^$$' -fuzz '^FuzzSet$$' -fuzztime $(FUZZTIME) ./scenario
	$(GO) test -run '^$$' -fuzz '^FuzzReadRunResult$$' -fuzztime $(FUZZTIME) ./cmd/simulate
	$(GO) test -run '^$$' -fuzz '^FuzzExploreGrid$$' -fuzztime $(FUZZTIME) ./serve

# Refit the FITTED parameters of the default scenario to its published facts
# (the calibrate block at the end of configs/cpc20.yaml), in place. The fit
# is deterministic: the same file gives the same numbers on any machine.
calibrate:
	$(GO) run ./cmd/simulate calibrate configs/cpc20.yaml --out configs/cpc20.yaml

# Refresh golden files after an intended change of output.
golden:
	$(GO) test ./... -run Golden -update

# Headless Chromium (Debian's package) and a Chinese font, for the browser test
# of the HTML report (cmd/simulate TestReportInBrowser, which skips without
# Chromium unless SIMULATE_BROWSER_TEST=1). Installs only what is missing;
# needs root and apt, as on CI.
chromium:
	@if ! dpkg-query -W -f='$${Status}\n' chromium fonts-wqy-microhei 2>/dev/null | grep -c 'ok installed' | grep -qx 2; then \
	  echo "installing chromium and fonts-wqy-microhei (Debian packages) for the browser test"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq >/dev/null && apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi
	@test -x /usr/bin/chromium && echo "chromium: /usr/bin/chromium"

# Refresh docs/report-teaching.png and docs/report-cpc20-after.png (cpc20 at
# 800 px) from the browser tests.
screenshot:
	SIMULATE_UPDATE_SCREENSHOT=1 SIMULATE_BROWSER_TEST=1 $(GO) test -count=1 -run '^Test(Report(In|Fits)|ServeIn)Browser$$' ./cmd/simulate

# Man pages of every command, generated from the command tree (the same text
# as --help), into man/: read one with man -l man/simulate-run.1. Set
# SOURCE_DATE_EPOCH for a reproducible date.
man:
	$(GO) run ./cmd/simulate gen-man man

clean:
	rm -rf bin man
