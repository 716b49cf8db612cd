import { context, propagation, ROOT_CONTEXT, Context, trace, SpanKind, SpanStatusCode, Span } from '@opentelemetry/api';
import { getRPCMetadata, RPCType, W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { NodeSDK, NodeSDKConfiguration } from '@opentelemetry/sdk-node';

type SpanProcessor = NonNullable<NodeSDKConfiguration['spanProcessors']>[number];

export interface TracingOptions {
  /**
   * Where spans go instead of the OTLP exporter (tests: an in-memory exporter). Given, the SDK
   * starts even without OTEL_EXPORTER_OTLP_ENDPOINT.
   */
  spanProcessors?: SpanProcessor[];
}

let started = false;
let sdk: NodeSDK | undefined;
let shuttingDown: Promise<void> | undefined;

/** Paths of the internal health port: probes and scrapes every few seconds are not traces. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/** Whether spans are recorded in this process (the SDK runs); off, producers skip their span work. */
export function tracingEnabled(): boolean {
  return sdk !== undefined;
}

/**
 * Starts OpenTelemetry. Call it first in main.ts, before NestJS is imported (the
 * instrumentations patch http, pg and Nest as they load). W3C trace context propagation is
 * always on (trace ids travel in Kafka headers even when no collector is configured); spans are
 * recorded and exported only when OTEL_EXPORTER_OTLP_ENDPOINT (or _TRACES_ENDPOINT) is set and
 * OTEL_SDK_DISABLED is not `true`. Sampling follows OTEL_TRACES_SAMPLER / _ARG.
 */
export function startTracing(serviceName: string, options: TracingOptions = {}): void {
  if (started) return;
  started = true;
  const exporting = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (process.env.OTEL_SDK_DISABLED === 'true' || (!exporting && !options.spanProcessors)) {
    // No exporter: still keep the active context across awaits and propagate W3C headers.
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    return;
  }
  // Loaded lazily so tests and tools that never export pay nothing for the SDK.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { NestInstrumentation } = require('@opentelemetry/instrumentation-nestjs-core') as typeof import('@opentelemetry/instrumentation-nestjs-core');
  /* eslint-enable @typescript-eslint/no-require-imports */
  sdk = new NodeSDK({
    serviceName,
    spanProcessors: options.spanProcessors ?? [new BatchSpanProcessor(new OTLPTraceExporter())],
    // Metrics are Prometheus (/metrics), logs are JSON on stdout: the SDK exports traces only.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? ''),
        // An outgoing call with no request or message around it (a JWKS refresh) is no trace of its own.
        requireParentforOutgoingSpans: true,
      }),
      // Queries inside a request or a consumer span only: the relay's and the redrive's polling
      // would otherwise start a trace every 200 ms. Parameter values are never recorded.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      new NestInstrumentation(),
    ],
  });
  sdk.start();
  process.once('beforeExit', () => void shutdownTracing());
}

/**
 * Flushes and stops the SDK (the spans still in the batch processor are exported). The service
 * kit calls it last at shutdown, after the consumer, the relay and the database pool closed,
 * because Nest exits the process right after its shutdown hooks (no beforeExit on SIGTERM).
 */
export function shutdownTracing(timeoutMs = 5000): Promise<void> {
  if (!sdk) return Promise.resolve();
  const running = sdk;
  shuttingDown ??= Promise.race([
    running.shutdown().catch(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
  ]).then(() => {
    if (sdk === running) sdk = undefined;
  });
  return shuttingDown;
}

export const tracer = () => trace.getTracer('prestanda');

/**
 * Names the current HTTP request's route (`/v1/campaigns/:id`, not the URL) for the HTTP
 * instrumentation, which then names its server span `POST /v1/campaigns/:id` and sets
 * `http.route` when the request ends. Without it every server span is just `POST` or `GET`.
 */
export function recordHttpRoute(route: string): void {
  const rpc = getRPCMetadata(context.active());
  if (rpc?.type === RPCType.HTTP) rpc.route = route;
}

/** Extracts the W3C context carried in message headers. */
export function contextFromHeaders(headers: Record<string, string>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

export function injectTraceHeaders(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

/**
 * Starts a PRODUCER span for one message about to be sent, as the child of the trace in its
 * headers (the request or consumer span that wrote it to the outbox) or else of `parent`, and
 * points the headers' traceparent at the new span, so the consumer's span is its child: one
 * trace from the HTTP request through every service. Returns nothing (and changes nothing) when
 * tracing is off or the span is not sampled; end the span once the broker acknowledged.
 */
export function startProducerSpan(name: string, headers: Record<string, string>, attributes: Record<string, string | number>, parent: Context = ROOT_CONTEXT): Span | undefined {
  if (!sdk) return undefined;
  const carried = headers.traceparent ? contextFromHeaders(headers) : parent;
  const span = tracer().startSpan(name, { kind: SpanKind.PRODUCER, attributes }, carried);
  if (!span.isRecording()) return undefined;
  propagation.inject(trace.setSpan(carried, span), headers);
  return span;
}

/** Ends producer spans after a send, recording its error on each when it failed. */
export function endProducerSpans(spans: Span[], error?: unknown): void {
  for (const span of spans) {
    if (error !== undefined) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }
}

/** Runs fn in a CONSUMER span that continues the producer's trace. */
export async function withConsumerSpan<T>(name: string, headers: Record<string, string>, attributes: Record<string, string | number>, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = contextFromHeaders(headers);
  return tracer().startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent, (span) => endingSpan(span, fn));
}

/** Runs fn, records its error on the span, and ends the span either way. */
async function endingSpan<T>(span: Span, fn: (span: Span) => Promise<T>): Promise<T> {
  try {
    return await fn(span);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Runs fn in one CONSUMER span for a batch of messages: it continues the first message's trace
 * (so a chunk of one — and every event the chunk publishes — stays in its producer's trace) and
 * links to every message's producer span, as OpenTelemetry's messaging conventions do for batches.
 */
export async function withBatchConsumerSpan<T>(name: string, headersList: Record<string, string>[], attributes: Record<string, string | number>, fn: (span: Span) => Promise<T>): Promise<T> {
  const contexts = headersList.map(contextFromHeaders);
  const links = contexts.flatMap((c) => {
    const sc = trace.getSpanContext(c);
    return sc ? [{ context: sc }] : [];
  });
  const parent = contexts[0] ?? ROOT_CONTEXT;
  return tracer().startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes: { ...attributes, 'messaging.batch.message_count': headersList.length }, links }, parent, (span) => endingSpan(span, fn));
}
