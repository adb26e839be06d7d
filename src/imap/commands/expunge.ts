// EXPUNGE — RFC 3501 §6.4.3: removes every \Deleted message; the untagged EXPUNGE responses
// (one per message, each number already adjusted for the ones before) come from the same
// update path that reports other sessions' expunges.
import { noArguments, selected } from '../command.js';
import { No } from '../errors.js';

export const expunge = selected({
  name: 'EXPUNGE',
  parse: noArguments,
  async run(ctx) {
    if (ctx.mailbox.readOnly) throw new No('READ-ONLY', 'the mailbox was opened with EXAMINE');
    ctx.services.store.mail.expunge(ctx.account.id, ctx.mailbox.folderId);
  },
});
