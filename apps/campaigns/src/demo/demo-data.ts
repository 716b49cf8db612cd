/**
 * Demo data for the campaigns service, created through its HTTP API (so it goes through the
 * same validation, outbox and campaign.snapshot events as anything an operator does).
 *
 *   import { seedDemo } from 'apps/campaigns/src/demo/demo-data';
 *   await seedDemo('http://127.0.0.1:3001', opsAdminBearerToken);
 *
 * or from a shell (signs an ops-admin token with AUTH_JWT_SECRET when DEMO_TOKEN is unset):
 *
 *   CAMPAIGNS_URL=http://127.0.0.1:3001 AUTH_JWT_SECRET=… node -r @swc-node/register apps/campaigns/src/demo/demo-data.ts
 *
 * Idempotent: fixed ids; what exists already (409) is left as it is, so it can run on every start.
 */
import { signLocalToken } from '@prestanda/auth';

export interface DemoSeedResult {
  advertisers: string[];
  publishers: string[];
  /** Every demo campaign with its status after seeding (all `active` on a fresh database). */
  campaigns: { id: string; advertiserId: string; audience: string; status: string }[];
  /** The demo affiliate's tracking links: `/c/<code>` on the affiliate service. */
  trackingLinks: { campaignId: string; publisherId: string; path: string }[];
}

export const DEMO_IDS = {
  grocery: 'adv-demo-grocery',
  fashion: 'adv-demo-fashion',
  cafe: 'adv-demo-cafe',
  bank: 'pub-bank-demo-se',
  affiliate: 'pub-affiliate-demo',
} as const;

const SEK = (kronor: number) => ({ amountMinor: Math.round(kronor * 100), currency: 'SEK' });
const STARTS = '2025-01-01T00:00:00+01:00';
const TZ = 'Europe/Stockholm';

const ADVERTISERS = [
  {
    id: DEMO_IDS.grocery,
    name: 'Nära Livs',
    billingCurrency: 'SEK',
    merchants: [
      { id: 'mer-demo-grocery-hokarangen', name: 'Nära Livs Hökarängen', mids: ['MID-NL-0001', 'MID-NL-0002'], descriptorPatterns: ['NARA LIVS HOKARANGEN*'], mccs: ['5411'], country: 'SE', channels: ['in-store'] },
      { id: 'mer-demo-grocery-sodermalm', name: 'Nära Livs Södermalm', mids: ['MID-NL-0101'], descriptorPatterns: ['NARA LIVS SODERMALM*', 'NARALIVS SODER*'], mccs: ['5411'], country: 'SE', channels: ['in-store'] },
      { id: 'mer-demo-grocery-goteborg', name: 'Nära Livs Göteborg C', mids: ['MID-NL-0201'], descriptorPatterns: ['NARA LIVS GOTEBORG*'], mccs: ['5411'], country: 'SE', channels: ['in-store'] },
    ],
  },
  {
    id: DEMO_IDS.fashion,
    name: 'Fashion brand',
    billingCurrency: 'SEK',
    merchants: [{ id: 'mer-demo-fashion-web', name: 'Fashion brand web shop', mids: [], descriptorPatterns: ['FASHIONBRAND.SE*', 'FASHION BRAND ONLINE*'], mccs: ['5651'], country: 'SE', channels: ['online'] }],
  },
  {
    id: DEMO_IDS.cafe,
    name: 'Kaffebaren',
    billingCurrency: 'SEK',
    merchants: [
      { id: 'mer-demo-cafe-stureplan', name: 'Kaffebaren Stureplan', mids: ['MID-KB-0001'], descriptorPatterns: ['KAFFEBAREN STUREPLAN*'], mccs: ['5814'], country: 'SE', channels: ['in-store'] },
      { id: 'mer-demo-cafe-odenplan', name: 'Kaffebaren Odenplan', mids: ['MID-KB-0002'], descriptorPatterns: ['KAFFEBAREN ODENPLAN*'], mccs: ['5814'], country: 'SE', channels: ['in-store'] },
    ],
  },
];

const PUBLISHERS = [
  { id: DEMO_IDS.bank, name: 'Demo Bank Sverige', kind: 'bank' },
  { id: DEMO_IDS.affiliate, name: 'Cashbacksajten (affiliate)', kind: 'affiliate', website: 'https://cashback.example' },
];

const fee = { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 3000 };

