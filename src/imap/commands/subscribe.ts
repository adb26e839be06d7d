// SUBSCRIBE — RFC 3501 §6.3.6: marks a mailbox for LSUB (and LIST (SUBSCRIBED)).
import { authenticated } from '../command.js';
import { oneMailbox } from './mailbox-arg.js';

export const subscribe = authenticated({
  name: 'SUBSCRIBE',
  parse: oneMailbox,
  async run(ctx, { name }) {
    ctx.services.mailboxes.subscribe(ctx.account.id, name, true);
  },
});
