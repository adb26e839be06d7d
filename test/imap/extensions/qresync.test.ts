// QRESYNC — RFC 7162 §3.2. After ENABLE QRESYNC (§3.2.3; without it the QRESYNC parameter is
// BAD), SELECT/EXAMINE box (QRESYNC (uidvalidity modseq [known-uids])) reports, after the usual
// data, what was expunged since that MODSEQ as VANISHED (EARLIER) uids and what changed as
// FETCH (UID FLAGS MODSEQ) (§3.2.5) — only when the UIDVALIDITY still matches. UID FETCH …
// (CHANGEDSINCE n VANISHED) does the same on demand (§3.2.6). Expunges are reported as
// VANISHED uids instead of EXPUNGE (§3.2.10.2), unsolicited FETCH carry UID (§3.2.4), and a
// SELECT/EXAMINE that closes a selected mailbox sends * OK [CLOSED] first (§3.2.11).
import { describe, expect, it } from 'vitest';
import { append, login, ok, selectLines, simple, stillServes } from '../fixtures/session.js';
import { startIdle, validity, withInbox } from '../fixtures/extensions.js';

/** INBOX with four messages (MODSEQs 2–5, HIGHESTMODSEQ 5) and a client with QRESYNC on, nothing selected. */
async function four() {
  const w = await withInbox(['1', '2', '3', '4']);
  await ok(w.c, 'ENABLE QRESYNC');
  return w;
}

/** Another session: flags UID 2 (MODSEQ 6), expunges UID 3 (7: \Deleted, 8: EXPUNGE). */
async function changesElsewhere(w: Awaited<ReturnType<typeof four>>) {
  const other = await login(w.g);
  await ok(other, 'SELECT INBOX');
  await ok(other, 'UID STORE 2 +FLAGS.SILENT (\\Flagged)');
  await ok(other, 'UID STORE 3 +FLAGS.SILENT (\\Deleted)');
  await ok(other, 'EXPUNGE');
  return other;
}

