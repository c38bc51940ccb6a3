#!/usr/bin/env bash
# Lays out a bed image folder for the real goose CLI: the static binary as /goose, the
# entrypoint, and `--help` as the default command, so a Job's args are the CLI's own
# (`-dir /migrations up`, with GOOSE_DRIVER=postgres and GOOSE_DBSTRING=postgres://... in its
# env, or `-dir /migrations postgres <dbstring> up`). Builds the binary first (cached) with
# goose.sh. No `usr` of its own: the bed shares the host's.
#
#   testbed/tools/goose-image.sh <image root>
set -euo pipefail
root="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="$("$here/goose.sh" | tail -n 1)"

rm -rf "$root" && mkdir -p "$root"
# A hard link: instant and no extra space; a symbolic link would resolve inside the sandbox.
ln "$binary" "$root/goose" 2>/dev/null || cp "$binary" "$root/goose"
cat >"$root/.bed-image.json" <<'JSON'
{"Entrypoint": ["/goose"], "Cmd": ["--help"], "WorkingDir": "/", "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"]}
JSON
echo "tools: goose image in $root" >&2
