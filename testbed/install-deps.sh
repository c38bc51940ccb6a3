#!/usr/bin/env bash
# Installs the Debian packages SchemaGate's build and test bed need, only those missing:
# Maven, PostgreSQL (the bed's database server and psql), bubblewrap (isolates the Job pods
# the bed runs), curl (the quick start waits on the webhook with it), pip for the system's
# Python (testbed/tools/alembic.sh installs Alembic with it), and for the real node and the
# images: Docker (builds the images; its daemon is started by testbed/docker.sh), debootstrap
# (the local base images), iptables (kube-proxy) and libseccomp's headers (runc is built with
# them). Go and a JDK 17 come with the machine.
set -euo pipefail

missing=()
command -v mvn >/dev/null || missing+=(maven)
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || missing+=(postgresql-15)
command -v bwrap >/dev/null || missing+=(bubblewrap)
command -v psql >/dev/null || missing+=(postgresql-client-15)
command -v curl >/dev/null || missing+=(curl)
/usr/bin/python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v iptables >/dev/null || missing+=(iptables)
command -v ip >/dev/null || missing+=(iproute2)   # the real node's network namespace and link
command -v ps >/dev/null || missing+=(procps)     # QuickstartIT looks for what make run left
[[ -f /usr/include/seccomp.h ]] || missing+=(libseccomp-dev)

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi
