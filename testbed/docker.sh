#!/usr/bin/env bash
# Starts and stops the Docker engine that builds SchemaGate's images (make image) and runs the
# image's own tests. Nothing on these machines starts it, so whatever needs it starts it here and
# stops it afterwards; an engine that was already running is used and left alone.
#
#   testbed/docker.sh up      # start one unless `docker info` answers; idempotent
#   testbed/docker.sh down    # stop the one `up` started, if any
#
# The engine it starts keeps off the host's firewall and bridges (--iptables=false, --bridge=none):
# builds run with --network host, and the real node has a network of its own.
set -euo pipefail
run_dir="${SCHEMAGATE_DOCKER_RUN:-/run/schemagate-docker}"
pid_file="$run_dir/dockerd.pid"
log="$run_dir/dockerd.log"

case "${1:-}" in
  up)
    if docker info >/dev/null 2>&1; then
      exit 0
    fi
    command -v dockerd >/dev/null || { echo "docker: dockerd is missing; run 'make deps' (Debian's docker.io)" >&2; exit 1; }
    mkdir -p "$run_dir"
    echo "docker: starting the Docker engine (log $log)" >&2
    # setsid: the engine outlives this script and the caller's Ctrl-C; `down` stops it.
    setsid dockerd --iptables=false --ip-forward=false --bridge=none --pidfile "$pid_file" \
      </dev/null >"$log" 2>&1 &
    for _ in $(seq 100); do
      docker info >/dev/null 2>&1 && exit 0
      sleep 0.2
    done
    echo "docker: the engine did not come up within 20s; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    exit 1
    ;;
  down)
    [[ -f "$pid_file" ]] || exit 0
    pid="$(cat "$pid_file")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 150); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pid_file"
    ;;
  *)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
