{{- /*
SchemaGate's library chart. An application chart lists it as a dependency, sets a `schemagate`
block in its own values, and calls these templates with its root context:

  schemagate.migration       the DatabaseMigration whose scripts come from the chart's workload
  schemagate.podLabels       the label that holds the workload's new pods until their schema is current
  schemagate.podAnnotations  the revision those pods need, when schemagate.revision is set
  schemagate.workloadName    the name the chart's Deployment or StatefulSet must have

Every template reads .Values.schemagate and refuses what the API server would refuse later, with
the name of the value to fix, so a mistake fails `helm template` rather than the rollout.
*/ -}}

{{- /* The DatabaseMigration's name: schemagate.name, or <release>-<chart> as `helm create` names objects. */ -}}
{{- define "schemagate.name" -}}
{{- $values := include "schemagate.values" . | fromYaml -}}
{{- $values.name | default (printf "%s-%s" .Release.Name .Chart.Name) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- /* The workload whose image holds the scripts and whose pods are gated: by default the migration's name. */ -}}
{{- define "schemagate.workloadName" -}}
{{- $values := include "schemagate.values" . | fromYaml -}}
{{- dig "workload" "name" "" $values | default (include "schemagate.name" .) -}}
{{- end -}}

{{- define "schemagate.values" -}}
{{- required "schemagate: set the schemagate block in the chart's values (engine, workload, database)" .Values.schemagate | toYaml -}}
{{- end -}}

{{- define "schemagate.migration" -}}
{{- $values := include "schemagate.values" . | fromYaml -}}
{{- $engine := $values.engine | default "flyway" -}}
{{- if not (has $engine (list "flyway" "sqlx" "alembic")) -}}
{{- fail (printf "schemagate.engine: %q is not an engine whose scripts ship in an image: use flyway, sqlx or alembic" $engine) -}}
{{- end -}}
{{- $database := required "schemagate.database: the database to migrate (url and credentialsSecret, or urlFrom)" $values.database -}}
{{- if and $database.url $database.urlFrom -}}
{{- fail "schemagate.database: set url or urlFrom, not both" -}}
{{- end -}}
{{- if not (or $database.url $database.urlFrom) -}}
{{- fail "schemagate.database: set url (with credentialsSecret) or urlFrom (a Secret's key holding the JDBC URL)" -}}
{{- end -}}
{{- if and $database.url (not $database.credentialsSecret) -}}
{{- fail "schemagate.database.credentialsSecret: the Secret with the username and password, required with url" -}}
{{- end -}}
{{- $workload := $values.workload | default dict -}}
{{- $kind := $workload.kind | default "Deployment" -}}
{{- if and $workload.path (not (hasPrefix "/" $workload.path)) -}}
{{- fail (printf "schemagate.workload.path: %q must be an absolute directory of the image" $workload.path) -}}
{{- end -}}
{{- if not (has $kind (list "Deployment" "StatefulSet")) -}}
{{- fail (printf "schemagate.workload.kind: %q is not a workload kind SchemaGate reads: use Deployment or StatefulSet" $kind) -}}
{{- end -}}
apiVersion: schemagate.io/v1alpha1
kind: DatabaseMigration
metadata:
  name: {{ include "schemagate.name" . }}
  labels:
    app.kubernetes.io/managed-by: {{ .Release.Service }}
    app.kubernetes.io/instance: {{ .Release.Name }}
spec:
  engine: {{ $engine }}
  {{- with $values.target }}
  target: {{ . | quote }}
  {{- end }}
  database:
    {{- with $database.url }}
    url: {{ . | quote }}
    {{- end }}
    {{- with $database.urlFrom }}
    urlFrom:
      secretKeyRef:
        name: {{ required "schemagate.database.urlFrom.secret: the Secret holding the JDBC URL" .secret | quote }}
        key: {{ required "schemagate.database.urlFrom.key: the Secret's key holding the JDBC URL" .key | quote }}
    {{- end }}
    {{- with $database.credentialsSecret }}
    credentialsSecret:
      name: {{ . | quote }}
    {{- end }}
  source:
    workload:
      kind: {{ $kind }}
      name: {{ include "schemagate.workloadName" . }}
      {{- with $workload.container }}
      container: {{ . | quote }}
      {{- end }}
      {{- with $workload.path }}
      path: {{ . | quote }}
      {{- end }}
      {{- with $workload.inherit }}
      inherit:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{- define "schemagate.podLabels" -}}
schemagate.io/migration: {{ include "schemagate.name" . }}
{{- end -}}

{{- define "schemagate.podAnnotations" -}}
{{- $values := include "schemagate.values" . | fromYaml -}}
{{- with $values.revision }}
schemagate.io/revision: {{ . | quote }}
{{- end -}}
{{- end -}}
