// Taking a message out of Junk says "this is not spam". When the user moves mail from the \Junk
// folder (RFC 6154) to any folder but Trash — IMAP MOVE / UID MOVE, or the API's PUT
// …/messages/{id} with `folders` — the moved message gets the $NotJunk keyword and loses $Junk
// (the keywords of the RFC 5788 registry that Thunderbird and Apple Mail read and write), and
// its sender is remembered: the delivery pipeline does not file that sender's mail as spam
// again (isNotJunk, src/delivery/pipeline.ts).
//
// Moving to Trash is throwing the message away, not vouching for it; COPY leaves the original
// in Junk, so it says nothing either. The flags go through the store's ordinary flag update on
// the message's new folder, so IMAP sessions see them at once (with the message, or as FETCH
// FLAGS when they already saw it arrive) and webhooks get a message.updated.
import { parseAddressList } from '../mail/addresses.js';
import { fieldValue, splitMessage } from '../mail/header-block.js';
import { summarize } from '../mail/summary.js';
import type { Store } from '../store/store.js';
import type { Folder } from '../store/types.js';

export const NOT_JUNK = '$NotJunk';
export const JUNK = '$Junk';

/** Whether a move from `from` to `to` takes mail out of Junk (and not into Trash). */
export function leavesJunk(from: Pick<Folder, 'specialUse'>, to: Pick<Folder, 'specialUse'>): boolean {
  return from.specialUse === '\\Junk' && to.specialUse !== '\\Junk' && to.specialUse !== '\\Trash';
}

/**
 * The address the pipeline judges a sender by: the first From address, else the envelope
 * sender (kept at final delivery as Return-Path, RFC 5321 §4.4) — lower case; null for none
 * (a bounce's null sender, a message without From).
 */
export function senderOf(raw: Buffer): string | null {
  const { headers } = splitMessage(raw);
  const from = summarize(headers).from[0]?.address;
  if (from) return from.toLowerCase();
  const returnPath = headers.get('return-path')[0];
  const envelope = returnPath === undefined ? undefined : parseAddressList(fieldValue(returnPath))[0]?.address;
  return envelope ? envelope.toLowerCase() : null;
}

/**
 * After messages moved from folder `fromId` to `toId` (now at `uids` there): when the move took
 * them out of Junk, marks them $NotJunk (without $Junk) and remembers their senders. Returns
 * whether it did.
 */
export function markMovedOutOfJunk(store: Store, accountId: string, fromId: number, toId: number, uids: readonly number[]): boolean {
  if (uids.length === 0 || fromId === toId) return false;
  const from = store.mail.getMailboxById(accountId, fromId);
  const to = store.mail.getMailboxById(accountId, toId);
  if (!from || !to || !leavesJunk(from, to)) return false;
  store.mail.setFlags(accountId, toId, uids, 'add', [NOT_JUNK]);
  store.mail.setFlags(accountId, toId, uids, 'remove', [JUNK]);
  const senders = new Set<string>();
  for (const message of store.mail.getMessages(toId, uids)) {
    const raw = store.mail.readMessage(message.id);
    const sender = raw ? senderOf(raw) : null;
    if (sender) senders.add(sender);
  }
  for (const sender of senders) store.governance.rememberNotJunk(accountId, sender);
  return true;
}
