import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { EXAMPLE_CANONICAL, EXAMPLE_CLICK, clickSchema, type CanonicalTouchpointFields, type ClickFields } from './touchpoint.shared';

/** `data` of `click.recorded` v1 on `clicks` (ingestion → Prestanda services). */
export type ClickRecordedV1Data = ClickFields & CanonicalTouchpointFields;

export const ClickRecordedV1: EventDescriptor<'click.recorded', 1, ClickRecordedV1Data, 'clicks'> = {
  type: 'click.recorded',
  schemaVersion: 1,
  topic: Topic.Clicks,
  schema: clickSchema(true),
  summary: 'A validated, de-duplicated click.',
  description: 'A click or activation accepted by ingestion. attribution records it as a touchpoint; billing charges valid clicks of CPC campaigns (one per customer, campaign and 30 minutes).',
  example: { ...EXAMPLE_CLICK, ...EXAMPLE_CANONICAL, reportedBy: 'bank-demo-se' },
};

export type ClickRecordedV1Envelope = EnvelopeOf<typeof ClickRecordedV1>;
