// Account addresses. The local part is an RFC 5321 §4.1.2 Dot-string: atoms of RFC 5322 §3.2.3
// atext joined by single dots; the quoted-string form is refused because mail clients and
// other servers handle it poorly. Limits from RFC 5321 §4.5.3.1: 64 octets of local part,
// 255 of domain, and 254 for the whole address as it must fit in a 256-octet path with <>.
// Addresses are compared case-insensitively and stored in lower case.
import { normalizeDomain } from './hostname.js';

const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;

export type AddressCheck =
  | { ok: true; email: string; localPart: string; domain: string }
  | { ok: false; reason: string };

export function parseAddress(input: string): AddressCheck {
  const address = input.trim();
  if (address === '') return { ok: false, reason: 'the address is empty' };
  if (/[^\x21-\x7e]/.test(address)) {
    return { ok: false, reason: `"${printable(address)}" contains spaces, control or non-ASCII characters` };
  }
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) {
    return { ok: false, reason: `"${address}" is not an email address (expected local-part@domain)` };
  }
  const localPart = address.slice(0, at);
  const domainPart = address.slice(at + 1);
  if (localPart.startsWith('"')) return { ok: false, reason: 'quoted local parts are not supported' };
  if (localPart.length > 64) return { ok: false, reason: 'the local part is longer than 64 characters (RFC 5321 §4.5.3.1.1)' };
  const atoms = localPart.split('.');
  if (atoms.some((atom) => atom === '')) {
    return { ok: false, reason: `"${localPart}" has a leading, trailing or double dot` };
  }
  if (!atoms.every((atom) => ATEXT.test(atom))) {
    return { ok: false, reason: `"${localPart}" contains characters not allowed in an address` };
  }
  const domain = normalizeDomain(domainPart);
  if (!domain.ok) return { ok: false, reason: domain.reason };
  const email = `${localPart.toLowerCase()}@${domain.domain}`;
  if (email.length > 254) return { ok: false, reason: 'the address is longer than 254 characters (RFC 5321 §4.5.3.1.3)' };
  return { ok: true, email, localPart: localPart.toLowerCase(), domain: domain.domain };
}

/** Shows control characters escaped so an error message stays on one line. */
export function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
