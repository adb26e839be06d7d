// SEARCH arguments → { charset, key, returnOptions }.
//
// Request syntax (RFC 3501 §6.4.4 and §9, RFC 9051 §6.4.4 and §9, RFC 4731 §3.1):
//   search             = "SEARCH" [search-return-opts] [SP "CHARSET" SP charset] 1*(SP search-key)
//   search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"
// The tokenizer has already split the arguments: atoms keep their text, quoted strings and
// literals are Buffers, parenthesized lists are nested. Everything here is pure.
import type { Token } from '../protocol/types.js';
import {
  asciiUpper,
  astring,
  atomArgument,
  Cursor,
  decodeAstring,
  decodeLoosely,
  keyword,
  modseq,
  number,
  searchDate,
  sequenceSet,
} from './arguments.js';
import { SearchCharsetError, SearchSyntaxError, show, SUPPORTED_CHARSETS } from './errors.js';
import type { DateComparison, SearchKey } from './types.js';

export { SearchCharsetError, SearchSyntaxError, SUPPORTED_CHARSETS } from './errors.js';

export interface ParsedSearch {
  /** "UTF-8" or "US-ASCII" as given (upper-cased), or null when the client named none. */
  charset: string | null;
  key: SearchKey;
  /** Present only with RETURN (…) (RFC 4731): upper-cased, de-duplicated, in the order given. */
  returnOptions?: string[];
}

export interface ParseSearchOptions {
  /** UTF8=ACCEPT is enabled in this session (RFC 6855 §3). */
  utf8: boolean;
}

/** RFC 4731 §3.1 (and RFC 9051 §6.4.4, which folds ESEARCH into IMAP4rev2). */
const RETURN_OPTIONS = new Set(['MIN', 'MAX', 'ALL', 'COUNT']);

/**
 * Nesting limit for groups, NOT and OR. Real clients nest a few levels; the limit keeps a hostile
 * `NOT NOT NOT …` or `((((…))))` from exhausting the stack here and in the evaluator.
 */
const MAX_DEPTH = 64;

export function parseSearch(args: Token[], opts: ParseSearchOptions): ParsedSearch {
  let i = 0;
  let returnOptions: string[] | undefined;
  // RFC 4731 §3.1: the RETURN options come before CHARSET.
  if (atomUpper(args[i]) === 'RETURN') {
    returnOptions = parseReturnOptions(args[i + 1]);
    i += 2;
  }

  let charset: string | null = null;
  if (atomUpper(args[i]) === 'CHARSET') {
    const name = args[i + 1];
    if (name === undefined || name.kind === 'list') throw new SearchSyntaxError('CHARSET needs a charset name');
    charset = checkCharset(decodeAstring(name, 'CHARSET'), opts);
    i += 2;
  }

  const cursor = new Cursor(args.slice(i));
  // RFC 9051 §9: 1*(SP search-key) — at least one key.
  if (cursor.done()) throw new SearchSyntaxError('SEARCH needs at least one search key');
  const keys: SearchKey[] = [];
  while (!cursor.done()) keys.push(parseKey(cursor, 0, 'SEARCH'));
  const key = keys.length === 1 ? (keys[0] as SearchKey) : { op: 'and' as const, keys };
  return returnOptions === undefined ? { charset, key } : { charset, key, returnOptions };
}

function parseReturnOptions(list: Token | undefined): string[] {
  if (list?.kind !== 'list') {
    throw new SearchSyntaxError('RETURN needs a parenthesized list of options, e.g. RETURN (MIN COUNT)');
  }
  const options: string[] = [];
  for (const item of list.items) {
    const option = atomUpper(item);
    // RFC 4466 §2.6.1: an unknown search-return-opt is a syntax error (PARTIAL, SAVE, … unsupported).
    if (option === null) throw new SearchSyntaxError('RETURN options are atoms: MIN, MAX, ALL or COUNT');
    if (!RETURN_OPTIONS.has(option)) {
      throw new SearchSyntaxError(`RETURN option ${show(option)} is not supported; use MIN, MAX, ALL or COUNT`);
    }
    if (!options.includes(option)) options.push(option);
  }
  // RFC 4731 §3.1: "If the list of result options is empty, that requests the server to return an
  // ESEARCH response instead of the SEARCH response. This is equivalent to "(ALL)"."
  return options.length === 0 ? ['ALL'] : options;
}

function checkCharset(name: string, opts: ParseSearchOptions): string {
  const upper = asciiUpper(name);
  if ((SUPPORTED_CHARSETS as readonly string[]).includes(upper)) return upper;
  // RFC 6855 §3 (errata 4029): once UTF8=ACCEPT is enabled a client MUST NOT name a charset and
  // the server SHOULD answer BAD "due to the conflicting charset labels". Like mox, we still
  // tolerate the harmless UTF-8 and US-ASCII labels (IMAP4rev2 clients send CHARSET UTF-8), and
  // answer BAD only for a charset that really conflicts.
  if (opts.utf8) throw new SearchSyntaxError(`CHARSET ${show(name)} conflicts with UTF8=ACCEPT; strings are UTF-8`);
  throw new SearchCharsetError(name);
}

// ---------------------------------------------------------------------------------------------
// search-key (RFC 3501 §6.4.4 / RFC 9051 §6.4.4, grammar in §9; MODSEQ from RFC 7162 §3.1.5)

