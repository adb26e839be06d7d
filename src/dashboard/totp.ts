// Time-based one-time passwords for the dashboard's MFA, with node:crypto only.
// - HOTP, RFC 4226 §5.3: HMAC over the 8-byte big-endian counter, dynamic truncation to 31
//   bits, modulo 10^digits.
// - TOTP, RFC 6238 §4.2: the counter is T = floor((now - T0) / X), X = 30 s, T0 = 0; HMAC-SHA1
//   and 6 digits are what authenticator apps assume (other hashes and 8 digits for the RFC's
//   Appendix B vectors).
// - Base32, RFC 4648 §6, for the secret as apps take it.
// - The otpauth:// URI of Google Authenticator's "Key Uri Format", which the QR code carries.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpOptions {
  /** Digits of a code (RFC 4226 §5.3: at least 6). Default 6. */
  digits?: number;
  /** Time step X in seconds (RFC 6238 §4.1). Default 30. */
  step?: number;
  /** HMAC hash (RFC 6238 §1.2). Default SHA-1. */
  algorithm?: TotpAlgorithm;
}

export const TOTP_DIGITS = 6;
export const TOTP_STEP_SECONDS = 30;
/** Steps accepted either side of the current one (RFC 6238 §5.2: one is the recommended delay). */
export const TOTP_WINDOW = 1;
/** 160 bits: RFC 4226 §4 R6 requires at least 128 and recommends 160. */
export const TOTP_SECRET_BYTES = 20;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 §6 base32; without padding by default (the Key Uri Format omits it). */
export function base32Encode(data: Uint8Array, pad = false): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  if (pad) while (out.length % 8 !== 0) out += '=';
  return out;
}

/**
 * Decodes base32 as people copy it: upper or lower case, spaces and hyphens ignored, padding
 * optional. Throws on any other character (the message never repeats the input: a secret).
 */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error('not base32 (RFC 4648): only A–Z and 2–7 are allowed');
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return Buffer.from(out);
}

/** A new random secret, base32 as apps take it. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(TOTP_SECRET_BYTES));
}

/** HOTP(K, C), RFC 4226 §5.3, zero-padded to `digits`. */
export function hotp(key: Uint8Array, counter: number, digits = TOTP_DIGITS, algorithm: TotpAlgorithm = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const hs = createHmac(algorithm, key).update(message).digest();
  // Dynamic truncation (RFC 4226 §5.3): the low 4 bits of the last byte pick the offset.
  const offset = hs[hs.length - 1]! & 0x0f;
  const binary = ((hs[offset]! & 0x7f) << 24) | (hs[offset + 1]! << 16) | (hs[offset + 2]! << 8) | hs[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step T of a moment (Unix seconds), RFC 6238 §4.2 with T0 = 0. */
export function totpStep(nowSeconds: number, step = TOTP_STEP_SECONDS): number {
  return Math.floor(nowSeconds / step);
}

const keyOf = (secret: string | Uint8Array): Uint8Array => (typeof secret === 'string' ? base32Decode(secret) : secret);

/** The code for a moment (Unix seconds). `secret` is base32 text or the raw key. */
export function totp(secret: string | Uint8Array, nowSeconds: number, opts: TotpOptions = {}): string {
  return hotp(keyOf(secret), totpStep(nowSeconds, opts.step), opts.digits ?? TOTP_DIGITS, opts.algorithm ?? 'sha1');
}

/**
 * Checks a code typed at `nowSeconds` against the steps from one before to one after the
 * current one (clock drift and typing time, RFC 6238 §5.2). Returns the step that matched, for
 * the caller to store as the new `lastStep`, or null. A step at or before `lastStep` never
 * matches: a code is accepted once (RFC 6238 §5.2, "MUST NOT accept the second attempt of the
 * same OTP"). Every step of the window is compared, in constant time, whatever matched first.
 */
export function verifyTotp(
  secret: string | Uint8Array,
  code: string,
  nowSeconds: number,
  lastStep: number | null,
  opts: TotpOptions = {},
): number | null {
  const digits = opts.digits ?? TOTP_DIGITS;
  const typed = code.replace(/\s/g, '');
  if (!new RegExp(`^\\d{${digits}}$`).test(typed)) return null;
  const key = keyOf(secret);
  const current = totpStep(nowSeconds, opts.step);
  const given = Buffer.from(typed);
  let matched: number | null = null;
  for (let s = current - TOTP_WINDOW; s <= current + TOTP_WINDOW; s++) {
    if (s < 0) continue;
    const equal = timingSafeEqual(Buffer.from(hotp(key, s, digits, opts.algorithm ?? 'sha1')), given);
    if (equal && matched === null && (lastStep === null || s > lastStep)) matched = s;
  }
  return matched;
}

/**
 * `otpauth://totp/Wicket:<email>?secret=…&issuer=Wicket` (Key Uri Format): the label is the
 * issuer and the account joined by a colon, each URI-encoded ("@" kept, as in the format's
 * own example); `issuer` is repeated as a parameter, which apps prefer.
 */
export function otpauthUri(email: string, secret: string, issuer = 'Wicket'): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%40/g, '@');
  return `otpauth://totp/${enc(issuer)}:${enc(email)}?secret=${secret}&issuer=${enc(issuer)}`;
}
