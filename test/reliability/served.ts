// The real `wicket serve` in a child process, with accounts made beforehand in its data
// directory, so that its memory (RSS, peak RSS) and open file descriptors can be read from
// /proc without the test's own sockets and buffers counting.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { WICKET_BIN, cliEnv } from '../helpers/cli.js';
import { SERVE_ENV } from '../helpers/serve.js';
import { captureChild } from '../helpers/suite-ledger.js';
import { openWorld } from '../helpers/services.js';
import { tempDir } from '../helpers/tmp.js';

export const DOMAIN = 'agents.example.com';

export interface Served {
  child: ChildProcess;
  pid: number;
  ports: { imap: number; submission: number; mx: number };
  /** Resident memory now, in bytes. */
  rss(): number;
  /** Peak resident memory since start (VmHWM), in bytes. */
  peak(): number;
  /** Open file descriptors. */
  fds(): number;
}

function status(pid: number, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} for ${pid}`);
  return Number(match[1]) * 1024;
}

/** Starts `wicket serve` with IMAP, submission and MX listeners; `accounts` get `password`. */
export async function startServed(env: Record<string, string>, accounts: string[], password: string): Promise<Served> {
  const dir = tempDir('wicket-served-');
  const world = openWorld({ dir: join(dir, 'data') });
  await world.services.domains.add(DOMAIN);
  for (const local of accounts) await world.services.accounts.create(world.appId, { email: `${local}@${DOMAIN}`, appPassword: password });
  world.store.close();
  const child = spawn(process.execPath, [WICKET_BIN, 'serve'], {
    cwd: dir,
    env: cliEnv(dir, {
      ...SERVE_ENV,
      WICKET_IMAP_PORT: 'auto',
      WICKET_SUBMISSION_PORT: 'auto',
      WICKET_MX_PORT: 'auto',
      WICKET_LOG_FORMAT: 'json',
      WICKET_HOSTNAME: 'mail.wicket.test',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  captureChild(child, 'serve', ['stdout', 'stderr']);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  // Reads the listeners' ports from the start-up log, then stops looking at the output (it is
  // still drained, so the child never blocks on a full pipe).
  const ports: Record<string, number> = {};
  await new Promise<void>((resolve, reject) => {
    let pending = '';
    let started = false;
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${pending}`)), 30_000);
    child.stderr!.resume();
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      if (started) return;
      pending += d;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { listener?: string; port?: number; msg: string };
        if (entry.listener && entry.port) ports[entry.listener] = entry.port;
        if (entry.msg === 'wicket started') started = true;
      }
      if (started) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => reject(new Error('serve exited during start-up')));
  });
  const pid = child.pid!;
  return {
    child,
    pid,
    ports: { imap: ports.imap!, submission: ports.submission!, mx: ports.mx! },
    rss: () => status(pid, 'VmRSS'),
    peak: () => status(pid, 'VmHWM'),
    fds: () => readdirSync(`/proc/${pid}/fd`).length,
  };
}

export const MB = 1024 * 1024;
