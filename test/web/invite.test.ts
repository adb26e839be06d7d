// Invitations over HTTP: the mail goes through the delivery pipeline from the organization's
// system account (a Sent copy there, the invitee's copy in their mailbox when they are a local
// agent account); the link in it is accepted once, signs the new member in, and is dead after;
// without a system account the page shows the link and why no mail went.
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { INVITATION_INVALID } from '../../src/dashboard/team.js';
import { folderMessages, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { member, WebClient, type WebReply } from '../helpers/web.js';

const NEW_PASSWORD = 'a long enough new password';

/** The path of the invitation link in a mail, checking it names this dashboard's origin. */
async function linkIn(g: TestGateway, raw: string): Promise<string> {
  const mail = await simpleParser(raw);
  const match = /(http:\/\/[^\s/]+)(\/invite\/[A-Za-z0-9_-]{43})\b/.exec(mail.text ?? '');
  expect(match, mail.text).not.toBeNull();
  expect(match![1]).toBe(`http://127.0.0.1:${g.ports.http}`);
  return match![2]!;
}

async function adminWithSystemAccount() {
  const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
  await member(g, 'admin@example.com');
  await g.gateway.services.team.rename((await g.gateway.services.team.resolve('admin@example.com')).id, 'Ada Admin', { type: 'cli' });
  const system = await g.account('system');
  await g.gateway.services.team.updateOrganization({ name: 'Acme', systemAccountEmail: system.email }, { type: 'cli' });
  const web = WebClient.for(g);
  await web.signIn('admin@example.com');
  return { g, web, system };
}

describe('invitations', () => {
  it('to an address on another server with the relay off: the mail waits in the queue, so the page shows the link and says why', async () => {
    const { g, web } = await adminWithSystemAccount();
    await web.get('/dashboard/team');
    const page = await web.post('/dashboard/team/invite', { name: 'Remote Rita', email: 'rita@elsewhere.example' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('held in the outbound queue, because outbound relay is off (WICKET_RELAY=none)');
    expect(page.text).toMatch(/id="invite-link" class="secret">http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Za-z0-9_-]{43}</);
    expect(g.gateway.services.queue.list().map((e) => e.rcptTo)).toEqual(['rita@elsewhere.example']);
  });

  it('mails the link from the system account; accepting it signs the new member in; the link then is dead', async () => {
    const { g, web, system } = await adminWithSystemAccount();
    const bob = await g.account('bob');
    await web.get('/dashboard/team');
    const sent = await web.post('/dashboard/team/invite', { name: 'Bob Builder', email: bob.email });
    expect(sent.status).toBe(303);
    expect(sent.location).toBe('/dashboard/team');
    const team = await web.get('/dashboard/team');
    expect(team.text).toContain(`Invitation sent to ${bob.email} from ${system.email}.`);
    expect(team.text).toMatch(/<td>bob@agents\.example\.com<\/td>\s*<td>Bob Builder<\/td>\s*<td>Member<\/td>\s*<td>Ada Admin<\/td>/);
    // The link is in the mail only, never on the page.
    expect(team.text).not.toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);

    // A Sent copy at the system account, and the invitee's copy in their inbox.
    const [copy] = folderMessages(g, system, 'Sent');
    expect(copy).toBeDefined();
    const [mail] = folderMessages(g, bob, 'INBOX');
    expect(mail).toBeDefined();
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.subject).toBe('You are invited to Acme on Wicket');
    expect(parsed.from?.value[0]?.address).toBe(system.email);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined).toBe(bob.email);
    expect(parsed.text).toContain('Ada Admin (admin@example.com) invited you to join Acme on Wicket as a member.');
    expect(parsed.text).toMatch(/expires on \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT/);
    const path = await linkIn(g, mail!.raw);
    expect(await linkIn(g, copy!.raw)).toBe(path);

    const invitee = WebClient.for(g);
    const page = await invitee.get(path);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.text).toContain('Ada Admin (admin@example.com) invited you to join as a member.');
    expect(page.text).toContain(`<dt>Email</dt><dd>${bob.email}</dd>`);
    expect(page.text).toContain('data-rule="length_team"');
    // The form posts the token in its body, not in its URL.
    expect(page.text).toContain('action="/invite/accept"');

    const short = await invitee.post('/invite/accept', { token: path.slice('/invite/'.length), password: 'too short' });
    expect(short.status).toBe(400);
    expect(short.text).toMatch(/id="f-password-error">password must be 12 to 128 characters/);
    const joined = await invitee.post('/invite/accept', { token: path.slice('/invite/'.length), password: NEW_PASSWORD });
    expect(joined.status).toBe(303);
    expect(joined.location).toBe('/dashboard');
    expect(joined.headers.getSetCookie().some((c) => c.startsWith('wicket_session=') && /HttpOnly/.test(c))).toBe(true);
    const home = await invitee.get('/dashboard');
    expect(home.status).toBe(200);
    expect(home.text).toContain(`<span class="who">${bob.email}</span>`);
    const user = g.gateway.services.team.resolve(bob.email);
    expect(user).toMatchObject({ name: 'Bob Builder', role: 'member' });
    // A member: the admin pages stay closed.
    expect((await invitee.get('/dashboard/team')).status).toBe(403);

    // Used: the same link is dead, to this browser and any other.
    const again = await WebClient.for(g).get(path);
    expect(again.status).toBe(404);
    expect(again.text).toContain(INVITATION_INVALID);
    const other = WebClient.for(g);
    await other.get('/dashboard/sign-in');
    const reuse = await other.post('/invite/accept', { token: path.slice('/invite/'.length), password: NEW_PASSWORD });
    expect(reuse.status).toBe(404);
    expect(reuse.text).toContain(INVITATION_INVALID);
    expect((await WebClient.for(g).signIn(bob.email, NEW_PASSWORD)).location).toBe('/dashboard');
  });

  it('without a system account: the invitation stands, and the page shows the link and why no mail went', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    await member(g, 'admin@example.com');
    const web = WebClient.for(g);
    await web.signIn('admin@example.com');
    await web.get('/dashboard/team');
    const res = await web.post('/dashboard/team/invite', { name: 'Cleo', email: 'cleo@example.com', admin: 'on' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.text).toContain('Invitation for cleo@example.com created — no email was sent');
    expect(res.text).toContain('no system account is set in the organization settings');
    const link = /<code id="invite-link" class="secret">(http:\/\/[^<]+)<\/code>/.exec(res.text)![1]!;
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${g.ports.http}/invite/[A-Za-z0-9_-]{43}$`));
    expect(res.text).toContain('data-copy="#invite-link"');
    expect(g.gateway.services.team.listInvitations().map((i) => [i.email, i.role])).toEqual([['cleo@example.com', 'admin']]);

    // The organization requires MFA: the new member goes to the enrol page first.
    await g.gateway.services.team.setRequireMfa(true, { type: 'cli' });
    const cleo = WebClient.for(g);
    const path = new URL(link).pathname;
    expect((await cleo.get(path)).text).toContain('invited you to join as an admin');
    const joined = await cleo.post('/invite/accept', { token: path.slice('/invite/'.length), password: NEW_PASSWORD });
    expect(joined.location).toBe('/dashboard/profile/mfa');
    expect((await cleo.get('/dashboard/team')).location).toBe('/dashboard/profile/mfa');
    expect((await cleo.get('/dashboard/profile/mfa')).status).toBe(200);
  });

  it('says why when the mail is refused, checks the form, and does not invite a member twice', async () => {
    const { web } = await adminWithSystemAccount();
    await web.get('/dashboard/team');
    // On our own domain but no such account: the pipeline refuses, the link is shown instead.
    const unknown = await web.post('/dashboard/team/invite', { name: 'Ghost', email: 'ghost@agents.example.com' });
    expect(unknown.status).toBe(200);
    expect(unknown.text).toContain('no email was sent');
    expect(unknown.text).toContain('no account ghost@agents.example.com exists here');

    const bad = await web.post('/dashboard/team/invite', { name: 'X', email: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="f-email-error">email: /);
    expect(bad.text).toContain('value="not-an-address"');
    const noName = await web.post('/dashboard/team/invite', { name: '', email: 'x@example.com' });
    expect(noName.status).toBe(400);
    expect(noName.text).toMatch(/id="f-name-error">name must be 1 to/);
    const taken = await web.post('/dashboard/team/invite', { name: 'Me', email: 'admin@example.com' });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('admin@example.com is already a team member');
  });

  it('re-sends a new link (the old one stops working) and revokes', async () => {
    const { g, web } = await adminWithSystemAccount();
    const dan = await g.account('dan');
    await web.get('/dashboard/team');
    await web.post('/dashboard/team/invite', { name: 'Dan', email: dan.email });
    const id = g.gateway.services.team.listInvitations()[0]!.id;
    const first = await linkIn(g, folderMessages(g, dan, 'INBOX')[0]!.raw);

    await web.get('/dashboard/team');
    const resent = await web.post(`/dashboard/team/invitations/${id}/resend`);
    expect(resent.status).toBe(303);
    expect((await web.get('/dashboard/team')).text).toContain(`Invitation re-sent to ${dan.email}`);
    const mails = folderMessages(g, dan, 'INBOX');
    expect(mails).toHaveLength(2);
    const second = await linkIn(g, mails[1]!.raw);
    expect(second).not.toBe(first);
    expect((await WebClient.for(g).get(first)).status).toBe(404);
    expect((await WebClient.for(g).get(second)).status).toBe(200);

    await web.get('/dashboard/team');
    expect((await web.post(`/dashboard/team/invitations/${id}/revoke`)).status).toBe(303);
    expect((await web.get('/dashboard/team')).text).toContain(`Invitation of ${dan.email} revoked`);
    expect((await WebClient.for(g).get(second)).status).toBe(404);
    expect(g.gateway.services.team.listInvitations()).toEqual([]);
    await web.get('/dashboard/team');
    expect((await web.post(`/dashboard/team/invitations/${id}/revoke`)).status).toBe(404);
  });

  it('answers a made-up or malformed link with the one 404', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    await member(g, 'admin@example.com');
    for (const path of [`/invite/${'A'.repeat(43)}`, '/invite/short', '/invite/%3Cscript%3E']) {
      const res: WebReply = await WebClient.for(g).get(path);
      expect(res.status, path).toBe(404);
      expect(res.text).toContain(INVITATION_INVALID);
      expect(res.text).not.toContain('<script>');
    }
  });
});
