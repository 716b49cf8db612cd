/**
 * The offer-matching schema's entities and migrations, listed explicitly (globs break under bundling).
 * Migrations: <epochMs>-<VerbNoun>.ts, this service's schema only.
 */
import { MATCHING_ENTITIES } from '../matching/entities';
import { CreateMatchingTables1764500000000 } from './1764500000000-CreateMatchingTables';
import { RenameRewardedReason1796300000000 } from './1796300000000-RenameRewardedReason';
import { ScopeCustomersByBank1796400000000 } from './1796400000000-ScopeCustomersByBank';
import { FoldDescriptorPatterns1796600000000 } from './1796600000000-FoldDescriptorPatterns';
import { AddMatchReleases1796700000000 } from './1796700000000-AddMatchReleases';
import { AddLimitReservations1797000000000 } from './1797000000000-AddLimitReservations';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const OFFER_MATCHING_ENTITIES: Function[] = [...MATCHING_ENTITIES];
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const OFFER_MATCHING_MIGRATIONS: Function[] = [CreateMatchingTables1764500000000, RenameRewardedReason1796300000000, ScopeCustomersByBank1796400000000, FoldDescriptorPatterns1796600000000, AddMatchReleases1796700000000, AddLimitReservations1797000000000];
