import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import {
  BudgetExhaustedV1,
  AttributionDeclinedV1,
  BudgetReplenishedV1,
  CampaignSnapshotV1,
  CardTransactionAuthorizedV1,
  CardTransactionRefundedV1,
  CardTransactionSettledV1,
  ClickRecordedV1,
  SpendLimitExhaustedV1,
  newEnvelope,
  type CampaignSnapshotV1Data,
  type CardTransactionData,
  type OfferMatchDeclinedV1Data,
  type OfferMatchMatchedV1Data,
} from '@prestanda/contracts';
import { EventProducer, physicalTopic } from '@prestanda/kafka';
import { schemaDrift } from '@prestanda/persistence';
import { createServiceApp, MessagingRuntime } from '@prestanda/service-kit';
import { bearer, dropSchema, eventually, testDatabaseUrl, testKafka, TopicReader, uniqueSuffix, useTopicNamespace } from '@prestanda/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadOfferMatchingConfig } from '../src/config';
import { campaignSnapshot } from '../src/matching/fixtures';
import { MatchingService } from '../src/matching/matching.service';
import { inHoldout } from '../src/matching/rules';

const kafka = testKafka();
let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
let app: INestApplication;
let producer: EventProducer;
let reader: TopicReader;
let db: DataSource;
let baseUrl: string;

const run = uniqueSuffix();
const BANK = 'bank-test';
const DAY = 86_400_000;
/** Friday 2025-03-14 13:00 in Stockholm. */
const T0 = Date.parse('2025-03-14T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked with matchers
type Json = any;
type MatchEvent = { type: string; eventId: string; data: OfferMatchMatchedV1Data & Partial<OfferMatchDeclinedV1Data> };

function campaign(id: string, advertiserId: string, mid: string, over: Partial<CampaignSnapshotV1Data> = {}): CampaignSnapshotV1Data {
  return campaignSnapshot({
    campaignId: `${id}-${run}`,
    advertiserId: `${advertiserId}-${run}`,
    merchants: [{ merchantId: `mer-${advertiserId}-${run}`, name: 'Store', mids: [`${mid}-${run}`], descriptorPatterns: [`${advertiserId.toUpperCase()} STORE*`], country: 'SE', channels: ['in-store', 'online'] }],
    ...over,
  });
}

async function publishCampaigns(...campaigns: CampaignSnapshotV1Data[]): Promise<void> {
  await producer.send(
    'campaigns',
    campaigns.map((c) => ({ key: c.campaignId, event: newEnvelope(CampaignSnapshotV1, { source: 'campaigns', occurredAt: c.updatedAt, data: c }) })),
  );
  await eventually(async () => {
    const rows: { campaign_id: string; version: number }[] = await db.query(`SELECT campaign_id, version FROM offer_matching.campaigns WHERE campaign_id = ANY($1)`, [campaigns.map((c) => c.campaignId)]);
    for (const c of campaigns) expect(rows.find((r) => r.campaign_id === c.campaignId)?.version).toBeGreaterThanOrEqual(c.version);
  });
}

interface TxInit {
  customer: string;
  mid?: string;
  descriptor?: string;
  amount?: number;
  currency?: string;
  channel?: 'online' | 'in-store';
  at?: number;
  txId?: string;
  original?: string;
  mcc?: string;
  /** The reporting bank (default BANK). */
  bank?: string;
}

function txData(init: TxInit): CardTransactionData {
  const transactionId = init.txId ?? `txn-${randomUUID()}`;
  return {
    transactionId,
    ...(init.original ? { originalTransactionId: init.original } : {}),
    customerId: `${init.customer}-${run}`,
    cardId: 'card-1',
    amount: { amountMinor: init.amount ?? 42_950, currency: init.currency ?? 'SEK' },
    merchant: { ...(init.mid ? { mid: `${init.mid}-${run}` } : {}), descriptor: init.descriptor ?? 'SOME SHOP', normalisedDescriptor: init.descriptor ?? 'SOME SHOP', mcc: init.mcc ?? '5411' },
    channel: init.channel ?? 'in-store',
    transactionAt: iso(init.at ?? T0),
    bankSource: init.bank ?? BANK,
    purchaseId: `${init.bank ?? BANK}:${init.original ?? transactionId}`,
    inboundEventId: randomUUID(),
  };
}

async function authorize(init: TxInit): Promise<CardTransactionData> {
  const data = txData(init);
  await producer.send('card-transactions', [{ key: data.customerId, event: newEnvelope(CardTransactionAuthorizedV1, { source: 'ingestion', occurredAt: data.transactionAt, data }) }]);
  return data;
}

function matchesOf(purchaseId: string): MatchEvent[] {
  return reader
    .of(physicalTopic('offer-matches'))
    .map((m) => m.json<MatchEvent>())
    .filter((e) => e.data.purchaseId === purchaseId);
}

/** Waits for `count` outcomes of the purchase and returns campaignId (without run suffix) → "matched" | reason. */
async function outcomesOf(purchaseId: string, count: number): Promise<Record<string, string>> {
  return eventually(() => {
    const events = matchesOf(purchaseId);
    expect(events.length).toBe(count);
    return Object.fromEntries(events.map((e) => [e.data.campaignId.replace(`-${run}`, ''), e.type === 'offer-match.matched' ? 'matched' : e.data.reasonCode!]));
  });
}

async function api(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(baseUrl + path, { headers: Object.keys(headers).length ? headers : await bearer(['ops-admin']) });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  ns = await useTopicNamespace(kafka);
  process.env.DATABASE_URL = testDatabaseUrl();
  await dropSchema('offer_matching');
  const config = loadOfferMatchingConfig({ ...process.env, HTTP_PORT: '0', HEALTH_PORT: '0' });
  app = await createServiceApp(AppModule.forRoot(config), { service: 'offer-matching', title: 't', httpPort: 0 });
  await app.listen(0);
  baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  db = app.get(DataSource);
  producer = new EventProducer(kafka);
  await producer.connect();
  reader = await TopicReader.start(kafka, [physicalTopic('offer-matches')]);
  await eventually(() => expect(app.get(MessagingRuntime).health.readiness()).resolves.toMatchObject({ ok: true }), { timeoutMs: 60_000 });
});

afterAll(async () => {
  await reader?.stop();
  await producer?.disconnect();
  await app?.close();
  await ns?.cleanup();
});

it('entities and migrations agree', async () => {
  expect(await schemaDrift(db)).toEqual([]);
});

describe('campaigns without cashback', () => {
  it('an affiliate sales program at the same merchant gets no outcome, and the purchase still counts in the history', async () => {
    const cashback = campaign('nocb-cashback', 'nocb', 'MID-NOCB');
    const affiliate = { ...campaign('nocb-affiliate', 'nocb', 'MID-NOCB'), reward: undefined, pricing: { model: 'CPA' as const } };
    await publishCampaigns(cashback, affiliate);
    const first = await authorize({ customer: 'c-nocb-1', mid: 'MID-NOCB', at: T0 });
    expect(await outcomesOf(first.purchaseId, 1)).toEqual({ 'nocb-cashback': 'matched' });
    // A later purchase's outcome is published after the first's, so the first is complete.
    const second = await authorize({ customer: 'c-nocb-1', mid: 'MID-NOCB', at: T0 + DAY });
    await outcomesOf(second.purchaseId, 1);
    expect(matchesOf(first.purchaseId).map((e) => e.data.campaignId)).toEqual([`nocb-cashback-${run}`]);
    const history: { purchase_count: number }[] = await db.query(`SELECT purchase_count FROM offer_matching.purchase_history WHERE customer_id = $1`, [`c-nocb-1-${run}`]);
    expect(history).toEqual([{ purchase_count: 2 }]);
  });
});

