import { DLQ_SUFFIX } from '@prestanda/contracts';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** Header names on every dead letter (documented in libs/contracts/README.md). */
export const DLQ_HEADERS = {
  reason: 'x-dlq-reason',
  code: 'x-dlq-code',
  field: 'x-dlq-field',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  failedAt: 'x-failed-at',
  service: 'x-dlq-source-service',
  attempts: 'x-attempts',
} as const;

export interface DeadLetterReason {
  code: string;
  reason: string;
  field?: string;
  attempts?: number;
}

/**
 * The dead letter keeps the original bytes and key untouched, unless `value` replaces them
 * (ingestion redacts card numbers before anything is written anywhere).
 */
export function deadLetterMessage(
  source: { topic: string; partition: number; message: KafkaMessage },
  why: DeadLetterReason,
  service: string,
  value?: Buffer | string | null,
): { topic: string; message: Message } {
  const headers: IHeaders = { ...(source.message.headers ?? {}) };
  headers[DLQ_HEADERS.reason] = why.reason;
  headers[DLQ_HEADERS.code] = why.code;
  if (why.field) headers[DLQ_HEADERS.field] = why.field;
  headers[DLQ_HEADERS.originalTopic] = source.topic;
  headers[DLQ_HEADERS.originalPartition] = String(source.partition);
  headers[DLQ_HEADERS.originalOffset] = source.message.offset;
  headers[DLQ_HEADERS.failedAt] = new Date().toISOString();
  headers[DLQ_HEADERS.service] = service;
  headers[DLQ_HEADERS.attempts] = String(why.attempts ?? 1);
  return {
    topic: `${source.topic}${DLQ_SUFFIX}`,
    message: { key: source.message.key, value: value === undefined ? source.message.value : value, headers },
  };
}
