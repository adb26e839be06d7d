// DELETE — RFC 3501 §6.3.4: removes a mailbox and its messages. A mailbox with inferiors stays
// as a \Noselect name; deleting such a \Noselect name while it still has inferiors is an error.
// INBOX and the other system folders cannot be deleted (NO [CANNOT]); a missing name is
// NO [NONEXISTENT] (RFC 5530). A mailbox created again under a deleted name gets a new
// UIDVALIDITY (RFC 3501 §2.3.1.1).
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

describe('DELETE', () => {
  it('deletes a mailbox and its messages; another session no longer lists it', async () => {
    const { g, sales, c } = await world();
    await ok(c, 'CREATE Old');
    await append(c, 'Old', simple('bye'));
    const other = await login(g);
    expect(await c.transact('DELETE Old', 'D1')).toEqual({ untagged: [], tagged: 'D1 OK DELETE completed' });
    expect(await other.transact('LIST "" *', 'D2')).toEqual({ untagged: SYSTEM_LIST, tagged: 'D2 OK LIST completed' });
    expect(await other.transact('STATUS Old (MESSAGES)', 'D3')).toEqual({ untagged: [], tagged: 'D3 NO [NONEXISTENT] mailbox Old does not exist' });
    expect(g.gateway.services.store.mail.getMailbox(sales.id, 'Old')).toBeUndefined();
  });

  it('a name created again after DELETE gets a new UIDVALIDITY', async () => {
    const { g, sales, c } = await world();
    await ok(c, 'CREATE Again');
    const first = folder(g, sales, 'Again').uidValidity;
    await ok(c, 'DELETE Again');
    await ok(c, 'CREATE Again');
    const second = folder(g, sales, 'Again').uidValidity;
    expect(second).not.toBe(first);
    expect(await c.transact('STATUS Again (UIDVALIDITY)', 'D1')).toEqual({
      untagged: [`* STATUS "Again" (UIDVALIDITY ${second})`],
      tagged: 'D1 OK STATUS completed',
    });
  });

  it('a mailbox with inferiors becomes \\Noselect; that name cannot be deleted until they are gone', async () => {
    const { c } = await world();
    await ok(c, 'CREATE a/b');
    expect(await c.transact('DELETE a', 'D1')).toEqual({ untagged: [], tagged: 'D1 OK DELETE completed' });
    expect(await c.transact('LIST "" a*', 'D2')).toEqual({
      untagged: ['* LIST (\\Noselect \\HasChildren) "/" "a"', '* LIST (\\HasNoChildren) "/" "a/b"'],
      tagged: 'D2 OK LIST completed',
    });
    expect(await c.transact('DELETE a', 'D3')).toEqual({ untagged: [], tagged: 'D3 NO [CANNOT] a has child mailboxes; delete them first' });
    // Deleting the last inferior takes the placeholder with it.
    expect(await c.transact('DELETE a/b', 'D4')).toEqual({ untagged: [], tagged: 'D4 OK DELETE completed' });
    expect(await c.transact('LIST "" a*', 'D5')).toEqual({ untagged: [], tagged: 'D5 OK LIST completed' });
  });

  it('INBOX and the system folders cannot be deleted: NO [CANNOT]', async () => {
    const { c } = await world();
    expect(await c.transact('DELETE INBOX', 'D1')).toEqual({ untagged: [], tagged: 'D1 NO [CANNOT] INBOX is a system folder and cannot be deleted' });
    expect(await c.transact('DELETE inbox', 'D2')).toEqual({ untagged: [], tagged: 'D2 NO [CANNOT] INBOX is a system folder and cannot be deleted' });
    for (const [i, name] of ['Sent', 'Drafts', 'Trash', 'Junk', 'Archive'].entries()) {
      expect(await c.transact(`DELETE ${name}`, `S${i}`)).toEqual({ untagged: [], tagged: `S${i} NO [CANNOT] ${name} is a system folder and cannot be deleted` });
    }
    expect(await c.transact('LIST "" *', 'D3')).toEqual({ untagged: SYSTEM_LIST, tagged: 'D3 OK LIST completed' });
  });

  it('errors: a missing name is NO [NONEXISTENT]; invalid names and arguments are BAD; the session goes on', async () => {
    const { c } = await world();
    expect(await c.transact('DELETE Nope', 'D1')).toEqual({ untagged: [], tagged: 'D1 NO [NONEXISTENT] mailbox Nope does not exist' });
    expect(await c.transact('DELETE "a/../b"', 'D2')).toEqual({ untagged: [], tagged: 'D2 BAD mailbox name: cannot have a "." or ".." level' });
    expect(await c.transact('DELETE "*"', 'D3')).toEqual({
      untagged: [],
      tagged: 'D3 BAD mailbox name: cannot contain "*" or "%" (they are LIST wildcards, RFC 3501 §6.3.8)',
    });
    expect(await c.transact('DELETE', 'D4')).toEqual({ untagged: [], tagged: 'D4 BAD expected a mailbox name' });
    expect(await c.transact('NOOP', 'D5')).toEqual({ untagged: [], tagged: 'D5 OK NOOP completed' });
  });

  it('before login: BAD', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact('DELETE Old', 'D1')).toEqual({ untagged: [], tagged: 'D1 BAD DELETE is not allowed before login' });
  });

  it('another account cannot delete this account\'s folders', async () => {
    const { g, sales, c } = await world();
    await ok(c, 'CREATE Private');
    await g.account('bob');
    const b = await login(g, BOB);
    expect(await b.transact('DELETE Private', 'D1')).toEqual({ untagged: [], tagged: 'D1 NO [NONEXISTENT] mailbox Private does not exist' });
    expect(folder(g, sales, 'Private').name).toBe('Private');
  });
});