describe('audiences, with history before and after', () => {
  const mk = (id: string, segment: 'new' | 'lapsed' | 'existing' | 'all', lookbackDays = 365) => campaign(id, 'aud', 'MID-AUD', { audience: { segment, lookbackDays } });
  beforeAll(() => publishCampaigns(mk('aud-new', 'new'), mk('aud-lapsed', 'lapsed', 30), mk('aud-existing', 'existing'), mk('aud-all', 'all')));

  it('first purchase: new; a second one days later: existing', async () => {
    const first = await authorize({ customer: 'c-aud-1', mid: 'MID-AUD', at: T0 });
    expect(await outcomesOf(first.purchaseId, 4)).toEqual({ 'aud-new': 'matched', 'aud-all': 'matched', 'aud-lapsed': 'audience-mismatch', 'aud-existing': 'audience-mismatch' });
    expect(matchesOf(first.purchaseId).every((e) => e.data.audienceSegment === 'new')).toBe(true);

    const second = await authorize({ customer: 'c-aud-1', mid: 'MID-AUD', at: T0 + 3 * DAY });
    expect(await outcomesOf(second.purchaseId, 4)).toEqual({ 'aud-new': 'audience-mismatch', 'aud-all': 'matched', 'aud-lapsed': 'audience-mismatch', 'aud-existing': 'matched' });
    expect(matchesOf(second.purchaseId).every((e) => e.data.audienceSegment === 'existing')).toBe(true);
  });

  it('a purchase after the look-back window: lapsed (and a lapsed customer counts as new for "new")', async () => {
    const first = await authorize({ customer: 'c-aud-2', mid: 'MID-AUD', at: T0 });
    await outcomesOf(first.purchaseId, 4);
    const later = await authorize({ customer: 'c-aud-2', mid: 'MID-AUD', at: T0 + 60 * DAY });
    // aud-lapsed looks back 30 days: lapsed. The others look back 365 days: existing.
    expect(await outcomesOf(later.purchaseId, 4)).toEqual({ 'aud-new': 'audience-mismatch', 'aud-all': 'matched', 'aud-lapsed': 'matched', 'aud-existing': 'matched' });
    expect(matchesOf(later.purchaseId).find((e) => e.data.campaignId === `aud-lapsed-${run}`)?.data.audienceSegment).toBe('lapsed');
    const history: { purchase_count: number }[] = await db.query(`SELECT purchase_count FROM offer_matching.purchase_history WHERE customer_id = $1`, [`c-aud-2-${run}`]);
    expect(history).toEqual([{ purchase_count: 2 }]);
  });

  it('reward and fee are computed (10 % rounded down, fee 20 % of it), matched by MID', async () => {
    const p = await authorize({ customer: 'c-aud-3', mid: 'MID-AUD', amount: 2_599 });
    await outcomesOf(p.purchaseId, 4);
    const m = matchesOf(p.purchaseId).find((e) => e.data.campaignId === `aud-all-${run}`)!;
    expect(m.data).toMatchObject({ rewardAmount: { amountMinor: 259, currency: 'SEK' }, platformFee: { amountMinor: 51, currency: 'SEK' }, matchedBy: 'mid', merchantId: `mer-aud-${run}` });
  });
});

