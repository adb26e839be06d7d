// Serialisation of server responses (RFC 3501 §7, §9; RFC 9051 §7, §9). Every rule about how a
// value goes on the wire — quoted string or literal, NIL, lists, the CRLF at the end of a line —
// lives in this file, so no command writes `"` or `{n}` by hand.
import { isUtf8 } from 'node:buffer';
import type { ImapValue } from './types.js';
import { encodeModifiedUtf7 } from './utf7.js';

export interface EncodeOptions {
  /** The client enabled UTF8=ACCEPT (RFC 6855 §3): UTF-8 may be sent in quoted strings. */
  utf8?: boolean;
}

/** Strings of this many bytes or more are sent as literals, which need no escaping or scanning. */
export const MAX_QUOTED_BYTES = 1024;

export type ResponseStatus = 'OK' | 'NO' | 'BAD';

const CRLF = Buffer.from('\r\n');

/**
 * Encodes one value: null → NIL, a number → its digits, a string → quoted string or literal,
 * an array → a parenthesized list, { atom } → the atom's text as is.
 * Throws RangeError for values no response can carry (negative or fractional numbers, atoms
 * that are empty or hold CR, LF or NUL): those are bugs in the caller, not client input.
 */
export function encodeValue(value: ImapValue, opts: EncodeOptions = {}): Buffer {
  const out: Buffer[] = [];
  write(value, opts, out);
  return Buffer.concat(out);
}

function write(value: ImapValue, opts: EncodeOptions, out: Buffer[]): void {
  if (value === null) out.push(Buffer.from('NIL'));
  else if (typeof value === 'number') {
    // RFC 3501 §9: number = 1*DIGIT (RFC 7162 mod-sequence values go up to 2^63-1).
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cannot encode ${value} as an IMAP number`);
    out.push(Buffer.from(String(value)));
  } else if (typeof value === 'string') out.push(quoteOrLiteral(Buffer.from(value, 'utf8'), opts));
  else if (Array.isArray(value)) {
    out.push(Buffer.from('('));
    value.forEach((item, i) => {
      if (i > 0) out.push(Buffer.from(' '));
      write(item, opts, out);
    });
    out.push(Buffer.from(')'));
  } else {
    // An atom is trusted text (flags, keywords, response atoms); CR or LF would end the line early.
    if (value.atom === '' || /[\r\n\0]/.test(value.atom)) throw new RangeError(`cannot encode ${JSON.stringify(value.atom)} as an IMAP atom`);
    out.push(Buffer.from(value.atom, 'utf8'));
  }
}

/**
 * RFC 3501 §9 string = quoted / literal. Short printable text goes quoted (with `"` and `\`
 * escaped); anything else — CR, LF, NUL or other controls, 8-bit data, long values — as a
 * literal `{n}` CRLF + bytes. With UTF8=ACCEPT valid UTF-8 may be quoted (RFC 9051 §9 QUOTED-CHAR).
 */
export function quoteOrLiteral(bytes: Buffer, opts: EncodeOptions = {}): Buffer {
  if (quotable(bytes, opts.utf8 === true)) {
    const escaped: number[] = [0x22];
    for (const b of bytes) {
      if (b === 0x22 || b === 0x5c) escaped.push(0x5c);
      escaped.push(b);
    }
    escaped.push(0x22);
    return Buffer.from(escaped);
  }
  return Buffer.concat([Buffer.from(`{${bytes.length}}\r\n`), bytes]);
}

function quotable(bytes: Buffer, utf8: boolean): boolean {
  if (bytes.length >= MAX_QUOTED_BYTES) return false;
  let eightBit = false;
  for (const b of bytes) {
    if (b >= 0x80) eightBit = true;
    else if (b < 0x20 || b === 0x7f) return false;
  }
  return !eightBit || (utf8 && isUtf8(bytes));
}

/**
 * A mailbox name as it goes on the wire (quoted, or a literal when long): modified UTF-7
 * (RFC 3501 §5.1.3) unless the client enabled UTF8=ACCEPT (RFC 6855 §3), then UTF-8.
 */
export function encodeMailboxName(name: string, utf8: boolean): Buffer {
  return utf8 ? quoteOrLiteral(Buffer.from(name, 'utf8'), { utf8 }) : quoteOrLiteral(Buffer.from(encodeModifiedUtf7(name), 'latin1'));
}

/**
 * Human-readable text (RFC 3501 §9 text = 1*TEXT-CHAR) must not break the line: CR, LF and NUL
 * become spaces, so a client-supplied value quoted in an error message cannot inject a response.
 */
function text(value: string): string {
  return value.replace(/[\r\n\0]/g, ' ');
}

function line(...parts: (string | Buffer)[]): Buffer {
  return Buffer.concat([...parts.map((p) => (typeof p === 'string' ? Buffer.from(text(p), 'utf8') : p)), CRLF]);
}

/**
 * `* ` + data + CRLF (RFC 3501 §7). A string is the line's text; a Buffer is sent as is, so
 * values made with encodeValue (which may hold literals) keep their CRLFs.
 */
export function untagged(data: string | Buffer): Buffer {
  return line('* ', data);
}

/** A status response: `tag OK|NO|BAD [code] text` + CRLF (RFC 3501 §7.1). */
export function tagged(tag: string, status: ResponseStatus, message: string, code?: string): Buffer {
  return line(`${tag} ${status} ${respText(status, message, code)}`);
}

/** An untagged status response: `* OK|NO|BAD|BYE|PREAUTH [code] text` (RFC 3501 §7.1). */
export function untaggedStatus(status: ResponseStatus | 'BYE' | 'PREAUTH', message: string, code?: string): Buffer {
  return line(`* ${status} ${respText(status, message, code)}`);
}

/** A continuation request `+ text` (RFC 3501 §7.5): for literals, IDLE and AUTHENTICATE. */
export function continuation(message = 'Ready'): Buffer {
  return line(`+ ${message}`);
}

const FILLER = { OK: 'completed', NO: 'failed', BAD: 'invalid', BYE: 'closing', PREAUTH: 'logged in' } as const;

/**
 * RFC 3501 §9: resp-text = ["[" resp-text-code "]" SP] text, where text is at least one
 * character; an empty message gets a word so the line stays well-formed.
 */
function respText(status: ResponseStatus | 'BYE' | 'PREAUTH', message: string, code?: string): string {
  const body = message === '' ? FILLER[status] : message;
  return code ? `[${code}] ${body}` : body;
}

/**
 * Non-negative integers as ASCII decimal separated by single spaces (`1 4 7`), written straight
 * into a Buffer: the `* SEARCH` answer (RFC 3501 §7.2.5) of a 100,000-message folder holds tens
 * of thousands of numbers, and Array.join's number-to-string conversions cost ~150 ns each.
 */
export function encodeNumberList(numbers: readonly number[]): Buffer {
  if (numbers.length === 0) return Buffer.alloc(0);
  // Up to 10 digits (2^32 − 1) and a space per number.
  const out = Buffer.allocUnsafe(numbers.length * 11);
  const digits = new Uint8Array(10);
  let at = 0;
  for (let i = 0; i < numbers.length; i++) {
    if (i > 0) out[at++] = 0x20;
    let n = numbers[i]!;
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`not an IMAP number: ${n}`);
    let count = 0;
    do {
      digits[count++] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    while (count > 0) out[at++] = digits[--count]!;
  }
  return out.subarray(0, at);
}
