// Two applications of one organization, each with one object of every kind, made through the
// REST API with its own key: an account (grant) with an app password, a delivered message with
// an attachment (so a rule evaluation exists too), a folder, a workspace with a policy and a
// rule that uses a list, a webhook, an API key and a held outbound message. The isolation tests
// of the API and the dashboard point application A's credentials at application B's objects.
import { expect } from 'vitest';
import { api } from '../helpers/api.js';
import { PASSWORD, type TestGateway, startTestGateway } from '../helpers/gateway.js';
import { startReceiver } from '../webhooks/helpers.js';

export type Kind = 'grant' | 'message' | 'attachment' | 'folder' | 'workspace' | 'policy' | 'rule' | 'list' | 'webhook' | 'domain' | 'apiKey' | 'queue';

export interface Objects extends Record<Kind, string> {
  application: string;
  email: string;
  /** The attachment's part path inside its message (the dashboard names parts so). */
  part: string;
  /** Names and texts only this application's objects hold. */
  names: string[];
}

/** An id of the same form that names nothing: every letter and digit shifted (numbers: far out of range). */
export function phantom(id: string): string {
  // Folder ids are small integers: a shifted digit could be someone's; far beyond any is no one's.
  if (/^\d+$/.test(id)) return String(Number(id) + 1_000_000);
  const hex = /^[0-9a-f-]+$/i.test(id);
  return id.replace(/[0-9a-zA-Z]/g, (c) => {
    if (/[0-9]/.test(c)) return String((Number(c) + 3) % 10);
    const base = c >= 'a' ? 97 : 65;
    return String.fromCharCode(base + (hex ? (c.charCodeAt(0) - base + 2) % 6 : (c.charCodeAt(0) - base + 7) % 26));
  });
}

export interface TwoApplications {
  g: TestGateway;
  keyA: string;
  keyB: string;
  a: Objects;
  b: Objects;
}

export async function twoApplications(env: Record<string, string> = {}): Promise<TwoApplications> {
  // DNS that answers nothing at once: the spam checks of delivered mail do not wait on the network.
  const g = await startTestGateway({ WICKET_DNS_SERVERS: '127.0.0.1:9', WICKET_DNS_TIMEOUT_MS: '100', ...env });
  const { services } = g.gateway;
  const appB = services.applications.create('tenant-b');
  const keyA = services.apiKeys.create(g.appId, 'a').secret;
  const keyB = services.apiKeys.create(appB.id, 'b').secret;
  const receiver = await startReceiver();

  async function populate(application: string, key: string, local: string): Promise<Objects> {
    const ok = async (method: string, path: string, body?: unknown) => {
      const r = await api(g, key, method, path, body);
      expect(r.status, `${method} ${path}: ${r.text}`).toBe(200);
      return r.body.data;
    };
    const names = [`${local}-policy-7q`, `${local}-rule-7q`, `${local}-list-7q`, `${local}-ws-7q`, `${local}-folder-7q`, `${local}-hook-7q`, `${local}-subject-7q`, `${local}-body-7q`, `${local}-key-7q`, `${local}-queued-7q`];
    const policy = await ok('POST', '/v3/policies', { name: names[0] });
    const list = await ok('POST', '/v3/lists', { name: names[2], type: 'address' });
    await ok('POST', `/v3/lists/${list.id}/items`, { items: [`vip-${local}@remote.example`] });
    const rule = await ok('POST', '/v3/rules', {
      name: names[1],
      match: { operator: 'any', conditions: [{ field: 'from.address', operator: 'in_list', value: [list.id] }] },
      actions: [{ type: 'mark_as_starred' }],
    });
    const ws = await ok('POST', '/v3/workspaces', { name: names[3], policy_id: policy.id, rule_ids: [rule.id] });
    const grant = await ok('POST', '/v3/connect/custom', {
      provider: 'nylas',
      name: local,
      workspace_id: ws.workspace_id,
      settings: { email: `${local}@agents.example.com`, app_password: PASSWORD },
    });
    const folder = await ok('POST', `/v3/grants/${grant.id}/folders`, { name: names[4] });
    const account = services.store.directory.findAccountByEmail(`${local}@agents.example.com`)!;
    const raw = Buffer.from(
      [
        `From: vip-${local}@remote.example`,
        `To: ${local}@agents.example.com`,
        `Subject: ${names[6]}`,
        `Message-ID: <${local}-7q@remote.example>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="x"',
        '',
        '--x',
        'Content-Type: text/plain',
        '',
        names[7],
        '--x',
        `Content-Type: application/pdf; name="${local}.pdf"`,
        'Content-Disposition: attachment',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from(`${local}-attachment-7q`).toString('base64'),
        '--x--',
        '',
      ].join('\r\n'),
    );
    await g.gateway.pipeline.deliver(
      { kind: 'inbound', peer: { address: '192.0.2.1', helo: 'remote.example', protocol: 'ESMTP', tls: null } },
      { mailFrom: `vip-${local}@remote.example`, recipients: [{ address: account.email, dsn: null }] },
      raw,
    );
    const messages = await ok('GET', `/v3/grants/${grant.id}/messages`);
    expect(messages).toHaveLength(1);
    const message = messages[0];
    const hook = await ok('POST', '/v3/webhooks', { webhook_url: `${receiver.url}/${local}`, trigger_types: ['message.created'], description: names[5] });
    // Mail to the outside while the relay is off: held in the outbound queue.
    await ok('POST', `/v3/grants/${grant.id}/messages/send`, { to: [{ email: `far-${local}@remote.example` }], subject: names[9], body: 'held' });
    const queued = services.queue.list({ all: true }).find((e) => e.applicationId === application);
    expect(queued, `a held message of ${local}`).toBeDefined();
    const keyId = services.apiKeys.create(application, names[8]).key.id;
    const domains = await ok('GET', '/v3/domains');
    return {
      application,
      grant: grant.id,
      email: grant.email,
      message: message.id,
      attachment: message.attachments[0].id,
      part: '2',
      folder: String(folder.id),
      workspace: ws.workspace_id,
      policy: policy.id,
      rule: rule.id,
      list: list.id,
      webhook: hook.id,
      domain: domains[0].id,
      apiKey: keyId,
      queue: queued!.id,
      names,
    };
  }

  const a = await populate(g.appId, keyA, 'alice');
  const b = await populate(appB.id, keyB, 'bob');
  return { g, keyA, keyB, a, b };
}

/** Everything application B has, read through the services: must be the same before and after. */
export function stateOf(g: TestGateway, o: Objects): string {
  const s = g.gateway.services;
  const { store } = s;
  const accounts = store.directory.listAccounts(o.application);
  const mail = accounts.flatMap((acc) =>
    store.mail.listMailboxes(acc.id).flatMap((f) => [JSON.stringify(f), ...store.mail.listMessages(f.id).map((m) => `${JSON.stringify(m)} ${store.mail.readMessage(m.id)!.toString('base64')}`)]),
  );
  return [
    JSON.stringify(accounts),
    ...mail,
    JSON.stringify(s.workspaces.list(o.application)),
    JSON.stringify(s.policies.list(o.application)),
    JSON.stringify(s.rules.list(o.application)),
    JSON.stringify(s.lists.list(o.application)),
    JSON.stringify(s.lists.items(o.application, o.list, null, 1000)),
    JSON.stringify(s.webhooks.list(o.application)),
    JSON.stringify(s.apiKeys.list(o.application)),
    JSON.stringify(s.queue.list({ all: true }).filter((e) => e.applicationId === o.application)),
  ].join('\n');
}
