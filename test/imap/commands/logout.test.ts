// LOGOUT — RFC 3501 §6.1.3: in any state, an untagged BYE, then the tagged OK, then the server
// closes the connection. It does not expunge (only CLOSE and EXPUNGE do).
import { describe, expect, it } from 'vitest';
import { append, connect, folder, login, ok, simple, world } from '../fixtures/session.js';

describe('LOGOUT', () => {
  it('before login: BYE, OK, and the server closes', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact('LOGOUT', 'L1')).toEqual({ untagged: ['* BYE Wicket logging out'], tagged: 'L1 OK LOGOUT completed' });
    expect(await c.closedByServer()).toBe(true);
  });

  it('with a mailbox selected: BYE, OK, closed, and \\Deleted messages stay', async () => {
    const { g, sales, c } = await world();
    await append(c, 'INBOX', simple('keep'), { flags: '\\Deleted', date: '01-Nov-2026 10:00:00 +0000' });
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('LOGOUT', 'L1')).toEqual({ untagged: ['* BYE Wicket logging out'], tagged: 'L1 OK LOGOUT completed' });
    expect(await c.closedByServer()).toBe(true);
    const other = await login(g);
    expect(await other.transact('STATUS INBOX (MESSAGES)', 'S1')).toEqual({
      untagged: ['* STATUS "INBOX" (MESSAGES 1)'],
      tagged: 'S1 OK STATUS completed',
    });
    expect(folder(g, sales, 'INBOX').uidNext).toBe(2);
  });

  it('takes no arguments: BAD, and the session stays open', async () => {
    const { c } = await world();
    expect(await c.transact('LOGOUT now', 'L1')).toEqual({ untagged: [], tagged: 'L1 BAD this command takes no arguments' });
    expect(await c.transact('NOOP', 'N1')).toEqual({ untagged: [], tagged: 'N1 OK NOOP completed' });
  });
});
