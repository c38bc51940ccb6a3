#!/usr/bin/env bash
# Chooses the base images the SchemaGate image and the examples' images are built from, and prints
# them as `docker build` arguments. The Dockerfiles' defaults are the public images users pull;
# where they are neither present nor pullable (no registry is reachable here, nor in CI), equivalent
# bases are made locally from Debian's packages, so that the very same Dockerfiles are built:
#   RUNTIME_IMAGE  eclipse-temurin:17-jre       or schemagate.local/jre:17 (Debian's OpenJDK 17)
#   BUILD_IMAGE    golang:1.26-bookworm         or schemagate.local/go:bookworm (this machine's Go)
#   DEBIAN_IMAGE   debian:bookworm-slim         or schemagate.local/debian:bookworm (debootstrap)
#   PYTHON_IMAGE   python:3.11-slim-bookworm    or schemagate.local/python:3.11 (Debian's Python)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# present_or_pulled <image>: whether Docker has it, after one attempt to pull it.
present_or_pulled() {
  docker image inspect "$1" >/dev/null 2>&1 && return 0
  timeout 60 docker pull -q "$1" >/dev/null 2>&1
}

local_base() {
  local ref="$1" dockerfile="$2" context="$3"; shift 3
  if ! docker image inspect "$ref" >/dev/null 2>&1; then
    echo "images: building the local base $ref ($dockerfile)" >&2
    "$here/docker-build.sh" -f "$here/$dockerfile" -t "$ref" "$@" "$context"
  fi
}

args=()
if present_or_pulled debian:bookworm-slim; then
  args+=(--build-arg DEBIAN_IMAGE=debian:bookworm-slim)
else
  args+=(--build-arg "DEBIAN_IMAGE=$("$here/debian.sh")")
fi
if present_or_pulled eclipse-temurin:17-jre; then
  args+=(--build-arg RUNTIME_IMAGE=eclipse-temurin:17-jre)
else
  "$here/debian.sh" >/dev/null
  local_base schemagate.local/jre:17 jre.Dockerfile "$here"
  args+=(--build-arg RUNTIME_IMAGE=schemagate.local/jre:17)
fi
# The machine's certificate authorities, for the local bases that fetch from package registries.
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
cp /etc/ssl/certs/ca-certificates.crt "$context/"
if present_or_pulled python:3.11-slim-bookworm; then
  args+=(--build-arg PYTHON_IMAGE=python:3.11-slim-bookworm)
else
  "$here/debian.sh" >/dev/null
  local_base schemagate.local/python:3.11 python.Dockerfile "$context"
  args+=(--build-arg PYTHON_IMAGE=schemagate.local/python:3.11)
fi
if present_or_pulled golang:1.26-bookworm; then
  args+=(--build-arg BUILD_IMAGE=golang:1.26-bookworm)
else
  "$here/debian.sh" >/dev/null
  ref="schemagate.local/go:bookworm-$(go env GOVERSION)"
  if ! docker image inspect "$ref" >/dev/null 2>&1; then
    cp -al "$(go env GOROOT)" "$context/go" 2>/dev/null || cp -a "$(go env GOROOT)" "$context/go"
    local_base "$ref" go.Dockerfile "$context" --build-arg "GOPROXY=$(go env GOPROXY)"
  fi
  args+=(--build-arg "BUILD_IMAGE=$ref")
fi
printf '%s\n' "${args[@]}"
