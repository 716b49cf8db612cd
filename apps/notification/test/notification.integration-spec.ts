import { createHash, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import {
  BudgetExhaustedV1,
  SpendLimitExhaustedV1,
  BudgetReplenishedV1,
  BudgetThresholdReachedV1,
  CampaignSnapshotV1,
  ConversionConfirmedV1,
  ConversionRecordedV1,
  ConversionReversedV1,
  newEnvelope,
  PayoutBatchAcknowledgedV1,
  PayoutBatchCreatedV1,
  RewardEarnedV1,
  RewardReversedV1,
  type RewardEarnedV1Data,
  type TopicEvents,
} from '@prestanda/contracts';
import { EventProducer, physicalTopic } from '@prestanda/kafka';
import { metricsRegistry } from '@prestanda/observability';
import { schemaDrift } from '@prestanda/persistence';
import { createServiceApp, MessagingRuntime } from '@prestanda/service-kit';
import { bearer, dropSchema, eventually, TEST_BANK_API_KEY, TEST_BANK_SOURCE, testDatabaseUrl, testKafka, TopicReader, useTopicNamespace } from '@prestanda/testing';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadNotificationConfig } from '../src/config';
import { Dispatcher } from '../src/delivery/dispatcher';
import { EnqueueService } from '../src/delivery/enqueue.service';
import { signPayload } from '../src/delivery/signature';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const SECRET = 'whsec-test-0123456789abcdef';
const MAX_ATTEMPTS = 3;

