import { INestApplication } from '@nestjs/common';
import {
  DlqHeader,
  InboundCardTransactionAuthorizationV1,
  InboundCardTransactionReversalV1,
  InboundClickReportedV1,
  IntegrationSnapshotV1,
  integrationTopic,
  integrationTopicSpecs,
  newEnvelope,
  type CardTransactionData,
  type TopicEvents,
} from '@prestanda/contracts';
import { deleteTopics, EventProducer, physicalTopic } from '@prestanda/kafka';
import { createServiceApp, MessagingRuntime } from '@prestanda/service-kit';
import { dropSchema, eventually, testDatabaseUrl, testKafka, TopicReader, uniqueSuffix, useTopicNamespace } from '@prestanda/testing';
import { AppModule } from '../src/app.module';
import { loadIngestionConfig } from '../src/config';

type Canonical = TopicEvents['card-transactions'] & { data: CardTransactionData };

/**
 * Two banks, each with its own inbound topics and no shared ones: the topic says who is
 * knocking, and an envelope that claims another bank is dead-lettered as source-mismatch.
 */
describe('integrations’ own inbound topics (real broker and database)', () => {
  const kafka = testKafka();
  const run = uniqueSuffix();
  const banks = ['bank-a', 'bank-b'];
  /** An integration the registry publishes while ingestion runs. */
  const registered = `pub-${run}`.toLowerCase();
  const cardsOf = (bank: string) => integrationTopic(bank, 'inbound.card-transactions');
  let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
  let app: INestApplication;
  let producer: EventProducer;
  let reader: TopicReader;
  let n = 0;

  function authorization(source: string, customerId: string) {
    const now = new Date();
    return newEnvelope(InboundCardTransactionAuthorizationV1, {
      source,
      occurredAt: now,
      data: {
        transactionId: `txn-${run}-${++n}`,
        customerId,
        cardId: 'card-1',
        amount: { amountMinor: 25_000, currency: 'SEK' },
        merchant: { descriptor: 'ICA NARA STOCKHOLM', mcc: '5411', country: 'SE' },
        channel: 'in-store',
        transactionAt: now.toISOString(),
      },
    });
  }

  async function sendOn(topic: string, event: { data: { customerId: string } }): Promise<void> {
    await producer.sendRaw(topic, [{ key: event.data.customerId, value: JSON.stringify(event) }]);
  }

  const canonical = (transactionId: string): Canonical[] =>
    reader
      .of(physicalTopic('card-transactions'))
      .map((m) => m.json<Canonical>())
      .filter((e) => e.data.transactionId === transactionId);

  beforeAll(async () => {
    ns = await useTopicNamespace(kafka);
    process.env.KAFKA_GROUP_SUFFIX = `.${run}`;
    process.env.DATABASE_URL = testDatabaseUrl();
    await dropSchema('ingestion');
    const config = loadIngestionConfig({
      ...process.env,
      HTTP_PORT: '0',
      HEALTH_PORT: '0',
      LOG_LEVEL: 'warn',
      INGESTION_INTEGRATION_TOPICS: banks.join(','),
      INGESTION_SHARED_INBOUND_TOPICS: 'off',
    });
    app = await createServiceApp(AppModule.forRoot(config), { service: 'ingestion', title: 't', httpPort: 0 });
    await app.listen(0);
    await eventually(() => expect(app.get(MessagingRuntime).health.readiness()).resolves.toMatchObject({ ok: true }), { timeoutMs: 60000, intervalMs: 250 });
    producer = new EventProducer(kafka);
    await producer.connect();
    reader = await TopicReader.start(kafka, [physicalTopic('card-transactions'), physicalTopic(`${cardsOf('bank-a')}.dlq`)]);
  });

  afterAll(async () => {
    await reader?.stop();
    await producer?.disconnect();
    await app?.close();
    await deleteTopics(kafka, integrationTopicSpecs([...banks, registered]).map((s) => physicalTopic(s.name))).catch(() => undefined);
    await ns?.cleanup();
  });

  it('creates each bank’s topics and admits a bank’s own events from its own topic', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const topics = await admin.listTopics().finally(() => admin.disconnect());
    expect(topics).toEqual(expect.arrayContaining(integrationTopicSpecs(banks).map((s) => physicalTopic(s.name))));

    const a = authorization('bank-a', `cust-${run}-a`);
    const b = authorization('bank-b', `cust-${run}-b`);
    await sendOn(cardsOf('bank-a'), a);
    await sendOn(cardsOf('bank-b'), b);
    const [outA, outB] = await eventually(() => {
      const found = [canonical(a.data.transactionId), canonical(b.data.transactionId)];
      for (const f of found) expect(f).toHaveLength(1);
      return found.map((f) => f[0]);
    });
    expect(outA.data).toMatchObject({ bankSource: 'bank-a', purchaseId: `bank-a:${a.data.transactionId}` });
    expect(outB.data).toMatchObject({ bankSource: 'bank-b', purchaseId: `bank-b:${b.data.transactionId}` });
  });

  it('an integration registered while ingestion runs gets its own topics read, its clicks bound to its publisher', async () => {
    const publisherId = `pub-${run}-site`;
    await producer.send('integrations', [
      {
        key: registered,
        event: newEnvelope(IntegrationSnapshotV1, { source: 'campaigns', occurredAt: new Date(), data: { integrationId: registered, kind: 'publisher', name: 'A new site', locale: 'sv', publisherId, updatedAt: new Date().toISOString() } }),
      },
    ]);
    const clicks = integrationTopic(registered, 'inbound.clicks');
    // Its topics are created and the consumer restarts on them (no restart of the service).
    await eventually(
      async () => {
        const admin = kafka.admin();
        await admin.connect();
        const topics = await admin.listTopics().finally(() => admin.disconnect());
        expect(topics).toEqual(expect.arrayContaining([physicalTopic(clicks), physicalTopic(`${clicks}.dlq`)]));
        expect(await app.get(MessagingRuntime).health.readiness()).toMatchObject({ ok: true });
      },
      { timeoutMs: 60000, intervalMs: 500 },
    );
    const clickReader = await TopicReader.start(kafka, [physicalTopic('clicks'), physicalTopic(`${clicks}.dlq`)]);
    try {
      const click = (id: string, pub: string) =>
        newEnvelope(InboundClickReportedV1, { source: registered, occurredAt: new Date(), data: { clickId: `${id}-${run}`, customerId: `cust-${run}-clk`, campaignId: 'cmp-any', publisherId: pub, kind: 'click', at: new Date().toISOString() } });
      const own = click('clk-own', publisherId);
      const rival = click('clk-rival', 'pub-rival');
      // Same key, same partition: the own click after the rival's says the rival's was decided.
      await sendOn(clicks, rival);
      await sendOn(clicks, own);
      await eventually(() => expect(clickReader.of(physicalTopic('clicks')).filter((m) => (m.value ?? '').includes(own.data.clickId))).toHaveLength(1), { timeoutMs: 60000, intervalMs: 250 });
      await eventually(() => expect(clickReader.of(physicalTopic(`${clicks}.dlq`)).filter((m) => (m.value ?? '').includes(rival.eventId))).toHaveLength(1));
      const [dead] = clickReader.of(physicalTopic(`${clicks}.dlq`)).filter((m) => (m.value ?? '').includes(rival.eventId));
      expect(dead.headers[DlqHeader.Field]).toBe('data.publisherId');
      expect(dead.headers[DlqHeader.Reason]).toBe(`publisher-mismatch: data.publisherId is not the publisher of integration ${registered}`);
      expect(clickReader.of(physicalTopic('clicks')).filter((m) => (m.value ?? '').includes(rival.data.clickId))).toHaveLength(0);
    } finally {
      await clickReader.stop();
    }
  });

  it('dead-letters bank A’s reversal sent as bank B on A’s topic, naming both, and leaves B’s purchase alone', async () => {
    const customerId = `cust-${run}-victim`;
    const original = authorization('bank-b', customerId);
    await sendOn(cardsOf('bank-b'), original);
    await eventually(() => expect(canonical(original.data.transactionId)).toHaveLength(1));

    const spoof = newEnvelope(InboundCardTransactionReversalV1, {
      source: 'bank-b',
      occurredAt: new Date(),
      data: { ...original.data, originalTransactionId: original.data.transactionId, transactionId: `rev-${run}-${++n}`, transactionAt: new Date().toISOString() },
    });
    await sendOn(cardsOf('bank-a'), spoof);
    // A later event of bank A on the same partition key: once it is out, the spoof has been decided.
    const sentinel = authorization('bank-a', customerId);
    await sendOn(cardsOf('bank-a'), sentinel);
    await eventually(() => expect(canonical(sentinel.data.transactionId)).toHaveLength(1));

    const dead = reader.of(physicalTopic(`${cardsOf('bank-a')}.dlq`)).filter((m) => (m.value ?? '').includes(spoof.eventId));
    expect(dead).toHaveLength(1);
    expect(dead[0].headers[DlqHeader.Code]).toBe('rejected');
    expect(dead[0].headers[DlqHeader.Field]).toBe('source');
    expect(dead[0].headers[DlqHeader.Reason]).toMatch(/^source-mismatch: source "bank-b" is not bank-a, the integration that owns .*inbound\.bank-a\.card-transactions/);
    expect(dead[0].headers[DlqHeader.OriginalTopic]).toBe(physicalTopic(cardsOf('bank-a')));
    // Nothing reached the canonical topic for the spoofed reversal: bank B's reward would stand.
    expect(canonical(spoof.data.transactionId)).toHaveLength(0);
    expect(reader.of(physicalTopic('card-transactions')).filter((m) => m.json<Canonical>().type === 'card-transaction.reversed' && (m.value ?? '').includes(original.data.transactionId))).toHaveLength(0);
  });
});
