// Reading a large folder's index in bulk. better-sqlite3 builds a JavaScript row for every row
// it returns, about a microsecond each: 100 ms for the 100,000 UIDs and flags of
// `UID FETCH 1:* (FLAGS)` before a byte is sent. Here SQLite itself joins the values into one
// string (group_concat, in C) and we read the numbers out of it, a few milliseconds for the
// same folder. Searches that need nothing but the index (flags, UIDs, sizes, dates, and the
// header text kept per message) run the same way, as SQL.
import type { DayComparison, FilterResult, FlagIndex, MessageFilter } from '../types.js';
import { FLAG_BITS } from '../types.js';
import type { Db } from './database.js';

/**
 * The integers of a comma-separated list, as group_concat makes it, in order. JSON.parse reads
 * them natively: faster than any loop over the characters here.
 */
export function parseNumbers(text: string | null | undefined): number[] {
  return text ? (JSON.parse(`[${text}]`) as number[]) : [];
}

/** Whether the numbers ascend strictly. */
function strictlyAscending(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! <= values[i - 1]!) return false;
  return true;
}

/** Ascending, whatever order the scan produced (it is the index's, but SQL promises none). */
function ascending(values: number[]): number[] {
  return strictlyAscending(values) ? values : values.sort((a, b) => a - b);
}

/** Sorts rows of `width` numbers each, in place, by their first number. */
function sortRows(flat: number[], width: number): void {
  const rows: number[][] = [];
  for (let j = 0; j < flat.length; j += width) rows.push(flat.slice(j, j + width));
  rows.sort((a, b) => a[0]! - b[0]!);
  rows.forEach((row, i) => {
    for (let k = 0; k < width; k++) flat[i * width + k] = row[k]!;
  });
}

/** The system flags of a row as FLAG_BITS. */
export const BITS_SQL = `(seen * ${FLAG_BITS['\\Seen']} + answered * ${FLAG_BITS['\\Answered']} + flagged * ${FLAG_BITS['\\Flagged']} + deleted * ${FLAG_BITS['\\Deleted']} + draft * ${FLAG_BITS['\\Draft']})`;

/**
 * UIDs, MODSEQs and flag bits of the messages with UIDs from `low` to `high` (and, with
 * `changedSince`, a greater MODSEQ), plus internal dates and sizes when asked.
 */
export function flagIndex(
  db: Db,
  folderId: number,
  low: number,
  high: number,
  opts: { changedSince?: number | undefined; dates?: boolean; sizes?: boolean } = {},
): FlagIndex {
  const columns = ['uid', 'modseq', BITS_SQL];
  if (opts.dates) columns.push('internal_date');
  if (opts.sizes) columns.push('size');
  const width = columns.length;
  const changedSince = opts.changedSince ?? 0;
  // CHANGEDSINCE reads the (folder_id, modseq) index: a few rows, however large the folder.
  // (Named: without statistics the planner would take the UID index and read every row.)
  const from = changedSince > 0 ? 'messages INDEXED BY messages_folder_modseq' : 'messages';
  const where = changedSince > 0 ? 'folder_id = ? AND modseq > ? AND uid BETWEEN ? AND ?' : 'folder_id = ? AND uid BETWEEN ? AND ?';
  const params = changedSince > 0 ? [folderId, changedSince, low, high] : [folderId, low, high];
  const text = db
    .prepare(`SELECT group_concat(${columns.join(" || ',' || ")}) FROM ${from} WHERE ${where}`)
    .pluck()
    .get(...params) as string | null;
  const flat = parseNumbers(text);
  const count = flat.length / width;
  // Rows come in the order of the index read: UIDs, or MODSEQs for CHANGEDSINCE.
  let inOrder = true;
  for (let j = width; j < flat.length && inOrder; j += width) inOrder = flat[j]! > flat[j - width]!;
  if (!inOrder) sortRows(flat, width);
  const uids: number[] = new Array(count);
  const modseqs: number[] = new Array(count);
  const bits: number[] = new Array(count);
  const index: FlagIndex = { uids, modseqs, bits, keywords: new Map() };
  if (opts.dates) index.internalDates = new Array(count);
  if (opts.sizes) index.sizes = new Array(count);
  for (let i = 0, j = 0; i < count; i++, j += width) {
    uids[i] = flat[j]!;
    modseqs[i] = flat[j + 1]!;
    bits[i] = flat[j + 2]!;
    let k = j + 3;
    if (index.internalDates) index.internalDates[i] = flat[k++]!;
    if (index.sizes) index.sizes[i] = flat[k]!;
  }
  // Keywords are few and far between: read only the messages that have any.
  const withKeywords = db
    .prepare(`SELECT uid, keywords FROM ${from} WHERE ${where} AND keywords <> '[]' ORDER BY uid`)
    .raw()
    .all(...params) as [number, string][];
  for (const [uid, keywords] of withKeywords) index.keywords.set(uid, JSON.parse(keywords) as string[]);
  return index;
}

// ---- SEARCH in SQL ------------------------------------------------------------------------

const FLAG_COLUMNS: Record<string, string> = {
  '\\Seen': 'seen',
  '\\Answered': 'answered',
  '\\Flagged': 'flagged',
  '\\Deleted': 'deleted',
  '\\Draft': 'draft',
};

