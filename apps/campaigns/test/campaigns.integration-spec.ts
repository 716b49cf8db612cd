import { INestApplication } from '@nestjs/common';
import { BudgetExhaustedV1, BudgetReplenishedV1, decodeEvent, newEnvelope, type CampaignSnapshotV1Data } from '@prestanda/contracts';
import { EventProducer, physicalTopic } from '@prestanda/kafka';
import { schemaDrift } from '@prestanda/persistence';
import { createServiceApp, MessagingRuntime } from '@prestanda/service-kit';
import { bearer, dropSchema, eventually, testDatabaseUrl, testKafka, TopicReader, useTopicNamespace } from '@prestanda/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadCampaignsConfig } from '../src/config';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { seedDemo } from '../src/demo/demo-data';

type Snapshot = { eventId: string; type: string; data: CampaignSnapshotV1Data };

const SEK = (amountMinor: number) => ({ amountMinor, currency: 'SEK' });

const campaignBody = (id: string, advertiserId = 'adv-ica') => ({
  id,
  advertiserId,
  name: '10 % cashback for new customers',
  pricing: { model: 'CPA' },
  reward: { kind: 'percent', basisPoints: 1000, minSpend: SEK(20_000), maxPerPurchase: SEK(10_000), maxRewardsPerCustomer: 3 },
  platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 3000 },
  budget: { total: SEK(5_000_000), daily: SEK(500_000), pacing: 'even' },
  schedule: { startsAt: '2025-03-01T00:00:00+01:00', endsAt: '2099-01-01T00:00:00+01:00', daysOfWeek: [1, 2, 3, 4, 5], hours: { from: '06:00', to: '22:00' }, timeZone: 'Europe/Stockholm' },
  audience: { segment: 'new', lookbackDays: 365 },
  channels: ['in-store'],
  activation: 'required',
  windows: { clickDays: 30, viewDays: 1 },
  holdPeriodDays: 30,
  holdoutBasisPoints: 1000,
  publishers: [{ publisherId: 'pub-bank-test' }],
});

