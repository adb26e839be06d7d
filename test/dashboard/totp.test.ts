// TOTP (RFC 6238) over HOTP (RFC 4226), base32 (RFC 4648) and the otpauth:// URI, checked
// against the RFCs' own test vectors.
import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotp,
  otpauthUri,
  totp,
  totpStep,
  verifyTotp,
  type TotpAlgorithm,
} from '../../src/dashboard/totp.js';

const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};

describe('base32 (RFC 4648 §10 test vectors)', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY======'],
    ['fo', 'MZXQ===='],
    ['foo', 'MZXW6==='],
    ['foob', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI======'],
  ];

  it.each(vectors)('%j encodes as %s and back', (text, encoded) => {
    expect(base32Encode(Buffer.from(text), true)).toBe(encoded);
    expect(base32Encode(Buffer.from(text))).toBe(encoded.replace(/=/g, ''));
    expect(base32Decode(encoded).toString()).toBe(text);
    expect(base32Decode(encoded.replace(/=/g, '').toLowerCase()).toString()).toBe(text);
  });

  it('reads a secret as people copy it, and refuses other characters without repeating them', () => {
    expect(base32Decode('gezd gnbv-gy3t qojq gezd gnbv gy3t qojq').toString()).toBe('12345678901234567890');
    expect(() => base32Decode('GEZD1SECRET')).toThrow(/^not base32 \(RFC 4648\): only A–Z and 2–7 are allowed$/);
  });

  it('makes 160-bit secrets', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(generateTotpSecret()).not.toBe(secret);
  });
});

describe('HOTP (RFC 4226 Appendix D)', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  it.each(expected.map((code, count) => [count, code] as const))('count %i → %s', (count, code) => {
    expect(hotp(SEEDS.sha1, count)).toBe(code);
  });
});

describe('TOTP (RFC 6238 Appendix B, 8 digits)', () => {
  const rows: [number, string, TotpAlgorithm][] = [
    [59, '94287082', 'sha1'],
    [59, '46119246', 'sha256'],
    [59, '90693936', 'sha512'],
    [1111111109, '07081804', 'sha1'],
    [1111111109, '68084774', 'sha256'],
    [1111111109, '25091201', 'sha512'],
    [1111111111, '14050471', 'sha1'],
    [1111111111, '67062674', 'sha256'],
    [1111111111, '99943326', 'sha512'],
    [1234567890, '89005924', 'sha1'],
    [1234567890, '91819424', 'sha256'],
    [1234567890, '93441116', 'sha512'],
    [2000000000, '69279037', 'sha1'],
    [2000000000, '90698825', 'sha256'],
    [2000000000, '38618901', 'sha512'],
    [20000000000, '65353130', 'sha1'],
    [20000000000, '77737706', 'sha256'],
    [20000000000, '47863826', 'sha512'],
  ];

  it.each(rows)('T = %i s → %s (%s)', (time, code, algorithm) => {
    expect(totp(SEEDS[algorithm], time, { digits: 8, algorithm })).toBe(code);
    expect(verifyTotp(SEEDS[algorithm], code, time, null, { digits: 8, algorithm })).toBe(totpStep(time));
  });

  it('takes the secret as base32 text too, and gives 6 digits by default (the last 6 of the 8)', () => {
    const secret = base32Encode(SEEDS.sha1);
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(totp(secret, 59)).toBe('287082');
    expect(totp(secret, 1111111109)).toBe('081804');
  });
});

describe('verifyTotp: ±1 step, each code once', () => {
  const secret = base32Encode(SEEDS.sha1);
  const now = 1_700_000_015; // inside step 56666667
  const step = totpStep(now);

  it('accepts the previous, current and next step, and nothing further', () => {
    for (const offset of [-1, 0, 1]) {
      expect(verifyTotp(secret, totp(secret, now + offset * 30), now, null)).toBe(step + offset);
    }
    for (const offset of [-3, -2, 2, 3]) {
      expect(verifyTotp(secret, totp(secret, now + offset * 30), now, null)).toBeNull();
    }
  });

  it('refuses a step at or before the last one accepted (no replay)', () => {
    const code = totp(secret, now);
    expect(verifyTotp(secret, code, now, step - 1)).toBe(step);
    expect(verifyTotp(secret, code, now, step)).toBeNull();
    expect(verifyTotp(secret, code, now + 20, step)).toBeNull();
    // An older code after a newer one was used: refused too.
    expect(verifyTotp(secret, totp(secret, now - 30), now, step)).toBeNull();
    // The next step's code is still good.
    expect(verifyTotp(secret, totp(secret, now + 30), now + 30, step)).toBe(step + 1);
  });

  it('ignores spaces, and refuses anything but the right number of digits', () => {
    const code = totp(secret, now);
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now, null)).toBe(step);
    for (const bad of ['', '12345', '1234567', 'abcdef', `${code}x`, `-${code.slice(1)}`]) expect(verifyTotp(secret, bad, now, null)).toBeNull();
  });
});

describe('otpauth:// URI (Key Uri Format)', () => {
  it('names the issuer and the account, with the secret', () => {
    expect(otpauthUri('alice@example.com', 'JBSWY3DPEHPK3PXP')).toBe(
      'otpauth://totp/Wicket:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Wicket',
    );
    expect(otpauthUri("o'neil+x@example.com", 'ABC', 'My Org')).toBe("otpauth://totp/My%20Org:o'neil%2Bx@example.com?secret=ABC&issuer=My%20Org");
  });
});
