// The spam assessor the pipeline runs for inbound mail (src/policy/spam), on the installation's
// DNS servers (WICKET_DNS_SERVERS, else the system's) and blocklists (WICKET_DNSBL_ZONES), each
// query bounded by WICKET_DNS_TIMEOUT_MS: a machine without DNS gets its mail scored on the
// header heuristics alone, never delayed beyond that.
import { Resolver } from 'node:dns/promises';
import type { Config } from '../config.js';
import { assessSpam } from '../policy/spam/index.js';
import type { SpamAssessor } from './pipeline.js';

export function spamAssessor(config: Config): SpamAssessor {
  const resolver = new Resolver({ timeout: config.dns.timeoutMs, tries: 1 });
  if (config.dns.servers.length > 0) resolver.setServers(config.dns.servers);
  return (raw, peer, settings) =>
    assessSpam(raw, peer, settings, { resolver, timeoutMs: config.dns.timeoutMs, dnsblZones: config.spam.dnsblZones });
}
