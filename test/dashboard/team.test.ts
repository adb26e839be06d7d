// The dashboard's team service with an injected clock: members, sign-in and its throttle,
// sessions and their expiry, TOTP MFA and recovery codes, the organization's MFA requirement,
// invitations, the last admin, and the activity log.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import bcrypt from 'bcrypt';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors.js';
import { type Actor, CLI_ACTOR, INVITATION_INVALID, SIGN_IN_FAILED, type SignInResult, TeamService } from '../../src/dashboard/team.js';
import { totp } from '../../src/dashboard/totp.js';
import { openWorld } from '../helpers/services.js';

const ADMIN_PASSWORD = 'correct horse battery staple';
const MEMBER_PASSWORD = 'another long passphrase';
const REMOTE = '198.51.100.7';
const START = Date.UTC(2026, 0, 5, 9, 0, 10);
const HOUR = 3600;

function setup(opts: { maxFailures?: number } = {}) {
  const w = openWorld();
  let ms = START;
  const logged: string[] = [];
  const log = pino(
    { level: 'trace' },
    new Writable({
      write(chunk, _enc, done) {
        logged.push(String(chunk));
        done();
      },
    }),
  );
  const compared: string[] = [];
  const team = new TeamService(w.store, {
    bcryptCost: 4,
    throttle: { maxFailures: opts.maxFailures ?? 5, lockoutSeconds: 300, failureDelayMs: 0 },
    now: () => ms,
    log,
    verify: (prehashed, hash) => {
      compared.push(hash);
      return bcrypt.compare(prehashed, hash);
    },
  });
  const clock = {
    seconds: () => Math.floor(ms / 1000),
    advance: (seconds: number) => {
      ms += seconds * 1000;
    },
    /** The current TOTP code of a secret. */
    code: (secret: string) => totp(secret, Math.floor(ms / 1000)),
  };
  return { ...w, team, clock, logged, compared };
}

type World = ReturnType<typeof setup>;

async function withAdmin(opts: { maxFailures?: number } = {}) {
  const w = setup(opts);
  const admin = await w.team.createUser({ email: 'Admin@Example.com', name: 'Ada Admin', password: ADMIN_PASSWORD, role: 'admin' }, CLI_ACTOR);
  const actor: Actor = { type: 'user', id: admin.id };
  return { ...w, admin, actor };
}

async function withMember(opts: { maxFailures?: number } = {}) {
  const w = await withAdmin(opts);
  const member = await w.team.createUser({ email: 'member@example.com', name: 'Max Member', password: MEMBER_PASSWORD, role: 'member' }, w.actor);
  return { ...w, member };
}

function ok(result: SignInResult) {
  if (!result.ok) throw new Error(`sign-in failed: ${result.message}`);
  return result;
}

/** Enrols the member in MFA; returns the secret and the recovery codes. */
async function enrol(w: World, userId: string) {
  const { secret, uri } = w.team.beginEnrolment(userId);
  const { recoveryCodes } = await w.team.confirmEnrolment(userId, w.clock.code(secret));
  // The confirming code's step is spent: the next code comes from the next step.
  w.clock.advance(30);
  return { secret, uri, recoveryCodes };
}

const failed = { ok: false, reason: 'invalid', message: SIGN_IN_FAILED };

