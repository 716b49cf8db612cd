import { InboxConsumer, type BatchContext, type InboxConsumerOptions, type MessageContext } from '../src/inbox-consumer';
import { EventProducer } from '../src/event-producer';
import { DLQ_HEADERS } from '../src/dead-letter';
import { OutboxRelay } from '../src/outbox-relay';
import { startTracing } from '@prestanda/observability';
import { randomUUID } from 'node:crypto';
import { createServiceDataSource, initializeDataSource, PermanentError } from '@prestanda/persistence';
import { ChildService, createTestTopics, dropSchema, eventually, testDatabaseUrl, testKafka, TopicReader, uniqueSuffix, withPg } from '@prestanda/testing';
import { DataSource } from 'typeorm';
import { CreateEffects1764460000001 } from './fixtures/effects.migration';
import { impressionEvent } from './fixtures/events';

type ImpressionEvent = ReturnType<typeof impressionEvent>;

const kafka = testKafka();
const FIXTURE = 'libs/kafka/test/fixtures/row-consumer.ts';

async function countRows(schema: string): Promise<{ total: number; distinct: number }> {
  return withPg(async (c) => {
    const r = await c.query(`SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct FROM "${schema}"."effects"`).catch(() => ({ rows: [{ total: 0, distinct: 0 }] }));
    return r.rows[0];
  });
}

async function produceImpressions(producer: EventProducer, topic: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1000) {
    const items = Array.from({ length: Math.min(1000, count - i) }, (_, j) => {
      const event = impressionEvent(`cust-${(i + j) % 97}`);
      ids.push(event.eventId);
      return { key: event.data.customerId, event };
    });
    await producer.send(topic as 'impressions', items);
  }
  return ids;
}

