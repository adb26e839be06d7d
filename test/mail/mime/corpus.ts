// Messages of the shapes found in real mailboxes, each with its BODYSTRUCTURE, BODY and
// ENVELOPE worked out by hand from RFC 3501 §7.4.2 (sizes are counted in the comments).
//
// House rules the expectations follow (see src/mail/mime/structure.ts and envelope.ts):
//   - type, subtype, encoding, disposition type and parameter names upper case, values as
//     written (RFC 2231 ones decoded); Dovecot keeps the header's case instead;
//   - size = octets between the header's empty line and the end of the part, as stored;
//   - lines = LF octets in the body; the CRLF before a delimiter belongs to the delimiter
//     (RFC 2046 §5.1.1), so a part inside a multipart has one line less than it shows
//     (Dovecot counts the same way);
//   - text/* without a charset shows ("CHARSET" "us-ascii") (RFC 2046 §4.1.2), as Dovecot;
//   - subject as written, display names decoded.
import type { ImapValue } from '../../../src/imap/protocol/types.js';
import { message } from './helpers.js';

export interface CorpusEntry {
  name: string;
  raw: Buffer;
  bodystructure: ImapValue;
  body: ImapValue;
  envelope: ImapValue;
}

const NO_EXT = [null, null, null, null];
const usAscii = ['CHARSET', 'us-ascii'];
const addr = (name: string | null, mailbox: string, host: string): ImapValue => [name, null, mailbox, host];

// RFC 3501 §6.3.11's APPEND example, as mail clients still send it.
const simple: CorpusEntry = {
  name: 'simple text/plain',
  raw: message([
    'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)',
    'From: Fred Foobar <foobar@Blurdybloop.COM>',
    'Subject: afternoon meeting',
    'To: mooch@owatagu.siam.edu',
    'Message-Id: <B27397-0100000@Blurdybloop.COM>',
    'MIME-Version: 1.0',
    'Content-Type: TEXT/PLAIN; CHARSET=US-ASCII',
    '',
    'Hello Joe, do you think we can meet at 3:30 tomorrow?',
    '',
  ]),
  // body: 53 characters + CRLF = 55 octets, 1 line
  bodystructure: ['TEXT', 'PLAIN', ['CHARSET', 'US-ASCII'], null, null, '7BIT', 55, 1, ...NO_EXT],
  body: ['TEXT', 'PLAIN', ['CHARSET', 'US-ASCII'], null, null, '7BIT', 55, 1],
  envelope: [
    'Mon, 7 Feb 1994 21:52:25 -0800 (PST)',
    'afternoon meeting',
    [addr('Fred Foobar', 'foobar', 'Blurdybloop.COM')],
    [addr('Fred Foobar', 'foobar', 'Blurdybloop.COM')], // no Sender: From (RFC 3501 §7.4.2)
    [addr('Fred Foobar', 'foobar', 'Blurdybloop.COM')], // no Reply-To: From
    [addr(null, 'mooch', 'owatagu.siam.edu')],
    null,
    null,
    null,
    '<B27397-0100000@Blurdybloop.COM>',
  ],
};

const noContentType: CorpusEntry = {
  name: 'no Content-Type at all',
  raw: message(['From: alice@example.org', 'To: bob@example.net', 'Subject: plain', '', 'no headers about MIME here', '']),
  // RFC 2045 §5.2 default: text/plain; charset=us-ascii. Body 26 + 2 = 28 octets, 1 line.
  bodystructure: ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 28, 1, ...NO_EXT],
  body: ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 28, 1],
  envelope: [
    null,
    'plain',
    [addr(null, 'alice', 'example.org')],
    [addr(null, 'alice', 'example.org')],
    [addr(null, 'alice', 'example.org')],
    [addr(null, 'bob', 'example.net')],
    null,
    null,
    null,
    null,
  ],
};

