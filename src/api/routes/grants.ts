// Grants (accounts): POST /v3/connect/custom, GET /v3/grants, GET|PATCH|DELETE /v3/grants/{id}.
// Thin: every call is AccountService, the same one the CLI and the dashboard use.
import { z } from 'zod';
import { grantView } from '../../accounts/views.js';
import { type AnyRoute, NO_DATA, grantOf, paged, route } from '../route.js';
import { idParam, limitParam, offsetParam } from './schemas.js';

const GrantParams = z.strictObject({ grantId: idParam.describe('grant id, or the account address') });

const ConnectCustom = z.strictObject({
  provider: z.literal('nylas', { message: 'provider must be "nylas"' }),
  name: z.string().optional().describe('display name: the From name of everything the account sends'),
  workspace_id: z.string().nullable().optional().describe('workspace to place the account in; null or omitted: by placement rules'),
  settings: z.strictObject({
    email: z.string({ message: 'settings.email is required: the new account address' }),
    app_password: z.string().optional().describe('18–40 printable ASCII characters with upper case, lower case and a digit'),
  }),
  // Sent by the hosted service's SDK on custom auth; accepted and ignored.
  scope: z.array(z.string()).optional(),
  state: z.string().optional(),
});

const GrantPatch = z.strictObject({
  name: z.string().optional(),
  workspace_id: z.string().nullable().optional().describe('null is ignored'),
  settings: z
    .strictObject({
      app_password: z.string().nullable().optional().describe('a new app password (ends open IMAP sessions); null removes it'),
    })
    .optional(),
  scope: z.array(z.string()).optional(),
});

const ListQuery = z.strictObject({
  limit: limitParam(200, 10),
  offset: offsetParam,
  page_token: z.string().regex(/^\d+$/, 'expected the next_cursor of an earlier page').optional(),
  email: z.string().optional().describe('only the grant with this address'),
});

const Grant = z.object({
  id: z.string(),
  provider: z.literal('nylas'),
  email: z.string(),
  name: z.string().nullable(),
  workspace_id: z.string(),
  application_id: z.string(),
  grant_status: z.enum(['valid', 'invalid']),
  has_app_password: z.boolean(),
  settings: z.object({ email: z.string(), has_app_password: z.boolean() }),
  created_at: z.number(),
  updated_at: z.number(),
});

export const grantRoutes: AnyRoute[] = [
  route({
    method: 'POST',
    path: '/v3/connect/custom',
    tag: 'Grants',
    summary: 'Create an account (grant) on a registered domain',
    body: ConnectCustom,
    response: Grant,
    handler: async ({ body, ctx }) => {
      const account = await ctx.services.accounts.create(ctx.applicationId, {
        email: body.settings.email,
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.settings.app_password !== undefined ? { appPassword: body.settings.app_password } : {}),
        ...(body.workspace_id != null ? { workspaceId: body.workspace_id } : {}),
      });
      return grantView(account);
    },
  }),
  route({
    method: 'GET',
    path: '/v3/grants',
    tag: 'Grants',
    summary: 'List the accounts of this application, oldest first',
    query: ListQuery,
    response: z.array(Grant),
    handler: ({ query, ctx }) => {
      if (query.email !== undefined) {
        try {
          return paged([grantView(ctx.services.accounts.get(ctx.applicationId, query.email))], null);
        } catch {
          return paged([], null);
        }
      }
      const offset = query.page_token !== undefined ? Number(query.page_token) : query.offset;
      // One more than asked tells whether a next page exists.
      const rows = ctx.services.accounts.list(ctx.applicationId, { limit: query.limit + 1, offset });
      const more = rows.length > query.limit;
      return paged(rows.slice(0, query.limit).map(grantView), more ? String(offset + query.limit) : null);
    },
  }),
  route({
    method: 'GET',
    path: '/v3/grants/:grantId',
    tag: 'Grants',
    summary: 'Get one account',
    params: GrantParams,
    response: Grant,
    handler: ({ params, ctx }) => grantView(grantOf(ctx, params.grantId)),
  }),
  route({
    method: 'PATCH',
    path: '/v3/grants/:grantId',
    tag: 'Grants',
    summary: 'Change the display name, workspace or app password',
    description: 'settings.app_password replaces the password and ends the account\'s open IMAP sessions; workspace_id: null is ignored.',
    params: GrantParams,
    body: GrantPatch,
    response: Grant,
    handler: async ({ params, body, ctx }) => {
      const account = grantOf(ctx, params.grantId);
      const update = {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.workspace_id != null ? { workspaceId: body.workspace_id } : {}),
        ...(body.settings?.app_password !== undefined ? { appPassword: body.settings.app_password } : {}),
      };
      if (Object.keys(update).length === 0) return grantView(account);
      return grantView(await ctx.services.accounts.update(ctx.applicationId, account.id, update));
    },
  }),
  route({
    method: 'DELETE',
    path: '/v3/grants/:grantId',
    tag: 'Grants',
    summary: 'Delete the account and all its mail',
    params: GrantParams,
    handler: ({ params, ctx }) => {
      const account = grantOf(ctx, params.grantId);
      ctx.services.accounts.delete(ctx.applicationId, account.id);
      return NO_DATA;
    },
  }),
];

