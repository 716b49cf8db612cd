import type { Money } from '@prestanda/money';
import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { array, CHANNELS, COUNTRY, currency, dateTime, enumOf, id, integer, money, object, string, type PurchaseChannel } from '../json-schema';
import { PRICING_MODELS, type PricingModel } from '../reason-codes';
import { Topic } from '../topics';

export type CampaignStatus = 'draft' | 'active' | 'paused' | 'exhausted' | 'ended';
export type AudienceRule = 'all' | 'new' | 'lapsed' | 'existing';

export interface CampaignMerchantV1 {
  readonly merchantId: string;
  readonly name: string;
  readonly mids: readonly string[];
  readonly descriptorPatterns: readonly string[];
  readonly mccs?: readonly string[];
  readonly country: string;
  readonly channels: readonly PurchaseChannel[];
}

interface RewardLimits {
  readonly minSpend?: Money;
  readonly maxPerPurchase?: Money;
  readonly maxRewardsPerCustomer?: number;
}
export type CampaignRewardV1 =
  | (RewardLimits & { readonly kind: 'percent'; readonly basisPoints: number })
  | (RewardLimits & { readonly kind: 'fixed'; readonly amount: Money });

export type PlatformFeeV1 =
  | { readonly kind: 'percent'; readonly basisPoints: number; readonly publisherShareBasisPoints: number }
  | { readonly kind: 'fixed'; readonly amount: Money; readonly publisherShareBasisPoints: number };

/** An affiliate commission: a percentage of the order value (basis points, rounded down) or a fixed amount per sale. */
export type AffiliateCommissionV1 = { readonly kind: 'percent'; readonly basisPoints: number } | { readonly kind: 'fixed'; readonly amount: Money };

export interface CampaignPublisherV1 {
  readonly publisherId: string;
  readonly kind: 'bank' | 'rewards-app' | 'affiliate';
  readonly voucherCodes?: readonly string[];
  /** The affiliate's tracking code: its links are `/c/<trackingCode>`. */
  readonly trackingCode?: string;
  /** The affiliate's own commission, set at approval; absent: the program's. */
  readonly commission?: AffiliateCommissionV1;
}

/** What a bank app shows for the offer, in one language. */
export interface OfferContentV1 {
  readonly title: string;
  readonly description?: string;
  readonly terms?: string;
  readonly imageUrl?: string;
}

/** Offer content per language (at least one). */
export type CampaignContentV1 = { readonly sv?: OfferContentV1; readonly en?: OfferContentV1 };

/** A spending cap for the purchases of one bank's customers. */
export interface BankCapV1 {
  readonly bankId: string;
  readonly amount: Money;
}

/** The advertiser's own limits, drawn on by all its campaigns (see `spendLimitsOf`). */
export interface AdvertiserBudgetV1 {
  /** Spend across all the advertiser's campaigns at every bank. Absent: no advertiser-wide limit. */
  readonly total?: Money;
  /** Per bank: spend of all its campaigns on that bank's customers' purchases. */
  readonly bankCaps?: readonly BankCapV1[];
}

/** The affiliate program terms of a campaign (tracking links, postbacks, commission). */
export interface CampaignAffiliateV1 {
  readonly landingUrl: string;
  readonly deepLinkHosts: readonly string[];
  readonly clickIdParam: string;
  readonly fallbackUrl?: string;
  readonly commission: AffiliateCommissionV1;
  /** Commission groups: basket lines of these product categories earn the group's commission. */
  readonly commissionGroups?: readonly { readonly group: string; readonly categories: readonly string[]; readonly commission: AffiliateCommissionV1 }[];
  readonly voucherRule: 'code-wins' | 'click-wins';
  readonly approval: 'manual' | 'auto';
}

