import { Injectable, NotFoundException } from '@nestjs/common';
import { reasonText, type AudienceSegment, type CampaignSnapshotV1Data } from '@prestanda/contracts';
import { offerContentIn, type OfferContent } from './feed';
import { DataSource } from 'typeorm';
import { knownExhausted } from './rules';
import { audienceFits, audienceSegment, inHoldout, inSchedule, localTime } from './rules';

const S = 'offer_matching';
const DAY_MS = 86_400_000;

export interface OfferView {
  campaignId: string;
  campaignVersion: number;
  name: string;
  /** What the app shows, in the language asked for (else the other one; else the name alone). */
  content: OfferContent;
  advertiserId: string;
  advertiserName: string;
  currency: string;
  reward: CampaignSnapshotV1Data['reward'];
  channels: CampaignSnapshotV1Data['channels'];
  schedule: CampaignSnapshotV1Data['schedule'];
  merchants: { merchantId: string; name: string; channels: readonly string[] }[];
  audienceSegment: AudienceSegment;
  /** Rewards this customer can still earn here; null without a per-customer cap. */
  rewardsRemaining: number | null;
  activation: { required: boolean; activated: boolean; activatedAt: string | null; activeUntil: string | null };
}

export interface OutcomeView {
  campaignId: string;
  campaignName: string | null;
  campaignVersion: number;
  advertiserId: string;
  merchantId: string;
  matchedBy: string;
  outcome: string;
  reasonCode: string;
  text?: { sv: string; en: string };
  audienceSegment: string;
  purchaseAmount: { amountMinor: number; currency: string };
  rewardAmount: { amountMinor: number; currency: string } | null;
  platformFee: { amountMinor: number; currency: string } | null;
  evaluatedOn: { bankSource: string; transactionId: string; kind: string; transactionAt: string };
  evaluatedAt: string;
  /** For a matched outcome: offer-matching's part ends here; attribution decides whether it is rewarded, and says why not. */
  finalDecision?: { service: 'attribution'; path: string };
}

interface FeedRow {
  campaign_id: string;
  version: number;
  snapshot: CampaignSnapshotV1Data;
  exhausted: boolean | null;
  daily_exhausted_day: string | null;
  total_minor: string | null;
  reserved_minor: string | null;
  daily_minor: string | null;
  daily_day: string | null;
  daily_reserved_minor: string | null;
  first_purchase_at: Date | null;
  last_purchase_at: Date | null;
  purchase_count: number | null;
  activated_at: Date | null;
  customer_matches: string;
}

