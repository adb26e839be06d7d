// \Recent (RFC 3501 §2.3.2): the first session told of a message claims it. The claim is
// bookkeeping, not something the client asked to store: when the store cannot take it (the
// disk is full), the session goes on without it — the messages stay \Recent for a later
// session — and the read the client asked for is answered all the same.
import { UnavailableError } from '../errors.js';
import type { MailStore } from '../store/store.js';

export function claimRecent(mail: MailStore, folderId: number, uids?: readonly number[]): number[] {
  try {
    return mail.claimRecent(folderId, uids);
  } catch (err) {
    if (err instanceof UnavailableError) return [];
    throw err;
  }
}
