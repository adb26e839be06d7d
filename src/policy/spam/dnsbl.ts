// DNS blocklists (DNSxL, RFC 5782): is the connecting client's address on a list of known
// spam sources? The address is looked up as a name under each list's zone — IPv4 with its
// octets reversed (§2.1: 192.0.2.99 in bl.example → 99.2.0.192.bl.example), IPv6 as 32 reversed
// nibbles (§2.4) — and an A record in 127.0.0.0/8 means listed, NXDOMAIN not listed (§2.1).
// Every zone is asked at once, each with its own deadline; a list that does not answer in
// time, or answers with an error, is skipped and counts for nothing: a slow or unreachable
// DNS must never make mail spam. Loopback, private and other non-public addresses are never
// looked up (§6: they cannot be on a list, and asking would leak internal addresses).
import { BlockList, isIP } from 'node:net';
import type { SpamTest } from './score.js';

/** What a DNSBL lookup needs: an A query (node:dns/promises Resolver fits). */
export interface DnsblResolver {
  resolve4(name: string): Promise<string[]>;
}

export type DnsblStatus = 'listed' | 'not_listed' | 'skipped';

export interface DnsblResult {
  zone: string;
  /** The name looked up, or null when none was (the address is not public, or not an address). */
  query: string | null;
  status: DnsblStatus;
  /** The A records of a listing (or of an answer that was not understood). */
  answers: string[];
  /** Why the zone was skipped. */
  reason?: string;
}

/** What one listing adds to the score. */
export const DNSBL_LISTED_SCORE = 3.0;

/** Addresses that are never looked up: not public, so no list can hold them. */
const NOT_PUBLIC = (() => {
  const list = new BlockList();
  list.addSubnet('0.0.0.0', 8, 'ipv4'); // RFC 1122 §3.2.1.3 "this network"
  list.addSubnet('10.0.0.0', 8, 'ipv4'); // RFC 1918 private
  list.addSubnet('100.64.0.0', 10, 'ipv4'); // RFC 6598 shared (carrier-grade NAT)
  list.addSubnet('127.0.0.0', 8, 'ipv4'); // RFC 1122 loopback
  list.addSubnet('169.254.0.0', 16, 'ipv4'); // RFC 3927 link-local
  list.addSubnet('172.16.0.0', 12, 'ipv4'); // RFC 1918 private
  list.addSubnet('192.168.0.0', 16, 'ipv4'); // RFC 1918 private
  list.addSubnet('224.0.0.0', 4, 'ipv4'); // RFC 5771 multicast
  list.addSubnet('240.0.0.0', 4, 'ipv4'); // RFC 1112 reserved, and broadcast
  list.addAddress('::', 'ipv6'); // RFC 4291 §2.5.2 unspecified
  list.addAddress('::1', 'ipv6'); // RFC 4291 §2.5.3 loopback
  list.addSubnet('fc00::', 7, 'ipv6'); // RFC 4193 unique local
  list.addSubnet('fe80::', 10, 'ipv6'); // RFC 4291 §2.5.6 link-local
  list.addSubnet('ff00::', 8, 'ipv6'); // RFC 4291 §2.7 multicast
  return list;
})();

/** An IPv4-mapped IPv6 address (::ffff:192.0.2.1, as dual-stack sockets report IPv4 clients) as IPv4. */
function unmapped(ip: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return m ? m[1]! : ip;
}

