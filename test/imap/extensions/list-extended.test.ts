// LIST-EXTENDED — RFC 5258: LIST [(selection options)] reference (pattern | (patterns))
// [RETURN (return options)]. Selection SUBSCRIBED lists subscribed names with \Subscribed (§3.1);
// RECURSIVEMATCH (never alone, §3.1: BAD) also lists parents that do not match the selection but
// have descendants that do, with the CHILDINFO extended data item (§3.5); RETURN (SUBSCRIBED)
// adds \Subscribed, RETURN (CHILDREN) \HasChildren/\HasNoChildren (§4). Several patterns in one
// command (§3), each mailbox listed once.
import { describe, expect, it } from 'vitest';
import { ok, stillServes, world } from '../fixtures/session.js';

const SUBSCRIBED_SIX = [
  '* LIST (\\HasNoChildren \\Subscribed \\Archive) "/" "Archive"',
  '* LIST (\\HasNoChildren \\Subscribed \\Drafts) "/" "Drafts"',
  '* LIST (\\HasNoChildren \\Subscribed) "/" "INBOX"',
  '* LIST (\\HasNoChildren \\Subscribed \\Junk) "/" "Junk"',
  '* LIST (\\HasNoChildren \\Subscribed \\Sent) "/" "Sent"',
  '* LIST (\\HasNoChildren \\Subscribed \\Trash) "/" "Trash"',
];

/** work (unsubscribed) with work/a (subscribed) and work/b (unsubscribed); news (unsubscribed). */
async function tree() {
  const w = await world();
  await ok(w.c, 'CREATE work/a');
  await ok(w.c, 'CREATE work/b');
  await ok(w.c, 'CREATE news');
  await ok(w.c, 'UNSUBSCRIBE work');
  await ok(w.c, 'UNSUBSCRIBE work/b');
  await ok(w.c, 'UNSUBSCRIBE news');
  return w;
}

