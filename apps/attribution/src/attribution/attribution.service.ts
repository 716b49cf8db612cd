import { Inject, Injectable } from '@nestjs/common';
import {
  CampaignSnapshotV1Envelope,
  ClickRecordedV1Envelope,
  AttributionDeclinedV1,
  ConversionRecordedV1,
  ImpressionRecordedV1Envelope,
  newEnvelope,
  OfferMatchMatchedV1Envelope,
  RewardEarnedV1,
  Topic,
  type AttributionDeclineReason,
  type RewardEarnedV1Envelope,
  type TopicEvents,
} from '@prestanda/contracts';
import { add, money, percentOfFloor, type Money } from '@prestanda/money';
import { TransientError, type OutboxItem } from '@prestanda/persistence';
import { EntityManager, In } from 'typeorm';
import { decideAttribution, type Touchpoint } from './attribution-rules';
import { ATTRIBUTION_CONFIG, type AttributionConfig } from './attribution.tokens';
import { CampaignRow, MatchOutcomeRow, PendingAdjustmentRow, RewardHistoryRow, RewardRow } from './entities';
import { conversionIdFor, eventIdFor, rewardIdFor } from './ids';
import { applyFact, applyFacts, earn, type PurchaseFact, type RewardState } from './reward-lifecycle';
import { loadRewardsForUpdate, persistSteps, rewardFields, stateOf, type Publish } from './reward-store';

const S = '"attribution"';

/** Use cases behind the consumer: read models, attribution of matches, and purchase facts. */
@Injectable()
export class AttributionService {
  constructor(@Inject(ATTRIBUTION_CONFIG) private readonly config: AttributionConfig) {}

  /** Keeps the latest snapshot of each campaign (a lower or equal version is ignored); one statement for a chunk. */
  async onCampaigns(events: CampaignSnapshotV1Envelope[], m: EntityManager): Promise<void> {
    const newest = new Map<string, CampaignSnapshotV1Envelope['data']>();
    for (const { data } of events) if ((newest.get(data.campaignId)?.version ?? -1) < data.version) newest.set(data.campaignId, data);
    const list = [...newest.values()];
    await m.query(
      `INSERT INTO ${S}."campaigns" ("campaign_id", "version", "name", "advertiser_id", "activation", "click_days", "view_days", "hold_period_days", "publisher_share_basis_points", "publisher_ids", "updated_at", "banks")
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::int[], $10::jsonb[], $11::timestamptz[], $12::jsonb[])
       ON CONFLICT ("campaign_id") DO UPDATE SET "version" = EXCLUDED."version", "name" = EXCLUDED."name", "advertiser_id" = EXCLUDED."advertiser_id",
         "activation" = EXCLUDED."activation", "click_days" = EXCLUDED."click_days", "view_days" = EXCLUDED."view_days", "hold_period_days" = EXCLUDED."hold_period_days",
         "publisher_share_basis_points" = EXCLUDED."publisher_share_basis_points", "publisher_ids" = EXCLUDED."publisher_ids", "updated_at" = EXCLUDED."updated_at", "banks" = EXCLUDED."banks"
       WHERE ${S}."campaigns"."version" < EXCLUDED."version"`,
      [
        list.map((c) => c.campaignId),
        list.map((c) => c.version),
        list.map((c) => c.name),
        list.map((c) => c.advertiserId),
        list.map((c) => c.activation),
        list.map((c) => c.windows.clickDays),
        list.map((c) => c.windows.viewDays),
        list.map((c) => c.holdPeriodDays),
        list.map((c) => c.platformFee.publisherShareBasisPoints),
        list.map((c) => JSON.stringify(c.publishers.map((p) => p.publisherId))),
        list.map((c) => c.updatedAt),
        list.map((c) => (c.banks ? JSON.stringify(c.banks) : null)),
      ],
    );
  }

  async onImpression(event: ImpressionRecordedV1Envelope, m: EntityManager): Promise<void> {
    const d = event.data;
    await this.touch(m, { touchpointId: d.impressionId, kind: 'impression', publisherId: d.publisherId, at: d.at }, d.reportedBy, d.customerId, d.campaignId);
  }

