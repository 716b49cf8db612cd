export * from './principal';
export * from './decorators';
export * from './auth.guard';
export * from './token-verifier';
export * from './key-registry';
