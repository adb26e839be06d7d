// Cross-checks against Dovecot: the message and expected strings of Dovecot's own unit test
// (src/lib-imap/test-imap-bodystructure.c) and of imaptest's fetch-envelope script. Dovecot keeps
// the header's case where we upper-case names, so the comparison ignores case; Dovecot reports
// sizes as if every line ended in CRLF, so its message is compared in CRLF form.
import { describe, expect, it } from 'vitest';
import { parseMimeTree } from '../../../src/mail/mime/parse.js';
import { bodyStructure, envelope } from '../../../src/mail/mime/structure.js';
import { normalizeTranscript, wire } from './helpers.js';

const dovecotMessage = [
  'From: user@domain.org',
  'Date: Sat, 24 Mar 2007 23:00:00 +0200',
  'Mime-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="foo',
  ' bar"',
  '',
  'Root MIME prologue',
  '',
  '--foo bar',
  'Content-Type: text/x-myown; charset=us-ascii; foo="quoted\\"string"',
  'Content-ID: <foo@example.com>',
  'Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==',
  'Content-Disposition: inline; foo=bar',
  'Content-Description: hellodescription',
  'Content-Language: en, fi, se',
  'Content-Location: http://example.com/test.txt',
  '',
  'hello',
  '',
  '--foo bar',
  'Content-Type: message/rfc822',
  '',
  'From: sub@domain.org',
  'To: sub-to1@domain.org, sub-to2@domain.org',
  'Date: Sun, 12 Aug 2012 12:34:56 +0300',
  'Subject: submsg',
  'Content-Type: multipart/alternative; boundary="sub1"',
  '',
  'Sub MIME prologue',
  '--sub1',
  'Content-Type: text/html',
  'Content-Transfer-Encoding: 8bit',
  '',
  '<p>Hello world</p>',
  '',
  '--sub1',
  'Content-Type: text/plain',
  'Content-Transfer-Encoding: ?invalid',
  '',
  'Hello another world',
  '',
  '--sub1--',
  'Sub MIME epilogue',
  '',
  '--foo bar--',
  'Root MIME epilogue',
  '',
];

const dovecotBodystructure =
  '("text" "x-myown" ("charset" "us-ascii" "foo" "quoted\\"string") "<foo@example.com>" "hellodescription" "7bit" 7 1 "Q2hlY2sgSW50ZWdyaXR5IQ==" ("inline" ("foo" "bar")) ("en" "fi" "se") "http://example.com/test.txt")' +
  '("message" "rfc822" NIL NIL NIL "7bit" 412 ("Sun, 12 Aug 2012 12:34:56 +0300" "submsg" ((NIL NIL "sub" "domain.org")) ((NIL NIL "sub" "domain.org")) ((NIL NIL "sub" "domain.org")) ((NIL NIL "sub-to1" "domain.org")(NIL NIL "sub-to2" "domain.org")) NIL NIL NIL NIL) ' +
  '(("text" "html" ("charset" "us-ascii") NIL NIL "8bit" 20 1 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 21 1 NIL NIL NIL NIL) "alternative" ("boundary" "sub1") NIL NIL NIL) 21 NIL NIL NIL NIL) ' +
  '"mixed" ("boundary" "foo bar") NIL NIL NIL';

const dovecotBody =
  '("text" "x-myown" ("charset" "us-ascii" "foo" "quoted\\"string") "<foo@example.com>" "hellodescription" "7bit" 7 1)' +
  '("message" "rfc822" NIL NIL NIL "7bit" 412 ("Sun, 12 Aug 2012 12:34:56 +0300" "submsg" ((NIL NIL "sub" "domain.org")) ((NIL NIL "sub" "domain.org")) ((NIL NIL "sub" "domain.org")) ((NIL NIL "sub-to1" "domain.org")(NIL NIL "sub-to2" "domain.org")) NIL NIL NIL NIL) ' +
  '(("text" "html" ("charset" "us-ascii") NIL NIL "8bit" 20 1)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 21 1) "alternative") 21) "mixed"';

/** Our value on the wire, without the outer parentheses the FETCH item adds, lower case. */
const asDovecot = (text: string) => normalizeTranscript(text).toLowerCase();
const ours = (value: ReturnType<typeof bodyStructure>) => asDovecot(wire(value).slice(1, -1));