describe('campaigns service (HTTP + Kafka + PostgreSQL)', () => {
  const kafka = testKafka();
  let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
  let app: INestApplication;
  let base: string;
  let reader: TopicReader;
  let producer: EventProducer;

  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string> | null) => {
    const auth = headers === null ? {} : (headers ?? (await bearer(['ops-admin'])));
    const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...auth }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };

  const snapshotsOf = (campaignId: string) =>
    reader
      .of(physicalTopic('campaigns'))
      .filter((m) => m.key === campaignId)
      .map((m) => m.json<Snapshot>());

  beforeAll(async () => {
    ns = await useTopicNamespace(kafka);
    process.env.DATABASE_URL = testDatabaseUrl();
    await dropSchema('campaigns');
    const config = loadCampaignsConfig({ ...process.env, HTTP_PORT: '0', HEALTH_PORT: '0' });
    app = await createServiceApp(AppModule.forRoot(config), { service: 'campaigns', title: 't', httpPort: 0 });
    await app.listen(0);
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await eventually(async () => expect(await app.get(MessagingRuntime).health.readiness()).toMatchObject({ ok: true }), { timeoutMs: 60000 });
    reader = await TopicReader.start(kafka, [physicalTopic('campaigns')]);
    producer = new EventProducer(kafka);
    await producer.connect();

    expect(
      (
        await call('POST', '/v1/advertisers', {
          id: 'adv-ica',
          name: 'ICA Nära',
          billingCurrency: 'SEK',
          merchants: [{ id: 'mer-ica-1', name: 'ICA Nära Hökarängen', mids: ['000000123456789'], descriptorPatterns: ['ICA NARA HOKARANGEN*'], mccs: ['5411'], country: 'SE', channels: ['in-store'] }],
        })
      ).status,
    ).toBe(201);
    expect((await call('POST', '/v1/advertisers', { id: 'adv-other', name: 'Other', billingCurrency: 'EUR' })).status).toBe(201);
    expect((await call('POST', '/v1/publishers', { id: 'pub-bank-test', name: 'Test bank', kind: 'bank' })).status).toBe(201);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await reader?.stop();
    await app?.close();
    await ns?.cleanup();
  });

  it('entities match the migrations', async () => {
    expect(await schemaDrift(app.get(DataSource))).toEqual([]);
  });

  describe('validation and auth', () => {
    it('400 names the nested field', async () => {
      const body = campaignBody('cmp-bad');
      const r = await call('POST', '/v1/campaigns', { ...body, reward: { ...body.reward, basisPoints: 10.5 } });
      expect(r.status).toBe(400);
      expect(r.body.fields.map((f: { field: string }) => f.field)).toContain('reward.basisPoints');

      const money = await call('POST', '/v1/campaigns', { ...body, budget: { total: { amountMinor: 12.5, currency: 'XXQ' }, pacing: 'asap' } });
      expect(money.status).toBe(400);
      expect(money.body.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['budget.total.amountMinor', 'budget.total.currency']));

      const missingBp = await call('POST', '/v1/campaigns', { ...body, reward: { kind: 'percent' } });
      expect(missingBp.status).toBe(400);
      expect(missingBp.body.fields).toEqual([expect.objectContaining({ field: 'reward.basisPoints' })]);
    });

    it("400 for an amount not in the advertiser's billing currency", async () => {
      const r = await call('POST', '/v1/campaigns', { ...campaignBody('cmp-eur'), budget: { total: { amountMinor: 100, currency: 'EUR' }, pacing: 'asap' } });
      expect(r.status).toBe(400);
      expect(r.body.fields).toEqual([expect.objectContaining({ field: 'budget.total.currency' })]);
    });

    it('400 for an unknown publisher or advertiser, naming the field', async () => {
      const r = await call('POST', '/v1/campaigns', { ...campaignBody('cmp-x'), publishers: [{ publisherId: 'pub-nope' }] });
      expect(r.status).toBe(400);
      expect(r.body.fields[0].field).toBe('publishers.0.publisherId');
      const a = await call('POST', '/v1/campaigns', campaignBody('cmp-y', 'adv-nope'));
      expect(a.status).toBe(400);
      expect(a.body.fields[0].field).toBe('advertiserId');
    });

    it('401 without a token, 403 without the role or for another advertiser', async () => {
      expect((await call('GET', '/v1/campaigns', undefined, null)).status).toBe(401);
      expect((await call('POST', '/v1/campaigns', campaignBody('cmp-z'), await bearer(['ops-viewer']))).status).toBe(403);
      expect((await call('POST', '/v1/campaigns', campaignBody('cmp-auth'))).status).toBe(201);
      const own = await bearer(['advertiser'], 'adv-ica');
      const other = await bearer(['advertiser'], 'adv-other');
      expect((await call('GET', '/v1/campaigns/cmp-auth', undefined, own)).status).toBe(200);
      expect((await call('GET', '/v1/campaigns/cmp-auth', undefined, other)).status).toBe(403);
      expect((await call('GET', '/v1/advertisers/adv-ica', undefined, other)).status).toBe(403);
      expect((await call('GET', '/v1/campaigns?advertiserId=adv-ica', undefined, other)).status).toBe(403);
      const list = await call('GET', '/v1/campaigns', undefined, other);
      expect(list.status).toBe(200);
      expect(list.body).toEqual([]);
      expect((await call('GET', '/v1/campaigns/cmp-auth', undefined, await bearer(['ops-viewer']))).status).toBe(200);
      expect((await call('PATCH', '/v1/campaigns/cmp-auth', { name: 'x' }, own)).status).toBe(403);
    });
  });

  it('create → activate → pause → resume → end: one snapshot per change, versions 1..5, keyed by campaign id', async () => {
    const id = 'cmp-life';
    expect((await call('POST', '/v1/campaigns', campaignBody(id))).body).toMatchObject({ id, status: 'draft', version: 1 });
    await eventually(() => expect(snapshotsOf(id)).toHaveLength(1));
    const first = snapshotsOf(id)[0];
    expect(first.type).toBe('campaign.snapshot');
    expect(first.data).toMatchObject({
      campaignId: id,
      version: 1,
      status: 'draft',
      advertiserName: expect.stringMatching(/^ICA Nära/),
      currency: 'SEK',
      merchants: [{ merchantId: 'mer-ica-1', mids: ['000000123456789'], descriptorPatterns: ['ICA NARA HOKARANGEN*'], mccs: ['5411'], country: 'SE', channels: ['in-store'] }],
      reward: { kind: 'percent', basisPoints: 1000, minSpend: SEK(20_000), maxPerPurchase: SEK(10_000), maxRewardsPerCustomer: 3 },
      publishers: [{ publisherId: 'pub-bank-test', kind: 'bank' }],
      holdoutBasisPoints: 1000,
    });

    const steps = [
      ['activate', 'active'],
      ['pause', 'paused'],
      ['resume', 'active'],
      ['end', 'ended'],
    ] as const;
    for (const [action, status] of steps) {
      const r = await call('POST', `/v1/campaigns/${id}/${action}`, {});
      expect(r.status).toBe(200);
      expect(r.body.status).toBe(status);
    }
    await eventually(() => expect(snapshotsOf(id)).toHaveLength(5));
    const all = snapshotsOf(id);
    expect(all.map((s) => [s.data.version, s.data.status])).toEqual([
      [1, 'draft'],
      [2, 'active'],
      [3, 'paused'],
      [4, 'active'],
      [5, 'ended'],
    ]);
    expect(new Set(all.map((s) => s.eventId)).size).toBe(5);

    const history = await call('GET', `/v1/campaigns/${id}/history`);
    expect(history.body.map((h: { change: string; fromStatus: string; toStatus: string }) => [h.change, h.fromStatus, h.toStatus])).toEqual([
      ['created', null, 'draft'],
      ['activate', 'draft', 'active'],
      ['pause', 'active', 'paused'],
      ['resume', 'paused', 'active'],
      ['end', 'active', 'ended'],
    ]);
  });

  it('409 with a reason for refused transitions and edits', async () => {
    const id = 'cmp-409';
    await call('POST', '/v1/campaigns', campaignBody(id));
    expect((await call('POST', `/v1/campaigns/${id}/pause`, {})).status).toBe(409);
    expect((await call('POST', `/v1/campaigns/${id}/activate`, {})).status).toBe(200);

    const reward = await call('PATCH', `/v1/campaigns/${id}`, { reward: { kind: 'percent', basisPoints: 2000 } });
    expect(reward.status).toBe(409);
    expect(reward.body).toMatchObject({ fields: ['reward'], reason: expect.stringMatching(/pause it first/) });
    // the same reward again is no change, a budget raise is allowed while active
    const same = await call('PATCH', `/v1/campaigns/${id}`, { reward: campaignBody(id).reward, budget: { total: SEK(6_000_000), pacing: 'even' } });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ version: 3, budget: { total: SEK(6_000_000) } });
    // paused: reward may change
    await call('POST', `/v1/campaigns/${id}/pause`, {});
    expect((await call('PATCH', `/v1/campaigns/${id}`, { reward: { kind: 'percent', basisPoints: 2000 } })).body).toMatchObject({ version: 5, reward: { basisPoints: 2000 } });

    expect((await call('POST', `/v1/campaigns/${id}/end`, {})).status).toBe(200);
    const edit = await call('PATCH', `/v1/campaigns/${id}`, { name: 'renamed' });
    expect(edit.status).toBe(409);
    expect(edit.body.reason).toMatch(/ended/);
    const activate = await call('POST', `/v1/campaigns/${id}/activate`, {});
    expect(activate.status).toBe(409);
    expect(activate.body.reason).toMatch(/ended/);
    expect((await call('POST', `/v1/campaigns/${id}/resume`, {})).status).toBe(409);
    expect((await call('POST', `/v1/campaigns/${id}/end`, {})).status).toBe(409);
    await eventually(() => expect(snapshotsOf(id).map((s) => s.data.version)).toEqual([1, 2, 3, 4, 5, 6]));
  });

  it('budget.exhausted → exhausted, budget.replenished → active, each with a snapshot', async () => {
    const id = 'cmp-budget';
    await call('POST', '/v1/campaigns', campaignBody(id));
    await call('POST', `/v1/campaigns/${id}/activate`, {});
    const budget = { advertiserId: 'adv-ica', campaignId: id, scope: 'total' as const, budget: SEK(5_000_000), at: new Date().toISOString() };
    await producer.send('budget-events', [
      { key: 'adv-ica', event: newEnvelope(BudgetExhaustedV1, { source: 'billing', occurredAt: new Date(), data: { ...budget, spent: SEK(5_000_100), percent: 100 } }) },
    ]);
    await eventually(async () => expect((await call('GET', `/v1/campaigns/${id}`)).body.status).toBe('exhausted'));
    await eventually(() => expect(snapshotsOf(id).map((s) => [s.data.version, s.data.status])).toEqual([[1, 'draft'], [2, 'active'], [3, 'exhausted']]));

    await producer.send('budget-events', [
      { key: 'adv-ica', event: newEnvelope(BudgetReplenishedV1, { source: 'billing', occurredAt: new Date(), data: { ...budget, budget: SEK(8_000_000), spent: SEK(5_000_100), percent: 62, reason: 'budget-raised' } }) },
    ]);
    await eventually(async () => expect((await call('GET', `/v1/campaigns/${id}`)).body.status).toBe('active'));
    await eventually(() => expect(snapshotsOf(id).map((s) => [s.data.version, s.data.status])).toEqual([[1, 'draft'], [2, 'active'], [3, 'exhausted'], [4, 'active']]));

    // exhausted while paused: resume lands on exhausted
    await call('POST', `/v1/campaigns/${id}/pause`, {});
    await producer.send('budget-events', [
      { key: 'adv-ica', event: newEnvelope(BudgetExhaustedV1, { source: 'billing', occurredAt: new Date(), data: { ...budget, spent: SEK(8_000_100), percent: 100 } }) },
    ]);
    await eventually(async () => expect((await call('GET', `/v1/campaigns/${id}`)).body.budgetExhausted).toBe(true));
    expect((await call('POST', `/v1/campaigns/${id}/resume`, {})).body.status).toBe('exhausted');
  });

  it("a merchant change re-publishes the advertiser's campaigns that are not ended", async () => {
    const id = 'cmp-merch';
    await call('POST', '/v1/campaigns', campaignBody(id));
    await eventually(() => expect(snapshotsOf(id)).toHaveLength(1));
    const endedBefore = snapshotsOf('cmp-life').length;
    const r = await call('POST', '/v1/advertisers/adv-ica/merchants', { id: 'mer-ica-web', name: 'ica.se', mids: [], descriptorPatterns: ['ICA.SE*'], country: 'SE', channels: ['online'] });
    expect(r.status).toBe(201);
    await eventually(() => {
      const last = snapshotsOf(id).at(-1)!;
      expect(last.data.version).toBe(2);
      expect(last.data.merchants.map((m) => m.merchantId)).toEqual(['mer-ica-1', 'mer-ica-web']);
    });
    expect((await call('DELETE', '/v1/advertisers/adv-ica/merchants/mer-ica-web')).status).toBe(204);
    await eventually(() => expect(snapshotsOf(id).at(-1)!.data.merchants.map((m) => m.merchantId)).toEqual(['mer-ica-1']));
    expect(snapshotsOf('cmp-life')).toHaveLength(endedBefore);

    // a MID belongs to one merchant only
    const dup = await call('POST', '/v1/advertisers/adv-other/merchants', { name: 'thief', mids: ['000000123456789'], descriptorPatterns: [], country: 'SE', channels: ['in-store'] });
    expect(dup.status).toBe(409);
    expect(dup.body.reason).toMatch(/MID 000000123456789 already belongs to merchant mer-ica-1 of advertiser adv-ica/);

    // renaming the advertiser re-publishes with the new name
    expect((await call('PATCH', '/v1/advertisers/adv-ica', { name: 'ICA Nära AB' })).body).toMatchObject({ name: 'ICA Nära AB' });
    await eventually(() => expect(snapshotsOf(id).at(-1)!.data.advertiserName).toBe('ICA Nära AB'));
    expect((await call('PATCH', '/v1/advertisers/adv-ica', { billingCurrency: 'EUR' })).status).toBe(400);

    // an advertiser budget with per-bank caps re-publishes every campaign with it; null removes it
    const budget = { total: SEK(9_000_000), bankCaps: [{ bankId: 'bank-b', amount: SEK(1_000_000) }, { bankId: 'bank-a', amount: SEK(2_000_000) }] };
    const set = await call('PATCH', '/v1/advertisers/adv-ica', { budget });
    expect(set.status).toBe(200);
    expect(set.body.budget).toEqual({ total: SEK(9_000_000), bankCaps: [{ bankId: 'bank-a', amount: SEK(2_000_000) }, { bankId: 'bank-b', amount: SEK(1_000_000) }] });
    await eventually(() => expect(snapshotsOf(id).at(-1)!.data.advertiserBudget).toEqual(set.body.budget));
    const versions = snapshotsOf(id).length;
    // the same budget again (in another order) is no change: nothing re-published
    expect((await call('PATCH', '/v1/advertisers/adv-ica', { budget: { ...budget, bankCaps: [...budget.bankCaps].reverse() } })).status).toBe(200);
    const wrong = await call('PATCH', '/v1/advertisers/adv-ica', { budget: { total: { amountMinor: 1, currency: 'EUR' } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.fields.map((f: { field: string }) => f.field)).toEqual(['budget.total.currency']);
    expect((await call('PATCH', '/v1/advertisers/adv-ica', { budget: null })).body.budget).toBeNull();
    await eventually(() => expect(snapshotsOf(id).at(-1)!.data.advertiserBudget).toBeUndefined());
    expect(snapshotsOf(id)).toHaveLength(versions + 1);
  });

  it('seedDemo creates the demo advertisers, publishers and active campaigns, and can run again', async () => {
    const token = (await bearer(['ops-admin'])).authorization.slice('Bearer '.length);
    const first = await seedDemo(base, token);
    expect(first.publishers).toContain('pub-bank-demo-se');
    expect(first.advertisers).toHaveLength(3);
    expect(first.campaigns.map((c) => c.status)).toEqual(['active', 'active', 'active', 'active', 'active']);
    expect(new Set(first.campaigns.map((c) => c.audience))).toEqual(new Set(['new', 'existing', 'all']));
    // The affiliate program's link, minted at creation, is the same on every run.
    expect(first.trackingLinks).toEqual([{ campaignId: 'cmp-demo-fashion-affiliate', publisherId: 'pub-affiliate-demo', path: expect.stringMatching(/^\/c\/[A-Za-z0-9]{12}$/) }]);
    expect(await seedDemo(base, token)).toEqual(first);
    await eventually(() => expect(snapshotsOf('cmp-demo-cafe-loyal').map((s) => s.data.status)).toEqual(['draft', 'active']));
    const grocery = snapshotsOf('cmp-demo-grocery-new').at(-1)!.data;
    expect(grocery.merchants).toHaveLength(3);
    expect(grocery.publishers).toEqual([{ publisherId: 'pub-bank-demo-se', kind: 'bank' }]);
  });

  it('banks: a list is stored, read back and published; "all" drops it from the snapshot; an invalid value is a 400 naming banks', async () => {
    const id = 'cmp-banks';
    const created = await call('POST', '/v1/campaigns', { ...campaignBody(id), banks: ['bank-a'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id, version: 1, banks: ['bank-a'] });
    expect((await call('GET', `/v1/campaigns/${id}`)).body).toMatchObject({ version: 1, banks: ['bank-a'] });
    await eventually(() => expect(snapshotsOf(id)).toHaveLength(1));
    expect(snapshotsOf(id)[0].data).toMatchObject({ version: 1, banks: ['bank-a'] });

    const all = await call('PATCH', `/v1/campaigns/${id}`, { banks: 'all' });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ version: 2, banks: 'all' });
    await eventually(() => expect(snapshotsOf(id)).toHaveLength(2));
    expect(snapshotsOf(id)[1].data.version).toBe(2);
    expect(snapshotsOf(id)[1].data).not.toHaveProperty('banks');
    expect((await call('GET', `/v1/campaigns/${id}/history`)).body.at(-1)).toMatchObject({ change: 'updated', details: { fields: ['banks'] } });
    // absent on PATCH leaves banks as they are; "all" again is no change
    expect((await call('PATCH', `/v1/campaigns/${id}`, { name: 'renamed' })).body).toMatchObject({ version: 3, banks: 'all' });
    expect((await call('PATCH', `/v1/campaigns/${id}`, { banks: 'all' })).body).toMatchObject({ version: 3 });
    // absent on create means every bank
    expect((await call('POST', '/v1/campaigns', campaignBody('cmp-banks-default'))).body).toMatchObject({ version: 1, banks: 'all' });
    await eventually(() => expect(snapshotsOf('cmp-banks-default')).toHaveLength(1));
    expect(snapshotsOf('cmp-banks-default')[0].data).not.toHaveProperty('banks');

    for (const banks of [[], 'some', ['bank-a', 'bank-a'], ['bank a']]) {
      const r = await call('PATCH', `/v1/campaigns/${id}`, { banks });
      expect(r.status).toBe(400);
      expect(r.body.fields.map((f: { field: string }) => f.field)).toContain('banks');
    }
    const refused = await call('POST', '/v1/campaigns', { ...campaignBody('cmp-banks-bad'), banks: 'some' });
    expect(refused.status).toBe(400);
    expect(refused.body.fields.map((f: { field: string }) => f.field)).toContain('banks');
    expect((await call('GET', '/v1/campaigns/cmp-banks-bad')).status).toBe(404);

    // which banks the offer is for is a reward term: not changed under a live campaign
    expect((await call('POST', `/v1/campaigns/${id}/activate`, {})).status).toBe(200);
    // its content (what bank apps show) may change while live, and is published
    const content = { sv: { title: 'Cashback hos ICA', description: 'Handla och få tillbaka.' }, en: { title: 'Cashback at ICA', imageUrl: 'https://cdn.example.se/ica.png' } };
    const withContent = await call('PATCH', `/v1/campaigns/${id}`, { content });
    expect([withContent.status, withContent.body.content]).toEqual([200, content]);
    await eventually(() => expect(snapshotsOf(id).at(-1)!.data.content).toEqual(content));
    const badImage = await call('PATCH', `/v1/campaigns/${id}`, { content: { en: { title: 'x', imageUrl: 'http://insecure.example/x.png' } } });
    expect([badImage.status, badImage.body.fields?.map((f: { field: string }) => f.field)]).toEqual([400, ['content.en.imageUrl']]);
    expect((await call('PATCH', `/v1/campaigns/${id}`, { content: { sv: { title: '' } } })).status).toBe(400);
    const live = await call('PATCH', `/v1/campaigns/${id}`, { banks: ['bank-a'] });
    expect(live.status).toBe(409);
    expect(live.body).toMatchObject({ fields: ['banks'], reason: expect.stringMatching(/pause it first/) });
    // the content change while live is version 5
    await eventually(() => expect(snapshotsOf(id).map((s) => s.data.version)).toEqual([1, 2, 3, 4, 5]));
  });

  it('a campaign past schedule.endsAt is ended by the schedule sweep, with a snapshot', async () => {
    const id = 'cmp-expiring';
    const endsAt = new Date(Date.now() + 1500).toISOString();
    await call('POST', '/v1/campaigns', { ...campaignBody(id), schedule: { startsAt: '2025-01-01T00:00:00+01:00', endsAt, timeZone: 'Europe/Stockholm' } });
    expect((await call('POST', `/v1/campaigns/${id}/activate`, {})).status).toBe(200);
    const service = app.get(CampaignsService);
    expect(await service.endExpired()).not.toContain(id);
    await new Promise((r) => setTimeout(r, 1600));
    expect(await service.endExpired()).toContain(id);
    expect((await call('GET', `/v1/campaigns/${id}`)).body.status).toBe('ended');
    await eventually(() => expect(snapshotsOf(id).map((s) => [s.data.version, s.data.status])).toEqual([[1, 'draft'], [2, 'active'], [3, 'ended']]));
    const history = (await call('GET', `/v1/campaigns/${id}/history`)).body;
    expect(history.at(-1)).toMatchObject({ change: 'end', actor: 'schedule', toStatus: 'ended' });
    // activating a campaign whose schedule is over is refused
    await call('POST', '/v1/campaigns', { ...campaignBody('cmp-over'), schedule: { startsAt: '2025-01-01T00:00:00+01:00', endsAt: '2025-02-01T00:00:00+01:00', timeZone: 'UTC' } });
    const refused = await call('POST', '/v1/campaigns/cmp-over/activate', {});
    expect(refused.status).toBe(409);
    expect(refused.body.reason).toMatch(/schedule ended/);
  });

  it('serves the OpenAPI document at /docs with every route', async () => {
    const r = await fetch(`${base}/docs-json`);
    expect(r.status).toBe(200);
    const doc = (await r.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/advertisers', '/v1/advertisers/{id}/merchants', '/v1/publishers', '/v1/campaigns', '/v1/campaigns/{id}', '/v1/campaigns/{id}/activate', '/v1/campaigns/{id}/pause', '/v1/campaigns/{id}/resume', '/v1/campaigns/{id}/end']),
    );
  });

  it('concurrent edits get distinct, increasing versions; every snapshot on the topic is a valid campaign.snapshot v1', async () => {
    const id = 'cmp-concurrent';
    await call('POST', '/v1/campaigns', campaignBody(id));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => call('PATCH', `/v1/campaigns/${id}`, { name: `name ${i}` })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    await eventually(() => expect(snapshotsOf(id).map((s) => s.data.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const final = (await call('GET', `/v1/campaigns/${id}`)).body;
    expect(final.version).toBe(9);
    expect(snapshotsOf(id).at(-1)!.data.name).toBe(final.name);

    const all = reader.of(physicalTopic('campaigns'));
    expect(all.length).toBeGreaterThan(20);
    for (const m of all) {
      const decoded = decodeEvent('campaigns', m.value);
      expect(decoded).toMatchObject({ ok: true });
      expect(m.key).toBe(m.json<Snapshot>().data.campaignId);
    }
  });

  it('affiliates apply; approval adds them (with voucher codes) to the snapshot, decline does not', async () => {
    const id = 'cmp-apply';
    await call('POST', '/v1/publishers', { id: 'pub-aff-1', name: 'Newsletter', kind: 'affiliate' });
    await call('POST', '/v1/publishers', { id: 'pub-aff-2', name: 'Coupon site', kind: 'affiliate' });
    await call('POST', '/v1/campaigns', campaignBody(id));
    await call('POST', `/v1/campaigns/${id}/activate`, {});

    const applied = await call('POST', `/v1/campaigns/${id}/applications`, { publisherId: 'pub-aff-1', message: '40k subscribers' });
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({ publisherId: 'pub-aff-1', status: 'pending' });
    expect((await call('POST', `/v1/campaigns/${id}/applications`, { publisherId: 'pub-aff-1' })).status).toBe(409);
    // the bank's integration key is not an affiliate
    const bank = await call('POST', `/v1/campaigns/${id}/applications`, {}, { 'x-api-key': 'test-bank-key' });
    expect(bank.status).toBe(409);
    expect(bank.body.reason).toMatch(/only affiliates/);
    // an advertiser user cannot apply
    expect((await call('POST', `/v1/campaigns/${id}/applications`, { publisherId: 'pub-aff-2' }, await bearer(['advertiser'], 'adv-ica'))).status).toBe(403);

    const approved = await call('POST', `/v1/campaigns/${id}/applications/pub-aff-1/approve`, { voucherCodes: ['NEWS10'] });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved' });
    await eventually(() =>
      expect(snapshotsOf(id).at(-1)!.data).toMatchObject({
        version: 3,
        status: 'active',
        publishers: [{ publisherId: 'pub-bank-test', kind: 'bank' }, { publisherId: 'pub-aff-1', kind: 'affiliate', voucherCodes: ['NEWS10'] }],
      }),
    );
    expect((await call('POST', `/v1/campaigns/${id}/applications/pub-aff-1/approve`, {})).status).toBe(409);

    await call('POST', `/v1/campaigns/${id}/applications`, { publisherId: 'pub-aff-2' });
    expect((await call('POST', `/v1/campaigns/${id}/applications/pub-aff-2/decline`, { reason: 'brand safety' })).body).toMatchObject({ status: 'declined', decisionReason: 'brand safety' });
    expect((await call('POST', `/v1/campaigns/${id}/applications`, { publisherId: 'pub-aff-2' })).body).toMatchObject({ status: 'pending' });
    const list = await call('GET', `/v1/campaigns/${id}/applications`, undefined, await bearer(['advertiser'], 'adv-ica'));
    expect(list.body.map((a: { publisherId: string; status: string }) => [a.publisherId, a.status])).toEqual([
      ['pub-aff-1', 'approved'],
      ['pub-aff-2', 'pending'],
    ]);
    expect(snapshotsOf(id).at(-1)!.data.version).toBe(3);
  });

  it('an affiliate sales program: terms in the snapshot; approval with an own commission mints a tracking code that edits keep', async () => {
    const id = 'cmp-affiliate-program';
    await call('POST', '/v1/publishers', { id: 'pub-aff-3', name: 'Deal blog', kind: 'affiliate' });
    const affiliate = { landingUrl: 'https://shop.example.se/', commission: { kind: 'percent', basisPoints: 800 } };
    expect((await call('POST', '/v1/campaigns', { ...campaignBody('cmp-no-terms'), reward: undefined })).body.fields.map((f: { field: string }) => f.field)).toEqual(['reward']);
    const created = await call('POST', '/v1/campaigns', { ...campaignBody(id), reward: undefined, affiliate });
    expect(created.status).toBe(201);
    await call('POST', `/v1/campaigns/${id}/activate`, {});
    await call('POST', `/v1/campaigns/${id}/applications`, { publisherId: 'pub-aff-3' });

    const eur = await call('POST', `/v1/campaigns/${id}/applications/pub-aff-3/approve`, { commission: { kind: 'fixed', amount: { amountMinor: 500, currency: 'EUR' } } });
    expect(eur.status).toBe(400);
    expect(eur.body.fields.map((f: { field: string }) => f.field)).toEqual(['commission.amount.currency']);
    expect((await call('POST', `/v1/campaigns/${id}/applications/pub-aff-3/approve`, { commission: { kind: 'percent', basisPoints: 1000 } })).status).toBe(200);
    // Commission groups: a category belongs to one group only.
    const overlap = await call('PATCH', `/v1/campaigns/${id}`, {
      affiliate: { ...affiliate, commissionGroups: [{ group: 'a', categories: ['phones'], commission: { kind: 'percent', basisPoints: 300 } }, { group: 'b', categories: ['Phones'], commission: { kind: 'percent', basisPoints: 500 } }] },
    });
    expect(overlap.status).toBe(400);
    expect(overlap.body.fields.map((f: { field: string }) => f.field)).toEqual(['affiliate.commissionGroups.1.categories']);

    const snap = await eventually(() => {
      const last = snapshotsOf(id).at(-1)!.data;
      expect(last.version).toBe(3);
      return last;
    });
    expect(snap.affiliate).toEqual({ landingUrl: 'https://shop.example.se/', deepLinkHosts: ['shop.example.se'], clickIdParam: 'prclid', commission: { kind: 'percent', basisPoints: 800 }, voucherRule: 'code-wins', approval: 'manual' });
    const aff = snap.publishers.find((p) => p.publisherId === 'pub-aff-3')!;
    expect(aff).toMatchObject({ kind: 'affiliate', commission: { kind: 'percent', basisPoints: 1000 } });
    expect(aff.trackingCode).toMatch(/^[A-HJ-NP-Za-km-z2-9]{12}$/);
    expect(snap.reward).toBeUndefined();

    // Affiliate terms may change while live (a sale is paid by the terms at its click); the code stays.
    expect((await call('PATCH', `/v1/campaigns/${id}`, { name: 'Renamed', affiliate: { ...affiliate, commission: { kind: 'percent', basisPoints: 600 } } })).status).toBe(200);
    await eventually(() => expect(snapshotsOf(id).at(-1)!.data.version).toBe(4));
    const after = snapshotsOf(id).at(-1)!.data;
    expect(after.affiliate!.commission).toEqual({ kind: 'percent', basisPoints: 600 });
    expect(after.publishers.find((p) => p.publisherId === 'pub-aff-3')!.trackingCode).toBe(aff.trackingCode);
  });

  it('a program with automatic approval approves an application at once, with a tracking code', async () => {
    const id = 'cmp-affiliate-auto';
    await call('POST', '/v1/publishers', { id: 'pub-aff-4', name: 'Cashback portal', kind: 'affiliate' });
    await call('POST', '/v1/campaigns', { ...campaignBody(id), reward: undefined, affiliate: { landingUrl: 'https://shop.example.se/', commission: { kind: 'fixed', amount: { amountMinor: 5000, currency: 'SEK' } }, approval: 'auto' } });
    await call('POST', `/v1/campaigns/${id}/activate`, {});
    const applied = await call('POST', `/v1/campaigns/${id}/applications`, { publisherId: 'pub-aff-4' });
    expect(applied.body).toMatchObject({ status: 'approved', decidedBy: 'auto-approval' });
    await eventually(() => expect(snapshotsOf(id).at(-1)!.data.publishers.find((p) => p.publisherId === 'pub-aff-4')?.trackingCode).toMatch(/^[A-Za-z0-9]{12}$/));
  });
});
