import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { EXAMPLE_IMPRESSION, impressionSchema, type ImpressionFields } from './touchpoint.shared';

/** `data` of `impression.reported` v1 on `inbound.impressions` (integration → Prestanda). */
export type InboundImpressionReportedV1Data = ImpressionFields;

export const InboundImpressionReportedV1: EventDescriptor<'impression.reported', 1, InboundImpressionReportedV1Data, 'inbound.impressions'> = {
  type: 'impression.reported',
  schemaVersion: 1,
  topic: Topic.InboundImpressions,
  schema: impressionSchema(false),
  summary: 'An integration reports a impression.',
  description: 'A publisher reports that an offer was shown to a customer. Starts the view-through window (default 1 day) for card-linked campaigns with automatic activation, and accrues CPM spend.',
  example: EXAMPLE_IMPRESSION,
};

export type InboundImpressionReportedV1Envelope = EnvelopeOf<typeof InboundImpressionReportedV1>;
