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

  it('a success forgives neither the account nor the remote', () => {
    const c = clock();
    const t = new AuthThrottle({ maxFailures: 3, lockoutSeconds: 60, failureDelayMs: 0 }, c.now);
    t.recordFailure('198.51.100.7', 'a@x.example');
    t.recordFailure('198.51.100.7', 'a@x.example');
    t.recordSuccess('a@x.example', '198.51.100.7');
    expect(t.snapshot().trackedAccounts).toBe(1);
    t.recordFailure('198.51.100.7', 'b@x.example');
    expect(t.check('198.51.100.7')).toMatchObject({ blocked: true });
    // The owner logging in does not reopen a locked account to the guessers.
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) t.recordFailure(ip, 'c@x.example');
    t.recordSuccess('c@x.example', '192.0.2.50');
    expect(t.check('203.0.113.4', 'c@x.example')).toMatchObject({ blocked: true });
  });

  it("an account's lockout spares the addresses it has logged in from (for 30 days), not the others", () => {
    const c = clock();
    const t = new AuthThrottle({ maxFailures: 3, lockoutSeconds: 60, failureDelayMs: 0 }, c.now);
    t.recordSuccess('Owner@x.example', '192.0.2.50');
    t.recordSuccess('owner@x.example', '2001:db8:5:6::1');
    for (let i = 0; i < 3; i++) t.recordFailure('203.0.113.1', 'owner@x.example');
    expect(t.check('203.0.113.9', 'owner@x.example')).toMatchObject({ blocked: true });
    expect(t.check('192.0.2.50', 'owner@x.example')).toEqual({ blocked: false });
    // Same /64 as the address it logged in from.
    expect(t.check('2001:db8:5:6::99', 'owner@x.example')).toEqual({ blocked: false });
    // Familiar to this account only; and the guesser's own address stays locked whatever it tries.
    expect(t.check('192.0.2.50', 'other@x.example')).toEqual({ blocked: false });
    expect(t.check('203.0.113.1', 'owner@x.example')).toMatchObject({ blocked: true });
    c.advance(30 * 24 * 3600 * 1000 + 1);
    for (let i = 0; i < 3; i++) t.recordFailure('203.0.113.2', 'owner@x.example');
    expect(t.check('192.0.2.50', 'owner@x.example')).toMatchObject({ blocked: true });
  });

  it('comparisons under way count against the account budget, except from familiar addresses', () => {
    const c = clock();
    const t = new AuthThrottle({ maxFailures: 3, lockoutSeconds: 60, failureDelayMs: 0 }, c.now);
    t.recordSuccess('a@x.example', '192.0.2.50');
    t.recordFailure('203.0.113.1', 'a@x.example');
    const ends = [t.begin('a@x.example'), t.begin('A@x.example')];
    expect(t.check('203.0.113.2', 'a@x.example')).toEqual({ blocked: true, retryAfterMs: 1000 });
    expect(t.check('192.0.2.50', 'a@x.example')).toEqual({ blocked: false });
    expect(t.check('203.0.113.2', 'b@x.example')).toEqual({ blocked: false });
    ends[0]!();
    ends[0]!(); // ending twice counts once
    expect(t.check('203.0.113.2', 'a@x.example')).toEqual({ blocked: false });
    ends[1]!();
    c.advance(61_000);
    // Outside the window, old failures no longer count with the ones under way.
    const more = [t.begin('a@x.example'), t.begin('a@x.example')];
    expect(t.check('203.0.113.2', 'a@x.example')).toEqual({ blocked: false });
    for (const end of more) end();
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
