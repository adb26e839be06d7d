// The dashboard's team (issue 9): members and their passwords, sign-in with throttling,
// server-side sessions, TOTP MFA with recovery codes, the organization's "require MFA" switch,
// invitations, and the activity log. The CLI (`wicket user`) and the dashboard's HTTP routes
// both call this one service; they hold no SQL and no bcrypt.
//
// Secrets — passwords, session and invitation tokens, TOTP keys, recovery codes — are handed
// back only where the caller must show them once, and never appear in an error or a log line.
// Only hashes are stored, but for the TOTP key (a signing key, see migration 12). Every time
// comes from the injected clock, so tests can walk through expiries and TOTP steps.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import bcrypt from 'bcrypt';
import { parseAddress } from '../accounts/address.js';
import { AuthThrottle } from '../accounts/auth-throttle.js';
import type { AuthThrottleSettings } from '../config.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Logger } from '../log.js';
import type {
  Activity,
  Invitation,
  OrganizationPatch,
  OrganizationSettings,
  Session,
  Store,
  TeamMember,
  TeamRole,
  User,
  UserCredentials,
} from '../store/store.js';
import { generateTotpSecret, otpauthUri, verifyTotp } from './totp.js';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;
export const RECOVERY_CODE_COUNT = 10;

/** What every failed sign-in answers: wrong password, unknown member or wrong code alike. */
export const SIGN_IN_FAILED = 'wrong email, password or code';
/** What every unusable invitation link answers: unknown, used, replaced or expired alike. */
export const INVITATION_INVALID = 'this invitation link is not valid: it was used, replaced by a newer one, or has expired';

/** Where an invitation's link points; the token is the last segment (keep it out of access logs). */
export const INVITATION_PATH = '/invite/';

const HOUR = 3600;
const DEFAULTS = {
  sessionIdleSeconds: 12 * HOUR,
  sessionMaxSeconds: 7 * 24 * HOUR,
  /** Between a right password and the TOTP code. */
  mfaPendingSeconds: 10 * 60,
  invitationSeconds: 72 * HOUR,
};
/** A session's last_seen_at is written at most this often (no write per request). */
const TOUCH_EVERY_SECONDS = 60;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const NAME_MAX = 256;
const ORGANIZATION_NAME_MAX = 100;
// Passwords are pre-hashed before bcrypt, which reads only 72 bytes: without it two long
// passwords with a common start would be one. The HMAC key only keeps these digests apart from
// plain SHA-256 digests of the same password leaked elsewhere; base64 keeps NUL bytes out.
const PREHASH_KEY = 'wicket dashboard password v1';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');

function prehash(password: string): string {
  return createHmac('sha256', PREHASH_KEY).update(password.normalize('NFKC'), 'utf8').digest('base64');
}

/** Equal strings in time that depends on neither (both are hashed to one length first). */
function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Who did something, for the activity log. */
export type Actor = { type: 'user'; id: string } | { type: 'api_key'; id: string; label?: string } | { type: 'cli' };
export const CLI_ACTOR: Actor = { type: 'cli' };

export interface ActivityObject {
  type: string;
  id?: string | null;
  /** Never a secret. */
  detail?: Record<string, unknown>;
}

/** Who changed what: team members, API keys and the CLI. */
export class ActivityLog {
  constructor(
    private readonly store: Store,
    private readonly nowSeconds: () => number,
  ) {}

  record(actor: Actor, action: string, object: ActivityObject): Activity {
    const label =
      actor.type === 'user' ? (this.store.team.getUser(actor.id)?.email ?? null) : actor.type === 'api_key' ? (actor.label ?? null) : 'cli';
    return this.store.team.recordActivity({
      at: this.nowSeconds(),
      actorType: actor.type,
      actorId: actor.type === 'cli' ? null : actor.id,
      actorLabel: label,
      action,
      objectType: object.type,
      objectId: object.id ?? null,
      detail: object.detail ?? {},
    });
  }

  /** Newest first, at most `limit` (1–500), before the entry `before` (a page boundary). */
  list(limit = 50, before: number | null = null): Activity[] {
    return this.store.team.listActivity(Math.min(Math.max(Math.trunc(limit) || 1, 1), 500), before);
  }
}

