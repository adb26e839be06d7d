// Argument grammar shared by the commands (RFC 3501 §9, RFC 9051 §9): each function takes a
// token the tokenizer produced and returns a typed value or throws ProtocolSyntaxError, which the
// session answers with `tag BAD <message>`. Each accepts `undefined` so that `astring(args[0])`
// reports a missing argument instead of crashing.
import { allChars, isAstringChar, isAtomChar } from './chars.js';
import { ProtocolSyntaxError } from './errors.js';
import type { SequenceSet, Token } from './types.js';
import { decodeModifiedUtf7 } from './utf7.js';

export { ProtocolSyntaxError } from './errors.js';

/** RFC 3501 §9: number and nz-number are unsigned 32-bit. */
export const MAX_NUMBER = 4294967295;
/** The hierarchy delimiter Wicket announces in LIST responses (RFC 3501 §6.3.8). */
export const HIERARCHY_DELIMITER = '/';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function fail(what: string, problem: string): never {
  throw new ProtocolSyntaxError(`${what}: ${problem}`);
}

function present(token: Token | undefined, what: string): Token {
  if (token === undefined) fail(what, 'missing');
  return token;
}

// ---------------------------------------------------------------------------------------------
// Sequence sets

/**
 * RFC 3501 §9: sequence-set = (seq-number / seq-range) ["," sequence-set];
 * seq-range = seq-number ":" seq-number; seq-number = nz-number / "*".
 * Ranges are kept as written: RFC 3501 §9 says `5:2` is the same as `2:5`.
 */
export function parseSequenceSet(text: string): SequenceSet {
  const what = 'sequence set';
  // RFC 5182 §2: "$" refers to the saved result of a previous SEARCH, which is not offered.
  if (text.includes('$')) fail(what, 'search result variable $ is not supported');
  if (text === '') fail(what, 'empty');
  return text.split(',').map((item) => {
    if (item === '') fail(what, `empty element in "${text}"`);
    const parts = item.split(':');
    if (parts.length > 2) fail(what, `"${item}" is not a number or a range`);
    const from = seqNumber(parts[0]!, text);
    const to = parts.length === 2 ? seqNumber(parts[1]!, text) : from;
    return { from, to };
  });
}

function seqNumber(text: string, whole: string): number | '*' {
  if (text === '*') return '*';
  // RFC 3501 §9: nz-number = digit-nz *DIGIT: "0" and leading zeros are not numbers here.
  if (!/^[1-9][0-9]*$/.test(text)) {
    fail('sequence set', text === '0' || /^0+$/.test(text) ? `0 is not a valid message number in "${whole}"` : `"${text}" is not a number in "${whole}"`);
  }
  const n = Number(text);
  if (n > MAX_NUMBER) fail('sequence set', `${text} exceeds ${MAX_NUMBER}`);
  return n;
}

/** A sequence set sent as an atom argument. */
export function sequenceSet(token: Token | undefined, what = 'sequence set'): SequenceSet {
  const t = present(token, what);
  if (t.kind !== 'atom') fail(what, 'expected a sequence set such as 1:*');
  return parseSequenceSet(t.value);
}

/** The inclusive interval a range covers in a mailbox whose largest number is `max`, or null. */
function resolve(range: SequenceSet[number], max: number): [number, number] | null {
  const a = range.from === '*' ? max : range.from;
  const b = range.to === '*' ? max : range.to;
  // RFC 3501 §6.4.8: `559:*` covers the last message even when 559 is larger than any UID.
  const lo = Math.max(Math.min(a, b), 1);
  const hi = Math.min(Math.max(a, b), max);
  return lo <= hi ? [lo, hi] : null;
}

/** Whether `n` (1..max) is in the set, `*` standing for `max`. */
export function sequenceSetContains(set: SequenceSet, n: number, max: number): boolean {
  if (!Number.isInteger(n) || n < 1 || n > max) return false;
  return set.some((range) => {
    const r = resolve(range, max);
    return r !== null && n >= r[0] && n <= r[1];
  });
}

/**
 * The members of the set within 1..max, sorted and unique. Meant for message sequence numbers,
 * whose max is the message count; for UIDs, test existing UIDs with sequenceSetContains instead,
 * since `1:*` over a sparse UID space would list every number up to the highest UID.
 */
