# govs — make lab runs the lab on govs; make test runs the whole suite.
GO      ?= go
BINDIR  ?= bin
PKGS    := ./...
FUZZTIME ?= 10s
# Packages with no root needed run in every mode; netns tests skip themselves
# when not root.
CMDS    := $(notdir $(wildcard cmd/*))

.PHONY: all build test deps vet unit race fuzz lab lab2 clean

all: build

build:
	@mkdir -p $(BINDIR)
	@for c in $(CMDS); do $(GO) build -o $(BINDIR)/$$c ./cmd/$$c || exit 1; done

# deps installs the system packages the tests use when they are missing
# (as root, on Debian): iproute2 for namespaces, tcpdump for captures, ping
# for the lab, ethtool for the two-node lab's veths, and
# openvswitch-switch as the compatibility and performance oracle.
deps:
	@need=""; \
	command -v ip >/dev/null 2>&1 || need="$$need iproute2"; \
	command -v tcpdump >/dev/null 2>&1 || need="$$need tcpdump"; \
	command -v ping >/dev/null 2>&1 || need="$$need iputils-ping"; \
	command -v ethtool >/dev/null 2>&1 || need="$$need ethtool"; \
	command -v ovs-vsctl >/dev/null 2>&1 || need="$$need openvswitch-switch"; \
	if [ -n "$$need" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing:$$need"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need) >/dev/null || \
	      echo "warning: could not install$$need; tests that need them will skip"; \
	  else echo "warning: missing$$need (not root or no apt-get); tests that need them will skip"; fi; \
	fi

vet:
	$(GO) vet $(PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }

unit:
	$(GO) test -count=1 -timeout 15m $(PKGS)

race:
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

# fuzz runs every Fuzz target for FUZZTIME each (the seed corpora already
# run as plain tests in unit/race). A crash writes its input under
# testdata/fuzz and fails. Go 1.26's fuzzer can also stop with "context
# deadline exceeded" and no input on a busy machine (golang/go#75804): that
# run is retried once and then reported as a warning, not a failure.
fuzz:
	@log=$$(mktemp); for pkg in $$($(GO) list $(PKGS)); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    for try in 1 2; do \
	      echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	      if $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg >$$log 2>&1; then break; fi; \
	      if grep -q 'context deadline exceeded' $$log && ! grep -q 'Failing input written' $$log; then \
	        echo "warning: $$f stopped with Go's fuzzer deadline bug (no failing input)"; continue; fi; \
	      cat $$log; rm -f $$log; exit 1; \
	    done; \
	  done; \
	done; rm -f $$log

test: deps vet build race fuzz
	@echo "make test: all passed"

lab: deps build
	bash bench/lab.sh

# lab2 is the seed lab's second half: two nodes joined by a Geneve tunnel,
# then a router made of OpenFlow flows (see bench/lab2.sh for its settings).
lab2: deps build
	bash bench/lab2.sh

clean:
	rm -rf $(BINDIR)