export interface TeamOptions {
  bcryptCost: number;
  throttle: AuthThrottleSettings;
  /** The clock, in milliseconds (Date.now). */
  now?: () => number;
  /** How a failed sign-in waits out its penalty (tests skip it). */
  sleep?: (ms: number) => Promise<void>;
  log?: Logger;
  /** The bcrypt comparison; replaceable so tests can watch it. */
  verify?: (prehashed: string, hash: string) => Promise<boolean>;
  sessionIdleSeconds?: number;
  sessionMaxSeconds?: number;
  mfaPendingSeconds?: number;
  invitationSeconds?: number;
}

export interface NewMemberInput {
  email: string;
  /** Default: the local part of the email. */
  name?: string;
  password: string;
  role: TeamRole;
}

/**
 * What a session may do: `mfa` only give the TOTP code (completeMfa), `enrol` only enrol
 * (beginEnrolment, confirmEnrolment, sign out), `full` anything the member's role allows.
 */
export type SessionStage = 'mfa' | 'enrol' | 'full';

export interface SignedIn {
  user: User;
  session: Session;
  stage: SessionStage;
  /** Every state-changing request must carry it (checkCsrf). */
  csrfToken: string;
}

export type SignInResult =
  | {
      ok: true;
      /** The cookie's value; only its hash is stored. */
      token: string;
      csrfToken: string;
      user: User;
      /** The password was right; the code is still to come (completeMfa with this token). */
      needsMfa: boolean;
      /** MFA is required and the member has none: they must enrol before anything else. */
      mustEnrol: boolean;
      /** The session's absolute end (Unix seconds). */
      expiresAt: number;
      /** Seconds from now to that end, by the service's clock: the cookie's Max-Age. */
      maxAgeSeconds: number;
    }
  | { ok: false; reason: 'invalid' | 'throttled' | 'expired'; message: string; retryAfterSeconds?: number };

export interface InvitationLink {
  invitation: Invitation;
  /** Shown once (mailed); only its hash is stored. */
  token: string;
  /** `/invite/<token>`: the path of the link, under the dashboard's origin. */
  path: string;
}

export type InvitationView = Invitation & { expired: boolean };

// ---- validation ----

/** The first rule a dashboard password breaks, or null; the message never repeats it. */
export function checkPassword(password: string, field = 'password'): ValidationError | null {
  const length = [...password.normalize('NFKC')].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
    return new ValidationError(field, 'length', `password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long (it has ${length})`);
  }
  if (/[\u0000-\u001f\u007f]/.test(password)) return new ValidationError(field, 'control', 'password must not contain control characters or line breaks');
  return null;
}

function checkName(name: string, field = 'name', max = NAME_MAX): string {
  const trimmed = name.trim();
  const length = [...trimmed].length;
  if (length === 0 || length > max) throw new ValidationError(field, 'length', `${field} must be 1 to ${max} characters long`);
  if (/[\u0000-\u001f\u007f-\u009f]/.test(trimmed)) throw new ValidationError(field, 'control', `${field} must not contain control characters or line breaks`);
  return trimmed;
}

function checkEmail(email: string, field = 'email'): string {
  const parsed = parseAddress(email);
  if (!parsed.ok) throw new ValidationError(field, 'syntax', `${field}: ${parsed.reason}`);
  return parsed.email;
}

function checkRole(role: string): TeamRole {
  if (role !== 'admin' && role !== 'member') throw new ValidationError('role', 'enum', 'role must be "admin" or "member"');
  return role;
}

// ---- the service ----

export class TeamService {
  readonly activity: ActivityLog;
  private readonly throttle: AuthThrottle;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly verify: (prehashed: string, hash: string) => Promise<boolean>;
  private readonly limits: typeof DEFAULTS;
  private dummyHash: Promise<string> | undefined;
  private setupToken: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: TeamOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.verify = options.verify ?? ((prehashed, hash) => bcrypt.compare(prehashed, hash));
    this.throttle = new AuthThrottle(options.throttle, this.now);
    this.activity = new ActivityLog(store, () => this.nowSeconds());
    this.limits = {
      sessionIdleSeconds: options.sessionIdleSeconds ?? DEFAULTS.sessionIdleSeconds,
      sessionMaxSeconds: options.sessionMaxSeconds ?? DEFAULTS.sessionMaxSeconds,
      mfaPendingSeconds: options.mfaPendingSeconds ?? DEFAULTS.mfaPendingSeconds,
      invitationSeconds: options.invitationSeconds ?? DEFAULTS.invitationSeconds,
    };
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  // ---- first run ----

