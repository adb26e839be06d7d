// The sender: envelopes signed with the webhook's secret, every trigger whatever surface made
// the change (SMTP, IMAP, the services, the CLI in another process), retries with backoff,
// the webhook's status, and the durable outbox across a restart.
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { wicketOk } from '../helpers/cli.js';
import { PASSWORD, type TestGateway } from '../helpers/gateway.js';
import { type Receiver, startReceiver, startWebhookGateway, until } from './helpers.js';

async function hook(g: TestGateway, receiver: Receiver, triggers: string[]) {
  return g.gateway.services.webhooks.create(g.appId, { url: receiver.url, triggerTypes: triggers });
}

const hmac = (secret: string, raw: Buffer) => createHmac('sha256', secret).update(raw).digest('hex');

describe('webhook deliveries', () => {
  it('posts the envelope, signed with HMAC-SHA256 of the raw body', async () => {
    const g = await startWebhookGateway();
    const receiver = await startReceiver();
    const webhook = await hook(g, receiver, ['grant.created']);
    const account = await g.account('signed', { name: 'Signed Agent' });
    const [d] = await receiver.waitFor(1);
    expect(d!.headers['content-type']).toBe('application/json');
    expect(d!.headers['x-nylas-signature']).toBe(hmac(webhook.secret, d!.raw));
    expect(d!.headers['x-wicket-signature']).toBe(d!.headers['x-nylas-signature']);
    expect(d!.body).toEqual({
      specversion: '1.0',
      type: 'grant.created',
      source: '/wicket/grants',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      time: expect.any(Number),
      webhook_delivery_attempt: 1,
      data: {
        application_id: g.appId,
        grant_id: account.id,
        object: {
          id: account.id,
          provider: 'nylas',
          email: 'signed@agents.example.com',
          name: 'Signed Agent',
          workspace_id: account.workspaceId,
          application_id: g.appId,
          grant_status: 'valid',
          has_app_password: true,
          settings: { email: 'signed@agents.example.com', has_app_password: true },
          created_at: account.createdAt,
          updated_at: account.updatedAt,
        },
      },
    });
    expect(Math.abs(d!.body.time - Date.now() / 1000)).toBeLessThan(60);
    // Events from before the webhook existed are not sent; only what it subscribed to is.
    expect(receiver.received).toHaveLength(1);
  });

  it('sends message.created for mail arriving over SMTP and message.updated for an IMAP STORE', async () => {
    const g = await startWebhookGateway();
    const account = await g.account('inbox');
    const receiver = await startReceiver();
    await hook(g, receiver, ['message.created', 'message.updated']);

    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: g.ports.mx, secure: false, tls: { rejectUnauthorized: false } });
    await transport.sendMail({ from: 'alice@remote.example', to: 'inbox@agents.example.com', subject: 'hello hooks', text: 'body text' });
    const [created] = await receiver.waitFor(1, (r) => r.body.type === 'message.created');
    expect(created!.body.source).toBe('/wicket/messages');
    expect(created!.body.data.application_id).toBe(g.appId);
    expect(created!.body.data.grant_id).toBe(account.id);
    const inbox = g.gateway.services.store.mail.getMailbox(account.id, 'INBOX')!;
    expect(created!.body.data.object).toMatchObject({
      grant_id: account.id,
      object: 'message',
      subject: 'hello hooks',
      from: [{ email: 'alice@remote.example' }],
      folders: [String(inbox.id)],
      unread: true,
    });
    expect(created!.body.data.object.body).toContain('body text');

    const imap = new ImapFlow({
      host: '127.0.0.1',
      port: g.ports.imaps,
      secure: true,
      auth: { user: 'inbox@agents.example.com', pass: PASSWORD },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await imap.connect();
    try {
      await imap.mailboxOpen('INBOX');
      await imap.messageFlagsAdd('1', ['\\Seen', '\\Flagged'], { uid: true });
      await receiver.waitFor(1, (r) => r.body.type === 'message.updated');
      // A MOVE is one message.updated with the new folder, as the hosted API reports it — not
      // a message.created and a message.deleted.
      await imap.messageMove('1', 'Archive', { uid: true });
    } finally {
      await imap.logout();
    }
    const [updated, moved] = await receiver.waitFor(2, (r) => r.body.type === 'message.updated');
    expect(updated!.body.data.grant_id).toBe(account.id);
    expect(updated!.body.data.object).toMatchObject({ id: created!.body.data.object.id, unread: false, starred: true });
    const archive = g.gateway.services.store.mail.getMailbox(account.id, 'Archive')!;
    expect(moved!.body.data.object).toMatchObject({ id: created!.body.data.object.id, folders: [String(archive.id)], starred: true });
    expect(receiver.received.filter((r) => r.body.type === 'message.created')).toHaveLength(1);

    // Over 1 MB: sent as message.created.truncated, without the body.
    await transport.sendMail({ from: 'alice@remote.example', to: 'inbox@agents.example.com', subject: 'big one', text: 'y'.repeat(1_200_000) });
    const [truncated] = await receiver.waitFor(1, (r) => r.body.type === 'message.created.truncated');
    expect(truncated!.body.data.object).toMatchObject({ object: 'message', subject: 'big one' });
    expect(truncated!.body.data.object.body).toBeUndefined();
    expect(truncated!.raw.length).toBeLessThan(100_000);
  });

  it('sends folder.created|updated|deleted for changes made through the services', async () => {
    const g = await startWebhookGateway();
    const account = await g.account('folders');
    const receiver = await startReceiver();
    await hook(g, receiver, ['folder.created', 'folder.updated', 'folder.deleted']);
    const { mailboxes } = g.gateway.services;
    const folder = mailboxes.create(account.id, 'Projects');
    const got = await receiver.waitFor(1);
    expect(got[0]!.body.type).toBe('folder.created');
    expect(got[0]!.body.data.object).toMatchObject({ grant_id: account.id, object: 'folder', name: 'Projects' });
    mailboxes.rename(account.id, 'Projects', 'Clients');
    mailboxes.delete(account.id, 'Clients');
    const all = await receiver.waitFor(3);
    expect(all.map((r) => r.body.type)).toEqual(['folder.created', 'folder.updated', 'folder.deleted']);
    expect(all[2]!.body.data.object).toMatchObject({ id: String(folder.id), grant_id: account.id, object: 'folder', name: 'Clients' });
  });

  it('sends grant.created|updated|deleted for changes the CLI makes in another process', async () => {
    const g = await startWebhookGateway();
    const receiver = await startReceiver();
    await hook(g, receiver, ['grant.created', 'grant.updated', 'grant.deleted']);
    const env = { env: { WICKET_DATA_DIR: g.dir } };
    const created = await wicketOk(g.dir, ['account', 'create', 'cli@agents.example.com', '--name', 'From CLI', '--json'], env);
    await wicketOk(g.dir, ['account', 'update', 'cli@agents.example.com', '--name', 'Renamed'], env);
    await wicketOk(g.dir, ['account', 'delete', 'cli@agents.example.com', '--yes'], env);
    const all = await receiver.waitFor(3);
    expect(all.map((r) => r.body.type)).toEqual(['grant.created', 'grant.updated', 'grant.deleted']);
    expect(all.map((r) => r.body.data.object.name)).toEqual(['From CLI', 'Renamed', 'Renamed']);
    expect(all.every((r) => r.body.data.grant_id === created.json.id)).toBe(true);
  });

  it('retries after 503 with the attempt number rising; failing while it fails, active again once delivered', async () => {
    const g = await startWebhookGateway({ tuning: { retryDelaysMs: [300, 300, 300] } });
    const receiver = await startReceiver();
    receiver.statuses = [503, 503];
    const webhook = await hook(g, receiver, ['grant.created']);
    const store = g.gateway.services.store;
    await g.account('retry');
    await receiver.waitFor(1);
    // After the first failure, before the retry.
    expect(await until(() => store.webhooks.get(g.appId, webhook.id)?.status === 'failing')).toBe(true);
    const all = await receiver.waitFor(3);
    expect(all.map((r) => r.body.webhook_delivery_attempt)).toEqual([1, 2, 3]);
    // One notification: the same id on every attempt, each signed anew.
    expect(new Set(all.map((r) => r.body.id)).size).toBe(1);
    for (const r of all) expect(r.headers['x-nylas-signature']).toBe(hmac(webhook.secret, r.raw));
    await until(() => store.webhooks.get(g.appId, webhook.id)?.status === 'active');
    const [delivery] = store.webhooks.deliveries(webhook.id, 10);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3 });
    const metrics = await g.gateway.services.metrics.text();
    expect(metrics).toMatch(/wicket_webhook_deliveries_total\{result="retry"\} 2\n/);
    expect(metrics).toMatch(/wicket_webhook_deliveries_total\{result="success"\} 1\n/);
  });

  it('retries on 408, 429 and timeouts but not on other 4xx; gives up after the last retry (failed) and recovers on success', async () => {
    const g = await startWebhookGateway({ env: { WICKET_WEBHOOK_TIMEOUT_MS: '1000' } });
    const receiver = await startReceiver();
    const webhook = await hook(g, receiver, ['grant.created']);
    const store = g.gateway.services.store;
    const status = () => store.webhooks.get(g.appId, webhook.id)?.status;

    // 408, 429, a timeout, 502: four attempts with three retries (FAST), then give up.
    receiver.statuses = [408, 429, 0, 502];
    await g.account('giveup');
    await receiver.waitFor(4);
    await until(() => status() === 'failed');
    expect(store.webhooks.deliveries(webhook.id, 10)[0]).toMatchObject({ status: 'failed', attempts: 4, lastError: 'HTTP 502' });

    // A 400 is not retried; a failed webhook stays failed until a delivery succeeds.
    receiver.statuses = [400];
    await g.account('refused');
    await receiver.waitFor(5);
    await until(() => store.webhooks.deliveries(webhook.id, 10)[0]?.status === 'failed');
    expect(store.webhooks.deliveries(webhook.id, 10)[0]).toMatchObject({ attempts: 1, lastError: 'HTTP 400' });
    expect(status()).toBe('failed');

    await g.account('works');
    await receiver.waitFor(6);
    await until(() => status() === 'active');
    expect(receiver.received.map((r) => r.body.data.object.email.split('@')[0])).toEqual(['giveup', 'giveup', 'giveup', 'giveup', 'refused', 'works']);
  });

  it('does not send to a paused webhook, and does not send triggers it did not ask for', async () => {
    const g = await startWebhookGateway();
    const receiver = await startReceiver();
    const paused = await hook(g, receiver, ['grant.created']);
    const other = await startReceiver();
    await hook(g, other, ['folder.created']);
    await g.gateway.services.webhooks.update(g.appId, paused.id, { status: 'pause' });
    const account = await g.account('paused');
    g.gateway.services.mailboxes.create(account.id, 'Only this');
    const [d] = await other.waitFor(1);
    expect(d!.body.type).toBe('folder.created');
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toEqual([]);
    expect(other.received).toHaveLength(1);
  });

  it('keeps the outbox across a restart: a failing delivery and an event written while no server ran both arrive', async () => {
    const first = await startWebhookGateway({ tuning: { retryDelaysMs: [60_000] } });
    const dir = first.dir;
    const receiver = await startReceiver();
    receiver.statuses = [503];
    const webhook = await hook(first, receiver, ['grant.created']);
    await first.account('before');
    await receiver.waitFor(1);
    const store = first.gateway.services.store;
    await until(() => store.webhooks.deliveries(webhook.id, 10)[0]?.attempts === 1);
    await first.gateway.close(0);

    // Another process changes the data while no server runs.
    const offline = openStore(dir);
    const app = offline.directory.listApplications()[0]!;
    const ws = offline.directory.defaultWorkspace(app.id);
    const domain = offline.directory.findDomainByName('agents.example.com')!;
    offline.directory.createAccount(
      { id: 'offline-account', applicationId: app.id, workspaceId: ws.id, domainId: domain.id, email: 'offline@agents.example.com', name: null, passwordHash: null },
      [{ name: 'INBOX', specialUse: null }],
    );
    offline.close();
    // The failing delivery falls due now rather than in a minute.
    const db = new Database(join(dir, 'wicket.db'));
    db.prepare('UPDATE webhook_deliveries SET next_attempt_at = 0').run();
    db.close();

    const second = await startWebhookGateway({ dir });
    expect(second.gateway.services.store.webhooks.get(second.appId, webhook.id)).toBeDefined();
    const all = await receiver.waitFor(3);
    const emails = all.map((r) => [r.body.data.object.email, r.body.webhook_delivery_attempt]);
    expect(emails).toEqual(
      expect.arrayContaining([
        ['before@agents.example.com', 1],
        ['before@agents.example.com', 2],
        ['offline@agents.example.com', 1],
      ]),
    );
    expect(all[0]!.body.id).toBe(all.find((r) => r.body.webhook_delivery_attempt === 2)!.body.id);
  });

  it('puts a delivery cut off by shutdown back untried, and sends it after the restart', async () => {
    const first = await startWebhookGateway();
    const receiver = await startReceiver();
    receiver.statuses = [0];
    const webhook = await hook(first, receiver, ['grant.created']);
    await first.account('cut');
    await receiver.waitFor(1);
    await first.gateway.close(0);
    const second = await startWebhookGateway({ dir: first.dir });
    const all = await receiver.waitFor(2);
    // Not counted as an attempt: the server, not the endpoint, gave up on it.
    expect(all.map((r) => r.body.webhook_delivery_attempt)).toEqual([1, 1]);
    expect(all[1]!.body.id).toBe(all[0]!.body.id);
    await until(() => second.gateway.services.store.webhooks.deliveries(webhook.id, 1)[0]?.status === 'delivered');
  });

  it('keeps one delivery in flight per webhook: a hanging endpoint does not hold another back', async () => {
    const g = await startWebhookGateway({ env: { WICKET_WEBHOOK_TIMEOUT_MS: '20000' } });
    const slow = await startReceiver();
    slow.statuses = [0];
    const fast = await startReceiver();
    await hook(g, slow, ['grant.created']);
    await hook(g, fast, ['grant.created']);
    await g.account('one');
    // The second event comes while the slow endpoint holds its first delivery: the sender is
    // waiting on that one, and must still hand the new event to the fast endpoint at once.
    await fast.waitFor(1, undefined, 5000);
    await g.account('two');
    const got = await fast.waitFor(2, undefined, 5000);
    expect(got.map((r) => r.body.data.object.email)).toEqual(['one@agents.example.com', 'two@agents.example.com']);
    // The slow one has the first in flight and the second waiting behind it.
    expect(slow.received.map((r) => r.body.data.object.email)).toEqual(['one@agents.example.com']);
  });

  it('checks WICKET_WEBHOOK_DENY again when delivering: an endpoint now inside a denied range gets nothing', async () => {
    const first = await startWebhookGateway();
    const receiver = await startReceiver();
    const webhook = await hook(first, receiver, ['grant.created']);
    await first.gateway.close(0);
    const second = await startWebhookGateway({ dir: first.dir, env: { WICKET_WEBHOOK_DENY: '127.0.0.0/8' } });
    await second.account('denied');
    const store = second.gateway.services.store;
    const [d] = await until(() => {
      const list = store.webhooks.deliveries(webhook.id, 1);
      return list[0]?.status === 'failed' ? list : null;
    });
    // Not retried: only a change of address or of the configuration can fix it.
    expect(d).toMatchObject({ attempts: 1, lastError: '127.0.0.1 is inside 127.0.0.0/8, which WICKET_WEBHOOK_DENY refuses' });
    expect(store.webhooks.get(second.appId, webhook.id)?.status).toBe('failing');
    expect(receiver.received).toEqual([]);
  });
});
