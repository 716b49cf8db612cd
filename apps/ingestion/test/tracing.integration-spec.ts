import { InboundLeadReportedV1, newEnvelope } from '@prestanda/contracts';
import { physicalTopic } from '@prestanda/kafka';
import { ChildService, dropSchema, eventually, TEST_BANK_API_KEY, TEST_BANK_SOURCE, testDatabaseUrl, testKafka, TopicReader, uniqueSuffix, useTopicNamespace } from '@prestanda/testing';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const body = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });

const SERVER = 2;
const PRODUCER = 4;

interface ExportedSpan {
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: unknown;
}

/** The spans of one OTLP/HTTP JSON export request (the format @opentelemetry/exporter-trace-otlp-http sends). */
function otlpSpans(request: Buffer): ExportedSpan[] {
  const parsed = JSON.parse(request.toString('utf8')) as { resourceSpans: { scopeSpans: { scope: { name: string }; spans: Omit<ExportedSpan, 'scope'>[] }[] }[] };
  return parsed.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => ({ ...span, scope: s.scope.name }))));
}

/**
 * The real ingestion process with tracing on, exporting to a stand-in OTLP collector: an event
 * posted over HTTP continues the caller's trace through the outbox into Kafka, http/pg/kafka
 * spans are recorded, and the spans still batched are exported on SIGTERM.
 */
describe('ingestion traces an HTTP event into Kafka and flushes its spans on SIGTERM (real process, broker and database)', () => {
  const kafka = testKafka();
  const run = uniqueSuffix();
  const exports: Buffer[] = [];
  let collector: Server;
  let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
  let child: ChildService | undefined;
  let reader: TopicReader | undefined;

  beforeAll(async () => {
    collector = createServer(async (req, res) => {
      if (req.method === 'POST' && req.url === '/v1/traces') exports.push(await body(req));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    ns = await useTopicNamespace(kafka);
    await dropSchema('ingestion');
  });
  afterAll(async () => {
    await child?.kill('SIGKILL');
    await reader?.stop();
    await ns?.cleanup();
    await new Promise((resolve) => collector.close(resolve));
  });

  it('one trace from the request to the published event; http, pg and publish spans exported at shutdown; Nest logs JSON', async () => {
    const [httpPort, healthPort] = [await freePort(), await freePort()];
    child = ChildService.start('apps/ingestion/src/main.ts', {
      HTTP_PORT: String(httpPort),
      HEALTH_PORT: String(healthPort),
      DATABASE_URL: testDatabaseUrl(),
      KAFKA_TOPIC_PREFIX: ns.prefix,
      KAFKA_GROUP_SUFFIX: `.${run}`,
      // Debug: Nest's own bootstrap lines (its `log` level) are written too, to prove they are JSON.
      LOG_LEVEL: 'debug',
      OTEL_SDK_DISABLED: 'false',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
      // Nothing is exported on a timer during the test: what arrives, the shutdown flushed.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    });
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${healthPort}/health/ready`)).status).toBe(200), { timeoutMs: 90000, intervalMs: 250 }).catch((e) => {
      throw new Error(`${e}\n${child!.tail()}`);
    });
    // Ready on the health port comes before the API port listens (the app listens after bootstrap).
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${httpPort}/docs-json`)).status).toBe(200), { timeoutMs: 30000, intervalMs: 200 });
    reader = await TopicReader.start(kafka, [physicalTopic('leads')]);

    const traceId = 'a3ce929d0e0e47364bf92f3577b34da6';
    const callerSpan = '00f067aa0ba902b7';
    const lead = newEnvelope(InboundLeadReportedV1, { source: TEST_BANK_SOURCE, occurredAt: new Date(), data: { leadId: `lead-${run}`, campaignId: 'cmp-trace', publisherId: 'pub-bank-test', at: new Date().toISOString() } });
    const response = await fetch(`http://127.0.0.1:${httpPort}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_BANK_API_KEY, traceparent: `00-${traceId}-${callerSpan}-01` },
      body: JSON.stringify([lead]),
    });
    expect(response.status).toBe(202);

    const [published] = await eventually(() => {
      const found = reader!.of(physicalTopic('leads')).filter((m) => m.json<{ data: { leadId: string } }>().data.leadId === lead.data.leadId);
      expect(found).toHaveLength(1);
      return found;
    });
    // Same trace as the caller's request; the parent is ingestion's publish span, not the caller's.
    const [, tid, parent, flags] = published.headers.traceparent.split('-');
    expect({ tid, flags }).toEqual({ tid: traceId, flags: '01' });
    expect(parent).toMatch(/^[0-9a-f]{16}$/);
    expect(parent).not.toBe(callerSpan);
    expect(exports).toHaveLength(0);

    await expect(child.kill('SIGTERM')).resolves.toBe(0);
    const spans = exports.flatMap(otlpSpans);
    const inTrace = spans.filter((sp) => sp.traceId === traceId);
    const ids = new Set(inTrace.map((sp) => sp.spanId));
    const server = inTrace.find((sp) => sp.scope === '@opentelemetry/instrumentation-http' && sp.kind === SERVER);
    expect(server?.parentSpanId).toBe(callerSpan);
    expect(server?.name).toBe('POST /v1/leads'); // named by route (HttpRouteInterceptor)
    expect(inTrace.some((sp) => sp.scope === '@opentelemetry/instrumentation-pg')).toBe(true);
    expect(inTrace.some((sp) => sp.scope === '@opentelemetry/instrumentation-nestjs-core' && sp.name === 'GateController.leads')).toBe(true);
    const publish = inTrace.find((sp) => sp.spanId === parent);
    expect(publish).toMatchObject({ scope: 'prestanda', kind: PRODUCER, name: `${physicalTopic('leads')} publish` });
    expect(ids.has(publish!.parentSpanId!)).toBe(true);
    // Nest's own lines went through pino as JSON, none in Nest's text format.
    const lines = child.output.join('').split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => /\[Nest\] \d+/.test(l))).toEqual([]);
    const json = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { context?: string; service?: string });
    expect(json.some((l) => l.context === 'RouterExplorer' && l.service === 'ingestion')).toBe(true);
    // Probes and scrapes on the health port are not traced.
    expect(spans.filter((sp) => JSON.stringify(sp.attributes).includes('/health/'))).toEqual([]);
  });
});
