// The webhook sender. Two steps, both durable:
//  1. fan-out: events of the outbox (written in the transaction of every change, by any
//     process: SMTP, IMAP, the API, the CLI) after the persisted cursor become one delivery per
//     matching webhook, stored in the same transaction that moves the cursor;
//  2. delivery: due deliveries are claimed (a lease, so a sender that died is replaced), posted
//     signed, and the outcome recorded — delivered, or retried with backoff on timeouts, network
//     errors, 408, 429 and 5xx, or given up after the last retry (the webhook is then failed).
// The change bus only wakes it early; a poll catches what other processes wrote.
import { randomUUID } from 'node:crypto';
import type { WebhookSettings } from '../config.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { type ClaimedWebhookDelivery, type NewWebhookDelivery, type OutboxEvent, WEBHOOK_TRIGGERS } from '../store/types.js';
import { DenyList } from './deny-list.js';
import { EndpointError, callEndpoint } from './http.js';
import { type ObjectViews, apiViews, buildPayload } from './payload.js';
import { signatureHeaders } from './signature.js';

/** After attempt n fails, wait DEFAULT_RETRY_DELAYS_MS[n-1]; after the last, give up (about 72 h in all). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [
  10_000, 30_000, 120_000, 600_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 24 * 3_600_000, 24 * 3_600_000,
];

export interface SenderTuning {
  retryDelaysMs: readonly number[];
  /** How often to look for events of other processes and for due retries. */
  pollMs: number;
  /** Deliveries in flight at once (to different webhooks). */
  concurrency: number;
  views: ObjectViews;
  /** Told of every attempt's outcome (the gateway counts them for /metrics). */
  onAttempt?: (result: 'success' | 'retry' | 'failed') => void;
}

const FANOUT_BATCH = 200;
const HOUR_MS = 3_600_000;
const DAY = 86_400;
/** Finished deliveries and consumed events are kept this long (for `webhook list` and inspection). */
const KEEP_DELIVERED_SECONDS = DAY;
const KEEP_FAILED_SECONDS = 7 * DAY;
const KEEP_EVENTS_SECONDS = 7 * DAY;
const MAX_RETRY_AFTER_MS = HOUR_MS;
const TRIGGERS = new Set<string>(WEBHOOK_TRIGGERS);

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The envelope posted for one attempt (the attempt number is in the signed body). */
export function envelope(d: Pick<ClaimedWebhookDelivery, 'id' | 'type' | 'time' | 'data'>, attempt: number): Buffer {
  const category = d.type.split('.')[0];
  return Buffer.from(
    JSON.stringify({
      specversion: '1.0',
      type: d.type,
      source: `/wicket/${category}s`,
      id: d.id,
      time: d.time,
      webhook_delivery_attempt: attempt,
      data: d.data,
    }),
  );
}

export type AttemptOutcome =
  | { ok: true; status: number }
  | { ok: false; retry: boolean; error: string; status?: number; retryAfterMs?: number; stopped?: boolean };

/** Posts one signed body and classifies the answer. */
export async function postSigned(
  url: string,
  secret: string,
  body: Buffer,
  settings: { deny: DenyList; timeoutMs: number; signal?: AbortSignal },
): Promise<AttemptOutcome> {
  try {
    const res = await callEndpoint({
      method: 'POST',
      url: new URL(url),
      headers: signatureHeaders(secret, body),
      body,
      timeoutMs: settings.timeoutMs,
      deny: settings.deny,
      signal: settings.signal,
    });
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    const retry = res.status === 408 || res.status === 429 || res.status >= 500;
    const after = Number(res.headers['retry-after']);
    return {
      ok: false,
      retry,
      status: res.status,
      error: `HTTP ${res.status}`,
      ...(retry && Number.isFinite(after) && after > 0 ? { retryAfterMs: Math.min(after * 1000, MAX_RETRY_AFTER_MS) } : {}),
    };
  } catch (err) {
    if (!(err instanceof EndpointError)) throw err;
    if (err.reason === 'aborted') return { ok: false, retry: true, error: 'stopped', stopped: true };
    // A denied address is a configuration matter: retrying would not change it.
    return { ok: false, retry: err.reason !== 'denied', error: err.reason === 'timeout' ? `timeout: ${err.message}` : err.message };
  }
}

/**
 * The event as webhooks hear of it. A move (IMAP MOVE, the API's PUT folders or DELETE to Trash)
 * is stored as a copy and a removal of the same message id; the hosted API reports it as one
 * `message.updated` with the new folder, so the removal half is not reported at all.
 */
