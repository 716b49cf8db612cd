import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { CHANNELS, PRICING_MODELS, type PurchaseChannel } from '@prestanda/contracts';
import { CURRENCY_CODES, isCurrency } from '@prestanda/money';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,

  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
  buildMessage,
} from 'class-validator';
import type { BankTargeting } from './entities';

/** Opaque ids of the contracts: 1–128 printable ASCII characters, no whitespace. */
export const ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
const ID_MESSAGE = '$property must be 1-128 printable ASCII characters without whitespace';
const HH_MM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** ISO 4217 code with minor units, as @prestanda/money knows them. */
export function IsCurrencyCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isCurrencyCode', validator: { validate: (v) => isCurrency(v), defaultMessage: buildMessage((each) => `${each}$property must be an ISO 4217 currency code (SEK, EUR, ...)`, options) } }, options);
}

/** A valid IANA time zone name. */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimeZone',
      validator: {
        validate: (v) => {
          if (typeof v !== 'string' || v.length === 0 || v.length > 64) return false;
          try {
            new Intl.DateTimeFormat('en', { timeZone: v });
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: buildMessage((each) => `${each}$property must be an IANA time zone such as Europe/Stockholm`, options),
      },
    },
    options,
  );
}

export function IsDateTimeWithOffset(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateTimeWithOffset',
      validator: {
        validate: (v) => typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v)),
        defaultMessage: buildMessage((each) => `${each}$property must be an RFC 3339 date-time with offset, e.g. 2025-03-01T00:00:00+01:00`, options),
      },
    },
    options,
  );
}

// ---------- money ----------

export class MoneyDto {
  @ApiProperty({ description: 'Amount in integer minor units (2550 SEK = 25,50 kr). Zero or positive.', example: 2550 })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor: number;

  @ApiProperty({ description: "ISO 4217 code; must be the advertiser's billing currency.", example: 'SEK', enum: CURRENCY_CODES })
  @IsCurrencyCode()
  currency: string;
}

export class PositiveMoneyDto extends MoneyDto {
  @ApiProperty({ description: 'Amount in integer minor units, strictly positive.', example: 2550 })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  declare amountMinor: number;
}

// ---------- advertisers, merchants, publishers ----------

