import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { PASSWORD, folderMessages, startTestGateway } from '../helpers/gateway.js';

function transport(port: number, opts: { secure: boolean; user: string; method?: 'PLAIN' | 'LOGIN' }) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: opts.secure,
    // STARTTLS on the submission port, required: the test proves TLS was used.
    requireTLS: !opts.secure,
    auth: { user: opts.user, pass: PASSWORD },
    authMethod: opts.method ?? 'PLAIN',
    tls: { rejectUnauthorized: false },
  });
}

describe('SMTP submission', () => {
  it.each([
    ['submission (STARTTLS), AUTH PLAIN', false, 'PLAIN'],
    ['submission (STARTTLS), AUTH LOGIN', false, 'LOGIN'],
    ['submissions (implicit TLS), AUTH PLAIN', true, 'PLAIN'],
    ['submissions (implicit TLS), AUTH LOGIN', true, 'LOGIN'],
  ] as const)('%s: delivers to the local recipient and keeps a Sent copy', async (_, secure, method) => {
    const g = await startTestGateway();
    const sales = await g.account('sales', { name: 'Sales Agent' });
    const bob = await g.account('bob');
    const info = await transport(secure ? g.ports.submissions : g.ports.submission, { secure, user: sales.email, method }).sendMail({
      from: sales.email,
      to: bob.email,
      subject: `hello over ${method}`,
      text: 'Hi Bob',
    });
    expect(info.response).toMatch(/^250 2\.0\.0 OK: queued as [0-9A-F]{16}$/);
    expect(info.accepted).toEqual([bob.email]);

    const inbox = folderMessages(g, bob, 'INBOX');
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.flags).toEqual([]);
    expect(inbox[0]!.raw).toMatch(/^Return-Path: <sales@agents\.example\.com>\r\nReceived: from \S+ \(\[127\.0\.0\.1\]\)\r\n\tby mail\.wicket\.test \(Wicket\) with ESMTPSA id [0-9A-F]{16}\r\n\t\(using TLSv1\.[23] with cipher \S+\)\r\n\tfor <bob@agents\.example\.com>; /);
    expect(inbox[0]!.raw).toContain('\r\nFrom: "Sales Agent" <sales@agents.example.com>\r\n');
    expect(inbox[0]!.raw).toContain(`Subject: hello over ${method}`);

    const sent = folderMessages(g, sales, 'Sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.flags).toEqual(['\\Seen']);
    expect(sent[0]!.raw).toContain('From: "Sales Agent" <sales@agents.example.com>');
    expect(sent[0]!.raw).not.toContain('Received:');
  });

  it('rewrites the From field: bare address without a name, RFC 2047 for a non-ASCII name', async () => {
    const g = await startTestGateway();
    const plain = await g.account('plain');
    const intl = await g.account('intl', { name: 'Zoë Ågent 🤖' });
    const bob = await g.account('bob');
    await transport(g.ports.submission, { secure: false, user: plain.email }).sendMail({
      from: 'Pretend Name <plain@agents.example.com>',
      to: bob.email,
      subject: 'a',
      text: 'x',
    });
    await transport(g.ports.submission, { secure: false, user: intl.email }).sendMail({ from: intl.email, to: bob.email, subject: 'b', text: 'x' });
    const [first, second] = folderMessages(g, bob, 'INBOX');
    expect(first!.raw).toMatch(/\r\nFrom: plain@agents\.example\.com\r\n/);
    const from = /\r\nFrom: (.*(?:\r\n[ \t].*)*)\r\n/.exec(second!.raw)![1]!;
    expect(from).toMatch(/^=\?UTF-8\?Q\?/);
    const { default: libmime } = await import('libmime');
    expect(libmime.decodeWords(from.replace(/\r\n[ \t]/g, ' '))).toBe('Zoë Ågent 🤖 <intl@agents.example.com>');
  });

  it('adds Message-ID and Date when missing, removes Sender, and keeps Bcc only in the Sent copy', async () => {
    const g = await startTestGateway();
    const sales = await g.account('sales');
    const bob = await g.account('bob');
    const carol = await g.account('carol');
    const raw = [
      'From: sales@agents.example.com',
      'Sender: someone-else@example.net',
      'To: bob@agents.example.com',
      'Bcc: carol@agents.example.com',
      'Subject: minimal',
      '',
      'body line',
      '',
    ].join('\r\n');
    await transport(g.ports.submission, { secure: false, user: sales.email }).sendMail({
      envelope: { from: sales.email, to: [bob.email, carol.email] },
      raw,
    });
    const sent = folderMessages(g, sales, 'Sent')[0]!.raw;
    const delivered = folderMessages(g, carol, 'INBOX')[0]!.raw;
    for (const copy of [sent, delivered]) {
      expect(copy).toMatch(/(^|\r\n)Message-ID: <[0-9a-f-]{36}@agents\.example\.com>\r\n/);
      expect(copy).toMatch(/(^|\r\n)Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\n/);
      expect(copy).not.toContain('Sender:');
      expect(copy.endsWith('\r\n\r\nbody line\r\n')).toBe(true);
    }
    expect(sent).toContain('Bcc: carol@agents.example.com');
    expect(delivered).not.toContain('Bcc:');
    // Two recipients: the Received field names neither.
    expect(delivered).not.toMatch(/\tfor </);
    expect(folderMessages(g, bob, 'INBOX')[0]!.raw).not.toContain('Bcc:');
  });

  it('holds remote recipients in the queue by default (WICKET_RELAY=none)', async () => {
    const g = await startTestGateway();
    const sales = await g.account('sales');
    await transport(g.ports.submission, { secure: false, user: sales.email }).sendMail({
      from: sales.email,
      to: ['someone@remote.example', 'other@elsewhere.example'],
      subject: 'out',
      text: 'x',
    });
    const queue = g.gateway.services.queue.list();
    expect(queue.map((e) => [e.rcptTo, e.status, e.mailFrom])).toEqual([
      ['someone@remote.example', 'held', sales.email],
      ['other@elsewhere.example', 'held', sales.email],
    ]);
    expect(folderMessages(g, sales, 'Sent')).toHaveLength(1);
  });

  it('publishes message.created for each stored copy, after the commit', async () => {
    const g = await startTestGateway();
    const sales = await g.account('sales');
    const bob = await g.account('bob');
    const seen: string[] = [];
    g.gateway.services.store.changes.subscribe((c) => {
      if (c.type === 'message.created') {
        // Visible in the store at the moment the change is published.
        expect(g.gateway.services.store.mail.readMessage(c.messageId)).toBeDefined();
        seen.push(c.accountId);
      }
    });
    await transport(g.ports.submission, { secure: false, user: sales.email }).sendMail({ from: sales.email, to: bob.email, subject: 's', text: 'x' });
    expect(seen.sort()).toEqual([sales.id, bob.id].sort());
  });
});
