// STORE and UID STORE — RFC 3501 §6.4.6, §6.4.8: FLAGS, +FLAGS, -FLAGS (replace, add, remove),
// with .SILENT to skip the untagged FETCH of the new flags. All changed messages get one new
// MODSEQ in one transaction. CONDSTORE (RFC 7162 §3.1.3): `STORE set (UNCHANGEDSINCE m) …`
// changes only messages not modified after m; the others are named in OK [MODIFIED set].
import type { FlagOperation } from '../../store/types.js';
import { type Done, type SelectedContext, selected } from '../command.js';
import { Bad, No } from '../errors.js';
import { flagList, number64, sequenceSet } from '../protocol/grammar.js';
import type { Token } from '../protocol/types.js';
import { formatNumberSet } from '../uid-set.js';
import { atomUpper } from './args.js';

const OPERATIONS: Record<string, FlagOperation> = { FLAGS: 'replace', '+FLAGS': 'add', '-FLAGS': 'remove' };

function parse(args: Token[]) {
  const usage = 'expected STORE sequence-set [(UNCHANGEDSINCE modseq)] FLAGS|+FLAGS|-FLAGS[.SILENT] (flags)';
  if (args.length < 3) throw new Bad(usage);
  const set = sequenceSet(args[0]);
  let rest = args.slice(1);
  let unchangedSince: number | undefined;
  if (rest[0]!.kind === 'list') {
    const [name, value, ...extra] = rest[0]!.items;
    if (name?.kind !== 'atom' || name.value.toUpperCase() !== 'UNCHANGEDSINCE' || extra.length > 0) throw new Bad('the only STORE modifier is UNCHANGEDSINCE');
    unchangedSince = number64(value, 'UNCHANGEDSINCE');
    rest = rest.slice(1);
  }
  if (rest.length < 2) throw new Bad(usage);
  const item = atomUpper(rest[0], 'FLAGS, +FLAGS or -FLAGS');
  const silent = item.endsWith('.SILENT');
  const op = OPERATIONS[silent ? item.slice(0, -'.SILENT'.length) : item];
  if (!op) throw new Bad(`unknown STORE item ${item.slice(0, 30)}`);
  // RFC 3501 §9 store-att-flags: a list, or flags separated by spaces.
  return { set, op, silent, unchangedSince, flags: flagList(rest.length === 2 ? rest[1]! : rest.slice(1)) };
}

async function run(ctx: SelectedContext, args: ReturnType<typeof parse>, byUid: boolean): Promise<Done | void> {
  const { mailbox } = ctx;
  const targets = byUid ? mailbox.byUid(args.set) : mailbox.bySequence(args.set);
  if (mailbox.readOnly) throw new No('READ-ONLY', 'the mailbox was opened with EXAMINE');
  if (args.unchangedSince !== undefined) ctx.enable('CONDSTORE');
  const condstore = ctx.isEnabled('CONDSTORE');
  if (targets.length === 0) return;
  const { store } = ctx.services;
  // Changes other sessions made that this client has not heard of: even .SILENT reports them
  // (RFC 3501 §6.4.6), since the new flags include them.
  const external = new Set(targets.filter((t) => mailbox.hasPendingFlags(t.uid)).map((t) => t.uid));
  const result = store.mail.setFlags(ctx.account.id, mailbox.folderId, targets.map((t) => t.uid), args.op, args.flags, args.unchangedSince);
  mailbox.ownFlagChanges(result.updated);
  const conflicts = new Set(result.conflicts);
  const updated = new Set(result.updated.map((m) => m.uid));
  // RFC 7162 §3.1.3: a conditional STORE reports the new MODSEQ of what it changed, .SILENT or not.
  const conditional = args.unchangedSince !== undefined;
  const report = targets.filter(
    (t) => !conflicts.has(t.uid) && (!args.silent || external.has(t.uid) || (conditional && updated.has(t.uid))),
  );
  if (report.length > 0) {
    // RFC 3501 §6.4.6: the flags of every message named, as they now are.
    const current = new Map(store.mail.getMessages(mailbox.folderId, report.map((t) => t.uid)).map((m) => [m.uid, m]));
    for (const { seq, uid } of report) {
      const message = current.get(uid);
      if (!message) continue; // expunged meanwhile by another session
      const flagsWanted = !args.silent || external.has(uid);
      const items = [
        ...(byUid ? [`UID ${uid}`] : []),
        ...(flagsWanted ? [`FLAGS (${mailbox.withRecent(uid, message.flags).join(' ')})`] : []),
        ...(condstore ? [`MODSEQ (${message.modseq})`] : []),
      ];
      ctx.untagged(`${seq} FETCH (${items.join(' ')})`);
    }
  }
  if (conflicts.size > 0) {
    const named = targets.filter((t) => conflicts.has(t.uid)).map((t) => (byUid ? t.uid : t.seq));
    return { code: `MODIFIED ${formatNumberSet(named)}`, text: 'conditional STORE failed for some messages' };
  }
}

export const storeFlags = selected({ name: 'STORE', parse, run: (ctx, args) => run(ctx, args, false), expungeSafe: false });
export const uidStore = selected({ name: 'UID STORE', parse, run: (ctx, args) => run(ctx, args, true) });