describe('team members', () => {
  it('creates members with validated input; the first must be an admin; emails are unique', async () => {
    const w = setup();
    await expect(w.team.createUser({ email: 'a@example.com', password: ADMIN_PASSWORD, role: 'member' }, CLI_ACTOR)).rejects.toThrow(
      new ConflictError('the first team member must be an admin'),
    );
    await expect(w.team.createUser({ email: 'a@example.com', password: 'short pass', role: 'admin' }, CLI_ACTOR)).rejects.toMatchObject({
      field: 'password',
      rule: 'length',
      message: 'password must be 12 to 128 characters long (it has 10)',
    });
    await expect(w.team.createUser({ email: 'a@example.com', password: 'x'.repeat(129), role: 'admin' }, CLI_ACTOR)).rejects.toMatchObject({ rule: 'length' });
    await expect(w.team.createUser({ email: 'a@example.com', password: 'line\nbreak password', role: 'admin' }, CLI_ACTOR)).rejects.toMatchObject({ rule: 'control' });
    await expect(w.team.createUser({ email: 'not an address', password: ADMIN_PASSWORD, role: 'admin' }, CLI_ACTOR)).rejects.toMatchObject({ field: 'email' });
    await expect(w.team.createUser({ email: 'a@example.com', name: ' ', password: ADMIN_PASSWORD, role: 'admin' }, CLI_ACTOR)).rejects.toMatchObject({ field: 'name' });

    const admin = await w.team.createUser({ email: 'Ada@Example.COM', password: 'x'.repeat(128), role: 'admin' }, CLI_ACTOR);
    expect(admin).toMatchObject({ email: 'ada@example.com', name: 'ada', role: 'admin', mfaEnabled: false, lastSignInAt: null });
    expect(Object.keys(admin).sort()).toEqual(['createdAt', 'email', 'id', 'lastSignInAt', 'mfaEnabled', 'name', 'role', 'updatedAt']);
    await expect(w.team.createUser({ email: 'ADA@example.com', password: ADMIN_PASSWORD, role: 'member' }, CLI_ACTOR)).rejects.toThrow(
      new ConflictError('ada@example.com is already a team member'),
    );
    const member = await w.team.createUser({ email: 'bo@example.com', name: 'Bo', password: MEMBER_PASSWORD, role: 'member' }, CLI_ACTOR);
    expect(w.team.listMembers().map((m) => [m.email, m.role, m.signedIn])).toEqual([
      ['ada@example.com', 'admin', false],
      ['bo@example.com', 'member', false],
    ]);
    expect(w.team.resolve('BO@example.com').id).toBe(member.id);
    expect(w.team.resolve(member.id).email).toBe('bo@example.com');
    expect(() => w.team.resolve('nobody@example.com')).toThrow(NotFoundError);
  });

  it('keeps only a bcrypt hash of the password', async () => {
    const w = await withAdmin();
    const creds = w.store.team.credentials(w.admin.id)!;
    expect(creds.passwordHash).toMatch(/^\$2b\$04\$/);
    w.store.close();
    const db = readFileSync(join(w.config.dataDir, 'wicket.db'));
    expect(db.includes(Buffer.from(ADMIN_PASSWORD))).toBe(false);
  });

  it('passwords longer than bcrypt reads (72 bytes) still count in full', async () => {
    const w = setup();
    const long = `${'a'.repeat(80)}tail one`;
    await w.team.createUser({ email: 'a@example.com', password: long, role: 'admin' }, CLI_ACTOR);
    expect((await w.team.signIn('a@example.com', `${'a'.repeat(80)}tail two`, undefined, REMOTE)).ok).toBe(false);
    expect((await w.team.signIn('a@example.com', long, undefined, REMOTE)).ok).toBe(true);
  });
});

