import { DLQ_TOPIC_SPECS, TOPIC_SPECS } from '@prestanda/contracts';
import { deleteTopics, ensureTopics, physicalTopic } from '@prestanda/kafka';
import { Kafka } from 'kafkajs';
import { uniqueSuffix } from './test-env';

/**
 * Gives the calling test file its own copy of every Prestanda topic (and dead-letter topic)
 * under a fresh KAFKA_TOPIC_PREFIX, so services started in the test see only its events.
 * Returns a cleanup that deletes them again.
 */
export async function useTopicNamespace(kafka: Kafka, partitions = 2): Promise<{ prefix: string; cleanup: () => Promise<void> }> {
  const prefix = `t${uniqueSuffix()}.`;
  process.env.KAFKA_TOPIC_PREFIX = prefix;
  const specs = [...TOPIC_SPECS, ...DLQ_TOPIC_SPECS].map((s) => ({ name: s.name, partitions: s.kind === 'dead-letter' ? 1 : partitions, config: { ...s.config } }));
  await ensureTopics(kafka, specs);
  return {
    prefix,
    cleanup: async () => {
      await deleteTopics(kafka, specs.map((s) => physicalTopic(s.name))).catch(() => undefined);
    },
  };
}
