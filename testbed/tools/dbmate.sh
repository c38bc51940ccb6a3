#!/usr/bin/env bash
# Builds the real dbmate CLI from the pinned Go module next to this script, for the tests that
# prove SchemaGate's dbmate engine and the CLI agree on `schema_migrations`. Cached under
# ${SCHEMAGATE_CACHE:-~/.cache/schemagate}/tools/dbmate-<version>-<digest>/, where the digest
# covers go.mod, go.sum and the Go toolchain: a warm call builds nothing. Prints the path of the
# `dbmate` binary on its last line; everything else goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/dbmate"
cache="${SCHEMAGATE_CACHE:-$HOME/.cache/schemagate}/tools"

# The version is the one the wrapper module requires: go.mod is the single source.
VERSION="$(awk -v m=github.com/amacneil/dbmate/v2 \
  '$1 == "require" && $2 == m {print $3; exit} $1 == m && $3 !~ /=>/ {print $2; exit}' "$here/go.mod")"

# go.sum is committed and pins every module, so the checksum database is not needed. No cgo:
# the binary is static and runs in a bed image that has nothing but the host's shared /usr.
export GOFLAGS=-mod=readonly GOSUMDB=off CGO_ENABLED=0
digest="$(cat "$here/go.mod" "$here/go.sum" <(go env GOVERSION) | sha256sum | cut -c1-12)"
out="$cache/dbmate-$VERSION-$digest"

if [[ -f "$out/.complete" ]]; then
  echo "tools: dbmate $VERSION cached in $out" >&2
else
  echo "tools: building dbmate $VERSION (first time only; takes minutes)" >&2
  rm -rf "$out" && mkdir -p "$out"
  start=$SECONDS
  # dbmate has no driver build tags: main.go always links postgres, mysql, clickhouse and
  # bigquery (all pure Go), and main_cgo.go (`//go:build cgo`) links sqlite (mattn/go-sqlite3),
  # so CGO_ENABLED=0 alone leaves sqlite out. The version is a constant in pkg/dbmate.
  (cd "$here" && go build -trimpath -ldflags "-s -w" -o "$out/dbmate" \
    github.com/amacneil/dbmate/v2)
  touch "$out/.complete"
  echo "tools: built dbmate in $((SECONDS - start))s" >&2
fi
echo "$out/dbmate"
