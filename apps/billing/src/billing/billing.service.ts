import { Injectable } from '@nestjs/common';
import type {
  CampaignSnapshotV1Envelope,
  ClickRecordedV1Envelope,
  ConversionConfirmedV1Envelope,
  ConversionRecordedV1Envelope,
  ConversionReversedV1Envelope,
  ImpressionRecordedV1Envelope,
  LeadRecordedV1Envelope,
  PlatformFeeV1,
  RewardConfirmedV1Envelope,
  RewardEarnedV1Envelope,
  RewardReinstatedV1Envelope,
  RewardReversedV1Envelope,
  TopicEvents,
} from '@prestanda/contracts';
import { createLogger } from '@prestanda/observability';
import { OutboxItem, PermanentError } from '@prestanda/persistence';
import { EntityManager } from 'typeorm';
import type { BillingCampaign } from './billing.entities';
import * as repo from './billing.repository';
import { capReversal, commissionToConfirm, reversalProblem } from './affiliate';
import { publisherApproved } from './approval';
import { credit, lockBudgets, setBudgets, spend, type BudgetDecision } from './budget';
import { lockLimitsOfAll, setLimits, type LockedLimits, type SpendTarget } from './spend-limits';
import { accounts, lockPayableShared, post, postAll, postingExists, type AccountRef, type Posting } from './ledger';
import { accrueImpression, bankOf, splitPrice } from './pricing';

type Publish = (items: OutboxItem[]) => Promise<void>;


/**
 * Pricing and posting. Sources (so nothing is charged twice):
 * - CPA card-linked: `rewards` (reward.earned charges, reward.reversed credits, reward.confirmed makes cashback payable);
 * - CPA affiliate sales (conversion.recorded CPA without rewardId): `conversions` — the commission is
 *   pending until conversion.confirmed makes it payable; conversion.reversed credits back;
 * - CPC / CPL / CPM: the raw `clicks` / `leads` / `impressions` topics, priced here (30-minute rule,
 *   lead de-duplication, micro-unit accrual); conversion.recorded of those models is ignored.
 */
@Injectable()
export class BillingService {
  private readonly log = createLogger('billing');

  /** See `onCampaigns`. */
  onCampaign(event: CampaignSnapshotV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    return this.onCampaigns([event], m, publish);
  }

  /** Snapshots of one chunk: keep the newest version of each campaign, and set the budgets of those that changed. */
  async onCampaigns(events: CampaignSnapshotV1Envelope[], m: EntityManager, publish: Publish): Promise<void> {
    const newest = new Map<string, CampaignSnapshotV1Envelope['data']>();
    for (const { data } of events) if ((newest.get(data.campaignId)?.version ?? -1) < data.version) newest.set(data.campaignId, data);
    const list = [...newest.values()];
    const updated = await repo.upsertCampaigns(m, list);
    if (updated.length === 0) return; // stale snapshots
    const changed = updated.map((id) => newest.get(id)!).sort((a, b) => (a.campaignId < b.campaignId ? -1 : 1));
    const budgetEvents = await setBudgets(
      m,
      changed.map((d) => ({
        campaignId: d.campaignId,
        advertiserId: d.advertiserId,
        currency: d.currency,
        totalMinor: d.budget.total.amountMinor,
        dailyMinor: d.budget.daily?.amountMinor ?? null,
        pacing: d.budget.pacing,
      })),
    );
    await publish([...budgetEvents, ...(await setLimits(m, changed))]);
  }

  private campaign(m: EntityManager, campaignId: string): Promise<BillingCampaign | null> {
    return repo.campaign(m, campaignId);
  }

  /**
   * The rewards topic, a chunk at a time, in order: runs of reward.earned are charged together
   * (see `onRewardsEarned`); reversals and confirmations one by one between them.
   */
  async onRewards(events: TopicEvents['rewards'][], m: EntityManager, publish: Publish): Promise<void> {
    let earned: RewardEarnedV1Envelope[] = [];
    const flush = async () => {
      if (earned.length > 0) await this.onRewardsEarned(earned, m, publish);
      earned = [];
    };
    for (const event of events) {
      if (event.type === 'reward.earned') {
        earned.push(event);
        continue;
      }
      await flush();
      if (event.type === 'reward.reversed') await this.onRewardReversed(event, m, publish);
      else if (event.type === 'reward.reinstated') await this.onRewardReinstated(event, m, publish);
      else if (event.type === 'reward.confirmed') await this.onRewardConfirmed(event, m);
      // reward.paid: billing's own payout batches already moved the money.
    }
    await flush();
  }