  hasUsers(): boolean {
    return this.store.team.countUsers() > 0;
  }

  /**
   * The one-time token of the setup page, while no member exists (null after): the server
   * prints it in its log at start. Kept in memory only; a restart makes a new one.
   */
  setupTokenForFirstRun(): string | null {
    if (this.hasUsers()) {
      this.setupToken = undefined;
      return null;
    }
    this.setupToken ??= newToken();
    return this.setupToken;
  }

  /** Creates the first admin from the setup page, once; a form error (a short password) keeps the token. */
  async completeSetup(token: string, input: Omit<NewMemberInput, 'role'>): Promise<User> {
    const expected = this.setupToken;
    if (expected === undefined || this.hasUsers() || !safeEqual(token, expected)) {
      throw new NotFoundError('this setup link is not valid: the first admin exists already, or the server was restarted (see its log for a new link)');
    }
    // Taken before any await: two requests racing with the token cannot both get through.
    this.setupToken = undefined;
    try {
      return await this.createUser({ ...input, role: 'admin' }, null);
    } catch (err) {
      if (err instanceof ValidationError && !this.hasUsers()) this.setupToken = expected;
      throw err;
    }
  }

  // ---- members ----

  /**
   * Creates a member (CLI, setup page). `actor` null: the member created themselves (setup).
   * The first member must be an admin, or nobody could manage the team.
   */
  async createUser(input: NewMemberInput, actor: Actor | null): Promise<User> {
    const email = checkEmail(input.email);
    const name = checkName(input.name ?? email.slice(0, email.lastIndexOf('@')));
    const role = checkRole(input.role);
    const problem = checkPassword(input.password);
    if (problem) throw problem;
    if (role !== 'admin' && !this.hasUsers()) throw new ConflictError('the first team member must be an admin');
    if (this.store.team.findUserByEmail(email)) throw new ConflictError(`${email} is already a team member`);
    const passwordHash = await bcrypt.hash(prehash(input.password), this.options.bcryptCost);
    const user = this.store.team.createUser({ id: randomUUID(), email, name, role, passwordHash, createdAt: this.nowSeconds() });
    this.activity.record(actor ?? { type: 'user', id: user.id }, 'user.created', { type: 'user', id: user.id, detail: { email, role } });
    await this.store.durable();
    return user;
  }

  /** Every member with role, MFA and sign-in status, oldest first. */
  listMembers(): TeamMember[] {
    const now = this.nowSeconds();
    return this.store.team.listUsers(now, now - this.limits.sessionIdleSeconds);
  }

  getUser(id: string): User {
    const user = this.store.team.getUser(id);
    if (!user) throw new NotFoundError(`team member ${id} not found`);
    return user;
  }

  /** A member by id or email. */
  resolve(ref: string): User {
    const trimmed = ref.trim();
    const parsed = parseAddress(trimmed);
    const user = (parsed.ok ? this.store.team.findUserByEmail(parsed.email) : undefined) ?? this.store.team.getUser(trimmed);
    if (!user) throw new NotFoundError(`team member ${trimmed} not found`);
    return user;
  }

  async changeRole(userId: string, role: TeamRole, actor: Actor): Promise<User> {
    const result = this.store.team.setRole(userId, checkRole(role), this.nowSeconds());
    if (result === 'not_found') throw new NotFoundError(`team member ${userId} not found`);
    if (result === 'last_admin') throw new ConflictError('the last admin cannot be made a member: make another member an admin first');
    this.activity.record(actor, 'user.role_changed', { type: 'user', id: userId, detail: { email: result.email, role } });
    await this.store.durable();
    return result;
  }

