/**
 * The notification schema's entities and migrations, listed explicitly (globs break under bundling).
 * Migrations: <epochMs>-<VerbNoun>.ts, this service's schema only.
 */
import { AffiliateCommission, AffiliateCommissionReversal, CampaignName, CustomerPreference, Delivery, DeliveryAttempt, Recipient } from '../entities';
import { CreateNotificationTables1764460100000 } from './1764460100000-CreateNotificationTables';
import { AddCampaignStatus1764560000000 } from './1764560000000-AddCampaignStatus';
import { KeyPreferencesByBank1796500000000 } from './1796500000000-KeyPreferencesByBank';
import { CreateAffiliateCommissions1796800000200 } from './1796800000200-CreateAffiliateCommissions';
import { AddPreviousWebhookSecret1796900000000 } from './1796900000000-AddPreviousWebhookSecret';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const NOTIFICATION_ENTITIES: Function[] = [Recipient, CustomerPreference, CampaignName, Delivery, DeliveryAttempt, AffiliateCommission, AffiliateCommissionReversal];
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const NOTIFICATION_MIGRATIONS: Function[] = [CreateNotificationTables1764460100000, AddCampaignStatus1764560000000, KeyPreferencesByBank1796500000000, CreateAffiliateCommissions1796800000200, AddPreviousWebhookSecret1796900000000];
