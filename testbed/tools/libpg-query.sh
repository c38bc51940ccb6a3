#!/usr/bin/env bash
# Builds libpg_query, PostgreSQL's own parser as a C library, into a shared library for the
# operator's change policy (docs/review.md). Its sources come from the pinned Go module
# testbed/tools/libpg-query/ (pg_query_go carries them for cgo); only the C is compiled, with gcc.
# Cached under ${SCHEMAGATE_CACHE:-~/.cache/schemagate}/tools/libpg_query-<version>-<digest>/, the
# digest covering go.mod, go.sum and the compiler: a warm call builds nothing. Prints the path of
# libpg_query.so on its last line; everything else goes to stderr.
#
#   testbed/tools/libpg-query.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/libpg-query"
cache="${SCHEMAGATE_CACHE:-$HOME/.cache/schemagate}/tools"
module=github.com/pganalyze/pg_query_go/v6
version="$(awk -v m="$module" '$1 == "require" && $2 == m {print $3; exit}' "$here/go.mod")"

# go.sum is committed and pins the module, so the checksum database is not needed.
export GOFLAGS=-mod=readonly GOSUMDB=off
digest="$(cat "$here/go.mod" "$here/go.sum" <(gcc --version | head -1) | sha256sum | cut -c1-12)"
out="$cache/libpg_query-$version-$digest"

if [[ -f "$out/.complete" ]]; then
  echo "tools: libpg_query $version cached in $out" >&2
else
  echo "tools: building libpg_query $version (first time only; about a minute)" >&2
  start=$SECONDS
  (cd "$here" && go mod download "$module")
  source_dir="$(go env GOMODCACHE)/$module@$version/parser"
  rm -rf "$out" && mkdir -p "$out/obj"
  # The flags of the module's own cgo build (parser/parser.go), for a position-independent library.
  ls "$source_dir"/*.c | xargs -P "$(nproc)" -I{} sh -c 'gcc -c -O2 -fPIC -std=gnu99 -w \
    -DXXH_NAMESPACE=PG_QUERY_ -I"$1/include" -I"$1/include/postgres" "$2" -o "$3/obj/$(basename "$2" .c).o"' \
    _ "$source_dir" {} "$out"
  gcc -shared -o "$out/libpg_query.so" "$out"/obj/*.o -lpthread
  rm -rf "$out/obj"
  cp "$source_dir/../LICENSE" "$out/LICENSE.pg_query" && cp "$source_dir/../LICENSE.POSTGRESQL" "$out/"
  touch "$out/.complete"
  echo "tools: built libpg_query in $((SECONDS - start))s" >&2
fi
echo "$out/libpg_query.so"
