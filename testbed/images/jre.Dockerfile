# The local equivalent of the JRE base the SchemaGate image is built on by default, for machines
# that reach no registry: Debian's OpenJDK 17 runtime, `java` on the PATH as there.
ARG DEBIAN=schemagate.local/debian:bookworm
FROM ${DEBIAN}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless ca-certificates \
    && rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
