import { CURRENCY_CODES } from '@prestanda/money';

/**
 * A JSON Schema (draft-07 subset, so it is valid both for ajv and as an AsyncAPI 3.0
 * payload schema). Kept as plain data: the schemas are published verbatim in the AsyncAPI
 * document, and a unit test checks that every property carries a `description`.
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

type Props = Readonly<Record<string, JsonSchema>>;

/** An object with exactly these properties (no others): `required` lists the mandatory ones. */
export function object(description: string, properties: Props, required: readonly string[], extra: JsonSchema = {}): JsonSchema {
  for (const name of required) {
    if (!(name in properties)) throw new Error(`required property ${name} is not defined`);
  }
  return { type: 'object', description, additionalProperties: false, required: [...required], properties, ...extra };
}

export function string(description: string, extra: JsonSchema = {}): JsonSchema {
  return { type: 'string', description, ...extra };
}

const ID_PATTERN = '^[!-~]+$';
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** An opaque identifier: 1–128 printable ASCII characters, no whitespace. */
export function id(description: string, example: string): JsonSchema {
  return {
    type: 'string',
    description: `${description} Opaque string, 1–128 printable ASCII characters without whitespace.`,
    minLength: 1,
    maxLength: 128,
    pattern: ID_PATTERN,
    examples: [example],
  };
}

export function uuid(description: string, example: string): JsonSchema {
  return { type: 'string', pattern: UUID_PATTERN, maxLength: 36, description: `${description} A UUID (RFC 9562) in canonical 8-4-4-4-12 hex form.`, examples: [example] };
}

export function dateTime(description: string, example = '2025-03-14T15:09:26.535Z'): JsonSchema {
  return {
    type: 'string',
    format: 'date-time',
    maxLength: 64,
    description: `${description} RFC 3339 / ISO 8601 date-time with an explicit offset (\`Z\` or \`+01:00\`).`,
    examples: [example],
  };
}

export function integer(description: string, extra: JsonSchema = {}): JsonSchema {
  return { type: 'integer', description, ...extra };
}

export function boolean(description: string): JsonSchema {
  return { type: 'boolean', description };
}

export function enumOf(description: string, values: readonly string[]): JsonSchema {
  return { type: 'string', description, enum: [...values] };
}

export function constant(description: string, value: string | number): JsonSchema {
  return { type: typeof value === 'number' ? 'integer' : 'string', description, const: value };
}

export function array(description: string, items: JsonSchema, extra: JsonSchema = {}): JsonSchema {
  return { type: 'array', description, items, ...extra };
}

export const CURRENCY_DESCRIPTION =
  'ISO 4217 alphabetic currency code, upper case (SEK, NOK, DKK, EUR, ISK, ...). Only currencies with minor units are accepted; the number of minor-unit digits follows ISO 4217 (SEK 2, ISK 0, KWD 3).';

export function currency(description = CURRENCY_DESCRIPTION): JsonSchema {
  return { type: 'string', description, pattern: '^[A-Z]{3}$', maxLength: 3, format: 'iso-4217', examples: ['SEK'] };
}

export type MoneySign = 'positive' | 'non-negative' | 'any';

/**
 * Money on the wire: `{ "amountMinor": 2550, "currency": "SEK" }` = 25,50 kr. Never a float,
 * never a decimal string.
 */
export function money(description: string, sign: MoneySign): JsonSchema {
  const bound =
    sign === 'positive'
      ? { minimum: 1 }
      : sign === 'non-negative'
        ? { minimum: 0 }
        : { minimum: Number.MIN_SAFE_INTEGER };
  const signText =
    sign === 'positive' ? 'Strictly positive.' : sign === 'non-negative' ? 'Zero or positive.' : 'May be negative.';
  return object(
    `${description} Amount in integer minor units plus ISO 4217 currency, e.g. {"amountMinor": 2550, "currency": "SEK"} is 25,50 kr.`,
    {
      amountMinor: integer(
        `Amount in the currency's minor unit (öre for SEK, cent for EUR, whole krónur for ISK) as an integer, never a float or a decimal string: 25,50 kr is 2550. ${signText}`,
        { ...bound, maximum: Number.MAX_SAFE_INTEGER, examples: [2550] },
      ),
      currency: currency(),
    },
    ['amountMinor', 'currency'],
  );
}

/** For the `iso-4217` format registered with ajv (see validate.ts). */
export const SUPPORTED_CURRENCIES: readonly string[] = CURRENCY_CODES;

export const COUNTRY = (description: string): JsonSchema =>
  string(`${description} ISO 3166-1 alpha-2 country code, upper case (SE, NO, DK, FI, DE, ...).`, {
    pattern: '^[A-Z]{2}$',
    maxLength: 2,
    examples: ['SE'],
  });

export const CHANNELS = ['online', 'in-store'] as const;
export type PurchaseChannel = (typeof CHANNELS)[number];
