// The reliability suite's ledger of logs and secrets (issue 10, item 7: "a test that greps
// every log line of the whole suite for every secret it used").
//
// When WICKET_SUITE_LEDGER names a directory — the reliability suite's global setup makes one —
// every gateway the test helpers start writes every log line, at trace level, into a file
// there (in-process gateways through their logger, `wicket serve` and CLI children through
// their output), and every secret a test makes, is given or presents — app passwords right and
// wrong, API keys real and made up, team passwords, session cookies, setup and invitation
// tokens, TOTP secrets and recovery codes, webhook secrets, DKIM private keys, relay
// credentials — is noted there. The last test of the suite (secrets-sweep.test.ts) searches the
// one for the other. Without the variable (the ordinary `npm test`) all of this does nothing.
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { type WriteStream, appendFileSync, createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { LogLevel } from '../../src/config.js';
import { type Logger, createLogger, createLoggerTo } from '../../src/log.js';
import type { Services } from '../../src/services.js';

export const LEDGER_ENV = 'WICKET_SUITE_LEDGER';
export const SECRETS_PREFIX = 'secrets-';
export const LOG_PREFIX = 'log-';

/** One secret as the ledger keeps it: what it is, its value, and the user it goes with (SASL forms). */
export interface NotedSecret {
  what: string;
  value: string;
  user?: string;
  /** The test file that used it. */
  file: string;
}

export function ledgerDir(): string | undefined {
  return process.env[LEDGER_ENV] || undefined;
}

/** The test file running now (its name), for labelling what it writes. */
function currentFile(): string {
  try {
    const path = expect.getState().testPath;
    if (path) return basename(path);
  } catch {
    // outside a test
  }
  return 'outside-a-test';
}

const noted = new Set<string>();

/** Notes a secret the test made, was given, or presented (a wrong one is as secret as a right one). */
export function noteSecret(what: string, value: string | null | undefined, user?: string): void {
  const dir = ledgerDir();
  if (!dir || typeof value !== 'string' || value.length === 0) return;
  const key = `${what}\0${value}\0${user ?? ''}`;
  if (noted.has(key)) return;
  noted.add(key);
  const entry: NotedSecret = { what, value, ...(user !== undefined ? { user } : {}), file: currentFile() };
  appendFileSync(join(dir, `${SECRETS_PREFIX}${process.pid}.jsonl`), `${JSON.stringify(entry)}\n`);
}

/**
 * Every spelling a secret travels in: as is, URL-encoded, JSON-escaped, base64, and with its
 * user as SASL PLAIN (base64 of "\0user\0secret") or "user\0secret"; a PEM key also line by line
 * (one line of it is enough to leak it). Shorter than 8 characters would match by chance; none
 * of Wicket's secrets is.
 */
export function secretForms(value: string, user?: string): string[] {
  const forms = [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64')];
  if (user !== undefined) forms.push(Buffer.from(`\0${user}\0${value}`).toString('base64'), Buffer.from(`${user}\0${value}`).toString('base64'));
  if (value.includes('\n')) forms.push(...value.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----')));
  return [...new Set(forms)].filter((f) => f.length >= 8);
}

let streams = 0;
/** A new log file in the ledger, named after the test file and what writes it. */
function logStream(dir: string, source: string): WriteStream {
  const name = `${LOG_PREFIX}${currentFile()}-${source}-${process.pid}-${++streams}-${randomBytes(3).toString('hex')}.log`;
  return createWriteStream(join(dir, name), { flags: 'a' });
}

const LEVEL_NUMBER: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * The logger for an in-process gateway: with the ledger on, every line at trace level into the
 * ledger, and those at `level` or above also to `write` (when given); without it, as before.
 */
export function suiteLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const dir = ledgerDir();
  if (!dir) return write ? createLoggerTo(level, write) : createLogger(level);
  const out = logStream(dir, 'gateway');
  const threshold = LEVEL_NUMBER[level] ?? Infinity;
  return createLoggerTo('trace', (line) => {
    out.write(line.endsWith('\n') ? line : `${line}\n`);
    if (write && (JSON.parse(line) as { level: number }).level >= threshold) write(line);
  });
}

/** A test's own log capture (one that reads the lines itself) also goes into the ledger. */
export function ledgerSink(source: string): (line: string) => void {
  const dir = ledgerDir();
  if (!dir) return () => {};
  const out = logStream(dir, source);
  return (line) => void out.write(line.endsWith('\n') ? line : `${line}\n`);
}

/** Environment for a `wicket` child process: logging at trace level when the ledger is on. */
export function ledgerChildEnv(): Record<string, string> {
  return ledgerDir() ? { WICKET_LOG_LEVEL: 'trace' } : {};
}

/**
 * Copies a child's log output into the ledger: both streams of `wicket serve` (it logs to
 * standard output), only standard error of a CLI command (its standard output is the answer).
 */
export function captureChild(child: ChildProcess, source: string, streamsToCopy: ('stdout' | 'stderr')[]): void {
  const dir = ledgerDir();
  if (!dir) return;
  const out = logStream(dir, source);
  let open = streamsToCopy.length;
  for (const name of streamsToCopy) {
    const stream = child[name];
    if (!stream) continue;
    stream.on('data', (d: Buffer | string) => out.write(d));
    stream.on('end', () => {
      if (--open === 0) out.end();
    });
  }
}

/** The arguments of a `wicket` command that are secrets (an app password given on the command line). */
export function noteCliSecrets(args: string[]): void {
  const i = args.indexOf('--app-password');
  if (i >= 0) noteSecret('app password (CLI)', args[i + 1], args.find((a) => a.includes('@')));
}

/**
 * The secrets a data directory keeps in the clear because they must be used, not just checked:
 * DKIM private keys, TOTP secrets, webhook signing secrets. Read before the directory is removed.
 */
export function harvestSecrets(dir: string): void {
  if (!ledgerDir()) return;
  for (const file of databases(dir, 3)) {
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
      const column = <T>(sql: string): T[] => {
        try {
          return db!.prepare(sql).pluck().all() as T[];
        } catch {
          return []; // a table a half-made or old database does not have
        }
      };
      for (const pem of column<string>('SELECT dkim_private_key FROM domains')) noteSecret('DKIM private key', pem);
      for (const secret of column<string | null>('SELECT totp_secret FROM users WHERE totp_secret IS NOT NULL')) noteSecret('TOTP secret', secret);
      for (const secret of column<string>('SELECT secret FROM webhooks')) noteSecret('webhook secret', secret);
    } catch {
      // not a database we can open (removed, or a full disk left it unreadable): nothing to note
    } finally {
      db?.close();
    }
  }
}

function databases(dir: string, depth: number): string[] {
  if (depth < 0 || !existsSync(dir)) return [];
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      continue;
    }
    if (isDir) found.push(...databases(path, depth - 1));
    else if (name === 'wicket.db') found.push(path);
  }
  return found;
}

