// FETCH and UID FETCH — RFC 3501 §6.4.5, §6.4.8, §7.4.2: message data by sequence number or
// UID, items in the order asked. Body sections: [] [HEADER] [HEADER.FIELDS (…)]
// [HEADER.FIELDS.NOT (…)] [TEXT], part numbers into nested multiparts and through
// message/rfc822 parts, [n.MIME], and a partial <origin.length> answered as BODY[…]<origin>
// (an origin past the end gives ""). A BODY[…] or RFC822/RFC822.TEXT fetch sets \Seen and
// reports the new flags; BODY.PEEK, RFC822.HEADER and a read-only mailbox do not.
import { describe, expect, it } from 'vitest';
import { NESTED, SIMPLE, append, between, connect, literal, login, ok, world, type World } from '../fixtures/session.js';

const ALICE = '(("Alice Example" NIL "alice" "remote.example"))';
const SALES_ADDR = '((NIL NIL "sales" "agents.example.com"))';
const ENV_SIMPLE = `("Mon, 23 Nov 2026 10:00:00 +0100" "hello" ${ALICE} ${ALICE} ${ALICE} ${SALES_ADDR} NIL NIL NIL "<simple-1@remote.example>")`;
const ENV_NESTED = `("Mon, 23 Nov 2026 10:00:00 +0100" "Quarterly report" ${ALICE} ${ALICE} ${ALICE} ${SALES_ADDR} (("Bob" NIL "bob" "remote.example")) NIL NIL "<nested-1@remote.example>")`;
const CAROL = '(("Carol" NIL "carol" "remote.example"))';
const ENV_INNER = `("Sun, 22 Nov 2026 09:00:00 +0000" "forwarded" ${CAROL} ${CAROL} ${CAROL} ((NIL NIL "alice" "remote.example")) NIL NIL NIL "<inner-1@remote.example>")`;

const SIMPLE_HEADER = SIMPLE.slice(0, SIMPLE.indexOf('\r\n\r\n') + 4);
const SIMPLE_TEXT = SIMPLE.slice(SIMPLE_HEADER.length);
const NESTED_HEADER = NESTED.slice(0, NESTED.indexOf('\r\n\r\n') + 4);
const NESTED_TEXT = NESTED.slice(NESTED_HEADER.length);
/** Part 1 (multipart/alternative): its body, from the first inner delimiter to before the outer one. */
const PART1 = between(NESTED, '--inner\r\nContent-Type: text/plain', '\r\n--outer\r\nContent-Type: message/rfc822');
/** Part 2 (message/rfc822): the whole encapsulated message. */
const PART2 = between(NESTED, 'From: Carol', '\r\n--outer\r\nContent-Type: application/pdf');
const PART2_HEADER = PART2.slice(0, PART2.indexOf('\r\n\r\n') + 4);
const PART2_TEXT = PART2.slice(PART2_HEADER.length);

const BODY_SIMPLE = '("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 24 2)';
const BODYSTRUCTURE_SIMPLE = '("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 24 2 NIL NIL NIL NIL)';
const BODY_NESTED =
  '((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 35 0) ("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 12 0) "ALTERNATIVE") ' +
  `("MESSAGE" "RFC822" NIL NIL NIL "7BIT" ${Buffer.byteLength(PART2)} ${ENV_INNER} ` +
  '(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 21 0) ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 6 0) "MIXED") 18) ' +
  '("APPLICATION" "PDF" ("NAME" "report.pdf") NIL NIL "BASE64" 28) "MIXED")';
const BODYSTRUCTURE_NESTED =
  '((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 35 0 NIL NIL NIL NIL) ("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 12 0 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL NIL) ' +
  `("MESSAGE" "RFC822" NIL NIL NIL "7BIT" ${Buffer.byteLength(PART2)} ${ENV_INNER} ` +
  '(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 21 0 NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 6 0 NIL ("ATTACHMENT" ("FILENAME" "notes.txt")) NIL NIL) "MIXED" ("BOUNDARY" "fwd") NIL NIL NIL) 18 NIL NIL NIL NIL) ' +
  '("APPLICATION" "PDF" ("NAME" "report.pdf") NIL NIL "BASE64" 28 NIL ("ATTACHMENT" ("FILENAME" "report.pdf")) NIL NIL) "MIXED" ("BOUNDARY" "outer") NIL NIL NIL)';

