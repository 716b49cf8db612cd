import { context, propagation, ROOT_CONTEXT, Context, trace, SpanKind, SpanStatusCode, Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

let started = false;

/**
 * Starts OpenTelemetry. Call it first in main.ts, before NestJS is imported. W3C trace
 * context propagation is always on (trace ids travel in Kafka headers even when no collector
 * is configured); spans are exported only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export function startTracing(serviceName: string): void {
  if (started) return;
  started = true;
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    // No exporter: still keep the active context across awaits and propagate W3C headers.
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    return;
  }
  // Loaded lazily so tests and tools that never export pay nothing for the SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const sdk = new NodeSDK({ serviceName, traceExporter: new OTLPTraceExporter() });
  sdk.start();
  process.once('beforeExit', () => void sdk.shutdown());
}

export const tracer = () => trace.getTracer('prestanda');

/** Extracts the W3C context carried in message headers. */
export function contextFromHeaders(headers: Record<string, string>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

export function injectTraceHeaders(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
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
