#!/usr/bin/env bash
# Loads the images `make image` built (label io.schemagate.image) into the real node of the running
# test bed ($SCHEMAGATE_TESTBED_STATE), or the images named as arguments: a pod on that node naming
# one runs it without a pull, as from a registry. An image the node already has, by the same
# Docker image ID, is not sent again.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${SCHEMAGATE_TESTBED_STATE:-/tmp/schemagate-testbed}"
if (($#)); then
  images=("$@")
else
  mapfile -t images < <(docker images --filter label=io.schemagate.image=true --filter dangling=false \
    --format '{{.Repository}}:{{.Tag}}')
fi
loaded="$state/node/loaded-images"
touch "$loaded"
missing=()
for image in "${images[@]}"; do
  grep -qxF "$image $(docker image inspect -f '{{.Id}}' "$image")" "$loaded" || missing+=("$image")
done
((${#missing[@]})) || exit 0
archive="$(mktemp --suffix=.tar)"
trap 'rm -f "$archive"' EXIT
docker save -o "$archive" "${missing[@]}"
"$here/../testbed.sh" node import "$archive"
for image in "${missing[@]}"; do
  echo "$image $(docker image inspect -f '{{.Id}}' "$image")" >>"$loaded"
done
echo "images: loaded ${missing[*]} into the real node" >&2
