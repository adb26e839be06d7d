// FETCH and UID FETCH — RFC 3501 §6.4.5, §6.4.8. Reading a body section without .PEEK sets
// \Seen (unless the mailbox is read-only), and the new flags are returned with the data.
// CONDSTORE (RFC 7162 §3.1.4): MODSEQ items, the CHANGEDSINCE modifier, and MODSEQ with every
// FLAGS once enabled; QRESYNC (§3.2.6): UID FETCH … (CHANGEDSINCE n VANISHED).
import { parseMimeTree } from '../../mail/mime/parse.js';
import { computeStructure } from '../../mail/structure.js';
import type { MailStore } from '../../store/store.js';
import type { MessageRecord } from '../../store/types.js';
import { type SelectedContext, selected } from '../command.js';
import { UnavailableError } from '../../errors.js';
import { Bad } from '../errors.js';
import { fromIndexOnly, writeFromIndex } from '../fetch/from-index.js';
import { type FetchItem, parseFetchItems, setsSeen } from '../fetch/items.js';
import { type FetchSource, fetchResponse } from '../fetch/respond.js';
import { number64, sequenceSet } from '../protocol/grammar.js';
import type { SequenceSet, Token } from '../protocol/types.js';
import { formatNumberSet, inUidSet } from '../uid-set.js';

interface FetchArgs {
  set: SequenceSet;
  items: FetchItem[];
  changedSince: number | null;
  vanished: boolean;
}

function parse(args: Token[]): FetchArgs {
  if (args.length !== 2 && args.length !== 3) throw new Bad('expected FETCH sequence-set items [(CHANGEDSINCE modseq)]');
  const result: FetchArgs = { set: sequenceSet(args[0]), items: parseFetchItems(args[1]), changedSince: null, vanished: false };
  const modifiers = args[2];
  if (modifiers) {
    if (modifiers.kind !== 'list') throw new Bad('FETCH modifiers are a parenthesized list');
    const items = modifiers.items;
    for (let i = 0; i < items.length; i++) {
      const name = items[i]!.kind === 'atom' ? (items[i] as { value: string }).value.toUpperCase() : '';
      if (name === 'CHANGEDSINCE') result.changedSince = number64(items[++i], 'CHANGEDSINCE');
      else if (name === 'VANISHED') result.vanished = true;
      else throw new Bad(`unknown FETCH modifier ${name.slice(0, 30) || '(not an atom)'}`);
    }
    if (result.vanished && result.changedSince === null) throw new Bad('VANISHED needs CHANGEDSINCE');
  }
  return result;
}

/**
 * One message as FETCH reads it: record fields at once, bytes and structure only when an item
 * asks. A class, not an object of closures: FETCH 1:* makes one per message, and closures cost
 * an allocation (and, compiled by tsx, a __name call) each.
 */
class MessageSource implements FetchSource {
  readonly flags: string[];
  private bytes: Buffer | undefined;

  constructor(
    private readonly mail: MailStore,
    readonly record: MessageRecord,
    flags: string[],
  ) {
    this.flags = flags;
  }

  raw(): Buffer {
    return (this.bytes ??= this.mail.readMessage(this.record.id) ?? Buffer.alloc(0));
  }

  tree() {
    return parseMimeTree(this.raw());
  }

  structure() {
    const stored = this.mail.messageStructure(this.record.id);
    if (stored) return stored;
    // Stored before structures were computed: compute once, keep.
    const computed = computeStructure(this.raw());
    this.mail.setStructure(this.record.id, computed);
    return computed;
  }
}

/** RFC 7162 §3.1.4.1: with CONDSTORE on, FLAGS come with MODSEQ; CHANGEDSINCE asks for it too. */
function withModseq(items: FetchItem[], changedSince: boolean, condstore: boolean): FetchItem[] {
  if ((changedSince || (condstore && items.some((i) => i.kind === 'FLAGS'))) && !items.some((i) => i.kind === 'MODSEQ')) {
    return [...items, { kind: 'MODSEQ' }];
  }
  return items;
}

/** Index items only (FETCH 1:* (UID FLAGS) and the like): from the folder's index, in bulk. */
async function fetchFromIndex(ctx: SelectedContext, ranges: [number, number][], items: FetchItem[], byUid: boolean, changedSince: number | null) {
  const { mailbox } = ctx;
  const index = ctx.services.store.mail.flagIndex(mailbox.folderId, ranges[0]![0], ranges[ranges.length - 1]![1], {
    changedSince: changedSince ?? undefined,
    dates: items.some((i) => i.kind === 'INTERNALDATE'),
    sizes: items.some((i) => i.kind === 'RFC822.SIZE'),
  });
  // Current flags go out with the data: another session's change need not be reported again.
  if (items.some((i) => i.kind === 'FLAGS') && mailbox.flagsPending) {
    mailbox.acknowledgeFlags(index.uids.map((uid, i) => ({ uid, modseq: index.modseqs[i]! })));
  }
  await writeFromIndex(mailbox.uidList, ranges, index, {
    items,
    byUid,
    recent: (uid) => mailbox.recent.has(uid),
    write: (text) => {
      ctx.untaggedText(text);
      return ctx.drained();
    },
  });
}

