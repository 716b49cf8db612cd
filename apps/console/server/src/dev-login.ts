import { type Role, signLocalToken } from '@prestanda/auth';

export const DEV_LOGIN_ROLES: readonly Role[] = ['ops-admin', 'ops-viewer', 'advertiser'];
/** A dev token lives one hour: long enough to work, short enough that a leaked one soon expires. */
export const DEV_TOKEN_TTL_SECONDS = 3600;
const ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

export interface DevLoginSettings {
  jwtSecret?: string;
  production: boolean;
}

/** Dev login exists only with a local secret and outside production. */
export function devLoginEnabled(settings: DevLoginSettings): boolean {
  return Boolean(settings.jwtSecret) && !settings.production;
}

export type DevLoginResult =
  | { status: 200; body: { token: string; expiresAt: string; role: Role; advertiserId?: string } }
  | { status: 400; body: { statusCode: 400; error: 'Bad Request'; message: string[]; fields: { field: string; message: string }[] } }
  | { status: 404; body: { statusCode: 404; error: 'Not Found'; message: string } };

/**
 * Mints a short-lived HS256 token for the chosen role, as `tools/scripts/token.ts` does. The
 * services verify it like any other token; the console server itself grants nothing.
 */
export async function devLogin(settings: DevLoginSettings, body: unknown, now = Date.now()): Promise<DevLoginResult> {
  if (!devLoginEnabled(settings)) return { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'dev login is off' } };
  const input = (typeof body === 'object' && body !== null ? body : {}) as { role?: unknown; advertiserId?: unknown };
  const fields: { field: string; message: string }[] = [];
  const role = DEV_LOGIN_ROLES.find((r) => r === input.role);
  if (!role) fields.push({ field: 'role', message: `role must be one of ${DEV_LOGIN_ROLES.join(', ')}` });
  let advertiserId: string | undefined;
  if (role === 'advertiser') {
    if (typeof input.advertiserId === 'string' && ID_PATTERN.test(input.advertiserId)) advertiserId = input.advertiserId;
    else fields.push({ field: 'advertiserId', message: 'advertiserId is required for the advertiser role (1-128 printable characters)' });
  }
  if (!role || fields.length) return { status: 400, body: { statusCode: 400, error: 'Bad Request', message: fields.map((f) => `${f.field}: ${f.message}`), fields } };
  const sub = advertiserId ? `dev-${role}-${advertiserId}` : `dev-${role}`;
  const token = await signLocalToken(settings.jwtSecret!, { sub, roles: [role], advertiserId }, `${DEV_TOKEN_TTL_SECONDS}s`);
  return { status: 200, body: { token, expiresAt: new Date(now + DEV_TOKEN_TTL_SECONDS * 1000).toISOString(), role, ...(advertiserId ? { advertiserId } : {}) } };
}