  /** Removes a member; their sessions end with them. */
  async remove(userId: string, actor: Actor): Promise<User> {
    const result = this.store.team.deleteUser(userId);
    if (result === 'not_found') throw new NotFoundError(`team member ${userId} not found`);
    if (result === 'last_admin') throw new ConflictError('the last admin cannot be removed: make another member an admin first');
    this.activity.record(actor, 'user.removed', { type: 'user', id: userId, detail: { email: result.email } });
    await this.store.durable();
    return result;
  }

  async rename(userId: string, name: string, actor: Actor): Promise<User> {
    const user = this.store.team.updateUser(userId, { name: checkName(name) }, this.nowSeconds());
    if (!user) throw new NotFoundError(`team member ${userId} not found`);
    this.activity.record(actor, 'user.updated', { type: 'user', id: userId, detail: { name: user.name } });
    await this.store.durable();
    return user;
  }

  /**
   * A member changes their own password, giving the current one; every other session of theirs
   * ends (the one in `keepToken` stays). Wrong current passwords are throttled like sign-ins.
   */
  async changePassword(userId: string, current: string, next: string, remote: string, keepToken?: string): Promise<void> {
    const user = this.getUser(userId);
    this.refuseIfThrottled(remote, user.email, 'current_password');
    const creds = this.store.team.credentials(userId)!;
    if (!(await this.verify(prehash(current), creds.passwordHash))) {
      await this.sleep(this.throttle.recordFailure(remote, user.email));
      throw new ValidationError('current_password', 'invalid', 'the current password is not right');
    }
    const problem = checkPassword(next, 'new_password');
    if (problem) throw problem;
    const passwordHash = await bcrypt.hash(prehash(next), this.options.bcryptCost);
    this.store.team.updateUser(userId, { passwordHash }, this.nowSeconds());
    this.store.team.deleteUserSessions(userId, keepToken === undefined ? undefined : sha256(keepToken));
    this.activity.record({ type: 'user', id: userId }, 'user.password_changed', { type: 'user', id: userId });
    await this.store.durable();
  }

  // ---- sign-in and sessions ----

  /**
   * Signs a member in from `remote` (an IP address). With MFA on and no `code`, the answer is a
   * session that can only take the code (needsMfa; completeMfa). `code` is a TOTP code or a
   * recovery code. Wrong email, password or code get one answer, after the throttle's delay;
   * an unknown email costs a bcrypt comparison too, so timing does not tell who exists.
   */
  async signIn(email: string, password: string, code: string | undefined, remote: string): Promise<SignInResult> {
    const parsed = parseAddress(email);
    const login = parsed.ok ? parsed.email : email.trim().toLowerCase();
    const blocked = this.throttled(remote, login);
    if (blocked) return blocked;

    const user = parsed.ok ? this.store.team.findUserByEmail(parsed.email) : undefined;
    const creds = user && this.store.team.credentials(user.id);
    const matches = await this.verify(prehash(password), creds?.passwordHash ?? (await this.dummy()));
    if (!user || !creds) return this.failed(remote, login, 'unknown_user');
    if (!matches) return this.failed(remote, login, 'wrong_password');

    if (creds.totpEnabled) {
      if (code === undefined || code.trim() === '') {
        const { token, session } = this.openSession(user.id, { mfaPassed: false, mustEnrol: false });
        this.options.log?.info({ email: login, remote }, 'dashboard sign-in: password right, waiting for the code');
        return { ok: true, token, csrfToken: session.csrfToken, user, needsMfa: true, mustEnrol: false, expiresAt: session.expiresAt, maxAgeSeconds: session.expiresAt - session.createdAt };
      }
      if (!this.secondFactor(user, creds, code)) return this.failed(remote, login, 'wrong_code');
      return this.succeeded(user, remote, false);
    }
    return this.succeeded(user, remote, this.store.team.organization().requireMfa);
  }

  /** The second step: the TOTP (or recovery) code for a session that signIn left at needsMfa. */
  async completeMfa(token: string, code: string, remote: string): Promise<SignInResult> {
    const found = this.find(token);
    if (!found || found.session.mfaPassed) return { ok: false, reason: 'expired', message: 'the sign-in has expired; start again' };
    const { user, session } = found;
    const blocked = this.throttled(remote, user.email);
    if (blocked) return blocked;
    const creds = this.store.team.credentials(user.id);
    if (!creds?.totpEnabled || !this.secondFactor(user, creds, code)) return this.failed(remote, user.email, 'wrong_code');
    // A new token for the signed-in session: the one that only waited for the code is dropped.
    this.store.team.deleteSession(session.id);
    return this.succeeded(user, remote, false);
  }