/** A flag search: system flags are written with the backslash, as SearchableMessage.flags holds them. */
const FLAG_KEYS: Record<string, [flag: string, present: boolean]> = {
  ANSWERED: ['\\Answered', true],
  DELETED: ['\\Deleted', true],
  DRAFT: ['\\Draft', true],
  FLAGGED: ['\\Flagged', true],
  SEEN: ['\\Seen', true],
  UNANSWERED: ['\\Answered', false],
  UNDELETED: ['\\Deleted', false],
  UNDRAFT: ['\\Draft', false],
  UNFLAGGED: ['\\Flagged', false],
  UNSEEN: ['\\Seen', false],
};

/** FROM, TO, CC, BCC and SUBJECT are HEADER searches on that field (see types.ts). */
const HEADER_KEYS: Record<string, string> = { BCC: 'Bcc', CC: 'Cc', FROM: 'From', SUBJECT: 'Subject', TO: 'To' };

const DATE_KEYS: Record<string, [on: 'internaldate' | 'sentdate', cmp: DateComparison]> = {
  BEFORE: ['internaldate', 'before'],
  ON: ['internaldate', 'on'],
  SINCE: ['internaldate', 'since'],
  SENTBEFORE: ['sentdate', 'before'],
  SENTON: ['sentdate', 'on'],
  SENTSINCE: ['sentdate', 'since'],
};

/** One search-key; `after` names what wanted it (SEARCH, NOT, OR), for the error message. */
function parseKey(cursor: Cursor, depth: number, after: string): SearchKey {
  if (depth > MAX_DEPTH) throw new SearchSyntaxError(`search keys are nested more than ${MAX_DEPTH} deep`);
  const token = cursor.take(after, 'a search key');
  // RFC 9051 §9: search-key =/ "(" search-key *(SP search-key) ")" — a group is an AND.
  if (token.kind === 'list') return parseGroup(token.items, depth + 1);
  if (token.kind === 'string') {
    throw new SearchSyntaxError(`expected a search key, got the string ${show(decodeLoosely(token.value))}`);
  }

  const word = token.value;
  // RFC 9051 §9: search-key =/ sequence-set. Keys are letters, so a digit or "*" starts a set.
  if (/^[0-9*$]/.test(word)) return { op: 'seq', set: sequenceSet(word, 'message sequence set') };

  const name = asciiUpper(word);
  const flag = FLAG_KEYS[name];
  if (flag) return { op: 'flag', flag: flag[0], present: flag[1] };
  const field = HEADER_KEYS[name];
  if (field) return { op: 'header', field, value: astring(cursor, name) };
  const date = DATE_KEYS[name];
  if (date) return { op: date[0], cmp: date[1], date: searchDate(cursor, name) };

  switch (name) {
    case 'ALL':
      return { op: 'all' };
    case 'RECENT':
      return { op: 'recent', present: true };
    case 'OLD':
      // RFC 3501 §6.4.4: OLD — "Messages that do not have the \Recent flag set."
      return { op: 'recent', present: false };
    case 'NEW':
      // RFC 3501 §6.4.4: NEW — "functionally equivalent to "(RECENT UNSEEN)"".
      return { op: 'and', keys: [{ op: 'recent', present: true }, { op: 'flag', flag: '\\Seen', present: false }] };
    case 'KEYWORD':
    case 'UNKEYWORD':
      return { op: 'flag', flag: keyword(cursor, name), present: name === 'KEYWORD' };
    case 'BODY':
      return { op: 'body', value: astring(cursor, name) };
    case 'TEXT':
      return { op: 'text', value: astring(cursor, name) };
    case 'HEADER': {
      // RFC 9051 §9: "HEADER" SP header-fld-name SP astring; header-fld-name = astring.
      const field = astring(cursor, 'HEADER');
      // RFC 5322 §3.6.8: a field name is printable ASCII other than the colon.
      if (!/^[\x21-\x39\x3b-\x7e]+$/.test(field)) {
        throw new SearchSyntaxError(`HEADER needs a field name, got ${show(field)}`);
      }
      return { op: 'header', field, value: astring(cursor, 'HEADER') };
    }
    case 'LARGER':
    case 'SMALLER':
      // RFC 9051 §9: "LARGER" SP number64 / "SMALLER" SP number64.
      return { op: 'size', cmp: name === 'LARGER' ? 'larger' : 'smaller', bytes: number(cursor, name) };
    case 'NOT':
      return { op: 'not', key: parseKey(cursor, depth + 1, 'NOT') };
    case 'OR': {
      const left = parseKey(cursor, depth + 1, 'OR');
      return { op: 'or', left, right: parseKey(cursor, depth + 1, 'OR') };
    }
    case 'UID':
      return { op: 'uid', set: sequenceSet(atomArgument(cursor, 'UID', 'a UID set'), 'UID set') };
    case 'MODSEQ':
      return { op: 'modseq', min: modseq(cursor) };
    case 'CHARSET':
      throw new SearchSyntaxError('CHARSET must come before the search keys');
    case 'RETURN':
      throw new SearchSyntaxError('RETURN must come first, before CHARSET and the search keys');
    default:
      throw new SearchSyntaxError(`unknown search key ${show(word)}`);
  }
}

function parseGroup(items: Token[], depth: number): SearchKey {
  const cursor = new Cursor(items);
  if (cursor.done()) throw new SearchSyntaxError('empty parentheses: a group needs at least one search key');
  const keys: SearchKey[] = [];
  while (!cursor.done()) keys.push(parseKey(cursor, depth, 'SEARCH'));
  return keys.length === 1 ? (keys[0] as SearchKey) : { op: 'and', keys };
}

function atomUpper(token: Token | undefined): string | null {
  return token?.kind === 'atom' ? asciiUpper(token.value) : null;
}