/** Whether an address is public, and so may be looked up. */
export function isPublicAddress(ip: string): boolean {
  const address = unmapped(ip);
  const version = isIP(address);
  if (version === 0) return false;
  return !NOT_PUBLIC.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/** The 32 hex digits of an IPv6 address, in order; null when it is not one. */
function ipv6Nibbles(ip: string): string | null {
  if (isIP(ip) !== 6) return null;
  let text = ip.toLowerCase();
  // An embedded IPv4 tail (RFC 4291 §2.2 form 3) becomes its two 16-bit groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const missing = 8 - left.length - right.length;
  const all = tail === undefined ? left : [...left, ...Array<string>(missing).fill('0'), ...right];
  return all.map((g) => g.padStart(4, '0')).join('');
}

/**
 * The name to look up for an address in a zone: IPv4 octets reversed (RFC 5782 §2.1), IPv6
 * nibbles reversed (§2.4). Null when the text is not an IP address.
 */
export function dnsblQueryName(ip: string, zone: string): string | null {
  const address = unmapped(ip);
  const suffix = zone.replace(/^\.+|\.+$/g, '');
  if (isIP(address) === 4) return `${address.split('.').reverse().join('.')}.${suffix}`;
  const nibbles = ipv6Nibbles(address);
  return nibbles === null ? null : `${[...nibbles].reverse().join('.')}.${suffix}`;
}

class DnsblTimeout extends Error {}

/** Resolves within `timeoutMs` or rejects with DnsblTimeout. */
function withDeadline<T>(lookup: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DnsblTimeout()), timeoutMs);
  });
  return Promise.race([lookup, deadline]).finally(() => clearTimeout(timer));
}

async function checkZone(ip: string, zone: string, resolver: DnsblResolver, timeoutMs: number): Promise<DnsblResult> {
  const query = dnsblQueryName(ip, zone);
  if (query === null) return { zone, query, status: 'skipped', answers: [], reason: `${ip} is not an IP address` };
  let answers: string[];
  try {
    answers = await withDeadline(Promise.resolve().then(() => resolver.resolve4(query)), timeoutMs);
  } catch (err) {
    if (err instanceof DnsblTimeout) return { zone, query, status: 'skipped', answers: [], reason: `no answer within ${timeoutMs} ms` };
    const code = (err as { code?: string }).code;
    // RFC 5782 §2.1: an address that is not listed has no record (NXDOMAIN; a name with no A record is the same).
    if (code === 'ENOTFOUND' || code === 'ENODATA') return { zone, query, status: 'not_listed', answers: [] };
    return { zone, query, status: 'skipped', answers: [], reason: `lookup failed (${code ?? (err as Error).message ?? 'error'})` };
  }
  if (answers.length === 0) return { zone, query, status: 'not_listed', answers };
  // 127.0.0.x is a listing (RFC 5782 §2.1, §5 for 127.0.0.2). Anything else is not an answer about the address:
  // e.g. Spamhaus's 127.255.255.x, "your resolver may not query us", must not make mail spam.
  if (answers.some((a) => /^127\.0\.0\.\d{1,3}$/.test(a))) return { zone, query, status: 'listed', answers };
  return { zone, query, status: 'skipped', answers, reason: `unexpected answer ${answers.join(', ')}` };
}

/**
 * Looks the client address up in every zone at once. Never throws; each zone's result says
 * listed, not listed, or skipped (with the reason). A non-public address is looked up nowhere.
 */
export async function checkDnsbl(ip: string, zones: string[], resolver: DnsblResolver, timeoutMs: number): Promise<DnsblResult[]> {
  if (!isPublicAddress(ip)) {
    const reason = isIP(unmapped(ip)) === 0 ? `${ip} is not an IP address` : `${ip} is not a public address`;
    return zones.map((zone): DnsblResult => ({ zone, query: null, status: 'skipped', answers: [], reason }));
  }
  return Promise.all(zones.map((zone) => checkZone(ip, zone, resolver, timeoutMs)));
}

/** DNSBL_<ZONE>: one rule per list, so the X-Wicket-Spam field names the list. */
export function dnsblRule(zone: string): string {
  return `DNSBL_${zone.replace(/^\.+|\.+$/g, '').toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/** The scored tests of a DNSBL check: one per listing. */
export function dnsblTests(results: DnsblResult[]): SpamTest[] {
  return results
    .filter((r) => r.status === 'listed')
    .map((r) => ({
      rule: dnsblRule(r.zone),
      score: DNSBL_LISTED_SCORE,
      detail: `the client address is listed in ${r.zone} (${r.answers.join(', ')})`,
    }));
}