describe('sign-in', () => {
  it('signs in with the email in any case and opens a session with a CSRF token', async () => {
    const w = await withAdmin();
    const result = ok(await w.team.signIn('ADMIN@example.com', ADMIN_PASSWORD, undefined, REMOTE));
    expect(result).toMatchObject({ needsMfa: false, mustEnrol: false, user: { id: w.admin.id, lastSignInAt: w.clock.seconds() } });
    expect(result.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.expiresAt).toBe(w.clock.seconds() + 7 * 24 * HOUR);
    expect(result.maxAgeSeconds).toBe(7 * 24 * HOUR);
    const signedIn = w.team.session(result.token)!;
    expect(signedIn).toMatchObject({ stage: 'full', user: { email: 'admin@example.com' } });
    expect(w.team.checkCsrf(signedIn, result.csrfToken)).toBe(true);
    expect(w.team.checkCsrf(signedIn, `${result.csrfToken}x`)).toBe(false);
    expect(w.team.checkCsrf(signedIn, '')).toBe(false);
    expect(w.team.checkCsrf(signedIn, undefined)).toBe(false);
    // Only the token's hash is stored.
    expect(w.store.team.getSession(result.token)).toBeUndefined();
    expect(w.team.listMembers()[0]!.signedIn).toBe(true);
  });

  it('answers a wrong password, an unknown email and a malformed one alike, each after one bcrypt comparison', async () => {
    const w = await withAdmin();
    w.compared.length = 0;
    expect(await w.team.signIn('admin@example.com', 'wrong password!', undefined, REMOTE)).toEqual(failed);
    expect(await w.team.signIn('ghost@example.com', ADMIN_PASSWORD, undefined, REMOTE)).toEqual(failed);
    expect(await w.team.signIn('not an address', ADMIN_PASSWORD, undefined, REMOTE)).toEqual(failed);
    expect(w.compared).toHaveLength(3);
    expect(w.compared.every((h) => h.startsWith('$2b$04$'))).toBe(true);
    const log = w.logged.join('');
    expect(log).toContain('"reason":"unknown_user"');
    expect(log).toContain('"reason":"wrong_password"');
    expect(log).not.toContain('wrong password!');
    expect(log).not.toContain(ADMIN_PASSWORD);
  });

  it('throttles failures per member and per address, and forgives after the lockout', async () => {
    const w = await withMember({ maxFailures: 3 });
    for (let i = 0; i < 3; i++) expect(await w.team.signIn('admin@example.com', 'wrong password!', undefined, REMOTE)).toEqual(failed);
    const refused = await w.team.signIn('admin@example.com', ADMIN_PASSWORD, undefined, '203.0.113.9');
    expect(refused).toEqual({ ok: false, reason: 'throttled', message: 'too many failed attempts; try again in 300 seconds', retryAfterSeconds: 300 });
    // The address that failed is locked out for other members too.
    expect((await w.team.signIn('member@example.com', MEMBER_PASSWORD, undefined, REMOTE)).ok).toBe(false);
    expect((await w.team.signIn('member@example.com', MEMBER_PASSWORD, undefined, '203.0.113.9')).ok).toBe(true);
    w.clock.advance(301);
    expect((await w.team.signIn('admin@example.com', ADMIN_PASSWORD, undefined, REMOTE)).ok).toBe(true);
  });
});

describe('sessions', () => {
  it('end after 12 hours idle; activity keeps them alive up to 7 days', async () => {
    const w = await withAdmin();
    const idle = ok(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, undefined, REMOTE)).token;
    const busy = ok(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, undefined, REMOTE)).token;
    w.clock.advance(11 * HOUR);
    expect(w.team.session(busy)).toBeDefined();
    w.clock.advance(1 * HOUR);
    expect(w.team.session(idle)).toBeUndefined();
    expect(w.team.session(busy)).toBeDefined();
    // Used every 11 hours, it still ends 7 days (168 hours) after the sign-in.
    for (let hours = 23; hours < 168; hours += 11) {
      w.clock.advance(11 * HOUR);
      expect(w.team.session(busy), `after ${hours} hours`).toBeDefined();
    }
    w.clock.advance(2 * HOUR); // 12 + 14 × 11 + 2 = 168
    expect(w.team.session(busy)).toBeUndefined();
    expect(w.team.session('not-a-token')).toBeUndefined();
    expect(w.team.session(undefined)).toBeUndefined();
  });

  it('sign out ends one session; sign out everywhere ends them all, or all but the current one', async () => {
    const w = await withAdmin();
    const sign = async () => ok(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, undefined, REMOTE)).token;
    const [a, b, c, d] = [await sign(), await sign(), await sign(), await sign()];
    w.team.signOut(a);
    expect(w.team.session(a)).toBeUndefined();
    expect(w.team.session(b)).toBeDefined();
    expect(await w.team.signOutEverywhere(w.admin.id, w.actor, d)).toBe(2);
    expect([b, c].map((t) => w.team.session(t))).toEqual([undefined, undefined]);
    expect(w.team.session(d)).toBeDefined();
    expect(await w.team.signOutEverywhere(w.admin.id, w.actor)).toBe(1);
    expect(w.team.session(d)).toBeUndefined();
    expect(w.team.listMembers()[0]!.signedIn).toBe(false);
  });

  it('a password change ends the other sessions', async () => {
    const w = await withAdmin();
    const here = ok(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, undefined, REMOTE)).token;
    const there = ok(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, undefined, REMOTE)).token;
    await expect(w.team.changePassword(w.admin.id, 'not the password', 'a brand new password', REMOTE, here)).rejects.toMatchObject({
      field: 'current_password',
    });
    await w.team.changePassword(w.admin.id, ADMIN_PASSWORD, 'a brand new password', REMOTE, here);
    expect(w.team.session(here)).toBeDefined();
    expect(w.team.session(there)).toBeUndefined();
    expect((await w.team.signIn('admin@example.com', ADMIN_PASSWORD, undefined, REMOTE)).ok).toBe(false);
    expect((await w.team.signIn('admin@example.com', 'a brand new password', undefined, REMOTE)).ok).toBe(true);
  });
});

