import { Module } from '@nestjs/common';
import { ApiKeyIdentityController, IntegrationsController } from './integrations.controller';
import { IntegrationsRepository } from './integrations.repository';
import { IntegrationsService } from './integrations.service';

/** The integration registry: who may knock, with which keys. */
@Module({
  controllers: [IntegrationsController, ApiKeyIdentityController],
  providers: [IntegrationsRepository, IntegrationsService],
})
export class IntegrationsModule {}
