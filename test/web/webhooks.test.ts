// The dashboard's webhooks: create against a real endpoint on 127.0.0.1 that answers the
// challenge, the secret shown once (after create and after rotation, never on other pages),
// status, pause and resume, recent deliveries, a failed challenge shown next to the URL, and
// another application's webhook out of reach.
import { describe, expect, it } from 'vitest';
import { member, WebClient } from '../helpers/web.js';
import { startReceiver, startWebhookGateway, until } from '../webhooks/helpers.js';

async function setup() {
  const g = await startWebhookGateway({ env: { WICKET_WEBHOOK_TIMEOUT_MS: '1000' } });
  await member(g, 'admin@example.com');
  const web = WebClient.for(g);
  await web.signIn('admin@example.com');
  const receiver = await startReceiver();
  const app = (rest: string) => `/dashboard/apps/${g.appId}${rest}`;
  return { g, web, receiver, app, s: g.gateway.services };
}

/** A form with a field given more than once (checkboxes), which WebClient.post cannot send. */
function postPairs(web: WebClient, path: string, pairs: [string, string][]) {
  const form = new URLSearchParams([['_csrf', web.csrf!], ...pairs]);
  return web.request('POST', path, { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

const shownSecret = (page: string): string | undefined => /<code id="webhook-secret">([0-9a-f]+)<\/code>/.exec(page)?.[1];

describe('dashboard webhooks', () => {
  it('creates a webhook after the challenge, shows the secret once, lists its deliveries, rotates the secret', async () => {
    const { g, web, receiver, app, s } = await setup();
    await web.get(app('/webhooks/new'));
    const created = await web.post(app('/webhooks'), { webhook_url: receiver.url, description: 'orders', trigger_types: 'grant.created' });
    expect(created.status).toBe(200);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(receiver.challenges).toHaveLength(1);
    const [hook] = s.webhooks.list(g.appId);
    expect(hook).toMatchObject({ url: receiver.url, description: 'orders', triggerTypes: ['grant.created'], status: 'active' });
    expect(shownSecret(created.text)).toBe(hook!.secret);
    expect(created.text).toContain('<button type="button" data-copy="#webhook-secret" hidden>Copy</button>');
    expect(created.text).toContain('it is not shown again');

    const list = await web.get(app('/webhooks'));
    expect(list.text).toContain(receiver.url);
    expect(list.text).toContain('<span class="badge ok">active</span>');
    expect(list.text).not.toContain(hook!.secret);

    // An event for it: a new account; the delivery shows on the webhook's page.
    await g.account('alice');
    await receiver.waitFor(1);
    await until(() => s.webhooks.recentDeliveries(g.appId, hook!.id).find((d) => d.status === 'delivered'));
    const page = await web.get(app(`/webhooks/${hook!.id}`));
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(hook!.secret);
    expect(page.text).toMatch(/<td>grant\.created<\/td>\s*<td><span class="badge ok">delivered<\/span><\/td>\s*<td>1<\/td>/);

    const rotated = await web.post(app(`/webhooks/${hook!.id}/rotate`));
    expect(rotated.status).toBe(200);
    const fresh = s.webhooks.get(g.appId, hook!.id).secret;
    expect(fresh).not.toBe(hook!.secret);
    expect(shownSecret(rotated.text)).toBe(fresh);
    expect((await web.get(app(`/webhooks/${hook!.id}`))).text).not.toContain(fresh);
    expect(s.team.activity.list().map((a) => a.action).slice(0, 2)).toEqual(['webhook.secret_rotated', 'webhook.created']);
    // The activity log names the endpoint's origin only, never the secret.
    expect(JSON.stringify(s.team.activity.list())).not.toContain(fresh);
  });

  it('pauses and resumes, sends a test event, saves new settings and deletes', async () => {
    const { g, web, receiver, app, s } = await setup();
    const hook = await s.webhooks.create(g.appId, { url: receiver.url, triggerTypes: ['message.created'] });
    const path = app(`/webhooks/${hook.id}`);
    await web.get(path);
    expect((await web.post(`${path}/pause`)).status).toBe(303);
    expect(s.webhooks.get(g.appId, hook.id).status).toBe('pause');
    expect((await web.get(app('/webhooks'))).text).toContain('<span class="badge">paused</span>');
    const paused = await web.get(path);
    expect(paused.text).toContain('Resume</button>');
    expect((await web.post(`${path}/resume`)).status).toBe(303);
    expect(s.webhooks.get(g.appId, hook.id).status).toBe('active');

    const tested = await web.post(`${path}/test`);
    expect(tested.status).toBe(303);
    expect((await web.get(path)).text).toContain('Test event delivered (the endpoint answered 200).');
    expect(receiver.received.some((r) => r.body?.type === 'webhook.test')).toBe(true);

    const saved = await postPairs(web, path, [
      ['webhook_url', receiver.url],
      ['description', 'folders too'],
      ['trigger_types', 'message.created'],
      ['trigger_types', 'folder.created'],
      ['notification_email_addresses', 'ops@example.com, dev@example.com'],
    ]);
    expect(saved.status).toBe(303);
    expect(s.webhooks.get(g.appId, hook.id)).toMatchObject({
      description: 'folders too',
      triggerTypes: ['message.created', 'folder.created'],
      notificationEmails: ['ops@example.com', 'dev@example.com'],
    });
    const settings = await web.get(path);
    expect(settings.text).toMatch(/value="folder\.created" checked/);
    expect(settings.text).toContain('value="ops@example.com, dev@example.com"');

    expect((await web.post(`${path}/delete`)).status).toBe(303);
    expect(s.webhooks.list(g.appId)).toEqual([]);
  });

  it('shows a failed challenge and missing events next to their fields, and stores nothing', async () => {
    const { g, web, receiver, app, s } = await setup();
    await web.get(app('/webhooks/new'));
    receiver.challengeMode = 'wrong';
    const wrong = await web.post(app('/webhooks'), { webhook_url: receiver.url, trigger_types: 'message.created' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toMatch(/<p class="field-error" id="f-webhook_url-error">webhook_url: the endpoint did not echo the challenge value; it must answer GET /);
    expect(wrong.text).toContain(`value="${receiver.url}"`);
    receiver.challengeMode = 'echo';
    const none = await web.post(app('/webhooks'), { webhook_url: receiver.url });
    expect(none.status).toBe(400);
    expect(none.text).toMatch(/<p class="field-error" id="f-trigger_types-error">trigger_types: a non-empty list of /);
    const scheme = await web.post(app('/webhooks'), { webhook_url: 'ftp://example.com/x', trigger_types: 'message.created' });
    expect(scheme.status).toBe(400);
    expect(scheme.text).toContain('webhook_url: must start with http:// or https:// (not ftp://)');
    expect(s.webhooks.list(g.appId)).toEqual([]);
  });

  it("answers 404 for another application's webhook and leaves it alone", async () => {
    const { g, web, receiver, app, s } = await setup();
    const other = s.applications.create('other');
    const hook = await s.webhooks.create(other.id, { url: receiver.url, triggerTypes: ['message.created'] });
    await web.get(app('/webhooks'));
    expect((await web.get(app(`/webhooks/${hook.id}`))).status).toBe(404);
    for (const action of ['/rotate', '/pause', '/test', '/delete', '']) {
      const res = await web.post(app(`/webhooks/${hook.id}${action}`), { webhook_url: receiver.url, trigger_types: 'grant.created' });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(hook.secret);
    }
    expect(s.webhooks.get(other.id, hook.id)).toMatchObject({ secret: hook.secret, status: 'active', triggerTypes: ['message.created'] });
    expect((await web.get(`/dashboard/apps/${g.appId}/webhooks`)).text).not.toContain(receiver.url);
  });
});
