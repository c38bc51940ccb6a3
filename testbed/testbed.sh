#!/usr/bin/env bash
# Starts, stops and describes SchemaGate's local test bed (see testbed/README.md).
#
#   eval "$(testbed/testbed.sh up [--image REF=DIR ...])"   # start (or reuse) and export its env
#   testbed/testbed.sh env                                  # print the env of the running bed
#   testbed/testbed.sh down                                 # stop it, leaving no process behind
#   testbed/testbed.sh serve                                # foreground; stops when stdin closes
#   testbed/testbed.sh postgres stop|start                  # faults: stop / start its PostgreSQL
#   testbed/testbed.sh apiserver restart                    # faults: restart its kube-apiserver
#
# stdout carries nothing but the `export ...` lines; progress goes to stderr.
# The state directory is ${SCHEMAGATE_TESTBED_STATE:-/tmp/schemagate-testbed}.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${SCHEMAGATE_CACHE:-$HOME/.cache/schemagate}/testbed"
state="${SCHEMAGATE_TESTBED_STATE:-/tmp/schemagate-testbed}"

# Debian packages the bed needs at run time; installed only when missing.
ensure_packages() {
  local missing=()
  [[ -x /usr/lib/postgresql/15/bin/postgres ]] || missing+=(postgresql-15)
  command -v bwrap >/dev/null || missing+=(bubblewrap)
  ((${#missing[@]})) || return 0
  local sudo=()
  [[ $EUID -eq 0 ]] || sudo=(sudo)
  echo "testbed: installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2
}

# Builds the bed launcher once per digest of its sources and the Go toolchain; prints its path.
build_bed() {
  local src="$here/bed" digest out
  digest="$(
    cd "$src"
    find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum -o -path './stages/*' \) -print0 |
      LC_ALL=C sort -z | xargs -0 sha256sum
    go env GOVERSION
  )"
  digest="$(sha256sum <<<"$digest" | cut -c1-12)"
  out="$cache/bed-$digest/bed"
  if [[ ! -x "$out" ]]; then
    echo "testbed: building bed launcher ($digest)" >&2
    mkdir -p "$(dirname "$out")"
    # go.sum pins every module; the checksum database is not needed.
    (cd "$src" && GOFLAGS=-mod=readonly GOSUMDB=off CGO_ENABLED=0 go build -trimpath -o "$out.tmp" .) >&2
    mv "$out.tmp" "$out"
  fi
  echo "$out"
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  up)
    ensure_packages
    bin="$("$here/build.sh" | tail -n1)"
    bed="$(build_bed)"
    exec "$bed" up --detach --state "$state" --bin "$bin" "$@"
    ;;
  serve)
    # For a test JVM that starts its own bed: when the JVM dies, however it dies, the pipe to our
    # stdin closes and the bed goes down with it.
    ensure_packages
    bin="$("$here/build.sh" | tail -n1)"
    bed="$(build_bed)"
    exec "$bed" up --exit-on-stdin-eof --state "$state" --bin "$bin" "$@"
    ;;
  down)
    exec "$(build_bed)" down --state "$state" "$@"
    ;;
  env)
    exec "$(build_bed)" env --state "$state" "$@"
    ;;
  postgres | apiserver)
    # The verb comes first: `bed postgres stop --state DIR`.
    exec "$(build_bed)" "$cmd" "$@" --state "$state"
    ;;
  *)
    echo "usage: $0 up|serve|down|env|postgres stop|postgres start|apiserver restart [extra bed flags]" >&2
    exit 2
    ;;
esac
