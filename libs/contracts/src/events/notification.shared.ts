import { dateTime, enumOf, id, integer, object, string, uuid, type JsonSchema } from '../json-schema';

/** Fields of notification delivery outcomes. Not an event itself. */

export type RecipientKind = 'bank' | 'affiliate' | 'advertiser' | 'customer';

export interface NotificationFields {
  readonly deliveryId: string;
  readonly sourceEventId: string;
  readonly sourceEventType: string;
  readonly recipient: { readonly kind: RecipientKind; readonly id: string };
  readonly channel: 'webhook' | 'email';
  readonly template: string;
  readonly attempts: number;
  readonly lastAttemptAt: string;
  readonly httpStatus?: number;
}

export function notificationProperties(): Record<string, JsonSchema> {
  return {
    deliveryId: id('Id of the delivery (one per source event, recipient and channel); replays from the console reuse it.', 'dlv-6e5d4c3b2a'),
    sourceEventId: uuid('The eventId of the event that caused the notification (e.g. a reward.earned).', '7c9e6679-7425-40de-944b-e07fc1f90ae7'),
    sourceEventType: string('The type of that event, e.g. "reward.earned".', { pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$', examples: ['reward.earned'] }),
    recipient: object(
      'Who it was for: an id, never an address (webhook URLs and e-mail addresses stay in the notification service).',
      {
        kind: enumOf('"bank" (webhook to the bank, which tells its customer in its app), "affiliate", "advertiser", or "customer" (e-mail through the rewards app).', [
          'bank',
          'affiliate',
          'advertiser',
          'customer',
        ]),
        id: id('The bank integration id, publisher id, advertiser id or pseudonymous customer id. Also the message key.', 'bank-demo-se'),
      },
      ['kind', 'id'],
    ),
    channel: enumOf('"webhook": HTTPS POST signed with HMAC-SHA256 over timestamp and body; "email".', ['webhook', 'email']),
    template: string('The template used, "<name>.<locale>", e.g. "reward-earned.sv".', { pattern: '^[a-z0-9-]+\\.(sv|en)$', examples: ['reward-earned.sv'] }),
    attempts: integer('Delivery attempts made, including the successful one.', { minimum: 1, examples: [1] }),
    lastAttemptAt: dateTime('When the last attempt was made.'),
    httpStatus: integer('Webhooks: the HTTP status of the last attempt (absent when no response, e.g. timeout).', { minimum: 100, maximum: 599, examples: [200] }),
  };
}

export const NOTIFICATION_REQUIRED = ['deliveryId', 'sourceEventId', 'sourceEventType', 'recipient', 'channel', 'template', 'attempts', 'status', 'lastAttemptAt'];

export const EXAMPLE_NOTIFICATION: NotificationFields = {
  deliveryId: 'dlv-6e5d4c3b2a',
  sourceEventId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  sourceEventType: 'reward.earned',
  recipient: { kind: 'bank', id: 'bank-demo-se' },
  channel: 'webhook',
  template: 'reward-earned.sv',
  attempts: 1,
  lastAttemptAt: '2025-03-14T15:09:29.010Z',
  httpStatus: 200,
};
