// COPY and UID COPY — RFC 3501 §6.4.7, §6.4.8: copies keep their flags and internal date; the
// target must exist (NO [TRYCREATE] tells the client to create it).
import { type Done, type SelectedContext, selected } from '../command.js';
import { formatNumberSet } from '../uid-set.js';
import { Bad, No } from '../errors.js';
import { mailboxName } from '../protocol/grammar.js';
import { sequenceSet } from '../protocol/grammar.js';
import type { Token } from '../protocol/types.js';

function parse(args: Token[], env: { utf8: boolean }) {
  if (args.length !== 2) throw new Bad('expected COPY sequence-set mailbox');
  return { set: sequenceSet(args[0]), target: mailboxName(args[1]!, env.utf8) };
}

async function run(ctx: SelectedContext, { set, target }: ReturnType<typeof parse>, byUid: boolean): Promise<Done | void> {
  const messages = byUid ? ctx.mailbox.byUid(set) : ctx.mailbox.bySequence(set);
  const folder = ctx.services.mailboxes.find(ctx.account.id, target);
  if (!folder) throw new No('TRYCREATE', `mailbox ${target} does not exist`);
  if (messages.length === 0) return;
  const mapping = ctx.services.store.mail.copyMessages(ctx.account.id, ctx.mailbox.folderId, messages.map((m) => m.uid), folder.id);
  // RFC 4315 §3 (UIDPLUS): source and new UIDs, in step.
  return { code: copyUid(folder.uidValidity, mapping), text: `${byUid ? 'UID COPY' : 'COPY'} completed` };
}

export function copyUid(uidValidity: number, mapping: readonly { from: number; to: number }[]): string {
  return `COPYUID ${uidValidity} ${formatNumberSet(mapping.map((m) => m.from))} ${formatNumberSet(mapping.map((m) => m.to))}`;
}

export const copy = selected({ name: 'COPY', parse, run: (ctx, args) => run(ctx, args, false) });
export const uidCopy = selected({ name: 'UID COPY', parse, run: (ctx, args) => run(ctx, args, true) });
