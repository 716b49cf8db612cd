import { Inject, Injectable } from '@nestjs/common';
import {
  CampaignSnapshotV1Envelope,
  CardTransactionRefundedV1Envelope,
  CardTransactionReversedV1Envelope,
  CardTransactionSettledV1Envelope,
  ClickRecordedV1Envelope,
  ConversionRecordedV1,
  ImpressionRecordedV1Envelope,
  newEnvelope,
  OfferMatchMatchedV1Envelope,
  RewardEarnedV1,
} from '@prestanda/contracts';
import { add, money, percentOfFloor } from '@prestanda/money';
import { TransientError } from '@prestanda/persistence';
import { EntityManager } from 'typeorm';
import { decideAttribution, type Touchpoint } from './attribution-rules';
import { ATTRIBUTION_CONFIG, type AttributionConfig } from './attribution.tokens';
import { CampaignRow, MatchOutcomeRow, PendingAdjustmentRow, RewardHistoryRow, RewardRow } from './entities';
import { conversionIdFor, eventIdFor, rewardIdFor } from './ids';
import { applyFact, applyFacts, earn, type PurchaseFact } from './reward-lifecycle';
import { loadRewardForUpdate, persistStep, rewardFields, stateOf, type Publish } from './reward-store';

const S = '"attribution"';

/** Use cases behind the consumer: read models, attribution of matches, and purchase facts. */
@Injectable()
export class AttributionService {
  constructor(@Inject(ATTRIBUTION_CONFIG) private readonly config: AttributionConfig) {}

  /** Keeps the latest snapshot of each campaign (a lower or equal version is ignored). */
  async onCampaign(event: CampaignSnapshotV1Envelope, m: EntityManager): Promise<void> {
    const c = event.data;
    await m.query(
      `INSERT INTO ${S}."campaigns" ("campaign_id", "version", "name", "advertiser_id", "activation", "click_days", "view_days", "hold_period_days", "publisher_share_basis_points", "publisher_ids", "updated_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT ("campaign_id") DO UPDATE SET "version" = EXCLUDED."version", "name" = EXCLUDED."name", "advertiser_id" = EXCLUDED."advertiser_id",
         "activation" = EXCLUDED."activation", "click_days" = EXCLUDED."click_days", "view_days" = EXCLUDED."view_days", "hold_period_days" = EXCLUDED."hold_period_days",
         "publisher_share_basis_points" = EXCLUDED."publisher_share_basis_points", "publisher_ids" = EXCLUDED."publisher_ids", "updated_at" = EXCLUDED."updated_at"
       WHERE ${S}."campaigns"."version" < EXCLUDED."version"`,
      [
        c.campaignId,
        c.version,
        c.name,
        c.advertiserId,
        c.activation,
        c.windows.clickDays,
        c.windows.viewDays,
        c.holdPeriodDays,
        c.platformFee.publisherShareBasisPoints,
        JSON.stringify(c.publishers.map((p) => p.publisherId)),
        c.updatedAt,
      ],
    );
  }

  async onImpression(event: ImpressionRecordedV1Envelope, m: EntityManager): Promise<void> {
    const d = event.data;
    await this.touch(m, { touchpointId: d.impressionId, kind: 'impression', publisherId: d.publisherId, at: d.at }, d.customerId, d.campaignId);
  }

  async onClick(event: ClickRecordedV1Envelope, m: EntityManager): Promise<void> {
    const d = event.data;
    await this.touch(m, { touchpointId: d.clickId, kind: d.kind, publisherId: d.publisherId, at: d.at }, d.customerId, d.campaignId);
  }

  private async touch(m: EntityManager, t: Touchpoint, customerId: string, campaignId: string): Promise<void> {
    await m.query(
      `INSERT INTO ${S}."touchpoints" ("touchpoint_id", "kind", "customer_id", "campaign_id", "publisher_id", "at") VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ("touchpoint_id") DO NOTHING`,
      [t.touchpointId, t.kind, customerId, campaignId, t.publisherId, t.at],
    );
  }

