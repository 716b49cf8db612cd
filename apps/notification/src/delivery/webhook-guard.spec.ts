import { allowedWebhookHosts, checkWebhookUrl, isPublicAddress } from './webhook-guard';

describe('the webhook SSRF guard', () => {
  it('tells public addresses from internal ones', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '2a00:1450:4001:81a::200e']) expect(isPublicAddress(a)).toBe(true);
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', 'not-an-ip']) expect(isPublicAddress(a)).toBe(false);
  });

  it('accepts https to a host resolving to public addresses only', async () => {
    expect(await checkWebhookUrl('https://bank.example/hooks', [], async () => ['93.184.216.34'])).toEqual({ ok: true });
  });

  it('refuses plain http, internal addresses and a host with any internal address, naming why', async () => {
    expect(await checkWebhookUrl('http://bank.example/hooks', [], async () => ['93.184.216.34'])).toEqual({ ok: false, problem: expect.stringContaining('must be https') });
    expect(await checkWebhookUrl('https://169.254.169.254/latest/meta-data', [])).toEqual({ ok: false, problem: expect.stringContaining('169.254.169.254, which is not a public address') });
    expect(await checkWebhookUrl('https://rebind.example/', [], async () => ['93.184.216.34', '10.0.0.5'])).toEqual({ ok: false, problem: expect.stringContaining('10.0.0.5') });
    expect(await checkWebhookUrl('https://nx.example/', [], async () => Promise.reject(new Error('ENOTFOUND')))).toEqual({ ok: false, problem: expect.stringContaining('does not resolve') });
    expect(await checkWebhookUrl('ftp://x', [])).toEqual({ ok: false, problem: expect.stringContaining('https') });
  });

  it('lets allow-listed hosts through, http included', async () => {
    expect(await checkWebhookUrl('http://127.0.0.1:3099/webhooks', ['127.0.0.1'])).toEqual({ ok: true });
    expect(await checkWebhookUrl('http://[::1]:3099/webhooks', ['::1'])).toEqual({ ok: true });
  });

  it('allows loopback by default outside production only; WEBHOOK_ALLOWED_HOSTS replaces the default', () => {
    expect(allowedWebhookHosts({})).toEqual(['localhost', '127.0.0.1', '::1']);
    expect(allowedWebhookHosts({ NODE_ENV: 'production' })).toEqual([]);
    expect(allowedWebhookHosts({ NODE_ENV: 'production', WEBHOOK_ALLOWED_HOSTS: 'hooks.internal, Bank-Gw.local' })).toEqual(['hooks.internal', 'bank-gw.local']);
  });
});
