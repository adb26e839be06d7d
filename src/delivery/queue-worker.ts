// The outbound queue worker: claims due entries, sends them through the relay (grouped so
// one message to several recipients on one domain is one SMTP transaction), and records each
// outcome — delivered; deferred with backoff; or failed, with a bounce (RFC 3464) stored in
// the sender's INBOX in the same transaction. The queue is in the store, so it survives
// restarts; a claim is a lease, so entries of a worker that died are taken up again.
import type { Config } from '../config.js';
import { splitMessage } from '../mail/header-block.js';
import { searchFields } from '../mail/search-fields.js';
import { computeStructure } from '../mail/structure.js';
import { summarize } from '../mail/summary.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import type { ClaimedEntry, NewDelivery } from '../store/types.js';
import { nextAttempt } from './backoff.js';
import { type DsnRecipient, buildDsn, statusFromReply } from './dsn.js';
import type { RecipientOutcome, Relay } from './relay.js';

const BATCH = 100;
/**
 * A claim lasts this long unless renewed; the worker renews its claims every RENEW_MS while it
 * sends, however slow the remote server. So the entries of a worker that died (kill -9, a
 * power cut) are taken up again a minute after, not when the slowest send could have ended.
 */
const LEASE_SECONDS = 60;
const RENEW_MS = 15_000;
const IDLE_POLL_MS = 5_000;

export interface RunSummary {
  attempted: number;
  delivered: number;
  deferred: number;
  failed: number;
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
const nowSeconds = () => Math.floor(Date.now() / 1000);

export class QueueWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RunSummary> | undefined;
  private stopped = true;

