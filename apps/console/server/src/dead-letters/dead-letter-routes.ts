import { randomUUID } from 'node:crypto';
import type { TokenVerifier, UserPrincipal } from '@prestanda/auth';
import type { KafkaMessage } from 'kafkajs';
import {
  allowed,
  type Access,
  type AuditEntry,
  checkReplayItems,
  deadLetterView,
  type FieldError,
  PAGE_DEFAULT,
  PAGE_MAX,
  pageRange,
  parsePageQuery,
  parseReplayRequest,
  positionId,
  replayHeaders,
  replayRefusal,
  type ReplayItem,
  type ReplayResult,
} from './dead-letters';
import type { KafkaLog } from './kafka-log';

export interface HttpAnswer {
  status: number;
  body: unknown;
}

const badRequest = (fields: FieldError[]): HttpAnswer => ({
  status: 400,
  body: { statusCode: 400, error: 'Bad Request', message: fields.map((f) => `${f.field}: ${f.message}`), fields },
});
const error = (status: number, name: string, message: string): HttpAnswer => ({ status, body: { statusCode: status, error: name, message } });

/**
 * The console server's own API for dead letters (`/api/dead-letters/…`): read every `*.dlq`
 * topic, replay dead letters to the topic they came from, and the audit of replays. Unlike the
 * pass-through, it checks the caller's token itself (with the services' own TokenVerifier),
 * because no service owns these topics: ops read, only an ops admin replays. It adds no rule
 * about the messages: whether a replayed message is valid now is its consumer's decision.
 * Bodies are never logged.
 */
export class DeadLetterRoutes {
  constructor(
    private readonly log: KafkaLog,
    private readonly verifier: TokenVerifier,
    private readonly logger: Pick<Console, 'log' | 'error'> = console,
  ) {}

