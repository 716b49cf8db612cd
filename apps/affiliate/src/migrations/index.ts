/**
 * The affiliate schema's entities and migrations, listed explicitly (globs break under bundling).
 * Migrations: <epochMs>-<VerbNoun>.ts, this service's schema only.
 */
import { CONVERSION_ENTITIES } from '../conversions/entities';
import { PROGRAM_ENTITIES } from '../programs/entities';
import { ClickRow } from '../tracking/entities';
import { CreateAffiliateTables1796800000000 } from './1796800000000-CreateAffiliateTables';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const AFFILIATE_ENTITIES: Function[] = [...PROGRAM_ENTITIES, ClickRow, ...CONVERSION_ENTITIES];
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const AFFILIATE_MIGRATIONS: Function[] = [CreateAffiliateTables1796800000000];
