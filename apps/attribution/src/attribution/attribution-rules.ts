import { campaignTargetsBank, type AttributionMethod } from '@prestanda/contracts';

/** A touchpoint as attribution keeps it: impressions, clicks and activations per customer and campaign. */
export interface Touchpoint {
  readonly touchpointId: string;
  readonly kind: 'impression' | 'click' | 'activation';
  readonly publisherId: string;
  readonly at: string;
}

/** The parts of a campaign snapshot attribution decides with. */
export interface CampaignRules {
  readonly activation: 'required' | 'automatic';
  readonly clickDays: number;
  readonly viewDays: number;
  /** Approved publishers; empty means no restriction (nothing listed to check against). */
  readonly publisherIds: readonly string[];
  /** The banks the campaign is offered to; absent: every bank. */
  readonly banks?: readonly string[];
}

/** Why a match did not become a reward (attribution's own outcomes, next to offer-matching's). */
export type AttributionDeclineReason = 'not-activated' | 'activation-outside-window' | 'bank-not-targeted';

export type AttributionDecision =
  | { readonly rewarded: true; readonly publisherId: string; readonly method: AttributionMethod; readonly touchpointId?: string }
  | { readonly rewarded: false; readonly reasonCode: AttributionDeclineReason };

const DAY_MS = 86_400_000;

/**
 * The publisher a bank's own transactions are credited to when no touchpoint qualifies:
 * `pub-<bankSource>` (the convention the campaigns service and the API keys use, e.g.
 * bank-demo-se → pub-bank-demo-se).
 */
export function bankPublisherId(bankSource: string): string {
  return `pub-${bankSource}`;
}

/** Latest first; ties broken by id so the decision is deterministic. */
function latest(points: readonly Touchpoint[]): Touchpoint | undefined {
  return [...points].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.touchpointId < b.touchpointId ? 1 : -1))[0];
}

/**
 * Decides a match by the campaign's rules. Windows are inclusive and count back from the
 * purchase time: a touchpoint at t qualifies when purchaseAt − window ≤ t ≤ purchaseAt.
 * Touchpoints after the purchase never count.
 *
 * - activation required: an activation within the click window before the purchase, else
 *   `activation-outside-window` when the only activations before the purchase are older than
 *   the window, else `not-activated`;
 * - credit: the last click or activation within the click window (method `activation` or
 *   `click`), else the last impression within the view window (`impression`), else the bank
 *   the transaction came from (`bank-default`).
 * Traffic from a publisher the campaign does not list is ignored (when it lists any).
 * A purchase from a bank the campaign is not offered to is declined `bank-not-targeted`
 * (offer-matching declines it first; this holds when a campaign drops a bank between the two),
 * so credit never goes to a bank that is not on the campaign.
 */
export function decideAttribution(rules: CampaignRules, touchpoints: readonly Touchpoint[], purchaseAt: string, bankSource: string): AttributionDecision {
  if (!campaignTargetsBank(rules, bankSource)) return { rewarded: false, reasonCode: 'bank-not-targeted' };
  const purchase = Date.parse(purchaseAt);
  const approved = rules.publisherIds.length === 0 ? touchpoints : touchpoints.filter((t) => rules.publisherIds.includes(t.publisherId));
  const before = approved.filter((t) => Date.parse(t.at) <= purchase);
  const clickFrom = purchase - rules.clickDays * DAY_MS;
  const viewFrom = purchase - rules.viewDays * DAY_MS;
  const clicksInWindow = before.filter((t) => t.kind !== 'impression' && Date.parse(t.at) >= clickFrom);

  if (rules.activation === 'required') {
    const activations = before.filter((t) => t.kind === 'activation');
    if (!activations.some((t) => Date.parse(t.at) >= clickFrom)) {
      return { rewarded: false, reasonCode: activations.length > 0 ? 'activation-outside-window' : 'not-activated' };
    }
  }

  const click = latest(clicksInWindow);
  if (click) return { rewarded: true, publisherId: click.publisherId, method: click.kind === 'activation' ? 'activation' : 'click', touchpointId: click.touchpointId };
  const impression = latest(before.filter((t) => t.kind === 'impression' && Date.parse(t.at) >= viewFrom));
  if (impression) return { rewarded: true, publisherId: impression.publisherId, method: 'impression', touchpointId: impression.touchpointId };
  return { rewarded: true, publisherId: bankPublisherId(bankSource), method: 'bank-default' };
}