  /**
   * The touchpoints that can matter for a purchase: those inside the longest window before it,
   * plus the latest older activation (it turns not-activated into activation-outside-window).
   */
  private async touchpointsFor(m: EntityManager, customerId: string, campaignId: string, purchaseAt: string, windowDays: number): Promise<Touchpoint[]> {
    const rows: { touchpoint_id: string; kind: Touchpoint['kind']; publisher_id: string; at: Date }[] = await m.query(
      `(SELECT "touchpoint_id", "kind", "publisher_id", "at" FROM ${S}."touchpoints"
         WHERE "customer_id" = $1 AND "campaign_id" = $2 AND "at" <= $3 AND "at" >= $3::timestamptz - make_interval(days => $4))
       UNION ALL
       (SELECT "touchpoint_id", "kind", "publisher_id", "at" FROM ${S}."touchpoints"
         WHERE "customer_id" = $1 AND "campaign_id" = $2 AND "kind" = 'activation' AND "at" < $3::timestamptz - make_interval(days => $4)
         ORDER BY "at" DESC LIMIT 1)`,
      [customerId, campaignId, purchaseAt, windowDays],
    );
    return rows.map((r) => ({ touchpointId: r.touchpoint_id, kind: r.kind, publisherId: r.publisher_id, at: new Date(r.at).toISOString() }));
  }

