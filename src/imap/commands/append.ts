// APPEND — RFC 3501 §6.3.11: a message (a literal) into a mailbox, with optional flags and
// internal date, stored byte for byte through the delivery pipeline. A missing mailbox is
// NO [TRYCREATE] so the client can create it and try again; an oversized literal was already
// refused by the receiver with NO [TOOBIG].
import { authenticated } from '../command.js';
import { Bad, No } from '../errors.js';
import { flagList, mailboxName, parseDateTime } from '../protocol/grammar.js';

export const append = authenticated({
  name: 'APPEND',
  parse(args, env) {
    if (args.length < 2 || args.length > 4) throw new Bad('expected APPEND mailbox [(flags)] ["date-time"] literal');
    const message = args[args.length - 1]!;
    if (message.kind !== 'string') throw new Bad('the message must be a literal');
    let flags: string[] = [];
    let date: Date | undefined;
    for (const token of args.slice(1, -1)) {
      if (token.kind === 'list') flags = flagList(token);
      else if (token.kind === 'string' && date === undefined) date = parseDateTime(token.value.toString('latin1'));
      else throw new Bad('expected APPEND mailbox [(flags)] ["date-time"] literal');
    }
    return { name: mailboxName(args[0]!, env.utf8), flags, date, raw: message.value };
  },
  async run(ctx, { name, flags, date, raw }) {
    const folder = ctx.services.mailboxes.find(ctx.account.id, name);
    if (!folder) throw new No('TRYCREATE', `mailbox ${name} does not exist`);
    if (raw.length === 0) throw new No(null, 'an empty message cannot be appended');
    ctx.services.pipeline.append(ctx.account, folder, raw, { flags, internalDate: date });
    return { text: 'APPEND completed' };
  },
});
