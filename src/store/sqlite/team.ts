// TeamStore on SQLite: the dashboard's members, sessions, TOTP state and recovery codes,
// invitations, the organization's settings and the activity log (migration 12). Secrets arrive
// here already hashed (passwords, session and invitation tokens, recovery codes) except the
// TOTP key, which is a signing key and is read only through credentials(). Times come from
// the caller, so the service's clock rules everywhere.
import type {
  Activity,
  Invitation,
  NewActivity,
  NewInvitation,
  NewUser,
  OrganizationPatch,
  OrganizationSettings,
  Session,
  TeamMember,
  TeamRole,
  TeamStore,
  User,
  UserCredentials,
} from '../store.js';
import type { Db } from './database.js';
import type { Write } from './writer.js';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: TeamRole;
  totp_enabled: number;
  created_at: number;
  updated_at: number;
  last_sign_in_at: number | null;
}

interface SessionRow {
  id: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  mfa_passed: number;
  must_enrol: number;
  csrf_token: string;
}

interface InvitationRow {
  id: string;
  email: string;
  name: string;
  role: TeamRole;
  invited_by: string | null;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
}

interface ActivityRow {
  id: number;
  at: number;
  actor_type: Activity['actorType'];
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  detail: string;
}

interface OrganizationRow {
  id: string;
  name: string;
  contact_email: string | null;
  require_mfa: number;
  system_account_email: string | null;
  created_at: number;
  updated_at: number;
}

// Never SELECT * from users: the password hash and the TOTP key stay out of every User.
const USER_COLUMNS = 'id, email, name, role, totp_enabled, created_at, updated_at, last_sign_in_at';
const INVITATION_COLUMNS = 'id, email, name, role, invited_by, created_at, expires_at, accepted_at';

const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  mfaEnabled: r.totp_enabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastSignInAt: r.last_sign_in_at,
});

const toSession = (r: SessionRow): Session => ({
  id: r.id,
  userId: r.user_id,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  mfaPassed: r.mfa_passed === 1,
  mustEnrol: r.must_enrol === 1,
  csrfToken: r.csrf_token,
});

const toInvitation = (r: InvitationRow): Invitation => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  invitedBy: r.invited_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  acceptedAt: r.accepted_at,
});

const toActivity = (r: ActivityRow): Activity => ({
  id: r.id,
  at: r.at,
  actorType: r.actor_type,
  actorId: r.actor_id,
  actorLabel: r.actor_label,
  action: r.action,
  objectType: r.object_type,
  objectId: r.object_id,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});

