// CONDSTORE — RFC 7162 §3.1. Every message has a MODSEQ, raised with each change; the mailbox's
// highest is HIGHESTMODSEQ. A "CONDSTORE enabling command" (ENABLE CONDSTORE, SELECT/EXAMINE …
// (CONDSTORE), FETCH/SEARCH with MODSEQ, FETCH … (CHANGEDSINCE), STORE … (UNCHANGEDSINCE),
// STATUS (HIGHESTMODSEQ)) makes SELECT report [HIGHESTMODSEQ] (§3.1.2.1) and every later FETCH
// with FLAGS — unsolicited ones included — carry MODSEQ (§3.1, §3.1.4.1). STORE (UNCHANGEDSINCE)
// changes only messages not modified since, naming the others in OK [MODIFIED set] (§3.1.3).
//
// MODSEQ arithmetic: a new mailbox starts at HIGHESTMODSEQ 1; each APPEND, each STORE that
// changes something and each EXPUNGE takes the next value.
import { describe, expect, it } from 'vitest';
import { login, ok, selectLines, stillServes } from '../fixtures/session.js';
import { startIdle, withInbox } from '../fixtures/extensions.js';

/** INBOX with three messages: MODSEQs 2, 3, 4; HIGHESTMODSEQ 4. */
const three = () => withInbox(['one', 'two', 'three']);

describe('CONDSTORE: HIGHESTMODSEQ', () => {
  it('SELECT reports HIGHESTMODSEQ after ENABLE CONDSTORE', async () => {
    const { c, uidValidity } = await three();
    await ok(c, 'ENABLE CONDSTORE');
    expect(await c.transact('SELECT INBOX', 'H1')).toEqual({
      untagged: [...selectLines({ exists: 3, recent: 3, unseen: 1, uidValidity, uidNext: 4 }), '* OK [HIGHESTMODSEQ 4] highest MODSEQ'],
      tagged: 'H1 OK [READ-WRITE] SELECT completed',
    });
  });

  it('SELECT INBOX (CONDSTORE) and EXAMINE INBOX (CONDSTORE) report it without ENABLE; a plain SELECT before any enabling command does not', async () => {
    const { g, c, uidValidity } = await three();
    const plain = await login(g);
    expect(await plain.transact('SELECT INBOX', 'H1')).toEqual({
      untagged: selectLines({ exists: 3, recent: 3, unseen: 1, uidValidity, uidNext: 4 }),
      tagged: 'H1 OK [READ-WRITE] SELECT completed',
    });
    expect(await c.transact('SELECT INBOX (CONDSTORE)', 'H2')).toEqual({
      untagged: [...selectLines({ exists: 3, recent: 0, unseen: 1, uidValidity, uidNext: 4 }), '* OK [HIGHESTMODSEQ 4] highest MODSEQ'],
      tagged: 'H2 OK [READ-WRITE] SELECT completed',
    });
    const reader = await login(g);
    expect(await reader.transact('EXAMINE INBOX (CONDSTORE)', 'H3')).toEqual({
      untagged: [...selectLines({ exists: 3, recent: 0, unseen: 1, uidValidity, uidNext: 4, readOnly: true }), '* OK [HIGHESTMODSEQ 4] highest MODSEQ'],
      tagged: 'H3 OK [READ-ONLY] EXAMINE completed',
    });
  });

  it('STATUS … (HIGHESTMODSEQ) follows changes: appends, flag changes, expunges', async () => {
    const { c } = await three();
    expect(await c.transact('STATUS INBOX (HIGHESTMODSEQ)', 'H1')).toEqual({ untagged: ['* STATUS "INBOX" (HIGHESTMODSEQ 4)'], tagged: 'H1 OK STATUS completed' });
    expect(await c.transact('STATUS Archive (MESSAGES HIGHESTMODSEQ)', 'H2')).toEqual({ untagged: ['* STATUS "Archive" (MESSAGES 0 HIGHESTMODSEQ 1)'], tagged: 'H2 OK STATUS completed' });
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 1:2 +FLAGS.SILENT (\\Deleted)'); // one STORE, one new MODSEQ: 5
    await ok(c, 'EXPUNGE'); // 6
    expect(await c.transact('STATUS INBOX (MESSAGES HIGHESTMODSEQ)', 'H3')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 1 HIGHESTMODSEQ 6)'], tagged: 'H3 OK STATUS completed' });
  });

  // RFC 7162 §3.1: STATUS (HIGHESTMODSEQ) is one of the "CONDSTORE enabling commands"; §3.1.2:
  // HIGHESTMODSEQ or NOMODSEQ "MUST be returned in an OK untagged response for any successful
  // SELECT/EXAMINE command issued after a CONDSTORE enabling command".
  it('STATUS (HIGHESTMODSEQ) enables CONDSTORE: the next SELECT reports HIGHESTMODSEQ (RFC 7162 §3.1, §3.1.2)', async () => {
    const { c, uidValidity } = await three();
    await ok(c, 'STATUS INBOX (HIGHESTMODSEQ)');
    expect(await c.transact('SELECT INBOX', 'H1')).toEqual({
      untagged: [...selectLines({ exists: 3, recent: 3, unseen: 1, uidValidity, uidNext: 4 }), '* OK [HIGHESTMODSEQ 4] highest MODSEQ'],
      tagged: 'H1 OK [READ-WRITE] SELECT completed',
    });
  });
});