/** Read side: the offers feed and the "why" of a transaction. */
@Injectable()
export class OffersService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Offers the customer can earn on right now: active card-linked campaigns inside their
   * schedule (dates, days, hours), fitting audience (history as of now), cap not reached,
   * budget with room (not exhausted, reservations below total and today's daily cap), and
   * the customer not in the holdout group. Activation state per offer. With a publisher (a
   * bank app's integration), only campaigns that publisher is approved for. Only campaigns
   * offered to the customer's bank; the customer is (bank, customer id).
   */
  async offersFor(bankSource: string, customerId: string, publisherId?: string, now: Date = new Date(), locale: 'sv' | 'en' = 'sv'): Promise<OfferView[]> {
    const rows: FeedRow[] = await this.dataSource.query(
      `SELECT c.campaign_id, c.version, c.snapshot, b.exhausted, b.daily_exhausted_day, b.total_minor, b.reserved_minor, b.daily_minor, b.daily_day,
         b.daily_reserved_minor, ph.first_purchase_at, ph.last_purchase_at, ph.purchase_count, a.activated_at,
         (SELECT count(*) FROM "${S}"."match_outcomes" o WHERE o.campaign_id = c.campaign_id AND o.bank_source = $4 AND o.customer_id = $1 AND o.outcome = 'matched') AS customer_matches
       FROM "${S}"."campaigns" c
       LEFT JOIN "${S}"."budget_reservations" b ON b.campaign_id = c.campaign_id
       LEFT JOIN "${S}"."purchase_history" ph ON ph.bank_source = $4 AND ph.customer_id = $1 AND ph.advertiser_id = c.advertiser_id
       LEFT JOIN "${S}"."activations" a ON a.bank_source = $4 AND a.customer_id = $1 AND a.campaign_id = c.campaign_id
       WHERE c.status = 'active' AND c.snapshot ? 'reward'
         AND (NOT c.snapshot ? 'banks' OR c.snapshot->'banks' ? $4)
         AND (c.snapshot->'schedule'->>'startsAt')::timestamptz <= $2
         AND (c.snapshot->'schedule'->>'endsAt' IS NULL OR (c.snapshot->'schedule'->>'endsAt')::timestamptz > $2)
         AND (b.campaign_id IS NULL OR (NOT b.exhausted AND b.reserved_minor < b.total_minor))
         AND ($3::text IS NULL OR c.snapshot->'publishers' @> jsonb_build_array(jsonb_build_object('publisherId', $3::text)))
       ORDER BY c.campaign_id`,
      [customerId, now.toISOString(), publisherId ?? null, bankSource],
    );
    const offers: OfferView[] = [];
    for (const r of rows) {
      const c = r.snapshot;
      if (!c.reward || !inSchedule(c.schedule, now)) continue;
      const history = r.purchase_count && r.last_purchase_at ? { lastPurchaseAt: new Date(r.last_purchase_at), purchaseCount: Number(r.purchase_count) } : undefined;
      const segment = audienceSegment(history, now, c.audience.lookbackDays);
      if (!audienceFits(c.audience.segment, segment)) continue;
      const matches = Number(r.customer_matches);
      const cap = c.reward.maxRewardsPerCustomer;
      if (cap !== undefined && matches >= cap) continue;
      if (knownExhausted(c, r.exhausted, r.daily_exhausted_day, now)) continue;
      if (r.total_minor !== null && Number(r.reserved_minor) >= Number(r.total_minor)) continue;
      if (r.daily_minor !== null && r.daily_day === localTime(now, c.schedule.timeZone).day && Number(r.daily_reserved_minor) >= Number(r.daily_minor)) continue;
      if (inHoldout(customerId, c)) continue;
      const activatedAt = r.activated_at ? new Date(r.activated_at) : null;
      const activeUntil = activatedAt ? new Date(activatedAt.getTime() + c.windows.clickDays * DAY_MS) : null;
      offers.push({
        campaignId: c.campaignId,
        campaignVersion: c.version,
        name: c.name,
        content: offerContentIn(c, locale),
        advertiserId: c.advertiserId,
        advertiserName: c.advertiserName,
        currency: c.currency,
        reward: c.reward,
        channels: c.channels,
        schedule: c.schedule,
        merchants: c.merchants.map((mer) => ({ merchantId: mer.merchantId, name: mer.name, channels: mer.channels })),
        audienceSegment: segment,
        rewardsRemaining: cap === undefined ? null : cap - matches,
        activation: {
          required: c.activation === 'required',
          activated: !!activeUntil && activeUntil.getTime() > now.getTime(),
          activatedAt: activatedAt?.toISOString() ?? null,
          activeUntil: activeUntil?.toISOString() ?? null,
        },
      });
    }
    return offers;
  }

  /** Why each candidate campaign did or did not reward the purchase this transaction belongs to. */
  async outcomesOf(bankSource: string, transactionId: string) {
    const found: { purchase_id: string; kind: string; evaluated: boolean; customer_id: string }[] = await this.dataSource.query(
      `SELECT purchase_id, kind, evaluated, customer_id FROM "${S}"."purchases" WHERE bank_source = $1 AND transaction_id = $2`,
      [bankSource, transactionId],
    );
    if (found.length === 0) throw new NotFoundException(`transaction ${bankSource}/${transactionId} has not been seen`);
    const p = found[0];
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT o.*, c.snapshot->>'name' AS campaign_name FROM "${S}"."match_outcomes" o
       LEFT JOIN "${S}"."campaigns" c ON c.campaign_id = o.campaign_id
       WHERE o.purchase_id = $1 ORDER BY o.campaign_id`,
      [p.purchase_id],
    );
    const outcomes: OutcomeView[] = rows.map((o) => {
      const currency = o.currency as string;
      const amount = (v: unknown) => (v === null || v === undefined ? null : { amountMinor: Number(v), currency });
      return {
        campaignId: o.campaign_id as string,
        campaignName: (o.campaign_name as string | null) ?? null,
        campaignVersion: o.campaign_version as number,
        advertiserId: o.advertiser_id as string,
        merchantId: o.merchant_id as string,
        matchedBy: o.matched_by as string,
        outcome: o.outcome as string,
        reasonCode: o.reason_code as string,
        // What the bank's app can show the customer (libs/contracts REASON_TEXTS).
        ...(reasonText(o.reason_code as string) ? { text: reasonText(o.reason_code as string) } : {}),
        audienceSegment: o.audience_segment as string,
        purchaseAmount: { amountMinor: Number(o.purchase_amount_minor), currency },
        rewardAmount: amount(o.reward_minor),
        platformFee: amount(o.fee_minor),
        evaluatedOn: {
          bankSource: o.bank_source as string,
          transactionId: o.transaction_id as string,
          kind: o.transaction_kind as string,
          transactionAt: new Date(o.transaction_at as string).toISOString(),
        },
        evaluatedAt: new Date(o.evaluated_at as string).toISOString(),
        ...(o.outcome === 'matched' ? { finalDecision: { service: 'attribution' as const, path: `/v1/purchases/${encodeURIComponent(p.purchase_id)}/decisions` } } : {}),
      };
    });
    const explanation =
      p.kind === 'refund' || p.kind === 'reversal'
        ? `A ${p.kind} is never matched; the outcomes are those of the purchase it belongs to (attribution adjusts rewards).`
        : p.evaluated
          ? outcomes.length === 0
            ? 'Evaluated: the merchant belongs to no advertiser with a campaign.'
            : 'Evaluated on this transaction. "matched" means the campaign\'s rules passed; attribution makes the final decision (activation, touchpoints): see finalDecision.'
          : 'The purchase was evaluated on an earlier record (a purchase is matched once, on the first of its authorization or settlement).';
    return { bankSource, transactionId, kind: p.kind, purchaseId: p.purchase_id, customerId: p.customer_id, evaluated: p.evaluated, explanation, outcomes };
  }

  /**
   * For an advertiser: how many purchases each reason decided on a campaign (optionally in an
   * evaluation time range), with the reason's text — counts only, no customer or transaction.
   */
  async reasonSummary(campaignId: string, range: { from?: string; to?: string }) {
    const [campaign]: { advertiser_id: string; name: string | null }[] = await this.dataSource.query(
      `SELECT advertiser_id, snapshot->>'name' AS name FROM "${S}"."campaigns" WHERE campaign_id = $1`,
      [campaignId],
    );
    if (!campaign) throw new NotFoundException(`campaign ${campaignId} not found`);
    const rows: { outcome: string; reason_code: string; n: number }[] = await this.dataSource.query(
      `SELECT outcome, reason_code, count(*)::int AS n FROM "${S}"."match_outcomes"
        WHERE campaign_id = $1 AND ($2::timestamptz IS NULL OR evaluated_at >= $2) AND ($3::timestamptz IS NULL OR evaluated_at < $3)
        GROUP BY outcome, reason_code ORDER BY n DESC, reason_code`,
      [campaignId, range.from ?? null, range.to ?? null],
    );
    return {
      campaignId,
      campaignName: campaign.name,
      advertiserId: campaign.advertiser_id,
      ...(range.from ? { from: range.from } : {}),
      ...(range.to ? { to: range.to } : {}),
      total: rows.reduce((sum, r) => sum + r.n, 0),
      reasons: rows.map((r) => ({ outcome: r.outcome, reasonCode: r.reason_code, count: r.n, ...(reasonText(r.reason_code) ? { text: reasonText(r.reason_code) } : {}) })),
    };
  }
}

