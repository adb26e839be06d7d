// CLOSE — RFC 3501 §6.4.2: silently removes \Deleted messages (unless read-only) and leaves the
// selected state; no untagged EXPUNGE is sent.
import { noArguments, selected } from '../command.js';

export const close = selected({
  name: 'CLOSE',
  parse: noArguments,
  async run(ctx) {
    const { mailbox } = ctx;
    ctx.unselect();
    if (!mailbox.readOnly) ctx.services.store.mail.expunge(ctx.account.id, mailbox.folderId);
  },
});
