// An authenticator app for the dashboard's MFA tests: TOTP codes (RFC 6238) for one secret.
import { setTimeout as sleep } from 'node:timers/promises';
import { TOTP_STEP_SECONDS, totp, totpStep } from '../../src/dashboard/totp.js';

/**
 * Codes each of a later time step than the last (the server refuses a step it has seen),
 * inside its ±1 step window, and never in the last two seconds of a step (the server's clock
 * could move past the window before it checks the code).
 */
export class Authenticator {
  private last = -Infinity;
  constructor(readonly secret: string) {}

  async next(): Promise<string> {
    for (;;) {
      const now = Date.now() / 1000;
      if (TOTP_STEP_SECONDS - (now % TOTP_STEP_SECONDS) < 2) {
        await sleep(2100);
        continue;
      }
      const current = totpStep(now);
      const step = Math.max(this.last + 1, current - 1);
      if (step > current + 1) {
        await sleep(((current + 1) * TOTP_STEP_SECONDS - now) * 1000 + 100);
        continue;
      }
      this.last = step;
      return totp(this.secret, step * TOTP_STEP_SECONDS);
    }
  }
}
