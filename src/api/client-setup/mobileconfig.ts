// The Apple configuration profile (.mobileconfig) that sets up Mail on iOS, iPadOS and macOS:
// an XML property list (Apple's PropertyList-1.0 DTD) holding a top-level "Configuration"
// payload with one com.apple.mail.managed payload (Apple Device Management, "Mail" payload).
//
// No password inside: without IncomingPassword the device asks for it while installing, so
// the profile is the same for every address, holds no secret, and needs no signing to be safe.
import { createHash } from 'node:crypto';
import type { ClientSettings } from '../../accounts/client-setup.js';
import { escapeXml } from '../xml.js';

export const MOBILECONFIG_TYPE = 'application/x-apple-aspen-config';

/** The RFC 9562 §6.6 URL namespace, for name-based UUIDs made from a URL. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * A name-based UUID (version 5, SHA-1; RFC 9562 §5.5). The profile's UUIDs are derived from
 * the host name and address rather than drawn at random, so downloading it again gives the
 * same profile, and installing it again replaces the first instead of adding a second account.
 */
export function uuidV5(name: string, namespace = URL_NAMESPACE): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // variant 10xx (RFC 9562 §4.1)
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`.toUpperCase();
}

type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

/** Serializes a value as plist XML; keys keep their order. Numbers must be integers. */
function plistValue(value: PlistValue, indent: string): string[] {
  if (typeof value === 'string') return [`${indent}<string>${escapeXml(value)}</string>`];
  if (typeof value === 'boolean') return [`${indent}<${value}/>`];
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`plist integer expected, got ${value}`);
    return [`${indent}<integer>${value}</integer>`];
  }
  if (Array.isArray(value)) return [`${indent}<array>`, ...value.flatMap((v) => plistValue(v, `${indent}  `)), `${indent}</array>`];
  return [
    `${indent}<dict>`,
    ...Object.entries(value).flatMap(([k, v]) => [`${indent}  <key>${escapeXml(k)}</key>`, ...plistValue(v, `${indent}  `)]),
    `${indent}</dict>`,
  ];
}

/** `mail.example.com` → `com.example.mail`: payload identifiers are reverse-DNS strings. */
function reverseDns(hostname: string): string {
  return hostname.split('.').reverse().join('.');
}

export function mobileconfigXml(settings: ClientSettings, hostname: string): string {
  const imap = settings.imap.find((s) => s.security === 'ssl')!;
  const smtp = settings.smtp.find((s) => s.security === 'ssl')!;
  const name = `mailto:${settings.email}?server=${hostname}`;
  const profileUuid = uuidV5(`${name}&payload=profile`);
  const mailUuid = uuidV5(`${name}&payload=mail`);
  const base = `${reverseDns(hostname)}.wicket`;

  const mail: PlistValue = {
    EmailAccountDescription: settings.email,
    EmailAccountType: 'EmailTypeIMAP',
    EmailAddress: settings.email,
    IncomingMailServerAuthentication: 'EmailAuthPassword',
    IncomingMailServerHostName: imap.host,
    IncomingMailServerPortNumber: imap.port,
    IncomingMailServerUseSSL: true,
    IncomingMailServerUsername: settings.username,
    OutgoingMailServerAuthentication: 'EmailAuthPassword',
    OutgoingMailServerHostName: smtp.host,
    OutgoingMailServerPortNumber: smtp.port,
    OutgoingMailServerUseSSL: true,
    OutgoingMailServerUsername: settings.username,
    OutgoingPasswordSameAsIncomingPassword: true,
    PayloadDescription: `IMAP and SMTP settings for ${settings.email}`,
    PayloadDisplayName: `Mail: ${settings.email}`,
    PayloadIdentifier: `${base}.mail.${mailUuid}`,
    PayloadType: 'com.apple.mail.managed',
    PayloadUUID: mailUuid,
    PayloadVersion: 1,
  };
  const profile: PlistValue = {
    PayloadContent: [mail],
    PayloadDescription: `Sets up ${settings.email} in Mail. You will be asked for the account's app password.`,
    PayloadDisplayName: `Mail: ${settings.email}`,
    PayloadIdentifier: `${base}.profile.${profileUuid}`,
    PayloadOrganization: hostname,
    PayloadRemovalDisallowed: false,
    PayloadType: 'Configuration',
    PayloadUUID: profileUuid,
    PayloadVersion: 1,
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    ...plistValue(profile, ''),
    '</plist>',
    '',
  ].join('\n');
}

/** A file name for Content-Disposition (RFC 6266): the address, with anything unsafe replaced. */
export function mobileconfigFilename(email: string): string {
  return `${email.replace(/[^A-Za-z0-9._@+-]/g, '_')}.mobileconfig`;
}
