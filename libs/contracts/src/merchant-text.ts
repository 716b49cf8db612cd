/**
 * Folds letters with diacritics to ASCII for matching merchant names: a bank that prints
 * `AHLENS CITY` and a merchant registered as `ÅHLÉNS CITY` (or the other way round) meet on
 * `AHLENS CITY`. Compatibility decomposition (NFKD) strips the marks (Å→A, É→E, Ü→U) and turns
 * ligatures and full-width forms into plain letters; the letters that do not decompose are mapped
 * as card networks print them (Æ→AE, Ø→O, Œ→OE, ß→SS, Þ→TH, Ð/Đ→D, Ł→L). Used by ingestion's
 * descriptor normalisation and offer-matching's descriptor patterns alike.
 */
const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  Æ: 'AE', æ: 'ae', Ø: 'O', ø: 'o', Œ: 'OE', œ: 'oe', ß: 'ss', ẞ: 'SS', Þ: 'TH', þ: 'th', Ð: 'D', ð: 'd', Đ: 'D', đ: 'd', Ł: 'L', ł: 'l', Ħ: 'H', ħ: 'h', ı: 'i',
};
const UNDECOMPOSABLE_RE = new RegExp(`[${Object.keys(UNDECOMPOSABLE).join('')}]`, 'g');

export function foldDiacritics(text: string): string {
  return text
    .replace(UNDECOMPOSABLE_RE, (ch) => UNDECOMPOSABLE[ch])
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
}
