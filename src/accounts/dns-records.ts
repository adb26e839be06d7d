// The DNS records a hosted domain publishes, computed from the domain and WICKET_HOSTNAME.
// Pure: the same inputs give the same records (the CLI, API and dashboard all show these).
import type { Domain, RecordKey } from '../store/types.js';
import { dkimRecordValue } from './dkim.js';

export type DnsType = 'MX' | 'TXT' | 'SRV' | 'CNAME';

export interface DnsRecord {
  key: RecordKey;
  type: DnsType;
  /** Owner name, fully qualified, without the trailing dot. */
  host: string;
  /** RDATA as a person types it in a DNS console (TXT unquoted, SRV "priority weight port target"). */
  value: string;
  /** MX preference. */
  priority?: number;
  /** Required for mail to flow and be trusted; the others are recommended. */
  required: boolean;
  purpose: string;
}

import type { PublicPorts } from '../config.js';

/** The standard ports, which the production deployment maps onto Wicket's listeners. */
export const STANDARD_PORTS: PublicPorts = { imap: 143, imaps: 993, submission: 587, submissions: 465 };

export function ownershipRecordValue(token: string): string {
  return `wicket-verification=${token}`;
}

export function dnsRecords(domain: Domain, hostname: string, ports: PublicPorts = STANDARD_PORTS): DnsRecord[] {
  const d = domain.name;
  return [
    {
      key: 'mx',
      type: 'MX',
      host: d,
      value: hostname,
      priority: 10,
      required: true,
      purpose: 'routes inbound mail for the domain to this gateway (RFC 5321 §5.1)',
    },
    {
      key: 'spf',
      type: 'TXT',
      host: d,
      value: `v=spf1 a:${hostname} mx ~all`,
      required: true,
      purpose: 'authorizes this gateway to send mail for the domain (RFC 7208)',
    },
    {
      key: 'dkim',
      type: 'TXT',
      host: `${domain.dkimSelector}._domainkey.${d}`,
      value: dkimRecordValue(domain.dkimPublicKey),
      required: true,
      purpose: 'public key that verifies the DKIM signature on outbound mail (RFC 6376)',
    },
    {
      key: 'dmarc',
      type: 'TXT',
      host: `_dmarc.${d}`,
      value: 'v=DMARC1; p=quarantine; adkim=r; aspf=r',
      required: false,
      purpose: 'tells receivers what to do with mail that fails SPF and DKIM (RFC 7489)',
    },
    {
      key: 'ownership',
      type: 'TXT',
      host: `_wicket.${d}`,
      value: ownershipRecordValue(domain.ownershipToken),
      required: true,
      purpose: 'proves you control the domain',
    },
    {
      key: 'srv_imaps',
      type: 'SRV',
      host: `_imaps._tcp.${d}`,
      value: `0 1 ${ports.imaps} ${hostname}`,
      required: false,
      purpose: 'lets mail clients find IMAP over TLS (RFC 6186 §3.2)',
    },
    {
      key: 'srv_submissions',
      type: 'SRV',
      host: `_submissions._tcp.${d}`,
      value: `0 1 ${ports.submissions} ${hostname}`,
      required: false,
      purpose: 'lets mail clients find submission over TLS (RFC 8314 §5.1, RFC 6186)',
    },
    {
      key: 'srv_submission',
      type: 'SRV',
      host: `_submission._tcp.${d}`,
      value: `0 1 ${ports.submission} ${hostname}`,
      required: false,
      purpose: 'lets mail clients find submission with STARTTLS (RFC 6186 §3.1)',
    },
    {
      key: 'autoconfig',
      type: 'CNAME',
      host: `autoconfig.${d}`,
      value: hostname,
      required: false,
      purpose: 'lets Thunderbird fetch its account settings from this gateway',
    },
  ];
}

/** A zone-file line; TXT values are split into quoted strings of at most 255 octets (RFC 1035 §3.3.14). */
export function zoneLine(record: DnsRecord, ttl = 3600): string {
  let rdata: string;
  switch (record.type) {
    case 'TXT': {
      const chunks = record.value.match(/.{1,255}/g) ?? [''];
      rdata = chunks.map((c) => `"${c.replace(/(["\\])/g, '\\$1')}"`).join(' ');
      break;
    }
    case 'MX':
      rdata = `${record.priority ?? 10} ${record.value}.`;
      break;
    case 'SRV': {
      const parts = record.value.split(' ');
      rdata = `${parts.slice(0, 3).join(' ')} ${parts[3]}.`;
      break;
    }
    case 'CNAME':
      rdata = `${record.value}.`;
      break;
  }
  return `${record.host}. ${ttl} IN ${record.type} ${rdata}`;
}
