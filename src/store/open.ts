// Chooses the store backend. SQLite under WICKET_DATA_DIR is the only one today.
import type { ChangeBus } from './changes.js';
import { openSqliteStore } from './sqlite/index.js';
import type { Store } from './store.js';

export function openStore(dataDir: string, changes?: ChangeBus): Store {
  return openSqliteStore(dataDir, changes);
}
