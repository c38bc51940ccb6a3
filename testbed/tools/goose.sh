#!/usr/bin/env bash
# Builds the real goose CLI from the pinned Go module next to this script, for the tests that
# prove SchemaGate's goose engine and the CLI agree on `goose_db_version`. Cached under
# ${SCHEMAGATE_CACHE:-~/.cache/schemagate}/tools/goose-<version>-<digest>/, where the digest
# covers go.mod, go.sum and the Go toolchain: a warm call builds nothing. Prints the path of the
# `goose` binary on its last line; everything else goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/goose"
cache="${SCHEMAGATE_CACHE:-$HOME/.cache/schemagate}/tools"

# The version is the one the wrapper module requires: go.mod is the single source.
VERSION="$(awk -v m=github.com/pressly/goose/v3 \
  '$1 == "require" && $2 == m {print $3; exit} $1 == m && $3 !~ /=>/ {print $2; exit}' "$here/go.mod")"

# go.sum is committed and pins every module, so the checksum database is not needed. No cgo:
# the binary is static and runs in a bed image that has nothing but the host's shared /usr.
export GOFLAGS=-mod=readonly GOSUMDB=off CGO_ENABLED=0
digest="$(cat "$here/go.mod" "$here/go.sum" <(go env GOVERSION) | sha256sum | cut -c1-12)"
out="$cache/goose-$VERSION-$digest"

if [[ -f "$out/.complete" ]]; then
  echo "tools: goose $VERSION cached in $out" >&2
else
  echo "tools: building goose $VERSION (first time only; takes a minute or two)" >&2
  rm -rf "$out" && mkdir -p "$out"
  start=$SECONDS
  # The CLI links every driver it knows unless a `no_<driver>` build tag leaves it out
  # (cmd/goose/driver_*.go); all but postgres are left out, so `GOOSE_DRIVER=postgres` (pgx's
  # database/sql driver) is the one there is. Its sqlite3 is modernc's, pure Go, but not needed.
  (cd "$here" && go build -trimpath \
    -tags no_azuresql,no_clickhouse,no_libsql,no_mssql,no_mysql,no_sqlite3,no_vertica,no_ydb \
    -ldflags "-s -w -X main.version=$VERSION" -o "$out/goose" \
    github.com/pressly/goose/v3/cmd/goose)
  touch "$out/.complete"
  echo "tools: built goose in $((SECONDS - start))s" >&2
fi
echo "$out/goose"
