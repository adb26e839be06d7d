// Organization settings over HTTP: validation messages next to their fields, the system
// account, the "require MFA" switch (a member signing in afterwards is held on the enrol page
// until enrolled; one already signed in keeps working), and the activity log with paging.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { totp, totpStep, TOTP_STEP_SECONDS } from '../../src/dashboard/totp.js';
import { startTestGateway } from '../helpers/gateway.js';
import { member, WebClient, type WebReply } from '../helpers/web.js';

/** A code of the current time step, never made in a step's last two seconds (see profile.test.ts). */
async function currentCode(secret: string): Promise<string> {
  const now = Date.now() / 1000;
  if (TOTP_STEP_SECONDS - (now % TOTP_STEP_SECONDS) < 2) await sleep(2100);
  return totp(secret, totpStep(Date.now() / 1000) * TOTP_STEP_SECONDS);
}

const fieldError = (page: WebReply, name: string): string | undefined => new RegExp(`id="f-${name}-error">([^<]*)<`).exec(page.text)?.[1];

describe('organization settings', () => {
  it('saves name, contact email and system account, with the server’s messages next to the fields', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    await member(g, 'admin@example.com');
    const web = WebClient.for(g);
    await web.signIn('admin@example.com');
    const page = await web.get('/dashboard/organization');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Organization</h1>');

    const bad = await web.post('/dashboard/organization', { name: 'Acme', contact_email: 'not an address', system_account_email: '' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad, 'contact_email')).toMatch(/^contact_email: /);
    expect(bad.text).toContain('value="not an address"');

    const missing = await web.post('/dashboard/organization', { name: 'Acme', contact_email: '', system_account_email: 'system@agents.example.com' });
    expect(missing.status).toBe(400);
    expect(fieldError(missing, 'system_account_email')).toContain('no account system@agents.example.com exists');

    const empty = await web.post('/dashboard/organization', { name: '', contact_email: '', system_account_email: '' });
    expect(empty.status).toBe(400);
    expect(fieldError(empty, 'name')).toMatch(/name must be 1 to 100/);
    expect(g.gateway.services.team.organization().name).not.toBe('');

    await g.account('system');
    const ok = await web.post('/dashboard/organization', { name: 'Acme & Co', contact_email: 'Ops@Acme.example', system_account_email: 'system@agents.example.com' });
    expect(ok.status).toBe(303);
    expect(g.gateway.services.team.organization()).toMatchObject({
      name: 'Acme & Co',
      contactEmail: 'ops@acme.example',
      systemAccountEmail: 'system@agents.example.com',
      requireMfa: false,
    });
    const saved = await web.get('/dashboard/organization');
    expect(saved.text).toContain('Organization settings saved.');
    expect(saved.text).toContain('value="Acme &amp; Co"');
    // Emptied fields clear the optional settings.
    expect((await web.post('/dashboard/organization', { name: 'Acme', contact_email: '', system_account_email: '' })).status).toBe(303);
    expect(g.gateway.services.team.organization()).toMatchObject({ contactEmail: null, systemAccountEmail: null });
    expect(g.gateway.services.team.activity.list().filter((a) => a.action === 'organization.updated')).toHaveLength(2);
  });

  it('require MFA: a member signing in afterwards must enrol before anything else; one signed in already keeps working', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    await member(g, 'admin@example.com');
    await member(g, 'early@example.com', 'member');
    const late = await member(g, 'late@example.com', 'member');
    const admin = WebClient.for(g);
    const early = WebClient.for(g);
    await admin.signIn('admin@example.com');
    await early.signIn('early@example.com');

    const page = await admin.get('/dashboard/organization');
    expect(page.text).toContain('Require two-factor authentication for everyone');
    expect(page.text).toMatch(/3 members have no two-factor authentication/);
    const on = await admin.post('/dashboard/organization/require-mfa', { require_mfa: 'on' });
    expect(on.status).toBe(303);
    expect(g.gateway.services.team.organization().requireMfa).toBe(true);
    expect((await admin.get('/dashboard/organization')).text).toContain('Stop requiring two-factor authentication');

    // Signed in before: not signed out, not held.
    expect((await early.get('/dashboard')).status).toBe(200);
    await early.get('/dashboard');
    expect((await early.post('/dashboard/apps', { name: 'early-app' })).status).toBe(303);

    // Signing in now: sent to the enrol page, and back to it from anywhere else.
    const web = WebClient.for(g);
    const signIn = await web.signIn('late@example.com');
    expect(signIn.location).toBe('/dashboard/profile/mfa');
    for (const path of ['/dashboard', '/dashboard/profile', '/dashboard/team', `/dashboard/apps/${g.appId}`]) {
      const res = await web.get(path);
      expect(res.status, path).toBe(303);
      expect(res.location, path).toBe('/dashboard/profile/mfa');
    }
    const enrolPage = await web.get('/dashboard/profile/mfa');
    expect(enrolPage.status).toBe(200);
    expect(enrolPage.text).toContain('requires two-factor authentication for every member');
    // No navigation away while held.
    expect(enrolPage.text).not.toContain('href="/dashboard/domains"');
    const secret = /<code id="totp-secret" class="secret">([A-Z2-7]+)<\/code>/.exec(enrolPage.text)![1]!;
    // POSTs elsewhere do nothing and lead back to the enrol page.
    const blocked = await web.post('/dashboard/apps', { name: 'late-app' });
    expect(blocked.status).toBe(303);
    expect(blocked.location).toBe('/dashboard/profile/mfa');
    expect((await web.post('/dashboard/profile/name', { name: 'Renamed' })).location).toBe('/dashboard/profile/mfa');
    expect(g.gateway.services.applications.list().map((a) => a.name)).not.toContain('late-app');
    expect(g.gateway.services.team.getUser(late.id).name).toBe('late');

    await web.get('/dashboard/profile/mfa');
    const enrolled = await web.post('/dashboard/profile/mfa', { code: await currentCode(secret) });
    expect(enrolled.status).toBe(200);
    expect(enrolled.text.match(/\b[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}\b/g)).toHaveLength(10);
    // The same session may now do everything.
    expect((await web.get('/dashboard')).status).toBe(200);
    expect((await web.post('/dashboard/apps', { name: 'late-app' })).status).toBe(303);
    expect(g.gateway.services.applications.list().map((a) => a.name)).toContain('late-app');

    // Switched off again.
    await admin.get('/dashboard/organization');
    expect((await admin.post('/dashboard/organization/require-mfa', { require_mfa: 'off' })).status).toBe(303);
    expect(g.gateway.services.team.organization().requireMfa).toBe(false);
  });
});