type Method<T> = (...args: any[]) => T;
function watch<O extends object, K extends keyof O>(object: O, name: K, seen: (args: any[], result: any) => void): void {
  const original = object[name] as unknown as Method<unknown>;
  (object as Record<K, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
    const result = original.apply(object, args);
    if (result instanceof Promise) return result.then((r) => (seen(args, r), r));
    seen(args, result);
    return result;
  };
}

/**
 * Watches the services of an in-process gateway for every secret that passes through them —
 * made (accounts, keys, sessions, invitations, enrolments) or presented (logins right or wrong,
 * keys real or made up) — and notes each. Only with the ledger on.
 */
export function watchSecrets(services: Services): void {
  if (!ledgerDir()) return;
  watch(services.auth, 'authenticate', ([email, password]) => noteSecret('app password (presented)', password, email));
  watch(services.accounts, 'create', ([, input]) => noteSecret('app password', input?.appPassword, input?.email));
  watch(services.accounts, 'update', ([, update]) => noteSecret('app password (reset)', update?.appPassword));
  watch(services.apiKeys, 'create', (_args, made) => noteSecret('API key', made?.secret));
  watch(services.apiKeys, 'verify', ([presented]) => noteSecret('API key (presented)', presented));
  const { team, webhooks } = services;
  const session = (r: { ok: boolean; token?: string }) => r?.ok && noteSecret('session cookie', r.token);
  watch(team, 'signIn', ([, password], r) => (noteSecret('team password (presented)', password), session(r)));
  watch(team, 'completeMfa', (_args, r) => session(r));
  watch(team, 'session', ([token]) => noteSecret('session cookie (presented)', token));
  watch(team, 'setupTokenForFirstRun', (_args, token) => noteSecret('setup token', token));
  watch(team, 'completeSetup', ([token, input]) => (noteSecret('setup token (presented)', token), noteSecret('team password', input?.password)));
  watch(team, 'createUser', ([input]) => noteSecret('team password', input?.password));
  watch(team, 'changePassword', ([, current, next]) => (noteSecret('team password (presented)', current), noteSecret('team password', next)));
  watch(team, 'invite', (_args, link) => noteSecret('invitation token', link?.token));
  watch(team, 'resend', (_args, link) => noteSecret('invitation token', link?.token));
  watch(team, 'accept', ([token, password]) => (noteSecret('invitation token (presented)', token), noteSecret('team password', password)));
  watch(team, 'beginEnrolment', (_args, made) => noteSecret('TOTP secret', made?.secret));
  watch(team, 'confirmEnrolment', (_args, made) => {
    for (const code of made?.recoveryCodes ?? []) noteSecret('recovery code', code);
  });
  watch(webhooks, 'create', (_args, hook) => noteSecret('webhook secret', hook?.secret));
  watch(webhooks, 'rotateSecret', (_args, hook) => noteSecret('webhook secret', hook?.secret));
}
