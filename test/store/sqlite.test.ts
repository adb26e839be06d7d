import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/errors.js';
import { ChangeBus } from '../../src/store/changes.js';
import { openStore } from '../../src/store/open.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/migrations.js';
import type { Change } from '../../src/store/types.js';
import { createLogger } from '../../src/log.js';
import { searchFields } from '../../src/mail/search-fields.js';
import { backfillSearchText } from '../../src/maintenance/search-text.js';
import { GOOD_PASSWORD, openWorld } from '../helpers/services.js';
import { tempDir } from '../helpers/tmp.js';

/** SQL that takes a database back below each migration after 6 (for tests of older upgrades). */
const UNDO: Record<number, string> = {
  13: `DROP INDEX messages_search_headers;`,
  12: `ALTER TABLE organization DROP COLUMN system_account_email; DROP TABLE activity_log; DROP TABLE invitations; DROP TABLE sessions; DROP TABLE user_recovery_codes; DROP TABLE users;`,
  11: `DROP INDEX messages_account_date; CREATE INDEX messages_account_date ON messages (account_id, internal_date, id); DROP TABLE not_junk_senders; DROP TABLE daily_counts; DROP TABLE rule_evaluations; DROP TABLE list_items; DROP TABLE lists; DROP TABLE rules; DROP TABLE policies;`,
  10: `DROP INDEX bodies_base; ALTER TABLE bodies DROP COLUMN base_id; DROP INDEX messages_search_pending; DROP INDEX messages_keywords; DROP INDEX expunged_modseq; CREATE INDEX messages_account ON messages (account_id);
      ALTER TABLE messages DROP COLUMN search_from; ALTER TABLE messages DROP COLUMN search_to; ALTER TABLE messages DROP COLUMN search_cc;
      ALTER TABLE messages DROP COLUMN search_bcc; ALTER TABLE messages DROP COLUMN search_subject; ALTER TABLE messages DROP COLUMN sent_day;`,
  9: `DROP TABLE webhook_deliveries; DROP TABLE webhooks; DELETE FROM counters WHERE name = 'webhooks.cursor'; DROP INDEX events_created;`,
  8: `DROP INDEX messages_public_id; DROP INDEX messages_message_id; DROP INDEX messages_thread; DROP INDEX messages_account_date; DROP INDEX messages_folder_date;
      ALTER TABLE messages DROP COLUMN public_id; ALTER TABLE messages DROP COLUMN thread_id; ALTER TABLE messages DROP COLUMN message_id;`,
  7: `DROP TABLE api_keys;`,
};

/** Undoes the migrations above `version` that UNDO knows, newest first. */
function undoAbove(db: Database.Database, version: number): void {
  for (const v of Object.keys(UNDO).map(Number).sort((a, b) => b - a)) {
    if (v > version && v <= SCHEMA_VERSION) db.exec(UNDO[v]!);
  }
  db.exec(`DELETE FROM schema_migrations WHERE version > ${version}; PRAGMA user_version = ${version};`);
}

async function withAccount() {
  const w = openWorld();
  await w.services.domains.add('agents.example.com');
  const account = await w.services.accounts.create(w.appId, { email: 'sales@agents.example.com', appPassword: GOOD_PASSWORD });
  const inbox = w.store.mail.getMailbox(account.id, 'INBOX')!;
  return { ...w, account, inbox };
}

