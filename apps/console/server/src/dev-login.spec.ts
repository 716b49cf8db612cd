import { TokenVerifier } from '@prestanda/auth';
import { loadConfig } from './config';
import { devLogin, devLoginEnabled } from './dev-login';

const SECRET = 'unit-test-secret';

describe('dev login', () => {
  it('is off without a local secret', async () => {
    const settings = loadConfig({}, { staticDir: 'dist' });
    expect(devLoginEnabled(settings)).toBe(false);
    expect(await devLogin(settings, { role: 'ops-admin' })).toMatchObject({ status: 404 });
  });

  it('is off in production even with a local secret', async () => {
    const settings = loadConfig({ AUTH_JWT_SECRET: SECRET, NODE_ENV: 'production' }, { staticDir: 'dist' });
    expect(devLoginEnabled(settings)).toBe(false);
    expect(await devLogin(settings, { role: 'ops-admin' })).toMatchObject({ status: 404 });
  });

  it('mints a one-hour token the services accept, for the chosen role', async () => {
    const settings = loadConfig({ AUTH_JWT_SECRET: SECRET, NODE_ENV: 'development' }, { staticDir: 'dist' });
    const now = Date.now();
    const result = await devLogin(settings, { role: 'ops-viewer' }, now);
    if (result.status !== 200) throw new Error(`expected 200, got ${result.status}`);
    expect(result.body.expiresAt).toBe(new Date(now + 3600_000).toISOString());
    const principal = await new TokenVerifier({ AUTH_JWT_SECRET: SECRET }).verifyBearer(result.body.token);
    expect(principal).toEqual({ kind: 'user', subject: 'dev-ops-viewer', roles: ['ops-viewer'], advertiserId: undefined });
    const [, payload] = result.body.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it("scopes an advertiser user's token to its advertiser", async () => {
    const settings = loadConfig({ AUTH_JWT_SECRET: SECRET }, { staticDir: 'dist' });
    const result = await devLogin(settings, { role: 'advertiser', advertiserId: 'adv-ica' });
    if (result.status !== 200) throw new Error(`expected 200, got ${result.status}`);
    expect(await new TokenVerifier({ AUTH_JWT_SECRET: SECRET }).verifyBearer(result.body.token)).toMatchObject({ roles: ['advertiser'], advertiserId: 'adv-ica' });
  });

  it('a token signed with another secret is refused by the services', async () => {
    const result = await devLogin(loadConfig({ AUTH_JWT_SECRET: 'another-secret' }, { staticDir: 'dist' }), { role: 'ops-admin' });
    if (result.status !== 200) throw new Error(`expected 200, got ${result.status}`);
    await expect(new TokenVerifier({ AUTH_JWT_SECRET: SECRET }).verifyBearer(result.body.token)).rejects.toThrow();
  });

  it.each([
    [{ role: 'root' }, ['role']],
    [{}, ['role']],
    ['not an object', ['role']],
    [{ role: 'advertiser' }, ['advertiserId']],
    [{ role: 'advertiser', advertiserId: 'has space' }, ['advertiserId']],
  ])('refuses %j naming the field', async (body, fields) => {
    const result = await devLogin(loadConfig({ AUTH_JWT_SECRET: SECRET }, { staticDir: 'dist' }), body);
    expect(result.status).toBe(400);
    expect(result.status === 400 && result.body.fields.map((f) => f.field)).toEqual(fields);
  });

  it('says whether dev login is on and which OIDC issuer the services trust', () => {
    expect(loadConfig({ AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_JWT_ISSUER: 'https://idp.example/' }, { staticDir: 'dist' }).oidcIssuer).toBe('https://idp.example/');
    expect(loadConfig({ AUTH_JWT_ISSUER: 'https://idp.example/' }, { staticDir: 'dist' }).oidcIssuer).toBeUndefined();
  });
});
