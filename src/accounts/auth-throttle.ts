// Failure throttling for protocol logins, per remote address and per account: each failure
// inside the window adds a growing delay (base, doubling, capped at 15 s — Dovecot's
// auth_penalty curve), and `maxFailures` failures within `lockoutSeconds` refuse further
// attempts from that address, or for that account, until the lockout ends. State is in
// memory: a restart forgives, as it does in Dovecot's anvil.
import { isIPv6 } from 'node:net';
import type { AuthThrottleSettings } from '../config.js';

const MAX_DELAY_MS = 15_000;
const MAX_ENTRIES = 100_000;

interface Entry {
  count: number;
  windowStart: number;
  lockedUntil: number;
}

export type ThrottleVerdict = { blocked: false } | { blocked: true; retryAfterMs: number };

export interface ThrottleSnapshot {
  trackedRemotes: number;
  lockedRemotes: number;
  trackedAccounts: number;
  lockedAccounts: number;
}

/**
 * The key a remote address is counted under: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 by
 * its /64, since one host usually holds a whole /64.
 */
export function remoteKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export class AuthThrottle {
  private readonly remotes = new Map<string, Entry>();
  private readonly accounts = new Map<string, Entry>();

  constructor(
    private readonly settings: AuthThrottleSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a login from this remote, or for this account, is refused right now. */
  check(remote: string, account?: string): ThrottleVerdict {
    const now = this.now();
    const until = Math.max(
      this.lockedUntil(this.remotes, remoteKey(remote), now),
      account === undefined ? 0 : this.lockedUntil(this.accounts, account.toLowerCase(), now),
    );
    return until > now ? { blocked: true, retryAfterMs: until - now } : { blocked: false };
  }

  /** Counts a failure and returns how long the caller should wait before answering. */
  recordFailure(remote: string, account: string): number {
    const now = this.now();
    const a = this.bump(this.remotes, remoteKey(remote), now);
    const b = this.bump(this.accounts, account.toLowerCase(), now);
    const failures = Math.max(a, b);
    if (this.settings.failureDelayMs === 0) return 0;
    return Math.min(this.settings.failureDelayMs * 2 ** Math.min(failures - 1, 20), MAX_DELAY_MS);
  }

  /**
   * A success forgives the account's earlier failures. The remote's count stays until its
   * window ends: otherwise an attacker holding one valid login could reset the counter of
   * the address it guesses other accounts' passwords from.
   */
  recordSuccess(account: string): void {
    this.accounts.delete(account.toLowerCase());
  }

  snapshot(): ThrottleSnapshot {
    const now = this.now();
    const locked = (map: Map<string, Entry>) => [...map.values()].filter((e) => e.lockedUntil > now).length;
    return {
      trackedRemotes: this.remotes.size,
      lockedRemotes: locked(this.remotes),
      trackedAccounts: this.accounts.size,
      lockedAccounts: locked(this.accounts),
    };
  }

  private lockedUntil(map: Map<string, Entry>, key: string, now: number): number {
    const entry = map.get(key);
    return entry && entry.lockedUntil > now ? entry.lockedUntil : 0;
  }

  private bump(map: Map<string, Entry>, key: string, now: number): number {
    const windowMs = this.settings.lockoutSeconds * 1000;
    let entry = map.get(key);
    if (!entry || (now - entry.windowStart > windowMs && entry.lockedUntil <= now)) {
      entry = { count: 0, windowStart: now, lockedUntil: 0 };
      map.delete(key);
      if (map.size >= MAX_ENTRIES) this.prune(map, now);
      map.set(key, entry);
    }
    entry.count += 1;
    if (entry.count >= this.settings.maxFailures) entry.lockedUntil = now + windowMs;
    return entry.count;
  }

  /** Drops entries whose window and lockout are over; if still full, the oldest ones. */
  private prune(map: Map<string, Entry>, now: number): void {
    const windowMs = this.settings.lockoutSeconds * 1000;
    for (const [key, e] of map) if (now - e.windowStart > windowMs && e.lockedUntil <= now) map.delete(key);
    for (const key of map.keys()) {
      if (map.size < MAX_ENTRIES) break;
      map.delete(key);
    }
  }
}
