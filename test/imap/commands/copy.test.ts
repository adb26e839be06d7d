// COPY and UID COPY — RFC 3501 §6.4.7, §6.4.8: copies of messages into another mailbox, keeping
// their flags and internal date (the copies are \Recent for whoever is first to see them). A
// missing target is NO [TRYCREATE]; nothing is copied then.
import { describe, expect, it } from 'vitest';
import { BOB, append, connect, folder, login, ok, selectLines, simple, world, type World } from '../fixtures/session.js';

/** Three messages with flags and dates; INBOX selected. */
async function threeMessages(): Promise<World> {
  const w = await world();
  await append(w.c, 'INBOX', simple('one'), { flags: '\\Seen $Work', date: '01-Nov-2026 10:00:00 +0000' });
  await append(w.c, 'INBOX', simple('two'), { flags: '\\Flagged \\Deleted', date: '02-Nov-2026 11:00:00 +0000' });
  await append(w.c, 'INBOX', simple('three'), { date: '03-Nov-2026 12:00:00 +0000' });
  await ok(w.c, 'SELECT INBOX');
  return w;
}

describe('COPY', () => {
  it('copies keep flags (keywords too) and internal dates; the source is unchanged', async () => {
    const { g, sales, c } = await threeMessages();
    expect(await c.transact('COPY 1:2 Archive', 'C1')).toEqual({ untagged: [], tagged: expect.stringMatching(/^C1 OK \[COPYUID \d+ [\d:,]+ [\d:,]+\] COPY completed$/) });
    expect(await c.transact('STATUS Archive (MESSAGES RECENT UIDNEXT UNSEEN)', 'C2')).toEqual({
      untagged: ['* STATUS "Archive" (MESSAGES 2 RECENT 2 UIDNEXT 3 UNSEEN 1)'],
      tagged: 'C2 OK STATUS completed',
    });
    const other = await login(g);
    expect(await other.transact('SELECT Archive', 'C3')).toEqual({
      untagged: selectLines({ exists: 2, recent: 2, unseen: 2, uidValidity: folder(g, sales, 'Archive').uidValidity, uidNext: 3, keywords: ['$Work'] }),
      tagged: 'C3 OK [READ-WRITE] SELECT completed',
    });
    expect(await other.transact('FETCH 1:* (UID FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])', 'C4')).toEqual({
      untagged: [
        '* 1 FETCH (UID 1 FLAGS (\\Seen $Work \\Recent) INTERNALDATE "01-Nov-2026 10:00:00 +0000" BODY[HEADER.FIELDS (SUBJECT)] {16}\r\nSubject: one\r\n\r\n)',
        '* 2 FETCH (UID 2 FLAGS (\\Flagged \\Deleted \\Recent) INTERNALDATE "02-Nov-2026 11:00:00 +0000" BODY[HEADER.FIELDS (SUBJECT)] {16}\r\nSubject: two\r\n\r\n)',
      ],
      tagged: 'C4 OK FETCH completed',
    });
    expect(await c.transact('FETCH 1:* FLAGS', 'C5')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Seen $Work \\Recent))', '* 2 FETCH (FLAGS (\\Flagged \\Deleted \\Recent))', '* 3 FETCH (FLAGS (\\Recent))'],
      tagged: 'C5 OK FETCH completed',
    });
  });

  it('into the selected mailbox: EXISTS and RECENT before the OK; a session with the target selected sees EXISTS', async () => {
    const { g, c } = await threeMessages();
    const watcher = await login(g);
    await ok(watcher, 'SELECT Trash');
    expect(await c.transact('COPY 3 INBOX', 'C1')).toEqual({ untagged: ['* 4 EXISTS', '* 4 RECENT'], tagged: expect.stringMatching(/^C1 OK \[COPYUID \d+ [\d:,]+ [\d:,]+\] COPY completed$/) });
    expect(await c.transact('COPY 2:3 Trash', 'C2')).toEqual({ untagged: [], tagged: expect.stringMatching(/^C2 OK \[COPYUID \d+ [\d:,]+ [\d:,]+\] COPY completed$/) });
    expect(await watcher.transact('NOOP', 'C3')).toEqual({ untagged: ['* 2 EXISTS', '* 2 RECENT'], tagged: 'C3 OK NOOP completed' });
  });

  it('a target that does not exist (or is only a \\Noselect name): NO [TRYCREATE], nothing copied', async () => {
    const { c } = await threeMessages();
    await ok(c, 'CREATE a/b');
    await ok(c, 'DELETE a');
    expect(await c.transact('COPY 1 Projects', 'C1')).toEqual({ untagged: [], tagged: 'C1 NO [TRYCREATE] mailbox Projects does not exist' });
    expect(await c.transact('COPY 1 a', 'C2')).toEqual({ untagged: [], tagged: 'C2 NO [TRYCREATE] mailbox a does not exist' });
    await ok(c, 'CREATE Projects');
    expect(await c.transact('STATUS Projects (MESSAGES)', 'C3')).toEqual({ untagged: ['* STATUS "Projects" (MESSAGES 0)'], tagged: 'C3 OK STATUS completed' });
    expect(await c.transact('COPY 1 Projects', 'C4')).toEqual({ untagged: [], tagged: expect.stringMatching(/^C4 OK \[COPYUID \d+ [\d:,]+ [\d:,]+\] COPY completed$/) });
  });

  it('from a mailbox opened with EXAMINE', async () => {
    const { c } = await threeMessages();
    await ok(c, 'EXAMINE INBOX');
    expect(await c.transact('COPY 1:* Junk', 'C1')).toEqual({ untagged: [], tagged: expect.stringMatching(/^C1 OK \[COPYUID \d+ [\d:,]+ [\d:,]+\] COPY completed$/) });
    expect(await c.transact('STATUS Junk (MESSAGES)', 'C2')).toEqual({ untagged: ['* STATUS "Junk" (MESSAGES 3)'], tagged: 'C2 OK STATUS completed' });
  });

  it('bad requests: BAD, nothing copied, and the session goes on', async () => {
    const { c } = await threeMessages();
    const bad = (tag: string, text: string) => ({ untagged: [], tagged: `${tag} BAD ${text}` });
    expect(await c.transact('COPY 4 Archive', 'B1')).toEqual(bad('B1', 'message 4 does not exist (the mailbox has 3)'));
    expect(await c.transact('COPY 0 Archive', 'B2')).toEqual(bad('B2', 'sequence set: 0 is not a valid message number in "0"'));
    expect(await c.transact('COPY 1', 'B3')).toEqual(bad('B3', 'expected COPY sequence-set mailbox'));
    expect(await c.transact('COPY 1 "a/../b"', 'B4')).toEqual(bad('B4', 'mailbox name: cannot have a "." or ".." level'));
    expect(await c.transact('COPY 1 "*"', 'B5')).toEqual(bad('B5', 'mailbox name: cannot contain "*" or "%" (they are LIST wildcards, RFC 3501 §6.3.8)'));
    expect(await c.transact('COPY Archive 1', 'B6')).toEqual(bad('B6', 'sequence set: "Archive" is not a number in "Archive"'));
    expect(await c.transact('NOOP', 'B7')).toEqual({ untagged: [], tagged: 'B7 OK NOOP completed' });
    expect(await c.transact('STATUS Archive (MESSAGES)', 'B8')).toEqual({ untagged: ['* STATUS "Archive" (MESSAGES 0)'], tagged: 'B8 OK STATUS completed' });
  });

  it('BAD without a selected mailbox and before login', async () => {
    const { g, c } = await world();
    expect(await c.transact('COPY 1 Archive', 'B1')).toEqual({ untagged: [], tagged: 'B1 BAD COPY is not allowed without a selected mailbox' });
    const fresh = await connect(g);
    expect(await fresh.transact('UID COPY 1 Archive', 'B2')).toEqual({ untagged: [], tagged: 'B2 BAD UID COPY is not allowed before login' });
  });

  it('another account cannot copy into this account\'s folders', async () => {
    const { g, sales, c } = await world();
    await ok(c, 'CREATE Private');
    await g.account('bob');
    const b = await login(g, BOB);
    await append(b, 'INBOX', simple('bob mail'));
    await ok(b, 'SELECT INBOX');
    expect(await b.transact('COPY 1 Private', 'C1')).toEqual({ untagged: [], tagged: 'C1 NO [TRYCREATE] mailbox Private does not exist' });
    expect(await b.transact('UID COPY 1 Private', 'C2')).toEqual({ untagged: [], tagged: 'C2 NO [TRYCREATE] mailbox Private does not exist' });
    const { mail } = g.gateway.services.store;
    expect(mail.listMessages(folder(g, sales, 'Private').id)).toEqual([]);
  });
});

