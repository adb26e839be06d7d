// FETCH of index items in bulk must write exactly the lines fetchResponse writes for the same
// messages and items, one message at a time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeFromIndex } from '../../../src/imap/fetch/from-index.js';
import type { FetchItem } from '../../../src/imap/fetch/items.js';
import { fetchResponse } from '../../../src/imap/fetch/respond.js';
import { SelectedMailbox } from '../../../src/imap/selected.js';
import { GOOD_PASSWORD, openWorld } from '../../helpers/services.js';

const FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft', '$Junk', 'Work', '$NotJunk'];
const ITEMS: FetchItem['kind'][] = ['UID', 'FLAGS', 'MODSEQ', 'INTERNALDATE', 'RFC822.SIZE'];

describe('FETCH from the index', () => {
  it('writes the same lines as one fetchResponse per message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ flags: fc.subarray(FLAGS), size: fc.nat(500), recent: fc.boolean(), expunged: fc.boolean() }), { minLength: 1, maxLength: 30 }),
        fc.shuffledSubarray(ITEMS, { minLength: 1 }),
        fc.boolean(),
        fc.nat(40),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 35 }), fc.oneof(fc.integer({ min: 1, max: 35 }), fc.constant('*' as const))), { minLength: 1, maxLength: 3 }),
        async (messages, kinds, byUid, changedSince, pairs) => {
          const w = openWorld();
          await w.services.domains.add('agents.example.com');
          const account = await w.services.accounts.create(w.appId, { email: 'sales@agents.example.com', appPassword: GOOD_PASSWORD });
          const folder = w.store.mail.getMailbox(account.id, 'INBOX')!;
          for (const [i, m] of messages.entries()) {
            w.store.mail.appendMessage(account.id, folder.id, {
              raw: Buffer.from(`Subject: ${i}\r\n\r\n${'x'.repeat(m.size)}`),
              flags: m.flags,
              internalDate: new Date(Date.UTC(2024, 1, 1, i, i)),
            });
          }
          const uids = w.store.mail.mailboxIndex(folder.id).uids;
          const mailbox = new SelectedMailbox(w.store.mail.getMailboxById(account.id, folder.id)!, uids, false);
          messages.forEach((m, i) => m.recent && mailbox.recent.add(uids[i]!));
          // Expunged by another session meanwhile: still in this view, gone from the store.
          const gone = uids.filter((_, i) => messages[i]!.expunged);
          w.store.mail.removeMessages(account.id, folder.id, gone);
          const items = kinds.map((kind) => ({ kind }) as FetchItem);
          // A UID set as UID FETCH names it (numbers past the end are no error there).
          const set = pairs.map(([from, to]) => ({ from, to }));
          const ranges = mailbox.uidRanges(set, true);
          const named = new Set(mailbox.byUid(set).map((t) => t.uid));
          if (ranges.length === 0) return w.store.close();

          let bulk = '';
          const index = w.store.mail.flagIndex(folder.id, ranges[0]![0], ranges[ranges.length - 1]![1], {
            changedSince,
            dates: kinds.includes('INTERNALDATE'),
            sizes: kinds.includes('RFC822.SIZE'),
          });
          await writeFromIndex(mailbox.uidList, ranges, index, {
            items,
            byUid,
            recent: (uid) => mailbox.recent.has(uid),
            write: async (text) => {
              bulk += text;
            },
          });

          const records = w.store.mail.getMessages(folder.id, uids, changedSince).filter((r) => named.has(r.uid));
          const one = records
            .map((record) => {
              const seq = mailbox.seqOf(record.uid)!;
              const source = { record, flags: mailbox.withRecent(record.uid, record.flags), structure: () => { throw new Error('no'); }, raw: () => Buffer.alloc(0), tree: () => { throw new Error('no'); } };
              return `* ${fetchResponse(seq, items, source, byUid).toString('utf8')}\r\n`;
            })
            .join('');
          expect(bulk).toBe(one);
          w.store.close();
        },
      ),
      { numRuns: 40 },
    );
  });
});
