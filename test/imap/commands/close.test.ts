// CLOSE — RFC 3501 §6.4.2: removes the \Deleted messages of the selected mailbox without any
// untagged EXPUNGE, and returns to the authenticated state. Nothing is removed when the mailbox
// was opened with EXAMINE.
import { describe, expect, it } from 'vitest';
import { append, appendCommand, connect, login, ok, simple, world } from '../fixtures/session.js';

const DATE = '01-Nov-2026 10:00:00 +0000';

describe('CLOSE', () => {
  it('removes \\Deleted messages silently and leaves the selected state; another session sees EXPUNGE', async () => {
    const { g, c } = await world();
    for (const [s, flags] of [['one', '\\Deleted'], ['two', ''], ['three', '\\Deleted \\Seen']] as const) {
      await append(c, 'INBOX', simple(s), { flags, date: DATE });
    }
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('CLOSE', 'X1')).toEqual({ untagged: [], tagged: 'X1 OK CLOSE completed' });
    expect(await c.transact('FETCH 1 FLAGS', 'X2')).toEqual({ untagged: [], tagged: 'X2 BAD FETCH is not allowed without a selected mailbox' });
    expect(await c.transact('STATUS INBOX (MESSAGES)', 'X3')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 1)'], tagged: 'X3 OK STATUS completed' });
    expect(await other.transact('NOOP', 'X4')).toEqual({ untagged: ['* 3 EXPUNGE', '* 1 EXPUNGE'], tagged: 'X4 OK NOOP completed' });
    expect(await other.transact('FETCH 1:* (UID FLAGS)', 'X5')).toEqual({ untagged: ['* 1 FETCH (UID 2 FLAGS (\\Recent))'], tagged: 'X5 OK FETCH completed' });
  });

  it('does not report what other sessions did while it closes', async () => {
    const { g, c } = await world();
    await ok(c, 'SELECT INBOX');
    const other = await login(g);
    await ok(other, appendCommand('INBOX', simple('late')));
    expect(await c.transact('CLOSE', 'X1')).toEqual({ untagged: [], tagged: 'X1 OK CLOSE completed' });
    expect(await c.transact('NOOP', 'X2')).toEqual({ untagged: [], tagged: 'X2 OK NOOP completed' });
  });

  it('after EXAMINE nothing is removed', async () => {
    const { c } = await world();
    await append(c, 'INBOX', simple('stays'), { flags: '\\Deleted', date: DATE });
    await ok(c, 'EXAMINE INBOX');
    expect(await c.transact('CLOSE', 'X1')).toEqual({ untagged: [], tagged: 'X1 OK CLOSE completed' });
    expect(await c.transact('STATUS INBOX (MESSAGES)', 'X2')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 1)'], tagged: 'X2 OK STATUS completed' });
  });

  it('BAD without a selected mailbox, before login, and with arguments', async () => {
    const { g, c } = await world();
    expect(await c.transact('CLOSE', 'X1')).toEqual({ untagged: [], tagged: 'X1 BAD CLOSE is not allowed without a selected mailbox' });
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('CLOSE INBOX', 'X2')).toEqual({ untagged: [], tagged: 'X2 BAD this command takes no arguments' });
    // Still selected after the BAD.
    expect(await c.transact('CHECK', 'X3')).toEqual({ untagged: [], tagged: 'X3 OK CHECK completed' });
    const fresh = await connect(g);
    expect(await fresh.transact('CLOSE', 'X4')).toEqual({ untagged: [], tagged: 'X4 BAD CLOSE is not allowed before login' });
  });
});
