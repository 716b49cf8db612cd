import { createTestTopics, eventually, testKafka, uniqueSuffix } from '@prestanda/testing';
import { Partitioners } from 'kafkajs';

/**
 * kafkajs has had no release since 2023; this proves the requests we depend on still work
 * against the pinned broker: createTopics, produce with acks=-1, consume in a group, commit.
 */
describe('kafkajs against the pinned broker', () => {
  it('creates a topic, produces with acks=-1, consumes in a group and commits', async () => {
    const kafka = testKafka();
    const topic = `test.smoke.${uniqueSuffix()}`;
    const groupId = `smoke-${uniqueSuffix()}`;
    await createTestTopics(kafka, [topic], 3);

    const admin = kafka.admin();
    await admin.connect();
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions).toHaveLength(3);

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const sent = await producer.send({ topic, acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 7}`, value: `v${i}` })) });
    expect(sent.every((r) => r.errorCode === 0)).toBe(true);

    const seen: string[] = [];
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic: t, partition, message }) => {
        seen.push(message.value!.toString());
        await consumer.commitOffsets([{ topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
    await eventually(() => expect(seen.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`).sort()), { timeoutMs: 60000 });
    await consumer.disconnect();

    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const total = committed[0].partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(total).toBe(30);
    await producer.disconnect();
    await admin.disconnect();
  });
});
