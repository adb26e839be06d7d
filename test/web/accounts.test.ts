// Accounts in the dashboard: create through the form (the app-password rules shown for app.js
// and enforced by the server, nothing stored on an error), search and paging, the detail page
// with folder counts and the client setup panel, reset of the app password (the old IMAP
// session ends, the new password logs in), deletion with confirmation, and tenant isolation.
import { describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { imapLogin } from '../helpers/imap-client.js';
import { SmtpLineClient } from '../helpers/smtp-client.js';
import { member, PASSWORD, WebClient } from '../helpers/web.js';

async function signedIn(): Promise<{ g: TestGateway; web: WebClient; base: string }> {
  const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
  await member(g, 'admin@example.com', 'admin');
  // A plain member: every account page is open to members, not only to admins.
  await member(g, 'dev@example.com', 'member');
  const web = WebClient.for(g);
  await web.signIn('dev@example.com');
  return { g, web, base: `/dashboard/apps/${g.appId}` };
}

const fieldError = (text: string, field: string): string | undefined =>
  new RegExp(`<p class="field-error" id="f-${field}-error">([^<]*)</p>`).exec(text)?.[1];

/** The rows of the first table.list on a page, as arrays of cell texts (tags removed). */
function rows(text: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(text)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]*>/g, '').trim()));
}

async function mx(g: TestGateway, to: string, subject: string): Promise<void> {
  const { client } = await SmtpLineClient.connect(g.ports.mx);
  await client.cmd('EHLO sender.example');
  await client.cmd('MAIL FROM:<bob@sender.example>');
  expect(await client.cmd(`RCPT TO:<${to}>`)).toMatch(/^250 /);
  await client.cmd('DATA');
  const message = [
    'From: Bob <bob@sender.example>',
    `To: ${to}`,
    `Subject: ${subject}`,
    'Date: Mon, 02 Mar 2020 10:00:00 +0000',
    `Message-ID: <${subject.replace(/\W/g, '')}@sender.example>`,
    '',
    'hello',
    '.',
  ].join('\r\n');
  expect(await client.cmd(message)).toMatch(/^250 /);
  await client.cmd('QUIT');
}