  /** CPA: reward + platform fee charged when the reward is EARNED (design.md). */
  onRewardEarned(event: RewardEarnedV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    return this.onRewardsEarned([event], m, publish);
  }

  /**
   * Charges earned rewards in order. Each one's budget decision is its own (the campaign's budget
   * row is locked and updated per reward, so the order decides who crosses the line); what is
   * known before — postings already made, the campaigns — is read once, and the postings, the
   * reward rows and the budget events are written once for the chunk.
   */
  async onRewardsEarned(events: RewardEarnedV1Envelope[], m: EntityManager, publish: Publish): Promise<void> {
    for (const { data: d } of events) {
      const currency = d.amount.currency;
      if (d.platformFee.currency !== currency || d.publisherShare.currency !== currency) throw new PermanentError('reward amounts must share one currency', 'data.platformFee.currency');
      if (d.publisherShare.amountMinor > d.platformFee.amountMinor) throw new PermanentError('publisher share exceeds the platform fee', 'data.publisherShare');
    }
    const rewardIds = [...new Set(events.map((e) => e.data.rewardId))];
    const done = await repo.chargedRewards(m, rewardIds); // the same reward twice is one charge
    const campaigns = await repo.campaigns(m, [...new Set(events.map((e) => e.data.campaignId))]);
    // Every limit and budget row the chunk may book on, locked at once in one order (limits by
    // id, then budgets by campaign id): two chunks cannot deadlock, whatever their rewards' order.
    const targets = events.map(({ data: d }) => ({ campaignId: d.campaignId, advertiserId: d.advertiserId, bankId: bankOf(d.purchaseId) }));
    const limits = await lockLimitsOfAll(m, targets);
    await lockBudgets(m, targets.map((t) => t.campaignId));
    const postings: Posting[] = [];
    const rows: repo.NewBilledReward[] = [];
    const budgetEvents: OutboxItem[] = [];
    for (const { data: d } of events) {
      if (done.has(d.rewardId)) continue;
      done.add(d.rewardId);
      const currency = d.amount.currency;
      const c = campaigns.get(d.campaignId);
      if (c && c.currency !== currency) throw new PermanentError(`reward currency ${currency} is not the campaign's ${c.currency}`, 'data.amount.currency');
      const reward = d.amount.amountMinor;
      const fee = d.platformFee.amountMinor;
      const share = d.publisherShare.amountMinor;
      const at = new Date(d.earnedAt);
      const bank = bankOf(d.purchaseId);
      const decision = await this.spendOrUnknown(m, { campaignId: d.campaignId, advertiserId: d.advertiserId, bankId: bank }, reward + fee, at, c?.timeZone, limits);
      const pending = accounts.cashbackPending(bank, d.customerId, currency);
      const legs = decision.charged
        ? [
            { account: accounts.receivable(d.advertiserId, currency), amountMinor: reward + fee },
            { account: pending, amountMinor: -reward },
            { account: accounts.publisherPayable(d.publisherId, currency), amountMinor: -share },
            { account: accounts.revenue(currency), amountMinor: -(fee - share) },
          ]
        : // Over budget: the customer keeps the cashback promised at match time; the platform absorbs it.
          [
            { account: accounts.overspend(currency), amountMinor: reward },
            { account: pending, amountMinor: -reward },
          ];
      postings.push({
        sourceId: d.rewardId,
        kind: 'reward-earned',
        currency,
        advertiserId: d.advertiserId,
        campaignId: d.campaignId,
        pricingModel: 'CPA',
        rewardId: d.rewardId,
        units: decision.charged ? 1 : 0,
        costMinor: decision.charged ? reward : 0,
        feeMinor: decision.charged ? fee : 0,
        occurredAt: at,
        legs,
      });
      rows.push({ rewardId: d.rewardId, purchaseId: d.purchaseId, campaignId: d.campaignId, advertiserId: d.advertiserId, publisherId: d.publisherId, bank, customerId: d.customerId, currency, charged: decision.charged, reward, fee, share });
      budgetEvents.push(...decision.events);
    }
    if (postings.length === 0) return;
    await postAll(m, postings);
    await repo.insertRewards(m, rows);
    await publish(budgetEvents);
  }

