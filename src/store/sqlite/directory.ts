// DirectoryStore on SQLite: organization, applications, domains, workspaces, accounts.
import { ConflictError, NotFoundError } from '../../errors.js';
import type { DirectoryStore, Page } from '../store.js';
import type {
  Account,
  AccountPatch,
  Application,
  DkimKey,
  Domain,
  NewAccount,
  NewDomain,
  NewFolder,
  NewWorkspace,
  Organization,
  RecordCheck,
  Workspace,
  WorkspacePatch,
} from '../types.js';
import type { Db } from './database.js';
import { createFolder } from './folders.js';
import { releaseBodies } from './bodies.js';
import {
  type AccountRow,
  type ApplicationRow,
  type DomainRow,
  type OrganizationRow,
  type RecordCheckRow,
  type WorkspaceRow,
  DOMAIN_COLUMNS,
  accountSnapshot,
  toAccount,
  toApplication,
  toDomain,
  toOrganization,
  toRecordCheck,
  toWorkspace,
} from './rows.js';
import { type Emit, type Write, nowSeconds } from './writer.js';

export class SqliteDirectory implements DirectoryStore {
  constructor(
    private readonly db: Db,
    private readonly write: Write,
  ) {}

  // ---- organization and applications ----

  ensureOrganization(defaults: Omit<Organization, 'createdAt' | 'updatedAt'>): Organization {
    const existing = this.db.prepare('SELECT * FROM organization').get() as OrganizationRow | undefined;
    if (existing) return toOrganization(existing);
    return this.write(() => {
      const now = nowSeconds();
      this.db
        .prepare(
          `INSERT INTO organization (id, name, contact_email, require_mfa, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (singleton) DO NOTHING`,
        )
        .run(defaults.id, defaults.name, defaults.contactEmail, defaults.requireMfa ? 1 : 0, now, now);
      return toOrganization(this.db.prepare('SELECT * FROM organization').get() as OrganizationRow);
    });
  }

  listApplications(): Application[] {
    const rows = this.db.prepare('SELECT * FROM applications ORDER BY is_default DESC, rowid').all();
    return (rows as ApplicationRow[]).map(toApplication);
  }

  getApplication(id: string): Application | undefined {
    const row = this.db.prepare('SELECT * FROM applications WHERE id = ?').get(id) as ApplicationRow | undefined;
    return row && toApplication(row);
  }

  findApplicationByName(name: string): Application | undefined {
    const row = this.db.prepare('SELECT * FROM applications WHERE name = ?').get(name) as ApplicationRow | undefined;
    return row && toApplication(row);
  }

