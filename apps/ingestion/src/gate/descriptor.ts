import { foldDiacritics } from '@prestanda/contracts';

/**
 * Merchant descriptor normalisation: what a card statement says ("SQ *CAFE LUNA #12 GOTEBORG")
 * turned into a stable merchant name ("CAFE LUNA") that campaign descriptor patterns are
 * matched against. Pure; the rules, in order:
 *
 * 1. Diacritics folded to ASCII ("ÅHLÉNS" → "AHLENS", "Æ" → "AE"; libs/contracts
 *    foldDiacritics, which descriptor patterns go through too), upper case, whitespace
 *    collapsed, trimmed.
 * 2. One payment-facilitator prefix removed ("SQ *", "PAYPAL *", "ZETTLE_*", "IZ *", "SUMUP *", ...).
 * 3. Apostrophes dropped ("MCDONALD'S" → "MCDONALDS"); every other character that is not a
 *    letter, a digit, "&" or a "." between letters/digits ("NETFLIX.COM") becomes a space.
 * 4. From the end, repeatedly: store numbers (a token of digits, with "NR"/"BUTIK"/"STORE"
 *    before it), a known Nordic city (one or two words, with or without å/ä/ö/ø/æ), the
 *    merchant's own reported city and country code are removed — never the first token.
 * 5. Nothing left (a descriptor of punctuation only): the upper-cased descriptor, else "UNKNOWN".
 *
 * A city in the middle of the name stays ("STOCKHOLMS STADSMISSION", "ICA NARA STOCKHOLM CITY"
 * keeps "CITY" unless that is the reported city); names that are only a city and a number keep
 * the city ("GOTEBORG 12" → "GOTEBORG").
 */

/** Payment facilitators and marketplaces that prefix the real merchant's name. */
export const FACILITATOR_PREFIXES: readonly string[] = ['SQ', 'SQU', 'PAYPAL', 'PP', 'ZETTLE', 'IZETTLE', 'IZ', 'SUMUP', 'SUM', 'SP', 'KLARNA', 'NETS', 'BAMBORA', 'STRIPE', 'GOOGLE', 'WWW'];

// "SQ *X", "SQ*X", "PAYPAL *X", "ZETTLE_*X", "IZ *X", "SUMUP *X", "WWW.X" is not a prefix (only "*" / "_*" separators).
const PREFIX_RE = new RegExp(`^(?:${FACILITATOR_PREFIXES.join('|')})\\s*_?\\s*\\*\\s*`);

/** Nordic cities commonly printed after the merchant name, ASCII-folded (Å/Ä→A, Ö/Ø→O, Æ→AE). */
export const NORDIC_CITIES: readonly string[] = [
  // Sweden
  'STOCKHOLM', 'STHLM', 'GOTEBORG', 'GOTHENBURG', 'GBG', 'MALMO', 'UPPSALA', 'VASTERAS', 'OREBRO', 'LINKOPING', 'HELSINGBORG', 'JONKOPING', 'NORRKOPING', 'LUND', 'UMEA', 'GAVLE', 'BORAS', 'SODERTALJE', 'ESKILSTUNA', 'HALMSTAD', 'VAXJO', 'KARLSTAD', 'SUNDSVALL', 'LULEA', 'TROLLHATTAN', 'OSTERSUND', 'SOLNA', 'SUNDBYBERG', 'NACKA', 'KISTA', 'VISBY', 'KIRUNA', 'KALMAR', 'FALUN',
  // Norway
  'OSLO', 'BERGEN', 'TRONDHEIM', 'STAVANGER', 'DRAMMEN', 'FREDRIKSTAD', 'KRISTIANSAND', 'TROMSO', 'SANDNES', 'BODO', 'ALESUND',
  // Denmark
  'KOBENHAVN', 'COPENHAGEN', 'KOEBENHAVN', 'AARHUS', 'ARHUS', 'ODENSE', 'AALBORG', 'ESBJERG', 'RANDERS', 'KOLDING', 'HORSENS', 'VEJLE', 'ROSKILDE', 'FREDERIKSBERG',
  // Finland
  'HELSINKI', 'HELSINGFORS', 'ESPOO', 'TAMPERE', 'VANTAA', 'OULU', 'TURKU', 'ABO', 'JYVASKYLA', 'LAHTI', 'KUOPIO', 'PORI',
  // Iceland
  'REYKJAVIK',
  // Two words
  'KOBENHAVN K', 'KOBENHAVN V', 'KOBENHAVN N', 'KOBENHAVN O', 'KOBENHAVN S',
];

const CITY_SET = new Set(NORDIC_CITIES);
const STORE_WORDS = new Set(['NR', 'NO', 'BUTIK', 'STORE', 'FILIAL']);

function cleanPunctuation(text: string): string {
  return text
    .replace(/['’`]/g, '')
    .replace(/(?<=[\p{L}\p{N}])\.(?=[\p{L}\p{N}])/gu, '\uE000')
    .replace(/[^\p{L}\p{N}&\uE000]+/gu, ' ')
    .replace(/\uE000/g, '.')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface DescriptorContext {
  /** The merchant's city as the card record reports it. */
  readonly city?: string;
  /** ISO 3166-1 alpha-2 of the merchant. */
  readonly country?: string;
}

export function normaliseDescriptor(descriptor: string, context: DescriptorContext = {}): string {
  const upper = foldDiacritics(descriptor).toUpperCase().replace(/\s+/g, ' ').trim();
  const unprefixed = upper.replace(PREFIX_RE, '');
  const tokens = cleanPunctuation(unprefixed).split(' ').filter(Boolean);
  // The descriptor was folded once above; the reported city is folded the same way to compare.
  const reportedCity = context.city ? cleanPunctuation(foldDiacritics(context.city).toUpperCase()) : undefined;
  const country = context.country?.toUpperCase();

  let changed = true;
  while (changed && tokens.length > 1) {
    changed = false;
    const last = tokens[tokens.length - 1];
    const lastTwo = tokens.length > 2 ? `${tokens[tokens.length - 2]} ${last}` : undefined;
    if (/^\p{N}+$/u.test(last)) {
      tokens.pop();
      if (tokens.length > 1 && STORE_WORDS.has(tokens[tokens.length - 1])) tokens.pop();
      changed = true;
    } else if (lastTwo && (CITY_SET.has(lastTwo) || lastTwo === reportedCity)) {
      tokens.splice(tokens.length - 2, 2);
      changed = true;
    } else if (CITY_SET.has(last) || last === reportedCity || (country !== undefined && last === country)) {
      tokens.pop();
      changed = true;
    }
  }
  const result = tokens.join(' ').slice(0, 200).trim();
  return result || upper.slice(0, 200) || 'UNKNOWN';
}