describe('LIST-EXTENDED', () => {
  it('LIST (SUBSCRIBED) "" "*": only subscribed names, each with \\Subscribed', async () => {
    const { c } = await tree();
    expect(await c.transact('LIST (SUBSCRIBED) "" "*"', 'L1')).toEqual({
      untagged: [...SUBSCRIBED_SIX, '* LIST (\\HasNoChildren \\Subscribed) "/" "work/a"'],
      tagged: 'L1 OK LIST completed',
    });
    // With "%" the subscribed child is below the pattern's level: not listed, nor is its parent.
    expect(await c.transact('LIST (SUBSCRIBED) "" "%"', 'L2')).toEqual({ untagged: SUBSCRIBED_SIX, tagged: 'L2 OK LIST completed' });
  });

  it('LIST "" "*" RETURN (SUBSCRIBED CHILDREN): every mailbox, \\Subscribed where subscribed, children attributes', async () => {
    const { c } = await tree();
    expect(await c.transact('LIST "" "*" RETURN (SUBSCRIBED CHILDREN)', 'L1')).toEqual({
      untagged: [
        ...SUBSCRIBED_SIX,
        '* LIST (\\HasNoChildren) "/" "news"',
        '* LIST (\\HasChildren) "/" "work"',
        '* LIST (\\HasNoChildren \\Subscribed) "/" "work/a"',
        '* LIST (\\HasNoChildren) "/" "work/b"',
      ],
      tagged: 'L1 OK LIST completed',
    });
    expect(await c.transact('LIST "" "work" RETURN (CHILDREN)', 'L2')).toEqual({ untagged: ['* LIST (\\HasChildren) "/" "work"'], tagged: 'L2 OK LIST completed' });
    expect(await c.transact('LIST "" "work/%" RETURN ()', 'L3')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "work/a"', '* LIST (\\HasNoChildren) "/" "work/b"'],
      tagged: 'L3 OK LIST completed',
    });
  });

  it('several patterns: LIST "" ("INBOX" "Sent"); a mailbox matching two patterns is listed once', async () => {
    const { c } = await tree();
    expect(await c.transact('LIST "" ("INBOX" "Sent")', 'L1')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "INBOX"', '* LIST (\\HasNoChildren \\Sent) "/" "Sent"'],
      tagged: 'L1 OK LIST completed',
    });
    expect(await c.transact('LIST "" ("work/*" "*/a" "INBOX" "inbox")', 'L2')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "INBOX"', '* LIST (\\HasNoChildren) "/" "work/a"', '* LIST (\\HasNoChildren) "/" "work/b"'],
      tagged: 'L2 OK LIST completed',
    });
    expect(await c.transact('LIST (SUBSCRIBED) "" ("work/*" "news")', 'L3')).toEqual({
      untagged: ['* LIST (\\HasNoChildren \\Subscribed) "/" "work/a"'],
      tagged: 'L3 OK LIST completed',
    });
    expect(await c.transact('LIST "" ("nothing" "matches*")', 'L4')).toEqual({ untagged: [], tagged: 'L4 OK LIST completed' });
  });

  it('RECURSIVEMATCH: a parent that is not subscribed but has a subscribed child is listed with CHILDINFO', async () => {
    const { c } = await tree();
    expect(await c.transact('LIST (SUBSCRIBED RECURSIVEMATCH) "" "%"', 'L1')).toEqual({
      untagged: [...SUBSCRIBED_SIX, '* LIST (\\HasChildren) "/" "work" ("CHILDINFO" ("SUBSCRIBED"))'],
      tagged: 'L1 OK LIST completed',
    });
    // With "*" the child itself matches as well.
    expect(await c.transact('LIST (SUBSCRIBED RECURSIVEMATCH) "" "work*"', 'L2')).toEqual({
      untagged: ['* LIST (\\HasChildren) "/" "work" ("CHILDINFO" ("SUBSCRIBED"))', '* LIST (\\HasNoChildren \\Subscribed) "/" "work/a"'],
      tagged: 'L2 OK LIST completed',
    });
    // No subscribed descendant: not listed.
    await ok(c, 'UNSUBSCRIBE work/a');
    expect(await c.transact('LIST (SUBSCRIBED RECURSIVEMATCH) "" "w%"', 'L3')).toEqual({ untagged: [], tagged: 'L3 OK LIST completed' });
  });

  it('REMOTE is accepted and changes nothing (there are no remote mailboxes)', async () => {
    const { c } = await world();
    expect(await c.transact('LIST (REMOTE) "" "Sent"', 'L1')).toEqual({ untagged: ['* LIST (\\HasNoChildren \\Sent) "/" "Sent"'], tagged: 'L1 OK LIST completed' });
    expect(await c.transact('LIST (REMOTE SUBSCRIBED) "" "Sent"', 'L2')).toEqual({
      untagged: ['* LIST (\\HasNoChildren \\Subscribed \\Sent) "/" "Sent"'],
      tagged: 'L2 OK LIST completed',
    });
  });

  it('RECURSIVEMATCH alone (or only with REMOTE), unknown options, bad RETURN: BAD, and the session goes on', async () => {
    const { c } = await world();
    const bad = (tag: string, text: string) => ({ untagged: [], tagged: `${tag} BAD ${text}` });
    expect(await c.transact('LIST (RECURSIVEMATCH) "" "*"', 'B1')).toEqual(bad('B1', 'RECURSIVEMATCH needs SUBSCRIBED or SPECIAL-USE'));
    expect(await c.transact('LIST (REMOTE RECURSIVEMATCH) "" "*"', 'B2')).toEqual(bad('B2', 'RECURSIVEMATCH needs SUBSCRIBED or SPECIAL-USE'));
    expect(await c.transact('LIST (FOO) "" "*"', 'B3')).toEqual(bad('B3', 'unknown LIST selection option FOO'));
    expect(await c.transact('LIST "" "*" RETURN (FOO)', 'B4')).toEqual(bad('B4', 'unknown LIST return option FOO'));
    expect(await c.transact('LIST "" "*" RETURN SUBSCRIBED', 'B5')).toEqual(bad('B5', 'expected RETURN (options) after the patterns'));
    expect(await c.transact('LIST "" "*" (SUBSCRIBED)', 'B6')).toEqual(bad('B6', 'expected RETURN (options) after the patterns'));
    expect(await c.transact('LIST (SUBSCRIBED) ""', 'B7')).toEqual(bad('B7', 'expected LIST reference mailbox-pattern'));
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });

  // RFC 5258 §3.1 (SUBSCRIBED): "It's also possible for this list to contain the names of
  // mailboxes that don't exist. In any case, the list MUST include exactly those mailbox names
  // that match the canonical list pattern and are subscribed to", with \NonExistent (§3.4) for a
  // name that does not exist; RFC 3501 §6.3.6: "The server MUST NOT unilaterally remove an
  // existing mailbox name from the subscription list even if a mailbox by that name no longer
  // exists."
  it('a subscribed mailbox that was deleted is still listed by LIST (SUBSCRIBED), as \\NonExistent (RFC 5258 §3.1, §3.4)', async () => {
    const { c } = await world();
    await ok(c, 'CREATE news');
    await ok(c, 'DELETE news');
    expect(await c.transact('LSUB "" "news"', 'L1')).toEqual({ untagged: ['* LSUB () "/" "news"'], tagged: 'L1 OK LSUB completed' });
    const listed = await c.transact('LIST (SUBSCRIBED) "" "news"', 'L2');
    expect(listed.tagged).toBe('L2 OK LIST completed');
    expect(listed.untagged).toHaveLength(1);
    const attributes = /^\* LIST \(([^)]*)\) "\/" "news"$/.exec(listed.untagged[0]!)![1]!.split(' ');
    expect(attributes).toEqual(expect.arrayContaining(['\\NonExistent', '\\Subscribed']));
    // Plain LIST shows mailboxes only; UNSUBSCRIBE drops the name; CREATE brings it back subscribed.
    expect(await c.transact('LIST "" "news"', 'L3')).toEqual({ untagged: [], tagged: 'L3 OK LIST completed' });
    expect(await c.transact('UNSUBSCRIBE news', 'L4')).toEqual({ untagged: [], tagged: 'L4 OK UNSUBSCRIBE completed' });
    expect(await c.transact('LSUB "" "news"', 'L5')).toEqual({ untagged: [], tagged: 'L5 OK LSUB completed' });
    expect(await c.transact('UNSUBSCRIBE news', 'L6')).toEqual({ untagged: [], tagged: 'L6 NO [NONEXISTENT] mailbox news does not exist' });
    await ok(c, 'CREATE news');
    expect(await c.transact('LIST (SUBSCRIBED) "" "news"', 'L7')).toEqual({ untagged: ['* LIST (\\HasNoChildren \\Subscribed) "/" "news"'], tagged: 'L7 OK LIST completed' });
  });

  it('subscriptions follow RENAME, children included', async () => {
    const { c } = await world();
    await ok(c, 'CREATE projects/alpha');
    await ok(c, 'UNSUBSCRIBE projects');
    await ok(c, 'RENAME projects work');
    expect(await c.transact('LSUB "" "*"', 'R1')).toEqual({
      untagged: ['* LSUB () "/" "Archive"', '* LSUB () "/" "Drafts"', '* LSUB () "/" "INBOX"', '* LSUB () "/" "Junk"', '* LSUB () "/" "Sent"', '* LSUB () "/" "Trash"', '* LSUB () "/" "work/alpha"'],
      tagged: 'R1 OK LSUB completed',
    });
    expect(await c.transact('LIST (SUBSCRIBED) "" "projects*"', 'R2')).toEqual({ untagged: [], tagged: 'R2 OK LIST completed' });
  });
});
