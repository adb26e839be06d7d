// wicket app create|list|delete
import type { Command } from 'commander';
import { applicationView } from '../../accounts/views.js';
import { context } from '../context.js';
import { confirm, isoTime, print, printJson, printTable } from '../io.js';

export function registerApp(program: Command): void {
  const app = program.command('app').description('applications (tenants): each has its own accounts, workspaces and keys');

  app
    .command('create <name>')
    .description('create an application (with its default workspace)')
    .option('--json', 'print JSON')
    .action((name: string, opts: { json?: boolean }) => {
      const ctx = context();
      const created = ctx.services.applications.create(name);
      const workspace = ctx.services.workspaces.defaultFor(created.id);
      if (opts.json) printJson({ ...applicationView(created, 0), default_workspace_id: workspace.id });
      else {
        print(`Application "${created.name}" created (${created.id})`);
        print(`  Default workspace: ${workspace.id}`);
        print(`  Use it with: --application ${created.name}`);
      }
    });

  app
    .command('list')
    .description('list applications')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const ctx = context();
      const apps = ctx.services.applications.list().map((a) => ({ app: a, accounts: ctx.services.accounts.count(a.id) }));
      if (opts.json) {
        printJson(apps.map(({ app: a, accounts }) => applicationView(a, accounts)));
        return;
      }
      print(`Applications (${apps.length})`);
      printTable(
        ['NAME', 'ID', 'DEFAULT', 'ACCOUNTS', 'CREATED'],
        apps.map(({ app: a, accounts }) => [a.name, a.id, a.isDefault ? 'yes' : '', String(accounts), isoTime(a.createdAt)]),
      );
    });

  app
    .command('delete <id|name>')
    .description('delete an application and its workspaces (refused while it has accounts, unless --force)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--force', 'also delete its accounts, with their mail')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { yes?: boolean; force?: boolean; json?: boolean }) => {
      const ctx = context();
      const found = ctx.services.applications.resolve(ref);
      const accounts = ctx.services.accounts.count(found.id);
      if (!found.isDefault && (accounts === 0 || opts.force)) {
        await confirm(
          accounts > 0
            ? `delete application "${found.name}" and its ${accounts} account(s) with all their mail`
            : `delete application "${found.name}"`,
          opts.yes,
        );
      }
      const { application, accountsDeleted } = ctx.services.applications.delete(found.id, { force: opts.force });
      if (opts.json) printJson({ deleted: true, id: application.id, name: application.name, accounts_deleted: accountsDeleted });
      else print(`Application "${application.name}" deleted${accountsDeleted > 0 ? ` with ${accountsDeleted} account(s)` : ''}`);
    });
}
