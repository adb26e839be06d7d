import fc from 'fast-check';
import libmime from 'libmime';
import { describe, expect, it } from 'vitest';
import { formatMailbox, parseAddressList } from '../../src/mail/addresses.js';
import { fieldValue, joinMessage, prependFields, splitMessage } from '../../src/mail/header-block.js';
import { summarize } from '../../src/mail/summary.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');
const summaryOf = (text: string | Buffer) => summarize(splitMessage(typeof text === 'string' ? bytes(text) : text).headers);

describe('parseAddressList (RFC 5322 §3.4)', () => {
  it('parses mailboxes with and without display names', () => {
    expect(parseAddressList('"Doe, Jane" <jane@example.com>, bob@example.org, Carol <carol@example.net>')).toEqual([
      { name: 'Doe, Jane', address: 'jane@example.com' },
      { name: '', address: 'bob@example.org' },
      { name: 'Carol', address: 'carol@example.net' },
    ]);
  });

  it('flattens groups into their mailboxes (RFC 5322 §3.4 group)', () => {
    expect(parseAddressList('Team: a@example.com, "B" <b@example.com>;, c@example.org')).toEqual([
      { name: '', address: 'a@example.com' },
      { name: 'B', address: 'b@example.com' },
      { name: '', address: 'c@example.org' },
    ]);
  });

  it('gives nothing for an empty group', () => {
    expect(parseAddressList('undisclosed-recipients:;')).toEqual([]);
  });

  it.each([
    ['Q, UTF-8', '=?UTF-8?Q?Zo=C3=AB_=C3=85gent?= <zoe@example.com>', 'Zoë Ågent'],
    ['B, UTF-8', '=?UTF-8?B?Wm/Dqw==?= <zoe@example.com>', 'Zoë'],
    ['Q, ISO-8859-1', '=?ISO-8859-1?Q?Zo=EB?= <zoe@example.com>', 'Zoë'],
    ['two adjacent words (RFC 2047 §6.2)', '=?UTF-8?Q?Zo=C3=AB?= =?UTF-8?Q?_=F0=9F=A4=96?= <zoe@example.com>', 'Zoë 🤖'],
  ])('decodes an RFC 2047 encoded-word name (%s)', (_label, value, name) => {
    expect(parseAddressList(value)).toEqual([{ name, address: 'zoe@example.com' }]);
  });

  it('trims the address', () => {
    expect(parseAddressList('  <  spaced@example.com >')).toEqual([{ name: '', address: 'spaced@example.com' }]);
  });

  it.each(['', '   ', ',,,', ';;;', '<>', 'Team:;', '"', '<'])('gives [] for %j', (value) => {
    expect(parseAddressList(value)).toEqual([]);
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (value) => {
        const list = parseAddressList(value);
        return Array.isArray(list) && list.every((a) => typeof a.name === 'string' && typeof a.address === 'string' && (a.name !== '' || a.address !== ''));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatMailbox', () => {
  it('quotes an ASCII display name (RFC 5322 §3.2.4)', () => {
    expect(formatMailbox('Sales Agent', 'agent@example.com')).toBe('"Sales Agent" <agent@example.com>');
  });

  it('escapes double quotes and backslashes as quoted-pairs', () => {
    expect(formatMailbox('Say "hi" \\ bye', 'agent@example.com')).toBe('"Say \\"hi\\" \\\\ bye" <agent@example.com>');
  });

  it.each([null, ''])('writes the bare address for the name %j', (name) => {
    expect(formatMailbox(name, 'agent@example.com')).toBe('agent@example.com');
  });

  it('encodes a non-ASCII name as ASCII encoded-words of at most 75 characters (RFC 2047 §2, §5)', () => {
    const name = 'Zoë Ågent 🤖 '.repeat(6).trim();
    const mailbox = formatMailbox(name, 'agent@example.com');
    expect(mailbox).toMatch(/^[\x20-\x7e]+$/);
    expect(mailbox.endsWith(' <agent@example.com>')).toBe(true);
    const words = mailbox.slice(0, -' <agent@example.com>'.length).split(' ');
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) {
      expect(word).toMatch(/^=\?UTF-8\?[QB]\?[^?\s]*\?=$/i);
      expect(word.length).toBeLessThanOrEqual(75);
    }
    expect(libmime.decodeWords(mailbox)).toBe(`${name} <agent@example.com>`);
  });

  it('round-trips through parseAddressList for any trimmed name without control characters', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((s) => s.trim() === s && !/[\u0000-\u001f\u007f]/.test(s)),
        (name) => {
          expect(parseAddressList(formatMailbox(name, 'agent@example.com'))).toEqual([{ name, address: 'agent@example.com' }]);
        },
      ),
      { numRuns: 500, seed: 5322 },
    );
  });
});

