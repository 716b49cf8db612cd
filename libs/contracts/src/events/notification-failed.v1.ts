import type { EventDescriptor } from '../descriptor';
import type { EnvelopeOf } from '../envelope';
import { constant, object, string } from '../json-schema';
import { Topic } from '../topics';
import { EXAMPLE_NOTIFICATION, NOTIFICATION_REQUIRED, notificationProperties, type NotificationFields } from './notification.shared';

/** `data` of `notification.failed` v1 on `notifications`. */
export interface NotificationFailedV1Data extends NotificationFields {
  readonly status: 'failed';
  readonly error: string;
}

export const NotificationFailedV1: EventDescriptor<'notification.failed', 1, NotificationFailedV1Data, 'notifications'> = {
  type: 'notification.failed',
  schemaVersion: 1,
  topic: Topic.Notifications,
  schema: object(
    'A webhook or e-mail could not be delivered after the last retry.',
    {
      ...notificationProperties(),
      status: constant('Always "failed": retries with backoff are exhausted.', 'failed'),
      error: string('Why the last attempt failed, short and without payload data, e.g. "HTTP 503", "timeout after 10 s", "TLS handshake failed".', {
        minLength: 1,
        maxLength: 500,
        examples: ['HTTP 503'],
      }),
    },
    [...NOTIFICATION_REQUIRED, 'error'],
  ),
  summary: 'A notification failed for good.',
  description: 'Produced by notification when the last retry failed. Ops can replay the delivery from the console (same deliveryId).',
  example: { ...EXAMPLE_NOTIFICATION, attempts: 8, httpStatus: 503, status: 'failed', error: 'HTTP 503' },
};

export type NotificationFailedV1Envelope = EnvelopeOf<typeof NotificationFailedV1>;
