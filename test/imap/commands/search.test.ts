// SEARCH and UID SEARCH — RFC 3501 §6.4.4, §6.4.8: the numbers (or UIDs) of the messages that
// match every key; strings match as case-insensitive substrings; dates compare calendar days
// (internal date for BEFORE/ON/SINCE, the Date: field for SENT*). CHARSET names the charset of
// the strings; one not supported is NO [BADCHARSET] (not BAD).
import { describe, expect, it } from 'vitest';
import { append, connect, login, ok, simple, world, type ImapLineClient, type World } from '../fixtures/session.js';

const M1 = simple('alpha', 'the first body', ['Cc: Carol <carol@remote.example>']);
const M2 = simple('beta', 'caf\u00e9 in the second body', ['MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit']);
const M3 = simple('=?UTF-8?Q?r=C3=A9sum=C3=A9?=', 'third');
const M4 = [
  'From: Bob <bob@remote.example>',
  'To: team@remote.example',
  'Bcc: boss@remote.example',
  'Subject: delta',
  'Date: Sun, 01 Nov 2026 08:00:00 +0000',
  'Message-ID: <delta@remote.example>',
  '',
  'x'.repeat(500),
  '',
].join('\r\n');
const SIZES = [M1, M2, M3, M4].map((m) => Buffer.byteLength(m));

/**
 * 1 alpha  \Seen               01-Nov-2026   recent elsewhere
 * 2 beta   \Flagged $Work      15-Nov-2026   recent elsewhere
 * 3 résumé \Answered \Deleted  20-Nov-2026   \Recent here
 * 4 delta  \Seen \Draft        25-Nov-2026   \Recent here (sent 01-Nov-2026)
 */
async function fourMessages(): Promise<World & { other: ImapLineClient }> {
  const w = await world();
  const { g, c } = w;
  await append(c, 'INBOX', M1, { flags: '\\Seen', date: '01-Nov-2026 10:00:00 +0000' });
  await append(c, 'INBOX', M2, { flags: '\\Flagged $Work', date: '15-Nov-2026 10:00:00 +0000' });
  const other = await login(g);
  await ok(other, 'SELECT INBOX');
  await append(c, 'INBOX', M3, { flags: '\\Answered \\Deleted', date: '20-Nov-2026 10:00:00 +0000' });
  await append(c, 'INBOX', M4, { flags: '\\Seen \\Draft', date: '25-Nov-2026 10:00:00 +0000' });
  await ok(c, 'SELECT INBOX');
  return { ...w, other };
}