describe('CONDSTORE: FETCH', () => {
  it('FETCH MODSEQ: each message\'s MODSEQ; afterwards FLAGS come with MODSEQ', async () => {
    const { c } = await three();
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('FETCH 1 (FLAGS)', 'F1')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Recent))'], tagged: 'F1 OK FETCH completed' });
    expect(await c.transact('FETCH 1:3 (MODSEQ)', 'F2')).toEqual({
      untagged: ['* 1 FETCH (MODSEQ (2))', '* 2 FETCH (MODSEQ (3))', '* 3 FETCH (MODSEQ (4))'],
      tagged: 'F2 OK FETCH completed',
    });
    expect(await c.transact('UID FETCH 2 (FLAGS MODSEQ)', 'F3')).toEqual({ untagged: ['* 2 FETCH (UID 2 FLAGS (\\Recent) MODSEQ (3))'], tagged: 'F3 OK UID FETCH completed' });
    // CONDSTORE is on now: FLAGS alone brings MODSEQ along.
    expect(await c.transact('FETCH 1 (FLAGS)', 'F4')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Recent) MODSEQ (2))'], tagged: 'F4 OK FETCH completed' });
  });

  it('FETCH 1:* (FLAGS) (CHANGEDSINCE n): only messages changed after n, with MODSEQ', async () => {
    const { c } = await three();
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 2 +FLAGS (\\Seen)'); // MODSEQ 5
    expect(await c.transact('FETCH 1:* (FLAGS) (CHANGEDSINCE 4)', 'F1')).toEqual({
      untagged: ['* 2 FETCH (FLAGS (\\Seen \\Recent) MODSEQ (5))'],
      tagged: 'F1 OK FETCH completed',
    });
    expect(await c.transact('UID FETCH 1:* (FLAGS) (CHANGEDSINCE 3)', 'F2')).toEqual({
      untagged: ['* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent) MODSEQ (5))', '* 3 FETCH (UID 3 FLAGS (\\Recent) MODSEQ (4))'],
      tagged: 'F2 OK UID FETCH completed',
    });
    expect(await c.transact('FETCH 1:* (FLAGS) (CHANGEDSINCE 5)', 'F3')).toEqual({ untagged: [], tagged: 'F3 OK FETCH completed' });
    expect(await c.transact('FETCH 1:3 (UID) (CHANGEDSINCE 1)', 'F4')).toEqual({
      untagged: ['* 1 FETCH (UID 1 MODSEQ (2))', '* 2 FETCH (UID 2 MODSEQ (5))', '* 3 FETCH (UID 3 MODSEQ (4))'],
      tagged: 'F4 OK FETCH completed',
    });
  });

  it('malformed modifiers: BAD', async () => {
    const { c } = await three();
    await ok(c, 'SELECT INBOX');
    const bad = (tag: string, text: string) => ({ untagged: [], tagged: `${tag} BAD ${text}` });
    expect(await c.transact('FETCH 1 (FLAGS) (FOO 1)', 'B1')).toEqual(bad('B1', 'unknown FETCH modifier FOO'));
    expect(await c.transact('FETCH 1 (FLAGS) CHANGEDSINCE', 'B2')).toEqual(bad('B2', 'FETCH modifiers are a parenthesized list'));
    // RFC 7162 §3.2.6: VANISHED only with UID FETCH, CHANGEDSINCE and ENABLE QRESYNC.
    expect(await c.transact('UID FETCH 1:* (FLAGS) (VANISHED)', 'B3')).toEqual(bad('B3', 'VANISHED needs CHANGEDSINCE'));
    expect(await c.transact('UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)', 'B4')).toEqual(bad('B4', 'VANISHED needs UID FETCH and ENABLE QRESYNC'));
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });
});

