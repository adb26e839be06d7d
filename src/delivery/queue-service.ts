// The outbound queue as the CLI (and later the API and dashboard) manage it: list, retry,
// flush (attempt now, in this process), delete.
import type { Config } from '../config.js';
import { ValidationError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import type { QueueEntry } from '../store/types.js';
import { QueueWorker, type RunSummary } from './queue-worker.js';
import { createRelay } from './relay.js';

const nowSeconds = () => Math.floor(Date.now() / 1000);

export class QueueService {
  constructor(
    private readonly store: Store,
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  /** Entries not yet delivered, or everything with `all`. */
  list(opts: { all?: boolean } = {}): QueueEntry[] {
    return this.store.queue.list(opts.all ? { statuses: ['queued', 'held', 'sending', 'delivered', 'failed'] } : {});
  }

  get(id: string): QueueEntry | undefined {
    return this.store.queue.get(id);
  }

  /** Makes an entry (or all held and queued ones) due now; held mail is released to the relay. */
  retry(ref: string): number {
    if (this.config.relay.mode === 'none') {
      throw new ValidationError('relay', 'none', 'WICKET_RELAY is "none": there is no relay to send through, so held mail stays held');
    }
    return this.store.queue.retry(ref === 'all' ? 'all' : [ref], nowSeconds());
  }

  remove(id: string): QueueEntry {
    return this.store.queue.remove(id);
  }

  /** Attempts every queued entry now. Held entries stay held (`retry` releases them). */
  async flush(): Promise<RunSummary & { held: number; relay: string }> {
    const held = this.store.queue.list({ statuses: ['held'] }).length;
    const relay = createRelay(this.config);
    if (!relay) return { attempted: 0, delivered: 0, deferred: 0, failed: 0, held, relay: 'none' };
    this.store.queue.expedite(nowSeconds());
    const summary = await new QueueWorker(this.store, relay, this.config, this.log).runOnce();
    return { ...summary, held, relay: relay.mode };
  }
}
