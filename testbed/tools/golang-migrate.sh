#!/usr/bin/env bash
# Builds the real golang-migrate CLI from the pinned Go module next to this script, for the tests
# that prove SchemaGate's golang-migrate engine and the CLI agree on `schema_migrations`. Cached
# under ${SCHEMAGATE_CACHE:-~/.cache/schemagate}/tools/golang-migrate-<version>-<digest>/, where
# the digest covers go.mod, go.sum and the Go toolchain: a warm call builds nothing. Prints the
# path of the `migrate` binary on its last line; everything else goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/golang-migrate"
cache="${SCHEMAGATE_CACHE:-$HOME/.cache/schemagate}/tools"

# The version is the one the wrapper module requires: go.mod is the single source.
VERSION="$(awk -v m=github.com/golang-migrate/migrate/v4 \
  '$1 == "require" && $2 == m {print $3; exit} $1 == m && $3 !~ /=>/ {print $2; exit}' "$here/go.mod")"

# go.sum is committed and pins every module, so the checksum database is not needed. No cgo:
# the binary is static and runs in a bed image that has nothing but the host's shared /usr.
export GOFLAGS=-mod=readonly GOSUMDB=off CGO_ENABLED=0
digest="$(cat "$here/go.mod" "$here/go.sum" <(go env GOVERSION) | sha256sum | cut -c1-12)"
out="$cache/golang-migrate-$VERSION-$digest"

if [[ -f "$out/.complete" ]]; then
  echo "tools: golang-migrate $VERSION cached in $out" >&2
else
  echo "tools: building golang-migrate $VERSION (first time only; takes a minute or two)" >&2
  rm -rf "$out" && mkdir -p "$out"
  start=$SECONDS
  # The CLI links a database driver only when its build tag is set (internal/cli/build_*.go):
  # `postgres` gives `-database postgres://...`. The `file` source (`-path DIR`) is always
  # linked (internal/cli/commands.go); its tag, as in upstream's Makefile, selects nothing more.
  (cd "$here" && go build -trimpath -tags postgres,file \
    -ldflags "-s -w -X main.Version=$VERSION" -o "$out/migrate" \
    github.com/golang-migrate/migrate/v4/cmd/migrate)
  touch "$out/.complete"
  echo "tools: built golang-migrate in $((SECONDS - start))s" >&2
fi
echo "$out/migrate"