// Thunderbird's shape: mixed { alternative { text, related { html, inline image } }, attachments }.
const nested: CorpusEntry = {
  name: 'nested mixed / alternative / related with base64 and quoted-printable attachments',
  raw: message([
    'From: Alice <alice@example.org>',
    'To: Bob <bob@example.net>',
    'Subject: report',
    'Date: Tue, 02 Jan 2024 10:00:00 +0000',
    'Message-ID: <m3@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="mixed"',
    '',
    'This is a multi-part message in MIME format.',
    '--mixed',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    'Hi Bob',
    '--alt',
    'Content-Type: multipart/related; boundary="rel"',
    '',
    '--rel',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<img src="cid:logo">',
    '--rel',
    'Content-Type: image/png; name="logo.png"',
    'Content-Transfer-Encoding: base64',
    'Content-ID: <logo>',
    'Content-Disposition: inline; filename="logo.png"',
    '',
    'iVBORw0KGgo=',
    '--rel--',
    '',
    '--alt--',
    '',
    '--mixed',
    'Content-Type: application/pdf; name="report.pdf"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="report.pdf"',
    'Content-Description: Q1 report',
    '',
    'JVBERi0xLjQK',
    '--mixed',
    'Content-Type: text/plain; charset=iso-8859-1; name="notes.txt"',
    'Content-Transfer-Encoding: quoted-printable',
    'Content-Disposition: attachment; filename="notes.txt"',
    'Content-Language: de',
    '',
    'Gr=FC=DFe,',
    'Anna',
    '--mixed--',
    '',
  ]),
  bodystructure: [
    [
      // "Hi Bob": 6 octets; its CRLF belongs to "--alt", so 0 lines
      ['TEXT', 'PLAIN', ['CHARSET', 'utf-8'], null, null, '7BIT', 6, 0, ...NO_EXT],
      [
        ['TEXT', 'HTML', ['CHARSET', 'utf-8'], null, null, '7BIT', 20, 0, ...NO_EXT], // <img src="cid:logo">
        ['IMAGE', 'PNG', ['NAME', 'logo.png'], '<logo>', null, 'BASE64', 12, null, ['INLINE', ['FILENAME', 'logo.png']], null, null],
        'RELATED',
        ['BOUNDARY', 'rel'],
        null,
        null,
        null,
      ],
      'ALTERNATIVE',
      ['BOUNDARY', 'alt'],
      null,
      null,
      null,
    ],
    ['APPLICATION', 'PDF', ['NAME', 'report.pdf'], null, 'Q1 report', 'BASE64', 12, null, ['ATTACHMENT', ['FILENAME', 'report.pdf']], null, null],
    // "Gr=FC=DFe,\r\nAnna": 10 + 2 + 4 = 16 octets, 1 line
    [
      'TEXT',
      'PLAIN',
      ['CHARSET', 'iso-8859-1', 'NAME', 'notes.txt'],
      null,
      null,
      'QUOTED-PRINTABLE',
      16,
      1,
      null,
      ['ATTACHMENT', ['FILENAME', 'notes.txt']],
      ['de'],
      null,
    ],
    'MIXED',
    ['BOUNDARY', 'mixed'],
    null,
    null,
    null,
  ],
  body: [
    [
      ['TEXT', 'PLAIN', ['CHARSET', 'utf-8'], null, null, '7BIT', 6, 0],
      [['TEXT', 'HTML', ['CHARSET', 'utf-8'], null, null, '7BIT', 20, 0], ['IMAGE', 'PNG', ['NAME', 'logo.png'], '<logo>', null, 'BASE64', 12], 'RELATED'],
      'ALTERNATIVE',
    ],
    ['APPLICATION', 'PDF', ['NAME', 'report.pdf'], null, 'Q1 report', 'BASE64', 12],
    ['TEXT', 'PLAIN', ['CHARSET', 'iso-8859-1', 'NAME', 'notes.txt'], null, null, 'QUOTED-PRINTABLE', 16, 1],
    'MIXED',
  ],
  envelope: [
    'Tue, 02 Jan 2024 10:00:00 +0000',
    'report',
    [addr('Alice', 'alice', 'example.org')],
    [addr('Alice', 'alice', 'example.org')],
    [addr('Alice', 'alice', 'example.org')],
    [addr('Bob', 'bob', 'example.net')],
    null,
    null,
    null,
    '<m3@example.org>',
  ],
};

