// STORE and UID STORE — RFC 3501 §6.4.6, §6.4.8: FLAGS, +FLAGS, -FLAGS (replace, add, remove),
// with .SILENT to skip the untagged FETCH of the new flags. All changed messages get one new
// MODSEQ in one transaction.
import { type SelectedContext, selected } from '../command.js';
import { Bad, No } from '../errors.js';
import { flagList } from '../protocol/grammar.js';
import type { Token } from '../protocol/types.js';
import type { FlagOperation } from '../../store/types.js';
import { sequenceSet } from '../protocol/grammar.js';
import { atomUpper } from './args.js';

const OPERATIONS: Record<string, FlagOperation> = { FLAGS: 'replace', '+FLAGS': 'add', '-FLAGS': 'remove' };

function parse(args: Token[]) {
  if (args.length < 3) throw new Bad('expected STORE sequence-set FLAGS|+FLAGS|-FLAGS[.SILENT] (flags)');
  const set = sequenceSet(args[0]);
  const item = atomUpper(args[1], 'FLAGS, +FLAGS or -FLAGS');
  const silent = item.endsWith('.SILENT');
  const op = OPERATIONS[silent ? item.slice(0, -'.SILENT'.length) : item];
  if (!op) throw new Bad(`unknown STORE item ${item.slice(0, 30)}`);
  // RFC 3501 §9 store-att-flags: a list, or flags separated by spaces.
  return { set, op, silent, flags: flagList(args.length === 3 ? args[2]! : args.slice(2)) };
}

async function run(ctx: SelectedContext, args: ReturnType<typeof parse>, byUid: boolean): Promise<void> {
  const { mailbox } = ctx;
  const targets = byUid ? mailbox.byUid(args.set) : mailbox.bySequence(args.set);
  if (mailbox.readOnly) throw new No('READ-ONLY', 'the mailbox was opened with EXAMINE');
  if (targets.length === 0) return;
  const { store } = ctx.services;
  // Changes other sessions made that this client has not heard of: even .SILENT reports them
  // (RFC 3501 §6.4.6), since the new flags include them.
  const external = new Set(targets.filter((t) => mailbox.hasPendingFlags(t.uid)).map((t) => t.uid));
  const result = store.mail.setFlags(ctx.account.id, mailbox.folderId, targets.map((t) => t.uid), args.op, args.flags);
  mailbox.acknowledgeFlags(result.updated);
  const report = args.silent ? targets.filter((t) => external.has(t.uid)) : targets;
  if (report.length === 0) return;
  // RFC 3501 §6.4.6: the flags of every message named, as they now are.
  const current = new Map(store.mail.getMessages(mailbox.folderId, report.map((t) => t.uid)).map((m) => [m.uid, m.flags]));
  for (const { seq, uid } of report) {
    const flags = current.get(uid);
    if (!flags) continue; // expunged meanwhile by another session
    const items = [...(byUid ? [`UID ${uid}`] : []), `FLAGS (${mailbox.withRecent(uid, flags).join(' ')})`];
    ctx.untagged(`${seq} FETCH (${items.join(' ')})`);
  }
}

export const storeFlags = selected({ name: 'STORE', parse, run: (ctx, args) => run(ctx, args, false), expungeSafe: false });
export const uidStore = selected({ name: 'UID STORE', parse, run: (ctx, args) => run(ctx, args, true) });
