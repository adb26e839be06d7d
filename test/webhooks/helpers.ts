// What the webhook tests share: a receiver (a real HTTP server on 127.0.0.1) that answers the
// challenge and records every delivery with its raw body, and a gateway that can be started
// again on the same data directory with a fast retry schedule.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { createLogger } from '../../src/log.js';
import { type Gateway, startGateway } from '../../src/main.js';
import type { SenderTuning } from '../../src/webhooks/sender.js';
import { GATEWAY_ENV, PASSWORD, type TestGateway } from '../helpers/gateway.js';
import { testConfig } from '../helpers/services.js';
import { tempDir } from '../helpers/tmp.js';

export interface Received {
  raw: Buffer;
  body: any;
  headers: IncomingHttpHeaders;
  path: string;
}

export interface Receiver {
  url: string;
  /** Deliveries (POSTs), in arrival order. */
  received: Received[];
  /** Challenges (GETs) seen, by value. */
  challenges: string[];
  /** How the next challenge is answered. */
  challengeMode: 'echo' | 'wrong' | 'hang' | 'status404';
  /** Status for each POST in turn (0: never answer); when the list runs out, 200. */
  statuses: number[];
  /** Resolves when `count` deliveries matching `filter` have arrived. */
  waitFor(count: number, filter?: (r: Received) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const waiters = new Set<() => void>();
  const hanging = new Set<import('node:http').ServerResponse>();
  const r: Receiver = {
    url: '',
    received: [],
    challenges: [],
    challengeMode: 'echo',
    statuses: [],
    async waitFor(count, filter = () => true, timeoutMs = 15_000) {
      const matching = () => r.received.filter(filter);
      if (matching().length >= count) return matching();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (matching().length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(matching());
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} deliveries, got ${matching().length}: ${JSON.stringify(r.received.map((x) => x.body?.type))}`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET') {
      const challenge = url.searchParams.get('challenge') ?? '';
      r.challenges.push(challenge);
      if (r.challengeMode === 'hang') {
        hanging.add(res);
        return;
      }
      if (r.challengeMode === 'status404') {
        res.writeHead(404).end(challenge);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(r.challengeMode === 'wrong' ? `${challenge}x` : challenge);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = raw.toString('utf8');
      }
      r.received.push({ raw, body, headers: req.headers, path: url.pathname });
      const status = r.statuses.shift() ?? 200;
      if (status === 0) hanging.add(res);
      else res.writeHead(status).end('ok');
      for (const w of [...waiters]) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  onTestFinished(() => r.close());
  return r;
}

/** Retries 50 ms, 100 ms, 150 ms apart, then give up; polls every 100 ms. */
export const FAST: Partial<SenderTuning> = { retryDelaysMs: [50, 100, 150], pollMs: 100 };

export interface WebhookGatewayOptions {
  dir?: string;
  env?: Record<string, string>;
  tuning?: Partial<SenderTuning>;
}

/** Like startTestGateway, but on a given data directory (to start again) and with webhook tuning. */
export async function startWebhookGateway(opts: WebhookGatewayOptions = {}): Promise<TestGateway> {
  const dir = opts.dir ?? tempDir();
  const config = testConfig(dir, { ...GATEWAY_ENV, ...opts.env });
  const gateway: Gateway = await startGateway(config, createLogger(process.env.WICKET_TEST_LOG ? 'debug' : 'silent'), {
    webhooks: { ...FAST, ...opts.tuning },
  });
  onTestFinished(() => gateway.close(0));
  const { services } = gateway;
  if (!services.domains.list().some((d) => d.domain.name === 'agents.example.com')) await services.domains.add('agents.example.com');
  const appId = services.defaultApplication.id;
  return {
    dir,
    gateway,
    ports: gateway.ports as TestGateway['ports'],
    appId,
    account: (local, o = {}) =>
      services.accounts.create(appId, {
        email: `${local}@agents.example.com`,
        name: o.name,
        appPassword: o.password === null ? undefined : (o.password ?? PASSWORD),
      }),
  };
}

/** Polls until `fn` returns a truthy value (store state changed by the sender). */
export async function until<T>(fn: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
