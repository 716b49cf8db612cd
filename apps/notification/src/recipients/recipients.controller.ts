import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Put } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@prestanda/auth';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { DataSource } from 'typeorm';
import { CustomerPreference, Locale, Recipient, RecipientKind } from '../entities';

const ID = /^[\x21-\x7e]{1,128}$/;
const KINDS: RecipientKind[] = ['bank', 'affiliate', 'advertiser'];

export class RecipientKeyParams {
  @IsIn(KINDS) kind!: RecipientKind;
  @Matches(ID) id!: string;
}

export class PutRecipientDto {
  @ApiPropertyOptional({ description: 'HTTPS (or, in development, HTTP) endpoint for signed webhooks.', example: 'https://bank.example/prestanda/webhooks' })
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) @MaxLength(2000)
  webhookUrl?: string;

  @ApiPropertyOptional({ description: 'HMAC-SHA256 secret for the Prestanda-Signature header (min 16 chars). Write-only: never returned.' })
  @IsOptional() @IsString() @MinLength(16) @MaxLength(200)
  webhookSecret?: string;

  @ApiPropertyOptional({ description: 'Advertisers and affiliates: where e-mails (budget, campaign, commission payout) go.', example: 'marketing@ica.example' })
  @IsOptional() @IsEmail() @MaxLength(320)
  email?: string;

  @ApiProperty({ enum: ['sv', 'en'], description: 'Locale when the customer has none.' })
  @IsIn(['sv', 'en'])
  defaultLocale!: Locale;
}

export class OptOutDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() webhook?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() email?: boolean;
}

export class PutPreferencesDto {
  @ApiPropertyOptional({ enum: ['sv', 'en'], nullable: true }) @IsOptional() @IsIn(['sv', 'en', null]) locale?: Locale | null;
  @ApiPropertyOptional({ type: OptOutDto }) @IsOptional() @ValidateNested() @Type(() => OptOutDto) optOut?: OptOutDto;
}

export class CustomerParams {
  @Matches(ID) customerId!: string;
}

function viewRecipient(r: Recipient) {
  return { kind: r.kind, id: r.id, webhookUrl: r.webhookUrl, hasWebhookSecret: !!r.webhookSecret, email: r.email, defaultLocale: r.defaultLocale, updatedAt: r.updatedAt };
}
function viewPreferences(p: CustomerPreference) {
  return { customerId: p.customerId, locale: p.locale, optOut: { webhook: p.optOutWebhook, email: p.optOutEmail }, updatedAt: p.updatedAt };
}

/** Recipients and customer preferences: owned by notification, set by ops. */
@ApiTags('recipients')
@Controller('v1')
export class RecipientsController {
  constructor(private readonly dataSource: DataSource) {}

  @Put('recipients/:kind/:id')
  @Roles('ops-admin')
  @HttpCode(200)
  async putRecipient(@Param() key: RecipientKeyParams, @Body() body: PutRecipientDto) {
    const repo = this.dataSource.getRepository(Recipient);
    const existing = await repo.findOneBy({ kind: key.kind, id: key.id });
    const secret = body.webhookSecret ?? existing?.webhookSecret ?? null;
    if (body.webhookUrl && !secret) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['webhookSecret: required with webhookUrl'], fields: [{ field: 'webhookSecret', message: 'required with webhookUrl' }] });
    await repo.upsert(
      { kind: key.kind, id: key.id, webhookUrl: body.webhookUrl ?? null, webhookSecret: body.webhookUrl ? secret : null, email: body.email ?? null, defaultLocale: body.defaultLocale, updatedAt: new Date() },
      ['kind', 'id'],
    );
    return viewRecipient(await repo.findOneByOrFail({ kind: key.kind, id: key.id }));
  }

  @Get('recipients/:kind/:id')
  @Roles('ops-admin', 'ops-viewer')
  async getRecipient(@Param() key: RecipientKeyParams) {
    const r = await this.dataSource.getRepository(Recipient).findOneBy({ kind: key.kind, id: key.id });
    if (!r) throw new NotFoundException(`no recipient ${key.kind}/${key.id}`);
    return viewRecipient(r);
  }

  @Put('customers/:customerId/preferences')
  @Roles('ops-admin')
  @HttpCode(200)
  async putPreferences(@Param() p: CustomerParams, @Body() body: PutPreferencesDto) {
    const repo = this.dataSource.getRepository(CustomerPreference);
    const existing = await repo.findOneBy({ customerId: p.customerId });
    await repo.upsert(
      {
        customerId: p.customerId,
        locale: body.locale === undefined ? (existing?.locale ?? null) : body.locale,
        optOutWebhook: body.optOut?.webhook ?? existing?.optOutWebhook ?? false,
        optOutEmail: body.optOut?.email ?? existing?.optOutEmail ?? false,
        updatedAt: new Date(),
      },
      ['customerId'],
    );
    return viewPreferences(await repo.findOneByOrFail({ customerId: p.customerId }));
  }

  @Get('customers/:customerId/preferences')
  @Roles('ops-admin', 'ops-viewer')
  async getPreferences(@Param() p: CustomerParams) {
    const pref = await this.dataSource.getRepository(CustomerPreference).findOneBy({ customerId: p.customerId });
    if (!pref) throw new NotFoundException(`no preferences for ${p.customerId}`);
    return viewPreferences(pref);
  }
}
