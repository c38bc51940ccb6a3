#!/usr/bin/env bash
# `docker build --network host` with its output kept in a log, shown only when the build fails:
# builds here reach Debian's packages (and the module proxy) through the machine's own network.
set -euo pipefail
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! docker build --network host "$@" >"$log" 2>&1; then
  echo "images: docker build $* failed:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
