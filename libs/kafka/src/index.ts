export * from './kafka-config';
export * from './headers';
export * from './dead-letter';
export * from './inbox-consumer';
export * from './outbox-relay';
export * from './event-producer';
export * from './topic-admin';
export * from './topic-names';