export function expandSequenceSet(set: SequenceSet, max: number): number[] {
  const intervals = set.map((range) => resolve(range, max)).filter((r): r is [number, number] => r !== null);
  intervals.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  let next = 1;
  for (const [lo, hi] of intervals) {
    for (let n = Math.max(lo, next); n <= hi; n++) out.push(n);
    next = Math.max(next, hi + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Strings and numbers

/** RFC 3501 §9: astring = 1*ASTRING-CHAR / string; as bytes (passwords need not be UTF-8). */
export function astringBytes(token: Token | undefined, what = 'argument'): Buffer {
  const t = present(token, what);
  if (t.kind === 'string') return t.value;
  if (t.kind === 'list') fail(what, 'expected a string, not a list');
  return unquoted(t.value, what, isAstringChar);
}

/** The bytes of an atom used as a string, if every character is allowed unquoted. */
function unquoted(text: string, what: string, allowed: (b: number) => boolean): Buffer {
  if (!allChars(text, allowed)) {
    const bad = [...text].find((c) => !allowed(c.charCodeAt(0)))!;
    fail(what, `${bad === ' ' ? 'a space' : `"${bad}"`} is not allowed in an unquoted string; quote it`);
  }
  return Buffer.from(text, 'latin1');
}

/** An astring as text: UTF-8 (RFC 9051 §9 and RFC 6855 §3 allow UTF-8 in strings). */
export function astring(token: Token | undefined, what = 'argument'): string {
  return utf8(astringBytes(token, what), what);
}

/** RFC 3501 §9: nstring = string / nil. NIL (any case, RFC 3501 §9 note) gives null. */
export function nstring(token: Token | undefined, what = 'argument'): string | null {
  const t = present(token, what);
  if (t.kind === 'atom' && t.value.toUpperCase() === 'NIL') return null;
  if (t.kind !== 'string') fail(what, 'expected a quoted string, a literal or NIL');
  return utf8(t.value, what);
}

function utf8(bytes: Buffer, what: string): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    fail(what, 'not valid UTF-8');
  }
}

function digits(token: Token | undefined, what: string): string {
  const t = present(token, what);
  if (t.kind !== 'atom' || !/^[0-9]+$/.test(t.value)) fail(what, 'expected a number');
  return t.value;
}

/** RFC 3501 §9: number = 1*DIGIT, unsigned 32-bit. */
export function number(token: Token | undefined, what = 'number'): number {
  const text = digits(token, what);
  const n = Number(text);
  if (n > MAX_NUMBER) fail(what, `${text} exceeds ${MAX_NUMBER}`);
  return n;
}

/** RFC 3501 §9: nz-number = digit-nz *DIGIT. */
export function nzNumber(token: Token | undefined, what = 'number'): number {
  const n = number(token, what);
  if (n === 0 || digits(token, what).startsWith('0')) fail(what, 'expected a number greater than zero without leading zeros');
  return n;
}

const MAX_MODSEQ = 9223372036854775807n;

/**
 * RFC 7162 §7: mod-sequence-valzer = "0" / mod-sequence-value, at most 2^63-1. JS numbers are
 * exact to 2^53-1, so larger values become Number.MAX_SAFE_INTEGER: Wicket never assigns a
 * modseq that large, so CHANGEDSINCE, UNCHANGEDSINCE and MODSEQ compare the same either way.
 * Zero is accepted; callers needing mod-sequence-value (non-zero) check it.
 */
export function number64(token: Token | undefined, what = 'mod-sequence'): number {
  const text = digits(token, what);
  const significant = text.replace(/^0+(?=.)/, '');
  if (significant.length > 19 || BigInt(significant) > MAX_MODSEQ) fail(what, `${text} exceeds 2^63-1`);
  const n = Number(significant);
  return n > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : n;
}

// ---------------------------------------------------------------------------------------------
// Flags

/** RFC 3501 §2.3.2: the system flags a client may set. */
export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] as const;
const CANONICAL = new Map<string, string>(SYSTEM_FLAGS.map((f) => [f.toLowerCase(), f]));

/**
 * RFC 3501 §9: flag-list = "(" [flag *(SP flag)] ")", or the bare `flag *(SP flag)` STORE also
 * takes (pass those tokens as an array), or a single flag. System flags come back in canonical
 * case (RFC 3501 §9: alphabetic characters are case-insensitive); keywords as sent, and
 * duplicates (compared case-insensitively) are dropped.
 */