const CAMPAIGNS = [
  {
    id: 'cmp-demo-grocery-new',
    advertiserId: DEMO_IDS.grocery,
    name: '10 % cashback at Nära Livs for new customers',
    pricing: { model: 'CPA' },
    reward: { kind: 'percent', basisPoints: 1000, minSpend: SEK(200), maxPerPurchase: SEK(100), maxRewardsPerCustomer: 1 },
    platformFee: fee,
    budget: { total: SEK(50_000), daily: SEK(5_000), pacing: 'asap' },
    schedule: { startsAt: STARTS, timeZone: TZ },
    audience: { segment: 'new', lookbackDays: 365 },
    channels: ['in-store'],
    activation: 'required',
    holdoutBasisPoints: 1000,
    publishers: [{ publisherId: DEMO_IDS.bank }],
  },
  {
    id: 'cmp-demo-grocery-loyal',
    advertiserId: DEMO_IDS.grocery,
    name: '5 % back for Nära Livs regulars',
    pricing: { model: 'CPA' },
    reward: { kind: 'percent', basisPoints: 500, minSpend: SEK(100), maxPerPurchase: SEK(50), maxRewardsPerCustomer: 5 },
    platformFee: fee,
    budget: { total: SEK(30_000), pacing: 'even' },
    schedule: { startsAt: STARTS, timeZone: TZ },
    audience: { segment: 'existing', lookbackDays: 90 },
    channels: ['in-store'],
    activation: 'automatic',
    publishers: [{ publisherId: DEMO_IDS.bank }],
  },
  {
    id: 'cmp-demo-fashion-new',
    advertiserId: DEMO_IDS.fashion,
    name: '100 kr off your first Fashion brand order',
    pricing: { model: 'CPA' },
    reward: { kind: 'fixed', amount: SEK(100), minSpend: SEK(500), maxRewardsPerCustomer: 1 },
    platformFee: { kind: 'fixed', amount: SEK(15), publisherShareBasisPoints: 5000 },
    budget: { total: SEK(20_000), pacing: 'asap' },
    schedule: { startsAt: STARTS, timeZone: TZ },
    audience: { segment: 'new', lookbackDays: 365 },
    channels: ['online'],
    activation: 'required',
    windows: { clickDays: 30, viewDays: 1 },
    publishers: [{ publisherId: DEMO_IDS.bank }, { publisherId: DEMO_IDS.affiliate, voucherCodes: ['FASHION100'] }],
  },
  {
    // An affiliate sales program: no cashback, 8 % commission on orders (the affiliate's own 10 %),
    // 20 % network fee on top, a 14-day return period; links /c/<trackingCode> land on the shop.
    id: 'cmp-demo-fashion-affiliate',
    advertiserId: DEMO_IDS.fashion,
    name: 'Fashion brand affiliate program',
    pricing: { model: 'CPA' },
    platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 0 },
    budget: { total: SEK(100_000), pacing: 'asap' },
    schedule: { startsAt: STARTS, timeZone: TZ },
    audience: { segment: 'all', lookbackDays: 365 },
    channels: ['online'],
    activation: 'automatic',
    holdPeriodDays: 14,
    affiliate: { landingUrl: 'https://fashionbrand.example/', deepLinkHosts: ['fashionbrand.example'], commission: { kind: 'percent', basisPoints: 800 }, approval: 'manual' },
    publishers: [{ publisherId: DEMO_IDS.affiliate, voucherCodes: ['FASHION8'], commission: { kind: 'percent', basisPoints: 1000 } }],
  },
  {
    id: 'cmp-demo-cafe-loyal',
    advertiserId: DEMO_IDS.cafe,
    name: '20 % on weekday morning coffee for Kaffebaren regulars',
    pricing: { model: 'CPA' },
    reward: { kind: 'percent', basisPoints: 2000, maxPerPurchase: SEK(20), maxRewardsPerCustomer: 10 },
    platformFee: fee,
    budget: { total: SEK(10_000), daily: SEK(500), pacing: 'even' },
    schedule: { startsAt: STARTS, daysOfWeek: [1, 2, 3, 4, 5], hours: { from: '06:00', to: '10:00' }, timeZone: TZ },
    audience: { segment: 'existing', lookbackDays: 60 },
    channels: ['in-store'],
    activation: 'automatic',
    publishers: [{ publisherId: DEMO_IDS.bank }],
  },
];

/** Creates the demo advertisers, publishers and campaigns (activated) through the API at baseUrl. */
export async function seedDemo(baseUrl: string, token: string): Promise<DemoSeedResult> {
  const url = baseUrl.replace(/\/+$/, '');
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const r = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.replace(/^Bearer /, '')}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const create = async (path: string, body: { id: string }) => {
    const r = await call('POST', path, body);
    if (r.status !== 201 && r.status !== 409) throw new Error(`seedDemo: POST ${path} ${body.id} → ${r.status} ${JSON.stringify(r.body)}`);
  };

  for (const a of ADVERTISERS) await create('/v1/advertisers', a);
  for (const p of PUBLISHERS) await create('/v1/publishers', p);
  const campaigns: DemoSeedResult['campaigns'] = [];
  for (const c of CAMPAIGNS) {
    await create('/v1/campaigns', c);
    const current = await call('GET', `/v1/campaigns/${c.id}`);
    let status = (current.body as { status?: string }).status ?? 'unknown';
    if (status === 'draft') {
      const r = await call('POST', `/v1/campaigns/${c.id}/activate`, {});
      if (r.status !== 200) throw new Error(`seedDemo: activate ${c.id} → ${r.status} ${JSON.stringify(r.body)}`);
      status = (r.body as { status: string }).status;
    }
    campaigns.push({ id: c.id, advertiserId: c.advertiserId, audience: c.audience.segment, status });
  }
  const affiliateProgram = (await call('GET', '/v1/campaigns/cmp-demo-fashion-affiliate')).body as { publishers?: { publisherId: string; trackingCode?: string }[] };
  const trackingLinks = (affiliateProgram.publishers ?? []).filter((p) => p.trackingCode).map((p) => ({ campaignId: 'cmp-demo-fashion-affiliate', publisherId: p.publisherId, path: `/c/${p.trackingCode}` }));
  return { advertisers: ADVERTISERS.map((a) => a.id), publishers: PUBLISHERS.map((p) => p.id), campaigns, trackingLinks };
}

if (require.main === module) {
  (async () => {
    const baseUrl = process.env.CAMPAIGNS_URL ?? 'http://127.0.0.1:3001';
    const secret = process.env.AUTH_JWT_SECRET;
    const token = process.env.DEMO_TOKEN ?? (secret ? await signLocalToken(secret, { sub: 'demo-seed', roles: ['ops-admin'] }) : undefined);
    if (!token) throw new Error('set DEMO_TOKEN or AUTH_JWT_SECRET');
    console.log(JSON.stringify(await seedDemo(baseUrl, token), null, 2));
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
