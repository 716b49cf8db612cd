export * from './database-url';
export * from './data-source';
export * from './messaging.entities';
export * from './messaging.migration';
export * from './outbox';
export * from './errors';
export * from './transformers';
export * from './secret-box';
