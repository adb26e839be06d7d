// The in-memory folder index must always equal the folder as stored, whatever happened to it
// and whoever did it (this connection, or the CLI's in another): compared after every step of
// random histories of appends, flag changes, expunges, moves, copies and folder re-creation.
import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ChangeBus } from '../../src/store/changes.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { GOOD_PASSWORD, openWorld } from '../helpers/services.js';

const FLAGS = ['\\Seen', '\\Flagged', '\\Deleted', '$Junk', 'Work'];

type Step =
  | { kind: 'append'; flags: string[]; foreign: boolean }
  | { kind: 'flags'; pick: number; op: 'add' | 'remove' | 'replace'; flags: string[]; foreign: boolean }
  | { kind: 'expunge'; pick: number }
  | { kind: 'move'; pick: number }
  | { kind: 'copyBack' }
  | { kind: 'recreate' }
  | { kind: 'read' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), flags: fc.subarray(FLAGS), foreign: fc.boolean() }),
  fc.record({ kind: fc.constant('flags' as const), pick: fc.nat(), op: fc.constantFrom('add' as const, 'remove' as const, 'replace' as const), flags: fc.subarray(FLAGS), foreign: fc.boolean() }),
  fc.record({ kind: fc.constant('expunge' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), pick: fc.nat() }),
  fc.constant({ kind: 'copyBack' as const }),
  fc.constant({ kind: 'recreate' as const }),
  fc.constant({ kind: 'read' as const }),
);

/** The folder straight from its rows, in the shape the cache answers with. */
function fromRows(store: Store, folderId: number) {
  const records = store.mail.listMessages(folderId);
  return {
    uids: records.map((r) => r.uid),
    modseqs: records.map((r) => r.modseq),
    flags: records.map((r) => r.flags.join(' ')),
  };
}

function fromCache(store: Store, folderId: number) {
  const index = store.mail.flagIndex(folderId, 1, Number.MAX_SAFE_INTEGER);
  const names = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'];
  return {
    uids: index.uids,
    modseqs: index.modseqs,
    flags: index.uids.map((uid, i) => [...names.filter((_, b) => (index.bits[i]! & (1 << b)) !== 0), ...(index.keywords.get(uid) ?? [])].join(' ')),
  };
}

describe('the in-memory folder index', () => {
  it('equals the stored folder after every change, made here or by another process', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const w = openWorld();
        await w.services.domains.add('agents.example.com');
        const account = await w.services.accounts.create(w.appId, { email: 'sales@agents.example.com', appPassword: GOOD_PASSWORD });
        // The CLI's connection to the same data.
        const cli = openStore(w.dir, new ChangeBus());
        onTestFinished(() => cli.close());
        let folder = w.store.mail.createMailbox(account.id, 'Work');
        const other = w.store.mail.getMailbox(account.id, 'Archive')!;
        let n = 0;
        const uids = () => w.store.mail.listMessages(folder.id).map((m) => m.uid);
        for (const s of steps) {
          const present = uids();
          const target = present.length > 0 ? [present[('pick' in s ? s.pick : 0) % present.length]!] : [];
          switch (s.kind) {
            case 'append':
              (s.foreign ? cli : w.store).mail.appendMessage(account.id, folder.id, { raw: Buffer.from(`Subject: ${n++}\r\n\r\nx`), flags: s.flags });
              break;
            case 'flags':
              if (target.length) (s.foreign ? cli : w.store).mail.setFlags(account.id, folder.id, target, s.op, s.flags);
              break;
            case 'expunge':
              if (target.length) w.store.mail.removeMessages(account.id, folder.id, target);
              break;
            case 'move':
              if (target.length) w.store.mail.moveMessages(account.id, folder.id, target, other.id);
              break;
            case 'copyBack': {
              const back = w.store.mail.listMessages(other.id).map((m) => m.uid);
              if (back.length) w.store.mail.copyMessages(account.id, other.id, back.slice(0, 2), folder.id);
              break;
            }
            case 'recreate':
              // Deleted and made again: a new UIDVALIDITY, possibly the same row id.
              w.store.mail.deleteMailbox(account.id, folder.id, false);
              folder = w.store.mail.createMailbox(account.id, 'Work');
              break;
            case 'read':
              break;
          }
          expect(fromCache(w.store, folder.id)).toEqual(fromRows(w.store, folder.id));
        }
        expect(w.store.mail.mailboxIndex(folder.id).uids).toEqual(uids());
      }),
      { numRuns: 80 },
    );
    // Eighty random histories: about a minute on a busy 2-core machine.
  }, 240_000);
});
