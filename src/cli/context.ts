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

/** Verbs of the commands that change something: they are written to the activity log. */
const CHANGING = new Set(['create', 'delete', 'update', 'add', 'remove', 'verify', 'reset-password', 'rotate-secret', 'revoke', 'retry', 'flush', 'attach', 'detach', 'move', 'set']);

/**
 * Notes a command that changed something in the activity log (issue 9: "who changed what —
 * team member, API key or CLI"), with its positional arguments (ids, addresses, names; the
 * secrets a command takes come as options or on standard input, never as arguments). Only
 * when the command opened the store. `wicket user …` is logged by the team service itself.
 */
export function recordCliActivity(path: string[], args: readonly unknown[]): void {
  const verb = path.at(-1);
  if (!opened || !verb || !CHANGING.has(verb) || path[0] === 'user') return;
  const object = path.slice(0, -1).join('.');
  const ids = args.filter((a): a is string => typeof a === 'string');
  opened.context.services.team.activity.record({ type: 'cli' }, `${object}.${verb.replace(/-/g, '_')}`, {
    type: object,
    id: ids[0] ?? null,
    detail: ids.length > 1 ? { arguments: ids.slice(1) } : {},
  });
}
