// The composition root: config → store → services → TLS → listeners. The IMAP and SMTP
// listeners join the HTTP one here (see `startListeners`).
import type { Server } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import { createServices, type Services } from './services.js';
import { ClientSetupService } from './accounts/client-setup.js';
import { createHttpServer } from './api/server.js';
import { type Config, PORT_VARIABLES, type ListenerName } from './config.js';
import { DeliveryPipeline } from './delivery/pipeline.js';
import { spamAssessor } from './delivery/spam-assessor.js';
import { QueueWorker } from './delivery/queue-worker.js';
import { createRelay } from './delivery/relay.js';
import { type ListenerInfo, listen } from './listen.js';
import type { Logger } from './log.js';
import { ChangeBus } from './store/changes.js';
import { createImapServers } from './imap/server.js';
import { createSmtpServers, updateSmtpTls } from './smtp/server.js';
import { watchForeignChanges } from './store/foreign-changes.js';
import { backfillSearchText } from './maintenance/search-text.js';
import { startRetention } from './maintenance/retention.js';
import { openStore } from './store/open.js';
import { type TlsMaterial, loadTlsMaterial, serverTlsOptions } from './tls.js';
import { VERSION } from './version.js';
import { type SenderTuning, WebhookSender } from './webhooks/sender.js';

export interface Gateway {
  config: Config;
  services: Services;
  pipeline: DeliveryPipeline;
  /** Null when WICKET_RELAY=none: remote mail is held. */
  queue: QueueWorker | null;
  /** The certificate in use (the reloaded one after `reloadTls`). */
  readonly tls: TlsMaterial;
  /**
   * Loads the certificate again (WICKET_TLS_CERT/KEY, or the certs directory) and gives it to
   * every TLS listener and STARTTLS: new handshakes use it, open sessions are untouched. Throws
   * (and changes nothing) when the new pair cannot be read or does not match. `wicket serve`
   * calls it on SIGHUP.
   */
  reloadTls(): Promise<TlsMaterial>;
  listeners: ListenerInfo[];
  /** The port each enabled listener got (useful with "auto"). */
  ports: Partial<Record<ListenerName, number>>;
  /** Stops accepting, lets work in flight finish (up to `graceMs`), closes the store. */
  close(graceMs?: number): Promise<void>;
}

interface Running {
  info: ListenerInfo;
  /** Stops accepting and resolves when the connections are done (or were cut at `graceMs`). */
  close(graceMs: number): Promise<void>;
}

/** A plain net/http server: close, then cut what is still connected after the grace period. */
function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => {
      (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
      resolve();
    }, graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
  });
}

export interface GatewayOptions {
  /**
   * Whether a loopback client counts as this machine (may authenticate without TLS). True in
   * production; tests turn it off to see what a remote client sees, since they bind to 127.0.0.1.
   */
  trustLoopback?: boolean;
  /** Webhook sender settings (tests shorten the retry schedule). */
  webhooks?: Partial<SenderTuning>;
  /** The clock of policy limits and rule evaluations (tests cross a UTC midnight). */
  clock?: () => Date;
}

