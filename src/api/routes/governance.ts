// Workspaces, policies, rules and lists of the application (PRODUCT.md "REST API"):
// GET|POST /v3/workspaces, GET|PATCH|DELETE /v3/workspaces/{id}; GET|POST /v3/policies,
// GET|PUT|DELETE /v3/policies/{id}; the same for /v3/rules and /v3/lists, with
// GET|POST|DELETE /v3/lists/{id}/items; GET /v3/grants/{id}/rule-evaluations.
// Thin: the services validate (field paths in every 400) and enforce references.
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { type AnyRoute, NO_DATA, grantOf, paged, route } from '../route.js';
import { evaluationView, listItemView, listView, policyView, ruleView } from '../../accounts/governance-views.js';
import { workspaceView } from '../../accounts/views.js';
import { idParam, limitParam } from './schemas.js';

const IdParams = z.strictObject({ id: idParam });
const GrantParams = z.strictObject({ grantId: idParam.describe('grant id or email address') });

/** Bodies are checked by src/policy/validate.ts, which names the field of every error. */
const JsonObject = (what: string) => z.record(z.string(), z.unknown(), { message: `the body must be a JSON object: ${what}` });

const PageQuery = z.strictObject({
  limit: limitParam(200, 50),
  page_token: z.string().max(600).optional().describe('the next_cursor of the previous page'),
});

const cursor = {
  encode: (value: string | number): string => Buffer.from(String(value), 'utf8').toString('base64url'),
  decode: (token: string | undefined): string | null => {
    if (token === undefined) return null;
    const value = Buffer.from(token, 'base64url').toString('utf8');
    if (value === '') throw new ApiError(400, 'api.invalid_request_error', 'page_token is not a cursor this server gave out');
    return value;
  },
};

const WorkspaceBody = z.strictObject({
  name: z.string().optional(),
  domain: z.string().optional().describe('set at creation only'),
  auto_group: z.boolean().optional(),
  policy_id: z.string().nullable().optional().describe('null detaches the policy'),
  rule_ids: z.array(z.string()).nullable().optional().describe('replaces the rules; null or [] detaches them all'),
});

