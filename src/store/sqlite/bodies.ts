// Message bytes, stored once and shared by every copy (IMAP COPY, the outbound queue).
import { createHash } from 'node:crypto';
import type { Db } from './database.js';

/** Stores bytes; returns the body id. */
export function insertBody(db: Db, raw: Buffer): number {
  const sha256 = createHash('sha256').update(raw).digest('hex');
  return Number(db.prepare('INSERT INTO bodies (size, sha256, content) VALUES (?, ?, ?)').run(raw.length, sha256, raw).lastInsertRowid);
}

/** Deletes the given bodies when no message or unfinished queue entry refers to them any more. */
export function releaseBodies(db: Db, bodyIds: readonly number[]): void {
  if (bodyIds.length === 0) return;
  db.prepare(
    `DELETE FROM bodies WHERE id IN (SELECT value FROM json_each(?))
       AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.body_id = bodies.id)
       AND NOT EXISTS (SELECT 1 FROM outbound_queue q WHERE q.body_id = bodies.id)`,
  ).run(JSON.stringify(bodyIds));
}
