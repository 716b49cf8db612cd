import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { ValueTransformer } from 'typeorm';

const PREFIX = 'enc:v1:';

function parseKey(name: string, value: string): Buffer {
  const v = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes, as 64 hex characters or base64 (e.g. openssl rand -hex 32)`);
  return key;
}

const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/**
 * Secrets at rest (webhook signing secrets, postback secrets): AES-256-GCM with SECRETS_KEY,
 * stored as `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url). SECRETS_KEY_PREVIOUS still
 * opens what the previous key sealed, so a key is rotated by setting both and letting each service
 * reseal its rows at boot (`needsReseal`), then dropping the previous key. Without a key (outside
 * production only: services refuse to start in production without one) secrets are stored as
 * they are; a value without the prefix is read as it is (rows from before encryption).
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  private readonly current?: { id: string; key: Buffer };

  constructor(current?: Buffer, previous?: Buffer) {
    if (current) {
      this.current = { id: keyId(current), key: current };
      this.keys.set(this.current.id, current);
    }
    if (previous) this.keys.set(keyId(previous), previous);
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): SecretBox {
    return new SecretBox(env.SECRETS_KEY ? parseKey('SECRETS_KEY', env.SECRETS_KEY) : undefined, env.SECRETS_KEY_PREVIOUS ? parseKey('SECRETS_KEY_PREVIOUS', env.SECRETS_KEY_PREVIOUS) : undefined);
  }

  get encrypting(): boolean {
    return this.current !== undefined;
  }

  seal(plain: string): string {
    if (!this.current) return plain;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.current.id}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${ct.toString('base64url')}`;
  }

  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const [id, iv, tag, ct] = stored.slice(PREFIX.length).split(':');
    const key = this.keys.get(id);
    if (!key) throw new Error(`a secret sealed with key ${id} cannot be opened: set that key as SECRETS_KEY or SECRETS_KEY_PREVIOUS`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Whether a stored value should be sealed again: plain while a key is set, or sealed with another key. */
  needsReseal(stored: string): boolean {
    if (!this.current) return false;
    return !stored.startsWith(`${PREFIX}${this.current.id}:`);
  }
}

let processBox: SecretBox | undefined;
/** The process's SecretBox, from its environment (read once). */
export function secretBox(): SecretBox {
  return (processBox ??= SecretBox.fromEnv());
}

/** A TypeORM column transformer that seals on write and opens on read with the process's SecretBox. */
export const sealedSecret: ValueTransformer = {
  to: (v: string | null | undefined) => (v === null || v === undefined ? v : secretBox().seal(v)),
  from: (v: string | null) => (v === null ? v : secretBox().open(v)),
};

/** In production a service that stores secrets refuses to start without SECRETS_KEY (or with a malformed one). */
export function productionSecretsProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  try {
    SecretBox.fromEnv(env);
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (env.NODE_ENV === 'production' && !env.SECRETS_KEY) problems.push('SECRETS_KEY is required in production: webhook and postback secrets are encrypted at rest with it (openssl rand -hex 32)');
  return problems;
}