describe('UID COPY', () => {
  it('names messages by UID; UIDs not in the mailbox are skipped', async () => {
    const { c } = await threeMessages();
    await ok(c, 'EXPUNGE'); // UID 2 (\Deleted) goes: UIDs 1 and 3 remain
    expect(await c.transact('UID COPY 2:3 Archive', 'U1')).toEqual({ untagged: [], tagged: expect.stringMatching(/^U1 OK \[COPYUID \d+ [\d:,]+ [\d:,]+\] UID COPY completed$/) });
    expect(await c.transact('UID COPY 2 Archive', 'U2')).toEqual({ untagged: [], tagged: 'U2 OK UID COPY completed' });
    // 7:* still names the highest UID, 3 (RFC 3501 §6.4.8): a second copy of it.
    expect(await c.transact('UID COPY 7:* Archive', 'U3')).toEqual({ untagged: [], tagged: expect.stringMatching(/^U3 OK \[COPYUID \d+ [\d:,]+ [\d:,]+\] UID COPY completed$/) });
    await ok(c, 'EXAMINE Archive');
    expect(await c.transact('FETCH 1:* (UID INTERNALDATE)', 'U4')).toEqual({
      untagged: ['* 1 FETCH (UID 1 INTERNALDATE "03-Nov-2026 12:00:00 +0000")', '* 2 FETCH (UID 2 INTERNALDATE "03-Nov-2026 12:00:00 +0000")'],
      tagged: 'U4 OK FETCH completed',
    });
  });

  it('a missing target: NO [TRYCREATE]; a bad UID set: BAD', async () => {
    const { c } = await threeMessages();
    expect(await c.transact('UID COPY 1 Nope', 'U1')).toEqual({ untagged: [], tagged: 'U1 NO [TRYCREATE] mailbox Nope does not exist' });
    expect(await c.transact('UID COPY 1:: Archive', 'U2')).toEqual({ untagged: [], tagged: 'U2 BAD sequence set: "1::" is not a number or a range' });
    expect(await c.transact('NOOP', 'U3')).toEqual({ untagged: [], tagged: 'U3 OK NOOP completed' });
  });
});
