import { context, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { shutdownTracing, startTracing, tracer } from '@prestanda/observability';
import { createServiceDataSource, enqueueEvents, initializeDataSource } from '@prestanda/persistence';
import { createTestTopics, dropSchema, eventually, testDatabaseUrl, testKafka, uniqueSuffix } from '@prestanda/testing';
import { DataSource } from 'typeorm';
import { InboxConsumer } from '../src/inbox-consumer';
import { OutboxRelay } from '../src/outbox-relay';
import { CreateEffects1764460000001 } from './fixtures/effects.migration';
import { impressionEvent } from './fixtures/events';

const kafka = testKafka();
const exporter = new InMemorySpanExporter();
const processor = new SimpleSpanProcessor(exporter);

async function finishedSpans() {
  await processor.forceFlush();
  return exporter.getFinishedSpans();
}

describe('one purchase is one trace: outbox → relay → Kafka → inbox consumer (real broker and database)', () => {
  const suffix = uniqueSuffix();
  const schema = `t_trace_${suffix}`;
  const topic = `test.trace.${suffix}`;
  let dataSource: DataSource;
  let relay: OutboxRelay | undefined;
  let consumer: InboxConsumer | undefined;

  beforeAll(async () => {
    startTracing('test', { spanProcessors: [processor] });
    await createTestTopics(kafka, [topic], 1);
    dataSource = await initializeDataSource(createServiceDataSource({ schema, entities: [], migrations: [CreateEffects1764460000001], url: testDatabaseUrl() }));
  });
  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await dataSource?.destroy();
    await dropSchema(schema);
    await shutdownTracing();
  });

  it('the request that wrote the event, the relay that published it and the consumer that applied it share one trace id, each the parent of the next', async () => {
    const event = impressionEvent('c-one-trace');
    // Stands in for the HTTP request span (the http instrumentation is proved against a real
    // service in apps/ingestion/test/tracing.integration-spec.ts).
    const requestTraceId = await tracer().startActiveSpan('POST /v1/impressions', { kind: SpanKind.SERVER }, async (span) => {
      await dataSource.transaction((manager) => enqueueEvents(manager, [{ topic: topic as 'impressions', key: event.data.customerId, event }]));
      span.end();
      return span.spanContext().traceId;
    });

    const seenInHandler: string[] = [];
    relay = new OutboxRelay({ kafka, dataSource, pollIntervalMs: 50 });
    await relay.start();
    consumer = new InboxConsumer({
      kafka,
      dataSource,
      groupId: `test-trace-${suffix}`,
      service: 'test',
      subscriptions: [{ topic, contract: 'impressions' }],
      onFatal: (e) => {
        throw e;
      },
      handlers: {
        impressions: async (e, ctx) => {
          seenInHandler.push(trace.getSpan(context.active())?.spanContext().traceId ?? 'none');
          await ctx.manager.query(`INSERT INTO "${schema}"."effects" ("event_id", "customer_id") VALUES ($1, $2)`, [e.eventId, e.data.customerId]);
        },
      },
    });
    await consumer.start();
    await eventually(() => expect(seenInHandler).toHaveLength(1), { timeoutMs: 60000 });
    expect(seenInHandler).toEqual([requestTraceId]);

    const spans = await eventually(async () => {
      const all = await finishedSpans();
      expect(all.filter((s) => s.kind === SpanKind.CONSUMER)).toHaveLength(1);
      return all;
    });
    const request = spans.find((s) => s.kind === SpanKind.SERVER)!;
    const publish = spans.filter((s) => s.kind === SpanKind.PRODUCER);
    const applied = spans.find((s) => s.kind === SpanKind.CONSUMER)!;
    expect(publish).toHaveLength(1);
    expect(publish[0].name).toBe(`${topic} publish`);
    expect(publish[0].attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.destination.name': topic });
    expect(applied.name).toBe(`${topic} process`);
    expect(new Set([request, publish[0], applied].map((s) => s.spanContext().traceId))).toEqual(new Set([requestTraceId]));
    expect(publish[0].parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(applied.parentSpanContext?.spanId).toBe(publish[0].spanContext().spanId);
  });
});
