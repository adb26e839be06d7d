// RENAME — RFC 3501 §6.3.5: a new name for a mailbox; its inferiors move with it; renaming INBOX
// moves INBOX's messages into a new mailbox and leaves INBOX empty (its inferiors stay). The
// other system folders cannot be renamed or renamed onto (NO [CANNOT] / [ALREADYEXISTS]).
import { describe, expect, it } from 'vitest';
import { BOB, append, connect, folder, login, ok, simple, world } from '../fixtures/session.js';

const SYSTEM_LIST = [
  '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
  '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
  '* LIST (\\HasNoChildren) "/" "INBOX"',
  '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
  '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
  '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
];

describe('RENAME', () => {
  it('renames a mailbox; its messages go with it', async () => {
    const { c } = await world();
    await ok(c, 'CREATE old');
    await append(c, 'old', simple('kept'));
    expect(await c.transact('RENAME old new', 'R1')).toEqual({ untagged: [], tagged: 'R1 OK RENAME completed' });
    expect(await c.transact('LIST "" *', 'R2')).toEqual({
      untagged: [...SYSTEM_LIST, '* LIST (\\HasNoChildren) "/" "new"'],
      tagged: 'R2 OK LIST completed',
    });
    expect(await c.transact('STATUS new (MESSAGES)', 'R3')).toEqual({ untagged: ['* STATUS "new" (MESSAGES 1)'], tagged: 'R3 OK STATUS completed' });
    expect(await c.transact('STATUS old (MESSAGES)', 'R4')).toEqual({ untagged: [], tagged: 'R4 NO [NONEXISTENT] mailbox old does not exist' });
  });

  it('inferiors move with their superior; missing superiors of the new name are created', async () => {
    const { c } = await world();
    await ok(c, 'CREATE a/b/c');
    expect(await c.transact('RENAME a x/y', 'R1')).toEqual({ untagged: [], tagged: 'R1 OK RENAME completed' });
    expect(await c.transact('LIST "" *', 'R2')).toEqual({
      untagged: [
        ...SYSTEM_LIST,
        '* LIST (\\HasChildren) "/" "x"',
        '* LIST (\\HasChildren) "/" "x/y"',
        '* LIST (\\HasChildren) "/" "x/y/b"',
        '* LIST (\\HasNoChildren) "/" "x/y/b/c"',
      ],
      tagged: 'R2 OK LIST completed',
    });
  });

  it('renaming INBOX moves its messages (flags and dates kept) and leaves INBOX empty, with its inferiors', async () => {
    const { g, sales, c } = await world();
    await append(c, 'INBOX', simple('one'), { flags: '\\Seen $Work', date: '01-Nov-2026 10:00:00 +0000' });
    await append(c, 'INBOX', simple('two'), { flags: '\\Flagged', date: '02-Nov-2026 11:30:00 +0000' });
    await ok(c, 'CREATE INBOX/Kid');
    const watcher = await login(g);
    await ok(watcher, 'SELECT INBOX');
    const inboxBefore = folder(g, sales, 'INBOX');

    expect(await c.transact('RENAME INBOX "Old Mail"', 'R1')).toEqual({ untagged: [], tagged: 'R1 OK RENAME completed' });
    expect(await c.transact('LIST "" *', 'R2')).toEqual({
      untagged: [
        '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
        '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
        '* LIST (\\HasChildren) "/" "INBOX"',
        '* LIST (\\HasNoChildren) "/" "INBOX/Kid"',
        '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
        '* LIST (\\HasNoChildren) "/" "Old Mail"',
        '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
        '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
      ],
      tagged: 'R2 OK LIST completed',
    });
    // INBOX itself stays (same UIDVALIDITY, UIDs not reused), now empty.
    expect(await c.transact('STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY)', 'R3')).toEqual({
      untagged: [`* STATUS "INBOX" (MESSAGES 0 UIDNEXT 3 UIDVALIDITY ${inboxBefore.uidValidity})`],
      tagged: 'R3 OK STATUS completed',
    });
    await ok(c, 'EXAMINE "Old Mail"');
    // New to "Old Mail", the moved messages are \Recent there, as copies are (RFC 3501 §6.4.7).
    expect(await c.transact('FETCH 1:* (FLAGS INTERNALDATE)', 'R4')).toEqual({
      untagged: [
        '* 1 FETCH (FLAGS (\\Seen $Work \\Recent) INTERNALDATE "01-Nov-2026 10:00:00 +0000")',
        '* 2 FETCH (FLAGS (\\Flagged \\Recent) INTERNALDATE "02-Nov-2026 11:30:00 +0000")',
      ],
      tagged: 'R4 OK FETCH completed',
    });
    // A session that had INBOX selected is told its messages went.
    expect(await watcher.transact('NOOP', 'R5')).toEqual({ untagged: ['* 2 EXPUNGE', '* 1 EXPUNGE'], tagged: 'R5 OK NOOP completed' });
  });

  it('system folders cannot be renamed, nor used as the new name', async () => {
    const { c } = await world();
    await ok(c, 'CREATE mine');
    expect(await c.transact('RENAME Sent Outbox', 'R1')).toEqual({ untagged: [], tagged: 'R1 NO [CANNOT] Sent is a system folder and cannot be renamed' });
    expect(await c.transact('RENAME Trash Bin', 'R2')).toEqual({ untagged: [], tagged: 'R2 NO [CANNOT] Trash is a system folder and cannot be renamed' });
    expect(await c.transact('RENAME mine Archive', 'R3')).toEqual({ untagged: [], tagged: 'R3 NO [ALREADYEXISTS] mailbox Archive already exists' });
    expect(await c.transact('RENAME mine inbox', 'R4')).toEqual({ untagged: [], tagged: 'R4 NO [ALREADYEXISTS] mailbox INBOX already exists' });
    expect(await c.transact('LIST "" *', 'R5')).toEqual({
      untagged: [...SYSTEM_LIST, '* LIST (\\HasNoChildren) "/" "mine"'],
      tagged: 'R5 OK LIST completed',
    });
  });

  it('errors: missing source, existing target, into itself, invalid names; the session goes on', async () => {
    const { c } = await world();
    await ok(c, 'CREATE a');
    await ok(c, 'CREATE b');
    expect(await c.transact('RENAME Nope x', 'R1')).toEqual({ untagged: [], tagged: 'R1 NO [NONEXISTENT] mailbox Nope does not exist' });
    expect(await c.transact('RENAME a b', 'R2')).toEqual({ untagged: [], tagged: 'R2 NO [ALREADYEXISTS] mailbox b already exists' });
    expect(await c.transact('RENAME a a/inner', 'R3')).toEqual({ untagged: [], tagged: 'R3 NO [CANNOT] cannot move a into itself' });
    expect(await c.transact('RENAME a "x/../y"', 'R4')).toEqual({ untagged: [], tagged: 'R4 BAD mailbox name: cannot have a "." or ".." level' });
    expect(await c.transact('RENAME a "x//y"', 'R5')).toEqual({ untagged: [], tagged: 'R5 BAD mailbox name: cannot contain an empty level ("//")' });
    expect(await c.transact('RENAME a "*"', 'R6')).toEqual({
      untagged: [],
      tagged: 'R6 BAD mailbox name: cannot contain "*" or "%" (they are LIST wildcards, RFC 3501 §6.3.8)',
    });
    expect(await c.transact('RENAME a', 'R7')).toEqual({ untagged: [], tagged: 'R7 BAD expected RENAME existing-name new-name' });
    expect(await c.transact('NOOP', 'R8')).toEqual({ untagged: [], tagged: 'R8 OK NOOP completed' });
    expect(await c.transact('LIST "" %', 'R9')).toEqual({
      untagged: [...SYSTEM_LIST, '* LIST (\\HasNoChildren) "/" "a"', '* LIST (\\HasNoChildren) "/" "b"'],
      tagged: 'R9 OK LIST completed',
    });
  });

  it('before login: BAD', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact('RENAME a b', 'R1')).toEqual({ untagged: [], tagged: 'R1 BAD RENAME is not allowed before login' });
  });

  it('another account cannot rename this account\'s folders', async () => {
    const { g, sales, c } = await world();
    await ok(c, 'CREATE Private');
    await g.account('bob');
    const b = await login(g, BOB);
    expect(await b.transact('RENAME Private Mine', 'R1')).toEqual({ untagged: [], tagged: 'R1 NO [NONEXISTENT] mailbox Private does not exist' });
    expect(folder(g, sales, 'Private').name).toBe('Private');
  });
});
