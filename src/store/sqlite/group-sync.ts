// Group commit for the server's connection. With `synchronous = FULL`, SQLite fsyncs the WAL
// inside every COMMIT, on the event loop: under load that was half the CPU of a delivery (the
// SMTP benchmark's profile), and nothing else ran meanwhile. The server's connection therefore
// commits with `synchronous = NORMAL` — the commit writes its WAL frames to the file (so a
// killed process loses nothing) but does not wait for the disk — and the fsync that makes
// commits survive a power cut happens here, on libuv's thread pool: one at a time, each
// covering every commit made before it started. Whoever acknowledges a write (SMTP 250, IMAP
// OK, an API 2xx) first awaits `durable()`.
//
// Why fsync of the WAL file is enough: in WAL mode a transaction is durable once its frames
// are on disk (https://sqlite.org/wal.html); SQLite itself syncs the WAL before every
// checkpoint and the database file after it (synchronous = NORMAL), so frames that a
// checkpoint moved are safe too. The directory is synced whenever a new WAL file appears, so
// its name survives as well.
import { type FileHandle, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DiskFullError, UnavailableError } from '../../errors.js';

interface Waiter {
  /** The commit count the caller saw; resolved once a sync covered it. */
  target: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** The disk refused a sync: what waited for it is not acknowledged (IMAP NO, SMTP 451, 503). */
export class DurabilityError extends UnavailableError {
  constructor(cause: unknown) {
    super(`the data directory could not be synced to disk (${(cause as NodeJS.ErrnoException).code ?? 'I/O error'}); try again`);
  }
}

export class GroupSync {
  /** Batches committed (each one transaction); `synced` of them are on disk. */
  private committed = 0;
  private synced = 0;
  /** A batch is open: writes made now are in commit number `committed + 1`. */
  private open = false;
  private waiters: Waiter[] = [];
  private running = false;
  private wal: FileHandle | null = null;

  /** `syncFiles` is replaceable for tests (a disk that refuses, a count of syncs). */
  constructor(
    private readonly databaseFile: string,
    private readonly syncFiles: () => Promise<void> = () => this.syncWal(),
  ) {}

  /** A batch opened: what is written until it commits becomes durable with it. */
  noteBegin(): void {
    this.open = true;
  }

  /** A transaction of this connection committed (its frames are in the WAL, not yet on disk). */
  noteCommit(): void {
    this.open = false;
    this.committed++;
    if (!this.running && this.waiters.length > 0) void this.run();
  }

  /** The open batch could not be committed: whoever waits for it is told, nothing is acknowledged. */
  batchFailed(err: unknown): void {
    this.open = false;
    const failed = this.committed + 1;
    const error = err instanceof Error ? err : new Error(String(err));
    this.waiters = this.waiters.filter((w) => {
      if (w.target !== failed) return true;
      w.reject(error);
      return false;
    });
  }

  /** Whether commits are waiting for a sync (tests, and callers that can skip an await). */
  get pending(): boolean {
    return this.open || this.synced < this.committed;
  }

  /** Resolves when every write made before the call is committed and on stable storage. */
  durable(): Promise<void> {
    const target = this.committed + (this.open ? 1 : 0);
    if (this.synced >= target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ target, resolve, reject });
      if (!this.running && target <= this.committed) void this.run();
    });
  }

  /** Syncs while someone waits for a commit already made; a commit still open restarts it. */
  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.some((w) => w.target <= this.committed)) {
        // Everything committed up to now is in the WAL file: this sync covers it.
        const upTo = this.committed;
        let failure: Error | null = null;
        try {
          await this.syncFiles();
        } catch (err) {
          // A sync can be where a full disk shows (delayed allocation, a quota): say so.
          const code = (err as NodeJS.ErrnoException).code;
          failure = code === 'ENOSPC' || code === 'EDQUOT' ? new DiskFullError() : new DurabilityError(err);
        }
        if (failure === null) this.synced = Math.max(this.synced, upTo);
        const still: Waiter[] = [];
        for (const w of this.waiters) {
          if (w.target > upTo) still.push(w);
          else if (failure) w.reject(failure);
          else w.resolve();
        }
        this.waiters = still;
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * The WAL file stays open between syncs: each sync is then one call on the thread pool, and
   * its answer waits for one turn of a busy event loop, not four (open, sync, stat, close).
   * SQLite keeps the WAL file while this connection is open, so the descriptor stays valid;
   * after an error it is opened afresh.
   */
  private async syncWal(): Promise<void> {
    if (!this.wal) {
      const wal = `${this.databaseFile}-wal`;
      try {
        this.wal = await open(wal, 'r+');
      } catch (err) {
        // No WAL file: every commit was checkpointed into the database file (which SQLite
        // syncs after a checkpoint); sync that instead.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        const db = await open(this.databaseFile, 'r+');
        try {
          await db.sync();
        } finally {
          await db.close();
        }
        return;
      }
      // A WAL file created since the directory was last synced: make its name durable too.
      await syncDirectory(dirname(wal));
    }
    try {
      await this.wal.sync();
    } catch (err) {
      const stale = this.wal;
      this.wal = null;
      await stale.close().catch(() => undefined);
      throw err;
    }
  }

  /** Closes the WAL descriptor (the store is closing). */
  async close(): Promise<void> {
    const wal = this.wal;
    this.wal = null;
    await wal?.close().catch(() => undefined);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  if (!(await stat(dir)).isDirectory()) return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some filesystems refuse fsync on a directory; the file's own sync is what matters there.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EBADF') throw err;
  } finally {
    await handle.close();
  }
}
