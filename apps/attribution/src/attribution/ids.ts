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
  const h = digest(`prestanda-attribution|${name}`);
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
