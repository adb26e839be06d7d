// The webhook object as the hosted v3 API shows it (API and `wicket webhook … --json`). The
// secret appears only in the answers to create and rotate-secret.
import type { Webhook } from '../store/types.js';

export function webhookView(w: Webhook, opts: { withSecret?: boolean } = {}) {
  return {
    id: w.id,
    description: w.description,
    trigger_types: w.triggerTypes,
    webhook_url: w.url,
    ...(opts.withSecret ? { webhook_secret: w.secret } : {}),
    status: w.status,
    notification_email_addresses: w.notificationEmails,
    status_updated_at: w.statusUpdatedAt,
    created_at: w.createdAt,
    updated_at: w.updatedAt,
  };
}
