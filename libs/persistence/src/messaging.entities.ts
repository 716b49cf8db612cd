import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * Inbox: one row per (consumer group, event id) already applied. Written in the same
 * transaction as the handler's effect, so a redelivered event finds its row and is skipped.
 * The table lives in the owning service's schema (the data source's default schema).
 */
@Entity({ name: 'inbox' })
export class InboxEntry {
  @PrimaryColumn({ name: 'consumer_group', type: 'text' })
  consumerGroup: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ type: 'text' })
  topic: string;

  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' })
  processedAt: Date;
}

/**
 * Outbox: events a service must publish, written in the same transaction as the change that
 * caused them; the relay publishes them in id order and deletes them once Kafka acknowledged.
 */
@Entity({ name: 'outbox' })
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  topic: string;

  @Column({ name: 'message_key', type: 'text', nullable: true })
  key: string | null;

  @Column({ type: 'jsonb' })
  payload: object;

  @Column({ type: 'jsonb' })
  headers: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * A message its consumer stepped over because its dead letter could not be written; holds that
 * dead letter until it is re-driven to the dead-letter topic (see CreateStuckMessages).
 */
@Entity({ name: 'stuck_messages' })
@Unique('UQ_stuck_messages_position', ['consumerGroup', 'topic', 'partition', 'offset'])
@Index('IDX_stuck_messages_pending', ['id'], { where: '"redriven_at" IS NULL' })
export class StuckMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'consumer_group', type: 'text' })
  consumerGroup: string;

  @Column({ type: 'text' })
  topic: string;

  @Column({ type: 'integer' })
  partition: number;

  @Column({ type: 'bigint' })
  offset: string;

  @Column({ name: 'dead_letter_topic', type: 'text' })
  deadLetterTopic: string;

  @Column({ name: 'message_key', type: 'bytea', nullable: true })
  key: Buffer | null;

  @Column({ name: 'message_value', type: 'bytea', nullable: true })
  value: Buffer | null;

  @Column({ type: 'jsonb' })
  headers: Record<string, string>;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'last_error', type: 'text' })
  lastError: string;

  @CreateDateColumn({ name: 'stuck_at', type: 'timestamptz' })
  stuckAt: Date;

  @Column({ name: 'redriven_at', type: 'timestamptz', nullable: true })
  redrivenAt: Date | null;
}

export const MESSAGING_ENTITIES = [InboxEntry, OutboxMessage, StuckMessage];