export class BankCapDto {
  @ApiProperty({ description: 'The bank (integration id, the bankSource of its card transactions).', example: 'bank-demo-se' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  bankId: string;

  @ApiProperty({ type: MoneyDto, description: "The cap: spend on purchases of this bank's customers (rewards and fees)." })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount: MoneyDto;
}

/** Optional caps per bank: 1–1,000, each validated. */
function IsBankCaps(): PropertyDecorator {
  return applyDecorators(IsOptional(), IsArray(), ArrayMinSize(1), ArrayMaxSize(1000), ValidateNested({ each: true }), Type(() => BankCapDto));
}

/** The advertiser's own limits, drawn on by all its campaigns at every bank. */
export class AdvertiserBudgetDto {
  @ApiPropertyOptional({ type: MoneyDto, description: "Spend across all the advertiser's campaigns (rewards, fees, CPC, CPL, CPM, affiliate sales). Absent: no advertiser-wide limit." })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  total?: MoneyDto;

  @ApiPropertyOptional({ type: [BankCapDto], description: "Caps per bank: spend of all the advertiser's campaigns on one bank's customers' purchases." })
  @IsBankCaps()
  bankCaps?: BankCapDto[];
}

export class CreateMerchantDto {
  @ApiPropertyOptional({ description: 'Merchant id; generated (mer-…) when absent.', example: 'mer-ica-hokarangen' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({ example: 'ICA Nära Hökarängen' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ description: 'Acquirer merchant ids of the locations (may be empty for descriptor-only merchants).', example: ['000000123456789'], type: [String] })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(10_000)
  @Matches(ID_PATTERN, { each: true, message: ID_MESSAGE })
  mids: string[];

  @ApiProperty({ description: 'Descriptor patterns ("*" any run of characters), compared case-insensitively with the whole normalised descriptor.', example: ['ICA NARA HOKARANGEN*'], type: [String] })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  descriptorPatterns: string[];

  @ApiPropertyOptional({ description: 'Merchant category codes (four digits). Never used to match on their own.', example: ['5411'], type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @Matches(/^[0-9]{4}$/, { each: true, message: '$property must be four digits' })
  mccs?: string[];

  @ApiProperty({ description: 'ISO 3166-1 alpha-2, upper case.', example: 'SE' })
  @Matches(/^[A-Z]{2}$/, { message: '$property must be an ISO 3166-1 alpha-2 code in upper case' })
  country: string;

  @ApiProperty({ description: 'Where its sales happen: online, in-store or both.', enum: CHANNELS, isArray: true, example: ['in-store'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  channels: PurchaseChannel[];
}

export class CreateAdvertiserDto {
  @ApiPropertyOptional({ description: 'Advertiser id; generated (adv-…) when absent.', example: 'adv-ica-demo' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({ example: 'ICA Sverige' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ description: 'ISO 4217 billing currency; every amount of its campaigns is in it.', example: 'SEK' })
  @IsCurrencyCode()
  billingCurrency: string;

  @ApiPropertyOptional({ type: [CreateMerchantDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CreateMerchantDto)
  merchants?: CreateMerchantDto[];

  @ApiPropertyOptional({ type: AdvertiserBudgetDto, description: "The advertiser's budget and per-bank caps, in its billing currency. Absent: none." })
  @IsOptional()
  @ValidateNested()
  @Type(() => AdvertiserBudgetDto)
  budget?: AdvertiserBudgetDto;
}

export class UpdateAdvertiserDto {
  @ApiPropertyOptional({ example: 'ICA Sverige', description: 'The billing currency cannot change: every campaign amount is in it.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: AdvertiserBudgetDto, nullable: true, description: "Replaces the advertiser's budget and per-bank caps; null removes them. Every campaign not ended is re-published with it." })
  @IsOptional()
  @ValidateNested()
  @Type(() => AdvertiserBudgetDto)
  budget?: AdvertiserBudgetDto | null;
}

export const PUBLISHER_KINDS = ['bank', 'rewards-app', 'affiliate'] as const;

export class CreatePublisherDto {
  @ApiPropertyOptional({ description: 'Publisher id; generated (pub-…) when absent.', example: 'pub-bank-demo-se' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({ example: 'Demo Bank Sverige' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: PUBLISHER_KINDS })
  @IsIn(PUBLISHER_KINDS)
  kind: (typeof PUBLISHER_KINDS)[number];

  @ApiPropertyOptional({ example: 'https://example.org' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  website?: string;
}

// ---------- campaign terms ----------

export class PricingDto {
  @ApiProperty({ enum: PRICING_MODELS, description: 'CPA per qualifying purchase, CPL per lead, CPC per valid click, CPM per thousand impressions.' })
  @IsIn(PRICING_MODELS)
  model: (typeof PRICING_MODELS)[number];

  @ApiPropertyOptional({ type: PositiveMoneyDto, description: 'Price per action (per thousand for CPM). Required for CPL, CPC and CPM.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PositiveMoneyDto)
  price?: PositiveMoneyDto;
}

export class RewardDto {
  @ApiProperty({ enum: ['percent', 'fixed'] })
  @IsIn(['percent', 'fixed'])
  kind: 'percent' | 'fixed';

  @ApiPropertyOptional({ description: 'For percent: cashback in basis points of the purchase (1000 = 10 %), 1–10000.', example: 1000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  basisPoints?: number;

  @ApiPropertyOptional({ type: PositiveMoneyDto, description: 'For fixed: cashback per qualifying purchase.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PositiveMoneyDto)
  amount?: PositiveMoneyDto;

  @ApiPropertyOptional({ type: PositiveMoneyDto, description: 'Minimum purchase amount to qualify.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PositiveMoneyDto)
  minSpend?: PositiveMoneyDto;

  @ApiPropertyOptional({ type: PositiveMoneyDto, description: 'Cap on the cashback of one purchase.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PositiveMoneyDto)
  maxPerPurchase?: PositiveMoneyDto;

  @ApiPropertyOptional({ description: 'Rewarded purchases per customer; absent: no cap.', example: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxRewardsPerCustomer?: number;
}

export class PlatformFeeDto {
  @ApiProperty({ enum: ['percent', 'fixed'] })
  @IsIn(['percent', 'fixed'])
  kind: 'percent' | 'fixed';

  @ApiPropertyOptional({ description: 'For percent: fee in basis points of the reward (CPA) or price, 0–10000.', example: 2000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  basisPoints?: number;

  @ApiPropertyOptional({ type: MoneyDto, description: 'For fixed: fee per action.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount?: MoneyDto;

  @ApiProperty({ description: "The credited publisher's revenue share of the fee, basis points 0–10000.", example: 3000 })
  @IsInt()
  @Min(0)
  @Max(10_000)
  publisherShareBasisPoints: number;
}

export class BudgetDto {
  @ApiProperty({ type: MoneyDto, description: "Total budget for the campaign's life." })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  total: MoneyDto;

  @ApiPropertyOptional({ type: PositiveMoneyDto, description: "Optional cap per calendar day in the campaign's time zone." })
  @IsOptional()
  @ValidateNested()
  @Type(() => PositiveMoneyDto)
  daily?: PositiveMoneyDto;

  @ApiPropertyOptional({ enum: ['asap', 'even'], default: 'asap' })
  @IsOptional()
  @IsIn(['asap', 'even'])
  pacing?: 'asap' | 'even';

  @ApiPropertyOptional({ type: [BankCapDto], description: "Optional caps per bank on this campaign's spend (each at most the total; banks the campaign targets)." })
  @IsBankCaps()
  bankCaps?: BankCapDto[];
}


export class HoursDto {
  @ApiProperty({ example: '06:00' })
  @Matches(HH_MM, { message: '$property must be HH:MM (24-hour)' })
  from: string;

  @ApiProperty({ example: '10:00', description: 'Exclusive; earlier than from spans midnight.' })
  @Matches(HH_MM, { message: '$property must be HH:MM (24-hour)' })
  to: string;
}

export class ScheduleDto {
  @ApiProperty({ example: '2025-03-01T00:00:00+01:00' })
  @IsDateTimeWithOffset()
  startsAt: string;

  @ApiPropertyOptional({ example: '2025-06-01T00:00:00+02:00', description: 'Exclusive; absent: open-ended.' })
  @IsOptional()
  @IsDateTimeWithOffset()
  endsAt?: string;

  @ApiPropertyOptional({ type: [Number], description: 'ISO days 1 (Monday) … 7 (Sunday); absent: every day.', example: [1, 2, 3, 4, 5] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  daysOfWeek?: number[];

  @ApiPropertyOptional({ type: HoursDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => HoursDto)
  hours?: HoursDto;

  @ApiProperty({ example: 'Europe/Stockholm' })
  @IsTimeZone()
  timeZone: string;
}

export class AudienceDto {
  @ApiProperty({ enum: ['all', 'new', 'lapsed', 'existing'] })
  @IsIn(['all', 'new', 'lapsed', 'existing'])
  segment: 'all' | 'new' | 'lapsed' | 'existing';

  @ApiPropertyOptional({ default: 365, minimum: 1, maximum: 3650 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  lookbackDays?: number;
}

export class WindowsDto {
  @ApiPropertyOptional({ default: 30 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  clickDays?: number;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  viewDays?: number;
}

export class CommissionDto {
  @ApiProperty({ enum: ['percent', 'fixed'], description: 'percent: basis points of the order value (net of returns), rounded down; fixed: an amount per sale.' })
  @IsIn(['percent', 'fixed'])
  kind: 'percent' | 'fixed';

  @ApiPropertyOptional({ description: 'For percent: commission in basis points of the order value (800 = 8 %), 1–10000.', example: 800 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  basisPoints?: number;

  @ApiPropertyOptional({ type: PositiveMoneyDto, description: 'For fixed: the commission per sale.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PositiveMoneyDto)
  amount?: PositiveMoneyDto;
}

export class CommissionGroupDto {
  @ApiProperty({ example: 'electronics' })
  @IsString()
  @Length(1, 64)
  group: string;

  @ApiProperty({ type: [String], example: ['phones', 'laptops'], description: "Product categories as the shop sends them in basket lines (case-insensitive); a category is in one group only." })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  categories: string[];

  @ApiProperty({ type: CommissionDto, description: "The group's commission: percent of each line amount, or fixed per unit." })
  @IsDefined()
  @ValidateNested()
  @Type(() => CommissionDto)
  commission: CommissionDto;
}

const URL_PATTERN = /^https?:\/\/[^\s]{1,2040}$/;

export class AffiliateTermsDto {
  @ApiProperty({ description: 'Where a tracking link lands when it names no deep link.', example: 'https://shop.example.se/' })
  @Matches(URL_PATTERN, { message: '$property must be an absolute http(s) URL' })
  landingUrl: string;

  @ApiPropertyOptional({ type: [String], description: "Other hosts deep links (`/c/<code>?url=`) may point at; the landing URL's host is always allowed.", example: ['blog.example.se'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(49)
  @Matches(/^[A-Za-z0-9.-]{1,253}$/, { each: true, message: '$property must be host names' })
  deepLinkHosts?: string[];

  @ApiPropertyOptional({ default: 'prclid', description: 'Query parameter the redirect appends the click id under.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_]{1,32}$/, { message: '$property must be 1-32 letters, digits or _' })
  clickIdParam?: string;

  @ApiPropertyOptional({ description: 'Where links of a paused or ended program go.', example: 'https://shop.example.se/' })
  @IsOptional()
  @Matches(URL_PATTERN, { message: '$property must be an absolute http(s) URL' })
  fallbackUrl?: string;

  @ApiProperty({ type: CommissionDto, description: 'The program commission on sales (CPA), unless a publisher has its own.' })
  @IsDefined()
  @ValidateNested()
  @Type(() => CommissionDto)
  commission: CommissionDto;

  @ApiPropertyOptional({ type: [CommissionGroupDto], description: 'Commission groups by product category (basket lines); lines in no group earn commission.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CommissionGroupDto)
  commissionGroups?: CommissionGroupDto[];

  @ApiPropertyOptional({ enum: ['code-wins', 'click-wins'], default: 'code-wins', description: "A sale with a click of one publisher and a voucher code of another: credit the code's publisher (code-wins) or the click's (click-wins)." })
  @IsOptional()
  @IsIn(['code-wins', 'click-wins'])
  voucherRule?: 'code-wins' | 'click-wins';

  @ApiPropertyOptional({ enum: ['manual', 'auto'], default: 'manual' })
  @IsOptional()
  @IsIn(['manual', 'auto'])
  approval?: 'manual' | 'auto';
}

export class CampaignPublisherDto {
  @ApiProperty({ example: 'pub-bank-demo-se' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  publisherId: string;

  @ApiPropertyOptional({ type: [String], example: ['SPARA10'] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  voucherCodes?: string[];

  @ApiPropertyOptional({ type: CommissionDto, description: "An affiliate's own commission (a publisher override of affiliate.commission)." })
  @IsOptional()
  @ValidateNested()
  @Type(() => CommissionDto)
  commission?: CommissionDto;
}

export class OfferContentDto {
  @ApiProperty({ example: '10 % cashback på ICA', maxLength: 120 })
  @IsString()
  @Length(1, 120)
  title: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  description?: string;

  @ApiPropertyOptional({ description: 'The offer terms in full, as text.', maxLength: 4000 })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  terms?: string;

  @ApiPropertyOptional({ example: 'https://cdn.example.se/offers/ica.png' })
  @IsOptional()
  @Matches(/^https:\/\/\S+$/, { message: '$property must be an https URL' })
  @Length(9, 2048)
  imageUrl?: string;
}

/** Offer content per language: what bank apps show. */
export class CampaignContentDto {
  @ApiPropertyOptional({ type: OfferContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => OfferContentDto)
  sv?: OfferContentDto;

  @ApiPropertyOptional({ type: OfferContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => OfferContentDto)
  en?: OfferContentDto;
}

export class CreateCampaignDto {
  @ApiPropertyOptional({ description: 'Campaign id; generated (cmp-…) when absent.', example: 'cmp-ica-new' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({ example: 'adv-ica-demo' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  advertiserId: string;

  @ApiProperty({ example: '10 % cashback at ICA for new customers' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ type: PricingDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PricingDto)
  pricing: PricingDto;

  @ApiPropertyOptional({ type: RewardDto, description: 'Required for CPA.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RewardDto)
  reward?: RewardDto;

  @ApiProperty({ type: PlatformFeeDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PlatformFeeDto)
  platformFee: PlatformFeeDto;

  @ApiProperty({ type: BudgetDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => BudgetDto)
  budget: BudgetDto;

  @ApiProperty({ type: ScheduleDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule: ScheduleDto;

  @ApiProperty({ type: AudienceDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => AudienceDto)
  audience: AudienceDto;

  @ApiProperty({ enum: CHANNELS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  channels: PurchaseChannel[];

  @ApiProperty({ enum: ['required', 'automatic'] })
  @IsIn(['required', 'automatic'])
  activation: 'required' | 'automatic';

  @ApiPropertyOptional({ type: WindowsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => WindowsDto)
  windows?: WindowsDto;

  @ApiPropertyOptional({ default: 30 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  holdPeriodDays?: number;

  @ApiPropertyOptional({ default: 0, description: 'Holdout share in basis points (1000 = 10 %), 0–5000.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5000)
  holdoutBasisPoints?: number;

  @ApiPropertyOptional({ type: [CampaignPublisherDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CampaignPublisherDto)
  publishers?: CampaignPublisherDto[];

  @ApiPropertyOptional({
    description:
      'The banks whose customers the offer is for: "all" (every bank on the platform; the default on create) or 1–1000 unique bank integration ids, the `source` of their card transactions (e.g. bank-demo-se). A purchase reported by a bank not listed does not match. On PATCH, absent leaves it unchanged. While the campaign is live it is a reward term: pause first.',
    oneOf: [
      { type: 'string', enum: ['all'] },
      { type: 'array', items: { type: 'string', pattern: ID_PATTERN.source }, minItems: 1, maxItems: 1000, uniqueItems: true },
    ],
    default: 'all',
    example: ['bank-demo-se'],
  })
  @IsOptional()
  @ValidateIf((o: { banks?: unknown }) => o.banks !== 'all')
  @IsArray({ message: '$property must be "all" or an array of bank integration ids' })
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @Matches(ID_PATTERN, { each: true, message: ID_MESSAGE })
  banks?: BankTargeting;

  @ApiPropertyOptional({
    type: AffiliateTermsDto,
    description:
      'Affiliate program terms: tracking links (`/c/<code>`), the click id parameter, the commission on sales, the voucher rule and the approval mode. A CPA campaign with affiliate terms and no reward is an affiliate sales program. The cookie window is windows.clickDays, the lock (return) period holdPeriodDays, the network fee platformFee (on top of the commission). May change while live: a sale is paid by the terms in force at its click.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => AffiliateTermsDto)
  affiliate?: AffiliateTermsDto;

  @ApiPropertyOptional({ type: CampaignContentDto, nullable: true, description: "What bank apps show, in Swedish and/or English (title, description, terms, image). May change while live. null removes it." })
  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignContentDto)
  content?: CampaignContentDto | null;
}

/**
 * Everything of a campaign except its owner and id: the body of PATCH (every field optional,
 * objects replaced whole), validated exactly as on create — mapped from CreateCampaignDto so the
 * two never drift apart.
 */
export class UpdateCampaignDto extends PartialType(OmitType(CreateCampaignDto, ['id', 'advertiserId'] as const)) {}

export class TransitionDto {
  @ApiPropertyOptional({ description: 'Why (kept in the campaign history).', example: 'advertiser asked to pause over Easter' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class ListCampaignsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  advertiserId?: string;

  @ApiPropertyOptional({ enum: ['draft', 'active', 'paused', 'exhausted', 'ended'] })
  @IsOptional()
  @IsIn(['draft', 'active', 'paused', 'exhausted', 'ended'])
  status?: string;
}


export class ApplyDto {
  @ApiPropertyOptional({ description: 'The applying affiliate. Integrations (API key) apply as their own publisher and may omit it; ops must give it.', example: 'pub-affiliate-demo' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  publisherId?: string;

  @ApiPropertyOptional({ description: 'A note to the reviewer (audience, placements).', example: 'Newsletter, 40 000 subscribers' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  message?: string;
}

export class ApproveDto {
  @ApiPropertyOptional({ type: [String], description: 'Voucher codes owned by this affiliate in the campaign.', example: ['SPARA10'] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  voucherCodes?: string[];

  @ApiPropertyOptional({ type: CommissionDto, description: "This affiliate's own commission on sales (a publisher override); absent: the program's." })
  @IsOptional()
  @ValidateNested()
  @Type(() => CommissionDto)
  commission?: CommissionDto;
}
