import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { EXAMPLE_CANONICAL, EXAMPLE_LEAD, leadSchema, type CanonicalTouchpointFields, type LeadFields } from './touchpoint.shared';

/** `data` of `lead.recorded` v1 on `leads` (ingestion → Prestanda services). */
export type LeadRecordedV1Data = LeadFields & CanonicalTouchpointFields;

export const LeadRecordedV1: EventDescriptor<'lead.recorded', 1, LeadRecordedV1Data, 'leads'> = {
  type: 'lead.recorded',
  schemaVersion: 1,
  topic: Topic.Leads,
  schema: leadSchema(true),
  summary: 'A validated, de-duplicated lead.',
  description: 'A lead accepted by ingestion (valid, first time its leadId was seen). attribution turns it into a CPL conversion.',
  example: { ...EXAMPLE_LEAD, ...EXAMPLE_CANONICAL, reportedBy: 'aff-sparkollen' },
};

export type LeadRecordedV1Envelope = EnvelopeOf<typeof LeadRecordedV1>;