/** 1 = SIMPLE (\Flagged), 2 = NESTED; opened with `open` (SELECT or EXAMINE). */
async function twoMessages(open: 'SELECT' | 'EXAMINE' = 'EXAMINE'): Promise<World> {
  const w = await world();
  await append(w.c, 'INBOX', SIMPLE, { flags: '\\Flagged', date: '23-Nov-2026 09:00:00 +0000' });
  await append(w.c, 'INBOX', NESTED, { date: '24-Nov-2026 09:00:00 +0000' });
  await ok(w.c, `${open} INBOX`);
  return w;
}

describe('FETCH', () => {
  it('FLAGS, INTERNALDATE, RFC822.SIZE, UID and ENVELOPE, in the order asked', async () => {
    const { c } = await twoMessages('SELECT');
    expect(await c.transact('FETCH 1 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)', 'F1')).toEqual({
      untagged: [`* 1 FETCH (UID 1 FLAGS (\\Flagged \\Recent) INTERNALDATE "23-Nov-2026 09:00:00 +0000" RFC822.SIZE ${Buffer.byteLength(SIMPLE)} ENVELOPE ${ENV_SIMPLE})`],
      tagged: 'F1 OK FETCH completed',
    });
    expect(await c.transact('FETCH 2 (ENVELOPE RFC822.SIZE FLAGS)', 'F2')).toEqual({
      untagged: [`* 2 FETCH (ENVELOPE ${ENV_NESTED} RFC822.SIZE ${Buffer.byteLength(NESTED)} FLAGS (\\Recent))`],
      tagged: 'F2 OK FETCH completed',
    });
  });

  it('BODY and BODYSTRUCTURE of a one-part message and of nested multiparts with a message/rfc822 part', async () => {
    const { c } = await twoMessages();
    expect(await c.transact('FETCH 1:2 (BODY BODYSTRUCTURE)', 'F1')).toEqual({
      untagged: [`* 1 FETCH (BODY ${BODY_SIMPLE} BODYSTRUCTURE ${BODYSTRUCTURE_SIMPLE})`, `* 2 FETCH (BODY ${BODY_NESTED} BODYSTRUCTURE ${BODYSTRUCTURE_NESTED})`],
      tagged: 'F1 OK FETCH completed',
    });
  });

  it('BODY[], BODY[HEADER], BODY[TEXT], BODY[HEADER.FIELDS (…)] and BODY[HEADER.FIELDS.NOT (…)]', async () => {
    const { c } = await twoMessages();
    expect(await c.transact('FETCH 1 (BODY[] BODY[HEADER] BODY[TEXT])', 'F1')).toEqual({
      untagged: [`* 1 FETCH (BODY[] ${literal(SIMPLE)} BODY[HEADER] ${literal(SIMPLE_HEADER)} BODY[TEXT] ${literal(SIMPLE_TEXT)})`],
      tagged: 'F1 OK FETCH completed',
    });
    // Fields in message order, each as written, then the blank line; names are case-insensitive.
    expect(await c.transact('FETCH 2 (BODY[HEADER.FIELDS (subject CC "Message-ID")] BODY[HEADER.FIELDS.NOT (From To Cc Subject Date Message-ID)])', 'F2')).toEqual({
      untagged: [
        `* 2 FETCH (BODY[HEADER.FIELDS (SUBJECT CC MESSAGE-ID)] ${literal('Cc: Bob <bob@remote.example>\r\nSubject: Quarterly report\r\nMessage-ID: <nested-1@remote.example>\r\n\r\n')} ` +
          `BODY[HEADER.FIELDS.NOT (FROM TO CC SUBJECT DATE MESSAGE-ID)] ${literal('MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="outer"\r\n\r\n')})`,
      ],
      tagged: 'F2 OK FETCH completed',
    });
    // A field the message does not have: just the blank line.
    expect(await c.transact('FETCH 1 BODY[HEADER.FIELDS (X-Missing)]', 'F3')).toEqual({
      untagged: [`* 1 FETCH (BODY[HEADER.FIELDS (X-MISSING)] ${literal('\r\n')})`],
      tagged: 'F3 OK FETCH completed',
    });
    expect(await c.transact('FETCH 2 (BODY[TEXT])', 'F4')).toEqual({
      untagged: [`* 2 FETCH (BODY[TEXT] ${literal(NESTED_TEXT)})`],
      tagged: 'F4 OK FETCH completed',
    });
  });

  it('part numbers: into nested multiparts, through a message/rfc822 part, and .MIME headers', async () => {
    const { c } = await twoMessages();
    expect(await c.transact('FETCH 2 (BODY[1] BODY[1.1] BODY[1.2] BODY[1.MIME] BODY[1.1.MIME])', 'F1')).toEqual({
      untagged: [
        `* 2 FETCH (BODY[1] ${literal(PART1)} BODY[1.1] "Hello, the r=C3=A9port is attached." BODY[1.2] "<p>Hello</p>" ` +
          `BODY[1.MIME] ${literal('Content-Type: multipart/alternative; boundary="inner"\r\n\r\n')} ` +
          `BODY[1.1.MIME] ${literal('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n')})`,
      ],
      tagged: 'F1 OK FETCH completed',
    });
    expect(await c.transact('FETCH 2 (BODY[2] BODY[2.MIME] BODY[2.HEADER] BODY[2.TEXT] BODY[2.HEADER.FIELDS (SUBJECT)])', 'F2')).toEqual({
      untagged: [
        `* 2 FETCH (BODY[2] ${literal(PART2)} BODY[2.MIME] ${literal('Content-Type: message/rfc822\r\n\r\n')} ` +
          `BODY[2.HEADER] ${literal(PART2_HEADER)} BODY[2.TEXT] ${literal(PART2_TEXT)} BODY[2.HEADER.FIELDS (SUBJECT)] ${literal('Subject: forwarded\r\n\r\n')})`,
      ],
      tagged: 'F2 OK FETCH completed',
    });
    expect(await c.transact('FETCH 2 (BODY[2.1] BODY[2.2] BODY[2.2.MIME] BODY[3] BODY[3.MIME])', 'F3')).toEqual({
      untagged: [
        '* 2 FETCH (BODY[2.1] "First forwarded part." BODY[2.2] "Notes." ' +
          `BODY[2.2.MIME] ${literal('Content-Type: text/plain; charset=us-ascii\r\nContent-Disposition: attachment; filename="notes.txt"\r\n\r\n')} ` +
          'BODY[3] "JVBERi0xLjQgcHJldGVuZCBwZGY=" ' +
          `BODY[3.MIME] ${literal('Content-Type: application/pdf; name="report.pdf"\r\nContent-Disposition: attachment; filename="report.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n')})`,
      ],
      tagged: 'F3 OK FETCH completed',
    });
    // A message that is not multipart has one part: its body.
    expect(await c.transact('FETCH 1 BODY[1]', 'F4')).toEqual({ untagged: [`* 1 FETCH (BODY[1] ${literal(SIMPLE_TEXT)})`], tagged: 'F4 OK FETCH completed' });
    // Parts that do not exist come back empty.
    expect(await c.transact('FETCH 2 (BODY[4] BODY[2.3] BODY[3.1])', 'F5')).toEqual({
      untagged: ['* 2 FETCH (BODY[4] "" BODY[2.3] "" BODY[3.1] "")'],
      tagged: 'F5 OK FETCH completed',
    });
  });

  it('partial fetches <origin.length>: answered as <origin>, cut at the end, "" past it', async () => {
    const { c } = await twoMessages();
    const size = Buffer.byteLength(SIMPLE);
    expect(await c.transact(`FETCH 1 (BODY[]<0.20> BODY.PEEK[TEXT]<6.100> BODY[]<${size - 4}.100> BODY[]<${size}.10> BODY[]<5000.10>)`, 'F1')).toEqual({
      untagged: [
        `* 1 FETCH (BODY[]<0> "From: \\"Alice Example" BODY[TEXT]<6> ${literal(SIMPLE_TEXT.slice(6))} BODY[]<${size - 4}> ${literal(SIMPLE.slice(-4))} ` +
          `BODY[]<${size}> "" BODY[]<5000> "")`,
      ],
      tagged: 'F1 OK FETCH completed',
    });
    expect(await c.transact('FETCH 2 (BODY[1.1]<11.8> BODY[2.HEADER]<0.5> BODY[TEXT]<10.30>)', 'F2')).toEqual({
      untagged: ['* 2 FETCH (BODY[1.1]<11> "r=C3=A9p" BODY[2.HEADER]<0> "From:" BODY[TEXT]<10> "multi-part message in MIME for")'],
      tagged: 'F2 OK FETCH completed',
    });
  });

  it('RFC822, RFC822.HEADER and RFC822.TEXT; the macros ALL, FAST and FULL', async () => {
    const { c } = await twoMessages();
    expect(await c.transact('FETCH 1 (RFC822.HEADER RFC822.TEXT RFC822)', 'F1')).toEqual({
      untagged: [`* 1 FETCH (RFC822.HEADER ${literal(SIMPLE_HEADER)} RFC822.TEXT ${literal(SIMPLE_TEXT)} RFC822 ${literal(SIMPLE)})`],
      tagged: 'F1 OK FETCH completed',
    });
    const fast = `FLAGS (\\Flagged \\Recent) INTERNALDATE "23-Nov-2026 09:00:00 +0000" RFC822.SIZE ${Buffer.byteLength(SIMPLE)}`;
    expect(await c.transact('FETCH 1 FAST', 'F2')).toEqual({ untagged: [`* 1 FETCH (${fast})`], tagged: 'F2 OK FETCH completed' });
    expect(await c.transact('FETCH 1 ALL', 'F3')).toEqual({ untagged: [`* 1 FETCH (${fast} ENVELOPE ${ENV_SIMPLE})`], tagged: 'F3 OK FETCH completed' });
    expect(await c.transact('FETCH 1 full', 'F4')).toEqual({
      untagged: [`* 1 FETCH (${fast} ENVELOPE ${ENV_SIMPLE} BODY ${BODY_SIMPLE})`],
      tagged: 'F4 OK FETCH completed',
    });
  });

  it('sequence sets: lists, reversed ranges, "*"', async () => {
    const { c } = await twoMessages();
    await append(c, 'INBOX', SIMPLE, { date: '25-Nov-2026 09:00:00 +0000' });
    await ok(c, 'EXAMINE INBOX');
    expect(await c.transact('FETCH 1,3 UID', 'F1')).toEqual({ untagged: ['* 1 FETCH (UID 1)', '* 3 FETCH (UID 3)'], tagged: 'F1 OK FETCH completed' });
    expect(await c.transact('FETCH 3:2 UID', 'F2')).toEqual({ untagged: ['* 2 FETCH (UID 2)', '* 3 FETCH (UID 3)'], tagged: 'F2 OK FETCH completed' });
    expect(await c.transact('FETCH * UID', 'F3')).toEqual({ untagged: ['* 3 FETCH (UID 3)'], tagged: 'F3 OK FETCH completed' });
    expect(await c.transact('FETCH 2:* UID', 'F4')).toEqual({ untagged: ['* 2 FETCH (UID 2)', '* 3 FETCH (UID 3)'], tagged: 'F4 OK FETCH completed' });
    expect(await c.transact('FETCH 1:2,2:3 UID', 'F5')).toEqual({
      untagged: ['* 1 FETCH (UID 1)', '* 2 FETCH (UID 2)', '* 3 FETCH (UID 3)'],
      tagged: 'F5 OK FETCH completed',
    });
  });

  it('a body fetch sets \\Seen and reports it; PEEK and RFC822.HEADER do not; another session is told', async () => {
    const { g, c } = await twoMessages('SELECT');
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    expect(await c.transact('FETCH 1 (BODY.PEEK[TEXT] RFC822.HEADER)', 'F1')).toEqual({
      untagged: [`* 1 FETCH (BODY[TEXT] ${literal(SIMPLE_TEXT)} RFC822.HEADER ${literal(SIMPLE_HEADER)})`],
      tagged: 'F1 OK FETCH completed',
    });
    expect(await c.transact('FETCH 1 FLAGS', 'F2')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Flagged \\Recent))'], tagged: 'F2 OK FETCH completed' });
    expect(await c.transact('FETCH 1 BODY[TEXT]', 'F3')).toEqual({
      untagged: [`* 1 FETCH (BODY[TEXT] ${literal(SIMPLE_TEXT)} FLAGS (\\Seen \\Flagged \\Recent))`],
      tagged: 'F3 OK FETCH completed',
    });
    // Already \Seen: nothing changes, so no FLAGS is added.
    expect(await c.transact('FETCH 1 BODY[TEXT]', 'F4')).toEqual({ untagged: [`* 1 FETCH (BODY[TEXT] ${literal(SIMPLE_TEXT)})`], tagged: 'F4 OK FETCH completed' });
    expect(await c.transact('FETCH 2 (FLAGS RFC822.TEXT)', 'F5')).toEqual({
      untagged: [`* 2 FETCH (FLAGS (\\Seen \\Recent) RFC822.TEXT ${literal(NESTED_TEXT)})`],
      tagged: 'F5 OK FETCH completed',
    });
    expect(await other.transact('NOOP', 'F6')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Seen \\Flagged))', '* 2 FETCH (FLAGS (\\Seen))'],
      tagged: 'F6 OK NOOP completed',
    });
  });

  it('in a mailbox opened with EXAMINE, a body fetch does not set \\Seen', async () => {
    const { g, c } = await twoMessages('EXAMINE');
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    expect(await c.transact('FETCH 1 (BODY[TEXT] RFC822.TEXT)', 'F1')).toEqual({
      untagged: [`* 1 FETCH (BODY[TEXT] ${literal(SIMPLE_TEXT)} RFC822.TEXT ${literal(SIMPLE_TEXT)})`],
      tagged: 'F1 OK FETCH completed',
    });
    expect(await c.transact('FETCH 1 FLAGS', 'F2')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Flagged \\Recent))'], tagged: 'F2 OK FETCH completed' });
    expect(await other.transact('NOOP', 'F3')).toEqual({ untagged: [], tagged: 'F3 OK NOOP completed' });
  });

  it('bad requests: BAD, and the session goes on', async () => {
    const { c } = await twoMessages();
    const bad = (tag: string, text: string) => ({ untagged: [], tagged: `${tag} BAD ${text}` });
    expect(await c.transact('FETCH 3 FLAGS', 'B1')).toEqual(bad('B1', 'message 3 does not exist (the mailbox has 2)'));
    expect(await c.transact('FETCH 1:5 FLAGS', 'B2')).toEqual(bad('B2', 'message 5 does not exist (the mailbox has 2)'));
    expect(await c.transact('FETCH 0 FLAGS', 'B3')).toEqual(bad('B3', 'sequence set: 0 is not a valid message number in "0"'));
    expect(await c.transact('FETCH a FLAGS', 'B4')).toEqual(bad('B4', 'sequence set: "a" is not a number in "a"'));
    expect(await c.transact('FETCH 1, FLAGS', 'B5')).toEqual(bad('B5', 'sequence set: empty element in "1,"'));
    expect(await c.transact('FETCH 1 XYZ', 'B6')).toEqual(bad('B6', 'unknown FETCH item XYZ'));
    expect(await c.transact('FETCH 1 ()', 'B7')).toEqual(bad('B7', 'expected FETCH items'));
    expect(await c.transact('FETCH 1', 'B8')).toEqual(bad('B8', 'expected FETCH sequence-set items [(CHANGEDSINCE modseq)]'));
    expect(await c.transact('FETCH 1 (FLAGS ALL)', 'B9')).toEqual(bad('B9', 'ALL, FAST and FULL cannot be combined with other items'));
    expect(await c.transact('FETCH 1 BODY[MIME]', 'B10')).toEqual(bad('B10', 'MIME needs a part number, e.g. BODY[1.MIME]'));
    expect(await c.transact('FETCH 1 BODY[0]', 'B11')).toEqual(bad('B11', 'bad section specification [0]'));
    expect(await c.transact('FETCH 1 BODY[TEXT.MIME]', 'B12')).toEqual(bad('B12', 'bad section specification [TEXT.MIME]'));
    expect(await c.transact('FETCH 1 BODY[HEADER.FIELDS]', 'B13')).toEqual(bad('B13', 'HEADER.FIELDS needs a list of field names'));
    expect(await c.transact('FETCH 1 BODY[HEADER.FIELDS ()]', 'B14')).toEqual(bad('B14', 'bad field names in HEADER.FIELDS'));
    expect(await c.transact('FETCH 1 BODY[]<0.0>', 'B15')).toEqual(bad('B15', 'a partial fetch needs a non-zero length'));
    expect(await c.transact('FETCH 1 BODY[]<1>', 'B16')).toEqual(bad('B16', 'unknown FETCH item BODY[]<1>'));
    expect(await c.transact('FETCH 1 (FLAGS', 'B17')).toEqual(bad('B17', 'unterminated list: missing ")"'));
    expect(await c.transact('FETCH 1 FLAGS UID', 'B18')).toEqual(bad('B18', 'FETCH modifiers are a parenthesized list'));
    expect(await c.transact('NOOP', 'B19')).toEqual({ untagged: [], tagged: 'B19 OK NOOP completed' });
  });

  it('BAD without a selected mailbox and before login', async () => {
    const { g, c } = await world();
    expect(await c.transact('FETCH 1 FLAGS', 'B1')).toEqual({ untagged: [], tagged: 'B1 BAD FETCH is not allowed without a selected mailbox' });
    expect(await c.transact('UID FETCH 1 FLAGS', 'B2')).toEqual({ untagged: [], tagged: 'B2 BAD UID FETCH is not allowed without a selected mailbox' });
    const fresh = await connect(g);
    expect(await fresh.transact('FETCH 1 FLAGS', 'B3')).toEqual({ untagged: [], tagged: 'B3 BAD FETCH is not allowed before login' });
  });
});

