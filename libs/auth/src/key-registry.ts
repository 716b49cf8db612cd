import type { IntegrationPrincipal } from './principal';
import { apiKeyDigest } from './api-key-digest';

export interface KeyRegistryOptions {
  /** Base URL of the campaigns service, which holds the registry (e.g. http://campaigns:3001). */
  url: string;
  /** How long an answer is trusted: a revoked key stops working within this (default 30 s). */
  ttlMs?: number;
  /** How long "unknown key" is remembered, so that a stream of bad keys does not reach the registry each time (default 5 s). */
  negativeTtlMs?: number;
  /** While the registry cannot be reached, a known key keeps working this long past its TTL (default 10 min). */
  staleMs?: number;
  /** Most keys remembered (default 10,000; the oldest answer is dropped first). */
  maxEntries?: number;
  fetch?: typeof fetch;
}

/** The registry could not be asked and nothing usable is cached: the caller answers 503, not 401. */
export class KeyRegistryUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the API key registry cannot be reached: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'KeyRegistryUnavailable';
  }
}

interface Entry {
  principal: IntegrationPrincipal | null;
  fetchedAt: number;
}

/**
 * Resolves API keys that are not in the bootstrap list by asking the registry
 * (`GET <url>/v1/api-keys/self` with the presented key) and caching the answer per key digest.
 * Keys themselves are never kept, only their SHA-256.
 */
export class KeyRegistryClient {
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<IntegrationPrincipal | null>>();
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;
  private readonly staleMs: number;
  private readonly maxEntries: number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: KeyRegistryOptions) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 5_000;
    this.staleMs = options.staleMs ?? 600_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.fetchFn = options.fetch ?? fetch;
  }

  async resolve(key: string, now = Date.now()): Promise<IntegrationPrincipal | null> {
    const digest = apiKeyDigest(key);
    const cached = this.cache.get(digest);
    if (cached && now - cached.fetchedAt < (cached.principal ? this.ttlMs : this.negativeTtlMs)) return cached.principal;
    const pending = this.inFlight.get(digest) ?? this.ask(key, digest, cached, now);
    this.inFlight.set(digest, pending);
    try {
      return await pending;
    } finally {
      this.inFlight.delete(digest);
    }
  }

  private async ask(key: string, digest: string, cached: Entry | undefined, now: number): Promise<IntegrationPrincipal | null> {
    let principal: IntegrationPrincipal | null;
    try {
      const r = await this.fetchFn(`${this.options.url.replace(/\/$/, '')}/v1/api-keys/self`, { headers: { 'x-api-key': key }, signal: AbortSignal.timeout(2_000) });
      if (r.status === 401) principal = null;
      else if (r.ok) {
        const body = (await r.json()) as { integrationId: string; publisherId: string | null };
        principal = { kind: 'integration', source: body.integrationId, ...(body.publisherId ? { publisherId: body.publisherId } : {}) };
      } else throw new Error(`status ${r.status}`);
    } catch (error) {
      if (cached?.principal && now - cached.fetchedAt < this.ttlMs + this.staleMs) return cached.principal;
      throw new KeyRegistryUnavailable(error);
    }
    this.remember(digest, { principal, fetchedAt: now });
    return principal;
  }

  private remember(digest: string, entry: Entry): void {
    this.cache.delete(digest);
    this.cache.set(digest, entry);
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
  }
}
