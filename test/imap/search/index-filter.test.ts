// SEARCH from the store's index must answer exactly what the evaluator answers from the
// messages themselves. Random folders (flags, keywords, dates, encoded and non-ASCII headers,
// messages stored before their header text was kept) and random criteria, compared key by key.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryPipeline } from '../../../src/delivery/pipeline.js';
import { searchMessages } from '../../../src/imap/search/evaluate.js';
import { findMatches } from '../../../src/imap/search/find.js';
import { indexFilter } from '../../../src/imap/search/index-filter.js';
import type { SearchKey } from '../../../src/imap/search/types.js';
import { searchableMessages } from '../../../src/imap/searchable.js';
import { SelectedMailbox } from '../../../src/imap/selected.js';
import { createLogger } from '../../../src/log.js';
import type { SequenceSet } from '../../../src/imap/protocol/types.js';
import { GOOD_PASSWORD, openWorld } from '../../helpers/services.js';

const SUBJECTS = [
  'Quarterly report',
  'RE: quarterly REPORT',
  'Straße und Fuß',
  '=?UTF-8?B?w4ljaGFuZ2UgZGUgZG9ubsOpZXM=?=', // Échange de données
  '=?ISO-8859-1?Q?caf=E9_cr=E8me?=',
  'ΟΔΟΣ',
  'İstanbul trip',
  'e\u0301tude', // é decomposed
  '',
];
const ADDRESSES = ['Alice <alice@example.com>', 'bob@example.org', '"Zoë" <zoe@example.net>', '=?UTF-8?Q?J=C3=BCrgen?= <jurgen@example.de>'];
const DATES = [
  'Wed, 31 Jan 2024 23:30:00 -0500',
  'Thu, 1 Feb 2024 00:30:00 +1400',
  '2 Feb 24 10:00 GMT',
  'not a date',
  'Sat, 3 Feb 2024 12:00:00 +0000',
];
const KEYWORDS = ['$Junk', '$NotJunk', 'Work', '$Forwarded'];
const NEEDLES = ['report', 'REPORT', 'strasse', 'STRASSE', 'fuß', 'échange', 'ÉCHANGE', 'café', 'οδοσ', 'istanbul', 'étude', 'alice', 'ALICE', 'zoë', 'jürgen', 'example', '', 'nothing here', 'e.org', 'b'];

interface Spec {
  subject: number | null;
  from: number[];
  to: number[];
  cc: number[];
  date: number | null;
  body: string;
  flags: string[];
  keywords: string[];
  day: number;
  padding: number;
}

const spec: fc.Arbitrary<Spec> = fc.record({
  subject: fc.option(fc.nat(SUBJECTS.length - 1), { nil: null }),
  from: fc.array(fc.nat(ADDRESSES.length - 1), { maxLength: 2 }),
  to: fc.array(fc.nat(ADDRESSES.length - 1), { maxLength: 3 }),
  cc: fc.array(fc.nat(ADDRESSES.length - 1), { maxLength: 1 }),
  date: fc.option(fc.nat(DATES.length - 1), { nil: null }),
  body: fc.constantFrom('hello there', 'the quarterly numbers', 'Straße'),
  flags: fc.subarray(['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft']),
  keywords: fc.subarray(KEYWORDS),
  day: fc.integer({ min: 0, max: 4 }),
  padding: fc.integer({ min: 0, max: 3000 }),
});

function raw(s: Spec): Buffer {
  const lines: string[] = [];
  if (s.date !== null) lines.push(`Date: ${DATES[s.date]}`);
  for (const f of s.from) lines.push(`From: ${ADDRESSES[f]}`);
  for (const t of s.to) lines.push(`To: ${ADDRESSES[t]}`);
  for (const c of s.cc) lines.push(`Cc: ${ADDRESSES[c]}`);
  if (s.subject !== null) lines.push(`Subject: ${SUBJECTS[s.subject]}`);
  lines.push('Content-Type: text/plain; charset=utf-8', '', s.body, 'x'.repeat(s.padding), '');
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

const set = (from: number | '*', to: number | '*'): SequenceSet => [{ from, to }];

function key(maxUid: number, messages: number): fc.Arbitrary<SearchKey> {
  const n = (max: number) => fc.oneof(fc.integer({ min: 1, max: Math.max(1, max + 2) }), fc.constant('*' as const));
  const dateString = fc.constantFrom('2024-01-31', '2024-02-01', '2024-02-02', '2024-02-03', '2024-02-05', '2023-12-31');
  const leaf: fc.Arbitrary<SearchKey> = fc.oneof(
    fc.constant<SearchKey>({ op: 'all' }),
    fc.tuple(n(messages), n(messages)).map(([a, b]): SearchKey => ({ op: 'seq', set: set(a, b) })),
    fc.tuple(n(maxUid), n(maxUid)).map(([a, b]): SearchKey => ({ op: 'uid', set: set(a, b) })),
    fc.tuple(fc.constantFrom('\\Seen', '\\seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft', ...KEYWORDS, '$junk', 'nokeyword'), fc.boolean()).map(
      ([flag, present]): SearchKey => ({ op: 'flag', flag, present }),
    ),
    fc.boolean().map((present): SearchKey => ({ op: 'recent', present })),
    fc.tuple(fc.constantFrom('larger', 'smaller') as fc.Arbitrary<'larger' | 'smaller'>, fc.integer({ min: 0, max: 3500 })).map(
      ([cmp, bytes]): SearchKey => ({ op: 'size', cmp, bytes }),
    ),
    fc.integer({ min: 0, max: messages * 3 + 5 }).map((min): SearchKey => ({ op: 'modseq', min })),
    fc.tuple(fc.constantFrom('internaldate', 'sentdate') as fc.Arbitrary<'internaldate' | 'sentdate'>, fc.constantFrom('before', 'on', 'since') as fc.Arbitrary<'before' | 'on' | 'since'>, dateString).map(
      ([op, cmp, date]): SearchKey => ({ op, cmp, date }),
    ),
    fc.tuple(fc.constantFrom('From', 'To', 'Cc', 'Bcc', 'Subject', 'subject', 'X-Other'), fc.constantFrom(...NEEDLES)).map(
      ([field, value]): SearchKey => ({ op: 'header', field, value }),
    ),
    fc.constantFrom('quarterly', 'STRASSE', 'zzz').map((value): SearchKey => ({ op: 'body', value })),
  );
  const { tree } = fc.letrec<{ tree: SearchKey }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((keys): SearchKey => ({ op: 'and', keys })),
      fc.tuple(tie('tree'), tie('tree')).map(([left, right]): SearchKey => ({ op: 'or', left, right })),
      tie('tree').map((k): SearchKey => ({ op: 'not', key: k })),
    ),
  }));
  return tree;
}