describe('InboxConsumer on the real broker and database', () => {
  const producer = new EventProducer(kafka);
  const schemas: string[] = [];
  const children: ChildService[] = [];

  beforeAll(() => producer.connect());
  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill()));
    await producer.disconnect();
    for (const s of schemas) await dropSchema(s);
  });

  function names() {
    const suffix = uniqueSuffix();
    const schema = `t_kafka_${suffix}`;
    schemas.push(schema);
    return { schema, topic: `test.inbox.${suffix}`, group: `test-group-${suffix}`, emit: `test.emit.${suffix}` };
  }

  it('applies 10,000 events exactly once although the consumer is SIGKILLed mid-stream twice', async () => {
    const n = names();
    await createTestTopics(kafka, [n.topic], 4);
    const ids = await produceImpressions(producer, n.topic, 10000);
    const env = { TEST_SCHEMA: n.schema, TEST_TOPIC: n.topic, TEST_GROUP: n.group, DATABASE_URL: testDatabaseUrl(), CHUNK_SIZE: '100' };

    for (const killAt of [2000, 6000]) {
      const child = ChildService.start(FIXTURE, env);
      children.push(child);
      await eventually(async () => expect((await countRows(n.schema)).total).toBeGreaterThanOrEqual(killAt), { timeoutMs: 120000, intervalMs: 20 }).catch((e) => {
        throw new Error(`${e}\n${child.tail()}`);
      });
      await child.kill('SIGKILL');
    }
    const last = ChildService.start(FIXTURE, env);
    children.push(last);
    await eventually(async () => expect((await countRows(n.schema)).distinct).toBe(10000), { timeoutMs: 120000 });
    // Let anything still in flight land, then prove there is no second row for any event.
    await new Promise((r) => setTimeout(r, 2000));
    const rows = await countRows(n.schema);
    expect(rows).toEqual({ total: 10000, distinct: 10000 });
    const stored = await withPg(async (c) => (await c.query(`SELECT event_id FROM "${n.schema}"."effects"`)).rows.map((r: { event_id: string }) => r.event_id));
    expect(new Set(stored)).toEqual(new Set(ids));
    await last.kill('SIGTERM');
  });

  it('publishes exactly once when killed between the database commit and the publish', async () => {
    const n = names();
    await createTestTopics(kafka, [n.topic, n.emit], 1);
    const env = { TEST_SCHEMA: n.schema, TEST_TOPIC: n.topic, TEST_GROUP: n.group, EMIT_TOPIC: n.emit, DATABASE_URL: testDatabaseUrl() };
    await produceImpressions(producer, n.topic, 1);

    const crashing = ChildService.start(FIXTURE, { ...env, CRASH_AFTER_COMMIT: '1' });
    children.push(crashing);
    const code = await crashing.exited();
    expect(code).toBeNull(); // killed by its own SIGKILL after the commit
    const outbox = await withPg(async (c) => (await c.query(`SELECT count(*)::int AS n FROM "${n.schema}"."outbox"`)).rows[0].n);
    expect(outbox).toBe(1); // committed, not yet published

    const reader = await TopicReader.start(kafka, [n.emit]);
    const restarted = ChildService.start(FIXTURE, env);
    children.push(restarted);
    await eventually(() => expect(reader.of(n.emit)).toHaveLength(1), { timeoutMs: 60000 });
    await new Promise((r) => setTimeout(r, 2000));
    expect(reader.of(n.emit)).toHaveLength(1);
    expect((await countRows(n.schema)).total).toBe(1);
    await reader.stop();
    await restarted.kill('SIGTERM');
  });

  describe('in process', () => {
    let dataSource: DataSource;
    let consumer: InboxConsumer | undefined;
    let n: ReturnType<typeof names>;

    beforeEach(async () => {
      n = names();
      await createTestTopics(kafka, [n.topic], 1);
      dataSource = await initializeDataSource(createServiceDataSource({ schema: n.schema, entities: [], migrations: [CreateEffects1764460000001], url: testDatabaseUrl() }));
    });
    afterEach(async () => {
      await consumer?.stop();
      await dataSource.destroy();
    });

    function startConsumer(handler: (eventId: string, customerId: string, manager: import('typeorm').EntityManager) => Promise<void>) {
      consumer = new InboxConsumer({
        kafka,
        dataSource,
        groupId: n.group,
        service: 'test',
        subscriptions: [{ topic: n.topic, contract: 'impressions' }],
        backoff: { initialMs: 20, maxMs: 200 },
        onFatal: (e) => {
          throw e;
        },
        handlers: { impressions: (event, ctx) => handler(event.eventId, event.data.customerId, ctx.manager) },
      });
      return consumer.start();
    }
    const insert = (schema: string) => (eventId: string, customerId: string, m: import('typeorm').EntityManager) =>
      m.query(`INSERT INTO "${schema}"."effects" ("event_id", "customer_id") VALUES ($1, $2)`, [eventId, customerId]).then(() => undefined);

    it('dead-letters a poison message with its reason and keeps processing the events behind it', async () => {
      const good = [impressionEvent('c-1'), impressionEvent('c-2'), impressionEvent('c-3')];
      const wrongType = impressionEvent('c-4') as unknown as { data: Record<string, unknown> };
      wrongType.data.customerId = 42;
      await producer.sendRaw(n.topic, [
        { key: 'c-1', value: JSON.stringify(good[0]) },
        { key: 'x', value: '{"this is": not json' },
        { key: 'c-4', value: JSON.stringify(wrongType) },
        { key: 'c-2', value: JSON.stringify(good[1]) },
        { key: 'c-3', value: JSON.stringify(good[2]) },
      ]);
      const dlq = await TopicReader.start(kafka, [`${n.topic}.dlq`]);
      await startConsumer(insert(n.schema));
      await eventually(() => expect(dlq.messages).toHaveLength(2), { timeoutMs: 60000 });
      await eventually(async () => expect((await countRows(n.schema)).total).toBe(3), { timeoutMs: 30000 });

      const [malformed, typed] = dlq.messages;
      expect(malformed.value).toBe('{"this is": not json'); // original bytes untouched
      expect(malformed.headers[DLQ_HEADERS.code]).toBe('malformed-json');
      expect(malformed.headers[DLQ_HEADERS.originalTopic]).toBe(n.topic);
      expect(malformed.headers[DLQ_HEADERS.originalPartition]).toBe('0');
      expect(malformed.headers[DLQ_HEADERS.originalOffset]).toBe('1');
      expect(Date.parse(malformed.headers[DLQ_HEADERS.failedAt])).not.toBeNaN();
      expect(typed.headers[DLQ_HEADERS.code]).toBe('invalid-payload');
      expect(typed.headers[DLQ_HEADERS.field]).toContain('customerId');
      expect(typed.headers[DLQ_HEADERS.reason]).toContain('customerId');
      await dlq.stop();
    });

    it('redacts a card number in a dead letter whatever else is wrong with the message', async () => {
      const pan = '4111 1111 1111 1111';
      const wrongType = impressionEvent('c-pan') as unknown as { data: Record<string, unknown> };
      wrongType.data.customerId = 42;
      wrongType.data.placement = `banner ${pan}`;
      await producer.sendRaw(n.topic, [
        { key: 'x', value: `{"not json": "${pan}"` },
        { key: 'c-pan', value: JSON.stringify(wrongType) },
      ]);
      const dlq = await TopicReader.start(kafka, [`${n.topic}.dlq`]);
      await startConsumer(insert(n.schema));
      await eventually(() => expect(dlq.messages).toHaveLength(2), { timeoutMs: 60000 });
      for (const m of dlq.messages) {
        expect(m.value).toContain('[REDACTED-PAN]');
        expect(m.value!.replace(/[ -]/g, '')).not.toContain('4111111111111111');
        expect(JSON.stringify(m.headers)).not.toContain('4111');
      }
      await dlq.stop();
    });

    it('retries a transient database failure instead of dead-lettering it', async () => {
      const event = impressionEvent('c-transient');
      await producer.send(n.topic as 'impressions', [{ key: 'c-transient', event }]);
      const dlq = await TopicReader.start(kafka, [`${n.topic}.dlq`]);
      let attempts = 0;
      await startConsumer(async (eventId, customerId, manager) => {
        attempts++;
        // A real failure: the database terminates this transaction's connection (57P01).
        if (attempts <= 2) await manager.query('SELECT pg_terminate_backend(pg_backend_pid())');
        await insert(n.schema)(eventId, customerId, manager);
      });
      await eventually(async () => expect((await countRows(n.schema)).total).toBe(1), { timeoutMs: 60000 });
      expect(attempts).toBe(3);
      await new Promise((r) => setTimeout(r, 1000));
      expect(dlq.messages).toHaveLength(0);
      await dlq.stop();
    });

    it('dead-letters an event whose handler keeps failing, after its attempts, and applies the rest', async () => {
      const events = [impressionEvent('c-a'), impressionEvent('c-bad'), impressionEvent('c-b')];
      await producer.send(n.topic as 'impressions', events.map((event) => ({ key: event.data.customerId, event })));
      const dlq = await TopicReader.start(kafka, [`${n.topic}.dlq`]);
      let badAttempts = 0;
      await startConsumer(async (eventId, customerId, manager) => {
        if (customerId === 'c-bad') {
          badAttempts++;
          throw new Error('merchant index unavailable for c-bad');
        }
        if (customerId === 'c-never') throw new PermanentError('never', 'data.customerId');
        await insert(n.schema)(eventId, customerId, manager);
      });
      await eventually(() => expect(dlq.messages).toHaveLength(1), { timeoutMs: 60000 });
      await eventually(async () => expect((await countRows(n.schema)).total).toBe(2));
      expect(badAttempts).toBe(1 + 3); // the chunk attempt, then three on its own
      expect(dlq.messages[0].headers[DLQ_HEADERS.code]).toBe('handler-failed');
      expect(dlq.messages[0].headers[DLQ_HEADERS.attempts]).toBe('3');
      expect(dlq.messages[0].headers[DLQ_HEADERS.reason]).toContain('merchant index unavailable');
      expect(dlq.messages[0].json<{ eventId: string }>().eventId).toBe(events[1].eventId);
      await dlq.stop();
    });

    it('hands a batch handler every fresh event of a chunk once, in order, duplicates absorbed', async () => {
      const events = [impressionEvent('c-b1'), impressionEvent('c-b2'), impressionEvent('c-b3')];
      await producer.send(n.topic as 'impressions', [...events, events[1]].map((event) => ({ key: 'same-key', event })));
      const calls: string[][] = [];
      consumer = new InboxConsumer({
        kafka,
        dataSource,
        groupId: n.group,
        service: 'test',
        subscriptions: [{ topic: n.topic, contract: 'impressions' }],
        handlers: {},
        batchHandlers: {
          impressions: async (batch, ctx) => {
            calls.push(batch.map((e) => e.eventId));
            await ctx.manager.query(`INSERT INTO "${n.schema}"."effects" ("event_id", "customer_id") SELECT * FROM unnest($1::uuid[], $2::text[])`, [batch.map((e) => e.eventId), batch.map((e) => e.data.customerId)]);
          },
        },
      });
      await consumer.start();
      await eventually(async () => expect((await countRows(n.schema)).total).toBe(3), { timeoutMs: 30000 });
      await new Promise((r) => setTimeout(r, 1000));
      expect((await countRows(n.schema)).total).toBe(3);
      expect(calls.flat()).toEqual(events.map((e) => e.eventId));
    });

    /** Sends one message with a traceparent through a consumer whose handler re-publishes it; returns the outgoing traceparent. */
    async function traceThrough(traceId: string, customer: string, handlers: Pick<InboxConsumerOptions, 'handlers' | 'batchHandlers'>, emit: string): Promise<string | undefined> {
      startTracing('test');
      await createTestTopics(kafka, [emit], 1);
      await producer.send(n.topic as 'impressions', [{ key: customer, event: impressionEvent(customer), headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } }]);
      const relay = new OutboxRelay({ kafka, dataSource, pollIntervalMs: 50 });
      await relay.start();
      const reader = await TopicReader.start(kafka, [emit]);
      consumer = new InboxConsumer({ kafka, dataSource, groupId: n.group, service: 'test', subscriptions: [{ topic: n.topic, contract: 'impressions' }], onCommitted: () => relay.nudge(), ...handlers });
      await consumer.start();
      await eventually(() => expect(reader.of(emit)).toHaveLength(1), { timeoutMs: 30000 });
      const traceparent = reader.of(emit)[0].headers.traceparent;
      await reader.stop();
      await relay.stop();
      return traceparent;
    }

    it('carries the W3C trace context from the consumed message to the events it publishes', async () => {
      const emit = `test.emit.${uniqueSuffix()}`;
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const handlers = { impressions: (e: ImpressionEvent, ctx: MessageContext) => ctx.publish([{ topic: emit as 'impressions', key: e.data.customerId, event: { ...e, eventId: randomUUID() } }]) };
      expect(await traceThrough(traceId, 'c-trace', { handlers }, emit)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    });

    it('a batch handler continues the trace of the chunk it was given', async () => {
      const emit = `test.emit.${uniqueSuffix()}`;
      const traceId = '5cf92f3577b34da6a3ce929d0e0e4737';
      const batchHandlers = {
        impressions: (events: ImpressionEvent[], ctx: BatchContext) => ctx.publish(events.map((e) => ({ topic: emit as 'impressions', key: e.data.customerId, event: { ...e, eventId: randomUUID() } }))),
      };
      expect(await traceThrough(traceId, 'c-trace-batch', { handlers: {}, batchHandlers }, emit)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    });

    it('applies a redelivered event once: the inbox absorbs the duplicate', async () => {
      const event = impressionEvent('c-dup');
      await producer.send(n.topic as 'impressions', [{ key: 'c-dup', event }, { key: 'c-dup', event }]);
      await startConsumer(insert(n.schema));
      await eventually(() => expect(consumer!.isReady()).toBe(true));
      await producer.send(n.topic as 'impressions', [{ key: 'c-dup', event }]);
      const marker = impressionEvent('c-marker');
      await producer.send(n.topic as 'impressions', [{ key: 'c-marker', event: marker }]);
      await eventually(async () => expect((await countRows(n.schema)).total).toBe(2), { timeoutMs: 30000 });
      const rows = await withPg(async (c) => (await c.query(`SELECT event_id FROM "${n.schema}"."effects" ORDER BY id`)).rows.map((r: { event_id: string }) => r.event_id));
      expect(rows).toEqual([event.eventId, marker.eventId]);
    });
  });
});
