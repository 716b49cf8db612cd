import { Global, Module } from '@nestjs/common';
import { AdvertisersController, PublishersController } from './advertisers.controller';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

/** Global so that the consumer (registered inside ServiceKitModule) can inject CampaignsService. */
@Global()
@Module({
  controllers: [AdvertisersController, PublishersController, CampaignsController],
  providers: [CampaignsService],
  exports: [CampaignsService],
})
export class CampaignsModule {}
