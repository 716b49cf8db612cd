/**
 * Prints the kafka-acls.sh commands for integrations with their own inbound topics:
 *   node -r @swc-node/register tools/scripts/kafka-acls.ts bank-a bank-b
 * or, without arguments, the ids in INGESTION_INTEGRATION_TOPICS. KAFKA_TOPIC_PREFIX is applied.
 * See deploy/kafka-acls.md.
 */
import { integrationAcls, kafkaAclsCommands } from '../acls/integration-acls';

const ids = process.argv.length > 2 ? process.argv.slice(2) : (process.env.INGESTION_INTEGRATION_TOPICS ?? '').split(',').filter(Boolean);
if (ids.length === 0) {
  process.stderr.write('usage: kafka-acls.ts <integration-id>... (or set INGESTION_INTEGRATION_TOPICS)\n');
  process.exit(2);
}
process.stdout.write(`${kafkaAclsCommands(integrationAcls(ids, { topicPrefix: process.env.KAFKA_TOPIC_PREFIX ?? '' })).join('\n')}\n`);
