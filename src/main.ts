// The composition root: config → store → services → TLS → listeners. The IMAP and SMTP
// listeners join the HTTP one here (see `startListeners`).
import type { Server } from 'node:net';
import { createServices, type Services } from './accounts/services.js';
import { createHttpServer } from './api/server.js';
import { type Config, PORT_VARIABLES, type ListenerName } from './config.js';
import { type ListenerInfo, listen } from './listen.js';
import type { Logger } from './log.js';
import { ChangeBus } from './store/changes.js';
import { openStore } from './store/open.js';
import { type TlsMaterial, loadTlsMaterial } from './tls.js';
import { VERSION } from './version.js';

export interface Gateway {
  config: Config;
  services: Services;
  tls: TlsMaterial;
  listeners: ListenerInfo[];
  /** Stops accepting, lets work in flight finish (up to `graceMs`), closes the store. */
  close(graceMs?: number): Promise<void>;
}

interface Running {
  info: ListenerInfo;
  server: Server;
}

export async function startGateway(config: Config, log: Logger): Promise<Gateway> {
  const changes = new ChangeBus((err, change) => log.error({ err, change: change.type }, 'change listener failed'));
  const store = openStore(config.dataDir, changes);
  const running: Running[] = [];
  let accepting = true;

  const stopListeners = async (graceMs: number): Promise<void> => {
    accepting = false;
    await Promise.all(
      running.map(
        ({ server }) =>
          new Promise<void>((resolve) => {
            const force = setTimeout(() => {
              // Past the grace period: drop whatever is still connected.
              (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
              resolve();
            }, graceMs);
            force.unref();
            server.close(() => {
              clearTimeout(force);
              resolve();
            });
          }),
      ),
    );
  };

  try {
    const services = createServices(store, config, log);
    // Made now so the first login to an unknown address takes as long as any other.
    await services.auth.dummy();
    const tls = await loadTlsMaterial(config);
    log.info(
      { source: tls.source, file: tls.certFile, fingerprint: tls.fingerprint, valid_to: tls.validTo },
      tls.source === 'generated' ? 'generated a self-signed certificate' : 'tls certificate loaded',
    );

    const start = async (name: ListenerName, label: string, server: Server) => {
      const port = config.ports[name];
      if (port === null) {
        log.info({ listener: name }, `${label} listener disabled (${PORT_VARIABLES[name]}=0)`);
        return;
      }
      const info = await listen(server, label, PORT_VARIABLES[name], config.bind, port);
      running.push({ info, server });
      log.info({ listener: name, address: info.address, port: info.port }, `${label} listening on ${info.address}:${info.port}`);
    };

    await start('http', 'HTTP', createHttpServer({ store, log, isAccepting: () => accepting }));

    log.info({ version: VERSION, data: store.location, hostname: config.hostname }, 'wicket started');

    let closing: Promise<void> | undefined;
    return {
      config,
      services,
      tls,
      listeners: running.map((r) => r.info),
      close(graceMs = 10_000) {
        closing ??= (async () => {
          await stopListeners(graceMs);
          store.close();
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
