// Outbound mail through a smarthost and straight to an MX: the From field, DKIM, retries,
// bounces and the events they publish.
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { simpleParser } from 'mailparser';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { dkimRecordValue } from '../../src/accounts/dkim.js';
import type { Change } from '../../src/store/types.js';
import { startFakeDns } from '../helpers/dns-server.js';
import { PASSWORD, type TestGateway, folderMessages, startTestGateway } from '../helpers/gateway.js';
import { type SinkOptions, startSink } from '../helpers/sink.js';

async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every entry delivered or failed. */
const settled = (g: TestGateway) => () => g.gateway.services.queue.list({ all: true }).every((e) => e.status === 'delivered' || e.status === 'failed');

function submit(g: TestGateway, from: string, mail: SendMailOptions) {
  return nodemailer
    .createTransport({ host: '127.0.0.1', port: g.ports.submission, secure: false, auth: { user: from, pass: PASSWORD }, tls: { rejectUnauthorized: false } })
    .sendMail({ from, ...mail });
}

const send = (g: TestGateway, from: string, to: string[], subject = 'out') => submit(g, from, { to, subject, text: 'Hello from Wicket' });

async function smarthost(sinkOptions: SinkOptions = {}, env: Record<string, string> = {}) {
  const sink = await startSink(sinkOptions);
  const g = await startTestGateway({ WICKET_RELAY: `smtp://127.0.0.1:${sink.port}`, ...env });
  const changes: Change[] = [];
  g.gateway.services.store.changes.subscribe((c) => changes.push(c));
  return { sink, g, changes };
}

/** DNS as the world would see it: the domain's DKIM record. */
function dkimResolver(g: TestGateway) {
  const domain = g.gateway.services.domains.get('agents.example.com').domain;
  return async (name: string, type: string) => {
    if (type === 'TXT' && name === `${domain.dkimSelector}._domainkey.agents.example.com`) return [[dkimRecordValue(domain.dkimPublicKey)]];
    throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  };
}

