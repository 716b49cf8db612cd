import { publisherApproved } from './approval';

describe('publisherApproved', () => {
  const publishers = [{ publisherId: 'pub-bank-a' }, { publisherId: 'aff-acme' }];
  it('pays a listed publisher', () => {
    expect(publisherApproved(publishers, 'aff-acme')).toBe(true);
  });
  it('pays no one else, and no one on a campaign that lists none', () => {
    expect(publisherApproved(publishers, 'aff-rival')).toBe(false);
    expect(publisherApproved([], 'aff-acme')).toBe(false);
  });
});
