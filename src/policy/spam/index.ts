// Spam assessment of one received message under a policy's spam_detection settings
// (PRODUCT.md "Policies"): `use_header_anomaly_detection` runs the header heuristics and the
// sender authentication checks (SPF, DKIM, DMARC), `use_list_dnsbl` looks the client up in DNS
// blocklists, and `spam_sensitivity` sets the threshold. The DNS work runs in parallel; none
// of it can fail the assessment (unanswered lookups are skipped and score nothing).
import type { SpamDetection } from '../types.js';
import { checkAuthentication, type AuthResolver, type SmtpPeer } from './auth-results.js';
import { checkDnsbl, type DnsblResolver } from './dnsbl.js';
import { headerAnomalies } from './heuristics.js';
import { spamVerdict, type SpamVerdict } from './score.js';

export type { AuthenticationResults, SmtpPeer } from './auth-results.js';
export type { DnsblResult } from './dnsbl.js';
export { SPAM_HEADER_NAME, type SpamTest, type SpamVerdict } from './score.js';

/**
 * The blocklists asked when the installation names none: Spamhaus ZEN (SBL, XBL, PBL together)
 * and SpamCop. Both refuse queries that arrive through large public resolvers; their answer
 * then (127.255.255.x) is not a listing, and the zone is skipped (dnsbl.ts).
 */
export const DEFAULT_DNSBL_ZONES: readonly string[] = ['zen.spamhaus.org', 'bl.spamcop.net'];

/** Both kinds of query: a node:dns/promises Resolver on the configured servers fits as it is. */
export interface SpamResolver extends AuthResolver, DnsblResolver {}

export interface SpamDependencies {
  resolver: SpamResolver;
  /** The deadline of one DNS query. */
  timeoutMs: number;
  dnsblZones: readonly string[];
  /** The receiving time (DATE_IN_FUTURE); now when absent. */
  now?: Date;
}

/** The verdict on a received message, or null when the settings switch every check off. */
export async function assessSpam(
  raw: Buffer,
  peer: SmtpPeer,
  settings: SpamDetection,
  deps: SpamDependencies,
): Promise<SpamVerdict | null> {
  const headers = settings.use_header_anomaly_detection === true;
  const dnsbl = settings.use_list_dnsbl === true;
  if (!headers && !dnsbl) return null;
  const [auth, listed] = await Promise.all([
    headers ? checkAuthentication(raw, peer, deps.resolver, deps.timeoutMs) : null,
    dnsbl ? checkDnsbl(peer.ip, [...deps.dnsblZones], deps.resolver, deps.timeoutMs) : null,
  ]);
  return spamVerdict(
    { anomalies: headers ? headerAnomalies(raw, deps.now ?? new Date()) : [], auth, dnsbl: listed },
    settings.spam_sensitivity,
  );
}
