{{/*
Names are fixed, not derived from the release name: manifests/ is this chart's rendering and must
name the same objects, and gateway NetworkPolicies admit admin pushes from pods labelled
app.kubernetes.io/name=conduit-operator only.
*/}}
{{- define "conduit.operatorName" -}}conduit-operator{{- end }}

{{- define "conduit.labels" -}}
app.kubernetes.io/name: conduit-operator
app.kubernetes.io/part-of: conduit
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{- define "conduit.selectorLabels" -}}
app.kubernetes.io/name: conduit-operator
{{- end }}

{{- define "conduit.operatorImage" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "conduit.gatewayImage" -}}
{{ .Values.gateway.image.repository }}:{{ .Values.gateway.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/*
What the operator does, and nothing more: it reads Conduit resources and writes their status, owns
each EdgeGateway's objects, reads Secrets the resources name, and watches gateway pods. One list for
the ClusterRole and the per-namespace Roles; install-tests checks it against the operator's workflow.
*/}}
{{- define "conduit.operatorRules" -}}
- apiGroups: [conduit.io]
  resources: [blobbackends, queuebackends, routerules, edgegateways]
  verbs: [get, list, watch]
# Status is written as a JSON patch of the status subresource, never with update.
- apiGroups: [conduit.io]
  resources: [blobbackends/status, queuebackends/status, routerules/status, edgegateways/status]
  verbs: [patch]
- apiGroups: [""]
  resources: [configmaps, secrets, services, serviceaccounts]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [get, list, watch, create, update, patch, delete]
{{- end }}
