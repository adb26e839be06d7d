// The dashboard's API keys (the key shown once, never listed, working against the API until
// revoked) and outbound queue (this application's entries, retry and delete; another
// application's entries out of reach).
import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/store/types.js';
import { api } from '../helpers/api.js';
import { PASSWORD, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startSink } from '../helpers/sink.js';
import { member, WebClient } from '../helpers/web.js';
import { until } from '../webhooks/helpers.js';

async function signedIn(env: Record<string, string> = {}) {
  const g = await startTestGateway({ WICKET_BCRYPT_COST: '4', ...env });
  await member(g, 'admin@example.com');
  await member(g, 'dev@example.com', 'member');
  const web = WebClient.for(g);
  await web.signIn('dev@example.com');
  const app = (rest: string) => `/dashboard/apps/${g.appId}${rest}`;
  return { g, web, app, s: g.gateway.services };
}

/** Sends a message from `account` to a remote address, as SMTP submission would. */
async function sendOut(g: TestGateway, account: Account, to: string): Promise<string> {
  const result = await g.gateway.pipeline.deliver(
    { kind: 'submission', account, peer: { address: '127.0.0.1', helo: 'test', protocol: 'ESMTPSA', tls: null } },
    { mailFrom: account.email, recipients: [{ address: to, dsn: null }] },
    Buffer.from(`From: ${account.email}\r\nTo: ${to}\r\nSubject: out\r\n\r\nhello\r\n`),
  );
  return result.queued[0]!.id;
}