  /**
   * Decides a match: declined (recorded with its reason) or a reward (earned + conversion),
   * folding in whatever settlement, refunds or reversal of the purchase arrived first.
   */
  async onMatched(event: OfferMatchMatchedV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    const d = event.data;
    const now = new Date().toISOString();
    await lockPurchase(m, d.purchaseId);
    // One round trip for what used to be three lookups: seen this match? rewarded already? facts held?
    const [pre]: { seen: boolean; existing: string | null; held: boolean }[] = await m.query(
      `SELECT EXISTS (SELECT 1 FROM ${S}."match_outcomes" WHERE "match_id" = $1) AS "seen",
              (SELECT "reward_id" FROM ${S}."rewards" WHERE "purchase_id" = $2 AND "campaign_id" = $3) AS "existing",
              EXISTS (SELECT 1 FROM ${S}."pending_adjustments" WHERE "purchase_id" = $2) AS "held"`,
      [d.matchId, d.purchaseId, d.campaignId],
    );
    if (pre.seen) return;

    const campaign = await m.getRepository(CampaignRow).findOne({ where: { campaignId: d.campaignId } });
    // The campaigns topic is read from the start, so the snapshot comes: retry until it has.
    if (!campaign || campaign.version < d.campaignVersion) throw new TransientError(`campaign ${d.campaignId} v${d.campaignVersion} not known yet`);

    const points = await this.touchpointsFor(m, d.customerId, d.campaignId, d.transaction.transactionAt, Math.max(campaign.clickDays, campaign.viewDays));
    const decision = decideAttribution(
      { activation: campaign.activation as 'required' | 'automatic', clickDays: campaign.clickDays, viewDays: campaign.viewDays, publisherIds: campaign.publisherIds },
      points,
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
    if (!decision.rewarded) {
      await m.getRepository(MatchOutcomeRow).insert({ ...outcome, outcome: 'declined', reasonCode: decision.reasonCode, rewardId: null });
      return;
    }
    if (d.rewardAmount.amountMinor <= 0) {
      await m.getRepository(MatchOutcomeRow).insert({ ...outcome, outcome: 'declined', reasonCode: 'zero-reward', rewardId: null });
      return;
    }
    if (pre.existing) {
      await m.getRepository(MatchOutcomeRow).insert({ ...outcome, outcome: 'declined', reasonCode: 'already-rewarded', rewardId: pre.existing });
      return;
    }

    const rewardId = rewardIdFor(d.purchaseId, d.campaignId);
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
    await m.getRepository(RewardRow).insert(row);
    await m.getRepository(MatchOutcomeRow).insert({ ...outcome, outcome: 'rewarded', reasonCode: 'rewarded', rewardId });
    await m.getRepository(RewardHistoryRow).insert({ rewardId, status: 'earned', reasonCode: 'rewarded', amountMinor: state.earnedMinor, remainingMinor: state.earnedMinor, transactionId: d.transaction.transactionId, at: new Date(now) });

    const fields = rewardFields(row);
    const earned = newEnvelope(RewardEarnedV1, {
      source: 'attribution',
      occurredAt: now,
      eventId: eventIdFor(`${rewardId}|earned`),
      data: {
        ...fields,
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
    await publish([
      { topic: 'rewards', key: d.customerId, event: earned },
      { topic: 'conversions', key: d.campaignId, event: conversion },
    ]);

    // Facts that came first (held), plus the settlement itself when the match was made on it.
    const held = pre.held ? await m.getRepository(PendingAdjustmentRow).find({ where: { purchaseId: d.purchaseId }, order: { id: 'ASC' } }) : [];
    const facts: PurchaseFact[] = held.map(factOf);
    if (d.transaction.kind === 'settlement') facts.push({ kind: 'settlement', transactionId: d.transaction.transactionId, at: d.transaction.transactionAt });
    // Nothing arrived before the match: the reward stays as earned, no second write.
    if (facts.length > 0) await persistStep(m, row, applyFacts(state, facts, now), publish, this.config.ATTRIBUTION_HOLD_UNIT_SECONDS);
    if (held.length > 0) await m.query(`UPDATE ${S}."pending_adjustments" SET "state" = 'applied', "reason_code" = NULL WHERE "purchase_id" = $1 AND "state" <> 'applied'`, [d.purchaseId]);
  }

  onSettled(event: CardTransactionSettledV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    return this.onFact(event.data, { kind: 'settlement', transactionId: event.data.transactionId, at: event.data.transactionAt }, m, publish);
  }

  onRefunded(event: CardTransactionRefundedV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    const d = event.data;
    return this.onFact(d, { kind: 'refund', transactionId: d.transactionId, amountMinor: d.amount.amountMinor, currency: d.amount.currency, at: d.transactionAt }, m, publish);
  }

  onReversed(event: CardTransactionReversedV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    return this.onFact(event.data, { kind: 'reversal', transactionId: event.data.transactionId, at: event.data.transactionAt }, m, publish);
  }

  /**
   * Records the fact for its purchase (once per transaction id) and applies it to every reward
   * of the purchase; with no reward yet it stays held for the match.
   */
  private async onFact(
    tx: { purchaseId: string; customerId: string; amount: { amountMinor: number; currency: string }; transactionAt: string },
    fact: PurchaseFact,
    m: EntityManager,
    publish: Publish,
  ): Promise<void> {
    const now = new Date().toISOString();
    await lockPurchase(m, tx.purchaseId);
    // Record the fact and read the purchase's rewards in one round trip (the lock above is
    // already held, so the rewards read here include any match that committed before it).
    const [r]: { inserted: number; reward_ids: string[] }[] = await m.query(
      `WITH ins AS (
         INSERT INTO ${S}."pending_adjustments" ("purchase_id", "kind", "transaction_id", "customer_id", "amount_minor", "currency", "transaction_at", "state", "reason_code", "received_at")
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'held', NULL, now()) ON CONFLICT ("purchase_id", "kind", "transaction_id") DO NOTHING RETURNING "id")
       SELECT (SELECT count(*)::int FROM ins) AS "inserted",
              ARRAY(SELECT "reward_id" FROM ${S}."rewards" WHERE "purchase_id" = $1 ORDER BY "reward_id") AS "reward_ids"`,
      [tx.purchaseId, fact.kind, fact.transactionId, tx.customerId, tx.amount.amountMinor, tx.amount.currency, tx.transactionAt],
    );
    if (r.inserted === 0) return; // the same bank transaction again: applied already
    if (r.reward_ids.length === 0) return;
    for (const reward_id of r.reward_ids) {
      const row = await loadRewardForUpdate(m, reward_id);
      if (!row) continue;
      await persistStep(m, row, applyFact(stateOf(row), fact, now), publish, this.config.ATTRIBUTION_HOLD_UNIT_SECONDS);
    }
    await m.query(`UPDATE ${S}."pending_adjustments" SET "state" = 'applied' WHERE "purchase_id" = $1 AND "kind" = $2 AND "transaction_id" = $3`, [tx.purchaseId, fact.kind, fact.transactionId]);
  }
}

/**
 * Serialises the handlers of one purchase: a match and a refund of the same purchase can be
 * in flight at once (different topics, different partitions). Without the lock the refund's
 * transaction would not see the reward the match is creating, and would stay held.
 */
async function lockPurchase(m: EntityManager, purchaseId: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`attribution:purchase:${purchaseId}`]);
}

export function factOf(row: PendingAdjustmentRow): PurchaseFact {
  const at = row.transactionAt.toISOString();
  if (row.kind === 'refund') return { kind: 'refund', transactionId: row.transactionId, amountMinor: row.amountMinor, currency: row.currency, at };
  return { kind: row.kind as 'settlement' | 'reversal', transactionId: row.transactionId, at };
}
