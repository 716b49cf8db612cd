import { INestApplication } from '@nestjs/common';
import { type TopicEvents } from '@prestanda/contracts';
import { DLQ_HEADERS, EventProducer, physicalTopic } from '@prestanda/kafka';
import { createServiceApp, MessagingRuntime } from '@prestanda/service-kit';
import { bearer, dropSchema, eventually, groupLag, testDatabaseUrl, testKafka, TopicReader, uniqueSuffix, useTopicNamespace } from '@prestanda/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadBillingConfig } from '../src/config';
import { campaignSnapshot, saleConfirmed, saleRecorded, saleReversed, type SaleInit } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('billing: affiliate commission pending → reversed → confirmed (real broker and database)', () => {
  const kafka = testKafka();
  const run = uniqueSuffix();
  let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
  let app: INestApplication;
  let ds: DataSource;
  let producer: EventProducer;
  let reader: TopicReader;
  let url: string;

  const id = (label: string) => `${label}-${run}`;
  const adv = id('adv-aff');
  const cmp = id('cmp-aff');
  const aff = id('aff-sales');

  const sql = async (q: string, params: unknown[] = []) => ds.query(q, params);
  const balance = async (accountId: string) => Number((await sql(`SELECT COALESCE(SUM("amount_minor"),0)::text AS b FROM "billing"."ledger_entries" WHERE "account_id"=$1`, [accountId]))[0].b);
  const receivable = () => balance(`advertiser-receivable:${adv}:SEK`);
  const pending = () => balance(`publisher-commission-pending:${aff}:SEK`);
  const payable = () => balance(`publisher-payable:${aff}:SEK`);
  const revenue = () => balance('platform-revenue:platform:SEK');
  const spent = async () => Number((await sql(`SELECT "spent_minor"::text AS s FROM "billing"."budgets" WHERE "campaign_id"=$1`, [cmp]))[0].s);
  const postings = async (kind: string, sourceId: string) => (await sql(`SELECT count(*)::int AS n FROM "billing"."ledger_transactions" WHERE "kind"=$1 AND "source_id"=$2`, [kind, sourceId]))[0].n;

  async function send(events: TopicEvents['conversions'][]): Promise<void> {
    await producer.send('conversions', events.map((event) => ({ key: event.data.campaignId, event })));
  }
  /** Every event produced so far on `conversions` has been applied (committed offsets at the end). */
  async function caughtUp(): Promise<void> {
    const group = app.get(MessagingRuntime).groupId;
    await eventually(async () => expect(await groupLag(kafka, group, [physicalTopic('conversions')])).toBe(0), { timeoutMs: 30000, intervalMs: 200 });
  }
  async function get(path: string): Promise<{ status: number; json: () => any }> {
    const r = await fetch(`${url}${path}`, { headers: await bearer(['ops-admin']) });
    const text = await r.text();
    return { status: r.status, json: () => JSON.parse(text) };
  }
  async function payoutRun(): Promise<any[]> {
    const r = await fetch(`${url}/v1/payouts/batches`, { method: 'POST', headers: { 'content-type': 'application/json', ...(await bearer(['ops-admin'])) }, body: '{}' });
    expect(r.status).toBe(201);
    return ((await r.json()) as any).batches;
  }
  const affiliateBatch = (batches: any[]) => batches.find((b) => b.payeeKind === 'affiliate' && b.payeeId === aff);

  beforeAll(async () => {
    ns = await useTopicNamespace(kafka);
    process.env.KAFKA_GROUP_SUFFIX = `.${run}`;
    process.env.DATABASE_URL = testDatabaseUrl();
    await dropSchema('billing');
    const config = loadBillingConfig({ ...process.env, HTTP_PORT: '0', HEALTH_PORT: '0', LOG_LEVEL: 'warn' });
    app = await createServiceApp(AppModule.forRoot(config), { service: 'billing', title: 't', httpPort: 0 });
    await app.listen(0);
    await eventually(() => expect(app.get(MessagingRuntime).health.readiness()).resolves.toMatchObject({ ok: true }), { timeoutMs: 60000, intervalMs: 250 });
    ds = app.get(DataSource);
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    producer = new EventProducer(kafka);
    await producer.connect();
    reader = await TopicReader.start(kafka, ['budget-events', 'payouts', 'conversions.dlq'].map((t) => physicalTopic(t)));
    await producer.send('campaigns', [
      { key: cmp, event: campaignSnapshot(cmp, adv, { budget: 1_000_000, feeBp: 2000, publishers: [{ publisherId: aff, kind: 'affiliate', trackingCode: `tc-${run}` }] }) },
    ]);
    await eventually(async () => expect((await sql(`SELECT 1 FROM "billing"."budgets" WHERE "campaign_id"=$1`, [cmp])).length).toBe(1));
  });

  afterAll(async () => {
    await reader?.stop();
    await producer?.disconnect();
    await app?.close();
    await ns?.cleanup();
  });

  const sale: SaleInit = { conversionId: id('cnv-1'), campaignId: cmp, advertiserId: adv, publisherId: aff, commission: 10_000, fee: 2_000, orderAmount: 125_000 };

  it('recorded: the commission is pending, not payable, and no payout batch pays it', async () => {
    const recorded = saleRecorded(sale);
    await send([recorded, recorded, saleRecorded(sale)]); // redelivered, and the same sale under another event id: one charge
    await eventually(async () => expect(await receivable()).toBe(12_000));
    await caughtUp();
    expect(await postings('conversion-cpa', sale.conversionId)).toBe(1);
    expect(await receivable()).toBe(12_000);
    expect(await pending()).toBe(-10_000);
    expect(await payable()).toBe(0);
    expect(await revenue()).toBe(-2_000);
    expect(await spent()).toBe(12_000);
    const action = await get(`/v1/actions/conversion-cpa/${sale.conversionId}`);
    expect(action.status).toBe(200);
    expect(action.json()).toMatchObject({ charged: true, chargeMinor: 12_000, commissionMinor: 10_000, feeMinor: 2_000, campaignId: cmp });
    expect(affiliateBatch(await payoutRun())).toBeUndefined();
    expect(await pending()).toBe(-10_000);
  });

  it('reversed 1/5: the advertiser is credited, the pending commission reduced, the budget credited; the same reversal again changes nothing', async () => {
    const reversal = { reversalId: id('rev-1'), commission: 2_000, fee: 400, orderAmountAfter: 100_000 };
    // the same reversal under a new event id (the shop's amendment reported twice)
    await send([saleReversed(sale, reversal), saleReversed(sale, reversal)]);
    await eventually(async () => expect(await receivable()).toBe(9_600));
    await caughtUp();
    expect(await postings('conversion-reversed', reversal.reversalId)).toBe(1);
    expect(await receivable()).toBe(9_600);
    expect(await pending()).toBe(-8_000);
    expect(await payable()).toBe(0);
    expect(await revenue()).toBe(-1_600);
    expect(await spent()).toBe(9_600);
    expect(affiliateBatch(await payoutRun())).toBeUndefined();
  });

  it('confirmed: the remaining 4/5 is payable, paid in the next affiliate batch and only then', async () => {
    await send([saleConfirmed(sale, 8_000)]);
    await eventually(async () => expect(await payable()).toBe(-8_000));
    expect(await pending()).toBe(0);
    expect(await receivable()).toBe(9_600); // nothing changes for the advertiser
    const batch = affiliateBatch(await payoutRun());
    expect(batch).toMatchObject({ payeeKind: 'affiliate', total: { amountMinor: 8_000, currency: 'SEK' }, lineCount: 1, items: [{ campaignId: cmp, amount: { amountMinor: 8_000 } }] });
    expect(await payable()).toBe(0);
    await eventually(() => expect(reader.of(physicalTopic('payouts')).filter((m) => m.json<any>().data.batchId === batch.batchId)).toHaveLength(1));
    expect(affiliateBatch(await payoutRun())).toBeUndefined(); // paid once
  });

  it('caps a reversal at what remains, confirms a fully returned sale with nothing to move, and dead-letters a reversal of an unknown sale', async () => {
    const s2: SaleInit = { ...sale, conversionId: id('cnv-2'), commission: 5_000, fee: 1_000, orderAmount: 50_000 };
    await send([saleRecorded(s2)]);
    await eventually(async () => expect(await pending()).toBe(-5_000));
    // two returns that together ask for more than the sale: the second is capped at what remains
    await send([saleReversed(s2, { reversalId: id('rev-2a'), commission: 3_000, fee: 600, orderAmountAfter: 20_000 }), saleReversed(s2, { reversalId: id('rev-2b'), commission: 3_000, fee: 600, orderAmountAfter: 0 })]);
    await eventually(async () => expect(await postings('conversion-reversed', id('rev-2b'))).toBe(1));
    expect(await pending()).toBe(0);
    expect(await receivable()).toBe(9_600); // 9 600 + 6 000 − 6 000: never more credit than charge
    // the affiliate says 100 is left; the ledger says 0: nothing is made payable, the confirmation is recorded
    await send([saleConfirmed(s2, 100)]);
    await eventually(async () => expect(await postings('conversion-confirmed', s2.conversionId)).toBe(1));
    expect(await payable()).toBe(0);
    expect(await pending()).toBe(0);
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM "billing"."ledger_entries" e JOIN "billing"."ledger_transactions" t ON t."id"=e."transaction_id" WHERE t."kind"='conversion-confirmed' AND t."source_id"=$1`, [s2.conversionId]);
    expect(n).toBe(0);

    const unknown: SaleInit = { ...sale, conversionId: id('cnv-never-recorded') };
    const orphan = saleReversed(unknown, { reversalId: id('rev-orphan'), commission: 100, fee: 20, orderAmountAfter: 0 });
    await send([orphan]);
    const dead = await eventually(() => {
      const found = reader.of(physicalTopic('conversions.dlq')).filter((m) => (m.value ?? '').includes(orphan.eventId));
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(dead.headers[DLQ_HEADERS.field]).toBe('data.conversionId');
    expect(dead.headers[DLQ_HEADERS.reason]).toContain(unknown.conversionId);
    expect(await postings('conversion-reversed', id('rev-orphan'))).toBe(0);
  });

  it('the invoice shows the sale and its credits, and every ledger check holds', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const inv = await get(`/v1/advertisers/${adv}/invoices/${month}`);
    expect(inv.status).toBe(200);
    const [invoice] = inv.json().invoices;
    expect(invoice.lines).toEqual([{ campaignId: cmp, pricingModel: 'CPA', currency: 'SEK', units: 2, costMinor: 15_000, feesMinor: 3_000, creditsMinor: 8_400, totalMinor: 9_600 }]);
    expect(invoice.totalMinor).toBe(await receivable());
    const checks = await get('/v1/ledger/checks');
    expect(checks.json()).toMatchObject({ ok: true });
    expect(checks.json().checks.map((c: any) => [c.name, c.ok])).toEqual([
      ['entries-sum-to-zero', true],
      ['advertiser-charges-match', true],
      ['budget-overspend-within-one-action', true],
    ]);
  });
});
