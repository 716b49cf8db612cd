import type { AnyEventDescriptor } from './descriptor';
import { nameBasedUuid } from './event-ids';
import type { EventEnvelope } from './envelope';
import type { JsonSchema } from './json-schema';
import { EVENT_DESCRIPTORS } from './registry';
import { DLQ_TOPIC_SPECS, DlqHeader, TOPIC_SPECS, type TopicName } from './topics';
import { ENVELOPE_SCHEMA } from './validate';

/** Version of the published event catalogue (the AsyncAPI `info.version`). */
export const CONTRACTS_VERSION = '1.0.0';

const KAFKA_BINDING_VERSION = '0.5.0';

/** The AsyncAPI component id of a message: `reward.earned.v1`. */
export function messageId(d: Pick<AnyEventDescriptor, 'type' | 'schemaVersion'>): string {
  return `${d.type}.v${d.schemaVersion}`;
}

/** Which service produces the example envelope of a topic (for documentation only). */
const EXAMPLE_SOURCE: Record<TopicName, string> = {
  'inbound.card-transactions': 'bank-demo-se',
  'inbound.impressions': 'bank-demo-se',
  'inbound.clicks': 'bank-demo-se',
  'inbound.leads': 'aff-sparkollen',
  'card-transactions': 'ingestion',
  impressions: 'ingestion',
  clicks: 'ingestion',
  leads: 'ingestion',
  'offer-matches': 'offer-matching',
  'attribution-decisions': 'attribution',
  rewards: 'attribution',
  conversions: 'attribution',
  'budget-events': 'billing',
  payouts: 'billing',
  notifications: 'notification',
  campaigns: 'campaigns',
  integrations: 'campaigns',
};

function deterministicUuid(seed: string): string {
  return nameBasedUuid(seed, 'sha1');
}

/** A complete, valid example envelope for a descriptor (deterministic, for docs and tests). */
export function exampleEnvelope<D extends AnyEventDescriptor>(d: D): EventEnvelope<D['type'], D['example'], D['schemaVersion']> {
  return {
    eventId: deterministicUuid(messageId(d)),
    type: d.type,
    schemaVersion: d.schemaVersion,
    occurredAt: '2025-03-14T15:09:26.000Z',
    producedAt: '2025-03-14T15:09:27.250Z',
    source: d.type === 'reward.paid' ? 'billing' : EXAMPLE_SOURCE[d.topic],
    data: d.example,
  };
}

/** The envelope schema specialised for one event: fixed type and version, `data` = its schema. */
export function envelopeSchemaFor(d: AnyEventDescriptor): JsonSchema {
  const base = ENVELOPE_SCHEMA as { properties: Record<string, JsonSchema> } & JsonSchema;
  return {
    ...base,
    description: `${d.summary} (envelope of ${d.type} v${d.schemaVersion})`,
    properties: {
      ...base.properties,
      type: { ...base.properties.type, const: d.type },
      schemaVersion: { ...base.properties.schemaVersion, const: d.schemaVersion },
      data: d.schema,
    },
  };
}

const TRACE_HEADERS: JsonSchema = {
  type: 'object',
  description: 'Kafka headers. Trace context travels here, never in the body.',
  properties: {
    traceparent: {
      type: 'string',
      description: 'W3C Trace Context traceparent of the operation that produced the event, e.g. "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01". Optional for integrations; propagate it if you have one.',
    },
    tracestate: { type: 'string', description: 'W3C Trace Context tracestate, vendor-specific trace data accompanying traceparent.' },
  },
};

const DLQ_HEADERS_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'Headers added when a message is dead-lettered (UTF-8 strings). The original headers are kept too.',
  properties: {
    [DlqHeader.Reason]: { type: 'string', description: 'Why it failed, naming the field, e.g. "data.amount.amountMinor must be integer". Never contains payload values.' },
    [DlqHeader.Code]: {
      type: 'string',
      description: 'Failure class: malformed-json, invalid-envelope, unknown-type, unsupported-schema-version, invalid-payload, or a consumer-specific code for processing failures.',
    },
    [DlqHeader.Field]: { type: 'string', description: 'Dotted path of the offending field, when there is one, e.g. "data.merchant.descriptor".' },
    [DlqHeader.OriginalTopic]: { type: 'string', description: 'Topic the message was read from.' },
    [DlqHeader.OriginalPartition]: { type: 'string', description: 'Partition it was read from (decimal).' },
    [DlqHeader.OriginalOffset]: { type: 'string', description: 'Offset it was read at (decimal).' },
    [DlqHeader.FailedAt]: { type: 'string', description: 'When it was dead-lettered, ISO 8601 date-time.' },
    [DlqHeader.SourceService]: { type: 'string', description: 'The service (consumer) that dead-lettered it, e.g. "ingestion".' },
  },
};

