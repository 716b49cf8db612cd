import { INestApplication } from '@nestjs/common';
import { decodeEvent } from '@prestanda/contracts';
import { EventProducer, physicalTopic } from '@prestanda/kafka';
import { schemaDrift } from '@prestanda/persistence';
import { bearer, dropSchema, eventually, testDatabaseUrl, testKafka, TopicReader, useTopicNamespace } from '@prestanda/testing';
import { DataSource } from 'typeorm';
import { BANK, campaign, DAY_MS, Driver, purchase, startApp, uid, type Purchase } from './fixtures';

type Ev = { eventId: string; type: string; data: Record<string, unknown> & { rewardId?: string; customerId?: string } };

describe('attribution (real broker and database)', () => {
  const kafka = testKafka();
  let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
  let app: INestApplication;
  let producer: EventProducer;
  let reader: TopicReader;
  let drive: Driver;

  beforeAll(async () => {
    ns = await useTopicNamespace(kafka);
    process.env.DATABASE_URL = testDatabaseUrl();
    await dropSchema('attribution');
    app = await startApp();
    producer = new EventProducer(kafka);
    await producer.connect();
    drive = new Driver(producer);
    reader = await TopicReader.start(kafka, [physicalTopic('rewards'), physicalTopic('conversions'), physicalTopic('attribution-decisions')]);
  });

  afterAll(async () => {
    await reader?.stop();
    await producer?.disconnect();
    await app?.close();
    await ns?.cleanup();
  });

  const rewardsOf = (customerId: string): Ev[] => reader.of(physicalTopic('rewards')).map((m) => m.json<Ev>()).filter((e) => e.data.customerId === customerId);
  const conversionsOf = (customerId: string): Ev[] => reader.of(physicalTopic('conversions')).map((m) => m.json<Ev>()).filter((e) => e.data.customerId === customerId);
  const typesOf = (customerId: string) => rewardsOf(customerId).map((e) => e.type);
  const api = async (path: string, headers?: Record<string, string>) => {
    const res = await fetch((await app.getUrl()) + path, { headers: headers ?? (await bearer(['ops-viewer'])) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { rewards: Record<string, unknown>[]; declined: Record<string, unknown>[] } };
  };
  const declinedOf = async (customerId: string) => (await api(`/v1/customers/${customerId}/rewards`)).body.declined;
  const quiet = () => new Promise((r) => setTimeout(r, 1500));

  describe('activation-required campaigns', () => {
    const cmp = campaign({ activation: 'required' });
    beforeAll(() => drive.campaign(cmp, app));

    it('rewards a purchase with an activation inside the click window, crediting the activating app', async () => {
      const p = purchase(uid('cust'));
      const clickId = await drive.click(p.customerId, cmp.campaignId, 'pub-app', 'activation', p.at - 2 * DAY_MS);
      await eventually(async () => expect(await app.get(DataSource).query(`SELECT 1 FROM "attribution"."touchpoints" WHERE "touchpoint_id" = $1`, [clickId])).toHaveLength(1));
      await drive.match(p, cmp);
      const [earned] = await eventually(() => {
        const e = rewardsOf(p.customerId);
        expect(e.map((x) => x.type)).toEqual(['reward.earned']);
        return e;
      });
      expect(earned.data).toMatchObject({
        purchaseId: p.purchaseId,
        campaignId: cmp.campaignId,
        publisherId: 'pub-app',
        status: 'earned',
        amount: { amountMinor: 1000, currency: 'SEK' },
        publisherShare: { amountMinor: 60, currency: 'SEK' },
        attribution: { method: 'activation', touchpointId: clickId },
        holdPeriodDays: 2,
      });
      const [conversion] = await eventually(() => {
        const c = conversionsOf(p.customerId);
        expect(c).toHaveLength(1);
        return c;
      });
      expect(conversion.data).toMatchObject({
        pricingModel: 'CPA',
        publisherId: 'pub-app',
        rewardId: earned.data.rewardId,
        touchpointId: `om-${p.transactionId}-${cmp.campaignId}`,
        advertiserCharge: { amountMinor: 1200, currency: 'SEK' },
        publisherCommission: { amountMinor: 60, currency: 'SEK' },
      });
    });

    it('records not-activated without an activation (also when the activation came after the purchase)', async () => {
      const p = purchase(uid('cust'));
      await drive.click(p.customerId, cmp.campaignId, 'pub-app', 'activation', p.at + 10_000);
      await drive.match(p, cmp);
      await eventually(async () => expect(await declinedOf(p.customerId)).toEqual([expect.objectContaining({ purchaseId: p.purchaseId, reasonCode: 'not-activated' })]));
      expect(rewardsOf(p.customerId)).toEqual([]);
      // offer-matching is told, so that it gives the match's budget reservation back.
      const [declined] = await eventually(() => {
        const found = reader.of(physicalTopic('attribution-decisions')).map((m) => m.json<{ type: string; data: Record<string, unknown> }>()).filter((e) => e.data.purchaseId === p.purchaseId);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(declined).toMatchObject({ type: 'attribution.declined', data: { campaignId: cmp.campaignId, reasonCode: 'not-activated', released: { currency: 'SEK' } } });
      // The final decision, where offer-matching's outcomes API points for a matched outcome.
      const { status, body } = await api(`/v1/purchases/${encodeURIComponent(p.purchaseId)}/decisions`);
      expect(status).toBe(200);
      expect(body).toEqual({
        purchaseId: p.purchaseId,
        decisions: [expect.objectContaining({ campaignId: cmp.campaignId, outcome: 'declined', reasonCode: 'not-activated' })],
      });
      // The bank that sent the purchase reads the same decision with its key (its customer service's "why no cashback?").
      const asBank = await api(`/v1/purchases/${encodeURIComponent(p.purchaseId)}/decisions`, { 'x-api-key': 'test-bank-key' });
      expect(asBank.status).toBe(200);
      expect(asBank.body.decisions).toEqual([expect.objectContaining({ outcome: 'declined', reasonCode: 'not-activated', text: { sv: 'Erbjudandet var inte aktiverat före köpet.', en: 'The offer was not activated before the purchase.' } })]);
      expect((await api(`/v1/purchases/${encodeURIComponent(`bank-other:${p.transactionId}`)}/decisions`, { 'x-api-key': 'test-bank-key' })).status).toBe(403);
    });

    it('records activation-outside-window when the activation is older than the click window', async () => {
      const p = purchase(uid('cust'));
      await drive.click(p.customerId, cmp.campaignId, 'pub-app', 'activation', p.at - 31 * DAY_MS);
      await quiet();
      await drive.match(p, cmp);
      await eventually(async () => expect(await declinedOf(p.customerId)).toEqual([expect.objectContaining({ reasonCode: 'activation-outside-window' })]));
      expect(rewardsOf(p.customerId)).toEqual([]);
    });
  });

  describe('crediting automatic campaigns', () => {
    const cmp = campaign({ activation: 'automatic' });
    beforeAll(() => drive.campaign(cmp, app));

    const earnedOf = (p: Purchase) =>
      eventually(() => {
        const e = rewardsOf(p.customerId).find((x) => x.type === 'reward.earned');
        expect(e).toBeDefined();
        return e as Ev;
      });

    it('last click within the click window beats a later impression', async () => {
      const p = purchase(uid('cust'));
      const clickId = await drive.click(p.customerId, cmp.campaignId, 'pub-app', 'click', p.at - 3 * DAY_MS);
      await drive.impression(p.customerId, cmp.campaignId, 'pub-other', p.at - 3_600_000);
      await quiet();
      await drive.match(p, cmp);
      expect((await earnedOf(p)).data).toMatchObject({ publisherId: 'pub-app', attribution: { method: 'click', touchpointId: clickId } });
      await eventually(() => expect(conversionsOf(p.customerId)[0]?.data.publisherId).toBe('pub-app'));
    });

    it('view-through: the last impression in the view window when no click qualifies', async () => {
      const p = purchase(uid('cust'));
      await drive.click(p.customerId, cmp.campaignId, 'pub-app', 'click', p.at - 31 * DAY_MS);
      const impressionId = await drive.impression(p.customerId, cmp.campaignId, 'pub-other', p.at - 3_600_000);
      await quiet();
      await drive.match(p, cmp);
      expect((await earnedOf(p)).data).toMatchObject({ publisherId: 'pub-other', attribution: { method: 'impression', touchpointId: impressionId } });
    });

    it('falls back to the bank the transaction came from', async () => {
      const p = purchase(uid('cust'));
      await drive.impression(p.customerId, cmp.campaignId, 'pub-other', p.at - 2 * DAY_MS); // outside the 1-day view window
      await quiet();
      await drive.match(p, cmp);
      const earned = await earnedOf(p);
      expect(earned.data).toMatchObject({ publisherId: `pub-${BANK}`, attribution: { method: 'bank-default' } });
      expect(earned.data.attribution).not.toHaveProperty('touchpointId');
    });
  });

  describe('reward lifecycle', () => {
    const cmp = campaign({ holdPeriodDays: 2 });
    const instant = campaign({ holdPeriodDays: 0 });
    beforeAll(async () => {
      await drive.campaign(cmp, app);
      await drive.campaign(instant, app);
    });

    it('confirms after the hold period once the purchase has settled', async () => {
      const p = purchase(uid('cust'));
      await drive.match(p, cmp);
      await eventually(() => expect(typesOf(p.customerId)).toEqual(['reward.earned']));
      await quiet();
      expect(typesOf(p.customerId)).toEqual(['reward.earned']); // not settled: never confirmed
      const settledAt = Date.now();
      await drive.settle(p, settledAt);
      const confirmed = await eventually(() => {
        const c = rewardsOf(p.customerId).find((e) => e.type === 'reward.confirmed');
        expect(c).toBeDefined();
        return c as Ev;
      });
      expect(confirmed.data).toMatchObject({ status: 'confirmed', reasonCode: 'hold-period-passed', amount: { amountMinor: 1000, currency: 'SEK' } });
      expect(Date.parse(confirmed.data.confirmedAt as string) - settledAt).toBeGreaterThanOrEqual(2000);
      const { body } = await api(`/v1/rewards/${confirmed.data.rewardId}`, { 'x-api-key': 'test-bank-key' });
      expect(body).toMatchObject({ status: 'confirmed', campaignId: cmp.campaignId, merchantId: cmp.merchants[0].merchantId, amount: { amountMinor: 1000 } });
      expect((body.history as { status: string }[]).map((h) => h.status)).toEqual(['earned', 'confirmed']);
    });

    it('a hold period of zero confirms at settlement', async () => {
      const p = purchase(uid('cust'));
      await drive.match(p, instant);
      await drive.settle(p);
      await eventually(() => expect(typesOf(p.customerId)).toEqual(['reward.earned', 'reward.confirmed']));
    });

    it('a match made on the settlement starts the hold itself', async () => {
      const p = purchase(uid('cust'), Date.now());
      await drive.match(p, instant, { kind: 'settlement' });
      await eventually(() => expect(typesOf(p.customerId)).toEqual(['reward.earned', 'reward.confirmed']));
    });

    const reversals = (customerId: string) => rewardsOf(customerId).filter((e) => e.type === 'reward.reversed');

    it('a full refund claws back the whole reward', async () => {
      const p = purchase(uid('cust'));
      await drive.match(p, cmp);
      await drive.settle(p);
      await drive.refund(p, p.amountMinor);
      await eventually(() => expect(reversals(p.customerId)).toHaveLength(1));
      expect(reversals(p.customerId)[0].data).toMatchObject({
        status: 'reversed',
        reasonCode: 'refund-netted',
        reversedAmount: { amountMinor: 1000 },
        remainingAmount: { amountMinor: 0 },
        platformFeeReversed: { amountMinor: 200 },
        publisherShareReversed: { amountMinor: 60 },
        afterPayout: false,
      });
      await new Promise((r) => setTimeout(r, 3000)); // past the hold: a reversed reward is never confirmed
      expect(typesOf(p.customerId)).toEqual(['reward.earned', 'reward.reversed']);
    });

    it('a partial refund claws back in proportion and the rest is confirmed', async () => {
      const p = purchase(uid('cust'));
      await drive.match(p, cmp);
      await drive.refund(p, 2_500);
      await drive.settle(p);
      await eventually(() => expect(typesOf(p.customerId)).toEqual(['reward.earned', 'reward.reversed', 'reward.confirmed']));
      const [, reversed, confirmed] = rewardsOf(p.customerId);
      expect(reversed.data).toMatchObject({ status: 'earned', reversedAmount: { amountMinor: 250 }, remainingAmount: { amountMinor: 750 }, platformFeeReversed: { amountMinor: 50 } });
      expect(confirmed.data).toMatchObject({ amount: { amountMinor: 750 } });
    });

    it('two partial refunds adding up to the purchase claw back exactly the whole reward', async () => {
      const p = purchase(uid('cust'), Date.now() - 60_000, 9_999);
      await drive.match(p, cmp, { rewardMinor: 1_001 });
      await drive.refund(p, 3_333);
      await drive.refund(p, 6_666);
      await eventually(() => expect(reversals(p.customerId)).toHaveLength(2));
      const amounts = reversals(p.customerId).map((e) => (e.data.reversedAmount as { amountMinor: number }).amountMinor);
      // first: 1001 − floor(1001 × 6666 / 9999) = 1001 − 667 = 334; second: the rest
      expect(amounts).toEqual([334, 667]);
      expect(reversals(p.customerId)[1].data).toMatchObject({ status: 'reversed', remainingAmount: { amountMinor: 0 } });
    });

    it('a refund that arrives before its match is held and applied when the match arrives', async () => {
      const p = purchase(uid('cust'));
      await drive.refund(p, 5_000);
      await eventually(async () =>
        expect(await app.get(DataSource).query(`SELECT "state" FROM "attribution"."pending_adjustments" WHERE "purchase_id" = $1`, [p.purchaseId])).toEqual([{ state: 'held' }]),
      );
      await drive.match(p, cmp);
      await eventually(() => expect(typesOf(p.customerId)).toEqual(['reward.earned', 'reward.reversed']));
      expect(reversals(p.customerId)[0].data).toMatchObject({ reversedAmount: { amountMinor: 500 }, remainingAmount: { amountMinor: 500 } });
      expect(await app.get(DataSource).query(`SELECT "state" FROM "attribution"."pending_adjustments" WHERE "purchase_id" = $1`, [p.purchaseId])).toEqual([{ state: 'applied' }]);
    });

    it('a reversal cancels the reward', async () => {
      const p = purchase(uid('cust'));
      await drive.match(p, cmp);
      await drive.reverse(p);
      await eventually(() => expect(reversals(p.customerId)).toHaveLength(1));
      expect(reversals(p.customerId)[0].data).toMatchObject({ status: 'reversed', reasonCode: 'authorization-reversed', reversedAmount: { amountMinor: 1000 } });
      const { body } = await api(`/v1/customers/${p.customerId}/rewards`, { 'x-api-key': 'test-bank-key' });
      expect(body.rewards).toEqual([expect.objectContaining({ status: 'reversed', amount: { amountMinor: 0, currency: 'SEK' }, reasonCodes: ['rewarded', 'authorization-reversed'] })]);
    });

    it('an authorization never settled expires: reversed and credited; a settlement after that reinstates it once', async () => {
      const p = purchase(uid('cust'), Date.now() - 700_000); // older than the 600-unit window
      await drive.match(p, cmp);
      await eventually(() => expect(typesOf(p.customerId)).toEqual(['reward.earned', 'reward.reversed']));
      expect(reversals(p.customerId)[0].data).toMatchObject({ status: 'reversed', reasonCode: 'authorization-expired', reversedAmount: { amountMinor: 1000 }, platformFeeReversed: { amountMinor: 200 } });
      await drive.settle(p);
      await eventually(() => expect(typesOf(p.customerId)).toEqual(['reward.earned', 'reward.reversed', 'reward.reinstated', 'reward.confirmed']), { timeoutMs: 30_000 });
      const [reinstated] = rewardsOf(p.customerId).filter((e) => e.type === 'reward.reinstated');
      expect(reinstated.data).toMatchObject({ status: 'earned', reasonCode: 'settled-after-expiry', amount: { amountMinor: 1000 }, platformFee: { amountMinor: 200 }, transactionId: `${p.transactionId}-s` });
      expect(reinstated.data.rewardId).toBe(rewardsOf(p.customerId)[0].data.rewardId); // the same reward, not a second one
      // The same settlement again changes nothing (a later event of the customer says it was decided).
      await drive.settle(p);
      const q = purchase(p.customerId);
      await drive.match(q, instant);
      await drive.settle(q);
      await eventually(() => expect(typesOf(p.customerId).filter((t) => t === 'reward.confirmed')).toHaveLength(2));
      expect(typesOf(p.customerId).filter((t) => t === 'reward.reinstated')).toHaveLength(1);
      const { body } = await api(`/v1/rewards/${reinstated.data.rewardId}`, { 'x-api-key': 'test-bank-key' });
      expect((body.history as { reasonCode: string }[]).map((h) => h.reasonCode)).toEqual(['rewarded', 'authorization-expired', 'settled-after-expiry', 'hold-period-passed']);
    });

    it('the same events delivered twice give one reward and one clawback', async () => {
      const p = purchase(uid('cust'));
      const match = drive.matchEvent(p, cmp);
      await producer.send('offer-matches', [{ key: p.customerId, event: match }]);
      await producer.send('offer-matches', [{ key: p.customerId, event: match }]); // redelivery
      await producer.send('offer-matches', [{ key: p.customerId, event: { ...match, eventId: crypto.randomUUID() } }]); // re-evaluation, same matchId
      const refund = drive.refundEvent(p, 4_000, uid('rfd'));
      await producer.send('card-transactions', [{ key: p.customerId, event: refund }]);
      await producer.send('card-transactions', [{ key: p.customerId, event: refund }]);
      await producer.send('card-transactions', [{ key: p.customerId, event: { ...refund, eventId: crypto.randomUUID() } }]); // the bank resent it
      await eventually(() => expect(typesOf(p.customerId)).toEqual(['reward.earned', 'reward.reversed']));
      await quiet();
      expect(typesOf(p.customerId)).toEqual(['reward.earned', 'reward.reversed']);
      expect(conversionsOf(p.customerId)).toHaveLength(1);
      expect(reversals(p.customerId)[0].data).toMatchObject({ reversedAmount: { amountMinor: 400 } });
    });

    it('a settlement that arrives before its match is held and starts the hold when the match arrives', async () => {
      const p = purchase(uid('cust'));
      await drive.settle(p);
      await eventually(async () =>
        expect(await app.get(DataSource).query(`SELECT "state" FROM "attribution"."pending_adjustments" WHERE "purchase_id" = $1`, [p.purchaseId])).toEqual([{ state: 'held' }]),
      );
      await drive.match(p, instant);
      await eventually(() => expect(typesOf(p.customerId)).toEqual(['reward.earned', 'reward.confirmed']));
    });

    it('one purchase in two campaigns: a reward each, and a refund reduces both', async () => {
      const p = purchase(uid('cust'));
      await drive.match(p, cmp);
      await drive.match(p, instant);
      await eventually(() => expect(typesOf(p.customerId)).toEqual(['reward.earned', 'reward.earned']));
      await drive.refund(p, 1_000);
      await eventually(() => expect(reversals(p.customerId)).toHaveLength(2));
      expect(new Set(reversals(p.customerId).map((e) => e.data.campaignId))).toEqual(new Set([cmp.campaignId, instant.campaignId]));
    });

    it('a refund of a purchase never matched is held, then expires with reason unknown-purchase', async () => {
      const p = purchase(uid('cust'));
      await drive.refund(p, 500);
      const ds = app.get(DataSource);
      const state = () => ds.query(`SELECT "state", "reason_code" FROM "attribution"."pending_adjustments" WHERE "purchase_id" = $1`, [p.purchaseId]);
      await eventually(async () => expect(await state()).toEqual([{ state: 'held', reason_code: null }]));
      await ds.query(`UPDATE "attribution"."pending_adjustments" SET "received_at" = now() - interval '31 days' WHERE "purchase_id" = $1`, [p.purchaseId]);
      await eventually(async () => expect(await state()).toEqual([{ state: 'expired', reason_code: 'unknown-purchase' }]));
      expect(rewardsOf(p.customerId)).toEqual([]);
      const { body } = await api(`/v1/purchases/${encodeURIComponent(p.purchaseId)}/adjustments`);
      expect(body.adjustments).toEqual([expect.objectContaining({ kind: 'refund', state: 'expired', reasonCode: 'unknown-purchase', amount: { amountMinor: 500, currency: 'SEK' } })]);
      expect((await api(`/v1/purchases/${encodeURIComponent(p.purchaseId)}/adjustments`, { 'x-api-key': 'test-bank-key' })).status).toBe(403);
    });

    it('a bank sees only its own customers’ rewards; advertisers are refused', async () => {
      expect((await api('/v1/rewards/rwd-unknown')).status).toBe(404);
      expect((await api('/v1/customers/c/rewards', await bearer(['advertiser'], 'adv-x'))).status).toBe(403);
      expect((await fetch((await app.getUrl()) + '/v1/customers/c/rewards')).status).toBe(401);
      // A bank's key cannot name another bank's customer; ops can narrow to one bank.
      expect((await api('/v1/customers/c/rewards?bank=bank-other', { 'x-api-key': 'test-bank-key' })).status).toBe(403);
      expect((await api('/v1/customers/c/rewards?bank=bank-other')).status).toBe(200);
    });
  });

  it('a restart between settlement and confirmation confirms once, after the restart', async () => {
    const cmp = campaign({ holdPeriodDays: 6 });
    await drive.campaign(cmp, app);
    const p = purchase(uid('cust'));
    await drive.match(p, cmp);
    const settledAt = Date.now();
    await drive.settle(p, settledAt);
    const ds = app.get(DataSource);
    await eventually(async () => expect(await ds.query(`SELECT 1 FROM "attribution"."confirmation_jobs" j JOIN "attribution"."rewards" r USING ("reward_id") WHERE r."purchase_id" = $1`, [p.purchaseId])).toHaveLength(1));
    await app.close();
    expect(Date.now()).toBeLessThan(settledAt + 6000); // still inside the hold when it stopped
    await new Promise((r) => setTimeout(r, settledAt + 6500 - Date.now())); // the hold passes while the service is down
    expect(typesOf(p.customerId)).toEqual(['reward.earned']);
    app = await startApp();
    await eventually(() => expect(typesOf(p.customerId)).toEqual(['reward.earned', 'reward.confirmed']));
    await quiet();
    expect(typesOf(p.customerId)).toEqual(['reward.earned', 'reward.confirmed']);
    expect(await app.get(DataSource).query(`SELECT 1 FROM "attribution"."confirmation_jobs" j JOIN "attribution"."rewards" r USING ("reward_id") WHERE r."purchase_id" = $1`, [p.purchaseId])).toEqual([]);
  });

  it('every event it produced is valid against its contract', () => {
    const produced = [
      ...reader.of(physicalTopic('rewards')).map((m) => ['rewards', m] as const),
      ...reader.of(physicalTopic('conversions')).map((m) => ['conversions', m] as const),
      ...reader.of(physicalTopic('attribution-decisions')).map((m) => ['attribution-decisions', m] as const),
    ];
    expect(produced.length).toBeGreaterThan(20);
    const invalid = produced.map(([topic, m]) => decodeEvent(topic, m.value)).filter((r) => !r.ok);
    expect(invalid).toEqual([]);
  });

  it('entities match the migrations', async () => {
    expect(await schemaDrift(app.get(DataSource))).toEqual([]);
  });
});
