// Readers for the arguments of search keys (RFC 9051 §9), each throwing a SearchSyntaxError
// that names the key, so that `tag BAD` tells the client exactly what was wrong.
import type { SequenceSet, Token } from '../protocol/types.js';
import { SearchSyntaxError, show } from './errors.js';
import { ProtocolSyntaxError, parseSearchDate as sharedSearchDate, parseSequenceSet as sharedSequenceSet } from '../protocol/grammar.js';

/** The shared grammar's parsers, as "value or null" (the messages here name the search key). */
function orNull<T>(parse: (text: string) => T): (text: string) => T | null {
  return (text) => {
    try {
      return parse(text);
    } catch (err) {
      if (err instanceof ProtocolSyntaxError) return null;
      throw err;
    }
  };
}
const parseSequenceSet = orNull(sharedSequenceSet);
const parseSearchDate = orNull((text: string) => sharedSearchDate(text));

/** Walks one level of tokens: the command's arguments or the items of a parenthesized group. */
export class Cursor {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}
  done(): boolean {
    return this.pos >= this.tokens.length;
  }
  /** The next token, or a syntax error naming what `keyName` was waiting for. */
  take(keyName: string, wanted: string): Token {
    const token = this.tokens[this.pos++];
    if (token === undefined) throw new SearchSyntaxError(`${keyName} needs ${wanted}`);
    return token;
  }
  peek(): Token | undefined {
    return this.tokens[this.pos];
  }
}

export function sequenceSet(text: string, what: string): SequenceSet {
  // RFC 5182 SEARCHRES ("$", the saved result) is not advertised.
  if (text.includes('$')) throw new SearchSyntaxError(`${what} ${show(text)}: "$" (SEARCHRES) is not supported`);
  const set = parseSequenceSet(text);
  if (set === null) throw new SearchSyntaxError(`invalid ${what} ${show(text)}`);
  return set;
}

/** RFC 9051 §9 astring = 1*ASTRING-CHAR / string — the bare atom text or the string's bytes. */
export function astring(cursor: Cursor, keyName: string): string {
  const token = cursor.take(keyName, 'a string');
  if (token.kind === 'list') throw new SearchSyntaxError(`${keyName} needs a string, got a parenthesized list`);
  return decodeAstring(token, keyName);
}

export function decodeAstring(token: Exclude<Token, { kind: 'list' }>, keyName: string): string {
  if (token.kind === 'atom') return token.value;
  try {
    // Strings are UTF-8 (RFC 6855 §3 with UTF8=ACCEPT, RFC 9051 §6.4.4 for CHARSET UTF-8); plain
    // US-ASCII is a subset. Bytes that are not UTF-8 cannot be searched for meaningfully: BAD.
    return UTF8.decode(token.value);
  } catch {
    throw new SearchSyntaxError(`${keyName} string is not valid UTF-8`);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** An argument that the grammar says is an atom (numbers, sets, keywords). */
export function atomArgument(cursor: Cursor, keyName: string, wanted: string): string {
  const token = cursor.take(keyName, wanted);
  if (token.kind !== 'atom') {
    const got = token.kind === 'list' ? 'parenthesized list' : 'string';
    throw new SearchSyntaxError(`${keyName} needs ${wanted}, got a ${got}`);
  }
  return token.value;
}

/** RFC 9051 §9: "KEYWORD" SP flag-keyword, flag-keyword = "$MDNSent" / … / atom. */
export function keyword(cursor: Cursor, keyName: string): string {
  const token = cursor.take(keyName, 'a keyword');
  // Quoted keywords are outside the grammar but harmless; a list is not.
  if (token.kind === 'list') throw new SearchSyntaxError(`${keyName} needs a keyword, got a parenthesized list`);
  const value = decodeAstring(token, keyName);
  if (value === '') throw new SearchSyntaxError(`${keyName} needs a keyword, got an empty string`);
  return value;
}

/** RFC 9051 §9: date = date-text / DQUOTE date-text DQUOTE. */
export function searchDate(cursor: Cursor, keyName: string): string {
  const token = cursor.take(keyName, 'a date like 1-Feb-2024');
  if (token.kind === 'list') {
    throw new SearchSyntaxError(`${keyName} needs a date like 1-Feb-2024, got a parenthesized list`);
  }
  const text = token.kind === 'atom' ? token.value : decodeLoosely(token.value);
  const date = parseSearchDate(text);
  if (date === null) throw new SearchSyntaxError(`${keyName} needs a date like 1-Feb-2024, got ${show(text)}`);
  return date;
}

/** RFC 9051 §9 number64 for LARGER/SMALLER; anything up to 2^53 is exact in a JS number. */
export function number(cursor: Cursor, keyName: string): number {
  const text = atomArgument(cursor, keyName, 'a number');
  if (!/^[0-9]{1,16}$/.test(text) || Number(text) > Number.MAX_SAFE_INTEGER) {
    throw new SearchSyntaxError(`${keyName} needs a number, got ${show(text)}`);
  }
  return Number(text);
}

/**
 * RFC 7162 §3.1.5: "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer
 *   entry-name     = entry-flag-name = DQUOTE "/flags/" attr-flag DQUOTE
 *   entry-type-req = entry-type-resp / "all";  entry-type-resp = "priv" / "shared"
 * We keep one mod-sequence per message, not one per flag, so the entry is checked for syntax and
 * then ignored: a server without per-metadata mod-sequences compares the message's own (§3.1.5).
 * The caller still owes the `(MODSEQ n)` suffix on a non-empty result (RFC 7162 §3.1.5).
 */
export function modseq(cursor: Cursor): number {
  if (cursor.peek()?.kind === 'string') {
    cursor.take('MODSEQ', 'an entry name');
    const type = atomArgument(cursor, 'MODSEQ', 'an entry type (priv, shared or all)');
    if (!['PRIV', 'SHARED', 'ALL'].includes(asciiUpper(type))) {
      throw new SearchSyntaxError(`MODSEQ entry type must be priv, shared or all, got ${show(type)}`);
    }
  }
  const text = atomArgument(cursor, 'MODSEQ', 'a mod-sequence value');
  // RFC 7162 §7: mod-sequence-valzer = "0" / mod-sequence-value, at most 2^63-1.
  if (!/^(0|[1-9][0-9]{0,18})$/.test(text) || BigInt(text) > 9_223_372_036_854_775_807n) {
    throw new SearchSyntaxError(`MODSEQ needs a mod-sequence value, got ${show(text)}`);
  }
  // Beyond 2^53 the number rounds, but no stored modseq gets near that, so the result is the same.
  return Number(text);
}

/** For error messages and dates, where invalid UTF-8 just shows up as replacement characters. */
export function decodeLoosely(bytes: Buffer): string {
  return bytes.toString('utf8');
}

/**
 * IMAP keywords are case-insensitive in ASCII only (RFC 9051 §9: "case-insensitive" literals).
 * String.toUpperCase would also turn "ſeen" into "SEEN" and "sınce" into "SINCE".
 */
export function asciiUpper(text: string): string {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}