describe('MFA (TOTP)', () => {
  it('enrols with a QR URI and a confirming code, and gives ten recovery codes once', async () => {
    const w = await withAdmin();
    const { secret, uri } = w.team.beginEnrolment(w.admin.id);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toBe(`otpauth://totp/Wicket:admin@example.com?secret=${secret}&issuer=Wicket`);
    // Not on until confirmed: sign-in still takes the password alone.
    expect(ok(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, undefined, REMOTE)).needsMfa).toBe(false);
    await expect(w.team.confirmEnrolment(w.admin.id, '000000')).rejects.toMatchObject({ field: 'code' });
    // A restarted enrolment replaces the secret.
    const again = w.team.beginEnrolment(w.admin.id);
    expect(again.secret).not.toBe(secret);
    await expect(w.team.confirmEnrolment(w.admin.id, w.clock.code(secret))).rejects.toThrow(ValidationError);
    const { recoveryCodes } = await w.team.confirmEnrolment(w.admin.id, w.clock.code(again.secret));
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    expect(w.team.recoveryCodesLeft(w.admin.id)).toBe(10);
    expect(w.team.getUser(w.admin.id).mfaEnabled).toBe(true);
    expect(() => w.team.beginEnrolment(w.admin.id)).toThrow(ConflictError);
    // Neither the secret nor a recovery code is in any view or log line.
    const views = JSON.stringify([w.team.listMembers(), w.team.getUser(w.admin.id), w.team.activity.list()]) + w.logged.join('');
    for (const s of [again.secret, ...recoveryCodes]) expect(views).not.toContain(s);
  });

  it('asks for the code after the password; a wrong code gets the sign-in failure; the right one a new session', async () => {
    const w = await withAdmin();
    const { secret } = await enrol(w, w.admin.id);
    const first = ok(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, undefined, REMOTE));
    expect(first).toMatchObject({ needsMfa: true, mustEnrol: false, expiresAt: w.clock.seconds() + 600, maxAgeSeconds: 600 });
    expect(w.team.session(first.token)!.stage).toBe('mfa');
    expect(w.team.listMembers()[0]!.signedIn).toBe(false);
    const wrong = String((Number(w.clock.code(secret)) + 1) % 1_000_000).padStart(6, '0');
    expect(await w.team.completeMfa(first.token, wrong, REMOTE)).toEqual(failed);
    const done = ok(await w.team.completeMfa(first.token, w.clock.code(secret), REMOTE));
    expect(done.needsMfa).toBe(false);
    expect(w.team.session(done.token)!.stage).toBe('full');
    // The token that waited for the code is gone.
    expect(w.team.session(first.token)).toBeUndefined();
    expect(await w.team.completeMfa(first.token, w.clock.code(secret), REMOTE)).toMatchObject({ ok: false, reason: 'expired' });
    // A wrong password with a right code, and a right password with a wrong code: one answer.
    w.clock.advance(30);
    expect(await w.team.signIn('admin@example.com', 'wrong password!', w.clock.code(secret), REMOTE)).toEqual(failed);
    expect(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, wrong, REMOTE)).toEqual(failed);
    // Password and code in one go.
    expect(ok(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, w.clock.code(secret), REMOTE)).needsMfa).toBe(false);
  });

  it('accepts a code once (no replay), within one step either side', async () => {
    const w = await withAdmin();
    const { secret } = await enrol(w, w.admin.id);
    const code = w.clock.code(secret);
    expect((await w.team.signIn('admin@example.com', ADMIN_PASSWORD, code, REMOTE)).ok).toBe(true);
    expect(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, code, REMOTE)).toEqual(failed);
    // A code a step old is late but fine — unless a later step was used already.
    w.clock.advance(60);
    const previous = totp(secret, w.clock.seconds() - 30);
    expect((await w.team.signIn('admin@example.com', ADMIN_PASSWORD, previous, REMOTE)).ok).toBe(true);
    const next = totp(secret, w.clock.seconds() + 30);
    expect((await w.team.signIn('admin@example.com', ADMIN_PASSWORD, next, REMOTE)).ok).toBe(true);
    expect(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, w.clock.code(secret), REMOTE)).toEqual(failed);
    // Two steps off: refused.
    w.clock.advance(120);
    expect(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, totp(secret, w.clock.seconds() - 60), REMOTE)).toEqual(failed);
    expect(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, totp(secret, w.clock.seconds() + 60), REMOTE)).toEqual(failed);
    expect((await w.team.signIn('admin@example.com', ADMIN_PASSWORD, w.clock.code(secret), REMOTE)).ok).toBe(true);
  });

  it('takes each recovery code once, in place of a TOTP code', async () => {
    const w = await withAdmin();
    const { recoveryCodes } = await enrol(w, w.admin.id);
    const [first, second] = recoveryCodes as [string, string];
    expect(ok(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, first.toUpperCase(), REMOTE)).needsMfa).toBe(false);
    expect(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, first, REMOTE)).toEqual(failed);
    const pending = ok(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, undefined, REMOTE));
    expect((await w.team.completeMfa(pending.token, second.replace(/-/g, ' '), REMOTE)).ok).toBe(true);
    expect(w.team.recoveryCodesLeft(w.admin.id)).toBe(8);
    expect(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, 'aaaa-bbbb-cccc-dddd', REMOTE)).toEqual(failed);
    expect(w.team.activity.list().filter((a) => a.action === 'user.recovery_code_used').map((a) => a.detail.left)).toEqual([8, 9]);
  });

  it('turns off with a code (not without one); an admin can reset it', async () => {
    const w = await withAdmin();
    const { secret } = await enrol(w, w.admin.id);
    await expect(w.team.disableMfa(w.admin.id, '123456', REMOTE)).rejects.toMatchObject({ field: 'code', message: 'the code is not right' });
    await w.team.disableMfa(w.admin.id, w.clock.code(secret), REMOTE);
    expect(w.team.getUser(w.admin.id).mfaEnabled).toBe(false);
    expect(w.team.recoveryCodesLeft(w.admin.id)).toBe(0);
    expect(ok(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, undefined, REMOTE)).needsMfa).toBe(false);
    await expect(w.team.disableMfa(w.admin.id, w.clock.code(secret), REMOTE)).rejects.toThrow(ConflictError);

    await enrol(w, w.admin.id);
    await w.team.resetMfa(w.admin.id, CLI_ACTOR);
    expect(w.team.getUser(w.admin.id).mfaEnabled).toBe(false);
    expect(w.store.team.credentials(w.admin.id)).toMatchObject({ totpSecret: null, totpEnabled: false, totpLastStep: null });
  });

  it('require MFA: members without it must enrol at their next sign-in; nobody is signed out', async () => {
    const w = await withMember();
    await enrol(w, w.admin.id);
    const before = ok(await w.team.signIn('member@example.com', MEMBER_PASSWORD, undefined, REMOTE));
    expect(before.mustEnrol).toBe(false);

    const org = await w.team.setRequireMfa(true, w.actor);
    expect(org.requireMfa).toBe(true);
    // Already signed in: still a full session.
    expect(w.team.session(before.token)!.stage).toBe('full');

    const next = ok(await w.team.signIn('member@example.com', MEMBER_PASSWORD, undefined, REMOTE));
    expect(next).toMatchObject({ needsMfa: false, mustEnrol: true });
    expect(w.team.session(next.token)!.stage).toBe('enrol');
    const { secret } = w.team.beginEnrolment(w.member.id);
    const { recoveryCodes } = await w.team.confirmEnrolment(w.member.id, w.clock.code(secret));
    expect(recoveryCodes).toHaveLength(10);
    // Enrolled: the same session may now do everything.
    expect(w.team.session(next.token)!.stage).toBe('full');

    // A member already enrolled is asked for the code as usual.
    expect(ok(await w.team.signIn('admin@example.com', ADMIN_PASSWORD, undefined, REMOTE))).toMatchObject({ needsMfa: true, mustEnrol: false });
    // Switched off again: a member whose MFA was reset signs in with the password alone.
    await w.team.setRequireMfa(false, w.actor);
    await w.team.resetMfa(w.member.id, w.actor);
    expect(ok(await w.team.signIn('member@example.com', MEMBER_PASSWORD, undefined, REMOTE))).toMatchObject({ needsMfa: false, mustEnrol: false });
  });
});

