// STARTTLS — RFC 3501 §6.2.1: the TLS handshake starts right after the tagged OK; anything the
// client sent after STARTTLS in plaintext is discarded (the connection does that), and the
// client must ask for CAPABILITY again.
import { noArguments, notAuthenticated } from '../command.js';
import { Bad } from '../errors.js';

export const starttls = notAuthenticated({
  name: 'STARTTLS',
  parse: noArguments,
  async run(ctx) {
    if (ctx.secure) throw new Bad('TLS is already active');
    await ctx.startTls();
    return { text: 'Begin TLS negotiation now' };
  },
});
