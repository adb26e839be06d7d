// LIST-STATUS — RFC 5819: LIST … RETURN (STATUS (items)) sends a STATUS response right after
// each LIST response for a selectable mailbox — never for a \Noselect (or \NonExistent) one
// (§2). The items are those of the STATUS command (RFC 3501 §6.3.10, HIGHESTMODSEQ of RFC 7162,
// SIZE of RFC 8438).
import { describe, expect, it } from 'vitest';
import { append, ok, simple, stillServes, world } from '../fixtures/session.js';
import { validity } from '../fixtures/extensions.js';

describe('LIST-STATUS', () => {
  it('RETURN (STATUS (MESSAGES UNSEEN)): a STATUS line after each LIST line', async () => {
    const { c } = await world();
    await append(c, 'INBOX', simple('one'), { flags: '\\Seen' });
    await append(c, 'INBOX', simple('two'));
    await append(c, 'Sent', simple('sent'), { flags: '\\Seen' });
    expect(await c.transact('LIST "" "*" RETURN (STATUS (MESSAGES UNSEEN))', 'L1')).toEqual({
      untagged: [
        '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
        '* STATUS "Archive" (MESSAGES 0 UNSEEN 0)',
        '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
        '* STATUS "Drafts" (MESSAGES 0 UNSEEN 0)',
        '* LIST (\\HasNoChildren) "/" "INBOX"',
        '* STATUS "INBOX" (MESSAGES 2 UNSEEN 1)',
        '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
        '* STATUS "Junk" (MESSAGES 0 UNSEEN 0)',
        '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
        '* STATUS "Sent" (MESSAGES 1 UNSEEN 0)',
        '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
        '* STATUS "Trash" (MESSAGES 0 UNSEEN 0)',
      ],
      tagged: 'L1 OK LIST completed',
    });
  });

  it('no STATUS for a \\Noselect name; its selectable child gets one', async () => {
    const { c } = await world();
    await ok(c, 'CREATE gone/kid');
    await ok(c, 'DELETE gone');
    expect(await c.transact('LIST "" "gone*" RETURN (STATUS (MESSAGES))', 'L1')).toEqual({
      untagged: ['* LIST (\\Noselect \\HasChildren) "/" "gone"', '* LIST (\\HasNoChildren) "/" "gone/kid"', '* STATUS "gone/kid" (MESSAGES 0)'],
      tagged: 'L1 OK LIST completed',
    });
  });

  it('every status item, with other return options and a selection option', async () => {
    const w = await world();
    const { c } = w;
    const raw = simple('one');
    await append(c, 'Drafts', raw, { flags: '\\Draft' });
    expect(await c.transact('LIST (SPECIAL-USE) "" "Dr*" RETURN (SUBSCRIBED STATUS (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ SIZE))', 'L1')).toEqual({
      untagged: [
        '* LIST (\\HasNoChildren \\Subscribed \\Drafts) "/" "Drafts"',
        `* STATUS "Drafts" (MESSAGES 1 RECENT 1 UIDNEXT 2 UIDVALIDITY ${validity(w, 'Drafts')} UNSEEN 1 HIGHESTMODSEQ 2 SIZE ${Buffer.byteLength(raw)})`,
      ],
      tagged: 'L1 OK LIST completed',
    });
    await ok(c, 'UNSUBSCRIBE Junk');
    expect(await c.transact('LIST (SUBSCRIBED) "" "J*" RETURN (STATUS (MESSAGES))', 'L2')).toEqual({ untagged: [], tagged: 'L2 OK LIST completed' });
    expect(await c.transact('LIST "" ("Junk" "Trash") RETURN (STATUS (UIDNEXT) SUBSCRIBED)', 'L3')).toEqual({
      untagged: ['* LIST (\\HasNoChildren \\Junk) "/" "Junk"', '* STATUS "Junk" (UIDNEXT 1)', '* LIST (\\HasNoChildren \\Subscribed \\Trash) "/" "Trash"', '* STATUS "Trash" (UIDNEXT 1)'],
      tagged: 'L3 OK LIST completed',
    });
  });

  it('the selected mailbox gets its STATUS too, counting what is there now', async () => {
    const { c } = await world();
    await append(c, 'INBOX', simple('one'));
    await ok(c, 'SELECT INBOX');
    await append(c, 'INBOX', simple('two'));
    expect(await c.transact('LIST "" "INBOX" RETURN (STATUS (MESSAGES))', 'L1')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "INBOX"', '* STATUS "INBOX" (MESSAGES 2)'],
      tagged: 'L1 OK LIST completed',
    });
  });

  it('malformed STATUS return option: BAD, and the session goes on', async () => {
    const { c } = await world();
    const bad = (tag: string, text: string) => ({ untagged: [], tagged: `${tag} BAD ${text}` });
    expect(await c.transact('LIST "" "*" RETURN (STATUS)', 'B1')).toEqual(bad('B1', 'RETURN STATUS needs a list of status items'));
    expect(await c.transact('LIST "" "*" RETURN (STATUS MESSAGES)', 'B2')).toEqual(bad('B2', 'RETURN STATUS needs a list of status items'));
    expect(await c.transact('LIST "" "*" RETURN (STATUS (FOO))', 'B3')).toEqual(bad('B3', 'unknown status item FOO'));
    expect(await c.transact('LIST "" "*" RETURN (STATUS ())', 'B4')).toEqual(bad('B4', 'expected at least one status item'));
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });
});
