// Modified UTF-7 for mailbox names (RFC 3501 §5.1.3, RFC 9051 §5.1.3 for clients that have not
// enabled UTF8=ACCEPT): printable US-ASCII stands for itself, "&" is written "&-", and every other
// run of characters is "&" + modified base64 (RFC 2152, with "," for "/") of UTF-16BE + "-".
//
// Decoding accepts only the canonical form, so each name has exactly one spelling on the wire:
// clients compare names as strings, and two spellings of one name would confuse them.
import { ProtocolSyntaxError } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

const isPrintable = (unit: number) => unit >= 0x20 && unit <= 0x7e;
const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** Encodes a name for a client without UTF8=ACCEPT. Unpaired surrogates become U+FFFD. */
export function encodeModifiedUtf7(text: string): string {
  let out = '';
  let run: number[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const bytes = Buffer.alloc(run.length * 2);
    run.forEach((unit, i) => bytes.writeUInt16BE(unit, i * 2));
    // RFC 3501 §5.1.3: "," replaces "/", and the base64 is not padded.
    out += `&${bytes.toString('base64').replace(/=+$/, '').replace(/\//g, ',')}-`;
    run = [];
  };
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (isPrintable(unit)) {
      flush();
      out += unit === 0x26 ? '&-' : text[i];
    } else if (isHigh(unit) && isLow(text.charCodeAt(i + 1))) {
      run.push(unit, text.charCodeAt(++i));
    } else run.push(isHigh(unit) || isLow(unit) ? 0xfffd : unit);
  }
  flush();
  return out;
}

/** Decodes a modified UTF-7 name; throws ProtocolSyntaxError for anything but the canonical form. */
export function decodeModifiedUtf7(text: string): string {
  let out = '';
  let i = 0;
  let lastRunEnd = -1;
  while (i < text.length) {
    const unit = text.charCodeAt(i);
    if (unit !== 0x26) {
      // RFC 3501 §5.1.3: only 0x20-0x7e represent themselves; anything else must be encoded.
      if (!isPrintable(unit)) throw invalid(`character U+${hex(unit)} must be encoded`);
      out += text[i];
      i++;
      continue;
    }
    const end = text.indexOf('-', i + 1);
    if (end < 0) throw invalid('"&" run is not terminated by "-"');
    if (end === i + 1) {
      out += '&';
      i = end + 1;
      continue;
    }
    // The canonical encoder writes one run for consecutive non-ASCII characters.
    if (i === lastRunEnd) throw invalid('adjacent "&...-" runs must be written as one');
    out += decodeRun(text.slice(i + 1, end));
    i = lastRunEnd = end + 1;
  }
  return out;
}

function decodeRun(b64: string): string {
  const bytes: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const c of b64) {
    const v = VALUE.get(c);
    if (v === undefined) throw invalid(`"${c}" is not a modified base64 character`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
      acc &= (1 << bits) - 1;
    }
  }
  // RFC 2152: leftover bits are zero padding, fewer than one base64 character's worth.
  if (bits >= 6 || acc !== 0) throw invalid('base64 run has non-zero or excess padding bits');
  if (bytes.length % 2 !== 0) throw invalid('base64 run does not hold whole UTF-16 characters');
  let out = '';
  for (let k = 0; k < bytes.length; k += 2) {
    const unit = (bytes[k]! << 8) | bytes[k + 1]!;
    // RFC 3501 §5.1.3: modified base64 MUST NOT represent a printable US-ASCII character.
    if (isPrintable(unit)) throw invalid(`printable character "${String.fromCharCode(unit)}" must not be base64-encoded`);
    if (isHigh(unit)) {
      const next = k + 2 < bytes.length ? (bytes[k + 2]! << 8) | bytes[k + 3]! : -1;
      if (!isLow(next)) throw invalid('unpaired UTF-16 surrogate');
      out += String.fromCharCode(unit, next);
      k += 2;
      continue;
    }
    if (isLow(unit)) throw invalid('unpaired UTF-16 surrogate');
    out += String.fromCharCode(unit);
  }
  return out;
}

function invalid(reason: string): ProtocolSyntaxError {
  return new ProtocolSyntaxError(`not valid modified UTF-7: ${reason}`);
}

function hex(unit: number): string {
  return unit.toString(16).toUpperCase().padStart(4, '0');
}
