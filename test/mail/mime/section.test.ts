import { describe, expect, it } from 'vitest';
import { parseMimeTree } from '../../../src/mail/mime/parse.js';
import { section, type SectionSpec } from '../../../src/mail/mime/section.js';
import { forwarded } from './corpus.js';
import { message } from './helpers.js';

const text = (raw: Buffer, spec: SectionSpec): string | null => {
  const bytes = section(raw, parseMimeTree(raw), spec);
  return bytes === null ? null : bytes.toString('utf8');
};

// forwarded: 1 text/plain; 2 message/rfc822 whose body is multipart/alternative (2.1, 2.2);
// 3 message/rfc822 with a text/plain body.
const raw = forwarded.raw;
const innerHeader = [
  'From: Erin <erin@example.com>',
  'To: carol@example.org',
  'Subject: plans',
  'Date: Tue, 02 Jan 2024 18:00:00 +0000',
  'Message-ID: <plans@example.com>',
  'In-Reply-To: <earlier@example.org>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary=inner',
  '',
  '',
].join('\r\n');
const innerBody = [
  '--inner',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  "Let's go.",
  '--inner',
  'Content-Type: text/html; charset=us-ascii',
  '',
  "<b>Let's go.</b>",
  '--inner--',
].join('\r\n');

describe('section: the whole message (RFC 3501 §6.4.5)', () => {
  it('[] is every byte', () => expect(section(raw, parseMimeTree(raw), { part: [] })).toEqual(raw));

  it('[HEADER] is the header with its empty line, [TEXT] the rest', () => {
    const header = text(raw, { part: [], text: 'HEADER' })!;
    expect(header.startsWith('From: carol@example.org\r\n')).toBe(true);
    expect(header.endsWith('Content-Type: multipart/mixed; boundary=outer\r\n\r\n')).toBe(true);
    expect(header + text(raw, { part: [], text: 'TEXT' })).toBe(raw.toString('utf8'));
  });

  it('[HEADER.FIELDS] keeps message order, matches any case, ends with the empty line', () => {
    expect(text(raw, { part: [], text: 'HEADER.FIELDS', fields: ['message-id', 'FROM', 'x-absent'] })).toBe(
      'From: carol@example.org\r\nMessage-ID: <fwd@example.org>\r\n\r\n',
    );
  });

  it('[HEADER.FIELDS ()] with no field found is the empty line alone', () => {
    expect(text(raw, { part: [], text: 'HEADER.FIELDS', fields: ['x-absent'] })).toBe('\r\n');
    expect(text(raw, { part: [], text: 'HEADER.FIELDS' })).toBe('\r\n');
  });

  it('[HEADER.FIELDS.NOT] gives the other fields and the empty line', () => {
    expect(text(raw, { part: [], text: 'HEADER.FIELDS.NOT', fields: ['date', 'Message-ID', 'mime-version', 'content-type'] })).toBe(
      'From: carol@example.org\r\nTo: dave@example.net\r\nSubject: Fwd: plans\r\n\r\n',
    );
  });

  it('[MIME] needs a part number', () => expect(text(raw, { part: [], text: 'MIME' })).toBeNull());
});

describe('section: parts and encapsulated messages', () => {
  it('[1] is a part without its MIME header; [1.MIME] is that header', () => {
    expect(text(raw, { part: [1] })).toBe('See below.');
    expect(text(raw, { part: [1], text: 'MIME' })).toBe('Content-Type: text/plain\r\n\r\n');
  });

  it('[2] is the whole encapsulated message', () => expect(text(raw, { part: [2] })).toBe(innerHeader + innerBody));

  it('[2.MIME] is the message/rfc822 part’s own header', () => {
    expect(text(raw, { part: [2], text: 'MIME' })).toBe('Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename="plans.eml"\r\n\r\n');
  });

  it('[2.HEADER] and [2.TEXT] are the encapsulated message’s header and body', () => {
    expect(text(raw, { part: [2], text: 'HEADER' })).toBe(innerHeader);
    expect(text(raw, { part: [2], text: 'TEXT' })).toBe(innerBody);
  });

  it('[2.HEADER.FIELDS] and [2.HEADER.FIELDS.NOT] read the encapsulated header', () => {
    expect(text(raw, { part: [2], text: 'HEADER.FIELDS', fields: ['subject', 'in-reply-to'] })).toBe(
      'Subject: plans\r\nIn-Reply-To: <earlier@example.org>\r\n\r\n',
    );
    expect(text(raw, { part: [2], text: 'HEADER.FIELDS.NOT', fields: ['from', 'to', 'date', 'message-id', 'in-reply-to', 'mime-version', 'content-type'] })).toBe(
      'Subject: plans\r\n\r\n',
    );
  });

  it('[2.1] and [2.2] number the encapsulated message’s parts; [2.1.MIME] is a MIME header', () => {
    expect(text(raw, { part: [2, 1] })).toBe("Let's go.");
    expect(text(raw, { part: [2, 2] })).toBe("<b>Let's go.</b>");
    expect(text(raw, { part: [2, 1], text: 'MIME' })).toBe('Content-Type: text/plain; charset=us-ascii\r\n\r\n');
    expect(text(raw, { part: [2, 2], text: 'MIME' })).toBe('Content-Type: text/html; charset=us-ascii\r\n\r\n');
  });

  it('[3.TEXT] and [3.1] are the body of an encapsulated message that is not multipart', () => {
    expect(text(raw, { part: [3], text: 'TEXT' })).toBe('Just a note.');
    expect(text(raw, { part: [3, 1] })).toBe('Just a note.');
    expect(text(raw, { part: [3], text: 'HEADER' })).toBe('From: frank@example.com\r\nSubject: note\r\n\r\n');
    // Part 1 of a non-multipart message has that message's header as its MIME header.
    expect(text(raw, { part: [3, 1], text: 'MIME' })).toBe('From: frank@example.com\r\nSubject: note\r\n\r\n');
  });

  it('gives null for parts that do not exist', () => {
    for (const part of [[0], [4], [-1], [1.5], [2, 3], [2, 0], [3, 2], [1, 1], [2, 1, 1], [3, 1, 1]]) {
      expect(text(raw, { part }), JSON.stringify(part)).toBeNull();
    }
  });

  it('gives null for HEADER and TEXT of a part that is not message/rfc822', () => {
    expect(text(raw, { part: [1], text: 'HEADER' })).toBeNull();
    expect(text(raw, { part: [1], text: 'TEXT' })).toBeNull();
    expect(text(raw, { part: [2, 1], text: 'HEADER.FIELDS', fields: ['content-type'] })).toBeNull();
    expect(text(raw, { part: [2, 1], text: 'HEADER.FIELDS.NOT', fields: [] })).toBeNull();
  });
});