describe('notification (real broker, database, HTTP and SMTP receivers)', () => {
  const kafka = testKafka();
  let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
  let app: INestApplication;
  let base: string;
  let producer: EventProducer;
  let notifications: TopicReader;
  let http: Server;
  let smtp: SMTPServer;
  let hookBase: string;
  const received: Received[] = [];
  const mails: string[] = [];
  let flakyFailures = 2;
  let downFixed = false;

  beforeAll(async () => {
    http = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        let status = 200;
        if (req.url === '/flaky' && flakyFailures > 0) {
          flakyFailures -= 1;
          status = 500;
        }
        if (req.url === '/down' && !downFixed) status = 500;
        if (req.url === '/reject') status = 400;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'boom');
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    hookBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, cb) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
        stream.on('end', () => {
          mails.push(raw);
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    ns = await useTopicNamespace(kafka);
    process.env.DATABASE_URL = testDatabaseUrl();
    await dropSchema('notification');
    const config = loadNotificationConfig({
      ...process.env,
      HTTP_PORT: '0',
      HEALTH_PORT: '0',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      DISPATCH_POLL_MS: '50',
      DISPATCH_BACKOFF_BASE_MS: '30',
      DISPATCH_BACKOFF_MAX_MS: '200',
      DISPATCH_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      WEBHOOK_TIMEOUT_MS: '3000',
      LOG_LEVEL: 'warn',
    });
    app = await createServiceApp(AppModule.forRoot(config), { service: 'notification', title: 't', httpPort: 0 });
    await app.listen(0);
    base = await app.getUrl();
    await eventually(() => expect(app.get(MessagingRuntime).health.readiness()).resolves.toMatchObject({ ok: true }), { timeoutMs: 60000 });
    producer = new EventProducer(kafka);
    await producer.connect();
    notifications = await TopicReader.start(kafka, [physicalTopic('notifications')]);

    // Recipients and preferences, through the ops API. A customer is (bank, customer id): ops name the bank.
    await put('/v1/recipients/bank/bank-ok', { webhookUrl: `${hookBase}/ok`, webhookSecret: SECRET, defaultLocale: 'sv' });
    await put('/v1/recipients/bank/bank-flaky', { webhookUrl: `${hookBase}/flaky`, webhookSecret: SECRET, defaultLocale: 'sv' });
    await put('/v1/recipients/bank/bank-down', { webhookUrl: `${hookBase}/down`, webhookSecret: SECRET, defaultLocale: 'sv' });
    await put('/v1/recipients/bank/bank-reject', { webhookUrl: `${hookBase}/reject`, webhookSecret: SECRET, defaultLocale: 'en' });
    await put('/v1/recipients/advertiser/adv-ica', { email: 'marketing@ica.example', defaultLocale: 'en' });
    await put('/v1/recipients/advertiser/adv-hook', { email: 'ads@hook.example', webhookUrl: `${hookBase}/adv`, webhookSecret: SECRET, defaultLocale: 'sv' });
    await put('/v1/recipients/affiliate/aff-mail', { email: 'payouts@affiliate.example', defaultLocale: 'en' });
    await put('/v1/customers/cust-en/preferences?bank=bank-ok', { locale: 'en' });
    await put('/v1/customers/cust-out/preferences?bank=bank-ok', { optOut: { webhook: true } });

    // The campaign snapshot gives the merchant's and campaign's names.
    const snap = CampaignSnapshotV1.example;
    await producer.send('campaigns', [
      {
        key: 'cmp-ica',
        event: newEnvelope(CampaignSnapshotV1, {
          source: 'campaigns',
          occurredAt: new Date(),
          data: { ...snap, campaignId: 'cmp-ica', advertiserId: 'adv-ica', advertiserName: 'ICA Gruppen', name: 'Spring Sale', version: 1, merchants: [{ ...snap.merchants[0], name: 'ICA Nära' }] },
        }),
      },
    ]);
    await eventually(async () => {
      const rows = await app.get(DataSource).query(`SELECT merchant_name FROM "notification"."campaign_names" WHERE campaign_id = 'cmp-ica'`);
      expect(rows).toEqual([{ merchant_name: 'ICA Nära' }]);
    });
  });

  afterAll(async () => {
    await notifications?.stop();
    await producer?.disconnect();
    await app?.close();
    await ns?.cleanup();
    await new Promise((r) => http?.close(r));
    await new Promise((r) => smtp?.close(() => r(undefined)));
  });

  async function put(path: string, body: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(base + path, { method: 'PUT', headers: { ...(await bearer(['ops-admin'])), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  }
  async function api<T = Record<string, unknown>>(path: string, method = 'GET'): Promise<{ status: number; body: T }> {
    const res = await fetch(base + path, { method, headers: await bearer(['ops-admin']) });
    return { status: res.status, body: (await res.json()) as T };
  }

  function earned(bank: string, customerId: string, amountMinor = 2550): TopicEvents['rewards'] {
    const data: RewardEarnedV1Data = {
      ...RewardEarnedV1.example,
      rewardId: `rwd-${customerId}-${amountMinor}`,
      purchaseId: `${bank}:txn-${customerId}-${amountMinor}`,
      customerId,
      campaignId: 'cmp-ica',
      advertiserId: 'adv-ica',
      publisherId: `pub-${bank}`,
      amount: { amountMinor, currency: 'SEK' },
    };
    return newEnvelope(RewardEarnedV1, { source: 'attribution', occurredAt: new Date(), data });
  }

  const hooks = (path: string, eventId: string) => received.filter((r) => r.path === path && JSON.parse(r.body).eventId === eventId);
  type DeliveryView = { id: string; recipient?: { kind: string; id: string }; channel: string; status: string; attempts: number; skipReason: string | null; template: string; attemptLog: { attempt: number; statusCode: number | null; outcome: string; latencyMs: number }[] };
  async function deliveriesOf(eventId: string): Promise<DeliveryView[]> {
    const { status, body } = await api<{ items: DeliveryView[] }>(`/v1/deliveries?eventId=${eventId}`);
    expect(status).toBe(200);
    return body.items;
  }

  it('the schema matches the entities', async () => {
    expect(await schemaDrift(app.get(DataSource))).toEqual([]);
  });

  it('a reward earned → exactly one signed webhook, in Swedish (bank default), with the idempotency key', async () => {
    const event = earned('bank-ok', 'cust-sv');
    await producer.send('rewards', [{ key: 'cust-sv', event }]);
    await eventually(() => expect(hooks('/ok', event.eventId)).toHaveLength(1));
    const hook = hooks('/ok', event.eventId)[0];
    const sig = String(hook.headers['prestanda-signature']);
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig);
    expect(m).not.toBeNull();
    expect(m![2]).toBe(signPayload(SECRET, Number(m![1]), hook.body));
    expect(Math.abs(Date.now() / 1000 - Number(m![1]))).toBeLessThan(60);
    const body = JSON.parse(hook.body);
    expect(hook.headers['idempotency-key']).toBe(body.deliveryId);
    expect(body).toMatchObject({ type: 'reward.earned', customerId: 'cust-sv', locale: 'sv', template: 'reward-earned.sv', merchantName: 'ICA Nära', data: { rewardId: event.data.rewardId } });
    expect(body.message.text).toContain('Du har fått 25,50 kr i cashback hos ICA Nära.');

    await eventually(async () => {
      const [d] = await deliveriesOf(event.eventId);
      expect(d).toMatchObject({ status: 'delivered', attempts: 1 });
    });
    await eventually(() =>
      expect(notifications.messages.map((x) => x.json<{ type: string; data: { deliveryId: string; attempts: number } }>()).filter((e) => e.data.deliveryId === body.deliveryId)).toEqual([
        expect.objectContaining({ type: 'notification.delivered', data: expect.objectContaining({ attempts: 1, status: 'delivered', httpStatus: 200, template: 'reward-earned.sv' }) }),
      ]),
    );
  });

  it('the same reward event twice → one webhook', async () => {
    const event = earned('bank-ok', 'cust-dup', 999);
    await producer.send('rewards', [{ key: 'cust-dup', event }]);
    await producer.send('rewards', [{ key: 'cust-dup', event }]);
    await eventually(async () => expect((await deliveriesOf(event.eventId))[0]?.status).toBe('delivered'));
    // A marker event on the same key, sent after both copies, proves both copies were consumed.
    const marker = earned('bank-ok', 'cust-dup', 1000);
    await producer.send('rewards', [{ key: 'cust-dup', event: marker }]);
    await eventually(() => expect(hooks('/ok', marker.eventId)).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 300));
    expect(hooks('/ok', event.eventId)).toHaveLength(1);
    expect(await deliveriesOf(event.eventId)).toHaveLength(1);
    // Past the inbox too (another consumer group, a replayed dead letter): the deliveries key holds.
    await app.get(DataSource).transaction((m) => app.get(EnqueueService).onReward(event, m));
    await new Promise((r) => setTimeout(r, 300));
    expect(await deliveriesOf(event.eventId)).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
    expect(hooks('/ok', event.eventId)).toHaveLength(1);
  });

  it('receiver fails twice (500) then succeeds → delivered once, three attempts logged', async () => {
    const event = earned('bank-flaky', 'cust-flaky');
    await producer.send('rewards', [{ key: 'cust-flaky', event }]);
    await eventually(async () => expect((await deliveriesOf(event.eventId))[0]?.status).toBe('delivered'));
    const [summary] = await deliveriesOf(event.eventId);
    const { body: d } = await api<DeliveryView>(`/v1/deliveries/${summary.id}`);
    expect(d.attempts).toBe(3);
    expect(d.attemptLog.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [1, 500, 'retry'],
      [2, 500, 'retry'],
      [3, 200, 'delivered'],
    ]);
    expect(hooks('/flaky', event.eventId)).toHaveLength(3);
    // Every attempt carries the same delivery id, so the receiver can dedupe.
    expect(new Set(hooks('/flaky', event.eventId).map((h) => h.headers['idempotency-key']))).toEqual(new Set([summary.id]));
  });

  it('a Swedish and an English customer → each in their language with the right money format', async () => {
    const sv = earned('bank-ok', 'cust-sv2', 4295);
    const en = earned('bank-ok', 'cust-en', 4295);
    const reversed = newEnvelope(RewardReversedV1, {
      source: 'attribution',
      occurredAt: new Date(),
      data: {
        ...RewardReversedV1.example,
        rewardId: en.data.rewardId,
        purchaseId: en.data.purchaseId,
        customerId: 'cust-en',
        campaignId: 'cmp-ica',
        advertiserId: 'adv-ica',
        publisherId: 'pub-bank-ok',
        reversedAmount: { amountMinor: 1000, currency: 'SEK' },
        remainingAmount: { amountMinor: 3295, currency: 'SEK' },
      },
    });
    await producer.send('rewards', [
      { key: 'cust-sv2', event: sv },
      { key: 'cust-en', event: en },
      { key: 'cust-en', event: reversed },
    ]);
    await eventually(() => expect([hooks('/ok', sv.eventId).length, hooks('/ok', en.eventId).length, hooks('/ok', reversed.eventId).length]).toEqual([1, 1, 1]));
    const svBody = JSON.parse(hooks('/ok', sv.eventId)[0].body);
    const enBody = JSON.parse(hooks('/ok', en.eventId)[0].body);
    const revBody = JSON.parse(hooks('/ok', reversed.eventId)[0].body);
    expect(svBody.message.text).toBe('Du har fått 42,95 kr i cashback hos ICA Nära. Den betalas ut när köpet har bekräftats, 30 dagar efter att det dragits.');
    expect(enBody.locale).toBe('en');
    expect(enBody.message.text).toBe('You earned SEK 42.95 cashback at ICA Nära. It will be paid once the purchase is confirmed, 30 days after it was charged.');
    expect(revBody.template).toBe('reward-reversed.en');
    expect(revBody.message.text).toBe('Your cashback at ICA Nära was reduced by SEK 10.00 to SEK 32.95 because the purchase was refunded in full or in part.');
  });

  it('a budget threshold → one e-mail to the advertiser with campaign and percent', async () => {
    const event = newEnvelope(BudgetThresholdReachedV1, {
      source: 'billing',
      occurredAt: new Date(),
      data: { ...BudgetThresholdReachedV1.example, advertiserId: 'adv-ica', campaignId: 'cmp-ica', thresholdPercent: 80, percent: 80, budget: { amountMinor: 5_000_000, currency: 'SEK' }, spent: { amountMinor: 4_000_150, currency: 'SEK' } },
    });
    await producer.send('budget-events', [{ key: 'adv-ica', event }]);
    await producer.send('budget-events', [{ key: 'adv-ica', event }]);
    await eventually(async () => expect((await deliveriesOf(event.eventId)).map((d) => [d.status, d.template])).toEqual([['delivered', 'budget-threshold.en']]));
    const [summary] = await deliveriesOf(event.eventId);
    const mine = mails.filter((raw) => raw.includes(summary.id));
    expect(mine).toHaveLength(1);
    const raw = mine[0].replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
    expect(raw).toMatch(/^To: marketing@ica\.example/m);
    expect(raw).toMatch(/^Subject: Spring Sale: 80% of the budget spent$/m);
    expect(raw).toContain('Hello ICA Gruppen,');
    expect(raw).toContain('has spent 80% of its total budget: SEK 40,001.50 of SEK 50,000.00.');
  });

  it('an opted-out customer → nothing sent, the skip is logged', async () => {
    const event = earned('bank-ok', 'cust-out');
    await producer.send('rewards', [{ key: 'cust-out', event }]);
    await eventually(async () => expect(await deliveriesOf(event.eventId)).toEqual([expect.objectContaining({ status: 'skipped', skipReason: 'customer-opted-out', attempts: 0 })]));
    const { body } = await api<{ items: DeliveryView[] }>(`/v1/deliveries?customerId=cust-out`);
    expect(body.items).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(hooks('/ok', event.eventId)).toHaveLength(0);
    const replay = await api(`/v1/deliveries/${body.items[0].id}/replay`, 'POST');
    expect(replay.status).toBe(409);
  });

  it('a chunk of rewards for different customers → one delivery each, in one batch; the same events again → nothing more', async () => {
    await put('/v1/recipients/affiliate/pub-bank-app', { webhookUrl: `${hookBase}/ok`, webhookSecret: SECRET, defaultLocale: 'en' });
    await put('/v1/customers/cust-chunk-out/preferences?bank=bank-ok', { optOut: { webhook: true } });
    const onRewards = jest.spyOn(app.get(EnqueueService), 'onRewards');
    const events = [
      earned('bank-ok', 'cust-chunk-a'),
      earned('bank-ok', 'cust-chunk-out'),
      earned('bank-ok', 'cust-en', 777),
      earned('bank-none', 'cust-chunk-b'), // no such bank, nor publisher
      earned('bank-app', 'cust-chunk-c'), // no such bank: the publisher, an affiliate
    ];
    // One key: one partition, one produce request, so the consumer gets them as one chunk.
    const send = () => producer.send('rewards', events.map((event) => ({ key: 'chunk', event })));
    await send();
    const expected = [
      [['bank', 'bank-ok', 'delivered', null, 'reward-earned.sv']],
      [['bank', 'bank-ok', 'skipped', 'customer-opted-out', 'reward-earned.sv']],
      [['bank', 'bank-ok', 'delivered', null, 'reward-earned.en']],
      [['bank', 'bank-none', 'skipped', 'no-webhook-configured', 'reward-earned.sv']],
      [['affiliate', 'pub-bank-app', 'delivered', null, 'reward-earned.en']],
    ];
    const views = async () =>
      Promise.all(events.map(async (e) => (await deliveriesOf(e.eventId)).map((d) => [d.recipient?.kind, d.recipient?.id, d.status, d.skipReason, d.template])));
    await eventually(async () => expect(await views()).toEqual(expected));
    expect(onRewards.mock.calls.some(([chunk]) => events.every((e) => chunk.some((c) => c.eventId === e.eventId)))).toBe(true);
    const sentTo = () => events.map((e) => hooks('/ok', e.eventId).length);
    expect(sentTo()).toEqual([1, 0, 1, 0, 1]);

    // Redelivered (the inbox stops it), a marker after it on the same key proves it was consumed.
    await send();
    const marker = earned('bank-ok', 'cust-chunk-a', 778);
    await producer.send('rewards', [{ key: 'chunk', event: marker }]);
    await eventually(() => expect(hooks('/ok', marker.eventId)).toHaveLength(1));
    // Past the inbox too: the deliveries key holds for a whole chunk.
    await app.get(DataSource).transaction((m) => app.get(EnqueueService).onRewards(events, m));
    await new Promise((r) => setTimeout(r, 300));
    expect(await views()).toEqual(expected);
    expect(sentTo()).toEqual([1, 0, 1, 0, 1]);
    onRewards.mockRestore();
  });

  it('two banks, the same customer id: bank B’s customer opted out of webhooks → bank A’s is still told, bank B’s is skipped', async () => {
    const bankB = TEST_BANK_SOURCE;
    await put(`/v1/recipients/bank/${bankB}`, { webhookUrl: `${hookBase}/twin`, webhookSecret: SECRET, defaultLocale: 'sv' });
    // Bank B opts its own customer out with its API key: the bank is the key's source, no parameter.
    const res = await fetch(`${base}/v1/customers/cust-twin/preferences`, {
      method: 'PUT',
      headers: { 'x-api-key': TEST_BANK_API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ optOut: { webhook: true } }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ bank: bankB, customerId: 'cust-twin', optOut: { webhook: true, email: false } });
    expect((await api(`/v1/customers/cust-twin/preferences?bank=${bankB}`)).body).toMatchObject({ bank: bankB, optOut: { webhook: true } });
    expect((await api('/v1/customers/cust-twin/preferences?bank=bank-ok')).status).toBe(404);

    const atA = earned('bank-ok', 'cust-twin', 1111);
    const atB = earned(bankB, 'cust-twin', 2222);
    await producer.send('rewards', [
      { key: 'cust-twin', event: atA },
      { key: 'cust-twin', event: atB },
    ]);
    const view = async (eventId: string) => (await deliveriesOf(eventId)).map((d) => [d.recipient?.id, d.status, d.skipReason]);
    await eventually(async () => expect(await view(atA.eventId)).toEqual([['bank-ok', 'delivered', null]]));
    await eventually(async () => expect(await view(atB.eventId)).toEqual([[bankB, 'skipped', 'customer-opted-out']]));
    expect(hooks('/ok', atA.eventId)).toHaveLength(1);
    expect(JSON.parse(hooks('/ok', atA.eventId)[0].body)).toMatchObject({ customerId: 'cust-twin', data: { purchaseId: atA.data.purchaseId } });
    await new Promise((r) => setTimeout(r, 300));
    expect(hooks('/twin', atB.eventId)).toHaveLength(0);
    const rows: { id: string; customer_bank: string }[] = await app
      .get(DataSource)
      .query(`SELECT source_event_id::text AS id, customer_bank FROM "notification"."deliveries" WHERE source_event_id = ANY($1::uuid[]) ORDER BY customer_bank`, [[atA.eventId, atB.eventId]]);
    expect(rows).toEqual([
      { id: atA.eventId, customer_bank: 'bank-ok' },
      { id: atB.eventId, customer_bank: bankB },
    ]);
  });

  it('permanent failure → dead after max attempts, replayed after the receiver is fixed → delivered', async () => {
    const event = earned('bank-down', 'cust-down');
    await producer.send('rewards', [{ key: 'cust-down', event }]);
    await eventually(async () => expect((await deliveriesOf(event.eventId))[0]?.status).toBe('dead'));
    const [summary] = await deliveriesOf(event.eventId);
    expect(summary.attempts).toBe(MAX_ATTEMPTS);
    expect(hooks('/down', event.eventId)).toHaveLength(MAX_ATTEMPTS);
    await eventually(() =>
      expect(notifications.messages.map((x) => x.json<{ type: string; data: { deliveryId: string; error?: string; attempts: number } }>()).filter((e) => e.data.deliveryId === summary.id)).toEqual([
        expect.objectContaining({ type: 'notification.failed', data: expect.objectContaining({ attempts: MAX_ATTEMPTS, error: 'HTTP 500', httpStatus: 500 }) }),
      ]),
    );

    downFixed = true;
    const replay = await api<{ status: string }>(`/v1/deliveries/${summary.id}/replay`, 'POST');
    expect(replay.status).toBe(202);
    await eventually(async () => expect((await deliveriesOf(event.eventId))[0]).toMatchObject({ status: 'delivered', attempts: MAX_ATTEMPTS + 1 }));
    const { body: d } = await api<DeliveryView>(`/v1/deliveries/${summary.id}`);
    expect(d.attemptLog.map((a) => a.outcome)).toEqual(['retry', 'retry', 'dead', 'delivered']);
    expect(hooks('/down', event.eventId)).toHaveLength(MAX_ATTEMPTS + 1);
    await eventually(() =>
      expect(notifications.messages.filter((x) => x.json<{ data: { deliveryId: string } }>().data.deliveryId === summary.id).map((x) => x.json<{ type: string }>().type)).toEqual([
        'notification.failed',
        'notification.delivered',
      ]),
    );
  });

  it('a 4xx is final: failed after one attempt, no retry, notification.failed', async () => {
    const event = earned('bank-reject', 'cust-rej');
    await producer.send('rewards', [{ key: 'cust-rej', event }]);
    await eventually(async () => expect((await deliveriesOf(event.eventId))[0]).toMatchObject({ status: 'failed', attempts: 1 }));
    await new Promise((r) => setTimeout(r, 300));
    expect(hooks('/reject', event.eventId)).toHaveLength(1);
    const [summary] = await deliveriesOf(event.eventId);
    await eventually(() =>
      expect(notifications.messages.map((x) => x.json<{ type: string; data: { deliveryId: string } }>()).filter((e) => e.data.deliveryId === summary.id)).toEqual([
        expect.objectContaining({ type: 'notification.failed', data: expect.objectContaining({ attempts: 1, httpStatus: 400, error: 'HTTP 400' }) }),
      ]),
    );
  });

  it('budget exhausted → an e-mail and a signed webhook for an advertiser that has both, in its locale', async () => {
    const event = newEnvelope(BudgetExhaustedV1, {
      source: 'billing',
      occurredAt: new Date(),
      data: { ...BudgetExhaustedV1.example, advertiserId: 'adv-hook', campaignId: 'cmp-unknown' },
    });
    await producer.send('budget-events', [{ key: 'adv-hook', event }]);
    await eventually(async () =>
      expect((await deliveriesOf(event.eventId)).map((d) => [d.channel, d.status, d.template]).sort()).toEqual([
        ['email', 'delivered', 'budget-exhausted.sv'],
        ['webhook', 'delivered', 'budget-exhausted.sv'],
      ]),
    );
    const [hook] = hooks('/adv', event.eventId);
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hook.headers['prestanda-signature']))!;
    expect(m[2]).toBe(signPayload(SECRET, Number(m[1]), hook.body));
    const body = JSON.parse(hook.body);
    expect(body).toMatchObject({ type: 'budget.exhausted', locale: 'sv', data: { campaignId: 'cmp-unknown', percent: 100 } });
    expect(body.message.text).toContain('har förbrukat 100 % av sin totala budget: 50 031,20 kr av 50 000,00 kr.');
    const email = await deliveriesOf(event.eventId).then((ds) => ds.find((d) => d.channel === 'email')!);
    expect(mails.filter((raw) => raw.includes(email.id))).toHaveLength(1);
  });

  it("an advertiser budget across campaigns spent → the advertiser's e-mail and webhook say so, once", async () => {
    const event = newEnvelope(SpendLimitExhaustedV1, {
      source: 'billing',
      occurredAt: new Date(),
      data: { ...SpendLimitExhaustedV1.example, advertiserId: 'adv-hook', limitId: 'advertiser:adv-hook' },
    });
    await producer.send('budget-events', [{ key: 'adv-hook', event }, { key: 'adv-hook', event }]);
    await eventually(async () =>
      expect((await deliveriesOf(event.eventId)).map((d) => [d.channel, d.status, d.template]).sort()).toEqual([
        ['email', 'delivered', 'spend-limit-exhausted.sv'],
        ['webhook', 'delivered', 'spend-limit-exhausted.sv'],
      ]),
    );
    const [hook] = hooks('/adv', event.eventId);
    const body = JSON.parse(hook.body);
    expect(body).toMatchObject({ type: 'spend-limit.exhausted', data: { kind: 'advertiser', limitId: 'advertiser:adv-hook' } });
    expect(body.message.text).toContain('Er budget för alla era kampanjer är förbrukad: 200 003,50 kr av 200 000,00 kr.');
    expect(hooks('/adv', event.eventId)).toHaveLength(1);
  });

  it('concurrent dispatch rounds never send a delivery twice (FOR UPDATE SKIP LOCKED)', async () => {
    const ds = app.get(DataSource);
    const ids: string[] = [];
    const eventIds: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      const eventId = randomUUID();
      const id = `dlv-${createHash('sha256').update(eventId).digest('hex').slice(0, 24)}`;
      ids.push(id);
      eventIds.push(eventId);
      await ds.query(
        `INSERT INTO "notification"."deliveries" (id, source_event_id, source_event_type, recipient_kind, recipient_id, channel, template, status, payload)
         VALUES ($1, $2, 'reward.earned', 'bank', 'bank-ok', 'webhook', 'reward-earned.sv', 'pending', $3)`,
        [id, eventId, JSON.stringify({ deliveryId: id, eventId })],
      );
    }
    const dispatcher = app.get(Dispatcher);
    await Promise.all([dispatcher.tick(), dispatcher.tick(), dispatcher.tick(), dispatcher.tick()]);
    await eventually(async () => {
      const rows: { status: string }[] = await ds.query(`SELECT status FROM "notification"."deliveries" WHERE id = ANY($1)`, [ids]);
      expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    });
    for (const eventId of eventIds) expect(hooks('/ok', eventId)).toHaveLength(1);
  });

  const decodeMail = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  const mailsOf = (deliveryId: string) => mails.filter((raw) => raw.includes(deliveryId)).map(decodeMail);
  async function snapshot(campaignId: string, version: number, status: 'active' | 'ended', name: string) {
    const snap = CampaignSnapshotV1.example;
    const event = newEnvelope(CampaignSnapshotV1, {
      source: 'campaigns',
      occurredAt: new Date(),
      data: { ...snap, campaignId, advertiserId: 'adv-ica', advertiserName: 'ICA Gruppen', name, version, status, merchants: [{ ...snap.merchants[0], name: 'ICA Nära' }] },
    });
    await producer.send('campaigns', [{ key: campaignId, event }]);
    return event;
  }

  it('an affiliate payout batch → one e-mail "your commission payout of X is on its way"; the acknowledgement → nothing', async () => {
    const event = newEnvelope(PayoutBatchCreatedV1, {
      source: 'billing',
      occurredAt: new Date(),
      data: {
        ...PayoutBatchCreatedV1.example,
        batchId: `pob-aff-${randomUUID().slice(0, 8)}`,
        payeeKind: 'affiliate',
        payeeId: 'aff-mail',
        total: { amountMinor: 1_234_550, currency: 'SEK' },
        lineCount: 1,
        items: [{ lineId: 'pol-0001', campaignId: 'cmp-ica', amount: { amountMinor: 1_234_550, currency: 'SEK' }, conversionIds: ['cnv-1'] }],
      },
    });
    await producer.send('payouts', [{ key: 'aff-mail', event }]);
    await producer.send('payouts', [{ key: 'aff-mail', event }]);
    await eventually(async () => expect((await deliveriesOf(event.eventId)).map((d) => [d.channel, d.status, d.template])).toEqual([['email', 'delivered', 'payout-affiliate.en']]));
    const [summary] = await deliveriesOf(event.eventId);
    const mine = mailsOf(summary.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatch(/^To: payouts@affiliate\.example/m);
    expect(mine[0]).toMatch(/^Subject: Your commission payout of SEK 12,345\.50 is on its way$/m);
    expect(mine[0]).toContain(`(1 line, reference ${event.data.batchId}).`);

    const ack = newEnvelope(PayoutBatchAcknowledgedV1, {
      source: 'billing',
      occurredAt: new Date(),
      data: { batchId: event.data.batchId, payeeKind: 'affiliate', payeeId: 'aff-mail', status: 'accepted', acknowledgedAt: new Date().toISOString() },
    });
    await producer.send('payouts', [{ key: 'aff-mail', event: ack }]);
    // A marker batch on the same key, sent after the acknowledgement, proves it was consumed.
    const marker = newEnvelope(PayoutBatchCreatedV1, { source: 'billing', occurredAt: new Date(), data: { ...event.data, batchId: `${event.data.batchId}-2` } });
    await producer.send('payouts', [{ key: 'aff-mail', event: marker }]);
    await eventually(async () => expect(await deliveriesOf(marker.eventId)).toHaveLength(1));
    expect(await deliveriesOf(ack.eventId)).toEqual([]);
    expect(mailsOf(summary.id)).toHaveLength(1);
  });

  it('stores webhook secrets sealed with SECRETS_KEY, never in clear', async () => {
    const rows: { webhook_secret: string }[] = await app.get(DataSource).query(`SELECT webhook_secret FROM "notification"."recipients" WHERE webhook_secret IS NOT NULL`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.webhook_secret).toMatch(/^enc:v1:[0-9a-f]{8}:/);
      expect(r.webhook_secret).not.toContain(SECRET);
    }
  });

  it('a rotated webhook secret: during the overlap each webhook is signed with the new and the previous secret; with no overlap only the new', async () => {
    const NEW = 'rotated-secret-0123456789';
    await put('/v1/recipients/bank/bank-rot', { webhookUrl: `${hookBase}/rot`, webhookSecret: SECRET, defaultLocale: 'sv' });
    const rotated = await put('/v1/recipients/bank/bank-rot', { webhookUrl: `${hookBase}/rot`, webhookSecret: NEW, defaultLocale: 'sv', previousSecretOverlapMinutes: 60 });
    expect(rotated.previousSecretUntil).toEqual(expect.any(String));
    const during = earned('bank-rot', 'cust-rot-1');
    await producer.send('rewards', [{ key: 'cust-rot-1', event: during }]);
    await eventually(() => expect(hooks('/rot', during.eventId)).toHaveLength(1));
    const [hook] = hooks('/rot', during.eventId);
    const sig = String(hook.headers['prestanda-signature']);
    const m = /^t=(\d+),v1=([0-9a-f]{64}),v1=([0-9a-f]{64})$/.exec(sig)!;
    expect(m).not.toBeNull();
    expect([m[2], m[3]]).toEqual([signPayload(NEW, Number(m[1]), hook.body), signPayload(SECRET, Number(m[1]), hook.body)]);

    await put('/v1/recipients/bank/bank-rot', { webhookUrl: `${hookBase}/rot`, webhookSecret: SECRET, defaultLocale: 'sv', previousSecretOverlapMinutes: 0 });
    const after = earned('bank-rot', 'cust-rot-2');
    await producer.send('rewards', [{ key: 'cust-rot-2', event: after }]);
    await eventually(() => expect(hooks('/rot', after.eventId)).toHaveLength(1));
    const single = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hooks('/rot', after.eventId)[0].headers['prestanda-signature']))!;
    expect(single[2]).toBe(signPayload(SECRET, Number(single[1]), hooks('/rot', after.eventId)[0].body));
    const [row] = await app.get(DataSource).query(`SELECT previous_webhook_secret FROM "notification"."recipients" WHERE kind = 'bank' AND id = 'bank-rot'`);
    expect(row.previous_webhook_secret).toBeNull();
  });

  it('refuses a webhook URL that is plain http or reaches an internal address, naming webhookUrl', async () => {
    for (const url of ['http://bank.example/hooks', 'https://169.254.169.254/latest/meta-data', 'https://10.0.0.8/hooks']) {
      const r = await fetch(`${base}/v1/recipients/bank/bank-ssrf`, { method: 'PUT', headers: { 'content-type': 'application/json', ...(await bearer(['ops-admin'])) }, body: JSON.stringify({ webhookUrl: url, webhookSecret: SECRET, defaultLocale: 'sv' }) });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { fields: { field: string }[] }).fields.map((f) => f.field)).toEqual(['webhookUrl']);
    }
  });

  it('an affiliate sale → one signed webhook to the publisher per commission change (pending, reversed, confirmed); redeliveries and card-linked conversions → none', async () => {
    await put('/v1/recipients/affiliate/aff-hook', { webhookUrl: `${hookBase}/aff`, webhookSecret: SECRET, defaultLocale: 'en' });
    const sek = (amountMinor: number) => ({ amountMinor, currency: 'SEK' });
    const conversionId = `cnv-aff-${randomUUID().slice(0, 8)}`;
    const sale = { conversionId, campaignId: 'cmp-ica', advertiserId: 'adv-ica', publisherId: 'aff-hook' };
    const now = new Date().toISOString();
    const recorded = newEnvelope(ConversionRecordedV1, {
      source: 'affiliate',
      occurredAt: now,
      data: { ...sale, pricingModel: 'CPA', units: 1, platformFee: sek(2_000), publisherCommission: sek(10_000), advertiserCharge: sek(12_000), convertedAt: now, orderId: 'ORD-77', orderAmount: sek(125_000), lockedUntil: '2030-01-31T12:00:00.000Z' },
    });
    // card-linked: the customer hears through rewards; the publisher gets nothing from here
    const cardLinked = newEnvelope(ConversionRecordedV1, { source: 'attribution', occurredAt: now, data: { ...ConversionRecordedV1.example, conversionId: `${conversionId}-card`, campaignId: 'cmp-ica', publisherId: 'aff-hook' } });
    // a CPC conversion (no rewardId, not a sale): nothing either
    const cpc = newEnvelope(ConversionRecordedV1, { source: 'attribution', occurredAt: now, data: { ...recorded.data, conversionId: `${conversionId}-cpc`, pricingModel: 'CPC', orderId: undefined, orderAmount: undefined, lockedUntil: undefined } });
    const reversalData = { ...sale, reversalId: `${conversionId}-rev-1`, reason: 'order-returned' as const, orderId: 'ORD-77', orderAmountAfter: sek(100_000), publisherCommissionReversed: sek(2_000), platformFeeReversed: sek(400), advertiserCredit: sek(2_400), reversedAt: now };
    const reversal = newEnvelope(ConversionReversedV1, { source: 'affiliate', occurredAt: now, data: reversalData });
    const sameReversalAgain = newEnvelope(ConversionReversedV1, { source: 'affiliate', occurredAt: now, data: reversalData }); // new event id, same reversal
    const confirmed = newEnvelope(ConversionConfirmedV1, { source: 'affiliate', occurredAt: now, data: { ...sale, orderId: 'ORD-77', publisherCommission: sek(8_000), confirmedAt: now } });
    const events: TopicEvents['conversions'][] = [recorded, recorded, cardLinked, cpc, reversal, reversal, sameReversalAgain, confirmed, confirmed];
    await producer.send('conversions', events.map((event) => ({ key: 'cmp-ica', event })));
    // A marker sale on the same key, sent after everything, proves all of it was consumed.
    const marker = newEnvelope(ConversionRecordedV1, { source: 'affiliate', occurredAt: now, data: { ...recorded.data, conversionId: `${conversionId}-marker` } });
    await producer.send('conversions', [{ key: 'cmp-ica', event: marker }]);
    await eventually(() => expect(hooks('/aff', marker.eventId)).toHaveLength(1));
    for (const e of [recorded, reversal, confirmed, marker]) {
      await eventually(async () => expect((await deliveriesOf(e.eventId)).map((d) => [d.recipient?.kind, d.channel, d.status])).toEqual([['affiliate', 'webhook', 'delivered']]));
    }
    expect(await deliveriesOf(cardLinked.eventId)).toEqual([]);
    expect(await deliveriesOf(cpc.eventId)).toEqual([]);
    expect(await deliveriesOf(sameReversalAgain.eventId)).toEqual([]);
    const mine = received.filter((r) => r.path === '/aff');
    expect(mine.map((r) => JSON.parse(r.body).eventId).sort()).toEqual([recorded, reversal, confirmed, marker].map((e) => e.eventId).sort());
    for (const hook of mine) {
      const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hook.headers['prestanda-signature']))!;
      expect(m[2]).toBe(signPayload(SECRET, Number(m[1]), hook.body));
      expect(hook.headers['idempotency-key']).toBe(JSON.parse(hook.body).deliveryId);
    }
    const body = (eventId: string) => JSON.parse(hooks('/aff', eventId)[0].body);
    expect(body(recorded.eventId)).toMatchObject({ type: 'conversion.recorded', locale: 'en', template: 'commission-pending.en', data: { conversionId, orderId: 'ORD-77' } });
    expect(body(recorded.eventId).message.text).toContain('You earned SEK 100.00 commission on order ORD-77 at ICA Nära. The commission is pending until the return period ends on 2030-01-31');
    expect(body(reversal.eventId)).toMatchObject({ type: 'conversion.reversed', template: 'commission-reversed.en', data: { reversalId: reversalData.reversalId } });
    expect(body(reversal.eventId).message.text).toContain('reduced by SEK 20.00 because the order was returned in full or in part. Remaining: SEK 80.00.');
    expect(body(confirmed.eventId)).toMatchObject({ type: 'conversion.confirmed', template: 'commission-confirmed.en' });
    expect(body(confirmed.eventId).message.text).toContain('Your commission of SEK 80.00 on order ORD-77 at ICA Nära is confirmed');
    // Past the inbox too (a replayed dead letter): the deliveries key holds.
    await app.get(DataSource).transaction((m) => app.get(EnqueueService).onConversion(confirmed, m));
    expect(await deliveriesOf(confirmed.eventId)).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
    expect(hooks('/aff', confirmed.eventId)).toHaveLength(1);
  });

  it('a bank payout batch → one signed webhook to the bank with the summary message and the whole batch', async () => {
    const event = newEnvelope(PayoutBatchCreatedV1, { source: 'billing', occurredAt: new Date(), data: { ...PayoutBatchCreatedV1.example, batchId: `pob-bank-${randomUUID().slice(0, 8)}`, payeeId: 'bank-ok' } });
    await producer.send('payouts', [{ key: 'bank-ok', event }]);
    await eventually(() => expect(hooks('/ok', event.eventId)).toHaveLength(1));
    const hook = hooks('/ok', event.eventId)[0];
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hook.headers['prestanda-signature']))!;
    expect(m[2]).toBe(signPayload(SECRET, Number(m[1]), hook.body));
    expect(hook.headers['prestanda-event-type']).toBe('payout.batch-created');
    const body = JSON.parse(hook.body);
    expect(body).toMatchObject({ type: 'payout.batch-created', locale: 'sv', template: 'payout-bank.sv', data: { batchId: event.data.batchId, payeeKind: 'bank', lineCount: 2, total: { amountMinor: 7590 } } });
    expect(body.data.items).toHaveLength(2);
    expect(body.message.text).toBe(`75,90 kr i cashback till 2 kunder för perioden 2025-04-01 – 2025-04-30. Kreditera varje rad och bekräfta batchen ${event.data.batchId}.`);
    await eventually(async () => expect((await deliveriesOf(event.eventId)).map((d) => [d.recipient?.kind, d.status])).toEqual([['bank', 'delivered']]));
  });

  it('budget.replenished → one "campaign resumed" e-mail to the advertiser', async () => {
    const event = newEnvelope(BudgetReplenishedV1, {
      source: 'billing',
      occurredAt: new Date(),
      data: { ...BudgetReplenishedV1.example, advertiserId: 'adv-ica', campaignId: 'cmp-ica', reason: 'budget-raised' },
    });
    await producer.send('budget-events', [{ key: 'adv-ica', event }]);
    await producer.send('budget-events', [{ key: 'adv-ica', event }]);
    await eventually(async () => expect((await deliveriesOf(event.eventId)).map((d) => [d.channel, d.status, d.template])).toEqual([['email', 'delivered', 'budget-replenished.en']]));
    const [summary] = await deliveriesOf(event.eventId);
    const mine = mailsOf(summary.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatch(/^To: marketing@ica\.example/m);
    expect(mine[0]).toMatch(/^Subject: Spring Sale: campaign resumed$/m);
    expect(mine[0]).toContain('has room in its total budget again because the budget was raised: SEK 50,031.20 of SEK 80,000.00 spent (62%).');
  });

  it('a campaign that ends → one "campaign ended" e-mail; repeats, later versions and never-seen ended campaigns → none', async () => {
    await snapshot('cmp-end', 1, 'active', 'Last Call');
    await eventually(async () => expect(await app.get(DataSource).query(`SELECT status FROM "notification"."campaign_names" WHERE campaign_id = 'cmp-end'`)).toEqual([{ status: 'active' }]));
    const ended = await snapshot('cmp-end', 2, 'ended', 'Last Call');
    await producer.send('campaigns', [{ key: 'cmp-end', event: ended }]);
    const later = await snapshot('cmp-end', 3, 'ended', 'Last Call');
    const old = await snapshot('cmp-old', 4, 'ended', 'Long Gone');
    await eventually(async () =>
      expect(await app.get(DataSource).query(`SELECT campaign_id, version, status FROM "notification"."campaign_names" WHERE campaign_id IN ('cmp-end', 'cmp-old') ORDER BY campaign_id`)).toEqual([
        { campaign_id: 'cmp-end', version: 3, status: 'ended' },
        { campaign_id: 'cmp-old', version: 4, status: 'ended' },
      ]),
    );
    await eventually(async () => expect((await deliveriesOf(ended.eventId)).map((d) => [d.channel, d.status, d.template])).toEqual([['email', 'delivered', 'campaign-ended.en']]));
    const [summary] = await deliveriesOf(ended.eventId);
    const mine = mailsOf(summary.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatch(/^Subject: Last Call: campaign ended$/m);
    expect(mine[0]).toContain('Your campaign Last Call (cmp-end) has ended and earns no new cashback.');
    expect(await deliveriesOf(later.eventId)).toEqual([]);
    expect(await deliveriesOf(old.eventId)).toEqual([]);
    const { body } = await api<{ items: DeliveryView[] }>(`/v1/deliveries?recipient=adv-ica&limit=500`);
    expect(body.items.filter((d) => d.template.startsWith('campaign-ended'))).toHaveLength(1);
  });

  it('metrics: deliveries by channel and outcome, latency, pending; readiness checks the dispatcher loop', async () => {
    const text = await metricsRegistry.metrics();
    /** The sample of `name` whose labels include all of `labels` (any order, default labels allowed). */
    const value = (name: string, labels: Record<string, string>): number => {
      const line = text
        .split('\n')
        .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
    };
    const deliveries = 'prestanda_notification_deliveries_total';
    expect(value(deliveries, { channel: 'webhook', outcome: 'delivered' })).toBeGreaterThanOrEqual(5);
    expect(value(deliveries, { channel: 'email', outcome: 'delivered' })).toBeGreaterThanOrEqual(4);
    expect(value(deliveries, { channel: 'webhook', outcome: 'dead' })).toBeGreaterThanOrEqual(1);
    expect(value(deliveries, { channel: 'webhook', outcome: 'failed' })).toBeGreaterThanOrEqual(1);
    expect(value(deliveries, { channel: 'webhook', outcome: 'skipped' })).toBeGreaterThanOrEqual(1);
    expect(value('prestanda_notification_delivery_attempts_total', { channel: 'webhook', outcome: 'retry' })).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^# TYPE prestanda_notification_delivery_latency_seconds histogram$/m);
    expect(value('prestanda_notification_delivery_latency_seconds_count', { channel: 'email' })).toBeGreaterThanOrEqual(4);
    expect(value('prestanda_notification_delivery_latency_seconds_bucket', { channel: 'webhook', le: '+Inf' })).toBeGreaterThanOrEqual(5);
    expect(value('prestanda_notification_pending_deliveries', { channel: 'email' })).toBe(0);
    expect(value('prestanda_notification_pending_deliveries', { channel: 'webhook' })).toBeGreaterThanOrEqual(0);
    const ready = await app.get(MessagingRuntime).health.readiness();
    expect(ready.checks).toContainEqual(expect.objectContaining({ name: 'dispatcher', ok: true }));
  });

  it('API: validation and auth', async () => {
    expect((await api('/v1/deliveries')).status).toBe(400);
    expect((await api('/v1/deliveries/nope')).status).toBe(400);
    expect((await api('/v1/deliveries/dlv-000000000000000000000000')).status).toBe(404);
    const viewer = await fetch(base + '/v1/deliveries/dlv-000000000000000000000000/replay', { method: 'POST', headers: await bearer(['ops-viewer']) });
    expect(viewer.status).toBe(403);
    const anon = await fetch(base + '/v1/deliveries?recipient=bank-ok');
    expect(anon.status).toBe(401);
    // Preferences: ops name the customer's bank; a bank integration can only name its own.
    const noBank = await api<{ fields: { field: string }[] }>('/v1/customers/cust-en/preferences');
    expect(noBank.status).toBe(400);
    expect(noBank.body.fields.map((f) => f.field)).toEqual(['bank']);
    expect((await api('/v1/customers/cust-en/preferences?bank=bank-ok')).body).toMatchObject({ bank: 'bank-ok', customerId: 'cust-en', locale: 'en' });
    const otherBank = await fetch(base + '/v1/customers/cust-en/preferences?bank=bank-ok', { headers: { 'x-api-key': TEST_BANK_API_KEY } });
    expect(otherBank.status).toBe(403);
    const r = await api<{ hasWebhookSecret: boolean; webhookSecret?: string }>('/v1/recipients/bank/bank-ok');
    expect(r.body.hasWebhookSecret).toBe(true);
    expect(r.body.webhookSecret).toBeUndefined();
  });
});
