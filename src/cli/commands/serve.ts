// wicket serve: run the gateway until SIGINT or SIGTERM.
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../log.js';
import { startGateway } from '../../main.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the gateway (listeners configured by WICKET_* variables)')
    .action(async () => {
      const config = loadConfig();
      const log = createLogger(config.logLevel, 1);
      const gateway = await startGateway(config, log);
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: NodeJS.Signals) => {
          if (stopping) {
            // A second signal: the operator does not want to wait.
            log.warn({ signal }, 'second signal, exiting now');
            process.exit(1);
          }
          stopping = true;
          log.info({ signal }, 'shutting down');
          gateway.close().then(resolve, (err: unknown) => {
            log.error({ err }, 'shutdown failed');
            resolve();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
