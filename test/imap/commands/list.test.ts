// LIST — RFC 3501 §6.3.8: names matching reference + pattern, "*" matching anything and "%"
// anything but the hierarchy delimiter "/". Attributes: \Noselect for a name kept only for its
// inferiors, \HasChildren / \HasNoChildren (RFC 3348), and the special-use attribute of the
// system folders (RFC 6154). LIST "" "" asks for the delimiter. Names go out in modified UTF-7
// (§5.1.3) and come in the same way, wildcards included.
import { describe, expect, it } from 'vitest';
import { BOB, connect, login, ok, world } from '../fixtures/session.js';

const ARCHIVE = '* LIST (\\HasNoChildren \\Archive) "/" "Archive"';
const DRAFTS = '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"';
const INBOX = '* LIST (\\HasNoChildren) "/" "INBOX"';
const JUNK = '* LIST (\\HasNoChildren \\Junk) "/" "Junk"';
const SENT = '* LIST (\\HasNoChildren \\Sent) "/" "Sent"';
const TRASH = '* LIST (\\HasNoChildren \\Trash) "/" "Trash"';
const SYSTEM = [ARCHIVE, DRAFTS, INBOX, JUNK, SENT, TRASH];

describe('LIST', () => {
  it('"*" lists every mailbox, special-use attributes on the system folders', async () => {
    const { c } = await world();
    expect(await c.transact('LIST "" *', 'L1')).toEqual({ untagged: SYSTEM, tagged: 'L1 OK LIST completed' });
    expect(await c.transact('list "" "*"', 'L2')).toEqual({ untagged: SYSTEM, tagged: 'L2 OK LIST completed' });
  });

  it('an empty pattern gives the delimiter and the root, with or without a reference', async () => {
    const { c } = await world();
    expect(await c.transact('LIST "" ""', 'L1')).toEqual({ untagged: ['* LIST (\\Noselect) "/" ""'], tagged: 'L1 OK LIST completed' });
    expect(await c.transact('LIST "a/b" ""', 'L2')).toEqual({ untagged: ['* LIST (\\Noselect) "/" ""'], tagged: 'L2 OK LIST completed' });
  });

  it('"%" stops at the delimiter; \\HasChildren, \\HasNoChildren and \\Noselect', async () => {
    const { c } = await world();
    await ok(c, 'CREATE work/clients/acme');
    await ok(c, 'CREATE work/notes');
    await ok(c, 'CREATE gone/kid');
    await ok(c, 'DELETE gone');
    expect(await c.transact('LIST "" %', 'L1')).toEqual({
      untagged: [...SYSTEM, '* LIST (\\Noselect \\HasChildren) "/" "gone"', '* LIST (\\HasChildren) "/" "work"'],
      tagged: 'L1 OK LIST completed',
    });
    expect(await c.transact('LIST "" work/%', 'L2')).toEqual({
      untagged: ['* LIST (\\HasChildren) "/" "work/clients"', '* LIST (\\HasNoChildren) "/" "work/notes"'],
      tagged: 'L2 OK LIST completed',
    });
    expect(await c.transact('LIST "" %/%', 'L3')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "gone/kid"', '* LIST (\\HasChildren) "/" "work/clients"', '* LIST (\\HasNoChildren) "/" "work/notes"'],
      tagged: 'L3 OK LIST completed',
    });
    expect(await c.transact('LIST "" work/*', 'L4')).toEqual({
      untagged: [
        '* LIST (\\HasChildren) "/" "work/clients"',
        '* LIST (\\HasNoChildren) "/" "work/clients/acme"',
        '* LIST (\\HasNoChildren) "/" "work/notes"',
      ],
      tagged: 'L4 OK LIST completed',
    });
    expect(await c.transact('LIST "" *e', 'L5')).toEqual({
      untagged: [ARCHIVE, '* LIST (\\Noselect \\HasChildren) "/" "gone"', '* LIST (\\HasNoChildren) "/" "work/clients/acme"'],
      tagged: 'L5 OK LIST completed',
    });
  });

  it('reference and pattern are joined: "work/" "%", "work" "/%", "work/" "*"', async () => {
    const { c } = await world();
    await ok(c, 'CREATE work/clients/acme');
    const level = {
      untagged: ['* LIST (\\HasChildren) "/" "work/clients"'],
      tagged: '',
    };
    expect(await c.transact('LIST "work/" %', 'L1')).toEqual({ ...level, tagged: 'L1 OK LIST completed' });
    expect(await c.transact('LIST work "/%"', 'L2')).toEqual({ ...level, tagged: 'L2 OK LIST completed' });
    expect(await c.transact('LIST "work/" *', 'L3')).toEqual({
      untagged: ['* LIST (\\HasChildren) "/" "work/clients"', '* LIST (\\HasNoChildren) "/" "work/clients/acme"'],
      tagged: 'L3 OK LIST completed',
    });
    expect(await c.transact('LIST "work/" clients', 'L4')).toEqual({ ...level, tagged: 'L4 OK LIST completed' });
    expect(await c.transact('LIST "nothing/" *', 'L5')).toEqual({ untagged: [], tagged: 'L5 OK LIST completed' });
  });

  it('INBOX matches in any case, also as the superior of a pattern', async () => {
    const { c } = await world();
    await ok(c, 'CREATE INBOX/Receipts');
    expect(await c.transact('LIST "" inbox', 'L1')).toEqual({ untagged: ['* LIST (\\HasChildren) "/" "INBOX"'], tagged: 'L1 OK LIST completed' });
    expect(await c.transact('LIST "" Inbox/%', 'L2')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "INBOX/Receipts"'],
      tagged: 'L2 OK LIST completed',
    });
    expect(await c.transact('LIST inbox/ *', 'L3')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "INBOX/Receipts"'],
      tagged: 'L3 OK LIST completed',
    });
  });

  it('modified UTF-7: names are sent encoded, and patterns are decoded before matching', async () => {
    const { c } = await world();
    await ok(c, 'CREATE "&AOk-t&AOk-"');
    await ok(c, 'CREATE "&AOk-t&AOk-/&ZeVnLIqe-"');
    await ok(c, 'CREATE "R&AOk-sum&AOk-s"');
    await ok(c, 'CREATE "Tom &- Jerry"');
    expect(await c.transact('LIST "" "&AOk-*"', 'L1')).toEqual({
      untagged: ['* LIST (\\HasChildren) "/" "&AOk-t&AOk-"', '* LIST (\\HasNoChildren) "/" "&AOk-t&AOk-/&ZeVnLIqe-"'],
      tagged: 'L1 OK LIST completed',
    });
    expect(await c.transact('LIST "&AOk-t&AOk-/" %', 'L2')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "&AOk-t&AOk-/&ZeVnLIqe-"'],
      tagged: 'L2 OK LIST completed',
    });
    expect(await c.transact('LIST "" "*&AOk-s"', 'L3')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "R&AOk-sum&AOk-s"'],
      tagged: 'L3 OK LIST completed',
    });
    expect(await c.transact('LIST "" "T*"', 'L4')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "Tom &- Jerry"', TRASH],
      tagged: 'L4 OK LIST completed',
    });
  });

  it('a pattern that matches nothing: OK without data', async () => {
    const { c } = await world();
    expect(await c.transact('LIST "" Nope*', 'L1')).toEqual({ untagged: [], tagged: 'L1 OK LIST completed' });
    expect(await c.transact('LIST "" inbox/%', 'L2')).toEqual({ untagged: [], tagged: 'L2 OK LIST completed' });
  });

  it('bad arguments: BAD, and the session goes on', async () => {
    const { c } = await world();
    expect(await c.transact('LIST ""', 'L1')).toEqual({ untagged: [], tagged: 'L1 BAD expected LIST reference mailbox-pattern' });
    expect(await c.transact('LIST', 'L2')).toEqual({ untagged: [], tagged: 'L2 BAD expected LIST reference mailbox-pattern' });
    expect(await c.transact('LIST "" * extra', 'L3')).toEqual({ untagged: [], tagged: 'L3 BAD expected RETURN (options) after the patterns' });
    // LIST-EXTENDED (RFC 5258): a parenthesized list of patterns; nothing matches "a".
    expect(await c.transact('LIST "" (a)', 'L4')).toEqual({ untagged: [], tagged: 'L4 OK LIST completed' });
    expect(await c.transact('LIST "" "&AOk"', 'L5')).toEqual({
      untagged: [],
      tagged: 'L5 BAD mailbox pattern: not valid modified UTF-7: "&" run is not terminated by "-"',
    });
    expect(await c.transact('LIST "" {3+}\r\na\tb', 'L6')).toEqual({ untagged: [], tagged: 'L6 BAD mailbox pattern: cannot contain control characters' });
    expect(await c.transact('NOOP', 'L7')).toEqual({ untagged: [], tagged: 'L7 OK NOOP completed' });
  });

  it('before login: BAD', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact('LIST "" *', 'L1')).toEqual({ untagged: [], tagged: 'L1 BAD LIST is not allowed before login' });
  });

  it('another account lists only its own mailboxes', async () => {
    const { g, c } = await world();
    await ok(c, 'CREATE Private/Deals');
    await g.account('bob');
    const b = await login(g, BOB);
    expect(await b.transact('LIST "" *', 'L1')).toEqual({ untagged: SYSTEM, tagged: 'L1 OK LIST completed' });
    expect(await b.transact('LIST "" Private*', 'L2')).toEqual({ untagged: [], tagged: 'L2 OK LIST completed' });
    expect(await b.transact('LIST "Private/" %', 'L3')).toEqual({ untagged: [], tagged: 'L3 OK LIST completed' });
  });
});
