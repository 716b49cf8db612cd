import type { DeadLetter, DeadLetterPosition, DeadLetterTopic } from './types';

/** `topic/partition/offset`: how the console server names a dead letter (its `x-replay-of` header too). */
export const positionLabel = (p: { topic: string; partition: number; offset?: string }): string => (p.offset === undefined ? `${p.topic}/${p.partition}` : `${p.topic}/${p.partition}/${p.offset}`);

/** The topic to open first: the first one holding dead letters, else the first. */
export function defaultTopic(topics: DeadLetterTopic[]): string | undefined {
  return (topics.find((t) => t.count > 0) ?? topics[0])?.topic;
}

/** The body pretty-printed when it is JSON, else as it is (it may be any bytes an integration sent). */
export function bodyText(body: string | null): string {
  if (body === null) return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** A replay request for the selected dead letters, in the page's order (newest first). */
export function replayItems(page: DeadLetter[], selected: ReadonlySet<string>): DeadLetterPosition[] {
  return page.filter((m) => selected.has(positionLabel(m))).map((m) => ({ topic: m.topic, partition: m.partition, offset: m.offset }));
}