describe('organization settings', () => {
  it('edits the name, contact email and system account, with validation', async () => {
    const w = await withAdmin();
    await expect(w.team.updateOrganization({ contactEmail: 'nope' }, w.actor)).rejects.toMatchObject({ field: 'contact_email' });
    await expect(w.team.updateOrganization({ name: '' }, w.actor)).rejects.toMatchObject({ field: 'name' });
    await expect(w.team.updateOrganization({ systemAccountEmail: 'system@agents.example.com' }, w.actor)).rejects.toMatchObject({
      field: 'system_account_email',
      rule: 'not_found',
    });
    await w.services.domains.add('agents.example.com');
    await w.services.accounts.create(w.appId, { email: 'system@agents.example.com' });
    const org = await w.team.updateOrganization({ name: 'Acme', contactEmail: 'Ops@Acme.example', systemAccountEmail: 'system@agents.example.com' }, w.actor);
    expect(org).toMatchObject({ name: 'Acme', contactEmail: 'ops@acme.example', requireMfa: false, systemAccountEmail: 'system@agents.example.com' });
    expect(w.team.organization()).toEqual(org);
    expect((await w.team.updateOrganization({ contactEmail: null }, w.actor)).contactEmail).toBeNull();
  });
});

describe('invitations', () => {
  it('a link is single-use: accepting sets the password and joins with the invited role', async () => {
    const w = await withAdmin();
    const link = await w.team.invite({ email: 'New@Example.com', name: 'Nia New', role: 'admin' }, w.actor);
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.path).toBe(`/invite/${link.token}`);
    expect(link.invitation).toMatchObject({ email: 'new@example.com', name: 'Nia New', role: 'admin', invitedBy: w.admin.id, acceptedAt: null });
    expect(link.invitation.expiresAt - link.invitation.createdAt).toBe(72 * HOUR);
    expect(w.team.invitation(link.token)?.id).toBe(link.invitation.id);
    expect(w.team.listInvitations().map((i) => [i.email, i.expired])).toEqual([['new@example.com', false]]);

    await expect(w.team.accept(link.token, 'too short')).rejects.toMatchObject({ field: 'password' });
    const user = await w.team.accept(link.token, 'the new member password');
    expect(user).toMatchObject({ email: 'new@example.com', name: 'Nia New', role: 'admin' });
    await expect(w.team.accept(link.token, 'the new member password')).rejects.toThrow(new NotFoundError(INVITATION_INVALID));
    expect(w.team.invitation(link.token)).toBeUndefined();
    expect(w.team.listInvitations()).toEqual([]);
    expect((await w.team.signIn('new@example.com', 'the new member password', undefined, REMOTE)).ok).toBe(true);
    await expect(w.team.invite({ email: 'new@example.com', name: 'Again', role: 'member' }, w.actor)).rejects.toThrow(
      new ConflictError('new@example.com is already a team member'),
    );
  });

  it('expires after 72 hours; re-sending gives a new link and kills the old one', async () => {
    const w = await withAdmin();
    const first = await w.team.invite({ email: 'late@example.com', name: 'Lee Late', role: 'member' }, w.actor);
    w.clock.advance(72 * HOUR);
    expect(w.team.invitation(first.token)).toBeUndefined();
    expect(w.team.listInvitations()[0]!.expired).toBe(true);
    await expect(w.team.accept(first.token, 'a long enough password')).rejects.toThrow(new NotFoundError(INVITATION_INVALID));

    const resent = await w.team.resend(first.invitation.id, w.actor);
    expect(resent.token).not.toBe(first.token);
    expect(resent.invitation.expiresAt).toBe(w.clock.seconds() + 72 * HOUR);
    expect(w.team.invitation(first.token)).toBeUndefined();
    const user = await w.team.accept(resent.token, 'a long enough password');
    expect(user.role).toBe('member');
    await expect(w.team.resend(first.invitation.id, w.actor)).rejects.toThrow(NotFoundError);
    await expect(w.team.accept('x'.repeat(43), 'a long enough password')).rejects.toThrow(new NotFoundError(INVITATION_INVALID));
  });

  it('inviting the same address again replaces the earlier link; an invitation can be revoked', async () => {
    const w = await withAdmin();
    const a = await w.team.invite({ email: 'twice@example.com', name: 'Tw Ice', role: 'member' }, w.actor);
    const b = await w.team.invite({ email: 'twice@example.com', name: 'Tw Ice', role: 'admin' }, w.actor);
    expect(w.team.invitation(a.token)).toBeUndefined();
    expect(w.team.listInvitations().map((i) => i.role)).toEqual(['admin']);
    await w.team.revokeInvitation(b.invitation.id, w.actor);
    expect(w.team.invitation(b.token)).toBeUndefined();
    await expect(w.team.revokeInvitation(b.invitation.id, w.actor)).rejects.toThrow(NotFoundError);
  });
});

