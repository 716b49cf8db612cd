// Integration specs drive real processes through a real broker and database.
jest.setTimeout(180_000);

// Auth for services started in tests (libs/testing/src/auth.ts signs tokens with the same secret).
process.env.AUTH_JWT_SECRET ??= 'prestanda-test-secret';
// Webhook and postback secrets are encrypted at rest in tests too (a fixed test key).
process.env.SECRETS_KEY ??= '5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7';
process.env.AUTH_API_KEYS ??= JSON.stringify({ 'test-bank-key': { source: 'bank-test', publisherId: 'pub-bank-test' } });
