import { nameBasedUuid } from '@prestanda/contracts';
import { createHash } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** The reward of a (purchase, campaign): the same on every path, so a retry never makes a second one. */
export function rewardIdFor(purchaseId: string, campaignId: string): string {
  return `rwd-${digest(`${purchaseId}|${campaignId}`).slice(0, 24)}`;
}

export function conversionIdFor(rewardId: string): string {
  return `cnv-${digest(`conversion|${rewardId}`).slice(0, 24)}`;
}

/** A name-based (v5-shaped) UUID: the same fact always gets the same eventId. */
export function eventIdFor(name: string): string {
  return nameBasedUuid(`prestanda-attribution|${name}`);
}
