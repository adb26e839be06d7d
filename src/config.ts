// One validated configuration object, read from the environment (and, optionally, from a
// JSON file named by WICKET_CONFIG whose keys are the same variable names; the environment
// wins). A bad value stops start-up with one line naming the variable and the problem.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { isValidHostname } from './accounts/hostname.js';
import { type CidrRange, parseCidrList } from './webhooks/deny-list.js';

export type ListenerName = 'imap' | 'imaps' | 'submission' | 'submissions' | 'mx' | 'http';

/** A listener's port: `null` = disabled (0 in the environment), 0 = any free port ("auto"). */
export type PortSetting = number | null;

export type RelaySetting =
  | { mode: 'none' }
  | { mode: 'direct' }
  | { mode: 'smarthost'; secure: boolean; host: string; port: number; user?: string; pass?: string };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** JSON lines for collectors, or one readable line per event for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

export interface AuthThrottleSettings {
  /** Failures (per remote address, and per account) before a temporary refusal. */
  maxFailures: number;
  /** How long a refusal lasts, and the window failures are counted in. */
  lockoutSeconds: number;
  /** Delay after the first failure; it doubles with each further one, up to 15 s. */
  failureDelayMs: number;
}

export interface SmtpLimits {
  /** Largest message accepted on submission (bytes). */
  submissionMaxSize: number;
  /** Largest message accepted by the inbound MX (bytes). */
  mxMaxSize: number;
  /** Recipients per message (RFC 5321 §4.5.3.1.8 requires at least 100 be accepted by relays; submission may limit). */
  maxRecipients: number;
  /** Simultaneous connections from one remote address, per listener. */
  maxConnectionsPerIp: number;
  /** An idle connection is closed after this long. */
  idleTimeoutSeconds: number;
  /** Longest command line (RFC 5321 §4.5.3.1.4 says at least 512). */
  maxCommandLength: number;
}

export interface ImapLimits {
  /** Largest literal (and so APPEND) accepted; also advertised as APPENDLIMIT. */
  maxLiteralSize: number;
  /** Longest command line, literals not counted. */
  maxLineLength: number;
  /** An idle session is logged out after this (RFC 9051 §5.4: at least 30 minutes). */
  idleTimeoutSeconds: number;
  /**
   * A connection that has not logged in is closed after this long without a command. RFC 9051
   * §5.4 puts no floor under a pre-authentication timer, so silent connections go quickly.
   */
  loginTimeoutSeconds: number;
  /** Simultaneous connections from one remote address, per listener. */
  maxConnectionsPerIp: number;
  /**
   * An APPEND to Sent carrying the Message-ID of a copy the server stored this long ago or less
   * is the client's copy of the same message: one is kept.
   */
  sentDedupMinutes: number;
}

export interface QueueSettings {
  /** How long a message may stay in the queue before it bounces. */
  lifetimeHours: number;
  /** Port of the recipient's MX in direct mode (25; tests point it elsewhere). */
  directPort: number;
  /** Verify the smarthost's TLS certificate. */
  verifySmarthostTls: boolean;
}

/**
 * The ports clients use from outside, which may differ from the listeners' (the production
 * deployment maps 993 → 1993 …): named in DNS SRV records and client setup (autoconfig).
 */
export interface PublicPorts {
  imap: number;
  imaps: number;
  submission: number;
  submissions: number;
}

export interface WebhookSettings {
  /** CIDR ranges a webhook URL may not resolve into (WICKET_WEBHOOK_DENY); empty = none. */
  deny: CidrRange[];
  /** Deadline of the creation challenge and of each delivery (10 s, as the hosted service). */
  timeoutMs: number;
}