describe('sqlite store: opening', () => {
  it('creates the database with WAL, full fsync, foreign keys and the current schema', () => {
    const dir = tempDir();
    openStore(dir).close();
    const db = new Database(join(dir, 'wicket.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining(['domains', 'workspaces', 'accounts', 'folders', 'messages', 'bodies', 'expunged', 'outbound_queue', 'events', 'subscriptions', 'policies', 'rules', 'lists', 'list_items', 'rule_evaluations', 'daily_counts', 'users', 'user_recovery_codes', 'sessions', 'invitations', 'activity_log']),
    );
    const migrations = db.prepare('SELECT version FROM schema_migrations').all();
    expect(migrations).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }, { version: 5 }, { version: 6 }, { version: 7 }, { version: 8 }, { version: 9 }, { version: 10 }, { version: 11 }, { version: 12 }, { version: 13 }]);
    db.close();
    // Connection settings are per connection: check them on the store's own.
    const store = openStore(dir);
    const conn = (store as unknown as { directory: { db: Database.Database } }).directory.db;
    expect(conn.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(conn.pragma('synchronous', { simple: true })).toBe(2); // FULL
    store.close();
    // The server's store commits in groups: NORMAL, and it syncs the WAL itself (group-sync.ts).
    const server = openStore(dir, new ChangeBus(), { groupCommit: true });
    const serverConn = (server as unknown as { directory: { db: Database.Database } }).directory.db;
    expect(serverConn.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    server.close();
  });

  it('opens an existing database again without re-running migrations', () => {
    const dir = tempDir();
    openStore(dir).close();
    const store = openStore(dir);
    expect(store.stats().schemaVersion).toBe(SCHEMA_VERSION);
    store.close();
  });

  it('migration 5 moves subscriptions out of the folders table, keeping who was subscribed to what', async () => {
    const { dir, store, account } = await withAccount();
    store.close();
    // Put the database back the way version 4 kept it: a flag per folder, Junk unsubscribed.
    const db = new Database(join(dir, 'wicket.db'));
    undoAbove(db, 6);
    db.exec(`DROP TABLE subscriptions;
      ALTER TABLE folders ADD COLUMN subscribed INTEGER NOT NULL DEFAULT 1;
      UPDATE folders SET subscribed = 0 WHERE name = 'Junk';
      DROP INDEX messages_recent;
      DROP INDEX messages_unseen;
      DELETE FROM schema_migrations WHERE version >= 5;
      PRAGMA user_version = 4;`);
    db.close();
    const reopened = openStore(dir);
    const subscribed = reopened.mail.listMailboxes(account.id).filter((f) => f.subscribed).map((f) => f.name);
    expect(subscribed).toEqual(['Archive', 'Drafts', 'INBOX', 'Sent', 'Trash']);
    expect(reopened.mail.listSubscriptions(account.id)).toEqual(['Archive', 'Drafts', 'INBOX', 'Sent', 'Trash']);
    reopened.close();
  });

  it('migration 8 gives stored messages an API id and a thread (shared by one Message-ID)', async () => {
    const { dir, store, account, inbox } = await withAccount();
    const summary = (messageId: string | null) => ({ subject: 's', from: [], to: [], cc: [], messageId, date: null });
    for (const id of ['<a@x>', '<a@x>', '<b@x>', null]) {
      store.mail.appendMessage(account.id, inbox.id, { raw: Buffer.from('Subject: s\r\n\r\n'), summary: summary(id) });
    }
    store.close();
    const db = new Database(join(dir, 'wicket.db'));
    undoAbove(db, 7);
    db.close();
    const reopened = openStore(dir);
    const messages = reopened.mail.listMessages(inbox.id);
    expect(messages.every((m) => /^[0-9a-f]{16}$/.test(m.publicId) && /^[0-9a-f]{16}$/.test(m.threadId))).toBe(true);
    expect(new Set(messages.map((m) => m.publicId)).size).toBe(4);
    expect(messages[0]!.threadId).toBe(messages[1]!.threadId);
    expect(new Set(messages.map((m) => m.threadId)).size).toBe(3);
    reopened.close();
  });

  it('migration 10 leaves older messages without search text, which SEARCH reads until the backfill fills it', async () => {
    const { dir, store, account, inbox } = await withAccount();
    for (const subject of ['Quarterly report', 'Lunch', 'RE: quarterly REPORT']) {
      const raw = Buffer.from(`Subject: ${subject}\r\nDate: 1 Feb 2024 10:00 +0000\r\n\r\nx`);
      store.mail.appendMessage(account.id, inbox.id, { raw, search: searchFields(raw) });
    }
    store.close();
    const db = new Database(join(dir, 'wicket.db'));
    undoAbove(db, 9);
    db.close();
    const reopened = openStore(dir);
    const filter = { op: 'header', field: 'subject', text: 'report' } as const;
    expect(reopened.mail.searchFolder(inbox.id, filter, 100, false)).toEqual({ uids: [], highestModseq: 0, unjudged: [1, 2, 3] });
    // A search that needs no header text judges them all at once.
    expect(reopened.mail.searchFolder(inbox.id, { op: 'flag', flag: '\\Seen', present: false }, 100, false).uids).toEqual([1, 2, 3]);
    const stop = backfillSearchText(reopened, createLogger('silent'));
    for (let i = 0; i < 20 && reopened.mail.messagesWithoutSearchText(1).length > 0; i++) await new Promise((r) => setImmediate(r));
    stop();
    expect(reopened.mail.searchFolder(inbox.id, filter, 100, false)).toEqual({ uids: [1, 3], highestModseq: 0, unjudged: [] });
    reopened.close();
  });

  it('refuses a database written by a newer Wicket', () => {
    const dir = tempDir();
    openStore(dir).close();
    const db = new Database(join(dir, 'wicket.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore(dir)).toThrow(/newer than this Wicket understands/);
  });

  it('says so when the database file is not SQLite', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'wicket.db'), 'this is not a database, just text that got here somehow'.repeat(100));
    expect(() => openStore(dir)).toThrow(UnavailableError);
    expect(() => openStore(dir)).toThrow(/is not a valid Wicket database/);
  });

  it('says so when the data directory is a file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'data'), 'x');
    expect(() => openStore(join(dir, 'data'))).toThrow(/is not a directory/);
  });
});

