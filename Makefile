# SOA chain. `make` (or `make help`) lists the targets.
#
# One place pins CometBFT (ARCHITECTURE.md D1); chain/src/constants.ts COMETBFT_VERSION must match.
COMETBFT_VERSION := v0.38.25
BIN := $(CURDIR)/.bin
COMETBFT := $(BIN)/cometbft
# buf (protobuf lint + generation) is built with `go install` like CometBFT: its npm package needs
# per-platform binaries that npm registries do not all carry, which breaks `npm ci`.
BUF_VERSION := v1.75.0
BUF := $(BIN)/buf
# npm's hidden lockfile is rewritten by every npm install; our stamp records a successful `npm ci`.
INSTALL_STAMP := node_modules/.soa-install-stamp
NODES ?= 1

SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

.PHONY: help setup cometbft deps contracts build localnet localnet-up localnet-down localnet-clean \
	test test-unit test-e2e bench lint buf proto schemas deploy clean

help: ## list the targets
	@echo "usage: make <target>   (NODES=4 make localnet-up, RESET=1 to start a new chain)"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: cometbft deps contracts build ## install CometBFT and npm deps when missing or stale, then build

cometbft: ## install the pinned CometBFT (COMETBFT_VERSION) into .bin/ unless already there
	@want="$(COMETBFT_VERSION:v%=%)"; \
	have="$$($(COMETBFT) version 2>/dev/null || true)"; \
	if [ "$$have" = "$$want" ]; then \
	  echo "cometbft $$want: already in $(BIN)"; \
	else \
	  command -v go >/dev/null || { echo "error: Go (>= 1.22.11) is needed to install CometBFT $(COMETBFT_VERSION)" >&2; exit 1; }; \
	  echo "installing cometbft $(COMETBFT_VERSION) into $(BIN) (found: $${have:-none})"; \
	  GOBIN=$(BIN) go install github.com/cometbft/cometbft/cmd/cometbft@$(COMETBFT_VERSION); \
	  [ "$$($(COMETBFT) version)" = "$$want" ] || { echo "error: $(COMETBFT) does not report $$want" >&2; exit 1; }; \
	fi

deps: $(INSTALL_STAMP) ## npm ci when node_modules is missing or older than package-lock.json

# When npm itself installed this exact lock (node_modules/.package-lock.json newer than the lock),
# a reinstall would only cost time: record it and skip. Without a lock yet, `npm install` creates it.
$(INSTALL_STAMP): $(wildcard package-lock.json)
	@if [ ! -f package-lock.json ]; then \
	  echo "npm install (no package-lock.json yet)"; npm install; \
	elif [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then \
	  echo "node_modules is up to date with package-lock.json"; \
	else \
	  echo "npm ci"; npm ci; \
	fi
	@touch $@

contracts: deps ## compile the AssemblyScript contracts into contracts-as/build/ and verify checksums.txt
	node contracts-as/build.mjs

build: deps ## type-check and compile every package (tsc -b)
	npx tsc -b
	@chmod +x chain/dist/cli/main.js

localnet: setup ## run a localnet in the foreground (NODES=1); Ctrl-C stops it
	NODES=$(NODES) localnet/start.sh

localnet-up: setup ## start a localnet in the background; returns at height >= 2
	NODES=$(NODES) localnet/start.sh --background

localnet-down: ## stop the background localnet
	localnet/stop.sh

localnet-clean: localnet-down ## stop the localnet and delete .localnet/ (all its chain state)
	rm -rf $(CURDIR)/.localnet

test: setup ## all tests: unit, then e2e against real localnets; ends with "N passed, N failed"
	@rm -f .test-results/*.json
	$(MAKE) --no-print-directory test-unit-only test-e2e-only
	@node scripts/test-summary.mjs .test-results/unit.json .test-results/e2e.json

test-unit: setup ## unit and integration tests (no CometBFT network)
	$(MAKE) --no-print-directory test-unit-only

test-e2e: setup ## end-to-end tests (test/): real soad + CometBFT networks, sequential
	$(MAKE) --no-print-directory test-e2e-only

.PHONY: test-unit-only test-e2e-only
# vitest.config.ts defines the projects: unit (parallel) and e2e (one file at a time, one fork).
VITEST_REPORT = --reporter=default --reporter=json --outputFile.json=.test-results/$(1).json
test-unit-only:
	npx vitest run --project unit $(call VITEST_REPORT,unit)

test-e2e-only:
	npx vitest run --project e2e $(call VITEST_REPORT,e2e)

bench: setup ## benchmarks: `npm run bench` of the test workspace (or of the root package)
	@if node -e 'process.exit(require("./test/package.json").scripts?.bench ? 0 : 1)'; then \
	  npm run bench --workspace test; \
	elif node -e 'process.exit(require("./package.json").scripts?.bench ? 0 : 1)'; then \
	  npm run bench; \
	else \
	  echo "no benchmarks yet: add a \"bench\" script to test/package.json (or package.json)"; \
	fi

lint: deps buf ## type-check sources and tests, determinism check, generated protobuf code and contract schemas up to date
	npx tsc -b
	npx tsc -p tsconfig.test.json
	scripts/check-determinism.sh
	BUF=$(BUF) scripts/check-proto-gen.sh
	node contracts-as/schema/generate.mjs --check

buf: ## install the pinned buf (BUF_VERSION) into .bin/ unless already there (go install, ~3 min once)
	@want="$(BUF_VERSION:v%=%)"; \
	have="$$($(BUF) --version 2>/dev/null || true)"; \
	if [ "$$have" = "$$want" ]; then \
	  echo "buf $$want: already in $(BIN)"; \
	else \
	  command -v go >/dev/null || { echo "error: Go is needed to install buf $(BUF_VERSION)" >&2; exit 1; }; \
	  echo "installing buf $(BUF_VERSION) into $(BIN) (found: $${have:-none}); this compiles buf once"; \
	  GOBIN=$(BIN) go install github.com/bufbuild/buf/cmd/buf@$(BUF_VERSION); \
	fi

# buf from .bin/, the ts-proto plugin from node_modules (pinned); the schemas need no network.
proto: deps buf ## buf lint proto/ and generate TypeScript into chain/src/gen/ (commit the result)
	$(BUF) lint proto
	$(BUF) generate proto --template proto/buf.gen.yaml

# contracts-as/<contract>/interface.mjs is the source; the outputs are committed (make lint checks them).
schemas: ## write the contracts' JSON Schemas (contracts-as/*/schema/) and typed clients (client/src/contracts/)
	node contracts-as/schema/generate.mjs

# NETWORK=localnet (default) or an RPC URL; DEPLOY_ARGS for more (e.g. --mnemonic-file f --hd-index 1).
NETWORK ?= localnet
deploy: deps contracts build ## upload + instantiate model-nft, licensing, marketplace (idempotent) → deployments/<chain-id>.json
	npm run --silent deploy -- --network $(NETWORK) $(DEPLOY_ARGS)

clean: ## delete build outputs (not node_modules, .bin or .localnet)
	rm -rf chain/dist client/dist test/dist
	find . -name '*.tsbuildinfo' -not -path './node_modules/*' -delete
