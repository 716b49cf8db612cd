import { context, ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { RPCMetadata, RPCType, setRPCMetadata } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { recordHttpRoute, shutdownTracing, startProducerSpan, startTracing, tracingEnabled, withConsumerSpan } from './tracing';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const upstreamSpan = '00f067aa0ba902b7';
const traceparent = (flags = '01') => `00-${traceId}-${upstreamSpan}-${flags}`;

describe('with tracing off (no SDK started)', () => {
  it('starts no producer span and leaves the headers as they are', () => {
    const headers = { traceparent: traceparent() };
    expect(tracingEnabled()).toBe(false);
    expect(startProducerSpan('t publish', headers, {})).toBeUndefined();
    expect(headers).toEqual({ traceparent: traceparent() });
  });
});

describe('trace context through a Kafka hop', () => {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor(exporter);
  /** The first export waits for the resource's async attributes: flush before looking. */
  const finished = async () => {
    await processor.forceFlush();
    return exporter.getFinishedSpans();
  };
  beforeAll(() => startTracing('test', { spanProcessors: [processor] }));
  afterEach(() => exporter.reset());
  afterAll(() => shutdownTracing());

  it('a producer span continues the trace its outbox row carried and becomes the parent the headers name', async () => {
    const headers: Record<string, string> = { traceparent: traceparent(), 'x-other': 'kept' };
    const span = startProducerSpan('card-transactions publish', headers, { 'messaging.destination.name': 'card-transactions' });
    expect(span).toBeDefined();
    span!.end();
    const [exported] = (await finished());
    expect(exported.kind).toBe(SpanKind.PRODUCER);
    expect(exported.spanContext().traceId).toBe(traceId);
    expect(exported.parentSpanContext?.spanId).toBe(upstreamSpan);
    expect(headers.traceparent).toBe(`00-${traceId}-${exported.spanContext().spanId}-01`);
    expect(headers['x-other']).toBe('kept');
  });

  it('without a traceparent, the producer span is a child of the given context (the active request span)', async () => {
    const headers: Record<string, string> = {};
    const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: upstreamSpan, traceFlags: TraceFlags.SAMPLED });
    startProducerSpan('clicks publish', headers, {}, parent)!.end();
    const [exported] = (await finished());
    expect(exported.parentSpanContext?.spanId).toBe(upstreamSpan);
    expect(headers.traceparent).toBe(`00-${traceId}-${exported.spanContext().spanId}-01`);
  });

  it('an unsampled trace gets no span and its headers are passed on unchanged', async () => {
    const headers = { traceparent: traceparent('00') };
    expect(startProducerSpan('t publish', headers, {})).toBeUndefined();
    expect(headers).toEqual({ traceparent: traceparent('00') });
    expect((await finished())).toHaveLength(0);
  });

  it("the consumer's span is a child of the producer's: one trace across the hop, with the handler's context active", async () => {
    const headers: Record<string, string> = { traceparent: traceparent() };
    const producer = startProducerSpan('impressions publish', headers, {})!;
    producer.end();
    const seen = await withConsumerSpan('impressions process', headers, {}, async () => trace.getSpan(context.active())?.spanContext());
    const consumer = (await finished()).find((s) => s.kind === SpanKind.CONSUMER)!;
    expect(consumer.spanContext().traceId).toBe(traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(seen?.spanId).toBe(consumer.spanContext().spanId);
  });

  it('shutdownTracing flushes and turns tracing off', async () => {
    expect(tracingEnabled()).toBe(true);
    await shutdownTracing();
    expect(tracingEnabled()).toBe(false);
  });
});

describe('the HTTP route for the server span', () => {
  it('is recorded on the HTTP request context the instrumentation created, and ignored elsewhere', () => {
    const rpc: RPCMetadata = { type: RPCType.HTTP, span: trace.wrapSpanContext({ traceId, spanId: upstreamSpan, traceFlags: TraceFlags.SAMPLED }) };
    context.with(setRPCMetadata(ROOT_CONTEXT, rpc), () => recordHttpRoute('/v1/campaigns/:id'));
    expect(rpc.route).toBe('/v1/campaigns/:id');
    expect(() => context.with(ROOT_CONTEXT, () => recordHttpRoute('/v1/x'))).not.toThrow();
  });
});