// Outlook's shape: related { alternative { text, html }, image }.
const outlook: CorpusEntry = {
  name: 'related containing alternative (text + html) and an inline image',
  raw: message([
    'From: "Smith, Ann" <ann@example.com>',
    'To: team@example.com',
    'Subject: logo',
    'Content-Type: multipart/related;',
    '\tboundary="_004_R_"; type="multipart/alternative"',
    '',
    '--_004_R_',
    'Content-Type: multipart/alternative; boundary="_000_A_"',
    '',
    '--_000_A_',
    'Content-Type: text/plain; charset="us-ascii"',
    '',
    'Logo attached.',
    '',
    '--_000_A_',
    'Content-Type: text/html; charset="us-ascii"',
    '',
    '<p>Logo</p>',
    '',
    '--_000_A_--',
    '',
    '--_004_R_',
    'Content-Type: image/gif; name="x.gif"',
    'Content-Transfer-Encoding: base64',
    'Content-ID: <x.gif@01>',
    'Content-Disposition: inline; filename="x.gif"; size=6',
    '',
    'R0lGOD',
    '--_004_R_--',
    '',
  ]),
  bodystructure: [
    [
      // "Logo attached.\r\n" (the empty line's CRLF is the delimiter's): 16 octets, 1 line
      ['TEXT', 'PLAIN', ['CHARSET', 'us-ascii'], null, null, '7BIT', 16, 1, ...NO_EXT],
      ['TEXT', 'HTML', ['CHARSET', 'us-ascii'], null, null, '7BIT', 13, 1, ...NO_EXT], // "<p>Logo</p>\r\n"
      'ALTERNATIVE',
      ['BOUNDARY', '_000_A_'],
      null,
      null,
      null,
    ],
    ['IMAGE', 'GIF', ['NAME', 'x.gif'], '<x.gif@01>', null, 'BASE64', 6, null, ['INLINE', ['FILENAME', 'x.gif', 'SIZE', '6']], null, null],
    'RELATED',
    ['BOUNDARY', '_004_R_', 'TYPE', 'multipart/alternative'],
    null,
    null,
    null,
  ],
  body: [
    [['TEXT', 'PLAIN', ['CHARSET', 'us-ascii'], null, null, '7BIT', 16, 1], ['TEXT', 'HTML', ['CHARSET', 'us-ascii'], null, null, '7BIT', 13, 1], 'ALTERNATIVE'],
    ['IMAGE', 'GIF', ['NAME', 'x.gif'], '<x.gif@01>', null, 'BASE64', 6],
    'RELATED',
  ],
  envelope: [
    null,
    'logo',
    [addr('Smith, Ann', 'ann', 'example.com')],
    [addr('Smith, Ann', 'ann', 'example.com')],
    [addr('Smith, Ann', 'ann', 'example.com')],
    [addr(null, 'team', 'example.com')],
    null,
    null,
    null,
    null,
  ],
};

const erin = addr('Erin', 'erin', 'example.com');
const frank = addr(null, 'frank', 'example.com');

