/**
 * The attribution schema's entities and migrations, listed explicitly (globs break under bundling).
 * Migrations: <epochMs>-<VerbNoun>.ts, this service's schema only.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ATTRIBUTION_ENTITIES: Function[] = [];
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ATTRIBUTION_MIGRATIONS: Function[] = [];
