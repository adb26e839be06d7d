// SUBSCRIBE — RFC 3501 §6.3.6: adds a name to the subscription list LSUB reads. Wicket checks
// that the mailbox exists (the RFC allows it) and answers NO [NONEXISTENT] otherwise. New
// mailboxes and the system folders start subscribed.
import { describe, expect, it } from 'vitest';
import { BOB, connect, login, ok, world } from '../fixtures/session.js';

describe('SUBSCRIBE', () => {
  it('subscribes a mailbox again after UNSUBSCRIBE; another session sees it in LSUB', async () => {
    const { g, c } = await world();
    await ok(c, 'CREATE news');
    await ok(c, 'UNSUBSCRIBE news');
    const other = await login(g);
    expect(await other.transact('LSUB "" news', 'S1')).toEqual({ untagged: [], tagged: 'S1 OK LSUB completed' });
    expect(await c.transact('SUBSCRIBE news', 'S2')).toEqual({ untagged: [], tagged: 'S2 OK SUBSCRIBE completed' });
    expect(await other.transact('LSUB "" news', 'S3')).toEqual({ untagged: ['* LSUB () "/" "news"'], tagged: 'S3 OK LSUB completed' });
    // Subscribing twice is harmless.
    expect(await c.transact('SUBSCRIBE news', 'S4')).toEqual({ untagged: [], tagged: 'S4 OK SUBSCRIBE completed' });
    expect(await other.transact('LSUB "" news', 'S5')).toEqual({ untagged: ['* LSUB () "/" "news"'], tagged: 'S5 OK LSUB completed' });
  });

  it('takes INBOX in any case and modified UTF-7 names', async () => {
    const { c } = await world();
    await ok(c, 'CREATE "&AOk-t&AOk-"');
    await ok(c, 'UNSUBSCRIBE "&AOk-t&AOk-"');
    await ok(c, 'UNSUBSCRIBE INBOX');
    expect(await c.transact('SUBSCRIBE inbox', 'S1')).toEqual({ untagged: [], tagged: 'S1 OK SUBSCRIBE completed' });
    expect(await c.transact('SUBSCRIBE "&AOk-t&AOk-"', 'S2')).toEqual({ untagged: [], tagged: 'S2 OK SUBSCRIBE completed' });
    expect(await c.transact('LSUB "" "*"', 'S3')).toEqual({
      untagged: [
        '* LSUB () "/" "Archive"',
        '* LSUB () "/" "Drafts"',
        '* LSUB () "/" "INBOX"',
        '* LSUB () "/" "Junk"',
        '* LSUB () "/" "Sent"',
        '* LSUB () "/" "Trash"',
        '* LSUB () "/" "&AOk-t&AOk-"',
      ],
      tagged: 'S3 OK LSUB completed',
    });
  });

  it('errors: a missing mailbox is NO [NONEXISTENT]; invalid names are BAD; the session goes on', async () => {
    const { c } = await world();
    expect(await c.transact('SUBSCRIBE Nope', 'S1')).toEqual({ untagged: [], tagged: 'S1 NO [NONEXISTENT] mailbox Nope does not exist' });
    expect(await c.transact('SUBSCRIBE "a/../b"', 'S2')).toEqual({ untagged: [], tagged: 'S2 BAD mailbox name: cannot have a "." or ".." level' });
    expect(await c.transact('SUBSCRIBE "%"', 'S3')).toEqual({
      untagged: [],
      tagged: 'S3 BAD mailbox name: cannot contain "*" or "%" (they are LIST wildcards, RFC 3501 §6.3.8)',
    });
    expect(await c.transact('SUBSCRIBE "a//b"', 'S4')).toEqual({ untagged: [], tagged: 'S4 BAD mailbox name: cannot contain an empty level ("//")' });
    expect(await c.transact('SUBSCRIBE', 'S5')).toEqual({ untagged: [], tagged: 'S5 BAD expected a mailbox name' });
    expect(await c.transact('NOOP', 'S6')).toEqual({ untagged: [], tagged: 'S6 OK NOOP completed' });
  });

  it('before login: BAD', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact('SUBSCRIBE INBOX', 'S1')).toEqual({ untagged: [], tagged: 'S1 BAD SUBSCRIBE is not allowed before login' });
  });

  it('another account cannot subscribe to this account\'s folders', async () => {
    const { g, c } = await world();
    await ok(c, 'CREATE Private');
    await g.account('bob');
    const b = await login(g, BOB);
    expect(await b.transact('SUBSCRIBE Private', 'S1')).toEqual({ untagged: [], tagged: 'S1 NO [NONEXISTENT] mailbox Private does not exist' });
    expect(await b.transact('LSUB "" Private', 'S2')).toEqual({ untagged: [], tagged: 'S2 OK LSUB completed' });
  });
});