  /**
   * A campaign billing has not seen yet (its snapshot is behind the reward on another topic, e.g.
   * at first start): the charge is booked without a budget check rather than blocking the
   * consumer (a retry loop here would also hold back the campaigns batch behind it). When the
   * snapshot arrives, its budget starts from the spend already in the ledger.
   */
  private async spendOrUnknown(m: EntityManager, target: SpendTarget, amountMinor: number, at: Date, timeZone: string | undefined, locked?: LockedLimits): Promise<BudgetDecision> {
    const decision = timeZone === undefined ? undefined : await spend(m, target, amountMinor, at, timeZone, locked);
    if (decision) return decision;
    this.log.warn({ campaignId: target.campaignId }, 'campaign not known yet: charged without a budget check');
    return { charged: true, events: [] };
  }

  private async lockReward(m: EntityManager, rewardId: string): Promise<repo.RewardRow> {
    const r = await repo.lockReward(m, rewardId);
    if (!r) throw new Error(`reward ${rewardId} not billed yet`);
    return r;
  }

  /** Credits back in proportion (the amounts attribution computed), capped at what remains. */
  async onRewardReversed(event: RewardReversedV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    const d = event.data;
    const sourceId = `${d.rewardId}:${d.transactionId ?? event.eventId}`;
    if (await postingExists(m, sourceId, 'reward-reversed')) return;
    await lockPayableShared(m);
    const r = await this.lockReward(m, d.rewardId);
    const currency = r.currency;
    const rev = Math.min(d.reversedAmount.amountMinor, Number(r.remaining_minor));
    const feeRev = Math.min(d.platformFeeReversed.amountMinor, Number(r.fee_remaining_minor));
    const shareRev = Math.min(d.publisherShareReversed.amountMinor, Number(r.share_remaining_minor), feeRev);
    if (rev === 0 && feeRev === 0) return;
    const cashback = r.status === 'earned' ? accounts.cashbackPending(r.bank_id, r.customer_id, currency) : accounts.cashbackPayable(r.bank_id, r.customer_id, currency);
    const at = new Date(d.reversedAt);
    const legs = r.charged
      ? [
          { account: accounts.receivable(r.advertiser_id, currency), amountMinor: -(rev + feeRev) },
          { account: cashback, amountMinor: rev },
          { account: accounts.publisherPayable(r.publisher_id, currency), amountMinor: shareRev },
          { account: accounts.revenue(currency), amountMinor: feeRev - shareRev },
        ]
      : [
          { account: accounts.overspend(currency), amountMinor: -rev },
          { account: cashback, amountMinor: rev },
        ];
    await post(m, {
      sourceId,
      kind: 'reward-reversed',
      currency,
      advertiserId: r.advertiser_id,
      campaignId: r.campaign_id,
      pricingModel: 'CPA',
      rewardId: r.reward_id,
      costMinor: r.charged ? -rev : 0,
      feeMinor: r.charged ? -feeRev : 0,
      occurredAt: at,
      legs,
    });
    await repo.reduceReward(m, r.reward_id, { reward: rev, fee: feeRev, share: shareRev });
    if (r.charged) {
      const c = await this.campaign(m, r.campaign_id);
      // The daily counter credited is the day of the original charge.
      const chargedAt = await repo.rewardChargedAt(m, r.reward_id);
      await publish(await credit(m, { campaignId: r.campaign_id, advertiserId: r.advertiser_id, bankId: r.bank_id }, rev + feeRev, chargedAt ?? at, c?.timeZone ?? 'UTC'));
    }
  }

