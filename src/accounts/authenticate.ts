// The authentication core for IMAP LOGIN/AUTHENTICATE and SMTP AUTH:
// authenticate(email, password, remote) → the account, or a reason.
// - Accounts without an app password always fail.
// - Unknown addresses cost a bcrypt comparison against a dummy hash of the same cost, so the
//   answer takes as long as for a known address (no user enumeration by timing).
// - Successes are cached (see auth-cache.ts); failures are throttled (see auth-throttle.ts).
// Surfaces must answer every failure but `throttled` with the same text.
import { createHmac, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuthThrottleSettings } from '../config.js';
import type { Store } from '../store/store.js';
import type { Account } from '../store/types.js';
import { parseAddress } from './address.js';
import { hashAppPassword, verifyAppPassword } from './app-password.js';
import { AuthCache } from './auth-cache.js';
import { AuthThrottle, type ThrottleSnapshot } from './auth-throttle.js';

export type AuthFailure = 'invalid_credentials' | 'no_app_password' | 'unknown_account' | 'throttled';

export type AuthResult = { ok: true; account: Account } | { ok: false; reason: AuthFailure; retryAfterSeconds?: number };

export interface RemotePeer {
  address: string;
  /** Which surface asks, for metrics (wicket_auth_total{protocol}). */
  protocol?: 'imap' | 'smtp';
}

export interface AuthEvent {
  result: AuthFailure | 'ok';
  email: string;
  remote: string;
  protocol: string;
}

export interface AuthCounters {
  attempts: number;
  successes: number;
  failures: number;
  throttled: number;
  cacheHits: number;
  cacheSize: number;
  throttle: ThrottleSnapshot;
}

export class Authenticator {
  private readonly cache = new AuthCache();
  private readonly inflight = new Map<string, Promise<boolean>>();
  private readonly inflightKey = randomBytes(32);
  private readonly throttle: AuthThrottle;
  private dummyHash: Promise<string> | undefined;
  private readonly verify: (password: string, hash: string) => Promise<boolean>;
  private readonly bcryptCost: number;
  private readonly stats = { attempts: 0, successes: 0, failures: 0, throttled: 0, cacheHits: 0 };

  constructor(
    private readonly store: Store,
    settings: {
      bcryptCost: number;
      throttle: AuthThrottleSettings;
      /** The bcrypt comparison; replaceable so tests can watch it. */
      verify?: (password: string, hash: string) => Promise<boolean>;
    },
    private readonly onEvent: (event: AuthEvent) => void = () => {},
  ) {
    this.throttle = new AuthThrottle(settings.throttle);
    this.verify = settings.verify ?? verifyAppPassword;
    this.bcryptCost = settings.bcryptCost;
  }

  async authenticate(email: string, password: string, remote: RemotePeer): Promise<AuthResult> {
    this.stats.attempts += 1;
    const address = parseAddress(email);
    const login = address.ok ? address.email : email.trim().toLowerCase();

    const verdict = this.throttle.check(remote.address, login);
    if (verdict.blocked) {
      this.stats.throttled += 1;
      this.onEvent({ result: 'throttled', email: login, remote: remote.address, protocol: remote.protocol ?? 'other' });
      return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1000) };
    }

    const account = address.ok ? this.store.directory.findAccountByEmail(address.email) : undefined;
    if (account?.passwordHash && this.cache.has(account.id, account.passwordHash, password)) {
      this.stats.cacheHits += 1;
      return this.succeed(account, login, remote);
    }

    // Always one bcrypt comparison, whether or not the account exists or has a password.
    const hash = account?.passwordHash ?? (await this.dummy());
    const matches = await this.verifyOnce(account?.id ?? login, login, password, hash);
    if (account?.passwordHash && matches) {
      // Re-read: the password may have been reset while bcrypt ran.
      const current = this.store.directory.getAccount(account.id);
      if (current?.passwordHash === account.passwordHash) {
        this.cache.remember(account.id, account.passwordHash, password);
        return this.succeed(current, login, remote);
      }
    }
    const reason: AuthFailure = !account ? 'unknown_account' : !account.passwordHash ? 'no_app_password' : 'invalid_credentials';
    this.stats.failures += 1;
    this.onEvent({ result: reason, email: login, remote: remote.address, protocol: remote.protocol ?? 'other' });
    const delay = this.throttle.recordFailure(remote.address, login);
    if (delay > 0) await sleep(delay);
    return { ok: false, reason };
  }

  /**
   * One bcrypt comparison for all concurrent attempts with the same password against the same
   * hash: fifty clients of one account reconnecting after a restart pay bcrypt once, not fifty
   * times over. Keyed by the account (or the login tried, for an unknown one), the hash and an
   * HMAC of the password (never the password itself); different accounts never share a
   * comparison, so each pays its own, as it would alone. A comparison under way counts against
   * the account's throttle budget (auth-throttle.ts begin()).
   */
  private verifyOnce(who: string, login: string, password: string, hash: string): Promise<boolean> {
    const key = `${who}\0${hash}\0${createHmac('sha256', this.inflightKey).update(password, 'utf8').digest('base64')}`;
    let pending = this.inflight.get(key);
    if (!pending) {
      const end = this.throttle.begin(login);
      pending = this.verify(password, hash).finally(() => {
        this.inflight.delete(key);
        end();
      });
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /**
   * The hash unknown addresses are compared against: a random password hashed at the
   * configured cost, made once. Listeners call this at start so the first login does not pay.
   */
  dummy(): Promise<string> {
    this.dummyHash ??= hashAppPassword(randomBytes(24).toString('base64'), this.bcryptCost);
    return this.dummyHash;
  }

  /** For listeners: refuse a connection early when its address is locked out. */
  isThrottled(remoteAddress: string): boolean {
    return this.throttle.check(remoteAddress).blocked;
  }

  /** Drops cached logins of an account (called on reset or deletion). */
  forget(accountId: string): void {
    this.cache.forget(accountId);
  }

  counters(): AuthCounters {
    return { ...this.stats, cacheSize: this.cache.size, throttle: this.throttle.snapshot() };
  }

  private succeed(account: Account, login: string, remote: RemotePeer): AuthResult {
    this.stats.successes += 1;
    this.throttle.recordSuccess(login, remote.address);
    this.onEvent({ result: 'ok', email: login, remote: remote.address, protocol: remote.protocol ?? 'other' });
    return { ok: true, account };
  }
}
