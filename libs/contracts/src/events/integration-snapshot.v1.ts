import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { dateTime, enumOf, id, object, string } from '../json-schema';
import { Topic } from '../topics';

/** `data` of `integration.snapshot` v1 on `integrations`. */
export interface IntegrationSnapshotV1Data {
  readonly integrationId: string;
  readonly kind: 'bank' | 'rewards-app' | 'publisher';
  readonly name: string;
  readonly locale: 'sv' | 'en';
  /** The publisher its impressions, clicks and leads are reported for; absent: it reports no traffic. */
  readonly publisherId?: string;
  readonly updatedAt: string;
}

export const IntegrationSnapshotV1: EventDescriptor<'integration.snapshot', 1, IntegrationSnapshotV1Data, 'integrations'> = {
  type: 'integration.snapshot',
  schemaVersion: 1,
  topic: Topic.Integrations,
  schema: object(
    'One registered integration, as the registry holds it (API keys are never published).',
    {
      integrationId: string('The integration id: the `source` of its events and the name of its own topics inbound.<id>.*.', {
        pattern: '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$',
        examples: ['bank-nord-se'],
      }),
      kind: enumOf('"bank" or "rewards-app" (sends card transactions, shows offers), "publisher" (reports traffic).', ['bank', 'rewards-app', 'publisher']),
      name: string('Display name.', { minLength: 1, maxLength: 200, examples: ['Nordbanken Sverige'] }),
      locale: enumOf('Language of its customers and messages.', ['sv', 'en']),
      publisherId: id(
        "The publisher its impressions, clicks and leads are reported for. On the integration's own Kafka topics, traffic naming another publisher is refused (publisher-mismatch); without one the integration reports no traffic.",
        'pub-bank-nord-se',
      ),
      updatedAt: dateTime('When this registration was saved.'),
    },
    ['integrationId', 'kind', 'name', 'locale', 'updatedAt'],
  ),
  summary: 'An integration was registered or changed.',
  description: "Produced by campaigns (the registry). ingestion creates and reads the integration's own inbound topics and binds its traffic to its publisher.",
  example: { integrationId: 'bank-nord-se', kind: 'bank', name: 'Nordbanken Sverige', locale: 'sv', publisherId: 'pub-bank-nord-se', updatedAt: '2025-03-14T15:09:26.535Z' },
};

export type IntegrationSnapshotV1Envelope = EnvelopeOf<typeof IntegrationSnapshotV1>;
