import type { EnvelopeOf } from '../envelope';
import type { EventDescriptor } from '../descriptor';
import { Topic } from '../topics';
import { EXAMPLE_LEAD, leadSchema, type LeadFields } from './touchpoint.shared';

/** `data` of `lead.reported` v1 on `inbound.leads` (integration → Prestanda). */
export type InboundLeadReportedV1Data = LeadFields;

export const InboundLeadReportedV1: EventDescriptor<'lead.reported', 1, InboundLeadReportedV1Data, 'inbound.leads'> = {
  type: 'lead.reported',
  schemaVersion: 1,
  topic: Topic.InboundLeads,
  schema: leadSchema(false),
  summary: 'An integration reports a lead.',
  description: 'An advertiser or publisher reports a lead (sign-up, application, form) for a CPL campaign. Ingestion de-duplicates on leadId.',
  example: EXAMPLE_LEAD,
};

export type InboundLeadReportedV1Envelope = EnvelopeOf<typeof InboundLeadReportedV1>;
