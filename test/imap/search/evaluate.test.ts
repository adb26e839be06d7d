import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matchesSearch, searchMessages } from '../../../src/imap/search/evaluate.js';
import { parseSearch } from '../../../src/imap/search/parse.js';
import type { SearchContext, SearchKey } from '../../../src/imap/search/types.js';
import { type FixtureMessage, message, resetCalls, totalCalls } from './fixture.js';
import { tokens } from './tokens.js';

// Five messages, chosen so that every key separates them differently.
const mailbox: FixtureMessage[] = [
  message({
    seq: 1,
    uid: 10,
    flags: ['\\Seen'],
    internalDate: '2024-02-01T00:00:00.000Z',
    size: 500,
    modseq: 5,
    headers: [
      ['From', 'Alice Example <alice@example.com>'],
      ['To', 'Bob <bob@example.org>'],
      ['Subject', 'Quarterly report'],
      // 1 Feb 04:30 in UTC, but 31 January where it was written.
      ['Date', 'Wed, 31 Jan 2024 23:30:00 -0500'],
    ],
    body: 'Please find the report attached.',
  }),
  message({
    seq: 2,
    uid: 20,
    flags: ['\\Answered', '\\Seen', '$Forwarded'],
    internalDate: '2024-02-01T23:59:59.999Z',
    size: 1500,
    modseq: 8,
    headers: [
      ['From', 'Bob <bob@example.org>'],
      ['To', 'alice@example.com'],
      ['Cc', 'Carol <carol@example.net>'],
      ['Subject', 'Re: Quarterly report'],
      // 31 Jan 10:30 in UTC, but 1 February where it was written.
      ['Date', 'Thu, 1 Feb 2024 00:30:00 +1400'],
    ],
    body: 'Thanks! Die Straße ist gesperrt.',
  }),
  message({
    seq: 3,
    uid: 30,
    flags: ['\\Flagged'],
    recent: true,
    internalDate: '2024-02-02T00:00:00.000Z',
    size: 2000,
    modseq: 12,
    headers: [
      ['From', 'Çağrı Yılmaz <cagri@example.com.tr>'],
      ['To', 'alice@example.com'],
      ['Subject', 'İSTANBUL toplantısı'],
    ],
    body: 'ΟΔΟΣ ΑΘΗΝΑΣ, cafe\u0301 at noon',
  }),
  message({
    seq: 4,
    uid: 40,
    flags: ['\\Deleted', '\\Draft', '\\Seen', 'Urgent'],
    recent: true,
    internalDate: '2024-03-01T12:00:00.000Z',
    size: 100,
    modseq: 20,
    headers: [
      ['From', 'dave@example.com'],
      ['Bcc', 'eve@example.com'],
      ['X-Priority', '1'],
      ['Subject', ''],
      ['Date', 'Fri, 1 Mar 2024 09:00:00 +0000'],
    ],
  }),
  message({
    seq: 5,
    uid: 50,
    flags: ['\\Seen'],
    internalDate: '2024-01-31T23:59:59.999Z',
    size: 1000,
    modseq: 3,
    headers: [
      ['From', 'Mallory <m@example.com>'],
      ['To', 'bob@example.org'],
      ['Subject', 'STRASSE'],
      ['Date', 'Tue, 30 Jan 2024 10:00:00 +0100'],
    ],
    body: "ıstanbul'da buluşalım, final οδος",
  }),
];
const ctx: SearchContext = { maxSeq: 5, maxUid: 50 };

const keyOf = (criteria: string): SearchKey => parseSearch(tokens(criteria), { utf8: true }).key;
const search = (criteria: string, messages = mailbox, context = ctx) => searchMessages(keyOf(criteria), messages, context);

beforeEach(() => resetCalls(mailbox));

