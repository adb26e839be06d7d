// wicket status: what this installation holds, and whether its server answers.
import { get } from 'node:http';
import { get as getTls } from 'node:https';
import type { Command } from 'commander';
import { type Config, type ListenerName, PORT_VARIABLES } from '../../config.js';
import { VERSION } from '../../version.js';
import { context } from '../context.js';
import { print, printFields, printJson } from '../io.js';

/** Asks the configured HTTP listener's /healthz, with a short deadline. */
function probeServer(config: Config): Promise<{ running: boolean; url: string | null }> {
  const port = config.ports.http;
  if (port === null || port === 0) return Promise.resolve({ running: false, url: null });
  const host = config.bind === '0.0.0.0' ? '127.0.0.1' : config.bind === '::' ? '::1' : config.bind;
  const url = `${config.httpTls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}/healthz`;
  return new Promise((resolve) => {
    // Our own listener, maybe with the self-signed certificate: asking whether it is up, not trusting it.
    const req = (config.httpTls ? getTls : get)(url, { timeout: 1000, rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve({ running: res.statusCode === 200, url });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ running: false, url }));
  });
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show the installation: data, counts, listeners, and whether the server is running')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const ctx = context();
      const { config, services } = ctx;
      const stats = services.store.stats();
      const domains = services.domains.list();
      const server = await probeServer(config);
      const listeners = Object.fromEntries(
        (Object.keys(PORT_VARIABLES) as ListenerName[]).map((name) => [name, config.ports[name] === null ? 'disabled' : config.ports[name] === 0 ? 'auto' : config.ports[name]]),
      );
      const applications = services.applications.list().map((a) => ({ id: a.id, name: a.name, default: a.isDefault, accounts: services.accounts.count(a.id) }));
      const report = {
        version: VERSION,
        data: services.store.location,
        schema_version: stats.schemaVersion,
        hostname: config.hostname,
        server,
        organization: { id: services.organization.id, name: services.organization.name },
        applications,
        domains: { total: stats.domains, verified: domains.filter((d) => d.status === 'verified').length },
        workspaces: stats.workspaces,
        accounts: { total: stats.accounts, with_app_password: stats.accountsWithAppPassword },
        messages: { total: stats.messages, bytes: stats.messageBytes },
        queue: stats.queue,
        relay: config.relay.mode,
        listeners,
      };
      if (opts.json) {
        printJson(report);
        return;
      }
      print(`Wicket ${VERSION}`);
      printFields([
        ['Data', `${report.data} (schema v${report.schema_version})`],
        ['Hostname', config.hostname],
        ['Server', server.running ? `running (${server.url} answered)` : server.url ? `not running (no answer from ${server.url})` : 'unknown (HTTP listener not on a fixed port)'],
        ['Applications', applications.map((a) => `${a.name}${a.default ? ' (default)' : ''}: ${a.accounts} account(s)`).join(', ')],
        ['Domains', `${report.domains.total} (${report.domains.verified} verified)`],
        ['Workspaces', String(report.workspaces)],
        ['Accounts', `${report.accounts.total} (${report.accounts.with_app_password} with an app password)`],
        ['Messages', `${report.messages.total} (${report.messages.bytes} bytes)`],
        ['Queue', `${stats.queue.queued} queued, ${stats.queue.held} held, ${stats.queue.failed} failed`],
        ['Relay', config.relay.mode],
        ['Listeners', Object.entries(listeners).map(([k, v]) => `${k} ${v}`).join(', ')],
      ]);
    });
}
