/**
 * The pipeline, end to end: every service as its own process, real topics, a bank producing to
 * inbound.card-transactions with kafkajs exactly as an integration would, and the bank's webhook
 * endpoint receiving the customer's reward messages.
 */
import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import {
  InboundCardTransactionAuthorizationV1,
  InboundCardTransactionRefundV1,
  InboundCardTransactionSettlementV1,
  InboundClickReportedV1,
  newEnvelope,
} from '@prestanda/contracts';
import { EventProducer } from '@prestanda/kafka';
import { bearer, dropSchema, eventually, RunningPlatform, startPlatform, TEST_BANK_SOURCE, testDatabaseUrl, testKafka, uniqueSuffix, useTopicNamespace, withPg } from '@prestanda/testing';

interface Hook {
  type: string;
  body: { type: string; customerId?: string; message: { title: string; text: string }; data: Record<string, unknown> };
  signatureOk: boolean;
}

const SECRET = 'e2e-bank-webhook-secret';
// Unique ids per run: nothing here depends on what an earlier run left behind.
const run = uniqueSuffix();
const ADV = `adv-e2e-${run}`;
const CMP = `cmp-e2e-${run}`;
const MID = `MID-E2E-${run}`;
const kafka = testKafka();
const producer = new EventProducer(kafka);
const hooks: Hook[] = [];
let server: Server;
let hookUrl: string;
let platform: RunningPlatform;
let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
let headers: Record<string, string>;

