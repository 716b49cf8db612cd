import { containsPan, findPan, luhnValid, PAN_REDACTION, redactPans, redactPansInText } from './pan';

// Network test numbers (all pass Luhn).
const VISA = '4111111111111111';
const VISA_13 = '4222222222222';
const MASTERCARD = '5555555555554444';
const MASTERCARD_2 = '2223003122003222';
const AMEX = '378282246310005';
const DINERS_14 = '30569309025904';

describe('luhnValid', () => {
  it('accepts network test numbers and rejects a changed digit', () => {
    for (const n of [VISA, VISA_13, MASTERCARD, MASTERCARD_2, AMEX, DINERS_14]) expect(luhnValid(n)).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });
});

describe('containsPan', () => {
  it.each([
    ['plain Visa', VISA],
    ['Visa grouped by spaces', '4111 1111 1111 1111'],
    ['Visa grouped by dashes', '4111-1111-1111-1111'],
    ['MasterCard', '5555 5555 5555 4444'],
    ['MasterCard 2-series', MASTERCARD_2],
    ['Amex 4-6-5', '3782 822463 10005'],
    ['13-digit Visa', VISA_13],
    ['14-digit Diners', DINERS_14],
    ['embedded in a descriptor', `ICA NARA ${VISA} STOCKHOLM`],
    ['glued to letters', `CARD${VISA}X`],
    ['after other digit groups', `ORDER 12 ${'4111 1111 1111 1111'}`],
  ])('flags %s', (_name, text) => expect(containsPan(text)).toBe(true));

  it.each([
    ['16 digits failing Luhn', '4111111111111112'],
    ['16 digits failing Luhn, grouped', '4111 1111 1111 1112'],
    ['11 digits', '41111111113'],
    ['masked PAN', '4111 11** **** 1111'],
    ['20-digit reference', '41111111111111111111'],
    ['zero-padded merchant id', '000000123456789'],
    ['a date-time', '2025-03-14T15:09:26.000Z'],
    ['an amount', '42 950,00 kr'],
    ['a UUID', '6a1f9c3e-8a0b-4a53-9d47-2b0c0e5e9a11'],
  ])('does not flag %s', (_name, text) => expect(containsPan(text)).toBe(false));

  it('flags 19-digit PANs', () => {
    // Build a Luhn-valid 19-digit number from an 18-digit prefix.
    const prefix = '621234567890123456';
    const check = [...'0123456789'].find((d) => luhnValid(prefix + d))!;
    expect(containsPan(prefix + check)).toBe(true);
    expect(containsPan(`${prefix.slice(0, 4)} ${prefix.slice(4, 8)} ${prefix.slice(8, 12)} ${prefix.slice(12, 16)} ${prefix.slice(16)}${check}`)).toBe(true);
  });
});

describe('findPan', () => {
  it('returns the path of the first string holding a card number', () => {
    const event = { data: { merchant: { descriptor: `SHOP ${MASTERCARD}` }, items: [{ note: 'ok' }, { note: `pan ${AMEX}` }] } };
    expect(findPan(event)).toEqual({ path: 'data.merchant.descriptor' });
    expect(findPan({ items: [{ note: 'ok' }, { note: `pan ${AMEX}` }] })).toEqual({ path: 'items[1].note' });
  });

  it('finds card numbers in integers and property names', () => {
    expect(findPan({ data: { card: 4111111111111111 } })).toEqual({ path: 'data.card' });
    expect(findPan({ data: { [VISA]: true } })).toEqual({ path: `data["${VISA}"]` });
  });

  it('returns null when there is none, and survives cycles', () => {
    const a: Record<string, unknown> = { id: 'txn-1', amount: 2550 };
    a.self = a;
    expect(findPan(a)).toBeNull();
    expect(findPan(null)).toBeNull();
    expect(findPan(VISA)).toEqual({ path: '' });
  });
});

describe('redaction', () => {
  it('replaces just the card number in a text', () => {
    expect(redactPansInText('Paid with 4111 1111 1111 1111 at ICA')).toBe(`Paid with ${PAN_REDACTION} at ICA`);
    expect(redactPansInText(`${VISA},${MASTERCARD}`)).toBe(`${PAN_REDACTION},${PAN_REDACTION}`);
    expect(redactPansInText('nothing here 12345')).toBe('nothing here 12345');
  });

  it('deep-copies with every card number redacted, leaving the original untouched', () => {
    const original = { data: { descriptor: `X ${VISA}`, list: [AMEX, 'ok'], n: 4111111111111111, amount: 2550 } };
    const copy = redactPans(original);
    expect(copy).toEqual({ data: { descriptor: `X ${PAN_REDACTION}`, list: [PAN_REDACTION, 'ok'], n: PAN_REDACTION, amount: 2550 } });
    expect(original.data.descriptor).toBe(`X ${VISA}`);
    expect(findPan(copy)).toBeNull();
  });

  it('redacts a malformed raw message before it is dead-lettered', () => {
    const raw = `{"data": {"pan": "${VISA}", broken`;
    expect(redactPansInText(raw)).toBe(`{"data": {"pan": "${PAN_REDACTION}", broken`);
  });
});

describe('UUIDs are not card numbers', () => {
  it('never flags a UUID, even one whose digit groups pass the Luhn check', () => {
    // 4-4-... digit groups joined by dashes: 6679-7425 → not a PAN once recognised as a UUID.
    const uuids = Array.from({ length: 5000 }, () => crypto.randomUUID());
    for (const u of uuids) {
      expect(containsPan(u)).toBe(false);
      expect(findPan({ eventId: u, data: { inboundEventId: u } })).toBeNull();
    }
  });

  it('still finds a card number next to a UUID', () => {
    const text = `{"eventId":"${crypto.randomUUID()}","descriptor":"4111-1111-1111-1111"}`;
    expect(containsPan(text)).toBe(true);
    expect(redactPansInText(text)).toContain('[REDACTED-PAN]');
  });
});
