import type { ValueTransformer } from 'typeorm';

/**
 * `bigint` columns (money in minor units, counters) come back from pg as strings. This reads
 * them as numbers and refuses a value a JS number cannot hold exactly, rather than rounding money.
 */
export const bigintNumber: ValueTransformer = {
  to: (value?: number | null) => value,
  from: (value?: string | number | null) => {
    if (value === null || value === undefined) return value;
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} does not fit a safe integer`);
    return n;
  },
};
