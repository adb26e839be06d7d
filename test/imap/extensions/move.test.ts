// MOVE and UID MOVE — RFC 6851: copy to the target and expunge from the source as one step. The
// answer is an untagged OK [COPYUID …] (§4.3, RFC 4315) first, then the EXPUNGE responses for the
// moved messages — VANISHED instead once QRESYNC is enabled (§4.4, RFC 7162 §3.2.10.2) — then the
// tagged OK. A missing target is NO [TRYCREATE] and nothing moves (§3.3, like COPY). Flags and
// internal date travel with the message; no \Deleted is set anywhere (§3.3).
import { describe, expect, it } from 'vitest';
import { append, login, ok, simple, stillServes, world } from '../fixtures/session.js';
import { validity, withInbox } from '../fixtures/extensions.js';

describe('MOVE', () => {
  it('UID MOVE: OK [COPYUID], then an EXPUNGE per moved message, then the tagged OK', async () => {
    const w = await withInbox(['1', '2', '3', '4']);
    const { c } = w;
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('UID MOVE 2:3 Archive', 'M1')).toEqual({
      untagged: [`* OK [COPYUID ${validity(w, 'Archive')} 2:3 1:2] moved`, '* 3 EXPUNGE', '* 2 EXPUNGE'],
      tagged: 'M1 OK UID MOVE completed',
    });
    expect(await c.transact('UID FETCH 1:* (UID)', 'M2')).toEqual({ untagged: ['* 1 FETCH (UID 1)', '* 2 FETCH (UID 4)'], tagged: 'M2 OK UID FETCH completed' });
    expect(await c.transact('STATUS Archive (MESSAGES UIDNEXT)', 'M3')).toEqual({ untagged: ['* STATUS "Archive" (MESSAGES 2 UIDNEXT 3)'], tagged: 'M3 OK STATUS completed' });
  });

  it('MOVE by sequence numbers, with a set out of order', async () => {
    const w = await withInbox(['1', '2', '3', '4', '5']);
    const { c } = w;
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('MOVE 5,1,3 Trash', 'M1')).toEqual({
      untagged: [`* OK [COPYUID ${validity(w, 'Trash')} 1,3,5 1:3] moved`, '* 5 EXPUNGE', '* 3 EXPUNGE', '* 1 EXPUNGE'],
      tagged: 'M1 OK MOVE completed',
    });
    expect(await c.transact('FETCH 1:* (UID)', 'M2')).toEqual({ untagged: ['* 1 FETCH (UID 2)', '* 2 FETCH (UID 4)'], tagged: 'M2 OK FETCH completed' });
  });

  it('a second session with the source selected sees EXPUNGE; one with the target selected sees EXISTS', async () => {
    const { g, c } = await withInbox(['1', '2', '3']);
    await ok(c, 'SELECT INBOX');
    const source = await login(g);
    await ok(source, 'SELECT INBOX');
    const target = await login(g);
    await ok(target, 'SELECT Junk');
    await ok(c, 'UID MOVE 1,3 Junk');
    expect(await source.transact('NOOP', 'S1')).toEqual({ untagged: ['* 3 EXPUNGE', '* 1 EXPUNGE'], tagged: 'S1 OK NOOP completed' });
    expect(await target.transact('NOOP', 'S2')).toEqual({ untagged: ['* 2 EXISTS', '* 2 RECENT'], tagged: 'S2 OK NOOP completed' });
    expect(await source.transact('FETCH 1:* (UID)', 'S3')).toEqual({ untagged: ['* 1 FETCH (UID 2)'], tagged: 'S3 OK FETCH completed' });
  });

  it('flags (keywords too) and the internal date are kept in the target; nothing is marked \\Deleted', async () => {
    const w = await world();
    const { g, c } = w;
    await append(c, 'INBOX', simple('one'), { flags: '\\Seen \\Flagged $Work', date: '01-Nov-2026 10:00:00 +0000' });
    await append(c, 'INBOX', simple('two'), { flags: '\\Answered', date: '02-Nov-2026 11:30:00 +0000' });
    await ok(c, 'SELECT INBOX');
    await ok(c, 'UID MOVE 1:2 Archive');
    const other = await login(g);
    await ok(other, 'EXAMINE Archive');
    expect(await other.transact('UID FETCH 1:* (FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])', 'M1')).toEqual({
      untagged: [
        '* 1 FETCH (UID 1 FLAGS (\\Seen \\Flagged $Work \\Recent) INTERNALDATE "01-Nov-2026 10:00:00 +0000" BODY[HEADER.FIELDS (SUBJECT)] {16}\r\nSubject: one\r\n\r\n)',
        '* 2 FETCH (UID 2 FLAGS (\\Answered \\Recent) INTERNALDATE "02-Nov-2026 11:30:00 +0000" BODY[HEADER.FIELDS (SUBJECT)] {16}\r\nSubject: two\r\n\r\n)',
      ],
      tagged: 'M1 OK UID FETCH completed',
    });
    expect(await c.transact('STATUS INBOX (MESSAGES)', 'M2')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 0)'], tagged: 'M2 OK STATUS completed' });
  });

  it('a target that does not exist: NO [TRYCREATE], nothing moves; after CREATE it works', async () => {
    const w = await withInbox(['1', '2']);
    const { c } = w;
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('UID MOVE 1 Projects', 'M1')).toEqual({ untagged: [], tagged: 'M1 NO [TRYCREATE] mailbox Projects does not exist' });
    expect(await c.transact('MOVE 1:2 Projects', 'M2')).toEqual({ untagged: [], tagged: 'M2 NO [TRYCREATE] mailbox Projects does not exist' });
    expect(await c.transact('UID FETCH 1:* (UID FLAGS)', 'M3')).toEqual({
      untagged: ['* 1 FETCH (UID 1 FLAGS (\\Recent))', '* 2 FETCH (UID 2 FLAGS (\\Recent))'],
      tagged: 'M3 OK UID FETCH completed',
    });
    await ok(c, 'CREATE Projects');
    expect(await c.transact('UID MOVE 1 Projects', 'M4')).toEqual({
      untagged: [`* OK [COPYUID ${validity(w, 'Projects')} 1 1] moved`, '* 1 EXPUNGE'],
      tagged: 'M4 OK UID MOVE completed',
    });
  });

  it('UIDs that are not in the mailbox: OK, nothing moved, no COPYUID', async () => {
    const { c } = await withInbox(['1']);
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('UID MOVE 5:9 Archive', 'M1')).toEqual({ untagged: [], tagged: 'M1 OK UID MOVE completed' });
    expect(await c.transact('STATUS Archive (MESSAGES)', 'M2')).toEqual({ untagged: ['* STATUS "Archive" (MESSAGES 0)'], tagged: 'M2 OK STATUS completed' });
  });

  it('with QRESYNC enabled: VANISHED with the moved UIDs instead of EXPUNGE; other QRESYNC sessions get VANISHED too', async () => {
    const w = await withInbox(['1', '2', '3', '4']);
    const { g, c } = w;
    await ok(c, 'ENABLE QRESYNC');
    await ok(c, 'SELECT INBOX');
    const other = await login(g);
    await ok(other, 'ENABLE QRESYNC');
    await ok(other, 'SELECT INBOX');
    const plain = await login(g);
    await ok(plain, 'SELECT INBOX');
    // RFC 6851 §4.4: "If at least one message got expunged, the server MUST send the updated
    // per-mailbox modification sequence using the HIGHESTMODSEQ response code … in the tagged OK
    // response." INBOX was at 5 (four appends after the initial 1); the move takes 6.
    expect(await c.transact('UID MOVE 2:3 Archive', 'M1')).toEqual({
      untagged: [`* OK [COPYUID ${validity(w, 'Archive')} 2:3 1:2] moved`, '* VANISHED 2:3'],
      tagged: 'M1 OK [HIGHESTMODSEQ 6] UID MOVE completed',
    });
    expect(await other.transact('NOOP', 'M2')).toEqual({ untagged: ['* VANISHED 2:3'], tagged: 'M2 OK NOOP completed' });
    expect(await plain.transact('NOOP', 'M3')).toEqual({ untagged: ['* 3 EXPUNGE', '* 2 EXPUNGE'], tagged: 'M3 OK NOOP completed' });
  });

  // RFC 6851 §3.3: "moving a message to the currently selected mailbox (that is, where the source
  // and target mailboxes are the same) is allowed when copying the message to the currently
  // selected mailbox is allowed." The message gets a new UID: it goes (EXPUNGE) and comes back
  // (EXISTS, and this session takes its \Recent).
  it('into the selected mailbox itself: allowed, since COPY there is (RFC 6851 §3.3)', async () => {
    const w = await withInbox(['1', '2']);
    const { g, c } = w;
    await ok(c, 'SELECT INBOX');
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    expect(await c.transact('UID MOVE 1 INBOX', 'M1')).toEqual({
      untagged: [`* OK [COPYUID ${w.uidValidity} 1 3] moved`, '* 1 EXPUNGE', '* 2 EXISTS', '* 2 RECENT'],
      tagged: 'M1 OK UID MOVE completed',
    });
    expect(await c.transact('UID FETCH 1:* (UID)', 'M2')).toEqual({ untagged: ['* 1 FETCH (UID 2)', '* 2 FETCH (UID 3)'], tagged: 'M2 OK UID FETCH completed' });
    expect(await other.transact('NOOP', 'M3')).toEqual({ untagged: ['* 1 EXPUNGE', '* 2 EXISTS', '* 0 RECENT'], tagged: 'M3 OK NOOP completed' });
  });

  it('read-only (EXAMINE): NO [READ-ONLY], nothing moved', async () => {
    const { c } = await withInbox(['1']);
    await ok(c, 'EXAMINE INBOX');
    expect(await c.transact('UID MOVE 1 Archive', 'M1')).toEqual({ untagged: [], tagged: 'M1 NO [READ-ONLY] the mailbox was opened with EXAMINE' });
    expect(await c.transact('STATUS Archive (MESSAGES)', 'M2')).toEqual({ untagged: ['* STATUS "Archive" (MESSAGES 0)'], tagged: 'M2 OK STATUS completed' });
  });

  it('bad requests: BAD, and the session goes on', async () => {
    const { c } = await withInbox(['1']);
    expect(await c.transact('MOVE 1 Archive', 'B1')).toEqual({ untagged: [], tagged: 'B1 BAD MOVE is not allowed without a selected mailbox' });
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('MOVE 2 Archive', 'B2')).toEqual({ untagged: [], tagged: 'B2 BAD message 2 does not exist (the mailbox has 1)' });
    expect(await c.transact('UID MOVE 1', 'B3')).toEqual({ untagged: [], tagged: 'B3 BAD expected MOVE sequence-set mailbox' });
    expect(await c.transact('MOVE Archive 1', 'B4')).toEqual({ untagged: [], tagged: 'B4 BAD sequence set: "Archive" is not a number in "Archive"' });
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });
});