describe('dashboard accounts', () => {
  it('creates an account through the form: domain from the list, alias, name, app password checked live and on the server', async () => {
    const { g, web, base } = await signedIn();
    const form = await web.get(`${base}/accounts/new`);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/<select id="f-domain" name="domain">\s*<option value="agents.example.com">@agents.example.com<\/option>/);
    expect(form.text).toContain('data-rules-for="f-app_password"');
    for (const rule of ['length_app', 'printable', 'upper', 'lower', 'digit']) expect(form.text).toContain(`<li data-rule="${rule}">`);
    expect(form.text).toMatch(/<input type="password" id="f-app_password" name="app_password"[^>]* data-password-rules="app"/);

    const fields = { domain: 'agents.example.com', alias: 'support', name: 'Support Desk' };
    const short = await web.post(`${base}/accounts`, { ...fields, app_password: 'Short1' });
    expect(short.status).toBe(400);
    expect(fieldError(short.text, 'app_password')).toBe('app password must be 18 to 40 characters long (it has 6)');
    expect(short.text).not.toContain('Short1');
    expect(short.text).toContain('value="support"'); // the other values are kept
    const noDigit = await web.post(`${base}/accounts`, { ...fields, app_password: 'NoDigitsInThisPassword!' });
    expect(noDigit.status).toBe(400);
    expect(fieldError(noDigit.text, 'app_password')).toMatch(/at least one digit/);
    const spaced = await web.post(`${base}/accounts`, { ...fields, app_password: 'Has Space In It 12345' });
    expect(fieldError(spaced.text, 'app_password')).toMatch(/spaces/);
    const badAlias = await web.post(`${base}/accounts`, { ...fields, alias: 'two words', app_password: PASSWORD });
    expect(badAlias.status).toBe(400);
    expect(fieldError(badAlias.text, 'alias')).toMatch(/invalid address/);
    const foreign = await web.post(`${base}/accounts`, { ...fields, domain: 'not-ours.example', app_password: PASSWORD });
    expect(foreign.status).toBe(400);
    expect(fieldError(foreign.text, 'domain')).toMatch(/registered domain/);
    expect(g.gateway.services.accounts.count(g.appId)).toBe(0);

    const created = await web.post(`${base}/accounts`, { ...fields, app_password: PASSWORD });
    expect(created.status).toBe(303);
    const account = g.gateway.services.accounts.get(g.appId, 'support@agents.example.com');
    expect(account.name).toBe('Support Desk');
    expect(created.location).toBe(`${base}/accounts/${account.id}`);
    const detail = await web.get(created.location!);
    expect(detail.text).toContain('Account support@agents.example.com created.');
    expect(detail.text).toMatch(/<dt>App password<\/dt><dd><span class="badge ok">set<\/span>/);
    // The password works for IMAP.
    const imap = await imapLogin(g.ports.imap, 'support@agents.example.com', PASSWORD);
    imap.destroy();
    expect(g.gateway.services.team.activity.list(10).map((a) => a.action)).toContain('account.created');

    const again = await web.post(`${base}/accounts`, { ...fields, app_password: '' });
    expect(again.status).toBe(409);
    expect(fieldError(again.text, 'alias')).toMatch(/already exists/);

    // Without an app password: created, and protocol logins are refused.
    expect((await web.post(`${base}/accounts`, { domain: 'agents.example.com', alias: 'nopass', name: '', app_password: '' })).status).toBe(303);
    expect(g.gateway.services.accounts.get(g.appId, 'nopass@agents.example.com').passwordHash).toBeNull();
  });

  it('lists accounts 25 to a page and searches by address or name (in the store, % matched literally)', async () => {
    const { g, web, base } = await signedIn();
    for (let i = 1; i <= 30; i++) await g.account(`agent${i}`, { password: null, name: i === 7 ? 'Zed Support' : undefined });
    const first = await web.get(`${base}/accounts`);
    expect(first.status).toBe(200);
    expect(rows(first.text)).toHaveLength(25);
    expect(rows(first.text)[0]![0]).toBe('agent1@agents.example.com');
    expect(first.text).toContain('Page 1 of 2');
    expect(first.text).toContain(`href="${base}/accounts?page=2" rel="next"`);
    const second = await web.get(`${base}/accounts?page=2`);
    expect(rows(second.text).map((r) => r[0])).toEqual([26, 27, 28, 29, 30].map((i) => `agent${i}@agents.example.com`));

    const search = await web.get(`${base}/accounts?q=AGENT1`);
    expect(rows(search.text).map((r) => r[0]).sort()).toEqual(
      ['agent1', 'agent10', 'agent11', 'agent12', 'agent13', 'agent14', 'agent15', 'agent16', 'agent17', 'agent18', 'agent19'].map((a) => `${a}@agents.example.com`).sort(),
    );
    expect(search.text).toContain('11 accounts match “AGENT1”.');
    const byName = await web.get(`${base}/accounts?q=zed`);
    expect(rows(byName.text).map((r) => [r[0], r[1]])).toEqual([['agent7@agents.example.com', 'Zed Support']]);
    const wildcard = await web.get(`${base}/accounts?q=${encodeURIComponent('%')}`);
    expect(wildcard.text).toContain('No account matches.');
    const hostile = await web.get(`${base}/accounts?q=${encodeURIComponent('<script>x</script>')}`);
    expect(hostile.status).toBe(200);
    expect(hostile.text).not.toContain('<script>x');
  });

  it('shows the folders with message and unread counts, and the client setup panel with the profile download', async () => {
    const { g, web, base } = await signedIn();
    const alice = await g.account('alice', { name: 'Alice' });
    await mx(g, alice.email, 'first');
    await mx(g, alice.email, 'second');
    const { store } = g.gateway.services;
    const inbox = store.mail.getMailbox(alice.id, 'INBOX')!;
    const detail = await web.get(`${base}/accounts/${alice.id}`);
    expect(detail.status).toBe(200);
    const folders = rows(detail.text);
    expect(folders.find((r) => r[0] === 'INBOX')).toEqual(['INBOX', '2', '2']);
    expect(folders.find((r) => r[0] === 'Trash')).toEqual(['Trash', '0', '0']);
    expect(detail.text).toContain(`href="${base}/accounts/${alice.id}/mail?folder=${inbox.id}"`);
    store.mail.setFlags(alice.id, inbox.id, [store.mail.listMessages(inbox.id)[0]!.uid], 'add', ['\\Seen']);
    expect(rows((await web.get(`${base}/accounts/${alice.id}`)).text).find((r) => r[0] === 'INBOX')).toEqual(['INBOX', '2', '1']);

    const ports = g.gateway.config.publicPorts;
    expect(detail.text).toContain(`<dt>Workspace</dt><dd>`);
    expect(detail.text).toContain(`<code id="account-id">${alice.id}</code>`);
    expect(detail.text).toContain('<h2 id="setup-heading">Client setup</h2>');
    expect(detail.text).toContain('<tr><td>IMAP (incoming) (preferred)</td><td><code>mail.wicket.test</code></td><td>' + ports.imaps + '</td><td>SSL/TLS</td></tr>');
    expect(detail.text).toContain('<tr><td>SMTP (outgoing)</td><td><code>mail.wicket.test</code></td><td>' + ports.submission + '</td><td>STARTTLS</td></tr>');
    expect(detail.text).toMatch(/Thunderbird<\/strong> finds these settings by itself \(autoconfig\)/);
    const profileLink = /href="(\/apple\/mobileconfig\?email=[^"]+)"/.exec(detail.text)![1]!;
    expect(profileLink).toBe('/apple/mobileconfig?email=alice%40agents.example.com');
    const profile = await web.get(profileLink);
    expect(profile.status).toBe(200);
    expect(profile.headers.get('content-disposition')).toMatch(/^attachment; filename=".*\.mobileconfig"$/);
    expect(profile.text).toContain('alice@agents.example.com');
    const autoconfig = await web.get(/href="(\/mail\/config-v1\.1\.xml\?emailaddress=[^"]+)"/.exec(detail.text)![1]!.replace(/&amp;/g, '&'));
    expect(autoconfig.text).toContain('<hostname>mail.wicket.test</hostname>');
  });

  it('resets the app password: a weak one is refused next to the field, a good one ends the old IMAP session and logs in', async () => {
    const { g, web, base } = await signedIn();
    const alice = await g.account('alice');
    const session = await imapLogin(g.ports.imap, alice.email, PASSWORD);
    await web.get(`${base}/accounts/${alice.id}`);
    const weak = await web.post(`${base}/accounts/${alice.id}/password`, { app_password: 'alllowercaseandlong1' });
    expect(weak.status).toBe(400);
    expect(fieldError(weak.text, 'app_password')).toMatch(/uppercase/);
    expect(weak.text).not.toContain('alllowercaseandlong1');
    expect(g.gateway.services.accounts.get(g.appId, alice.id).passwordHash).toBe(alice.passwordHash);
    expect(session.closed).toBe(false);

    const fresh = 'Another-Good-Passw0rd-2026';
    const reset = await web.post(`${base}/accounts/${alice.id}/password`, { app_password: fresh });
    expect(reset.status).toBe(303);
    expect(await session.closedByServer()).toBe(true);
    const next = await imapLogin(g.ports.imap, alice.email, fresh);
    next.destroy();
    await expect(imapLogin(g.ports.imap, alice.email, PASSWORD)).rejects.toThrow(/login failed/);
    expect((await web.get(reset.location!)).text).toContain('mail clients signed in with the old one were signed out');
    expect(JSON.stringify(g.gateway.services.team.activity.list(10))).not.toContain(fresh);
  });

  it('deletes an account only with the confirmation ticked', async () => {
    const { g, web, base } = await signedIn();
    const alice = await g.account('alice');
    const page = await web.get(`${base}/accounts/${alice.id}`);
    expect(page.text).toMatch(/<form method="post" action="[^"]+\/delete" data-confirm="Delete alice@agents\.example\.com and all its mail\?/);
    const unticked = await web.post(`${base}/accounts/${alice.id}/delete`, {});
    expect(unticked.status).toBe(400);
    expect(fieldError(unticked.text, 'confirm')).toMatch(/Tick the box/);
    expect(g.gateway.services.accounts.count(g.appId)).toBe(1);
    const deleted = await web.post(`${base}/accounts/${alice.id}/delete`, { confirm: 'yes' });
    expect(deleted.status).toBe(303);
    expect(deleted.location).toBe(`${base}/accounts`);
    expect(g.gateway.services.accounts.count(g.appId)).toBe(0);
    expect((await web.get(`${base}/accounts/${alice.id}`)).status).toBe(404);
  });

  it("gives 404 for another application's account, by id or by address, on every account route", async () => {
    const { g, web, base } = await signedIn();
    const other = g.gateway.services.applications.create('other');
    const theirs = await g.gateway.services.accounts.create(other.id, { email: 'theirs@agents.example.com', appPassword: PASSWORD });
    const ours = await g.account('ours');
    await web.get(`${base}/accounts`);
    expect((await web.get(`${base}/accounts/${theirs.id}`)).status).toBe(404);
    expect((await web.get(`${base}/accounts/theirs@agents.example.com`)).status).toBe(404);
    expect((await web.get(`/dashboard/apps/${other.id}/accounts/${ours.id}`)).status).toBe(404);
    expect((await web.post(`${base}/accounts/${theirs.id}/password`, { app_password: 'Another-Good-Passw0rd-2026' })).status).toBe(404);
    expect((await web.post(`${base}/accounts/${theirs.id}/delete`, { confirm: 'yes' })).status).toBe(404);
    expect(g.gateway.services.accounts.get(other.id, theirs.id).passwordHash).toBe(theirs.passwordHash);
    // The list of one application never shows another's accounts.
    const list = await web.get(`${base}/accounts?q=theirs`);
    expect(list.text).toContain('No account matches.');
    // The CSRF check comes first: a POST without the token changes nothing either.
    expect((await web.post(`${base}/accounts/${ours.id}/delete`, { confirm: 'yes', _csrf: null })).status).toBe(403);
    expect(g.gateway.services.accounts.count(g.appId)).toBe(1);
  });
});