  /** Answers a `/api/dead-letters…` request, or undefined when the path is not one of its routes. */
  async handle(method: string, url: URL, authorization: string | undefined, readBody: () => Promise<unknown>): Promise<HttpAnswer | undefined> {
    const path = url.pathname;
    const route =
      path === '/api/dead-letters/topics' ? ({ name: 'topics', access: 'read', method: 'GET' } as const)
      : path === '/api/dead-letters/audit' ? ({ name: 'audit', access: 'read', method: 'GET' } as const)
      : path === '/api/dead-letters/replays' ? ({ name: 'replay', access: 'replay', method: 'POST' } as const)
      : /^\/api\/dead-letters\/topics\/[^/]+\/messages$/.test(path) ? ({ name: 'messages', access: 'read', method: 'GET' } as const)
      : undefined;
    if (!route) return path === '/api/dead-letters' || path.startsWith('/api/dead-letters/') ? error(404, 'Not Found', 'no such route') : undefined;
    if (method !== route.method) return error(405, 'Method Not Allowed', `${route.method} only`);
    const who = await this.authenticate(authorization, route.access);
    if ('status' in who) return who;
    try {
      if (route.name === 'topics') return { status: 200, body: { topics: await this.log.deadLetterTopics() } };
      if (route.name === 'audit') return await this.audit(url.searchParams);
      if (route.name === 'messages') {
        let topic: string;
        try {
          topic = decodeURIComponent(path.split('/')[4]);
        } catch {
          return badRequest([{ field: 'topic', message: 'malformed topic name' }]);
        }
        return await this.messages(topic, url.searchParams);
      }
      let body: unknown;
      try {
        body = await readBody();
      } catch {
        return badRequest([{ field: 'body', message: 'must be JSON, at most 64 KiB' }]);
      }
      return await this.replay(who, body);
    } catch (e) {
      this.logger.error(`console: dead letters ${route.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      return error(503, 'Service Unavailable', 'Kafka did not answer; try again');
    }
  }

  private async authenticate(authorization: string | undefined, access: Access): Promise<UserPrincipal | HttpAnswer> {
    if (!this.verifier.configured) return error(503, 'Service Unavailable', 'the console server has no token verification configured (AUTH_JWKS_URL or AUTH_JWT_SECRET)');
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return error(401, 'Unauthorized', 'a bearer token is required');
    let principal: UserPrincipal;
    try {
      principal = await this.verifier.verifyBearer(token);
    } catch {
      return error(401, 'Unauthorized', 'the token is not valid');
    }
    if (!allowed(principal.roles, access)) return error(403, 'Forbidden', access === 'replay' ? 'only an ops admin may replay dead letters' : 'only ops may read dead letters');
    return principal;
  }

  private async messages(topic: string, params: URLSearchParams): Promise<HttpAnswer> {
    const parsed = parsePageQuery(params);
    if ('errors' in parsed) return badRequest(parsed.errors);
    const known = await this.log.deadLetterTopic(topic);
    if (!known) return badRequest([{ field: 'topic', message: `no dead-letter topic ${topic}` }]);
    const range = known.partitions.find((p) => p.partition === parsed.query.partition);
    if (!range) return badRequest([{ field: 'partition', message: `${topic} has no partition ${parsed.query.partition}` }]);
    const page = pageRange(range, parsed.query);
    const messages = await this.log.read(topic, range.partition, page.from, page.to);
    return {
      status: 200,
      body: { topic, partition: range.partition, low: range.low, high: range.high, messages: messages.map((m) => deadLetterView(topic, range.partition, m, this.log.prefix)).reverse(), nextBefore: page.nextBefore },
    };
  }

  private async audit(params: URLSearchParams): Promise<HttpAnswer> {
    const limitText = params.get('limit') ?? String(PAGE_DEFAULT);
    const beforeText = params.get('before');
    const fields: FieldError[] = [];
    if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > PAGE_MAX) fields.push({ field: 'limit', message: `limit must be an integer from 1 to ${PAGE_MAX}` });
    if (beforeText !== null && !/^\d{1,19}$/.test(beforeText)) fields.push({ field: 'before', message: 'before must be an offset (a non-negative integer)' });
    if (fields.length) return badRequest(fields);
    return { status: 200, body: await this.log.auditEntries(Number(limitText), beforeText === null ? undefined : BigInt(beforeText)) };
  }

  /** The dead letters named, read from the broker: one range read per partition. */
  private async fetch(items: ReplayItem[]): Promise<Map<string, KafkaMessage>> {
    const byPartition = new Map<string, ReplayItem[]>();
    for (const item of items) byPartition.set(`${item.topic}/${item.partition}`, [...(byPartition.get(`${item.topic}/${item.partition}`) ?? []), item]);
    const found = new Map<string, KafkaMessage>();
    for (const group of byPartition.values()) {
      const offsets = group.map((i) => i.offset);
      const from = offsets.reduce((a, b) => (a < b ? a : b));
      const to = offsets.reduce((a, b) => (a > b ? a : b)) + 1n;
      const wanted = new Set(offsets.map(String));
      for (const m of await this.log.read(group[0].topic, group[0].partition, from, to)) {
        if (wanted.has(m.offset)) found.set(positionId({ topic: group[0].topic, partition: group[0].partition, offset: m.offset }), m);
      }
    }
    return found;
  }

  private async replay(who: UserPrincipal, body: unknown): Promise<HttpAnswer> {
    const parsed = parseReplayRequest(body);
    if ('errors' in parsed) return badRequest(parsed.errors);
    const missing = checkReplayItems(parsed.items, await this.log.deadLetterTopics());
    if (missing.length) return badRequest(missing);
    const messages = await this.fetch(parsed.items);
    const planned: { item: ReplayItem; message: KafkaMessage; to: { topic: string; partition: number } }[] = [];
    const refusals: FieldError[] = [];
    parsed.items.forEach((item, i) => {
      const message = messages.get(positionId(item));
      if (!message) return void refusals.push({ field: `items[${i}].offset`, message: `no message at ${positionId(item)} (a gap in the log)` });
      const view = deadLetterView(item.topic, item.partition, message, this.log.prefix);
      const refusal = replayRefusal(view);
      if (refusal || !view.origin) return void refusals.push({ field: `items[${i}]`, message: `${positionId(item)} cannot be replayed: ${refusal}` });
      planned.push({ item, message, to: { topic: view.origin.topic, partition: view.origin.partition } });
    });
    if (refusals.length) {
      // 400 for a position with nothing at it, 409 for a dead letter that exists but cannot go back as it is.
      const status = refusals.some((r) => r.field.endsWith('.offset')) ? 400 : 409;
      return { status, body: { statusCode: status, error: status === 400 ? 'Bad Request' : 'Conflict', message: refusals.map((f) => `${f.field}: ${f.message}`), fields: refusals } };
    }

    const replayId = randomUUID();
    const actor = { subject: who.subject, roles: who.roles };
    const items = planned.map((p) => ({ deadLetter: { topic: p.item.topic, partition: p.item.partition, offset: p.item.offset.toString() }, to: p.to }));
    const entry = (action: AuditEntry['action'], extra: Partial<AuditEntry> = {}): AuditEntry => ({ id: randomUUID(), replayId, action, at: new Date().toISOString(), actor, items, ...extra });
    // Audited before anything is written: a replay that could not be audited does not happen.
    await this.log.audit(entry('dead-letter.replay.requested'));
    const at = new Date().toISOString();
    const results: ReplayResult[] = [];
    try {
      for (const p of planned) {
        const headers = replayHeaders(p.message.headers, { of: positionId(p.item), id: replayId, by: who.subject, at });
        const offset = await this.log.write(p.to.topic, p.to.partition, { key: p.message.key ?? null, value: p.message.value ?? null, headers });
        results.push({ deadLetter: { topic: p.item.topic, partition: p.item.partition, offset: p.item.offset.toString() }, to: { ...p.to, offset } });
      }
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      await this.log.audit(entry('dead-letter.replay.failed', { items: items.map((it, i) => ({ ...it, to: results[i]?.to ?? it.to })), error: why, written: results.length })).catch(() => undefined);
      this.logger.error(`console: replay ${replayId} by ${who.subject} stopped after ${results.length} of ${planned.length}: ${why}`);
      return { status: 503, body: { statusCode: 503, error: 'Service Unavailable', message: `the replay stopped after ${results.length} of ${planned.length}: Kafka did not take the rest`, replayId, results } };
    }
    await this.log.audit(entry('dead-letter.replay.completed', { items: results })).catch((e: unknown) => {
      // The requested entry is written; only the offsets are missing from the audit.
      this.logger.error(`console: replay ${replayId} done, its completion not audited: ${e instanceof Error ? e.message : String(e)}`);
    });
    this.logger.log(`console: replay ${replayId} by ${who.subject}: ${results.map((r) => `${positionId(r.deadLetter)} -> ${positionId(r.to)}`).join(', ')}`);
    return { status: 200, body: { replayId, replayedBy: who.subject, replayedAt: at, results } };
  }
}
