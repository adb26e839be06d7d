// Test helper: SearchableMessage objects built directly, counting every call to the accessors
// that would cost I/O or parsing in the real store, so tests can prove the evaluator is lazy.
import type { SearchableMessage } from '../../../src/imap/search/types.js';

export interface Calls {
  headerValues: number;
  sentDay: number;
  bodyText: number;
  fullText: number;
}

export interface FixtureMessage extends SearchableMessage {
  calls: Calls;
}

export interface MessageSpec {
  seq: number;
  uid: number;
  flags?: string[];
  recent?: boolean;
  /** ISO 8601 instant. */
  internalDate?: string;
  size?: number;
  modseq?: number;
  /** Decoded header fields in order; the Date field also drives sentDay(). */
  headers?: [name: string, value: string][];
  body?: string;
}

export function message(spec: MessageSpec): FixtureMessage {
  const headers = spec.headers ?? [];
  const body = spec.body ?? '';
  const calls: Calls = { headerValues: 0, sentDay: 0, bodyText: 0, fullText: 0 };
  return {
    seq: spec.seq,
    uid: spec.uid,
    flags: spec.flags ?? [],
    recent: spec.recent ?? false,
    internalDate: Date.parse(spec.internalDate ?? '2024-01-01T12:00:00Z'),
    size: spec.size ?? 1000,
    modseq: spec.modseq ?? 1,
    calls,
    headerValues(field) {
      calls.headerValues++;
      return headers.filter(([name]) => name.toLowerCase() === field.toLowerCase()).map(([, value]) => value);
    },
    sentDay() {
      calls.sentDay++;
      const date = headers.find(([name]) => name.toLowerCase() === 'date')?.[1];
      return date === undefined ? null : dayAsWritten(date);
    },
    bodyText() {
      calls.bodyText++;
      return body;
    },
    fullText() {
      calls.fullText++;
      return `${headers.map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n${body}`;
    },
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * What the real sentDay() does, reduced to the test's needs: the calendar day as written in the
 * Date field (RFC 5322 §3.3), in the sender's own zone — "Thu, 1 Feb 2024 00:30 +1400" is
 * 1 February although in UTC it is still 31 January.
 */
export function dayAsWritten(date: string): string | null {
  const m = /(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+\d{2}:\d{2}/.exec(date);
  if (!m) return null;
  const month = MONTHS.indexOf((m[2] ?? '').toLowerCase()) + 1;
  if (month === 0) return null;
  return `${m[3]}-${String(month).padStart(2, '0')}-${(m[1] ?? '').padStart(2, '0')}`;
}

export function totalCalls(messages: FixtureMessage[], what: keyof Calls): number {
  return messages.reduce((sum, msg) => sum + msg.calls[what], 0);
}

export function resetCalls(messages: FixtureMessage[]): void {
  for (const msg of messages) Object.assign(msg.calls, { headerValues: 0, sentDay: 0, bodyText: 0, fullText: 0 });
}
