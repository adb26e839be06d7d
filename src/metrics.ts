// Prometheus metrics (GET /metrics, text format), with prom-client. One Registry per gateway,
// never prom-client's global one: tests run several gateways in one process, and each must
// count only its own. Labels carry no secrets and no addresses (no emails, no IPs, no ids):
// listener names, protocols, outcomes, HTTP methods, route patterns and status codes only.
import type { Server, Socket } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ChangeBus } from './store/changes.js';

/** What an authentication attempt came to: `ok`, or the failure reason. */
export type AuthOutcome = string;
/** A webhook delivery attempt: answered 2xx, failed and will be retried, or given up. */
export type WebhookOutcome = 'success' | 'retry' | 'failed';

export class Metrics {
  readonly registry = new Registry();
  private defaultsCollected = false;

  private readonly connectionsTotal = new Counter({
    name: 'wicket_connections_total',
    help: 'TCP connections accepted, per listener',
    labelNames: ['listener'] as const,
    registers: [this.registry],
  });
  private readonly connectionsOpen = new Gauge({
    name: 'wicket_connections_open',
    help: 'TCP connections open now, per listener',
    labelNames: ['listener'] as const,
    registers: [this.registry],
  });
  private readonly authTotal = new Counter({
    name: 'wicket_auth_total',
    help: 'Authentication attempts by protocol (imap, smtp, api) and result (ok or the failure reason)',
    labelNames: ['protocol', 'result'] as const,
    registers: [this.registry],
  });
  private readonly received = new Counter({
    name: 'wicket_messages_received_total',
    help: 'Messages accepted by the inbound MX (one per message, whatever the number of local recipients)',
    registers: [this.registry],
  });
  private readonly sent = new Counter({
    name: 'wicket_messages_sent_total',
    help: 'Messages submitted by accounts (SMTP submission or the API), one per message',
    registers: [this.registry],
  });
  private readonly queued = new Counter({
    name: 'wicket_messages_queued_total',
    help: 'Outbound queue entries created (one per remote recipient; held entries included)',
    registers: [this.registry],
  });
  private readonly delivered = new Counter({
    name: 'wicket_messages_delivered_total',
    help: 'Outbound queue entries delivered to the remote server (one per recipient)',
    registers: [this.registry],
  });
  private readonly bounced = new Counter({
    name: 'wicket_messages_bounced_total',
    help: 'Outbound queue entries that failed permanently or expired (one per recipient)',
    registers: [this.registry],
  });
  private readonly webhookDeliveries = new Counter({
    name: 'wicket_webhook_deliveries_total',
    help: 'Webhook delivery attempts by result (success, retry, failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'wicket_http_request_duration_seconds',
    help: 'REST API request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** Counts the connections a listener accepts and holds open (TLS ones from the TCP accept). */
  trackConnections(listener: string, server: Server): void {
    this.connectionsOpen.set({ listener }, 0);
    this.connectionsTotal.inc({ listener }, 0);
    server.on('connection', (socket: Socket) => {
      this.connectionsTotal.inc({ listener });
      this.connectionsOpen.inc({ listener });
      socket.once('close', () => this.connectionsOpen.dec({ listener }));
    });
  }

  auth(protocol: 'imap' | 'smtp' | 'api' | string, result: AuthOutcome): void {
    this.authTotal.inc({ protocol, result });
  }

  /** After the delivery pipeline committed a message (see DeliveryPipeline's observer). */
  accepted(source: 'submission' | 'inbound', queuedEntries: number): void {
    if (source === 'inbound') this.received.inc();
    else this.sent.inc();
    if (queuedEntries > 0) this.queued.inc(queuedEntries);
  }

  /** For the webhook sender: one call per delivery attempt. */
  webhookDelivery(result: WebhookOutcome): void {
    this.webhookDeliveries.inc({ result });
  }

  /** `route` is the route pattern ('/v3/grants/:grantId'), never the URL with its ids. */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /** Delivered and bounced queue entries, from the change bus (published after commit). */
  watch(changes: ChangeBus): () => void {
    return changes.subscribe((change) => {
      if (change.type === 'message.delivered') this.delivered.inc();
      else if (change.type === 'message.bounced' || change.type === 'message.send_failed') this.bounced.inc();
    });
  }

  readonly contentType = this.registry.contentType;

  /**
   * The text exposition. Process metrics (CPU, memory, event loop lag, GC) join at the first
   * scrape: collecting them installs process-wide observers, which only a scraped gateway needs.
   */
  async text(): Promise<string> {
    if (!this.defaultsCollected) {
      this.defaultsCollected = true;
      collectDefaultMetrics({ register: this.registry });
    }
    return this.registry.metrics();
  }
}
