// RENAME — RFC 3501 §6.3.5: children follow; renaming INBOX moves its messages to the new name
// and leaves INBOX empty; other system folders cannot be renamed.
import { authenticated } from '../command.js';
import { mailboxName } from '../protocol/grammar.js';
import { expectArgs } from './args.js';

export const rename = authenticated({
  name: 'RENAME',
  parse(args, env) {
    expectArgs(args, 2, 'RENAME existing-name new-name');
    return { from: mailboxName(args[0]!, env.utf8), to: mailboxName(args[1]!, env.utf8) };
  },
  async run(ctx, { from, to }) {
    ctx.services.mailboxes.rename(ctx.account.id, from, to);
  },
});