export function flagList(input: Token | readonly Token[] | undefined, what = 'flags'): string[] {
  if (input === undefined) fail(what, 'missing');
  const items = isTokenArray(input) ? input : input.kind === 'list' ? input.items : [input];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items) {
    const flag = oneFlag(item, what);
    const key = flag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(flag);
  }
  return out;
}

function isTokenArray(input: Token | readonly Token[]): input is readonly Token[] {
  return Array.isArray(input);
}

function oneFlag(token: Token, what: string): string {
  if (token.kind !== 'atom') fail(what, token.kind === 'list' ? 'a flag list cannot be nested' : 'a flag is an atom, not a string');
  const text = token.value;
  if (text.startsWith('\\')) {
    const canonical = CANONICAL.get(text.toLowerCase());
    if (canonical) return canonical;
    // RFC 3501 §2.3.2: \Recent is set by the server only; RFC 3501 §7.2.6: \* only in PERMANENTFLAGS.
    if (text.toLowerCase() === '\\recent') fail(what, '\\Recent cannot be set by a client');
    fail(what, `unknown system flag ${text}`);
  }
  // RFC 3501 §9: flag-keyword = atom.
  if (!allChars(text, isAtomChar)) fail(what, `"${text}" is not a valid keyword`);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_INDEX = new Map(MONTHS.map((m, i) => [m.toLowerCase(), i]));

function daysIn(month: number, year: number): number {
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month + 1, 0);
  return d.getUTCDate();
}

function textOf(input: Token | string | undefined, what: string, allowAtom: boolean): string {
  if (typeof input === 'string') return input;
  const t = present(input, what);
  if (t.kind === 'string') return t.value.toString('latin1');
  if (t.kind === 'atom' && allowAtom) return t.value;
  fail(what, allowAtom ? 'expected a date such as 1-Feb-1994' : 'expected a quoted date-time such as "17-Jul-1996 02:44:25 -0700"');
}

function dayMonthYear(day: string, month: string, year: string, what: string): [number, number, number] {
  const m = MONTH_INDEX.get(month.toLowerCase());
  if (m === undefined) fail(what, `unknown month "${month}"`);
  const y = Number(year);
  const d = Number(day.trim());
  if (d < 1 || d > daysIn(m, y)) fail(what, `${MONTHS[m]} ${y} has no day ${d}`);
  return [d, m, y];
}

/**
 * RFC 3501 §9: date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone
 * DQUOTE, with date-day-fixed = (SP DIGIT) / 2DIGIT. A one-digit day without the space is
 * accepted too. Takes the string token (or its text) and gives the instant.
 */
export function parseDateTime(input: Token | string | undefined, what = 'date-time'): Date {
  const text = textOf(input, what, false);
  const m = /^( ?\d|\d\d)-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(text);
  if (!m) fail(what, `"${text}" is not in the form "17-Jul-1996 02:44:25 -0700"`);
  const [d, mo, y] = dayMonthYear(m[1]!, m[2]!, m[3]!, what);
  const [hh, mi, ss, zh, zm] = [m[4], m[5], m[6], m[8], m[9]].map(Number) as [number, number, number, number, number];
  // RFC 3501 §9 time = 2DIGIT ":" 2DIGIT ":" 2DIGIT; a leap second (60) rolls into the next minute.
  if (hh > 23 || mi > 59 || ss > 60) fail(what, `${m[4]}:${m[5]}:${m[6]} is not a time of day`);
  if (zh > 23 || zm > 59) fail(what, `${m[7]}${m[8]}${m[9]} is not a time zone offset`);
  const offset = (m[7] === '-' ? -1 : 1) * (zh * 60 + zm) * 60_000;
  const utc = new Date(0);
  utc.setUTCFullYear(y, mo, d);
  utc.setUTCHours(hh, mi, ss, 0);
  const instant = new Date(utc.getTime() - offset);
  // The instant is kept (APPEND's INTERNALDATE) and sent back in UTC, where date-year is still
  // 4DIGIT: "31-Dec-9999 23:59:59 -0100" would be year 10000 there, and could never be FETCHed.
  const year = instant.getUTCFullYear();
  if (year < 0 || year > 9999) fail(what, `"${text}" falls outside the years 0000-9999 in UTC`);
  return instant;
}

