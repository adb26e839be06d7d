// Address fields: parsing them (nodemailer's addressparser, RFC 5322 §3.4, with RFC 2047
// encoded-word names decoded by libmime) and writing a From field for an account.
import libmime from 'libmime';
import addressparser from 'nodemailer/lib/addressparser';
import { encodeWord, quoteString } from 'nodemailer/lib/mime-funcs';
import type { MailAddress } from '../store/types.js';

function decodeName(name: string): string {
  try {
    return libmime.decodeWords(name).trim();
  } catch {
    return name.trim();
  }
}

/** Every mailbox in an address field value (groups flattened); never throws. */
export function parseAddressList(value: string): MailAddress[] {
  let parsed: { name: string; address: string }[];
  try {
    parsed = addressparser(value, { flatten: true });
  } catch {
    return [];
  }
  return parsed
    .filter((a) => a.address || a.name)
    .map((a) => ({ name: decodeName(a.name ?? ''), address: (a.address ?? '').trim() }));
}

/**
 * The display-name phrase of a From field: quoted when ASCII (RFC 5322 §3.2.4), RFC 2047
 * encoded-words otherwise (§5 rule 3: allowed in a phrase), split into words of at most 75
 * characters.
 */
export function encodeDisplayName(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name)) return quoteString(name);
  return encodeWord(name, 'Q', 52);
}

/** `"Display Name" <address>`, or the bare address when there is no name. */
export function formatMailbox(name: string | null, address: string): string {
  return name ? `${encodeDisplayName(name)} <${address}>` : address;
}
