// `wicket serve` as a child process for long runs: its log is read line by line and counted by
// level, never kept whole (test/helpers/serve.ts keeps and re-parses all of it, fine for a
// short test, quadratic over half an hour of info lines), and its resident memory, open file
// descriptors and CPU time are read from /proc/<pid>.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { onTestFinished } from 'vitest';
import { treeCpuMs } from '../../bench/lib/proc.js';
import { WICKET_BIN, cliEnv } from '../helpers/cli.js';
import { SERVE_ENV } from '../helpers/serve.js';
import { captureChild } from '../helpers/suite-ledger.js';

export interface LongServer {
  child: ChildProcess;
  pid: number;
  ports: Record<string, number>;
  /** Log lines seen, by pino level (30 info, 40 warn, 50 error, 60 fatal). */
  levels: Map<number, number>;
  /** The last warnings and errors, for the report. */
  problems: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ProcSample {
  /** Seconds since the load started. */
  t: number;
  rssBytes: number;
  fds: number;
  cpuMs: number;
}

export function sample(pid: number, t: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return { t, rssBytes: kb ? Number(kb[1]) * 1024 : 0, fds: readdirSync(`/proc/${pid}/fd`).length, cpuMs: treeCpuMs(pid) };
}

export function startLongServer(dir: string, env: Record<string, string>, expected: string[]): Promise<LongServer> {
  const child = spawn(process.execPath, [WICKET_BIN, 'serve'], { cwd: dir, env: cliEnv(dir, { ...SERVE_ENV, ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  captureChild(child, 'serve', ['stdout', 'stderr']);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const server: LongServer = {
    child,
    pid: child.pid!,
    ports: {},
    levels: new Map(),
    problems: [],
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
  let started = false;
  let partial = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${server.problems.join('\n')}\n${stderr}`)), 60_000);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-20_000)));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const lines = (partial + d).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { level: number; msg: string; listener?: string; port?: number };
        server.levels.set(entry.level, (server.levels.get(entry.level) ?? 0) + 1);
        if (entry.level >= 40) server.problems = [...server.problems.slice(-19), line.slice(0, 600)];
        if (!started) {
          if (entry.listener && entry.port) server.ports[entry.listener] = entry.port;
          if (entry.msg === 'wicket started' && expected.every((name) => server.ports[name])) {
            started = true;
            clearTimeout(timer);
            resolve(server);
          }
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`serve exited with ${code} before its listeners were up:\n${stderr}`));
    });
  });
}
