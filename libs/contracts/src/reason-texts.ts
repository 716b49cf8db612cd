import { REASON_CODES, type ReasonCode } from './reason-codes';

/** A short text for a reason code, ready to show a customer in the bank's app. */
export interface ReasonText {
  readonly sv: string;
  readonly en: string;
}

/**
 * Every reason code with its customer-facing text in Swedish and English: what a bank's app (or
 * its customer service) shows for "why did I (not) get cashback?". One table for every service
 * that answers with a reason code; a test checks that every code has both texts and that the
 * contracts README lists them.
 */
export const REASON_TEXTS: Readonly<Record<ReasonCode, ReasonText>> = {
  rewarded: { sv: 'Du fick cashback för köpet.', en: 'You earned cashback on this purchase.' },
  matched: { sv: 'Köpet uppfyllde erbjudandets villkor.', en: 'The purchase met the offer’s terms.' },
  'below-minimum-spend': { sv: 'Köpet var lägre än erbjudandets minsta belopp.', en: 'The purchase was below the offer’s minimum spend.' },
  'customer-cap-reached': { sv: 'Du har redan fått så många cashback som erbjudandet ger.', en: 'You have already had as many cashbacks as the offer gives.' },
  'budget-exhausted': { sv: 'Erbjudandet hade nått sin budget.', en: 'The offer had reached its budget.' },
  'advertiser-budget-exhausted': { sv: 'Butikens budget för erbjudanden var slut.', en: 'The store’s budget for offers had run out.' },
  'bank-budget-exhausted': { sv: 'Butikens budget för erbjudanden hos din bank var slut.', en: 'The store’s budget for offers at your bank had run out.' },
  paced: { sv: 'Erbjudandet hade nått dagens del av sin budget; det fortsätter i morgon.', en: 'The offer had used today’s share of its budget; it goes on tomorrow.' },
  'outside-schedule': { sv: 'Köpet gjordes utanför erbjudandets giltighetstid.', en: 'The purchase was made outside the offer’s valid times.' },
  'wrong-channel': { sv: 'Erbjudandet gäller inte för den här typen av köp (i butik eller online).', en: 'The offer does not cover this kind of purchase (in store or online).' },
  'audience-mismatch': { sv: 'Erbjudandet gäller andra kunder (t.ex. bara nya kunder).', en: 'The offer is for other customers (e.g. new customers only).' },
  'currency-mismatch': { sv: 'Köpet gjordes i en annan valuta än erbjudandets.', en: 'The purchase was in another currency than the offer’s.' },
  holdout: { sv: 'Erbjudandet visades inte för dig.', en: 'The offer was not shown to you.' },
  'campaign-not-active': { sv: 'Erbjudandet var inte aktivt när du handlade.', en: 'The offer was not active when you shopped.' },
  'bank-not-targeted': { sv: 'Erbjudandet finns inte hos din bank.', en: 'The offer is not available at your bank.' },
  'not-activated': { sv: 'Erbjudandet var inte aktiverat före köpet.', en: 'The offer was not activated before the purchase.' },
  'activation-outside-window': { sv: 'Erbjudandet aktiverades för länge före köpet.', en: 'The offer was activated too long before the purchase.' },
  'already-rewarded': { sv: 'Du har redan fått cashback för det här köpet.', en: 'You already earned cashback on this purchase.' },
  'zero-reward': { sv: 'Cashbacken blev noll kronor för det här köpet.', en: 'The cashback came to nothing on this purchase.' },
  'unknown-purchase': { sv: 'Vi hittar inget köp som detta hör till.', en: 'We cannot find the purchase this belongs to.' },
  'refund-netted': { sv: 'Köpet returnerades, så cashbacken minskades.', en: 'The purchase was refunded, so the cashback was reduced.' },
  'authorization-reversed': { sv: 'Köpet avbröts och drogs aldrig från ditt konto.', en: 'The purchase was cancelled and never charged.' },
  'authorization-expired': { sv: 'Köpet drogs inte från ditt konto inom bankens tidsgräns.', en: 'The purchase was not charged within the bank’s time limit.' },
  'ops-adjustment': { sv: 'Vår kundtjänst har justerat cashbacken.', en: 'Our support team adjusted the cashback.' },
  'hold-period-passed': { sv: 'Köpet är bekräftat och cashbacken betalas ut med nästa utbetalning.', en: 'The purchase is confirmed; the cashback is paid with the next payout.' },
  'settled-after-expiry': { sv: 'Köpet drogs från ditt konto till slut, så du får din cashback ändå.', en: 'The purchase was charged after all, so you get your cashback.' },
  'paid-out': { sv: 'Cashbacken har betalats ut.', en: 'The cashback has been paid out.' },
};

/** The customer-facing texts of a reason code; undefined for a code the contracts do not know. */
export function reasonText(code: string): ReasonText | undefined {
  return (REASON_CODES as readonly string[]).includes(code) ? REASON_TEXTS[code as ReasonCode] : undefined;
}