// A forward: part 2 a message/rfc822 with its own multipart body, part 3 a simple one.
export const forwarded: CorpusEntry = {
  name: 'message/rfc822 attachments, one with its own multipart body',
  raw: message([
    'From: carol@example.org',
    'To: dave@example.net',
    'Subject: Fwd: plans',
    'Date: Wed, 03 Jan 2024 09:00:00 +0100',
    'Message-ID: <fwd@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary=outer',
    '',
    '--outer',
    'Content-Type: text/plain',
    '',
    'See below.',
    '--outer',
    'Content-Type: message/rfc822',
    'Content-Disposition: attachment; filename="plans.eml"',
    '',
    'From: Erin <erin@example.com>', //                                 29 + 2 = 31
    'To: carol@example.org', //                                         21 + 2 = 23 (54)
    'Subject: plans', //                                                14 + 2 = 16 (70)
    'Date: Tue, 02 Jan 2024 18:00:00 +0000', //                         37 + 2 = 39 (109)
    'Message-ID: <plans@example.com>', //                               31 + 2 = 33 (142)
    'In-Reply-To: <earlier@example.org>', //                            34 + 2 = 36 (178)
    'MIME-Version: 1.0', //                                             17 + 2 = 19 (197)
    'Content-Type: multipart/alternative; boundary=inner', //           51 + 2 = 53 (250)
    '', //                                                                       2 (252 = header)
    '--inner', //                                                        7 + 2 =  9 (261)
    'Content-Type: text/plain; charset=us-ascii', //                    42 + 2 = 44 (305)
    '', //                                                                       2 (307)
    "Let's go.", //                                                      9 + 2 = 11 (318)
    '--inner', //                                                                9 (327)
    'Content-Type: text/html; charset=us-ascii', //                     41 + 2 = 43 (370)
    '', //                                                                       2 (372)
    "<b>Let's go.</b>", //                                              16 + 2 = 18 (390)
    '--inner--', //                        9, its CRLF is the next delimiter's (399, 17 lines)
    '--outer',
    'Content-Type: message/rfc822',
    '',
    'From: frank@example.com', //                                       23 + 2 = 25
    'Subject: note', //                                                 13 + 2 = 15 (40)
    '', //                                                                       2 (42)
    'Just a note.', //                                                          12 (54, 3 lines)
    '--outer--',
    '',
  ]),
  bodystructure: [
    ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 10, 0, ...NO_EXT],
    [
      'MESSAGE',
      'RFC822',
      null,
      null,
      null,
      '7BIT',
      399,
      [
        'Tue, 02 Jan 2024 18:00:00 +0000',
        'plans',
        [erin],
        [erin],
        [erin],
        [addr(null, 'carol', 'example.org')],
        null,
        null,
        '<earlier@example.org>',
        '<plans@example.com>',
      ],
      [
        ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 9, 0, ...NO_EXT],
        ['TEXT', 'HTML', usAscii, null, null, '7BIT', 16, 0, ...NO_EXT],
        'ALTERNATIVE',
        ['BOUNDARY', 'inner'],
        null,
        null,
        null,
      ],
      17,
      null,
      ['ATTACHMENT', ['FILENAME', 'plans.eml']],
      null,
      null,
    ],
    [
      'MESSAGE',
      'RFC822',
      null,
      null,
      null,
      '7BIT',
      54,
      [null, 'note', [frank], [frank], [frank], null, null, null, null, null],
      ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 12, 0, ...NO_EXT],
      3,
      ...NO_EXT,
    ],
    'MIXED',
    ['BOUNDARY', 'outer'],
    null,
    null,
    null,
  ],
  body: [
    ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 10, 0],
    [
      'MESSAGE',
      'RFC822',
      null,
      null,
      null,
      '7BIT',
      399,
      [
        'Tue, 02 Jan 2024 18:00:00 +0000',
        'plans',
        [erin],
        [erin],
        [erin],
        [addr(null, 'carol', 'example.org')],
        null,
        null,
        '<earlier@example.org>',
        '<plans@example.com>',
      ],
      [['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 9, 0], ['TEXT', 'HTML', usAscii, null, null, '7BIT', 16, 0], 'ALTERNATIVE'],
      17,
    ],
    [
      'MESSAGE',
      'RFC822',
      null,
      null,
      null,
      '7BIT',
      54,
      [null, 'note', [frank], [frank], [frank], null, null, null, null, null],
      ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 12, 0],
      3,
    ],
    'MIXED',
  ],
  envelope: [
    'Wed, 03 Jan 2024 09:00:00 +0100',
    'Fwd: plans',
    [addr(null, 'carol', 'example.org')],
    [addr(null, 'carol', 'example.org')],
    [addr(null, 'carol', 'example.org')],
    [addr(null, 'dave', 'example.net')],
    null,
    null,
    null,
    '<fwd@example.org>',
  ],
};

const andre = addr('André Pirard', 'pirard', 'example.be');

