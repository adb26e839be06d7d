// QUOTA — RFC 9208. QUOTA and QUOTA=RES-STORAGE are advertised after login. Each account has one
// quota root, "", while its workspace's policy sets limit_storage_total; its STORAGE is every
// stored message of the account in units of 1024 octets (§5.1), usage rounded up, limit down.
// GETQUOTAROOT (§4.1.2) answers QUOTAROOT then QUOTA; GETQUOTA (§4.1.1) the QUOTA of "" only;
// SETQUOTA (§4.1.3) is NO [NOPERM] (QUOTASET is not offered: the policy sets the limit). APPEND
// over the limit is NO [OVERQUOTA] (§4.3.1) and stores nothing. STATUS DELETED and
// DELETED-STORAGE tell what EXPUNGE would give back.
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import type { TestGateway } from '../../helpers/gateway.js';
import { PASSWORD, SALES, type World, appendCommand, connect, ok, world } from '../fixtures/session.js';
import { validity } from '../fixtures/extensions.js';

/** A message of exactly `size` octets. */
function messageOf(size: number, subject = 'sized'): string {
  const head = `Subject: ${subject}\r\n\r\n`;
  return head + 'x'.repeat(size - head.length);
}

/** Gives sales's workspace a policy with this storage limit (bytes); returns the policy id. */
function limitStorage(w: World, bytes: number): string {
  const { services } = w.g.gateway;
  const policy = services.policies.create(w.g.appId, { name: `storage ${bytes}`, limits: { limit_storage_total: bytes } });
  services.workspaces.update(w.g.appId, w.sales.workspaceId, { policyId: policy.id });
  return policy.id;
}

async function limited(bytes = 2048): Promise<World & { policyId: string }> {
  const w = await world();
  return { ...w, policyId: limitStorage(w, bytes) };
}

const used = (w: World) => w.g.gateway.services.store.governance.storageUsed(w.sales.id);

function imapflow(g: TestGateway): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port: g.ports.imaps,
    secure: true,
    auth: { user: SALES, pass: PASSWORD },
    tls: { rejectUnauthorized: false },
    logger: false,
  });
}

