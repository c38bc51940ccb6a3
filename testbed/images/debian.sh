#!/usr/bin/env bash
# Makes the local image schemagate.local/debian:bookworm, a minimal Debian root file system from
# Debian's packages (debootstrap --variant=minbase), for the machines that reach no container
# registry: the local bases (bases.sh) and the examples' images start from it. The root file
# system is cached under ${SCHEMAGATE_CACHE:-~/.cache/schemagate}/images by the apt sources it came
# from; a warm call imports it into Docker in seconds, or does nothing when Docker has it.
set -euo pipefail
ref=schemagate.local/debian:bookworm
if docker image inspect "$ref" >/dev/null 2>&1; then
  echo "$ref"
  exit 0
fi
cache="${SCHEMAGATE_CACHE:-$HOME/.cache/schemagate}/images"
mirror="$(awk '/^URIs:/ {print $2; exit} /^deb / {print $2; exit}' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -n1)"
mirror="${mirror:-http://deb.debian.org/debian}"
rootfs="$cache/debian-bookworm-minbase-$(echo "$mirror" | sha256sum | cut -c1-12).tar"
if [[ ! -f "$rootfs" ]]; then
  echo "images: debootstrap of Debian bookworm (minbase) from $mirror (first time only; about a minute)" >&2
  mkdir -p "$cache"
  dir="$(mktemp -d)"
  trap 'rm -rf "$dir"' EXIT
  debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -n 20 "$cache/debootstrap.log" >&2; exit 1; }
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  tar -C "$dir" -cf "$rootfs.tmp" .
  mv "$rootfs.tmp" "$rootfs"
fi
docker import --change 'CMD ["/bin/bash"]' "$rootfs" "$ref" >/dev/null
echo "images: $ref imported from $rootfs" >&2
echo "$ref"