const encodedWords: CorpusEntry = {
  name: 'RFC 2047 encoded subject and names',
  raw: message([
    'From: =?UTF-8?Q?Andr=C3=A9_Pirard?= <pirard@example.be>',
    'To: =?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@example.dk>, "=?UTF-8?B?5bGx55Sw?=" <yamada@example.jp>',
    'Cc: Team: =?UTF-8?Q?Zo=C3=AB?= <zoe@example.com>, ann@example.com;',
    'Subject: =?UTF-8?Q?Caf=C3=A9?= =?UTF-8?Q?_menu?=',
    'Date: Thu, 04 Jan 2024 12:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Café',
    '',
  ]),
  // "Café\r\n": é is 2 octets in UTF-8, so 5 + 2 = 7 octets, 1 line
  bodystructure: ['TEXT', 'PLAIN', ['CHARSET', 'utf-8'], null, null, '8BIT', 7, 1, ...NO_EXT],
  body: ['TEXT', 'PLAIN', ['CHARSET', 'utf-8'], null, null, '8BIT', 7, 1],
  envelope: [
    'Thu, 04 Jan 2024 12:00:00 +0000',
    // Subject as written: clients decode RFC 2047 themselves (Dovecot, Cyrus and Gmail send it so).
    '=?UTF-8?Q?Caf=C3=A9?= =?UTF-8?Q?_menu?=',
    [andre],
    [andre],
    [andre],
    // The second name is an encoded-word inside quotes, which RFC 2047 §5 forbids but mailers
    // send; it is decoded all the same, as clients do.
    [addr('Keld Jørn Simonsen', 'keld', 'example.dk'), addr('山田', 'yamada', 'example.jp')],
    // A group: start marker, members, end marker (RFC 3501 §7.4.2).
    [[null, null, 'Team', null], addr('Zoë', 'zoe', 'example.com'), addr(null, 'ann', 'example.com'), [null, null, null, null]],
    null,
    null,
    null,
  ],
};

const rfc2231: CorpusEntry = {
  name: 'RFC 2231 parameters: charset, language and continuations',
  raw: message([
    'From: a@example.com',
    'Subject: rates',
    'Content-Type: multipart/mixed; boundary=XX',
    '',
    '--XX',
    'Content-Type: application/pdf;',
    " name*0*=utf-8''%E2%82%AC%20rates%20;",
    ' name*1="for 2024.pdf"',
    'Content-Disposition: attachment;',
    " filename*0*=utf-8''%E2%82%AC%20rates%20;",
    ' filename*1="for 2024.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    'JVBERi0=',
    '--XX',
    "Content-Type: text/plain; name*=iso-8859-1'fr'%E9t%E9.txt",
    "Content-Disposition: attachment; filename*=iso-8859-1'fr'%E9t%E9.txt",
    '',
    'summer',
    '--XX--',
    '',
  ]),
  bodystructure: [
    ['APPLICATION', 'PDF', ['NAME', '€ rates for 2024.pdf'], null, null, 'BASE64', 8, null, ['ATTACHMENT', ['FILENAME', '€ rates for 2024.pdf']], null, null],
    // No charset given: us-ascii is added after the parameters that were.
    ['TEXT', 'PLAIN', ['NAME', 'été.txt', 'CHARSET', 'us-ascii'], null, null, '7BIT', 6, 0, null, ['ATTACHMENT', ['FILENAME', 'été.txt']], null, null],
    'MIXED',
    ['BOUNDARY', 'XX'],
    null,
    null,
    null,
  ],
  body: [
    ['APPLICATION', 'PDF', ['NAME', '€ rates for 2024.pdf'], null, null, 'BASE64', 8],
    ['TEXT', 'PLAIN', ['NAME', 'été.txt', 'CHARSET', 'us-ascii'], null, null, '7BIT', 6, 0],
    'MIXED',
  ],
  envelope: [
    null,
    'rates',
    [addr(null, 'a', 'example.com')],
    [addr(null, 'a', 'example.com')],
    [addr(null, 'a', 'example.com')],
    null,
    null,
    null,
    null,
    null,
  ],
};

const jorg = addr('Jörg Müller', 'jörg', 'bücher.example');

const utf8Headers: CorpusEntry = {
  name: 'raw 8-bit UTF-8 headers (RFC 6532)',
  raw: message([
    'From: Jörg Müller <jörg@bücher.example>',
    'To: 李 <li@例子.测试>',
    'Subject: Grüße aus Köln',
    'Date: Fri, 05 Jan 2024 08:00:00 +0100',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Hallo',
    '',
  ]),
  bodystructure: ['TEXT', 'PLAIN', ['CHARSET', 'utf-8'], null, null, '8BIT', 7, 1, ...NO_EXT],
  body: ['TEXT', 'PLAIN', ['CHARSET', 'utf-8'], null, null, '8BIT', 7, 1],
  envelope: ['Fri, 05 Jan 2024 08:00:00 +0100', 'Grüße aus Köln', [jorg], [jorg], [jorg], [addr('李', 'li', '例子.测试')], null, null, null, null],
};