describe('reason codes', () => {
  const mk = (id: string, over: Partial<CampaignSnapshotV1Data> = {}) => campaign(id, 'rsn', 'MID-RSN', over);
  const holdoutCampaign = mk('rsn-holdout', { holdoutBasisPoints: 5000 });
  let holdoutCustomer = '';
  let exposedCustomer = '';
  beforeAll(async () => {
    for (let i = 0; !holdoutCustomer || !exposedCustomer; i++) {
      const held = inHoldout(`c-rsn-${i}-${run}`, holdoutCampaign);
      if (held && !holdoutCustomer) holdoutCustomer = `c-rsn-${i}`;
      if (!held && !exposedCustomer) exposedCustomer = `c-rsn-${i}`;
    }
    await publishCampaigns(
      mk('rsn-ok'),
      mk('rsn-minspend', { reward: { kind: 'percent', basisPoints: 1000, minSpend: { amountMinor: 50_000, currency: 'SEK' } } }),
      mk('rsn-cap', { reward: { kind: 'percent', basisPoints: 1000, maxRewardsPerCustomer: 1 } }),
      mk('rsn-schedule', { schedule: { startsAt: '2020-01-01T00:00:00.000Z', timeZone: 'Europe/Stockholm', daysOfWeek: [6, 7] } }),
      mk('rsn-hours', { schedule: { startsAt: '2020-01-01T00:00:00.000Z', timeZone: 'America/New_York', hours: { from: '09:00', to: '17:00' } } }), // 08:00 in New York
      mk('rsn-channel', { channels: ['online'] }),
      mk('rsn-currency', { currency: 'EUR', budget: { total: { amountMinor: 1_000_000, currency: 'EUR' }, pacing: 'asap' }, reward: { kind: 'percent', basisPoints: 1000 } }),
      holdoutCampaign,
      mk('rsn-budget'),
      mk('rsn-paused', { status: 'paused' }),
      mk('rsn-exhausted', { status: 'exhausted' }),
    );
    await producer.send('budget-events', [
      {
        key: `rsn-${run}`,
        event: newEnvelope(BudgetExhaustedV1, {
          source: 'billing',
          occurredAt: iso(Date.now()),
          data: { advertiserId: `rsn-${run}`, campaignId: `rsn-budget-${run}`, scope: 'total', budget: { amountMinor: 10_000_000, currency: 'SEK' }, spent: { amountMinor: 10_000_000, currency: 'SEK' }, percent: 100, at: iso(Date.now()) },
        }),
      },
    ]);
    await eventually(async () => expect(await db.query(`SELECT exhausted FROM offer_matching.budget_reservations WHERE campaign_id = $1`, [`rsn-budget-${run}`])).toEqual([{ exhausted: true }]));
  });

  it('every candidate gets its outcome with the first failing rule', async () => {
    const p = await authorize({ customer: holdoutCustomer, mid: 'MID-RSN', amount: 42_950 });
    expect(await outcomesOf(p.purchaseId, 11)).toEqual({
      'rsn-ok': 'matched',
      'rsn-minspend': 'below-minimum-spend',
      'rsn-cap': 'matched',
      'rsn-schedule': 'outside-schedule',
      'rsn-hours': 'outside-schedule',
      'rsn-channel': 'wrong-channel',
      'rsn-currency': 'currency-mismatch',
      'rsn-holdout': 'holdout',
      'rsn-budget': 'budget-exhausted',
      'rsn-paused': 'campaign-not-active',
      'rsn-exhausted': 'budget-exhausted',
    });
    const again = await authorize({ customer: holdoutCustomer, mid: 'MID-RSN', amount: 42_950, at: T0 + DAY });
    const second = await outcomesOf(again.purchaseId, 11);
    expect(second['rsn-cap']).toBe('customer-cap-reached');
    expect(second['rsn-ok']).toBe('matched');

    const exposed = await authorize({ customer: exposedCustomer, mid: 'MID-RSN' });
    expect((await outcomesOf(exposed.purchaseId, 11))['rsn-holdout']).toBe('matched');
  });

  it('the outcomes API explains a transaction', async () => {
    const p = await authorize({ customer: exposedCustomer, mid: 'MID-RSN', amount: 100, at: T0 + 2 * DAY });
    await outcomesOf(p.purchaseId, 11);
    const res = await api(`/v1/transactions/${BANK}/${p.transactionId}/outcomes`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ bankSource: BANK, transactionId: p.transactionId, purchaseId: p.purchaseId, evaluated: true });
    const byCampaign = Object.fromEntries((res.body.outcomes as { campaignId: string; reasonCode: string }[]).map((o) => [o.campaignId.replace(`-${run}`, ''), o.reasonCode]));
    expect(byCampaign).toMatchObject({ 'rsn-ok': 'matched', 'rsn-minspend': 'below-minimum-spend', 'rsn-channel': 'wrong-channel', 'rsn-budget': 'budget-exhausted' });
    const ok = res.body.outcomes.find((o: { campaignId: string }) => o.campaignId === `rsn-ok-${run}`);
    expect(ok).toMatchObject({
      outcome: 'matched',
      rewardAmount: { amountMinor: 10, currency: 'SEK' },
      platformFee: { amountMinor: 2, currency: 'SEK' },
      campaignName: `Offer rsn-ok-${run}`,
      finalDecision: { service: 'attribution', path: `/v1/purchases/${encodeURIComponent(p.purchaseId)}/decisions` },
    });
    const declined = res.body.outcomes.find((o: { campaignId: string }) => o.campaignId === `rsn-minspend-${run}`);
    expect(declined.finalDecision).toBeUndefined();

    expect((await api(`/v1/transactions/${BANK}/txn-never-seen/outcomes`)).status).toBe(404);
    // The bank that sent it reads the same explanation with its key, without the platform fee; never another bank's.
    const asBank = await api(`/v1/transactions/${BANK}/${p.transactionId}/outcomes`, { 'x-api-key': 'test-bank-key' });
    expect(asBank.status).toBe(200);
    expect(asBank.body.outcomes.find((o: { campaignId: string }) => o.campaignId === `rsn-minspend-${run}`)).toMatchObject({
      outcome: 'declined',
      reasonCode: 'below-minimum-spend',
      // ready for the bank's app, in both languages
      text: { sv: 'Köpet var lägre än erbjudandets minsta belopp.', en: 'The purchase was below the offer’s minimum spend.' },
    });
    expect(asBank.body.outcomes.every((o: Record<string, unknown>) => !('platformFee' in o))).toBe(true);
    expect((await api(`/v1/transactions/bank-other/${p.transactionId}/outcomes`, { 'x-api-key': 'test-bank-key' })).status).toBe(403);
    expect((await api(`/v1/transactions/${BANK}/${p.transactionId}/outcomes`, await bearer(['advertiser'], 'adv-x'))).status).toBe(403);

    // The advertiser sees counts per reason for its own campaign, in words, and nothing about customers.
    const summary = await api(`/v1/campaigns/rsn-minspend-${run}/outcomes`, await bearer(['advertiser'], `rsn-${run}`));
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ campaignId: `rsn-minspend-${run}`, advertiserId: `rsn-${run}` });
    const minSpend = summary.body.reasons.find((r: { reasonCode: string }) => r.reasonCode === 'below-minimum-spend');
    expect(minSpend).toMatchObject({ outcome: 'declined', text: { en: 'The purchase was below the offer’s minimum spend.' } });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM offer_matching.match_outcomes WHERE campaign_id = $1 AND reason_code = 'below-minimum-spend'`, [`rsn-minspend-${run}`]);
    expect(minSpend.count).toBe(n);
    expect(summary.body.total).toBe(summary.body.reasons.reduce((sum: number, r: { count: number }) => sum + r.count, 0));
    expect(JSON.stringify(summary.body)).not.toContain(p.customerId);
    expect(JSON.stringify(summary.body)).not.toContain(p.transactionId);
    expect((await api(`/v1/campaigns/rsn-minspend-${run}/outcomes`, await bearer(['advertiser'], 'adv-x'))).status).toBe(403);
    expect((await api(`/v1/campaigns/rsn-minspend-${run}/outcomes`, { 'x-api-key': 'test-bank-key' })).status).toBe(403);
    const bad = await api(`/v1/campaigns/rsn-minspend-${run}/outcomes?from=yesterday`);
    expect([bad.status, bad.body.fields?.[0]?.field]).toEqual([400, 'from']);
    const future = await api(`/v1/campaigns/rsn-minspend-${run}/outcomes?from=2999-01-01T00:00:00Z`);
    expect(future.body).toMatchObject({ total: 0, reasons: [] });
  });
});

describe('one purchase, one match', () => {
  beforeAll(() => publishCampaigns(campaign('dup', 'dup', 'MID-DUP')));

  it('the same transaction twice (same event, and resent with a new event id) → one outcome', async () => {
    const data = txData({ customer: 'c-dup-1', mid: 'MID-DUP' });
    const event = newEnvelope(CardTransactionAuthorizedV1, { source: 'ingestion', occurredAt: data.transactionAt, data });
    await producer.send('card-transactions', [{ key: data.customerId, event }, { key: data.customerId, event }]);
    await producer.send('card-transactions', [{ key: data.customerId, event: newEnvelope(CardTransactionAuthorizedV1, { source: 'ingestion', occurredAt: data.transactionAt, data }) }]);
    await outcomesOf(data.purchaseId, 1);
    // a later purchase of the same customer proves the duplicates were processed (same partition, in order)
    const next = await authorize({ customer: 'c-dup-1', mid: 'MID-DUP', at: T0 + DAY });
    await outcomesOf(next.purchaseId, 1);
    expect(matchesOf(data.purchaseId)).toHaveLength(1);
  });

  it('authorization then settlement → matched once, on the authorization; refunds do not match', async () => {
    const auth = await authorize({ customer: 'c-dup-2', mid: 'MID-DUP' });
    const settle = txData({ customer: 'c-dup-2', mid: 'MID-DUP', original: auth.transactionId, at: T0 + DAY });
    const refund = txData({ customer: 'c-dup-2', mid: 'MID-DUP', original: auth.transactionId, at: T0 + 2 * DAY, amount: 1000 });
    await producer.send('card-transactions', [
      { key: settle.customerId, event: newEnvelope(CardTransactionSettledV1, { source: 'ingestion', occurredAt: settle.transactionAt, data: settle }) },
      { key: refund.customerId, event: newEnvelope(CardTransactionRefundedV1, { source: 'ingestion', occurredAt: refund.transactionAt, data: refund as never }) },
    ]);
    await eventually(async () => expect(await db.query(`SELECT count(*)::int AS n FROM offer_matching.purchases WHERE purchase_id = $1`, [auth.purchaseId])).toEqual([{ n: 3 }]));
    const events = matchesOf(auth.purchaseId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'offer-match.matched', data: { transaction: { transactionId: auth.transactionId, kind: 'authorization' } } });
    const history: { purchase_count: number }[] = await db.query(`SELECT purchase_count FROM offer_matching.purchase_history WHERE customer_id = $1`, [`c-dup-2-${run}`]);
    expect(history).toEqual([{ purchase_count: 1 }]);
    const res = await api(`/v1/transactions/${BANK}/${settle.transactionId}/outcomes`);
    expect(res.body).toMatchObject({ kind: 'settlement', evaluated: false, purchaseId: auth.purchaseId, outcomes: [{ outcome: 'matched', evaluatedOn: { transactionId: auth.transactionId } }] });
  });

  it('a settlement without an earlier authorization is matched itself', async () => {
    const settle = txData({ customer: 'c-dup-3', mid: 'MID-DUP' });
    await producer.send('card-transactions', [{ key: settle.customerId, event: newEnvelope(CardTransactionSettledV1, { source: 'ingestion', occurredAt: settle.transactionAt, data: settle }) }]);
    expect(await outcomesOf(settle.purchaseId, 1)).toEqual({ dup: 'matched' });
    expect(matchesOf(settle.purchaseId)[0].data.transaction.kind).toBe('settlement');
  });
});

describe('merchant recognition', () => {
  beforeAll(() =>
    publishCampaigns(
      campaign('desc', 'desc', 'MID-DESC', {
        merchants: [{ merchantId: `mer-desc-${run}`, name: 'Desc', mids: [], descriptorPatterns: [`KAFFE ${run.toUpperCase()}*`], mccs: ['5814'], country: 'SE', channels: ['in-store'] }],
      }),
      campaign('diac', 'diac', 'MID-DIAC', {
        merchants: [{ merchantId: `mer-diac-${run}`, name: 'Åhléns', mids: [], descriptorPatterns: [`ÅHLÉNS ${run.toUpperCase()}*`], country: 'SE', channels: ['in-store'] }],
      }),
    ),
  );

  it('by normalised descriptor pattern; a different MCC rules it out; MCC alone never matches', async () => {
    const hit = await authorize({ customer: 'c-desc-1', descriptor: `KAFFE ${run.toUpperCase()} SODER`, mcc: '5814' });
    expect(await outcomesOf(hit.purchaseId, 1)).toEqual({ desc: 'matched' });
    expect(matchesOf(hit.purchaseId)[0].data.matchedBy).toBe('descriptor');
    const other = txData({ customer: 'c-desc-1', descriptor: `KAFFE ${run.toUpperCase()} SODER`, at: T0 + DAY });
    const wrongMcc = { ...other, merchant: { ...other.merchant, mcc: '5411' } };
    const noMatch = txData({ customer: 'c-desc-1', descriptor: 'SOMETHING ELSE', at: T0 + 2 * DAY });
    const marker = txData({ customer: 'c-desc-1', descriptor: `KAFFE ${run.toUpperCase()}`, at: T0 + 3 * DAY, mcc: '5814' });
    await producer.send(
      'card-transactions',
      [wrongMcc, { ...noMatch, merchant: { ...noMatch.merchant, mcc: '5814' } }, marker].map((d) => ({
        key: d.customerId,
        event: newEnvelope(CardTransactionAuthorizedV1, { source: 'ingestion', occurredAt: d.transactionAt, data: d }),
      })),
    );
    await outcomesOf(marker.purchaseId, 1);
    expect(matchesOf(wrongMcc.purchaseId)).toHaveLength(0);
    expect(matchesOf(noMatch.purchaseId)).toHaveLength(0);
  });
});

describe('merchant recognition across diacritics', () => {
  it('a merchant registered as ÅHLÉNS is recognised in a bank’s AHLENS descriptor', async () => {
    const hit = await authorize({ customer: 'c-diac-1', descriptor: `AHLENS ${run.toUpperCase()} CITY` });
    expect(await outcomesOf(hit.purchaseId, 1)).toEqual({ diac: 'matched' });
    expect(matchesOf(hit.purchaseId)[0].data.matchedBy).toBe('descriptor');
  });
});

describe('campaign paused mid-stream', () => {
  const v1 = campaign('pause', 'pause', 'MID-PAUSE');
  beforeAll(() => publishCampaigns(v1));

  it('later transactions are not matched; an older snapshot does not win', async () => {
    const before = await authorize({ customer: 'c-pause-1', mid: 'MID-PAUSE' });
    expect(await outcomesOf(before.purchaseId, 1)).toEqual({ pause: 'matched' });
    await publishCampaigns({ ...v1, version: 2, status: 'paused' });
    await producer.send('campaigns', [{ key: v1.campaignId, event: newEnvelope(CampaignSnapshotV1, { source: 'campaigns', occurredAt: v1.updatedAt, data: v1 }) }]);
    const after = await authorize({ customer: 'c-pause-2', mid: 'MID-PAUSE' });
    expect(await outcomesOf(after.purchaseId, 1)).toEqual({ pause: 'campaign-not-active' });
    expect(matchesOf(after.purchaseId)[0].data.campaignVersion).toBe(2);
    await publishCampaigns({ ...v1, version: 3, status: 'active' });
    const resumed = await authorize({ customer: 'c-pause-3', mid: 'MID-PAUSE' });
    expect(await outcomesOf(resumed.purchaseId, 1)).toEqual({ pause: 'matched' });
  });
});

describe('budget reservation', () => {
  // reward 300 + fee 100 = 400 per match against a total of 1 000: 0, 400, 800 pass (800 < 1 000), then stop.
  const budgeted = campaign('budget', 'bud', 'MID-BUD', {
    reward: { kind: 'fixed', amount: { amountMinor: 300, currency: 'SEK' } },
    platformFee: { kind: 'fixed', amount: { amountMinor: 100, currency: 'SEK' }, publisherShareBasisPoints: 0 },
    budget: { total: { amountMinor: 1_000, currency: 'SEK' }, pacing: 'asap' },
  });
  beforeAll(() => publishCampaigns(budgeted));

  it('matches stop after the budget; overspend at most one action; replenished resumes', async () => {
    const purchases = Array.from({ length: 8 }, (_, i) => txData({ customer: `c-bud-${i}`, mid: 'MID-BUD' }));
    await producer.send(
      'card-transactions',
      purchases.map((d) => ({ key: d.customerId, event: newEnvelope(CardTransactionAuthorizedV1, { source: 'ingestion', occurredAt: d.transactionAt, data: d }) })),
    );
    const outcomes = await eventually(() => {
      const all = purchases.map((p) => matchesOf(p.purchaseId));
      expect(all.every((e) => e.length === 1)).toBe(true);
      return all.map((e) => e[0]);
    });
    const matched = outcomes.filter((e) => e.type === 'offer-match.matched');
    expect(matched).toHaveLength(3);
    expect(outcomes.filter((e) => e.data.reasonCode === 'budget-exhausted')).toHaveLength(5);
    const spent = matched.reduce((s, e) => s + e.data.rewardAmount.amountMinor + e.data.platformFee.amountMinor, 0);
    expect(spent - 1_000).toBeLessThanOrEqual(400);
    expect(await db.query(`SELECT reserved_minor::int AS r FROM offer_matching.budget_reservations WHERE campaign_id = $1`, [budgeted.campaignId])).toEqual([{ r: 1_200 }]);

    await producer.send('budget-events', [
      {
        key: budgeted.advertiserId,
        event: newEnvelope(BudgetReplenishedV1, {
          source: 'billing',
          occurredAt: iso(Date.now()),
          data: { advertiserId: budgeted.advertiserId, campaignId: budgeted.campaignId, scope: 'total', budget: { amountMinor: 2_000, currency: 'SEK' }, spent: { amountMinor: 1_200, currency: 'SEK' }, percent: 60, at: iso(Date.now()), reason: 'budget-raised' },
        }),
      },
    ]);
    await eventually(async () => expect(await db.query(`SELECT total_minor::int AS t FROM offer_matching.budget_reservations WHERE campaign_id = $1`, [budgeted.campaignId])).toEqual([{ t: 2_000 }]));
    const more = await authorize({ customer: 'c-bud-more', mid: 'MID-BUD' });
    expect(await outcomesOf(more.purchaseId, 1)).toEqual({ budget: 'matched' });
  });

  it('a match attribution declines gives its reservation back, once', async () => {
    const reserved = async () => (await db.query(`SELECT reserved_minor::int AS r FROM offer_matching.budget_reservations WHERE campaign_id = $1`, [budgeted.campaignId]))[0].r as number;
    const p = await authorize({ customer: 'c-bud-declined', mid: 'MID-BUD' });
    expect(await outcomesOf(p.purchaseId, 1)).toEqual({ budget: 'matched' });
    const before = await reserved();
    const [match] = matchesOf(p.purchaseId);
    const declined = () =>
      newEnvelope(AttributionDeclinedV1, {
        source: 'attribution',
        occurredAt: iso(Date.now()),
        data: {
          matchId: match.data.matchId,
          purchaseId: p.purchaseId,
          campaignId: budgeted.campaignId,
          advertiserId: budgeted.advertiserId,
          bankSource: BANK,
          customerId: p.customerId,
          reasonCode: 'not-activated',
          released: { amountMinor: 400, currency: 'SEK' },
          declinedAt: iso(Date.now()),
        },
      });
    // Delivered twice under two event ids (a replay): released once.
    const twice = [declined(), declined()];
    await producer.send('attribution-decisions', twice.map((event) => ({ key: p.customerId, event })));
    // Both consumed (the inbox holds their ids): the reservation came back exactly once.
    await eventually(async () => expect((await db.query(`SELECT count(*)::int AS n FROM offer_matching.inbox WHERE event_id = ANY($1::uuid[])`, [twice.map((e) => e.eventId)]))[0].n).toBe(2));
    expect(await reserved()).toBe(before - 400);
    const [row] = await db.query(`SELECT outcome, released_at FROM offer_matching.match_outcomes WHERE purchase_id = $1`, [p.purchaseId]);
    expect(row.outcome).toBe('matched');
    expect(row.released_at).toBeInstanceOf(Date);
  });
});

describe('budget reservation under concurrency (replicas, partitions)', () => {
  const shared = campaign('race', 'race', 'MID-RACE', {
    reward: { kind: 'fixed', amount: { amountMinor: 300, currency: 'SEK' } },
    platformFee: { kind: 'fixed', amount: { amountMinor: 100, currency: 'SEK' }, publisherShareBasisPoints: 0 },
    budget: { total: { amountMinor: 2_000, currency: 'SEK' }, pacing: 'asap' },
  });
  beforeAll(() => publishCampaigns(shared));

  it('20 purchases in 20 concurrent transactions: at most one action over the budget', async () => {
    const service = app.get(MatchingService);
    const published: { event: { type: string } }[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const data = txData({ customer: `c-race-${i}`, mid: 'MID-RACE' });
        const event = newEnvelope(CardTransactionAuthorizedV1, { source: 'ingestion', occurredAt: data.transactionAt, data });
        return db.transaction((m) => service.onTransaction(event, m, async (items) => void published.push(...(items as never[]))));
      }),
    );
    const matched = published.filter((p) => p.event.type === 'offer-match.matched').length;
    expect(matched).toBe(5); // 0, 400, 800, 1 200, 1 600 < 2 000 → 5 × 400 = 2 000
    expect(published.filter((p) => p.event.type === 'offer-match.declined')).toHaveLength(15);
    const [{ r }] = await db.query(`SELECT reserved_minor::int AS r FROM offer_matching.budget_reservations WHERE campaign_id = $1`, [shared.campaignId]);
    expect(r).toBe(matched * 400);
    expect(r - 2_000).toBeLessThan(400);
  });
});

describe('advertiser budget across banks, and per-bank caps', () => {
  const SEK = (amountMinor: number) => ({ amountMinor, currency: 'SEK' });
  const fixed = {
    reward: { kind: 'fixed' as const, amount: SEK(300) },
    platformFee: { kind: 'fixed' as const, amount: SEK(100), publisherShareBasisPoints: 0 },
  };
  // One advertiser, a campaign per bank, each with room on its own budget: the advertiser's budget of 2 000 is what binds.
  const shared = { total: SEK(2_000) };
  const atA = campaign('adv-bud-a', 'advbud', 'MID-ADVBUD', { ...fixed, banks: ['bank-x'], budget: { total: SEK(100_000), pacing: 'asap' }, advertiserBudget: shared });
  const atB = campaign('adv-bud-b', 'advbud', 'MID-ADVBUD', { ...fixed, banks: ['bank-y'], budget: { total: SEK(100_000), pacing: 'asap' }, advertiserBudget: shared });
  // A campaign at both banks with a cap of 800 at bank-x only.
  const capped = campaign('cap-x', 'capbud', 'MID-CAPBUD', { ...fixed, budget: { total: SEK(100_000), pacing: 'asap', bankCaps: [{ bankId: 'bank-x', amount: SEK(800) }] } });
  beforeAll(() => publishCampaigns(atA, atB, capped));

  const reservedOn = async (limitId: string) => (await db.query(`SELECT reserved_minor::int AS r, total_minor::int AS t FROM offer_matching.limit_reservations WHERE limit_id = $1`, [limitId]))[0] as { r: number; t: number | null };

  it('20 purchases from two banks in 20 concurrent transactions: the advertiser budget is overspent by at most one action', async () => {
    const service = app.get(MatchingService);
    const published: { event: MatchEvent }[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const data = txData({ customer: `c-advbud-${i}`, mid: 'MID-ADVBUD', bank: i % 2 ? 'bank-x' : 'bank-y' });
        const event = newEnvelope(CardTransactionAuthorizedV1, { source: 'ingestion', occurredAt: data.transactionAt, data });
        return db.transaction((m) => service.onTransaction(event, m, async (items) => void published.push(...(items as never[]))));
      }),
    );
    const matched = published.filter((p) => p.event.type === 'offer-match.matched');
    const declined = published.filter((p) => p.event.type === 'offer-match.declined');
    // 0, 400, …, 1 600 < 2 000 → 5 × 400; each purchase had one candidate (its bank's campaign; the other bank's is bank-not-targeted).
    expect(matched).toHaveLength(5);
    expect(declined.filter((p) => p.event.data.reasonCode === 'advertiser-budget-exhausted')).toHaveLength(15);
    const limit = await reservedOn(`advertiser:${atA.advertiserId}`);
    expect(limit).toEqual({ r: 2_000, t: 2_000 });
    expect(limit.r - 2_000).toBeLessThan(400);
    // The campaigns' own budgets hold just their own matches.
    const own: { r: number }[] = await db.query(`SELECT reserved_minor::int AS r FROM offer_matching.budget_reservations WHERE campaign_id = ANY($1) ORDER BY campaign_id`, [[atA.campaignId, atB.campaignId]]);
    expect(own.reduce((sum, x) => sum + x.r, 0)).toBe(2_000);

    // A released match gives the advertiser budget back too; billing's spend-limit.exhausted then holds it shut regardless.
    const first = matched[0].event.data;
    await db.transaction((m) => service.onAttributionDeclines([newEnvelope(AttributionDeclinedV1, { source: 'attribution', occurredAt: iso(Date.now()), data: { matchId: first.matchId, purchaseId: first.purchaseId, campaignId: first.campaignId, advertiserId: first.advertiserId, bankSource: first.transaction.bankSource, customerId: first.customerId, reasonCode: 'not-activated', released: SEK(400), declinedAt: iso(Date.now()) } })], m));
    expect((await reservedOn(`advertiser:${atA.advertiserId}`)).r).toBe(1_600);
    await producer.send('budget-events', [
      {
        key: atA.advertiserId,
        event: newEnvelope(SpendLimitExhaustedV1, {
          source: 'billing',
          occurredAt: iso(Date.now()),
          data: { limitId: `advertiser:${atA.advertiserId}`, kind: 'advertiser', advertiserId: atA.advertiserId, budget: SEK(2_000), spent: SEK(2_000), percent: 100, at: iso(Date.now()) },
        }),
      },
    ]);
    await eventually(async () => expect((await db.query(`SELECT exhausted FROM offer_matching.limit_reservations WHERE limit_id = $1`, [`advertiser:${atA.advertiserId}`]))[0].exhausted).toBe(true));
    const after = await authorize({ customer: 'c-advbud-late', mid: 'MID-ADVBUD', bank: 'bank-x' });
    expect(await outcomesOf(after.purchaseId, 2)).toEqual({ 'adv-bud-a': 'advertiser-budget-exhausted', 'adv-bud-b': 'bank-not-targeted' });
  });

  it("a campaign's cap at one bank stops that bank's purchases only; removing it lets them match again", async () => {
    const x: CardTransactionData[] = [];
    for (let i = 0; i < 3; i++) x.push(await authorize({ customer: `c-cap-x-${i}`, mid: 'MID-CAPBUD', bank: 'bank-x' }));
    const results: string[] = [];
    for (const p of x) results.push((await outcomesOf(p.purchaseId, 1))['cap-x']);
    // Whatever order the partitions are read in: 0, 400 < 800 match; at 800 the cap holds.
    expect(results.sort()).toEqual(['bank-budget-exhausted', 'matched', 'matched']);
    expect(await reservedOn(`campaign:${capped.campaignId}:bank:bank-x`)).toEqual({ r: 800, t: 800 });
    const y = await authorize({ customer: 'c-cap-y', mid: 'MID-CAPBUD', bank: 'bank-y' });
    expect(await outcomesOf(y.purchaseId, 1)).toEqual({ 'cap-x': 'matched' });

    await publishCampaigns({ ...capped, version: capped.version + 1, budget: { total: SEK(100_000), pacing: 'asap' } });
    expect((await reservedOn(`campaign:${capped.campaignId}:bank:bank-x`)).t).toBeNull();
    const again = await authorize({ customer: 'c-cap-x-again', mid: 'MID-CAPBUD', bank: 'bank-x' });
    expect(await outcomesOf(again.purchaseId, 1)).toEqual({ 'cap-x': 'matched' });
  });
});

describe('even pacing over the flight', () => {
  const SEK = (amountMinor: number) => ({ amountMinor, currency: 'SEK' });
  // 1 200 over the 3 or 4 local days left (ends in 2.5 days): today may reserve 400 or 300, one match of 400.
  const paced = campaign('paced', 'paced', 'MID-PACED', {
    reward: { kind: 'fixed', amount: SEK(300) },
    platformFee: { kind: 'fixed', amount: SEK(100), publisherShareBasisPoints: 0 },
    budget: { total: SEK(1_200), pacing: 'even' },
    schedule: { startsAt: '2025-01-01T00:00:00Z', endsAt: new Date(Date.now() + 2.5 * DAY).toISOString(), timeZone: 'Europe/Stockholm' },
  });
  beforeAll(() => publishCampaigns(paced));

  it("holds back once today's share of the budget is reserved, and a raised budget re-plans at once", async () => {
    const first = await authorize({ customer: 'c-paced-1', mid: 'MID-PACED' });
    expect(await outcomesOf(first.purchaseId, 1)).toEqual({ paced: 'matched' });
    const second = await authorize({ customer: 'c-paced-2', mid: 'MID-PACED' });
    expect(await outcomesOf(second.purchaseId, 1)).toEqual({ paced: 'paced' });
    const [{ r }] = await db.query(`SELECT reserved_minor::int AS r FROM offer_matching.budget_reservations WHERE campaign_id = $1`, [paced.campaignId]);
    expect(r).toBe(400); // the paced purchase reserved nothing

    await publishCampaigns({ ...paced, version: paced.version + 1, budget: { total: SEK(100_000), pacing: 'even' } });
    const third = await authorize({ customer: 'c-paced-3', mid: 'MID-PACED' });
    expect(await outcomesOf(third.purchaseId, 1)).toEqual({ paced: 'matched' });
  });
});

describe('one chunk of transactions', () => {
  // Three purchases of one customer at one advertiser, and a fourth customer, in ONE call: each
  // purchase must see what the ones before it in the chunk did (history, the customer's matches,
  // the budget reserved).
  const newOnly = campaign('chunk-new', 'chunk', 'MID-CHUNK', { audience: { segment: 'new', lookbackDays: 365 } });
  const capped = campaign('chunk-cap', 'chunk', 'MID-CHUNK', { reward: { kind: 'percent', basisPoints: 1000, maxRewardsPerCustomer: 1 } });
  const budgeted = campaign('chunk-bud', 'chunk', 'MID-CHUNK', {
    reward: { kind: 'fixed', amount: { amountMinor: 300, currency: 'SEK' } },
    platformFee: { kind: 'fixed', amount: { amountMinor: 100, currency: 'SEK' }, publisherShareBasisPoints: 0 },
    budget: { total: { amountMinor: 1_000, currency: 'SEK' }, pacing: 'asap' },
  });
  beforeAll(() => publishCampaigns(newOnly, capped, budgeted));

  it('decides each purchase on what the chunk did before it: history, per-customer cap, budget', async () => {
    const service = app.get(MatchingService);
    const published: { event: MatchEvent }[] = [];
    const datas = [
      txData({ customer: 'c-chunk-a', mid: 'MID-CHUNK', at: T0 }),
      txData({ customer: 'c-chunk-a', mid: 'MID-CHUNK', at: T0 + 3_600_000 }),
      txData({ customer: 'c-chunk-a', mid: 'MID-CHUNK', at: T0 + 7_200_000 }),
      txData({ customer: 'c-chunk-b', mid: 'MID-CHUNK', at: T0 + 7_200_000 }),
    ];
    const events = datas.map((data) => newEnvelope(CardTransactionAuthorizedV1, { source: 'ingestion', occurredAt: data.transactionAt, data }));
    await db.transaction((m) => service.onTransactions(events, m, async (items) => void published.push(...(items as never[]))));
    const outcome = (i: number, c: CampaignSnapshotV1Data) => {
      const e = published.find((p) => p.event.data.purchaseId === datas[i].purchaseId && p.event.data.campaignId === c.campaignId)!.event;
      return e.type === 'offer-match.matched' ? 'matched' : e.data.reasonCode;
    };
    // "new" only: the customer's first purchase, not the two after it in the same chunk.
    expect([0, 1, 2, 3].map((i) => outcome(i, newOnly))).toEqual(['matched', 'audience-mismatch', 'audience-mismatch', 'matched']);
    // One reward per customer: the second purchase is capped by the first one's match.
    expect([0, 1, 2, 3].map((i) => outcome(i, capped))).toEqual(['matched', 'customer-cap-reached', 'customer-cap-reached', 'matched']);
    // 400 per match against 1,000: 0, 400, 800 pass (overspend at most one action), the fourth is declined.
    expect([0, 1, 2, 3].map((i) => outcome(i, budgeted))).toEqual(['matched', 'matched', 'matched', 'budget-exhausted']);
    const [{ r }] = await db.query(`SELECT reserved_minor::int AS r FROM offer_matching.budget_reservations WHERE campaign_id = $1`, [budgeted.campaignId]);
    expect(r).toBe(1_200);
    const [{ n }] = await db.query(`SELECT purchase_count AS n FROM offer_matching.purchase_history WHERE customer_id = $1 AND advertiser_id = $2`, [datas[0].customerId, newOnly.advertiserId]);
    expect(n).toBe(3);
  });
});

describe('daily budget cap', () => {
  // 400 per match against a daily cap of 500 (today, in the campaign's time zone): two pass, then stop.
  const daily = campaign('daily', 'day', 'MID-DAY', {
    reward: { kind: 'fixed', amount: { amountMinor: 300, currency: 'SEK' } },
    platformFee: { kind: 'fixed', amount: { amountMinor: 100, currency: 'SEK' }, publisherShareBasisPoints: 0 },
    budget: { total: { amountMinor: 1_000_000, currency: 'SEK' }, daily: { amountMinor: 500, currency: 'SEK' }, pacing: 'asap' },
  });
  beforeAll(() => publishCampaigns(daily));

  it('stops at the daily cap; budget.exhausted (daily) holds it; daily reset resumes', async () => {
    const first = await Promise.all([0, 1, 2].map((i) => authorize({ customer: `c-day-${i}`, mid: 'MID-DAY', at: T0 + i * 1000 })));
    const outcomes = await Promise.all(first.map((p) => outcomesOf(p.purchaseId, 1)));
    expect(outcomes.filter((o) => o.daily === 'matched')).toHaveLength(2);
    expect(outcomes.filter((o) => o.daily === 'budget-exhausted')).toHaveLength(1);

    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm' }).format(new Date());
    const budgetEvent = (type: 'exhausted' | 'replenished') =>
      type === 'exhausted'
        ? newEnvelope(BudgetExhaustedV1, {
            source: 'billing',
            occurredAt: iso(Date.now()),
            data: { advertiserId: daily.advertiserId, campaignId: daily.campaignId, scope: 'daily', day: today, budget: { amountMinor: 500, currency: 'SEK' }, spent: { amountMinor: 800, currency: 'SEK' }, percent: 160, at: iso(Date.now()) },
          })
        : newEnvelope(BudgetReplenishedV1, {
            source: 'billing',
            occurredAt: iso(Date.now()),
            data: { advertiserId: daily.advertiserId, campaignId: daily.campaignId, scope: 'daily', day: today, budget: { amountMinor: 500, currency: 'SEK' }, spent: { amountMinor: 0, currency: 'SEK' }, percent: 0, at: iso(Date.now()), reason: 'daily-reset' },
          });
    await producer.send('budget-events', [{ key: daily.advertiserId, event: budgetEvent('exhausted') }]);
    await eventually(async () => expect(await db.query(`SELECT daily_exhausted_day AS d FROM offer_matching.budget_reservations WHERE campaign_id = $1`, [daily.campaignId])).toEqual([{ d: today }]));
    const held = await authorize({ customer: 'c-day-held', mid: 'MID-DAY' });
    expect(await outcomesOf(held.purchaseId, 1)).toEqual({ daily: 'budget-exhausted' });

    await producer.send('budget-events', [{ key: daily.advertiserId, event: budgetEvent('replenished') }]);
    await eventually(async () => expect(await db.query(`SELECT daily_exhausted_day AS d FROM offer_matching.budget_reservations WHERE campaign_id = $1`, [daily.campaignId])).toEqual([{ d: null }]));
    const resumed = await authorize({ customer: 'c-day-resumed', mid: 'MID-DAY' });
    expect(await outcomesOf(resumed.purchaseId, 1)).toEqual({ daily: 'matched' });
  });
});

describe('inconsistent snapshots', () => {
  it('a snapshot with an unknown time zone is dead-lettered, not applied', async () => {
    const bad = campaign('badtz', 'badtz', 'MID-BADTZ', { schedule: { startsAt: '2020-01-01T00:00:00.000Z', timeZone: 'Mars/Olympus_Mons' } });
    const dlq = await TopicReader.start(kafka, [physicalTopic('campaigns.dlq')]);
    try {
      await producer.send('campaigns', [{ key: bad.campaignId, event: newEnvelope(CampaignSnapshotV1, { source: 'campaigns', occurredAt: bad.updatedAt, data: bad }) }]);
      await eventually(() => expect(dlq.messages.some((m) => m.json<{ data: { campaignId: string } }>().data.campaignId === bad.campaignId)).toBe(true));
      expect(await db.query(`SELECT 1 FROM offer_matching.campaigns WHERE campaign_id = $1`, [bad.campaignId])).toEqual([]);
    } finally {
      await dlq.stop();
    }
  });
});

describe('offers feed', () => {
  const mk = (id: string, over: Partial<CampaignSnapshotV1Data> = {}) => campaign(id, 'feed', 'MID-FEED', over);
  beforeAll(() =>
    publishCampaigns(
      mk('feed-all', { content: { sv: { title: 'Cashback på allt', terms: 'Gäller i butik.' }, en: { title: 'Cashback on everything', imageUrl: 'https://cdn.example.se/all.png' } } }),
      mk('feed-activate', { activation: 'required' }),
      mk('feed-new', { audience: { segment: 'new', lookbackDays: 365 } }),
      mk('feed-existing', { audience: { segment: 'existing', lookbackDays: 365 } }),
      mk('feed-cap', { reward: { kind: 'percent', basisPoints: 500, maxRewardsPerCustomer: 1 } }),
      mk('feed-paused', { status: 'paused' }),
      mk('feed-ended', { schedule: { startsAt: '2020-01-01T00:00:00.000Z', endsAt: '2021-01-01T00:00:00.000Z', timeZone: 'Europe/Stockholm' } }),
      mk('feed-holdout', { holdoutBasisPoints: 5000 }),
      mk('feed-otherpub', { publishers: [{ publisherId: 'pub-other-bank', kind: 'bank' }] }),
    ),
  );

  it('lists eligible offers with activation state, for ops and for a bank integration', async () => {
    const customer = `c-feed-1-${run}`;
    const ids = (body: { offers: { campaignId: string }[] }) => body.offers.map((o) => o.campaignId.replace(`-${run}`, '')).filter((id) => id.startsWith('feed-')).sort();
    const expectHoldout = inHoldout(customer, { campaignId: `feed-holdout-${run}`, holdoutBasisPoints: 5000 });
    const withHoldout = (list: string[]) => (expectHoldout ? list : [...list, 'feed-holdout'].sort());

    const first = await api(`/v1/customers/${customer}/offers?bank=${BANK}`);
    expect(first.status).toBe(200);
    expect(ids(first.body)).toEqual(withHoldout(['feed-activate', 'feed-all', 'feed-cap', 'feed-new', 'feed-otherpub']));
    expect(first.body.offers.find((o: { campaignId: string }) => o.campaignId === `feed-activate-${run}`).activation).toEqual({ required: true, activated: false, activatedAt: null, activeUntil: null });

    await producer.send('clicks', [
      {
        key: customer,
        event: newEnvelope(ClickRecordedV1, {
          source: 'ingestion',
          occurredAt: iso(Date.now()),
          data: { clickId: `clk-${run}`, customerId: customer, campaignId: `feed-activate-${run}`, publisherId: 'pub-bank-test', kind: 'activation', at: iso(Date.now() - 60_000), reportedBy: BANK, inboundEventId: randomUUID() },
        }),
      },
    ]);
    // a purchase now: the customer becomes existing and uses up feed-cap
    const p = await authorize({ customer: 'c-feed-1', mid: 'MID-FEED', at: Date.now() - 1000 });
    await eventually(() => expect(matchesOf(p.purchaseId).length).toBe(9));
    await eventually(async () => {
      const after = await api(`/v1/customers/${customer}/offers`, { 'x-api-key': 'test-bank-key' });
      expect(after.status).toBe(200);
      // the bank's integration (publisher pub-bank-test) does not see feed-otherpub
      expect(ids(after.body)).toEqual(withHoldout(['feed-activate', 'feed-all', 'feed-existing']));
      expect(after.body.offers.find((o: { campaignId: string }) => o.campaignId === `feed-activate-${run}`).activation).toMatchObject({ required: true, activated: true });
    });
    expect((await api(`/v1/customers/${customer}/offers`, await bearer(['advertiser'], 'adv-x'))).status).toBe(403);
  });

  it("shows each offer's content in the customer's language, and pages the feed", async () => {
    const customer = `c-feed-2-${run}`;
    const offer = (body: { offers: { campaignId: string; content: unknown }[] }, id: string) => body.offers.find((o) => o.campaignId === `${id}-${run}`)?.content;
    const en = await api(`/v1/customers/${customer}/offers?bank=${BANK}&locale=en`);
    expect(en.body.locale).toBe('en');
    expect(offer(en.body, 'feed-all')).toEqual({ locale: 'en', title: 'Cashback on everything', imageUrl: 'https://cdn.example.se/all.png' });
    const sv = await api(`/v1/customers/${customer}/offers?bank=${BANK}`);
    expect(offer(sv.body, 'feed-all')).toEqual({ locale: 'sv', title: 'Cashback på allt', terms: 'Gäller i butik.' });
    // without content: the campaign name
    expect(offer(sv.body, 'feed-new')).toEqual({ locale: 'sv', title: expect.any(String) });

    const all = sv.body.offers.map((o: { campaignId: string }) => o.campaignId);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page = await api(`/v1/customers/${customer}/offers?bank=${BANK}&limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(page.body.offers.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.offers.map((o: { campaignId: string }) => o.campaignId));
      after = page.body.nextAfter;
    } while (after);
    expect(seen).toEqual(all);
    const bad = await api(`/v1/customers/${customer}/offers?bank=${BANK}&limit=0&locale=fi`);
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['limit', 'locale']);
  });
});

