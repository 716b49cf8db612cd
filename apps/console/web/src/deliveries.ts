import type { Delivery, DeliveryStatus } from './types';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'sending', 'delivered', 'failed', 'dead', 'skipped'];
/** The lookup's inputs, named as notification's query parameters (its 400s name them). */
export const DELIVERY_FIELDS = ['recipient', 'customerId', 'eventId', 'status'] as const;
export type DeliveryFilter = Record<(typeof DELIVERY_FIELDS)[number], string>;

/** `?recipient=&customerId=&eventId=&status=`, blanks left out (notification wants at least one of the first three). */
export function deliveryQuery(filter: DeliveryFilter): string {
  const params = new URLSearchParams();
  for (const name of DELIVERY_FIELDS) {
    const value = filter[name].trim();
    if (value) params.set(name, value);
  }
  return params.toString();
}

/** Notification replays only what ended without arriving; it answers 409 for the rest. */
export const replayable = (d: Pick<Delivery, 'status'>): boolean => d.status === 'failed' || d.status === 'dead';

export const isDeliveryStatus = (s: string): s is DeliveryStatus => (DELIVERY_STATUSES as readonly string[]).includes(s);
