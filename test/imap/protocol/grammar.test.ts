import { describe, expect, it } from 'vitest';
import {
  HIERARCHY_DELIMITER,
  MAX_NUMBER,
  ProtocolSyntaxError,
  SYSTEM_FLAGS,
  astring,
  astringBytes,
  expandSequenceSet,
  flagList,
  formatDateTime,
  mailboxName,
  nstring,
  number,
  number64,
  nzNumber,
  parseDateTime,
  parseSearchDate,
  parseSequenceSet,
  sequenceSet,
  sequenceSetContains,
} from '../../../src/imap/protocol/grammar.js';
import type { Token } from '../../../src/imap/protocol/types.js';

const atom = (value: string): Token => ({ kind: 'atom', value });
const str = (value: string | Buffer, literal = false): Token => ({ kind: 'string', value: Buffer.from(value), literal });
const list = (...items: Token[]): Token => ({ kind: 'list', items });

function syntaxError(fn: () => unknown): ProtocolSyntaxError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolSyntaxError);
    return err as ProtocolSyntaxError;
  }
  throw new Error('expected a ProtocolSyntaxError');
}

describe('sequence sets (RFC 3501 §9 sequence-set)', () => {
  it.each<[string, ReturnType<typeof parseSequenceSet>]>([
    ['1', [{ from: 1, to: 1 }]],
    ['*', [{ from: '*', to: '*' }]],
    ['1:*', [{ from: 1, to: '*' }]],
    ['5:2', [{ from: 5, to: 2 }]],
    ['*:3', [{ from: '*', to: 3 }]],
    ['1,3:4,7:*', [{ from: 1, to: 1 }, { from: 3, to: 4 }, { from: 7, to: '*' }]],
    ['4294967295', [{ from: 4294967295, to: 4294967295 }]],
  ])('parses %s', (text, set) => {
    expect(parseSequenceSet(text)).toEqual(set);
  });

  it.each<[string, RegExp]>([
    ['', /empty/],
    ['0', /0 is not a valid message number/],
    ['1:0', /0 is not a valid message number/],
    ['01', /"01" is not a number/],
    ['1,,2', /empty element/],
    ['1,', /empty element/],
    ['1:2:3', /not a number or a range/],
    ['a', /"a" is not a number/],
    ['-1', /"-1" is not a number/],
    ['4294967296', /exceeds 4294967295/],
    ['$', /search result variable \$ is not supported/],
    ['1,$', /search result variable \$ is not supported/],
  ])('refuses %j', (text, message) => {
    expect(syntaxError(() => parseSequenceSet(text)).message).toMatch(message);
  });

  it('takes a token', () => {
    expect(sequenceSet(atom('2:4'))).toEqual([{ from: 2, to: 4 }]);
    expect(syntaxError(() => sequenceSet(str('1'))).message).toMatch(/expected a sequence set/);
    expect(syntaxError(() => sequenceSet(undefined)).message).toBe('sequence set: missing');
  });

  it.each<[string, number, number[]]>([
    ['1:*', 5, [1, 2, 3, 4, 5]],
    ['*', 5, [5]],
    ['5:2', 9, [2, 3, 4, 5]],
    ['2,1,2,1:3', 9, [1, 2, 3]],
    ['4:10', 6, [4, 5, 6]],
    ['7:9', 6, []],
    ['8:*', 6, [6]], // RFC 3501 §6.4.8: n:* includes the last one even when n is beyond it
    ['1:*', 0, []],
    ['*', 0, []],
    ['3,1:2,6:5', 10, [1, 2, 3, 5, 6]],
  ])('expands %s with max %d', (text, max, members) => {
    const set = parseSequenceSet(text);
    expect(expandSequenceSet(set, max)).toEqual(members);
    for (let n = 0; n <= max + 2; n++) expect(sequenceSetContains(set, n, max)).toBe(members.includes(n));
  });

  it('contains() handles UID ranges without expanding them', () => {
    const set = parseSequenceSet('100000:*');
    expect(sequenceSetContains(set, 4000000000, 4000000000)).toBe(true);
    expect(sequenceSetContains(set, 99999, 4000000000)).toBe(false);
    expect(sequenceSetContains(set, 1.5, 10)).toBe(false);
  });
});

