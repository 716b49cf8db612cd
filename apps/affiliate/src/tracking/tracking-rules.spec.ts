import { clickFraudReason, isBotUserAgent, keyedHash, landingUrl, newClickId, referrerHost, subIdsOf, truncateIp } from './tracking-rules';
import { RateWindow } from './rate-window';

const terms = { landingUrl: 'https://shop.example.se/start?utm=x', deepLinkHosts: ['shop.example.se', 'blog.example.se'], clickIdParam: 'prclid' };

describe('the landing URL of a click', () => {
  it('is the landing URL with the click id appended (its own query kept)', () => {
    expect(landingUrl(terms, undefined, 'c_abc')).toBe('https://shop.example.se/start?utm=x&prclid=c_abc');
  });

  it('follows a deep link to an allowed host', () => {
    expect(landingUrl(terms, 'https://blog.example.se/post/1', 'c_abc')).toBe('https://blog.example.se/post/1?prclid=c_abc');
  });

  it('ignores a deep link to another host (no open redirect), or one carrying a card number', () => {
    expect(landingUrl(terms, 'https://evil.example/phish', 'c_1')).toBe('https://shop.example.se/start?utm=x&prclid=c_1');
    expect(landingUrl(terms, 'javascript:alert(1)', 'c_1')).toBe('https://shop.example.se/start?utm=x&prclid=c_1');
    expect(landingUrl(terms, 'https://shop.example.se/p?card=4111111111111111', 'c_1')).toBe('https://shop.example.se/start?utm=x&prclid=c_1');
  });

  it('replaces a click id the link already carried', () => {
    expect(landingUrl(terms, 'https://shop.example.se/p?prclid=forged', 'c_2')).toBe('https://shop.example.se/p?prclid=c_2');
  });
});

describe('sub ids', () => {
  it('keeps sub1..sub5 only, printable and at most 100 characters', () => {
    expect(subIdsOf({ sub1: 'newsletter', sub2: 'x'.repeat(150), sub6: 'no', other: 'no', sub3: 'a\u0000b' })).toEqual({ sub1: 'newsletter', sub2: 'x'.repeat(100), sub3: 'ab' });
  });

  it('drops a sub id carrying a card number', () => {
    expect(subIdsOf({ sub1: '4111 1111 1111 1111', sub2: 'ok' })).toEqual({ sub2: 'ok' });
  });
});

describe('privacy of the click record', () => {
  it('truncates IPv4 to /24 and IPv6 to /48 before hashing', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0/24');
    expect(truncateIp('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
    expect(truncateIp('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(truncateIp('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(truncateIp('garbage')).toBe('unknown');
  });

  it('hashes with a key: stable, 32 hex characters, different per key', () => {
    expect(keyedHash('k1', '203.0.113.0/24')).toMatch(/^[0-9a-f]{32}$/);
    expect(keyedHash('k1', 'a')).toBe(keyedHash('k1', 'a'));
    expect(keyedHash('k1', 'a')).not.toBe(keyedHash('k2', 'a'));
  });

  it('keeps only the host of the referrer', () => {
    expect(referrerHost('https://Blog.Example.se/post?email=a@b.se')).toBe('blog.example.se');
    expect(referrerHost('not a url')).toBeNull();
    expect(referrerHost(undefined)).toBeNull();
  });
});

describe('bots', () => {
  it('flags known robots, scripted clients and a missing user agent', () => {
    for (const ua of ['Googlebot/2.1 (+http://www.google.com/bot.html)', 'curl/8.5.0', 'python-requests/2.31', 'Mozilla/5.0 HeadlessChrome/120', 'facebookexternalhit/1.1', '', undefined]) {
      expect(isBotUserAgent(ua)).toBe(true);
    }
  });

  it('lets browsers through', () => {
    expect(isBotUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15')).toBe(false);
    expect(isBotUserAgent('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36')).toBe(false);
  });
});

describe('click ids', () => {
  it('are 128 random bits, URL-safe', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newClickId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^c_[A-Za-z0-9_-]{22}$/);
  });
});

describe('rate windows', () => {
  it('count per key, a burst across a window boundary counted whole', () => {
    const w = new RateWindow(60_000);
    expect(w.hit('a', 0)).toBe(1);
    expect(w.hit('a', 59_999)).toBe(2);
    expect(w.hit('b', 59_999)).toBe(1);
    expect(w.hit('a', 60_000)).toBe(3);
  });

  it('forget a key two windows later', () => {
    const w = new RateWindow(60_000);
    w.hit('a', 0);
    w.hit('a', 1);
    expect(w.hit('a', 120_000)).toBe(1);
    expect(w.hit('a', 180_000)).toBe(2);
    expect(w.hit('a', 300_000)).toBe(1);
  });
});

describe('which clicks are not charged', () => {
  const limits = { floodPerNetwork: 20, floodPerPublisher: 6000 };
  const browser = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

  it('a robot, a flooding network, a flooding publisher — in that order', () => {
    expect(clickFraudReason('Googlebot/2.1', 1, 1, limits)).toBe('bot-user-agent');
    expect(clickFraudReason(browser, 21, 1, limits)).toBe('click-flood');
    expect(clickFraudReason(browser, 1, 6001, limits)).toBe('publisher-click-flood');
    expect(clickFraudReason('curl/8', 21, 6001, limits)).toBe('bot-user-agent');
  });

  it('a person under both limits is a valid click', () => {
    expect(clickFraudReason(browser, 20, 6000, limits)).toBeNull();
  });
});
