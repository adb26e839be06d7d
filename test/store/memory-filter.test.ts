// SEARCH keys judged from the in-memory folder index (flags, keywords, UIDs, MODSEQ) must give
// the SQL's answer exactly: both are run on random folders (changed by this connection and by
// another process, as the CLI would) with random combinations of those keys.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ChangeBus } from '../../src/store/changes.js';
import { openStore } from '../../src/store/open.js';
import { searchFolder } from '../../src/store/sqlite/folder-index.js';
import { judgedInMemory } from '../../src/store/sqlite/memory-filter.js';
import type { MessageFilter, SystemFlag } from '../../src/store/types.js';
import { GOOD_PASSWORD, openWorld } from '../helpers/services.js';

const FLAGS = ['\\Seen', '\\Flagged', '\\Deleted', '\\Answered', '\\Draft', '$Junk', 'Work', 'work'];
const SYSTEM: SystemFlag[] = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'];

const leaf: fc.Arbitrary<MessageFilter> = fc.oneof(
  fc.constant({ op: 'all' } as const),
  fc.record({ op: fc.constant('flag' as const), flag: fc.constantFrom(...SYSTEM), present: fc.boolean() }),
  fc.record({ op: fc.constant('keyword' as const), keyword: fc.constantFrom('$Junk', '$junk', 'Work', 'WORK', 'none'), present: fc.boolean() }),
  fc.record({ op: fc.constant('modseq' as const), min: fc.integer({ min: 0, max: 40 }) }),
  fc
    .array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 10 })), { minLength: 0, maxLength: 3 })
    .map((pairs) => ({ op: 'uids' as const, ranges: pairs.map(([low, span]) => [low, low + span] as [number, number]) })),
);

const filter: fc.Arbitrary<MessageFilter> = fc.letrec<{ f: MessageFilter }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ op: fc.constant('and' as const), filters: fc.array(tie('f'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ op: fc.constant('or' as const), filters: fc.tuple(tie('f'), tie('f')) }),
    fc.record({ op: fc.constant('not' as const), filter: tie('f') }),
  ),
})).f;

describe('SEARCH from the in-memory index', () => {
  it('answers every flag, keyword, UID and MODSEQ filter as the SQL does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ flags: fc.subarray(FLAGS), later: fc.subarray(FLAGS), foreign: fc.boolean(), expunge: fc.boolean() }), { minLength: 1, maxLength: 25 }),
        fc.array(filter, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 30 }),
        fc.boolean(),
        async (messages, filters, maxUid, wantModseq) => {
          const w = openWorld();
          await w.services.domains.add('agents.example.com');
          const account = await w.services.accounts.create(w.appId, { email: 'sales@agents.example.com', appPassword: GOOD_PASSWORD });
          const cli = openStore(w.dir, new ChangeBus());
          onTestFinished(() => cli.close());
          const folder = w.store.mail.createMailbox(account.id, 'Work');
          messages.forEach((m, i) => {
            const record = w.store.mail.appendMessage(account.id, folder.id, { raw: Buffer.from(`Subject: ${i}\r\n\r\nx`), flags: m.flags });
            (m.foreign ? cli : w.store).mail.setFlags(account.id, folder.id, [record.uid], 'replace', m.later);
          });
          const reader = new Database(join(w.dir, 'wicket.db'), { readonly: true });
          onTestFinished(() => {
            reader.close();
          });
          const doomed = messages.flatMap((m, i) => (m.expunge ? [i + 1] : []));
          if (doomed.length) w.store.mail.removeMessages(account.id, folder.id, doomed);
          for (const f of filters) {
            expect(judgedInMemory(f)).toBe(true);
            const fromMemory = w.store.mail.searchFolder(folder.id, f, maxUid, wantModseq);
            const fromSql = searchFolder(reader, folder.id, f, maxUid, wantModseq);
            expect(fromMemory, JSON.stringify(f)).toEqual(fromSql);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaves keys it does not hold to SQL', () => {
    expect(judgedInMemory({ op: 'header', field: 'subject', text: 'x' })).toBe(false);
    expect(judgedInMemory({ op: 'and', filters: [{ op: 'flag', flag: '\\Seen', present: false }, { op: 'size', cmp: 'larger', bytes: 10 }] })).toBe(false);
    expect(judgedInMemory({ op: 'not', filter: { op: 'internalDate', cmp: 'before', day: 20260101 } })).toBe(false);
  });
});
