// STORE and UID STORE — RFC 3501 §6.4.6, §6.4.8: FLAGS replaces, +FLAGS adds, -FLAGS removes;
// the answer is an untagged FETCH with each message's flags as they now are (\Recent included,
// which a client can never set or clear), none with .SILENT. Other sessions are told on their
// next command. A read-only mailbox refuses with NO [READ-ONLY].
import { describe, expect, it } from 'vitest';
import { append, connect, login, ok, simple, world, type World } from '../fixtures/session.js';

const DATE = '01-Nov-2026 10:00:00 +0000';

/** Three messages, INBOX selected by `c` (which so holds their \Recent). */
async function threeMessages(): Promise<World> {
  const w = await world();
  await append(w.c, 'INBOX', simple('one'), { date: DATE });
  await append(w.c, 'INBOX', simple('two'), { flags: '\\Seen', date: DATE });
  await append(w.c, 'INBOX', simple('three'), { flags: '\\Answered $Old', date: DATE });
  await ok(w.c, 'SELECT INBOX');
  return w;
}

describe('STORE', () => {
  it('FLAGS, +FLAGS and -FLAGS answer with the flags as they now are', async () => {
    const { c } = await threeMessages();
    expect(await c.transact('STORE 1 +FLAGS (\\Flagged \\Seen)', 'T1')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Seen \\Flagged \\Recent))'],
      tagged: 'T1 OK STORE completed',
    });
    expect(await c.transact('STORE 1:2 -FLAGS (\\Seen)', 'T2')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Flagged \\Recent))', '* 2 FETCH (FLAGS (\\Recent))'],
      tagged: 'T2 OK STORE completed',
    });
    expect(await c.transact('STORE 3 FLAGS (\\Draft $New)', 'T3')).toEqual({
      untagged: ['* 3 FETCH (FLAGS (\\Draft $New \\Recent))'],
      tagged: 'T3 OK STORE completed',
    });
    // Replacing with nothing clears every flag but \Recent.
    expect(await c.transact('STORE 1:* FLAGS ()', 'T4')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Recent))', '* 2 FETCH (FLAGS (\\Recent))', '* 3 FETCH (FLAGS (\\Recent))'],
      tagged: 'T4 OK STORE completed',
    });
    // A message whose flags do not change is still reported.
    expect(await c.transact('STORE 2 -FLAGS (\\Deleted)', 'T5')).toEqual({ untagged: ['* 2 FETCH (FLAGS (\\Recent))'], tagged: 'T5 OK STORE completed' });
  });

  it('system flags in any case, keywords kept as written, duplicates dropped, flags without parentheses', async () => {
    const { c } = await threeMessages();
    expect(await c.transact('STORE 1 +FLAGS (\\SEEN \\flagged $Work $work Project-X)', 'T1')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Seen \\Flagged $Work Project-X \\Recent))'],
      tagged: 'T1 OK STORE completed',
    });
    expect(await c.transact('STORE 2 +FLAGS \\Answered \\Draft', 'T2')).toEqual({
      untagged: ['* 2 FETCH (FLAGS (\\Seen \\Answered \\Draft \\Recent))'],
      tagged: 'T2 OK STORE completed',
    });
    expect(await c.transact('STORE 1 -FLAGS $WORK', 'T3')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Seen \\Flagged Project-X \\Recent))'], tagged: 'T3 OK STORE completed' });
    // A new keyword is in FLAGS and PERMANENTFLAGS at the next SELECT.
    const select = await c.transact('SELECT INBOX', 'T4');
    expect(select.untagged[0]).toBe('* OK [CLOSED] previous mailbox closed');
    expect(select.untagged[1]).toBe('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Project-X $Old)');
  });

  it('.SILENT: no untagged FETCH, and none later for the session\'s own change', async () => {
    const { c } = await threeMessages();
    expect(await c.transact('STORE 1:3 +FLAGS.SILENT (\\Deleted)', 'T1')).toEqual({ untagged: [], tagged: 'T1 OK STORE completed' });
    expect(await c.transact('STORE 2 FLAGS.SILENT (\\Seen)', 'T2')).toEqual({ untagged: [], tagged: 'T2 OK STORE completed' });
    expect(await c.transact('STORE 3 -flags.silent (\\Deleted)', 'T3')).toEqual({ untagged: [], tagged: 'T3 OK STORE completed' });
    expect(await c.transact('NOOP', 'T4')).toEqual({ untagged: [], tagged: 'T4 OK NOOP completed' });
    expect(await c.transact('FETCH 1:3 FLAGS', 'T5')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Deleted \\Recent))', '* 2 FETCH (FLAGS (\\Seen \\Recent))', '* 3 FETCH (FLAGS (\\Answered $Old \\Recent))'],
      tagged: 'T5 OK FETCH completed',
    });
  });

  it('another session sees the new flags on NOOP (without this session\'s \\Recent)', async () => {
    const { g, c } = await threeMessages();
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(c, 'STORE 1 +FLAGS (\\Flagged)');
    await ok(c, 'STORE 3 +FLAGS.SILENT (\\Seen)');
    expect(await other.transact('NOOP', 'T1')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Flagged))', '* 3 FETCH (FLAGS (\\Seen \\Answered $Old))'],
      tagged: 'T1 OK NOOP completed',
    });
    expect(await other.transact('NOOP', 'T2')).toEqual({ untagged: [], tagged: 'T2 OK NOOP completed' });
  });

  // RFC 3501 §6.4.6: "Regardless of whether or not the ".SILENT" suffix was used, the server
  // SHOULD send an untagged FETCH response if a change to a message's flags from an external
  // source is observed."
  it('.SILENT still reports a flag change another session made to the same message', async () => {
    const { g, c } = await threeMessages();
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(other, 'STORE 1 +FLAGS (\\Flagged)');
    const store = await c.transact('STORE 1 +FLAGS.SILENT (\\Seen)', 'T1');
    const noop = await c.transact('NOOP', 'T2');
    expect([...store.untagged, ...noop.untagged]).toContain('* 1 FETCH (FLAGS (\\Seen \\Flagged \\Recent))');
  });

  it('bad requests: BAD (\\Recent cannot be set), and the session goes on', async () => {
    const { c } = await threeMessages();
    const bad = (tag: string, text: string) => ({ untagged: [], tagged: `${tag} BAD ${text}` });
    expect(await c.transact('STORE 1 +FLAGS (\\Recent)', 'B1')).toEqual(bad('B1', 'flags: \\Recent cannot be set by a client'));
    expect(await c.transact('STORE 1 -FLAGS (\\Recent)', 'B2')).toEqual(bad('B2', 'flags: \\Recent cannot be set by a client'));
    expect(await c.transact('STORE 1 FLAGS (\\Bogus)', 'B3')).toEqual(bad('B3', 'flags: unknown system flag \\Bogus'));
    expect(await c.transact('STORE 1 +FLAGS (\\*)', 'B4')).toEqual(bad('B4', 'flags: unknown system flag \\*'));
    expect(await c.transact('STORE 1 +FLAGS ("quoted")', 'B5')).toEqual(bad('B5', 'flags: a flag is an atom, not a string'));
    expect(await c.transact('STORE 1 +FLAGS ((\\Seen))', 'B6')).toEqual(bad('B6', 'flags: a flag list cannot be nested'));
    expect(await c.transact('STORE 1 XFLAGS (\\Seen)', 'B7')).toEqual(bad('B7', 'unknown STORE item XFLAGS'));
    expect(await c.transact('STORE 1 +FLAGS', 'B8')).toEqual(bad('B8', 'expected STORE sequence-set [(UNCHANGEDSINCE modseq)] FLAGS|+FLAGS|-FLAGS[.SILENT] (flags)'));
    expect(await c.transact('STORE 4 +FLAGS (\\Seen)', 'B9')).toEqual(bad('B9', 'message 4 does not exist (the mailbox has 3)'));
    expect(await c.transact('STORE 0 +FLAGS (\\Seen)', 'B10')).toEqual(bad('B10', 'sequence set: 0 is not a valid message number in "0"'));
    expect(await c.transact('STORE 1:x +FLAGS (\\Seen)', 'B11')).toEqual(bad('B11', 'sequence set: "x" is not a number in "1:x"'));
    expect(await c.transact('NOOP', 'B12')).toEqual({ untagged: [], tagged: 'B12 OK NOOP completed' });
    expect(await c.transact('FETCH 1:3 FLAGS', 'B13')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Recent))', '* 2 FETCH (FLAGS (\\Seen \\Recent))', '* 3 FETCH (FLAGS (\\Answered $Old \\Recent))'],
      tagged: 'B13 OK FETCH completed',
    });
  });

  it('after EXAMINE: NO [READ-ONLY]', async () => {
    const { c } = await threeMessages();
    await ok(c, 'EXAMINE INBOX');
    expect(await c.transact('STORE 1 +FLAGS (\\Seen)', 'T1')).toEqual({ untagged: [], tagged: 'T1 NO [READ-ONLY] the mailbox was opened with EXAMINE' });
    expect(await c.transact('UID STORE 1 +FLAGS (\\Seen)', 'T2')).toEqual({ untagged: [], tagged: 'T2 NO [READ-ONLY] the mailbox was opened with EXAMINE' });
  });

  it('BAD without a selected mailbox and before login', async () => {
    const { g, c } = await world();
    expect(await c.transact('STORE 1 +FLAGS (\\Seen)', 'B1')).toEqual({ untagged: [], tagged: 'B1 BAD STORE is not allowed without a selected mailbox' });
    const fresh = await connect(g);
    expect(await fresh.transact('UID STORE 1 +FLAGS (\\Seen)', 'B2')).toEqual({ untagged: [], tagged: 'B2 BAD UID STORE is not allowed before login' });
  });
});