describe('CONDSTORE: STORE (UNCHANGEDSINCE)', () => {
  it('a conflict caused by a second session: OK [MODIFIED], only the unconflicted messages change', async () => {
    const { g, c } = await three();
    await ok(c, 'SELECT INBOX (CONDSTORE)');
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    expect(await other.transact('STORE 2 +FLAGS (\\Flagged)', 'O1')).toEqual({ untagged: ['* 2 FETCH (FLAGS (\\Flagged))'], tagged: 'O1 OK STORE completed' }); // MODSEQ 5
    // The client last saw HIGHESTMODSEQ 4; message 2 changed after that.
    expect(await c.transact('STORE 1:3 (UNCHANGEDSINCE 4) +FLAGS (\\Seen)', 'S1')).toEqual({
      untagged: [
        '* 1 FETCH (FLAGS (\\Seen \\Recent) MODSEQ (6))',
        '* 3 FETCH (FLAGS (\\Seen \\Recent) MODSEQ (6))',
        // The other session's change, so the client learns why 2 failed (RFC 7162 §3.1.3).
        '* 2 FETCH (FLAGS (\\Flagged \\Recent) MODSEQ (5))',
      ],
      tagged: 'S1 OK [MODIFIED 2] conditional STORE failed for some messages',
    });
    expect(await c.transact('FETCH 1:3 (FLAGS)', 'S2')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Seen \\Recent) MODSEQ (6))', '* 2 FETCH (FLAGS (\\Flagged \\Recent) MODSEQ (5))', '* 3 FETCH (FLAGS (\\Seen \\Recent) MODSEQ (6))'],
      tagged: 'S2 OK FETCH completed',
    });
    // Retried with what it knows now, it succeeds.
    expect(await c.transact('STORE 2 (UNCHANGEDSINCE 5) +FLAGS (\\Seen)', 'S3')).toEqual({
      untagged: ['* 2 FETCH (FLAGS (\\Seen \\Flagged \\Recent) MODSEQ (7))'],
      tagged: 'S3 OK STORE completed',
    });
    expect(await other.transact('NOOP', 'O2')).toEqual({
      // In the order the changes were made: 1 and 3 (MODSEQ 6), then 2 (MODSEQ 7).
      untagged: ['* 1 FETCH (FLAGS (\\Seen))', '* 3 FETCH (FLAGS (\\Seen))', '* 2 FETCH (FLAGS (\\Seen \\Flagged))'],
      tagged: 'O2 OK NOOP completed',
    });
  });

  it('UID STORE: MODIFIED names UIDs; when every message conflicts nothing changes; UNCHANGEDSINCE 0 always fails', async () => {
    const { g, c } = await withInbox(['1', '2', '3', '4']);
    await ok(c, 'SELECT INBOX (CONDSTORE)'); // HIGHESTMODSEQ 5
    await ok(c, 'STORE 1 +FLAGS.SILENT (\\Deleted)'); // 6
    await ok(c, 'EXPUNGE'); // 7: UIDs 2, 3, 4 are messages 1, 2, 3
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(other, 'UID STORE 3 +FLAGS (\\Answered)'); // 8
    expect(await c.transact('UID STORE 2:4 (UNCHANGEDSINCE 7) +FLAGS (\\Flagged)', 'U1')).toEqual({
      untagged: [
        '* 1 FETCH (UID 2 FLAGS (\\Flagged \\Recent) MODSEQ (9))',
        '* 3 FETCH (UID 4 FLAGS (\\Flagged \\Recent) MODSEQ (9))',
        '* 2 FETCH (FLAGS (\\Answered \\Recent) MODSEQ (8))',
      ],
      tagged: 'U1 OK [MODIFIED 3] conditional STORE failed for some messages',
    });
    expect(await c.transact('STORE 1:3 (UNCHANGEDSINCE 7) -FLAGS (\\Flagged)', 'U2')).toEqual({
      untagged: [],
      tagged: 'U2 OK [MODIFIED 1:3] conditional STORE failed for some messages',
    });
    // RFC 7162 §3.1.3: "Use of UNCHANGEDSINCE with a modification sequence of 0 always fails".
    expect(await c.transact('UID STORE 2 (UNCHANGEDSINCE 0) +FLAGS (\\Answered)', 'U3')).toEqual({
      untagged: [],
      tagged: 'U3 OK [MODIFIED 2] conditional STORE failed for some messages',
    });
    expect(await c.transact('UID FETCH 2:4 (FLAGS)', 'U4')).toEqual({
      untagged: [
        '* 1 FETCH (UID 2 FLAGS (\\Flagged \\Recent) MODSEQ (9))',
        '* 2 FETCH (UID 3 FLAGS (\\Answered \\Recent) MODSEQ (8))',
        '* 3 FETCH (UID 4 FLAGS (\\Flagged \\Recent) MODSEQ (9))',
      ],
      tagged: 'U4 OK UID FETCH completed',
    });
  });

  it('UNCHANGEDSINCE enables CONDSTORE by itself; a plain STORE then reports MODSEQ too', async () => {
    const { c } = await three();
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('STORE 1 (UNCHANGEDSINCE 2) +FLAGS (\\Seen)', 'S1')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Seen \\Recent) MODSEQ (5))'],
      tagged: 'S1 OK STORE completed',
    });
    expect(await c.transact('STORE 2 +FLAGS (\\Seen)', 'S2')).toEqual({ untagged: ['* 2 FETCH (FLAGS (\\Seen \\Recent) MODSEQ (6))'], tagged: 'S2 OK STORE completed' });
  });

  // RFC 7162 §3.1.3: "If the operation is successful, the server MUST update the mod-sequence
  // attribute of the message. An untagged FETCH response MUST be sent, even if the .SILENT suffix
  // is specified, and the response MUST include the MODSEQ message data item." (Example 3 there:
  // `* 1 FETCH (UID 4 MODSEQ (12121231000))`.)
  it('STORE (UNCHANGEDSINCE) +FLAGS.SILENT still answers FETCH with MODSEQ (RFC 7162 §3.1.3)', async () => {
    const { c } = await three();
    await ok(c, 'SELECT INBOX (CONDSTORE)');
    expect(await c.transact('STORE 1 (UNCHANGEDSINCE 4) +FLAGS.SILENT (\\Seen)', 'S1')).toEqual({
      untagged: ['* 1 FETCH (MODSEQ (5))'],
      tagged: 'S1 OK STORE completed',
    });
    expect(await c.transact('UID STORE 2:3 (UNCHANGEDSINCE 5) +FLAGS.SILENT (\\Seen)', 'S2')).toEqual({
      untagged: ['* 2 FETCH (UID 2 MODSEQ (6))', '* 3 FETCH (UID 3 MODSEQ (6))'],
      tagged: 'S2 OK UID STORE completed',
    });
  });

  it('malformed: BAD', async () => {
    const { c } = await three();
    await ok(c, 'SELECT INBOX');
    const bad = (tag: string, text: string) => ({ untagged: [], tagged: `${tag} BAD ${text}` });
    expect(await c.transact('STORE 1 (UNCHANGEDSINCE 4 UNCHANGEDSINCE 5) +FLAGS (\\Seen)', 'B1')).toEqual(bad('B1', 'the only STORE modifier is UNCHANGEDSINCE'));
    expect(await c.transact('STORE 1 (CHANGEDSINCE 4) +FLAGS (\\Seen)', 'B2')).toEqual(bad('B2', 'the only STORE modifier is UNCHANGEDSINCE'));
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });
});