describe("Dovecot's bodystructure unit test message", () => {
  const crlf = Buffer.from(dovecotMessage.join('\r\n'), 'utf8');
  const lf = Buffer.from(dovecotMessage.join('\n'), 'utf8');

  it('BODYSTRUCTURE equals Dovecot’s but for case (CRLF form)', () => {
    expect(ours(bodyStructure(crlf, parseMimeTree(crlf), true))).toBe(asDovecot(dovecotBodystructure));
  });

  it('BODY equals Dovecot’s but for case (CRLF form)', () => {
    expect(ours(bodyStructure(crlf, parseMimeTree(crlf), false))).toBe(asDovecot(dovecotBody));
  });

  it('in LF form the sizes are the octets stored; line counts do not change', () => {
    // text/x-myown "hello\n" 6; message/rfc822 412 - 21 lines = 391; html 19; plain 20.
    const expected = asDovecot(dovecotBodystructure).replace('"7bit" 7 1', '"7bit" 6 1').replace('"7bit" 412', '"7bit" 391').replace('"8bit" 20 1', '"8bit" 19 1').replace('"7bit" 21 1', '"7bit" 20 1');
    expect(ours(bodyStructure(lf, parseMimeTree(lf), true))).toBe(expected);
  });
});

// imaptest src/tests/fetch-envelope(.mbox): each message and the ENVELOPE Dovecot answers.
const imaptestEnvelopes: [string[], string][] = [
  [
    [
      'Message-ID: <msg@id>',
      'In-Reply-To: <reply@to.id>',
      'Date: Sat, 01 Feb 2007 01:02:03 +0200',
      'Subject: subject header',
      'From: From Real <fromuser@fromdomain.org>',
      'To: To Real <touser@todomain.org>',
      'Cc: Cc Real <ccuser@ccdomain.org>',
      'Bcc: Bcc Real <bccuser@bccdomain.org>',
      'Sender: Sender Real <senderuser@senderdomain.org>',
      'Reply-To: ReplyTo Real <replytouser@replytodomain.org>',
    ],
    '("Sat, 01 Feb 2007 01:02:03 +0200" "subject header" (("From Real" NIL "fromuser" "fromdomain.org")) (("Sender Real" NIL "senderuser" "senderdomain.org")) (("ReplyTo Real" NIL "replytouser" "replytodomain.org")) (("To Real" NIL "touser" "todomain.org")) (("Cc Real" NIL "ccuser" "ccdomain.org")) (("Bcc Real" NIL "bccuser" "bccdomain.org")) "<reply@to.id>" "<msg@id>")',
  ],
  [
    ['Date: Sat, 01 Feb 2007 01:02:03 +0200', 'From: user@domain'],
    '("Sat, 01 Feb 2007 01:02:03 +0200" NIL ((NIL NIL "user" "domain")) ((NIL NIL "user" "domain")) ((NIL NIL "user" "domain")) NIL NIL NIL NIL NIL)',
  ],
  [
    ['Date: Sat, 01 Feb 2007 01:02:03 +0200', 'From: user@domain (Real Name)', 'To: group: g1@d1.org, g2@d2.org;, group2: g3@d3.org;'],
    '("Sat, 01 Feb 2007 01:02:03 +0200" NIL (("Real Name" NIL "user" "domain")) (("Real Name" NIL "user" "domain")) (("Real Name" NIL "user" "domain")) ((NIL NIL "group" NIL) (NIL NIL "g1" "d1.org") (NIL NIL "g2" "d2.org") (NIL NIL NIL NIL) (NIL NIL "group2" NIL) (NIL NIL "g3" "d3.org") (NIL NIL NIL NIL)) NIL NIL NIL NIL)',
  ],
  [
    // Present but empty Sender and Reply-To are set to From as well (RFC 3501 §7.4.2).
    ['Date: Sat, 01 Feb 2007 01:02:03 +0200', 'From: user@domain (Real Name)', 'Sender: ', 'Reply-To: '],
    '("Sat, 01 Feb 2007 01:02:03 +0200" NIL (("Real Name" NIL "user" "domain")) (("Real Name" NIL "user" "domain")) (("Real Name" NIL "user" "domain")) NIL NIL NIL NIL NIL)',
  ],
];

describe('imaptest fetch-envelope', () => {
  imaptestEnvelopes.forEach(([header, expected], i) => {
    it(`message ${i + 1} gives Dovecot's ENVELOPE`, () => {
      const raw = Buffer.from([...header, '', 'body', ''].join('\n'), 'utf8');
      expect(wire(envelope(raw, parseMimeTree(raw)))).toBe(expected);
    });
  });

  it('drops the obsolete source route that Dovecot keeps as adl', () => {
    // Dovecot: ((NIL "@route" "user" "domain")). addressparser, which reads every address field
    // here, discards routes (RFC 5322 §4.4 obs-route; senders must not generate them).
    const raw = Buffer.from('Date: Sat, 01 Feb 2007 01:02:03 +0200\nFrom: <@route:user@domain>\n\nbody\n', 'utf8');
    expect(wire(envelope(raw, parseMimeTree(raw)))).toBe(
      '("Sat, 01 Feb 2007 01:02:03 +0200" NIL ((NIL NIL "user" "domain")) ((NIL NIL "user" "domain")) ((NIL NIL "user" "domain")) NIL NIL NIL NIL NIL)',
    );
  });
});
