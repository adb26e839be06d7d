// The team page over HTTP: the members table, role changes, MFA reset, removal (which ends the
// member's sessions), last-admin protection (409 with the service's message), and the admin
// pages' boundary: a member gets 403 on every one of them, GET and POST, and changes nothing.
import { describe, expect, it } from 'vitest';
import { totp } from '../../src/dashboard/totp.js';
import { ACTIVITY_ROUTES } from '../../src/web/routes/activity.js';
import { ORGANIZATION_ROUTES } from '../../src/web/routes/organization.js';
import { TEAM_ROUTES } from '../../src/web/routes/team.js';
import { startTestGateway } from '../helpers/gateway.js';
import { member, WebClient, type WebReply } from '../helpers/web.js';

const formErrorOf = (page: WebReply): string | undefined => /<p class="form-error" role="alert">([^<]*)<\/p>/.exec(page.text)?.[1];

describe('team page', () => {
  it('lists members with role, sign-in and MFA status', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    await member(g, 'admin@example.com');
    await member(g, 'never@example.com', 'member');
    const signedIn = await member(g, 'here@example.com', 'member');
    await g.gateway.services.team.rename(signedIn.id, 'Hera <Here>', { type: 'cli' });
    await WebClient.for(g).signIn('here@example.com');
    const web = WebClient.for(g);
    await web.signIn('admin@example.com');
    const page = await web.get('/dashboard/team');
    expect(page.status).toBe(200);
    const row = (email: string) => page.text.split('<tr>').find((r) => r.includes(`<td>${email}</td>`))!;
    expect(row('admin@example.com')).toContain('<span class="badge">you</span>');
    expect(row('admin@example.com')).toContain('<td>Admin</td>');
    expect(row('never@example.com')).toContain('<td>Member</td>');
    expect(row('never@example.com')).toContain('never signed in');
    expect(row('here@example.com')).toContain('signed in now');
    expect(row('here@example.com')).toContain('Hera &lt;Here&gt;');
    expect(row('here@example.com')).toContain('<span class="badge bad">off</span>');
    expect(page.text).toContain('<th scope="col">Two-factor</th>');
    // Every action is a form with a confirmation.
    expect(row('here@example.com')).toMatch(/action="\/dashboard\/team\/members\/[^/]+\/remove" class="inline" data-confirm="Remove here@example.com/);
  });

  it('gives a member 403 on every admin page and form, and changes nothing', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    const admin = await member(g, 'admin@example.com');
    await member(g, 'member@example.com', 'member');
    const team = g.gateway.services.team;
    const { invitation } = await team.invite({ email: 'new@example.com', name: 'New', role: 'admin' }, { type: 'cli' });
    const before = { org: team.organization(), invitations: team.listInvitations(), members: team.listMembers().map((m) => [m.id, m.role]) };

    const web = WebClient.for(g);
    await web.signIn('member@example.com');
    expect((await web.get('/dashboard')).status).toBe(200);
    const routes = [...ORGANIZATION_ROUTES, ...TEAM_ROUTES, ...ACTIVITY_ROUTES];
    expect(routes.every((r) => r.access === 'admin')).toBe(true);
    expect(routes.filter((r) => r.method === 'POST').length).toBeGreaterThanOrEqual(8);
    for (const r of routes) {
      const path = r.path.replace(':id', r.path.includes('/invitations/') ? invitation.id : admin.id);
      const res =
        r.method === 'GET'
          ? await web.get(path)
          : await web.post(path, { name: 'Taken', email: 'x@example.com', admin: 'on', role: 'member', require_mfa: 'on', contact_email: '', system_account_email: '' });
      expect(res.status, `${r.method} ${path}`).toBe(403);
      expect(res.text).toContain('Only an organization admin can open this page.');
    }
    // The navigation offers none of them.
    const home = await web.get('/dashboard');
    expect(home.text).not.toContain('href="/dashboard/team"');
    expect(home.text).not.toContain('href="/dashboard/organization"');
    expect({ org: team.organization(), invitations: team.listInvitations(), members: team.listMembers().map((m) => [m.id, m.role]) }).toEqual(before);
  });

  it('protects the last admin: no demotion, no removal (409 and the message)', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    const admin = await member(g, 'admin@example.com');
    const web = WebClient.for(g);
    await web.signIn('admin@example.com');
    await web.get('/dashboard/team');
    const demote = await web.post(`/dashboard/team/members/${admin.id}/role`, { role: 'member' });
    expect(demote.status).toBe(409);
    expect(formErrorOf(demote)).toBe('the last admin cannot be made a member: make another member an admin first');
    const remove = await web.post(`/dashboard/team/members/${admin.id}/remove`);
    expect(remove.status).toBe(409);
    expect(formErrorOf(remove)).toBe('the last admin cannot be removed: make another member an admin first');
    expect(g.gateway.services.team.getUser(admin.id).role).toBe('admin');
    expect((await web.get('/dashboard/team')).status).toBe(200);
    const unknown = await web.post('/dashboard/team/members/no-such-member/remove');
    expect(unknown.status).toBe(404);
    const badRole = await web.post(`/dashboard/team/members/${admin.id}/role`, { role: 'owner' });
    expect(badRole.status).toBe(400);
  });

  it('changes roles, resets MFA, and removes a member, whose session ends', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    await member(g, 'admin@example.com');
    const bob = await member(g, 'bob@example.com', 'member');
    const team = g.gateway.services.team;
    const bobWeb = WebClient.for(g);
    await bobWeb.signIn('bob@example.com');
    expect((await bobWeb.get('/dashboard/team')).status).toBe(403);

    const web = WebClient.for(g);
    await web.signIn('admin@example.com');
    await web.get('/dashboard/team');
    const promote = await web.post(`/dashboard/team/members/${bob.id}/role`, { role: 'admin' });
    expect(promote.status).toBe(303);
    expect((await web.get('/dashboard/team')).text).toContain('bob@example.com is now an admin.');
    // The role is read on every request: Bob's open session sees the admin pages now.
    expect((await bobWeb.get('/dashboard/team')).status).toBe(200);

    const { secret } = team.beginEnrolment(bob.id);
    await team.confirmEnrolment(bob.id, totp(secret, Date.now() / 1000));
    const withMfa = await web.get('/dashboard/team');
    expect(withMfa.text).toContain(`/dashboard/team/members/${bob.id}/reset-mfa`);
    expect((await web.post(`/dashboard/team/members/${bob.id}/reset-mfa`)).status).toBe(303);
    expect(team.getUser(bob.id).mfaEnabled).toBe(false);

    await web.get('/dashboard/team');
    const removed = await web.post(`/dashboard/team/members/${bob.id}/remove`);
    expect(removed.status).toBe(303);
    expect((await web.get('/dashboard/team')).text).toContain('bob@example.com is removed from the team and signed out.');
    const after = await bobWeb.get('/dashboard');
    expect(after.status).toBe(303);
    expect(after.location).toMatch(/^\/dashboard\/sign-in/);
    expect((await WebClient.for(g).signIn('bob@example.com')).status).toBe(401);
    const actions = team.activity.list().map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['user.role_changed', 'user.mfa_reset', 'user.removed']));
  });
});
