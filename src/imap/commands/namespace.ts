// NAMESPACE — RFC 2342: one personal namespace with an empty prefix and "/" as delimiter, no
// other users' or shared namespaces. Apple clients ask before listing; an empty prefix keeps
// them from nesting everything under INBOX.
import { authenticated, noArguments } from '../command.js';

export const namespace = authenticated({
  name: 'NAMESPACE',
  parse: noArguments,
  async run(ctx) {
    ctx.untagged('NAMESPACE (("" "/")) NIL NIL');
  },
});
