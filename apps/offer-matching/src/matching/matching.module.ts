import { Global, Module } from '@nestjs/common';
import { MatchingService } from './matching.service';
import { OffersController } from './offers.controller';
import { OffersService } from './offers.service';

/** Global so ServiceKitModule can build the MatchingConsumer (its `handlers`) with MatchingService. */
@Global()
@Module({
  controllers: [OffersController],
  providers: [MatchingService, OffersService],
  exports: [MatchingService],
})
export class MatchingModule {}
