// EXAMINE — RFC 3501 §6.3.2: SELECT, read-only: the same untagged data, PERMANENTFLAGS (),
// a tagged OK that begins with [READ-ONLY], and no change to the mailbox's state — in
// particular messages keep \Recent, and reading a body does not set \Seen.
import { describe, expect, it } from 'vitest';
import { append, CLOSED, connect, folder, literal, login, ok, selectLines, simple, world } from '../fixtures/session.js';

const DATE = '01-Nov-2026 10:00:00 +0000';

describe('EXAMINE', () => {
  it('an empty mailbox: read-only lines and OK [READ-ONLY]', async () => {
    const { g, sales, c } = await world();
    const { uidValidity } = folder(g, sales, 'Sent');
    expect(await c.transact('EXAMINE Sent', 'E1')).toEqual({
      untagged: selectLines({ exists: 0, recent: 0, uidValidity, uidNext: 1, readOnly: true }),
      tagged: 'E1 OK [READ-ONLY] EXAMINE completed',
    });
  });

  it('does not take \\Recent: a later SELECT still sees the messages as recent', async () => {
    const { g, sales, c } = await world();
    await append(c, 'INBOX', simple('one'), { date: DATE });
    await append(c, 'INBOX', simple('two'), { flags: '\\Seen', date: DATE });
    await ok(c, 'EXAMINE INBOX');
    const other = await login(g);
    expect(await other.transact('SELECT INBOX', 'E1')).toEqual({
      untagged: selectLines({ exists: 2, recent: 2, unseen: 1, uidValidity: folder(g, sales, 'INBOX').uidValidity, uidNext: 3 }),
      tagged: 'E1 OK [READ-WRITE] SELECT completed',
    });
  });

  // RFC 3501 §6.3.2: EXAMINE "returns the same output" as SELECT and "MUST NOT cause messages to
  // lose the \Recent flag"; §7.3.2: RECENT is "the number of messages with the \Recent flag set",
  // and §2.3.2 lets a read-only session see \Recent without taking it.
  it('reports the messages that have \\Recent (without taking it)', async () => {
    const { g, sales, c } = await world();
    await append(c, 'INBOX', simple('one'), { date: DATE });
    await append(c, 'INBOX', simple('two'), { date: DATE });
    expect(await c.transact('EXAMINE INBOX', 'E1')).toEqual({
      untagged: selectLines({ exists: 2, recent: 2, unseen: 1, uidValidity: folder(g, sales, 'INBOX').uidValidity, uidNext: 3, readOnly: true }),
      tagged: 'E1 OK [READ-ONLY] EXAMINE completed',
    });
  });

  it('is read-only: STORE and EXPUNGE are refused, a body fetch leaves \\Seen alone', async () => {
    const { g, sales, c } = await world();
    await append(c, 'INBOX', simple('one'), { flags: '\\Deleted', date: DATE });
    expect(await c.transact('EXAMINE INBOX', 'E1')).toEqual({
      // Nobody took \Recent yet, so the read-only session sees it (and leaves it).
      untagged: selectLines({ exists: 1, recent: 1, unseen: 1, uidValidity: folder(g, sales, 'INBOX').uidValidity, uidNext: 2, readOnly: true }),
      tagged: 'E1 OK [READ-ONLY] EXAMINE completed',
    });
    expect(await c.transact('STORE 1 +FLAGS (\\Seen)', 'E2')).toEqual({ untagged: [], tagged: 'E2 NO [READ-ONLY] the mailbox was opened with EXAMINE' });
    expect(await c.transact('EXPUNGE', 'E3')).toEqual({ untagged: [], tagged: 'E3 NO [READ-ONLY] the mailbox was opened with EXAMINE' });
    const body = await c.transact('FETCH 1 BODY[TEXT]', 'E4');
    expect(body).toEqual({ untagged: [`* 1 FETCH (BODY[TEXT] ${literal('body of one\r\n')})`], tagged: 'E4 OK FETCH completed' });
    expect(await c.transact('FETCH 1 FLAGS', 'E5')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Deleted \\Recent))'], tagged: 'E5 OK FETCH completed' });
  });

  it('switching from SELECT to EXAMINE of the same mailbox makes it read-only', async () => {
    const { g, sales, c } = await world();
    await ok(c, 'SELECT INBOX');
    const { uidValidity } = folder(g, sales, 'INBOX');
    // RFC 7162 §3.2.11: leaving the selected mailbox is announced with [CLOSED].
    expect(await c.transact('EXAMINE INBOX', 'E1')).toEqual({
      untagged: [CLOSED, ...selectLines({ exists: 0, recent: 0, uidValidity, uidNext: 1, readOnly: true })],
      tagged: 'E1 OK [READ-ONLY] EXAMINE completed',
    });
    expect(await c.transact('EXPUNGE', 'E2')).toEqual({ untagged: [], tagged: 'E2 NO [READ-ONLY] the mailbox was opened with EXAMINE' });
  });

  it('errors: a missing mailbox is NO [NONEXISTENT]; bad names and no name are BAD; before login BAD', async () => {
    const { g, c } = await world();
    expect(await c.transact('EXAMINE Nope', 'E1')).toEqual({ untagged: [], tagged: 'E1 NO [NONEXISTENT] mailbox Nope does not exist' });
    expect(await c.transact('EXAMINE "a//b"', 'E2')).toEqual({ untagged: [], tagged: 'E2 BAD mailbox name: cannot contain an empty level ("//")' });
    expect(await c.transact('EXAMINE', 'E3')).toEqual({ untagged: [], tagged: 'E3 BAD expected a mailbox name and optional (CONDSTORE) or (QRESYNC (…))' });
    expect(await c.transact('NOOP', 'E4')).toEqual({ untagged: [], tagged: 'E4 OK NOOP completed' });
    const fresh = await connect(g);
    expect(await fresh.transact('EXAMINE INBOX', 'E5')).toEqual({ untagged: [], tagged: 'E5 BAD EXAMINE is not allowed before login' });
  });
});