  /**
   * reward.reinstated (the purchase settled after its authorization expired): the same reward is
   * charged again — budget and limits checked as for a new one, over budget the platform absorbs
   * it — once per reward.
   */
  async onRewardReinstated(event: RewardReinstatedV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    const d = event.data;
    if (await postingExists(m, d.rewardId, 'reward-reinstated')) return;
    const r = await this.lockReward(m, d.rewardId);
    const currency = r.currency;
    if (d.amount.currency !== currency) throw new PermanentError(`reward currency ${d.amount.currency} is not the billed reward's ${currency}`, 'data.amount.currency');
    const reward = d.amount.amountMinor;
    const fee = d.platformFee.amountMinor;
    const share = Math.min(d.publisherShare.amountMinor, fee);
    const at = new Date(d.reinstatedAt);
    const c = await this.campaign(m, r.campaign_id);
    const decision = await this.spendOrUnknown(m, { campaignId: r.campaign_id, advertiserId: r.advertiser_id, bankId: r.bank_id }, reward + fee, at, c?.timeZone);
    const pending = accounts.cashbackPending(r.bank_id, r.customer_id, currency);
    await post(m, {
      sourceId: d.rewardId,
      kind: 'reward-reinstated',
      currency,
      advertiserId: r.advertiser_id,
      campaignId: r.campaign_id,
      pricingModel: 'CPA',
      rewardId: r.reward_id,
      units: decision.charged ? 1 : 0,
      costMinor: decision.charged ? reward : 0,
      feeMinor: decision.charged ? fee : 0,
      occurredAt: at,
      legs: decision.charged
        ? [
            { account: accounts.receivable(r.advertiser_id, currency), amountMinor: reward + fee },
            { account: pending, amountMinor: -reward },
            { account: accounts.publisherPayable(r.publisher_id, currency), amountMinor: -share },
            { account: accounts.revenue(currency), amountMinor: -(fee - share) },
          ]
        : [
            { account: accounts.overspend(currency), amountMinor: reward },
            { account: pending, amountMinor: -reward },
          ],
    });
    await repo.reinstateReward(m, r.reward_id, { reward, fee, share, charged: decision.charged });
    await publish(decision.events);
  }

  /** Confirmed cashback moves from pending to payable (the next payout batch pays it). */
  async onRewardConfirmed(event: RewardConfirmedV1Envelope, m: EntityManager): Promise<void> {
    const d = event.data;
    if (await postingExists(m, d.rewardId, 'reward-confirmed')) return;
    await lockPayableShared(m);
    const r = await this.lockReward(m, d.rewardId);
    if (r.status !== 'earned') return;
    const amount = Math.min(d.amount.amountMinor, Number(r.remaining_minor));
    await post(m, {
      sourceId: d.rewardId,
      kind: 'reward-confirmed',
      currency: r.currency,
      advertiserId: r.advertiser_id,
      campaignId: r.campaign_id,
      rewardId: r.reward_id,
      occurredAt: new Date(d.confirmedAt),
      legs: [
        { account: accounts.cashbackPending(r.bank_id, r.customer_id, r.currency), amountMinor: amount },
        { account: accounts.cashbackPayable(r.bank_id, r.customer_id, r.currency), amountMinor: -amount },
      ],
    });
    await repo.confirmReward(m, r.reward_id);
  }

  /** A priced action (CPC, CPL, CPM, affiliate CPA): budget, then advertiser → publisher + platform. */
  private async chargeAction(
    m: EntityManager,
    publish: Publish,
    c: { campaignId: string; advertiserId: string; currency: string; timeZone?: string },
    a: { sourceId: string; kind: string; pricingModel: string; publisherId: string; chargeMinor: number; commissionMinor: number; units: number; at: Date },
    /** Where the commission is credited (default publisher payable) and the affiliate conversion it belongs to. */
    opts: { commissionAccount?: AccountRef; conversionId?: string } = {},
  ): Promise<boolean> {
    if (a.chargeMinor <= 0) return false;
    const decision = await this.spendOrUnknown(m, { campaignId: c.campaignId, advertiserId: c.advertiserId }, a.chargeMinor, a.at, c.timeZone);
    if (!decision.charged) {
      this.log.warn({ campaignId: c.campaignId, sourceId: a.sourceId }, 'budget spent: action not billed');
      await repo.recordUnbilled(m, c, a, decision.heldBy ? 'advertiser-budget-spent' : 'budget-spent');
      return false;
    }
    const fee = a.chargeMinor - a.commissionMinor;
    await post(m, {
      sourceId: a.sourceId,
      kind: a.kind,
      currency: c.currency,
      advertiserId: c.advertiserId,
      campaignId: c.campaignId,
      pricingModel: a.pricingModel,
      conversionId: opts.conversionId,
      units: a.units,
      costMinor: a.commissionMinor,
      feeMinor: fee,
      occurredAt: a.at,
      legs: [
        { account: accounts.receivable(c.advertiserId, c.currency), amountMinor: a.chargeMinor },
        { account: opts.commissionAccount ?? accounts.publisherPayable(a.publisherId, c.currency), amountMinor: -a.commissionMinor },
        { account: accounts.revenue(c.currency), amountMinor: -fee },
      ],
    });
    await publish(decision.events);
    return true;
  }

