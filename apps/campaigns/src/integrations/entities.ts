import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const INTEGRATION_KINDS = ['bank', 'rewards-app', 'publisher'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

/** Who may knock: a bank (or rewards app) sending card transactions, or a publisher reporting traffic. */
@Entity({ name: 'integrations' })
export class Integration {
  /** The integration id: the `source` of its events and the name of its own topics. */
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'text' }) kind: IntegrationKind;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) locale: string;
  /** The publisher its impressions, clicks and leads are reported for. */
  @Column({ name: 'publisher_id', type: 'text', nullable: true }) publisherId: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  /** When its integration.snapshot was last put in the outbox; NULL: not yet (registered before the registry published). */
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt?: Date | null;
}

/** An integration's API key, held by its SHA-256 only. */
@Entity({ name: 'api_keys' })
@Index('ix_api_keys_integration', ['integrationId'])
export class ApiKey {
  @PrimaryColumn({ name: 'key_id', type: 'uuid' }) keyId: string;
  @Column({ name: 'integration_id', type: 'text' }) integrationId: string;
  @Index('ux_api_keys_digest', { unique: true })
  @Column({ type: 'text' }) digest: string;
  @Column({ type: 'text' }) hint: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}
