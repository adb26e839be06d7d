// UID EXPUNGE — RFC 4315 §2.1 (UIDPLUS): expunges only the \Deleted messages among the given
// UIDs, so a client does not remove what another client flagged meanwhile.
import { selected } from '../command.js';
import { Bad, No } from '../errors.js';
import { sequenceSet } from '../protocol/grammar.js';
import { highestModseqDone } from './expunge.js';

export const uidExpunge = selected({
  name: 'UID EXPUNGE',
  parse(args) {
    if (args.length !== 1) throw new Bad('expected UID EXPUNGE uid-set');
    return { set: sequenceSet(args[0]) };
  },
  async run(ctx, { set }) {
    if (ctx.mailbox.readOnly) throw new No('READ-ONLY', 'the mailbox was opened with EXAMINE');
    const uids = ctx.mailbox.byUid(set).map((m) => m.uid);
    if (uids.length > 0) ctx.services.store.mail.expunge(ctx.account.id, ctx.mailbox.folderId, uids);
    return highestModseqDone(ctx, 'UID EXPUNGE completed');
  },
});
