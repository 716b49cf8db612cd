/**
 * The ops console in a real browser (Debian's Chromium through playwright-core) against the real
 * platform: every service as its own process over real Kafka and PostgreSQL, and the console
 * server in front of them, exactly as `npm start` runs it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { signLocalToken } from '@prestanda/auth';
import { InboundCardTransactionAuthorizationV1, newEnvelope } from '@prestanda/contracts';
import { physicalTopic } from '@prestanda/kafka';
import { bearer, ChildService, dropSchema, eventually, PLATFORM_SERVICES, RunningPlatform, startPlatform, TEST_BANK_API_KEY, TEST_BANK_SOURCE, testDatabaseUrl, testKafka, uniqueSuffix, useTopicNamespace } from '@prestanda/testing';
import { Partitioners } from 'kafkajs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sign } from '../apps/affiliate/src/conversions/signature';

const CHROMIUM = '/usr/bin/chromium';
const BASE_PORT = 23000;
const CONSOLE_PORT = BASE_PORT + 50;
const consoleUrl = `http://127.0.0.1:${CONSOLE_PORT}`;
const repoRoot = path.resolve(__dirname, '..');
// Unique ids per run: nothing here depends on what an earlier run left behind.
const run = uniqueSuffix();
const ADV = `adv-console-${run}`;
const MID = `MID-CONSOLE-${run}`;
const CAMPAIGN_NAME = `Console cashback ${run}`;
const CAMPAIGN_ID = `cmp-console-${run}`;
const INTEGRATION_ID = `bank-console-${run}`;
const INTEGRATION_NAME = `Bank Nord ${run}`;
const UI_ADV = `adv-ui-${run}`;
const UI_ADV_NAME = `Bageri Konsol ${run}`;
const UI_MERCHANT = `mer-ui-${run}`;
const UI_MID = `MID-UI-${run}`;
const CAP_BANK_ID = `bank-cap-${run}`;
const UI_CAMPAIGN = `cmp-ui-${run}`;
const AFF_CAMPAIGN_ID = `cmp-aff-console-${run}`;
const AFF_CAMPAIGN_NAME = `Affiliate program ${run}`;
const AFF_A = `pub-aff-a-${run}`;
const AFF_B = `pub-aff-b-${run}`;
const LANDING = 'https://shop.example.se/start';
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

const kafka = testKafka();
let ns: Awaited<ReturnType<typeof useTopicNamespace>>;
let platform: RunningPlatform;
let consoleServer: ChildService;
let browser: Browser;
let page: Page;
const browserErrors: string[] = [];

async function api(service: keyof RunningPlatform['urls'], method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(platform.urls[service] + urlPath, { method, headers: { ...(await bearer(['ops-admin'])), 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** The error text Mantine shows under an input (wired through aria-describedby); `exact: false` for a required input (its name ends in " *"). */
async function fieldError(label: string, { exact = true } = {}): Promise<string> {
  const input = page.getByLabel(label, { exact });
  expect(await input.getAttribute('aria-invalid')).toBe('true');
  const id = await input.getAttribute('id');
  return (await page.locator(`[id="${id}-error"]`).textContent()) ?? '';
}

/** The page's globals this file touches inside page.evaluate (it is type-checked without the DOM library). */
type BrowserStorage = { getItem(k: string): string | null; setItem(k: string, v: string): void; readonly length: number; key(i: number): string | null };
type BrowserGlobals = { sessionStorage: BrowserStorage; localStorage: BrowserStorage };

/** CONSOLE_SCREENSHOTS=docs/console saves a PNG of each screen (the docs' pictures). */
async function screenshot(name: string) {
  const dir = process.env.CONSOLE_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.resolve(repoRoot, dir, `${name}.png`), fullPage: false, animations: 'disabled' });
}

