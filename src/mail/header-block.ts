// Splitting a message into its header block and body (RFC 5322 §2.1: the header section ends
// at the first empty line). Malformed input is never refused: a message without an empty
// line is all header; bare-LF line ends are accepted here (the SMTP layer decides about them).
import { Headers } from 'mailsplit';

export interface SplitMessage {
  headers: Headers;
  /** Everything after the empty line, byte for byte. */
  body: Buffer;
  /** The empty line itself when the message has no header fields at all (kept for joining). */
  blankLine?: Buffer;
}

/** Index just past the empty line that ends the header block, or -1. */
function headerEnd(raw: Buffer): number {
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return i + 2;
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

export function splitMessage(raw: Buffer): SplitMessage {
  // A message that starts with its empty line has no header fields at all.
  // (An empty list, not an empty buffer: mailsplit would read the latter as one empty field.)
  if (raw[0] === 0x0a) return { headers: new Headers([]), body: raw.subarray(1), blankLine: raw.subarray(0, 1) };
  if (raw[0] === 0x0d && raw[1] === 0x0a) return { headers: new Headers([]), body: raw.subarray(2), blankLine: raw.subarray(0, 2) };
  const end = headerEnd(raw);
  if (end === -1) return { headers: new Headers(raw), body: Buffer.alloc(0) };
  return { headers: new Headers(raw.subarray(0, end)), body: raw.subarray(end) };
}

/** The message again: header block (rebuilt only if changed) and the untouched body. */
export function joinMessage(message: SplitMessage): Buffer {
  // Still no fields: the original empty line, then the body (mailsplit would build nothing).
  if (message.headers.getList().length === 0) return Buffer.concat([message.blankLine ?? Buffer.from('\r\n'), message.body]);
  return Buffer.concat([message.headers.build(), message.body]);
}

/**
 * Field value of a raw header line ("Name: value" with folding), unfolded. mailsplit hands
 * lines over as binary (latin1) strings; 8-bit bytes are read as UTF-8 (RFC 6532).
 */
export function fieldValue(line: string): string {
  const colon = line.indexOf(':');
  const value = (colon === -1 ? '' : line.slice(colon + 1)).replace(/\r?\n[ \t]/g, ' ').trim();
  return /[\x80-\xff]/.test(value) ? Buffer.from(value, 'latin1').toString('utf8') : value;
}

/** Header field lines, each ending in CRLF. */
export function fieldLines(fields: string[]): Buffer {
  return Buffer.from(fields.map((f) => `${f}\r\n`).join(''), 'utf8');
}

/** Prepends trace fields (Return-Path, Received) as RFC 5321 §4.4 requires: newest on top. */
export function prependFields(raw: Buffer, fields: string[]): Buffer {
  return Buffer.concat([fieldLines(fields), raw]);
}
