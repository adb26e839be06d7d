// The folder object of the REST API and of folder.* webhooks, shaped like the hosted v3 API's:
// {id, grant_id, object: "folder", name, parent_id, system_folder, attributes, total_count,
// unread_count, child_count}. The id is the folder row's id as a string: a rename (IMAP RENAME or
// PUT) keeps it, so it is stable for as long as the folder exists.
import { DELIMITER } from '../../accounts/mailboxes.js';
import { SYSTEM_FOLDERS } from '../../accounts/accounts.js';
import { folderApiId } from '../../messages/folder-ref.js';
import type { Store } from '../../store/store.js';
import type { Folder } from '../../store/types.js';

const SYSTEM_NAMES = new Set(SYSTEM_FOLDERS.map((f) => f.name));

/** The public id of a folder (the same one message objects list in `folders`). */
export const folderId = (folder: Folder): string => folderApiId(folder.id);

/** "Clients/Acme" → "Clients"; a top-level name → null. */
export function parentName(name: string): string | null {
  const at = name.lastIndexOf(DELIMITER);
  return at > 0 ? name.slice(0, at) : null;
}

/**
 * IMAP-style attributes: the special use (RFC 6154: \Sent, \Drafts, \Trash, \Junk, \Archive;
 * \Inbox for INBOX, as Gmail and the hosted API say), \Noselect for a name kept only because it
 * has children (it holds no messages), and \HasChildren or \HasNoChildren (RFC 3348).
 */
function attributesOf(folder: Folder, childCount: number): string[] {
  const attributes: string[] = [];
  if (folder.name === 'INBOX') attributes.push('\\Inbox');
  if (folder.specialUse) attributes.push(folder.specialUse);
  if (folder.noselect) attributes.push('\\Noselect');
  attributes.push(childCount > 0 ? '\\HasChildren' : '\\HasNoChildren');
  return attributes;
}

/**
 * The API view of a folder. `all` is the account's folders when the caller already has them
 * (a list), to find the parent and count children without reading them again per folder.
 */
export function folderObject(store: Store, folder: Folder, all?: readonly Folder[]): Record<string, unknown> {
  const folders = all ?? store.mail.listMailboxes(folder.accountId);
  const parent = parentName(folder.name);
  const parentFolder = parent === null ? undefined : folders.find((f) => f.name === parent);
  const prefix = `${folder.name}${DELIMITER}`;
  const childCount = folders.filter((f) => f.name.startsWith(prefix) && !f.name.slice(prefix.length).includes(DELIMITER)).length;
  // A placeholder holds no messages; a deleted folder's row is gone, so its counts read 0.
  const status = folder.noselect ? { messages: 0, unseen: 0 } : store.mail.mailboxStatus(folder.id);
  return {
    id: folderId(folder),
    grant_id: folder.accountId,
    object: 'folder',
    name: folder.name,
    parent_id: parentFolder ? folderId(parentFolder) : null,
    system_folder: SYSTEM_NAMES.has(folder.name),
    attributes: attributesOf(folder, childCount),
    total_count: status.messages,
    unread_count: status.unseen,
    child_count: childCount,
  };
}
