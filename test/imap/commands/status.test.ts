// STATUS — RFC 3501 §6.3.10: counts of a mailbox without selecting it, the items in the order
// asked: MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN. A missing mailbox is NO [NONEXISTENT].
import { describe, expect, it } from 'vitest';
import { BOB, append, connect, folder, login, ok, simple, world } from '../fixtures/session.js';

const DATE = '01-Nov-2026 10:00:00 +0000';

describe('STATUS', () => {
  it('each item on its own, and all of them in the order asked', async () => {
    const { g, sales, c } = await world();
    await append(c, 'Archive', simple('one'), { flags: '\\Seen', date: DATE });
    await append(c, 'Archive', simple('two'), { date: DATE });
    await append(c, 'Archive', simple('three'), { flags: '\\Flagged', date: DATE });
    const { uidValidity } = folder(g, sales, 'Archive');
    const one = async (tag: string, item: string, value: number) =>
      expect(await c.transact(`STATUS Archive (${item})`, tag)).toEqual({
        untagged: [`* STATUS "Archive" (${item} ${value})`],
        tagged: `${tag} OK STATUS completed`,
      });
    await one('S1', 'MESSAGES', 3);
    await one('S2', 'RECENT', 3);
    await one('S3', 'UIDNEXT', 4);
    await one('S4', 'UIDVALIDITY', uidValidity);
    await one('S5', 'UNSEEN', 2);
    expect(await c.transact('STATUS Archive (unseen uidvalidity UIDNEXT recent messages)', 'S6')).toEqual({
      untagged: [`* STATUS "Archive" (UNSEEN 2 UIDVALIDITY ${uidValidity} UIDNEXT 4 RECENT 3 MESSAGES 3)`],
      tagged: 'S6 OK STATUS completed',
    });
  });

  it('follows what other sessions do: new mail, \\Recent taken by a SELECT, \\Seen, expunge', async () => {
    const { g, c } = await world();
    const other = await login(g);
    const status = async (tag: string) => c.transact('STATUS INBOX (MESSAGES RECENT UIDNEXT UNSEEN)', tag);
    expect(await status('S1')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 0 RECENT 0 UIDNEXT 1 UNSEEN 0)'], tagged: 'S1 OK STATUS completed' });
    await append(other, 'INBOX', simple('one'), { date: DATE });
    await append(other, 'INBOX', simple('two'), { date: DATE });
    expect(await status('S2')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 2 RECENT 2 UIDNEXT 3 UNSEEN 2)'], tagged: 'S2 OK STATUS completed' });
    await ok(other, 'SELECT INBOX');
    expect(await status('S3')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 2 RECENT 0 UIDNEXT 3 UNSEEN 2)'], tagged: 'S3 OK STATUS completed' });
    await ok(other, 'STORE 1 +FLAGS (\\Seen \\Deleted)');
    expect(await status('S4')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 2 RECENT 0 UIDNEXT 3 UNSEEN 1)'], tagged: 'S4 OK STATUS completed' });
    await ok(other, 'EXPUNGE');
    expect(await status('S5')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 1 RECENT 0 UIDNEXT 3 UNSEEN 1)'], tagged: 'S5 OK STATUS completed' });
  });

  it('INBOX in any case and modified UTF-7 names, sent back in their canonical form', async () => {
    const { c } = await world();
    await ok(c, 'CREATE "&AOk-t&AOk-"');
    expect(await c.transact('STATUS inbox (MESSAGES)', 'S1')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 0)'], tagged: 'S1 OK STATUS completed' });
    expect(await c.transact('STATUS "&AOk-t&AOk-" (MESSAGES)', 'S2')).toEqual({
      untagged: ['* STATUS "&AOk-t&AOk-" (MESSAGES 0)'],
      tagged: 'S2 OK STATUS completed',
    });
  });

  it('errors: NO [NONEXISTENT] for a missing or \\Noselect mailbox; BAD for bad items and names', async () => {
    const { c } = await world();
    await ok(c, 'CREATE a/b');
    await ok(c, 'DELETE a');
    expect(await c.transact('STATUS Nope (MESSAGES)', 'S1')).toEqual({ untagged: [], tagged: 'S1 NO [NONEXISTENT] mailbox Nope does not exist' });
    expect(await c.transact('STATUS a (MESSAGES)', 'S2')).toEqual({ untagged: [], tagged: 'S2 NO [NONEXISTENT] mailbox a does not exist' });
    expect(await c.transact('STATUS INBOX (BIGNESS)', 'S3')).toEqual({ untagged: [], tagged: 'S3 BAD unknown status item BIGNESS' });
    expect(await c.transact('STATUS INBOX ("MESSAGES")', 'S4')).toEqual({ untagged: [], tagged: 'S4 BAD unknown status item (not an atom)' });
    expect(await c.transact('STATUS INBOX ()', 'S5')).toEqual({ untagged: [], tagged: 'S5 BAD expected at least one status item' });
    expect(await c.transact('STATUS INBOX MESSAGES', 'S6')).toEqual({ untagged: [], tagged: 'S6 BAD expected a parenthesized list of status items' });
    expect(await c.transact('STATUS INBOX', 'S7')).toEqual({ untagged: [], tagged: 'S7 BAD expected STATUS mailbox (items)' });
    expect(await c.transact('STATUS "a/../b" (MESSAGES)', 'S8')).toEqual({ untagged: [], tagged: 'S8 BAD mailbox name: cannot have a "." or ".." level' });
    expect(await c.transact('STATUS * (MESSAGES)', 'S9')).toEqual({
      untagged: [],
      tagged: 'S9 BAD mailbox name: cannot contain "*" or "%" (they are LIST wildcards, RFC 3501 §6.3.8)',
    });
    expect(await c.transact('NOOP', 'S10')).toEqual({ untagged: [], tagged: 'S10 OK NOOP completed' });
  });

  it('before login: BAD', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact('STATUS INBOX (MESSAGES)', 'S1')).toEqual({ untagged: [], tagged: 'S1 BAD STATUS is not allowed before login' });
  });

  it('another account gets no status of this account\'s folders, and its own INBOX is its own', async () => {
    const { g, c } = await world();
    await ok(c, 'CREATE Private');
    await append(c, 'INBOX', simple('mine'), { date: DATE });
    await g.account('bob');
    const b = await login(g, BOB);
    expect(await b.transact('STATUS Private (MESSAGES)', 'S1')).toEqual({ untagged: [], tagged: 'S1 NO [NONEXISTENT] mailbox Private does not exist' });
    expect(await b.transact('STATUS INBOX (MESSAGES UIDNEXT)', 'S2')).toEqual({
      untagged: ['* STATUS "INBOX" (MESSAGES 0 UIDNEXT 1)'],
      tagged: 'S2 OK STATUS completed',
    });
  });
});