describe('SEARCH', () => {
  it('flag keys, \\Recent keys, and keywords', async () => {
    const { c } = await fourMessages();
    const cases: [string, string][] = [
      ['ALL', '1 2 3 4'],
      ['SEEN', '1 4'],
      ['UNSEEN', '2 3'],
      ['FLAGGED', '2'],
      ['UNFLAGGED', '1 3 4'],
      ['ANSWERED', '3'],
      ['UNANSWERED', '1 2 4'],
      ['DELETED', '3'],
      ['UNDELETED', '1 2 4'],
      ['DRAFT', '4'],
      ['UNDRAFT', '1 2 3'],
      ['KEYWORD $Work', '2'],
      ['UNKEYWORD $Work', '1 3 4'],
      ['KEYWORD $Missing', ''],
      ['RECENT', '3 4'],
      ['OLD', '1 2'],
      ['NEW', '3'],
      ['seen', '1 4'],
    ];
    for (const [i, [keys, expected]] of cases.entries()) {
      expect(await c.transact(`SEARCH ${keys}`, `S${i}`), keys).toEqual({
        untagged: [`* SEARCH${expected ? ` ${expected}` : ''}`],
        tagged: `S${i} OK SEARCH completed`,
      });
    }
  });

  it('address, subject, header, body and text keys: case-insensitive substrings', async () => {
    const { c } = await fourMessages();
    const cases: [string, string][] = [
      ['SUBJECT beta', '2'],
      ['SUBJECT BETA', '2'],
      ['FROM alice', '1 2 3'],
      ['FROM "Bob <bob@"', '4'],
      ['TO team', '4'],
      ['TO sales@agents.example.com', '1 2 3'],
      ['CC carol', '1'],
      ['BCC boss', '4'],
      ['HEADER Message-ID "<beta@"', '2'],
      ['HEADER message-id BETA', '2'],
      // RFC 3501 §6.4.4: an empty string matches every message that has the field.
      ['HEADER Cc ""', '1'],
      ['BODY "second body"', '2'],
      ['BODY carol', ''],
      ['TEXT carol', '1'],
      ['TEXT "first body"', '1'],
      ['TEXT nowhere', ''],
    ];
    for (const [i, [keys, expected]] of cases.entries()) {
      expect(await c.transact(`SEARCH ${keys}`, `S${i}`), keys).toEqual({
        untagged: [`* SEARCH${expected ? ` ${expected}` : ''}`],
        tagged: `S${i} OK SEARCH completed`,
      });
    }
  });

  it('size and date keys', async () => {
    const { c } = await fourMessages();
    const [s1, s2, s3, s4] = SIZES as [number, number, number, number];
    const smallest = Math.min(s1, s2, s3);
    const cases: [string, string][] = [
      [`LARGER ${s4 - 1}`, '4'],
      [`LARGER ${s4}`, ''],
      [`SMALLER ${smallest + 1}`, String(SIZES.indexOf(smallest) + 1)],
      [`SMALLER ${smallest}`, ''],
      ['BEFORE 15-Nov-2026', '1'],
      ['ON 15-Nov-2026', '2'],
      ['SINCE 15-Nov-2026', '2 3 4'],
      ['SINCE 26-Nov-2026', ''],
      ['ON "20-Nov-2026"', '3'],
      ['BEFORE 1-Nov-2026', ''],
      ['SENTBEFORE 23-Nov-2026', '4'],
      ['SENTON 1-Nov-2026', '4'],
      ['SENTON 23-Nov-2026', '1 2 3'],
      ['SENTSINCE 2-Nov-2026', '1 2 3'],
    ];
    expect(s4).toBeGreaterThan(Math.max(s1, s2, s3));
    for (const [i, [keys, expected]] of cases.entries()) {
      expect(await c.transact(`SEARCH ${keys}`, `S${i}`), keys).toEqual({
        untagged: [`* SEARCH${expected ? ` ${expected}` : ''}`],
        tagged: `S${i} OK SEARCH completed`,
      });
    }
  });

  it('NOT, OR, groups, several keys (AND), sequence sets and UID sets', async () => {
    const { c } = await fourMessages();
    const cases: [string, string][] = [
      ['NOT SEEN', '2 3'],
      ['OR FLAGGED DRAFT', '2 4'],
      ['(SEEN DRAFT)', '4'],
      ['OR (SEEN DRAFT) ANSWERED', '3 4'],
      ['NOT (UNSEEN OR FLAGGED ANSWERED)', '1 4'],
      ['SEEN SINCE 15-Nov-2026', '4'],
      ['UNSEEN UNDELETED', '2'],
      ['2:3', '2 3'],
      ['*', '4'],
      ['3:*', '3 4'],
      ['1,4', '1 4'],
      ['2:3 FLAGGED', '2'],
      ['5', ''],
      ['UID 2:3', '2 3'],
      ['UID 9:*', '4'],
      ['NOT UID 1,4', '2 3'],
    ];
    for (const [i, [keys, expected]] of cases.entries()) {
      expect(await c.transact(`SEARCH ${keys}`, `S${i}`), keys).toEqual({
        untagged: [`* SEARCH${expected ? ` ${expected}` : ''}`],
        tagged: `S${i} OK SEARCH completed`,
      });
    }
  });

  it('UID SEARCH answers with UIDs', async () => {
    const { c } = await fourMessages();
    await ok(c, 'EXPUNGE'); // message 3 (UID 3) goes
    expect(await c.transact('SEARCH ALL', 'U1')).toEqual({ untagged: ['* SEARCH 1 2 3'], tagged: 'U1 OK SEARCH completed' });
    expect(await c.transact('UID SEARCH ALL', 'U2')).toEqual({ untagged: ['* SEARCH 1 2 4'], tagged: 'U2 OK UID SEARCH completed' });
    expect(await c.transact('UID SEARCH SEEN', 'U3')).toEqual({ untagged: ['* SEARCH 1 4'], tagged: 'U3 OK UID SEARCH completed' });
    expect(await c.transact('UID SEARCH 3', 'U4')).toEqual({ untagged: ['* SEARCH 4'], tagged: 'U4 OK UID SEARCH completed' });
    expect(await c.transact('UID SEARCH UID 3:*', 'U5')).toEqual({ untagged: ['* SEARCH 4'], tagged: 'U5 OK UID SEARCH completed' });
    expect(await c.transact('UID SEARCH UID 3', 'U6')).toEqual({ untagged: ['* SEARCH'], tagged: 'U6 OK UID SEARCH completed' });
  });

  it('CHARSET UTF-8 and US-ASCII: 8-bit strings quoted or as literals; encoded words are decoded', async () => {
    const { c } = await fourMessages();
    expect(await c.transact('SEARCH CHARSET UTF-8 BODY "caf\u00e9"', 'C1')).toEqual({ untagged: ['* SEARCH 2'], tagged: 'C1 OK SEARCH completed' });
    expect(await c.transact('SEARCH CHARSET utf-8 SUBJECT "R\u00c9SUM\u00c9"', 'C2')).toEqual({ untagged: ['* SEARCH 3'], tagged: 'C2 OK SEARCH completed' });
    const cafe = 'caf\u00e9';
    expect(await c.transact(`SEARCH CHARSET UTF-8 TEXT {${Buffer.byteLength(cafe)}+}\r\n${cafe}`, 'C3')).toEqual({
      untagged: ['* SEARCH 2'],
      tagged: 'C3 OK SEARCH completed',
    });
    c.write(`C4 SEARCH CHARSET UTF-8 BODY {${Buffer.byteLength(cafe)}}\r\n`);
    expect(await c.response()).toBe('+ Ready for literal data');
    c.write(`${cafe}\r\n`);
    expect(await c.until('C4')).toEqual({ untagged: ['* SEARCH 2'], tagged: 'C4 OK SEARCH completed' });
    expect(await c.transact('SEARCH CHARSET US-ASCII SUBJECT alpha', 'C5')).toEqual({ untagged: ['* SEARCH 1'], tagged: 'C5 OK SEARCH completed' });
  });

  it('an unsupported CHARSET: NO [BADCHARSET (UTF-8 US-ASCII)], and the session goes on', async () => {
    const { c } = await fourMessages();
    expect(await c.transact('SEARCH CHARSET KOI8-R SUBJECT alpha', 'C1')).toEqual({
      untagged: [],
      tagged: 'C1 NO [BADCHARSET (UTF-8 US-ASCII)] charset "KOI8-R" is not supported; use one of UTF-8 US-ASCII',
    });
    expect(await c.transact('SEARCH CHARSET ISO-8859-1 ALL', 'C2')).toEqual({
      untagged: [],
      tagged: 'C2 NO [BADCHARSET (UTF-8 US-ASCII)] charset "ISO-8859-1" is not supported; use one of UTF-8 US-ASCII',
    });
    expect(await c.transact('NOOP', 'C3')).toEqual({ untagged: [], tagged: 'C3 OK NOOP completed' });
  });

  it('malformed criteria: BAD, and the session goes on', async () => {
    const { c } = await fourMessages();
    const bad = (tag: string, text: string) => ({ untagged: [], tagged: `${tag} BAD ${text}` });
    expect(await c.transact('SEARCH', 'B1')).toEqual(bad('B1', 'SEARCH needs at least one search key'));
    expect(await c.transact('SEARCH FOO', 'B2')).toEqual(bad('B2', 'unknown search key "FOO"'));
    expect(await c.transact('SEARCH SUBJECT', 'B3')).toEqual(bad('B3', 'SUBJECT needs a string'));
    expect(await c.transact('SEARCH BEFORE 31-Feb-2026', 'B4')).toEqual(bad('B4', 'BEFORE needs a date like 1-Feb-2024, got "31-Feb-2026"'));
    expect(await c.transact('SEARCH NOT', 'B5')).toEqual(bad('B5', 'NOT needs a search key'));
    expect(await c.transact('SEARCH OR SEEN', 'B6')).toEqual(bad('B6', 'OR needs a search key'));
    expect(await c.transact('SEARCH ()', 'B7')).toEqual(bad('B7', 'empty parentheses: a group needs at least one search key'));
    expect(await c.transact('SEARCH SEEN CHARSET UTF-8', 'B8')).toEqual(bad('B8', 'CHARSET must come before the search keys'));
    expect(await c.transact('SEARCH 0', 'B9')).toEqual(bad('B9', 'invalid message sequence set "0"'));
    expect(await c.transact('SEARCH "alpha"', 'B10')).toEqual(bad('B10', 'expected a search key, got the string "alpha"'));
    expect(await c.transact('SEARCH LARGER many', 'B11')).toEqual(bad('B11', 'LARGER needs a number, got "many"'));
    expect(await c.transact('NOOP', 'B12')).toEqual({ untagged: [], tagged: 'B12 OK NOOP completed' });
  });

  it('BAD without a selected mailbox and before login', async () => {
    const { g, c } = await world();
    expect(await c.transact('SEARCH ALL', 'B1')).toEqual({ untagged: [], tagged: 'B1 BAD SEARCH is not allowed without a selected mailbox' });
    expect(await c.transact('UID SEARCH ALL', 'B2')).toEqual({ untagged: [], tagged: 'B2 BAD UID SEARCH is not allowed without a selected mailbox' });
    const fresh = await connect(g);
    expect(await fresh.transact('SEARCH ALL', 'B3')).toEqual({ untagged: [], tagged: 'B3 BAD SEARCH is not allowed before login' });
  });
});
