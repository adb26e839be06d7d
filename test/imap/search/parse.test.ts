import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Token } from '../../../src/imap/protocol/types.js';
import { matchesSearch } from '../../../src/imap/search/evaluate.js';
import { parseSearch, SearchCharsetError, SearchSyntaxError } from '../../../src/imap/search/parse.js';
import type { SearchKey, SearchableMessage } from '../../../src/imap/search/types.js';
import { tokens } from './tokens.js';

const parse = (text: string, utf8 = false) => parseSearch(tokens(text), { utf8 });
const keyOf = (text: string) => parse(text).key;

const flag = (name: string, present = true): SearchKey => ({ op: 'flag', flag: name, present });
const header = (field: string, value: string): SearchKey => ({ op: 'header', field, value });

describe('parseSearch: every search key (RFC 3501 / RFC 9051 §6.4.4)', () => {
  it.each<[string, SearchKey]>([
    ['ALL', { op: 'all' }],
    ['ANSWERED', flag('\\Answered')],
    ['DELETED', flag('\\Deleted')],
    ['DRAFT', flag('\\Draft')],
    ['FLAGGED', flag('\\Flagged')],
    ['SEEN', flag('\\Seen')],
    ['UNANSWERED', flag('\\Answered', false)],
    ['UNDELETED', flag('\\Deleted', false)],
    ['UNDRAFT', flag('\\Draft', false)],
    ['UNFLAGGED', flag('\\Flagged', false)],
    ['UNSEEN', flag('\\Seen', false)],
    ['KEYWORD $Forwarded', flag('$Forwarded')],
    ['UNKEYWORD Junk', flag('Junk', false)],
    ['RECENT', { op: 'recent', present: true }],
    ['OLD', { op: 'recent', present: false }],
    ['NEW', { op: 'and', keys: [{ op: 'recent', present: true }, flag('\\Seen', false)] }],
    ['BCC dave@example.com', header('Bcc', 'dave@example.com')],
    ['CC carol', header('Cc', 'carol')],
    ['FROM "Alice Example"', header('From', 'Alice Example')],
    ['TO bob@example.org', header('To', 'bob@example.org')],
    ['SUBJECT "quarterly report"', header('Subject', 'quarterly report')],
    ['HEADER X-Priority 1', header('X-Priority', '1')],
    ['HEADER "List-Id" ""', header('List-Id', '')],
    ['BODY attached', { op: 'body', value: 'attached' }],
    ['TEXT "find the"', { op: 'text', value: 'find the' }],
    ['BEFORE 1-Feb-2024', { op: 'internaldate', cmp: 'before', date: '2024-02-01' }],
    ['ON 01-feb-2024', { op: 'internaldate', cmp: 'on', date: '2024-02-01' }],
    ['SINCE "29-Feb-2024"', { op: 'internaldate', cmp: 'since', date: '2024-02-29' }],
    ['SENTBEFORE 31-Dec-1999', { op: 'sentdate', cmp: 'before', date: '1999-12-31' }],
    ['SENTON 9-JUN-2025', { op: 'sentdate', cmp: 'on', date: '2025-06-09' }],
    ['SENTSINCE 29-Feb-2000', { op: 'sentdate', cmp: 'since', date: '2000-02-29' }],
    ['LARGER 1000', { op: 'size', cmp: 'larger', bytes: 1000 }],
    ['SMALLER 0', { op: 'size', cmp: 'smaller', bytes: 0 }],
    ['LARGER 9007199254740991', { op: 'size', cmp: 'larger', bytes: Number.MAX_SAFE_INTEGER }],
    ['UID 1:*,5', { op: 'uid', set: [{ from: 1, to: '*' }, { from: 5, to: 5 }] }],
    ['UID 4294967295', { op: 'uid', set: [{ from: 4294967295, to: 4294967295 }] }],
    ['1:3,*', { op: 'seq', set: [{ from: 1, to: 3 }, { from: '*', to: '*' }] }],
    ['5:2', { op: 'seq', set: [{ from: 5, to: 2 }] }],
    ['MODSEQ 620162338', { op: 'modseq', min: 620162338 }],
    ['MODSEQ 0', { op: 'modseq', min: 0 }],
    ['MODSEQ "/flags/\\\\draft" all 620162338', { op: 'modseq', min: 620162338 }],
    ['MODSEQ "/flags/$Junk" PRIV 7', { op: 'modseq', min: 7 }],
    ['NOT SEEN', { op: 'not', key: flag('\\Seen') }],
    ['OR SEEN FLAGGED', { op: 'or', left: flag('\\Seen'), right: flag('\\Flagged') }],
  ])('%s', (text, key) => {
    expect(keyOf(text)).toEqual(key);
  });

  it('reads key names case-insensitively', () => {
    for (const text of ['seen', 'Seen', 'sEeN']) expect(keyOf(text)).toEqual(flag('\\Seen'));
    expect(keyOf('from alice')).toEqual(header('From', 'alice'));
    expect(keyOf('uid 1:*')).toEqual({ op: 'uid', set: [{ from: 1, to: '*' }] });
    expect(keyOf('not new')).toEqual({ op: 'not', key: keyOf('NEW') });
  });

  it('folds key names in ASCII only: look-alikes are not keys', () => {
    expect(() => keyOf('ſeen')).toThrow(/unknown search key/);
    expect(() => keyOf('sınce 1-Feb-2024')).toThrow(/unknown search key/);
    expect(() => parse('CHARSET utf-8 SEEN')).not.toThrow();
  });

  it('keeps argument text verbatim (case, brackets, keywords)', () => {
    expect(keyOf('SUBJECT ReQuEsT')).toEqual(header('Subject', 'ReQuEsT'));
    expect(keyOf('KEYWORD \\Seen')).toEqual(flag('\\Seen'));
    expect(keyOf('SUBJECT [ticket-42]')).toEqual(header('Subject', '[ticket-42]'));
    expect(keyOf('FROM NIL')).toEqual(header('From', 'NIL'));
  });

  it('decodes quoted strings and literals as UTF-8', () => {
    expect(keyOf('FROM "Jürgen"')).toEqual(header('From', 'Jürgen'));
    expect(keyOf('SUBJECT {6}\r\nhällo')).toEqual(header('Subject', 'hällo'));
    expect(keyOf('BODY {7+}\r\na "b" c')).toEqual({ op: 'body', value: 'a "b" c' });
    expect(keyOf('HEADER {7}\r\nSubject {0}\r\n')).toEqual(header('Subject', ''));
    expect(keyOf('TEXT "say \\"hi\\""')).toEqual({ op: 'text', value: 'say "hi"' });
    expect(keyOf('SUBJECT "日本語"')).toEqual(header('Subject', '日本語'));
  });
});

