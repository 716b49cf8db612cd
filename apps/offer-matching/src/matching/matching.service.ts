import { Injectable } from '@nestjs/common';
import {
  limitDeclineReason,
  newEnvelope,
  OfferMatchDeclinedV1,
  spendLimitsOf,
  OfferMatchMatchedV1,
  type AttributionDeclinedV1Envelope,
  type CampaignSnapshotV1Data,
  type CampaignSnapshotV1Envelope,
  type ClickRecordedV1Envelope,
  type MatchDeclineReason,
  type OfferMatchFields,
  type TopicEvents,
} from '@prestanda/contracts';
import type { OutboxItem } from '@prestanda/persistence';
import { EntityManager } from 'typeorm';
import * as repo from './matching.repository';
import { KIND_OF, type CardTransactionEvent, type Decided } from './matching.repository';
import {
  assertCampaignConsistent,
  deterministicUuid,
  evaluate,
  historyBefore,
  knownExhausted,
  localTime,
  matchIdFor,
  pacedOut,
  reserveInMemory,
  reserveOnLimits,
  spentLimit,
  type RuleOutcome,
} from './rules';

export const SERVICE = 'offer-matching';

type Publish = (items: OutboxItem[]) => Promise<void>;


@Injectable()
export class MatchingService {
  /** campaign.snapshot: see `onCampaigns`. */
  onCampaign(event: CampaignSnapshotV1Envelope, m: EntityManager): Promise<void> {
    return this.onCampaigns([event], m);
  }

  /**
   * Snapshots of one chunk: keep the newest version of each campaign; rebuild the merchant index
   * and budget row of those that changed. Four statements for the chunk, whatever its size.
   */
  async onCampaigns(events: CampaignSnapshotV1Envelope[], m: EntityManager): Promise<void> {
    // The newest version of each campaign in the chunk (a compacted topic replays many).
    const newest = new Map<string, CampaignSnapshotV1Data>();
    for (const e of events) {
      assertCampaignConsistent(e.data);
      const held = newest.get(e.data.campaignId);
      if (!held || held.version < e.data.version) newest.set(e.data.campaignId, e.data);
    }
    const updated = await repo.upsertCampaigns(m, [...newest.values()]);
    if (updated.length === 0) return; // older or repeated versions only
    const changed = updated.map((id) => newest.get(id)!);
    await repo.rebuildMerchantIndex(m, changed);
    await repo.upsertBudgets(m, changed);
    await repo.upsertLimits(m, changed);
  }

  /** budget.exhausted stops matching the campaign; budget.replenished resumes it (taking the new total for total scope). */
  async onBudget(event: TopicEvents['budget-events'], m: EntityManager): Promise<void> {
    if (event.type === 'budget.exhausted') return repo.markExhausted(m, event.data);
    if (event.type === 'budget.replenished') return repo.markReplenished(m, event.data);
    // Advertiser budgets and per-bank caps: the same, per limit.
    if (event.type === 'spend-limit.exhausted') return repo.markLimitExhausted(m, event.data.limitId);
    if (event.type === 'spend-limit.replenished') return repo.markLimitReplenished(m, event.data.limitId, event.data.spent.amountMinor, event.data.reason === 'reversal-credited');
    // *.threshold-reached: informational for offer-matching.
  }


  /**
   * attribution.declined: the match will never be charged, so its reservation (reward + fee, as
   * this service recorded it) goes back to the campaign's budget — the total, and the day it was
   * reserved on. Once per match (`released_at`), whatever the redelivery.
   */
  async onAttributionDeclines(events: AttributionDeclinedV1Envelope[], m: EntityManager): Promise<void> {
    if (events.length === 0) return;
    await repo.releaseReservations(m, events.map((e) => ({ purchaseId: e.data.purchaseId, campaignId: e.data.campaignId })));
  }

  /** click.recorded of kind activation: the customer's (reporting bank's customer's) latest activation of the campaign (offers feed). */
  async onClick(event: ClickRecordedV1Envelope, m: EntityManager): Promise<void> {
    const d = event.data;
    if (d.kind !== 'activation') return;
    await repo.recordActivation(m, d);
  }

  /** One card transaction; see `onTransactions`. */
  onTransaction(event: CardTransactionEvent, m: EntityManager, publish: Publish, now: Date = new Date()): Promise<void> {
    return this.onTransactions([event], m, publish, now);
  }

