// Retention: a policy's inbox and spam retention periods remove old INBOX and Junk mail in the
// background — as the API's DELETE removes it, so IMAP sessions see EXPUNGE and webhooks hear
// message.deleted — a bounded amount per run; old rule evaluations go too.
import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log.js';
import { runRetention, startRetention } from '../../src/maintenance/retention.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/store.js';
import type { Account } from '../../src/store/types.js';
import { asReported } from '../../src/webhooks/sender.js';
import { PASSWORD, startTestGateway } from '../helpers/gateway.js';
import { GOOD_PASSWORD, openWorld } from '../helpers/services.js';

const DAY = 86_400_000;
const NOW = new Date('2026-12-01T12:00:00Z');
const ago = (days: number, from = NOW): Date => new Date(from.getTime() - days * DAY);
const silent = createLogger('silent');

/** A workspace with a 30-day inbox / 7-day spam policy; returns its id. */
function retainingWorkspace(services: Services, appId: string): string {
  const policy = services.policies.create(appId, { name: 'r', limits: { limit_inbox_retention_period: 30, limit_spam_retention_period: 7 } });
  const workspace = services.workspaces.create(appId, { name: 'short-memory' });
  services.workspaces.update(appId, workspace.id, { policyId: policy.id });
  return workspace.id;
}

/** Stores a message with the given internal date; returns its row id. */
function put(store: Store, account: Account, folder: string, internalDate: Date, subject = folder): number {
  const box = store.mail.getMailbox(account.id, folder)!;
  const raw = Buffer.from(`From: a@remote.example\r\nTo: ${account.email}\r\nSubject: ${subject}\r\n\r\nbody\r\n`);
  return store.mail.appendMessage(account.id, box.id, { raw, flags: [], internalDate }).id;
}

const subjects = (store: Store, account: Account, folder: string): string[] =>
  store.mail
    .listMessages(store.mail.getMailbox(account.id, folder)!.id)
    .map((m) => store.mail.readMessage(m.id)!.toString().match(/Subject: (.*)\r\n/)![1]!);

