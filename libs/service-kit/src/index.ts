export * from './service-env';
export * from './service-kit.module';
export * from './messaging.runtime';
export * from './health.server';
export * from './bootstrap';
export * from './secrets-resealer';
export * from './rate-limit';
