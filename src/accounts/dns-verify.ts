// Checks a domain's published records against what Wicket expects, with node:dns. Every
// lookup has a deadline: with no DNS reachable, each record comes back unverified with the
// reason, and verify never hangs or throws.
import { Resolver } from 'node:dns/promises';
import type { RecordCheck } from '../store/types.js';
import { type DnsRecord, ownershipRecordValue } from './dns-records.js';

export interface DnsLookup {
  /** The deadline of one query, for messages. */
  readonly timeoutMs: number;
  resolveMx(host: string): Promise<{ exchange: string; priority: number }[]>;
  resolveTxt(host: string): Promise<string[][]>;
  resolveSrv(host: string): Promise<{ name: string; port: number; priority: number; weight: number }[]>;
  resolveCname(host: string): Promise<string[]>;
}

class LookupTimeout extends Error {}

/** A resolver on the given servers (or the system's), each query bounded by `timeoutMs`. */
export function createDnsLookup(servers: string[], timeoutMs: number): DnsLookup {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (servers.length > 0) resolver.setServers(servers);
  const bounded =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LookupTimeout()), timeoutMs + 250);
      });
      return Promise.race([fn(...args), deadline]).finally(() => clearTimeout(timer));
    };
  return {
    timeoutMs,
    resolveMx: bounded((h: string) => resolver.resolveMx(h)),
    resolveTxt: bounded((h: string) => resolver.resolveTxt(h)),
    resolveSrv: bounded((h: string) => resolver.resolveSrv(h)),
    resolveCname: bounded((h: string) => resolver.resolveCname(h)),
  };
}

const sameHost = (a: string, b: string): boolean => a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();

function lookupFailure(err: unknown, record: DnsRecord, timeoutMs: number): string {
  if (err instanceof LookupTimeout) return `DNS lookup of ${record.host} timed out after ${timeoutMs} ms`;
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'ENODATA':
      return `no ${record.type} record at ${record.host}`;
    case 'ENOTFOUND':
      return `${record.host} does not exist in DNS`;
    case 'ETIMEOUT':
    case 'ECANCELLED':
      return `DNS lookup of ${record.host} timed out after ${timeoutMs} ms`;
    case 'ECONNREFUSED':
      return 'the DNS server refused the query (no DNS reachable?)';
    case 'ESERVFAIL':
      return `the DNS server failed to answer for ${record.host} (SERVFAIL)`;
    case 'EREFUSED':
      return `the DNS server refused to answer for ${record.host}`;
    default:
      return `DNS lookup of ${record.host} failed (${code ?? 'unknown error'})`;
  }
}

type Verdict = { ok: true } | { ok: false; reason: string };

const normalizeTxt = (value: string): string => value.replace(/\s*;\s*/g, ';').replace(/\s+/g, ' ').trim().toLowerCase();

function tags(value: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) map.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).replace(/\s+/g, ''));
  }
  return map;
}

async function judge(record: DnsRecord, lookup: DnsLookup, ownershipToken: string, hostname: string): Promise<Verdict> {
  switch (record.key) {
    case 'mx': {
      const mx = await lookup.resolveMx(record.host);
      if (mx.some((m) => sameHost(m.exchange, hostname))) return { ok: true };
      return { ok: false, reason: `MX points to ${mx.map((m) => m.exchange).join(', ')}, expected ${hostname}` };
    }
    case 'spf': {
      const spf = (await lookup.resolveTxt(record.host)).map((c) => c.join('')).filter((t) => /^v=spf1(\s|$)/i.test(t));
      if (spf.length === 0) return { ok: false, reason: `no SPF (v=spf1) TXT record at ${record.host}` };
      // RFC 7208 §3.2: more than one SPF record makes the check a permanent error.
      if (spf.length > 1) return { ok: false, reason: `${spf.length} SPF records at ${record.host}; RFC 7208 allows only one` };
      const terms = spf[0]!.toLowerCase().split(/\s+/);
      if (terms.some((t) => /^[+]?mx$/.test(t) || t === `a:${hostname}` || t === `+a:${hostname}`)) return { ok: true };
      return { ok: false, reason: `the SPF record does not authorize ${hostname} (add "a:${hostname}" or "mx")` };
    }
    case 'dkim': {
      const txt = (await lookup.resolveTxt(record.host)).map((c) => c.join(''));
      const expected = tags(record.value).get('p');
      if (txt.some((t) => tags(t).get('p') === expected)) return { ok: true };
      return { ok: false, reason: `the DKIM record at ${record.host} holds a different public key` };
    }
    case 'dmarc': {
      const txt = (await lookup.resolveTxt(record.host)).map((c) => c.join(''));
      if (txt.some((t) => /^v=DMARC1\s*(;|$)/i.test(t))) return { ok: true };
      return { ok: false, reason: `no DMARC (v=DMARC1) TXT record at ${record.host}` };
    }
    case 'ownership': {
      const txt = (await lookup.resolveTxt(record.host)).map((c) => c.join(''));
      const expected = normalizeTxt(ownershipRecordValue(ownershipToken));
      if (txt.some((t) => normalizeTxt(t) === expected)) return { ok: true };
      return { ok: false, reason: `the TXT record at ${record.host} does not hold this domain's verification token` };
    }
    case 'srv_imaps':
    case 'srv_submissions':
    case 'srv_submission': {
      const port = Number(record.value.split(' ')[2]);
      const srv = await lookup.resolveSrv(record.host);
      if (srv.some((s) => sameHost(s.name, hostname) && s.port === port)) return { ok: true };
      return { ok: false, reason: `SRV ${record.host} points to ${srv.map((s) => `${s.name}:${s.port}`).join(', ')}, expected ${hostname}:${port}` };
    }
    case 'autoconfig': {
      const cname = await lookup.resolveCname(record.host);
      if (cname.some((c) => sameHost(c, hostname))) return { ok: true };
      return { ok: false, reason: `${record.host} is an alias of ${cname.join(', ')}, expected ${hostname}` };
    }
  }
}

/** Checks every record at once; never throws. */
export async function verifyRecords(
  records: DnsRecord[],
  lookup: DnsLookup,
  opts: { ownershipToken: string; hostname: string },
): Promise<RecordCheck[]> {
  const checkedAt = Math.floor(Date.now() / 1000);
  return Promise.all(
    records.map(async (record): Promise<RecordCheck> => {
      try {
        const verdict = await judge(record, lookup, opts.ownershipToken, opts.hostname);
        return verdict.ok
          ? { record: record.key, status: 'verified', reason: null, checkedAt }
          : { record: record.key, status: 'unverified', reason: verdict.reason, checkedAt };
      } catch (err) {
        return { record: record.key, status: 'unverified', reason: lookupFailure(err, record, lookup.timeoutMs), checkedAt };
      }
    }),
  );
}
