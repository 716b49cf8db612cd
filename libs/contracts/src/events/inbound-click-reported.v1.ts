import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { EXAMPLE_CLICK, clickSchema, type ClickFields } from './touchpoint.shared';

/** `data` of `click.reported` v1 on `inbound.clicks` (integration → Prestanda). */
export type InboundClickReportedV1Data = ClickFields;

export const InboundClickReportedV1: EventDescriptor<'click.reported', 1, InboundClickReportedV1Data, 'inbound.clicks'> = {
  type: 'click.reported',
  schemaVersion: 1,
  topic: Topic.InboundClicks,
  schema: clickSchema(false),
  summary: 'An integration reports a click.',
  description: 'A publisher reports a click on an offer or an offer activation (kind). Activation is what campaigns with activation required need before the purchase; clicks start the click window (default 30 days).',
  example: EXAMPLE_CLICK,
};

export type InboundClickReportedV1Envelope = EnvelopeOf<typeof InboundClickReportedV1>;
