// STATUS — RFC 3501 §6.3.10: counts of a mailbox without selecting it (and without reading
// its messages: one query).
import { authenticated } from '../command.js';
import { Bad, No } from '../errors.js';
import { encodeMailboxName } from '../protocol/encoder.js';
import { mailboxName } from '../protocol/grammar.js';
import { expectArgs, list } from './args.js';

const ITEMS = ['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN'] as const;
type Item = (typeof ITEMS)[number];

export const status = authenticated({
  name: 'STATUS',
  parse(args, env) {
    expectArgs(args, 2, 'STATUS mailbox (items)');
    const items = list(args[1], 'status items').map((t) => {
      const name = t.kind === 'atom' ? t.value.toUpperCase() : '';
      if (!(ITEMS as readonly string[]).includes(name)) throw new Bad(`unknown status item ${t.kind === 'atom' ? t.value : '(non-atom)'}`);
      return name as Item;
    });
    if (items.length === 0) throw new Bad('expected at least one status item');
    return { name: mailboxName(args[0]!, env.utf8), items };
  },
  async run(ctx, { name, items }) {
    const folder = ctx.services.mailboxes.find(ctx.account.id, name);
    if (!folder) throw new No('NONEXISTENT', `mailbox ${name} does not exist`);
    const counts = ctx.services.store.mail.mailboxStatus(folder.id);
    const value: Record<Item, number> = {
      MESSAGES: counts.messages,
      RECENT: counts.recent,
      UIDNEXT: folder.uidNext,
      UIDVALIDITY: folder.uidValidity,
      UNSEEN: counts.unseen,
    };
    ctx.untagged('STATUS', encodeMailboxName(folder.name, ctx.utf8), `(${items.map((i) => `${i} ${value[i]}`).join(' ')})`);
  },
});
