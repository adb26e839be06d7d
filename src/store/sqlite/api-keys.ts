// API keys in SQLite: only the SHA-256 of a key is stored (see migration 7).
import type { ApiKeyStore } from '../store.js';
import type { ApiKey, NewApiKey } from '../types.js';
import type { Db } from './database.js';
import { type Write, nowSeconds } from './writer.js';

interface ApiKeyRow {
  id: string;
  application_id: string;
  name: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const COLUMNS = 'id, application_id, name, prefix, created_at, last_used_at, revoked_at';

const toApiKey = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  applicationId: r.application_id,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export class SqliteApiKeys implements ApiKeyStore {
  constructor(
    private readonly db: Db,
    private readonly write: Write,
  ) {}

  create(key: NewApiKey): ApiKey {
    return this.write(() => {
      this.db
        .prepare('INSERT INTO api_keys (id, application_id, name, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(key.id, key.applicationId, key.name, key.prefix, key.hash, nowSeconds());
      return toApiKey(this.db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`).get(key.id) as ApiKeyRow);
    });
  }

  list(applicationId: string): ApiKey[] {
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE application_id = ? ORDER BY created_at, rowid`).all(applicationId);
    return (rows as ApiKeyRow[]).map(toApiKey);
  }

  findByHash(hash: string): ApiKey | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE hash = ?`).get(hash) as ApiKeyRow | undefined;
    return row && toApiKey(row);
  }

  revoke(applicationId: string, id: string): ApiKey | undefined {
    return this.write(() => {
      this.db
        .prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND application_id = ? AND revoked_at IS NULL')
        .run(nowSeconds(), id, applicationId);
      const row = this.db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE id = ? AND application_id = ?`).get(id, applicationId) as
        | ApiKeyRow
        | undefined;
      return row && toApiKey(row);
    });
  }

  touch(id: string, at: number): void {
    // Best effort, at most once a minute per key: a read-mostly API should not write per request.
    this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)').run(at, id, at - 60);
  }
}
