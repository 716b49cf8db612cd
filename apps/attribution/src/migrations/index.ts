/**
 * The attribution schema's entities and migrations, listed explicitly (globs break under bundling).
 * Migrations: <epochMs>-<VerbNoun>.ts, this service's schema only.
 */
import { ATTRIBUTION_TABLES } from '../attribution/entities';
import { CreateAttributionTables1764470000000 } from './1764470000000-CreateAttributionTables';
import { ScopeCustomersByBank1796400000000 } from './1796400000000-ScopeCustomersByBank';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ATTRIBUTION_ENTITIES: Function[] = [...ATTRIBUTION_TABLES];
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ATTRIBUTION_MIGRATIONS: Function[] = [CreateAttributionTables1764470000000, ScopeCustomersByBank1796400000000];
