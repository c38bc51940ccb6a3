#!/usr/bin/env bash
# Builds the real CLI of a Go migration tool from the pinned wrapper module testbed/tools/<tool>/,
# for the tests that hold SchemaGate's command engine against the tool's own history table.
# Cached under ${SCHEMAGATE_CACHE:-~/.cache/schemagate}/tools/<tool>-<version>-<digest>/, where
# the digest covers go.mod, go.sum and the Go toolchain: a warm call builds nothing. Prints the
# path of the binary on its last line; everything else goes to stderr.
#
#   testbed/tools/go-tool.sh golang-migrate|goose|dbmate
set -euo pipefail

tool="${1:?usage: go-tool.sh golang-migrate|goose|dbmate}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$tool"
cache="${SCHEMAGATE_CACHE:-$HOME/.cache/schemagate}/tools"

# Per tool: its module, the package of its CLI, the binary's name, build tags and version flag.
case "$tool" in
  golang-migrate)
    # The CLI links a database driver only when its build tag is set (internal/cli/build_*.go):
    # `postgres` gives `-database postgres://...`. The `file` source (`-path DIR`) is always
    # linked (internal/cli/commands.go); its tag, as in upstream's Makefile, selects nothing more.
    module=github.com/golang-migrate/migrate/v4 package=$module/cmd/migrate binary=migrate
    tags=postgres,file version_flag=main.Version ;;
  goose)
    # The CLI links every driver it knows unless a `no_<driver>` build tag leaves it out
    # (cmd/goose/driver_*.go): all but postgres (pgx's database/sql driver) are left out.
    module=github.com/pressly/goose/v3 package=$module/cmd/goose binary=goose
    tags=no_azuresql,no_clickhouse,no_libsql,no_mssql,no_mysql,no_sqlite3,no_vertica,no_ydb
    version_flag=main.version ;;
  dbmate)
    # No driver build tags: main.go always links postgres, mysql, clickhouse and bigquery (all
    # pure Go); main_cgo.go links sqlite only with cgo, which is off. Its version is a constant.
    module=github.com/amacneil/dbmate/v2 package=$module binary=dbmate tags="" version_flag="" ;;
  *) echo "go-tool.sh: unknown tool '$tool'" >&2; exit 2 ;;
esac

# The version is the one the wrapper module requires: go.mod is the single source.
version="$(awk -v m="$module" \
  '$1 == "require" && $2 == m {print $3; exit} $1 == m && $3 !~ /=>/ {print $2; exit}' "$here/go.mod")"

# go.sum is committed and pins every module, so the checksum database is not needed. No cgo:
# the binary is static and runs in a bed image that has nothing but the host's shared /usr.
export GOFLAGS=-mod=readonly GOSUMDB=off CGO_ENABLED=0
digest="$(cat "$here/go.mod" "$here/go.sum" <(go env GOVERSION) | sha256sum | cut -c1-12)"
out="$cache/$tool-$version-$digest"

if [[ -f "$out/.complete" ]]; then
  echo "tools: $tool $version cached in $out" >&2
else
  echo "tools: building $tool $version (first time only; takes a minute or more)" >&2
  rm -rf "$out" && mkdir -p "$out"
  start=$SECONDS
  ldflags="-s -w${version_flag:+ -X $version_flag=$version}"
  (cd "$here" && go build -trimpath ${tags:+-tags "$tags"} -ldflags "$ldflags" -o "$out/$binary" "$package")
  touch "$out/.complete"
  echo "tools: built $tool in $((SECONDS - start))s" >&2
fi
echo "$out/$binary"
