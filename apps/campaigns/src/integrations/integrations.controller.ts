import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public, Roles } from '@prestanda/auth';
import { CreateApiKeyDto, CreateIntegrationDto } from './dto';
import { IntegrationsService } from './integrations.service';

@ApiTags('integrations')
@ApiBearerAuth()
@Controller('v1/integrations')
export class IntegrationsController {
  constructor(private readonly integrations: IntegrationsService) {}

  @Post()
  @Roles('ops-admin')
  @ApiOperation({ summary: 'Register an integration: a bank, rewards app or publisher.' })
  @ApiCreatedResponse({ description: 'The integration, with no keys yet.' })
  @ApiConflictResponse({ description: 'The id exists.' })
  create(@Body() dto: CreateIntegrationDto) {
    return this.integrations.create(dto);
  }

  @Get()
  @Roles('ops-admin', 'ops-viewer')
  @ApiOperation({ summary: 'Every integration and its keys (hints and dates, never the keys).' })
  list() {
    return this.integrations.list();
  }

  @Get(':id')
  @Roles('ops-admin', 'ops-viewer')
  @ApiOperation({ summary: 'One integration and its keys.' })
  get(@Param('id') id: string) {
    return this.integrations.get(id);
  }

  @Post(':id/keys')
  @Roles('ops-admin')
  @ApiOperation({ summary: 'Issue an API key (shown once, in `apiKey`); with replacesKeyId, rotate with an overlap.' })
  @ApiCreatedResponse({ description: '`{ apiKey, keyId, hint, createdAt, … , replaced? }`. Store apiKey now: Prestanda keeps only its SHA-256.' })
  createKey(@Param('id') id: string, @Body() dto: CreateApiKeyDto) {
    return this.integrations.createKey(id, dto);
  }

  @Delete(':id/keys/:keyId')
  @HttpCode(204)
  @Roles('ops-admin')
  @ApiOperation({ summary: 'Revoke a key now. Services that cached it stop accepting it within AUTH_KEY_CACHE_MS.' })
  async revoke(@Param('id') id: string, @Param('keyId') keyId: string): Promise<void> {
    await this.integrations.revokeKey(id, keyId);
  }
}

/**
 * Who a key speaks for: the other services' auth asks here (AUTH_KEY_REGISTRY_URL) for keys not
 * in their bootstrap list, and caches the answer. It tells a key's holder only about that key.
 */
@ApiTags('integrations')
@Controller('v1/api-keys')
export class ApiKeyIdentityController {
  constructor(private readonly integrations: IntegrationsService) {}

  @Get('self')
  @Public()
  @ApiHeader({ name: 'x-api-key', required: true })
  @ApiOperation({ summary: 'The integration, publisher and key id behind the presented X-Api-Key.' })
  @ApiOkResponse({ description: '`{ integrationId, kind, publisherId, keyId, expiresAt }`' })
  @ApiUnauthorizedResponse({ description: 'No key, or an unknown, revoked or expired one.' })
  async self(@Headers('x-api-key') apiKey: string | undefined) {
    const identity = apiKey ? await this.integrations.identify(apiKey) : null;
    if (!identity) throw new UnauthorizedException('unknown, revoked or expired API key');
    return identity;
  }
}
