import type { AttributionEnv } from '../config';

/** The validated AttributionEnv, for providers that need the hold unit and worker settings. */
export const ATTRIBUTION_CONFIG = Symbol('ATTRIBUTION_CONFIG');
export type AttributionConfig = Pick<AttributionEnv, 'ATTRIBUTION_HOLD_UNIT_SECONDS' | 'ATTRIBUTION_CONFIRM_POLL_MS' | 'ATTRIBUTION_CONFIRM_BATCH' | 'ATTRIBUTION_HELD_EXPIRY_DAYS' | 'authorizationExpiryDays'>;
