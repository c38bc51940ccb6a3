#!/usr/bin/env bash
# Builds the test-bed binaries (Kubernetes control plane, kubectl, etcd, KWOK, and the real node's
# kubelet, kube-proxy, containerd, runc and CNI plugins) from the pinned Go modules next to this
# script. Outputs are cached under
# ${SCHEMAGATE_CACHE:-~/.cache/schemagate}/testbed/<component>-<version>-<digest>/, where the
# digest covers go.mod, go.sum and the Go toolchain: a warm call builds nothing.
# Prints the directory holding all binaries (a symlink farm) on its last line.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${SCHEMAGATE_CACHE:-$HOME/.cache/schemagate}/testbed"

# The versions are the ones the wrapper modules require: go.mod is the single source.
required() {
  awk -v m="$2" '$1 == "require" && $2 == m {print $3; exit} $1 == m && $3 !~ /=>/ {print $2; exit}' \
    "$here/$1/go.mod"
}
K8S_VERSION="$(required k8s k8s.io/kubernetes)"
ETCD_VERSION="$(required etcd go.etcd.io/etcd/server/v3)"
KWOK_VERSION="$(required kwok sigs.k8s.io/kwok)"
CONTAINERD_VERSION="$(required containerd github.com/containerd/containerd/v2)"
RUNC_VERSION="$(required runc github.com/opencontainers/runc)"
CNI_VERSION="$(required cni github.com/containernetworking/plugins)"

# go.sum is committed and pins every module, so the checksum database is not needed.
export GOFLAGS=-mod=readonly GOSUMDB=off CGO_ENABLED=0
go_version="$(go env GOVERSION)"

# build <module dir> <name> <version> <ldflags> <binary>=<package>...
# Build tags are those of $tags; the Go environment is the caller's (CGO_ENABLED=0 unless it says).
tags=selinux,notest,grpcnotrace
build() {
  local module="$1" name="$2" version="$3" ldflags="$4"; shift 4
  local digest out
  digest="$(cat "$here/$module/go.mod" "$here/$module/go.sum" <(echo "$go_version $tags $*") | sha256sum | cut -c1-12)"
  out="$cache/$name-$version-$digest"
  if [[ -f "$out/.complete" ]]; then
    echo "testbed: $name $version cached in $out" >&2
  else
    echo "testbed: building $name $version (first time only; takes minutes)" >&2
    rm -rf "$out" && mkdir -p "$out"
    local start=$SECONDS target
    for target in "$@"; do
      (cd "$here/$module" && go build -trimpath -tags "$tags" \
        -ldflags "-s -w $ldflags" -o "$out/${target%%=*}" "${target#*=}")
    done
    touch "$out/.complete"
    echo "testbed: built $name in $((SECONDS - start))s" >&2
  fi
  ln -sf "$out"/* "$bin/"
}

bin="$cache/bin"
mkdir -p "$bin"

minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
k8s_ldflags="-X k8s.io/component-base/version.gitVersion=$K8S_VERSION \
-X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor \
-X k8s.io/component-base/version.gitTreeState=clean \
-X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION \
-X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"

build etcd etcd "$ETCD_VERSION" "" etcd=go.etcd.io/etcd/server/v3
build kwok kwok "$KWOK_VERSION" "-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" kwok=sigs.k8s.io/kwok/cmd/kwok
build k8s kubernetes "$K8S_VERSION" "$k8s_ldflags" \
  kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver \
  kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager \
  kube-scheduler=k8s.io/kubernetes/cmd/kube-scheduler \
  kubectl=k8s.io/kubernetes/cmd/kubectl \
  kubelet=k8s.io/kubernetes/cmd/kubelet \
  kube-proxy=k8s.io/kubernetes/cmd/kube-proxy

# The real node (testbed/README.md): its runtime, the OCI runtime under it and its pods' network.
tags=no_btrfs,no_devmapper,no_zfs
build containerd containerd "$CONTAINERD_VERSION" \
  "-X github.com/containerd/containerd/v2/version.Version=$CONTAINERD_VERSION" \
  containerd=github.com/containerd/containerd/v2/cmd/containerd \
  containerd-shim-runc-v2=github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2 \
  ctr=github.com/containerd/containerd/v2/cmd/ctr
tags=""
build cni cni-plugins "$CNI_VERSION" "" \
  bridge=github.com/containernetworking/plugins/plugins/main/bridge \
  loopback=github.com/containernetworking/plugins/plugins/main/loopback \
  host-local=github.com/containernetworking/plugins/plugins/ipam/host-local \
  portmap=github.com/containernetworking/plugins/plugins/meta/portmap
# runc enters namespaces from C (nsenter) and filters system calls with libseccomp: cgo.
tags=seccomp
CGO_ENABLED=1 build runc runc "$RUNC_VERSION" "-X main.version=${RUNC_VERSION#v}" runc=github.com/opencontainers/runc
echo "$bin"
