// STATUS — RFC 3501 §6.3.10: counts of a mailbox without selecting it (and without reading
// its messages: one query). Also HIGHESTMODSEQ (RFC 7162 §3.1.2) and SIZE (RFC 8438).
import { authenticated } from '../command.js';
import { No } from '../errors.js';
import { mailboxName } from '../protocol/grammar.js';
import { expectArgs, list } from './args.js';
import { parseStatusItems, sendStatus } from './status-items.js';

export const status = authenticated({
  name: 'STATUS',
  read: true,
  parse(args, env) {
    expectArgs(args, 2, 'STATUS mailbox (items)');
    return { name: mailboxName(args[0]!, env.utf8), items: parseStatusItems(list(args[1], 'status items')) };
  },
  async run(ctx, { name, items }) {
    const folder = ctx.services.mailboxes.find(ctx.account.id, name);
    if (!folder) throw new No('NONEXISTENT', `mailbox ${name} does not exist`);
    sendStatus(ctx, folder, items);
  },
});
