# The local equivalent of the Go build base, for machines that reach no registry: Debian with the
# C compiler, and the Go toolchain, module proxy and certificate authorities of the machine that
# builds (bases.sh puts them in the context), so that `go mod download` works as it does there.
ARG DEBIAN=schemagate.local/debian:bookworm
FROM ${DEBIAN}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc libc6-dev ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY go /usr/local/go
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ARG GOPROXY
ENV PATH=/usr/local/go/bin:$PATH GOPROXY=${GOPROXY} GOTOOLCHAIN=local
