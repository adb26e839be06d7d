// EXPUNGE — RFC 3501 §6.4.3: removes every \Deleted message; the untagged EXPUNGE responses
// (one per message, each number already adjusted for the ones before) come from the same
// update path that reports other sessions' expunges.
import { type Done, type SelectedContext, noArguments, selected } from '../command.js';
import { No } from '../errors.js';

export const expunge = selected({
  name: 'EXPUNGE',
  parse: noArguments,
  async run(ctx) {
    if (ctx.mailbox.readOnly) throw new No('READ-ONLY', 'the mailbox was opened with EXAMINE');
    ctx.services.store.mail.expunge(ctx.account.id, ctx.mailbox.folderId);
    return highestModseqDone(ctx, 'EXPUNGE completed');
  },
});

/** RFC 7162 §3.2.7, §3.2.9: under QRESYNC, the tagged OK names the mailbox's new HIGHESTMODSEQ. */
export function highestModseqDone(ctx: SelectedContext, text: string): Done {
  if (!ctx.isEnabled('QRESYNC')) return { text };
  const folder = ctx.services.store.mail.getMailboxById(ctx.account.id, ctx.mailbox.folderId);
  return folder ? { code: `HIGHESTMODSEQ ${folder.highestModseq}`, text } : { text };
}
