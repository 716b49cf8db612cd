/**
 * The ingestion schema's entities and migrations, listed explicitly (globs break under bundling).
 * Migrations: <epochMs>-<VerbNoun>.ts, this service's schema only.
 */
import { RegisteredIntegration } from '../gate/integrations';
import { SeenEvent } from '../gate/seen-event.entity';
import { CreateSeenEvents1764500000000 } from './1764500000000-CreateSeenEvents';
import { IndexSeenEventsByPurchase1764600000000 } from './1764600000000-IndexSeenEventsByPurchase';
import { CreateIntegrations1797000000000 } from './1797000000000-CreateIntegrations';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const INGESTION_ENTITIES: Function[] = [SeenEvent, RegisteredIntegration];
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const INGESTION_MIGRATIONS: Function[] = [CreateSeenEvents1764500000000, IndexSeenEventsByPurchase1764600000000, CreateIntegrations1797000000000];
