import { describe, expect, it } from 'vitest';
import { Receiver, type ReceiverEvent, type ReceiverLimits } from '../../../src/imap/protocol/receiver.js';

const LIMITS: ReceiverLimits = { maxLineLength: 64, maxLiteralSize: 32 };

/** Events with request bytes as latin1 text, so expectations read like the wire. */
type Shown = { kind: 'request'; text: string } | Exclude<ReceiverEvent, { kind: 'request' }>;

function show(events: ReceiverEvent[]): Shown[] {
  return events.map((e) => (e.kind === 'request' ? { kind: 'request', text: e.bytes.toString('latin1') } : e));
}

function feed(input: string | Buffer, limits: ReceiverLimits = LIMITS, chunkSize = Infinity): Shown[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const r = new Receiver(limits);
  const events: ReceiverEvent[] = [];
  if (chunkSize === Infinity) events.push(...r.push(bytes));
  else for (let i = 0; i < bytes.length; i += chunkSize) events.push(...r.push(bytes.subarray(i, i + chunkSize)));
  return show(events);
}

const req = (text: string): Shown => ({ kind: 'request', text });
const cont: Shown = { kind: 'continue' };

// Each case: input, expected events. Every case is also checked fed one byte at a time and in
// chunks of 3 and 7 bytes: the events must not depend on where the chunks end.
const cases: [string, string, Shown[], ReceiverLimits?][] = [
  ['one command (RFC 3501 §2.2.1)', 'A1 NOOP\r\n', [req('A1 NOOP')]],
  ['bare LF ends a line too', 'A1 NOOP\nA2 CAPABILITY\n', [req('A1 NOOP'), req('A2 CAPABILITY')]],
  ['several commands in one chunk', 'a CAPABILITY\r\nb NOOP\r\nc LOGOUT\r\n', [req('a CAPABILITY'), req('b NOOP'), req('c LOGOUT')]],
  ['an incomplete line yields nothing yet', 'A1 NOO', []],
  ['an empty line is a request (the session answers it)', '\r\n', [req('')]],
  ['IDLE DONE is passed on as a request (RFC 2177 §3)', 'DONE\r\n', [req('DONE')]],
  ['AUTHENTICATE responses are passed on (RFC 3501 §6.2.2)', 'dXNlcgB1c2VyAHBhc3M=\r\n', [req('dXNlcgB1c2VyAHBhc3M=')]],
  [
    'synchronizing literals wait for "+" (RFC 3501 §7.5)',
    'A1 LOGIN {5}\r\nalice {6}\r\nsecret\r\n',
    [cont, cont, req('A1 LOGIN {5}\r\nalice {6}\r\nsecret')],
  ],
  ['non-synchronizing literals do not (RFC 7888 §3)', 'A1 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n', [req('A1 LOGIN {5+}\r\nalice {6+}\r\nsecret')]],
  [
    'literal bytes are opaque: CRLF, NUL, braces and quotes inside are data',
    'A1 APPEND INBOX {12}\r\n{3}\r\n\0"x\r\nA2\r\n',
    [cont, req('A1 APPEND INBOX {12}\r\n{3}\r\n\0"x\r\nA2')],
  ],
  ['8-bit literal data', 'A1 X {4+}\r\n\xff\xfe\x80\x00\r\n', [req('A1 X {4+}\r\n\xff\xfe\x80\x00')]],
  ['a zero-length literal still waits for "+"', 'A1 LOGIN {0}\r\n {0+}\r\n\r\n', [cont, req('A1 LOGIN {0}\r\n {0+}\r\n')]],
  ['RFC 3516 ~{n} is framed like {n}', 'A1 APPEND INBOX ~{3}\r\n\0\0\0\r\n', [cont, req('A1 APPEND INBOX ~{3}\r\n\0\0\0')]],
  ['a bare LF after an announcement is normalised to CRLF', 'A1 LOGIN {1}\na {1+}\nb\n', [cont, req('A1 LOGIN {1}\r\na {1+}\r\nb')]],
  ['{n} not at the end of the line is text', 'A1 X {5} y\r\n', [req('A1 X {5} y')]],
  ['{n} inside a quoted string is text (RFC 3501 §4.3)', 'A1 X "a {5}\r\n', [req('A1 X "a {5}')]],
  ['an escaped quote keeps the string open', 'A1 X "a\\" {5}\r\n', [req('A1 X "a\\" {5}')]],
  ['an escaped backslash closes it', 'A1 X "a\\\\" {1}\r\nz\r\n', [cont, req('A1 X "a\\\\" {1}\r\nz')]],
  ['a closed quoted string before the literal', 'A1 X "q" {1}\r\nz\r\n', [cont, req('A1 X "q" {1}\r\nz')]],
  ['malformed announcements are text', 'A1 X {} {+} {1a} {-1} {1++}\r\n', [req('A1 X {} {+} {1a} {-1} {1++}')]],
  ['a CR not followed by LF is line content', 'A1 X\rY\r\n', [req('A1 X\rY')]],
  ['CR CR LF keeps the first CR', 'A1 X\r\r\n', [req('A1 X\r')]],
  [
    'a synchronizing literal over the limit is refused; the client sends nothing more (RFC 7888 §4)',
    'A1 APPEND INBOX {33}\r\nA2 NOOP\r\n',
    [{ kind: 'literal-too-big', tag: 'A1', size: 33, synchronizing: true }, req('A2 NOOP')],
  ],
  [
    'a non-synchronizing literal over the limit is skipped with the rest of its command',
    `A1 APPEND INBOX {33+}\r\n${'A0 LOGOUT\r\n'.repeat(3)}xxx {2+}\r\n\r\n tail\r\nA2 NOOP\r\n`,
    [{ kind: 'literal-too-big', tag: 'A1', size: 33, synchronizing: false }, req('A2 NOOP')],
  ],
  [
    'a refused command whose rest announces a synchronizing literal ends there',
    `A1 APPEND INBOX {33+}\r\n${'x'.repeat(33)} {5}\r\nA2 NOOP\r\n`,
    [{ kind: 'literal-too-big', tag: 'A1', size: 33, synchronizing: false }, req('A2 NOOP')],
  ],
  [
    'a later literal over the limit drops the whole command (MULTIAPPEND, RFC 3502)',
    'A1 APPEND INBOX {3}\r\nabc {40}\r\nA2 NOOP\r\n',
    [cont, { kind: 'literal-too-big', tag: 'A1', size: 40, synchronizing: true }, req('A2 NOOP')],
  ],
  [
    'the size of a huge announcement saturates',
    'A1 APPEND INBOX {99999999999999999999999}\r\n',
    [{ kind: 'literal-too-big', tag: 'A1', size: Number.MAX_SAFE_INTEGER, synchronizing: true }],
  ],
  ['a literal-too-big without a valid tag reports "*"', '{40}\r\n', [{ kind: 'literal-too-big', tag: '*', size: 40, synchronizing: true }]],
  ['a line at the limit is accepted', `A1 ${'x'.repeat(61)}\r\n`, [req(`A1 ${'x'.repeat(61)}`)]],
  [
    'a line over the limit is refused at once and discarded to its end',
    `A1 ${'x'.repeat(62)} and more\r\nA2 NOOP\r\n`,
    [{ kind: 'line-too-long', tag: 'A1' }, req('A2 NOOP')],
  ],
  ['the limit counts the CR of a CR-LF only when no LF follows', `A1 ${'x'.repeat(61)}\r\r\n`, [{ kind: 'line-too-long', tag: 'A1' }]],
  ['a first word longer than the limit is no tag', `${'x'.repeat(70)} NOOP\r\nA2 NOOP\r\n`, [{ kind: 'line-too-long', tag: null }, req('A2 NOOP')]],
  ['an invalid first word is no tag', `A+1 ${'x'.repeat(70)}\r\n`, [{ kind: 'line-too-long', tag: null }]],
  [
    'the limit counts the text of all lines of a command, not its literals',
    `A1 X {10}\r\n${'y'.repeat(10)} ${'z'.repeat(60)}\r\nA2 NOOP\r\n`,
    [cont, { kind: 'line-too-long', tag: 'A1' }, req('A2 NOOP')],
  ],
  [
    'a discarded long line announcing a non-synchronizing literal skips the literal too',
    `A1 ${'x'.repeat(70)} {5+}\r\nA9 X\n)\r\nA2 NOOP\r\n`,
    [{ kind: 'line-too-long', tag: 'A1' }, req('A2 NOOP')],
  ],
];

