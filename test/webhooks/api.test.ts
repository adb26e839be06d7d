// The webhook REST API: create (challenge), list, get, update, delete, rotate-secret; the
// deny-list; the secret shown only on create and rotation.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, apiKey } from '../helpers/api.js';
import { startReceiver, startWebhookGateway, until } from './helpers.js';

const TRIGGERS = ['message.created', 'grant.created'];

async function setup(env: Record<string, string> = {}) {
  const g = await startWebhookGateway({ env: { WICKET_WEBHOOK_TIMEOUT_MS: '1000', ...env } });
  const key = apiKey(g);
  const receiver = await startReceiver();
  return { g, key, receiver };
}

describe('webhooks API', () => {
  it('creates a webhook after the challenge, shows the secret once, lists, gets, updates and deletes it', async () => {
    const { g, key, receiver } = await setup();
    const created = await api(g, key, 'POST', '/v3/webhooks', {
      webhook_url: receiver.url,
      trigger_types: TRIGGERS,
      description: 'orders',
      notification_email_addresses: ['ops@example.com'],
    });
    expect(created.status).toBe(200);
    expect(receiver.challenges).toHaveLength(1);
    const hook = created.body.data;
    expect(hook).toMatchObject({
      description: 'orders',
      trigger_types: TRIGGERS,
      webhook_url: receiver.url,
      status: 'active',
      notification_email_addresses: ['ops@example.com'],
    });
    expect(hook.webhook_secret).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(hook).sort()).toEqual(
      ['created_at', 'description', 'id', 'notification_email_addresses', 'status', 'status_updated_at', 'trigger_types', 'updated_at', 'webhook_secret', 'webhook_url'].sort(),
    );

    const list = await api(g, key, 'GET', '/v3/webhooks');
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].webhook_secret).toBeUndefined();
    expect(list.body.next_cursor).toBeNull();

    const got = await api(g, key, 'GET', `/v3/webhooks/${hook.id}`);
    expect(got.body.data.webhook_secret).toBeUndefined();
    expect(got.body.data.id).toBe(hook.id);

    const updated = await api(g, key, 'PUT', `/v3/webhooks/${hook.id}`, { description: 'all orders', trigger_types: ['folder.created'], status: 'pause' });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ description: 'all orders', trigger_types: ['folder.created'], status: 'pause' });
    expect(updated.body.data.webhook_secret).toBeUndefined();
    // No new URL, no new challenge.
    expect(receiver.challenges).toHaveLength(1);

    const other = await startReceiver();
    const moved = await api(g, key, 'PUT', `/v3/webhooks/${hook.id}`, { webhook_url: other.url, status: 'active' });
    expect(moved.body.data).toMatchObject({ webhook_url: other.url, status: 'active' });
    expect(other.challenges).toHaveLength(1);

    const deleted = await api(g, key, 'DELETE', `/v3/webhooks/${hook.id}`);
    expect(deleted.status).toBe(200);
    expect((await api(g, key, 'GET', `/v3/webhooks/${hook.id}`)).status).toBe(404);
    expect((await api(g, key, 'DELETE', `/v3/webhooks/${hook.id}`)).status).toBe(404);
  });

  it('refuses a webhook whose endpoint does not echo the challenge, and stores nothing', async () => {
    const { g, key, receiver } = await setup();
    receiver.challengeMode = 'wrong';
    const wrong = await api(g, key, 'POST', '/v3/webhooks', { webhook_url: receiver.url, trigger_types: TRIGGERS });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.type).toBe('api.invalid_request_error');
    expect(wrong.body.error.message).toMatch(/did not echo the challenge value; it must answer GET .*challenge=<value> with status 200/);

    receiver.challengeMode = 'status404';
    const notFound = await api(g, key, 'POST', '/v3/webhooks', { webhook_url: receiver.url, trigger_types: TRIGGERS });
    expect(notFound.status).toBe(400);
    expect(notFound.body.error.message).toMatch(/answered the challenge with status 404/);

    receiver.challengeMode = 'hang';
    const started = Date.now();
    const timeout = await api(g, key, 'POST', '/v3/webhooks', { webhook_url: receiver.url, trigger_types: TRIGGERS });
    expect(timeout.status).toBe(400);
    expect(timeout.body.error.message).toMatch(/did not answer the challenge within 1 s/);
    expect(Date.now() - started).toBeLessThan(5000);

    const unreachable = await api(g, key, 'POST', '/v3/webhooks', { webhook_url: 'http://127.0.0.1:9/hooks', trigger_types: TRIGGERS });
    expect(unreachable.status).toBe(400);
    expect(unreachable.body.error.message).toMatch(/could not be reached \(ECONNREFUSED/);

    expect(receiver.challenges).toHaveLength(3);
    expect((await api(g, key, 'GET', '/v3/webhooks')).body.data).toEqual([]);
    expect(g.gateway.services.store.webhooks.list(g.appId)).toEqual([]);
  });

  it('checks the input and says what to fix', async () => {
    const { g, key, receiver } = await setup();
    const cases: [unknown, RegExp][] = [
      [{ webhook_url: 'ftp://example.com/x', trigger_types: TRIGGERS }, /webhook_url: must start with http:\/\/ or https:\/\//],
      [{ webhook_url: 'not a url', trigger_types: TRIGGERS }, /webhook_url: not a URL/],
      [{ webhook_url: receiver.url, trigger_types: [] }, /trigger_types: a non-empty list of message.created/],
      [{ webhook_url: receiver.url, trigger_types: ['message.exploded'] }, /unknown trigger "message.exploded"; use any of/],
      [{ webhook_url: receiver.url, trigger_types: TRIGGERS, notification_email_addresses: ['nope'] }, /"nope" is not an email address/],
      [{ trigger_types: TRIGGERS }, /webhook_url/],
    ];
    for (const [body, message] of cases) {
      const res = await api(g, key, 'POST', '/v3/webhooks', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect(receiver.challenges).toEqual([]);
    const created = await api(g, key, 'POST', '/v3/webhooks', { webhook_url: receiver.url, trigger_types: TRIGGERS });
    const bad = await api(g, key, 'PUT', `/v3/webhooks/${created.body.data.id}`, { status: 'failed' });
    expect(bad.status).toBe(400);
  });

  it('refuses a URL that resolves into WICKET_WEBHOOK_DENY', async () => {
    const { g, key, receiver } = await setup({ WICKET_WEBHOOK_DENY: '10.0.0.0/8, 127.0.0.0/8' });
    for (const url of [receiver.url, receiver.url.replace('127.0.0.1', 'localhost'), 'http://[::ffff:127.0.0.1]:9/x']) {
      const res = await api(g, key, 'POST', '/v3/webhooks', { webhook_url: url, trigger_types: TRIGGERS });
      expect(res.status, url).toBe(400);
      expect(res.body.error.message).toMatch(/(resolves to .*, inside|is inside) 127\.0\.0\.0\/8, which WICKET_WEBHOOK_DENY refuses; use an endpoint outside the denied ranges \(10\.0\.0\.0\/8, 127\.0\.0\.0\/8\)/);
    }
    expect(receiver.challenges).toEqual([]);
    expect(g.gateway.services.store.webhooks.list(g.appId)).toEqual([]);
  });

  it('rotates the secret: later deliveries are signed with the new one only', async () => {
    const { g, key, receiver } = await setup();
    const created = (await api(g, key, 'POST', '/v3/webhooks', { webhook_url: receiver.url, trigger_types: ['grant.created'] })).body.data;
    const oldSecret: string = created.webhook_secret;
    const rotated = await api(g, key, 'POST', `/v3/webhooks/rotate-secret/${created.id}`);
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.data.webhook_secret;
    expect(newSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(newSecret).not.toBe(oldSecret);
    expect((await api(g, key, 'POST', '/v3/webhooks/rotate-secret/nope')).status).toBe(404);

    await g.account('rotated');
    const [delivery] = await receiver.waitFor(1);
    const hmac = (secret: string) => createHmac('sha256', secret).update(delivery!.raw).digest('hex');
    expect(delivery!.headers['x-nylas-signature']).toBe(hmac(newSecret));
    expect(delivery!.headers['x-wicket-signature']).toBe(hmac(newSecret));
    expect(delivery!.headers['x-nylas-signature']).not.toBe(hmac(oldSecret));
  });

  it("keeps each application's webhooks to itself", async () => {
    const { g, key, receiver } = await setup();
    const created = (await api(g, key, 'POST', '/v3/webhooks', { webhook_url: receiver.url, trigger_types: TRIGGERS })).body.data;
    const other = g.gateway.services.applications.create('other');
    const otherKey = g.gateway.services.apiKeys.create(other.id, 't').secret;
    expect((await api(g, otherKey, 'GET', '/v3/webhooks')).body.data).toEqual([]);
    expect((await api(g, otherKey, 'GET', `/v3/webhooks/${created.id}`)).status).toBe(404);
    expect((await api(g, otherKey, 'DELETE', `/v3/webhooks/${created.id}`)).status).toBe(404);
    expect((await api(g, otherKey, 'POST', `/v3/webhooks/rotate-secret/${created.id}`)).status).toBe(404);
    await until(() => g.gateway.services.store.webhooks.get(g.appId, created.id));
  });
});
