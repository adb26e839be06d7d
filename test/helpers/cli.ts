// Runs the real `wicket` command as a child process against a temporary data directory.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect } from 'vitest';
import { captureChild, ledgerChildEnv, noteCliSecrets } from './suite-ledger.js';
import { tempDir } from './tmp.js';

export const WICKET_BIN = resolve(import.meta.dirname, '../../bin/wicket.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Written to standard input, which is then closed (standard input is never a terminal here). */
  input?: string;
  env?: Record<string, string>;
}

/** The environment every CLI test runs with: its own data and certs, fast bcrypt, no real DNS. */
export function cliEnv(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir };
  return {
    ...env,
    WICKET_DATA_DIR: join(dir, 'data'),
    WICKET_CERTS_DIR: join(dir, 'certs'),
    WICKET_BCRYPT_COST: '4',
    WICKET_DNS_SERVERS: '127.0.0.1:9',
    WICKET_DNS_TIMEOUT_MS: '300',
    // Status probes this port; nothing listens on it in tests that do not start a server.
    WICKET_HTTP_PORT: '9',
    ...extra,
    // The reliability suite's ledger: every log line at trace level (nothing without it).
    ...ledgerChildEnv(),
  };
}

export function wicket(dir: string, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [WICKET_BIN, ...args], { cwd: dir, env: cliEnv(dir, opts.env), stdio: 'pipe' });
    noteCliSecrets(args);
    captureChild(child, 'cli', ['stderr']);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs and expects success; returns parsed JSON when --json was given. */
export async function wicketOk(dir: string, args: string[], opts: CliOptions = {}): Promise<CliResult & { json: any }> {
  const result = await wicket(dir, args, opts);
  if (result.code !== 0) throw new Error(`wicket ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return { ...result, json: args.includes('--json') ? JSON.parse(result.stdout) : undefined };
}

/** Every row of every table, to prove that a refused command changed nothing. */
export function dumpStore(dir: string): Record<string, unknown[]> {
  const file = join(dir, 'data', 'wicket.db');
  if (!existsSync(file)) return {};
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
      (t) => t.name,
    );
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY 1`).all()]));
  } finally {
    db.close();
  }
}

export const PASSWORD = 'MySecureP4ssword!2024';

/**
 * A data directory prepared once by `seed` (real CLI calls) and copied for each test that
 * needs it, so a table of error cases does not pay for the same set-up every row.
 */
export function seededDirs(seed: (dir: string) => Promise<void>): () => Promise<string> {
  let template: Promise<string> | undefined;
  afterAll(async () => {
    if (template) rmSync(await template, { recursive: true, force: true });
  });
  return async () => {
    template ??= (async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wicket-template-'));
      await seed(dir);
      return dir;
    })();
    const source = await template;
    const dir = tempDir();
    cpSync(join(source, 'data'), join(dir, 'data'), { recursive: true });
    return dir;
  };
}

/** A refused command: the exit code, exactly one line on standard error, nothing stored. */
export async function expectRefused(dir: string, args: string[], code: number, message: string): Promise<void> {
  const before = dumpStore(dir);
  const result = await wicket(dir, args);
  expect({ code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({ code, stderr: `${message}\n`, stdout: '' });
  expect(dumpStore(dir)).toEqual(before);
}
