import type { Role } from '@prestanda/auth';
import { DLQ_SUFFIX, DlqHeader, redactPansInText } from '@prestanda/contracts';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/**
 * The pure part of the console's dead-letter screen: what a dead letter says (from its
 * `x-dlq-*` and `x-original-*` headers), which offsets a page covers, what a replay request
 * may ask for, and the message a replay produces. No Kafka client here; kafka-log.ts reads and
 * writes, dead-letter-routes.ts answers HTTP.
 */

/** Headers a replay adds, so the consumer's logs and a second dead letter say where it came from. */
export const ReplayHeader = {
  /** `<dead-letter topic>/<partition>/<offset>` of the dead letter replayed. */
  Of: 'x-replay-of',
  /** The replay's id; the audit topic's entries carry it too. */
  Id: 'x-replay-id',
  /** Who replayed it: the token's subject. */
  By: 'x-replayed-by',
  At: 'x-replayed-at',
} as const;

/** The audit topic (under KAFKA_TOPIC_PREFIX): one entry per replay step, kept forever. */
export const AUDIT_TOPIC = 'console.audit';
export const AUDIT_TOPIC_CONFIG: Record<string, string> = { 'retention.ms': '-1', 'cleanup.policy': 'delete' };

export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 200;
/** Dead letters one replay may name: a page's worth, so one confirmation never covers more than one screen. */
export const REPLAY_MAX_ITEMS = PAGE_MAX;

export interface FieldError {
  field: string;
  message: string;
}

export interface PartitionRange {
  partition: number;
  /** First offset still kept (inclusive). */
  low: string;
  /** The next offset to be written (exclusive end). */
  high: string;
}

export interface DeadLetterTopic {
  /** The dead-letter topic, without KAFKA_TOPIC_PREFIX: `inbound.card-transactions.dlq`. */
  topic: string;
  /** The topic its messages came from (the replay's destination). */
  sourceTopic: string;
  partitions: PartitionRange[];
  /** Messages kept (high − low summed over partitions). */
  count: number;
}

export interface Position {
  topic: string;
  partition: number;
  offset: string;
}

export interface DeadLetterView {
  topic: string;
  partition: number;
  offset: string;
  /** The broker's timestamp of the dead letter, ISO 8601. */
  timestamp: string;
  key: string | null;
  code: string | null;
  reason: string | null;
  field: string | null;
  /** The service (consumer) that dead-lettered it. */
  service: string | null;
  attempts: number | null;
  failedAt: string | null;
  /** Where it was read from when it failed (topic without prefix). */
  origin: Position | null;
  /** The value is only the first bytes of the original: it cannot be replayed from here. */
  truncated: boolean;
  originalSize: number | null;
  /** When this dead letter is itself a replay that failed again: which dead letter, by whom. */
  replay: { of: string; id: string | null; by: string | null; at: string | null } | null;
  /** The value as UTF-8 text, card numbers redacted (they already are: this is a second guard). */
  body: string | null;
  bodyBytes: number;
}

export interface ReplayResult {
  deadLetter: Position;
  to: Position;
}

export interface AuditEntry {
  id: string;
  replayId: string;
  action: 'dead-letter.replay.requested' | 'dead-letter.replay.completed' | 'dead-letter.replay.failed';
  at: string;
  actor: { subject: string; roles: Role[] };
  /** The dead letters and where each goes (its offset there once it is written). */
  items: { deadLetter: Position; to: { topic: string; partition: number; offset?: string } }[];
  /** For a failed replay: why, and how many were written before it stopped. */
  error?: string;
  written?: number;
}

export function headerText(headers: IHeaders | undefined, name: string): string | null {
  const value = headers?.[name];
  if (value === undefined) return null;
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  if (last === undefined) return null;
  return Buffer.isBuffer(last) ? last.toString('utf8') : String(last);
}

export function withoutPrefix(topic: string, prefix: string): string {
  return prefix && topic.startsWith(prefix) ? topic.slice(prefix.length) : topic;
}

/** The dead-letter topics among a cluster's topics: `<prefix>….dlq`, returned without the prefix, sorted. */
export function deadLetterTopicNames(all: string[], prefix: string): string[] {
  return all
    .filter((t) => t.startsWith(prefix) && t.endsWith(DLQ_SUFFIX) && t.length > prefix.length + DLQ_SUFFIX.length)
    .map((t) => withoutPrefix(t, prefix))
    .sort();
}

export function sourceTopicOf(dlqTopic: string): string {
  return dlqTopic.slice(0, -DLQ_SUFFIX.length);
}

export function topicSummary(topic: string, partitions: PartitionRange[]): DeadLetterTopic {
  const sorted = [...partitions].sort((a, b) => a.partition - b.partition);
  const count = sorted.reduce((n, p) => n + Math.max(0, Number(BigInt(p.high) - BigInt(p.low))), 0);
  return { topic, sourceTopic: sourceTopicOf(topic), partitions: sorted, count };
}