  /**
   * The session a cookie's token names, if it is live (neither idle for 12 hours nor past
   * its 7 days); notes the activity, coarsely. An expired session is removed.
   */
  session(token: string | undefined): SignedIn | undefined {
    const found = this.find(token);
    if (!found) return undefined;
    const now = this.nowSeconds();
    if (now - found.session.lastSeenAt >= TOUCH_EVERY_SECONDS) {
      this.store.team.touchSession(found.session.id, now);
      found.session = { ...found.session, lastSeenAt: now };
    }
    return found;
  }

  /** Whether a state-changing request carries its session's CSRF token. */
  checkCsrf(signedIn: SignedIn, presented: string | undefined): boolean {
    return presented !== undefined && presented !== '' && safeEqual(presented, signedIn.csrfToken);
  }

  /** Ends the session of this token (sign out). */
  signOut(token: string | undefined): void {
    if (token && TOKEN_SHAPE.test(token)) this.store.team.deleteSession(sha256(token));
  }

  /** Ends every session of the member ("sign out everywhere"), but the one of `keepToken`. */
  async signOutEverywhere(userId: string, actor: Actor, keepToken?: string): Promise<number> {
    const user = this.getUser(userId);
    const ended = this.store.team.deleteUserSessions(userId, keepToken === undefined ? undefined : sha256(keepToken));
    this.activity.record(actor, 'user.signed_out_everywhere', { type: 'user', id: userId, detail: { email: user.email, sessions: ended } });
    await this.store.durable();
    return ended;
  }

  /** Removes expired sessions (sign-in does it too). */
  pruneSessions(): number {
    const now = this.nowSeconds();
    return this.store.team.pruneSessions(now, now - this.limits.sessionIdleSeconds);
  }

  // ---- MFA ----

  /** Starts (or restarts) an enrolment: a new secret, and the otpauth:// URI for the QR code. */
  beginEnrolment(userId: string): { secret: string; uri: string } {
    const user = this.getUser(userId);
    if (user.mfaEnabled) throw new ConflictError('MFA is already on; turn it off first to enrol another device');
    const secret = generateTotpSecret();
    if (!this.store.team.setPendingTotp(userId, secret, this.nowSeconds())) throw new ConflictError('MFA is already on');
    return { secret, uri: otpauthUri(user.email, secret) };
  }

  /**
   * The enrolment begun and not yet confirmed (its secret and URI), or null: the enrol page shows
   * the same secret on every load, so a reload or a second tab does not replace what was scanned.
   */
  pendingEnrolment(userId: string): { secret: string; uri: string } | null {
    const user = this.getUser(userId);
    const creds = this.store.team.credentials(userId);
    if (!creds || creds.totpEnabled || creds.totpSecret === null) return null;
    return { secret: creds.totpSecret, uri: otpauthUri(user.email, creds.totpSecret) };
  }

  /**
   * Confirms the enrolment with a code from the device: MFA is on, and the recovery codes are
   * returned — the only time they are ever seen. Sessions that could only enrol become full.
   */
  async confirmEnrolment(userId: string, code: string, actor: Actor = { type: 'user', id: userId }): Promise<{ recoveryCodes: string[] }> {
    const user = this.getUser(userId);
    const creds = this.store.team.credentials(userId)!;
    if (creds.totpEnabled) throw new ConflictError('MFA is already on');
    if (creds.totpSecret === null) throw new ConflictError('start the enrolment first');
    const step = verifyTotp(creds.totpSecret, code, this.nowSeconds(), null);
    if (step === null) throw new ValidationError('code', 'invalid', "the code is not right; check the device's clock and type the code it shows now");
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    if (!this.store.team.enableTotp(userId, step, recoveryCodes.map(recoveryHash), this.nowSeconds())) throw new ConflictError('MFA is already on');
    this.store.team.clearMustEnrol(userId);
    this.activity.record(actor, 'user.mfa_enabled', { type: 'user', id: userId, detail: { email: user.email } });
    await this.store.durable();
    return { recoveryCodes };
  }

