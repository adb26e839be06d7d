// MOVE and UID MOVE — RFC 6851: copy to the target and expunge from the source as one atomic
// step. The untagged OK [COPYUID …] comes first, then the EXPUNGE responses (through the same
// update path as any expunge), then the tagged OK.
import { type SelectedContext, selected } from '../command.js';
import { Bad, No } from '../errors.js';
import { mailboxName, sequenceSet } from '../protocol/grammar.js';
import type { Token } from '../protocol/types.js';
import { copyUid } from './copy.js';

function parse(args: Token[], env: { utf8: boolean }) {
  if (args.length !== 2) throw new Bad('expected MOVE sequence-set mailbox');
  return { set: sequenceSet(args[0]), target: mailboxName(args[1]!, env.utf8) };
}

async function run(ctx: SelectedContext, { set, target }: ReturnType<typeof parse>, byUid: boolean): Promise<void> {
  const { mailbox } = ctx;
  const messages = byUid ? mailbox.byUid(set) : mailbox.bySequence(set);
  const folder = ctx.services.mailboxes.find(ctx.account.id, target);
  if (!folder) throw new No('TRYCREATE', `mailbox ${target} does not exist`);
  if (mailbox.readOnly) throw new No('READ-ONLY', 'the mailbox was opened with EXAMINE');
  if (messages.length === 0) return;
  if (folder.id === mailbox.folderId) throw new No('CANNOT', 'the messages are already in that mailbox');
  const mapping = ctx.services.store.mail.moveMessages(ctx.account.id, mailbox.folderId, messages.map((m) => m.uid), folder.id);
  ctx.untagged(`OK [${copyUid(folder.uidValidity, mapping)}] moved`);
}

export const move = selected({ name: 'MOVE', parse, run: (ctx, args) => run(ctx, args, false) });
export const uidMove = selected({ name: 'UID MOVE', parse, run: (ctx, args) => run(ctx, args, true) });
