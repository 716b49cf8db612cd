import { DEAD_LETTER_VALUE_MAX_BYTES, TopicName } from '@prestanda/contracts';
import { createServiceDataSource, initializeDataSource, TransientError } from '@prestanda/persistence';
import { createTestTopics, dropSchema, eventually, testDatabaseUrl, testKafka, TopicReader, uniqueSuffix, withPg } from '@prestanda/testing';
import { CompressionTypes, Producer } from 'kafkajs';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DLQ_HEADERS } from '../src/dead-letter';
import { InboxConsumer, type InboxConsumerOptions } from '../src/inbox-consumer';
import { deleteTopics, ensureTopics } from '../src/topic-admin';
import { CreateEffects1764460000001 } from './fixtures/effects.migration';
import { impressionEvent } from './fixtures/events';

const kafka = testKafka();

/** Rows the handler wrote, by customer. */
async function customersApplied(schema: string): Promise<string[]> {
  return withPg(async (c) => (await c.query(`SELECT customer_id FROM "${schema}"."effects" ORDER BY id`)).rows.map((r: { customer_id: string }) => r.customer_id));
}

async function stuckRows(schema: string): Promise<{ partition: number; offset: string; code: string; attempts: number; redriven: boolean; dead_letter_topic: string }[]> {
  return withPg(async (c) =>
    (await c.query(`SELECT "partition", "offset", "code", "attempts", "redriven_at" IS NOT NULL AS "redriven", "dead_letter_topic" FROM "${schema}"."stuck_messages" ORDER BY id`)).rows,
  );
}

