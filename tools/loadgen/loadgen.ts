/**
 * The Prestanda load generator: a realistic synthetic bank feed produced to the inbound.*
 * topics of any deployment (KAFKA_BROKERS, SASL/TLS and KAFKA_TOPIC_PREFIX as for the services).
 *
 *   node -r @swc-node/register tools/loadgen/loadgen.ts --count 10000 --rate 500 --seed 7
 *   node -r @swc-node/register tools/loadgen/loadgen.ts --world synthetic --campaigns 10000 --count 100000
 *
 * --world topic (default) learns advertisers, merchants and campaigns from the `campaigns` topic;
 * --world synthetic first publishes a synthetic world of --advertisers / --campaigns there.
 * --rate is purchases per second (0 = as fast as possible); stop after --count purchases or
 * --duration seconds. --off-network is the share of purchases at merchants no campaign covers
 * (default 0.2). The same --seed gives the same feed.
 */
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { CampaignSnapshotV1, CampaignSnapshotV1Data, newEnvelope } from '@prestanda/contracts';
import { createKafka, EventProducer, physicalTopic } from '@prestanda/kafka';
import { Kafka } from 'kafkajs';
import { TrafficGenerator, Produced } from './traffic';
import { syntheticWorld, World, worldFromSnapshots } from './world';

export interface LoadgenOptions {
  rate: number;
  /** Stop after this many purchases… */
  count?: number;
  /** …or once this many card transactions (authorizations, settlements, refunds, reversals) were produced. */
  cardTransactions?: number;
  durationSeconds?: number;
  seed: number;
  customers: number;
  /** Share of purchases at merchants no campaign covers (default 0.2; a real bank feed is mostly such). */
  offNetworkShare?: number;
  world: 'topic' | 'synthetic';
  advertisers: number;
  campaigns: number;
  bankSource: string;
  bankPublisher: string;
  quiet: boolean;
  /** Use this world as it is (already published) instead of building or reading one. */
  worldData?: World;
  /** Called with each batch right after it was acknowledged (benchmarks time from here). */
  onSent?: (events: Produced[], sentAt: number) => void;
}

