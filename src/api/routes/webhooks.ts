// Webhooks: GET|POST /v3/webhooks, GET|PUT|DELETE /v3/webhooks/{id},
// POST /v3/webhooks/rotate-secret/{id}. Thin: every call is WebhookService (as the CLI's).
import { z } from 'zod';
import { WEBHOOK_TRIGGERS } from '../../store/types.js';
import { webhookView } from '../../webhooks/views.js';
import { type AnyRoute, NO_DATA, paged, route } from '../route.js';
import { idParam } from './schemas.js';

const WebhookParams = z.strictObject({ id: idParam.describe('webhook id') });

const triggers = z
  .array(z.string())
  .describe(`any of ${WEBHOOK_TRIGGERS.join(', ')}`);

const NewWebhook = z.strictObject({
  webhook_url: z.string({ message: 'webhook_url is required: the http(s) URL that receives the events' }).describe(
    'must answer GET ?challenge=X with X as the body within 10 s before anything is stored',
  ),
  trigger_types: triggers,
  description: z.string().nullable().optional(),
  notification_email_addresses: z.array(z.string()).optional(),
});

const WebhookUpdate = z.strictObject({
  webhook_url: z.string().optional().describe('a new URL is challenged like a new webhook'),
  trigger_types: triggers.optional(),
  description: z.string().nullable().optional(),
  notification_email_addresses: z.array(z.string()).optional(),
  status: z.enum(['active', 'pause'], { message: 'status must be "active" or "pause"' }).optional(),
});

const Webhook = z.object({
  id: z.string(),
  description: z.string().nullable(),
  trigger_types: z.array(z.string()),
  webhook_url: z.string(),
  webhook_secret: z.string().optional().describe('only in the answers to create and rotate-secret'),
  status: z.enum(['active', 'failing', 'failed', 'pause']),
  notification_email_addresses: z.array(z.string()),
  status_updated_at: z.number(),
  created_at: z.number(),
  updated_at: z.number(),
});

export const webhookRoutes: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/v3/webhooks',
    tag: 'Webhooks',
    summary: "List the application's webhooks",
    response: z.array(Webhook),
    handler: ({ ctx }) => paged(ctx.services.webhooks.list(ctx.applicationId).map((w) => webhookView(w)), null),
  }),
  route({
    method: 'POST',
    path: '/v3/webhooks',
    tag: 'Webhooks',
    summary: 'Create a webhook (after the endpoint answers the challenge)',
    description:
      'Wicket sends GET <webhook_url>?challenge=X; the endpoint must answer 200 with X as the body within 10 s, else 400 and nothing is stored. The answer carries webhook_secret, the HMAC-SHA256 key of X-Nylas-Signature; it is not shown again.',
    body: NewWebhook,
    response: Webhook,
    handler: async ({ body, ctx }) => {
      const webhook = await ctx.services.webhooks.create(ctx.applicationId, {
        url: body.webhook_url,
        triggerTypes: body.trigger_types,
        description: body.description,
        notificationEmails: body.notification_email_addresses,
      });
      return webhookView(webhook, { withSecret: true });
    },
  }),
  route({
    method: 'GET',
    path: '/v3/webhooks/:id',
    tag: 'Webhooks',
    summary: 'Get one webhook',
    params: WebhookParams,
    response: Webhook,
    handler: ({ params, ctx }) => webhookView(ctx.services.webhooks.get(ctx.applicationId, params.id)),
  }),
  route({
    method: 'PUT',
    path: '/v3/webhooks/:id',
    tag: 'Webhooks',
    summary: 'Change the URL, triggers, description or notification addresses; pause or re-activate',
    params: WebhookParams,
    body: WebhookUpdate,
    response: Webhook,
    handler: async ({ params, body, ctx }) => {
      const webhook = await ctx.services.webhooks.update(ctx.applicationId, params.id, {
        ...(body.webhook_url !== undefined ? { url: body.webhook_url } : {}),
        ...(body.trigger_types !== undefined ? { triggerTypes: body.trigger_types } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.notification_email_addresses !== undefined ? { notificationEmails: body.notification_email_addresses } : {}),
        ...(body.status !== undefined ? { status: body.status } : {}),
      });
      return webhookView(webhook);
    },
  }),
  route({
    method: 'DELETE',
    path: '/v3/webhooks/:id',
    tag: 'Webhooks',
    summary: 'Delete a webhook; its pending deliveries are dropped',
    params: WebhookParams,
    handler: ({ params, ctx }) => {
      ctx.services.webhooks.delete(ctx.applicationId, params.id);
      return NO_DATA;
    },
  }),
  route({
    method: 'POST',
    path: '/v3/webhooks/rotate-secret/:id',
    tag: 'Webhooks',
    summary: 'Replace the signing secret',
    description: 'Every delivery from now on, retries included, is signed with the new secret only.',
    params: WebhookParams,
    response: Webhook,
    handler: ({ params, ctx }) => webhookView(ctx.services.webhooks.rotateSecret(ctx.applicationId, params.id), { withSecret: true }),
  }),
];
