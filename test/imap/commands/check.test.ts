// CHECK — RFC 3501 §6.4.1: a checkpoint of the selected mailbox. Every write is already
// durable, so it answers OK — and, like any command, reports pending updates first.
import { describe, expect, it } from 'vitest';
import { appendCommand, connect, login, ok, simple, world } from '../fixtures/session.js';

describe('CHECK', () => {
  it('OK with a mailbox selected; updates from other sessions come first', async () => {
    const { g, c } = await world();
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('CHECK', 'K1')).toEqual({ untagged: [], tagged: 'K1 OK CHECK completed' });
    const other = await login(g);
    await ok(other, appendCommand('INBOX', simple('new')));
    expect(await c.transact('CHECK', 'K2')).toEqual({ untagged: ['* 1 EXISTS', '* 1 RECENT'], tagged: 'K2 OK CHECK completed' });
  });

  it('BAD without a selected mailbox and before login', async () => {
    const { g, c } = await world();
    expect(await c.transact('CHECK', 'K1')).toEqual({ untagged: [], tagged: 'K1 BAD CHECK is not allowed without a selected mailbox' });
    const fresh = await connect(g);
    expect(await fresh.transact('CHECK', 'K2')).toEqual({ untagged: [], tagged: 'K2 BAD CHECK is not allowed before login' });
  });

  it('takes no arguments: BAD, and the session goes on', async () => {
    const { c } = await world();
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('CHECK INBOX', 'K1')).toEqual({ untagged: [], tagged: 'K1 BAD this command takes no arguments' });
    expect(await c.transact('CHECK', 'K2')).toEqual({ untagged: [], tagged: 'K2 OK CHECK completed' });
  });
});
