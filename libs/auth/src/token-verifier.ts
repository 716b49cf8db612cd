import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, jwtVerify, JWTVerifyGetKey, SignJWT } from 'jose';
import { timingSafeEqual } from 'node:crypto';
import { apiKeyDigest } from './api-key-digest';
import { KeyRegistryClient } from './key-registry';
import type { IntegrationPrincipal, Role, UserPrincipal } from './principal';

/**
 * Authentication settings, from the environment:
 * - AUTH_JWKS_URL (+ AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE): OIDC provider keys (RS256/ES256…)
 * - AUTH_JWT_SECRET (or AUTH_JWT_SECRET_FILE): a shared HS256 secret, for local use
 * - AUTH_API_KEYS_FILE or AUTH_API_KEYS: JSON `{ "<api key>": { "source": "bank-demo-se", "publisherId": "pub-…" } }`
 *   (bootstrap keys, e.g. for the first ops integration; the registry holds the rest)
 * - AUTH_KEY_REGISTRY_URL: the campaigns service, which holds the integration registry; keys not
 *   in the bootstrap list are resolved there and cached for AUTH_KEY_CACHE_MS (default 30000)
 * Claims: `sub`, `roles` (array: ops-admin, ops-viewer, advertiser), `advertiser_id`.
 */
export class TokenVerifier {
  private readonly jwks?: JWTVerifyGetKey;
  private readonly secret?: Uint8Array;
  private readonly apiKeys: Map<string, IntegrationPrincipal>;
  private readonly registry?: KeyRegistryClient;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    if (env.AUTH_JWKS_URL) this.jwks = createRemoteJWKSet(new URL(env.AUTH_JWKS_URL));
    const secret = env.AUTH_JWT_SECRET_FILE ? readFileSync(env.AUTH_JWT_SECRET_FILE, 'utf8').trim() : env.AUTH_JWT_SECRET;
    if (secret) this.secret = new TextEncoder().encode(secret);
    const keysJson = env.AUTH_API_KEYS_FILE ? readFileSync(env.AUTH_API_KEYS_FILE, 'utf8') : (env.AUTH_API_KEYS ?? '{}');
    const parsed = JSON.parse(keysJson) as Record<string, { source: string; publisherId?: string }>;
    // Keys are held by their SHA-256 only, compared in constant time.
    this.apiKeys = new Map(Object.entries(parsed).map(([key, v]) => [apiKeyDigest(key), { kind: 'integration', source: v.source, publisherId: v.publisherId }]));
    if (env.AUTH_KEY_REGISTRY_URL) this.registry = new KeyRegistryClient({ url: env.AUTH_KEY_REGISTRY_URL, ...(env.AUTH_KEY_CACHE_MS ? { ttlMs: Number(env.AUTH_KEY_CACHE_MS) } : {}) });
  }

  get configured(): boolean {
    return Boolean(this.jwks || this.secret);
  }

  async verifyBearer(token: string): Promise<UserPrincipal> {
    const options = { issuer: this.env.AUTH_JWT_ISSUER || undefined, audience: this.env.AUTH_JWT_AUDIENCE || undefined };
    let payload;
    if (this.jwks) payload = (await jwtVerify(token, this.jwks, options)).payload;
    else if (this.secret) payload = (await jwtVerify(token, this.secret, { ...options, algorithms: ['HS256'] })).payload;
    else throw new Error('no token verification configured (AUTH_JWKS_URL or AUTH_JWT_SECRET)');
    const roles = (Array.isArray(payload.roles) ? payload.roles : []).filter((r): r is Role => r === 'ops-admin' || r === 'ops-viewer' || r === 'advertiser');
    const advertiserId = typeof payload.advertiser_id === 'string' ? payload.advertiser_id : undefined;
    return { kind: 'user', subject: String(payload.sub ?? 'unknown'), roles, advertiserId };
  }

  /** A bootstrap key, else the registry's answer (cached); null for an unknown key. Throws KeyRegistryUnavailable. */
  async resolveApiKey(key: string): Promise<IntegrationPrincipal | null> {
    return this.verifyApiKey(key) ?? (this.registry ? this.registry.resolve(key) : null);
  }

  verifyApiKey(key: string): IntegrationPrincipal | undefined {
    const digest = apiKeyDigest(key);
    for (const [known, principal] of this.apiKeys) {
      if (timingSafeEqual(Buffer.from(known, 'hex'), Buffer.from(digest, 'hex'))) return principal;
    }
    return undefined;
  }
}



/** Signs an HS256 token with the local shared secret (dev tools, demo and tests). */
export async function signLocalToken(secret: string, claims: { sub: string; roles: Role[]; advertiserId?: string }, ttl = '12h'): Promise<string> {
  const jwt = new SignJWT({ roles: claims.roles, ...(claims.advertiserId ? { advertiser_id: claims.advertiserId } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(ttl);
  if (process.env.AUTH_JWT_ISSUER) jwt.setIssuer(process.env.AUTH_JWT_ISSUER);
  if (process.env.AUTH_JWT_AUDIENCE) jwt.setAudience(process.env.AUTH_JWT_AUDIENCE);
  return jwt.sign(new TextEncoder().encode(secret));
}
