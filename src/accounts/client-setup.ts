// Client setup: the server settings a person types into any mail client for an address, and
// the one source every surface renders them from (the CLI, Thunderbird autoconfig, Microsoft
// Autodiscover, the Apple configuration profile, later the dashboard).
//
// The settings are the same for every address — the host is WICKET_HOSTNAME, the ports are
// the public ones, the username is the full address — so nothing here reads an account: an
// anonymous caller learns nothing about whether an address exists, and the app password
// (stored only as a bcrypt hash) is never part of the answer.
import type { PublicPorts } from '../config.js';
import { ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import { parseAddress } from './address.js';
import { normalizeDomain } from './hostname.js';

/** Implicit TLS (RFC 8314 §3) or a plain connection upgraded with STARTTLS (RFC 3501 §6.2.1, RFC 3207). */
export type Security = 'ssl' | 'starttls';

export interface ServerSetting {
  host: string;
  port: number;
  security: Security;
}

export interface ClientSettings {
  /** The address, normalized (lower case). */
  email: string;
  domain: string;
  /** Always the full address. */
  username: string;
  /** A normal password sent inside TLS: IMAP LOGIN / AUTHENTICATE PLAIN, SMTP AUTH PLAIN or LOGIN. */
  authentication: 'password';
  /** Which password: the account's app password (never included anywhere). */
  password: 'app_password';
  /** Preferred first: implicit TLS, then STARTTLS. */
  imap: [ServerSetting, ServerSetting];
  smtp: [ServerSetting, ServerSetting];
}

export interface ClientSetupSettings {
  hostname: string;
  publicPorts: PublicPorts;
}

export class ClientSetupService {
  constructor(
    private readonly store: Store,
    private readonly settings: ClientSetupSettings,
  ) {}

  /** The IMAP and SMTP servers, implicit TLS first (RFC 8314 §3.3: prefer it to STARTTLS). */
  servers(): Pick<ClientSettings, 'imap' | 'smtp'> {
    const { hostname: host, publicPorts: ports } = this.settings;
    return {
      imap: [
        { host, port: ports.imaps, security: 'ssl' },
        { host, port: ports.imap, security: 'starttls' },
      ],
      smtp: [
        { host, port: ports.submissions, security: 'ssl' },
        { host, port: ports.submission, security: 'starttls' },
      ],
    };
  }

  /**
   * The settings for an address, whether or not an account has it (the same answer either
   * way). Throws ValidationError when the text is not an address.
   */
  forAddress(input: string): ClientSettings {
    const address = parseAddress(input);
    if (!address.ok) throw new ValidationError('email', 'syntax', `invalid address: ${address.reason}`);
    return {
      email: address.email,
      domain: address.domain,
      username: address.email,
      authentication: 'password',
      password: 'app_password',
      ...this.servers(),
    };
  }

  /**
   * The mail domains a provider description covers: the first of `hints` (the address's
   * domain, the domain a request was sent to) that is registered, else every registered one.
   * Domains are public (they are in DNS); accounts are never consulted.
   */
  domains(hints: readonly (string | undefined)[] = []): string[] {
    for (const hint of hints) {
      if (hint === undefined) continue;
      const parsed = normalizeDomain(hint);
      if (parsed.ok && this.store.directory.findDomainByName(parsed.domain)) return [parsed.domain];
    }
    return this.store.directory.listDomains().map((d) => d.name);
  }

  get hostname(): string {
    return this.settings.hostname;
  }
}

/** The JSON shape of the settings (CLI --json; later the REST API and the dashboard). */
export function clientSettingsView(s: ClientSettings) {
  const server = (x: ServerSetting) => ({ host: x.host, port: x.port, security: x.security });
  return {
    email: s.email,
    username: s.username,
    authentication: s.authentication,
    mechanisms: ['PLAIN', 'LOGIN'],
    password: s.password,
    imap: s.imap.map(server),
    smtp: s.smtp.map(server),
  };
}

/** How a person reads the security setting in a client's dialog. */
export function securityLabel(security: Security): string {
  return security === 'ssl' ? 'SSL/TLS' : 'STARTTLS';
}