describe('searchMessages over a fixture mailbox', () => {
  it.each<[string, number[]]>([
    ['ALL', [1, 2, 3, 4, 5]],
    // Flags, case-insensitively.
    ['SEEN', [1, 2, 4, 5]],
    ['UNSEEN', [3]],
    ['ANSWERED', [2]],
    ['UNANSWERED', [1, 3, 4, 5]],
    ['FLAGGED', [3]],
    ['UNFLAGGED', [1, 2, 4, 5]],
    ['DELETED', [4]],
    ['UNDELETED', [1, 2, 3, 5]],
    ['DRAFT', [4]],
    ['UNDRAFT', [1, 2, 3, 5]],
    ['KEYWORD $forwarded', [2]],
    ['KEYWORD URGENT', [4]],
    ['UNKEYWORD urgent', [1, 2, 3, 5]],
    ['KEYWORD $Junk', []],
    ['UNKEYWORD $Junk', [1, 2, 3, 4, 5]],
    // \Recent: NEW = RECENT UNSEEN, OLD = NOT RECENT.
    ['RECENT', [3, 4]],
    ['NEW', [3]],
    ['OLD', [1, 2, 5]],
    // Sizes are strict.
    ['LARGER 1000', [2, 3]],
    ['SMALLER 1000', [1, 4]],
    ['LARGER 99', [1, 2, 3, 4, 5]],
    ['SMALLER 100', []],
    ['MODSEQ 8', [2, 3, 4]],
    ['MODSEQ 0', [1, 2, 3, 4, 5]],
    ['MODSEQ "/flags/\\\\seen" all 21', []],
    // Address and subject fields: case-insensitive substrings of the decoded values.
    ['FROM alice', [1]],
    ['FROM ALICE@EXAMPLE', [1]],
    ['FROM example.org', [2]],
    ['FROM ""', [1, 2, 3, 4, 5]],
    ['TO bob', [1, 5]],
    ['CC carol', [2]],
    ['CC ""', [2]],
    ['BCC eve', [4]],
    ['SUBJECT report', [1, 2]],
    ['SUBJECT "re:"', [2]],
    // The empty Subject of message 4 still exists.
    ['SUBJECT ""', [1, 2, 3, 4, 5]],
    ['HEADER X-Priority ""', [4]],
    ['HEADER x-priority 1', [4]],
    ['HEADER X-Missing ""', []],
    ['HEADER Date "+1400"', [2]],
    // BODY is the body only; TEXT is header and body.
    ['BODY report', [1]],
    ['TEXT report', [1, 2]],
    ['BODY ""', [1, 2, 3, 4, 5]],
    ['TEXT alice', [1, 2, 3]],
    ['BODY "find the REPORT"', [1]],
    // Unicode case folding.
    ['SUBJECT istanbul', [3]],
    ['SUBJECT TOPLANTISI', [3]],
    ['BODY ISTANBUL', [5]],
    ['FROM "çağri"', [3]],
    ['SUBJECT straße', [5]],
    ['BODY strasse', [2]],
    ['TEXT STRASSE', [2, 5]],
    ['BODY "οδοσ"', [3, 5]],
    ['BODY "ΟΔΟΣ"', [3, 5]],
    ['BODY "café"', [3]],
    // Internal date: the UTC day.
    ['BEFORE 1-Feb-2024', [5]],
    ['ON 1-Feb-2024', [1, 2]],
    ['ON 31-Jan-2024', [5]],
    ['SINCE 1-Feb-2024', [1, 2, 3, 4]],
    ['SINCE 2-Feb-2024', [3, 4]],
    ['BEFORE 2-Feb-2024', [1, 2, 5]],
    // Sent date: the day as written in the Date field; message 3 has none.
    ['SENTON 31-Jan-2024', [1]],
    ['SENTON 1-Feb-2024', [2]],
    ['SENTBEFORE 1-Feb-2024', [1, 5]],
    ['SENTSINCE 1-Feb-2024', [2, 4]],
    ['SENTBEFORE 1-Jan-2100', [1, 2, 4, 5]],
    ['NOT SENTON 1-Feb-2024', [1, 3, 4, 5]],
    // Sequence numbers and UIDs, `*` = the largest.
    ['*', [5]],
    ['2,4', [2, 4]],
    ['4:*', [4, 5]],
    ['*:4', [4, 5]],
    ['1:2,2:3', [1, 2, 3]],
    ['7:*', [5]],
    ['9', []],
    ['UID 20', [2]],
    ['UID *', [5]],
    ['UID 45:*', [5]],
    ['UID 1:15,35:45', [1, 4]],
    ['UID 21:29', []],
    ['UID 4294967295', []],
    // Boolean structure.
    ['NOT SEEN', [3]],
    ['NOT NOT SEEN', [1, 2, 4, 5]],
    ['OR FLAGGED DELETED', [3, 4]],
    ['OR (FROM alice SEEN) NOT (TO bob)', [1, 2, 3, 4]],
    ['SEEN FROM bob', [2]],
    ['SEEN SINCE 1-Feb-2024 LARGER 600', [2]],
    ['(SEEN (UNDELETED (SMALLER 1200)))', [1, 5]],
    ['OR OR ANSWERED FLAGGED DRAFT', [2, 3, 4]],
    ['UNDELETED OR OR FROM report SUBJECT report TO report', [1, 2]],
    ['2:4 NOT UID 30', [2, 4]],
  ])('%s', (criteria, seqs) => {
    expect(search(criteria)).toEqual(seqs);
  });

  it('agrees with matchesSearch message by message', () => {
    for (const criteria of ['SEEN BODY report', 'OR FLAGGED SENTON 1-Feb-2024', 'NOT UID 20:40', 'TEXT strasse']) {
      const key = keyOf(criteria);
      const one = mailbox.filter((msg) => matchesSearch(key, msg, ctx)).map((msg) => msg.seq);
      expect(searchMessages(key, mailbox, ctx)).toEqual(one);
    }
  });

  it('compares system flags case-insensitively when given as written by a client', () => {
    expect(searchMessages({ op: 'flag', flag: '\\SEEN', present: true }, mailbox, ctx)).toEqual([1, 2, 4, 5]);
    expect(searchMessages({ op: 'flag', flag: '\\answered', present: false }, mailbox, ctx)).toEqual([1, 3, 4, 5]);
  });

  it('returns sequence numbers ascending even if the messages come out of order', () => {
    const shuffled = [mailbox[3], mailbox[0], mailbox[4], mailbox[1], mailbox[2]] as FixtureMessage[];
    expect(search('ALL', shuffled)).toEqual([1, 2, 3, 4, 5]);
    expect(search('SEEN', shuffled)).toEqual([1, 2, 4, 5]);
  });

  it('accepts any iterable and an empty mailbox', () => {
    function* gen() {
      yield* mailbox;
    }
    expect(search('FLAGGED', gen() as unknown as FixtureMessage[])).toEqual([3]);
    expect(search('ALL', [], { maxSeq: 0, maxUid: 0 })).toEqual([]);
  });
});