  /** Turns the member's MFA off, given a current TOTP code or an unused recovery code. */
  async disableMfa(userId: string, code: string, remote: string, actor: Actor = { type: 'user', id: userId }): Promise<void> {
    const user = this.getUser(userId);
    const creds = this.store.team.credentials(userId)!;
    if (!creds.totpEnabled) throw new ConflictError('MFA is not on');
    // Under the organization's requirement only an admin's reset (a lost device) takes it off.
    if (this.store.team.organization().requireMfa) {
      throw new ConflictError('the organization requires MFA, so it cannot be turned off; an admin can switch the requirement off first');
    }
    this.refuseIfThrottled(remote, user.email, 'code');
    if (!this.secondFactor(user, creds, code)) {
      await this.sleep(this.throttle.recordFailure(remote, user.email));
      throw new ValidationError('code', 'invalid', 'the code is not right');
    }
    this.store.team.disableTotp(userId, this.nowSeconds());
    this.activity.record(actor, 'user.mfa_disabled', { type: 'user', id: userId, detail: { email: user.email } });
    await this.store.durable();
  }

  /** An admin (or the CLI) takes a member's MFA off: a lost device. */
  async resetMfa(userId: string, actor: Actor): Promise<User> {
    const user = this.getUser(userId);
    this.store.team.disableTotp(userId, this.nowSeconds());
    this.activity.record(actor, 'user.mfa_reset', { type: 'user', id: userId, detail: { email: user.email } });
    await this.store.durable();
    return this.getUser(userId);
  }

  recoveryCodesLeft(userId: string): number {
    return this.store.team.recoveryCodesLeft(userId);
  }

  // ---- organization ----

  organization(): OrganizationSettings {
    return this.store.team.organization();
  }

  /**
   * Name, contact email, the system account and the "require MFA" switch. Switching MFA on
   * signs nobody out: members without it are made to enrol at their next sign-in.
   */
  async updateOrganization(patch: OrganizationPatch, actor: Actor): Promise<OrganizationSettings> {
    const clean: OrganizationPatch = {};
    if (patch.name !== undefined) clean.name = checkName(patch.name, 'name', ORGANIZATION_NAME_MAX);
    if (patch.contactEmail !== undefined) {
      clean.contactEmail = patch.contactEmail === null || patch.contactEmail.trim() === '' ? null : checkEmail(patch.contactEmail, 'contact_email');
    }
    if (patch.systemAccountEmail !== undefined) {
      const value = patch.systemAccountEmail?.trim() ? checkEmail(patch.systemAccountEmail, 'system_account_email') : null;
      if (value !== null && !this.store.directory.findAccountByEmail(value)) {
        throw new ValidationError('system_account_email', 'not_found', `system_account_email: no account ${value} exists; create it first`);
      }
      clean.systemAccountEmail = value;
    }
    if (patch.requireMfa !== undefined) clean.requireMfa = patch.requireMfa === true;
    const updated = this.store.team.updateOrganization(clean, this.nowSeconds());
    this.activity.record(actor, 'organization.updated', { type: 'organization', id: updated.id, detail: { ...clean } });
    await this.store.durable();
    return updated;
  }

  setRequireMfa(on: boolean, actor: Actor): Promise<OrganizationSettings> {
    return this.updateOrganization({ requireMfa: on }, actor);
  }

  // ---- invitations ----

  /** Invites someone by email: a single-use link that expires after 72 hours. */
  async invite(input: { email: string; name: string; role: TeamRole }, actor: Actor): Promise<InvitationLink> {
    const email = checkEmail(input.email);
    const name = checkName(input.name);
    const role = checkRole(input.role);
    if (this.store.team.findUserByEmail(email)) throw new ConflictError(`${email} is already a team member`);
    const token = newToken();
    const now = this.nowSeconds();
    const invitation = this.store.team.createInvitation({
      id: randomUUID(),
      email,
      name,
      role,
      tokenHash: sha256(token),
      invitedBy: actor.type === 'user' ? actor.id : null,
      createdAt: now,
      expiresAt: now + this.limits.invitationSeconds,
    });
    this.activity.record(actor, 'invitation.created', { type: 'invitation', id: invitation.id, detail: { email, role } });
    await this.store.durable();
    return { invitation, token, path: INVITATION_PATH + token };
  }

