// Starts `wicket serve` as a child process on 127.0.0.1 with OS-chosen ports, and waits for
// its listeners to report their addresses.
import { type ChildProcess, spawn } from 'node:child_process';
import { onTestFinished } from 'vitest';
import { WICKET_BIN, cliEnv } from './cli.js';
import { captureChild } from './suite-ledger.js';

export interface ServeProcess {
  child: ChildProcess;
  /** listener name → port, from the "… listening on" log lines. */
  ports: Record<string, number>;
  stdout: () => string;
  stderr: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export const SERVE_ENV = {
  WICKET_BIND: '127.0.0.1',
  WICKET_HTTP_PORT: 'auto',
  WICKET_IMAP_PORT: '0',
  WICKET_IMAPS_PORT: '0',
  WICKET_SUBMISSION_PORT: '0',
  WICKET_SUBMISSIONS_PORT: '0',
  WICKET_MX_PORT: '0',
};

export function startServe(dir: string, env: Record<string, string> = {}, expected = ['http']): Promise<ServeProcess> {
  const child = spawn(process.execPath, [WICKET_BIN, 'serve'], { cwd: dir, env: cliEnv(dir, { ...SERVE_ENV, ...env }), stdio: 'pipe' });
  captureChild(child, 'serve', ['stdout', 'stderr']);
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const handle: ServeProcess = {
    child,
    ports: {},
    stdout: () => out,
    stderr: () => err,
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}\n${err}`)), 30_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    let up = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (up) return; // kept, no longer parsed (a long run's log would be re-read at every chunk)
      let started = false;
      for (const line of out.split('\n')) {
        if (!line.startsWith('{') || !line.endsWith('}')) continue;
        const entry = JSON.parse(line) as { listener?: string; port?: number; msg: string };
        if (entry.listener && entry.port) handle.ports[entry.listener] = entry.port;
        if (entry.msg === 'wicket started') started = true;
      }
      if (started && expected.every((name) => handle.ports[name])) {
        up = true;
        clearTimeout(timer);
        resolve(handle);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before its listeners were up:\n${out}\n${err}`));
    });
  });
}