  constructor(
    private readonly store: Store,
    private readonly relay: Relay,
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** New mail was queued: look at once rather than at the next poll. */
  wake(): void {
    if (!this.stopped) this.schedule(0);
  }

  /**
   * Stops taking new work and waits up to `graceMs` for the transaction in flight. An entry
   * still being sent after that is taken up again when its lease runs out (at-least-once).
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.running) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.running.catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }

  /** One pass over everything due; also what `wicket queue flush` runs. */
  async runOnce(): Promise<RunSummary> {
    if (this.running) return this.running;
    // The pass is over when what it recorded (deliveries, bounces, retries) is stored for good.
    this.running = this.pass()
      .then(async (summary) => {
        await this.store.durable();
        return summary;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.runOnce()
        .catch((err: unknown) => this.log.error({ err }, 'queue pass failed'))
        .finally(() => {
          if (this.stopped) return;
          const due = this.store.queue.nextDueAt();
          const wait = due === null ? IDLE_POLL_MS : Math.max(0, due * 1000 - Date.now());
          this.schedule(Math.min(wait, IDLE_POLL_MS));
        });
    }, delayMs);
    this.timer.unref();
  }

  private async pass(): Promise<RunSummary> {
    const summary: RunSummary = { attempted: 0, delivered: 0, deferred: 0, failed: 0 };
    for (;;) {
      const claimed = this.store.queue.claim(nowSeconds(), BATCH, LEASE_SECONDS);
      if (claimed.length === 0) return summary;
      const inFlight = new Set(claimed.map((e) => e.id));
      const renew = setInterval(() => {
        try {
          this.store.queue.renew([...inFlight], nowSeconds());
        } catch (err) {
          this.log.warn({ err }, 'could not renew the claims of the entries being sent');
        }
      }, RENEW_MS);
      renew.unref();
      try {
        for (const group of this.group(claimed)) {
          const outcomes = await this.sendGroup(group);
          for (const outcome of outcomes) {
            const entry = group.find((e) => e.rcptTo === outcome.recipient)!;
            summary.attempted += 1;
            summary[this.record(entry, outcome)] += 1;
            inFlight.delete(entry.id);
          }
        }
      } finally {
        clearInterval(renew);
      }
      if (this.stopped) return summary;
    }
  }

  /** Entries of one message (same bytes, same sender) to one domain travel together. */
  private group(entries: ClaimedEntry[]): ClaimedEntry[][] {
    const groups = new Map<string, ClaimedEntry[]>();
    for (const e of entries) {
      const key = `${e.messageId}\0${e.mailFrom}\0${domainOf(e.rcptTo)}\0${e.raw.length}`;
      const list = groups.get(key);
      if (list && list[0]!.raw.equals(e.raw)) list.push(e);
      else groups.set(list ? `${key}\0${e.id}` : key, [e]);
    }
    return [...groups.values()];
  }

  private async sendGroup(group: ClaimedEntry[]): Promise<RecipientOutcome[]> {
    const first = group[0]!;
    try {
      return await this.relay.send({
        mailFrom: first.mailFrom,
        recipients: group.map((e) => e.rcptTo),
        raw: first.raw,
        dkim: this.store.directory.dkimKey(domainOf(first.mailFrom)),
      });
    } catch (err) {
      const response = `451 4.3.0 ${(err as Error).message}`;
      return group.map((e) => ({ recipient: e.rcptTo, ok: false, permanent: false, response, remoteMta: null }));
    }
  }

  private record(entry: ClaimedEntry, outcome: RecipientOutcome): 'delivered' | 'deferred' | 'failed' {
    const log = this.log.child({ queue_id: entry.id, to: entry.rcptTo, attempt: entry.attempts });
    if (outcome.ok) {
      const notify = entry.dsn?.notify ?? [];
      const report = notify.includes('SUCCESS')
        ? this.report(entry, [{ ...this.dsnRecipient(entry, outcome), action: 'relayed', status: '2.0.0' }])
        : null;
      this.store.queue.delivered(entry.id, outcome.response, report);
      log.info({ response: outcome.response, mx: outcome.remoteMta }, 'delivered');
      return 'delivered';
    }
    const now = nowSeconds();
    const retryAt = outcome.permanent ? null : nextAttempt(now, entry.attempts, entry.expiresAt);
    if (retryAt !== null) {
      this.store.queue.deferred(entry.id, outcome.response, retryAt);
      log.warn({ response: outcome.response, retry_in: retryAt - now }, 'deferred');
      return 'deferred';
    }
    const reason = outcome.permanent ? outcome.response : `${outcome.response} (gave up after ${this.config.queue.lifetimeHours} hours)`;
    const status = outcome.permanent ? statusFromReply(outcome.response, '5.0.0') : '4.4.7';
    // RFC 3461 §4.1: NOTIFY=NEVER asks for no report, even of failure.
    const wanted = !(entry.dsn?.notify?.includes('NEVER') ?? false);
    const bounce = wanted ? this.report(entry, [{ ...this.dsnRecipient(entry, outcome), action: 'failed', status, diagnostic: reason }]) : null;
    this.store.queue.failed(entry.id, reason, bounce, outcome.permanent ? 'rejected' : 'expired');
    log.warn({ response: reason, bounced: bounce !== null }, 'failed');
    return 'failed';
  }

  private dsnRecipient(entry: ClaimedEntry, outcome: RecipientOutcome): Omit<DsnRecipient, 'action' | 'status'> {
    return {
      recipient: entry.rcptTo,
      orcpt: entry.dsn?.orcpt ?? null,
      diagnostic: outcome.response,
      remoteMta: outcome.remoteMta,
      lastAttempt: new Date(),
    };
  }

  /** The report goes to the sender's INBOX when the sender is (still) a local account. */
  private report(entry: ClaimedEntry, recipients: DsnRecipient[]): NewDelivery | null {
    const sender = entry.accountId ? this.store.directory.getAccount(entry.accountId) : undefined;
    if (!sender) return null;
    const raw = buildDsn({
      hostname: this.config.hostname,
      to: entry.mailFrom,
      original: entry.raw,
      ret: entry.dsn?.ret ?? null,
      envid: entry.dsn?.envid ?? null,
      arrivalDate: new Date(entry.createdAt * 1000),
      recipients,
      now: new Date(),
    });
    const withReturnPath = Buffer.concat([Buffer.from('Return-Path: <>\r\n'), raw]);
    return {
      bodies: [withReturnPath],
      internalDate: new Date(),
      copies: [
        {
          accountId: sender.id,
          folder: 'INBOX',
          flags: [],
          body: 0,
          summary: summarize(splitMessage(raw).headers),
          structure: computeStructure(withReturnPath),
          search: searchFields(withReturnPath),
        },
      ],
      outbound: [],
    };
  }
}
