// The profile pages over HTTP: MFA enrolment with the QR code and the secret (the code is
// computed from the secret the page shows), recovery codes shown once, sign-in with a code that
// works once, disable with a code; name, password and "sign out everywhere else".
import { describe, expect, it } from 'vitest';
import { SIGN_IN_FAILED } from '../../src/dashboard/team.js';
import { totp } from '../../src/dashboard/totp.js';
import { startTestGateway } from '../helpers/gateway.js';
import { Authenticator } from '../helpers/totp.js';
import { member, TEAM_PASSWORD, WebClient, type WebReply } from '../helpers/web.js';


const secretOf = (page: WebReply): string => /<code id="totp-secret" class="secret">([A-Z2-7]+)<\/code>/.exec(page.text)![1]!;
const recoveryCodesOf = (page: WebReply): string[] => page.text.match(/\b[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}\b/g) ?? [];
const fieldError = (page: WebReply, name: string): string | undefined => new RegExp(`id="f-${name}-error">([^<]*)<`).exec(page.text)?.[1];

describe('profile: two-factor authentication', () => {
  it('enrols with the QR code and the secret, shows the recovery codes once, and then asks for a code that works once', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    const admin = await member(g, 'admin@example.com');
    const web = WebClient.for(g);
    await web.signIn('admin@example.com');

    const profile = await web.get('/dashboard/profile');
    expect(profile.status).toBe(200);
    expect(profile.text).toContain('Set up two-factor authentication');

    const page = await web.get('/dashboard/profile/mfa');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const secret = secretOf(page);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(page.text).toContain('data-copy="#totp-secret"');
    // The QR code: an SVG as a data: image (CSP img-src data:), holding no inline style.
    const img = /<img class="qr" src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"[^>]* alt="[^"]+">/.exec(page.text);
    expect(img).not.toBeNull();
    const svg = Buffer.from(img![1]!, 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg).not.toMatch(/style=|<script/i);
    // A reload shows the same secret: what was scanned stays valid.
    expect(secretOf(await web.get('/dashboard/profile/mfa'))).toBe(secret);

    const device = new Authenticator(secret);
    const wrong = await web.post('/dashboard/profile/mfa', { code: totp(secret, Date.now() / 1000 - 3600) });
    expect(wrong.status).toBe(400);
    expect(fieldError(wrong, 'code')).toMatch(/code is not right/);
    expect(secretOf(wrong)).toBe(secret);

    const done = await web.post('/dashboard/profile/mfa', { code: await device.next() });
    expect(done.status).toBe(200);
    expect(done.headers.get('cache-control')).toBe('no-store');
    const codes = recoveryCodesOf(done);
    expect(new Set(codes).size).toBe(10);
    expect(g.gateway.services.team.getUser(admin.id).mfaEnabled).toBe(true);

    // Shown once: no later page has them.
    const after = await web.get('/dashboard/profile/mfa');
    expect(after.status).toBe(200);
    expect(after.text).toContain('10 unused recovery codes');
    expect(recoveryCodesOf(after)).toEqual([]);
    expect(after.text).not.toContain(secret);
    const profileAfter = await web.get('/dashboard/profile');
    expect(recoveryCodesOf(profileAfter)).toEqual([]);
    expect(profileAfter.text).toContain('10 recovery codes left');

    // Sign-in now asks for the code.
    const second = WebClient.for(g);
    await second.get('/dashboard/sign-in');
    const password = await second.post('/dashboard/sign-in', { email: 'admin@example.com', password: TEAM_PASSWORD });
    expect(password.location).toBe('/dashboard/sign-in/code');
    expect((await second.get('/dashboard')).location).toBe('/dashboard/sign-in/code');
    await second.get('/dashboard/sign-in/code');
    const code = await device.next();
    const signedIn = await second.post('/dashboard/sign-in/code', { code });
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe('/dashboard');
    expect((await second.get('/dashboard')).status).toBe(200);

    // The same code a second time: refused with the one sign-in answer.
    const third = WebClient.for(g);
    const replay = await third.signIn('admin@example.com', TEAM_PASSWORD, () => code);
    expect(replay.status).toBe(401);
    expect(replay.text).toContain(SIGN_IN_FAILED);
    expect((await third.get('/dashboard')).status).toBe(303);

    // A recovery code stands in for a code, once.
    const fourth = WebClient.for(g);
    expect((await fourth.signIn('admin@example.com', TEAM_PASSWORD, () => codes[0]!)).location).toBe('/dashboard');
    const fifth = WebClient.for(g);
    expect((await fifth.signIn('admin@example.com', TEAM_PASSWORD, () => codes[0]!)).status).toBe(401);

    // Turned off with a code (not with a wrong one).
    await web.get('/dashboard/profile/mfa');
    const badDisable = await web.post('/dashboard/profile/mfa/disable', { code: '12345' });
    expect(badDisable.status).toBe(400);
    expect(fieldError(badDisable, 'code')).toBe('the code is not right');
    expect(g.gateway.services.team.getUser(admin.id).mfaEnabled).toBe(true);
    const disabled = await web.post('/dashboard/profile/mfa/disable', { code: await device.next() });
    expect(disabled.status).toBe(303);
    expect(disabled.location).toBe('/dashboard/profile');
    expect(g.gateway.services.team.getUser(admin.id).mfaEnabled).toBe(false);
    const actions = g.gateway.services.team.activity.list().map((a) => a.action);
    expect(actions).toContain('user.mfa_enabled');
    expect(actions).toContain('user.mfa_disabled');
    // Signing in takes the password alone again.
    expect((await WebClient.for(g).signIn('admin@example.com')).location).toBe('/dashboard');
  });

  it('makes a new secret only when asked; the old one then stops working', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    const admin = await member(g, 'admin@example.com');
    const web = WebClient.for(g);
    await web.signIn('admin@example.com');
    const first = secretOf(await web.get('/dashboard/profile/mfa'));
    const restarted = await web.post('/dashboard/profile/mfa/restart');
    expect(restarted.location).toBe('/dashboard/profile/mfa');
    const page = await web.get('/dashboard/profile/mfa');
    const second = secretOf(page);
    expect(second).not.toBe(first);
    expect(page.text).toContain('A new secret is ready');
    const old = await web.post('/dashboard/profile/mfa', { code: await new Authenticator(first).next() });
    expect(old.status).toBe(400);
    expect(g.gateway.services.team.getUser(admin.id).mfaEnabled).toBe(false);
    expect((await web.post('/dashboard/profile/mfa', { code: await new Authenticator(second).next() })).status).toBe(200);
    expect(g.gateway.services.team.getUser(admin.id).mfaEnabled).toBe(true);
  });

  it('offers no way to turn MFA off while the organization requires it, and refuses the POST', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    const admin = await member(g, 'admin@example.com');
    const web = WebClient.for(g);
    await web.signIn('admin@example.com');
    const device = new Authenticator(secretOf(await web.get('/dashboard/profile/mfa')));
    expect((await web.post('/dashboard/profile/mfa', { code: await device.next() })).status).toBe(200);
    await g.gateway.services.team.setRequireMfa(true, { type: 'cli' });
    const page = await web.get('/dashboard/profile/mfa');
    expect(page.text).toContain('cannot be turned off');
    expect(page.text).not.toContain('/dashboard/profile/mfa/disable');
    const refused = await web.post('/dashboard/profile/mfa/disable', { code: await device.next() });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('the organization requires MFA');
    expect(g.gateway.services.team.getUser(admin.id).mfaEnabled).toBe(true);
  });
});

