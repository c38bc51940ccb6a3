#!/usr/bin/env bash
# Assembles the real Liquibase command line (liquibase-core, picocli, the PostgreSQL driver) from
# the pinned pom testbed/tools/liquibase/pom.xml, for the tests that hold SchemaGate's Liquibase
# engine against Liquibase's own databasechangelog. Cached under
# ${SCHEMAGATE_CACHE:-~/.cache/schemagate}/tools/liquibase-<version>-<digest>/, where the digest
# covers the pom and the Java major version: a warm call runs nothing, not even Maven. The
# folder is an install like the one in Liquibase's upstream image: lib/ with the jars and a
# `liquibase` launcher that finds lib/ next to itself, so it runs as well from an image at
# /liquibase/liquibase (tool-image.sh). Prints the launcher's path on its last line; everything
# else goes to stderr.
#
#   testbed/tools/liquibase.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/liquibase"
cache="${SCHEMAGATE_CACHE:-$HOME/.cache/schemagate}/tools"

# The version is the liquibase-core the pom depends on: the pom is the single source.
version="$(awk '/<artifactId>liquibase-core<\/artifactId>/ {found = 1; next}
  found && /<version>/ {gsub(/.*<version>|<\/version>.*/, ""); print; exit}' "$here/pom.xml")"
# The jars are the same for every JVM, but a cache that outlives a JVM upgrade is rebuilt anyway:
# it is cheap, and the launcher runs whatever `java` the host (and so the sandbox) has.
java_major="$(java -XshowSettings:properties -version 2>&1 |
  awk '$1 == "java.specification.version" {print $3}')"
digest="$(cat "$here/pom.xml" <(echo "java $java_major") | sha256sum | cut -c1-12)"
out="$cache/liquibase-$version-$digest"

if [[ -f "$out/.complete" ]]; then
  echo "tools: liquibase $version cached in $out" >&2
else
  echo "tools: assembling liquibase $version (first time only; takes a minute or less)" >&2
  rm -rf "$out" && mkdir -p "$out"
  start=$SECONDS
  # Runtime scope: what the command line loads, and nothing the pom would only compile against.
  # A pom-packaged project writes no target/, so the worktree stays clean.
  mvn -B -ntp -q -f "$here/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$out/lib" >&2
  # POSIX sh, relative to itself: the same file runs here and in an image at /liquibase.
  # JAVA_HOME, JAVA_OPTS and LIQUIBASE_HOME as upstream's launcher has them (Liquibase uses its
  # home only to report it and list lib/ in its banner); `java` from PATH otherwise.
  cat >"$out/liquibase" <<'SH'
#!/bin/sh
# The Liquibase command line: the jars in lib/ next to this launcher (testbed/tools/liquibase.sh).
dir="$(cd "$(dirname "$0")" && pwd)"
LIQUIBASE_HOME="${LIQUIBASE_HOME:-$dir}"
export LIQUIBASE_HOME
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" $JAVA_OPTS -cp "$dir/lib/*" \
  liquibase.integration.commandline.LiquibaseCommandLine "$@"
SH
  chmod 0755 "$out/liquibase"
  touch "$out/.complete"
  echo "tools: assembled liquibase in $((SECONDS - start))s" >&2
fi
echo "$out/liquibase"
