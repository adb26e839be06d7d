// FETCH ENVELOPE (RFC 3501 §7.4.2, RFC 9051 §7.5.2):
//   (date subject from sender reply-to to cc bcc in-reply-to message-id)
// Strings are the field values unfolded, 8-bit bytes read as UTF-8 (RFC 6532); NIL for a field
// that is absent. Date, subject and the message ids are sent as written — RFC 2047 words in a
// subject included, left for the client to decode as Dovecot, Cyrus and Gmail leave them —
// while display names are decoded (the encoder sends non-ASCII text as a literal).
import libmime from 'libmime';
import addressparser, { type Address } from 'nodemailer/lib/addressparser';
import type { ImapValue } from '../../imap/protocol/types.js';
import { firstValue, headerFields } from './header.js';
import type { MimeNode } from './types.js';

/**
 * What Dovecot puts where an address lacks a part, so that a host is never NIL outside group
 * syntax (a NIL host marks a group, RFC 3501 §7.4.2).
 */
const MISSING_MAILBOX = 'MISSING_MAILBOX';
const MISSING_DOMAIN = 'MISSING_DOMAIN';

function decodeName(name: string): string | null {
  let decoded: string;
  try {
    decoded = libmime.decodeWords(name);
  } catch {
    decoded = name;
  }
  decoded = decoded.replace(/[\r\n\0]/g, '').trim();
  return decoded === '' ? null : decoded;
}

/** A quoted local part without its quotes (`"john doe"` → `john doe`), as Dovecot sends it. */
function unquoteLocal(local: string): string {
  if (local.length >= 2 && local.startsWith('"') && local.endsWith('"')) return local.slice(1, -1).replace(/\\(.)/g, '$1');
  return local;
}

/** One mailbox as (name adl mailbox host). */
function mailbox(name: string, address: string): ImapValue[] | null {
  address = address.trim();
  if (address === '') {
    if (name.trim() === '') return null; // `<>` or an empty list item: nothing to show
    // addressparser reads a lone word as a display name; RFC 5322 §3.4.1 would read it as a
    // local part without its domain, and so does Dovecot. Several words stay a name.
    if (!/\s/.test(name.trim())) return [null, null, name.trim(), MISSING_DOMAIN];
    return [decodeName(name), null, MISSING_MAILBOX, MISSING_DOMAIN];
  }
  const at = address.lastIndexOf('@');
  const local = unquoteLocal(at === -1 ? address : address.slice(0, at));
  const host = at === -1 ? '' : address.slice(at + 1);
  // adl (the obsolete source route, RFC 5322 §4.4) is always NIL: addressparser drops routes.
  return [decodeName(name), null, local === '' ? MISSING_MAILBOX : local, host === '' ? MISSING_DOMAIN : host];
}

/**
 * An address field as a list of addresses, groups written as RFC 3501 §7.4.2 says: a start
 * marker (NIL NIL "name" NIL), the members, an end marker (NIL NIL NIL NIL). Null when the
 * field is absent or holds no address.
 */
export function addressList(value: string | null): ImapValue[] | null {
  if (value === null) return null;
  let parsed: Address[];
  try {
    parsed = addressparser(value);
  } catch {
    return null;
  }
  const list: ImapValue[] = [];
  for (const entry of parsed) {
    if (entry.group !== undefined) {
      list.push([null, null, decodeName(entry.name ?? '') ?? '', null]);
      for (const member of entry.group) {
        const address = member.group === undefined ? mailbox(member.name ?? '', member.address ?? '') : null;
        if (address) list.push(address);
      }
      list.push([null, null, null, null]);
    } else {
      const address = mailbox(entry.name ?? '', entry.address ?? '');
      if (address) list.push(address);
    }
  }
  return list.length > 0 ? list : null;
}

/** ENVELOPE of a message: `node` is the root, or the child of a message/rfc822 part. */
export function envelope(raw: Buffer, node: MimeNode): ImapValue {
  const fields = headerFields(raw, node.start, node.bodyStart);
  const value = (name: string) => firstValue(raw, fields, name);
  const from = addressList(value('from'));
  return [
    value('date'),
    value('subject'),
    from,
    // RFC 3501 §7.4.2: Sender and Reply-To, when absent or empty, are set to From.
    addressList(value('sender')) ?? from,
    addressList(value('reply-to')) ?? from,
    addressList(value('to')),
    addressList(value('cc')),
    addressList(value('bcc')),
    value('in-reply-to'),
    value('message-id'),
  ];
}
