// Issue 10, item 6 (REST API): an application's API key cannot read, list, change or learn the
// existence of another application's grants, messages, attachments, folders, webhooks,
// policies, rules, lists, workspaces or rule evaluations.
//
// The routes are read from src/api/routes/index.ts (ROUTES), so a new route is covered the day
// it is added; a route with a path parameter this file cannot fill fails the test. For every
// route and every path parameter naming an application's object, the route is called with
// application A's key and application B's object in that place (A's own objects elsewhere),
// and again with an id of the same form that exists nowhere: the two answers must be the same
// status, error type and message (the id itself aside). Ids also travel in bodies and query
// strings (workspace_id, policy_id, rule_ids, in_list values, folders, reply_to_message_id, in,
// message_id): the same comparison. Lists answered to A hold nothing of B's, and B's objects
// are unchanged afterwards. Domains belong to the organization (PRODUCT.md: "domains belong to
// the organization and any application may use them"), and an address is unique across the
// installation because mail is routed by address: both by design, and checked as such.
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/api/routes/index.js';
import { type ApiReply, api } from '../helpers/api.js';
import type { TestGateway } from '../helpers/gateway.js';
import { figure } from './figures.js';
import { type Kind, type Objects, phantom, stateOf, twoApplications } from './isolation-world.js';

/** What a path parameter names, from its name and the route. Unknown: the test fails, naming the route. */
function kindOf(param: string, path: string): Kind | null {
  const byName: Record<string, Kind> = { grantId: 'grant', messageId: 'message', attachmentId: 'attachment', folderId: 'folder', domainId: 'domain' };
  if (byName[param]) return byName[param]!;
  if (param === 'id') {
    const section = /^\/v3\/(workspaces|policies|rules|lists|webhooks)\b/.exec(path)?.[1];
    const bySection: Record<string, Kind> = { workspaces: 'workspace', policies: 'policy', rules: 'rule', lists: 'list', webhooks: 'webhook' };
    if (section) return bySection[section]!;
  }
  return null;
}

type Ids = Objects;

/** A valid body per route (so that the id, not the body, decides the answer); `{}` otherwise. */
function bodyFor(method: string, path: string): unknown {
  const key = `${method} ${path}`;
  const bodies: Record<string, unknown> = {
    'PATCH /v3/grants/:grantId': { name: 'Renamed' },
    'PUT /v3/grants/:grantId/messages/:messageId': { unread: false, starred: true },
    'POST /v3/grants/:grantId/messages/send': { to: [{ email: 'someone@remote.example' }], subject: 'probe', body: 'probe' },
    'POST /v3/grants/:grantId/folders': { name: 'Probe' },
    'PUT /v3/grants/:grantId/folders/:folderId': { name: 'Probe renamed' },
    'PATCH /v3/workspaces/:id': { name: 'Probe' },
    'PUT /v3/policies/:id': { name: 'Probe' },
    'PUT /v3/rules/:id': { name: 'Probe' },
    'PUT /v3/lists/:id': { name: 'Probe' },
    'POST /v3/lists/:id/items': { items: ['probe@remote.example'] },
    'DELETE /v3/lists/:id/items': { items: ['probe@remote.example'] },
    'PUT /v3/webhooks/:id': { description: 'probe' },
  };
  if (key in bodies) return bodies[key];
  return method === 'GET' || method === 'DELETE' ? undefined : {};
}

interface Answer {
  status: number;
  type: unknown;
  message: string;
  contentType: string | null;
}

function answer(reply: ApiReply, ids: string[]): Answer {
  let message = typeof reply.body === 'object' && reply.body ? String(reply.body.error?.message ?? '') : reply.text.slice(0, 200);
  for (const id of ids) message = message.split(id).join('<id>');
  return { status: reply.status, type: reply.body?.error?.type, message, contentType: reply.headers.get('content-type') };
}

/** Everything application B has, as B's key reads it: must be the same before and after. */
async function stateOfB(g: TestGateway, keyB: string, b: Ids): Promise<string> {
  const services = stateOf(g, b);
  const paths = [
    '/v3/grants',
    `/v3/grants/${b.grant}`,
    `/v3/grants/${b.grant}/messages`,
    `/v3/grants/${b.grant}/messages/${b.message}`,
    `/v3/grants/${b.grant}/folders`,
    `/v3/grants/${b.grant}/rule-evaluations`,
    '/v3/workspaces',
    '/v3/policies',
    '/v3/rules',
    '/v3/lists',
    `/v3/lists/${b.list}/items`,
    '/v3/webhooks',
  ];
  const parts: string[] = [];
  for (const path of paths) {
    const r = await api(g, keyB, 'GET', path);
    parts.push(`${path} ${r.status} ${JSON.stringify(r.body.data)}`);
  }
  const raw = await api(g, keyB, 'GET', `/v3/grants/${b.grant}/messages/${b.message}/raw`);
  parts.push(raw.text, services);
  return parts.join('\n');
}

