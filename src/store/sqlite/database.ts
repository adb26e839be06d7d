// Opening the SQLite database: WAL (readers never block the writer; the CLI and a running
// server share the file safely), synchronous=FULL (a commit is fsync'd before it returns, so
// an acknowledged message survives power loss or kill -9), foreign keys on, and migrations.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { UnavailableError } from '../../errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export type Db = Database.Database;

export const DATABASE_FILE = 'wicket.db';

/** Turns SQLite's open-time failures into one sentence a person can act on. */
function explainOpenError(err: unknown, dataDir: string, file: string): UnavailableError {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new UnavailableError(`${file} is not a valid Wicket database (corrupt or not SQLite); restore a backup or move it aside`);
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
    return new UnavailableError(`data directory ${dataDir} is not writable`);
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR')) {
    return new UnavailableError(`cannot open ${file}: the data directory is missing, not writable or on a failing disk`);
  }
  if (code === 'SQLITE_BUSY') {
    return new UnavailableError(`${file} is locked by another process; try again`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new UnavailableError(`cannot open ${file}: ${message}`);
}

function ensureDirectory(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new UnavailableError(`data directory ${dataDir} is not a directory`);
    throw new UnavailableError(`cannot create data directory ${dataDir} (${code ?? 'error'})`);
  }
  if (!statSync(dataDir).isDirectory()) throw new UnavailableError(`data directory ${dataDir} is not a directory`);
  try {
    // Mail is only accepted into a store that can be written: refuse at open, not mid-command.
    accessSync(dataDir, constants.W_OK);
  } catch {
    throw new UnavailableError(`data directory ${dataDir} is not writable`);
  }
}

function migrate(db: Db, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new UnavailableError(
      `${file} has schema version ${current}, newer than this Wicket understands (${SCHEMA_VERSION}); upgrade Wicket`,
    );
  }
  for (const migration of MIGRATIONS) {
    db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version >= migration.version) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        Math.floor(Date.now() / 1000),
      );
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

/** Prepared statements kept per connection; beyond this many, the oldest is dropped. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * `db.prepare` remembers what it compiled: the store prepares its SQL where it runs it, and
 * compiling the same text again on every call was a tenth of the CPU of a delivery (profile
 * of the SMTP benchmark). A cached statement comes back as a fresh one would — pluck, raw and
 * expand off — and a statement is never in use when handed out (no iterate() in the store;
 * run/get/all finish before returning).
 */
function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      if (statement.reader) statement.raw(false).expand(false).pluck(false);
      return statement;
    }
    statement = prepare(sql);
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(sql, statement);
    return statement;
  }) as Db['prepare'];
}

/**
 * How commits reach the disk. `commit`: each COMMIT fsyncs before it returns (the CLI and other
 * short-lived users). `group`: COMMIT writes the WAL without waiting for the disk and the
 * caller syncs in groups off the event loop (GroupSync), acknowledging only after it (the server).
 */
export type Durability = 'commit' | 'group';

export function openDatabase(dataDir: string, durability: Durability = 'commit'): { db: Db; file: string } {
  ensureDirectory(dataDir);
  const file = join(dataDir, DATABASE_FILE);
  let db: Db | undefined;
  try {
    db = new Database(file, { timeout: 10_000 });
    cacheStatements(db);
    db.pragma('journal_mode = WAL');
    db.pragma(durability === 'group' ? 'synchronous = NORMAL' : 'synchronous = FULL');
    // The server reads whole folders' worth of rows (a SEARCH over 100,000 messages): a page cache
    // of up to 64 MiB instead of SQLite's 2 MiB halved that search (pages are taken as used).
    if (durability === 'group') db.pragma('cache_size = -65536');
    db.pragma('foreign_keys = ON');
    migrate(db, file);
    return { db, file };
  } catch (err) {
    db?.close();
    if (err instanceof UnavailableError) throw err;
    throw explainOpenError(err, dataDir, file);
  }
}
