// Chooses the store backend. SQLite under WICKET_DATA_DIR is the only one today.
import type { ChangeBus } from './changes.js';
import { openSqliteStore } from './sqlite/index.js';
import type { Store } from './store.js';

export interface StoreOptions {
  /**
   * Sync commits to disk in groups, off the event loop, and acknowledge a write only after
   * `store.durable()` resolves (the server). Without it each commit waits for the disk itself
   * (the CLI, tools).
   */
  groupCommit?: boolean;
}

export function openStore(dataDir: string, changes?: ChangeBus, options: StoreOptions = {}): Store {
  return openSqliteStore(dataDir, changes, options.groupCommit ? 'group' : 'commit');
}
