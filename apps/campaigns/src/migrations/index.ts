import { Advertiser, Campaign, CampaignApplication, CampaignHistory, Merchant, Publisher } from '../campaigns/entities';
import { CreateCampaignsTables1764470000000 } from './1764470000000-CreateCampaignsTables';
import { CreateCampaignApplications1764480000000 } from './1764480000000-CreateCampaignApplications';
import { AddCampaignBanks1796400000000 } from './1796400000000-AddCampaignBanks';
import { CreateIntegrationRegistry1796600000000 } from './1796600000000-CreateIntegrationRegistry';
import { AddAffiliateTerms1796800000000 } from './1796800000000-AddAffiliateTerms';
import { AddAdvertiserBudget1797000000000 } from './1797000000000-AddAdvertiserBudget';
import { AddIntegrationPublishedAt1797000000100 } from './1797000000100-AddIntegrationPublishedAt';
import { AddCampaignContent1797000000200 } from './1797000000200-AddCampaignContent';
import { ApiKey, Integration } from '../integrations/entities';

/**
 * The campaigns schema's entities and migrations, listed explicitly (globs break under bundling).
 * Migrations: <epochMs>-<VerbNoun>.ts, this service's schema only.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const CAMPAIGNS_ENTITIES: Function[] = [Advertiser, Merchant, Publisher, Campaign, CampaignHistory, CampaignApplication, Integration, ApiKey];
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const CAMPAIGNS_MIGRATIONS: Function[] = [CreateCampaignsTables1764470000000, CreateCampaignApplications1764480000000, AddCampaignBanks1796400000000, CreateIntegrationRegistry1796600000000, AddAffiliateTerms1796800000000, AddAdvertiserBudget1797000000000, AddIntegrationPublishedAt1797000000100, AddCampaignContent1797000000200];