describe('two banks on one platform: a customer is (bank, customer id)', () => {
  const A = `bank-a-${run}`;
  const B = `bank-b-${run}`;
  beforeAll(() =>
    publishCampaigns(
      campaign('tb-cap', 'tb', 'MID-TB', { audience: { segment: 'new', lookbackDays: 365 }, reward: { kind: 'percent', basisPoints: 1000, maxRewardsPerCustomer: 1 } }),
      campaign('tb-only-a', 'tba', 'MID-TBA', { banks: [A], activation: 'required' }),
    ),
  );

  it("two banks' c-1001 share no history, cap or activation; a campaign for bank A never matches bank B's purchase", async () => {
    // Bank A's c-1001 uses up its one reward; bank B's c-1001 is still new and still under the cap.
    const a1 = await authorize({ customer: 'c-1001', mid: 'MID-TB', bank: A, at: T0 });
    expect(await outcomesOf(a1.purchaseId, 1)).toEqual({ 'tb-cap': 'matched' });
    const b1 = await authorize({ customer: 'c-1001', mid: 'MID-TB', bank: B, at: T0 + 1000 });
    expect(await outcomesOf(b1.purchaseId, 1)).toEqual({ 'tb-cap': 'matched' });
    expect(matchesOf(b1.purchaseId)[0].data.audienceSegment).toBe('new');
    const a2 = await authorize({ customer: 'c-1001', mid: 'MID-TB', bank: A, at: T0 + 2000 });
    expect(await outcomesOf(a2.purchaseId, 1)).toEqual({ 'tb-cap': 'audience-mismatch' });

    // Targeting: bank B's purchase at bank A's campaign is declined, and the outcomes API says why.
    const b2 = await authorize({ customer: 'c-1001', mid: 'MID-TBA', bank: B, at: T0 });
    expect(await outcomesOf(b2.purchaseId, 1)).toEqual({ 'tb-only-a': 'bank-not-targeted' });
    const why = await api(`/v1/transactions/${B}/${b2.transactionId}/outcomes`);
    expect(why.body.outcomes).toEqual([expect.objectContaining({ campaignId: `tb-only-a-${run}`, outcome: 'declined', reasonCode: 'bank-not-targeted' })]);
    const a3 = await authorize({ customer: 'c-1001', mid: 'MID-TBA', bank: A, at: T0 });
    expect(await outcomesOf(a3.purchaseId, 1)).toEqual({ 'tb-only-a': 'matched' });
  });

  it("the offers feed shows a bank only its campaigns and its own customer's activation", async () => {
    const customer = `c-1001-${run}`;
    const only = (body: Json) => body.offers.filter((o: { campaignId: string }) => o.campaignId === `tb-only-a-${run}`);
    await producer.send('clicks', [
      {
        key: customer,
        event: newEnvelope(ClickRecordedV1, {
          source: 'ingestion',
          occurredAt: iso(Date.now()),
          data: { clickId: `clk-tb-${run}`, customerId: customer, campaignId: `tb-only-a-${run}`, publisherId: 'pub-bank-test', kind: 'activation', at: iso(Date.now() - 60_000), reportedBy: A, inboundEventId: randomUUID() },
        }),
      },
    ]);
    await eventually(async () => expect(only((await api(`/v1/customers/${customer}/offers?bank=${A}`)).body)).toEqual([expect.objectContaining({ activation: expect.objectContaining({ activated: true }) })]));
    expect(only((await api(`/v1/customers/${customer}/offers?bank=${B}`)).body)).toEqual([]);
    // Bank B cannot name bank A's customer: its key always means its own bank.
    const asOther = await api(`/v1/customers/${customer}/offers?bank=${A}`, { 'x-api-key': 'test-bank-key' });
    expect(asOther.status).toBe(403);
    const noBank = await api(`/v1/customers/${customer}/offers`);
    expect(noBank.status).toBe(400);
    expect(noBank.body.fields).toEqual([expect.objectContaining({ field: 'bank' })]);
  });
});