function intOrNull(text: string | null): number | null {
  if (text === null || !/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

/** What the console shows of one dead letter. */
export function deadLetterView(topic: string, partition: number, message: KafkaMessage, prefix: string): DeadLetterView {
  const h = message.headers;
  const originTopic = headerText(h, DlqHeader.OriginalTopic);
  const originPartition = intOrNull(headerText(h, DlqHeader.OriginalPartition));
  const originOffset = headerText(h, DlqHeader.OriginalOffset);
  const replayOf = headerText(h, ReplayHeader.Of);
  const value = message.value;
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: new Date(Number(message.timestamp)).toISOString(),
    key: message.key ? redactPansInText(message.key.toString('utf8')) : null,
    code: headerText(h, DlqHeader.Code),
    reason: headerText(h, DlqHeader.Reason),
    field: headerText(h, DlqHeader.Field),
    service: headerText(h, DlqHeader.SourceService),
    attempts: intOrNull(headerText(h, DlqHeader.Attempts)),
    failedAt: headerText(h, DlqHeader.FailedAt),
    origin: originTopic && originPartition !== null && originOffset && /^\d+$/.test(originOffset) ? { topic: withoutPrefix(originTopic, prefix), partition: originPartition, offset: originOffset } : null,
    truncated: headerText(h, DlqHeader.Truncated) === 'true',
    originalSize: intOrNull(headerText(h, DlqHeader.OriginalSize)),
    replay: replayOf ? { of: replayOf, id: headerText(h, ReplayHeader.Id), by: headerText(h, ReplayHeader.By), at: headerText(h, ReplayHeader.At) } : null,
    body: value ? redactPansInText(value.toString('utf8')) : null,
    bodyBytes: value ? value.length : 0,
  };
}

export interface PageQuery {
  partition: number;
  /** Exclusive end: the page holds offsets below it (default: the partition's end). */
  before?: bigint;
  limit: number;
}

/** `?partition=&before=&limit=` of a messages page; field errors name the parameter. */
export function parsePageQuery(params: URLSearchParams): { query: PageQuery } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const partitionText = params.get('partition') ?? '0';
  const limitText = params.get('limit') ?? String(PAGE_DEFAULT);
  const beforeText = params.get('before');
  if (!/^\d{1,9}$/.test(partitionText)) errors.push({ field: 'partition', message: 'partition must be a partition number (0 or more)' });
  if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > PAGE_MAX) errors.push({ field: 'limit', message: `limit must be an integer from 1 to ${PAGE_MAX}` });
  if (beforeText !== null && !/^\d{1,19}$/.test(beforeText)) errors.push({ field: 'before', message: 'before must be an offset (a non-negative integer)' });
  if (errors.length) return { errors };
  return { query: { partition: Number(partitionText), limit: Number(limitText), ...(beforeText !== null ? { before: BigInt(beforeText) } : {}) } };
}

/**
 * The offsets a page covers, newest first: the `limit` offsets below `before` (or the end), not
 * below the partition's first kept offset. `nextBefore` is where the next (older) page ends, or
 * null when this page reaches the oldest dead letter kept.
 */
export function pageRange(range: PartitionRange, query: PageQuery): { from: bigint; to: bigint; nextBefore: string | null } {
  const low = BigInt(range.low);
  const high = BigInt(range.high);
  let to = query.before === undefined || query.before > high ? high : query.before;
  if (to < low) to = low;
  const from = to - BigInt(query.limit) < low ? low : to - BigInt(query.limit);
  return { from, to, nextBefore: from > low ? from.toString() : null };
}

/** One dead letter named by a replay request. */
export interface ReplayItem {
  topic: string;
  partition: number;
  offset: bigint;
}

