import { readFileSync } from 'node:fs';

/** The shortest shared HS256 secret accepted in production: 32 bytes (RFC 7518 §3.2 asks for at least the hash size). */
export const MIN_SHARED_SECRET_BYTES = 32;

/**
 * What is wrong with the auth settings for production (`NODE_ENV=production`), each naming the
 * variable: a way to verify tokens (AUTH_JWKS_URL or AUTH_JWT_SECRET), the issuer and audience
 * every token must carry, and a shared secret of at least 32 bytes. Empty outside production.
 */
export function productionAuthProblems(env: NodeJS.ProcessEnv): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  const secret = env.AUTH_JWT_SECRET_FILE ? readSecret(env.AUTH_JWT_SECRET_FILE) : env.AUTH_JWT_SECRET;
  if (!env.AUTH_JWKS_URL && !secret) problems.push('AUTH_JWKS_URL (or AUTH_JWT_SECRET) is required in production: nothing could verify a bearer token');
  if (!env.AUTH_JWT_ISSUER) problems.push('AUTH_JWT_ISSUER is required in production: tokens of any issuer would be accepted');
  if (!env.AUTH_JWT_AUDIENCE) problems.push('AUTH_JWT_AUDIENCE is required in production: tokens meant for other services would be accepted');
  if (secret !== undefined && Buffer.byteLength(secret, 'utf8') < MIN_SHARED_SECRET_BYTES) {
    problems.push(`AUTH_JWT_SECRET must be at least ${MIN_SHARED_SECRET_BYTES} bytes in production (it has ${Buffer.byteLength(secret, 'utf8')}); e.g. openssl rand -hex 32`);
  }
  return problems;
}

function readSecret(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}
