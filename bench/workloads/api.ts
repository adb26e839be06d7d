// The REST API on a large account: `GET /v3/grants/{id}/messages?limit=50` with 100,000 messages
// in the INBOX (quick: 10,000), Wicket only (Dovecot has no such API).
//
// An API key is made the way an operator makes one: `wicket apikey create --json` run against
// the target's data directory (the environment `wicket serve` runs with); the grant id comes
// from `GET /v3/grants?email=…`. CONCURRENCY clients on one keep-alive http.Agent send
// requests back to back; each request is timed from sending to the last byte of its body.
//
// - first page: the newest 50 messages, REQUESTS[mode] times;
// - page 10: the page_token of page 10 (followed from page 1 through next_cursor), requested
//   the same number of times — cursor pages should cost what the first one does.
//
// Figures: p50 and p99 latency (ms) and requests per second for each. A request that fails
// (non-200, or a page without 50 messages) is counted as an error.
import { execFile } from 'node:child_process';
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { percentile } from '../lib/stats.js';
import type { Figure, RunContext, Target, Workload } from '../lib/types.js';

const MESSAGES = { quick: 10_000, full: 100_000 };
const REQUESTS = { quick: 400, full: 2_000 };
const CONCURRENCY = 4;
const LIMIT = 50;
const DEEP_PAGE = 10;
const BIN = resolve(import.meta.dirname, '../../bin/wicket.js');

interface Page {
  data: { id: string }[];
  next_cursor: string | null;
}

/** One API key per target, made once (a target lives across its runs). */
const keys = new WeakMap<Target, Promise<string>>();

async function apiKey(target: Target): Promise<string> {
  if (!target.env) throw new Error('the target has no environment to run the CLI with (Wicket only)');
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'apikey', 'create', '--name', 'bench', '--json'], {
    env: target.env,
    timeout: 30_000,
  });
  const key = (JSON.parse(stdout) as { api_key?: string }).api_key;
  if (!key) throw new Error(`wicket apikey create printed no api_key: ${stdout.slice(0, 200)}`);
  return key;
}

function get(agent: Agent, port: number, key: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${key}`, accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(60_000, () => req.destroy(new Error(`GET ${path}: no answer in 60 s`)));
    req.on('error', reject);
    req.end();
  });
}

async function page(agent: Agent, port: number, key: string, path: string): Promise<Page> {
  const r = await get(agent, port, key, path);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body.slice(0, 200)}`);
  return JSON.parse(r.body) as Page;
}

/** `requests` GETs of `path` from CONCURRENCY clients; latencies, errors and the rate. */
async function load(agent: Agent, port: number, key: string, path: string, requests: number) {
  let next = 0;
  let errors = 0;
  let firstError: unknown;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests) {
        next++;
        const t = performance.now();
        try {
          const r = await get(agent, port, key, path);
          if (r.status !== 200) throw new Error(`${r.status} ${r.body.slice(0, 200)}`);
          const count = (JSON.parse(r.body) as Page).data.length;
          if (count !== LIMIT) throw new Error(`a page of ${count} messages, not ${LIMIT}`);
          latencies.push(performance.now() - t);
        } catch (err) {
          errors++;
          firstError ??= err;
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  return { latencies, errors, firstError, rate: (latencies.length / elapsed) * 1000 };
}

export const api: Workload = {
  name: 'api',
  description: `GET /v3/grants/{id}/messages?limit=${LIMIT} on a 100k-message account (quick: 10k), ${CONCURRENCY} keep-alive clients: first page and page ${DEEP_PAGE} (page_token)`,
  targets: ['wicket'],
  setup(quick) {
    return { accounts: 1, seed: [{ account: 0, messages: quick ? MESSAGES.quick : MESSAGES.full }] };
  },
  async run(ctx: RunContext): Promise<Figure[]> {
    const { target, quick, log } = ctx;
    const port = target.httpPort;
    if (port === undefined) throw new Error('the target has no HTTP API');
    let keyPromise = keys.get(target);
    if (!keyPromise) keys.set(target, (keyPromise = apiKey(target)));
    const key = await keyPromise;
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    try {
      const email = target.accounts[0]!.email;
      const grants = await page(agent, port, key, `/v3/grants?email=${encodeURIComponent(email)}`);
      const grant = grants.data[0]?.id;
      if (!grant) throw new Error(`no grant for ${email}`);
      const first = `/v3/grants/${grant}/messages?limit=${LIMIT}`;

      // Page 10's token: follow next_cursor from page 1.
      let token: string | null = null;
      for (let p = 1; p < DEEP_PAGE; p++) {
        const r: Page = await page(agent, port, key, token === null ? first : `${first}&page_token=${encodeURIComponent(token)}`);
        token = r.next_cursor;
        if (token === null) throw new Error(`no next_cursor after page ${p}`);
      }
      const deep = `${first}&page_token=${encodeURIComponent(token!)}`;

      const requests = quick ? REQUESTS.quick : REQUESTS.full;
      // Warm-up: the first requests compile and cache what the rest reuse.
      await load(agent, port, key, first, 20);
      const figures: Figure[] = [];
      for (const [label, path] of [
        ['first page', first],
        [`page ${DEEP_PAGE}`, deep],
      ] as const) {
        const r = await load(agent, port, key, path, requests);
        if (r.errors > 0) log(`    ${label}: ${r.errors} errors; first: ${(r.firstError as Error).message}`);
        const p50 = percentile(r.latencies, 50);
        const p99 = percentile(r.latencies, 99);
        log(`    ${label}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, ${r.rate.toFixed(0)} requests/s`);
        figures.push(
          { name: `messages?limit=${LIMIT}, ${label}, p50`, value: p50, unit: 'ms', better: 'lower', errors: r.errors },
          { name: `messages?limit=${LIMIT}, ${label}, p99`, value: p99, unit: 'ms', better: 'lower', errors: r.errors },
          { name: `messages?limit=${LIMIT}, ${label}, ${CONCURRENCY} clients`, value: r.rate, unit: 'requests/s', better: 'higher', errors: r.errors },
        );
      }
      return figures;
    } finally {
      agent.destroy();
    }
  },
};