  /** A publisher the campaign does not list earns nothing from it: recorded, not charged. */
  private async refuseUnapproved(m: EntityManager, c: BillingCampaign, a: { sourceId: string; kind: string; publisherId: string; at: Date }): Promise<boolean> {
    if (publisherApproved(c.publishers as { publisherId: string }[], a.publisherId)) return false;
    await repo.recordUnbilled(m, c, a, 'publisher-not-approved');
    return true;
  }

  private async pricedCampaign(m: EntityManager, campaignId: string, model: string): Promise<BillingCampaign | null> {
    const c = await this.campaign(m, campaignId);
    if (!c) {
      this.log.warn({ campaignId }, 'touchpoint for an unknown campaign: not billed');
      return null;
    }
    return c.pricingModel === model && c.priceMinor !== null ? c : null;
  }

  /** CPC: valid clicks only — the same customer on the same campaign counts once per 30 minutes. */
  async onClick(event: ClickRecordedV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    const d = event.data;
    if (d.kind !== 'click') return; // activations are not priced clicks
    const c = await this.pricedCampaign(m, d.campaignId, 'CPC');
    if (!c) return;
    const action = { sourceId: d.clickId, kind: 'cpc', publisherId: d.publisherId, at: new Date(d.at) };
    if (await this.refuseUnapproved(m, c, action)) return;
    const billable = await repo.takeCpcClick(m, d.campaignId, d.customerId, d.at);
    if (!billable) return void (await repo.recordUnbilled(m, c, action, 'repeat-click'));
    const price = c.priceMinor!;
    const { commissionMinor } = splitPrice(price, c.currency, c.platformFee as PlatformFeeV1);
    await this.chargeAction(m, publish, c, { sourceId: d.clickId, kind: 'cpc', pricingModel: 'CPC', publisherId: d.publisherId, chargeMinor: price, commissionMinor, units: 1, at: new Date(d.at) });
  }

  /** CPL: per accepted lead, de-duplicated on the lead id (the posting's source id). */
  async onLead(event: LeadRecordedV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    const d = event.data;
    const c = await this.pricedCampaign(m, d.campaignId, 'CPL');
    if (!c) return;
    if (await postingExists(m, d.leadId, 'cpl')) return;
    if (await this.refuseUnapproved(m, c, { sourceId: d.leadId, kind: 'cpl', publisherId: d.publisherId, at: new Date(d.at) })) return;
    const price = c.priceMinor!;
    const { commissionMinor } = splitPrice(price, c.currency, c.platformFee as PlatformFeeV1);
    await this.chargeAction(m, publish, c, { sourceId: d.leadId, kind: 'cpl', pricingModel: 'CPL', publisherId: d.publisherId, chargeMinor: price, commissionMinor, units: 1, at: new Date(d.at) });
  }

  /** CPM: each impression accrues price/1000 in micro-units; whole minor units are billed, the remainder carries. */
  async onImpression(event: ImpressionRecordedV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    const d = event.data;
    const c = await this.pricedCampaign(m, d.campaignId, 'CPM');
    if (!c) return;
    if (await this.refuseUnapproved(m, c, { sourceId: d.impressionId, kind: 'cpm', publisherId: d.publisherId, at: new Date(d.at) })) return;
    const acc = await repo.lockCpmAccrual(m, d.campaignId, d.publisherId);
    const { billedMinor, remainderMicros } = accrueImpression(acc.remainderMicros, c.priceMinor!, c.currency);
    const impressions = acc.pendingImpressions + 1;
    if (billedMinor > 0) {
      const { commissionMinor } = splitPrice(billedMinor, c.currency, c.platformFee as PlatformFeeV1);
      await this.chargeAction(m, publish, c, {
        sourceId: d.impressionId,
        kind: 'cpm',
        pricingModel: 'CPM',
        publisherId: d.publisherId,
        chargeMinor: billedMinor,
        commissionMinor,
        units: impressions,
        at: new Date(d.at),
      });
    }
    await repo.saveCpmAccrual(m, d.campaignId, d.publisherId, remainderMicros, billedMinor > 0 ? 0 : impressions);
  }

