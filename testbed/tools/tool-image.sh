#!/usr/bin/env bash
# Lays out a bed image folder for the real CLI of a Go migration tool, like the tools' upstream
# images: the static binary at the root (/migrate, /goose, /dbmate) as the entrypoint, `--help` as
# the default command, so a Job's args are the CLI's own. Builds the binary first (cached) with
# go-tool.sh. No `usr` of its own: the bed shares the host's.
#
#   testbed/tools/tool-image.sh golang-migrate|goose|dbmate <image root>
set -euo pipefail
tool="${1:?usage: tool-image.sh <tool> <image root>}"
root="${2:?usage: tool-image.sh <tool> <image root>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="$("$here/go-tool.sh" "$tool" | tail -n 1)"
name="$(basename "$binary")"

rm -rf "$root" && mkdir -p "$root"
# A hard link: instant and no extra space; a symbolic link would resolve inside the sandbox.
ln "$binary" "$root/$name" 2>/dev/null || cp "$binary" "$root/$name"
cat >"$root/.bed-image.json" <<JSON
{"Entrypoint": ["/$name"], "Cmd": ["--help"], "WorkingDir": "/", "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"]}
JSON
echo "tools: $tool image in $root" >&2
