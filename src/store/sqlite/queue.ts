// QueueStore on SQLite: the durable outbound queue. One row per remote recipient. A worker
// claims due rows (status 'sending', with a lease so a crashed worker's rows come back),
// and records each outcome; a failure stores its bounce in the same transaction.
import { BODY_BASE_JOIN, BODY_PARTS, bodyBytes } from './bodies.js';
import { NotFoundError } from '../../errors.js';
import type { QueueFilter, QueueStore } from '../store.js';
import type { ClaimedEntry, DsnRequest, NewDelivery, NewQueueEntry, QueueEntry, QueueStatus } from '../types.js';
import type { Db } from './database.js';
import { type Write, nowSeconds } from './writer.js';

interface QueueRow {
  id: string;
  application_id: string | null;
  account_id: string | null;
  body_id: number | null;
  mail_from: string;
  rcpt_to: string;
  status: QueueStatus;
  attempts: number;
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  last_error: string | null;
  expires_at: number;
  message_id: string | null;
  size: number;
  dsn: string | null;
  created_at: number;
  updated_at: number;
}

const toEntry = (r: QueueRow): QueueEntry => ({
  id: r.id,
  applicationId: r.application_id,
  accountId: r.account_id,
  mailFrom: r.mail_from,
  rcptTo: r.rcpt_to,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastAttemptAt: r.last_attempt_at,
  lastError: r.last_error,
  expiresAt: r.expires_at,
  messageId: r.message_id,
  size: r.size,
  dsn: r.dsn ? (JSON.parse(r.dsn) as DsnRequest) : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function insertQueueEntry(db: Db, entry: NewQueueEntry, bodyId: number, size: number): QueueEntry {
  const now = nowSeconds();
  db.prepare(
    `INSERT INTO outbound_queue (id, application_id, account_id, body_id, mail_from, rcpt_to, status, next_attempt_at,
       expires_at, message_id, size, dsn, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    entry.id,
    entry.applicationId,
    entry.accountId,
    bodyId,
    entry.mailFrom,
    entry.rcptTo,
    entry.status,
    entry.status === 'queued' ? entry.nextAttemptAt : null,
    entry.expiresAt,
    entry.messageId,
    size,
    entry.dsn ? JSON.stringify(entry.dsn) : null,
    now,
    now,
  );
  return toEntry(db.prepare('SELECT * FROM outbound_queue WHERE id = ?').get(entry.id) as QueueRow);
}

export class SqliteQueue implements QueueStore {
  constructor(
    private readonly db: Db,
    private readonly write: Write,
    private readonly releaseBodies: (ids: number[]) => void,
    private readonly deliver: (delivery: NewDelivery) => void,
  ) {}

  list(filter: QueueFilter = {}): QueueEntry[] {
    const statuses = filter.statuses ?? ['queued', 'held', 'sending', 'failed'];
    const rows = this.db
      .prepare(`SELECT * FROM outbound_queue WHERE status IN (SELECT value FROM json_each(?)) ORDER BY created_at, rowid`)
      .all(JSON.stringify(statuses)) as QueueRow[];
    return rows.map(toEntry);
  }

  get(id: string): QueueEntry | undefined {
    const row = this.db.prepare('SELECT * FROM outbound_queue WHERE id = ?').get(id) as QueueRow | undefined;
    return row && toEntry(row);
  }

  claim(now: number, limit: number, leaseSeconds: number): ClaimedEntry[] {
    return this.write(() => {
      const rows = this.db
        .prepare(
          `SELECT q.*, ${BODY_PARTS} FROM outbound_queue q JOIN bodies b ON b.id = q.body_id ${BODY_BASE_JOIN}
           WHERE (q.status = 'queued' AND q.next_attempt_at <= ?)
              OR (q.status = 'sending' AND q.updated_at <= ?)
           ORDER BY q.next_attempt_at, q.rowid LIMIT ?`,
        )
        .all(now, now - leaseSeconds, limit) as (QueueRow & Parameters<typeof bodyBytes>[0])[];
      const take = this.db.prepare(
        `UPDATE outbound_queue SET status = 'sending', attempts = attempts + 1, last_attempt_at = ?, updated_at = ? WHERE id = ?`,
      );
      return rows.map((row) => {
        take.run(now, now, row.id);
        return { ...toEntry({ ...row, status: 'sending', attempts: row.attempts + 1, last_attempt_at: now }), raw: bodyBytes(row) };
      });
    });
  }

  renew(ids: readonly string[], now: number): void {
    if (ids.length === 0) return;
    this.write(() => {
      this.db
        .prepare(`UPDATE outbound_queue SET updated_at = ? WHERE status = 'sending' AND id IN (SELECT value FROM json_each(?))`)
        .run(now, JSON.stringify(ids));
    });
  }

  nextDueAt(): number | null {
    const row = this.db.prepare(`SELECT MIN(next_attempt_at) AS at FROM outbound_queue WHERE status = 'queued'`).get() as {
      at: number | null;
    };
    return row.at;
  }

  delivered(id: string, response: string, report: NewDelivery | null): void {
    this.write((emit) => {
      const row = this.finish(id, 'delivered', response);
      if (report) this.deliver(report);
      if (row.account_id && row.application_id) {
        emit(
          { type: 'message.delivered', applicationId: row.application_id, accountId: row.account_id, queueId: id, recipient: row.rcpt_to },
          { queue_id: id, recipient: row.rcpt_to, message_id: row.message_id, response },
        );
      }
    });
  }

  deferred(id: string, error: string, nextAttemptAt: number): void {
    this.write(() => {
      const result = this.db
        .prepare(`UPDATE outbound_queue SET status = 'queued', last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?`)
        .run(error, nextAttemptAt, nowSeconds(), id);
      if (result.changes === 0) throw new NotFoundError(`queue entry ${id} not found`);
    });
  }

  failed(id: string, error: string, bounce: NewDelivery | null, cause: 'rejected' | 'expired' = 'rejected'): void {
    this.write((emit) => {
      const row = this.finish(id, 'failed', error);
      if (bounce) this.deliver(bounce);
      if (row.account_id && row.application_id) {
        emit(
          { type: cause === 'rejected' ? 'message.bounced' : 'message.send_failed', applicationId: row.application_id, accountId: row.account_id, queueId: id, recipient: row.rcpt_to },
          { queue_id: id, recipient: row.rcpt_to, message_id: row.message_id, error },
        );
      }
    });
  }

  retry(ids: string[] | 'all', now: number): number {
    return this.write(() => {
      const rows = (
        ids === 'all'
          ? this.db.prepare(`SELECT * FROM outbound_queue WHERE status IN ('queued', 'held')`).all()
          : ids.map((id) => {
              const row = this.db.prepare('SELECT * FROM outbound_queue WHERE id = ?').get(id) as QueueRow | undefined;
              if (!row) throw new NotFoundError(`queue entry ${id} not found`);
              return row;
            })
      ) as QueueRow[];
      const retry = this.db.prepare(
        `UPDATE outbound_queue SET status = 'queued', next_attempt_at = ?, updated_at = ? WHERE id = ? AND body_id IS NOT NULL
           AND status IN ('queued', 'held', 'failed')`,
      );
      let count = 0;
      for (const row of rows) count += retry.run(now, now, row.id).changes;
      return count;
    });
  }

  expedite(now: number): number {
    return this.write(
      () =>
        this.db
          .prepare(`UPDATE outbound_queue SET next_attempt_at = ?, updated_at = ? WHERE status = 'queued' AND next_attempt_at > ?`)
          .run(now, now, now).changes,
    );
  }

  remove(id: string): QueueEntry {
    return this.write(() => {
      const row = this.db.prepare('SELECT * FROM outbound_queue WHERE id = ?').get(id) as QueueRow | undefined;
      if (!row) throw new NotFoundError(`queue entry ${id} not found`);
      this.db.prepare('DELETE FROM outbound_queue WHERE id = ?').run(id);
      if (row.body_id !== null) this.releaseBodies([row.body_id]);
      return toEntry(row);
    });
  }

  /** Marks an entry finished and lets go of its body (inside the caller's transaction). */
  private finish(id: string, status: 'delivered' | 'failed', note: string): QueueRow {
    const row = this.db.prepare('SELECT * FROM outbound_queue WHERE id = ?').get(id) as QueueRow | undefined;
    if (!row) throw new NotFoundError(`queue entry ${id} not found`);
    const now = nowSeconds();
    this.db
      .prepare('UPDATE outbound_queue SET status = ?, last_error = ?, next_attempt_at = NULL, body_id = NULL, updated_at = ? WHERE id = ?')
      .run(status, note, now, id);
    if (row.body_id !== null) this.releaseBodies([row.body_id]);
    return row;
  }
}