describe('strings and numbers', () => {
  it('astring takes atoms and strings (RFC 3501 §9 astring)', () => {
    expect(astring(atom('alice'))).toBe('alice');
    expect(astring(atom('NIL'))).toBe('NIL');
    expect(astring(atom('a]b'))).toBe('a]b');
    expect(astring(str('se cret'))).toBe('se cret');
    expect(astring(str('ünï', true))).toBe('ünï');
    expect(astringBytes(str(Buffer.from([0xff, 0x00])))).toEqual(Buffer.from([0xff, 0x00]));
  });

  it.each<[Token | undefined, RegExp]>([
    [undefined, /^user: missing$/],
    [list(), /^user: expected a string, not a list$/],
    [atom('a*b'), /"\*" is not allowed in an unquoted string/],
    [atom('%'), /"%" is not allowed/],
    [atom('\\Seen'), /"\\" is not allowed/],
    [atom('BODY[a b]'), /a space is not allowed/],
    [str(Buffer.from([0xff])), /^user: not valid UTF-8$/],
  ])('astring refuses %j', (token, message) => {
    expect(syntaxError(() => astring(token, 'user')).message).toMatch(message);
  });

  it('nstring: NIL in any case is null (RFC 3501 §9 nil)', () => {
    expect(nstring(atom('NIL'))).toBeNull();
    expect(nstring(atom('nil'))).toBeNull();
    expect(nstring(str('NIL'))).toBe('NIL');
    expect(nstring(str('x', true))).toBe('x');
    expect(syntaxError(() => nstring(atom('foo'))).message).toMatch(/expected a quoted string, a literal or NIL/);
    expect(syntaxError(() => nstring(undefined)).message).toMatch(/missing/);
  });

  it.each<[string, number]>([
    ['0', 0],
    ['007', 7],
    ['4294967295', MAX_NUMBER],
  ])('number %s', (text, value) => {
    expect(number(atom(text))).toBe(value);
  });

  it.each<[Token | undefined, RegExp]>([
    [atom('4294967296'), /exceeds 4294967295/],
    [atom('-1'), /expected a number/],
    [atom('1.5'), /expected a number/],
    [atom(''), /expected a number/],
    [str('5'), /expected a number/],
    [undefined, /missing/],
  ])('number refuses %j', (token, message) => {
    expect(syntaxError(() => number(token)).message).toMatch(message);
  });

  it('nzNumber refuses zero and leading zeros (RFC 3501 §9 nz-number)', () => {
    expect(nzNumber(atom('12'))).toBe(12);
    expect(syntaxError(() => nzNumber(atom('0'))).message).toMatch(/greater than zero/);
    expect(syntaxError(() => nzNumber(atom('012'))).message).toMatch(/leading zeros/);
  });

  it('number64 reads mod-sequences up to 2^63-1 (RFC 7162 §7), exact to 2^53-1', () => {
    expect(number64(atom('0'))).toBe(0);
    expect(number64(atom('9007199254740991'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(number64(atom('9007199254740992'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(number64(atom('9223372036854775807'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(number64(atom('000123'))).toBe(123);
    expect(syntaxError(() => number64(atom('9223372036854775808'))).message).toMatch(/exceeds 2\^63-1/);
    expect(syntaxError(() => number64(atom('123456789012345678901234'))).message).toMatch(/exceeds 2\^63-1/);
    expect(syntaxError(() => number64(atom('x'))).message).toMatch(/expected a number/);
  });
});

describe('flags (RFC 3501 §2.3.2, §9 flag-list)', () => {
  it('canonicalises system flags and keeps keywords', () => {
    expect(flagList(list(atom('\\seen'), atom('\\ANSWERED'), atom('\\Flagged'), atom('\\deleted'), atom('\\draft'), atom('$Forwarded')))).toEqual([
      '\\Seen',
      '\\Answered',
      '\\Flagged',
      '\\Deleted',
      '\\Draft',
      '$Forwarded',
    ]);
    expect(SYSTEM_FLAGS).toHaveLength(5);
  });

  it('takes a single flag, a bare sequence (STORE) or an empty list', () => {
    expect(flagList(atom('\\Seen'))).toEqual(['\\Seen']);
    expect(flagList([atom('\\Seen'), atom('Junk')])).toEqual(['\\Seen', 'Junk']);
    expect(flagList(list())).toEqual([]);
  });

  it('drops duplicates, comparing case-insensitively', () => {
    expect(flagList(list(atom('\\Seen'), atom('\\SEEN'), atom('Work'), atom('work')))).toEqual(['\\Seen', 'Work']);
  });

  it.each<[Token | Token[] | undefined, RegExp]>([
    [list(atom('\\Recent')), /\\Recent cannot be set by a client/],
    [list(atom('\\recent')), /\\Recent cannot be set/],
    [list(atom('\\*')), /unknown system flag \\\*/],
    [list(atom('\\Important')), /unknown system flag \\Important/],
    [list(str('Seen')), /a flag is an atom, not a string/],
    [list(list()), /cannot be nested/],
    [list(atom('a]b')), /"a]b" is not a valid keyword/],
    [list(atom('a*')), /not a valid keyword/],
    [undefined, /missing/],
  ])('refuses %j', (input, message) => {
    expect(syntaxError(() => flagList(input)).message).toMatch(message);
  });
});

describe('dates', () => {
  it.each<[string, string]>([
    ['17-Jul-1996 02:44:25 -0700', '1996-07-17T09:44:25.000Z'],
    [' 7-Jul-1996 02:44:25 +0000', '1996-07-07T02:44:25.000Z'],
    ['07-jul-1996 02:44:25 +0130', '1996-07-07T01:14:25.000Z'],
    ['7-JUL-1996 23:59:59 -2359', '1996-07-08T23:58:59.000Z'],
    ['29-Feb-2024 00:00:00 +0000', '2024-02-29T00:00:00.000Z'],
    ['31-Dec-1998 23:59:60 +0000', '1999-01-01T00:00:00.000Z'],
    ['01-Jan-0050 00:00:00 +0000', '0050-01-01T00:00:00.000Z'],
    ['31-Dec-9999 22:00:00 -0100', '9999-12-31T23:00:00.000Z'],
  ])('parseDateTime %j (RFC 3501 §9 date-time)', (text, iso) => {
    expect(parseDateTime(text).toISOString()).toBe(iso);
    expect(parseDateTime(str(text)).toISOString()).toBe(iso);
  });

  it.each<[Token | string | undefined, RegExp]>([
    ['17-Jul-1996 02:44:25', /not in the form/],
    ['17-Jul-96 02:44:25 +0000', /not in the form/],
    ['17-Jly-1996 02:44:25 +0000', /unknown month "Jly"/],
    ['29-Feb-2023 00:00:00 +0000', /Feb 2023 has no day 29/],
    ['00-Jan-2023 00:00:00 +0000', /has no day 0/],
    ['17-Jul-1996 24:00:00 +0000', /not a time of day/],
    ['17-Jul-1996 02:60:00 +0000', /not a time of day/],
    ['17-Jul-1996 02:44:25 +0060', /not a time zone offset/],
    // Year 10000 and year -1 in UTC: an INTERNALDATE that could never be sent back (found by fuzzing).
    ['31-Dec-9999 23:59:59 -2359', /outside the years 0000-9999 in UTC/],
    ['01-Jan-0000 00:00:00 +0001', /outside the years 0000-9999 in UTC/],
    [atom('17-Jul-1996'), /expected a quoted date-time/],
    [undefined, /missing/],
  ])('parseDateTime refuses %j', (input, message) => {
    expect(syntaxError(() => parseDateTime(input)).message).toMatch(message);
  });

  it.each<[Token | string, string]>([
    [atom('1-Feb-1994'), '1994-02-01'],
    [atom('01-feb-1994'), '1994-02-01'],
    [str('28-Dec-2024'), '2024-12-28'],
    ['9-Sep-0999', '0999-09-09'],
    ['29-Feb-2000', '2000-02-29'],
    ['29-Feb-0000', '0000-02-29'], // year 0 is a leap year, unlike 1900
  ])('parseSearchDate %j (RFC 3501 §9 date)', (input, day) => {
    expect(parseSearchDate(input)).toBe(day);
  });

  it.each<[Token | string, RegExp]>([
    [atom('1994-02-01'), /not in the form 1-Feb-1994/],
    [atom('123-Feb-1994'), /not in the form/],
    [atom('31-Apr-2020'), /Apr 2020 has no day 31/],
    [atom('29-Feb-1900'), /Feb 1900 has no day 29/],
    [atom('1-Foo-2020'), /unknown month/],
    [list(), /expected a date/],
  ])('parseSearchDate refuses %j', (input, message) => {
    expect(syntaxError(() => parseSearchDate(input)).message).toMatch(message);
  });

  it('formatDateTime gives INTERNALDATE text in UTC (RFC 3501 §7.4.2)', () => {
    expect(formatDateTime(Date.UTC(1996, 6, 17, 2, 44, 25))).toBe('17-Jul-1996 02:44:25 +0000');
    expect(formatDateTime(Date.UTC(2024, 0, 5, 23, 0, 9, 999))).toBe('05-Jan-2024 23:00:09 +0000');
    expect(parseDateTime(formatDateTime(1_700_000_000_000)).getTime()).toBe(1_700_000_000_000);
    expect(() => formatDateTime(Number.NaN)).toThrow(RangeError);
    expect(() => formatDateTime(Date.UTC(10000, 0, 1))).toThrow(RangeError);
  });
});

describe('mailbox names', () => {
  it.each<[Token, boolean, string]>([
    [atom('Sent'), false, 'Sent'],
    [str('Sent Items'), false, 'Sent Items'],
    [atom('inbox'), false, 'INBOX'], // RFC 3501 §5.1: INBOX is case-insensitive
    [str('InBoX'), false, 'INBOX'],
    [atom('inbox/sub'), false, 'INBOX/sub'],
    [atom('inboxes'), false, 'inboxes'],
    [atom('Work/inbox'), false, 'Work/inbox'],
    [atom('Entw&APw-rfe'), false, 'Entwürfe'], // RFC 3501 §5.1.3
    [atom('&ZeVnLIqe-'), false, '日本語'],
    [atom('Tom&-Jerry'), false, 'Tom&Jerry'],
    [atom('[Gmail]/Sent'), false, '[Gmail]/Sent'],
    [str('Entwürfe'), true, 'Entwürfe'], // RFC 6855 §3: UTF-8 as is
    [str('Tom&-Jerry'), true, 'Tom&-Jerry'],
    [atom('NIL'), false, 'NIL'],
  ])('%j (utf8 %s) is %j', (token, utf8, name) => {
    expect(mailboxName(token, utf8)).toBe(name);
  });

  it.each<[Token | undefined, boolean, RegExp]>([
    [undefined, false, /^mailbox name: missing$/],
    [str(''), false, /^mailbox name: empty$/],
    [atom('a*'), false, /cannot contain "\*" or "%"/],
    [str('a%b'), false, /cannot contain "\*" or "%"/],
    [str('a\tb'), false, /cannot contain control characters/],
    [atom('&AAk-'), false, /cannot contain control characters/], // an encoded TAB
    [str('a\u0085b'), true, /cannot contain control characters/],
    [atom('/Sent'), false, /cannot start or end with the hierarchy delimiter/],
    [atom('Sent/'), false, /cannot start or end with the hierarchy delimiter/],
    [atom('a//b'), false, /empty level/],
    [atom('a/../b'), false, /"\." or "\.\." level/],
    [atom('.'), false, /"\." or "\.\." level/],
    [str('Entwürfe'), false, /8-bit characters must be sent in modified UTF-7/],
    [atom('&Jjo'), false, /not valid modified UTF-7/],
    [atom('&AGE-'), false, /not valid modified UTF-7: printable character "a"/],
    [str(Buffer.from([0xc3])), true, /not valid UTF-8/],
    [list(), false, /expected a string/],
  ])('refuses %j (utf8 %s)', (token, utf8, message) => {
    expect(syntaxError(() => mailboxName(token, utf8)).message).toMatch(message);
  });

  it('decodes LIST references and patterns with wildcards (RFC 3501 §6.3.8)', () => {
    expect(mailboxName(atom('*'), false, true)).toBe('*');
    expect(mailboxName(atom('inbox/%'), false, true)).toBe('INBOX/%');
    expect(mailboxName(str('Entw&APw-rfe/*'), false, true)).toBe('Entwürfe/*');
    expect(mailboxName(str(''), false, true)).toBe('');
    expect(mailboxName(atom('Work/'), false, true)).toBe('Work/');
    expect(syntaxError(() => mailboxName(str('a\nb'), false, true)).message).toMatch(/^mailbox pattern: cannot contain control characters/);
    expect(syntaxError(() => mailboxName(atom('a\\*'), false, true)).message).toMatch(/"\\" is not allowed/);
  });

  it('uses "/" as the hierarchy delimiter', () => {
    expect(HIERARCHY_DELIMITER).toBe('/');
  });
});