describe('roles and removal', () => {
  it('the last admin can be neither demoted nor removed', async () => {
    const w = await withMember();
    await expect(w.team.changeRole(w.admin.id, 'member', w.actor)).rejects.toThrow(
      new ConflictError('the last admin cannot be made a member: make another member an admin first'),
    );
    await expect(w.team.remove(w.admin.id, w.actor)).rejects.toThrow(new ConflictError('the last admin cannot be removed: make another member an admin first'));
    expect((await w.team.changeRole(w.member.id, 'admin', w.actor)).role).toBe('admin');
    expect((await w.team.changeRole(w.admin.id, 'member', { type: 'user', id: w.member.id })).role).toBe('member');
    await expect(w.team.remove(w.member.id, w.actor)).rejects.toThrow(ConflictError);
    await expect(w.team.changeRole('nobody', 'admin', w.actor)).rejects.toThrow(NotFoundError);
  });

  it('removing a member ends their sessions', async () => {
    const w = await withMember();
    const token = ok(await w.team.signIn('member@example.com', MEMBER_PASSWORD, undefined, REMOTE)).token;
    expect(w.team.session(token)?.user.role).toBe('member');
    // A role change is seen by the next request of a live session.
    await w.team.changeRole(w.member.id, 'admin', w.actor);
    expect(w.team.session(token)?.user.role).toBe('admin');
    await w.team.remove(w.member.id, w.actor);
    expect(w.team.session(token)).toBeUndefined();
    expect(await w.team.signIn('member@example.com', MEMBER_PASSWORD, undefined, REMOTE)).toEqual(failed);
    await expect(w.team.remove(w.member.id, w.actor)).rejects.toThrow(NotFoundError);
  });
});

