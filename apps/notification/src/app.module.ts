import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule, SECRET_COLUMNS, SecretsResealer } from '@prestanda/service-kit';
import { NotificationEnv } from './config';
import { DeliveriesController } from './delivery/deliveries.controller';
import { Dispatcher } from './delivery/dispatcher';
import { EnqueueService } from './delivery/enqueue.service';
import { NotificationConsumer } from './delivery/notification.consumer';
import { EmailSender, NOTIFICATION_CONFIG, WebhookSender } from './delivery/senders';
import { NOTIFICATION_ENTITIES, NOTIFICATION_MIGRATIONS } from './migrations';
import { RecipientsController } from './recipients/recipients.controller';

@Module({})
class NotificationFeatureModule {}

/** Notification: tells customers (through their banks), advertisers, affiliates and banks, exactly once, in their language. */
@Module({})
export class AppModule {
  static forRoot(config: NotificationEnv): DynamicModule {
    const feature: DynamicModule = {
      module: NotificationFeatureModule,
      global: true,
      providers: [{ provide: NOTIFICATION_CONFIG, useValue: config }, EnqueueService, WebhookSender, EmailSender, Dispatcher, { provide: SECRET_COLUMNS, useValue: [{ table: '"notification"."recipients"', keys: ['kind', 'id'], column: 'webhook_secret' }, { table: '"notification"."recipients"', keys: ['kind', 'id'], column: 'previous_webhook_secret' }] }, SecretsResealer],
      exports: [NOTIFICATION_CONFIG, EnqueueService, Dispatcher],
    };
    return {
      module: AppModule,
      imports: [
        feature,
        ServiceKitModule.forRoot({
          service: 'notification',
          healthPort: config.HEALTH_PORT,
          database: { schema: 'notification', entities: NOTIFICATION_ENTITIES, migrations: NOTIFICATION_MIGRATIONS },
          handlers: NotificationConsumer,
        }),
      ],
      controllers: [DeliveriesController, RecipientsController],
    };
  }
}
