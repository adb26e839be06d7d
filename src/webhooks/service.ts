// Webhooks of an application: create (after the endpoint answers the challenge), list, get,
// update, delete, rotate the secret, send a test event. The same service serves the API, the
// CLI and the dashboard; the sender (sender.ts) delivers the events.
import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { WebhookSettings } from '../config.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import { WEBHOOK_TRIGGERS, type Webhook, type WebhookDelivery, type WebhookPatch, type WebhookTrigger } from '../store/types.js';
import { verifyChallenge } from './challenge.js';
import { DenyList } from './deny-list.js';
import { deniedMessage } from './http.js';
import { type AttemptOutcome, envelope, postSigned } from './sender.js';
import { newSecret } from './signature.js';

export interface NewWebhookInput {
  url: string;
  triggerTypes: string[];
  description?: string | null;
  notificationEmails?: string[];
}

export interface WebhookUpdateInput {
  url?: string;
  triggerTypes?: string[];
  description?: string | null;
  notificationEmails?: string[];
  status?: string;
}

const MAX_URL = 2048;
const MAX_DESCRIPTION = 256;
const MAX_EMAILS = 10;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const KNOWN = new Set<string>(WEBHOOK_TRIGGERS);

export class WebhookService {
  private readonly deny: DenyList;

  constructor(
    private readonly store: Store,
    private readonly settings: WebhookSettings,
  ) {
    this.deny = new DenyList(settings.deny);
  }

  list(applicationId: string): Webhook[] {
    return this.store.webhooks.list(applicationId);
  }

  get(applicationId: string, id: string): Webhook {
    const webhook = this.store.webhooks.get(applicationId, id.trim());
    if (!webhook) throw new NotFoundError(`webhook ${id} not found`);
    return webhook;
  }

  /** Pending deliveries per webhook of the application. */
  pending(applicationId: string): Map<string, number> {
    return this.store.webhooks.pendingCounts(applicationId);
  }

  /** The webhook's most recent deliveries, newest first (attempts, status, last error). */
  recentDeliveries(applicationId: string, id: string, limit = 20): WebhookDelivery[] {
    return this.store.webhooks.deliveries(this.get(applicationId, id).id, limit);
  }

  /** Checks the input, then the endpoint (challenge); stores nothing unless both pass. */
  async create(applicationId: string, input: NewWebhookInput): Promise<Webhook> {
    const url = await this.checkUrl(input.url);
    const triggerTypes = this.checkTriggers(input.triggerTypes);
    const description = this.checkDescription(input.description);
    const notificationEmails = this.checkEmails(input.notificationEmails);
    await verifyChallenge(url, this.deny, this.settings.timeoutMs);
    return this.store.webhooks.create({
      id: randomUUID(),
      applicationId,
      description,
      url: url.href,
      triggerTypes,
      secret: newSecret(),
      notificationEmails,
    });
  }

  /** A new URL is challenged like a new webhook; `status` may pause or re-activate it. */
  async update(applicationId: string, id: string, input: WebhookUpdateInput): Promise<Webhook> {
    const before = this.get(applicationId, id);
    const patch: WebhookPatch = {};
    if (input.triggerTypes !== undefined) patch.triggerTypes = this.checkTriggers(input.triggerTypes);
    if (input.description !== undefined) patch.description = this.checkDescription(input.description);
    if (input.notificationEmails !== undefined) patch.notificationEmails = this.checkEmails(input.notificationEmails);
    if (input.status !== undefined) {
      if (input.status !== 'active' && input.status !== 'pause') {
        throw new ValidationError('status', 'enum', 'status: must be "active" or "pause" (failing and failed are set by deliveries)');
      }
      patch.status = input.status;
    }
    if (input.url !== undefined) {
      const url = await this.checkUrl(input.url);
      if (url.href !== before.url) await verifyChallenge(url, this.deny, this.settings.timeoutMs);
      patch.url = url.href;
    }
    const after = this.store.webhooks.update(applicationId, before.id, patch);
    if (!after) throw new NotFoundError(`webhook ${id} not found`);
    return after;
  }

  delete(applicationId: string, id: string): void {
    if (!this.store.webhooks.delete(applicationId, id.trim())) throw new NotFoundError(`webhook ${id} not found`);
  }

