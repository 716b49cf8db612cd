import { createHash } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import {
  DEAD_LETTER_VALUE_MAX_BYTES,
  DlqHeader,
  InboundCardTransactionAuthorizationV1,
  InboundCardTransactionRefundV1,
  InboundCardTransactionSettlementV1,
  InboundClickReportedV1,
  InboundImpressionReportedV1,
  InboundLeadReportedV1,
  newEnvelope,
  type CardTransactionData,
  type InboundCardTransactionAuthorizationV1Envelope,
  type TopicEvents,
} from '@prestanda/contracts';
import { EventProducer, physicalTopic } from '@prestanda/kafka';
import { metricsRegistry } from '@prestanda/observability';
import { schemaDrift, type OutboxItem } from '@prestanda/persistence';
import { createServiceApp, MessagingRuntime } from '@prestanda/service-kit';
import {
  bearer,
  dropSchema,
  eventually,
  ReadMessage,
  TEST_BANK_API_KEY,
  TEST_BANK_SOURCE,
  testDatabaseUrl,
  testKafka,
  TopicReader,
  uniqueSuffix,
  useTopicNamespace,
  withPg,
} from '@prestanda/testing';
import { CompressionTypes } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { GateService } from '../src/gate/gate.service';
import { loadIngestionConfig } from '../src/config';

type InboundTxn = TopicEvents['inbound.card-transactions'];
type Canonical = TopicEvents['card-transactions'] & { data: CardTransactionData };

const PAN_SPACED = '4111 1111 1111 1111';
const PAN_DIGITS = '4111111111111111';

