// SEARCH criteria (RFC 3501 §6.4.4, RFC 9051 §6.4.4) as a tree, and the view of a message the
// evaluator needs. Cheap facts (flags, sizes, dates, UIDs) are fields; header and body text are
// functions, called only when a key needs them, so a flag search never reads a body.
import type { SequenceSet } from '../protocol/types.js';

export type DateComparison = 'before' | 'on' | 'since';

export type SearchKey =
  | { op: 'all' }
  | { op: 'and'; keys: SearchKey[] }
  | { op: 'or'; left: SearchKey; right: SearchKey }
  | { op: 'not'; key: SearchKey }
  /** Message sequence numbers (a bare sequence set in the criteria). */
  | { op: 'seq'; set: SequenceSet }
  | { op: 'uid'; set: SequenceSet }
  /** A system flag (with backslash, e.g. "\\Seen") or a keyword; present or absent. */
  | { op: 'flag'; flag: string; present: boolean }
  /** RECENT / OLD (NEW is and(recent, not seen)). */
  | { op: 'recent'; present: boolean }
  /** BEFORE/ON/SINCE on the internal date; SENTBEFORE/SENTON/SENTSINCE on the Date field. Dates are "YYYY-MM-DD". */
  | { op: 'internaldate'; cmp: DateComparison; date: string }
  | { op: 'sentdate'; cmp: DateComparison; date: string }
  | { op: 'size'; cmp: 'larger' | 'smaller'; bytes: number }
  /** HEADER field string; FROM, TO, CC, BCC, SUBJECT are HEADER with that field. Empty value: the field exists. */
  | { op: 'header'; field: string; value: string }
  | { op: 'body'; value: string }
  | { op: 'text'; value: string }
  /** CONDSTORE (RFC 7162 §3.1.5): MODSEQ at least this. */
  | { op: 'modseq'; min: number };

export interface SearchableMessage {
  seq: number;
  uid: number;
  /** System flags with backslash, and keywords. */
  flags: readonly string[];
  recent: boolean;
  /** Milliseconds since the epoch. */
  internalDate: number;
  size: number;
  modseq: number;
  /** Decoded (RFC 2047), unfolded values of every field with that name (case-insensitive). */
  headerValues(field: string): string[];
  /** The calendar day of the Date field in its own zone, "YYYY-MM-DD", or null. */
  sentDay(): string | null;
  /** The decoded text of the body: text parts after transfer and charset decoding. */
  bodyText(): string;
  /** Header and body text together (the TEXT key). */
  fullText(): string;
}

export interface SearchContext {
  /** Highest sequence number and UID in the mailbox, for `*`. */
  maxSeq: number;
  maxUid: number;
}