async function api(service: keyof RunningPlatform['urls'], method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> & { length?: number } }> {
  const r = await fetch(platform.urls[service] + path, { method, headers: { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : {} };
}

const SEK = (amountMinor: number) => ({ amountMinor, currency: 'SEK' });

/** A CPA cashback campaign for every customer who activates it, offered through the test bank. */
const activationCampaign = (id: string, advertiserId: string, terms: { name: string; reward: object; platformFee: object; budget: object }) => ({
  id,
  advertiserId,
  pricing: { model: 'CPA' },
  schedule: { startsAt: '2025-01-01T00:00:00+01:00', timeZone: 'Europe/Stockholm' },
  audience: { segment: 'all', lookbackDays: 365 },
  channels: ['in-store'],
  activation: 'required',
  holdPeriodDays: 2,
  publishers: [{ publisherId: 'pub-bank-test' }],
  ...terms,
});

beforeAll(async () => {
  ns = await useTopicNamespace(kafka);
  for (const schema of ['campaigns', 'ingestion', 'offer_matching', 'attribution', 'billing', 'notification']) await dropSchema(schema);
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const header = String(req.headers['prestanda-signature'] ?? '');
      const [t, v1] = header.split(',').map((p) => p.split('=')[1]);
      const expected = createHmac('sha256', SECRET).update(`${t}.${raw}`).digest('hex');
      const body = JSON.parse(raw) as Hook['body'];
      hooks.push({ type: body.type, body, signatureOk: expected === v1 });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  hookUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`;
  platform = await startPlatform({
    // Below the ephemeral range (32768–60999): a client socket can never hold these.
    basePort: 21100,
    env: {
      DATABASE_URL: testDatabaseUrl(),
      KAFKA_TOPIC_PREFIX: ns.prefix,
      AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET!,
      AUTH_API_KEYS: process.env.AUTH_API_KEYS!,
      ATTRIBUTION_HOLD_UNIT_SECONDS: '1',
      ATTRIBUTION_CONFIRM_POLL_MS: '200',
      DISPATCH_BACKOFF_BASE_MS: '100',
      AUTH_KEY_CACHE_MS: '1000',
    },
  });
  await producer.connect();
  headers = await bearer(['ops-admin']);

  const created = [
    await api('campaigns', 'POST', '/v1/advertisers', {
      id: ADV,
      name: 'Café Luna',
      billingCurrency: 'SEK',
      merchants: [{ id: `mer-e2e-${run}`, name: 'Café Luna Södermalm', mids: [MID], descriptorPatterns: ['CAFE LUNA*'], mccs: ['5814'], country: 'SE', channels: ['in-store'] }],
    }),
    await api('campaigns', 'POST', '/v1/publishers', { id: 'pub-bank-test', name: 'Test Bank', kind: 'bank' }),
    await api('campaigns', 'POST', '/v1/campaigns', activationCampaign(CMP, ADV, {
      name: '10 % back at Café Luna',
      reward: { kind: 'percent', basisPoints: 1000, minSpend: SEK(5000), maxPerPurchase: SEK(10000) },
      platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 3000 },
      budget: { total: SEK(1_000_000), pacing: 'asap' },
    })),
  ];
  expect(created.map((c) => c.status)).toEqual([201, expect.any(Number), 201]); // the bank publisher may exist already
  expect((await api('campaigns', 'POST', `/v1/campaigns/${CMP}/activate`, {})).status).toBe(200);
  expect((await api('notification', 'PUT', `/v1/recipients/bank/${TEST_BANK_SOURCE}`, { webhookUrl: hookUrl, webhookSecret: SECRET, defaultLocale: 'en' })).status).toBe(200);
});

afterAll(async () => {
  await producer.disconnect();
  await platform?.stop();
  server?.close();
  await ns?.cleanup();
});

function purchase(customerId: string, txn: string, amountMinor: number) {
  const at = new Date().toISOString();
  const data = { transactionId: txn, customerId, cardId: `card-${customerId}`, amount: SEK(amountMinor), merchant: { mid: MID, descriptor: 'ZETTLE_*CAFE LUNA SODERMALM', mcc: '5814', country: 'SE' }, channel: 'in-store' as const, transactionAt: at };
  return {
    authorization: newEnvelope(InboundCardTransactionAuthorizationV1, { source: TEST_BANK_SOURCE, occurredAt: at, data }),
    settlement: newEnvelope(InboundCardTransactionSettlementV1, { source: TEST_BANK_SOURCE, occurredAt: at, data: { ...data, transactionId: `${txn}-s`, originalTransactionId: txn } }),
    refund: (refundMinor: number) => newEnvelope(InboundCardTransactionRefundV1, { source: TEST_BANK_SOURCE, occurredAt: new Date().toISOString(), data: { ...data, amount: SEK(refundMinor), transactionId: `${txn}-r`, originalTransactionId: txn, transactionAt: new Date().toISOString() } }),
  };
}

function activation(customerId: string) {
  const at = new Date(Date.now() - 60_000).toISOString();
  return newEnvelope(InboundClickReportedV1, { source: TEST_BANK_SOURCE, occurredAt: at, data: { clickId: `clk-${customerId}`, customerId, campaignId: CMP, publisherId: 'pub-bank-test', kind: 'activation', at } });
}

const hooksFor = (customerId: string, type: string) => hooks.filter((h) => h.body.customerId === customerId && h.type === type);

describe('card-linked cashback through every service', () => {
  it('an activated customer pays at the café: matched, rewarded once, told, confirmed after the hold, advertiser charged', async () => {
    const customer = `cust-e2e-anna-${run}`;
    await producer.send('inbound.clicks', [{ key: customer, event: activation(customer) }]);
    await new Promise((r) => setTimeout(r, 1500)); // the activation is a touchpoint before the purchase
    const p = purchase(customer, `txn-e2e-anna-${run}`, 25_000);
    await producer.send('inbound.card-transactions', [{ key: customer, event: p.authorization }]);
    // The bank retries after a timeout: the same authorization again, then the settlement.
    await producer.send('inbound.card-transactions', [{ key: customer, event: p.authorization }, { key: customer, event: p.settlement }]);

    const [earned] = await eventually(() => {
      const found = hooksFor(customer, 'reward.earned');
      expect(found).toHaveLength(1);
      return found;
    }, { timeoutMs: 90000 });
    expect(earned.signatureOk).toBe(true);
    expect(earned.body.message.text).toContain('SEK 25.00'); // 10 % of 250.00
    await eventually(() => expect(hooksFor(customer, 'reward.confirmed')).toHaveLength(1), { timeoutMs: 90000 });

    const rewards = await api('attribution', 'GET', `/v1/customers/${customer}/rewards`);
    expect(rewards.status).toBe(200);
    expect(JSON.stringify(rewards.json)).toContain('confirmed');
    const checks = await api('billing', 'GET', '/v1/ledger/checks');
    expect(checks.status).toBe(200);
    expect(JSON.stringify(checks.json)).not.toMatch(/"ok":\s*false/);
    const month = new Date().toISOString().slice(0, 7);
    const invoice = await api('billing', 'GET', `/v1/advertisers/${ADV}/invoices/${month}`);
    expect(invoice.status).toBe(200);
    // One reward of 25.00 + a 20 % fee of 5.00, charged once although the authorization came twice.
    const lines = (invoice.json.invoices as { lines: { campaignId: string; units: number; costMinor: number; feesMinor: number; totalMinor: number }[] }[]).flatMap((i) => i.lines);
    expect(lines.find((l) => l.campaignId === CMP)).toMatchObject({ units: 1, costMinor: 2500, feesMinor: 500, totalMinor: 3000 });
    expect(hooksFor(customer, 'reward.earned')).toHaveLength(1);

    // The payout run puts the confirmed cashback in the bank's batch; when the bank accepts it, the customer is told "paid".
    const batch = await eventually(async () => {
      const payoutRun = await api('billing', 'POST', '/v1/payouts/batches', {});
      expect(payoutRun.status).toBe(201);
      const found = (payoutRun.json.batches as { batchId: string; payeeId: string; items: { customerId?: string }[] }[]).find((b) => b.payeeId === TEST_BANK_SOURCE && b.items.some((i) => i.customerId === customer));
      expect(found).toBeDefined();
      return found!;
    }, { timeoutMs: 30000 });
    expect((await api('billing', 'POST', `/v1/payouts/batches/${batch.batchId}/acknowledge`, { status: 'accepted' })).status).toBe(200);
    const [paid] = await eventually(() => {
      const found = hooksFor(customer, 'reward.paid');
      expect(found).toHaveLength(1);
      return found;
    }, { timeoutMs: 30000 });
    expect(paid.signatureOk).toBe(true);
    expect(paid.body.data).toMatchObject({ payoutBatchId: batch.batchId });
  });

  it('a customer who never activated gets no reward and the outcome says why', async () => {
    const customer = `cust-e2e-bo-${run}`;
    const p = purchase(customer, `txn-e2e-bo-${run}`, 30_000);
    await producer.send('inbound.card-transactions', [{ key: customer, event: p.authorization }]);
    const rewards = await eventually(async () => {
      const r = await api('attribution', 'GET', `/v1/customers/${customer}/rewards`);
      expect(JSON.stringify(r.json)).toContain('not-activated');
      return r;
    }, { timeoutMs: 90000 });
    expect(rewards.status).toBe(200);
    expect(hooksFor(customer, 'reward.earned')).toHaveLength(0);
  });

  it('a partial refund claws back its share and the customer is told the reason', async () => {
    const customer = `cust-e2e-cia-${run}`;
    await producer.send('inbound.clicks', [{ key: customer, event: activation(customer) }]);
    await new Promise((r) => setTimeout(r, 1500));
    const p = purchase(customer, `txn-e2e-cia-${run}`, 40_000);
    await producer.send('inbound.card-transactions', [{ key: customer, event: p.authorization }]);
    await eventually(() => expect(hooksFor(customer, 'reward.earned')).toHaveLength(1), { timeoutMs: 90000 });
    await producer.send('inbound.card-transactions', [{ key: customer, event: p.refund(10_000) }]);
    const [reversed] = await eventually(() => {
      const found = hooksFor(customer, 'reward.reversed');
      expect(found).toHaveLength(1);
      return found;
    }, { timeoutMs: 90000 });
    expect(reversed.signatureOk).toBe(true);
    expect(JSON.stringify(reversed.body.data)).toContain('"amountMinor":1000'); // a quarter of 40.00 clawed back
  });

  it('a bank registered in the registry sends with its issued key at ingestion, as itself only; a revoked key stops', async () => {
    const bank = `bank-reg-${run}`.toLowerCase();
    expect((await api('campaigns', 'POST', '/v1/integrations', { id: bank, kind: 'bank', name: 'Registered bank', publisherId: `pub-${bank}` })).status).toBe(201);
    const issued = await api('campaigns', 'POST', `/v1/integrations/${bank}/keys`, {});
    expect(issued.status).toBe(201);
    const apiKey = issued.json.apiKey as string;
    let sent = 0;
    const send = async (source: string) => {
      const at = new Date().toISOString();
      const event = newEnvelope(InboundCardTransactionAuthorizationV1, {
        source,
        occurredAt: at,
        data: { transactionId: `txn-reg-${run}-${++sent}`, customerId: 'c-1001', cardId: 'card-1', amount: SEK(1_000), merchant: { descriptor: 'SOMEWHERE', mcc: '5411', country: 'SE' }, channel: 'in-store', transactionAt: at },
      });
      const r = await fetch(`${platform.urls.ingestion}/v1/card-transactions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey }, body: JSON.stringify(event) });
      return r.status;
    };
    expect(await send(bank)).toBe(202);
    expect(await send(TEST_BANK_SOURCE)).toBe(403); // the key speaks for its own bank only
    expect((await api('campaigns', 'DELETE', `/v1/integrations/${bank}/keys/${issued.json.keyId}`)).status).toBe(204);
    // Services cache a key's answer for AUTH_KEY_CACHE_MS (30 s by default; 1 s here).
    await eventually(async () => expect(await send(bank)).toBe(401), { timeoutMs: 10000, intervalMs: 250 });
  });

  it('purchases of customers who never activated do not use up an activation-required budget', async () => {
    // A budget with room for one reward (10 % of 300 kr + 20 % fee = 36 kr reserved per match).
    const adv = `adv-e2e-leak-${run}`;
    const cmp = `cmp-e2e-leak-${run}`;
    const mid = `MID-LEAK-${run}`;
    expect(
      (
        await api('campaigns', 'POST', '/v1/advertisers', {
          id: adv,
          name: 'Leak test',
          billingCurrency: 'SEK',
          merchants: [{ id: `mer-leak-${run}`, name: 'Leak test store', mids: [mid], descriptorPatterns: [`LEAKSTORE ${run.toUpperCase()}*`], mccs: ['5411'], country: 'SE', channels: ['in-store'] }],
        })
      ).status,
    ).toBe(201);
    const created = await api('campaigns', 'POST', '/v1/campaigns', activationCampaign(cmp, adv, {
      name: 'Activate for 10 %',
      reward: { kind: 'percent', basisPoints: 1000 },
      platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 0 },
      budget: { total: SEK(3_000), pacing: 'asap' },
    }));
    expect(created.status).toBe(201);
    expect((await api('campaigns', 'POST', `/v1/campaigns/${cmp}/activate`, {})).status).toBe(200);
    const buy = (customerId: string, txn: string) => {
      const at = new Date().toISOString();
      const data = { transactionId: txn, customerId, cardId: `card-${customerId}`, amount: SEK(30_000), merchant: { mid, descriptor: `LEAKSTORE ${run.toUpperCase()}`, mcc: '5411', country: 'SE' }, channel: 'in-store' as const, transactionAt: at };
      return newEnvelope(InboundCardTransactionAuthorizationV1, { source: TEST_BANK_SOURCE, occurredAt: at, data });
    };
    const outcome = async (txn: string) =>
      withPg(async (c) => (await c.query(`SELECT outcome, reason_code, released_at FROM offer_matching.match_outcomes WHERE purchase_id = $1 AND campaign_id = $2`, [`${TEST_BANK_SOURCE}:${txn}`, cmp])).rows[0]);

    // Two customers who never activated: matched, then declined by attribution, and the reservation comes back.
    for (const who of ['a', 'b']) {
      const customer = `cust-leak-${who}-${run}`;
      const txn = `txn-leak-${who}-${run}`;
      await producer.send('inbound.card-transactions', [{ key: customer, event: buy(customer, txn) }]);
      await eventually(async () => expect(await outcome(txn)).toMatchObject({ outcome: 'matched', released_at: expect.any(Date) }), { timeoutMs: 60000 });
    }
    // The customer who activated still finds the budget there.
    const activated = `cust-leak-c-${run}`;
    const at = new Date(Date.now() - 60_000).toISOString();
    await producer.send('inbound.clicks', [
      { key: activated, event: newEnvelope(InboundClickReportedV1, { source: TEST_BANK_SOURCE, occurredAt: at, data: { clickId: `clk-leak-${run}`, customerId: activated, campaignId: cmp, publisherId: 'pub-bank-test', kind: 'activation', at } }) },
    ]);
    // The activation reaches attribution before the purchase does.
    await eventually(async () => expect(await withPg(async (c) => (await c.query(`SELECT 1 FROM attribution.touchpoints WHERE touchpoint_id = $1`, [`clk-leak-${run}`])).rowCount)).toBe(1), { timeoutMs: 30000 });
    await producer.send('inbound.card-transactions', [{ key: activated, event: buy(activated, `txn-leak-c-${run}`) }]);
    await eventually(() => expect(hooksFor(activated, 'reward.earned')).toHaveLength(1), { timeoutMs: 90000 });
    expect(await outcome(`txn-leak-c-${run}`)).toMatchObject({ outcome: 'matched', released_at: null });
  });
});