describe('QRESYNC: SELECT … (QRESYNC (uidvalidity modseq))', () => {
  it('VANISHED (EARLIER) for what another session expunged since, FETCH (UID FLAGS MODSEQ) for what changed', async () => {
    const w = await four();
    const { g, c, uidValidity } = w;
    await ok(c, 'SELECT INBOX'); // the client syncs up to HIGHESTMODSEQ 5, then goes away
    await ok(c, 'UNSELECT');
    await changesElsewhere(w);
    await append(await login(g), 'INBOX', simple('5')); // UID 5, MODSEQ 9
    expect(await c.transact(`SELECT INBOX (QRESYNC (${uidValidity} 5))`, 'Q1')).toEqual({
      untagged: [
        ...selectLines({ exists: 4, recent: 1, unseen: 1, uidValidity, uidNext: 6 }),
        '* OK [HIGHESTMODSEQ 9] highest MODSEQ',
        '* VANISHED (EARLIER) 3',
        '* 2 FETCH (UID 2 FLAGS (\\Flagged) MODSEQ (6))',
        '* 4 FETCH (UID 5 FLAGS (\\Recent) MODSEQ (9))',
      ],
      tagged: 'Q1 OK [READ-WRITE] SELECT completed',
    });
  });

  it('known UIDs limit VANISHED (EARLIER) to the UIDs the client has', async () => {
    const w = await four();
    const { c, uidValidity } = w;
    await changesElsewhere(w); // that session selected INBOX first and took \Recent
    const head = [...selectLines({ exists: 3, recent: 0, unseen: 1, uidValidity, uidNext: 5 }), '* OK [HIGHESTMODSEQ 8] highest MODSEQ'];
    expect(await c.transact(`SELECT INBOX (QRESYNC (${uidValidity} 5 2:4))`, 'Q1')).toEqual({
      untagged: [...head, '* VANISHED (EARLIER) 3', '* 2 FETCH (UID 2 FLAGS (\\Flagged) MODSEQ (6))'],
      tagged: 'Q1 OK [READ-WRITE] SELECT completed',
    });
    await ok(c, 'UNSELECT');
    expect(await c.transact(`SELECT INBOX (QRESYNC (${uidValidity} 5 1:2,4))`, 'Q2')).toEqual({
      untagged: [...head, '* 2 FETCH (UID 2 FLAGS (\\Flagged) MODSEQ (6))'],
      tagged: 'Q2 OK [READ-WRITE] SELECT completed',
    });
    // Up to date: nothing to report.
    await ok(c, 'UNSELECT');
    expect(await c.transact(`SELECT INBOX (QRESYNC (${uidValidity} 8))`, 'Q3')).toEqual({ untagged: head, tagged: 'Q3 OK [READ-WRITE] SELECT completed' });
  });

  it('a stale UIDVALIDITY: a plain SELECT (with HIGHESTMODSEQ), nothing about changes', async () => {
    const w = await four();
    const { c, uidValidity } = w;
    await changesElsewhere(w);
    expect(await c.transact(`SELECT INBOX (QRESYNC (${uidValidity + 1} 5 1:4))`, 'Q1')).toEqual({
      untagged: [...selectLines({ exists: 3, recent: 0, unseen: 1, uidValidity, uidNext: 5 }), '* OK [HIGHESTMODSEQ 8] highest MODSEQ'],
      tagged: 'Q1 OK [READ-WRITE] SELECT completed',
    });
  });

  it('EXAMINE … (QRESYNC …) as well', async () => {
    const w = await four();
    const { c, uidValidity } = w;
    await changesElsewhere(w);
    expect(await c.transact(`EXAMINE INBOX (QRESYNC (${uidValidity} 6))`, 'Q1')).toEqual({
      untagged: [
        ...selectLines({ exists: 3, recent: 0, unseen: 1, uidValidity, uidNext: 5, readOnly: true }),
        '* OK [HIGHESTMODSEQ 8] highest MODSEQ',
        '* VANISHED (EARLIER) 3',
      ],
      tagged: 'Q1 OK [READ-ONLY] EXAMINE completed',
    });
  });

  it('QRESYNC parameters without ENABLE QRESYNC (ENABLE CONDSTORE is not enough): BAD', async () => {
    const w = await withInbox(['1']);
    const { c, uidValidity } = w;
    const bad = (tag: string) => ({ untagged: [], tagged: `${tag} BAD ENABLE QRESYNC before SELECT … (QRESYNC …)` });
    expect(await c.transact(`SELECT INBOX (QRESYNC (${uidValidity} 1))`, 'Q1')).toEqual(bad('Q1'));
    await ok(c, 'ENABLE CONDSTORE');
    expect(await c.transact(`EXAMINE INBOX (QRESYNC (${uidValidity} 1))`, 'Q2')).toEqual(bad('Q2'));
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });

  it('malformed QRESYNC parameters: BAD', async () => {
    const { c, uidValidity } = await four();
    const bad = (tag: string, text: string) => ({ untagged: [], tagged: `${tag} BAD ${text}` });
    expect(await c.transact(`SELECT INBOX (QRESYNC (${uidValidity}))`, 'B1')).toEqual(bad('B1', 'QRESYNC needs (uidvalidity modseq [known-uids])'));
    expect(await c.transact(`SELECT INBOX (QRESYNC ${uidValidity} 5)`, 'B2')).toEqual(bad('B2', 'QRESYNC needs (uidvalidity modseq [known-uids])'));
    expect(await c.transact('SELECT INBOX (QRESYNC)', 'B3')).toEqual(bad('B3', 'QRESYNC needs (uidvalidity modseq [known-uids])'));
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });
});