describe('QUOTA', () => {
  it('QUOTA and QUOTA=RES-STORAGE are advertised after login, not before', async () => {
    const { g, c } = await world();
    const after = (await c.transact('CAPABILITY', 'C1')).untagged[0]!.split(' ');
    expect(after.filter((cap) => cap.startsWith('QUOTA'))).toEqual(['QUOTA', 'QUOTA=RES-STORAGE']);
    const fresh = await connect(g);
    const before = (await fresh.transact('CAPABILITY', 'C2')).untagged[0]!.split(' ');
    expect(before.filter((cap) => cap.startsWith('QUOTA'))).toEqual([]);
    expect(await fresh.transact('GETQUOTAROOT INBOX', 'C3')).toEqual({ untagged: [], tagged: 'C3 BAD GETQUOTAROOT is not allowed before login' });
  });

  it('GETQUOTAROOT: the root "" and its STORAGE in KiB, usage rounded up; every folder counts', async () => {
    const w = await limited(2048);
    const { c } = w;
    expect(await c.transact('GETQUOTAROOT INBOX', 'Q1')).toEqual({
      untagged: ['* QUOTAROOT "INBOX" ""', '* QUOTA "" (STORAGE 0 2)'],
      tagged: 'Q1 OK GETQUOTAROOT completed',
    });
    await ok(c, appendCommand('INBOX', messageOf(1000)));
    expect(await c.transact('GETQUOTAROOT inbox', 'Q2')).toEqual({
      untagged: ['* QUOTAROOT "INBOX" ""', '* QUOTA "" (STORAGE 1 2)'],
      tagged: 'Q2 OK GETQUOTAROOT completed',
    });
    // 1500 octets: 1.46 KiB, shown as 2 — the root covers every mailbox of the account.
    await ok(c, appendCommand('Archive', messageOf(500)));
    expect(await c.transact('GETQUOTAROOT Archive', 'Q3')).toEqual({
      untagged: ['* QUOTAROOT "Archive" ""', '* QUOTA "" (STORAGE 2 2)'],
      tagged: 'Q3 OK GETQUOTAROOT completed',
    });
    expect(used(w)).toBe(1500);
  });

  it('GETQUOTA "" answers the QUOTA; another root, or a mailbox name, is NO [NONEXISTENT]', async () => {
    const w = await limited(10 * 1024);
    const { c } = w;
    await ok(c, appendCommand('INBOX', messageOf(3000)));
    expect(await c.transact('GETQUOTA ""', 'Q1')).toEqual({ untagged: ['* QUOTA "" (STORAGE 3 10)'], tagged: 'Q1 OK GETQUOTA completed' });
    expect(await c.transact('GETQUOTA "User quota"', 'Q2')).toEqual({ untagged: [], tagged: 'Q2 NO [NONEXISTENT] no quota root "User quota"' });
    expect(await c.transact('GETQUOTA INBOX', 'Q3')).toEqual({ untagged: [], tagged: 'Q3 NO [NONEXISTENT] no quota root "INBOX"' });
    expect(await c.transact('GETQUOTA', 'Q4')).toEqual({ untagged: [], tagged: 'Q4 BAD expected GETQUOTA quota-root' });
  });

  it('a limit that is not a whole number of KiB is rounded down', async () => {
    const { c } = await limited(3000);
    expect(await c.transact('GETQUOTA ""', 'Q1')).toEqual({ untagged: ['* QUOTA "" (STORAGE 0 2)'], tagged: 'Q1 OK GETQUOTA completed' });
  });

  it('without a storage limit: no quota root, no QUOTA response; GETQUOTA "" is NO [NONEXISTENT]', async () => {
    const { c } = await world();
    expect(await c.transact('GETQUOTAROOT INBOX', 'Q1')).toEqual({ untagged: ['* QUOTAROOT "INBOX"'], tagged: 'Q1 OK GETQUOTAROOT completed' });
    expect(await c.transact('GETQUOTA ""', 'Q2')).toEqual({ untagged: [], tagged: 'Q2 NO [NONEXISTENT] no quota root ""' });
  });

  it('the quota follows the policy: a new limit, or no policy, shows at the next command', async () => {
    const w = await limited(2048);
    const { c, g } = w;
    const { services } = g.gateway;
    services.policies.update(g.appId, w.policyId, { limits: { limit_storage_total: 1024 * 1024 } });
    expect(await c.transact('GETQUOTA ""', 'Q1')).toEqual({ untagged: ['* QUOTA "" (STORAGE 0 1024)'], tagged: 'Q1 OK GETQUOTA completed' });
    services.workspaces.update(g.appId, w.sales.workspaceId, { policyId: null });
    expect(await c.transact('GETQUOTAROOT INBOX', 'Q2')).toEqual({ untagged: ['* QUOTAROOT "INBOX"'], tagged: 'Q2 OK GETQUOTAROOT completed' });
  });

  it('GETQUOTAROOT of a mailbox that does not exist: NO [NONEXISTENT]', async () => {
    const { c } = await limited();
    expect(await c.transact('GETQUOTAROOT Projects', 'Q1')).toEqual({ untagged: [], tagged: 'Q1 NO [NONEXISTENT] mailbox Projects does not exist' });
    expect(await c.transact('GETQUOTAROOT', 'Q2')).toEqual({ untagged: [], tagged: 'Q2 BAD expected GETQUOTAROOT mailbox' });
  });

  it('SETQUOTA: NO [NOPERM], the limit is unchanged; malformed SETQUOTA is BAD', async () => {
    const { c } = await limited(2048);
    expect(await c.transact('SETQUOTA "" (STORAGE 512000)', 'S1')).toEqual({ untagged: [], tagged: "S1 NO [NOPERM] quotas are set by the account's policy" });
    expect(await c.transact('SETQUOTA ""', 'S2')).toEqual({ untagged: [], tagged: 'S2 BAD expected SETQUOTA quota-root (resource limit …)' });
    expect(await c.transact('SETQUOTA "" STORAGE', 'S3')).toEqual({ untagged: [], tagged: 'S3 BAD expected a parenthesized list of resource limits' });
    expect(await c.transact('GETQUOTA ""', 'S4')).toEqual({ untagged: ['* QUOTA "" (STORAGE 0 2)'], tagged: 'S4 OK GETQUOTA completed' });
  });

  it('APPEND over the limit: NO [OVERQUOTA], nothing stored; exactly up to the limit is taken', async () => {
    const w = await limited(2048);
    const { c } = w;
    await ok(c, appendCommand('INBOX', messageOf(1500)));
    expect(await c.transact(appendCommand('INBOX', messageOf(600)), 'A1')).toEqual({
      untagged: [],
      tagged: 'A1 NO [OVERQUOTA] the mailbox is full: it holds 1.5 KiB of 2 KiB, and 600 bytes more do not fit',
    });
    expect(await c.transact('STATUS INBOX (MESSAGES SIZE UIDNEXT)', 'A2')).toEqual({
      untagged: ['* STATUS "INBOX" (MESSAGES 1 SIZE 1500 UIDNEXT 2)'],
      tagged: 'A2 OK STATUS completed',
    });
    expect(used(w)).toBe(1500);
    expect(await c.transact(appendCommand('Archive', messageOf(548)), 'A3')).toEqual({
      untagged: [],
      tagged: `A3 OK [APPENDUID ${validity(w, 'Archive')} 1] APPEND completed`,
    });
    expect(await c.transact('GETQUOTA ""', 'A4')).toEqual({ untagged: ['* QUOTA "" (STORAGE 2 2)'], tagged: 'A4 OK GETQUOTA completed' });
    expect(await c.transact(appendCommand('Drafts', messageOf(20)), 'A5')).toEqual({
      untagged: [],
      tagged: 'A5 NO [OVERQUOTA] the mailbox is full: it holds 2 KiB of 2 KiB, and 20 bytes more do not fit',
    });
  });

  it('STATUS DELETED and DELETED-STORAGE: the \\Deleted messages and their octets; EXPUNGE gives the storage back', async () => {
    const w = await limited(10 * 1024);
    const { c } = w;
    await ok(c, appendCommand('INBOX', messageOf(1000, 'one')));
    await ok(c, appendCommand('INBOX', messageOf(2000, 'two')));
    await ok(c, appendCommand('INBOX', messageOf(3000, 'three')));
    expect(await c.transact('STATUS INBOX (MESSAGES DELETED DELETED-STORAGE)', 'D1')).toEqual({
      untagged: ['* STATUS "INBOX" (MESSAGES 3 DELETED 0 DELETED-STORAGE 0)'],
      tagged: 'D1 OK STATUS completed',
    });
    await ok(c, 'SELECT INBOX');
    await ok(c, 'UID STORE 1,3 +FLAGS.SILENT (\\Deleted)');
    expect(await c.transact('STATUS INBOX (DELETED-STORAGE DELETED SIZE)', 'D2')).toEqual({
      untagged: ['* STATUS "INBOX" (DELETED-STORAGE 4000 DELETED 2 SIZE 6000)'],
      tagged: 'D2 OK STATUS completed',
    });
    // RFC 5819: LIST-STATUS knows the items too.
    expect(await c.transact('LIST "" "INBOX" RETURN (STATUS (DELETED DELETED-STORAGE))', 'D3')).toEqual({
      untagged: ['* LIST (\\HasNoChildren) "/" "INBOX"', '* STATUS "INBOX" (DELETED 2 DELETED-STORAGE 4000)'],
      tagged: 'D3 OK LIST completed',
    });
    expect(await c.transact('GETQUOTA ""', 'D4')).toEqual({ untagged: ['* QUOTA "" (STORAGE 6 10)'], tagged: 'D4 OK GETQUOTA completed' });
    await ok(c, 'EXPUNGE');
    expect(await c.transact('STATUS INBOX (MESSAGES DELETED DELETED-STORAGE)', 'D5')).toEqual({
      untagged: ['* STATUS "INBOX" (MESSAGES 1 DELETED 0 DELETED-STORAGE 0)'],
      tagged: 'D5 OK STATUS completed',
    });
    expect(await c.transact('GETQUOTA ""', 'D6')).toEqual({ untagged: ['* QUOTA "" (STORAGE 2 10)'], tagged: 'D6 OK GETQUOTA completed' });
  });
});

describe('QUOTA with imapflow', () => {
  it('getQuota() reads usage and limit in bytes; an APPEND over the limit fails with OVERQUOTA and stores nothing', async () => {
    const w = await limited(2048);
    const imap = imapflow(w.g);
    await imap.connect();
    try {
      await imap.append('INBOX', messageOf(1024));
      expect(await imap.getQuota('INBOX')).toEqual({ path: 'INBOX', storage: { usage: 1024, limit: 2048, status: '50%' } });
      await expect(imap.append('INBOX', messageOf(1100))).rejects.toMatchObject({ serverResponseCode: 'OVERQUOTA' });
      expect(await imap.status('INBOX', { messages: true })).toMatchObject({ messages: 1 });
      expect(used(w)).toBe(1024);
      expect(await imap.getQuota('Archive')).toEqual({ path: 'Archive', storage: { usage: 1024, limit: 2048, status: '50%' } });
    } finally {
      await imap.logout();
    }
  });

  it('getQuota() of an unlimited account: the path alone, no resources', async () => {
    const { g } = await world();
    const imap = imapflow(g);
    await imap.connect();
    try {
      expect(await imap.getQuota('INBOX')).toEqual({ path: 'INBOX' });
    } finally {
      await imap.logout();
    }
  });
});
