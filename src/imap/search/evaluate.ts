// Evaluating a SearchKey against messages (RFC 3501 §6.4.4, RFC 9051 §6.4.4).
//
// A key is first compiled into a tree of tests, each tagged with what it costs to run: flags,
// sizes, dates and numbers are fields on SearchableMessage; the Date field, other header fields
// and above all the body are reached through functions that may parse or load the message. ANDs
// and ORs run their cheap children first and stop as soon as the answer is known, so
// `SEEN BODY x` never loads the body of an unseen message. Within one message every header
// field, the body and the full text are fetched (and case-folded) at most once, however many
// keys ask for them.
import type { SequenceSet } from '../protocol/types.js';
import { dayNumber } from '../../mail/search-fields.js';
import { foldCase } from './fold.js';
import type { DateComparison, SearchContext, SearchKey, SearchableMessage } from './types.js';

/**
 * Whether `msg` matches `key`. The compiled key is cached per key object (keys are treated as
 * immutable); for a whole mailbox, searchMessages is the simpler call.
 */
export function matchesSearch(key: SearchKey, msg: SearchableMessage, ctx: SearchContext): boolean {
  let compiled = compiledKeys.get(key);
  if (compiled === undefined) {
    compiled = compile(key);
    compiledKeys.set(key, compiled);
  }
  return compiled.test(msg, {}, ctx);
}

/**
 * The sequence numbers of the messages that match, ascending. The caller maps them to UIDs for
 * UID SEARCH (RFC 9051 §6.4.9) and picks MIN/MAX/COUNT for ESEARCH (RFC 4731).
 */