describe('laziness: cheap keys first, expensive accessors at most once per message', () => {
  it('SEEN BODY x never reads the body of an unseen message', () => {
    expect(search('SEEN BODY report')).toEqual([1]);
    const unseen = mailbox[2] as FixtureMessage;
    expect(unseen.calls.bodyText).toBe(0);
    expect(totalCalls(mailbox, 'bodyText')).toBe(4);
  });

  it('reorders BODY x SEEN the same way: the client’s order does not matter', () => {
    expect(search('BODY report SEEN')).toEqual([1]);
    expect((mailbox[2] as FixtureMessage).calls.bodyText).toBe(0);
    expect(totalCalls(mailbox, 'bodyText')).toBe(4);
  });

  it('ORs try the cheap side first and stop when it matches', () => {
    expect(search('OR BODY nothing-like-this SEEN')).toEqual([1, 2, 4, 5]);
    expect(totalCalls(mailbox, 'bodyText')).toBe(1); // only the unseen message 3
  });

  it('NOT (BODY x SEEN) and nested groups keep the order', () => {
    search('NOT (BODY report (SEEN))');
    expect((mailbox[2] as FixtureMessage).calls.bodyText).toBe(0);
  });

  it('a flag/size/date/UID search calls no accessor at all', () => {
    search('SEEN LARGER 10 SINCE 1-Jan-2024 UID 1:* NOT FLAGGED 1:* MODSEQ 1 OLD');
    for (const what of ['headerValues', 'sentDay', 'bodyText', 'fullText'] as const) {
      expect(totalCalls(mailbox, what)).toBe(0);
    }
  });

  it('the Date field is consulted before other header fields', () => {
    expect(search('FROM alice SENTBEFORE 1-Jan-2000')).toEqual([]);
    // Every message fails SENTBEFORE (message 3 for having no Date), so From is never read.
    expect(totalCalls(mailbox, 'headerValues')).toBe(0);
    expect(totalCalls(mailbox, 'sentDay')).toBe(5);
  });

  it('header fields before the body, the body before the full text', () => {
    expect(search('TEXT report BODY attached SUBJECT quarterly')).toEqual([1]);
    // Subject matches messages 1 and 2 only, so only they go on to BODY; only 1 to TEXT.
    expect(totalCalls(mailbox, 'bodyText')).toBe(2);
    expect(totalCalls(mailbox, 'fullText')).toBe(1);
  });

  it('fetches each body, full text and header field once per message however many keys use it', () => {
    // None of the strings occurs, so every key runs on every message.
    const criteria = 'NOT BODY zq1 NOT BODY zq2 NOT TEXT zq3 NOT TEXT zq4 NOT HEADER subject zq5 NOT HEADER Subject zq6 NOT SUBJECT zq7 NOT FROM zq8';
    expect(search(criteria)).toEqual([1, 2, 3, 4, 5]);
    for (const msg of mailbox) {
      expect(msg.calls.bodyText).toBe(1);
      expect(msg.calls.fullText).toBe(1);
      expect(msg.calls.headerValues).toBe(2); // Subject (in any case) and From
    }
  });

  it('matchesSearch is lazy too', () => {
    const unseen = mailbox[2] as FixtureMessage;
    expect(matchesSearch(keyOf('SEEN BODY ΟΔΟΣ'), unseen, ctx)).toBe(false);
    expect(unseen.calls.bodyText).toBe(0);
    expect(matchesSearch(keyOf('UNSEEN BODY ΟΔΟΣ BODY café'), unseen, ctx)).toBe(true);
    expect(unseen.calls.bodyText).toBe(1);
  });
});

