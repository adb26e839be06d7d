import { describe, expect, it } from 'vitest';
import {
  encodeNumberList,
  MAX_QUOTED_BYTES,
  continuation,
  encodeMailboxName,
  encodeValue,
  quoteOrLiteral,
  tagged,
  untagged,
  untaggedStatus,
} from '../../../src/imap/protocol/encoder.js';
import type { ImapValue } from '../../../src/imap/protocol/types.js';

const wire = (b: Buffer) => b.toString('utf8');

describe('encodeValue (RFC 3501 §9)', () => {
  it.each<[string, ImapValue, string]>([
    ['null is NIL', null, 'NIL'],
    ['numbers', 42, '42'],
    ['zero', 0, '0'],
    ['mod-sequence beyond 32 bits (RFC 7162)', 2 ** 40, '1099511627776'],
    ['a short string is quoted', 'hello world', '"hello world"'],
    ['the empty string', '', '""'],
    ['quotes and backslashes are escaped', 'a"b\\c', '"a\\"b\\\\c"'],
    ['"NIL" as a string stays a string', 'NIL', '"NIL"'],
    ['CRLF forces a literal', 'a\r\nb', '{4}\r\na\r\nb'],
    ['a TAB forces a literal', 'a\tb', '{3}\r\na\tb'],
    ['a NUL forces a literal', 'a\0', '{2}\r\na\0'],
    ['non-ASCII is a literal of UTF-8 bytes', 'ünï', '{5}\r\nünï'],
    ['atoms go as they are', { atom: '\\Seen' }, '\\Seen'],
    ['atoms may hold brackets and spaces', { atom: 'BODY[HEADER.FIELDS (FROM)]' }, 'BODY[HEADER.FIELDS (FROM)]'],
    ['lists', [1, 'a', null, { atom: 'X' }], '(1 "a" NIL X)'],
    ['empty list', [], '()'],
    ['nested lists (ENVELOPE addresses)', [[['Alice', null, 'alice', 'example.com']], null], '((("Alice" NIL "alice" "example.com")) NIL)'],
    ['a literal inside a list', ['x', 'a\nb'], '("x" {3}\r\na\nb)'],
  ])('%s', (_name, value, expected) => {
    expect(wire(encodeValue(value))).toBe(expected);
  });

  it('quotes UTF-8 when UTF8=ACCEPT is on (RFC 6855 §3, RFC 9051 §9 QUOTED-CHAR)', () => {
    expect(wire(encodeValue('ünï', { utf8: true }))).toBe('"ünï"');
    expect(wire(encodeValue(['日本', 'x\r\n'], { utf8: true }))).toBe('("日本" {3}\r\nx\r\n)');
  });

  it('sends strings of 1024 bytes or more as literals', () => {
    const short = 'a'.repeat(MAX_QUOTED_BYTES - 1);
    const long = 'a'.repeat(MAX_QUOTED_BYTES);
    expect(wire(encodeValue(short))).toBe(`"${short}"`);
    expect(wire(encodeValue(long))).toBe(`{1024}\r\n${long}`);
    // Measured in bytes: 512 two-byte characters are 1024 bytes.
    expect(wire(encodeValue('ü'.repeat(512), { utf8: true }))).toBe(`{1024}\r\n${'ü'.repeat(512)}`);
  });

  it.each<[string, ImapValue]>([
    ['negative numbers', -1],
    ['fractions', 1.5],
    ['NaN', Number.NaN],
    ['unsafe integers', 2 ** 60],
    ['empty atoms', { atom: '' }],
    ['atoms with CRLF', { atom: 'a\r\n* BYE' }],
  ])('refuses %s', (_name, value) => {
    expect(() => encodeValue(value)).toThrow(RangeError);
  });
});

describe('quoteOrLiteral', () => {
  it('decides on bytes', () => {
    expect(wire(quoteOrLiteral(Buffer.from('abc')))).toBe('"abc"');
    expect(quoteOrLiteral(Buffer.from([0xff, 0x00]))).toEqual(Buffer.concat([Buffer.from('{2}\r\n'), Buffer.from([0xff, 0x00])]));
    // Invalid UTF-8 is never quoted, even with UTF8=ACCEPT.
    expect(wire(quoteOrLiteral(Buffer.from([0xc3]), { utf8: true }).subarray(0, 5))).toBe('{1}\r\n');
    expect(wire(quoteOrLiteral(Buffer.from('\x7f')))).toBe('{1}\r\n\x7f');
  });
});

