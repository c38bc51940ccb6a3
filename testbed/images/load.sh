#!/usr/bin/env bash
# Loads the images `make image` built (label io.schemagate.image) into the real node of the running
# test bed ($SCHEMAGATE_TESTBED_STATE), or the images named as arguments: a pod on that node
# naming one runs it without a pull, as from a registry.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if (($#)); then
  images=("$@")
else
  mapfile -t images < <(docker images --filter label=io.schemagate.image=true --filter dangling=false \
    --format '{{.Repository}}:{{.Tag}}')
fi
((${#images[@]})) || { echo "images: none built yet (make image)" >&2; exit 0; }
archive="$(mktemp --suffix=.tar)"
trap 'rm -f "$archive"' EXIT
docker save -o "$archive" "${images[@]}"
"$here/../testbed.sh" node import "$archive"
echo "images: loaded ${images[*]} into the real node" >&2
