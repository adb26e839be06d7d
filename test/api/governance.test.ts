// The governance API: workspaces, policies, rules, lists and items — shapes, PATCH/PUT
// semantics (null detaches, arrays replace), references that block deletes, and a 400 naming
// the field for each bad input the issue lists, with nothing stored.
import { describe, expect, it } from 'vitest';
import { api, apiKey } from '../helpers/api.js';
import { startTestGateway } from '../helpers/gateway.js';

describe('governance API', () => {
  it('creates, reads, updates and deletes policies, rules, lists and workspaces, with references enforced', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const policy = await api(g, key, 'POST', '/v3/policies', {
      name: 'Standard',
      limits: { limit_count_daily_email_sent: 100, limit_inbox_retention_period: 30, limit_spam_retention_period: 7 },
      spam_detection: { use_header_anomaly_detection: true, spam_sensitivity: 1.5 },
      // Hosted-API fields Wicket takes nothing from are left out, not refused.
      options: { additional_folders: [] },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    expect(policy.body.data).toMatchObject({
      name: 'Standard',
      limits: { limit_count_daily_email_sent: 100 },
      spam_detection: { use_header_anomaly_detection: true, use_list_dnsbl: false, spam_sensitivity: 1.5 },
    });
    const policyId = policy.body.data.id as string;
    // PUT merges: the untouched limits stay; a limit set to null goes back to the default.
    const updated = await api(g, key, 'PUT', `/v3/policies/${policyId}`, { limits: { limit_count_daily_email_sent: null, limit_storage_total: -1 } });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.data.limits).toEqual({ limit_inbox_retention_period: 30, limit_spam_retention_period: 7, limit_storage_total: -1 });

    const list = await api(g, key, 'POST', '/v3/lists', { name: 'VIP', type: 'address', description: 'people' });
    const listId = list.body.data.id as string;
    const added = await api(g, key, 'POST', `/v3/lists/${listId}/items`, { items: [' Boss@Corp.Example ', 'boss@corp.example', 'cfo@corp.example'] });
    expect(added.body.data.items_count).toBe(2);
    const items = await api(g, key, 'GET', `/v3/lists/${listId}/items?limit=1`);
    expect(items.body.data).toEqual([expect.objectContaining({ value: 'boss@corp.example', list_id: listId })]);
    const page2 = await api(g, key, 'GET', `/v3/lists/${listId}/items?limit=1&page_token=${items.body.next_cursor}`);
    expect(page2.body.data.map((i: { value: string }) => i.value)).toEqual(['cfo@corp.example']);
    expect(page2.body.next_cursor ?? null).toBeNull();
    const removed = await api(g, key, 'DELETE', `/v3/lists/${listId}/items`, { items: ['cfo@corp.example', 'nobody@corp.example'] });
    expect(removed.body.data.items_count).toBe(1);

    const rule = await api(g, key, 'POST', '/v3/rules', {
      name: 'VIP first',
      priority: 1,
      match: { operator: 'any', conditions: [{ field: 'from.address', operator: 'in_list', value: [listId] }] },
      actions: [{ type: 'mark_as_starred' }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(200);
    expect(rule.body.data).toMatchObject({ enabled: true, trigger: 'inbound', priority: 1 });
    const ruleId = rule.body.data.id as string;

    const ws = await api(g, key, 'POST', '/v3/workspaces', { name: 'Sales', policy_id: policyId, rule_ids: [ruleId] });
    expect(ws.status, JSON.stringify(ws.body)).toBe(200);
    expect(ws.body.data).toMatchObject({ name: 'Sales', default: false, policy_id: policyId, rule_ids: [ruleId] });
    const wsId = ws.body.data.workspace_id as string;

    // Still referenced: the policy and the list cannot go (409, named).
    const delPolicy = await api(g, key, 'DELETE', `/v3/policies/${policyId}`);
    expect(delPolicy.status).toBe(409);
    expect(delPolicy.body.error.message).toContain('"Sales"');
    expect((await api(g, key, 'DELETE', `/v3/lists/${listId}`)).status).toBe(409);

    // PATCH: an omitted field is kept; null detaches the policy; [] detaches every rule.
    expect((await api(g, key, 'PATCH', `/v3/workspaces/${wsId}`, { name: 'Sales EU' })).body.data).toMatchObject({ policy_id: policyId, rule_ids: [ruleId] });
    expect((await api(g, key, 'PATCH', `/v3/workspaces/${wsId}`, { policy_id: null })).body.data).toMatchObject({ policy_id: null, rule_ids: [ruleId] });
    expect((await api(g, key, 'PATCH', `/v3/workspaces/${wsId}`, { rule_ids: [] })).body.data.rule_ids).toEqual([]);
    expect((await api(g, key, 'DELETE', `/v3/policies/${policyId}`)).status).toBe(200);

    // Deleting a rule takes it off the workspaces that name it.
    await api(g, key, 'PATCH', `/v3/workspaces/${wsId}`, { rule_ids: [ruleId] });
    expect((await api(g, key, 'DELETE', `/v3/rules/${ruleId}`)).status).toBe(200);
    expect((await api(g, key, 'GET', `/v3/workspaces/${wsId}`)).body.data.rule_ids).toEqual([]);
    expect((await api(g, key, 'DELETE', `/v3/lists/${listId}`)).status).toBe(200);

    // The default workspace takes only policy and rules.
    const def = (await api(g, key, 'GET', '/v3/workspaces')).body.data.find((w: { default: boolean }) => w.default);
    const rename = await api(g, key, 'PATCH', `/v3/workspaces/${def.workspace_id}`, { name: 'Renamed' });
    expect(rename.status).toBe(400);
  });

  it.each([
    ['a rule with block and another action', '/v3/rules', { name: 'r', match: { conditions: [{ field: 'from.domain', operator: 'is', value: 'x.example' }] }, actions: [{ type: 'block' }, { type: 'mark_as_read' }] }, 'actions['],
    ['an unknown field', '/v3/rules', { name: 'r', match: { conditions: [{ field: 'subject', operator: 'is', value: 'x' }] }, actions: [{ type: 'trash' }] }, 'match.conditions[0].field'],
    ['an unknown operator', '/v3/rules', { name: 'r', match: { conditions: [{ field: 'from.domain', operator: 'matches', value: 'x' }] }, actions: [{ type: 'trash' }] }, 'match.conditions[0].operator'],
    ['priority out of range', '/v3/rules', { name: 'r', priority: 1001, match: { conditions: [{ field: 'from.domain', operator: 'is', value: 'x.example' }] }, actions: [{ type: 'trash' }] }, 'priority'],
    ['a recipient field on an inbound rule', '/v3/rules', { name: 'r', match: { conditions: [{ field: 'recipient.domain', operator: 'is', value: 'x.example' }] }, actions: [{ type: 'trash' }] }, 'match.conditions[0].field'],
    ['spam retention >= inbox retention', '/v3/policies', { name: 'p', limits: { limit_inbox_retention_period: 7, limit_spam_retention_period: 7 } }, 'limits.limit_spam_retention_period'],
    ['a negative limit other than -1', '/v3/policies', { name: 'p', limits: { limit_storage_total: -2 } }, 'limits.limit_storage_total'],
    ['spam sensitivity out of range', '/v3/policies', { name: 'p', spam_detection: { spam_sensitivity: 9 } }, 'spam_detection.spam_sensitivity'],
    ['an unknown limit', '/v3/policies', { name: 'p', limits: { limit_everything: 1 } }, 'limits.limit_everything'],
    ['a list of an unknown type', '/v3/lists', { name: 'l', type: 'ip' }, 'type'],
  ])('%s: 400 naming the field, nothing stored', async (_, path, body, field) => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const res = await api(g, key, 'POST', path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.type).toBe('api.invalid_request_error');
    expect(res.body.error.message).toContain(field);
    expect((await api(g, key, 'GET', path)).body.data).toEqual([]);
  });

  it('in_list with a list of the wrong type, and list items that are not valid: 400 naming the value', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const list = (await api(g, key, 'POST', '/v3/lists', { name: 'domains', type: 'domain' })).body.data;
    const rule = await api(g, key, 'POST', '/v3/rules', {
      name: 'r',
      match: { conditions: [{ field: 'from.address', operator: 'in_list', value: [list.id] }] },
      actions: [{ type: 'trash' }],
    });
    expect(rule.status).toBe(400);
    expect(rule.body.error.message).toContain('match.conditions[0].value');
    const bad = await api(g, key, 'POST', `/v3/lists/${list.id}/items`, { items: ['good.example', 'not a domain'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('items[1]');
    expect((await api(g, key, 'GET', `/v3/lists/${list.id}`)).body.data.items_count).toBe(0);
    const tooMany = await api(g, key, 'POST', `/v3/lists/${list.id}/items`, { items: Array.from({ length: 1001 }, (_, i) => `d${i}.example`) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('items');
  });

  it("another application cannot see or use this one's policies, rules and lists", async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const other = g.gateway.services.applications.create('other');
    const otherKey = g.gateway.services.apiKeys.create(other.id, 'k').secret;
    const policy = (await api(g, key, 'POST', '/v3/policies', { name: 'mine' })).body.data;
    expect((await api(g, otherKey, 'GET', `/v3/policies/${policy.id}`)).status).toBe(404);
    expect((await api(g, otherKey, 'GET', '/v3/policies')).body.data).toEqual([]);
    const def = (await api(g, otherKey, 'GET', '/v3/workspaces')).body.data[0];
    const attach = await api(g, otherKey, 'PATCH', `/v3/workspaces/${def.workspace_id}`, { policy_id: policy.id });
    expect(attach.status).toBe(400);
    expect(attach.body.error.message).toContain('policy');
  });
});