const INFO_DESCRIPTION = `Every Kafka topic of Prestanda, the performance-marketing platform for card-linked cashback and affiliate programs, and every event on it.

* **Envelope.** Every message value is a UTF-8 JSON object: eventId (UUID), type, schemaVersion, occurredAt, producedAt, source, data. Nothing else is allowed at the top level.
* **Money.** Always {"amountMinor": <integer>, "currency": "<ISO 4217>"} in minor units, never floats.
* **Keys.** Customer id for customer-scoped topics, campaign id for campaigns (compacted), advertiser id for budget-events; see each channel.
* **Trace context.** W3C traceparent in Kafka headers, never in the body.
* **Integrations** (banks, publishers) produce only to the inbound.* topics; ingestion validates them and dead-letters anything invalid to <topic>.dlq with x-dlq-* headers.
* **Card numbers** (PANs) must never be sent anywhere in a message: such a message is refused.
* **Versioning.** Additive changes (a new optional field) keep the schemaVersion; a breaking change publishes a new version next to the old one and both are accepted during the migration.`;

function pascal(topic: string): string {
  return topic
    .split(/[.-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** Builds the AsyncAPI 3.0 document from TOPIC_SPECS and EVENT_DESCRIPTORS. */
export function buildAsyncApiDocument(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};

  for (const spec of TOPIC_SPECS) {
    const descriptors = EVENT_DESCRIPTORS.filter((d) => d.topic === spec.name);
    const channelMessages: Record<string, unknown> = {};
    for (const d of descriptors) {
      const id = messageId(d);
      channelMessages[id] = { $ref: `#/components/messages/${id}` };
      messages[id] = {
        name: d.type,
        title: `${d.type} v${d.schemaVersion}`,
        summary: d.summary,
        description: d.description,
        contentType: 'application/json',
        headers: TRACE_HEADERS,
        payload: envelopeSchemaFor(d),
        bindings: { kafka: { key: { type: 'string', description: spec.keyDescription }, bindingVersion: KAFKA_BINDING_VERSION } },
        examples: [{ name: 'example', summary: d.summary, payload: exampleEnvelope(d) }],
      };
    }
    const topicConfiguration: Record<string, unknown> = {};
    if (spec.config['cleanup.policy']) topicConfiguration['cleanup.policy'] = spec.config['cleanup.policy'].split(',');
    channels[spec.name] = {
      address: spec.name,
      title: spec.name,
      description: `${spec.description}\n\nMessage key: ${spec.keyDescription}\n\nProduced by: ${spec.producers.join(', ')}. Consumed by: ${spec.consumers.join(', ')}.`,
      messages: channelMessages,
      bindings: {
        kafka: {
          topic: spec.name,
          partitions: spec.partitions,
          ...(Object.keys(topicConfiguration).length ? { topicConfiguration } : {}),
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
    const refs = descriptors.map((d) => ({ $ref: `#/channels/${spec.name}/messages/${messageId(d)}` }));
    if (spec.kind === 'inbound') {
      operations[`receive${pascal(spec.name)}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${spec.name}` },
        title: `Receive ${spec.name}`,
        summary: `Integrations send to ${spec.name}; Prestanda (ingestion) receives.`,
        description: `Integrations (${spec.producers.join(', ')}) send these events; Prestanda's ingestion service receives, validates and de-duplicates them.`,
        messages: refs,
      };
    } else {
      operations[`send${pascal(spec.name)}`] = {
        action: 'send',
        channel: { $ref: `#/channels/${spec.name}` },
        title: `Send ${spec.name}`,
        summary: `Prestanda (${spec.producers.join(', ')}) sends to ${spec.name}.`,
        messages: refs,
      };
    }
  }

  messages.deadLetter = {
    name: 'dead-letter',
    title: 'Dead letter',
    summary: 'A message that could not be processed, kept byte for byte.',
    description: 'The original value and key, untouched (even when not valid JSON), with x-dlq-* headers that say why, where and when it failed. Inspected and replayed from the ops console.',
    headers: DLQ_HEADERS_SCHEMA,
    payload: { description: 'The original message value, unchanged. Usually an event envelope; possibly malformed.' },
  };
  for (const spec of DLQ_TOPIC_SPECS) {
    channels[spec.name] = {
      address: spec.name,
      title: spec.name,
      description: `${spec.description}\n\nMessage key: ${spec.keyDescription}`,
      messages: { deadLetter: { $ref: '#/components/messages/deadLetter' } },
      bindings: {
        kafka: {
          topic: spec.name,
          partitions: spec.partitions,
          topicConfiguration: { 'retention.ms': Number(spec.config['retention.ms']) },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
    operations[`send${pascal(spec.name)}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${spec.name}` },
      title: `Dead-letter ${spec.deadLetterOf}`,
      summary: `A consumer of ${spec.deadLetterOf} dead-letters a message it cannot process.`,
      messages: [{ $ref: `#/channels/${spec.name}/messages/deadLetter` }],
    };
  }

  return {
    asyncapi: '3.0.0',
    id: 'urn:prestanda:events',
    info: {
      title: 'Prestanda events',
      version: CONTRACTS_VERSION,
      description: INFO_DESCRIPTION,
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}

/** The document as committed in libs/contracts/asyncapi.json. */
export function renderAsyncApiDocument(): string {
  return `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`;
}