describe('splitMessage (RFC 5322 §2.1)', () => {
  it('splits at the first empty line of a CRLF message', () => {
    const { headers, body } = splitMessage(bytes('A: 1\r\nB: 2\r\n\r\nbody\r\n\r\nmore\r\n'));
    expect(headers.get('a')).toEqual(['A: 1']);
    expect(headers.get('b')).toEqual(['B: 2']);
    expect(body.toString('latin1')).toBe('body\r\n\r\nmore\r\n');
  });

  it('splits a bare-LF message', () => {
    const { headers, body } = splitMessage(bytes('A: 1\nB: 2\n\nbody\n'));
    expect(headers.get('b')).toEqual(['B: 2']);
    expect(body.toString('latin1')).toBe('body\n');
  });

  it('splits a message whose empty line follows a CRLF line with a bare LF', () => {
    const { headers, body } = splitMessage(bytes('A: 1\r\n\nbody'));
    expect(headers.get('a')).toEqual(['A: 1']);
    expect(body.toString('latin1')).toBe('body');
  });

  it('keeps folded lines together', () => {
    const { headers } = splitMessage(bytes('Subject: one\r\n two\r\nTo: a@example.com\r\n\r\n'));
    expect(headers.get('subject')).toEqual(['Subject: one\r\n two']);
  });

  it.each([
    ['ending with CRLF', 'A: 1\r\nB: 2\r\n'],
    ['without a final line end', 'A: 1\r\nB: 2'],
  ])('takes a message without an empty line as all header (%s)', (_label, text) => {
    const { headers, body } = splitMessage(bytes(text));
    expect(headers.get('a')).toEqual(['A: 1']);
    expect(headers.get('b')).toEqual(['B: 2']);
    expect(body.length).toBe(0);
  });

  it.each([
    ['CRLF', '\r\nA: not a field\r\n', 'A: not a field\r\n'],
    ['bare LF', '\nA: not a field\n', 'A: not a field\n'],
  ])('gives a message starting with the empty line (%s) no fields', (_label, text, body) => {
    const split = splitMessage(bytes(text));
    expect(split.headers.get('a')).toEqual([]);
    expect(split.body.toString('latin1')).toBe(body);
  });

  it('handles an empty message', () => {
    const { headers, body } = splitMessage(Buffer.alloc(0));
    expect(headers.get('a')).toEqual([]);
    expect(body.length).toBe(0);
  });

  it('keeps body bytes exactly, 8-bit included', () => {
    const body = Buffer.from([0x00, 0x80, 0xff, 0x0d, 0x0a, 0x0a, 0x0d, 0xc3, 0xa9]);
    const split = splitMessage(Buffer.concat([bytes('A: 1\r\n\r\n'), body]));
    expect(split.body.equals(body)).toBe(true);
  });
});

describe('joinMessage', () => {
  it.each([
    ['CRLF', bytes('A: 1\r\nB: 2\r\n\r\nbody\r\n')],
    ['bare LF', bytes('A: 1\nB: 2\n\nbody\n')],
    ['mixed line ends', bytes('A: 1\r\nB: 2\n\r\nbody\n\r\n')],
    ['folded field', bytes('Subject: one\r\n\ttwo\r\n\r\nbody')],
    ['no empty line', bytes('A: 1\r\nB: 2')],
    ['header ending in CRLF, no body', bytes('A: 1\r\n\r\n')],
    ['8-bit header and body', Buffer.from('Subject: café\r\n\r\nnaïve\r\n\u0000\u00ff', 'utf8')],
  ])('gives back an unchanged message byte for byte (%s)', (_label, raw) => {
    expect(joinMessage(splitMessage(raw)).equals(raw)).toBe(true);
  });

  it.each([
    ['CRLF', '\r\nbody\r\n'],
    ['bare LF', '\nbody\n'],
  ])('gives back a message starting with the empty line (%s) byte for byte', (_label, text) => {
    expect(joinMessage(splitMessage(bytes(text))).toString('latin1')).toBe(text);
  });

  it('rebuilds a changed header with CRLF and leaves the body alone', () => {
    const message = splitMessage(bytes('A: 1\nB: 2\n\nline\nbody'));
    message.headers.remove('A');
    expect(joinMessage(message).toString('latin1')).toBe('B: 2\r\n\r\nline\nbody');
  });
});