describe('QRESYNC: [CLOSED]', () => {
  it('SELECT or EXAMINE of another mailbox while one is selected: * OK [CLOSED] first', async () => {
    const w = await four();
    const { c } = w;
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('SELECT Archive', 'C1')).toEqual({
      untagged: [
        '* OK [CLOSED] previous mailbox closed',
        ...selectLines({ exists: 0, recent: 0, uidValidity: validity(w, 'Archive'), uidNext: 1 }),
        '* OK [HIGHESTMODSEQ 1] highest MODSEQ',
      ],
      tagged: 'C1 OK [READ-WRITE] SELECT completed',
    });
    expect(await c.transact('EXAMINE INBOX', 'C2')).toEqual({
      untagged: [
        '* OK [CLOSED] previous mailbox closed',
        ...selectLines({ exists: 4, recent: 0, unseen: 1, uidValidity: w.uidValidity, uidNext: 5, readOnly: true }),
        '* OK [HIGHESTMODSEQ 5] highest MODSEQ',
      ],
      tagged: 'C2 OK [READ-ONLY] EXAMINE completed',
    });
  });

  it('a SELECT that fails still closed the mailbox: [CLOSED], then NO, and nothing is selected', async () => {
    const { c } = await four();
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('SELECT Nope', 'C1')).toEqual({
      untagged: ['* OK [CLOSED] previous mailbox closed'],
      tagged: 'C1 NO [NONEXISTENT] mailbox Nope does not exist',
    });
    expect(await c.transact('FETCH 1 (FLAGS)', 'C2')).toEqual({ untagged: [], tagged: 'C2 BAD FETCH is not allowed without a selected mailbox' });
    // Nothing selected: no [CLOSED] for the next SELECT.
    expect((await c.transact('SELECT INBOX', 'C3')).untagged[0]).toBe('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)');
  });

  it('no [CLOSED] for the first SELECT, nor for CLOSE or UNSELECT', async () => {
    const { c } = await four();
    expect((await c.transact('SELECT INBOX', 'C1')).untagged[0]).toBe('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)');
    expect(await c.transact('CLOSE', 'C2')).toEqual({ untagged: [], tagged: 'C2 OK CLOSE completed' });
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('UNSELECT', 'C3')).toEqual({ untagged: [], tagged: 'C3 OK UNSELECT completed' });
  });

  // RFC 7162 §3.2.11: "A server implementing the extension defined in this document MUST return
  // the CLOSED response code when the currently selected mailbox is closed implicitly using the
  // SELECT/EXAMINE command on another mailbox", and a server advertising QRESYNC or CONDSTORE must
  // do so whether or not an enabling command was issued.
  it('[CLOSED] also without ENABLE QRESYNC — the server advertises QRESYNC and CONDSTORE (RFC 7162 §3.2.11)', async () => {
    const w = await withInbox(['1']);
    const { c } = w;
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('SELECT Archive', 'C1')).toEqual({
      untagged: ['* OK [CLOSED] previous mailbox closed', ...selectLines({ exists: 0, recent: 0, uidValidity: validity(w, 'Archive'), uidNext: 1 })],
      tagged: 'C1 OK [READ-WRITE] SELECT completed',
    });
  });
});

describe('QRESYNC: UID FETCH … (CHANGEDSINCE n VANISHED)', () => {
  it('VANISHED (EARLIER) before the FETCH responses, both limited to the UID set', async () => {
    const w = await four();
    const { c } = w;
    await ok(c, 'SELECT INBOX');
    await changesElsewhere(w);
    expect(await c.transact('NOOP', 'V0')).toEqual({ untagged: ['* VANISHED 3', '* 2 FETCH (UID 2 FLAGS (\\Flagged \\Recent) MODSEQ (6))'], tagged: 'V0 OK NOOP completed' });
    // A client that was not listening (or lost that response) asks again.
    expect(await c.transact('UID FETCH 1:* (FLAGS) (CHANGEDSINCE 5 VANISHED)', 'V1')).toEqual({
      untagged: ['* VANISHED (EARLIER) 3', '* 2 FETCH (UID 2 FLAGS (\\Flagged \\Recent) MODSEQ (6))'],
      tagged: 'V1 OK UID FETCH completed',
    });
    expect(await c.transact('UID FETCH 1:2 (FLAGS) (CHANGEDSINCE 5 VANISHED)', 'V2')).toEqual({
      untagged: ['* 2 FETCH (UID 2 FLAGS (\\Flagged \\Recent) MODSEQ (6))'],
      tagged: 'V2 OK UID FETCH completed',
    });
    expect(await c.transact('UID FETCH 3:4 (FLAGS) (CHANGEDSINCE 5 VANISHED)', 'V3')).toEqual({ untagged: ['* VANISHED (EARLIER) 3'], tagged: 'V3 OK UID FETCH completed' });
    expect(await c.transact('UID FETCH 1:* (FLAGS) (CHANGEDSINCE 8 VANISHED)', 'V4')).toEqual({ untagged: [], tagged: 'V4 OK UID FETCH completed' });
  });

  it('VANISHED is BAD with FETCH by sequence number (RFC 7162 §3.2.6)', async () => {
    const { c } = await four();
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)', 'V1')).toEqual({ untagged: [], tagged: 'V1 BAD VANISHED needs UID FETCH and ENABLE QRESYNC' });
  });
});