/**
 * RFC 3501 §9: date = date-text / DQUOTE date-text DQUOTE; date-text = date-day "-" date-month
 * "-" date-year, date-day = 1*2DIGIT. Gives the calendar day as "YYYY-MM-DD" (SEARCH compares days).
 */
export function parseSearchDate(input: Token | string | undefined, what = 'date'): string {
  const text = textOf(input, what, true);
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  if (!m) fail(what, `"${text}" is not in the form 1-Feb-1994`);
  const [d, mo, y] = dayMonthYear(m[1]!, m[2]!, m[3]!, what);
  return `${String(y).padStart(4, '0')}-${pad(mo + 1)}-${pad(d)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The text of an INTERNALDATE (RFC 3501 §7.4.2), in UTC: "17-Jul-1996 02:44:25 +0000". The day is
 * zero-padded (2DIGIT, one of the two date-day-fixed forms). Returned without quotes: put it in an
 * ImapValue as a string and the encoder quotes it.
 */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (!Number.isFinite(ms) || year < 0 || year > 9999) throw new RangeError(`cannot format ${ms} as an IMAP date-time`);
  return (
    `${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${String(year).padStart(4, '0')} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  );
}

// ---------------------------------------------------------------------------------------------
// Mailbox names

/**
 * A mailbox name argument (RFC 3501 §9 mailbox = "INBOX" / astring), decoded: modified UTF-7
 * (RFC 3501 §5.1.3) unless the client enabled UTF8=ACCEPT, in which case it is UTF-8
 * (RFC 6855 §3). INBOX is case-insensitive (RFC 3501 §5.1), also as the first level of a path.
 *
 * With `pattern`, the argument is a LIST/LSUB reference or pattern (RFC 3501 §9 list-mailbox,
 * which admits "%" and "*" even unquoted): it is decoded the same way, may be empty and may hold
 * wildcards or a trailing delimiter; only control characters are refused.
 */
export function mailboxName(token: Token | undefined, utf8Accept: boolean, pattern = false): string {
  const what = pattern ? 'mailbox pattern' : 'mailbox name';
  const t = present(token, what);
  if (t.kind === 'atom' && !pattern && /[*%]/.test(t.value)) wildcard(what);
  // RFC 3501 §9: list-mailbox = 1*list-char / string; list-char = ATOM-CHAR / list-wildcards / resp-specials.
  const bytes = t.kind === 'atom' && pattern ? unquoted(t.value, what, isListChar) : astringBytes(t, what);
  // Raw control characters get their own message rather than a modified UTF-7 one.
  if (bytes.some((b) => b < 0x20 || b === 0x7f)) controls(what);
  let name: string;
  if (utf8Accept) name = utf8(bytes, what);
  else {
    if (bytes.some((b) => b > 0x7f)) {
      fail(what, '8-bit characters must be sent in modified UTF-7 (RFC 3501 §5.1.3) unless UTF8=ACCEPT is enabled');
    }
    try {
      name = decodeModifiedUtf7(bytes.toString('latin1'));
    } catch (err) {
      fail(what, (err as Error).message);
    }
  }
  if (pattern) {
    if (CONTROLS.test(name)) controls(what);
  } else checkMailboxName(name, what);
  const [first, ...rest] = name.split(HIERARCHY_DELIMITER);
  if (first!.toUpperCase() === 'INBOX') return ['INBOX', ...rest].join(HIERARCHY_DELIMITER);
  return name;
}

/** C0, DEL and C1 controls (RFC 5198 §2 keeps them out of net-unicode text). */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;

function isListChar(b: number): boolean {
  return isAstringChar(b) || b === 0x25 || b === 0x2a;
}

function wildcard(what: string): never {
  fail(what, 'cannot contain "*" or "%" (they are LIST wildcards, RFC 3501 §6.3.8)');
}

function controls(what: string): never {
  fail(what, 'cannot contain control characters');
}

function checkMailboxName(name: string, what: string): void {
  if (name === '') fail(what, 'empty');
  if (/[*%]/.test(name)) wildcard(what);
  if (CONTROLS.test(name)) controls(what);
  const d = HIERARCHY_DELIMITER;
  if (name.startsWith(d) || name.endsWith(d)) fail(what, `cannot start or end with the hierarchy delimiter "${d}"`);
  if (name.includes(d + d)) fail(what, `cannot contain an empty level ("${d}${d}")`);
  if (name.split(d).some((level) => level === '.' || level === '..')) fail(what, 'cannot have a "." or ".." level');
}