describe('CONDSTORE: SEARCH MODSEQ', () => {
  it('SEARCH MODSEQ n: messages changed at or after n, and the highest MODSEQ among them', async () => {
    const { c } = await three();
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('SEARCH MODSEQ 3', 'Q1')).toEqual({ untagged: ['* SEARCH 2 3 (MODSEQ 4)'], tagged: 'Q1 OK SEARCH completed' });
    expect(await c.transact('UID SEARCH MODSEQ 4', 'Q2')).toEqual({ untagged: ['* SEARCH 3 (MODSEQ 4)'], tagged: 'Q2 OK UID SEARCH completed' });
    // No match: no (MODSEQ …) (RFC 7162 §3.1.6: only for a non-empty result).
    expect(await c.transact('SEARCH MODSEQ 5', 'Q3')).toEqual({ untagged: ['* SEARCH'], tagged: 'Q3 OK SEARCH completed' });
    // With an entry name and type (§3.1.5), and inside other keys.
    expect(await c.transact('SEARCH MODSEQ "/flags/\\\\draft" all 3', 'Q4')).toEqual({ untagged: ['* SEARCH 2 3 (MODSEQ 4)'], tagged: 'Q4 OK SEARCH completed' });
    expect(await c.transact('SEARCH OR MODSEQ 4 1', 'Q5')).toEqual({ untagged: ['* SEARCH 1 3 (MODSEQ 4)'], tagged: 'Q5 OK SEARCH completed' });
    // The highest MODSEQ among the messages returned, not among those MODSEQ matched.
    expect(await c.transact('SEARCH OR MODSEQ 4 1 NOT MODSEQ 3', 'Q7')).toEqual({ untagged: ['* SEARCH 1 (MODSEQ 2)'], tagged: 'Q7 OK SEARCH completed' });
    // And it enabled CONDSTORE (§3.1).
    expect(await c.transact('FETCH 1 (FLAGS)', 'Q6')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Recent) MODSEQ (2))'], tagged: 'Q6 OK FETCH completed' });
  });

  it('with ESEARCH: MODSEQ comes as return data (RFC 7162 §3.1.10, RFC 4731 §3.2)', async () => {
    const { c } = await three();
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('SEARCH RETURN (COUNT MAX) MODSEQ 3', 'Q1')).toEqual({ untagged: ['* ESEARCH (TAG "Q1") MAX 3 COUNT 2 MODSEQ 4'], tagged: 'Q1 OK SEARCH completed' });
    expect(await c.transact('UID SEARCH RETURN (ALL) MODSEQ 9', 'Q2')).toEqual({ untagged: ['* ESEARCH (TAG "Q2") UID'], tagged: 'Q2 OK UID SEARCH completed' });
  });
});