describe('dates at midnight and across time zones', () => {
  const at = (seq: number, internalDate: string, date?: string) =>
    message({ seq, uid: seq, internalDate, headers: date === undefined ? [] : [['Date', date]] });

  it('internal dates compare UTC calendar days, to the millisecond around midnight', () => {
    const messages = [
      at(1, '2024-02-28T23:59:59.999Z'),
      at(2, '2024-02-29T00:00:00.000Z'),
      at(3, '2024-02-29T23:59:59.999Z'),
      at(4, '2024-03-01T00:00:00.000Z'),
    ];
    const c = { maxSeq: 4, maxUid: 4 };
    expect(search('ON 29-Feb-2024', messages, c)).toEqual([2, 3]);
    expect(search('BEFORE 29-Feb-2024', messages, c)).toEqual([1]);
    expect(search('SINCE 29-Feb-2024', messages, c)).toEqual([2, 3, 4]);
    expect(search('SINCE 1-Mar-2024', messages, c)).toEqual([4]);
    expect(search('BEFORE 1-Mar-2024 SINCE 29-Feb-2024', messages, c)).toEqual([2, 3]);
  });

  describe('whatever the server process’s time zone', () => {
    const saved = process.env.TZ;
    afterEach(() => {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    });

    it.each(['Pacific/Kiritimati', 'Etc/GMT+12', 'America/New_York', 'UTC'])('TZ=%s', (tz) => {
      process.env.TZ = tz;
      // The zone really changed for this process (Node re-reads TZ), so local-time code would show.
      const localDay = new Date('2024-02-29T00:00:00.000Z').getDate();
      expect(localDay).toBe(tz === 'Etc/GMT+12' || tz === 'America/New_York' ? 28 : 29);
      const messages = [at(1, '2024-02-29T00:00:00.000Z'), at(2, '2024-02-28T23:00:00.000Z')];
      expect(search('ON 29-Feb-2024', messages, { maxSeq: 2, maxUid: 2 })).toEqual([1]);
    });
  });

  it('SENTON uses the day as written in the Date field, not the UTC day', () => {
    const messages = [
      at(1, '2024-01-31T10:00:00Z', 'Thu, 1 Feb 2024 00:00:00 +1400'), // UTC: 31 Jan 10:00
      at(2, '2024-02-01T11:59:59Z', 'Wed, 31 Jan 2024 23:59:59 -1200'), // UTC: 1 Feb 11:59
      at(3, '2024-02-01T00:00:00Z', 'Thu, 1 Feb 2024 00:00:00 +0000'),
      at(4, '2024-02-01T00:00:00Z', 'Wed, 31 Jan 2024 23:59:59 +0000'),
      at(5, '2024-02-01T00:00:00Z'), // no Date field
    ];
    const c = { maxSeq: 5, maxUid: 5 };
    expect(search('SENTON 1-Feb-2024', messages, c)).toEqual([1, 3]);
    expect(search('SENTON 31-Jan-2024', messages, c)).toEqual([2, 4]);
    expect(search('SENTBEFORE 1-Feb-2024', messages, c)).toEqual([2, 4]);
    expect(search('SENTSINCE 1-Feb-2024', messages, c)).toEqual([1, 3]);
    // The internal-date keys see the same messages by their UTC day instead.
    expect(search('ON 1-Feb-2024', messages, c)).toEqual([2, 3, 4, 5]);
    // No Date field: no SENT* key matches, so its negation does.
    expect(search('OR SENTBEFORE 1-Feb-2024 SENTSINCE 1-Feb-2024', messages, c)).toEqual([1, 2, 3, 4]);
    expect(search('NOT SENTON 1-Feb-2024', messages, c)).toEqual([2, 4, 5]);
  });

  it('a malformed sentDay() or an invalid internal date matches no date key', () => {
    const odd = { ...message({ seq: 1, uid: 1 }), sentDay: () => '2024-2-1', internalDate: Number.NaN };
    for (const criteria of ['SENTON 1-Feb-2024', 'SENTBEFORE 1-Jan-2100', 'SENTSINCE 1-Jan-1900', 'BEFORE 1-Jan-2100', 'SINCE 1-Jan-1900']) {
      expect(matchesSearch(keyOf(criteria), odd, ctx)).toBe(false);
    }
    expect(matchesSearch(keyOf('NOT SINCE 1-Jan-1900'), odd, ctx)).toBe(true);
  });

  it('years far apart still order correctly', () => {
    const messages = [at(1, '1970-01-01T00:00:00Z'), at(2, '2099-12-31T23:59:59Z')];
    const c = { maxSeq: 2, maxUid: 2 };
    expect(search('BEFORE 1-Jan-2000', messages, c)).toEqual([1]);
    expect(search('SINCE 31-Dec-2099', messages, c)).toEqual([2]);
  });
});

