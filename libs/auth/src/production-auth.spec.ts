import { productionAuthProblems } from './production-auth';

const good = { NODE_ENV: 'production', AUTH_JWKS_URL: 'https://id.example/.well-known/jwks.json', AUTH_JWT_ISSUER: 'https://id.example', AUTH_JWT_AUDIENCE: 'prestanda' };

describe('auth settings in production', () => {
  it('accepts JWKS with issuer and audience, or a long shared secret', () => {
    expect(productionAuthProblems(good)).toEqual([]);
    expect(productionAuthProblems({ ...good, AUTH_JWKS_URL: undefined, AUTH_JWT_SECRET: 'x'.repeat(32) })).toEqual([]);
  });

  it('names each missing or weak variable', () => {
    expect(productionAuthProblems({ NODE_ENV: 'production' }).map((p) => p.split(' ')[0])).toEqual(['AUTH_JWKS_URL', 'AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE']);
    expect(productionAuthProblems({ ...good, AUTH_JWT_SECRET: 'short' })).toEqual([expect.stringContaining('AUTH_JWT_SECRET must be at least 32 bytes in production (it has 5)')]);
  });

  it('asks nothing outside production', () => {
    expect(productionAuthProblems({ NODE_ENV: 'development' })).toEqual([]);
    expect(productionAuthProblems({})).toEqual([]);
  });
});
