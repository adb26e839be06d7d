// GETQUOTAROOT — RFC 9208 §4.1.2: the quota roots of a mailbox (untagged QUOTAROOT, §4.2.2),
// then each root's usage and limits (untagged QUOTA, §4.2.1). Every mailbox of an account is
// under the account's one root "" (see getquota.ts); an account without a storage limit has no
// root, and the answer is `* QUOTAROOT mailbox` with no root names (the grammar allows none).
import { authenticated } from '../command.js';
import { No } from '../errors.js';
import { encodeMailboxName, encodeValue } from '../protocol/encoder.js';
import { mailboxName } from '../protocol/grammar.js';
import { expectArgs } from './args.js';
import { QUOTA_ROOT, sendQuota, storageQuota } from './getquota.js';

export const getquotaroot = authenticated({
  name: 'GETQUOTAROOT',
  parse(args, env) {
    // RFC 9208 §7: getquotaroot = "GETQUOTAROOT" SP mailbox
    expectArgs(args, 1, 'GETQUOTAROOT mailbox');
    return { name: mailboxName(args[0]!, env.utf8) };
  },
  async run(ctx, { name }) {
    const folder = ctx.services.mailboxes.find(ctx.account.id, name);
    if (!folder) throw new No('NONEXISTENT', `mailbox ${name} does not exist`);
    const quota = storageQuota(ctx);
    // RFC 9208 §7: quotaroot-response = "QUOTAROOT" SP mailbox *(SP quota-root-name)
    const mailbox = encodeMailboxName(folder.name, ctx.utf8);
    if (quota) {
      ctx.untagged('QUOTAROOT', mailbox, encodeValue(QUOTA_ROOT));
      sendQuota(ctx, quota);
    } else {
      ctx.untagged('QUOTAROOT', mailbox);
    }
  },
});
