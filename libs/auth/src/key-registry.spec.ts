import { KeyRegistryClient, KeyRegistryUnavailable } from './key-registry';

/** A registry that answers from a table of keys, counting the questions; `down` makes it unreachable. */
function registry(keys: Record<string, { integrationId: string; publisherId: string | null }>) {
  const state = { calls: 0, down: false };
  const fetchFn = (async (_url: string, init?: { headers?: Record<string, string> }) => {
    state.calls++;
    if (state.down) throw new Error('connect ECONNREFUSED');
    const identity = keys[init?.headers?.['x-api-key'] ?? ''];
    return identity ? new Response(JSON.stringify({ ...identity, kind: 'bank', keyId: 'k', expiresAt: null }), { status: 200 }) : new Response('{}', { status: 401 });
  }) as unknown as typeof fetch;
  return { state, fetchFn };
}

describe('KeyRegistryClient', () => {
  const t0 = 1_000_000;

  it('resolves a registered key to its integration and publisher, and caches the answer for the TTL', async () => {
    const { state, fetchFn } = registry({ 'pk_a': { integrationId: 'bank-a', publisherId: 'pub-bank-a' } });
    const client = new KeyRegistryClient({ url: 'http://campaigns', ttlMs: 30_000, fetch: fetchFn });
    expect(await client.resolve('pk_a', t0)).toEqual({ kind: 'integration', source: 'bank-a', publisherId: 'pub-bank-a' });
    expect(await client.resolve('pk_a', t0 + 29_000)).toMatchObject({ source: 'bank-a' });
    expect(state.calls).toBe(1);
    await client.resolve('pk_a', t0 + 31_000);
    expect(state.calls).toBe(2);
  });

  it('answers null for an unknown key and remembers that briefly', async () => {
    const { state, fetchFn } = registry({});
    const client = new KeyRegistryClient({ url: 'http://campaigns', negativeTtlMs: 5_000, fetch: fetchFn });
    expect(await client.resolve('pk_x', t0)).toBeNull();
    expect(await client.resolve('pk_x', t0 + 4_000)).toBeNull();
    expect(state.calls).toBe(1);
    expect(await client.resolve('pk_x', t0 + 6_000)).toBeNull();
    expect(state.calls).toBe(2);
  });

  it('keeps a known key working while the registry is down, for a while, then says it cannot check', async () => {
    const { state, fetchFn } = registry({ 'pk_a': { integrationId: 'bank-a', publisherId: null } });
    const client = new KeyRegistryClient({ url: 'http://campaigns', ttlMs: 1_000, staleMs: 60_000, fetch: fetchFn });
    expect(await client.resolve('pk_a', t0)).toEqual({ kind: 'integration', source: 'bank-a' });
    state.down = true;
    expect(await client.resolve('pk_a', t0 + 30_000)).toMatchObject({ source: 'bank-a' });
    await expect(client.resolve('pk_a', t0 + 62_000)).rejects.toBeInstanceOf(KeyRegistryUnavailable);
    await expect(client.resolve('pk_new', t0)).rejects.toThrow(/cannot be reached/);
  });

  it('asks once for concurrent requests with the same key', async () => {
    const { state, fetchFn } = registry({ 'pk_a': { integrationId: 'bank-a', publisherId: null } });
    const client = new KeyRegistryClient({ url: 'http://campaigns', fetch: fetchFn });
    await Promise.all([client.resolve('pk_a', t0), client.resolve('pk_a', t0), client.resolve('pk_a', t0)]);
    expect(state.calls).toBe(1);
  });
});