async function folderOf(specs: Spec[], unindexed: number[]) {
  const w = openWorld();
  await w.services.domains.add('agents.example.com');
  const account = await w.services.accounts.create(w.appId, { email: 'sales@agents.example.com', appPassword: GOOD_PASSWORD });
  const pipeline = new DeliveryPipeline(w.store, w.config, createLogger('silent'));
  const folder = w.store.mail.getMailbox(account.id, 'Archive')!;
  for (const s of specs) {
    // Internal dates around the UTC midnights the date keys test.
    const internalDate = new Date(Date.UTC(2024, 0, 31 + s.day, s.padding % 24, s.padding % 60));
    pipeline.append(account, folder, raw(s), { flags: [...s.flags, ...s.keywords], internalDate });
  }
  // Some messages as stored before the header text was kept.
  const db = (w.store as unknown as { mail: { db: import('better-sqlite3').Database } }).mail.db;
  for (const uid of unindexed) db.prepare('UPDATE messages SET search_subject = NULL WHERE folder_id = ? AND uid = ?').run(folder.id, uid);
  const index = w.store.mail.mailboxIndex(folder.id);
  const mailbox = new SelectedMailbox(w.store.mail.getMailboxById(account.id, folder.id)!, index.uids, false);
  // This session holds \Recent for every other message.
  index.uids.forEach((uid, i) => i % 2 === 0 && mailbox.recent.add(uid));
  return { w, mailbox };
}

describe('SEARCH from the index', () => {
  it('answers exactly as the evaluator reading every message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(spec, { minLength: 1, maxLength: 14 }).chain((specs) =>
          fc.tuple(fc.constant(specs), fc.subarray(specs.map((_, i) => i + 1)), fc.array(key(specs.length, specs.length), { minLength: 1, maxLength: 25 })),
        ),
        async ([specs, unindexed, keys]) => {
          const { w, mailbox } = await folderOf(specs, unindexed);
          const all = searchableMessages(w.store, mailbox, mailbox.all());
          for (const k of keys) {
            const expected = searchMessages(k, all, { maxSeq: mailbox.exists, maxUid: mailbox.maxUid });
            const highest = Math.max(0, ...all.filter((m) => expected.includes(m.seq)).map((m) => m.modseq));
            const got = findMatches(w.store, mailbox, k, true);
            expect(got.seqs, JSON.stringify(k)).toEqual(expected);
            expect(got.uids).toEqual(got.seqs.map((seq) => mailbox.uidAt(seq)));
            if (expected.length > 0) expect(got.highestModseq, JSON.stringify(k)).toBe(highest);
          }
          w.store.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('judges flags, sets, sizes, dates and the five header fields without reading a message', async () => {
    const specs: Spec[] = Array.from({ length: 6 }, (_, i) => ({
      subject: i % SUBJECTS.length,
      from: [i % ADDRESSES.length],
      to: [],
      cc: [],
      date: i % DATES.length,
      body: 'x',
      flags: i % 2 ? ['\\Seen'] : [],
      keywords: [],
      day: i % 5,
      padding: i * 100,
    }));
    const { w, mailbox } = await folderOf(specs, []);
    const keys: SearchKey[] = [
      { op: 'flag', flag: '\\Seen', present: false },
      { op: 'and', keys: [{ op: 'header', field: 'Subject', value: 'report' }, { op: 'seq', set: set(1, '*') }] },
      { op: 'or', left: { op: 'sentdate', cmp: 'before', date: '2024-02-01' }, right: { op: 'size', cmp: 'larger', bytes: 300 } },
      { op: 'not', key: { op: 'header', field: 'From', value: 'alice' } },
      { op: 'recent', present: true },
    ];
    for (const k of keys) expect(indexFilter(k, mailbox), JSON.stringify(k)).not.toBeNull();
    // BODY, TEXT and other header fields need the message.
    expect(indexFilter({ op: 'body', value: 'x' }, mailbox)).toBeNull();
    expect(indexFilter({ op: 'header', field: 'X-Mailer', value: 'x' }, mailbox)).toBeNull();
    // Reading is counted: no body is read for an index search.
    const mail = w.store.mail as unknown as { readMessage: (id: number) => Buffer | undefined };
    let reads = 0;
    const read = mail.readMessage.bind(mail);
    mail.readMessage = (id) => {
      reads++;
      return read(id);
    };
    for (const k of keys) findMatches(w.store, mailbox, k, false);
    expect(reads).toBe(0);
    findMatches(w.store, mailbox, { op: 'and', keys: [{ op: 'flag', flag: '\\Seen', present: true }, { op: 'body', value: 'x' }] }, false);
    // Only the \Seen ones were read for BODY: the index narrowed the rest away.
    expect(reads).toBe(3);
  });
});
