import { describe, expect, it } from 'vitest';
import { createLoggerTo, prettyLine } from '../src/log.js';

describe('pretty log lines', () => {
  it('prints time, level, message and fields on one line', () => {
    const line = prettyLine(
      JSON.stringify({ level: 30, time: '2026-11-23T15:04:05.123Z', service: 'wicket', listener: 'http', port: 8080, msg: 'HTTP listening on 0.0.0.0:8080' }),
    );
    expect(line).toBe('15:04:05 INFO  HTTP listening on 0.0.0.0:8080  listener=http port=8080\n');
  });

  it('quotes values with spaces and shows an error by its message', () => {
    const line = prettyLine(JSON.stringify({ level: 50, time: '2026-11-23T15:04:05.123Z', msg: 'failed', what: 'a b', err: { message: 'boom', stack: 'x' } }));
    expect(line).toBe('15:04:05 ERROR failed  what="a b" err="boom"\n');
  });
});

describe('redaction (second line of defence: secrets are not passed to the logger)', () => {
  it('censors every field that holds a secret, at the top level and one object down', () => {
    const lines: string[] = [];
    const log = createLoggerTo('trace', (line) => void lines.push(line));
    const secret = 'S3cret-value-that-must-not-show';
    const fields = ['password', 'pass', 'app_password', 'secret', 'authorization', 'token', 'cookie', 'webhook_secret', 'privateKeyPem', 'recoveryCodes'];
    for (const field of fields) {
      log.info({ [field]: secret }, 'top');
      log.trace({ nested: { [field]: secret } }, 'nested');
    }
    log.debug({ req: { headers: { cookie: secret, authorization: secret } }, settings: { app_password: secret } }, 'request');
    expect(lines).toHaveLength(2 * fields.length + 1);
    for (const line of lines) expect(line).not.toContain(secret);
    expect(lines[0]).toContain('"password":"[redacted]"');
  });
});