describe('parseSearch: combining keys', () => {
  it('ANDs several keys at the top level', () => {
    expect(keyOf('SEEN FROM alice LARGER 10')).toEqual({
      op: 'and',
      keys: [flag('\\Seen'), header('From', 'alice'), { op: 'size', cmp: 'larger', bytes: 10 }],
    });
  });

  it('reads parenthesized groups as AND, and a one-key group as that key', () => {
    expect(keyOf('(SEEN)')).toEqual(flag('\\Seen'));
    expect(keyOf('(SEEN FLAGGED)')).toEqual({ op: 'and', keys: [flag('\\Seen'), flag('\\Flagged')] });
    expect(keyOf('((SEEN FLAGGED) DELETED)')).toEqual({
      op: 'and',
      keys: [{ op: 'and', keys: [flag('\\Seen'), flag('\\Flagged')] }, flag('\\Deleted')],
    });
  });

  it('OR (FROM a SEEN) NOT (TO b)', () => {
    expect(keyOf('OR (FROM a SEEN) NOT (TO b)')).toEqual({
      op: 'or',
      left: { op: 'and', keys: [header('From', 'a'), flag('\\Seen')] },
      right: { op: 'not', key: header('To', 'b') },
    });
  });

  it('NOT NOT SEEN', () => {
    expect(keyOf('NOT NOT SEEN')).toEqual({ op: 'not', key: { op: 'not', key: flag('\\Seen') } });
  });

  it('OR OR a b c and OR inside NOT', () => {
    expect(keyOf('OR OR SEEN FLAGGED DELETED')).toEqual({
      op: 'or',
      left: { op: 'or', left: flag('\\Seen'), right: flag('\\Flagged') },
      right: flag('\\Deleted'),
    });
    expect(keyOf('NOT OR 1:5 UID 7 SEEN')).toEqual({
      op: 'and',
      keys: [
        { op: 'not', key: { op: 'or', left: { op: 'seq', set: [{ from: 1, to: 5 }] }, right: { op: 'uid', set: [{ from: 7, to: 7 }] } } },
        flag('\\Seen'),
      ],
    });
  });

  it('a Thunderbird-style quick search', () => {
    expect(keyOf('UNDELETED OR OR FROM "x" SUBJECT "x" TO "x"')).toEqual({
      op: 'and',
      keys: [
        flag('\\Deleted', false),
        { op: 'or', left: { op: 'or', left: header('From', 'x'), right: header('Subject', 'x') }, right: header('To', 'x') },
      ],
    });
  });
});