describe('dashboard API keys', () => {
  it('shows a new key once, lists it by prefix only, and the key works until it is revoked', async () => {
    const { g, web, app, s } = await signedIn();
    await web.get(app('/api-keys'));
    const created = await web.post(app('/api-keys'), { name: 'billing service' });
    expect(created.status).toBe(200);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const secret = /<code id="api-key-secret">(wk_[A-Za-z0-9_-]{43})<\/code>/.exec(created.text)?.[1];
    expect(secret).toBeDefined();
    expect(created.text).toContain('<button type="button" data-copy="#api-key-secret" hidden>Copy</button>');
    expect(created.text).toContain('it is not shown again');
    const [key] = s.apiKeys.list(g.appId);
    expect(key).toMatchObject({ name: 'billing service', prefix: secret!.slice(0, 10), revokedAt: null });

    const list = await web.get(app('/api-keys'));
    expect(list.text).toContain('billing service');
    expect(list.text).toContain(`<code>${key!.prefix}…</code>`);
    expect(list.text).not.toContain(secret!);

    const grants = await api(g, secret!, 'GET', '/v3/grants');
    expect(grants.status).toBe(200);
    expect((await web.get(app('/api-keys'))).text).not.toMatch(/<td>never<\/td>\s*<td><span class="badge ok">active/);

    const revoked = await web.post(app(`/api-keys/${key!.id}/revoke`));
    expect(revoked.status).toBe(303);
    expect((await api(g, secret!, 'GET', '/v3/grants')).status).toBe(401);
    const after = await web.get(app('/api-keys'));
    expect(after.text).toContain('<span class="badge bad">revoked</span>');
    expect(after.text).not.toContain(`/api-keys/${key!.id}/revoke`);
    expect(s.team.activity.list().map((a) => [a.action, a.actorLabel])).toEqual(
      expect.arrayContaining([
        ['api_key.revoked', 'dev@example.com'],
        ['api_key.created', 'dev@example.com'],
      ]),
    );
    expect(JSON.stringify(s.team.activity.list())).not.toContain(secret!);
  });

  it('shows a bad name next to its field, and answers 404 for another application’s key', async () => {
    const { g, web, app, s } = await signedIn();
    await web.get(app('/api-keys'));
    const bad = await web.post(app('/api-keys'), { name: 'naïve\u0001' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<p class="field-error" id="f-name-error">name: 1–100 printable ASCII characters</p>');
    expect(s.apiKeys.list(g.appId)).toEqual([]);
    const other = s.applications.create('other');
    const theirs = s.apiKeys.create(other.id, 'theirs');
    expect((await web.post(app(`/api-keys/${theirs.key.id}/revoke`))).status).toBe(404);
    expect(s.apiKeys.list(other.id)[0]!.revokedAt).toBeNull();
    expect((await web.get(app('/api-keys'))).text).not.toContain('theirs');
  });
});

describe('dashboard outbound queue', () => {
  it('lists held mail with the relay off, says why retry cannot send it, and deletes it', async () => {
    const { g, web, app, s } = await signedIn();
    const alice = await g.account('alice');
    const id = await sendOut(g, alice, 'jane@remote.example');
    const page = await web.get(app('/queue'));
    expect(page.status).toBe(200);
    expect(page.text).toContain('The queue is shared by the installation; only this application');
    expect(page.text).toContain('WICKET_RELAY=none');
    expect(page.text).toMatch(new RegExp(`<tr id="entry-${id}">\\s*<td><span class="badge">held</span>[\\s\\S]*?jane@remote\\.example`));

    const retry = await web.post(app(`/queue/${id}/retry`));
    expect(retry.status).toBe(400);
    expect(retry.text).toContain('WICKET_RELAY is &quot;none&quot;: there is no relay to send through, so held mail stays held');
    expect(s.queue.get(id)!.status).toBe('held');

    const deleted = await web.post(app(`/queue/${id}/delete`));
    expect(deleted.status).toBe(303);
    expect(s.queue.get(id)).toBeUndefined();
    const after = await web.get(app('/queue'));
    expect(after.text).toContain('The entry to jane@remote.example is deleted');
    expect(after.text).toContain('Nothing is waiting.');
    expect(s.team.activity.list()[0]).toMatchObject({ action: 'queue.deleted', objectId: id, detail: { to: 'jane@remote.example' } });
  });

  it('shows the last error of a deferred entry and retries it now', async () => {
    const sink = await startSink({ data: (n) => (n === 0 ? { code: 451, text: '4.3.0 try again later' } : undefined) });
    const { g, web, app, s } = await signedIn({ WICKET_RELAY: `smtp://127.0.0.1:${sink.port}` });
    const alice = await g.account('alice');
    const id = await sendOut(g, alice, 'jane@remote.example');
    await until(() => s.queue.get(id)!.attempts === 1 && s.queue.get(id)!.status === 'queued');
    const page = await web.get(app('/queue'));
    expect(page.text).toMatch(new RegExp(`<tr id="entry-${id}">[\\s\\S]*?<td>1</td>[\\s\\S]*?<time datetime=[\\s\\S]*?451[^<]*try again later`));

    const retried = await web.post(app(`/queue/${id}/retry`));
    expect(retried.status).toBe(303);
    g.gateway.queue!.wake();
    await until(() => s.queue.get(id)!.status === 'delivered');
    expect(sink.received).toHaveLength(1);
    expect((await web.get(app('/queue'))).text).not.toContain(`entry-${id}`);
    expect(s.team.activity.list()[0]).toMatchObject({ action: 'queue.retried', objectId: id });
  });

  it("neither lists nor touches another application's entries", async () => {
    const { g, web, app, s } = await signedIn();
    const other = s.applications.create('other');
    const bob = await s.accounts.create(other.id, { email: 'bob@agents.example.com', appPassword: PASSWORD });
    const id = await sendOut(g, bob, 'carol@remote.example');
    const page = await web.get(app('/queue'));
    expect(page.text).not.toContain('carol@remote.example');
    expect((await web.post(app(`/queue/${id}/delete`))).status).toBe(404);
    expect((await web.post(app(`/queue/${id}/retry`))).status).toBe(404);
    expect(s.queue.get(id)!.status).toBe('held');
    const theirs = await web.get(`/dashboard/apps/${other.id}/queue`);
    expect(theirs.text).toContain('carol@remote.example');
  });
});
