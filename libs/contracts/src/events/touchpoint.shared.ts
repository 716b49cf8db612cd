import { dateTime, enumOf, id, object, string, uuid, type JsonSchema } from '../json-schema';

/** Shared fields of impressions, clicks and leads, inbound and canonical. Not an event itself. */

export const CUSTOMER_ID = (extra = ''): JsonSchema =>
  id(
    `The pseudonymous customer id: for bank apps the bank's customer id (the same id its card transactions carry), for affiliate web traffic the visitor id set by Prestanda's redirect. Never a name, e-mail or card number.${extra}`,
    'cust-5c1e9b2f',
  );
export const CAMPAIGN_ID = id('The Prestanda campaign (offer) id, as published on the campaigns topic and in the offers feed.', 'cmp-01HQ4Z8K2M');
export const PUBLISHER_ID = id(
  'The Prestanda publisher id of the bank app, rewards app or affiliate that showed the offer or sent the traffic.',
  'pub-bank-demo-se',
);

export interface CanonicalTouchpointFields {
  readonly reportedBy: string;
  readonly inboundEventId: string;
}

export function canonicalFields(): Record<string, JsonSchema> {
  return {
    reportedBy: id('The integration id that reported it (the `source` of the inbound event).', 'bank-demo-se'),
    inboundEventId: uuid('The eventId of the inbound event this was derived from.', '0b6f1d2a-4c3e-4f5a-9b8c-7d6e5f4a3b2c'),
  };
}

export const CANONICAL_REQUIRED = ['reportedBy', 'inboundEventId'];

// --- impression ---

export interface ImpressionFields {
  readonly impressionId: string;
  readonly customerId: string;
  readonly campaignId: string;
  readonly publisherId: string;
  readonly placement?: string;
  readonly at: string;
}

export function impressionSchema(canonical: boolean): JsonSchema {
  return object(
    canonical ? 'An offer impression after validation and de-duplication.' : 'An offer impression as a publisher reports it.',
    {
      impressionId: id(
        'The publisher\'s unique id of this impression. With the envelope source it is the de-duplication key: an impression reported twice counts (and bills) once.',
        'imp-9a8b7c6d',
      ),
      customerId: CUSTOMER_ID(),
      campaignId: CAMPAIGN_ID,
      publisherId: PUBLISHER_ID,
      placement: string('Where in the publisher\'s surface the offer was shown, free text chosen by the publisher (e.g. "offers-list", "home-banner", "transaction-detail"). For reporting only.', {
        minLength: 1,
        maxLength: 64,
        examples: ['offers-list'],
      }),
      at: dateTime('When the offer was shown to the customer (rendered on screen, not when the feed was fetched). Starts the view-through attribution window.'),
      ...(canonical ? canonicalFields() : {}),
    },
    ['impressionId', 'customerId', 'campaignId', 'publisherId', 'at', ...(canonical ? CANONICAL_REQUIRED : [])],
  );
}

export const EXAMPLE_IMPRESSION: ImpressionFields = {
  impressionId: 'imp-9a8b7c6d',
  customerId: 'cust-5c1e9b2f',
  campaignId: 'cmp-01HQ4Z8K2M',
  publisherId: 'pub-bank-demo-se',
  placement: 'offers-list',
  at: '2025-03-13T08:15:00.000Z',
};

// --- click ---

export type ClickKind = 'click' | 'activation';

export interface ClickFields {
  readonly clickId: string;
  readonly customerId: string;
  readonly campaignId: string;
  readonly publisherId: string;
  readonly kind: ClickKind;
  readonly at: string;
}

export function clickSchema(canonical: boolean): JsonSchema {
  return object(
    canonical ? 'A click or offer activation after validation and de-duplication.' : 'A click or offer activation as a publisher reports it.',
    {
      clickId: id(
        'The unique id of this click or activation (for affiliate links: the click id Prestanda\'s redirect issued and that conversion postbacks carry back). De-duplication key together with the envelope source.',
        'clk-4e5f6a7b',
      ),
      customerId: CUSTOMER_ID(),
      campaignId: CAMPAIGN_ID,
      publisherId: PUBLISHER_ID,
      kind: enumOf(
        '"click": the customer opened the offer or followed a tracking link (starts the click attribution window; billable under CPC once per customer, campaign and 30 minutes). "activation": the customer activated a card-linked offer in the app, which campaigns with activation required need before the purchase.',
        ['click', 'activation'],
      ),
      at: dateTime('When the customer clicked or activated. The click window (default 30 days) counts from here.'),
      ...(canonical ? canonicalFields() : {}),
    },
    ['clickId', 'customerId', 'campaignId', 'publisherId', 'kind', 'at', ...(canonical ? CANONICAL_REQUIRED : [])],
  );
}

export const EXAMPLE_CLICK: ClickFields = {
  clickId: 'clk-4e5f6a7b',
  customerId: 'cust-5c1e9b2f',
  campaignId: 'cmp-01HQ4Z8K2M',
  publisherId: 'pub-bank-demo-se',
  kind: 'activation',
  at: '2025-03-13T08:16:10.000Z',
};

// --- lead ---

export interface LeadFields {
  readonly leadId: string;
  readonly campaignId: string;
  readonly publisherId: string;
  readonly clickId?: string;
  readonly customerId?: string;
  readonly at: string;
}

export function leadSchema(canonical: boolean): JsonSchema {
  return object(
    canonical ? 'A lead after validation; leads are de-duplicated on leadId.' : 'A lead as an advertiser or publisher reports it.',
    {
      leadId: id(
        "The advertiser's unique id of the lead (e.g. its sign-up or application id). Leads are de-duplicated on it: a lead reported twice is accepted and billed once.",
        'lead-20250314-0042',
      ),
      campaignId: CAMPAIGN_ID,
      publisherId: id('The publisher credited with the lead: the owner of the click id, or the affiliate reporting it.', 'pub-aff-sparkollen'),
      clickId: id('The click id from the tracking link that brought the visitor, when the lead came through one. Used to attribute and validate the lead.', 'clk-4e5f6a7b'),
      customerId: CUSTOMER_ID(' Optional: leads from anonymous web traffic have none.'),
      at: dateTime('When the lead was submitted on the advertiser\'s side.'),
      ...(canonical ? canonicalFields() : {}),
    },
    ['leadId', 'campaignId', 'publisherId', 'at', ...(canonical ? CANONICAL_REQUIRED : [])],
  );
}

export const EXAMPLE_LEAD: LeadFields = {
  leadId: 'lead-20250314-0042',
  campaignId: 'cmp-01HQ5B3N7P',
  publisherId: 'pub-aff-sparkollen',
  clickId: 'clk-4e5f6a7b',
  at: '2025-03-14T10:02:00.000Z',
};

export const EXAMPLE_CANONICAL: CanonicalTouchpointFields = {
  reportedBy: 'bank-demo-se',
  inboundEventId: '0b6f1d2a-4c3e-4f5a-9b8c-7d6e5f4a3b2c',
};