describe('parseSearch: CHARSET (RFC 9051 §6.4.4, RFC 6855 §3)', () => {
  it('has no charset unless named', () => {
    expect(parse('ALL')).toEqual({ charset: null, key: { op: 'all' } });
  });

  it.each([
    ['CHARSET UTF-8 SEEN', 'UTF-8'],
    ['CHARSET utf-8 SEEN', 'UTF-8'],
    ['CHARSET "UTF-8" SEEN', 'UTF-8'],
    ['charset US-ASCII SEEN', 'US-ASCII'],
    ['CHARSET us-ascii SEEN', 'US-ASCII'],
  ])('%s', (text, charset) => {
    expect(parse(text)).toEqual({ charset, key: flag('\\Seen') });
  });

  it.each(['CHARSET ISO-8859-1 SEEN', 'CHARSET "KOI8-R" FROM x', 'CHARSET UTF-16 ALL'])(
    'refuses %s with BADCHARSET and the supported list',
    (text) => {
      const error = catchError(() => parse(text));
      expect(error).toBeInstanceOf(SearchCharsetError);
      expect((error as SearchCharsetError).supported).toEqual(['UTF-8', 'US-ASCII']);
      expect((error as Error).message).toMatch(/is not supported; use one of UTF-8 US-ASCII/);
    },
  );

  it('with UTF8=ACCEPT tolerates UTF-8/US-ASCII and answers BAD for a conflicting charset', () => {
    expect(parse('CHARSET UTF-8 SEEN', true).charset).toBe('UTF-8');
    expect(parse('CHARSET US-ASCII SEEN', true).charset).toBe('US-ASCII');
    expect(() => parse('CHARSET ISO-8859-1 SEEN', true)).toThrow(SearchSyntaxError);
    expect(() => parse('CHARSET ISO-8859-1 SEEN', true)).toThrow(/conflicts with UTF8=ACCEPT/);
  });

  it.each([
    ['CHARSET', /CHARSET needs a charset name/],
    ['CHARSET UTF-8', /SEARCH needs at least one search key/],
    ['CHARSET (UTF-8) ALL', /CHARSET needs a charset name/],
    ['SEEN CHARSET UTF-8', /CHARSET must come before the search keys/],
  ])('%s is a syntax error', (text, message) => {
    expect(() => parse(text)).toThrow(SearchSyntaxError);
    expect(() => parse(text)).toThrow(message);
  });
});

describe('parseSearch: RETURN (RFC 4731 ESEARCH)', () => {
  it.each<[string, string[]]>([
    ['RETURN (MIN) ALL', ['MIN']],
    ['RETURN (MIN MAX COUNT ALL) SEEN', ['MIN', 'MAX', 'COUNT', 'ALL']],
    ['return (count min Count) SEEN', ['COUNT', 'MIN']],
    // RFC 4731 §3.1: an empty list is the same as (ALL).
    ['RETURN () SEEN', ['ALL']],
  ])('%s', (text, options) => {
    expect(parse(text).returnOptions).toEqual(options);
  });

  it('comes before CHARSET', () => {
    expect(parse('RETURN (MIN MAX) CHARSET UTF-8 UNSEEN')).toEqual({
      charset: 'UTF-8',
      key: flag('\\Seen', false),
      returnOptions: ['MIN', 'MAX'],
    });
  });

  it('is absent from the result without RETURN', () => {
    expect('returnOptions' in parse('ALL')).toBe(false);
  });

  it.each([
    ['RETURN (SAVE) ALL', /RETURN option "SAVE" is not supported/],
    ['RETURN (PARTIAL 1:10) ALL', /RETURN option "PARTIAL" is not supported/],
    ['RETURN ("MIN") ALL', /RETURN options are atoms: MIN, MAX, ALL or COUNT/],
    ['RETURN MIN ALL', /RETURN needs a parenthesized list/],
    ['RETURN', /RETURN needs a parenthesized list/],
    ['RETURN (MIN)', /SEARCH needs at least one search key/],
    ['CHARSET UTF-8 RETURN (MIN) ALL', /RETURN must come first/],
    ['SEEN RETURN (MIN)', /RETURN must come first/],
  ])('%s is a syntax error', (text, message) => {
    expect(() => parse(text)).toThrow(SearchSyntaxError);
    expect(() => parse(text)).toThrow(message);
  });
});

