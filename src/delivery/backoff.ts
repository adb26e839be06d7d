// When to try a deferred recipient again: 30 s after the first failure (so the first retry
// comes within a minute), doubling each time, at most every 4 hours; and whether the queue
// lifetime (WICKET_QUEUE_LIFETIME_HOURS, 5 days by default, as Postfix's
// maximal_queue_lifetime) is over.

const FIRST_RETRY_SECONDS = 30;
const MAX_RETRY_SECONDS = 4 * 3600;

/** Seconds to wait after the given number of attempts (1 = the first attempt failed). */
export function retryDelay(attempts: number): number {
  return Math.min(FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_SECONDS);
}

/** The next attempt (never later than the expiry, so the last try falls on it), or null once expired. */
export function nextAttempt(now: number, attempts: number, expiresAt: number): number | null {
  const at = now + retryDelay(attempts);
  return now >= expiresAt ? null : Math.min(at, expiresAt);
}
