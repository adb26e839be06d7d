// Failure throttling for protocol logins, per remote address and per account: each failure
// inside the window adds a growing delay (base, doubling, capped at 15 s — Dovecot's
// auth_penalty curve), and `maxFailures` failures within `lockoutSeconds` refuse further
// attempts from that address, or for that account, until the lockout ends. State is in
// memory: a restart forgives, as it does in Dovecot's anvil.
//
// An account's lockout does not apply to addresses it has logged in from successfully (its
// "familiar" addresses, remembered for 30 days): otherwise anyone could lock the owner out of
// their own mailbox by guessing wrong on purpose. Guessers from other addresses stay refused.
import { isIPv6 } from 'node:net';
import type { AuthThrottleSettings } from '../config.js';

const MAX_DELAY_MS = 15_000;
const MAX_ENTRIES = 100_000;
/** How long an address stays familiar to an account after a successful login from it. */
const FAMILIAR_MS = 30 * 24 * 3600 * 1000;

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
  /** `account \0 remote key` → time of the last successful login from there. */
  private readonly familiar = new Map<string, number>();
  /** Account → password comparisons under way for it (see begin()). */
  private readonly inflight = new Map<string, number>();

  constructor(
    private readonly settings: AuthThrottleSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether a login from this remote, or for this account, is refused right now. The account's
   * lockout spares the addresses it has logged in from before.
   */
  check(remote: string, account?: string): ThrottleVerdict {
    const now = this.now();
    const key = remoteKey(remote);
    const login = account === undefined || this.isFamiliar(account, key, now) ? undefined : account.toLowerCase();
    const until = Math.max(this.lockedUntil(this.remotes, key, now), login === undefined ? 0 : this.lockedUntil(this.accounts, login, now));
    if (until > now) return { blocked: true, retryAfterMs: until - now };
    // Comparisons still running count against the account's budget: fifty guesses arriving at
    // once from fifty addresses would otherwise all pass before the first failure is recorded.
    const underWay = login === undefined ? 0 : (this.inflight.get(login) ?? 0);
    if (underWay > 0 && this.failuresInWindow(this.accounts, login!, now) + underWay >= this.settings.maxFailures) {
      return { blocked: true, retryAfterMs: 1000 };
    }
    return { blocked: false };
  }

  /**
   * A password comparison for the account starts; call the returned function when it ends
   * (before recording its failure). Concurrent logins with the same password share one
   * comparison (authenticate.ts), so an owner's clients reconnecting together count once.
   */
  begin(account: string): () => void {
    const key = account.toLowerCase();
    this.inflight.set(key, (this.inflight.get(key) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.inflight.get(key) ?? 1) - 1;
      if (left <= 0) this.inflight.delete(key);
      else this.inflight.set(key, left);
    };
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
   * A success makes the address familiar to the account. It forgives no count: were the
   * account's count reset, each login of the owner would hand the guessers of that account a
   * fresh allowance; were the remote's, an attacker holding one valid login could reset the
   * counter of the address it guesses other accounts' passwords from.
   */
  recordSuccess(account: string, remote: string): void {
    const key = `${account.toLowerCase()}\0${remoteKey(remote)}`;
    this.familiar.delete(key);
    if (this.familiar.size >= MAX_ENTRIES) {
      const now = this.now();
      for (const [k, at] of this.familiar) if (now - at > FAMILIAR_MS) this.familiar.delete(k);
      for (const k of this.familiar.keys()) {
        if (this.familiar.size < MAX_ENTRIES) break;
        this.familiar.delete(k);
      }
    }
    this.familiar.set(key, this.now());
  }

  private isFamiliar(account: string, remote: string, now: number): boolean {
    const at = this.familiar.get(`${account.toLowerCase()}\0${remote}`);
    return at !== undefined && now - at <= FAMILIAR_MS;
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

  private failuresInWindow(map: Map<string, Entry>, key: string, now: number): number {
    const entry = map.get(key);
    return entry && now - entry.windowStart <= this.settings.lockoutSeconds * 1000 ? entry.count : 0;
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