const missingClose: CorpusEntry = {
  name: 'multipart whose closing delimiter is missing',
  raw: message([
    'From: a@example.com',
    'Subject: cut',
    'Content-Type: multipart/mixed; boundary=CUT',
    '',
    '--CUT',
    'Content-Type: text/plain',
    '',
    'first',
    '--CUT',
    'Content-Type: text/plain',
    '',
    'second, and then the message ends',
    '',
  ]),
  // The last part runs to the end of the message: 33 + 2 = 35 octets, 1 line. (Dovecot: the same.)
  bodystructure: [
    ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 5, 0, ...NO_EXT],
    ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 35, 1, ...NO_EXT],
    'MIXED',
    ['BOUNDARY', 'CUT'],
    null,
    null,
    null,
  ],
  body: [['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 5, 0], ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 35, 1], 'MIXED'],
  envelope: [null, 'cut', [addr(null, 'a', 'example.com')], [addr(null, 'a', 'example.com')], [addr(null, 'a', 'example.com')], null, null, null, null, null],
};

// Two readings: Dovecot keeps the multipart and invents one empty part,
//   (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "never") NIL NIL NIL)
// which hides the whole body from the client and disagrees with BODY[1]. Here the part is one
// text/plain leaf (RFC 2045 §5.2's reading for what cannot be read as declared), so the client
// sees the body as it is and BODY[1] returns exactly that.
const boundaryNeverOccurs: CorpusEntry = {
  name: 'multipart whose boundary never occurs',
  raw: message([
    'From: a@example.com',
    'Subject: nothing splits',
    'Content-Type: multipart/mixed; boundary="never"',
    '',
    '--other', //                     7 + 2 =  9
    'Content-Type: text/plain', //   24 + 2 = 26 (35)
    '', //                                    2 (37)
    'text', //                        4 + 2 =  6 (43)
    '--other--', //                   9 + 2 = 11 (54, 5 lines)
    '',
  ]),
  bodystructure: ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 54, 5, ...NO_EXT],
  body: ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 54, 5],
  envelope: [
    null,
    'nothing splits',
    [addr(null, 'a', 'example.com')],
    [addr(null, 'a', 'example.com')],
    [addr(null, 'a', 'example.com')],
    null,
    null,
    null,
    null,
    null,
  ],
};

const noBoundaryParameter: CorpusEntry = {
  name: 'multipart without a boundary parameter',
  raw: message(['Content-Type: multipart/mixed', '', '--x', 'hello', '']),
  // Same reading as above; body "--x\r\nhello\r\n" = 12 octets, 2 lines.
  bodystructure: ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 12, 2, ...NO_EXT],
  body: ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 12, 2],
  envelope: [null, null, null, null, null, null, null, null, null, null],
};

const digest: CorpusEntry = {
  name: 'multipart/digest: parts without Content-Type are message/rfc822',
  raw: message([
    'From: list@example.org',
    'Subject: digest',
    'Content-Type: multipart/digest; boundary=D',
    '',
    '--D',
    '',
    'From: one@example.org', //  21 + 2 = 23
    'Subject: first', //         14 + 2 = 16 (39)
    '', //                               2 (41)
    'one', //                            3 (44, 3 lines)
    '--D',
    'Content-Type: text/plain',
    '',
    'not a message',
    '--D--',
    '',
  ]),
  bodystructure: [
    [
      'MESSAGE',
      'RFC822',
      null,
      null,
      null,
      '7BIT',
      44,
      [null, 'first', [addr(null, 'one', 'example.org')], [addr(null, 'one', 'example.org')], [addr(null, 'one', 'example.org')], null, null, null, null, null],
      ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 3, 0, ...NO_EXT],
      3,
      ...NO_EXT,
    ],
    ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 13, 0, ...NO_EXT],
    'DIGEST',
    ['BOUNDARY', 'D'],
    null,
    null,
    null,
  ],
  body: [
    [
      'MESSAGE',
      'RFC822',
      null,
      null,
      null,
      '7BIT',
      44,
      [null, 'first', [addr(null, 'one', 'example.org')], [addr(null, 'one', 'example.org')], [addr(null, 'one', 'example.org')], null, null, null, null, null],
      ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 3, 0],
      3,
    ],
    ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 13, 0],
    'DIGEST',
  ],
  envelope: [
    null,
    'digest',
    [addr(null, 'list', 'example.org')],
    [addr(null, 'list', 'example.org')],
    [addr(null, 'list', 'example.org')],
    null,
    null,
    null,
    null,
    null,
  ],
};

