#!/usr/bin/env bash
# Installs the real Alembic from PyPI (testbed/tools/alembic/requirements.txt: every package
# pinned and hashed, psycopg 3 with its own libpq) for the tests that hold SchemaGate against
# Alembic's own `alembic_version` table, and for alembic-image.sh, which places the install
# in a bed image at /opt/alembic.
#
# Not a venv: a venv's scripts start with the absolute path of the venv's python and its
# pyvenv.cfg points at the folder it was made in, while the install is used both from this cache
# and, hard-linked, at /opt/alembic inside a sandbox that cannot see the cache. So the packages go
# into a plain folder (`pip install --target`), and bin/alembic is pip's console script for
# alembic with one more line: it puts ../site-packages, found from its own path, first on
# sys.path. It runs the same from anywhere, with no PYTHONPATH needed. The interpreter is the
# host's /usr/bin/python3, the only one a bed sandbox sees (it shares the host's /usr), and the
# one whose pip installs the wheels, so they are the ones for its version and platform.
#
#   <path>/bin/alembic           the `alembic` command
#   <path>/site-packages/        alembic, sqlalchemy, psycopg, psycopg_binary, mako, ...
#
# Cached under ${SCHEMAGATE_CACHE:-~/.cache/schemagate}/tools/alembic-<version>-<digest>/, where
# the digest covers the requirements, the launcher and the interpreter's version and platform:
# a warm call installs nothing. Prints that path on its last line; everything else to stderr.
set -euo pipefail
umask 022 # the sandbox may run as any user: everything must be world-readable

python=/usr/bin/python3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/alembic"
requirements="$here/requirements.txt"
cache="${SCHEMAGATE_CACHE:-$HOME/.cache/schemagate}/tools"

# The version is the one the requirements pin: requirements.txt is the single source.
version="$(sed -n 's/^alembic==\([^ ]*\).*/\1/p' "$requirements")"
[[ -n "$version" ]] || { echo "tools: no alembic==VERSION in $requirements" >&2; exit 1; }

launcher="#!$python
# -*- coding: utf-8 -*-
import os
import re
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), 'site-packages'))
from alembic.config import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?\$', '', sys.argv[0])
    sys.exit(main())
"

interpreter="$("$python" -c 'import sys, sysconfig; print(sys.version, sysconfig.get_platform())')"
digest="$(cat "$requirements" <(printf '%s' "$launcher") <(echo "$interpreter") | sha256sum | cut -c1-12)"
out="$cache/alembic-$version-$digest"

if [[ -f "$out/.complete" ]]; then
  echo "tools: alembic $version cached in $out" >&2
else
  if ! "$python" -m pip --version >/dev/null 2>&1; then
    echo "tools: $python has no pip (Debian: apt-get install python3-pip)" >&2
    exit 1
  fi
  echo "tools: installing alembic $version (first time only; takes seconds)" >&2
  rm -rf "$out" && mkdir -p "$out"
  start=$SECONDS
  # --target installs into a plain folder (and so is allowed by Debian's externally-managed
  # python); --no-deps with --require-hashes: the requirements are the whole closure. pip
  # compiles the .py files there, so a read-only /opt/alembic starts as fast as a writable one.
  "$python" -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
    --root-user-action=ignore \
    --require-hashes --no-deps --only-binary :all: \
    --target "$out/site-packages" -r "$requirements" >&2
  rm -rf "$out/site-packages/bin" # pip's scripts: they would not find site-packages themselves
  mkdir -p "$out/bin"
  printf '%s' "$launcher" >"$out/bin/alembic"
  chmod 755 "$out/bin/alembic"
  # Fails here, not in a test, when a wheel does not load: the launcher, and psycopg with the
  # libpq of psycopg-binary.
  echo "tools: $("$out/bin/alembic" --version)" >&2
  PYTHONPATH="$out/site-packages" "$python" -c \
    'import psycopg, sys; sys.exit(psycopg.pq.__impl__ != "binary")' ||
    { echo "tools: psycopg does not load psycopg-binary" >&2; exit 1; }
  touch "$out/.complete"
  echo "tools: installed alembic in $((SECONDS - start))s" >&2
fi
echo "$out"