async function logIn(role: 'ops-admin' | 'ops-viewer' | 'advertiser', advertiserId?: string) {
  await page.goto(`${consoleUrl}/login`);
  await page.getByLabel('Role').selectOption(role);
  if (advertiserId) await page.getByLabel('Advertiser id').fill(advertiserId);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: npm test installs it (apt-get install chromium)`);
  // The built console, as npm start serves it (rebuilt only when a source changed).
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'tools/cli/build-console.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the console did not build:\n${build.stdout}\n${build.stderr}`);

  ns = await useTopicNamespace(kafka);
  for (const schema of ['campaigns', 'ingestion', 'offer_matching', 'attribution', 'billing', 'notification', 'affiliate']) await dropSchema(schema);
  platform = await startPlatform({
    basePort: BASE_PORT,
    // A registry key's answer is cached for 1 s (30 s by default), so a revoked key stops within the test.
    env: { DATABASE_URL: testDatabaseUrl(), KAFKA_TOPIC_PREFIX: ns.prefix, AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET!, AUTH_API_KEYS: process.env.AUTH_API_KEYS!, AUTH_KEY_CACHE_MS: '1000' },
  });
  const upstreams: Record<string, string> = {};
  for (const s of PLATFORM_SERVICES) {
    const name = s.toUpperCase().replace(/-/g, '_');
    upstreams[`${name}_URL`] = platform.urls[s];
    upstreams[`${name}_HEALTH_URL`] = platform.healthUrls[s];
  }
  consoleServer = ChildService.start('apps/console/server/src/main.ts', { ...upstreams, KAFKA_TOPIC_PREFIX: ns.prefix, CONSOLE_PORT: String(CONSOLE_PORT), CONSOLE_HOST: '127.0.0.1', AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET!, NODE_ENV: 'test' });
  await eventually(async () => expect((await fetch(`${consoleUrl}/auth/config`)).status).toBe(200), { timeoutMs: 30000, intervalMs: 200 }).catch((e) => {
    throw new Error(`the console server did not start: ${String(e)}\n${consoleServer.tail()}`);
  });

  // An advertiser with a store: the console has no advertiser screen yet, so the API makes it.
  const advertiser = await api('campaigns', 'POST', '/v1/advertisers', {
    id: ADV,
    name: `Kafé Konsol ${run}`,
    billingCurrency: 'SEK',
    merchants: [{ id: `mer-console-${run}`, name: 'Kafé Konsol Södermalm', mids: [MID], descriptorPatterns: ['KAFE KONSOL*'], mccs: ['5814'], country: 'SE', channels: ['in-store'] }],
  });
  expect(advertiser.status).toBe(201);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  page.setDefaultTimeout(15_000);
  // Any script error, and any console error but the 4xx answers this test provokes on purpose, fails the test.
  page.on('pageerror', (e) => browserErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (400|401|404|409)\b/.test(m.text())) browserErrors.push(`console: ${m.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await consoleServer?.kill('SIGTERM');
  await platform?.stop();
  await ns?.cleanup();
});

describe('the ops console in a browser, against the running platform', () => {
  it('an ops admin sees every service ready, creates a campaign (API field errors on the field), activates it, and looks up a transaction', async () => {
    await logIn('ops-admin');

    // Dashboard: readiness of every service, from each /health/ready through the console server.
    for (const service of PLATFORM_SERVICES) {
      const card = page.getByTestId(`health-${service}`);
      await eventually(async () => expect(await card.getAttribute('data-ready')).toBe('true'), { timeoutMs: 20000, intervalMs: 250 });
      expect(await card.textContent()).toContain('ready');
    }
    expect(await page.getByTestId('health-summary').textContent()).toBe('Every service is ready');
    await page.getByTestId('ledger-status').waitFor();
    await screenshot('dashboard');

    // Create: an invalid time zone is the API's to refuse; its message lands on the field.
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('button', { name: 'New campaign' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Advertiser', { exact: true }).selectOption(ADV);
    await dialog.getByLabel('Campaign id (optional)').fill(CAMPAIGN_ID);
    await dialog.getByLabel('Name', { exact: true }).fill(CAMPAIGN_NAME);
    await dialog.getByLabel('Total budget (SEK)').fill('10000');
    await dialog.getByLabel('Time zone', { exact: true }).fill('Mars/Olympus');
    await dialog.getByRole('button', { name: 'Create campaign' }).click();
    // Generous: the first write of a cold service under a loaded CI box has taken over 10 s.
    const message = await eventually(() => fieldError('Time zone'), { timeoutMs: 30000, intervalMs: 200 });
    await screenshot('campaign-form-api-error');
    // The service's own words for the field it named (schedule.timeZone).
    expect(message).toBe('timeZone must be an IANA time zone such as Europe/Stockholm');
    // Nothing was created.
    expect((await api('campaigns', 'GET', `/v1/campaigns/${CAMPAIGN_ID}`)).status).toBe(404);

    // Fixed, it is created as a draft and listed.
    await dialog.getByLabel('Time zone', { exact: true }).fill('Europe/Stockholm');
    await dialog.getByRole('button', { name: 'Create campaign' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator(`tr[data-campaign-id="${CAMPAIGN_ID}"]`);
    await eventually(async () => expect(await row.getByTestId('campaign-status').getAttribute('data-status')).toBe('draft'), { timeoutMs: 10000, intervalMs: 200 });
    expect((await row.textContent())?.replace(/\s/g, ' ')).toContain('SEK 10,000.00');
    expect((await api('campaigns', 'GET', `/v1/campaigns/${CAMPAIGN_ID}`)).json).toMatchObject({ status: 'draft', budget: { total: { amountMinor: 1_000_000, currency: 'SEK' } }, schedule: { timeZone: 'Europe/Stockholm' } });

    // Activate: the status changes in the list.
    await row.getByRole('button', { name: `Actions: ${CAMPAIGN_NAME}` }).click();
    await page.getByRole('menuitem', { name: 'Activate' }).click();
    await eventually(async () => expect(await row.getByTestId('campaign-status').getAttribute('data-status')).toBe('active'), { timeoutMs: 10000, intervalMs: 200 });
    // Activating again is the service's 409, and its reason is shown.
    await row.getByRole('button', { name: `Actions: ${CAMPAIGN_NAME}` }).click();
    await page.getByRole('menuitem', { name: 'Activate' }).click();
    const refusal = page.getByTestId('campaign-message');
    await eventually(async () => expect(await refusal.textContent()).toContain('Activate refused'), { timeoutMs: 10000, intervalMs: 200 });
    await page.getByRole('menu').waitFor({ state: 'hidden' });
    await screenshot('campaigns');
    const conflict = await api('campaigns', 'POST', `/v1/campaigns/${CAMPAIGN_ID}/activate`, {});
    expect(conflict.status).toBe(409);
    expect(await refusal.textContent()).toContain(String(conflict.json.reason));

    // A bank reports a purchase at the store through ingestion's HTTP door, once offer matching
    // knows the active campaign. The customer never activated the offer.
    const customer = `cust-console-${run}`;
    await eventually(async () => {
      const offers = await api('offer-matching', 'GET', `/v1/customers/${customer}/offers?bank=${TEST_BANK_SOURCE}`);
      expect(JSON.stringify(offers.json)).toContain(CAMPAIGN_ID);
    }, { timeoutMs: 30000, intervalMs: 250 });
    const txn = `txn-console-${run}`;
    const at = new Date().toISOString();
    const envelope = newEnvelope(InboundCardTransactionAuthorizationV1, {
      source: TEST_BANK_SOURCE,
      occurredAt: at,
      data: { transactionId: txn, customerId: customer, cardId: `card-${customer}`, amount: { amountMinor: 25_000, currency: 'SEK' }, merchant: { mid: MID, descriptor: 'KAFE KONSOL SODERMALM', mcc: '5814', country: 'SE' }, channel: 'in-store', transactionAt: at },
    });
    const sent = await fetch(`${platform.urls.ingestion}/v1/card-transactions`, { method: 'POST', headers: { 'x-api-key': TEST_BANK_API_KEY, 'content-type': 'application/json' }, body: JSON.stringify(envelope) });
    expect(sent.status).toBe(202);
    // Both verdicts exist before the screen is asked (the screen shows what the APIs hold).
    await eventually(async () => {
      const decisions = await api('attribution', 'GET', `/v1/purchases/${encodeURIComponent(`${TEST_BANK_SOURCE}:${txn}`)}/decisions`);
      expect(JSON.stringify(decisions.json)).toContain(CAMPAIGN_ID);
    }, { timeoutMs: 45000, intervalMs: 250 });

    await page.getByRole('link', { name: 'Transaction lookup' }).click();
    await page.getByLabel('Bank (integration id)').fill(TEST_BANK_SOURCE);
    await page.getByLabel('Transaction id').fill(txn);
    await page.getByRole('button', { name: 'Look up' }).click();
    const candidate = page.getByTestId('candidates').locator(`tr[data-campaign-id="${CAMPAIGN_ID}"]`);
    await candidate.waitFor();
    const outcome = await api('offer-matching', 'GET', `/v1/transactions/${TEST_BANK_SOURCE}/${txn}/outcomes`);
    const expected = (outcome.json.outcomes as { campaignId: string; outcome: string; reasonCode: string }[]).find((o) => o.campaignId === CAMPAIGN_ID)!;
    expect(expected.outcome).toBe('matched');
    expect(await candidate.getByTestId('reason-code').textContent()).toBe(expected.reasonCode);
    expect(await candidate.textContent()).toContain('matched');
    // Attribution's final word: matched, but the offer was never activated.
    const decision = page.getByTestId('decisions').locator(`tr[data-campaign-id="${CAMPAIGN_ID}"]`);
    await decision.waitFor();
    expect(await decision.getByTestId('decision-reason').textContent()).toBe('not-activated');
    expect(await decision.textContent()).toContain('declined');
    await screenshot('transaction-lookup');

    // Customer care: the same customer at the same bank. A bank id the APIs refuse is shown on its input.
    await page.getByRole('link', { name: 'Customer', exact: true }).click();
    await page.getByLabel('Bank (integration id)').fill('bank demo');
    await page.getByLabel('Customer id').fill(customer);
    await page.getByRole('button', { name: 'Show customer' }).click();
    // Both services are asked at once: wait for attribution's message, whichever answers first.
    await eventually(async () => expect(await fieldError('Bank (integration id)', { exact: false })).toContain('must be an integration id'), { timeoutMs: 30000, intervalMs: 200 });
    // Fixed: no reward, the declined match with its reason in words, and the campaign still on offer.
    await page.getByLabel('Bank (integration id)').fill(TEST_BANK_SOURCE);
    await page.getByRole('button', { name: 'Show customer' }).click();
    const declined = page.getByTestId('customer-declined').locator(`tr[data-campaign-id="${CAMPAIGN_ID}"]`);
    await declined.waitFor();
    expect(await declined.getAttribute('data-purchase-id')).toBe(`${TEST_BANK_SOURCE}:${txn}`);
    const reason = await declined.getByTestId('declined-reason').textContent();
    expect(reason).toContain('The offer needs activation, and the customer had not activated it before the purchase.');
    expect(reason).toContain('not-activated');
    expect(await page.getByTestId('customer-rewards').textContent()).toContain('No reward for this customer.');
    const offer = page.getByTestId('customer-offers').locator(`tr[data-campaign-id="${CAMPAIGN_ID}"]`);
    await offer.waitFor();
    expect(await offer.textContent()).toContain(CAMPAIGN_NAME);
    expect(await offer.getByTestId('offer-activation').textContent()).toBe('required, not activated');
    expect(await page.getByLabel('Bank (integration id)').getAttribute('aria-invalid')).not.toBe('true');
    await screenshot('customer');
    // In Swedish, the reason too.
    await page.getByText('SV', { exact: true }).click();
    await page.getByRole('heading', { name: 'Kund', exact: true }).waitFor();
    expect(await declined.getByTestId('declined-reason').textContent()).toContain('Erbjudandet kräver aktivering');
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Customer', exact: true }).waitFor();
  });

  it('an ops admin registers an integration (API errors on the field, a taken id refused), issues a key that works at ingestion, rotates it and revokes it', async () => {
    // Still the ops admin of the test above. An integration whose id is already taken, made through the API.
    const TAKEN_ID = `bank-taken-${run}`;
    expect((await api('campaigns', 'POST', '/v1/integrations', { id: TAKEN_ID, kind: 'bank', name: 'Taken' })).status).toBe(201);
    await page.getByRole('link', { name: 'Integrations', exact: true }).click();
    await page.locator(`tr[data-integration-id="${TAKEN_ID}"]`).waitFor();

    // A name is not an id: the API refuses it, and its message lands on the id field.
    await page.getByRole('button', { name: 'New integration' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Integration id', { exact: true }).fill('Bank Nord');
    await dialog.getByLabel('Kind', { exact: true }).selectOption('bank');
    await dialog.getByLabel('Name', { exact: true }).fill(INTEGRATION_NAME);
    await dialog.getByLabel('Publisher id (optional)').fill(`pub-${INTEGRATION_ID}`);
    await dialog.getByRole('button', { name: 'Register integration' }).click();
    const idError = await eventually(() => fieldError('Integration id'), { timeoutMs: 10000, intervalMs: 200 });
    expect(idError).toBe('id must be 1-64 lower-case letters, digits and dashes, starting and ending with a letter or digit');
    await screenshot('integration-form-api-error');

    // A taken id is the service's 409, shown in its own words.
    await dialog.getByLabel('Integration id', { exact: true }).fill(TAKEN_ID);
    await dialog.getByRole('button', { name: 'Register integration' }).click();
    const formError = dialog.getByTestId('integration-form-error');
    await eventually(async () => expect(await formError.textContent()).toContain(`integration ${TAKEN_ID} already exists`), { timeoutMs: 10000, intervalMs: 200 });

    // Fixed, it is registered and its page opens, with no key yet.
    await dialog.getByLabel('Integration id', { exact: true }).fill(INTEGRATION_ID);
    await dialog.getByRole('button', { name: 'Register integration' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: INTEGRATION_NAME }).waitFor();
    await page.getByText('No key issued yet.').waitFor();
    expect((await api('campaigns', 'GET', `/v1/integrations/${INTEGRATION_ID}`)).json).toMatchObject({ id: INTEGRATION_ID, kind: 'bank', name: INTEGRATION_NAME, locale: 'sv', publisherId: `pub-${INTEGRATION_ID}`, keys: [] });

    // Issue a key: shown once, with a copy button and the warning.
    await page.getByRole('button', { name: 'Issue key' }).click();
    const issued = page.getByTestId('issued-key');
    await issued.waitFor();
    const readIssuedKey = async () => ((await issued.getByTestId('issued-api-key').textContent()) ?? '').trim();
    const apiKey = await readIssuedKey();
    expect(apiKey).toMatch(/^pk_/);
    expect(await issued.getByRole('button', { name: 'Copy key' }).count()).toBe(1);
    expect(await issued.textContent()).toContain('It will not be shown again');
    // Nothing in the browser's storage holds it.
    const stored = await page.evaluate(() => {
      const g = globalThis as unknown as BrowserGlobals;
      const values: string[] = [];
      for (const s of [g.sessionStorage, g.localStorage]) for (let i = 0; i < s.length; i++) values.push(s.getItem(s.key(i) ?? '') ?? '');
      return values.join('\n');
    });
    expect(stored).not.toContain(apiKey);
    await page.getByRole('button', { name: 'I have stored the key' }).click();
    await issued.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(apiKey);

    // Its row says active, and the list counts it.
    const registered = await api('campaigns', 'GET', `/v1/integrations/${INTEGRATION_ID}`);
    const [first] = registered.json.keys as { keyId: string; hint: string }[];
    expect(apiKey.startsWith(first.hint.replace(/…$/, ''))).toBe(true);
    const stateOf = (keyId: string) => page.locator(`tr[data-key-id="${keyId}"]`).getByTestId('key-state').getAttribute('data-state');
    await eventually(async () => expect(await stateOf(first.keyId)).toBe('active'), { timeoutMs: 10000, intervalMs: 200 });
    await page.getByRole('link', { name: 'All integrations' }).click();
    const listRow = page.locator(`tr[data-integration-id="${INTEGRATION_ID}"]`);
    await eventually(async () => expect(await listRow.getByTestId('active-key-count').textContent()).toBe('1'), { timeoutMs: 10000, intervalMs: 200 });
    expect(await listRow.textContent()).toContain(`pub-${INTEGRATION_ID}`);
    await screenshot('integrations');

    // The key read off the page works: ingestion takes the bank's transaction with it.
    let sent = 0;
    const send = async (key: string) => {
      const at = new Date().toISOString();
      const envelope = newEnvelope(InboundCardTransactionAuthorizationV1, {
        source: INTEGRATION_ID,
        occurredAt: at,
        data: { transactionId: `txn-registry-${run}-${++sent}`, customerId: `cust-registry-${run}`, cardId: `card-registry-${run}`, amount: { amountMinor: 12_500, currency: 'SEK' }, merchant: { descriptor: 'SOMEWHERE', mcc: '5411', country: 'SE' }, channel: 'in-store', transactionAt: at },
      });
      const r = await fetch(`${platform.urls.ingestion}/v1/card-transactions`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(envelope) });
      return r.status;
    };
    expect(await send(apiKey)).toBe(202);

    // Rotate with no overlap (the default is a day): a new key is shown once, the old one ends now.
    await listRow.getByRole('link', { name: INTEGRATION_NAME }).click();
    await page.getByRole('button', { name: `Rotate: ${first.hint}` }).click();
    const rotate = page.getByRole('dialog', { name: `Rotate key ${first.hint}` });
    const overlap = rotate.getByLabel('Overlap in minutes', { exact: false });
    expect(await overlap.inputValue()).toBe('1440');
    await overlap.fill('0');
    await rotate.getByRole('button', { name: 'Rotate key' }).click();
    await issued.waitFor();
    const rotatedKey = await readIssuedKey();
    expect(rotatedKey).toMatch(/^pk_/);
    expect(rotatedKey).not.toBe(apiKey);
    expect(await issued.textContent()).toContain(`The replaced key ${first.hint} keeps working until`);
    await page.getByRole('button', { name: 'I have stored the key' }).click();
    await issued.waitFor({ state: 'detached' });
    const key = ((await api('campaigns', 'GET', `/v1/integrations/${INTEGRATION_ID}`)).json.keys as { keyId: string; hint: string }[]).find((k) => k.keyId !== first.keyId)!;
    await eventually(async () => expect([await stateOf(first.keyId), await stateOf(key.keyId)]).toEqual(['expired', 'active']), { timeoutMs: 10000, intervalMs: 200 });
    expect(await send(rotatedKey)).toBe(202);

    // Revoke, after a confirm step: the row says revoked and offers nothing more.
    await page.getByRole('button', { name: `Revoke: ${key.hint}` }).click();
    const confirm = page.getByRole('dialog', { name: `Revoke key ${key.hint}?` });
    expect(await confirm.textContent()).toContain('This cannot be undone');
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await eventually(async () => expect(await stateOf(key.keyId)).toBe('revoked'), { timeoutMs: 10000, intervalMs: 200 });
    await confirm.waitFor({ state: 'hidden' });
    await screenshot('integration-keys');
    expect(await page.getByTestId('integration-message').textContent()).toContain(`Key ${key.hint} revoked`);
    expect(await page.getByRole('button', { name: /^(Rotate|Revoke): / }).count()).toBe(0);
    expect((await api('campaigns', 'GET', `/v1/integrations/${INTEGRATION_ID}`)).json).toMatchObject({ keys: [{ keyId: first.keyId, active: false }, { keyId: key.keyId, active: false }] });
    // ... and ingestion stops taking either key once its 1 s cache has passed.
    await eventually(async () => expect([await send(apiKey), await send(rotatedKey)]).toEqual([401, 401]), { timeoutMs: 10000, intervalMs: 250 });
  });

  it('an ops admin creates an advertiser with a budget and a bank cap (API field errors on the cap row), adds a merchant (a taken MID refused with the reason), edits and removes the budget, and caps a campaign per bank', async () => {
    // Still the ops admin. A bank of the registry, for the cap's bank picker.
    expect((await api('campaigns', 'POST', '/v1/integrations', { id: CAP_BANK_ID, kind: 'bank', name: `Bank Tak ${run}` })).status).toBe(201);
    await page.getByRole('link', { name: 'Advertisers', exact: true }).click();
    // The search finds the advertiser the API made, with its one store.
    await page.getByLabel('Search by name or id').fill(ADV);
    const apiMade = page.locator(`tr[data-advertiser-id="${ADV}"]`);
    await apiMade.waitFor();
    expect(await page.locator('tr[data-advertiser-id]').count()).toBe(1);
    expect(await apiMade.getByTestId('merchant-count').textContent()).toBe('1');
    expect(await apiMade.getByTestId('budget-summary').textContent()).toBe('none');
    await page.getByLabel('Search by name or id').fill('');

    await page.getByRole('button', { name: 'New advertiser' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Advertiser id (optional)').fill(UI_ADV);
    await dialog.getByLabel('Name', { exact: true }).fill(UI_ADV_NAME);
    expect(await dialog.getByLabel('Billing currency').inputValue()).toBe('SEK');
    await dialog.getByLabel('Total (SEK, optional)').fill('50 000');
    await dialog.getByRole('button', { name: 'Add bank cap' }).click();
    await dialog.getByLabel('Bank of cap 1', { exact: true }).selectOption(CAP_BANK_ID);
    await dialog.getByLabel('Cap 1 (SEK)', { exact: true }).fill('10000');
    await dialog.getByRole('button', { name: 'Add bank cap' }).click();
    await dialog.getByLabel('Bank of cap 2', { exact: true }).selectOption(CAP_BANK_ID);
    // An amount the form cannot send is refused on its input before anything is sent...
    await dialog.getByLabel('Cap 2 (SEK)', { exact: true }).fill('12,345');
    await dialog.getByRole('button', { name: 'Create advertiser' }).click();
    expect(await eventually(() => fieldError('Cap 2 (SEK)'), { timeoutMs: 10000, intervalMs: 200 })).toBe('Enter an amount in SEK, at most 2 decimals');
    // ... and the same bank twice is the API's to refuse: its message lands on the second cap's bank.
    await dialog.getByLabel('Cap 2 (SEK)', { exact: true }).fill('5000');
    await dialog.getByRole('button', { name: 'Create advertiser' }).click();
    expect(await eventually(() => fieldError('Bank of cap 2'), { timeoutMs: 10000, intervalMs: 200 })).toBe(`budget.bankCaps.1.bankId: ${CAP_BANK_ID} is listed twice`);
    await screenshot('advertiser-form-api-error');
    expect((await api('campaigns', 'GET', `/v1/advertisers/${UI_ADV}`)).status).toBe(404);
    await dialog.getByRole('button', { name: 'Remove cap 2' }).click();
    await dialog.getByRole('button', { name: 'Create advertiser' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Its page opens; the API holds the budget in minor units, the cap on the bank picked.
    await page.getByRole('heading', { name: UI_ADV_NAME, exact: true }).waitFor();
    expect(await page.getByTestId('advertiser-message').textContent()).toContain(`Advertiser ${UI_ADV_NAME} created`);
    expect((await api('campaigns', 'GET', `/v1/advertisers/${UI_ADV}`)).json).toMatchObject({
      billingCurrency: 'SEK',
      budget: { total: { amountMinor: 5_000_000, currency: 'SEK' }, bankCaps: [{ bankId: CAP_BANK_ID, amount: { amountMinor: 1_000_000, currency: 'SEK' } }] },
      merchants: [],
    });
    expect((await page.getByTestId('budget-total').textContent())?.replace(/\s/g, ' ')).toContain('SEK 50,000.00');
    expect((await page.getByTestId('budget-table').locator(`tr[data-bank-id="${CAP_BANK_ID}"]`).textContent())?.replace(/\s/g, ' ')).toContain('SEK 10,000.00');

    // A merchant with the MID of the other advertiser's store: the API's 409, its reason on the MIDs.
    await page.getByRole('button', { name: 'Add merchant' }).click();
    const merchantDialog = page.getByRole('dialog');
    await merchantDialog.getByLabel('Merchant name').fill('Bageri Konsol Vasastan');
    await merchantDialog.getByLabel('Merchant id (optional)').fill(UI_MERCHANT);
    await merchantDialog.getByLabel('MIDs', { exact: true }).fill(`${UI_MID}\n${MID}`);
    await merchantDialog.getByLabel('Descriptor patterns', { exact: true }).fill('BAGERI KONSOL VASA*');
    await merchantDialog.getByLabel('MCCs (optional)').fill('5462');
    await merchantDialog.getByRole('button', { name: 'Add merchant' }).click();
    const taken = `MID ${MID} already belongs to merchant mer-console-${run} of advertiser ${ADV}`;
    await eventually(async () => expect(await merchantDialog.getByTestId('merchant-form-error').textContent()).toContain(taken), { timeoutMs: 10000, intervalMs: 200 });
    expect(await fieldError('MIDs')).toContain(taken);
    await merchantDialog.getByLabel('MIDs', { exact: true }).fill(UI_MID);
    await merchantDialog.getByRole('button', { name: 'Add merchant' }).click();
    await merchantDialog.waitFor({ state: 'hidden' });
    const merchantRow = page.getByTestId('merchants-table').locator(`tr[data-merchant-id="${UI_MERCHANT}"]`);
    await merchantRow.waitFor();
    expect(await merchantRow.getByTestId('merchant-mids').textContent()).toBe(UI_MID);
    await screenshot('advertiser');
    expect((await api('campaigns', 'GET', `/v1/advertisers/${UI_ADV}`)).json).toMatchObject({
      merchants: [{ id: UI_MERCHANT, name: 'Bageri Konsol Vasastan', mids: [UI_MID], descriptorPatterns: ['BAGERI KONSOL VASA*'], mccs: ['5462'], country: 'SE', channels: ['in-store'] }],
    });

    // Edit the merchant: online too.
    await merchantRow.getByRole('button', { name: 'Edit: Bageri Konsol Vasastan' }).click();
    const editDialog = page.getByRole('dialog');
    await editDialog.getByLabel('online').check();
    await editDialog.getByRole('button', { name: 'Save merchant' }).click();
    await editDialog.waitFor({ state: 'hidden' });
    await eventually(async () => expect((await api('campaigns', 'GET', `/v1/advertisers/${UI_ADV}`)).json).toMatchObject({ merchants: [{ id: UI_MERCHANT, channels: ['in-store', 'online'] }] }), { timeoutMs: 10000, intervalMs: 200 });

    // Rename, and edit the cap (the form starts from the stored amount).
    await page.getByLabel('Name', { exact: true }).fill(`${UI_ADV_NAME} AB`);
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('heading', { name: `${UI_ADV_NAME} AB`, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Edit budget' }).click();
    const budgetDialog = page.getByRole('dialog');
    expect(await budgetDialog.getByLabel('Cap 1 (SEK)', { exact: true }).inputValue()).toBe('10000.00');
    await budgetDialog.getByLabel('Cap 1 (SEK)', { exact: true }).fill('12000,50');
    await budgetDialog.getByRole('button', { name: 'Save budget' }).click();
    await budgetDialog.waitFor({ state: 'hidden' });
    expect((await api('campaigns', 'GET', `/v1/advertisers/${UI_ADV}`)).json).toMatchObject({
      name: `${UI_ADV_NAME} AB`,
      budget: { total: { amountMinor: 5_000_000 }, bankCaps: [{ bankId: CAP_BANK_ID, amount: { amountMinor: 1_200_050, currency: 'SEK' } }] },
    });

    // Remove it, after the confirm step: the API holds none.
    await page.getByRole('button', { name: 'Remove budget' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove budget' }).click();
    await page.getByTestId('no-budget').waitFor();
    expect((await api('campaigns', 'GET', `/v1/advertisers/${UI_ADV}`)).json).toMatchObject({ budget: null });

    // The list: its merchant counted, no budget.
    await page.getByRole('link', { name: 'All advertisers' }).click();
    await page.getByLabel('Search by name or id').fill(UI_ADV_NAME.toUpperCase());
    const listed = page.locator(`tr[data-advertiser-id="${UI_ADV}"]`);
    await listed.waitFor();
    expect(await listed.getByTestId('merchant-count').textContent()).toBe('1');
    expect(await listed.getByTestId('budget-summary').textContent()).toBe('none');

    // A campaign's own cap per bank, on the campaign form: more than its total is the API's to refuse, on the cap.
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('button', { name: 'New campaign' }).click();
    const campaignDialog = page.getByRole('dialog');
    await campaignDialog.getByLabel('Advertiser', { exact: true }).selectOption(UI_ADV);
    await campaignDialog.getByLabel('Campaign id (optional)').fill(UI_CAMPAIGN);
    await campaignDialog.getByLabel('Name', { exact: true }).fill(`Bageri cashback ${run}`);
    await campaignDialog.getByLabel('Total budget (SEK)').fill('1000');
    await campaignDialog.getByLabel('Time zone', { exact: true }).fill('Europe/Stockholm');
    await campaignDialog.getByRole('button', { name: 'Add bank cap' }).click();
    await campaignDialog.getByLabel('Bank of cap 1', { exact: true }).selectOption(CAP_BANK_ID);
    await campaignDialog.getByLabel('Cap 1 (SEK)', { exact: true }).fill('2000');
    await campaignDialog.getByRole('button', { name: 'Create campaign' }).click();
    expect(await eventually(() => fieldError('Cap 1 (SEK)'), { timeoutMs: 10000, intervalMs: 200 })).toBe('budget.bankCaps.0.amount must not exceed budget.total');
    await campaignDialog.getByLabel('Cap 1 (SEK)', { exact: true }).fill('500');
    await campaignDialog.getByRole('button', { name: 'Create campaign' }).click();
    await campaignDialog.waitFor({ state: 'hidden' });
    expect((await api('campaigns', 'GET', `/v1/campaigns/${UI_CAMPAIGN}`)).json).toMatchObject({ budget: { total: { amountMinor: 100_000 }, bankCaps: [{ bankId: CAP_BANK_ID, amount: { amountMinor: 50_000, currency: 'SEK' } }] } });
    await page.locator(`tr[data-campaign-id="${UI_CAMPAIGN}"]`).getByRole('link').click();
    expect((await page.getByTestId('campaign-bank-caps').textContent())?.replace(/\s/g, ' ')).toContain(`${CAP_BANK_ID}: SEK 500.00`);
    // A fresh page load drops the campaign list cached here (fresh for 5 s), which the next test's
    // API-made program would hide behind; the advertiser list asks nothing of the campaigns.
    await page.goto(`${consoleUrl}/advertisers`);
    await page.locator(`tr[data-advertiser-id="${UI_ADV}"]`).waitFor();
  });

  it('an ops admin runs the affiliate network: a postback secret shown once, an application approved with its own commission, a held conversion explained, the performance report', async () => {
    // Still the ops admin. An affiliate program with two applicants, made through the API.
    for (const id of [AFF_A, AFF_B]) expect((await api('campaigns', 'POST', '/v1/publishers', { id, name: `Affiliate ${id}`, kind: 'affiliate' })).status).toBe(201);
    const created = await api('campaigns', 'POST', '/v1/campaigns', {
      id: AFF_CAMPAIGN_ID,
      advertiserId: ADV,
      name: AFF_CAMPAIGN_NAME,
      pricing: { model: 'CPA' },
      platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 0 },
      budget: { total: { amountMinor: 5_000_000, currency: 'SEK' }, pacing: 'asap' },
      schedule: { startsAt: '2025-01-01T00:00:00+01:00', timeZone: 'Europe/Stockholm' },
      audience: { segment: 'all' },
      channels: ['online'],
      activation: 'automatic',
      windows: { clickDays: 30, viewDays: 1 },
      holdPeriodDays: 14,
      affiliate: { landingUrl: LANDING, commission: { kind: 'percent', basisPoints: 800 }, approval: 'manual' },
    });
    expect(created).toMatchObject({ status: 201 });
    expect((await api('campaigns', 'POST', `/v1/campaigns/${AFF_CAMPAIGN_ID}/activate`, {})).status).toBe(200);
    for (const publisherId of [AFF_A, AFF_B]) expect((await api('campaigns', 'POST', `/v1/campaigns/${AFF_CAMPAIGN_ID}/applications`, { publisherId, message: `Newsletter of ${publisherId}` })).status).toBe(201);

    // The shop's postback secret: created on the page, shown once, in no storage.
    await page.getByRole('link', { name: 'Postback secret' }).click();
    await page.getByRole('heading', { name: 'Postback secret' }).waitFor();
    await page.getByLabel('Advertiser', { exact: true }).selectOption(ADV);
    await page.getByRole('button', { name: 'Create postback secret' }).click();
    const shown = page.getByTestId('postback-secret');
    await shown.waitFor();
    const secret = ((await shown.getByTestId('postback-secret-value').textContent()) ?? '').trim();
    expect(secret).toMatch(/^whsec_/);
    expect(await shown.textContent()).toContain('It will not be shown again');
    expect(await shown.getByRole('button', { name: 'Copy secret' }).count()).toBe(1);
    const stored = await page.evaluate(() => {
      const g = globalThis as unknown as BrowserGlobals;
      const values: string[] = [];
      for (const s of [g.sessionStorage, g.localStorage]) for (let i = 0; i < s.length; i++) values.push(s.getItem(s.key(i) ?? '') ?? '');
      return values.join('\n');
    });
    expect(stored).not.toContain(secret);
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    await shown.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);

    // The campaign's page: approve A with its own 12 % (the program pays 8 %), decline B.
    await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
    await page.locator(`tr[data-campaign-id="${AFF_CAMPAIGN_ID}"]`).getByRole('link', { name: AFF_CAMPAIGN_NAME }).click();
    await page.getByRole('heading', { name: AFF_CAMPAIGN_NAME }).waitFor();
    const panel = page.getByTestId('affiliates-panel');
    const application = (publisherId: string) => panel.getByTestId('applications-table').locator(`tr[data-publisher-id="${publisherId}"]`);
    await application(AFF_A).locator('[data-testid="application-status"][data-status="pending"]').waitFor();
    expect(await application(AFF_A).textContent()).toContain(`Newsletter of ${AFF_A}`);
    expect(await panel.getByText('No affiliate approved yet.').count()).toBe(1);
    await page.getByRole('button', { name: `Approve: ${AFF_A}` }).click();
    const approve = page.getByRole('dialog', { name: `Approve ${AFF_A}` });
    expect(await approve.textContent()).toContain("Empty: the program’s commission (8%)");
    await approve.getByLabel('Own commission in percent (optional)').fill('12');
    await approve.getByRole('button', { name: 'Approve' }).click();
    await approve.waitFor({ state: 'hidden' });
    await page.getByTestId('campaign-message').getByText(`${AFF_A} is approved`).waitFor();
    await application(AFF_A).locator('[data-testid="application-status"][data-status="approved"]').waitFor();
    const approvedRow = panel.getByTestId('approved-affiliates').locator(`tr[data-publisher-id="${AFF_A}"]`);
    await approvedRow.waitFor();
    const campaign = (await api('campaigns', 'GET', `/v1/campaigns/${AFF_CAMPAIGN_ID}`)).json as { publishers: { publisherId: string; trackingCode?: string; commission?: unknown }[] };
    const entry = campaign.publishers.find((p) => p.publisherId === AFF_A)!;
    expect(entry.commission).toEqual({ kind: 'percent', basisPoints: 1200 });
    expect(entry.trackingCode).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(await approvedRow.getByTestId('tracking-link').textContent()).toBe(`/c/${entry.trackingCode}`);
    expect(await approvedRow.getByTestId('affiliate-commission').textContent()).toBe('12%');
    await page.getByRole('button', { name: `Decline: ${AFF_B}` }).click();
    const decline = page.getByRole('dialog', { name: `Decline ${AFF_B}` });
    await decline.getByLabel('Reason').fill('Coupon sites are not part of this program');
    await decline.getByRole('button', { name: 'Decline' }).click();
    await decline.waitFor({ state: 'hidden' });
    await application(AFF_B).locator('[data-testid="application-status"][data-status="declined"]').waitFor();
    expect(await application(AFF_B).textContent()).toContain('Coupon sites are not part of this program');
    expect(await panel.getByTestId('approved-affiliates').locator(`tr[data-publisher-id="${AFF_B}"]`).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Approve|Decline): / }).count()).toBe(0);
    await screenshot('campaign-affiliates');

    // A visitor follows A's link once the affiliate service knows the approval; the shop reports
    // the sale a second later, signed with the secret read off the page: too fast, so held.
    const clickId = await eventually(async () => {
      const r = await fetch(`${platform.urls.affiliate}/c/${entry.trackingCode}`, { redirect: 'manual', headers: { 'user-agent': BROWSER_UA } });
      const location = r.headers.get('location') ?? '';
      expect(location.startsWith(`${LANDING}?prclid=`)).toBe(true);
      return new URL(location).searchParams.get('prclid')!;
    }, { timeoutMs: 30000, intervalMs: 250 });
    const orderId = `ORD-console-${run}`;
    const raw = JSON.stringify({ orderId, amount: { amountMinor: 100_000, currency: 'SEK' }, clickId, convertedAt: new Date(Date.now() + 1_000).toISOString() });
    const postback = await fetch(`${platform.urls.affiliate}/v1/conversions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-prestanda-advertiser': ADV, 'x-prestanda-signature': sign(secret, Math.floor(Date.now() / 1000), raw) },
      body: raw,
    });
    expect(postback.status).toBe(202);
    expect(await postback.json()).toMatchObject({ status: 'held', holdReason: 'too-fast-to-convert', publisherId: AFF_A });

    // Conversions: held by default; narrowed to the advertiser, the sale is there with its reason in words.
    await page.getByRole('link', { name: 'Conversions' }).click();
    await page.getByRole('heading', { name: 'Conversions' }).waitFor();
    expect(await page.getByLabel('Status', { exact: true }).inputValue()).toBe('held');
    await page.getByLabel('Advertiser', { exact: true }).selectOption(ADV);
    const conversion = page.getByTestId('conversions-table').locator(`tr[data-order-id="${orderId}"]`);
    await conversion.waitFor();
    expect(await conversion.getByTestId('conversion-status').textContent()).toBe('held');
    expect(await conversion.getByTestId('hold-reason').textContent()).toBe('The sale came too soon after the click to be a real visit.');
    const text = (await conversion.textContent())?.replace(/\s/g, ' ');
    expect(text).toContain(AFF_A);
    expect(text).toContain(AFF_CAMPAIGN_NAME);
    expect(text).toContain('SEK 1,000.00');
    expect(text).toContain('SEK 120.00');
    expect(text).toContain('SEK 24.00');
    await screenshot('affiliate-conversions');
    // In Swedish too.
    await page.getByText('SV', { exact: true }).click();
    await page.getByRole('heading', { name: 'Konverteringar' }).waitFor();
    expect(await conversion.getByTestId('hold-reason').textContent()).toBe('Köpet kom för snart efter klicket för att vara ett verkligt besök.');
    expect(await conversion.getByTestId('conversion-status').textContent()).toBe('spärrad');
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Conversions' }).waitFor();
    // Another status does not show it.
    await page.getByLabel('Status', { exact: true }).selectOption('pending');
    await page.getByText('No conversions match.').waitFor();

    // Performance: the advertiser's report shows A's click and its held sale.
    await page.getByRole('link', { name: 'Performance' }).click();
    await page.getByRole('heading', { name: 'Performance' }).waitFor();
    await page.getByLabel('Advertiser', { exact: true }).selectOption(ADV);
    await page.getByRole('button', { name: 'Show' }).click();
    const day = page.getByTestId('performance-table').locator(`tr[data-campaign-id="${AFF_CAMPAIGN_ID}"][data-publisher-id="${AFF_A}"]`).first();
    await day.waitFor();
    expect(await day.getByTestId('clicks').textContent()).toBe('1');
    expect(await day.getByTestId('conversions').textContent()).toBe('0');
    expect(await day.getByTestId('held').textContent()).toBe('Held: 1');
    expect(await day.textContent()).toContain(AFF_CAMPAIGN_NAME);
    await screenshot('affiliate-performance');

    // Review: the ops admin releases the held sale; it leaves the held list and is pending.
    await page.getByRole('link', { name: 'Conversions' }).click();
    await page.getByLabel('Advertiser', { exact: true }).selectOption(ADV);
    await conversion.getByRole('button', { name: 'Release' }).click();
    await page.getByText(`Released: order ${orderId} is paid as recorded.`).waitFor();
    await page.getByText('No conversions match.').waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('pending');
    await conversion.waitFor();
    expect(await conversion.getByTestId('conversion-status').textContent()).toBe('pending');
    expect(await conversion.getByRole('button', { name: 'Release' }).count()).toBe(0);
  });

  it('an ops admin looks up deliveries: a lookup without a filter is the API’s 400 on the recipient input; a skipped message with its reason; a refused webhook replayed once its receiver is fixed', async () => {
    await page.getByRole('link', { name: 'Deliveries' }).click();
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    await page.getByRole('button', { name: 'Show deliveries' }).click();
    await eventually(async () => expect(await fieldError('Recipient id')).toBe('recipient, eventId or customerId is required'));
    // The affiliate has no e-mail or webhook on record: notification logged its commission message as skipped.
    await page.getByLabel('Recipient id').fill(AFF_A);
    const row = page.getByTestId('deliveries-table').locator('tr[data-delivery-id]').first();
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Show deliveries' }).click();
        expect(await row.getAttribute('data-status')).toBe('skipped');
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    expect(await page.getByLabel('Recipient id').getAttribute('aria-invalid')).not.toBe('true');
    expect(await row.textContent()).toContain(AFF_A);
    expect(await row.getByTestId('skip-reason').textContent()).toBe('no-email-configured');
    expect(await row.getByTestId('delivery-status').textContent()).toBe('skipped');
    const id = await row.getAttribute('data-delivery-id');
    await row.getByRole('button', { name: `Show the attempts of ${id}` }).click();
    await page.getByText('No attempt yet.').waitFor();
    // Nothing to replay: notification replays failed and dead deliveries only.
    expect(await row.getByRole('button', { name: 'Replay' }).count()).toBe(0);

    // An advertiser whose webhook refuses (400 is final: failed after one attempt) is told its campaign ended.
    let receiverFixed = false;
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      received.push(String(req.headers['idempotency-key'] ?? ''));
      req.resume();
      res.writeHead(receiverFixed ? 200 : 400).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const port = (receiver.address() as AddressInfo).port;
      const adv2 = `adv-dlv-${run}`;
      expect((await api('campaigns', 'POST', '/v1/advertisers', { id: adv2, name: `Leverans AB ${run}`, billingCurrency: 'SEK', merchants: [{ id: `mer-dlv-${run}`, name: 'Leverans AB', mids: [`MID-DLV-${run}`], descriptorPatterns: ['LEVERANS AB*'], mccs: ['5814'], country: 'SE', channels: ['online'] }] })).status).toBe(201);
      expect((await api('notification', 'PUT', `/v1/recipients/advertiser/${adv2}`, { webhookUrl: `http://127.0.0.1:${port}/hook`, webhookSecret: 'whsec_console_test_secret_0123456789', defaultLocale: 'en' })).status).toBe(200);
      const campaignId = `cmp-dlv-${run}`;
      expect(
        (await api('campaigns', 'POST', '/v1/campaigns', {
          id: campaignId,
          advertiserId: adv2,
          name: `Ending soon ${run}`,
          pricing: { model: 'CPA' },
          platformFee: { kind: 'percent', basisPoints: 2000, publisherShareBasisPoints: 0 },
          budget: { total: { amountMinor: 100_000, currency: 'SEK' }, pacing: 'asap' },
          schedule: { startsAt: '2025-01-01T00:00:00+01:00', timeZone: 'Europe/Stockholm' },
          audience: { segment: 'all' },
          channels: ['online'],
          activation: 'automatic',
          windows: { clickDays: 30, viewDays: 1 },
          holdPeriodDays: 14,
          affiliate: { landingUrl: LANDING, commission: { kind: 'percent', basisPoints: 800 }, approval: 'manual' },
        })).status,
      ).toBe(201);
      for (const action of ['activate', 'end']) expect((await api('campaigns', 'POST', `/v1/campaigns/${campaignId}/${action}`, {})).status).toBe(200);

      await page.getByLabel('Recipient id').fill(adv2);
      const webhook = page.getByTestId('deliveries-table').locator('tr[data-delivery-id][data-status="failed"]');
      await eventually(
        async () => {
          await page.getByRole('button', { name: 'Show deliveries' }).click();
          expect(await webhook.count()).toBe(1);
        },
        { timeoutMs: 60_000, intervalMs: 1000 },
      );
      const failedId = (await webhook.getAttribute('data-delivery-id'))!;
      expect(await webhook.textContent()).toContain('400');
      expect(received).toEqual([failedId]);
      await webhook.getByRole('button', { name: `Show the attempts of ${failedId}` }).click();
      expect(await page.getByTestId('attempt-log').textContent()).toContain('failed');
      await screenshot('deliveries');

      // The receiver is fixed; the ops admin replays it: same id, delivered on the fresh run.
      receiverFixed = true;
      await webhook.getByRole('button', { name: 'Replay' }).click();
      expect(await page.getByTestId('delivery-notice').textContent()).toBe(`Delivery ${failedId} is queued again: a fresh run of attempts, same id and body.`);
      const replayed = page.locator(`tr[data-delivery-id="${failedId}"]`);
      await eventually(
        async () => {
          await page.getByRole('button', { name: 'Show deliveries' }).click();
          expect(await replayed.getAttribute('data-status')).toBe('delivered');
        },
        { timeoutMs: 30_000, intervalMs: 1000 },
      );
      expect(received).toEqual([failedId, failedId]);
    } finally {
      receiver.close();
    }
  });

  it('an ops admin finds a refused bank event among the dead letters, reads its body and replays it; the result and the audit show it; an ops viewer only reads', async () => {
    // A bank sends an authorization with a channel the contract does not know: the gate dead-letters it.
    const txn = `txn-dlq-${run}`;
    const now = new Date();
    const event = newEnvelope(InboundCardTransactionAuthorizationV1, {
      source: TEST_BANK_SOURCE,
      occurredAt: now,
      data: {
        transactionId: txn,
        customerId: `cust-dlq-${run}`,
        cardId: 'card-dlq',
        amount: { amountMinor: 4_200, currency: 'SEK' },
        merchant: { descriptor: 'KAFE KONSOL STOCKHOLM', mcc: '5814', country: 'SE' },
        channel: 'in-store',
        transactionAt: now.toISOString(),
      },
    });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic: physicalTopic('inbound.card-transactions'), messages: [{ key: `cust-dlq-${run}`, value: JSON.stringify({ ...event, data: { ...event.data, channel: 'by-pigeon' } }) }] });
    } finally {
      await producer.disconnect();
    }
    // Where it landed, through the console server's API (the page shows the same list).
    const dlq = 'inbound.card-transactions.dlq';
    const position = await eventually(
      async () => {
        const r = await fetch(`${consoleUrl}/api/dead-letters/topics/${dlq}/messages?limit=200`, { headers: await bearer(['ops-viewer']) });
        const found = ((await r.json()) as { messages: { offset: string; body: string | null; replay: unknown }[] }).messages.filter((m) => (m.body ?? '').includes(txn) && !m.replay);
        expect(found).toHaveLength(1);
        return `${dlq}/0/${found[0].offset}`;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByRole('heading', { name: 'Dead letters' }).waitFor();
    await page.getByLabel('Dead-letter topic').selectOption(dlq);
    const row = page.locator(`tr[data-position="${position}"]`);
    await row.waitFor();
    expect(await row.getByTestId('dlq-code').textContent()).toBe('invalid-payload');
    expect(await row.getByTestId('dlq-field').textContent()).toBe('data.channel');
    expect(await row.getByTestId('dlq-reason').textContent()).toContain('data.channel must be one of');
    expect(await row.getByTestId('dlq-origin').textContent()).toMatch(/^inbound\.card-transactions\/\d+\/\d+$/);
    // The newest is first: nothing on the page is newer than ours.
    const positions = await page.getByTestId('dead-letter').evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { position?: string } }).dataset.position ?? ''));
    const offsets = positions.map((p) => Number(p.split('/').pop()));
    expect(offsets).toEqual([...offsets].sort((a, b) => b - a));
    await row.getByRole('button', { name: `Show the body of ${position}` }).click();
    expect(await page.getByTestId('dlq-body').textContent()).toContain(`"transactionId": "${txn}"`);
    await screenshot('dead-letters');

    // Replay it after the confirmation; the result names where it went.
    await row.getByRole('checkbox', { name: `Select ${position}` }).check();
    await page.getByRole('button', { name: 'Replay selected (1)' }).click();
    const confirm = page.getByRole('dialog');
    expect(await confirm.textContent()).toContain(position);
    await confirm.getByRole('button', { name: 'Replay 1' }).click();
    const result = page.getByTestId('replay-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(new RegExp(`${position.replace(/\./g, '\\.')} → inbound\\.card-transactions/\\d+/\\d+`));
    expect(await result.textContent()).toContain('by dev-ops-admin');
    // Still invalid, the gate refuses it again: it comes back marked as a replay by this admin.
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        expect(await page.getByTestId('dlq-replayed-badge').filter({ hasText: `a replay of ${position} by dev-ops-admin` }).count()).toBe(1);
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    const audit = page.getByTestId('audit-entry').filter({ hasText: position });
    await eventually(async () => expect(await audit.evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { action?: string } }).dataset.action))).toEqual(['dead-letter.replay.completed', 'dead-letter.replay.requested']));
    expect(await audit.first().textContent()).toContain('dev-ops-admin');

    // An ops viewer reads the same list, with nothing to select or replay; the API refuses it anyway.
    await page.getByRole('button', { name: 'Log out' }).click();
    await logIn('ops-viewer');
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByLabel('Dead-letter topic').selectOption(dlq);
    await page.locator(`tr[data-position="${position}"]`).waitFor();
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Replay/ }).count()).toBe(0);
    const refused = await fetch(`${consoleUrl}/api/dead-letters/replays`, { method: 'POST', headers: { ...(await bearer(['ops-viewer'])), 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ topic: dlq, partition: 0, offset: position.split('/').pop() }] }) });
    expect(refused.status).toBe(403);
    await page.getByText('SV', { exact: true }).click();
    await page.getByRole('heading', { name: 'Döda meddelanden' }).waitFor();
    expect(await page.getByRole('columnheader', { name: 'Orsak' }).count()).toBe(1);
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Dead letters' }).waitFor();
  });

  it('an ops viewer sees the campaigns and the integrations but no button that writes', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await logIn('ops-viewer');
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.locator(`tr[data-campaign-id="${CAMPAIGN_ID}"]`).waitFor();
    expect(await page.getByRole('button', { name: 'New campaign' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Actions/ }).count()).toBe(0);
    // The affiliate program's page: no approve or decline, and no postback secret in the menu.
    await page.locator(`tr[data-campaign-id="${AFF_CAMPAIGN_ID}"]`).getByRole('link', { name: AFF_CAMPAIGN_NAME }).click();
    await page.getByTestId('approved-affiliates').locator(`tr[data-publisher-id="${AFF_A}"]`).waitFor();
    expect(await page.getByRole('button', { name: /^(Approve|Decline)/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Postback secret' }).count()).toBe(0);
    await page.getByRole('link', { name: 'All campaigns' }).click();
    // The API refuses a viewer's write anyway.
    expect((await api('campaigns', 'POST', `/v1/campaigns/${CAMPAIGN_ID}/pause`, {}, await bearer(['ops-viewer']))).status).toBe(403);

    // The registry, read-only: the list, an integration's keys, and no issue, rotate or revoke.
    await page.getByRole('link', { name: 'Integrations', exact: true }).click();
    const listRow = page.locator(`tr[data-integration-id="${INTEGRATION_ID}"]`);
    await listRow.waitFor();
    expect(await page.getByRole('button', { name: 'New integration' }).count()).toBe(0);
    await listRow.getByRole('link', { name: INTEGRATION_NAME }).click();
    await page.getByTestId('keys-table').locator('tbody tr').first().waitFor();
    expect(await page.getByTestId('key-state').evaluateAll((badges) => badges.map((b) => (b as unknown as { dataset: { state?: string } }).dataset.state))).toEqual(['expired', 'revoked']);
    expect(await page.getByRole('button', { name: /^(Issue key|Rotate|Revoke)/ }).count()).toBe(0);
    expect((await api('campaigns', 'POST', `/v1/integrations/${INTEGRATION_ID}/keys`, {}, await bearer(['ops-viewer']))).status).toBe(403);
    // The registry in Swedish, and back.
    await page.getByText('SV', { exact: true }).click();
    await page.getByRole('heading', { name: 'API-nycklar' }).waitFor();
    expect(await page.getByTestId('key-state').allTextContents()).toEqual(['utgången', 'återkallad']);
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();

    // Advertisers, read-only: the list, an advertiser's page with its merchant, and no button that writes.
    await page.getByRole('link', { name: 'Advertisers', exact: true }).click();
    await page.locator(`tr[data-advertiser-id="${UI_ADV}"]`).getByRole('link').click();
    await page.getByTestId('merchants-table').locator(`tr[data-merchant-id="${UI_MERCHANT}"]`).waitFor();
    expect(await page.getByRole('button', { name: /^(New advertiser|Save name|Edit budget|Remove budget|Add merchant|Edit: |Remove: )/ }).count()).toBe(0);
    expect((await api('campaigns', 'PATCH', `/v1/advertisers/${UI_ADV}`, { budget: null }, await bearer(['ops-viewer']))).status).toBe(403);
    // The advertiser's page in Swedish, and back.
    await page.getByText('SV', { exact: true }).click();
    await page.getByRole('heading', { name: 'Handlare', exact: true }).waitFor();
    expect(await page.getByTestId('no-budget').textContent()).toBe('Ingen annonsörsbudget: bara varje kampanjs egen budget begränsar dess utgifter.');
    expect(await page.getByTestId('merchants-table').locator(`tr[data-merchant-id="${UI_MERCHANT}"]`).textContent()).toContain('i butik');
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Merchants', exact: true }).waitFor();
  });

  it('an advertiser user sees only its own campaigns and no transaction lookup or customer screen; the console speaks Swedish too', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await logIn('advertiser', `adv-someone-else-${run}`);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByText('No campaigns yet.').waitFor();
    expect(await page.getByRole('link', { name: 'Transaction lookup' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Integrations', exact: true }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Customer', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Log out' }).click();
    await logIn('advertiser', ADV);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.locator(`tr[data-campaign-id="${CAMPAIGN_ID}"]`).waitFor();
    // Its two: the cashback campaign and the affiliate program.
    expect(await page.locator('tr[data-campaign-id]').evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { campaignId?: string } }).dataset.campaignId).sort())).toEqual([AFF_CAMPAIGN_ID, CAMPAIGN_ID].sort());
    expect(await page.getByRole('button', { name: 'New campaign' }).count()).toBe(0);
    // Its own advertiser only (the API filters), to read.
    await page.getByRole('link', { name: 'Advertisers', exact: true }).click();
    await page.locator(`tr[data-advertiser-id="${ADV}"]`).waitFor();
    expect(await page.locator('tr[data-advertiser-id]').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'New advertiser' }).count()).toBe(0);
    await page.locator(`tr[data-advertiser-id="${ADV}"]`).getByRole('link').click();
    await page.getByTestId('merchants-table').locator(`tr[data-merchant-id="mer-console-${run}"]`).waitFor();
    expect(await page.getByRole('button', { name: /^(Save name|Edit budget|Add merchant|Edit: |Remove: )/ }).count()).toBe(0);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    // Swedish, and back.
    await page.getByText('SV', { exact: true }).click();
    await page.getByRole('heading', { name: 'Kampanjer' }).waitFor();
    expect(await page.getByRole('button', { name: 'Logga ut' }).count()).toBe(1);
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();

    // Its own affiliate report, with no advertiser to pick.
    await page.getByRole('link', { name: 'Performance' }).click();
    await page.getByTestId('performance-table').locator(`tr[data-campaign-id="${AFF_CAMPAIGN_ID}"][data-publisher-id="${AFF_A}"]`).first().waitFor();
    expect(await page.getByLabel('Advertiser', { exact: true }).count()).toBe(0);
  });

  it('a token the services refuse (401) sends the user back to the login page', async () => {
    const forged = await signLocalToken('not-the-platform-secret', { sub: 'intruder', roles: ['ops-admin'] }, '1h');
    await page.evaluate((token) => (globalThis as unknown as BrowserGlobals).sessionStorage.setItem('prestanda.console.token', token), forged);
    await page.goto(`${consoleUrl}/campaigns`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await page.getByText('Your session has ended. Log in again.').count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).sessionStorage.getItem('prestanda.console.token'))).toBeNull();
  });

  it('the browser logged no error during the tests', () => {
    expect(browserErrors).toEqual([]);
  });
});
