// STATUS data items (RFC 3501 §6.3.10, RFC 7162 §3.1.2 HIGHESTMODSEQ, RFC 8438 SIZE, RFC 7889
// APPENDLIMIT, RFC 9208 DELETED and DELETED-STORAGE), shared by STATUS and LIST … RETURN
// (STATUS (…)) (RFC 5819).
import type { BaseContext } from '../command.js';
import { Bad } from '../errors.js';
import { encodeMailboxName } from '../protocol/encoder.js';
import type { Token } from '../protocol/types.js';
import type { Folder } from '../../store/types.js';

export const STATUS_ITEMS = [
  'MESSAGES',
  'RECENT',
  'UIDNEXT',
  'UIDVALIDITY',
  'UNSEEN',
  'HIGHESTMODSEQ',
  'SIZE',
  'APPENDLIMIT',
  'DELETED',
  'DELETED-STORAGE',
] as const;
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

/** The largest UID there can be (RFC 3501 §2.3.1.1: a 32-bit value). */
const MAX_UID = 0xffffffff;

/**
 * The messages EXPUNGE would remove: how many carry \Deleted (DELETED; RFC 9051 §6.3.11 has it
 * too) and their octets (DELETED-STORAGE; RFC 9208 §5.1: a server with QUOTA=RES-STORAGE MUST
 * support it; the sum of their RFC822.SIZEs, what EXPUNGE gives back to the quota). The flag
 * is found in SQL like SEARCH DELETED and the sizes are those messages' index rows: no message
 * is read.
 */
function deletedOf(ctx: BaseContext, folderId: number, withSizes: boolean): { count: number; octets: number } {
  const { mail } = ctx.services.store;
  const { uids } = mail.searchFolder(folderId, { op: 'flag', flag: '\\Deleted', present: true }, MAX_UID, false);
  if (!withSizes || uids.length === 0) return { count: uids.length, octets: 0 };
  return { count: uids.length, octets: mail.getMessages(folderId, uids).reduce((sum, m) => sum + m.size, 0) };
}

/** `* STATUS name (ITEM n …)`, from one counting query (one or two more for the DELETED items). */
export function sendStatus(ctx: BaseContext, folder: Folder, items: readonly StatusItem[]): void {
  // RFC 7162 §3.1: asking for HIGHESTMODSEQ turns CONDSTORE on for the session.
  if (items.includes('HIGHESTMODSEQ')) ctx.enable('CONDSTORE');
  const counts = ctx.services.store.mail.mailboxStatus(folder.id);
  const wantsStorage = items.includes('DELETED-STORAGE');
  const deleted = wantsStorage || items.includes('DELETED') ? deletedOf(ctx, folder.id, wantsStorage) : { count: 0, octets: 0 };
  const value: Record<StatusItem, number> = {
    MESSAGES: counts.messages,
    RECENT: counts.recent,
    UIDNEXT: folder.uidNext,
    UIDVALIDITY: folder.uidValidity,
    UNSEEN: counts.unseen,
    HIGHESTMODSEQ: folder.highestModseq,
    SIZE: counts.size,
    APPENDLIMIT: ctx.services.config.imap.maxLiteralSize,
    DELETED: deleted.count,
    'DELETED-STORAGE': deleted.octets,
  };
  ctx.untagged('STATUS', encodeMailboxName(folder.name, ctx.utf8), `(${items.map((i) => `${i} ${value[i]}`).join(' ')})`);
}
