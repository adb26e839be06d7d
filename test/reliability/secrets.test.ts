// Issue 10, item 7: app passwords, API keys, session cookies, TOTP secrets and recovery codes,
// invitation and setup tokens, webhook secrets and DKIM private keys never appear in the logs
// (at trace level, every line), in error messages, in /metrics or in API and dashboard output —
// except the one answer that shows a secret once by design (a new API key's page, a webhook's
// create and rotate answers, the MFA enrolment page, the recovery-code page, the invitation link
// when the mail is held, the Set-Cookie of a sign-in, the setup link in the start-up log line).
//
// One realistic session drives every surface with the secrets it makes or is given — including
// wrong ones, which are as secret as right ones (a mistyped password is nearly the password) —
// and then every log line, every HTTP answer (status, headers, body), every IMAP and SMTP reply
// and the metrics are searched for each secret in every form it travels in: as is, URL-encoded,
// JSON-escaped, base64, and base64 of "\0user\0password" (SASL PLAIN).
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startGateway } from '../../src/main.js';
import { GATEWAY_ENV } from '../helpers/gateway.js';
import { ImapLineClient } from '../helpers/imap-client.js';
import { testConfig } from '../helpers/services.js';
import { SmtpLineClient, plain } from '../helpers/smtp-client.js';
import { startSink } from '../helpers/sink.js';
import { noteSecret, secretForms, suiteLogger, watchSecrets } from '../helpers/suite-ledger.js';
import { tempDir } from '../helpers/tmp.js';
import { Authenticator } from '../helpers/totp.js';
import { startReceiver } from '../webhooks/helpers.js';
import { figure } from './figures.js';

interface Secret {
  what: string;
  value: string;
  /** Extra spellings it travels in (SASL PLAIN for a password, with its user). */
  forms: string[];
}

interface Exchange {
  label: string;
  text: string;
}

/** Where a secret may show: the labels of the exchanges that show it once by design. */
type Allowed = Map<string, Set<string>>;

class Recorder {
  readonly secrets: Secret[] = [];
  readonly exchanges: Exchange[] = [];
  readonly allowed: Allowed = new Map();

  secret(what: string, value: string, user?: string): string {
    this.secrets.push({ what, value, forms: secretForms(value, user) });
    noteSecret(what, value, user); // and into the suite's ledger, for the sweep of every log line
    return value;
  }

  /** The exchange labelled so may show this secret (and only that exchange). */
  allow(label: string, value: string): void {
    if (!this.allowed.has(value)) this.allowed.set(value, new Set());
    this.allowed.get(value)!.add(label);
  }

  record(label: string, text: string): void {
    this.exchanges.push({ label, text });
  }
}

/** An HTTP client that keeps cookies, reads CSRF tokens, and records every answer whole. */
class Http {
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;
  private n = 0;
  constructor(
    private readonly base: string,
    private readonly rec: Recorder,
    private readonly name: string,
  ) {}

  async request(method: string, path: string, opts: { form?: Record<string, string>; json?: unknown; key?: string; label?: string } = {}) {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    let body: string | undefined;
    if (opts.form) {
      body = new URLSearchParams({ ...(this.csrf ? { _csrf: this.csrf } : {}), ...opts.form }).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const k = pair!.slice(0, eq).trim();
      const v = decodeURIComponent(pair!.slice(eq + 1));
      if (/Max-Age=0/i.test(line)) this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
    const token = /name="_csrf" value="([^"]*)"/.exec(text);
    if (token) this.csrf = token[1];
    const label = opts.label ?? `${this.name}#${++this.n} ${method} ${path}`;
    this.rec.record(label, `${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text}`);
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json, label, location: res.headers.get('location') };
  }
}


