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
# Exactly the calls the operator makes (operator RbacMockTest checks equality per group, resource and verb).
# Informers list and watch; backends are read once more by name when a rule's status is computed.
- apiGroups: [conduit.io]
  resources: [blobbackends, queuebackends]
  verbs: [get, list, watch]
- apiGroups: [conduit.io]
  resources: [routerules, edgegateways]
  verbs: [list, watch]
# Status is written as a JSON patch of the status subresource, never with update.
- apiGroups: [conduit.io]
  resources: [blobbackends/status, queuebackends/status, routerules/status, edgegateways/status]
  verbs: [patch]
# Owned objects are created and put back with update; deletion is left to garbage collection (owner references).
# Secrets: get reads the Secrets backends and gateways name (and the admin token the cache has not seen yet);
# list/watch are only ever sent with a label selector (the operator's own Secrets, and user Secrets labelled
# conduit.io/watched=true), but RBAC cannot narrow them to that: watchNamespaces is the way to narrow the grant.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch, create, update]
- apiGroups: [""]
  resources: [configmaps, services]
  verbs: [list, watch, create, update]
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [list, watch, create]
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [list, watch, create, update]
# Which pods a gateway's Deployment really owns (only those get its config and admin token).
- apiGroups: [apps]
  resources: [replicasets]
  verbs: [list, watch]
# The disruption budget goes when a gateway scales down to one pod.
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [list, watch, create, update, delete]
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [list, watch, create, update]
{{- end }}
