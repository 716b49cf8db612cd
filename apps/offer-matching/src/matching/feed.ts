import type { CampaignSnapshotV1Data } from '@prestanda/contracts';

/** An offer's content as the feed shows it, with the language it is in. */
export interface OfferContent {
  locale: 'sv' | 'en';
  title: string;
  description?: string;
  terms?: string;
  imageUrl?: string;
}

/** The offer's content in `locale`, else in the other language, else the campaign name as its title. */
export function offerContentIn(c: Pick<CampaignSnapshotV1Data, 'name' | 'content'>, locale: 'sv' | 'en'): OfferContent {
  const other = locale === 'sv' ? 'en' : 'sv';
  const own = c.content?.[locale];
  if (own) return { locale, ...own };
  const fallback = c.content?.[other];
  if (fallback) return { locale: other, ...fallback };
  return { locale, title: c.name };
}

/** A page of the feed: offers after the cursor (campaign id order), and the cursor of the next page. */
export function pageOf<T extends { campaignId: string }>(offers: readonly T[], limit: number, after?: string): { items: T[]; nextAfter: string | null } {
  const start = after === undefined ? 0 : offers.findIndex((o) => o.campaignId > after);
  const rest = start < 0 ? [] : offers.slice(start);
  const items = rest.slice(0, limit);
  return { items, nextAfter: rest.length > limit ? items[items.length - 1].campaignId : null };
}
