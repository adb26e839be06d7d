// NAMESPACE — RFC 2342: one personal namespace with an empty prefix and "/" as the hierarchy
// delimiter, no other users' and no shared namespaces: `* NAMESPACE (("" "/")) NIL NIL`.
// iOS Mail asks NAMESPACE first, then lists everything with the special-use attributes
// (RFC 6154) to find Sent, Drafts, Trash, Junk and Archive.
import { describe, expect, it } from 'vitest';
import { ok, stillServes, world } from '../fixtures/session.js';

const SIX = [
  '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
  '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
  '* LIST (\\HasNoChildren) "/" "INBOX"',
  '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
  '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
  '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
];

describe('NAMESPACE', () => {
  it('one personal namespace, prefix "" and delimiter "/"; in the authenticated and the selected state', async () => {
    const { c } = await world();
    const answer = (tag: string) => ({ untagged: ['* NAMESPACE (("" "/")) NIL NIL'], tagged: `${tag} OK NAMESPACE completed` });
    expect(await c.transact('NAMESPACE', 'N1')).toEqual(answer('N1'));
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('namespace', 'N2')).toEqual(answer('N2'));
  });

  it('the delimiter agrees with LIST "" ""', async () => {
    const { c } = await world();
    expect(await c.transact('LIST "" ""', 'N1')).toEqual({ untagged: ['* LIST (\\Noselect) "/" ""'], tagged: 'N1 OK LIST completed' });
  });

  it('takes no arguments', async () => {
    const { c } = await world();
    expect(await c.transact('NAMESPACE INBOX', 'N1')).toEqual({ untagged: [], tagged: 'N1 BAD this command takes no arguments' });
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });

  it('iOS: NAMESPACE, then LIST "" "*" RETURN (SPECIAL-USE): the six folders with their special-use attributes', async () => {
    const { c } = await world();
    expect(await c.transact('NAMESPACE', 'I1')).toEqual({ untagged: ['* NAMESPACE (("" "/")) NIL NIL'], tagged: 'I1 OK NAMESPACE completed' });
    expect(await c.transact('LIST "" "*" RETURN (SPECIAL-USE)', 'I2')).toEqual({ untagged: SIX, tagged: 'I2 OK LIST completed' });
    // The same with the empty prefix from NAMESPACE as the reference and "%" (top level only).
    expect(await c.transact('LIST "" "%" RETURN (SPECIAL-USE)', 'I3')).toEqual({ untagged: SIX, tagged: 'I3 OK LIST completed' });
  });

  it('iOS with folders of its own: nested names appear under the empty prefix, with \\HasChildren', async () => {
    const { c } = await world();
    await ok(c, 'CREATE Clients/Acme');
    expect(await c.transact('LIST "" "*" RETURN (SPECIAL-USE)', 'I1')).toEqual({
      untagged: [SIX[0], '* LIST (\\HasChildren) "/" "Clients"', '* LIST (\\HasNoChildren) "/" "Clients/Acme"', ...SIX.slice(1)],
      tagged: 'I1 OK LIST completed',
    });
  });
});