  async onClick(event: ClickRecordedV1Envelope, m: EntityManager): Promise<void> {
    const d = event.data;
    await this.touch(m, { touchpointId: d.clickId, kind: d.kind, publisherId: d.publisherId, at: d.at }, d.reportedBy, d.customerId, d.campaignId);
  }

  /** A touchpoint belongs to the customer of the integration that reported it: (bank, customer id). */
  private async touch(m: EntityManager, t: Touchpoint, bankSource: string, customerId: string, campaignId: string): Promise<void> {
    await m.query(
      `INSERT INTO ${S}."touchpoints" ("bank_source", "touchpoint_id", "kind", "customer_id", "campaign_id", "publisher_id", "at") VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ("bank_source", "touchpoint_id") DO NOTHING`,
      [bankSource, t.touchpointId, t.kind, customerId, campaignId, t.publisherId, t.at],
    );
  }

  /**
   * The touchpoints that can matter for each purchase, in one round trip: those inside the
   * longest window before it, plus the latest older activation (it turns not-activated into
   * activation-outside-window). Keyed by position in `wanted`.
   */
  private async touchpointsFor(
    m: EntityManager,
    wanted: { bankSource: string; customerId: string; campaignId: string; purchaseAt: string; windowDays: number }[],
  ): Promise<Map<number, Touchpoint[]>> {
    const rows: { i: number; touchpoint_id: string; kind: Touchpoint['kind']; publisher_id: string; at: Date }[] = await m.query(
      `SELECT w.i, t.* FROM unnest($1::int[], $2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::text[]) AS w(i, customer_id, campaign_id, purchase_at, window_days, bank_source)
       CROSS JOIN LATERAL (
         (SELECT "touchpoint_id", "kind", "publisher_id", "at" FROM ${S}."touchpoints"
           WHERE "bank_source" = w.bank_source AND "customer_id" = w.customer_id AND "campaign_id" = w.campaign_id AND "at" <= w.purchase_at AND "at" >= w.purchase_at - make_interval(days => w.window_days))
         UNION ALL
         (SELECT "touchpoint_id", "kind", "publisher_id", "at" FROM ${S}."touchpoints"
           WHERE "bank_source" = w.bank_source AND "customer_id" = w.customer_id AND "campaign_id" = w.campaign_id AND "kind" = 'activation' AND "at" < w.purchase_at - make_interval(days => w.window_days)
           ORDER BY "at" DESC LIMIT 1)) t`,
      [wanted.map((_, i) => i), wanted.map((w) => w.customerId), wanted.map((w) => w.campaignId), wanted.map((w) => w.purchaseAt), wanted.map((w) => w.windowDays), wanted.map((w) => w.bankSource)],
    );
    const out = new Map<number, Touchpoint[]>();
    for (const r of rows) {
      const list = out.get(r.i) ?? [];
      list.push({ touchpointId: r.touchpoint_id, kind: r.kind, publisherId: r.publisher_id, at: new Date(r.at).toISOString() });
      out.set(r.i, list);
    }
    return out;
  }

  /** Decides one match; see `onMatches`. */
  onMatched(event: OfferMatchMatchedV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    return this.onMatches([event], m, publish);
  }

