// SETQUOTA — RFC 9208 §4.1.3. Wicket does not advertise QUOTASET: an account's storage limit
// is its workspace policy's limit_storage_total, set through the API, the CLI or the dashboard
// for every account of the workspace at once, never by one user's mail client. A client that
// sends SETQUOTA anyway (RFC 2087 clients did not need QUOTASET) gets NO [NOPERM] (RFC 5530),
// after the arguments are checked like any command's.
import { authenticated } from '../command.js';
import { No } from '../errors.js';
import { astring } from '../protocol/grammar.js';
import { expectArgs, list } from './args.js';

export const setquota = authenticated({
  name: 'SETQUOTA',
  parse(args) {
    // RFC 9208 §7: setquota = "SETQUOTA" SP quota-root-name SP setquota-list
    expectArgs(args, 2, 'SETQUOTA quota-root (resource limit …)');
    return { root: astring(args[0], 'quota root'), resources: list(args[1], 'resource limits') };
  },
  async run() {
    throw new No('NOPERM', "quotas are set by the account's policy");
  },
});
