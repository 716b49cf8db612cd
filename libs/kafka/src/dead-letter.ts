import {
  DEAD_LETTER_MAX_ORIGINAL_HEADERS,
  DEAD_LETTER_REASON_MAX_CHARS,
  DEAD_LETTER_VALUE_MAX_BYTES,
  DLQ_SUFFIX,
  DlqHeader,
  HEADER_VALUE_MAX_BYTES,
  containsPan,
  redactPansInText,
} from '@prestanda/contracts';
import { createHash } from 'node:crypto';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** Header names on every dead letter (documented in libs/contracts/README.md). */
export const DLQ_HEADERS = {
  reason: DlqHeader.Reason,
  code: DlqHeader.Code,
  field: DlqHeader.Field,
  originalTopic: DlqHeader.OriginalTopic,
  originalPartition: DlqHeader.OriginalPartition,
  originalOffset: DlqHeader.OriginalOffset,
  failedAt: DlqHeader.FailedAt,
  service: DlqHeader.SourceService,
  attempts: DlqHeader.Attempts,
  truncated: DlqHeader.Truncated,
  originalSize: DlqHeader.OriginalSize,
  originalSha256: DlqHeader.OriginalSha256,
  originalHeadersDropped: DlqHeader.OriginalHeadersDropped,
} as const;

export interface DeadLetterReason {
  code: string;
  reason: string;
  field?: string;
  attempts?: number;
}

/** Cuts a UTF-8 buffer to at most `max` bytes without splitting a character. */
export function cutUtf8(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  let end = max;
  // Step back over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

/**
 * Reasons and field names are ours, but a handler's message may carry text from the event:
 * cap it and replace control characters, so a dead letter's headers stay short and printable.
 */
export function sanitizeReason(text: string, max = DEAD_LETTER_REASON_MAX_CHARS): string {
  // eslint-disable-next-line no-control-regex
  const printable = redactPansInText(text).replace(/[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/g, '?');
  return printable.length <= max ? printable : `${printable.slice(0, max - 1)}…`;
}

/** The bytes with any card number in their UTF-8 text redacted; untouched (same buffer) when there is none. */
function redactPanBytes(bytes: Buffer): Buffer {
  const text = bytes.toString('utf8');
  return containsPan(text) ? Buffer.from(redactPansInText(text), 'utf8') : bytes;
}

function toBuffer(value: Buffer | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null;
  return Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
}

/** The original headers, at most DEAD_LETTER_MAX_ORIGINAL_HEADERS of them, each value capped. */
function originalHeaders(headers: IHeaders | undefined): { kept: IHeaders; dropped: number } {
  const kept: IHeaders = {};
  const entries = Object.entries(headers ?? {}).filter(([name]) => !name.startsWith('x-dlq-') && !name.startsWith('x-original-'));
  for (const [name, value] of entries.slice(0, DEAD_LETTER_MAX_ORIGINAL_HEADERS)) {
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last === undefined) continue;
    // A card number in a header name or value (an integrator's mistake) is redacted, like the value's.
    const safeName = redactPansInText(cutUtf8(Buffer.from(name, 'utf8'), 128).toString('utf8'));
    kept[safeName] = redactPanBytes(cutUtf8(toBuffer(last)!, HEADER_VALUE_MAX_BYTES));
  }
  return { kept, dropped: Math.max(0, entries.length - DEAD_LETTER_MAX_ORIGINAL_HEADERS) };
}

/**
 * The dead letter of a message: its key and value (or `value` instead: ingestion redacts card
 * numbers before anything is written anywhere), with headers that say why, where and when.
 * Whatever arrived, the dead letter fits its topic: a value over DEAD_LETTER_VALUE_MAX_BYTES is
 * truncated and the headers give its full size, its SHA-256 and where the original still lies.
 */
export function deadLetterMessage(
  source: { topic: string; partition: number; message: KafkaMessage },
  why: DeadLetterReason,
  service: string,
  value?: Buffer | string | null,
): { topic: string; message: Message } {
  const { kept, dropped } = originalHeaders(source.message.headers);
  const headers: IHeaders = { ...kept };
  headers[DLQ_HEADERS.reason] = sanitizeReason(why.reason);
  headers[DLQ_HEADERS.code] = sanitizeReason(why.code, 64);
  if (why.field) headers[DLQ_HEADERS.field] = sanitizeReason(why.field, 200);
  headers[DLQ_HEADERS.originalTopic] = source.topic;
  headers[DLQ_HEADERS.originalPartition] = String(source.partition);
  headers[DLQ_HEADERS.originalOffset] = source.message.offset;
  headers[DLQ_HEADERS.failedAt] = new Date().toISOString();
  headers[DLQ_HEADERS.service] = service;
  headers[DLQ_HEADERS.attempts] = String(why.attempts ?? 1);
  if (dropped > 0) headers[DLQ_HEADERS.originalHeadersDropped] = String(dropped);
  const full = value === undefined ? toBuffer(source.message.value) : toBuffer(value);
  let stored = full;
  if (full && full.length > DEAD_LETTER_VALUE_MAX_BYTES) {
    stored = cutUtf8(full, DEAD_LETTER_VALUE_MAX_BYTES);
    headers[DLQ_HEADERS.truncated] = 'true';
    headers[DLQ_HEADERS.originalSize] = String(full.length);
    headers[DLQ_HEADERS.originalSha256] = createHash('sha256').update(full).digest('hex');
  }
  const key = source.message.key ? redactPanBytes(cutUtf8(source.message.key, HEADER_VALUE_MAX_BYTES)) : source.message.key;
  return { topic: `${source.topic}${DLQ_SUFFIX}`, message: { key, value: stored, headers } };
}