describe('fieldValue and prependFields', () => {
  it.each([
    ['Subject: hello', 'hello'],
    ['Subject:  spaced  ', 'spaced'],
    ['Subject: one\r\n two\r\n\tthree', 'one two three'],
    ['Subject: one\n two', 'one two'],
    ['X-Time: 12:30', '12:30'],
    ['Subject:', ''],
    ['no colon here', ''],
  ])('fieldValue(%j) = %j', (line, value) => {
    expect(fieldValue(line)).toBe(value);
  });

  it('puts trace fields on top, in the order given (RFC 5321 §4.4)', () => {
    const raw = bytes('Subject: s\r\n\r\nbody');
    expect(prependFields(raw, ['Return-Path: <>', 'Received: from x']).toString('latin1')).toBe(
      'Return-Path: <>\r\nReceived: from x\r\nSubject: s\r\n\r\nbody',
    );
  });
});

describe('summarize', () => {
  const sample = [
    'Received: from x by y; Mon, 23 Nov 2026 15:52:21 +0000',
    'Date: Mon, 23 Nov 2026 10:52:20 -0500',
    'From: =?UTF-8?Q?Zo=C3=AB?= <zoe@example.com>',
    'To: "Doe, Jane" <jane@example.org>,',
    ' bob@example.net',
    'Cc: Team: carol@example.com, dave@example.com;',
    'Bcc: hidden@example.org',
    'Subject: =?UTF-8?Q?Caf=C3=A9?= order',
    ' =?UTF-8?B?4pyT?=',
    'Message-ID:  <abc.123@example.com> ',
    '',
    'body',
  ].join('\r\n');

  it('summarizes a header block', () => {
    expect(summaryOf(sample)).toEqual({
      subject: 'Café order ✓',
      from: [{ name: 'Zoë', address: 'zoe@example.com' }],
      to: [
        { name: 'Doe, Jane', address: 'jane@example.org' },
        { name: '', address: 'bob@example.net' },
      ],
      cc: [
        { name: '', address: 'carol@example.com' },
        { name: '', address: 'dave@example.com' },
      ],
      messageId: '<abc.123@example.com>',
      date: Date.UTC(2026, 10, 23, 15, 52, 20) / 1000,
    });
  });

  it('has null and [] for missing fields', () => {
    expect(summaryOf('X-Other: 1\r\n\r\nbody')).toEqual({ subject: null, from: [], to: [], cc: [], messageId: null, date: null });
  });

  it('has a null date when Date does not parse, and null for an empty Message-ID', () => {
    const summary = summaryOf('Date: sometime soon\r\nMessage-ID: \r\n\r\n');
    expect(summary.date).toBeNull();
    expect(summary.messageId).toBeNull();
  });

  it('reads the Date with a trailing comment, in whole seconds', () => {
    expect(summaryOf('Date: Mon, 23 Nov 2026 15:52:20 +0000 (UTC)\r\n\r\n').date).toBe(Date.UTC(2026, 10, 23, 15, 52, 20) / 1000);
  });

  it('gathers the addresses of repeated To fields', () => {
    expect(summaryOf('To: a@example.com\r\nTo: b@example.com\r\n\r\n').to.map((a) => a.address)).toEqual(['a@example.com', 'b@example.com']);
  });

  it('keeps the first Subject when there are two', () => {
    expect(summaryOf('Subject: first\r\nSubject: second\r\n\r\n').subject).toBe('first');
  });

  // mailsplit hands header lines over as binary (latin1) strings; raw UTF-8 must come back.
  it('decodes raw UTF-8 header values (RFC 6532 §3.2)', () => {
    const summary = summaryOf(Buffer.from('Subject: Café\r\nFrom: Zoë <zoe@example.com>\r\n\r\n', 'utf8'));
    expect(summary.subject).toBe('Café');
    expect(summary.from).toEqual([{ name: 'Zoë', address: 'zoe@example.com' }]);
  });
});
