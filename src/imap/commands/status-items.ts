// STATUS data items (RFC 3501 §6.3.10, RFC 7162 §3.1.2 HIGHESTMODSEQ, RFC 8438 SIZE, RFC 7889
// APPENDLIMIT), shared by STATUS and LIST … RETURN (STATUS (…)) (RFC 5819).
import type { BaseContext } from '../command.js';
import { Bad } from '../errors.js';
import { encodeMailboxName } from '../protocol/encoder.js';
import type { Token } from '../protocol/types.js';
import type { Folder } from '../../store/types.js';

export const STATUS_ITEMS = ['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'HIGHESTMODSEQ', 'SIZE', 'APPENDLIMIT'] as const;
export type StatusItem = (typeof STATUS_ITEMS)[number];

export function parseStatusItems(tokens: Token[]): StatusItem[] {
  const items = tokens.map((t) => {
    const name = t.kind === 'atom' ? t.value.toUpperCase() : '';
    if (!(STATUS_ITEMS as readonly string[]).includes(name)) throw new Bad(`unknown status item ${t.kind === 'atom' ? t.value.slice(0, 30) : '(not an atom)'}`);
    return name as StatusItem;
  });
  if (items.length === 0) throw new Bad('expected at least one status item');
  return items;
}

/** `* STATUS name (ITEM n …)`, from one counting query. */
export function sendStatus(ctx: BaseContext, folder: Folder, items: readonly StatusItem[]): void {
  // RFC 7162 §3.1: asking for HIGHESTMODSEQ turns CONDSTORE on for the session.
  if (items.includes('HIGHESTMODSEQ')) ctx.enable('CONDSTORE');
  const counts = ctx.services.store.mail.mailboxStatus(folder.id);
  const value: Record<StatusItem, number> = {
    MESSAGES: counts.messages,
    RECENT: counts.recent,
    UIDNEXT: folder.uidNext,
    UIDVALIDITY: folder.uidValidity,
    UNSEEN: counts.unseen,
    HIGHESTMODSEQ: folder.highestModseq,
    SIZE: counts.size,
    APPENDLIMIT: ctx.services.config.imap.maxLiteralSize,
  };
  ctx.untagged('STATUS', encodeMailboxName(folder.name, ctx.utf8), `(${items.map((i) => `${i} ${value[i]}`).join(' ')})`);
}