describe('CONDSTORE: unsolicited FETCH', () => {
  it('once enabled, flag changes from other sessions come with MODSEQ — at NOOP and while idling', async () => {
    const { g, c } = await three();
    await ok(c, 'ENABLE CONDSTORE');
    await ok(c, 'SELECT INBOX');
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(other, 'STORE 1 +FLAGS (\\Seen)'); // 5
    expect(await c.transact('NOOP', 'N1')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Seen \\Recent) MODSEQ (5))'], tagged: 'N1 OK NOOP completed' });
    expect(await startIdle(c, 'N2')).toBe('+ idling');
    await ok(other, 'STORE 3 +FLAGS (\\Flagged)'); // 6
    expect(await c.response()).toBe('* 3 FETCH (FLAGS (\\Flagged \\Recent) MODSEQ (6))');
    c.write('DONE\r\n');
    expect(await c.until('N2')).toEqual({ untagged: [], tagged: 'N2 OK IDLE terminated' });
  });

  it('without CONDSTORE: no MODSEQ', async () => {
    const { g, c } = await three();
    await ok(c, 'SELECT INBOX');
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(other, 'STORE 1 +FLAGS (\\Seen)');
    expect(await c.transact('NOOP', 'N1')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Seen \\Recent))'], tagged: 'N1 OK NOOP completed' });
  });
});
