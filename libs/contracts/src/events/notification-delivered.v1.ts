import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { constant, object } from '../json-schema';
import { Topic } from '../topics';
import { EXAMPLE_NOTIFICATION, NOTIFICATION_REQUIRED, notificationProperties, type NotificationFields } from './notification.shared';

/** `data` of `notification.delivered` v1 on `notifications`. */
export interface NotificationDeliveredV1Data extends NotificationFields {
  readonly status: 'delivered';
}

export const NotificationDeliveredV1: EventDescriptor<'notification.delivered', 1, NotificationDeliveredV1Data, 'notifications'> = {
  type: 'notification.delivered',
  schemaVersion: 1,
  topic: Topic.Notifications,
  schema: object(
    'A webhook or e-mail was delivered.',
    { ...notificationProperties(), status: constant('Always "delivered": a webhook got a 2xx response, or the mail server accepted the e-mail.', 'delivered') },
    NOTIFICATION_REQUIRED,
  ),
  summary: 'A notification was delivered.',
  description: 'Produced by notification when a webhook answered 2xx or an e-mail was accepted. Feeds the delivery log in the console.',
  example: { ...EXAMPLE_NOTIFICATION, status: 'delivered' },
};

export type NotificationDeliveredV1Envelope = EnvelopeOf<typeof NotificationDeliveredV1>;