export function asReported(event: OutboxEvent): OutboxEvent | null {
  if (event.type === 'message.created' && event.object.moved_from_folder_id !== undefined) return { ...event, type: 'message.updated' };
  if (event.type === 'message.deleted' && event.object.moved_to_folder_id !== undefined) return null;
  return event;
}

export class WebhookSender {
  private readonly tuning: SenderTuning;
  private readonly deny: DenyList;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private unsubscribe: (() => void) | undefined;
  private readonly inFlight = new Set<AbortController>();
  private lastPrune = 0;
  /** Ends a pass's wait for deliveries in flight: new events, or a poll tick, need a look. */
  private nudge: (() => void) | undefined;
  /** When no webhook was found listening (ms), so that changes need no pass for a while. */
  private nobodyListeningAt = -Infinity;

  constructor(
    private readonly store: Store,
    private readonly settings: WebhookSettings,
    private readonly log: Logger,
    tuning: Partial<SenderTuning> = {},
  ) {
    this.tuning = { retryDelaysMs: DEFAULT_RETRY_DELAYS_MS, pollMs: 1000, concurrency: 8, views: apiViews, ...tuning };
    this.deny = new DenyList(settings.deny);
  }

  start(): void {
    this.stopped = false;
    // Events of this process: fan out at once rather than at the next poll.
    this.unsubscribe = this.store.changes.subscribe(() => this.wake());
    this.schedule(0);
  }

  wake(): void {
    if (this.stopped) return;
    // With no webhook at all, a change needs no pass of its own: the next poll moves the cursor
    // past it. (A webhook made meanwhile hears of its first events at that poll, within a second.)
    if (this.nobodyListening()) return;
    if (this.running) {
      this.again = true;
      this.nudge?.();
    } else this.schedule(0);
  }

