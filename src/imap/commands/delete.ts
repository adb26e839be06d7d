// DELETE — RFC 3501 §6.3.4: the mailbox and its messages go; children stay (the name remains
// as \Noselect); system folders cannot be deleted (NO [CANNOT]).
import { authenticated } from '../command.js';
import { oneMailbox } from './mailbox-arg.js';

export const deleteMailbox = authenticated({
  name: 'DELETE',
  parse: oneMailbox,
  async run(ctx, { name }) {
    ctx.services.mailboxes.delete(ctx.account.id, name);
  },
});
