#!/usr/bin/env bash
# Lays out a bed image folder that looks like a Python application's image with Alembic
# installed, for the tests that run the real `alembic` in a Job pod: the install from
# alembic.sh (cached) at /opt/alembic, with `alembic` on PATH as `pip install alembic` would put
# it, and the application folder (alembic.ini, migrations/env.py, migrations/versions/) at /app,
# the working directory. No Entrypoint, `alembic --help` as the default command, so a Job
# states its own command (`alembic upgrade head`), as with a plain Python image. No `usr` of its
# own: the bed shares the host's, and its /usr/bin/python3 runs the launcher.
#
#   /opt/alembic/bin/alembic         on PATH
#   /opt/alembic/site-packages/      on PYTHONPATH too, so `python3 -m alembic` and env.py's own
#                                    imports work as in an image where pip installed Alembic
#   /app/                            the application folder, copied
#
#   testbed/tools/alembic-image.sh <app folder> <image root>
#   e.g. testbed/tools/alembic-image.sh examples/alembic/app "$SCHEMAGATE_TESTBED_IMAGES/example.com_app_v1"
set -euo pipefail
umask 022 # the sandbox may run as any user: everything must be world-readable
app="${1:?usage: alembic-image.sh <app folder> <image root>}"
root="${2:?usage: alembic-image.sh <app folder> <image root>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[[ -f "$app/alembic.ini" ]] || { echo "tools: $app has no alembic.ini" >&2; exit 1; }
install="$("$here/alembic.sh" | tail -n 1)"

rm -rf "$root" && mkdir -p "$root/opt"
# Hard links: instant and no extra space (a symbolic link would resolve inside the sandbox).
# Across file systems, a copy; -a keeps the mtimes, which the compiled .pyc files are checked
# against.
if ! cp -al "$install" "$root/opt/alembic" 2>/dev/null; then
  rm -rf "$root/opt/alembic"
  cp -a "$install" "$root/opt/alembic"
fi
rm -f "$root/opt/alembic/.complete" # only this link: the cache keeps its own
cp -R "$app" "$root/app"
find "$root/app" -name __pycache__ -prune -exec rm -rf {} + # byte code compiled elsewhere
cat >"$root/.bed-image.json" <<'JSON'
{"Cmd": ["alembic", "--help"], "WorkingDir": "/app",
 "Env": ["PATH=/opt/alembic/bin:/usr/local/bin:/usr/bin:/bin", "PYTHONPATH=/opt/alembic/site-packages",
         "PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1"]}
JSON
echo "tools: alembic image of $app in $root" >&2