describe('UID STORE', () => {
  it('names messages by UID and answers with the UID; UIDs not in the mailbox are skipped', async () => {
    const { c } = await threeMessages();
    await ok(c, 'STORE 2 +FLAGS.SILENT (\\Deleted)');
    await ok(c, 'EXPUNGE');
    // UIDs 1 and 3 at sequence numbers 1 and 2.
    expect(await c.transact('UID STORE 1:3 +FLAGS (\\Flagged)', 'U1')).toEqual({
      untagged: ['* 1 FETCH (UID 1 FLAGS (\\Flagged \\Recent))', '* 2 FETCH (UID 3 FLAGS (\\Answered \\Flagged $Old \\Recent))'],
      tagged: 'U1 OK UID STORE completed',
    });
    expect(await c.transact('UID STORE 2 +FLAGS (\\Seen)', 'U2')).toEqual({ untagged: [], tagged: 'U2 OK UID STORE completed' });
    expect(await c.transact('UID STORE 9:* -FLAGS.SILENT (\\Flagged)', 'U3')).toEqual({ untagged: [], tagged: 'U3 OK UID STORE completed' });
    expect(await c.transact('FETCH 2 FLAGS', 'U4')).toEqual({ untagged: ['* 2 FETCH (FLAGS (\\Answered $Old \\Recent))'], tagged: 'U4 OK FETCH completed' });
  });
});