  /**
   * Decides the matches of one chunk, in order: each is declined (recorded with its reason) or
   * becomes a reward (earned + conversion), folding in whatever settlement, refunds or reversal
   * of the purchase arrived first. What the decisions need is read once for the chunk (seen
   * matches, existing rewards, held facts, campaigns, touchpoints) and what they produce is
   * written with one multi-row INSERT per table; only a purchase with held facts costs more.
   */
  async onMatches(events: OfferMatchMatchedV1Envelope[], m: EntityManager, publish: Publish): Promise<void> {
    if (events.length === 0) return;
    const now = new Date().toISOString();
    await lockPurchases(m, events.map((e) => e.data.purchaseId));
    // The lock is held: what is read here includes any fact or match that committed before it.
    const pre: { match_ids: string[]; rewards: { purchase_id: string; campaign_id: string; reward_id: string }[]; held: string[] }[] = await m.query(
      `SELECT ARRAY(SELECT "match_id" FROM ${S}."match_outcomes" WHERE "match_id" = ANY($1::text[])) AS "match_ids",
              COALESCE((SELECT json_agg(json_build_object('purchase_id', r."purchase_id", 'campaign_id', r."campaign_id", 'reward_id', r."reward_id"))
                        FROM ${S}."rewards" r WHERE r."purchase_id" = ANY($2::text[])), '[]'::json) AS "rewards",
              ARRAY(SELECT DISTINCT "purchase_id" FROM ${S}."pending_adjustments" WHERE "purchase_id" = ANY($2::text[])) AS "held"`,
      [events.map((e) => e.data.matchId), [...new Set(events.map((e) => e.data.purchaseId))]],
    );
    const seen = new Set(pre[0].match_ids);
    const existing = new Map(pre[0].rewards.map((r) => [`${r.purchase_id}\u0000${r.campaign_id}`, r.reward_id]));
    const held = new Set(pre[0].held);
    const campaigns = new Map(
      (await m.getRepository(CampaignRow).findBy({ campaignId: In([...new Set(events.map((e) => e.data.campaignId))]) })).map((c) => [c.campaignId, c]),
    );
    const fresh: { event: OfferMatchMatchedV1Envelope; campaign: CampaignRow }[] = [];
    for (const event of events) {
      const d = event.data;
      if (seen.has(d.matchId)) continue;
      seen.add(d.matchId);
      const campaign = campaigns.get(d.campaignId);
      // The campaigns topic is read from the start, so the snapshot comes: retry until it has.
      if (!campaign || campaign.version < d.campaignVersion) throw new TransientError(`campaign ${d.campaignId} v${d.campaignVersion} not known yet`);
      fresh.push({ event, campaign });
    }
    if (fresh.length === 0) return;
    const points = await this.touchpointsFor(
      m,
      fresh.map(({ event: { data: d }, campaign }) => ({
        bankSource: d.transaction.bankSource,
        customerId: d.customerId,
        campaignId: d.campaignId,
        purchaseAt: d.transaction.transactionAt,
        windowDays: Math.max(campaign.clickDays, campaign.viewDays),
      })),
    );

    const outcomes: Partial<MatchOutcomeRow>[] = [];
    const rewards: RewardRow[] = [];
    const history: Partial<RewardHistoryRow>[] = [];
    const outbox: OutboxItem[] = [];
    const withHeldFacts: { row: RewardRow; state: RewardState; event: OfferMatchMatchedV1Envelope }[] = [];
    fresh.forEach(({ event, campaign }, i) => {
      const d = event.data;
      const decision = decideAttribution(
        {
          activation: campaign.activation as 'required' | 'automatic',
          clickDays: campaign.clickDays,
          viewDays: campaign.viewDays,
          publisherIds: campaign.publisherIds,
          banks: campaign.banks ?? undefined,
        },
        points.get(i) ?? [],
        d.transaction.transactionAt,
        d.transaction.bankSource,
      );
      const outcome = {
        matchId: d.matchId,
        purchaseId: d.purchaseId,
        campaignId: d.campaignId,
        customerId: d.customerId,
        merchantId: d.merchantId,
        purchaseAt: new Date(d.transaction.transactionAt),
        decidedAt: new Date(now),
      };
      const key = `${d.purchaseId}\u0000${d.campaignId}`;
      // A declined match gives its budget reservation back (attribution.declined → offer-matching).
      const decline = (reasonCode: AttributionDeclineReason, rewardId: string | null) => {
        outcomes.push({ ...outcome, outcome: 'declined', reasonCode, rewardId });
        outbox.push(declinedEvent(event, reasonCode, now));
      };
      if (!decision.rewarded) return decline(decision.reasonCode, null);
      if (d.rewardAmount.amountMinor <= 0) return decline('zero-reward', null);
      if (existing.has(key)) return decline('already-rewarded', existing.get(key)!);

      const rewardId = rewardIdFor(d.purchaseId, d.campaignId);
      existing.set(key, rewardId);
      const share = percentOfFloor(d.platformFee, campaign.publisherShareBasisPoints);
      const state = earn({
        currency: d.rewardAmount.currency,
        purchaseAmountMinor: d.purchaseAmount.amountMinor,
        purchaseCurrency: d.purchaseAmount.currency,
        earnedMinor: d.rewardAmount.amountMinor,
        feeMinor: d.platformFee.amountMinor,
        shareMinor: share.amountMinor,
        holdPeriodDays: campaign.holdPeriodDays,
      });
      const row = m.getRepository(RewardRow).create({
        rewardId,
        matchId: d.matchId,
        purchaseId: d.purchaseId,
        campaignId: d.campaignId,
        customerId: d.customerId,
        advertiserId: d.advertiserId,
        merchantId: d.merchantId,
        publisherId: decision.publisherId,
        bankSource: d.transaction.bankSource,
        attributionMethod: decision.method,
        touchpointId: decision.touchpointId ?? null,
        status: state.status,
        currency: state.currency,
        purchaseCurrency: state.purchaseCurrency,
        purchaseAmountMinor: state.purchaseAmountMinor,
        earnedMinor: state.earnedMinor,
        feeMinor: state.feeMinor,
        shareMinor: state.shareMinor,
        keptMinor: state.keptMinor,
        feeKeptMinor: state.feeKeptMinor,
        shareKeptMinor: state.shareKeptMinor,
        refundedMinor: 0,
        appliedFacts: [],
        holdPeriodDays: state.holdPeriodDays,
        purchaseAt: new Date(d.transaction.transactionAt),
        earnedAt: new Date(now),
        settledAt: null,
        confirmedAt: null,
        reversedAt: null,
      });
      rewards.push(row);
      outcomes.push({ ...outcome, outcome: 'rewarded', reasonCode: 'rewarded', rewardId });
      history.push({ rewardId, status: 'earned', reasonCode: 'rewarded', amountMinor: state.earnedMinor, remainingMinor: state.earnedMinor, transactionId: d.transaction.transactionId, at: new Date(now) });
      outbox.push(...this.earnedEvents(row, event, campaign, decision, share, now));
      // Facts that came first (held), or the settlement itself when the match was made on it.
      if (held.has(d.purchaseId) || d.transaction.kind === 'settlement') withHeldFacts.push({ row, state, event });
    });
    if (rewards.length > 0) await m.getRepository(RewardRow).insert(rewards);
    await m.getRepository(MatchOutcomeRow).insert(outcomes);
    if (history.length > 0) await m.getRepository(RewardHistoryRow).insert(history);
    if (outbox.length > 0) await publish(outbox);

    if (withHeldFacts.length === 0) return;
    const heldPurchases = [...new Set(withHeldFacts.filter(({ event }) => held.has(event.data.purchaseId)).map(({ event }) => event.data.purchaseId))];
    const heldRows = heldPurchases.length ? await m.getRepository(PendingAdjustmentRow).find({ where: { purchaseId: In(heldPurchases) }, order: { id: 'ASC' } }) : [];
    const steps = [];
    for (const { row, state, event } of withHeldFacts) {
      const d = event.data;
      const facts: PurchaseFact[] = heldRows.filter((r) => r.purchaseId === d.purchaseId).map(factOf);
      if (d.transaction.kind === 'settlement') facts.push({ kind: 'settlement', transactionId: d.transaction.transactionId, at: d.transaction.transactionAt });
      // Nothing arrived before the match: the reward stays as earned, no second write.
      if (facts.length > 0) steps.push({ row, step: applyFacts(state, facts, now) });
    }
    await persistSteps(m, steps, publish, this.config.ATTRIBUTION_HOLD_UNIT_SECONDS);
    if (heldRows.length > 0) await m.query(`UPDATE ${S}."pending_adjustments" SET "state" = 'applied', "reason_code" = NULL WHERE "purchase_id" = ANY($1::text[]) AND "state" <> 'applied'`, [heldPurchases]);
  }