describe('QRESYNC: expunges as VANISHED, unsolicited FETCH with UID', () => {
  // RFC 7162 §3.2.7 (EXPUNGE) and §3.2.9 (UID EXPUNGE): "If at least one message got expunged and
  // QRESYNC was enabled, the server MUST send the updated per-mailbox modification sequence using
  // the HIGHESTMODSEQ response code … in the tagged OK response."
  it('EXPUNGE in this session: * VANISHED uids (no EXPUNGE), tagged OK [HIGHESTMODSEQ n] (RFC 7162 §3.2.7)', async () => {
    const { c } = await four();
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 1,3 +FLAGS.SILENT (\\Deleted)'); // 6
    expect(await c.transact('EXPUNGE', 'X1')).toEqual({ untagged: ['* VANISHED 1,3'], tagged: 'X1 OK [HIGHESTMODSEQ 7] EXPUNGE completed' });
  });

  it('UID EXPUNGE with QRESYNC: tagged OK [HIGHESTMODSEQ n] (RFC 7162 §3.2.9)', async () => {
    const { c } = await four();
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 1,3 +FLAGS.SILENT (\\Deleted)'); // 6
    expect(await c.transact('UID EXPUNGE 3', 'X1')).toEqual({ untagged: ['* VANISHED 3'], tagged: 'X1 OK [HIGHESTMODSEQ 7] UID EXPUNGE completed' });
  });

  it("another session's changes: FETCH with UID and MODSEQ, VANISHED for its expunge — at NOOP and while idling", async () => {
    const w = await four();
    const { g, c } = w;
    await ok(c, 'SELECT INBOX');
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(other, 'STORE 2 +FLAGS (\\Seen)'); // 6
    expect(await c.transact('NOOP', 'N1')).toEqual({ untagged: ['* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent) MODSEQ (6))'], tagged: 'N1 OK NOOP completed' });
    expect(await startIdle(c, 'N2')).toBe('+ idling');
    await ok(other, 'STORE 4 +FLAGS.SILENT (\\Deleted)'); // 7
    expect(await c.response()).toBe('* 4 FETCH (UID 4 FLAGS (\\Deleted \\Recent) MODSEQ (7))');
    await ok(other, 'EXPUNGE'); // 8
    expect(await c.response()).toBe('* VANISHED 4');
    c.write('DONE\r\n');
    expect(await c.until('N2')).toEqual({ untagged: [], tagged: 'N2 OK IDLE terminated' });
    expect(await c.transact('UID FETCH 1:* (FLAGS)', 'N3')).toEqual({
      untagged: [
        '* 1 FETCH (UID 1 FLAGS (\\Recent) MODSEQ (2))',
        '* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent) MODSEQ (6))',
        '* 3 FETCH (UID 3 FLAGS (\\Recent) MODSEQ (4))',
      ],
      tagged: 'N3 OK UID FETCH completed',
    });
  });
});
