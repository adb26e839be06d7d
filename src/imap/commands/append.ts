// APPEND — RFC 3501 §6.3.11: a message (a literal) into a mailbox, with optional flags and
// internal date, stored byte for byte through the delivery pipeline. A missing mailbox is
// NO [TRYCREATE] so the client can create it and try again; an oversized literal was already
// refused by the receiver with NO [TOOBIG].
import { authenticated } from '../command.js';
import { DeliveryRefused } from '../../delivery/refusal.js';
import { Bad, No, type ResponseCode } from '../errors.js';
import { flagList, mailboxName, parseDateTime } from '../protocol/grammar.js';

export const append = authenticated({
  name: 'APPEND',
  parse(args, env) {
    // RFC 3501 §9: append = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal
    const usage = 'expected APPEND mailbox [(flags)] ["date-time"] literal';
    if (args.length < 2) throw new Bad(usage);
    let message = args[args.length - 1]!;
    let middle = args.slice(1, -1);
    // RFC 6855 §4 (UTF8=ACCEPT): the message may come as UTF8 (literal8).
    const utf8 = middle[middle.length - 1];
    if (utf8?.kind === 'atom' && utf8.value.toUpperCase() === 'UTF8' && message.kind === 'list' && message.items.length === 1) {
      message = message.items[0]!;
      middle = middle.slice(0, -1);
    }
    let flags: string[] = [];
    let date: Date | undefined;
    if (middle[0]?.kind === 'list') flags = flagList(middle.shift()!);
    const maybeDate = middle[0];
    if (maybeDate?.kind === 'string' && !maybeDate.literal) {
      date = parseDateTime(maybeDate.value.toString('latin1'));
      middle.shift();
    }
    if (middle.length > 0) throw new Bad(usage);
    if (message.kind !== 'string' || !message.literal) throw new Bad('the message must be a literal');
    return { name: mailboxName(args[0]!, env.utf8), flags, date, raw: message.value };
  },
  async run(ctx, { name, flags, date, raw }) {
    const folder = ctx.services.mailboxes.find(ctx.account.id, name);
    if (!folder) throw new No('TRYCREATE', `mailbox ${name} does not exist`);
    if (raw.length === 0) throw new No('CANNOT', 'an empty message cannot be appended');
    let record;
    try {
      record = ctx.services.pipeline.append(ctx.account, folder, raw, { flags, internalDate: date });
    } catch (err) {
      // RFC 9208 §7.1: OVERQUOTA when the storage limit would be exceeded; RFC 7889 TOOBIG.
      if (err instanceof DeliveryRefused) throw new No((err.extra.imapCode as ResponseCode | undefined) ?? 'LIMIT', err.message);
      throw err;
    }
    // RFC 4315 §3 (UIDPLUS): the new message's UID, so the client need not search for it.
    return { code: `APPENDUID ${folder.uidValidity} ${record.uid}`, text: 'APPEND completed' };
  },
});
