// GETQUOTA — RFC 9208 §4.1.1: the usage and limits of one quota root, as an untagged QUOTA
// response (§4.2.1). Also what GETQUOTAROOT shares: the account's one root and its STORAGE.
//
// One quota root per account, named "" (RFC 9208 §3.1: root names are the server's to choose).
// The empty name is the one RFC 9208's and RFC 2087's own examples use for a root that covers a
// whole account (`* QUOTAROOT INBOX ""`, `* QUOTA "" (STORAGE 10 512)`); it names no mailbox,
// so no one reads it as "the quota of this folder", and it needs no translation or quoting
// rules beyond `""`. (Dovecot calls its default root "User quota"; any name would do.)
//
// The root exists only while the account's policy sets limit_storage_total: an unlimited
// account has no quota root, so GETQUOTAROOT lists none and GETQUOTA "" is NO [NONEXISTENT].
import { type AuthenticatedContext, authenticated } from '../command.js';
import { No } from '../errors.js';
import { encodeValue } from '../protocol/encoder.js';
import { astring } from '../protocol/grammar.js';
import { UNLIMITED } from '../../policy/limits.js';
import { expectArgs } from './args.js';

export const QUOTA_ROOT = '';

/** STORAGE in units of 1024 octets (RFC 9208 §5.1). */
export interface StorageQuota {
  usage: number;
  limit: number;
}

/**
 * The account's STORAGE resource, or null when its policy sets no storage limit. Usage is
 * rounded up and the limit down, so a client never sees more room than there is: a full
 * mailbox shows usage ≥ limit even when the limit is not a whole number of KiB.
 */
export function storageQuota(ctx: AuthenticatedContext): StorageQuota | null {
  const limit = ctx.services.pipeline.governance.limitsOf(ctx.account).limit_storage_total;
  if (limit === UNLIMITED) return null;
  // Bytes of every stored message of the account, from the index (no message is read).
  const used = ctx.services.store.governance.storageUsed(ctx.account.id);
  return { usage: Math.ceil(used / 1024), limit: Math.floor(limit / 1024) };
}

/** `* QUOTA "" (STORAGE usage limit)` — RFC 9208 §4.2.1. */
export function sendQuota(ctx: AuthenticatedContext, quota: StorageQuota): void {
  ctx.untagged('QUOTA', encodeValue(QUOTA_ROOT), `(STORAGE ${quota.usage} ${quota.limit})`);
}

export const getquota = authenticated({
  name: 'GETQUOTA',
  parse(args) {
    // RFC 9208 §7: getquota = "GETQUOTA" SP quota-root-name; quota-root-name = astring
    expectArgs(args, 1, 'GETQUOTA quota-root');
    return { root: astring(args[0], 'quota root') };
  },
  async run(ctx, { root }) {
    const quota = root === QUOTA_ROOT ? storageQuota(ctx) : null;
    // RFC 5530 NONEXISTENT: a root this account does not have (any other name, or "" when
    // the account is unlimited — GETQUOTAROOT lists no root then either).
    if (!quota) throw new No('NONEXISTENT', `no quota root ${JSON.stringify(root.slice(0, 100))}`);
    sendQuota(ctx, quota);
  },
});
