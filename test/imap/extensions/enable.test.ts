// ENABLE — RFC 5161: the client turns on extensions that change what the server sends. The
// untagged ENABLED lists only what this command newly enabled (an extension already on, or one
// the server does not know, is left out; unknown names are not an error, §3.1). QRESYNC implies
// CONDSTORE (RFC 7162 §3.2.3). ENABLE is valid only in the authenticated state (§3.1), so it is
// BAD before login and with a mailbox selected.
import { describe, expect, it } from 'vitest';
import { connect, login, ok, selectLines, stillServes, world } from '../fixtures/session.js';
import { validity, withInbox } from '../fixtures/extensions.js';

describe('ENABLE', () => {
  it('ENABLED lists what was newly enabled; asking again lists nothing', async () => {
    const { c } = await world();
    expect(await c.transact('ENABLE CONDSTORE', 'E1')).toEqual({ untagged: ['* ENABLED CONDSTORE'], tagged: 'E1 OK ENABLE completed' });
    expect(await c.transact('ENABLE CONDSTORE', 'E2')).toEqual({ untagged: ['* ENABLED'], tagged: 'E2 OK ENABLE completed' });
    expect(await c.transact('ENABLE UTF8=ACCEPT CONDSTORE', 'E3')).toEqual({ untagged: ['* ENABLED UTF8=ACCEPT'], tagged: 'E3 OK ENABLE completed' });
  });

  it('QRESYNC implies CONDSTORE: both are enabled, and CONDSTORE is not new afterwards', async () => {
    const { c } = await world();
    expect(await c.transact('ENABLE QRESYNC', 'E1')).toEqual({ untagged: ['* ENABLED CONDSTORE QRESYNC'], tagged: 'E1 OK ENABLE completed' });
    expect(await c.transact('ENABLE CONDSTORE QRESYNC', 'E2')).toEqual({ untagged: ['* ENABLED'], tagged: 'E2 OK ENABLE completed' });
  });

  it('"ENABLE QRESYNC CONDSTORE" and "ENABLE CONDSTORE QRESYNC" enable the same', async () => {
    const { g, c } = await world();
    expect(await c.transact('ENABLE QRESYNC CONDSTORE', 'E1')).toEqual({ untagged: ['* ENABLED CONDSTORE QRESYNC'], tagged: 'E1 OK ENABLE completed' });
    const other = await login(g);
    expect(await other.transact('ENABLE CONDSTORE QRESYNC', 'E2')).toEqual({ untagged: ['* ENABLED CONDSTORE QRESYNC'], tagged: 'E2 OK ENABLE completed' });
  });

  it('unknown names (and extensions that are not ENABLE-able) are ignored, not an error; names are case-insensitive', async () => {
    const { c } = await world();
    expect(await c.transact('ENABLE X-UNKNOWN IMAP4rev2 IDLE', 'E1')).toEqual({ untagged: ['* ENABLED'], tagged: 'E1 OK ENABLE completed' });
    expect(await c.transact('enable x-unknown condstore', 'E2')).toEqual({ untagged: ['* ENABLED CONDSTORE'], tagged: 'E2 OK ENABLE completed' });
    expect(await c.transact('ENABLE utf8=accept', 'E3')).toEqual({ untagged: ['* ENABLED UTF8=ACCEPT'], tagged: 'E3 OK ENABLE completed' });
  });

  it('what ENABLE CONDSTORE changes: SELECT reports HIGHESTMODSEQ', async () => {
    const w = await withInbox(['one']);
    const { c } = w;
    await ok(c, 'ENABLE CONDSTORE');
    expect(await c.transact('SELECT INBOX', 'E1')).toEqual({
      untagged: [...selectLines({ exists: 1, recent: 1, unseen: 1, uidValidity: validity(w, 'INBOX'), uidNext: 2 }), '* OK [HIGHESTMODSEQ 2] highest MODSEQ'],
      tagged: 'E1 OK [READ-WRITE] SELECT completed',
    });
  });

  it('with a mailbox selected: BAD, nothing is enabled, and the session goes on', async () => {
    const w = await withInbox(['one']);
    const { c } = w;
    await ok(c, 'SELECT INBOX');
    expect(await c.transact('ENABLE CONDSTORE', 'E1')).toEqual({ untagged: [], tagged: 'E1 BAD ENABLE is not allowed with a mailbox selected' });
    expect(await c.transact('FETCH 1 (FLAGS)', 'E2')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Recent))'], tagged: 'E2 OK FETCH completed' });
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });

  it('before login: BAD', async () => {
    const { g } = await world();
    const fresh = await connect(g);
    expect(await fresh.transact('ENABLE CONDSTORE', 'E1')).toEqual({ untagged: [], tagged: 'E1 BAD ENABLE is not allowed before login' });
  });

  it('malformed: no capability names, or a name that is not an atom — BAD', async () => {
    const { c } = await world();
    expect(await c.transact('ENABLE', 'E1')).toEqual({ untagged: [], tagged: 'E1 BAD expected ENABLE capability …' });
    expect(await c.transact('ENABLE "CONDSTORE"', 'E2')).toEqual({ untagged: [], tagged: 'E2 BAD ENABLE takes capability names' });
    expect(await c.transact('ENABLE (CONDSTORE)', 'E3')).toEqual({ untagged: [], tagged: 'E3 BAD ENABLE takes capability names' });
    // Nothing was enabled by the BAD commands.
    expect(await c.transact('ENABLE CONDSTORE', 'E4')).toEqual({ untagged: ['* ENABLED CONDSTORE'], tagged: 'E4 OK ENABLE completed' });
  });
});
