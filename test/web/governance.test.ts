// The dashboard's workspaces, policies, rules and lists: created and changed through the forms,
// the service's message next to the field it names (400, nothing stored), 409 when a policy or
// list is still used, and another application's objects out of reach (404).
import { describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/gateway.js';
import { member, WebClient } from '../helpers/web.js';

async function signedIn() {
  const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
  await member(g, 'admin@example.com');
  const web = WebClient.for(g);
  await web.signIn('admin@example.com');
  const s = g.gateway.services;
  const app = (rest: string) => `/dashboard/apps/${g.appId}${rest}`;
  return { g, web, s, app };
}

/** The message shown under a field (its id is f-<name with non-word characters as dashes>-error). */
const fieldError = (page: string, name: string): string | undefined =>
  new RegExp(`<p class="field-error" id="f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}-error">([^<]*)</p>`).exec(page)?.[1];

describe('dashboard policies', () => {
  it('creates a policy from the form and edits it; an empty limit is the installation default', async () => {
    const { web, s, g, app } = await signedIn();
    await web.get(app('/policies/new'));
    const created = await web.post(app('/policies'), {
      name: 'Small',
      'limits.limit_storage_total': '1048576',
      'limits.limit_inbox_retention_period': '30',
      'limits.limit_spam_retention_period': '7',
      'limits.limit_attachment_allowed_types': 'application/pdf, image/*',
      'limits.limit_count_daily_email_sent': '',
      'spam_detection.use_list_dnsbl': 'on',
      'spam_detection.spam_sensitivity': '2.5',
    });
    expect(created.status).toBe(303);
    const [policy] = s.policies.list(g.appId);
    expect(policy).toMatchObject({
      name: 'Small',
      limits: { limit_storage_total: 1048576, limit_inbox_retention_period: 30, limit_spam_retention_period: 7, limit_attachment_allowed_types: ['application/pdf', 'image/*'] },
      spamDetection: { use_list_dnsbl: true, use_header_anomaly_detection: false, spam_sensitivity: 2.5 },
    });
    expect(policy!.limits.limit_count_daily_email_sent).toBeUndefined();
    const list = await web.get(app('/policies'));
    expect(list.text).toContain('Small');
    const edit = await web.get(app(`/policies/${policy!.id}`));
    expect(edit.text).toContain('value="1048576"');
    expect(edit.text).toContain('value="application/pdf, image/*"');
    const saved = await web.post(app(`/policies/${policy!.id}`), {
      name: 'Smaller',
      'limits.limit_storage_total': '',
      'limits.limit_inbox_retention_period': '30',
      'limits.limit_spam_retention_period': '7',
      'spam_detection.spam_sensitivity': '1',
    });
    expect(saved.status).toBe(303);
    const after = s.policies.get(g.appId, policy!.id);
    expect(after.name).toBe('Smaller');
    expect(after.limits.limit_storage_total).toBeUndefined();
    expect(after.spamDetection.use_list_dnsbl).toBe(false);
    expect(s.team.activity.list().map((a) => a.action).slice(0, 2)).toEqual(['policy.updated', 'policy.created']);
  });

  it('shows the retention rule and a number it cannot read next to their fields, with 400, and stores nothing', async () => {
    const { web, s, g, app } = await signedIn();
    await web.get(app('/policies/new'));
    const retention = await web.post(app('/policies'), {
      name: 'Backwards',
      'limits.limit_inbox_retention_period': '7',
      'limits.limit_spam_retention_period': '30',
    });
    expect(retention.status).toBe(400);
    expect(fieldError(retention.text, 'limits.limit_spam_retention_period')).toBe(
      'limits.limit_spam_retention_period (30 days) must be below limits.limit_inbox_retention_period (7 days): Junk mail is kept for a shorter time than INBOX mail',
    );
    // What was typed stays in the form.
    expect(retention.text).toContain('value="Backwards"');
    const words = await web.post(app('/policies'), { name: 'Words', 'limits.limit_storage_total': 'ten megabytes' });
    expect(words.status).toBe(400);
    expect(fieldError(words.text, 'limits.limit_storage_total')).toBe('limits.limit_storage_total must be -1 (unlimited) or a whole number ≥ 0');
    const type = await web.post(app('/policies'), { name: 'Types', 'limits.limit_attachment_allowed_types': 'application/pdf not-a-type' });
    expect(type.status).toBe(400);
    expect(fieldError(type.text, 'limits.limit_attachment_allowed_types')).toMatch(/^limits\.limit_attachment_allowed_types\[1\] must be a MIME type/);
    const noName = await web.post(app('/policies'), { name: '' });
    expect(noName.status).toBe(400);
    expect(fieldError(noName.text, 'name')).toBe('name must not be empty');
    expect(s.policies.list(g.appId)).toEqual([]);
  });

  it('refuses to delete a policy a workspace uses (409, with the reason), then deletes it once detached', async () => {
    const { web, s, g, app } = await signedIn();
    const policy = s.policies.create(g.appId, { name: 'Attached' });
    const ws = s.workspaces.create(g.appId, { name: 'Team', policyId: policy.id });
    await web.get(app('/policies'));
    const refused = await web.post(app(`/policies/${policy.id}/delete`));
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('is attached to workspace &quot;Team&quot;; detach it first');
    expect(s.policies.list(g.appId)).toHaveLength(1);
    s.workspaces.update(g.appId, ws.id, { policyId: null });
    const done = await web.post(app(`/policies/${policy.id}/delete`));
    expect(done.status).toBe(303);
    expect(s.policies.list(g.appId)).toHaveLength(0);
  });
});

describe('dashboard rules and lists', () => {
  it('creates a list with items, a rule that uses it, and refuses to delete the list while the rule does', async () => {
    const { web, s, g, app } = await signedIn();
    await web.get(app('/lists/new'));
    const made = await web.post(app('/lists'), { name: 'Blocked', type: 'domain', description: '', items: 'Spam.Example\n\nbad.example\nspam.example' });
    expect(made.status).toBe(303);
    const [list] = s.lists.list(g.appId);
    expect(list).toMatchObject({ name: 'Blocked', type: 'domain', itemsCount: 2 });
    const page = await web.get(made.location!);
    expect(page.text).toContain('<code>spam.example</code>');
    expect(page.text).toContain(`<code id="list-id">${list!.id}</code>`);

    const added = await web.post(app(`/lists/${list!.id}/items`), { items: 'more.example' });
    expect(added.status).toBe(303);
    const removed = await web.post(app(`/lists/${list!.id}/items/remove`), { item: 'bad.example' });
    expect(removed.status).toBe(303);
    expect(s.lists.items(g.appId, list!.id, null, 10).map((i) => i.value)).toEqual(['more.example', 'spam.example']);

    await web.get(app('/rules/new'));
    const rule = await web.post(app('/rules'), {
      name: 'Junk the blocked',
      description: '',
      priority: '5',
      enabled: 'on',
      trigger: 'inbound',
      'match.operator': 'any',
      'match.conditions': `from.domain in_list ${list!.id}\nfrom.address contains promo`,
      actions: 'mark_as_spam\nassign_to_folder Promotions/Old offers',
    });
    expect(rule.status).toBe(303);
    const [r] = s.rules.list(g.appId);
    expect(r).toMatchObject({
      name: 'Junk the blocked',
      priority: 5,
      enabled: true,
      description: null,
      match: {
        operator: 'any',
        conditions: [
          { field: 'from.domain', operator: 'in_list', value: [list!.id] },
          { field: 'from.address', operator: 'contains', value: 'promo' },
        ],
      },
      actions: [{ type: 'mark_as_spam' }, { type: 'assign_to_folder', value: 'Promotions/Old offers' }],
    });
    const edit = await web.get(app(`/rules/${r!.id}`));
    expect(edit.text).toContain(`from.domain in_list ${list!.id}\nfrom.address contains promo</textarea>`);

    await web.get(app('/lists'));
    const refused = await web.post(app(`/lists/${list!.id}/delete`));
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(`list ${list!.id} is used by rule &quot;Junk the blocked&quot;; change those rules first`);
    expect(s.lists.list(g.appId)).toHaveLength(1);
  });

  it('shows a rule condition with an unknown field next to the conditions, with its line, and stores nothing', async () => {
    const { web, s, g, app } = await signedIn();
    await web.get(app('/rules/new'));
    const bad = await web.post(app('/rules'), {
      name: 'Subject rule',
      priority: '10',
      enabled: 'on',
      trigger: 'inbound',
      'match.operator': 'all',
      'match.conditions': 'from.domain is example.com\n\nfrom.subject contains invoice',
      actions: 'mark_as_read',
    });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.text, 'match.conditions')).toMatch(/^Line 3: match\.conditions\[1\]\.field must be one of from\.address, .* \(got &quot;from\.subject&quot;\)$/);
    expect(bad.text).toContain('from.subject contains invoice</textarea>');
    const outbound = await web.post(app('/rules'), {
      name: 'Outbound spam',
      trigger: 'outbound',
      'match.operator': 'all',
      'match.conditions': 'recipient.domain is example.com',
      actions: 'mark_as_read\nmark_as_spam',
    });
    expect(outbound.status).toBe(400);
    expect(fieldError(outbound.text, 'actions')).toMatch(/^Line 2: actions\[1\]\.type mark_as_spam is for inbound rules only/);
    const priority = await web.post(app('/rules'), {
      name: 'P',
      priority: 'first',
      trigger: 'inbound',
      'match.operator': 'all',
      'match.conditions': 'from.tld is io',
      actions: 'archive',
    });
    expect(fieldError(priority.text, 'priority')).toBe('priority must be a whole number from 0 to 1000 (lower runs first)');
    expect(s.rules.list(g.appId)).toEqual([]);
  });

  it('shows a bad list item with its line and creates no list', async () => {
    const { web, s, g, app } = await signedIn();
    await web.get(app('/lists/new'));
    const bad = await web.post(app('/lists'), { name: 'Partners', type: 'address', items: 'jane@example.com\nnot an address' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.text, 'items')).toMatch(/^Line 2: items\[1\] &quot;not an address&quot; is not a valid address/);
    expect(s.lists.list(g.appId)).toEqual([]);
  });
});

