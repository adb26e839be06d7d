// Mailboxes (folders) of an account: the one service IMAP and the API call to create, delete,
// rename and subscribe. Names use "/" as the hierarchy delimiter; the six system folders exist
// from account creation and cannot be deleted or renamed (PRODUCT.md).
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Folder, SpecialUse } from '../store/types.js';
import { SYSTEM_FOLDERS } from './accounts.js';

export const DELIMITER = '/';
const SYSTEM_NAMES = new Set(SYSTEM_FOLDERS.map((f) => f.name));

/** Why a name cannot be a mailbox name, or null. Names arrive decoded (Unicode). */
export function checkMailboxName(name: string): string | null {
  if (name.length === 0) return 'the mailbox name is empty';
  if ([...name].length > 512) return 'the mailbox name is longer than 512 characters';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the mailbox name contains control characters';
  if (/[*%]/.test(name)) return 'the mailbox name contains a wildcard (* or %)';
  const segments = name.split(DELIMITER);
  if (segments.some((s) => s === '')) return 'the mailbox name has an empty level (leading, trailing or double "/")';
  if (segments.some((s) => s === '.' || s === '..')) return 'the mailbox name has a "." or ".." level';
  return null;
}

/** INBOX is case-insensitive (RFC 3501 §5.1), at the top level and as a parent. */
export function canonicalName(name: string): string {
  const [first, ...rest] = name.split(DELIMITER);
  return first!.toUpperCase() === 'INBOX' ? ['INBOX', ...rest].join(DELIMITER) : name;
}

export class MailboxService {
  constructor(private readonly store: Store) {}

  list(accountId: string): Folder[] {
    return this.store.mail.listMailboxes(accountId);
  }

  /** A selectable mailbox by name, or undefined. */
  find(accountId: string, name: string): Folder | undefined {
    const folder = this.store.mail.getMailbox(accountId, canonicalName(name));
    return folder && !folder.noselect ? folder : undefined;
  }

  isSystem(name: string): boolean {
    return SYSTEM_NAMES.has(canonicalName(name));
  }

  /** Creates the mailbox and any missing parents (RFC 3501 §6.3.3), with a special use if given. */
  create(accountId: string, input: string, specialUse: SpecialUse | null = null): Folder {
    const name = canonicalName(input);
    this.validate(name);
    if (this.find(accountId, name)) throw new ConflictError(`mailbox ${name} already exists`);
    const levels = name.split(DELIMITER);
    for (let i = 1; i < levels.length; i++) {
      const parent = levels.slice(0, i).join(DELIMITER);
      if (!this.store.mail.getMailbox(accountId, parent)) this.store.mail.createMailbox(accountId, parent);
    }
    if (specialUse && this.list(accountId).some((f) => f.specialUse === specialUse)) {
      throw new ConflictError(`a mailbox with ${specialUse} already exists`);
    }
    return this.store.mail.createMailbox(accountId, name, specialUse);
  }

  /** Deletes a mailbox and its messages; a mailbox with children stays as a \Noselect name. */
  delete(accountId: string, input: string): void {
    const name = canonicalName(input);
    if (this.isSystem(name)) throw new ValidationError('mailbox', 'system', `${name} is a system folder and cannot be deleted`);
    const folder = this.store.mail.getMailbox(accountId, name);
    if (!folder) throw new NotFoundError(`mailbox ${name} does not exist`);
    const hasChildren = this.hasChildren(accountId, name);
    // RFC 3501 §6.3.4: deleting a \Noselect name that still has inferiors is an error.
    if (folder.noselect && hasChildren) throw new ValidationError('mailbox', 'has_children', `${name} has child mailboxes; delete them first`);
    this.store.mail.deleteMailbox(accountId, folder.id, hasChildren);
    this.prunePlaceholders(accountId, name);
  }

  /**
   * Renames a mailbox with its children (RFC 3501 §6.3.5). Renaming INBOX moves its messages
   * into the new mailbox and leaves INBOX empty; other system folders cannot be renamed.
   */
  rename(accountId: string, fromInput: string, toInput: string): void {
    const from = canonicalName(fromInput);
    const to = canonicalName(toInput);
    this.validate(to);
    const folder = this.store.mail.getMailbox(accountId, from);
    if (!folder || folder.noselect) throw new NotFoundError(`mailbox ${from} does not exist`);
    if (this.store.mail.getMailbox(accountId, to)) throw new ConflictError(`mailbox ${to} already exists`);
    if (this.isSystem(to)) throw new ConflictError(`${to} is a system folder name`);
    if (from === 'INBOX') {
      const target = this.create(accountId, to);
      const uids = this.store.mail.listMessages(folder.id).map((m) => m.uid);
      this.store.mail.copyMessages(accountId, folder.id, uids, target.id);
      this.store.mail.removeMessages(accountId, folder.id, uids);
      return;
    }
    if (this.isSystem(from)) throw new ValidationError('mailbox', 'system', `${from} is a system folder and cannot be renamed`);
    if (to.startsWith(`${from}${DELIMITER}`)) throw new ValidationError('mailbox', 'into_itself', `cannot move ${from} into itself`);
    const levels = to.split(DELIMITER);
    for (let i = 1; i < levels.length; i++) {
      const parent = levels.slice(0, i).join(DELIMITER);
      if (!this.store.mail.getMailbox(accountId, parent)) this.store.mail.createMailbox(accountId, parent);
    }
    this.store.mail.renameMailbox(accountId, folder.id, to);
    this.prunePlaceholders(accountId, from);
  }

  /** Subscribed names, including names whose mailbox was deleted since (RFC 3501 §6.3.6). */
  subscriptions(accountId: string): string[] {
    return this.store.mail.listSubscriptions(accountId);
  }

  /**
   * SUBSCRIBE needs an existing mailbox (RFC 3501 §6.3.6 lets the server check); UNSUBSCRIBE
   * also takes a subscribed name whose mailbox is gone, the only way to drop it.
   */
  subscribe(accountId: string, input: string, subscribed: boolean): void {
    const name = canonicalName(input);
    const known = this.store.mail.getMailbox(accountId, name) || (!subscribed && this.subscriptions(accountId).includes(name));
    if (!known) throw new NotFoundError(`mailbox ${name} does not exist`);
    this.store.mail.setSubscribed(accountId, name, subscribed);
  }

  hasChildren(accountId: string, name: string): boolean {
    return this.list(accountId).some((f) => f.name.startsWith(`${name}${DELIMITER}`));
  }

  private validate(name: string): void {
    const problem = checkMailboxName(name);
    if (problem) throw new ValidationError('mailbox', 'syntax', problem);
  }

  /** Placeholders (\Noselect) whose last child went away go too. */
  private prunePlaceholders(accountId: string, name: string): void {
    const levels = name.split(DELIMITER);
    for (let i = levels.length - 1; i >= 1; i--) {
      const parent = levels.slice(0, i).join(DELIMITER);
      const folder = this.store.mail.getMailbox(accountId, parent);
      if (!folder?.noselect || this.hasChildren(accountId, parent)) return;
      this.store.mail.deleteMailbox(accountId, folder.id, false);
    }
  }
}
