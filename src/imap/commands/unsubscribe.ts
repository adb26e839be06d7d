// UNSUBSCRIBE — RFC 3501 §6.3.7.
import { authenticated } from '../command.js';
import { oneMailbox } from './mailbox-arg.js';

export const unsubscribe = authenticated({
  name: 'UNSUBSCRIBE',
  parse: oneMailbox,
  async run(ctx, { name }) {
    ctx.services.mailboxes.subscribe(ctx.account.id, name, false);
  },
});
