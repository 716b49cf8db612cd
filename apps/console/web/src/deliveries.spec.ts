import { deliveryQuery, isDeliveryStatus, replayable } from './deliveries';

describe('deliveries screen helpers', () => {
  it('sends only the filled-in filters, trimmed', () => {
    expect(deliveryQuery({ recipient: ' pub-1 ', customerId: '', eventId: '', status: 'dead' })).toBe('recipient=pub-1&status=dead');
    expect(deliveryQuery({ recipient: '', customerId: 'cust 1', eventId: '', status: '' })).toBe('customerId=cust+1');
    expect(deliveryQuery({ recipient: '', customerId: '', eventId: '', status: '' })).toBe('');
  });

  it('offers a replay for failed and dead deliveries only, as notification allows', () => {
    expect(['pending', 'sending', 'delivered', 'failed', 'dead', 'skipped'].filter((status) => replayable({ status: status as never }))).toEqual(['failed', 'dead']);
  });

  it('knows notification’s statuses', () => {
    expect(isDeliveryStatus('skipped')).toBe(true);
    expect(isDeliveryStatus('lost')).toBe(false);
  });
});