  createApplication(app: Omit<Application, 'createdAt' | 'updatedAt'>, defaultWorkspace: NewWorkspace): Application {
    return this.write(() => {
      const now = nowSeconds();
      this.db
        .prepare('INSERT INTO applications (id, name, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(app.id, app.name, app.isDefault ? 1 : 0, now, now);
      this.insertWorkspace(defaultWorkspace, now);
      return this.getApplication(app.id)!;
    });
  }

  deleteApplication(id: string): { accounts: number } {
    return this.write((emit) => {
      const accounts = this.db.prepare('SELECT * FROM accounts WHERE application_id = ?').all(id) as AccountRow[];
      for (const row of accounts) this.purgeAccount(toAccount(row), emit);
      const result = this.db.prepare('DELETE FROM applications WHERE id = ?').run(id);
      if (result.changes === 0) throw new NotFoundError(`application ${id} not found`);
      return { accounts: accounts.length };
    });
  }

  // ---- domains ----

  createDomain(domain: NewDomain): Domain {
    return this.write(() => {
      const now = nowSeconds();
      this.db
        .prepare(
          `INSERT INTO domains (id, name, dkim_selector, dkim_private_key, dkim_public_key, ownership_token, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          domain.id,
          domain.name,
          domain.dkimSelector,
          domain.dkimPrivateKeyPem,
          domain.dkimPublicKey,
          domain.ownershipToken,
          now,
          now,
        );
      return this.getDomain(domain.id)!;
    });
  }

  listDomains(): Domain[] {
    return (this.db.prepare(`SELECT ${DOMAIN_COLUMNS} FROM domains ORDER BY name`).all() as DomainRow[]).map(toDomain);
  }

  getDomain(id: string): Domain | undefined {
    const row = this.db.prepare(`SELECT ${DOMAIN_COLUMNS} FROM domains WHERE id = ?`).get(id) as DomainRow | undefined;
    return row && toDomain(row);
  }

  findDomainByName(name: string): Domain | undefined {
    const row = this.db.prepare(`SELECT ${DOMAIN_COLUMNS} FROM domains WHERE name = ?`).get(name) as DomainRow | undefined;
    return row && toDomain(row);
  }

  dkimKey(domainName: string): DkimKey | undefined {
    const row = this.db.prepare('SELECT name, dkim_selector, dkim_private_key FROM domains WHERE name = ?').get(domainName) as
      | { name: string; dkim_selector: string; dkim_private_key: string }
      | undefined;
    return row && { domain: row.name, selector: row.dkim_selector, privateKeyPem: row.dkim_private_key };
  }

  saveRecordChecks(domainId: string, checks: RecordCheck[]): void {
    this.write(() => {
      const upsert = this.db.prepare(
        `INSERT INTO domain_record_checks (domain_id, record, status, reason, checked_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (domain_id, record) DO UPDATE SET status = excluded.status, reason = excluded.reason, checked_at = excluded.checked_at`,
      );
      for (const c of checks) upsert.run(domainId, c.record, c.status, c.reason, c.checkedAt);
      this.db.prepare('UPDATE domains SET updated_at = ? WHERE id = ?').run(nowSeconds(), domainId);
    });
  }

  recordChecks(domainId: string): RecordCheck[] {
    const rows = this.db
      .prepare('SELECT record, status, reason, checked_at FROM domain_record_checks WHERE domain_id = ?')
      .all(domainId) as RecordCheckRow[];
    return rows.map(toRecordCheck);
  }

  countAccountsOnDomain(domainId: string): number {
    return this.count('SELECT COUNT(*) AS n FROM accounts WHERE domain_id = ?', domainId);
  }

  deleteDomain(id: string): { accounts: number } {
    return this.write((emit) => {
      const accounts = this.db.prepare('SELECT * FROM accounts WHERE domain_id = ?').all(id) as AccountRow[];
      for (const row of accounts) this.purgeAccount(toAccount(row), emit);
      const result = this.db.prepare('DELETE FROM domains WHERE id = ?').run(id);
      if (result.changes === 0) throw new NotFoundError(`domain ${id} not found`);
      return { accounts: accounts.length };
    });
  }

  // ---- workspaces ----

  createWorkspace(workspace: NewWorkspace): Workspace {
    return this.write(() => {
      this.insertWorkspace(workspace, nowSeconds());
      return this.getWorkspace(workspace.id)!;
    });
  }

  listWorkspaces(applicationId: string): Workspace[] {
    const rows = this.db
      .prepare('SELECT * FROM workspaces WHERE application_id = ? ORDER BY is_default DESC, rowid')
      .all(applicationId) as WorkspaceRow[];
    return rows.map(toWorkspace);
  }

  getWorkspace(id: string): Workspace | undefined {
    const row = this.db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined;
    return row && toWorkspace(row);
  }

  findWorkspaceByName(applicationId: string, name: string): Workspace | undefined {
    const row = this.db
      .prepare('SELECT * FROM workspaces WHERE application_id = ? AND name = ?')
      .get(applicationId, name) as WorkspaceRow | undefined;
    return row && toWorkspace(row);
  }

  defaultWorkspace(applicationId: string): Workspace {
    const row = this.db
      .prepare('SELECT * FROM workspaces WHERE application_id = ? AND is_default = 1')
      .get(applicationId) as WorkspaceRow | undefined;
    if (!row) throw new NotFoundError(`application ${applicationId} has no default workspace`);
    return toWorkspace(row);
  }

  autoGroupWorkspace(applicationId: string, domain: string): Workspace | undefined {
    const row = this.db
      .prepare('SELECT * FROM workspaces WHERE application_id = ? AND auto_group = 1 AND domain = ?')
      .get(applicationId, domain) as WorkspaceRow | undefined;
    return row && toWorkspace(row);
  }

  countAccountsInWorkspace(workspaceId: string): number {
    return this.count('SELECT COUNT(*) AS n FROM accounts WHERE workspace_id = ?', workspaceId);
  }

  deleteWorkspace(id: string): { moved: number } {
    return this.write((emit) => {
      const workspace = this.getWorkspace(id);
      if (!workspace) throw new NotFoundError(`workspace ${id} not found`);
      if (workspace.isDefault) throw new ConflictError('the default workspace cannot be deleted');
      const target = this.defaultWorkspace(workspace.applicationId);
      const members = this.db.prepare('SELECT * FROM accounts WHERE workspace_id = ?').all(id) as AccountRow[];
      const now = nowSeconds();
      const move = this.db.prepare('UPDATE accounts SET workspace_id = ?, updated_at = ? WHERE id = ?');
      for (const row of members) {
        move.run(target.id, now, row.id);
        const moved = toAccount({ ...row, workspace_id: target.id, updated_at: now });
        emit({ type: 'grant.updated', applicationId: row.application_id, accountId: row.id, passwordChanged: false }, accountSnapshot(moved));
      }
      this.db.prepare('DELETE FROM workspaces WHERE id = ?').run(id);
      return { moved: members.length };
    });
  }

  // ---- accounts ----

  createAccount(account: NewAccount, folders: NewFolder[]): Account {
    return this.write((emit) => {
      const now = nowSeconds();
      this.db
        .prepare(
          `INSERT INTO accounts (id, application_id, workspace_id, domain_id, email, name, password_hash, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          account.id,
          account.applicationId,
          account.workspaceId,
          account.domainId,
          account.email,
          account.name,
          account.passwordHash,
          now,
          now,
        );
      for (const folder of folders) createFolder(this.db, account.id, folder, now);
      const created = this.getAccount(account.id)!;
      emit({ type: 'grant.created', applicationId: created.applicationId, accountId: created.id }, accountSnapshot(created));
      return created;
    });
  }

  listAccounts(applicationId: string, page: Page = { limit: -1, offset: 0 }): Account[] {
    const rows = this.db
      .prepare('SELECT * FROM accounts WHERE application_id = ? ORDER BY rowid LIMIT ? OFFSET ?')
      .all(applicationId, page.limit, page.offset) as AccountRow[];
    return rows.map(toAccount);
  }

  countAccounts(applicationId: string): number {
    return this.count('SELECT COUNT(*) AS n FROM accounts WHERE application_id = ?', applicationId);
  }

  searchAccounts(applicationId: string, text: string, page: Page = { limit: -1, offset: 0 }): Account[] {
    const like = likePattern(text);
    const rows = this.db
      .prepare(
        `SELECT * FROM accounts WHERE application_id = ? AND (email LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')
         ORDER BY rowid LIMIT ? OFFSET ?`,
      )
      .all(applicationId, like, like, page.limit, page.offset) as AccountRow[];
    return rows.map(toAccount);
  }

  countAccountsMatching(applicationId: string, text: string): number {
    const like = likePattern(text);
    return this.count(
      `SELECT COUNT(*) AS n FROM accounts WHERE application_id = ? AND (email LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')`,
      applicationId,
      like,
      like,
    );
  }

  getAccount(id: string): Account | undefined {
    const row = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    return row && toAccount(row);
  }

  findAccountByEmail(email: string): Account | undefined {
    const row = this.db.prepare('SELECT * FROM accounts WHERE email = ?').get(email) as AccountRow | undefined;
    return row && toAccount(row);
  }

  updateAccount(id: string, patch: AccountPatch): Account {
    return this.write((emit) => {
      const before = this.getAccount(id);
      if (!before) throw new NotFoundError(`account ${id} not found`);
      const after: Account = {
        ...before,
        name: patch.name !== undefined ? patch.name : before.name,
        passwordHash: patch.passwordHash !== undefined ? patch.passwordHash : before.passwordHash,
        workspaceId: patch.workspaceId ?? before.workspaceId,
        updatedAt: nowSeconds(),
      };
      this.db
        .prepare('UPDATE accounts SET name = ?, password_hash = ?, workspace_id = ?, updated_at = ? WHERE id = ?')
        .run(after.name, after.passwordHash, after.workspaceId, after.updatedAt, id);
      const passwordChanged = patch.passwordHash !== undefined;
      emit(
        { type: 'grant.updated', applicationId: after.applicationId, accountId: id, passwordChanged },
        { ...accountSnapshot(after), password_changed: passwordChanged },
      );
      return after;
    });
  }

  deleteAccount(id: string): boolean {
    return this.write((emit) => {
      const account = this.getAccount(id);
      if (!account) return false;
      this.purgeAccount(account, emit);
      return true;
    });
  }

  updateWorkspace(id: string, patch: WorkspacePatch): Workspace {
    return this.write(() => {
      const current = this.getWorkspace(id);
      if (!current) throw new NotFoundError(`workspace ${id} not found`);
      const next = { ...current, ...patch };
      this.db
        .prepare('UPDATE workspaces SET name = ?, policy_id = ?, rule_ids = ?, auto_group = ?, updated_at = ? WHERE id = ?')
        .run(next.name, next.policyId, JSON.stringify(next.ruleIds), next.autoGroup ? 1 : 0, nowSeconds(), id);
      return this.getWorkspace(id)!;
    });
  }

  // ---- helpers (run inside a write) ----

  private insertWorkspace(w: NewWorkspace, now: number): void {
    this.db
      .prepare(
        `INSERT INTO workspaces (id, application_id, name, domain, auto_group, is_default, policy_id, rule_ids, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(w.id, w.applicationId, w.name, w.domain, w.autoGroup ? 1 : 0, w.isDefault ? 1 : 0, w.policyId, JSON.stringify(w.ruleIds), now, now);
  }

  /** Deletes an account, its folders and messages, and the bodies nothing else refers to. */
  private purgeAccount(account: Account, emit: Emit): void {
    const bodyIds = this.db
      .prepare('SELECT DISTINCT body_id AS id FROM messages WHERE account_id = ?')
      .all(account.id)
      .map((r) => (r as { id: number }).id);
    this.db.prepare('DELETE FROM accounts WHERE id = ?').run(account.id);
    releaseBodies(this.db, bodyIds);
    emit({ type: 'grant.deleted', applicationId: account.applicationId, accountId: account.id }, accountSnapshot(account));
  }

  private count(sql: string, ...params: unknown[]): number {
    return (this.db.prepare(sql).get(...params) as { n: number }).n;
  }
}

/** `%text%` for LIKE, with the text's own %, _ and \ matched literally (ESCAPE '\'). */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
