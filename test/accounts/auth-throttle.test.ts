import { describe, expect, it } from 'vitest';
import { AuthThrottle, remoteKey } from '../../src/accounts/auth-throttle.js';

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('auth throttle', () => {
  it('grows the delay with each failure, doubling up to 15 s', () => {
    const c = clock();
    const t = new AuthThrottle({ maxFailures: 100, lockoutSeconds: 300, failureDelayMs: 1000 }, c.now);
    const delays = Array.from({ length: 7 }, () => t.recordFailure('198.51.100.7', 'a@example.com'));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });

  it('refuses a remote after maxFailures, for lockoutSeconds, whatever the account', () => {
    const c = clock();
    const t = new AuthThrottle({ maxFailures: 3, lockoutSeconds: 60, failureDelayMs: 0 }, c.now);
    for (const account of ['a@x.example', 'b@x.example', 'c@x.example']) t.recordFailure('198.51.100.7', account);
    expect(t.check('198.51.100.7', 'd@x.example')).toEqual({ blocked: true, retryAfterMs: 60_000 });
    expect(t.check('198.51.100.8', 'd@x.example')).toEqual({ blocked: false });
    c.advance(59_999);
    expect(t.check('198.51.100.7')).toMatchObject({ blocked: true, retryAfterMs: 1 });
    c.advance(1);
    expect(t.check('198.51.100.7')).toEqual({ blocked: false });
  });

  it('refuses an account after maxFailures from many remotes', () => {
    const c = clock();
    const t = new AuthThrottle({ maxFailures: 3, lockoutSeconds: 60, failureDelayMs: 0 }, c.now);
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) t.recordFailure(ip, 'Victim@x.example');
    expect(t.check('203.0.113.9', 'victim@x.example')).toMatchObject({ blocked: true });
    expect(t.check('203.0.113.9', 'other@x.example')).toEqual({ blocked: false });
    expect(t.snapshot()).toEqual({ trackedRemotes: 3, lockedRemotes: 0, trackedAccounts: 1, lockedAccounts: 1 });
  });

  it('forgets failures older than the window', () => {
    const c = clock();
    const t = new AuthThrottle({ maxFailures: 3, lockoutSeconds: 60, failureDelayMs: 100 }, c.now);
    t.recordFailure('198.51.100.7', 'a@x.example');
    t.recordFailure('198.51.100.7', 'a@x.example');
    c.advance(61_000);
    expect(t.recordFailure('198.51.100.7', 'a@x.example')).toBe(100);
    expect(t.check('198.51.100.7', 'a@x.example')).toEqual({ blocked: false });
  });

  it('a success forgives the account but not the remote', () => {
    const c = clock();
    const t = new AuthThrottle({ maxFailures: 3, lockoutSeconds: 60, failureDelayMs: 0 }, c.now);
    t.recordFailure('198.51.100.7', 'a@x.example');
    t.recordFailure('198.51.100.7', 'a@x.example');
    t.recordSuccess('a@x.example');
    expect(t.snapshot().trackedAccounts).toBe(0);
    t.recordFailure('198.51.100.7', 'b@x.example');
    expect(t.check('198.51.100.7')).toMatchObject({ blocked: true });
  });

  it('counts IPv4-mapped IPv6 as IPv4 and IPv6 by its /64', () => {
    expect(remoteKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(remoteKey('192.0.2.1')).toBe('192.0.2.1');
    expect(remoteKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(remoteKey('2001:db8:1:2::99')).toBe('2001:db8:1:2::/64');
    expect(remoteKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(remoteKey('::1')).toBe('0:0:0:0::/64');
  });
});
