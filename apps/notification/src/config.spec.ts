import { ConfigError } from '@prestanda/config';
import { loadNotificationConfig } from './config';

describe('notification config', () => {
  it('converts env strings to numbers and keeps defaults', () => {
    const c = loadNotificationConfig({ HTTP_PORT: '0', DISPATCH_POLL_MS: '50', DISPATCH_MAX_ATTEMPTS: '3', SMTP_URL: 'smtp://127.0.0.1:2525' });
    expect(c.HTTP_PORT).toBe(0);
    expect(c.HEALTH_PORT).toBe(9406);
    expect(c.DISPATCH_POLL_MS).toBe(50);
    expect(c.DISPATCH_MAX_ATTEMPTS).toBe(3);
    expect(c.DISPATCH_BACKOFF_BASE_MS).toBe(5000);
  });

  it('names a bad variable', () => {
    expect(() => loadNotificationConfig({ SMTP_URL: 'http://x' })).toThrow(ConfigError);
    expect(() => loadNotificationConfig({ DISPATCH_MAX_ATTEMPTS: '0' })).toThrow(/DISPATCH_MAX_ATTEMPTS/);
  });
});
