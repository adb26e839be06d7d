import { describe, expect, it } from 'vitest';
import { AuthCache } from '../../src/accounts/auth-cache.js';

describe('auth cache', () => {
  it('matches only the same account, hash and password', () => {
    const cache = new AuthCache();
    cache.remember('acct', '$2b$hash1', 'Secret-password-123');
    expect(cache.has('acct', '$2b$hash1', 'Secret-password-123')).toBe(true);
    expect(cache.has('acct', '$2b$hash1', 'Secret-password-124')).toBe(false);
    expect(cache.has('other', '$2b$hash1', 'Secret-password-123')).toBe(false);
    // A reset changes the hash: the old entry can no longer match.
    expect(cache.has('acct', '$2b$hash2', 'Secret-password-123')).toBe(false);
  });

  it('expires entries and evicts the oldest beyond its size', () => {
    let now = 0;
    const cache = new AuthCache(2, 1000, () => now);
    cache.remember('a', 'h', 'p');
    cache.remember('b', 'h', 'p');
    cache.remember('c', 'h', 'p');
    expect(cache.size).toBe(2);
    expect(cache.has('a', 'h', 'p')).toBe(false);
    expect(cache.has('c', 'h', 'p')).toBe(true);
    now = 1000;
    expect(cache.has('c', 'h', 'p')).toBe(false);
  });

  it('forgets an account', () => {
    const cache = new AuthCache();
    cache.remember('a', 'h', 'p');
    cache.remember('b', 'h', 'p');
    cache.forget('a');
    expect(cache.has('a', 'h', 'p')).toBe(false);
    expect(cache.has('b', 'h', 'p')).toBe(true);
  });

  it('does not keep the password', () => {
    const cache = new AuthCache();
    cache.remember('a', 'h', 'Secret-password-123');
    const entries = (cache as unknown as { entries: Map<string, { digest: Buffer }> }).entries;
    for (const [key, value] of entries) {
      expect(key).not.toContain('Secret-password-123');
      expect(value.digest.toString('latin1')).not.toContain('Secret-password-123');
    }
  });
});
