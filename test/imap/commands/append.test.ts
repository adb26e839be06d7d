// APPEND — RFC 3501 §6.3.11: a message literal into a mailbox, with an optional flag list and
// date-time (in that order), stored byte for byte. A synchronizing literal waits for "+"
// (RFC 3501 §7.5); LITERAL+ sends it at once (RFC 7888). A missing mailbox is NO [TRYCREATE];
// a literal over the limit NO [TOOBIG] (RFC 7888 §4, RFC 5530). Appending to the selected
// mailbox reports EXISTS right away.
import { describe, expect, it } from 'vitest';
import { BOB, appendCommand, connect, folder, literal, login, ok, selectLines, simple, world } from '../fixtures/session.js';
import type { TestGateway } from '../../helpers/gateway.js';
import type { Account } from '../../../src/store/types.js';

function storedBytes(g: TestGateway, account: Account, name: string): Buffer[] {
  const { mail } = g.gateway.services.store;
  return mail.listMessages(folder(g, account, name).id).map((m) => mail.readMessage(m.id)!);
}

describe('APPEND', () => {
  it('with flags and a date-time (LITERAL+): stored with them, byte for byte', async () => {
    const { g, sales, c } = await world();
    const message = simple('hello');
    expect(await c.transact(appendCommand('INBOX', message, { flags: '\\Flagged $Work', date: '23-Nov-2026 09:00:00 +0000' }), 'P1')).toEqual({
      untagged: [],
      tagged: expect.stringMatching(/^P1 OK \[APPENDUID \d+ \d+\] APPEND completed$/),
    });
    expect(storedBytes(g, sales, 'INBOX')).toEqual([Buffer.from(message)]);
    expect(await c.transact('SELECT INBOX', 'P2')).toEqual({
      untagged: selectLines({ exists: 1, recent: 1, unseen: 1, uidValidity: folder(g, sales, 'INBOX').uidValidity, uidNext: 2, keywords: ['$Work'] }),
      tagged: 'P2 OK [READ-WRITE] SELECT completed',
    });
    expect(await c.transact('FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])', 'P3')).toEqual({
      untagged: [
        `* 1 FETCH (FLAGS (\\Flagged $Work \\Recent) INTERNALDATE "23-Nov-2026 09:00:00 +0000" RFC822.SIZE ${Buffer.byteLength(message)} BODY[] ${literal(message)})`,
      ],
      tagged: 'P3 OK FETCH completed',
    });
  });

  it('a synchronizing literal: "+" continuation, then the bytes', async () => {
    const { g, sales, c } = await world();
    const message = simple('sync');
    c.write(`P1 APPEND Drafts (\\Draft) {${Buffer.byteLength(message)}}\r\n`);
    expect(await c.response()).toBe('+ Ready for literal data');
    c.write(`${message}\r\n`);
    expect(await c.until('P1')).toEqual({ untagged: [], tagged: expect.stringMatching(/^P1 OK \[APPENDUID \d+ \d+\] APPEND completed$/) });
    expect(storedBytes(g, sales, 'Drafts')).toEqual([Buffer.from(message)]);
  });

  it('date-time: a zone is converted to UTC, " 1-Feb" (SP DIGIT day) is accepted; without one, now', async () => {
    const { c } = await world();
    await ok(c, appendCommand('INBOX', simple('zone'), { flags: '', date: ' 1-Feb-2026 10:00:00 -0130' }));
    const before = Date.now() - 1000;
    await ok(c, appendCommand('INBOX', simple('now')));
    const after = Date.now() + 1000;
    await ok(c, 'EXAMINE INBOX');
    const result = await c.transact('FETCH 1:2 INTERNALDATE', 'P1');
    expect(result.untagged[0]).toBe('* 1 FETCH (INTERNALDATE "01-Feb-2026 11:30:00 +0000")');
    const match = /^\* 2 FETCH \(INTERNALDATE "(\d\d)-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) \+0000"\)$/.exec(result.untagged[1] ?? '');
    expect(match).not.toBeNull();
    const [, d, mon, y, h, mi, s] = match!;
    const at = Date.parse(`${d} ${mon} ${y} ${h}:${mi}:${s} GMT`);
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(after);
  });

  it('into the selected mailbox: EXISTS and RECENT before the OK; another session sees EXISTS on NOOP', async () => {
    const { g, c } = await world();
    const other = await login(g);
    await ok(other, 'SELECT INBOX');
    await ok(c, 'SELECT INBOX');
    expect(await c.transact(appendCommand('INBOX', simple('live')), 'P1')).toEqual({
      untagged: ['* 1 EXISTS', '* 1 RECENT'],
      tagged: expect.stringMatching(/^P1 OK \[APPENDUID \d+ \d+\] APPEND completed$/),
    });
    expect(await other.transact('NOOP', 'P2')).toEqual({ untagged: ['* 1 EXISTS', '* 0 RECENT'], tagged: 'P2 OK NOOP completed' });
  });

  it('bytes that are not MIME are stored and returned as they are', async () => {
    const { g, sales, c } = await world();
    const text = 'X-Odd: \x01\x7f\r\nSubject: caf\u00e9\r\n\r\nbare LF\nbare CR\rend without a line break';
    await ok(c, appendCommand('INBOX', text, { date: '01-Nov-2026 10:00:00 +0000' }));
    const binary = Buffer.concat([Buffer.from('Subject: bin\r\n\r\n'), Buffer.from([0xff, 0xfe, 0x80, 0x0d, 0x41, 0x0a, 0xc3])]);
    await ok(c, appendCommand('INBOX', binary, { date: '01-Nov-2026 10:00:00 +0000' }));
    expect(storedBytes(g, sales, 'INBOX')).toEqual([Buffer.from(text, 'utf8'), binary]);
    await ok(c, 'EXAMINE INBOX');
    expect(await c.transact('FETCH 1:2 (RFC822.SIZE BODY.PEEK[])', 'P1')).toEqual({
      untagged: [
        `* 1 FETCH (RFC822.SIZE ${Buffer.byteLength(text)} BODY[] ${literal(text)})`,
        // The transcript is read as UTF-8; the bytes themselves were compared above.
        `* 2 FETCH (RFC822.SIZE ${binary.length} BODY[] {${binary.length}}\r\n${binary.toString('utf8')})`,
      ],
      tagged: 'P1 OK FETCH completed',
    });
  });

  // RFC 3501 §9: literal = "{" number "}" CRLF *CHAR8, CHAR8 = %x01-ff: a NUL may not travel in
  // a literal (only BINARY's literal8, RFC 3516, which Wicket does not offer). The server either
  // refuses such a message or must not send the NUL back in FETCH; Wicket stores what it gets
  // and sends a NUL as 0x80, as Dovecot does.
  it('a NUL octet never goes out inside a literal', async () => {
    const { c } = await world();
    const appended = await c.transact(appendCommand('INBOX', 'Subject: nul\r\n\r\na\0b\r\n'), 'P1');
    await ok(c, 'EXAMINE INBOX');
    const fetched = await c.transact('FETCH 1:* BODY.PEEK[]', 'P2');
    expect(appended.tagged.startsWith('P1 OK') ? fetched.untagged.join('\n') : '').not.toContain('\0');
  });

  it('a mailbox that does not exist: NO [TRYCREATE]; after CREATE the same APPEND works', async () => {
    const { c } = await world();
    expect(await c.transact(appendCommand('Projects', simple('x')), 'P1')).toEqual({ untagged: [], tagged: 'P1 NO [TRYCREATE] mailbox Projects does not exist' });
    await ok(c, 'CREATE a/b');
    await ok(c, 'DELETE a');
    expect(await c.transact(appendCommand('a', simple('x')), 'P2')).toEqual({ untagged: [], tagged: 'P2 NO [TRYCREATE] mailbox a does not exist' });
    await ok(c, 'CREATE Projects');
    expect(await c.transact(appendCommand('Projects', simple('x')), 'P3')).toEqual({ untagged: [], tagged: expect.stringMatching(/^P3 OK \[APPENDUID \d+ \d+\] APPEND completed$/) });
  });

  it('a literal over the limit: NO [TOOBIG] (no "+" for a synchronizing one); nothing stored; the session goes on', async () => {
    const { g, sales, c } = await world({ WICKET_IMAP_MAX_LITERAL_SIZE: '2048' });
    const big = `Subject: big\r\n\r\n${'x'.repeat(3000)}`;
    expect(await c.transact(appendCommand('INBOX', big), 'P1')).toEqual({
      untagged: [],
      tagged: `P1 NO [TOOBIG] a literal of ${Buffer.byteLength(big)} bytes is over the limit of 2048`,
    });
    expect(await c.transact('NOOP', 'P2')).toEqual({ untagged: [], tagged: 'P2 OK NOOP completed' });
    c.write('P3 APPEND INBOX {5000}\r\n');
    expect(await c.until('P3')).toEqual({ untagged: [], tagged: 'P3 NO [TOOBIG] a literal of 5000 bytes is over the limit of 2048' });
    expect(await c.transact('NOOP', 'P4')).toEqual({ untagged: [], tagged: 'P4 OK NOOP completed' });
    expect(await c.transact(appendCommand('INBOX', simple('small')), 'P5')).toEqual({ untagged: [], tagged: expect.stringMatching(/^P5 OK \[APPENDUID \d+ \d+\] APPEND completed$/) });
    expect(storedBytes(g, sales, 'INBOX')).toEqual([Buffer.from(simple('small'))]);
  });

  it('malformed arguments: BAD, nothing stored, and the session goes on', async () => {
    const { g, sales, c } = await world();
    const bad = (tag: string, text: string) => ({ untagged: [], tagged: `${tag} BAD ${text}` });
    const usage = 'expected APPEND mailbox [(flags)] ["date-time"] literal';
    expect(await c.transact(appendCommand('INBOX', 'abc', { flags: '\\Recent' }), 'P1')).toEqual(bad('P1', 'flags: \\Recent cannot be set by a client'));
    expect(await c.transact(appendCommand('INBOX', 'abc', { flags: '\\Bogus' }), 'P2')).toEqual(bad('P2', 'flags: unknown system flag \\Bogus'));
    expect(await c.transact('APPEND INBOX ("x") {3+}\r\nabc', 'P3')).toEqual(bad('P3', 'flags: a flag is an atom, not a string'));
    expect(await c.transact(appendCommand('INBOX', 'abc', { date: 'yesterday' }), 'P4')).toEqual(
      bad('P4', 'date-time: "yesterday" is not in the form "17-Jul-1996 02:44:25 -0700"'),
    );
    expect(await c.transact(appendCommand('INBOX', 'abc', { date: '31-Feb-2026 10:00:00 +0000' }), 'P5')).toEqual(bad('P5', 'date-time: Feb 2026 has no day 31'));
    expect(await c.transact('APPEND INBOX (\\Seen) abc', 'P6')).toEqual(bad('P6', 'the message must be a literal'));
    expect(await c.transact('APPEND INBOX', 'P7')).toEqual(bad('P7', usage));
    expect(await c.transact('APPEND {3+}\r\nabc', 'P8')).toEqual(bad('P8', usage));
    expect(await c.transact('APPEND INBOX () "01-Nov-2026 10:00:00 +0000" x {3+}\r\nabc', 'P9')).toEqual(bad('P9', usage));
    expect(await c.transact(appendCommand('"a//b"', 'abc'), 'P10')).toEqual(bad('P10', 'mailbox name: cannot contain an empty level ("//")'));
    expect(await c.transact(appendCommand('"*"', 'abc'), 'P11')).toEqual(
      bad('P11', 'mailbox name: cannot contain "*" or "%" (they are LIST wildcards, RFC 3501 §6.3.8)'),
    );
    expect(await c.transact('APPEND INBOX {0+}\r\n', 'P12')).toEqual({ untagged: [], tagged: 'P12 NO [CANNOT] an empty message cannot be appended' });
    expect(await c.transact('NOOP', 'P13')).toEqual({ untagged: [], tagged: 'P13 OK NOOP completed' });
    expect(storedBytes(g, sales, 'INBOX')).toEqual([]);
  });

  // RFC 3501 §9: append = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal. The last
  // argument must be a literal: a quoted string — even a lone date-time meant as the internal
  // date — must not be stored as the message.
  it('the message must be a literal: a quoted string is BAD and nothing is stored', async () => {
    const { g, sales, c } = await world();
    expect(await c.transact('APPEND INBOX "Subject: quoted"', 'P1')).toEqual({ untagged: [], tagged: 'P1 BAD the message must be a literal' });
    expect(await c.transact('APPEND INBOX "01-Nov-2026 10:00:00 +0000"', 'P2')).toEqual({ untagged: [], tagged: 'P2 BAD the message must be a literal' });
    expect(storedBytes(g, sales, 'INBOX')).toEqual([]);
  });

  // RFC 3501 §9 (same rule): at most one flag list, then at most one date-time, in that order.
  it('a second flag list, or the date-time before the flags, is BAD', async () => {
    const { g, sales, c } = await world();
    const usage = (tag: string) => ({ untagged: [], tagged: `${tag} BAD expected APPEND mailbox [(flags)] ["date-time"] literal` });
    expect(await c.transact('APPEND INBOX (\\Seen) (\\Flagged) {3+}\r\nabc', 'P1')).toEqual(usage('P1'));
    expect(await c.transact('APPEND INBOX "01-Nov-2026 10:00:00 +0000" (\\Seen) {3+}\r\nabc', 'P2')).toEqual(usage('P2'));
    expect(storedBytes(g, sales, 'INBOX')).toEqual([]);
  });

  it('a client that goes away in the middle of a literal: nothing is stored, others are served', async () => {
    const { g, sales, c } = await world();
    const quitter = await login(g);
    quitter.write('Q1 APPEND INBOX {100+}\r\nSubject: half\r\n');
    quitter.destroy();
    const syncQuitter = await login(g);
    syncQuitter.write('Q2 APPEND INBOX {100}\r\n');
    expect(await syncQuitter.response()).toBe('+ Ready for literal data');
    syncQuitter.write('Subject: half');
    syncQuitter.destroy();
    expect(await c.transact('STATUS INBOX (MESSAGES)', 'P1')).toEqual({ untagged: ['* STATUS "INBOX" (MESSAGES 0)'], tagged: 'P1 OK STATUS completed' });
    expect(await c.transact(appendCommand('INBOX', simple('whole')), 'P2')).toEqual({ untagged: [], tagged: expect.stringMatching(/^P2 OK \[APPENDUID \d+ \d+\] APPEND completed$/) });
    expect(storedBytes(g, sales, 'INBOX')).toEqual([Buffer.from(simple('whole'))]);
  });

  it('before login: BAD', async () => {
    const { g } = await world();
    const c = await connect(g);
    expect(await c.transact(appendCommand('INBOX', 'abc'), 'P1')).toEqual({ untagged: [], tagged: 'P1 BAD APPEND is not allowed before login' });
  });

  it('another account cannot append into this account\'s folders; its INBOX is its own', async () => {
    const { g, sales, c } = await world();
    await ok(c, 'CREATE Private');
    const bob = await g.account('bob');
    const b = await login(g, BOB);
    expect(await b.transact(appendCommand('Private', simple('intruder')), 'P1')).toEqual({
      untagged: [],
      tagged: 'P1 NO [TRYCREATE] mailbox Private does not exist',
    });
    expect(await b.transact(appendCommand('INBOX', simple('own')), 'P2')).toEqual({ untagged: [], tagged: expect.stringMatching(/^P2 OK \[APPENDUID \d+ \d+\] APPEND completed$/) });
    expect(storedBytes(g, sales, 'Private')).toEqual([]);
    expect(storedBytes(g, sales, 'INBOX')).toEqual([]);
    expect(storedBytes(g, bob, 'INBOX')).toEqual([Buffer.from(simple('own'))]);
  });
});
