/**
 * The console server's dead-letter API against the real broker: the ingestion gate (its own
 * process, over real Kafka and PostgreSQL) dead-letters what it refuses; the console server lists
 * it, replays it to the topic it came from, and audits the replay on its own topic.
 */
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { TokenVerifier } from '@prestanda/auth';
import { InboundCardTransactionAuthorizationV1, newEnvelope, type InboundCardTransactionAuthorizationV1Envelope } from '@prestanda/contracts';
import { deleteTopics, physicalTopic } from '@prestanda/kafka';
import { bearer, ChildService, dropSchema, eventually, TEST_BANK_SOURCE, testDatabaseUrl, testKafka, TopicReader, uniqueSuffix, useTopicNamespace } from '@prestanda/testing';
import { Partitioners, type Producer } from 'kafkajs';
import { loadConfig } from '../src/config';
import { DeadLetterRoutes } from '../src/dead-letters/dead-letter-routes';
import type { AuditEntry, DeadLetterTopic, DeadLetterView, ReplayResult } from '../src/dead-letters/dead-letters';
import { KafkaLog } from '../src/dead-letters/kafka-log';
import { createConsoleServer } from '../src/server';

const DLQ = 'inbound.card-transactions.dlq';
// The gate refuses a business time more than this far ahead; the replay comes once that time has passed.
const TOLERANCE_SECONDS = 1;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