/** `{ items: [{ topic, partition, offset }] }`: its shape only; whether each exists is checked against the broker. */
export function parseReplayRequest(body: unknown): { items: ReplayItem[] } | { errors: FieldError[] } {
  const items = (typeof body === 'object' && body !== null ? (body as { items?: unknown }).items : undefined) as unknown;
  if (!Array.isArray(items) || items.length === 0) return { errors: [{ field: 'items', message: 'items must be a non-empty array of { topic, partition, offset }' }] };
  if (items.length > REPLAY_MAX_ITEMS) return { errors: [{ field: 'items', message: `at most ${REPLAY_MAX_ITEMS} dead letters in one replay` }] };
  const errors: FieldError[] = [];
  const out: ReplayItem[] = [];
  const seen = new Set<string>();
  items.forEach((raw: unknown, i) => {
    const item = (typeof raw === 'object' && raw !== null ? raw : {}) as { topic?: unknown; partition?: unknown; offset?: unknown };
    const at = `items[${i}]`;
    const topicOk = typeof item.topic === 'string' && item.topic.endsWith(DLQ_SUFFIX) && /^[A-Za-z0-9._-]{1,249}$/.test(item.topic);
    if (!topicOk) errors.push({ field: `${at}.topic`, message: 'topic must be a dead-letter topic (….dlq)' });
    const partitionOk = typeof item.partition === 'number' && Number.isInteger(item.partition) && item.partition >= 0;
    if (!partitionOk) errors.push({ field: `${at}.partition`, message: 'partition must be a partition number (0 or more)' });
    const offsetText = typeof item.offset === 'number' && Number.isSafeInteger(item.offset) ? String(item.offset) : item.offset;
    const offsetOk = typeof offsetText === 'string' && /^\d{1,19}$/.test(offsetText);
    if (!offsetOk) errors.push({ field: `${at}.offset`, message: 'offset must be an offset (a non-negative integer, as a string or a number)' });
    if (!topicOk || !partitionOk || !offsetOk) return;
    const parsed = { topic: item.topic as string, partition: item.partition as number, offset: BigInt(offsetText) };
    const id = positionId(parsed);
    if (seen.has(id)) errors.push({ field: at, message: `${id} is named twice` });
    seen.add(id);
    out.push(parsed);
  });
  return errors.length ? { errors } : { items: out };
}

export function positionId(p: { topic: string; partition: number; offset: bigint | string }): string {
  return `${p.topic}/${p.partition}/${p.offset.toString()}`;
}

/** Each item against the dead-letter topics as they are now: a topic that is not one, a partition or an offset that is not kept. */
export function checkReplayItems(items: ReplayItem[], topics: DeadLetterTopic[]): FieldError[] {
  const errors: FieldError[] = [];
  items.forEach((item, i) => {
    const at = `items[${i}]`;
    const topic = topics.find((t) => t.topic === item.topic);
    if (!topic) return void errors.push({ field: `${at}.topic`, message: `no dead-letter topic ${item.topic}` });
    const range = topic.partitions.find((p) => p.partition === item.partition);
    if (!range) return void errors.push({ field: `${at}.partition`, message: `${item.topic} has no partition ${item.partition}` });
    if (item.offset < BigInt(range.low) || item.offset >= BigInt(range.high)) {
      errors.push({ field: `${at}.offset`, message: `${item.topic}/${item.partition} keeps offsets ${range.low} to ${BigInt(range.high) - 1n}; ${item.offset} is not one of them` });
    }
  });
  return errors;
}

/**
 * Why a dead letter cannot be replayed as it is, or undefined. A truncated value is not the
 * original; an origin other than the topic the dead-letter topic belongs to would send the
 * message somewhere it never came from (a header is data, not an instruction).
 */
export function replayRefusal(view: DeadLetterView): string | undefined {
  if (!view.origin) return 'it has no x-original-topic/partition/offset headers, so where it came from is unknown';
  if (view.origin.topic !== sourceTopicOf(view.topic)) return `its x-original-topic is ${view.origin.topic}, not ${sourceTopicOf(view.topic)}`;
  if (view.truncated) return `its value was truncated (${view.originalSize ?? '?'} bytes originally); replay the original from ${view.origin.topic}/${view.origin.partition}/${view.origin.offset}`;
  return undefined;
}

const DEAD_LETTER_ONLY_HEADERS = new Set<string>([DlqHeader.FailedAt, DlqHeader.Attempts, DlqHeader.Truncated, DlqHeader.OriginalSize, DlqHeader.OriginalSha256, DlqHeader.OriginalHeadersDropped, ...Object.values(ReplayHeader)]);

/**
 * The message a replay writes: the dead letter's key and value as they are, its original headers
 * (trace context and the like) without the dead-letter ones, and the replay headers.
 */
export function replayHeaders(headers: IHeaders | undefined, replay: { of: string; id: string; by: string; at: string }): IHeaders {
  const out: IHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || name.startsWith('x-dlq-') || name.startsWith('x-original-') || DEAD_LETTER_ONLY_HEADERS.has(name)) continue;
    out[name] = value;
  }
  out[ReplayHeader.Of] = replay.of;
  out[ReplayHeader.Id] = replay.id;
  out[ReplayHeader.By] = replay.by;
  out[ReplayHeader.At] = replay.at;
  return out;
}

export type Access = 'read' | 'replay';

/** Ops read dead letters (they may hold customers' ids); only an ops admin replays. */
export function allowed(roles: readonly Role[], access: Access): boolean {
  return access === 'read' ? roles.some((r) => r === 'ops-admin' || r === 'ops-viewer') : roles.includes('ops-admin');
}