describe('section: a message that is not multipart', () => {
  const simple = message(['Subject: one', 'Content-Type: text/plain', '', 'only text', '']);

  it('[1] is its body and [1.MIME] its header', () => {
    expect(text(simple, { part: [1] })).toBe('only text\r\n');
    expect(text(simple, { part: [1], text: 'MIME' })).toBe('Subject: one\r\nContent-Type: text/plain\r\n\r\n');
  });

  it('has no part 2 and no part 1.1', () => {
    expect(text(simple, { part: [2] })).toBeNull();
    expect(text(simple, { part: [1, 1] })).toBeNull();
  });

  it('numbers into a top-level message/rfc822 body', () => {
    const wrapped = message(['Content-Type: message/rfc822', '', 'Subject: inside', '', 'inner body', '']);
    expect(text(wrapped, { part: [1] })).toBe('Subject: inside\r\n\r\ninner body\r\n');
    expect(text(wrapped, { part: [1], text: 'HEADER' })).toBe('Subject: inside\r\n\r\n');
    expect(text(wrapped, { part: [1, 1] })).toBe('inner body\r\n');
  });
});

describe('section: header fetches without an empty line', () => {
  // RFC 3501 §6.4.5: the empty line is included "except in the case of a message which has no
  // body and no blank line".
  const headerOnly = message(['From: a@example.com', 'Subject: lonely', '']);

  it('returns the fields alone', () => {
    expect(text(headerOnly, { part: [], text: 'HEADER' })).toBe('From: a@example.com\r\nSubject: lonely\r\n');
    expect(text(headerOnly, { part: [], text: 'HEADER.FIELDS', fields: ['subject'] })).toBe('Subject: lonely\r\n');
    expect(text(headerOnly, { part: [], text: 'HEADER.FIELDS.NOT', fields: ['subject'] })).toBe('From: a@example.com\r\n');
    expect(text(headerOnly, { part: [], text: 'TEXT' })).toBe('');
    expect(text(headerOnly, { part: [1] })).toBe('');
  });

  it('an empty message has empty sections', () => {
    const empty = Buffer.alloc(0);
    expect(text(empty, { part: [] })).toBe('');
    expect(text(empty, { part: [], text: 'HEADER' })).toBe('');
    expect(text(empty, { part: [], text: 'HEADER.FIELDS', fields: ['subject'] })).toBe('');
    expect(text(empty, { part: [1] })).toBe('');
    expect(text(empty, { part: [1], text: 'MIME' })).toBe('');
  });

  it('a message that starts with its empty line has a header of just that line', () => {
    const headerless = message(['', 'body', '']);
    expect(text(headerless, { part: [], text: 'HEADER' })).toBe('\r\n');
    expect(text(headerless, { part: [], text: 'HEADER.FIELDS.NOT', fields: [] })).toBe('\r\n');
    expect(text(headerless, { part: [], text: 'TEXT' })).toBe('body\r\n');
  });
});

describe('section: HEADER.FIELDS details', () => {
  it('keeps folded fields whole, repeated fields all, and the bytes as they are', () => {
    const raw = message(['Received: from a', '\tby b; Mon, 1 Jan 2024', 'Subject: x', 'received: from c', 'X-Y: z', '', 'body']);
    expect(text(raw, { part: [], text: 'HEADER.FIELDS', fields: ['RECEIVED'] })).toBe('Received: from a\r\n\tby b; Mon, 1 Jan 2024\r\nreceived: from c\r\n\r\n');
    expect(text(raw, { part: [], text: 'HEADER.FIELDS.NOT', fields: ['received'] })).toBe('Subject: x\r\nX-Y: z\r\n\r\n');
  });

  it('matches a name written with space before the colon (RFC 5322 §4.5.1)', () => {
    const raw = message(['Subject : spaced', 'To: a@b.c', '', '']);
    expect(text(raw, { part: [], text: 'HEADER.FIELDS', fields: ['subject'] })).toBe('Subject : spaced\r\n\r\n');
  });

  it('keeps a line that is no field in .NOT and never matches it', () => {
    const raw = message(['Subject: x', 'garbage without colon', '', 'b']);
    expect(text(raw, { part: [], text: 'HEADER.FIELDS.NOT', fields: ['subject'] })).toBe('garbage without colon\r\n\r\n');
    expect(text(raw, { part: [], text: 'HEADER.FIELDS', fields: ['garbage without colon', ''] })).toBe('\r\n');
  });

  it('uses the message’s own empty line when it is a bare LF', () => {
    const raw = message(['Subject: x', 'To: y@z', '', 'b'], '\n');
    expect(text(raw, { part: [], text: 'HEADER.FIELDS', fields: ['to'] })).toBe('To: y@z\n\n');
  });
});
