// SEARCH keys the store can answer from its index (flags, UIDs, sizes, dates, MODSEQ and the
// header text it keeps per message), as a MessageFilter: a search over 100,000 messages then
// reads none of them. Sequence numbers and \Recent belong to the session, so they become the
// UID ranges they name in its view. Anything else (BODY, TEXT, other header fields) stays with
// the evaluator, which reads the messages. The answer must be the evaluator's, key by key:
// evaluate.ts is the reference and the tests compare both on the same folders.
import { dayNumber } from '../../mail/search-fields.js';
import type { MessageFilter, SystemFlag } from '../../store/types.js';
import { foldCase } from './fold.js';
import { resolveRanges } from './evaluate.js';
import type { SearchKey } from './types.js';

/** What the translation needs of the session's view of the selected mailbox. */
export interface MailboxView {
  readonly exists: number;
  readonly maxUid: number;
  uidAt(seq: number): number | undefined;
  /** UIDs this session reports \Recent, ascending. */
  recentUids(): number[];
}

/** Beyond this many ranges a set is left to the evaluator (SQLite limits bound parameters). */
const MAX_RANGES = 200;

const SYSTEM_FLAGS: Record<string, SystemFlag> = {
  '\\seen': '\\Seen',
  '\\answered': '\\Answered',
  '\\flagged': '\\Flagged',
  '\\deleted': '\\Deleted',
  '\\draft': '\\Draft',
};

const HEADER_FIELDS = new Set(['from', 'to', 'cc', 'bcc', 'subject']);

/** Sequence-number ranges as the UID ranges they cover in the view (exact: no UID between two of the view's is missing from it). */
function seqRangesToUids(ranges: [number, number][], view: MailboxView): [number, number][] {
  const out: [number, number][] = [];
  for (const [from, to] of ranges) {
    const a = Math.max(1, from);
    const b = Math.min(view.exists, to);
    if (a > b) continue;
    out.push([view.uidAt(a)!, view.uidAt(b)!]);
  }
  return out;
}

/** Ascending UIDs of the view as ranges, merging UIDs that are neighbours in the view. */
function uidsToRanges(uids: number[], view: MailboxView & { seqOf(uid: number): number | undefined }): [number, number][] {
  const out: [number, number][] = [];
  let lastSeq = -2;
  for (const uid of uids) {
    const seq = view.seqOf(uid);
    if (seq === undefined) continue;
    const last = out[out.length - 1];
    if (last && seq === lastSeq + 1) last[1] = uid;
    else out.push([uid, uid]);
    lastSeq = seq;
  }
  return out;
}

/** A valid calendar day as YYYYMMDD (Date.UTC would roll 2024-02-30 over into March). */
function calendarDay(date: string): number | null {
  const day = dayNumber(date);
  if (day === null) return null;
  const d = new Date(Date.UTC(Math.floor(day / 10_000), Math.floor(day / 100) % 100 - 1, day % 100));
  return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate() === day ? day : null;
}

const NONE: MessageFilter = { op: 'uids', ranges: [] };

/** The key as a filter on the view's messages, or null when it needs the messages themselves. */
export function indexFilter(key: SearchKey, view: MailboxView & { seqOf(uid: number): number | undefined }): MessageFilter | null {
  switch (key.op) {
    case 'all':
      return { op: 'all' };
    case 'and': {
      const filters: MessageFilter[] = [];
      for (const k of key.keys) {
        const f = indexFilter(k, view);
        if (!f) return null;
        filters.push(f);
      }
      return { op: 'and', filters };
    }
    case 'or': {
      const left = indexFilter(key.left, view);
      const right = left && indexFilter(key.right, view);
      return left && right ? { op: 'or', filters: [left, right] } : null;
    }
    case 'not': {
      const inner = indexFilter(key.key, view);
      return inner && { op: 'not', filter: inner };
    }
    case 'seq': {
      const ranges = seqRangesToUids(resolveRanges(key.set, view.exists), view);
      return ranges.length > MAX_RANGES ? null : { op: 'uids', ranges };
    }
    case 'uid': {
      const ranges = resolveRanges(key.set, view.maxUid);
      return ranges.length > MAX_RANGES ? null : { op: 'uids', ranges };
    }
    case 'recent': {
      const recent: MessageFilter = { op: 'uids', ranges: uidsToRanges(view.recentUids(), view) };
      if (recent.ranges.length > MAX_RANGES) return null;
      return key.present ? recent : { op: 'not', filter: recent };
    }
    case 'flag': {
      const system = SYSTEM_FLAGS[key.flag.toLowerCase()];
      if (system) return { op: 'flag', flag: system, present: key.present };
      // A backslash name that is no stored system flag (\Recent is the session's) is left to
      // the evaluator; keywords are atoms.
      if (key.flag.startsWith('\\') || !/^[\x21-\x7e]+$/.test(key.flag)) return null;
      return { op: 'keyword', keyword: key.flag, present: key.present };
    }
    case 'size':
      return { op: 'size', cmp: key.cmp, bytes: key.bytes };
    case 'modseq':
      return { op: 'modseq', min: key.min };
    case 'internaldate': {
      // A malformed day matches nothing in the evaluator; an impossible one is left to it.
      if (dayNumber(key.date) === null) return NONE;
      const day = calendarDay(key.date);
      return day === null ? null : { op: 'internalDate', cmp: key.cmp, day };
    }
    case 'sentdate': {
      // Both sides are YYYYMMDD numbers, compared as numbers: the same as the evaluator.
      const day = dayNumber(key.date);
      return day === null ? NONE : { op: 'sentDay', cmp: key.cmp, day };
    }
    case 'header': {
      const field = key.field.toLowerCase();
      const text = foldCase(key.value);
      if (!HEADER_FIELDS.has(field) || text.includes('\n')) return null;
      return { op: 'header', field: field as 'from' | 'to' | 'cc' | 'bcc' | 'subject', text };
    }
    case 'body':
    case 'text':
      return null;
  }
}

/**
 * The part of an AND that the index can answer, to narrow what the evaluator reads: the
 * messages matching it are the only ones that can match the whole. Null when no part can.
 */
export function indexPrefilter(key: SearchKey, view: MailboxView & { seqOf(uid: number): number | undefined }): MessageFilter | null {
  if (key.op !== 'and') return null;
  const filters = key.keys.map((k) => indexFilter(k, view)).filter((f): f is MessageFilter => f !== null);
  return filters.length > 0 ? { op: 'and', filters } : null;
}