  /**
   * Card transactions of one chunk, in order: all recorded in one INSERT; the first
   * authorization/settlement of each purchase is evaluated by `matchAll`, whose one candidates
   * query finds nothing for the bulk of a bank's feed that no campaign covers.
   */
  async onTransactions(events: CardTransactionEvent[], m: EntityManager, publish: Publish, now: Date = new Date()): Promise<void> {
    // Within the chunk, only the first authorization/settlement of a purchase may be evaluated;
    // the INSERT's NOT EXISTS sees the purchases of earlier chunks.
    const firstOfPurchase = new Set<string>();
    const evaluable = events.map((e) => {
      const kind = KIND_OF[e.type];
      if ((kind !== 'authorization' && kind !== 'settlement') || firstOfPurchase.has(e.data.purchaseId)) return false;
      firstOfPurchase.add(e.data.purchaseId);
      return true;
    });
    const recorded = await repo.recordPurchases(m, events, evaluable);
    // Nothing more for: the same transaction again, a refund/reversal (attribution handles them;
    // history is left as it is), or the later record of a purchase already evaluated.
    const position = new Map<string, number>();
    events.forEach((e, i) => {
      const k = `${e.data.bankSource}\u0000${e.data.transactionId}`;
      if (!position.has(k)) position.set(k, i);
    });
    const toEvaluate = recorded
      .filter((r) => r.evaluated)
      .map((r) => position.get(`${r.bank_source}\u0000${r.transaction_id}`)!)
      .sort((a, b) => a - b);
    if (toEvaluate.length === 0) return;
    await this.matchAll(
      toEvaluate.map((i) => events[i]),
      m,
      publish,
      now,
    );
  }

