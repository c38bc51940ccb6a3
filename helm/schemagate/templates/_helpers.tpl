{{/* The release's full name: the prefix of every object's name. */}}
{{- define "schemagate.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "schemagate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "schemagate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "schemagate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "schemagate.labels" -}}
{{ include "schemagate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "schemagate.serviceAccountName" -}}
{{- default (include "schemagate.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "schemagate.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Names the operator is told through its environment, and RBAC limits itself to. */}}
{{- define "schemagate.webhookService" -}}
{{- printf "%s-webhook" (include "schemagate.fullname" .) -}}
{{- end -}}

{{- define "schemagate.webhookSecret" -}}
{{- printf "%s-webhook-tls" (include "schemagate.fullname" .) -}}
{{- end -}}

{{- define "schemagate.leaseName" -}}
{{- printf "%s-operator" (include "schemagate.fullname" .) -}}
{{- end -}}

{{- define "schemagate.selfManagedCertificates" -}}
{{- if and .Values.webhook.enabled (eq .Values.webhook.certificates "self-managed") }}true{{ end -}}
{{- end -}}

{{- define "schemagate.certManager" -}}
{{- if and .Values.webhook.enabled (eq .Values.webhook.certificates "cert-manager") }}true{{ end -}}
{{- end -}}

{{/*
What the operator does in the namespaces it watches (docs/rbac.md says why, verb by verb): a
ClusterRole when it watches all namespaces, a Role in each one otherwise.
*/}}
{{- define "schemagate.watchedNamespaceRules" -}}
- apiGroups: [schemagate.io]
  resources: [databasemigrations]
  verbs: [list, watch]
- apiGroups: [schemagate.io]
  resources: [databasemigrations/status]
  verbs: [patch]
- apiGroups: [schemagate.io]
  resources: [databasemigrations/finalizers]
  verbs: [update]
- apiGroups: [batch]
  resources: [jobs]
  verbs: [create, get, list, watch, patch, delete]
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch, patch]
- apiGroups: [""]
  resources: [pods/log]
  verbs: [get]
- apiGroups: [""]
  resources: [persistentvolumeclaims]
  verbs: [get]
- apiGroups: [""]
  resources: [configmaps, secrets]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [secrets]
  verbs: [create]
- apiGroups: [apps]
  resources: [deployments, statefulsets]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [events]
  verbs: [create, list]
{{- end -}}

{{/* Cluster-scoped objects the operator reads or patches, each by name. */}}
{{- define "schemagate.clusterRules" -}}
- apiGroups: [apiextensions.k8s.io]
  resources: [customresourcedefinitions]
  resourceNames: [databasemigrations.schemagate.io]
  verbs: [get]
{{- if include "schemagate.selfManagedCertificates" . }}
- apiGroups: [admissionregistration.k8s.io]
  resources: [mutatingwebhookconfigurations]
  resourceNames: [{{ include "schemagate.fullname" . }}]
  verbs: [get, list, watch, patch]
{{- end }}
{{- if .Values.webhook.enabled }}
# Whether the user approving a plan has the verb approve: asked of the API server's authorizer.
- apiGroups: [authorization.k8s.io]
  resources: [subjectaccessreviews]
  verbs: [create]
{{- end }}
{{- end -}}
