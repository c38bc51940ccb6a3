#!/usr/bin/env bash
# `make image`: builds the SchemaGate image from src/main/docker/Dockerfile.jvm and the examples'
# images from theirs, with Docker, on the bases bases.sh chooses. When a test bed with a real node
# runs ($SCHEMAGATE_TESTBED_STATE), the images are loaded into its runtime too, so that pods there
# run them. Prints the SchemaGate image's reference as its last line.
#
#   example.com/shop:1.0             examples/quickstart/Dockerfile
#   example.com/accounts:1.0         examples/alembic/Dockerfile (Alembic, SQLAlchemy, psycopg)
#   example.com/orders:1.0           examples/orders-chart/image/Dockerfile (Flyway scripts inside)
#   example.com/orders-scripts:1.0   examples/orders-chart/image/Dockerfile.scripts (scripts only)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/testbed/images"
cd "$root"

version="$(awk '/<artifactId>schemagate<\/artifactId>/ {found=1} found && /<version>/ {gsub(/.*<version>|<\/version>.*/, ""); print; exit}' pom.xml)"
ref="${SCHEMAGATE_IMAGE_REPOSITORY:-schemagate/schemagate}:$version"
[[ -f target/quarkus-app/quarkus-run.jar ]] || {
  echo "images: no target/quarkus-app; build it first (make image does: mvn package)" >&2
  exit 1
}

"$root/testbed/docker.sh" up
mapfile -t bases < <("$here/bases.sh")
start=$SECONDS
# label: what `make testbed` loads into a real node it starts (load.sh).
build() {
  local image="$1" dockerfile="$2" context="$3"
  echo "images: building $image ($dockerfile)" >&2
  "$here/docker-build.sh" "${bases[@]}" --label io.schemagate.image=true -f "$dockerfile" -t "$image" "$context"
}
build "$ref" src/main/docker/Dockerfile.jvm .
build example.com/shop:1.0 examples/quickstart/Dockerfile examples/quickstart
build example.com/accounts:1.0 examples/alembic/Dockerfile examples/alembic
build example.com/orders:1.0 examples/orders-chart/image/Dockerfile examples/orders-chart/image
build example.com/orders-scripts:1.0 examples/orders-chart/image/Dockerfile.scripts examples/orders-chart/image
echo "images: built in $((SECONDS - start))s; $ref is $(docker image inspect -f '{{.Size}}' "$ref" | numfmt --to=iec)" >&2

if [[ -f "${SCHEMAGATE_TESTBED_STATE:-/tmp/schemagate-testbed}/node/resources.json" ]]; then
  "$here/load.sh"
fi
echo "$ref"