describe('sqlite store: accounts and mail', () => {
  it('provisions the six system folders with distinct UIDVALIDITY values', async () => {
    const { store, account } = await withAccount();
    const folders = store.mail.listMailboxes(account.id);
    expect(folders.map((f) => [f.name, f.specialUse]).sort()).toEqual(
      [
        ['Archive', '\\Archive'],
        ['Drafts', '\\Drafts'],
        ['INBOX', null],
        ['Junk', '\\Junk'],
        ['Sent', '\\Sent'],
        ['Trash', '\\Trash'],
      ].sort(),
    );
    expect(new Set(folders.map((f) => f.uidValidity)).size).toBe(6);
    expect(folders.every((f) => f.uidNext === 1 && f.highestModseq === 1 && f.subscribed)).toBe(true);
  });

  it('appends with ascending UIDs and MODSEQs, flags, internal date, and byte-exact bodies', async () => {
    const { store, account, inbox } = await withAccount();
    const raw = Buffer.from('From: a@example.net\r\nSubject: caf\xe9\r\n\r\nbody \x00\xff bytes\r\n', 'latin1');
    const first = store.mail.appendMessage(account.id, inbox.id, {
      raw,
      flags: ['\\Seen', '\\FLAGGED', '$Label1', '$label1', '\\Recent'],
      internalDate: new Date('2026-01-02T03:04:05.678Z'),
      summary: { subject: 'café', from: [], to: [], cc: [], messageId: null, date: null },
    });
    const second = store.mail.appendMessage(account.id, inbox.id, { raw: Buffer.from('Subject: 2\r\n\r\n') });
    expect([first.uid, second.uid]).toEqual([1, 2]);
    expect(second.modseq).toBeGreaterThan(first.modseq);
    expect(first.flags).toEqual(['\\Seen', '\\Flagged', '$Label1']);
    expect(first.internalDate).toBe(Date.parse('2026-01-02T03:04:05.678Z'));
    expect(first.size).toBe(raw.length);
    expect(first.recent).toBe(true);
    expect(store.mail.readMessage(first.id)!.equals(raw)).toBe(true);
    const folder = store.mail.getMailbox(account.id, 'INBOX')!;
    expect(folder.uidNext).toBe(3);
    expect(folder.highestModseq).toBe(second.modseq);
    expect(store.mail.listMessages(inbox.id).map((m) => m.uid)).toEqual([1, 2]);
  });

  it('refuses to append to another account’s folder', async () => {
    const { store, services, appId, inbox } = await withAccount();
    const other = await services.accounts.create(appId, { email: 'other@agents.example.com' });
    expect(() => store.mail.appendMessage(other.id, inbox.id, { raw: Buffer.from('x') })).toThrow(/not found/);
  });

  it('deleting an account removes its folders, messages and bodies', async () => {
    const { store, services, appId, account, inbox, dir } = await withAccount();
    store.mail.appendMessage(account.id, inbox.id, { raw: Buffer.from('Subject: bye\r\n\r\nsecret body text\r\n') });
    services.accounts.delete(appId, account.id);
    const db = new Database(join(dir, 'wicket.db'), { readonly: true });
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect([count('accounts'), count('folders'), count('messages'), count('bodies')]).toEqual([0, 0, 0, 0]);
    db.close();
    // The address can be created again, with a new id.
    const again = await services.accounts.create(appId, { email: 'sales@agents.example.com' });
    expect(again.id).not.toBe(account.id);
  });

  it('writes each change to the events outbox and publishes it after the commit', async () => {
    const { store, changes, account, inbox } = await withAccount();
    store.mail.appendMessage(account.id, inbox.id, { raw: Buffer.from('Subject: hi\r\n\r\n') });
    const events = store.events.listAfter(0, 100);
    expect(events.map((e) => e.type)).toEqual(['grant.created', 'message.created']);
    expect(changes.map((c) => c.type)).toEqual(['grant.created', 'message.created']);
    expect(events[0]!.object).toMatchObject({ email: 'sales@agents.example.com', has_app_password: true });
    expect(JSON.stringify(events)).not.toMatch(/\$2b\$/);
  });

  it('publishes nothing and stores nothing when a write fails', async () => {
    const dir = tempDir();
    const bus = new ChangeBus();
    const seen: Change[] = [];
    bus.subscribe((c) => seen.push(c));
    const store = openStore(dir, bus);
    try {
      expect(() =>
        store.directory.createAccount(
          { id: 'a1', applicationId: 'no-such-app', workspaceId: 'no-such-ws', domainId: 'no-such-domain', email: 'x@y.example', name: null, passwordHash: null },
          [{ name: 'INBOX', specialUse: null }],
        ),
      ).toThrow();
      expect(seen).toEqual([]);
      expect(store.events.listAfter(0, 10)).toEqual([]);
      expect(store.stats().accounts).toBe(0);
    } finally {
      store.close();
    }
  });

  it('a listener that throws neither stops the others nor undoes the write', async () => {
    const dir = tempDir();
    const errors: unknown[] = [];
    const bus = new ChangeBus((err) => errors.push(err));
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('listener bug');
    });
    bus.subscribe((c) => seen.push(c.type));
    const w = openWorld({ dir });
    w.store.close();
    const store = openStore(dir, bus);
    try {
      store.directory.ensureOrganization({ id: 'x', name: 'x', contactEmail: null, requireMfa: false });
      const app = store.directory.listApplications()[0]!;
      const domain = store.directory.createDomain({
        id: 'd', name: 'x.example', dkimSelector: 's', dkimPublicKey: 'p', dkimPrivateKeyPem: 'k', ownershipToken: 't',
      });
      store.directory.createAccount(
        { id: 'a', applicationId: app.id, workspaceId: store.directory.defaultWorkspace(app.id).id, domainId: domain.id, email: 'a@x.example', name: null, passwordHash: null },
        [],
      );
      expect(seen).toEqual(['grant.created']);
      expect(errors).toHaveLength(1);
      expect(store.directory.getAccount('a')).toBeDefined();
    } finally {
      store.close();
    }
  });
});