async function run(ctx: SelectedContext, args: FetchArgs, byUid: boolean) {
  const { mailbox } = ctx;
  let { items } = args;
  if (args.vanished && (!byUid || !ctx.isEnabled('QRESYNC'))) throw new Bad('VANISHED needs UID FETCH and ENABLE QRESYNC');
  // RFC 7162 §3.1: the first CONDSTORE-using command enables it for the session.
  if (args.changedSince !== null || items.some((i) => i.kind === 'MODSEQ')) ctx.enable('CONDSTORE');
  const condstore = ctx.isEnabled('CONDSTORE');
  // Index items only: no record per message (sets checked as bySequence checks them).
  const indexItems = withModseq(items, args.changedSince !== null, condstore);
  const ranges = fromIndexOnly(indexItems) ? mailbox.uidRanges(args.set, byUid) : null;
  const targets = ranges ? null : byUid ? mailbox.byUid(args.set) : mailbox.bySequence(args.set);
  if (args.vanished) {
    // RFC 7162 §3.2.6: UIDs in the set expunged since CHANGEDSINCE, first — those the session's
    // view no longer holds (`*` reaches past the largest UID still present: they may be higher).
    const gone = ctx.services.store.mail
      .expungedSince(mailbox.folderId, args.changedSince!)
      .filter((uid) => mailbox.seqOf(uid) === undefined && inUidSet(uid, args.set));
    if (gone.length > 0) ctx.untagged(`VANISHED (EARLIER) ${formatNumberSet(gone)}`);
  }
  if (ranges) {
    if (ranges.length > 0 && mailbox.exists > 0) await fetchFromIndex(ctx, ranges, indexItems, byUid, args.changedSince);
    return;
  }
  if (!targets || targets.length === 0) return;
  const { mail } = ctx.services.store;
  let records = mail.getMessages(
    mailbox.folderId,
    targets.map((t) => t.uid),
    args.changedSince ?? undefined,
  );
  if (setsSeen(items) && !mailbox.readOnly) {
    const unseen = records.filter((r) => !r.flags.includes('\\Seen')).map((r) => r.uid);
    // The implicit \Seen is bookkeeping: when the disk cannot take it, the body is served
    // without it, with the flags as they are stored.
    const result = unseen.length > 0 ? seenIfPossible(mail, ctx.account.id, mailbox.folderId, unseen) : null;
    if (result) {
      mailbox.ownFlagChanges(result.updated);
      const changed = new Map(result.updated.map((r) => [r.uid, r]));
      records = records.map((r) => changed.get(r.uid) ?? r);
      // RFC 3501 §6.4.5: flags changed by the fetch are reported with it.
      if (!items.some((i) => i.kind === 'FLAGS')) items = [...items, { kind: 'FLAGS' }];
    }
  }
  items = withModseq(items, args.changedSince !== null, condstore);
  // Current flags go out with the data: another session's change need not be reported again.
  if (items.some((i) => i.kind === 'FLAGS')) mailbox.acknowledgeFlags(records);
  // Targets and records both ascend by UID (sequence order is UID order): walk them together.
  // A target without a record is unchanged since CHANGEDSINCE, or expunged by another session.
  let r = 0;
  for (const { seq, uid } of targets) {
    while (r < records.length && records[r]!.uid < uid) r++;
    const record = records[r];
    if (record === undefined) break;
    if (record.uid !== uid) continue;
    ctx.untagged(fetchResponse(seq, items, new MessageSource(mail, record, mailbox.withRecent(uid, record.flags)), byUid));
    // One message at a time: a FETCH 1:* BODY[] never holds a whole mailbox in memory.
    await ctx.drained();
  }
}

function seenIfPossible(mail: MailStore, accountId: string, folderId: number, uids: number[]): ReturnType<MailStore['setFlags']> | null {
  try {
    return mail.setFlags(accountId, folderId, uids, 'add', ['\\Seen']);
  } catch (err) {
    if (err instanceof UnavailableError) return null;
    throw err;
  }
}

export const fetch = selected({ name: 'FETCH', parse, run: (ctx, args) => run(ctx, args, false), expungeSafe: false, read: true });
export const uidFetch = selected({ name: 'UID FETCH', parse, run: (ctx, args) => run(ctx, args, true), read: true });
