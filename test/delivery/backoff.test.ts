import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextAttempt, retryDelay } from '../../src/delivery/backoff.js';

const CAP = 4 * 3600;
const DAY = 24 * 3600;

describe('retryDelay', () => {
  it.each([
    [1, 30],
    [2, 60],
    [3, 120],
    [4, 240],
    [5, 480],
    [8, 3840],
    [9, 7680],
    [10, CAP],
    [11, CAP],
    [100, CAP],
    [5000, CAP],
  ])('after %i attempt(s) waits %i s', (attempts, seconds) => {
    expect(retryDelay(attempts)).toBe(seconds);
  });

  it('doubles each time until the 4-hour cap', () => {
    for (let n = 1; n < 9; n++) expect(retryDelay(n + 1)).toBe(2 * retryDelay(n));
    expect(retryDelay(9)).toBeLessThan(CAP);
    expect(2 * retryDelay(9)).toBeGreaterThan(CAP);
  });

  it('never decreases and never exceeds the cap', () => {
    for (let n = 1; n < 200; n++) {
      expect(retryDelay(n + 1)).toBeGreaterThanOrEqual(retryDelay(n));
      expect(retryDelay(n)).toBeLessThanOrEqual(CAP);
    }
  });
});

describe('nextAttempt', () => {
  const now = 1_800_000_000;

  it('schedules the next attempt retryDelay seconds from now', () => {
    expect(nextAttempt(now, 1, now + 5 * DAY)).toBe(now + 30);
    expect(nextAttempt(now, 4, now + 5 * DAY)).toBe(now + 240);
    expect(nextAttempt(now, 20, now + 5 * DAY)).toBe(now + CAP);
  });

  it('returns null at expiry and after it', () => {
    expect(nextAttempt(now, 1, now)).toBeNull();
    expect(nextAttempt(now, 1, now - 1)).toBeNull();
    expect(nextAttempt(now, 30, now - 5 * DAY)).toBeNull();
  });

  it('schedules one last attempt at expiry when the delay would pass it', () => {
    expect(nextAttempt(now, 10, now + 60)).toBe(now + 60);
    expect(nextAttempt(now, 1, now + 1)).toBe(now + 1);
  });

  it('is null exactly when expired, and otherwise after now and never past expiresAt', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: -10 * DAY, max: 10 * DAY }),
        (at, attempts, lifetime) => {
          const expiresAt = at + lifetime;
          const next = nextAttempt(at, attempts, expiresAt);
          if (at >= expiresAt) return next === null;
          return next !== null && next > at && next <= expiresAt && next <= at + CAP && next === Math.min(at + retryDelay(attempts), expiresAt);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
