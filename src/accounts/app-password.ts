// App passwords: the secret mail clients log in with (PRODUCT.md "App password policy").
// 18–40 characters, each printable ASCII from "!" (33) to "~" (126), with at least one upper
// case letter, one lower case letter and one digit; checked in that order on every write so
// the error names the first rule that failed. Stored only as a bcrypt hash; bcrypt runs on
// libuv's thread pool (the async API), never on the event loop.
import bcrypt from 'bcrypt';
import { ValidationError } from '../errors.js';

export const APP_PASSWORD_MIN = 18;
export const APP_PASSWORD_MAX = 40;

export type AppPasswordRule = 'length' | 'space' | 'control' | 'non_ascii' | 'uppercase' | 'lowercase' | 'digit';

function violation(rule: AppPasswordRule, message: string): ValidationError {
  return new ValidationError('app_password', rule, `app password ${message}`);
}

/** Returns the first rule the candidate breaks, or null. The message never repeats the password. */
export function checkAppPassword(candidate: string): ValidationError | null {
  const length = [...candidate].length;
  if (length < APP_PASSWORD_MIN || length > APP_PASSWORD_MAX) {
    return violation('length', `must be ${APP_PASSWORD_MIN} to ${APP_PASSWORD_MAX} characters long (it has ${length})`);
  }
  for (const char of candidate) {
    const code = char.codePointAt(0)!;
    if (code === 0x20) return violation('space', 'must not contain spaces');
    if (code < 0x20 || code === 0x7f) return violation('control', 'must not contain control characters');
    if (code > 0x7e) return violation('non_ascii', 'must contain only printable ASCII characters (no accents, emoji or other non-ASCII)');
  }
  if (!/[A-Z]/.test(candidate)) return violation('uppercase', 'must contain at least one uppercase letter (A-Z)');
  if (!/[a-z]/.test(candidate)) return violation('lowercase', 'must contain at least one lowercase letter (a-z)');
  if (!/[0-9]/.test(candidate)) return violation('digit', 'must contain at least one digit (0-9)');
  return null;
}

export function hashAppPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyAppPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
