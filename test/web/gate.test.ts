// The dashboard's gate: sign-in, sessions in HttpOnly cookies, CSRF on every POST, stages and
// roles, the setup page, and the response headers every page carries.
import { describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/gateway.js';
import { member, TEAM_PASSWORD, WebClient } from '../helpers/web.js';
import { WEB_ROUTES } from '../../src/web/routes/index.js';

describe('dashboard gate', () => {
  it('sends a visitor to sign-in, signs in with a session cookie that is HttpOnly and SameSite', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    await member(g, 'admin@example.com');
    const web = WebClient.for(g);
    const first = await web.get('/dashboard');
    expect(first.status).toBe(303);
    expect(first.location).toBe('/dashboard/sign-in?next=%2Fdashboard');
    await web.get('/dashboard/sign-in');
    const signIn = await web.post('/dashboard/sign-in', { email: 'admin@example.com', password: TEAM_PASSWORD, next: '/dashboard' });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith('wicket_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP here
    const home = await web.get('/dashboard');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<h1>Applications</h1>');
    expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers a wrong password and an unknown email with the same message', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    await member(g, 'admin@example.com');
    const web = WebClient.for(g);
    await web.get('/dashboard/sign-in');
    const wrong = await web.post('/dashboard/sign-in', { email: 'admin@example.com', password: 'not the password at all' });
    const unknown = await web.post('/dashboard/sign-in', { email: 'nobody@example.com', password: TEAM_PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = (t: string) => /<p class="form-error" role="alert">([^<]*)<\/p>/.exec(t)?.[1];
    expect(message(wrong.text)).toBe('wrong email, password or code');
    expect(message(unknown.text)).toBe(message(wrong.text));
  });

  it('refuses a POST without the CSRF token, or with another session’s, with 403', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    await member(g, 'admin@example.com');
    const web = WebClient.for(g);
    await web.signIn('admin@example.com');
    const none = await web.post('/dashboard/apps', { name: 'staging', _csrf: null });
    expect(none.status).toBe(403);
    const other = WebClient.for(g);
    await other.signIn('admin@example.com');
    const foreign = await web.post('/dashboard/apps', { name: 'staging', _csrf: other.csrf! });
    expect(foreign.status).toBe(403);
    const crossSite = await web.post('/dashboard/apps', { name: 'staging' }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(g.gateway.services.applications.list().map((a) => a.name)).not.toContain('staging');
    const ok = await web.post('/dashboard/apps', { name: 'staging' });
    expect(ok.status).toBe(303);
    expect(g.gateway.services.applications.list().map((a) => a.name)).toContain('staging');
  });

  it('refuses the sign-in form without its pre-session token (login CSRF)', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    await member(g, 'admin@example.com');
    const web = WebClient.for(g);
    const res = await web.post('/dashboard/sign-in', { email: 'admin@example.com', password: TEAM_PASSWORD });
    expect(res.status).toBe(403);
  });

  it('creates the first admin on the setup page with the token, once', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    const token = g.gateway.services.team.setupTokenForFirstRun()!;
    const web = WebClient.for(g);
    expect((await web.get('/dashboard/sign-in')).text).toContain('No team member exists yet');
    await web.get(`/dashboard/setup?token=${token}`);
    const wrong = await web.post('/dashboard/setup', { token: 'x'.repeat(43), email: 'first@example.com', password: TEAM_PASSWORD });
    expect(wrong.status).toBe(404);
    const short = await web.post('/dashboard/setup', { token, email: 'first@example.com', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.text).toMatch(/field-error" id="f-password-error">[^<]*12/);
    const done = await web.post('/dashboard/setup', { token, email: 'first@example.com', password: TEAM_PASSWORD });
    expect(done.status).toBe(303);
    expect((await web.get('/dashboard')).status).toBe(200);
    const again = WebClient.for(g);
    await again.get('/dashboard/sign-in');
    expect((await again.post('/dashboard/setup', { token, email: 'second@example.com', password: TEAM_PASSWORD })).status).toBe(404);
  });

  it('serves a 404 page for unknown dashboard paths and keeps the API JSON', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    const web = WebClient.for(g);
    const page = await web.get('/dashboard/no/such/page');
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    const api = await web.get('/v3/nothing');
    expect(api.headers.get('content-type')).toContain('application/json');
    expect((await web.get('/')).location).toBe('/dashboard');
  });

  it('refuses every POST route of the dashboard without its CSRF token (403), signed in or not', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    await member(g, 'admin@example.com');
    const admin = WebClient.for(g);
    await admin.signIn('admin@example.com');
    const visitor = WebClient.for(g);
    await visitor.get('/dashboard/sign-in');
    const posts = WEB_ROUTES.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(40);
    const before = g.gateway.services.team.activity.list(500).length;
    for (const route of posts) {
      const path = route.path.replace(/:app\b/, g.appId).replace(/:[a-z_]+/gi, 'x');
      for (const client of [admin, visitor]) {
        const res = await client.post(path, { _csrf: null, name: 'sneaky', email: 'sneaky@example.com', password: TEAM_PASSWORD });
        expect(res.status, `${client === admin ? 'admin' : 'visitor'} POST ${route.path}`).toBe(403);
      }
    }
    // Nothing changed: no activity recorded, no application made.
    expect(g.gateway.services.team.activity.list(500).length).toBe(before);
    expect(g.gateway.services.applications.list().map((a) => a.name)).not.toContain('sneaky');
  });
});
