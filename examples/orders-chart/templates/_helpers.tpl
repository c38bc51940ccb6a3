{{- define "orders.name" -}}
{{- printf "%s-orders" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "orders.secret" -}}
{{- .Values.database.existingSecret | default (printf "%s-db" (include "orders.name" .)) -}}
{{- end -}}
