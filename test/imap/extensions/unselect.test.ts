// UNSELECT — RFC 3691: leaves the selected state like CLOSE, but expunges nothing — the \Deleted
// messages stay — and sends no EXPUNGE responses. Valid only with a mailbox selected.
import { describe, expect, it } from 'vitest';
import { append, connect, folder, login, ok, simple, stillServes, world } from '../fixtures/session.js';
import { withInbox } from '../fixtures/extensions.js';

describe('UNSELECT', () => {
  it('\\Deleted messages are not expunged and no EXPUNGE is sent; the session is back in the authenticated state', async () => {
    const { g, sales, c } = await withInbox(['one', 'two', 'three']);
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 1:2 +FLAGS.SILENT (\\Deleted)');
    expect(await c.transact('UNSELECT', 'U1')).toEqual({ untagged: [], tagged: 'U1 OK UNSELECT completed' });
    expect(await c.transact('FETCH 1 (FLAGS)', 'U2')).toEqual({ untagged: [], tagged: 'U2 BAD FETCH is not allowed without a selected mailbox' });
    expect(await c.transact('STATUS INBOX (MESSAGES)', 'U3')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 3)'], tagged: 'U3 OK STATUS completed' });
    const { mail } = g.gateway.services.store;
    expect(mail.listMessages(folder(g, sales, 'INBOX').id).map((m) => [m.uid, m.flags])).toEqual([
      [1, ['\\Deleted']],
      [2, ['\\Deleted']],
      [3, []],
    ]);
  });

  it('compared with CLOSE, which does expunge', async () => {
    const { c } = await withInbox(['one', 'two']);
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    expect(await c.transact('UNSELECT', 'U1')).toEqual({ untagged: [], tagged: 'U1 OK UNSELECT completed' });
    expect(await c.transact('STATUS INBOX (MESSAGES)', 'U2')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 2)'], tagged: 'U2 OK STATUS completed' });
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('CLOSE', 'U3')).toEqual({ untagged: [], tagged: 'U3 OK CLOSE completed' });
    expect(await c.transact('STATUS INBOX (MESSAGES)', 'U4')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 1)'], tagged: 'U4 OK STATUS completed' });
  });

  it('pending changes from other sessions are not reported on the way out', async () => {
    const { g, c } = await withInbox(['one', 'two']);
    await ok(c, 'SELECT INBOX');
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(other, 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    await ok(other, 'EXPUNGE');
    await append(other, 'INBOX', simple('three'));
    expect(await c.transact('UNSELECT', 'U1')).toEqual({ untagged: [], tagged: 'U1 OK UNSELECT completed' });
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });

  it('after EXAMINE as well; SELECT afterwards opens the mailbox afresh', async () => {
    const { c, uidValidity } = await withInbox(['one']);
    await ok(c, 'EXAMINE INBOX');
    expect(await c.transact('UNSELECT', 'U1')).toEqual({ untagged: [], tagged: 'U1 OK UNSELECT completed' });
    expect(await c.transact('SELECT INBOX', 'U2')).toEqual({
      untagged: [
        '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)',
        '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] flags permitted',
        '* 1 EXISTS',
        '* 1 RECENT',
        '* OK [UNSEEN 1] first unseen message',
        `* OK [UIDVALIDITY ${uidValidity}] UIDs valid`,
        '* OK [UIDNEXT 2] predicted next UID',
      ],
      tagged: 'U2 OK [READ-WRITE] SELECT completed',
    });
  });

  it('without a selected mailbox, before login, or with arguments: BAD', async () => {
    const { g, c } = await world();
    expect(await c.transact('UNSELECT', 'U1')).toEqual({ untagged: [], tagged: 'U1 BAD UNSELECT is not allowed without a selected mailbox' });
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('UNSELECT INBOX', 'U2')).toEqual({ untagged: [], tagged: 'U2 BAD this command takes no arguments' });
    // The BAD left INBOX selected.
    expect(await c.transact('UNSELECT', 'U3')).toEqual({ untagged: [], tagged: 'U3 OK UNSELECT completed' });
    expect(await c.transact('UNSELECT', 'U4')).toEqual({ untagged: [], tagged: 'U4 BAD UNSELECT is not allowed without a selected mailbox' });
    const fresh = await connect(g);
    expect(await fresh.transact('UNSELECT', 'U5')).toEqual({ untagged: [], tagged: 'U5 BAD UNSELECT is not allowed before login' });
  });

  it('with QRESYNC enabled: no [CLOSED] either (RFC 7162 §3.2.11: only for SELECT/EXAMINE of another mailbox)', async () => {
    const { c } = await world();
    await ok(c, 'ENABLE QRESYNC');
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('UNSELECT', 'U1')).toEqual({ untagged: [], tagged: 'U1 OK UNSELECT completed' });
  });
});
