import { describe, expect, it } from 'vitest';
import { prettyLine } from '../src/log.js';

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
