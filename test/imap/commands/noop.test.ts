// NOOP — RFC 3501 §6.1.2: does nothing, in any state; with a mailbox selected it is how a client
// polls, so the updates other sessions caused come before its OK (RFC 3501 §7: EXISTS, RECENT,
// EXPUNGE, FETCH FLAGS), each exactly once.
import { describe, expect, it } from 'vitest';
import { append, connect, login, ok, simple, world } from '../fixtures/session.js';

const DATE = '01-Nov-2026 10:00:00 +0000';

describe('NOOP', () => {
  it('answers OK in every state', async () => {
    const { g, c } = await world();
    const fresh = await connect(g);
    expect(await fresh.transact('NOOP', 'N1')).toEqual({ untagged: [], tagged: 'N1 OK NOOP completed' });
    expect(await c.transact('NOOP', 'N2')).toEqual({ untagged: [], tagged: 'N2 OK NOOP completed' });
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('NOOP', 'N3')).toEqual({ untagged: [], tagged: 'N3 OK NOOP completed' });
  });

  it('reports a message another session appended: EXISTS and RECENT, once', async () => {
    const { g, c } = await world();
    await ok(c, 'SELECT INBOX');
    const other = await login(g);
    await append(other, 'INBOX', simple('new'), { date: DATE });
    expect(await c.transact('NOOP', 'N1')).toEqual({ untagged: ['* 1 EXISTS', '* 1 RECENT'], tagged: 'N1 OK NOOP completed' });
    expect(await c.transact('NOOP', 'N2')).toEqual({ untagged: [], tagged: 'N2 OK NOOP completed' });
  });

  it('reports flags another session changed, then its expunge, then new mail, in that order', async () => {
    const { g, c } = await world();
    for (const s of ['one', 'two', 'three']) await append(c, 'INBOX', simple(s), { date: DATE });
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(c, 'SELECT INBOX');
    await ok(other, 'STORE 3 +FLAGS (\\Flagged)');
    expect(await c.transact('NOOP', 'N1')).toEqual({ untagged: ['* 3 FETCH (FLAGS (\\Flagged))'], tagged: 'N1 OK NOOP completed' });

    await ok(other, 'STORE 1 +FLAGS (\\Deleted)');
    await ok(other, 'EXPUNGE');
    await append(other, 'INBOX', simple('four'), { date: DATE });
    // EXPUNGE comes before EXISTS (RFC 3501 §7.4.1). The other session has INBOX selected and
    // was told of the new message first, so it holds \Recent: 0 RECENT here.
    expect(await c.transact('NOOP', 'N2')).toEqual({
      untagged: ['* 1 EXPUNGE', '* 3 EXISTS', '* 0 RECENT'],
      tagged: 'N2 OK NOOP completed',
    });
    expect(await c.transact('FETCH 1:* (UID FLAGS)', 'F1')).toEqual({
      untagged: ['* 1 FETCH (UID 2 FLAGS ())', '* 2 FETCH (UID 3 FLAGS (\\Flagged))', '* 3 FETCH (UID 4 FLAGS ())'],
      tagged: 'F1 OK FETCH completed',
    });
  });

  it('pipelined commands are answered in order', async () => {
    const { c } = await world();
    c.write('P1 NOOP\r\nP2 CAPABILITY\r\nP3 NOOP\r\n');
    expect(await c.until('P1')).toEqual({ untagged: [], tagged: 'P1 OK NOOP completed' });
    expect(await c.until('P2')).toEqual({ untagged: ['* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE ESEARCH CONDSTORE QRESYNC UTF8=ACCEPT STATUS=SIZE QUOTA QUOTA=RES-STORAGE APPENDLIMIT=52428800 COMPRESS=DEFLATE'], tagged: 'P2 OK CAPABILITY completed' });
    expect(await c.until('P3')).toEqual({ untagged: [], tagged: 'P3 OK NOOP completed' });
  });

  it('takes no arguments: BAD, and the session goes on', async () => {
    const { c } = await world();
    expect(await c.transact('NOOP now', 'N1')).toEqual({ untagged: [], tagged: 'N1 BAD this command takes no arguments' });
    expect(await c.transact('NOOP', 'N2')).toEqual({ untagged: [], tagged: 'N2 OK NOOP completed' });
  });
});
