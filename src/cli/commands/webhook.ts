// wicket webhook list|test — the application's webhooks and a signed test event sent now.
// Webhooks are created through the API (the endpoint must answer the challenge first).
import type { Command } from 'commander';
import { WicketError } from '../../errors.js';
import { webhookView } from '../../webhooks/views.js';
import { context } from '../context.js';
import { isoTime, print, printJson, printTable } from '../io.js';

const APPLICATION = ['--application <id|name>', 'application (default: the default application)'] as const;

export function registerWebhook(program: Command): void {
  const webhook = program.command('webhook').description('webhooks: endpoints told about messages, folders and grants');

  webhook
    .command('list')
    .description("list the application's webhooks with their status")
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const hooks = ctx.services.webhooks.list(app.id);
      const pending = ctx.services.webhooks.pending(app.id);
      if (opts.json) {
        printJson(hooks.map((w) => ({ ...webhookView(w), pending_deliveries: pending.get(w.id) ?? 0 })));
        return;
      }
      print(`Webhooks (${hooks.length}) of application ${app.name}`);
      if (hooks.length === 0) return;
      printTable(
        ['ID', 'STATUS', 'PENDING', 'SINCE', 'URL', 'TRIGGERS'],
        hooks.map((w) => [w.id, w.status, String(pending.get(w.id) ?? 0), isoTime(w.statusUpdatedAt), w.url, w.triggerTypes.join(',')]),
      );
    });

  webhook
    .command('test <id>')
    .description('post a signed webhook.test event to the endpoint now and print the HTTP status')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const { webhook: hook, outcome, eventId } = await ctx.services.webhooks.test(app.id, id);
      const endpoint = new URL(hook.url).origin;
      const status = outcome.ok ? outcome.status : (outcome.status ?? null);
      if (opts.json) {
        printJson({ webhook_id: hook.id, event_id: eventId, ok: outcome.ok, http_status: status, ...(outcome.ok ? {} : { error: outcome.error }) });
      } else if (outcome.ok) {
        print(`Test event ${eventId} delivered to ${endpoint}: HTTP ${outcome.status}`);
      }
      if (!outcome.ok) throw new WicketError('unavailable', `test event to ${endpoint} failed: ${outcome.error}`);
    });
}
