import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { tempDir } from './helpers/tmp.js';

const load = (env: Record<string, string>) => loadConfig(env, '/srv/wicket');

function problem(env: Record<string, string>): string {
  try {
    load(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = load({});
    expect(c).toMatchObject({
      dataDir: '/srv/wicket/data',
      certsDir: '/srv/wicket/certs',
      hostname: 'localhost',
      bind: '0.0.0.0',
      ports: { imap: 1143, imaps: 1993, submission: 1587, submissions: 1465, mx: 1025, http: 8080 },
      // Clients are told where the listeners are unless a port map says otherwise.
      publicPorts: { imap: 1143, imaps: 1993, submission: 1587, submissions: 1465 },
      tls: null,
      relay: { mode: 'none' },
      bcryptCost: 12,
      logLevel: 'info',
      logFormat: 'json',
      auth: { maxFailures: 10, lockoutSeconds: 300, failureDelayMs: 1000 },
      dns: { servers: [], timeoutMs: 3000 },
    });
  });

  it('reads every variable', () => {
    const c = load({
      WICKET_DATA_DIR: '/var/lib/wicket',
      WICKET_CERTS_DIR: 'tls',
      WICKET_HOSTNAME: 'Mail.Example.COM',
      WICKET_BIND: '127.0.0.1',
      WICKET_IMAP_PORT: '143',
      WICKET_IMAPS_PORT: '0',
      WICKET_SUBMISSION_PORT: 'auto',
      WICKET_SUBMISSIONS_PORT: '465',
      WICKET_MX_PORT: '25',
      WICKET_HTTP_PORT: '80',
      WICKET_TLS_CERT: 'c.pem',
      WICKET_TLS_KEY: '/k.pem',
      WICKET_RELAY: 'direct',
      WICKET_BCRYPT_COST: '10',
      WICKET_LOG_LEVEL: 'debug',
      WICKET_LOG_FORMAT: 'pretty',
      WICKET_AUTH_MAX_FAILURES: '5',
      WICKET_AUTH_LOCKOUT_SECONDS: '60',
      WICKET_AUTH_FAILURE_DELAY_MS: '0',
      WICKET_DNS_SERVERS: '192.0.2.53, 192.0.2.54:5353, [2001:db8::53]:53',
      WICKET_DNS_TIMEOUT_MS: '500',
    });
    expect(c).toMatchObject({
      dataDir: '/var/lib/wicket',
      certsDir: '/srv/wicket/tls',
      hostname: 'mail.example.com',
      bind: '127.0.0.1',
      ports: { imap: 143, imaps: null, submission: 0, submissions: 465, mx: 25, http: 80 },
      // A disabled listener and one on an "auto" port fall back to the standard port.
      publicPorts: { imap: 143, imaps: 993, submission: 587, submissions: 465 },
      tls: { cert: '/srv/wicket/c.pem', key: '/k.pem' },
      relay: { mode: 'direct' },
      bcryptCost: 10,
      logLevel: 'debug',
      logFormat: 'pretty',
      auth: { maxFailures: 5, lockoutSeconds: 60, failureDelayMs: 0 },
      dns: { servers: ['192.0.2.53', '192.0.2.54:5353', '[2001:db8::53]:53'], timeoutMs: 500 },
    });
  });

  it('takes the public ports of a port map over the listeners\' own', () => {
    expect(
      load({ WICKET_PUBLIC_IMAP_PORT: '143', WICKET_PUBLIC_IMAPS_PORT: '993', WICKET_PUBLIC_SUBMISSION_PORT: '587', WICKET_PUBLIC_SUBMISSIONS_PORT: '465' }).publicPorts,
    ).toEqual({ imap: 143, imaps: 993, submission: 587, submissions: 465 });
    expect(problem({ WICKET_PUBLIC_IMAPS_PORT: '0' })).toMatch(/^WICKET_PUBLIC_IMAPS_PORT: /);
  });

  it('logs readably on a terminal unless told otherwise', () => {
    expect(loadConfig({}, '/srv', true).logFormat).toBe('pretty');
    expect(loadConfig({ WICKET_LOG_FORMAT: 'json' }, '/srv', true).logFormat).toBe('json');
  });

  it('parses a smarthost URL', () => {
    expect(load({ WICKET_RELAY: 'smtps://user%40x:p%3Ass@relay.example.net' }).relay).toEqual({
      mode: 'smarthost',
      secure: true,
      host: 'relay.example.net',
      port: 465,
      user: 'user@x',
      pass: 'p:ss',
    });
    expect(load({ WICKET_RELAY: 'smtp://relay.example.net:2525' }).relay).toEqual({
      mode: 'smarthost',
      secure: false,
      host: 'relay.example.net',
      port: 2525,
    });
  });

  it.each([
    [{ WICKET_HTTP_PORT: 'abc' }, 'WICKET_HTTP_PORT: must be a port from 1 to 65535, 0 to disable, or "auto"'],
    [{ WICKET_IMAP_PORT: '70000' }, 'WICKET_IMAP_PORT: must be a port from 1 to 65535, 0 to disable, or "auto"'],
    [{ WICKET_MX_PORT: '-1' }, 'WICKET_MX_PORT: must be a port'],
    [{ WICKET_BIND: 'everywhere' }, 'WICKET_BIND: must be an IP address'],
    [{ WICKET_HOSTNAME: 'mail_server!' }, 'WICKET_HOSTNAME: must be a DNS host name'],
    [{ WICKET_BCRYPT_COST: '3' }, 'WICKET_BCRYPT_COST: must be at least 4'],
    [{ WICKET_BCRYPT_COST: '17' }, 'WICKET_BCRYPT_COST: must be at most 16'],
    [{ WICKET_BCRYPT_COST: '12.5' }, 'WICKET_BCRYPT_COST: must be a whole number from 4 to 16'],
    [{ WICKET_LOG_LEVEL: 'loud' }, 'WICKET_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ WICKET_LOG_FORMAT: 'xml' }, 'WICKET_LOG_FORMAT: must be "json" or "pretty"'],
    [{ WICKET_RELAY: 'ftp://x' }, 'WICKET_RELAY: must be "none", "direct" or a URL'],
    [{ WICKET_RELAY: 'sometimes' }, 'WICKET_RELAY: must be "none", "direct" or a URL'],
    [{ WICKET_TLS_CERT: 'c.pem' }, 'WICKET_TLS_KEY: must be set when WICKET_TLS_CERT is set'],
    [{ WICKET_TLS_KEY: 'k.pem' }, 'WICKET_TLS_CERT: must be set when WICKET_TLS_KEY is set'],
    [{ WICKET_DNS_SERVERS: 'dns.example' }, 'WICKET_DNS_SERVERS: "dns.example" is not an IP address'],
    [{ WICKET_AUTH_MAX_FAILURES: '0' }, 'WICKET_AUTH_MAX_FAILURES: must be at least 1'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    const text = problem(env);
    expect(text.startsWith(message)).toBe(true);
    expect(text).not.toContain('\n');
  });

  it('never repeats a smarthost password in an error', () => {
    expect(problem({ WICKET_RELAY: 'ftp://user:hunter2secret@x' })).not.toContain('hunter2secret');
  });

  it('reads a JSON config file named by WICKET_CONFIG; the environment wins', () => {
    const dir = tempDir();
    const file = join(dir, 'wicket.json');
    writeFileSync(file, JSON.stringify({ WICKET_HOSTNAME: 'mail.example.com', WICKET_HTTP_PORT: 9090, WICKET_BCRYPT_COST: 11 }));
    const c = loadConfig({ WICKET_CONFIG: file, WICKET_BCRYPT_COST: '10' }, dir);
    expect(c).toMatchObject({ hostname: 'mail.example.com', ports: { http: 9090 }, bcryptCost: 10 });
  });

  it('refuses a config file that is missing, not JSON, or has unknown keys', () => {
    const dir = tempDir();
    expect(problem({ WICKET_CONFIG: join(dir, 'missing.json') })).toMatch(/^WICKET_CONFIG: cannot read .* \(ENOENT\)$/);
    writeFileSync(join(dir, 'bad.json'), '{nope');
    expect(problem({ WICKET_CONFIG: join(dir, 'bad.json') })).toMatch(/is not valid JSON/);
    writeFileSync(join(dir, 'unknown.json'), '{"WICKET_COLOUR":"blue"}');
    expect(problem({ WICKET_CONFIG: join(dir, 'unknown.json') })).toMatch(/unknown key "WICKET_COLOUR"/);
  });
});
