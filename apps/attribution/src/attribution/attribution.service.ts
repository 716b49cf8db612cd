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
import { decideAttribution } from './attribution-rules';
import { ATTRIBUTION_CONFIG, type AttributionConfig } from './attribution.tokens';
import { CampaignRow, MatchOutcomeRow, PendingAdjustmentRow, RewardHistoryRow, RewardRow } from './entities';
import * as repo from './attribution.repository';
import { conversionIdFor, eventIdFor, rewardIdFor } from './ids';
import { applyFact, applyFacts, earn, type PurchaseFact, type RewardState } from './reward-lifecycle';
import { loadRewardsForUpdate, persistSteps, rewardFields, stateOf, type Publish } from './reward-store';


/** Use cases behind the consumer: read models, attribution of matches, and purchase facts. */
@Injectable()
export class AttributionService {
  constructor(@Inject(ATTRIBUTION_CONFIG) private readonly config: AttributionConfig) {}

  /** Keeps the latest snapshot of each campaign (a lower or equal version is ignored); one statement for a chunk. */
  async onCampaigns(events: CampaignSnapshotV1Envelope[], m: EntityManager): Promise<void> {
    const newest = new Map<string, CampaignSnapshotV1Envelope['data']>();
    for (const { data } of events) if ((newest.get(data.campaignId)?.version ?? -1) < data.version) newest.set(data.campaignId, data);
    await repo.upsertCampaigns(m, [...newest.values()]);
  }

  async onImpression(event: ImpressionRecordedV1Envelope, m: EntityManager): Promise<void> {
    const d = event.data;
    await repo.insertTouchpoint(m, { touchpointId: d.impressionId, kind: 'impression', publisherId: d.publisherId, at: d.at }, d.reportedBy, d.customerId, d.campaignId);
  }

  async onClick(event: ClickRecordedV1Envelope, m: EntityManager): Promise<void> {
    const d = event.data;
    await repo.insertTouchpoint(m, { touchpointId: d.clickId, kind: d.kind, publisherId: d.publisherId, at: d.at }, d.reportedBy, d.customerId, d.campaignId);
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
    await repo.lockPurchases(m, events.map((e) => e.data.purchaseId));
    // The lock is held: what is read here includes any fact or match that committed before it.
    const pre = await repo.decidedBefore(m, events.map((e) => e.data.matchId), [...new Set(events.map((e) => e.data.purchaseId))]);
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
    const points = await repo.touchpointsFor(
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
    if (heldRows.length > 0) await repo.markHeldApplied(m, heldPurchases);
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
    await repo.lockPurchases(m, facts.map((f) => f.tx.purchaseId));
    // Record the facts and read their purchases' rewards in one round trip (the locks above are
    // held, so the rewards read here include any match that committed before them).
    const inserted = await repo.holdFacts(m, facts);
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
    await repo.markFactsApplied(m, applied);
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
