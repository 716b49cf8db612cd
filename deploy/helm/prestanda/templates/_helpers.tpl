{{/* Chart name. */}}
{{- define "prestanda.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-wide name: the release name, with the chart name unless it already has it. */}}
{{- define "prestanda.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "prestanda.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of one service's objects. Call with (list $ "billing"). */}}
{{- define "prestanda.componentName" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" (include "prestanda.fullname" $root | trunc 48 | trimSuffix "-") (index . 1) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on everything, without name/instance/component. */}}
{{- define "prestanda.baseLabels" -}}
helm.sh/chart: {{ include "prestanda.chart" . }}
app.kubernetes.io/part-of: prestanda
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels of release-wide objects (ConfigMap, ServiceAccount, ...). */}}
{{- define "prestanda.commonLabels" -}}
{{ include "prestanda.baseLabels" . }}
app.kubernetes.io/name: {{ include "prestanda.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one service's objects. Call with (list $ "billing"). */}}
{{- define "prestanda.labels" -}}
{{- $root := index . 0 -}}
{{ include "prestanda.baseLabels" $root }}
{{ include "prestanda.selectorLabels" . }}
{{- end }}

{{/* Selector labels of one service. Call with (list $ "billing"). */}}
{{- define "prestanda.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "prestanda.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "prestanda.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "prestanda.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "prestanda.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* The service's consumer group id: prestanda.<service><groupSuffix>. (list $ "billing") */}}
{{- define "prestanda.groupId" -}}
{{- $root := index . 0 -}}
{{- printf "prestanda.%s%s" (index . 1) ($root.Values.kafka.groupSuffix | default "") }}
{{- end }}

{{/* Physical topic name: <topicPrefix><topic>. (list $ "rewards") */}}
{{- define "prestanda.topic" -}}
{{- $root := index . 0 -}}
{{- printf "%s%s" ($root.Values.kafka.topicPrefix | default "") (index . 1) }}
{{- end }}

{{/* The Secret with a service's Kafka credentials. (list $ "billing" $svc) */}}
{{- define "prestanda.kafkaSecret" -}}
{{- $root := index . 0 -}}
{{- $svc := index . 2 }}
{{- $svc.kafkaSecret | default (printf "%s%s" $root.Values.kafka.credentialsSecretPrefix (index . 1)) }}
{{- end }}

{{/* "true" when the service's Kafka connection needs the credentials Secret. */}}
{{- define "prestanda.kafkaNeedsSecret" -}}
{{- if or .Values.kafka.sasl.enabled (and .Values.kafka.tls.enabled .Values.kafka.tls.clientAuth) }}true{{ end }}
{{- end }}

{{/* "true" when the service's replicas are left to an autoscaler. (list $ $svc) */}}
{{- define "prestanda.autoscaled" -}}
{{- $root := index . 0 -}}
{{- $svc := index . 1 }}
{{- if dig "autoscaling" "enabled" $root.Values.autoscaling.enabled $svc }}true{{ end }}
{{- end }}

{{/*
Kafka client environment and mounts shared by the services and the topics Job.
Call with (dict "root" $ "secret" "<credentials secret name>").
*/}}
{{- define "prestanda.kafkaEnv" -}}
{{- $root := .root }}
{{- $k := $root.Values.kafka -}}
- name: KAFKA_BROKERS
  value: {{ required "kafka.brokers is required (host:port[,host:port...])" $k.brokers | quote }}
{{- if $k.topicPrefix }}
- name: KAFKA_TOPIC_PREFIX
  value: {{ $k.topicPrefix | quote }}
{{- end }}
{{- if $k.sasl.enabled }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $k.sasl.mechanism | quote }}
{{- if $k.sasl.usernameKey }}
- name: KAFKA_SASL_USERNAME_FILE
  value: /var/run/secrets/prestanda/kafka/{{ $k.sasl.usernameKey }}
{{- else }}
- name: KAFKA_SASL_USERNAME
  value: {{ .secret | quote }}
{{- end }}
- name: KAFKA_SASL_PASSWORD_FILE
  value: /var/run/secrets/prestanda/kafka/{{ $k.sasl.passwordKey }}
{{- end }}
{{- if $k.tls.enabled }}
- name: KAFKA_SSL
  value: "true"
{{- if $k.tls.caSecret }}
- name: KAFKA_SSL_CA_FILE
  value: /var/run/secrets/prestanda/kafka-ca/{{ $k.tls.caKey }}
{{- end }}
{{- if $k.tls.clientAuth }}
- name: KAFKA_SSL_CERT_FILE
  value: /var/run/secrets/prestanda/kafka/{{ $k.tls.certKey }}
- name: KAFKA_SSL_KEY_FILE
  value: /var/run/secrets/prestanda/kafka/{{ $k.tls.keyKey }}
{{- end }}
{{- end }}
{{- end }}

{{/* Volume mounts for the Kafka credentials. Call with $. */}}
{{- define "prestanda.kafkaVolumeMounts" -}}
{{- if include "prestanda.kafkaNeedsSecret" . }}
- name: kafka-credentials
  mountPath: /var/run/secrets/prestanda/kafka
  readOnly: true
{{- end }}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecret }}
- name: kafka-ca
  mountPath: /var/run/secrets/prestanda/kafka-ca
  readOnly: true
{{- end }}
{{- end }}

{{/* Volumes for the Kafka credentials. Call with (dict "root" $ "secret" "<name>"). */}}
{{- define "prestanda.kafkaVolumes" -}}
{{- $root := .root }}
{{- if include "prestanda.kafkaNeedsSecret" $root }}
- name: kafka-credentials
  secret:
    secretName: {{ .secret }}
    defaultMode: 0440
{{- end }}
{{- if and $root.Values.kafka.tls.enabled $root.Values.kafka.tls.caSecret }}
- name: kafka-ca
  secret:
    secretName: {{ $root.Values.kafka.tls.caSecret }}
    defaultMode: 0444
{{- end }}
{{- end }}
