/**
 * Prints a bearer token for local use, signed with this checkout's secret (.local/auth.json):
 *   node -r @swc-node/register tools/scripts/token.ts ops-admin
 *   node -r @swc-node/register tools/scripts/token.ts advertiser adv-123
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Role, signLocalToken } from '@prestanda/auth';

async function main(): Promise<void> {
  const role = (process.argv[2] ?? 'ops-admin') as Role;
  const advertiserId = process.argv[3];
  const secret = process.env.AUTH_JWT_SECRET ?? (JSON.parse(readFileSync(path.join(__dirname, '..', '..', '.local', 'auth.json'), 'utf8')) as { jwtSecret: string }).jwtSecret;
  process.stdout.write(`${await signLocalToken(secret, { sub: `local-${role}`, roles: [role], advertiserId })}\n`);
}

void main();
