// How queued mail leaves (WICKET_RELAY): through a smarthost, or straight to each recipient
// domain's MX (RFC 5321 §5.1). nodemailer is the SMTP client; it signs with DKIM (RFC 6376)
// and uses STARTTLS whenever the server offers it.
import { Resolver } from 'node:dns/promises';
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import type { DkimKey } from '../store/types.js';

export interface OutboundMessage {
  mailFrom: string;
  /** All on one domain when relaying directly. */
  recipients: string[];
  raw: Buffer;
  dkim: DkimKey | undefined;
}

export type RecipientOutcome =
  | { recipient: string; ok: true; response: string; remoteMta: string }
  | { recipient: string; ok: false; permanent: boolean; response: string; remoteMta: string | null };

export interface Relay {
  readonly mode: 'smarthost' | 'direct';
  send(message: OutboundMessage): Promise<RecipientOutcome[]>;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  recipient?: string;
  rejectedErrors?: SmtpError[];
}

interface TransportTarget {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
  verifyTls: boolean;
}

const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 5 * 60_000 };

/** A reply like "550 5.1.1 …" → permanent; 4xx, timeouts and network errors → temporary. */
function describeError(err: SmtpError): { permanent: boolean; response: string } {
  if (err.responseCode) return { permanent: err.responseCode >= 500, response: (err.response ?? err.message).trim() };
  return { permanent: false, response: `${err.code ?? 'ERROR'}: ${err.message}` };
}

/** One SMTP transaction to one server; an outcome per recipient. */
async function transact(target: TransportTarget, hostname: string, message: OutboundMessage): Promise<RecipientOutcome[]> {
  const transport = nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: target.secure,
    name: hostname,
    auth: target.auth,
    tls: { rejectUnauthorized: target.verifyTls, servername: target.host },
    ...TIMEOUTS,
  });
  try {
    const info = (await transport.sendMail({
      envelope: { from: message.mailFrom, to: message.recipients },
      raw: message.raw,
      ...(message.dkim
        ? { dkim: { domainName: message.dkim.domain, keySelector: message.dkim.selector, privateKey: message.dkim.privateKeyPem } }
        : {}),
    })) as { response: string; rejectedErrors?: SmtpError[] };
    const rejected = new Map((info.rejectedErrors ?? []).map((e) => [e.recipient ?? '', e]));
    return message.recipients.map((recipient): RecipientOutcome => {
      const err = rejected.get(recipient);
      return err
        ? { recipient, ok: false, ...describeError(err), remoteMta: target.host }
        : { recipient, ok: true, response: info.response, remoteMta: target.host };
    });
  } catch (raw) {
    const err = raw as SmtpError;
    const perRecipient = new Map((err.rejectedErrors ?? []).map((e) => [e.recipient ?? '', e]));
    const whole = describeError(err);
    const reached = err.responseCode !== undefined;
    return message.recipients.map((recipient): RecipientOutcome => {
      const own = perRecipient.get(recipient);
      return { recipient, ok: false, ...(own ? describeError(own) : whole), remoteMta: reached ? target.host : null };
    });
  } finally {
    transport.close();
  }
}

export class SmarthostRelay implements Relay {
  readonly mode = 'smarthost';
  constructor(
    private readonly target: TransportTarget,
    private readonly hostname: string,
  ) {}

  send(message: OutboundMessage): Promise<RecipientOutcome[]> {
    return transact(this.target, this.hostname, message);
  }
}

export class DirectRelay implements Relay {
  readonly mode = 'direct';
  private readonly resolver: Resolver;

  constructor(
    private readonly hostname: string,
    private readonly port: number,
    dns: { servers: string[]; timeoutMs: number },
  ) {
    this.resolver = new Resolver({ timeout: dns.timeoutMs, tries: 2 });
    if (dns.servers.length > 0) this.resolver.setServers(dns.servers);
  }

  /** RFC 5321 §5.1: MX hosts by preference; none → the domain itself (implicit MX). */
  async exchanges(domain: string): Promise<{ hosts: string[] } | { permanent: boolean; reason: string }> {
    try {
      const mx = await this.resolver.resolveMx(domain);
      // RFC 7505: a single "." MX means the domain accepts no mail.
      if (mx.length === 1 && (mx[0]!.exchange === '' || mx[0]!.exchange === '.')) {
        return { permanent: true, reason: `550 5.1.10 ${domain} accepts no mail (null MX, RFC 7505)` };
      }
      return { hosts: mx.sort((a, b) => a.priority - b.priority).map((m) => m.exchange) };
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ENODATA') return { hosts: [domain] };
      if (code === 'ENOTFOUND') return { permanent: true, reason: `550 5.1.2 ${domain} does not exist (no such domain in DNS)` };
      return { permanent: false, reason: `451 4.4.3 DNS lookup for ${domain} failed (${code ?? 'error'})` };
    }
  }

  async send(message: OutboundMessage): Promise<RecipientOutcome[]> {
    const domain = message.recipients[0]!.slice(message.recipients[0]!.lastIndexOf('@') + 1);
    const found = await this.exchanges(domain);
    if (!('hosts' in found)) {
      return message.recipients.map((recipient) => ({ recipient, ok: false, permanent: found.permanent, response: found.reason, remoteMta: null }));
    }
    let last: RecipientOutcome[] = [];
    for (const host of found.hosts) {
      // Opportunistic TLS (RFC 3207): used when offered, certificate not verified, as MTAs do.
      last = await transact({ host, port: this.port, secure: false, verifyTls: false }, this.hostname, message);
      // Try the next MX only when this one could not be reached at all.
      if (last.some((o) => o.remoteMta !== null || o.ok)) return last;
    }
    return last;
  }
}

export function createRelay(config: Config): Relay | null {
  const relay = config.relay;
  if (relay.mode === 'none') return null;
  if (relay.mode === 'direct') return new DirectRelay(config.hostname, config.queue.directPort, config.dns);
  return new SmarthostRelay(
    {
      host: relay.host,
      port: relay.port,
      secure: relay.secure,
      ...(relay.user ? { auth: { user: relay.user, pass: relay.pass ?? '' } } : {}),
      verifyTls: config.queue.verifySmarthostTls,
    },
    config.hostname,
  );
}
