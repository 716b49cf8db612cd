/**
 * Only publishers approved on a campaign earn from it: a click, lead or impression reported for a
 * publisher the campaign's snapshot does not list is charged nothing (reason
 * `publisher-not-approved`). A campaign that lists no publisher pays none. (Attribution credits a
 * card-linked reward to the bank when no approved touchpoint qualifies; that is not a priced action.)
 */
export function publisherApproved(publishers: readonly { publisherId: string }[], publisherId: string): boolean {
  return publishers.some((p) => p.publisherId === publisherId);
}

/** Why a priced action was not charged. */
export type UnbilledReason = 'publisher-not-approved' | 'budget-spent' | 'advertiser-budget-spent' | 'repeat-click';