describe('activity log', () => {
  it('shows who did what, newest first, a page at a time', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    const admin = await member(g, 'admin@example.com');
    const team = g.gateway.services.team;
    for (let i = 0; i < 55; i++) team.activity.record({ type: 'cli' }, 'thing.touched', { type: 'thing', id: `t${i}`, detail: { n: i } });
    team.activity.record({ type: 'api_key', id: 'key-1', label: 'deploy (wk_ab…)' }, 'grants.create', { type: 'grant', id: 'g1' });
    team.activity.record({ type: 'user', id: admin.id }, 'application.created', { type: 'application', id: 'a1', detail: { name: '<b>x</b>' } });
    const web = WebClient.for(g);
    await web.signIn('admin@example.com');
    const first = await web.get('/dashboard/activity');
    expect(first.status).toBe(200);
    const rows = first.text.split('<tr>').slice(2);
    expect(rows).toHaveLength(50);
    expect(rows[0]).toContain('application.created');
    expect(rows[0]).toContain('admin@example.com');
    expect(rows[0]).toContain('name: &lt;b&gt;x&lt;/b&gt;');
    expect(rows[1]).toContain('API key deploy (wk_ab…)');
    expect(rows[2]).toContain('CLI');
    expect(rows[2]).toContain('<code>t54</code>');
    expect(first.text).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC<\/time>/);
    const older = /href="(\/dashboard\/activity\?before=\d+)" rel="next"/.exec(first.text)![1]!;
    const second = await web.get(older);
    const rows2 = second.text.split('<tr>').slice(2);
    // 58 entries: the member's creation, 55 + 2 recorded here, and the sign-in is not an entry.
    expect(rows2.map((r) => /<code>(t\d+)<\/code>/.exec(r)?.[1] ?? /<code>([a-z_.]+)<\/code>/.exec(r)?.[1])).toEqual([
      't6',
      't5',
      't4',
      't3',
      't2',
      't1',
      't0',
      'user.created',
    ]);
    expect(second.text).not.toContain('rel="next"');
    expect(second.text).toContain('href="/dashboard/activity">Newest</a>');
  });
});
