import { INBOUND_TOPICS, integrationTopic } from '@prestanda/contracts';
import { integrationAcls, kafkaAclsCommands, type AclBinding } from './integration-acls';

/** Kafka's authorizer, as far as these bindings go: a DENY that matches wins, else an ALLOW must match. */
function allowed(acls: AclBinding[], principal: string, operation: AclBinding['operations'][number], topic: string): boolean {
  const matching = acls.filter((a) => a.principal === principal && a.operations.includes(operation) && (a.patternType === 'literal' ? a.name === topic : topic.startsWith(a.name)));
  return !matching.some((a) => a.permission === 'deny') && matching.some((a) => a.permission === 'allow');
}

describe('integration ACLs', () => {
  const acls = integrationAcls(['bank-a', 'bank-b'], { topicPrefix: 'prod.' });
  const own = (id: string) => INBOUND_TOPICS.map((t) => `prod.${integrationTopic(id, t)}`);

  it('lets each bank write its own four topics and no other bank’s', () => {
    for (const topic of own('bank-a')) expect(allowed(acls, 'User:bank-a', 'Write', topic)).toBe(true);
    for (const topic of own('bank-b')) expect(allowed(acls, 'User:bank-a', 'Write', topic)).toBe(false);
    for (const topic of own('bank-a')) expect(allowed(acls, 'User:bank-b', 'Write', topic)).toBe(false);
  });

  it('gives a bank nothing else: not the shared, canonical or dead-letter topics, no reads', () => {
    for (const topic of ['prod.inbound.card-transactions', 'prod.card-transactions', 'prod.rewards', `${own('bank-a')[0]}.dlq`]) expect(allowed(acls, 'User:bank-a', 'Write', topic)).toBe(false);
    for (const topic of own('bank-a')) expect(allowed(acls, 'User:bank-a', 'Read', topic)).toBe(false);
    expect(acls.every((a) => a.patternType === 'literal' && a.permission === 'allow')).toBe(true);
  });

  it('lets ingestion read every bank’s topics and dead-letter them', () => {
    for (const topic of [...own('bank-a'), ...own('bank-b')]) {
      expect(allowed(acls, 'User:prestanda-ingestion', 'Read', topic)).toBe(true);
      expect(allowed(acls, 'User:prestanda-ingestion', 'Write', `${topic}.dlq`)).toBe(true);
      expect(allowed(acls, 'User:prestanda-ingestion', 'Write', topic)).toBe(false);
    }
  });

  it('prints kafka-acls.sh commands with literal patterns', () => {
    const [first] = kafkaAclsCommands(acls);
    expect(first).toBe("kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" $ADMIN --add --allow-principal 'User:bank-a' --operation Write --operation Describe --resource-pattern-type literal --topic 'prod.inbound.bank-a.card-transactions'");
  });

  it('refuses an id that cannot name a topic', () => {
    expect(() => integrationAcls(['Bank A'])).toThrow(/cannot name a topic/);
  });
});
