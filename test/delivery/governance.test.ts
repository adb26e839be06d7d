// Policies and rules enforced on every path: SMTP submission and the MX (real sockets, a raw
// line client for exact replies and nodemailer), the API send, and the audit trail — with an
// injected clock for the daily counts across a UTC midnight.
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { api, apiKey } from '../helpers/api.js';
import { PASSWORD, type TestGateway, folderMessages, startTestGateway } from '../helpers/gateway.js';
import { SmtpLineClient, plain } from '../helpers/smtp-client.js';
import { readFileSync } from 'node:fs';
import { startFakeDns } from '../helpers/dns-server.js';

/** A corpus message (test/fixtures/spam), its own trace fields dropped, with CRLF line ends. */
function fixture(path: string): string {
  const text = readFileSync(new URL(`../fixtures/spam/${path}`, import.meta.url), 'utf8').replace(/\r?\n/g, '\r\n');
  return text.replace(/^(?:(?:Return-Path|Received):.*\r\n(?:[ \t].*\r\n)*)+/i, '');
}

async function mxRaw(port: number, from: string, to: string, message: string): Promise<string> {
  const { client } = await SmtpLineClient.connect(port);
  try {
    await client.cmd('EHLO sender.example');
    await client.cmd(`MAIL FROM:<${from}>`);
    expect(await client.cmd(`RCPT TO:<${to}>`)).toMatch(/^250 /);
    await client.cmd('DATA');
    const stuffed = message.replace(/\r\n\./g, '\r\n..').replace(/\r\n$/, '');
    return await client.cmd(`${stuffed}\r\n.`);
  } finally {
    await client.cmd('QUIT').catch(() => undefined);
  }
}

/** A settable clock for the gateway's policy checks. */
function clockAt(iso: string) {
  let now = new Date(iso);
  return { clock: () => now, set: (to: string) => (now = new Date(to)) };
}