describe('parseSearch: syntax errors name the bad key', () => {
  it.each([
    ['', /SEARCH needs at least one search key/],
    ['FOO', /unknown search key "FOO"/],
    ['SEEN BOGUS', /unknown search key "BOGUS"/],
    ['OLDER 3600', /unknown search key "OLDER"/],
    ['"SEEN"', /expected a search key, got the string "SEEN"/],
    ['()', /empty parentheses/],
    ['(SEEN) ()', /empty parentheses/],
    ['NOT', /NOT needs a search key/],
    ['OR SEEN', /OR needs a search key/],
    ['OR', /OR needs a search key/],
    ['FROM', /FROM needs a string/],
    ['SUBJECT (a b)', /SUBJECT needs a string, got a parenthesized list/],
    ['BODY', /BODY needs a string/],
    ['HEADER', /HEADER needs a string/],
    ['HEADER Subject', /HEADER needs a string/],
    ['HEADER "" x', /HEADER needs a field name, got ""/],
    ['HEADER "Sub ject" x', /HEADER needs a field name, got "Sub ject"/],
    ['HEADER "Sübject" x', /HEADER needs a field name, got "S\?bject"/],
    ['HEADER Subject: x', /HEADER needs a field name, got "Subject:"/],
    ['KEYWORD', /KEYWORD needs a keyword/],
    ['UNKEYWORD (a)', /UNKEYWORD needs a keyword, got a parenthesized list/],
    ['KEYWORD ""', /KEYWORD needs a keyword, got an empty string/],
    ['BEFORE', /BEFORE needs a date like 1-Feb-2024/],
    ['BEFORE 2024-02-01', /BEFORE needs a date like 1-Feb-2024, got "2024-02-01"/],
    ['ON 31-Apr-2024', /ON needs a date like 1-Feb-2024, got "31-Apr-2024"/],
    ['SINCE 29-Feb-2023', /SINCE needs a date/],
    ['SENTON 0-Jan-2024', /SENTON needs a date/],
    ['SENTSINCE 1-Jan-24', /SENTSINCE needs a date/],
    ['SENTBEFORE 100-Jan-2024', /SENTBEFORE needs a date/],
    ['SENTBEFORE 1-Janu-2024', /SENTBEFORE needs a date/],
    ['ON (1-Feb-2024)', /ON needs a date like 1-Feb-2024, got a parenthesized list/],
    ['LARGER', /LARGER needs a number/],
    ['LARGER abc', /LARGER needs a number, got "abc"/],
    ['SMALLER -1', /SMALLER needs a number, got "-1"/],
    ['LARGER 99999999999999999', /LARGER needs a number/],
    ['LARGER "10"', /LARGER needs a number, got a string/],
    ['UID', /UID needs a UID set/],
    ['UID 0:5', /invalid UID set "0:5"/],
    ['UID 1:', /invalid UID set "1:"/],
    ['UID 4294967296', /invalid UID set "4294967296"/],
    ['UID "1:5"', /UID needs a UID set, got a string/],
    ['UID $', /"\$" \(SEARCHRES\) is not supported/],
    ['$', /"\$" \(SEARCHRES\) is not supported/],
    ['1,,2', /invalid message sequence set "1,,2"/],
    ['1:2:3', /invalid message sequence set "1:2:3"/],
    ['0', /invalid message sequence set "0"/],
    ['01', /invalid message sequence set "01"/],
    ['1a', /invalid message sequence set "1a"/],
    ['MODSEQ', /MODSEQ needs a mod-sequence value/],
    ['MODSEQ abc', /MODSEQ needs a mod-sequence value, got "abc"/],
    ['MODSEQ -1', /MODSEQ needs a mod-sequence value/],
    ['MODSEQ 9223372036854775808', /MODSEQ needs a mod-sequence value/],
    ['MODSEQ "/flags/\\\\draft" bogus 5', /MODSEQ entry type must be priv, shared or all, got "bogus"/],
    ['MODSEQ "/flags/\\\\draft" all', /MODSEQ needs a mod-sequence value/],
    ['MODSEQ "/flags/\\\\draft" 5', /MODSEQ entry type must be priv, shared or all, got "5"/],
  ])('%j', (text, message) => {
    const error = catchError(() => parse(text));
    expect(error).toBeInstanceOf(SearchSyntaxError);
    expect((error as Error).message).toMatch(message);
  });

  it('accepts the largest mod-sequence (2^63-1)', () => {
    expect(keyOf('MODSEQ 9223372036854775807')).toMatchObject({ op: 'modseq' });
  });

  it('refuses strings that are not UTF-8', () => {
    const args: Token[] = [{ kind: 'atom', value: 'FROM' }, { kind: 'string', value: Buffer.from([0x66, 0xff, 0x6f]), literal: false }];
    expect(() => parseSearch(args, { utf8: false })).toThrow(/FROM string is not valid UTF-8/);
  });

  it('limits nesting instead of overflowing the stack', () => {
    expect(() => parse(`${'NOT '.repeat(10_000)}SEEN`)).toThrow(/nested more than 64 deep/);
    expect(() => parse(`${'('.repeat(200)}SEEN${')'.repeat(200)}`)).toThrow(/nested more than 64 deep/);
    expect(() => parse(`${'OR SEEN '.repeat(100)}SEEN`)).toThrow(SearchSyntaxError);
    expect(keyOf(`${'NOT '.repeat(20)}SEEN`)).toMatchObject({ op: 'not' });
  });

  it('keeps error messages to one short line of printable ASCII', () => {
    const error = catchError(() => parse('BEFORE "1\r\nA002 LOGOUT ünïcode and a very long tail of text that goes on"'));
    expect((error as Error).message).toMatch(/^[\x20-\x7e]+$/);
    expect((error as Error).message.length).toBeLessThan(120);
  });
});

