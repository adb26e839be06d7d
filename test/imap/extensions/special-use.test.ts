// SPECIAL-USE and CREATE-SPECIAL-USE — RFC 6154. The five system folders other than INBOX carry
// \Archive, \Drafts, \Junk, \Sent and \Trash in every LIST (§2 allows it without being asked);
// the SPECIAL-USE selection option lists only mailboxes with a special use, RETURN (SPECIAL-USE)
// asks for the attributes (§3). CREATE name (USE (\attr)) (§3) gives a new mailbox a special use;
// if it cannot — the use is taken (each exists once here) or not one this server supports — the
// mailbox is not created and the answer is NO [USEATTR].
import { describe, expect, it } from 'vitest';
import { ok, stillServes, world } from '../fixtures/session.js';

const ARCHIVE = '* LIST (\\HasNoChildren \\Archive) "/" "Archive"';
const DRAFTS = '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"';
const INBOX = '* LIST (\\HasNoChildren) "/" "INBOX"';
const JUNK = '* LIST (\\HasNoChildren \\Junk) "/" "Junk"';
const SENT = '* LIST (\\HasNoChildren \\Sent) "/" "Sent"';
const TRASH = '* LIST (\\HasNoChildren \\Trash) "/" "Trash"';
const FIVE = [ARCHIVE, DRAFTS, JUNK, SENT, TRASH];

describe('SPECIAL-USE', () => {
  it('LIST (SPECIAL-USE) "" "*": only the mailboxes with a special use', async () => {
    const { c } = await world();
    await ok(c, 'CREATE Projects');
    expect(await c.transact('LIST (SPECIAL-USE) "" "*"', 'S1')).toEqual({ untagged: FIVE, tagged: 'S1 OK LIST completed' });
    expect(await c.transact('LIST (SPECIAL-USE) "" "*" RETURN (SPECIAL-USE)', 'S2')).toEqual({ untagged: FIVE, tagged: 'S2 OK LIST completed' });
    expect(await c.transact('LIST (SPECIAL-USE) "" ("S*" "T*" "INBOX")', 'S3')).toEqual({ untagged: [SENT, TRASH], tagged: 'S3 OK LIST completed' });
  });

  it('LIST "" "*" RETURN (SPECIAL-USE): all mailboxes, the attributes where they apply', async () => {
    const { c } = await world();
    await ok(c, 'CREATE Projects');
    expect(await c.transact('LIST "" "*" RETURN (SPECIAL-USE)', 'S1')).toEqual({
      untagged: [ARCHIVE, DRAFTS, INBOX, JUNK, '* LIST (\\HasNoChildren) "/" "Projects"', SENT, TRASH],
      tagged: 'S1 OK LIST completed',
    });
  });

  it('special-use folders keep their attribute with children under them', async () => {
    const { c } = await world();
    await ok(c, 'CREATE Archive/2025');
    expect(await c.transact('LIST (SPECIAL-USE) "" "Archive*"', 'S1')).toEqual({
      untagged: ['* LIST (\\HasChildren \\Archive) "/" "Archive"'],
      tagged: 'S1 OK LIST completed',
    });
    expect(await c.transact('LIST (SPECIAL-USE RECURSIVEMATCH) "" "Archive/%"', 'S2')).toEqual({ untagged: [], tagged: 'S2 OK LIST completed' });
  });
});

describe('CREATE-SPECIAL-USE', () => {
  it('CREATE X (USE (\\Archive)): the use is taken by Archive — NO [USEATTR], nothing created', async () => {
    const { c } = await world();
    expect(await c.transact('CREATE Old (USE (\\Archive))', 'C1')).toEqual({ untagged: [], tagged: 'C1 NO [USEATTR] a mailbox with \\Archive already exists' });
    expect(await c.transact('CREATE Outbox (USE (\\sent))', 'C2')).toEqual({ untagged: [], tagged: 'C2 NO [USEATTR] a mailbox with \\Sent already exists' });
    expect(await c.transact('LIST "" ("Old" "Outbox")', 'C3')).toEqual({ untagged: [], tagged: 'C3 OK LIST completed' });
    expect(await c.transact('LIST (SPECIAL-USE) "" "*"', 'C4')).toEqual({ untagged: FIVE, tagged: 'C4 OK LIST completed' });
  });

  it('the system folders cannot be deleted, so their uses cannot be freed; deleting a mailbox of your own changes nothing', async () => {
    const { c } = await world();
    expect(await c.transact('DELETE Archive', 'C1')).toEqual({ untagged: [], tagged: 'C1 NO [CANNOT] Archive is a system folder and cannot be deleted' });
    await ok(c, 'CREATE Old');
    await ok(c, 'DELETE Old');
    expect(await c.transact('CREATE Old (USE (\\Archive))', 'C2')).toEqual({ untagged: [], tagged: 'C2 NO [USEATTR] a mailbox with \\Archive already exists' });
    // Only the uses of the system folders exist.
    expect(await c.transact('LIST (SPECIAL-USE) "" "*"', 'C3')).toEqual({ untagged: FIVE, tagged: 'C3 OK LIST completed' });
  });

  it('a use this server does not support (RFC 6154 \\All and \\Flagged, or an unknown one): NO [USEATTR], nothing created', async () => {
    const { c } = await world();
    expect(await c.transact('CREATE Everything (USE (\\All))', 'C1')).toEqual({ untagged: [], tagged: 'C1 NO [USEATTR] \\All is not a special use this server supports' });
    expect(await c.transact('CREATE Starred (USE (\\Flagged))', 'C2')).toEqual({ untagged: [], tagged: 'C2 NO [USEATTR] \\Flagged is not a special use this server supports' });
    expect(await c.transact('CREATE Other (USE (\\Important))', 'C3')).toEqual({ untagged: [], tagged: 'C3 NO [USEATTR] \\Important is not a special use this server supports' });
    expect(await c.transact('CREATE Two (USE (\\Archive \\Junk))', 'C4')).toEqual({ untagged: [], tagged: 'C4 NO [USEATTR] give exactly one special-use attribute' });
    expect(await c.transact('CREATE None (USE ())', 'C5')).toEqual({ untagged: [], tagged: 'C5 NO [USEATTR] give exactly one special-use attribute' });
    expect(await c.transact('LIST "" ("Everything" "Starred" "Other" "Two" "None")', 'C6')).toEqual({ untagged: [], tagged: 'C6 OK LIST completed' });
  });

  it('malformed create parameters: BAD; a plain CREATE still works and has no special use', async () => {
    const { c } = await world();
    const bad = (tag: string) => ({ untagged: [], tagged: `${tag} BAD expected CREATE mailbox [(USE (\\special-use))]` });
    expect(await c.transact('CREATE X (USE \\Archive)', 'C1')).toEqual(bad('C1'));
    expect(await c.transact('CREATE X (FOO (\\Archive))', 'C2')).toEqual(bad('C2'));
    expect(await c.transact('CREATE X USE', 'C3')).toEqual(bad('C3'));
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
    expect(await c.transact('CREATE X', 'C4')).toEqual({ untagged: [], tagged: 'C4 OK CREATE completed' });
    expect(await c.transact('LIST "" X RETURN (SPECIAL-USE)', 'C5')).toEqual({ untagged: ['* LIST (\\HasNoChildren) "/" "X"'], tagged: 'C5 OK LIST completed' });
  });
});