  /** reward.earned and the CPA conversion.recorded of a new reward. */
  private earnedEvents(
    row: RewardRow,
    event: OfferMatchMatchedV1Envelope,
    campaign: CampaignRow,
    decision: { method: RewardEarnedV1Envelope['data']['attribution']['method']; touchpointId?: string; publisherId: string },
    share: Money,
    now: string,
  ): OutboxItem[] {
    const d = event.data;
    const rewardId = row.rewardId;
    const earned = newEnvelope(RewardEarnedV1, {
      source: 'attribution',
      occurredAt: now,
      eventId: eventIdFor(`${rewardId}|earned`),
      data: {
        ...rewardFields(row),
        matchId: d.matchId,
        status: 'earned',
        reasonCode: 'rewarded',
        amount: d.rewardAmount,
        platformFee: d.platformFee,
        publisherShare: share,
        attribution: decision.touchpointId ? { method: decision.method, touchpointId: decision.touchpointId } : { method: decision.method },
        holdPeriodDays: campaign.holdPeriodDays,
        earnedAt: now,
      },
    });
    const conversion = newEnvelope(ConversionRecordedV1, {
      source: 'attribution',
      occurredAt: d.transaction.transactionAt,
      eventId: eventIdFor(`${rewardId}|conversion`),
      data: {
        conversionId: conversionIdFor(rewardId),
        campaignId: d.campaignId,
        advertiserId: d.advertiserId,
        publisherId: decision.publisherId,
        pricingModel: 'CPA',
        units: 1,
        customerId: d.customerId,
        touchpointId: d.matchId,
        rewardId,
        rewardAmount: d.rewardAmount,
        platformFee: d.platformFee,
        publisherCommission: share,
        advertiserCharge: add(d.rewardAmount, money(d.platformFee.amountMinor, d.rewardAmount.currency)),
        convertedAt: d.transaction.transactionAt,
      },
    });
    return [
      { topic: 'rewards', key: d.customerId, event: earned },
      { topic: 'conversions', key: d.campaignId, event: conversion },
    ];
  }

