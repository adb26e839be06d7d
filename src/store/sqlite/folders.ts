// Folder creation, shared by account provisioning and (later) IMAP CREATE.
import type { NewFolder } from '../types.js';
import type { Db } from './database.js';

/**
 * Draws the next UIDVALIDITY. RFC 3501 §2.3.1.1: if a mailbox is deleted and a new one is
 * created with the same name, its UIDVALIDITY must differ. One installation-wide counter,
 * seeded from the clock, guarantees that without tracking deleted names.
 */
export function nextUidValidity(db: Db): number {
  const seed = Math.floor(Date.now() / 1000);
  const row = db
    .prepare(
      `INSERT INTO counters (name, value) VALUES ('uid_validity', ?)
       ON CONFLICT (name) DO UPDATE SET value = MAX(value + 1, excluded.value)
       RETURNING value`,
    )
    .get(seed) as { value: number };
  // UIDVALIDITY is a non-zero 32-bit unsigned number (RFC 3501 §9 nz-number, uniqueid).
  return ((row.value - 1) % 0xffffffff) + 1;
}

export function createFolder(db: Db, accountId: string, folder: NewFolder, now: number): number {
  const result = db
    .prepare(
      `INSERT INTO folders (account_id, name, special_use, uid_validity, created_at)
       VALUES (?, ?, ?, ?, ?)`,
    )
    .run(accountId, folder.name, folder.specialUse, nextUidValidity(db), now);
  subscribe(db, accountId, folder.name);
  return Number(result.lastInsertRowid);
}

/** A new mailbox starts subscribed, so clients that show only subscribed folders see it. */
export function subscribe(db: Db, accountId: string, name: string): void {
  db.prepare('INSERT OR IGNORE INTO subscriptions (account_id, name) VALUES (?, ?)').run(accountId, name);
}

/** The folder columns, with whether the name is on the account's subscription list. */
export const FOLDER_COLUMNS =
  'folders.*, EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = folders.account_id AND s.name = folders.name) AS subscribed';