describe('dead letters in the console server (real broker)', () => {
  const kafka = testKafka();
  const run = uniqueSuffix();
  let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
  let ingestion: ChildService;
  let producer: Producer;
  let reader: TopicReader;
  let kafkaLog: KafkaLog;
  let server: Server;
  let url: string;

  function authorization(transactionId: string, occurredAt = new Date()): InboundCardTransactionAuthorizationV1Envelope {
    return newEnvelope(InboundCardTransactionAuthorizationV1, {
      source: TEST_BANK_SOURCE,
      occurredAt,
      data: {
        transactionId,
        customerId: `cust-${run}`,
        cardId: 'card-3f9d2e',
        amount: { amountMinor: 12_500, currency: 'SEK' },
        merchant: { descriptor: 'KAFE KONSOL STOCKHOLM', mcc: '5814', country: 'SE', city: 'STOCKHOLM' },
        channel: 'in-store',
        transactionAt: occurredAt.toISOString(),
      },
    });
  }

  /** Written as a bank would, bytes and all: nothing on the way validates it. */
  async function produceRaw(value: unknown, key: string): Promise<void> {
    await producer.send({ topic: physicalTopic('inbound.card-transactions'), messages: [{ key, value: JSON.stringify(value), headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } }] });
  }

  async function call<T = Record<string, unknown>>(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; json: T }> {
    const r = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, json: (await r.json()) as T };
  }

  async function deadLetterOf(transactionId: string, opts: { replayed?: boolean } = {}): Promise<DeadLetterView> {
    return eventually(
      async () => {
        const page = await call<{ messages: DeadLetterView[] }>('GET', `/api/dead-letters/topics/${encodeURIComponent(DLQ)}/messages?limit=200`, await bearer(['ops-viewer']));
        expect(page.status).toBe(200);
        const found = page.json.messages.filter((m) => (m.body ?? '').includes(transactionId) && Boolean(m.replay) === Boolean(opts.replayed));
        expect(found).toHaveLength(1);
        return found[0];
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  }

  beforeAll(async () => {
    ns = await useTopicNamespace(kafka);
    process.env.KAFKA_GROUP_SUFFIX = `.${run}`;
    process.env.DATABASE_URL = testDatabaseUrl();
    await dropSchema('ingestion');
    const [httpPort, healthPort] = [await freePort(), await freePort()];
    ingestion = ChildService.start('apps/ingestion/src/main.ts', {
      HTTP_PORT: String(httpPort),
      HEALTH_PORT: String(healthPort),
      LOG_LEVEL: 'warn',
      INGESTION_FUTURE_TOLERANCE_SECONDS: String(TOLERANCE_SECONDS),
    });
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${healthPort}/health/ready`)).status).toBe(200), { timeoutMs: 90_000, intervalMs: 300 }).catch((e) => {
      throw new Error(`ingestion did not become ready: ${String(e)}\n${ingestion.tail()}`);
    });
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    reader = await TopicReader.start(kafka, [physicalTopic('inbound.card-transactions'), physicalTopic('card-transactions')]);

    kafkaLog = new KafkaLog(kafka, ns.prefix);
    const consoleConfig = loadConfig({ CONSOLE_PORT: '0', CONSOLE_HOST: '127.0.0.1' }, { staticDir: '/nonexistent' });
    server = createConsoleServer(consoleConfig, { deadLetters: new DeadLetterRoutes(kafkaLog, new TokenVerifier(process.env), { log: () => undefined, error: () => undefined }) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.close();
    server?.closeAllConnections();
    await kafkaLog?.close();
    await reader?.stop();
    await producer?.disconnect();
    await ingestion?.kill('SIGTERM');
    await deleteTopics(kafka, [physicalTopic('console.audit')]).catch(() => undefined);
    await ns?.cleanup();
  });

  it('lists a refused event with why, where and when; ops read it, an advertiser may not', async () => {
    const txn = `txn-${run}-schema`;
    const event = authorization(txn);
    // An amount in fractions of a minor unit: the contract refuses it.
    await produceRaw({ ...event, data: { ...event.data, amount: { amountMinor: 12.5, currency: 'SEK' } } }, `cust-${run}`);

    const letter = await deadLetterOf(txn);
    expect(letter).toMatchObject({ topic: DLQ, partition: 0, key: `cust-${run}`, service: 'ingestion', field: expect.stringContaining('amountMinor'), replay: null, truncated: false });
    expect(letter.code).toBeTruthy();
    expect(letter.reason).toContain('amountMinor');
    expect(letter.origin).toEqual({ topic: 'inbound.card-transactions', partition: expect.any(Number), offset: expect.stringMatching(/^\d+$/) });
    expect(Date.parse(letter.timestamp)).toBeGreaterThan(Date.now() - 120_000);
    expect(JSON.parse(letter.body!)).toMatchObject({ eventId: event.eventId });

    const topics = await call<{ topics: DeadLetterTopic[] }>('GET', '/api/dead-letters/topics', await bearer(['ops-admin']));
    expect(topics.status).toBe(200);
    const names = topics.json.topics.map((t) => t.topic);
    expect(names).toEqual(expect.arrayContaining([DLQ, 'rewards.dlq', 'inbound.clicks.dlq']));
    expect(names.every((n) => n.endsWith('.dlq'))).toBe(true);
    expect(topics.json.topics.find((t) => t.topic === DLQ)).toMatchObject({ sourceTopic: 'inbound.card-transactions', count: expect.any(Number) });
    expect(topics.json.topics.find((t) => t.topic === DLQ)!.count).toBeGreaterThanOrEqual(1);

    expect((await call('GET', '/api/dead-letters/topics', await bearer(['advertiser'], 'adv-1'))).status).toBe(403);
    expect((await call('GET', '/api/dead-letters/topics', {})).status).toBe(401);
    expect((await call('GET', '/api/dead-letters/topics', { authorization: 'Bearer not-a-token' })).status).toBe(401);
    const unknown = await call<{ fields: { field: string }[] }>('GET', '/api/dead-letters/topics/rewards/messages', await bearer(['ops-viewer']));
    expect(unknown.status).toBe(400);
    expect(unknown.json.fields.map((f) => f.field)).toEqual(['topic']);
  });

  it('replays a dead letter to its source topic once what refused it no longer holds, audited; an ops viewer gets 403', async () => {
    const txn = `txn-${run}-future`;
    // A few seconds ahead of the gate's clock: refused now, admissible once that time has come.
    const at = new Date(Date.now() + 4000);
    const event = authorization(txn, at);
    await produceRaw(event, `cust-${run}`);
    const letter = await deadLetterOf(txn);
    expect(letter.code).toBe('rejected');
    expect(letter.reason).toMatch(/^future-timestamp: occurredAt is \d+ s in the future/);
    expect(letter.field).toBe('occurredAt');
    const item = { topic: DLQ, partition: letter.partition, offset: letter.offset };

    // Who may not, and what cannot be replayed.
    for (const roles of [['ops-viewer'], ['advertiser']] as const) {
      const refused = await call('POST', '/api/dead-letters/replays', await bearer([...roles], 'adv-1'), { items: [item] });
      expect(refused.status).toBe(403);
    }
    const admin = await bearer(['ops-admin']);
    const noTopic = await call<{ fields: { field: string }[] }>('POST', '/api/dead-letters/replays', admin, { items: [{ ...item, topic: 'nope.dlq' }] });
    expect(noTopic.status).toBe(400);
    expect(noTopic.json.fields.map((f) => f.field)).toEqual(['items[0].topic']);
    const noOffset = await call<{ fields: { field: string; message: string }[] }>('POST', '/api/dead-letters/replays', admin, { items: [item, { ...item, offset: '999999' }] });
    expect(noOffset.status).toBe(400);
    expect(noOffset.json.fields.map((f) => f.field)).toEqual(['items[1].offset']);

    // The gate's clock has passed the event's time (plus its tolerance): the same bytes are admissible now.
    await eventually(() => expect(Date.now()).toBeGreaterThan(at.getTime() + 1000), { timeoutMs: 15_000, intervalMs: 200 });
    const replay = await call<{ replayId: string; replayedBy: string; results: ReplayResult[] }>('POST', '/api/dead-letters/replays', admin, { items: [item] });
    expect(replay.status).toBe(200);
    expect(replay.json.replayedBy).toBe('test-ops-admin');
    expect(replay.json.results).toEqual([{ deadLetter: item, to: { topic: 'inbound.card-transactions', partition: letter.origin!.partition, offset: expect.stringMatching(/^\d+$/) } }]);
    const to = replay.json.results[0].to;

    // On the source topic at the offset given: the original key and value, and who replayed which dead letter.
    const arrived = await eventually(() => {
      const m = reader.of(physicalTopic('inbound.card-transactions')).find((r) => r.partition === to.partition && r.offset === to.offset);
      expect(m).toBeDefined();
      return m!;
    });
    expect(arrived.key).toBe(`cust-${run}`);
    expect(arrived.json()).toEqual(JSON.parse(letter.body!));
    expect(arrived.headers).toMatchObject({ 'x-replay-of': `${DLQ}/${item.partition}/${item.offset}`, 'x-replayed-by': 'test-ops-admin', 'x-replay-id': replay.json.replayId, traceparent: expect.stringMatching(/^00-/) });
    expect(Object.keys(arrived.headers).filter((h) => h.startsWith('x-dlq-') || h.startsWith('x-original-'))).toEqual([]);
    // …and the gate took it this time: the canonical transaction came out.
    await eventually(() => expect(reader.of(physicalTopic('card-transactions')).filter((m) => (m.value ?? '').includes(txn))).toHaveLength(1), { timeoutMs: 60_000 });

    // The audit: requested before the write, completed with the offset, both on the durable topic.
    const audit = await eventually(async () => {
      const r = await call<{ entries: AuditEntry[] }>('GET', '/api/dead-letters/audit', await bearer(['ops-viewer']));
      expect(r.status).toBe(200);
      const mine = r.json.entries.filter((e) => e.replayId === replay.json.replayId);
      expect(mine.map((e) => e.action)).toEqual(['dead-letter.replay.completed', 'dead-letter.replay.requested']);
      return mine;
    });
    expect(audit[0]).toMatchObject({ actor: { subject: 'test-ops-admin', roles: ['ops-admin'] }, items: replay.json.results });
    expect(audit[1].items).toEqual([{ deadLetter: item, to: { topic: 'inbound.card-transactions', partition: to.partition } }]);
    expect(JSON.stringify(audit)).not.toContain(txn);
    const auditLog = await TopicReader.start(kafka, [physicalTopic('console.audit')]);
    try {
      await eventually(() => expect(auditLog.messages.filter((m) => m.key === replay.json.replayId)).toHaveLength(2));
    } finally {
      await auditLog.stop();
    }
    expect((await call('GET', '/api/dead-letters/audit', await bearer(['advertiser'], 'adv-1'))).status).toBe(403);
  });

  it('pages newest first, and refuses (409) a dead letter whose origin is another topic or whose value was cut', async () => {
    // Written straight to a dead-letter topic, as a consumer would (or as someone with write access could).
    const dlq = physicalTopic('leads.dlq');
    const origin = (topic: string, offset: number) => ({ 'x-dlq-code': 'invalid-payload', 'x-dlq-reason': 'data.x is wrong', 'x-original-topic': physicalTopic(topic), 'x-original-partition': '0', 'x-original-offset': String(offset) });
    await producer.send({
      topic: dlq,
      messages: [
        { key: 'k0', value: `{"n":0,"run":"${run}"}`, headers: origin('leads', 10) },
        { key: 'k1', value: `{"n":1,"run":"${run}"}`, headers: origin('clicks', 11) },
        { key: 'k2', value: `{"n":2,"run":"${run}"}`, headers: { ...origin('leads', 12), 'x-truncated': 'true', 'x-original-size': '70000' } },
      ],
    });
    const viewer = await bearer(['ops-viewer']);
    type Page = { messages: DeadLetterView[]; nextBefore: string | null; low: string; high: string };
    const first = await eventually(async () => {
      const r = await call<Page>('GET', '/api/dead-letters/topics/leads.dlq/messages?limit=2', viewer);
      expect(r.json.high).toBe('3');
      return r.json;
    });
    expect(first.messages.map((m) => [m.offset, m.key])).toEqual([['2', 'k2'], ['1', 'k1']]);
    expect(first.nextBefore).toBe('1');
    const second = await call<Page>('GET', `/api/dead-letters/topics/leads.dlq/messages?limit=2&before=${first.nextBefore}`, viewer);
    expect(second.json.messages.map((m) => [m.offset, m.key])).toEqual([['0', 'k0']]);
    expect(second.json.nextBefore).toBeNull();
    expect(first.messages[0]).toMatchObject({ truncated: true, originalSize: 70000, origin: { topic: 'leads', partition: 0, offset: '12' } });

    const admin = await bearer(['ops-admin']);
    const refused = await call<{ fields: { field: string; message: string }[] }>('POST', '/api/dead-letters/replays', admin, {
      items: [
        { topic: 'leads.dlq', partition: 0, offset: '0' },
        { topic: 'leads.dlq', partition: 0, offset: '1' },
        { topic: 'leads.dlq', partition: 0, offset: 2 },
      ],
    });
    expect(refused.status).toBe(409);
    expect(refused.json.fields).toEqual([
      { field: 'items[1]', message: 'leads.dlq/0/1 cannot be replayed: its x-original-topic is clicks, not leads' },
      { field: 'items[2]', message: 'leads.dlq/0/2 cannot be replayed: its value was truncated (70000 bytes originally); replay the original from leads/0/12' },
    ]);
    // Nothing was replayed, not even the one that could have been: no audit entry names them.
    const audit = await call<{ entries: AuditEntry[] }>('GET', '/api/dead-letters/audit?limit=200', viewer);
    expect(audit.json.entries.filter((e) => e.items.some((i) => i.deadLetter.topic === 'leads.dlq'))).toEqual([]);
  });

  it('a replayed dead letter that fails again comes back marked as a replay', async () => {
    const txn = `txn-${run}-again`;
    const event = authorization(txn);
    await produceRaw({ ...event, data: { ...event.data, channel: 'by-pigeon' } }, `cust-${run}`);
    const letter = await deadLetterOf(txn);
    const replay = await call<{ replayId: string }>('POST', '/api/dead-letters/replays', await bearer(['ops-admin']), { items: [{ topic: DLQ, partition: letter.partition, offset: letter.offset }] });
    expect(replay.status).toBe(200);
    const again = await deadLetterOf(txn, { replayed: true });
    expect(again.replay).toEqual({ of: `${DLQ}/${letter.partition}/${letter.offset}`, id: replay.json.replayId, by: 'test-ops-admin', at: expect.any(String) });
    expect(again.code).toBe(letter.code);
    expect(BigInt(again.offset)).toBeGreaterThan(BigInt(letter.offset));
  });
});
