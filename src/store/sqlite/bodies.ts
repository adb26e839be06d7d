// Message bytes, stored once and shared by every copy (IMAP COPY, the outbound queue). A body
// may also be another body under a few more header fields (a submission's copy for a local
// recipient is its Sent copy under Return-Path and Received): then only those fields are stored,
// with a reference to the base, and reading puts the two together. The SMTP benchmark stored
// the same 10 KB twice per message before.
import { createHash } from 'node:crypto';
import type { Db } from './database.js';

/** Stores bytes; returns the body id. `sha256` is the digest of `content` as stored. */
export function insertBody(db: Db, raw: Buffer): number {
  const sha256 = createHash('sha256').update(raw).digest('hex');
  return Number(db.prepare('INSERT INTO bodies (size, sha256, content) VALUES (?, ?, ?)').run(raw.length, sha256, raw).lastInsertRowid);
}

/** Stores a body that is `prefix` followed by the body `baseId` (of `baseSize` bytes). */
export function insertDerivedBody(db: Db, prefix: Buffer, baseId: number, baseSize: number): number {
  const sha256 = createHash('sha256').update(prefix).digest('hex');
  return Number(
    db.prepare('INSERT INTO bodies (size, sha256, content, base_id) VALUES (?, ?, ?, ?)').run(prefix.length + baseSize, sha256, prefix, baseId).lastInsertRowid,
  );
}

/** SQL for a body's bytes: its content and its base's (NULL for a plain body), from `b`. */
export const BODY_PARTS = 'b.content AS content, base.content AS base_content';
/** The join that BODY_PARTS needs, after a join of `bodies b`. */
export const BODY_BASE_JOIN = 'LEFT JOIN bodies base ON base.id = b.base_id';

/** The bytes of a body read with BODY_PARTS. */
export const bodyBytes = (row: { content: Buffer; base_content: Buffer | null }): Buffer =>
  row.base_content ? Buffer.concat([row.content, row.base_content]) : row.content;

/**
 * Deletes the given bodies when no message, unfinished queue entry or other body refers to them
 * any more; then the bases of those deleted, on the same terms.
 */
export function releaseBodies(db: Db, bodyIds: readonly number[]): void {
  if (bodyIds.length === 0) return;
  const bases = db
    .prepare('SELECT DISTINCT base_id FROM bodies WHERE id IN (SELECT value FROM json_each(?)) AND base_id IS NOT NULL')
    .pluck()
    .all(JSON.stringify(bodyIds)) as number[];
  const release = db.prepare(
    `DELETE FROM bodies WHERE id IN (SELECT value FROM json_each(?))
       AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.body_id = bodies.id)
       AND NOT EXISTS (SELECT 1 FROM outbound_queue q WHERE q.body_id = bodies.id)
       AND NOT EXISTS (SELECT 1 FROM bodies d WHERE d.base_id = bodies.id)`,
  );
  release.run(JSON.stringify(bodyIds));
  if (bases.length > 0) release.run(JSON.stringify(bases));
}
