#!/usr/bin/env bash
# Runs a command against a fresh test bed of its own, which is stopped afterwards whatever
# happens (success, failure, Ctrl-C), and so is the Docker engine the image tier started
# (testbed/docker.sh). Used by `make test`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

state="$(mktemp -d "${TMPDIR:-/tmp}/schemagate-test-XXXXXX")"
export SCHEMAGATE_TESTBED_STATE="$state"
cleanup() {
  "$here/testbed.sh" down || true
  "$here/docker.sh" down || true
  rm -rf "$state"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$SECONDS
eval "$("$here/testbed.sh" up)"
echo "test bed up in $((SECONDS - start))s (state: $state)" >&2
"$@"