/** `data` of `campaign.snapshot` v1 on `campaigns`. */
export interface CampaignSnapshotV1Data {
  readonly campaignId: string;
  readonly version: number;
  readonly name: string;
  readonly advertiserId: string;
  readonly advertiserName: string;
  readonly currency: string;
  readonly merchants: readonly CampaignMerchantV1[];
  readonly pricing: { readonly model: PricingModel; readonly price?: Money };
  readonly reward?: CampaignRewardV1;
  readonly platformFee: PlatformFeeV1;
  readonly budget: { readonly total: Money; readonly daily?: Money; readonly pacing: 'asap' | 'even'; readonly bankCaps?: readonly BankCapV1[] };
  /** The advertiser's budget and per-bank caps, which all its campaigns draw on. Absent: none. */
  readonly advertiserBudget?: AdvertiserBudgetV1;
  readonly schedule: {
    readonly startsAt: string;
    readonly endsAt?: string;
    readonly daysOfWeek?: readonly number[];
    readonly hours?: { readonly from: string; readonly to: string };
    readonly timeZone: string;
  };
  readonly audience: { readonly segment: AudienceRule; readonly lookbackDays: number };
  readonly channels: readonly PurchaseChannel[];
  readonly activation: 'required' | 'automatic';
  readonly windows: { readonly clickDays: number; readonly viewDays: number };
  readonly holdPeriodDays: number;
  readonly holdoutBasisPoints: number;
  readonly publishers: readonly CampaignPublisherV1[];
  /** Affiliate program terms; absent for campaigns without affiliate tracking links. */
  readonly affiliate?: CampaignAffiliateV1;
  /** The banks (integration ids, the `source` of their card transactions) whose customers the offer is for. Absent: every bank. */
  readonly banks?: readonly string[];
  /** What bank apps show, per language. Absent: the campaign name only. */
  readonly content?: CampaignContentV1;
  readonly status: CampaignStatus;
  readonly updatedAt: string;
}

const channelList = (description: string) =>
  array(description, enumOf('"online" (card not present) or "in-store" (card present).', CHANNELS), { minItems: 1, maxItems: 2, uniqueItems: true });

const HH_MM = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

const HTTPS_URL = (description: string, example: string) =>
  string(description, { pattern: '^https?://[^\\s]+$', minLength: 8, maxLength: 2048, examples: [example] });

const offerContentSchema = (description: string) =>
  object(
    description,
    {
      title: string('Headline, e.g. "10 % cashback at ICA".', { minLength: 1, maxLength: 120, examples: ['10 % cashback på ICA'] }),
      description: string('A sentence or two about the offer.', { minLength: 1, maxLength: 1000 }),
      terms: string('The offer terms in full, as text.', { minLength: 1, maxLength: 4000 }),
      imageUrl: string('An image for the offer card (https).', { pattern: '^https://[^\\s]+$', maxLength: 2048, examples: ['https://cdn.example.se/offers/ica.png'] }),
    },
    ['title'],
  );

const bankCapsSchema = (description: string) =>
  array(
    description,
    object(
      "A bank's cap.",
      { bankId: id('The bank (integration id, the bankSource of its card transactions).', 'bank-demo-se'), amount: money('The cap, in the campaign currency.', 'non-negative') },
      ['bankId', 'amount'],
    ),
    { minItems: 1, maxItems: 1000 },
  );

export const affiliateCommissionSchema = (description: string) =>
  object(
    description,
    {
      kind: enumOf('"percent": basisPoints of the order value (net of returns), rounded down to the minor unit; "fixed": amount per sale.', ['percent', 'fixed']),
      basisPoints: integer('For "percent": the commission in basis points of the order value (800 = 8 %).', { minimum: 1, maximum: 10_000, examples: [800] }),
      amount: money('For "fixed": the commission per sale, in the campaign currency.', 'positive'),
    },
    ['kind'],
    {
      if: { properties: { kind: { const: 'percent' } } },
      then: { required: ['basisPoints'], not: { required: ['amount'] } },
      else: { required: ['amount'], not: { required: ['basisPoints'] } },
    },
  );