  /**
   * Settlements, refunds and reversals of one chunk (authorizations are ignored: the match
   * carries what attribution needs). Each fact is recorded once per bank transaction id and
   * applied, in order, to every reward of its purchase; with no reward yet it stays held for the
   * match. Most of a bank's feed never matches an offer: those facts cost one INSERT for the
   * whole chunk.
   */
  async onFacts(events: CardTransactionEvent[], m: EntityManager, publish: Publish): Promise<void> {
    const facts = events.flatMap((e) => {
      const d = e.data;
      const fact = factOfEvent(e);
      return fact ? [{ tx: d, fact }] : [];
    });
    if (facts.length === 0) return;
    const now = new Date().toISOString();
    await lockPurchases(m, facts.map((f) => f.tx.purchaseId));
    // Record the facts and read their purchases' rewards in one round trip (the locks above are
    // held, so the rewards read here include any match that committed before them).
    const inserted: { purchase_id: string; kind: string; transaction_id: string; reward_ids: string[] }[] = await m.query(
      `WITH ins AS (
         INSERT INTO ${S}."pending_adjustments" ("purchase_id", "kind", "transaction_id", "customer_id", "amount_minor", "currency", "transaction_at", "state", "reason_code", "received_at")
         SELECT x.purchase_id, x.kind, x.transaction_id, x.customer_id, x.amount_minor, x.currency, x.transaction_at, 'held', NULL, now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[])
           AS x(purchase_id, kind, transaction_id, customer_id, amount_minor, currency, transaction_at)
         ON CONFLICT ("purchase_id", "kind", "transaction_id") DO NOTHING
         RETURNING "purchase_id", "kind", "transaction_id")
       SELECT i."purchase_id", i."kind", i."transaction_id",
              ARRAY(SELECT r."reward_id" FROM ${S}."rewards" r WHERE r."purchase_id" = i."purchase_id" ORDER BY r."reward_id") AS "reward_ids"
       FROM ins i`,
      [
        facts.map((f) => f.tx.purchaseId),
        facts.map((f) => f.fact.kind),
        facts.map((f) => f.fact.transactionId),
        facts.map((f) => f.tx.customerId),
        facts.map((f) => f.tx.amount.amountMinor),
        facts.map((f) => f.tx.amount.currency),
        facts.map((f) => f.tx.transactionAt),
      ],
    );
    // The same bank transaction again was applied already; a fact of a purchase without rewards stays held.
    const toApply = new Map(inserted.filter((r) => r.reward_ids.length > 0).map((r) => [`${r.purchase_id}\u0000${r.kind}\u0000${r.transaction_id}`, r.reward_ids]));
    if (toApply.size === 0) return;
    const applied: { purchaseId: string; kind: string; transactionId: string }[] = [];
    const rewards = await loadRewardsForUpdate(m, [...toApply.values()].flat());
    const states = new Map<string, RewardState>();
    const steps: { row: RewardRow; step: ReturnType<typeof applyFact> }[] = [];
    for (const { tx, fact } of facts) {
      const rewardIds = toApply.get(`${tx.purchaseId}\u0000${fact.kind}\u0000${fact.transactionId}`);
      if (!rewardIds) continue;
      for (const rewardId of rewardIds) {
        const row = rewards.get(rewardId);
        if (!row) continue;
        // A reward taking two facts in one chunk: the second applies to the first one's result.
        const step = applyFact(states.get(rewardId) ?? stateOf(row), fact, now);
        states.set(rewardId, step.state);
        steps.push({ row, step });
      }
      applied.push({ purchaseId: tx.purchaseId, kind: fact.kind, transactionId: fact.transactionId });
    }
    await persistSteps(m, steps, publish, this.config.ATTRIBUTION_HOLD_UNIT_SECONDS);
    await m.query(
      `UPDATE ${S}."pending_adjustments" p SET "state" = 'applied'
       FROM unnest($1::text[], $2::text[], $3::text[]) AS x(purchase_id, kind, transaction_id)
       WHERE p."purchase_id" = x.purchase_id AND p."kind" = x.kind AND p."transaction_id" = x.transaction_id`,
      [applied.map((a) => a.purchaseId), applied.map((a) => a.kind), applied.map((a) => a.transactionId)],
    );
  }
}