export interface Config {
  dataDir: string;
  certsDir: string;
  hostname: string;
  bind: string;
  ports: Record<ListenerName, PortSetting>;
  publicPorts: PublicPorts;
  tls: { cert: string; key: string } | null;
  /** Serve the HTTP listener over TLS with the same certificate (WICKET_HTTP_TLS). */
  httpTls: boolean;
  relay: RelaySetting;
  bcryptCost: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
  auth: AuthThrottleSettings;
  smtp: SmtpLimits;
  imap: ImapLimits;
  queue: QueueSettings;
  dns: { servers: string[]; timeoutMs: number };
  /** DNS blocklists asked for mail to accounts whose policy sets use_list_dnsbl. */
  spam: { dnsblZones: string[] };
  webhooks: WebhookSettings;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const DEFAULT_PORTS: Record<ListenerName, number> = {
  imap: 1143,
  imaps: 1993,
  submission: 1587,
  submissions: 1465,
  mx: 1025,
  http: 8080,
};

const PORT_VARIABLES: Record<ListenerName, string> = {
  imap: 'WICKET_IMAP_PORT',
  imaps: 'WICKET_IMAPS_PORT',
  submission: 'WICKET_SUBMISSION_PORT',
  submissions: 'WICKET_SUBMISSIONS_PORT',
  mx: 'WICKET_MX_PORT',
  http: 'WICKET_HTTP_PORT',
};

/** Every variable Wicket reads, with its default and meaning (the README table mirrors it). */
export const CONFIG_VARIABLES = [
  'WICKET_CONFIG',
  'WICKET_DATA_DIR',
  'WICKET_CERTS_DIR',
  'WICKET_HOSTNAME',
  'WICKET_BIND',
  ...Object.values(PORT_VARIABLES),
  'WICKET_PUBLIC_IMAP_PORT',
  'WICKET_PUBLIC_IMAPS_PORT',
  'WICKET_PUBLIC_SUBMISSION_PORT',
  'WICKET_PUBLIC_SUBMISSIONS_PORT',
  'WICKET_TLS_CERT',
  'WICKET_TLS_KEY',
  'WICKET_RELAY',
  'WICKET_BCRYPT_COST',
  'WICKET_LOG_LEVEL',
  'WICKET_LOG_FORMAT',
  'WICKET_AUTH_MAX_FAILURES',
  'WICKET_AUTH_LOCKOUT_SECONDS',
  'WICKET_AUTH_FAILURE_DELAY_MS',
  'WICKET_DNS_SERVERS',
  'WICKET_DNS_TIMEOUT_MS',
  'WICKET_SUBMISSION_MAX_SIZE',
  'WICKET_MX_MAX_SIZE',
  'WICKET_MAX_RECIPIENTS',
  'WICKET_SMTP_MAX_CONNECTIONS_PER_IP',
  'WICKET_SMTP_IDLE_TIMEOUT_SECONDS',
  'WICKET_SMTP_MAX_COMMAND_LENGTH',
  'WICKET_IMAP_MAX_LITERAL_SIZE',
  'WICKET_IMAP_MAX_LINE_LENGTH',
  'WICKET_IMAP_IDLE_TIMEOUT_SECONDS',
  'WICKET_IMAP_LOGIN_TIMEOUT_SECONDS',
  'WICKET_IMAP_MAX_CONNECTIONS_PER_IP',
  'WICKET_SENT_DEDUP_MINUTES',
  'WICKET_QUEUE_LIFETIME_HOURS',
  'WICKET_DIRECT_PORT',
  'WICKET_RELAY_VERIFY_TLS',
  'WICKET_WEBHOOK_DENY',
  'WICKET_HTTP_TLS',
  'WICKET_WEBHOOK_TIMEOUT_MS',
] as const;

const nonEmpty = z.string().trim().min(1, 'must not be empty');

function integer(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

const booleanSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value, ctx) => {
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    ctx.addIssue({ code: 'custom', message: 'must be true or false' });
    return z.NEVER;
  });

const portSchema = z
  .string()
  .trim()
  .transform((value, ctx): PortSetting => {
    if (value === 'auto') return 0;
    if (/^\d+$/.test(value)) {
      const port = Number(value);
      if (port <= 65535) return port === 0 ? null : port;
    }
    ctx.addIssue({ code: 'custom', message: 'must be a port from 1 to 65535, 0 to disable, or "auto"' });
    return z.NEVER;
  });

const hostnameSchema = nonEmpty.refine(isValidHostname, 'must be a DNS host name such as mail.example.com');

const bindSchema = nonEmpty.refine((v) => isIP(v) !== 0, 'must be an IP address such as 0.0.0.0 or 127.0.0.1');

const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  error: 'must be one of fatal, error, warn, info, debug, trace, silent',
});

const logFormatSchema = z.enum(['json', 'pretty'], { error: 'must be "json" or "pretty"' });

