import { INestApplication } from '@nestjs/common';
import { CampaignSnapshotV1, newEnvelope, type CampaignSnapshotV1Data } from '@prestanda/contracts';
import { EventProducer, physicalTopic } from '@prestanda/kafka';
import { schemaDrift } from '@prestanda/persistence';
import { createServiceApp, MessagingRuntime, SecretsResealer } from '@prestanda/service-kit';
import { bearer, dropSchema, eventually, testDatabaseUrl, testKafka, TopicReader, useTopicNamespace } from '@prestanda/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadAffiliateConfig } from '../src/config';
import { ConversionsService } from '../src/conversions/conversions.service';
import { sign } from '../src/conversions/signature';

type Ev = { eventId: string; type: string; data: Record<string, unknown> };
const uid = (p: string) => `${p}-${randomUUID().slice(0, 8)}`;
const ADV = uid('adv');
const DAY = 86_400_000;
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
let ipSeq = 0;
/** A fresh visitor network (/24) per call, so one test's clicks never count against another's limits. */
const newIp = () => `10.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}.9`;

function program(over: Partial<CampaignSnapshotV1Data> = {}): CampaignSnapshotV1Data {
  return {
    ...CampaignSnapshotV1.example,
    campaignId: uid('cmp'),
    version: 1,
    advertiserId: ADV,
    currency: 'SEK',
    pricing: { model: 'CPA' },
    reward: undefined,
    platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 0 },
    windows: { clickDays: 30, viewDays: 1 },
    holdPeriodDays: 14,
    affiliate: {
      landingUrl: 'https://shop.example.se/start',
      deepLinkHosts: ['shop.example.se'],
      clickIdParam: 'prclid',
      fallbackUrl: 'https://shop.example.se/paused',
      commission: { kind: 'percent', basisPoints: 800 },
      voucherRule: 'code-wins',
      approval: 'manual',
    },
    publishers: [
      { publisherId: 'pub-aff-x', kind: 'affiliate', trackingCode: uid('codeX').replace('-', ''), commission: { kind: 'percent', basisPoints: 1000 } },
      { publisherId: 'pub-aff-y', kind: 'affiliate', trackingCode: uid('codeY').replace('-', ''), voucherCodes: ['SPARA10'] },
    ],
    status: 'active',
    ...over,
  } as CampaignSnapshotV1Data;
}

