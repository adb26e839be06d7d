// What a CLI command works with: the validated config, the store of the configured data
// directory, and the same services the server uses. Works whether or not the server runs
// (SQLite WAL lets both share the file).
import { type Services, createServices } from '../services.js';
import { type Config, loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { openStore } from '../store/open.js';
import type { Application } from '../store/types.js';

export interface CliContext {
  config: Config;
  services: Services;
  /** The application named by --application, or the default one. */
  application(ref: string | undefined): Application;
}

let opened: { context: CliContext; close: () => void } | undefined;

export function context(): CliContext {
  if (opened) return opened.context;
  const config = loadConfig(process.env, process.cwd(), process.stderr.isTTY === true);
  // Commands print their results; the log only carries warnings, on standard error.
  const log = createLogger(config.logLevel === 'debug' || config.logLevel === 'trace' ? config.logLevel : 'warn', 2, config.logFormat);
  const store = openStore(config.dataDir);
  try {
    const services = createServices(store, config, log);
    const ctx: CliContext = {
      config,
      services,
      application: (ref) => services.applications.resolve(ref),
    };
    opened = { context: ctx, close: () => store.close() };
    return ctx;
  } catch (err) {
    store.close();
    throw err;
  }
}

export function closeContext(): void {
  opened?.close();
  opened = undefined;
}
