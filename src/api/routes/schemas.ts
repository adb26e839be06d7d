// Small zod building blocks shared by the route schemas. Query values arrive as strings, so
// numbers and booleans are coerced here, with messages that say what to send.
import { z } from 'zod';

/** `true`/`false` (also 1/0) in a query string. */
export const queryBoolean = z
  .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1');

/** A number from a query string; `what` names it when it is not a number at all. */
const queryNumber = (what: string) =>
  z.coerce.number({ error: (issue) => (issue.code === 'invalid_type' ? `expected ${what}` : undefined) }).int(`expected a whole number`);

export const limitParam = (max: number, fallback: number) => queryNumber('a number').min(1).max(max).default(fallback);

export const offsetParam = queryNumber('a number').min(0).default(0);

/** Unix seconds in a query string. */
export const unixSeconds = queryNumber('Unix seconds').min(0);

export const idParam = z.string().min(1).max(320);
