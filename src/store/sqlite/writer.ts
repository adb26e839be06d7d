// Every write of the SQLite store goes through `write`: a transaction (IMMEDIATE: the write
// lock is taken up front, so two processes never deadlock upgrading a read lock), the events
// outbox filled inside it, and the changes published on the bus only after the commit.
//
// Two ways to commit. Alone (the CLI): each write is its own transaction, committed and
// fsync'd before `write` returns. Batched (the server, with a GroupSync): the first write of a
// turn of the event loop opens a transaction, every write of that turn runs inside it as a
// SAVEPOINT (a failing write undoes only itself), and the batch commits once, right after the
// turn (setImmediate). Each delivery touches a dozen index pages that its neighbours touch too;
// committing them together writes those pages once, not once per message. Nothing is
// acknowledged before the commit and its sync: callers await `durable()` first.
import { ConflictError, DiskFullError, UnavailableError } from '../../errors.js';
import type { ChangeBus } from '../changes.js';
import type { Change } from '../types.js';
import type { Db } from './database.js';
import type { GroupSync } from './group-sync.js';

export type Emit = (change: Change, object: Record<string, unknown>) => void;
export type Write = <T>(fn: (emit: Emit) => T) => T;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** SQLite's refusals, as errors a person can act on. */
function explainWriteError(err: unknown): unknown {
  const code = (err as { code?: string }).code ?? '';
  // The services check first; a constraint firing here means another writer won a race.
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new ConflictError('it already exists');
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return new ConflictError('it refers to something that no longer exists');
  if (code.startsWith('SQLITE_READONLY')) return new UnavailableError('the database is read-only; check that the data directory is writable');
  if (code === 'SQLITE_FULL') return new DiskFullError();
  if (code.startsWith('SQLITE_IOERR')) return new UnavailableError('the data directory could not be written (I/O error)');
  return err;
}

export function createWriter(db: Db, bus: ChangeBus, origin: string, sync: GroupSync | null = null): Write {
  const insertEvent = db.prepare(
    'INSERT INTO events (type, application_id, account_id, object, created_at, origin) VALUES (?, ?, ?, ?, ?, ?)',
  );
  // A write called inside another (a bounce stored while a queue entry fails) joins the outer
  // one: its changes are published with the outer ones, after the one commit.
  let current: Emit | null = null;
  /** Why SQLite rolled the open batch back by itself, when it did. */
  let rolledBackBy: unknown = null;
  const rolledBack = (): unknown => {
    const cause = rolledBackBy ?? new UnavailableError('the data directory could not be written; the transaction was rolled back');
    rolledBackBy = null;
    return cause;
  };
  const run = <T>(fn: (emit: Emit) => T, changes: Change[], begin: 'immediate' | 'savepoint'): T => {
    const emit: Emit = (change, object) => {
      insertEvent.run(change.type, change.applicationId, change.accountId, JSON.stringify(object), nowSeconds(), origin);
      changes.push(change);
    };
    const body = db.transaction(() => {
      current = emit;
      try {
        return fn(emit);
      } finally {
        current = null;
      }
    });
    try {
      // Inside an open transaction better-sqlite3 runs the function as a SAVEPOINT.
      return begin === 'immediate' ? body.immediate() : body();
    } catch (err) {
      const explained = explainWriteError(err);
      // SQLite rolled the whole batch back (a full disk, an I/O error): the other writers of
      // the batch hear the same cause from durable().
      if (begin === 'savepoint' && !db.inTransaction) rolledBackBy = explained;
      throw explained;
    }
  };

  if (!sync) {
    return function write<T>(fn: (emit: Emit) => T): T {
      if (current) return fn(current);
      const changes: Change[] = [];
      const result = run(fn, changes, 'immediate');
      bus.publish(changes);
      return result;
    };
  }

  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  let batch: Change[] | null = null;

  const commitBatch = (): void => {
    const changes = batch;
    if (!changes) return;
    batch = null;
    try {
      // Some errors (SQLITE_FULL, I/O) make SQLite roll the whole transaction back itself.
      if (!db.inTransaction) throw rolledBack();
      commit.run();
    } catch (err) {
      // The whole batch is lost: nothing of it is published, and every caller waiting for it
      // hears so from durable() (none of it was acknowledged).
      if (db.inTransaction) rollback.run();
      sync.batchFailed(explainWriteError(err));
      return;
    }
    sync.noteCommit();
    bus.publish(changes);
  };

  return function write<T>(fn: (emit: Emit) => T): T {
    if (current) return fn(current);
    if (batch && !db.inTransaction) {
      // SQLite rolled the batch back on an error of an earlier write: it is lost; start anew.
      batch = null;
      sync.batchFailed(rolledBack());
    }
    if (!batch) {
      try {
        begin.run();
      } catch (err) {
        throw explainWriteError(err);
      }
      batch = [];
      sync.noteBegin();
      setImmediate(commitBatch);
    }
    const changes: Change[] = [];
    const result = run(fn, changes, 'savepoint');
    batch.push(...changes);
    return result;
  };
}