const schema = object(
  'The complete current state of one campaign, including its advertiser\'s merchants: consumers need nothing else to match, attribute and bill it.',
  {
    campaignId: id('The campaign id (also the message key of this compacted topic).', 'cmp-01HQ4Z8K2M'),
    version: integer('Increases by one with every change of the campaign. Consumers ignore a snapshot whose version is not higher than the one they hold.', { minimum: 1, examples: [7] }),
    name: string('Display name of the offer shown to customers and in reports.', { minLength: 1, maxLength: 200, examples: ['10 % cashback at ICA for lapsed customers'] }),
    advertiserId: id('The advertiser that owns and pays for the campaign.', 'adv-ica-demo'),
    advertiserName: string('Display name of the advertiser.', { minLength: 1, maxLength: 200, examples: ['ICA Nära Hökarängen'] }),
    currency: currency("The advertiser's billing currency, ISO 4217. Every amount in the campaign is in it, and only purchases in it can match (else reason currency-mismatch)."),
    merchants: array(
      "The advertiser's merchants: how its sales appear on card statements. A transaction belongs to the advertiser when its MID is listed, else when its normalised descriptor matches a pattern; never by MCC alone.",
      object(
        'One merchant (a brand presence: a store, a chain, a web shop).',
        {
          merchantId: id('Prestanda\'s merchant id.', 'mer-ica-hokarangen'),
          name: string('Display name of the merchant.', { minLength: 1, maxLength: 200, examples: ['ICA Nära Hökarängen'] }),
          mids: array('Acquirer merchant ids (MIDs) of the merchant\'s locations, compared exactly with the transaction\'s merchant.mid. May be empty for descriptor-only merchants.', id('A MID.', '000000123456789'), {
            uniqueItems: true,
            maxItems: 10_000,
          }),
          descriptorPatterns: array(
            'Patterns compared with the transaction\'s normalisedDescriptor, case-insensitively: "*" matches any run of characters, everything else is literal, and the pattern must match the whole descriptor. Example: "ICA NARA HOKARANGEN*".',
            string('A descriptor pattern.', { minLength: 1, maxLength: 200, examples: ['ICA NARA HOKARANGEN*'] }),
            { uniqueItems: true, maxItems: 1000 },
          ),
          mccs: array('Merchant category codes the merchant uses (ISO 18245, four digits). Used to rule out false descriptor matches, never to match on their own.', string('An MCC.', { pattern: '^[0-9]{4}$', examples: ['5411'] }), {
            uniqueItems: true,
          }),
          country: COUNTRY('Country of the merchant.'),
          channels: channelList('Where the merchant sells: online, in-store or both.'),
        },
        ['merchantId', 'name', 'mids', 'descriptorPatterns', 'country', 'channels'],
      ),
      { minItems: 1 },
    ),
    pricing: object(
      'What the advertiser pays per unit of performance.',
      {
        model: enumOf('"CPA" per qualifying purchase, "CPL" per accepted lead, "CPC" per valid click, "CPM" per thousand impressions.', PRICING_MODELS),
        price: money(
          'Price per action, lead or click, or per thousand impressions for CPM. Absent for card-linked CPA, where the charge is the reward plus the platform fee.',
          'non-negative',
        ),
      },
      ['model'],
    ),
    reward: object(
      'The customer cashback rule (card-linked CPA campaigns). Percent rewards round down to the minor unit.',
      {
        kind: enumOf('"percent": basisPoints of the purchase amount; "fixed": a fixed amount per qualifying purchase.', ['percent', 'fixed']),
        basisPoints: integer('For "percent": cashback in basis points of the purchase (1 000 = 10 %).', { minimum: 1, maximum: 10_000, examples: [1000] }),
        amount: money('For "fixed": the cashback per qualifying purchase.', 'positive'),
        minSpend: money('Minimum purchase amount to qualify (else reason below-minimum-spend).', 'positive'),
        maxPerPurchase: money('Cap on the cashback of one purchase.', 'positive'),
        maxRewardsPerCustomer: integer('How many purchases per customer can earn a reward in this campaign (else reason customer-cap-reached). Absent: no cap.', { minimum: 1, examples: [3] }),
      },
      ['kind'],
      {
        if: { properties: { kind: { const: 'percent' } } },
        then: { required: ['basisPoints'], not: { required: ['amount'] } },
        else: { required: ['amount'], not: { required: ['basisPoints'] } },
      },
    ),
    platformFee: object(
      "Prestanda's fee, billed to the advertiser on top of the reward (CPA) or included in the price (CPL, CPC, CPM).",
      {
        kind: enumOf('"percent": basisPoints of the reward (CPA) or of the price; "fixed": amount per action.', ['percent', 'fixed']),
        basisPoints: integer('For "percent": the fee in basis points (2 000 = 20 %), rounded down.', { minimum: 0, maximum: 10_000, examples: [2000] }),
        amount: money('For "fixed": the fee per action.', 'non-negative'),
        publisherShareBasisPoints: integer("The credited publisher's revenue share of the fee, in basis points, rounded down.", { minimum: 0, maximum: 10_000, examples: [3000] }),
      },
      ['kind', 'publisherShareBasisPoints'],
      {
        if: { properties: { kind: { const: 'percent' } } },
        then: { required: ['basisPoints'], not: { required: ['amount'] } },
        else: { required: ['amount'], not: { required: ['basisPoints'] } },
      },
    ),
    budget: object(
      'Spending limits. Spend never exceeds a budget by more than one action; at 100 % the campaign stops matching.',
      {
        total: money('Total budget for the campaign\'s life.', 'non-negative'),
        daily: money('Optional cap per calendar day in the campaign\'s time zone.', 'positive'),
        pacing: enumOf(
          '"asap": spend as purchases come; "even": spread over the flight — each day (campaign time zone) may reserve what is left of the total at its start divided by the days left until endsAt; once reached, purchases are declined with "paced" until the next day. Without endsAt, "even" paces nothing (the daily cap still holds).',
          ['asap', 'even'],
        ),
        bankCaps: bankCapsSchema(
          'Optional caps per bank: spend of this campaign on purchases of one bank\'s customers (rewards and fees). A purchase of a bank whose cap is spent is declined with bank-budget-exhausted. Banks not listed draw on the total only.',
        ),
      },
      ['total', 'pacing'],
    ),
    advertiserBudget: object(
      "The advertiser's own limits, which every campaign of the advertiser draws on at every bank (billing books each action against the campaign's budget and these; offer-matching declines with advertiser-budget-exhausted or bank-budget-exhausted once one is spent). Spend exceeds each by at most one action. Absent: the advertiser has none. The same on every campaign of the advertiser (all are re-published when it changes).",
      {
        total: money('Spend across all the advertiser\'s campaigns: card-linked rewards and fees, CPC, CPL, CPM and affiliate sales.', 'non-negative'),
        bankCaps: bankCapsSchema("Caps per bank: spend of all the advertiser's campaigns on purchases of one bank's customers."),
      },
      [],
    ),
    schedule: object(
      'When purchases qualify. Evaluated at the transaction time in the campaign\'s time zone.',
      {
        startsAt: dateTime('First instant purchases qualify.'),
        endsAt: dateTime('First instant purchases no longer qualify (exclusive). Absent: open-ended.'),
        daysOfWeek: array('Days purchases qualify, ISO 8601 numbering: 1 = Monday … 7 = Sunday. Absent: every day.', integer('A day of the week, 1 (Monday) to 7 (Sunday).', { minimum: 1, maximum: 7 }), {
          minItems: 1,
          maxItems: 7,
          uniqueItems: true,
        }),
        hours: object(
          'Time of day purchases qualify, local to timeZone. Absent: all day.',
          {
            from: string('Start, "HH:MM" 24-hour, inclusive.', { pattern: HH_MM, examples: ['06:00'] }),
            to: string('End, "HH:MM" 24-hour, exclusive. Earlier than `from` means the window spans midnight.', { pattern: HH_MM, examples: ['10:00'] }),
          },
          ['from', 'to'],
        ),
        timeZone: string('IANA time zone of the campaign, e.g. "Europe/Stockholm".', { minLength: 1, maxLength: 64, examples: ['Europe/Stockholm'] }),
      },
      ['startsAt', 'timeZone'],
    ),
    audience: object(
      'Which customers qualify, by their purchase history at this advertiser as of before the purchase.',
      {
        segment: enumOf(
          '"all"; "new": no purchase at the advertiser within the look-back window; "lapsed": a purchase before the window but none within it; "existing": at least one purchase within the window (loyal customers).',
          ['all', 'new', 'lapsed', 'existing'],
        ),
        lookbackDays: integer('The look-back window in days (default 365).', { minimum: 1, maximum: 3650, examples: [365] }),
      },
      ['segment', 'lookbackDays'],
    ),
    channels: channelList('Purchase channels that qualify (else reason wrong-channel).'),
    activation: enumOf(
      '"required": the customer must activate the offer in an app (a click of kind activation) within the click window before the purchase; "automatic": every enrolled customer who can see the offer qualifies.',
      ['required', 'automatic'],
    ),
    windows: object(
      'Attribution windows.',
      {
        clickDays: integer('Click/activation window in days (default 30): a purchase up to this long after the click or activation is attributed to it.', { minimum: 0, maximum: 365, examples: [30] }),
        viewDays: integer('View window in days (default 1): a purchase up to this long after an impression is attributed to it when no click qualifies.', { minimum: 0, maximum: 365, examples: [1] }),
      },
      ['clickDays', 'viewDays'],
    ),
    holdPeriodDays: integer('Days after settlement without a refund before a reward is confirmed (default 30).', { minimum: 0, maximum: 365, examples: [30] }),
    holdoutBasisPoints: integer('Share of eligible customers kept as a stable random holdout group that is not shown the offer and earns nothing, in basis points (1 000 = 10 %); 0 for none.', {
      minimum: 0,
      maximum: 5000,
      examples: [1000],
    }),
    publishers: array(
      'Publishers approved to show or promote the campaign, with affiliate voucher codes. Traffic from a publisher not listed is not credited.',
      object(
        'An approved publisher.',
        {
          publisherId: id('The publisher id.', 'pub-bank-demo-se'),
          kind: enumOf('"bank" (a bank app that also sends card transactions), "rewards-app" (Prestanda\'s own app) or "affiliate".', ['bank', 'rewards-app', 'affiliate']),
          voucherCodes: array('Voucher codes owned by this publisher; an affiliate conversion carrying one is attributed to it.', string('A voucher code.', { minLength: 1, maxLength: 64, examples: ['SPARA10'] }), {
            uniqueItems: true,
          }),
          trackingCode: string("The affiliate's tracking code, unique on the platform: its tracking links are `/c/<trackingCode>` (optionally `?url=<deep link>&sub1..sub5=`), its impression pixel `/i/<trackingCode>`. Minted at approval.", {
            pattern: '^[A-Za-z0-9_-]{6,40}$',
            examples: ['k3J9xQ2mLp'],
          }),
          commission: affiliateCommissionSchema("This affiliate's own commission on sales, set at approval (a publisher override). Absent: the program's `affiliate.commission`."),
        },
        ['publisherId', 'kind'],
      ),
    ),
    affiliate: object(
      'Affiliate program terms: where tracking links land, how sales are paid. Absent for campaigns without affiliate links. The cookie window is `windows.clickDays`, the lock (return) period `holdPeriodDays`, the network fee `platformFee` (on top of the commission).',
      {
        landingUrl: HTTPS_URL('Where a tracking link lands when it names no deep link.', 'https://shop.example.se/'),
        deepLinkHosts: array('Hosts a deep link (`?url=`) may point at; any other URL lands on landingUrl. Always includes landingUrl\'s host.', string('A host name.', { minLength: 1, maxLength: 253, examples: ['shop.example.se'] }), {
          minItems: 1,
          maxItems: 50,
          uniqueItems: true,
        }),
        clickIdParam: string('Query parameter the redirect appends the Prestanda click id under; the shop sends it back in its postback.', { pattern: '^[A-Za-z0-9_]{1,32}$', examples: ['prclid'] }),
        fallbackUrl: HTTPS_URL('Where links of a paused or ended program go (and unknown links of this advertiser). Absent: the platform default.', 'https://shop.example.se/'),
        commission: affiliateCommissionSchema('The program commission on sales (CPA campaigns), unless the publisher has its own; for basket lines in no commission group.'),
        commissionGroups: array(
          'Commission groups by product category: a sale reported with basket lines earns, per line, the commission of the group its category is in (percent of the line amount, or fixed per unit), and the program (or publisher) commission on lines in no group. A sale without a basket earns the program (or publisher) commission on its amount.',
          object(
            'One commission group.',
            {
              group: string('Name of the group (reporting).', { minLength: 1, maxLength: 64, examples: ['electronics'] }),
              categories: array('Product categories in the group, as the shop sends them in basket lines (compared case-insensitively).', string('A category.', { minLength: 1, maxLength: 64, examples: ['phones'] }), {
                minItems: 1,
                maxItems: 200,
                uniqueItems: true,
              }),
              commission: affiliateCommissionSchema("The group's commission: percent of each line's amount, or a fixed amount per unit."),
            },
            ['group', 'categories', 'commission'],
          ),
          { maxItems: 50 },
        ),
        voucherRule: enumOf('When a sale carries both a click of one publisher and a voucher code of another: "code-wins" (the code\'s publisher is credited; default, as for exclusive codes) or "click-wins" (the last click is).', ['code-wins', 'click-wins']),
        approval: enumOf('"manual": ops or the advertiser approve each application; "auto": applications are approved at once with the program terms.', ['manual', 'auto']),
      },
      ['landingUrl', 'deepLinkHosts', 'clickIdParam', 'commission', 'voucherRule', 'approval'],
    ),
    banks: array(
      'The banks whose customers the offer is for: integration ids, as the `source` (bankSource) of their card transactions. A purchase reported by a bank not listed is not a candidate (offer-match.declined with reason bank-not-targeted), the offer is not in that bank\'s offers feed, and no credit goes to it. Absent: every bank on the platform.',
      id('A bank integration id.', 'bank-demo-se'),
      { minItems: 1, maxItems: 1000, uniqueItems: true },
    ),
    content: object(
      "What bank apps show for the offer, per language (the offers feed picks the customer's, else the other). Advertiser-written text: shown as text, never as markup.",
      { sv: offerContentSchema('The offer for Swedish-speaking customers.'), en: offerContentSchema('The offer for English-speaking customers.') },
      [],
      { minProperties: 1 },
    ),
    status: enumOf(
      '"draft" (not live), "active" (matching), "paused" (by the advertiser or ops), "exhausted" (total budget spent), "ended" (past endsAt or closed). Only "active" campaigns match.',
      ['draft', 'active', 'paused', 'exhausted', 'ended'],
    ),
    updatedAt: dateTime('When this version was saved.'),
  },
  [
    'campaignId',
    'version',
    'name',
    'advertiserId',
    'advertiserName',
    'currency',
    'merchants',
    'pricing',
    'platformFee',
    'budget',
    'schedule',
    'audience',
    'channels',
    'activation',
    'windows',
    'holdPeriodDays',
    'holdoutBasisPoints',
    'publishers',
    'status',
    'updatedAt',
  ],
);

