/**
 * Creates every Prestanda topic (and its dead-letter topic) with its partitions and config
 * (`campaigns` is log-compacted), and each integration's own inbound topics named in
 * INGESTION_INTEGRATION_TOPICS (the variable ingestion reads). Existing topics are left alone. PRESTANDA_PARTITIONS
 * overrides every topic's default partition count (benchmarks use it).
 */
import { DLQ_TOPIC_SPECS, integrationTopicSpecs, TOPIC_SPECS } from '@prestanda/contracts';
import { createKafka, ensureTopics, physicalTopic } from '@prestanda/kafka';

async function main(): Promise<void> {
  const override = process.env.PRESTANDA_PARTITIONS ? Number(process.env.PRESTANDA_PARTITIONS) : undefined;
  const specs = [
    ...[...TOPIC_SPECS, ...DLQ_TOPIC_SPECS].map((s) => ({ name: s.name, partitions: override && s.kind !== 'dead-letter' ? override : s.partitions, config: { ...s.config } })),
    ...integrationTopicSpecs((process.env.INGESTION_INTEGRATION_TOPICS ?? '').split(',').filter(Boolean)).map((s) => ({
      name: s.name,
      partitions: override && !s.name.endsWith('.dlq') ? override : s.partitions,
      config: { ...s.config },
    })),
  ];
  const created = await ensureTopics(createKafka('prestanda-topics'), specs, { replicationFactor: Number(process.env.KAFKA_REPLICATION_FACTOR ?? 1) });
  process.stdout.write(`[prestanda] topics: ${specs.length} in all, ${created.length} created\n`);
  await warmUpGroupCoordinator();
}

/**
 * On a fresh cluster the first consumer group creates __consumer_offsets; until that is done
 * group coordinators are unavailable. Join and leave one group here so that services and tests
 * never meet a cluster that is half ready.
 */
async function warmUpGroupCoordinator(): Promise<void> {
  const kafka = createKafka('prestanda-warmup');
  const consumer = kafka.consumer({ groupId: 'prestanda.warmup', retry: { retries: 30, initialRetryTime: 300 } });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topics: [physicalTopic(TOPIC_SPECS[0].name)], fromBeginning: false });
  await consumer.run({ eachMessage: async () => undefined });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no group coordinator after 120 s')), 120000)));
  try {
    await Promise.race([joined, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
