#!/usr/bin/env bash
# Lays out a bed image folder for the real golang-migrate CLI, like the upstream migrate/migrate
# image: the static binary as /migrate, the entrypoint, and `--help` as the default command, so
# a Job's args are the CLI's own (`-path /migrations -database postgres://... up`). Builds the
# binary first (cached) with golang-migrate.sh. No `usr` of its own: the bed shares the host's.
#
#   testbed/tools/golang-migrate-image.sh <image root>
set -euo pipefail
root="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="$("$here/golang-migrate.sh" | tail -n 1)"

rm -rf "$root" && mkdir -p "$root"
# A hard link: instant and no extra space; a symbolic link would resolve inside the sandbox.
ln "$binary" "$root/migrate" 2>/dev/null || cp "$binary" "$root/migrate"
cat >"$root/.bed-image.json" <<'JSON'
{"Entrypoint": ["/migrate"], "Cmd": ["--help"], "WorkingDir": "/", "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"]}
JSON
echo "tools: golang-migrate image in $root" >&2
