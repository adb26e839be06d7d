// MOVE and UID MOVE — RFC 6851: copy to the target and expunge from the source as one atomic
// step. The untagged OK [COPYUID …] comes first, then the EXPUNGE responses (through the same
// update path as any expunge), then the tagged OK. Out of Junk (to any folder but Trash) the
// moved messages become $NotJunk and their senders trusted (src/messages/not-junk.ts); COPY
// does not do this: the original stays in Junk.
import { markMovedOutOfJunk } from '../../messages/not-junk.js';
import { type Done, type SelectedContext, selected } from '../command.js';
import { Bad, No } from '../errors.js';
import { mailboxName, sequenceSet } from '../protocol/grammar.js';
import type { Token } from '../protocol/types.js';
import { copyUid } from './copy.js';
import { highestModseqDone } from './expunge.js';

function parse(args: Token[], env: { utf8: boolean }) {
  if (args.length !== 2) throw new Bad('expected MOVE sequence-set mailbox');
  return { set: sequenceSet(args[0]), target: mailboxName(args[1]!, env.utf8) };
}

async function run(ctx: SelectedContext, { set, target }: ReturnType<typeof parse>, byUid: boolean): Promise<Done | void> {
  const { mailbox } = ctx;
  const messages = byUid ? mailbox.byUid(set) : mailbox.bySequence(set);
  const folder = ctx.services.mailboxes.find(ctx.account.id, target);
  if (!folder) throw new No('TRYCREATE', `mailbox ${target} does not exist`);
  if (mailbox.readOnly) throw new No('READ-ONLY', 'the mailbox was opened with EXAMINE');
  if (messages.length === 0) return;
  // RFC 6851 §3.3: moving into the selected mailbox itself is allowed (the messages get new UIDs).
  const mapping = ctx.services.store.mail.moveMessages(ctx.account.id, mailbox.folderId, messages.map((m) => m.uid), folder.id);
  markMovedOutOfJunk(ctx.services.store, ctx.account.id, mailbox.folderId, folder.id, mapping.map((m) => m.to));
  ctx.untagged(`OK [${copyUid(folder.uidValidity, mapping)}] moved`);
  // RFC 6851 §4.4 with QRESYNC: the mailbox's new HIGHESTMODSEQ.
  return highestModseqDone(ctx, `${byUid ? 'UID MOVE' : 'MOVE'} completed`);
}

export const move = selected({ name: 'MOVE', parse, run: (ctx, args) => run(ctx, args, false) });
export const uidMove = selected({ name: 'UID MOVE', parse, run: (ctx, args) => run(ctx, args, true) });