describe('ingestion gate (real broker and database)', () => {
  const kafka = testKafka();
  const run = uniqueSuffix();
  let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
  let app: INestApplication;
  let producer: EventProducer;
  let reader: TopicReader;
  let url: string;
  let n = 0;

  const txnId = (label: string) => `txn-${run}-${label}-${++n}`;
  const customer = () => `cust-${run}-${++n}`;

  function authorization(data: Partial<InboundCardTransactionAuthorizationV1Envelope['data']> = {}, occurredAt: Date = new Date()): InboundCardTransactionAuthorizationV1Envelope {
    return newEnvelope(InboundCardTransactionAuthorizationV1, {
      source: TEST_BANK_SOURCE,
      occurredAt,
      data: {
        transactionId: txnId('auth'),
        customerId: customer(),
        cardId: 'card-3f9d2e',
        amount: { amountMinor: 42_950, currency: 'SEK' },
        merchant: { descriptor: 'ICA NARA STOCKHOLM 1234', mcc: '5411', country: 'SE', city: 'STOCKHOLM' },
        channel: 'in-store',
        transactionAt: occurredAt.toISOString(),
        ...data,
      },
    });
  }

  const canonicalOf = (transactionId: string): Canonical[] =>
    reader
      .of(physicalTopic('card-transactions'))
      .map((m) => m.json<Canonical>())
      .filter((e) => e.data.transactionId === transactionId);
  const dlqOf = (marker: string): ReadMessage[] => reader.of(physicalTopic('inbound.card-transactions.dlq')).filter((m) => (m.value ?? '').includes(marker));

  async function sendTxn(...events: InboundTxn[]): Promise<void> {
    await producer.send('inbound.card-transactions', events.map((event) => ({ key: event.data.customerId, event })));
  }

  async function post(path: string, body: unknown, headers: Record<string, string> = { 'x-api-key': TEST_BANK_API_KEY }): Promise<{ status: number; text: string; json: () => any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const r = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, text, json: () => JSON.parse(text) };
  }

  /** Waits until a later event on the same key has come out: everything sent before it has been processed. */
  async function barrier(customerId: string): Promise<void> {
    const sentinel = authorization({ customerId, transactionId: txnId('sentinel') });
    await sendTxn(sentinel);
    await eventually(() => expect(canonicalOf(sentinel.data.transactionId)).toHaveLength(1));
  }

  beforeAll(async () => {
    ns = await useTopicNamespace(kafka);
    process.env.KAFKA_GROUP_SUFFIX = `.${run}`;
    process.env.DATABASE_URL = testDatabaseUrl();
    await dropSchema('ingestion');
    const config = loadIngestionConfig({ ...process.env, HTTP_PORT: '0', HEALTH_PORT: '0', LOG_LEVEL: 'warn' });
    app = await createServiceApp(AppModule.forRoot(config), { service: 'ingestion', title: 't', httpPort: 0 });
    await app.listen(0);
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await eventually(() => expect(app.get(MessagingRuntime).health.readiness()).resolves.toMatchObject({ ok: true }), { timeoutMs: 60000, intervalMs: 250 });
    producer = new EventProducer(kafka);
    await producer.connect();
    reader = await TopicReader.start(kafka, ['card-transactions', 'impressions', 'clicks', 'leads', 'inbound.card-transactions.dlq', 'inbound.clicks.dlq'].map((t) => physicalTopic(t)));
  });

  afterAll(async () => {
    await reader?.stop();
    await producer?.disconnect();
    await app?.close();
    await ns?.cleanup();
  });

  it('has no drift between entities and migrations, and documents its routes', async () => {
    expect(await schemaDrift(app.get(DataSource))).toEqual([]);
    const doc = (await (await fetch(`${url}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/card-transactions', '/v1/impressions', '/v1/clicks', '/v1/leads']));
  });

  it('turns a valid authorization into one canonical card-transaction.authorized with a normalised descriptor', async () => {
    const event = authorization();
    await sendTxn(event);
    const [out] = await eventually(() => {
      const found = canonicalOf(event.data.transactionId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(out.type).toBe('card-transaction.authorized');
    expect(out.source).toBe('ingestion');
    expect(out.data).toMatchObject({
      transactionId: event.data.transactionId,
      customerId: event.data.customerId,
      amount: { amountMinor: 42_950, currency: 'SEK' },
      merchant: { descriptor: 'ICA NARA STOCKHOLM 1234', normalisedDescriptor: 'ICA NARA' },
      bankSource: TEST_BANK_SOURCE,
      purchaseId: `${TEST_BANK_SOURCE}:${event.data.transactionId}`,
      inboundEventId: event.eventId,
    });
    const message = reader.of(physicalTopic('card-transactions')).find((m) => m.json<Canonical>().data.transactionId === event.data.transactionId)!;
    expect(message.key).toBe(event.data.customerId);
  });

  it('publishes one canonical event for a transaction sent twice on Kafka (same and new eventId) and again over HTTP', async () => {
    const event = authorization({ merchant: { descriptor: 'SQ *CAFE LUNA #12 GOTEBORG' } });
    await sendTxn(event, event, { ...event, eventId: crypto.randomUUID() });
    await barrier(event.data.customerId);
    const http = await post('/v1/card-transactions', { ...event, eventId: crypto.randomUUID() });
    expect(http.status).toBe(202);
    expect(http.json()).toMatchObject({ status: 202, outcome: 'duplicate' });
    await barrier(event.data.customerId);
    const found = canonicalOf(event.data.transactionId);
    expect(found).toHaveLength(1);
    expect(found[0].data.merchant.normalisedDescriptor).toBe('CAFE LUNA');
    // Absorbed, not dead-lettered, and counted.
    expect(dlqOf(event.data.transactionId)).toHaveLength(0);
    const metric = await metricsRegistry.getSingleMetricAsString('prestanda_ingestion_events_total');
    expect(metric).toMatch(/prestanda_ingestion_events_total\{[^}]*topic="inbound.card-transactions"[^}]*outcome="duplicate"[^}]*path="kafka"[^}]*\} [1-9]/);
    expect(metric).toMatch(/outcome="duplicate",path="http"/);
  });

  it('dead-letters a card number in the descriptor, redacted, names the field, and stores it nowhere', async () => {
    const event = authorization({ merchant: { descriptor: `ICA NARA ${PAN_SPACED}` } });
    await sendTxn(event);
    const [dead] = await eventually(() => {
      const found = dlqOf(event.data.transactionId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(dead.headers[DlqHeader.Code]).toBe('invalid-payload');
    expect(dead.headers[DlqHeader.Field]).toBe('data.merchant.descriptor');
    expect(dead.headers[DlqHeader.Reason]).toMatch(/data\.merchant\.descriptor contains a card number/);
    expect(dead.value).toContain('[REDACTED-PAN]');
    expect(dead.value).not.toContain(PAN_SPACED);
    expect(JSON.stringify(dead.headers)).not.toMatch(/4111/);

    // The HTTP door refuses it too, naming the field and never echoing the number.
    const http = await post('/v1/card-transactions', { ...event, eventId: crypto.randomUUID() });
    expect(http.status).toBe(400);
    expect(http.json()).toMatchObject({ status: 400, code: 'card-number', field: 'data.merchant.descriptor' });
    expect(http.text).not.toMatch(/4111/);
    // Not even when the body is not JSON at all (the parser's message must not quote the input).
    const broken = await fetch(`${url}/v1/card-transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_BANK_API_KEY },
      body: `[x,"${PAN_SPACED}"]`,
    });
    expect(broken.status).toBe(400);
    const brokenText = await broken.text();
    expect(brokenText).not.toMatch(/4111/);
    expect(JSON.parse(brokenText)).toMatchObject({ code: 'malformed-json' });

    await barrier(event.data.customerId);
    expect(canonicalOf(event.data.transactionId)).toHaveLength(0);
    const tables = await withPg((c) => c.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'ingestion'`));
    expect(tables.rows.length).toBeGreaterThan(0);
    for (const { table_name } of tables.rows as { table_name: string }[]) {
      const rows = await withPg((c) => c.query(`SELECT t::text AS row FROM "ingestion"."${table_name}" t`));
      for (const { row } of rows.rows as { row: string }[]) {
        expect(row.replace(/[ -]/g, '')).not.toContain(PAN_DIGITS);
      }
    }
  });

  // A card number in a message that is also malformed or fails its schema is redacted by the
  // consumer itself: libs/kafka/test/inbox-consumer.integration-spec.ts proves it for every topic.

  it('dead-letters a malformed message and publishes the good ones after it', async () => {
    const customerId = customer();
    const marker = `garbage-${run}`;
    const good1 = authorization({ customerId });
    const good2 = authorization({ customerId });
    await producer.sendRaw('inbound.card-transactions', [{ key: customerId, value: `{"not json ${marker}` }]);
    await sendTxn(good1, good2);
    await eventually(() => {
      expect(canonicalOf(good1.data.transactionId)).toHaveLength(1);
      expect(canonicalOf(good2.data.transactionId)).toHaveLength(1);
      expect(dlqOf(marker)).toHaveLength(1);
    });
    const [dead] = dlqOf(marker);
    expect(dead.headers[DlqHeader.Code]).toBe('malformed-json');
    expect(dead.headers[DlqHeader.SourceService]).toBe('ingestion');
  });

  it('dead-letters a 1 MiB gzip-compressed message truncated, with size and hash, and the valid messages on its partition and the other flow', async () => {
    const huge = authorization();
    const value = JSON.stringify({ ...huge, padding: 'x'.repeat(1 << 20) });
    const [p0a, p0b, p1a, p1b] = [authorization(), authorization(), authorization(), authorization()];
    const on = (partition: number, e: InboundTxn) => ({ partition, key: e.data.customerId, value: JSON.stringify(e) });
    const raw = kafka.producer({ allowAutoTopicCreation: false });
    await raw.connect();
    try {
      const topic = physicalTopic('inbound.card-transactions');
      // The broker's limit applies to the compressed batch, so it accepts this one.
      await raw.send({ topic, compression: CompressionTypes.GZIP, acks: -1, messages: [{ partition: 0, key: huge.data.customerId, value }] });
      await raw.send({ topic, acks: -1, messages: [on(0, p0a), on(1, p1a), on(0, p0b), on(1, p1b)] });
    } finally {
      await raw.disconnect();
    }
    await eventually(() => {
      for (const e of [p0a, p0b, p1a, p1b]) expect(canonicalOf(e.data.transactionId)).toHaveLength(1);
    });
    const [dead] = await eventually(() => {
      const found = dlqOf(huge.data.transactionId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(dead.headers[DlqHeader.Code]).toBe('message-too-large');
    expect(dead.headers[DlqHeader.Reason]).toMatch(/^the message value is \d+ bytes; an inbound event may be at most 65536 bytes$/);
    expect(dead.headers[DlqHeader.Truncated]).toBe('true');
    expect(dead.headers[DlqHeader.OriginalSize]).toBe(String(Buffer.byteLength(value)));
    expect(dead.headers[DlqHeader.OriginalSha256]).toBe(createHash('sha256').update(value).digest('hex'));
    expect(dead.headers[DlqHeader.OriginalPartition]).toBe('0');
    expect(Buffer.byteLength(dead.value!)).toBe(DEAD_LETTER_VALUE_MAX_BYTES);
    expect(canonicalOf(huge.data.transactionId)).toHaveLength(0);
    await expect(app.get(MessagingRuntime).health.readiness()).resolves.toMatchObject({ ok: true });
  });

  describe('refusals carry their reason in the dead-letter headers', () => {
    const future = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    it.each<[string, (e: InboundCardTransactionAuthorizationV1Envelope) => unknown, string, RegExp, string]>([
      ['unknown schemaVersion', (e) => ({ ...e, schemaVersion: 2 }), 'unsupported-schema-version', /schemaVersion is not supported/, 'schemaVersion'],
      ['missing field', (e) => ({ ...e, data: { ...e.data, cardId: undefined } }), 'invalid-payload', /data\.cardId is required/, 'data.cardId'],
      ['negative amount', (e) => ({ ...e, data: { ...e.data, amount: { amountMinor: -100, currency: 'SEK' } } }), 'invalid-payload', /data\.amount\.amountMinor must be >= 1/, 'data.amount.amountMinor'],
      ['bad currency', (e) => ({ ...e, data: { ...e.data, amount: { amountMinor: 100, currency: 'ABC' } } }), 'invalid-payload', /data\.amount\.currency must be an ISO 4217/, 'data.amount.currency'],
      ['future timestamp', (e) => ({ ...e, data: { ...e.data, transactionAt: future } }), 'rejected', /^future-timestamp: data\.transactionAt is \d+ s in the future/, 'data.transactionAt'],
      [
        'refund of an unknown original',
        (e) => newEnvelope(InboundCardTransactionRefundV1, { source: TEST_BANK_SOURCE, occurredAt: e.occurredAt, data: { ...e.data, originalTransactionId: `txn-${run}-never-seen` } }),
        'rejected',
        /^refund-without-original: /,
        'data.originalTransactionId',
      ],
      // What PostgreSQL could not hold is refused by the contract, naming the field, never handler-failed.
      ['NUL in the descriptor', (e) => ({ ...e, data: { ...e.data, merchant: { ...e.data.merchant, descriptor: 'ICA\u0000NARA' } } }), 'invalid-payload', /data\.merchant\.descriptor .*NUL/, 'data.merchant.descriptor'],
      ['lone surrogate in the city', (e) => ({ ...e, data: { ...e.data, merchant: { ...e.data.merchant, city: 'STOCKHOLM\ud800' } } }), 'invalid-payload', /data\.merchant\.city .*surrogate/, 'data.merchant.city'],
      ['descriptor over its documented length', (e) => ({ ...e, data: { ...e.data, merchant: { ...e.data.merchant, descriptor: 'X'.repeat(201) } } }), 'invalid-payload', /data\.merchant\.descriptor must NOT have more than 200 characters/, 'data.merchant.descriptor'],
      ['an unknown property, not quoted back', (e) => ({ ...e, data: { ...e.data, ['<script>evil' + run]: 1 } }), 'invalid-payload', /^data has a property that is not in the schema \(allowed: /, 'data'],
    ])('%s', async (_label, mutate, code, reason, field) => {
      const base = authorization();
      const bad = JSON.parse(JSON.stringify(mutate(base))) as InboundTxn;
      await producer.sendRaw('inbound.card-transactions', [{ key: base.data.customerId, value: JSON.stringify(bad) }]);
      const [dead] = await eventually(() => {
        const found = dlqOf(base.data.transactionId);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(dead.headers[DlqHeader.Code]).toBe(code);
      expect(dead.headers[DlqHeader.Reason]).toMatch(reason);
      expect(dead.headers[DlqHeader.Field]).toBe(field);
      expect(dead.headers[DlqHeader.Reason]).not.toContain('<script>');
      await barrier(base.data.customerId);
      expect(canonicalOf(base.data.transactionId)).toHaveLength(0);
    });
  });

  it('accepts a refund of a known original and links it to the original purchase', async () => {
    const auth = authorization();
    await sendTxn(auth);
    const refund = newEnvelope(InboundCardTransactionRefundV1, {
      source: TEST_BANK_SOURCE,
      occurredAt: new Date(),
      data: { ...auth.data, transactionId: txnId('refund'), originalTransactionId: auth.data.transactionId, amount: { amountMinor: 10_000, currency: 'SEK' } },
    });
    await sendTxn(refund);
    const [out] = await eventually(() => {
      const found = canonicalOf(refund.data.transactionId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(out.type).toBe('card-transaction.refunded');
    expect(out.data.purchaseId).toBe(`${TEST_BANK_SOURCE}:${auth.data.transactionId}`);
  });

  it('links a settlement that reuses the authorization id, and checks refunds against the settled amount (tips)', async () => {
    const auth = authorization({ amount: { amountMinor: 10_000, currency: 'SEK' } });
    const settlement = newEnvelope(InboundCardTransactionSettlementV1, { source: TEST_BANK_SOURCE, occurredAt: new Date(), data: { ...auth.data, amount: { amountMinor: 11_500, currency: 'SEK' } } });
    const refund = newEnvelope(InboundCardTransactionRefundV1, {
      source: TEST_BANK_SOURCE,
      occurredAt: new Date(),
      data: { ...auth.data, transactionId: txnId('refund'), originalTransactionId: auth.data.transactionId, amount: { amountMinor: 11_500, currency: 'SEK' } },
    });
    await sendTxn(auth, settlement, refund);
    await eventually(() => {
      expect(canonicalOf(auth.data.transactionId).map((e) => e.type).sort()).toEqual(['card-transaction.authorized', 'card-transaction.settled']);
      expect(canonicalOf(refund.data.transactionId)).toHaveLength(1);
    });
    expect(new Set([...canonicalOf(auth.data.transactionId), ...canonicalOf(refund.data.transactionId)].map((e) => e.data.purchaseId))).toEqual(new Set([`${TEST_BANK_SOURCE}:${auth.data.transactionId}`]));

    // Everything is refunded now: one öre more is refused.
    const extra = newEnvelope(InboundCardTransactionRefundV1, { source: TEST_BANK_SOURCE, occurredAt: new Date(), data: { ...refund.data, transactionId: txnId('refund'), amount: { amountMinor: 1, currency: 'SEK' } } });
    await sendTxn(extra);
    const [dead] = await eventually(() => {
      const found = dlqOf(extra.data.transactionId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(dead.headers[DlqHeader.Code]).toBe('rejected');
    expect(dead.headers[DlqHeader.Reason]).toMatch(/^amount-exceeds-original: /);
  });

  it('decides one chunk in order: a refund of an authorization in the same chunk, partial refunds summed, a repeat dropped', async () => {
    const gate = app.get(GateService);
    const db = app.get(DataSource);
    const auth = authorization({ amount: { amountMinor: 10_000, currency: 'SEK' } });
    const refund = (amountMinor: number) =>
      newEnvelope(InboundCardTransactionRefundV1, {
        source: TEST_BANK_SOURCE,
        occurredAt: new Date(),
        data: { ...auth.data, transactionId: txnId('refund'), originalTransactionId: auth.data.transactionId, amount: { amountMinor, currency: 'SEK' } },
      });
    const first = refund(6_000);
    const rest = refund(4_000);
    const published: OutboxItem[] = [];
    const admit = (events: InboundTxn[]) =>
      db.transaction((m) => gate.admitAll('inbound.card-transactions', events, m, async (items) => void published.push(...items), 'kafka'));

    // 6,000 + 5,000 exceed the original although neither does alone: the chunk is refused as a whole.
    await expect(admit([auth, first, refund(5_000)])).rejects.toThrow(/^amount-exceeds-original: .*refunds already accepted/);
    expect(published).toHaveLength(0);

    const outcomes = await admit([auth, first, { ...first, eventId: crypto.randomUUID() }, rest]);
    expect(outcomes).toEqual(['accepted', 'accepted', 'duplicate', 'accepted']);
    expect(published.map((p) => (p.event as Canonical).data.transactionId)).toEqual([auth.data.transactionId, first.data.transactionId, rest.data.transactionId]);
    expect(new Set(published.map((p) => (p.event as Canonical).data.purchaseId))).toEqual(new Set([`${TEST_BANK_SOURCE}:${auth.data.transactionId}`]));
    // And the database remembers them all: the same chunk again is all duplicates.
    await expect(admit([auth, first, rest])).resolves.toEqual(['duplicate', 'duplicate', 'duplicate']);
  });

  it('answers an HTTP batch per item: 202 for accepted, 4xx naming the field for refused', async () => {
    const good = authorization();
    const missing = authorization();
    const future = authorization({ transactionAt: new Date(Date.now() + 3_600_000).toISOString() });
    const pan = authorization({ cardId: `card${PAN_DIGITS}` });
    const body = [good, { ...missing, data: { ...missing.data, channel: undefined } }, future, pan];
    const r = await post('/v1/card-transactions', body);
    expect(r.status).toBe(207);
    expect(r.text).not.toContain(PAN_DIGITS);
    const { results } = r.json();
    expect(results).toEqual([
      { index: 0, status: 202, eventId: good.eventId, outcome: 'accepted' },
      { index: 1, status: 400, code: 'invalid-payload', field: 'data.channel', reason: 'data.channel is required' },
      { index: 2, status: 422, code: 'future-timestamp', field: 'data.transactionAt', reason: expect.stringMatching(/^future-timestamp: /) },
      { index: 3, status: 400, code: 'card-number', field: 'data.cardId', reason: expect.stringContaining('data.cardId contains a card number') },
    ]);
    await eventually(() => expect(canonicalOf(good.data.transactionId)).toHaveLength(1));
    await barrier(future.data.customerId);
    expect(canonicalOf(future.data.transactionId)).toHaveLength(0);

    const all = await post('/v1/card-transactions', [authorization(), authorization()]);
    expect(all.status).toBe(202);
    expect(all.json().results.map((x: { outcome: string }) => x.outcome)).toEqual(['accepted', 'accepted']);
  });

  it('refuses callers that may not speak for the envelope: wrong source 403, no key 401, users 403', async () => {
    const event = authorization();
    expect((await post('/v1/card-transactions', { ...event, source: 'bank-someone-else' })).status).toBe(403);
    expect((await post('/v1/card-transactions', [event, { ...event, source: 'bank-someone-else' }])).status).toBe(403);
    expect((await post('/v1/card-transactions', event, {})).status).toBe(401);
    expect((await post('/v1/card-transactions', event, { 'x-api-key': 'not-a-key' })).status).toBe(401);
    expect((await post('/v1/card-transactions', event, await bearer(['ops-admin']))).status).toBe(403);
    // Nothing of the refused requests was admitted.
    await barrier(event.data.customerId);
    expect(canonicalOf(event.data.transactionId)).toHaveLength(0);
  });

  it('records impressions, clicks (activations) and leads, once each', async () => {
    const customerId = customer();
    const at = new Date().toISOString();
    const impression = newEnvelope(InboundImpressionReportedV1, { source: TEST_BANK_SOURCE, occurredAt: at, data: { impressionId: `imp-${run}`, customerId, campaignId: 'cmp-1', publisherId: 'pub-bank-test', at } });
    const activation = newEnvelope(InboundClickReportedV1, { source: TEST_BANK_SOURCE, occurredAt: at, data: { clickId: `clk-${run}`, customerId, campaignId: 'cmp-1', publisherId: 'pub-bank-test', kind: 'activation', at } });
    const lead = newEnvelope(InboundLeadReportedV1, { source: TEST_BANK_SOURCE, occurredAt: at, data: { leadId: `lead-${run}`, campaignId: 'cmp-2', publisherId: 'pub-bank-test', at } });
    await producer.send('inbound.impressions', [{ key: customerId, event: impression }, { key: customerId, event: { ...impression, eventId: crypto.randomUUID() } }]);
    await producer.send('inbound.clicks', [{ key: customerId, event: activation }]);
    const viaHttp = await post('/v1/leads', [lead, { ...lead, eventId: crypto.randomUUID() }]);
    expect(viaHttp.status).toBe(202);
    expect(viaHttp.json().results.map((x: { outcome: string }) => x.outcome)).toEqual(['accepted', 'duplicate']);

    await eventually(() => {
      expect(reader.of(physicalTopic('impressions')).filter((m) => m.json<{ data: { impressionId: string } }>().data.impressionId === impression.data.impressionId)).toHaveLength(1);
      expect(reader.of(physicalTopic('clicks')).filter((m) => m.json<{ data: { clickId: string } }>().data.clickId === activation.data.clickId)).toHaveLength(1);
      expect(reader.of(physicalTopic('leads')).filter((m) => m.json<{ data: { leadId: string } }>().data.leadId === lead.data.leadId)).toHaveLength(1);
    });
    // The activation, accepted from Kafka, is a duplicate over HTTP.
    expect((await post('/v1/clicks', activation)).json()).toMatchObject({ status: 202, outcome: 'duplicate' });
    const click = reader.of(physicalTopic('clicks')).find((m) => m.json<{ data: { clickId: string } }>().data.clickId === activation.data.clickId)!;
    expect(click.key).toBe(customerId);
    expect(click.json()).toMatchObject({ type: 'click.recorded', data: { kind: 'activation', reportedBy: TEST_BANK_SOURCE, inboundEventId: activation.eventId } });
    const leadMessage = reader.of(physicalTopic('leads')).find((m) => m.json<{ data: { leadId: string } }>().data.leadId === lead.data.leadId)!;
    expect(leadMessage.key).toBe(lead.data.leadId);
  });

  it('refuses a click, impression or lead reported as another publisher than the key’s (403 naming the field), admitting nothing', async () => {
    const customerId = customer();
    const at = new Date().toISOString();
    const spoofed = newEnvelope(InboundClickReportedV1, { source: TEST_BANK_SOURCE, occurredAt: at, data: { clickId: `clk-spoof-${run}`, customerId, campaignId: 'cmp-1', publisherId: 'pub-rival', kind: 'click', at } });
    const own = newEnvelope(InboundClickReportedV1, { source: TEST_BANK_SOURCE, occurredAt: at, data: { clickId: `clk-own-${run}`, customerId, campaignId: 'cmp-1', publisherId: 'pub-bank-test', kind: 'click', at } });
    const single = await post('/v1/clicks', spoofed);
    expect(single.status).toBe(403);
    expect(single.json().message).toMatch(/^data\.publisherId is not the publisher of this API key/);
    const batch = await post('/v1/clicks', [own, spoofed]);
    expect(batch.status).toBe(403);
    expect(batch.json().message).toMatch(/^\[1\]\.data\.publisherId/);
    const lead = newEnvelope(InboundLeadReportedV1, { source: TEST_BANK_SOURCE, occurredAt: at, data: { leadId: `lead-spoof-${run}`, campaignId: 'cmp-2', publisherId: 'pub-rival', at } });
    expect((await post('/v1/leads', lead)).status).toBe(403);
    // The key's own click, sent after, comes out; the refused ones never do.
    expect((await post('/v1/clicks', own)).status).toBe(202);
    await eventually(() => expect(reader.of(physicalTopic('clicks')).filter((m) => (m.value ?? '').includes(own.data.clickId))).toHaveLength(1));
    expect(reader.of(physicalTopic('clicks')).filter((m) => (m.value ?? '').includes(spoofed.data.clickId))).toHaveLength(0);
  });

  it('still knows a transaction after a restart with a fresh consumer group (the de-duplication is in the database)', async () => {
    const event = authorization();
    await sendTxn(event);
    await eventually(() => expect(canonicalOf(event.data.transactionId)).toHaveLength(1));
    await app.close();
    process.env.KAFKA_GROUP_SUFFIX = `.${run}-restarted`;
    const config = loadIngestionConfig({ ...process.env, HTTP_PORT: '0', HEALTH_PORT: '0', LOG_LEVEL: 'warn' });
    app = await createServiceApp(AppModule.forRoot(config), { service: 'ingestion', title: 't', httpPort: 0 });
    await app.listen(0);
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await eventually(() => expect(app.get(MessagingRuntime).health.readiness()).resolves.toMatchObject({ ok: true }), { timeoutMs: 60000, intervalMs: 250 });
    // The new group re-reads every inbound topic from the beginning: nothing accepted before comes out twice.
    await sendTxn({ ...event, eventId: crypto.randomUUID() });
    await barrier(event.data.customerId);
    expect(canonicalOf(event.data.transactionId)).toHaveLength(1);
    const ids = reader.of(physicalTopic('card-transactions')).map((m) => m.json<Canonical>().eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
