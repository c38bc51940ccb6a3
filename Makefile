# SchemaGate. `make run` and `make test` install what they need themselves.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
MVN ?= mvn -B -ntp
# The bed started by `make testbed`; `make run` reuses it when it is up.
export SCHEMAGATE_TESTBED_STATE ?= /tmp/schemagate-testbed

.PHONY: help deps build image run test e2e bed-test corpora tools testbed testbed-down bench crds fmt lint clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

deps: ## Install the system packages the build and the test bed need (once)
	@testbed/install-deps.sh

build: deps ## Build the operator/runner artifact (target/quarkus-app)
	$(MVN) package -DskipTests

# Docker builds it; where no registry is reachable the bases are made from Debian's packages.
image: build ## Build the SchemaGate image and the examples' images; prints the image reference last
	@testbed/images/build.sh

run: deps ## Start the local bed, the operator, and apply the quick-start example
	@testbed/run-quickstart.sh

test: deps corpora tools bed-test ## Build the bed if needed, start a fresh one, run every test tier, stop it
	@SCHEMAGATE_CORPORA="$$(testbed/corpora.sh)" testbed/with-testbed.sh $(MVN) verify

# The end-to-end tier alone: the image built, the chart installed on the bed's real node.
e2e: deps corpora tools bed-test ## Run the end-to-end tier (real node, real containers) on a fresh bed
	@SCHEMAGATE_CORPORA="$$(testbed/corpora.sh)" testbed/with-testbed.sh $(MVN) verify -Dtest=NONE \
		-Dsurefire.failIfNoSpecifiedTests=false -Dit.test='io.schemagate.e2e.*IT'

# Before any bed starts, so that a broken bed fails in seconds rather than in a Maven run.
# go.sum is committed and pins every module, as in build.sh: the checksum database is not needed.
bed-test: ## Run the Go tests of the test bed launcher (testbed/bed) and of the corpora resolver
	cd testbed/bed && GOFLAGS=-mod=readonly GOSUMDB=off CGO_ENABLED=0 go test ./...
	cd testbed/corpora && GOFLAGS=-mod=readonly CGO_ENABLED=0 go test ./...

# First, so that a machine without them stops in seconds with what is missing and how to get it.
corpora: ## Obtain and verify the published migration sets the tests run (~/.cache; testbed/corpora.sh)
	@testbed/corpora.sh >/dev/null

# The real tools the engines are held against, from their registries; cached by version like the bed.
tools: ## Build the real sqlx-cli, golang-migrate, goose, dbmate, Alembic, Liquibase and libpg_query (once; ~/.cache)
	@testbed/tools/sqlx-cli.sh >/dev/null
	@testbed/tools/libpg-query.sh >/dev/null
	@for tool in golang-migrate goose dbmate; do testbed/tools/go-tool.sh $$tool >/dev/null; done
	@testbed/tools/alembic.sh >/dev/null
	@testbed/tools/liquibase.sh >/dev/null

bench: deps tools ## Run the benchmarks on a fresh bed; results in target/bench/ (docs/benchmarks.md)
	@testbed/with-testbed.sh $(MVN) -Pbench verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
		-Dit.test='*Bench'
	@cat target/bench/results.md

crds: ## Regenerate crds/ and the chart's copy from the Java model (tests fail when they drift)
	$(MVN) -q package -DskipTests
	cp target/kubernetes/databasemigrations.schemagate.io-v1.yml crds/
	cp target/kubernetes/databasemigrations.schemagate.io-v1.yml helm/schemagate/crds/

fmt: ## Format every Java file (palantir-java-format, through Spotless)
	$(MVN) -q spotless:apply

# The build checks the format first and runs Error Prone and NullAway in every compile, so
# `make test` enforces all of it too.
lint: ## Check the format, compile main and test code with Error Prone and NullAway; any finding fails
	$(MVN) -q spotless:check test-compile

testbed: deps ## Start the test bed in the background; prints `export ...` lines to eval
	@testbed/testbed.sh up

testbed-down: ## Stop the test bed started by `make testbed`
	@testbed/testbed.sh down

clean: ## Remove build outputs (the cached bed binaries stay in ~/.cache/schemagate)
	$(MVN) clean