type CardTransactionEvent = TopicEvents['card-transactions'];

/** The purchase fact a card transaction states, if any (an authorization states none attribution needs). */
function factOfEvent(event: CardTransactionEvent): PurchaseFact | undefined {
  const d = event.data;
  switch (event.type) {
    case 'card-transaction.settled':
      return { kind: 'settlement', transactionId: d.transactionId, at: d.transactionAt };
    case 'card-transaction.refunded':
      return { kind: 'refund', transactionId: d.transactionId, amountMinor: d.amount.amountMinor, currency: d.amount.currency, at: d.transactionAt };
    case 'card-transaction.reversed':
      return { kind: 'reversal', transactionId: d.transactionId, at: d.transactionAt };
    default:
      return undefined;
  }
}

/**
 * Serialises the handlers of one purchase: a match and a refund of the same purchase can be
 * in flight at once (different topics, different partitions). Without the lock the refund's
 * transaction would not see the reward the match is creating, and would stay held. A chunk
 * takes its purchases' locks in one sorted order, so two chunks cannot deadlock on them.
 */
async function lockPurchases(m: EntityManager, purchaseIds: string[]): Promise<void> {
  await m.query(
    `SELECT count(pg_advisory_xact_lock(hashtextextended('attribution:purchase:' || k, 0))) FROM (SELECT DISTINCT k FROM unnest($1::text[]) AS k ORDER BY k) s`,
    [purchaseIds],
  );
}

export function factOf(row: PendingAdjustmentRow): PurchaseFact {
  const at = row.transactionAt.toISOString();
  if (row.kind === 'refund') return { kind: 'refund', transactionId: row.transactionId, amountMinor: row.amountMinor, currency: row.currency, at };
  return { kind: row.kind as 'settlement' | 'reversal', transactionId: row.transactionId, at };
}

/** attribution.declined for a match not rewarded: the reservation (reward + fee) offer-matching holds for it is released. */
function declinedEvent(event: OfferMatchMatchedV1Envelope, reasonCode: AttributionDeclineReason, now: string): OutboxItem {
  const d = event.data;
  return {
    topic: Topic.AttributionDecisions,
    key: d.customerId,
    event: newEnvelope(AttributionDeclinedV1, {
      source: 'attribution',
      occurredAt: now,
      eventId: eventIdFor(`${d.matchId}|declined`),
      data: {
        matchId: d.matchId,
        purchaseId: d.purchaseId,
        campaignId: d.campaignId,
        advertiserId: d.advertiserId,
        bankSource: d.transaction.bankSource,
        customerId: d.customerId,
        reasonCode,
        released: { amountMinor: d.rewardAmount.amountMinor + d.platformFee.amountMinor, currency: d.rewardAmount.currency },
        declinedAt: now,
      },
    }),
  };
}
