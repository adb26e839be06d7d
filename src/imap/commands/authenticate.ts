// AUTHENTICATE PLAIN — RFC 3501 §6.2.2 with the SASL PLAIN mechanism (RFC 4616) and the
// initial response on the command line (SASL-IR, RFC 4959). A client line "*" cancels.
import { notAuthenticated } from '../command.js';
import { Bad, No } from '../errors.js';
import { atomUpper } from './args.js';
import { requirePrivacy, signIn } from './sign-in.js';

/** RFC 4616 §2: [authzid] NUL authcid NUL passwd. */
function decodePlain(response: string): { authzid: string; user: string; password: string } {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(response)) throw new Bad('the response is not base64');
  const parts = Buffer.from(response, 'base64').toString('utf8').split('\0');
  if (parts.length !== 3) throw new Bad('malformed PLAIN response');
  return { authzid: parts[0]!, user: parts[1]!, password: parts[2]! };
}

export const authenticate = notAuthenticated({
  name: 'AUTHENTICATE',
  parse(args) {
    const mechanism = atomUpper(args[0], 'a SASL mechanism');
    if (args.length > 2) throw new Bad('expected AUTHENTICATE mechanism [initial-response]');
    const initial = args[1];
    if (initial && initial.kind !== 'atom') throw new Bad('the initial response must be base64');
    return { mechanism, initial: initial?.value };
  },
  async run(ctx, { mechanism, initial }) {
    if (mechanism !== 'PLAIN') throw new No('CANNOT', `unsupported mechanism ${mechanism.slice(0, 20)}; use PLAIN`);
    requirePrivacy(ctx);
    // RFC 4959: "=" is an empty initial response.
    const response = initial === undefined ? (await ctx.continuation('')).toString('latin1').trim() : initial === '=' ? '' : initial;
    if (response === '*') throw new Bad('AUTHENTICATE cancelled');
    const { authzid, user, password } = decodePlain(response);
    // Acting as someone else is not supported (RFC 4616 §2: authorization identity).
    if (authzid && authzid.toLowerCase() !== user.toLowerCase()) throw new No('AUTHORIZATIONFAILED', 'cannot act as another user');
    return signIn(ctx, user, password);
  },
});
