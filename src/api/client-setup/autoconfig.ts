// Thunderbird autoconfig: the clientConfig 1.1 document
// (https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat).
// Thunderbird fetches it from https://autoconfig.<domain>/mail/config-v1.1.xml and
// https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml (then over http:// unless its
// sslOnly pref is set), adding ?emailaddress=. The servers are listed best first; the username
// is the %EMAILADDRESS% placeholder, so the document is the same for every address.
import type { ServerSetting } from '../../accounts/client-setup.js';
import { element, escapeXml } from '../xml.js';

export interface AutoconfigInput {
  /** emailProvider id: the domain asked about, or the gateway's host name. */
  providerId: string;
  domains: string[];
  displayName: string;
  displayShortName: string;
  imap: readonly ServerSetting[];
  smtp: readonly ServerSetting[];
}

// The format's socketType values: "SSL" is implicit TLS, "STARTTLS" the mandatory upgrade.
const SOCKET_TYPE = { ssl: 'SSL', starttls: 'STARTTLS' } as const;

function server(tag: 'incomingServer' | 'outgoingServer', type: 'imap' | 'smtp', s: ServerSetting): string[] {
  return [
    `    <${tag} type="${type}">`,
    `      ${element('hostname', s.host)}`,
    `      ${element('port', s.port)}`,
    `      ${element('socketType', SOCKET_TYPE[s.security])}`,
    // A normal password sent inside TLS (IMAP LOGIN / AUTHENTICATE PLAIN, SMTP AUTH PLAIN or LOGIN).
    '      <authentication>password-cleartext</authentication>',
    '      <username>%EMAILADDRESS%</username>',
    `    </${tag}>`,
  ];
}

export function autoconfigXml(input: AutoconfigInput): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<clientConfig version="1.1">',
    `  <emailProvider id="${escapeXml(input.providerId)}">`,
    ...input.domains.map((d) => `    ${element('domain', d)}`),
    `    ${element('displayName', input.displayName)}`,
    `    ${element('displayShortName', input.displayShortName)}`,
    ...input.imap.flatMap((s) => server('incomingServer', 'imap', s)),
    ...input.smtp.flatMap((s) => server('outgoingServer', 'smtp', s)),
    '  </emailProvider>',
    '</clientConfig>',
    '',
  ].join('\n');
}
