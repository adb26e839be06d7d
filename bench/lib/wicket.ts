// Wicket as a benchmark target: a temporary data directory with the bench domain and accounts,
// then `wicket serve` as a child process on loopback ports — measured from outside, as a
// client sees it, with its own memory.
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { hashAppPassword } from '../../src/accounts/app-password.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createServices } from '../../src/services.js';
import { openStore } from '../../src/store/open.js';
import { freePort, processTree, treeCpuMs, waitForPort } from './proc.js';
import type { Account, Target } from './types.js';

export const BENCH_PASSWORD = 'BenchP4ssword-Secure!';
const BIN = resolve(import.meta.dirname, '../../bin/wicket.js');

export interface TargetOptions {
  /** A fresh, empty directory the target may fill. */
  dir: string;
  accounts: number;
  bcryptCost: number;
}

export async function startWicket(opts: TargetOptions): Promise<Target> {
  const ports = {
    imap: await freePort(),
    imaps: await freePort(),
    submission: await freePort(),
    mx: await freePort(),
    http: await freePort(),
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: opts.dir,
    WICKET_DATA_DIR: join(opts.dir, 'data'),
    WICKET_CERTS_DIR: join(opts.dir, 'certs'),
    WICKET_HOSTNAME: 'bench.localhost',
    WICKET_BIND: '127.0.0.1',
    WICKET_IMAP_PORT: String(ports.imap),
    WICKET_IMAPS_PORT: String(ports.imaps),
    WICKET_SUBMISSION_PORT: String(ports.submission),
    WICKET_SUBMISSIONS_PORT: '0',
    WICKET_MX_PORT: String(ports.mx),
    WICKET_HTTP_PORT: String(ports.http),
    WICKET_BCRYPT_COST: String(opts.bcryptCost),
    WICKET_LOG_LEVEL: 'warn',
    WICKET_LOG_FORMAT: 'json',
    // Load from one address: no per-address caps or failure delays in the way.
    WICKET_IMAP_MAX_CONNECTIONS_PER_IP: '10000',
    WICKET_SMTP_MAX_CONNECTIONS_PER_IP: '10000',
    WICKET_AUTH_FAILURE_DELAY_MS: '0',
    WICKET_AUTH_MAX_FAILURES: '1000',
  };

  // The domain and accounts, written straight into the store before the server starts. One
  // bcrypt hash serves every account (same password, same cost as the run).
  const config = loadConfig(env, opts.dir);
  const store = openStore(config.dataDir);
  const accounts: Account[] = [];
  try {
    const services = createServices(store, config, createLogger('silent'));
    await services.domains.add('bench.example.com');
    const hash = await hashAppPassword(BENCH_PASSWORD, opts.bcryptCost);
    for (let i = 0; i < opts.accounts; i++) {
      const email = `user${i}@bench.example.com`;
      const account = await services.accounts.create(services.defaultApplication.id, { email });
      store.directory.updateAccount(account.id, { passwordHash: hash });
      accounts.push({ email, password: BENCH_PASSWORD });
    }
  } finally {
    store.close();
  }

  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (--cpu-prof).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, BIN, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // Never outlive the bench, however it ends.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  await Promise.race([
    waitForPort(ports.imap),
    exited.then((code) => {
      throw new Error(`wicket serve exited (${code}) before listening: ${stderr}`);
    }),
  ]);
  await waitForPort(ports.http);
  return {
    name: 'wicket',
    host: '127.0.0.1',
    imapPort: ports.imap,
    imapsPort: ports.imaps,
    submissionPort: ports.submission,
    mxPort: ports.mx,
    httpPort: ports.http,
    env,
    accounts,
    pids: () => (child.pid ? processTree(child.pid) : []),
    cpuMs: () => (child.pid ? treeCpuMs(child.pid) : 0),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
