#!/usr/bin/env bash
# Makes the published migration sets the tests run (testbed/corpora/corpora.lock) present and
# verified under ${SCHEMAGATE_CACHE:-~/.cache/schemagate}/corpora, and prints that folder on its
# last line; `make test` hands it to the tests as SCHEMAGATE_CORPORA. The sets come from, in order:
#   the cache, when it holds them already;
#   $SCHEMAGATE_CORPORA_MIRROR, a folder in the layout of the shared corpora, when set;
#   ../shared/corpora beside the checkout, when it exists;
#   their repositories at the pinned commits (git; $SCHEMAGATE_CORPORA_GIT_BASE, default GitHub).
# Every file is checked against the lock's SHA-256. When none of these works it says, in one
# message, what is missing and how to get it, and exits 1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${SCHEMAGATE_CACHE:-$HOME/.cache/schemagate}"

mirror="${SCHEMAGATE_CORPORA_MIRROR:-}"
if [[ -z "$mirror" && -d "$here/../../shared/corpora" ]]; then
  mirror="$(cd "$here/../../shared/corpora" && pwd)"
fi

# The resolver is built once per digest of its sources and the Go toolchain (seconds, standard
# library only).
digest="$(cat "$here"/corpora/go.mod "$here"/corpora/*.go <(go env GOVERSION) | sha256sum | cut -c1-12)"
resolver="$cache/testbed/corpora-$digest/corpora"
if [[ ! -x "$resolver" ]]; then
  mkdir -p "$(dirname "$resolver")"
  (cd "$here/corpora" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -o "$resolver.tmp" .) >&2
  mv "$resolver.tmp" "$resolver"
fi
exec "$resolver" --lock "$here/corpora/corpora.lock" --cache "$cache/corpora" \
  ${mirror:+--mirror "$mirror"} ${SCHEMAGATE_CORPORA_GIT_BASE:+--git-base "$SCHEMAGATE_CORPORA_GIT_BASE"}
