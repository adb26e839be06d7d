// What LOGIN and AUTHENTICATE share: the authentication core, and the answers. Every failure
// but throttling reads the same, so nobody learns whether an address exists or has an app
// password (RFC 5530 AUTHENTICATIONFAILED).
import type { BaseContext, Done } from '../command.js';
import { Bye, No } from '../errors.js';

export function requirePrivacy(ctx: BaseContext): void {
  // RFC 3501 §6.2.3, RFC 8314: no cleartext password off this machine.
  if (!ctx.loginAllowed) throw new No('PRIVACYREQUIRED', 'log in over TLS: use STARTTLS first, or the IMAPS port');
}

export async function signIn(ctx: BaseContext, user: string, password: string): Promise<Done> {
  const result = await ctx.services.auth.authenticate(user, password, { address: ctx.remoteAddress, protocol: 'imap' });
  if (result.ok) {
    ctx.login(result.account);
    // RFC 9051 §6.2.3: the new capabilities in the tagged OK save a round trip.
    return { code: `CAPABILITY ${ctx.capabilities().join(' ')}`, text: 'logged in' };
  }
  if (result.reason === 'throttled') {
    throw new Bye(`[UNAVAILABLE] too many failed logins; try again in ${result.retryAfterSeconds ?? 60} seconds`);
  }
  throw new No('AUTHENTICATIONFAILED', 'authentication failed');
}
