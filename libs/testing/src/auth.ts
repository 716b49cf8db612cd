import { Role, signLocalToken } from '@prestanda/auth';

/** The integration test environment's auth settings (tools/test/integration-setup.ts sets them). */
export const TEST_JWT_SECRET = 'prestanda-test-secret';
export const TEST_BANK_API_KEY = 'test-bank-key';
export const TEST_BANK_SOURCE = 'bank-test';

/** `{ authorization: 'Bearer …' }` for a user with these roles (and advertiser, for advertiser users). */
export async function bearer(roles: Role[] = ['ops-admin'], advertiserId?: string): Promise<{ authorization: string }> {
  const token = await signLocalToken(process.env.AUTH_JWT_SECRET ?? TEST_JWT_SECRET, { sub: `test-${roles.join('-')}`, roles, advertiserId });
  return { authorization: `Bearer ${token}` };
}