  /** The conversions topic: affiliate sales are charged, reversed and confirmed; other conversions are priced from their own sources. */
  onConversionEvent(event: TopicEvents['conversions'], m: EntityManager, publish: Publish): Promise<void> {
    if (event.type === 'conversion.recorded') return this.onConversion(event, m, publish);
    if (event.type === 'conversion.reversed') return this.onConversionReversed(event, m, publish);
    return this.onConversionConfirmed(event, m);
  }

  /**
   * Only affiliate CPA sales come from `conversions`; everything else is priced from its own source.
   * The commission is credited to the publisher's PENDING commission: the sale can still be
   * returned inside its lock period; conversion.confirmed makes it payable.
   */
  async onConversion(event: ConversionRecordedV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    const d = event.data;
    if (d.pricingModel !== 'CPA' || d.rewardId) return;
    if (d.publisherCommission.amountMinor > d.advertiserCharge.amountMinor) throw new PermanentError('commission exceeds the advertiser charge', 'data.publisherCommission');
    if (d.publisherCommission.currency !== d.advertiserCharge.currency) throw new PermanentError('conversion amounts must share one currency', 'data.publisherCommission.currency');
    if (await postingExists(m, d.conversionId, 'conversion-cpa')) return;
    const known = await this.campaign(m, d.campaignId);
    if (known && d.advertiserCharge.currency !== known.currency) throw new PermanentError('conversion currency differs from the campaign', 'data.advertiserCharge.currency');
    const c = known ?? { campaignId: d.campaignId, advertiserId: d.advertiserId, currency: d.advertiserCharge.currency };
    await this.chargeAction(
      m,
      publish,
      c,
      {
        sourceId: d.conversionId,
        kind: 'conversion-cpa',
        pricingModel: 'CPA',
        publisherId: d.publisherId,
        chargeMinor: d.advertiserCharge.amountMinor,
        commissionMinor: d.publisherCommission.amountMinor,
        units: d.units,
        at: new Date(d.convertedAt),
      },
      { commissionAccount: accounts.commissionPending(d.publisherId, c.currency), conversionId: d.conversionId },
    );
  }

  /**
   * The sale a reversal or confirmation is about, locked. Not charged because it was refused (over
   * budget): undefined, nothing to undo. Not seen at all: conversion.recorded precedes both on the
   * same partition (key campaignId), so this is a producer bug or a lost event — dead-lettered
   * with the conversion named (replay it from the DLQ once the sale is booked), never guessed.
   */
  private async chargedSale(m: EntityManager, conversionId: string): Promise<repo.ChargedSale | undefined> {
    const sale = await repo.lockChargedSale(m, conversionId);
    if (sale) return sale;
    if (await repo.wasUnbilled(m, conversionId, 'conversion-cpa')) return undefined;
    throw new PermanentError(`conversion ${conversionId} has no conversion-cpa posting (its conversion.recorded was not billed)`, 'data.conversionId');
  }

