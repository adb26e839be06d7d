// FETCH and UID FETCH — RFC 3501 §6.4.5, §6.4.8. Reading a body section without .PEEK sets
// \Seen (unless the mailbox is read-only), and the new flags are returned with the data.
import { parseMimeTree } from '../../mail/mime/parse.js';
import { computeStructure } from '../../mail/structure.js';
import type { MessageRecord } from '../../store/types.js';
import { type SelectedContext, selected } from '../command.js';
import { Bad } from '../errors.js';
import { type FetchItem, parseFetchItems, setsSeen } from '../fetch/items.js';
import { type FetchSource, fetchResponse } from '../fetch/respond.js';
import type { Token } from '../protocol/types.js';
import { sequenceSet } from '../protocol/grammar.js';

function parse(args: Token[]) {
  if (args.length !== 2) throw new Bad('expected FETCH sequence-set items');
  return { set: sequenceSet(args[0]), items: parseFetchItems(args[1]) };
}

function source(ctx: SelectedContext, record: MessageRecord): FetchSource {
  const { mail } = ctx.services.store;
  let raw: Buffer | undefined;
  const bytes = () => (raw ??= mail.readMessage(record.id) ?? Buffer.alloc(0));
  return {
    record,
    flags: ctx.mailbox.withRecent(record.uid, record.flags),
    raw: bytes,
    tree: () => parseMimeTree(bytes()),
    structure: () => {
      const stored = mail.messageStructure(record.id);
      if (stored) return stored;
      // Stored before structures were computed: compute once, keep.
      const computed = computeStructure(bytes());
      mail.setStructure(record.id, computed);
      return computed;
    },
  };
}

async function run(ctx: SelectedContext, { set, items }: { set: ReturnType<typeof sequenceSet>; items: FetchItem[] }, byUid: boolean) {
  const { mailbox } = ctx;
  const targets = byUid ? mailbox.byUid(set) : mailbox.bySequence(set);
  if (targets.length === 0) return;
  const { mail } = ctx.services.store;
  let records = mail.getMessages(mailbox.folderId, targets.map((t) => t.uid));
  if (setsSeen(items) && !mailbox.readOnly) {
    const unseen = records.filter((r) => !r.flags.includes('\\Seen')).map((r) => r.uid);
    if (unseen.length > 0) {
      const result = mail.setFlags(ctx.account.id, mailbox.folderId, unseen, 'add', ['\\Seen']);
      mailbox.acknowledgeFlags(result.updated);
      const changed = new Map(result.updated.map((r) => [r.uid, r]));
      records = records.map((r) => changed.get(r.uid) ?? r);
      // RFC 3501 §6.4.5: flags changed by the fetch are reported with it.
      if (!items.some((i) => i.kind === 'FLAGS')) items = [...items, { kind: 'FLAGS' }];
    }
  }
  const byUidMap = new Map(records.map((r) => [r.uid, r]));
  // Current flags go out with the data: another session's change need not be reported again.
  if (items.some((i) => i.kind === 'FLAGS')) mailbox.acknowledgeFlags(records);
  for (const { seq, uid } of targets) {
    const record = byUidMap.get(uid);
    if (!record) continue; // expunged by another session since the command began
    ctx.untagged(fetchResponse(seq, items, source(ctx, record), byUid));
    // One message at a time: a FETCH 1:* BODY[] never holds a whole mailbox in memory.
    await ctx.drained();
  }
}

export const fetch = selected({ name: 'FETCH', parse, run: (ctx, args) => run(ctx, args, false), expungeSafe: false });
export const uidFetch = selected({ name: 'UID FETCH', parse, run: (ctx, args) => run(ctx, args, true) });
