export * from './principal';
export * from './decorators';
export * from './auth.guard';
export * from './token-verifier';
export * from './api-key-digest';
export * from './key-registry';
export * from './production-auth';
