// The MIME header fields that describe a part: Content-Type (RFC 2045 §5), its parameters with
// RFC 2231 continuations and charsets (decoded by libmime), Content-Transfer-Encoding (RFC 2045
// §6), Content-Disposition (RFC 2183) and Content-Language (RFC 3282).
import libmime from 'libmime';
import type { ContentType } from './types.js';

/** RFC 2045 §5.1 token: printable US-ASCII except SPACE and tspecials. */
const TOKEN = "[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+";
const MEDIA_TYPE = new RegExp(`^(${TOKEN})/(${TOKEN})$`);
const ENCODING = new RegExp(`^${TOKEN}$`);

/** RFC 2045 §5.2: no (or an invalid) Content-Type means text/plain; charset=us-ascii. */
export function textPlain(): ContentType {
  return { type: 'text', subtype: 'plain', params: { charset: 'us-ascii' } };
}

/** RFC 2046 §5.1.5: inside multipart/digest the default is message/rfc822. */
export function messageRfc822(): ContentType {
  return { type: 'message', subtype: 'rfc822', params: {} };
}

interface Parsed {
  value: string;
  params: Record<string, string>;
}

/**
 * `value; name=param; …` with parameter names lower case, quoted strings unquoted, comments
 * dropped and RFC 2231 segments joined and decoded. Never throws: a value libmime cannot read
 * gives no value at all.
 */
function parseStructured(text: string): Parsed {
  try {
    const parsed = libmime.parseHeaderValue(text, { stripComments: true });
    // fromEntries, not assignment: a parameter named __proto__ stays a parameter. A nameless one
    // (`; =x`) could not be listed in BODYSTRUCTURE; NUL cannot be sent (RFC 3501 §4.3).
    const params = Object.fromEntries(
      Object.entries(parsed.params)
        .filter(([name, value]) => name !== '' && typeof value === 'string')
        .map(([name, value]) => [name, value.replace(/\0/g, '')]),
    );
    return { value: typeof parsed.value === 'string' ? parsed.value : '', params };
  } catch {
    return { value: '', params: {} };
  }
}

/**
 * The Content-Type field value (null when absent) as a ContentType; `fallback` is the default
 * of the context (text/plain, or message/rfc822 inside multipart/digest).
 */
export function parseContentType(value: string | null, fallback: () => ContentType): ContentType {
  if (value === null) return fallback();
  const parsed = parseStructured(value);
  // CFWS may surround the "/" (RFC 2045 §5.1 uses RFC 822 lexical rules).
  const match = MEDIA_TYPE.exec(parsed.value.replace(/\s+/g, '').toLowerCase());
  // RFC 2045 §5.2: a syntactically invalid Content-Type is treated as text/plain; us-ascii,
  // whatever the context's default — the field was there, it just could not be read.
  if (!match) return textPlain();
  return { type: match[1]!, subtype: match[2]!, params: parsed.params };
}

/**
 * Content-Transfer-Encoding, lower case (RFC 2045 §6.1: a token). "7bit" when absent (§6.1
 * default) and, as Dovecot does, when the value is not a token at all.
 */
export function parseEncoding(value: string | null): string {
  if (value === null) return '7bit';
  const token = parseStructured(value).value.trim().toLowerCase();
  return ENCODING.test(token) ? token : '7bit';
}

export interface Disposition {
  /** Lower case, e.g. "attachment". */
  type: string;
  /** Names lower case; RFC 2231 continuations joined and decoded. */
  params: Record<string, string>;
}

/** Content-Disposition (RFC 2183 §2), or null when absent or without a disposition type. */
export function parseDisposition(value: string | null): Disposition | null {
  if (value === null) return null;
  const parsed = parseStructured(value);
  const type = parsed.value.trim().toLowerCase();
  if (type === '') return null;
  return { type, params: parsed.params };
}

/** Content-Language tags (RFC 3282 §2: a comma-separated list), or null when there are none. */
export function parseLanguages(value: string | null): string[] | null {
  if (value === null) return null;
  const tags = parseStructured(value)
    .value.split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  return tags.length > 0 ? tags : null;
}