describe('a poison message never stops a partition, nor the others (real broker and database)', () => {
  let raw: Producer;
  let dataSource: DataSource;
  let consumer: InboxConsumer | undefined;
  let schema: string;
  let topic: string;
  let group: string;

  beforeEach(async () => {
    // A producer per test: kafkajs keeps asking for the metadata of every topic it ever wrote to, and each test deletes its topics.
    raw = kafka.producer({ allowAutoTopicCreation: false });
    await raw.connect();
    const suffix = uniqueSuffix();
    schema = `t_poison_${suffix}`;
    topic = `test.poison.${suffix}`;
    group = `test-poison-${suffix}`;
    dataSource = await initializeDataSource(createServiceDataSource({ schema, entities: [], migrations: [CreateEffects1764460000001], url: testDatabaseUrl() }));
  });
  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await raw.disconnect();
    await dataSource.destroy();
    await dropSchema(schema);
    await deleteTopics(kafka, [topic, `${topic}.dlq`]).catch(() => undefined);
  });

  const insert = (m: EntityManager, eventId: string, customerId: string) => m.query(`INSERT INTO "${schema}"."effects" ("event_id", "customer_id") VALUES ($1, $2)`, [eventId, customerId]).then(() => undefined);

  function start(options: Partial<InboxConsumerOptions> = {}): Promise<void> {
    consumer = new InboxConsumer({
      kafka,
      dataSource,
      groupId: group,
      service: 'test',
      subscriptions: [{ topic, contract: 'impressions' as TopicName }],
      backoff: { initialMs: 20, maxMs: 200 },
      onFatal: (e) => {
        throw e;
      },
      handlers: { impressions: (event, ctx) => insert(ctx.manager, event.eventId, event.data.customerId) },
      ...options,
    });
    return consumer.start();
  }

  const valid = (customerId: string, partition: number) => ({ partition, key: customerId, value: JSON.stringify(impressionEvent(customerId)) });

  it('dead-letters a 1 MiB gzip-compressed message truncated, with its size and hash, and the valid messages on its partition and another go through', async () => {
    // The broker's limit applies to the compressed batch: this one is accepted although its dead letter, written whole, would not be.
    await createTestTopics(kafka, [topic], 2);
    const huge = `{"marker":"${topic}","padding":"${'x'.repeat(1_500_000)}"`;
    await raw.send({ topic, compression: CompressionTypes.GZIP, acks: -1, messages: [{ partition: 0, key: 'c-huge', value: huge }] });
    await raw.send({ topic, acks: -1, messages: [valid('c-p0-a', 0), valid('c-p1-a', 1), valid('c-p0-b', 0), valid('c-p1-b', 1)] });
    const dlq = await TopicReader.start(kafka, [`${topic}.dlq`]);
    await start();

    await eventually(async () => expect((await customersApplied(schema)).sort()).toEqual(['c-p0-a', 'c-p0-b', 'c-p1-a', 'c-p1-b']), { timeoutMs: 20000 });
    const [dead] = await eventually(() => {
      expect(dlq.messages).toHaveLength(1);
      return dlq.messages;
    });
    expect(dead.headers[DLQ_HEADERS.code]).toBe('malformed-json');
    expect(dead.headers[DLQ_HEADERS.truncated]).toBe('true');
    expect(dead.headers[DLQ_HEADERS.originalSize]).toBe(String(Buffer.byteLength(huge)));
    expect(dead.headers[DLQ_HEADERS.originalSha256]).toBe(createHash('sha256').update(huge).digest('hex'));
    expect(dead.headers[DLQ_HEADERS.originalTopic]).toBe(topic);
    expect(dead.headers[DLQ_HEADERS.originalPartition]).toBe('0');
    expect(dead.headers[DLQ_HEADERS.originalOffset]).toBe('0');
    expect(Buffer.byteLength(dead.value!)).toBe(DEAD_LETTER_VALUE_MAX_BYTES);
    expect(dead.value!.startsWith(`{"marker":"${topic}"`)).toBe(true);
    expect(await stuckRows(schema)).toEqual([]);
    await dlq.stop();
  });

  it('steps over a message whose dead letter cannot be written, records it, is unready while stuck, and re-drives it once the topic is back', async () => {
    await ensureTopics(kafka, [{ name: topic, partitions: 2 }]); // no dead-letter topic: every dead letter fails
    await raw.send({ topic, acks: -1, messages: [{ partition: 0, key: 'c-bad', value: '{"not json' }, valid('c-p0-after', 0)] });
    await start({ deadLetterAttempts: 4, deadLetterBackoff: { initialMs: 1500, maxMs: 1500 }, stallAfterMs: 500, redriveIntervalMs: 500 });
    await eventually(() => expect(consumer!.state).toBe('running'));

    // While partition 0 backs off, the service says so, and partition 1 keeps moving.
    await eventually(() => expect(consumer!.readiness()).toEqual({ ok: false, detail: expect.stringMatching(new RegExp(`^no progress on ${topic.replace(/\./g, '\\.')}\\[0\\] for \\d+ s$`)) }), {
      timeoutMs: 15000,
      intervalMs: 50,
    });
    await raw.send({ topic, acks: -1, messages: [valid('c-p1', 1)] });
    await eventually(async () => expect(await customersApplied(schema)).toContain('c-p1'), { timeoutMs: 10000, intervalMs: 50 });
    expect(await stuckRows(schema)).toEqual([]); // still backing off: partition 1 did not wait for it

    // After its attempts the message is recorded and stepped over; the partition and readiness recover.
    await eventually(async () => expect(await stuckRows(schema)).toEqual([{ partition: 0, offset: '0', code: 'malformed-json', attempts: 4, redriven: false, dead_letter_topic: `${topic}.dlq` }]), { timeoutMs: 30000 });
    // The valid message behind it was applied once, although its chunk was fetched again at every attempt.
    expect((await customersApplied(schema)).sort()).toEqual(['c-p0-after', 'c-p1']);
    await eventually(() => expect(consumer!.readiness()).toEqual({ ok: true, detail: 'running' }));

    // The dead-letter topic comes back: the recorded dead letter reaches it, once.
    await ensureTopics(kafka, [{ name: `${topic}.dlq`, partitions: 1 }]);
    const dlq = await TopicReader.start(kafka, [`${topic}.dlq`]);
    await eventually(async () => expect((await stuckRows(schema)).map((r) => r.redriven)).toEqual([true]), { timeoutMs: 30000 });
    await eventually(() => expect(dlq.messages).toHaveLength(1));
    expect(dlq.messages[0].value).toBe('{"not json');
    expect(dlq.messages[0].headers[DLQ_HEADERS.code]).toBe('malformed-json');
    expect(dlq.messages[0].headers[DLQ_HEADERS.originalOffset]).toBe('0');
    await dlq.stop();
  });

  it('dead-letters as handler-failed a message whose "transient" error persists while the database answers', async () => {
    await createTestTopics(kafka, [topic], 1);
    await raw.send({ topic, acks: -1, messages: [valid('c-deadlock', 0), valid('c-fine', 0)] });
    const dlq = await TopicReader.start(kafka, [`${topic}.dlq`]);
    await start({
      maxTransientAttempts: 3,
      handlers: {
        impressions: async (event, ctx) => {
          if (event.data.customerId === 'c-deadlock') throw new TransientError('deadlock detected, again');
          await insert(ctx.manager, event.eventId, event.data.customerId);
        },
      },
    });
    await eventually(() => expect(dlq.messages).toHaveLength(1), { timeoutMs: 30000 });
    expect(dlq.messages[0].key).toBe('c-deadlock');
    expect(dlq.messages[0].headers[DLQ_HEADERS.code]).toBe('handler-failed');
    expect(dlq.messages[0].headers[DLQ_HEADERS.reason]).toMatch(/^still failing after retries while the database answers: deadlock detected, again$/);
    await eventually(async () => expect(await customersApplied(schema)).toEqual(['c-fine']));
    await dlq.stop();
  });
});