describe('encodeMailboxName', () => {
  it.each<[string, boolean, string]>([
    ['INBOX', false, '"INBOX"'],
    ['Entwürfe', false, '"Entw&APw-rfe"'], // RFC 3501 §5.1.3
    ['Tom & Jerry', false, '"Tom &- Jerry"'],
    ['Entwürfe', true, '"Entwürfe"'], // RFC 6855 §3
    ['Tom & Jerry', true, '"Tom & Jerry"'],
    ['say "hi"', false, '"say \\"hi\\""'],
  ])('%j (utf8 %s) → %s', (name, utf8, expected) => {
    expect(wire(encodeMailboxName(name, utf8))).toBe(expected);
  });

  it('uses a literal for very long names', () => {
    expect(wire(encodeMailboxName('x'.repeat(2000), false))).toBe(`{2000}\r\n${'x'.repeat(2000)}`);
  });
});

describe('response lines (RFC 3501 §7)', () => {
  it('untagged', () => {
    expect(wire(untagged('3 EXISTS'))).toBe('* 3 EXISTS\r\n');
    const fetch = Buffer.concat([Buffer.from('1 FETCH '), encodeValue([{ atom: 'BODY[]' }, 'a\r\nb'])]);
    expect(wire(untagged(fetch))).toBe('* 1 FETCH (BODY[] {4}\r\na\r\nb)\r\n');
  });

  it('tagged, with and without a response code', () => {
    expect(wire(tagged('A1', 'OK', 'LOGIN completed'))).toBe('A1 OK LOGIN completed\r\n');
    expect(wire(tagged('A2', 'NO', 'too big', 'TOOBIG'))).toBe('A2 NO [TOOBIG] too big\r\n');
    expect(wire(tagged('A3', 'OK', 'done', 'APPENDUID 38505 3955'))).toBe('A3 OK [APPENDUID 38505 3955] done\r\n');
    expect(wire(tagged('*', 'BAD', 'missing tag'))).toBe('* BAD missing tag\r\n');
  });

  it('never lets text break the line', () => {
    expect(wire(tagged('A1', 'NO', 'no mailbox "x\r\n* BYE"'))).toBe('A1 NO no mailbox "x  * BYE"\r\n');
    expect(wire(untagged('OK a\nb\0c'))).toBe('* OK a b c\r\n');
  });

  it('fills in empty text (RFC 3501 §9: text is 1*TEXT-CHAR)', () => {
    expect(wire(tagged('A1', 'OK', ''))).toBe('A1 OK completed\r\n');
    expect(wire(tagged('A1', 'NO', '', 'NONEXISTENT'))).toBe('A1 NO [NONEXISTENT] failed\r\n');
    expect(wire(tagged('A1', 'BAD', ''))).toBe('A1 BAD invalid\r\n');
    expect(wire(untaggedStatus('BYE', ''))).toBe('* BYE closing\r\n');
  });

  it('untagged status responses', () => {
    expect(wire(untaggedStatus('OK', 'Wicket ready', 'CAPABILITY IMAP4rev1'))).toBe('* OK [CAPABILITY IMAP4rev1] Wicket ready\r\n');
    expect(wire(untaggedStatus('PREAUTH', 'hi'))).toBe('* PREAUTH hi\r\n');
  });

  it('continuation requests (RFC 3501 §7.5)', () => {
    expect(wire(continuation())).toBe('+ Ready\r\n');
    expect(wire(continuation('idling'))).toBe('+ idling\r\n');
    expect(wire(continuation(''))).toBe('+ \r\n'); // an empty AUTHENTICATE challenge
  });
});

describe('encodeNumberList (the numbers of * SEARCH)', () => {
  it('writes each number in decimal with one space between, as Array.join would', () => {
    const numbers = [0, 1, 9, 10, 99, 100, 12345, 4294967295];
    expect(encodeNumberList(numbers).toString('latin1')).toBe(numbers.join(' '));
    expect(encodeNumberList([]).length).toBe(0);
    const many = Array.from({ length: 5000 }, (_, i) => i * 37 + 1);
    expect(encodeNumberList(many).toString('latin1')).toBe(many.join(' '));
  });

  it('refuses what is no IMAP number', () => {
    expect(() => encodeNumberList([-1])).toThrow(RangeError);
    expect(() => encodeNumberList([1.5])).toThrow(RangeError);
    expect(() => encodeNumberList([2 ** 32])).toThrow(RangeError);
  });
});