const toOrganization = (r: OrganizationRow): OrganizationSettings => ({
  id: r.id,
  name: r.name,
  contactEmail: r.contact_email,
  requireMfa: r.require_mfa === 1,
  systemAccountEmail: r.system_account_email,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class SqliteTeam implements TeamStore {
  constructor(
    private readonly db: Db,
    private readonly write: Write,
  ) {}

  // ---- organization ----

  organization(): OrganizationSettings {
    const row = this.db.prepare('SELECT * FROM organization').get() as OrganizationRow | undefined;
    // The services create it at start (ApplicationService.bootstrap).
    if (!row) throw new Error('the organization does not exist yet');
    return toOrganization(row);
  }

  updateOrganization(patch: OrganizationPatch, at: number): OrganizationSettings {
    return this.write(() => {
      const current = this.organization();
      this.db
        .prepare('UPDATE organization SET name = ?, contact_email = ?, require_mfa = ?, system_account_email = ?, updated_at = ? WHERE id = ?')
        .run(
          patch.name ?? current.name,
          patch.contactEmail === undefined ? current.contactEmail : patch.contactEmail,
          (patch.requireMfa ?? current.requireMfa) ? 1 : 0,
          patch.systemAccountEmail === undefined ? current.systemAccountEmail : patch.systemAccountEmail,
          at,
          current.id,
        );
      return this.organization();
    });
  }

  // ---- members ----

  countUsers(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  createUser(u: NewUser): User {
    return this.write(() => {
      this.db
        .prepare('INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(u.id, u.email, u.name, u.passwordHash, u.role, u.createdAt, u.createdAt);
      return this.getUser(u.id)!;
    });
  }

  listUsers(now: number, idleSince: number): TeamMember[] {
    const rows = this.db
      .prepare(
        `SELECT ${USER_COLUMNS}, EXISTS (
           SELECT 1 FROM sessions s WHERE s.user_id = users.id AND s.mfa_passed = 1 AND s.expires_at > ? AND s.last_seen_at > ?
         ) AS signed_in
         FROM users ORDER BY created_at, rowid`,
      )
      .all(now, idleSince) as (UserRow & { signed_in: number })[];
    return rows.map((r) => ({ ...toUser(r), signedIn: r.signed_in === 1 }));
  }

  getUser(id: string): User | undefined {
    const row = this.db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  findUserByEmail(email: string): User | undefined {
    const row = this.db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE email = ?`).get(email) as UserRow | undefined;
    return row && toUser(row);
  }

  credentials(userId: string): UserCredentials | undefined {
    const row = this.db
      .prepare('SELECT password_hash, totp_secret, totp_enabled, totp_last_step FROM users WHERE id = ?')
      .get(userId) as { password_hash: string; totp_secret: string | null; totp_enabled: number; totp_last_step: number | null } | undefined;
    return (
      row && {
        passwordHash: row.password_hash,
        totpSecret: row.totp_secret,
        totpEnabled: row.totp_enabled === 1,
        totpLastStep: row.totp_last_step,
      }
    );
  }

  updateUser(id: string, patch: { name?: string; passwordHash?: string }, at: number): User | undefined {
    return this.write(() => {
      this.db
        .prepare('UPDATE users SET name = COALESCE(?, name), password_hash = COALESCE(?, password_hash), updated_at = ? WHERE id = ?')
        .run(patch.name ?? null, patch.passwordHash ?? null, at, id);
      return this.getUser(id);
    });
  }

  recordSignIn(id: string, at: number): void {
    this.write(() => {
      this.db.prepare('UPDATE users SET last_sign_in_at = ? WHERE id = ?').run(at, id);
    });
  }

  /** Whether the member is the only admin: read inside the caller's write transaction. */
  private isLastAdmin(user: User): boolean {
    if (user.role !== 'admin') return false;
    const others = this.db.prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND id <> ?").get(user.id) as { n: number };
    return others.n === 0;
  }

  setRole(id: string, role: TeamRole, at: number): User | 'not_found' | 'last_admin' {
    return this.write(() => {
      const user = this.getUser(id);
      if (!user) return 'not_found';
      if (user.role === role) return user;
      if (role !== 'admin' && this.isLastAdmin(user)) return 'last_admin';
      this.db.prepare('UPDATE users SET role = ?, updated_at = ? WHERE id = ?').run(role, at, id);
      return this.getUser(id)!;
    });
  }

  deleteUser(id: string): User | 'not_found' | 'last_admin' {
    return this.write(() => {
      const user = this.getUser(id);
      if (!user) return 'not_found';
      if (this.isLastAdmin(user)) return 'last_admin';
      // Sessions and recovery codes go with the row (ON DELETE CASCADE).
      this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
      return user;
    });
  }

  // ---- TOTP and recovery codes ----

  setPendingTotp(userId: string, secret: string, at: number): boolean {
    return this.write(
      () =>
        this.db
          .prepare('UPDATE users SET totp_secret = ?, totp_last_step = NULL, updated_at = ? WHERE id = ? AND totp_enabled = 0')
          .run(secret, at, userId).changes > 0,
    );
  }

  enableTotp(userId: string, step: number, recoveryCodeHashes: readonly string[], at: number): boolean {
    return this.write(() => {
      const changed = this.db
        .prepare('UPDATE users SET totp_enabled = 1, totp_last_step = ?, updated_at = ? WHERE id = ? AND totp_enabled = 0 AND totp_secret IS NOT NULL')
        .run(step, at, userId).changes;
      if (changed === 0) return false;
      this.db.prepare('DELETE FROM user_recovery_codes WHERE user_id = ?').run(userId);
      const insert = this.db.prepare('INSERT INTO user_recovery_codes (user_id, code_hash) VALUES (?, ?)');
      for (const hash of recoveryCodeHashes) insert.run(userId, hash);
      return true;
    });
  }

  disableTotp(userId: string, at: number): boolean {
    return this.write(() => {
      const changed = this.db
        .prepare('UPDATE users SET totp_secret = NULL, totp_enabled = 0, totp_last_step = NULL, updated_at = ? WHERE id = ?')
        .run(at, userId).changes;
      this.db.prepare('DELETE FROM user_recovery_codes WHERE user_id = ?').run(userId);
      return changed > 0;
    });
  }

  advanceTotpStep(userId: string, step: number): boolean {
    // Compare and set in one statement: of two requests racing with one code, one wins.
    return this.write(
      () =>
        this.db
          .prepare('UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_enabled = 1 AND (totp_last_step IS NULL OR totp_last_step < ?)')
          .run(step, userId, step).changes > 0,
    );
  }

  useRecoveryCode(userId: string, codeHash: string, at: number): boolean {
    return this.write(
      () =>
        this.db
          .prepare('UPDATE user_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL')
          .run(at, userId, codeHash).changes > 0,
    );
  }

  recoveryCodesLeft(userId: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM user_recovery_codes WHERE user_id = ? AND used_at IS NULL').get(userId) as { n: number }).n;
  }

  // ---- sessions ----

  createSession(s: Session): Session {
    return this.write(() => {
      this.db
        .prepare(
          `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, mfa_passed, must_enrol, csrf_token)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.id, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt, s.mfaPassed ? 1 : 0, s.mustEnrol ? 1 : 0, s.csrfToken);
      return this.getSession(s.id)!;
    });
  }

  getSession(id: string): Session | undefined {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    return row && toSession(row);
  }

  touchSession(id: string, at: number): void {
    this.write(() => {
      this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?').run(at, id, at);
    });
  }

  clearMustEnrol(userId: string): void {
    this.write(() => {
      this.db.prepare('UPDATE sessions SET must_enrol = 0 WHERE user_id = ? AND must_enrol = 1').run(userId);
    });
  }

  deleteSession(id: string): boolean {
    return this.write(() => this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id).changes > 0);
  }

  deleteUserSessions(userId: string, exceptId?: string): number {
    return this.write(() => this.db.prepare('DELETE FROM sessions WHERE user_id = ? AND id <> ?').run(userId, exceptId ?? '').changes);
  }

  pruneSessions(now: number, idleBefore: number): number {
    return this.write(() => this.db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?').run(now, idleBefore).changes);
  }

  // ---- invitations ----

  createInvitation(i: NewInvitation): Invitation {
    return this.write(() => {
      // One live link per address: inviting again replaces what was sent before.
      this.db.prepare('DELETE FROM invitations WHERE email = ? AND accepted_at IS NULL').run(i.email);
      this.db
        .prepare(
          `INSERT INTO invitations (id, email, name, role, token_hash, invited_by, created_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(i.id, i.email, i.name, i.role, i.tokenHash, i.invitedBy, i.createdAt, i.expiresAt);
      return this.getInvitation(i.id)!;
    });
  }

  listInvitations(): Invitation[] {
    const rows = this.db
      .prepare(`SELECT ${INVITATION_COLUMNS} FROM invitations WHERE accepted_at IS NULL ORDER BY created_at DESC, rowid DESC`)
      .all() as InvitationRow[];
    return rows.map(toInvitation);
  }

  getInvitation(id: string): Invitation | undefined {
    const row = this.db.prepare(`SELECT ${INVITATION_COLUMNS} FROM invitations WHERE id = ?`).get(id) as InvitationRow | undefined;
    return row && toInvitation(row);
  }

  findInvitationByTokenHash(tokenHash: string): Invitation | undefined {
    const row = this.db.prepare(`SELECT ${INVITATION_COLUMNS} FROM invitations WHERE token_hash = ?`).get(tokenHash) as InvitationRow | undefined;
    return row && toInvitation(row);
  }

  renewInvitation(id: string, tokenHash: string, at: number, expiresAt: number): Invitation | undefined {
    return this.write(() => {
      const changed = this.db
        .prepare('UPDATE invitations SET token_hash = ?, created_at = ?, expires_at = ? WHERE id = ? AND accepted_at IS NULL')
        .run(tokenHash, at, expiresAt, id).changes;
      return changed > 0 ? this.getInvitation(id) : undefined;
    });
  }

  deleteInvitation(id: string): boolean {
    return this.write(() => this.db.prepare('DELETE FROM invitations WHERE id = ? AND accepted_at IS NULL').run(id).changes > 0);
  }

  acceptInvitation(id: string, tokenHash: string, user: NewUser): User | 'gone' {
    return this.write(() => {
      // Taken only if still open, still carrying this token and not expired: a link is used once.
      const taken = this.db
        .prepare('UPDATE invitations SET accepted_at = ? WHERE id = ? AND token_hash = ? AND accepted_at IS NULL AND expires_at > ?')
        .run(user.createdAt, id, tokenHash, user.createdAt).changes;
      if (taken === 0) return 'gone';
      // A taken email throws, and the whole transaction — the acceptance too — is undone.
      return this.createUser(user);
    });
  }

  // ---- activity log ----

  recordActivity(a: NewActivity): Activity {
    return this.write(() => {
      const result = this.db
        .prepare(
          `INSERT INTO activity_log (at, actor_type, actor_id, actor_label, action, object_type, object_id, detail)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(a.at, a.actorType, a.actorId, a.actorLabel, a.action, a.objectType, a.objectId, JSON.stringify(a.detail));
      return { ...a, id: Number(result.lastInsertRowid) };
    });
  }

  listActivity(limit: number, beforeId: number | null): Activity[] {
    const rows = this.db
      .prepare('SELECT * FROM activity_log WHERE id < ? ORDER BY id DESC LIMIT ?')
      .all(beforeId ?? Number.MAX_SAFE_INTEGER, limit) as ActivityRow[];
    return rows.map(toActivity);
  }
}
