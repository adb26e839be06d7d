// LOGIN — RFC 3501 §6.2.3: user name (the account's address) and password (its app password),
// each an astring.
import { notAuthenticated } from '../command.js';
import { astring } from '../protocol/grammar.js';
import { expectArgs } from './args.js';
import { requirePrivacy, signIn } from './sign-in.js';

export const login = notAuthenticated({
  name: 'LOGIN',
  parse(args) {
    expectArgs(args, 2, 'LOGIN user password');
    return { user: astring(args[0]!), password: astring(args[1]!) };
  },
  async run(ctx, { user, password }) {
    requirePrivacy(ctx);
    return signIn(ctx, user, password);
  },
});