describe('secrets stay secret', () => {
  it('no secret used or made on any surface appears in any log line, answer, error or metric', async () => {
    const rec = new Recorder();
    const logLines: string[] = [];
    const dir = tempDir();
    const config = testConfig(dir, { ...GATEWAY_ENV, WICKET_LOG_LEVEL: 'trace', WICKET_DNS_SERVERS: '127.0.0.1:9', WICKET_DNS_TIMEOUT_MS: '100' });
    const gateway = await startGateway(config, suiteLogger('trace', (line) => void logLines.push(line)));
    onTestFinished(() => gateway.close(0));
    const { services } = gateway;
    watchSecrets(services);
    const ports = gateway.ports as Record<string, number>;
    const base = `http://127.0.0.1:${ports.http}`;
    const appId = services.defaultApplication.id;
    const DOMAIN = 'agents.example.com';

    // ---- the installation: a domain (its DKIM key), the setup token from the start-up log ----
    await services.domains.add(DOMAIN);
    rec.secret('DKIM private key of agents.example.com', services.store.directory.dkimKey(DOMAIN)!.privateKeyPem);
    const setupLine = logLines.find((l) => l.includes('/dashboard/setup?token='))!;
    const setupToken = rec.secret('setup token', /token=([A-Za-z0-9_-]+)/.exec(setupLine)![1]!);
    const key0 = rec.secret('API key (made with the CLI service)', services.apiKeys.create(appId, 'ops').secret);

    const api = new Http(base, rec, 'api');
    // ---- REST API: domains, accounts with app passwords, refused passwords, keys ----
    const second = await api.request('POST', '/v3/domains', { key: key0, json: { name: 'second.example.com' } });
    expect(second.status).toBe(200);
    rec.secret('DKIM private key of second.example.com', services.store.directory.dkimKey('second.example.com')!.privateKeyPem);
    await api.request('GET', `/v3/domains/${second.json.data.id}/records`, { key: key0 });
    const p1 = rec.secret('app password (API create)', 'ApiCreated-P4ssw0rd-7731', `sales@${DOMAIN}`);
    const created = await api.request('POST', '/v3/connect/custom', { key: key0, json: { provider: 'nylas', name: 'Sales', settings: { email: `sales@${DOMAIN}`, app_password: p1 } } });
    expect(created.status).toBe(200);
    const grant = created.json.data.id as string;
    const weak = rec.secret('refused app password (API)', 'weak password with spaces 1A');
    expect((await api.request('POST', '/v3/connect/custom', { key: key0, json: { provider: 'nylas', settings: { email: `weak@${DOMAIN}`, app_password: weak } } })).status).toBe(400);
    const p2 = rec.secret('app password (API reset)', 'ApiReset-P4ssw0rd-99120x', `sales@${DOMAIN}`);
    expect((await api.request('PATCH', `/v3/grants/${grant}`, { key: key0, json: { settings: { app_password: p2 } } })).status).toBe(200);
    await api.request('GET', `/v3/grants/${grant}`, { key: key0 });
    await api.request('GET', '/v3/grants', { key: key0 });
    const wrongKey = rec.secret('wrong API key', `${key0.slice(0, -6)}XXXXXX`);
    expect((await api.request('GET', '/v3/grants', { key: wrongKey })).status).toBe(401);
    const madeUpKey = rec.secret('made-up API key', 'wk_live_NotARealKeyAtAll_0123456789abcdef');
    expect((await api.request('GET', '/v3/grants', { key: madeUpKey })).status).toBe(401);

    // ---- webhooks: a secret at creation, another at rotation; never in reads ----
    const receiver = await startReceiver();
    const hook = await api.request('POST', '/v3/webhooks', { key: key0, json: { webhook_url: `${receiver.url}/hook`, trigger_types: ['message.created'] } });
    expect(hook.status).toBe(200);
    rec.allow(hook.label, rec.secret('webhook secret (created)', hook.json.data.webhook_secret));
    const rotated = await api.request('POST', `/v3/webhooks/rotate-secret/${hook.json.data.id}`, { key: key0 });
    expect(rotated.status).toBe(200);
    rec.allow(rotated.label, rec.secret('webhook secret (rotated)', rotated.json.data.webhook_secret));
    await api.request('GET', '/v3/webhooks', { key: key0 });
    await api.request('GET', `/v3/webhooks/${hook.json.data.id}`, { key: key0 });

    // ---- dashboard: setup, MFA enrolment, sign-in with a code, invitation, API key, accounts ----
    const web = new Http(base, rec, 'web');
    const setupPage = await web.request('GET', `/dashboard/setup?token=${setupToken}`);
    rec.allow(setupPage.label, setupToken);
    const adminPassword = rec.secret('team password (admin)', 'Admin correct horse battery 42');
    const setup = await web.request('POST', '/dashboard/setup', { form: { token: setupToken, email: 'admin@example.com', name: 'Ada', password: adminPassword } });
    expect(setup.status).toBe(303);
    const sessionCookie = (label: string) => {
      const value = web.cookies.get('wicket_session');
      if (value && !rec.secrets.some((s) => s.value === value)) rec.allow(label, rec.secret('session cookie', value));
    };
    sessionCookie(setup.label);
    await web.request('GET', '/dashboard');
    const enrol = await web.request('GET', '/dashboard/profile/mfa');
    const totpSecret = rec.secret('TOTP secret', /<code id="totp-secret" class="secret">([A-Z2-7]+)<\/code>/.exec(enrol.text)![1]!);
    rec.allow(enrol.label, totpSecret);
    const device = new Authenticator(totpSecret);
    const enrolled = await web.request('POST', '/dashboard/profile/mfa', { form: { code: await device.next() } });
    expect(enrolled.status).toBe(200);
    const recovery = enrolled.text.match(/\b[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}\b/g) ?? [];
    expect(recovery).toHaveLength(10);
    for (const code of recovery) rec.allow(enrolled.label, rec.secret('recovery code', code));
    await web.request('GET', '/dashboard/profile');
    await web.request('POST', '/dashboard/sign-out', { form: {} });
    // Wrong passwords first (as secret as the right one), then the right one and a code.
    await web.request('GET', '/dashboard/sign-in');
    const wrongTeam = rec.secret('wrong team password', 'Admin correct horse battery 43');
    expect((await web.request('POST', '/dashboard/sign-in', { form: { email: 'admin@example.com', password: wrongTeam } })).status).toBe(401);
    expect((await web.request('POST', '/dashboard/sign-in', { form: { email: 'nobody@example.com', password: wrongTeam } })).status).toBe(401);
    const signIn = await web.request('POST', '/dashboard/sign-in', { form: { email: 'admin@example.com', password: adminPassword } });
    sessionCookie(signIn.label);
    await web.request('GET', '/dashboard/sign-in/code');
    const coded = await web.request('POST', '/dashboard/sign-in/code', { form: { code: await device.next() } });
    expect(coded.status).toBe(303);
    sessionCookie(coded.label);
    await web.request('GET', '/dashboard');
    // The organization mails invitations from a system account; to a remote address with the
    // relay off, the mail is held and the page shows the link (by design, that once).
    const system = await services.accounts.create(appId, { email: `system@${DOMAIN}`, appPassword: rec.secret('app password (system)', 'SystemAcct-P4ssw0rd-5521') });
    await services.team.updateOrganization({ name: 'Acme', systemAccountEmail: system.email }, { type: 'cli' });
    await web.request('GET', '/dashboard/team');
    const invited = await web.request('POST', '/dashboard/team/invite', { form: { name: 'Rita', email: 'rita@elsewhere.example' } });
    const link = /\/invite\/([A-Za-z0-9_-]{43})/.exec(invited.text);
    expect(link, invited.text.slice(0, 500)).not.toBeNull();
    const inviteToken = rec.secret('invitation token', link![1]!);
    rec.allow(invited.label, inviteToken);
    await web.request('GET', '/dashboard/team');
    const invitee = new Http(base, rec, 'invitee');
    const acceptPage = await invitee.request('GET', `/invite/${inviteToken}`);
    rec.allow(acceptPage.label, inviteToken);
    const inviteePassword = rec.secret('team password (invitee)', 'Rita joins with this passphrase 7');
    const accepted = await invitee.request('POST', '/invite/accept', { form: { token: inviteToken, password: inviteePassword } });
    expect(accepted.status).toBe(303);
    const inviteeSession = invitee.cookies.get('wicket_session');
    if (inviteeSession) rec.allow(accepted.label, rec.secret('session cookie (invitee)', inviteeSession));
    await invitee.request('GET', '/dashboard');
    const app = `/dashboard/apps/${encodeURIComponent(appId)}`;
    await web.request('GET', `${app}/api-keys`);
    const newKey = await web.request('POST', `${app}/api-keys`, { form: { name: 'billing' } });
    const key1 = /<code id="api-key-secret">([^<]+)<\/code>/.exec(newKey.text)?.[1];
    expect(key1, newKey.text.slice(0, 800)).toBeDefined();
    rec.allow(newKey.label, rec.secret('API key (made on the dashboard)', key1!));
    await web.request('GET', `${app}/api-keys`);
    expect((await api.request('GET', '/v3/grants', { key: key1 })).status).toBe(200);
    await web.request('GET', `${app}/accounts/new`);
    const p3 = rec.secret('app password (dashboard create)', 'DashCreated-P4ssw0rd-4410', `desk@${DOMAIN}`);
    const weakDash = rec.secret('refused app password (dashboard)', 'alllowercaseandlong1x');
    expect((await web.request('POST', `${app}/accounts`, { form: { domain: DOMAIN, alias: 'desk', name: 'Desk', app_password: weakDash } })).status).toBe(400);
    expect((await web.request('POST', `${app}/accounts`, { form: { domain: DOMAIN, alias: 'desk', name: 'Desk', app_password: p3 } })).status).toBe(303);
    const desk = services.store.directory.findAccountByEmail(`desk@${DOMAIN}`)!;
    await web.request('GET', `${app}/accounts/${desk.id}`);
    const p4 = rec.secret('app password (dashboard reset)', 'DashReset-P4ssw0rd-88213', `desk@${DOMAIN}`);
    await web.request('POST', `${app}/accounts/${desk.id}/password`, { form: { app_password: p4 } });
    await web.request('GET', `${app}/accounts/${desk.id}`);
    await web.request('GET', '/dashboard/domains');
    await web.request('GET', `/dashboard/domains/${encodeURIComponent(second.json.data.id)}`);
    await web.request('GET', `${app}/webhooks/${hook.json.data.id}`);

    // ---- IMAP: LOGIN and AUTHENTICATE PLAIN, right and wrong ----
    const sales = `sales@${DOMAIN}`;
    const wrongApp = rec.secret('wrong app password', 'ApiReset-P4ssw0rd-99121x', sales);
    const imapLines: string[] = [];
    const imap = async (commands: string[]) => {
      const { client, greeting } = await ImapLineClient.connect(ports.imap!);
      imapLines.push(greeting);
      for (const c of commands) {
        const t = await client.transact(c);
        imapLines.push(...t.untagged, t.tagged);
        if (client.closed) break;
      }
      client.destroy();
    };
    await imap([`LOGIN ${sales} "${wrongApp}"`, `LOGIN nobody@${DOMAIN} "${wrongApp}"`, `AUTHENTICATE PLAIN ${plain(sales, wrongApp)}`, `LOGIN ${sales} "${p2}"`, 'SELECT INBOX', 'LOGOUT']);
    await imap([`AUTHENTICATE PLAIN ${plain(sales, p2)}`, 'LIST "" *', 'LOGOUT']);
    await imap([`AUTHENTICATE PLAIN ${plain(`desk@${DOMAIN}`, p4)}`, 'LOGOUT']);
    rec.record('imap sessions', imapLines.join('\n'));

    // ---- SMTP submission: AUTH PLAIN and AUTH LOGIN, right and wrong; a message to trigger the webhook ----
    const smtpLines: string[] = [];
    const smtp = async (steps: string[]) => {
      const { client, greeting } = await SmtpLineClient.connect(ports.submission!);
      smtpLines.push(greeting);
      for (const s of steps) smtpLines.push(await client.cmd(s));
      client.quit();
    };
    await smtp(['EHLO probe.example', `AUTH PLAIN ${plain(sales, wrongApp)}`, 'AUTH LOGIN', Buffer.from(sales).toString('base64'), Buffer.from(wrongApp).toString('base64')]);
    await smtp([
      'EHLO probe.example',
      'AUTH LOGIN',
      Buffer.from(sales).toString('base64'),
      Buffer.from(p2).toString('base64'),
      `MAIL FROM:<${sales}>`,
      `RCPT TO:<${sales}>`,
      'DATA',
      `From: ${sales}\r\nTo: ${sales}\r\nSubject: hello\r\n\r\nbody\r\n.`,
    ]);
    await smtp(['EHLO probe.example', `AUTH PLAIN ${plain(`desk@${DOMAIN}`, p4)}`]);
    rec.record('smtp sessions', smtpLines.join('\n'));
    await receiver.waitFor(1);

    // ---- what else is readable: metrics, the API's views of what holds secrets ----
    await api.request('GET', '/metrics');
    await api.request('GET', `/v3/grants/${grant}/messages`, { key: key0 });
    await api.request('GET', '/v3/domains', { key: key0 });
    await web.request('POST', '/dashboard/sign-out', { form: {} });
    await gateway.close(0);

    // ---- the search ----
    const leaks: string[] = [];
    for (const s of rec.secrets) {
      const allowed = rec.allowed.get(s.value) ?? new Set();
      for (const x of rec.exchanges) {
        if (allowed.has(x.label)) continue;
        const form = s.forms.find((f) => x.text.includes(f));
        if (form) leaks.push(`${s.what} in ${x.label}${form === s.value ? '' : ' (encoded)'}`);
      }
      for (const line of logLines) {
        // By design (issue 9): the one-time setup link is printed in the start-up log line.
        if (s.value === setupToken && line === setupLine) continue;
        const form = s.forms.find((f) => line.includes(f));
        if (form) leaks.push(`${s.what} in the log: ${line.slice(0, 300)}`);
      }
    }
    // Password hashes stay out of logs and answers too.
    for (const text of [...logLines, ...rec.exchanges.map((x) => x.text)]) if (/\$2[aby]\$\d\d\$/.test(text)) leaks.push(`a bcrypt hash in ${text.slice(0, 200)}`);

    const kinds = new Set(rec.secrets.map((s) => s.what.replace(/ \(.*\)$/, '')));
    figure('secrets log lines checked (trace level)', logLines.length, 'lines');
    figure('secrets answers checked (HTTP, IMAP, SMTP, metrics)', rec.exchanges.length, 'answers');
    figure('secrets checked', rec.secrets.length, `secrets of ${kinds.size} kinds`);
    figure('secrets leaks', leaks.length);
    expect(leaks).toEqual([]);
    // The search is not vacuous: the secrets did pass through (the allowed answers hold them).
    expect(rec.exchanges.find((x) => x.label === hook.label)?.text).toContain(hook.json.data.webhook_secret);
    expect(logLines.length).toBeGreaterThan(50);
    // Debug lines were written (the logger was at its most verbose), failed logins were logged.
    expect(logLines.some((l) => l.includes('"level":20'))).toBe(true);
    expect(logLines.some((l) => /fail|refused|wrong/i.test(l))).toBe(true);
  });

  it('the smarthost credentials of WICKET_RELAY stay out of the logs and the queue, whether the relay takes them or not', async () => {
    const user = 'relay-user';
    const right = 'RelayRight-P4ss-3390';
    const wrong = 'RelayWrong-P4ss-3391';
    noteSecret('relay password', right, user);
    noteSecret('relay password (wrong)', wrong, user);
    const sink = await startSink({ auth: { user, pass: right } });
    const logLines: string[] = [];
    const outcomes: string[] = [];
    for (const pass of [right, wrong]) {
      const dir = tempDir();
      const relay = `smtp://${user}:${encodeURIComponent(pass)}@127.0.0.1:${sink.port}`;
      const config = testConfig(dir, { ...GATEWAY_ENV, WICKET_LOG_LEVEL: 'trace', WICKET_RELAY: relay, WICKET_RELAY_VERIFY_TLS: 'false' });
      const gateway = await startGateway(config, suiteLogger('trace', (line) => void logLines.push(line)));
      onTestFinished(() => gateway.close(0));
      const { services } = gateway;
      await services.domains.add('agents.example.com');
      const sender = await services.accounts.create(services.defaultApplication.id, { email: 'out@agents.example.com', appPassword: 'OutBound-P4ssw0rd-1187' });
      await gateway.pipeline.deliver(
        { kind: 'submission', account: sender, peer: { address: '127.0.0.1', helo: 'probe', protocol: 'ESMTPA', tls: null } },
        { mailFrom: sender.email, recipients: [{ address: 'far@remote.example', dsn: null }] },
        Buffer.from('From: out@agents.example.com\r\nTo: far@remote.example\r\nSubject: relayed\r\n\r\nhi\r\n'),
      );
      // Wait for the attempt: delivered (right password) or an error kept on the entry (wrong one).
      const deadline = Date.now() + 15_000;
      let entry = services.queue.list({ all: true })[0];
      while (Date.now() < deadline && entry && entry.status !== 'delivered' && entry.lastError === null) {
        await sleep(50);
        entry = services.queue.list({ all: true })[0];
      }
      outcomes.push(JSON.stringify(services.queue.list({ all: true })));
      await gateway.close(0);
    }
    expect(sink.received).toHaveLength(1);
    expect(outcomes[1]).toMatch(/535|credentials|auth/i);
    const leaks: string[] = [];
    for (const secret of [right, wrong, encodeURIComponent(right), Buffer.from(right).toString('base64'), Buffer.from(wrong).toString('base64'), plain(user, right), plain(user, wrong)]) {
      for (const line of [...logLines, ...outcomes]) if (line.includes(secret)) leaks.push(`${secret.slice(0, 6)}… in ${line.slice(0, 300)}`);
    }
    figure('secrets relay log lines checked', logLines.length, 'lines');
    figure('secrets relay leaks', leaks.length);
    expect(leaks).toEqual([]);
  });
});
