import type { JsonSchema } from './json-schema';
import type { TopicName } from './topics';

/**
 * Everything there is to know about one event type at one schema version. One file per
 * event version under `events/` exports one of these; the registry, the validator and the
 * AsyncAPI generator are all driven by them.
 */
export interface EventDescriptor<
  TType extends string = string,
  TVersion extends number = number,
  TData = unknown,
  TTopic extends TopicName = TopicName,
> {
  /** The envelope `type`, e.g. `reward.earned`. */
  readonly type: TType;
  readonly schemaVersion: TVersion;
  /** The topic this event is published on. An event type lives on exactly one topic. */
  readonly topic: TTopic;
  /** JSON Schema of `data`. */
  readonly schema: JsonSchema;
  /** One line for listings. */
  readonly summary: string;
  /** What happened, who produces it, when, and what consumers should do with it. */
  readonly description: string;
  /** A realistic `data` payload. Validated by the unit tests and shown in AsyncAPI. */
  readonly example: TData;
}

export type AnyEventDescriptor = EventDescriptor<string, number, any, TopicName>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type DataOf<D> = D extends EventDescriptor<string, number, infer TData, TopicName> ? TData : never;
