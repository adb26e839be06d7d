// GET /metrics (Prometheus text format), /healthz and /readyz.
import { connect } from 'node:net';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { api, apiKey } from '../helpers/api.js';
import { PASSWORD, type TestGateway, startTestGateway } from '../helpers/gateway.js';
import { startSink } from '../helpers/sink.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a text exposition (format 0.0.4): `name{a="x",b="y"} value`. */
function parseMetrics(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      types.set(name!, type!);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return { samples, types };
}

async function scrape(g: TestGateway) {
  const res = await fetch(`http://127.0.0.1:${g.ports.http}/metrics`);
  expect(res.status).toBe(200);
  const text = await res.text();
  const parsed = parseMetrics(text);
  /** The sum of a metric's samples whose labels include `labels` (0 when none). */
  const value = (name: string, labels: Record<string, string> = {}): number =>
    parsed.samples
      .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((sum, s) => sum + s.value, 0);
  return { text, res, ...parsed, value };
}

function imap(g: TestGateway, user: string, pass = PASSWORD): ImapFlow {
  return new ImapFlow({ host: '127.0.0.1', port: g.ports.imaps, secure: true, auth: { user, pass }, tls: { rejectUnauthorized: false }, logger: false });
}

async function eventually(check: () => Promise<void>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('GET /metrics', () => {
  it('answers the text format without an API key: wicket_ metrics at zero, process metrics, no secrets', async () => {
    const g = await startTestGateway();
    const m = await scrape(g);
    expect(m.res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(Object.fromEntries([...m.types].filter(([name]) => name.startsWith('wicket_')))).toEqual({
      wicket_connections_total: 'counter',
      wicket_connections_open: 'gauge',
      wicket_auth_total: 'counter',
      wicket_messages_received_total: 'counter',
      wicket_messages_sent_total: 'counter',
      wicket_messages_queued_total: 'counter',
      wicket_messages_delivered_total: 'counter',
      wicket_messages_bounced_total: 'counter',
      wicket_webhook_deliveries_total: 'counter',
      wicket_http_request_duration_seconds: 'histogram',
    });
    for (const listener of ['http', 'submission', 'submissions', 'mx', 'imap', 'imaps']) {
      expect(m.samples).toContainEqual({ name: 'wicket_connections_open', labels: { listener }, value: listener === 'http' ? 1 : 0 });
    }
    expect(m.value('wicket_messages_received_total')).toBe(0);
    expect(m.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(m.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    // Counts only: nothing about where the gateway listens or who uses it.
    expect(m.text).not.toContain('127.0.0.1');
    expect(m.text).not.toContain('@');
  });

  it('counts IMAP logins, successes and failures, and the connections of each listener', async () => {
    const g = await startTestGateway();
    const account = await g.account('sales');
    const ok = imap(g, account.email);
    await ok.connect();
    const open = await scrape(g);
    expect(open.value('wicket_connections_open', { listener: 'imaps' })).toBe(1);
    await ok.logout();
    const bad = imap(g, account.email, 'Wrong-password-1234567');
    await expect(bad.connect()).rejects.toThrow();
    const unknown = imap(g, 'nobody@agents.example.com');
    await expect(unknown.connect()).rejects.toThrow();

    await eventually(async () => {
      const m = await scrape(g);
      expect(m.value('wicket_auth_total', { protocol: 'imap', result: 'ok' })).toBe(1);
      expect(m.value('wicket_auth_total', { protocol: 'imap', result: 'invalid_credentials' })).toBe(1);
      expect(m.value('wicket_auth_total', { protocol: 'imap', result: 'unknown_account' })).toBe(1);
      expect(m.value('wicket_auth_total', { protocol: 'smtp' })).toBe(0);
      expect(m.value('wicket_connections_total', { listener: 'imaps' })).toBe(3);
      expect(m.value('wicket_connections_open', { listener: 'imaps' })).toBe(0);
    });
  });

  it('counts inbound and submitted messages, queue entries, deliveries and bounces', async () => {
    const sink = await startSink({ rcpt: (address) => (address.startsWith('gone@') ? { code: 550, text: '5.1.1 no such user' } : undefined) });
    const g = await startTestGateway({ WICKET_RELAY: `smtp://127.0.0.1:${sink.port}` });
    const sales = await g.account('sales');
    await g.account('bob');

    // The MX: one message for two local accounts is one message received.
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: g.ports.mx, secure: false, tls: { rejectUnauthorized: false }, name: 'sender.example' })
      .sendMail({ from: 'alice@remote.example', to: ['sales@agents.example.com', 'bob@agents.example.com'], subject: 'in', text: 'hello' });
    // Submission: one local and two remote recipients, one of which bounces.
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: g.ports.submission, auth: { user: sales.email, pass: PASSWORD }, tls: { rejectUnauthorized: false } })
      .sendMail({ from: sales.email, to: ['bob@agents.example.com', 'carol@remote.example', 'gone@remote.example'], subject: 'out', text: 'hi' });

    await eventually(async () => {
      const m = await scrape(g);
      expect({
        received: m.value('wicket_messages_received_total'),
        sent: m.value('wicket_messages_sent_total'),
        queued: m.value('wicket_messages_queued_total'),
        delivered: m.value('wicket_messages_delivered_total'),
        bounced: m.value('wicket_messages_bounced_total'),
        smtpAuth: m.value('wicket_auth_total', { protocol: 'smtp', result: 'ok' }),
        mx: m.value('wicket_connections_total', { listener: 'mx' }),
        submission: m.value('wicket_connections_total', { listener: 'submission' }),
      }).toEqual({ received: 1, sent: 1, queued: 2, delivered: 1, bounced: 1, smtpAuth: 1, mx: 1, submission: 1 });
    }, 15_000);
  });

  it('times REST API requests by route pattern and counts API key checks', async () => {
    const g = await startTestGateway();
    const account = await g.account('sales');
    const key = apiKey(g);
    expect((await api(g, key, 'GET', '/v3/grants')).status).toBe(200);
    expect((await api(g, key, 'GET', `/v3/grants/${account.id}`)).status).toBe(200);
    expect((await api(g, key, 'GET', `/v3/grants/${account.email}/folders`)).status).toBe(200);
    expect((await api(g, null, 'GET', '/v3/grants')).status).toBe(401);
    expect((await api(g, key, 'GET', '/v3/nothing-here')).status).toBe(404);

    const m = await scrape(g);
    const count = (route: string, status: string) =>
      m.value('wicket_http_request_duration_seconds_count', { method: 'GET', route, status });
    expect(count('/v3/grants', '200')).toBe(1);
    expect(count('/v3/grants/:grantId', '200')).toBe(1);
    expect(count('/v3/grants/:grantId/folders', '200')).toBe(1);
    expect(count('/v3/grants', '401')).toBe(1);
    expect(count('unmatched', '404')).toBe(1);
    expect(m.value('wicket_http_request_duration_seconds_bucket', { route: '/v3/grants', status: '200', le: '+Inf' })).toBe(1);
    expect(m.value('wicket_http_request_duration_seconds_sum', { route: '/v3/grants', status: '200' })).toBeGreaterThan(0);
    expect(m.value('wicket_auth_total', { protocol: 'api', result: 'ok' })).toBe(3);
    expect(m.value('wicket_auth_total', { protocol: 'api', result: 'missing' })).toBe(1);
    // Route patterns only: no ids or addresses in labels.
    expect(m.text).not.toContain(account.id);
    expect(m.text).not.toContain('nothing-here');
    expect(m.text).not.toContain(account.email);
    // The scrape itself is timed at the next scrape.
    expect((await scrape(g)).value('wicket_http_request_duration_seconds_count', { route: '/metrics' })).toBe(1);
  });

  it('counts webhook deliveries through the function the sender calls', async () => {
    const g = await startTestGateway();
    const { metrics } = g.gateway.services;
    metrics.webhookDelivery('success');
    metrics.webhookDelivery('success');
    metrics.webhookDelivery('retry');
    const m = await scrape(g);
    expect(m.value('wicket_webhook_deliveries_total', { result: 'success' })).toBe(2);
    expect(m.value('wicket_webhook_deliveries_total', { result: 'retry' })).toBe(1);
  });

  it('keeps one registry per gateway', async () => {
    const a = await startTestGateway();
    const b = await startTestGateway();
    const account = await a.account('sales');
    const client = imap(a, account.email);
    await client.connect();
    await client.logout();
    await eventually(async () => expect((await scrape(a)).value('wicket_auth_total', { protocol: 'imap' })).toBe(1));
    expect((await scrape(b)).value('wicket_auth_total', { protocol: 'imap' })).toBe(0);
  });
});

describe('/healthz and /readyz', () => {
  it('answer 200 while running; /readyz answers 503 once shutdown begins', async () => {
    const g = await startTestGateway();
    const health = await fetch(`http://127.0.0.1:${g.ports.http}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', version: expect.any(String) });
    const ready = await fetch(`http://127.0.0.1:${g.ports.http}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });

    // A connection opened before shutdown, whose request is still arriving, is answered during
    // the grace period: the load balancer reads 503 and stops sending traffic.
    const socket = connect(g.ports.http, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /readyz HTTP/1.1\r\nHost: wicket\r\n');
    await new Promise((r) => setTimeout(r, 50));
    const closing = g.gateway.close(5000);
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => {
        text += d;
        if (text.includes('}')) resolve(text);
      });
    });
    socket.write('Connection: close\r\n\r\n');
    const text = await answer;
    socket.destroy();
    await closing;
    expect(text).toMatch(/^HTTP\/1\.1 503 /);
    expect(text).toContain('{"status":"unavailable"}');
  });
});
