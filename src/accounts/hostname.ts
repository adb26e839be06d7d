// Host and domain names (RFC 1035 §2.3.1 as relaxed by RFC 1123 §2.1: labels may start with a
// digit). Internationalized names are accepted in Unicode and stored in their ASCII (A-label)
// form, as DNS and SMTP see them (RFC 5890).
import { domainToASCII } from 'node:url';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** True for a syntactically valid host name of one or more labels (`localhost` included). */
export function isValidHostname(name: string): boolean {
  const host = name.endsWith('.') ? name.slice(0, -1) : name;
  if (host.length === 0 || host.length > 253) return false;
  return host.toLowerCase().split('.').every((label) => LABEL.test(label));
}

export type DomainCheck = { ok: true; domain: string } | { ok: false; reason: string };

/**
 * Normalizes a mail domain: lower case, A-labels, no trailing dot. A mail domain needs at
 * least two labels and a top-level label that is not all digits (so it is not an address).
 */
export function normalizeDomain(input: string): DomainCheck {
  const trimmed = input.trim().replace(/\.$/, '');
  if (trimmed === '') return { ok: false, reason: 'the domain is empty' };
  if (/[\s@/\\:]/.test(trimmed)) return { ok: false, reason: `"${trimmed}" is not a domain name` };
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (ascii === '' || !isValidHostname(ascii)) return { ok: false, reason: `"${trimmed}" is not a valid domain name` };
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, reason: `"${trimmed}" needs at least two labels, such as example.com` };
  if (/^\d+$/.test(labels[labels.length - 1]!)) return { ok: false, reason: `"${trimmed}" is not a domain name` };
  return { ok: true, domain: ascii };
}