export const governanceRoutes: AnyRoute[] = [
  // ---- workspaces ----
  route({
    method: 'GET',
    path: '/v3/workspaces',
    tag: 'Workspaces',
    summary: "List the application's workspaces (the default one first)",
    handler: ({ ctx }) => paged(ctx.services.workspaces.list(ctx.applicationId).map((w) => workspaceView(w)), null),
  }),
  route({
    method: 'POST',
    path: '/v3/workspaces',
    tag: 'Workspaces',
    summary: 'Create a workspace',
    description: 'auto_group needs a domain: new accounts on that domain are placed in this workspace.',
    body: WorkspaceBody,
    handler: ({ body, ctx }) => {
      if (body.name === undefined) throw new ApiError(400, 'api.invalid_request_error', 'name is required');
      return workspaceView(
        ctx.services.workspaces.create(ctx.applicationId, {
          name: body.name,
          ...(body.domain !== undefined ? { domain: body.domain } : {}),
          ...(body.auto_group !== undefined ? { autoGroup: body.auto_group } : {}),
          ...(body.policy_id !== undefined ? { policyId: body.policy_id } : {}),
          ...(body.rule_ids !== undefined ? { ruleIds: body.rule_ids } : {}),
        }),
      );
    },
  }),
  route({
    method: 'GET',
    path: '/v3/workspaces/:id',
    tag: 'Workspaces',
    summary: 'Get a workspace (by id or name)',
    params: IdParams,
    handler: ({ params, ctx }) => workspaceView(ctx.services.workspaces.get(ctx.applicationId, params.id)),
  }),
  route({
    method: 'PATCH',
    path: '/v3/workspaces/:id',
    tag: 'Workspaces',
    summary: "Change a workspace's name, auto-grouping, policy or rules",
    description: 'Omitted fields are kept; policy_id: null detaches the policy; rule_ids replaces the list (null or [] detaches all). The default workspace takes only policy_id and rule_ids.',
    params: IdParams,
    body: WorkspaceBody,
    handler: ({ params, body, ctx }) =>
      workspaceView(
        ctx.services.workspaces.update(ctx.applicationId, params.id, {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.domain !== undefined ? { domain: body.domain } : {}),
          ...(body.auto_group !== undefined ? { autoGroup: body.auto_group } : {}),
          ...(body.policy_id !== undefined ? { policyId: body.policy_id } : {}),
          ...(body.rule_ids !== undefined ? { ruleIds: body.rule_ids } : {}),
        }),
      ),
  }),
  route({
    method: 'DELETE',
    path: '/v3/workspaces/:id',
    tag: 'Workspaces',
    summary: 'Delete a workspace; its accounts move to the default workspace',
    params: IdParams,
    handler: ({ params, ctx }) => {
      ctx.services.workspaces.delete(ctx.applicationId, params.id);
      return NO_DATA;
    },
  }),

  // ---- policies ----
  route({
    method: 'GET',
    path: '/v3/policies',
    tag: 'Policies',
    summary: "List the application's policies",
    handler: ({ ctx }) => paged(ctx.services.policies.list(ctx.applicationId).map(policyView), null),
  }),
  route({
    method: 'POST',
    path: '/v3/policies',
    tag: 'Policies',
    summary: 'Create a policy',
    description:
      'name, limits (limit_attachment_size_limit, limit_attachment_count_limit, limit_attachment_allowed_types, limit_size_total_mime, limit_storage_total, limit_count_daily_message_received, limit_count_daily_email_sent, limit_inbox_retention_period, limit_spam_retention_period; -1 is unlimited, omitted is the installation default) and spam_detection (use_list_dnsbl, use_header_anomaly_detection, spam_sensitivity 0.1–5.0).',
    body: JsonObject('{"name", "limits", "spam_detection"}'),
    handler: ({ body, ctx }) => policyView(ctx.services.policies.create(ctx.applicationId, body)),
  }),
  route({
    method: 'GET',
    path: '/v3/policies/:id',
    tag: 'Policies',
    summary: 'Get a policy',
    params: IdParams,
    handler: ({ params, ctx }) => policyView(ctx.services.policies.get(ctx.applicationId, params.id)),
  }),
  route({
    method: 'PUT',
    path: '/v3/policies/:id',
    tag: 'Policies',
    summary: 'Update a policy (the fields given; limits and spam settings merge, a limit set to null returns to the default)',
    params: IdParams,
    body: JsonObject('{"name", "limits", "spam_detection"}'),
    handler: ({ params, body, ctx }) => policyView(ctx.services.policies.update(ctx.applicationId, params.id, body)),
  }),
  route({
    method: 'DELETE',
    path: '/v3/policies/:id',
    tag: 'Policies',
    summary: 'Delete a policy no workspace uses (409 while one does)',
    params: IdParams,
    handler: ({ params, ctx }) => {
      ctx.services.policies.delete(ctx.applicationId, params.id);
      return NO_DATA;
    },
  }),

  // ---- rules ----
  route({
    method: 'GET',
    path: '/v3/rules',
    tag: 'Rules',
    summary: "List the application's rules, by priority",
    handler: ({ ctx }) => paged(ctx.services.rules.list(ctx.applicationId).map(ruleView), null),
  }),
  route({
    method: 'POST',
    path: '/v3/rules',
    tag: 'Rules',
    summary: 'Create a rule',
    description:
      'name, description, priority (0–1000, default 10, lower first), enabled, trigger (inbound|outbound), match {operator: all|any, conditions: [{field, operator, value}]}, actions [{type, value?}]. Fields from.address|from.domain|from.tld, and for outbound recipient.address|recipient.domain|recipient.tld and outbound.type (compose|reply); operators is, is_not, contains, in_list (value: list ids). Actions block (alone), mark_as_spam, assign_to_folder (value: folder), mark_as_read, mark_as_starred, archive, trash.',
    body: JsonObject('{"name", "trigger", "match", "actions", …}'),
    handler: ({ body, ctx }) => ruleView(ctx.services.rules.create(ctx.applicationId, body)),
  }),
  route({
    method: 'GET',
    path: '/v3/rules/:id',
    tag: 'Rules',
    summary: 'Get a rule',
    params: IdParams,
    handler: ({ params, ctx }) => ruleView(ctx.services.rules.get(ctx.applicationId, params.id)),
  }),
  route({
    method: 'PUT',
    path: '/v3/rules/:id',
    tag: 'Rules',
    summary: 'Update a rule (the fields given; match and actions are replaced whole)',
    params: IdParams,
    body: JsonObject('{"name", "priority", "match", "actions", …}'),
    handler: ({ params, body, ctx }) => ruleView(ctx.services.rules.update(ctx.applicationId, params.id, body)),
  }),
  route({
    method: 'DELETE',
    path: '/v3/rules/:id',
    tag: 'Rules',
    summary: 'Delete a rule; workspaces that used it stop naming it',
    params: IdParams,
    handler: ({ params, ctx }) => {
      ctx.services.rules.delete(ctx.applicationId, params.id);
      return NO_DATA;
    },
  }),
  route({
    method: 'GET',
    path: '/v3/grants/:grantId/rule-evaluations',
    tag: 'Rules',
    summary: "The account's rule evaluations, newest first",
    description: 'Each: evaluation_stage (smtp_rcpt, inbox_processing, outbound_send), evaluation_input, matched_rule_ids, applied_actions, message_id.',
    params: GrantParams,
    query: PageQuery,
    handler: ({ params, query, ctx }) => {
      const account = grantOf(ctx, params.grantId);
      const before = cursor.decode(query.page_token);
      const rows = ctx.services.rules.evaluations(account.id, before === null ? null : Number(before), query.limit + 1);
      const page = rows.slice(0, query.limit);
      const next = rows.length > query.limit ? cursor.encode(page[page.length - 1]!.seq) : null;
      return paged(page.map((e) => evaluationView(e, account.applicationId)), next);
    },
  }),

  // ---- lists ----
  route({
    method: 'GET',
    path: '/v3/lists',
    tag: 'Lists',
    summary: "List the application's lists",
    handler: ({ ctx }) => paged(ctx.services.lists.list(ctx.applicationId).map(listView), null),
  }),
  route({
    method: 'POST',
    path: '/v3/lists',
    tag: 'Lists',
    summary: 'Create a list (type address, domain or tld; it never changes)',
    body: JsonObject('{"name", "type", "description"}'),
    handler: ({ body, ctx }) => listView(ctx.services.lists.create(ctx.applicationId, body)),
  }),
  route({
    method: 'GET',
    path: '/v3/lists/:id',
    tag: 'Lists',
    summary: 'Get a list',
    params: IdParams,
    handler: ({ params, ctx }) => listView(ctx.services.lists.get(ctx.applicationId, params.id)),
  }),
  route({
    method: 'PUT',
    path: '/v3/lists/:id',
    tag: 'Lists',
    summary: "Change a list's name or description",
    params: IdParams,
    body: JsonObject('{"name", "description"}'),
    handler: ({ params, body, ctx }) => listView(ctx.services.lists.update(ctx.applicationId, params.id, body)),
  }),
  route({
    method: 'DELETE',
    path: '/v3/lists/:id',
    tag: 'Lists',
    summary: 'Delete a list no rule uses (409 while one does), with its items',
    params: IdParams,
    handler: ({ params, ctx }) => {
      ctx.services.lists.delete(ctx.applicationId, params.id);
      return NO_DATA;
    },
  }),
  route({
    method: 'GET',
    path: '/v3/lists/:id/items',
    tag: 'Lists',
    summary: "A list's items, in order",
    params: IdParams,
    query: PageQuery,
    handler: ({ params, query, ctx }) => {
      const rows = ctx.services.lists.items(ctx.applicationId, params.id, cursor.decode(query.page_token), query.limit + 1);
      const page = rows.slice(0, query.limit);
      return paged(page.map(listItemView), rows.length > query.limit ? cursor.encode(page[page.length - 1]!.value) : null);
    },
  }),
  route({
    method: 'POST',
    path: '/v3/lists/:id/items',
    tag: 'Lists',
    summary: 'Add items (1–1,000 a request): lower-cased, validated against the list type, duplicates ignored',
    params: IdParams,
    body: JsonObject('{"items": [...]}'),
    handler: ({ params, body, ctx }) => listView(ctx.services.lists.addItems(ctx.applicationId, params.id, body).list),
  }),
  route({
    method: 'DELETE',
    path: '/v3/lists/:id/items',
    tag: 'Lists',
    summary: 'Remove items (a JSON body {"items": [...]}); items not in the list are ignored',
    params: IdParams,
    body: JsonObject('{"items": [...]}'),
    handler: ({ params, body, ctx }) => listView(ctx.services.lists.removeItems(ctx.applicationId, params.id, body).list),
  }),
];