describe('REST API isolation between applications', () => {
  it("every route with an id answers for another application's object exactly as for one that does not exist", async () => {
    const { g, keyA, keyB, a, b } = await twoApplications();
    const before = await stateOfB(g, keyB, b);
    const leaks: string[] = [];
    const unknown: string[] = [];
    let checks = 0;
    let routesWithIds = 0;
    const statuses = new Map<number, number>();

    const compare = async (label: string, method: string, target: { path: string; body?: unknown }, control: { path: string; body?: unknown }, idsT: string[], idsC: string[]) => {
      const [rt, rc] = [await api(g, keyA, method, target.path, target.body), await api(g, keyA, method, control.path, control.body)];
      checks++;
      const [at, ac] = [answer(rt, idsT), answer(rc, idsC)];
      statuses.set(rt.status, (statuses.get(rt.status) ?? 0) + 1);
      if (rt.status === 401) leaks.push(`${label}: ${method} ${target.path}: 401, the key was refused: this check proves nothing`);
      if (rt.status < 300) leaks.push(`${label}: ${method} ${target.path} answered ${rt.status} with B's object: ${rt.text.slice(0, 300)}`);
      else if (JSON.stringify(at) !== JSON.stringify(ac)) leaks.push(`${label}: ${method} ${target.path}\n  B's id:      ${JSON.stringify(at)}\n  no such id:  ${JSON.stringify(ac)}`);
      // Nothing of B's comes back, but what the caller typed itself (a "not found" names the id).
      const typed = `${decodeURIComponent(target.path)} ${JSON.stringify(target.body ?? '')}`.toLowerCase();
      for (const name of [...b.names, b.email]) {
        if (rt.text.toLowerCase().includes(name.toLowerCase()) && !typed.includes(name.toLowerCase())) leaks.push(`${label}: ${method} ${target.path} answered with ${name}`);
      }
    };

    for (const route of ROUTES) {
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      if (params.length === 0) continue;
      const kinds = params.map((p) => kindOf(p, route.path));
      if (kinds.includes(null)) {
        unknown.push(`${route.method} ${route.path}`);
        continue;
      }
      routesWithIds++;
      // Domains are the organization's: both applications see the same ones (checked below).
      if (kinds.includes('domain')) continue;
      const build = (ids: (string | undefined)[]) => route.path.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(ids[params.indexOf(p)]!));
      // Each parameter in turn holds B's object (the others A's own), then all of them do.
      const variants: number[][] = params.map((_, i) => [i]);
      if (params.length > 1) variants.push(params.map((_, i) => i));
      for (const which of variants) {
        const targetIds = kinds.map((k, i) => (which.includes(i) ? b[k!] : a[k!]));
        const controlIds = kinds.map((k, i) => (which.includes(i) ? phantom(b[k!]) : a[k!]));
        const body = bodyFor(route.method, route.path);
        const swapped = which.map((i) => targetIds[i]!);
        await compare('path id', route.method, { path: build(targetIds), body }, { path: build(controlIds), body }, swapped, swapped.map(phantom));
      }
      // A grant named by address: B's, in mixed case, against an address nobody has.
      if (kinds[0] === 'grant') {
        for (const email of [b.email, b.email.toUpperCase(), `Bob@${b.email.split('@')[1]!.toUpperCase()}`]) {
          const other = email.replace(/bob/i, (m) => (m === 'bob' ? 'qqq' : m === 'BOB' ? 'QQQ' : 'Qqq'));
          const ids = kinds.map((k) => a[k!]);
          await compare(
            'grant by address',
            route.method,
            { path: build([email, ...ids.slice(1)]), body: bodyFor(route.method, route.path) },
            { path: build([other, ...ids.slice(1)]), body: bodyFor(route.method, route.path) },
            [email],
            [other],
          );
        }
      }
    }

    // Ids in query strings and bodies.
    const fake = (kind: Kind) => phantom(b[kind]);
    const viaBody: { label: string; method: string; path: string; body: (id: string) => unknown; kind: Kind; query?: boolean }[] = [
      { label: 'in= folder', method: 'GET', path: `/v3/grants/${a.grant}/messages?in=`, body: () => undefined, kind: 'folder', query: true },
      { label: 'download ?message_id', method: 'GET', path: `/v3/grants/${a.grant}/attachments/${encodeURIComponent(a.attachment)}/download?message_id=`, body: () => undefined, kind: 'message', query: true },
      { label: 'connect workspace_id', method: 'POST', path: '/v3/connect/custom', body: (id) => ({ provider: 'nylas', workspace_id: id, settings: { email: 'new-probe@agents.example.com' } }), kind: 'workspace' },
      { label: 'grant workspace_id', method: 'PATCH', path: `/v3/grants/${a.grant}`, body: (id) => ({ workspace_id: id }), kind: 'workspace' },
      { label: 'workspace policy_id', method: 'POST', path: '/v3/workspaces', body: (id) => ({ name: 'probe-ws', policy_id: id }), kind: 'policy' },
      { label: 'workspace rule_ids', method: 'POST', path: '/v3/workspaces', body: (id) => ({ name: 'probe-ws', rule_ids: [id] }), kind: 'rule' },
      { label: 'workspace update policy_id', method: 'PATCH', path: `/v3/workspaces/${a.workspace}`, body: (id) => ({ policy_id: id }), kind: 'policy' },
      { label: 'workspace update rule_ids', method: 'PATCH', path: `/v3/workspaces/${a.workspace}`, body: (id) => ({ rule_ids: [id] }), kind: 'rule' },
      {
        label: 'rule in_list',
        method: 'POST',
        path: '/v3/rules',
        body: (id) => ({ name: 'probe-rule', match: { operator: 'any', conditions: [{ field: 'from.address', operator: 'in_list', value: [id] }] }, actions: [{ type: 'mark_as_read' }] }),
        kind: 'list',
      },
      { label: 'message folders', method: 'PUT', path: `/v3/grants/${a.grant}/messages/${a.message}`, body: (id) => ({ folders: [id] }), kind: 'folder' },
      { label: 'send reply_to_message_id', method: 'POST', path: `/v3/grants/${a.grant}/messages/send`, body: (id) => ({ to: [{ email: 'x@remote.example' }], subject: 's', body: 'b', reply_to_message_id: id }), kind: 'message' },
    ];
    for (const v of viaBody) {
      const [t, c] = [b[v.kind], fake(v.kind)];
      await compare(
        v.label,
        v.method,
        { path: v.query ? `${v.path}${encodeURIComponent(t)}` : v.path, body: v.body(t) },
        { path: v.query ? `${v.path}${encodeURIComponent(c)}` : v.path, body: v.body(c) },
        [t],
        [c],
      );
    }

    // Lists: what A's key can list holds nothing of B's.
    const ids = [b.grant, b.message, b.folder, b.workspace, b.policy, b.rule, b.list, b.webhook, b.apiKey, b.queue].map(String);
    const secrets = [...ids, b.email, ...b.names];
    const listings = [
      ...ROUTES.filter((r) => r.method === 'GET' && !r.path.includes(':')).map((r) => r.path),
      `/v3/grants/${a.grant}/messages?any_email=${encodeURIComponent(b.email)}`,
      `/v3/grants/${a.grant}/messages?search_query_native=${encodeURIComponent("TEXT bob-body-7q")}`,
      `/v3/grants/${a.grant}/messages?from=vip-bob%40remote.example`,
      `/v3/grants?email=${encodeURIComponent(b.email)}`,
      `/v3/grants/${a.grant}/rule-evaluations`,
      `/v3/lists/${a.list}/items`,
    ];
    for (const path of listings) {
      const r = await api(g, keyA, 'GET', path);
      checks++;
      expect(r.status, `${path}: ${r.text.slice(0, 200)}`).toBe(200);
      // Ids as JSON strings (a folder id "14" is not the 14 of a timestamp); names and addresses anywhere.
      for (const s of secrets) if (r.text.includes(ids.includes(s) ? JSON.stringify(s) : s)) leaks.push(`GET ${path} lists ${s}`);
    }

    // By design: domains are the organization's, the same to every application.
    const domainsA = await api(g, keyA, 'GET', '/v3/domains');
    const domainsB = await api(g, keyB, 'GET', '/v3/domains');
    expect(domainsA.body.data).toEqual(domainsB.body.data);
    // By design: an address is unique across the installation (mail is routed by address), so
    // creating B's address from A is refused — with the answer any taken address gets.
    const taken = await api(g, keyA, 'POST', '/v3/connect/custom', { provider: 'nylas', settings: { email: b.email } });
    const takenOwn = await api(g, keyA, 'POST', '/v3/connect/custom', { provider: 'nylas', settings: { email: a.email } });
    expect(taken.status).toBe(409);
    expect(answer(taken, [b.email])).toEqual(answer(takenOwn, [a.email]));

    figure('api isolation routes with ids (from ROUTES)', routesWithIds, 'routes');
    figure('api isolation checks', checks, 'checks');
    figure('api isolation leaks', leaks.length);
    figure('api isolation answers to B ids by status', JSON.stringify(Object.fromEntries(statuses)));
    expect(unknown, 'routes with a path parameter this test cannot fill: teach kindOf() its kind').toEqual([]);
    expect(leaks).toEqual([]);
    expect(await stateOfB(g, keyB, b)).toBe(before);
  });
});