const relaySchema = nonEmpty.transform((value, ctx): RelaySetting => {
  if (value === 'none') return { mode: 'none' };
  if (value === 'direct') return { mode: 'direct' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Never echo the value: a smarthost URL may carry a password.
    ctx.addIssue({ code: 'custom', message: 'must be "none", "direct" or a URL smtp[s]://user:pass@host:port' });
    return z.NEVER;
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname || url.pathname.replace(/\/$/, '') !== '') {
    ctx.addIssue({ code: 'custom', message: 'must be "none", "direct" or a URL smtp[s]://user:pass@host:port' });
    return z.NEVER;
  }
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const relay: RelaySetting = { mode: 'smarthost', secure, host: url.hostname, port };
  if (url.username) relay.user = decodeURIComponent(url.username);
  if (url.password) relay.pass = decodeURIComponent(url.password);
  return relay;
});

const dnsServersSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const servers = value === '' ? [] : value.split(',').map((s) => s.trim());
    for (const server of servers) {
      const hostPart = server.startsWith('[') ? server.slice(1, server.indexOf(']')) : server.replace(/:\d+$/, '');
      if (isIP(hostPart) === 0) {
        ctx.addIssue({ code: 'custom', message: `"${server}" is not an IP address (optionally with :port)` });
        return z.NEVER;
      }
    }
    return servers;
  });

/** Comma-separated DNS zone names (a blocklist each); empty: no blocklist lookups. */
const dnsblZonesSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const zones = value === '' ? [] : value.split(',').map((s) => s.trim().toLowerCase().replace(/\.$/, ''));
    for (const zone of zones) {
      if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(zone)) {
        ctx.addIssue({ code: 'custom', message: `"${zone}" is not a DNS zone name` });
        return z.NEVER;
      }
    }
    return zones;
  });

