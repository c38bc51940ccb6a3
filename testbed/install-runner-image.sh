#!/usr/bin/env bash
# Lays out SchemaGate's runner image for the bed's Job executor as src/main/docker/Dockerfile.jvm
# builds it: this build's target/quarkus-app as /deployments, a Java runtime of its own where the
# eclipse-temurin base image keeps it (/opt/java/openjdk, first on PATH), and the Dockerfile's
# ENTRYPOINT and WORKDIR as the image's configuration. A Job that relied on anything else of the
# host than the bed's shared /usr and /etc would then fail here as it would in a cluster. The class
# archive the image's build makes is left out: the JVM starts without it, only slower.
#
#   testbed/install-runner-image.sh <image root>
set -euo pipefail
root="$1"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"

# Hard links: instant and no extra space; a symbolic link would resolve inside the sandbox.
link_tree() { cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"; }

rm -rf "$root" && mkdir -p "$root/opt/java"
link_tree "$repo/target/quarkus-app" "$root/deployments"
link_tree "$java_home" "$root/opt/java/openjdk"
python3 - "$repo/src/main/docker/Dockerfile.jvm" >"$root/.bed-image.json" <<'PY'
import json, sys

instructions = {}
# An instruction may go on over lines that end in a backslash.
for line in open(sys.argv[1]).read().replace("\\\n", " ").splitlines():
    word, _, rest = line.strip().partition(" ")
    instructions[word] = rest.strip()
print(json.dumps({
    "Entrypoint": json.loads(instructions["ENTRYPOINT"]),
    "WorkingDir": instructions["WORKDIR"],
    "Env": ["PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "JAVA_HOME=/opt/java/openjdk"],
}))
PY
