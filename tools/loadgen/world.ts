import type { CampaignSnapshotV1Data } from '@prestanda/contracts';

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same feed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)];

export interface WorldMerchant {
  advertiserId: string;
  currency: string;
  mid?: string;
  descriptor: string;
  channel: 'online' | 'in-store';
  mcc: string;
  city?: string;
  campaignIds: string[];
}

export interface World {
  merchants: WorldMerchant[];
  campaigns: CampaignSnapshotV1Data[];
}

const BRANDS = ['ICA NARA', 'COOP KONSUM', 'CAFE LUNA', 'ESPRESSO HOUSE', 'NORDIC WEAR', 'STADIUM', 'APOTEKET', 'BOKUS', 'CLAS OHLSON', 'JULA', 'LINDEX', 'KICKS'];
const CITIES = ['STOCKHOLM', 'GOTEBORG', 'MALMO', 'UPPSALA', 'LINKOPING', 'OREBRO'];
const AUDIENCES = ['new', 'existing', 'all', 'lapsed'] as const;

/** Builds a campaign world for benchmarks: advertisers with stores and web shops, campaigns of every audience and pricing model. */
export function syntheticWorld(seed: number, advertisers: number, campaigns: number, bankPublisher: string): World {
  const r = rng(seed);
  const now = new Date();
  const startsAt = new Date(now.getTime() - 24 * 3600 * 1000).toISOString();
  const merchantsByAdvertiser: CampaignSnapshotV1Data['merchants'][] = [];
  const merchants: WorldMerchant[] = [];
  for (let a = 0; a < advertisers; a++) {
    const brand = `${pick(r, BRANDS)} ${a}`;
    const advertiserId = `adv-${seed}-${a}`;
    const list: CampaignSnapshotV1Data['merchants'][number][] = [];
    const stores = 1 + Math.floor(r() * 3);
    for (let s = 0; s < stores; s++) {
      const mid = `${String(seed).padStart(4, '0')}${String(a).padStart(6, '0')}${String(s).padStart(3, '0')}`;
      const city = pick(r, CITIES);
      list.push({ merchantId: `mer-${advertiserId}-${s}`, name: `${brand} ${city}`, mids: [mid], descriptorPatterns: [`${brand}*`], mccs: ['5411'], country: 'SE', channels: ['in-store'] });
      merchants.push({ advertiserId, currency: 'SEK', mid, descriptor: `${brand} ${city} ${100 + s}`, channel: 'in-store', mcc: '5411', city, campaignIds: [] });
    }
    if (r() < 0.5) {
      list.push({ merchantId: `mer-${advertiserId}-web`, name: `${brand} online`, mids: [], descriptorPatterns: [`${brand}.SE*`], country: 'SE', channels: ['online'] });
      merchants.push({ advertiserId, currency: 'SEK', descriptor: `${brand}.SE`, channel: 'online', mcc: '5691', campaignIds: [] });
    }
    merchantsByAdvertiser.push(list);
  }
  const out: CampaignSnapshotV1Data[] = [];
  for (let c = 0; c < campaigns; c++) {
    const a = c % advertisers;
    const advertiserId = `adv-${seed}-${a}`;
    const model = r() < 0.85 ? 'CPA' : pick(r, ['CPC', 'CPM', 'CPL'] as const);
    const campaignId = `cmp-${seed}-${c}`;
    out.push({
      campaignId,
      version: 1,
      name: `Campaign ${c}`,
      advertiserId,
      advertiserName: `Advertiser ${a}`,
      currency: 'SEK',
      merchants: merchantsByAdvertiser[a],
      pricing: model === 'CPA' ? { model } : { model, price: { amountMinor: model === 'CPM' ? 5000 : 200, currency: 'SEK' } },
      reward: model === 'CPA' ? (r() < 0.8 ? { kind: 'percent', basisPoints: 500 + Math.floor(r() * 1000), minSpend: { amountMinor: 5000, currency: 'SEK' }, maxPerPurchase: { amountMinor: 20000, currency: 'SEK' } } : { kind: 'fixed', amount: { amountMinor: 2500, currency: 'SEK' }, minSpend: { amountMinor: 10000, currency: 'SEK' } }) : undefined,
      platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 3000 },
      budget: { total: { amountMinor: 1_000_000_000, currency: 'SEK' }, pacing: 'asap' },
      schedule: { startsAt, timeZone: 'Europe/Stockholm' },
      audience: { segment: AUDIENCES[c % AUDIENCES.length], lookbackDays: 365 },
      channels: ['online', 'in-store'],
      activation: r() < 0.2 ? 'required' : 'automatic',
      windows: { clickDays: 30, viewDays: 1 },
      holdPeriodDays: 30,
      holdoutBasisPoints: 0,
      publishers: [{ publisherId: bankPublisher, kind: 'bank' }],
      status: 'active',
      updatedAt: now.toISOString(),
    });
  }
  return attachCampaigns({ merchants, campaigns: out });
}

/** Links merchants to the campaigns whose advertiser owns them (for touchpoints before purchases). */
export function attachCampaigns(world: World): World {
  const byAdvertiser = new Map<string, string[]>();
  for (const c of world.campaigns) if (c.status === 'active') byAdvertiser.set(c.advertiserId, [...(byAdvertiser.get(c.advertiserId) ?? []), c.campaignId]);
  for (const m of world.merchants) m.campaignIds = byAdvertiser.get(m.advertiserId) ?? [];
  return world;
}

/** The world as any deployment publishes it: from the campaigns topic's snapshots. */
export function worldFromSnapshots(snapshots: CampaignSnapshotV1Data[]): World {
  const latest = new Map<string, CampaignSnapshotV1Data>();
  for (const s of snapshots) if ((latest.get(s.campaignId)?.version ?? -1) < s.version) latest.set(s.campaignId, s);
  const merchants = new Map<string, WorldMerchant>();
  for (const c of latest.values()) {
    for (const m of c.merchants) {
      const city = 'STOCKHOLM';
      const base = m.descriptorPatterns[0]?.replace(/\*$/, '') ?? m.name.toUpperCase();
      if (m.mids.length) for (const mid of m.mids) merchants.set(`mid:${mid}`, { advertiserId: c.advertiserId, currency: c.currency, mid, descriptor: `${base} ${city}`, channel: 'in-store', mcc: m.mccs?.[0] ?? '5411', city, campaignIds: [] });
      else merchants.set(`desc:${base}`, { advertiserId: c.advertiserId, currency: c.currency, descriptor: base, channel: m.channels[0] ?? 'online', mcc: m.mccs?.[0] ?? '5999', campaignIds: [] });
    }
  }
  return attachCampaigns({ merchants: [...merchants.values()], campaigns: [...latest.values()] });
}
