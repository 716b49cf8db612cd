import { bankPublisherId, decideAttribution, type CampaignRules, type Touchpoint } from './attribution-rules';

const AT = '2026-02-01T12:00:00.000Z';
const daysBefore = (d: number) => new Date(Date.parse(AT) - d * 86_400_000).toISOString();
const tp = (touchpointId: string, kind: Touchpoint['kind'], publisherId: string, at: string): Touchpoint => ({ touchpointId, kind, publisherId, at });
const automatic: CampaignRules = { activation: 'automatic', clickDays: 30, viewDays: 1, publisherIds: [] };
const required: CampaignRules = { ...automatic, activation: 'required' };

describe('decideAttribution', () => {
  it('credits the last click within the click window', () => {
    const d = decideAttribution(automatic, [tp('c1', 'click', 'p1', daysBefore(10)), tp('c2', 'click', 'p2', daysBefore(2)), tp('i1', 'impression', 'p3', daysBefore(0.1))], AT, 'bank-x');
    expect(d).toEqual({ rewarded: true, publisherId: 'p2', method: 'click', touchpointId: 'c2' });
  });

  it('falls back to the last impression within the view window, then to the bank', () => {
    expect(decideAttribution(automatic, [tp('c1', 'click', 'p1', daysBefore(31)), tp('i1', 'impression', 'p3', daysBefore(0.5))], AT, 'bank-x')).toMatchObject({ publisherId: 'p3', method: 'impression' });
    expect(decideAttribution(automatic, [tp('i1', 'impression', 'p3', daysBefore(1.5))], AT, 'bank-x')).toEqual({ rewarded: true, publisherId: bankPublisherId('bank-x'), method: 'bank-default' });
  });

  it('windows are inclusive at the edge and touchpoints after the purchase never count', () => {
    expect(decideAttribution(automatic, [tp('c1', 'click', 'p1', daysBefore(30))], AT, 'b')).toMatchObject({ method: 'click' });
    expect(decideAttribution(automatic, [tp('c1', 'click', 'p1', daysBefore(-0.01))], AT, 'b')).toMatchObject({ method: 'bank-default' });
  });

  it('activation required: inside the window, outside it, or none', () => {
    expect(decideAttribution(required, [tp('a1', 'activation', 'p1', daysBefore(3))], AT, 'b')).toEqual({ rewarded: true, publisherId: 'p1', method: 'activation', touchpointId: 'a1' });
    expect(decideAttribution(required, [tp('a1', 'activation', 'p1', daysBefore(31))], AT, 'b')).toEqual({ rewarded: false, reasonCode: 'activation-outside-window' });
    expect(decideAttribution(required, [tp('c1', 'click', 'p1', daysBefore(1))], AT, 'b')).toEqual({ rewarded: false, reasonCode: 'not-activated' });
    expect(decideAttribution(required, [tp('a1', 'activation', 'p1', daysBefore(-1))], AT, 'b')).toEqual({ rewarded: false, reasonCode: 'not-activated' });
  });

  it('activation required: a later click of another app takes the credit', () => {
    const d = decideAttribution(required, [tp('a1', 'activation', 'p1', daysBefore(3)), tp('c1', 'click', 'p2', daysBefore(1))], AT, 'b');
    expect(d).toMatchObject({ publisherId: 'p2', method: 'click' });
  });

  it('ignores traffic of publishers the campaign does not list', () => {
    const rules = { ...required, publisherIds: ['p1'] };
    expect(decideAttribution(rules, [tp('a0', 'activation', 'px', daysBefore(1))], AT, 'b')).toEqual({ rewarded: false, reasonCode: 'not-activated' });
    expect(decideAttribution(rules, [tp('a1', 'activation', 'p1', daysBefore(3)), tp('c1', 'click', 'px', daysBefore(1))], AT, 'b')).toMatchObject({ publisherId: 'p1' });
  });

  it('never credits a bank the campaign is not offered to', () => {
    const onlyA = { ...automatic, banks: ['bank-a'] };
    expect(decideAttribution(onlyA, [], AT, 'bank-b')).toEqual({ rewarded: false, reasonCode: 'bank-not-targeted' });
    expect(decideAttribution(onlyA, [tp('c1', 'click', 'p1', daysBefore(1))], AT, 'bank-b')).toEqual({ rewarded: false, reasonCode: 'bank-not-targeted' });
    expect(decideAttribution(onlyA, [], AT, 'bank-a')).toEqual({ rewarded: true, publisherId: bankPublisherId('bank-a'), method: 'bank-default' });
  });
});