  /**
   * Matches the purchases of recorded transactions, in order, a chunk at a time: one query for
   * every purchase's candidates (with budget state, the customer's history at the advertiser and
   * matches so far), the candidate campaigns' budget rows locked once (campaign id order, so two
   * chunks cannot deadlock), then each purchase decided in memory — seeing the history, matches
   * and reservations of the purchases before it — and everything written with one statement per
   * table.
   */
  private async matchAll(events: CardTransactionEvent[], m: EntityManager, publish: Publish, now: Date): Promise<void> {
    if (events.length === 0) return;
    const candidates = await repo.candidatesOf(m, events);
    if (candidates.size === 0) return;
    // The advertiser budgets and per-bank caps each purchase's candidates draw on, locked first
    // (limit id order), then the campaigns' budget rows: every chunk takes them in one order.
    const limitsOf = new Map<string, string[]>(); // campaign + bank → its limit ids
    events.forEach((event, i) => {
      for (const row of candidates.get(i) ?? []) {
        const key = `${row.campaign_id}\u0000${event.data.bankSource}`;
        if (row.snapshot.reward && !limitsOf.has(key)) limitsOf.set(key, spendLimitsOf(row.snapshot, event.data.bankSource).map((l) => l.limitId));
      }
    });
    const limits = await repo.lockLimits(m, [...new Set([...limitsOf.values()].flat())]);
    const budgets = await repo.lockBudgets(m, [...new Set([...candidates.values()].flat().map((c) => c.campaign_id))]);
    // What the chunk changed so far, over what the database said before it.
    const history = new Map<string, { first: Date; last: Date; count: number } | null>();
    const matches = new Map<string, number>();
    const touched = new Set<string>();
    const touchedLimits = new Set<string>();
    const outcomes: { event: CardTransactionEvent; decided: Decided }[] = [];
    const historyRows = new Map<string, { bankSource: string; customerId: string; advertiserId: string; first: string; last: string; count: number }>();
    const evaluatedAt = now.toISOString();

    events.forEach((event, i) => {
      const rows = candidates.get(i);
      if (!rows || rows.length === 0) return;
      const d = event.data;
      const at = new Date(d.transactionAt);
      const tx = { amount: d.amount, channel: d.channel, at, customerId: d.customerId, bankSource: d.bankSource };
      // A customer is (bank, customer id): two banks' "c-1001" share no history and no cap.
      const customer = `${d.bankSource}\u0000${d.customerId}`;
      for (const row of rows.sort((a, b) => (a.campaign_id < b.campaign_id ? -1 : a.campaign_id > b.campaign_id ? 1 : 0))) {
        // A campaign without cashback (an affiliate sales program; CPC, CPL, CPM) is not a card-linked
        // offer: no outcome, no event — its purchase still counts in the history below.
        if (!row.snapshot.reward) continue;
        const hk = `${customer}\u0000${row.advertiser_id}`;
        if (!history.has(hk)) history.set(hk, row.first_purchase_at && row.last_purchase_at && row.purchase_count ? { first: new Date(row.first_purchase_at), last: new Date(row.last_purchase_at), count: Number(row.purchase_count) } : null);
        const h = history.get(hk);
        const before = historyBefore({ first_purchase_at: h?.first ?? null, last_purchase_at: h?.last ?? null, purchase_count: h?.count ?? null }, at);
        const mk = `${row.campaign_id}\u0000${customer}`;
        if (!matches.has(mk)) matches.set(mk, Number(row.customer_matches));
        const budget = budgets.get(row.campaign_id);
        const result: RuleOutcome = evaluate(
          { snapshot: row.snapshot, customerMatches: matches.get(mk)!, budgetExhausted: knownExhausted(row.snapshot, budget?.exhausted ?? row.exhausted, budget?.daily_exhausted_day ?? row.daily_exhausted_day, now) },
          before,
          tx,
        );
        let decided: Decided;
        const rowLimits = (limitsOf.get(`${row.campaign_id}\u0000${d.bankSource}`) ?? []).flatMap((id) => limits.get(id) ?? []);
        const held = result.outcome === 'eligible' ? spentLimit(rowLimits) : undefined;
        if (result.outcome === 'declined') {
          decided = { row, outcome: result.reason === 'holdout' ? 'holdout' : 'declined', reason: result.reason, segment: result.segment };
        } else if (held) {
          decided = { row, outcome: 'declined', reason: limitDeclineReason(held.kind), segment: result.segment };
        } else if (budget && pacedOut(row.snapshot, budget, now)) {
          decided = { row, outcome: 'declined', reason: 'paced', segment: result.segment };
        } else if (budget && reserveInMemory(budget, result.reward.amountMinor + result.fee.amountMinor, localTime(now, row.snapshot.schedule.timeZone).day)) {
          reserveOnLimits(rowLimits, result.reward.amountMinor + result.fee.amountMinor);
          touched.add(row.campaign_id);
          for (const l of rowLimits) touchedLimits.add(l.limit_id);
          matches.set(mk, matches.get(mk)! + 1);
          decided = { row, outcome: 'matched', reason: 'matched', segment: result.segment, reward: result.reward, fee: result.fee, limitIds: rowLimits.map((l) => l.limit_id) };
        } else {
          decided = { row, outcome: 'declined', reason: 'budget-exhausted', segment: result.segment };
        }
        outcomes.push({ event, decided });
      }
      // Every purchase at an advertiser's merchant goes into the history (read above as of before it).
      for (const advertiserId of new Set(rows.map((r) => r.advertiser_id))) {
        const hk = `${customer}\u0000${advertiserId}`;
        const h = history.get(hk);
        history.set(hk, h ? { first: h.first < at ? h.first : at, last: h.last > at ? h.last : at, count: h.count + 1 } : { first: at, last: at, count: 1 });
        const w = historyRows.get(hk);
        historyRows.set(hk, {
          bankSource: d.bankSource,
          customerId: d.customerId,
          advertiserId,
          first: w && w.first < d.transactionAt ? w.first : d.transactionAt,
          last: w && w.last > d.transactionAt ? w.last : d.transactionAt,
          count: (w?.count ?? 0) + 1,
        });
      }
    });

    await repo.addPurchaseHistory(m, [...historyRows.values()]);
    await repo.saveReservations(m, [...touched].map((id) => budgets.get(id)!));
    await repo.saveLimitReservations(m, [...touchedLimits].map((id) => limits.get(id)!));

    const inserted = await repo.insertOutcomes(m, outcomes, evaluatedAt);
    const fresh = new Set(inserted.map((r) => `${r.purchase_id}\u0000${r.campaign_id}`));
    const items: OutboxItem[] = outcomes
      .filter(({ event, decided }) => fresh.has(`${event.data.purchaseId}\u0000${decided.row.campaign_id}`))
      .map(({ event, decided: x }) => {
        const d = event.data;
        const kind = KIND_OF[event.type];
        const fields: OfferMatchFields = {
          matchId: matchIdFor(d.purchaseId, x.row.campaign_id),
          purchaseId: d.purchaseId,
          transaction: { bankSource: d.bankSource, transactionId: d.transactionId, kind: kind as 'authorization' | 'settlement', transactionAt: d.transactionAt, cardTransactionEventId: event.eventId },
          customerId: d.customerId,
          campaignId: x.row.campaign_id,
          campaignVersion: x.row.version,
          advertiserId: x.row.advertiser_id,
          merchantId: x.row.merchant_id,
          matchedBy: x.row.matched_by,
          purchaseAmount: d.amount,
          channel: d.channel,
          audienceSegment: x.segment,
        };
        const eventId = deterministicUuid('offer-match', d.purchaseId, x.row.campaign_id);
        const evt =
          x.outcome === 'matched'
            ? newEnvelope(OfferMatchMatchedV1, { source: SERVICE, occurredAt: d.transactionAt, eventId, data: { ...fields, rewardAmount: x.reward!, platformFee: x.fee!, matchedAt: evaluatedAt } })
            : newEnvelope(OfferMatchDeclinedV1, { source: SERVICE, occurredAt: d.transactionAt, eventId, data: { ...fields, reasonCode: x.reason as MatchDeclineReason, evaluatedAt } });
        return { topic: 'offer-matches' as const, key: d.customerId, event: evt };
      });
    if (items.length > 0) await publish(items);
  }

}
