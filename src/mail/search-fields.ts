// The header text SEARCH matches, computed once when a message is stored (RFC 3501 §6.4.4):
// FROM, TO, CC, BCC and SUBJECT compare a string with the decoded field values, and SENTBEFORE,
// SENTON and SENTSINCE compare a day with the Date field's. Stored beside the message, they let
// a search over 100,000 messages run in SQL without reading one of them; the values are the
// very ones the evaluator computes from the message itself (`decodeField`, `dayOfDateField`,
// `foldCase`), so both ways answer alike.
import libmime from 'libmime';
import { foldCase } from '../imap/search/fold.js';
import type { MessageSearchText } from '../store/types.js';
import { fieldValue, splitMessage } from './header-block.js';

/** The header fields kept for SEARCH, by their SEARCH key. */
export const SEARCH_HEADER_FIELDS = ['from', 'to', 'cc', 'bcc', 'subject'] as const;
export type SearchHeaderField = (typeof SEARCH_HEADER_FIELDS)[number];

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The calendar day a Date field names, in its own zone (RFC 5322 §3.3): "YYYY-MM-DD". */
export function dayOfDateField(value: string): string | null {
  const match = /(\d{1,2})\s+([A-Za-z]{3})\w*\s+(\d{2,4})/.exec(value);
  if (!match) return null;
  const month = MONTHS.indexOf(match[2]!.toLowerCase());
  if (month < 0) return null;
  let year = Number(match[3]);
  // RFC 5322 §4.3: two-digit years.
  if (match[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${match[1]!.padStart(2, '0')}`;
}

/** "YYYY-MM-DD" → YYYYMMDD, which orders like the days; null if malformed. */
export function dayNumber(day: string): number | null {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(day);
  return m ? Number(m[1]) * 10_000 + Number(m[2]) * 100 + Number(m[3]) : null;
}

/** A header line's value, unfolded and with RFC 2047 encoded words decoded. */
export function decodeField(line: string): string {
  const value = fieldValue(line);
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

/**
 * The stored text of one field's values: each decoded value case-folded, after a "\n" (a
 * newline inside a value becomes a space). A search string, which holds no newline, is a
 * substring of one of the values exactly when it is a substring of this text.
 */
export function searchText(values: readonly string[]): string {
  let text = '';
  for (const value of values) text += `\n${foldCase(value).replace(/\n/g, ' ')}`;
  return text;
}

/** What SEARCH matches of a message's header, from the message itself. */
export function searchFields(raw: Buffer): MessageSearchText {
  const values: Record<SearchHeaderField | 'date', string[]> = { from: [], to: [], cc: [], bcc: [], subject: [], date: [] };
  for (const { key, line } of splitMessage(raw).headers.getList()) {
    if (key && Object.hasOwn(values, key)) values[key as SearchHeaderField | 'date'].push(decodeField(line));
  }
  const date = values.date[0];
  const day = date === undefined ? null : dayOfDateField(date);
  return {
    from: searchText(values.from),
    to: searchText(values.to),
    cc: searchText(values.cc),
    bcc: searchText(values.bcc),
    subject: searchText(values.subject),
    sentDay: day === null ? null : dayNumber(day),
  };
}