  /**
   * Stops taking work; lets deliveries in flight finish for up to `graceMs`, then cuts them and
   * puts them back untried, so the next start sends them at once.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    if (!this.running) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const c of this.inFlight) c.abort();
    await this.running;
  }

  private nobodyListening(): boolean {
    const now = Date.now();
    if (now - this.nobodyListeningAt < this.tuning.pollMs) return true;
    if (this.store.webhooks.listening().length > 0) return false;
    this.nobodyListeningAt = now;
    return true;
  }

  /** One pass: fan out everything new, then send what is due. */
  runOnce(): Promise<void> {
    this.running ??= this.pass()
      .catch((err: unknown) => this.log.error({ err }, 'webhook pass failed'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.runOnce().finally(() => {
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.schedule(0);
          return;
        }
        const due = this.store.webhooks.nextDueAt();
        const wait = due === null ? this.tuning.pollMs : Math.max(0, due - Date.now());
        this.schedule(Math.min(wait, this.tuning.pollMs));
      });
    }, delayMs);
    this.timer.unref();
  }

  /**
   * Fans out, then keeps up to `concurrency` deliveries in flight, one per webhook at a time so
   * each endpoint hears of changes in the order they were made (a delivery waiting for a retry
   * does not hold the later ones back).
   */
  private async pass(): Promise<void> {
    await this.fanOut();
    this.prune();
    const lease = this.settings.timeoutMs + 30_000;
    const busy = new Set<string>();
    const inFlight = new Set<Promise<void>>();
    while (!this.stopped) {
      const free = this.tuning.concurrency - inFlight.size;
      const claimed = free > 0 ? this.store.webhooks.claimDue(Date.now(), free, lease, [...busy]) : [];
      for (const d of claimed) {
        busy.add(d.webhookId);
        const sending: Promise<void> = this.attempt(d).finally(() => {
          busy.delete(d.webhookId);
          inFlight.delete(sending);
        });
        inFlight.add(sending);
      }
      if (inFlight.size === 0) return;
      // Wait for a delivery to finish, for new events of this process, or for the poll interval
      // (events of other processes, retries coming due): a hanging endpoint must not hold the
      // other webhooks' new deliveries back until it times out.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        ...inFlight,
        new Promise<void>((resolve) => {
          this.nudge = resolve;
          timer = setTimeout(resolve, this.tuning.pollMs);
        }),
      ]);
      clearTimeout(timer);
      this.nudge = undefined;
      this.again = false;
      // Events written meanwhile go out in this pass too.
      await this.fanOut();
    }
    await Promise.all(inFlight);
  }

  /** Moves every event after the cursor into deliveries, a batch per transaction. */
  async fanOut(): Promise<void> {
    for (let batch = 0; ; batch++) {
      // A long backlog (a server started after a busy CLI import) must not hold the listeners up.
      if (batch > 0) await new Promise((resolve) => setImmediate(resolve));
      const from = this.store.webhooks.cursor();
      // Read once a batch, not once an event: the webhooks are few, the events many.
      const listening = this.store.webhooks.listening();
      if (listening.length === 0) {
        // Nobody listens: the cursor passes every event there is, none of them read.
        const last = this.store.events.lastId();
        if (last > from) this.store.webhooks.enqueue(from, last, [], Date.now());
        return;
      }
      const events = this.store.events.listAfter(from, FANOUT_BATCH);
      if (events.length === 0) return;
      const deliveries: NewWebhookDelivery[] = [];
      for (const stored of events) {
        const event = asReported(stored);
        if (!event || !event.applicationId || !TRIGGERS.has(event.type)) continue;
        // Those of the event's application made before it, listening for its type.
        const hooks = listening
          .filter((l) => l.webhook.applicationId === event.applicationId && l.sinceEventId < event.id && l.webhook.triggerTypes.includes(event.type))
          .map((l) => l.webhook);
        if (hooks.length === 0) continue;
        let payload;
        try {
          payload = buildPayload(this.store, event, this.tuning.views);
        } catch (err) {
          // A view that fails must not hold the outbox up: the snapshot still says what happened.
          this.log.error({ err, event_id: event.id, type: event.type }, 'webhook payload view failed; sending the snapshot');
          payload = { type: event.type, data: { application_id: event.applicationId, grant_id: event.accountId, object: event.object } };
        }
        for (const hook of hooks) {
          deliveries.push({ id: randomUUID(), webhookId: hook.id, eventId: event.id, type: payload.type, data: payload.data, time: event.createdAt });
        }
      }
      // False: another sender on the same data moved the cursor first; read again from there.
      this.store.webhooks.enqueue(from, events[events.length - 1]!.id, deliveries, Date.now());
    }
  }

  private async attempt(d: ClaimedWebhookDelivery): Promise<void> {
    const attempt = d.attempts + 1;
    const controller = new AbortController();
    this.inFlight.add(controller);
    let outcome: AttemptOutcome;
    try {
      outcome = await postSigned(d.url, d.secret, envelope(d, attempt), { deny: this.deny, timeoutMs: this.settings.timeoutMs, signal: controller.signal });
    } catch (err) {
      outcome = { ok: false, retry: true, error: (err as Error).message };
    } finally {
      this.inFlight.delete(controller);
    }
    // The URL may carry a token in its query: only the origin is logged.
    const log = this.log.child({ webhook_id: d.webhookId, delivery_id: d.id, type: d.type, attempt, endpoint: new URL(d.url).origin });
    if (outcome.ok) {
      this.store.webhooks.delivered(d.id, attempt);
      this.tuning.onAttempt?.('success');
      log.debug({ status: outcome.status }, 'webhook delivered');
      return;
    }
    if (outcome.stopped) {
      this.store.webhooks.release(d.id, Date.now());
      return;
    }
    const delay = this.tuning.retryDelaysMs[attempt - 1];
    if (outcome.retry && delay !== undefined) {
      const wait = Math.max(delay, outcome.retryAfterMs ?? 0);
      this.store.webhooks.deferred(d.id, attempt, outcome.error, Date.now() + wait);
      this.tuning.onAttempt?.('retry');
      log.warn({ error: outcome.error, retry_in_ms: wait }, 'webhook delivery failed; will retry');
      return;
    }
    this.store.webhooks.failed(d.id, attempt, outcome.error, outcome.retry);
    this.tuning.onAttempt?.('failed');
    log.warn({ error: outcome.error }, outcome.retry ? 'webhook delivery failed; gave up' : 'webhook delivery refused');
  }

  private prune(): void {
    if (Date.now() - this.lastPrune < HOUR_MS) return;
    this.lastPrune = Date.now();
    const now = nowSeconds();
    const removed = this.store.webhooks.prune({
      delivered: now - KEEP_DELIVERED_SECONDS,
      failed: now - KEEP_FAILED_SECONDS,
      events: now - KEEP_EVENTS_SECONDS,
    });
    if (removed.deliveries + removed.events > 0) this.log.info(removed, 'pruned old webhook deliveries and events');
  }
}
