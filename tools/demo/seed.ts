/**
 * Demo data for `npm start`: advertisers, merchants, publishers and campaigns through the
 * campaigns API (apps/campaigns/src/demo/demo-data.ts), and the demo bank's webhook endpoint in
 * notification, so rewards reach the terminal as the bank's app would show them.
 * Env: AUTH_JWT_SECRET, CAMPAIGNS_URL, NOTIFICATION_URL, DEMO_WEBHOOK_URL.
 */
import { randomBytes } from 'node:crypto';
import { signLocalToken } from '@prestanda/auth';
import { seedDemo } from '../../apps/campaigns/src/demo/demo-data';

async function main(): Promise<void> {
  const token = await signLocalToken(process.env.AUTH_JWT_SECRET!, { sub: 'demo-seed', roles: ['ops-admin'] });
  const seeded = await seedDemo(process.env.CAMPAIGNS_URL ?? 'http://127.0.0.1:3001', token);
  const notification = process.env.NOTIFICATION_URL ?? 'http://127.0.0.1:3006';
  const webhookUrl = process.env.DEMO_WEBHOOK_URL ?? 'http://127.0.0.1:3099/webhooks';
  const put = async (path: string, body: unknown) => {
    const r = await fetch(notification + path, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`PUT ${path} → ${r.status} ${await r.text()}`);
  };
  const secret = randomBytes(16).toString('hex');
  for (const publisher of seeded.publishers) {
    await put(`/v1/recipients/bank/${publisher.replace(/^pub-/, '')}`, { webhookUrl, webhookSecret: secret, defaultLocale: 'sv' });
    await put(`/v1/recipients/affiliate/${publisher}`, { webhookUrl, webhookSecret: secret, defaultLocale: 'en' });
  }
  for (const advertiser of seeded.advertisers) await put(`/v1/recipients/advertiser/${advertiser}`, { webhookUrl, webhookSecret: secret, defaultLocale: 'en' });
  const affiliate = process.env.AFFILIATE_URL ?? 'http://127.0.0.1:3007';
  for (const l of seeded.trackingLinks) console.log(`[prestanda] demo affiliate link (${l.publisherId} → ${l.campaignId}): ${affiliate}${l.path}`);
  console.log(`[prestanda] demo: ${seeded.advertisers.length} advertisers, ${seeded.campaigns.length} campaigns (${seeded.campaigns.map((c) => `${c.id}: ${c.audience}`).join(', ')})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
