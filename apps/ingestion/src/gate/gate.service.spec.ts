import { UUID_PATTERN } from '@prestanda/contracts';
import { canonicalEventId } from './gate.service';

describe('canonicalEventId', () => {
  it('is a UUID, the same for the same key and different for another', () => {
    const id = canonicalEventId('bank-demo-se', 'authorization', 'txn-1');
    expect(id).toMatch(new RegExp(UUID_PATTERN));
    expect(canonicalEventId('bank-demo-se', 'authorization', 'txn-1')).toBe(id);
    expect(canonicalEventId('bank-demo-se', 'settlement', 'txn-1')).not.toBe(id);
    expect(canonicalEventId('bank-other', 'authorization', 'txn-1')).not.toBe(id);
  });
});
