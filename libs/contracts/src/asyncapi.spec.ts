import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsyncApiDocument, messageId, renderAsyncApiDocument } from './asyncapi';
import { EVENT_DESCRIPTORS } from './registry';
import { DLQ_TOPIC_SPECS, TOPIC_NAMES } from './topics';

const COMMITTED = join(__dirname, '..', 'asyncapi.json');

describe('AsyncAPI document', () => {
  it('parses with @asyncapi/parser without error-level diagnostics', async () => {
    const parser = new Parser();
    const { document, diagnostics } = await parser.parse(renderAsyncApiDocument());
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.channels().length).toBe(TOPIC_NAMES.length + DLQ_TOPIC_SPECS.length);
  }, 15_000);

  it('is committed in step with the code (run libs/contracts/scripts/generate-asyncapi.ts)', () => {
    expect(readFileSync(COMMITTED, 'utf8') === renderAsyncApiDocument()).toBe(true);
  });

  it('has a channel per topic and dead-letter topic, and every event descriptor as a message', () => {
    const doc = buildAsyncApiDocument() as { channels: Record<string, { messages: Record<string, unknown> }>; operations: Record<string, { action: string }>; components: { messages: Record<string, unknown> } };
    for (const topic of TOPIC_NAMES) expect(doc.channels[topic]).toBeDefined();
    for (const dlq of DLQ_TOPIC_SPECS) expect(doc.channels[dlq.name]).toBeDefined();
    for (const d of EVENT_DESCRIPTORS) {
      expect(doc.components.messages[messageId(d)]).toBeDefined();
      expect(doc.channels[d.topic].messages[messageId(d)]).toEqual({ $ref: `#/components/messages/${messageId(d)}` });
    }
    expect(doc.operations.receiveInboundCardTransactions.action).toBe('receive');
    expect(doc.operations.sendRewards.action).toBe('send');
  });
});