  /** A new link (and 72 hours) for an open invitation; the old link stops working. */
  async resend(invitationId: string, actor: Actor): Promise<InvitationLink> {
    const token = newToken();
    const now = this.nowSeconds();
    const invitation = this.store.team.renewInvitation(invitationId, sha256(token), now, now + this.limits.invitationSeconds);
    if (!invitation) throw new NotFoundError(`invitation ${invitationId} not found (or already accepted)`);
    this.activity.record(actor, 'invitation.resent', { type: 'invitation', id: invitation.id, detail: { email: invitation.email } });
    await this.store.durable();
    return { invitation, token, path: INVITATION_PATH + token };
  }

  async revokeInvitation(invitationId: string, actor: Actor): Promise<void> {
    const invitation = this.store.team.getInvitation(invitationId);
    if (!invitation || !this.store.team.deleteInvitation(invitationId)) throw new NotFoundError(`invitation ${invitationId} not found (or already accepted)`);
    this.activity.record(actor, 'invitation.revoked', { type: 'invitation', id: invitationId, detail: { email: invitation.email } });
    await this.store.durable();
  }

  /** Invitations not yet accepted, newest first, expired ones marked. */
  listInvitations(): InvitationView[] {
    const now = this.nowSeconds();
    return this.store.team.listInvitations().map((i) => ({ ...i, expired: i.expiresAt <= now }));
  }

  /** The open invitation a link's token names (for the accept page), or undefined. */
  invitation(token: string): Invitation | undefined {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    const found = this.store.team.findInvitationByTokenHash(sha256(token));
    return found && found.acceptedAt === null && found.expiresAt > this.nowSeconds() ? found : undefined;
  }

  /** Accepts an invitation: sets the password, and the member joins. The link is then spent. */
  async accept(token: string, password: string): Promise<User> {
    const invitation = this.invitation(token);
    if (!invitation) throw new NotFoundError(INVITATION_INVALID);
    const problem = checkPassword(password);
    if (problem) throw problem;
    if (this.store.team.findUserByEmail(invitation.email)) throw new ConflictError(`${invitation.email} is already a team member`);
    const passwordHash = await bcrypt.hash(prehash(password), this.options.bcryptCost);
    const user = this.store.team.acceptInvitation(invitation.id, sha256(token), {
      id: randomUUID(),
      email: invitation.email,
      name: invitation.name,
      role: invitation.role,
      passwordHash,
      createdAt: this.nowSeconds(),
    });
    // Accepted, replaced or expired while bcrypt ran.
    if (user === 'gone') throw new NotFoundError(INVITATION_INVALID);
    this.activity.record({ type: 'user', id: user.id }, 'invitation.accepted', {
      type: 'invitation',
      id: invitation.id,
      detail: { email: user.email, role: user.role, invited_by: invitation.invitedBy },
    });
    await this.store.durable();
    return user;
  }

  // ---- internals ----

  /** The live session of a token, without noting activity; removes an expired one. */
  private find(token: string | undefined): SignedIn | undefined {
    if (!token || !TOKEN_SHAPE.test(token)) return undefined;
    const session = this.store.team.getSession(sha256(token));
    if (!session) return undefined;
    const now = this.nowSeconds();
    if (now >= session.expiresAt || now - session.lastSeenAt >= this.limits.sessionIdleSeconds) {
      this.store.team.deleteSession(session.id);
      return undefined;
    }
    const user = this.store.team.getUser(session.userId);
    if (!user) return undefined;
    const stage: SessionStage = !session.mfaPassed ? 'mfa' : session.mustEnrol ? 'enrol' : 'full';
    return { user, session, stage, csrfToken: session.csrfToken };
  }

