// EXPUNGE — RFC 3501 §6.4.3: removes every \Deleted message of the selected mailbox, with one
// untagged EXPUNGE per message, each number valid when the client applies it. Other sessions
// are told on their next command — but never during FETCH, STORE or SEARCH, where numbers
// must not shift (RFC 3501 §7.4.1); the UID forms may carry them.
import { describe, expect, it } from 'vitest';
import { append, connect, login, ok, simple, world } from '../fixtures/session.js';

const DATE = '01-Nov-2026 10:00:00 +0000';

async function fiveWithTwoDeleted(c: Awaited<ReturnType<typeof world>>['c']): Promise<void> {
  for (let i = 1; i <= 5; i++) await append(c, 'INBOX', simple(`m${i}`), { flags: i === 2 || i === 4 ? '\\Deleted' : '', date: DATE });
}

describe('EXPUNGE', () => {
  it('one EXPUNGE per \\Deleted message; what is left keeps its UIDs', async () => {
    const { c } = await world();
    await fiveWithTwoDeleted(c);
    await ok(c, 'SELECT INBOX');
    // Highest first: each number is still right when the client applies it.
    expect(await c.transact('EXPUNGE', 'E1')).toEqual({ untagged: ['* 4 EXPUNGE', '* 2 EXPUNGE'], tagged: 'E1 OK EXPUNGE completed' });
    expect(await c.transact('FETCH 1:* UID', 'E2')).toEqual({
      untagged: ['* 1 FETCH (UID 1)', '* 2 FETCH (UID 3)', '* 3 FETCH (UID 5)'],
      tagged: 'E2 OK FETCH completed',
    });
    expect(await c.transact('EXPUNGE', 'E3')).toEqual({ untagged: [], tagged: 'E3 OK EXPUNGE completed' });
  });

  it('another session: held back during FETCH, STORE and SEARCH; sent on NOOP', async () => {
    const { g, c } = await world();
    await fiveWithTwoDeleted(c);
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(c, 'SELECT INBOX');
    await ok(c, 'EXPUNGE');
    // The other session still numbers 5 messages; the expunged ones have no data any more.
    expect(await other.transact('FETCH 1:* UID', 'E1')).toEqual({
      untagged: ['* 1 FETCH (UID 1)', '* 3 FETCH (UID 3)', '* 5 FETCH (UID 5)'],
      tagged: 'E1 OK FETCH completed',
    });
    // (It selected first, so it holds \Recent.)
    expect(await other.transact('STORE 5 +FLAGS (\\Seen)', 'E2')).toEqual({ untagged: ['* 5 FETCH (FLAGS (\\Seen \\Recent))'], tagged: 'E2 OK STORE completed' });
    expect(await other.transact('SEARCH ALL', 'E3')).toEqual({ untagged: ['* SEARCH 1 3 5'], tagged: 'E3 OK SEARCH completed' });
    expect(await other.transact('NOOP', 'E4')).toEqual({ untagged: ['* 4 EXPUNGE', '* 2 EXPUNGE'], tagged: 'E4 OK NOOP completed' });
    expect(await other.transact('SEARCH ALL', 'E5')).toEqual({ untagged: ['* SEARCH 1 2 3'], tagged: 'E5 OK SEARCH completed' });
    // The first session is told of the other's STORE.
    expect(await c.transact('NOOP', 'E6')).toEqual({ untagged: ['* 3 FETCH (FLAGS (\\Seen))'], tagged: 'E6 OK NOOP completed' });
  });

  it('another session: UID FETCH may carry the EXPUNGE, after its own data', async () => {
    const { g, c } = await world();
    await fiveWithTwoDeleted(c);
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(c, 'SELECT INBOX');
    await ok(c, 'EXPUNGE');
    expect(await other.transact('UID FETCH 1:* UID', 'E1')).toEqual({
      untagged: ['* 1 FETCH (UID 1)', '* 3 FETCH (UID 3)', '* 5 FETCH (UID 5)', '* 4 EXPUNGE', '* 2 EXPUNGE'],
      tagged: 'E1 OK UID FETCH completed',
    });
    expect(await other.transact('NOOP', 'E2')).toEqual({ untagged: [], tagged: 'E2 OK NOOP completed' });
  });

  it('after EXAMINE: NO [READ-ONLY], nothing removed', async () => {
    const { c } = await world();
    await fiveWithTwoDeleted(c);
    await ok(c, 'EXAMINE INBOX');
    expect(await c.transact('EXPUNGE', 'E1')).toEqual({ untagged: [], tagged: 'E1 NO [READ-ONLY] the mailbox was opened with EXAMINE' });
    expect(await c.transact('SEARCH DELETED', 'E2')).toEqual({ untagged: ['* SEARCH 2 4'], tagged: 'E2 OK SEARCH completed' });
  });

  it('BAD without a selected mailbox, before login, and with arguments', async () => {
    const { g, c } = await world();
    expect(await c.transact('EXPUNGE', 'E1')).toEqual({ untagged: [], tagged: 'E1 BAD EXPUNGE is not allowed without a selected mailbox' });
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('EXPUNGE 1', 'E2')).toEqual({ untagged: [], tagged: 'E2 BAD this command takes no arguments' });
    // UID EXPUNGE (RFC 4315 UIDPLUS) needs a UID set.
    expect(await c.transact('UID EXPUNGE', 'E3')).toEqual({ untagged: [], tagged: 'E3 BAD expected UID EXPUNGE uid-set' });
    expect(await c.transact('NOOP', 'E4')).toEqual({ untagged: [], tagged: 'E4 OK NOOP completed' });
    const fresh = await connect(g);
    expect(await fresh.transact('EXPUNGE', 'E5')).toEqual({ untagged: [], tagged: 'E5 BAD EXPUNGE is not allowed before login' });
  });
});
