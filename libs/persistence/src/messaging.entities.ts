import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

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

export const MESSAGING_ENTITIES = [InboxEntry, OutboxMessage];