describe('relay through a smarthost', () => {
  it('sends with the display-name From and a DKIM signature that verifies, and publishes message.delivered', async () => {
    const { sink, g, changes } = await smarthost();
    const sales = await g.account('sales', { name: 'Sales Agent' });
    await send(g, sales.email, ['someone@remote.example', 'other@remote.example']);
    await waitFor(() => sink.received.length === 1, 'the sink to receive the message');
    const [message] = sink.received;
    expect(message!.mailFrom).toBe(sales.email);
    expect(message!.rcptTo).toEqual(['someone@remote.example', 'other@remote.example']);
    const parsed = await simpleParser(message!.raw);
    expect(parsed.headers.get('from')).toMatchObject({ value: [{ name: 'Sales Agent', address: sales.email }] });
    expect(message!.raw.toString()).toContain('From: "Sales Agent" <sales@agents.example.com>');
    expect(message!.raw.toString()).not.toContain('Bcc:');

    const dkim = await dkimVerify(message!.raw, { resolver: dkimResolver(g) });
    expect(dkim.results).toHaveLength(1);
    expect(dkim.results[0]).toMatchObject({ signingDomain: 'agents.example.com', status: { result: 'pass' } });

    await waitFor(() => g.gateway.services.queue.list().length === 0, 'the queue to empty');
    const delivered = changes.filter((c) => c.type === 'message.delivered');
    expect(delivered.map((c) => c.type === 'message.delivered' && c.recipient).sort()).toEqual(['other@remote.example', 'someone@remote.example']);
    const history = g.gateway.services.queue.list({ all: true });
    expect(history.map((e) => e.status)).toEqual(['delivered', 'delivered']);
    expect(history[0]!.lastError).toMatch(/^250 /);
  });

  it('sends the bare address when the account has no name, RFC 2047 for a non-ASCII one', async () => {
    const { sink, g } = await smarthost();
    const bare = await g.account('bare');
    const intl = await g.account('intl', { name: 'Søren Ågent' });
    await send(g, bare.email, ['x@remote.example'], 'bare');
    await send(g, intl.email, ['x@remote.example'], 'intl');
    await waitFor(() => sink.received.length === 2, 'two messages');
    const bySubject = new Map(await Promise.all(sink.received.map(async (m) => [(await simpleParser(m.raw)).subject, m.raw.toString()] as const)));
    expect(bySubject.get('bare')).toMatch(/\r\nFrom: bare@agents\.example\.com\r\n/);
    const intlRaw = bySubject.get('intl')!;
    expect(intlRaw).toMatch(/\r\nFrom: =\?UTF-8\?Q\?S=C3=B8ren_=C3=85gent\?= <intl@agents\.example\.com>\r\n/);
    for (const m of sink.received) {
      expect((await dkimVerify(m.raw, { resolver: dkimResolver(g) })).results[0]?.status.result).toBe('pass');
    }
  });

  it('authenticates to the smarthost over STARTTLS when the URL has credentials', async () => {
    const g0 = await startTestGateway();
    const sink = await startSink({ tls: { key: g0.gateway.tls.key, cert: g0.gateway.tls.cert }, auth: { user: 'relay-user', pass: 'relay:secret' } });
    const g = await startTestGateway({
      WICKET_RELAY: `smtp://relay-user:relay%3Asecret@127.0.0.1:${sink.port}`,
      WICKET_RELAY_VERIFY_TLS: 'false',
    });
    const sales = await g.account('sales');
    await send(g, sales.email, ['x@remote.example']);
    await waitFor(() => sink.received.length === 1, 'the sink to receive the message');
    expect(sink.received[0]).toMatchObject({ secure: true, user: 'relay-user' });
  });

  it('retries after a temporary refusal (first retry within a minute), then delivers', async () => {
    const { sink, g } = await smarthost({ data: (n) => (n === 0 ? { code: 451, text: '4.3.2 try again later' } : undefined) });
    const sales = await g.account('sales');
    await send(g, sales.email, ['x@remote.example']);
    const deferred = await waitFor(
      () => g.gateway.services.queue.list().find((e) => e.status === 'queued' && e.attempts === 1),
      'the first attempt to be deferred',
    );
    expect(deferred.lastError).toBe('451 4.3.2 try again later');
    const wait = deferred.nextAttemptAt! - deferred.lastAttemptAt!;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    // Bring the retry forward instead of waiting for it.
    g.gateway.services.store.queue.expedite(Math.floor(Date.now() / 1000));
    await g.gateway.queue!.runOnce();
    expect(sink.received).toHaveLength(1);
    expect(g.gateway.services.queue.list({ all: true })[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('bounces a permanent failure: a DSN (RFC 3464) in the sender INBOX and message.bounced', async () => {
    const { sink, g, changes } = await smarthost({ rcpt: (a) => (a.startsWith('gone@') ? { code: 550, text: '5.1.1 no such user here' } : undefined) });
    const sales = await g.account('sales');
    await send(g, sales.email, ['gone@remote.example', 'fine@remote.example'], 'partly bouncing');
    await waitFor(settled(g), 'both recipients to finish');
    expect(sink.received.map((m) => m.rcptTo)).toEqual([['fine@remote.example']]);
    const inbox = folderMessages(g, sales, 'INBOX');
    expect(inbox).toHaveLength(1);
    const dsn = await simpleParser(Buffer.from(inbox[0]!.raw));
    expect(dsn.subject).toBe('Undelivered Mail Returned to Sender');
    expect(dsn.from?.value[0]?.address).toBe('MAILER-DAEMON@mail.wicket.test');
    expect(inbox[0]!.raw).toContain('Content-Type: multipart/report; report-type=delivery-status;');
    expect(inbox[0]!.raw).toContain('Final-Recipient: rfc822; gone@remote.example\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; 127.0.0.1\r\nDiagnostic-Code: smtp; 550 5.1.1 no such user here');
    expect(inbox[0]!.raw).toContain('Subject: partly bouncing');
    expect(changes.filter((c) => c.type === 'message.bounced').map((c) => c.type === 'message.bounced' && c.recipient)).toEqual(['gone@remote.example']);
    expect(changes.filter((c) => c.type === 'message.delivered').map((c) => c.type === 'message.delivered' && c.recipient)).toEqual(['fine@remote.example']);
    expect(g.gateway.services.queue.list({ all: true }).map((e) => [e.rcptTo, e.status])).toEqual([
      ['gone@remote.example', 'failed'],
      ['fine@remote.example', 'delivered'],
    ]);
    // Finished entries no longer hold the message: only the Sent copy and the DSN remain.
    expect(g.gateway.services.store.stats().messages).toBe(2);
  });

  it('gives up after the queue lifetime with a 4.4.7 bounce and message.send_failed', async () => {
    const { sink, g } = await smarthost({ data: () => ({ code: 451, text: '4.3.0 always busy' }) }, { WICKET_QUEUE_LIFETIME_HOURS: '1' });
    const sales = await g.account('sales');
    const changes: string[] = [];
    g.gateway.services.store.changes.subscribe((c) => changes.push(c.type));
    await send(g, sales.email, ['x@remote.example']);
    await waitFor(() => g.gateway.services.queue.list().find((e) => e.status === 'queued' && e.attempts === 1), 'a deferral');
    // Pretend the hour has passed: the entry expires and is due.
    const db = (g.gateway.services.store as unknown as { directory: { db: import('better-sqlite3').Database } }).directory.db;
    db.prepare('UPDATE outbound_queue SET expires_at = ?, next_attempt_at = ?').run(Math.floor(Date.now() / 1000) - 1, 0);
    await g.gateway.queue!.runOnce();
    expect(sink.attempts).toBe(2);
    const [entry] = g.gateway.services.queue.list();
    expect(entry).toMatchObject({ status: 'failed' });
    expect(entry!.lastError).toBe('451 4.3.0 always busy (gave up after 1 hours)');
    expect(folderMessages(g, sales, 'INBOX')[0]!.raw).toContain('Status: 4.4.7');
    // Given up, not refused by the recipient's server: send_failed, not bounced.
    expect(changes.filter((t) => t.startsWith('message.send_failed') || t === 'message.bounced')).toEqual(['message.send_failed']);
  });

  it('honours NOTIFY=NEVER (no bounce) and NOTIFY=SUCCESS (a success report)', async () => {
    const { g } = await smarthost({ rcpt: (a) => (a.startsWith('gone@') ? { code: 550, text: '5.1.1 gone' } : undefined) });
    const sales = await g.account('sales');
    await submit(g, sales.email, { to: ['gone@remote.example'], subject: 'never', text: 'x', dsn: { notify: 'NEVER', recipient: sales.email } });
    await submit(g, sales.email, {
      to: ['fine@remote.example'],
      subject: 'success please',
      text: 'x',
      dsn: { notify: ['SUCCESS', 'FAILURE'], recipient: sales.email, id: 'env-42', return: 'headers' },
    });
    await waitFor(settled(g), 'the queue to finish');
    const inbox = folderMessages(g, sales, 'INBOX');
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.raw).toContain('Subject: Successful Mail Delivery Report');
    expect(inbox[0]!.raw).toContain('Original-Envelope-Id: env-42');
    expect(inbox[0]!.raw).toContain('Action: relayed');
    expect(inbox[0]!.raw).toContain('Content-Type: text/rfc822-headers');
  });

  it('keeps the queue across a restart and sends what was due', async () => {
    const sink = await startSink({ data: (n) => (n === 0 ? { code: 421, text: '4.4.2 closing' } : undefined) });
    const g = await startTestGateway({ WICKET_RELAY: `smtp://127.0.0.1:${sink.port}` });
    const sales = await g.account('sales');
    await send(g, sales.email, ['x@remote.example']);
    await waitFor(() => g.gateway.services.queue.list().find((e) => e.attempts === 1 && e.status === 'queued'), 'a deferral');
    await g.gateway.close(0);
    const { startGateway } = await import('../../src/main.js');
    const { createLogger } = await import('../../src/log.js');
    const again = await startGateway({ ...g.gateway.config }, createLogger('silent'));
    try {
      expect(again.services.queue.list()).toHaveLength(1);
      again.services.store.queue.expedite(Math.floor(Date.now() / 1000));
      await again.queue!.runOnce();
      expect(sink.received).toHaveLength(1);
      expect(again.services.queue.list()).toEqual([]);
    } finally {
      await again.close(0);
    }
  });
});

describe('direct delivery to the recipient domain MX', () => {
  it('looks up the MX and delivers there, with DKIM', async () => {
    const sink = await startSink();
    const dns = await startFakeDns([{ type: 'MX', name: 'remote.example', exchange: '127.0.0.1' }]);
    const g = await startTestGateway({ WICKET_RELAY: 'direct', WICKET_DNS_SERVERS: dns.server, WICKET_DIRECT_PORT: String(sink.port) });
    const sales = await g.account('sales', { name: 'Sales Agent' });
    await send(g, sales.email, ['someone@remote.example']);
    await waitFor(() => sink.received.length === 1, 'direct delivery');
    expect(sink.received[0]!.raw.toString()).toContain('From: "Sales Agent" <sales@agents.example.com>');
    expect((await dkimVerify(sink.received[0]!.raw, { resolver: dkimResolver(g) })).results[0]?.status.result).toBe('pass');
  });

  it('bounces at once for a null MX (RFC 7505) and for a domain that does not exist', async () => {
    const dns = await startFakeDns([{ type: 'MX', name: 'nomail.example', exchange: '.', preference: 0 }]);
    const g = await startTestGateway({ WICKET_RELAY: 'direct', WICKET_DNS_SERVERS: dns.server, WICKET_DNS_TIMEOUT_MS: '500' });
    const sales = await g.account('sales');
    await send(g, sales.email, ['a@nomail.example', 'b@nxdomain.example']);
    await waitFor(() => g.gateway.services.queue.list().every((e) => e.status === 'failed'), 'both to fail');
    const errors = g.gateway.services.queue.list().map((e) => e.lastError);
    expect(errors).toEqual([
      '550 5.1.10 nomail.example accepts no mail (null MX, RFC 7505)',
      '550 5.1.2 nxdomain.example does not exist (no such domain in DNS)',
    ]);
    expect(folderMessages(g, sales, 'INBOX')).toHaveLength(2);
  });
});
