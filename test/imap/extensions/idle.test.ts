// IDLE — RFC 2177: the server answers "+ idling" and from then on reports changes to the
// selected mailbox as they happen — new mail (EXISTS/RECENT), other sessions' flag changes
// (FETCH FLAGS) and expunges (EXPUNGE) — until the client sends DONE, which ends the command
// with a tagged OK. Anything but DONE ends it with BAD. IDLE is valid in the authenticated state
// too (RFC 2177 §3: "authenticated or selected state"). Also how real clients use it: iOS writes
// DONE and its next command in one packet; Thunderbird brackets IDLE with UID FETCH n:* (FLAGS).
import { describe, expect, it } from 'vitest';
import { append, login, ok, simple, stillServes, world } from '../fixtures/session.js';
import { mailFromBob, startIdle, withInbox } from '../fixtures/extensions.js';

describe('IDLE', () => {
  it('"+ idling"; mail delivered over SMTP meanwhile is reported at once with EXISTS and RECENT; DONE ends it', async () => {
    const { g, c } = await world();
    await ok(c, 'SELECT INBOX');
    expect(await startIdle(c, 'I1')).toBe('+ idling');
    await mailFromBob(g, 'while idling');
    expect(await c.response()).toBe('* 1 EXISTS');
    expect(await c.response()).toBe('* 1 RECENT');
    c.write('DONE\r\n');
    expect(await c.until('I1')).toEqual({ untagged: [], tagged: 'I1 OK IDLE terminated' });
    expect(await c.transact('FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])', 'I2')).toEqual({
      untagged: ['* 1 FETCH (FLAGS (\\Recent) BODY[HEADER.FIELDS (SUBJECT)] {25}\r\nSubject: while idling\r\n\r\n)'],
      tagged: 'I2 OK FETCH completed',
    });
  });

  it('two deliveries while idling: EXISTS and RECENT for each, in order', async () => {
    const { g, c } = await world();
    await ok(c, 'SELECT INBOX');
    expect(await startIdle(c, 'I1')).toBe('+ idling');
    await mailFromBob(g, 'first');
    expect([await c.response(), await c.response()]).toEqual(['* 1 EXISTS', '* 1 RECENT']);
    await mailFromBob(g, 'second');
    expect([await c.response(), await c.response()]).toEqual(['* 2 EXISTS', '* 2 RECENT']);
    c.write('DONE\r\n');
    expect(await c.until('I1')).toEqual({ untagged: [], tagged: 'I1 OK IDLE terminated' });
  });

  it("another session's STORE is reported as FETCH FLAGS, its expunge as EXPUNGE", async () => {
    const { g, c } = await withInbox(['one', 'two', 'three']);
    await ok(c, 'SELECT INBOX');
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    expect(await startIdle(c, 'I1')).toBe('+ idling');

    expect(await other.transact('STORE 1 +FLAGS (\\Flagged)', 'O1')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Flagged))'], tagged: 'O1 OK STORE completed' });
    // This session took \Recent when it selected first (RFC 3501 §2.3.2), so it still shows it.
    expect(await c.response()).toBe('* 1 FETCH (FLAGS (\\Flagged \\Recent))');

    expect(await other.transact('STORE 2 +FLAGS.SILENT (\\Deleted)', 'O2')).toEqual({ untagged: [], tagged: 'O2 OK STORE completed' });
    expect(await c.response()).toBe('* 2 FETCH (FLAGS (\\Deleted \\Recent))');
    expect(await other.transact('EXPUNGE', 'O3')).toEqual({ untagged: ['* 2 EXPUNGE'], tagged: 'O3 OK EXPUNGE completed' });
    expect(await c.response()).toBe('* 2 EXPUNGE');

    c.write('DONE\r\n');
    expect(await c.until('I1')).toEqual({ untagged: [], tagged: 'I1 OK IDLE terminated' });
    expect(await c.transact('FETCH 1:* (UID FLAGS)', 'I2')).toEqual({
      untagged: ['* 1 FETCH (UID 1 FLAGS (\\Flagged \\Recent))', '* 2 FETCH (UID 3 FLAGS (\\Recent))'],
      tagged: 'I2 OK FETCH completed',
    });
  });

  it('changes made before IDLE that the client has not heard of come before "+ idling"', async () => {
    const { g, c } = await withInbox(['one', 'two']);
    await ok(c, 'SELECT INBOX');
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(other, 'STORE 2 +FLAGS.SILENT (\\Seen)');
    // Appended by a session without INBOX selected, so \Recent is still there to take.
    await append(await login(g), 'INBOX', simple('three'));
    c.write('I1 IDLE\r\n');
    expect([await c.response(), await c.response(), await c.response(), await c.response()]).toEqual([
      '* 3 EXISTS',
      '* 3 RECENT',
      '* 2 FETCH (FLAGS (\\Seen \\Recent))',
      '+ idling',
    ]);
    c.write('DONE\r\n');
    expect(await c.until('I1')).toEqual({ untagged: [], tagged: 'I1 OK IDLE terminated' });
  });

  it('changes to other mailboxes are not reported; DONE is case-insensitive', async () => {
    const { g, c } = await world();
    await ok(c, 'SELECT INBOX');
    const other = await login(g);
    expect(await startIdle(c, 'I1')).toBe('+ idling');
    await append(other, 'Archive', simple('elsewhere'));
    await ok(other, 'CREATE Projects');
    // Everything the server sent before the tagged OK is in `untagged`: nothing.
    c.write('done\r\n');
    expect(await c.until('I1')).toEqual({ untagged: [], tagged: 'I1 OK IDLE terminated' });
  });

  it('iOS: DONE and the next command in the same packet — both run, in order', async () => {
    const { g, c } = await withInbox(['one']);
    await ok(c, 'SELECT INBOX');
    expect(await startIdle(c, 'I1')).toBe('+ idling');
    await mailFromBob(g, 'push');
    expect([await c.response(), await c.response()]).toEqual(['* 2 EXISTS', '* 2 RECENT']);
    c.write('DONE\r\nA2 NOOP\r\n');
    expect(await c.until('I1')).toEqual({ untagged: [], tagged: 'I1 OK IDLE terminated' });
    expect(await c.until('A2')).toEqual({ untagged: [], tagged: 'A2 OK NOOP completed' });
    // Again, with a command that answers with data.
    expect(await startIdle(c, 'I3')).toBe('+ idling');
    c.write('DONE\r\nA4 UID FETCH 1:* (FLAGS)\r\nA5 NOOP\r\n');
    expect(await c.until('I3')).toEqual({ untagged: [], tagged: 'I3 OK IDLE terminated' });
    expect(await c.until('A4')).toEqual({
      untagged: ['* 1 FETCH (UID 1 FLAGS (\\Recent))', '* 2 FETCH (UID 2 FLAGS (\\Recent))'],
      tagged: 'A4 OK UID FETCH completed',
    });
    expect(await c.until('A5')).toEqual({ untagged: [], tagged: 'A5 OK NOOP completed' });
  });

  it('IDLE and DONE written together, without waiting for "+": the continuation still comes, then the OK', async () => {
    const { c } = await world();
    await ok(c, 'SELECT INBOX');
    c.write('I1 IDLE\r\nDONE\r\n');
    expect(await c.until('I1')).toEqual({ untagged: ['+ idling'], tagged: 'I1 OK IDLE terminated' });
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });

  it('a tagged command instead of DONE ends IDLE with BAD (the command does not run); the session goes on', async () => {
    const { c } = await withInbox(['one']);
    await ok(c, 'SELECT INBOX');
    expect(await startIdle(c, 'I1')).toBe('+ idling');
    c.write('A2 STORE 1 +FLAGS (\\Flagged)\r\n');
    expect(await c.until('I1')).toEqual({ untagged: [], tagged: 'I1 BAD expected DONE to end IDLE, got "A2 STORE 1 +FLAGS (\\\\Flagged)"' });
    // No "A2 …" answer arrives before Z1's, and the flag was not set.
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
    expect(await c.transact('FETCH 1 (FLAGS)', 'A3')).toEqual({ untagged: ['* 1 FETCH (FLAGS (\\Recent))'], tagged: 'A3 OK FETCH completed' });
    // And IDLE works again afterwards.
    expect(await startIdle(c, 'I4')).toBe('+ idling');
    c.write('DONE\r\n');
    expect(await c.until('I4')).toEqual({ untagged: [], tagged: 'I4 OK IDLE terminated' });
  });

  it('DONE without IDLE is not a command: BAD, and the session goes on', async () => {
    const { c } = await world();
    await ok(c, 'SELECT INBOX');
    c.write('DONE\r\n');
    expect(await c.response()).toBe('DONE BAD missing command name');
    expect(await c.transact('DONE', 'D1')).toEqual({ untagged: [], tagged: 'D1 BAD unknown command DONE' });
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });

  it('IDLE takes no arguments', async () => {
    const { c } = await world();
    expect(await c.transact('IDLE INBOX', 'I1')).toEqual({ untagged: [], tagged: 'I1 BAD this command takes no arguments' });
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });

  it('in the authenticated state (no mailbox selected): "+ idling", no mailbox updates, DONE ends it', async () => {
    const { g, c } = await world();
    expect(await startIdle(c, 'I1')).toBe('+ idling');
    await mailFromBob(g, 'nobody is looking');
    c.write('DONE\r\n');
    expect(await c.until('I1')).toEqual({ untagged: [], tagged: 'I1 OK IDLE terminated' });
    // The delivery happened: the session can see it by selecting.
    expect(await c.transact('STATUS INBOX (MESSAGES RECENT)', 'I2')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 1 RECENT 1)'], tagged: 'I2 OK STATUS completed' });
  });

  it('IDLE after UNSELECT (authenticated again) hears nothing of the mailbox it left', async () => {
    const { g, c } = await withInbox(['one']);
    await ok(c, 'SELECT INBOX');
    await ok(c, 'UNSELECT');
    expect(await startIdle(c, 'I1')).toBe('+ idling');
    await mailFromBob(g, 'after unselect');
    c.write('DONE\r\n');
    expect(await c.until('I1')).toEqual({ untagged: [], tagged: 'I1 OK IDLE terminated' });
  });
});

