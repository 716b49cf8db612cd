/**
 * Creates every Prestanda topic (and its dead-letter topic) with its partitions and config
 * (`campaigns` is log-compacted). Existing topics are left alone. PRESTANDA_PARTITIONS
 * overrides every topic's default partition count (benchmarks use it).
 */
import { DLQ_TOPIC_SPECS, TOPIC_SPECS } from '@prestanda/contracts';
import { createKafka, ensureTopics } from '@prestanda/kafka';

async function main(): Promise<void> {
  const override = process.env.PRESTANDA_PARTITIONS ? Number(process.env.PRESTANDA_PARTITIONS) : undefined;
  const specs = [...TOPIC_SPECS, ...DLQ_TOPIC_SPECS].map((s) => ({ name: s.name, partitions: override && s.kind !== 'dead-letter' ? override : s.partitions, config: { ...s.config } }));
  const created = await ensureTopics(createKafka('prestanda-topics'), specs, { replicationFactor: Number(process.env.KAFKA_REPLICATION_FACTOR ?? 1) });
  process.stdout.write(`[prestanda] topics: ${specs.length} in all, ${created.length} created\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
