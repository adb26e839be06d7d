// wicket serve: run the gateway until SIGINT or SIGTERM; SIGHUP reloads the TLS certificate.
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../log.js';
import { type Gateway, startGateway } from '../../main.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the gateway (listeners configured by WICKET_* variables)')
    .action(async () => {
      const config = loadConfig(process.env, process.cwd(), process.stdout.isTTY === true);
      const log = createLogger(config.logLevel, 1, config.logFormat);
      // Signals are caught from the start: one that arrives while the listeners are still
      // coming up stops the gateway as soon as it is up, instead of killing it half-started.
      let stopRequested: (signal: NodeJS.Signals) => void = () => {};
      const stopped = new Promise<NodeJS.Signals>((resolve) => (stopRequested = resolve));
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals += 1;
        if (signals > 1) {
          // A second signal: the operator does not want to wait.
          log.warn({ signal }, 'second signal, exiting now');
          process.exit(1);
        }
        stopRequested(signal);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      // SIGHUP (renewed certificate, e.g. from certbot's deploy hook): load it again without a
      // restart. A pair that cannot be loaded is logged and the current one stays. Node's default
      // for SIGHUP would end the process, so it is caught from the start too.
      let gateway: Gateway | undefined;
      let reloading = Promise.resolve();
      process.on('SIGHUP', () => {
        const running = gateway;
        if (!running) {
          log.warn('SIGHUP before the gateway was up; the certificate it is loading is current');
          return;
        }
        reloading = reloading.then(() =>
          running.reloadTls().then(
            () => undefined,
            (err: unknown) =>
              log.error({ error: err instanceof Error ? err.message : String(err) }, 'tls certificate reload failed; keeping the current certificate'),
          ),
        );
      });

      gateway = await startGateway(config, log);
      const signal = await stopped;
      log.info({ signal }, 'shutting down');
      await gateway.close();
    });
}
