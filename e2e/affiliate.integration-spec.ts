/**
 * The affiliate network end to end, every service its own process over real Kafka and
 * PostgreSQL (as `npm start` runs them): an affiliate applies, is approved with its own rate, gets
 * a link; a browser-like client follows it; the shop's signed postback makes exactly the commission
 * of that rate, charged to the advertiser with the network fee; a resend changes nothing; a
 * partial return reverses a fifth inside the lock period; after it the commission is confirmed
 * and paid in the next affiliate payout batch; the affiliate gets one webhook per change.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearer, dropSchema, eventually, RunningPlatform, startPlatform, testDatabaseUrl, testKafka, uniqueSuffix, useTopicNamespace } from '@prestanda/testing';
import { sign } from '../apps/affiliate/src/conversions/signature';

const BASE_PORT = 24000;
const run = uniqueSuffix();
const ADV = `adv-aff-${run}`;
const PUB = `pub-aff-${run}`;
const CAMPAIGN = `cmp-aff-${run}`;
const PUB_KEY = `aff-key-${run}`;
const sek = (amountMinor: number) => ({ amountMinor, currency: 'SEK' });
const month = new Date().toISOString().slice(0, 7);

const kafka = testKafka();
let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
let platform: RunningPlatform;
let hooks: Server;
const received: { type: string; data: Record<string, unknown> }[] = [];

async function api(service: keyof RunningPlatform['urls'], method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const r = await fetch(platform.urls[service] + path, { method, headers: { 'content-type': 'application/json', ...(headers ?? (await bearer(['ops-admin']))) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

beforeAll(async () => {
  hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  ns = await useTopicNamespace(kafka);
  for (const schema of ['campaigns', 'ingestion', 'offer_matching', 'attribution', 'billing', 'notification', 'affiliate']) await dropSchema(schema);
  const keys = { ...JSON.parse(process.env.AUTH_API_KEYS ?? '{}'), [PUB_KEY]: { source: `aff-${run}`, publisherId: PUB } };
  platform = await startPlatform({
    basePort: BASE_PORT,
    env: {
      DATABASE_URL: testDatabaseUrl(),
      KAFKA_TOPIC_PREFIX: ns.prefix,
      AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET!,
      AUTH_API_KEYS: JSON.stringify(keys),
      // A lock "day" of 2 s: holdPeriodDays 5 passes in 10 s; confirmation checked every 0.5 s.
      AFFILIATE_LOCK_UNIT_SECONDS: '2',
      AFFILIATE_CONFIRM_INTERVAL_MS: '500',
      AFFILIATE_MIN_SECONDS_TO_CONVERT: '0',
    },
  });
}, 240_000);

afterAll(async () => {
  await platform?.stop();
  await ns?.cleanup();
  await new Promise((r) => hooks?.close(r));
});

it('apply → approve with an own rate → link → click → postback → charge with fee → return → confirm → payout; one webhook per change', async () => {
  // The advertiser, its program (CPA on sales, 8 % by default, 20 % network fee, 5-"day" lock), the affiliate.
  expect((await api('campaigns', 'POST', '/v1/advertisers', { id: ADV, name: 'Skobutiken', billingCurrency: 'SEK', merchants: [{ id: `mer-${run}`, name: 'Skobutiken', mids: [], descriptorPatterns: ['SKOBUTIKEN*'], country: 'SE', channels: ['online'] }] })).status).toBe(201);
  expect((await api('campaigns', 'POST', '/v1/publishers', { id: PUB, name: 'Sparkollen', kind: 'affiliate' })).status).toBe(201);
  const created = await api('campaigns', 'POST', '/v1/campaigns', {
    id: CAMPAIGN,
    advertiserId: ADV,
    name: 'Skobutiken affiliate',
    pricing: { model: 'CPA' },
    platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 0 },
    budget: { total: sek(10_000_000) },
    schedule: { startsAt: '2025-01-01T00:00:00Z', timeZone: 'Europe/Stockholm' },
    audience: { segment: 'all' },
    channels: ['online'],
    activation: 'automatic',
    holdPeriodDays: 5,
    affiliate: { landingUrl: 'https://skobutiken.example/', commission: { kind: 'percent', basisPoints: 800 } },
  });
  expect(created.status).toBe(201);
  expect((await api('campaigns', 'POST', `/v1/campaigns/${CAMPAIGN}/activate`, {})).status).toBe(200);
  expect((await api('notification', 'PUT', `/v1/recipients/affiliate/${PUB}`, { webhookUrl: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks`, webhookSecret: 'whsec-e2e-0123456789', defaultLocale: 'en' })).status).toBe(200);

  // The affiliate applies with its own key; ops approve it at 10 %; its link appears.
  expect((await api('campaigns', 'POST', `/v1/campaigns/${CAMPAIGN}/applications`, { message: 'shoe deals newsletter' }, { 'x-api-key': PUB_KEY })).body).toMatchObject({ status: 'pending' });
  expect((await api('campaigns', 'POST', `/v1/campaigns/${CAMPAIGN}/applications/${PUB}/approve`, { commission: { kind: 'percent', basisPoints: 1000 } })).status).toBe(200);
  const link = await eventually(async () => {
    const links = (await api('affiliate', 'GET', '/v1/links', undefined, { 'x-api-key': PUB_KEY })).body as unknown as { campaignId: string; link: string }[];
    const mine = links.find((l) => l.campaignId === CAMPAIGN);
    expect(mine).toBeDefined();
    return mine!.link;
  });

  // A browser-like client follows it: 302 to the shop with a click id.
  const click = await fetch(platform.urls.affiliate + link, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36' } });
  expect(click.status).toBe(302);
  const clickId = new URL(click.headers.get('location')!).searchParams.get('prclid')!;
  expect(clickId).toMatch(/^c_/);

  // The shop's signed postback: 1 250,00 SEK → 10 % = 125,00 SEK commission, + 20 % fee = 150,00 SEK charged.
  const secret = (await api('affiliate', 'POST', `/v1/advertisers/${ADV}/postback-secret`)).body.secret as string;
  const signed = async (path: string, body: unknown) => {
    const raw = JSON.stringify(body);
    const r = await fetch(platform.urls.affiliate + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-prestanda-advertiser': ADV, 'x-prestanda-signature': sign(secret, Math.floor(Date.now() / 1000), raw) }, body: raw });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const sale = { orderId: `ORD-${run}`, amount: sek(125_000), clickId };
  const recorded = await signed('/v1/conversions', sale);
  expect(recorded).toMatchObject({ status: 202, body: { status: 'pending', publisherId: PUB, commission: sek(12_500) } });
  const conversionId = recorded.body.conversionId as string;
  const charge = await eventually(async () => {
    const a = await api('billing', 'GET', `/v1/actions/conversion-cpa/${conversionId}`);
    expect(a.status).toBe(200);
    return a.body;
  });
  expect(charge).toMatchObject({ charged: true, chargeMinor: 15_000, commissionMinor: 12_500, feeMinor: 2_500 });

  // A resent postback changes nothing.
  expect(await signed('/v1/conversions', sale)).toMatchObject({ status: 202, body: { conversionId, duplicate: true } });

  // A return of 250,00 inside the lock period reverses a fifth: 25,00 commission + 5,00 fee credited.
  expect(await signed('/v1/conversions/adjustments', { orderId: sale.orderId, adjustmentId: 'RET-1', kind: 'return', amount: sek(25_000) })).toMatchObject({ status: 200, body: { status: 'pending', commission: sek(10_000) } });
  const invoice = await eventually(async () => {
    const inv = await api('billing', 'GET', `/v1/advertisers/${ADV}/invoices/${month}`);
    const line = (inv.body.invoices as { lines: { campaignId: string; creditsMinor: number; totalMinor: number }[] }[] | undefined)?.[0]?.lines.find((l) => l.campaignId === CAMPAIGN);
    expect(line?.creditsMinor).toBe(3_000);
    return line!;
  });
  expect(invoice.totalMinor).toBe(12_000);

  // After the lock the commission (100,00) is confirmed, and the next affiliate payout batch pays it.
  await eventually(() => expect(received.map((h) => h.type)).toEqual(['conversion.recorded', 'conversion.reversed', 'conversion.confirmed']), { timeoutMs: 60_000 });
  const batches = (await api('billing', 'POST', '/v1/payouts/batches', {})).body.batches as { payeeKind: string; payeeId: string; total: { amountMinor: number } }[];
  expect(batches.filter((b) => b.payeeId === PUB)).toEqual([expect.objectContaining({ payeeKind: 'affiliate', total: sek(10_000) })]);

  // Exactly one webhook per commission change (the payout adds its own, "on its way").
  await eventually(() => expect(received.map((h) => h.type)).toEqual(['conversion.recorded', 'conversion.reversed', 'conversion.confirmed', 'payout.batch-created']));
  expect(received[0].data).toMatchObject({ conversionId, orderId: sale.orderId });
});
