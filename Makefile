# simulate — build, test, benchmark, lint, fuzz.
GO       ?= go
PKGS     := ./...
FUZZTIME ?= 20s
BENCH    ?= .
COUNT    ?= 1

.PHONY: all build test bench lint fuzz golden clean

all: lint test build

build:
	$(GO) build -o bin/simulate ./cmd/simulate

# The test command CI and newcomers run: vet, formatting, unit and statistical
# tests, then a short fuzz of the scenario loader.
test: lint
	$(GO) test -count=1 $(PKGS)
	$(MAKE) fuzz FUZZTIME=15s

bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -count $(COUNT) $(PKGS)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./scenario

# Refresh golden files after an intended change of output.
golden:
	$(GO) test ./... -run Golden -update

clean:
	rm -rf bin