describe('dashboard workspaces', () => {
  it('creates a workspace with a domain, auto-grouping, a policy and a rule; edits and deletes it', async () => {
    const { web, s, g, app } = await signedIn();
    const policy = s.policies.create(g.appId, { name: 'Default limits' });
    const rule = s.rules.create(g.appId, { name: 'Read all', match: { conditions: [{ field: 'from.tld', operator: 'is', value: 'com' }] }, actions: [{ type: 'mark_as_read' }] });
    const form = await web.get(app('/workspaces/new'));
    expect(form.text).toContain('<option value="agents.example.com">agents.example.com</option>');
    expect(form.text).toContain(`value="${rule.id}"`);
    const made = await web.post(app('/workspaces'), { name: 'Agents', domain: 'agents.example.com', auto_group: 'on', policy_id: policy.id, rule_ids: rule.id });
    expect(made.status).toBe(303);
    const ws = s.workspaces.get(g.appId, 'Agents');
    expect(ws).toMatchObject({ domain: 'agents.example.com', autoGroup: true, policyId: policy.id, ruleIds: [rule.id] });
    // A new account on the domain lands in it.
    const alice = await g.account('alice');
    expect(alice.workspaceId).toBe(ws.id);

    const edit = await web.get(app(`/workspaces/${ws.id}`));
    expect(edit.text).toContain(`<option value="${policy.id}" selected>`);
    const saved = await web.post(app(`/workspaces/${ws.id}`), { name: 'Agents team', policy_id: '' });
    expect(saved.status).toBe(303);
    expect(s.workspaces.get(g.appId, ws.id)).toMatchObject({ name: 'Agents team', autoGroup: false, policyId: null, ruleIds: [] });

    const gone = await web.post(app(`/workspaces/${ws.id}/delete`));
    expect(gone.status).toBe(303);
    expect(s.workspaces.list(g.appId).map((w) => w.name)).toEqual(['Default']);
    expect(s.team.activity.list().map((a) => a.action).slice(0, 3)).toEqual(['workspace.deleted', 'workspace.updated', 'workspace.created']);
  });

  it('shows auto-grouping without a domain next to its checkbox, and a duplicate name as a conflict', async () => {
    const { web, s, g, app } = await signedIn();
    await web.get(app('/workspaces/new'));
    const bad = await web.post(app('/workspaces'), { name: 'Loose', domain: '', auto_group: 'on' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.text, 'auto_group')).toBe('auto_group needs a domain to group accounts by');
    expect(bad.text).toMatch(/id="f-auto_group" name="auto_group" value="on" checked aria-invalid="true"/);
    const dup = await web.post(app('/workspaces'), { name: 'Default' });
    expect(dup.status).toBe(409);
    expect(dup.text).toContain('a workspace named &quot;Default&quot; already exists in this application');
    expect(s.workspaces.list(g.appId)).toHaveLength(1);
  });

  it("answers 404 for another application's workspace, policy, rule and list, and changes nothing", async () => {
    const { web, s, app } = await signedIn();
    const other = s.applications.create('other');
    const ws = s.workspaces.create(other.id, { name: 'Theirs' });
    const policy = s.policies.create(other.id, { name: 'Theirs' });
    const rule = s.rules.create(other.id, { name: 'Theirs', match: { conditions: [{ field: 'from.tld', operator: 'is', value: 'com' }] }, actions: [{ type: 'archive' }] });
    const list = s.lists.create(other.id, { name: 'Theirs', type: 'tld' });
    await web.get(app('/workspaces'));
    for (const [kind, id] of [
      ['workspaces', ws.id],
      ['policies', policy.id],
      ['rules', rule.id],
      ['lists', list.id],
    ] as const) {
      expect((await web.get(app(`/${kind}/${id}`))).status).toBe(404);
      expect((await web.post(app(`/${kind}/${id}`), { name: 'Mine now' })).status).toBe(404);
      expect((await web.post(app(`/${kind}/${id}/delete`))).status).toBe(404);
    }
    expect((await web.post(app(`/lists/${list.id}/items`), { items: 'com' })).status).toBe(404);
    expect(s.workspaces.get(other.id, ws.id).name).toBe('Theirs');
    expect(s.policies.get(other.id, policy.id).name).toBe('Theirs');
    expect(s.rules.get(other.id, rule.id).name).toBe('Theirs');
    expect(s.lists.get(other.id, list.id)).toMatchObject({ name: 'Theirs', itemsCount: 0 });
    // A policy of the other application cannot be attached here either.
    await web.get(app('/workspaces/new'));
    const attach = await web.post(app('/workspaces'), { name: 'Mine', policy_id: policy.id });
    expect(attach.status).toBe(400);
    expect(fieldError(attach.text, 'policy_id')).toBe(`policy ${policy.id} does not exist in this application`);
  });
});
