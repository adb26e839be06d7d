// Changing a message from the API: unread/starred are the IMAP \Seen and \Flagged flags, and
// folders a MOVE — through the same store calls IMAP uses, so open IMAP sessions see the change
// at once (the change bus) and the message keeps its API id.
import { NotFoundError, ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Account, Folder, MessageRecord } from '../store/types.js';
import { resolveFolder } from './folder-ref.js';
import { markMovedOutOfJunk } from './not-junk.js';

export interface MessagePatch {
  unread?: boolean;
  starred?: boolean;
  /** Folder ids or names; a message is in exactly one folder. */
  folders?: string[];
}

export function requireMessage(store: Store, account: Account, publicId: string): MessageRecord {
  const record = store.mail.getMessageByPublicId(account.id, publicId);
  if (!record) throw new NotFoundError(`message ${publicId} not found`);
  return record;
}

function targetFolder(store: Store, account: Account, refs: string[]): Folder {
  if (refs.length !== 1) {
    throw new ValidationError('folders', 'one_folder', `folders must name exactly one folder (a message is in one folder); got ${refs.length}`);
  }
  const folder = resolveFolder(store, account.id, refs[0]!);
  if (!folder) throw new NotFoundError(`folder ${refs[0]} not found`);
  if (folder.noselect) throw new ValidationError('folders', 'noselect', `folder ${folder.name} cannot hold messages`);
  return folder;
}

export function updateMessage(store: Store, account: Account, publicId: string, patch: MessagePatch): MessageRecord {
  const record = requireMessage(store, account, publicId);
  // Everything is checked before the first write.
  const target = patch.folders === undefined ? undefined : targetFolder(store, account, patch.folders);
  const add: string[] = [];
  const remove: string[] = [];
  if (patch.unread !== undefined) (patch.unread ? remove : add).push('\\Seen');
  if (patch.starred !== undefined) (patch.starred ? add : remove).push('\\Flagged');
  if (add.length > 0) store.mail.setFlags(account.id, record.folderId, [record.uid], 'add', add);
  if (remove.length > 0) store.mail.setFlags(account.id, record.folderId, [record.uid], 'remove', remove);
  if (target && target.id !== record.folderId) {
    const [moved] = store.mail.moveMessages(account.id, record.folderId, [record.uid], target.id);
    // Out of Junk (not into Trash): $NotJunk, and the sender is trusted from now on, as IMAP MOVE does.
    if (moved) markMovedOutOfJunk(store, account.id, record.folderId, target.id, [moved.to]);
  }
  return requireMessage(store, account, publicId);
}

/** Moves the message to Trash; one already in Trash is removed for good. */
export function deleteMessage(store: Store, account: Account, publicId: string): void {
  const record = requireMessage(store, account, publicId);
  const trash = store.mail.listMailboxes(account.id).find((f) => f.specialUse === '\\Trash' && !f.noselect);
  if (!trash || trash.id === record.folderId) store.mail.removeMessages(account.id, record.folderId, [record.uid]);
  else store.mail.moveMessages(account.id, record.folderId, [record.uid], trash.id);
}
