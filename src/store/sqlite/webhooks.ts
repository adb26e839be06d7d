// Webhooks in SQLite: the endpoints, one row per (event, webhook) delivery, and the fan-out
// cursor (a row of `counters`) — see migration 9.
import type { WebhookStore } from '../store.js';
import type {
  ClaimedWebhookDelivery,
  NewWebhook,
  NewWebhookDelivery,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookPatch,
  WebhookStatus,
  WebhookTrigger,
} from '../types.js';
import type { Db } from './database.js';
import { type Write, nowSeconds } from './writer.js';

const CURSOR = 'webhooks.cursor';

interface WebhookRow {
  id: string;
  application_id: string;
  description: string | null;
  url: string;
  trigger_types: string;
  secret: string;
  status: WebhookStatus;
  notification_emails: string;
  since_event_id: number;
  status_updated_at: number;
  created_at: number;
  updated_at: number;
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: number;
  type: string;
  data: string;
  time: number;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  applicationId: r.application_id,
  description: r.description,
  url: r.url,
  triggerTypes: JSON.parse(r.trigger_types) as WebhookTrigger[],
  secret: r.secret,
  status: r.status,
  notificationEmails: JSON.parse(r.notification_emails) as string[],
  statusUpdatedAt: r.status_updated_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  webhookId: r.webhook_id,
  eventId: r.event_id,
  type: r.type,
  data: JSON.parse(r.data) as Record<string, unknown>,
  time: r.time,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class SqliteWebhooks implements WebhookStore {
  constructor(
    private readonly db: Db,
    private readonly write: Write,
  ) {}

  create(webhook: NewWebhook): Webhook {
    return this.write(() => {
      const now = nowSeconds();
      this.db
        .prepare(
          `INSERT INTO webhooks (id, application_id, description, url, trigger_types, secret, notification_emails,
             since_event_id, status_updated_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(id), 0) FROM events), ?, ?, ?)`,
        )
        .run(
          webhook.id,
          webhook.applicationId,
          webhook.description,
          webhook.url,
          JSON.stringify(webhook.triggerTypes),
          webhook.secret,
          JSON.stringify(webhook.notificationEmails),
          now,
          now,
          now,
        );
      return this.row(webhook.applicationId, webhook.id)!;
    });
  }

  list(applicationId: string): Webhook[] {
    const rows = this.db.prepare('SELECT * FROM webhooks WHERE application_id = ? ORDER BY created_at, rowid').all(applicationId) as WebhookRow[];
    return rows.map(toWebhook);
  }

  get(applicationId: string, id: string): Webhook | undefined {
    return this.row(applicationId, id);
  }

  update(applicationId: string, id: string, patch: WebhookPatch): Webhook | undefined {
    return this.write(() => {
      const before = this.row(applicationId, id);
      if (!before) return undefined;
      const now = nowSeconds();
      const status = patch.status ?? before.status;
      this.db
        .prepare(
          `UPDATE webhooks SET description = ?, url = ?, trigger_types = ?, notification_emails = ?, status = ?,
             status_updated_at = ?, updated_at = ? WHERE id = ?`,
        )
        .run(
          patch.description !== undefined ? patch.description : before.description,
          patch.url ?? before.url,
          JSON.stringify(patch.triggerTypes ?? before.triggerTypes),
          JSON.stringify(patch.notificationEmails ?? before.notificationEmails),
          status,
          status !== before.status ? now : before.statusUpdatedAt,
          now,
          id,
        );
      return this.row(applicationId, id);
    });
  }

  delete(applicationId: string, id: string): boolean {
    return this.write(() => this.db.prepare('DELETE FROM webhooks WHERE id = ? AND application_id = ?').run(id, applicationId).changes > 0);
  }

  setSecret(applicationId: string, id: string, secret: string): Webhook | undefined {
    return this.write(() => {
      const result = this.db
        .prepare('UPDATE webhooks SET secret = ?, updated_at = ? WHERE id = ? AND application_id = ?')
        .run(secret, nowSeconds(), id, applicationId);
      return result.changes > 0 ? this.row(applicationId, id) : undefined;
    });
  }

  listening(): { webhook: Webhook; sinceEventId: number }[] {
    const rows = this.db.prepare(`SELECT * FROM webhooks WHERE status != 'pause' ORDER BY created_at, rowid`).all() as WebhookRow[];
    return rows.map((row) => ({ webhook: toWebhook(row), sinceEventId: row.since_event_id }));
  }

  cursor(): number {
    const row = this.db.prepare('SELECT value FROM counters WHERE name = ?').get(CURSOR) as { value: number } | undefined;
    return row?.value ?? 0;
  }

  enqueue(from: number, to: number, deliveries: NewWebhookDelivery[], nowMs: number): boolean {
    return this.write(() => {
      const moved = this.db.prepare('UPDATE counters SET value = ? WHERE name = ? AND value = ?').run(to, CURSOR, from);
      if (moved.changes === 0) {
        // The row is missing only if the counters were reset by hand: start it where we stand.
        if (this.db.prepare('SELECT 1 FROM counters WHERE name = ?').get(CURSOR)) return false;
        this.db.prepare('INSERT INTO counters (name, value) VALUES (?, ?)').run(CURSOR, to);
      }
      const now = nowSeconds();
      // A webhook deleted since the fan-out was computed simply gets nothing.
      const insert = this.db.prepare(
        `INSERT OR IGNORE INTO webhook_deliveries (id, webhook_id, event_id, type, data, time, next_attempt_at, created_at, updated_at)
         SELECT ?, id, ?, ?, ?, ?, ?, ?, ? FROM webhooks WHERE id = ?`,
      );
      for (const d of deliveries) {
        insert.run(d.id, d.eventId, d.type, JSON.stringify(d.data), d.time, nowMs, now, now, d.webhookId);
      }
      return true;
    });
  }

  claimDue(nowMs: number, limit: number, leaseMs: number, busy: readonly string[] = []): ClaimedWebhookDelivery[] {
    return this.write(() => {
      const rows = this.db
        .prepare(
          `UPDATE webhook_deliveries SET next_attempt_at = ?
           WHERE id IN (
             SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
             WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND w.status != 'pause'
               AND d.webhook_id NOT IN (SELECT value FROM json_each(?))
               AND d.event_id = (SELECT MIN(e.event_id) FROM webhook_deliveries e
                                 WHERE e.webhook_id = d.webhook_id AND e.status = 'pending' AND e.next_attempt_at <= ?)
             ORDER BY d.next_attempt_at, d.event_id LIMIT ?)
           RETURNING *`,
        )
        .all(nowMs + leaseMs, nowMs, JSON.stringify(busy), nowMs, limit) as DeliveryRow[];
      const endpoint = this.db.prepare('SELECT url, secret FROM webhooks WHERE id = ?');
      return rows
        .sort((a, b) => a.event_id - b.event_id)
        .map((r) => ({ ...toDelivery(r), ...(endpoint.get(r.webhook_id) as { url: string; secret: string }) }));
    });
  }

  nextDueAt(): number | null {
    const row = this.db
      .prepare(
        `SELECT MIN(d.next_attempt_at) AS at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
         WHERE d.status = 'pending' AND w.status != 'pause'`,
      )
      .get() as { at: number | null };
    return row.at;
  }

  release(deliveryId: string, nowMs: number): void {
    this.write(() => {
      this.db.prepare(`UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending'`).run(nowMs, deliveryId);
    });
  }

  delivered(deliveryId: string, attempts: number): void {
    this.write(() => {
      const webhookId = this.finish(deliveryId, 'delivered', attempts, null, null);
      if (webhookId) this.setStatus(webhookId, 'active');
    });
  }

  deferred(deliveryId: string, attempts: number, error: string, nextAttemptAt: number): void {
    this.write(() => {
      const webhookId = this.finish(deliveryId, 'pending', attempts, error, nextAttemptAt);
      if (webhookId) this.setStatus(webhookId, 'failing');
    });
  }

  failed(deliveryId: string, attempts: number, error: string, giveUp: boolean): void {
    this.write(() => {
      const webhookId = this.finish(deliveryId, 'failed', attempts, error, null);
      if (webhookId) this.setStatus(webhookId, giveUp ? 'failed' : 'failing');
    });
  }

  deliveries(webhookId: string, limit: number): WebhookDelivery[] {
    const rows = this.db
      .prepare('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY event_id DESC LIMIT ?')
      .all(webhookId, limit) as DeliveryRow[];
    return rows.map(toDelivery);
  }

  pendingCounts(applicationId: string): Map<string, number> {
    const rows = this.db
      .prepare(
        `SELECT d.webhook_id AS id, COUNT(*) AS n FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
         WHERE w.application_id = ? AND d.status = 'pending' GROUP BY d.webhook_id`,
      )
      .all(applicationId) as { id: string; n: number }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  prune(before: { delivered: number; failed: number; events: number }): { deliveries: number; events: number } {
    return this.write(() => {
      const deliveries =
        this.db.prepare(`DELETE FROM webhook_deliveries WHERE status = 'delivered' AND updated_at < ?`).run(before.delivered).changes +
        this.db.prepare(`DELETE FROM webhook_deliveries WHERE status = 'failed' AND updated_at < ?`).run(before.failed).changes;
      // Only events the fan-out has passed: an old event not yet fanned out stays until it is.
      const events = this.db.prepare('DELETE FROM events WHERE created_at < ? AND id <= ?').run(before.events, this.cursor()).changes;
      return { deliveries, events };
    });
  }

  // ---- helpers ----

  private row(applicationId: string, id: string): Webhook | undefined {
    const row = this.db.prepare('SELECT * FROM webhooks WHERE id = ? AND application_id = ?').get(id, applicationId) as WebhookRow | undefined;
    return row && toWebhook(row);
  }

  /** Records an attempt's outcome; returns the webhook's id (undefined if the delivery is gone). */
  private finish(
    deliveryId: string,
    status: WebhookDeliveryStatus,
    attempts: number,
    error: string | null,
    nextAttemptAt: number | null,
  ): string | undefined {
    const row = this.db
      .prepare(
        `UPDATE webhook_deliveries SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ?, updated_at = ?
         WHERE id = ? RETURNING webhook_id`,
      )
      .get(status, attempts, error, nextAttemptAt, nowSeconds(), deliveryId) as { webhook_id: string } | undefined;
    return row?.webhook_id;
  }

  private setStatus(webhookId: string, status: WebhookStatus): void {
    // A paused webhook stays paused; failed stays failed until a delivery succeeds.
    const from = status === 'failing' ? "('active')" : status === 'failed' ? "('active', 'failing')" : "('failing', 'failed')";
    this.db
      .prepare(`UPDATE webhooks SET status = ?, status_updated_at = ? WHERE id = ? AND status IN ${from}`)
      .run(status, nowSeconds(), webhookId);
  }
}
