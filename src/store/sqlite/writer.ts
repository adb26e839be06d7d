// Every write of the SQLite store goes through `write`: one IMMEDIATE transaction (the write
// lock is taken up front, so two processes never deadlock upgrading a read lock), the events
// outbox filled inside it, and the changes published on the bus only after the commit.
import { ConflictError, UnavailableError } from '../../errors.js';
import type { ChangeBus } from '../changes.js';
import type { Change } from '../types.js';
import type { Db } from './database.js';

export type Emit = (change: Change, object: Record<string, unknown>) => void;
export type Write = <T>(fn: (emit: Emit) => T) => T;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function createWriter(db: Db, bus: ChangeBus, origin: string): Write {
  const insertEvent = db.prepare(
    'INSERT INTO events (type, application_id, account_id, object, created_at, origin) VALUES (?, ?, ?, ?, ?, ?)',
  );
  // A write called inside another (a bounce stored while a queue entry fails) joins the outer
  // transaction: its changes are published with the outer ones, after the one commit.
  let current: Emit | null = null;
  return function write<T>(fn: (emit: Emit) => T): T {
    if (current) return fn(current);
    const changes: Change[] = [];
    const emit: Emit = (change, object) => {
      insertEvent.run(change.type, change.applicationId, change.accountId, JSON.stringify(object), nowSeconds(), origin);
      changes.push(change);
    };
    let result: T;
    try {
      result = db
        .transaction(() => {
          current = emit;
          try {
            return fn(emit);
          } finally {
            current = null;
          }
        })
        .immediate();
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      // The services check first; a constraint firing here means another writer won a race.
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new ConflictError('it already exists');
      }
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new ConflictError('it refers to something that no longer exists');
      if (code.startsWith('SQLITE_READONLY')) throw new UnavailableError('the database is read-only; check that the data directory is writable');
      if (code === 'SQLITE_FULL') throw new UnavailableError('the disk holding the data directory is full');
      if (code.startsWith('SQLITE_IOERR')) throw new UnavailableError('the data directory could not be written (I/O error)');
      throw err;
    }
    bus.publish(changes);
    return result;
  };
}
