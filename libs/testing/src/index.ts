export * from './eventually';
export * from './test-env';
export * from './topic-reader';
export * from './child-service';
export * from './topic-namespace';
export * from './auth';
export * from './platform';
