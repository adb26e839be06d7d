// API keys: bearer tokens for the REST API, one application each. A key is 256 random bits,
// shown once at creation; the store keeps only its SHA-256 (a fast hash suffices for a
// full-entropy secret). Keys are found by that hash, so comparison time says nothing about
// the key: an attacker cannot steer the hash of a guess toward a stored one byte by byte.
// Failed presentations are throttled per remote address with the same curve as logins.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AuthThrottleSettings } from '../config.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { ApiKey } from '../store/types.js';
import { AuthThrottle } from './auth-throttle.js';

const KEY_PREFIX = 'wk_';
const KEY_SHAPE = /^wk_[A-Za-z0-9_-]{43}$/;
const NAME = /^[\x20-\x7e]{1,100}$/;

export type KeyCheck =
  | { ok: true; key: ApiKey }
  | { ok: false; reason: 'missing' | 'unknown' | 'revoked' | 'throttled'; delayMs: number; retryAfterMs?: number };

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export class ApiKeyService {
  private readonly throttle: AuthThrottle;

  constructor(
    private readonly store: Store,
    throttle: AuthThrottleSettings,
  ) {
    this.throttle = new AuthThrottle(throttle);
  }

  /** Creates a key; the returned `secret` is the only time the key is ever seen. */
  create(applicationId: string, name?: string): { key: ApiKey; secret: string } {
    const label = name?.trim() || 'api key';
    if (!NAME.test(label)) throw new ValidationError('name', 'syntax', 'name: 1–100 printable ASCII characters');
    const secret = KEY_PREFIX + randomBytes(32).toString('base64url');
    const key = this.store.apiKeys.create({
      id: randomUUID(),
      applicationId,
      name: label,
      prefix: secret.slice(0, 10),
      hash: sha256(secret),
    });
    return { key, secret };
  }

  list(applicationId: string): ApiKey[] {
    return this.store.apiKeys.list(applicationId);
  }

  revoke(applicationId: string, id: string): ApiKey {
    const key = this.store.apiKeys.revoke(applicationId, id.trim());
    if (!key) throw new NotFoundError(`api key ${id} not found`);
    return key;
  }

  /**
   * Checks a presented key from `remote`. The answer never says whether a key exists in
   * another application; failures are counted per remote address.
   */
  verify(presented: string | undefined, remote: string): KeyCheck {
    const verdict = this.throttle.check(remote);
    if (verdict.blocked) return { ok: false, reason: 'throttled', delayMs: 0, retryAfterMs: verdict.retryAfterMs };
    if (presented === undefined || presented === '') return { ok: false, reason: 'missing', delayMs: 0 };
    const hash = sha256(presented);
    const found = KEY_SHAPE.test(presented) ? this.store.apiKeys.findByHash(hash) : undefined;
    if (!found || found.revokedAt !== null) {
      const delayMs = this.throttle.recordFailure(remote, `apikey:${remote}`);
      return { ok: false, reason: found && found.revokedAt !== null ? 'revoked' : 'unknown', delayMs };
    }
    this.store.apiKeys.touch(found.id, Math.floor(Date.now() / 1000));
    return { ok: true, key: found };
  }
}
