// Two small pieces of IMAP grammar that SEARCH needs: sequence sets and `d-Mon-yyyy` dates.
//
// STAND-IN: these belong in the shared grammar (src/imap/protocol/grammar.ts), which is being
// written separately. They are kept here, private to search/, with the same contract (text in,
// value or null out) so that swapping them for the shared parsers is a two-line change in
// parse.ts. Nothing outside search/ should import this file.
import type { SequenceSet } from '../protocol/types.js';

/** RFC 3501 §9 / RFC 9051 §9: nz-number is a 32-bit unsigned number greater than zero. */
const MAX_NZ_NUMBER = 4_294_967_295;

/**
 * RFC 9051 §9:
 *   sequence-set = (seq-number / seq-range) ["," sequence-set]
 *   seq-range    = seq-number ":" seq-number
 *   seq-number   = nz-number / "*"
 * Returns null for anything else (empty elements, zero, leading zeros, `$`, spaces, …).
 * Ranges are kept as written; `5:2` means the same as `2:5` (RFC 9051 §9, seq-range note).
 */
export function parseSequenceSet(text: string): SequenceSet | null {
  if (text === '') return null;
  const set: SequenceSet = [];
  for (const element of text.split(',')) {
    const parts = element.split(':');
    if (parts.length > 2) return null;
    const from = parseSeqNumber(parts[0] ?? '');
    const to = parts.length === 2 ? parseSeqNumber(parts[1] ?? '') : from;
    if (from === null || to === null) return null;
    set.push({ from, to });
  }
  return set;
}

function parseSeqNumber(text: string): number | '*' | null {
  if (text === '*') return '*';
  // nz-number = digit-nz *DIGIT: no leading zero, so "0" and "01" are both refused.
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
  const n = Number(text);
  return n <= MAX_NZ_NUMBER ? n : null;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * RFC 9051 §9:
 *   date       = date-text / DQUOTE date-text DQUOTE   (the caller strips the quotes)
 *   date-text  = date-day "-" date-month "-" date-year
 *   date-day   = 1*2DIGIT
 *   date-month = "Jan" / "Feb" / … / "Dec"              (case-insensitive, as all IMAP literals)
 *   date-year  = 4DIGIT
 * Returns the calendar day as "YYYY-MM-DD", or null when the text is not a date or names a day
 * that does not exist (31-Apr, 29-Feb in a common year): such a search could never be meant.
 */
export function parseSearchDate(text: string): string | null {
  const m = /^([0-9]{1,2})-([A-Za-z]{3})-([0-9]{4})$/.exec(text);
  if (!m) return null;
  const day = Number(m[1]);
  const month = MONTHS.indexOf((m[2] ?? '').toUpperCase()) + 1;
  const year = Number(m[3]);
  if (month === 0 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${m[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