const HEADER_COLUMNS = { from: 'search_from', to: 'search_to', cc: 'search_cc', bcc: 'search_bcc', subject: 'search_subject' } as const;

interface Compiled {
  sql: string;
  params: (string | number)[];
  /** Uses the header text or sent day, which older rows may lack. */
  needsSearchText: boolean;
}

/** Milliseconds of the start of a UTC day given as YYYYMMDD. */
function dayStart(day: number): number {
  return Date.UTC(Math.floor(day / 10_000), Math.floor(day / 100) % 100 - 1, day % 100);
}

/**
 * RFC 3501 §6.4.4 BEFORE/ON/SINCE on the internal date "disregarding time and timezone" (its
 * UTC day), as a range of instants: the (folder_id, …) scan then compares integers.
 */
function internalDateSql(c: DayComparison): Compiled {
  const start = dayStart(c.day);
  const end = start + 86_400_000;
  if (c.cmp === 'before') return { sql: 'internal_date < ?', params: [start], needsSearchText: false };
  if (c.cmp === 'since') return { sql: 'internal_date >= ?', params: [start], needsSearchText: false };
  return { sql: '(internal_date >= ? AND internal_date < ?)', params: [start, end], needsSearchText: false };
}

/**
 * Every expression is TRUE or FALSE, never NULL, so that NOT means what SEARCH's NOT means (a
 * message without a Date field is not SENTBEFORE anything, and so NOT SENTBEFORE everything).
 */
export function compileFilter(filter: MessageFilter): Compiled {
  switch (filter.op) {
    case 'all':
      return { sql: '1', params: [], needsSearchText: false };
    case 'and':
    case 'or': {
      if (filter.filters.length === 0) return { sql: filter.op === 'and' ? '1' : '0', params: [], needsSearchText: false };
      const parts = filter.filters.map(compileFilter);
      return {
        sql: `(${parts.map((p) => p.sql).join(filter.op === 'and' ? ' AND ' : ' OR ')})`,
        params: parts.flatMap((p) => p.params),
        needsSearchText: parts.some((p) => p.needsSearchText),
      };
    }
    case 'not': {
      const inner = compileFilter(filter.filter);
      return { sql: `NOT ${inner.sql}`, params: inner.params, needsSearchText: inner.needsSearchText };
    }
    case 'uids':
      if (filter.ranges.length === 0) return { sql: '0', params: [], needsSearchText: false };
      return {
        sql: `(${filter.ranges.map(() => 'uid BETWEEN ? AND ?').join(' OR ')})`,
        params: filter.ranges.flat(),
        needsSearchText: false,
      };
    case 'flag':
      return { sql: `${FLAG_COLUMNS[filter.flag]} = ${filter.present ? 1 : 0}`, params: [], needsSearchText: false };
    case 'keyword':
      return {
        sql: `${filter.present ? '' : 'NOT '}EXISTS (SELECT 1 FROM json_each(keywords) WHERE lower(value) = ?)`,
        params: [filter.keyword.toLowerCase()],
        needsSearchText: false,
      };
    case 'size':
      return { sql: filter.cmp === 'larger' ? 'size > ?' : 'size < ?', params: [filter.bytes], needsSearchText: false };
    case 'modseq':
      return { sql: 'modseq >= ?', params: [filter.min], needsSearchText: false };
    case 'internalDate':
      return internalDateSql(filter);
    case 'sentDay': {
      const op = filter.cmp === 'before' ? '<' : filter.cmp === 'on' ? '=' : '>=';
      return { sql: `(sent_day IS NOT NULL AND sent_day ${op} ?)`, params: [filter.day], needsSearchText: true };
    }
    case 'header': {
      const column = HEADER_COLUMNS[filter.field];
      if (filter.text === '') return { sql: `coalesce(${column}, '') <> ''`, params: [], needsSearchText: true };
      return { sql: `instr(coalesce(${column}, ''), ?) > 0`, params: [filter.text], needsSearchText: true };
    }
  }
}

/**
 * The folder's messages with a UID up to `maxUid` that match `filter`, judged in SQL. Rows stored
 * before the header text was kept cannot be judged on it: they come back as `unjudged`.
 */
export function searchFolder(db: Db, folderId: number, filter: MessageFilter, maxUid: number, wantModseq: boolean): FilterResult {
  const compiled = compileFilter(filter);
  const ready = compiled.needsSearchText ? ' AND search_subject IS NOT NULL' : '';
  const select = wantModseq ? "group_concat(uid), max(modseq)" : 'group_concat(uid), 0';
  const [uids, highest] = db
    .prepare(`SELECT ${select} FROM messages WHERE folder_id = ? AND uid <= ?${ready} AND ${compiled.sql}`)
    .raw()
    .get(folderId, maxUid, ...compiled.params) as [string | null, number | null];
  const unjudged = compiled.needsSearchText
    ? parseNumbers(
        db
          .prepare('SELECT group_concat(uid) FROM messages WHERE search_subject IS NULL AND folder_id = ? AND uid <= ?')
          .pluck()
          .get(folderId, maxUid) as string | null,
      )
    : [];
  return { uids: ascending(parseNumbers(uids)), highestModseq: highest ?? 0, unjudged };
}