  /**
   * A return or cancellation: the advertiser is credited, the publisher's commission (pending, or
   * payable once confirmed) and the platform's fee are taken back — each capped at what remains
   * of the sale in the ledger — and the credit goes back to the campaign's budget. Idempotent on
   * the reversal id.
   */
  async onConversionReversed(event: ConversionReversedV1Envelope, m: EntityManager, publish: Publish): Promise<void> {
    const d = event.data;
    const request = { publisherCommissionReversed: d.publisherCommissionReversed.amountMinor, platformFeeReversed: d.platformFeeReversed.amountMinor, advertiserCredit: d.advertiserCredit.amountMinor };
    const problem = reversalProblem(request);
    if (problem) throw new PermanentError(problem.message, problem.field);
    if (new Set([d.publisherCommissionReversed.currency, d.platformFeeReversed.currency, d.advertiserCredit.currency]).size !== 1) throw new PermanentError('reversal amounts must share one currency', 'data.advertiserCredit.currency');
    if (await postingExists(m, d.reversalId, 'conversion-reversed')) return;
    await lockPayableShared(m);
    const sale = await this.chargedSale(m, d.conversionId);
    if (!sale) return void this.log.info({ conversionId: d.conversionId, reversalId: d.reversalId }, 'reversal of a sale that was not charged: nothing to credit');
    const currency = sale.currency;
    if (d.advertiserCredit.currency !== currency) throw new PermanentError(`reversal currency ${d.advertiserCredit.currency} is not the sale's ${currency}`, 'data.advertiserCredit.currency');
    const remaining = await repo.saleRemaining(m, d.conversionId);
    const rev = capReversal(request, remaining);
    if (rev.creditMinor < request.advertiserCredit) this.log.warn({ conversionId: d.conversionId, reversalId: d.reversalId, asked: request, reversed: rev }, 'reversal capped at what remains of the sale');
    const publisherId = remaining.publisherId ?? d.publisherId;
    await post(m, {
      sourceId: d.reversalId,
      kind: 'conversion-reversed',
      currency,
      advertiserId: sale.advertiser_id,
      campaignId: sale.campaign_id,
      pricingModel: 'CPA',
      conversionId: d.conversionId,
      costMinor: -(rev.fromPendingMinor + rev.fromPayableMinor),
      feeMinor: -rev.feeMinor,
      occurredAt: new Date(d.reversedAt),
      legs: [
        { account: accounts.receivable(sale.advertiser_id, currency), amountMinor: -rev.creditMinor },
        { account: accounts.commissionPending(publisherId, currency), amountMinor: rev.fromPendingMinor },
        { account: accounts.publisherPayable(publisherId, currency), amountMinor: rev.fromPayableMinor },
        { account: accounts.revenue(currency), amountMinor: rev.feeMinor },
      ],
    });
    if (rev.creditMinor === 0) return;
    const c = await this.campaign(m, sale.campaign_id);
    // The daily counter credited is the day of the original charge.
    await publish(await credit(m, { campaignId: sale.campaign_id, advertiserId: sale.advertiser_id }, rev.creditMinor, sale.occurred_at, c?.timeZone ?? 'UTC'));
  }

  /**
   * The lock period passed: what is left of the pending commission (from the ledger; the event's
   * figure is only compared) moves to publisher payable, so the next affiliate payout pays it.
   * Nothing left (a full return): the confirmation is still recorded, without entries.
   */
  async onConversionConfirmed(event: ConversionConfirmedV1Envelope, m: EntityManager): Promise<void> {
    const d = event.data;
    if (await postingExists(m, d.conversionId, 'conversion-confirmed')) return;
    await lockPayableShared(m);
    const sale = await this.chargedSale(m, d.conversionId);
    if (!sale) return void this.log.info({ conversionId: d.conversionId }, 'confirmation of a sale that was not charged: nothing to pay');
    if (d.publisherCommission.currency !== sale.currency) throw new PermanentError(`confirmation currency ${d.publisherCommission.currency} is not the sale's ${sale.currency}`, 'data.publisherCommission.currency');
    const remaining = await repo.saleRemaining(m, d.conversionId);
    const { amountMinor, agrees } = commissionToConfirm(remaining.pendingMinor, d.publisherCommission.amountMinor);
    if (!agrees) this.log.warn({ conversionId: d.conversionId, event: d.publisherCommission.amountMinor, ledger: amountMinor }, "confirmed commission differs from the ledger's pending commission: the ledger's is made payable");
    const publisherId = remaining.publisherId ?? d.publisherId;
    await post(m, {
      sourceId: d.conversionId,
      kind: 'conversion-confirmed',
      currency: sale.currency,
      advertiserId: sale.advertiser_id,
      campaignId: sale.campaign_id,
      conversionId: d.conversionId,
      occurredAt: new Date(d.confirmedAt),
      legs: [
        { account: accounts.commissionPending(publisherId, sale.currency), amountMinor },
        { account: accounts.publisherPayable(publisherId, sale.currency), amountMinor: -amountMinor },
      ],
    });
  }
}
