import { loadConfig } from './config';
import { pickHeaders, proxyTarget, FORWARDED_REQUEST_HEADERS } from './routes';

const services = loadConfig({}, { staticDir: 'dist' }).services;

describe('the console server forwards /api/<service>/… to that service, unchanged', () => {
  it.each([
    ['/api/campaigns/v1/campaigns', 'http://127.0.0.1:3001/v1/campaigns'],
    ['/api/campaigns/v1/campaigns?status=active&advertiserId=adv-1', 'http://127.0.0.1:3001/v1/campaigns?status=active&advertiserId=adv-1'],
    ['/api/ingestion/v1/card-transactions', 'http://127.0.0.1:3002/v1/card-transactions'],
    ['/api/offer-matching/v1/transactions/bank-demo-se/txn-1/outcomes', 'http://127.0.0.1:3003/v1/transactions/bank-demo-se/txn-1/outcomes'],
    ['/api/attribution/v1/purchases/bank-demo-se%3Atxn-1/decisions', 'http://127.0.0.1:3004/v1/purchases/bank-demo-se%3Atxn-1/decisions'],
    ['/api/billing/v1/ledger/checks', 'http://127.0.0.1:3005/v1/ledger/checks'],
    ['/api/notification/v1/deliveries', 'http://127.0.0.1:3006/v1/deliveries'],
    ['/api/billing', 'http://127.0.0.1:3005/'],
  ])('%s → %s', (path, url) => {
    expect(proxyTarget(path, services)?.url).toBe(url);
  });

  it('names the service it chose', () => {
    expect(proxyTarget('/api/offer-matching/v1/x', services)?.service).toBe('offer-matching');
  });

  it.each([['/api/unknown/v1/x'], ['/api/'], ['/api'], ['/apix/campaigns/v1'], ['/campaigns/v1/campaigns'], ['/api/Campaigns/v1/campaigns'], ['/api/campaigns/../billing/v1/ledger/checks'], ['/api/campaigns/v1/%2e%2e/x'], ['/api/campaigns/./v1']])(
    'refuses %s',
    (path) => {
      expect(proxyTarget(path, services)).toBeUndefined();
    },
  );

  it('uses the base URLs from the environment', () => {
    const config = loadConfig({ CAMPAIGNS_URL: 'http://campaigns.svc:8080/', OFFER_MATCHING_URL: 'https://om.example/base', OFFER_MATCHING_HEALTH_URL: 'http://om:9000' }, { staticDir: 'dist' });
    expect(proxyTarget('/api/campaigns/v1/campaigns', config.services)?.url).toBe('http://campaigns.svc:8080/v1/campaigns');
    expect(proxyTarget('/api/offer-matching/v1/x?y=1', config.services)?.url).toBe('https://om.example/base/v1/x?y=1');
    expect(config.health['offer-matching']).toBe('http://om:9000');
    expect(config.health.billing).toBe('http://127.0.0.1:9405');
  });

  it('refuses a service URL that is not a URL at boot', () => {
    expect(() => loadConfig({ BILLING_URL: 'billing:3005 ' }, { staticDir: 'dist' })).toThrow(/billing: not a URL/);
    expect(() => loadConfig({ CONSOLE_PORT: 'x' }, { staticDir: 'dist' })).toThrow(/CONSOLE_PORT/);
  });

  it("passes the caller's Authorization header and no cookie or API key", () => {
    const picked = pickHeaders({ authorization: 'Bearer t', cookie: 'a=b', 'x-api-key': 'k', 'content-type': 'application/json', host: 'localhost:3000' }, FORWARDED_REQUEST_HEADERS);
    expect(picked).toEqual({ authorization: 'Bearer t', 'content-type': 'application/json' });
  });
});