/** Reads the compacted campaigns topic up to its current end. */
export async function readCampaigns(kafka: Kafka): Promise<CampaignSnapshotV1Data[]> {
  const topic = physicalTopic('campaigns');
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(ends.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]));
  const out: CampaignSnapshotV1Data[] = [];
  if (remaining.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `loadgen-${process.pid}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (message.value) out.push((JSON.parse(message.value.toString()) as { data: CampaignSnapshotV1Data }).data);
        if (BigInt(message.offset) + 1n >= (remaining.get(partition) ?? 0n)) remaining.delete(partition);
        if (remaining.size === 0) resolve();
      },
    });
  });
  await consumer.disconnect();
  return out;
}

export async function publishWorld(producer: EventProducer, world: World): Promise<void> {
  for (let i = 0; i < world.campaigns.length; i += 500) {
    await producer.send(
      'campaigns',
      world.campaigns.slice(i, i + 500).map((data) => ({ key: data.campaignId, event: newEnvelope(CampaignSnapshotV1, { source: 'loadgen', occurredAt: data.updatedAt, data }) })),
    );
  }
}

/** `[loadgen] [#######-------------]  35 %  3,500/10,000 purchases · 6,480 card transactions · 412/s`, by count or by time. */
export function progressLine(purchases: number, total: number, cards: number, cardTotal: number, elapsedMs: number, durationSeconds?: number): string {
  const share = Number.isFinite(total) ? purchases / total : Number.isFinite(cardTotal) ? cards / cardTotal : durationSeconds ? elapsedMs / 1000 / durationSeconds : NaN;
  const n = (x: number) => x.toLocaleString('en-US');
  const rate = purchases / Math.max(0.001, elapsedMs / 1000);
  const of = Number.isFinite(total) ? `/${n(total)}` : '';
  const bar = Number.isFinite(share) ? `[${'#'.repeat(Math.round(Math.min(1, share) * 20)).padEnd(20, '-')}] ${String(Math.floor(Math.min(1, share) * 100)).padStart(3)} %  ` : '';
  return `[loadgen] ${bar}${n(purchases)}${of} purchases · ${n(cards)} card transactions · ${n(Math.round(rate))}/s`;
}

export async function runLoad(options: LoadgenOptions): Promise<{ counts: TrafficGenerator['counts']; seconds: number; world: World }> {
  const kafka = createKafka('prestanda-loadgen');
  const producer = new EventProducer(kafka);
  await producer.connect();
  let world: World;
  if (options.worldData) {
    world = options.worldData;
  } else if (options.world === 'synthetic') {
    world = syntheticWorld(options.seed, options.advertisers, options.campaigns, options.bankPublisher);
    await publishWorld(producer, world);
  } else {
    world = worldFromSnapshots(await readCampaigns(kafka));
  }
  if (!options.quiet) process.stderr.write(`[loadgen] world: ${world.campaigns.length} campaigns, ${world.merchants.length} merchant locations\n`);
  const traffic = new TrafficGenerator(world, { seed: options.seed, customers: options.customers, bankSource: options.bankSource, bankPublisher: options.bankPublisher, offNetworkShare: options.offNetworkShare });
  const started = Date.now();
  const deadline = options.durationSeconds ? started + options.durationSeconds * 1000 : Infinity;
  const total = options.count ?? Infinity;
  let lastReport = started;
  let stopped = false;
  process.once('SIGINT', () => (stopped = true));
  const cardTransactions = () => traffic.counts.authorizations + traffic.counts.settlements + traffic.counts.refunds + traffic.counts.reversals;
  const cardTotal = options.cardTransactions ?? Infinity;
  while (!stopped && traffic.counts.purchases < total && cardTransactions() < cardTotal && Date.now() < deadline) {
    // Purchases due by now at the requested rate (0: a full batch each round).
    const elapsed = (Date.now() - started) / 1000;
    const due = options.rate > 0 ? Math.floor(elapsed * options.rate) - traffic.counts.purchases : 500;
    if (due <= 0) {
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    const batch: Produced[] = [];
    for (let i = 0; i < Math.min(due, 500, total - traffic.counts.purchases) && cardTransactions() < cardTotal; i++) batch.push(...traffic.nextPurchase());
    for (const topic of ['inbound.impressions', 'inbound.clicks', 'inbound.card-transactions'] as const) {
      const items = batch.filter((p) => p.topic === topic).map((p) => ({ key: p.key, event: p.event }));
      await producer.send(topic, items as never);
    }
    options.onSent?.(batch, Date.now());
    const tty = process.stderr.isTTY;
    if (!options.quiet && Date.now() - lastReport > (tty ? 250 : 2000)) {
      lastReport = Date.now();
      const line = progressLine(traffic.counts.purchases, total, cardTransactions(), cardTotal, Date.now() - started, options.durationSeconds);
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    }
  }
  if (!options.quiet && process.stderr.isTTY) process.stderr.write(`\r${progressLine(traffic.counts.purchases, total, cardTransactions(), cardTotal, Date.now() - started, options.durationSeconds)}\n`);
  await producer.disconnect();
  return { counts: traffic.counts, seconds: (Date.now() - started) / 1000, world };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '0' },
      count: { type: 'string' },
      duration: { type: 'string' },
      seed: { type: 'string', default: '1' },
      customers: { type: 'string', default: '5000' },
      'off-network': { type: 'string', default: '0.2' },
      world: { type: 'string', default: 'topic' },
      advertisers: { type: 'string', default: '50' },
      campaigns: { type: 'string', default: '200' },
      'bank-source': { type: 'string', default: 'bank-demo-se' },
      'bank-publisher': { type: 'string', default: 'pub-bank-demo-se' },
      'summary-file': { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (!values.count && !values.duration) throw new Error('give --count N or --duration SECONDS');
  if (values.world !== 'topic' && values.world !== 'synthetic') throw new Error('--world must be topic or synthetic');
  const result = await runLoad({
    rate: Number(values.rate),
    count: values.count ? Number(values.count) : undefined,
    durationSeconds: values.duration ? Number(values.duration) : undefined,
    seed: Number(values.seed),
    customers: Number(values.customers),
    offNetworkShare: Number(values['off-network']),
    world: values.world,
    advertisers: Number(values.advertisers),
    campaigns: Number(values.campaigns),
    bankSource: values['bank-source']!,
    bankPublisher: values['bank-publisher']!,
    quiet: values.quiet!,
  });
  const summary = { ...result.counts, seconds: result.seconds, purchasesPerSecond: Math.round(result.counts.purchases / result.seconds) };
  if (values['summary-file']) writeFileSync(values['summary-file'], JSON.stringify(summary, null, 2));
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`loadgen: ${(error as Error).message}`);
    process.exit(1);
  });
}
