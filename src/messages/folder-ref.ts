// How the REST API names a folder: its id is the store's folder id as a string (it survives a
// rename); where the API takes a folder, a name works too ("INBOX", "Sent", "Archive/2024"),
// and the system folders are found whatever the case ("inbox", "SENT", "spam" for Junk).
import { canonicalName } from '../accounts/mailboxes.js';
import type { Store } from '../store/store.js';
import type { Folder } from '../store/types.js';

export const folderApiId = (folderId: number): string => String(folderId);

const SYSTEM_ALIASES: Record<string, string> = {
  inbox: 'INBOX',
  sent: 'Sent',
  drafts: 'Drafts',
  trash: 'Trash',
  junk: 'Junk',
  spam: 'Junk',
  archive: 'Archive',
};

/** The account's folder named by API id or by name, or undefined. */
export function resolveFolder(store: Store, accountId: string, ref: string): Folder | undefined {
  if (/^\d{1,15}$/.test(ref)) {
    const byId = store.mail.getMailboxById(accountId, Number(ref));
    if (byId) return byId;
  }
  const byName = store.mail.getMailbox(accountId, canonicalName(ref));
  if (byName) return byName;
  const system = SYSTEM_ALIASES[ref.toLowerCase()];
  return system ? store.mail.getMailbox(accountId, system) : undefined;
}
