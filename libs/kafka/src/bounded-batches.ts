import { PRODUCER_MAX_REQUEST_BYTES } from '@prestanda/contracts';
import type { IHeaders, Message } from 'kafkajs';

// What a record costs on the wire besides its bytes (lengths, offsets, attributes): a generous flat figure.
const RECORD_OVERHEAD_BYTES = 64;

function lengthOf(value: Message['value'] | Message['key']): number {
  if (value === null || value === undefined) return 0;
  return Buffer.isBuffer(value) ? value.length : Buffer.byteLength(value, 'utf8');
}

function headersLength(headers: IHeaders | undefined): number {
  let n = 0;
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) n += Buffer.byteLength(name) + (v === undefined ? 0 : Buffer.isBuffer(v) ? v.length : Buffer.byteLength(String(v)));
  }
  return n;
}

/** Approximate bytes of one record on the wire. */
export function recordBytes(message: Message): number {
  return RECORD_OVERHEAD_BYTES + lengthOf(message.key) + lengthOf(message.value) + headersLength(message.headers);
}

/**
 * Splits `topicMessages` into sends of at most `maxBytes` each (a single larger record goes
 * alone), keeping every topic's messages in order. kafkajs has no request-size limit of its own,
 * and a send the broker refuses as too large would be retried unchanged for ever.
 */
export function boundedSends(
  topicMessages: { topic: string; messages: Message[] }[],
  maxBytes = PRODUCER_MAX_REQUEST_BYTES,
): { topic: string; messages: Message[] }[][] {
  const sends: { topic: string; messages: Message[] }[][] = [];
  let current = new Map<string, Message[]>();
  let size = 0;
  const flush = () => {
    if (current.size > 0) sends.push([...current].map(([topic, messages]) => ({ topic, messages })));
    current = new Map();
    size = 0;
  };
  for (const { topic, messages } of topicMessages) {
    for (const message of messages) {
      const bytes = recordBytes(message);
      if (size > 0 && size + bytes > maxBytes) flush();
      const list = current.get(topic) ?? [];
      if (list.length === 0) current.set(topic, list);
      list.push(message);
      size += bytes;
    }
  }
  flush();
  return sends;
}