describe("Thunderbird's pattern: UID FETCH n:* (FLAGS) before and after IDLE on INBOX", () => {
  it('flags of what it knows, IDLE until EXISTS, DONE, then UID FETCH from the next UID on', async () => {
    const { g, c } = await withInbox(['one', 'two', 'three']);
    await ok(c, 'SELECT INBOX');
    await ok(c, 'STORE 2 +FLAGS.SILENT (\\Seen)');
    expect(await c.transact('UID FETCH 1:* (FLAGS)', 'T1')).toEqual({
      untagged: ['* 1 FETCH (UID 1 FLAGS (\\Recent))', '* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent))', '* 3 FETCH (UID 3 FLAGS (\\Recent))'],
      tagged: 'T1 OK UID FETCH completed',
    });
    // Nothing new yet: 4:* still names the largest UID, 3 (RFC 3501 §6.4.8).
    expect(await c.transact('UID FETCH 4:* (FLAGS)', 'T2')).toEqual({ untagged: ['* 3 FETCH (UID 3 FLAGS (\\Recent))'], tagged: 'T2 OK UID FETCH completed' });

    expect(await startIdle(c, 'T3')).toBe('+ idling');
    await mailFromBob(g, 'new mail');
    expect([await c.response(), await c.response()]).toEqual(['* 4 EXISTS', '* 4 RECENT']);
    c.write('DONE\r\n');
    expect(await c.until('T3')).toEqual({ untagged: [], tagged: 'T3 OK IDLE terminated' });

    expect(await c.transact('UID FETCH 4:* (FLAGS)', 'T4')).toEqual({ untagged: ['* 4 FETCH (UID 4 FLAGS (\\Recent))'], tagged: 'T4 OK UID FETCH completed' });
    expect(await c.transact('UID FETCH 1:3 (FLAGS)', 'T5')).toEqual({
      untagged: ['* 1 FETCH (UID 1 FLAGS (\\Recent))', '* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent))', '* 3 FETCH (UID 3 FLAGS (\\Recent))'],
      tagged: 'T5 OK UID FETCH completed',
    });
  });

  it('a flag change and an expunge by another client while idling, then the resync fetch', async () => {
    const { g, c } = await withInbox(['one', 'two', 'three']);
    await ok(c, 'SELECT INBOX');
    await ok(c, 'UID FETCH 1:* (FLAGS)');
    const phone = await login(g);
    await ok(phone, 'SELECT INBOX');
    expect(await startIdle(c, 'T1')).toBe('+ idling');
    await ok(phone, 'UID STORE 3 +FLAGS (\\Seen)');
    expect(await c.response()).toBe('* 3 FETCH (FLAGS (\\Seen \\Recent))');
    await ok(phone, 'UID STORE 1 +FLAGS.SILENT (\\Deleted)');
    expect(await c.response()).toBe('* 1 FETCH (FLAGS (\\Deleted \\Recent))');
    await ok(phone, 'UID EXPUNGE 1');
    expect(await c.response()).toBe('* 1 EXPUNGE');
    c.write('DONE\r\n');
    expect(await c.until('T1')).toEqual({ untagged: [], tagged: 'T1 OK IDLE terminated' });
    expect(await c.transact('UID FETCH 1:* (FLAGS)', 'T2')).toEqual({
      untagged: ['* 1 FETCH (UID 2 FLAGS (\\Recent))', '* 2 FETCH (UID 3 FLAGS (\\Seen \\Recent))'],
      tagged: 'T2 OK UID FETCH completed',
    });
  });
});