const empty: CorpusEntry = {
  name: 'an empty message',
  raw: Buffer.alloc(0),
  bodystructure: ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 0, 0, ...NO_EXT],
  body: ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 0, 0],
  envelope: [null, null, null, null, null, null, null, null, null, null],
};

const headerOnly: CorpusEntry = {
  name: 'a header with no body and no empty line',
  raw: message(['From: a@example.com', 'Subject: lonely', '']),
  bodystructure: ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 0, 0, ...NO_EXT],
  body: ['TEXT', 'PLAIN', usAscii, null, null, '7BIT', 0, 0],
  envelope: [null, 'lonely', [addr(null, 'a', 'example.com')], [addr(null, 'a', 'example.com')], [addr(null, 'a', 'example.com')], null, null, null, null, null],
};

/** The same message with bare LF line ends: sizes shrink by one octet per line, lines stay. */
const nestedLf: CorpusEntry = {
  name: 'nested multipart with bare LF line ends',
  raw: Buffer.from(nested.raw.toString('utf8').replace(/\r\n/g, '\n'), 'utf8'),
  bodystructure: [
    [
      ['TEXT', 'PLAIN', ['CHARSET', 'utf-8'], null, null, '7BIT', 6, 0, ...NO_EXT],
      [
        ['TEXT', 'HTML', ['CHARSET', 'utf-8'], null, null, '7BIT', 20, 0, ...NO_EXT],
        ['IMAGE', 'PNG', ['NAME', 'logo.png'], '<logo>', null, 'BASE64', 12, null, ['INLINE', ['FILENAME', 'logo.png']], null, null],
        'RELATED',
        ['BOUNDARY', 'rel'],
        null,
        null,
        null,
      ],
      'ALTERNATIVE',
      ['BOUNDARY', 'alt'],
      null,
      null,
      null,
    ],
    ['APPLICATION', 'PDF', ['NAME', 'report.pdf'], null, 'Q1 report', 'BASE64', 12, null, ['ATTACHMENT', ['FILENAME', 'report.pdf']], null, null],
    // "Gr=FC=DFe,\nAnna": 15 octets (16 with CRLF), 1 line
    ['TEXT', 'PLAIN', ['CHARSET', 'iso-8859-1', 'NAME', 'notes.txt'], null, null, 'QUOTED-PRINTABLE', 15, 1, null, ['ATTACHMENT', ['FILENAME', 'notes.txt']], ['de'], null],
    'MIXED',
    ['BOUNDARY', 'mixed'],
    null,
    null,
    null,
  ],
  body: [
    [
      ['TEXT', 'PLAIN', ['CHARSET', 'utf-8'], null, null, '7BIT', 6, 0],
      [['TEXT', 'HTML', ['CHARSET', 'utf-8'], null, null, '7BIT', 20, 0], ['IMAGE', 'PNG', ['NAME', 'logo.png'], '<logo>', null, 'BASE64', 12], 'RELATED'],
      'ALTERNATIVE',
    ],
    ['APPLICATION', 'PDF', ['NAME', 'report.pdf'], null, 'Q1 report', 'BASE64', 12],
    ['TEXT', 'PLAIN', ['CHARSET', 'iso-8859-1', 'NAME', 'notes.txt'], null, null, 'QUOTED-PRINTABLE', 15, 1],
    'MIXED',
  ],
  envelope: nested.envelope,
};

export const corpus: CorpusEntry[] = [
  simple,
  noContentType,
  nested,
  outlook,
  forwarded,
  encodedWords,
  rfc2231,
  utf8Headers,
  missingClose,
  boundaryNeverOccurs,
  noBoundaryParameter,
  digest,
  empty,
  headerOnly,
  nestedLf,
];