  private openSession(userId: string, flags: { mfaPassed: boolean; mustEnrol: boolean }): { token: string; session: Session } {
    const token = newToken();
    const now = this.nowSeconds();
    const session = this.store.team.createSession({
      id: sha256(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + (flags.mfaPassed ? this.limits.sessionMaxSeconds : this.limits.mfaPendingSeconds),
      mfaPassed: flags.mfaPassed,
      mustEnrol: flags.mustEnrol,
      csrfToken: newToken(),
    });
    return { token, session };
  }

  /**
   * A TOTP code (6 digits; its step must be later than the last one accepted, and is recorded)
   * or an unused recovery code (then spent).
   */
  private secondFactor(user: User, creds: UserCredentials, code: string): boolean {
    const typed = code.replace(/[\s-]/g, '').toLowerCase();
    if (/^\d{6}$/.test(typed)) {
      if (creds.totpSecret === null) return false;
      const step = verifyTotp(creds.totpSecret, typed, this.nowSeconds(), creds.totpLastStep);
      // The store's compare-and-set settles two requests racing with one code.
      return step !== null && this.store.team.advanceTotpStep(user.id, step);
    }
    if (!/^[a-z2-7]{16}$/.test(typed)) return false;
    if (!this.store.team.useRecoveryCode(user.id, recoveryHash(typed), this.nowSeconds())) return false;
    this.activity.record({ type: 'user', id: user.id }, 'user.recovery_code_used', {
      type: 'user',
      id: user.id,
      detail: { email: user.email, left: this.store.team.recoveryCodesLeft(user.id) },
    });
    return true;
  }

  private async succeeded(user: User, remote: string, mustEnrol: boolean): Promise<SignInResult> {
    this.throttle.recordSuccess(user.email, remote);
    this.pruneSessions();
    const { token, session } = this.openSession(user.id, { mfaPassed: true, mustEnrol });
    this.store.team.recordSignIn(user.id, session.createdAt);
    this.options.log?.info({ email: user.email, remote, mustEnrol }, 'dashboard sign-in ok');
    await this.store.durable();
    return {
      ok: true,
      token,
      csrfToken: session.csrfToken,
      user: this.store.team.getUser(user.id) ?? user,
      needsMfa: false,
      mustEnrol,
      expiresAt: session.expiresAt,
      maxAgeSeconds: session.expiresAt - session.createdAt,
    };
  }

  private async failed(remote: string, login: string, reason: 'unknown_user' | 'wrong_password' | 'wrong_code'): Promise<SignInResult> {
    // The log says which; the person is told only that something was wrong.
    this.options.log?.warn({ email: login, remote, reason }, 'dashboard sign-in failed');
    const wait = this.throttle.recordFailure(remote, login);
    if (wait > 0) await this.sleep(wait);
    return { ok: false, reason: 'invalid', message: SIGN_IN_FAILED };
  }

  private throttled(remote: string, login: string): SignInResult | undefined {
    const verdict = this.throttle.check(remote, login);
    if (!verdict.blocked) return undefined;
    const retryAfterSeconds = Math.ceil(verdict.retryAfterMs / 1000);
    this.options.log?.warn({ email: login, remote, reason: 'throttled' }, 'dashboard sign-in refused');
    return { ok: false, reason: 'throttled', message: `too many failed attempts; try again in ${retryAfterSeconds} seconds`, retryAfterSeconds };
  }

  private refuseIfThrottled(remote: string, email: string, field: string): void {
    const verdict = this.throttle.check(remote, email);
    if (verdict.blocked) {
      throw new ValidationError(field, 'throttled', `too many failed attempts; try again in ${Math.ceil(verdict.retryAfterMs / 1000)} seconds`);
    }
  }

  /** The hash unknown emails are compared against, at the configured cost, made once. */
  private dummy(): Promise<string> {
    this.dummyHash ??= bcrypt.hash(randomBytes(24).toString('base64'), this.options.bcryptCost);
    return this.dummyHash;
  }
}

/** 80 random bits as 16 base32 letters in groups of four: `abcd-efgh-ijkl-mnop`. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let text = '';
  for (let i = 15; i >= 0; i--) text += alphabet[Number((bits >> BigInt(i * 5)) & 31n)];
  return text.match(/.{4}/g)!.join('-');
}

function recoveryHash(code: string): string {
  return sha256(`recovery:${code.replace(/[\s-]/g, '').toLowerCase()}`);
}