describe('first run', () => {
  it('a setup token creates the first admin once', async () => {
    const w = setup();
    const token = w.team.setupTokenForFirstRun()!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(w.team.setupTokenForFirstRun()).toBe(token);
    await expect(w.team.completeSetup('wrong', { email: 'root@example.com', password: ADMIN_PASSWORD })).rejects.toThrow(NotFoundError);
    // A form error keeps the token.
    await expect(w.team.completeSetup(token, { email: 'root@example.com', password: 'short' })).rejects.toThrow(ValidationError);
    const admin = await w.team.completeSetup(token, { email: 'root@example.com', password: ADMIN_PASSWORD });
    expect(admin).toMatchObject({ email: 'root@example.com', role: 'admin' });
    await expect(w.team.completeSetup(token, { email: 'two@example.com', password: ADMIN_PASSWORD })).rejects.toThrow(NotFoundError);
    expect(w.team.setupTokenForFirstRun()).toBeNull();
    // After a restart with a member, there is no setup token at all.
    const restarted = new TeamService(w.store, { bcryptCost: 4, throttle: { maxFailures: 5, lockoutSeconds: 300, failureDelayMs: 0 } });
    expect(restarted.setupTokenForFirstRun()).toBeNull();
    expect(w.team.activity.list(1)[0]).toMatchObject({ actorType: 'user', actorId: admin.id, action: 'user.created' });
  });
});

