import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { EXAMPLE_CANONICAL, EXAMPLE_IMPRESSION, impressionSchema, type CanonicalTouchpointFields, type ImpressionFields } from './touchpoint.shared';

/** `data` of `impression.recorded` v1 on `impressions` (ingestion → Prestanda services). */
export type ImpressionRecordedV1Data = ImpressionFields & CanonicalTouchpointFields;

export const ImpressionRecordedV1: EventDescriptor<'impression.recorded', 1, ImpressionRecordedV1Data, 'impressions'> = {
  type: 'impression.recorded',
  schemaVersion: 1,
  topic: Topic.Impressions,
  schema: impressionSchema(true),
  summary: 'A validated, de-duplicated impression.',
  description: 'An offer impression accepted by ingestion (valid, not a duplicate). attribution records it as a touchpoint; billing accrues CPM spend in micro-units.',
  example: { ...EXAMPLE_IMPRESSION, ...EXAMPLE_CANONICAL, reportedBy: 'bank-demo-se' },
};

export type ImpressionRecordedV1Envelope = EnvelopeOf<typeof ImpressionRecordedV1>;
