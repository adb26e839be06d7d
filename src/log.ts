// The logger: pino, one JSON object per line. Secrets are never passed to it; the redaction
// list is a second line of defence should one slip into a logged object.
import { pino } from 'pino';
import type { LogLevel } from './config.js';

export type Logger = pino.Logger;

const REDACT = [
  'password',
  'pass',
  'app_password',
  'appPassword',
  'passwordHash',
  'password_hash',
  'secret',
  'authorization',
  '*.password',
  '*.pass',
  '*.app_password',
  '*.appPassword',
  '*.passwordHash',
  '*.password_hash',
  '*.secret',
  '*.authorization',
  'settings.app_password',
  'req.headers.authorization',
];

/** Logs to standard output (fd 1, the server) or standard error (fd 2, the CLI's commands). */
export function createLogger(level: LogLevel, fd: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      base: { service: 'wicket' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    pino.destination({ dest: fd, sync: true }),
  );
}