async function world() {
  const w = openWorld();
  await w.services.domains.add('agents.example.com');
  const workspaceId = retainingWorkspace(w.services, w.appId);
  const sales = await w.services.accounts.create(w.appId, { email: 'sales@agents.example.com', appPassword: GOOD_PASSWORD, workspaceId });
  const other = await w.services.accounts.create(w.appId, { email: 'other@agents.example.com', appPassword: GOOD_PASSWORD });
  return { ...w, sales, other };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('retention', () => {
  it('removes INBOX mail past the inbox period and Junk mail past the spam period, nothing else', async () => {
    const w = await world();
    const { store } = w;
    const oldInbox = [put(store, w.sales, 'INBOX', ago(31), 'inbox-31'), put(store, w.sales, 'INBOX', ago(400), 'inbox-400')];
    put(store, w.sales, 'INBOX', ago(29), 'inbox-29');
    const oldJunk = put(store, w.sales, 'Junk', ago(8), 'junk-8');
    put(store, w.sales, 'Junk', ago(6), 'junk-6');
    for (const folder of ['Sent', 'Archive', 'Trash', 'Drafts']) put(store, w.sales, folder, ago(400), `${folder}-400`);
    put(store, w.other, 'INBOX', ago(400), 'other-inbox-400');
    put(store, w.other, 'Junk', ago(400), 'other-junk-400');
    const lastEvent = store.events.lastId();
    w.changes.length = 0;

    expect(runRetention(store, silent, NOW)).toEqual({ removed: 3, accounts: 1, evaluations: 0 });

    expect(subjects(store, w.sales, 'INBOX')).toEqual(['inbox-29']);
    expect(subjects(store, w.sales, 'Junk')).toEqual(['junk-6']);
    for (const folder of ['Sent', 'Archive', 'Trash', 'Drafts']) expect(subjects(store, w.sales, folder)).toEqual([`${folder}-400`]);
    expect(subjects(store, w.other, 'INBOX')).toEqual(['other-inbox-400']);
    expect(subjects(store, w.other, 'Junk')).toEqual(['other-junk-400']);

    // On the change bus (IMAP sessions) and in the outbox (webhooks), as plain deletions.
    const deleted = w.changes.filter((c) => c.type === 'message.deleted');
    expect(deleted.map((c) => c.messageId).sort()).toEqual([...oldInbox, oldJunk].sort());
    const events = store.events.listAfter(lastEvent, 100).filter((e) => e.type === 'message.deleted');
    expect(events).toHaveLength(3);
    for (const event of events) {
      expect(event.accountId).toBe(w.sales.id);
      expect(event.object.moved_to_folder_id).toBeUndefined();
      expect(asReported(event)?.type).toBe('message.deleted');
    }

    // Caught up: the next run finds nothing; two days later the 29-day and 6-day ones are past.
    expect(runRetention(store, silent, NOW).removed).toBe(0);
    expect(runRetention(store, silent, new Date(NOW.getTime() + 2 * DAY))).toMatchObject({ removed: 2, accounts: 1 });
    expect(subjects(store, w.sales, 'INBOX')).toEqual([]);
    expect(subjects(store, w.sales, 'Junk')).toEqual([]);
  });

  it('keeps everything when the periods are -1 or the policy goes', async () => {
    const w = await world();
    const { store } = w;
    put(store, w.sales, 'INBOX', ago(400));
    put(store, w.sales, 'Junk', ago(400));
    const workspace = store.directory.getWorkspace(w.sales.workspaceId)!;
    w.services.policies.update(w.appId, workspace.policyId!, { limits: { limit_inbox_retention_period: -1, limit_spam_retention_period: -1 } });
    expect(runRetention(store, silent, NOW).removed).toBe(0);
    w.services.policies.update(w.appId, workspace.policyId!, { limits: { limit_inbox_retention_period: 30, limit_spam_retention_period: -1 } });
    expect(runRetention(store, silent, NOW).removed).toBe(1);
    expect(subjects(store, w.sales, 'Junk')).toEqual(['Junk']);
    w.services.workspaces.update(w.appId, workspace.id, { policyId: null });
    put(store, w.sales, 'INBOX', ago(400));
    expect(runRetention(store, silent, NOW).removed).toBe(0);
  });

  it('removes at most the budget per run, oldest first, and the rest on the next runs', async () => {
    const w = await world();
    const { store } = w;
    for (const days of [40, 90, 35, 60, 31]) put(store, w.sales, 'INBOX', ago(days), `inbox-${days}`);
    put(store, w.sales, 'INBOX', ago(1), 'inbox-1');

    expect(runRetention(store, silent, NOW, 3)).toEqual({ removed: 3, accounts: 1, evaluations: 0 });
    expect(subjects(store, w.sales, 'INBOX')).toEqual(['inbox-35', 'inbox-31', 'inbox-1']);
    expect(runRetention(store, silent, NOW, 3)).toEqual({ removed: 2, accounts: 1, evaluations: 0 });
    expect(subjects(store, w.sales, 'INBOX')).toEqual(['inbox-1']);
    expect(runRetention(store, silent, NOW, 3).removed).toBe(0);
  });

  it('finds old messages from the date index, oldest first', async () => {
    const w = await world();
    const inbox = w.store.mail.getMailbox(w.sales.id, 'INBOX')!;
    const uids = [10, 50, 20].map((days) => w.store.mail.getMessage(w.sales.id, put(w.store, w.sales, 'INBOX', ago(days)))!.uid);
    expect(w.store.mail.uidsOlderThan(inbox.id, ago(15), 10)).toEqual([uids[1], uids[2]]);
    expect(w.store.mail.uidsOlderThan(inbox.id, ago(15), 1)).toEqual([uids[1]]);
    expect(w.store.mail.uidsOlderThan(inbox.id, ago(60), 10)).toEqual([]);
    // Strictly before: a message exactly at the boundary stays.
    expect(w.store.mail.uidsOlderThan(inbox.id, ago(50), 10)).toEqual([]);
  });

  it('prunes rule evaluations older than 30 days', async () => {
    const w = await world();
    const at = (days: number) => Math.floor(ago(days).getTime() / 1000);
    for (const days of [31, 45, 29]) {
      w.store.governance.recordEvaluation({
        id: randomUUID(),
        accountId: w.other.id,
        stage: 'inbox_processing',
        messageId: null,
        input: { stage: 'inbox_processing', from: 'a@remote.example', recipients: [w.other.email] },
        matchedRuleIds: [],
        appliedActions: {},
        error: null,
        evaluatedAt: at(days),
      });
    }
    expect(runRetention(w.store, silent, NOW, 1)).toEqual({ removed: 0, accounts: 0, evaluations: 1 });
    expect(runRetention(w.store, silent, NOW, 1)).toEqual({ removed: 0, accounts: 0, evaluations: 1 });
    expect(runRetention(w.store, silent, NOW, 1).evaluations).toBe(0);
    expect(w.store.governance.listEvaluations(w.other.id, null, 10).map((e) => e.evaluatedAt)).toEqual([at(29)]);
  });

  it('runs shortly after start, every interval, sooner while behind, and logs failures', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const w = await world();
    const { store } = w;
    for (let i = 0; i < 5; i++) put(store, w.sales, 'INBOX', ago(31 + i));
    const log = createLogger('silent');
    const errors = vi.spyOn(log, 'error');
    const count = () => store.mail.listMessages(store.mail.getMailbox(w.sales.id, 'INBOX')!.id).length;
    const stop = startRetention(store, log, { clock: () => NOW, budget: 2, intervalMs: 3_600_000, firstRunMs: 1_000, catchUpMs: 5_000 });
    try {
      expect(count()).toBe(5);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(count()).toBe(3);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(count()).toBe(1);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(count()).toBe(0);
      // Caught up (the last run had budget to spare): the next run waits for the interval.
      put(store, w.sales, 'INBOX', ago(100));
      await vi.advanceTimersByTimeAsync(60_000);
      expect(count()).toBe(1);
      // A failing run is logged and the schedule goes on.
      vi.spyOn(store.directory, 'listApplications').mockImplementationOnce(() => {
        throw new Error('disk on fire');
      });
      await vi.advanceTimersByTimeAsync(3_600_000);
      expect(errors).toHaveBeenCalledTimes(1);
      expect(count()).toBe(1);
      await vi.advanceTimersByTimeAsync(3_600_000);
      expect(count()).toBe(0);
    } finally {
      stop();
    }
    // Stopped: nothing more runs.
    put(store, w.sales, 'INBOX', ago(100));
    await vi.advanceTimersByTimeAsync(10 * 3_600_000);
    expect(count()).toBe(1);
  });

  it('an open IMAP session sees EXPUNGE for the INBOX messages retention removed', async () => {
    const g = await startTestGateway();
    const { services } = g.gateway;
    const { store } = services;
    const workspaceId = retainingWorkspace(services, g.appId);
    const sales = await services.accounts.create(g.appId, { email: 'sales@agents.example.com', appPassword: PASSWORD, workspaceId });
    const now = new Date();
    put(store, sales, 'INBOX', ago(29, now), 'recent');
    put(store, sales, 'INBOX', ago(31, now), 'old');
    put(store, sales, 'INBOX', ago(2, now), 'new');
    await store.durable();

    const imap = new ImapFlow({
      host: '127.0.0.1',
      port: g.ports.imaps,
      secure: true,
      auth: { user: sales.email, pass: PASSWORD },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await imap.connect();
    try {
      await imap.mailboxOpen('INBOX');
      expect(imap.mailbox && imap.mailbox.exists).toBe(3);
      const expunged: number[] = [];
      imap.on('expunge', (e: { seq: number }) => expunged.push(e.seq));
      const lastEvent = store.events.lastId();

      runRetention(store, silent, now);
      await store.durable();
      for (let i = 0; i < 50 && expunged.length === 0; i++) {
        await imap.noop();
        if (expunged.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
      expect(expunged).toEqual([2]);
      expect(imap.mailbox && imap.mailbox.exists).toBe(2);
      const left = [];
      for await (const m of imap.fetch('1:*', { envelope: true })) left.push(m.envelope?.subject);
      expect(left).toEqual(['recent', 'new']);
      const events = store.events.listAfter(lastEvent, 100).filter((e) => e.type === 'message.deleted');
      expect(events.map((e) => e.accountId)).toEqual([sales.id]);
    } finally {
      await imap.logout();
    }
  });
});
