import { INBOUND_TOPICS, integrationTopic } from '@prestanda/contracts';

/**
 * The Kafka ACLs of integrations that write their own inbound topics (docs/tenancy.md): each may
 * WRITE and DESCRIBE exactly its own four topics, as literal resources, and nothing else; the
 * ingestion service may READ them and WRITE their dead-letter topics. Printed as kafka-acls.sh
 * commands by tools/scripts/kafka-acls.ts; checked by integration-acls.spec.ts.
 */
export interface AclBinding {
  principal: string;
  permission: 'allow' | 'deny';
  operations: ('Write' | 'Describe' | 'Read')[];
  resourceType: 'topic';
  patternType: 'literal' | 'prefixed';
  name: string;
}

export interface AclOptions {
  /** KAFKA_TOPIC_PREFIX of the deployment. */
  topicPrefix?: string;
  /** Principal of an integration; `User:<id>` unless the brokers map principals otherwise. */
  principalOf?: (integrationId: string) => string;
  /** Principal of the ingestion service. */
  ingestionPrincipal?: string;
}

export function integrationAcls(ids: readonly string[], options: AclOptions = {}): AclBinding[] {
  const prefix = options.topicPrefix ?? '';
  const principalOf = options.principalOf ?? ((id: string) => `User:${id}`);
  const ingestion = options.ingestionPrincipal ?? 'User:prestanda-ingestion';
  return [...new Set(ids)].flatMap((id) =>
    INBOUND_TOPICS.flatMap((contract): AclBinding[] => {
      const name = `${prefix}${integrationTopic(id, contract)}`;
      return [
        { principal: principalOf(id), permission: 'allow', operations: ['Write', 'Describe'], resourceType: 'topic', patternType: 'literal', name },
        { principal: ingestion, permission: 'allow', operations: ['Read', 'Describe'], resourceType: 'topic', patternType: 'literal', name },
        { principal: ingestion, permission: 'allow', operations: ['Write', 'Describe'], resourceType: 'topic', patternType: 'literal', name: `${name}.dlq` },
      ];
    }),
  );
}

/** One `kafka-acls.sh --add` line per binding; `$BOOTSTRAP` and `$ADMIN` as in deploy/kafka-acls.md. */
export function kafkaAclsCommands(bindings: readonly AclBinding[]): string[] {
  return bindings.map((b) =>
    [
      'kafka-acls.sh --bootstrap-server "$BOOTSTRAP" $ADMIN --add',
      `--${b.permission}-principal '${b.principal}'`,
      ...b.operations.map((o) => `--operation ${o}`),
      `--resource-pattern-type ${b.patternType}`,
      `--topic '${b.name}'`,
    ].join(' '),
  );
}
