/**
 * Physical topic names. KAFKA_TOPIC_PREFIX (default empty) namespaces every topic, so that
 * several environments can share one cluster and each integration test gets topics of its
 * own. Code names topics by contract (`rewards`); only this function adds the prefix.
 */
export function topicPrefix(env: NodeJS.ProcessEnv = process.env): string {
  return env.KAFKA_TOPIC_PREFIX ?? '';
}

export function physicalTopic(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const prefix = topicPrefix(env);
  return prefix && !name.startsWith(prefix) ? `${prefix}${name}` : name;
}
