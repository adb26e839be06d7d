// UNSUBSCRIBE — RFC 3501 §6.3.7: removes a name from the subscription list. The mailbox itself
// stays (LIST still shows it). Wicket answers NO [NONEXISTENT] for a name that is no mailbox.
import { describe, expect, it } from 'vitest';
import { BOB, connect, login, ok, world } from '../fixtures/session.js';

describe('UNSUBSCRIBE', () => {
  it('removes the name from LSUB, not from LIST; another session sees it', async () => {
    const { g, c } = await world();
    const other = await login(g);
    expect(await c.transact('UNSUBSCRIBE Junk', 'U1')).toEqual({ untagged: [], tagged: 'U1 OK UNSUBSCRIBE completed' });
    expect(await other.transact('LSUB "" *', 'U2')).toEqual({
      untagged: ['* LSUB () "/" "Archive"', '* LSUB () "/" "Drafts"', '* LSUB () "/" "INBOX"', '* LSUB () "/" "Sent"', '* LSUB () "/" "Trash"'],
      tagged: 'U2 OK LSUB completed',
    });
    expect(await other.transact('LIST "" Junk', 'U3')).toEqual({ untagged: ['* LIST (\\HasNoChildren \\Junk) "/" "Junk"'], tagged: 'U3 OK LIST completed' });
    // Already unsubscribed: still OK.
    expect(await c.transact('UNSUBSCRIBE Junk', 'U4')).toEqual({ untagged: [], tagged: 'U4 OK UNSUBSCRIBE completed' });
  });

  it('errors: a missing mailbox is NO [NONEXISTENT]; invalid names are BAD; the session goes on', async () => {
    const { c } = await world();
    expect(await c.transact('UNSUBSCRIBE Nope', 'U1')).toEqual({ untagged: [], tagged: 'U1 NO [NONEXISTENT] mailbox Nope does not exist' });
    expect(await c.transact('UNSUBSCRIBE ".."', 'U2')).toEqual({ untagged: [], tagged: 'U2 BAD mailbox name: cannot have a "." or ".." level' });
    expect(await c.transact('UNSUBSCRIBE "*"', 'U3')).toEqual({
      untagged: [],
      tagged: 'U3 BAD mailbox name: cannot contain "*" or "%" (they are LIST wildcards, RFC 3501 §6.3.8)',
    });
    expect(await c.transact('UNSUBSCRIBE "x/"', 'U4')).toEqual({
      untagged: [],
      tagged: 'U4 BAD mailbox name: cannot start or end with the hierarchy delimiter "/"',
    });
    expect(await c.transact('UNSUBSCRIBE a b', 'U5')).toEqual({ untagged: [], tagged: 'U5 BAD expected a mailbox name' });
    expect(await c.transact('NOOP', 'U6')).toEqual({ untagged: [], tagged: 'U6 OK NOOP completed' });
  });

  it('before login: BAD', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact('UNSUBSCRIBE INBOX', 'U1')).toEqual({ untagged: [], tagged: 'U1 BAD UNSUBSCRIBE is not allowed before login' });
  });

  it('another account cannot unsubscribe this account\'s folders', async () => {
    const { g, c } = await world();
    await ok(c, 'CREATE Private');
    await g.account('bob');
    const b = await login(g, BOB);
    expect(await b.transact('UNSUBSCRIBE Private', 'U1')).toEqual({ untagged: [], tagged: 'U1 NO [NONEXISTENT] mailbox Private does not exist' });
    expect(await c.transact('LSUB "" Private', 'U2')).toEqual({ untagged: ['* LSUB () "/" "Private"'], tagged: 'U2 OK LSUB completed' });
  });
});
