import type { Delivery } from '../entities';

/**
 * Several banks share the platform and each names its own customers, so two banks can both have a
 * customer "c-1001": a customer is (bank, customerId) everywhere — preferences, opt-out checks,
 * send lanes. The bank is the integration source the purchase came from.
 */

/** The bank a purchase came from: purchaseId is "<bankSource>:<transactionId>". */
export function bankOfPurchase(purchaseId: string): string {
  const i = purchaseId.indexOf(':');
  return i > 0 ? purchaseId.slice(0, i) : purchaseId;
}

/** A map key for one customer of one bank; unambiguous whatever characters the ids hold. */
export function customerKey(bank: string, customerId: string): string {
  return JSON.stringify([bank, customerId]);
}

/**
 * The bank of the customer a delivery is about: `customer_bank`, else (a row written without it, by
 * a replica still on the previous version) the bank of the reward's purchase in the payload.
 * Null when the delivery is about no customer, or the bank cannot be told.
 */
export function bankOfDelivery(d: Pick<Delivery, 'customerId' | 'customerBank' | 'payload'>): string | null {
  if (!d.customerId) return null;
  if (d.customerBank) return d.customerBank;
  const data = d.payload?.data as { purchaseId?: unknown } | undefined;
  return typeof data?.purchaseId === 'string' && data.purchaseId !== '' ? bankOfPurchase(data.purchaseId) : null;
}
