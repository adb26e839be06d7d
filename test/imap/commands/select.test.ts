// SELECT — RFC 3501 §6.3.1: opens a mailbox read-write. The untagged data a client needs to
// sync (FLAGS, PERMANENTFLAGS, EXISTS, RECENT, UNSEEN, UIDVALIDITY, UIDNEXT) comes before
// the tagged OK [READ-WRITE]. The first session to see new messages takes their \Recent
// (§2.3.2). A failed SELECT leaves no mailbox selected.
import { describe, expect, it } from 'vitest';
import { append, BOB, CLOSED, connect, folder, login, ok, selectLines, simple, world } from '../fixtures/session.js';

const DATE = '01-Nov-2026 10:00:00 +0000';

describe('SELECT', () => {
  it('an empty INBOX', async () => {
    const { g, sales, c } = await world();
    const inbox = folder(g, sales, 'INBOX');
    expect(await c.transact('SELECT INBOX', 'S1')).toEqual({
      untagged: selectLines({ exists: 0, recent: 0, uidValidity: inbox.uidValidity, uidNext: 1 }),
      tagged: 'S1 OK [READ-WRITE] SELECT completed',
    });
  });

  it('a mailbox with messages: keywords in FLAGS, first unseen, and this session takes \\Recent', async () => {
    const { g, sales, c } = await world();
    await append(c, 'INBOX', simple('one'), { flags: '\\Seen', date: DATE });
    await append(c, 'INBOX', simple('two'), { flags: '$Work', date: DATE });
    await append(c, 'INBOX', simple('three'), { flags: '\\Seen \\Flagged', date: DATE });
    const { uidValidity } = folder(g, sales, 'INBOX');
    expect(await c.transact('SELECT INBOX', 'S1')).toEqual({
      untagged: selectLines({ exists: 3, recent: 3, unseen: 2, uidValidity, uidNext: 4, keywords: ['$Work'] }),
      tagged: 'S1 OK [READ-WRITE] SELECT completed',
    });
    expect(await c.transact('FETCH 1:* FLAGS', 'S2')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Seen \\Recent))', '* 2 FETCH (FLAGS ($Work \\Recent))', '* 3 FETCH (FLAGS (\\Seen \\Flagged \\Recent))'],
      tagged: 'S2 OK FETCH completed',
    });
    // A later session is not the first to see them (RFC 3501 §2.3.2).
    const other = await login(g);
    expect(await other.transact('SELECT INBOX', 'S3')).toEqual({
      untagged: selectLines({ exists: 3, recent: 0, unseen: 2, uidValidity, uidNext: 4, keywords: ['$Work'] }),
      tagged: 'S3 OK [READ-WRITE] SELECT completed',
    });
    expect(await other.transact('FETCH 1 FLAGS', 'S4')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Seen))'], tagged: 'S4 OK FETCH completed' });
  });

  it('INBOX in any case, a quoted or literal name, and a modified UTF-7 name', async () => {
    const { g, sales, c } = await world();
    const inbox = folder(g, sales, 'INBOX');
    const lines = selectLines({ exists: 0, recent: 0, uidValidity: inbox.uidValidity, uidNext: 1 });
    expect(await c.transact('SELECT iNbOx', 'S1')).toEqual({ untagged: lines, tagged: 'S1 OK [READ-WRITE] SELECT completed' });
    // RFC 7162 §3.2.11: leaving the selected mailbox is announced with [CLOSED].
    expect(await c.transact('SELECT "INBOX"', 'S2')).toEqual({ untagged: [CLOSED, ...lines], tagged: 'S2 OK [READ-WRITE] SELECT completed' });
    c.write('S3 SELECT {5}\r\n');
    expect(await c.response()).toBe('+ Ready for literal data');
    c.write('inbox\r\n');
    expect(await c.until('S3')).toEqual({ untagged: [CLOSED, ...lines], tagged: 'S3 OK [READ-WRITE] SELECT completed' });

    await ok(c, 'CREATE "&AOk-t&AOk-"');
    const ete = folder(g, sales, 'été');
    expect(await c.transact('SELECT "&AOk-t&AOk-"', 'S4')).toEqual({
      untagged: [CLOSED, ...selectLines({ exists: 0, recent: 0, uidValidity: ete.uidValidity, uidNext: 1 })],
      tagged: 'S4 OK [READ-WRITE] SELECT completed',
    });
  });

  it('a mailbox that does not exist: NO [NONEXISTENT], and nothing stays selected', async () => {
    const { c } = await world();
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('SELECT Nope', 'S1')).toEqual({ untagged: [CLOSED], tagged: 'S1 NO [NONEXISTENT] mailbox Nope does not exist' });
    const fetch = await c.transact('FETCH 1 FLAGS', 'S2');
    expect(fetch.tagged).toMatch(/^S2 BAD FETCH is not allowed /);
    expect(await c.transact('NOOP', 'S3')).toEqual({ untagged: [], tagged: 'S3 OK NOOP completed' });
  });

  it('a \\Noselect name (kept for its children) cannot be selected', async () => {
    const { c } = await world();
    await ok(c, 'CREATE a/b');
    await ok(c, 'DELETE a');
    expect(await c.transact('SELECT a', 'S1')).toEqual({ untagged: [], tagged: 'S1 NO [NONEXISTENT] mailbox a does not exist' });
  });

  it('invalid names: BAD, and the session goes on', async () => {
    const { c } = await world();
    expect(await c.transact('SELECT "a/../b"', 'S1')).toEqual({ untagged: [], tagged: 'S1 BAD mailbox name: cannot have a "." or ".." level' });
    expect(await c.transact('SELECT ".."', 'S2')).toEqual({ untagged: [], tagged: 'S2 BAD mailbox name: cannot have a "." or ".." level' });
    expect(await c.transact('SELECT "*"', 'S3')).toEqual({
      untagged: [],
      tagged: 'S3 BAD mailbox name: cannot contain "*" or "%" (they are LIST wildcards, RFC 3501 §6.3.8)',
    });
    expect(await c.transact('SELECT %', 'S4')).toEqual({
      untagged: [],
      tagged: 'S4 BAD mailbox name: cannot contain "*" or "%" (they are LIST wildcards, RFC 3501 §6.3.8)',
    });
    expect(await c.transact('SELECT "a//b"', 'S5')).toEqual({ untagged: [], tagged: 'S5 BAD mailbox name: cannot contain an empty level ("//")' });
    expect(await c.transact('SELECT "/a"', 'S6')).toEqual({
      untagged: [],
      tagged: 'S6 BAD mailbox name: cannot start or end with the hierarchy delimiter "/"',
    });
    expect(await c.transact('SELECT ""', 'S7')).toEqual({ untagged: [], tagged: 'S7 BAD mailbox name: empty' });
    expect(await c.transact('SELECT', 'S8')).toEqual({ untagged: [], tagged: 'S8 BAD expected a mailbox name and optional (CONDSTORE) or (QRESYNC (…))' });
    expect(await c.transact('SELECT INBOX Archive', 'S9')).toEqual({ untagged: [], tagged: 'S9 BAD SELECT parameters are a parenthesized list' });
    expect(await c.transact('SELECT "&Jjo"', 'S10')).toEqual({
      untagged: [],
      tagged: 'S10 BAD mailbox name: not valid modified UTF-7: "&" run is not terminated by "-"',
    });
    expect(await c.transact('NOOP', 'S11')).toEqual({ untagged: [], tagged: 'S11 OK NOOP completed' });
  });

  it('selecting again does not expunge, and updates of the mailbox left behind are not reported', async () => {
    const { g, sales, c } = await world();
    await append(c, 'INBOX', simple('gone?'), { flags: '\\Deleted', date: DATE });
    await ok(c, 'SELECT INBOX');
    const other = await login(g);
    await append(other, 'INBOX', simple('late'), { date: DATE });
    const archive = folder(g, sales, 'Archive');
    expect(await c.transact('SELECT Archive', 'S1')).toEqual({
      untagged: [CLOSED, ...selectLines({ exists: 0, recent: 0, uidValidity: archive.uidValidity, uidNext: 1 })],
      tagged: 'S1 OK [READ-WRITE] SELECT completed',
    });
    const inbox = folder(g, sales, 'INBOX');
    expect(await c.transact('SELECT INBOX', 'S2')).toEqual({
      // The first SELECT took \Recent of message 1; message 2 was never reported, so this one takes it.
      untagged: [CLOSED, ...selectLines({ exists: 2, recent: 1, unseen: 1, uidValidity: inbox.uidValidity, uidNext: 3 })],
      tagged: 'S2 OK [READ-WRITE] SELECT completed',
    });
  });

  it('before login: BAD', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact('SELECT INBOX', 'S1')).toEqual({ untagged: [], tagged: 'S1 BAD SELECT is not allowed before login' });
  });

  it('another account cannot select this account\'s folders: they do not exist for it', async () => {
    const { g, c } = await world();
    await ok(c, 'CREATE Private');
    await append(c, 'Private', simple('secret'), { date: DATE });
    await append(c, 'INBOX', simple('secret'), { date: DATE });
    const bob = await g.account('bob');
    const b = await login(g, BOB);
    expect(await b.transact('SELECT Private', 'S1')).toEqual({ untagged: [], tagged: 'S1 NO [NONEXISTENT] mailbox Private does not exist' });
    expect(await b.transact('SELECT INBOX', 'S2')).toEqual({
      untagged: selectLines({ exists: 0, recent: 0, uidValidity: folder(g, bob, 'INBOX').uidValidity, uidNext: 1 }),
      tagged: 'S2 OK [READ-WRITE] SELECT completed',
    });
  });
});
