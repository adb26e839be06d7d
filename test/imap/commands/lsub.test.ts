// LSUB — RFC 3501 §6.3.9: the subscribed names matching reference + pattern, as LIST matches
// them. When "%" stops at a level that is not itself subscribed but has subscribed inferiors,
// that level is returned with \Noselect. "The server MUST NOT unilaterally remove an existing
// mailbox name from the subscription list even if a mailbox by that name no longer exists."
import { describe, expect, it } from 'vitest';
import { BOB, connect, login, ok, world } from '../fixtures/session.js';

const SYSTEM = ['* LSUB () "/" "Archive"', '* LSUB () "/" "Drafts"', '* LSUB () "/" "INBOX"', '* LSUB () "/" "Junk"', '* LSUB () "/" "Sent"', '* LSUB () "/" "Trash"'];

describe('LSUB', () => {
  it('the system folders start subscribed; so does a new mailbox and its new superiors', async () => {
    const { c } = await world();
    expect(await c.transact('LSUB "" *', 'L1')).toEqual({ untagged: SYSTEM, tagged: 'L1 OK LSUB completed' });
    await ok(c, 'CREATE lists/ietf');
    expect(await c.transact('LSUB "" *', 'L2')).toEqual({
      untagged: [...SYSTEM, '* LSUB () "/" "lists"', '* LSUB () "/" "lists/ietf"'],
      tagged: 'L2 OK LSUB completed',
    });
  });

  it('"%" returns an unsubscribed level with subscribed inferiors as \\Noselect', async () => {
    const { c } = await world();
    await ok(c, 'CREATE lists/ietf/imap');
    await ok(c, 'UNSUBSCRIBE lists');
    await ok(c, 'UNSUBSCRIBE lists/ietf');
    expect(await c.transact('LSUB "" %', 'L1')).toEqual({
      untagged: [...SYSTEM, '* LSUB (\\Noselect) "/" "lists"'],
      tagged: 'L1 OK LSUB completed',
    });
    expect(await c.transact('LSUB "" lists/%', 'L2')).toEqual({ untagged: ['* LSUB (\\Noselect) "/" "lists/ietf"'], tagged: 'L2 OK LSUB completed' });
    expect(await c.transact('LSUB "lists/" *', 'L3')).toEqual({ untagged: ['* LSUB () "/" "lists/ietf/imap"'], tagged: 'L3 OK LSUB completed' });
    expect(await c.transact('LSUB lists "/%/%"', 'L4')).toEqual({ untagged: ['* LSUB () "/" "lists/ietf/imap"'], tagged: 'L4 OK LSUB completed' });
    await ok(c, 'UNSUBSCRIBE lists/ietf/imap');
    expect(await c.transact('LSUB "" %', 'L5')).toEqual({ untagged: SYSTEM, tagged: 'L5 OK LSUB completed' });
  });

  it('INBOX in any case, and modified UTF-7 names and patterns', async () => {
    const { c } = await world();
    await ok(c, 'CREATE "&AOk-t&AOk-"');
    expect(await c.transact('LSUB "" inbox', 'L1')).toEqual({ untagged: ['* LSUB () "/" "INBOX"'], tagged: 'L1 OK LSUB completed' });
    expect(await c.transact('LSUB "" "&AOk-*"', 'L2')).toEqual({ untagged: ['* LSUB () "/" "&AOk-t&AOk-"'], tagged: 'L2 OK LSUB completed' });
  });

  // RFC 3501 §6.3.9: the subscription list keeps a name even when the mailbox no longer exists.
  // DELETE of a mailbox with inferiors keeps the name (\Noselect) and its subscription.
  it('a subscribed mailbox deleted while it has inferiors stays in LSUB "*"', async () => {
    const { c } = await world();
    await ok(c, 'CREATE projects/alpha');
    await ok(c, 'DELETE projects');
    const result = await c.transact('LSUB "" *', 'L1');
    expect(result.tagged).toBe('L1 OK LSUB completed');
    expect(result.untagged).toEqual([
      ...SYSTEM,
      expect.stringMatching(/^\* LSUB \((\\Noselect)?\) "\/" "projects"$/),
      '* LSUB () "/" "projects/alpha"',
    ]);
  });

  it('bad arguments: BAD, and the session goes on', async () => {
    const { c } = await world();
    expect(await c.transact('LSUB ""', 'L1')).toEqual({ untagged: [], tagged: 'L1 BAD expected LSUB reference mailbox-pattern' });
    expect(await c.transact('LSUB "" "&AOk"', 'L2')).toEqual({
      untagged: [],
      tagged: 'L2 BAD mailbox pattern: not valid modified UTF-7: "&" run is not terminated by "-"',
    });
    expect(await c.transact('LSUB () *', 'L3')).toEqual({ untagged: [], tagged: 'L3 BAD mailbox pattern: expected a string, not a list' });
    expect(await c.transact('NOOP', 'L4')).toEqual({ untagged: [], tagged: 'L4 OK NOOP completed' });
  });

  it('before login: BAD', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact('LSUB "" *', 'L1')).toEqual({ untagged: [], tagged: 'L1 BAD LSUB is not allowed before login' });
  });

  it('another account sees only its own subscriptions', async () => {
    const { g, c } = await world();
    await ok(c, 'CREATE Private');
    await g.account('bob');
    const b = await login(g, BOB);
    expect(await b.transact('LSUB "" *', 'L1')).toEqual({ untagged: SYSTEM, tagged: 'L1 OK LSUB completed' });
  });
});
