import { INestApplication } from '@nestjs/common';
import { decodeEvent, type TopicEvents, type TopicName } from '@prestanda/contracts';
import { EventProducer, physicalTopic } from '@prestanda/kafka';
import { metricsRegistry } from '@prestanda/observability';
import { schemaDrift } from '@prestanda/persistence';
import { createServiceApp, MessagingRuntime } from '@prestanda/service-kit';
import { bearer, dropSchema, eventually, TEST_BANK_API_KEY, testDatabaseUrl, testKafka, TopicReader, uniqueSuffix, useTopicNamespace } from '@prestanda/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadBillingConfig } from '../src/config';
import { campaignSnapshot, click, confirmed, earned, impression, lead, reinstated, reversed, type RewardInit } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('billing (real broker and database)', () => {
  const kafka = testKafka();
  const run = uniqueSuffix();
  let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
  let app: INestApplication;
  let ds: DataSource;
  let producer: EventProducer;
  let reader: TopicReader;
  let url: string;

  const id = (label: string) => `${label}-${run}`;
  const SEK = (amountMinor: number) => ({ amountMinor, currency: 'SEK' });

  async function startApp(): Promise<INestApplication> {
    const config = loadBillingConfig({ ...process.env, HTTP_PORT: '0', HEALTH_PORT: '0', LOG_LEVEL: 'warn' });
    const a = await createServiceApp(AppModule.forRoot(config), { service: 'billing', title: 't', httpPort: 0 });
    await a.listen(0);
    await eventually(() => expect(a.get(MessagingRuntime).health.readiness()).resolves.toMatchObject({ ok: true }), { timeoutMs: 60000, intervalMs: 250 });
    return a;
  }

  async function send<T extends TopicName>(topic: T, events: TopicEvents[T][], key: (e: TopicEvents[T]) => string): Promise<void> {
    await producer.send(topic, events.map((event) => ({ key: key(event), event })));
  }
  const byCustomer = (e: { data: { customerId?: string; leadId?: string } }) => e.data.customerId ?? e.data.leadId ?? 'none';

  async function campaign(campaignId: string, advertiserId: string, opts: Parameters<typeof campaignSnapshot>[2]): Promise<void> {
    await send('campaigns', [campaignSnapshot(campaignId, advertiserId, opts)], (e) => e.data.campaignId);
    await eventually(async () => {
      const rows = await ds.query(`SELECT "version", "total_minor" FROM "billing"."campaigns" c JOIN "billing"."budgets" b USING ("campaign_id") WHERE "campaign_id"=$1`, [campaignId]);
      expect(rows[0]?.version).toBe(opts.version ?? 1);
      expect(Number(rows[0]?.total_minor)).toBe(opts.budget);
    });
  }

  const sql = async (q: string, params: unknown[] = []) => ds.query(q, params);
  const balance = async (accountId: string) => Number((await sql(`SELECT COALESCE(SUM("amount_minor"),0)::text AS b FROM "billing"."ledger_entries" WHERE "account_id"=$1`, [accountId]))[0].b);
  const receivable = (adv: string) => balance(`advertiser-receivable:${adv}:SEK`);
  const budgetEvents = (campaignId: string, type?: string) =>
    reader
      .of(physicalTopic('budget-events'))
      .map((m) => ({ key: m.key, ...m.json<any>() }))
      .filter((e) => e.data.campaignId === campaignId && (!type || e.type === type));

  async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; json: () => any; type: string | null }> {
    const r = await fetch(`${url}${path}`, { headers: { ...(await bearer(['ops-admin'])), ...headers } });
    const text = await r.text();
    return { status: r.status, text, type: r.headers.get('content-type'), json: () => JSON.parse(text) };
  }
  async function postJson(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: () => any }> {
    const r = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(headers ?? (await bearer(['ops-admin']))) }, body: JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, json: () => JSON.parse(text) };
  }

  beforeAll(async () => {
    ns = await useTopicNamespace(kafka);
    process.env.KAFKA_GROUP_SUFFIX = `.${run}`;
    process.env.DATABASE_URL = testDatabaseUrl();
    await dropSchema('billing');
    app = await startApp();
    ds = app.get(DataSource);
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    producer = new EventProducer(kafka);
    await producer.connect();
    reader = await TopicReader.start(kafka, ['budget-events', 'payouts', 'rewards'].map((t) => physicalTopic(t)));
  });

  afterAll(async () => {
    await reader?.stop();
    await producer?.disconnect();
    await app?.close();
    await ns?.cleanup();
  });

  it('has no drift between entities and migrations', async () => {
    expect(await schemaDrift(ds)).toEqual([]);
  });

  it('CPA: charges reward + fee once per earned reward, shares the fee, and credits a reversal back in proportion', async () => {
    const adv = id('adv-cpa');
    const cmp = id('cmp-cpa');
    await campaign(cmp, adv, { budget: 1_000_000 });
    const r: RewardInit = { rewardId: id('rwd-cpa-1'), campaignId: cmp, advertiserId: adv, customerId: id('cust-cpa'), amount: 4_295, fee: 859, share: 257 };
    const first = earned(r);
    // the same event twice, and the same reward under another event id: one charge
    await send('rewards', [first, first, earned(r)], byCustomer);
    await eventually(async () => expect(await receivable(adv)).toBe(5_154));
    expect(await balance(`customer-cashback-pending:bank-test:${r.customerId}:SEK`)).toBe(-4_295);
    expect(await balance('publisher-payable:pub-bank-test:SEK')).toBeLessThanOrEqual(-257);
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM "billing"."ledger_transactions" WHERE "reward_id"=$1 AND "kind"='reward-earned'`, [r.rewardId]);
    expect(n).toBe(1);

    const rev = reversed(r, { reversed: 1_000, remaining: 3_295, fee: 200, share: 60, txn: id('txn-refund-1') });
    await send('rewards', [rev, reversed(r, { reversed: 1_000, remaining: 3_295, fee: 200, share: 60, txn: id('txn-refund-1') })], byCustomer);
    await eventually(async () => expect(await receivable(adv)).toBe(3_954));
    expect(await balance(`customer-cashback-pending:bank-test:${r.customerId}:SEK`)).toBe(-3_295);
    const [b] = await sql(`SELECT "spent_minor"::int AS spent FROM "billing"."budgets" WHERE "campaign_id"=$1`, [cmp]);
    expect(b.spent).toBe(3_954);
  });

  it('an expired reward reversed in full and reinstated is charged again, once', async () => {
    const adv = id('adv-reinst');
    const cmp = id('cmp-reinst');
    await campaign(cmp, adv, { budget: 1_000_000 });
    const r: RewardInit = { rewardId: id('rwd-reinst'), campaignId: cmp, advertiserId: adv, customerId: id('cust-reinst'), amount: 1_000, fee: 200, share: 60 };
    await send('rewards', [earned(r), { ...reversed(r, { reversed: 1_000, remaining: 0, fee: 200, share: 60, txn: 'authorization', status: 'reversed' }) }], byCustomer);
    await eventually(async () => expect(await sql(`SELECT count(*)::int AS n FROM "billing"."ledger_transactions" WHERE "reward_id"=$1`, [r.rewardId])).toEqual([{ n: 2 }]));
    expect(await receivable(adv)).toBe(0);
    const back = reinstated(r);
    // Delivered twice (and once more under another event id): charged once.
    await send('rewards', [back, back, reinstated(r)], byCustomer);
    await eventually(async () => expect(await receivable(adv)).toBe(1_200));
    expect(await balance(`customer-cashback-pending:bank-test:${r.customerId}:SEK`)).toBe(-1_000);
    expect(await sql(`SELECT count(*)::int AS n FROM "billing"."ledger_transactions" WHERE "reward_id"=$1 AND "kind"='reward-reinstated'`, [r.rewardId])).toEqual([{ n: 1 }]);
    expect(await sql(`SELECT "remaining_minor"::int AS r, "charged" FROM "billing"."rewards" WHERE "reward_id"=$1`, [r.rewardId])).toEqual([{ r: 1_000, charged: true }]);
    const [b] = await sql(`SELECT "spent_minor"::int AS spent FROM "billing"."budgets" WHERE "campaign_id"=$1`, [cmp]);
    expect(b.spent).toBe(1_200);
  });

  it('CPC: bills valid clicks only (same customer and campaign once per 30 minutes)', async () => {
    const adv = id('adv-cpc');
    const cmp = id('cmp-cpc');
    await campaign(cmp, adv, { model: 'CPC', price: 500, budget: 1_000_000 });
    const x = id('cust-x');
    const y = id('cust-y');
    const t0 = Date.parse('2025-06-01T10:00:00Z');
    const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
    await send(
      'clicks',
      [
        click(id('clk-1'), cmp, x, at(0)),
        click(id('clk-2'), cmp, x, at(10)), // inside 30 min of clk-1: not billed
        click(id('clk-3'), cmp, x, at(31)), // billed
        click(id('clk-4'), cmp, x, at(45)), // inside 30 min of clk-3: not billed
        click(id('clk-5'), cmp, y, at(5)), // another customer: billed
        click(id('clk-6'), cmp, y, at(50), 'activation'), // activations are not priced clicks
        click(id('clk-7'), cmp, y, at(60)), // billed
      ],
      byCustomer,
    );
    await eventually(async () => expect(await receivable(adv)).toBe(2_000));
    // fee 20 % of 500 = 100 to the platform, 400 to the publisher per click
    const rows = await sql(`SELECT "source_id", "cost_minor"::int AS cost, "fee_minor"::int AS fee FROM "billing"."ledger_transactions" WHERE "campaign_id"=$1 ORDER BY 1`, [cmp]);
    expect(rows.map((r: any) => r.source_id)).toEqual([id('clk-1'), id('clk-3'), id('clk-5'), id('clk-7')]);
    expect(rows.every((r: any) => r.cost === 400 && r.fee === 100)).toBe(true);
  });

  it('charges nothing for a publisher the campaign does not list, and says why', async () => {
    const adv = id('adv-unapproved');
    const cmp = id('cmp-unapproved');
    await campaign(cmp, adv, { model: 'CPC', price: 500, budget: 1_000_000, publishers: [{ publisherId: id('aff-approved'), kind: 'affiliate' }] });
    const at = new Date().toISOString();
    const cpl = id('cmp-unapproved-cpl');
    await campaign(cpl, adv, { model: 'CPL', price: 900, budget: 1_000_000, publishers: [{ publisherId: id('aff-approved'), kind: 'affiliate' }] });
    await send('leads', [lead(id('lead-rival'), cpl, id('aff-rival'))], byCustomer);
    await send(
      'clicks',
      [
        click(id('clk-rival'), cmp, id('cust-u1'), at, 'click', id('aff-rival')),
        click(id('clk-approved'), cmp, id('cust-u2'), at, 'click', id('aff-approved')),
        click(id('clk-again'), cmp, id('cust-u2'), at, 'click', id('aff-approved')),
      ],
      byCustomer,
    );
    // The approved click is charged; the rival's and the repeat are not, each with its reason.
    const approved = await eventually(async () => {
      const r = await get(`/v1/actions/cpc/${id('clk-again')}`);
      expect(r.status).toBe(200);
      return get(`/v1/actions/cpc/${id('clk-approved')}`);
    });
    expect(approved.json()).toMatchObject({ charged: true, chargeMinor: 500, commissionMinor: 400, feeMinor: 100, campaignId: cmp });
    expect((await get(`/v1/actions/cpc/${id('clk-rival')}`)).json()).toMatchObject({ charged: false, reason: 'publisher-not-approved', publisherId: id('aff-rival') });
    expect((await get(`/v1/actions/cpc/${id('clk-again')}`)).json()).toMatchObject({ charged: false, reason: 'repeat-click' });
    await eventually(async () => expect((await get(`/v1/actions/cpl/${id('lead-rival')}`)).json()).toMatchObject({ charged: false, reason: 'publisher-not-approved' }));
    expect(await receivable(adv)).toBe(500);
    expect(await balance(`publisher-payable:${id('aff-rival')}:SEK`)).toBe(0);
    // The advertiser sees its own actions; another advertiser does not; an unknown kind is a 400 naming it.
    expect((await get(`/v1/actions/cpc/${id('clk-rival')}`, await bearer(['advertiser'], adv))).status).toBe(200);
    expect((await get(`/v1/actions/cpc/${id('clk-rival')}`, await bearer(['advertiser'], id('adv-other')))).status).toBe(403);
    const bad = await get(`/v1/actions/cpx/${id('clk-rival')}`);
    expect([bad.status, bad.json().fields[0].field]).toEqual([400, 'kind']);
    expect((await get(`/v1/actions/cpc/${id('clk-never')}`)).status).toBe(404);
  });

  it('CPM: accrues impressions in micro-units and bills whole minor units, carrying the remainder', async () => {
    const adv = id('adv-cpm');
    const cmp = id('cmp-cpm');
    // 12,34 kr per thousand = 1 234 000 micro-units per impression
    await campaign(cmp, adv, { model: 'CPM', price: 1_234, budget: 1_000_000 });
    await send('impressions', Array.from({ length: 10 }, (_, i) => impression(id(`imp-${i}`), cmp, id(`cust-imp-${i % 3}`))), byCustomer);
    await eventually(async () => {
      const [a] = await sql(`SELECT "remainder_micros"::int AS r FROM "billing"."cpm_accruals" WHERE "campaign_id"=$1`, [cmp]);
      const [{ n }] = await sql(`SELECT COALESCE(SUM("units"),0)::int AS n FROM "billing"."ledger_transactions" WHERE "campaign_id"=$1`, [cmp]);
      // 10 × 1 234 000 = 12 340 000 micros: 12 minor billed, 340 000 carried
      expect(await receivable(adv)).toBe(12);
      expect(a.r).toBe(340_000);
      expect(n).toBe(10);
    });
  });

  it('CPL: bills each accepted lead once, de-duplicated on the lead id', async () => {
    const adv = id('adv-cpl');
    const cmp = id('cmp-cpl');
    await campaign(cmp, adv, { model: 'CPL', price: 2_000, budget: 1_000_000, publishers: [{ publisherId: id('aff-cpl'), kind: 'affiliate' }] });
    await send('leads', [lead(id('lead-1'), cmp, id('aff-cpl')), lead(id('lead-2'), cmp, id('aff-cpl')), lead(id('lead-1'), cmp, id('aff-cpl'))], byCustomer);
    await eventually(async () => expect(await receivable(adv)).toBe(4_000));
    await new Promise((r) => setTimeout(r, 1000));
    expect(await receivable(adv)).toBe(4_000);
    expect(await balance(`publisher-payable:${id('aff-cpl')}:SEK`)).toBe(-3_200);
  });

  it('emits threshold at 80 % and exhausted at 100 % once each, stops charging, and replenishes when the budget is raised', async () => {
    const adv = id('adv-bud');
    const cmp = id('cmp-bud');
    await campaign(cmp, adv, { budget: 10_000 });
    const cust = id('cust-bud');
    const rewards = Array.from({ length: 7 }, (_, i) => earned({ rewardId: id(`rwd-bud-${i}`), campaignId: cmp, advertiserId: adv, customerId: cust, amount: 1_800, fee: 200, share: 60 }));
    await send('rewards', rewards, byCustomer);
    await eventually(async () => expect((await sql(`SELECT count(*)::int AS n FROM "billing"."rewards" WHERE "campaign_id"=$1`, [cmp]))[0].n).toBe(7));
    expect(await receivable(adv)).toBe(10_000); // 5 charged; rewards 6 and 7 absorbed by the platform
    expect(await balance(`customer-cashback-pending:bank-test:${cust}:SEK`)).toBe(-7 * 1_800);
    await eventually(() => {
      expect(budgetEvents(cmp, 'budget.exhausted')).toHaveLength(1);
      expect(budgetEvents(cmp, 'budget.threshold-reached')).toHaveLength(1);
    });
    const threshold = budgetEvents(cmp, 'budget.threshold-reached')[0];
    expect(threshold.key).toBe(adv);
    expect(threshold.data).toMatchObject({ scope: 'total', budget: { amountMinor: 10_000 }, spent: { amountMinor: 8_000 }, percent: 80, thresholdPercent: 80 });
    expect(budgetEvents(cmp, 'budget.exhausted')[0].data).toMatchObject({ spent: { amountMinor: 10_000 }, percent: 100 });

    await campaign(cmp, adv, { budget: 20_000, version: 2 });
    await eventually(() => expect(budgetEvents(cmp, 'budget.replenished')).toHaveLength(1));
    expect(budgetEvents(cmp, 'budget.replenished')[0].data).toMatchObject({ reason: 'budget-raised', budget: { amountMinor: 20_000 }, spent: { amountMinor: 10_000 }, percent: 50 });
    await new Promise((r) => setTimeout(r, 500));
    expect(budgetEvents(cmp, 'budget.exhausted')).toHaveLength(1);
    expect(budgetEvents(cmp, 'budget.threshold-reached')).toHaveLength(1);
  });

  it('replenishes an exhausted budget when a reversal credits enough back', async () => {
    const adv = id('adv-rev');
    const cmp = id('cmp-rev');
    await campaign(cmp, adv, { budget: 2_000 });
    const r: RewardInit = { rewardId: id('rwd-rev-1'), campaignId: cmp, advertiserId: adv, customerId: id('cust-rev'), amount: 900, fee: 100, share: 30 };
    await send('rewards', [earned(r), earned({ ...r, rewardId: id('rwd-rev-2') })], byCustomer);
    await eventually(() => expect(budgetEvents(cmp, 'budget.exhausted')).toHaveLength(1));
    await send('rewards', [reversed(r, { reversed: 450, remaining: 450, fee: 50, share: 15, txn: id('txn-rev-refund') })], byCustomer);
    await eventually(() => expect(budgetEvents(cmp, 'budget.replenished')).toHaveLength(1));
    expect(budgetEvents(cmp, 'budget.replenished')[0].data).toMatchObject({ reason: 'reversal-credited', spent: { amountMinor: 1_500 }, percent: 75 });
    expect(await receivable(adv)).toBe(1_500);
  });

  it('charges a reward whose campaign is not known yet, and starts the budget from that spend when the snapshot arrives', async () => {
    const adv = id('adv-late');
    const cmp = id('cmp-late');
    await send('rewards', [earned({ rewardId: id('rwd-late'), campaignId: cmp, advertiserId: adv, customerId: id('cust-late'), amount: 900, fee: 100, share: 30 })], byCustomer);
    await eventually(async () => expect(await receivable(adv)).toBe(1_000));
    await campaign(cmp, adv, { budget: 1_000 });
    const [b] = await sql(`SELECT "spent_minor"::int AS spent, "exhausted_sent" FROM "billing"."budgets" WHERE "campaign_id"=$1`, [cmp]);
    expect(b).toEqual({ spent: 1_000, exhausted_sent: true });
    await eventually(() => expect(budgetEvents(cmp, 'budget.exhausted')).toHaveLength(1));
  });

  it('caps spend per day with a daily budget (campaign time zone) and tells the day in the events', async () => {
    const adv = id('adv-day');
    const cmp = id('cmp-day');
    await campaign(cmp, adv, { budget: 1_000_000, daily: 5_000 });
    const cust = id('cust-day');
    // 23:30 UTC on 2025-06-01 is 01:30 on 2025-06-02 in Stockholm
    const rewards = Array.from({ length: 6 }, (_, i) =>
      earned({ rewardId: id(`rwd-day-${i}`), campaignId: cmp, advertiserId: adv, customerId: cust, amount: 900, fee: 100, share: 30, earnedAt: '2025-06-01T23:30:00.000Z' }),
    );
    await send('rewards', rewards, byCustomer);
    await eventually(async () => expect((await sql(`SELECT count(*)::int AS n FROM "billing"."rewards" WHERE "campaign_id"=$1`, [cmp]))[0].n).toBe(6));
    expect(await receivable(adv)).toBe(5_000);
    await eventually(() => {
      expect(budgetEvents(cmp, 'budget.exhausted').map((e) => e.data)).toEqual([expect.objectContaining({ scope: 'daily', day: '2025-06-02', spent: { amountMinor: 5_000, currency: 'SEK' }, percent: 100 })]);
      expect(budgetEvents(cmp, 'budget.threshold-reached').map((e) => e.data)).toEqual([expect.objectContaining({ scope: 'daily', day: '2025-06-02', percent: 80 })]);
    });
    // another day has its own cap
    await send('rewards', [earned({ rewardId: id('rwd-day-next'), campaignId: cmp, advertiserId: adv, customerId: cust, amount: 900, fee: 100, share: 30, earnedAt: '2025-06-03T10:00:00.000Z' })], byCustomer);
    await eventually(async () => expect(await receivable(adv)).toBe(6_000));

    // the console's budget view: spend, today's cap (empty: the charges were on other days), the run-out projection
    const status = await get(`/v1/campaigns/${cmp}/budget`);
    expect(status.status).toBe(200);
    expect(status.json()).toMatchObject({
      campaignId: cmp,
      advertiserId: adv,
      pacing: 'asap',
      budget: { amountMinor: 1_000_000 },
      spent: { amountMinor: 6_000 },
      remaining: { amountMinor: 994_000 },
      percent: 0,
      spendRatePerHour: { amountMinor: 250 },
      daily: { budget: { amountMinor: 5_000 }, spent: { amountMinor: 0 }, aheadOfPace: false },
    });
    expect(Date.parse(status.json().projectedExhaustionAt)).toBeGreaterThan(Date.now());
    expect((await get(`/v1/campaigns/${cmp}/budget`, await bearer(['advertiser'], id('adv-other')))).status).toBe(403);
  });

  it('two instances on 2 partitions never charge more than the budget plus one action, and exhaust once', async () => {
    const app2 = await startApp();
    try {
      const adv = id('adv-conc');
      const cmp = id('cmp-conc');
      await campaign(cmp, adv, { budget: 100_000 });
      // 300 rewards of 1 000 each for a budget of 100 actions, spread over many customers (both partitions)
      const events = Array.from({ length: 300 }, (_, i) =>
        earned({ rewardId: id(`rwd-conc-${i}`), campaignId: cmp, advertiserId: adv, customerId: id(`cust-conc-${i % 37}`), amount: 900, fee: 100, share: 30 }),
      );
      await send('rewards', events, byCustomer);
      await eventually(async () => expect((await sql(`SELECT count(*)::int AS n FROM "billing"."rewards" WHERE "campaign_id"=$1`, [cmp]))[0].n).toBe(300), { timeoutMs: 90000, intervalMs: 500 });
      const charged = await receivable(adv);
      expect(charged).toBeLessThanOrEqual(100_000 + 1_000);
      expect(charged).toBeGreaterThanOrEqual(100_000);
      await eventually(() => expect(budgetEvents(cmp, 'budget.exhausted')).toHaveLength(1));
      await new Promise((r) => setTimeout(r, 1000));
      expect(budgetEvents(cmp, 'budget.exhausted')).toHaveLength(1);
      expect(budgetEvents(cmp, 'budget.threshold-reached')).toHaveLength(1);
    } finally {
      await app2.close();
    }
  });

  it("an advertiser budget shared by its campaigns at two banks: two instances charge at most one action over it, and it exhausts once", async () => {
    const app2 = await startApp();
    try {
      const adv = id('adv-shared');
      const atA = id('cmp-shared-a');
      const atB = id('cmp-shared-b');
      const advertiserBudget = { total: SEK(50_000) };
      // Each campaign alone has room for 100 actions; together they may spend 50.
      await campaign(atA, adv, { budget: 100_000, advertiserBudget });
      await campaign(atB, adv, { budget: 100_000, advertiserBudget });
      await eventually(async () => expect(await sql(`SELECT "total_minor"::int AS t, "spent_minor"::int AS s FROM "billing"."spend_limits" WHERE "limit_id"=$1`, [`advertiser:${adv}`])).toEqual([{ t: 50_000, s: 0 }]));
      const events = Array.from({ length: 160 }, (_, i) =>
        earned({ rewardId: id(`rwd-shared-${i}`), campaignId: i % 2 ? atA : atB, advertiserId: adv, customerId: id(`cust-shared-${i % 41}`), bank: i % 2 ? 'bank-a' : 'bank-b', amount: 900, fee: 100, share: 30 }),
      );
      await send('rewards', events, byCustomer);
      await eventually(async () => expect((await sql(`SELECT count(*)::int AS n FROM "billing"."rewards" WHERE "advertiser_id"=$1`, [adv]))[0].n).toBe(160), { timeoutMs: 90000, intervalMs: 500 });
      const charged = await receivable(adv);
      expect(charged).toBeGreaterThanOrEqual(50_000);
      expect(charged).toBeLessThanOrEqual(50_000 + 1_000);
      const [limit] = await sql(`SELECT "spent_minor"::int AS s, "exhausted_sent" AS x FROM "billing"."spend_limits" WHERE "limit_id"=$1`, [`advertiser:${adv}`]);
      expect(limit).toEqual({ s: charged, x: true });
      const limitEvents = (type: string) =>
        reader
          .of(physicalTopic('budget-events'))
          .map((m) => ({ key: m.key, ...m.json<any>() }))
          .filter((e) => e.type === type && e.data.limitId === `advertiser:${adv}`);
      await eventually(() => expect(limitEvents('spend-limit.exhausted')).toHaveLength(1));
      expect(limitEvents('spend-limit.exhausted')[0]).toMatchObject({ key: adv, data: { kind: 'advertiser', advertiserId: adv, budget: SEK(50_000), percent: 100 } });
      expect(limitEvents('spend-limit.threshold-reached')).toHaveLength(1);
      // The campaigns' own budgets are not exhausted: the advertiser's is what held.
      expect(budgetEvents(atA, 'budget.exhausted')).toHaveLength(0);
      expect(budgetEvents(atB, 'budget.exhausted')).toHaveLength(0);

      // A reversal of a charged reward credits the limit back below 100 %: replenished, once.
      const [r] = await sql(`SELECT "reward_id", "campaign_id", "bank_id", "customer_id" FROM "billing"."rewards" WHERE "advertiser_id"=$1 AND "charged" ORDER BY "reward_id" LIMIT 1`, [adv]);
      const init = { rewardId: r.reward_id, campaignId: r.campaign_id, advertiserId: adv, customerId: r.customer_id, bank: r.bank_id, amount: 900, fee: 100, share: 30 };
      await send('rewards', [reversed(init, { reversed: 900, remaining: 0, fee: 100, share: 30, txn: 'txn-refund-shared', status: 'reversed' })], byCustomer);
      await eventually(() => expect(limitEvents('spend-limit.replenished')).toHaveLength(1));
      expect(limitEvents('spend-limit.replenished')[0].data).toMatchObject({ reason: 'reversal-credited', spent: SEK(charged - 1_000) });
    } finally {
      await app2.close();
    }
  });

  it("a campaign's cap at one bank stops charging that bank's rewards only; the advertiser-bank cap is created with the spend already booked", async () => {
    const adv = id('adv-cap');
    const cmp = id('cmp-cap');
    await campaign(cmp, adv, { budget: 100_000, bankCaps: [{ bankId: 'bank-a', amount: SEK(3_000) }] });
    const reward = (i: number, bank: string) => earned({ rewardId: id(`rwd-cap-${bank}-${i}`), campaignId: cmp, advertiserId: adv, customerId: id('cust-cap'), bank, amount: 900, fee: 100, share: 30 });
    await send('rewards', [0, 1, 2, 3, 4].flatMap((i) => [reward(i, 'bank-a'), reward(i, 'bank-b')]), byCustomer);
    await eventually(async () => expect((await sql(`SELECT count(*)::int AS n FROM "billing"."rewards" WHERE "campaign_id"=$1`, [cmp]))[0].n).toBe(10));
    const perBank = await sql(`SELECT "bank_id" AS bank, count(*) FILTER (WHERE "charged")::int AS charged FROM "billing"."rewards" WHERE "campaign_id"=$1 GROUP BY 1 ORDER BY 1`, [cmp]);
    expect(perBank).toEqual([
      { bank: 'bank-a', charged: 3 },
      { bank: 'bank-b', charged: 5 },
    ]);
    // An advertiser cap at bank-b added later starts from the 5 000 already charged there: exhausted at once.
    await campaign(cmp, adv, { version: 2, budget: 100_000, bankCaps: [{ bankId: 'bank-a', amount: SEK(3_000) }], advertiserBudget: { bankCaps: [{ bankId: 'bank-b', amount: SEK(4_000) }] } });
    await eventually(async () =>
      expect(await sql(`SELECT "spent_minor"::int AS s, "exhausted_sent" AS x FROM "billing"."spend_limits" WHERE "limit_id"=$1`, [`advertiser:${adv}:bank:bank-b`])).toEqual([{ s: 5_000, x: true }]),
    );
    // Removing the caps switches them off (the exhausted one is replenished as limit-removed).
    await campaign(cmp, adv, { version: 3, budget: 100_000 });
    await eventually(async () => expect(await sql(`SELECT "limit_id", "total_minor" FROM "billing"."spend_limits" WHERE "advertiser_id"=$1 AND "total_minor" IS NOT NULL`, [adv])).toEqual([]));
    const removed = () =>
      reader
        .of(physicalTopic('budget-events'))
        .map((m) => m.json<any>())
        .filter((e) => e.type === 'spend-limit.replenished' && e.data.advertiserId === adv);
    await eventually(() =>
      expect(removed().map((e) => [e.data.limitId, e.data.reason]).sort()).toEqual([
        [`advertiser:${adv}:bank:bank-b`, 'limit-removed'],
        [`campaign:${cmp}:bank:bank-a`, 'limit-removed'],
      ]),
    );
  });

  it('computes a monthly invoice from the ledger that matches a hand computation, as JSON and CSV', async () => {
    const adv = id('adv-inv');
    const cmp = id('cmp-inv');
    const cmpCpl = id('cmp-inv-cpl');
    await campaign(cmp, adv, { budget: 1_000_000 });
    await campaign(cmpCpl, adv, { model: 'CPL', price: 1_500, budget: 1_000_000 });
    const r1: RewardInit = { rewardId: id('rwd-inv-1'), campaignId: cmp, advertiserId: adv, customerId: id('cust-inv'), amount: 4_295, fee: 859, share: 257, earnedAt: '2025-03-14T15:09:27.480Z' };
    const r2: RewardInit = { ...r1, rewardId: id('rwd-inv-2'), amount: 1_000, fee: 200, share: 60, earnedAt: '2025-03-31T23:59:59.000Z' };
    const r3: RewardInit = { ...r1, rewardId: id('rwd-inv-3'), amount: 500, fee: 100, share: 30, earnedAt: '2025-04-01T00:00:00.000Z' };
    await send('rewards', [earned(r1), earned(r2), earned(r3), reversed(r1, { reversed: 1_000, remaining: 3_295, fee: 200, share: 60, at: '2025-03-20T11:30:00.000Z', txn: id('txn-inv-refund') })], byCustomer);
    await eventually(async () => expect(await receivable(adv)).toBe(5_154 + 1_200 + 600 - 1_200));
    // Leads are billed at their own time (now): not in March 2025.
    await send('leads', [lead(id('lead-inv'), cmpCpl)], byCustomer);
    await eventually(async () => expect(await receivable(adv)).toBe(5_754 + 1_500));

    // Hand computation for 2025-03: rewards 4 295 + 1 000 = 5 295, fees 859 + 200 = 1 059, credited 1 000 + 200 = 1 200 → 5 154
    const res = await get(`/v1/advertisers/${adv}/invoices/2025-03`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      advertiserId: adv,
      month: '2025-03',
      invoices: [
        {
          advertiserId: adv,
          month: '2025-03',
          currency: 'SEK',
          lines: [{ campaignId: cmp, pricingModel: 'CPA', currency: 'SEK', units: 2, costMinor: 5_295, feesMinor: 1_059, creditsMinor: 1_200, totalMinor: 5_154 }],
          totalMinor: 5_154,
        },
      ],
    });
    const csv = await get(`/v1/advertisers/${adv}/invoices/2025-03?format=csv`);
    expect(csv.type).toContain('text/csv');
    expect(csv.text).toBe(`advertiserId,month,currency,campaignId,pricingModel,units,costMinor,feesMinor,creditsMinor,totalMinor\n${adv},2025-03,SEK,${cmp},CPA,2,5295,1059,1200,5154\n`);
    const csvByAccept = await get(`/v1/advertisers/${adv}/invoices/2025-03`, { accept: 'text/csv' });
    expect(csvByAccept.text).toBe(csv.text);

    const list = (await get(`/v1/advertisers/${adv}/invoices`)).json();
    expect(list.invoices.map((i: any) => [i.month, i.totalMinor])).toEqual(expect.arrayContaining([['2025-03', 5_154], ['2025-04', 600]]));
    expect((await get(`/v1/advertisers/${adv}/invoices/2025-13`)).status).toBe(400);

    // advertiser users see only their own invoices
    expect((await get(`/v1/advertisers/${adv}/invoices`, await bearer(['advertiser'], adv))).status).toBe(200);
    expect((await get(`/v1/advertisers/${adv}/invoices`, await bearer(['advertiser'], id('adv-other')))).status).toBe(403);
  });

  it('pays confirmed cashback per bank, nets a refund after payout into the next batch, and pays affiliates their commission', async () => {
    const adv = id('adv-pay');
    const cmp = id('cmp-pay');
    const bank = id('bank-pay');
    await campaign(cmp, adv, { budget: 1_000_000 });
    const cust = id('cust-pay');
    const r1: RewardInit = { rewardId: id('rwd-pay-1'), campaignId: cmp, advertiserId: adv, customerId: cust, amount: 1_000, fee: 200, share: 60, bank };
    await send('rewards', [earned(r1), confirmed(r1, 1_000)], byCustomer);
    await eventually(async () => expect(await balance(`customer-cashback-payable:${bank}:${cust}:SEK`)).toBe(-1_000));

    const first = await postJson('/v1/payouts/batches', {});
    expect(first.status).toBe(201);
    const b1 = first.json().batches.find((b: any) => b.payeeId === bank);
    expect(b1).toMatchObject({ payeeKind: 'bank', total: { amountMinor: 1_000 }, lineCount: 1, items: [{ customerId: cust, amount: { amountMinor: 1_000 }, rewardIds: [r1.rewardId] }] });
    // the affiliate of the CPL test is paid its commission in its own batch
    const aff = first.json().batches.find((b: any) => b.payeeId === id('aff-cpl'));
    expect(aff).toMatchObject({ payeeKind: 'affiliate', total: { amountMinor: 3_200 }, items: [{ campaignId: id('cmp-cpl'), amount: { amountMinor: 3_200 } }] });
    // the bank publisher credited with the reward is paid its revenue share: a statement line per campaign
    const share = first.json().batches.find((b: any) => b.payeeId === 'pub-bank-test');
    expect(share).toMatchObject({ payeeKind: 'bank' });
    expect(share.items).toContainEqual(expect.objectContaining({ campaignId: cmp, amount: { amountMinor: 60, currency: 'SEK' } }));
    expect(share.total.amountMinor).toBe(share.items.reduce((sum: number, l: any) => sum + l.amount.amountMinor, 0));
    expect(await balance('publisher-payable:pub-bank-test:SEK')).toBeGreaterThanOrEqual(0); // all of it in transit now
    await eventually(() => expect(reader.of(physicalTopic('payouts')).filter((m) => m.json<any>().data.batchId === b1.batchId)).toHaveLength(1));

    // the bank acknowledges with its API key
    const ack = await postJson(`/v1/payouts/batches/${b1.batchId}/acknowledge`, { status: 'accepted', payeeReference: 'REF-1' }, { 'x-api-key': TEST_BANK_API_KEY });
    expect(ack.status).toBe(403); // bank-test is not this batch's payee
    const ack2 = await postJson(`/v1/payouts/batches/${b1.batchId}/acknowledge`, { status: 'accepted', payeeReference: 'REF-1' });
    expect(ack2.status).toBe(200);
    await eventually(() =>
      expect(reader.of(physicalTopic('payouts')).map((m) => m.json<any>()).filter((e) => e.type === 'payout.batch-acknowledged' && e.data.batchId === b1.batchId)).toHaveLength(1),
    );
    expect((await sql(`SELECT "status" FROM "billing"."rewards" WHERE "reward_id"=$1`, [r1.rewardId]))[0].status).toBe('paid');
    // The customer is told: one reward.paid naming the purchase and the batch.
    const paid = await eventually(() => {
      const found = reader.of(physicalTopic('rewards')).map((m) => m.json<any>()).filter((e) => e.type === 'reward.paid' && e.data.rewardId === r1.rewardId);
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(paid.data).toMatchObject({ status: 'paid', reasonCode: 'paid-out', customerId: cust, amount: { amountMinor: 1_000, currency: 'SEK' }, payoutBatchId: b1.batchId });
    expect(paid.data.purchaseId).toMatch(/:/);
    expect(decodeEvent('rewards', JSON.stringify(paid)).ok).toBe(true);
    expect((await postJson(`/v1/payouts/batches/${b1.batchId}/acknowledge`, { status: 'accepted' })).status).toBe(409);

    // refund after payout: 400 clawed back → negative balance; a new reward of 700 nets it: line 300
    await send('rewards', [reversed(r1, { reversed: 400, remaining: 600, fee: 80, share: 24, afterPayout: true, status: 'paid', txn: id('txn-pay-refund') })], byCustomer);
    await eventually(async () => expect(await balance(`customer-cashback-payable:${bank}:${cust}:SEK`)).toBe(400));
    const none = await postJson('/v1/payouts/batches', {});
    expect(none.json().batches.find((b: any) => b.payeeId === bank)).toBeUndefined(); // negative: carried, not paid
    const r2: RewardInit = { ...r1, rewardId: id('rwd-pay-2'), amount: 700, fee: 140, share: 42 };
    await send('rewards', [earned(r2), confirmed(r2, 700)], byCustomer);
    await eventually(async () => expect(await balance(`customer-cashback-payable:${bank}:${cust}:SEK`)).toBe(-300));
    const second = await postJson('/v1/payouts/batches', {});
    const b2 = second.json().batches.find((b: any) => b.payeeId === bank);
    expect(b2).toMatchObject({ total: { amountMinor: 300 }, items: [{ customerId: cust, amount: { amountMinor: 300 }, nettedNegativeBalance: { amountMinor: 400 }, rewardIds: [r2.rewardId] }] });
    await eventually(() => expect(reader.of(physicalTopic('payouts')).filter((m) => m.json<any>().data.batchId === b2.batchId)).toHaveLength(1));
    expect(await balance(`customer-cashback-payable:${bank}:${cust}:SEK`)).toBe(0);
  });

  it('reports the ledger checks ok over HTTP and as a Prometheus gauge', async () => {
    const res = await get('/v1/ledger/checks');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ ok: true });
    expect(res.json().checks.map((c: any) => c.name)).toEqual(['entries-sum-to-zero', 'advertiser-charges-match', 'budget-overspend-within-one-action']);
    const metrics = await metricsRegistry.getSingleMetricAsString('prestanda_billing_ledger_check_ok');
    expect(metrics).toMatch(/prestanda_billing_ledger_check_ok\{check="entries-sum-to-zero"[^}]*\} 1/);
    expect(metrics).toMatch(/prestanda_billing_ledger_check_ok\{check="advertiser-charges-match"[^}]*\} 1/);
    expect(metrics).toMatch(/prestanda_billing_ledger_check_ok\{check="budget-overspend-within-one-action"[^}]*\} 1/);
  });

  it('the checks catch a ledger that does not balance (last: it leaves a bad entry behind)', async () => {
    const [tx] = await sql(`SELECT "id" FROM "billing"."ledger_transactions" LIMIT 1`);
    await sql(`INSERT INTO "billing"."ledger_entries" ("transaction_id","account_id","currency","amount_minor") VALUES ($1,'platform-revenue:platform:SEK','SEK',-1)`, [tx.id]);
    const res = (await get('/v1/ledger/checks')).json();
    expect(res.ok).toBe(false);
    expect(res.checks.find((c: any) => c.name === 'entries-sum-to-zero')).toMatchObject({ ok: false, failures: expect.arrayContaining([expect.objectContaining({ currency: 'SEK', total: '-1' })]) });
  });
});