describe('activity log', () => {
  it('records who changed what, newest first, in pages', async () => {
    const w = await withMember();
    await w.team.invite({ email: 'inv@example.com', name: 'In Vited', role: 'member' }, w.actor);
    await w.team.setRequireMfa(true, w.actor);
    w.team.activity.record({ type: 'api_key', id: 'key-1', label: 'ci' }, 'grant.created', { type: 'grant', id: 'g1', detail: { email: 'x@y.example' } });
    const all = w.team.activity.list(10);
    expect(all.map((a) => [a.actorType, a.actorLabel, a.action, a.objectType])).toEqual([
      ['api_key', 'ci', 'grant.created', 'grant'],
      ['user', 'admin@example.com', 'organization.updated', 'organization'],
      ['user', 'admin@example.com', 'invitation.created', 'invitation'],
      ['user', 'admin@example.com', 'user.created', 'user'],
      ['cli', 'cli', 'user.created', 'user'],
    ]);
    expect(all[1]!.detail).toEqual({ requireMfa: true });
    expect(all[3]).toMatchObject({ actorId: w.admin.id, objectId: w.member.id, detail: { email: 'member@example.com', role: 'member' }, at: w.clock.seconds() });
    const page = w.team.activity.list(2, all[1]!.id);
    expect(page.map((a) => a.id)).toEqual([all[2]!.id, all[3]!.id]);
    // The label outlives the member.
    await w.team.changeRole(w.member.id, 'admin', w.actor);
    await w.team.remove(w.admin.id, { type: 'user', id: w.member.id });
    expect(w.team.activity.list(50).find((a) => a.action === 'invitation.created')!.actorLabel).toBe('admin@example.com');
    const text = JSON.stringify(w.team.activity.list(50)) + w.logged.join('');
    for (const secret of [ADMIN_PASSWORD, MEMBER_PASSWORD]) expect(text).not.toContain(secret);
  });
});