export async function startGateway(config: Config, log: Logger, options: GatewayOptions = {}): Promise<Gateway> {
  const changes = new ChangeBus((err, change) => log.error({ err, change: change.type }, 'change listener failed'));
  const store = openStore(config.dataDir, changes, { groupCommit: true });
  const running: (Running & { id: ListenerName })[] = [];
  let accepting = true;

  let queue: QueueWorker | null = null;
  let webhooks: WebhookSender | null = null;
  const stopHooks: (() => void)[] = [];
  const stopListeners = async (graceMs: number): Promise<void> => {
    accepting = false;
    for (const stop of stopHooks) stop();
    await Promise.all(running.map((r) => r.close(graceMs)));
    await queue?.stop(graceMs);
    await webhooks?.stop(graceMs);
  };

  try {
    const services = createServices(store, config, log);
    // Made now so the first login to an unknown address takes as long as any other.
    await services.auth.dummy();
    let tls = await loadTlsMaterial(config);
    log.info(
      { source: tls.source, file: tls.certFile, fingerprint: tls.fingerprint, valid_to: tls.validTo },
      tls.source === 'generated' ? 'generated a self-signed certificate' : 'tls certificate loaded',
    );

    const relay = createRelay(config);
    queue = relay ? new QueueWorker(store, relay, config, log.child({ component: 'queue' })) : null;
    const pipeline = new DeliveryPipeline(
      store,
      config,
      log.child({ component: 'delivery' }),
      () => queue?.wake(),
      (source, result) => services.metrics.accepted(source, result.queued.length),
      { ...(options.clock ? { clock: options.clock } : {}), assessSpam: spamAssessor(config) },
    );

    const start = async (name: ListenerName, label: string, server: Server, close: (graceMs: number) => Promise<void>) => {
      const port = config.ports[name];
      if (port === null) {
        log.info({ listener: name }, `${label} listener disabled (${PORT_VARIABLES[name]}=0)`);
        return;
      }
      services.metrics.trackConnections(name, server);
      const info = await listen(server, label, PORT_VARIABLES[name], config.bind, port);
      running.push({ id: name, info, close });
      log.info({ listener: name, address: info.address, port: info.port }, `${label} listening on ${info.address}:${info.port}`);
    };

    const clientSetup = new ClientSetupService(store, config);
    const http = await createHttpServer({ store, log, isAccepting: () => accepting, clientSetup, services, pipeline, config, tls });
    await start('http', 'HTTP', http, (graceMs) => closeServer(http, graceMs));
    const smtp = createSmtpServers({
      config,
      tls,
      auth: services.auth,
      pipeline,
      log: log.child({ component: 'smtp' }),
      trustLoopback: options.trustLoopback ?? true,
    });
    const smtpLabels = { submission: 'SMTP submission (STARTTLS)', submissions: 'SMTP submissions (TLS)', mx: 'SMTP MX' } as const;
    for (const name of ['submission', 'submissions', 'mx'] as const) {
      const server = smtp[name];
      // SMTPServer.close lets sessions finish for its closeTimeout, then cuts them.
      await start(name, smtpLabels[name], server.server as Server, () => new Promise<void>((resolve) => server.close(() => resolve())));
    }
    const imap = createImapServers(
      { store, auth: services.auth, mailboxes: services.mailboxes, pipeline, config, log: log.child({ component: 'imap' }) },
      tls,
      log.child({ component: 'imap' }),
      options.trustLoopback ?? true,
    );
    await start('imap', 'IMAP (STARTTLS)', imap.imap.server, (graceMs) => imap.imap.close(graceMs));
    await start('imaps', 'IMAPS (TLS)', imap.imaps.server, (graceMs) => imap.imaps.close(graceMs));
    const reloadTls = async (): Promise<TlsMaterial> => {
      const fresh = await loadTlsMaterial(config);
      imap.updateTls(fresh);
      updateSmtpTls(smtp, fresh);
      if (config.httpTls) (http as unknown as TlsServer).setSecureContext(serverTlsOptions(fresh));
      tls = fresh;
      log.info({ source: fresh.source, file: fresh.certFile, fingerprint: fresh.fingerprint, valid_to: fresh.validTo }, 'tls certificate reloaded');
      return fresh;
    };
    queue?.start();
    webhooks = new WebhookSender(store, config.webhooks, log.child({ component: 'webhooks' }), {
      onAttempt: (result) => services.metrics.webhookDelivery(result),
      ...options.webhooks,
    });
    webhooks.start();
    const stopWatching = watchForeignChanges(store);
    stopHooks.push(stopWatching);
    stopHooks.push(backfillSearchText(store, log));
    stopHooks.push(startRetention(store, log.child({ component: 'retention' }), { clock: options.clock }));
    log.info({ relay: config.relay.mode }, relay ? `outbound relay: ${config.relay.mode}` : 'outbound relay: none (remote mail is held in the queue)');

    log.info({ version: VERSION, data: store.location, hostname: config.hostname }, 'wicket started');
    const httpInfo = running.find((r) => r.id === 'http')?.info;
    if (httpInfo) {
      const base = `${config.httpTls ? 'https' : 'http'}://${config.hostname}:${httpInfo.port}`;
      const setupToken = services.team.setupTokenForFirstRun();
      // The one-time setup link is meant for this log (issue 9): it only works while no team
      // member exists, once, and until the next restart.
      if (setupToken) log.info({ dashboard: `${base}/dashboard` }, `no dashboard user yet: create the first admin at ${base}/dashboard/setup?token=${setupToken} (or run: wicket user create --admin <email>)`);
      else log.info({ dashboard: `${base}/dashboard` }, `dashboard at ${base}/dashboard`);
    }

    let closing: Promise<void> | undefined;
    return {
      config,
      services,
      pipeline,
      queue,
      get tls() {
        return tls;
      },
      reloadTls,
      listeners: running.map((r) => r.info),
      ports: Object.fromEntries(running.map((r) => [r.id, r.info.port])),
      close(graceMs = 10_000) {
        closing ??= (async () => {
          await stopListeners(graceMs);
          // Writers still waiting for the disk are answered before the store goes.
          await store.durable().catch(() => undefined);
          await store.shutdown();
          log.info('wicket stopped');
        })();
        return closing;
      },
    };
  } catch (err) {
    await stopListeners(0);
    store.close();
    throw err;
  }
}
