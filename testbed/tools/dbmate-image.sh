#!/usr/bin/env bash
# Lays out a bed image folder for the real dbmate CLI, like the upstream dbmate image (whose
# entrypoint is the binary): the static binary as /dbmate, the entrypoint, and `--help` as the
# default command, so a Job's args are the CLI's own (`--migrations-dir /migrations
# --no-dump-schema up`, with DATABASE_URL=postgres://... in its env). Builds the binary first
# (cached) with dbmate.sh. No `usr` of its own: the bed shares the host's.
#
#   testbed/tools/dbmate-image.sh <image root>
set -euo pipefail
root="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="$("$here/dbmate.sh" | tail -n 1)"

rm -rf "$root" && mkdir -p "$root"
# A hard link: instant and no extra space; a symbolic link would resolve inside the sandbox.
ln "$binary" "$root/dbmate" 2>/dev/null || cp "$binary" "$root/dbmate"
cat >"$root/.bed-image.json" <<'JSON'
{"Entrypoint": ["/dbmate"], "Cmd": ["--help"], "WorkingDir": "/", "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"]}
JSON
echo "tools: dbmate image in $root" >&2