describe('affiliate (real broker and database)', () => {
  const kafka = testKafka();
  let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
  let app: INestApplication;
  let producer: EventProducer;
  let reader: TopicReader;
  let base: string;
  let secret: string;
  let ds: DataSource;
  const originalKeys = process.env.AUTH_API_KEYS;

  beforeAll(async () => {
    ns = await useTopicNamespace(kafka);
    process.env.DATABASE_URL = testDatabaseUrl();
    process.env.AUTH_API_KEYS = JSON.stringify({ ...JSON.parse(originalKeys ?? '{}'), 'aff-x-key': { source: 'aff-x', publisherId: 'pub-aff-x' }, 'aff-y-key': { source: 'aff-y', publisherId: 'pub-aff-y' } });
    await dropSchema('affiliate');
    const config = loadAffiliateConfig({
      ...process.env,
      HTTP_PORT: '0',
      HEALTH_PORT: '0',
      AFFILIATE_CLICK_FLOOD_PER_MINUTE: '3',
      AFFILIATE_RATE_LIMIT_PER_MINUTE: '8',
      AFFILIATE_TRUST_PROXY_HOPS: '1',
      AFFILIATE_CONFIRM_INTERVAL_MS: '0',
      AFFILIATE_LINK_CACHE_MS: '0',
      AFFILIATE_FALLBACK_URL: 'https://prestanda.example/unknown',
    });
    app = await createServiceApp(AppModule.forRoot(config), { service: 'affiliate', title: 't', httpPort: 0, rawBody: true, trustProxy: 1 });
    await app.listen(0);
    await eventually(() => expect(app.get(MessagingRuntime).health.readiness()).resolves.toMatchObject({ ok: true }), { timeoutMs: 60_000 });
    base = await app.getUrl();
    ds = app.get(DataSource);
    producer = new EventProducer(kafka);
    await producer.connect();
    reader = await TopicReader.start(kafka, [physicalTopic('clicks'), physicalTopic('conversions'), physicalTopic('impressions'), physicalTopic('leads')]);
    const res = await fetch(`${base}/v1/advertisers/${ADV}/postback-secret`, { method: 'POST', headers: await bearer(['ops-admin']) });
    expect(res.status).toBe(201);
    secret = ((await res.json()) as { secret: string }).secret;
  });

  afterAll(async () => {
    process.env.AUTH_API_KEYS = originalKeys;
    await reader?.stop();
    await producer?.disconnect();
    await app?.close();
    await ns?.cleanup();
  });

  const publish = async (p: CampaignSnapshotV1Data) => {
    await producer.send('campaigns', [{ key: p.campaignId, event: newEnvelope(CampaignSnapshotV1, { source: 'campaigns', occurredAt: p.updatedAt, data: p }) }]);
    await eventually(async () => expect(await ds.query(`SELECT 1 FROM "affiliate"."programs" WHERE campaign_id = $1 AND version >= $2`, [p.campaignId, p.version])).toHaveLength(1));
  };
  const code = (p: CampaignSnapshotV1Data, publisherId: string) => p.publishers.find((x) => x.publisherId === publisherId)!.trackingCode!;
  const follow = async (path: string, ip = newIp(), userAgent = BROWSER, referer = 'https://blog.example.org/post?email=a@b.se') => {
    const res = await fetch(`${base}${path}`, { redirect: 'manual', headers: { 'user-agent': userAgent, 'x-forwarded-for': ip, referer } });
    const location = res.headers.get('location') ?? '';
    const clickId = location ? (new URL(location).searchParams.get('prclid') ?? undefined) : undefined;
    return { status: res.status, location, clickId };
  };
  const postback = async (body: Record<string, unknown>, opts: { secret?: string; t?: number; path?: string } = {}) => {
    const raw = JSON.stringify(body);
    const res = await fetch(`${base}${opts.path ?? '/v1/conversions'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-prestanda-advertiser': ADV, 'x-prestanda-signature': sign(opts.secret ?? secret, opts.t ?? Math.floor(Date.now() / 1000), raw) },
      body: raw,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { fields?: { field: string }[]; message?: unknown } };
  };
  const eventsOf = (topic: 'clicks' | 'conversions' | 'leads', pred: (e: Ev) => boolean) => reader.of(physicalTopic(topic)).map((m) => m.json<Ev>()).filter(pred);
  /** Everything committed to the outbox has reached Kafka: what is not on the topic now was never sent. */
  const outboxDrained = () => eventually(async () => expect(await ds.query(`SELECT count(*)::int AS n FROM "affiliate"."outbox"`)).toEqual([{ n: 0 }]));
  const order = () => uid('ORD');
  const sek = (amountMinor: number) => ({ amountMinor, currency: 'SEK' });

  it('keeps its schema in step with the entities', async () => {
    expect(await schemaDrift(ds)).toEqual([]);
  });

  it('answers with security headers, and lets other sites load its pixel', async () => {
    const res = await fetch(`${base}/v1/conversions`, { headers: await bearer(['ops-viewer']) });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  describe('the redirect edge', () => {
    const p = program();
    beforeAll(() => publish(p));

    it('answers 302 to the landing URL with a click id, after recording the click and its click.recorded', async () => {
      const r = await follow(`/c/${code(p, 'pub-aff-x')}?sub1=newsletter&sub2=dec`);
      expect(r.status).toBe(302);
      expect(r.location).toMatch(/^https:\/\/shop\.example\.se\/start\?prclid=c_[A-Za-z0-9_-]{22}$/);
      const [row] = await ds.query(`SELECT publisher_id, campaign_id, program_version, sub_ids, referrer_host, ip_hash, fraud_reason FROM "affiliate"."clicks" WHERE click_id = $1`, [r.clickId]);
      expect(row).toMatchObject({ publisher_id: 'pub-aff-x', campaign_id: p.campaignId, program_version: 1, sub_ids: { sub1: 'newsletter', sub2: 'dec' }, referrer_host: 'blog.example.org', fraud_reason: null });
      expect(row.ip_hash).toMatch(/^[0-9a-f]{32}$/);
      const [event] = await eventually(() => {
        const e = eventsOf('clicks', (x) => x.data.clickId === r.clickId);
        expect(e).toHaveLength(1);
        return e;
      });
      expect(event).toMatchObject({ type: 'click.recorded', data: { campaignId: p.campaignId, publisherId: 'pub-aff-x', kind: 'click', reportedBy: 'affiliate' } });
    });

    it('follows a deep link to an allowed host; any other host lands on the landing URL', async () => {
      const ok = await follow(`/c/${code(p, 'pub-aff-x')}?url=${encodeURIComponent('https://shop.example.se/shoes?size=42')}`);
      expect(ok.location).toMatch(/^https:\/\/shop\.example\.se\/shoes\?size=42&prclid=c_/);
      const evil = await follow(`/c/${code(p, 'pub-aff-x')}?url=${encodeURIComponent('https://evil.example/phish')}`);
      expect(evil.location).toMatch(/^https:\/\/shop\.example\.se\/start\?prclid=c_/);
    });

    it('sends an unknown link to the fallback URL and records nothing', async () => {
      const before = await ds.query(`SELECT count(*)::int AS n FROM "affiliate"."clicks"`);
      const r = await follow('/c/NoSuchCode123');
      expect(r).toMatchObject({ status: 302, location: 'https://prestanda.example/unknown' });
      expect(await ds.query(`SELECT count(*)::int AS n FROM "affiliate"."clicks"`)).toEqual(before);
    });

    it("sends a paused program's links to its own fallback URL", async () => {
      const paused = program({ status: 'paused' });
      await publish(paused);
      expect(await follow(`/c/${code(paused, 'pub-aff-x')}`)).toMatchObject({ status: 302, location: 'https://shop.example.se/paused' });
    });

    it('serves the impression pixel (a GIF) and records an impression', async () => {
      const res = await fetch(`${base}/i/${code(p, 'pub-aff-y')}`, { headers: { 'user-agent': BROWSER, 'x-forwarded-for': newIp() } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/gif');
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 6).toString('latin1')).toBe('GIF89a');
      await eventually(() => expect(reader.of(physicalTopic('impressions')).map((m) => m.json<Ev>()).filter((e) => e.data.campaignId === p.campaignId && e.data.publisherId === 'pub-aff-y')).toHaveLength(1));
    });

    it('flags a robot click (302 still, recorded with bot-user-agent, never sent on clicks)', async () => {
      const r = await follow(`/c/${code(p, 'pub-aff-x')}`, newIp(), 'curl/8.5.0');
      expect(r.status).toBe(302);
      expect(await ds.query(`SELECT fraud_reason FROM "affiliate"."clicks" WHERE click_id = $1`, [r.clickId])).toEqual([{ fraud_reason: 'bot-user-agent' }]);
      await outboxDrained();
      expect(eventsOf('clicks', (x) => x.data.clickId === r.clickId)).toEqual([]);
    });

    it('flags click flooding from one network above the limit; the clicks under it are valid', async () => {
      const ip = newIp();
      const clicks = [];
      for (let i = 0; i < 4; i++) clicks.push(await follow(`/c/${code(p, 'pub-aff-x')}`, ip));
      const reasons = await ds.query(`SELECT click_id, fraud_reason FROM "affiliate"."clicks" WHERE click_id = ANY($1::text[])`, [clicks.map((c) => c.clickId)]);
      const byId = new Map(reasons.map((r: { click_id: string; fraud_reason: string | null }) => [r.click_id, r.fraud_reason]));
      expect(clicks.map((c) => byId.get(c.clickId))).toEqual([null, null, null, 'click-flood']);
    });

    it('answers 429 above the per-network rate limit', async () => {
      const ip = newIp();
      const statuses = [];
      for (let i = 0; i < 9; i++) statuses.push((await follow(`/c/${code(p, 'pub-aff-x')}`, ip)).status);
      expect(statuses).toEqual([302, 302, 302, 302, 302, 302, 302, 302, 429]);
    });
  });

  describe('conversion postbacks', () => {
    const p = program();
    beforeAll(() => publish(p));
    const clickThenWait = async (publisherId = 'pub-aff-x') => {
      const r = await follow(`/c/${code(p, publisherId)}`);
      // Too fast to convert is a fraud rule: the sale comes 10 s "after" the click.
      return { ...r, convertedAt: new Date(Date.now() + 10_000).toISOString() };
    };

    it("pays the publisher's own rate by the click, once: a resent postback changes nothing", async () => {
      const c = await clickThenWait();
      const orderId = order();
      const first = await postback({ orderId, amount: sek(125_000), clickId: c.clickId, convertedAt: c.convertedAt });
      expect(first).toMatchObject({ status: 202, body: { status: 'pending', publisherId: 'pub-aff-x', attributedBy: 'click', commission: sek(12_500), duplicate: false } });
      const again = await postback({ orderId, amount: sek(125_000), clickId: c.clickId, convertedAt: c.convertedAt });
      expect(again).toMatchObject({ status: 202, body: { conversionId: first.body.conversionId, duplicate: true } });
      await outboxDrained();
      const events = eventsOf('conversions', (e) => e.data.orderId === orderId);
      expect(events.map((e) => e.type)).toEqual(['conversion.recorded']);
      expect(events[0].data).toMatchObject({ pricingModel: 'CPA', publisherId: 'pub-aff-x', publisherCommission: sek(12_500), platformFee: sek(2_500), advertiserCharge: sek(15_000), orderAmount: sek(125_000), touchpointId: c.clickId });
      expect(events[0].data.rewardId).toBeUndefined();
    });

    it('refuses the same order id claimed with another click (duplicate-order)', async () => {
      const a = await clickThenWait();
      const b = await clickThenWait('pub-aff-y');
      const orderId = order();
      expect((await postback({ orderId, amount: sek(10_000), clickId: a.clickId, convertedAt: a.convertedAt })).status).toBe(202);
      expect(await postback({ orderId, amount: sek(10_000), clickId: b.clickId, convertedAt: b.convertedAt })).toMatchObject({ status: 409, body: { reason: 'duplicate-order', field: 'orderId' } });
    });

    it('reverses a fifth on a return of a fifth inside the lock period, once; confirms the rest after it', async () => {
      const c = await clickThenWait();
      const orderId = order();
      const rec = await postback({ orderId, amount: sek(125_000), clickId: c.clickId, convertedAt: c.convertedAt });
      const ret = { orderId, adjustmentId: 'RET-1', kind: 'return', amount: sek(25_000) };
      expect(await postback(ret, { path: '/v1/conversions/adjustments' })).toMatchObject({ status: 200, body: { status: 'pending', commission: sek(10_000), duplicate: false } });
      expect(await postback(ret, { path: '/v1/conversions/adjustments' })).toMatchObject({ status: 200, body: { duplicate: true } });
      const confirmed = await app.get(ConversionsService).confirmDue(new Date(Date.now() + 15 * DAY));
      expect(confirmed).toBeGreaterThanOrEqual(1);
      expect(await postback({ ...ret, adjustmentId: 'RET-2' }, { path: '/v1/conversions/adjustments' })).toMatchObject({ status: 409, body: { reason: 'lock-period-over' } });
      await outboxDrained();
      const events = eventsOf('conversions', (e) => e.data.conversionId === rec.body.conversionId);
      expect(events.map((e) => e.type)).toEqual(['conversion.recorded', 'conversion.reversed', 'conversion.confirmed']);
      expect(events[1].data).toMatchObject({ reason: 'order-returned', orderAmountAfter: sek(100_000), publisherCommissionReversed: sek(2_500), platformFeeReversed: sek(500), advertiserCredit: sek(3_000) });
      expect(events[2].data).toMatchObject({ publisherCommission: sek(10_000) });
    });

    it('a cancellation reverses everything that remains', async () => {
      const c = await clickThenWait();
      const orderId = order();
      await postback({ orderId, amount: sek(50_000), clickId: c.clickId, convertedAt: c.convertedAt });
      expect(await postback({ orderId, adjustmentId: 'CAN-1', kind: 'cancel' }, { path: '/v1/conversions/adjustments' })).toMatchObject({ status: 200, body: { status: 'reversed', commission: sek(0) } });
    });

    it('pays by the terms in force at the click, not those of a later version', async () => {
      const c = await clickThenWait();
      await publish({ ...p, version: 2, publishers: p.publishers.map((x) => (x.publisherId === 'pub-aff-x' ? { ...x, commission: { kind: 'percent', basisPoints: 100 } } : x)) });
      const r = await postback({ orderId: order(), amount: sek(100_000), clickId: c.clickId, convertedAt: c.convertedAt });
      expect(r.body).toMatchObject({ status: 'pending', commission: sek(10_000) });
      const later = await clickThenWait();
      const r2 = await postback({ orderId: order(), amount: sek(100_000), clickId: later.clickId, convertedAt: later.convertedAt });
      expect(r2.body).toMatchObject({ status: 'pending', commission: sek(1_000) });
    });

    it('a basket earns by commission group per line, the base rate on the rest; a basket that does not add up is 400', async () => {
      const grouped = program({
        affiliate: { ...program().affiliate!, commissionGroups: [{ group: 'electronics', categories: ['phones'], commission: { kind: 'percent', basisPoints: 300 } }] },
      });
      await publish(grouped);
      const r = await follow(`/c/${code(grouped, 'pub-aff-y')}`);
      const convertedAt = new Date(Date.now() + 10_000).toISOString();
      const basket = [
        { sku: 'P-1', category: 'Phones', quantity: 1, amountMinor: 100_000 },
        { sku: 'S-1', category: 'shoes', quantity: 1, amountMinor: 25_000 },
      ];
      // pub-aff-y has no own rate: 3 % of 1 000,00 + the program's 8 % of 250,00 = 30,00 + 20,00.
      expect((await postback({ orderId: order(), amount: sek(125_000), clickId: r.clickId, basket, convertedAt })).body).toMatchObject({ status: 'pending', commission: sek(5_000) });
      const wrong = await postback({ orderId: order(), amount: sek(130_000), clickId: r.clickId, basket, convertedAt });
      expect(wrong).toMatchObject({ status: 400, body: { fields: [{ field: 'basket' }] } });
    });

    it("credits a voucher-code sale with no click to the code's publisher, at the program rate", async () => {
      const r = await postback({ orderId: order(), amount: sek(100_000), voucherCode: 'spara10' });
      expect(r).toMatchObject({ status: 202, body: { status: 'pending', publisherId: 'pub-aff-y', attributedBy: 'voucher-code', commission: sek(8_000) } });
    });

    it("a click of X and a code of Y: code-wins credits Y; a click-wins program credits X", async () => {
      const x = await clickThenWait();
      expect((await postback({ orderId: order(), amount: sek(100_000), clickId: x.clickId, voucherCode: 'SPARA10', convertedAt: x.convertedAt })).body).toMatchObject({ publisherId: 'pub-aff-y', attributedBy: 'voucher-code' });
      const cw = program({ affiliate: { ...program().affiliate!, voucherRule: 'click-wins' } });
      await publish(cw);
      const r = await follow(`/c/${code(cw, 'pub-aff-x')}`);
      const convertedAt = new Date(Date.now() + 10_000).toISOString();
      // The code is the advertiser's in two programs: the clicked program's code is the one read.
      expect((await postback({ orderId: order(), amount: sek(100_000), clickId: r.clickId, voucherCode: 'SPARA10', convertedAt })).body).toMatchObject({ publisherId: 'pub-aff-x', attributedBy: 'click' });
    });

    it('records an unknown click id as unattributed (202, not lost) and sends nothing', async () => {
      const orderId = order();
      expect(await postback({ orderId, amount: sek(10_000), clickId: 'c_doesnotexist' })).toMatchObject({ status: 202, body: { status: 'unattributed', holdReason: 'unknown-click-id' } });
      expect(await ds.query(`SELECT status FROM "affiliate"."conversions" WHERE order_id = $1`, [orderId])).toEqual([{ status: 'unattributed' }]);
      await outboxDrained();
      expect(eventsOf('conversions', (e) => e.data.orderId === orderId)).toEqual([]);
    });

    it('holds a sale too soon after its click, one after the cookie window, one of a flagged click, a self-referral — with reasons', async () => {
      const fast = await follow(`/c/${code(p, 'pub-aff-x')}`);
      const late = await follow(`/c/${code(p, 'pub-aff-x')}`);
      const bot = await follow(`/c/${code(p, 'pub-aff-x')}`, newIp(), 'python-requests/2.31');
      const self = await follow(`/c/${code(p, 'pub-aff-x')}`, newIp(), BROWSER, 'https://shop.example.se/cart');
      const held = [
        await postback({ orderId: order(), amount: sek(10_000), clickId: fast.clickId, convertedAt: new Date(Date.now() + 1_000).toISOString() }),
        await postback({ orderId: order(), amount: sek(10_000), clickId: late.clickId, convertedAt: new Date(Date.now() + 31 * DAY).toISOString() }),
        await postback({ orderId: order(), amount: sek(10_000), clickId: bot.clickId, convertedAt: new Date(Date.now() + 60_000).toISOString() }),
        await postback({ orderId: order(), amount: sek(10_000), clickId: self.clickId, convertedAt: new Date(Date.now() + 60_000).toISOString() }),
      ];
      expect(held.map((h) => [h.status, h.body.status, h.body.holdReason])).toEqual([
        [202, 'held', 'too-fast-to-convert'],
        [202, 'held', 'no-click-in-window'],
        [202, 'held', 'flagged-click'],
        [202, 'held', 'self-referral'],
      ]);
      const list = await fetch(`${base}/v1/conversions?status=held`, { headers: await bearer(['advertiser'], ADV) });
      expect(((await list.json()) as { orderId: string }[]).map((c) => c.orderId)).toEqual(expect.arrayContaining(held.map((h) => h.body.orderId)));
      await outboxDrained();
      expect(eventsOf('conversions', (e) => held.some((h) => h.body.conversionId === e.data.conversionId))).toEqual([]);

      // Ops review: release pays the first as recorded; reject closes the second; a second decision is 409.
      const review = async (id: unknown, decision: string, headers?: Record<string, string>) => {
        const r = await fetch(`${base}/v1/conversions/${id}/review`, { method: 'POST', headers: { 'content-type': 'application/json', ...(headers ?? (await bearer(['ops-admin']))) }, body: JSON.stringify({ decision }) });
        return { status: r.status, body: (await r.json()) as Record<string, unknown> };
      };
      expect((await review(held[0].body.conversionId, 'release', await bearer(['advertiser'], ADV))).status).toBe(403);
      expect(await review(held[0].body.conversionId, 'release')).toMatchObject({ status: 200, body: { status: 'pending' } });
      expect(await review(held[1].body.conversionId, 'reject')).toMatchObject({ status: 200, body: { status: 'rejected' } });
      expect(await review(held[0].body.conversionId, 'reject')).toMatchObject({ status: 409, body: { reason: 'not-held' } });
      await eventually(() => expect(eventsOf('conversions', (e) => e.data.conversionId === held[0].body.conversionId).map((e) => e.type)).toEqual(['conversion.recorded']));
      await outboxDrained();
      expect(eventsOf('conversions', (e) => e.data.conversionId === held[1].body.conversionId)).toEqual([]);
    });
  });

  describe('leads (CPL programs)', () => {
    const cpl = program({ pricing: { model: 'CPL', price: sek(5_000) } });
    beforeAll(() => publish(cpl));

    it("credits a lead to its click's publisher (the shop names none) and sends lead.recorded; a sale postback to a CPL program is 400 naming kind", async () => {
      const c = await follow(`/c/${code(cpl, 'pub-aff-y')}`);
      const leadId = order();
      const r = await postback({ kind: 'lead', orderId: leadId, clickId: c.clickId, convertedAt: new Date(Date.now() + 10_000).toISOString() });
      expect(r).toMatchObject({ status: 202, body: { status: 'lead-recorded', publisherId: 'pub-aff-y', attributedBy: 'click' } });
      const [lead] = await eventually(() => {
        const e = eventsOf('leads', (x) => x.data.leadId === `${ADV}:${leadId}`);
        expect(e).toHaveLength(1);
        return e;
      });
      expect(lead).toMatchObject({ type: 'lead.recorded', data: { campaignId: cpl.campaignId, publisherId: 'pub-aff-y', clickId: c.clickId, reportedBy: 'affiliate' } });
      const sale = await postback({ orderId: order(), amount: sek(10_000), clickId: c.clickId, convertedAt: new Date(Date.now() + 10_000).toISOString() });
      expect(sale).toMatchObject({ status: 400, body: { fields: [{ field: 'kind' }] } });
      expect(await postback({ orderId: leadId, adjustmentId: 'R', kind: 'cancel' }, { path: '/v1/conversions/adjustments' })).toMatchObject({ status: 409, body: { reason: 'lead' } });
    });
  });

  describe('secrets at rest', () => {
    it('the postback secret is stored sealed (AES-256-GCM), never in clear; a plain legacy row is resealed at boot and still verifies', async () => {
      const [{ secret: stored }] = await ds.query(`SELECT secret FROM "affiliate"."postback_secrets" WHERE advertiser_id = $1`, [ADV]);
      expect(stored).toMatch(/^enc:v1:[0-9a-f]{8}:/);
      expect(stored).not.toContain(secret);
      const legacy = uid('adv-legacy');
      await ds.query(`INSERT INTO "affiliate"."postback_secrets" (advertiser_id, secret, created_at) VALUES ($1, 'plain-legacy-secret-0001', now())`, [legacy]);
      await app.get(SecretsResealer).reseal();
      const [{ secret: resealed }] = await ds.query(`SELECT secret FROM "affiliate"."postback_secrets" WHERE advertiser_id = $1`, [legacy]);
      expect(resealed).toMatch(/^enc:v1:/);
      const raw = JSON.stringify({ orderId: order(), amount: sek(1_000) });
      const r = await fetch(`${base}/v1/conversions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-prestanda-advertiser': legacy, 'x-prestanda-signature': sign('plain-legacy-secret-0001', Math.floor(Date.now() / 1000), raw) }, body: raw });
      expect(r.status).toBe(202);
    });
  });

  describe('bad input', () => {
    const p = program();
    beforeAll(() => publish(p));

    it('a bad signature is 401 naming the problem; a stale one too', async () => {
      const wrong = await postback({ orderId: order(), amount: sek(1_000) }, { secret: 'not-the-secret' });
      expect(wrong).toMatchObject({ status: 401, body: { message: expect.stringContaining('does not match') } });
      const stale = await postback({ orderId: order(), amount: sek(1_000) }, { t: Math.floor(Date.now() / 1000) - 3600 });
      // The server's clock may have ticked a second past the test's.
      expect(stale).toMatchObject({ status: 401, body: { message: expect.stringMatching(/ is 360[01] s from now; at most 300 s is accepted$/) } });
      const unsigned = await fetch(`${base}/v1/conversions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: order(), amount: sek(1_000) }) });
      expect(unsigned.status).toBe(401);
    });

    it('a negative amount or another currency is 400 naming the field', async () => {
      const neg = await postback({ orderId: order(), amount: { amountMinor: -100, currency: 'SEK' } });
      expect(neg.status).toBe(400);
      expect(neg.body.fields!.map((f) => f.field)).toEqual(['amount.amountMinor']);
      const c = await follow(`/c/${code(p, 'pub-aff-x')}`);
      const eur = await postback({ orderId: order(), amount: { amountMinor: 100, currency: 'EUR' }, clickId: c.clickId, convertedAt: new Date(Date.now() + 10_000).toISOString() });
      expect(eur).toMatchObject({ status: 400, body: { fields: [{ field: 'amount.currency' }] } });
    });

    it('a card number anywhere is refused and never stored', async () => {
      const pan = '4111111111111111';
      const r = await postback({ orderId: `ORD-${pan}`, amount: sek(1_000) });
      expect(r).toMatchObject({ status: 400, body: { fields: [{ field: 'orderId' }] } });
      expect(JSON.stringify(r.body)).not.toContain(pan);
      const link = await follow(`/c/${code(p, 'pub-aff-x')}?sub1=${pan}`);
      expect(link.status).toBe(302);
      const stored = await ds.query(`SELECT count(*)::int AS n FROM "affiliate"."conversions" c WHERE c::text LIKE $1`, [`%${pan}%`]);
      const clicks = await ds.query(`SELECT count(*)::int AS n FROM "affiliate"."clicks" c WHERE c::text LIKE $1`, [`%${pan}%`]);
      expect([stored, clicks]).toEqual([[{ n: 0 }], [{ n: 0 }]]);
    });

    it('the GET pixel postback checks its signature over the canonical query', async () => {
      const c = await follow(`/c/${code(p, 'pub-aff-x')}`);
      const t = String(Math.floor(Date.now() / 1000));
      const q: Record<string, string> = { adv: ADV, orderId: order(), amountMinor: '20000', currency: 'SEK', clickId: c.clickId!, t };
      const canonical = Object.keys(q).sort().map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(q[k])}`).join('&');
      const sig = sign(secret, Number(t), canonical).split('v1=')[1];
      const bad = await fetch(`${base}/v1/conversions/pixel?${new URLSearchParams({ ...q, sig: '00' + sig.slice(2) })}`);
      expect(bad.status).toBe(401);
      // A sale 0 s after the click from a pixel is held as too fast: it is still recorded.
      const good = await fetch(`${base}/v1/conversions/pixel?${new URLSearchParams({ ...q, sig })}`);
      expect(good.status).toBe(200);
      expect(good.headers.get('content-type')).toBe('image/gif');
      expect(await ds.query(`SELECT status FROM "affiliate"."conversions" WHERE order_id = $1`, [q.orderId])).toHaveLength(1);
    });
  });

  describe('reports and links: the caller sees only its own', () => {
    it("a publisher's key reads its own links and report; another's id is 403", async () => {
      const links = await fetch(`${base}/v1/links`, { headers: { 'x-api-key': 'aff-x-key' } });
      expect(links.status).toBe(200);
      const list = (await links.json()) as { link: string; campaignId: string }[];
      expect(list.length).toBeGreaterThan(0);
      expect(list.every((l) => /^\/c\/[A-Za-z0-9_-]+$/.test(l.link))).toBe(true);
      const own = await fetch(`${base}/v1/reports/publisher`, { headers: { 'x-api-key': 'aff-x-key' } });
      const report = (await own.json()) as { publisherId: string; days: { clicks: number; conversions: number; commissionPendingMinor: number; commissionConfirmedMinor: number }[] };
      expect(report.publisherId).toBe('pub-aff-x');
      expect(report.days.reduce((s, d) => s + d.clicks, 0)).toBeGreaterThan(0);
      expect(report.days.reduce((s, d) => s + d.commissionConfirmedMinor, 0)).toBeGreaterThanOrEqual(10_000);
      expect((await fetch(`${base}/v1/reports/publisher?id=pub-aff-y`, { headers: { 'x-api-key': 'aff-x-key' } })).status).toBe(403);
    });

    it("an advertiser's token reads its own programs' report; another advertiser's is 403", async () => {
      const own = await fetch(`${base}/v1/reports/advertiser`, { headers: await bearer(['advertiser'], ADV) });
      const body = (await own.json()) as { advertiserId: string; days: { publisherId: string }[] };
      expect(body.advertiserId).toBe(ADV);
      expect(new Set(body.days.map((d) => d.publisherId))).toEqual(new Set(['pub-aff-x', 'pub-aff-y']));
      expect((await fetch(`${base}/v1/reports/advertiser?id=${ADV}`, { headers: await bearer(['advertiser'], 'adv-other') })).status).toBe(403);
    });
  });
});