describe('Receiver', () => {
  it.each(cases)('%s', (_name, input, expected, limits) => {
    expect(feed(input, limits)).toEqual(expected);
    for (const size of [1, 3, 7]) expect(feed(input, limits, size)).toEqual(expected);
  });

  it('copies request bytes exactly, whatever the literal holds', () => {
    const data = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const input = Buffer.concat([Buffer.from('A1 APPEND INBOX {256+}\r\n'), data, Buffer.from('\r\n')]);
    const r = new Receiver({ maxLineLength: 100, maxLiteralSize: 256 });
    const [event] = r.push(input);
    expect(event).toEqual({ kind: 'request', bytes: Buffer.concat([Buffer.from('A1 APPEND INBOX {256+}\r\n'), data]) });
  });

  it('does not keep a reference to the caller’s chunk', () => {
    const chunk = Buffer.from('A1 X {3+}\r\nabc\r\n');
    const r = new Receiver(LIMITS);
    r.push(chunk.subarray(0, 13));
    chunk.fill(0x21, 0, 13);
    const [event] = r.push(chunk.subarray(13));
    expect(event).toEqual({ kind: 'request', bytes: Buffer.from('A1 X {3+}\r\nabc') });
  });

  it('never buffers more than the line limit while discarding a long line', () => {
    const r = new Receiver({ maxLineLength: 100, maxLiteralSize: 10 });
    const events: ReceiverEvent[] = [];
    for (let i = 0; i < 1000; i++) {
      events.push(...r.push(Buffer.alloc(1000, 0x41)));
      expect(r.bufferedBytes).toBeLessThanOrEqual(100);
    }
    events.push(...r.push(Buffer.from('\r\nA2 NOOP\r\n')));
    expect(show(events)).toEqual([{ kind: 'line-too-long', tag: null }, req('A2 NOOP')]);
    expect(r.bufferedBytes).toBe(0);
  });

  it('skips a refused non-synchronizing literal without buffering it', () => {
    const r = new Receiver({ maxLineLength: 100, maxLiteralSize: 10 });
    expect(show(r.push(Buffer.from('A1 APPEND INBOX {1000000+}\r\n')))).toEqual([
      { kind: 'literal-too-big', tag: 'A1', size: 1000000, synchronizing: false },
    ]);
    for (let i = 0; i < 1000; i++) {
      expect(r.push(Buffer.alloc(1000, 0x0a))).toEqual([]);
      expect(r.bufferedBytes).toBe(0);
    }
    expect(show(r.push(Buffer.from(')\r\nA2 NOOP\r\n')))).toEqual([req('A2 NOOP')]);
  });

  it('holds a literal being received and releases it with the request', () => {
    const r = new Receiver(LIMITS);
    r.push(Buffer.from('A1 X {20}\r\n0123456789'));
    expect(r.bufferedBytes).toBe('A1 X {20}\r\n0123456789'.length);
    r.push(Buffer.from('0123456789\r\n'));
    expect(r.bufferedBytes).toBe(0);
  });

  it('maxCommandSize caps a whole request, literals included', () => {
    const limits = { maxLineLength: 64, maxLiteralSize: 32, maxCommandSize: 60 };
    expect(feed('A1 APPEND INBOX {20}\r\n' + 'a'.repeat(20) + ' {20}\r\n', limits)).toEqual([
      cont,
      { kind: 'literal-too-big', tag: 'A1', size: 20, synchronizing: true },
    ]);
    expect(feed('A1 APPEND INBOX {20}\r\n' + 'a'.repeat(20) + '\r\n', limits)).toEqual([cont, req(`A1 APPEND INBOX {20}\r\n${'a'.repeat(20)}`)]);
  });

  it('refuses nonsensical limits', () => {
    expect(() => new Receiver({ maxLineLength: 0, maxLiteralSize: 1 })).toThrow(RangeError);
    expect(() => new Receiver({ maxLineLength: 10, maxLiteralSize: -1 })).toThrow(RangeError);
    expect(() => new Receiver({ maxLineLength: 10, maxLiteralSize: 1, maxCommandSize: 0 })).toThrow(RangeError);
  });
});
