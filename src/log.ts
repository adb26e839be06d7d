// The logger: pino. JSON lines by default (for log collectors); on a terminal, or with
// WICKET_LOG_FORMAT=pretty, one readable line per event. Secrets are never passed to the
// logger; the redaction list is a second line of defence should one slip into a logged object.
import { writeSync } from 'node:fs';
import { pino } from 'pino';
import type { LogFormat, LogLevel } from './config.js';

export type Logger = pino.Logger;

/** Field names that hold a secret, wherever they are logged (top level or one object down). */
const SECRET_FIELDS = [
  'password',
  'pass',
  'app_password',
  'appPassword',
  'passwordHash',
  'password_hash',
  'secret',
  'authorization',
  // Issue 10 (secrets): the other secrets Wicket makes or is given.
  'token',
  'cookie',
  'webhook_secret',
  'webhookSecret',
  'privateKeyPem',
  'recoveryCodes',
  'recovery_codes',
];

const REDACT = [...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`), 'settings.app_password', 'req.headers.authorization', 'req.headers.cookie'];

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMIT = new Set(['level', 'time', 'msg', 'service']);

/** `15:04:05 INFO  HTTP listening on 0.0.0.0:8080  listener=http port=8080` */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const level = (LEVELS[entry.level as number] ?? String(entry.level)).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([k]) => !OMIT.has(k))
    .map(([k, v]) => {
      if (k === 'err' && v && typeof v === 'object') return `err=${JSON.stringify((v as { message?: string }).message ?? v)}`;
      return `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`;
    });
  return `${time} ${level} ${String(entry.msg ?? '')}${fields.length ? `  ${fields.join(' ')}` : ''}\n`;
}

/**
 * Logs to standard output (fd 1, the server) or standard error (fd 2, the CLI's commands).
 * Writes are synchronous so nothing is lost when the process exits or crashes.
 */
export function createLogger(level: LogLevel, fd: 1 | 2 = 1, format: LogFormat = 'json'): Logger {
  const options = loggerOptions(level);
  if (format === 'pretty') {
    return pino(options, { write: (line: string) => void writeSync(fd, prettyLine(line)) });
  }
  return pino(options, pino.destination({ dest: fd, sync: true }));
}

function loggerOptions(level: LogLevel): pino.LoggerOptions {
  return { level, base: { service: 'wicket' }, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: REDACT, censor: '[redacted]' } };
}

/** The same logger (level, redaction, JSON lines) writing each line to `write`: tests read what would be logged. */
export function createLoggerTo(level: LogLevel, write: (line: string) => void): Logger {
  return pino(loggerOptions(level), { write });
}