describe('parseSearch: fuzzing', () => {
  const words = [
    'ALL', 'ANSWERED', 'BCC', 'BEFORE', 'BODY', 'CC', 'DELETED', 'DRAFT', 'FLAGGED', 'FROM', 'HEADER',
    'KEYWORD', 'LARGER', 'NEW', 'NOT', 'OLD', 'ON', 'OR', 'RECENT', 'SEEN', 'SENTBEFORE', 'SENTON',
    'SENTSINCE', 'SINCE', 'SMALLER', 'SUBJECT', 'TEXT', 'TO', 'UID', 'UNANSWERED', 'UNDELETED',
    'UNDRAFT', 'UNFLAGGED', 'UNKEYWORD', 'UNSEEN', 'MODSEQ', 'CHARSET', 'RETURN', 'UTF-8', 'us-ascii',
    'MIN', 'MAX', 'COUNT', 'SAVE', 'priv', 'all', '1', '0', '*', '1:*', '5:2', '2,4:*', '$', '1-Feb-2024',
    '31-Feb-2024', '4294967296', '9223372036854775808', 'NIL', '',
  ];
  const atom = fc.oneof(
    fc.constantFrom(...words),
    fc.constantFrom(...words).map((w) => w.toLowerCase()),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String),
  ).map((value): Token => ({ kind: 'atom', value }));
  const str = fc
    .oneof(fc.uint8Array({ maxLength: 12 }), fc.constantFrom(...words).map((w) => new TextEncoder().encode(w)))
    .map((bytes): Token => ({ kind: 'string', value: Buffer.from(bytes), literal: bytes.length % 2 === 0 }));
  const { token } = fc.letrec<{ token: Token; list: Token }>((tie) => ({
    token: fc.oneof({ depthSize: 'small', withCrossShrink: true }, atom, atom, str, tie('list')),
    list: fc.array(tie('token'), { maxLength: 5 }).map((items): Token => ({ kind: 'list', items })),
  }));

  // Mostly-valid criteria, built from the grammar, so that the property also explores deep
  // inside well-formed searches; then one random edit (drop, replace or insert a token).
  const a = (value: string): Token => ({ kind: 'atom', value });
  const q = (value: string): Token => ({ kind: 'string', value: Buffer.from(value), literal: false });
  const anyString = fc.oneof(fc.string({ maxLength: 6 }).map(a), fc.string({ maxLength: 6 }).map(q));
  const { key: validKey } = fc.letrec<{ key: Token[] }>((tie) => ({
    key: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('ALL', 'SEEN', 'unseen', 'NEW', 'OLD', 'RECENT', 'Draft', 'UNDELETED').map((w) => [a(w)]),
      fc.tuple(fc.constantFrom('FROM', 'TO', 'CC', 'BCC', 'SUBJECT', 'BODY', 'TEXT', 'KEYWORD'), anyString).map(([k, v]) => [a(k), v]),
      fc.tuple(fc.constantFrom('BEFORE', 'ON', 'SINCE', 'SENTBEFORE', 'SENTON', 'SENTSINCE'), fc.date({ noInvalidDate: true }))
        .map(([k, d]) => [a(k), a(`${d.getUTCDate()}-${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]}-${String(Math.abs(d.getUTCFullYear()) % 10000).padStart(4, '0')}`)]),
      fc.tuple(fc.constantFrom('LARGER', 'SMALLER', 'MODSEQ'), fc.nat()).map(([k, n]) => [a(k), a(String(n))]),
      fc.tuple(fc.boolean(), fc.constantFrom('1', '*', '1:*', '3:2', '2,4:*,9')).map(([uid, set]) => (uid ? [a('UID'), a(set)] : [a(set)])),
      fc.tuple(fc.string({ minLength: 1, maxLength: 8 }).filter((f) => !/[\x00-\x20\x7f:]/.test(f)), anyString).map(([f, v]) => [a('HEADER'), q(f), v]),
      tie('key').map((k) => [a('NOT'), ...k]),
      fc.tuple(tie('key'), tie('key')).map(([l, r]) => [a('OR'), ...l, ...r]),
      fc.array(tie('key'), { minLength: 1, maxLength: 3 }).map((ks): Token[] => [{ kind: 'list', items: ks.flat() }]),
    ),
  }));
  const validArgs = fc
    .tuple(
      fc.option(fc.subarray(['MIN', 'MAX', 'COUNT', 'ALL']).map((o): Token[] => [a('RETURN'), { kind: 'list', items: o.map(a) }])),
      fc.option(fc.constantFrom('UTF-8', 'us-ascii', 'ISO-8859-1').map((c) => [a('CHARSET'), a(c)])),
      fc.array(validKey, { minLength: 1, maxLength: 3 }),
    )
    .map(([ret, charset, keys]) => [...(ret ?? []), ...(charset ?? []), ...keys.flat()]);
  const edited = fc
    .tuple(validArgs, fc.nat(), token, fc.constantFrom('drop', 'replace', 'insert', 'keep'))
    .map(([args, at, tok, edit]) => {
      const i = at % (args.length + 1);
      if (edit === 'drop') args.splice(i, 1);
      if (edit === 'replace') args.splice(i, 1, tok);
      if (edit === 'insert') args.splice(i, 0, tok);
      return args;
    });

  const probe: SearchableMessage = {
    seq: 1, uid: 1, flags: ['\\Seen'], recent: false, internalDate: 0, size: 1, modseq: 1,
    headerValues: () => ['x'], sentDay: () => '2024-02-01', bodyText: () => 'body', fullText: () => 'x body',
  };

  it('throws nothing but SearchSyntaxError/SearchCharsetError, and what parses evaluates', () => {
    const outcomes = { parsed: 0, syntax: 0, charset: 0 };
    fc.assert(
      fc.property(fc.oneof(fc.array(token, { maxLength: 12 }), edited), fc.boolean(), (args, utf8) => {
        let key: SearchKey;
        try {
          key = parseSearch(args, { utf8 }).key;
        } catch (error) {
          if (!(error instanceof SearchSyntaxError) && !(error instanceof SearchCharsetError)) throw error;
          expect(error.message).toMatch(/^[\x20-\x7e]+$/);
          outcomes[error instanceof SearchCharsetError ? 'charset' : 'syntax']++;
          return;
        }
        expect(typeof matchesSearch(key, probe, { maxSeq: 1, maxUid: 1 })).toBe('boolean');
        outcomes.parsed++;
      }),
      { numRuns: 3000, seed: 9051 },
    );
    // The generator must reach all three outcomes, or the property proves little.
    expect(outcomes.parsed).toBeGreaterThan(300);
    expect(outcomes.charset).toBeGreaterThan(0);
    expect(outcomes.syntax).toBeGreaterThan(0);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
