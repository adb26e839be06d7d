import { describe, expect, it } from 'vitest';
import { checkAppPassword, hashAppPassword, verifyAppPassword } from '../../src/accounts/app-password.js';

/** A valid password of exactly n characters (one upper, one lower, one digit, the rest "a"). */
const ofLength = (n: number) => `A1${'a'.repeat(n - 2)}`;

describe('app password policy', () => {
  it.each([
    [17, 'length'],
    [18, null],
    [40, null],
    [41, 'length'],
  ])('length %i → %s', (n, rule) => {
    expect(checkAppPassword(ofLength(n))?.rule ?? null).toBe(rule);
  });

  it('accepts every printable ASCII character from ! (33) to ~ (126)', () => {
    for (let code = 33; code <= 126; code++) {
      expect(checkAppPassword(`Aa1${String.fromCharCode(code).repeat(15)}`), `char ${code}`).toBeNull();
    }
  });

  it.each([
    ['a space', 'Abcdefgh1 jklmnopqr', 'space'],
    ['a tab', 'Abcdefgh1\tjklmnopqr', 'control'],
    ['a newline', 'Abcdefgh1\njklmnopqr', 'control'],
    ['DEL', 'Abcdefgh1\x7fjklmnopqr', 'control'],
    ['an accent', 'Abcdefgh1éjklmnopqr', 'non_ascii'],
    ['an emoji', 'Abcdefgh1😀jklmnopqr', 'non_ascii'],
    ['no uppercase letter', 'abcdefgh1jklmnopqr', 'uppercase'],
    ['no lowercase letter', 'ABCDEFGH1JKLMNOPQR', 'lowercase'],
    ['no digit', 'Abcdefghijklmnopqr', 'digit'],
  ])('refuses a password with %s', (_, password, rule) => {
    const problem = checkAppPassword(password);
    expect(problem?.rule).toBe(rule);
    expect(problem?.field).toBe('app_password');
    // The message names the rule and never repeats the secret.
    expect(problem?.message).toMatch(/^app password must/);
    expect(problem?.message).not.toContain(password);
  });

  it('checks length before characters and characters before classes', () => {
    expect(checkAppPassword('a b')?.rule).toBe('length');
    expect(checkAppPassword('abcdefgh jklmnopqrs')?.rule).toBe('space');
  });

  it('counts characters, not bytes', () => {
    // 18 code points, one of them non-ASCII: the length rule passes, the ASCII rule fails.
    expect(checkAppPassword(`A1${'é'.repeat(16)}`)?.rule).toBe('non_ascii');
  });

  it('hashes with bcrypt at the given cost and verifies', async () => {
    const hash = await hashAppPassword('MySecureP4ssword!2024', 4);
    expect(hash).toMatch(/^\$2b\$04\$/);
    expect(hash).not.toContain('MySecureP4ssword');
    await expect(verifyAppPassword('MySecureP4ssword!2024', hash)).resolves.toBe(true);
    await expect(verifyAppPassword('MySecureP4ssword!2025', hash)).resolves.toBe(false);
  });
});
