import { Kafka, ITopicConfig } from 'kafkajs';
import { physicalTopic } from './topic-names';

export interface TopicSpecLike {
  name: string;
  partitions: number;
  config?: Record<string, string>;
}

/**
 * Creates missing topics (and their dead-letter topics when asked) through the admin API;
 * existing topics are left as they are. Broker auto-creation stays off.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpecLike[], { replicationFactor = 1 } = {}): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing: ITopicConfig[] = specs
      .map((s) => ({ ...s, name: physicalTopic(s.name) }))
      .filter((s) => !existing.has(s.name))
      .map((s) => ({
        topic: s.name,
        numPartitions: s.partitions,
        replicationFactor,
        configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
      }));
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
    return missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(kafka: Kafka, names: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = names.filter((n) => existing.has(n));
    if (present.length) await admin.deleteTopics({ topics: present });
  } finally {
    await admin.disconnect();
  }
}
