import { ConflictException, Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { IntegrationSnapshotV1, newEnvelope, Topic } from '@prestanda/contracts';
import { enqueueEvents, type OutboxItem } from '@prestanda/persistence';
import { fieldError, MessagingRuntime } from '@prestanda/service-kit';
import { randomUUID } from 'node:crypto';
import { expiryAfterRotation, keyDigest, keyHint, keyValidAt, newApiKey } from './api-keys';
import type { CreateApiKeyDto, CreateIntegrationDto } from './dto';
import type { ApiKey, Integration, IntegrationKind } from './entities';
import { IntegrationsRepository } from './integrations.repository';

export interface KeyView {
  keyId: string;
  hint: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  active: boolean;
}

export interface IntegrationView {
  id: string;
  kind: IntegrationKind;
  name: string;
  locale: string;
  publisherId: string | null;
  createdAt: string;
  keys: KeyView[];
}

/** Who an API key speaks for, as the other services' auth asks (GET /v1/api-keys/self). */
export interface KeyIdentity {
  integrationId: string;
  kind: IntegrationKind;
  publisherId: string | null;
  keyId: string;
  expiresAt: string | null;
}

const DEFAULT_OVERLAP_MINUTES = 1440;

/** An integration's registration as the integrations topic carries it (never its keys). */
function snapshotItem(i: Integration, now: Date): OutboxItem {
  const data = { integrationId: i.id, kind: i.kind, name: i.name, locale: i.locale === 'en' ? ('en' as const) : ('sv' as const), ...(i.publisherId ? { publisherId: i.publisherId } : {}), updatedAt: now.toISOString() };
  return { topic: Topic.Integrations, key: i.id, event: newEnvelope(IntegrationSnapshotV1, { source: 'campaigns', occurredAt: now, data }) };
}

/** The integration registry: integrations and their API keys (stored as SHA-256 only). */
@Injectable()
export class IntegrationsService implements OnModuleInit {
  constructor(
    private readonly repo: IntegrationsRepository,
    private readonly moduleRef: ModuleRef,
  ) {}

  private get messaging(): MessagingRuntime {
    return this.moduleRef.get(MessagingRuntime, { strict: false });
  }

  /** Integrations registered before the registry published them (older versions) are published once at start. */
  onModuleInit(): void {
    this.messaging.onDatabaseReady(() => this.publishUnpublished().then(() => undefined));
  }

  /**
   * Registers an integration and, in the same transaction, publishes its integration.snapshot:
   * ingestion then creates and reads its own inbound topics (inbound.<id>.*) and binds its traffic
   * to its publisher.
   */
  async create(dto: CreateIntegrationDto, now = new Date()): Promise<IntegrationView> {
    const row: Integration = { id: dto.id, kind: dto.kind, name: dto.name, locale: dto.locale ?? 'sv', publisherId: dto.publisherId ?? null, createdAt: now };
    const inserted = await this.repo.transaction(async (m) => {
      if (!(await this.repo.insertIntegration(row, m))) return false;
      await enqueueEvents(m, [snapshotItem(row, now)]);
      await this.repo.markPublished(m, [row.id], now);
      return true;
    });
    if (!inserted) throw new ConflictException(`integration ${dto.id} already exists`);
    this.messaging.nudgeRelay();
    return view(row, [], now);
  }

  async publishUnpublished(now = new Date()): Promise<number> {
    return this.repo.transaction(async (m) => {
      const rows = await this.repo.unpublished(m);
      if (rows.length === 0) return 0;
      await enqueueEvents(m, rows.map((r) => snapshotItem(r, now)));
      await this.repo.markPublished(m, rows.map((r) => r.id), now);
      return rows.length;
    });
  }

  async list(now = new Date()): Promise<IntegrationView[]> {
    const all = await this.repo.integrations();
    const keys = await this.repo.keysOf(all.map((i) => i.id));
    return all.map((i) => view(i, keys.filter((k) => k.integrationId === i.id), now));
  }

  async get(id: string, now = new Date()): Promise<IntegrationView> {
    const integration = await this.repo.integration(id);
    if (!integration) throw new NotFoundException(`integration ${id} not found`);
    return view(integration, await this.repo.keysOf([id]), now);
  }

  /**
   * A new key, returned in clear this once. With `replacesKeyId` it is a rotation: the old key
   * keeps working for the overlap (default a day), so the integration can switch without a gap.
   */
  async createKey(id: string, dto: CreateApiKeyDto, now = new Date()): Promise<KeyView & { apiKey: string; replaced?: KeyView }> {
    const apiKey = newApiKey();
    return this.repo.transaction(async (m) => {
      if (!(await this.repo.integration(id, m))) throw new NotFoundException(`integration ${id} not found`);
      let replaced: ApiKey | undefined;
      if (dto.replacesKeyId) {
        const old = await this.repo.keyForUpdate(m, id, dto.replacesKeyId);
        if (!old) throw fieldError('replacesKeyId', `is not a key of integration ${id}`);
        old.expiresAt = expiryAfterRotation(old.expiresAt, now, dto.overlapMinutes ?? DEFAULT_OVERLAP_MINUTES);
        await this.repo.setKeyEnd(m, old.keyId, { expiresAt: old.expiresAt });
        replaced = old;
      }
      const key: ApiKey = { keyId: randomUUID(), integrationId: id, digest: keyDigest(apiKey), hint: keyHint(apiKey), createdAt: now, expiresAt: null, revokedAt: null };
      await this.repo.insertKey(m, key);
      return { apiKey, ...keyView(key, now), ...(replaced ? { replaced: keyView(replaced, now) } : {}) };
    });
  }

  async revokeKey(id: string, keyId: string, now = new Date()): Promise<void> {
    await this.repo.transaction(async (m) => {
      const key = await this.repo.keyForUpdate(m, id, keyId);
      if (!key) throw new NotFoundException(`integration ${id} has no key ${keyId}`);
      if (!key.revokedAt) await this.repo.setKeyEnd(m, keyId, { revokedAt: now });
    });
  }

  /** The identity behind a presented key, or null when it is unknown, revoked or expired. */
  async identify(apiKey: string, now = new Date()): Promise<KeyIdentity | null> {
    const found = await this.repo.byDigest(keyDigest(apiKey));
    if (!found || !keyValidAt(found.key, now)) return null;
    return {
      integrationId: found.integration.id,
      kind: found.integration.kind,
      publisherId: found.integration.publisherId,
      keyId: found.key.keyId,
      expiresAt: found.key.expiresAt?.toISOString() ?? null,
    };
  }
}

function keyView(k: ApiKey, now: Date): KeyView {
  return {
    keyId: k.keyId,
    hint: k.hint,
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    active: keyValidAt(k, now),
  };
}

function view(i: Integration, keys: ApiKey[], now: Date): IntegrationView {
  return { id: i.id, kind: i.kind, name: i.name, locale: i.locale, publisherId: i.publisherId, createdAt: i.createdAt.toISOString(), keys: keys.map((k) => keyView(k, now)) };
}
