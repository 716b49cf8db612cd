/**
 * Card-number (PAN) detection. A PAN must never be stored, logged or forwarded: inbound
 * events carrying one are refused, and anything written to a dead-letter topic or a log
 * can be passed through `redactPans` / `redactPansInText` first.
 *
 * What counts as a PAN: a run of 12–19 digits that passes the Luhn check and does not start
 * with 0 (ISO/IEC 7812 assigns no card issuer an identifier starting with 0; excluding it
 * keeps zero-padded merchant ids and references from being flagged). Digits may be grouped
 * by single spaces or dashes ("4111 1111 1111 1111", "4111-1111-1111-1111"). Groups are
 * taken whole: a candidate starts and ends at a group boundary of a run of digit groups, so
 * "Order 12 4111 1111 1111 1111" is found, while a single 20+ digit number (an IBAN-like
 * reference) is not split into windows. Adjacent letters do not protect a PAN
 * ("CARD4111111111111111" is flagged).
 *
 * Trade-off, deliberately on the safe side: about one in ten random 12–19 digit numbers
 * passes Luhn, so purely numeric ids of that length will sometimes be flagged. Integrators
 * should use ids that are not 12–19 bare digits (a prefix such as "txn-" is enough).
 */

export const PAN_REDACTION = '[REDACTED-PAN]';

// A maximal run of digit groups joined by one space or dash, not touching other digits.
const DIGIT_RUN = /(?<![0-9])[0-9]+(?:[ -][0-9]+)*(?![0-9])/g;

/** Luhn (mod 10) check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let total = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
    double = !double;
  }
  return total % 10 === 0;
}

function isPanDigits(digits: string): boolean {
  return digits.length >= 12 && digits.length <= 19 && digits[0] !== '0' && luhnValid(digits);
}

interface Span {
  start: number;
  end: number;
}

/** PAN spans (character offsets) in a text, non-overlapping, left to right. */
// UUIDs (event ids) are hex groups joined by dashes; their digit groups can look like a
// dash-formatted card number that passes Luhn. They are masked (same length) before scanning.
const UUID_RUN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function panSpans(original: string): Span[] {
  const spans: Span[] = [];
  if (!/[0-9]{2}/.test(original)) return spans;
  const text = original.replace(UUID_RUN, (u) => 'x'.repeat(u.length));
  DIGIT_RUN.lastIndex = 0;
  for (let m = DIGIT_RUN.exec(text); m; m = DIGIT_RUN.exec(text)) {
    const run = m[0];
    if (run.replace(/[ -]/g, '').length < 12) continue;
    const groups: { start: number; end: number; digits: string }[] = [];
    const groupRe = /[0-9]+/g;
    for (let g = groupRe.exec(run); g; g = groupRe.exec(run)) {
      groups.push({ start: m.index + g.index, end: m.index + g.index + g[0].length, digits: g[0] });
    }
    let i = 0;
    while (i < groups.length) {
      // The longest candidate starting at group i, so a whole formatted PAN is redacted.
      let best = -1;
      let digits = '';
      for (let j = i; j < groups.length; j++) {
        digits += groups[j].digits;
        if (digits.length > 19) break;
        if (isPanDigits(digits)) best = j;
      }
      if (best >= 0) {
        spans.push({ start: groups[i].start, end: groups[best].end });
        i = best + 1;
      } else {
        i++;
      }
    }
  }
  return spans;
}

/** True when the text contains a card number. */
export function containsPan(text: string): boolean {
  return panSpans(text).length > 0;
}

/** The text with every card number replaced by `[REDACTED-PAN]`. */
export function redactPansInText(text: string): string {
  const spans = panSpans(text);
  if (spans.length === 0) return text;
  let out = '';
  let last = 0;
  for (const s of spans) {
    out += text.slice(last, s.start) + PAN_REDACTION;
    last = s.end;
  }
  return out + text.slice(last);
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const child = (path: string, key: string): string => (IDENT.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`);

function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return null;
}

/**
 * Finds the first card number in any string (or integer) anywhere in `value`, walking objects
 * and arrays, including property names. Returns its path, e.g. `data.merchant.descriptor` or
 * `items[2].note`; the path of a top-level string is `""`.
 */
export function findPan(value: unknown, path = ''): { path: string } | null {
  return walk(value, path, new WeakSet());
}

function walk(value: unknown, path: string, seen: WeakSet<object>): { path: string } | null {
  const text = scalarText(value);
  if (text !== null) return containsPan(text) ? { path } : null;
  if (typeof value !== 'object' || value === null) return null;
  if (seen.has(value)) return null;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], `${path}[${i}]`, seen);
      if (found) return found;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    const p = child(path, key);
    if (containsPan(key)) return { path: p };
    const found = walk(v, p, seen);
    if (found) return found;
  }
  return null;
}

/**
 * A deep copy of `value` with every card number in strings and property names replaced by
 * `[REDACTED-PAN]`; integers that are card numbers become the string `[REDACTED-PAN]`.
 * Other values are copied as they are (Buffers and class instances are treated as plain data).
 */
export function redactPans<T>(value: T): T {
  return redact(value, new WeakMap()) as T;
}

function redact(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redactPansInText(value);
  if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint') {
    return containsPan(String(value)) ? PAN_REDACTION : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(redact(item, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [key, v] of Object.entries(value)) out[redactPansInText(key)] = redact(v, seen);
  return out;
}
