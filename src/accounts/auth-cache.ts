// A small cache of recent successful logins, so that a client that connects for every
// message (legacy SMTP senders do) does not pay bcrypt each time. An entry is keyed by the
// account id *and* its current password hash: a reset changes the hash, so the old entry can
// never match again. The password itself is not kept, only an HMAC of it under a key that
// lives in this process's memory, compared in constant time.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class AuthCache {
  private readonly secret = randomBytes(32);
  private readonly entries = new Map<string, { digest: Buffer; expires: number }>();

  constructor(
    private readonly maxEntries = 1000,
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  has(accountId: string, passwordHash: string, password: string): boolean {
    const key = `${accountId}\0${passwordHash}`;
    const entry = this.entries.get(key);
    if (!entry) return false;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return false;
    }
    return timingSafeEqual(entry.digest, this.digest(password));
  }

  remember(accountId: string, passwordHash: string, password: string): void {
    const key = `${accountId}\0${passwordHash}`;
    this.entries.delete(key);
    this.entries.set(key, { digest: this.digest(password), expires: this.now() + this.ttlMs });
    // Map keeps insertion order: the first key is the least recently stored.
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets an account's entries (deletion, reset): belt and braces beside the hash key. */
  forget(accountId: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${accountId}\0`)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private digest(password: string): Buffer {
    return createHmac('sha256', this.secret).update(password, 'utf8').digest();
  }
}
