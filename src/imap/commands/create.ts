// CREATE — RFC 3501 §6.3.3: parents are created as needed; a trailing "/" only declares that
// the name will have children, and is dropped.
import { authenticated } from '../command.js';
import { astring } from '../protocol/grammar.js';
import { expectArgs } from './args.js';
import { oneMailbox } from './mailbox-arg.js';

export const create = authenticated({
  name: 'CREATE',
  parse(args, env) {
    expectArgs(args, 1, 'a mailbox name');
    const raw = astring(args[0]!);
    if (raw.length > 1 && raw.endsWith('/')) {
      return oneMailbox([{ kind: 'string', value: Buffer.from(raw.slice(0, -1), 'utf8'), literal: false }], env);
    }
    return oneMailbox(args, env);
  },
  async run(ctx, { name }) {
    ctx.services.mailboxes.create(ctx.account.id, name);
  },
});
