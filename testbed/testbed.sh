#!/usr/bin/env bash
# Starts, stops and describes SchemaGate's local test bed (see testbed/README.md).
#
#   eval "$(testbed/testbed.sh up [--image REF=DIR ...])"   # start (or reuse) and export its env
#   testbed/testbed.sh env                                  # print the env of the running bed
#   testbed/testbed.sh down                                 # stop it, leaving no process behind
#   testbed/testbed.sh serve                                # foreground; stops when stdin closes
#   testbed/testbed.sh postgres stop|start                  # faults: stop / start its PostgreSQL
#   testbed/testbed.sh apiserver restart                    # faults: restart its kube-apiserver
#   testbed/testbed.sh node import ARCHIVE...               # images (docker save) into the real node
#
# The bed runs a real node beside the KWOK one (kubelet, containerd, runc; testbed/README.md)
# when started as root, unless SCHEMAGATE_TESTBED_REAL_NODE=0.
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
  command -v iptables >/dev/null || missing+=(iptables) # kube-proxy, on the real node
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
    # go.sum pins every module; the checksum database is not needed. The pause program of the
    # real node's sandboxes is built beside it.
    (cd "$src" && GOFLAGS=-mod=readonly GOSUMDB=off CGO_ENABLED=0 go build -trimpath -o "$out.pause" ./pause \
      && GOFLAGS=-mod=readonly GOSUMDB=off CGO_ENABLED=0 go build -trimpath -o "$out.tmp" .) >&2
    mv "$out.pause" "$(dirname "$out")/pause"
    mv "$out.tmp" "$out"
  fi
  echo "$out"
}

# The flags that add the real node, where it can run.
real_node() {
  local bed="$1"
  if [[ "${SCHEMAGATE_TESTBED_REAL_NODE:-1}" != 0 && $EUID -eq 0 ]]; then
    echo "--real-node $(dirname "$bed")/pause"
  elif [[ "${SCHEMAGATE_TESTBED_REAL_NODE:-1}" != 0 ]]; then
    echo "testbed: no real node (it needs root); the tiers on it will not run" >&2
  fi
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  up)
    ensure_packages
    bin="$("$here/build.sh" | tail -n1)"
    bed="$(build_bed)"
    # shellcheck disable=SC2046 # the flags are words
    env="$("$bed" up --detach --state "$state" --bin "$bin" $(real_node "$bed") "$@")"
    # The images `make image` built, for the real node's pods, when Docker runs and has them.
    if [[ -f "$state/node/resources.json" ]] && docker info >/dev/null 2>&1; then
      SCHEMAGATE_TESTBED_STATE="$state" "$here/images/load.sh" >&2 || echo "testbed: images not loaded" >&2
    fi
    echo "$env"
    ;;
  serve)
    # For a test JVM that starts its own bed: when the JVM dies, however it dies, the pipe to our
    # stdin closes and the bed goes down with it.
    ensure_packages
    bin="$("$here/build.sh" | tail -n1)"
    bed="$(build_bed)"
    # shellcheck disable=SC2046 # the flags are words
    exec "$bed" up --exit-on-stdin-eof --state "$state" --bin "$bin" $(real_node "$bed") "$@"
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
  node)
    verb="${1:-}"
    shift || true
    exec "$(build_bed)" node "$verb" --state "$state" "$@"
    ;;
  *)
    echo "usage: $0 up|serve|down|env|postgres stop|postgres start|apiserver restart|node import ARCHIVE... [extra bed flags]" >&2
    exit 2
    ;;
esac