async function attach(g: TestGateway, key: string, body: { policy_id?: string | null; rule_ids?: string[] | null }) {
  const workspaces = await api(g, key, 'GET', '/v3/workspaces');
  const id = workspaces.body.data.find((w: { default: boolean }) => w.default).workspace_id as string;
  const res = await api(g, key, 'PATCH', `/v3/workspaces/${id}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

async function submit(port: number, from: string, to: string, subject: string, extra: string[] = []): Promise<string> {
  const { client } = await SmtpLineClient.connect(port);
  try {
    await client.cmd('EHLO client.example');
    expect(await client.cmd(`AUTH PLAIN ${plain(from, PASSWORD)}`)).toMatch(/^235 /);
    const mail = await client.cmd(`MAIL FROM:<${from}>`);
    if (!mail.startsWith('250')) return mail;
    const rcpt = await client.cmd(`RCPT TO:<${to}>`);
    if (!rcpt.startsWith('250')) return rcpt;
    await client.cmd('DATA');
    return await client.cmd([`From: ${from}`, `To: ${to}`, `Subject: ${subject}`, ...extra, '', 'body', '.'].join('\r\n'));
  } finally {
    await client.cmd('QUIT').catch(() => undefined);
  }
}

async function mx(port: number, from: string, to: string, headers: string[] = []): Promise<{ rcpt: string; data?: string }> {
  const { client } = await SmtpLineClient.connect(port);
  try {
    await client.cmd('EHLO sender.example');
    await client.cmd(`MAIL FROM:<${from}>`);
    const rcpt = await client.cmd(`RCPT TO:<${to}>`);
    if (!rcpt.startsWith('250')) return { rcpt };
    await client.cmd('DATA');
    const data = await client.cmd([`From: ${from}`, `To: ${to}`, 'Subject: hello', ...headers, '', 'hi', '.'].join('\r\n'));
    return { rcpt, data };
  } finally {
    await client.cmd('QUIT').catch(() => undefined);
  }
}

describe('policies and rules, enforced', () => {
  it('the README walk-through: 3 sends a day, the fourth refused; vendor mail filed in Vendors; the evaluation explains why', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const bob = await g.account('bob');
    await g.account('carol');
    const policy = await api(g, key, 'POST', '/v3/policies', { name: 'Three a day', limits: { limit_count_daily_email_sent: 3 } });
    expect(policy.status).toBe(200);
    const rule = await api(g, key, 'POST', '/v3/rules', {
      name: 'Vendors',
      match: { conditions: [{ field: 'from.domain', operator: 'is', value: 'vendor.example' }] },
      actions: [{ type: 'assign_to_folder', value: 'Vendors' }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(200);
    await attach(g, key, { policy_id: policy.body.data.id, rule_ids: [rule.body.data.id] });
    g.gateway.services.mailboxes.create(bob.id, 'Vendors');

    for (let i = 1; i <= 3; i++) expect(await submit(g.ports.submission, bob.email, 'carol@agents.example.com', `send ${i}`)).toMatch(/^250 /);
    const fourth = await submit(g.ports.submission, bob.email, 'carol@agents.example.com', 'send 4');
    expect(fourth).toMatch(/^451 4\.7\.1 this account has reached its limit of 3 messages sent per day \(3 today\)/);
    expect(folderMessages(g, bob, 'Sent')).toHaveLength(3);

    // nodemailer sees the same refusal as an error with the code.
    const err = await nodemailer
      .createTransport({ host: '127.0.0.1', port: g.ports.submission, secure: false, auth: { user: bob.email, pass: PASSWORD }, tls: { rejectUnauthorized: false } })
      .sendMail({ from: bob.email, to: 'carol@agents.example.com', subject: 'five', text: 'x' })
      .catch((e: { responseCode?: number; response?: string }) => e);
    expect((err as { responseCode?: number }).responseCode).toBe(451);

    expect((await mx(g.ports.mx, 'quotes@vendor.example', bob.email)).data).toMatch(/^250 /);
    expect((await mx(g.ports.mx, 'friend@other.example', bob.email)).data).toMatch(/^250 /);
    expect(folderMessages(g, bob, 'Vendors')).toHaveLength(1);
    expect(folderMessages(g, bob, 'INBOX')).toHaveLength(1);

    // A Thunderbird-like listing: Vendors holds one message.
    const imap = new ImapFlow({ host: '127.0.0.1', port: g.ports.imap, secure: false, auth: { user: bob.email, pass: PASSWORD }, tls: { rejectUnauthorized: false }, logger: false });
    await imap.connect();
    const status = await imap.status('Vendors', { messages: true, unseen: true });
    expect(status).toMatchObject({ messages: 1, unseen: 1 });
    await imap.logout();

    const evaluations = await api(g, key, 'GET', `/v3/grants/${bob.id}/rule-evaluations`);
    expect(evaluations.status).toBe(200);
    const vendor = evaluations.body.data.find((e: { evaluation_input: { from_domain: string }; evaluation_stage: string }) => e.evaluation_stage === 'inbox_processing' && e.evaluation_input.from_domain === 'vendor.example');
    expect(vendor).toMatchObject({
      grant_id: bob.id,
      matched_rule_ids: [rule.body.data.id],
      applied_actions: { folder_ids: [expect.any(String)] },
      evaluation_input: { from_address: 'quotes@vendor.example', from_tld: 'example' },
    });
    expect(vendor.message_id).toEqual(expect.any(String));
    const other = evaluations.body.data.find((e: { evaluation_input: { from_domain: string }; evaluation_stage: string }) => e.evaluation_stage === 'inbox_processing' && e.evaluation_input.from_domain === 'other.example');
    expect(other).toMatchObject({ matched_rule_ids: [], applied_actions: {} });
  });

  it('daily counts reset at 00:00 UTC (injected clock); the API answers 429 with Retry-After', async () => {
    const time = clockAt('2026-12-06T23:58:00Z');
    const g = await startTestGateway({}, { clock: time.clock });
    const key = apiKey(g);
    const bob = await g.account('bob');
    await g.account('carol');
    const policy = await api(g, key, 'POST', '/v3/policies', { name: 'One a day', limits: { limit_count_daily_email_sent: 1 } });
    await attach(g, key, { policy_id: policy.body.data.id });
    const send = () => api(g, key, 'POST', `/v3/grants/${bob.id}/messages/send`, { to: [{ email: 'carol@agents.example.com' }], subject: 'hi', body: 'x' });
    expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(refused.body.error.type).toBe('api.rate_limit_error');
    expect(refused.headers.get('retry-after')).toBe('120');
    expect(await submit(g.ports.submission, bob.email, 'carol@agents.example.com', 'smtp')).toMatch(/^451 4\.7\.1 /);
    time.set('2026-12-07T00:00:01Z');
    expect((await send()).status).toBe(200);
    expect(await submit(g.ports.submission, bob.email, 'carol@agents.example.com', 'smtp')).toMatch(/^451 4\.7\.1 /);
  });

  it('received counts: the MX answers 452 4.5.3 at RCPT once the day is used up', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const bob = await g.account('bob');
    const policy = await api(g, key, 'POST', '/v3/policies', { name: 'Two in', limits: { limit_count_daily_message_received: 2 } });
    await attach(g, key, { policy_id: policy.body.data.id });
    expect((await mx(g.ports.mx, 'a@remote.example', bob.email)).data).toMatch(/^250 /);
    expect((await mx(g.ports.mx, 'a@remote.example', bob.email)).data).toMatch(/^250 /);
    expect((await mx(g.ports.mx, 'a@remote.example', bob.email)).rcpt).toMatch(/^452 4\.5\.3 this account has reached its limit of 2 messages received per day/);
    expect(folderMessages(g, bob, 'INBOX')).toHaveLength(2);
  });

  it('an inbound block rule refuses at RCPT on the MX (550 5.7.1), recorded at stage smtp_rcpt', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const bob = await g.account('bob');
    const list = await api(g, key, 'POST', '/v3/lists', { name: 'Blocked', type: 'domain' });
    expect(list.status).toBe(200);
    expect((await api(g, key, 'POST', `/v3/lists/${list.body.data.id}/items`, { items: ['Spammy.Example', 'spammy.example'] })).body.data.items_count).toBe(1);
    const rule = await api(g, key, 'POST', '/v3/rules', {
      name: 'Block spammy',
      match: { operator: 'any', conditions: [{ field: 'from.domain', operator: 'in_list', value: [list.body.data.id] }] },
      actions: [{ type: 'block' }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(200);
    await attach(g, key, { rule_ids: [rule.body.data.id] });
    // Subdomains of a listed domain are covered too.
    expect((await mx(g.ports.mx, 'x@mail.spammy.example', bob.email)).rcpt).toBe(`550 5.7.1 <${bob.email}>: message refused by the recipient's rules`);
    expect((await mx(g.ports.mx, 'x@fine.example', bob.email)).data).toMatch(/^250 /);
    expect(folderMessages(g, bob, 'INBOX')).toHaveLength(1);
    const evaluations = (await api(g, key, 'GET', `/v3/grants/${bob.email}/rule-evaluations`)).body.data;
    expect(evaluations.find((e: { evaluation_stage: string; applied_actions: { blocked?: boolean } }) => e.evaluation_stage === 'smtp_rcpt' && e.applied_actions.blocked)).toMatchObject({
      matched_rule_ids: [rule.body.data.id],
      message_id: null,
      evaluation_input: { from_address: 'x@mail.spammy.example' },
    });
    // The list cannot go while the rule uses it.
    const del = await api(g, key, 'DELETE', `/v3/lists/${list.body.data.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.message).toContain('Block spammy');
  });

  it('an outbound block refuses the send (SMTP 550 5.7.1, API 403) and stores no Sent copy; other outbound actions apply to the Sent copy', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const bob = await g.account('bob');
    await g.account('carol');
    const block = await api(g, key, 'POST', '/v3/rules', {
      name: 'No mail to competitors',
      trigger: 'outbound',
      match: { conditions: [{ field: 'recipient.domain', operator: 'is', value: 'competitor.example' }] },
      actions: [{ type: 'block' }],
    });
    const star = await api(g, key, 'POST', '/v3/rules', {
      name: 'Star replies',
      trigger: 'outbound',
      priority: 20,
      match: { conditions: [{ field: 'outbound.type', operator: 'is', value: 'reply' }] },
      actions: [{ type: 'mark_as_starred' }],
    });
    expect(star.status, JSON.stringify(star.body)).toBe(200);
    await attach(g, key, { rule_ids: [block.body.data.id, star.body.data.id] });

    expect(await submit(g.ports.submission, bob.email, 'ceo@competitor.example', 'secret')).toBe("550 5.7.1 message refused by the sender's rules");
    const apiSend = await api(g, key, 'POST', `/v3/grants/${bob.id}/messages/send`, { to: [{ email: 'ceo@competitor.example' }], subject: 'x', body: 'y' });
    expect(apiSend.status).toBe(403);
    expect(folderMessages(g, bob, 'Sent')).toHaveLength(0);
    expect(g.gateway.services.store.queue.list()).toHaveLength(0);

    expect(await submit(g.ports.submission, bob.email, 'carol@agents.example.com', 'Re: hi', ['In-Reply-To: <a@b.example>'])).toMatch(/^250 /);
    expect(await submit(g.ports.submission, bob.email, 'carol@agents.example.com', 'new')).toMatch(/^250 /);
    const sent = folderMessages(g, bob, 'Sent');
    expect(sent.map((m) => m.flags.sort())).toEqual([['\\Flagged', '\\Seen'], ['\\Seen']]);

    const evaluations = (await api(g, key, 'GET', `/v3/grants/${bob.id}/rule-evaluations?limit=10`)).body.data;
    expect(evaluations.filter((e: { evaluation_stage: string }) => e.evaluation_stage === 'outbound_send')).toHaveLength(4);
    expect(evaluations[0]).toMatchObject({ evaluation_input: { outbound_type: 'compose', recipient_domains: ['agents.example.com'] }, matched_rule_ids: [] });
    expect(evaluations[1]).toMatchObject({ evaluation_input: { outbound_type: 'reply' }, applied_actions: { marked_starred: true } });
    expect(evaluations[3]).toMatchObject({ applied_actions: { blocked: true }, message_id: null });
  });

  it('inbound actions at delivery: read, starred, archive, trash, spam (to Junk, $Junk)', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const bob = await g.account('bob');
    const cases = [
      ['read.example', [{ type: 'mark_as_read' }], 'INBOX', ['\\Seen']],
      ['star.example', [{ type: 'mark_as_starred' }], 'INBOX', ['\\Flagged']],
      ['archive.example', [{ type: 'archive' }], 'Archive', []],
      ['trash.example', [{ type: 'trash' }], 'Trash', []],
      ['spam.example', [{ type: 'mark_as_spam' }], 'Junk', ['$Junk']],
      ['missing.example', [{ type: 'assign_to_folder', value: 'No Such Folder' }], 'INBOX', []],
    ] as const;
    const ids: string[] = [];
    for (const [domain, actions] of cases) {
      const rule = await api(g, key, 'POST', '/v3/rules', { name: domain, match: { conditions: [{ field: 'from.domain', operator: 'is', value: domain }] }, actions });
      expect(rule.status, JSON.stringify(rule.body)).toBe(200);
      ids.push(rule.body.data.id);
    }
    await attach(g, key, { rule_ids: ids });
    for (const [domain, , folder, flags] of cases) {
      expect((await mx(g.ports.mx, `someone@${domain}`, bob.email)).data).toMatch(/^250 /);
      const stored = folderMessages(g, bob, folder).find((m) => m.raw.includes(`someone@${domain}`));
      expect(stored, `${domain} in ${folder}`).toBeDefined();
      expect(stored!.flags.sort()).toEqual([...flags].sort());
    }
  });

  it('sizes: SIZE after AUTH is the account\'s; a bigger message is refused 552 5.3.4; a full mailbox 552 5.2.2', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const bob = await g.account('bob');
    const policy = await api(g, key, 'POST', '/v3/policies', { name: 'Small', limits: { limit_size_total_mime: 2000, limit_storage_total: 3000 } });
    await attach(g, key, { policy_id: policy.body.data.id });

    const { client } = await SmtpLineClient.connect(g.ports.submission);
    expect(await client.cmd('EHLO client.example')).toMatch(/^250[- ]SIZE 26214400$/m);
    expect(await client.cmd(`AUTH PLAIN ${plain(bob.email, PASSWORD)}`)).toMatch(/^235 /);
    // RFC 4954 §4: a client may say EHLO again after AUTH, and learns the account's limit.
    expect(await client.cmd('EHLO client.example')).toMatch(/^250[- ]SIZE 2000$/m);
    expect(await client.cmd(`MAIL FROM:<${bob.email}> SIZE=5000`)).toMatch(/^552 5\.3\.4 /);
    expect(await client.cmd(`MAIL FROM:<${bob.email}>`)).toMatch(/^250 /);
    expect(await client.cmd('RCPT TO:<someone@remote.example>')).toMatch(/^250 /);
    await client.cmd('DATA');
    expect(await client.cmd(`Subject: big\r\n\r\n${'x'.repeat(3000)}\r\n.`)).toMatch(/^552 5\.3\.4 /);
    await client.cmd('QUIT');

    // Fill the mailbox past its 3,000 bytes through the MX, then the next RCPT is refused.
    expect((await mx(g.ports.mx, 'a@remote.example', bob.email, [`X-Pad: ${'p'.repeat(1500)}`])).data).toMatch(/^250 /);
    expect((await mx(g.ports.mx, 'a@remote.example', bob.email, [`X-Pad: ${'p'.repeat(1500)}`])).data).toMatch(/^552 5\.2\.2 /);
    expect(folderMessages(g, bob, 'INBOX')).toHaveLength(1);
  });

  it('a rule that cannot be evaluated fails closed: 451 at RCPT, recorded with its error', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const bob = await g.account('bob');
    const list = await api(g, key, 'POST', '/v3/lists', { name: 'L', type: 'domain' });
    const rule = await api(g, key, 'POST', '/v3/rules', {
      name: 'uses L',
      match: { conditions: [{ field: 'from.domain', operator: 'in_list', value: [list.body.data.id] }] },
      actions: [{ type: 'mark_as_read' }],
    });
    await attach(g, key, { rule_ids: [rule.body.data.id] });
    // The list disappears underneath the rule (as if removed by hand): evaluation cannot go on.
    g.gateway.services.store.governance.deleteList(g.appId, list.body.data.id);
    expect((await mx(g.ports.mx, 'a@remote.example', bob.email)).rcpt).toMatch(/^451 4\.7\.1 /);
    const evaluations = (await api(g, key, 'GET', `/v3/grants/${bob.id}/rule-evaluations`)).body.data;
    expect(evaluations[0].error).toMatch(/list/);
  });

  it('spam: header anomalies file spam in Junk with X-Wicket-Spam; ham stays in INBOX; the sensitivity moves the threshold', async () => {
    // DNS answers nothing useful (no SPF, no DKIM keys): the verdict rests on the heuristics.
    const dns = await startFakeDns();
    const g = await startTestGateway({ WICKET_DNS_SERVERS: dns.server, WICKET_DNS_TIMEOUT_MS: '500' });
    const key = apiKey(g);
    const bob = await g.account('bob');
    const policy = await api(g, key, 'POST', '/v3/policies', { name: 'Spam', spam_detection: { use_header_anomaly_detection: true } });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    await attach(g, key, { policy_id: policy.body.data.id });

    expect(await mxRaw(g.ports.mx, 'security-alert@account-verify.example', bob.email, fixture('spam/forged-display-name.eml'))).toMatch(/^250 /);
    expect(await mxRaw(g.ports.mx, 'maria.gonzalez@example.com', bob.email, fixture('ham/personal-note.eml'))).toMatch(/^250 /);
    const [junk] = folderMessages(g, bob, 'Junk');
    expect(junk!.raw).toMatch(/^X-Wicket-Spam: yes, score=\d+(\.\d+)? threshold=5(\.0)? tests=.*FROM_DISPLAY_NAME_FORGED/);
    expect(junk!.flags).toContain('$Junk');
    const [ham] = folderMessages(g, bob, 'INBOX');
    expect(ham!.raw).toMatch(/^X-Wicket-Spam: no, score=0/);

    // At the lowest sensitivity the same message is not spam.
    await api(g, key, 'PUT', `/v3/policies/${policy.body.data.id}`, { spam_detection: { spam_sensitivity: 0.1 } });
    expect(await mxRaw(g.ports.mx, 'security-alert@account-verify.example', bob.email, fixture('spam/forged-display-name.eml'))).toMatch(/^250 /);
    expect(folderMessages(g, bob, 'Junk')).toHaveLength(1);
    expect(folderMessages(g, bob, 'INBOX')).toHaveLength(2);
  });

  it('attachments: a type not allowed is refused over SMTP (550 5.7.1) and the API (400); too many (552 5.3.4); nothing stored', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const bob = await g.account('bob');
    await g.account('carol');
    const policy = await api(g, key, 'POST', '/v3/policies', {
      name: 'Images only',
      limits: { limit_attachment_allowed_types: ['image/*', 'application/pdf'], limit_attachment_count_limit: 2 },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    await attach(g, key, { policy_id: policy.body.data.id });
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: g.ports.submission,
      secure: false,
      auth: { user: bob.email, pass: PASSWORD },
      tls: { rejectUnauthorized: false },
    });
    const file = (name: string, contentType: string) => ({ filename: name, content: Buffer.from('data'), contentType });
    const exe = await transport
      .sendMail({ from: bob.email, to: 'carol@agents.example.com', subject: 'tool', text: 'x', attachments: [file('setup.exe', 'application/x-msdownload')] })
      .catch((e: { responseCode?: number; response?: string }) => e);
    expect((exe as { responseCode?: number }).responseCode).toBe(550);
    expect((exe as { response?: string }).response).toMatch(/^550 5\.7\.1 attachments of type application\/x-msdownload are not allowed \("setup\.exe"\)/);
    const many = await transport
      .sendMail({ from: bob.email, to: 'carol@agents.example.com', subject: 'pics', text: 'x', attachments: [file('a.png', 'image/png'), file('b.png', 'image/png'), file('c.png', 'image/png')] })
      .catch((e: { responseCode?: number }) => e);
    expect((many as { responseCode?: number }).responseCode).toBe(552);
    const ok = await transport.sendMail({ from: bob.email, to: 'carol@agents.example.com', subject: 'pic', text: 'x', attachments: [file('a.png', 'image/png')] });
    expect(ok.response).toMatch(/^250 /);
    const apiSend = await api(g, key, 'POST', `/v3/grants/${bob.id}/messages/send`, {
      to: [{ email: 'carol@agents.example.com' }],
      subject: 'zip',
      body: 'x',
      attachments: [{ filename: 'a.zip', content_type: 'application/zip', content: Buffer.from('zip').toString('base64') }],
    });
    expect(apiSend.status, JSON.stringify(apiSend.body)).toBe(400);
    expect(apiSend.body.error.message).toContain('application/zip');
    expect(folderMessages(g, bob, 'Sent')).toHaveLength(1);
  });
});
