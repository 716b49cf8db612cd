import type { CampaignStatus } from '@prestanda/contracts';

/**
 * Status rules of a campaign (see apps/campaigns/README.md):
 *
 *   draft ──activate──▶ active ──pause──▶ paused ──resume──▶ active (or exhausted if billing said so)
 *                         │  ▲                ▲
 *        budget.exhausted │  │ budget.replenished
 *                         ▼  │                │
 *                       exhausted ──pause─────┘
 *   any but ended ──end──▶ ended (final: nothing changes an ended campaign)
 */
export type StatusAction = 'activate' | 'pause' | 'resume' | 'end';

export type Decision = { ok: true; to: CampaignStatus } | { ok: false; reason: string };

const refuse = (reason: string): Decision => ({ ok: false, reason });

/** An operator's transition. `budgetExhausted`: billing's last word on the total budget. */
export function decideTransition(from: CampaignStatus, action: StatusAction, budgetExhausted = false): Decision {
  if (from === 'ended') return refuse(`campaign is ended; an ended campaign cannot be ${pastTense(action)}`);
  switch (action) {
    case 'activate':
      if (from === 'draft') return { ok: true, to: budgetExhausted ? 'exhausted' : 'active' };
      return refuse(from === 'paused' ? 'campaign is paused; use resume' : `only a draft campaign can be activated (status is ${from})`);
    case 'pause':
      if (from === 'active' || from === 'exhausted') return { ok: true, to: 'paused' };
      return refuse(`only an active or exhausted campaign can be paused (status is ${from})`);
    case 'resume':
      if (from === 'paused') return { ok: true, to: budgetExhausted ? 'exhausted' : 'active' };
      return refuse(`only a paused campaign can be resumed (status is ${from})`);
    case 'end':
      return { ok: true, to: 'ended' };
  }
}

function pastTense(action: StatusAction): string {
  return { activate: 'activated', pause: 'paused', resume: 'resumed', end: 'ended again' }[action];
}

/**
 * Billing's budget events (total scope only). Returns the new status, or `undefined` when the
 * status stays (the flag may still change: a paused campaign remembers it is exhausted).
 */
export function statusAfterBudgetEvent(from: CampaignStatus, kind: 'exhausted' | 'replenished'): CampaignStatus | undefined {
  if (kind === 'exhausted') return from === 'active' ? 'exhausted' : undefined;
  return from === 'exhausted' ? 'active' : undefined;
}

/**
 * Fields that make up what a customer or advertiser was promised per purchase. `banks` is one:
 * like `audience`, it decides which customers the offer is for.
 */
export const REWARD_TERM_FIELDS = ['pricing', 'reward', 'platformFee', 'audience', 'channels', 'activation', 'windows', 'holdPeriodDays', 'holdoutBasisPoints', 'banks'] as const;
/**
 * Fields that may change while the campaign is live. `affiliate` (and a publisher's own
 * commission) may: a sale is paid by the terms of the snapshot version in force at its click.
 */
export const LIVE_EDITABLE_FIELDS = ['name', 'budget', 'schedule', 'publishers', 'affiliate', 'content'] as const;

export type CampaignField = (typeof REWARD_TERM_FIELDS)[number] | (typeof LIVE_EDITABLE_FIELDS)[number];

/**
 * Edits: an ended campaign is final; while the campaign is live (active or exhausted) its
 * reward terms cannot change under purchases being made: pause it first. Draft and paused
 * campaigns accept every field.
 */
export function decideEdit(status: CampaignStatus, fields: readonly string[]): { ok: true } | { ok: false; reason: string; fields: string[] } {
  if (status === 'ended') return { ok: false, reason: 'campaign is ended; an ended campaign cannot be edited', fields: [...fields] };
  if (status === 'active' || status === 'exhausted') {
    const terms = fields.filter((f) => (REWARD_TERM_FIELDS as readonly string[]).includes(f));
    if (terms.length > 0) {
      return { ok: false, reason: `campaign is ${status}: reward terms (${terms.join(', ')}) cannot change while it is live; pause it first`, fields: terms };
    }
  }
  return { ok: true };
}
