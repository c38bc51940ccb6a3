#!/usr/bin/env bash
# `make run`: the embedded default. Starts (or reuses) the local test bed, builds the operator,
# installs the CRD, runs the operator, registers its webhook with the bed's API server, applies
# examples/quickstart (Flyway), examples/sqlx and examples/alembic against the bed's PostgreSQL,
# and prints the
# resources' progress and the gated pods until they are Ready. The operator runs until Ctrl-C.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
namespace=quickstart
sqlx_namespace=quickstart-sqlx
alembic_namespace=quickstart-alembic
alembic_image=example.com/accounts:1.0
runner_image=schemagate/schemagate:local

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Ctrl-C sends SIGINT to the terminal's foreground process group: make and this script. What runs
# in the background (the operator, the watchers) is started with job control on, each in a process
# group of its own, so that it is stopped here, on purpose and whole, rather than by a signal that
# a background JVM of a non-interactive shell would ignore. The bed keeps running.
background=()
webhook_registered=false
stop() {
  trap - INT TERM EXIT
  local group
  for group in "${background[@]}"; do kill -TERM -- "-$group" 2>/dev/null || true; done
  for group in "${background[@]}"; do
    for _ in $(seq 100); do kill -0 -- "-$group" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$group" 2>/dev/null || true
  done
  if $webhook_registered; then
    # An API server that still called the stopped operator would let pods through ungated.
    "$bin/kubectl" delete mutatingwebhookconfiguration schemagate --ignore-not-found >/dev/null 2>&1 || true
  fi
  ((${#background[@]})) && say "operator stopped; the bed keeps running ('make testbed-down' stops it)"
  return 0
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# The build is skipped when target/ holds one newer than every source: a second `make run` starts
# in seconds.
jar=target/quarkus-app/quarkus-run.jar
if [[ ! -f "$jar" || -n "$(find pom.xml src/main -newer "$jar" -print -quit)" ]]; then
  say "building the operator (mvn package)"
  mvn -B -ntp -q package -DskipTests >&2
fi

say "starting the local test bed (reused when 'make testbed' already started one)"
eval "$(testbed/testbed.sh up)"
bin="$(testbed/build.sh 2>/dev/null | tail -1)"
kubectl() { "$bin/kubectl" "$@"; }

# The bed runs Job pods from local folders named after their image: the runner image is laid out
# there as its Dockerfile builds it, from this build.
testbed/install-runner-image.sh "$SCHEMAGATE_TESTBED_IMAGES/${runner_image//[\/:@]/_}"
# examples/alembic's application image: its app/ folder with Alembic from PyPI (cached).
say "laying out the image $alembic_image (examples/alembic/app, with Alembic)"
testbed/tools/alembic-image.sh examples/alembic/app "$SCHEMAGATE_TESTBED_IMAGES/${alembic_image//[\/:@]/_}"

say "installing the DatabaseMigration CRD"
# Forced: the CRD may have been installed by other hands (Helm, a test) and this is its current version.
kubectl apply --server-side --force-conflicts -k crds/ >/dev/null
kubectl wait --for=condition=Established crd/databasemigrations.schemagate.io --timeout=60s >/dev/null

# database <name> in namespace <namespace>, with the Secret <secret> (url, username, password) for it
database_in() {
  local database="$1" ns="$2" secret="$3"
  say "creating database '$database' and namespace '$ns'"
  psql -h "$PGHOST" -p "$PGPORT" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" \
    | grep -q 1 || psql -h "$PGHOST" -p "$PGPORT" -d postgres -qc "CREATE DATABASE $database"
  kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  kubectl -n "$ns" create secret generic "$secret" \
    --from-literal=url="jdbc:postgresql://$PGHOST:$PGPORT/$database" \
    --from-literal=username="$PGUSER" --from-literal=password="$PGPASSWORD" \
    --dry-run=client -o yaml | kubectl apply -f - >/dev/null
}
database_in shop "$namespace" shop-db
database_in catalog "$sqlx_namespace" catalog-db
database_in accounts "$alembic_namespace" accounts-db

say "starting the operator (Ctrl-C to stop; the bed keeps running, 'make testbed-down' stops it)"
webhook_port="${SCHEMAGATE_WEBHOOK_PORT:-8443}"
# PostgreSQL's parser for the change policy, where the image keeps it at /opt/schemagate/lib (cached).
parser_library="$(testbed/tools/libpg-query.sh 2>/dev/null | tail -1)"
set -m # from here on, each background job is a process group of its own (see stop)
SCHEMAGATE_RUNNER_IMAGE="$runner_image" QUARKUS_HTTP_PORT="${QUARKUS_HTTP_PORT:-8080}" \
  SCHEMAGATE_POLICY_PARSER_LIBRARY="$parser_library" \
  SCHEMAGATE_WEBHOOK_PORT="$webhook_port" SCHEMAGATE_NAMESPACE=default \
  java -jar "$jar" &
operator=$!
background+=("$operator")

# In a cluster the Helm chart registers the webhook behind a Service; the bed's API server runs on
# this machine and calls the operator by URL. Ignore: if the operator is stopped, the bed's pods
# start ungated instead of being refused.
say "registering the webhook (https://127.0.0.1:$webhook_port/mutate/pods)"
for _ in $(seq 120); do
  curl -ks -o /dev/null "https://127.0.0.1:$webhook_port/" && break
  kill -0 "$operator" 2>/dev/null || { say "the operator exited"; exit 1; }
  sleep 0.5
done
webhook_registered=true
kubectl apply --server-side -f - >/dev/null <<YAML
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: schemagate
webhooks:
  - name: pods.schemagate.io
    admissionReviewVersions: [v1]
    sideEffects: None
    failurePolicy: Ignore
    timeoutSeconds: 5
    clientConfig:
      url: https://127.0.0.1:$webhook_port/mutate/pods
    objectSelector:
      matchExpressions: [{key: schemagate.io/migration, operator: Exists}]
    rules:
      - {apiGroups: [""], apiVersions: [v1], resources: [pods], operations: [CREATE], scope: Namespaced}
  - name: databasemigrations.schemagate.io
    admissionReviewVersions: [v1]
    sideEffects: None
    failurePolicy: Ignore
    timeoutSeconds: 5
    clientConfig:
      url: https://127.0.0.1:$webhook_port/mutate/databasemigrations
    rules:
      - {apiGroups: [schemagate.io], apiVersions: [v1alpha1], resources: [databasemigrations], operations: [CREATE, UPDATE], scope: Namespaced}
YAML
for _ in $(seq 60); do
  [[ -n "$(kubectl get mutatingwebhookconfiguration schemagate -o jsonpath='{.webhooks[0].clientConfig.caBundle}')" ]] && break
  sleep 0.5
done

say "applying examples/quickstart (3 Flyway migrations, and a Deployment whose pods wait for them)"
kubectl apply -n "$namespace" -k examples/quickstart >&2
say "applying examples/sqlx (5 sqlx migrations) in namespace '$sqlx_namespace'"
kubectl apply -n "$sqlx_namespace" -k examples/sqlx >&2
say "applying examples/alembic (a Deployment whose Alembic runs from its image) in namespace '$alembic_namespace'"
kubectl apply -n "$alembic_namespace" -k examples/alembic >&2

# Progress: a watch prints a line each time a resource changes, until it is Ready.
columns='REVISION:.status.revision.current,READY:.status.conditions[?(@.type=="Ready")].status'
columns+=',REASON:.status.conditions[?(@.type=="Ready")].reason,MESSAGE:.status.conditions[?(@.type=="Ready")].message'
# progress <namespace> <resource> <its ConfigMap, or "" for a source in an image>
progress() {
  local ns="$1" name="$2" config_map="$3"
  exec < <(kubectl -n "$ns" get dbm "$name" --watch -o custom-columns="$columns")
  local watch=$!
  while read -r line; do
    printf '\033[36m[dbm/%s] %s\033[0m\n' "$name" "$line" >&2
    if [[ "$line" =~ ^[^[:space:]]+[[:space:]]+True[[:space:]] ]]; then
      say "dbm/$name is Ready. Watch it yourself:"
      say "  export KUBECONFIG=$KUBECONFIG PATH=$bin:\$PATH; kubectl get dbm -n $ns -w"
      [[ -n "$config_map" ]] && say "Add a migration with: kubectl -n $ns edit configmap $config_map. Stop with Ctrl-C."
      break
    fi
  done
  kill "$watch" 2>/dev/null || true
}
progress "$namespace" shop shop-migrations &
background+=($!)
progress "$sqlx_namespace" catalog catalog-migrations &
background+=($!)
progress "$alembic_namespace" accounts "" &
background+=($!)

# The Deployment's pods: held behind the gate (GATES shows it) until dbm/shop is Ready.
pod_columns='NAME:.metadata.name,GATES:.spec.schedulingGates[*].name,NODE:.spec.nodeName,PHASE:.status.phase'
(
  exec < <(kubectl -n "$namespace" get pods -l app=shop --watch -o custom-columns="$pod_columns")
  while read -r line; do printf '\033[35m[pods] %s\033[0m\n' "$line" >&2; done
) &
background+=($!)
# Returns when the operator exits, or at once on Ctrl-C, whose trap then stops everything.
wait "$operator" || { status=$?; say "the operator exited (status $status)"; exit "$status"; }