const cidrListSchema = z.string().transform((value, ctx) => {
  try {
    return parseCidrList(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

function readConfigFile(path: string): Env {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('WICKET_CONFIG', `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('WICKET_CONFIG', `${path} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('WICKET_CONFIG', `${path} must hold a JSON object of WICKET_* keys`);
  }
  const env: Env = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(CONFIG_VARIABLES as readonly string[]).includes(key) || key === 'WICKET_CONFIG') {
      throw new ConfigError('WICKET_CONFIG', `${path}: unknown key "${key}"`);
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ConfigError('WICKET_CONFIG', `${path}: "${key}" must be a string or a number`);
    }
    env[key] = String(value);
  }
  return env;
}

/**
 * Reads and validates the configuration; throws ConfigError naming the first bad variable.
 * `stdoutIsTerminal` picks the default log format (pretty on a terminal, JSON otherwise).
 */
export function loadConfig(processEnv: Env = process.env, cwd: string = process.cwd(), stdoutIsTerminal = false): Config {
  const fileEnv = processEnv.WICKET_CONFIG ? readConfigFile(resolve(cwd, processEnv.WICKET_CONFIG)) : {};
  const env: Env = { ...fileEnv, ...processEnv };

  function read<T>(variable: string, schema: z.ZodType<T, string>, fallback: string): T {
    const raw = env[variable];
    const value = raw === undefined || raw === '' ? fallback : raw;
    const result = schema.safeParse(value);
    if (!result.success) {
      const problem = result.error.issues[0]?.message ?? 'is invalid';
      throw new ConfigError(variable, problem);
    }
    return result.data;
  }

  const ports = {} as Record<ListenerName, PortSetting>;
  for (const [name, variable] of Object.entries(PORT_VARIABLES) as [ListenerName, string][]) {
    ports[name] = read(variable, portSchema, String(DEFAULT_PORTS[name]));
  }

  const cert = env.WICKET_TLS_CERT?.trim() || undefined;
  const key = env.WICKET_TLS_KEY?.trim() || undefined;
  if (cert && !key) throw new ConfigError('WICKET_TLS_KEY', 'must be set when WICKET_TLS_CERT is set');
  if (key && !cert) throw new ConfigError('WICKET_TLS_CERT', 'must be set when WICKET_TLS_KEY is set');

  return {
    dataDir: resolve(cwd, read('WICKET_DATA_DIR', nonEmpty, './data')),
    certsDir: resolve(cwd, read('WICKET_CERTS_DIR', nonEmpty, './certs')),
    hostname: read('WICKET_HOSTNAME', hostnameSchema, 'localhost').toLowerCase(),
    bind: read('WICKET_BIND', bindSchema, '0.0.0.0'),
    ports,
    // By default clients are told the port the listener is on: that is where `npm start` can be
    // reached. Behind a port map (docker-compose.yml: 993 → 1993 …) the map's outer ports are
    // set here. A disabled listener, or one on a port picked at start ("auto"), falls back to
    // the standard port.
    publicPorts: {
      imap: read('WICKET_PUBLIC_IMAP_PORT', integer(1, 65535), String(ports.imap || 143)),
      imaps: read('WICKET_PUBLIC_IMAPS_PORT', integer(1, 65535), String(ports.imaps || 993)),
      submission: read('WICKET_PUBLIC_SUBMISSION_PORT', integer(1, 65535), String(ports.submission || 587)),
      submissions: read('WICKET_PUBLIC_SUBMISSIONS_PORT', integer(1, 65535), String(ports.submissions || 465)),
    },
    tls: cert && key ? { cert: resolve(cwd, cert), key: resolve(cwd, key) } : null,
    httpTls: read('WICKET_HTTP_TLS', booleanSchema, 'false'),
    relay: read('WICKET_RELAY', relaySchema, 'none'),
    bcryptCost: read('WICKET_BCRYPT_COST', integer(4, 16), '12'),
    logLevel: read('WICKET_LOG_LEVEL', logLevelSchema, 'info'),
    logFormat: read('WICKET_LOG_FORMAT', logFormatSchema, stdoutIsTerminal ? 'pretty' : 'json'),
    auth: {
      maxFailures: read('WICKET_AUTH_MAX_FAILURES', integer(1, 1000), '10'),
      lockoutSeconds: read('WICKET_AUTH_LOCKOUT_SECONDS', integer(1, 86400), '300'),
      failureDelayMs: read('WICKET_AUTH_FAILURE_DELAY_MS', integer(0, 15000), '1000'),
    },
    smtp: {
      submissionMaxSize: read('WICKET_SUBMISSION_MAX_SIZE', integer(1024, 1024 ** 3), String(25 * 1024 * 1024)),
      mxMaxSize: read('WICKET_MX_MAX_SIZE', integer(1024, 1024 ** 3), String(50 * 1024 * 1024)),
      maxRecipients: read('WICKET_MAX_RECIPIENTS', integer(1, 10_000), '50'),
      maxConnectionsPerIp: read('WICKET_SMTP_MAX_CONNECTIONS_PER_IP', integer(1, 10_000), '20'),
      idleTimeoutSeconds: read('WICKET_SMTP_IDLE_TIMEOUT_SECONDS', integer(5, 3600), '300'),
      maxCommandLength: read('WICKET_SMTP_MAX_COMMAND_LENGTH', integer(512, 65_536), '2048'),
    },
    imap: {
      maxLiteralSize: read('WICKET_IMAP_MAX_LITERAL_SIZE', integer(1024, 1024 ** 3), String(50 * 1024 * 1024)),
      maxLineLength: read('WICKET_IMAP_MAX_LINE_LENGTH', integer(1024, 16 * 1024 * 1024), String(64 * 1024)),
      // The floor is for tests; anything under 1800 breaks RFC 9051 §5.4 for logged-in sessions.
      idleTimeoutSeconds: read('WICKET_IMAP_IDLE_TIMEOUT_SECONDS', integer(5, 24 * 3600), '1800'),
      loginTimeoutSeconds: read('WICKET_IMAP_LOGIN_TIMEOUT_SECONDS', integer(5, 3600), '60'),
      maxConnectionsPerIp: read('WICKET_IMAP_MAX_CONNECTIONS_PER_IP', integer(1, 10_000), '20'),
      sentDedupMinutes: read('WICKET_SENT_DEDUP_MINUTES', integer(0, 7 * 24 * 60), '10'),
    },
    queue: {
      lifetimeHours: read('WICKET_QUEUE_LIFETIME_HOURS', integer(1, 24 * 30), '120'),
      directPort: read('WICKET_DIRECT_PORT', integer(1, 65535), '25'),
      verifySmarthostTls: read('WICKET_RELAY_VERIFY_TLS', booleanSchema, 'true'),
    },
    dns: {
      servers: read('WICKET_DNS_SERVERS', dnsServersSchema, ''),
      timeoutMs: read('WICKET_DNS_TIMEOUT_MS', integer(100, 60000), '3000'),
    },
    spam: {
      dnsblZones: read('WICKET_DNSBL_ZONES', dnsblZonesSchema, 'zen.spamhaus.org,bl.spamcop.net'),
    },
    webhooks: {
      deny: read('WICKET_WEBHOOK_DENY', cidrListSchema, ''),
      timeoutMs: read('WICKET_WEBHOOK_TIMEOUT_MS', integer(100, 60000), '10000'),
    },
  };
}

export { DEFAULT_PORTS, PORT_VARIABLES };
