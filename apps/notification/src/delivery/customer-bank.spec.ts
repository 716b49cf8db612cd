import { bankOfDelivery, bankOfPurchase, customerKey } from './customer-bank';

describe('customer bank', () => {
  it('the bank of a purchase is the part of its id before the first ":"', () => {
    expect(bankOfPurchase('bank-a:txn-1:x')).toBe('bank-a');
    expect(bankOfPurchase('nocolon')).toBe('nocolon');
    expect(bankOfPurchase(':leading')).toBe(':leading');
  });

  it('the same customer id at two banks is two customers; keys never collide through the separator', () => {
    expect(customerKey('bank-a', 'c-1001')).not.toBe(customerKey('bank-b', 'c-1001'));
    expect(customerKey('a:b', 'c')).not.toBe(customerKey('a', 'b:c'));
    expect(customerKey('bank-a', 'c-1001')).toBe(customerKey('bank-a', 'c-1001'));
  });

  it('a delivery’s customer bank: the column, else the purchase in the payload, else none', () => {
    const payload = { data: { purchaseId: 'bank-b:txn-9' } };
    expect(bankOfDelivery({ customerId: 'c-1001', customerBank: 'bank-a', payload })).toBe('bank-a');
    expect(bankOfDelivery({ customerId: 'c-1001', customerBank: null, payload })).toBe('bank-b');
    expect(bankOfDelivery({ customerId: 'c-1001', customerBank: null, payload: { data: {} } })).toBeNull();
    expect(bankOfDelivery({ customerId: 'c-1001', customerBank: null, payload: { data: { purchaseId: '' } } })).toBeNull();
    expect(bankOfDelivery({ customerId: 'c-1001', customerBank: null, payload: {} })).toBeNull();
    // Not about a customer (advertiser e-mails, bank payout batches).
    expect(bankOfDelivery({ customerId: null, customerBank: null, payload })).toBeNull();
  });
});
