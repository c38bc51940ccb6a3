#!/usr/bin/env bash
# Lays out a bed image folder for the real CLI of a migration tool, like the tool's upstream
# image, so a Job's args are the CLI's own and its default command is `--help`:
# - golang-migrate, goose, dbmate: the static binary at the root (/migrate, /goose, /dbmate) as
#   the entrypoint, built first (cached) with go-tool.sh.
# - liquibase: the install at /liquibase (lib/ and the `liquibase` launcher) as in upstream's
#   image, working directory /liquibase, assembled first (cached) with liquibase.sh. It runs the
#   host's `java`, which the sandbox sees through the host's /usr and /etc/alternatives.
# No `usr`, `bin` or `etc` of its own: the bed shares the host's, and an image's entry would
# replace them.
#
#   testbed/tools/tool-image.sh golang-migrate|goose|dbmate|liquibase <image root>
set -euo pipefail
tool="${1:?usage: tool-image.sh <tool> <image root>}"
root="${2:?usage: tool-image.sh <tool> <image root>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Hard links: instant and no extra space; a symbolic link would resolve inside the sandbox.
# Copies when the image root is on another file system than the cache.
link_or_copy() {
  cp -al "$@" 2>/dev/null || cp -a "$@"
}

case "$tool" in
  golang-migrate|goose|dbmate)
    binary="$("$here/go-tool.sh" "$tool" | tail -n 1)"
    name="$(basename "$binary")"
    rm -rf "$root" && mkdir -p "$root"
    link_or_copy "$binary" "$root/$name"
    config='{"Entrypoint": ["/'"$name"'"], "Cmd": ["--help"], "WorkingDir": "/", "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"]}' ;;
  liquibase)
    launcher="$("$here/liquibase.sh" | tail -n 1)"
    install="$(dirname "$launcher")"
    rm -rf "$root" && mkdir -p "$root/liquibase"
    link_or_copy "$install/lib" "$launcher" "$root/liquibase/"
    config='{"Entrypoint": ["/liquibase/liquibase"], "Cmd": ["--help"], "WorkingDir": "/liquibase", "Env": ["PATH=/liquibase:/usr/local/bin:/usr/bin:/bin", "LIQUIBASE_HOME=/liquibase"]}' ;;
  *) echo "tool-image.sh: unknown tool '$tool'" >&2; exit 2 ;;
esac
echo "$config" >"$root/.bed-image.json"
echo "tools: $tool image in $root" >&2