describe('UID FETCH', () => {
  it('names messages by UID, always returns the UID, skips UIDs not in the mailbox', async () => {
    const { c } = await twoMessages('SELECT');
    await append(c, 'INBOX', SIMPLE, { flags: '\\Deleted', date: '25-Nov-2026 09:00:00 +0000' });
    await ok(c, 'EXPUNGE');
    await append(c, 'INBOX', SIMPLE, { date: '26-Nov-2026 09:00:00 +0000' });
    // UIDs 1, 2, 4 at sequence numbers 1, 2, 3.
    expect(await c.transact('UID FETCH 2:4 FLAGS', 'U1')).toEqual({
      untagged: ['* 2 FETCH (UID 2 FLAGS (\\Recent))', '* 3 FETCH (UID 4 FLAGS (\\Recent))'],
      tagged: 'U1 OK UID FETCH completed',
    });
    expect(await c.transact('UID FETCH 3 FLAGS', 'U2')).toEqual({ untagged: [], tagged: 'U2 OK UID FETCH completed' });
    expect(await c.transact('UID FETCH 1 (FLAGS UID)', 'U3')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Flagged \\Recent) UID 1)'],
      tagged: 'U3 OK UID FETCH completed',
    });
    // RFC 3501 §6.4.8: n:* names the highest UID even when n is above it.
    expect(await c.transact('UID FETCH 99:* UID', 'U4')).toEqual({ untagged: ['* 3 FETCH (UID 4)'], tagged: 'U4 OK UID FETCH completed' });
    expect(await c.transact('UID FETCH 99 UID', 'U5')).toEqual({ untagged: [], tagged: 'U5 OK UID FETCH completed' });
    expect(await c.transact('UID FETCH 4 BODY.PEEK[HEADER.FIELDS (SUBJECT)]', 'U6')).toEqual({
      untagged: [`* 3 FETCH (UID 4 BODY[HEADER.FIELDS (SUBJECT)] ${literal('Subject: hello\r\n\r\n')})`],
      tagged: 'U6 OK UID FETCH completed',
    });
  });

  it('bad requests: BAD, and the session goes on', async () => {
    const { c } = await twoMessages();
    expect(await c.transact('UID FETCH 0 FLAGS', 'B1')).toEqual({ untagged: [], tagged: 'B1 BAD sequence set: 0 is not a valid message number in "0"' });
    expect(await c.transact('UID FETCH 1 NOPE', 'B2')).toEqual({ untagged: [], tagged: 'B2 BAD unknown FETCH item NOPE' });
    expect(await c.transact('UID FETCH', 'B3')).toEqual({ untagged: [], tagged: 'B3 BAD expected FETCH sequence-set items [(CHANGEDSINCE modseq)]' });
    expect(await c.transact('NOOP', 'B4')).toEqual({ untagged: [], tagged: 'B4 OK NOOP completed' });
  });
});
