// The SQLite backend of the Store interface (the default; PostgreSQL can follow beside it).
import { randomBytes } from 'node:crypto';
import { ChangeBus } from '../changes.js';
import type { EventOutbox, Store } from '../store.js';
import type { OutboxEvent, QueueStatus, StoreStats } from '../types.js';
import { SqliteApiKeys } from './api-keys.js';
import { type Db, type Durability, openDatabase } from './database.js';
import { Checkpointer, SAFETY_NET_PAGES } from './checkpointer.js';
import { GroupSync } from './group-sync.js';
import { SqliteDirectory } from './directory.js';
import { releaseBodies } from './bodies.js';
import { SqliteMail } from './mail.js';
import { SCHEMA_VERSION } from './migrations.js';
import { SqliteQueue } from './queue.js';
import { SqliteWebhooks } from './webhooks.js';
import { SqliteGovernance } from './governance.js';
import { SqliteTeam } from './team.js';
import { createWriter } from './writer.js';

class SqliteEvents implements EventOutbox {
  constructor(
    private readonly db: Db,
    readonly origin: string,
  ) {}

  lastId(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM events').get() as { id: number }).id;
  }

  listAfter(afterId: number, limit: number): OutboxEvent[] {
    const rows = this.db
      .prepare('SELECT id, origin, type, application_id, account_id, object, created_at FROM events WHERE id > ? ORDER BY id LIMIT ?')
      .all(afterId, limit) as {
      id: number;
      origin: string | null;
      type: OutboxEvent['type'];
      application_id: string | null;
      account_id: string | null;
      object: string;
      created_at: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      origin: r.origin,
      type: r.type,
      applicationId: r.application_id,
      accountId: r.account_id,
      object: JSON.parse(r.object) as Record<string, unknown>,
      createdAt: r.created_at,
    }));
  }
}

export class SqliteStore implements Store {
  readonly directory: SqliteDirectory;
  readonly mail: SqliteMail;
  readonly queue: SqliteQueue;
  readonly apiKeys: SqliteApiKeys;
  readonly events: SqliteEvents;
  readonly webhooks: SqliteWebhooks;
  readonly governance: SqliteGovernance;
  readonly team: SqliteTeam;
  readonly location: string;
  private closed = false;
  private readonly sync: GroupSync | null;
  private readonly checkpointer: Checkpointer | null;

  constructor(
    private readonly db: Db,
    file: string,
    readonly changes: ChangeBus,
    durability: Durability = 'commit',
  ) {
    const origin = randomBytes(8).toString('hex');
    const sync = durability === 'group' ? new GroupSync(file) : null;
    this.sync = sync;
    // The server leaves checkpoints to a worker thread (checkpointer.ts).
    this.checkpointer = durability === 'group' ? new Checkpointer(file) : null;
    if (this.checkpointer) db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
    const write = createWriter(db, changes, origin, sync);
    this.directory = new SqliteDirectory(db, write);
    this.mail = new SqliteMail(db, write);
    this.queue = new SqliteQueue(
      db,
      write,
      (ids) => releaseBodies(db, ids),
      (delivery) => this.mail.deliver(delivery),
    );
    this.apiKeys = new SqliteApiKeys(db, write);
    this.events = new SqliteEvents(db, origin);
    this.webhooks = new SqliteWebhooks(db, write);
    this.governance = new SqliteGovernance(db, write);
    this.team = new SqliteTeam(db, write);
    this.location = `sqlite:${file}`;
  }

  stats(): StoreStats {
    const n = (sql: string): number => (this.db.prepare(sql).get() as { n: number | null }).n ?? 0;
    const queue: Record<QueueStatus, number> = { queued: 0, held: 0, sending: 0, delivered: 0, failed: 0 };
    for (const row of this.db.prepare('SELECT status, COUNT(*) AS n FROM outbound_queue GROUP BY status').all() as {
      status: QueueStatus;
      n: number;
    }[]) {
      queue[row.status] = row.n;
    }
    return {
      schemaVersion: this.db.pragma('user_version', { simple: true }) as number,
      applications: n('SELECT COUNT(*) AS n FROM applications'),
      domains: n('SELECT COUNT(*) AS n FROM domains'),
      workspaces: n('SELECT COUNT(*) AS n FROM workspaces'),
      accounts: n('SELECT COUNT(*) AS n FROM accounts'),
      accountsWithAppPassword: n('SELECT COUNT(*) AS n FROM accounts WHERE password_hash IS NOT NULL'),
      messages: n('SELECT COUNT(*) AS n FROM messages'),
      messageBytes: n('SELECT SUM(size) AS n FROM messages'),
      queue,
    };
  }

  /**
   * A fault seam for tests (test/reliability/full-disk.test.ts): the disk is full. From now on a
   * write that would grow the database by more than `headroomPages` pages fails inside SQLite
   * with SQLITE_FULL — the error a full disk gives — while writes into pages already allocated
   * (the free list, rewritten rows) go on, as they would on a real full disk. `null`: space is
   * back. Never called by the server itself.
   */
  simulateDiskFull(headroomPages: number | null): void {
    if (headroomPages === null) {
      // SQLite clamps this to its own maximum: no cap.
      this.db.pragma('max_page_count = 4294967294');
      return;
    }
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    this.db.pragma(`max_page_count = ${pages + Math.max(0, Math.floor(headroomPages))}`);
  }

  durable(): Promise<void> {
    return this.sync ? this.sync.durable() : Promise.resolve();
  }

  ping(): boolean {
    try {
      return (this.db.prepare('SELECT 1 AS ok').get() as { ok: number }).ok === 1;
    } catch {
      return false;
    }
  }

  async shutdown(): Promise<void> {
    await this.checkpointer?.stop();
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.sync?.close();
    // Shut down without shutdown(): the worker goes too (its connection may outlive this one
    // by a moment, which leaves the WAL for the next start to read; nothing is lost).
    void this.checkpointer?.stop();
    // The last connection to close checkpoints the WAL into the main file and removes it.
    this.db.close();
  }
}

export function openSqliteStore(dataDir: string, changes = new ChangeBus(), durability: Durability = 'commit'): SqliteStore {
  const { db, file } = openDatabase(dataDir, durability);
  return new SqliteStore(db, file, changes, durability);
}

export { SCHEMA_VERSION };