/** Whether the campaign is offered to customers of `bankSource` (a campaign without `banks` is offered to every bank). */
export function campaignTargetsBank(campaign: Pick<CampaignSnapshotV1Data, 'banks'>, bankSource: string): boolean {
  return campaign.banks === undefined || campaign.banks.includes(bankSource);
}

export const CampaignSnapshotV1: EventDescriptor<'campaign.snapshot', 1, CampaignSnapshotV1Data, 'campaigns'> = {
  type: 'campaign.snapshot',
  schemaVersion: 1,
  topic: Topic.Campaigns,
  schema,
  summary: 'The full current state of a campaign.',
  description:
    'Produced by campaigns on every change (and on budget-events status changes). The topic is compacted and keyed by campaignId, so reading it from the beginning yields the current state of every campaign. Consumers replace their copy when `version` is higher.',
  example: {
    campaignId: 'cmp-01HQ4Z8K2M',
    version: 7,
    name: '10 % cashback at ICA for lapsed customers',
    advertiserId: 'adv-ica-demo',
    advertiserName: 'ICA Nära Hökarängen',
    currency: 'SEK',
    merchants: [
      {
        merchantId: 'mer-ica-hokarangen',
        name: 'ICA Nära Hökarängen',
        mids: ['000000123456789'],
        descriptorPatterns: ['ICA NARA HOKARANGEN*'],
        mccs: ['5411'],
        country: 'SE',
        channels: ['in-store'],
      },
    ],
    pricing: { model: 'CPA' },
    reward: {
      kind: 'percent',
      basisPoints: 1000,
      minSpend: { amountMinor: 20_000, currency: 'SEK' },
      maxPerPurchase: { amountMinor: 10_000, currency: 'SEK' },
      maxRewardsPerCustomer: 3,
    },
    platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 3000 },
    budget: { total: { amountMinor: 5_000_000, currency: 'SEK' }, daily: { amountMinor: 500_000, currency: 'SEK' }, pacing: 'even' },
    schedule: { startsAt: '2025-03-01T00:00:00+01:00', endsAt: '2025-06-01T00:00:00+02:00', daysOfWeek: [1, 2, 3, 4, 5], timeZone: 'Europe/Stockholm' },
    audience: { segment: 'lapsed', lookbackDays: 365 },
    channels: ['in-store'],
    activation: 'required',
    windows: { clickDays: 30, viewDays: 1 },
    holdPeriodDays: 30,
    holdoutBasisPoints: 1000,
    publishers: [{ publisherId: 'pub-bank-demo-se', kind: 'bank' }],
    status: 'active',
    updatedAt: '2025-02-27T13:45:00.000Z',
  },
};

export type CampaignSnapshotV1Envelope = EnvelopeOf<typeof CampaignSnapshotV1>;