export function searchMessages(key: SearchKey, messages: Iterable<SearchableMessage>, ctx: SearchContext): number[] {
  const compiled = compile(key);
  const matches: number[] = [];
  let ascending = true;
  for (const msg of messages) {
    if (!compiled.test(msg, {}, ctx)) continue;
    if (matches.length > 0 && msg.seq < (matches[matches.length - 1] as number)) ascending = false;
    matches.push(msg.seq);
  }
  return ascending ? matches : matches.sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------

/** What a test needs, cheapest first; a compound test costs as much as its dearest child. */
const COST = { fields: 0, sentDay: 1, header: 2, body: 3, fullText: 4 } as const;

/** Per-message cache: what the expensive accessors returned, already case-folded. */
interface Memo {
  flags?: Set<string>;
  sentDay?: number | null;
  headers?: Map<string, string[]>;
  body?: string;
  fullText?: string;
}

interface Test {
  cost: number;
  test(msg: SearchableMessage, memo: Memo, ctx: SearchContext): boolean;
}

const compiledKeys = new WeakMap<SearchKey, Test>();

function compile(key: SearchKey): Test {
  switch (key.op) {
    case 'all':
      return { cost: COST.fields, test: () => true };
    case 'and': {
      // Nested ANDs (groups inside groups) are flattened so that sorting sees every child.
      const children = flattenAnd(key.keys).map(compile).sort(byCost);
      return {
        cost: maxCost(children),
        test: (msg, memo, ctx) => children.every((child) => child.test(msg, memo, ctx)),
      };
    }
    case 'or': {
      // OR is commutative, so the cheaper side goes first and the dearer may never run.
      const [first, second] = [compile(key.left), compile(key.right)].sort(byCost) as [Test, Test];
      return {
        cost: maxCost([first, second]),
        test: (msg, memo, ctx) => first.test(msg, memo, ctx) || second.test(msg, memo, ctx),
      };
    }
    case 'not': {
      const inner = compile(key.key);
      return { cost: inner.cost, test: (msg, memo, ctx) => !inner.test(msg, memo, ctx) };
    }
    case 'seq':
      return sequenceSetTest(key.set, (msg) => msg.seq, (ctx) => ctx.maxSeq);
    case 'uid':
      return sequenceSetTest(key.set, (msg) => msg.uid, (ctx) => ctx.maxUid);
    case 'flag': {
      // System flags are grammar literals, case-insensitive (RFC 3501 §9 note 3); keywords are
      // compared the same way, as other servers do, so "$junk" finds "$Junk".
      const wanted = key.flag.toLowerCase();
      const present = key.present;
      return { cost: COST.fields, test: (msg, memo) => flagSet(msg, memo).has(wanted) === present };
    }
    case 'recent': {
      const present = key.present;
      return { cost: COST.fields, test: (msg) => msg.recent === present };
    }
    case 'size': {
      // RFC 9051 §6.4.4: LARGER "larger than", SMALLER "smaller than" — both strict.
      const { bytes } = key;
      return key.cmp === 'larger'
        ? { cost: COST.fields, test: (msg) => msg.size > bytes }
        : { cost: COST.fields, test: (msg) => msg.size < bytes };
    }
    case 'modseq': {
      // RFC 7162 §3.1.5: messages whose mod-sequence is equal to or greater than the value.
      const { min } = key;
      return { cost: COST.fields, test: (msg) => msg.modseq >= min };
    }
    case 'internaldate': {
      // RFC 9051 §6.4.4: BEFORE/ON/SINCE compare the internal date "disregarding time and
      // timezone". We keep the internal date as an instant, so its calendar day is the UTC day.
      const target = dayNumber(key.date);
      const cmp = key.cmp;
      return { cost: COST.fields, test: (msg) => compareDay(utcDay(msg.internalDate), cmp, target) };
    }
    case 'sentdate': {
      // RFC 9051 §6.4.4: SENT* compare the Date: header "disregarding time and timezone", i.e. the
      // day as written in the sender's own zone (sentDay()). No usable Date field: no match.
      const target = dayNumber(key.date);
      const cmp = key.cmp;
      return {
        cost: COST.sentDay,
        test: (msg, memo) => {
          if (memo.sentDay === undefined) {
            const day = msg.sentDay();
            memo.sentDay = day === null ? null : dayNumber(day);
          }
          return compareDay(memo.sentDay, cmp, target);
        },
      };
    }
    case 'header': {
      // RFC 9051 §6.4.4 HEADER: "Messages that have a header field with the specified field-name
      // … and that contains the specified string in the text of the header (what comes after
      // the colon). If the string to search is zero-length, this matches all messages that have
      // a header field with the specified field-name regardless of the contents."
      const field = key.field;
      const needle = foldCase(key.value);
      const mustContain = key.value !== '';
      return {
        cost: COST.header,
        test: (msg, memo) => {
          const values = headerValues(msg, memo, field);
          return mustContain ? values.some((value) => value.includes(needle)) : values.length > 0;
        },
      };
    }
    case 'body': {
      const needle = foldCase(key.value);
      return {
        cost: COST.body,
        test: (msg, memo) => (memo.body ??= foldCase(msg.bodyText())).includes(needle),
      };
    }
    case 'text': {
      const needle = foldCase(key.value);
      return {
        cost: COST.fullText,
        test: (msg, memo) => (memo.fullText ??= foldCase(msg.fullText())).includes(needle),
      };
    }
  }
}

function flattenAnd(keys: SearchKey[]): SearchKey[] {
  return keys.flatMap((key) => (key.op === 'and' ? flattenAnd(key.keys) : [key]));
}

function byCost(a: Test, b: Test): number {
  return a.cost - b.cost; // Array.prototype.sort is stable: equal costs keep the client's order.
}

function maxCost(tests: Test[]): number {
  return tests.reduce<number>((max, t) => Math.max(max, t.cost), COST.fields);
}

function flagSet(msg: SearchableMessage, memo: Memo): Set<string> {
  return (memo.flags ??= new Set(msg.flags.map((flag) => flag.toLowerCase())));
}

function headerValues(msg: SearchableMessage, memo: Memo, field: string): string[] {
  const headers = (memo.headers ??= new Map());
  const name = field.toLowerCase();
  let values = headers.get(name);
  if (values === undefined) {
    values = msg.headerValues(field).map(foldCase);
    headers.set(name, values);
  }
  return values;
}

// --- sequence sets ---------------------------------------------------------------------------

/**
 * `*` is the largest number in use (RFC 9051 §9 seq-number), and a range means every number
 * between its ends in either order. So `n:*` with n above the largest UID is `max:n` and still
 * matches the last message, as RFC 3501 §6.4.8 requires for UIDs; the same reading serves
 * sequence numbers. The set is resolved once per distinct maximum and searched by bisection, so a
 * client's thousand-element UID set costs O(log n) per message.
 */
function sequenceSetTest(
  set: SequenceSet,
  numberOf: (msg: SearchableMessage) => number,
  maxOf: (ctx: SearchContext) => number,
): Test {
  let resolvedFor: number | undefined;
  let ranges: [number, number][] = [];
  return {
    cost: COST.fields,
    test: (msg, _memo, ctx) => {
      const max = maxOf(ctx);
      if (max !== resolvedFor) {
        ranges = resolveRanges(set, max);
        resolvedFor = max;
      }
      return inRanges(ranges, numberOf(msg));
    },
  };
}

/** Sorted, merged, inclusive [low, high] ranges with `*` replaced by `max`. */
export function resolveRanges(set: SequenceSet, max: number): [number, number][] {
  const ranges = set
    .map(({ from, to }): [number, number] => {
      const a = from === '*' ? max : from;
      const b = to === '*' ? max : to;
      return a <= b ? [a, b] : [b, a];
    })
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

function inRanges(ranges: [number, number][], n: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [low, high] = ranges[mid] as [number, number];
    if (n < low) hi = mid - 1;
    else if (n > high) lo = mid + 1;
    else return true;
  }
  return false;
}

// --- calendar days ---------------------------------------------------------------------------

function utcDay(ms: number): number | null {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return null;
  return date.getUTCFullYear() * 10_000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

/**
 * RFC 9051 §6.4.4: BEFORE "earlier than the specified date", ON "within the specified date",
 * SINCE "within or later than the specified date". An unknown day matches none of them.
 */
function compareDay(day: number | null, cmp: DateComparison, target: number | null): boolean {
  if (day === null || target === null) return false;
  if (cmp === 'before') return day < target;
  if (cmp === 'on') return day === target;
  return day >= target;
}
