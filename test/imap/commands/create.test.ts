// CREATE — RFC 3501 §6.3.3: a new mailbox; missing superiors are created too; a trailing
// hierarchy delimiter only says the name will have inferiors and is dropped. Creating a name
// that exists (INBOX in any case, a system folder) is NO [ALREADYEXISTS] (RFC 5530); a name
// that cannot be a mailbox name is BAD. Names are modified UTF-7 on the wire (§5.1.3).
import { describe, expect, it } from 'vitest';
import { BOB, connect, folder, login, ok, world } from '../fixtures/session.js';

describe('CREATE', () => {
  it('creates a mailbox that LIST then shows, in this session and another', async () => {
    const { g, sales, c } = await world();
    const other = await login(g);
    expect(await c.transact('CREATE Projects', 'C1')).toEqual({ untagged: [], tagged: 'C1 OK CREATE completed' });
    expect(await other.transact('LIST "" Projects', 'C2')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "Projects"'],
      tagged: 'C2 OK LIST completed',
    });
    const { uidValidity } = folder(g, sales, 'Projects');
    expect(await other.transact('STATUS Projects (MESSAGES UIDNEXT UIDVALIDITY)', 'C3')).toEqual({
      untagged: [`* STATUS "Projects" (MESSAGES 0 UIDNEXT 1 UIDVALIDITY ${uidValidity})`],
      tagged: 'C3 OK STATUS completed',
    });
  });

  it('creates missing superiors; a trailing delimiter is dropped', async () => {
    const { c } = await world();
    expect(await c.transact('CREATE a/b/c', 'C1')).toEqual({ untagged: [], tagged: 'C1 OK CREATE completed' });
    expect(await c.transact('CREATE "x/"', 'C2')).toEqual({ untagged: [], tagged: 'C2 OK CREATE completed' });
    expect(await c.transact('LIST "" "*"', 'C3')).toEqual({
      untagged: [
        '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
        '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
        '* LIST (\\HasNoChildren) "/" "INBOX"',
        '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
        '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
        '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
        '* LIST (\\HasChildren) "/" "a"',
        '* LIST (\\HasChildren) "/" "a/b"',
        '* LIST (\\HasNoChildren) "/" "a/b/c"',
        '* LIST (\\HasNoChildren) "/" "x"',
      ],
      tagged: 'C3 OK LIST completed',
    });
  });

  it('names in modified UTF-7, with quotes and backslashes, and as a literal', async () => {
    const { g, sales, c } = await world();
    expect(await c.transact('CREATE "&AOk-t&AOk-"', 'C1')).toEqual({ untagged: [], tagged: 'C1 OK CREATE completed' });
    expect(folder(g, sales, 'été').name).toBe('été');
    expect(await c.transact('CREATE "&ZeVnLIqe-/&-co"', 'C2')).toEqual({ untagged: [], tagged: 'C2 OK CREATE completed' });
    expect(folder(g, sales, '日本語/&co').name).toBe('日本語/&co');
    expect(await c.transact('CREATE "say \\"hi\\" \\\\o/"', 'C3')).toEqual({ untagged: [], tagged: 'C3 OK CREATE completed' });
    c.write('C4 CREATE {11}\r\n');
    expect(await c.response()).toBe('+ Ready for literal data');
    c.write('Two Words!\x7e\r\n');
    expect(await c.until('C4')).toEqual({ untagged: [], tagged: 'C4 OK CREATE completed' });
    expect(await c.transact('LIST "" *', 'C5')).toEqual({
      untagged: [
        '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
        '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
        '* LIST (\\HasNoChildren) "/" "INBOX"',
        '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
        '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
        '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
        '* LIST (\\HasNoChildren) "/" "Two Words!~"',
        '* LIST (\\HasNoChildren) "/" "say \\"hi\\" \\\\o"',
        '* LIST (\\HasNoChildren) "/" "&AOk-t&AOk-"',
        '* LIST (\\HasChildren) "/" "&ZeVnLIqe-"',
        '* LIST (\\HasNoChildren) "/" "&ZeVnLIqe-/&-co"',
      ],
      tagged: 'C5 OK LIST completed',
    });
  });

  it('a name that exists: NO [ALREADYEXISTS] (INBOX in any case, system folders, own folders)', async () => {
    const { c } = await world();
    await ok(c, 'CREATE Projects');
    expect(await c.transact('CREATE Projects', 'C1')).toEqual({ untagged: [], tagged: 'C1 NO [ALREADYEXISTS] mailbox Projects already exists' });
    expect(await c.transact('CREATE inbox', 'C2')).toEqual({ untagged: [], tagged: 'C2 NO [ALREADYEXISTS] mailbox INBOX already exists' });
    expect(await c.transact('CREATE Sent', 'C3')).toEqual({ untagged: [], tagged: 'C3 NO [ALREADYEXISTS] mailbox Sent already exists' });
    // INBOX may have inferiors, spelled with INBOX whatever the case sent.
    expect(await c.transact('CREATE inbox/Sub', 'C4')).toEqual({ untagged: [], tagged: 'C4 OK CREATE completed' });
    expect(await c.transact('LIST "" INBOX*', 'C5')).toEqual({
      untagged: ['* LIST (\\HasChildren) "/" "INBOX"', '* LIST (\\HasNoChildren) "/" "INBOX/Sub"'],
      tagged: 'C5 OK LIST completed',
    });
  });

  it('a \\Noselect name left by DELETE becomes a mailbox again, with a new UIDVALIDITY', async () => {
    const { g, sales, c } = await world();
    await ok(c, 'CREATE a/b');
    const before = folder(g, sales, 'a').uidValidity;
    await ok(c, 'DELETE a');
    expect(await c.transact('LIST "" a', 'C1')).toEqual({ untagged: ['* LIST (\\Noselect \\HasChildren) "/" "a"'], tagged: 'C1 OK LIST completed' });
    expect(await c.transact('CREATE a', 'C2')).toEqual({ untagged: [], tagged: 'C2 OK CREATE completed' });
    expect(await c.transact('LIST "" a', 'C3')).toEqual({ untagged: ['* LIST (\\HasChildren) "/" "a"'], tagged: 'C3 OK LIST completed' });
    expect(folder(g, sales, 'a').uidValidity).not.toBe(before);
  });

  it('names that cannot be mailbox names: BAD, and the session goes on', async () => {
    const { c } = await world();
    const bad = (tag: string, text: string) => ({ untagged: [], tagged: `${tag} BAD ${text}` });
    expect(await c.transact('CREATE ".."', 'C1')).toEqual(bad('C1', 'mailbox name: cannot have a "." or ".." level'));
    expect(await c.transact('CREATE "a/./b"', 'C2')).toEqual(bad('C2', 'mailbox name: cannot have a "." or ".." level'));
    expect(await c.transact('CREATE "*"', 'C3')).toEqual(bad('C3', 'mailbox name: cannot contain "*" or "%" (they are LIST wildcards, RFC 3501 §6.3.8)'));
    expect(await c.transact('CREATE "50%"', 'C4')).toEqual(bad('C4', 'mailbox name: cannot contain "*" or "%" (they are LIST wildcards, RFC 3501 §6.3.8)'));
    expect(await c.transact('CREATE a%', 'C5')).toEqual(bad('C5', 'argument: "%" is not allowed in an unquoted string; quote it'));
    expect(await c.transact('CREATE "a//b"', 'C6')).toEqual(bad('C6', 'mailbox name: cannot contain an empty level ("//")'));
    expect(await c.transact('CREATE "/a"', 'C7')).toEqual(bad('C7', 'mailbox name: cannot start or end with the hierarchy delimiter "/"'));
    expect(await c.transact('CREATE ""', 'C8')).toEqual(bad('C8', 'mailbox name: empty'));
    expect(await c.transact('CREATE "caf\u00e9"', 'C9')).toEqual(
      bad('C9', 'mailbox name: 8-bit characters must be sent in modified UTF-7 (RFC 3501 §5.1.3) unless UTF8=ACCEPT is enabled'),
    );
    expect(await c.transact('CREATE "&AOk"', 'C10')).toEqual(bad('C10', 'mailbox name: not valid modified UTF-7: "&" run is not terminated by "-"'));
    // Modified UTF-7 has one spelling per name: printable ASCII is never base64-encoded.
    expect(await c.transact('CREATE "&AGE-"', 'C11')).toEqual(
      bad('C11', 'mailbox name: not valid modified UTF-7: printable character "a" must not be base64-encoded'),
    );
    expect(await c.transact('CREATE {3+}\r\na\tb', 'C12')).toEqual(bad('C12', 'mailbox name: cannot contain control characters'));
    expect(await c.transact('CREATE', 'C13')).toEqual(bad('C13', 'expected CREATE mailbox [(USE (\\special-use))]'));
    expect(await c.transact('CREATE a b', 'C14')).toEqual(bad('C14', 'expected CREATE mailbox [(USE (\\special-use))]'));
    expect(await c.transact('NOOP', 'C15')).toEqual({ untagged: [], tagged: 'C15 OK NOOP completed' });
    expect(await c.transact('LIST "" %', 'C16')).toEqual({
      untagged: [
        '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
        '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
        '* LIST (\\HasNoChildren) "/" "INBOX"',
        '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
        '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
        '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
      ],
      tagged: 'C16 OK LIST completed',
    });
  });

  it('before login: BAD', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact('CREATE Projects', 'C1')).toEqual({ untagged: [], tagged: 'C1 BAD CREATE is not allowed before login' });
  });

  it('each account has its own names: the same name in two accounts are two mailboxes', async () => {
    const { g, sales, c } = await world();
    const bob = await g.account('bob');
    const b = await login(g, BOB);
    await ok(c, 'CREATE Private');
    expect(await b.transact('CREATE Private', 'C1')).toEqual({ untagged: [], tagged: 'C1 OK CREATE completed' });
    expect(folder(g, bob, 'Private').id).not.toBe(folder(g, sales, 'Private').id);
  });
});
