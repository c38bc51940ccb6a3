#!/usr/bin/env bash
# Builds the real sqlx-cli from crates.io for the tests that prove SchemaGate's sqlx engine and
# sqlx-cli agree on `_sqlx_migrations`. Cached under
# ${SCHEMAGATE_CACHE:-~/.cache/schemagate}/tools/sqlx-cli-<version>-<rustc digest>/: a warm call
# builds nothing. Prints the path of the `sqlx` binary on its last line.
set -euo pipefail

SQLX_CLI_VERSION=0.9.0
cache="${SCHEMAGATE_CACHE:-$HOME/.cache/schemagate}/tools"
digest="$(rustc --version | sha256sum | cut -c1-12)"
out="$cache/sqlx-cli-$SQLX_CLI_VERSION-$digest"

if [[ ! -f "$out/.complete" ]]; then
  echo "tools: building sqlx-cli $SQLX_CLI_VERSION (first time only; takes minutes)" >&2
  rm -rf "$out" && mkdir -p "$out"
  start=$SECONDS
  # Postgres only, TLS by rustls: no OpenSSL headers needed. --locked takes the crate's own
  # Cargo.lock, so every machine builds the same dependency versions.
  cargo install sqlx-cli --version "$SQLX_CLI_VERSION" --locked --quiet \
    --no-default-features --features postgres,rustls --root "$out" --target-dir "$out/build"
  rm -rf "$out/build"
  touch "$out/.complete"
  echo "tools: built sqlx-cli in $((SECONDS - start))s" >&2
fi
echo "$out/bin/sqlx"