describe('profile: name, password, sessions', () => {
  it('renames, with the server’s message next to the field', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    const admin = await member(g, 'admin@example.com');
    const web = WebClient.for(g);
    await web.signIn('admin@example.com');
    await web.get('/dashboard/profile');
    const empty = await web.post('/dashboard/profile/name', { name: '   ' });
    expect(empty.status).toBe(400);
    expect(fieldError(empty, 'name')).toMatch(/name must be 1 to/);
    const ok = await web.post('/dashboard/profile/name', { name: 'Ada <Admin>' });
    expect(ok.status).toBe(303);
    expect(g.gateway.services.team.getUser(admin.id).name).toBe('Ada <Admin>');
    const page = await web.get('/dashboard/profile');
    expect(page.text).toContain('value="Ada &lt;Admin&gt;"');
    expect(page.text).toContain('Your name is saved.');
  });

  it('changes the password with the current one; other sessions end, this one stays', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    await member(g, 'admin@example.com');
    const web = WebClient.for(g);
    const other = WebClient.for(g);
    await web.signIn('admin@example.com');
    await other.signIn('admin@example.com');
    const page = await web.get('/dashboard/profile');
    expect(page.text).toContain('data-password-rules="team"');
    expect(page.text).toContain('data-rules-for="f-new_password"');
    expect(page.text).toContain('data-rule="length_team"');

    const wrong = await web.post('/dashboard/profile/password', { current_password: 'not the password at all', new_password: 'a brand new long password' });
    expect(wrong.status).toBe(400);
    expect(fieldError(wrong, 'current_password')).toBe('the current password is not right');
    const short = await web.post('/dashboard/profile/password', { current_password: TEAM_PASSWORD, new_password: 'short' });
    expect(short.status).toBe(400);
    expect(fieldError(short, 'new_password')).toMatch(/12 to 128 characters/);
    const ok = await web.post('/dashboard/profile/password', { current_password: TEAM_PASSWORD, new_password: 'a brand new long password' });
    expect(ok.status).toBe(303);
    expect((await web.get('/dashboard/profile')).status).toBe(200);
    expect((await other.get('/dashboard')).location).toMatch(/^\/dashboard\/sign-in/);
    expect((await WebClient.for(g).signIn('admin@example.com', 'a brand new long password')).location).toBe('/dashboard');
    expect((await WebClient.for(g).signIn('admin@example.com', TEAM_PASSWORD)).status).toBe(401);
  });

  it('signs out everywhere else', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    await member(g, 'admin@example.com');
    const web = WebClient.for(g);
    const other = WebClient.for(g);
    await web.signIn('admin@example.com');
    await other.signIn('admin@example.com');
    await web.get('/dashboard/profile');
    const done = await web.post('/dashboard/profile/sign-out-everywhere');
    expect(done.status).toBe(303);
    expect((await web.get('/dashboard/profile')).text).toContain('Signed out 1 other session.');
    expect((await other.get('/dashboard')).location).toMatch(/^\/dashboard\/sign-in/);
    expect(g.gateway.services.team.activity.list().map((a) => a.action)).toContain('user.signed_out_everywhere');
  });
});