describe('`*` and sequence sets', () => {
  it('UID n:* with n above the largest UID still matches the last message (RFC 3501 §6.4.8)', () => {
    expect(search('UID 60:*')).toEqual([5]);
    expect(search('UID 4294967295:*')).toEqual([5]);
    expect(search('UID *:60')).toEqual([5]);
  });

  it('sequence n:* with n above the message count matches the last message', () => {
    expect(search('6:*')).toEqual([5]);
  });

  it('`*` follows the context, not the messages passed in', () => {
    const key = keyOf('*');
    const third = mailbox[2] as FixtureMessage;
    // matchesSearch caches the compiled key; the resolved `*` must still follow each context.
    expect(matchesSearch(key, third, { maxSeq: 3, maxUid: 30 })).toBe(true);
    expect(matchesSearch(key, third, { maxSeq: 5, maxUid: 50 })).toBe(false);
    expect(matchesSearch(key, third, { maxSeq: 3, maxUid: 30 })).toBe(true);
    const uidKey = keyOf('UID 25:*');
    expect(matchesSearch(uidKey, third, { maxSeq: 5, maxUid: 50 })).toBe(true);
    expect(matchesSearch(uidKey, third, { maxSeq: 5, maxUid: 20 })).toBe(false); // 20:25
  });

  it('an empty mailbox (`*` = 0) matches nothing', () => {
    const c = { maxSeq: 0, maxUid: 0 };
    expect(matchesSearch(keyOf('UID 1:*'), mailbox[0] as FixtureMessage, c)).toBe(false);
    expect(matchesSearch(keyOf('*'), mailbox[0] as FixtureMessage, c)).toBe(false);
  });

  it('handles a long UID set from a client quickly', () => {
    const set = Array.from({ length: 5000 }, (_, i) => String(i * 10 + 5)).join(',');
    const many = Array.from({ length: 5000 }, (_, i) => message({ seq: i + 1, uid: i * 10 + (i % 2 === 0 ? 5 : 6) }));
    const started = performance.now();
    const result = searchMessages(keyOf(`UID ${set}`), many, { maxSeq: 5000, maxUid: 50_000 });
    expect(result).toHaveLength(2500);
    expect(result[0]).toBe(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
