import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule } from '@prestanda/service-kit';
import { NotificationEnv } from './config';
import { NOTIFICATION_ENTITIES, NOTIFICATION_MIGRATIONS } from './migrations';

/** Notification: tells customers and advertisers, exactly once, in their language. */
@Module({})
export class AppModule {
  static forRoot(config: NotificationEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          service: 'notification',
          healthPort: config.HEALTH_PORT,
          database: { schema: 'notification', entities: NOTIFICATION_ENTITIES, migrations: NOTIFICATION_MIGRATIONS },
        }),
      ],
    };
  }
}