  /** A new secret: deliveries from now on (retries included) are signed with it only. */
  rotateSecret(applicationId: string, id: string): Webhook {
    const webhook = this.store.webhooks.setSecret(applicationId, id.trim(), newSecret());
    if (!webhook) throw new NotFoundError(`webhook ${id} not found`);
    return webhook;
  }

  /**
   * Posts a signed `webhook.test` event to the endpoint now, from this process; the webhook's
   * status is left alone.
   */
  async test(applicationId: string, id: string): Promise<{ webhook: Webhook; outcome: AttemptOutcome; eventId: string }> {
    const webhook = this.get(applicationId, id);
    const eventId = randomUUID();
    const body = envelope(
      {
        id: eventId,
        type: 'webhook.test',
        time: Math.floor(Date.now() / 1000),
        data: {
          application_id: applicationId,
          grant_id: null,
          object: { id: webhook.id, object: 'webhook', webhook_url: webhook.url, trigger_types: webhook.triggerTypes },
        },
      },
      1,
    );
    const outcome = await postSigned(webhook.url, webhook.secret, body, { deny: this.deny, timeoutMs: this.settings.timeoutMs });
    return { webhook, outcome, eventId };
  }

  // ---- validation ----

  private async checkUrl(value: unknown): Promise<URL> {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ValidationError('webhook_url', 'required', 'webhook_url: required, an http:// or https:// URL that will receive the events');
    }
    if (value.length > MAX_URL) throw new ValidationError('webhook_url', 'length', `webhook_url: at most ${MAX_URL} characters`);
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      throw new ValidationError('webhook_url', 'syntax', 'webhook_url: not a URL; write it in full, e.g. https://example.com/webhooks');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ValidationError('webhook_url', 'scheme', `webhook_url: must start with http:// or https:// (not ${url.protocol}//)`);
    }
    url.hash = '';
    if (!this.deny.empty) {
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      let addresses: string[];
      if (isIP(host)) addresses = [host];
      else {
        try {
          addresses = (await lookup(host, { all: true })).map((a) => a.address);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? 'error';
          throw new ValidationError('webhook_url', 'resolve', `webhook_url: cannot resolve ${host} (${code}); use a host name that resolves, or an IP address`);
        }
      }
      for (const address of addresses) {
        const range = this.deny.match(address);
        if (range) {
          throw new ValidationError(
            'webhook_url',
            'denied',
            `webhook_url: ${deniedMessage(host, address, range.text)}; use an endpoint outside the denied ranges (${this.settings.deny.map((r) => r.text).join(', ')})`,
          );
        }
      }
    }
    return url;
  }

  private checkTriggers(value: unknown): WebhookTrigger[] {
    if (!Array.isArray(value) || value.length === 0) {
      throw new ValidationError('trigger_types', 'required', `trigger_types: a non-empty list of ${WEBHOOK_TRIGGERS.join(', ')}`);
    }
    const unknown = value.find((t) => typeof t !== 'string' || !KNOWN.has(t));
    if (unknown !== undefined) {
      throw new ValidationError('trigger_types', 'enum', `trigger_types: unknown trigger ${JSON.stringify(unknown)}; use any of ${WEBHOOK_TRIGGERS.join(', ')}`);
    }
    return [...new Set(value as WebhookTrigger[])];
  }

  private checkDescription(value: unknown): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' || value.length > MAX_DESCRIPTION || /[\x00-\x1f\x7f]/.test(value)) {
      throw new ValidationError('description', 'syntax', `description: up to ${MAX_DESCRIPTION} characters, no control characters`);
    }
    return value.trim() === '' ? null : value;
  }

  private checkEmails(value: unknown): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.length > MAX_EMAILS) {
      throw new ValidationError('notification_email_addresses', 'syntax', `notification_email_addresses: a list of at most ${MAX_EMAILS} addresses`);
    }
    for (const e of value) {
      if (typeof e !== 'string' || e.length > 254 || !EMAIL.test(e)) {
        throw new ValidationError('notification_email_addresses', 'syntax', `notification_email_addresses: ${JSON.stringify(e)} is not an email address`);
      }
    }
    return [...new Set(value as string[])];
  }
}
