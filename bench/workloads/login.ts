// Login rate, plain (IMAP, port 143-style) and TLS (IMAPS, a full handshake per connection, no
// session resumption). One operation = connect (+ TLS handshake), LOGIN, LOGOUT, close.
//
// - cold: each login is the first of its account in this server's life, so it pays bcrypt at
//   the run's cost. COLD_PER_RUN fresh accounts per mode and run, 2 × cores at a time; the
//   figure is logins per second. Beside it, the limit: cores / (the time of one bcrypt compare
//   at the same cost, timed in the bench process with the bcrypt package) — no server can log
//   in cold faster than that.
// - warm: one account (user0) logging in again and again on WARM_CLIENTS concurrent
//   connections, after one login that fills the server's authentication cache. Wicket's cache
//   skips bcrypt; Dovecot's (auth_cache_size) keeps the hash and still verifies it, on its
//   auth-worker processes. Goal: ≥ 3,000 warm logins/s plain (issue 7).
import bcrypt from 'bcrypt';
import { cpus } from 'node:os';
import { RawImap } from '../lib/imap.js';
import { closedLoop, median, percentile, timeEach } from '../lib/stats.js';
import type { Account, Figure, RunContext, Target, Workload } from '../lib/types.js';

const COLD_PER_RUN = { quick: 10, full: 20 };
/** Runs the cold pool is sized for (the runner's default is 3; --runs above this reuses none). */
const MAX_RUNS = 5;
const WARM_CLIENTS = 50;

/** The next unused cold accounts of each target (a target lives across its runs). */
const coldNext = new WeakMap<Target, number>();

async function loginOnce(target: Target, account: Account, tls: boolean): Promise<void> {
  const imap = await RawImap.connect(tls ? target.imapsPort : target.imapPort, { tls });
  try {
    await imap.login(account.email, account.password);
    await imap.command('LOGOUT');
  } finally {
    imap.close();
  }
}

/**
 * The cold-login limit at `cost`: cores / (one bcrypt compare's time), the compare timed in
 * this process with the bcrypt package (median of `samples`, one at a time).
 */
async function bcryptCeiling(cost: number, samples: number): Promise<{ perSecond: number; ms: number }> {
  const hash = await bcrypt.hash('bench-password', cost);
  const times = await timeEach(samples, async () => {
    if (!(await bcrypt.compare('bench-password', hash))) throw new Error('bcrypt compare failed');
  });
  const ms = median(times);
  return { perSecond: (cpus().length * 1000) / ms, ms };
}

/** The bcrypt cost of the run: the runner reads it from the same variable (default 12). */
const bcryptCost = (): number => Number(process.env.BENCH_BCRYPT_COST ?? 12);

export const login: Workload = {
  name: 'login',
  description: 'IMAP login rate (connect, LOGIN, LOGOUT), plain and TLS: cold (bcrypt per login) against the bcrypt-only limit, and warm (auth cache)',
  targets: ['wicket', 'dovecot'],
  setup(quick) {
    // user0 is the warm account; the rest are used once each, cold.
    return { accounts: 1 + 2 * MAX_RUNS * (quick ? COLD_PER_RUN.quick : COLD_PER_RUN.full) };
  },
  async run(ctx: RunContext): Promise<Figure[]> {
    const { target, quick, log } = ctx;
    const cores = cpus().length;
    const perRun = quick ? COLD_PER_RUN.quick : COLD_PER_RUN.full;
    const warmMs = quick ? 4_000 : 10_000;
    const figures: Figure[] = [];

    // The limit, measured while the target idles.
    const limit = await bcryptCeiling(bcryptCost(), quick ? 5 : 11);
    const ceiling = limit.perSecond;
    log(`    bcrypt cost ${bcryptCost()}: ${limit.ms.toFixed(0)} ms a compare, so at most ${ceiling.toFixed(1)} cold logins/s on ${cores} cores`);
    figures.push({ name: `bcrypt-only limit, cost ${bcryptCost()}`, value: ceiling, unit: 'logins/s', better: 'higher', errors: 0 });

    // The warm account's first logins (cold on the first run) before anything is measured: the
    // server's code paths are warm and its cache holds the account for the warm loops below.
    const warm = target.accounts[0]!;
    await loginOnce(target, warm, false);
    await loginOnce(target, warm, true);

    for (const tls of [false, true]) {
      const mode = tls ? 'TLS' : 'plain';
      // Cold: accounts never logged in before on this server.
      const start = coldNext.get(target) ?? 1;
      const pool = target.accounts.slice(start, start + perRun);
      coldNext.set(target, start + perRun);
      if (pool.length < perRun) {
        log(`    cold ${mode}: no fresh accounts left (more than ${MAX_RUNS} runs); skipped`);
      } else {
        let next = 0;
        const latencies: number[] = [];
        let errors = 0;
        let firstError: unknown;
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: 2 * cores }, async () => {
            for (let i = next++; i < pool.length; i = next++) {
              const t = performance.now();
              try {
                await loginOnce(target, pool[i]!, tls);
                latencies.push(performance.now() - t);
              } catch (err) {
                errors++;
                firstError ??= err;
              }
            }
          }),
        );
        const rate = latencies.length / ((performance.now() - t0) / 1000);
        log(
          `    ${target.name} cold ${mode}: ${rate.toFixed(1)} logins/s (${((100 * rate) / ceiling).toFixed(0)}% of the bcrypt limit), p50 ${percentile(latencies, 50).toFixed(0)} ms${errors ? `, ${errors} errors (first: ${(firstError as Error)?.message})` : ''}`,
        );
        figures.push({ name: `cold ${mode}`, value: rate, unit: 'logins/s', better: 'higher', errors });
        figures.push({ name: `cold ${mode}, share of bcrypt limit`, value: (100 * rate) / ceiling, unit: '%', better: 'higher', errors });
      }

      // Warm: the same account again and again.
      const cpuBefore = target.cpuMs();
      const r = await closedLoop(WARM_CLIENTS, warmMs, () => loginOnce(target, warm, tls));
      const rate = r.ops / (r.elapsedMs / 1000);
      const cpuPerLogin = ((target.cpuMs() - cpuBefore) * 1000) / Math.max(1, r.ops);
      log(
        `    ${target.name} warm ${mode}: ${Math.round(rate)} logins/s, server CPU ${cpuPerLogin.toFixed(0)} µs a login, p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p99 ${percentile(r.latencies, 99).toFixed(1)} ms${r.errors ? `, ${r.errors} errors (first: ${(r.firstError as Error)?.message})` : ''}`,
      );
      figures.push({
        name: `warm ${mode}, ${WARM_CLIENTS} clients`,
        value: rate,
        unit: 'logins/s',
        better: 'higher',
        errors: r.errors,
        ...(tls ? {} : { goal: { op: '>=' as const, value: 3000 } }),
      });
      figures.push({ name: `warm ${mode} p99`, value: percentile(r.latencies, 99), unit: 'ms', better: 'lower', errors: r.errors });
      // The server's own CPU per login: what the rate would be with a core to itself.
      figures.push({ name: `warm ${mode}, server CPU per login`, value: cpuPerLogin, unit: 'µs', better: 'lower', errors: r.errors });
    }
    return figures;
  },
};
